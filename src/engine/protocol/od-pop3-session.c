/* od-pop3-session.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-pop3-session"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-deadline.h"
#include "od-pop3-session-private.h"

#define DEFAULT_TIMEOUT_MS    30000
#define READ_CHUNK            4096

G_DEFINE_FINAL_TYPE (OdPop3Session, od_pop3_session, G_TYPE_OBJECT)

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
  g_clear_pointer (&op->shown, od_pop3_reply_unref);
  g_free (op->mechanism);
  g_free (op->username);
  secure_free (op->password);
  g_free (op);
}

/* Stops the deadline and the link to the caller's cancellable, and frees the session for
 * the next operation. Must run before every g_task_return_*(). */
static void
op_finish (GTask *task)
{
  OdPop3Session *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  g_assert (!op->finished);
  op->finished = TRUE;

  od_deadline_stop (op->deadline);
  self->busy = FALSE;
}

static gboolean
is_server_refusal (const GError *error)
{
  return error->domain == OD_POP3_ERROR && error->code >= OD_POP3_ERROR_REFUSED;
}

static void
op_return_error (GTask  *task,
                 GError *error)
{
  OdPop3Session *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  guint seconds = (od_deadline_get_timeout (op->deadline) + 999) / 1000;
  g_autofree char *timed_out =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "No answer from the server within %u second",
                                  "No answer from the server within %u seconds", seconds),
                     seconds);

  op_finish (task);
  od_deadline_timed_out_error (op->deadline, &error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               timed_out);

  /* A "-ERR" is in the transcript already, as the server sent it. */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !is_server_refusal (error))
    od_transcript_append (self->transcript, OD_TRANSCRIPT_INFO, self->tls, error->message);

  g_task_return_error (task, error);
}

/* The caller gets the reply redacted (read_reply()); the session itself parsed the raw one
 * (capabilities, challenges), so that redaction never changes what the protocol reads. */
static void
op_return_reply (GTask       *task,
                 OdPop3Reply *reply)
{
  Op *op = g_task_get_task_data (task);
  OdPop3Reply *shown = op->shown ? op->shown : reply;

  op_finish (task);
  g_task_return_pointer (task, od_pop3_reply_ref (shown), (GDestroyNotify)od_pop3_reply_unref);
}

/* "-ERR": an error with the code its response code stands for, quoting the redacted line. */
static void
op_return_refusal (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  g_assert (op->shown != NULL);

  /* Translators: %s is the server's answer, such as "-ERR [AUTH] Authentication failed" */
  op_return_error (task, g_error_new (OD_POP3_ERROR, od_pop3_reply_get_error_code (op->shown),
                                      _("The server answered “%s”"),
                                      od_pop3_reply_get_line (op->shown)));
}

static void
op_return_unexpected (GTask *task)
{
  op_return_error (task, g_error_new_literal (OD_POP3_ERROR, OD_POP3_ERROR_MALFORMED_RESPONSE,
                                              _("The server asked for more where no question "
                                                "was due")));
}

static GTask *
op_new (OdPop3Session       *self,
        OpKind               kind,
        ReplyHandler         on_reply,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_assert (!self->busy);

  op = g_new0 (Op, 1);
  op->kind = kind;
  op->on_reply = on_reply;
  op->deadline = od_deadline_new (cancellable, self->timeout_ms, "[od] pop3 deadline");
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
 * looked for anywhere else. The response code is not a word of the text. */
static OdPop3Reply *
redact_reply (OdPop3Session *self,
              OdPop3Reply   *reply,
              gboolean       login)
{
  const char * const *body = od_pop3_reply_get_lines (reply);
  const char *status_text = od_pop3_reply_get_status_text (reply);
  guint n = g_strv_length ((char **)body) + 1;
  g_autofree const char **lines = g_new0 (const char *, n + 1);
  g_autofree gsize *skips = g_new0 (gsize, n + 1);
  g_auto(GStrv) redacted = NULL;

  lines[0] = status_text;
  skips[0] = strlen (status_text) - strlen (od_pop3_reply_get_text (reply));
  for (guint i = 1; i < n; i++)
    lines[i] = body[i - 1];

  redacted = od_transcript_redact_lines (self->transcript, lines, skips);
  if (login)
    {
      gsize skip = MIN (skips[0], strlen (redacted[0]));
      g_autofree char *text = od_transcript_redact_short (self->transcript, redacted[0] + skip);
      char *line = g_strdup_printf ("%.*s%s", (int) skip, redacted[0], text);

      g_free (redacted[0]);
      redacted[0] = line;
    }

  return od_pop3_reply_new (od_pop3_reply_get_status (reply), redacted[0],
                            (const char * const *)redacted + 1);
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
      GError *closed = g_error_new (OD_POP3_ERROR, OD_POP3_ERROR_CONNECTION_CLOSED,
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
  OdPop3Session *self = g_task_get_source_object (task);
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
      op_return_error (task, g_error_new (OD_POP3_ERROR, OD_POP3_ERROR_CONNECTION_CLOSED,
                                          _("The server closed the connection")));
      return;
    }

  g_byte_array_append (self->inbuf, self->readbuf, n_read);
  read_reply (g_steal_pointer (&task));
}

/* A line the parser refused: recorded whole and redacted (it may echo a password), then
 * the operation fails. */
static void
fail_on_line (GTask  *task,
              gsize   line_len,
              GError *error)
{
  OdPop3Session *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autofree char *shown = g_strndup ((const char *)self->inbuf->data,
                                      MIN (line_len, OD_POP3_MAX_LINE_LENGTH));

  if (op->kind == OP_AUTH || op->kind == OP_USER)
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
}

/* Takes complete lines from the input buffer until a response is complete, reading more from
 * the stream as needed. Every line is bounded, and so are the lines of a response. */
static void
read_reply (GTask *task)
{
  OdPop3Session *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  for (;;)
    {
      /* An empty GByteArray may have no data at all, and memchr (NULL, …) is undefined. */
      const guint8 *nl = self->inbuf->len > 0 ?
                         memchr (self->inbuf->data, '\n', self->inbuf->len) : NULL;
      g_autoptr(OdPop3Reply) reply = NULL;
      GError *error = NULL;
      gsize line_len;

      if (nl == NULL)
        break;

      line_len = nl - self->inbuf->data;
      if (!od_pop3_reply_parser_feed_line (self->parser, (const char *)self->inbuf->data,
                                           line_len, &reply, &error))
        {
          fail_on_line (task, line_len, error);
          g_object_unref (task);
          return;
        }

      g_byte_array_remove_range (self->inbuf, 0, line_len + 1);

      if (reply != NULL)
        {
          g_autofree char *text = NULL;

          /* Redacted as a whole before anyone quotes, cuts or splits it; the session's own
           * parsing reads the raw reply. */
          g_clear_pointer (&op->shown, od_pop3_reply_unref);
          op->shown = redact_reply (self, reply, op->kind == OP_AUTH || op->kind == OP_USER);
          g_clear_pointer (&self->last_reply, od_pop3_reply_unref);
          self->last_reply = od_pop3_reply_ref (op->shown);

          text = od_pop3_reply_to_string (op->shown);
          od_transcript_append (self->transcript, OD_TRANSCRIPT_SERVER, self->tls, text);

          op->on_reply (task, reply);
          g_object_unref (task);
          return;
        }
    }

  /* +2: the CR LF a line of the greatest length may still be missing. */
  if (self->inbuf->len > OD_POP3_MAX_LINE_LENGTH + 2)
    {
      g_autofree char *size = g_format_size (OD_POP3_MAX_LINE_LENGTH);

      memset (self->inbuf->data, 0, self->inbuf->len);
      g_byte_array_set_size (self->inbuf, 0);
      od_pop3_reply_parser_reset (self->parser);
      /* Translators: %s is a size such as "8.2 kB" */
      op_return_error (task, g_error_new (OD_POP3_ERROR, OD_POP3_ERROR_LINE_TOO_LONG,
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

static void
wipe_and_free (gpointer data)
{
  char *line = data;

  memset (line, 0, strlen (line));
  g_free (line);
}

/* Sends one line (CR LF added), then reads the response; @multiline says whether a "+OK"
 * to it starts a multi-line response. @shown is what the transcript records (%NULL: the
 * line itself). Lines can carry credentials: every copy is wiped when the write is done. */
static void
send_line (GTask      *task,
           const char *line,
           const char *shown,
           gboolean    multiline)
{
  OdPop3Session *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  char *with_crlf = g_strconcat (line, "\r\n", NULL);
  gsize len = strlen (with_crlf);
  g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (with_crlf, len, wipe_and_free,
                                                        with_crlf);

  od_transcript_append (self->transcript, OD_TRANSCRIPT_CLIENT, self->tls,
                        shown ? shown : line);

  /* A response cut short by an earlier failure is over. */
  od_pop3_reply_parser_reset (self->parser);
  od_pop3_reply_parser_expect_multiline (self->parser, multiline);

  /* The bytes object must outlive the write: keep it on the task. */
  g_object_set_data_full (G_OBJECT (task), "od-write-buffer", g_bytes_ref (bytes),
                          (GDestroyNotify)g_bytes_unref);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (self->stream),
                                   with_crlf, len,
                                   G_PRIORITY_DEFAULT,
                                   op->cancellable,
                                   write_cb,
                                   task);
}

/* "+OK" is the answer, "-ERR" an error, a challenge out of place a protocol error. */
static void
expect_ok_cb (GTask       *task,
              OdPop3Reply *reply)
{
  switch (od_pop3_reply_get_status (reply))
    {
    case OD_POP3_STATUS_OK:
      op_return_reply (task, reply);
      return;
    case OD_POP3_STATUS_ERR:
      op_return_refusal (task);
      return;
    case OD_POP3_STATUS_CONTINUATION:
    default:
      op_return_unexpected (task);
      return;
    }
}

static void
capa_reply_cb (GTask       *task,
               OdPop3Reply *reply)
{
  OdPop3Session *self = g_task_get_source_object (task);

  if (od_pop3_reply_get_status (reply) == OD_POP3_STATUS_CONTINUATION)
    {
      op_return_unexpected (task);
      return;
    }

  /* RFC 2449 §5: a server without CAPA answers "-ERR"; it has no extensions we know of. */
  g_clear_pointer (&self->capabilities, od_pop3_capabilities_free);
  if (od_pop3_reply_is_ok (reply))
    self->capabilities = od_pop3_capabilities_new_from_reply (reply);

  op_return_reply (task, reply);
}

static gboolean
socket_has_pending_input (OdPop3Session *self)
{
  GSocket *socket;

  if (!G_IS_SOCKET_CONNECTION (self->base_stream))
    return FALSE;

  socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (self->base_stream));
  return (g_socket_condition_check (socket, G_IO_IN) & G_IO_IN) != 0;
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OdPop3Session *self = g_task_get_source_object (task);
  OdPop3Reply *reply = g_object_get_data (G_OBJECT (task), "od-stls-reply");
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
  /* RFC 2595 §4: forget everything learned before TLS. */
  g_clear_pointer (&self->capabilities, od_pop3_capabilities_free);

  op_return_reply (task, reply);
}

static void
stls_reply_cb (GTask       *task,
               OdPop3Reply *reply)
{
  OdPop3Session *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  if (od_pop3_reply_get_status (reply) != OD_POP3_STATUS_OK)
    {
      expect_ok_cb (task, reply);
      return;
    }

  /* Anything that arrived after the +OK was sent before our TLS handshake, in plain text:
   * someone on the path is injecting responses (CVE-2011-0411 and its many relatives). */
  if (self->inbuf->len > 0 || socket_has_pending_input (self))
    {
      g_byte_array_set_size (self->inbuf, 0);
      op_return_error (task, g_error_new (OD_POP3_ERROR, OD_POP3_ERROR_STLS_INJECTION,
                                          _("Data arrived after the server agreed to start "
                                            "TLS and before the encryption began")));
      return;
    }

  g_object_set_data_full (G_OBJECT (task), "od-stls-reply", od_pop3_reply_ref (reply),
                          (GDestroyNotify)od_pop3_reply_unref);
  od_tls_client_handshake_async (self->tls_client, self->base_stream, op->cancellable,
                                 handshake_cb, g_object_ref (task));
}

/* "+OK nn mm" (RFC 1939 §5): the number of messages and their size in octets. */
static gboolean
parse_stat (const char *text,
            guint      *n_messages,
            guint64    *size)
{
  g_auto(GStrv) words = g_strsplit (text, " ", 3);
  guint64 n = 0;

  if (g_strv_length (words) < 2 ||
      !g_ascii_string_to_unsigned (words[0], 10, 0, G_MAXUINT, &n, NULL) ||
      !g_ascii_string_to_unsigned (words[1], 10, 0, G_MAXUINT64, size, NULL))
    return FALSE;

  *n_messages = (guint)n;
  return TRUE;
}

static void
stat_reply_cb (GTask       *task,
               OdPop3Reply *reply)
{
  Op *op = g_task_get_task_data (task);

  if (od_pop3_reply_get_status (reply) == OD_POP3_STATUS_OK &&
      !parse_stat (od_pop3_reply_get_text (reply), &op->n_messages, &op->size))
    {
      op_return_error (task, g_error_new_literal (OD_POP3_ERROR,
                                                  OD_POP3_ERROR_MALFORMED_RESPONSE,
                                                  _("The answer to STAT is not a message "
                                                    "count and a size")));
      return;
    }

  expect_ok_cb (task, reply);
}

/* The operations' machinery, for od-pop3-session-login.c. */
GTask *
od_pop3_op_new (OdPop3Session       *self,
                OpKind               kind,
                ReplyHandler         on_reply,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  return op_new (self, kind, on_reply, cancellable, callback, user_data);
}

void
od_pop3_op_send_line (GTask      *task,
                      const char *line,
                      const char *shown,
                      gboolean    multiline)
{
  send_line (task, line, shown, multiline);
}

void
od_pop3_op_expect_ok_cb (GTask       *task,
                         OdPop3Reply *reply)
{
  expect_ok_cb (task, reply);
}

void
od_pop3_op_return_error (GTask  *task,
                         GError *error)
{
  op_return_error (task, error);
}

static void
od_pop3_session_finalize (GObject *object)
{
  OdPop3Session *self = (OdPop3Session *)object;

  g_clear_object (&self->stream);
  g_clear_object (&self->base_stream);
  g_clear_object (&self->tls_client);
  g_clear_object (&self->transcript);
  g_free (self->server_host);
  g_clear_pointer (&self->oauth_error, od_sasl_oauth_error_free);
  g_clear_pointer (&self->parser, od_pop3_reply_parser_free);
  g_clear_pointer (&self->inbuf, g_byte_array_unref);
  g_clear_pointer (&self->capabilities, od_pop3_capabilities_free);
  g_clear_pointer (&self->last_reply, od_pop3_reply_unref);
  g_clear_pointer (&self->readbuf, g_free);

  G_OBJECT_CLASS (od_pop3_session_parent_class)->finalize (object);
}

static void
od_pop3_session_class_init (OdPop3SessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = od_pop3_session_finalize;
}

static void
od_pop3_session_init (OdPop3Session *self)
{
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  self->parser = od_pop3_reply_parser_new ();
  self->inbuf = g_byte_array_new ();
  self->readbuf = g_malloc (READ_CHUNK);
}

/**
 * od_pop3_session_new:
 * @stream: a connected stream: the TCP connection, or the TLS connection of an implicit-TLS
 *   port such as 995 (see #OdConnect)
 * @tls_client: (nullable): the TLS side of the connection, for STLS and for what the
 *   certificate showed; %NULL when STLS is not used
 * @transcript: (nullable): where to record the conversation
 *
 * Returns: (transfer full): a new session; nothing is sent until an operation is started
 */
OdPop3Session *
od_pop3_session_new (GIOStream    *stream,
                     OdTlsClient  *tls_client,
                     OdTranscript *transcript)
{
  OdPop3Session *self;

  g_return_val_if_fail (G_IS_IO_STREAM (stream), NULL);
  g_return_val_if_fail (!tls_client || OD_IS_TLS_CLIENT (tls_client), NULL);
  g_return_val_if_fail (!transcript || OD_IS_TRANSCRIPT (transcript), NULL);

  self = g_object_new (OD_TYPE_POP3_SESSION, NULL);
  self->stream = g_object_ref (stream);
  self->base_stream = g_object_ref (stream);
  self->tls = G_IS_TLS_CONNECTION (stream);
  self->tls_client = tls_client ? g_object_ref (tls_client) : NULL;
  self->transcript = transcript ? g_object_ref (transcript) : od_transcript_new ();

  return self;
}

/**
 * od_pop3_session_set_timeout:
 * @timeout_ms: the deadline for each operation, in milliseconds
 */
void
od_pop3_session_set_timeout (OdPop3Session *self,
                             guint          timeout_ms)
{
  g_return_if_fail (OD_IS_POP3_SESSION (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

guint
od_pop3_session_get_timeout (OdPop3Session *self)
{
  g_return_val_if_fail (OD_IS_POP3_SESSION (self), 0);
  return self->timeout_ms;
}

/**
 * od_pop3_session_set_allow_plaintext_password:
 * @allow: whether a login may send the password over a connection without TLS
 *
 * Off by default: only for a server the person chose to use unencrypted and confirmed.
 */
void
od_pop3_session_set_allow_plaintext_password (OdPop3Session *self,
                                              gboolean       allow)
{
  g_return_if_fail (OD_IS_POP3_SESSION (self));
  self->allow_plaintext = !!allow;
}

gboolean
od_pop3_session_is_tls (OdPop3Session *self)
{
  g_return_val_if_fail (OD_IS_POP3_SESSION (self), FALSE);
  return self->tls;
}

/**
 * od_pop3_session_get_tls_info:
 *
 * Returns: (transfer none) (nullable): what the TLS handshake showed, also after a failed
 *   handshake if the server presented a certificate
 */
OdTlsInfo *
od_pop3_session_get_tls_info (OdPop3Session *self)
{
  g_return_val_if_fail (OD_IS_POP3_SESSION (self), NULL);
  return self->tls_client ? od_tls_client_get_tls_info (self->tls_client) : NULL;
}

GTlsCertificateFlags
od_pop3_session_get_tls_errors (OdPop3Session *self)
{
  g_return_val_if_fail (OD_IS_POP3_SESSION (self), 0);
  return self->tls_client ? od_tls_client_get_errors (self->tls_client) : 0;
}

/**
 * od_pop3_session_get_capabilities:
 *
 * Returns: (nullable): what the last CAPA advertised; %NULL before CAPA, after STLS, and
 *   for a server that does not know CAPA
 */
const OdPop3Capabilities *
od_pop3_session_get_capabilities (OdPop3Session *self)
{
  g_return_val_if_fail (OD_IS_POP3_SESSION (self), NULL);
  return self->capabilities;
}

/**
 * od_pop3_session_get_last_reply:
 *
 * Returns: (transfer none) (nullable): the last complete response, redacted: after a
 *   "-ERR", its response code and words for the diagnosis
 */
OdPop3Reply *
od_pop3_session_get_last_reply (OdPop3Session *self)
{
  g_return_val_if_fail (OD_IS_POP3_SESSION (self), NULL);
  return self->last_reply;
}

/**
 * od_pop3_session_close:
 *
 * Closes the connection without waiting (send QUIT first for a polite goodbye).
 */
void
od_pop3_session_close (OdPop3Session *self)
{
  g_return_if_fail (OD_IS_POP3_SESSION (self));

  if (!g_io_stream_is_closed (self->stream))
    g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (self->base_stream != self->stream && !g_io_stream_is_closed (self->base_stream))
    g_io_stream_close_async (self->base_stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

/**
 * od_pop3_session_read_greeting_async:
 *
 * Reads the greeting without sending anything. "+OK" is the result; "-ERR" (a server that
 * does not serve us) is an error.
 */
void
od_pop3_session_read_greeting_async (OdPop3Session       *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OD_IS_POP3_SESSION (self));

  task = op_new (self, OP_GREETING, expect_ok_cb, cancellable, callback, user_data);
  od_pop3_reply_parser_reset (self->parser);
  read_reply (task);
}

/**
 * od_pop3_session_command_async:
 * @command: one command line without CR LF
 * @multiline: whether a "+OK" to it starts a multi-line response
 *
 * Sends @command and reads the response; "-ERR" is an error.
 */
void
od_pop3_session_command_async (OdPop3Session       *self,
                               const char          *command,
                               gboolean             multiline,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OD_IS_POP3_SESSION (self));
  g_return_if_fail (command != NULL);

  task = op_new (self, OP_COMMAND, expect_ok_cb, cancellable, callback, user_data);

  if (strpbrk (command, "\r\n") != NULL)
    {
      op_return_error (task, g_error_new (OD_POP3_ERROR, OD_POP3_ERROR_BAD_INPUT,
                                          _("A command cannot contain a line break")));
      g_object_unref (task);
      return;
    }

  send_line (task, command, NULL, multiline);
}

/**
 * od_pop3_session_capa_async:
 *
 * Sends CAPA (RFC 2449). The result is the server's response: a "-ERR" is not an error
 * here, since a server without CAPA is a plain RFC 1939 server. On "+OK" the capabilities
 * are available from od_pop3_session_get_capabilities().
 */
void
od_pop3_session_capa_async (OdPop3Session       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OD_IS_POP3_SESSION (self));

  task = op_new (self, OP_CAPA, capa_reply_cb, cancellable, callback, user_data);
  send_line (task, "CAPA", NULL, TRUE);
}

/**
 * od_pop3_session_stls_async:
 *
 * Sends STLS (RFC 2595) and, after "+OK", performs the TLS handshake through the session's
 * #OdTlsClient (the same verification and pinned certificates as for SMTP). Bytes that
 * arrive after the "+OK" and before the handshake fail with
 * %OD_POP3_ERROR_STLS_INJECTION. The capabilities are forgotten: send CAPA again.
 */
void
od_pop3_session_stls_async (OdPop3Session       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OD_IS_POP3_SESSION (self));
  g_return_if_fail (!self->tls);
  g_return_if_fail (self->tls_client != NULL);

  task = op_new (self, OP_STLS, stls_reply_cb, cancellable, callback, user_data);
  send_line (task, "STLS", NULL, FALSE);
}

/**
 * od_pop3_session_quit_async:
 *
 * Sends QUIT; complete with od_pop3_session_reply_finish().
 */
void
od_pop3_session_quit_async (OdPop3Session       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  od_pop3_session_command_async (self, "QUIT", FALSE, cancellable, callback, user_data);
}

/**
 * od_pop3_session_reply_finish:
 *
 * Completes od_pop3_session_read_greeting_async(), _command_async(), _capa_async(),
 * _stls_async(), _login_async() and _quit_async().
 *
 * Returns: (transfer full): the server's response, redacted, or %NULL with @error set: a
 *   "-ERR" (except to CAPA), a time-out, a closed connection, a malformed response, a TLS
 *   failure
 */
OdPop3Reply *
od_pop3_session_reply_finish (OdPop3Session  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (OD_IS_POP3_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * od_pop3_session_stat_async:
 *
 * Sends STAT (after login): how many messages the mailbox holds, and their size.
 */
void
od_pop3_session_stat_async (OdPop3Session       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OD_IS_POP3_SESSION (self));

  task = op_new (self, OP_STAT, stat_reply_cb, cancellable, callback, user_data);
  send_line (task, "STAT", NULL, FALSE);
}

/**
 * od_pop3_session_stat_finish:
 * @n_messages: (out) (optional): the number of messages
 * @size: (out) (optional): their size in octets
 *
 * Returns: %TRUE on "+OK nn mm", %FALSE with @error set otherwise
 */
gboolean
od_pop3_session_stat_finish (OdPop3Session  *self,
                             GAsyncResult   *result,
                             guint          *n_messages,
                             guint64        *size,
                             GError        **error)
{
  g_autoptr(OdPop3Reply) reply = NULL;
  Op *op;

  g_return_val_if_fail (OD_IS_POP3_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  reply = g_task_propagate_pointer (G_TASK (result), error);
  if (reply == NULL)
    return FALSE;

  op = g_task_get_task_data (G_TASK (result));
  if (n_messages != NULL)
    *n_messages = op->n_messages;
  if (size != NULL)
    *size = op->size;

  return TRUE;
}
