/* test-cli-scenarios.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* outbox-doctor-cli check against our fake server, as a user or a script runs it: exit status,
 * JSON, and that the password shows nowhere — not in the output, and not on the command line
 * or in the environment of any of our processes while a check runs (/proc/PID/cmdline and
 * environ).
 *
 * OD_CLI is the program; OD_CLI_WRAPPER, if set, is put in front of it (build-aux/test.sh runs
 * this test once with valgrind memcheck there). */

#include "config.h"

#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "od-fake-imap-server.h"
#include "od-fake-pop3-server.h"
#include "od-fake-smtp-server.h"
#include "od-test-certs.h"
#include "od-test-discovery.h"

/* Also in tests/data/test-passwords.tsv, so the final secret scan looks for it. */
#define USER     "user@example.org"
#define PASSWORD "Tr0ub4dor&3 horse"

static OdTestCerts *certs;

typedef struct
{
  GSubprocess *process;
  char        *out;
  char        *err;
  gboolean     communicated;
  gboolean     exited;
} Cli;

static void
cli_free (Cli *cli)
{
  g_clear_object (&cli->process);
  g_free (cli->out);
  g_free (cli->err);
  g_free (cli);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Cli, cli_free)

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &cli->out, &cli->err,
                                        &error);
  g_assert_no_error (error);
  cli->communicated = TRUE;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, &error);
  g_assert_no_error (error);
  cli->exited = TRUE;
}

/* Where the CLI keeps its settings during tests: under the test output, so the secret scan
 * looks there too. */
static char *
config_home (void)
{
  const char *out = g_getenv ("OD_TEST_OUTPUT_DIR");
  char *dir = g_build_filename (out ? out : g_get_tmp_dir (), "cli-scenarios", "config", NULL);

  g_mkdir_with_parents (dir, 0700);
  return dir;
}

/* Starts the CLI with @args after "check"; @stdin_text goes to its standard input. The fake
 * servers run on this thread's main context: spin it until the CLI has exited. */
static Cli *
cli_start (const char * const *args,
           const char         *stdin_text)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *config = config_home ();
  const char *wrapper = g_getenv ("OD_CLI_WRAPPER");
  const char *cli_path = g_getenv ("OD_CLI");
  Cli *cli = g_new0 (Cli, 1);

  g_assert_nonnull (cli_path);

  if (wrapper != NULL && wrapper[0] != '\0')
    {
      g_auto(GStrv) words = NULL;

      g_assert_true (g_shell_parse_argv (wrapper, NULL, &words, &error));
      g_assert_no_error (error);
      for (guint i = 0; words[i] != NULL; i++)
        g_ptr_array_add (argv, g_strdup (words[i]));
    }

  g_ptr_array_add (argv, g_strdup (cli_path));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_SLICE", "always-malloc", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");

  cli->process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata,
                                               &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (cli->process, stdin_text ? stdin_text : "", NULL,
                                       communicate_cb, cli);
  g_subprocess_wait_async (cli->process, NULL, wait_cb, cli);

  return cli;
}

static int
cli_finish (Cli *cli)
{
  while (!cli->communicated || !cli->exited)
    g_main_context_iteration (NULL, TRUE);

  if (g_test_verbose () || g_subprocess_get_exit_status (cli->process) > 3)
    g_test_message ("stdout:\n%s\nstderr:\n%s", cli->out, cli->err);

  g_assert_true (g_subprocess_get_if_exited (cli->process));
  return g_subprocess_get_exit_status (cli->process);
}

static void
assert_no_secret (const char *text,
                  gsize       len)
{
  g_autofree char *b64 = g_base64_encode ((const guchar *)PASSWORD, strlen (PASSWORD));
  g_autofree char *blob = NULL;
  g_autofree char *blob64 = NULL;
  gsize blob_len;

  blob = g_strdup_printf ("%c%s%c%s", 1, USER, 1, PASSWORD);
  blob_len = strlen (blob);
  blob[0] = blob[strlen (USER) + 1] = '\0';
  blob64 = g_base64_encode ((const guchar *)blob, blob_len);

  g_assert_null (g_strstr_len (text, len, PASSWORD));
  g_assert_null (g_strstr_len (text, len, b64));
  g_assert_null (g_strstr_len (text, len, blob64));
}

/* Keeps the output where tests/check-no-secrets.sh scans after the suite. */
static void
save_output (Cli *cli)
{
  const char *out = g_getenv ("OD_TEST_OUTPUT_DIR");
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  if (out == NULL)
    return;

  dir = g_build_filename (out, "cli-scenarios", NULL);
  g_mkdir_with_parents (dir, 0700);
  name = g_strdelimit (g_strdup (g_test_get_path ()), "/", '_');
  path = g_strdup_printf ("%s/%s.out", dir, name);
  g_assert_true (g_file_set_contents (path, cli->out, -1, NULL));
  g_free (path);
  path = g_strdup_printf ("%s/%s.err", dir, name);
  g_assert_true (g_file_set_contents (path, cli->err, -1, NULL));
}

typedef struct
{
  const char        *path;
  /* The server */
  gboolean           implicit_tls;
  const char        *cert_kind;
  const char        *command;
  const char        *reply;
  const char        *injection;
  OdFakeSmtpHostile  hostile;
  /* The client */
  const char        *security;
  const char        *password;      /* NULL: the right one */
  gboolean           send_test;
  gboolean           json;
  /* What must come out */
  int                exit_status;
  const char        *problem_id;    /* the first problem, NULL: none */
} CliScenario;

static OdFakeSmtpServer *
start_server (const CliScenario *s)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = od_test_certs_load (certs, s->cert_kind ? s->cert_kind : OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);
  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_implicit_tls (server, s->implicit_tls);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);
  od_fake_smtp_server_set_hostile (server, s->hostile);
  if (s->command != NULL)
    od_fake_smtp_server_set_reply (server, s->command, s->reply);
  if (s->injection != NULL)
    od_fake_smtp_server_set_starttls_injection (server, s->injection);

  g_assert_true (od_fake_smtp_server_start (server, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&server);
}

static void
test_cli_scenario (gconstpointer data)
{
  const CliScenario *s = data;
  g_autoptr(OdFakeSmtpServer) server = start_server (s);
  g_autofree char *port = g_strdup_printf ("%u", od_fake_smtp_server_get_port (server));
  g_autofree char *input = g_strdup_printf ("%s\n", s->password ? s->password : PASSWORD);
  const char *args[] = { "check", "--address", USER, "--host", "localhost", "--port", port,
                         "--security", s->security, "--password-stdin",
                         "--ca-file", od_test_certs_get_ca_file (certs), "--timeout", "60",
                         s->json ? "--json" : "--verbose",
                         s->send_test ? "--send-test" : NULL, NULL };
  g_autoptr(Cli) cli = cli_start (args, input);
  int status = cli_finish (cli);

  save_output (cli);
  g_assert_cmpint (status, ==, s->exit_status);
  assert_no_secret (cli->out, strlen (cli->out));
  assert_no_secret (cli->err, strlen (cli->err));

  if (s->json)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *root;
      JsonArray *problems;

      json_parser_load_from_data (parser, cli->out, -1, &error);
      g_assert_no_error (error);
      root = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpint (json_object_get_int_member (root, "schema"), ==, 1);
      problems = json_object_get_array_member (root, "problems");

      if (s->problem_id == NULL)
        g_assert_cmpuint (json_array_get_length (problems), ==, 0);
      else
        {
          g_assert_cmpuint (json_array_get_length (problems), >=, 1);
          g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (problems, 0), "id"),
                           ==, s->problem_id);
        }
    }
  else
    {
      /* People get lights, not ids; --verbose adds the conversation, password removed. */
      g_assert_true ((strstr (cli->out, "[FAIL]") != NULL) == (s->problem_id != NULL));
      g_assert_nonnull (strstr (cli->out, "S<"));
      if (strstr (cli->out, "AUTH") != NULL)
        g_assert_nonnull (strstr (cli->out, "AUTH PLAIN ********"));
    }

  if (s->send_test && s->exit_status == 0)
    g_assert_cmpuint (od_fake_smtp_server_get_n_messages (server), ==, 1);

  od_fake_smtp_server_stop (server);
}

static const CliScenario scenarios[] = {
  { "/od/cli/send-test-starttls", .security = "starttls", .send_test = TRUE, .json = TRUE,
    .exit_status = 0 },
  { "/od/cli/envelope-implicit-tls-verbose", .implicit_tls = TRUE, .security = "tls",
    .exit_status = 0 },
  { "/od/cli/wrong-password", .security = "starttls", .password = "not the password",
    .json = TRUE, .exit_status = 1, .problem_id = "auth-failed" },
  { "/od/cli/app-password-required", .security = "starttls", .json = TRUE,
    .command = "AUTH", .reply = "534-5.7.9 Application-specific password required.\r\n"
                                "534 5.7.9 https://support.example.org/app-passwords",
    .exit_status = 1, .problem_id = "auth-app-password-required" },
  { "/od/cli/starttls-injection", .security = "starttls", .json = TRUE,
    .injection = "250-injected\r\n250 AUTH PLAIN\r\n",
    .exit_status = 1, .problem_id = "starttls-failed" },
  { "/od/cli/self-signed", .implicit_tls = TRUE, .cert_kind = OD_TEST_CERT_SELF_SIGNED,
    .security = "tls", .json = TRUE, .exit_status = 1, .problem_id = "tls-certificate-untrusted" },
  { "/od/cli/endless-reply", .security = "starttls", .hostile = OD_FAKE_SMTP_HOSTILE_ENDLESS_REPLY,
    .json = TRUE, .exit_status = 1, .problem_id = "protocol-error" },
  { "/od/cli/binary-greeting", .security = "starttls", .hostile = OD_FAKE_SMTP_HOSTILE_BINARY,
    .exit_status = 1, .problem_id = "protocol-error" },
  { "/od/cli/recipient-rejected", .security = "starttls", .json = TRUE,
    .command = "RCPT", .reply = "550 5.1.1 <user@example.org>: Recipient address rejected",
    .exit_status = 1, .problem_id = "recipient-rejected" },
};

static void
test_cli_bad_usage (void)
{
  /* A password is never taken as an argument. */
  const char *args[] = { "check", "--address", USER, "--host", "localhost",
                         "--password", PASSWORD, NULL };
  g_autoptr(Cli) cli = cli_start (args, NULL);

  g_assert_cmpint (cli_finish (cli), ==, 2);
  assert_no_secret (cli->out, strlen (cli->out));
}

static void
test_cli_empty_stdin (void)
{
  const char *args[] = { "check", "--address", USER, "--host", "localhost",
                         "--password-stdin", NULL };
  g_autoptr(Cli) cli = cli_start (args, "");

  g_assert_cmpint (cli_finish (cli), ==, 2);
}

/* What may reach a terminal: valid UTF-8 with no control character but line feeds and tabs,
 * so no ESC, BEL, DEL or C1 control such as U+009B CSI, and no invisible formatting such as
 * the bidirectional override U+202E. */
static void
assert_no_control_characters (const char *text)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f) ||
          g_unichar_type (c) == G_UNICODE_FORMAT)
        g_error ("Control character U+%04X at byte %" G_GSIZE_FORMAT " of the output",
                 c, (gsize) (p - text));
    }
}

/* accounts.ini is a file a person (or another program) can edit: what it holds is shown
 * without control characters, and with bidirectional controls escaped. */
static void
test_cli_hostile_account_file (void)
{
  const char *list[] = { "accounts", "list", NULL };
  const char *show[] = { "accounts", "show", "evil", NULL };
  g_autofree char *config = config_home ();
  g_autofree char *dir = g_build_filename (config, "outbox-doctor", NULL);
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autoptr(GError) error = NULL;
  const char *file =
    "[Outbox Doctor]\nversion=1\n\n"
    "[Account evil]\n"
    "name=Evil \x1b]0;pwned\x07\x1b[2J Corp\n"
    "address=alice@example.org\n"
    "smtp-host=smtp.example.org\nsmtp-port=587\nsmtp-security=starttls\n"
    "smtp-user=alice\xe2\x80\xae" "gro.elpmaxe\n"
    "smtp-auth=PLAIN\nsource=manual\n"
    "last-check-result=fail\nlast-check-problem=auth\x1b[31m-failed\n";

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents_full (path, file, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(Cli) cli = cli_start (i == 0 ? list : show, NULL);

      g_assert_cmpint (cli_finish (cli), ==, 0);
      g_test_message ("%s", cli->out);
      assert_no_control_characters (cli->out);
      assert_no_control_characters (cli->err);
      g_assert_nonnull (strstr (cli->out, i == 0 ? "auth?[31m-failed" : "Evil ?]0;pwned??[2J Corp"));
      if (i == 1)
        g_assert_nonnull (strstr (cli->out, "alice\\u202Egro.elpmaxe"));
    }

  g_unlink (path);
}

/* A server whose certificate's organization and common name hold terminal escapes (ESC ]
 * … BEL, ESC [, U+009B CSI, DEL): the text output shows the names without them, and so does
 * the JSON (where an escaped \u001b would become ESC again in whatever shows it). */
static void
test_cli_hostile_certificate (void)
{
  const CliScenario s = { .implicit_tls = TRUE, .cert_kind = OD_TEST_CERT_HOSTILE_NAMES };
  g_autoptr(OdFakeSmtpServer) server = start_server (&s);
  g_autofree char *port = g_strdup_printf ("%u", od_fake_smtp_server_get_port (server));
  g_autofree char *input = g_strdup_printf ("%s\n", PASSWORD);

  for (guint json = 0; json < 2; json++)
    {
      const char *args[] = { "check", "--address", USER, "--host", "localhost", "--port", port,
                             "--security", "tls", "--password-stdin",
                             "--ca-file", od_test_certs_get_ca_file (certs), "--timeout", "60",
                             json ? "--json" : "--verbose", NULL };
      g_autoptr(Cli) cli = cli_start (args, input);

      g_assert_cmpint (cli_finish (cli), ==, 1);
      save_output (cli);
      assert_no_control_characters (cli->out);
      assert_no_control_characters (cli->err);
      assert_no_secret (cli->out, strlen (cli->out));

      /* The certificate is described, with its escapes made harmless. */
      g_assert_nonnull (strstr (cli->out, "Evil ?]0"));
      g_assert_nonnull (strstr (cli->out, "pwned??[31m Corp ?2J?"));

      if (json)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) error = NULL;
          JsonObject *root;
          JsonArray *problems;

          g_assert_null (strstr (cli->out, "\\u00"));
          json_parser_load_from_data (parser, cli->out, -1, &error);
          g_assert_no_error (error);
          root = json_node_get_object (json_parser_get_root (parser));
          problems = json_object_get_array_member (root, "problems");
          g_assert_cmpuint (json_array_get_length (problems), >=, 1);
          g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (problems, 0), "id"),
                           ==, "tls-certificate-untrusted");
        }
      else
        g_assert_nonnull (strstr (cli->out, "[FAIL]"));
    }

  od_fake_smtp_server_stop (server);
}

static gboolean
echo_is_on (int fd)
{
  struct termios t;

  g_assert_cmpint (tcgetattr (fd, &t), ==, 0);
  return (t.c_lflag & ECHO) != 0;
}

static void
child_setup_new_session (gpointer data)
{
  setsid ();
}

/* Ctrl+C (SIGINT) or SIGTERM while the CLI asks for the password on a terminal: the CLI dies
 * of the signal, and the terminal has its echo back. */
static void
test_cli_prompt_signal (gconstpointer data)
{
  int signum = GPOINTER_TO_INT (data);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *config = config_home ();
  const char *wrapper = g_getenv ("OD_CLI_WRAPPER");
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  const char *args[] = { "check", "--address", USER, "--host", "localhost", "--port", "1",
                         "--security", "tls", NULL };
  int master, slave;

  if (openpty (&master, &slave, NULL, NULL, NULL) != 0)
    {
      g_test_skip ("No pseudo-terminal available");
      return;
    }
  g_assert_true (echo_is_on (slave));

  if (wrapper != NULL && wrapper[0] != '\0')
    {
      g_auto(GStrv) words = NULL;

      g_assert_true (g_shell_parse_argv (wrapper, NULL, &words, &error));
      for (guint i = 0; words[i] != NULL; i++)
        g_ptr_array_add (argv, g_strdup (words[i]));
    }
  g_ptr_array_add (argv, g_strdup (g_getenv ("OD_CLI")));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_take_stdin_fd (launcher, dup (slave));
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  /* Its own session, so that the signal reaches the CLI alone. */
  g_subprocess_launcher_set_child_setup (launcher, child_setup_new_session, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);

  /* The prompt turns echo off. */
  while (echo_is_on (slave))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      /* Still running (it has no identifier once it has exited). */
      g_assert_nonnull (g_subprocess_get_identifier (process));
      g_usleep (10000);
    }

  g_subprocess_send_signal (process, signum);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_subprocess_get_if_signaled (process));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, signum);
  g_assert_true (echo_is_on (slave));

  close (slave);
  close (master);
}

/* The pids of this process and all its descendants. */
static GArray *
our_processes (void)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  g_autoptr(GHashTable) parents = g_hash_table_new (NULL, NULL);
  GArray *ours = g_array_new (FALSE, FALSE, sizeof (int));
  const char *name;
  int self = getpid ();

  g_assert_nonnull (proc);

  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *stat_path = NULL;
      g_autofree char *stat = NULL;
      const char *after_comm;
      int pid, ppid;

      if (!g_ascii_isdigit (name[0]))
        continue;

      pid = atoi (name);
      stat_path = g_strdup_printf ("/proc/%d/stat", pid);
      /* The process may be gone already. */
      if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
        continue;

      /* "pid (comm) state ppid …"; comm may hold spaces and parentheses. */
      after_comm = strrchr (stat, ')');
      if (after_comm == NULL || sscanf (after_comm + 1, " %*c %d", &ppid) != 1)
        continue;

      g_hash_table_insert (parents, GINT_TO_POINTER (pid), GINT_TO_POINTER (ppid));
    }

  g_array_append_val (ours, self);
  for (gboolean added = TRUE; added;)
    {
      GHashTableIter iter;
      gpointer key, value;

      added = FALSE;
      g_hash_table_iter_init (&iter, parents);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          gboolean known = FALSE, parent_known = FALSE;

          for (guint i = 0; i < ours->len; i++)
            {
              known |= g_array_index (ours, int, i) == GPOINTER_TO_INT (key);
              parent_known |= g_array_index (ours, int, i) == GPOINTER_TO_INT (value);
            }

          if (!known && parent_known)
            {
              int pid = GPOINTER_TO_INT (key);

              g_array_append_val (ours, pid);
              added = TRUE;
            }
        }
    }

  return ours;
}

static gboolean
server_saw (OdFakeSmtpServer *server,
            const char       *prefix)
{
  GPtrArray *commands = od_fake_smtp_server_get_commands (server);

  for (guint i = 0; i < commands->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (commands, i), prefix))
      return TRUE;

  return FALSE;
}

/* While a check with --password-stdin runs (logged in, waiting for the server to answer MAIL
 * FROM), neither the command line nor the environment of any of our processes holds the
 * password. Their environments are kept for the final secret scan. */
static void
test_cli_password_not_in_proc (void)
{
  const CliScenario s = { .command = "MAIL", .reply = OD_FAKE_SMTP_REPLY_SILENT };
  g_autoptr(OdFakeSmtpServer) server = start_server (&s);
  g_autofree char *port = g_strdup_printf ("%u", od_fake_smtp_server_get_port (server));
  g_autofree char *input = g_strdup_printf ("%s\n", PASSWORD);
  const char *args[] = { "check", "--address", USER, "--host", "localhost", "--port", port,
                         "--security", "starttls", "--password-stdin",
                         "--ca-file", od_test_certs_get_ca_file (certs), "--timeout", "120",
                         "--json", NULL };
  g_autoptr(Cli) cli = cli_start (args, input);
  g_autoptr(GArray) pids = NULL;
  const char *out = g_getenv ("OD_TEST_OUTPUT_DIR");
  g_autofree char *env_dir = g_build_filename (out ? out : g_get_tmp_dir (), "cli-scenarios",
                                               "environ", NULL);
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  int cli_pid = atoi (g_subprocess_get_identifier (cli->process));
  gboolean saw_cli = FALSE;

  /* Logged in and in the middle of the check. */
  while (!server_saw (server, "MAIL FROM:"))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_assert_false (cli->exited);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (server_saw (server, "AUTH "));

  g_mkdir_with_parents (env_dir, 0700);
  pids = our_processes ();
  g_assert_cmpuint (pids->len, >=, 2);

  for (guint i = 0; i < pids->len; i++)
    {
      int pid = g_array_index (pids, int, i);
      const char *files[] = { "cmdline", "environ" };

      for (guint f = 0; f < G_N_ELEMENTS (files); f++)
        {
          g_autofree char *path = g_strdup_printf ("/proc/%d/%s", pid, files[f]);
          g_autofree char *contents = NULL;
          gsize len = 0;

          if (!g_file_get_contents (path, &contents, &len, NULL))
            continue;

          /* NUL-separated: make it one string to search. */
          for (gsize j = 0; j < len; j++)
            if (contents[j] == '\0')
              contents[j] = '\n';
          assert_no_secret (contents, len);

          if (pid == cli_pid && f == 0)
            {
              saw_cli = strstr (contents, "--password-stdin") != NULL;
              g_assert_null (strstr (contents, "--password\n"));
            }

          if (f == 1)
            {
              g_autofree char *copy = g_strdup_printf ("%s/%s-%d.environ", env_dir,
                                                       pid == getpid () ? "test" : "cli", pid);
              g_assert_true (g_file_set_contents (copy, contents, len, NULL));
            }
        }
    }
  g_assert_true (saw_cli);

  /* Hang up: the check ends at once. */
  od_fake_smtp_server_stop (server);
  g_assert_cmpint (cli_finish (cli), ==, 1);
  assert_no_secret (cli->out, strlen (cli->out));
  assert_no_secret (cli->err, strlen (cli->err));
  save_output (cli);
}

/* How long the CLI may take beyond a limit: a few milliseconds of process start and exit
 * plainly; much more under valgrind (OD_CLI_WRAPPER), where only the outcome is checked. */
static gint64
slack_us (gint64 plain_us)
{
  const char *wrapper = g_getenv ("OD_CLI_WRAPPER");

  return wrapper != NULL && wrapper[0] != '\0' ? 5 * G_USEC_PER_SEC : plain_us;
}

/* Ctrl+C (or SIGTERM) while a command waits for a server: it ends at once, with status 130,
 * as shells report a command stopped by SIGINT. */
static void
test_cli_interrupted (gconstpointer data)
{
  int signum = GPOINTER_TO_INT (data);
  const char *commands[] = { "check", "setup" };

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *port = NULL;
      g_autoptr(Cli) cli = NULL;
      gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
      gint64 signalled;
      const char *check_args[] = { "check", "--address", USER, "--host", "127.0.0.1", "--port",
                                   NULL, "--security", "starttls", "--password-stdin", NULL };
      const char *setup_args[] = { "setup", USER, "--host", "127.0.0.1", "--port", NULL,
                                   "--security", "starttls", "--password-stdin", NULL };

      /* A server that accepts and then says nothing. */
      od_fake_smtp_server_set_hostile (server, OD_FAKE_SMTP_HOSTILE_BLACKHOLE);
      g_assert_true (od_fake_smtp_server_start (server, &error));
      port = g_strdup_printf ("%u", od_fake_smtp_server_get_port (server));
      check_args[6] = port;
      setup_args[5] = port;

      cli = cli_start (c == 0 ? check_args : setup_args, PASSWORD "\n");
      while (od_fake_smtp_server_get_n_connections (server) == 0)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_main_context_iteration (NULL, FALSE);
          g_usleep (5000);
        }

      signalled = g_get_monotonic_time ();
      g_subprocess_send_signal (cli->process, signum);
      g_assert_cmpint (cli_finish (cli), ==, 130);
      g_test_message ("%s ended %" G_GINT64_FORMAT " ms after signal %d", commands[c],
                      (g_get_monotonic_time () - signalled) / 1000, signum);
      g_assert_cmpint (g_get_monotonic_time () - signalled, <=, slack_us (200 * 1000));
      assert_no_secret (cli->out, strlen (cli->out));
      assert_no_secret (cli->err, strlen (cli->err));
      od_fake_smtp_server_stop (server);
    }
}

/* --timeout N bounds the whole run, the second connection that tells a silent server from
 * a wrong encryption mode included: a server that accepts and never says a word (not even
 * to a TLS handshake) makes the check wait for the greeting, then try TLS on a second
 * connection, and end with server-timeout, all within N seconds. */
static void
test_cli_hard_deadline (gconstpointer data)
{
  guint seconds = GPOINTER_TO_UINT (data);
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;
  g_autofree char *timeout = g_strdup_printf ("%u", seconds);
  g_autoptr(Cli) cli = NULL;
  const char *args[] = { "check", "--address", USER, "--host", "127.0.0.1", "--port", NULL,
                         "--security", "starttls", "--timeout", timeout, "--json", NULL };
  gint64 started, elapsed;

  od_fake_smtp_server_set_hostile (server, OD_FAKE_SMTP_HOSTILE_BLACKHOLE);
  g_assert_true (od_fake_smtp_server_start (server, &error));
  port = g_strdup_printf ("%u", od_fake_smtp_server_get_port (server));
  args[6] = port;

  started = g_get_monotonic_time ();
  cli = cli_start (args, "");
  g_assert_cmpint (cli_finish (cli), ==, 1);
  elapsed = g_get_monotonic_time () - started;
  save_output (cli);

  g_test_message ("--timeout %u: the run took %" G_GINT64_FORMAT " ms", seconds,
                  elapsed / 1000);
  g_assert_cmpint (elapsed, <=, seconds * G_USEC_PER_SEC + slack_us (300 * 1000));
  g_assert_cmpint (elapsed, >=, seconds * G_USEC_PER_SEC * 9 / 10);
  g_assert_nonnull (strstr (cli->out, "\"server-timeout\""));
  /* The second connection was made, within the limit. */
  g_assert_cmpuint (od_fake_smtp_server_get_n_connections (server), ==, 2);
}

typedef struct
{
  const char        *name;
  OdFakeSmtpHostile  hostile;     /* NONE: a listener whose backlog is full (connect hangs) */
  gboolean           implicit_tls;
  guint              timeout_s;
  guint              signal_at_ms;
} InterruptCase;

static const InterruptCase interrupt_cases[] = {
  { "connecting", OD_FAKE_SMTP_HOSTILE_NONE, FALSE, 0, 300 },
  { "greeting", OD_FAKE_SMTP_HOSTILE_BLACKHOLE, FALSE, 0, 300 },
  { "implicit-tls-handshake", OD_FAKE_SMTP_HOSTILE_STALL_HANDSHAKE, TRUE, 0, 300 },
  { "starttls-handshake", OD_FAKE_SMTP_HOSTILE_STALL_HANDSHAKE, FALSE, 0, 300 },
  /* --timeout 4: the greeting gets 2 s, the TLS sniff the last 2 s. */
  { "sniff", OD_FAKE_SMTP_HOSTILE_BLACKHOLE, FALSE, 4, 2600 },
};

/* Ctrl+C ends the command within 200 ms wherever it is waiting. */
static void
test_cli_interrupt_latency (void)
{
  const char *wrapper = g_getenv ("OD_CLI_WRAPPER");

  /* The moments are timed for the program itself; under valgrind it has not even started
   * waiting by then. The other tests still run under it. */
  if (wrapper != NULL && wrapper[0] != '\0')
    {
      g_test_skip ("Latency is measured without a wrapper such as valgrind");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (interrupt_cases); i++)
    {
      const InterruptCase *c = &interrupt_cases[i];
      g_autoptr(OdFakeSmtpServer) server = NULL;
      g_autoptr(OdTestBlackhole) hole = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *port = NULL;
      g_autofree char *timeout = g_strdup_printf ("%u", c->timeout_s ? c->timeout_s : 30);
      g_autoptr(Cli) cli = NULL;
      const char *args[] = { "check", "--address", USER, "--host", NULL, "--port", NULL,
                             "--security", c->implicit_tls ? "tls" : "starttls",
                             "--timeout", timeout, "--password-stdin", NULL };
      gint64 signalled, latency, deadline;

      if (c->hostile == OD_FAKE_SMTP_HOSTILE_NONE)
        {
          guint16 free_port = od_test_find_free_port ();

          hole = od_test_blackhole_new ("127.0.0.9", free_port, &error);
          g_assert_no_error (error);
          args[4] = "127.0.0.9";
          port = g_strdup_printf ("%u", free_port);
        }
      else
        {
          g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD,
                                                                &error);

          g_assert_no_error (error);
          server = od_fake_smtp_server_new ();
          od_fake_smtp_server_set_certificate (server, cert);
          od_fake_smtp_server_set_implicit_tls (server, c->implicit_tls);
          od_fake_smtp_server_set_hostile (server, c->hostile);
          g_assert_true (od_fake_smtp_server_start (server, &error));
          args[4] = "127.0.0.1";
          port = g_strdup_printf ("%u", od_fake_smtp_server_get_port (server));
        }
      args[6] = port;

      cli = cli_start (args, PASSWORD "\n");
      /* The main context writes the password to the CLI's standard input meanwhile. */
      deadline = g_get_monotonic_time () + c->signal_at_ms * 1000;
      while (g_get_monotonic_time () < deadline)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (2000);
        }
      /* Still waiting where the case says. */
      g_assert_nonnull (g_subprocess_get_identifier (cli->process));
      signalled = g_get_monotonic_time ();
      g_subprocess_send_signal (cli->process, SIGINT);
      g_assert_cmpint (cli_finish (cli), ==, 130);
      latency = g_get_monotonic_time () - signalled;

      g_test_message ("Ctrl+C while %s: ended after %" G_GINT64_FORMAT " ms", c->name,
                      latency / 1000);
      g_assert_cmpint (latency, <=, slack_us (200 * 1000));
      assert_no_secret (cli->out, strlen (cli->out));
      assert_no_secret (cli->err, strlen (cli->err));
    }
}

/* check --incoming --json against the fake IMAP and POP3 servers: the check document with
 * "protocol", the eight incoming steps and the message count; the problem ids of a refused
 * login and of LOGINDISABLED; the password nowhere in the output. */
static JsonObject *
parse_check_json (JsonParser *parser,
                  const char *out)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static Cli *
run_incoming (guint16     port,
              const char *protocol,
              const char *security,
              const char *password)
{
  g_autofree char *port_str = g_strdup_printf ("%u", port);
  g_autofree char *input = g_strdup_printf ("%s\n", password);
  const char *args[] = { "check", "--incoming", "--protocol", protocol, "--address", USER,
                         "--host", "localhost", "--port", port_str, "--security", security,
                         "--password-stdin", "--ca-file", od_test_certs_get_ca_file (certs),
                         "--timeout", "60", "--json", NULL };
  Cli *cli = cli_start (args, input);

  cli_finish (cli);
  save_output (cli);
  assert_no_secret (cli->out, strlen (cli->out));
  assert_no_secret (cli->err, strlen (cli->err));
  return cli;
}

static void
test_cli_incoming_imap (void)
{
  static const char * const ids[] = { "network", "dns", "connect", "tls", "greeting",
                                      "capabilities", "auth", "mailbox" };
  g_autoptr(OdFakeImapServer) server = od_fake_imap_server_new ();
  g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(Cli) cli = NULL;
  JsonObject *root;
  JsonArray *steps;

  od_fake_imap_server_set_certificate (server, cert);
  od_fake_imap_server_set_credentials (server, USER, PASSWORD);
  g_assert_true (od_fake_imap_server_start (server, NULL));

  cli = run_incoming (od_fake_imap_server_get_port (server), "imap", "starttls", PASSWORD);
  g_assert_cmpint (g_subprocess_get_exit_status (cli->process), ==, 0);
  root = parse_check_json (parser, cli->out);
  g_assert_cmpstr (json_object_get_string_member (root, "protocol"), ==, "imap");
  g_assert_cmpstr (json_object_get_string_member (root, "verdict"), ==, "pass");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "mailbox"),
                                               "messages"), ==, 3);
  steps = json_object_get_array_member (root, "steps");
  g_assert_cmpuint (json_array_get_length (steps), ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);

      g_assert_cmpstr (json_object_get_string_member (step, "id"), ==, ids[i]);
      g_assert_cmpstr (json_object_get_string_member (step, "status"), ==, "pass");
    }
  g_assert_nonnull (strstr (cli->out, "AUTHENTICATE PLAIN ********"));
  od_fake_imap_server_stop (server);
  g_clear_pointer (&cli, cli_free);

  /* LOGINDISABLED and no STARTTLS: no password login on this port at all. */
  server = (g_object_unref (server), od_fake_imap_server_new ());
  od_fake_imap_server_set_certificate (server, cert);
  od_fake_imap_server_set_capabilities (server, "IMAP4rev1 LOGINDISABLED", "IMAP4rev1");
  g_assert_true (od_fake_imap_server_start (server, NULL));
  cli = run_incoming (od_fake_imap_server_get_port (server), "imap", "starttls", PASSWORD);
  g_assert_cmpint (g_subprocess_get_exit_status (cli->process), ==, 1);
  g_clear_object (&parser);
  parser = json_parser_new ();
  root = parse_check_json (parser, cli->out);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (root,
                                                                                  "problems"),
                                                    0), "id"), ==, "imap-login-disabled");
  g_assert_false (json_object_has_member (root, "mailbox"));
  od_fake_imap_server_stop (server);
}

static void
test_cli_incoming_pop3 (void)
{
  g_autoptr(OdFakePop3Server) server = od_fake_pop3_server_new ();
  g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(Cli) cli = NULL;
  JsonObject *root;
  JsonObject *problem;

  od_fake_pop3_server_set_certificate (server, cert);
  od_fake_pop3_server_set_implicit_tls (server, TRUE);
  od_fake_pop3_server_set_credentials (server, USER, PASSWORD);
  g_assert_true (od_fake_pop3_server_start (server, NULL));

  cli = run_incoming (od_fake_pop3_server_get_port (server), "pop3", "tls", "wrong password");
  g_assert_cmpint (g_subprocess_get_exit_status (cli->process), ==, 1);
  root = parse_check_json (parser, cli->out);
  g_assert_cmpstr (json_object_get_string_member (root, "protocol"), ==, "pop3");
  problem = json_array_get_object_element (json_object_get_array_member (root, "problems"), 0);
  g_assert_cmpstr (json_object_get_string_member (problem, "id"), ==, "auth-failed");
  g_assert_cmpstr (json_object_get_string_member (problem, "step"), ==, "auth");
  g_assert_nonnull (strstr (json_object_get_string_member (problem, "server_reply"), "-ERR"));
  od_fake_pop3_server_stop (server);
}

/* Options that do not go together with --incoming, or a protocol it does not know. */
static void
test_cli_incoming_usage (void)
{
  const char *no_host[] = { "check", "--incoming", "--address", USER, NULL };
  const char *smtp[] = { "check", "--incoming", "--protocol", "smtp", "--address", USER,
                         "--host", "localhost", NULL };
  const char *send_test[] = { "check", "--incoming", "--send-test", "--address", USER,
                              "--host", "localhost", NULL };
  const char *protocol_alone[] = { "check", "--protocol", "imap", "--address", USER,
                                   "--host", "localhost", NULL };
  const char * const *cases[] = { no_host, smtp, send_test, protocol_alone };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Cli) cli = cli_start (cases[i], "");

      g_assert_cmpint (cli_finish (cli), ==, 2);
    }
}

/* setup with an incoming server: sending works and receiving does not → exit 1 and nothing
 * saved; --outgoing-only saves sending only; both working → both saved; the incoming
 * options' usage errors. There is no keyring here, so the account is kept without its
 * password (the keyring half is in ui-setup-incoming and setup-accounts). */
static Cli *
run_setup_incoming (guint16      smtp_port,
                    guint16      imap_port,
                    const char  *extra)
{
  g_autofree char *smtp = g_strdup_printf ("%u", smtp_port);
  g_autofree char *imap = g_strdup_printf ("%u", imap_port);
  const char *args[] = { "setup", USER, "--host", "localhost", "--port", smtp, "--security",
                         "tls", "--incoming-host", "localhost", "--incoming-port", imap,
                         "--incoming-protocol", "imap", "--password-stdin", "--ca-file",
                         od_test_certs_get_ca_file (certs), "--timeout", "60", "--json",
                         extra, NULL };
  Cli *cli = cli_start (args, PASSWORD "\n");

  cli_finish (cli);
  save_output (cli);
  assert_no_secret (cli->out, strlen (cli->out));
  assert_no_secret (cli->err, strlen (cli->err));
  return cli;
}

static char *
accounts_file (void)
{
  g_autofree char *config = config_home ();
  g_autofree char *path = g_build_filename (config, "outbox-doctor", "accounts.ini", NULL);
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, NULL);
  return contents;
}

static void
forget_accounts (void)
{
  g_autofree char *config = config_home ();
  g_autofree char *path = g_build_filename (config, "outbox-doctor", "accounts.ini", NULL);

  g_unlink (path);
}

static void
test_cli_setup_incoming (void)
{
  CliScenario smtp_scenario = { .implicit_tls = TRUE };
  g_autoptr(OdFakeSmtpServer) smtp = start_server (&smtp_scenario);
  g_autoptr(OdFakeImapServer) imap = od_fake_imap_server_new ();
  g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(Cli) cli = NULL;
  g_autofree char *file = NULL;
  JsonObject *root, *incoming;

  forget_accounts ();
  od_fake_imap_server_set_certificate (imap, cert);
  od_fake_imap_server_set_implicit_tls (imap, TRUE);
  od_fake_imap_server_set_credentials (imap, USER, "another password");
  g_assert_true (od_fake_imap_server_start (imap, NULL));

  /* Receiving fails: nothing saved, the incoming check says why. */
  cli = run_setup_incoming (od_fake_smtp_server_get_port (smtp),
                            od_fake_imap_server_get_port (imap), NULL);
  g_assert_cmpint (g_subprocess_get_exit_status (cli->process), ==, 1);
  root = parse_check_json (parser, cli->out);
  g_assert_false (json_object_get_boolean_member (root, "saved"));
  g_assert_false (json_object_get_boolean_member (root, "incoming_saved"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "check"),
                                                  "verdict"), ==, "pass");
  incoming = json_object_get_object_member (root, "incoming_check");
  g_assert_cmpstr (json_object_get_string_member (incoming, "protocol"), ==, "imap");
  g_assert_cmpstr (json_object_get_string_member (incoming, "verdict"), ==, "fail");
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (incoming,
                                                                                  "problems"),
                                                    0), "id"), ==, "auth-failed");
  file = accounts_file ();
  g_assert_true (file == NULL || strstr (file, USER) == NULL);
  g_clear_pointer (&file, g_free);
  g_clear_pointer (&cli, cli_free);

  /* --outgoing-only: saved for sending only. */
  cli = run_setup_incoming (od_fake_smtp_server_get_port (smtp),
                            od_fake_imap_server_get_port (imap), "--outgoing-only");
  g_assert_cmpint (g_subprocess_get_exit_status (cli->process), ==, 0);
  g_clear_object (&parser);
  parser = json_parser_new ();
  root = parse_check_json (parser, cli->out);
  g_assert_true (json_object_get_boolean_member (root, "saved"));
  g_assert_false (json_object_get_boolean_member (root, "incoming_saved"));
  file = accounts_file ();
  g_assert_nonnull (strstr (file, "smtp-host=localhost"));
  g_assert_null (strstr (file, "incoming-host"));
  g_clear_pointer (&file, g_free);
  g_clear_pointer (&cli, cli_free);
  od_fake_imap_server_stop (imap);
  forget_accounts ();

  /* Both work: both saved. */
  imap = (g_object_unref (imap), od_fake_imap_server_new ());
  od_fake_imap_server_set_certificate (imap, cert);
  od_fake_imap_server_set_implicit_tls (imap, TRUE);
  od_fake_imap_server_set_credentials (imap, USER, PASSWORD);
  g_assert_true (od_fake_imap_server_start (imap, NULL));
  cli = run_setup_incoming (od_fake_smtp_server_get_port (smtp),
                            od_fake_imap_server_get_port (imap), NULL);
  g_assert_cmpint (g_subprocess_get_exit_status (cli->process), ==, 0);
  g_clear_object (&parser);
  parser = json_parser_new ();
  root = parse_check_json (parser, cli->out);
  g_assert_true (json_object_get_boolean_member (root, "incoming_saved"));
  file = accounts_file ();
  g_assert_nonnull (strstr (file, "incoming-protocol=imap"));
  g_assert_nonnull (strstr (file, "incoming-host=localhost"));
  g_clear_pointer (&cli, cli_free);
  od_fake_imap_server_stop (imap);
  forget_accounts ();
}

static void
test_cli_setup_incoming_usage (void)
{
  const char *alone[] = { "setup", USER, "--host", "localhost", "--incoming-port", "993",
                          "--password-stdin", NULL };
  const char *smtp[] = { "setup", USER, "--host", "localhost", "--incoming-host", "localhost",
                         "--incoming-protocol", "smtp", "--password-stdin", NULL };
  g_autoptr(Cli) cli = cli_start (alone, PASSWORD "\n");

  g_assert_cmpint (cli_finish (cli), ==, 2);
  g_assert_nonnull (strstr (cli->err, "--incoming-host"));
  g_clear_pointer (&cli, cli_free);

  cli = cli_start (smtp, PASSWORD "\n");
  g_assert_cmpint (cli_finish (cli), ==, 2);
  g_assert_nonnull (strstr (cli->err, "--incoming-protocol must be imap or pop3."));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    g_test_add_data_func (scenarios[i].path, &scenarios[i], test_cli_scenario);
  g_test_add_func ("/od/cli/bad-usage", test_cli_bad_usage);
  g_test_add_func ("/od/cli/incoming/imap", test_cli_incoming_imap);
  g_test_add_func ("/od/cli/incoming/pop3", test_cli_incoming_pop3);
  g_test_add_func ("/od/cli/incoming/usage", test_cli_incoming_usage);
  g_test_add_func ("/od/cli/setup/incoming", test_cli_setup_incoming);
  g_test_add_func ("/od/cli/setup/incoming-usage", test_cli_setup_incoming_usage);
  g_test_add_func ("/od/cli/empty-stdin", test_cli_empty_stdin);
  g_test_add_func ("/od/cli/password-not-in-proc", test_cli_password_not_in_proc);
  g_test_add_func ("/od/cli/hostile-certificate", test_cli_hostile_certificate);
  g_test_add_func ("/od/cli/hostile-account-file", test_cli_hostile_account_file);
  g_test_add_data_func ("/od/cli/hard-deadline-4", GUINT_TO_POINTER (4), test_cli_hard_deadline);
  g_test_add_data_func ("/od/cli/hard-deadline-10", GUINT_TO_POINTER (10),
                        test_cli_hard_deadline);
  g_test_add_func ("/od/cli/interrupt-latency", test_cli_interrupt_latency);
  g_test_add_data_func ("/od/cli/prompt-sigint", GINT_TO_POINTER (SIGINT),
                        test_cli_prompt_signal);
  g_test_add_data_func ("/od/cli/prompt-sigterm", GINT_TO_POINTER (SIGTERM),
                        test_cli_prompt_signal);
  g_test_add_data_func ("/od/cli/interrupted-sigint", GINT_TO_POINTER (SIGINT),
                        test_cli_interrupted);
  g_test_add_data_func ("/od/cli/interrupted-sigterm", GINT_TO_POINTER (SIGTERM),
                        test_cli_interrupted);

  ret = g_test_run ();
  od_test_certs_free (certs);

  return ret;
}
