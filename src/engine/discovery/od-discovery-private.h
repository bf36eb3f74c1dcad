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

/* The incoming protocols, each with its own source objects. */
#define OD_N_INCOMING 2
#define OD_INCOMING_INDEX(protocol) ((protocol) == OD_PROTOCOL_IMAP ? 0 : 1)

/* The state of one source while it runs: its lookups or fetches serve the outgoing source
 * object and the incoming ones alike, and stop only when none of them needs them. */
typedef struct
{
  OdDiscoverySource *object;
  OdDiscoverySource *in_object[OD_N_INCOMING];  /* IMAP, POP3 */
  GString           *in_found[OD_N_INCOMING];
  guint              in_n[OD_N_INCOMING];        /* trusted incoming candidates proposed */
  guint              in_n_untrusted[OD_N_INCOMING];
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
  gboolean              oauth;              /* signing in with OAuth: OAuth2-only servers too */
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
  OdCandidate          *incoming;
  OdCandidate          *incoming_unconfirmed;
  GListStore           *in_sources;
  GListStore           *in_candidates;
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
  GHashTable           *in_probes;     /* the same for the incoming candidates */
  OdLookupCache        *lookups;       /* one name lookup per host for all probes */
  SourceRun             src[OD_N_SOURCES];
  OdCandidate          *winner_seen;
  gint64                winner_seen_us;
  OdCandidate          *in_winner_seen;
  gint64                in_winner_seen_us;
  OdCandidate          *out_best;      /* the outgoing decision, once made */
  gboolean              out_decided;
  gboolean              in_decided;
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
OdCandidate *od_discovery_add_candidate_for   (OdDiscovery        *self,
                                               OdProtocol          protocol,
                                               const char         *host,
                                               guint16             port,
                                               OdSecurity          security,
                                               OdSourceKind        kind,
                                               OdUntrusted         untrusted,
                                               const char         *untrusted_detail,
                                               guint               order,
                                               const char         *username);
gboolean   od_discovery_run_pending           (OdDiscovery        *self,
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
void       od_discovery_release_source        (OdDiscovery        *self,
                                               OdSourceKind        kind);
void       od_discovery_finish_source         (OdDiscovery        *self,
                                               OdSourceKind        kind,
                                               OdSourceStatus      status,
                                               const char         *detail);
void       od_discovery_stop_source           (OdDiscovery        *self,
                                               OdSourceKind        kind,
                                               OdSourceStatus      status,
                                               const char         *detail);

/* od-discovery-incoming.c */
void       od_discovery_add_incoming_servers  (OdDiscovery        *self,
                                               OdProvider         *provider,
                                               OdSourceKind        kind,
                                               OdUntrusted         untrusted,
                                               const char         *untrusted_detail);
void       od_discovery_add_incoming_guesses  (OdDiscovery        *self,
                                               const char         *domain,
                                               OdSourceKind        kind,
                                               OdUntrusted         untrusted,
                                               const char         *untrusted_detail,
                                               guint               first_order);
void       od_discovery_srv_incoming_services (OdDiscovery        *self,
                                               GPtrArray          *names);
void       od_discovery_finish_incoming_sources (OdDiscovery      *self,
                                               OdSourceKind        kind,
                                               OdSourceStatus      status,
                                               const char         *detail,
                                               gboolean            stopped);
gboolean   od_discovery_incoming_pending      (OdDiscovery        *self,
                                               OdSourceKind        kind);
void       od_discovery_evaluate_incoming     (OdDiscovery        *self);
void       od_discovery_decide_incoming_unconfirmed (OdDiscovery  *self);
JsonNode  *od_discovery_incoming_to_json      (OdDiscovery        *self,
                                               OdCandidate        *candidate);

/* od-discovery-scheduler.c */
void       od_discovery_start_probe           (OdDiscovery        *self,
                                               OdCandidate        *candidate,
                                               guint               timeout_ms);
void       od_discovery_stop_all_probes       (OdDiscovery        *self,
                                               OdCandidateStatus   status,
                                               const char         *detail);
void       od_discovery_stop_probes_of        (OdDiscovery        *self,
                                               GHashTable         *probes,
                                               OdCandidateStatus   status,
                                               const char         *detail);
void       od_discovery_stop_probe            (OdDiscovery        *self,
                                               GHashTable         *probes,
                                               OdCandidate        *candidate,
                                               OdCandidateStatus   status,
                                               const char         *detail);
void       od_discovery_schedule_wakeup       (OdDiscovery        *self,
                                               gint64              when_us);
const char *od_discovery_why_stopped          (OdDiscovery        *self);
void       od_discovery_evaluate              (OdDiscovery        *self);
void       od_discovery_ceiling_expired       (gpointer            user_data);
void       od_discovery_parent_cancelled_cb   (GCancellable       *cancellable,
                                               gpointer            user_data);
void       od_discovery_stop_timers           (OdDiscovery        *self);

/* od-discovery-ranking.c */
GPtrArray *od_discovery_ranked_candidates     (OdDiscovery        *self,
                                               gboolean            eligible_only);
GPtrArray *od_discovery_ranked_incoming       (OdDiscovery        *self,
                                               gboolean            eligible_only);
gboolean   od_discovery_is_ok_with_login      (OdCandidate        *candidate);
void       od_discovery_add_warnings          (OdDiscovery        *self,
                                               OdCandidate        *best);
void       od_discovery_check_domain_exists   (OdDiscovery        *self);
void       od_discovery_add_failure_problems  (OdDiscovery        *self);

G_END_DECLS
