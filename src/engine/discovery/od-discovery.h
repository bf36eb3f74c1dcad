/* od-discovery.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "od-autoconfig.h"
#include "od-candidate.h"
#include "od-discovery-source.h"
#include "od-problem.h"
#include "od-provider-db.h"

G_BEGIN_DECLS

/* Finding the outgoing and incoming servers for an address:
 *
 *   discovery = od_discovery_new (address);
 *   od_discovery_set_ca_file (discovery, ca_file);            // optional
 *   bind lists to od_discovery_get_sources () and od_discovery_get_candidates ():
 *     items appear as they start, their properties ("status", "detail", …) notify;
 *   od_discovery_run_async (discovery, cancellable, cb, data);
 *   best = od_discovery_run_finish (…);  // NULL: see od_discovery_get_problems ()
 *
 * The ranking, trust and timing rules are in od-discovery.c and docs/decisions.md. */

/* First pass: each connect and each reply of a probe; sources (DNS, HTTP) too. */
#define OD_DISCOVERY_DEFAULT_CONNECT_TIMEOUT_MS 4000
/* The hard ceiling for the whole detection, retries included. */
#define OD_DISCOVERY_DEFAULT_TOTAL_TIMEOUT_MS   15000

#define OD_TYPE_DISCOVERY (od_discovery_get_type ())

G_DECLARE_FINAL_TYPE (OdDiscovery, od_discovery, OD, DISCOVERY, GObject)

OdDiscovery    *od_discovery_new                   (const char          *address);
const char     *od_discovery_get_address           (OdDiscovery         *self);
const char     *od_discovery_get_domain            (OdDiscovery         *self);

void            od_discovery_set_oauth             (OdDiscovery         *self,
                                                    gboolean             oauth);
void            od_discovery_set_ca_file           (OdDiscovery         *self,
                                                    const char          *ca_file);
void            od_discovery_set_connect_timeout   (OdDiscovery         *self,
                                                    guint                timeout_ms);
void            od_discovery_set_total_timeout     (OdDiscovery         *self,
                                                    guint                timeout_ms);
void            od_discovery_set_sources           (OdDiscovery         *self,
                                                    OdSourceFlags        sources);
void            od_discovery_set_provider_db       (OdDiscovery         *self,
                                                    OdProviderDb        *db);

void            od_discovery_run_async             (OdDiscovery         *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
OdCandidate    *od_discovery_run_finish            (OdDiscovery         *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

GListModel     *od_discovery_get_sources           (OdDiscovery         *self);
GListModel     *od_discovery_get_candidates        (OdDiscovery         *self);
OdCandidate    *od_discovery_get_best              (OdDiscovery         *self);
OdCandidate    *od_discovery_get_unconfirmed       (OdDiscovery         *self);
OdCandidate    *od_discovery_get_certificate_to_review (OdDiscovery     *self);
OdCandidate    *od_discovery_get_closest           (OdDiscovery         *self);
GListModel     *od_discovery_get_problems          (OdDiscovery         *self);
OdProvider     *od_discovery_get_provider          (OdDiscovery         *self);
OdCandidate    *od_discovery_get_incoming          (OdDiscovery         *self);
OdCandidate    *od_discovery_get_incoming_unconfirmed (OdDiscovery      *self);
GListModel     *od_discovery_get_incoming_sources  (OdDiscovery         *self);
GListModel     *od_discovery_get_incoming_candidates (OdDiscovery       *self);
gboolean        od_discovery_is_running            (OdDiscovery         *self);
gint64          od_discovery_get_elapsed_ms        (OdDiscovery         *self);
JsonNode       *od_discovery_to_json               (OdDiscovery         *self);

/* Test hooks: never used by the app or the command line. */
void            od_discovery_set_autoconfig_base_uri_for_testing (OdDiscovery *self,
                                                                  const char  *https_base,
                                                                  const char  *http_base);
void            od_discovery_map_port_for_testing  (OdDiscovery         *self,
                                                    guint16              port,
                                                    guint16              real_port);
void            od_discovery_set_grace_for_testing (OdDiscovery         *self,
                                                    guint                grace_ms);

G_END_DECLS
