/* od-other-ports.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-other-ports"

#include "config.h"

#include "od-deadline.h"
#include "od-other-ports.h"

/* The same server's other submission ports, probed while the chosen one is silent or
 * refuses: 465 with implicit TLS, 587 and 2525 with STARTTLS, and 25 last. Each is probed
 * as discovery probes a candidate (connect, greeting, EHLO, a real TLS handshake with
 * verification, never a login), all at once. The check asks which one works, if any, to
 * suggest it; and whether all of them were silent too, which points at the network rather
 * than the port. "changed" is emitted whenever a probe ends. */

typedef struct
{
  guint16    port;
  OdSecurity security;
} PortSetting;

/* In the order they are suggested: 25 only when nothing else works. */
static const PortSetting submission_ports[] = {
  { 465, OD_SECURITY_TLS },
  { 587, OD_SECURITY_STARTTLS },
  { 2525, OD_SECURITY_STARTTLS },
  { 25, OD_SECURITY_STARTTLS },
};

/* The incoming servers' ports, implicit TLS first (RFC 8314). */
static const PortSetting imap_ports[] = {
  { 993, OD_SECURITY_TLS },
  { 143, OD_SECURITY_STARTTLS },
};

static const PortSetting pop3_ports[] = {
  { 995, OD_SECURITY_TLS },
  { 110, OD_SECURITY_STARTTLS },
};

struct _OdOtherPorts
{
  GObject               parent_instance;

  char                 *host;
  guint16               port;          /* the one in trouble */
  OdProtocol            protocol;      /* which ports, and what the probes speak */
  char                 *ca_file;
  char                 *address;
  char                 *username;
  gboolean              network_available;
  GNetworkConnectivity  connectivity;
  GHashTable           *port_map;      /* for tests: port → port really connected to */
  GHashTable           *pins;          /* port → GStrv of fingerprints the user trusted */

  GPtrArray            *probes;        /* of OdProbe, in the order of submission_ports */
  OdDeadline           *run;           /* no clock: the caller's cancellable, chained */
};

G_DEFINE_FINAL_TYPE (OdOtherPorts, od_other_ports, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
od_other_ports_dispose (GObject *object)
{
  OdOtherPorts *self = (OdOtherPorts *)object;

  od_other_ports_stop (self);
  g_clear_pointer (&self->probes, g_ptr_array_unref);

  G_OBJECT_CLASS (od_other_ports_parent_class)->dispose (object);
}

static void
od_other_ports_finalize (GObject *object)
{
  OdOtherPorts *self = (OdOtherPorts *)object;

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->port_map, g_hash_table_unref);
  g_clear_pointer (&self->pins, g_hash_table_unref);

  G_OBJECT_CLASS (od_other_ports_parent_class)->finalize (object);
}

static void
od_other_ports_class_init (OdOtherPortsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = od_other_ports_dispose;
  object_class->finalize = od_other_ports_finalize;

  /**
   * OdOtherPorts::changed:
   *
   * A probe ended: the suggestion, or whether all were silent, may have changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
od_other_ports_init (OdOtherPorts *self)
{
  self->probes = g_ptr_array_new_with_free_func (g_object_unref);
  self->network_available = TRUE;
  self->connectivity = G_NETWORK_CONNECTIVITY_FULL;
}

/**
 * od_other_ports_new:
 * @host: the server
 * @port: the port that is silent or refuses: not probed again
 *
 * Returns: (transfer full): the other ports of @host, not yet probed
 */
OdOtherPorts *
od_other_ports_new (const char *host,
                    guint16     port)
{
  OdOtherPorts *self;

  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (OD_TYPE_OTHER_PORTS, NULL);
  self->host = g_strdup (host);
  self->port = port;

  return self;
}

/**
 * od_other_ports_set_protocol:
 *
 * The incoming servers' ports instead of the submission ports: 993 and 143 for IMAP, 995
 * and 110 for POP3, each probed in its own protocol (without a login).
 */
void
od_other_ports_set_protocol (OdOtherPorts *self,
                             OdProtocol    protocol)
{
  g_return_if_fail (OD_IS_OTHER_PORTS (self));
  self->protocol = protocol;
}

void
od_other_ports_set_ca_file (OdOtherPorts *self,
                            const char   *ca_file)
{
  g_return_if_fail (OD_IS_OTHER_PORTS (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

/**
 * od_other_ports_set_context:
 *
 * What the probes' diagnosis may name, and GNetworkMonitor's hint (see od_probe_set_context()).
 */
void
od_other_ports_set_context (OdOtherPorts         *self,
                            const char           *address,
                            const char           *username,
                            gboolean              network_available,
                            GNetworkConnectivity  connectivity)
{
  g_return_if_fail (OD_IS_OTHER_PORTS (self));

  g_free (self->address);
  self->address = g_strdup (address);
  g_free (self->username);
  self->username = g_strdup (username);
  self->network_available = network_available;
  self->connectivity = connectivity;
}

/**
 * od_other_ports_set_pinned_fingerprints:
 * @fingerprints: (array zero-terminated=1): certificates the user trusted for the server on
 *   @port
 */
void
od_other_ports_set_pinned_fingerprints (OdOtherPorts       *self,
                                        guint16             port,
                                        const char * const *fingerprints)
{
  g_return_if_fail (OD_IS_OTHER_PORTS (self));

  if (self->pins == NULL)
    self->pins = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)g_strfreev);
  g_hash_table_insert (self->pins, GUINT_TO_POINTER (port), g_strdupv ((char **)fingerprints));
}

/**
 * od_other_ports_map_port_for_testing:
 *
 * Probes @port by connecting to @real_port (tests run their servers on unprivileged ports).
 */
void
od_other_ports_map_port_for_testing (OdOtherPorts *self,
                                     guint16       port,
                                     guint16       real_port)
{
  g_return_if_fail (OD_IS_OTHER_PORTS (self));

  if (self->port_map == NULL)
    self->port_map = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (self->port_map, GUINT_TO_POINTER (port), GUINT_TO_POINTER (real_port));
}

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(OdOtherPorts) self = user_data;

  od_probe_run_finish (OD_PROBE (object), result, NULL);

  if (self->run != NULL)
    g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * od_other_ports_start:
 * @timeout_ms: each probe's deadline for the lookup, the connect and each reply
 * @cancellable: (nullable): ends every probe
 *
 * Probes the other submission ports of the server, all at once.
 */
void
od_other_ports_start (OdOtherPorts *self,
                      guint         timeout_ms,
                      GCancellable *cancellable)
{
  g_return_if_fail (OD_IS_OTHER_PORTS (self));
  g_return_if_fail (self->run == NULL && self->probes->len == 0);

  self->run = od_deadline_new (cancellable, 0, "[od] other ports");

  const PortSetting *settings = self->protocol == OD_PROTOCOL_IMAP ? imap_ports
                                : self->protocol == OD_PROTOCOL_POP3 ? pop3_ports
                                                                     : submission_ports;
  guint n_settings = self->protocol == OD_PROTOCOL_IMAP ? G_N_ELEMENTS (imap_ports)
                     : self->protocol == OD_PROTOCOL_POP3 ? G_N_ELEMENTS (pop3_ports)
                                                          : G_N_ELEMENTS (submission_ports);

  for (guint i = 0; i < n_settings; i++)
    {
      const PortSetting *setting = &settings[i];
      g_autoptr(OdProbe) probe = NULL;
      gpointer real_port;

      if (setting->port == self->port)
        continue;

      probe = od_probe_new (self->host, setting->port, setting->security);
      od_probe_set_protocol (probe, self->protocol);
      od_probe_set_timeout (probe, MAX (timeout_ms, 1));
      od_probe_set_ca_file (probe, self->ca_file);
      if (self->pins != NULL)
        od_probe_set_pinned_fingerprints (probe,
                                          g_hash_table_lookup (self->pins,
                                                               GUINT_TO_POINTER (setting->port)));
      od_probe_set_context (probe, self->address, self->username, self->network_available,
                            self->connectivity);
      if (self->port_map != NULL &&
          g_hash_table_lookup_extended (self->port_map, GUINT_TO_POINTER (setting->port), NULL,
                                        &real_port))
        od_probe_set_connect_port (probe, GPOINTER_TO_UINT (real_port));

      g_ptr_array_add (self->probes, g_object_ref (probe));
      od_probe_run_async (probe, od_deadline_get_cancellable (self->run), probe_cb,
                          g_object_ref (self));
    }
}

/**
 * od_other_ports_stop:
 *
 * Ends every probe still running; no "changed" follows.
 */
void
od_other_ports_stop (OdOtherPorts *self)
{
  OdDeadline *run;

  g_return_if_fail (OD_IS_OTHER_PORTS (self));

  if (self->run == NULL)
    return;

  /* Cleared first: the probes' callbacks then emit nothing. */
  run = g_steal_pointer (&self->run);
  g_cancellable_cancel (od_deadline_get_cancellable (run));
  od_deadline_free (run);
}

/** od_other_ports_is_started: Returns: whether the probes were started */
gboolean
od_other_ports_is_started (OdOtherPorts *self)
{
  g_return_val_if_fail (OD_IS_OTHER_PORTS (self), FALSE);
  return self->probes->len > 0;
}

/** od_other_ports_is_finished: Returns: whether every probe has ended */
gboolean
od_other_ports_is_finished (OdOtherPorts *self)
{
  g_return_val_if_fail (OD_IS_OTHER_PORTS (self), FALSE);

  for (guint i = 0; i < self->probes->len; i++)
    if (od_probe_is_running (g_ptr_array_index (self->probes, i)))
      return FALSE;

  return self->probes->len > 0;
}

static gboolean
probe_works (OdProbe *probe)
{
  return !od_probe_is_running (probe) && od_probe_get_elapsed_ms (probe) >= 0 &&
         od_probe_get_status (probe) == OD_PROBE_OK;
}

/**
 * od_other_ports_get_suggestion:
 *
 * The port to suggest, of those that work now: the first in the order 465, 587, 2525 (one
 * still being tried is not waited for: the check concludes when it may, with what works
 * then), and 25 only once none of the others can work any more (port 25 is often blocked for
 * sending, and meant for servers).
 *
 * Returns: (transfer none) (nullable): the probe of the port that works
 */
OdProbe *
od_other_ports_get_suggestion (OdOtherPorts *self)
{
  OdProbe *port_25 = NULL;
  gboolean others_pending = FALSE;

  g_return_val_if_fail (OD_IS_OTHER_PORTS (self), NULL);

  for (guint i = 0; i < self->probes->len; i++)
    {
      OdProbe *probe = g_ptr_array_index (self->probes, i);

      if (od_probe_get_port (probe) == 25)
        {
          port_25 = probe;
          continue;
        }

      if (probe_works (probe))
        return probe;
      if (od_probe_is_running (probe))
        others_pending = TRUE;
    }

  if (port_25 != NULL && probe_works (port_25) && !others_pending)
    return port_25;

  return NULL;
}

/**
 * od_other_ports_all_silent:
 *
 * Returns: whether no other port answered at all: every probe timed out (or is still
 *   waiting), so the network, not the port, stands in the way
 */
gboolean
od_other_ports_all_silent (OdOtherPorts *self)
{
  g_return_val_if_fail (OD_IS_OTHER_PORTS (self), FALSE);

  for (guint i = 0; i < self->probes->len; i++)
    {
      OdProbe *probe = g_ptr_array_index (self->probes, i);

      if (!od_probe_is_running (probe) && od_probe_get_elapsed_ms (probe) >= 0 &&
          od_probe_get_status (probe) != OD_PROBE_TIMEOUT)
        return FALSE;
    }

  return self->probes->len > 0;
}

/**
 * od_other_ports_describe_ports:
 *
 * Returns: (transfer full): the port in trouble and the others, "465, 587, 2525, 25"
 */
char *
od_other_ports_describe_ports (OdOtherPorts *self)
{
  g_autoptr(GString) ports = g_string_new (NULL);

  g_return_val_if_fail (OD_IS_OTHER_PORTS (self), NULL);

  g_string_append_printf (ports, "%u", self->port);
  for (guint i = 0; i < self->probes->len; i++)
    g_string_append_printf (ports, ", %u", od_probe_get_port (g_ptr_array_index (self->probes, i)));

  return g_string_free (g_steal_pointer (&ports), FALSE);
}
