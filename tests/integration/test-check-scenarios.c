/* test-check-scenarios.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One test per problem a server can cause: our fake server misbehaves in one chosen way, the
 * real check runs against it, and the test asserts the problem id, the step that failed and
 * that the user gets a remedy. */

#include "config.h"

#include <string.h>

#include "od-check-report.h"
#include "od-check.h"
#include "od-fake-smtp-server.h"
#include "od-test-certs.h"

#define USER     "user@example.org"
#define PASSWORD "Tr0ub4dor&3 horse"

static OdTestCerts *certs;

typedef struct
{
  const char *path;
  /* The server */
  gboolean    implicit_tls;
  const char *cert_kind;          /* NULL: the good certificate */
  gboolean    no_greeting;
  const char *greeting;
  const char *caps_before_tls;    /* NULL: the fake server's default */
  const char *caps_after_tls;
  const char *command;            /* a reply override */
  const char *reply;
  const char *command2;
  const char *reply2;
  gboolean    require_auth;
  const char *injection;
  /* The client */
  OdSecurity  security;
  gboolean    no_password;
  gboolean    wrong_password;
  gboolean    send_test;
  /* What must come out */
  const char *problem_id;
  const char *step_id;
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
run_check (guint16     port,
           OdSecurity  security,
           const char *password,
           gboolean    send_test,
           gboolean    trust_test_ca)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  OdCheck *check = od_check_new (USER, "localhost", port, security);

  od_check_set_password (check, password);
  od_check_set_send_test (check, send_test);
  od_check_set_step_timeout (check, 1500);
  od_check_set_total_timeout (check, 20000);
  if (trust_test_ca)
    od_check_set_ca_file (check, od_test_certs_get_ca_file (certs));

  od_check_run_async (check, NULL, run_cb, loop);
  g_main_loop_run (loop);

  return check;
}

static OdFakeSmtpServer *
start_server (const Scenario *s)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = od_test_certs_load (certs, s->cert_kind ? s->cert_kind : "good", &error);
  g_assert_no_error (error);

  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_implicit_tls (server, s->implicit_tls);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);
  od_fake_smtp_server_set_require_auth (server, s->require_auth);

  if (s->no_greeting)
    od_fake_smtp_server_set_greeting (server, NULL);
  else if (s->greeting != NULL)
    od_fake_smtp_server_set_greeting (server, s->greeting);

  if (s->caps_before_tls != NULL || s->caps_after_tls != NULL)
    od_fake_smtp_server_set_capabilities (server,
                                          s->caps_before_tls ? s->caps_before_tls : "",
                                          s->caps_after_tls ? s->caps_after_tls : "");
  if (s->command != NULL)
    od_fake_smtp_server_set_reply (server, s->command, s->reply);
  if (s->command2 != NULL)
    od_fake_smtp_server_set_reply (server, s->command2, s->reply2);
  if (s->injection != NULL)
    od_fake_smtp_server_set_starttls_injection (server, s->injection);

  g_assert_true (od_fake_smtp_server_start (server, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&server);
}

/* Checks the commands the server received from the @first-th on. */
static void
assert_password_never_sent_since (OdFakeSmtpServer *server,
                                  guint             first)
{
  GPtrArray *commands = od_fake_smtp_server_get_commands (server);
  g_autofree char *b64 = g_base64_encode ((const guchar *)PASSWORD, strlen (PASSWORD));

  for (guint i = first; i < commands->len; i++)
    {
      const char *line = g_ptr_array_index (commands, i);

      g_assert_null (strstr (line, PASSWORD));
      g_assert_null (strstr (line, b64));
      g_assert_false (g_ascii_strncasecmp (line, "AUTH", 4) == 0);
    }
}

static void
assert_password_never_sent (OdFakeSmtpServer *server)
{
  assert_password_never_sent_since (server, 0);
}

/* Keeps every report where the suite's secret scan (tests/check-no-secrets.sh) reads it. */
static void
save_report (const char *json,
             const char *text)
{
  const char *dir = g_getenv ("OD_TEST_OUTPUT_DIR");
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *text_path = NULL;

  if (dir == NULL)
    return;

  base = g_build_filename (dir, "scenarios", NULL);
  g_mkdir_with_parents (base, 0700);
  name = g_strdelimit (g_strdup (g_test_get_path ()), "/", '_');
  json_path = g_strdup_printf ("%s/%s.json", base, name);
  text_path = g_strdup_printf ("%s/%s.txt", base, name);
  g_assert_true (g_file_set_contents (json_path, json, -1, NULL));
  g_assert_true (g_file_set_contents (text_path, text, -1, NULL));
}

static void
assert_report_clean (OdCheck *check)
{
  g_autoptr(JsonNode) root = od_check_report_to_json (check);
  g_autofree char *json = json_to_string (root, FALSE);
  g_autofree char *text = od_check_report_to_text (check);
  g_autofree char *b64 = g_base64_encode ((const guchar *)PASSWORD, strlen (PASSWORD));

  save_report (json, text);

  g_assert_null (strstr (json, PASSWORD));
  g_assert_null (strstr (json, b64));
  g_assert_null (strstr (text, PASSWORD));
  g_assert_null (strstr (text, b64));
}

static void
test_scenario (gconstpointer data)
{
  const Scenario *s = data;
  g_autoptr(OdFakeSmtpServer) server = start_server (s);
  g_autoptr(OdCheck) check = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  OdChecklist *checklist;
  OdProblem *problem;
  OdCheckStep *failed;

  check = run_check (od_fake_smtp_server_get_port (server), s->security,
                     s->no_password ? NULL : s->wrong_password ? "not" PASSWORD : PASSWORD,
                     s->send_test, TRUE);
  checklist = od_check_get_checklist (check);
  problems = od_checklist_get_problems (checklist);

  if (g_test_verbose ())
    {
      g_autofree char *report = od_check_report_to_text (check);
      g_test_message ("%s", report);
    }

  g_assert_cmpint (od_checklist_get_verdict (checklist), ==, OD_STEP_STATE_FAIL);
  g_assert_cmpuint (problems->len, >=, 1);

  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpstr (od_problem_get_id (problem), ==, s->problem_id);
  g_assert_cmpstr (od_problem_get_step_id (problem), ==, s->step_id);
  g_assert_cmpstr (od_problem_get_remedy (problem), !=, "");
  g_assert_cmpstr (od_problem_get_summary (problem), !=, "");
  /* Encryption off where the server offers STARTTLS: the same port with STARTTLS. */
  if (g_str_equal (s->path, "/od/scenario/encryption-off-starttls-offered"))
    {
      guint16 port = 0;
      OdSecurity security = OD_SECURITY_NONE;

      g_assert_true (od_problem_get_suggestion (problem, NULL, &port, &security));
      g_assert_cmpuint (port, ==, od_fake_smtp_server_get_port (server));
      g_assert_cmpint (security, ==, OD_SECURITY_STARTTLS);
      /* Offered by the server, not tried. */
      g_assert_false (od_problem_get_suggestion_tried (problem));
    }

  failed = od_checklist_get_step (checklist, s->step_id);
  g_assert_cmpint (od_check_step_get_state (failed), ==, OD_STEP_STATE_FAIL);
  g_assert_true (od_check_step_get_problem (failed) == problem);

  /* A reply-based problem keeps the server's exact words beside the explanation. */
  if (s->reply != NULL && s->reply[0] != '<')
    {
      g_autofree char *first_line = g_strndup (s->reply + 4, strcspn (s->reply + 4, "\r\n"));

      g_assert_nonnull (od_problem_get_server_reply (problem));
      g_assert_nonnull (strstr (od_problem_get_server_reply (problem), first_line));
    }

  if (g_str_has_prefix (s->problem_id, "tls-") ||
      g_str_equal (s->problem_id, "starttls-not-offered") ||
      g_str_equal (s->problem_id, "starttls-failed") ||
      g_str_equal (s->problem_id, "encryption-mismatch") ||
      g_str_equal (s->problem_id, "auth-plaintext-refused") ||
      g_str_equal (s->problem_id, "auth-not-offered"))
    assert_password_never_sent (server);

  assert_report_clean (check);
  od_fake_smtp_server_stop (server);
}

static const Scenario scenarios[] = {
  { "/od/scenario/greeting-421",
    .greeting = "421 4.3.2 Service not available, closing transmission channel",
    .security = OD_SECURITY_STARTTLS, .problem_id = "server-busy", .step_id = "greeting" },
  { "/od/scenario/greeting-554",
    .greeting = "554 5.7.1 Your IP address is listed on a blocklist",
    .security = OD_SECURITY_STARTTLS, .problem_id = "server-error-permanent", .step_id = "greeting" },
  { "/od/scenario/no-greeting",
    .no_greeting = TRUE,
    .security = OD_SECURITY_STARTTLS, .problem_id = "server-timeout", .step_id = "greeting" },
  { "/od/scenario/implicit-tls-to-plain-port",
    .security = OD_SECURITY_TLS, .problem_id = "encryption-mismatch", .step_id = "tls" },
  { "/od/scenario/plain-to-implicit-tls-port",
    .implicit_tls = TRUE,
    .security = OD_SECURITY_STARTTLS, .problem_id = "encryption-mismatch", .step_id = "greeting" },
  { "/od/scenario/no-starttls",
    .caps_before_tls = "SIZE 1000000\nAUTH PLAIN LOGIN", .caps_after_tls = "AUTH PLAIN LOGIN",
    .security = OD_SECURITY_STARTTLS, .problem_id = "starttls-not-offered", .step_id = "tls" },
  { "/od/scenario/starttls-refused",
    .command = "STARTTLS", .reply = "454 4.7.0 TLS not available due to temporary reason",
    .security = OD_SECURITY_STARTTLS, .problem_id = "starttls-failed", .step_id = "tls" },
  { "/od/scenario/starttls-injection",
    .injection = "250-injected\r\n250 AUTH PLAIN\r\n",
    .security = OD_SECURITY_STARTTLS, .problem_id = "starttls-failed", .step_id = "tls" },
  { "/od/scenario/self-signed",
    .implicit_tls = TRUE, .cert_kind = "self-signed",
    .security = OD_SECURITY_TLS, .problem_id = "tls-certificate-untrusted", .step_id = "tls" },
  { "/od/scenario/expired",
    .implicit_tls = TRUE, .cert_kind = "expired",
    .security = OD_SECURITY_TLS, .problem_id = "tls-certificate-expired", .step_id = "tls" },
  { "/od/scenario/wrong-name",
    .implicit_tls = TRUE, .cert_kind = "wrong-name",
    .security = OD_SECURITY_TLS, .problem_id = "tls-certificate-hostname-mismatch", .step_id = "tls" },
  { "/od/scenario/starttls-expired",
    .cert_kind = "expired",
    .security = OD_SECURITY_STARTTLS, .problem_id = "tls-certificate-expired", .step_id = "tls" },
  { "/od/scenario/auth-cram-md5-wrong-password",
    .caps_before_tls = "STARTTLS", .caps_after_tls = "AUTH CRAM-MD5", .wrong_password = TRUE,
    .security = OD_SECURITY_STARTTLS, .problem_id = "auth-failed", .step_id = "auth" },
  { "/od/scenario/auth-535",
    .command = "AUTH", .reply = "535 5.7.8 Authentication credentials invalid",
    .security = OD_SECURITY_STARTTLS, .problem_id = "auth-failed", .step_id = "auth" },
  { "/od/scenario/auth-wrong-password",
    .implicit_tls = TRUE, .caps_after_tls = "AUTH LOGIN", .wrong_password = TRUE,
    .security = OD_SECURITY_TLS, .problem_id = "auth-failed", .step_id = "auth" },
  { "/od/scenario/auth-534",
    .command = "AUTH", .reply = "534-5.7.9 Application-specific password required. Learn more at\r\n"
                                "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor",
    .security = OD_SECURITY_STARTTLS, .problem_id = "auth-app-password-required", .step_id = "auth" },
  { "/od/scenario/auth-538",
    .command = "AUTH", .reply = "538 5.7.11 Encryption required for requested authentication mechanism",
    .security = OD_SECURITY_STARTTLS, .problem_id = "auth-encryption-required", .step_id = "auth" },
  { "/od/scenario/auth-530-starttls",
    .command = "AUTH", .reply = "530 5.7.0 Must issue a STARTTLS command first",
    .security = OD_SECURITY_STARTTLS, .problem_id = "auth-encryption-required", .step_id = "auth" },
  { "/od/scenario/auth-454",
    .command = "AUTH", .reply = "454 4.7.0 Temporary authentication failure",
    .security = OD_SECURITY_STARTTLS, .problem_id = "auth-temporary-failure", .step_id = "auth" },
  { "/od/scenario/auth-not-offered",
    .caps_before_tls = "STARTTLS", .caps_after_tls = "SIZE 1000000",
    .security = OD_SECURITY_STARTTLS, .problem_id = "auth-not-offered", .step_id = "auth" },
  { "/od/scenario/auth-only-without-tls",
    .caps_before_tls = "STARTTLS\nAUTH PLAIN LOGIN", .caps_after_tls = "SIZE 1000000",
    .security = OD_SECURITY_STARTTLS, .problem_id = "auth-plaintext-refused", .step_id = "auth" },
  { "/od/scenario/auth-on-plain-server",
    .caps_before_tls = "AUTH PLAIN LOGIN",
    .security = OD_SECURITY_NONE, .problem_id = "auth-plaintext-refused", .step_id = "auth" },
  /* Encryption off, but STARTTLS offered on this port: the setting to change, suggested. */
  { "/od/scenario/encryption-off-starttls-offered",
    .caps_before_tls = "STARTTLS\nAUTH PLAIN LOGIN",
    .security = OD_SECURITY_NONE, .problem_id = "encryption-mismatch", .step_id = "auth" },
  { "/od/scenario/auth-required",
    .require_auth = TRUE, .no_password = TRUE,
    .security = OD_SECURITY_STARTTLS, .problem_id = "auth-required", .step_id = "sender" },
  { "/od/scenario/relay-denied",
    .command = "RCPT", .reply = "554 5.7.1 <user@example.org>: Relay access denied",
    .security = OD_SECURITY_STARTTLS, .problem_id = "relay-denied", .step_id = "recipient" },
  { "/od/scenario/sender-not-owned",
    .command = "MAIL", .reply = "553 5.7.1 <user@example.org>: Sender address rejected: not owned by user other@example.org",
    .security = OD_SECURITY_STARTTLS, .problem_id = "sender-not-allowed", .step_id = "sender" },
  { "/od/scenario/unknown-recipient",
    .command = "RCPT", .reply = "550 5.1.1 <user@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
    .security = OD_SECURITY_STARTTLS, .problem_id = "recipient-rejected", .step_id = "recipient" },
  { "/od/scenario/mailbox-full",
    .command = "RCPT", .reply = "452 4.2.2 The email account that you tried to reach is over quota",
    .security = OD_SECURITY_STARTTLS, .problem_id = "mailbox-full", .step_id = "recipient" },
  { "/od/scenario/greylisted",
    .command = "RCPT", .reply = "450 4.2.0 <user@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html",
    .security = OD_SECURITY_STARTTLS, .problem_id = "greylisted", .step_id = "recipient" },
  { "/od/scenario/rate-limited",
    .command = "MAIL", .reply = "421 4.7.0 Too many messages sent: rate limit exceeded",
    .security = OD_SECURITY_STARTTLS, .problem_id = "rate-limited", .step_id = "sender" },
  { "/od/scenario/spam",
    .command = "DATA-END", .reply = "550 5.7.1 Message rejected as spam by content filter",
    .security = OD_SECURITY_STARTTLS, .send_test = TRUE,
    .problem_id = "message-rejected-spam", .step_id = "data" },
  { "/od/scenario/dmarc",
    .command = "DATA-END", .reply = "550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.",
    .security = OD_SECURITY_STARTTLS, .send_test = TRUE,
    .problem_id = "message-rejected-authentication", .step_id = "data" },
  { "/od/scenario/too-large",
    .command = "DATA-END", .reply = "552 5.3.4 Message size exceeds fixed maximum message size",
    .security = OD_SECURITY_STARTTLS, .send_test = TRUE,
    .problem_id = "message-too-large", .step_id = "data" },
  { "/od/scenario/generic-4xx",
    .command = "RCPT", .reply = "451 4.3.0 Local error in processing",
    .security = OD_SECURITY_STARTTLS, .problem_id = "server-error-temporary", .step_id = "recipient" },
  { "/od/scenario/generic-5xx",
    .command = "MAIL", .reply = "554 5.3.0 Transaction failed",
    .security = OD_SECURITY_STARTTLS, .problem_id = "server-error-permanent", .step_id = "sender" },
  { "/od/scenario/closed-after-rcpt",
    .command = "RCPT", .reply = "<close>",
    .security = OD_SECURITY_STARTTLS, .problem_id = "server-error-temporary", .step_id = "recipient" },
  { "/od/scenario/silent-after-mail",
    .command = "MAIL", .reply = "<silent>",
    .security = OD_SECURITY_STARTTLS, .problem_id = "server-timeout", .step_id = "sender" },
};

/* Hostile servers: each must end with the right problem within its deadline (measured, with
 * 10 % to spare) and with bounded memory. */
#define HOSTILE_STEP_MS  1500
#define SNIFF_MS         3000   /* od-check.c: the second connection after a silent greeting */
#define MARGIN           1.10
#define MAX_RSS_GROWTH_KB (16 * 1024)
#define MAX_TRANSCRIPT_BYTES (64 * 1024)

typedef struct
{
  const char        *path;
  OdFakeSmtpHostile  hostile;
  gboolean           implicit_tls;
  guint              drip_ms;
  gboolean           drip_greeting;
  OdSecurity         security;
  const char        *problem_id;
  const char        *step_id;
  guint              deadline_ms;   /* how long the failing step may take; 0: not a time-out */
} HostileScenario;

static gint64
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);

  return g_ascii_strtoll (line + strlen ("VmRSS:"), NULL, 10);
}

static OdCheck *
run_hostile_check (guint16    port,
                   OdSecurity security)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  OdCheck *check = od_check_new (USER, "127.0.0.1", port, security);

  od_check_set_password (check, PASSWORD);
  od_check_set_step_timeout (check, HOSTILE_STEP_MS);
  od_check_set_ca_file (check, od_test_certs_get_ca_file (certs));

  od_check_run_async (check, NULL, run_cb, loop);
  g_main_loop_run (loop);

  return check;
}

/* TLS and the resolver allocate once, on first use: measure memory after that. */
static void
warm_up (void)
{
  static gboolean done;
  const Scenario s = { 0 };
  g_autoptr(OdFakeSmtpServer) server = NULL;
  g_autoptr(OdCheck) check = NULL;

  if (done)
    return;

  server = start_server (&s);
  check = run_hostile_check (od_fake_smtp_server_get_port (server), OD_SECURITY_STARTTLS);
  g_assert_cmpint (od_checklist_get_verdict (od_check_get_checklist (check)), ==,
                   OD_STEP_STATE_PASS);
  done = TRUE;
}

static void
test_hostile (gconstpointer data)
{
  const HostileScenario *h = data;
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OdCheck) check = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *transcript = NULL;
  OdCheckStep *failed;
  gint64 rss_before, rss_after, start_us, elapsed_ms, step_ms;
  guint n_steps = 0;

  warm_up ();

  cert = od_test_certs_load (certs, "good", &error);
  g_assert_no_error (error);
  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_implicit_tls (server, h->implicit_tls);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);
  od_fake_smtp_server_set_hostile (server, h->hostile);
  od_fake_smtp_server_set_drip (server, h->drip_ms, h->drip_greeting);
  g_assert_true (od_fake_smtp_server_start (server, &error));

  rss_before = rss_kb ();
  start_us = g_get_monotonic_time ();
  check = run_hostile_check (od_fake_smtp_server_get_port (server), h->security);
  elapsed_ms = (g_get_monotonic_time () - start_us) / 1000;
  rss_after = rss_kb ();

  problems = od_checklist_get_problems (od_check_get_checklist (check));
  g_assert_cmpuint (problems->len, >=, 1);
  g_assert_cmpstr (od_problem_get_id (g_ptr_array_index (problems, 0)), ==, h->problem_id);
  g_assert_cmpstr (od_problem_get_step_id (g_ptr_array_index (problems, 0)), ==, h->step_id);
  failed = od_checklist_get_step (od_check_get_checklist (check), h->step_id);
  g_assert_cmpint (od_check_step_get_state (failed), ==, OD_STEP_STATE_FAIL);
  step_ms = od_check_step_get_elapsed_ms (failed);

  g_test_message ("%s: %s after %" G_GINT64_FORMAT " ms (step %" G_GINT64_FORMAT " ms, "
                  "deadline %u ms), RSS %+" G_GINT64_FORMAT " KiB, server sent %" G_GUINT64_FORMAT
                  " bytes", h->path, h->problem_id, elapsed_ms, step_ms, h->deadline_ms,
                  rss_after - rss_before, od_fake_smtp_server_get_bytes_sent (server));

  /* The step ends at its deadline, not earlier (it really waited) and not much later. */
  if (h->deadline_ms > 0)
    {
      g_assert_cmpint (step_ms, >=, h->deadline_ms * 0.9);
      g_assert_cmpint (step_ms, <=, h->deadline_ms * MARGIN);
      g_assert_cmpint (elapsed_ms, <=, h->deadline_ms * MARGIN + 500);
    }
  else
    g_assert_cmpint (elapsed_ms, <=, HOSTILE_STEP_MS);

  /* No other step failed or outlived the deadline (with STARTTLS the first "ehlo" step spans
   * the "tls" step, so it can be as long). */
  for (guint i = 0; od_checklist_get_step_ids ()[i] != NULL; i++)
    {
      OdCheckStep *other = od_checklist_get_step (od_check_get_checklist (check),
                                                  od_checklist_get_step_ids ()[i]);

      if (other == failed)
        continue;
      g_assert_cmpint (od_check_step_get_state (other), !=, OD_STEP_STATE_FAIL);
      g_assert_cmpint (od_check_step_get_elapsed_ms (other), <=,
                       MAX (h->deadline_ms, HOSTILE_STEP_MS) * MARGIN);
      n_steps++;
    }
  g_assert_cmpuint (n_steps, ==, 9);

  /* Bounded memory: what the server sent was not kept, and the transcript stayed small. */
  g_assert_cmpint (rss_after - rss_before, <, MAX_RSS_GROWTH_KB);
  transcript = od_transcript_to_text (od_check_get_transcript (check));
  g_assert_cmpuint (strlen (transcript), <, MAX_TRANSCRIPT_BYTES);

  assert_password_never_sent (server);
  assert_report_clean (check);
  od_fake_smtp_server_stop (server);
}

static const HostileScenario hostile_scenarios[] = {
  { "/od/hostile/endless-multiline-reply", OD_FAKE_SMTP_HOSTILE_ENDLESS_REPLY,
    .security = OD_SECURITY_STARTTLS, .problem_id = "protocol-error", .step_id = "ehlo" },
  { "/od/hostile/long-line-without-crlf", OD_FAKE_SMTP_HOSTILE_LONG_LINE,
    .security = OD_SECURITY_STARTTLS, .problem_id = "protocol-error", .step_id = "greeting" },
  { "/od/hostile/random-binary", OD_FAKE_SMTP_HOSTILE_BINARY,
    .security = OD_SECURITY_STARTTLS, .problem_id = "protocol-error", .step_id = "greeting" },
  /* No greeting: after the step's deadline a TLS handshake on a second connection checks for
   * an implicit-TLS port, which has its own deadline. */
  { "/od/hostile/accept-never-speak", OD_FAKE_SMTP_HOSTILE_BLACKHOLE,
    .security = OD_SECURITY_STARTTLS, .problem_id = "server-timeout", .step_id = "greeting",
    .deadline_ms = HOSTILE_STEP_MS + SNIFF_MS },
  { "/od/hostile/accept-never-speak-tls", OD_FAKE_SMTP_HOSTILE_BLACKHOLE,
    .security = OD_SECURITY_TLS, .problem_id = "server-timeout", .step_id = "tls",
    .deadline_ms = HOSTILE_STEP_MS },
  { "/od/hostile/drip-greeting", OD_FAKE_SMTP_HOSTILE_NONE, .drip_ms = 1000, .drip_greeting = TRUE,
    .security = OD_SECURITY_STARTTLS, .problem_id = "server-timeout", .step_id = "greeting",
    .deadline_ms = HOSTILE_STEP_MS + SNIFF_MS },
  { "/od/hostile/drip-ehlo-reply", OD_FAKE_SMTP_HOSTILE_NONE, .drip_ms = 1000,
    .security = OD_SECURITY_STARTTLS, .problem_id = "server-timeout", .step_id = "ehlo",
    .deadline_ms = HOSTILE_STEP_MS },
  { "/od/hostile/stall-implicit-tls-handshake", OD_FAKE_SMTP_HOSTILE_STALL_HANDSHAKE,
    .implicit_tls = TRUE,
    .security = OD_SECURITY_TLS, .problem_id = "server-timeout", .step_id = "tls",
    .deadline_ms = HOSTILE_STEP_MS },
  { "/od/hostile/stall-starttls-handshake", OD_FAKE_SMTP_HOSTILE_STALL_HANDSHAKE,
    .security = OD_SECURITY_STARTTLS, .problem_id = "server-timeout", .step_id = "tls",
    .deadline_ms = HOSTILE_STEP_MS },
};

/* The PLAIN blob "\0user\0password" in base64, as the client sends it. */
static char *
plain_blob_base64 (void)
{
  g_autoptr(GString) blob = g_string_new (NULL);

  g_string_append_c (blob, '\0');
  g_string_append (blob, USER);
  g_string_append_c (blob, '\0');
  g_string_append (blob, PASSWORD);

  return g_base64_encode ((const guchar *)blob->str, blob->len);
}

static void
assert_no_credentials (const char *text)
{
  g_autofree char *b64 = g_base64_encode ((const guchar *)PASSWORD, strlen (PASSWORD));
  g_autofree char *blob64 = plain_blob_base64 ();

  g_assert_nonnull (text);
  g_assert_null (strstr (text, PASSWORD));
  g_assert_null (strstr (text, b64));
  g_assert_null (strstr (text, blob64));
}

static void
assert_steps_clean (OdCheck *check)
{
  OdChecklist *checklist = od_check_get_checklist (check);

  for (guint i = 0; od_checklist_get_step_ids ()[i] != NULL; i++)
    {
      OdCheckStep *s = od_checklist_get_step (checklist, od_checklist_get_step_ids ()[i]);
      OdProblem *problem = od_check_step_get_problem (s);

      if (od_check_step_get_detail (s) != NULL)
        assert_no_credentials (od_check_step_get_detail (s));
      if (problem != NULL)
        {
          assert_no_credentials (od_problem_get_summary (problem));
          assert_no_credentials (od_problem_get_remedy (problem));
          if (od_problem_get_server_reply (problem) != NULL)
            assert_no_credentials (od_problem_get_server_reply (problem));
        }
    }

  {
    g_autoptr(JsonNode) root = od_check_report_to_json (check);
    g_autofree char *json = json_to_string (root, FALSE);
    g_autofree char *text = od_check_report_to_text (check);

    assert_no_credentials (json);
    assert_no_credentials (text);
  }
  assert_report_clean (check);
}

/* A server that echoes what it was sent: the password and the AUTH PLAIN blob in its
 * greeting and in its 535 reply. Neither reaches the problem, a step, the JSON or the report
 * (which the suite's final secret scan reads again). */
static void
test_server_echoes_credentials (void)
{
  g_autofree char *blob64 = plain_blob_base64 ();
  g_autofree char *b64 = g_base64_encode ((const guchar *)PASSWORD, strlen (PASSWORD));
  g_autofree char *greeting = g_strdup_printf ("220 fake.example.org ready, " USER ":%s", b64);
  g_autofree char *reply = g_strdup_printf ("535-5.7.8 bad credentials for " USER ":" PASSWORD
                                            "\r\n535 5.7.8 you sent AUTH PLAIN %s", blob64);
  const Scenario s = { .command = "AUTH", .reply = reply, .greeting = greeting };
  g_autoptr(OdFakeSmtpServer) server = start_server (&s);
  g_autoptr(OdCheck) check = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  OdChecklist *checklist;
  OdProblem *problem;
  const char *server_reply;

  check = run_check (od_fake_smtp_server_get_port (server), OD_SECURITY_STARTTLS, PASSWORD,
                     FALSE, TRUE);
  checklist = od_check_get_checklist (check);
  problems = od_checklist_get_problems (checklist);

  g_assert_cmpuint (problems->len, >=, 1);
  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpstr (od_problem_get_id (problem), ==, "auth-failed");
  g_assert_cmpstr (od_problem_get_step_id (problem), ==, "auth");

  /* The server's words are kept, with the credentials masked. */
  server_reply = od_problem_get_server_reply (problem);
  g_assert_nonnull (server_reply);
  g_assert_nonnull (strstr (server_reply, "bad credentials for " USER ":" OD_TRANSCRIPT_REDACTED));
  g_assert_nonnull (strstr (server_reply, "you sent AUTH PLAIN " OD_TRANSCRIPT_REDACTED));
  g_assert_nonnull (strstr (od_check_step_get_detail (od_checklist_get_step (checklist, "greeting")),
                            USER ":" OD_TRANSCRIPT_REDACTED));

  assert_steps_clean (check);
  od_fake_smtp_server_stop (server);
}

/* The same for the test message: the server's "queued" reply is part of the data step's
 * detail. */
static void
test_server_echoes_password_after_data (void)
{
  const Scenario s = { .command = "DATA-END",
                       .reply = "250 2.0.0 Ok: queued as 4F2A1 for " PASSWORD };
  g_autoptr(OdFakeSmtpServer) server = start_server (&s);
  g_autoptr(OdCheck) check = NULL;
  const char *detail;

  check = run_check (od_fake_smtp_server_get_port (server), OD_SECURITY_STARTTLS, PASSWORD,
                     TRUE, TRUE);
  g_assert_cmpint (od_checklist_get_verdict (od_check_get_checklist (check)), ==,
                   OD_STEP_STATE_PASS);
  detail = od_check_step_get_detail (od_checklist_get_step (od_check_get_checklist (check),
                                                            "data"));
  g_assert_nonnull (strstr (detail, "queued as 4F2A1 for " OD_TRANSCRIPT_REDACTED));

  assert_steps_clean (check);
  od_fake_smtp_server_stop (server);
}

static const char *
first_problem_id (OdCheck *check)
{
  g_autoptr(GPtrArray) problems = od_checklist_get_problems (od_check_get_checklist (check));

  return problems->len > 0 ? od_problem_get_id (g_ptr_array_index (problems, 0)) : NULL;
}

/* STARTTLS was offered the first time and is gone the next (someone on the path strips it):
 * the second check must stop, never fall back to plain text, never send the password. */
static void
test_starttls_downgrade (void)
{
  const Scenario s = { 0 };
  g_autoptr(OdFakeSmtpServer) server = NULL;
  g_autoptr(OdCheck) first = NULL;
  g_autoptr(OdCheck) second = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  guint n_commands;

  server = start_server (&s);
  od_fake_smtp_server_set_starttls_connections (server, 1);

  first = run_check (od_fake_smtp_server_get_port (server), OD_SECURITY_STARTTLS, PASSWORD,
                     FALSE, TRUE);
  g_assert_cmpint (od_checklist_get_verdict (od_check_get_checklist (first)), ==,
                   OD_STEP_STATE_PASS);
  n_commands = od_fake_smtp_server_get_commands (server)->len;

  second = run_check (od_fake_smtp_server_get_port (server), OD_SECURITY_STARTTLS, PASSWORD,
                      FALSE, TRUE);
  problems = od_checklist_get_problems (od_check_get_checklist (second));
  g_assert_cmpuint (od_fake_smtp_server_get_n_connections (server), ==, 2);
  g_assert_cmpstr (first_problem_id (second), ==, "starttls-not-offered");
  g_assert_cmpstr (od_problem_get_step_id (g_ptr_array_index (problems, 0)), ==, "tls");
  g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (od_check_get_checklist (second),
                                                                    "auth")),
                   !=, OD_STEP_STATE_PASS);
  assert_password_never_sent_since (server, n_commands);

  /* Nothing after the downgraded EHLO but QUIT: no MAIL, no AUTH, no STARTTLS retry. */
  for (guint i = n_commands; i < od_fake_smtp_server_get_commands (server)->len; i++)
    {
      const char *line = g_ptr_array_index (od_fake_smtp_server_get_commands (server), i);

      g_assert_true (g_str_has_prefix (line, "EHLO ") || g_str_equal (line, "QUIT"));
    }
  assert_report_clean (second);
}

static OdCheck *
run_pinned_check (guint16             port,
                  const char * const *pins)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  OdCheck *check = od_check_new (USER, "localhost", port, OD_SECURITY_TLS);

  od_check_set_password (check, PASSWORD);
  od_check_set_step_timeout (check, 1500);
  od_check_set_ca_file (check, od_test_certs_get_ca_file (certs));
  od_check_set_pinned_fingerprints (check, pins);
  od_check_run_async (check, NULL, run_cb, loop);
  g_main_loop_run (loop);

  return check;
}

static OdFakeSmtpServer *
start_tls_server (GTlsCertificate *cert)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GError) error = NULL;

  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_implicit_tls (server, TRUE);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);
  g_assert_true (od_fake_smtp_server_start (server, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&server);
}

/* A self-signed certificate the user trusted (pinned by fingerprint) is replaced between two
 * checks: by another self-signed one (a man in the middle), and by a valid one. Both stop at
 * the TLS step with tls-certificate-changed and the password is not sent. */
static void
test_pinned_certificate_changes (void)
{
  g_autoptr(OdTestCerts) other_certs = NULL;
  g_autoptr(GTlsCertificate) trusted = NULL;
  g_autoptr(GTlsCertificate) impostor = NULL;
  g_autoptr(GTlsCertificate) valid = NULL;
  g_autoptr(OdFakeSmtpServer) server = NULL;
  g_autoptr(OdCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  const char *pins[2] = { NULL, NULL };

  other_certs = od_test_certs_new (&error);
  g_assert_no_error (error);
  trusted = od_test_certs_load (certs, OD_TEST_CERT_SELF_SIGNED, &error);
  g_assert_no_error (error);
  impostor = od_test_certs_load (other_certs, OD_TEST_CERT_SELF_SIGNED, &error);
  g_assert_no_error (error);
  valid = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);

  /* First the user sees the untrusted certificate and its fingerprint, and trusts it. */
  server = start_tls_server (trusted);
  check = run_pinned_check (od_fake_smtp_server_get_port (server), NULL);
  g_assert_cmpstr (first_problem_id (check), ==, "tls-certificate-untrusted");
  g_assert_nonnull (od_check_get_tls_info (check));
  fingerprint = g_strdup (od_tls_info_get_fingerprint (od_check_get_tls_info (check)));
  pins[0] = fingerprint;
  g_clear_object (&check);

  check = run_pinned_check (od_fake_smtp_server_get_port (server), pins);
  g_assert_cmpint (od_checklist_get_verdict (od_check_get_checklist (check)), !=,
                   OD_STEP_STATE_FAIL);
  g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (od_check_get_checklist (check),
                                                                   "tls")),
                   ==, OD_STEP_STATE_PASS);
  od_fake_smtp_server_stop (server);
  g_clear_object (&server);
  g_clear_object (&check);

  /* The same host and port now present another certificate. */
  server = start_tls_server (impostor);
  check = run_pinned_check (od_fake_smtp_server_get_port (server), pins);
  g_assert_cmpstr (first_problem_id (check), ==, "tls-certificate-changed");
  g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (od_check_get_checklist (check),
                                                                   "tls")),
                   ==, OD_STEP_STATE_FAIL);
  assert_password_never_sent (server);
  assert_report_clean (check);
  od_fake_smtp_server_stop (server);
  g_clear_object (&server);
  g_clear_object (&check);

  server = start_tls_server (valid);
  check = run_pinned_check (od_fake_smtp_server_get_port (server), pins);
  g_assert_cmpstr (first_problem_id (check), ==, "tls-certificate-changed");
  assert_password_never_sent (server);
  od_fake_smtp_server_stop (server);
}

static void
test_all_green_starttls (void)
{
  const Scenario s = { 0 };
  g_autoptr(OdFakeSmtpServer) server = start_server (&s);
  g_autoptr(OdCheck) check = run_check (od_fake_smtp_server_get_port (server),
                                        OD_SECURITY_STARTTLS, PASSWORD, TRUE, TRUE);
  OdChecklist *checklist = od_check_get_checklist (check);
  const char *message;

  g_assert_cmpint (od_checklist_get_verdict (checklist), ==, OD_STEP_STATE_PASS);
  for (guint i = 0; od_checklist_get_step_ids ()[i] != NULL; i++)
    g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (checklist, od_checklist_get_step_ids ()[i])),
                     ==, OD_STEP_STATE_PASS);

  g_assert_cmpuint (od_fake_smtp_server_get_n_messages (server), ==, 1);
  message = od_fake_smtp_server_get_last_message (server);
  g_assert_nonnull (strstr (message, "Subject: Outbox Doctor test message"));
  g_assert_nonnull (od_check_get_tls_info (check));
  assert_report_clean (check);
}

static void
test_envelope_only_sends_nothing (void)
{
  const Scenario s = { .implicit_tls = TRUE };
  g_autoptr(OdFakeSmtpServer) server = start_server (&s);
  g_autoptr(OdCheck) check = run_check (od_fake_smtp_server_get_port (server),
                                        OD_SECURITY_TLS, PASSWORD, FALSE, TRUE);
  OdChecklist *checklist = od_check_get_checklist (check);
  GPtrArray *commands = od_fake_smtp_server_get_commands (server);
  gboolean saw_rset = FALSE;

  g_assert_cmpint (od_checklist_get_verdict (checklist), ==, OD_STEP_STATE_PASS);
  g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (checklist, "data")), ==,
                   OD_STEP_STATE_SKIP);
  g_assert_cmpuint (od_fake_smtp_server_get_n_messages (server), ==, 0);

  for (guint i = 0; i < commands->len; i++)
    {
      g_assert_cmpstr (g_ptr_array_index (commands, i), !=, "DATA");
      saw_rset |= g_str_equal (g_ptr_array_index (commands, i), "RSET");
    }
  g_assert_true (saw_rset);
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(OdCheck) check = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  guint16 port;

  /* Reserve a port, then close it: nothing listens there. */
  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  check = od_check_new (USER, "127.0.0.1", port, OD_SECURITY_TLS);
  {
    g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
    od_check_run_async (check, NULL, run_cb, loop);
    g_main_loop_run (loop);
  }

  problems = od_checklist_get_problems (od_check_get_checklist (check));
  g_assert_cmpstr (od_problem_get_id (g_ptr_array_index (problems, problems->len - 1)), ==,
                   "connection-refused");
  g_assert_cmpstr (od_problem_get_step_id (g_ptr_array_index (problems, problems->len - 1)), ==,
                   "connect");
}

static void
cancel_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GMainLoop *loop = user_data;
  g_autoptr(GError) error = NULL;

  od_check_run_finish (OD_CHECK (object), result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_main_loop_quit (loop);
}

static gboolean
cancel_soon_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  const Scenario s = { .no_greeting = TRUE };
  g_autoptr(OdFakeSmtpServer) server = start_server (&s);
  g_autoptr(OdCheck) check = od_check_new (USER, "localhost", od_fake_smtp_server_get_port (server),
                                           OD_SECURITY_STARTTLS);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gint64 start = g_get_monotonic_time ();

  od_check_run_async (check, cancellable, cancel_cb, loop);
  g_timeout_add (200, cancel_soon_cb, cancellable);
  g_main_loop_run (loop);

  /* Cancelling ends the run at once, not at the 30 s greeting deadline. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
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
    g_test_add_data_func (scenarios[i].path, &scenarios[i], test_scenario);

  g_test_add_func ("/od/scenario/all-green", test_all_green_starttls);
  g_test_add_func ("/od/scenario/envelope-only", test_envelope_only_sends_nothing);
  g_test_add_func ("/od/scenario/connection-refused", test_connection_refused);
  g_test_add_func ("/od/scenario/cancel", test_cancel);
  g_test_add_func ("/od/scenario/server-echoes-credentials", test_server_echoes_credentials);
  g_test_add_func ("/od/scenario/server-echoes-password-after-data",
                   test_server_echoes_password_after_data);

  for (guint i = 0; i < G_N_ELEMENTS (hostile_scenarios); i++)
    g_test_add_data_func (hostile_scenarios[i].path, &hostile_scenarios[i], test_hostile);
  g_test_add_func ("/od/hostile/starttls-downgrade", test_starttls_downgrade);
  g_test_add_func ("/od/hostile/pinned-certificate-changes", test_pinned_certificate_changes);

  ret = g_test_run ();
  od_test_certs_free (certs);

  return ret;
}
