/* test-concurrent-accounts.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* No change of the accounts is lost when several programs make them at once. For 20 s,
 * several `outbox-doctor-cli` processes run against our fake servers, each in a loop of its
 * own:
 *
 *   a       setup a@, accounts remove a, again and again; ends with a setup
 *   b       the same, ending with a remove
 *   c       check --account c, again and again (c is set up before)
 *   e, f    setup e1@, e2@, … and f1@, f2@, …: new accounts at the same time as the others
 *   slow    setup slow@ (a server that greets after 2 s), check --account slow, and
 *           while that check waits, accounts remove slow: the check's result must not bring
 *           the account back
 *
 * At the end the file holds exactly a, c and every e and f, each once; the keyring holds a
 * password for exactly those accounts (no orphan, none missing); and no command failed.
 * Runs inside keyring-session.sh (a private D-Bus session with gnome-keyring-daemon and a
 * throw-away $XDG_CONFIG_HOME). OD_CLI is the program. */

#include "config.h"

#include <string.h>

#include <libsecret/secret.h>

#include "od-account-store.h"
#include "od-fake-smtp-server.h"
#include "od-secret-store.h"
#include "od-test-certs.h"

#define PASSWORD     "Tr0ub4dor&3 horse"
#define RUN_SECONDS  20
#define SLOW_MS      2000

static OdTestCerts      *certs;
static OdFakeSmtpServer *fast;
static OdFakeSmtpServer *slow;

typedef struct _Worker Worker;

/* Returns the next command's arguments (after the program), or NULL when the worker is done. */
typedef GStrv (*NextCommand) (Worker *worker);

struct _Worker
{
  const char  *name;
  NextCommand  next;
  guint        step;
  gint64       until_us;
  gboolean     done;
  GPtrArray   *expected;     /* the worker's accounts that must be there at the end */
  guint        n_commands;
  GString     *failures;
};

static gboolean
running (Worker *worker)
{
  return g_get_monotonic_time () < worker->until_us;
}

static GStrv
setup_args (const char       *address,
            OdFakeSmtpServer *server)
{
  g_autofree char *port = g_strdup_printf ("%u", od_fake_smtp_server_get_port (server));
  const char *args[] = { "setup", address, "--host", "127.0.0.1", "--port", port,
                         "--security", "starttls", "--password-stdin", "--ca-file",
                         od_test_certs_get_ca_file (certs), "--json", NULL };

  return g_strdupv ((char **)args);
}

static GStrv
args_of (const char *first,
         ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  va_list args;

  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_strv_builder_add (builder, arg);
  va_end (args);

  return g_strv_builder_end (builder);
}

/* a and b: setup, remove, setup, …; a ends with a setup, b with a remove. */
static GStrv
next_setup_remove (Worker *worker)
{
  g_autofree char *address = g_strdup_printf ("%s@example.org", worker->name);
  g_autofree char *id = g_strdup_printf ("%s-example-org", worker->name);
  gboolean ends_present = g_str_equal (worker->name, "a");
  gboolean setup_now = worker->step % 2 == 0;

  if (!running (worker) && (setup_now != ends_present))
    {
      if (ends_present)
        g_ptr_array_add (worker->expected, g_strdup (id));
      return NULL;
    }

  worker->step++;
  if (setup_now)
    return setup_args (address, fast);
  return args_of ("accounts", "remove", id, "--json", NULL);
}

static GStrv
next_check (Worker *worker)
{
  if (!running (worker))
    return NULL;

  worker->step++;
  return args_of ("check", "--account", "c-example-org", "--ca-file",
                  od_test_certs_get_ca_file (certs), "--json", NULL);
}

/* e and f: a new account each time. */
static GStrv
next_new_account (Worker *worker)
{
  g_autofree char *address = NULL;

  if (!running (worker))
    return NULL;

  worker->step++;
  address = g_strdup_printf ("%s%u@example.org", worker->name, worker->step);
  g_ptr_array_add (worker->expected, g_strdup_printf ("%s%u-example-org", worker->name,
                                                      worker->step));
  return setup_args (address, fast);
}

/* ---- Running commands ------------------------------------------------------------------- */

typedef struct
{
  Worker *worker;
  GStrv   args;
} Command;

static void run_next (Worker *worker);

static GSubprocess *
spawn (GStrv     args,
       GError  **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  GSubprocess *process;

  g_ptr_array_add (argv, (char *)g_getenv ("OD_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, args[i]);
  g_ptr_array_add (argv, NULL);

  /* Only setup reads the password from standard input; the others may exit before a write
   * to a pipe they never read would end (EPIPE). */
  launcher = g_subprocess_launcher_new ((g_str_equal (args[0], "setup")
                                         ? G_SUBPROCESS_FLAGS_STDIN_PIPE
                                         : G_SUBPROCESS_FLAGS_STDIN_INHERIT) |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, error);
  return process;
}

static void
command_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Command *command = user_data;
  GSubprocess *process = G_SUBPROCESS (object);
  g_autoptr(GBytes) err_bytes = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_finish (process, result, NULL, &err_bytes, &error);
  g_assert_no_error (error);
  err = err_bytes ? g_strndup (g_bytes_get_data (err_bytes, NULL), g_bytes_get_size (err_bytes))
                  : NULL;

  command->worker->n_commands++;
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      g_autofree char *line = g_strjoinv (" ", command->args);

      g_string_append_printf (command->worker->failures, "%s: exit %d: %s\n%s\n",
                              command->worker->name,
                              g_subprocess_get_if_exited (process)
                                ? g_subprocess_get_exit_status (process) : -1,
                              line, err ? err : "");
    }

  run_next (command->worker);
  g_strfreev (command->args);
  g_free (command);
  g_object_unref (process);
}

static void
run_args (Worker *worker,
          GStrv   args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) input = g_bytes_new_static (PASSWORD "\n", strlen (PASSWORD) + 1);
  Command *command = g_new0 (Command, 1);
  GSubprocess *process = spawn (args, &error);

  g_assert_no_error (error);
  command->worker = worker;
  command->args = args;
  g_subprocess_communicate_async (process, g_str_equal (args[0], "setup") ? input : NULL, NULL,
                                  command_done_cb, command);
}

static void
run_next (Worker *worker)
{
  GStrv args;

  /* A worker without a loop runs its commands one by one itself (the slow one). */
  if (worker->next == NULL)
    return;

  args = worker->next (worker);

  if (args == NULL)
    {
      worker->done = TRUE;
      return;
    }

  run_args (worker, args);
}

/* ---- The slow account: a check's result against a removal --------------------------------- */

static gboolean
wait_for_commands (Worker  *worker,
                   guint    n)
{
  gint64 give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (worker->n_commands < n && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, TRUE);

  return worker->n_commands >= n;
}

/* One round: setup slow, then check it, and 1 s into the check (its server greets after 2 s)
 * remove the account. Run synchronously, one round after the other, while the other workers
 * run in the background. */
static void
run_slow_rounds (Worker *worker)
{
  while (running (worker))
    {
      guint before = worker->n_commands;
      gint64 until;

      run_args (worker, setup_args ("slow@example.org", slow));
      g_assert_true (wait_for_commands (worker, before + 1));

      run_args (worker, args_of ("check", "--account", "slow-example-org", "--ca-file",
                                 od_test_certs_get_ca_file (certs), "--json", NULL));
      until = g_get_monotonic_time () + 1000 * 1000;
      while (g_get_monotonic_time () < until)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (2000);
        }
      run_args (worker, args_of ("accounts", "remove", "slow-example-org", "--json", NULL));
      g_assert_true (wait_for_commands (worker, before + 3));
    }
  worker->done = TRUE;
}

/* ---- The test --------------------------------------------------------------------------- */

/* For g_ptr_array_sort(), which passes pointers to the elements. */
static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

static GPtrArray *
keyring_accounts (void)
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
  g_ptr_array_sort (ids, compare_ids);

  return ids;
}

static char *
join_sorted (GPtrArray *ids)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  for (guint i = 0; i < ids->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (ids, i));
  g_ptr_array_sort (sorted, compare_ids);
  g_ptr_array_add (sorted, NULL);

  return g_strjoinv (" ", (char **)sorted->pdata);
}

static void
test_concurrent_changes (void)
{
  Worker workers[] = {
    { "a", next_setup_remove },
    { "b", next_setup_remove },
    { "c", next_check },
    { "e", next_new_account },
    { "f", next_new_account },
  };
  Worker slow_worker = { "slow", NULL };
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(OdAccountStore) store = od_account_store_new (NULL);
  g_autoptr(GPtrArray) in_file = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) in_keyring = NULL;
  g_autoptr(GString) failures = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *file_ids = NULL;
  g_autofree char *keyring_ids = NULL;
  g_autofree char *expected_ids = NULL;
  gint64 until = g_get_monotonic_time () + RUN_SECONDS * G_USEC_PER_SEC;
  guint n_commands = 0;

  /* c exists before the checks start. */
  {
    Worker first = { "c", NULL };

    first.failures = failures;
    run_args (&first, setup_args ("c@example.org", fast));
    g_assert_true (wait_for_commands (&first, 1));
    g_ptr_array_add (expected, g_strdup ("c-example-org"));
  }

  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    {
      workers[i].until_us = until;
      workers[i].expected = expected;
      workers[i].failures = failures;
      run_next (&workers[i]);
    }
  slow_worker.until_us = until;
  slow_worker.failures = failures;
  run_slow_rounds (&slow_worker);

  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    {
      while (!workers[i].done)
        g_main_context_iteration (NULL, TRUE);
      g_test_message ("worker %s: %u commands", workers[i].name, workers[i].n_commands);
      n_commands += workers[i].n_commands;
    }
  g_test_message ("worker slow: %u commands; %u in all", slow_worker.n_commands,
                  n_commands + slow_worker.n_commands);

  if (failures->len > 0)
    g_error ("commands failed:\n%s", failures->str);

  /* The file: exactly the accounts that must be there. */
  g_assert_true (od_account_store_load (store, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(OdAccount) account = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_ptr_array_add (in_file, g_strdup (od_account_get_id (account)));
    }
  file_ids = join_sorted (in_file);
  expected_ids = join_sorted (expected);
  g_assert_cmpstr (file_ids, ==, expected_ids);

  /* The keyring: a password for each of them, and for nothing else. */
  in_keyring = keyring_accounts ();
  keyring_ids = join_sorted (in_keyring);
  g_assert_cmpstr (keyring_ids, ==, expected_ids);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  if (g_strcmp0 (g_getenv ("OD_KEYRING_MODE"), "keyring") != 0)
    {
      g_test_message ("Needs keyring-session.sh keyring");
      return 77;
    }

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);
  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);

  fast = od_fake_smtp_server_new ();
  slow = od_fake_smtp_server_new ();
  for (guint i = 0; i < 2; i++)
    {
      OdFakeSmtpServer *server = i == 0 ? fast : slow;

      od_fake_smtp_server_set_certificate (server, cert);
      od_fake_smtp_server_set_credentials (server, NULL, PASSWORD);
      od_fake_smtp_server_set_require_auth (server, TRUE);
      g_assert_true (od_fake_smtp_server_start (server, &error));
      g_assert_no_error (error);
    }
  od_fake_smtp_server_set_greeting_delay_ms (slow, SLOW_MS);

  g_test_add_func ("/od/accounts/concurrent-changes", test_concurrent_changes);
  status = g_test_run ();

  od_fake_smtp_server_stop (fast);
  od_fake_smtp_server_stop (slow);
  g_clear_object (&fast);
  g_clear_object (&slow);
  od_test_certs_free (certs);

  return status;
}
