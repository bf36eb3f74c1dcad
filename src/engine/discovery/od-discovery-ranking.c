/* od-discovery-ranking.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-discovery"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-discovery-private.h"

/* Which candidate is better, and what the outcome means: the warnings about the best
 * setting (port 25, no login), or the most telling reason why there is none. */


/* ------------------------------------------------------------------------------------------
 * Ranking
 * ------------------------------------------------------------------------------------------ */

static gboolean
is_eligible (OdCandidate *candidate)
{
  return od_candidate_get_trusted (candidate) && !od_candidate_get_inbound (candidate) &&
         od_candidate_get_security (candidate) != OD_SECURITY_NONE;
}

gboolean
od_discovery_is_ok_with_login (OdCandidate *candidate)
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
GPtrArray *
od_discovery_ranked_candidates (OdDiscovery *self,
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

/* Incoming: trusted first, IMAP before POP3, then as for sending (source, implicit TLS,
 * the source's order). */
static int
compare_incoming_ptr (gconstpointer pa,
                      gconstpointer pb)
{
  OdCandidate *a = *(OdCandidate * const *)pa;
  OdCandidate *b = *(OdCandidate * const *)pb;

  if (od_candidate_get_trusted (a) != od_candidate_get_trusted (b))
    return od_candidate_get_trusted (a) ? -1 : 1;

  if (od_candidate_get_protocol (a) != od_candidate_get_protocol (b))
    return od_candidate_get_protocol (a) == OD_PROTOCOL_IMAP ? -1 : 1;

  return compare_rank (a, b);
}

/* Every incoming candidate, best-ranked first; with @eligible_only, only those that may be
 * chosen (trusted, encrypted). */
GPtrArray *
od_discovery_ranked_incoming (OdDiscovery *self,
                              gboolean     eligible_only)
{
  GPtrArray *ranked = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->in_candidates));

  for (guint i = 0; i < n; i++)
    {
      OdCandidate *c = g_list_model_get_item (G_LIST_MODEL (self->in_candidates), i);

      if (!eligible_only ||
          (od_candidate_get_trusted (c) && od_candidate_get_security (c) != OD_SECURITY_NONE))
        g_ptr_array_add (ranked, c);
      else
        g_object_unref (c);
    }

  g_ptr_array_sort (ranked, compare_incoming_ptr);

  return ranked;
}

/* A candidate whose probe failed only on a certificate the user may look at and trust: the
 * server answered, and a fingerprint is there to pin. */
static gboolean
is_certificate_to_review (OdCandidate *candidate)
{
  OdProblem *problem = od_candidate_get_problem (candidate);
  OdTlsInfo *info = od_candidate_get_tls_info (candidate);

  return od_candidate_get_status (candidate) == OD_CANDIDATE_TLS_ERROR && problem != NULL &&
         od_problem_has_fix (problem, OD_FIX_TRUST_CERTIFICATE) && info != NULL &&
         od_tls_info_get_fingerprint (info) != NULL;
}

/**
 * od_discovery_get_certificate_to_review:
 *
 * The best-ranked setting whose server answered but whose certificate was not accepted
 * (self-signed, an unknown authority, another name, expired): the user may look at the
 * certificate and trust it for that host and port, as a check's certificate fix does.
 * Settings that may not be chosen automatically (plain text, a receiving server) are never
 * offered; one whose source is not trusted still needs its confirmation as well.
 *
 * Returns: (transfer full) (nullable): the setting, with its TLS information
 *   (od_candidate_get_tls_info()); %NULL when no certificate was refused
 */
OdCandidate *
od_discovery_get_certificate_to_review (OdDiscovery *self)
{
  g_autoptr(GPtrArray) ranked = NULL;

  g_return_val_if_fail (OD_IS_DISCOVERY (self), NULL);

  ranked = od_discovery_ranked_candidates (self, FALSE);
  for (guint i = 0; i < ranked->len; i++)
    {
      OdCandidate *c = g_ptr_array_index (ranked, i);

      if (!od_candidate_get_inbound (c) && od_candidate_get_security (c) != OD_SECURITY_NONE &&
          is_certificate_to_review (c))
        return g_object_ref (c);
    }

  return NULL;
}

/**
 * od_discovery_get_closest:
 *
 * The setting that came closest to working, as far as the detection got (it may have been
 * stopped): the best; else the best-ranked one that works but needs a confirmation; else the
 * best-ranked one that failed only on its certificate (od_discovery_get_certificate_to_review()).
 * A manual setup starts from it. Whether it needs a confirmation is the candidate's own
 * (od_candidate_get_trusted()), and stays so in the manual setup.
 *
 * Returns: (transfer full) (nullable): the setting, or %NULL when no server came close
 */
OdCandidate *
od_discovery_get_closest (OdDiscovery *self)
{
  g_autoptr(GPtrArray) ranked = NULL;

  g_return_val_if_fail (OD_IS_DISCOVERY (self), NULL);

  if (self->best != NULL)
    return g_object_ref (self->best);

  /* Working ones first: trusted before untrusted, as the ranking has them. */
  ranked = od_discovery_ranked_candidates (self, FALSE);
  for (guint i = 0; i < ranked->len; i++)
    {
      OdCandidate *c = g_ptr_array_index (ranked, i);

      if (od_candidate_get_status (c) == OD_CANDIDATE_OK && !od_candidate_get_inbound (c) &&
          od_candidate_get_security (c) != OD_SECURITY_NONE)
        return g_object_ref (c);
    }

  return od_discovery_get_certificate_to_review (self);
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
  ctx->domain = self->domain;
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

/* A problem the discovery concluded, with the texts of @reason, about @candidate (or, with
 * %NULL, about the domain). */
static void
add_catalog_problem (OdDiscovery        *self,
                     OdProblemKind       kind,
                     OdReason            reason,
                     const char         *step_id,
                     OdSeverity          severity,
                     OdCandidate        *candidate,
                     const char         *ports)
{
  OdDiagnosisContext ctx;
  g_autoptr(OdProblem) problem = NULL;

  diagnosis_context (self, candidate, &ctx);
  ctx.ports = ports;
  problem = od_diagnosis_problem_new_for_reason (kind, reason, step_id, severity, &ctx);
  add_problem (self, problem);
}

void
od_discovery_add_warnings (OdDiscovery *self,
                           OdCandidate *best)
{
  if (od_candidate_get_port (best) == 25)
    add_catalog_problem (self, OD_PROBLEM_PORT_BLOCKED, OD_REASON_ONLY_PORT_25, OD_STEP_CONNECT,
                         OD_SEVERITY_WARNING, best, NULL);

  if (od_candidate_get_auth_mechanisms (best)[0] == NULL)
    add_catalog_problem (self, OD_PROBLEM_AUTH_NOT_OFFERED, OD_REASON_NONE, OD_STEP_AUTH,
                         OD_SEVERITY_WARNING, best, NULL);
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

/* Whether every probe that ended found no route (the kernel's word, through the
 * connector): then nothing could have been sent, and this computer is offline. */
static gboolean
all_offline (GPtrArray *ranked)
{
  guint n_offline = 0;
  guint n_ended = 0;

  for (guint i = 0; i < ranked->len; i++)
    {
      OdCandidate *c = g_ptr_array_index (ranked, i);
      OdProblem *problem = od_candidate_get_problem (c);

      if (od_candidate_get_status (c) == OD_CANDIDATE_SKIPPED || problem == NULL)
        continue;

      n_ended++;
      if (od_problem_get_kind (problem) == OD_PROBLEM_NETWORK_OFFLINE)
        n_offline++;
    }

  return n_ended > 0 && n_offline == n_ended;
}

/* Whether the domain's own published settings (the provider database, its autoconfig
 * documents) offer only servers without encryption, which are never tried with a password:
 * then that, not whatever the guesses ran into, is why nothing was found. */
static gboolean
only_unencrypted_published (OdDiscovery *self)
{
  const OdSourceKind published[] = { OD_SOURCE_PROVIDER_DB, OD_SOURCE_AUTOCONFIG,
                                     OD_SOURCE_WELL_KNOWN };
  gboolean found = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (published); i++)
    {
      SourceRun *run = &self->src[published[i]];

      if (run->n_candidates == 0)
        continue;
      if (run->n_unencrypted < run->n_candidates)
        return FALSE;
      found = TRUE;
    }

  return found;
}

/* Nothing answered, through a network the monitor says is a captive portal. */
static gboolean
portal_problem (OdDiscovery *self)
{
  if (self->connectivity != G_NETWORK_CONNECTIVITY_PORTAL)
    return FALSE;

  add_catalog_problem (self, OD_PROBLEM_CAPTIVE_PORTAL, OD_REASON_NONE, OD_STEP_NETWORK,
                       OD_SEVERITY_ERROR, NULL, NULL);
  return TRUE;
}

/* No candidate could even be looked up. */
static void
lookups_failed_problem (OdDiscovery *self,
                        OdCandidate *telling)
{
  OdProblem *telling_problem = telling ? od_candidate_get_problem (telling) : NULL;

  /* A name server that said "no such name" has answered. */
  if (!self->domain_not_found && portal_problem (self))
    return;

  if (self->domain_not_found)
    add_catalog_problem (self, OD_PROBLEM_DNS_NO_SUCH_HOST, OD_REASON_DOMAIN_NOT_FOUND,
                         OD_STEP_DNS, OD_SEVERITY_ERROR, NULL, NULL);
  /* The name servers, reachable, gave nothing at all: that is the problem to name. */
  else if (telling_problem != NULL &&
           od_problem_get_kind (telling_problem) == OD_PROBLEM_DNS_FAILURE)
    add_problem (self, telling_problem);
  else
    add_catalog_problem (self, OD_PROBLEM_NO_SETTINGS_FOUND, OD_REASON_NONE, OD_STEP_DNS,
                         OD_SEVERITY_ERROR, NULL, NULL);
}

/* Every connect timed out, to addresses this computer has a route to: a firewall or the
 * internet provider drops mail ports. */
static void
every_port_timed_out_problem (OdDiscovery *self,
                              GPtrArray   *ranked)
{
  g_autoptr(GString) ports = g_string_new (NULL);

  for (guint i = 0; i < ranked->len; i++)
    {
      OdCandidate *c = g_ptr_array_index (ranked, i);
      g_autofree char *port = g_strdup_printf ("%u", od_candidate_get_port (c));

      if (od_candidate_get_status (c) == OD_CANDIDATE_TIMEOUT &&
          !strv_contains_word (ports->str, port))
        g_string_append_printf (ports, "%s%s", ports->len > 0 ? ", " : "", port);
    }

  add_catalog_problem (self, OD_PROBLEM_PORT_BLOCKED, OD_REASON_EVERY_PORT_TIMED_OUT,
                       OD_STEP_CONNECT, OD_SEVERITY_ERROR, NULL, ports->str);
}

/* Only a setting nothing vouches for works: it is offered for confirmation, and the
 * password is not sent to it before. */
static void
unconfirmed_problem (OdDiscovery *self)
{
  g_autofree char *why = od_candidate_dup_why (self->unconfirmed);
  g_autoptr(OdProblem) problem = NULL;
  OdDiagnosisContext ctx;

  diagnosis_context (self, self->unconfirmed, &ctx);
  ctx.why = why;
  problem = od_diagnosis_problem_new (OD_PROBLEM_SERVER_UNCONFIRMED, OD_STEP_AUTH,
                                      OD_SEVERITY_ERROR, &ctx, NULL);
  add_problem (self, problem);
}

/* A server that answered but receives mail (an MX host without a login). */
static OdCandidate *
find_inbound (OdDiscovery *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->candidates));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OdCandidate) c = g_list_model_get_item (G_LIST_MODEL (self->candidates), i);

      if (od_candidate_get_inbound (c))
        return c;
    }

  return NULL;
}

/* Why there is no best candidate. */
void
od_discovery_add_failure_problems (OdDiscovery *self)
{
  g_autoptr(GPtrArray) ranked = od_discovery_ranked_candidates (self, TRUE);
  OdCandidate *telling = NULL;
  OdCandidate *inbound;
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

  if (self->oauth_required != NULL)
    {
      add_catalog_problem (self, OD_PROBLEM_AUTH_OAUTH_REQUIRED, OD_REASON_NONE, OD_STEP_AUTH,
                           OD_SEVERITY_ERROR, NULL, NULL);
      return;
    }

  if (self->unconfirmed != NULL)
    {
      unconfirmed_problem (self);
      return;
    }

  if ((inbound = find_inbound (self)) != NULL)
    {
      add_catalog_problem (self, OD_PROBLEM_NO_SETTINGS_FOUND, OD_REASON_INBOUND_ONLY,
                           OD_STEP_AUTH, OD_SEVERITY_ERROR, inbound, NULL);
      return;
    }

  if (only_unencrypted_published (self))
    {
      add_catalog_problem (self, OD_PROBLEM_NO_ENCRYPTED_SERVER, OD_REASON_NONE, OD_STEP_DNS,
                           OD_SEVERITY_ERROR, NULL, NULL);
      return;
    }

  /* Evidence beats the monitor: offline only when no probe had a route anywhere. */
  if (all_offline (ranked))
    {
      add_catalog_problem (self, OD_PROBLEM_NETWORK_OFFLINE, OD_REASON_NONE, OD_STEP_NETWORK,
                           OD_SEVERITY_ERROR, NULL, NULL);
      return;
    }

  if (n_probed == 0 || all_dns)
    {
      lookups_failed_problem (self, telling);
      return;
    }

  g_assert (telling != NULL);

  /* Every connect timed out (with a captive portal, the portal is why). */
  if (all_timeout && !od_candidate_get_connected (telling))
    {
      if (!portal_problem (self))
        every_port_timed_out_problem (self, ranked);
      return;
    }

  if (od_candidate_get_problem (telling) != NULL)
    add_problem (self, od_candidate_get_problem (telling));
  else
    add_catalog_problem (self, OD_PROBLEM_NO_SETTINGS_FOUND, OD_REASON_NONE, OD_STEP_DNS,
                         OD_SEVERITY_ERROR, NULL, NULL);
}

void
od_discovery_check_domain_exists (OdDiscovery *self)
{
  g_autoptr(GPtrArray) ranked = od_discovery_ranked_candidates (self, TRUE);
  gboolean bare_not_found = FALSE;

  /* GResolver does not tell "no such domain" from "no such record"; the domain is taken not
   * to exist when neither its own name nor MX nor SRV records were found. */
  for (guint i = 0; i < ranked->len; i++)
    {
      OdCandidate *c = g_ptr_array_index (ranked, i);
      OdProblem *problem = od_candidate_get_problem (c);

      if (g_str_equal (od_candidate_get_host (c), self->ascii_domain) &&
          od_candidate_get_status (c) == OD_CANDIDATE_DNS_ERROR && problem != NULL &&
          od_problem_get_kind (problem) == OD_PROBLEM_DNS_NO_SUCH_HOST)
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