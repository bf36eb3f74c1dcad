/* od-encryption-sniff.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-encryption-sniff"

#include "config.h"

#include "od-deadline.h"
#include "od-encryption-sniff.h"
#include "od-imap-session.h"
#include "od-pop3-session.h"
#include "od-smtp-session.h"

/* Tells a port that expects the other encryption mode from a server that is simply broken,
 * on a second, short connection that is not part of the conversation: a port that greets
 * nobody in plain text but answers a TLS handshake is an implicit-TLS port (465) set up as
 * STARTTLS; a port whose TLS handshake fails but that greets in plain text expects STARTTLS.
 * Nothing is sent over this connection but the handshake. */

typedef struct
{
  OdDeadline        *deadline;
  GSocketConnection *connection;
  OdSmtpSession     *session;
  OdImapSession     *imap;
  OdPop3Session     *pop3;
  GIOStream         *tls;
  char              *host;
  guint16            port;
  OdSniffMode        mode;
  OdProtocol         protocol;
} Sniff;

static void
sniff_free (Sniff *sniff)
{
  if (sniff->tls != NULL)
    g_io_stream_close_async (sniff->tls, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  else if (sniff->connection != NULL)
    g_io_stream_close_async (G_IO_STREAM (sniff->connection), G_PRIORITY_DEFAULT, NULL, NULL,
                             NULL);
  if (sniff->session != NULL)
    od_smtp_session_close (sniff->session);
  if (sniff->imap != NULL)
    od_imap_session_close (sniff->imap);
  if (sniff->pop3 != NULL)
    od_pop3_session_close (sniff->pop3);
  g_clear_object (&sniff->session);
  g_clear_object (&sniff->imap);
  g_clear_object (&sniff->pop3);
  g_clear_object (&sniff->tls);
  g_clear_object (&sniff->connection);
  g_clear_pointer (&sniff->deadline, od_deadline_free);
  g_free (sniff->host);
  g_free (sniff);
}

static void
reply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(OdSmtpReply) reply = od_smtp_session_reply_finish (OD_SMTP_SESSION (object), result,
                                                                NULL);

  g_task_return_boolean (task, reply != NULL);
}

/* An IMAP or POP3 greeting ("* OK", "+OK"): the port speaks plain text. */
static void
incoming_greeting_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Sniff *sniff = g_task_get_task_data (task);
  g_autoptr(OdImapResponse) response = NULL;
  g_autoptr(OdPop3Reply) reply = NULL;

  if (sniff->imap != NULL)
    response = od_imap_session_finish (sniff->imap, result, NULL);
  else
    reply = od_pop3_session_reply_finish (sniff->pop3, result, NULL);

  g_task_return_boolean (task, response != NULL || reply != NULL);
}

/* Reads a greeting of the sniff's protocol in plain text. */
static void
read_plain_greeting (Sniff *sniff,
                     GTask *task)
{
  GIOStream *stream = G_IO_STREAM (sniff->connection);
  GCancellable *cancellable = od_deadline_get_cancellable (sniff->deadline);
  guint timeout_ms = od_deadline_get_timeout (sniff->deadline);

  /* Throw-away transcripts: this connection is not part of the conversation. */
  switch (sniff->protocol)
    {
    case OD_PROTOCOL_IMAP:
      sniff->imap = od_imap_session_new (stream, NULL, NULL);
      od_imap_session_set_timeout (sniff->imap, timeout_ms);
      od_imap_session_read_greeting_async (sniff->imap, cancellable, incoming_greeting_cb, task);
      break;

    case OD_PROTOCOL_POP3:
      sniff->pop3 = od_pop3_session_new (stream, NULL, NULL);
      od_pop3_session_set_timeout (sniff->pop3, timeout_ms);
      od_pop3_session_read_greeting_async (sniff->pop3, cancellable, incoming_greeting_cb, task);
      break;

    case OD_PROTOCOL_SMTP:
    default:
      sniff->session = od_smtp_session_new (stream, NULL, NULL);
      od_smtp_session_set_timeout (sniff->session, timeout_ms);
      od_smtp_session_read_reply_async (sniff->session, cancellable, reply_cb, task);
      break;
    }
}

static gboolean
accept_any_certificate_cb (GTlsConnection       *conn,
                           GTlsCertificate      *peer,
                           GTlsCertificateFlags  errors,
                           gpointer              user_data)
{
  /* We only want to know whether the server speaks TLS; nothing is sent over this link. */
  return TRUE;
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  g_task_return_boolean (task, g_tls_connection_handshake_finish (G_TLS_CONNECTION (object),
                                                                  result, NULL));
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Sniff *sniff = g_task_get_task_data (task);
  GCancellable *cancellable = od_deadline_get_cancellable (sniff->deadline);
  g_autoptr(GSocketConnectable) identity = NULL;

  sniff->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, NULL);
  if (sniff->connection == NULL)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  if (sniff->mode == OD_SNIFF_PLAIN)
    {
      read_plain_greeting (sniff, g_steal_pointer (&task));
      return;
    }

  identity = g_network_address_new (sniff->host, sniff->port);
  sniff->tls = g_tls_client_connection_new (G_IO_STREAM (sniff->connection), identity, NULL);
  if (sniff->tls == NULL)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  g_signal_connect (sniff->tls, "accept-certificate", G_CALLBACK (accept_any_certificate_cb),
                    NULL);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (sniff->tls), G_PRIORITY_DEFAULT,
                                    cancellable, handshake_cb, g_steal_pointer (&task));
}

/**
 * od_encryption_sniff_explains:
 * @error: how an implicit-TLS handshake failed
 *
 * Whether a plain-text sniff (%OD_SNIFF_PLAIN) can explain @error: the handshake broke off
 * without a word about the certificate or the TLS version (the peer was not TLS, sent an
 * alert, or closed or reset the connection). Such a failure is encryption-mismatch only if
 * the port greets in plain text on a second connection; otherwise the handshake failed.
 */
gboolean
od_encryption_sniff_explains (const GError *error)
{
  if (error == NULL)
    return FALSE;

  if (error->domain == G_TLS_ERROR)
    return error->code == G_TLS_ERROR_NOT_TLS || error->code == G_TLS_ERROR_MISC ||
           error->code == G_TLS_ERROR_EOF;

  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_FAILED);
}

/**
 * od_encryption_sniff_async:
 * @remote: the address the conversation is connected to
 * @host: the server's name, for TLS
 * @port: the server's port, for TLS
 * @mode: what to try on the second connection
 * @timeout_ms: the deadline of the whole sniff (connecting, then the greeting or the
 *   handshake); the caller bounds it by what is left of its own run
 * @cancellable: (nullable): the run's cancellable
 *
 * Opens a second connection to @remote and tries the other encryption mode: does it greet
 * in plain text (%OD_SNIFF_PLAIN), or answer a TLS handshake (%OD_SNIFF_TLS)?
 */
void
od_encryption_sniff_async (GSocketConnectable  *remote,
                           const char          *host,
                           guint16              port,
                           OdSniffMode          mode,
                           guint                timeout_ms,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  od_encryption_sniff_for_protocol_async (remote, host, port, mode, OD_PROTOCOL_SMTP,
                                          timeout_ms, cancellable, callback, user_data);
}

/**
 * od_encryption_sniff_for_protocol_async:
 * @protocol: whose greeting %OD_SNIFF_PLAIN waits for: SMTP's "220", IMAP's "* OK" or
 *   POP3's "+OK"
 *
 * As od_encryption_sniff_async(), for the server of @protocol.
 */
void
od_encryption_sniff_for_protocol_async (GSocketConnectable  *remote,
                                        const char          *host,
                                        guint16              port,
                                        OdSniffMode          mode,
                                        OdProtocol           protocol,
                                        guint                timeout_ms,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  GTask *task;
  Sniff *sniff;

  g_return_if_fail (G_IS_SOCKET_CONNECTABLE (remote));
  g_return_if_fail (host != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, od_encryption_sniff_async);
  g_task_set_check_cancellable (task, FALSE);

  sniff = g_new0 (Sniff, 1);
  sniff->deadline = od_deadline_new (cancellable, timeout_ms, "[od] sniff deadline");
  sniff->host = g_strdup (host);
  sniff->port = port;
  sniff->mode = mode;
  sniff->protocol = protocol;
  g_task_set_task_data (task, sniff, (GDestroyNotify)sniff_free);

  g_socket_client_connect_async (client, remote, od_deadline_get_cancellable (sniff->deadline),
                                 connect_cb, task);
}

/**
 * od_encryption_sniff_finish:
 *
 * Returns: whether the port answered in the other mode: the security setting does not
 *   match the port
 */
gboolean
od_encryption_sniff_finish (GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), NULL);
}
