/* od-tls-info.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "od-types.h"

G_BEGIN_DECLS

#define OD_TYPE_TLS_INFO (od_tls_info_get_type ())

G_DECLARE_FINAL_TYPE (OdTlsInfo, od_tls_info, OD, TLS_INFO, GObject)

OdTlsInfo            *od_tls_info_new                (GTlsCertificate     *peer_chain,
                                                      const char          *hostname,
                                                      const char          *ca_file,
                                                      GError             **error);
void                  od_tls_info_set_protocol       (OdTlsInfo           *self,
                                                      GTlsProtocolVersion  version);
GTlsProtocolVersion   od_tls_info_get_protocol       (OdTlsInfo           *self);
const char           *od_tls_info_get_protocol_name  (OdTlsInfo           *self);
void                  od_tls_info_set_cipher         (OdTlsInfo           *self,
                                                      const char          *cipher);
const char           *od_tls_info_get_cipher         (OdTlsInfo           *self);
const char           *od_tls_info_get_subject        (OdTlsInfo           *self);
const char           *od_tls_info_get_issuer         (OdTlsInfo           *self);
const char * const   *od_tls_info_get_names          (OdTlsInfo           *self);
GDateTime            *od_tls_info_get_not_before     (OdTlsInfo           *self);
GDateTime            *od_tls_info_get_not_after      (OdTlsInfo           *self);
const char           *od_tls_info_get_fingerprint    (OdTlsInfo           *self);
GTlsCertificateFlags  od_tls_info_get_errors         (OdTlsInfo           *self);
char                **od_tls_info_describe_errors    (OdTlsInfo           *self);
JsonNode             *od_tls_info_to_json            (OdTlsInfo           *self);
const char           *od_tls_info_get_hostname       (OdTlsInfo           *self);
gboolean              od_tls_info_get_verified       (OdTlsInfo           *self);
const char           *od_tls_info_error_to_id        (GTlsCertificateFlags flag);

gboolean              od_tls_ca_file_check           (const char          *ca_file,
                                                      GError             **error);
char                 *od_tls_certificate_fingerprint (GTlsCertificate     *certificate);

G_END_DECLS
