/* od-discovery-mx.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-discovery"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-autoconfig.h"
#include "od-config-fetch.h"
#include "od-discovery-private.h"
#include "od-text.h"
#include "od-trust.h"

/* The MX source: the domain's incoming servers say who handles its mail. A provider of the
 * database (by the MX host's suffix, or by the MX host's registrable domain) gives its
 * settings, trusted: the worst a forged MX can do is name another well-known provider.
 * Otherwise, when the MX hosts belong to another domain, a hosting company runs the mail:
 * as Thunderbird does, its own HTTPS autoconfig and its usual submission names are tried.
 * Those lie outside the mail domain, so they are untrusted (a forged MX could name any
 * company) and need the user's confirmation.
 *
 * The MX hosts themselves receive mail: one that answers without a login is said to be
 * that, never offered for sending (od_discovery_is_mx_host()). */

#define MAX_MX_RECORDS   10
#define HOSTING_ORDER    200  /* after everything the address's own sources propose */
#define AUTOCONFIG_PATH  "/mail/config-v1.1.xml"

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

/**
 * od_discovery_is_mx_host:
 *
 * Returns: whether @host is one of the domain's incoming (MX) servers
 */
gboolean
od_discovery_is_mx_host (OdDiscovery *self,
                         const char  *host)
{
  g_autofree char *lower = NULL;

  if (self->mx_hosts == NULL || host == NULL)
    return FALSE;

  lower = od_trust_normalize_host (host);
  return g_hash_table_contains (self->mx_hosts, lower);
}

/**
 * od_discovery_check_inbound:
 *
 * A finished candidate that is one of the domain's incoming servers and offers no login
 * receives mail: it is marked so, and never offered for sending.
 */
void
od_discovery_check_inbound (OdDiscovery *self,
                            OdCandidate *candidate)
{
  if (od_candidate_get_status (candidate) == OD_CANDIDATE_OK &&
      od_candidate_get_auth_mechanisms (candidate)[0] == NULL &&
      od_discovery_is_mx_host (self, od_candidate_get_host (candidate)))
    od_candidate_set_inbound (candidate);
}

/* ---- A hosting company ---------------------------------------------------------------- */

static void
finish_hosting (OdDiscovery *self,
                const char  *mx_host)
{
  SourceRun *run = &self->src[OD_SOURCE_MX];
  g_autofree char *detail = NULL;

  if (run->found_untrusted->len > 0)
    /* Translators: "The domain’s mail is handled by mx1.hostco.example, at hostco.example,
     * which is not in the provider database: its settings (from https://…) and its usual
     * server names were tried; they need your confirmation." */
    detail = g_strdup_printf (_("The domain’s mail is handled by %s, at %s, which is not in "
                                "the provider database: its settings (from %s) and its usual "
                                "server names were tried; they need your confirmation."),
                              mx_host, self->hosting_domain, run->found_untrusted->str);
  else
    /* Translators: "The domain’s mail is handled by mx1.hostco.example, at hostco.example,
     * which is not in the provider database: its usual server names were tried; they need
     * your confirmation." */
    detail = g_strdup_printf (_("The domain’s mail is handled by %s, at %s, which is not in "
                                "the provider database: its usual server names were tried; "
                                "they need your confirmation."),
                              mx_host, self->hosting_domain);

  od_discovery_finish_source (self, OD_SOURCE_MX, OD_SOURCE_STATUS_FOUND, detail);
}

typedef struct
{
  OdDiscovery *self;
  char        *mx_host;
  char        *shown_uri;
} HostingFetch;

static void
hosting_fetch_free (HostingFetch *fetch)
{
  g_clear_object (&fetch->self);
  g_free (fetch->mx_host);
  g_free (fetch->shown_uri);
  g_free (fetch);
}

static void
hosting_fetch_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  HostingFetch *fetch = user_data;
  OdDiscovery *self = fetch->self;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = NULL;

  bytes = od_config_fetch_finish (result, NULL, &error);

  if (!od_discovery_run_pending (self, OD_SOURCE_MX))
    {
      hosting_fetch_free (fetch);
      return;
    }

  self->src[OD_SOURCE_MX].parts = 0;

  if (bytes != NULL)
    {
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);

      provider = od_autoconfig_parse (data, len, &error);
    }

  /* The company's word, but not the domain's: untrusted, whatever it names. */
  if (provider != NULL)
    {
      od_discovery_add_provider_servers (self, provider, OD_SOURCE_MX, OD_UNTRUSTED_HOSTING,
                                         self->hosting_domain);
      od_discovery_add_incoming_servers (self, provider, OD_SOURCE_MX, OD_UNTRUSTED_HOSTING,
                                         self->hosting_domain);
      od_discovery_append_found (self->src[OD_SOURCE_MX].found_untrusted, fetch->shown_uri);
    }
  else
    g_debug ("No settings from %s: %s", fetch->shown_uri, error ? error->message : "?");

  finish_hosting (self, fetch->mx_host);
  hosting_fetch_free (fetch);
  od_discovery_evaluate (self);
}

/* The MX host @mx_host matched no provider. Returns FALSE when it is within the address's
 * own domain (the guesses cover that), TRUE when a hosting company's servers are tried. */
static gboolean
start_hosting (OdDiscovery  *self,
               OdProviderDb *db,
               const char   *mx_host)
{
  const char *prefixes[] = { "smtp.", "mail." };
  const struct {
    guint16    port;
    OdSecurity security;
  } ports[] = {
    { 465, OD_SECURITY_TLS },
    { 587, OD_SECURITY_STARTTLS },
  };
  g_autoptr(OdProvider) provider = NULL;
  g_autofree char *host = NULL;
  g_autofree char *uri = NULL;
  HostingFetch *fetch;
  guint order = HOSTING_ORDER;

  self->hosting_domain = od_trust_registrable_domain (mx_host);
  if (self->hosting_domain == NULL ||
      od_trust_host_within (mx_host, self->registrable_domain))
    {
      g_clear_pointer (&self->hosting_domain, g_free);
      return FALSE;
    }

  /* A provider of the database under the company's own domain: trusted. */
  provider = db ? od_provider_db_lookup_domain (db, self->hosting_domain) : NULL;
  if (provider != NULL)
    {
      g_autofree char *detail = NULL;

      od_discovery_set_provider (self, provider);
      od_discovery_add_incoming_servers (self, provider, OD_SOURCE_MX, OD_UNTRUSTED_NO, NULL);
      od_discovery_add_provider_servers (self, provider, OD_SOURCE_MX, OD_UNTRUSTED_NO, NULL);
      /* Translators: "The domain’s mail is handled by mx1.hostco.example (HostCo)." */
      detail = g_strdup_printf (_("The domain’s mail is handled by %s (%s)."), mx_host,
                                od_provider_get_display_name (provider));
      od_discovery_finish_source (self, OD_SOURCE_MX, OD_SOURCE_STATUS_FOUND, detail);
      return TRUE;
    }

  /* The company's usual submission names, after everything of the address's own. */
  for (guint p = 0; p < G_N_ELEMENTS (ports); p++)
    for (guint h = 0; h < G_N_ELEMENTS (prefixes); h++)
      {
        g_autofree char *guess = g_strconcat (prefixes[h], self->hosting_domain, NULL);

        od_discovery_add_candidate (self, guess, ports[p].port, ports[p].security,
                                    OD_SOURCE_MX, OD_UNTRUSTED_HOSTING, self->hosting_domain,
                                    order++, NULL);
        self->src[OD_SOURCE_MX].n_untrusted++;
      }
  od_discovery_add_incoming_guesses (self, self->hosting_domain, OD_SOURCE_MX,
                                     OD_UNTRUSTED_HOSTING, self->hosting_domain, HOSTING_ORDER);

  /* Its HTTPS autoconfig, without the address: it is not the address's domain. */
  host = g_strconcat ("autoconfig.", self->hosting_domain, NULL);
  uri = od_discovery_build_uri (self, TRUE, host, AUTOCONFIG_PATH, NULL);
  if (uri == NULL)
    {
      finish_hosting (self, mx_host);
      return TRUE;
    }

  fetch = g_new0 (HostingFetch, 1);
  fetch->self = g_object_ref (self);
  fetch->mx_host = g_strdup (mx_host);
  fetch->shown_uri = g_strconcat ("https://", host, AUTOCONFIG_PATH, NULL);
  self->src[OD_SOURCE_MX].parts = 1;

  od_config_fetch_async (self->soup, uri, self->ca_file, self->connect_timeout_ms,
                         OD_AUTOCONFIG_MAX_DOCUMENT_SIZE, self->src[OD_SOURCE_MX].cancellable,
                         hosting_fetch_cb, fetch);
  return TRUE;
}

/* ---- The records ---------------------------------------------------------------------- */

/* The incoming servers, so that one answering without a login is never offered. */
static void
remember_mx_hosts (OdDiscovery *self,
                   GArray      *mx)
{
  g_clear_pointer (&self->mx_hosts, g_hash_table_unref);
  self->mx_hosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < mx->len; i++)
    g_hash_table_add (self->mx_hosts,
                      od_trust_normalize_host (g_array_index (mx, MxRecord, i).host));

  /* Probes that finished before the records came. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->candidates)); i++)
    {
      g_autoptr(OdCandidate) candidate = g_list_model_get_item (G_LIST_MODEL (self->candidates), i);
      od_discovery_check_inbound (self, candidate);
    }
}

/* The first MX host of a provider in the database. Returns whether one matched. */
static gboolean
match_provider (OdDiscovery  *self,
                OdProviderDb *db,
                GArray       *mx)
{
  SourceRun *run = &self->src[OD_SOURCE_MX];

  for (guint i = 0; db != NULL && i < mx->len && i < MAX_MX_RECORDS; i++)
    {
      MxRecord *record = &g_array_index (mx, MxRecord, i);
      g_autoptr(OdProvider) provider = od_provider_db_lookup_mx (db, record->host);
      g_autofree char *detail = NULL;

      if (provider == NULL)
        continue;

      od_discovery_set_provider (self, provider);
      od_discovery_add_incoming_servers (self, provider, OD_SOURCE_MX, OD_UNTRUSTED_NO, NULL);
      /* The worst a forged MX can do is name another well-known provider. */
      od_discovery_add_provider_servers (self, provider, OD_SOURCE_MX, OD_UNTRUSTED_NO, NULL);

      /* Translators: "The domain’s mail is handled by aspmx.l.google.com (Google
       * Workspace)." */
      detail = g_strdup_printf (_("The domain’s mail is handled by %s (%s)."), record->host,
                                od_provider_get_display_name (provider));
      od_discovery_finish_source (self, OD_SOURCE_MX,
                                  run->n_candidates > 0 ? OD_SOURCE_STATUS_FOUND
                                                        : OD_SOURCE_STATUS_NONE,
                                  detail);
      return TRUE;
    }

  return FALSE;
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
  g_autofree char *first = NULL;
  GList *records;

  records = g_resolver_lookup_records_finish (G_RESOLVER (object), result, &error);

  if (!od_discovery_run_pending (self, OD_SOURCE_MX))
    {
      g_list_free_full (records, (GDestroyNotify)g_variant_unref);
      return;
    }

  run->parts = run->trusted_parts = 0;

  if (records == NULL)
    {
      if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
        {
          od_discovery_note_answer_time (self, (g_get_monotonic_time () - run->started_us) / 1000);
          od_discovery_finish_source (self, OD_SOURCE_MX, OD_SOURCE_STATUS_NONE,
                                      _("The domain has no MX records."));
        }
      else
        od_discovery_finish_source (self, OD_SOURCE_MX, OD_SOURCE_STATUS_ERROR, error->message);

      od_discovery_evaluate (self);
      return;
    }

  od_discovery_note_answer_time (self, (g_get_monotonic_time () - run->started_us) / 1000);
  run->has_records = TRUE;

  for (GList *l = records; l != NULL; l = l->next)
    {
      MxRecord record = { NULL, 0 };
      const char *host;

      if (!g_variant_is_of_type (l->data, G_VARIANT_TYPE ("(qs)")))
        continue;

      g_variant_get (l->data, "(q&s)", &record.preference, &host);
      /* A host name from the network: only what a host name can hold. */
      if (!od_text_is_clean (host, -1, OD_TEXT_SINGLE_LINE) || host[0] == '\0' ||
          g_str_equal (host, "."))
        continue;
      record.host = g_strdup (host);
      g_array_append_val (mx, record);
    }
  g_list_free_full (records, (GDestroyNotify)g_variant_unref);

  /* RFC 5321 §5.1: the lowest preference first. */
  g_array_sort (mx, compare_mx);
  remember_mx_hosts (self, mx);
  for (guint i = 0; i < mx->len && i < MAX_MX_RECORDS; i++)
    od_discovery_append_found (hosts, g_array_index (mx, MxRecord, i).host);
  if (mx->len > 0)
    first = od_trust_normalize_host (g_array_index (mx, MxRecord, 0).host);

  if (!match_provider (self, db, mx) && (first == NULL || !start_hosting (self, db, first)))
    {
      /* Translators: %s is a list of host names */
      g_autofree char *detail = g_strdup_printf (_("The domain’s mail servers (%s) belong to no "
                                                   "provider in the database."),
                                                 hosts->str);
      od_discovery_finish_source (self, OD_SOURCE_MX, OD_SOURCE_STATUS_NONE, detail);
    }

  for (guint i = 0; i < mx->len; i++)
    g_free (g_array_index (mx, MxRecord, i).host);

  od_discovery_evaluate (self);
}

void
od_discovery_run_mx (OdDiscovery *self)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();

  od_discovery_begin_source (self, OD_SOURCE_MX, 1, 1, TRUE);
  g_resolver_lookup_records_async (resolver, self->ascii_domain, G_RESOLVER_RECORD_MX,
                                   self->src[OD_SOURCE_MX].cancellable, mx_cb,
                                   g_object_ref (self));
}
