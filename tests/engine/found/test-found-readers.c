/* test-found-readers.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The registry of readers, searched all at once as `accounts list` does: a home where
 * Thunderbird, Geary, KMail, msmtp, git send-email, neomutt and aerc are all set up (the readers' own realistic
 * fixtures, put together), no GNOME Online Accounts or Evolution on the bus. Every origin is
 * there once and in the registry's order, each file client yields its accounts under its
 * own origin, and the two desktop clients are reported as unavailable without holding up
 * the others. The time the whole search took is printed. */

#include "config.h"

#include <glib/gstdio.h>

#include "od-found-readers.h"

static void
copy_home (const char *from,
           const char *to)
{
  g_autofree char *command = g_strdup_printf ("cp -a %s/. %s/", from, to);
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static void
test_all_at_once (void)
{
  const char *root = g_getenv ("OD_SOURCE_ROOT");
  /* Each reader's own fixture home: "realistic" for the terminal programs, "home" for the
   * graphical clients. */
  static const char * const clients[][2] = {
    { "thunderbird", "home" }, { "geary", "home" }, { "kmail", "home" },
    { "msmtp", "realistic" }, { "git", "realistic" }, { "neomutt", "realistic" },
    { "aerc", "realistic" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp ("od-test-found-home-XXXXXX", &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *command = NULL;
  const OdFoundReaderInfo *readers;
  guint n_readers;
  gint64 started;

  g_assert_no_error (error);
  g_assert_nonnull (root);
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      g_autofree char *from = g_build_filename (root, "tests", "data", "found", clients[i][0],
                                                clients[i][1], NULL);
      copy_home (from, home);
    }

  readers = od_found_get_readers (&n_readers);
  g_assert_cmpuint (n_readers, ==, 9);

  started = g_get_monotonic_time ();
  od_found_accounts_find_async (readers, n_readers, home, NULL, 0, NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  results = od_found_accounts_find_finish (result, &error);
  g_assert_no_error (error);
  g_test_message ("all readers at once: %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - started) / 1000);

  g_assert_cmpuint (results->len, ==, n_readers);
  for (guint i = 0; i < results->len; i++)
    {
      OdFoundResult *r = g_ptr_array_index (results, i);

      g_assert_cmpstr (r->origin, ==, readers[i].origin);
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (((OdFoundResult *)g_ptr_array_index (results, j))->origin, !=,
                         r->origin);
      g_test_message ("%s: %u accounts, %s, %" G_GINT64_FORMAT " µs", r->origin,
                      r->accounts ? r->accounts->len : 0,
                      r->error ? r->error->message : "no error", r->elapsed_us);

      if (g_str_equal (r->origin, OD_ORIGIN_GOA) || g_str_equal (r->origin, OD_ORIGIN_EVOLUTION))
        {
          /* No session bus here: said for that client, at once. */
          g_assert_nonnull (r->error);
          continue;
        }

      g_assert_no_error (r->error);
      g_assert_nonnull (r->accounts);
      g_assert_cmpuint (r->accounts->len, >, 0);
      for (guint j = 0; j < r->accounts->len; j++)
        {
          OdFoundAccount *found = g_ptr_array_index (r->accounts, j);
          g_autofree char *prefix = g_strconcat (r->origin, ":", NULL);

          g_assert_cmpstr (od_found_account_get_origin (found), ==, r->origin);
          g_assert_true (g_str_has_prefix (od_found_account_get_id (found), prefix));
        }
    }

  command = g_strdup_printf ("rm -rf %s", home);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  /* No GNOME Online Accounts or Evolution: no session bus at all. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/od-test-no-bus", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/found/readers/all-at-once", test_all_at_once);

  return g_test_run ();
}
