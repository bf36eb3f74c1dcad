/* od-probe.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-lookup-cache.h"
#include "od-problem.h"
#include "od-tls-info.h"
#include "od-types.h"

G_BEGIN_DECLS

/**
 * OdProbeStatus:
 * @OD_PROBE_OK: a mail server answered, with verified encryption
 * @OD_PROBE_REFUSED: nothing listens on the port
 * @OD_PROBE_TIMEOUT: no answer within the deadline (connect, TLS or a reply)
 * @OD_PROBE_TLS_ERROR: the certificate was not accepted, or TLS failed
 * @OD_PROBE_NO_SMTP: something answered that is not an SMTP server
 * @OD_PROBE_UNREACHABLE: no route to the host
 * @OD_PROBE_DNS_ERROR: the host name could not be looked up
 * @OD_PROBE_ERROR: any other failure (see the problem)
 *
 * How a probe ended.
 */
typedef enum
{
  OD_PROBE_OK,
  OD_PROBE_REFUSED,
  OD_PROBE_TIMEOUT,
  OD_PROBE_TLS_ERROR,
  OD_PROBE_NO_SMTP,
  OD_PROBE_UNREACHABLE,
  OD_PROBE_DNS_ERROR,
  OD_PROBE_ERROR,
} OdProbeStatus;

#define OD_TYPE_PROBE (od_probe_get_type ())

G_DECLARE_FINAL_TYPE (OdProbe, od_probe, OD, PROBE, GObject)

OdProbe            *od_probe_new                     (const char            *host,
                                                      guint16                port,
                                                      OdSecurity             security);
const char         *od_probe_get_host                (OdProbe               *self);
guint16             od_probe_get_port                (OdProbe               *self);
OdSecurity          od_probe_get_security            (OdProbe               *self);
void                od_probe_set_protocol            (OdProbe               *self,
                                                      OdProtocol             protocol);
OdProtocol          od_probe_get_protocol            (OdProbe               *self);
void                od_probe_set_timeout             (OdProbe               *self,
                                                      guint                  timeout_ms);
void                od_probe_set_ca_file             (OdProbe               *self,
                                                      const char            *ca_file);
void                od_probe_set_pinned_fingerprints (OdProbe               *self,
                                                      const char * const    *fingerprints);
void                od_probe_set_connect_port        (OdProbe               *self,
                                                      guint16                port);
void                od_probe_set_lookup_cache        (OdProbe               *self,
                                                      OdLookupCache         *lookups);
void                od_probe_set_context             (OdProbe               *self,
                                                      const char            *address,
                                                      const char            *username,
                                                      gboolean               network_available,
                                                      GNetworkConnectivity   connectivity);

void                od_probe_run_async               (OdProbe               *self,
                                                      GCancellable          *cancellable,
                                                      GAsyncReadyCallback    callback,
                                                      gpointer               user_data);
gboolean            od_probe_run_finish              (OdProbe               *self,
                                                      GAsyncResult          *result,
                                                      GError               **error);

gboolean            od_probe_is_running              (OdProbe               *self);
OdProbeStatus       od_probe_get_status              (OdProbe               *self);
const char         *od_probe_get_detail              (OdProbe               *self);
OdProblem          *od_probe_get_problem             (OdProbe               *self);
OdTlsInfo          *od_probe_get_tls_info            (OdProbe               *self);
const char * const *od_probe_get_auth_mechanisms     (OdProbe               *self);
gboolean            od_probe_get_starttls            (OdProbe               *self);
gboolean            od_probe_get_login_disabled      (OdProbe               *self);
gboolean            od_probe_get_connected           (OdProbe               *self);
gint64              od_probe_get_lookup_ms           (OdProbe               *self);
gint64              od_probe_get_connect_ms          (OdProbe               *self);
gint64              od_probe_get_connected_ms        (OdProbe               *self);
gint64              od_probe_get_elapsed_ms          (OdProbe               *self);
gint64              od_probe_get_started_us          (OdProbe               *self);

G_END_DECLS
