/* od-tls-client.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-tls-info.h"
#include "od-transcript.h"

G_BEGIN_DECLS

#define OD_TYPE_TLS_CLIENT (od_tls_client_get_type ())

G_DECLARE_FINAL_TYPE (OdTlsClient, od_tls_client, OD, TLS_CLIENT, GObject)

OdTlsClient          *od_tls_client_new                      (const char          *host,
                                                              guint16              port,
                                                              OdTranscript        *transcript);
const char           *od_tls_client_get_host                 (OdTlsClient         *self);
void                  od_tls_client_set_ca_file              (OdTlsClient         *self,
                                                              const char          *ca_file);
void                  od_tls_client_set_pinned_fingerprints  (OdTlsClient         *self,
                                                              const char * const  *fingerprints);
OdTlsInfo            *od_tls_client_get_tls_info             (OdTlsClient         *self);
GTlsCertificateFlags  od_tls_client_get_errors               (OdTlsClient         *self);
const char           *od_tls_client_get_peer_fingerprint     (OdTlsClient         *self);
gboolean              od_tls_client_matches_pin              (OdTlsClient         *self);
gboolean              od_tls_client_get_established          (OdTlsClient         *self);

void                  od_tls_client_handshake_async          (OdTlsClient         *self,
                                                              GIOStream           *base,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
GIOStream            *od_tls_client_handshake_finish         (OdTlsClient         *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);

G_END_DECLS
