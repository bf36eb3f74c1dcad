/* test-found-accounts.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* od_found_accounts_find_async(), the search over every client at once: readers run at the
 * same time, each result in the readers' order whatever became of it; a failing reader is
 * reported for its client and does not stop the others; a reader still busy at the deadline
 * is reported as timed out (and told to stop) while the search ends on time; the caller can
 * stop the search. Readers here are stand-ins: the real ones have tests of their own. */

#include "config.h"

#include "od-found-accounts.h"

static gboolean
read_one (const OdFoundContext  *context,
          GPtrArray             *found,
          GError               **error)
{
  OdFoundAccount *account = od_found_account_new (OD_ORIGIN_MSMTP, "work", "ada@example.org");

  g_assert_nonnull (context->home);
  g_assert_nonnull (context->config_home);
  g_usleep (20 * 1000);
  g_ptr_array_add (found, account);
  return TRUE;
}

static gboolean
read_broken (const OdFoundContext  *context,
             GPtrArray             *found,
             GError               **error)
{
  g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "broken on purpose");
  return FALSE;
}

static gint slow_saw_cancel;

/* Reads until told to stop (at most 10 s). */
static gboolean
read_slow (const OdFoundContext  *context,
           GPtrArray             *found,
           GError               **error)
{
  for (guint i = 0; i < 1000 && !g_cancellable_is_cancelled (context->cancellable); i++)
    g_usleep (10 * 1000);
  g_atomic_int_set (&slow_saw_cancel, g_cancellable_is_cancelled (context->cancellable));
  g_ptr_array_add (found, od_found_account_new (OD_ORIGIN_GEARY, "account_01", NULL));
  return TRUE;
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
test_find (void)
{
  static const OdFoundReaderInfo readers[] = {
    { OD_ORIGIN_MSMTP, read_one },
    { OD_ORIGIN_KMAIL, read_broken },
    { OD_ORIGIN_GEARY, read_slow },
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  OdFoundResult *one, *broken, *slow;

  g_atomic_int_set (&slow_saw_cancel, FALSE);
  od_found_accounts_find_async (readers, G_N_ELEMENTS (readers), "/nonexistent/home", NULL,
                                300, NULL, done_cb, &result);
  results = od_found_accounts_find_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (results->len, ==, 3);

  one = g_ptr_array_index (results, 0);
  g_assert_cmpstr (one->origin, ==, "msmtp");
  g_assert_no_error (one->error);
  g_assert_cmpint (one->elapsed_us, >=, 0);
  g_assert_cmpuint (one->accounts->len, ==, 1);
  g_assert_cmpstr (od_found_account_get_id (g_ptr_array_index (one->accounts, 0)), ==,
                   "msmtp:work");

  broken = g_ptr_array_index (results, 1);
  g_assert_cmpstr (broken->origin, ==, "kmail");
  g_assert_error (broken->error, G_FILE_ERROR, G_FILE_ERROR_INVAL);

  slow = g_ptr_array_index (results, 2);
  g_assert_cmpstr (slow->origin, ==, "geary");
  g_assert_error (slow->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (slow->elapsed_us, ==, -1);
  g_assert_null (slow->accounts);

  /* The late reader was told to stop, and what it found after the deadline is its own. */
  while (!g_atomic_int_get (&slow_saw_cancel))
    {
      g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  static const OdFoundReaderInfo readers[] = {
    { OD_ORIGIN_GEARY, read_slow },
  };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();

  od_found_accounts_find_async (readers, G_N_ELEMENTS (readers), "/nonexistent/home", NULL,
                                20000, cancellable, done_cb, &result);
  g_timeout_add (50, cancel_cb, cancellable);
  results = od_found_accounts_find_finish (wait_for (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (results);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
}

static void
test_none (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  od_found_accounts_find_async (NULL, 0, "/nonexistent/home", NULL, 0, NULL, done_cb, &result);
  results = od_found_accounts_find_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/found/find", test_find);
  g_test_add_func ("/od/found/cancel", test_cancel);
  g_test_add_func ("/od/found/none", test_none);

  return g_test_run ();
}
