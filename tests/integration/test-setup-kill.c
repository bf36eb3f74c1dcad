/* test-setup-kill.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Saved data survives a killed setup: `outbox-doctor-cli setup` runs against our fake server
 * and is killed with SIGKILL at varying moments — spread over a whole run, and right when
 * its password appears in the keyring. After every kill the accounts file must load without
 * damage, and every secret in the keyring must belong to an account in the file (no orphaned
 * secret). Runs inside tests/integration/keyring-session.sh (a private D-Bus session with a
 * real gnome-keyring-daemon and a throw-away $XDG_CONFIG_HOME). OD_CLI is the program. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "od-account-store.h"
#include "od-fake-smtp-server.h"
#include "od-secret-store.h"
#include "od-test-certs.h"

#define USER      "user@example.org"
#define PASSWORD  "Tr0ub4dor&3 horse"
#define N_TIMED   30
#define N_ON_SECRET 10
#define N_EXTRA   5

static OdTestCerts      *certs;
static OdFakeSmtpServer *server;

typedef struct
{
  GSubprocess *process;
  gboolean     exited;
} Run;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  run->exited = TRUE;
}

static void
spin_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64)ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (200);
    }
}

static GSubprocess *
start_setup (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port = g_strdup_printf ("%u", od_fake_smtp_server_get_port (server));
  const char *argv[] = { g_getenv ("OD_CLI"), "setup", USER, "--host", "127.0.0.1",
                         "--port", port, "--security", "starttls", "--password-stdin",
                         "--ca-file", od_test_certs_get_ca_file (certs), "--json", NULL };
  GSubprocess *process;
  g_autoptr(GOutputStream) input = NULL;

  g_assert_nonnull (argv[0]);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  /* The pipe holds the whole line: write it and close, no need to wait. */
  input = g_object_ref (g_subprocess_get_stdin_pipe (process));
  g_assert_true (g_output_stream_write_all (input, PASSWORD "\n", strlen (PASSWORD) + 1, NULL,
                                            NULL, &error));
  g_assert_true (g_output_stream_close (input, NULL, &error));

  return process;
}

/* The items of our schema in the keyring, as account ids. */
static GPtrArray *
secret_accounts (void)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  GList *items;

  items = secret_service_search_sync (NULL, od_secret_store_get_schema (), attributes,
                                      SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) item_attributes = secret_item_get_attributes (l->data);

      g_ptr_array_add (ids, g_strdup (g_hash_table_lookup (item_attributes, "account")));
    }
  g_list_free_full (items, g_object_unref);

  return ids;
}

static void
clear_everything (void)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *path = od_account_store_get_default_path ();
  g_autoptr(GError) error = NULL;

  secret_password_clearv_sync (od_secret_store_get_schema (), attributes, NULL, &error);
  g_assert_no_error (error);
  g_unlink (path);
}

typedef struct
{
  guint saved;         /* account and password */
  guint no_secret;     /* account without password */
  guint nothing;       /* neither */
  guint temp_files;    /* a temporary file of an interrupted atomic write was left */
} Outcomes;

/* The invariants after a kill. */
static void
check_saved_data (Outcomes *outcomes)
{
  g_autofree char *path = od_account_store_get_default_path ();
  g_autofree char *dir_path = g_path_get_dirname (path);
  g_autoptr(OdAccountStore) store = od_account_store_new (path);
  g_autoptr(GPtrArray) secrets = secret_accounts ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  OdAccount *account;

  /* The file is either absent or complete: never damaged, never moved aside. */
  if (!od_account_store_load (store, &error))
    g_error ("the accounts file is damaged after a kill: %s", error->message);

  dir = g_dir_open (dir_path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_null (strstr (name, ".corrupt"));
      /* The lock file stays on purpose. */
      if (!g_str_equal (name, "accounts.ini") && !g_str_equal (name, "accounts.ini.lock"))
        {
          g_autofree char *leftover = g_build_filename (dir_path, name, NULL);

          /* g_file_set_contents()'s temporary file: not damage, but clean it up. */
          outcomes->temp_files++;
          g_unlink (leftover);
        }
    }

  /* No orphaned secret: each one belongs to a saved account. */
  for (guint i = 0; i < secrets->len; i++)
    if (od_account_store_lookup (store, g_ptr_array_index (secrets, i)) == NULL)
      g_error ("an orphaned secret: account “%s” is in the keyring but not in the file",
               (const char *)g_ptr_array_index (secrets, i));
  g_assert_cmpuint (secrets->len, <=, 1);

  account = od_account_store_find_by_address (store, USER);
  if (account == NULL)
    outcomes->nothing++;
  else if (secrets->len == 1)
    outcomes->saved++;
  else
    outcomes->no_secret++;
}

/* A run to the end: how long a setup takes here, and that it saves. */
static gint64
full_run (void)
{
  g_autoptr(GSubprocess) process = start_setup ();
  g_autoptr(GPtrArray) secrets = NULL;
  Run run = { process, FALSE };
  gint64 start = g_get_monotonic_time ();

  g_subprocess_wait_async (process, NULL, wait_cb, &run);
  while (!run.exited)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  secrets = secret_accounts ();
  g_assert_cmpuint (secrets->len, ==, 1);

  return (g_get_monotonic_time () - start) / 1000;
}

static void
kill_and_reap (GSubprocess *process,
               Run         *run)
{
  g_subprocess_force_exit (process);
  while (!run->exited)
    g_main_context_iteration (NULL, TRUE);
}

/* Starts a setup, kills it after @ms and checks what it left. */
static void
kill_after (double    ms,
            Outcomes *outcomes)
{
  g_autoptr(GSubprocess) process = start_setup ();
  Run run = { process, FALSE };

  g_subprocess_wait_async (process, NULL, wait_cb, &run);
  spin_for ((guint)ms);
  kill_and_reap (process, &run);
  check_saved_data (outcomes);
}

static void
test_kill_at_varying_moments (void)
{
  Outcomes outcomes = { 0 };
  gint64 duration;

  clear_everything ();
  duration = full_run ();
  g_test_message ("a whole setup takes %" G_GINT64_FORMAT " ms", duration);

  for (guint i = 0; i < N_TIMED; i++)
    {
      /* Every other run sets up a new account; the others update the saved one. */
      if (i % 2 == 0)
        clear_everything ();
      kill_after (duration * 1.2 * i / N_TIMED, &outcomes);
    }

  /* On a loaded machine one measured run says little about the next ones: when no kill fell
   * after the save, later moments follow until one does (the file and keyring checks apply
   * to every one of them). */
  for (guint extra = 1; outcomes.saved + outcomes.no_secret == 0 && extra <= N_EXTRA; extra++)
    {
      clear_everything ();
      kill_after (duration * (1.2 + extra), &outcomes);
      g_test_message ("a kill after %" G_GINT64_FORMAT " ms", (gint64)(duration * (1.2 + extra)));
    }

  g_test_message ("after %u kills: %u saved with password, %u without, %u nothing, "
                  "%u temporary files left", N_TIMED, outcomes.saved, outcomes.no_secret,
                  outcomes.nothing, outcomes.temp_files);
  /* The kills really fell on both sides of the save. */
  g_assert_cmpuint (outcomes.nothing, >, 0);
  g_assert_cmpuint (outcomes.saved + outcomes.no_secret, >, 0);
}

/* The narrow moment between the password reaching the keyring and the file being written. */
static void
test_kill_when_secret_appears (void)
{
  Outcomes outcomes = { 0 };

  for (guint i = 0; i < N_ON_SECRET; i++)
    {
      g_autoptr(GSubprocess) process = NULL;
      Run run = { NULL, FALSE };
      gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

      clear_everything ();
      process = start_setup ();
      run.process = process;
      g_subprocess_wait_async (process, NULL, wait_cb, &run);

      for (;;)
        {
          g_autoptr(GPtrArray) secrets = NULL;

          while (g_main_context_iteration (NULL, FALSE))
            ;
          secrets = secret_accounts ();
          if (secrets->len > 0 || run.exited)
            break;
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        }

      kill_and_reap (process, &run);
      check_saved_data (&outcomes);
    }

  g_test_message ("after %u kills: %u saved with password, %u without, %u nothing",
                  N_ON_SECRET, outcomes.saved, outcomes.no_secret, outcomes.nothing);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (g_strcmp0 (g_getenv ("OD_KEYRING_MODE"), "keyring") != 0)
    {
      g_test_skip ("needs tests/integration/keyring-session.sh keyring");
      return g_test_run ();
    }

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);
  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);

  server = od_fake_smtp_server_new ();
  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);
  g_assert_true (od_fake_smtp_server_start (server, &error));

  g_test_add_func ("/od/setup-kill/varying-moments", test_kill_at_varying_moments);
  g_test_add_func ("/od/setup-kill/when-secret-appears", test_kill_when_secret_appears);

  ret = g_test_run ();

  clear_everything ();
  od_fake_smtp_server_stop (server);
  g_clear_object (&server);
  od_test_certs_free (certs);

  return ret;
}
