/* test-format.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Dates and sizes as people read them: in their language, with the locale's month names
 * and decimal separator, and never padded ("from  6 December" had a figure space before the
 * day). Run in English and, with OD_TEST_LANGUAGE=de, in German. */

#include "config.h"

#include <string.h>

#include "od-autoconfig.h"
#include "od-format.h"
#include "od-test-locale.h"

static const char *language;
static gboolean language_ready = TRUE;

static gboolean
is_german (void)
{
  return g_strcmp0 (language, "de") == 0;
}

/* No padding of any kind: no leading or doubled space, no figure space (U+2007). */
static void
assert_unpadded (const char *text)
{
  g_assert_false (g_str_has_prefix (text, " "));
  g_assert_null (strstr (text, "  "));
  g_assert_null (strstr (text, "\u2007"));
}

static void
test_dates (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GDateTime) day = g_date_time_new (tz, 2026, 12, 6, 14, 5, 0);
  g_autoptr(GDateTime) later = g_date_time_new (tz, 2027, 1, 31, 9, 30, 0);
  g_autofree char *date = NULL;
  g_autofree char *date_time = NULL;
  g_autofree char *two_digits = NULL;

  if (!language_ready)
    {
      g_test_skip ("the locale of this language was not built");
      return;
    }

  date = od_format_date (day);
  date_time = od_format_date_time (day);
  two_digits = od_format_date (later);
  assert_unpadded (date);
  assert_unpadded (date_time);

  if (is_german ())
    {
      g_assert_cmpstr (date, ==, "6. Dezember 2026");
      g_assert_cmpstr (date_time, ==, "6. Dezember 2026, 14:05");
      g_assert_cmpstr (two_digits, ==, "31. Januar 2027");
    }
  else
    {
      g_assert_cmpstr (date, ==, "6 December 2026");
      g_assert_cmpstr (date_time, ==, "6 December 2026, 14:05");
      g_assert_cmpstr (two_digits, ==, "31 January 2027");
    }
}

/* A size in a message comes from g_format_size(): the locale's decimal separator and unit,
 * not a number of bytes printed by hand. */
static void
test_sizes (void)
{
  g_autoptr(GString) big = g_string_new ("<clientConfig>");
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = NULL;
  g_autofree char *size = g_format_size (OD_AUTOCONFIG_MAX_DOCUMENT_SIZE);

  if (!language_ready)
    {
      g_test_skip ("the locale of this language was not built");
      return;
    }

  while (big->len <= OD_AUTOCONFIG_MAX_DOCUMENT_SIZE)
    g_string_append (big, "<!-- padding -->");
  provider = od_autoconfig_parse (big->str, big->len, &error);
  g_assert_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_TOO_LARGE);

  g_assert_nonnull (strstr (error->message, size));
  g_assert_null (strstr (error->message, "bytes"));
  /* The number as the locale writes it (GLib's own catalogue has the unit). */
  g_assert_true (g_str_has_prefix (size, is_german () ? "262,1" : "262.1"));
  if (is_german ())
    {
      g_autofree char *expected = g_strconcat ("Das Dokument ist größer als ", size, NULL);

      g_assert_cmpstr (error->message, ==, expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  language = g_getenv ("OD_TEST_LANGUAGE");
  if (language != NULL)
    language_ready = od_test_locale_use (language);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/format/dates", test_dates);
  g_test_add_func ("/od/format/sizes", test_sizes);

  return g_test_run ();
}
