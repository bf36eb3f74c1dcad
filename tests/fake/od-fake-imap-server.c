/* od-fake-imap-server.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-fake-imap-server"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "od-fake-imap-private.h"

#if defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define OD_HAVE_LSAN 1
# endif
#elif defined(__SANITIZE_ADDRESS__)
# define OD_HAVE_LSAN 1
#endif

#ifdef OD_HAVE_LSAN
# include <sanitizer/lsan_interface.h>
#endif

/* A scripted IMAP server for fault-injection tests, on 127.0.0.1 only. It runs on a thread of
 * its own with blocking I/O, one connection at a time, so a test drives its client on the
 * main context without any care; stop() ends the connections and waits for the threads. It reads one byte at a time, so at STARTTLS no plain-text
 * byte is read behind the TLS layer's back. */

#define MAX_LINE_LENGTH     (64 * 1024)
#define MAX_LITERAL         (64 * 1024)
#define ENDLESS_MAX_BYTES   (64 * 1024 * 1024)  /* a client that never stops reading fails */

#define DEFAULT_GREETING    "* OK Fake IMAP ready"
#define DEFAULT_CAPS_BEFORE "IMAP4rev1 SASL-IR STARTTLS LOGINDISABLED"
#define DEFAULT_CAPS_AFTER  "IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=LOGIN QUOTA SPECIAL-USE IDLE"

G_DEFINE_FINAL_TYPE (OdFakeImapServer, od_fake_imap_server, G_TYPE_OBJECT)

static void
folder_free (gpointer data)
{
  Folder *folder = data;

  g_free (folder->name);
  g_free (folder->flags);
  g_free (folder);
}

static void
message_free (gpointer data)
{
  Message *message = data;

  g_free (message->folder);
  g_free (message->header);
  g_free (message);
}



gboolean
conn_send (Conn       *conn,
           const char *text)
{
  return g_output_stream_write_all (g_io_stream_get_output_stream (conn->stream), text,
                                    strlen (text), NULL, NULL, NULL);
}

gboolean
conn_sendf (Conn       *conn,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

gboolean
conn_sendf (Conn       *conn,
            const char *format,
            ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  return conn_send (conn, text);
}

/* One line without its end, appended to conn->raw too; FALSE at the end of the stream. */
gboolean
conn_read_line (Conn    *conn,
                GString *line)
{
  GInputStream *input = g_io_stream_get_input_stream (conn->stream);

  while (line->len < MAX_LINE_LENGTH)
    {
      char c;

      if (g_input_stream_read (input, &c, 1, NULL, NULL) != 1)
        return FALSE;
      g_string_append_c (conn->raw, c);
      if (c == '\n')
        {
          if (line->len > 0 && line->str[line->len - 1] == '\r')
            g_string_truncate (line, line->len - 1);
          return TRUE;
        }
      g_string_append_c (line, c);
    }

  return FALSE;
}

void
append_quoted (GString    *str,
               const char *text,
               gsize       len)
{
  g_string_append_c (str, '"');
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '"' || text[i] == '\\')
        g_string_append_c (str, '\\');
      g_string_append_c (str, text[i]);
    }
  g_string_append_c (str, '"');
}

/* A whole command: its literals ({n} after "+", or {n+} at once) are read and put back into
 * the line as quoted strings, so the handlers only parse quoted strings and atoms. */
static gboolean
conn_read_command (Conn    *conn,
                   GString *command)
{
  g_autoptr(GString) line = g_string_new (NULL);

  g_string_truncate (conn->raw, 0);
  for (;;)
    {
      const char *open;
      guint64 size;
      g_autofree char *literal = NULL;
      gboolean sync;

      g_string_truncate (line, 0);
      if (!conn_read_line (conn, line))
        return FALSE;

      open = line->len > 2 && line->str[line->len - 1] == '}' ? strrchr (line->str, '{') : NULL;
      if (open == NULL)
        {
          g_string_append (command, line->str);
          return TRUE;
        }

      size = g_ascii_strtoull (open + 1, NULL, 10);
      sync = line->str[line->len - 2] != '+';
      if (size > MAX_LITERAL)
        return FALSE;
      g_string_append_len (command, line->str, open - line->str);

      if (sync && !conn_send (conn, "+ Ready for literal data\r\n"))
        return FALSE;

      literal = g_malloc (size + 1);
      if (!g_input_stream_read_all (g_io_stream_get_input_stream (conn->stream), literal, size,
                                    NULL, NULL, NULL))
        return FALSE;
      g_string_append_len (conn->raw, literal, size);
      append_quoted (command, literal, size);
    }
}

/* Takes one astring (quoted or atom) from *p. */
char *
take_astring (const char **p)
{
  GString *str = g_string_new (NULL);
  const char *q = *p;

  while (*q == ' ')
    q++;

  if (*q == '"')
    {
      for (q++; *q && *q != '"'; q++)
        {
          if (*q == '\\' && q[1])
            q++;
          g_string_append_c (str, *q);
        }
      if (*q == '"')
        q++;
    }
  else
    {
      while (*q && *q != ' ')
        g_string_append_c (str, *q++);
    }

  *p = q;
  return g_string_free (str, FALSE);
}

static gboolean
conn_check_login (Conn       *conn,
                  const char *user,
                  const char *password)
{
  OdFakeImapServer *server = conn->server;

  g_mutex_lock (&server->mutex);
  g_free (server->last_password);
  server->last_password = g_strdup (password);
  g_mutex_unlock (&server->mutex);

  return g_strcmp0 (user, server->user) == 0 && g_strcmp0 (password, server->password) == 0;
}

static const char *
conn_caps (Conn *conn)
{
  return conn->tls ? conn->server->caps_after : conn->server->caps_before;
}

static gboolean
conn_login_result (Conn       *conn,
                   const char *tag,
                   gboolean    ok)
{
  if (ok)
    return conn_sendf (conn, "%s OK [CAPABILITY %s] Logged in\r\n", tag,
                       conn->server->caps_after);

  return conn_sendf (conn, "%s NO [AUTHENTICATIONFAILED] Authentication failed.\r\n", tag);
}

/* "\0user\0password" of AUTHENTICATE PLAIN (RFC 4616). */
static gboolean
conn_check_plain (Conn       *conn,
                  const char *answer)
{
  gsize len = 0;
  g_autofree guchar *blob = g_base64_decode (answer, &len);
  g_autofree char *text = g_malloc0 (len + 2);
  const char *user;
  const char *password;

  memcpy (text, blob, len);
  user = text + strlen (text) + 1;
  password = user < text + len ? user + strlen (user) + 1 : "";
  if (password > text + len)
    password = "";

  return conn_check_login (conn, user, password);
}

#define GMAIL_OAUTH_ERROR \
  "{\"status\":\"400\",\"schemes\":\"Bearer\",\"scope\":\"https://mail.google.com/\"}"

/* The access token of an XOAUTH2 or OAUTHBEARER response ("…auth=Bearer TOKEN^A^A"). */
static char *
oauth_token_of (const char *answer)
{
  gsize len = 0;
  g_autofree guchar *blob = g_base64_decode (answer, &len);
  g_autofree char *text = g_strndup ((const char *)blob, len);
  const char *start = strstr (text, "auth=Bearer ");

  if (start == NULL)
    return NULL;
  start += strlen ("auth=Bearer ");
  return g_strndup (start, strcspn (start, "\001"));
}

/* AUTHENTICATE XOAUTH2 / OAUTHBEARER [initial response]: the right token logs in; another
 * gets Google's error challenge, whose answer must be the mechanism's (nothing for XOAUTH2,
 * ^A for OAUTHBEARER), then Gmail's NO. */
static gboolean
conn_authenticate_oauth (Conn       *conn,
                         const char *tag,
                         const char *mechanism,
                         const char *initial)
{
  OdFakeImapServer *server = conn->server;
  g_autoptr(GString) line = g_string_new (initial);
  g_autofree char *token = NULL;
  g_autofree char *challenge = NULL;
  gboolean bearer = g_ascii_strcasecmp (mechanism, "OAUTHBEARER") == 0;

  if (line->len == 0 && (!conn_send (conn, "+ \r\n") || !conn_read_line (conn, line)))
    return FALSE;
  token = oauth_token_of (line->str);
  if (token != NULL && g_strcmp0 (token, server->oauth_token) == 0)
    return conn_login_result (conn, tag, TRUE);

  challenge = g_base64_encode ((const guchar *)GMAIL_OAUTH_ERROR, strlen (GMAIL_OAUTH_ERROR));
  g_string_truncate (line, 0);
  if (!conn_sendf (conn, "+ %s\r\n", challenge) || !conn_read_line (conn, line))
    return FALSE;
  if (!g_str_equal (line->str, bearer ? "AQ==" : ""))
    return conn_sendf (conn, "%s BAD Bad answer to the error challenge\r\n", tag);
  return conn_sendf (conn, "%s NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)\r\n", tag);
}

/* AUTHENTICATE PLAIN [initial response] and AUTHENTICATE LOGIN. */
static gboolean
conn_authenticate (Conn       *conn,
                   const char *tag,
                   const char *args)
{
  g_autofree char *mechanism = take_astring (&args);
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func (g_free);
  gboolean login = g_ascii_strcasecmp (mechanism, "LOGIN") == 0;
  const char *prompts[2] = { "+ VXNlcm5hbWU6\r\n", "+ UGFzc3dvcmQ6\r\n" };
  guint needed = login ? 2 : 1;

  while (*args == ' ')
    args++;
  if (conn->server->oauth_token != NULL
      && (g_ascii_strcasecmp (mechanism, "XOAUTH2") == 0
          || g_ascii_strcasecmp (mechanism, "OAUTHBEARER") == 0))
    return conn_authenticate_oauth (conn, tag, mechanism, args);
  if (!login && *args != '\0')
    g_ptr_array_add (answers, g_strdup (args));

  while (answers->len < needed)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      if (!conn_send (conn, login ? prompts[answers->len] : "+ \r\n") ||
          !conn_read_line (conn, line))
        return FALSE;
      if (g_str_equal (line->str, "*"))
        return conn_sendf (conn, "%s BAD Authentication aborted\r\n", tag);
      g_ptr_array_add (answers, g_strdup (line->str));
    }

  if (!login)
    return conn_login_result (conn, tag,
                              conn_check_plain (conn, g_ptr_array_index (answers, 0)));

  {
    gsize ulen = 0;
    gsize plen = 0;
    g_autofree guchar *u = g_base64_decode (g_ptr_array_index (answers, 0), &ulen);
    g_autofree guchar *p = g_base64_decode (g_ptr_array_index (answers, 1), &plen);
    g_autofree char *user = g_strndup ((char *)u, ulen);
    g_autofree char *password = g_strndup ((char *)p, plen);

    return conn_login_result (conn, tag, conn_check_login (conn, user, password));
  }
}

static gboolean
conn_start_tls (Conn       *conn,
                const char *tag)
{
  OdFakeImapServer *server = conn->server;
  g_autoptr(GIOStream) tls = NULL;

  if (conn->tls)
    return conn_sendf (conn, "%s BAD TLS is already active\r\n", tag);

  if (!conn_sendf (conn, "%s OK Begin TLS negotiation now\r\n%s", tag,
                   server->injection ? server->injection : ""))
    return FALSE;

  tls = g_tls_server_connection_new (conn->plain, server->certificate, NULL);
  if (tls == NULL ||
      !g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL))
    return FALSE;

  g_set_object (&conn->stream, tls);
  conn->tls = TRUE;
  return TRUE;
}

/* The hostile answers to SELECT: they end only when the client hangs up. */
static gboolean
conn_send_hostile (Conn *conn)
{
  char chunk[4096];
  guint64 sent = 0;

  switch (conn->server->hostile)
    {
    case OD_FAKE_IMAP_HOSTILE_ENDLESS_LITERAL:
      memset (chunk, 'x', sizeof chunk);
      if (!conn_send (conn, "* 1 FETCH (BODY[] {100000000000}\r\n"))
        return FALSE;
      while (sent < ENDLESS_MAX_BYTES &&
             g_output_stream_write_all (g_io_stream_get_output_stream (conn->stream), chunk,
                                        sizeof chunk, NULL, NULL, NULL))
        sent += sizeof chunk;
      return FALSE;

    case OD_FAKE_IMAP_HOSTILE_ENDLESS_RESPONSES:
      while (sent < ENDLESS_MAX_BYTES && conn_send (conn, "* OK still working on it\r\n"))
        sent += 26;
      return FALSE;

    case OD_FAKE_IMAP_HOSTILE_SLOW_LITERAL:
      conn_send (conn, "* 1 FETCH (BODY[] {1000}\r\nonly the start");
      /* Wait until the client gives up: the next read ends with the connection. */
      g_input_stream_read (g_io_stream_get_input_stream (conn->stream), chunk, 1,
                           NULL, NULL);
      return FALSE;

    case OD_FAKE_IMAP_HOSTILE_NONE:
    default:
      return TRUE;
    }
}

static gboolean
conn_handle_verb (Conn       *conn,
                  const char *tag,
                  const char *verb,
                  const char *args)
{
  OdFakeImapServer *server = conn->server;
  gboolean handled = FALSE;
  gboolean ok = mailbox_handle_verb (conn, tag, verb, args, &handled);

  if (handled)
    return ok;

  if (g_str_equal (verb, "CAPABILITY"))
    return conn_sendf (conn, "* CAPABILITY %s\r\n%s OK Capability completed.\r\n",
                       conn_caps (conn), tag);
  if (g_str_equal (verb, "NOOP"))
    return conn_sendf (conn, "%s OK NOOP completed.\r\n", tag);
  if (g_str_equal (verb, "STARTTLS"))
    return conn_start_tls (conn, tag);
  if (g_str_equal (verb, "LOGIN"))
    {
      g_autofree char *user = take_astring (&args);
      g_autofree char *password = take_astring (&args);

      return conn_login_result (conn, tag, conn_check_login (conn, user, password));
    }
  if (g_str_equal (verb, "AUTHENTICATE"))
    return conn_authenticate (conn, tag, args);
  if (g_str_equal (verb, "SELECT"))
    {
      if (server->hostile != OD_FAKE_IMAP_HOSTILE_NONE)
        return conn_send_hostile (conn);
      return conn_sendf (conn, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
                               "* 3 EXISTS\r\n* 0 RECENT\r\n"
                               "* OK [UIDVALIDITY 1700000000] UIDs valid\r\n"
                               "%s OK [READ-WRITE] Select completed.\r\n", tag);
    }
  if (g_str_equal (verb, "GETQUOTAROOT"))
    return conn_sendf (conn, "* QUOTAROOT INBOX \"User quota\"\r\n"
                             "* QUOTA \"User quota\" (STORAGE 10 512 MESSAGE 3 1000)\r\n"
                             "%s OK Getquotaroot completed.\r\n", tag);
  if (g_str_equal (verb, "LOGOUT"))
    {
      conn_sendf (conn, "* BYE Logging out\r\n%s OK Logout completed.\r\n", tag);
      return FALSE;
    }

  return conn_sendf (conn, "%s BAD Unknown command\r\n", tag);
}

/* A scripted reply: untagged lines ("* …") as they are, a completion after the tag. A BYE
 * ends the connection, as a server that shuts down ends it. */
static gboolean
conn_send_reply (Conn       *conn,
                 const char *tag,
                 const char *reply)
{
  g_auto(GStrv) lines = g_strsplit (reply, "\n", -1);
  gboolean bye = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      gboolean untagged = g_str_has_prefix (lines[i], "* ");

      bye |= g_str_has_prefix (lines[i], "* BYE");
      if (!conn_sendf (conn, "%s%s%s\r\n", untagged ? "" : tag, untagged ? "" : " ", lines[i]))
        return FALSE;
    }

  return !bye;
}

static gboolean
conn_handle_command (Conn       *conn,
                     const char *command)
{
  OdFakeImapServer *server = conn->server;
  const char *p = command;
  g_autofree char *tag = take_astring (&p);
  g_autofree char *verb_raw = take_astring (&p);
  g_autofree char *verb = g_ascii_strup (verb_raw, -1);
  const char *reply;

  while (*p == ' ')
    p++;

  g_mutex_lock (&server->mutex);
  g_ptr_array_add (server->commands, g_strdup (conn->raw->str));
  g_mutex_unlock (&server->mutex);

  reply = g_hash_table_lookup (server->replies, verb);
  if (g_str_equal (verb, "AUTHENTICATE") && !g_str_has_prefix (p, "PLAIN "))
    reply = NULL;

  if (reply != NULL && g_str_equal (reply, "<silent>"))
    return TRUE;
  if (reply != NULL)
    return conn_send_reply (conn, tag, reply);

  return conn_handle_verb (conn, tag, verb, p);
}

static void
serve (OdFakeImapServer *self,
       GSocket          *socket)
{
  g_autoptr(GSocketConnection) connection = g_socket_connection_factory_create_connection (socket);
  Conn conn = { self, NULL, G_IO_STREAM (connection), NULL, g_string_new (NULL), FALSE };

  conn.stream = g_object_ref (conn.plain);

  if (self->implicit_tls)
    {
      GIOStream *tls = g_tls_server_connection_new (conn.plain, self->certificate, NULL);

      if (tls == NULL ||
          !g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL))
        {
          g_clear_object (&tls);
          goto out;
        }
      g_set_object (&conn.stream, tls);
      g_object_unref (tls);
      conn.tls = TRUE;
    }

  if (self->greeting != NULL)
    {
      if (!conn_sendf (&conn, "%s\r\n", self->greeting))
        goto out;
    }

  for (;;)
    {
      g_autoptr(GString) command = g_string_new (NULL);

      if (!conn_read_command (&conn, command))
        break;
      /* Without a greeting the server never answers: a silent server. */
      if (self->greeting == NULL)
        continue;
      if (!conn_handle_command (&conn, command->str))
        break;
    }

out:
  g_free (conn.selected);
  g_io_stream_close (conn.stream, NULL, NULL);
  g_clear_object (&conn.stream);
  g_string_free (conn.raw, TRUE);
}

typedef struct
{
  OdFakeImapServer *self;
  GSocket          *socket;
} Worker;

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;

#ifdef OD_HAVE_LSAN
  /* glib-networking 2.74 never frees the error of a TLS write to a client that hung up, and
   * the hostile scenarios do just that: what this test server's threads allocate is not
   * looked at (the engine under test runs on the test's own thread, and is). */
  __lsan_disable ();
#endif

  serve (worker->self, worker->socket);

  g_mutex_lock (&worker->self->mutex);
  g_ptr_array_remove (worker->self->current, worker->socket);
  g_mutex_unlock (&worker->self->mutex);
  g_free (worker);

  return NULL;
}

/* Each connection is served on a thread of its own, as a real server serves them side by
 * side: a client's second connection (the check's look at the other encryption mode) must
 * not wait for the first to end. */
static gpointer
server_thread (gpointer data)
{
  OdFakeImapServer *self = data;

  while (!g_cancellable_is_cancelled (self->cancellable))
    {
      GSocket *socket = g_socket_accept (self->listener, self->cancellable, NULL);
      Worker *worker;

      if (socket == NULL)
        break;

      /* As production servers do: a TLS flight in two writes does not wait for an ACK. */
      g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

      worker = g_new0 (Worker, 1);
      worker->self = self;
      worker->socket = socket;
      g_mutex_lock (&self->mutex);
      g_ptr_array_add (self->current, socket);
      g_ptr_array_add (self->workers, g_thread_new ("fake-imap-conn", worker_thread, worker));
      g_mutex_unlock (&self->mutex);
    }

  return NULL;
}

static void
od_fake_imap_server_dispose (GObject *object)
{
  od_fake_imap_server_stop (OD_FAKE_IMAP_SERVER (object));

  G_OBJECT_CLASS (od_fake_imap_server_parent_class)->dispose (object);
}

static void
od_fake_imap_server_finalize (GObject *object)
{
  OdFakeImapServer *self = (OdFakeImapServer *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->certificate);
  g_clear_pointer (&self->commands, g_ptr_array_unref);
  g_clear_pointer (&self->current, g_ptr_array_unref);
  g_clear_pointer (&self->workers, g_ptr_array_unref);
  g_clear_pointer (&self->last_password, g_free);
  g_clear_pointer (&self->greeting, g_free);
  g_clear_pointer (&self->caps_before, g_free);
  g_clear_pointer (&self->caps_after, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->password, g_free);
  g_clear_pointer (&self->oauth_token, g_free);
  g_clear_pointer (&self->injection, g_free);
  g_clear_pointer (&self->replies, g_hash_table_unref);
  g_clear_pointer (&self->folders, g_ptr_array_unref);
  g_clear_pointer (&self->messages, g_ptr_array_unref);
  g_mutex_clear (&self->mutex);

  g_clear_pointer (&self->listen_address, g_free);

  G_OBJECT_CLASS (od_fake_imap_server_parent_class)->finalize (object);
}

static void
od_fake_imap_server_class_init (OdFakeImapServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = od_fake_imap_server_dispose;
  object_class->finalize = od_fake_imap_server_finalize;
}

static void
od_fake_imap_server_init (OdFakeImapServer *self)
{
  g_mutex_init (&self->mutex);
  self->cancellable = g_cancellable_new ();
  self->commands = g_ptr_array_new_with_free_func (g_free);
  self->current = g_ptr_array_new_with_free_func (g_object_unref);
  self->workers = g_ptr_array_new ();
  self->greeting = g_strdup (DEFAULT_GREETING);
  self->caps_before = g_strdup (DEFAULT_CAPS_BEFORE);
  self->caps_after = g_strdup (DEFAULT_CAPS_AFTER);
  self->user = g_strdup ("user@example.org");
  self->password = g_strdup ("secret");
  self->replies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->folders = g_ptr_array_new_with_free_func (folder_free);
  self->messages = g_ptr_array_new_with_free_func (message_free);
  self->started_us = g_get_monotonic_time ();
}

OdFakeImapServer *
od_fake_imap_server_new (void)
{
  return g_object_new (OD_TYPE_FAKE_IMAP_SERVER, NULL);
}

void
od_fake_imap_server_set_certificate (OdFakeImapServer *self,
                                     GTlsCertificate  *certificate)
{
  g_set_object (&self->certificate, certificate);
}

void
od_fake_imap_server_set_implicit_tls (OdFakeImapServer *self,
                                      gboolean          implicit_tls)
{
  self->implicit_tls = !!implicit_tls;
}

/**
 * od_fake_imap_server_set_greeting:
 * @greeting: (nullable): the greeting line such as "* OK ready"; %NULL: the server never
 *   says a word
 */
void
od_fake_imap_server_set_greeting (OdFakeImapServer *self,
                                  const char       *greeting)
{
  g_free (self->greeting);
  self->greeting = g_strdup (greeting);
}

/**
 * od_fake_imap_server_set_capabilities:
 * @before_tls: what CAPABILITY says before TLS
 * @after_tls: what CAPABILITY says over TLS, and the tagged OK of a login
 */
void
od_fake_imap_server_set_capabilities (OdFakeImapServer *self,
                                      const char       *before_tls,
                                      const char       *after_tls)
{
  g_free (self->caps_before);
  g_free (self->caps_after);
  self->caps_before = g_strdup (before_tls);
  self->caps_after = g_strdup (after_tls);
}

/**
 * od_fake_imap_server_set_oauth:
 * @token: the access token AUTHENTICATE XOAUTH2 and OAUTHBEARER accept (advertise them with
 *   od_fake_imap_server_set_capabilities())
 */
void
od_fake_imap_server_set_oauth (OdFakeImapServer *self,
                               const char       *token)
{
  g_free (self->oauth_token);
  self->oauth_token = g_strdup (token);
}

void
od_fake_imap_server_set_credentials (OdFakeImapServer *self,
                                     const char       *user,
                                     const char       *password)
{
  g_free (self->user);
  g_free (self->password);
  self->user = g_strdup (user);
  self->password = g_strdup (password);
}

/**
 * od_fake_imap_server_set_reply:
 * @command: a command such as "LOGIN" or "SELECT"
 * @reply: untagged lines, then the completion without its tag, separated by "\n" (such as
 *   "NO [AUTHENTICATIONFAILED] Authentication failed."); "<silent>" answers nothing. A reply
 *   for AUTHENTICATE applies to PLAIN with an initial response only.
 */
void
od_fake_imap_server_set_reply (OdFakeImapServer *self,
                               const char       *command,
                               const char       *reply)
{
  g_hash_table_replace (self->replies, g_ascii_strup (command, -1), g_strdup (reply));
}

/**
 * od_fake_imap_server_set_starttls_injection:
 * @extra: bytes sent right after the OK to STARTTLS, in plain text
 */
void
od_fake_imap_server_set_starttls_injection (OdFakeImapServer *self,
                                            const char       *extra)
{
  g_free (self->injection);
  self->injection = g_strdup (extra);
}

void
od_fake_imap_server_set_hostile (OdFakeImapServer  *self,
                                 OdFakeImapHostile  hostile)
{
  self->hostile = hostile;
}

/**
 * od_fake_imap_server_set_address:
 * @address: a loopback IPv4 address such as "127.0.0.5" (default 127.0.0.1)
 */
void
od_fake_imap_server_set_address (OdFakeImapServer *self,
                                  const char       *address)
{
  g_return_if_fail (OD_IS_FAKE_IMAP_SERVER (self));
  g_return_if_fail (address != NULL && g_str_has_prefix (address, "127."));

  g_free (self->listen_address);
  self->listen_address = g_strdup (address);
}

/**
 * od_fake_imap_server_set_port:
 * @port: the port to listen on (default 0: a free one)
 */
void
od_fake_imap_server_set_port (OdFakeImapServer *self,
                               guint16          port)
{
  g_return_if_fail (OD_IS_FAKE_IMAP_SERVER (self));
  self->listen_port = port;
}

/**
 * od_fake_imap_server_start:
 *
 * Listens on 127.0.0.1 and a free port, and serves on a thread of its own.
 */
gboolean
od_fake_imap_server_start (OdFakeImapServer  *self,
                           GError           **error)
{
  g_autoptr(GInetAddress) loopback = self->listen_address
                                      ? g_inet_address_new_from_string (self->listen_address)
                                      : g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, self->listen_port);
  g_autoptr(GSocketAddress) bound = NULL;

  g_return_val_if_fail (OD_IS_FAKE_IMAP_SERVER (self), FALSE);
  g_return_val_if_fail (self->listener == NULL, FALSE);

  self->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, error);
  if (self->listener == NULL ||
      !g_socket_bind (self->listener, any, TRUE, error) ||
      !g_socket_listen (self->listener, error) ||
      !(bound = g_socket_get_local_address (self->listener, error)))
    {
      g_clear_object (&self->listener);
      return FALSE;
    }

  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->thread = g_thread_new ("fake-imap-server", server_thread, self);
  return TRUE;
}

guint16
od_fake_imap_server_get_port (OdFakeImapServer *self)
{
  return self->port;
}

/**
 * od_fake_imap_server_stop:
 *
 * Hangs up and waits for the server's thread. Safe to call more than once.
 */
void
od_fake_imap_server_stop (OdFakeImapServer *self)
{
  /* The connection's blocking reads and writes end with the connection: a cancelled TLS
   * read would leak its error inside glib-networking. */
  g_autoptr(GPtrArray) workers = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->thread, g_thread_join);

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->current->len; i++)
    g_socket_shutdown (g_ptr_array_index (self->current, i), TRUE, TRUE, NULL);
  workers = g_steal_pointer (&self->workers);
  self->workers = g_ptr_array_new ();
  g_mutex_unlock (&self->mutex);

  for (guint i = 0; i < workers->len; i++)
    g_thread_join (g_ptr_array_index (workers, i));
  if (self->listener != NULL)
    g_socket_close (self->listener, NULL);
  g_clear_object (&self->listener);
}

/**
 * od_fake_imap_server_dup_commands:
 *
 * Returns: (transfer full): every command received, as it came over the wire (literals
 *   included, line ends as sent)
 */
/**
 * od_fake_imap_server_add_folder:
 * @flags: its special-use flags such as "\\Junk", or ""
 *
 * A folder besides INBOX. With folders or messages, the server answers LIST, SELECT, UID
 * SEARCH, UID FETCH, UID STORE, EXPUNGE and IDLE from its mailboxes.
 */
void
od_fake_imap_server_add_folder (OdFakeImapServer *self,
                                const char       *name,
                                const char       *flags)
{
  Folder *folder = g_new0 (Folder, 1);

  folder->name = g_strdup (name);
  folder->flags = g_strdup (flags ? flags : "");
  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->folders, folder);
  g_mutex_unlock (&self->mutex);
}

/**
 * od_fake_imap_server_add_message:
 * @folder: "INBOX" or a folder added before
 * @header: the message's header (its end, the empty line, included)
 * @len: its length, or -1 … (G_MAXSIZE) for a string
 * @delay_ms: when it appears, from now
 */
void
od_fake_imap_server_add_message (OdFakeImapServer *self,
                                 const char       *folder,
                                 const char       *header,
                                 gsize             len,
                                 guint             delay_ms)
{
  Message *message = g_new0 (Message, 1);

  message->len = len == G_MAXSIZE ? strlen (header) : len;
  message->folder = g_strdup (folder);
  message->header = g_malloc0 (message->len + 1);
  memcpy (message->header, header, message->len);
  message->visible_at = g_get_monotonic_time () + (gint64)delay_ms * 1000;

  g_mutex_lock (&self->mutex);
  message->uid = 100 + self->messages->len;
  g_ptr_array_add (self->messages, message);
  g_mutex_unlock (&self->mutex);
}

/**
 * od_fake_imap_server_count_messages:
 *
 * Returns: the messages of @folder (visible yet or not) that were not expunged
 */
guint
od_fake_imap_server_count_messages (OdFakeImapServer *self,
                                    const char       *folder)
{
  guint n = 0;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->messages->len; i++)
    n += g_strcmp0 (((Message *)g_ptr_array_index (self->messages, i))->folder, folder) == 0;
  g_mutex_unlock (&self->mutex);

  return n;
}

GPtrArray *
od_fake_imap_server_dup_commands (OdFakeImapServer *self)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func (g_free);

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->commands->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (self->commands, i)));
  g_mutex_unlock (&self->mutex);

  return copy;
}

/**
 * od_fake_imap_server_dup_last_password:
 *
 * Returns: (transfer full) (nullable): the password of the last login, as the server decoded
 *   it
 */
char *
od_fake_imap_server_dup_last_password (OdFakeImapServer *self)
{
  char *password;

  g_mutex_lock (&self->mutex);
  password = g_strdup (self->last_password);
  g_mutex_unlock (&self->mutex);

  return password;
}
