/* od-check-delivery.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-check"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-check-delivery.h"
#include "od-check-private.h"

/* The round trip inside the check (`--send-test --round-trip`): after the outgoing server
 * accepted the test message, the check says goodbye to it and looks for the message on the
 * incoming server with OdRoundTrip; the result is the eleventh step, `delivery`. The round
 * trip writes into the check's own transcript, after the SMTP conversation, so a help desk
 * reads one story in order (docs/decisions.md, "The round trip in the check"). */

#define DELIVERY_QUIT_TIMEOUT_MS 5000  /* the outgoing server's goodbye before looking */
#define DELIVERY_RESERVE_MS      3000  /* of the whole run, for the incoming server's LOGOUT */

struct _OdCheckDelivery
{
  OdProtocol   protocol;
  char        *host;
  char        *username;
  char        *password;       /* NULL: the check's own; wiped when freed */
  char       **pins;
  guint16      port;
  OdSecurity   security;
  guint        wait_ms;
  gboolean     delete_after;
  gint64       accepted_us;
  OdRoundTrip *round_trip;     /* once started */
};

void
od_check_delivery_free (OdCheckDelivery *delivery)
{
  if (delivery->password != NULL)
    memset (delivery->password, 0, strlen (delivery->password));
  g_free (delivery->password);
  g_free (delivery->host);
  g_free (delivery->username);
  g_strfreev (delivery->pins);
  g_clear_object (&delivery->round_trip);
  g_free (delivery);
}

static OdCheckStep *
delivery_step (OdCheck *self)
{
  return od_checklist_get_step (self->checklist, OD_STEP_DELIVERY);
}

/* How the step ends: in INBOX and nothing amiss passes; the spam folder or a failed SPF,
 * DKIM or DMARC warns; not found, or a mailbox that could not be looked at, fails. */
static OdStepState
delivery_state (OdRoundTrip  *round_trip,
                const GError *error)
{
  GPtrArray *problems = od_round_trip_get_problems (round_trip);

  if (error != NULL)
    return OD_STEP_STATE_FAIL;

  switch (od_round_trip_get_delivery (round_trip))
    {
    case OD_DELIVERY_INBOX:
      return problems->len == 0 ? OD_STEP_STATE_PASS : OD_STEP_STATE_WARN;
    case OD_DELIVERY_JUNK:
      return OD_STEP_STATE_WARN;
    case OD_DELIVERY_NOT_FOUND:
    default:
      return OD_STEP_STATE_FAIL;
    }
}

static void
round_trip_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  OdRoundTrip *round_trip = OD_ROUND_TRIP (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  GPtrArray *problems;
  OdCheckStep *step = delivery_step (self);

  od_round_trip_run_finish (round_trip, result, &error);

  /* Stopped, or out of the whole run's time: the run ends and says so. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (od_deadline_has_expired (self->run))
        od_check_step_finish (step, OD_STEP_STATE_SKIP,
                              _("Not checked to the end: the time for the whole check ran "
                                "out while looking for the test message."),
                              NULL);
      od_check_finish_run (self, FALSE);
      return;
    }

  problems = od_round_trip_get_problems (round_trip);
  if (error != NULL && problems->len > 0)
    /* Translators: %s says why, such as "The password was not accepted." */
    detail = g_strdup_printf (_("Could not look into the mailbox on the incoming server: %s"),
                              od_problem_get_summary (g_ptr_array_index (problems, 0)));
  else
    detail = od_round_trip_get_summary (round_trip);

  /* The further findings first: finishing notifies, and a row shows them all then. */
  for (guint i = 1; i < problems->len; i++)
    od_check_step_add_problem (step, g_ptr_array_index (problems, i));
  od_check_step_finish (step, delivery_state (round_trip, error), detail,
                        problems->len > 0 ? g_ptr_array_index (problems, 0) : NULL);

  od_check_finish_run (self, FALSE);
}

static void
look_for_message (OdCheck *self)
{
  OdCheckDelivery *d = self->delivery;
  const char *password = d->password != NULL ? d->password : self->password;
  guint remaining = od_check_remaining_ms (self);
  g_autofree char *note = NULL;
  g_autofree char *localized = NULL;
  guint wait_ms;

  od_check_step_start (delivery_step (self));

  if (password == NULL || self->message_id == NULL)
    {
      od_check_step_finish (delivery_step (self), OD_STEP_STATE_SKIP,
                            _("Not checked: looking into the mailbox needs the password of "
                              "the incoming server."),
                            NULL);
      od_check_finish_run (self, FALSE);
      return;
    }

  /* Where the outgoing conversation ends and the incoming one starts, in the transcript. */
  note = g_strdup_printf ("Looking for the test message on %s port %u (%s)", d->host, d->port,
                          od_protocol_to_string (d->protocol));
  /* Translators: the first %s is a server name, %u its port, the last %s "imap" or "pop3" */
  localized = g_strdup_printf (_("Looking for the test message on %s, port %u (%s)."),
                               d->host, d->port, od_protocol_to_string (d->protocol));
  od_transcript_append_localized (self->transcript, OD_TRANSCRIPT_INFO, FALSE, note, localized);

  d->round_trip = od_round_trip_new (d->protocol, d->host, d->port, d->security,
                                     d->username, password, self->message_id,
                                     self->transcript);
  od_round_trip_set_ca_file (d->round_trip, self->ca_file);
  od_round_trip_set_pinned_fingerprints (d->round_trip, (const char * const *)d->pins);
  od_round_trip_set_accepted_at (d->round_trip, d->accepted_us);
  od_round_trip_set_delete (d->round_trip, d->delete_after);
  /* The account signs in with a token: the incoming server gets the same one. */
  od_round_trip_set_token (d->round_trip, d->password == NULL && self->oauth != NULL);

  /* The whole run's --timeout bounds the wait, keeping a moment to log out, so that a
   * message not found is reported as such rather than cut off. */
  wait_ms = remaining > DELIVERY_RESERVE_MS ? remaining - DELIVERY_RESERVE_MS : 0;
  od_round_trip_set_wait (d->round_trip, MIN (d->wait_ms, wait_ms));
  od_round_trip_set_timeout (d->round_trip, MIN (self->step_timeout_ms, MAX (remaining, 1)));

  od_round_trip_run_async (d->round_trip, self->cancellable, round_trip_cb,
                           g_object_ref (self));
}

static void
quit_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdSmtpReply) reply = NULL;

  /* The goodbye's answer does not matter: the message was accepted before. */
  reply = od_smtp_session_reply_finish (OD_SMTP_SESSION (object), result, NULL);
  od_smtp_session_close (self->session);
  if (self->connect != NULL)
    od_connect_close (self->connect);

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      od_check_finish_run (self, FALSE);
      return;
    }

  look_for_message (self);
}

/**
 * od_check_after_data:
 *
 * The outgoing server accepted the test message: ends the run, or, with the round trip,
 * closes the outgoing conversation and looks for the message first.
 */
void
od_check_after_data (OdCheck *self)
{
  guint remaining = od_check_remaining_ms (self);

  if (self->delivery == NULL || remaining == 0)
    {
      od_check_finish_run (self, TRUE);
      return;
    }

  self->delivery->accepted_us = g_get_monotonic_time ();
  od_smtp_session_set_timeout (self->session, MIN (DELIVERY_QUIT_TIMEOUT_MS, remaining));
  od_smtp_session_command_async (self->session, "QUIT", self->cancellable, quit_cb,
                                 g_object_ref (self));
}

/**
 * od_check_set_round_trip:
 * @protocol: %OD_PROTOCOL_IMAP or %OD_PROTOCOL_POP3
 * @host: the incoming server
 * @port: its port
 * @security: its encryption (never %OD_SECURITY_NONE in practice: the password is not sent
 *   without it, and the step fails with `auth-plaintext-refused`)
 * @username: the login on the incoming server
 * @password: (nullable): its password when it differs from the outgoing server's; %NULL
 *   uses the check's (od_check_set_password())
 *
 * With a test message (od_check_set_send_test()), looks for it on the incoming server
 * after the outgoing server accepted it: the checklist gets the step `delivery` after
 * `data`. Call before the run, once.
 */
void
od_check_set_round_trip (OdCheck    *self,
                         OdProtocol  protocol,
                         const char *host,
                         guint16     port,
                         OdSecurity  security,
                         const char *username,
                         const char *password)
{
  OdCheckDelivery *d;

  g_return_if_fail (OD_IS_CHECK (self));
  g_return_if_fail (od_protocol_is_incoming (protocol));
  g_return_if_fail (host != NULL && username != NULL);
  g_return_if_fail (self->delivery == NULL && self->started_us == 0);

  d = g_new0 (OdCheckDelivery, 1);
  d->protocol = protocol;
  d->host = g_strdup (host);
  d->port = port;
  d->security = security;
  d->username = g_strdup (username);
  d->password = g_strdup (password);
  d->wait_ms = OD_ROUND_TRIP_DEFAULT_WAIT_MS;
  self->delivery = d;

  od_checklist_add_step (self->checklist, OD_STEP_DELIVERY);
}

/**
 * od_check_set_round_trip_pins:
 * @fingerprints: (nullable): certificates trusted for the incoming server
 */
void
od_check_set_round_trip_pins (OdCheck            *self,
                              const char * const *fingerprints)
{
  g_return_if_fail (OD_IS_CHECK (self) && self->delivery != NULL);

  g_strfreev (self->delivery->pins);
  self->delivery->pins = g_strdupv ((char **)fingerprints);
}

/**
 * od_check_set_round_trip_wait:
 * @wait_ms: how long to look for the message (60 s by default); the whole run's timeout
 *   still bounds it
 */
void
od_check_set_round_trip_wait (OdCheck *self,
                              guint    wait_ms)
{
  g_return_if_fail (OD_IS_CHECK (self) && self->delivery != NULL);
  self->delivery->wait_ms = wait_ms;
}

/**
 * od_check_set_round_trip_delete:
 * @delete_after: whether to delete the test message once found (off by default)
 */
void
od_check_set_round_trip_delete (OdCheck  *self,
                                gboolean  delete_after)
{
  g_return_if_fail (OD_IS_CHECK (self) && self->delivery != NULL);
  self->delivery->delete_after = !!delete_after;
}

gboolean
od_check_get_has_round_trip (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), FALSE);
  return self->delivery != NULL;
}

/**
 * od_check_get_round_trip:
 *
 * Returns: (transfer none) (nullable): the round trip once it ran (its result for the JSON
 *   report's `delivery`), or %NULL when there was none or the test message was not accepted
 */
OdRoundTrip *
od_check_get_round_trip (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), NULL);
  return self->delivery != NULL ? self->delivery->round_trip : NULL;
}
