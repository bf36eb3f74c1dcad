/* od-fake-smtp-server.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-fake-smtp-server"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>

#include "od-fake-smtp-server.h"

/* A scriptable submission server for fault-injection tests. It runs entirely on the
 * thread-default main context of whoever started it, with asynchronous I/O only, so a test
 * can drive a client on the same context without deadlocking. Each connection processes one
 * line at a time and never reads while a reply is being written, which keeps STARTTLS simple:
 * no plain-text byte is ever read behind the TLS layer's back. */

#define MAX_LINE_LENGTH    (64 * 1024)
#define MAX_MESSAGE_LENGTH (64 * 1024 * 1024)
#define READ_CHUNK_SIZE    (16 * 1024)
#define MAX_GARBAGE_RECORD 64

/* Hostile behaviours (od_fake_smtp_server_set_hostile()) */
#define ENDLESS_CHUNK_LINES 64
#define ENDLESS_MAX_BYTES   (64 * 1024 * 1024)  /* a client that never stops reading fails */
#define LONG_LINE_BYTES     (1024 * 1024)
#define BINARY_BYTES        (64 * 1024)

#define DEFAULT_ADDRESS         "127.0.0.1"
#define DEFAULT_GREETING        "220 " OD_FAKE_SMTP_SERVER_HOSTNAME " ESMTP ready"
#define DEFAULT_CAPS_BEFORE_TLS "SIZE 10240000\nSTARTTLS\nENHANCEDSTATUSCODES\n8BITMIME"
#define DEFAULT_CAPS_AFTER_TLS  "SIZE 10240000\nAUTH PLAIN LOGIN CRAM-MD5\nENHANCEDSTATUSCODES\n8BITMIME"
#define DEFAULT_USER            "user@example.org"
#define DEFAULT_PASSWORD        "secret"

#define REPLY_OK               "250 2.0.0 Ok"
#define REPLY_BAD_SYNTAX       "500 5.5.2 Error: bad syntax"
#define REPLY_UNKNOWN_COMMAND  "500 5.5.2 Error: command not recognized"
#define REPLY_AUTH_OK          "235 2.7.0 Authentication successful"
#define REPLY_AUTH_FAILED      "535 5.7.8 Authentication credentials invalid"
#define REPLY_STARTTLS_READY   "220 2.0.0 Ready to start TLS"
#define REPLY_DATA_END         "250 2.0.0 Ok: queued as FAKE1"

typedef enum
{
  AUTH_STEP_NONE,
  AUTH_STEP_PLAIN,
  AUTH_STEP_LOGIN_USER,
  AUTH_STEP_LOGIN_PASSWORD,
  AUTH_STEP_CRAM_MD5,
  AUTH_STEP_OAUTH,           /* XOAUTH2 or OAUTHBEARER: the client's response */
  AUTH_STEP_OAUTH_ERROR,     /* after the error challenge: the client's empty answer */
} AuthStep;

typedef enum
{
  AFTER_WRITE_CONTINUE,
  AFTER_WRITE_CLOSE,
  AFTER_WRITE_STARTTLS,
  AFTER_WRITE_ENDLESS,
} AfterWrite;

typedef struct
{
  grefcount          ref_count;

  /* Borrowed; NULL once the client is closed */
  OdFakeSmtpServer  *server;

  /* Owned */
  GSocketConnection *connection;
  GIOStream         *stream;
  GCancellable      *cancellable;
  GSource           *delay_source;
  GSource           *drip_source;
  GBytes            *out;
  GString           *in;
  GString           *data;
  char              *login_user;
  char              *cram_challenge;
  char              *oauth_mechanism;  /* the OAuth exchange under way */
  char              *caps_before_tls;  /* instead of the server's, for this connection */

  gsize              in_pos;
  gsize              out_pos;          /* bytes of @out written so far, when dripping */
  guint              number;           /* 1 for the first connection */
  guint              endless_lines;
  AuthStep           auth_step;
  AfterWrite         after_write;

  guint              busy : 1;
  guint              closed : 1;
  guint              mute : 1;
  guint              greeting_sent : 1;
  guint              refusing : 1;
  guint              tls : 1;
  guint              greeted : 1;
  guint              authenticated : 1;
  guint              in_transaction : 1;
  guint              has_recipient : 1;
  guint              in_data : 1;
  guint              data_mid_line : 1;
  guint              data_too_big : 1;
  guint              discarding : 1;
  guint              dripping : 1;
  guint              in_greeting : 1;

  guint8             read_buffer[READ_CHUNK_SIZE];
} Client;

struct _OdFakeSmtpServer
{
  GObject          parent_instance;

  /* Owned */
  GSocketService  *service;
  GMainContext    *context;
  GTlsCertificate *certificate;
  char            *address;
  char            *greeting;
  char            *caps_before_tls;
  char            *caps_after_tls;
  char            *user;
  char            *password;
  char            *oauth_token;        /* XOAUTH2/OAUTHBEARER: the accepted access token */
  char            *oauth_error;        /* the JSON of the error challenge */
  char            *oauth_final;        /* the final reply after it */
  char            *starttls_injection;
  char            *last_message;
  GHashTable      *replies;
  GPtrArray       *commands;
  GPtrArray       *clients;

  guint            greeting_delay_ms;
  guint            drip_interval_ms;
  guint            starttls_connections;
  OdFakeSmtpHostile hostile;
  guint64          bytes_sent;
  guint            n_connections;
  guint            n_messages;
  guint16          port;
  guint            implicit_tls : 1;
  guint            require_auth : 1;
  guint            drip_greeting : 1;
};

G_DEFINE_FINAL_TYPE (OdFakeSmtpServer, od_fake_smtp_server, G_TYPE_OBJECT)

static void client_process    (Client *client);
static void client_greet      (Client *client);
static void client_start_tls  (Client *client);

static Client *
client_ref (Client *client)
{
  g_ref_count_inc (&client->ref_count);
  return client;
}

static void
client_unref (Client *client)
{
  if (!g_ref_count_dec (&client->ref_count))
    return;

  g_assert (client->delay_source == NULL);
  g_assert (client->drip_source == NULL);

  g_clear_object (&client->stream);
  g_clear_object (&client->connection);
  g_clear_object (&client->cancellable);
  g_clear_pointer (&client->out, g_bytes_unref);
  g_string_free (client->in, TRUE);
  if (client->data != NULL)
    g_string_free (client->data, TRUE);
  g_free (client->login_user);
  g_free (client->cram_challenge);
  g_free (client->oauth_mechanism);
  g_free (client->caps_before_tls);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_unref)

static Client *
client_new (OdFakeSmtpServer  *server,
            GSocketConnection *connection)
{
  Client *client;

  client = g_new0 (Client, 1);
  g_ref_count_init (&client->ref_count);
  client->server = server;
  client->connection = g_object_ref (connection);
  client->stream = g_object_ref (G_IO_STREAM (connection));
  client->cancellable = g_cancellable_new ();
  client->in = g_string_sized_new (READ_CHUNK_SIZE);

  return client;
}

/* Closing is idempotent and may drop the last reference: callers must not touch the client
 * afterwards unless they hold their own reference. */
static void
client_close (Client *client)
{
  OdFakeSmtpServer *server = client->server;
  GSocket *socket;

  if (client->closed)
    return;

  client->closed = TRUE;
  client->server = NULL;

  g_cancellable_cancel (client->cancellable);

  if (client->delay_source != NULL)
    {
      g_source_destroy (client->delay_source);
      g_clear_pointer (&client->delay_source, g_source_unref);
    }

  if (client->drip_source != NULL)
    {
      g_source_destroy (client->drip_source);
      g_clear_pointer (&client->drip_source, g_source_unref);
    }

  /* Close the socket itself rather than the (maybe TLS) stream: it never blocks and the peer
   * sees the hang-up at once, even while a cancelled operation is still being dispatched. */
  socket = g_socket_connection_get_socket (client->connection);
  g_socket_close (socket, NULL);

  if (server != NULL)
    g_ptr_array_remove (server->clients, client);
}

/* Takes ownership of @line. */
static void
record_command (OdFakeSmtpServer *server,
                char             *line)
{
  g_ptr_array_add (server->commands, line);
}

static gboolean
is_text (const char *data,
         gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = data[i];

      if ((c < 0x20 && c != '\t') || c == 0x7f)
        return FALSE;
    }

  return TRUE;
}

/* Binary input is recorded in a readable, NUL-free form. */
static char *
escape_garbage (const char *data,
                gsize       len)
{
  GString *str;

  str = g_string_new (NULL);

  for (gsize i = 0; i < MIN (len, MAX_GARBAGE_RECORD); i++)
    {
      guchar c = data[i];

      if (c == '\\')
        g_string_append (str, "\\\\");
      else if (c < 0x20 || c >= 0x7f)
        g_string_append_printf (str, "\\x%02x", c);
      else
        g_string_append_c (str, c);
    }

  if (len > MAX_GARBAGE_RECORD)
    g_string_append (str, "[...]");

  return g_string_free (str, FALSE);
}

static const char *
client_get_capabilities (Client *client)
{
  g_assert (client->server != NULL);

  if (!client->tls && client->caps_before_tls != NULL)
    return client->caps_before_tls;

  return client->tls ? client->server->caps_after_tls : client->server->caps_before_tls;
}

/* Returns the rest of the capability line whose keyword is @keyword ("" when it has no
 * parameters), or NULL when @keyword is not advertised. */
static char *
client_find_capability (Client     *client,
                        const char *keyword)
{
  g_auto(GStrv) lines = NULL;
  gsize keyword_len = strlen (keyword);

  lines = g_strsplit (client_get_capabilities (client), "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (g_ascii_strncasecmp (line, keyword, keyword_len) == 0 &&
          (line[keyword_len] == '\0' || line[keyword_len] == ' '))
        return g_strdup (g_strchug (line + keyword_len));
    }

  return NULL;
}

static gboolean
client_has_auth_mechanism (Client     *client,
                           const char *mechanism)
{
  g_autofree char *mechanisms = NULL;
  g_auto(GStrv) names = NULL;

  if (!(mechanisms = client_find_capability (client, "AUTH")))
    return FALSE;

  names = g_strsplit (mechanisms, " ", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (names[i], mechanism) == 0)
        return TRUE;
    }

  return FALSE;
}

static char *
build_ehlo_reply (const char *capabilities)
{
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) keywords = NULL;
  GString *reply;

  lines = g_strsplit (capabilities != NULL ? capabilities : "", "\n", -1);
  keywords = g_ptr_array_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (line[0] != '\0')
        g_ptr_array_add (keywords, line);
    }

  reply = g_string_new ("250");
  g_string_append_c (reply, keywords->len > 0 ? '-' : ' ');
  g_string_append (reply, OD_FAKE_SMTP_SERVER_HOSTNAME);

  for (guint i = 0; i < keywords->len; i++)
    g_string_append_printf (reply, "\r\n250%c%s",
                            i + 1 < keywords->len ? '-' : ' ',
                            (const char *) g_ptr_array_index (keywords, i));

  return g_string_free (reply, FALSE);
}

/* Strict base64 as RFC 4954 wants it; "=" stands for an empty response. */
static guchar *
decode_base64 (const char *text,
               gsize      *len)
{
  gsize text_len = strlen (text);

  if (strcmp (text, "=") == 0)
    {
      *len = 0;
      return (guchar *) g_strdup ("");
    }

  if (text_len == 0 || text_len % 4 != 0)
    return NULL;

  for (gsize i = 0; i < text_len; i++)
    {
      char c = text[i];

      if (g_ascii_isalnum (c) || c == '+' || c == '/')
        continue;
      if (c == '=' && i >= text_len - 2 && (i == text_len - 1 || text[i + 1] == '='))
        continue;

      return NULL;
    }

  return g_base64_decode (text, len);
}

static void
client_shutdown_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Client) client = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_io_stream_close_finish (G_IO_STREAM (object), result, &error))
    g_debug ("TLS close failed: %s", error->message);

  client_close (client);
}

/* After 221 or 421 a TLS session ends with close_notify, as a real server's does, so that
 * clients requiring it see a clean end of stream. "<close>" and stop() just hang up. */
static void
client_shutdown (Client *client)
{
  if (!client->tls)
    {
      client_close (client);
      return;
    }

  client->busy = TRUE;
  g_io_stream_close_async (client->stream,
                           G_PRIORITY_DEFAULT,
                           client->cancellable,
                           client_shutdown_cb,
                           client_ref (client));
}

static void client_write_next (Client *client);

static void
client_send_endless_chunk (Client *client)
{
  GString *chunk = g_string_new (NULL);

  if (client->server->bytes_sent > ENDLESS_MAX_BYTES)
    {
      client_close (client);
      return;
    }

  for (guint i = 0; i < ENDLESS_CHUNK_LINES; i++)
    g_string_append_printf (chunk, "250-ENDLESS-EXTENSION-%u and some padding text\r\n",
                            client->endless_lines++);

  client->out = g_string_free_to_bytes (chunk);
  client->out_pos = 0;
  client->after_write = AFTER_WRITE_ENDLESS;
  client->busy = TRUE;
  client_write_next (client);
}

static gboolean
client_drip_cb (gpointer user_data)
{
  Client *client = user_data;

  g_clear_pointer (&client->drip_source, g_source_unref);
  client_write_next (client);

  return G_SOURCE_REMOVE;
}

static void
client_write_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Client) client = user_data;
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, &written, &error))
    {
      g_clear_pointer (&client->out, g_bytes_unref);
      g_debug ("Write failed: %s", error->message);
      client_close (client);
      return;
    }

  if (client->closed)
    {
      g_clear_pointer (&client->out, g_bytes_unref);
      return;
    }

  client->server->bytes_sent += written;
  client->out_pos += written;

  /* Dripping: one byte now, the next one after the interval. */
  if (client->out_pos < g_bytes_get_size (client->out))
    {
      client->drip_source = g_timeout_source_new (client->server->drip_interval_ms);
      g_source_set_callback (client->drip_source, client_drip_cb, client_ref (client),
                             (GDestroyNotify) client_unref);
      g_source_attach (client->drip_source, client->server->context);
      return;
    }

  g_clear_pointer (&client->out, g_bytes_unref);
  client->busy = FALSE;

  switch (client->after_write)
    {
    case AFTER_WRITE_CLOSE:
      client_shutdown (client);
      break;

    case AFTER_WRITE_STARTTLS:
      client_start_tls (client);
      break;

    case AFTER_WRITE_ENDLESS:
      client_send_endless_chunk (client);
      break;

    case AFTER_WRITE_CONTINUE:
    default:
      client_process (client);
      break;
    }
}

/* Writes what is left of client->out: all of it, or one byte when dripping. */
static void
client_write_next (Client *client)
{
  GOutputStream *output = g_io_stream_get_output_stream (client->stream);
  gsize size = g_bytes_get_size (client->out);

  g_assert (client->out_pos < size);

  g_output_stream_write_all_async (output,
                                   (const guint8 *) g_bytes_get_data (client->out, NULL) +
                                   client->out_pos,
                                   client->dripping ? 1 : size - client->out_pos,
                                   G_PRIORITY_DEFAULT,
                                   client->cancellable,
                                   client_write_cb,
                                   client_ref (client));
}

/* Sends @bytes as they are, then does @after. */
static void
client_send_bytes (Client     *client,
                   GBytes     *bytes,
                   AfterWrite  after)
{
  OdFakeSmtpServer *server = client->server;

  g_assert (!client->closed);
  g_assert (!client->busy);
  g_assert (g_bytes_get_size (bytes) > 0);

  client->out = g_bytes_ref (bytes);
  client->out_pos = 0;
  client->after_write = after;
  client->busy = TRUE;
  client->dripping = server->drip_interval_ms > 0 &&
                     (!client->in_greeting || server->drip_greeting);

  client_write_next (client);
}

/* Sends @reply (plus CRLF, plus @extra as is) and then does @after. The special values
 * "<close>" and "<silent>" hang up or send nothing; a muted connection never sends. */
static void
client_send_full (Client     *client,
                  const char *reply,
                  const char *extra,
                  AfterWrite  after)
{
  g_autoptr(GBytes) bytes = NULL;
  GString *str;

  g_assert (!client->closed);
  g_assert (!client->busy);
  g_assert (reply != NULL);

  if (strcmp (reply, OD_FAKE_SMTP_REPLY_CLOSE) == 0)
    {
      client_close (client);
      return;
    }

  if (strcmp (reply, OD_FAKE_SMTP_REPLY_SILENT) == 0)
    return;

  if (client->mute)
    {
      if (after == AFTER_WRITE_CLOSE)
        client_close (client);
      return;
    }

  /* 421 means "closing the transmission channel", whatever command it answers. */
  if (g_str_has_prefix (reply, "421"))
    after = AFTER_WRITE_CLOSE;

  str = g_string_new (reply);
  g_string_append (str, "\r\n");
  if (extra != NULL)
    g_string_append (str, extra);

  bytes = g_string_free_to_bytes (str);
  client_send_bytes (client, bytes, after);
}

static void
client_send (Client     *client,
             const char *reply)
{
  client_send_full (client, reply, NULL, AFTER_WRITE_CONTINUE);
}

static const char *
client_get_override (Client     *client,
                     const char *command)
{
  g_assert (client->server != NULL);

  return g_hash_table_lookup (client->server->replies, command);
}

static void
client_reset_transaction (Client *client)
{
  client->in_transaction = FALSE;
  client->has_recipient = FALSE;
}

static void
client_reset_session (Client *client)
{
  client_reset_transaction (client);
  client->greeted = FALSE;
  client->authenticated = FALSE;
  client->auth_step = AUTH_STEP_NONE;
  g_clear_pointer (&client->login_user, g_free);
  g_clear_pointer (&client->cram_challenge, g_free);
  g_clear_pointer (&client->oauth_mechanism, g_free);
}

static void
client_handshake_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Client) client = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, &error))
    {
      g_debug ("TLS handshake failed: %s", error->message);
      client_close (client);
      return;
    }

  if (client->closed)
    return;

  /* RFC 3207: everything learnt before TLS is forgotten, and the client starts again with
   * EHLO. Pipelined plain-text bytes were dropped before the handshake began. */
  client->busy = FALSE;
  client->tls = TRUE;
  client_reset_session (client);

  if (!client->greeting_sent)
    client_greet (client);
  else
    client_process (client);
}

/* The first bytes of a TLS 1.2 ServerHello record (type 22, version 3.3, length 122, then
 * the handshake header): a client that got them waits for the rest, which never comes. */
static const guint8 partial_server_hello[] = { 0x16, 0x03, 0x03, 0x00, 0x7a, 0x02, 0x00, 0x00,
                                               0x76, 0x03, 0x03 };

static void
client_stall_write_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(Client) client = user_data;

  /* Stay busy for ever: nothing more is read or written on this connection. */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
}

static void
client_stall_read_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Client) client = user_data;
  gssize n_read;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);
  if (client->closed)
    return;

  if (n_read <= 0)
    {
      client_close (client);
      return;
    }

  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (client->connection)),
                                   partial_server_hello, sizeof partial_server_hello,
                                   G_PRIORITY_DEFAULT, client->cancellable,
                                   client_stall_write_cb, client_ref (client));
}

/* Reads the ClientHello, answers with part of a record and stalls the handshake. */
static void
client_stall_handshake (Client *client)
{
  client->busy = TRUE;
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (client->connection)),
                             client->read_buffer, sizeof client->read_buffer,
                             G_PRIORITY_DEFAULT, client->cancellable,
                             client_stall_read_cb, client_ref (client));
}

static void
client_start_tls (Client *client)
{
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (client->server != NULL);

  if (client->server->hostile == OD_FAKE_SMTP_HOSTILE_STALL_HANDSHAKE)
    {
      client_stall_handshake (client);
      return;
    }

  if (client->server->certificate == NULL)
    {
      g_debug ("No certificate set, cannot start TLS");
      client_close (client);
      return;
    }

  tls = g_tls_server_connection_new (G_IO_STREAM (client->connection),
                                     client->server->certificate,
                                     &error);
  if (tls == NULL)
    {
      g_debug ("Cannot create a TLS server connection: %s", error->message);
      client_close (client);
      return;
    }

  g_set_object (&client->stream, tls);
  client->busy = TRUE;

  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls),
                                    G_PRIORITY_DEFAULT,
                                    client->cancellable,
                                    client_handshake_cb,
                                    client_ref (client));
}

/* A greeting that is not one: 1 MiB without a line end, or random bytes. Afterwards the
 * connection is mute: commands are read but never answered. */
static void
client_send_garbage_greeting (Client *client)
{
  g_autoptr(GBytes) bytes = NULL;

  if (client->server->hostile == OD_FAKE_SMTP_HOSTILE_LONG_LINE)
    {
      char *line = g_malloc (LONG_LINE_BYTES);

      memcpy (line, "220 ", 4);
      memset (line + 4, 'x', LONG_LINE_BYTES - 4);
      bytes = g_bytes_new_take (line, LONG_LINE_BYTES);
    }
  else
    {
      /* A fixed seed: the same bytes on every run, so a failure can be reproduced. */
      g_autoptr(GRand) rand = g_rand_new_with_seed (6);
      guint8 *data = g_malloc (BINARY_BYTES);

      for (gsize i = 0; i < BINARY_BYTES; i++)
        data[i] = g_rand_int_range (rand, 0, 256);
      bytes = g_bytes_new_take (data, BINARY_BYTES);
    }

  client->mute = TRUE;
  client->in_greeting = TRUE;
  client_send_bytes (client, bytes, AFTER_WRITE_CONTINUE);
  client->in_greeting = FALSE;
}

static void
client_send_greeting (Client *client)
{
  g_autoptr(Client) hold = client_ref (client);
  const char *greeting = client->server->greeting;

  client->greeting_sent = TRUE;

  if (client->server->hostile == OD_FAKE_SMTP_HOSTILE_LONG_LINE ||
      client->server->hostile == OD_FAKE_SMTP_HOSTILE_BINARY)
    {
      client_send_garbage_greeting (client);
      return;
    }

  if (greeting == NULL)
    {
      client->mute = TRUE;
      client_process (client);
      return;
    }

  /* RFC 5321 §3.1: after a 554 greeting, only QUIT is accepted. */
  if (greeting[0] == '5')
    client->refusing = TRUE;

  /* "<silent>" sends nothing, so nothing will resume processing but us. */
  client->in_greeting = TRUE;
  client_send (client, greeting);
  client->in_greeting = FALSE;
  if (!client->closed && !client->busy)
    client_process (client);
}

static gboolean
client_greeting_delay_cb (gpointer user_data)
{
  Client *client = user_data;

  g_clear_pointer (&client->delay_source, g_source_unref);
  client->busy = FALSE;
  client_send_greeting (client);

  return G_SOURCE_REMOVE;
}

static void
client_greet (Client *client)
{
  OdFakeSmtpServer *server = client->server;

  g_assert (server != NULL);

  if (server->greeting_delay_ms == 0)
    {
      client_send_greeting (client);
      return;
    }

  client->busy = TRUE;
  client->delay_source = g_timeout_source_new (server->greeting_delay_ms);
  g_source_set_callback (client->delay_source,
                         client_greeting_delay_cb,
                         client_ref (client),
                         (GDestroyNotify) client_unref);
  g_source_attach (client->delay_source, server->context);
}

static void
client_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Client) client = user_data;
  g_autoptr(GError) error = NULL;
  gssize n_read;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (client->closed)
    return;

  if (n_read <= 0)
    {
      if (error != NULL)
        g_debug ("Read failed: %s", error->message);
      client_close (client);
      return;
    }

  g_string_append_len (client->in, (const char *) client->read_buffer, n_read);
  client->busy = FALSE;
  client_process (client);
}

static void
client_read (Client *client)
{
  GInputStream *input;

  /* Drop the consumed part of the buffer only now, so parsing never moves memory per line. */
  g_string_erase (client->in, 0, client->in_pos);
  client->in_pos = 0;

  client->busy = TRUE;
  input = g_io_stream_get_input_stream (client->stream);
  g_input_stream_read_async (input,
                             client->read_buffer,
                             sizeof client->read_buffer,
                             G_PRIORITY_DEFAULT,
                             client->cancellable,
                             client_read_cb,
                             client_ref (client));
}

static void
client_auth_done (Client   *client,
                  gboolean  success)
{
  const char *override = client_get_override (client, "AUTH");

  client->auth_step = AUTH_STEP_NONE;
  g_clear_pointer (&client->login_user, g_free);
  g_clear_pointer (&client->cram_challenge, g_free);
  g_clear_pointer (&client->oauth_mechanism, g_free);

  if (override != NULL)
    {
      client->authenticated = g_str_has_prefix (override, "235");
      client_send (client, override);
      return;
    }

  client->authenticated = success;
  client_send (client, success ? REPLY_AUTH_OK : REPLY_AUTH_FAILED);
}

static gboolean
client_check_password (Client     *client,
                       const char *user,
                       const char *password)
{
  OdFakeSmtpServer *server = client->server;

  return (server->user == NULL || g_strcmp0 (user, server->user) == 0) &&
         g_strcmp0 (password, server->password) == 0;
}

/* PLAIN: [authzid] NUL authcid NUL passwd */
static void
client_finish_plain (Client       *client,
                     const guchar *response,
                     gsize         len)
{
  const char *authzid = (const char *) response;
  const char *authcid;
  const char *end = (const char *) response + len;
  const char *nul;
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  gboolean success = FALSE;

  if ((nul = memchr (authzid, '\0', len)) != NULL)
    {
      authcid = nul + 1;

      if ((nul = memchr (authcid, '\0', end - authcid)) != NULL)
        {
          user = g_strndup (authcid, nul - authcid);
          password = g_strndup (nul + 1, end - (nul + 1));
          success = client_check_password (client, user, password) &&
                    (authzid[0] == '\0' || g_strcmp0 (authzid, user) == 0);
        }
    }

  client_auth_done (client, success);
}

static void
client_finish_cram_md5 (Client       *client,
                        const guchar *response,
                        gsize         len)
{
  OdFakeSmtpServer *server = client->server;
  g_autofree char *text = g_strndup ((const char *) response, len);
  g_autofree char *expected = NULL;
  char *space;

  if ((space = strrchr (text, ' ')) == NULL)
    {
      client_auth_done (client, FALSE);
      return;
    }

  *space = '\0';
  expected = g_compute_hmac_for_string (G_CHECKSUM_MD5,
                                        (const guchar *) server->password,
                                        strlen (server->password),
                                        client->cram_challenge, -1);

  client_auth_done (client,
                    (server->user == NULL || g_strcmp0 (text, server->user) == 0) &&
                    g_ascii_strcasecmp (space + 1, expected) == 0);
}

/* The token and user of an XOAUTH2 ("user=U^Aauth=Bearer T^A^A") or OAUTHBEARER
 * ("n,a=U,^Ahost=H^Aport=P^Aauth=Bearer T^A^A") response. */
static gboolean
parse_oauth_response (const guchar  *response,
                      gsize          len,
                      char         **user,
                      char         **token)
{
  g_autofree char *text = g_strndup ((const char *) response, len);
  g_auto(GStrv) fields = g_strsplit (text, "\001", -1);

  *user = *token = NULL;
  for (guint i = 0; fields[i] != NULL; i++)
    {
      if (g_str_has_prefix (fields[i], "auth=Bearer "))
        *token = g_strdup (fields[i] + strlen ("auth=Bearer "));
      else if (g_str_has_prefix (fields[i], "user="))
        *user = g_strdup (fields[i] + strlen ("user="));
      else if (g_str_has_prefix (fields[i], "n,a="))
        *user = g_strndup (fields[i] + 4, strcspn (fields[i] + 4, ","));
    }
  return *token != NULL;
}

static void
client_finish_oauth (Client       *client,
                     const guchar *response,
                     gsize         len)
{
  OdFakeSmtpServer *server = client->server;
  g_autofree char *user = NULL;
  g_autofree char *token = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *reply = NULL;

  if (parse_oauth_response (response, len, &user, &token)
      && server->oauth_token != NULL && g_str_equal (token, server->oauth_token)
      && (server->user == NULL || g_strcmp0 (user, server->user) == 0))
    {
      client_auth_done (client, TRUE);
      return;
    }

  /* As Google and RFC 7628 §3.2.2: the reason in a base64 JSON challenge. */
  challenge = g_base64_encode ((const guchar *) server->oauth_error, strlen (server->oauth_error));
  reply = g_strconcat ("334 ", challenge, NULL);
  client->auth_step = AUTH_STEP_OAUTH_ERROR;
  client_send (client, reply);
}

/* The answer to the error challenge: empty for XOAUTH2, a single ^A (AQ==) for OAUTHBEARER
 * (RFC 7628 §3.2.3); then the final reply. */
static void
client_finish_oauth_error (Client     *client,
                           const char *line)
{
  OdFakeSmtpServer *server = client->server;
  gboolean bearer = g_ascii_strcasecmp (client->oauth_mechanism, "OAUTHBEARER") == 0;
  gboolean right = bearer ? g_str_equal (line, "AQ==") : line[0] == '\0';

  client->auth_step = AUTH_STEP_NONE;
  g_clear_pointer (&client->oauth_mechanism, g_free);
  client->authenticated = FALSE;
  client_send (client, right ? server->oauth_final : "501 5.5.2 Bad answer to the error challenge");
}

static void
client_handle_auth_response (Client     *client,
                             const char *line)
{
  if (client->auth_step == AUTH_STEP_OAUTH_ERROR)
    {
      client_finish_oauth_error (client, line);
      return;
    }

  g_autofree guchar *decoded = NULL;
  gsize len = 0;

  if (strcmp (line, "*") == 0)
    {
      client->auth_step = AUTH_STEP_NONE;
      g_clear_pointer (&client->login_user, g_free);
      g_clear_pointer (&client->cram_challenge, g_free);
      client_send (client, "501 5.7.0 Authentication aborted");
      return;
    }

  if (!(decoded = decode_base64 (line, &len)))
    {
      client->auth_step = AUTH_STEP_NONE;
      g_clear_pointer (&client->login_user, g_free);
      g_clear_pointer (&client->cram_challenge, g_free);
      client_send (client, "501 5.5.2 Cannot decode response");
      return;
    }

  switch (client->auth_step)
    {
    case AUTH_STEP_PLAIN:
      client_finish_plain (client, decoded, len);
      break;

    case AUTH_STEP_LOGIN_USER:
      client->login_user = g_strndup ((const char *) decoded, len);
      client->auth_step = AUTH_STEP_LOGIN_PASSWORD;
      client_send (client, "334 UGFzc3dvcmQ6");
      break;

    case AUTH_STEP_LOGIN_PASSWORD:
      {
        g_autofree char *password = g_strndup ((const char *) decoded, len);

        client_auth_done (client, client_check_password (client, client->login_user, password));
      }
      break;

    case AUTH_STEP_CRAM_MD5:
      client_finish_cram_md5 (client, decoded, len);
      break;

    case AUTH_STEP_OAUTH:
      client_finish_oauth (client, decoded, len);
      break;

    case AUTH_STEP_NONE:
    default:
      g_assert_not_reached ();
    }
}

static void
client_handle_auth (Client     *client,
                    const char *args)
{
  const char *override = client_get_override (client, "AUTH");
  g_auto(GStrv) words = NULL;
  const char *mechanism;
  const char *initial;

  words = g_strsplit_set (args, " ", 3);
  mechanism = words[0] != NULL && words[0][0] != '\0' ? words[0] : NULL;
  initial = mechanism != NULL && words[1] != NULL && words[1][0] != '\0' ? words[1] : NULL;

  /* A scripted AUTH reply replaces the sequence and credential checks, but the exchange
   * itself still runs so that the client sends (and we record) what it would send. */
  if (override == NULL)
    {
      g_autofree char *mechanisms = client_find_capability (client, "AUTH");
      const char *refusal = NULL;

      if (!client->greeted)
        refusal = "503 5.5.1 Error: send HELO/EHLO first";
      else if (mechanisms == NULL)
        refusal = "503 5.5.1 Error: authentication not enabled";
      else if (client->authenticated)
        refusal = "503 5.5.1 Error: already authenticated";
      else if (client->in_transaction)
        refusal = "503 5.5.1 Error: MAIL transaction in progress";
      else if (mechanism == NULL)
        refusal = "501 5.5.4 Syntax: AUTH mechanism";
      else if (!client_has_auth_mechanism (client, mechanism))
        refusal = "504 5.5.4 Unsupported authentication mechanism";

      if (refusal != NULL)
        {
          client_send (client, refusal);
          return;
        }
    }

  if (mechanism == NULL)
    {
      client_auth_done (client, FALSE);
    }
  else if (g_ascii_strcasecmp (mechanism, "PLAIN") == 0)
    {
      if (initial != NULL)
        {
          g_autofree guchar *decoded = NULL;
          gsize len = 0;

          if (!(decoded = decode_base64 (initial, &len)))
            client_send (client, "501 5.5.2 Cannot decode response");
          else
            client_finish_plain (client, decoded, len);
        }
      else
        {
          client->auth_step = AUTH_STEP_PLAIN;
          client_send (client, "334 ");
        }
    }
  else if (g_ascii_strcasecmp (mechanism, "LOGIN") == 0)
    {
      if (initial != NULL)
        {
          g_autofree guchar *decoded = NULL;
          gsize len = 0;

          if (!(decoded = decode_base64 (initial, &len)))
            {
              client_send (client, "501 5.5.2 Cannot decode response");
              return;
            }

          client->login_user = g_strndup ((const char *) decoded, len);
          client->auth_step = AUTH_STEP_LOGIN_PASSWORD;
          client_send (client, "334 UGFzc3dvcmQ6");
        }
      else
        {
          client->auth_step = AUTH_STEP_LOGIN_USER;
          client_send (client, "334 VXNlcm5hbWU6");
        }
    }
  else if (g_ascii_strcasecmp (mechanism, "CRAM-MD5") == 0)
    {
      g_autofree char *challenge64 = NULL;
      g_autofree char *reply = NULL;

      if (initial != NULL)
        {
          client_send (client, "501 5.7.0 Initial response not allowed for CRAM-MD5");
          return;
        }

      g_free (client->cram_challenge);
      client->cram_challenge = g_strdup_printf ("<%d.%" G_GINT64_FORMAT "@%s>",
                                                (int) getpid (),
                                                g_get_real_time () / G_USEC_PER_SEC,
                                                OD_FAKE_SMTP_SERVER_HOSTNAME);
      challenge64 = g_base64_encode ((const guchar *) client->cram_challenge,
                                     strlen (client->cram_challenge));
      reply = g_strconcat ("334 ", challenge64, NULL);
      client->auth_step = AUTH_STEP_CRAM_MD5;
      client_send (client, reply);
    }
  else if ((g_ascii_strcasecmp (mechanism, "XOAUTH2") == 0
            || g_ascii_strcasecmp (mechanism, "OAUTHBEARER") == 0)
           && override == NULL && client->server->oauth_token != NULL)
    {
      g_free (client->oauth_mechanism);
      client->oauth_mechanism = g_strdup (mechanism);
      if (initial != NULL)
        {
          g_autofree guchar *decoded = NULL;
          gsize len = 0;

          if (!(decoded = decode_base64 (initial, &len)))
            client_send (client, "501 5.5.2 Cannot decode response");
          else
            client_finish_oauth (client, decoded, len);
        }
      else
        {
          client->auth_step = AUTH_STEP_OAUTH;
          client_send (client, "334 ");
        }
    }
  else if (override != NULL)
    {
      /* A mechanism we cannot run (say XOAUTH2): answer the script's reply straight away. */
      client_auth_done (client, FALSE);
    }
  else
    {
      client_send (client, "504 5.5.4 Unsupported authentication mechanism");
    }
}

static gboolean
has_prefix_nocase (const char *str,
                   const char *prefix)
{
  return g_ascii_strncasecmp (str, prefix, strlen (prefix)) == 0;
}

static gboolean
client_message_too_big (Client     *client,
                        const char *args)
{
  g_autofree char *limit_str = client_find_capability (client, "SIZE");
  guint64 limit;
  const char *param;

  if (limit_str == NULL || (limit = g_ascii_strtoull (limit_str, NULL, 10)) == 0)
    return FALSE;

  for (param = args; (param = strchr (param, ' ')) != NULL; param++)
    {
      if (has_prefix_nocase (param + 1, "SIZE="))
        return g_ascii_strtoull (param + 1 + strlen ("SIZE="), NULL, 10) > limit;
    }

  return FALSE;
}

static void
client_handle_mail (Client     *client,
                    const char *args)
{
  const char *override = client_get_override (client, "MAIL");

  if (override != NULL)
    {
      if (override[0] == '2')
        {
          client->in_transaction = TRUE;
          client->has_recipient = FALSE;
        }
      client_send (client, override);
    }
  else if (!client->greeted)
    client_send (client, "503 5.5.1 Error: send HELO/EHLO first");
  else if (client->server->require_auth && !client->authenticated)
    client_send (client, "530 5.7.0 Authentication required");
  else if (client->in_transaction)
    client_send (client, "503 5.5.1 Error: nested MAIL command");
  else if (!has_prefix_nocase (args, "FROM:"))
    client_send (client, "501 5.5.4 Syntax: MAIL FROM:<address>");
  else if (client_message_too_big (client, args))
    client_send (client, "552 5.3.4 Message size exceeds fixed limit");
  else
    {
      client->in_transaction = TRUE;
      client->has_recipient = FALSE;
      client_send (client, "250 2.1.0 Ok");
    }
}

static void
client_handle_rcpt (Client     *client,
                    const char *args)
{
  const char *override = client_get_override (client, "RCPT");

  if (override != NULL)
    {
      if (override[0] == '2')
        client->has_recipient = TRUE;
      client_send (client, override);
    }
  else if (!client->in_transaction)
    client_send (client, "503 5.5.1 Error: need MAIL command");
  else if (!has_prefix_nocase (args, "TO:"))
    client_send (client, "501 5.5.4 Syntax: RCPT TO:<address>");
  else
    {
      client->has_recipient = TRUE;
      client_send (client, "250 2.1.5 Ok");
    }
}

static void
client_start_data (Client *client)
{
  client->in_data = TRUE;
  client->data_mid_line = FALSE;
  client->data_too_big = FALSE;
  if (client->data != NULL)
    g_string_truncate (client->data, 0);
  else
    client->data = g_string_new (NULL);
}

static void
client_handle_data (Client     *client,
                    const char *args)
{
  const char *override = client_get_override (client, "DATA");

  if (override != NULL)
    {
      if (override[0] == '3')
        client_start_data (client);
      client_send (client, override);
    }
  else if (!client->in_transaction)
    client_send (client, "503 5.5.1 Error: need MAIL command");
  else if (!client->has_recipient)
    client_send (client, "503 5.5.1 Error: need RCPT command");
  else if (args[0] != '\0')
    client_send (client, "501 5.5.4 Syntax: DATA");
  else
    {
      client_start_data (client);
      client_send (client, "354 End data with <CR><LF>.<CR><LF>");
    }
}

/* What the client pipelined behind STARTTLS is never executed (RFC 3207 §5) but is recorded,
 * so that a test sees for instance a password sent before the handshake. */
static void
client_drop_pipelined (Client *client)
{
  const char *rest = client->in->str + client->in_pos;
  const char *end = client->in->str + client->in->len;

  while (rest < end)
    {
      const char *eol = memchr (rest, '\n', end - rest);
      gsize len = (eol != NULL ? eol : end) - rest;

      if (len > 0 && rest[len - 1] == '\r')
        len--;

      if (len > 0 && is_text (rest, len))
        record_command (client->server, g_strndup (rest, len));
      else if (len > 0)
        record_command (client->server, escape_garbage (rest, len));

      rest = eol != NULL ? eol + 1 : end;
    }

  client->in_pos = client->in->len;
}

static void
client_handle_starttls (Client     *client,
                        const char *args)
{
  OdFakeSmtpServer *server = client->server;
  const char *override = client_get_override (client, "STARTTLS");
  g_autofree char *advertised = client_find_capability (client, "STARTTLS");
  const char *reply;
  gboolean start_tls = FALSE;

  if (override != NULL)
    {
      reply = override;
      start_tls = override[0] == '2' && !client->tls;
    }
  else if (client->tls)
    reply = "554 5.5.1 Error: TLS already active";
  else if (args[0] != '\0')
    reply = "501 5.5.4 Syntax: STARTTLS";
  else if (advertised == NULL)
    reply = "502 5.5.1 Error: command not implemented";
  else if (server->certificate == NULL)
    reply = "454 4.7.0 TLS not available due to local problem";
  else
    {
      reply = REPLY_STARTTLS_READY;
      start_tls = TRUE;
    }

  if (start_tls)
    {
      client_drop_pipelined (client);
      client_send_full (client, reply, server->starttls_injection, AFTER_WRITE_STARTTLS);
    }
  else
    {
      client_send (client, reply);
    }
}

static void
client_handle_command (Client *client,
                       char   *line)
{
  g_autofree char *verb = NULL;
  const char *override;
  const char *args;
  char *space;

  if ((space = strchr (line, ' ')) != NULL)
    {
      verb = g_ascii_strup (line, space - line);
      args = space + 1;
      while (*args == ' ')
        args++;
    }
  else
    {
      verb = g_ascii_strup (line, -1);
      args = "";
    }

  if (client->refusing && strcmp (verb, "QUIT") != 0)
    {
      client_send (client, "503 5.5.1 Error: service not available");
      return;
    }

  if (strcmp (verb, "EHLO") == 0 || strcmp (verb, "HELO") == 0)
    {
      gboolean ehlo = verb[0] == 'E';

      if (ehlo && client->server->hostile == OD_FAKE_SMTP_HOSTILE_ENDLESS_REPLY)
        {
          client->greeted = TRUE;
          client_send_full (client, "250-" OD_FAKE_SMTP_SERVER_HOSTNAME, NULL,
                            AFTER_WRITE_ENDLESS);
        }
      else if ((override = client_get_override (client, verb)) != NULL)
        {
          if (override[0] == '2')
            {
              client->greeted = TRUE;
              client_reset_transaction (client);
            }
          client_send (client, override);
        }
      else if (args[0] == '\0')
        {
          client_send (client, ehlo ? "501 5.5.4 Syntax: EHLO hostname"
                                    : "501 5.5.4 Syntax: HELO hostname");
        }
      else
        {
          g_autofree char *reply = NULL;

          client->greeted = TRUE;
          client_reset_transaction (client);
          reply = ehlo ? build_ehlo_reply (client_get_capabilities (client))
                       : g_strdup ("250 " OD_FAKE_SMTP_SERVER_HOSTNAME);
          client_send (client, reply);
        }
    }
  else if (strcmp (verb, "STARTTLS") == 0)
    client_handle_starttls (client, args);
  else if (strcmp (verb, "AUTH") == 0)
    client_handle_auth (client, args);
  else if (strcmp (verb, "MAIL") == 0)
    client_handle_mail (client, args);
  else if (strcmp (verb, "RCPT") == 0)
    client_handle_rcpt (client, args);
  else if (strcmp (verb, "DATA") == 0)
    client_handle_data (client, args);
  else if (strcmp (verb, "RSET") == 0)
    {
      client_reset_transaction (client);
      override = client_get_override (client, "RSET");
      client_send (client, override != NULL ? override : REPLY_OK);
    }
  else if (strcmp (verb, "NOOP") == 0)
    {
      override = client_get_override (client, "NOOP");
      client_send (client, override != NULL ? override : REPLY_OK);
    }
  else if (strcmp (verb, "QUIT") == 0)
    {
      override = client_get_override (client, "QUIT");
      client_send_full (client, override != NULL ? override : "221 2.0.0 Bye", NULL,
                        AFTER_WRITE_CLOSE);
    }
  else
    {
      client_send (client, REPLY_UNKNOWN_COMMAND);
    }
}

static void
client_handle_line (Client *client,
                    char   *line,
                    gsize   len)
{
  OdFakeSmtpServer *server = client->server;

  if (!is_text (line, len))
    {
      record_command (server, escape_garbage (line, len));
      client->auth_step = AUTH_STEP_NONE;
      client_send (client, REPLY_BAD_SYNTAX);
      return;
    }

  record_command (server, g_strndup (line, len));

  if (client->auth_step != AUTH_STEP_NONE)
    client_handle_auth_response (client, line);
  else
    client_handle_command (client, line);
}

static void
client_finish_data (Client *client)
{
  OdFakeSmtpServer *server = client->server;
  const char *override = client_get_override (client, "DATA-END");

  client->in_data = FALSE;
  client_reset_transaction (client);

  g_free (server->last_message);
  server->last_message = g_string_free (g_steal_pointer (&client->data), FALSE);
  server->n_messages++;

  if (client->data_too_big)
    client_send (client, "552 5.3.4 Message size exceeds fixed limit");
  else
    client_send (client, override != NULL ? override : REPLY_DATA_END);
}

static void
client_handle_data_line (Client     *client,
                         const char *line,
                         gsize       len)
{
  if (!client->data_mid_line && len == 1 && line[0] == '.')
    {
      client_finish_data (client);
      return;
    }

  if (!client->data_mid_line && line[0] == '.')
    {
      line++;
      len--;
    }

  client->data_mid_line = FALSE;

  if (client->data->len + len + 2 > MAX_MESSAGE_LENGTH)
    {
      client->data_too_big = TRUE;
      return;
    }

  g_string_append_len (client->data, line, len);
  g_string_append (client->data, "\r\n");
}

/* No line end within MAX_LINE_LENGTH: a message line is kept in pieces, a command line is
 * refused and skipped up to its end. */
static void
client_handle_overflow (Client *client)
{
  const char *start = client->in->str + client->in_pos;
  gsize len = client->in->len - client->in_pos;

  if (client->in_data)
    {
      /* Keep a trailing CR back so that a CRLF split across reads is still seen as one. */
      if (start[len - 1] == '\r')
        len--;

      if (client->data->len + len > MAX_MESSAGE_LENGTH)
        client->data_too_big = TRUE;
      else
        g_string_append_len (client->data, start, len);

      client->data_mid_line = TRUE;
      client->in_pos += len;
      return;
    }

  if (!client->discarding)
    {
      record_command (client->server, escape_garbage (start, len));
      client->discarding = TRUE;
      client->auth_step = AUTH_STEP_NONE;
      client->in_pos = client->in->len;
      client_send (client, "500 5.5.6 Error: line too long");
      return;
    }

  client->in_pos = client->in->len;
}

/* A TLS record header where a command should be: a client speaking TLS to the plain-text
 * port. Answer at once (a real server answers once it sees a line end, which may never come
 * in a ClientHello) and drop what was received so far. */
static gboolean
client_sees_tls_hello (Client *client)
{
  const guchar *start = (const guchar *) client->in->str + client->in_pos;
  gsize len = client->in->len - client->in_pos;

  return !client->tls && !client->in_data && !client->discarding &&
         len >= 2 && start[0] == 0x16 && start[1] == 0x03;
}

static void
client_process (Client *client)
{
  /* Handlers may close the client, which drops the server's reference. */
  g_autoptr(Client) hold = client_ref (client);

  while (!client->closed && !client->busy)
    {
      char *start = client->in->str + client->in_pos;
      gsize available = client->in->len - client->in_pos;
      char *eol;
      gsize len;

      if (client_sees_tls_hello (client))
        {
          record_command (client->server, escape_garbage (start, available));
          client->in_pos = client->in->len;
          client_send (client, REPLY_BAD_SYNTAX);
          continue;
        }

      if (!(eol = memchr (start, '\n', available)))
        {
          if (available > MAX_LINE_LENGTH)
            client_handle_overflow (client);
          else
            client_read (client);
          continue;
        }

      client->in_pos += eol - start + 1;
      len = eol - start;
      if (len > 0 && start[len - 1] == '\r')
        len--;
      start[len] = '\0';

      if (client->discarding)
        client->discarding = FALSE;
      else if (client->in_data)
        client_handle_data_line (client, start, len);
      else
        client_handle_line (client, start, len);
    }
}

static gboolean
od_fake_smtp_server_incoming_cb (GSocketService    *service,
                                 GSocketConnection *connection,
                                 GObject           *source_object,
                                 gpointer           user_data)
{
  OdFakeSmtpServer *self = user_data;
  Client *client;

  g_assert (OD_IS_FAKE_SMTP_SERVER (self));

  self->n_connections++;

  /* As production servers behave: a TLS flight written in two parts (GnuTLS sends the
   * ServerHello apart from the rest) must not wait a round trip for the client's ACK. */
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY,
                       1, NULL);

  client = client_new (self, connection);
  client->number = self->n_connections;
  g_ptr_array_add (self->clients, client);

  /* A downgrade: STARTTLS disappears from the EHLO reply after the first connections. */
  if (self->starttls_connections > 0 && client->number > self->starttls_connections)
    {
      g_auto(GStrv) lines = g_strsplit (self->caps_before_tls, "\n", -1);
      GString *caps = g_string_new (NULL);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          if (g_ascii_strcasecmp (g_strstrip (lines[i]), "STARTTLS") == 0)
            continue;
          g_string_append_printf (caps, "%s%s", caps->len ? "\n" : "", lines[i]);
        }
      client->caps_before_tls = g_string_free (caps, FALSE);
    }

  /* Holds the connection open and does nothing at all with it. */
  if (self->hostile == OD_FAKE_SMTP_HOSTILE_BLACKHOLE)
    return TRUE;

  if (self->implicit_tls)
    client_start_tls (client);
  else
    client_greet (client);

  return TRUE;
}

static void
od_fake_smtp_server_dispose (GObject *object)
{
  OdFakeSmtpServer *self = (OdFakeSmtpServer *) object;

  od_fake_smtp_server_stop (self);

  G_OBJECT_CLASS (od_fake_smtp_server_parent_class)->dispose (object);
}

static void
od_fake_smtp_server_finalize (GObject *object)
{
  OdFakeSmtpServer *self = (OdFakeSmtpServer *) object;

  g_clear_object (&self->certificate);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->greeting, g_free);
  g_clear_pointer (&self->caps_before_tls, g_free);
  g_clear_pointer (&self->caps_after_tls, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->password, g_free);
  g_clear_pointer (&self->oauth_token, g_free);
  g_clear_pointer (&self->oauth_error, g_free);
  g_clear_pointer (&self->oauth_final, g_free);
  g_clear_pointer (&self->starttls_injection, g_free);
  g_clear_pointer (&self->last_message, g_free);
  g_clear_pointer (&self->replies, g_hash_table_unref);
  g_clear_pointer (&self->commands, g_ptr_array_unref);
  g_clear_pointer (&self->clients, g_ptr_array_unref);

  G_OBJECT_CLASS (od_fake_smtp_server_parent_class)->finalize (object);
}

static void
od_fake_smtp_server_class_init (OdFakeSmtpServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = od_fake_smtp_server_dispose;
  object_class->finalize = od_fake_smtp_server_finalize;
}

static void
od_fake_smtp_server_init (OdFakeSmtpServer *self)
{
  self->address = g_strdup (DEFAULT_ADDRESS);
  self->greeting = g_strdup (DEFAULT_GREETING);
  self->caps_before_tls = g_strdup (DEFAULT_CAPS_BEFORE_TLS);
  self->caps_after_tls = g_strdup (DEFAULT_CAPS_AFTER_TLS);
  self->user = g_strdup (DEFAULT_USER);
  self->password = g_strdup (DEFAULT_PASSWORD);
  self->replies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->commands = g_ptr_array_new_with_free_func (g_free);
  self->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) client_unref);
}

/**
 * od_fake_smtp_server_new:
 *
 * Creates a fake submission server. Out of the box it is a well-behaved STARTTLS server
 * that accepts "user@example.org" with the password "secret"; the setters below turn it into
 * whatever misbehaving server a test needs. Configure it, then call
 * od_fake_smtp_server_start().
 *
 * Returns: (transfer full): a new #OdFakeSmtpServer
 */
OdFakeSmtpServer *
od_fake_smtp_server_new (void)
{
  return g_object_new (OD_TYPE_FAKE_SMTP_SERVER, NULL);
}

/**
 * od_fake_smtp_server_set_address:
 * @address: an IP address literal to listen on
 *
 * Defaults to 127.0.0.1; lab set-ups use other loopback addresses.
 */
void
od_fake_smtp_server_set_address (OdFakeSmtpServer *self,
                                 const char       *address)
{
  g_return_if_fail (OD_IS_FAKE_SMTP_SERVER (self));
  g_return_if_fail (address != NULL);

  g_free (self->address);
  self->address = g_strdup (address);
}

/**
 * od_fake_smtp_server_set_port:
 * @port: the port to listen on, or 0 (the default) for an ephemeral one
 */
void
od_fake_smtp_server_set_port (OdFakeSmtpServer *self,
                              guint16           port)
{
  g_return_if_fail (OD_IS_FAKE_SMTP_SERVER (self));

  self->port = port;
}

/**
 * od_fake_smtp_server_set_certificate:
 * @certificate: (nullable): the certificate, with its private key, for STARTTLS and
 *   implicit TLS
 *
 * Without a certificate STARTTLS answers 454.
 */
void
od_fake_smtp_server_set_certificate (OdFakeSmtpServer *self,
                                     GTlsCertificate  *certificate)
{
  g_return_if_fail (OD_IS_FAKE_SMTP_SERVER (self));
  g_return_if_fail (!certificate || G_IS_TLS_CERTIFICATE (certificate));

  g_set_object (&self->certificate, certificate);
}

/**
 * od_fake_smtp_server_set_implicit_tls:
 * @implicit_tls: whether to start the TLS handshake right after accepting, like port 465
 *
 * In implicit TLS mode the after-TLS capabilities apply from the start.
 */
void
od_fake_smtp_server_set_implicit_tls (OdFakeSmtpServer *self,
                                      gboolean          implicit_tls)
{
  g_return_if_fail (OD_IS_FAKE_SMTP_SERVER (self));

  self->implicit_tls = !!implicit_tls;
}

/**
 * od_fake_smtp_server_set_greeting:
 * @reply: (nullable): the raw greeting, lines separated by "\r\n", without the final CRLF
 *
 * A greeting starting with 5 (554) makes every command but QUIT get 503; 421 closes the
 * connection after the greeting. "<close>" hangs up at once and "<silent>" sends no greeting
 * but answers commands. %NULL makes the server completely silent: no greeting and no reply
 * to anything, although it still reads and records what the client sends.
 */
void
od_fake_smtp_server_set_greeting (OdFakeSmtpServer *self,
                                  const char       *reply)
{
  g_return_if_fail (OD_IS_FAKE_SMTP_SERVER (self));

  g_free (self->greeting);
  self->greeting = g_strdup (reply);
}

/**
 * od_fake_smtp_server_set_greeting_delay_ms:
 * @delay_ms: how long to wait after connecting (and after the implicit TLS handshake)
 *   before greeting; input is not read meanwhile
 */
void
od_fake_smtp_server_set_greeting_delay_ms (OdFakeSmtpServer *self,
                                           guint             delay_ms)
{
  g_return_if_fail (OD_IS_FAKE_SMTP_SERVER (self));

  self->greeting_delay_ms = delay_ms;
}

/**
 * od_fake_smtp_server_set_capabilities:
 * @before_tls: (nullable): EHLO keyword lines, separated by "\n", before TLS
 * @after_tls: (nullable): the same after STARTTLS, and from the start with implicit TLS
 *
 * The EHLO reply is the server's hostname followed by these lines. %NULL keeps the current
 * list; "" advertises nothing. The lists also decide whether STARTTLS and which AUTH
 * mechanisms are accepted.
 */
void
od_fake_smtp_server_set_capabilities (OdFakeSmtpServer *self,
                                      const char       *before_tls,
                                      const char       *after_tls)
{
  g_return_if_fail (OD_IS_FAKE_SMTP_SERVER (self));

  if (before_tls != NULL)
    {
      g_free (self->caps_before_tls);
      self->caps_before_tls = g_strdup (before_tls);
    }

  if (after_tls != NULL)
    {
      g_free (self->caps_after_tls);
      self->caps_after_tls = g_strdup (after_tls);
    }
}

/**
 * od_fake_smtp_server_set_reply:
 * @command: "EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "DATA-END", "RSET",
 *   "QUIT" or "NOOP" (case-insensitive)
 * @reply: (nullable): the reply, lines separated by "\r\n", without the final CRLF;
 *   "<close>" to hang up instead, "<silent>" to never answer; %NULL for the normal reply
 *
 * A scripted reply replaces the normal one including its sequence checks. When it is
 * positive it has the command's usual effect: a 2xx to EHLO/HELO, MAIL or RCPT moves the
 * session on, a 2xx to STARTTLS starts the handshake, a 3xx to DATA starts reading the
 * message, a 235 to AUTH authenticates. For AUTH it is the final reply of the exchange,
 * sent instead of checking the credentials.
 */
void
od_fake_smtp_server_set_reply (OdFakeSmtpServer *self,
                               const char       *command,
                               const char       *reply)
{
  g_return_if_fail (OD_IS_FAKE_SMTP_SERVER (self));
  g_return_if_fail (command != NULL);

  if (reply == NULL)
    g_hash_table_remove (self->replies, command);
  else
    g_hash_table_replace (self->replies, g_ascii_strup (command, -1), g_strdup (reply));
}

/**
 * od_fake_smtp_server_set_credentials:
 * @user: (nullable): the accepted user name (default "user@example.org"); %NULL accepts
 *   any user with the password
 * @password: the accepted password (default "secret")
 */
void
od_fake_smtp_server_set_credentials (OdFakeSmtpServer *self,
                                     const char       *user,
                                     const char       *password)
{
  g_return_if_fail (OD_IS_FAKE_SMTP_SERVER (self));
  g_return_if_fail (password != NULL);

  g_free (self->user);
  self->user = g_strdup (user);
  g_free (self->password);
  self->password = g_strdup (password);
}

/**
 * od_fake_smtp_server_set_oauth:
 * @token: the access token XOAUTH2 and OAUTHBEARER accept (with the user of
 *   od_fake_smtp_server_set_credentials(), unless that is %NULL)
 * @error_json: (nullable): the JSON of the error challenge for another token (default
 *   Google's `{"status":"401","schemes":"Bearer","scope":"https://mail.google.com/"}`)
 * @final_reply: (nullable): the reply after the client's answer to it (default Google's
 *   "535-5.7.8 Username and Password not accepted")
 *
 * Runs XOAUTH2 and OAUTHBEARER (advertise them with od_fake_smtp_server_set_capabilities()).
 */
void
od_fake_smtp_server_set_oauth (OdFakeSmtpServer *self,
                               const char       *token,
                               const char       *error_json,
                               const char       *final_reply)
{
  g_return_if_fail (OD_IS_FAKE_SMTP_SERVER (self));
  g_return_if_fail (token != NULL);

  g_free (self->oauth_token);
  self->oauth_token = g_strdup (token);
  g_free (self->oauth_error);
  self->oauth_error = g_strdup (error_json != NULL ? error_json
                                : "{\"status\":\"401\",\"schemes\":\"Bearer\","
                                  "\"scope\":\"https://mail.google.com/\"}");
  g_free (self->oauth_final);
  self->oauth_final = g_strdup (final_reply != NULL ? final_reply
                                : "535 5.7.8 Username and Password not accepted. Learn more at "
                                  "https://support.google.com/mail/?p=BadCredentials");
}

/**
 * od_fake_smtp_server_set_starttls_injection:
 * @extra: (nullable): bytes sent, as is, in the same write as the 220 reply to STARTTLS
 *
 * Simulates a STARTTLS response-injection attack; the handshake is attempted anyway.
 */
void
od_fake_smtp_server_set_starttls_injection (OdFakeSmtpServer *self,
                                            const char       *extra)
{
  g_return_if_fail (OD_IS_FAKE_SMTP_SERVER (self));

  g_free (self->starttls_injection);
  self->starttls_injection = g_strdup (extra);
}

/**
 * od_fake_smtp_server_set_require_auth:
 * @require_auth: whether MAIL before a successful AUTH gets 530
 */
void
od_fake_smtp_server_set_require_auth (OdFakeSmtpServer *self,
                                      gboolean          require_auth)
{
  g_return_if_fail (OD_IS_FAKE_SMTP_SERVER (self));

  self->require_auth = !!require_auth;
}

/**
 * od_fake_smtp_server_set_hostile:
 * @hostile: how to misbehave
 *
 * See #OdFakeSmtpHostile. Everything not covered by @hostile works as usual.
 */
void
od_fake_smtp_server_set_hostile (OdFakeSmtpServer  *self,
                                 OdFakeSmtpHostile  hostile)
{
  g_return_if_fail (OD_IS_FAKE_SMTP_SERVER (self));

  self->hostile = hostile;
}

/**
 * od_fake_smtp_server_set_drip:
 * @interval_ms: 0 to send normally; otherwise every reply goes out one byte at a time, one
 *   byte per @interval_ms
 * @greeting_too: whether the greeting drips too (a tarpit) or goes out at once
 */
void
od_fake_smtp_server_set_drip (OdFakeSmtpServer *self,
                              guint             interval_ms,
                              gboolean          greeting_too)
{
  g_return_if_fail (OD_IS_FAKE_SMTP_SERVER (self));

  self->drip_interval_ms = interval_ms;
  self->drip_greeting = !!greeting_too;
}

/**
 * od_fake_smtp_server_set_starttls_connections:
 * @n_connections: 0 (the default) to leave the capabilities alone; otherwise only the first
 *   @n_connections connections get STARTTLS, later ones neither see it in the EHLO reply nor
 *   may use it, as when someone on the path strips it (a downgrade attack)
 */
void
od_fake_smtp_server_set_starttls_connections (OdFakeSmtpServer *self,
                                              guint             n_connections)
{
  g_return_if_fail (OD_IS_FAKE_SMTP_SERVER (self));

  self->starttls_connections = n_connections;
}

/**
 * od_fake_smtp_server_start:
 * @error: return location for a #GError
 *
 * Starts listening and accepting on the thread-default main context.
 *
 * Returns: %TRUE when listening
 */
gboolean
od_fake_smtp_server_start (OdFakeSmtpServer  *self,
                           GError           **error)
{
  g_autoptr(GInetAddress) inet_address = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GSocketService) service = NULL;

  g_return_val_if_fail (OD_IS_FAKE_SMTP_SERVER (self), FALSE);
  g_return_val_if_fail (self->service == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->implicit_tls && self->certificate == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Implicit TLS needs a certificate");
      return FALSE;
    }

  if (!(inet_address = g_inet_address_new_from_string (self->address)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Not an IP address: %s", self->address);
      return FALSE;
    }

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();

  /* The service accepts on the thread-default context current when the socket is added. */
  service = g_socket_service_new ();
  address = g_inet_socket_address_new (inet_address, self->port);

  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service),
                                      address,
                                      G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP,
                                      NULL,
                                      &effective,
                                      error))
    return FALSE;

  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));

  g_signal_connect (service, "incoming", G_CALLBACK (od_fake_smtp_server_incoming_cb), self);
  g_socket_service_start (service);

  self->service = g_steal_pointer (&service);

  return TRUE;
}

/**
 * od_fake_smtp_server_get_port:
 *
 * Returns: the port listened on, once started
 */
guint16
od_fake_smtp_server_get_port (OdFakeSmtpServer *self)
{
  g_return_val_if_fail (OD_IS_FAKE_SMTP_SERVER (self), 0);

  return self->port;
}

/**
 * od_fake_smtp_server_stop:
 *
 * Stops listening and hangs up on every client. Safe to call more than once.
 */
void
od_fake_smtp_server_stop (OdFakeSmtpServer *self)
{
  g_return_if_fail (OD_IS_FAKE_SMTP_SERVER (self));

  if (self->service != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->service,
                                            od_fake_smtp_server_incoming_cb,
                                            self);
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_clear_object (&self->service);
    }

  while (self->clients->len > 0)
    client_close (g_ptr_array_index (self->clients, self->clients->len - 1));
}

/**
 * od_fake_smtp_server_get_commands:
 *
 * Every line received outside DATA, in order, over all connections: commands, AUTH
 * continuation lines, lines pipelined behind STARTTLS (which are not executed), and binary
 * input in escaped form ("\x16\x03...").
 *
 * Returns: (transfer none) (element-type utf8): the recorded lines
 */
GPtrArray *
od_fake_smtp_server_get_commands (OdFakeSmtpServer *self)
{
  g_return_val_if_fail (OD_IS_FAKE_SMTP_SERVER (self), NULL);

  return self->commands;
}

/**
 * od_fake_smtp_server_get_last_message:
 *
 * Returns: (nullable): the last message body received, dot-unstuffed, each line ending in
 *   CRLF, without the final ".\r\n"
 */
const char *
od_fake_smtp_server_get_last_message (OdFakeSmtpServer *self)
{
  g_return_val_if_fail (OD_IS_FAKE_SMTP_SERVER (self), NULL);

  return self->last_message;
}

/**
 * od_fake_smtp_server_get_n_connections:
 *
 * Returns: how many connections were accepted since the server started
 */
guint
od_fake_smtp_server_get_n_connections (OdFakeSmtpServer *self)
{
  g_return_val_if_fail (OD_IS_FAKE_SMTP_SERVER (self), 0);

  return self->n_connections;
}

/**
 * od_fake_smtp_server_get_n_messages:
 *
 * Returns: how many messages were received completely (up to the final dot)
 */
guint
od_fake_smtp_server_get_n_messages (OdFakeSmtpServer *self)
{
  g_return_val_if_fail (OD_IS_FAKE_SMTP_SERVER (self), 0);

  return self->n_messages;
}

/**
 * od_fake_smtp_server_get_bytes_sent:
 *
 * Returns: how many bytes the server wrote to its clients (before TLS encryption)
 */
guint64
od_fake_smtp_server_get_bytes_sent (OdFakeSmtpServer *self)
{
  g_return_val_if_fail (OD_IS_FAKE_SMTP_SERVER (self), 0);

  return self->bytes_sent;
}
