/* test-smtp-session.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <malloc.h>
#include <string.h>

#include "od-fake-smtp-server.h"
#include "od-smtp-session.h"
#include "od-test-certs.h"

#define USER     "user@example.org"
#define PASSWORD "pa55 word with spaces "

static OdTestCerts *certs;

/* Watching free(): this program's own free() sees every block the engine frees (GLib's
 * g_free() calls free()) and looks into it for credentials before glibc gets it back. Not
 * with AddressSanitizer, which has its own free(). */
#if defined(__SANITIZE_ADDRESS__)
# define WATCH_FREE 0
#elif defined(__has_feature)
# if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#  define WATCH_FREE 0
# endif
#endif
#ifndef WATCH_FREE
# define WATCH_FREE 1
#endif

#define N_WATCHED 4

static const char *watched[N_WATCHED];
static int watching;
static int frees_seen;
static int secrets_freed;

#if WATCH_FREE
extern void __libc_free (void *ptr);
void free (void *ptr);

static gboolean
block_contains (const char *block,
                gsize       size,
                const char *needle)
{
  gsize len = strlen (needle);

  for (gsize i = 0; i + len <= size; i++)
    {
      if (block[i] == needle[0] && memcmp (block + i, needle, len) == 0)
        return TRUE;
    }

  return FALSE;
}

void
free (void *ptr)
{
  if (ptr != NULL && g_atomic_int_get (&watching))
    {
      gsize size = malloc_usable_size (ptr);

      g_atomic_int_inc (&frees_seen);
      for (guint i = 0; i < N_WATCHED && watched[i] != NULL; i++)
        {
          if (block_contains (ptr, size, watched[i]))
            g_atomic_int_inc (&secrets_freed);
        }
    }

  __libc_free (ptr);
}
#endif

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
            OdTranscript     *transcript,
            gboolean          implicit_tls)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(OdTlsClient) tls = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  OdSmtpSession *session;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                od_fake_smtp_server_get_port (server),
                                                NULL, &error);
  g_assert_no_error (error);

  tls = od_tls_client_new ("localhost", od_fake_smtp_server_get_port (server), transcript);
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

  session = od_smtp_session_new (stream, tls, transcript);
  od_smtp_session_set_timeout (session, 2000);
  g_assert_cmpint (od_smtp_session_is_tls (session), ==, implicit_tls);
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
  session = connect_to (server, transcript, FALSE);

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
  session = connect_to (server, transcript, TRUE);

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
  session = connect_to (server, NULL, FALSE);

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
  session = connect_to (server, NULL, FALSE);
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
  session = connect_to (server, NULL, FALSE);

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
  session = connect_to (server, NULL, FALSE);

  /* Injection through our own input: refused before anything is sent. */
  od_smtp_session_command_async (session, "MAIL FROM:<a@b.c>\r\nRCPT TO:<x@y.z>", NULL,
                                 wait_cb, &wait);
  reply = od_smtp_session_reply_finish (session, wait_for (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_null (reply);
  g_assert_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT);
}

/* A scripted server on its own thread that keeps every byte it receives on its stack and
 * wipes it: whatever the free() watch finds comes from the client. */
#define CRAM_CHALLENGE "<1896.697170952@fake.example.org>"

static gboolean
server_send (GSocket    *socket,
             const char *text)
{
  gsize len = strlen (text);

  while (len > 0)
    {
      gssize sent = g_socket_send (socket, text, len, NULL, NULL);

      if (sent <= 0)
        return FALSE;
      text += sent;
      len -= sent;
    }

  return TRUE;
}

static gboolean
server_read_line (GSocket *socket,
                  char    *line,
                  gsize    size)
{
  gsize len = 0;

  while (len + 1 < size)
    {
      char c;

      if (g_socket_receive (socket, &c, 1, NULL, NULL) != 1)
        return FALSE;
      if (c == '\n')
        break;
      if (c != '\r')
        line[len++] = c;
    }
  line[len] = '\0';

  return TRUE;
}

static gpointer
auth_server_thread (gpointer data)
{
  GSocket *listener = data;

  for (guint n = 0; n < 3; n++)
    {
      g_autoptr(GSocket) socket = g_socket_accept (listener, NULL, NULL);
      char line[1024];
      guint pending = 0;

      if (socket == NULL || !server_send (socket, "220 fake.example.org ready\r\n"))
        break;

      while (server_read_line (socket, line, sizeof line))
        {
          const char *reply;

          if (pending > 0)
            {
              pending--;
              reply = pending == 0 ? "235 2.7.0 ok\r\n" : "334 UGFzc3dvcmQ6\r\n";
            }
          else if (g_str_has_prefix (line, "AUTH PLAIN "))
            reply = "235 2.7.0 ok\r\n";
          else if (g_str_equal (line, "AUTH LOGIN"))
            {
              reply = "334 VXNlcm5hbWU6\r\n";
              pending = 2;
            }
          else if (g_str_equal (line, "AUTH CRAM-MD5"))
            {
              /* base64 of CRAM_CHALLENGE */
              reply = "334 PDE4OTYuNjk3MTcwOTUyQGZha2UuZXhhbXBsZS5vcmc+\r\n";
              pending = 1;
            }
          else if (g_str_equal (line, "QUIT"))
            {
              server_send (socket, "221 bye\r\n");
              break;
            }
          else
            reply = "500 what?\r\n";

          memset (line, 0, sizeof line);
          if (!server_send (socket, reply))
            break;
        }

      memset (line, 0, sizeof line);
      g_socket_close (socket, NULL);
    }

  return NULL;
}

static void
authenticate_once (guint16     port,
                   const char *mechanism)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdSmtpSession) session = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Wait wait = { loop, NULL };

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  session = od_smtp_session_new (G_IO_STREAM (connection), NULL, transcript);
  od_smtp_session_set_timeout (session, 5000);

  od_smtp_session_read_reply_async (session, NULL, wait_cb, &wait);
  od_smtp_reply_unref (expect_reply (session, &wait, 220));
  od_smtp_session_authenticate_async (session, mechanism, USER, PASSWORD, NULL, wait_cb, &wait);
  od_smtp_reply_unref (expect_reply (session, &wait, 235));
  od_smtp_session_command_async (session, "QUIT", NULL, wait_cb, &wait);
  od_smtp_reply_unref (expect_reply (session, &wait, 221));
}

/* Every copy of the credentials the session makes (the AUTH PLAIN line, the LOGIN and
 * CRAM-MD5 answers, the line as queued for writing) is wiped before it is freed. */
static void
test_credentials_wiped (void)
{
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) blob = g_string_new (NULL);
  g_autoptr(GHmac) hmac = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *login = NULL;
  g_autofree char *cram_response = NULL;
  g_autofree char *cram = NULL;
  const char *mechanisms[] = { "PLAIN", "LOGIN", "CRAM-MD5" };
  GThread *thread;
  guint16 port;

  if (!WATCH_FREE)
    {
      g_test_skip ("free() cannot be watched with AddressSanitizer");
      return;
    }

  /* What goes over the wire for each mechanism. */
  g_string_append_c (blob, '\0');
  g_string_append (blob, USER);
  g_string_append_c (blob, '\0');
  g_string_append (blob, PASSWORD);
  plain = g_base64_encode ((const guchar *)blob->str, blob->len);
  login = g_base64_encode ((const guchar *)PASSWORD, strlen (PASSWORD));
  hmac = g_hmac_new (G_CHECKSUM_MD5, (const guchar *)PASSWORD, strlen (PASSWORD));
  g_hmac_update (hmac, (const guchar *)CRAM_CHALLENGE, strlen (CRAM_CHALLENGE));
  cram_response = g_strdup_printf ("%s %s", USER, g_hmac_get_string (hmac));
  cram = g_base64_encode ((const guchar *)cram_response, strlen (cram_response));
  watched[0] = plain;
  watched[1] = login;
  watched[2] = cram;
  watched[3] = cram_response;

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                           &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (listener, any, TRUE, &error));
  g_assert_true (g_socket_listen (listener, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  thread = g_thread_new ("auth-server", auth_server_thread, listener);

  g_atomic_int_set (&frees_seen, 0);
  g_atomic_int_set (&secrets_freed, 0);
  g_atomic_int_set (&watching, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (mechanisms); i++)
    authenticate_once (port, mechanisms[i]);
  g_atomic_int_set (&watching, FALSE);

  g_thread_join (thread);
  memset (watched, 0, sizeof watched);

  /* Under valgrind, say, free() is not ours: nothing was watched. */
  if (g_atomic_int_get (&frees_seen) == 0)
    {
      g_test_skip ("free() is replaced in this process: nothing could be watched");
      return;
    }

  g_test_message ("%d blocks freed during three logins", g_atomic_int_get (&frees_seen));
  g_assert_cmpint (g_atomic_int_get (&secrets_freed), ==, 0);
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
  g_test_add_func ("/od/smtp-session/credentials-wiped", test_credentials_wiped);

  ret = g_test_run ();
  od_test_certs_free (certs);

  return ret;
}
