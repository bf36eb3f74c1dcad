/* od-discovery-source.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "od-types.h"

G_BEGIN_DECLS

/**
 * OdSourceKind:
 * @OD_SOURCE_PROVIDER_DB: the provider database shipped with the app, by domain
 * @OD_SOURCE_AUTOCONFIG: `autoconfig.<domain>/mail/config-v1.1.xml`
 * @OD_SOURCE_WELL_KNOWN: `<domain>/.well-known/autoconfig/mail/config-v1.1.xml`
 * @OD_SOURCE_SRV: DNS SRV records `_submissions._tcp` and `_submission._tcp` (RFC 6186)
 * @OD_SOURCE_MX: the domain's MX records matched against the provider database
 * @OD_SOURCE_GUESS: `smtp.`, `mail.` and the bare domain on the usual ports
 *
 * Where a candidate setting came from, in the order of trust (most trusted first).
 */
typedef enum
{
  OD_SOURCE_PROVIDER_DB,
  OD_SOURCE_AUTOCONFIG,
  OD_SOURCE_WELL_KNOWN,
  OD_SOURCE_SRV,
  OD_SOURCE_MX,
  OD_SOURCE_GUESS,
  OD_N_SOURCES
} OdSourceKind;

/**
 * OdSourceFlags:
 *
 * A set of sources, for od_discovery_set_sources(). Bit n is #OdSourceKind n.
 */
typedef enum
{
  OD_SOURCE_FLAG_PROVIDER_DB = 1 << OD_SOURCE_PROVIDER_DB,
  OD_SOURCE_FLAG_AUTOCONFIG  = 1 << OD_SOURCE_AUTOCONFIG,
  OD_SOURCE_FLAG_WELL_KNOWN  = 1 << OD_SOURCE_WELL_KNOWN,
  OD_SOURCE_FLAG_SRV         = 1 << OD_SOURCE_SRV,
  OD_SOURCE_FLAG_MX          = 1 << OD_SOURCE_MX,
  OD_SOURCE_FLAG_GUESS       = 1 << OD_SOURCE_GUESS,
  OD_SOURCE_FLAG_ALL         = (1 << OD_N_SOURCES) - 1,
} OdSourceFlags;

/**
 * OdSourceStatus:
 * @OD_SOURCE_STATUS_PENDING: not finished yet
 * @OD_SOURCE_STATUS_FOUND: it gave at least one outgoing server
 * @OD_SOURCE_STATUS_NONE: it answered, with nothing usable (or was not needed)
 * @OD_SOURCE_STATUS_ERROR: it failed (network error, time-out, invalid document)
 */
typedef enum
{
  OD_SOURCE_STATUS_PENDING,
  OD_SOURCE_STATUS_FOUND,
  OD_SOURCE_STATUS_NONE,
  OD_SOURCE_STATUS_ERROR,
} OdSourceStatus;

#define OD_TYPE_DISCOVERY_SOURCE (od_discovery_source_get_type ())

G_DECLARE_FINAL_TYPE (OdDiscoverySource, od_discovery_source, OD, DISCOVERY_SOURCE, GObject)

OdDiscoverySource *od_discovery_source_new            (OdSourceKind        kind);
OdDiscoverySource *od_discovery_source_new_for_protocol (OdSourceKind   kind,
                                                         OdProtocol     protocol);
OdProtocol         od_discovery_source_get_protocol   (OdDiscoverySource  *self);
OdSourceKind       od_discovery_source_get_kind       (OdDiscoverySource  *self);
OdSourceStatus     od_discovery_source_get_status     (OdDiscoverySource  *self);
const char        *od_discovery_source_get_detail     (OdDiscoverySource  *self);
gint64             od_discovery_source_get_elapsed_ms (OdDiscoverySource  *self);
void               od_discovery_source_finish         (OdDiscoverySource  *self,
                                                       OdSourceStatus      status,
                                                       const char         *detail,
                                                       gint64              elapsed_ms);
void               od_discovery_source_stop           (OdDiscoverySource  *self,
                                                       OdSourceStatus      status,
                                                       const char         *detail,
                                                       gint64              elapsed_ms);
gboolean           od_discovery_source_get_stopped    (OdDiscoverySource  *self);

const char        *od_source_kind_to_string           (OdSourceKind        kind);
const char        *od_source_kind_get_title           (OdSourceKind        kind);
const char        *od_source_status_to_string         (OdSourceStatus      status);

G_END_DECLS
