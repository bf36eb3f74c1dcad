/* od-probe.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-candidate.h"
#include "od-lookup-cache.h"

G_BEGIN_DECLS

#define OD_TYPE_PROBE (od_probe_get_type ())

G_DECLARE_FINAL_TYPE (OdProbe, od_probe, OD, PROBE, GObject)

OdProbe     *od_probe_new                (OdCandidate          *candidate);
OdCandidate *od_probe_get_candidate      (OdProbe              *self);
void         od_probe_set_timeout        (OdProbe              *self,
                                          guint                 timeout_ms);
void         od_probe_set_ca_file        (OdProbe              *self,
                                          const char           *ca_file);
void         od_probe_set_connect_port   (OdProbe              *self,
                                          guint16               port);
void         od_probe_set_lookup_cache   (OdProbe              *self,
                                          OdLookupCache        *lookups);
void         od_probe_set_network_hint   (OdProbe              *self,
                                          const char           *address,
                                          gboolean              network_available,
                                          GNetworkConnectivity  connectivity);
gint64       od_probe_get_lookup_ms      (OdProbe              *self);
gint64       od_probe_get_connect_ms     (OdProbe              *self);
gint64       od_probe_get_started_us     (OdProbe              *self);

void         od_probe_run_async          (OdProbe              *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean     od_probe_run_finish         (OdProbe              *self,
                                          GAsyncResult         *result,
                                          GError              **error);

G_END_DECLS
