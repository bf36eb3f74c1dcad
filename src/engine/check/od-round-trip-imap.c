/* od-round-trip-imap.c
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

/* The round trip over IMAP: log in, find the spam folder (LIST with SPECIAL-USE \Junk,
 * RFC 6154, else a usual name), then rounds of: the spam folder, then INBOX (SELECT, UID
 * SEARCH HEADER Message-ID), and between rounds IDLE in INBOX where offered, else a pause.
 * The message found has its header fetched (BODY.PEEK[HEADER]: it stays unread) and is
 * deleted only when asked (UID EXPUNGE with UIDPLUS; without it only when no other message
 * of the folder is marked \Deleted, since EXPUNGE would remove those too). */

/* While a spam folder exists, IDLE in INBOX cannot see it: look there this often. */
#define JUNK_LOOK_MS 5000

/* Usual names of the spam folder, for servers without SPECIAL-USE (compared ignoring
 * case, with the whole name or its last part: "INBOX.Junk", "INBOX/Spam"). */
static const char * const junk_names[] = {
  "Junk", "Spam", "Junk E-mail", "Junk Email", "Junk Mail", "Bulk Mail", "Bulk", NULL,
};

static void look_in       (OdRoundTrip *self,
                           OdDelivery   where);
static void next_round    (OdRoundTrip *self);

static const char *
folder_of (OdRoundTrip *self,
           OdDelivery   where)
{
  return where == OD_DELIVERY_JUNK ? self->junk_folder : "INBOX";
}

static void
logout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  OdRoundTrip *self = user_data;
  g_autoptr(OdImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  /* Whatever the goodbye was, the result stands. */
  response = od_imap_session_finish (OD_IMAP_SESSION (object), result, &error);
  od_round_trip_return (self, NULL);
  g_object_unref (self);
}

static void
logout (OdRoundTrip *self)
{
  od_imap_session_logout_async (self->imap, self->cancellable, logout_cb, g_object_ref (self));
}

/* Every step's completion: on failure the run ends with the error. */
static gboolean
step_ok (OdRoundTrip  *self,
         GAsyncResult *result)
{
  g_autoptr(OdImapResponse) response = NULL;
  GError *error = NULL;

  response = od_imap_session_finish (self->imap, result, &error);
  if (response == NULL)
    {
      od_round_trip_return (self, error);
      return FALSE;
    }

  return TRUE;
}

static void
expunged_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;

  if (!step_ok (self, result))
    return;

  self->deleted = TRUE;
  logout (self);
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;
  const OdImapCapabilities *caps = od_imap_session_get_capabilities (self->imap);
  guint32 uid = g_array_index (self->uids, guint32, self->uids->len - 1);
  g_autofree char *command = NULL;

  if (!step_ok (self, result))
    return;

  command = caps != NULL && od_imap_capabilities_has (caps, "UIDPLUS")
            ? g_strdup_printf ("UID EXPUNGE %u", uid) : g_strdup ("EXPUNGE");
  od_imap_session_command_async (self->imap, command, self->cancellable, expunged_cb,
                                 g_object_ref (self));
}

static void
store_deleted (OdRoundTrip *self)
{
  guint32 uid = g_array_index (self->uids, guint32, self->uids->len - 1);
  g_autofree char *command = g_strdup_printf ("UID STORE %u +FLAGS.SILENT (\\Deleted)", uid);

  od_imap_session_command_async (self->imap, command, self->cancellable, stored_cb,
                                 g_object_ref (self));
}

static void
deleted_search_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;
  g_autoptr(GArray) others = NULL;
  GError *error = NULL;

  others = od_imap_session_uid_search_finish (self->imap, result, &error);
  if (others == NULL)
    {
      od_round_trip_return (self, error);
      return;
    }

  /* EXPUNGE would also remove what the person marked for deletion: leave it all. */
  if (others->len > 0)
    {
      od_transcript_append_localized (self->transcript, OD_TRANSCRIPT_INFO,
                                      od_imap_session_is_tls (self->imap),
                                      "Not deleted: other messages are marked \\Deleted and "
                                      "the server has no UIDPLUS",
                                      _("The test message was not deleted: other messages "
                                        "in the folder are marked for deletion, and this "
                                        "server cannot delete one message alone"));
      logout (self);
      return;
    }

  store_deleted (self);
}

static void
delete_message (OdRoundTrip *self)
{
  const OdImapCapabilities *caps = od_imap_session_get_capabilities (self->imap);

  if (caps != NULL && od_imap_capabilities_has (caps, "UIDPLUS"))
    store_deleted (self);
  else
    od_imap_session_uid_search_async (self->imap, "DELETED", self->cancellable,
                                      deleted_search_cb, g_object_ref (self));
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;
  g_autoptr(GBytes) header = NULL;
  GError *error = NULL;

  header = od_imap_session_uid_fetch_header_finish (self->imap, result, &error);
  if (header == NULL)
    {
      od_round_trip_return (self, error);
      return;
    }

  if (od_round_trip_found (self, self->looking, folder_of (self, self->looking), header))
    {
      if (self->delete_after)
        delete_message (self);
      else
        logout (self);
      return;
    }

  /* SEARCH HEADER matches substrings: that was another message. */
  g_array_set_size (self->uids, self->uids->len - 1);
  if (self->uids->len > 0)
    od_imap_session_uid_fetch_header_async (self->imap,
                                            g_array_index (self->uids, guint32,
                                                           self->uids->len - 1),
                                            self->cancellable, fetch_cb, g_object_ref (self));
  else if (self->looking == OD_DELIVERY_JUNK)
    look_in (self, OD_DELIVERY_INBOX);
  else
    next_round (self);
}

static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;
  GError *error = NULL;

  g_clear_pointer (&self->uids, g_array_unref);
  self->uids = od_imap_session_uid_search_finish (self->imap, result, &error);
  if (self->uids == NULL)
    {
      od_round_trip_return (self, error);
      return;
    }

  /* The newest match is the last. */
  if (self->uids->len > 0)
    od_imap_session_uid_fetch_header_async (self->imap,
                                            g_array_index (self->uids, guint32,
                                                           self->uids->len - 1),
                                            self->cancellable, fetch_cb, g_object_ref (self));
  else if (self->looking == OD_DELIVERY_JUNK)
    look_in (self, OD_DELIVERY_INBOX);
  else
    next_round (self);
}

static void
selected_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;
  g_autofree char *quoted = NULL;
  g_autofree char *criteria = NULL;
  GError *error = NULL;

  if (!step_ok (self, result))
    return;

  quoted = od_imap_quote_string (self->message_id, &error);
  if (quoted == NULL)
    {
      od_round_trip_return (self, error);
      return;
    }

  criteria = g_strdup_printf ("HEADER Message-ID %s", quoted);
  od_imap_session_uid_search_async (self->imap, criteria, self->cancellable, search_cb,
                                    g_object_ref (self));
}

static void
look_in (OdRoundTrip *self,
         OdDelivery   where)
{
  self->looking = where;
  if (where == OD_DELIVERY_JUNK)
    self->looked_in_junk = TRUE;

  od_imap_session_select_async (self->imap, folder_of (self, where), self->cancellable,
                                selected_cb, g_object_ref (self));
}

static void
start_round (OdRoundTrip *self)
{
  self->rounds++;
  look_in (self, self->junk_folder != NULL ? OD_DELIVERY_JUNK : OD_DELIVERY_INBOX);
}

static void
idle_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;

  if (step_ok (self, result))
    start_round (self);
}

static void
slept_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;
  GError *error = NULL;

  if (!od_round_trip_sleep_finish (self, result, &error))
    {
      od_round_trip_return (self, error);
      return;
    }

  start_round (self);
}

/* Not found in this round: wait for news in INBOX (selected last), or give up. */
static void
next_round (OdRoundTrip *self)
{
  const OdImapCapabilities *caps = od_imap_session_get_capabilities (self->imap);
  gint64 remaining = od_round_trip_remaining_ms (self);

  if (remaining <= 0)
    {
      logout (self);
      return;
    }

  if (caps != NULL && caps->idle)
    od_imap_session_idle_async (self->imap,
                                self->junk_folder != NULL ? MIN (remaining, JUNK_LOOK_MS)
                                                          : remaining,
                                self->cancellable, idle_cb, g_object_ref (self));
  else
    od_round_trip_sleep_async (self, MIN (remaining, (gint64)self->poll_ms), slept_cb,
                               g_object_ref (self));
}

static gboolean
is_junk_name (const OdImapMailbox *mailbox)
{
  const char *last = mailbox->name;

  if (mailbox->delimiter != '\0' && strrchr (mailbox->name, mailbox->delimiter) != NULL)
    last = strrchr (mailbox->name, mailbox->delimiter) + 1;

  for (guint i = 0; junk_names[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (mailbox->name, junk_names[i]) == 0 ||
          g_ascii_strcasecmp (last, junk_names[i]) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;
  g_autoptr(GPtrArray) mailboxes = NULL;
  const OdImapMailbox *by_name = NULL;
  const OdImapMailbox *by_flag = NULL;
  GError *error = NULL;

  mailboxes = od_imap_session_list_finish (self->imap, result, &error);
  if (mailboxes == NULL)
    {
      od_round_trip_return (self, error);
      return;
    }

  for (guint i = 0; i < mailboxes->len; i++)
    {
      const OdImapMailbox *mailbox = g_ptr_array_index (mailboxes, i);

      if (od_imap_mailbox_has_flag (mailbox, "\\Noselect") ||
          od_imap_mailbox_has_flag (mailbox, "\\NonExistent"))
        continue;
      if (by_flag == NULL && od_imap_mailbox_has_flag (mailbox, "\\Junk"))
        by_flag = mailbox;
      if (by_name == NULL && is_junk_name (mailbox))
        by_name = mailbox;
    }

  if (by_flag != NULL || by_name != NULL)
    self->junk_folder = g_strdup ((by_flag != NULL ? by_flag : by_name)->name);

  start_round (self);
}

static void
logged_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;
  const OdImapCapabilities *caps;

  if (!step_ok (self, result))
    return;

  caps = od_imap_session_get_capabilities (self->imap);
  od_imap_session_list_async (self->imap, caps != NULL && caps->special_use,
                              self->cancellable, list_cb, g_object_ref (self));
}

static void
log_in (OdRoundTrip *self)
{
  const OdImapCapabilities *caps = od_imap_session_get_capabilities (self->imap);
  OdImapLogin method = OD_IMAP_LOGIN_COMMAND;

  /* Never a password in plain text, whatever the server offers. */
  if (!od_imap_session_is_tls (self->imap))
    {
      od_round_trip_return (self, od_round_trip_plaintext_error ());
      return;
    }

  /* A token goes only with a mechanism made for it, never as a password. */
  if (self->token)
    {
      if (caps != NULL && od_imap_capabilities_has_auth (caps, OD_SASL_OAUTHBEARER))
        method = OD_IMAP_LOGIN_OAUTHBEARER;
      else if (caps != NULL && od_imap_capabilities_has_auth (caps, OD_SASL_XOAUTH2))
        method = OD_IMAP_LOGIN_XOAUTH2;
      else
        {
          od_round_trip_return (self, g_error_new_literal (OD_IMAP_ERROR, OD_IMAP_ERROR_NOT_OFFERED,
                                                           _("The incoming server offers no "
                                                             "sign-in with a token")));
          return;
        }
      od_imap_session_set_server (self->imap, self->host, self->port);
    }
  else if (caps != NULL && od_imap_capabilities_has_auth (caps, "PLAIN"))
    method = OD_IMAP_LOGIN_PLAIN;
  else if (caps != NULL && caps->login_disabled && od_imap_capabilities_has_auth (caps, "LOGIN"))
    method = OD_IMAP_LOGIN_LOGIN;

  od_imap_session_login_async (self->imap, method, self->username, self->password,
                               self->cancellable, logged_in_cb, g_object_ref (self));
}

static void
capabilities_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;

  if (step_ok (self, result))
    log_in (self);
}

static void
starttls_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;

  if (step_ok (self, result))
    log_in (self);
}

static void
greeting_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OdRoundTrip) self = user_data;

  if (!step_ok (self, result))
    return;

  if (self->security == OD_SECURITY_STARTTLS)
    od_imap_session_starttls_async (self->imap, self->cancellable, starttls_cb,
                                    g_object_ref (self));
  else if (od_imap_session_get_capabilities (self->imap) == NULL)
    od_imap_session_capability_async (self->imap, self->cancellable, capabilities_cb,
                                      g_object_ref (self));
  else
    log_in (self);
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

  self->imap = od_imap_session_new (od_connect_get_stream (self->connect),
                                    od_connect_get_tls_client (self->connect),
                                    self->transcript);
  od_imap_session_set_timeout (self->imap, self->timeout_ms);
  od_imap_session_read_greeting_async (self->imap, self->cancellable, greeting_cb,
                                       g_object_ref (self));
}

void
od_round_trip_imap_start (OdRoundTrip *self)
{
  if (self->security == OD_SECURITY_NONE)
    {
      od_round_trip_return (self, od_round_trip_plaintext_error ());
      return;
    }

  od_round_trip_connect_async (self, connected_cb, g_object_ref (self));
}
