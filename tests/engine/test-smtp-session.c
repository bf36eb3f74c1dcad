/* test-smtp-session.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "od-fake-smtp-server.h"
#include "od-smtp-session.h"
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

static GAsyncResult *
wait_for (Wait *wait)
{
  g_main_loop_run (wait->loop);
  return wait->result;
}

static OdFakeSmtpServer *
start_server (void)
{
  OdFakeSmtpServer *server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, "good", NULL);
  g_autoptr(GError) error = NULL;

  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);
  return server;
}

static OdSmtpSession *
connect_to (OdFakeSmtpServer *server,
            OdTranscript     *transcript)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  OdSmtpSession *session;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                od_fake_smtp_server_get_port (server),
                                                NULL, &error);
  g_assert_no_error (error);

  session = od_smtp_session_new (G_IO_STREAM (connection), "localhost",
                                 od_fake_smtp_server_get_port (server), transcript);
  od_smtp_session_set_ca_file (session, od_test_certs_get_ca_file (certs));
  od_smtp_session_set_timeout (session, 2000);
  return session;
}

static OdSmtpReply *
expect_reply (OdSmtpSession *session,
              Wait          *wait,
              guint          code)
{
  g_autoptr(GError) error = NULL;
  OdSmtpReply *reply;

  reply = od_smtp_session_reply_finish (session, wait_for (wait), &error);
  g_clear_object (&wait->result);
  g_assert_no_error (error);
  g_assert_cmpuint (od_smtp_reply_get_code (reply), ==, code);

  return reply;
}

static void
test_normalize_data (void)
{
  struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "a\nb", "a\r\nb\r\n.\r\n" },
    { "a\r\nb\r\n", "a\r\nb\r\n.\r\n" },
    { "a\rb", "a\r\nb\r\n.\r\n" },
    { ".hidden\n..two\nmid.dle\n.", "..hidden\r\n...two\r\nmid.dle\r\n..\r\n.\r\n" },
    { "", ".\r\n" },
    { "end.\r\n.\r\nafter", "end.\r\n..\r\nafter\r\n.\r\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = od_smtp_normalize_data (cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_full_conversation (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdSmtpSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *text = NULL;
  g_autofree char *b64 = g_base64_encode ((const guchar *)PASSWORD, strlen (PASSWORD));
  Wait wait = { loop, NULL };
  const OdSmtpCapabilities *caps;
  OdSmtpReply *reply;

  /* A multiline greeting: nothing may be sent before its last line. */
  od_fake_smtp_server_set_greeting (server, "220-fake.example.org first line\r\n"
                                            "220 fake.example.org ready");
  g_assert_true (od_fake_smtp_server_start (server, NULL));
  session = connect_to (server, transcript);

  od_smtp_session_read_reply_async (session, NULL, wait_cb, &wait);
  reply = expect_reply (session, &wait, 220);
  g_assert_cmpuint (g_strv_length ((char **)od_smtp_reply_get_lines (reply)), ==, 2);
  od_smtp_reply_unref (reply);

  od_smtp_session_ehlo_async (session, "[127.0.0.1]", NULL, wait_cb, &wait);
  od_smtp_reply_unref (expect_reply (session, &wait, 250));
  caps = od_smtp_session_get_capabilities (session);
  g_assert_true (caps->starttls);

  od_smtp_session_starttls_async (session, NULL, wait_cb, &wait);
  od_smtp_reply_unref (expect_reply (session, &wait, 220));
  g_assert_true (od_smtp_session_is_tls (session));
  g_assert_nonnull (od_smtp_session_get_tls_info (session));
  /* RFC 3207: what was learned before TLS is forgotten. */
  g_assert_null (od_smtp_session_get_capabilities (session));

  od_smtp_session_ehlo_async (session, "[127.0.0.1]", NULL, wait_cb, &wait);
  od_smtp_reply_unref (expect_reply (session, &wait, 250));
  g_assert_true (od_smtp_capabilities_has_auth (od_smtp_session_get_capabilities (session), "LOGIN"));

  od_smtp_session_authenticate_async (session, "LOGIN", USER, PASSWORD, NULL, wait_cb, &wait);
  od_smtp_reply_unref (expect_reply (session, &wait, 235));

  od_smtp_session_command_async (session, "MAIL FROM:<" USER ">", NULL, wait_cb, &wait);
  od_smtp_reply_unref (expect_reply (session, &wait, 250));
  od_smtp_session_command_async (session, "RCPT TO:<" USER ">", NULL, wait_cb, &wait);
  od_smtp_reply_unref (expect_reply (session, &wait, 250));
  od_smtp_session_send_data_async (session, "Subject: dots\n\n.line\nend", NULL, wait_cb, &wait);
  od_smtp_reply_unref (expect_reply (session, &wait, 250));
  od_smtp_session_command_async (session, "QUIT", NULL, wait_cb, &wait);
  od_smtp_reply_unref (expect_reply (session, &wait, 221));

  /* The server un-stuffs the dot: the message arrives as written, with CR LF. */
  g_assert_cmpstr (od_fake_smtp_server_get_last_message (server), ==,
                   "Subject: dots\r\n\r\n.line\r\nend\r\n");

  text = od_transcript_to_text (transcript);
  g_assert_null (strstr (text, PASSWORD));
  g_assert_null (strstr (text, b64));
  g_assert_nonnull (strstr (text, "C~> " OD_TRANSCRIPT_REDACTED));
}

static void
test_plain_auth_redacted (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdSmtpSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *text = NULL;
  Wait wait = { loop, NULL };

  od_fake_smtp_server_set_implicit_tls (server, TRUE);
  g_assert_true (od_fake_smtp_server_start (server, NULL));
  session = connect_to (server, transcript);

  od_smtp_session_handshake_async (session, NULL, wait_cb, &wait);
  g_assert_true (od_smtp_session_handshake_finish (session, wait_for (&wait), NULL));
  g_clear_object (&wait.result);

  od_smtp_session_read_reply_async (session, NULL, wait_cb, &wait);
  od_smtp_reply_unref (expect_reply (session, &wait, 220));
  od_smtp_session_ehlo_async (session, "[127.0.0.1]", NULL, wait_cb, &wait);
  od_smtp_reply_unref (expect_reply (session, &wait, 250));
  od_smtp_session_authenticate_async (session, "PLAIN", USER, PASSWORD, NULL, wait_cb, &wait);
  od_smtp_reply_unref (expect_reply (session, &wait, 235));

  text = od_transcript_to_text (transcript);
  g_assert_nonnull (strstr (text, "AUTH PLAIN " OD_TRANSCRIPT_REDACTED));
  g_assert_null (strstr (text, PASSWORD));
}

static void
test_helo_fallback (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autoptr(OdSmtpSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };
  GPtrArray *commands;

  od_fake_smtp_server_set_reply (server, "EHLO", "502 5.5.2 Error: command not recognized");
  g_assert_true (od_fake_smtp_server_start (server, NULL));
  session = connect_to (server, NULL);

  od_smtp_session_read_reply_async (session, NULL, wait_cb, &wait);
  od_smtp_reply_unref (expect_reply (session, &wait, 220));
  od_smtp_session_ehlo_async (session, "[127.0.0.1]", NULL, wait_cb, &wait);
  od_smtp_reply_unref (expect_reply (session, &wait, 250));

  commands = od_fake_smtp_server_get_commands (server);
  g_assert_cmpstr (g_ptr_array_index (commands, commands->len - 1), ==, "HELO [127.0.0.1]");
  g_assert_null (od_smtp_session_get_capabilities (session)->auth_mechanisms[0]);
}

static void
test_deadline (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autoptr(OdSmtpSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdSmtpReply) reply = NULL;
  Wait wait = { loop, NULL };
  gint64 start;
  gint64 elapsed_ms;

  od_fake_smtp_server_set_greeting (server, NULL);
  g_assert_true (od_fake_smtp_server_start (server, NULL));
  session = connect_to (server, NULL);
  od_smtp_session_set_timeout (session, 300);

  start = g_get_monotonic_time ();
  od_smtp_session_read_reply_async (session, NULL, wait_cb, &wait);
  reply = od_smtp_session_reply_finish (session, wait_for (&wait), &error);
  g_clear_object (&wait.result);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  g_assert_null (reply);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (elapsed_ms, >=, 290);
  g_assert_cmpint (elapsed_ms, <, 2000);
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
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autoptr(OdSmtpSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OdSmtpReply) reply = NULL;
  Wait wait = { loop, NULL };

  od_fake_smtp_server_set_greeting (server, NULL);
  g_assert_true (od_fake_smtp_server_start (server, NULL));
  session = connect_to (server, NULL);

  od_smtp_session_read_reply_async (session, cancellable, wait_cb, &wait);
  g_timeout_add (50, cancel_cb, cancellable);
  reply = od_smtp_session_reply_finish (session, wait_for (&wait), &error);
  g_clear_object (&wait.result);

  g_assert_null (reply);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_command_with_line_break (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autoptr(OdSmtpSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdSmtpReply) reply = NULL;
  Wait wait = { loop, NULL };

  g_assert_true (od_fake_smtp_server_start (server, NULL));
  session = connect_to (server, NULL);

  /* Injection through our own input: refused before anything is sent. */
  od_smtp_session_command_async (session, "MAIL FROM:<a@b.c>\r\nRCPT TO:<x@y.z>", NULL,
                                 wait_cb, &wait);
  reply = od_smtp_session_reply_finish (session, wait_for (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_null (reply);
  g_assert_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT);
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

  g_test_add_func ("/od/smtp-session/normalize-data", test_normalize_data);
  g_test_add_func ("/od/smtp-session/full-conversation", test_full_conversation);
  g_test_add_func ("/od/smtp-session/plain-auth-redacted", test_plain_auth_redacted);
  g_test_add_func ("/od/smtp-session/helo-fallback", test_helo_fallback);
  g_test_add_func ("/od/smtp-session/deadline", test_deadline);
  g_test_add_func ("/od/smtp-session/cancel", test_cancel);
  g_test_add_func ("/od/smtp-session/line-break", test_command_with_line_break);

  ret = g_test_run ();
  od_test_certs_free (certs);

  return ret;
}
