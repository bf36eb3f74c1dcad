/* test-imap-session.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "od-fake-imap-server.h"
#include "od-imap-session.h"
#include "od-test-certs.h"

#define USER     "user@example.org"
#define PASSWORD "pa55 word with spaces "

static OdTestCerts *certs;

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static OdImapResponse *
finish (OdImapSession  *session,
        Wait           *wait,
        GError        **error)
{
  OdImapResponse *response;

  g_main_loop_run (wait->loop);
  response = od_imap_session_finish (session, wait->result, error);
  g_clear_object (&wait->result);

  return response;
}

static void
expect_ok (OdImapSession *session,
           Wait          *wait)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdImapResponse) response = finish (session, wait, &error);

  g_assert_no_error (error);
  g_assert_nonnull (response);
}

static void
expect_error (OdImapSession *session,
              Wait          *wait,
              GQuark         domain,
              int            code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdImapResponse) response = finish (session, wait, &error);

  g_assert_null (response);
  g_assert_error (error, domain, code);
  g_test_message ("%s", error->message);
}

static OdFakeImapServer *
start_server (gboolean implicit_tls)
{
  OdFakeImapServer *server = od_fake_imap_server_new ();
  g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, NULL);

  od_fake_imap_server_set_certificate (server, cert);
  od_fake_imap_server_set_credentials (server, USER, PASSWORD);
  od_fake_imap_server_set_implicit_tls (server, implicit_tls);
  return server;
}

static OdImapSession *
connect_to (OdFakeImapServer *server,
            OdTranscript     *transcript,
            gboolean          implicit_tls)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(OdTlsClient) tls = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  OdImapSession *session;

  g_assert_true (od_fake_imap_server_start (server, &error));
  g_assert_no_error (error);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                od_fake_imap_server_get_port (server),
                                                NULL, &error);
  g_assert_no_error (error);

  tls = od_tls_client_new ("localhost", od_fake_imap_server_get_port (server), transcript);
  od_tls_client_set_ca_file (tls, od_test_certs_get_ca_file (certs));

  /* Implicit TLS is the connector's; here the TLS client does it by hand. */
  if (implicit_tls)
    {
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      Wait wait = { loop, NULL };

      od_tls_client_handshake_async (tls, G_IO_STREAM (connection), NULL, wait_cb, &wait);
      g_main_loop_run (loop);
      stream = od_tls_client_handshake_finish (tls, wait.result, &error);
      g_assert_no_error (error);
      g_clear_object (&wait.result);
    }
  else
    stream = g_object_ref (G_IO_STREAM (connection));

  session = od_imap_session_new (stream, tls, transcript);
  od_imap_session_set_timeout (session, 3000);
  g_assert_cmpint (od_imap_session_is_tls (session), ==, implicit_tls);
  return session;
}

static void
assert_no_secret (OdTranscript *transcript,
                  const char   *password)
{
  g_autofree char *text = od_transcript_to_text (transcript);
  g_autofree char *b64 = g_base64_encode ((const guchar *)password, strlen (password));

  g_assert_null (strstr (text, password));
  g_assert_null (strstr (text, b64));
}

static void
test_full_conversation (void)
{
  g_autoptr(OdFakeImapServer) server = start_server (FALSE);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdImapSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *text = NULL;
  Wait wait = { loop, NULL };
  const OdImapCapabilities *caps;
  OdImapQuota quota;

  session = connect_to (server, transcript, FALSE);

  od_imap_session_read_greeting_async (session, NULL, wait_cb, &wait);
  expect_ok (session, &wait);
  g_assert_false (od_imap_session_is_authenticated (session));

  od_imap_session_capability_async (session, NULL, wait_cb, &wait);
  expect_ok (session, &wait);
  caps = od_imap_session_get_capabilities (session);
  g_assert_true (caps->starttls);
  g_assert_true (caps->login_disabled);

  od_imap_session_starttls_async (session, NULL, wait_cb, &wait);
  expect_ok (session, &wait);
  g_assert_true (od_imap_session_is_tls (session));
  g_assert_nonnull (od_imap_session_get_tls_info (session));
  /* Read again over TLS: LOGINDISABLED is gone, the mechanisms are there. */
  caps = od_imap_session_get_capabilities (session);
  g_assert_false (caps->login_disabled);
  g_assert_true (od_imap_capabilities_has_auth (caps, "PLAIN"));

  od_imap_session_login_async (session, OD_IMAP_LOGIN_PLAIN, USER, PASSWORD, NULL, wait_cb,
                               &wait);
  expect_ok (session, &wait);
  g_assert_true (od_imap_session_is_authenticated (session));
  g_assert_true (od_imap_session_get_capabilities (session)->quota);

  od_imap_session_select_async (session, "INBOX", NULL, wait_cb, &wait);
  expect_ok (session, &wait);
  g_assert_cmpuint (od_imap_session_get_exists (session), ==, 3);
  g_assert_true (od_imap_response_has_code (od_imap_session_get_last_response (session),
                                            "READ-WRITE"));

  od_imap_session_get_quota_root_async (session, "INBOX", NULL, wait_cb, &wait);
  expect_ok (session, &wait);
  g_assert_true (od_imap_session_get_quota (session, &quota));
  g_assert_cmpuint (quota.storage_used, ==, 10);
  g_assert_cmpuint (quota.storage_limit, ==, 512);

  od_imap_session_logout_async (session, NULL, wait_cb, &wait);
  expect_ok (session, &wait);

  assert_no_secret (transcript, PASSWORD);
  text = od_transcript_to_text (transcript);
  g_assert_nonnull (strstr (text, "C~> A4 AUTHENTICATE PLAIN " OD_TRANSCRIPT_REDACTED));
  g_assert_nonnull (strstr (text, "C-> A2 STARTTLS"));
  g_assert_nonnull (strstr (text, "S<~ * 3 EXISTS"));
}

static void
login_once (gboolean     implicit_tls,
            const char  *caps_after,
            OdImapLogin  method,
            const char  *password,
            const char  *on_the_wire)
{
  g_autoptr(OdFakeImapServer) server = start_server (implicit_tls);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdImapSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) commands = NULL;
  g_autofree char *decoded = NULL;
  Wait wait = { loop, NULL };

  od_fake_imap_server_set_credentials (server, USER, password);
  od_fake_imap_server_set_capabilities (server, "IMAP4rev1 STARTTLS", caps_after);
  session = connect_to (server, transcript, implicit_tls);

  od_imap_session_read_greeting_async (session, NULL, wait_cb, &wait);
  expect_ok (session, &wait);
  od_imap_session_capability_async (session, NULL, wait_cb, &wait);
  expect_ok (session, &wait);
  od_imap_session_login_async (session, method, USER, password, NULL, wait_cb, &wait);
  expect_ok (session, &wait);
  od_imap_session_logout_async (session, NULL, wait_cb, &wait);
  expect_ok (session, &wait);

  decoded = od_fake_imap_server_dup_last_password (server);
  g_assert_cmpstr (decoded, ==, password);
  assert_no_secret (transcript, password);

  commands = od_fake_imap_server_dup_commands (server);
  if (on_the_wire != NULL)
    g_assert_nonnull (strstr (g_ptr_array_index (commands, 1), on_the_wire));
}

static void
test_authenticate (void)
{
  /* PLAIN without SASL-IR waits for "+"; LOGIN answers two prompts. */
  login_once (TRUE, "IMAP4rev1 AUTH=PLAIN AUTH=LOGIN", OD_IMAP_LOGIN_PLAIN, PASSWORD,
              "AUTHENTICATE PLAIN\r\n");
  login_once (TRUE, "IMAP4rev1 AUTH=PLAIN AUTH=LOGIN", OD_IMAP_LOGIN_LOGIN, PASSWORD,
              "AUTHENTICATE LOGIN\r\n");
  login_once (TRUE, "IMAP4rev1 SASL-IR AUTH=PLAIN", OD_IMAP_LOGIN_PLAIN, PASSWORD,
              "AUTHENTICATE PLAIN AH");
}

static void
test_login_quoting (void)
{
  const char *caps = "IMAP4rev1 AUTH=PLAIN";
  const char *plus = "IMAP4rev1 LITERAL+";

  login_once (TRUE, caps, OD_IMAP_LOGIN_COMMAND, PASSWORD, "\"pa55 word with spaces \"");
  login_once (TRUE, caps, OD_IMAP_LOGIN_COMMAND, "pa\"ss\"word", "\"pa\\\"ss\\\"word\"");
  login_once (TRUE, caps, OD_IMAP_LOGIN_COMMAND, "back\\slash\\", "\"back\\\\slash\\\\\"");
  /* 8-bit text goes as a literal: synchronizing, or with LITERAL+ at once. */
  login_once (TRUE, caps, OD_IMAP_LOGIN_COMMAND, "pässwört", "{10}\r\npässwört\r\n");
  login_once (TRUE, plus, OD_IMAP_LOGIN_COMMAND, "pässwört", "{10+}\r\npässwört\r\n");
  login_once (TRUE, caps, OD_IMAP_LOGIN_COMMAND, "パスワード\"x", "{17}\r\n");
}

static void
test_login_arguments (void)
{
  g_autoptr(GPtrArray) quoted = od_imap_login_arguments ("a\"b", "c\\d", FALSE, FALSE, NULL);
  g_autoptr(GPtrArray) sync = od_imap_login_arguments ("ü", "line\nbreak", FALSE, FALSE, NULL);
  g_autoptr(GPtrArray) minus = od_imap_login_arguments ("u", "ö", FALSE, TRUE, NULL);
  g_autofree char *too_long = g_strnfill (5000, 'x');
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refused = od_imap_login_arguments ("u", too_long, TRUE, TRUE, &error);

  g_assert_cmpuint (quoted->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (quoted, 0), ==, "\"a\\\"b\" \"c\\\\d\"\r\n");

  g_assert_cmpuint (sync->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (sync, 0), ==, "{2}\r\n");
  g_assert_cmpstr (g_ptr_array_index (sync, 1), ==, "ü {10}\r\n");
  g_assert_cmpstr (g_ptr_array_index (sync, 2), ==, "line\nbreak\r\n");

  g_assert_cmpuint (minus->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (minus, 0), ==, "\"u\" {2+}\r\nö\r\n");

  g_assert_null (refused);
  g_assert_error (error, OD_IMAP_ERROR, OD_IMAP_ERROR_BAD_INPUT);
}

static void
test_login_disabled (void)
{
  g_autoptr(OdFakeImapServer) server = start_server (FALSE);
  g_autoptr(OdImapSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) commands = NULL;
  Wait wait = { loop, NULL };

  session = connect_to (server, NULL, FALSE);
  od_imap_session_read_greeting_async (session, NULL, wait_cb, &wait);
  expect_ok (session, &wait);
  od_imap_session_capability_async (session, NULL, wait_cb, &wait);
  expect_ok (session, &wait);

  for (OdImapLogin method = OD_IMAP_LOGIN_PLAIN; method <= OD_IMAP_LOGIN_COMMAND; method++)
    {
      od_imap_session_login_async (session, method, USER, PASSWORD, NULL, wait_cb, &wait);
      expect_error (session, &wait, OD_IMAP_ERROR, OD_IMAP_ERROR_LOGIN_DISABLED);
    }

  /* Nothing was sent: the server saw CAPABILITY only. */
  od_imap_session_logout_async (session, NULL, wait_cb, &wait);
  expect_ok (session, &wait);
  commands = od_fake_imap_server_dup_commands (server);
  g_assert_cmpuint (commands->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (commands, 0), ==, "A1 CAPABILITY\r\n");
}

static void
test_refusals (void)
{
  const struct {
    const char  *command;
    const char  *reply;
    OdImapError  code;
    const char  *words;
  } cases[] = {
    { NULL, NULL, OD_IMAP_ERROR_AUTHENTICATION_FAILED,
      "NO [AUTHENTICATIONFAILED] Authentication failed." },
    { "LOGIN", "NO [UNAVAILABLE] Backend down", OD_IMAP_ERROR_UNAVAILABLE,
      "NO [UNAVAILABLE] Backend down" },
    { "LOGIN", "* BYE [UNAVAILABLE] Shutting down", OD_IMAP_ERROR_UNAVAILABLE,
      "BYE [UNAVAILABLE] Shutting down" },
    { "LOGIN", "NO [ALERT] Your account is locked", OD_IMAP_ERROR_NO,
      "NO [ALERT] Your account is locked" },
    { "LOGIN", "BAD Unexpected", OD_IMAP_ERROR_BAD, "BAD Unexpected" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OdFakeImapServer) server = start_server (TRUE);
      g_autoptr(OdImapSession) session = NULL;
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      g_autoptr(GError) error = NULL;
      g_autoptr(OdImapResponse) response = NULL;
      Wait wait = { loop, NULL };

      if (cases[i].command != NULL)
        od_fake_imap_server_set_reply (server, cases[i].command, cases[i].reply);
      session = connect_to (server, NULL, TRUE);
      od_imap_session_read_greeting_async (session, NULL, wait_cb, &wait);
      expect_ok (session, &wait);
      od_imap_session_login_async (session, OD_IMAP_LOGIN_COMMAND, USER,
                                   cases[i].command ? PASSWORD : "wrong password", NULL,
                                   wait_cb, &wait);
      response = finish (session, &wait, &error);
      g_assert_null (response);
      g_assert_error (error, OD_IMAP_ERROR, (int)cases[i].code);
      /* The server's words, to show and to map. */
      g_assert_cmpstr (error->message, ==, cases[i].words);
      g_assert_nonnull (od_imap_session_get_last_response (session));
    }
}

static void
test_greeting_bye (void)
{
  g_autoptr(OdFakeImapServer) server = start_server (FALSE);
  g_autoptr(OdImapSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };

  od_fake_imap_server_set_greeting (server, "* BYE [UNAVAILABLE] Too many connections");
  session = connect_to (server, NULL, FALSE);
  od_imap_session_read_greeting_async (session, NULL, wait_cb, &wait);
  expect_error (session, &wait, OD_IMAP_ERROR, OD_IMAP_ERROR_UNAVAILABLE);
}

static void
test_greeting_not_imap (void)
{
  g_autoptr(OdFakeImapServer) server = start_server (FALSE);
  g_autoptr(OdImapSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };

  /* An SMTP server on the IMAP port. */
  od_fake_imap_server_set_greeting (server, "220 mail.example.org ESMTP");
  session = connect_to (server, NULL, FALSE);
  od_imap_session_read_greeting_async (session, NULL, wait_cb, &wait);
  expect_error (session, &wait, OD_IMAP_ERROR, OD_IMAP_ERROR_MALFORMED_RESPONSE);
}

static void
test_preauth (void)
{
  g_autoptr(OdFakeImapServer) server = start_server (FALSE);
  g_autoptr(OdImapSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };

  od_fake_imap_server_set_greeting (server, "* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] hi");
  session = connect_to (server, NULL, FALSE);
  od_imap_session_read_greeting_async (session, NULL, wait_cb, &wait);
  expect_ok (session, &wait);
  g_assert_true (od_imap_session_is_authenticated (session));
  g_assert_true (od_imap_session_get_capabilities (session)->starttls);

  /* STARTTLS is not allowed once logged in: never a silent plain-text session. */
  od_imap_session_starttls_async (session, NULL, wait_cb, &wait);
  expect_error (session, &wait, OD_IMAP_ERROR, OD_IMAP_ERROR_PREAUTH);
}

static void
test_starttls_injection (void)
{
  g_autoptr(OdFakeImapServer) server = start_server (FALSE);
  g_autoptr(OdImapSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };

  od_fake_imap_server_set_starttls_injection (server, "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n");
  session = connect_to (server, NULL, FALSE);
  od_imap_session_read_greeting_async (session, NULL, wait_cb, &wait);
  expect_ok (session, &wait);
  od_imap_session_starttls_async (session, NULL, wait_cb, &wait);
  expect_error (session, &wait, OD_IMAP_ERROR, OD_IMAP_ERROR_STARTTLS_INJECTION);
  g_assert_false (od_imap_session_is_tls (session));
}

static void
test_starttls_not_offered (void)
{
  g_autoptr(OdFakeImapServer) server = start_server (FALSE);
  g_autoptr(OdImapSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };

  od_fake_imap_server_set_capabilities (server, "IMAP4rev1 AUTH=PLAIN", "IMAP4rev1");
  session = connect_to (server, NULL, FALSE);
  od_imap_session_read_greeting_async (session, NULL, wait_cb, &wait);
  expect_ok (session, &wait);
  od_imap_session_capability_async (session, NULL, wait_cb, &wait);
  expect_ok (session, &wait);
  od_imap_session_starttls_async (session, NULL, wait_cb, &wait);
  expect_error (session, &wait, OD_IMAP_ERROR, OD_IMAP_ERROR_NOT_OFFERED);
}

static void
hostile_select (OdFakeImapHostile  hostile,
                guint              timeout_ms,
                GQuark             domain,
                int                code)
{
  /* In plain text: glib-networking leaks the error of a TLS write that fails, and the
   * hostile server writes until its client hangs up. */
  g_autoptr(OdFakeImapServer) server = start_server (FALSE);
  g_autoptr(OdImapSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };
  gint64 start;

  od_fake_imap_server_set_hostile (server, hostile);
  session = connect_to (server, NULL, FALSE);
  od_imap_session_set_timeout (session, timeout_ms);
  od_imap_session_read_greeting_async (session, NULL, wait_cb, &wait);
  expect_ok (session, &wait);

  start = g_get_monotonic_time ();
  od_imap_session_select_async (session, "INBOX", NULL, wait_cb, &wait);
  expect_error (session, &wait, domain, code);
  g_assert_cmpint (g_get_monotonic_time () - start, <, (timeout_ms + 2000) * 1000);
  od_imap_session_close (session);
}

static void
test_hostile (void)
{
  hostile_select (OD_FAKE_IMAP_HOSTILE_ENDLESS_LITERAL, 3000, OD_IMAP_ERROR,
                  OD_IMAP_ERROR_LITERAL_TOO_LARGE);
  hostile_select (OD_FAKE_IMAP_HOSTILE_ENDLESS_RESPONSES, 3000, OD_IMAP_ERROR,
                  OD_IMAP_ERROR_TOO_MANY_RESPONSES);
  hostile_select (OD_FAKE_IMAP_HOSTILE_SLOW_LITERAL, 300, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

static void
test_no_greeting (void)
{
  g_autoptr(OdFakeImapServer) server = start_server (FALSE);
  g_autoptr(OdImapSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };
  gint64 start;

  od_fake_imap_server_set_greeting (server, NULL);
  session = connect_to (server, NULL, FALSE);
  od_imap_session_set_timeout (session, 300);

  start = g_get_monotonic_time ();
  od_imap_session_read_greeting_async (session, NULL, wait_cb, &wait);
  expect_error (session, &wait, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 290 * 1000);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(OdFakeImapServer) server = start_server (FALSE);
  g_autoptr(OdImapSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait wait = { loop, NULL };

  od_fake_imap_server_set_greeting (server, NULL);
  session = connect_to (server, NULL, FALSE);
  od_imap_session_read_greeting_async (session, cancellable, wait_cb, &wait);
  g_timeout_add (50, cancel_cb, cancellable);
  expect_error (session, &wait, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_bad_input (void)
{
  g_autoptr(OdFakeImapServer) server = start_server (FALSE);
  g_autoptr(OdImapSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };

  session = connect_to (server, NULL, FALSE);
  od_imap_session_read_greeting_async (session, NULL, wait_cb, &wait);
  expect_ok (session, &wait);

  od_imap_session_command_async (session, "NOOP\r\nA9 LOGOUT", NULL, wait_cb, &wait);
  expect_error (session, &wait, OD_IMAP_ERROR, OD_IMAP_ERROR_BAD_INPUT);
  od_imap_session_select_async (session, "IN\"BOX\r\n", NULL, wait_cb, &wait);
  expect_error (session, &wait, OD_IMAP_ERROR, OD_IMAP_ERROR_BAD_INPUT);

  od_imap_session_command_async (session, "NOOP", NULL, wait_cb, &wait);
  expect_ok (session, &wait);
}

/* Against a real Dovecot, when tests/integration/test-dovecot-imap.sh started one on
 * OD_DOVECOT_IMAP_HOST and _PORT (STARTTLS) with the test CA in OD_DOVECOT_CA_FILE. */
static OdImapSession *
connect_to_dovecot (OdTranscript *transcript,
                    Wait         *wait)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(OdTlsClient) tls = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port = g_ascii_strtoull (g_getenv ("OD_DOVECOT_IMAP_PORT"), NULL, 10);
  OdImapSession *session;

  connection = g_socket_client_connect_to_host (client, g_getenv ("OD_DOVECOT_IMAP_HOST"), port,
                                                NULL, &error);
  g_assert_no_error (error);
  tls = od_tls_client_new ("localhost", port, transcript);
  od_tls_client_set_ca_file (tls, g_getenv ("OD_DOVECOT_CA_FILE"));
  session = od_imap_session_new (G_IO_STREAM (connection), tls, transcript);
  od_imap_session_set_timeout (session, 10000);

  od_imap_session_read_greeting_async (session, NULL, wait_cb, wait);
  expect_ok (session, wait);
  od_imap_session_capability_async (session, NULL, wait_cb, wait);
  expect_ok (session, wait);
  return session;
}

static void
test_dovecot (void)
{
  const char *user = g_getenv ("OD_DOVECOT_USER");
  const char *password = g_getenv ("OD_DOVECOT_PASSWORD");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };

  if (g_getenv ("OD_DOVECOT_IMAP_PORT") == NULL)
    {
      g_test_skip ("no Dovecot (tests/integration/test-dovecot-imap.sh starts one)");
      return;
    }

  for (OdImapLogin method = OD_IMAP_LOGIN_PLAIN; method <= OD_IMAP_LOGIN_COMMAND; method++)
    {
      g_autoptr(OdTranscript) transcript = od_transcript_new ();
      g_autoptr(OdImapSession) session = connect_to_dovecot (transcript, &wait);

      /* Dovecot's LOGINDISABLED before TLS is respected without a word to the server. */
      g_assert_true (od_imap_session_get_capabilities (session)->login_disabled);
      od_imap_session_login_async (session, method, user, password, NULL, wait_cb, &wait);
      expect_error (session, &wait, OD_IMAP_ERROR, OD_IMAP_ERROR_LOGIN_DISABLED);

      od_imap_session_starttls_async (session, NULL, wait_cb, &wait);
      expect_ok (session, &wait);
      g_assert_false (od_imap_session_get_capabilities (session)->login_disabled);

      od_imap_session_login_async (session, method, user, password, NULL, wait_cb, &wait);
      expect_ok (session, &wait);
      od_imap_session_select_async (session, "INBOX", NULL, wait_cb, &wait);
      expect_ok (session, &wait);
      g_assert_cmpuint (od_imap_session_get_exists (session), ==, 0);
      od_imap_session_logout_async (session, NULL, wait_cb, &wait);
      expect_ok (session, &wait);
      assert_no_secret (transcript, password);
    }

  /* A wrong password: Dovecot's own response code. */
  {
    g_autoptr(OdImapSession) session = connect_to_dovecot (NULL, &wait);

    od_imap_session_starttls_async (session, NULL, wait_cb, &wait);
    expect_ok (session, &wait);
    od_imap_session_login_async (session, OD_IMAP_LOGIN_COMMAND, user, "wrong password", NULL,
                                 wait_cb, &wait);
    expect_error (session, &wait, OD_IMAP_ERROR, OD_IMAP_ERROR_AUTHENTICATION_FAILED);
  }
}

static OdImapMailbox *
parse_list (const char *text)
{
  g_autoptr(OdImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = od_imap_response_parse (text, strlen (text), NULL, &error);
  g_assert_no_error (error);
  return od_imap_mailbox_parse (response);
}

static void
test_mailbox_parse (void)
{
  g_autoptr(OdImapMailbox) junk = parse_list ("* LIST (\\HasNoChildren \\Junk) \"/\" \"Junk\"\r\n");
  g_autoptr(OdImapMailbox) atom = parse_list ("* LIST () \".\" INBOX.Spam\r\n");
  g_autoptr(OdImapMailbox) nil = parse_list ("* LIST (\\Noselect) NIL \"a \\\"b\\\\\"\r\n");
  g_autoptr(OdImapMailbox) literal = parse_list ("* LIST (\\Junk) \"/\" {8}\r\nSpam Box ("
                                                 "\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n");
  g_autoptr(OdImapMailbox) broken = parse_list ("* LIST \\Junk \"/\" Junk\r\n");
  g_autoptr(OdImapMailbox) unclosed = parse_list ("* LIST () \"/\" \"Junk\r\n");
  g_autofree char *quoted = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (junk->name, ==, "Junk");
  g_assert_cmpint (junk->delimiter, ==, '/');
  g_assert_true (od_imap_mailbox_has_flag (junk, "\\junk"));
  g_assert_false (od_imap_mailbox_has_flag (junk, "\\Trash"));
  g_assert_cmpstr (atom->name, ==, "INBOX.Spam");
  g_assert_cmpint (atom->delimiter, ==, '.');
  g_assert_cmpstr (nil->name, ==, "a \"b\\");
  g_assert_cmpint (nil->delimiter, ==, '\0');
  g_assert_cmpstr (literal->name, ==, "Spam Box");
  g_assert_null (broken);
  g_assert_null (unclosed);

  quoted = od_imap_quote_string ("<a\"b\\c@example.org>", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (quoted, ==, "\"<a\\\"b\\\\c@example.org>\"");
  g_assert_null (od_imap_quote_string ("<a\r\nA2 LOGOUT>", &error));
  g_assert_error (error, OD_IMAP_ERROR, OD_IMAP_ERROR_BAD_INPUT);
  g_clear_error (&error);
  g_assert_null (od_imap_quote_string ("<ü@example.org>", &error));
  g_assert_error (error, OD_IMAP_ERROR, OD_IMAP_ERROR_BAD_INPUT);
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

  g_test_add_func ("/od/imap-session/full-conversation", test_full_conversation);
  g_test_add_func ("/od/imap-session/authenticate", test_authenticate);
  g_test_add_func ("/od/imap-session/login-quoting", test_login_quoting);
  g_test_add_func ("/od/imap-session/login-arguments", test_login_arguments);
  g_test_add_func ("/od/imap-session/login-disabled", test_login_disabled);
  g_test_add_func ("/od/imap-session/refusals", test_refusals);
  g_test_add_func ("/od/imap-session/greeting-bye", test_greeting_bye);
  g_test_add_func ("/od/imap-session/greeting-not-imap", test_greeting_not_imap);
  g_test_add_func ("/od/imap-session/preauth", test_preauth);
  g_test_add_func ("/od/imap-session/starttls-injection", test_starttls_injection);
  g_test_add_func ("/od/imap-session/starttls-not-offered", test_starttls_not_offered);
  g_test_add_func ("/od/imap-session/hostile", test_hostile);
  g_test_add_func ("/od/imap-session/no-greeting", test_no_greeting);
  g_test_add_func ("/od/imap-session/cancel", test_cancel);
  g_test_add_func ("/od/imap-session/bad-input", test_bad_input);
  g_test_add_func ("/od/imap-session/mailbox-parse", test_mailbox_parse);
  g_test_add_func ("/od/imap-session/dovecot", test_dovecot);

  ret = g_test_run ();
  od_test_certs_free (certs);

  return ret;
}
