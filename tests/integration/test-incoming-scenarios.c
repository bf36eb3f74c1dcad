/* test-incoming-scenarios.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The check of the incoming server (check --incoming) against our fake IMAP and POP3
 * servers: each scenario makes the server misbehave in one chosen way, runs the real check
 * and asserts the verdict, the problem id, the step that failed, a remedy, and that the
 * password went only where it may. */

#include "config.h"

#include <string.h>

#include "od-check-report.h"
#include "od-check.h"
#include "od-fake-imap-server.h"
#include "od-fake-pop3-server.h"
#include "od-test-certs.h"
#include "od-test-discovery.h"

/* Also in tests/data/test-passwords.tsv, so the final secret scan looks for it. */
#define USER     "user@example.org"
#define PASSWORD "Tr0ub4dor&3 horse"

/* The fake IMAP server's own defaults. */
#define IMAP_CAPS_BEFORE "IMAP4rev1 SASL-IR STARTTLS LOGINDISABLED"
#define IMAP_CAPS_AFTER  "IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=LOGIN QUOTA SPECIAL-USE IDLE"

static OdTestCerts *certs;

typedef struct
{
  const char *path;
  OdProtocol  protocol;
  /* The server */
  gboolean    implicit_tls;
  gboolean    no_greeting;
  const char *greeting;
  const char *caps_before_tls;    /* NULL: the fake server's default */
  const char *caps_after_tls;
  const char *command;            /* a reply override */
  const char *reply;
  const char *injection;
  gboolean    endless;            /* IMAP: an endless literal to SELECT; POP3: endless CAPA */
  /* The client */
  OdSecurity  security;
  gboolean    wrong_password;
  /* What must come out: NULL for a pass */
  const char *problem_id;
  const char *step_id;
  gboolean    password_sent;      /* whether the server may have seen the password */
  const char *server_words;       /* in the problem's server_reply, when set */
} Scenario;

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  GMainLoop *loop = user_data;
  g_autoptr(GError) error = NULL;

  od_check_run_finish (OD_CHECK (object), result, &error);
  g_assert_no_error (error);
  g_main_loop_quit (loop);
}

static OdCheck *
run_check (OdProtocol  protocol,
           guint16     port,
           OdSecurity  security,
           const char *password)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  OdCheck *check = od_check_new (USER, "localhost", port, security);

  od_check_set_protocol (check, protocol);
  od_check_set_password (check, password);
  od_check_set_step_timeout (check, 1500);
  od_check_set_total_timeout (check, 20000);
  od_check_set_ca_file (check, od_test_certs_get_ca_file (certs));

  od_check_run_async (check, NULL, run_cb, loop);
  g_main_loop_run (loop);

  return check;
}

static OdFakeImapServer *
start_imap (const Scenario *s)
{
  g_autoptr(OdFakeImapServer) server = od_fake_imap_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);

  od_fake_imap_server_set_certificate (server, cert);
  od_fake_imap_server_set_implicit_tls (server, s->implicit_tls);
  od_fake_imap_server_set_credentials (server, USER, PASSWORD);
  if (s->no_greeting)
    od_fake_imap_server_set_greeting (server, NULL);
  else if (s->greeting != NULL)
    od_fake_imap_server_set_greeting (server, s->greeting);
  if (s->caps_before_tls != NULL || s->caps_after_tls != NULL)
    od_fake_imap_server_set_capabilities (server,
                                          s->caps_before_tls ? s->caps_before_tls
                                                             : IMAP_CAPS_BEFORE,
                                          s->caps_after_tls ? s->caps_after_tls
                                                            : IMAP_CAPS_AFTER);
  if (s->command != NULL)
    od_fake_imap_server_set_reply (server, s->command, s->reply);
  if (s->injection != NULL)
    od_fake_imap_server_set_starttls_injection (server, s->injection);
  if (s->endless)
    od_fake_imap_server_set_hostile (server, OD_FAKE_IMAP_HOSTILE_ENDLESS_LITERAL);

  g_assert_true (od_fake_imap_server_start (server, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&server);
}

static OdFakePop3Server *
start_pop3 (const Scenario *s)
{
  g_autoptr(OdFakePop3Server) server = od_fake_pop3_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);

  od_fake_pop3_server_set_certificate (server, cert);
  od_fake_pop3_server_set_implicit_tls (server, s->implicit_tls);
  od_fake_pop3_server_set_credentials (server, USER, PASSWORD);
  od_fake_pop3_server_set_mailbox (server, 2, 4096);
  if (s->no_greeting)
    od_fake_pop3_server_set_greeting (server, NULL);
  else if (s->greeting != NULL)
    od_fake_pop3_server_set_greeting (server, s->greeting);
  if (s->caps_before_tls != NULL || s->caps_after_tls != NULL)
    od_fake_pop3_server_set_capabilities (server,
                                          s->caps_before_tls ? s->caps_before_tls
                                                             : OD_FAKE_POP3_DEFAULT_CAPS,
                                          s->caps_after_tls ? s->caps_after_tls
                                                            : OD_FAKE_POP3_DEFAULT_CAPS_TLS);
  if (s->command != NULL)
    od_fake_pop3_server_set_reply (server, s->command, s->reply);
  if (s->injection != NULL)
    od_fake_pop3_server_set_stls_injection (server, s->injection);
  od_fake_pop3_server_set_endless_capa (server, s->endless);

  g_assert_true (od_fake_pop3_server_start (server, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&server);
}

/* The commands the server received hold no password in any form, and no login command. */
static void
assert_password_never_sent (GPtrArray *commands)
{
  g_autofree char *b64 = g_base64_encode ((const guchar *)PASSWORD, strlen (PASSWORD));

  for (guint i = 0; i < commands->len; i++)
    {
      const char *line = g_ptr_array_index (commands, i);

      g_assert_null (strstr (line, PASSWORD));
      g_assert_null (strstr (line, b64));
      g_assert_null (strstr (line, "LOGIN "));
      g_assert_null (strstr (line, "AUTHENTICATE"));
      g_assert_false (g_str_has_prefix (line, "PASS"));
      g_assert_false (g_str_has_prefix (line, "AUTH"));
    }
}

/* The JSON and the text report: the contract's shape, and no secret. */
static void
assert_report (OdCheck        *check,
               const Scenario *s)
{
  g_autoptr(JsonNode) root = od_check_report_to_json (check);
  g_autofree char *json = json_to_string (root, FALSE);
  g_autofree char *text = od_check_report_to_text (check);
  JsonObject *object = json_node_get_object (root);
  JsonArray *steps = json_object_get_array_member (object, "steps");
  const char * const *ids = od_checklist_get_step_ids_for_protocol (s->protocol);

  g_assert_cmpstr (json_object_get_string_member (object, "protocol"), ==,
                   od_protocol_to_string (s->protocol));
  g_assert_cmpuint (json_array_get_length (steps), ==, 8);
  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (steps, i),
                                                    "id"), ==, ids[i]);

  g_assert_null (strstr (json, PASSWORD));
  g_assert_null (strstr (text, PASSWORD));
}

static void
assert_outcome (OdCheck        *check,
                const Scenario *s)
{
  OdChecklist *checklist = od_check_get_checklist (check);
  OdProblem *problem = od_checklist_get_main_problem (checklist);

  assert_report (check, s);

  if (s->problem_id == NULL)
    {
      if (problem != NULL)
        g_test_message ("unexpected problem: %s (%s)", od_problem_get_id (problem),
                        od_problem_get_summary (problem));
      g_assert_cmpint (od_checklist_get_verdict (checklist), ==, OD_STEP_STATE_PASS);
      return;
    }

  g_assert_cmpint (od_checklist_get_verdict (checklist), ==, OD_STEP_STATE_FAIL);
  g_assert_nonnull (problem);
  g_assert_cmpstr (od_problem_get_id (problem), ==, s->problem_id);
  g_assert_cmpstr (od_problem_get_step_id (problem), ==, s->step_id);
  g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (checklist, s->step_id)), ==,
                   OD_STEP_STATE_FAIL);
  g_assert_nonnull (od_problem_get_remedy (problem));
  g_assert_cmpstr (od_problem_get_remedy (problem), !=, "");
  if (s->server_words != NULL)
    {
      g_assert_nonnull (od_problem_get_server_reply (problem));
      g_assert_nonnull (strstr (od_problem_get_server_reply (problem), s->server_words));
    }
}

static void
test_scenario (gconstpointer data)
{
  const Scenario *s = data;
  const char *password = s->wrong_password ? "not the password" : PASSWORD;
  g_autoptr(OdCheck) check = NULL;
  g_autoptr(GPtrArray) commands = NULL;

  if (s->protocol == OD_PROTOCOL_IMAP)
    {
      g_autoptr(OdFakeImapServer) server = start_imap (s);

      check = run_check (s->protocol, od_fake_imap_server_get_port (server), s->security,
                         password);
      od_fake_imap_server_stop (server);
      commands = od_fake_imap_server_dup_commands (server);
    }
  else
    {
      g_autoptr(OdFakePop3Server) server = start_pop3 (s);

      check = run_check (s->protocol, od_fake_pop3_server_get_port (server), s->security,
                         password);
      commands = g_ptr_array_ref (od_fake_pop3_server_get_commands (server));
      od_fake_pop3_server_stop (server);
    }

  assert_outcome (check, s);
  if (!s->password_sent)
    assert_password_never_sent (commands);
}

#define IMAP OD_PROTOCOL_IMAP
#define POP3 OD_PROTOCOL_POP3
#define TLS OD_SECURITY_TLS
#define STARTTLS OD_SECURITY_STARTTLS
#define NONE OD_SECURITY_NONE

static const Scenario scenarios[] = {
  /* Green */
  { "/od/incoming/imap/green-tls", IMAP, .implicit_tls = TRUE, .security = TLS,
    .password_sent = TRUE },
  { "/od/incoming/imap/green-starttls", IMAP, .security = STARTTLS, .password_sent = TRUE },
  { "/od/incoming/pop3/green-tls", POP3, .implicit_tls = TRUE, .security = TLS,
    .password_sent = TRUE },
  { "/od/incoming/pop3/green-stls", POP3, .security = STARTTLS, .password_sent = TRUE },
  { "/od/incoming/imap/login-command", IMAP, .implicit_tls = TRUE, .security = TLS,
    .caps_after_tls = "IMAP4rev1", .password_sent = TRUE },
  { "/od/incoming/pop3/user-pass", POP3, .implicit_tls = TRUE, .security = TLS,
    .caps_after_tls = "USER\nRESP-CODES", .password_sent = TRUE },

  /* Greeting */
  { "/od/incoming/imap/no-greeting", IMAP, .no_greeting = TRUE, .security = STARTTLS,
    .problem_id = "server-timeout", .step_id = "greeting" },
  { "/od/incoming/imap/bye-greeting", IMAP, .greeting = "* BYE Too many connections",
    .security = STARTTLS, .problem_id = "server-busy", .step_id = "greeting",
    .server_words = "Too many connections" },
  { "/od/incoming/pop3/no-greeting", POP3, .no_greeting = TRUE, .security = STARTTLS,
    .problem_id = "server-timeout", .step_id = "greeting" },
  { "/od/incoming/pop3/err-greeting", POP3, .greeting = "-ERR Go away",
    .security = STARTTLS, .problem_id = "server-busy", .step_id = "greeting",
    .server_words = "Go away" },

  /* Encryption */
  { "/od/incoming/imap/tls-to-starttls-port", IMAP, .security = TLS,
    .problem_id = "encryption-mismatch", .step_id = "tls" },
  { "/od/incoming/imap/starttls-to-tls-port", IMAP, .implicit_tls = TRUE,
    .security = STARTTLS, .problem_id = "encryption-mismatch", .step_id = "greeting" },
  { "/od/incoming/pop3/tls-to-stls-port", POP3, .security = TLS,
    .problem_id = "encryption-mismatch", .step_id = "tls" },
  { "/od/incoming/imap/starttls-not-offered", IMAP, .security = STARTTLS,
    .caps_before_tls = "IMAP4rev1 AUTH=PLAIN", .problem_id = "starttls-not-offered",
    .step_id = "tls" },
  { "/od/incoming/imap/starttls-injection", IMAP, .security = STARTTLS,
    .injection = "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n",
    .problem_id = "starttls-failed", .step_id = "tls" },
  { "/od/incoming/pop3/stls-injection", POP3, .security = STARTTLS,
    .injection = "+OK injected\r\n", .problem_id = "starttls-failed", .step_id = "tls" },

  /* LOGINDISABLED before TLS: handled by STARTTLS when offered (the fake server's default),
   * the end of the road without it. */
  { "/od/incoming/imap/logindisabled-starttls", IMAP, .security = STARTTLS,
    .caps_before_tls = "IMAP4rev1 STARTTLS LOGINDISABLED", .password_sent = TRUE },
  { "/od/incoming/imap/logindisabled-no-starttls", IMAP, .security = STARTTLS,
    .caps_before_tls = "IMAP4rev1 LOGINDISABLED", .problem_id = "imap-login-disabled",
    .step_id = "capabilities" },
  { "/od/incoming/imap/logindisabled-plain", IMAP, .security = NONE,
    .caps_before_tls = "IMAP4rev1 LOGINDISABLED AUTH=PLAIN",
    .problem_id = "imap-login-disabled", .step_id = "capabilities" },

  /* A plain-text server never gets the password. */
  { "/od/incoming/imap/plaintext-refused", IMAP, .security = NONE,
    .caps_before_tls = "IMAP4rev1 AUTH=PLAIN", .problem_id = "auth-plaintext-refused",
    .step_id = "auth" },
  { "/od/incoming/pop3/plaintext-refused", POP3, .security = NONE,
    .caps_before_tls = "USER\nSASL PLAIN", .problem_id = "auth-plaintext-refused",
    .step_id = "auth" },

  /* Login */
  { "/od/incoming/imap/wrong-password", IMAP, .implicit_tls = TRUE, .security = TLS,
    .wrong_password = TRUE, .problem_id = "auth-failed", .step_id = "auth",
    .password_sent = TRUE },
  { "/od/incoming/imap/authenticationfailed", IMAP, .implicit_tls = TRUE, .security = TLS,
    .command = "AUTHENTICATE", .reply = "NO [AUTHENTICATIONFAILED] Authentication failed.",
    .problem_id = "auth-failed", .step_id = "auth", .password_sent = TRUE,
    .server_words = "NO [AUTHENTICATIONFAILED] Authentication failed." },
  { "/od/incoming/imap/unavailable", IMAP, .implicit_tls = TRUE, .security = TLS,
    .command = "AUTHENTICATE", .reply = "NO [UNAVAILABLE] Try again later.",
    .problem_id = "auth-temporary-failure", .step_id = "auth", .password_sent = TRUE },
  { "/od/incoming/pop3/wrong-password", POP3, .implicit_tls = TRUE, .security = TLS,
    .wrong_password = TRUE, .problem_id = "auth-failed", .step_id = "auth",
    .password_sent = TRUE },

  /* The mailbox */
  { "/od/incoming/imap/over-quota", IMAP, .implicit_tls = TRUE, .security = TLS,
    .command = "GETQUOTAROOT",
    .reply = "* QUOTAROOT INBOX \"User quota\"\n"
             "* QUOTA \"User quota\" (STORAGE 1024 1024)\nOK Getquotaroot completed.",
    .problem_id = "mailbox-quota-exceeded", .step_id = "mailbox", .password_sent = TRUE },
  { "/od/incoming/imap/select-overquota", IMAP, .implicit_tls = TRUE, .security = TLS,
    .command = "SELECT", .reply = "NO [OVERQUOTA] Mailbox is over quota",
    .problem_id = "mailbox-quota-exceeded", .step_id = "mailbox", .password_sent = TRUE },
  { "/od/incoming/imap/endless-literal", IMAP, .implicit_tls = TRUE, .security = TLS,
    .endless = TRUE, .problem_id = "protocol-error", .step_id = "mailbox",
    .password_sent = TRUE },
  { "/od/incoming/pop3/stat-refused", POP3, .implicit_tls = TRUE, .security = TLS,
    .command = "STAT", .reply = "-ERR [SYS/TEMP] Mailbox locked",
    .problem_id = "server-error-temporary", .step_id = "mailbox", .password_sent = TRUE },
  { "/od/incoming/pop3/endless-capa", POP3, .implicit_tls = TRUE, .security = TLS,
    .endless = TRUE, .problem_id = "protocol-error", .step_id = "capabilities" },
};

/* The green IMAP check says what the inbox holds and how full it is. */
static void
test_imap_details (void)
{
  static const Scenario s = { "imap-details", IMAP, .implicit_tls = TRUE, .security = TLS };
  g_autoptr(OdFakeImapServer) server = start_imap (&s);
  g_autoptr(OdCheck) check = run_check (IMAP, od_fake_imap_server_get_port (server), TLS,
                                        PASSWORD);
  OdChecklist *checklist = od_check_get_checklist (check);
  const char *detail = od_check_step_get_detail (od_checklist_get_step (checklist, "mailbox"));
  g_autoptr(GPtrArray) commands = NULL;
  guint n_messages = 0;

  od_fake_imap_server_stop (server);
  commands = od_fake_imap_server_dup_commands (server);

  g_assert_true (od_check_get_mailbox (check, &n_messages));
  g_assert_cmpuint (n_messages, ==, 3);
  g_assert_nonnull (strstr (detail, "3 messages"));
  g_assert_nonnull (strstr (detail, "used"));

  /* Nothing but looking: the last commands are SELECT, GETQUOTAROOT and LOGOUT. */
  g_assert_cmpuint (commands->len, >=, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (commands, commands->len - 3), "SELECT \"INBOX\""));
  g_assert_nonnull (strstr (g_ptr_array_index (commands, commands->len - 2), "GETQUOTAROOT"));
  g_assert_nonnull (strstr (g_ptr_array_index (commands, commands->len - 1), "LOGOUT"));
}

static void
test_pop3_details (void)
{
  static const Scenario s = { "pop3-details", POP3, .implicit_tls = TRUE, .security = TLS };
  g_autoptr(OdFakePop3Server) server = start_pop3 (&s);
  g_autoptr(OdCheck) check = run_check (POP3, od_fake_pop3_server_get_port (server), TLS,
                                        PASSWORD);
  OdChecklist *checklist = od_check_get_checklist (check);
  const char *detail = od_check_step_get_detail (od_checklist_get_step (checklist, "mailbox"));
  GPtrArray *commands = od_fake_pop3_server_get_commands (server);
  guint n_messages = 0;

  g_assert_true (od_check_get_mailbox (check, &n_messages));
  g_assert_cmpuint (n_messages, ==, 2);
  g_assert_nonnull (strstr (detail, "2 messages"));
  g_assert_cmpstr (g_ptr_array_index (commands, commands->len - 1), ==, "QUIT");
  for (guint i = 0; i < commands->len; i++)
    g_assert_false (g_str_has_prefix (g_ptr_array_index (commands, i), "DELE"));
  od_fake_pop3_server_stop (server);
}

/* Without a password the check stops after the capabilities. */
static void
test_no_password (void)
{
  static const Scenario s = { "no-password", IMAP, .implicit_tls = TRUE, .security = TLS };
  g_autoptr(OdFakeImapServer) server = start_imap (&s);
  g_autoptr(OdCheck) check = run_check (IMAP, od_fake_imap_server_get_port (server), TLS, NULL);
  OdChecklist *checklist = od_check_get_checklist (check);

  od_fake_imap_server_stop (server);
  g_assert_cmpint (od_checklist_get_verdict (checklist), ==, OD_STEP_STATE_PASS);
  g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (checklist, "auth")), ==,
                   OD_STEP_STATE_SKIP);
  g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (checklist, "mailbox")), ==,
                   OD_STEP_STATE_SKIP);
  g_assert_false (od_check_get_mailbox (check, NULL));
}

/* The chosen port refuses and the other port of the protocol works: the check says so and
 * suggests it (993 refused, 143 with STARTTLS answers), as for sending. */
static void
test_other_port_suggested (void)
{
  static const Scenario s = { "other-port", IMAP, .security = STARTTLS };
  g_autoptr(OdFakeImapServer) server = start_imap (&s);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(OdCheck) check = od_check_new (USER, "localhost", 993, OD_SECURITY_TLS);
  OdProblem *problem;
  const char *host;
  guint16 port;
  OdSecurity security;

  od_check_set_protocol (check, IMAP);
  od_check_set_password (check, PASSWORD);
  od_check_set_step_timeout (check, 1500);
  od_check_set_total_timeout (check, 20000);
  od_check_set_ca_file (check, od_test_certs_get_ca_file (certs));
  /* 993 is a port nobody listens on; 143 is the fake server. */
  od_check_map_port_for_testing (check, 993, od_test_find_free_port ());
  od_check_map_port_for_testing (check, 143, od_fake_imap_server_get_port (server));
  od_check_run_async (check, NULL, run_cb, loop);
  g_main_loop_run (loop);
  od_fake_imap_server_stop (server);

  problem = od_checklist_get_main_problem (od_check_get_checklist (check));
  g_assert_nonnull (problem);
  g_assert_cmpstr (od_problem_get_step_id (problem), ==, "connect");
  g_test_message ("%s: %s", od_problem_get_id (problem), od_problem_get_remedy (problem));
  g_assert_true (od_problem_get_suggestion (problem, &host, &port, &security));
  g_assert_cmpstr (host, ==, "localhost");
  g_assert_cmpuint (port, ==, 143);
  g_assert_cmpint (security, ==, OD_SECURITY_STARTTLS);
}

static void
cancel_run_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GError **error = user_data;

  od_check_run_finish (OD_CHECK (object), result, error);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* The whole-run deadline holds for receiving too: a server that never greets (and the
 * second connection that looks for TLS) end within --timeout; and the caller can stop the
 * run at any moment. */
static void
test_deadline_and_cancel (void)
{
  static const Scenario s = { "silent", IMAP, .no_greeting = TRUE, .security = STARTTLS };
  g_autoptr(OdFakeImapServer) server = start_imap (&s);
  g_autoptr(OdCheck) timed = od_check_new (USER, "localhost",
                                           od_fake_imap_server_get_port (server), STARTTLS);
  g_autoptr(OdCheck) stopped = od_check_new (USER, "localhost",
                                             od_fake_imap_server_get_port (server), STARTTLS);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  OdProblem *problem;

  od_check_set_protocol (timed, IMAP);
  od_check_set_password (timed, PASSWORD);
  od_check_set_total_timeout (timed, 2000);
  od_check_run_async (timed, NULL, run_cb, loop);
  g_main_loop_run (loop);
  g_assert_cmpint ((g_get_monotonic_time () - started) / 1000, <, 2500);
  problem = od_checklist_get_main_problem (od_check_get_checklist (timed));
  g_assert_cmpstr (od_problem_get_id (problem), ==, "server-timeout");

  od_check_set_protocol (stopped, IMAP);
  od_check_set_password (stopped, PASSWORD);
  started = g_get_monotonic_time ();
  g_timeout_add (300, cancel_cb, cancellable);
  od_check_run_async (stopped, cancellable, cancel_run_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint ((g_get_monotonic_time () - started) / 1000, <, 1000);

  od_fake_imap_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  certs = od_test_certs_new (&error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    g_test_add_data_func (scenarios[i].path, &scenarios[i], test_scenario);
  g_test_add_func ("/od/incoming/imap/details", test_imap_details);
  g_test_add_func ("/od/incoming/pop3/details", test_pop3_details);
  g_test_add_func ("/od/incoming/no-password", test_no_password);
  g_test_add_func ("/od/incoming/other-port-suggested", test_other_port_suggested);
  g_test_add_func ("/od/incoming/deadline-and-cancel", test_deadline_and_cancel);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
