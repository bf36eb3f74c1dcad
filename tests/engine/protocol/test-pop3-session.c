/* test-pop3-session.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "od-fake-pop3-server.h"
#include "od-pop3-session.h"
#include "od-test-certs.h"

#define USER     "user@example.org"
#define PASSWORD "Tr0ub4dor&3 horse"

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

static GAsyncResult *
wait_for (Wait *wait)
{
  g_main_loop_run (wait->loop);
  return wait->result;
}

static OdFakePop3Server *
start_server (gboolean implicit_tls)
{
  OdFakePop3Server *server = od_fake_pop3_server_new ();
  g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, "good", NULL);
  g_autoptr(GError) error = NULL;

  od_fake_pop3_server_set_certificate (server, cert);
  od_fake_pop3_server_set_credentials (server, USER, PASSWORD);
  od_fake_pop3_server_set_implicit_tls (server, implicit_tls);
  g_assert_true (od_fake_pop3_server_start (server, &error));
  g_assert_no_error (error);

  return server;
}

static OdPop3Session *
connect_to (OdFakePop3Server *server,
            OdTranscript     *transcript,
            gboolean          implicit_tls)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(OdTlsClient) tls = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port = od_fake_pop3_server_get_port (server);
  OdPop3Session *session;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);

  tls = od_tls_client_new ("localhost", port, transcript);
  od_tls_client_set_ca_file (tls, od_test_certs_get_ca_file (certs));

  /* Implicit TLS is the connector's; here the TLS client does it by hand. */
  if (implicit_tls)
    {
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      Wait wait = { loop, NULL };

      od_tls_client_handshake_async (tls, G_IO_STREAM (connection), NULL, wait_cb, &wait);
      stream = od_tls_client_handshake_finish (tls, wait_for (&wait), &error);
      g_assert_no_error (error);
      g_clear_object (&wait.result);
    }
  else
    stream = g_object_ref (G_IO_STREAM (connection));

  session = od_pop3_session_new (stream, tls, transcript);
  od_pop3_session_set_timeout (session, 10000);  /* valgrind is slow */
  g_assert_cmpint (od_pop3_session_is_tls (session), ==, implicit_tls);
  return session;
}

static OdPop3Reply *
expect_ok (OdPop3Session *session,
           Wait          *wait)
{
  g_autoptr(GError) error = NULL;
  OdPop3Reply *reply;

  reply = od_pop3_session_reply_finish (session, wait_for (wait), &error);
  g_clear_object (&wait->result);
  g_assert_no_error (error);
  g_assert_nonnull (reply);

  return reply;
}

static void
expect_error (OdPop3Session *session,
              Wait          *wait,
              GQuark         domain,
              int            code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdPop3Reply) reply = NULL;

  reply = od_pop3_session_reply_finish (session, wait_for (wait), &error);
  g_clear_object (&wait->result);
  g_assert_null (reply);
  g_assert_error (error, domain, code);
}

static void
greet (OdPop3Session *session,
       Wait          *wait)
{
  od_pop3_session_read_greeting_async (session, NULL, wait_cb, wait);
  od_pop3_reply_unref (expect_ok (session, wait));
}

static void
assert_no_password (OdTranscript *transcript)
{
  g_autofree char *text = od_transcript_to_text (transcript);
  g_autofree char *b64 = g_base64_encode ((const guchar *)PASSWORD, strlen (PASSWORD));

  g_assert_null (strstr (text, PASSWORD));
  g_assert_null (strstr (text, b64));
  g_assert_null (strstr (text, "Tr0ub4dor"));
}

/* Greeting, CAPA, STLS, CAPA again, USER/PASS, STAT, QUIT. */
static void
test_stls_user_pass (void)
{
  g_autoptr(OdFakePop3Server) server = start_server (FALSE);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdPop3Session) session = connect_to (server, transcript, FALSE);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  Wait wait = { loop, NULL };
  const OdPop3Capabilities *caps;
  guint n_messages = 0;
  guint64 size = 0;

  od_fake_pop3_server_set_mailbox (server, 3, 12345);
  greet (session, &wait);

  od_pop3_session_capa_async (session, NULL, wait_cb, &wait);
  od_pop3_reply_unref (expect_ok (session, &wait));
  caps = od_pop3_session_get_capabilities (session);
  g_assert_nonnull (caps);
  g_assert_true (caps->stls && caps->user && caps->resp_codes);
  g_assert_null (caps->sasl_mechanisms[0]);
  g_assert_cmpstr (caps->implementation, ==, "fake-pop3");

  od_pop3_session_stls_async (session, NULL, wait_cb, &wait);
  od_pop3_reply_unref (expect_ok (session, &wait));
  g_assert_true (od_pop3_session_is_tls (session));
  g_assert_nonnull (od_pop3_session_get_tls_info (session));
  g_assert_cmpint (od_pop3_session_get_tls_errors (session), ==, 0);
  /* RFC 2595: what was learned before TLS is forgotten. */
  g_assert_null (od_pop3_session_get_capabilities (session));

  od_pop3_session_capa_async (session, NULL, wait_cb, &wait);
  od_pop3_reply_unref (expect_ok (session, &wait));
  caps = od_pop3_session_get_capabilities (session);
  g_assert_false (caps->stls);
  g_assert_true (od_pop3_capabilities_has_sasl (caps, "PLAIN"));

  od_pop3_session_login_async (session, "USER", USER, PASSWORD, NULL, wait_cb, &wait);
  od_pop3_reply_unref (expect_ok (session, &wait));

  od_pop3_session_stat_async (session, NULL, wait_cb, &wait);
  g_assert_true (od_pop3_session_stat_finish (session, wait_for (&wait), &n_messages, &size,
                                              &error));
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_cmpuint (n_messages, ==, 3);
  g_assert_cmpuint (size, ==, 12345);

  od_pop3_session_quit_async (session, NULL, wait_cb, &wait);
  od_pop3_reply_unref (expect_ok (session, &wait));

  text = od_transcript_to_text (transcript);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "PASS " OD_TRANSCRIPT_REDACTED));
  g_assert_nonnull (strstr (text, "USER " USER));
  assert_no_password (transcript);
}

static void
login_over_implicit_tls (const char *mechanism,
                         const char *shown)
{
  g_autoptr(OdFakePop3Server) server = start_server (TRUE);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdPop3Session) session = connect_to (server, transcript, TRUE);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *text = NULL;
  Wait wait = { loop, NULL };

  greet (session, &wait);
  od_pop3_session_capa_async (session, NULL, wait_cb, &wait);
  od_pop3_reply_unref (expect_ok (session, &wait));
  od_pop3_session_login_async (session, mechanism, USER, PASSWORD, NULL, wait_cb, &wait);
  od_pop3_reply_unref (expect_ok (session, &wait));
  od_pop3_session_quit_async (session, NULL, wait_cb, &wait);
  od_pop3_reply_unref (expect_ok (session, &wait));

  text = od_transcript_to_text (transcript);
  g_assert_nonnull (strstr (text, shown));
  assert_no_password (transcript);
}

static void
test_auth_plain (void)
{
  login_over_implicit_tls ("PLAIN", "AUTH PLAIN " OD_TRANSCRIPT_REDACTED);
}

static void
test_auth_login (void)
{
  login_over_implicit_tls ("LOGIN", "C~> " OD_TRANSCRIPT_REDACTED);
}

/* No password leaves over a connection without TLS, unless the caller says so. */
static void
test_plaintext_refused (void)
{
  g_autoptr(OdFakePop3Server) server = start_server (FALSE);
  g_autoptr(OdPop3Session) session = connect_to (server, NULL, FALSE);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };
  const char *mechanisms[] = { "USER", "PLAIN", "LOGIN" };
  GPtrArray *commands = od_fake_pop3_server_get_commands (server);

  greet (session, &wait);
  for (guint i = 0; i < G_N_ELEMENTS (mechanisms); i++)
    {
      od_pop3_session_login_async (session, mechanisms[i], USER, PASSWORD, NULL, wait_cb, &wait);
      expect_error (session, &wait, OD_POP3_ERROR, OD_POP3_ERROR_PLAINTEXT_REFUSED);
    }
  g_assert_cmpuint (commands->len, ==, 0);

  od_pop3_session_set_allow_plaintext_password (session, TRUE);
  od_pop3_session_login_async (session, "USER", USER, PASSWORD, NULL, wait_cb, &wait);
  od_pop3_reply_unref (expect_ok (session, &wait));
  g_assert_cmpuint (commands->len, ==, 2);
}

static void
test_no_greeting (void)
{
  g_autoptr(OdFakePop3Server) server = od_fake_pop3_server_new ();
  g_autoptr(OdPop3Session) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };
  gint64 start;

  od_fake_pop3_server_set_greeting (server, NULL);
  g_assert_true (od_fake_pop3_server_start (server, NULL));
  session = connect_to (server, NULL, FALSE);
  od_pop3_session_set_timeout (session, 300);

  start = g_get_monotonic_time ();
  od_pop3_session_read_greeting_async (session, NULL, wait_cb, &wait);
  expect_error (session, &wait, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, >=, 290);
}

static void
test_err_greeting (void)
{
  g_autoptr(OdFakePop3Server) server = od_fake_pop3_server_new ();
  g_autoptr(OdPop3Session) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdPop3Reply) reply = NULL;
  Wait wait = { loop, NULL };
  OdPop3Reply *last;

  od_fake_pop3_server_set_greeting (server, "-ERR [SYS/TEMP] Too many connections");
  g_assert_true (od_fake_pop3_server_start (server, NULL));
  session = connect_to (server, NULL, FALSE);

  od_pop3_session_read_greeting_async (session, NULL, wait_cb, &wait);
  reply = od_pop3_session_reply_finish (session, wait_for (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_null (reply);
  g_assert_error (error, OD_POP3_ERROR, OD_POP3_ERROR_SYS_TEMP);
  g_assert_nonnull (strstr (error->message, "-ERR [SYS/TEMP] Too many connections"));

  last = od_pop3_session_get_last_reply (session);
  g_assert_cmpstr (od_pop3_reply_get_response_code (last), ==, "SYS/TEMP");
  g_assert_cmpstr (od_pop3_reply_get_text (last), ==, "Too many connections");
}

/* Each "-ERR" to the login becomes its own error code, with the server's words. */
static void
test_login_refusals (void)
{
  struct {
    const char *mechanism;
    const char *command;
    const char *reply;
    int         code;
  } cases[] = {
    { "USER", NULL, NULL, OD_POP3_ERROR_AUTH },  /* the fake's own wrong-password answer */
    { "PLAIN", NULL, NULL, OD_POP3_ERROR_AUTH },
    { "USER", "PASS", "-ERR [IN-USE] Mailbox is locked by another POP3 session", OD_POP3_ERROR_IN_USE },
    { "USER", "PASS", "-ERR [LOGIN-DELAY] Wait 15 minutes", OD_POP3_ERROR_LOGIN_DELAY },
    { "PLAIN", "AUTH", "-ERR [SYS/TEMP] Authentication service unavailable", OD_POP3_ERROR_SYS_TEMP },
    { "USER", "USER", "-ERR [SYS/PERM] Account disabled", OD_POP3_ERROR_SYS_PERM },
    { "USER", "PASS", "-ERR Invalid login", OD_POP3_ERROR_REFUSED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OdFakePop3Server) server = od_fake_pop3_server_new ();
      g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, "good", NULL);
      g_autoptr(OdPop3Session) session = NULL;
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      g_autoptr(GError) error = NULL;
      g_autoptr(OdPop3Reply) reply = NULL;
      Wait wait = { loop, NULL };

      od_fake_pop3_server_set_certificate (server, cert);
      od_fake_pop3_server_set_implicit_tls (server, TRUE);
      od_fake_pop3_server_set_credentials (server, USER, "another password");
      if (cases[i].command != NULL)
        od_fake_pop3_server_set_reply (server, cases[i].command, cases[i].reply);
      g_assert_true (od_fake_pop3_server_start (server, NULL));
      session = connect_to (server, NULL, TRUE);
      greet (session, &wait);

      od_pop3_session_login_async (session, cases[i].mechanism, USER, PASSWORD, NULL,
                                   wait_cb, &wait);
      reply = od_pop3_session_reply_finish (session, wait_for (&wait), &error);
      g_clear_object (&wait.result);
      g_assert_null (reply);
      g_assert_error (error, OD_POP3_ERROR, cases[i].code);
      if (cases[i].reply != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].reply));
    }
}

/* A server that echoes the password in its refusal: neither the error, nor the last reply,
 * nor the transcript shows it. */
static void
test_echoed_password (void)
{
  g_autoptr(OdFakePop3Server) server = start_server (TRUE);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdPop3Session) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdPop3Reply) reply = NULL;
  Wait wait = { loop, NULL };

  od_fake_pop3_server_set_reply (server, "PASS", "-ERR [AUTH] Wrong password " PASSWORD);
  session = connect_to (server, transcript, TRUE);
  greet (session, &wait);

  od_pop3_session_login_async (session, "USER", USER, PASSWORD, NULL, wait_cb, &wait);
  reply = od_pop3_session_reply_finish (session, wait_for (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_error (error, OD_POP3_ERROR, OD_POP3_ERROR_AUTH);
  g_assert_null (strstr (error->message, PASSWORD));
  g_assert_null (strstr (od_pop3_reply_get_line (od_pop3_session_get_last_reply (session)),
                         PASSWORD));
  assert_no_password (transcript);
}

static void
test_no_capa (void)
{
  g_autoptr(OdFakePop3Server) server = od_fake_pop3_server_new ();
  g_autoptr(OdPop3Session) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(OdPop3Reply) reply = NULL;
  Wait wait = { loop, NULL };

  od_fake_pop3_server_set_capabilities (server, NULL, NULL);
  g_assert_true (od_fake_pop3_server_start (server, NULL));
  session = connect_to (server, NULL, FALSE);
  greet (session, &wait);

  /* A plain RFC 1939 server: not an error, just nothing known. */
  od_pop3_session_capa_async (session, NULL, wait_cb, &wait);
  reply = expect_ok (session, &wait);
  g_assert_cmpint (od_pop3_reply_get_status (reply), ==, OD_POP3_STATUS_ERR);
  g_assert_null (od_pop3_session_get_capabilities (session));

  /* The session goes on. */
  od_pop3_session_quit_async (session, NULL, wait_cb, &wait);
  od_pop3_reply_unref (expect_ok (session, &wait));
}

static void
test_stls_injection (void)
{
  g_autoptr(OdFakePop3Server) server = start_server (FALSE);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdPop3Session) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };

  od_fake_pop3_server_set_stls_injection (server, "+OK injected capabilities\r\n");
  session = connect_to (server, transcript, FALSE);
  greet (session, &wait);

  od_pop3_session_stls_async (session, NULL, wait_cb, &wait);
  expect_error (session, &wait, OD_POP3_ERROR, OD_POP3_ERROR_STLS_INJECTION);
  g_assert_false (od_pop3_session_is_tls (session));
}

static void
test_stls_refused (void)
{
  g_autoptr(OdFakePop3Server) server = od_fake_pop3_server_new ();
  g_autoptr(OdPop3Session) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };

  /* No certificate: the fake answers "-ERR [SYS/TEMP] TLS is not available". */
  g_assert_true (od_fake_pop3_server_start (server, NULL));
  session = connect_to (server, NULL, FALSE);
  greet (session, &wait);

  od_pop3_session_stls_async (session, NULL, wait_cb, &wait);
  expect_error (session, &wait, OD_POP3_ERROR, OD_POP3_ERROR_SYS_TEMP);
  g_assert_false (od_pop3_session_is_tls (session));
}

static void
test_endless_capa (void)
{
  g_autoptr(OdFakePop3Server) server = start_server (FALSE);
  g_autoptr(OdPop3Session) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };

  od_fake_pop3_server_set_endless_capa (server, TRUE);
  session = connect_to (server, NULL, FALSE);
  greet (session, &wait);

  od_pop3_session_capa_async (session, NULL, wait_cb, &wait);
  expect_error (session, &wait, OD_POP3_ERROR, OD_POP3_ERROR_TOO_MANY_LINES);
}

static void
test_not_pop3 (void)
{
  g_autoptr(OdFakePop3Server) server = od_fake_pop3_server_new ();
  g_autoptr(OdPop3Session) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };

  od_fake_pop3_server_set_greeting (server, "220 smtp.example.org ESMTP");
  g_assert_true (od_fake_pop3_server_start (server, NULL));
  session = connect_to (server, NULL, FALSE);

  od_pop3_session_read_greeting_async (session, NULL, wait_cb, &wait);
  expect_error (session, &wait, OD_POP3_ERROR, OD_POP3_ERROR_MALFORMED_RESPONSE);
}

/* A greeting longer than any line may be, arriving in pieces. */
static void
test_long_greeting (void)
{
  g_autoptr(OdFakePop3Server) server = od_fake_pop3_server_new ();
  g_autoptr(OdPop3Session) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GString) greeting = g_string_new ("+OK ");
  Wait wait = { loop, NULL };

  for (guint i = 0; i < 4 * OD_POP3_MAX_LINE_LENGTH; i++)
    g_string_append_c (greeting, 'x');
  od_fake_pop3_server_set_greeting (server, greeting->str);
  g_assert_true (od_fake_pop3_server_start (server, NULL));
  session = connect_to (server, NULL, FALSE);

  od_pop3_session_read_greeting_async (session, NULL, wait_cb, &wait);
  expect_error (session, &wait, OD_POP3_ERROR, OD_POP3_ERROR_LINE_TOO_LONG);
}

static void
test_bad_stat (void)
{
  g_autoptr(OdFakePop3Server) server = start_server (TRUE);
  g_autoptr(OdPop3Session) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Wait wait = { loop, NULL };

  od_fake_pop3_server_set_reply (server, "STAT", "+OK lots of mail");
  session = connect_to (server, NULL, TRUE);
  greet (session, &wait);

  od_pop3_session_stat_async (session, NULL, wait_cb, &wait);
  g_assert_false (od_pop3_session_stat_finish (session, wait_for (&wait), NULL, NULL, &error));
  g_clear_object (&wait.result);
  g_assert_error (error, OD_POP3_ERROR, OD_POP3_ERROR_MALFORMED_RESPONSE);
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
  g_autoptr(OdFakePop3Server) server = od_fake_pop3_server_new ();
  g_autoptr(OdPop3Session) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait wait = { loop, NULL };

  od_fake_pop3_server_set_greeting (server, NULL);
  g_assert_true (od_fake_pop3_server_start (server, NULL));
  session = connect_to (server, NULL, FALSE);

  od_pop3_session_read_greeting_async (session, cancellable, wait_cb, &wait);
  g_timeout_add (50, cancel_cb, cancellable);
  expect_error (session, &wait, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_bad_input (void)
{
  g_autoptr(OdFakePop3Server) server = start_server (TRUE);
  g_autoptr(OdPop3Session) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };

  session = connect_to (server, NULL, TRUE);
  greet (session, &wait);

  od_pop3_session_command_async (session, "NOOP\r\nDELE 1", FALSE, NULL, wait_cb, &wait);
  expect_error (session, &wait, OD_POP3_ERROR, OD_POP3_ERROR_BAD_INPUT);
  od_pop3_session_login_async (session, "USER", USER "\r\nDELE 1", PASSWORD, NULL, wait_cb,
                               &wait);
  expect_error (session, &wait, OD_POP3_ERROR, OD_POP3_ERROR_BAD_INPUT);
  g_assert_cmpuint (od_fake_pop3_server_get_commands (server)->len, ==, 0);
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

  g_test_add_func ("/od/pop3-session/stls-user-pass", test_stls_user_pass);
  g_test_add_func ("/od/pop3-session/auth-plain", test_auth_plain);
  g_test_add_func ("/od/pop3-session/auth-login", test_auth_login);
  g_test_add_func ("/od/pop3-session/plaintext-refused", test_plaintext_refused);
  g_test_add_func ("/od/pop3-session/no-greeting", test_no_greeting);
  g_test_add_func ("/od/pop3-session/err-greeting", test_err_greeting);
  g_test_add_func ("/od/pop3-session/login-refusals", test_login_refusals);
  g_test_add_func ("/od/pop3-session/echoed-password", test_echoed_password);
  g_test_add_func ("/od/pop3-session/no-capa", test_no_capa);
  g_test_add_func ("/od/pop3-session/stls-injection", test_stls_injection);
  g_test_add_func ("/od/pop3-session/stls-refused", test_stls_refused);
  g_test_add_func ("/od/pop3-session/endless-capa", test_endless_capa);
  g_test_add_func ("/od/pop3-session/not-pop3", test_not_pop3);
  g_test_add_func ("/od/pop3-session/long-greeting", test_long_greeting);
  g_test_add_func ("/od/pop3-session/bad-stat", test_bad_stat);
  g_test_add_func ("/od/pop3-session/cancel", test_cancel);
  g_test_add_func ("/od/pop3-session/bad-input", test_bad_input);

  ret = g_test_run ();
  od_test_certs_free (certs);

  return ret;
}
