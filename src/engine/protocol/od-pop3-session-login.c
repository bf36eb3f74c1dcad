/* od-pop3-session-login.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-pop3-session"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-pop3-session-private.h"

/* Logging in over an OdPop3Session: AUTH PLAIN and LOGIN (RFC 5034), USER and PASS (RFC
 * 1939), and AUTH XOAUTH2 and OAUTHBEARER with an access token (RFC 7628). */

static char *
base64_string (const char *text)
{
  return g_base64_encode ((const guchar *)text, strlen (text));
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

/* RFC 5034: a challenge gets the next answer of the mechanism; "-ERR" and "+OK" end it. */
static void
auth_reply_cb (GTask       *task,
               OdPop3Reply *reply)
{
  OdPop3Session *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autofree char *encoded = NULL;

  if (od_pop3_reply_get_status (reply) != OD_POP3_STATUS_CONTINUATION)
    {
      od_pop3_op_expect_ok_cb (task, reply);
      return;
    }

  op->stage++;

  if (od_sasl_oauth_is_mechanism (op->mechanism) && op->stage == 1)
    encoded = od_sasl_oauth_response (op->mechanism, op->username, self->server_host,
                                      self->server_port, op->password);
  else if (od_sasl_oauth_is_mechanism (op->mechanism) && op->stage == 2)
    {
      /* A refused token: the challenge's JSON says why; the answer the mechanism requires
       * lets the server end with its "-ERR" (RFC 7628 §3.2.3). */
      g_clear_pointer (&self->oauth_error, od_sasl_oauth_error_free);
      self->oauth_error = od_sasl_oauth_error_parse (od_pop3_reply_get_text (reply));
      od_pop3_op_send_line (g_object_ref (task), od_sasl_oauth_error_reply (op->mechanism), NULL,
                            FALSE);
      return;
    }
  else if (g_str_equal (op->mechanism, "PLAIN") && op->stage == 1)
    encoded = plain_response (op->username, op->password);
  else if (g_str_equal (op->mechanism, "LOGIN") && op->stage <= 2)
    encoded = base64_string (op->stage == 1 ? op->username : op->password);

  if (encoded != NULL)
    {
      od_pop3_op_send_line (g_object_ref (task), encoded, OD_TRANSCRIPT_REDACTED, FALSE);
      memset (encoded, 0, strlen (encoded));
    }
  else
    {
      /* A challenge we did not expect: cancel the exchange as RFC 5034 §4 says. */
      od_pop3_op_send_line (g_object_ref (task), "*", NULL, FALSE);
    }
}

/* USER, then PASS (RFC 1939 §7). */
static void
user_reply_cb (GTask       *task,
               OdPop3Reply *reply)
{
  Op *op = g_task_get_task_data (task);
  g_autofree char *pass = NULL;

  if (op->stage > 0 || od_pop3_reply_get_status (reply) != OD_POP3_STATUS_OK)
    {
      od_pop3_op_expect_ok_cb (task, reply);
      return;
    }

  op->stage = 1;
  pass = g_strconcat ("PASS ", op->password, NULL);
  od_pop3_op_send_line (g_object_ref (task), pass, "PASS " OD_TRANSCRIPT_REDACTED, FALSE);
  memset (pass, 0, strlen (pass));
}

gboolean
od_pop3_session_supports_mechanism (const char *mechanism)
{
  return g_strcmp0 (mechanism, "PLAIN") == 0 ||
         g_strcmp0 (mechanism, "LOGIN") == 0 ||
         g_strcmp0 (mechanism, "USER") == 0 ||
         g_strcmp0 (mechanism, OD_SASL_XOAUTH2) == 0 ||
         g_strcmp0 (mechanism, OD_SASL_OAUTHBEARER) == 0;
}

/**
 * od_pop3_session_set_server:
 *
 * The server's name and port as the person gave them, which OAUTHBEARER names in its
 * response (RFC 7628 §3.1).
 */
void
od_pop3_session_set_server (OdPop3Session *self,
                            const char    *host,
                            guint16        port)
{
  g_return_if_fail (OD_IS_POP3_SESSION (self));

  g_free (self->server_host);
  self->server_host = g_strdup (host);
  self->server_port = port;
}

/**
 * od_pop3_session_get_oauth_error:
 *
 * Returns: (nullable): what the server's error challenge said when it refused the access
 *   token of the last XOAUTH2 or OAUTHBEARER login, or %NULL
 */
const OdSaslOAuthError *
od_pop3_session_get_oauth_error (OdPop3Session *self)
{
  g_return_val_if_fail (OD_IS_POP3_SESSION (self), NULL);
  return self->oauth_error;
}

/* Before anything is sent: input that would break the command line, and a password that
 * would travel in plain text. */
static gboolean
check_login (OdPop3Session  *self,
             const char     *username,
             const char     *password,
             GError        **error)
{
  if (strpbrk (username, "\r\n") != NULL || strpbrk (password, "\r\n") != NULL ||
      username[0] == '\0')
    {
      g_set_error_literal (error, OD_POP3_ERROR, OD_POP3_ERROR_BAD_INPUT,
                           _("The user name or password cannot be sent: it is empty or "
                             "contains a line break"));
      return FALSE;
    }

  if (!self->tls && !self->allow_plaintext)
    {
      g_set_error_literal (error, OD_POP3_ERROR, OD_POP3_ERROR_PLAINTEXT_REFUSED,
                           _("The password was not sent: the connection is not encrypted"));
      return FALSE;
    }

  return TRUE;
}

/**
 * od_pop3_session_login_async:
 * @mechanism: "PLAIN" or "LOGIN" (AUTH, RFC 5034), or "USER" (USER and PASS, RFC 1939), or
 *   "XOAUTH2" or "OAUTHBEARER" with an access token as @password
 *
 * Logs in. Over a connection without TLS nothing is sent unless
 * od_pop3_session_set_allow_plaintext_password() allowed it
 * (%OD_POP3_ERROR_PLAINTEXT_REFUSED). The password and its encodings are registered with
 * the transcript for redaction before anything is sent. The result is the final "+OK";
 * "-ERR" is an error (%OD_POP3_ERROR_AUTH for "[AUTH]", …).
 */
void
od_pop3_session_login_async (OdPop3Session       *self,
                             const char          *mechanism,
                             const char          *username,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *command = NULL;
  const char *shown = NULL;
  gboolean user = g_strcmp0 (mechanism, "USER") == 0;
  GError *error = NULL;
  GTask *task;
  Op *op;

  g_return_if_fail (OD_IS_POP3_SESSION (self));
  g_return_if_fail (od_pop3_session_supports_mechanism (mechanism));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  task = od_pop3_op_new (self, user ? OP_USER : OP_AUTH, user ? user_reply_cb : auth_reply_cb,
                         cancellable, callback, user_data);
  op = g_task_get_task_data (task);

  if (!check_login (self, username, password, &error))
    {
      od_pop3_op_return_error (task, error);
      g_object_unref (task);
      return;
    }

  op->mechanism = g_strdup (mechanism);
  op->username = g_strdup (username);
  op->password = g_strdup (password);
  od_transcript_add_secret (self->transcript, password);
  g_clear_pointer (&self->oauth_error, od_sasl_oauth_error_free);

  if (user)
    command = g_strconcat ("USER ", username, NULL);
  else if (g_str_equal (mechanism, "PLAIN"))
    {
      g_autofree char *encoded = plain_response (username, password);

      od_transcript_add_secret (self->transcript, encoded);
      if (strlen ("AUTH PLAIN \r\n") + strlen (encoded) <= MAX_AUTH_LINE)
        {
          command = g_strconcat ("AUTH PLAIN ", encoded, NULL);
          shown = "AUTH PLAIN " OD_TRANSCRIPT_REDACTED;
          op->stage = 1;
        }
      else
        command = g_strdup ("AUTH PLAIN");
      memset (encoded, 0, strlen (encoded));
    }
  else if (od_sasl_oauth_is_mechanism (mechanism))
    {
      g_autofree char *encoded = od_sasl_oauth_response (mechanism, username, self->server_host,
                                                         self->server_port, password);

      od_transcript_add_secret (self->transcript, encoded);
      /* RFC 5034 §4: the initial response only when the line stays within its limit. */
      if (strlen ("AUTH  \r\n") + strlen (mechanism) + strlen (encoded) <= MAX_AUTH_LINE)
        {
          command = g_strconcat ("AUTH ", mechanism, " ", encoded, NULL);
          shown = g_str_equal (mechanism, OD_SASL_XOAUTH2)
                  ? "AUTH XOAUTH2 " OD_TRANSCRIPT_REDACTED
                  : "AUTH OAUTHBEARER " OD_TRANSCRIPT_REDACTED;
          op->stage = 1;
        }
      else
        command = g_strconcat ("AUTH ", mechanism, NULL);
      memset (encoded, 0, strlen (encoded));
    }
  else
    command = g_strdup ("AUTH LOGIN");

  od_pop3_op_send_line (task, command, shown, FALSE);
  memset (command, 0, strlen (command));
}
