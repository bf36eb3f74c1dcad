/* od-discovery-scheduler.c
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
#include "od-trust.h"

/* Deciding when the best candidate is known: every candidate is probed as soon as it is
 * proposed; the best verified one wins once every better-ranked candidate has finished or
 * had its grace period; only when nothing worked are time-outs tried again, within the
 * ceiling. */

#define RETRY_MARGIN_MS 250


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
  OdCandidate *candidate = g_object_get_data (G_OBJECT (probe), "od-candidate");
  GHashTable *probes = od_probe_get_protocol (probe) == OD_PROTOCOL_SMTP ? self->probes
                                                                         : self->in_probes;
  g_autoptr(GError) error = NULL;
  gboolean done;

  done = od_probe_run_finish (probe, result, &error);

  /* An abandoned or stopped probe was already given its outcome by whoever stopped it. */
  if (probes == NULL || g_hash_table_lookup (probes, candidate) != probe)
    return;

  g_object_ref (candidate);
  g_hash_table_remove (probes, candidate);

  if (done)
    {
      od_candidate_take_probe_outcome (candidate, probe);

      if (od_candidate_get_protocol (candidate) == OD_PROTOCOL_SMTP)
        od_discovery_check_inbound (self, candidate);

      /* A server with a certificate for the mail domain itself is the domain's, wherever
       * the name of it came from. */
      if (!od_candidate_get_trusted (candidate) &&
          od_trust_certificate_names (od_probe_get_tls_info (probe), self->ascii_domain))
        od_candidate_set_untrusted (candidate, OD_UNTRUSTED_NO, NULL);

      if (od_probe_get_lookup_ms (probe) >= 0)
        od_discovery_note_answer_time (self, od_probe_get_lookup_ms (probe));
      if (od_probe_get_connect_ms (probe) >= 0)
        od_discovery_note_answer_time (self, od_probe_get_connect_ms (probe));
    }
  g_object_unref (candidate);

  if (done)
    od_discovery_evaluate (self);
}

void
od_discovery_start_probe (OdDiscovery *self,
                          OdCandidate *candidate,
                          guint        timeout_ms)
{
  g_autoptr(OdProbe) probe = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gpointer real_port;

  OdProtocol protocol = od_candidate_get_protocol (candidate);
  GHashTable *probes = protocol == OD_PROTOCOL_SMTP ? self->probes : self->in_probes;

  probe = od_probe_new (od_candidate_get_host (candidate), od_candidate_get_port (candidate),
                        od_candidate_get_security (candidate));
  od_probe_set_protocol (probe, protocol);
  od_probe_set_timeout (probe, timeout_ms);
  od_probe_set_ca_file (probe, self->ca_file);
  od_probe_set_lookup_cache (probe, self->lookups);
  od_probe_set_context (probe, self->address, od_candidate_get_username (candidate),
                        self->network_available, self->connectivity);

  if (self->port_map != NULL &&
      g_hash_table_lookup_extended (self->port_map,
                                    GUINT_TO_POINTER (od_candidate_get_port (candidate)),
                                    NULL, &real_port))
    od_probe_set_connect_port (probe, GPOINTER_TO_UINT (real_port));

  g_object_set_data_full (G_OBJECT (probe), "od-cancellable", g_object_ref (cancellable),
                          g_object_unref);
  g_object_set_data (G_OBJECT (probe), "od-candidate", candidate);
  g_hash_table_insert (probes, g_object_ref (candidate), g_object_ref (probe));

  od_candidate_set_status (candidate, OD_CANDIDATE_PROBING, NULL);
  od_probe_run_async (probe, cancellable, probe_cb, g_object_ref (self));
}

/* Stops a running probe (of @probes) and gives its candidate the outcome @status. */
void
od_discovery_stop_probe (OdDiscovery       *self,
                         GHashTable        *probes,
                         OdCandidate       *candidate,
                         OdCandidateStatus  status,
                         const char        *detail)
{
  g_autoptr(OdProbe) probe = NULL;
  gint64 started_us;

  if (!g_hash_table_steal_extended (probes, candidate, NULL, (gpointer *)&probe))
    return;

  /* The table held a reference to the key as well. */
  g_object_unref (candidate);

  started_us = od_probe_get_started_us (probe);
  g_cancellable_cancel (g_object_get_data (G_OBJECT (probe), "od-cancellable"));

  od_candidate_set_elapsed_ms (candidate, (g_get_monotonic_time () - started_us) / 1000);
  od_candidate_set_result (candidate, status, detail, od_candidate_get_tls_info (candidate),
                           NULL, od_candidate_get_starttls (candidate), NULL);
}

void
od_discovery_stop_probes_of (OdDiscovery       *self,
                             GHashTable        *probes,
                             OdCandidateStatus  status,
                             const char        *detail)
{
  g_autoptr(GPtrArray) running = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, probes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (running, g_object_ref (key));

  for (guint i = 0; i < running->len; i++)
    od_discovery_stop_probe (self, probes, g_ptr_array_index (running, i), status, detail);
}

/* Every probe, outgoing and incoming. */
void
od_discovery_stop_all_probes (OdDiscovery       *self,
                              OdCandidateStatus  status,
                              const char        *detail)
{
  od_discovery_stop_probes_of (self, self->probes, status, detail);
  od_discovery_stop_probes_of (self, self->in_probes, status, detail);
}

void
od_discovery_stop_timers (OdDiscovery *self)
{
  g_clear_pointer (&self->ceiling, od_deadline_free);

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

/* ------------------------------------------------------------------------------------------
 * Deciding
 * ------------------------------------------------------------------------------------------ */

static gboolean
wakeup_cb (gpointer user_data)
{
  OdDiscovery *self = user_data;

  g_clear_pointer (&self->wakeup, g_source_unref);
  self->wakeup_us = 0;
  od_discovery_evaluate (self);

  return G_SOURCE_REMOVE;
}

void
od_discovery_schedule_wakeup (OdDiscovery *self,
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
      if (od_discovery_source_pending (self, k))
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
  if (!od_discovery_source_pending (self, kind))
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

  remaining_ms = (gint64)self->total_timeout_ms - od_discovery_now_ms (self) - RETRY_MARGIN_MS;
  if (remaining_ms < 2 * (gint64)self->connect_timeout_ms)
    return FALSE;

  slow_network = self->slowest_answer_ms * 4 >= self->connect_timeout_ms;

  ranked = od_discovery_ranked_candidates (self, TRUE);
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
      od_discovery_start_probe (self, c, remaining_ms);
    }

  return TRUE;
}

/* A candidate with a login works. Returns whether to wait for better-ranked candidates (those
 * that connected, and those still within their grace period) or for sources that could still
 * propose one; @wake is when to look again. */
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
          od_discovery_stop_probe (self, self->probes, better, OD_CANDIDATE_TIMEOUT, detail);
        }
      else
        {
          wait = TRUE;
          *wake = MIN (*wake, until);
        }
    }

  for (guint k = 0; k < OD_N_SOURCES; k++)
    {
      gint64 until = self->winner_seen_us + grace_us;

      if (!could_outrank (self, k, winner))
        continue;

      if (now >= until)
        od_discovery_stop_source (self, k, OD_SOURCE_STATUS_NONE,
                                  _("Not waited for: a setting from a less trusted source "
                                    "already works."));
      else
        {
          wait = TRUE;
          *wake = MIN (*wake, until);
        }
    }

  return wait;
}

/* What a probe or a source that is no longer needed is told. */
const char *
od_discovery_why_stopped (OdDiscovery *self)
{
  if (g_cancellable_is_cancelled (self->parent) && !self->timed_out)
    return _("Stopped before it answered: the search was stopped.");
  else if (self->oauth_required != NULL && !self->out_decided)
    return _("Stopped: the provider accepts only OAuth sign-in for sending.");
  else
    return _("Stopped: not needed once a better-ranked setting worked.");
}

/* The outgoing best is known (or that there is none): its other probes and sources stop,
 * while the incoming side may still be looking. */
static void
decide_outgoing (OdDiscovery *self,
                 OdCandidate *best)
{
  const char *why_stopped = od_discovery_why_stopped (self);

  self->out_decided = TRUE;
  g_set_object (&self->out_best, best);

  od_discovery_stop_probes_of (self, self->probes, OD_CANDIDATE_SKIPPED, why_stopped);
  for (guint k = 0; k < OD_N_SOURCES; k++)
    od_discovery_stop_source (self, k, OD_SOURCE_STATUS_NONE, why_stopped);
}

static void evaluate_outgoing (OdDiscovery *self);

/**
 * od_discovery_evaluate:
 *
 * Looks at every candidate and source after anything finished, and completes the detection
 * when the best settings, outgoing and incoming, are known, or when nothing is left to try.
 */
void
od_discovery_evaluate (OdDiscovery *self)
{
  if (self->task == NULL || self->starting)
    return;

  if (g_cancellable_is_cancelled (self->parent))
    {
      od_discovery_complete (self, NULL);
      return;
    }

  if (!self->out_decided)
    evaluate_outgoing (self);
  if (!self->in_decided)
    od_discovery_evaluate_incoming (self);

  if (self->task != NULL && self->out_decided && self->in_decided)
    od_discovery_complete (self, self->out_best);
}

static void
evaluate_outgoing (OdDiscovery *self)
{
  g_autoptr(GPtrArray) ranked = NULL;
  gint64 wake = G_MAXINT64;

  /* The domain's own published settings say only OAuth2 sign-in works for sending: no
   * password login is looked for any further. */
  if (self->oauth_required != NULL)
    {
      decide_outgoing (self, NULL);
      return;
    }

  ranked = od_discovery_ranked_candidates (self, TRUE);

  for (guint w = 0; w < ranked->len; w++)
    {
      if (!od_discovery_is_ok_with_login (g_ptr_array_index (ranked, w)))
        continue;

      if (must_wait_for_better (self, ranked, w, &wake))
        {
          if (wake != G_MAXINT64)
            od_discovery_schedule_wakeup (self, wake);
          return;
        }

      decide_outgoing (self, g_ptr_array_index (ranked, w));
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
          decide_outgoing (self, c);
          return;
        }
    }

  if (maybe_retry (self))
    return;

  decide_outgoing (self, NULL);
}

void
od_discovery_ceiling_expired (gpointer user_data)
{
  OdDiscovery *self = user_data;
  g_autofree char *detail = NULL;

  self->timed_out = TRUE;

  /* Translators: %.1f is a number of seconds */
  detail = g_strdup_printf (_("Stopped: the detection’s time limit of %.1f s was reached."),
                            self->total_timeout_ms / 1000.0);
  od_discovery_stop_all_probes (self, OD_CANDIDATE_TIMEOUT, detail);
  for (guint k = 0; k < OD_N_SOURCES; k++)
    {
      od_discovery_finish_incoming_sources (self, k, OD_SOURCE_STATUS_ERROR, detail, TRUE);
      od_discovery_stop_source (self, k, OD_SOURCE_STATUS_ERROR, detail);
    }

  od_discovery_evaluate (self);
}

static gboolean
cancelled_idle_cb (gpointer user_data)
{
  OdDiscovery *self = user_data;

  od_discovery_evaluate (self);

  return G_SOURCE_REMOVE;
}

void
od_discovery_parent_cancelled_cb (GCancellable *cancellable,
                                  gpointer      user_data)
{
  OdDiscovery *self = user_data;

  /* Not from inside the cancellable's signal: the caller's callback may drop everything. */
  g_idle_add_full (G_PRIORITY_DEFAULT, cancelled_idle_cb, g_object_ref (self), g_object_unref);
}