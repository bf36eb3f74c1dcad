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

#include "od-address.h"
#include "od-deadline.h"
#include "od-discovery-private.h"
#include "od-trust.h"
#include "od-json.h"

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

#define DEFAULT_GRACE_MS 500

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


gint64
od_discovery_now_ms (OdDiscovery *self)
{
  return (g_get_monotonic_time () - self->started_us) / 1000;
}

void
od_discovery_note_answer_time (OdDiscovery *self,
                               gint64       ms)
{
  if (ms > self->slowest_answer_ms)
    self->slowest_answer_ms = ms;
}

void
od_discovery_set_provider (OdDiscovery *self,
                           OdProvider  *provider)
{
  if (self->provider != NULL)
    return;

  self->provider = od_provider_ref (provider);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER]);
}

void
od_discovery_complete (OdDiscovery *self,
                       OdCandidate *best)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  g_autoptr(GPtrArray) ranked = NULL;
  gboolean cancelled = g_cancellable_is_cancelled (self->parent) && !self->timed_out;
  const char *why_stopped;

  g_assert (task != NULL);

  od_discovery_stop_timers (self);

  why_stopped = od_discovery_why_stopped (self);
  od_discovery_stop_all_probes (self, OD_CANDIDATE_SKIPPED, why_stopped);
  for (guint k = 0; k < OD_N_SOURCES; k++)
    {
      od_discovery_finish_incoming_sources (self, k, OD_SOURCE_STATUS_NONE, why_stopped, TRUE);
      od_discovery_stop_source (self, k, OD_SOURCE_STATUS_NONE, why_stopped);
    }

  self->elapsed_ms = od_discovery_now_ms (self);

  if (cancelled)
    {
      g_clear_object (&self->incoming);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The detection was cancelled");
      return;
    }

  /* The best unconfirmed setting, for a user who wants to confirm it. */
  ranked = od_discovery_ranked_candidates (self, FALSE);
  for (guint i = 0; self->oauth_required == NULL && i < ranked->len; i++)
    {
      OdCandidate *c = g_ptr_array_index (ranked, i);

      if (!od_candidate_get_trusted (c) && !od_candidate_get_inbound (c) &&
          od_candidate_get_status (c) == OD_CANDIDATE_OK)
        {
          g_set_object (&self->unconfirmed, c);
          break;
        }
    }

  g_set_object (&self->best, best);
  od_discovery_decide_incoming_unconfirmed (self);

  if (best != NULL)
    {
      /* An unconfirmed setting matters only when nothing trusted works. */
      g_clear_object (&self->unconfirmed);
      od_discovery_add_warnings (self, best);
    }
  else
    {
      od_discovery_check_domain_exists (self);
      od_discovery_add_failure_problems (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BEST]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  g_task_return_pointer (task, best ? g_object_ref (best) : NULL, g_object_unref);
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

      g_clear_pointer (&run->deadline, od_deadline_free);
      run->cancellable = NULL;
      g_clear_object (&run->object);
      for (guint i = 0; i < OD_N_INCOMING; i++)
        g_clear_object (&run->in_object[i]);
    }

  g_clear_pointer (&self->probes, g_hash_table_unref);
  g_clear_pointer (&self->in_probes, g_hash_table_unref);
  g_clear_pointer (&self->by_key, g_hash_table_unref);
  g_clear_pointer (&self->lookups, od_lookup_cache_unref);
  g_clear_object (&self->soup);
  g_clear_object (&self->parent);
  g_clear_object (&self->best);
  g_clear_object (&self->unconfirmed);
  g_clear_object (&self->out_best);
  g_clear_object (&self->incoming);
  g_clear_object (&self->incoming_unconfirmed);
  g_clear_object (&self->db);
  g_clear_object (&self->sources);
  g_clear_object (&self->candidates);
  g_clear_object (&self->in_sources);
  g_clear_object (&self->in_candidates);
  g_clear_object (&self->problems);
  self->winner_seen = NULL;
  self->in_winner_seen = NULL;

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
      for (guint i = 0; i < OD_N_INCOMING; i++)
        if (run->in_found[i] != NULL)
          g_string_free (run->in_found[i], TRUE);
    }

  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->domain, g_free);
  g_clear_pointer (&self->ascii_domain, g_free);
  g_clear_pointer (&self->registrable_domain, g_free);
  g_clear_pointer (&self->hosting_domain, g_free);
  g_clear_pointer (&self->oauth_required, g_free);
  g_clear_pointer (&self->mx_hosts, g_hash_table_unref);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->https_base, g_free);
  g_clear_pointer (&self->http_base, g_free);
  g_clear_pointer (&self->port_map, g_hash_table_unref);
  g_clear_pointer (&self->provider, od_provider_unref);

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
  self->in_sources = g_list_store_new (OD_TYPE_DISCOVERY_SOURCE);
  self->in_candidates = g_list_store_new (OD_TYPE_CANDIDATE);
  self->problems = g_list_store_new (OD_TYPE_PROBLEM);
  self->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->probes = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref,
                                        g_object_unref);
  self->in_probes = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref,
                                           g_object_unref);
  self->lookups = od_lookup_cache_new ();
}

/* ------------------------------------------------------------------------------------------
 * Public API
 * ------------------------------------------------------------------------------------------ */

/**
 * od_discovery_new:
 * @address: the email address to find the outgoing server for
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
 * od_discovery_set_oauth:
 * @oauth: whether the account signs in with OAuth 2.0 (issue 18)
 *
 * With @oauth, a server whose provider publishes OAuth2 as its only sign-in is a candidate
 * like any other; without, it is left out (no password works there) and such a provider
 * ends the detection with auth-oauth-required.
 */
void
od_discovery_set_oauth (OdDiscovery *self,
                        gboolean     oauth)
{
  g_return_if_fail (OD_IS_DISCOVERY (self));
  self->oauth = !!oauth;
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
  GNetworkMonitor *monitor;

  g_return_if_fail (OD_IS_DISCOVERY (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->task == NULL && self->started_us == 0);

  self->started_us = g_get_monotonic_time ();
  self->task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (self->task, od_discovery_run_async);
  self->parent = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();

  if (self->ca_file != NULL && !od_tls_ca_file_check (self->ca_file, &error))
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      /* A CA file that cannot be used would leave certificates unchecked. */
      g_task_return_new_error (task, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT, "%s",
                               error->message);
      return;
    }

  if (!od_address_validate (self->address, &error) || self->domain == NULL ||
      !(self->ascii_domain = g_hostname_to_ascii (self->domain)) ||
      strchr (self->ascii_domain, '.') == NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      if (error == NULL)
        g_set_error (&error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT,
                     _("“%s” is not a valid email address: it should look like "
                       "name@example.org."), self->address);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  {
    char *lower = g_ascii_strdown (self->ascii_domain, -1);

    g_free (self->ascii_domain);
    self->ascii_domain = lower;
  }

  /* A public suffix itself has no owner: then only the domain itself is "within". */
  self->registrable_domain = od_trust_registrable_domain (self->ascii_domain);
  if (self->registrable_domain == NULL)
    self->registrable_domain = g_strdup (self->ascii_domain);

  /* A hint for the diagnosis, never a gate: everything is tried anyway. */
  monitor = g_network_monitor_get_default ();
  self->network_available = g_network_monitor_get_network_available (monitor);
  self->connectivity = g_network_monitor_get_connectivity (monitor);

  self->parent_handler = g_cancellable_connect (self->parent,
                                                G_CALLBACK (od_discovery_parent_cancelled_cb),
                                                self, NULL);

  self->ceiling = od_deadline_new (NULL, self->total_timeout_ms, "[od] discovery ceiling");
  od_deadline_set_expired_func (self->ceiling, od_discovery_ceiling_expired, self);

  self->starting = TRUE;
  od_discovery_run_sources (self);
  self->starting = FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  od_discovery_evaluate (self);
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
 * Returns: (transfer none) (nullable): the best verified incoming setting (IMAP before
 *   POP3; see od_candidate_get_protocol()), trusted, once the detection finished; %NULL when
 *   none works or none can be trusted (see od_discovery_get_incoming_unconfirmed())
 */
OdCandidate *
od_discovery_get_incoming (OdDiscovery *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY (self), NULL);
  return self->task == NULL ? self->incoming : NULL;
}

/**
 * od_discovery_get_incoming_unconfirmed:
 *
 * Returns: (transfer none) (nullable): when no trusted incoming setting works, the best
 *   working untrusted one; it may be used only after the user confirmed it
 */
OdCandidate *
od_discovery_get_incoming_unconfirmed (OdDiscovery *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY (self), NULL);
  return self->incoming_unconfirmed;
}

/**
 * od_discovery_get_incoming_sources:
 *
 * Returns: (transfer none): a #GListModel of #OdDiscoverySource for the incoming servers:
 *   every enabled source for IMAP, then for POP3 (od_discovery_source_get_protocol())
 */
GListModel *
od_discovery_get_incoming_sources (OdDiscovery *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY (self), NULL);
  return G_LIST_MODEL (self->in_sources);
}

/**
 * od_discovery_get_incoming_candidates:
 *
 * Returns: (transfer none): a #GListModel of the incoming #OdCandidate, in the order they
 *   were proposed
 */
GListModel *
od_discovery_get_incoming_candidates (OdDiscovery *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY (self), NULL);
  return G_LIST_MODEL (self->in_candidates);
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
  return self->task != NULL ? od_discovery_now_ms (self) : self->elapsed_ms;
}

/* The @i-th item of @first followed by @second. */
static gpointer
nth_item (GListStore *first,
          GListStore *second,
          guint       i)
{
  guint n_first = g_list_model_get_n_items (G_LIST_MODEL (first));

  if (i < n_first)
    return g_list_model_get_item (G_LIST_MODEL (first), i);
  return g_list_model_get_item (G_LIST_MODEL (second), i - n_first);
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
  od_json_add_string (builder, "host", od_candidate_get_host (candidate));
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, od_candidate_get_port (candidate));
  od_json_add_string (builder, "security", od_security_to_string (od_candidate_get_security (candidate)));
  od_json_add_string (builder, "username", od_candidate_get_username (candidate));
  json_builder_set_member_name (builder, "auth_mechanisms");
  json_builder_begin_array (builder);
  for (guint i = 0; mechanisms[i] != NULL; i++)
    json_builder_add_string_value (builder, mechanisms[i]);
  json_builder_end_array (builder);
  od_json_add_string (builder, "source", od_source_kind_to_string (od_candidate_get_source (candidate)));
  /* Only an untrusted setting says why it needs a confirmation. */
  if (!od_candidate_get_trusted (candidate))
    {
      g_autofree char *why = od_candidate_dup_why (candidate);
      od_json_add_string (builder, "why", why);
    }
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
  od_json_add_string (builder, "address", self->address);
  od_json_add_string (builder, "domain", self->domain);

  /* The outgoing sources and candidates keep their place; the incoming ones follow. */
  json_builder_set_member_name (builder, "sources");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->sources)) +
      g_list_model_get_n_items (G_LIST_MODEL (self->in_sources));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OdDiscoverySource) source = nth_item (self->sources, self->in_sources, i);

      json_builder_begin_object (builder);
      od_json_add_string (builder, "kind", od_source_kind_to_string (od_discovery_source_get_kind (source)));
      od_json_add_string (builder, "protocol",
                          od_protocol_to_string (od_discovery_source_get_protocol (source)));
      od_json_add_string (builder, "status", od_source_status_to_string (od_discovery_source_get_status (source)));
      od_json_add_string (builder, "detail", od_discovery_source_get_detail (source));
      json_builder_set_member_name (builder, "elapsed_ms");
      json_builder_add_int_value (builder, od_discovery_source_get_elapsed_ms (source));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "candidates");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->candidates)) +
      g_list_model_get_n_items (G_LIST_MODEL (self->in_candidates));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OdCandidate) candidate = nth_item (self->candidates, self->in_candidates, i);

      json_builder_add_value (builder, od_candidate_to_json (candidate));
    }
  json_builder_end_array (builder);

  add_setting (builder, "best", self->best);

  json_builder_set_member_name (builder, "incoming");
  json_builder_add_value (builder, od_discovery_incoming_to_json (self, od_discovery_get_incoming (self)));

  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->problems));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OdProblem) problem = g_list_model_get_item (G_LIST_MODEL (self->problems), i);

      json_builder_add_value (builder, od_problem_to_json (problem));
    }
  json_builder_end_array (builder);

  /* Extensions */
  add_setting (builder, "unconfirmed", self->unconfirmed);
  json_builder_set_member_name (builder, "incoming_unconfirmed");
  json_builder_add_value (builder, od_discovery_incoming_to_json (self, self->incoming_unconfirmed));

  json_builder_set_member_name (builder, "provider");
  if (self->provider != NULL)
    {
      json_builder_begin_object (builder);
      od_json_add_string (builder, "id", od_provider_get_id (self->provider));
      od_json_add_string (builder, "name", od_provider_get_display_name (self->provider));
      json_builder_set_member_name (builder, "needs_app_password");
      json_builder_add_boolean_value (builder, od_provider_get_needs_app_password (self->provider));
      json_builder_set_member_name (builder, "oauth_only");
      json_builder_add_boolean_value (builder, od_provider_get_oauth_only (self->provider));
      od_json_add_string (builder, "documentation_url",
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