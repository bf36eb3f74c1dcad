/* od-smtp-session.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-smtp-session"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-deadline.h"
#include "od-sasl-oauth.h"
#include "od-smtp-session.h"

#define DEFAULT_TIMEOUT_MS    30000
#define READ_CHUNK            4096
/* RFC 5321 §4.5.3.2.6 asks for patience after the final dot: a server may scan the message
 * before it answers, and giving up early makes people send the message twice. */
#define DATA_END_FACTOR       4

/* One SMTP conversation over a GIOStream. Every operation is asynchronous, has its own
 * deadline and can be cancelled; only one runs at a time. Everything sent and received goes
 * into the transcript, with credentials redacted. */
struct _OdSmtpSession
{
  GObject               parent_instance;

  /* Owned */
  GIOStream            *stream;        /* the plain connection, then the TLS connection */
  GIOStream            *base_stream;   /* the plain connection */
  OdTlsClient          *tls_client;    /* STARTTLS; shared with the connector */
  OdTranscript         *transcript;
  OdSmtpReplyParser    *parser;
  GByteArray           *inbuf;
  OdSmtpCapabilities   *capabilities;
  guint8               *readbuf;

  char                 *server_host;   /* OAUTHBEARER's host and port */
  guint16               server_port;
  OdSaslOAuthError     *oauth_error;   /* the last login's error challenge */

  guint                 timeout_ms;
  guint                 tls : 1;
  guint                 busy : 1;
};

G_DEFINE_FINAL_TYPE (OdSmtpSession, od_smtp_session, G_TYPE_OBJECT)

typedef enum
{
  OP_READ_REPLY,
  OP_COMMAND,
  OP_EHLO,
  OP_STARTTLS,
  OP_AUTH,
  OP_DATA,
} OpKind;

typedef struct _Op Op;
typedef void (*ReplyHandler) (GTask *task, OdSmtpReply *reply);

struct _Op
{
  OpKind         kind;
  OdDeadline    *deadline;         /* its cancellable: the caller's, or the clock */
  GCancellable  *cancellable;      /* the deadline's */
  ReplyHandler   on_reply;
  guint          stage;
  gboolean       finished;

  OdSmtpReply   *shown;            /* the last reply, redacted: what the caller gets */

  char          *client_name;
  char          *mechanism;
  char          *username;
  char          *password;
  char          *body;
};

static void read_reply (GTask *task);

static void
secure_free (char *secret)
{
  if (secret != NULL)
    {
      memset (secret, 0, strlen (secret));
      g_free (secret);
    }
}

static void
op_free (gpointer data)
{
  Op *op = data;

  g_clear_pointer (&op->deadline, od_deadline_free);
  g_clear_pointer (&op->shown, od_smtp_reply_unref);
  g_free (op->client_name);
  g_free (op->mechanism);
  g_free (op->username);
  secure_free (op->password);
  g_free (op->body);
  g_free (op);
}

/* Stops the deadline and the link to the caller's cancellable, and frees the session for
 * the next operation. Must run before every g_task_return_*(). */
static void
op_finish (GTask *task)
{
  OdSmtpSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  g_assert (!op->finished);
  op->finished = TRUE;

  od_deadline_stop (op->deadline);
  self->busy = FALSE;
}

static void
op_return_error (GTask  *task,
                 GError *error)
{
  OdSmtpSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  guint seconds = (od_deadline_get_timeout (op->deadline) + 999) / 1000;
  g_autofree char *timed_out =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "No answer from the server within %u second",
                                  "No answer from the server within %u seconds", seconds),
                     seconds);

  op_finish (task);
  od_deadline_timed_out_error (op->deadline, &error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               timed_out);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    od_transcript_append (self->transcript, OD_TRANSCRIPT_INFO, self->tls, error->message);

  g_task_return_error (task, error);
}

/* The caller gets the reply redacted (read_reply()); the session itself parsed the raw one
 * (capabilities, challenges), so that redaction never changes what the protocol reads. */
static void
op_return_reply (GTask       *task,
                 OdSmtpReply *reply)
{
  Op *op = g_task_get_task_data (task);
  OdSmtpReply *shown = op->shown ? op->shown : reply;

  op_finish (task);
  g_task_return_pointer (task, od_smtp_reply_ref (shown), (GDestroyNotify)od_smtp_reply_unref);
}

static GTask *
op_new (OdSmtpSession       *self,
        OpKind               kind,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_assert (!self->busy);

  op = g_new0 (Op, 1);
  op->kind = kind;
  op->deadline = od_deadline_new (cancellable, self->timeout_ms, "[od] smtp deadline");
  op->cancellable = od_deadline_get_cancellable (op->deadline);

  task = g_task_new (self, op->cancellable, callback, user_data);
  g_task_set_source_tag (task, op_new);
  g_task_set_task_data (task, op, op_free);
  /* The error we report is our own (time-out or cancelled), checked explicitly. */
  g_task_set_check_cancellable (task, FALSE);

  self->busy = TRUE;

  return task;
}

/* Every reply is redacted whole, its lines read as one text (a password the server split
 * across lines is found); the reply to a login also loses a password too short to be
 * looked for anywhere else. */
static OdSmtpReply *
redact_reply (OdSmtpSession *self,
              OdSmtpReply   *reply,
              gboolean       login)
{
  const char * const *lines = od_smtp_reply_get_lines (reply);
  guint n = g_strv_length ((char **)lines);
  g_autofree gsize *skips = g_new0 (gsize, n + 1);
  g_auto(GStrv) redacted = NULL;

  for (guint i = 0; i < n; i++)
    skips[i] = od_smtp_reply_get_text_offset (reply, i);

  redacted = od_transcript_redact_lines (self->transcript, lines, skips);
  for (guint i = 0; login && redacted[i] != NULL; i++)
    {
      /* After the enhanced status code, which is not a word of the text ("5.7.8"). */
      gsize skip = MIN (skips[i], strlen (redacted[i]));
      g_autofree char *text = od_transcript_redact_short (self->transcript, redacted[i] + skip);
      char *line = g_strdup_printf ("%.*s%s", (int) skip, redacted[i], text);

      g_free (redacted[i]);
      redacted[i] = line;
    }

  return od_smtp_reply_new (od_smtp_reply_get_code (reply), (const char * const *)redacted);
}

static void
log_reply (OdSmtpSession *self,
           OdSmtpReply   *reply)
{
  g_autofree char *text = od_smtp_reply_to_string (reply);

  od_transcript_append (self->transcript, OD_TRANSCRIPT_SERVER, self->tls, text);
}

/* A server that hangs up mid-conversation shows as one of several errors, depending on
 * whether TLS was on and who noticed first; the diagnosis needs just one. */
static GError *
normalize_closed (GError *error)
{
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    {
      GError *closed = g_error_new (OD_SMTP_ERROR, OD_SMTP_ERROR_CONNECTION_CLOSED,
                                    /* Translators: %s says how (an error message) */
                                    _("The server closed the connection (%s)"), error->message);
      g_error_free (error);
      return closed;
    }

  return error;
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OdSmtpSession *self = g_task_get_source_object (task);
  GError *error = NULL;
  gssize n_read;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (n_read < 0)
    {
      op_return_error (task, normalize_closed (error));
      return;
    }

  if (n_read == 0)
    {
      op_return_error (task, g_error_new (OD_SMTP_ERROR, OD_SMTP_ERROR_CONNECTION_CLOSED,
                                          _("The server closed the connection")));
      return;
    }

  g_byte_array_append (self->inbuf, self->readbuf, n_read);
  read_reply (g_steal_pointer (&task));
}

/* Takes complete lines from the input buffer until a reply is complete, reading more from the
 * stream as needed. Every line is bounded, and so is the number of lines in a reply. */
static void
read_reply (GTask *task)
{
  OdSmtpSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  for (;;)
    {
      /* An empty GByteArray may have no data at all, and memchr (NULL, …) is undefined. */
      const guint8 *nl = self->inbuf->len > 0 ?
                         memchr (self->inbuf->data, '\n', self->inbuf->len) : NULL;
      g_autoptr(OdSmtpReply) reply = NULL;
      GError *error = NULL;
      gsize line_len;

      if (nl == NULL)
        break;

      line_len = nl - self->inbuf->data;
      if (!od_smtp_reply_parser_feed_line (self->parser, (const char *)self->inbuf->data,
                                           line_len, &reply, &error))
        {
          /* The whole line: the transcript redacts it before it cuts it short (and in the
           * reply to a login, a short password too). */
          g_autofree char *shown = g_strndup ((const char *)self->inbuf->data, line_len);

          if (op->kind == OP_AUTH)
            {
              char *redacted = od_transcript_redact_short (self->transcript, shown);

              memset (shown, 0, strlen (shown));
              g_free (shown);
              shown = redacted;
            }
          od_transcript_append (self->transcript, OD_TRANSCRIPT_SERVER, self->tls, shown);
          memset (self->inbuf->data, 0, self->inbuf->len);
          memset (shown, 0, strlen (shown));
          g_byte_array_set_size (self->inbuf, 0);
          op_return_error (task, error);
          g_object_unref (task);
          return;
        }

      g_byte_array_remove_range (self->inbuf, 0, line_len + 1);

      if (reply != NULL)
        {
          /* Redacted as a whole before anyone quotes, cuts or splits it; the session's own
           * parsing reads the raw reply. */
          g_clear_pointer (&op->shown, od_smtp_reply_unref);
          op->shown = redact_reply (self, reply, op->kind == OP_AUTH);

          log_reply (self, op->shown);
          op->on_reply (task, reply);
          g_object_unref (task);
          return;
        }
    }

  if (self->inbuf->len > OD_SMTP_MAX_LINE_LENGTH)
    {
      g_byte_array_set_size (self->inbuf, 0);
      g_autofree char *size = g_format_size (OD_SMTP_MAX_LINE_LENGTH);

      /* Translators: %s is a size such as "4.1 kB" */
      op_return_error (task, g_error_new (OD_SMTP_ERROR, OD_SMTP_ERROR_LINE_TOO_LONG,
                                          _("The server sent a line longer than %s"), size));
      g_object_unref (task);
      return;
    }

  g_input_stream_read_async (g_io_stream_get_input_stream (self->stream),
                             self->readbuf, READ_CHUNK,
                             G_PRIORITY_DEFAULT,
                             op->cancellable,
                             read_cb,
                             task);
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      op_return_error (task, normalize_closed (error));
      return;
    }

  read_reply (g_steal_pointer (&task));
}

/* Sends @data as is, then reads the reply. @shown is what the transcript records. */
static void
send_raw (GTask      *task,
          GBytes     *data,
          const char *shown)
{
  OdSmtpSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  gsize len;
  const guint8 *buf = g_bytes_get_data (data, &len);

  if (shown != NULL)
    od_transcript_append (self->transcript, OD_TRANSCRIPT_CLIENT, self->tls, shown);

  /* The bytes object must outlive the write: keep it on the task. */
  g_object_set_data_full (G_OBJECT (task), "od-write-buffer", g_bytes_ref (data),
                          (GDestroyNotify)g_bytes_unref);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (self->stream),
                                   buf, len,
                                   G_PRIORITY_DEFAULT,
                                   op->cancellable,
                                   write_cb,
                                   task);
}

static void
wipe_and_free (gpointer data)
{
  char *line = data;

  memset (line, 0, strlen (line));
  g_free (line);
}

/* Command lines are short, and some carry credentials (AUTH PLAIN's initial response, the
 * LOGIN and CRAM-MD5 answers): every copy is wiped when the write is done with it. */
static void
send_line (GTask      *task,
           const char *line,
           const char *shown)
{
  char *with_crlf = g_strconcat (line, "\r\n", NULL);
  gsize len = strlen (with_crlf);
  g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (with_crlf, len, wipe_and_free, with_crlf);

  send_raw (task, bytes, shown ? shown : line);
}

static void
return_reply_cb (GTask       *task,
                 OdSmtpReply *reply)
{
  op_return_reply (task, reply);
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OdSmtpSession *self = g_task_get_source_object (task);
  OdSmtpReply *reply = g_object_get_data (G_OBJECT (task), "od-starttls-reply");
  g_autoptr(GIOStream) tls = NULL;
  GError *error = NULL;

  tls = od_tls_client_handshake_finish (OD_TLS_CLIENT (object), result, &error);
  if (tls == NULL)
    {
      /* An outdated TLS version is refused after the handshake: inside TLS already. */
      self->tls = od_tls_client_get_established (self->tls_client);
      op_return_error (task, error);
      return;
    }

  self->tls = TRUE;
  g_set_object (&self->stream, tls);
  /* RFC 3207 §4.2: forget everything learned before TLS. */
  g_clear_pointer (&self->capabilities, od_smtp_capabilities_free);

  op_return_reply (task, reply);
}

static void
start_handshake (GTask *task)
{
  OdSmtpSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  od_tls_client_handshake_async (self->tls_client, self->base_stream, op->cancellable,
                                 handshake_cb, task);
}

static void
od_smtp_session_finalize (GObject *object)
{
  OdSmtpSession *self = (OdSmtpSession *)object;

  g_clear_object (&self->stream);
  g_clear_object (&self->base_stream);
  g_clear_object (&self->tls_client);
  g_clear_object (&self->transcript);
  g_free (self->server_host);
  g_clear_pointer (&self->oauth_error, od_sasl_oauth_error_free);
  g_clear_pointer (&self->parser, od_smtp_reply_parser_free);
  g_clear_pointer (&self->inbuf, g_byte_array_unref);
  g_clear_pointer (&self->capabilities, od_smtp_capabilities_free);
  g_clear_pointer (&self->readbuf, g_free);

  G_OBJECT_CLASS (od_smtp_session_parent_class)->finalize (object);
}

static void
od_smtp_session_class_init (OdSmtpSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = od_smtp_session_finalize;
}

static void
od_smtp_session_init (OdSmtpSession *self)
{
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  self->parser = od_smtp_reply_parser_new ();
  self->inbuf = g_byte_array_new ();
  self->readbuf = g_malloc (READ_CHUNK);
}

/**
 * od_smtp_session_new:
 * @stream: a connected stream: the TCP connection, or the TLS connection of an implicit-TLS
 *   port (see #OdConnect)
 * @tls_client: (nullable): the TLS side of the connection, for STARTTLS and for what the
 *   certificate showed; %NULL when the stream is already encrypted or STARTTLS is not used
 * @transcript: (nullable): where to record the conversation
 *
 * Returns: (transfer full): a new session; nothing is sent until an operation is started
 */
OdSmtpSession *
od_smtp_session_new (GIOStream    *stream,
                     OdTlsClient  *tls_client,
                     OdTranscript *transcript)
{
  OdSmtpSession *self;

  g_return_val_if_fail (G_IS_IO_STREAM (stream), NULL);
  g_return_val_if_fail (!tls_client || OD_IS_TLS_CLIENT (tls_client), NULL);
  g_return_val_if_fail (!transcript || OD_IS_TRANSCRIPT (transcript), NULL);

  self = g_object_new (OD_TYPE_SMTP_SESSION, NULL);
  self->stream = g_object_ref (stream);
  self->base_stream = g_object_ref (stream);
  self->tls = G_IS_TLS_CONNECTION (stream);
  self->tls_client = tls_client ? g_object_ref (tls_client) : NULL;
  self->transcript = transcript ? g_object_ref (transcript) : od_transcript_new ();

  return self;
}

/**
 * od_smtp_session_set_timeout:
 * @timeout_ms: the deadline for each operation, in milliseconds
 */
void
od_smtp_session_set_timeout (OdSmtpSession *self,
                             guint          timeout_ms)
{
  g_return_if_fail (OD_IS_SMTP_SESSION (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

guint
od_smtp_session_get_timeout (OdSmtpSession *self)
{
  g_return_val_if_fail (OD_IS_SMTP_SESSION (self), 0);
  return self->timeout_ms;
}

gboolean
od_smtp_session_is_tls (OdSmtpSession *self)
{
  g_return_val_if_fail (OD_IS_SMTP_SESSION (self), FALSE);
  return self->tls;
}

/**
 * od_smtp_session_get_tls_info:
 *
 * Returns: (transfer none) (nullable): what the TLS handshake showed, also after a failed
 *   handshake if the server presented a certificate
 */
OdTlsInfo *
od_smtp_session_get_tls_info (OdSmtpSession *self)
{
  g_return_val_if_fail (OD_IS_SMTP_SESSION (self), NULL);
  return self->tls_client ? od_tls_client_get_tls_info (self->tls_client) : NULL;
}

GTlsCertificateFlags
od_smtp_session_get_tls_errors (OdSmtpSession *self)
{
  g_return_val_if_fail (OD_IS_SMTP_SESSION (self), 0);
  return self->tls_client ? od_tls_client_get_errors (self->tls_client) : 0;
}

/**
 * od_smtp_session_get_capabilities:
 *
 * Returns: (nullable): what the last successful EHLO advertised
 */
const OdSmtpCapabilities *
od_smtp_session_get_capabilities (OdSmtpSession *self)
{
  g_return_val_if_fail (OD_IS_SMTP_SESSION (self), NULL);
  return self->capabilities;
}

/**
 * od_smtp_session_close:
 *
 * Closes the connection without waiting (send QUIT first for a polite goodbye).
 */
void
od_smtp_session_close (OdSmtpSession *self)
{
  g_return_if_fail (OD_IS_SMTP_SESSION (self));

  if (!g_io_stream_is_closed (self->stream))
    g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (self->base_stream != self->stream && !g_io_stream_is_closed (self->base_stream))
    g_io_stream_close_async (self->base_stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

/**
 * od_smtp_session_read_reply_async:
 *
 * Reads one complete reply without sending anything: the greeting. Nothing may be sent
 * before its final line has arrived.
 */
void
od_smtp_session_read_reply_async (OdSmtpSession       *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (OD_IS_SMTP_SESSION (self));

  task = op_new (self, OP_READ_REPLY, cancellable, callback, user_data);
  op = g_task_get_task_data (task);
  op->on_reply = return_reply_cb;
  read_reply (task);
}

/**
 * od_smtp_session_command_async:
 * @command: one command line without CR LF
 *
 * Sends @command and reads the reply.
 */
void
od_smtp_session_command_async (OdSmtpSession       *self,
                               const char          *command,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (OD_IS_SMTP_SESSION (self));
  g_return_if_fail (command != NULL);

  task = op_new (self, OP_COMMAND, cancellable, callback, user_data);
  op = g_task_get_task_data (task);
  op->on_reply = return_reply_cb;

  if (strpbrk (command, "\r\n") != NULL)
    {
      op_return_error (task, g_error_new (OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT,
                                          _("A command cannot contain a line break")));
      g_object_unref (task);
      return;
    }

  send_line (task, command, NULL);
}

static void
ehlo_reply_cb (GTask       *task,
               OdSmtpReply *reply)
{
  OdSmtpSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  guint code = od_smtp_reply_get_code (reply);

  if (code == 250)
    {
      g_clear_pointer (&self->capabilities, od_smtp_capabilities_free);
      self->capabilities = od_smtp_capabilities_new_from_reply (reply);
      op_return_reply (task, reply);
      return;
    }

  /* RFC 5321 §3.2: an old server that does not know EHLO gets HELO; it has no extensions. */
  if (op->stage == 0 && (code == 500 || code == 502 || code == 504))
    {
      g_autofree char *helo = g_strdup_printf ("HELO %s", op->client_name);

      op->stage = 1;
      send_line (g_object_ref (task), helo, NULL);
      return;
    }

  op_return_reply (task, reply);
}

/**
 * od_smtp_session_ehlo_async:
 * @client_name: our name: a host name or an address literal such as "[192.0.2.1]"
 *
 * Sends EHLO, or HELO if the server does not know EHLO. On success the capabilities are
 * available from od_smtp_session_get_capabilities().
 */
void
od_smtp_session_ehlo_async (OdSmtpSession       *self,
                            const char          *client_name,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *ehlo = NULL;
  GTask *task;
  Op *op;

  g_return_if_fail (OD_IS_SMTP_SESSION (self));
  g_return_if_fail (client_name != NULL);

  task = op_new (self, OP_EHLO, cancellable, callback, user_data);
  op = g_task_get_task_data (task);
  op->on_reply = ehlo_reply_cb;
  op->client_name = g_strdup (client_name);

  ehlo = g_strdup_printf ("EHLO %s", client_name);
  send_line (task, ehlo, NULL);
}

static gboolean
socket_has_pending_input (OdSmtpSession *self)
{
  GSocket *socket;

  if (!G_IS_SOCKET_CONNECTION (self->base_stream))
    return FALSE;

  socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (self->base_stream));
  return (g_socket_condition_check (socket, G_IO_IN) & G_IO_IN) != 0;
}

static void
starttls_reply_cb (GTask       *task,
                   OdSmtpReply *reply)
{
  OdSmtpSession *self = g_task_get_source_object (task);

  if (od_smtp_reply_get_code (reply) != 220)
    {
      op_return_reply (task, reply);
      return;
    }

  /* Anything that arrived after the 220 was sent before our TLS handshake, in plain text:
   * someone on the path is injecting replies (CVE-2011-0411 and its many relatives). */
  if (self->inbuf->len > 0 || socket_has_pending_input (self))
    {
      g_byte_array_set_size (self->inbuf, 0);
      op_return_error (task, g_error_new (OD_SMTP_ERROR, OD_SMTP_ERROR_STARTTLS_INJECTION,
                                          _("Data arrived after the server agreed to start "
                                            "TLS and before the encryption began")));
      return;
    }

  g_object_set_data_full (G_OBJECT (task), "od-starttls-reply", od_smtp_reply_ref (reply),
                          (GDestroyNotify)od_smtp_reply_unref);
  od_smtp_reply_parser_reset (self->parser);
  start_handshake (g_object_ref (task));
}

/**
 * od_smtp_session_starttls_async:
 *
 * Sends STARTTLS and, if the server agrees with 220, performs the TLS handshake. The result
 * is the server's reply: anything other than 220 means TLS was not started. Send EHLO again
 * afterwards.
 */
void
od_smtp_session_starttls_async (OdSmtpSession       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (OD_IS_SMTP_SESSION (self));
  g_return_if_fail (!self->tls);
  g_return_if_fail (self->tls_client != NULL);

  task = op_new (self, OP_STARTTLS, cancellable, callback, user_data);
  op = g_task_get_task_data (task);
  op->on_reply = starttls_reply_cb;
  send_line (task, "STARTTLS", NULL);
}

static char *
base64_string (const char *text)
{
  return g_base64_encode ((const guchar *)text, strlen (text));
}

static char *
decode_challenge (OdSmtpReply *reply)
{
  const char *line = od_smtp_reply_get_lines (reply)[0];
  gsize len = 0;
  g_autofree guchar *decoded = NULL;

  if (line == NULL || line[0] == '\0')
    return g_strdup ("");

  decoded = g_base64_decode (line, &len);
  return g_strndup ((const char *)decoded, len);
}

/* RFC 4616: "\0user\0password", base64-encoded. The plain blob is wiped at once. */
static char *
plain_response (const char *username,
                const char *password)
{
  g_autoptr(GString) blob = g_string_new (NULL);
  char *encoded;

  g_string_append_c (blob, '\0');
  g_string_append (blob, username);
  g_string_append_c (blob, '\0');
  g_string_append (blob, password);
  encoded = g_base64_encode ((const guchar *)blob->str, blob->len);
  memset (blob->str, 0, blob->len);

  return encoded;
}

static void
auth_reply_cb (GTask       *task,
               OdSmtpReply *reply)
{
  OdSmtpSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  guint code = od_smtp_reply_get_code (reply);

  if (code != 334)
    {
      op_return_reply (task, reply);
      return;
    }

  op->stage++;

  if (g_str_equal (op->mechanism, "PLAIN") && op->stage == 1)
    {
      g_autofree char *encoded = plain_response (op->username, op->password);

      send_line (g_object_ref (task), encoded, OD_TRANSCRIPT_REDACTED);
      memset (encoded, 0, strlen (encoded));
    }
  else if (g_str_equal (op->mechanism, "LOGIN") && op->stage <= 2)
    {
      g_autofree char *encoded = base64_string (op->stage == 1 ? op->username : op->password);

      send_line (g_object_ref (task), encoded, OD_TRANSCRIPT_REDACTED);
      memset (encoded, 0, strlen (encoded));
    }
  else if (od_sasl_oauth_is_mechanism (op->mechanism) && op->stage == 1)
    {
      g_autofree char *encoded = od_sasl_oauth_response (op->mechanism, op->username,
                                                         self->server_host, self->server_port,
                                                         op->password);

      send_line (g_object_ref (task), encoded, OD_TRANSCRIPT_REDACTED);
      memset (encoded, 0, strlen (encoded));
    }
  else if (od_sasl_oauth_is_mechanism (op->mechanism) && op->stage == 2)
    {
      /* The token was refused: the challenge says why (JSON); the empty answer lets the
       * server end the exchange with its final reply (RFC 7628 §3.2.3). */
      const char *challenge = od_smtp_reply_get_lines (reply)[0];

      g_clear_pointer (&self->oauth_error, od_sasl_oauth_error_free);
      self->oauth_error = od_sasl_oauth_error_parse (challenge);
      send_line (g_object_ref (task), od_sasl_oauth_error_reply (op->mechanism), NULL);
    }
  else if (g_str_equal (op->mechanism, "CRAM-MD5") && op->stage == 1)
    {
      g_autofree char *challenge = decode_challenge (reply);
      g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_MD5, (const guchar *)op->password,
                                          strlen (op->password));
      g_autofree char *response = NULL;
      g_autofree char *encoded = NULL;

      g_hmac_update (hmac, (const guchar *)challenge, strlen (challenge));
      response = g_strdup_printf ("%s %s", op->username, g_hmac_get_string (hmac));
      encoded = base64_string (response);

      send_line (g_object_ref (task), encoded, OD_TRANSCRIPT_REDACTED);
      memset (response, 0, strlen (response));
      memset (encoded, 0, strlen (encoded));
    }
  else
    {
      /* A challenge we did not expect: cancel the exchange as RFC 4954 §4 says. */
      send_line (g_object_ref (task), "*", NULL);
    }
}

gboolean
od_smtp_session_supports_mechanism (const char *mechanism)
{
  return g_strcmp0 (mechanism, "PLAIN") == 0 ||
         g_strcmp0 (mechanism, "LOGIN") == 0 ||
         g_strcmp0 (mechanism, "CRAM-MD5") == 0 ||
         g_strcmp0 (mechanism, OD_SASL_XOAUTH2) == 0 ||
         g_strcmp0 (mechanism, OD_SASL_OAUTHBEARER) == 0;
}

/**
 * od_smtp_session_set_server:
 *
 * The server's name and port as the person gave them, which OAUTHBEARER names in its
 * response (RFC 7628 §3.1).
 */
void
od_smtp_session_set_server (OdSmtpSession *self,
                            const char    *host,
                            guint16        port)
{
  g_return_if_fail (OD_IS_SMTP_SESSION (self));

  g_free (self->server_host);
  self->server_host = g_strdup (host);
  self->server_port = port;
}

/**
 * od_smtp_session_get_oauth_error:
 *
 * Returns: (nullable): what the server's error challenge said when it refused the access
 *   token of the last XOAUTH2 or OAUTHBEARER login, or %NULL
 */
const OdSaslOAuthError *
od_smtp_session_get_oauth_error (OdSmtpSession *self)
{
  g_return_val_if_fail (OD_IS_SMTP_SESSION (self), NULL);
  return self->oauth_error;
}

/**
 * od_smtp_session_authenticate_async:
 * @mechanism: "PLAIN", "LOGIN", "CRAM-MD5", "XOAUTH2" or "OAUTHBEARER"
 * @password: the password, or for XOAUTH2 and OAUTHBEARER the access token
 *
 * Logs in. The password (or token) and its encodings are registered with the transcript for
 * redaction before anything is sent; the result is the server's final reply (235 on
 * success). A refused token's error challenge is answered as the mechanism requires, and
 * what it said is kept (od_smtp_session_get_oauth_error()).
 */
void
od_smtp_session_authenticate_async (OdSmtpSession       *self,
                                    const char          *mechanism,
                                    const char          *username,
                                    const char          *password,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *command = NULL;
  g_autofree char *shown = NULL;
  GTask *task;
  Op *op;

  g_return_if_fail (OD_IS_SMTP_SESSION (self));
  g_return_if_fail (od_smtp_session_supports_mechanism (mechanism));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  task = op_new (self, OP_AUTH, cancellable, callback, user_data);
  op = g_task_get_task_data (task);
  op->on_reply = auth_reply_cb;
  op->mechanism = g_strdup (mechanism);
  op->username = g_strdup (username);
  op->password = g_strdup (password);

  od_transcript_add_secret (self->transcript, password);
  g_clear_pointer (&self->oauth_error, od_sasl_oauth_error_free);

  if (od_sasl_oauth_is_mechanism (mechanism))
    {
      g_autofree char *encoded = od_sasl_oauth_response (mechanism, username, self->server_host,
                                                         self->server_port, password);

      od_transcript_add_secret (self->transcript, encoded);
      /* RFC 4954 §4: the initial response only when the line stays within 512 octets
       * (a provider's token usually does not): otherwise it follows the 334. */
      if (strlen (encoded) + strlen (mechanism) + strlen ("AUTH  \r\n") <= 512)
        {
          command = g_strdup_printf ("AUTH %s %s", mechanism, encoded);
          op->stage = 1;
          shown = g_strdup_printf ("AUTH %s " OD_TRANSCRIPT_REDACTED, mechanism);
        }
      else
        command = g_strdup_printf ("AUTH %s", mechanism);
      memset (encoded, 0, strlen (encoded));
    }
  else if (g_str_equal (mechanism, "PLAIN"))
    {
      g_autofree char *encoded = plain_response (username, password);

      od_transcript_add_secret (self->transcript, encoded);

      /* RFC 4954 §4: an initial response that would make the line too long waits for 334. */
      if (strlen (encoded) + strlen ("AUTH PLAIN \r\n") <= 512)
        {
          command = g_strdup_printf ("AUTH PLAIN %s", encoded);
          op->stage = 1;
        }
      else
        command = g_strdup ("AUTH PLAIN");

      memset (encoded, 0, strlen (encoded));
      shown = g_strdup ("AUTH PLAIN " OD_TRANSCRIPT_REDACTED);
    }
  else
    command = g_strdup_printf ("AUTH %s", mechanism);

  send_line (task, command, shown);
  memset (command, 0, strlen (command));
}

/**
 * od_smtp_client_name_for:
 * @connection: (nullable): the connection EHLO is sent over
 *
 * RFC 5321 §4.1.3: without a meaningful host name, an address literal is the honest EHLO
 * argument; strict servers reject a bare "localhost".
 *
 * Returns: (transfer full): our local address as an address literal, such as
 *   "[192.0.2.1]" or "[IPv6:2001:db8::1]"
 */
char *
od_smtp_client_name_for (GSocketConnection *connection)
{
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *ip = NULL;
  GInetAddress *inet;

  if (connection != NULL)
    local = g_socket_connection_get_local_address (connection, NULL);

  if (!G_IS_INET_SOCKET_ADDRESS (local))
    return g_strdup ("[127.0.0.1]");

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
  ip = g_inet_address_to_string (inet);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[IPv6:%s]", ip);

  return g_strdup_printf ("[%s]", ip);
}

/**
 * od_smtp_normalize_data:
 * @message: an RFC 5322 message, with any line endings
 *
 * Prepares a message for DATA: every line ending becomes CR LF (bare CR or LF are refused by
 * careful servers and enable SMTP smuggling), lines that start with "." get another one
 * (RFC 5321 §4.5.2), and the terminating "." line is appended.
 *
 * Returns: (transfer full): the bytes to send after the 354 reply
 */
char *
od_smtp_normalize_data (const char *message)
{
  GString *out;
  gboolean line_start = TRUE;

  g_return_val_if_fail (message != NULL, NULL);

  out = g_string_sized_new (strlen (message) + 64);

  for (const char *p = message; *p; p++)
    {
      if (*p == '\r' || *p == '\n')
        {
          if (*p == '\r' && p[1] == '\n')
            p++;
          g_string_append (out, "\r\n");
          line_start = TRUE;
          continue;
        }

      if (line_start && *p == '.')
        g_string_append_c (out, '.');

      g_string_append_c (out, *p);
      line_start = FALSE;
    }

  if (!line_start)
    g_string_append (out, "\r\n");

  g_string_append (out, ".\r\n");

  return g_string_free (out, FALSE);
}

static void
data_reply_cb (GTask       *task,
               OdSmtpReply *reply)
{
  OdSmtpSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autofree char *shown = NULL;
  g_autofree char *size = NULL;
  g_autofree char *localized = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len;

  if (op->stage > 0 || od_smtp_reply_get_code (reply) != 354)
    {
      op_return_reply (task, reply);
      return;
    }

  op->stage = 1;
  len = strlen (op->body);
  /* The message stands in the transcript as a note: its size, in bytes when recorded. */
  shown = g_strdup_printf ("(message of %" G_GSIZE_FORMAT " bytes, ending with “.”)", len);
  size = g_format_size (len);
  /* Translators: the test message in the transcript; %s is its size such as "612 bytes" */
  localized = g_strdup_printf (_("(message of %s, ending with “.”)"), size);
  od_transcript_append_localized (self->transcript, OD_TRANSCRIPT_CLIENT, self->tls, shown,
                                  localized);
  bytes = g_bytes_new_take (g_steal_pointer (&op->body), len);

  od_deadline_restart (op->deadline, self->timeout_ms * DATA_END_FACTOR);
  send_raw (g_object_ref (task), bytes, NULL);
}

/**
 * od_smtp_session_send_data_async:
 * @message: the message, see od_smtp_normalize_data()
 *
 * Sends DATA and, after 354, the message. The result is the reply after the final dot, or
 * the reply to DATA if it was not 354.
 */
void
od_smtp_session_send_data_async (OdSmtpSession       *self,
                                 const char          *message,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (OD_IS_SMTP_SESSION (self));
  g_return_if_fail (message != NULL);

  task = op_new (self, OP_DATA, cancellable, callback, user_data);
  op = g_task_get_task_data (task);
  op->on_reply = data_reply_cb;
  op->body = od_smtp_normalize_data (message);

  send_line (task, "DATA", NULL);
}

/**
 * od_smtp_session_reply_finish:
 *
 * Completes od_smtp_session_read_reply_async(), _command_async(), _ehlo_async(),
 * _starttls_async(), _authenticate_async() and _send_data_async().
 *
 * Returns: (transfer full): the server's reply, or %NULL with @error set when the exchange
 *   failed (time-out, closed connection, malformed reply, TLS failure)
 */
OdSmtpReply *
od_smtp_session_reply_finish (OdSmtpSession  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (OD_IS_SMTP_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
