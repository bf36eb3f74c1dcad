/* od-test-locale.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-test-locale"

#include "config.h"

#include <locale.h>

#include <glib/gi18n-lib.h>

#include "od-test-locale.h"

/* The suites run with LC_ALL=C.UTF-8, so every test reads English. A test of what a person
 * reads in another language switches the whole process, as a desktop session in that language
 * would: messages from the catalogue in the build tree, and dates, month names and numbers
 * from a real locale. Test machines rarely have one generated, so tests/lib/meson.build
 * compiles de_DE.UTF-8 into the build tree with localedef, and LOCPATH points glibc there. */

static const struct
{
  const char *language;
  const char *locale;
} locales[] = {
  { "de", "de_DE.UTF-8" },
};

/**
 * od_test_locale_use:
 * @language: a language of po/LINGUAS with a locale built for the tests ("de")
 *
 * Switches the process to @language. Call it first thing in main(), before anything is
 * translated and before GTK is initialized (gtk_init() reads the locale from the
 * environment set here).
 *
 * Returns: %FALSE, after a test message, when the locale was not built (localedef or the
 *   locale sources, Debian's package "locales", are missing): the caller skips its tests
 */
gboolean
od_test_locale_use (const char *language)
{
  const char *locpath = g_getenv ("OD_TEST_LOCPATH");
  const char *build_root = g_getenv ("OD_BUILD_ROOT");
  const char *locale = NULL;
  g_autofree char *catalogues = NULL;
  g_autofree char *locale_dir = NULL;

  g_return_val_if_fail (language != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (locales); i++)
    if (g_str_equal (locales[i].language, language))
      locale = locales[i].locale;
  g_assert_nonnull (locale);
  g_assert_nonnull (build_root);

  locale_dir = locpath ? g_build_filename (locpath, locale, NULL) : NULL;
  if (locale_dir == NULL || !g_file_test (locale_dir, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("# The %s locale was not built for the tests (install Debian's “locales” "
                  "package and reconfigure)\n", locale);
      return FALSE;
    }

  g_setenv ("LOCPATH", locpath, TRUE);
  g_setenv ("LC_ALL", locale, TRUE);
  g_setenv ("LANGUAGE", language, TRUE);
  if (setlocale (LC_ALL, "") == NULL)
    {
      g_printerr ("# glibc does not accept the locale %s in %s\n", locale, locpath);
      return FALSE;
    }

  catalogues = g_build_filename (build_root, "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, catalogues);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  return TRUE;
}
