/* od-tls-client.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-tls-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "od-smtp-reply.h"
#include "od-tls-client.h"

/* The TLS side of a connection, for implicit TLS (the connector) and for STARTTLS (a
 * protocol session) alike: the handshake, our own verification of the certificate (GnuTLS,
 * the system's CAs plus the CA file, every failed check named), certificates the user pinned
 * for this host and port, and the refusal of anything older than TLS 1.2. What the
 * handshake showed stays here, also after a failure, for the diagnosis. */
struct _OdTlsClient
{
  GObject               parent_instance;

  /* Settings */
  char                 *host;
  char                 *ca_file;
  char                **pinned;
  guint16               port;

  /* Owned */
  OdTranscript         *transcript;

  /* Results */
  OdTlsInfo            *tls_info;
  char                 *peer_fingerprint;  /* of the certificate itself, for pins */
  GTlsCertificateFlags  errors;
  gboolean              established;
};

G_DEFINE_FINAL_TYPE (OdTlsClient, od_tls_client, G_TYPE_OBJECT)

static gboolean
accept_certificate_cb (GTlsConnection       *conn,
                       GTlsCertificate      *peer_cert,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  OdTlsClient *self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->tls_info);
  g_free (self->peer_fingerprint);
  self->peer_fingerprint = od_tls_certificate_fingerprint (peer_cert);
  self->tls_info = od_tls_info_new (peer_cert, self->host, self->ca_file, &error);

  /* GIO only promises at least one flag; our own check with GnuTLS names every failed one,
   * and it also trusts the CA file the user gave in addition to the system's. */
  self->errors = self->tls_info ? od_tls_info_get_errors (self->tls_info) : errors;
  if (self->tls_info != NULL && self->errors == 0)
    return TRUE;

  /* The pin is compared with the certificate itself, never with what was learnt about it. */
  if (od_tls_client_matches_pin (self))
    {
      od_transcript_append_localized (self->transcript, OD_TRANSCRIPT_INFO, FALSE,
                                      "Certificate accepted: it matches the fingerprint the "
                                      "user trusted",
                                      _("Certificate accepted: it matches the fingerprint "
                                        "you trusted"));
      return TRUE;
    }

  return FALSE;
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OdTlsClient *self = g_task_get_source_object (task);
  GTlsConnection *tls = G_TLS_CONNECTION (object);
  GTlsProtocolVersion version;
  GError *error = NULL;
  g_autofree char *info = NULL;
  g_autofree char *localized = NULL;
  g_autofree char *cipher = NULL;
  const char *protocol;

  if (!g_tls_connection_handshake_finish (tls, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  self->established = TRUE;

  if (self->peer_fingerprint == NULL || self->tls_info == NULL)
    {
      GTlsCertificate *peer = g_tls_connection_get_peer_certificate (tls);

      if (peer != NULL && self->peer_fingerprint == NULL)
        self->peer_fingerprint = od_tls_certificate_fingerprint (peer);
      if (peer != NULL && self->tls_info == NULL)
        self->tls_info = od_tls_info_new (peer, self->host, self->ca_file, NULL);
    }

  version = g_tls_connection_get_protocol_version (tls);
  /* (transfer full): the caller frees it. */
  cipher = g_tls_connection_get_ciphersuite_name (tls);
  if (self->tls_info != NULL)
    {
      od_tls_info_set_protocol (self->tls_info, version);
      od_tls_info_set_cipher (self->tls_info, cipher);
    }

  protocol = self->tls_info ? od_tls_info_get_protocol_name (self->tls_info) : "?";
  info = g_strdup_printf ("TLS started: %s, %s", protocol, cipher ? cipher : "?");
  /* Translators: a note in the transcript: "TLS started: TLS 1.3, TLS_AES_256_GCM_SHA384"
   * (the protocol, then the cipher suite) */
  localized = g_strdup_printf (_("TLS started: %s, %s"), protocol, cipher ? cipher : "?");
  od_transcript_append_localized (self->transcript, OD_TRANSCRIPT_INFO, TRUE, info, localized);

  /* GnuTLS still negotiates TLS 1.0 and 1.1 when a server offers nothing newer; RFC 8997
   * deprecates them for mail. */
  if (version == G_TLS_PROTOCOL_VERSION_SSL_3_0 ||
      version == G_TLS_PROTOCOL_VERSION_TLS_1_0 ||
      version == G_TLS_PROTOCOL_VERSION_TLS_1_1)
    {
      g_task_return_new_error (task, OD_SMTP_ERROR, OD_SMTP_ERROR_TLS_OUTDATED,
                               _("The server only offers an outdated TLS version"));
      return;
    }

  g_task_return_pointer (task, g_object_ref (tls), g_object_unref);
}

static void
od_tls_client_finalize (GObject *object)
{
  OdTlsClient *self = (OdTlsClient *)object;

  g_clear_object (&self->transcript);
  g_clear_object (&self->tls_info);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->pinned, g_strfreev);
  g_clear_pointer (&self->peer_fingerprint, g_free);

  G_OBJECT_CLASS (od_tls_client_parent_class)->finalize (object);
}

static void
od_tls_client_class_init (OdTlsClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = od_tls_client_finalize;
}

static void
od_tls_client_init (OdTlsClient *self)
{
}

/**
 * od_tls_client_new:
 * @host: the server's name as the user gave it: the certificate is checked against it and
 *   it is sent as SNI
 * @port: the server's port
 * @transcript: (nullable): where "TLS started" and accepted pins are recorded
 *
 * Returns: (transfer full): a TLS client for one connection to @host and @port
 */
OdTlsClient *
od_tls_client_new (const char   *host,
                   guint16       port,
                   OdTranscript *transcript)
{
  OdTlsClient *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (!transcript || OD_IS_TRANSCRIPT (transcript), NULL);

  self = g_object_new (OD_TYPE_TLS_CLIENT, NULL);
  self->host = g_strdup (host);
  self->port = port;
  self->transcript = transcript ? g_object_ref (transcript) : od_transcript_new ();

  return self;
}

const char *
od_tls_client_get_host (OdTlsClient *self)
{
  g_return_val_if_fail (OD_IS_TLS_CLIENT (self), NULL);
  return self->host;
}

/**
 * od_tls_client_set_ca_file:
 * @ca_file: (nullable): a PEM file of CA certificates trusted in addition to the system's
 */
void
od_tls_client_set_ca_file (OdTlsClient *self,
                           const char  *ca_file)
{
  g_return_if_fail (OD_IS_TLS_CLIENT (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

/**
 * od_tls_client_set_pinned_fingerprints:
 * @fingerprints: (nullable): SHA-256 fingerprints of certificates the user chose to trust
 *   for this host and port, in the form od_tls_info_get_fingerprint() returns
 *
 * A certificate that fails verification is accepted when it matches one of these. Whether a
 * certificate that verifies but matches none is acceptable is the caller's decision.
 */
void
od_tls_client_set_pinned_fingerprints (OdTlsClient        *self,
                                       const char * const *fingerprints)
{
  g_return_if_fail (OD_IS_TLS_CLIENT (self));

  g_strfreev (self->pinned);
  self->pinned = g_strdupv ((char **)fingerprints);
}

/**
 * od_tls_client_get_tls_info:
 *
 * Returns: (transfer none) (nullable): what the handshake showed, also after a failed
 *   handshake if the server presented a certificate
 */
OdTlsInfo *
od_tls_client_get_tls_info (OdTlsClient *self)
{
  g_return_val_if_fail (OD_IS_TLS_CLIENT (self), NULL);
  return self->tls_info;
}

/**
 * od_tls_client_get_peer_fingerprint:
 *
 * Returns: (nullable): the SHA-256 fingerprint of the certificate the server presented,
 *   computed from the certificate itself; %NULL before a handshake, or when it could not be
 *   computed (then no pin can match)
 */
const char *
od_tls_client_get_peer_fingerprint (OdTlsClient *self)
{
  g_return_val_if_fail (OD_IS_TLS_CLIENT (self), NULL);
  return self->peer_fingerprint;
}

/**
 * od_tls_client_matches_pin:
 *
 * Returns: whether the server's certificate is one the user pinned; %FALSE without pins and
 *   whenever the certificate's fingerprint is unknown (fail closed)
 */
gboolean
od_tls_client_matches_pin (OdTlsClient *self)
{
  g_return_val_if_fail (OD_IS_TLS_CLIENT (self), FALSE);

  return self->pinned != NULL && self->peer_fingerprint != NULL &&
         g_strv_contains ((const char * const *)self->pinned, self->peer_fingerprint);
}

/**
 * od_tls_client_get_errors:
 *
 * Returns: the verification failures of the certificate, whether or not a pin accepted it
 */
GTlsCertificateFlags
od_tls_client_get_errors (OdTlsClient *self)
{
  g_return_val_if_fail (OD_IS_TLS_CLIENT (self), 0);
  return self->errors;
}

/**
 * od_tls_client_get_established:
 *
 * Returns: whether a handshake completed, even one that was then refused as outdated
 */
gboolean
od_tls_client_get_established (OdTlsClient *self)
{
  g_return_val_if_fail (OD_IS_TLS_CLIENT (self), FALSE);
  return self->established;
}

/**
 * od_tls_client_handshake_async:
 * @base: the plain connection to encrypt
 * @cancellable: (nullable): stops the handshake; the caller owns its deadline
 *
 * Wraps @base in TLS and performs the handshake.
 */
void
od_tls_client_handshake_async (OdTlsClient         *self,
                               GIOStream           *base,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GIOStream) tls = NULL;
  GError *error = NULL;

  g_return_if_fail (OD_IS_TLS_CLIENT (self));
  g_return_if_fail (G_IS_IO_STREAM (base));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, od_tls_client_handshake_async);
  /* The caller tells a time-out from a cancellation by its own deadline. */
  g_task_set_check_cancellable (task, FALSE);

  identity = g_network_address_new (self->host, self->port);
  tls = g_tls_client_connection_new (base, identity, &error);
  if (tls == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_signal_connect_object (tls, "accept-certificate", G_CALLBACK (accept_certificate_cb),
                           self, 0);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, cancellable,
                                    handshake_cb, g_steal_pointer (&task));
}

/**
 * od_tls_client_handshake_finish:
 *
 * Returns: (transfer full): the encrypted stream, or %NULL with @error: a #GTlsError (a
 *   certificate that was not accepted is %G_TLS_ERROR_BAD_CERTIFICATE), an I/O error,
 *   %G_IO_ERROR_CANCELLED, or %OD_SMTP_ERROR_TLS_OUTDATED
 */
GIOStream *
od_tls_client_handshake_finish (OdTlsClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (OD_IS_TLS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
