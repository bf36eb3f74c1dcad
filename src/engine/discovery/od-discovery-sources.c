/* od-discovery-sources.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-discovery"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-config-fetch.h"
#include "od-deadline.h"
#include "od-discovery-private.h"
#include "od-srv.h"
#include "od-text.h"
#include "od-trust.h"

/* The sources of settings, all started at once, each with its own deadline: the provider
 * database, the autoconfig documents, DNS SRV and MX records, and the usual names. Each
 * proposes candidates, which are probed at once (od-discovery-scheduler.c). */

#define MAX_SRV_RECORDS      10
#define ORDER_SUBMISSION     100

#define AUTOCONFIG_PATH      "/mail/config-v1.1.xml"
#define WELL_KNOWN_PATH      "/.well-known/autoconfig/mail/config-v1.1.xml"


gboolean
od_discovery_source_pending (OdDiscovery  *self,
                             OdSourceKind  kind)
{
  return self->src[kind].object != NULL &&
         od_discovery_source_get_status (self->src[kind].object) == OD_SOURCE_STATUS_PENDING;
}

/* Whether the source's lookups or fetches are still wanted, for sending or receiving. */
gboolean
od_discovery_run_pending (OdDiscovery  *self,
                          OdSourceKind  kind)
{
  return od_discovery_source_pending (self, kind) || od_discovery_incoming_pending (self, kind);
}

/* Adds a candidate, or raises the trust of the same host, port and security proposed by a
 * less trusted source. New candidates are probed at once. A setting a source did not vouch
 * for (@untrusted) is trusted all the same when its host lies within the address's
 * registrable domain. Outgoing (SMTP) and incoming (IMAP, POP3) candidates are kept apart;
 * a side whose best is known takes no more. Returns the candidate (%NULL when none was
 * added). */
OdCandidate *
od_discovery_add_candidate_for (OdDiscovery  *self,
                                OdProtocol    protocol,
                                const char   *host,
                                guint16       port,
                                OdSecurity    security,
                                OdSourceKind  kind,
                                OdUntrusted   untrusted,
                                const char   *untrusted_detail,
                                guint         order,
                                const char   *username)
{
  g_autofree char *lower = NULL;
  g_autofree char *key = NULL;
  g_autoptr(OdCandidate) candidate = NULL;
  OdCandidate *existing;
  gboolean incoming = od_protocol_is_incoming (protocol);

  if (host == NULL || host[0] == '\0' || port == 0 || self->task == NULL)
    return NULL;
  if (incoming ? self->in_decided : self->out_decided)
    return NULL;
  /* A source this side stopped waiting for proposes nothing more to it, although its
   * lookups may go on for the other side. */
  if (incoming ? !od_discovery_incoming_pending (self, kind)
               : !od_discovery_source_pending (self, kind))
    return NULL;

  /* A trailing dot (from DNS) names the same host. */
  lower = od_trust_normalize_host (host);
  if (lower[0] == '\0')
    return NULL;

  /* Within the address's own domain: its owner runs it, wherever the name came from. But
   * never what came over http://, which anyone on the way could have rewritten. */
  if (untrusted != OD_UNTRUSTED_HTTP && od_trust_host_within (lower, self->registrable_domain))
    untrusted = OD_UNTRUSTED_NO;

  if (incoming)
    key = g_strdup_printf ("%s|%s|%u|%d", od_protocol_to_string (protocol), lower, port,
                           security);
  else
    key = g_strdup_printf ("%s|%u|%d", lower, port, security);
  existing = g_hash_table_lookup (self->by_key, key);
  if (existing != NULL)
    {
      od_candidate_add_proposer (existing, kind);
      if (od_candidate_upgrade_source (existing, kind, untrusted, untrusted_detail, order) &&
          username != NULL)
        {
          od_candidate_set_username (existing, username);
          od_candidate_set_username_supplied (existing, TRUE);
        }
      return existing;
    }

  candidate = od_candidate_new (lower, port, security, kind, TRUE);
  od_candidate_set_protocol (candidate, protocol);
  od_candidate_set_untrusted (candidate, untrusted, untrusted_detail);
  od_candidate_set_order (candidate, order);
  od_candidate_set_username (candidate, username ? username : self->address);
  od_candidate_set_username_supplied (candidate, username != NULL);
  g_hash_table_insert (self->by_key, g_steal_pointer (&key), g_object_ref (candidate));
  g_list_store_append (incoming ? self->in_candidates : self->candidates, candidate);

  if (security == OD_SECURITY_NONE)
    {
      od_candidate_set_status (candidate, OD_CANDIDATE_SKIPPED,
                               _("Not tried: this setting sends everything without "
                                 "encryption."));
      return candidate;
    }

  od_discovery_start_probe (self, candidate, self->connect_timeout_ms);
  return candidate;
}

void
od_discovery_add_candidate (OdDiscovery  *self,
                            const char   *host,
                            guint16       port,
                            OdSecurity    security,
                            OdSourceKind  kind,
                            OdUntrusted   untrusted,
                            const char   *untrusted_detail,
                            guint         order,
                            const char   *username)
{
  od_discovery_add_candidate_for (self, OD_PROTOCOL_SMTP, host, port, security, kind,
                                  untrusted, untrusted_detail, order, username);
}

/* The server's published sign-in is OAuth2 and nothing else. */
static gboolean
needs_oauth2 (const OdServerConfig *config)
{
  if (config->authentication == NULL || config->authentication[0] == NULL)
    return FALSE;

  for (guint i = 0; config->authentication[i] != NULL; i++)
    if (g_ascii_strcasecmp (config->authentication[i], "OAuth2") != 0)
      return FALSE;

  return TRUE;
}

void
od_discovery_add_provider_servers (OdDiscovery  *self,
                                   OdProvider   *provider,
                                   OdSourceKind  kind,
                                   OdUntrusted   untrusted,
                                   const char   *untrusted_detail)
{
  gboolean trusted = untrusted == OD_UNTRUSTED_NO;
  GPtrArray *outgoing = od_provider_get_outgoing_servers (provider);
  guint order = 0;

  for (guint i = 0; outgoing != NULL && i < outgoing->len; i++)
    {
      const OdServerConfig *config = g_ptr_array_index (outgoing, i);
      g_autofree char *username = NULL;
      g_autofree char *hostname = NULL;

      if (config->protocol != OD_SERVER_PROTOCOL_SMTP)
        continue;

      /* Not for a password. The domain's own word (the database entry for its name, its
       * HTTPS autoconfig) that only OAuth2 sign-in works there ends the detection
       * (auth-oauth-required); an entry an MX record led to does not, as a forged MX
       * could name any provider. */
      /* With a sign-in, a server that takes nothing but a token is wanted, but only where our
       * own database names it (for the domain, or for the provider its MX leads to): the
       * token never goes to a host only a document from the network named. */
      if (needs_oauth2 (config) &&
          !(self->oauth && (kind == OD_SOURCE_PROVIDER_DB || kind == OD_SOURCE_MX)))
        {
          if (trusted && kind != OD_SOURCE_MX && self->oauth_required == NULL)
            self->oauth_required = g_strdup (od_provider_get_display_name (provider));
          continue;
        }

      /* NULL when the settings name no user name: then it is the address. */
      username = od_server_config_expand_username (config, self->address);
      hostname = od_server_config_expand_hostname (config, self->address);
      od_discovery_add_candidate (self, hostname, config->port, config->security, kind,
                                  untrusted, untrusted_detail, order++, username);

      if (trusted)
        self->src[kind].n_candidates++;
      else
        self->src[kind].n_untrusted++;
      if (trusted && config->security == OD_SECURITY_NONE)
        self->src[kind].n_unencrypted++;
    }
}

/* ------------------------------------------------------------------------------------------
 * Sources
 * ------------------------------------------------------------------------------------------ */

static void
end_source (OdDiscovery    *self,
            OdSourceKind    kind,
            OdSourceStatus  status,
            const char     *detail,
            gboolean        stopped)
{
  SourceRun *run = &self->src[kind];
  gint64 elapsed_ms;

  if (od_discovery_source_pending (self, kind))
    {
      elapsed_ms = (g_get_monotonic_time () - run->started_us) / 1000;
      if (stopped)
        od_discovery_source_stop (run->object, status, detail, elapsed_ms);
      else
        od_discovery_source_finish (run->object, status, detail, elapsed_ms);
    }

  od_discovery_release_source (self, kind);
}

/* The lookups go on while the other side (sending, receiving) still waits for them. */
void
od_discovery_release_source (OdDiscovery  *self,
                             OdSourceKind  kind)
{
  SourceRun *run = &self->src[kind];

  if (run->deadline != NULL && !od_discovery_run_pending (self, kind))
    {
      od_deadline_stop (run->deadline);
      g_cancellable_cancel (run->cancellable);
    }
}

/* The source answered (or failed on its own): for sending and receiving alike. */
void
od_discovery_finish_source (OdDiscovery    *self,
                            OdSourceKind    kind,
                            OdSourceStatus  status,
                            const char     *detail)
{
  od_discovery_finish_incoming_sources (self, kind, status, detail, FALSE);
  end_source (self, kind, status, detail, FALSE);
}

/* The detection stopped waiting for the source: not needed, cancelled, or out of time. */
void
od_discovery_stop_source (OdDiscovery    *self,
                          OdSourceKind    kind,
                          OdSourceStatus  status,
                          const char     *detail)
{
  end_source (self, kind, status, detail, TRUE);
}

static void
source_deadline_cb (gpointer user_data)
{
  SourceDeadline *deadline = user_data;
  OdDiscovery *self = deadline->self;
  g_autofree char *detail = NULL;

  /* Translators: %.1f is a number of seconds */
  detail = g_strdup_printf (_("No answer within %.1f s."), self->connect_timeout_ms / 1000.0);
  od_discovery_finish_source (self, deadline->kind, OD_SOURCE_STATUS_ERROR, detail);
  od_discovery_evaluate (self);
}

void
od_discovery_begin_source (OdDiscovery  *self,
                           OdSourceKind  kind,
                           guint         parts,
                           guint         trusted_parts,
                           gboolean      with_deadline)
{
  SourceRun *run = &self->src[kind];

  run->started_us = g_get_monotonic_time ();
  run->parts = parts;
  run->trusted_parts = trusted_parts;
  run->found = g_string_new (NULL);
  run->found_untrusted = g_string_new (NULL);
  for (guint i = 0; i < OD_N_INCOMING; i++)
    run->in_found[i] = g_string_new (NULL);
  run->deadline = od_deadline_new (NULL, with_deadline ? self->connect_timeout_ms : 0,
                                   "[od] discovery source deadline");
  run->cancellable = od_deadline_get_cancellable (run->deadline);
  run->deadline_data.self = self;
  run->deadline_data.kind = kind;
  od_deadline_set_expired_func (run->deadline, source_deadline_cb, &run->deadline_data);
}

void
od_discovery_append_found (GString    *str,
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

  od_discovery_begin_source (self, OD_SOURCE_PROVIDER_DB, 0, 0, FALSE);

  if (db != NULL)
    {
      provider = od_provider_db_lookup_domain (db, self->ascii_domain);
      if (provider == NULL && g_strcmp0 (self->domain, self->ascii_domain) != 0)
        provider = od_provider_db_lookup_domain (db, self->domain);
    }

  if (provider == NULL)
    {
      od_discovery_finish_source (self, OD_SOURCE_PROVIDER_DB, OD_SOURCE_STATUS_NONE,
                                  _("This domain is not in the provider database."));
      return;
    }

  od_discovery_set_provider (self, provider);
  od_discovery_add_incoming_servers (self, provider, OD_SOURCE_PROVIDER_DB, OD_UNTRUSTED_NO, NULL);
  od_discovery_add_provider_servers (self, provider, OD_SOURCE_PROVIDER_DB, OD_UNTRUSTED_NO, NULL);

  if (self->src[OD_SOURCE_PROVIDER_DB].n_candidates == 0)
    {
      /* Translators: %s is a provider's name, such as "Tuta" */
      detail = g_strdup_printf (_("%s is in the provider database, but offers no outgoing "
                                  "server for mail programs."),
                                od_provider_get_display_name (provider));
      od_discovery_finish_source (self, OD_SOURCE_PROVIDER_DB, OD_SOURCE_STATUS_NONE, detail);
      return;
    }

  /* Translators: %s is a provider's name, such as "Gmail" */
  detail = g_strdup_printf (_("Known provider: %s."), od_provider_get_display_name (provider));
  od_discovery_finish_source (self, OD_SOURCE_PROVIDER_DB, OD_SOURCE_STATUS_FOUND, detail);
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
      od_discovery_finish_source (self, kind, OD_SOURCE_STATUS_FOUND, detail);
    }
  else if (run->n_untrusted > 0 && g_str_has_prefix (run->found_untrusted->str, "https:"))
    {
      /* Translators: %s is a web address */
      detail = g_strdup_printf (_("Settings from %s, which is not your domain (the domain’s "
                                  "address sent Outbox Doctor there), so they are only used "
                                  "once you confirm them."),
                                run->found_untrusted->str);
      od_discovery_finish_source (self, kind, OD_SOURCE_STATUS_FOUND, detail);
    }
  else if (run->n_untrusted > 0)
    {
      /* Translators: %s is a web address */
      detail = g_strdup_printf (_("Settings from %s, over an unencrypted connection: anyone on "
                                  "the way could have changed them, so they are only used "
                                  "once you confirm them."),
                                run->found_untrusted->str);
      od_discovery_finish_source (self, kind, OD_SOURCE_STATUS_FOUND, detail);
    }
  else if (run->error != NULL &&
           !g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) &&
           !g_error_matches (run->error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    od_discovery_finish_source (self, kind, OD_SOURCE_STATUS_ERROR, run->error->message);
  else
    {
      const char *why = run->error ? run->error->message : NULL;

      if (why != NULL)
        /* Translators: %s says why, such as "The server answered HTTP 404" */
        detail = g_strdup_printf (_("No settings published (%s)."), why);
      od_discovery_finish_source (self, kind, OD_SOURCE_STATUS_NONE,
                                  detail ? detail : _("No settings published."));
    }
}

/* The address a document came from, as people read it (without the test hook's local
 * server). */
static char *
shown_uri (OdDiscovery *self,
           FetchPart   *part,
           const char  *final_uri)
{
  const char *bases[] = { self->https_base, self->http_base };
  const char *schemes[] = { "https://", "http://" };

  if (final_uri == NULL)
    return g_strdup (part->shown_uri);

  /* Test hook: the host is the first path segment on the local server. */
  for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
    {
      gsize len = bases[i] ? strlen (bases[i]) : 0;

      if (len > 0 && g_str_has_prefix (final_uri, bases[i]) && final_uri[len] == '/')
        return g_strconcat (schemes[i], final_uri + len + 1, NULL);
    }

  return g_strdup (final_uri);
}

/* How far a document can be trusted, from where it finally came from: an https:// redirect
 * to another domain is not the domain's own word, and one to http:// is no better than
 * plain http://. Sets @detail to the other domain. */
static OdUntrusted
document_trust (OdDiscovery  *self,
                FetchPart    *part,
                const char   *shown,
                char        **detail)
{
  g_autoptr(GUri) final = g_uri_parse (shown, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) asked = g_uri_parse (part->shown_uri, G_URI_FLAGS_NONE, NULL);
  const char *host;

  *detail = NULL;

  if (!part->trusted || final == NULL || g_strcmp0 (g_uri_get_scheme (final), "https") != 0)
    return OD_UNTRUSTED_HTTP;

  host = g_uri_get_host (final);
  if (host == NULL || asked == NULL || g_ascii_strcasecmp (host, g_uri_get_host (asked)) == 0 ||
      od_trust_host_within (host, self->registrable_domain))
    return OD_UNTRUSTED_NO;

  *detail = od_trust_registrable_domain (host);
  if (*detail == NULL)
    *detail = g_ascii_strdown (host, -1);

  return OD_UNTRUSTED_REDIRECT;
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
  g_autofree char *final_uri = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *other_domain = NULL;
  OdUntrusted untrusted;

  bytes = od_config_fetch_finish (result, &final_uri, &error);

  if (!od_discovery_run_pending (self, part->kind))
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

      od_discovery_note_answer_time (self, (g_get_monotonic_time () - part->started_us) / 1000);
      provider = od_autoconfig_parse (data, len, &error);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    od_discovery_note_answer_time (self, (g_get_monotonic_time () - part->started_us) / 1000);

  if (provider != NULL)
    {
      /* Where the document really came from, after redirects. */
      shown = shown_uri (self, part, final_uri);
      untrusted = document_trust (self, part, shown, &other_domain);

      od_discovery_add_provider_servers (self, provider, part->kind, untrusted, other_domain);
      od_discovery_add_incoming_servers (self, provider, part->kind, untrusted, other_domain);
      if (untrusted == OD_UNTRUSTED_NO)
        od_discovery_append_found (run->found, shown);
      else
        od_discovery_append_found (run->found_untrusted, shown);
    }
  else if (part->trusted && run->error == NULL)
    run->error = g_steal_pointer (&error);
  else if (!part->trusted && run->untrusted_error == NULL)
    run->untrusted_error = g_steal_pointer (&error);

  /* Trusted settings found: the unencrypted part is not needed any more. */
  if (run->parts == 0 || (part->trusted && run->n_candidates > 0))
    finish_config_source (self, part->kind);

  fetch_part_free (part);
  od_discovery_evaluate (self);
}

char *
od_discovery_build_uri (OdDiscovery *self,
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
  https_uri = od_discovery_build_uri (self, TRUE, host, path, query);
  http_uri = od_discovery_build_uri (self, FALSE, host, path, NULL);
  https_shown = g_strconcat ("https://", host, path, NULL);
  http_shown = g_strconcat ("http://", host, path, NULL);

  parts = (https_uri != NULL) + (http_uri != NULL);
  od_discovery_begin_source (self, kind, parts, https_uri != NULL, TRUE);

  if (https_uri != NULL)
    start_fetch (self, kind, https_uri, https_shown, TRUE);
  if (http_uri != NULL)
    start_fetch (self, kind, http_uri, http_shown, FALSE);

  if (parts == 0)
    od_discovery_finish_source (self, kind, OD_SOURCE_STATUS_NONE, NULL);
}

/* DNS SRV: two lookups, _submissions._tcp (implicit TLS) and _submission._tcp (STARTTLS). */
typedef struct
{
  OdDiscovery *self;
  OdSecurity   security;
  OdProtocol   protocol;
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
      od_discovery_finish_source (self, OD_SOURCE_SRV, OD_SOURCE_STATUS_FOUND, detail);
    }
  else if (run->not_offered)
    od_discovery_finish_source (self, OD_SOURCE_SRV, OD_SOURCE_STATUS_NONE,
                                _("The domain’s service records say it offers no mail submission "
                                  "(target “.”)."));
  else if (run->error != NULL)
    od_discovery_finish_source (self, OD_SOURCE_SRV, OD_SOURCE_STATUS_ERROR, run->error->message);
  else
    od_discovery_finish_source (self, OD_SOURCE_SRV, OD_SOURCE_STATUS_NONE,
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

  if (!od_discovery_run_pending (self, OD_SOURCE_SRV))
    {
      g_list_free_full (records, (GDestroyNotify)g_variant_unref);
      srv_part_free (part);
      return;
    }

  run->parts--;
  run->trusted_parts--;

  if (records != NULL || g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    od_discovery_note_answer_time (self, (g_get_monotonic_time () - run->started_us) / 1000);

  if (records != NULL)
    {
      g_autoptr(GPtrArray) parsed = od_srv_records_from_variants (records);

      run->has_records = TRUE;
      g_autoptr(GPtrArray) sorted = NULL;

      if (od_srv_records_not_offered (parsed) && part->protocol == OD_PROTOCOL_SMTP)
        run->not_offered = TRUE;

      sorted = od_srv_records_sort (parsed, NULL);
      for (guint i = 0; i < sorted->len && i < MAX_SRV_RECORDS; i++)
        {
          OdSrvRecord *r = g_ptr_array_index (sorted, i);
          g_autofree char *text = g_strdup_printf ("%s → %s:%u", part->name, r->target, r->port);
          guint order = (part->security == OD_SECURITY_TLS ? 0 : ORDER_SUBMISSION) + i;

          /* A name from the network: one with control or invisible characters is no host. */
          if (r->port == 0 || !od_text_is_clean (r->target, -1, OD_TEXT_SINGLE_LINE))
            continue;

          /* DNS answers are not authenticated: a target outside the domain needs a
           * confirmation (RFC 6186 §6). */
          if (part->protocol != OD_PROTOCOL_SMTP)
            {
              guint in = OD_INCOMING_INDEX (part->protocol);

              if (od_discovery_add_candidate_for (self, part->protocol, r->target, r->port,
                                                  part->security, OD_SOURCE_SRV,
                                                  OD_UNTRUSTED_DNS, NULL, order, NULL) == NULL)
                continue;
              run->in_n[in]++;
              od_discovery_append_found (run->in_found[in], text);
              continue;
            }

          od_discovery_add_candidate (self, r->target, r->port, part->security, OD_SOURCE_SRV,
                                      OD_UNTRUSTED_DNS, NULL, order, NULL);
          run->n_candidates++;
          od_discovery_append_found (run->found, text);
        }
    }
  else if (!g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND) &&
           run->error == NULL)
    run->error = g_steal_pointer (&error);

  g_list_free_full (records, (GDestroyNotify)g_variant_unref);

  if (run->parts == 0)
    finish_srv_source (self);

  srv_part_free (part);
  od_discovery_evaluate (self);
}

static void
run_srv (OdDiscovery *self)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  static const struct {
    const char *service;
    OdSecurity  security;
    OdProtocol  protocol;
  } services[] = {
    { "_submissions._tcp.", OD_SECURITY_TLS, OD_PROTOCOL_SMTP },   /* RFC 8314 */
    { "_submission._tcp.", OD_SECURITY_STARTTLS, OD_PROTOCOL_SMTP }, /* RFC 6186 */
    { "_imaps._tcp.", OD_SECURITY_TLS, OD_PROTOCOL_IMAP },
    { "_imap._tcp.", OD_SECURITY_STARTTLS, OD_PROTOCOL_IMAP },
    { "_pop3s._tcp.", OD_SECURITY_TLS, OD_PROTOCOL_POP3 },
    { "_pop3._tcp.", OD_SECURITY_STARTTLS, OD_PROTOCOL_POP3 },
  };

  /* The incoming services are looked up at the same time, in the same source. */
  od_discovery_begin_source (self, OD_SOURCE_SRV, G_N_ELEMENTS (services),
                             G_N_ELEMENTS (services), TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      SrvPart *part = g_new0 (SrvPart, 1);

      part->self = g_object_ref (self);
      part->security = services[i].security;
      part->protocol = services[i].protocol;
      part->name = g_strconcat (services[i].service, self->ascii_domain, NULL);
      g_resolver_lookup_records_async (resolver, part->name, G_RESOLVER_RECORD_SRV,
                                       self->src[OD_SOURCE_SRV].cancellable, srv_cb, part);
    }
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

  od_discovery_begin_source (self, OD_SOURCE_GUESS, 0, 0, FALSE);

  for (guint p = 0; p < G_N_ELEMENTS (ports); p++)
    {
      for (guint h = 0; h < G_N_ELEMENTS (prefixes); h++)
        {
          g_autofree char *host = g_strconcat (prefixes[h], self->ascii_domain, NULL);

          od_discovery_add_candidate (self, host, ports[p].port, ports[p].security,
                                      OD_SOURCE_GUESS, OD_UNTRUSTED_NO, NULL,
                                      p * G_N_ELEMENTS (prefixes) + h, NULL);
          self->src[OD_SOURCE_GUESS].n_candidates++;
        }
    }

  od_discovery_add_incoming_guesses (self, self->ascii_domain, OD_SOURCE_GUESS, OD_UNTRUSTED_NO,
                                     NULL, 0);

  /* Translators: the %s are host names, such as "smtp.example.org" */
  detail = g_strdup_printf (_("smtp.%s, mail.%s and %s on ports 465, 587, 2525 and 25."),
                            self->ascii_domain, self->ascii_domain, self->ascii_domain);
  od_discovery_finish_source (self, OD_SOURCE_GUESS, OD_SOURCE_STATUS_FOUND, detail);
}
/**
 * od_discovery_run_sources:
 *
 * Lists every enabled source, in the order of trust, then starts them all.
 */
void
od_discovery_run_sources (OdDiscovery *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Outbox Doctor/%s", PACKAGE_VERSION);

  self->soup = soup_session_new_with_options ("user-agent", user_agent,
                                              "timeout", (self->connect_timeout_ms + 999) / 1000,
                                              "max-conns-per-host", 2,
                                              NULL);

  for (guint k = 0; k < OD_N_SOURCES; k++)
    {
      if (self->enabled & (1 << k))
        {
          self->src[k].object = od_discovery_source_new (k);
          g_list_store_append (self->sources, self->src[k].object);
        }
    }

  /* The incoming sources: the same lookups, listed apart (IMAP, then POP3). */
  for (guint i = 0; i < OD_N_INCOMING; i++)
    for (guint k = 0; k < OD_N_SOURCES; k++)
      {
        if (self->enabled & (1 << k))
          {
            OdProtocol protocol = i == 0 ? OD_PROTOCOL_IMAP : OD_PROTOCOL_POP3;

            self->src[k].in_object[i] = od_discovery_source_new_for_protocol (k, protocol);
            g_list_store_append (self->in_sources, self->src[k].in_object[i]);
          }
      }

  if (self->src[OD_SOURCE_PROVIDER_DB].object != NULL)
    run_provider_db (self);
  if (self->src[OD_SOURCE_AUTOCONFIG].object != NULL)
    run_config_source (self, OD_SOURCE_AUTOCONFIG);
  if (self->src[OD_SOURCE_WELL_KNOWN].object != NULL)
    run_config_source (self, OD_SOURCE_WELL_KNOWN);
  if (self->src[OD_SOURCE_SRV].object != NULL)
    run_srv (self);
  if (self->src[OD_SOURCE_MX].object != NULL)
    od_discovery_run_mx (self);
  if (self->src[OD_SOURCE_GUESS].object != NULL)
    run_guess (self);
}
