/* od-check-connect.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "od-check-private.h"

/* The check's connect step: the connector's attempts (od-connect.c), and meanwhile a look at
 * the server's other submission ports when the chosen one stays silent or refuses, so that
 * the step can end early with a port that works. Once connected, the conversation goes on in
 * od-check.c (od_check_connected()). */

#define CONNECT_TIMEOUT_MS 15000

/* A port that gives no answer for OTHER_PORTS_AFTER_MS has its server's other submission
 * ports probed meanwhile (od-other-ports.c); once one of them works and the port has had
 * CONCLUDE_AFTER_MS without an answer, the check concludes port-blocked and suggests it,
 * instead of waiting out the connect deadline. A refused port has them probed at once, and
 * waits for them until CONCLUDE_AFTER_MS. */
#define OTHER_PORTS_AFTER_MS 1500
#define CONCLUDE_AFTER_MS    3000
#define OTHER_PORTS_GRACE_MS 1000  /* after a time-out, for the probes under way */

static void connect_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data);

static OdCheckStep *
step (OdCheck    *self,
      const char *id)
{
  return od_checklist_get_step (self->checklist, id);
}

/* The check runs in the thread-default main context of its caller; so do its timers. */
static GSource *
add_timer (guint       timeout_ms,
           GSourceFunc func,
           OdCheck    *self,
           const char *name)
{
  GSource *source = g_timeout_source_new (timeout_ms);

  g_source_set_callback (source, func, self, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, g_main_context_get_thread_default ());

  return source;
}

void
od_check_stop_connect_timers (OdCheck *self)
{
  if (self->other_ports_timer != NULL)
    g_source_destroy (self->other_ports_timer);
  g_clear_pointer (&self->other_ports_timer, g_source_unref);
  if (self->conclude_timer != NULL)
    g_source_destroy (self->conclude_timer);
  g_clear_pointer (&self->conclude_timer, g_source_unref);
}

/* The connect step is decided: whatever still runs for it stops. */
static void
end_connect_stage (OdCheck *self)
{
  self->connect_decided = TRUE;
  od_check_stop_connect_timers (self);
  if (self->other_ports != NULL)
    od_other_ports_stop (self->other_ports);
}

static gint64
connect_elapsed_ms (OdCheck *self)
{
  return (g_get_monotonic_time () - self->connect_started_us) / 1000;
}

/* Connecting failed (or is given up): the other ports refine what the failure means. */
static void
conclude_connect (OdCheck      *self,
                  const GError *error)
{
  g_autoptr(OdProbe) suggestion = NULL;
  g_autofree char *ports = NULL;
  gboolean others_silent = FALSE;

  if (self->other_ports != NULL && od_other_ports_is_started (self->other_ports))
    {
      OdProbe *works = od_other_ports_get_suggestion (self->other_ports);

      suggestion = works ? g_object_ref (works) : NULL;
      others_silent = od_other_ports_all_silent (self->other_ports);
      ports = od_other_ports_describe_ports (self->other_ports);
    }

  end_connect_stage (self);
  od_check_fail_connect (self, error, suggestion, others_silent ? ports : NULL);
}

/* The port has been silent for CONCLUDE_AFTER_MS and another one works: it is blocked. */
static void
conclude_silent_port (OdCheck *self)
{
  g_autoptr(GError) error = NULL;

  /* Translators: "No answer on port 465 within 3000 ms" */
  error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       _("No answer on port %u within %u ms"), self->port, CONCLUDE_AFTER_MS);
  od_transcript_append (self->transcript, OD_TRANSCRIPT_INFO, FALSE, error->message);
  /* The connection attempt under way is given up. */
  g_cancellable_cancel (od_deadline_get_cancellable (self->connect_stage));
  conclude_connect (self, error);
}

/* Whether what is known now decides the connect step; if so, it is decided. */
static void
maybe_conclude_connect (OdCheck *self)
{
  OdProbe *suggestion;

  if (self->connect_decided || self->other_ports == NULL)
    return;

  suggestion = od_other_ports_get_suggestion (self->other_ports);

  /* The port failed: waiting only for the other ports, and not beyond self->wait_until_us. */
  if (self->connect_error != NULL)
    {
      if (suggestion != NULL || g_get_monotonic_time () >= self->wait_until_us ||
          !od_other_ports_is_started (self->other_ports) ||
          od_other_ports_is_finished (self->other_ports))
        conclude_connect (self, self->connect_error);
      return;
    }

  if (suggestion != NULL && connect_elapsed_ms (self) >= CONCLUDE_AFTER_MS)
    conclude_silent_port (self);
}

static void
other_ports_changed_cb (OdCheck *self)
{
  maybe_conclude_connect (self);
}

static void
start_other_ports (OdCheck *self)
{
  GHashTableIter iter;
  gpointer port, real_port, pins;
  gint64 elapsed_ms;
  guint timeout_ms;

  if (od_other_ports_is_started (self->other_ports))
    return;

  /* As long as the port in trouble has left, and at least a second. */
  elapsed_ms = connect_elapsed_ms (self);
  timeout_ms = self->connect_timeout_ms > elapsed_ms ? self->connect_timeout_ms - elapsed_ms : 0;
  timeout_ms = MAX (timeout_ms, 1000);

  od_other_ports_set_ca_file (self->other_ports, self->ca_file);
  od_other_ports_set_context (self->other_ports, self->address, self->username,
                              self->network_available, self->connectivity);
  if (self->other_pins != NULL)
    {
      g_hash_table_iter_init (&iter, self->other_pins);
      while (g_hash_table_iter_next (&iter, &port, &pins))
        od_other_ports_set_pinned_fingerprints (self->other_ports, GPOINTER_TO_UINT (port), pins);
    }
  if (self->port_map != NULL)
    {
      g_hash_table_iter_init (&iter, self->port_map);
      while (g_hash_table_iter_next (&iter, &port, &real_port))
        od_other_ports_map_port_for_testing (self->other_ports, GPOINTER_TO_UINT (port),
                                             GPOINTER_TO_UINT (real_port));
    }
  od_other_ports_start (self->other_ports, timeout_ms, self->cancellable);
}

static gboolean
other_ports_timer_cb (gpointer user_data)
{
  OdCheck *self = user_data;

  g_clear_pointer (&self->other_ports_timer, g_source_unref);
  start_other_ports (self);

  return G_SOURCE_REMOVE;
}

static gboolean
conclude_timer_cb (gpointer user_data)
{
  OdCheck *self = user_data;

  g_clear_pointer (&self->conclude_timer, g_source_unref);
  maybe_conclude_connect (self);

  return G_SOURCE_REMOVE;
}

/* The port failed with @error (taken). A refusal has the other ports probed at once and
 * waits for them until CONCLUDE_AFTER_MS; a time-out waits a little for the probes already
 * under way, which end about when it did. Anything else is concluded at once. */
static void
wait_for_other_ports (OdCheck *self,
                      GError  *error)
{
  gboolean refused = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  gboolean timed_out = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  gint64 now = g_get_monotonic_time ();

  self->connect_error = error;

  if (g_cancellable_is_cancelled (self->cancellable) || !(refused || timed_out) ||
      self->other_ports == NULL ||
      (timed_out && !od_other_ports_is_started (self->other_ports)))
    {
      conclude_connect (self, self->connect_error);
      return;
    }

  od_check_stop_connect_timers (self);
  start_other_ports (self);

  self->wait_until_us = refused ? self->connect_started_us + CONCLUDE_AFTER_MS * 1000
                                : now + OTHER_PORTS_GRACE_MS * 1000;
  if (self->wait_until_us > now)
    self->conclude_timer = add_timer ((self->wait_until_us - now + 999) / 1000,
                                      conclude_timer_cb, self, "[od] check: other ports");
  maybe_conclude_connect (self);
}

void
od_check_connect (OdCheck *self)
{
  od_check_step_start (step (self, OD_STEP_CONNECT));

  self->connect_started_us = g_get_monotonic_time ();
  self->connect_stage = od_deadline_new (self->cancellable, 0, "[od] check connect stage");

  /* The other ports of the same protocol (the submission ports, or 993/143, 995/110),
   * probed as discovery probes them. */
  self->other_ports = od_other_ports_new (self->host, self->port);
  od_other_ports_set_protocol (self->other_ports, self->protocol);
  g_signal_connect_object (self->other_ports, "changed",
                           G_CALLBACK (other_ports_changed_cb), self, G_CONNECT_SWAPPED);
  self->other_ports_timer = add_timer (OTHER_PORTS_AFTER_MS, other_ports_timer_cb, self,
                                       "[od] check: other ports after");
  self->conclude_timer = add_timer (CONCLUDE_AFTER_MS, conclude_timer_cb, self,
                                    "[od] check: conclude after");

  self->connect_timeout_ms = MIN (od_check_stage_timeout (self, 0), CONNECT_TIMEOUT_MS);
  od_connect_set_attempt_timeout (self->connect, self->connect_timeout_ms);
  od_connect_connect_async (self->connect, 0, od_deadline_get_cancellable (self->connect_stage),
                            connect_cb, g_object_ref (self));
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *ip = NULL;
  GInetSocketAddress *remote;
  gboolean connected = od_connect_connect_finish (OD_CONNECT (object), result, &error);

  /* Given up already: another port works, and the step said so. */
  if (self->connect_decided)
    {
      if (connected)
        od_connect_close (self->connect);
      return;
    }

  if (!connected)
    {
      wait_for_other_ports (self, g_steal_pointer (&error));
      return;
    }

  end_connect_stage (self);
  od_check_finish_network_step (self, OD_STEP_CONNECT, NULL);

  remote = od_connect_get_remote (self->connect);
  ip = g_inet_address_to_string (g_inet_socket_address_get_address (remote));
  /* Translators: "Connected to 192.0.2.1 on port 587." */
  detail = g_strdup_printf (_("Connected to %s on port %u."), ip, self->port);
  od_transcript_append (self->transcript, OD_TRANSCRIPT_INFO, FALSE, detail);
  od_check_finish_step (self, OD_STEP_CONNECT, OD_STEP_STATE_PASS, detail, NULL);

  self->client_name = od_smtp_client_name_for (od_connect_get_connection (self->connect));
  od_check_connected (self);
}
