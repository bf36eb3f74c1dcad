/* test-cli-round-trip.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* outbox-doctor-cli check --send-test --round-trip against our fake SMTP and IMAP servers:
 * when the fake SMTP server has accepted the test message, its header (with the
 * Authentication-Results a receiving server would add) goes into the fake IMAP mailbox,
 * in INBOX or the \Junk folder, or nowhere. The eleven steps, the delivery step and object,
 * the exit status, usage errors, and no password anywhere. OD_CLI is the program. */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "od-account-store.h"
#include "od-fake-imap-server.h"
#include "od-fake-pop3-server.h"
#include "od-fake-smtp-server.h"
#include "od-test-certs.h"

/* Also in tests/data/test-passwords.tsv, so the final secret scan looks for it. */
#define USER     "user@example.org"
#define PASSWORD "Tr0ub4dor&3 horse"

#define PASSING_RESULTS \
  "Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=example.org;\r\n" \
  "\tdkim=pass header.d=example.org; dmarc=pass header.from=example.org\r\n"
#define FAILING_RESULTS \
  "Authentication-Results: mx.example.org; spf=fail smtp.mailfrom=example.org;\r\n" \
  "\tdkim=fail header.d=example.org; dmarc=fail header.from=example.org\r\n"

/* How long the "receiving server" takes to put the message into the mailbox. */
#define DELIVERY_DELAY_MS 300

static OdTestCerts *certs;
static char        *config_dir;   /* the CLI's XDG_CONFIG_HOME: accounts of the tests */

typedef struct
{
  const char *path;
  const char *folder;        /* where the message lands; NULL: nowhere */
  const char *results;       /* Authentication-Results the receiving server adds */
  const char *data_end;      /* the SMTP server's reply to the message, NULL: accepted */
  gboolean    delete_after;
  gboolean    json;
  int         exit_status;
  const char *status;        /* of the delivery step */
  const char *where;
  const char *problems[5];   /* ids, in order */
} Scenario;

typedef struct
{
  const Scenario   *scenario;
  OdFakeSmtpServer *smtp;
  OdFakeImapServer *imap;
  OdFakePop3Server *pop3;      /* when the incoming server speaks POP3 */
  GSubprocess      *process;
  char             *out;
  char             *err;
  gboolean          communicated;
  gboolean          delivered;
} Run;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &run->out, &run->err,
                                        &error);
  g_assert_no_error (error);
  run->communicated = TRUE;
}

/* The "receiving server": hands the accepted message's header to the IMAP mailbox. */
static gboolean
deliver_cb (gpointer user_data)
{
  Run *run = user_data;
  const char *message;
  const char *end;
  g_autofree char *header = NULL;

  /* A message the SMTP server refused is never delivered. */
  if (run->delivered || od_fake_smtp_server_get_n_messages (run->smtp) == 0 ||
      run->scenario->data_end != NULL)
    return G_SOURCE_CONTINUE;

  run->delivered = TRUE;
  if (run->scenario->folder == NULL)
    return G_SOURCE_CONTINUE;

  message = od_fake_smtp_server_get_last_message (run->smtp);
  end = strstr (message, "\r\n\r\n");
  g_assert_nonnull (end);
  header = g_strdup_printf ("Return-Path: <" USER ">\r\n%s%.*s\r\n\r\n",
                            run->scenario->results ? run->scenario->results : "",
                            (int)(end - message), message);
  if (run->pop3 != NULL)
    od_fake_pop3_server_add_message (run->pop3, header);
  else
    od_fake_imap_server_add_message (run->imap, run->scenario->folder, header, strlen (header),
                                     DELIVERY_DELAY_MS);
  return G_SOURCE_CONTINUE;
}

static void
start_servers (Run *run)
{
  g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, NULL);
  g_autoptr(GError) error = NULL;

  run->smtp = od_fake_smtp_server_new ();
  od_fake_smtp_server_set_certificate (run->smtp, cert);
  od_fake_smtp_server_set_credentials (run->smtp, USER, PASSWORD);
  if (run->scenario != NULL && run->scenario->data_end != NULL)
    od_fake_smtp_server_set_reply (run->smtp, "DATA-END", run->scenario->data_end);
  g_assert_true (od_fake_smtp_server_start (run->smtp, &error));
  g_assert_no_error (error);

  run->imap = od_fake_imap_server_new ();
  od_fake_imap_server_set_certificate (run->imap, cert);
  od_fake_imap_server_set_credentials (run->imap, USER, PASSWORD);
  od_fake_imap_server_set_capabilities (run->imap, "IMAP4rev1 STARTTLS LOGINDISABLED",
                                        "IMAP4rev1 SASL-IR AUTH=PLAIN SPECIAL-USE IDLE UIDPLUS");
  od_fake_imap_server_add_folder (run->imap, "Junk", "\\Junk");
  g_assert_true (od_fake_imap_server_start (run->imap, &error));
  g_assert_no_error (error);
}

/* Runs the CLI (after OD_CLI_WRAPPER, if set) with @args (after the program), the password on standard input, while the
 * fake servers and the "receiving server" run on this thread. Returns the exit status. */
static int
run_cli (Run                *run,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  guint source;

  const char *wrapper = g_getenv ("OD_CLI_WRAPPER");
  g_auto(GStrv) words = NULL;

  /* build-aux/test.sh runs the CLI under valgrind memcheck this way. */
  if (wrapper != NULL && wrapper[0] != '\0')
    {
      g_assert_true (g_shell_parse_argv (wrapper, NULL, &words, &error));
      for (guint i = 0; words[i] != NULL; i++)
        g_ptr_array_add (argv, words[i]);
    }
  g_assert_nonnull (g_getenv ("OD_CLI"));
  g_ptr_array_add (argv, (char *)g_getenv ("OD_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_dir, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  run->process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata,
                                               &error);
  g_assert_no_error (error);

  run->communicated = FALSE;
  g_subprocess_communicate_utf8_async (run->process, PASSWORD "\n", NULL, communicate_cb, run);
  source = run->smtp != NULL ? g_timeout_add (20, deliver_cb, run) : 0;
  while (!run->communicated)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_wait (run->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_handle_id (&source, g_source_remove);

  if (g_test_verbose ())
    g_test_message ("stdout:\n%s\nstderr:\n%s", run->out, run->err);

  /* No password anywhere: neither the outgoing nor the incoming server's login. */
  g_assert_null (strstr (run->out, PASSWORD));
  g_assert_null (strstr (run->err, PASSWORD));

  g_assert_true (g_subprocess_get_if_exited (run->process));
  return g_subprocess_get_exit_status (run->process);
}

static void
run_clear (Run *run)
{
  if (run->smtp != NULL)
    od_fake_smtp_server_stop (run->smtp);
  if (run->imap != NULL)
    od_fake_imap_server_stop (run->imap);
  if (run->pop3 != NULL)
    od_fake_pop3_server_stop (run->pop3);
  g_clear_object (&run->pop3);
  g_clear_object (&run->smtp);
  g_clear_object (&run->imap);
  g_clear_object (&run->process);
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static void
assert_json (const Scenario *s,
             const char     *out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *step, *delivery;
  JsonArray *steps, *problems;

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));

  /* Eleven steps, delivery the last. */
  steps = json_object_get_array_member (root, "steps");
  g_assert_cmpuint (json_array_get_length (steps), ==, 11);
  step = json_array_get_object_element (steps, 9);
  g_assert_cmpstr (json_object_get_string_member (step, "id"), ==, "data");
  g_assert_cmpstr (json_object_get_string_member (step, "status"), ==,
                   s->data_end ? "fail" : "pass");
  step = json_array_get_object_element (steps, 10);
  g_assert_cmpstr (json_object_get_string_member (step, "id"), ==, "delivery");
  g_assert_cmpstr (json_object_get_string_member (step, "status"), ==, s->status);
  g_assert_nonnull (json_object_get_string_member (step, "detail"));

  /* Nothing accepted, nothing to look for. */
  if (s->data_end != NULL)
    {
      g_assert_true (json_object_has_member (root, "delivery"));
      g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (root, "delivery")));
      return;
    }

  delivery = json_object_get_object_member (root, "delivery");
  g_assert_nonnull (delivery);
  g_assert_cmpstr (json_object_get_string_member (delivery, "where"), ==, s->where);
  g_assert_cmpstr (json_object_get_string_member (delivery, "protocol"), ==, "imap");
  g_assert_true (json_object_get_boolean_member (delivery, "junk_checked"));
  g_assert_cmpint (json_object_get_boolean_member (delivery, "deleted"), ==, s->delete_after);
  /* Counted from the acceptance; the fake mailbox shows the message after 300 ms. */
  if (s->folder != NULL)
    g_assert_cmpint (json_object_get_int_member (delivery, "elapsed_ms"), >=,
                     DELIVERY_DELAY_MS);

  problems = json_object_get_array_member (root, "problems");
  for (guint i = 0; i < G_N_ELEMENTS (s->problems); i++)
    {
      if (s->problems[i] == NULL)
        {
          g_assert_cmpuint (json_array_get_length (problems), ==, i);
          break;
        }
      g_assert_cmpuint (json_array_get_length (problems), >, i);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (problems, i), "id"),
                       ==, s->problems[i]);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (problems, i), "step"),
                       ==, "delivery");
    }
}

static void
test_round_trip (gconstpointer data)
{
  const Scenario *s = data;
  Run run = { .scenario = s };
  g_autofree char *smtp_port = NULL;
  g_autofree char *imap_port = NULL;
  int status;

  start_servers (&run);
  smtp_port = g_strdup_printf ("%u", od_fake_smtp_server_get_port (run.smtp));
  imap_port = g_strdup_printf ("%u", od_fake_imap_server_get_port (run.imap));

  {
    const char *args[] = { "check", "--address", USER, "--host", "localhost",
                           "--port", smtp_port, "--security", "starttls", "--password-stdin",
                           "--ca-file", od_test_certs_get_ca_file (certs), "--timeout", "60",
                           "--send-test", "--round-trip", "--round-trip-wait",
                           s->folder != NULL ? "10" : "3",
                           "--incoming-host", "localhost", "--incoming-port", imap_port,
                           "--incoming-security", "starttls", "--incoming-protocol", "imap",
                           s->json ? "--json" : "--verbose",
                           s->delete_after ? "--round-trip-delete" : NULL, NULL };

    status = run_cli (&run, args);
  }

  if (status != s->exit_status)
    g_test_message ("stdout:\n%s\nstderr:\n%s", run.out, run.err);
  g_assert_cmpint (status, ==, s->exit_status);
  g_assert_true (run.delivered == (s->data_end == NULL));

  /* Refused: the incoming server was never asked. */
  if (s->data_end != NULL)
    {
      g_autoptr(GPtrArray) commands = od_fake_imap_server_dup_commands (run.imap);

      g_assert_cmpuint (commands->len, ==, 0);
    }

  if (s->json)
    assert_json (s, run.out);
  else
    {
      /* People read the step like the others, the failures in plain words. */
      g_assert_nonnull (strstr (run.out, "Arrival in the mailbox"));
      g_assert_nonnull (strstr (run.out, "spam folder “Junk”"));
      g_assert_nonnull (strstr (run.out, "SPF"));
      g_assert_nonnull (strstr (run.out, "DKIM"));
      g_assert_nonnull (strstr (run.out, "DMARC"));
      g_assert_nonnull (strstr (run.out, "[warn] Arrival in the mailbox"));
      g_assert_null (strstr (run.out, "[FAIL]"));
    }

  if (s->folder != NULL && s->data_end == NULL)
    g_assert_cmpuint (od_fake_imap_server_count_messages (run.imap, s->folder), ==,
                      s->delete_after ? 0 : 1);

  run_clear (&run);
}

static const Scenario scenarios[] = {
  { "/od/cli-round-trip/inbox", .folder = "INBOX", .results = PASSING_RESULTS, .json = TRUE,
    .exit_status = 0, .status = "pass", .where = "inbox", .problems = { NULL } },
  { "/od/cli-round-trip/inbox-delete", .folder = "INBOX", .delete_after = TRUE, .json = TRUE,
    .exit_status = 0, .status = "pass", .where = "inbox", .problems = { NULL } },
  { "/od/cli-round-trip/junk-failing-results", .folder = "Junk", .results = FAILING_RESULTS,
    .json = TRUE, .exit_status = 0, .status = "warn", .where = "junk",
    .problems = { "round-trip-junk", "auth-results-spf-fail", "auth-results-dkim-fail",
                  "auth-results-dmarc-fail", NULL } },
  { "/od/cli-round-trip/junk-human", .folder = "Junk", .results = FAILING_RESULTS,
    .exit_status = 0 },
  { "/od/cli-round-trip/message-rejected", .folder = "INBOX", .json = TRUE,
    .data_end = "554 5.7.1 Message rejected as spam", .exit_status = 1, .status = "skip" },
  { "/od/cli-round-trip/not-found", .folder = NULL, .json = TRUE, .exit_status = 1,
    .status = "fail", .where = "not-found", .problems = { "round-trip-not-found", NULL } },
};

/* Over POP3 (STLS): found in the inbox; the spam folder cannot be seen that way. */
static void
test_pop3 (void)
{
  static const Scenario inbox = { "pop3", .folder = "INBOX" };
  Run run = { .scenario = &inbox };
  g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *smtp_port = NULL;
  g_autofree char *pop3_port = NULL;
  JsonObject *root, *delivery;
  JsonArray *steps;

  start_servers (&run);
  run.pop3 = od_fake_pop3_server_new ();
  od_fake_pop3_server_set_certificate (run.pop3, cert);
  od_fake_pop3_server_set_credentials (run.pop3, USER, PASSWORD);
  g_assert_true (od_fake_pop3_server_start (run.pop3, &error));
  g_assert_no_error (error);
  smtp_port = g_strdup_printf ("%u", od_fake_smtp_server_get_port (run.smtp));
  pop3_port = g_strdup_printf ("%u", od_fake_pop3_server_get_port (run.pop3));
  {
    const char *args[] = { "check", "--address", USER, "--host", "localhost",
                           "--port", smtp_port, "--security", "starttls", "--password-stdin",
                           "--ca-file", od_test_certs_get_ca_file (certs), "--timeout", "60",
                           "--send-test", "--round-trip", "--round-trip-wait", "10",
                           "--incoming-host", "localhost", "--incoming-port", pop3_port,
                           "--incoming-security", "starttls", "--incoming-protocol", "pop3",
                           "--json", NULL };

    g_assert_cmpint (run_cli (&run, args), ==, 0);
  }

  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  steps = json_object_get_array_member (root, "steps");
  g_assert_cmpuint (json_array_get_length (steps), ==, 11);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (steps, 10),
                                                  "status"), ==, "pass");
  delivery = json_object_get_object_member (root, "delivery");
  g_assert_cmpstr (json_object_get_string_member (delivery, "protocol"), ==, "pop3");
  g_assert_cmpstr (json_object_get_string_member (delivery, "where"), ==, "inbox");
  g_assert_false (json_object_get_boolean_member (delivery, "junk_checked"));

  run_clear (&run);
}

/* The whole run's --timeout bounds the wait: a message that never comes is reported not
 * found before the run's deadline, not cut off by it. */
static void
test_timeout_bounds_wait (void)
{
  static const Scenario nowhere = { "timeout" };
  Run run = { .scenario = &nowhere };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *smtp_port = NULL;
  g_autofree char *imap_port = NULL;
  JsonObject *root;
  JsonArray *problems;
  gint64 started = g_get_monotonic_time ();

  start_servers (&run);
  smtp_port = g_strdup_printf ("%u", od_fake_smtp_server_get_port (run.smtp));
  imap_port = g_strdup_printf ("%u", od_fake_imap_server_get_port (run.imap));
  {
    const char *args[] = { "check", "--address", USER, "--host", "localhost",
                           "--port", smtp_port, "--security", "starttls", "--password-stdin",
                           "--ca-file", od_test_certs_get_ca_file (certs), "--timeout", "7",
                           "--send-test", "--round-trip", "--incoming-host", "localhost",
                           "--incoming-port", imap_port, "--incoming-security", "starttls",
                           "--json", NULL };

    g_assert_cmpint (run_cli (&run, args), ==, 1);
  }
  /* Under valgrind (build-aux/test.sh) the CLI's start alone takes seconds on a loaded
   * machine: more room there for what is not the run's own time. */
  g_assert_cmpint ((g_get_monotonic_time () - started) / 1000, <,
                   7000 + (g_getenv ("OD_CLI_WRAPPER") != NULL ? 8000 : 2000));

  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  problems = json_object_get_array_member (root, "problems");
  g_assert_cmpuint (json_array_get_length (problems), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (problems, 0), "id"),
                   ==, "round-trip-not-found");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "delivery"),
                                                  "where"), ==, "not-found");
  g_assert_cmpint (json_object_get_int_member (root, "elapsed_ms"), <=, 7000);

  run_clear (&run);
}

/* A saved account: the incoming server is the account's; without one, a usage error. */
static void
save_account (const char *id,
              Run        *run,
              gboolean    with_incoming)
{
  g_autofree char *path = g_build_filename (config_dir, "outbox-doctor", "accounts.ini", NULL);
  g_autoptr(OdAccountStore) store = od_account_store_new (path);
  g_autoptr(OdAccount) account = od_account_new (id, USER);
  g_autoptr(GError) error = NULL;

  od_account_store_load (store, &error);
  g_assert_no_error (error);
  od_account_set_host (account, "localhost");
  od_account_set_port (account, od_fake_smtp_server_get_port (run->smtp));
  od_account_set_security (account, OD_SECURITY_STARTTLS);
  od_account_set_username (account, USER);
  od_account_set_settings_source (account, OD_ACCOUNT_SOURCE_MANUAL);
  if (with_incoming)
    od_account_set_incoming (account, "imap", "localhost",
                             od_fake_imap_server_get_port (run->imap), OD_SECURITY_STARTTLS,
                             USER);
  od_account_store_put (store, account, &error);
  g_assert_no_error (error);
}

static void
test_account (void)
{
  static const Scenario inbox = { "account", .folder = "INBOX" };
  Run run = { .scenario = &inbox };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *delivery;
  const char *with_incoming[] = { "check", "--account", "with-incoming", "--password-stdin",
                                  "--ca-file", od_test_certs_get_ca_file (certs), "--send-test",
                                  "--round-trip", "--round-trip-wait", "10", "--json", NULL };
  const char *without[] = { "check", "--account", "without-incoming", "--password-stdin",
                            "--send-test", "--round-trip", NULL };
  const char *both[] = { "check", "--account", "with-incoming", "--password-stdin",
                         "--send-test", "--round-trip", "--incoming-host", "localhost", NULL };

  start_servers (&run);
  save_account ("with-incoming", &run, TRUE);
  save_account ("without-incoming", &run, FALSE);

  /* No keyring in this test: the outgoing password (standard input) serves both. */
  g_assert_cmpint (run_cli (&run, with_incoming), ==, 0);
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  delivery = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                            "delivery");
  g_assert_cmpstr (json_object_get_string_member (delivery, "where"), ==, "inbox");
  g_clear_pointer (&run.out, g_free);
  g_clear_pointer (&run.err, g_free);
  g_clear_object (&run.process);

  g_assert_cmpint (run_cli (&run, without), ==, 2);
  g_assert_nonnull (strstr (run.err, "does not know its incoming server"));
  g_clear_pointer (&run.out, g_free);
  g_clear_pointer (&run.err, g_free);
  g_clear_object (&run.process);

  g_assert_cmpint (run_cli (&run, both), ==, 2);
  g_assert_nonnull (strstr (run.err, "the account knows its incoming server"));

  run_clear (&run);
}

/* Usage errors, before anything connects: exit status 2 and a sentence. */
static void
test_usage (void)
{
  static const struct {
    const char *args[16];
    const char *words;
  } cases[] = {
    { { "check", "--address", USER, "--host", "localhost", "--password-stdin", "--round-trip",
        "--incoming-host", "localhost", NULL }, "needs --send-test" },
    { { "check", "--address", USER, "--host", "localhost", "--password-stdin", "--send-test",
        "--round-trip", NULL }, "--incoming-host" },
    { { "check", "--address", USER, "--host", "localhost", "--password-stdin", "--send-test",
        "--round-trip", "--incoming-host", "localhost", "--round-trip-wait", "0", NULL },
      "between 1 and 3600" },
    { { "check", "--address", USER, "--host", "localhost", "--password-stdin", "--send-test",
        "--round-trip", "--incoming-host", "localhost", "--incoming-protocol", "smtp", NULL },
      "imap or pop3" },
    { { "check", "--address", USER, "--host", "localhost", "--password-stdin", "--send-test",
        "--round-trip", "--incoming-host", "localhost", "--incoming-security", "none", NULL },
      "tls or starttls" },
    { { "check", "--address", USER, "--host", "localhost", "--password-stdin", "--send-test",
        "--round-trip-delete", NULL }, "need --round-trip" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run run = { 0 };

      g_assert_cmpint (run_cli (&run, cases[i].args), ==, 2);
      g_assert_nonnull (strstr (run.err, cases[i].words));
      g_assert_cmpstr (run.out, ==, "");
      run_clear (&run);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  config_dir = g_build_filename (g_getenv ("OD_TEST_OUTPUT_DIR") ? g_getenv ("OD_TEST_OUTPUT_DIR")
                                                                 : g_get_tmp_dir (),
                                 "cli-round-trip", "config", NULL);
  g_mkdir_with_parents (config_dir, 0700);

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    g_test_add_data_func (scenarios[i].path, &scenarios[i], test_round_trip);
  g_test_add_func ("/od/cli-round-trip/usage", test_usage);
  g_test_add_func ("/od/cli-round-trip/account", test_account);
  g_test_add_func ("/od/cli-round-trip/pop3", test_pop3);
  g_test_add_func ("/od/cli-round-trip/timeout-bounds-wait", test_timeout_bounds_wait);

  ret = g_test_run ();
  od_test_certs_free (certs);
  g_free (config_dir);

  return ret;
}
