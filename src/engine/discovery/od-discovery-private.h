/* od-discovery-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "od-candidate-private.h"
#include "od-deadline.h"
#include "od-diagnosis.h"
#include "od-discovery.h"
#include "od-probe.h"

G_BEGIN_DECLS

/* The discovery in five parts, along the sections of the work:
 *
 *   od-discovery.c            the object, its public API and JSON, and completing a run
 *   od-discovery-sources.c    the sources (provider database, autoconfig, SRV, guesses)
 *                             and the candidates they propose
 *   od-discovery-mx.c         the MX records: a provider of the database, or a hosting
 *                             company's servers
 *   od-discovery-scheduler.c  the probes, the grace periods, the retry and the ceiling:
 *                             deciding when the best candidate is known
 *   od-discovery-ranking.c    the ranking of candidates, and what the outcome means: the
 *                             warnings about the best, or why there is none */

typedef struct
{
  OdDiscovery  *self;   /* borrowed: the deadline is freed before the discovery */
  OdSourceKind  kind;
} SourceDeadline;

/* The state of one source while it runs. */
typedef struct
{
  OdDiscoverySource *object;
  OdDeadline        *deadline;        /* the source's time limit */
  GCancellable      *cancellable;     /* the deadline's: stops the source's lookups */
  SourceDeadline     deadline_data;
  GError            *error;           /* the first failure of a trusted part */
  GError            *untrusted_error;
  GString           *found;           /* what a trusted part found, for the detail */
  GString           *found_untrusted;
  gint64             started_us;
  guint              parts;           /* lookups or fetches still running */
  guint              trusted_parts;   /* of those, the ones that can give trusted settings */
  guint              n_candidates;
  guint              n_untrusted;
  guint              n_unencrypted;  /* of the trusted candidates, those without encryption */
  gboolean           not_offered;     /* SRV "." */
  gboolean           has_records;     /* DNS answered with records */
} SourceRun;


struct _OdDiscovery
{
  GObject               parent_instance;

  /* Settings */
  char                 *address;
  char                 *domain;        /* as typed, lower case */
  char                 *ascii_domain;  /* IDN converted, for DNS and URLs */
  char                 *registrable_domain; /* of the address: what is "within the domain" */
  char                 *hosting_domain;     /* the MX hosts' company, when not the address's */
  GHashTable           *mx_hosts;           /* the domain's incoming servers (lower case) */
  char                 *oauth_required;     /* a trusted source publishes OAuth2-only SMTP:
                                             * the provider's name */
  char                 *ca_file;
  char                 *https_base;    /* test hooks */
  char                 *http_base;
  GHashTable           *port_map;
  OdProviderDb         *db;
  guint                 connect_timeout_ms;
  guint                 total_timeout_ms;
  guint                 grace_ms;
  OdSourceFlags         enabled;

  /* Results */
  GListStore           *sources;
  GListStore           *candidates;
  GListStore           *problems;
  OdCandidate          *best;
  OdCandidate          *unconfirmed;
  OdProvider           *provider;
  OdServerConfig       *incoming;
  OdSourceKind          incoming_source;
  gint64                started_us;
  gint64                elapsed_ms;

  /* Run state */
  GTask                *task;
  GCancellable         *parent;
  gulong                parent_handler;
  OdDeadline           *ceiling;
  GSource              *wakeup;
  gint64                wakeup_us;
  SoupSession          *soup;
  GHashTable           *by_key;        /* "host|port|security" → OdCandidate */
  GHashTable           *probes;        /* OdCandidate → OdProbe, while running */
  OdLookupCache        *lookups;       /* one name lookup per host for all probes */
  SourceRun             src[OD_N_SOURCES];
  OdCandidate          *winner_seen;
  gint64                winner_seen_us;
  gint64                slowest_answer_ms;
  gboolean              network_available;
  GNetworkConnectivity  connectivity;
  gboolean              starting;
  gboolean              retried;
  gboolean              timed_out;
  gboolean              domain_not_found;
};

/* od-discovery.c */
gint64     od_discovery_now_ms                (OdDiscovery        *self);
void       od_discovery_note_answer_time      (OdDiscovery        *self,
                                               gint64              ms);
void       od_discovery_set_provider          (OdDiscovery        *self,
                                               OdProvider         *provider);
void       od_discovery_complete              (OdDiscovery        *self,
                                               OdCandidate        *best);

/* od-discovery-sources.c */
void       od_discovery_run_sources           (OdDiscovery        *self);
void       od_discovery_begin_source          (OdDiscovery        *self,
                                               OdSourceKind        kind,
                                               guint               parts,
                                               guint               trusted_parts,
                                               gboolean            with_deadline);
void       od_discovery_add_candidate         (OdDiscovery        *self,
                                               const char         *host,
                                               guint16             port,
                                               OdSecurity          security,
                                               OdSourceKind        kind,
                                               OdUntrusted         untrusted,
                                               const char         *untrusted_detail,
                                               guint               order,
                                               const char         *username);
void       od_discovery_add_provider_servers  (OdDiscovery        *self,
                                               OdProvider         *provider,
                                               OdSourceKind        kind,
                                               OdUntrusted         untrusted,
                                               const char         *untrusted_detail);
void       od_discovery_consider_incoming     (OdDiscovery        *self,
                                               OdProvider         *provider,
                                               OdSourceKind        kind);
void       od_discovery_append_found          (GString            *str,
                                               const char         *text);
char      *od_discovery_build_uri             (OdDiscovery        *self,
                                               gboolean            https,
                                               const char         *host,
                                               const char         *path,
                                               const char         *query);

/* od-discovery-mx.c */
void       od_discovery_run_mx                (OdDiscovery        *self);
gboolean   od_discovery_is_mx_host            (OdDiscovery        *self,
                                               const char         *host);
void       od_discovery_check_inbound         (OdDiscovery        *self,
                                               OdCandidate        *candidate);
gboolean   od_discovery_source_pending        (OdDiscovery        *self,
                                               OdSourceKind        kind);
void       od_discovery_finish_source         (OdDiscovery        *self,
                                               OdSourceKind        kind,
                                               OdSourceStatus      status,
                                               const char         *detail);
void       od_discovery_stop_source           (OdDiscovery        *self,
                                               OdSourceKind        kind,
                                               OdSourceStatus      status,
                                               const char         *detail);

/* od-discovery-scheduler.c */
void       od_discovery_start_probe           (OdDiscovery        *self,
                                               OdCandidate        *candidate,
                                               guint               timeout_ms);
void       od_discovery_stop_all_probes       (OdDiscovery        *self,
                                               OdCandidateStatus   status,
                                               const char         *detail);
void       od_discovery_evaluate              (OdDiscovery        *self);
void       od_discovery_ceiling_expired       (gpointer            user_data);
void       od_discovery_parent_cancelled_cb   (GCancellable       *cancellable,
                                               gpointer            user_data);
void       od_discovery_stop_timers           (OdDiscovery        *self);

/* od-discovery-ranking.c */
GPtrArray *od_discovery_ranked_candidates     (OdDiscovery        *self,
                                               gboolean            eligible_only);
gboolean   od_discovery_is_ok_with_login      (OdCandidate        *candidate);
void       od_discovery_add_warnings          (OdDiscovery        *self,
                                               OdCandidate        *best);
void       od_discovery_check_domain_exists   (OdDiscovery        *self);
void       od_discovery_add_failure_problems  (OdDiscovery        *self);

G_END_DECLS
