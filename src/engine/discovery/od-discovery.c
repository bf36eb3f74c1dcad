/* od-discovery.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-discovery"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "od-candidate-private.h"
#include "od-check.h"
#include "od-config-fetch.h"
#include "od-diagnosis.h"
#include "od-discovery.h"
#include "od-probe.h"
#include "od-srv.h"

/* Finds the outgoing server for an address: every source starts at once, each with its own
 * deadline; every candidate they propose is probed at once; the best verified candidate wins
 * as soon as every better-ranked candidate has finished, without waiting for dropped ports
 * beyond a short grace period.
 *
 * Ranking (best first), see also docs/decisions.md:
 *  1. anything but port 25 (often blocked, and usually a relay port) before port 25;
 *  2. settings from a trusted source (provider database, https://, DNS) before settings that
 *     came over plain http://, which are never chosen without the user's confirmation;
 *  3. the source's trust: provider database, autoconfig, well-known, SRV, MX, guesses;
 *  4. implicit TLS before STARTTLS;
 *  5. the source's own order (document order, SRV priority and weight, guess order).
 * Plain-text settings are listed but never probed or chosen.
 *
 * Timing: the first pass gives every lookup, connect and reply connect_timeout_ms (4 s).
 * Only if nothing worked are timed-out candidates tried again with the time left before the
 * hard ceiling (15 s): those whose server answered the connect and then stayed silent, and,
 * when the network looked slow (some answer took a quarter of the first-pass deadline or
 * more), those whose connect timed out. On a fast network where every connect timed out, a
 * second try would only postpone the port-blocked diagnosis. */

#define DEFAULT_GRACE_MS     500
#define RETRY_MARGIN_MS      250
#define MAX_SRV_RECORDS      10
#define MAX_MX_RECORDS       10
#define ORDER_SUBMISSION     100

#define AUTOCONFIG_PATH      "/mail/config-v1.1.xml"
#define WELL_KNOWN_PATH      "/.well-known/autoconfig/mail/config-v1.1.xml"

typedef struct
{
  OdDiscoverySource *object;
  GCancellable      *cancellable;
  GSource           *deadline;
  GError            *error;           /* the first failure of a trusted part */
  GError            *untrusted_error;
  GString           *found;           /* what a trusted part found, for the detail */
  GString           *found_untrusted;
  gint64             started_us;
  guint              parts;           /* lookups or fetches still running */
  guint              trusted_parts;   /* of those, the ones that can give trusted settings */
  guint              n_candidates;
  guint              n_untrusted;
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
  GSource              *ceiling;
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

G_DEFINE_FINAL_TYPE (OdDiscovery, od_discovery, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_BEST,
  PROP_RUNNING,
  PROP_PROVIDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void evaluate (OdDiscovery *self);

static gint64
now_ms (OdDiscovery *self)
{
  return (g_get_monotonic_time () - self->started_us) / 1000;
}

static gboolean
source_pending (OdDiscovery  *self,
                OdSourceKind  kind)
{
  return self->src[kind].object != NULL &&
         od_discovery_source_get_status (self->src[kind].object) == OD_SOURCE_STATUS_PENDING;
}

static void
note_answer_time (OdDiscovery *self,
                  gint64       ms)
{
  if (ms > self->slowest_answer_ms)
    self->slowest_answer_ms = ms;
}

/* ------------------------------------------------------------------------------------------
 * Ranking
 * ------------------------------------------------------------------------------------------ */

static gboolean
is_eligible (OdCandidate *candidate)
{
  return od_candidate_get_trusted (candidate) &&
         od_candidate_get_security (candidate) != OD_SECURITY_NONE;
}

static gboolean
is_ok_with_login (OdCandidate *candidate)
{
  return od_candidate_get_status (candidate) == OD_CANDIDATE_OK &&
         od_candidate_get_auth_mechanisms (candidate)[0] != NULL;
}

static int
compare_rank (OdCandidate *a,
              OdCandidate *b)
{
  gboolean a25 = od_candidate_get_port (a) == 25;
  gboolean b25 = od_candidate_get_port (b) == 25;

  if (a25 != b25)
    return a25 ? 1 : -1;

  if (od_candidate_get_trusted (a) != od_candidate_get_trusted (b))
    return od_candidate_get_trusted (a) ? -1 : 1;

  if (od_candidate_get_source (a) != od_candidate_get_source (b))
    return od_candidate_get_source (a) < od_candidate_get_source (b) ? -1 : 1;

  if (od_candidate_get_security (a) != od_candidate_get_security (b))
    return od_candidate_get_security (a) < od_candidate_get_security (b) ? -1 : 1;

  if (od_candidate_get_order (a) != od_candidate_get_order (b))
    return od_candidate_get_order (a) < od_candidate_get_order (b) ? -1 : 1;

  return 0;
}

static int
compare_rank_ptr (gconstpointer a,
                  gconstpointer b)
{
  return compare_rank (*(OdCandidate * const *)a, *(OdCandidate * const *)b);
}

/* Every candidate, best-ranked first; with @eligible_only, only those that may be chosen. */
static GPtrArray *
ranked_candidates (OdDiscovery *self,
                   gboolean     eligible_only)
{
  GPtrArray *ranked = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->candidates));

  for (guint i = 0; i < n; i++)
    {
      OdCandidate *c = g_list_model_get_item (G_LIST_MODEL (self->candidates), i);

      if (!eligible_only || is_eligible (c))
        g_ptr_array_add (ranked, c);
      else
        g_object_unref (c);
    }

  g_ptr_array_sort (ranked, compare_rank_ptr);

  return ranked;
}

/* ------------------------------------------------------------------------------------------
 * Candidates and probes
 * ------------------------------------------------------------------------------------------ */

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(OdDiscovery) self = user_data;
  OdProbe *probe = OD_PROBE (object);
  OdCandidate *candidate = od_probe_get_candidate (probe);
  g_autoptr(GError) error = NULL;
  gboolean done;

  done = od_probe_run_finish (probe, result, &error);

  /* An abandoned or stopped probe was already given its outcome by whoever stopped it. */
  if (g_hash_table_lookup (self->probes, candidate) != probe)
    return;

  g_hash_table_remove (self->probes, candidate);

  if (!done)
    return;

  if (od_probe_get_lookup_ms (probe) >= 0)
    note_answer_time (self, od_probe_get_lookup_ms (probe));
  if (od_probe_get_connect_ms (probe) >= 0)
    note_answer_time (self, od_probe_get_connect_ms (probe));

  evaluate (self);
}

static void
start_probe (OdDiscovery *self,
             OdCandidate *candidate,
             guint        timeout_ms)
{
  g_autoptr(OdProbe) probe = od_probe_new (candidate);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gpointer real_port;

  od_probe_set_timeout (probe, timeout_ms);
  od_probe_set_ca_file (probe, self->ca_file);
  od_probe_set_lookup_cache (probe, self->lookups);
  od_probe_set_network_hint (probe, self->address, self->network_available, self->connectivity);

  if (self->port_map != NULL &&
      g_hash_table_lookup_extended (self->port_map,
                                    GUINT_TO_POINTER (od_candidate_get_port (candidate)),
                                    NULL, &real_port))
    od_probe_set_connect_port (probe, GPOINTER_TO_UINT (real_port));

  g_object_set_data_full (G_OBJECT (probe), "od-cancellable", g_object_ref (cancellable),
                          g_object_unref);
  g_hash_table_insert (self->probes, g_object_ref (candidate), g_object_ref (probe));

  od_probe_run_async (probe, cancellable, probe_cb, g_object_ref (self));
}

/* Stops a running probe and gives its candidate the outcome @status. */
static void
stop_probe (OdDiscovery       *self,
            OdCandidate       *candidate,
            OdCandidateStatus  status,
            const char        *detail)
{
  g_autoptr(OdProbe) probe = NULL;
  gint64 started_us;

  if (!g_hash_table_steal_extended (self->probes, candidate, NULL, (gpointer *)&probe))
    return;

  /* The table held a reference to the key as well. */
  g_object_unref (candidate);

  started_us = od_probe_get_started_us (probe);
  g_cancellable_cancel (g_object_get_data (G_OBJECT (probe), "od-cancellable"));

  od_candidate_set_elapsed_ms (candidate, (g_get_monotonic_time () - started_us) / 1000);
  od_candidate_set_result (candidate, status, detail, od_candidate_get_tls_info (candidate),
                           NULL, od_candidate_get_starttls (candidate), NULL);
}

static void
stop_all_probes (OdDiscovery       *self,
                 OdCandidateStatus  status,
                 const char        *detail)
{
  g_autoptr(GPtrArray) running = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->probes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (running, g_object_ref (key));

  for (guint i = 0; i < running->len; i++)
    stop_probe (self, g_ptr_array_index (running, i), status, detail);
}

/* Adds a candidate, or raises the trust of the same host, port and security proposed by a
 * less trusted source. New candidates are probed at once. */
static void
add_candidate (OdDiscovery  *self,
               const char   *host,
               guint16       port,
               OdSecurity    security,
               OdSourceKind  kind,
               gboolean      trusted,
               guint         order,
               const char   *username)
{
  g_autofree char *lower = NULL;
  g_autofree char *key = NULL;
  g_autoptr(OdCandidate) candidate = NULL;
  OdCandidate *existing;

  if (host == NULL || host[0] == '\0' || port == 0 || self->task == NULL)
    return;

  lower = g_ascii_strdown (host, -1);
  /* A trailing dot (from DNS) names the same host. */
  if (lower[strlen (lower) - 1] == '.')
    lower[strlen (lower) - 1] = '\0';
  if (lower[0] == '\0')
    return;

  key = g_strdup_printf ("%s|%u|%d", lower, port, security);
  existing = g_hash_table_lookup (self->by_key, key);
  if (existing != NULL)
    {
      if (od_candidate_upgrade_source (existing, kind, trusted, order) && username != NULL)
        od_candidate_set_username (existing, username);
      return;
    }

  candidate = od_candidate_new (lower, port, security, kind, trusted);
  od_candidate_set_order (candidate, order);
  od_candidate_set_username (candidate, username ? username : self->address);
  g_hash_table_insert (self->by_key, g_steal_pointer (&key), g_object_ref (candidate));
  g_list_store_append (self->candidates, candidate);

  if (security == OD_SECURITY_NONE)
    {
      od_candidate_set_status (candidate, OD_CANDIDATE_SKIPPED,
                               _("Not tried: this setting sends everything without "
                                 "encryption."));
      return;
    }

  start_probe (self, candidate, self->connect_timeout_ms);
}

static char *
expand_username (OdDiscovery          *self,
                 const OdServerConfig *config)
{
  char *username = od_server_config_expand_username (config, self->address);

  return username != NULL ? username : g_strdup (self->address);
}

static void
add_provider_servers (OdDiscovery  *self,
                      OdProvider   *provider,
                      OdSourceKind  kind,
                      gboolean      trusted)
{
  GPtrArray *outgoing = od_provider_get_outgoing_servers (provider);
  guint order = 0;

  for (guint i = 0; outgoing != NULL && i < outgoing->len; i++)
    {
      const OdServerConfig *config = g_ptr_array_index (outgoing, i);
      g_autofree char *username = NULL;
      g_autofree char *hostname = NULL;

      if (config->protocol != OD_SERVER_PROTOCOL_SMTP)
        continue;

      username = expand_username (self, config);
      hostname = od_server_config_expand_hostname (config, self->address);
      add_candidate (self, hostname, config->port, config->security, kind, trusted,
                     order++, username);

      if (trusted)
        self->src[kind].n_candidates++;
      else
        self->src[kind].n_untrusted++;
    }
}

/* The incoming server is not probed: it is what the sources say, from the most trusted. */
static void
consider_incoming (OdDiscovery  *self,
                   OdProvider   *provider,
                   OdSourceKind  kind)
{
  GPtrArray *incoming = od_provider_get_incoming_servers (provider);
  const OdServerConfig *chosen = NULL;

  if (self->incoming != NULL && self->incoming_source <= kind)
    return;

  for (guint i = 0; incoming != NULL && i < incoming->len; i++)
    {
      const OdServerConfig *config = g_ptr_array_index (incoming, i);

      if (config->protocol != OD_SERVER_PROTOCOL_IMAP)
        continue;

      if (chosen == NULL ||
          (chosen->security == OD_SECURITY_NONE && config->security != OD_SECURITY_NONE))
        chosen = config;
    }

  if (chosen == NULL)
    return;

  g_clear_pointer (&self->incoming, od_server_config_free);
  self->incoming = od_server_config_copy (chosen);
  self->incoming_source = kind;

  /* The templates expanded, as for outgoing servers. */
  g_free (self->incoming->username);
  self->incoming->username = expand_username (self, chosen);
  g_free (self->incoming->hostname);
  self->incoming->hostname = od_server_config_expand_hostname (chosen, self->address);
}

static void
set_provider (OdDiscovery *self,
              OdProvider  *provider)
{
  if (self->provider != NULL)
    return;

  self->provider = od_provider_ref (provider);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER]);
}

/* ------------------------------------------------------------------------------------------
 * Sources
 * ------------------------------------------------------------------------------------------ */

static void
finish_source (OdDiscovery    *self,
               OdSourceKind    kind,
               OdSourceStatus  status,
               const char     *detail)
{
  SourceRun *run = &self->src[kind];

  if (!source_pending (self, kind))
    return;

  if (run->deadline != NULL)
    {
      g_source_destroy (run->deadline);
      g_clear_pointer (&run->deadline, g_source_unref);
    }

  if (run->cancellable != NULL)
    g_cancellable_cancel (run->cancellable);

  od_discovery_source_finish (run->object, status, detail,
                              (g_get_monotonic_time () - run->started_us) / 1000);
}

typedef struct
{
  OdDiscovery  *self;   /* borrowed: the deadline is destroyed before the discovery */
  OdSourceKind  kind;
} SourceDeadline;

static gboolean
source_deadline_cb (gpointer user_data)
{
  SourceDeadline *deadline = user_data;
  OdDiscovery *self = deadline->self;
  SourceRun *run = &self->src[deadline->kind];
  g_autofree char *detail = NULL;

  g_clear_pointer (&run->deadline, g_source_unref);

  /* Translators: %.1f is a number of seconds */
  detail = g_strdup_printf (_("No answer within %.1f s."), self->connect_timeout_ms / 1000.0);
  finish_source (self, deadline->kind, OD_SOURCE_STATUS_ERROR, detail);
  evaluate (self);

  return G_SOURCE_REMOVE;
}

static void
begin_source (OdDiscovery  *self,
              OdSourceKind  kind,
              guint         parts,
              guint         trusted_parts,
              gboolean      with_deadline)
{
  SourceRun *run = &self->src[kind];

  run->started_us = g_get_monotonic_time ();
  run->parts = parts;
  run->trusted_parts = trusted_parts;
  run->cancellable = g_cancellable_new ();
  run->found = g_string_new (NULL);
  run->found_untrusted = g_string_new (NULL);

  if (with_deadline)
    {
      SourceDeadline *deadline = g_new0 (SourceDeadline, 1);

      deadline->self = self;
      deadline->kind = kind;
      run->deadline = g_timeout_source_new (self->connect_timeout_ms);
      g_source_set_callback (run->deadline, source_deadline_cb, deadline, g_free);
      g_source_set_name (run->deadline, "[od] discovery source deadline");
      g_source_attach (run->deadline, g_main_context_get_thread_default ());
    }
}

static void
append_found (GString    *str,
              const char *text)
{
  if (str->len > 0)
    g_string_append (str, ", ");
  g_string_append (str, text);
}

/* Provider database: immediate, the most trusted. */
static void
run_provider_db (OdDiscovery *self)
{
  g_autoptr(OdProvider) provider = NULL;
  g_autofree char *detail = NULL;
  OdProviderDb *db = self->db ? self->db : od_provider_db_get_default ();

  begin_source (self, OD_SOURCE_PROVIDER_DB, 0, 0, FALSE);

  if (db != NULL)
    {
      provider = od_provider_db_lookup_domain (db, self->ascii_domain);
      if (provider == NULL && g_strcmp0 (self->domain, self->ascii_domain) != 0)
        provider = od_provider_db_lookup_domain (db, self->domain);
    }

  if (provider == NULL)
    {
      finish_source (self, OD_SOURCE_PROVIDER_DB, OD_SOURCE_STATUS_NONE,
                     _("This domain is not in the provider database."));
      return;
    }

  set_provider (self, provider);
  consider_incoming (self, provider, OD_SOURCE_PROVIDER_DB);
  add_provider_servers (self, provider, OD_SOURCE_PROVIDER_DB, TRUE);

  if (self->src[OD_SOURCE_PROVIDER_DB].n_candidates == 0)
    {
      /* Translators: %s is a provider's name, such as "Tuta" */
      detail = g_strdup_printf (_("%s is in the provider database, but offers no outgoing "
                                  "server for mail programs."),
                                od_provider_get_display_name (provider));
      finish_source (self, OD_SOURCE_PROVIDER_DB, OD_SOURCE_STATUS_NONE, detail);
      return;
    }

  /* Translators: %s is a provider's name, such as "Gmail" */
  detail = g_strdup_printf (_("Known provider: %s."), od_provider_get_display_name (provider));
  finish_source (self, OD_SOURCE_PROVIDER_DB, OD_SOURCE_STATUS_FOUND, detail);
}

/* Autoconfig and well-known: an https:// part with the address and an http:// part without. */
typedef struct
{
  OdDiscovery  *self;
  OdSourceKind  kind;
  char         *shown_uri;   /* without the query */
  gboolean      trusted;
  gint64        started_us;
} FetchPart;

static void
fetch_part_free (FetchPart *part)
{
  g_clear_object (&part->self);
  g_free (part->shown_uri);
  g_free (part);
}

static void
finish_config_source (OdDiscovery  *self,
                      OdSourceKind  kind)
{
  SourceRun *run = &self->src[kind];
  g_autofree char *detail = NULL;

  if (run->n_candidates > 0)
    {
      /* Translators: %s is a web address */
      detail = g_strdup_printf (_("Settings from %s."), run->found->str);
      finish_source (self, kind, OD_SOURCE_STATUS_FOUND, detail);
    }
  else if (run->n_untrusted > 0)
    {
      /* Translators: %s is a web address */
      detail = g_strdup_printf (_("Settings from %s, over an unencrypted connection: anyone on "
                                  "the way could have changed them, so they are only used "
                                  "once you confirm them."),
                                run->found_untrusted->str);
      finish_source (self, kind, OD_SOURCE_STATUS_FOUND, detail);
    }
  else if (run->error != NULL &&
           !g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) &&
           !g_error_matches (run->error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    finish_source (self, kind, OD_SOURCE_STATUS_ERROR, run->error->message);
  else
    {
      const char *why = run->error ? run->error->message : NULL;

      if (why != NULL)
        /* Translators: %s says why, such as "The server answered HTTP 404" */
        detail = g_strdup_printf (_("No settings published (%s)."), why);
      finish_source (self, kind, OD_SOURCE_STATUS_NONE,
                     detail ? detail : _("No settings published."));
    }
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  FetchPart *part = user_data;
  OdDiscovery *self = part->self;
  SourceRun *run = &self->src[part->kind];
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = NULL;

  bytes = od_config_fetch_finish (result, &error);

  if (!source_pending (self, part->kind))
    {
      fetch_part_free (part);
      return;
    }

  run->parts--;
  if (part->trusted)
    run->trusted_parts--;

  if (bytes != NULL)
    {
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);

      note_answer_time (self, (g_get_monotonic_time () - part->started_us) / 1000);
      provider = od_autoconfig_parse (data, len, &error);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    note_answer_time (self, (g_get_monotonic_time () - part->started_us) / 1000);

  if (provider != NULL)
    {
      add_provider_servers (self, provider, part->kind, part->trusted);
      if (part->trusted)
        {
          append_found (run->found, part->shown_uri);
          consider_incoming (self, provider, part->kind);
        }
      else
        append_found (run->found_untrusted, part->shown_uri);
    }
  else if (part->trusted && run->error == NULL)
    run->error = g_steal_pointer (&error);
  else if (!part->trusted && run->untrusted_error == NULL)
    run->untrusted_error = g_steal_pointer (&error);

  /* Trusted settings found: the unencrypted part is not needed any more. */
  if (run->parts == 0 || (part->trusted && run->n_candidates > 0))
    finish_config_source (self, part->kind);

  fetch_part_free (part);
  evaluate (self);
}

static char *
build_uri (OdDiscovery *self,
           gboolean     https,
           const char  *host,
           const char  *path,
           const char  *query)
{
  const char *base = https ? self->https_base : self->http_base;

  if (self->https_base != NULL || self->http_base != NULL)
    {
      /* Test hook: scheme and host go to a local server, the host becoming a path segment. */
      if (base == NULL)
        return NULL;
      return g_strconcat (base, "/", host, path, query ? "?" : "", query ? query : "", NULL);
    }

  return g_strconcat (https ? "https://" : "http://", host, path,
                      query ? "?" : "", query ? query : "", NULL);
}

static void
start_fetch (OdDiscovery  *self,
             OdSourceKind  kind,
             const char   *uri,
             const char   *shown_uri,
             gboolean      trusted)
{
  FetchPart *part = g_new0 (FetchPart, 1);

  part->self = g_object_ref (self);
  part->kind = kind;
  part->trusted = trusted;
  part->shown_uri = g_strdup (shown_uri);
  part->started_us = g_get_monotonic_time ();

  od_config_fetch_async (self->soup, uri, self->ca_file, self->connect_timeout_ms,
                         OD_AUTOCONFIG_MAX_DOCUMENT_SIZE, self->src[kind].cancellable,
                         fetch_cb, part);
}

static void
run_config_source (OdDiscovery  *self,
                   OdSourceKind  kind)
{
  g_autofree char *host = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *query = NULL;
  g_autofree char *https_uri = NULL;
  g_autofree char *http_uri = NULL;
  g_autofree char *https_shown = NULL;
  g_autofree char *http_shown = NULL;
  const char *path;
  guint parts = 0;

  if (kind == OD_SOURCE_AUTOCONFIG)
    {
      host = g_strconcat ("autoconfig.", self->ascii_domain, NULL);
      path = AUTOCONFIG_PATH;
    }
  else
    {
      host = g_strdup (self->ascii_domain);
      path = WELL_KNOWN_PATH;
    }

  escaped = g_uri_escape_string (self->address, NULL, FALSE);
  query = g_strconcat ("emailaddress=", escaped, NULL);

  /* The address only ever travels over https://. */
  https_uri = build_uri (self, TRUE, host, path, query);
  http_uri = build_uri (self, FALSE, host, path, NULL);
  https_shown = g_strconcat ("https://", host, path, NULL);
  http_shown = g_strconcat ("http://", host, path, NULL);

  parts = (https_uri != NULL) + (http_uri != NULL);
  begin_source (self, kind, parts, https_uri != NULL, TRUE);

  if (https_uri != NULL)
    start_fetch (self, kind, https_uri, https_shown, TRUE);
  if (http_uri != NULL)
    start_fetch (self, kind, http_uri, http_shown, FALSE);

  if (parts == 0)
    finish_source (self, kind, OD_SOURCE_STATUS_NONE, NULL);
}

/* DNS SRV: two lookups, _submissions._tcp (implicit TLS) and _submission._tcp (STARTTLS). */
typedef struct
{
  OdDiscovery *self;
  OdSecurity   security;
  char        *name;
} SrvPart;

static void
srv_part_free (SrvPart *part)
{
  g_clear_object (&part->self);
  g_free (part->name);
  g_free (part);
}

static void
finish_srv_source (OdDiscovery *self)
{
  SourceRun *run = &self->src[OD_SOURCE_SRV];
  g_autofree char *detail = NULL;

  if (run->n_candidates > 0)
    {
      /* Translators: %s is a list such as "_submissions._tcp → smtp.example.org:465" */
      detail = g_strdup_printf (_("Service records: %s."), run->found->str);
      finish_source (self, OD_SOURCE_SRV, OD_SOURCE_STATUS_FOUND, detail);
    }
  else if (run->not_offered)
    finish_source (self, OD_SOURCE_SRV, OD_SOURCE_STATUS_NONE,
                   _("The domain’s service records say it offers no mail submission "
                     "(target “.”)."));
  else if (run->error != NULL)
    finish_source (self, OD_SOURCE_SRV, OD_SOURCE_STATUS_ERROR, run->error->message);
  else
    finish_source (self, OD_SOURCE_SRV, OD_SOURCE_STATUS_NONE,
                   _("The domain publishes no service records for mail submission."));
}

static void
srv_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  SrvPart *part = user_data;
  OdDiscovery *self = part->self;
  SourceRun *run = &self->src[OD_SOURCE_SRV];
  g_autoptr(GError) error = NULL;
  GList *records;

  records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);

  if (!source_pending (self, OD_SOURCE_SRV))
    {
      g_list_free_full (records, (GDestroyNotify)g_variant_unref);
      srv_part_free (part);
      return;
    }

  run->parts--;
  run->trusted_parts--;

  if (records != NULL || g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    note_answer_time (self, (g_get_monotonic_time () - run->started_us) / 1000);

  if (records != NULL)
    {
      g_autoptr(GPtrArray) parsed = od_srv_records_from_variants (records);

      run->has_records = TRUE;
      g_autoptr(GPtrArray) sorted = NULL;

      if (od_srv_records_not_offered (parsed))
        run->not_offered = TRUE;

      sorted = od_srv_records_sort (parsed, NULL);
      for (guint i = 0; i < sorted->len && i < MAX_SRV_RECORDS; i++)
        {
          OdSrvRecord *r = g_ptr_array_index (sorted, i);
          g_autofree char *text = g_strdup_printf ("%s → %s:%u", part->name, r->target, r->port);
          guint order = (part->security == OD_SECURITY_TLS ? 0 : ORDER_SUBMISSION) + i;

          if (r->port == 0)
            continue;

          add_candidate (self, r->target, r->port, part->security, OD_SOURCE_SRV, TRUE, order,
                         NULL);
          run->n_candidates++;
          append_found (run->found, text);
        }
    }
  else if (!g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND) &&
           run->error == NULL)
    run->error = g_steal_pointer (&error);

  g_list_free_full (records, (GDestroyNotify)g_variant_unref);

  if (run->parts == 0)
    finish_srv_source (self);

  srv_part_free (part);
  evaluate (self);
}

static void
run_srv (OdDiscovery *self)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  static const struct {
    const char *service;
    OdSecurity  security;
  } services[] = {
    { "_submissions._tcp.", OD_SECURITY_TLS },   /* RFC 8314 */
    { "_submission._tcp.", OD_SECURITY_STARTTLS }, /* RFC 6186 */
  };

  begin_source (self, OD_SOURCE_SRV, G_N_ELEMENTS (services), G_N_ELEMENTS (services), TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      SrvPart *part = g_new0 (SrvPart, 1);

      part->self = g_object_ref (self);
      part->security = services[i].security;
      part->name = g_strconcat (services[i].service, self->ascii_domain, NULL);
      g_resolver_lookup_records_async (resolver, part->name, G_RESOLVER_RECORD_SRV,
                                       self->src[OD_SOURCE_SRV].cancellable, srv_cb, part);
    }
}

/* MX: the domain's incoming servers, matched against the provider database. */
typedef struct
{
  char    *host;
  guint16  preference;
} MxRecord;

static int
compare_mx (gconstpointer a,
            gconstpointer b)
{
  const MxRecord *ma = a;
  const MxRecord *mb = b;

  return (int)ma->preference - (int)mb->preference;
}

static void
mx_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(OdDiscovery) self = user_data;
  SourceRun *run = &self->src[OD_SOURCE_MX];
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) mx = g_array_new (FALSE, TRUE, sizeof (MxRecord));
  g_autoptr(GString) hosts = g_string_new (NULL);
  OdProviderDb *db = self->db ? self->db : od_provider_db_get_default ();
  GList *records;

  records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);

  if (!source_pending (self, OD_SOURCE_MX))
    {
      g_list_free_full (records, (GDestroyNotify)g_variant_unref);
      return;
    }

  run->parts = run->trusted_parts = 0;

  if (records == NULL)
    {
      if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
        {
          note_answer_time (self, (g_get_monotonic_time () - run->started_us) / 1000);
          finish_source (self, OD_SOURCE_MX, OD_SOURCE_STATUS_NONE,
                         _("The domain has no MX records."));
        }
      else
        finish_source (self, OD_SOURCE_MX, OD_SOURCE_STATUS_ERROR, error->message);

      evaluate (self);
      return;
    }

  note_answer_time (self, (g_get_monotonic_time () - run->started_us) / 1000);
  run->has_records = TRUE;

  for (GList *l = records; l != NULL; l = l->next)
    {
      MxRecord record = { NULL, 0 };
      const char *host;

      if (!g_variant_is_of_type (l->data, G_VARIANT_TYPE ("(qs)")))
        continue;

      g_variant_get (l->data, "(q&s)", &record.preference, &host);
      record.host = g_strdup (host);
      g_array_append_val (mx, record);
    }
  g_list_free_full (records, (GDestroyNotify)g_variant_unref);

  /* RFC 5321 §5.1: the lowest preference first. */
  g_array_sort (mx, compare_mx);

  for (guint i = 0; i < mx->len && i < MAX_MX_RECORDS; i++)
    {
      MxRecord *record = &g_array_index (mx, MxRecord, i);
      g_autoptr(OdProvider) provider = db ? od_provider_db_lookup_mx (db, record->host) : NULL;

      append_found (hosts, record->host);

      if (provider != NULL)
        {
          g_autofree char *detail = NULL;

          set_provider (self, provider);
          consider_incoming (self, provider, OD_SOURCE_MX);
          add_provider_servers (self, provider, OD_SOURCE_MX, TRUE);

          /* Translators: "The domain’s mail is handled by aspmx.l.google.com (Google
           * Workspace)." */
          detail = g_strdup_printf (_("The domain’s mail is handled by %s (%s)."), record->host,
                                    od_provider_get_display_name (provider));
          finish_source (self, OD_SOURCE_MX,
                         run->n_candidates > 0 ? OD_SOURCE_STATUS_FOUND : OD_SOURCE_STATUS_NONE,
                         detail);
          break;
        }
    }

  if (source_pending (self, OD_SOURCE_MX))
    {
      /* Translators: %s is a list of host names */
      g_autofree char *detail = g_strdup_printf (_("The domain’s mail servers (%s) belong to no "
                                                   "provider in the database."),
                                                 hosts->str);
      finish_source (self, OD_SOURCE_MX, OD_SOURCE_STATUS_NONE, detail);
    }

  for (guint i = 0; i < mx->len; i++)
    g_free (g_array_index (mx, MxRecord, i).host);

  evaluate (self);
}

static void
run_mx (OdDiscovery *self)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  begin_source (self, OD_SOURCE_MX, 1, 1, TRUE);
  g_resolver_lookup_records_async (resolver, self->ascii_domain, G_RESOLVER_RECORD_MX,
                                   self->src[OD_SOURCE_MX].cancellable, mx_cb,
                                   g_object_ref (self));
}

/* Guesses: the usual names on the usual ports, ordered so that a port beats a host name
 * (587 on any name before 2525 on any). */
static void
run_guess (OdDiscovery *self)
{
  static const struct {
    guint16    port;
    OdSecurity security;
  } ports[] = {
    { 465, OD_SECURITY_TLS },
    { 587, OD_SECURITY_STARTTLS },
    { 2525, OD_SECURITY_STARTTLS },
    { 25, OD_SECURITY_STARTTLS },
  };
  const char *prefixes[] = { "smtp.", "mail.", "" };
  g_autofree char *detail = NULL;

  begin_source (self, OD_SOURCE_GUESS, 0, 0, FALSE);

  for (guint p = 0; p < G_N_ELEMENTS (ports); p++)
    {
      for (guint h = 0; h < G_N_ELEMENTS (prefixes); h++)
        {
          g_autofree char *host = g_strconcat (prefixes[h], self->ascii_domain, NULL);

          add_candidate (self, host, ports[p].port, ports[p].security, OD_SOURCE_GUESS, TRUE,
                         p * G_N_ELEMENTS (prefixes) + h, NULL);
          self->src[OD_SOURCE_GUESS].n_candidates++;
        }
    }

  /* Translators: the %s are host names, such as "smtp.example.org" */
  detail = g_strdup_printf (_("Trying smtp.%s, mail.%s and %s on ports 465, 587, 2525 and 25."),
                            self->ascii_domain, self->ascii_domain, self->ascii_domain);
  finish_source (self, OD_SOURCE_GUESS, OD_SOURCE_STATUS_FOUND, detail);
}

/* ------------------------------------------------------------------------------------------
 * The outcome
 * ------------------------------------------------------------------------------------------ */

static void
diagnosis_context (OdDiscovery        *self,
                   OdCandidate        *candidate,
                   OdDiagnosisContext *ctx)
{
  memset (ctx, 0, sizeof *ctx);
  ctx->address = self->address;
  ctx->network_available = self->network_available;
  ctx->connectivity = self->connectivity;

  if (candidate != NULL)
    {
      ctx->host = od_candidate_get_host (candidate);
      ctx->port = od_candidate_get_port (candidate);
      ctx->security = od_candidate_get_security (candidate);
      ctx->username = od_candidate_get_username (candidate);
    }
  else
    ctx->host = self->ascii_domain;
}

static void
add_problem (OdDiscovery *self,
             OdProblem   *problem)
{
  g_list_store_append (self->problems, problem);
}

static void
add_catalog_problem (OdDiscovery *self,
                     const char  *id,
                     const char  *step_id,
                     OdSeverity   severity,
                     OdCandidate *candidate)
{
  OdDiagnosisContext ctx;
  g_autoptr(OdProblem) problem = NULL;

  diagnosis_context (self, candidate, &ctx);
  problem = od_diagnosis_problem_new (id, step_id, severity, &ctx, NULL);
  add_problem (self, problem);
}

static void
add_warnings (OdDiscovery *self,
              OdCandidate *best)
{
  if (od_candidate_get_port (best) == 25)
    {
      g_autoptr(OdProblem) problem = NULL;

      problem = od_problem_new ("port-blocked", OD_STEP_CONNECT, OD_SEVERITY_WARNING,
                                _("Only port 25 works for sending from here, and many "
                                  "networks block it."),
                                _("Mail may stop leaving your outbox on another network "
                                  "(at work, in a hotel, on a mobile connection). Ask your "
                                  "provider whether port 587 or 465 can be turned on for your "
                                  "account, and use it when it can."),
                                NULL);
      add_problem (self, problem);
    }

  if (od_candidate_get_auth_mechanisms (best)[0] == NULL)
    add_catalog_problem (self, "auth-not-offered", OD_STEP_AUTH, OD_SEVERITY_WARNING, best);
}

/* Whether @word is one of the items of a ", "-separated list. */
static gboolean
strv_contains_word (const char *list,
                    const char *word)
{
  g_auto(GStrv) items = g_strsplit (list, ", ", -1);

  return g_strv_contains ((const char * const *)items, word);
}

/* How telling a failure is: a certificate problem says more than a refused port, which
 * says more than a name that does not exist. */
static int
failure_weight (OdCandidate *candidate)
{
  switch (od_candidate_get_status (candidate))
    {
    case OD_CANDIDATE_TLS_ERROR:   return 7;
    case OD_CANDIDATE_ERROR:       return 6;
    case OD_CANDIDATE_NO_SMTP:     return 5;
    case OD_CANDIDATE_TIMEOUT:     return 4;
    case OD_CANDIDATE_REFUSED:     return 3;
    case OD_CANDIDATE_UNREACHABLE: return 2;
    case OD_CANDIDATE_DNS_ERROR:   return 1;
    default:                       return 0;
    }
}

static gboolean
network_hint_problem (OdDiscovery *self)
{
  if (self->connectivity == G_NETWORK_CONNECTIVITY_PORTAL)
    {
      add_catalog_problem (self, "captive-portal", OD_STEP_NETWORK, OD_SEVERITY_ERROR, NULL);
      return TRUE;
    }

  if (!self->network_available || self->connectivity == G_NETWORK_CONNECTIVITY_LOCAL ||
      self->connectivity == G_NETWORK_CONNECTIVITY_LIMITED)
    {
      add_catalog_problem (self, "network-offline", OD_STEP_NETWORK, OD_SEVERITY_ERROR, NULL);
      return TRUE;
    }

  return FALSE;
}

/* Why there is no best candidate. */
static void
add_failure_problems (OdDiscovery *self)
{
  g_autoptr(GPtrArray) ranked = ranked_candidates (self, TRUE);
  OdCandidate *telling = NULL;
  gboolean all_dns = ranked->len > 0;
  gboolean all_timeout = TRUE;
  guint n_probed = 0;

  for (guint i = 0; i < ranked->len; i++)
    {
      OdCandidate *c = g_ptr_array_index (ranked, i);
      OdCandidateStatus status = od_candidate_get_status (c);

      if (status == OD_CANDIDATE_SKIPPED)
        continue;

      n_probed++;
      if (status != OD_CANDIDATE_DNS_ERROR)
        all_dns = FALSE;
      if (status != OD_CANDIDATE_TIMEOUT && status != OD_CANDIDATE_DNS_ERROR)
        all_timeout = FALSE;

      if (telling == NULL || failure_weight (c) > failure_weight (telling))
        telling = c;
    }

  if (self->unconfirmed != NULL)
    {
      g_autofree char *summary = NULL;
      g_autoptr(OdProblem) problem = NULL;

      /* Translators: %s is a server name, %u its port */
      summary = g_strdup_printf (_("Settings were found (%s, port %u), but only over an "
                                   "unencrypted connection, so they cannot be trusted "
                                   "without your confirmation."),
                                 od_candidate_get_host (self->unconfirmed),
                                 od_candidate_get_port (self->unconfirmed));
      problem = od_problem_new ("no-settings-found", OD_STEP_DNS, OD_SEVERITY_ERROR, summary,
                                _("Compare these settings with your provider’s help pages "
                                  "and confirm them, or enter the settings manually."),
                                NULL);
      add_problem (self, problem);
      return;
    }

  if (n_probed == 0 || all_dns)
    {
      if (network_hint_problem (self))
        return;

      if (self->domain_not_found)
        {
          g_autofree char *summary = NULL;
          g_autoptr(OdProblem) problem = NULL;

          /* Translators: %s is a domain name */
          summary = g_strdup_printf (_("The domain %s does not exist."), self->domain);
          problem = od_problem_new ("dns-no-such-host", OD_STEP_DNS, OD_SEVERITY_ERROR, summary,
                                    _("Check the part of your address after the “@” for "
                                      "typing mistakes."),
                                    NULL);
          add_problem (self, problem);
          return;
        }

      add_catalog_problem (self, "no-settings-found", OD_STEP_DNS, OD_SEVERITY_ERROR, NULL);
      return;
    }

  g_assert (telling != NULL);

  /* Every connect timed out: a firewall or the internet provider drops mail ports, unless
   * the monitor says there is no network at all. */
  if (all_timeout && !od_candidate_get_connected (telling))
    {
      g_autoptr(GString) ports = g_string_new (NULL);
      g_autofree char *summary = NULL;
      g_autoptr(OdProblem) problem = NULL;

      if (network_hint_problem (self))
        return;

      for (guint i = 0; i < ranked->len; i++)
        {
          OdCandidate *c = g_ptr_array_index (ranked, i);
          g_autofree char *port = g_strdup_printf ("%u", od_candidate_get_port (c));

          if (od_candidate_get_status (c) == OD_CANDIDATE_TIMEOUT &&
              !strv_contains_word (ports->str, port))
            append_found (ports, port);
        }

      /* Translators: %s is a list of port numbers, such as "465, 587, 25" */
      summary = g_strdup_printf (_("Connecting to the mail servers timed out on every port "
                                   "tried (%s)."), ports->str);
      problem = od_problem_new ("port-blocked", OD_STEP_CONNECT, OD_SEVERITY_ERROR, summary,
                                _("A firewall on this network or your internet provider "
                                  "seems to block mail. Try another network (for example "
                                  "your phone’s hotspot); if mail works there, ask the "
                                  "administrator of this network or your internet provider "
                                  "to allow ports 587 and 465."),
                                NULL);
      add_problem (self, problem);
      return;
    }

  if (od_candidate_get_problem (telling) != NULL)
    add_problem (self, od_candidate_get_problem (telling));
  else
    add_catalog_problem (self, "no-settings-found", OD_STEP_DNS, OD_SEVERITY_ERROR, NULL);
}

static void
check_domain_exists (OdDiscovery *self)
{
  g_autoptr(GPtrArray) ranked = ranked_candidates (self, TRUE);
  gboolean bare_not_found = FALSE;

  /* GResolver does not tell "no such domain" from "no such record"; the domain is taken not
   * to exist when neither its own name nor MX nor SRV records were found. */
  for (guint i = 0; i < ranked->len; i++)
    {
      OdCandidate *c = g_ptr_array_index (ranked, i);
      OdProblem *problem = od_candidate_get_problem (c);

      if (g_str_equal (od_candidate_get_host (c), self->ascii_domain) &&
          od_candidate_get_status (c) == OD_CANDIDATE_DNS_ERROR && problem != NULL &&
          g_str_equal (od_problem_get_id (problem), "dns-no-such-host"))
        bare_not_found = TRUE;
    }

  self->domain_not_found =
    bare_not_found && self->provider == NULL &&
    !self->src[OD_SOURCE_MX].has_records && !self->src[OD_SOURCE_SRV].has_records &&
    (self->src[OD_SOURCE_MX].object == NULL ||
     od_discovery_source_get_status (self->src[OD_SOURCE_MX].object) == OD_SOURCE_STATUS_NONE) &&
    (self->src[OD_SOURCE_SRV].object == NULL ||
     od_discovery_source_get_status (self->src[OD_SOURCE_SRV].object) == OD_SOURCE_STATUS_NONE);
}

static void
stop_run (OdDiscovery *self)
{
  if (self->ceiling != NULL)
    {
      g_source_destroy (self->ceiling);
      g_clear_pointer (&self->ceiling, g_source_unref);
    }

  if (self->wakeup != NULL)
    {
      g_source_destroy (self->wakeup);
      g_clear_pointer (&self->wakeup, g_source_unref);
    }

  if (self->parent_handler != 0)
    {
      g_cancellable_disconnect (self->parent, self->parent_handler);
      self->parent_handler = 0;
    }
}

static void
complete (OdDiscovery *self,
          OdCandidate *best)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  g_autoptr(GPtrArray) ranked = NULL;
  gboolean cancelled = g_cancellable_is_cancelled (self->parent) && !self->timed_out;

  g_assert (task != NULL);

  stop_run (self);

  stop_all_probes (self, OD_CANDIDATE_SKIPPED,
                   cancelled ? _("Cancelled.") :
                   _("Stopped: not needed once a better-ranked setting worked."));

  for (guint k = 0; k < OD_N_SOURCES; k++)
    finish_source (self, k, OD_SOURCE_STATUS_NONE,
                   cancelled ? _("Cancelled.") :
                   _("Stopped: not needed once a better-ranked setting worked."));

  self->elapsed_ms = now_ms (self);

  if (cancelled)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The detection was cancelled");
      return;
    }

  /* The best unconfirmed setting, for a user who wants to confirm it. */
  ranked = ranked_candidates (self, FALSE);
  for (guint i = 0; i < ranked->len; i++)
    {
      OdCandidate *c = g_ptr_array_index (ranked, i);

      if (!od_candidate_get_trusted (c) && od_candidate_get_status (c) == OD_CANDIDATE_OK)
        {
          g_set_object (&self->unconfirmed, c);
          break;
        }
    }

  g_set_object (&self->best, best);

  if (best != NULL)
    {
      /* An unconfirmed setting matters only when nothing trusted works. */
      g_clear_object (&self->unconfirmed);
      add_warnings (self, best);
    }
  else
    {
      check_domain_exists (self);
      add_failure_problems (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BEST]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  g_task_return_pointer (task, best ? g_object_ref (best) : NULL, g_object_unref);
}

/* ------------------------------------------------------------------------------------------
 * Deciding
 * ------------------------------------------------------------------------------------------ */

static gboolean
wakeup_cb (gpointer user_data)
{
  OdDiscovery *self = user_data;

  g_clear_pointer (&self->wakeup, g_source_unref);
  self->wakeup_us = 0;
  evaluate (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_wakeup (OdDiscovery *self,
                 gint64       when_us)
{
  if (self->wakeup != NULL && self->wakeup_us <= when_us)
    return;

  if (self->wakeup != NULL)
    {
      g_source_destroy (self->wakeup);
      g_clear_pointer (&self->wakeup, g_source_unref);
    }

  self->wakeup_us = when_us;
  self->wakeup = g_timeout_source_new (MAX (0, (when_us - g_get_monotonic_time () + 999) / 1000));
  g_source_set_callback (self->wakeup, wakeup_cb, self, NULL);
  g_source_set_name (self->wakeup, "[od] discovery grace");
  g_source_attach (self->wakeup, g_main_context_get_thread_default ());
}

static gboolean
anything_pending (OdDiscovery *self)
{
  if (g_hash_table_size (self->probes) > 0)
    return TRUE;

  for (guint k = 0; k < OD_N_SOURCES; k++)
    {
      if (source_pending (self, k))
        return TRUE;
    }

  return FALSE;
}

/* Whether a source still running could propose something better-ranked than @winner. */
static gboolean
could_outrank (OdDiscovery  *self,
               OdSourceKind  kind,
               OdCandidate  *winner)
{
  if (!source_pending (self, kind))
    return FALSE;

  /* Only untrusted parts left: their settings are never chosen automatically. */
  if (self->src[kind].parts > 0 && self->src[kind].trusted_parts == 0)
    return FALSE;

  return od_candidate_get_port (winner) == 25 || kind < od_candidate_get_source (winner);
}

static gboolean
maybe_retry (OdDiscovery *self)
{
  g_autoptr(GPtrArray) ranked = NULL;
  g_autoptr(GPtrArray) again = g_ptr_array_new ();
  gint64 remaining_ms;
  gboolean slow_network;

  if (self->retried || self->timed_out)
    return FALSE;

  remaining_ms = (gint64)self->total_timeout_ms - now_ms (self) - RETRY_MARGIN_MS;
  if (remaining_ms < 2 * (gint64)self->connect_timeout_ms)
    return FALSE;

  slow_network = self->slowest_answer_ms * 4 >= self->connect_timeout_ms;

  ranked = ranked_candidates (self, TRUE);
  for (guint i = 0; i < ranked->len; i++)
    {
      OdCandidate *c = g_ptr_array_index (ranked, i);

      if (od_candidate_get_status (c) != OD_CANDIDATE_TIMEOUT)
        continue;

      /* A server that accepted the connection and then stayed silent may just be slow to
       * greet; a connect that timed out is worth another try only on a slow network. */
      if (od_candidate_get_connected (c) || slow_network)
        g_ptr_array_add (again, c);
    }

  if (again->len == 0)
    return FALSE;

  self->retried = TRUE;
  g_debug ("Trying %u timed-out candidates again for up to %" G_GINT64_FORMAT " ms",
           again->len, remaining_ms);

  for (guint i = 0; i < again->len; i++)
    {
      OdCandidate *c = g_ptr_array_index (again, i);

      od_candidate_reset (c);
      start_probe (self, c, remaining_ms);
    }

  return TRUE;
}

static void
evaluate (OdDiscovery *self)
{
  g_autoptr(GPtrArray) ranked = NULL;
  OdCandidate *winner = NULL;
  gint64 now = g_get_monotonic_time ();
  gint64 wake = G_MAXINT64;
  gboolean wait = FALSE;
  guint w;

  if (self->task == NULL || self->starting)
    return;

  if (g_cancellable_is_cancelled (self->parent))
    {
      complete (self, NULL);
      return;
    }

  ranked = ranked_candidates (self, TRUE);

  for (w = 0; w < ranked->len; w++)
    {
      if (is_ok_with_login (g_ptr_array_index (ranked, w)))
        {
          winner = g_ptr_array_index (ranked, w);
          break;
        }
    }

  if (winner != NULL)
    {
      gint64 grace_us = MAX ((gint64)self->grace_ms, 2 * od_candidate_get_connect_ms (winner)) * 1000;

      if (self->winner_seen != winner)
        {
          self->winner_seen = winner;
          self->winner_seen_us = now;
        }

      /* Better-ranked candidates still running: wait for those that connected; give those
       * that did not a grace period from their start, then stop waiting for them. */
      for (guint i = 0; i < w; i++)
        {
          OdCandidate *better = g_ptr_array_index (ranked, i);
          OdProbe *probe = g_hash_table_lookup (self->probes, better);
          gint64 until;

          if (probe == NULL || od_candidate_is_finished (better))
            continue;

          if (od_candidate_get_connected (better))
            {
              wait = TRUE;
              continue;
            }

          until = od_probe_get_started_us (probe) + grace_us;
          if (now >= until)
            {
              g_autofree char *detail = NULL;

              /* Translators: %.1f is a number of seconds */
              detail = g_strdup_printf (_("No answer within %.1f s; not waited for longer, "
                                          "because a setting ranked below it works."),
                                        (now - od_probe_get_started_us (probe)) / 1000000.0);
              stop_probe (self, better, OD_CANDIDATE_TIMEOUT, detail);
            }
          else
            {
              wait = TRUE;
              wake = MIN (wake, until);
            }
        }

      for (guint k = 0; k < OD_N_SOURCES; k++)
        {
          gint64 until = self->winner_seen_us + grace_us;

          if (!could_outrank (self, k, winner))
            continue;

          if (now >= until)
            finish_source (self, k, OD_SOURCE_STATUS_NONE,
                           _("Not waited for: a setting from a less trusted source already "
                             "works."));
          else
            {
              wait = TRUE;
              wake = MIN (wake, until);
            }
        }

      if (wait)
        {
          if (wake != G_MAXINT64)
            schedule_wakeup (self, wake);
          return;
        }

      complete (self, winner);
      return;
    }

  if (anything_pending (self))
    return;

  /* Everything has finished and nothing offers a login: a server without one still beats
   * nothing (it may relay for this network), with a warning. */
  for (guint i = 0; i < ranked->len; i++)
    {
      OdCandidate *c = g_ptr_array_index (ranked, i);

      if (od_candidate_get_status (c) == OD_CANDIDATE_OK)
        {
          complete (self, c);
          return;
        }
    }

  if (maybe_retry (self))
    return;

  complete (self, NULL);
}

static gboolean
ceiling_cb (gpointer user_data)
{
  OdDiscovery *self = user_data;
  g_autofree char *detail = NULL;

  g_clear_pointer (&self->ceiling, g_source_unref);
  self->timed_out = TRUE;

  /* Translators: %.1f is a number of seconds */
  detail = g_strdup_printf (_("Stopped: the detection’s time limit of %.1f s was reached."),
                            self->total_timeout_ms / 1000.0);
  stop_all_probes (self, OD_CANDIDATE_TIMEOUT, detail);
  for (guint k = 0; k < OD_N_SOURCES; k++)
    finish_source (self, k, OD_SOURCE_STATUS_ERROR, detail);

  evaluate (self);

  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_idle_cb (gpointer user_data)
{
  OdDiscovery *self = user_data;

  evaluate (self);

  return G_SOURCE_REMOVE;
}

static void
parent_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  OdDiscovery *self = user_data;

  /* Not from inside the cancellable's signal: the caller's callback may drop everything. */
  g_idle_add_full (G_PRIORITY_DEFAULT, cancelled_idle_cb, g_object_ref (self), g_object_unref);
}

/* ------------------------------------------------------------------------------------------
 * GObject
 * ------------------------------------------------------------------------------------------ */

static void
od_discovery_dispose (GObject *object)
{
  OdDiscovery *self = (OdDiscovery *)object;

  g_assert (self->task == NULL);

  for (guint k = 0; k < OD_N_SOURCES; k++)
    {
      SourceRun *run = &self->src[k];

      if (run->deadline != NULL)
        {
          g_source_destroy (run->deadline);
          g_clear_pointer (&run->deadline, g_source_unref);
        }
      g_clear_object (&run->cancellable);
      g_clear_object (&run->object);
    }

  g_clear_pointer (&self->probes, g_hash_table_unref);
  g_clear_pointer (&self->by_key, g_hash_table_unref);
  g_clear_pointer (&self->lookups, od_lookup_cache_unref);
  g_clear_object (&self->soup);
  g_clear_object (&self->parent);
  g_clear_object (&self->best);
  g_clear_object (&self->unconfirmed);
  g_clear_object (&self->db);
  g_clear_object (&self->sources);
  g_clear_object (&self->candidates);
  g_clear_object (&self->problems);
  self->winner_seen = NULL;

  G_OBJECT_CLASS (od_discovery_parent_class)->dispose (object);
}

static void
od_discovery_finalize (GObject *object)
{
  OdDiscovery *self = (OdDiscovery *)object;

  for (guint k = 0; k < OD_N_SOURCES; k++)
    {
      SourceRun *run = &self->src[k];

      g_clear_error (&run->error);
      g_clear_error (&run->untrusted_error);
      if (run->found != NULL)
        g_string_free (run->found, TRUE);
      if (run->found_untrusted != NULL)
        g_string_free (run->found_untrusted, TRUE);
    }

  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->domain, g_free);
  g_clear_pointer (&self->ascii_domain, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->https_base, g_free);
  g_clear_pointer (&self->http_base, g_free);
  g_clear_pointer (&self->port_map, g_hash_table_unref);
  g_clear_pointer (&self->provider, od_provider_unref);
  g_clear_pointer (&self->incoming, od_server_config_free);

  G_OBJECT_CLASS (od_discovery_parent_class)->finalize (object);
}

static void
od_discovery_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  OdDiscovery *self = OD_DISCOVERY (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;

    case PROP_BEST:
      g_value_set_object (value, self->best);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->task != NULL);
      break;

    case PROP_PROVIDER:
      g_value_set_boxed (value, self->provider);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
od_discovery_class_init (OdDiscoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = od_discovery_dispose;
  object_class->finalize = od_discovery_finalize;
  object_class->get_property = od_discovery_get_property;

  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BEST] =
    g_param_spec_object ("best", NULL, NULL, OD_TYPE_CANDIDATE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROVIDER] =
    g_param_spec_boxed ("provider", NULL, NULL, OD_TYPE_PROVIDER,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
od_discovery_init (OdDiscovery *self)
{
  self->connect_timeout_ms = OD_DISCOVERY_DEFAULT_CONNECT_TIMEOUT_MS;
  self->total_timeout_ms = OD_DISCOVERY_DEFAULT_TOTAL_TIMEOUT_MS;
  self->grace_ms = DEFAULT_GRACE_MS;
  self->enabled = OD_SOURCE_FLAG_ALL;
  self->sources = g_list_store_new (OD_TYPE_DISCOVERY_SOURCE);
  self->candidates = g_list_store_new (OD_TYPE_CANDIDATE);
  self->problems = g_list_store_new (OD_TYPE_PROBLEM);
  self->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->probes = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref,
                                        g_object_unref);
  self->lookups = od_lookup_cache_new ();
}

/* ------------------------------------------------------------------------------------------
 * Public API
 * ------------------------------------------------------------------------------------------ */

/**
 * od_discovery_new:
 * @address: the e-mail address to find the outgoing server for
 *
 * The address is checked when the detection runs (od_discovery_run_finish() reports
 * %OD_SMTP_ERROR_BAD_INPUT for a malformed one).
 *
 * Returns: (transfer full): a new detection, ready to run once
 */
OdDiscovery *
od_discovery_new (const char *address)
{
  OdDiscovery *self;
  const char *at;

  g_return_val_if_fail (address != NULL, NULL);

  self = g_object_new (OD_TYPE_DISCOVERY, NULL);
  self->address = g_strdup (address);

  at = strrchr (address, '@');
  if (at != NULL && g_utf8_validate (at + 1, -1, NULL))
    self->domain = g_utf8_strdown (at + 1, -1);

  return self;
}

const char *
od_discovery_get_address (OdDiscovery *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY (self), NULL);
  return self->address;
}

/**
 * od_discovery_get_domain:
 *
 * Returns: (nullable): the address's domain, in lower case, as typed (not IDN-encoded)
 */
const char *
od_discovery_get_domain (OdDiscovery *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY (self), NULL);
  return self->domain;
}

/**
 * od_discovery_set_ca_file:
 * @ca_file: (nullable): a PEM file of CA certificates trusted in addition to the system's,
 *   for the probes and the autoconfig fetches
 */
void
od_discovery_set_ca_file (OdDiscovery *self,
                          const char  *ca_file)
{
  g_return_if_fail (OD_IS_DISCOVERY (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

/**
 * od_discovery_set_connect_timeout:
 * @timeout_ms: the first pass's deadline for each lookup, connect and reply, and for each
 *   source (default %OD_DISCOVERY_DEFAULT_CONNECT_TIMEOUT_MS)
 */
void
od_discovery_set_connect_timeout (OdDiscovery *self,
                                  guint        timeout_ms)
{
  g_return_if_fail (OD_IS_DISCOVERY (self));
  g_return_if_fail (timeout_ms > 0);

  self->connect_timeout_ms = timeout_ms;
}

/**
 * od_discovery_set_total_timeout:
 * @timeout_ms: the hard ceiling for the whole detection (default
 *   %OD_DISCOVERY_DEFAULT_TOTAL_TIMEOUT_MS)
 */
void
od_discovery_set_total_timeout (OdDiscovery *self,
                                guint        timeout_ms)
{
  g_return_if_fail (OD_IS_DISCOVERY (self));
  g_return_if_fail (timeout_ms > 0);

  self->total_timeout_ms = timeout_ms;
}

/**
 * od_discovery_set_sources:
 * @sources: the sources to consult (default %OD_SOURCE_FLAG_ALL)
 */
void
od_discovery_set_sources (OdDiscovery   *self,
                          OdSourceFlags  sources)
{
  g_return_if_fail (OD_IS_DISCOVERY (self));
  self->enabled = sources & OD_SOURCE_FLAG_ALL;
}

/**
 * od_discovery_set_provider_db:
 * @db: (nullable): the provider database to use instead of the built-in one
 */
void
od_discovery_set_provider_db (OdDiscovery  *self,
                              OdProviderDb *db)
{
  g_return_if_fail (OD_IS_DISCOVERY (self));
  g_return_if_fail (!db || OD_IS_PROVIDER_DB (db));

  g_set_object (&self->db, db);
}

/**
 * od_discovery_set_autoconfig_base_uri_for_testing:
 * @https_base: (nullable): replaces `https://HOST` in autoconfig URLs by `https_base/HOST`
 * @http_base: (nullable): the same for `http://HOST`
 *
 * A test hook: serves the autoconfig documents from a local server. When either is set, the
 * variant whose base is %NULL is not fetched at all. The trust of a document still follows
 * the scheme of the real URL.
 */
void
od_discovery_set_autoconfig_base_uri_for_testing (OdDiscovery *self,
                                                  const char  *https_base,
                                                  const char  *http_base)
{
  g_return_if_fail (OD_IS_DISCOVERY (self));

  g_free (self->https_base);
  self->https_base = g_strdup (https_base);
  g_free (self->http_base);
  self->http_base = g_strdup (http_base);
}

/**
 * od_discovery_map_port_for_testing:
 *
 * A test hook: probes of candidates on @port connect to @real_port instead. The candidate
 * still shows @port.
 */
void
od_discovery_map_port_for_testing (OdDiscovery *self,
                                   guint16      port,
                                   guint16      real_port)
{
  g_return_if_fail (OD_IS_DISCOVERY (self));
  g_return_if_fail (port > 0 && real_port > 0);

  if (self->port_map == NULL)
    self->port_map = g_hash_table_new (g_direct_hash, g_direct_equal);

  g_hash_table_insert (self->port_map, GUINT_TO_POINTER (port), GUINT_TO_POINTER (real_port));
}

/**
 * od_discovery_set_grace_for_testing:
 * @grace_ms: how long a better-ranked candidate that has not connected is waited for once
 *   a worse-ranked one works (at least twice the winner's connect time)
 */
void
od_discovery_set_grace_for_testing (OdDiscovery *self,
                                    guint        grace_ms)
{
  g_return_if_fail (OD_IS_DISCOVERY (self));
  self->grace_ms = grace_ms;
}

/**
 * od_discovery_run_async:
 * @cancellable: (nullable): stops everything; the result is then %G_IO_ERROR_CANCELLED
 *
 * Runs the detection once. Sources and candidates appear in od_discovery_get_sources() and
 * od_discovery_get_candidates() as they start, and their properties change as they finish,
 * so a list bound to them shows the progress.
 */
void
od_discovery_run_async (OdDiscovery         *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *user_agent = NULL;
  GNetworkMonitor *monitor;

  g_return_if_fail (OD_IS_DISCOVERY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->task == NULL && self->started_us == 0);

  self->started_us = g_get_monotonic_time ();
  self->task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (self->task, od_discovery_run_async);
  self->parent = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();

  if (!od_check_validate_address (self->address, &error) || self->domain == NULL ||
      !(self->ascii_domain = g_hostname_to_ascii (self->domain)) ||
      strchr (self->ascii_domain, '.') == NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      if (error == NULL)
        g_set_error (&error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT,
                     _("“%s” is not a valid e-mail address: it should look like "
                       "name@example.org."), self->address);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  {
    char *lower = g_ascii_strdown (self->ascii_domain, -1);

    g_free (self->ascii_domain);
    self->ascii_domain = lower;
  }

  /* A hint for the diagnosis, never a gate: everything is tried anyway. */
  monitor = g_network_monitor_get_default ();
  self->network_available = g_network_monitor_get_network_available (monitor);
  self->connectivity = g_network_monitor_get_connectivity (monitor);

  self->parent_handler = g_cancellable_connect (self->parent, G_CALLBACK (parent_cancelled_cb),
                                                self, NULL);

  self->ceiling = g_timeout_source_new (self->total_timeout_ms);
  g_source_set_callback (self->ceiling, ceiling_cb, self, NULL);
  g_source_set_name (self->ceiling, "[od] discovery ceiling");
  g_source_attach (self->ceiling, g_main_context_get_thread_default ());

  user_agent = g_strdup_printf ("Outbox Doctor/%s", PACKAGE_VERSION);
  self->soup = soup_session_new_with_options ("user-agent", user_agent,
                                              "timeout", (self->connect_timeout_ms + 999) / 1000,
                                              "max-conns-per-host", 2,
                                              NULL);

  /* Every enabled source is listed before any starts, in the order of trust. */
  for (guint k = 0; k < OD_N_SOURCES; k++)
    {
      if (self->enabled & (1 << k))
        {
          self->src[k].object = od_discovery_source_new (k);
          g_list_store_append (self->sources, self->src[k].object);
        }
    }

  self->starting = TRUE;

  if (self->src[OD_SOURCE_PROVIDER_DB].object != NULL)
    run_provider_db (self);
  if (self->src[OD_SOURCE_AUTOCONFIG].object != NULL)
    run_config_source (self, OD_SOURCE_AUTOCONFIG);
  if (self->src[OD_SOURCE_WELL_KNOWN].object != NULL)
    run_config_source (self, OD_SOURCE_WELL_KNOWN);
  if (self->src[OD_SOURCE_SRV].object != NULL)
    run_srv (self);
  if (self->src[OD_SOURCE_MX].object != NULL)
    run_mx (self);
  if (self->src[OD_SOURCE_GUESS].object != NULL)
    run_guess (self);

  self->starting = FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  evaluate (self);
}

/**
 * od_discovery_run_finish:
 *
 * Returns: (transfer full) (nullable): the best candidate, or %NULL when none was found
 *   (od_discovery_get_problems() says why) or on error: %G_IO_ERROR_CANCELLED, or
 *   %OD_SMTP_ERROR_BAD_INPUT for a malformed address
 */
OdCandidate *
od_discovery_run_finish (OdDiscovery   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (OD_IS_DISCOVERY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * od_discovery_get_sources:
 *
 * Returns: (transfer none): a #GListModel of #OdDiscoverySource, one per enabled source in
 *   the order of trust; filled when the detection starts
 */
GListModel *
od_discovery_get_sources (OdDiscovery *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY (self), NULL);
  return G_LIST_MODEL (self->sources);
}

/**
 * od_discovery_get_candidates:
 *
 * Returns: (transfer none): a #GListModel of #OdCandidate, in the order they were proposed;
 *   items are added while the detection runs
 */
GListModel *
od_discovery_get_candidates (OdDiscovery *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY (self), NULL);
  return G_LIST_MODEL (self->candidates);
}

/**
 * od_discovery_get_best:
 *
 * Returns: (transfer none) (nullable): the chosen setting, once the detection finished
 */
OdCandidate *
od_discovery_get_best (OdDiscovery *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY (self), NULL);
  return self->best;
}

/**
 * od_discovery_get_unconfirmed:
 *
 * Returns: (transfer none) (nullable): when there is no best setting, the best one that works
 *   but came over plain http://; it may be used only after the user confirmed it
 */
OdCandidate *
od_discovery_get_unconfirmed (OdDiscovery *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY (self), NULL);
  return self->unconfirmed;
}

/**
 * od_discovery_get_problems:
 *
 * Returns: (transfer none): a #GListModel of #OdProblem: why there is no best setting, or
 *   warnings about the best one (port 25, no login offered)
 */
GListModel *
od_discovery_get_problems (OdDiscovery *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY (self), NULL);
  return G_LIST_MODEL (self->problems);
}

/**
 * od_discovery_get_provider:
 *
 * Returns: (transfer none) (nullable): the provider, from the database by domain or by MX,
 *   with its facts (app password, OAuth only, …)
 */
OdProvider *
od_discovery_get_provider (OdDiscovery *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY (self), NULL);
  return self->provider;
}

/**
 * od_discovery_get_incoming:
 *
 * Returns: (transfer none) (nullable): the best IMAP server the sources name, with the user
 *   name expanded; not probed
 */
OdServerConfig *
od_discovery_get_incoming (OdDiscovery *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY (self), NULL);
  return self->incoming;
}

OdSourceKind
od_discovery_get_incoming_source (OdDiscovery *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY (self), OD_SOURCE_GUESS);
  return self->incoming_source;
}

gboolean
od_discovery_is_running (OdDiscovery *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY (self), FALSE);
  return self->task != NULL;
}

gint64
od_discovery_get_elapsed_ms (OdDiscovery *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY (self), 0);
  return self->task != NULL ? now_ms (self) : self->elapsed_ms;
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_setting (JsonBuilder *builder,
             const char  *name,
             OdCandidate *candidate)
{
  const char * const *mechanisms;

  json_builder_set_member_name (builder, name);
  if (candidate == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  mechanisms = od_candidate_get_auth_mechanisms (candidate);

  json_builder_begin_object (builder);
  add_string_or_null (builder, "host", od_candidate_get_host (candidate));
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, od_candidate_get_port (candidate));
  add_string_or_null (builder, "security", od_security_to_string (od_candidate_get_security (candidate)));
  add_string_or_null (builder, "username", od_candidate_get_username (candidate));
  json_builder_set_member_name (builder, "auth_mechanisms");
  json_builder_begin_array (builder);
  for (guint i = 0; mechanisms[i] != NULL; i++)
    json_builder_add_string_value (builder, mechanisms[i]);
  json_builder_end_array (builder);
  add_string_or_null (builder, "source", od_source_kind_to_string (od_candidate_get_source (candidate)));
  json_builder_end_object (builder);
}

/**
 * od_discovery_to_json:
 *
 * The `detect` document of the JSON contract, schema 1 (see docs/json.md). Keys are only
 * ever added.
 *
 * Returns: (transfer full): the document
 */
JsonNode *
od_discovery_to_json (OdDiscovery *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n;

  g_return_val_if_fail (OD_IS_DISCOVERY (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, 1);
  add_string_or_null (builder, "address", self->address);
  add_string_or_null (builder, "domain", self->domain);

  json_builder_set_member_name (builder, "sources");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->sources));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OdDiscoverySource) source = g_list_model_get_item (G_LIST_MODEL (self->sources), i);

      json_builder_begin_object (builder);
      add_string_or_null (builder, "kind", od_source_kind_to_string (od_discovery_source_get_kind (source)));
      add_string_or_null (builder, "status", od_source_status_to_string (od_discovery_source_get_status (source)));
      add_string_or_null (builder, "detail", od_discovery_source_get_detail (source));
      json_builder_set_member_name (builder, "elapsed_ms");
      json_builder_add_int_value (builder, od_discovery_source_get_elapsed_ms (source));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "candidates");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->candidates));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OdCandidate) candidate = g_list_model_get_item (G_LIST_MODEL (self->candidates), i);

      json_builder_add_value (builder, od_candidate_to_json (candidate));
    }
  json_builder_end_array (builder);

  add_setting (builder, "best", self->best);

  json_builder_set_member_name (builder, "incoming");
  if (self->incoming != NULL)
    {
      json_builder_begin_object (builder);
      add_string_or_null (builder, "protocol", od_server_protocol_to_string (self->incoming->protocol));
      add_string_or_null (builder, "host", self->incoming->hostname);
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, self->incoming->port);
      add_string_or_null (builder, "security", od_security_to_string (self->incoming->security));
      add_string_or_null (builder, "username", self->incoming->username);
      add_string_or_null (builder, "source", od_source_kind_to_string (self->incoming_source));
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->problems));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OdProblem) problem = g_list_model_get_item (G_LIST_MODEL (self->problems), i);

      json_builder_begin_object (builder);
      add_string_or_null (builder, "id", od_problem_get_id (problem));
      add_string_or_null (builder, "step", od_problem_get_step_id (problem));
      add_string_or_null (builder, "severity", od_severity_to_string (od_problem_get_severity (problem)));
      add_string_or_null (builder, "summary", od_problem_get_summary (problem));
      add_string_or_null (builder, "remedy", od_problem_get_remedy (problem));
      add_string_or_null (builder, "server_reply", od_problem_get_server_reply (problem));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  /* Extensions */
  add_setting (builder, "unconfirmed", self->unconfirmed);

  json_builder_set_member_name (builder, "provider");
  if (self->provider != NULL)
    {
      json_builder_begin_object (builder);
      add_string_or_null (builder, "id", od_provider_get_id (self->provider));
      add_string_or_null (builder, "name", od_provider_get_display_name (self->provider));
      json_builder_set_member_name (builder, "needs_app_password");
      json_builder_add_boolean_value (builder, od_provider_get_needs_app_password (self->provider));
      json_builder_set_member_name (builder, "oauth_only");
      json_builder_add_boolean_value (builder, od_provider_get_oauth_only (self->provider));
      add_string_or_null (builder, "documentation_url",
                          od_provider_get_documentation_url (self->provider));
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "elapsed_ms");
  json_builder_add_int_value (builder, od_discovery_get_elapsed_ms (self));

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
