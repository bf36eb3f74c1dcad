/* test-found-desktop-lab.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Accounts of GNOME Online Accounts and Evolution, found and checked where a person would
 * meet them. Run by test-found-desktop-interop.sh, which starts the Postfix lab (submission
 * with STARTTLS) and a Dovecot serving its maildir over IMAP (STARTTLS), then runs this
 * program through keyring-session.sh keyring (a private D-Bus session, a throw-away HOME, a
 * real gnome-keyring-daemon):
 *
 *   - GOA's accounts.conf and Evolution's sources get one account each for the lab's user,
 *     from the templates in tests/data/found/lab/, pointing at the lab's servers;
 *   - the lab's password is stored the way GOA (goa_utils_store_credentials_for_id_sync)
 *     and Evolution (e_secret_store_store_sync) store it;
 *   - the real goa-daemon and evolution-source-registry are started, and the test waits
 *     (bounded) until GOA has logged in to both servers with that password itself (the
 *     account needs no attention) and both accounts are found;
 *   - outbox-doctor-cli "accounts list --json" shows both with the right settings, and
 *     "check --account ORIGIN:ID --send-test" and "--incoming" pass for both, with the
 *     password from where each client keeps it; each test message arrives in the maildir;
 *   - the password is in no output of the CLI and no log of the daemons or servers.
 *
 * Environment (from the script): LAB_HOST, LAB_USER, LAB_PORT_STARTTLS, LAB_IMAP_PORT,
 * LAB_PASSWORD_FILE, LAB_CA_FILE, LAB_MAILDIR, LAB_MAILLOG, LAB_DOVECOT_LOG,
 * OD_LAB_INCOMING_LOG; from meson: OD_CLI, OD_SOURCE_ROOT, OD_TEST_OUTPUT_DIR. */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libedataserver/libedataserver.h>
G_GNUC_END_IGNORE_DEPRECATIONS

#include "od-found-evolution.h"
#include "od-found-goa.h"

#define GOA_DAEMON       "/usr/libexec/goa-daemon"
#define SOURCE_REGISTRY  "/usr/libexec/evolution-source-registry"

/* The ids in tests/data/found/lab/. */
#define GOA_ID           "account_1764000700_0"
#define EVO_ACCOUNT      "1764000800.4242.1@od-lab"
#define EVO_TRANSPORT    "1764000800.4242.3@od-lab"

#define NOTE_ATTENTION   "GNOME Online Accounts needs you to sign in to this account again: " \
                         "sign in again in Settings → Online Accounts."
#define NOTE_SSL         "GNOME Online Accounts accepts any certificate for this server; " \
                         "Outbox Doctor still checks it."
#define NOTE_SSL_IMAP    "GNOME Online Accounts accepts any certificate for the incoming " \
                         "server; Outbox Doctor still checks it."
#define NOTE_EVOLUTION   "Evolution sends mail through this account too."

#define TEST_SUBJECT     "Subject: Outbox Doctor test message"

static const SecretSchema goa_schema = {
  "org.gnome.OnlineAccounts", SECRET_SCHEMA_DONT_MATCH_NAME,
  { { "goa-identity", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

typedef struct
{
  const char *host;
  const char *user;
  const char *ca_file;
  const char *maildir;
  const char *cli;
  const char *source_root;
  char       *out;
  char       *password;
  guint16     smtp_port;
  guint16     imap_port;
} Lab;

static Lab lab;
static GPid daemons[2];

/* The lab ------------------------------------------------------------------------------- */

static const char *
need_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || value[0] == '\0')
    {
      g_print ("Bail out! %s is not set: run through test-found-desktop-interop.sh\n", name);
      exit (1);
    }
  return value;
}

static guint16
need_port (const char *name)
{
  guint64 port = 0;

  if (!g_ascii_string_to_unsigned (need_env (name), 10, 1, 65535, &port, NULL))
    {
      g_print ("Bail out! %s is not a port\n", name);
      exit (1);
    }
  return port;
}

static void
lab_load (void)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  lab.host = need_env ("LAB_HOST");
  lab.user = need_env ("LAB_USER");
  lab.ca_file = need_env ("LAB_CA_FILE");
  lab.maildir = need_env ("LAB_MAILDIR");
  lab.cli = need_env ("OD_CLI");
  lab.source_root = need_env ("OD_SOURCE_ROOT");
  lab.smtp_port = need_port ("LAB_PORT_STARTTLS");
  lab.imap_port = need_port ("LAB_IMAP_PORT");
  lab.out = g_build_filename (need_env ("OD_TEST_OUTPUT_DIR"), NULL);
  g_assert_cmpint (g_mkdir_with_parents (lab.out, 0700), ==, 0);

  /* The first line of the file: never on a command line, never printed. */
  if (!g_file_get_contents (need_env ("LAB_PASSWORD_FILE"), &contents, NULL, &error))
    {
      g_print ("Bail out! the lab's password file cannot be read: %s\n", error->message);
      exit (1);
    }
  contents[strcspn (contents, "\r\n")] = '\0';
  g_assert_cmpuint (strlen (contents), >, 0);
  lab.password = g_steal_pointer (&contents);
}

/* @template with the lab's settings in place of its placeholders, written to @to. */
static void
seed_template (const char *from,
               const char *to)
{
  g_autofree char *contents = NULL;
  g_autofree char *smtp_port = g_strdup_printf ("%u", lab.smtp_port);
  g_autofree char *imap_port = g_strdup_printf ("%u", lab.imap_port);
  g_autoptr(GString) text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (from, &contents, NULL, &error));
  g_assert_no_error (error);
  text = g_string_new (contents);
  g_string_replace (text, "@HOST@", lab.host, 0);
  g_string_replace (text, "@USER@", lab.user, 0);
  g_string_replace (text, "@SMTP_PORT@", smtp_port, 0);
  g_string_replace (text, "@IMAP_PORT@", imap_port, 0);
  g_assert_true (g_file_set_contents (to, text->str, text->len, &error));
  g_assert_no_error (error);
}

static void
seed_files (void)
{
  g_autofree char *data = g_build_filename (lab.source_root, "tests", "data", "found", "lab",
                                            NULL);
  g_autofree char *goa_dir = g_build_filename (g_get_user_config_dir (), "goa-1.0", NULL);
  g_autofree char *evo_dir = g_build_filename (g_get_user_config_dir (), "evolution",
                                               "sources", NULL);
  g_autofree char *goa_from = g_build_filename (data, "goa", "accounts.conf", NULL);
  g_autofree char *goa_to = g_build_filename (goa_dir, "accounts.conf", NULL);
  g_autofree char *sources = g_build_filename (data, "evolution", "sources", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n = 0;

  g_assert_cmpint (g_mkdir_with_parents (goa_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (evo_dir, 0700), ==, 0);
  seed_template (goa_from, goa_to);

  dir = g_dir_open (sources, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *from = g_build_filename (sources, name, NULL);
      g_autofree char *to = g_build_filename (evo_dir, name, NULL);

      seed_template (from, to);
      n++;
    }
  g_assert_cmpuint (n, ==, 3);
}

static void
seed_secrets (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *credentials = NULL;
  g_autoptr(GVariant) value = NULL;
  GVariantBuilder builder;

  /* As goa_utils_store_credentials_for_id_sync(): the printed a{sv} under
   * "PROVIDER:genN:ID" (imap_smtp is at generation 0). */
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "imap-password", g_variant_new_string (lab.password));
  g_variant_builder_add (&builder, "{sv}", "smtp-password", g_variant_new_string (lab.password));
  value = g_variant_ref_sink (g_variant_builder_end (&builder));
  credentials = g_variant_print (value, TRUE);
  g_assert_true (secret_password_store_sync (&goa_schema, SECRET_COLLECTION_DEFAULT,
                                             "GOA imap_smtp credentials for identity " GOA_ID,
                                             credentials, NULL, &error,
                                             "goa-identity", "imap_smtp:gen0:" GOA_ID, NULL));
  g_assert_no_error (error);
  memset (credentials, 0, strlen (credentials));

  /* As Evolution does: the transport's and the mail account's, each under its uid. */
  g_assert_true (e_secret_store_store_sync (EVO_TRANSPORT, lab.password, "lab smtp", TRUE,
                                            NULL, &error));
  g_assert_no_error (error);
  g_assert_true (e_secret_store_store_sync (EVO_ACCOUNT, lab.password, "lab imap", TRUE,
                                            NULL, &error));
  g_assert_no_error (error);
}

/* The daemons --------------------------------------------------------------------------- */

static GPid
start_daemon (const char *program,
              const char *arg,
              const char *log_name)
{
  g_autofree char *log = g_build_filename (lab.out, log_name, NULL);
  const char *argv[] = { program, arg, NULL };
  g_auto(GStrv) envp = g_environ_unsetenv (g_get_environ (), "G_DEBUG");
  g_autoptr(GError) error = NULL;
  int fd = g_open (log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  GPid pid = 0;

  g_assert_cmpint (fd, >=, 0);
  g_assert_true (g_spawn_async_with_fds (NULL, (char **)argv, envp, G_SPAWN_DO_NOT_REAP_CHILD,
                                         NULL, NULL, &pid, -1, fd, fd, &error));
  g_assert_no_error (error);
  close (fd);
  return pid;
}

static void
stop_daemons (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (daemons); i++)
    if (daemons[i] > 0)
      {
        kill (daemons[i], SIGTERM);
        waitpid (daemons[i], NULL, 0);
        g_spawn_close_pid (daemons[i]);
        daemons[i] = 0;
      }
}

static OdFoundAccount *
find (GPtrArray  *found,
      const char *id)
{
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (od_found_account_get_id (g_ptr_array_index (found, i)), id) == 0)
      return g_ptr_array_index (found, i);
  return NULL;
}

static gboolean
log_contains (const char *env_name,
              const char *needle)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (need_env (env_name), &contents, NULL, NULL) &&
         strstr (contents, needle) != NULL;
}

/* Whether both accounts are found as a person would meet them: GOA has logged in to both
 * lab servers with the stored password (goa-daemon checks an account's credentials when it
 * starts; nothing else has logged in yet) and so needs no attention, EDS has made its
 * sources for the GOA account, and Evolution's account is there. @state says what is still
 * missing. */
static gboolean
ready (const char **state)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *imap_login = g_strconcat ("Login: user=<", lab.user, ">", NULL);
  OdFoundContext context = { g_get_home_dir (), g_get_user_config_dir (), NULL };
  OdFoundAccount *goa;
  const char * const *notes;

  *state = "goa-daemon has not logged in to the lab's IMAP server";
  if (!log_contains ("OD_LAB_INCOMING_LOG", imap_login))
    return FALSE;
  *state = "goa-daemon has not logged in to the lab's submission server";
  /* Postfix counts a successful AUTH as "auth=1", a failed one as "auth=0/1". */
  if (!log_contains ("LAB_MAILLOG", " auth=1 "))
    return FALSE;
  *state = "GNOME Online Accounts cannot be read";
  if (!od_found_read_goa (&context, found, NULL))
    return FALSE;
  *state = "Evolution's registry cannot be read";
  if (!od_found_read_evolution (&context, found, NULL))
    return FALSE;
  *state = "GOA's account is not found";
  if ((goa = find (found, "goa:" GOA_ID)) == NULL)
    return FALSE;
  notes = od_found_account_get_notes (goa);
  *state = "GOA's account needs attention";
  if (g_strv_contains (notes, NOTE_ATTENTION))
    return FALSE;
  *state = "EDS has not made its sources for the GOA account yet";
  if (!g_strv_contains (notes, NOTE_EVOLUTION))
    return FALSE;
  *state = "Evolution's account is not found";
  return find (found, "evolution:" EVO_ACCOUNT) != NULL;
}

static gboolean
start_daemons (void)
{
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + 60 * G_USEC_PER_SEC;
  const char *state = NULL;

  daemons[0] = start_daemon (GOA_DAEMON, "--replace", "goa-daemon.log");
  daemons[1] = start_daemon (SOURCE_REGISTRY, NULL, "source-registry.log");
  while (!ready (&state))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_print ("Bail out! after 60 s: %s (see goa-daemon.log and source-registry.log in "
                   "%s)\n", state, lab.out);
          return FALSE;
        }
      g_usleep (G_USEC_PER_SEC / 4);
    }
  g_print ("# both accounts found after %" G_GINT64_FORMAT " ms\n",
           (g_get_monotonic_time () - start) / 1000);
  return TRUE;
}

/* The command line ---------------------------------------------------------------------- */

typedef struct
{
  int        status;
  char      *out;
  char      *err;
  JsonNode  *root;
} CliRun;

static void
cli_run_clear (CliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  g_clear_pointer (&run->root, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliRun, cli_run_clear)

/* The password in @contents, in plain text or base64, alone or as the AUTH PLAIN blob. */
static void
assert_no_password (const char *contents)
{
  gsize blob_len = strlen (lab.user) + strlen (lab.password) + 2;
  g_autofree char *blob = g_strdup_printf ("%c%s%c%s", 0, lab.user, 0, lab.password);
  g_autofree char *blob_b64 = g_base64_encode ((const guchar *)blob, blob_len);
  g_autofree char *plain_b64 = g_base64_encode ((const guchar *)lab.password,
                                                strlen (lab.password));

  memset (blob, 0, blob_len);
  g_assert_null (strstr (contents, lab.password));
  g_assert_null (strstr (contents, plain_b64));
  g_assert_null (strstr (contents, blob_b64));
}

/* outbox-doctor-cli with @args, standard input /dev/null (nothing to read a password from),
 * its output kept in NAME.json and NAME.err; the output is JSON. */
static void
cli_run (CliRun             *run,
         const char         *name,
         const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out_path = g_strconcat (lab.out, G_DIR_SEPARATOR_S, name, ".json", NULL);
  g_autofree char *err_path = g_strconcat (lab.out, G_DIR_SEPARATOR_S, name, ".err", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;
  gint64 start = g_get_monotonic_time ();

  g_ptr_array_add (argv, (char *)lab.cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)args[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &run->out, &run->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
  g_assert_true (g_file_set_contents (out_path, run->out, -1, NULL));
  g_assert_true (g_file_set_contents (err_path, run->err, -1, NULL));
  g_test_message ("%s: exit status %d after %" G_GINT64_FORMAT " ms", name, run->status,
                  (g_get_monotonic_time () - start) / 1000);

  /* Checked before anything of the output is printed by an assertion. */
  assert_no_password (run->out);
  assert_no_password (run->err);

  g_assert_true (json_parser_load_from_data (parser, run->out, -1, &error));
  g_assert_no_error (error);
  run->root = json_parser_steal_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (run->root));
}

static JsonObject *
find_json_account (JsonArray  *found,
                   const char *id)
{
  for (guint i = 0; i < json_array_get_length (found); i++)
    {
      JsonObject *account = json_array_get_object_element (found, i);

      if (g_strcmp0 (json_object_get_string_member (account, "id"), id) == 0)
        return account;
    }
  return NULL;
}

/* The account's notes are @expected, and @optional after them or not. */
static void
assert_notes (JsonObject         *account,
              const char * const *expected,
              const char         *optional)
{
  JsonArray *notes = json_object_get_array_member (account, "notes");
  guint n = g_strv_length ((char **)expected);
  guint length = json_array_get_length (notes);

  for (guint i = 0; i < length; i++)
    g_test_message ("%s note: %s", json_object_get_string_member (account, "id"),
                    json_array_get_string_element (notes, i));
  g_assert_true (length == n || (optional != NULL && length == n + 1));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_cmpstr (json_array_get_string_element (notes, i), ==, expected[i]);
  if (length > n)
    g_assert_cmpstr (json_array_get_string_element (notes, n), ==, optional);
}

/* The settings both clients keep for the lab's user: sending on the lab's submission port,
 * receiving over IMAP, both with STARTTLS, the address as the user name. */
static void
assert_lab_settings (JsonObject *account,
                     const char *origin,
                     const char *secret)
{
  JsonObject *incoming = json_object_get_object_member (account, "incoming");

  g_assert_cmpstr (json_object_get_string_member (account, "origin"), ==, origin);
  g_assert_cmpstr (json_object_get_string_member (account, "secret"), ==, secret);
  g_assert_cmpstr (json_object_get_string_member (account, "address"), ==, lab.user);
  g_assert_cmpstr (json_object_get_string_member (account, "host"), ==, lab.host);
  g_assert_cmpint (json_object_get_int_member (account, "port"), ==, lab.smtp_port);
  g_assert_cmpstr (json_object_get_string_member (account, "security"), ==, "starttls");
  g_assert_cmpstr (json_object_get_string_member (account, "username"), ==, lab.user);
  g_assert_cmpstr (json_object_get_string_member (account, "auth_mechanism"), ==, "PLAIN");

  g_assert_nonnull (incoming);
  g_assert_cmpstr (json_object_get_string_member (incoming, "protocol"), ==, "imap");
  g_assert_cmpstr (json_object_get_string_member (incoming, "host"), ==, lab.host);
  g_assert_cmpint (json_object_get_int_member (incoming, "port"), ==, lab.imap_port);
  g_assert_cmpstr (json_object_get_string_member (incoming, "security"), ==, "starttls");
  g_assert_cmpstr (json_object_get_string_member (incoming, "username"), ==, lab.user);
}

static void
test_list (void)
{
  static const char * const args[] = { "accounts", "list", "--json", NULL };
  static const char * const goa_notes[] = { NOTE_SSL, NOTE_SSL_IMAP, NOTE_EVOLUTION, NULL };
  static const char * const no_notes[] = { NULL };
  g_auto(CliRun) run = { 0 };
  g_autofree char *transport_path = g_build_filename (g_get_user_config_dir (), "evolution",
                                                      "sources", EVO_TRANSPORT ".source",
                                                      NULL);
  JsonObject *root;
  JsonArray *found;
  JsonArray *clients;
  JsonObject *goa;
  JsonObject *evolution;
  guint n_desktop = 0;

  cli_run (&run, "accounts-list", args);
  g_assert_cmpint (run.status, ==, 0);
  root = json_node_get_object (run.root);
  found = json_object_get_array_member (root, "found");

  goa = find_json_account (found, "goa:" GOA_ID);
  g_assert_nonnull (goa);
  assert_lab_settings (goa, "goa", "goa");
  g_assert_cmpstr (json_object_get_string_member (goa, "name"), ==, "Tess Lab (GOA)");
  g_assert_cmpstr (json_object_get_string_member (goa, "source_path"), ==,
                   "/org/gnome/OnlineAccounts/Accounts/" GOA_ID);
  /* GOA logged in with the stored password: no note that it needs attention. Evolution's
   * note on the account EDS made for it arrives although the readers run apart (the search
   * moves it onto GOA's account). */
  assert_notes (goa, goa_notes, NULL);

  evolution = find_json_account (found, "evolution:" EVO_ACCOUNT);
  g_assert_nonnull (evolution);
  assert_lab_settings (evolution, "evolution", "keyring");
  g_assert_cmpstr (json_object_get_string_member (evolution, "name"), ==,
                   "Tess Lab (Evolution)");
  g_assert_cmpstr (json_object_get_string_member (evolution, "source_path"), ==,
                   transport_path);
  assert_notes (evolution, no_notes, NULL);

  /* Both clients were read without an error. */
  clients = json_object_get_array_member (root, "clients");
  for (guint i = 0; i < json_array_get_length (clients); i++)
    {
      JsonObject *client = json_array_get_object_element (clients, i);
      const char *origin = json_object_get_string_member (client, "origin");

      if (!g_str_equal (origin, "goa") && !g_str_equal (origin, "evolution"))
        continue;
      g_assert_true (json_object_get_null_member (client, "error"));
      n_desktop++;
    }
  g_assert_cmpuint (n_desktop, ==, 2);
}

/* How many test messages of ours the lab's maildir holds (new and cur). */
static guint
count_test_messages (void)
{
  static const char * const subdirs[] = { "new", "cur" };
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (lab.maildir, subdirs[i], NULL);
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file = g_build_filename (path, name, NULL);
          g_autofree char *contents = NULL;

          if (g_file_get_contents (file, &contents, NULL, NULL) &&
              strstr (contents, TEST_SUBJECT) != NULL)
            n++;
        }
    }
  return n;
}

/* check --account ID: everything passes, with the account's settings as the client keeps
 * them and its password from where the client keeps it. */
static void
check_account (const char *name,
               const char *id,
               gboolean    incoming)
{
  const char *args[] = { "check", "--account", id, "--json", "--ca-file", lab.ca_file,
                         "--timeout", "90", incoming ? "--incoming" : "--send-test", NULL };
  g_auto(CliRun) run = { 0 };
  JsonObject *root;
  JsonObject *server;
  JsonArray *steps;
  guint before = incoming ? 0 : count_test_messages ();
  gint64 deadline;

  cli_run (&run, name, args);
  root = json_node_get_object (run.root);
  steps = json_object_get_array_member (root, "steps");
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);

      g_test_message ("%s: %s", json_object_get_string_member (step, "id"),
                      json_object_get_string_member (step, "status"));
    }
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (root, "verdict"), ==, "pass");
  g_assert_cmpstr (json_object_get_string_member (root, "protocol"), ==,
                   incoming ? "imap" : "smtp");
  g_assert_cmpuint (json_array_get_length (steps), ==, incoming ? 8 : 10);
  for (guint i = 0; i < json_array_get_length (steps); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (steps, i),
                                                    "status"), ==, "pass");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "problems")),
                    ==, 0);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (root, "tls"),
                                                 "verified"));

  server = json_object_get_object_member (root, "server");
  g_assert_cmpstr (json_object_get_string_member (server, "host"), ==, lab.host);
  g_assert_cmpint (json_object_get_int_member (server, "port"), ==,
                   incoming ? lab.imap_port : lab.smtp_port);
  g_assert_cmpstr (json_object_get_string_member (server, "security"), ==, "starttls");
  g_assert_cmpstr (json_object_get_string_member (server, "username"), ==, lab.user);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root,
                                                                                  "found_account"),
                                                  "id"), ==, id);
  if (incoming)
    {
      g_assert_true (json_object_has_member (json_object_get_object_member (root, "mailbox"),
                                             "messages"));
      return;
    }

  /* Postfix delivered the test message into the maildir Dovecot serves. */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (count_test_messages () < before + 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 10);
    }
}

static void
test_goa_send (void)
{
  check_account ("check-goa-send-test", "goa:" GOA_ID, FALSE);
}

static void
test_goa_incoming (void)
{
  check_account ("check-goa-incoming", "goa:" GOA_ID, TRUE);
}

static void
test_evolution_send (void)
{
  check_account ("check-evolution-send-test", "evolution:" EVO_ACCOUNT, FALSE);
}

static void
test_evolution_incoming (void)
{
  check_account ("check-evolution-incoming", "evolution:" EVO_ACCOUNT, TRUE);
}

/* ... in the file @path names, or in every file of the directory it names. */
static void
assert_no_password_in (const char *path)
{
  g_autofree char *contents = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          assert_no_password_in (child);
        }
      return;
    }
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return;
  g_test_message ("scanned %s", path);
  assert_no_password (contents);
}

static void
test_no_password (void)
{
  static const char * const logs[] = { "LAB_MAILLOG", "LAB_DOVECOT_LOG", "OD_LAB_INCOMING_LOG" };
  g_autofree char *keyring_log = g_build_filename (need_env ("OD_KEYRING_TMP"), "daemon.log",
                                                   NULL);

  /* The CLI's outputs, goa-daemon's and evolution-source-registry's logs. */
  assert_no_password_in (lab.out);
  assert_no_password_in (keyring_log);
  for (guint i = 0; i < G_N_ELEMENTS (logs); i++)
    assert_no_password_in (need_env (logs[i]));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!g_file_test (GOA_DAEMON, G_FILE_TEST_IS_EXECUTABLE) ||
      !g_file_test (SOURCE_REGISTRY, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_print ("1..0 # SKIP goa-daemon or evolution-source-registry is not installed "
               "(packages gnome-online-accounts, evolution-data-server)\n");
      return 0;
    }
  if (g_strcmp0 (g_getenv ("OD_KEYRING_MODE"), "keyring") != 0)
    {
      g_print ("Bail out! run through keyring-session.sh keyring\n");
      return 1;
    }

  g_test_init (&argc, &argv, NULL);
  lab_load ();

  /* In this order: the list, each client's checks, then the logs they all left. */
  g_test_add_func ("/od/found-desktop-lab/accounts-list", test_list);
  g_test_add_func ("/od/found-desktop-lab/goa-send-test", test_goa_send);
  g_test_add_func ("/od/found-desktop-lab/goa-incoming", test_goa_incoming);
  g_test_add_func ("/od/found-desktop-lab/evolution-send-test", test_evolution_send);
  g_test_add_func ("/od/found-desktop-lab/evolution-incoming", test_evolution_incoming);
  g_test_add_func ("/od/found-desktop-lab/no-password", test_no_password);

  seed_files ();
  seed_secrets ();
  if (!start_daemons ())
    {
      stop_daemons ();
      return 1;
    }

  status = g_test_run ();
  stop_daemons ();
  memset (lab.password, 0, strlen (lab.password));
  g_free (lab.password);
  g_free (lab.out);
  return status;
}
