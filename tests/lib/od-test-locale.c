/* od-test-locale.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-test-locale"

#include "config.h"

#include <locale.h>
#include <string.h>

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
  /* As main() does in the app and the command line, whose own code uses the default
   * domain (glib/gi18n.h). */
  bindtextdomain (GETTEXT_PACKAGE, catalogues);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return TRUE;
}

/* Words of the report's own (od_check_report_to_text()) that must not be left in one in
 * another language. The server's replies are not among them: they stay as the server said
 * them, and the fake server speaks English. */
static const char * const english_report_words[] = {
  "[pass]", "[warn]", "[fail]", "[skip]", "Passed", "Failed", "Not checked", "Result:",
  "Address:", "What to do:", "The server said:", "Transcript", "passwords removed",
  "TLS started", "Certificate accepted", "Certificate rejected", "Server trusted",
  "Login not tried", "message of", "ending with", "more lines not recorded", "Connected to",
  "Encrypted with", "valid until", "port ", "January", "February", "March", "April", "June",
  "July", "August", "October", "December",
};

/**
 * od_test_locale_assert_no_english:
 * @report: a report in another language than English
 *
 * Fails when @report still has English words of its own: a state, a heading, a note of the
 * transcript, a month.
 */
void
od_test_locale_assert_no_english (const char *report)
{
  g_assert_nonnull (report);

  for (guint i = 0; i < G_N_ELEMENTS (english_report_words); i++)
    if (strstr (report, english_report_words[i]) != NULL)
      g_error ("The report still says “%s”:\n%s", english_report_words[i], report);
}
