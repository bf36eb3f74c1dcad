/* od-discovery-incoming.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-discovery"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "od-discovery-private.h"
#include "od-json.h"

/* The incoming side of the detection: the same sources as the outgoing one (their lookups
 * and fetches are shared, od-discovery-sources.c) propose IMAP and POP3 settings, which are
 * probed at once, concurrently with the outgoing ones (od-probe-incoming.c: greeting,
 * CAPABILITY or CAPA, STARTTLS or STLS, never a login). The ranking follows the outgoing
 * principles: trusted before untrusted, IMAP before POP3, the source's trust, implicit TLS
 * before STARTTLS, the source's own order. Plain text is listed, never probed or chosen,
 * and a certificate error is an outcome, never a reason to try without encryption. The
 * outgoing result never waits for this side: both are decided on their own, and the
 * detection ends when both are. */

#define ORDER_STARTTLS 100

static const struct {
  OdProtocol  protocol;
  const char *prefixes[3];
  guint16     tls_port;
  guint16     starttls_port;
} usual_names[OD_N_INCOMING] = {
  { OD_PROTOCOL_IMAP, { "imap.", "mail.", NULL }, 993, 143 },
  { OD_PROTOCOL_POP3, { "pop.", "pop3.", "mail." }, 995, 110 },
};

static const char *
protocol_name (guint in)
{
  return in == 0 ? "IMAP" : "POP3";
}

static void
count_candidate (OdDiscovery  *self,
                 OdSourceKind  kind,
                 OdCandidate  *candidate,
                 gboolean      trusted)
{
  SourceRun *run = &self->src[kind];
  guint in = OD_INCOMING_INDEX (od_candidate_get_protocol (candidate));
  g_autofree char *text = g_strdup_printf ("%s:%u", od_candidate_get_host (candidate),
                                           od_candidate_get_port (candidate));

  if (trusted)
    run->in_n[in]++;
  else
    run->in_n_untrusted[in]++;

  if (run->in_found[in] != NULL)
    od_discovery_append_found (run->in_found[in], text);
}

static gboolean
oauth2_only (const OdServerConfig *config)
{
  if (config->authentication == NULL || config->authentication[0] == NULL)
    return FALSE;

  for (guint i = 0; config->authentication[i] != NULL; i++)
    if (g_ascii_strcasecmp (config->authentication[i], "OAuth2") != 0)
      return FALSE;

  return TRUE;
}

/**
 * od_discovery_add_incoming_servers:
 *
 * Proposes the IMAP and POP3 servers of a provider entry or an autoconfig document, with
 * their user name templates expanded. A server that takes only OAuth2 is not one for a
 * password and is left out.
 */
void
od_discovery_add_incoming_servers (OdDiscovery  *self,
                                   OdProvider   *provider,
                                   OdSourceKind  kind,
                                   OdUntrusted   untrusted,
                                   const char   *untrusted_detail)
{
  GPtrArray *incoming = od_provider_get_incoming_servers (provider);

  for (guint i = 0; incoming != NULL && i < incoming->len; i++)
    {
      const OdServerConfig *config = g_ptr_array_index (incoming, i);
      g_autofree char *username = NULL;
      g_autofree char *hostname = NULL;
      OdCandidate *candidate;
      OdProtocol protocol;

      if (config->protocol == OD_SERVER_PROTOCOL_IMAP)
        protocol = OD_PROTOCOL_IMAP;
      else if (config->protocol == OD_SERVER_PROTOCOL_POP3)
        protocol = OD_PROTOCOL_POP3;
      else
        continue;

      /* As for sending: with a sign-in, a token-only server only where our database names it. */
      if (oauth2_only (config) &&
          !(self->oauth && (kind == OD_SOURCE_PROVIDER_DB || kind == OD_SOURCE_MX)))
        continue;

      username = od_server_config_expand_username (config, self->address);
      hostname = od_server_config_expand_hostname (config, self->address);
      candidate = od_discovery_add_candidate_for (self, protocol, hostname, config->port,
                                                  config->security, kind, untrusted,
                                                  untrusted_detail, i, username);
      if (candidate != NULL)
        count_candidate (self, kind, candidate, untrusted == OD_UNTRUSTED_NO);
    }
}

/**
 * od_discovery_add_incoming_guesses:
 * @domain: the domain to put the usual names in front of
 *
 * The usual names: `imap.`, `mail.` on 993 (implicit TLS) and 143 (STARTTLS); `pop.`,
 * `pop3.`, `mail.` on 995 and 110 (STARTTLS). A port beats a host name.
 */
void
od_discovery_add_incoming_guesses (OdDiscovery  *self,
                                   const char   *domain,
                                   OdSourceKind  kind,
                                   OdUntrusted   untrusted,
                                   const char   *untrusted_detail,
                                   guint         first_order)
{
  for (guint in = 0; in < OD_N_INCOMING; in++)
    for (guint p = 0; p < 2; p++)
      for (guint h = 0; h < G_N_ELEMENTS (usual_names[in].prefixes); h++)
        {
          const char *prefix = usual_names[in].prefixes[h];
          g_autofree char *host = NULL;
          OdCandidate *candidate;

          if (prefix == NULL)
            continue;

          host = g_strconcat (prefix, domain, NULL);
          candidate = od_discovery_add_candidate_for (self, usual_names[in].protocol, host,
                                                      p == 0 ? usual_names[in].tls_port
                                                             : usual_names[in].starttls_port,
                                                      p == 0 ? OD_SECURITY_TLS
                                                             : OD_SECURITY_STARTTLS,
                                                      kind, untrusted, untrusted_detail,
                                                      first_order + p * ORDER_STARTTLS + h,
                                                      NULL);
          if (candidate != NULL)
            count_candidate (self, kind, candidate, untrusted == OD_UNTRUSTED_NO);
        }
}

/* ---- The incoming sources ------------------------------------------------------------- */

gboolean
od_discovery_incoming_pending (OdDiscovery  *self,
                               OdSourceKind kind)
{
  for (guint in = 0; in < OD_N_INCOMING; in++)
    {
      OdDiscoverySource *object = self->src[kind].in_object[in];

      if (object != NULL && od_discovery_source_get_status (object) == OD_SOURCE_STATUS_PENDING)
        return TRUE;
    }

  return FALSE;
}

static void
finish_one (OdDiscovery    *self,
            OdSourceKind    kind,
            guint           in,
            OdSourceStatus  status,
            const char     *detail,
            gboolean        stopped,
            gint64          elapsed_ms)
{
  SourceRun *run = &self->src[kind];
  OdDiscoverySource *object = run->in_object[in];
  g_autofree char *text = NULL;

  if (stopped)
    {
      od_discovery_source_stop (object, status, detail, elapsed_ms);
      return;
    }

  if (run->in_n[in] > 0)
    /* Translators: "IMAP servers named: imap.example.org:993, imap.example.org:143." */
    text = g_strdup_printf (_("%s servers named: %s."), protocol_name (in),
                            run->in_found[in]->str);
  else if (run->in_n_untrusted[in] > 0)
    /* Translators: "IMAP servers named: imap.hostco.example:993; they need your
     * confirmation." */
    text = g_strdup_printf (_("%s servers named: %s; they need your confirmation."),
                            protocol_name (in), run->in_found[in]->str);
  else if (status == OD_SOURCE_STATUS_ERROR)
    {
      od_discovery_source_finish (object, status, detail, elapsed_ms);
      return;
    }
  else
    /* Translators: %s is "IMAP" or "POP3" */
    text = g_strdup_printf (_("No %s server named here."), protocol_name (in));

  od_discovery_source_finish (object,
                              run->in_n[in] + run->in_n_untrusted[in] > 0
                                ? OD_SOURCE_STATUS_FOUND : OD_SOURCE_STATUS_NONE,
                              text, elapsed_ms);
}

/**
 * od_discovery_finish_incoming_sources:
 * @status: the outgoing source's status: %OD_SOURCE_STATUS_ERROR (with @detail) when its
 *   lookups failed
 * @stopped: %TRUE when the detection stopped waiting (@status and @detail are then taken as
 *   they are)
 *
 * Ends the IMAP and POP3 objects of a source; once neither side needs its lookups, they are
 * cancelled.
 */
void
od_discovery_finish_incoming_sources (OdDiscovery    *self,
                                      OdSourceKind    kind,
                                      OdSourceStatus  status,
                                      const char     *detail,
                                      gboolean        stopped)
{
  SourceRun *run = &self->src[kind];
  gint64 elapsed_ms = (g_get_monotonic_time () - run->started_us) / 1000;

  for (guint in = 0; in < OD_N_INCOMING; in++)
    {
      OdDiscoverySource *object = run->in_object[in];

      if (object != NULL && od_discovery_source_get_status (object) == OD_SOURCE_STATUS_PENDING)
        finish_one (self, kind, in, status, detail, stopped, elapsed_ms);
    }

  if (stopped)
    od_discovery_release_source (self, kind);
}

/* ---- Deciding ------------------------------------------------------------------------- */

static gboolean
anything_pending (OdDiscovery *self)
{
  if (g_hash_table_size (self->in_probes) > 0)
    return TRUE;

  for (guint k = 0; k < OD_N_SOURCES; k++)
    if (od_discovery_incoming_pending (self, k))
      return TRUE;

  return FALSE;
}

/* Whether a source still running could propose something better-ranked than @winner: an
 * IMAP server beats any POP3 one. */
static gboolean
could_outrank (OdDiscovery  *self,
               OdSourceKind  kind,
               OdCandidate  *winner)
{
  if (!od_discovery_incoming_pending (self, kind))
    return FALSE;

  if (self->src[kind].parts > 0 && self->src[kind].trusted_parts == 0)
    return FALSE;

  return od_candidate_get_protocol (winner) == OD_PROTOCOL_POP3 ||
         kind < od_candidate_get_source (winner);
}

/* As for the outgoing side: better-ranked candidates that connected are waited for, those
 * that did not get a grace period from their start; so do sources that could still propose
 * one. */
static gboolean
must_wait_for_better (OdDiscovery *self,
                      GPtrArray   *ranked,
                      guint        w,
                      gint64      *wake)
{
  OdCandidate *winner = g_ptr_array_index (ranked, w);
  gint64 grace_us = MAX ((gint64)self->grace_ms, 2 * od_candidate_get_connect_ms (winner)) * 1000;
  gint64 now = g_get_monotonic_time ();
  gboolean wait = FALSE;

  if (self->in_winner_seen != winner)
    {
      self->in_winner_seen = winner;
      self->in_winner_seen_us = now;
    }

  for (guint i = 0; i < w; i++)
    {
      OdCandidate *better = g_ptr_array_index (ranked, i);
      OdProbe *probe = g_hash_table_lookup (self->in_probes, better);
      gint64 until;

      if (probe == NULL || od_candidate_is_finished (better))
        continue;

      if (od_probe_get_connected (probe))
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
          od_discovery_stop_probe (self, self->in_probes, better, OD_CANDIDATE_TIMEOUT, detail);
        }
      else
        {
          wait = TRUE;
          *wake = MIN (*wake, until);
        }
    }

  for (guint k = 0; k < OD_N_SOURCES; k++)
    {
      gint64 until = self->in_winner_seen_us + grace_us;

      if (!could_outrank (self, k, winner))
        continue;

      if (now >= until)
        od_discovery_finish_incoming_sources (self, k, OD_SOURCE_STATUS_NONE,
                                              _("Not waited for: a setting from a less "
                                                "trusted source already works."), TRUE);
      else
        {
          wait = TRUE;
          *wake = MIN (*wake, until);
        }
    }

  return wait;
}

static void
decide (OdDiscovery *self,
        OdCandidate *best)
{
  const char *why_stopped = od_discovery_why_stopped (self);

  self->in_decided = TRUE;
  g_set_object (&self->incoming, best);

  od_discovery_stop_probes_of (self, self->in_probes, OD_CANDIDATE_SKIPPED, why_stopped);
  for (guint k = 0; k < OD_N_SOURCES; k++)
    od_discovery_finish_incoming_sources (self, k, OD_SOURCE_STATUS_NONE, why_stopped, TRUE);
}

/**
 * od_discovery_evaluate_incoming:
 *
 * Decides the incoming side when its best is known, or when nothing is left to try. A
 * working server without any password login (LOGINDISABLED) is taken only when nothing
 * else works. Time-outs are not tried again: the outgoing side's retry is for the setting
 * that matters most, and an incoming server can be set up later.
 */
void
od_discovery_evaluate_incoming (OdDiscovery *self)
{
  g_autoptr(GPtrArray) ranked = od_discovery_ranked_incoming (self, TRUE);
  gint64 wake = G_MAXINT64;

  for (guint w = 0; w < ranked->len; w++)
    {
      if (!od_candidate_get_offers_login (g_ptr_array_index (ranked, w)))
        continue;

      if (must_wait_for_better (self, ranked, w, &wake))
        {
          if (wake != G_MAXINT64)
            od_discovery_schedule_wakeup (self, wake);
          return;
        }

      decide (self, g_ptr_array_index (ranked, w));
      return;
    }

  if (anything_pending (self))
    return;

  for (guint i = 0; i < ranked->len; i++)
    {
      OdCandidate *c = g_ptr_array_index (ranked, i);

      if (od_candidate_get_status (c) == OD_CANDIDATE_OK)
        {
          decide (self, c);
          return;
        }
    }

  decide (self, NULL);
}

/* When no trusted incoming setting works: the best working untrusted one, for a person who
 * wants to confirm it. */
void
od_discovery_decide_incoming_unconfirmed (OdDiscovery *self)
{
  g_autoptr(GPtrArray) ranked = NULL;

  g_clear_object (&self->incoming_unconfirmed);
  if (self->incoming != NULL)
    return;

  ranked = od_discovery_ranked_incoming (self, FALSE);
  for (guint i = 0; i < ranked->len; i++)
    {
      OdCandidate *c = g_ptr_array_index (ranked, i);

      if (!od_candidate_get_trusted (c) && od_candidate_get_security (c) != OD_SECURITY_NONE &&
          od_candidate_get_status (c) == OD_CANDIDATE_OK)
        {
          g_set_object (&self->incoming_unconfirmed, c);
          return;
        }
    }
}

/**
 * od_discovery_incoming_to_json:
 *
 * Returns: (transfer full): the `incoming` (or `incoming_unconfirmed`) member: host, port,
 *   security, protocol, username, auth_mechanisms, source, trusted, and for IMAP
 *   login_disabled; `why` when it needs a confirmation; null without a @candidate
 */
JsonNode *
od_discovery_incoming_to_json (OdDiscovery *self,
                               OdCandidate *candidate)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char * const *mechanisms;

  if (candidate == NULL)
    return json_node_new (JSON_NODE_NULL);

  mechanisms = od_candidate_get_auth_mechanisms (candidate);

  json_builder_begin_object (builder);
  od_json_add_string (builder, "host", od_candidate_get_host (candidate));
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, od_candidate_get_port (candidate));
  od_json_add_string (builder, "security",
                      od_security_to_string (od_candidate_get_security (candidate)));
  od_json_add_string (builder, "protocol",
                      od_protocol_to_string (od_candidate_get_protocol (candidate)));
  od_json_add_string (builder, "username", od_candidate_get_username (candidate));
  json_builder_set_member_name (builder, "auth_mechanisms");
  json_builder_begin_array (builder);
  for (guint i = 0; mechanisms[i] != NULL; i++)
    json_builder_add_string_value (builder, mechanisms[i]);
  json_builder_end_array (builder);
  if (od_candidate_get_protocol (candidate) == OD_PROTOCOL_IMAP)
    {
      json_builder_set_member_name (builder, "login_disabled");
      json_builder_add_boolean_value (builder, od_candidate_get_login_disabled (candidate));
    }
  od_json_add_string (builder, "source",
                      od_source_kind_to_string (od_candidate_get_source (candidate)));
  json_builder_set_member_name (builder, "trusted");
  json_builder_add_boolean_value (builder, od_candidate_get_trusted (candidate));
  if (!od_candidate_get_trusted (candidate))
    {
      g_autofree char *why = od_candidate_dup_why (candidate);
      od_json_add_string (builder, "why", why);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
