/* test-fake-server.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-fake-server"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "od-fake-smtp-server.h"
#include "od-test-certs.h"

/* A self-test of the fault-injection server. The server runs on the main context as in every
 * other test; the client here is deliberately independent of the engine: plain synchronous
 * GIO in a thread, so a bug in the engine cannot hide a bug in the server. */

#define DEFAULT_CAPS_REPLY \
  "250-fake.example.org\n" \
  "250-SIZE 10240000\n" \
  "250-STARTTLS\n" \
  "250-ENHANCEDSTATUSCODES\n" \
  "250 8BITMIME"

#define USER     "user@example.org"
#define PASSWORD "hunter2"

static OdTestCerts *certs;

typedef struct
{
  GSocketConnection *connection;
  GIOStream         *tls;
  GDataInputStream  *input;
  GOutputStream     *output;
} TestClient;

typedef struct
{
  OdFakeSmtpServer *server;
  guint16           port;
} Fixture;

typedef void (*ClientFunc) (Fixture *fixture);

typedef struct
{
  ClientFunc  func;
  Fixture    *fixture;
  GMainLoop  *loop;
} ClientRun;

static void
test_client_set_streams (TestClient *client,
                         GIOStream  *stream)
{
  g_clear_object (&client->input);
  client->input = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  g_data_input_stream_set_newline_type (client->input, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (client->input), FALSE);
  client->output = g_io_stream_get_output_stream (stream);
}

static TestClient *
test_client_new (guint16 port)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  TestClient *client = g_new0 (TestClient, 1);

  client->connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", port,
                                                        NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (g_socket_connection_get_socket (client->connection), 10);
  test_client_set_streams (client, G_IO_STREAM (client->connection));

  return client;
}

static void
test_client_free (TestClient *client)
{
  g_clear_object (&client->input);
  g_clear_object (&client->tls);
  g_clear_object (&client->connection);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestClient, test_client_free)

static void
test_client_send (TestClient *client,
                  const char *line)
{
  g_autofree char *data = g_strconcat (line, "\r\n", NULL);
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (client->output, data, strlen (data), NULL, NULL, &error);
  g_assert_no_error (error);
}

/* A whole (multiline) reply with its lines joined by "\n", or NULL at end of stream. */
static char *
test_client_read_reply_full (TestClient  *client,
                             GError     **error)
{
  g_autoptr(GString) reply = g_string_new (NULL);

  for (;;)
    {
      g_autofree char *line = NULL;

      line = g_data_input_stream_read_line (client->input, NULL, NULL, error);
      if (line == NULL)
        return NULL;

      if (reply->len > 0)
        g_string_append_c (reply, '\n');
      g_string_append (reply, line);

      if (strlen (line) < 4 || line[3] != '-')
        break;
    }

  return g_string_free (g_steal_pointer (&reply), FALSE);
}

static char *
test_client_read_reply (TestClient *client)
{
  g_autoptr(GError) error = NULL;
  char *reply;

  reply = test_client_read_reply_full (client, &error);
  g_assert_no_error (error);

  return reply;
}

static char *
test_client_command (TestClient *client,
                     const char *line)
{
  test_client_send (client, line);
  return test_client_read_reply (client);
}

/* Sends @line and checks only that some reply came. */
static void
test_client_do (TestClient *client,
                const char *line)
{
  g_autofree char *reply = test_client_command (client, line);

  g_assert_nonnull (reply);
}

#define assert_command(client, line, expected) \
  G_STMT_START { \
    g_autofree char *_reply = test_client_command ((client), (line)); \
    g_assert_cmpstr (_reply, ==, (expected)); \
  } G_STMT_END

#define assert_reply(client, expected) \
  G_STMT_START { \
    g_autofree char *_reply = test_client_read_reply (client); \
    g_assert_cmpstr (_reply, ==, (expected)); \
  } G_STMT_END

static gboolean
test_client_handshake (TestClient  *client,
                       guint16      port,
                       GError     **error)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GError) local_error = NULL;

  database = g_tls_file_database_new (od_test_certs_get_ca_file (certs), &local_error);
  g_assert_no_error (local_error);

  identity = g_network_address_new ("localhost", port);
  client->tls = g_tls_client_connection_new (G_IO_STREAM (client->connection), identity,
                                             &local_error);
  g_assert_no_error (local_error);
  g_tls_connection_set_database (G_TLS_CONNECTION (client->tls), database);

  if (!g_tls_connection_handshake (G_TLS_CONNECTION (client->tls), NULL, error))
    return FALSE;

  test_client_set_streams (client, client->tls);

  return TRUE;
}

static char *
b64 (const char *data,
     gsize       len)
{
  return g_base64_encode ((const guchar *) data, len);
}

static char *
plain_response (const char *user,
                const char *password)
{
  g_autoptr(GString) str = g_string_new (NULL);

  g_string_append_c (str, '\0');
  g_string_append (str, user);
  g_string_append_c (str, '\0');
  g_string_append (str, password);

  return b64 (str->str, str->len);
}

static gboolean
commands_contain (OdFakeSmtpServer *server,
                  const char       *line)
{
  GPtrArray *commands = od_fake_smtp_server_get_commands (server);

  for (guint i = 0; i < commands->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (commands, i), line) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
quit_idle_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gpointer
client_thread_func (gpointer user_data)
{
  ClientRun *run = user_data;

  run->func (run->fixture);
  g_idle_add (quit_idle_cb, run->loop);

  return NULL;
}

/* Runs @func in a thread with blocking I/O while the server runs on the main context. */
static void
run_client (Fixture    *fixture,
            ClientFunc  func)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  ClientRun run = { func, fixture, loop };
  GThread *thread;

  thread = g_thread_new ("test-client", client_thread_func, &run);
  g_main_loop_run (loop);
  g_thread_join (thread);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->server = od_fake_smtp_server_new ();
  od_fake_smtp_server_set_credentials (fixture->server, USER, PASSWORD);
}

static void
fixture_start (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  od_fake_smtp_server_start (fixture->server, &error);
  g_assert_no_error (error);
  fixture->port = od_fake_smtp_server_get_port (fixture->server);
  g_assert_cmpuint (fixture->port, !=, 0);
}

static void
fixture_set_certificate (Fixture *fixture)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;

  certificate = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);
  od_fake_smtp_server_set_certificate (fixture->server, certificate);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  od_fake_smtp_server_stop (fixture->server);
  g_assert_finalize_object (fixture->server);
}

/* Greeting and QUIT */

static void
greeting_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);
  g_autofree char *eof = NULL;

  assert_reply (client, "220 fake.example.org ESMTP ready");
  assert_command (client, "NOOP", "250 2.0.0 Ok");
  assert_command (client, "QUIT", "221 2.0.0 Bye");

  eof = test_client_read_reply (client);
  g_assert_null (eof);
}

static void
test_greeting (Fixture       *fixture,
               gconstpointer  user_data)
{
  GPtrArray *commands;

  fixture_start (fixture);
  run_client (fixture, greeting_client);

  commands = od_fake_smtp_server_get_commands (fixture->server);
  g_assert_cmpuint (commands->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (commands, 0), ==, "NOOP");
  g_assert_cmpstr (g_ptr_array_index (commands, 1), ==, "QUIT");
  g_assert_cmpuint (od_fake_smtp_server_get_n_connections (fixture->server), ==, 1);
}

static void
greeting_multiline_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);

  assert_reply (client, "220-fake.example.org first\n220 second");
  assert_command (client, "QUIT", "221 2.0.0 Bye");
}

static void
test_greeting_multiline (Fixture       *fixture,
                         gconstpointer  user_data)
{
  od_fake_smtp_server_set_greeting (fixture->server, "220-fake.example.org first\r\n220 second");
  fixture_start (fixture);
  run_client (fixture, greeting_multiline_client);
}

static void
greeting_silent_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;

  g_socket_set_timeout (g_socket_connection_get_socket (client->connection), 1);
  reply = test_client_read_reply_full (client, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_null (reply);
}

static void
test_greeting_silent (Fixture       *fixture,
                      gconstpointer  user_data)
{
  od_fake_smtp_server_set_greeting (fixture->server, NULL);
  fixture_start (fixture);
  run_client (fixture, greeting_silent_client);
}

static void
greeting_delay_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = NULL;
  gint64 start = g_get_monotonic_time ();

  client = test_client_new (fixture->port);
  assert_reply (client, "220 fake.example.org ESMTP ready");
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 200 * 1000);
}

static void
test_greeting_delay (Fixture       *fixture,
                     gconstpointer  user_data)
{
  od_fake_smtp_server_set_greeting_delay_ms (fixture->server, 200);
  fixture_start (fixture);
  run_client (fixture, greeting_delay_client);
}

/* EHLO */

static void
ehlo_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);

  assert_reply (client, "220 fake.example.org ESMTP ready");
  assert_command (client, "EHLO client.example.org", DEFAULT_CAPS_REPLY);
  assert_command (client, "ehlo client.example.org", DEFAULT_CAPS_REPLY);
  assert_command (client, "EHLO", "501 5.5.4 Syntax: EHLO hostname");
  assert_command (client, "HELO client.example.org", "250 fake.example.org");
  assert_command (client, "FROB", "500 5.5.2 Error: command not recognized");
  assert_command (client, "QUIT", "221 2.0.0 Bye");
}

static void
test_ehlo (Fixture       *fixture,
           gconstpointer  user_data)
{
  fixture_start (fixture);
  run_client (fixture, ehlo_client);
  g_assert_true (commands_contain (fixture->server, "ehlo client.example.org"));
}

static void
ehlo_custom_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);

  assert_reply (client, "220 fake.example.org ESMTP ready");
  assert_command (client, "EHLO client.example.org",
                  "250-fake.example.org\n250-PIPELINING\n250 AUTH PLAIN");
  assert_command (client, "STARTTLS", "502 5.5.1 Error: command not implemented");
}

static void
test_ehlo_custom (Fixture       *fixture,
                  gconstpointer  user_data)
{
  od_fake_smtp_server_set_capabilities (fixture->server, "PIPELINING\nAUTH PLAIN\n", NULL);
  fixture_start (fixture);
  run_client (fixture, ehlo_custom_client);
}

/* AUTH */

static void
auth_plain_client (Fixture *fixture)
{
  g_autofree char *good = plain_response (USER, PASSWORD);
  g_autofree char *bad = plain_response (USER, "wrong");
  g_autofree char *line = NULL;

  {
    g_autoptr(TestClient) client = test_client_new (fixture->port);

    assert_reply (client, "220 fake.example.org ESMTP ready");
    line = g_strconcat ("AUTH PLAIN ", good, NULL);
    assert_command (client, line, "503 5.5.1 Error: send HELO/EHLO first");
    test_client_do (client, "EHLO client.example.org");
    assert_command (client, line, "235 2.7.0 Authentication successful");
    assert_command (client, line, "503 5.5.1 Error: already authenticated");
  }

  {
    g_autoptr(TestClient) client = test_client_new (fixture->port);
    g_autofree char *bad_line = g_strconcat ("AUTH PLAIN ", bad, NULL);

    assert_reply (client, "220 fake.example.org ESMTP ready");
    test_client_do (client, "EHLO client.example.org");
    assert_command (client, bad_line, "535 5.7.8 Authentication credentials invalid");
    assert_command (client, "AUTH PLAIN", "334 ");
    assert_command (client, "not base64!", "501 5.5.2 Cannot decode response");
    assert_command (client, "AUTH PLAIN", "334 ");
    assert_command (client, good, "235 2.7.0 Authentication successful");
  }
}

static void
test_auth_plain (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autofree char *good = plain_response (USER, PASSWORD);

  od_fake_smtp_server_set_capabilities (fixture->server, "AUTH PLAIN LOGIN CRAM-MD5", NULL);
  fixture_start (fixture);
  run_client (fixture, auth_plain_client);

  /* The continuation line of the exchange is recorded too. */
  g_assert_true (commands_contain (fixture->server, good));
  g_assert_cmpuint (od_fake_smtp_server_get_n_connections (fixture->server), ==, 2);
}

static void
auth_other_client (Fixture *fixture)
{
  g_autofree char *user64 = b64 (USER, strlen (USER));
  g_autofree char *password64 = b64 (PASSWORD, strlen (PASSWORD));
  g_autofree char *wrong64 = b64 ("wrong", 5);

  {
    g_autoptr(TestClient) client = test_client_new (fixture->port);

    assert_reply (client, "220 fake.example.org ESMTP ready");
    test_client_do (client, "EHLO client.example.org");
    assert_command (client, "AUTH XOAUTH2", "504 5.5.4 Unsupported authentication mechanism");
    assert_command (client, "AUTH LOGIN", "334 VXNlcm5hbWU6");
    assert_command (client, "*", "501 5.7.0 Authentication aborted");
    assert_command (client, "AUTH LOGIN", "334 VXNlcm5hbWU6");
    assert_command (client, user64, "334 UGFzc3dvcmQ6");
    assert_command (client, wrong64, "535 5.7.8 Authentication credentials invalid");
    assert_command (client, "AUTH LOGIN", "334 VXNlcm5hbWU6");
    assert_command (client, user64, "334 UGFzc3dvcmQ6");
    assert_command (client, password64, "235 2.7.0 Authentication successful");
  }

  {
    g_autoptr(TestClient) client = test_client_new (fixture->port);
    g_autofree char *challenge_reply = NULL;
    g_autofree guchar *challenge = NULL;
    g_autofree char *digest = NULL;
    g_autofree char *response = NULL;
    g_autofree char *response64 = NULL;
    gsize len;

    assert_reply (client, "220 fake.example.org ESMTP ready");
    test_client_do (client, "EHLO client.example.org");

    challenge_reply = test_client_command (client, "AUTH CRAM-MD5");
    g_assert_true (g_str_has_prefix (challenge_reply, "334 "));
    challenge = g_base64_decode (challenge_reply + 4, &len);
    g_assert_true (g_str_has_prefix ((char *) challenge, "<"));
    g_assert_true (g_str_has_suffix ((char *) challenge, "@fake.example.org>"));

    digest = g_compute_hmac_for_data (G_CHECKSUM_MD5,
                                      (const guchar *) PASSWORD, strlen (PASSWORD),
                                      challenge, len);
    response = g_strconcat (USER, " ", digest, NULL);
    response64 = b64 (response, strlen (response));
    assert_command (client, response64, "235 2.7.0 Authentication successful");
  }
}

static void
test_auth_login_cram_md5 (Fixture       *fixture,
                          gconstpointer  user_data)
{
  od_fake_smtp_server_set_capabilities (fixture->server, "AUTH PLAIN LOGIN CRAM-MD5", NULL);
  fixture_start (fixture);
  run_client (fixture, auth_other_client);
}

static void
auth_override_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);
  g_autofree char *good = plain_response (USER, PASSWORD);

  assert_reply (client, "220 fake.example.org ESMTP ready");
  test_client_do (client, "EHLO client.example.org");
  assert_command (client, "AUTH PLAIN", "334 ");
  assert_command (client, good, "454 4.7.0 Temporary authentication failure");
}

static void
test_auth_override (Fixture       *fixture,
                    gconstpointer  user_data)
{
  od_fake_smtp_server_set_capabilities (fixture->server, "AUTH PLAIN", NULL);
  od_fake_smtp_server_set_reply (fixture->server, "AUTH",
                                 "454 4.7.0 Temporary authentication failure");
  fixture_start (fixture);
  run_client (fixture, auth_override_client);
}

static void
auth_not_offered_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);
  g_autofree char *good = plain_response (USER, PASSWORD);
  g_autofree char *line = g_strconcat ("AUTH PLAIN ", good, NULL);

  assert_reply (client, "220 fake.example.org ESMTP ready");
  test_client_do (client, "EHLO client.example.org");
  assert_command (client, line, "503 5.5.1 Error: authentication not enabled");
}

static void
test_auth_not_offered (Fixture       *fixture,
                       gconstpointer  user_data)
{
  fixture_start (fixture);
  run_client (fixture, auth_not_offered_client);
}

/* Mail transaction */

static void
data_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);

  assert_reply (client, "220 fake.example.org ESMTP ready");
  assert_command (client, "MAIL FROM:<user@example.org>", "503 5.5.1 Error: send HELO/EHLO first");
  test_client_do (client, "EHLO client.example.org");
  assert_command (client, "RCPT TO:<rcpt@example.net>", "503 5.5.1 Error: need MAIL command");
  assert_command (client, "MAIL FROM:<user@example.org> SIZE=20000000",
                  "552 5.3.4 Message size exceeds fixed limit");
  assert_command (client, "mail from:<user@example.org>", "250 2.1.0 Ok");
  assert_command (client, "DATA", "503 5.5.1 Error: need RCPT command");
  assert_command (client, "RCPT TO:<rcpt@example.net>", "250 2.1.5 Ok");
  assert_command (client, "DATA", "354 End data with <CR><LF>.<CR><LF>");
  test_client_send (client, "Subject: dots\r\n\r\n..leading dot\r\n...\r\nQUIT\r\nend");
  assert_command (client, ".", "250 2.0.0 Ok: queued as FAKE1");
  assert_command (client, "RSET", "250 2.0.0 Ok");
  assert_command (client, "QUIT", "221 2.0.0 Bye");
}

static void
test_data (Fixture       *fixture,
           gconstpointer  user_data)
{
  fixture_start (fixture);
  run_client (fixture, data_client);

  g_assert_cmpstr (od_fake_smtp_server_get_last_message (fixture->server), ==,
                   "Subject: dots\r\n\r\n.leading dot\r\n..\r\nQUIT\r\nend\r\n");
  g_assert_cmpuint (od_fake_smtp_server_get_n_messages (fixture->server), ==, 1);
  /* Message lines are not commands. */
  g_assert_false (commands_contain (fixture->server, "Subject: dots"));
}

static void
require_auth_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);
  g_autofree char *good = plain_response (USER, PASSWORD);
  g_autofree char *line = g_strconcat ("AUTH PLAIN ", good, NULL);

  assert_reply (client, "220 fake.example.org ESMTP ready");
  test_client_do (client, "EHLO client.example.org");
  assert_command (client, "MAIL FROM:<user@example.org>", "530 5.7.0 Authentication required");
  assert_command (client, line, "235 2.7.0 Authentication successful");
  assert_command (client, "MAIL FROM:<user@example.org>", "250 2.1.0 Ok");
}

static void
test_require_auth (Fixture       *fixture,
                   gconstpointer  user_data)
{
  od_fake_smtp_server_set_capabilities (fixture->server, "AUTH PLAIN", NULL);
  od_fake_smtp_server_set_require_auth (fixture->server, TRUE);
  fixture_start (fixture);
  run_client (fixture, require_auth_client);
}

/* Scripted replies */

static void
override_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);

  assert_reply (client, "220 fake.example.org ESMTP ready");
  test_client_do (client, "EHLO client.example.org");
  assert_command (client, "MAIL FROM:<user@example.org>", "250 2.1.0 Ok");
  assert_command (client, "RCPT TO:<rcpt@example.net>",
                  "550-5.1.1 <rcpt@example.net>: Recipient address rejected:\n"
                  "550 5.1.1 User unknown in virtual mailbox table");
  assert_command (client, "NOOP", "421 4.3.2 Shutting down");

  /* 421 closes the connection. */
  g_assert_null (test_client_read_reply (client));
}

static void
test_override (Fixture       *fixture,
               gconstpointer  user_data)
{
  od_fake_smtp_server_set_reply (fixture->server, "rcpt",
                                 "550-5.1.1 <rcpt@example.net>: Recipient address rejected:\r\n"
                                 "550 5.1.1 User unknown in virtual mailbox table");
  od_fake_smtp_server_set_reply (fixture->server, "NOOP", "421 4.3.2 Shutting down");
  fixture_start (fixture);
  run_client (fixture, override_client);
}

static void
override_close_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);
  g_autofree char *reply = NULL;

  assert_reply (client, "220 fake.example.org ESMTP ready");
  test_client_do (client, "EHLO client.example.org");
  reply = test_client_command (client, "MAIL FROM:<user@example.org>");
  g_assert_null (reply);
}

static void
test_override_close (Fixture       *fixture,
                     gconstpointer  user_data)
{
  od_fake_smtp_server_set_reply (fixture->server, "MAIL", "<close>");
  fixture_start (fixture);
  run_client (fixture, override_close_client);
  g_assert_true (commands_contain (fixture->server, "MAIL FROM:<user@example.org>"));
}

static void
override_silent_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;

  assert_reply (client, "220 fake.example.org ESMTP ready");
  test_client_do (client, "EHLO client.example.org");
  test_client_do (client, "MAIL FROM:<user@example.org>");
  test_client_do (client, "RCPT TO:<rcpt@example.net>");
  assert_command (client, "DATA", "354 End data with <CR><LF>.<CR><LF>");
  test_client_send (client, "Subject: slow\r\n\r\nbody");
  test_client_send (client, ".");

  g_socket_set_timeout (g_socket_connection_get_socket (client->connection), 1);
  reply = test_client_read_reply_full (client, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

static void
test_override_silent (Fixture       *fixture,
                      gconstpointer  user_data)
{
  od_fake_smtp_server_set_reply (fixture->server, "DATA-END", "<silent>");
  fixture_start (fixture);
  run_client (fixture, override_silent_client);
  g_assert_cmpstr (od_fake_smtp_server_get_last_message (fixture->server), ==,
                   "Subject: slow\r\n\r\nbody\r\n");
}

/* TLS */

static void
starttls_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);
  g_autoptr(GError) error = NULL;
  g_autofree char *good = plain_response (USER, PASSWORD);
  g_autofree char *line = g_strconcat ("AUTH PLAIN ", good, NULL);

  assert_reply (client, "220 fake.example.org ESMTP ready");
  assert_command (client, "EHLO client.example.org", DEFAULT_CAPS_REPLY);
  assert_command (client, "STARTTLS", "220 2.0.0 Ready to start TLS");
  g_assert_cmpuint (g_buffered_input_stream_get_available (G_BUFFERED_INPUT_STREAM (client->input)),
                    ==, 0);

  test_client_handshake (client, fixture->port, &error);
  g_assert_no_error (error);

  assert_command (client, "MAIL FROM:<user@example.org>", "503 5.5.1 Error: send HELO/EHLO first");
  assert_command (client, "EHLO client.example.org",
                  "250-fake.example.org\n"
                  "250-SIZE 10240000\n"
                  "250-AUTH PLAIN LOGIN CRAM-MD5\n"
                  "250-ENHANCEDSTATUSCODES\n"
                  "250 8BITMIME");
  assert_command (client, "STARTTLS", "554 5.5.1 Error: TLS already active");
  assert_command (client, line, "235 2.7.0 Authentication successful");
  assert_command (client, "QUIT", "221 2.0.0 Bye");

  /* A clean end of the TLS stream: the server sent close_notify. */
  g_assert_null (test_client_read_reply (client));
}

static void
test_starttls (Fixture       *fixture,
               gconstpointer  user_data)
{
  fixture_set_certificate (fixture);
  fixture_start (fixture);
  run_client (fixture, starttls_client);
}

static void
starttls_no_certificate_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);

  assert_reply (client, "220 fake.example.org ESMTP ready");
  test_client_do (client, "EHLO client.example.org");
  assert_command (client, "STARTTLS", "454 4.7.0 TLS not available due to local problem");
}

static void
test_starttls_no_certificate (Fixture       *fixture,
                              gconstpointer  user_data)
{
  fixture_start (fixture);
  run_client (fixture, starttls_no_certificate_client);
}

static void
starttls_injection_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);
  GBufferedInputStream *buffered;

  assert_reply (client, "220 fake.example.org ESMTP ready");
  test_client_do (client, "EHLO client.example.org");
  assert_command (client, "STARTTLS", "220 2.0.0 Ready to start TLS");

  /* The injected reply came in the same segment: it sits in the buffer before any TLS. */
  buffered = G_BUFFERED_INPUT_STREAM (client->input);
  g_assert_cmpuint (g_buffered_input_stream_get_available (buffered), ==,
                    strlen ("250 2.1.0 injected\r\n"));
  assert_reply (client, "250 2.1.0 injected");
}

static void
test_starttls_injection (Fixture       *fixture,
                         gconstpointer  user_data)
{
  fixture_set_certificate (fixture);
  od_fake_smtp_server_set_starttls_injection (fixture->server, "250 2.1.0 injected\r\n");
  fixture_start (fixture);
  run_client (fixture, starttls_injection_client);
}

static void
starttls_pipelined_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);
  g_autofree char *good = plain_response (USER, PASSWORD);
  g_autofree char *line = g_strconcat ("STARTTLS\r\nAUTH PLAIN ", good, NULL);
  g_autoptr(GError) error = NULL;

  assert_reply (client, "220 fake.example.org ESMTP ready");
  test_client_do (client, "EHLO client.example.org");
  assert_command (client, line, "220 2.0.0 Ready to start TLS");

  /* The pipelined AUTH was dropped, not answered in plain text or inside TLS. */
  test_client_handshake (client, fixture->port, &error);
  g_assert_no_error (error);
  assert_command (client, "NOOP", "250 2.0.0 Ok");
}

static void
test_starttls_pipelined (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *good = plain_response (USER, PASSWORD);
  g_autofree char *line = g_strconcat ("AUTH PLAIN ", good, NULL);

  fixture_set_certificate (fixture);
  fixture_start (fixture);
  run_client (fixture, starttls_pipelined_client);

  /* Yet the test can see that the password left the client before TLS. */
  g_assert_true (commands_contain (fixture->server, line));
}

static void
implicit_tls_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);
  g_autoptr(GError) error = NULL;

  test_client_handshake (client, fixture->port, &error);
  g_assert_no_error (error);

  assert_reply (client, "220 fake.example.org ESMTP ready");
  assert_command (client, "EHLO client.example.org",
                  "250-fake.example.org\n"
                  "250-SIZE 10240000\n"
                  "250-AUTH PLAIN LOGIN CRAM-MD5\n"
                  "250-ENHANCEDSTATUSCODES\n"
                  "250 8BITMIME");
  assert_command (client, "QUIT", "221 2.0.0 Bye");

  /* A clean end of the TLS stream: the server sent close_notify. */
  g_assert_null (test_client_read_reply (client));
}

static void
test_implicit_tls (Fixture       *fixture,
                   gconstpointer  user_data)
{
  fixture_set_certificate (fixture);
  od_fake_smtp_server_set_implicit_tls (fixture->server, TRUE);
  fixture_start (fixture);
  run_client (fixture, implicit_tls_client);
}

static void
test_implicit_tls_needs_certificate (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  od_fake_smtp_server_set_implicit_tls (fixture->server, TRUE);
  g_assert_false (od_fake_smtp_server_start (fixture->server, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
tls_to_plain_port_client (Fixture *fixture)
{
  /* A real TLS client against the plain port fails with a non-TLS answer. */
  {
    g_autoptr(TestClient) client = test_client_new (fixture->port);
    g_autoptr(GError) error = NULL;

    g_assert_false (test_client_handshake (client, fixture->port, &error));
    g_assert_nonnull (error);
  }

  /* And the start of a ClientHello is answered as garbage at once. */
  {
    g_autoptr(TestClient) client = test_client_new (fixture->port);
    static const char hello[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03";
    g_autoptr(GError) error = NULL;

    assert_reply (client, "220 fake.example.org ESMTP ready");
    g_output_stream_write_all (client->output, hello, sizeof hello - 1, NULL, NULL, &error);
    g_assert_no_error (error);
    assert_reply (client, "500 5.5.2 Error: bad syntax");
    assert_command (client, "NOOP", "250 2.0.0 Ok");
  }
}

static void
test_tls_to_plain_port (Fixture       *fixture,
                        gconstpointer  user_data)
{
  fixture_start (fixture);
  run_client (fixture, tls_to_plain_port_client);
  g_assert_true (commands_contain (fixture->server,
                                   "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03"));
}

/* Robustness */

static void
long_line_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);
  g_autofree char *line = g_strnfill (200 * 1024, 'x');

  assert_reply (client, "220 fake.example.org ESMTP ready");
  assert_command (client, line, "500 5.5.6 Error: line too long");
  assert_command (client, "NOOP", "250 2.0.0 Ok");
}

static void
test_long_line (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture_start (fixture);
  run_client (fixture, long_line_client);
}

static gboolean
stop_idle_cb (gpointer user_data)
{
  od_fake_smtp_server_stop (user_data);
  return G_SOURCE_REMOVE;
}

static void
stop_client (Fixture *fixture)
{
  g_autoptr(TestClient) client = test_client_new (fixture->port);
  g_autofree char *reply = NULL;

  assert_reply (client, "220 fake.example.org ESMTP ready");
  g_idle_add (stop_idle_cb, fixture->server);
  reply = test_client_read_reply (client);
  g_assert_null (reply);
}

static void
test_stop (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  fixture_start (fixture);
  run_client (fixture, stop_client);

  connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", fixture->port,
                                                NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
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

#define ADD(path, func) \
  g_test_add ("/od/fake-smtp-server/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("greeting", test_greeting);
  ADD ("greeting-multiline", test_greeting_multiline);
  ADD ("greeting-silent", test_greeting_silent);
  ADD ("greeting-delay", test_greeting_delay);
  ADD ("ehlo", test_ehlo);
  ADD ("ehlo-custom", test_ehlo_custom);
  ADD ("auth-plain", test_auth_plain);
  ADD ("auth-login-cram-md5", test_auth_login_cram_md5);
  ADD ("auth-override", test_auth_override);
  ADD ("auth-not-offered", test_auth_not_offered);
  ADD ("data", test_data);
  ADD ("require-auth", test_require_auth);
  ADD ("override", test_override);
  ADD ("override-close", test_override_close);
  ADD ("override-silent", test_override_silent);
  ADD ("starttls", test_starttls);
  ADD ("starttls-no-certificate", test_starttls_no_certificate);
  ADD ("starttls-injection", test_starttls_injection);
  ADD ("starttls-pipelined", test_starttls_pipelined);
  ADD ("implicit-tls", test_implicit_tls);
  ADD ("implicit-tls-needs-certificate", test_implicit_tls_needs_certificate);
  ADD ("tls-to-plain-port", test_tls_to_plain_port);
  ADD ("long-line", test_long_line);
  ADD ("stop", test_stop);

#undef ADD

  ret = g_test_run ();

  g_clear_pointer (&certs, od_test_certs_free);

  return ret;
}
