/* od-imap-session-login.c
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

/* Our own arguments: a user name or password longer than this is a mistake. */
#define MAX_ARGUMENT_LENGTH   4096
/* RFC 7888 §4: LITERAL- allows non-synchronizing literals up to this size. */
#define LITERAL_MINUS_MAX     4096

/* Logging in over an OdImapSession: AUTHENTICATE PLAIN and LOGIN, and the LOGIN command
 * with its arguments quoted or sent as literals. */

/* Appends @text as an IMAP astring argument: a quoted string when it is plain ASCII, else a
 * literal — non-synchronizing when the server allows it, else the end of a segment, after
 * which the server's "+" is awaited. */
static void
append_argument (GPtrArray  *segments,
                 GString    *segment,
                 const char *text,
                 gboolean    literal_plus,
                 gboolean    literal_minus)
{
  gsize len = strlen (text);
  gboolean quotable = TRUE;

  for (const char *p = text; *p && quotable; p++)
    quotable = (guchar)*p >= 0x20 && (guchar)*p < 0x7f;

  if (quotable)
    {
      g_string_append_c (segment, '"');
      for (const char *p = text; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (segment, '\\');
          g_string_append_c (segment, *p);
        }
      g_string_append_c (segment, '"');
      return;
    }

  if (literal_plus || (literal_minus && len <= LITERAL_MINUS_MAX))
    {
      g_string_append_printf (segment, "{%" G_GSIZE_FORMAT "+}\r\n", len);
      g_string_append (segment, text);
      return;
    }

  g_string_append_printf (segment, "{%" G_GSIZE_FORMAT "}\r\n", len);
  g_ptr_array_add (segments, g_strndup (segment->str, segment->len));
  memset (segment->str, 0, segment->len);
  g_string_truncate (segment, 0);
  g_string_append (segment, text);
}

/**
 * od_imap_login_arguments:
 * @literal_plus: the server offers LITERAL+
 * @literal_minus: the server offers LITERAL-
 *
 * The arguments of the LOGIN command (RFC 9051 §6.2.3): each a quoted string with '"' and
 * '\' escaped, or a literal for 8-bit text or line breaks.
 *
 * Returns: (transfer full) (element-type utf8): what to send after "TAG LOGIN ", in pieces:
 *   every piece but the last ends with a synchronizing literal's "{n}\r\n" and waits for the
 *   server's "+"; the last ends with "\r\n". Wiped when freed. %NULL with @error set when an
 *   argument is too long.
 */
GPtrArray *
od_imap_login_arguments (const char  *username,
                         const char  *password,
                         gboolean     literal_plus,
                         gboolean     literal_minus,
                         GError     **error)
{
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func (od_imap_wipe_and_free);
  GString *segment;

  g_return_val_if_fail (username != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  if (strlen (username) > MAX_ARGUMENT_LENGTH || strlen (password) > MAX_ARGUMENT_LENGTH)
    {
      g_set_error_literal (error, OD_IMAP_ERROR, OD_IMAP_ERROR_BAD_INPUT,
                           _("The user name or password is too long"));
      return NULL;
    }

  segment = g_string_new (NULL);
  append_argument (segments, segment, username, literal_plus, literal_minus);
  g_string_append_c (segment, ' ');
  append_argument (segments, segment, password, literal_plus, literal_minus);
  g_string_append (segment, "\r\n");
  g_ptr_array_add (segments, g_strndup (segment->str, segment->len));
  memset (segment->str, 0, segment->len);
  g_string_free (segment, TRUE);

  return g_steal_pointer (&segments);
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
login_ok_cb (GTask          *task,
             OdImapResponse *response)
{
  OdImapSession *self = g_task_get_source_object (task);

  self->authenticated = TRUE;
  od_imap_op_return_response (task, self->last_response);
}

/* The next piece of LOGIN after a synchronizing literal's "+". */
static void
login_continuation_cb (GTask          *task,
                       OdImapResponse *response)
{
  Op *op = g_task_get_task_data (task);

  if (op->pending == NULL || op->stage >= op->pending->len)
    {
      od_imap_op_return_error (task, od_imap_protocol_error (_("The server asked for more than "
                                                               "the command has")));
      return;
    }

  od_imap_op_send_text (g_object_ref (task), g_ptr_array_index (op->pending, op->stage++),
             OD_TRANSCRIPT_REDACTED);
}

static gboolean
is_oauth (OdImapLogin method)
{
  return method == OD_IMAP_LOGIN_XOAUTH2 || method == OD_IMAP_LOGIN_OAUTHBEARER;
}

static const char *
mechanism_of (OdImapLogin method)
{
  switch (method)
    {
    case OD_IMAP_LOGIN_PLAIN:
      return "PLAIN";
    case OD_IMAP_LOGIN_XOAUTH2:
      return OD_SASL_XOAUTH2;
    case OD_IMAP_LOGIN_OAUTHBEARER:
      return OD_SASL_OAUTHBEARER;
    case OD_IMAP_LOGIN_LOGIN:
    case OD_IMAP_LOGIN_COMMAND:
    default:
      return "LOGIN";
    }
}

static char *
oauth_response (OdImapSession *self,
                Op            *op)
{
  return od_sasl_oauth_response (mechanism_of (op->method), op->username, self->server_host,
                                 self->server_port, op->password);
}

/* The answers of AUTHENTICATE: PLAIN's blob, LOGIN's user name then password, the OAuth
 * response and, after a refused token's error challenge, the answer the mechanism requires;
 * anything else asked is cancelled with "*" (RFC 9051 §6.2.2), which the server answers
 * with BAD. */
static void
authenticate_continuation_cb (GTask          *task,
                              OdImapResponse *response)
{
  OdImapSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autofree char *answer = NULL;

  op->stage++;
  if (is_oauth (op->method) && op->stage == 1)
    answer = oauth_response (self, op);
  else if (is_oauth (op->method) && op->stage == 2)
    {
      g_clear_pointer (&self->oauth_error, od_sasl_oauth_error_free);
      self->oauth_error = od_sasl_oauth_error_parse (od_imap_response_get_text (response));
      od_imap_op_send_line (g_object_ref (task), od_sasl_oauth_error_reply (mechanism_of (op->method)),
                            NULL);
      return;
    }
  else if (op->method == OD_IMAP_LOGIN_PLAIN && op->stage == 1)
    answer = plain_response (op->username, op->password);
  else if (op->method == OD_IMAP_LOGIN_LOGIN && op->stage <= 2)
    {
      const char *text = op->stage == 1 ? op->username : op->password;

      answer = g_base64_encode ((const guchar *)text, strlen (text));
    }

  if (answer == NULL)
    {
      od_imap_op_send_line (g_object_ref (task), "*", NULL);
      return;
    }

  od_imap_op_send_line (g_object_ref (task), answer, OD_TRANSCRIPT_REDACTED);
  memset (answer, 0, strlen (answer));
}

static void
start_authenticate (GTask *task)
{
  OdImapSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  const char *mechanism = mechanism_of (op->method);
  g_autofree char *command = NULL;
  g_autofree char *shown = NULL;

  op->on_continuation = authenticate_continuation_cb;

  if (self->capabilities != NULL && !od_imap_capabilities_has_auth (self->capabilities, mechanism))
    {
      od_imap_op_refuse (task, OD_IMAP_ERROR_NOT_OFFERED,
                         _("The server does not offer this way of logging in"));
      return;
    }

  /* RFC 4959: with SASL-IR the blob goes on the command line, saving a round trip. */
  if (is_oauth (op->method) && self->capabilities && self->capabilities->sasl_ir)
    {
      g_autofree char *encoded = oauth_response (self, op);

      command = g_strdup_printf ("AUTHENTICATE %s %s", mechanism, encoded);
      memset (encoded, 0, strlen (encoded));
      shown = g_strdup_printf ("AUTHENTICATE %s " OD_TRANSCRIPT_REDACTED, mechanism);
      op->stage = 1;
    }
  else if (op->method == OD_IMAP_LOGIN_PLAIN && self->capabilities && self->capabilities->sasl_ir)
    {
      g_autofree char *encoded = plain_response (op->username, op->password);

      command = g_strdup_printf ("AUTHENTICATE PLAIN %s", encoded);
      memset (encoded, 0, strlen (encoded));
      shown = g_strdup ("AUTHENTICATE PLAIN " OD_TRANSCRIPT_REDACTED);
      op->stage = 1;
    }
  else
    command = g_strdup_printf ("AUTHENTICATE %s", mechanism);

  od_imap_op_send_command (task, command, shown);
  memset (command, 0, strlen (command));
}

static void
start_login_command (GTask *task)
{
  OdImapSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  const OdImapCapabilities *caps = self->capabilities;
  g_autofree char *command = NULL;
  GError *error = NULL;

  op->pending = od_imap_login_arguments (op->username, op->password,
                                         caps && caps->literal_plus, caps && caps->literal_minus,
                                         &error);
  if (op->pending == NULL)
    {
      od_imap_op_return_error (task, error);
      g_object_unref (task);
      return;
    }

  /* The first piece goes with the tag; the others after each "+". The line ends are in the
   * pieces already. */
  op->on_continuation = login_continuation_cb;
  g_free (op->tag);
  op->tag = g_strdup_printf ("A%u", self->next_tag++);
  command = g_strdup_printf ("%s LOGIN %s", op->tag, (char *)g_ptr_array_index (op->pending, 0));
  op->stage = 1;

  {
    g_autofree char *shown = g_strdup_printf ("%s LOGIN " OD_TRANSCRIPT_REDACTED, op->tag);

    od_imap_op_send_text (task, command, shown);
  }
  memset (command, 0, strlen (command));
}

static void
add_secrets (OdImapSession *self,
             const char    *username,
             const char    *password)
{
  g_autofree char *blob = plain_response (username, password);
  g_autoptr(GPtrArray) quoted = od_imap_login_arguments ("", password, TRUE, TRUE, NULL);

  od_transcript_add_secret (self->transcript, password);
  od_transcript_add_secret (self->transcript, blob);
  memset (blob, 0, strlen (blob));

  /* The password as LOGIN quotes it (pa\"ss inside the quotes of "" "pa\"ss"), should a
   * server echo it. */
  if (quoted != NULL && quoted->len == 1)
    {
      const char *args = g_ptr_array_index (quoted, 0);
      gsize len = strlen (args);

      if (len >= 3 + 2 + 2 && args[3] == '"')
        {
          g_autofree char *inner = g_strndup (args + 4, len - 4 - 3);

          if (!g_str_equal (inner, password))
            od_transcript_add_secret (self->transcript, inner);
          memset (inner, 0, strlen (inner));
        }
    }
}

/**
 * od_imap_session_login_async:
 * @method: AUTHENTICATE PLAIN, AUTHENTICATE LOGIN, the LOGIN command, or AUTHENTICATE
 *   XOAUTH2 or OAUTHBEARER (@password is then the access token)
 *
 * Logs in. The password and its encodings are registered with the transcript for redaction
 * before anything is sent. Refused without a word to the server when the server announced
 * LOGINDISABLED (RFC 9051 §6.2.3: no password may be sent on this connection) or, when the
 * capabilities are known, does not offer the mechanism. The result is the tagged OK.
 */
void
od_imap_session_login_async (OdImapSession       *self,
                             OdImapLogin          method,
                             const char          *username,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (OD_IS_IMAP_SESSION (self));
  g_return_if_fail (method <= OD_IMAP_LOGIN_OAUTHBEARER);
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  task = od_imap_op_new (self, OP_LOGIN, cancellable, callback, user_data);
  op = g_task_get_task_data (task);
  op->on_ok = login_ok_cb;
  op->method = method;
  op->username = g_strdup (username);
  op->password = g_strdup (password);

  if (self->capabilities != NULL && self->capabilities->login_disabled)
    {
      od_imap_op_refuse (task, OD_IMAP_ERROR_LOGIN_DISABLED,
                         _("The server does not accept a password on this connection "
                           "(LOGINDISABLED): encryption must be started first"));
      return;
    }

  add_secrets (self, username, password);
  g_clear_pointer (&self->oauth_error, od_sasl_oauth_error_free);
  if (is_oauth (method))
    {
      g_autofree char *encoded = oauth_response (self, op);

      od_transcript_add_secret (self->transcript, encoded);
      memset (encoded, 0, strlen (encoded));
    }

  if (method == OD_IMAP_LOGIN_COMMAND)
    start_login_command (task);
  else
    start_authenticate (task);
}

/**
 * od_imap_session_set_server:
 *
 * The server's name and port as the person gave them, which OAUTHBEARER names in its
 * response (RFC 7628 §3.1).
 */
void
od_imap_session_set_server (OdImapSession *self,
                            const char    *host,
                            guint16        port)
{
  g_return_if_fail (OD_IS_IMAP_SESSION (self));

  g_free (self->server_host);
  self->server_host = g_strdup (host);
  self->server_port = port;
}

/**
 * od_imap_session_get_oauth_error:
 *
 * Returns: (nullable): what the server's error challenge said when it refused the access
 *   token of the last XOAUTH2 or OAUTHBEARER login, or %NULL
 */
const OdSaslOAuthError *
od_imap_session_get_oauth_error (OdImapSession *self)
{
  g_return_val_if_fail (OD_IS_IMAP_SESSION (self), NULL);
  return self->oauth_error;
}
