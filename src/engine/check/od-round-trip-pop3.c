/* od-round-trip-pop3.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-round-trip"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-round-trip-private.h"

/* The round trip over POP3, which sees INBOX only and shows a mailbox as it was at login:
 * each round is a session of its own (connect, STLS or implicit TLS, login, STAT), looks at
 * the newest messages not seen before (UIDL n, then TOP n 0 for the header), and ends with
 * QUIT; rounds are a pause apart. The message found is deleted (DELE, made final by QUIT)
 * only when asked. */

/* The newest messages looked at in a round: a new message is the last one or close to it. */
#define MAX_PER_ROUND 20

static void look_at_next (OdRoundTrip *self);
static void start_round  (OdRoundTrip *self);

static gboolean
reply_ok (OdRoundTrip   *self,
          GAsyncResult  *result,
          OdPop3Reply  **reply_out)
{
  OdPop3Reply *reply;
  GError *error = NULL;

  reply = od_pop3_session_reply_finish (self->pop3, result, &error);
  if (reply == NULL)
    {
      od_round_trip_return (self, error);
      return FALSE;
    }

  if (reply_out != NULL)
    *reply_out = reply;
  else
    od_pop3_reply_unref (reply);
  return TRUE;
}

static void
slept_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;
  GError *error = NULL;

  if (!od_round_trip_sleep_finish (self, result, &error))
    od_round_trip_return (self, error);
  else
    start_round (self);
}

static void
quit_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;
  gint64 remaining;

  /* QUIT makes a DELE final: its refusal is an error then; otherwise a rude goodbye does
   * not change what was seen. */
  if (self->delete_after && self->delivery != OD_DELIVERY_NOT_FOUND)
    {
      if (!reply_ok (self, result, NULL))
        return;
      self->deleted = TRUE;
    }

  od_pop3_session_close (self->pop3);
  g_clear_object (&self->pop3);

  remaining = od_round_trip_remaining_ms (self);
  if (self->delivery != OD_DELIVERY_NOT_FOUND || remaining <= 0)
    od_round_trip_return (self, NULL);
  else
    od_round_trip_sleep_async (self, MIN (remaining, (gint64)self->poll_ms), slept_cb,
                               g_object_ref (self));
}

static void
quit (OdRoundTrip *self)
{
  od_pop3_session_quit_async (self->pop3, self->cancellable, quit_cb, g_object_ref (self));
}

static void
dele_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;

  if (reply_ok (self, result, NULL))
    quit (self);
}

static void
top_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;
  g_autoptr(OdPop3Reply) reply = NULL;
  g_autofree char *joined = NULL;
  g_autoptr(GBytes) header = NULL;

  if (!reply_ok (self, result, &reply))
    return;

  joined = g_strjoinv ("\r\n", (char **)od_pop3_reply_get_lines (reply));
  header = g_bytes_new_take (g_strconcat (joined, "\r\n\r\n", NULL),
                             strlen (joined) + 4);

  if (!od_round_trip_found (self, OD_DELIVERY_INBOX, "INBOX", header))
    {
      self->candidate--;
      look_at_next (self);
      return;
    }

  if (self->delete_after)
    {
      g_autofree char *command = g_strdup_printf ("DELE %u", self->candidate);

      od_pop3_session_command_async (self->pop3, command, FALSE, self->cancellable, dele_cb,
                                     g_object_ref (self));
    }
  else
    quit (self);
}

static void
top (OdRoundTrip *self)
{
  g_autofree char *command = g_strdup_printf ("TOP %u 0", self->candidate);

  od_pop3_session_command_async (self->pop3, command, TRUE, self->cancellable, top_cb,
                                 g_object_ref (self));
}

static void
uidl_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;
  g_autoptr(OdPop3Reply) reply = NULL;
  g_auto(GStrv) words = NULL;

  if (!reply_ok (self, result, &reply))
    return;

  /* "+OK n uid": a message seen in an earlier round, and all before it, were not it. */
  words = g_strsplit (od_pop3_reply_get_status_text (reply), " ", 3);
  if (words[0] != NULL && words[1] != NULL)
    {
      if (g_hash_table_contains (self->seen, words[1]))
        {
          quit (self);
          return;
        }
      g_hash_table_add (self->seen, g_strdup (words[1]));
    }

  top (self);
}

static void
look_at_next (OdRoundTrip *self)
{
  const OdPop3Capabilities *caps = od_pop3_session_get_capabilities (self->pop3);
  g_autofree char *command = NULL;

  if (self->candidate == 0 || self->n_messages - self->candidate >= MAX_PER_ROUND)
    {
      quit (self);
      return;
    }

  if (caps == NULL || !caps->uidl)
    {
      top (self);
      return;
    }

  command = g_strdup_printf ("UIDL %u", self->candidate);
  od_pop3_session_command_async (self->pop3, command, FALSE, self->cancellable, uidl_cb,
                                 g_object_ref (self));
}

static void
stat_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;
  GError *error = NULL;
  guint64 size = 0;

  if (!od_pop3_session_stat_finish (self->pop3, result, &self->n_messages, &size, &error))
    {
      od_round_trip_return (self, error);
      return;
    }

  self->candidate = self->n_messages;
  look_at_next (self);
}

static void
logged_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;

  if (reply_ok (self, result, NULL))
    od_pop3_session_stat_async (self->pop3, self->cancellable, stat_cb, g_object_ref (self));
}

static void
capa_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;
  const OdPop3Capabilities *caps;
  const char *mechanism = "USER";

  if (!reply_ok (self, result, NULL))
    return;

  /* The session refuses a password without TLS by itself; this makes it certain. */
  if (!od_pop3_session_is_tls (self->pop3))
    {
      od_round_trip_return (self, od_round_trip_plaintext_error ());
      return;
    }

  caps = od_pop3_session_get_capabilities (self->pop3);
  /* A token goes only with a mechanism made for it, never as a password. */
  if (self->token)
    {
      if (caps != NULL && od_pop3_capabilities_has_sasl (caps, OD_SASL_OAUTHBEARER))
        mechanism = OD_SASL_OAUTHBEARER;
      else if (caps != NULL && od_pop3_capabilities_has_sasl (caps, OD_SASL_XOAUTH2))
        mechanism = OD_SASL_XOAUTH2;
      else
        {
          od_round_trip_return (self, g_error_new_literal (OD_POP3_ERROR, OD_POP3_ERROR_REFUSED,
                                                           _("The incoming server offers no "
                                                             "sign-in with a token")));
          return;
        }
      od_pop3_session_set_server (self->pop3, self->host, self->port);
    }
  else if (caps != NULL && od_pop3_capabilities_has_sasl (caps, "PLAIN"))
    mechanism = "PLAIN";

  od_pop3_session_login_async (self->pop3, mechanism, self->username, self->password,
                               self->cancellable, logged_in_cb, g_object_ref (self));
}

static void
stls_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;

  if (reply_ok (self, result, NULL))
    od_pop3_session_capa_async (self->pop3, self->cancellable, capa_cb, g_object_ref (self));
}

static void
greeting_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;

  if (!reply_ok (self, result, NULL))
    return;

  if (self->security == OD_SECURITY_STARTTLS)
    od_pop3_session_stls_async (self->pop3, self->cancellable, stls_cb, g_object_ref (self));
  else
    od_pop3_session_capa_async (self->pop3, self->cancellable, capa_cb, g_object_ref (self));
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;
  GError *error = NULL;

  if (!od_round_trip_connect_finish (self, result, &error))
    {
      od_round_trip_return (self, error);
      return;
    }

  self->pop3 = od_pop3_session_new (od_connect_get_stream (self->connect),
                                    od_connect_get_tls_client (self->connect),
                                    self->transcript);
  od_pop3_session_set_timeout (self->pop3, self->timeout_ms);
  od_pop3_session_read_greeting_async (self->pop3, self->cancellable, greeting_cb,
                                       g_object_ref (self));
}

static void
start_round (OdRoundTrip *self)
{
  self->rounds++;
  od_round_trip_connect_async (self, connected_cb, g_object_ref (self));
}

void
od_round_trip_pop3_start (OdRoundTrip *self)
{
  if (self->security == OD_SECURITY_NONE)
    {
      od_round_trip_return (self, od_round_trip_plaintext_error ());
      return;
    }

  start_round (self);
}
