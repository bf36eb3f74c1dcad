/* od-fake-pop3-server.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-fake-pop3-server"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "od-fake-pop3-server.h"

/* A scriptable POP3 server for fault-injection tests, the little sibling of the fake SMTP
 * server: on 127.0.0.1 only, on the thread-default main context of whoever started it, with
 * asynchronous I/O only, so a test drives a client on the same context. Each connection
 * handles one line at a time and never reads while it writes, so no plain-text byte is read
 * behind the TLS layer's back after STLS. */

#define MAX_LINE_LENGTH     (64 * 1024)
#define READ_CHUNK_SIZE     (16 * 1024)
#define ENDLESS_CHUNK_LINES 64
#define ENDLESS_MAX_BYTES   (64 * 1024 * 1024)  /* a client that never stops reading fails */

#define DEFAULT_USER        "user@example.org"
#define DEFAULT_PASSWORD    "secret"
#define REPLY_AUTH_FAILED   "-ERR [AUTH] Authentication failed."
#define REPLY_UNKNOWN       "-ERR Unknown command."

typedef enum
{
  AUTH_STEP_NONE,
  AUTH_STEP_PLAIN,
  AUTH_STEP_LOGIN_USER,
  AUTH_STEP_LOGIN_PASSWORD,
  AUTH_STEP_OAUTH,          /* XOAUTH2 or OAUTHBEARER: the client's response */
  AUTH_STEP_OAUTH_ERROR,    /* after the error challenge: the client's answer */
} AuthStep;

typedef enum
{
  AFTER_WRITE_CONTINUE,
  AFTER_WRITE_CLOSE,
  AFTER_WRITE_STLS,
  AFTER_WRITE_ENDLESS,
} AfterWrite;

typedef struct
{
  grefcount          ref_count;

  /* Borrowed; NULL once the client is closed */
  OdFakePop3Server  *server;

  /* Owned */
  GSocketConnection *connection;
  GIOStream         *stream;
  GCancellable      *cancellable;
  GBytes            *out;
  GString           *in;
  char              *login_user;
  char              *oauth_mechanism;

  AuthStep           auth_step;
  AfterWrite         after_write;
  gsize              endless_bytes;

  guint              busy : 1;
  guint              closed : 1;
  guint              tls : 1;
  guint              authenticated : 1;

  guint8             read_buffer[READ_CHUNK_SIZE];
} Client;

struct _OdFakePop3Server
{
  GObject          parent_instance;

  /* Owned */
  GSocketService  *service;
  GTlsCertificate *certificate;
  char            *greeting;
  char            *caps_before_tls;
  char            *caps_after_tls;
  char            *user;
  char            *password;
  char            *oauth_token;     /* XOAUTH2/OAUTHBEARER: the accepted access token */
  char            *stls_injection;
  GHashTable      *replies;
  GPtrArray       *commands;
  GPtrArray       *clients;
  GPtrArray       *headers;      /* the messages' headers, for UIDL, TOP and DELE */

  guint64          mailbox_size;
  guint            n_messages;
  guint16          port;
  guint16          listen_port;  /* 0: a free one */
  char             *listen_address; /* NULL: 127.0.0.1 */
  guint            implicit_tls : 1;
  guint            endless_capa : 1;
};

G_DEFINE_FINAL_TYPE (OdFakePop3Server, od_fake_pop3_server, G_TYPE_OBJECT)

static void client_process   (Client *client);
static void client_start_tls (Client *client);

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

  g_clear_object (&client->stream);
  g_clear_object (&client->connection);
  g_clear_object (&client->cancellable);
  g_clear_pointer (&client->out, g_bytes_unref);
  g_string_free (client->in, TRUE);
  g_free (client->login_user);
  g_free (client->oauth_mechanism);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_unref)

/* Idempotent; may drop the last reference. */
static void
client_close (Client *client)
{
  OdFakePop3Server *server = client->server;

  if (client->closed)
    return;

  client->closed = TRUE;
  client->server = NULL;
  g_cancellable_cancel (client->cancellable);
  g_socket_close (g_socket_connection_get_socket (client->connection), NULL);

  if (server != NULL)
    g_ptr_array_remove (server->clients, client);
}

static void client_send_endless_chunk (Client *client);

static void
client_write_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Client) client = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&client->out, g_bytes_unref);

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      g_debug ("Write failed: %s", error->message);
      client_close (client);
      return;
    }

  if (client->closed)
    return;

  client->busy = FALSE;

  switch (client->after_write)
    {
    case AFTER_WRITE_CLOSE:
      client_close (client);
      break;
    case AFTER_WRITE_STLS:
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

static void
client_send_bytes (Client     *client,
                   GBytes     *bytes,
                   AfterWrite  after)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  g_assert (!client->busy);

  client->out = g_bytes_ref (bytes);
  client->after_write = after;
  client->busy = TRUE;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (client->stream),
                                   data, size, G_PRIORITY_DEFAULT, client->cancellable,
                                   client_write_cb, client_ref (client));
}

/* Sends @reply with CR LF (and @extra as is), then does @after; "<close>" hangs up. */
static void
client_send_full (Client     *client,
                  const char *reply,
                  const char *extra,
                  AfterWrite  after)
{
  g_autoptr(GBytes) bytes = NULL;
  GString *str;

  if (g_str_equal (reply, OD_FAKE_POP3_REPLY_CLOSE))
    {
      client_close (client);
      return;
    }

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

/* A multi-line response that never ends, until the client hangs up. */
static void
client_send_endless_chunk (Client *client)
{
  g_autoptr(GBytes) bytes = NULL;
  GString *str = g_string_new (NULL);

  if (client->endless_bytes > ENDLESS_MAX_BYTES)
    {
      g_string_free (str, TRUE);
      client_close (client);
      return;
    }

  for (guint i = 0; i < ENDLESS_CHUNK_LINES; i++)
    g_string_append_printf (str, "X-ENDLESS-%" G_GSIZE_FORMAT "-%u\r\n",
                            client->endless_bytes, i);
  client->endless_bytes += str->len;

  bytes = g_string_free_to_bytes (str);
  client_send_bytes (client, bytes, AFTER_WRITE_ENDLESS);
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

  client->busy = FALSE;
  client->tls = TRUE;
  client->authenticated = FALSE;
  client->auth_step = AUTH_STEP_NONE;

  /* Implicit TLS greets once the handshake is done. */
  if (client->server->implicit_tls && client->server->greeting != NULL)
    client_send (client, client->server->greeting);
  else
    client_process (client);
}

static void
client_start_tls (Client *client)
{
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;

  tls = g_tls_server_connection_new (G_IO_STREAM (client->connection),
                                     client->server->certificate, &error);
  if (tls == NULL)
    {
      g_debug ("Cannot create a TLS server connection: %s", error->message);
      client_close (client);
      return;
    }

  g_set_object (&client->stream, tls);
  client->busy = TRUE;
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    client->cancellable, client_handshake_cb,
                                    client_ref (client));
}

static void
client_read_cb (GObject      *object,
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

  g_string_append_len (client->in, (const char *)client->read_buffer, n_read);
  client->busy = FALSE;
  client_process (client);
}

static gboolean
credentials_match (OdFakePop3Server *server,
                   const char       *user,
                   const char       *password)
{
  return g_strcmp0 (user, server->user) == 0 && g_strcmp0 (password, server->password) == 0;
}

static void
client_login_done (Client   *client,
                   gboolean  ok)
{
  client->auth_step = AUTH_STEP_NONE;
  client->authenticated = ok;
  client_send (client, ok ? "+OK Logged in." : REPLY_AUTH_FAILED);
}

/* RFC 4616: base64 of "[authzid]\0user\0password". */
static void
client_check_plain (Client     *client,
                    const char *encoded)
{
  g_autofree guchar *blob = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  gsize len = 0;
  gsize first = 0;
  gsize second;

  blob = g_base64_decode (encoded, &len);
  while (first < len && blob[first] != '\0')
    first++;
  for (second = first + 1; second < len && blob[second] != '\0'; second++)
    ;
  if (second >= len)
    {
      client_login_done (client, FALSE);
      return;
    }

  user = g_strndup ((const char *)blob + first + 1, second - first - 1);
  password = g_strndup ((const char *)blob + second + 1, len - second - 1);
  client_login_done (client, credentials_match (client->server, user, password));
}

#define GMAIL_OAUTH_ERROR \
  "{\"status\":\"400\",\"schemes\":\"Bearer\",\"scope\":\"https://mail.google.com/\"}"

/* XOAUTH2 / OAUTHBEARER: the right token logs in; another gets Google's error challenge,
 * whose answer must be the mechanism's (nothing for XOAUTH2, ^A for OAUTHBEARER). */
static void
client_check_oauth (Client     *client,
                    const char *answer)
{
  gsize len = 0;
  g_autofree guchar *blob = g_base64_decode (answer, &len);
  g_autofree char *text = g_strndup ((const char *)blob, len);
  const char *token = strstr (text, "auth=Bearer ");
  g_autofree char *challenge = NULL;
  g_autofree char *reply = NULL;

  if (token != NULL)
    {
      g_autofree char *value = g_strndup (token + 12, strcspn (token + 12, "\001"));

      if (g_strcmp0 (value, client->server->oauth_token) == 0)
        {
          g_clear_pointer (&client->oauth_mechanism, g_free);
          client_login_done (client, TRUE);
          return;
        }
    }
  challenge = g_base64_encode ((const guchar *)GMAIL_OAUTH_ERROR, strlen (GMAIL_OAUTH_ERROR));
  reply = g_strconcat ("+ ", challenge, NULL);
  client->auth_step = AUTH_STEP_OAUTH_ERROR;
  client_send (client, reply);
}

static void
client_handle_auth_response (Client     *client,
                             const char *line)
{
  g_autofree guchar *decoded = NULL;
  gsize len = 0;

  if (g_str_equal (line, "*") && (client->auth_step == AUTH_STEP_OAUTH
                                   || client->auth_step == AUTH_STEP_OAUTH_ERROR))
    {
      g_clear_pointer (&client->oauth_mechanism, g_free);
      client->auth_step = AUTH_STEP_NONE;
      client_send (client, "-ERR Authentication aborted.");
      return;
    }
  if (client->auth_step == AUTH_STEP_OAUTH_ERROR)
    {
      gboolean bearer = g_ascii_strcasecmp (client->oauth_mechanism, "OAUTHBEARER") == 0;
      gboolean right = g_str_equal (line, bearer ? "AQ==" : "");

      g_clear_pointer (&client->oauth_mechanism, g_free);
      client->auth_step = AUTH_STEP_NONE;
      client_send (client, right ? "-ERR [AUTH] Invalid credentials."
                                 : "-ERR Bad answer to the error challenge.");
      return;
    }
  if (client->auth_step == AUTH_STEP_OAUTH)
    {
      client_check_oauth (client, line);
      return;
    }

  if (g_str_equal (line, "*"))
    {
      client->auth_step = AUTH_STEP_NONE;
      client_send (client, "-ERR Authentication aborted.");
      return;
    }

  switch (client->auth_step)
    {
    case AUTH_STEP_PLAIN:
      client_check_plain (client, line);
      return;
    case AUTH_STEP_LOGIN_USER:
      decoded = g_base64_decode (line, &len);
      g_free (client->login_user);
      client->login_user = g_strndup ((const char *)decoded, len);
      client->auth_step = AUTH_STEP_LOGIN_PASSWORD;
      client_send (client, "+ UGFzc3dvcmQ6");
      return;
    case AUTH_STEP_LOGIN_PASSWORD:
      {
        g_autofree char *password = NULL;

        decoded = g_base64_decode (line, &len);
        password = g_strndup ((const char *)decoded, len);
        client_login_done (client, credentials_match (client->server, client->login_user,
                                                      password));
      }
      return;
    case AUTH_STEP_NONE:
    default:
      g_assert_not_reached ();
    }
}

static void
client_handle_capa (Client *client)
{
  OdFakePop3Server *server = client->server;
  const char *caps = client->tls ? server->caps_after_tls : server->caps_before_tls;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) str = NULL;

  if (server->endless_capa)
    {
      client_send_full (client, "+OK Capability list follows", NULL, AFTER_WRITE_ENDLESS);
      return;
    }

  if (caps == NULL)
    {
      client_send (client, REPLY_UNKNOWN);
      return;
    }

  str = g_string_new ("+OK Capability list follows");
  lines = g_strsplit (caps, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (str, "\r\n%s", lines[i]);
  g_string_append (str, "\r\n.");
  client_send (client, str->str);
}

static void
client_handle_stls (Client *client)
{
  OdFakePop3Server *server = client->server;

  if (client->tls)
    client_send (client, "-ERR Command not permitted when TLS active");
  else if (server->certificate == NULL)
    client_send (client, "-ERR [SYS/TEMP] TLS is not available");
  else
    {
      /* Whatever the client sent behind STLS is dropped, never read after TLS. */
      g_string_truncate (client->in, 0);
      client_send_full (client, "+OK Begin TLS negotiation now.", server->stls_injection,
                        AFTER_WRITE_STLS);
    }
}

static void
client_handle_auth (Client     *client,
                    const char *args)
{
  g_auto(GStrv) words = g_strsplit (args, " ", 2);
  const char *mechanism = words[0] ? words[0] : "";

  if (g_ascii_strcasecmp (mechanism, "PLAIN") == 0)
    {
      if (words[1] != NULL && words[1][0] != '\0')
        client_check_plain (client, words[1]);
      else
        {
          client->auth_step = AUTH_STEP_PLAIN;
          client_send (client, "+ ");
        }
    }
  else if (g_ascii_strcasecmp (mechanism, "LOGIN") == 0)
    {
      client->auth_step = AUTH_STEP_LOGIN_USER;
      client_send (client, "+ VXNlcm5hbWU6");
    }
  else if ((g_ascii_strcasecmp (mechanism, "XOAUTH2") == 0
            || g_ascii_strcasecmp (mechanism, "OAUTHBEARER") == 0)
           && client->server->oauth_token != NULL)
    {
      g_free (client->oauth_mechanism);
      client->oauth_mechanism = g_strdup (mechanism);
      if (words[1] != NULL && words[1][0] != '\0')
        client_check_oauth (client, words[1]);
      else
        {
          client->auth_step = AUTH_STEP_OAUTH;
          client_send (client, "+ ");
        }
    }
  else
    client_send (client, "-ERR Unsupported authentication mechanism.");
}

/* UIDL n, TOP n 0 and DELE n over the messages of od_fake_pop3_server_add_message(). */
static gboolean
client_handle_message_command (Client     *client,
                               const char *command,
                               const char *args)
{
  OdFakePop3Server *server = client->server;
  char *end = NULL;
  guint64 n = g_ascii_strtoull (args, &end, 10);
  gboolean known = end != args && n >= 1;
  const char *header;

  if (!client->authenticated || server->headers->len == 0 ||
      !(g_str_equal (command, "UIDL") || g_str_equal (command, "TOP") ||
        g_str_equal (command, "DELE")))
    return FALSE;

  if (!known || n > server->headers->len)
    {
      client_send (client, "-ERR No such message.");
      return TRUE;
    }

  header = g_ptr_array_index (server->headers, n - 1);
  if (g_str_equal (command, "UIDL"))
    {
      g_autofree char *reply = g_strdup_printf ("+OK %u uid-%u", (guint)n, (guint)n);
      client_send (client, reply);
    }
  else if (g_str_equal (command, "DELE"))
    client_send (client, "+OK Marked to be deleted.");
  else
    {
      g_auto(GStrv) lines = g_strsplit (header, "\r\n", -1);
      GString *reply = g_string_new ("+OK");

      for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
        g_string_append_printf (reply, "\r\n%s%s", lines[i][0] == '.' ? "." : "", lines[i]);
      g_string_append (reply, "\r\n\r\n.");
      client_send (client, reply->str);
      g_string_free (reply, TRUE);
    }

  return TRUE;
}

static void
client_handle_command (Client *client,
                       char   *line)
{
  OdFakePop3Server *server = client->server;
  char *space = strchr (line, ' ');
  const char *args = space ? space + 1 : "";
  g_autofree char *command = g_ascii_strup (line, space ? space - line : -1);
  const char *override = g_hash_table_lookup (server->replies, command);

  if (override != NULL)
    client_send_full (client, override, NULL,
                      g_str_equal (command, "QUIT") ? AFTER_WRITE_CLOSE : AFTER_WRITE_CONTINUE);
  else if (g_str_equal (command, "CAPA"))
    client_handle_capa (client);
  else if (g_str_equal (command, "STLS"))
    client_handle_stls (client);
  else if (g_str_equal (command, "USER"))
    {
      g_free (client->login_user);
      client->login_user = g_strdup (args);
      client_send (client, "+OK");
    }
  else if (g_str_equal (command, "PASS"))
    client_login_done (client, client->login_user != NULL &&
                               credentials_match (server, client->login_user, args));
  else if (g_str_equal (command, "AUTH"))
    client_handle_auth (client, args);
  else if (g_str_equal (command, "STAT") && client->authenticated)
    {
      g_autofree char *reply = g_strdup_printf ("+OK %u %" G_GUINT64_FORMAT,
                                                server->n_messages, server->mailbox_size);
      client_send (client, reply);
    }
  else if (g_str_equal (command, "NOOP"))
    client_send (client, "+OK");
  else if (client_handle_message_command (client, command, args))
    ;
  else if (g_str_equal (command, "QUIT"))
    client_send_full (client, "+OK Logging out.", NULL, AFTER_WRITE_CLOSE);
  else
    client_send (client, REPLY_UNKNOWN);
}

static void
client_process (Client *client)
{
  g_autoptr(Client) hold = client_ref (client);

  while (!client->closed && !client->busy)
    {
      char *eol = memchr (client->in->str, '\n', client->in->len);
      g_autofree char *line = NULL;
      gsize len;

      if (eol == NULL)
        {
          if (client->in->len > MAX_LINE_LENGTH)
            {
              client_close (client);
              return;
            }

          client->busy = TRUE;
          g_input_stream_read_async (g_io_stream_get_input_stream (client->stream),
                                     client->read_buffer, sizeof client->read_buffer,
                                     G_PRIORITY_DEFAULT, client->cancellable,
                                     client_read_cb, client_ref (client));
          return;
        }

      len = eol - client->in->str;
      line = g_strndup (client->in->str, len > 0 && eol[-1] == '\r' ? len - 1 : len);
      g_string_erase (client->in, 0, len + 1);

      g_ptr_array_add (client->server->commands, g_strdup (line));
      if (client->auth_step != AUTH_STEP_NONE)
        client_handle_auth_response (client, line);
      else
        client_handle_command (client, line);
    }
}

static gboolean
od_fake_pop3_server_incoming_cb (GSocketService    *service,
                                 GSocketConnection *connection,
                                 GObject           *source_object,
                                 gpointer           user_data)
{
  OdFakePop3Server *self = user_data;
  Client *client = g_new0 (Client, 1);

  /* As production servers do: a TLS flight in two writes does not wait for an ACK. */
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY,
                       1, NULL);
  g_ref_count_init (&client->ref_count);
  client->server = self;
  client->connection = g_object_ref (connection);
  client->stream = g_object_ref (G_IO_STREAM (connection));
  client->cancellable = g_cancellable_new ();
  client->in = g_string_new (NULL);
  g_ptr_array_add (self->clients, client);

  if (self->implicit_tls)
    client_start_tls (client);
  else if (self->greeting != NULL)
    client_send (client, self->greeting);
  else
    client_process (client);  /* no greeting: listens, and answers nothing before it */

  return TRUE;
}

static void
od_fake_pop3_server_dispose (GObject *object)
{
  od_fake_pop3_server_stop (OD_FAKE_POP3_SERVER (object));

  G_OBJECT_CLASS (od_fake_pop3_server_parent_class)->dispose (object);
}

static void
od_fake_pop3_server_finalize (GObject *object)
{
  OdFakePop3Server *self = (OdFakePop3Server *)object;

  g_clear_object (&self->certificate);
  g_clear_pointer (&self->greeting, g_free);
  g_clear_pointer (&self->caps_before_tls, g_free);
  g_clear_pointer (&self->caps_after_tls, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->password, g_free);
  g_clear_pointer (&self->oauth_token, g_free);
  g_clear_pointer (&self->stls_injection, g_free);
  g_clear_pointer (&self->replies, g_hash_table_unref);
  g_clear_pointer (&self->commands, g_ptr_array_unref);
  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_clear_pointer (&self->clients, g_ptr_array_unref);

  g_clear_pointer (&self->listen_address, g_free);

  G_OBJECT_CLASS (od_fake_pop3_server_parent_class)->finalize (object);
}

static void
od_fake_pop3_server_class_init (OdFakePop3ServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = od_fake_pop3_server_dispose;
  object_class->finalize = od_fake_pop3_server_finalize;
}

static void
od_fake_pop3_server_init (OdFakePop3Server *self)
{
  self->greeting = g_strdup (OD_FAKE_POP3_DEFAULT_GREETING);
  self->caps_before_tls = g_strdup (OD_FAKE_POP3_DEFAULT_CAPS);
  self->caps_after_tls = g_strdup (OD_FAKE_POP3_DEFAULT_CAPS_TLS);
  self->user = g_strdup (DEFAULT_USER);
  self->password = g_strdup (DEFAULT_PASSWORD);
  self->replies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->commands = g_ptr_array_new_with_free_func (g_free);
  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->clients = g_ptr_array_new_with_free_func ((GDestroyNotify)client_unref);
  self->n_messages = 2;
  self->mailbox_size = 4096;
}

/**
 * od_fake_pop3_server_new:
 *
 * A well-behaved POP3 server with STLS on 127.0.0.1 that accepts "user@example.org" with
 * the password "secret"; the setters make it misbehave. Then od_fake_pop3_server_start().
 */
OdFakePop3Server *
od_fake_pop3_server_new (void)
{
  return g_object_new (OD_TYPE_FAKE_POP3_SERVER, NULL);
}

void
od_fake_pop3_server_set_certificate (OdFakePop3Server *self,
                                     GTlsCertificate  *certificate)
{
  g_return_if_fail (OD_IS_FAKE_POP3_SERVER (self));
  g_set_object (&self->certificate, certificate);
}

/**
 * od_fake_pop3_server_set_implicit_tls:
 *
 * TLS from the first byte, as on port 995; needs a certificate.
 */
void
od_fake_pop3_server_set_implicit_tls (OdFakePop3Server *self,
                                      gboolean          implicit_tls)
{
  g_return_if_fail (OD_IS_FAKE_POP3_SERVER (self));
  self->implicit_tls = !!implicit_tls;
}

/**
 * od_fake_pop3_server_set_greeting:
 * @greeting: (nullable): the first line, such as "-ERR [SYS/TEMP] Overloaded"; %NULL
 *   for none at all
 */
void
od_fake_pop3_server_set_greeting (OdFakePop3Server *self,
                                  const char       *greeting)
{
  g_return_if_fail (OD_IS_FAKE_POP3_SERVER (self));
  g_free (self->greeting);
  self->greeting = g_strdup (greeting);
}

/**
 * od_fake_pop3_server_set_capabilities:
 * @before_tls: (nullable): the CAPA lines ("\n"-separated) before TLS; %NULL: CAPA unknown
 * @after_tls: (nullable): the same after TLS
 */
void
od_fake_pop3_server_set_capabilities (OdFakePop3Server *self,
                                      const char       *before_tls,
                                      const char       *after_tls)
{
  g_return_if_fail (OD_IS_FAKE_POP3_SERVER (self));
  g_free (self->caps_before_tls);
  g_free (self->caps_after_tls);
  self->caps_before_tls = g_strdup (before_tls);
  self->caps_after_tls = g_strdup (after_tls);
}

/**
 * od_fake_pop3_server_set_reply:
 * @command: a command name such as "PASS"
 * @reply: what to answer instead (lines separated by CR LF), or "<close>"
 */
void
od_fake_pop3_server_set_reply (OdFakePop3Server *self,
                               const char       *command,
                               const char       *reply)
{
  g_return_if_fail (OD_IS_FAKE_POP3_SERVER (self));
  g_return_if_fail (command != NULL && reply != NULL);
  g_hash_table_replace (self->replies, g_ascii_strup (command, -1), g_strdup (reply));
}

/**
 * od_fake_pop3_server_set_oauth:
 * @token: the access token AUTH XOAUTH2 and OAUTHBEARER accept (advertise them in SASL)
 */
void
od_fake_pop3_server_set_oauth (OdFakePop3Server *self,
                               const char       *token)
{
  g_free (self->oauth_token);
  self->oauth_token = g_strdup (token);
}

void
od_fake_pop3_server_set_credentials (OdFakePop3Server *self,
                                     const char       *user,
                                     const char       *password)
{
  g_return_if_fail (OD_IS_FAKE_POP3_SERVER (self));
  g_free (self->user);
  g_free (self->password);
  self->user = g_strdup (user);
  self->password = g_strdup (password);
}

/**
 * od_fake_pop3_server_add_message:
 * @header: a message header with CR LF line ends, its empty line included
 *
 * Adds a message: STAT counts it, UIDL n, TOP n 0 and DELE n answer for it.
 */
void
od_fake_pop3_server_add_message (OdFakePop3Server *self,
                                 const char       *header)
{
  g_return_if_fail (OD_IS_FAKE_POP3_SERVER (self));
  g_ptr_array_add (self->headers, g_strdup (header));
  self->n_messages = self->headers->len;
  self->mailbox_size += strlen (header);
}

void
od_fake_pop3_server_set_mailbox (OdFakePop3Server *self,
                                 guint             n_messages,
                                 guint64           size)
{
  g_return_if_fail (OD_IS_FAKE_POP3_SERVER (self));
  self->n_messages = n_messages;
  self->mailbox_size = size;
}

/**
 * od_fake_pop3_server_set_stls_injection:
 * @extra: (nullable): bytes sent in plain text right after "+OK" to STLS
 */
void
od_fake_pop3_server_set_stls_injection (OdFakePop3Server *self,
                                        const char       *extra)
{
  g_return_if_fail (OD_IS_FAKE_POP3_SERVER (self));
  g_free (self->stls_injection);
  self->stls_injection = g_strdup (extra);
}

/**
 * od_fake_pop3_server_set_endless_capa:
 *
 * CAPA gets "+OK" and then lines without end (up to 64 MiB).
 */
void
od_fake_pop3_server_set_endless_capa (OdFakePop3Server *self,
                                      gboolean          endless)
{
  g_return_if_fail (OD_IS_FAKE_POP3_SERVER (self));
  self->endless_capa = !!endless;
}

/**
 * od_fake_pop3_server_set_address:
 * @address: a loopback IPv4 address such as "127.0.0.5" (default 127.0.0.1)
 */
void
od_fake_pop3_server_set_address (OdFakePop3Server *self,
                                  const char       *address)
{
  g_return_if_fail (OD_IS_FAKE_POP3_SERVER (self));
  g_return_if_fail (address != NULL && g_str_has_prefix (address, "127."));

  g_free (self->listen_address);
  self->listen_address = g_strdup (address);
}

/**
 * od_fake_pop3_server_set_port:
 * @port: the port to listen on (default 0: a free one)
 */
void
od_fake_pop3_server_set_port (OdFakePop3Server *self,
                               guint16          port)
{
  g_return_if_fail (OD_IS_FAKE_POP3_SERVER (self));
  self->listen_port = port;
}

/**
 * od_fake_pop3_server_start:
 *
 * Listens on 127.0.0.1 (an ephemeral port) on the thread-default main context.
 */
gboolean
od_fake_pop3_server_start (OdFakePop3Server  *self,
                           GError           **error)
{
  g_autoptr(GInetAddress) loopback = self->listen_address
                                      ? g_inet_address_new_from_string (self->listen_address)
                                      : g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, self->listen_port);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GSocketService) service = g_socket_service_new ();

  g_return_val_if_fail (OD_IS_FAKE_POP3_SERVER (self), FALSE);
  g_return_val_if_fail (self->service == NULL, FALSE);

  if (self->implicit_tls && self->certificate == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Implicit TLS needs a certificate");
      return FALSE;
    }

  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &effective, error))
    return FALSE;

  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (service, "incoming", G_CALLBACK (od_fake_pop3_server_incoming_cb), self);
  g_socket_service_start (service);
  self->service = g_steal_pointer (&service);

  return TRUE;
}

guint16
od_fake_pop3_server_get_port (OdFakePop3Server *self)
{
  g_return_val_if_fail (OD_IS_FAKE_POP3_SERVER (self), 0);
  return self->port;
}

/**
 * od_fake_pop3_server_stop:
 *
 * Stops listening and hangs up on every client. Safe to call more than once.
 */
void
od_fake_pop3_server_stop (OdFakePop3Server *self)
{
  g_return_if_fail (OD_IS_FAKE_POP3_SERVER (self));

  if (self->service != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->service, od_fake_pop3_server_incoming_cb,
                                            self);
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_clear_object (&self->service);
    }

  while (self->clients->len > 0)
    client_close (g_ptr_array_index (self->clients, self->clients->len - 1));
}

/**
 * od_fake_pop3_server_get_commands:
 *
 * Returns: (transfer none) (element-type utf8): every line received, in order, over all
 *   connections
 */
GPtrArray *
od_fake_pop3_server_get_commands (OdFakePop3Server *self)
{
  g_return_val_if_fail (OD_IS_FAKE_POP3_SERVER (self), NULL);
  return self->commands;
}
