/* od-imap-session.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-imap-session"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-imap-session-private.h"

#define DEFAULT_TIMEOUT_MS    30000
#define READ_CHUNK            4096

/* One IMAP conversation (RFC 9051, RFC 3501) over a GIOStream, as OdSmtpSession is one SMTP
 * conversation: every operation is asynchronous, has its own deadline and can be cancelled;
 * only one runs at a time, with tags A1, A2, … Everything sent and received goes into the
 * transcript, with the arguments of LOGIN and AUTHENTICATE and the answers to continuation
 * requests redacted. A tagged NO or BAD, and a BYE, end an operation with an %OD_IMAP_ERROR
 * whose message is the server's words. */
G_DEFINE_FINAL_TYPE (OdImapSession, od_imap_session, G_TYPE_OBJECT)

static void read_response (GTask *task);

void
od_imap_wipe_and_free (gpointer data)
{
  char *text = data;

  if (text != NULL)
    {
      memset (text, 0, strlen (text));
      g_free (text);
    }
}

static void
op_free (gpointer data)
{
  Op *op = data;

  g_clear_pointer (&op->deadline, od_deadline_free);
  g_clear_pointer (&op->pending, g_ptr_array_unref);
  g_clear_pointer (&op->untagged, g_ptr_array_unref);
  if (op->idle_timer != NULL)
    g_source_destroy (op->idle_timer);
  g_clear_pointer (&op->idle_timer, g_source_unref);
  g_free (op->collect);
  g_free (op->tag);
  g_free (op->username);
  od_imap_wipe_and_free (op->password);
  g_free (op);
}

/* Stops the deadline and frees the session for the next operation. Must run before every
 * g_task_return_*(). */
static void
op_finish (GTask *task)
{
  OdImapSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  g_assert (!op->finished);
  op->finished = TRUE;

  od_deadline_stop (op->deadline);
  if (op->idle_timer != NULL)
    g_source_destroy (op->idle_timer);
  g_clear_pointer (&op->idle_timer, g_source_unref);
  self->busy = FALSE;
}

void
od_imap_op_return_error (GTask  *task,
                         GError *error)
{
  OdImapSession *self = g_task_get_source_object (task);
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

void
od_imap_op_return_response (GTask          *task,
                            OdImapResponse *shown)
{
  op_finish (task);
  g_task_return_pointer (task, od_imap_response_ref (shown),
                         (GDestroyNotify)od_imap_response_unref);
}

/* A refusal: the server's own words (redacted) are the message. */
static GError *
error_from_response (OdImapResponse *shown)
{
  g_autofree char *words = od_imap_response_describe (shown);

  return g_error_new_literal (OD_IMAP_ERROR, od_imap_response_error_code (shown), words);
}

GTask *
od_imap_op_new (OdImapSession       *self,
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
  op->deadline = od_deadline_new (cancellable, self->timeout_ms, "[od] imap deadline");
  op->cancellable = od_deadline_get_cancellable (op->deadline);

  task = g_task_new (self, op->cancellable, callback, user_data);
  g_task_set_source_tag (task, od_imap_op_new);
  g_task_set_task_data (task, op, op_free);
  /* The error we report is our own (time-out or cancelled), checked explicitly. */
  g_task_set_check_cancellable (task, FALSE);

  self->busy = TRUE;

  return task;
}

/* Returns an error for @task at once, before anything is sent. */
void
od_imap_op_refuse (GTask       *task,
                   OdImapError  code,
                   const char  *message)
{
  od_imap_op_return_error (task, g_error_new_literal (OD_IMAP_ERROR, code, message));
  g_object_unref (task);
}

/* A server that hangs up shows as one of several errors, depending on whether TLS was on and
 * who noticed first; the diagnosis needs just one. */
static GError *
normalize_closed (GError *error)
{
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    {
      GError *closed = g_error_new (OD_IMAP_ERROR, OD_IMAP_ERROR_CONNECTION_CLOSED,
                                    /* Translators: %s says how (an error message) */
                                    _("The server closed the connection (%s)"), error->message);
      g_error_free (error);
      return closed;
    }

  return error;
}

static char *
redact_cb (const char *text,
           gpointer    user_data)
{
  OdImapSession *self = user_data;

  return od_transcript_redact (self->transcript, text);
}

/* During a login, a password too short to be looked for everywhere is hidden too. */
static char *
redact_login_cb (const char *text,
                 gpointer    user_data)
{
  OdImapSession *self = user_data;
  g_autofree char *redacted = od_transcript_redact (self->transcript, text);

  return od_transcript_redact_short (self->transcript, redacted);
}

static void
update_capabilities (OdImapSession  *self,
                     OdImapResponse *response)
{
  OdImapCapabilities *caps = od_imap_capabilities_new_from_response (response);

  if (caps != NULL)
    {
      g_clear_pointer (&self->capabilities, od_imap_capabilities_free);
      self->capabilities = caps;
    }
}

GError *
od_imap_protocol_error (const char *message)
{
  return g_error_new_literal (OD_IMAP_ERROR, OD_IMAP_ERROR_MALFORMED_RESPONSE, message);
}

static GError *
not_a_greeting (void)
{
  return od_imap_protocol_error (_("Not an IMAP server: the greeting is not “* OK”, "
                                   "“* PREAUTH” or “* BYE”"));
}

static void
handle_greeting (GTask          *task,
                 OdImapResponse *shown)
{
  OdImapSession *self = g_task_get_source_object (task);

  switch (od_imap_response_get_status (shown))
    {
    case OD_IMAP_STATUS_PREAUTH:
      self->authenticated = TRUE;
      G_GNUC_FALLTHROUGH;
    case OD_IMAP_STATUS_OK:
      od_imap_op_return_response (task, shown);
      return;

    case OD_IMAP_STATUS_BYE:
      self->bye = TRUE;
      od_imap_op_return_error (task, error_from_response (shown));
      return;

    case OD_IMAP_STATUS_NONE:
    case OD_IMAP_STATUS_NO:
    case OD_IMAP_STATUS_BAD:
    default:
      od_imap_op_return_error (task, not_a_greeting ());
      return;
    }
}

/* Server data and status that do not end the command. Returns FALSE when they ended the
 * operation (a BYE). */
static gboolean
handle_untagged (GTask          *task,
                 OdImapResponse *raw,
                 OdImapResponse *shown)
{
  OdImapSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  const char *keyword = od_imap_response_get_keyword (raw);
  guint32 number;

  if (od_imap_response_get_status (raw) == OD_IMAP_STATUS_BYE)
    {
      /* The server is closing: after LOGOUT that is the goodbye, otherwise the end. */
      self->bye = TRUE;
      g_clear_pointer (&self->last_response, od_imap_response_unref);
      self->last_response = od_imap_response_ref (shown);
      if (op->kind == OP_LOGOUT)
        return TRUE;

      od_imap_op_return_error (task, error_from_response (shown));
      return FALSE;
    }

  if (od_imap_response_get_number (raw, &number) && g_strcmp0 (keyword, "EXISTS") == 0)
    self->exists = number;

  if (g_strcmp0 (keyword, "QUOTA") == 0 && !self->has_quota)
    self->has_quota = od_imap_quota_parse (raw, &self->quota);

  if (op->untagged != NULL && g_strcmp0 (keyword, op->collect) == 0)
    {
      if (op->untagged->len >= OD_IMAP_MAX_RESPONSES)
        {
          od_imap_op_return_error (task, g_error_new_literal (OD_IMAP_ERROR,
                                                              OD_IMAP_ERROR_TOO_MANY_RESPONSES,
                                                              _("The server sent too many "
                                                                "answers")));
          return FALSE;
        }
      g_ptr_array_add (op->untagged, od_imap_response_ref (raw));
    }

  if (op->on_untagged != NULL)
    op->on_untagged (task, raw);

  return TRUE;
}

static void
handle_tagged (GTask          *task,
               OdImapResponse *raw,
               OdImapResponse *shown)
{
  OdImapSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  if (g_strcmp0 (od_imap_response_get_tag (raw), op->tag) != 0)
    {
      od_imap_op_return_error (task, od_imap_protocol_error (_("The server answered a command "
                                                               "that was not sent")));
      return;
    }

  g_clear_pointer (&self->last_response, od_imap_response_unref);
  self->last_response = od_imap_response_ref (shown);

  if (od_imap_response_get_status (raw) != OD_IMAP_STATUS_OK)
    {
      od_imap_op_return_error (task, error_from_response (shown));
      return;
    }

  if (op->on_ok != NULL)
    op->on_ok (task, raw);
  else
    od_imap_op_return_response (task, shown);
}

/* Returns TRUE when the operation goes on reading; otherwise @task was handed on or done. */
static gboolean
handle_response (GTask          *task,
                 OdImapResponse *raw)
{
  OdImapSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(OdImapResponse) shown = NULL;

  /* Redacted as a whole before anyone quotes or cuts it; the session reads the raw one. */
  shown = od_imap_response_map_text (raw, op->kind == OP_LOGIN ? redact_login_cb : redact_cb,
                                     self);
  od_transcript_append (self->transcript, OD_TRANSCRIPT_SERVER, self->tls,
                        od_imap_response_get_line (shown));
  update_capabilities (self, raw);

  if (op->kind == OP_GREETING)
    {
      g_clear_pointer (&self->last_response, od_imap_response_unref);
      self->last_response = od_imap_response_ref (shown);
      if (od_imap_response_get_kind (raw) == OD_IMAP_RESPONSE_UNTAGGED)
        handle_greeting (task, shown);
      else
        od_imap_op_return_error (task, not_a_greeting ());
      return FALSE;
    }

  switch (od_imap_response_get_kind (raw))
    {
    case OD_IMAP_RESPONSE_UNTAGGED:
      return handle_untagged (task, raw, shown);

    case OD_IMAP_RESPONSE_CONTINUATION:
      if (op->on_continuation == NULL)
        {
          od_imap_op_return_error (task, od_imap_protocol_error (_("The server asked for more "
                                                                   "than the command has")));
          return FALSE;
        }
      op->on_continuation (task, raw);
      return FALSE;

    case OD_IMAP_RESPONSE_TAGGED:
    default:
      handle_tagged (task, raw, shown);
      return FALSE;
    }
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OdImapSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n_read;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  /* After LOGOUT's BYE, hanging up without the tagged OK is a goodbye all the same. */
  if (n_read <= 0 && op->kind == OP_LOGOUT && self->bye)
    {
      g_clear_error (&error);
      od_imap_op_return_response (task, self->last_response);
      return;
    }

  if (n_read < 0)
    {
      od_imap_op_return_error (task, normalize_closed (error));
      return;
    }

  if (n_read == 0)
    {
      od_imap_op_return_error (task, g_error_new (OD_IMAP_ERROR, OD_IMAP_ERROR_CONNECTION_CLOSED,
                                          _("The server closed the connection")));
      return;
    }

  g_byte_array_append (self->inbuf, self->readbuf, n_read);
  read_response (g_steal_pointer (&task));
}

/* Feeds the input buffer to the parser until the operation is done, reading more from the
 * stream as needed. Takes the reference to @task. */
static void
read_response (GTask *task)
{
  OdImapSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  while (self->inbuf->len > 0)
    {
      g_autoptr(OdImapResponse) response = NULL;
      GError *error = NULL;
      gsize consumed = 0;
      gboolean ok;

      ok = od_imap_response_parser_feed (self->parser, (const char *)self->inbuf->data,
                                         self->inbuf->len, &consumed, &response, &error);
      if (!ok)
        {
          memset (self->inbuf->data, 0, self->inbuf->len);
          g_byte_array_set_size (self->inbuf, 0);
          od_imap_op_return_error (task, error);
          g_object_unref (task);
          return;
        }

      g_byte_array_remove_range (self->inbuf, 0, consumed);

      if (response == NULL)
        break;

      if (!handle_response (task, response))
        {
          g_object_unref (task);
          return;
        }
    }

  g_input_stream_read_async (g_io_stream_get_input_stream (self->stream),
                             self->readbuf, READ_CHUNK,
                             G_PRIORITY_DEFAULT,
                             op->cancellable,
                             read_cb,
                             task);
}

/* Reads on after a handler that sent nothing (IDLE's continuation). Takes the reference. */
void
od_imap_op_read (GTask *task)
{
  read_response (task);
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
      od_imap_op_return_error (task, normalize_closed (error));
      return;
    }

  read_response (g_steal_pointer (&task));
}

/* Writes the text od_imap_op_send_text() put on @task, then reads. Takes the reference. */
static void
start_write (GTask *task)
{
  OdImapSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GBytes *bytes = g_object_get_data (G_OBJECT (task), "od-write-buffer");
  gsize len;
  gconstpointer data = g_bytes_get_data (bytes, &len);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (self->stream),
                                   data, len,
                                   G_PRIORITY_DEFAULT,
                                   op->cancellable,
                                   write_cb,
                                   task);
}

static void
write_only_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  OdImapSession *self = g_task_get_source_object (task);

  /* A failed write shows in the read that is still waiting: the connection is gone, or the
   * deadline ends it. */
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    g_debug ("Writing while reading failed: %s", error->message);

  /* The server may answer DONE before its write has finished here: the next command was
   * held back until now, as a stream takes one write at a time. */
  self->writing_only = FALSE;
  if (self->waiting_send != NULL)
    start_write (g_steal_pointer (&self->waiting_send));
}

/* Sends @line (no secrets: recorded as is) while the operation goes on reading, as DONE is
 * sent during IDLE. */
void
od_imap_op_write_only (GTask      *task,
                       const char *line)
{
  OdImapSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  char *with_crlf = g_strconcat (line, "\r\n", NULL);
  gsize len = strlen (with_crlf);

  od_transcript_append (self->transcript, OD_TRANSCRIPT_CLIENT, self->tls, line);
  self->writing_only = TRUE;
  g_object_set_data_full (G_OBJECT (task), "od-write-only-buffer", with_crlf, g_free);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (self->stream),
                                   with_crlf, len, G_PRIORITY_DEFAULT, op->cancellable,
                                   write_only_cb, g_object_ref (task));
}

/* Sends @text (line ends included) as is, then reads. @shown is what the transcript records.
 * Takes the reference to @task. */
void
od_imap_op_send_text (GTask      *task,
                      const char *text,
                      const char *shown)
{
  OdImapSession *self = g_task_get_source_object (task);
  char *copy = g_strdup (text);
  gsize len = strlen (copy);
  g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (copy, len, od_imap_wipe_and_free, copy);

  od_transcript_append (self->transcript, OD_TRANSCRIPT_CLIENT, self->tls, shown);

  /* The bytes must outlive the write: keep them on the task. */
  g_object_set_data_full (G_OBJECT (task), "od-write-buffer", g_bytes_ref (bytes),
                          (GDestroyNotify)g_bytes_unref);

  if (self->writing_only)
    {
      g_assert (self->waiting_send == NULL);
      self->waiting_send = task;
      return;
    }

  start_write (task);
}

void
od_imap_op_send_line (GTask      *task,
                      const char *line,
                      const char *shown)
{
  char *with_crlf = g_strconcat (line, "\r\n", NULL);

  od_imap_op_send_text (task, with_crlf, shown ? shown : line);
  od_imap_wipe_and_free (with_crlf);
}

/* Sends "TAG @command"; @shown, if given, is recorded after the tag instead of @command. */
void
od_imap_op_send_command (GTask      *task,
                         const char *command,
                         const char *shown)
{
  OdImapSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autofree char *line = NULL;
  g_autofree char *line_shown = NULL;

  g_free (op->tag);
  op->tag = g_strdup_printf ("A%u", self->next_tag++);
  line = g_strdup_printf ("%s %s", op->tag, command);
  line_shown = g_strdup_printf ("%s %s", op->tag, shown ? shown : command);

  od_imap_op_send_line (task, line, line_shown);
  memset (line, 0, strlen (line));
}

static void
od_imap_session_finalize (GObject *object)
{
  OdImapSession *self = (OdImapSession *)object;

  g_clear_object (&self->stream);
  g_clear_object (&self->base_stream);
  g_clear_object (&self->tls_client);
  g_clear_object (&self->transcript);
  g_clear_pointer (&self->parser, od_imap_response_parser_free);
  g_clear_pointer (&self->inbuf, g_byte_array_unref);
  g_clear_pointer (&self->readbuf, g_free);
  g_clear_pointer (&self->capabilities, od_imap_capabilities_free);
  g_clear_pointer (&self->last_response, od_imap_response_unref);
  g_free (self->server_host);
  g_clear_pointer (&self->oauth_error, od_sasl_oauth_error_free);

  G_OBJECT_CLASS (od_imap_session_parent_class)->finalize (object);
}

static void
od_imap_session_class_init (OdImapSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = od_imap_session_finalize;
}

static void
od_imap_session_init (OdImapSession *self)
{
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  self->parser = od_imap_response_parser_new ();
  self->inbuf = g_byte_array_new ();
  self->readbuf = g_malloc (READ_CHUNK);
  self->next_tag = 1;
}

/**
 * od_imap_session_new:
 * @stream: a connected stream: the TCP connection, or the TLS connection of an implicit-TLS
 *   port (see #OdConnect)
 * @tls_client: (nullable): the TLS side of the connection, for STARTTLS and for what the
 *   certificate showed; %NULL when STARTTLS is not used
 * @transcript: (nullable): where to record the conversation
 *
 * Returns: (transfer full): a new session; nothing is sent until an operation is started
 */
OdImapSession *
od_imap_session_new (GIOStream    *stream,
                     OdTlsClient  *tls_client,
                     OdTranscript *transcript)
{
  OdImapSession *self;

  g_return_val_if_fail (G_IS_IO_STREAM (stream), NULL);
  g_return_val_if_fail (!tls_client || OD_IS_TLS_CLIENT (tls_client), NULL);
  g_return_val_if_fail (!transcript || OD_IS_TRANSCRIPT (transcript), NULL);

  self = g_object_new (OD_TYPE_IMAP_SESSION, NULL);
  self->stream = g_object_ref (stream);
  self->base_stream = g_object_ref (stream);
  self->tls = G_IS_TLS_CONNECTION (stream);
  self->tls_client = tls_client ? g_object_ref (tls_client) : NULL;
  self->transcript = transcript ? g_object_ref (transcript) : od_transcript_new ();

  return self;
}

/**
 * od_imap_session_set_timeout:
 * @timeout_ms: the deadline for each operation, in milliseconds
 */
void
od_imap_session_set_timeout (OdImapSession *self,
                             guint          timeout_ms)
{
  g_return_if_fail (OD_IS_IMAP_SESSION (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

guint
od_imap_session_get_timeout (OdImapSession *self)
{
  g_return_val_if_fail (OD_IS_IMAP_SESSION (self), 0);
  return self->timeout_ms;
}

gboolean
od_imap_session_is_tls (OdImapSession *self)
{
  g_return_val_if_fail (OD_IS_IMAP_SESSION (self), FALSE);
  return self->tls;
}

/**
 * od_imap_session_is_authenticated:
 *
 * Returns: whether a login succeeded, or the server greeted with PREAUTH
 */
gboolean
od_imap_session_is_authenticated (OdImapSession *self)
{
  g_return_val_if_fail (OD_IS_IMAP_SESSION (self), FALSE);
  return self->authenticated;
}

/**
 * od_imap_session_get_tls_info:
 *
 * Returns: (transfer none) (nullable): what the TLS handshake showed
 */
OdTlsInfo *
od_imap_session_get_tls_info (OdImapSession *self)
{
  g_return_val_if_fail (OD_IS_IMAP_SESSION (self), NULL);
  return self->tls_client ? od_tls_client_get_tls_info (self->tls_client) : NULL;
}

GTlsCertificateFlags
od_imap_session_get_tls_errors (OdImapSession *self)
{
  g_return_val_if_fail (OD_IS_IMAP_SESSION (self), 0);
  return self->tls_client ? od_tls_client_get_errors (self->tls_client) : 0;
}

/**
 * od_imap_session_get_capabilities:
 *
 * Returns: (nullable): what the server last said it can do (the greeting's or a response's
 *   [CAPABILITY] code, or a CAPABILITY response); %NULL before that, and after STARTTLS until
 *   they were read again
 */
const OdImapCapabilities *
od_imap_session_get_capabilities (OdImapSession *self)
{
  g_return_val_if_fail (OD_IS_IMAP_SESSION (self), NULL);
  return self->capabilities;
}

/**
 * od_imap_session_get_last_response:
 *
 * Returns: (transfer none) (nullable): the last greeting, completion or BYE, redacted: its
 *   status, response code and text are what the diagnosis reads
 */
OdImapResponse *
od_imap_session_get_last_response (OdImapSession *self)
{
  g_return_val_if_fail (OD_IS_IMAP_SESSION (self), NULL);
  return self->last_response;
}

/**
 * od_imap_session_get_exists:
 *
 * Returns: the number of messages in the mailbox the last SELECT opened
 */
guint
od_imap_session_get_exists (OdImapSession *self)
{
  g_return_val_if_fail (OD_IS_IMAP_SESSION (self), 0);
  return self->exists;
}

/**
 * od_imap_session_get_quota:
 * @quota: (out): the quota the last GETQUOTAROOT reported
 *
 * Returns: whether the server reported one
 */
gboolean
od_imap_session_get_quota (OdImapSession *self,
                           OdImapQuota   *quota)
{
  g_return_val_if_fail (OD_IS_IMAP_SESSION (self), FALSE);
  g_return_val_if_fail (quota != NULL, FALSE);

  *quota = self->quota;
  return self->has_quota;
}

/**
 * od_imap_session_close:
 *
 * Closes the connection without waiting (LOGOUT first for a polite goodbye).
 */
void
od_imap_session_close (OdImapSession *self)
{
  g_return_if_fail (OD_IS_IMAP_SESSION (self));

  if (!g_io_stream_is_closed (self->stream))
    g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (self->base_stream != self->stream && !g_io_stream_is_closed (self->base_stream))
    g_io_stream_close_async (self->base_stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

/**
 * od_imap_session_read_greeting_async:
 *
 * Reads the greeting: "* OK" or "* PREAUTH" succeed (their [CAPABILITY] code, if any, is
 * kept), "* BYE" is an %OD_IMAP_ERROR with the server's words.
 */
void
od_imap_session_read_greeting_async (OdImapSession       *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (OD_IS_IMAP_SESSION (self));

  read_response (od_imap_op_new (self, OP_GREETING, cancellable, callback, user_data));
}

/**
 * od_imap_session_command_async:
 * @command: one command without tag and line end, such as "NOOP"
 *
 * Sends @command with the next tag; the result is its tagged OK.
 */
void
od_imap_session_command_async (OdImapSession       *self,
                               const char          *command,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OD_IS_IMAP_SESSION (self));
  g_return_if_fail (command != NULL);

  task = od_imap_op_new (self, OP_COMMAND, cancellable, callback, user_data);
  if (strpbrk (command, "\r\n") != NULL)
    {
      od_imap_op_refuse (task, OD_IMAP_ERROR_BAD_INPUT,
                         _("A command cannot contain a line break"));
      return;
    }

  od_imap_op_send_command (task, command, NULL);
}

/**
 * od_imap_session_capability_async:
 *
 * Sends CAPABILITY; afterwards od_imap_session_get_capabilities() has the answer.
 */
void
od_imap_session_capability_async (OdImapSession       *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  od_imap_session_command_async (self, "CAPABILITY", cancellable, callback, user_data);
}

static gboolean
socket_has_pending_input (OdImapSession *self)
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
  OdImapSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GIOStream) tls = NULL;
  GError *error = NULL;

  tls = od_tls_client_handshake_finish (OD_TLS_CLIENT (object), result, &error);
  if (tls == NULL)
    {
      /* An outdated TLS version is refused after the handshake: inside TLS already. */
      self->tls = od_tls_client_get_established (self->tls_client);
      od_imap_op_return_error (task, error);
      return;
    }

  self->tls = TRUE;
  g_set_object (&self->stream, tls);
  /* RFC 9051 §6.2.1: forget what was learned before TLS, and ask again. */
  g_clear_pointer (&self->capabilities, od_imap_capabilities_free);
  op->on_ok = NULL;
  od_imap_op_send_command (g_steal_pointer (&task), "CAPABILITY", NULL);
}

static void
starttls_ok_cb (GTask          *task,
                OdImapResponse *response)
{
  OdImapSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  /* Anything that arrived after the OK was sent before our TLS handshake, in plain text:
   * someone on the path is injecting responses (CVE-2011-0411 and its many relatives). */
  if (self->inbuf->len > 0 || !od_imap_response_parser_is_idle (self->parser) ||
      socket_has_pending_input (self))
    {
      g_byte_array_set_size (self->inbuf, 0);
      od_imap_response_parser_reset (self->parser);
      od_imap_op_refuse (g_object_ref (task), OD_IMAP_ERROR_STARTTLS_INJECTION,
                         _("Data arrived after the server agreed to start TLS and before the "
                           "encryption began"));
      return;
    }

  od_imap_response_parser_reset (self->parser);
  od_tls_client_handshake_async (self->tls_client, self->base_stream, op->cancellable,
                                 handshake_cb, g_object_ref (task));
}

/**
 * od_imap_session_starttls_async:
 *
 * Sends STARTTLS and, after the server's OK, performs the TLS handshake through the TLS
 * client and reads the capabilities again with CAPABILITY, whose completion is the result.
 * Refused without a word to the server when the session is already logged in (PREAUTH: the
 * server would have to be trusted without encryption) or STARTTLS is not offered.
 */
void
od_imap_session_starttls_async (OdImapSession       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (OD_IS_IMAP_SESSION (self));
  g_return_if_fail (!self->tls);
  g_return_if_fail (self->tls_client != NULL);

  task = od_imap_op_new (self, OP_STARTTLS, cancellable, callback, user_data);
  op = g_task_get_task_data (task);
  op->on_ok = starttls_ok_cb;

  if (self->authenticated)
    {
      od_imap_op_refuse (task, OD_IMAP_ERROR_PREAUTH,
                         _("The server logged in without a password before encryption "
                           "started (PREAUTH), so encryption cannot be started"));
      return;
    }

  if (self->capabilities != NULL && !self->capabilities->starttls)
    {
      od_imap_op_refuse (task, OD_IMAP_ERROR_NOT_OFFERED,
                         _("The server does not offer STARTTLS"));
      return;
    }

  od_imap_op_send_command (task, "STARTTLS", NULL);
}

/* A mailbox name as a quoted string; only ASCII names are ours to send. */
static char *
quote_mailbox (const char *mailbox)
{
  GString *str = g_string_new ("\"");

  for (const char *p = mailbox; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (str, '\\');
      g_string_append_c (str, *p);
    }
  g_string_append_c (str, '"');

  return g_string_free (str, FALSE);
}

static gboolean
mailbox_is_valid (const char *mailbox)
{
  for (const char *p = mailbox; *p; p++)
    {
      if ((guchar)*p < 0x20 || (guchar)*p >= 0x7f)
        return FALSE;
    }

  return mailbox[0] != '\0';
}

static void
mailbox_command (OdImapSession       *self,
                 const char          *verb,
                 const char          *mailbox,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autofree char *quoted = NULL;
  g_autofree char *command = NULL;
  GTask *task;

  task = od_imap_op_new (self, OP_COMMAND, cancellable, callback, user_data);
  if (!mailbox_is_valid (mailbox))
    {
      od_imap_op_refuse (task, OD_IMAP_ERROR_BAD_INPUT,
                         _("Not a mailbox name that can be sent"));
      return;
    }

  quoted = quote_mailbox (mailbox);
  command = g_strdup_printf ("%s %s", verb, quoted);
  od_imap_op_send_command (task, command, NULL);
}

/**
 * od_imap_session_select_async:
 * @mailbox: an ASCII mailbox name such as "INBOX"
 *
 * Opens @mailbox; afterwards od_imap_session_get_exists() has its number of messages.
 */
void
od_imap_session_select_async (OdImapSession       *self,
                              const char          *mailbox,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (OD_IS_IMAP_SESSION (self));
  g_return_if_fail (mailbox != NULL);

  self->exists = 0;
  mailbox_command (self, "SELECT", mailbox, cancellable, callback, user_data);
}

/**
 * od_imap_session_get_quota_root_async:
 * @mailbox: an ASCII mailbox name such as "INBOX"
 *
 * Sends GETQUOTAROOT (RFC 9208); afterwards od_imap_session_get_quota() has the first quota
 * reported. Refused without a word to the server when QUOTA is not offered.
 */
void
od_imap_session_get_quota_root_async (OdImapSession       *self,
                                      const char          *mailbox,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (OD_IS_IMAP_SESSION (self));
  g_return_if_fail (mailbox != NULL);

  self->has_quota = FALSE;
  memset (&self->quota, 0, sizeof self->quota);

  if (self->capabilities != NULL && !self->capabilities->quota)
    {
      od_imap_op_refuse (od_imap_op_new (self, OP_COMMAND, cancellable, callback, user_data),
                         OD_IMAP_ERROR_NOT_OFFERED, _("The server does not report quotas"));
      return;
    }

  mailbox_command (self, "GETQUOTAROOT", mailbox, cancellable, callback, user_data);
}

/**
 * od_imap_session_logout_async:
 *
 * Sends LOGOUT. The server's BYE is expected here; the result is the tagged OK, or the BYE
 * when the server hangs up without one.
 */
void
od_imap_session_logout_async (OdImapSession       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (OD_IS_IMAP_SESSION (self));

  od_imap_op_send_command (od_imap_op_new (self, OP_LOGOUT, cancellable, callback, user_data), "LOGOUT", NULL);
}

/**
 * od_imap_session_finish:
 *
 * Completes every operation of the session.
 *
 * Returns: (transfer full): the response that completed the operation, redacted; %NULL with
 *   @error set when it failed: an %OD_IMAP_ERROR for the server's refusals (its words as the
 *   message) and broken or oversized responses, %G_IO_ERROR_TIMED_OUT, %G_IO_ERROR_CANCELLED,
 *   or a TLS error
 */
OdImapResponse *
od_imap_session_finish (OdImapSession  *self,
                        GAsyncResult   *result,
                        GError        **error)
{
  g_return_val_if_fail (OD_IS_IMAP_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
