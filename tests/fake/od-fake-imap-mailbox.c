/* od-fake-imap-mailbox.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-fake-imap-server"

#include "config.h"

#include <string.h>

#include "od-fake-imap-private.h"

/* The mailbox model (od_fake_imap_server_add_folder(), _add_message()): LIST, SELECT,
 * UID SEARCH, UID FETCH of the header, UID STORE, (UID) EXPUNGE and IDLE over folders whose
 * messages appear at a given time. Without folders or messages, SELECT gives its fixed
 * answer. */

static gboolean
mailbox_model (OdFakeImapServer *server)
{
  return server->messages->len > 0 || server->folders->len > 0;
}

/* The messages of @folder visible now, in UID order; the mutex must be held. */
static GPtrArray *
visible_messages (OdFakeImapServer *server,
                  const char       *folder)
{
  GPtrArray *visible = g_ptr_array_new ();
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < server->messages->len; i++)
    {
      Message *message = g_ptr_array_index (server->messages, i);

      if (g_strcmp0 (message->folder, folder) == 0 && message->visible_at <= now)
        g_ptr_array_add (visible, message);
    }

  return visible;
}

static guint
count_visible (Conn *conn)
{
  g_autoptr(GPtrArray) visible = NULL;

  g_mutex_lock (&conn->server->mutex);
  visible = visible_messages (conn->server, conn->selected);
  g_mutex_unlock (&conn->server->mutex);

  return visible->len;
}

static gboolean
mailbox_list (Conn       *conn,
              const char *tag)
{
  OdFakeImapServer *server = conn->server;
  g_autoptr(GString) reply = g_string_new ("* LIST (\\HasNoChildren) \"/\" INBOX\r\n");

  for (guint i = 0; i < server->folders->len; i++)
    {
      Folder *folder = g_ptr_array_index (server->folders, i);

      g_string_append_printf (reply, "* LIST (\\HasNoChildren%s%s) \"/\" ",
                              folder->flags[0] ? " " : "", folder->flags);
      append_quoted (reply, folder->name, strlen (folder->name));
      g_string_append (reply, "\r\n");
    }
  g_string_append_printf (reply, "%s OK List completed.\r\n", tag);

  return conn_send (conn, reply->str);
}

static gboolean
mailbox_select (Conn       *conn,
                const char *tag,
                const char *args)
{
  OdFakeImapServer *server = conn->server;
  g_autofree char *name = take_astring (&args);
  gboolean known = g_ascii_strcasecmp (name, "INBOX") == 0;

  for (guint i = 0; i < server->folders->len; i++)
    known |= g_str_equal (((Folder *)g_ptr_array_index (server->folders, i))->name, name);

  if (!known)
    return conn_sendf (conn, "%s NO [NONEXISTENT] Unknown Mailbox\r\n", tag);

  g_free (conn->selected);
  conn->selected = g_ascii_strcasecmp (name, "INBOX") == 0 ? g_strdup ("INBOX")
                                                            : g_steal_pointer (&name);
  return conn_sendf (conn, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
                           "* %u EXISTS\r\n* OK [UIDVALIDITY 1700000000] UIDs valid\r\n"
                           "%s OK [READ-WRITE] Select completed.\r\n",
                     count_visible (conn), tag);
}

static gboolean
header_matches (Message    *message,
                const char *field,
                const char *value)
{
  g_autofree char *lower = g_ascii_strdown (message->header, message->len);
  g_autofree char *field_lower = g_ascii_strdown (field, -1);

  return strstr (lower, field_lower) != NULL &&
         g_strstr_len (message->header, message->len, value) != NULL;
}

static gboolean
mailbox_search (Conn       *conn,
                const char *tag,
                const char *args)
{
  g_autofree char *key = take_astring (&args);
  g_autofree char *field = NULL;
  g_autofree char *value = NULL;
  g_autoptr(GString) reply = g_string_new ("* SEARCH");
  g_autoptr(GPtrArray) visible = NULL;
  gboolean deleted = g_ascii_strcasecmp (key, "DELETED") == 0;

  if (!deleted)
    {
      field = take_astring (&args);
      value = take_astring (&args);
    }

  g_mutex_lock (&conn->server->mutex);
  visible = visible_messages (conn->server, conn->selected);
  for (guint i = 0; i < visible->len; i++)
    {
      Message *message = g_ptr_array_index (visible, i);

      if (deleted ? message->deleted : header_matches (message, field, value))
        g_string_append_printf (reply, " %u", message->uid);
    }
  g_mutex_unlock (&conn->server->mutex);

  g_string_append_printf (reply, "\r\n%s OK Search completed.\r\n", tag);
  return conn_send (conn, reply->str);
}

static gboolean
mailbox_fetch (Conn       *conn,
               const char *tag,
               guint32     uid)
{
  g_autoptr(GPtrArray) visible = NULL;
  g_autofree char *header = NULL;
  gsize len = 0;
  guint seq = 0;

  g_mutex_lock (&conn->server->mutex);
  visible = visible_messages (conn->server, conn->selected);
  for (guint i = 0; i < visible->len; i++)
    {
      Message *message = g_ptr_array_index (visible, i);

      if (message->uid == uid)
        {
          header = g_memdup2 (message->header, message->len);
          len = message->len;
          seq = i + 1;
        }
    }
  g_mutex_unlock (&conn->server->mutex);

  if (header != NULL &&
      (!conn_sendf (conn, "* %u FETCH (UID %u BODY[HEADER] {%" G_GSIZE_FORMAT "}\r\n", seq,
                    uid, len) ||
       !g_output_stream_write_all (g_io_stream_get_output_stream (conn->stream), header, len,
                                   NULL, NULL, NULL) ||
       !conn_send (conn, ")\r\n")))
    return FALSE;

  return conn_sendf (conn, "%s OK Fetch completed.\r\n", tag);
}

/* Removes the \Deleted messages of the selected folder (only @uid, unless 0). */
static gboolean
mailbox_expunge (Conn       *conn,
                 const char *tag,
                 guint32     uid)
{
  OdFakeImapServer *server = conn->server;
  g_autoptr(GString) reply = g_string_new (NULL);
  guint seq = 0;

  g_mutex_lock (&server->mutex);
  for (guint i = 0; i < server->messages->len;)
    {
      Message *message = g_ptr_array_index (server->messages, i);

      if (g_strcmp0 (message->folder, conn->selected) != 0)
        {
          i++;
          continue;
        }
      seq++;
      if (message->deleted && (uid == 0 || message->uid == uid))
        {
          g_string_append_printf (reply, "* %u EXPUNGE\r\n", seq--);
          g_ptr_array_remove_index (server->messages, i);
          continue;
        }
      i++;
    }
  g_mutex_unlock (&server->mutex);

  g_string_append_printf (reply, "%s OK Expunge completed.\r\n", tag);
  return conn_send (conn, reply->str);
}

static gboolean
mailbox_store (Conn       *conn,
               const char *tag,
               guint32     uid,
               const char *args)
{
  OdFakeImapServer *server = conn->server;

  g_mutex_lock (&server->mutex);
  for (guint i = 0; i < server->messages->len; i++)
    {
      Message *message = g_ptr_array_index (server->messages, i);

      if (message->uid == uid && strstr (args, "+FLAGS") && strstr (args, "\\Deleted"))
        message->deleted = TRUE;
    }
  g_mutex_unlock (&server->mutex);

  return conn_sendf (conn, "%s OK Store completed.\r\n", tag);
}

static gboolean
mailbox_uid (Conn       *conn,
             const char *tag,
             const char *args)
{
  g_autofree char *sub_raw = take_astring (&args);
  g_autofree char *sub = g_ascii_strup (sub_raw, -1);
  g_autofree char *set = NULL;
  guint32 uid;

  if (g_str_equal (sub, "SEARCH"))
    return mailbox_search (conn, tag, args);

  set = take_astring (&args);
  uid = (guint32)g_ascii_strtoull (set, NULL, 10);
  if (g_str_equal (sub, "FETCH"))
    return mailbox_fetch (conn, tag, uid);
  if (g_str_equal (sub, "STORE"))
    return mailbox_store (conn, tag, uid, args);
  if (g_str_equal (sub, "EXPUNGE"))
    return mailbox_expunge (conn, tag, uid);

  return conn_sendf (conn, "%s BAD Unknown UID command\r\n", tag);
}

/* IDLE: "+ idling", then "* n EXISTS" as messages appear, until DONE. */
static gboolean
mailbox_idle (Conn       *conn,
              const char *tag)
{
  GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (conn->plain));
  guint known = count_visible (conn);

  if (!conn_send (conn, "+ idling\r\n"))
    return FALSE;

  while (!g_cancellable_is_cancelled (conn->server->cancellable))
    {
      guint now;

      if (g_socket_condition_timed_wait (socket, G_IO_IN, 50 * 1000, NULL, NULL))
        {
          g_autoptr(GString) line = g_string_new (NULL);

          if (!conn_read_line (conn, line))
            return FALSE;
          if (g_ascii_strcasecmp (line->str, "DONE") == 0)
            return conn_sendf (conn, "%s OK Idle completed.\r\n", tag);
          return conn_sendf (conn, "%s BAD Expected DONE\r\n", tag);
        }

      now = count_visible (conn);
      if (now != known && !conn_sendf (conn, "* %u EXISTS\r\n", now))
        return FALSE;
      known = now;
    }

  return FALSE;
}

gboolean
mailbox_handle_verb (Conn       *conn,
                     const char *tag,
                     const char *verb,
                     const char *args,
                     gboolean   *handled)
{
  *handled = mailbox_model (conn->server) &&
             (g_str_equal (verb, "LIST") || g_str_equal (verb, "SELECT") ||
              g_str_equal (verb, "EXAMINE") ||
              (conn->selected != NULL &&
               (g_str_equal (verb, "UID") || g_str_equal (verb, "EXPUNGE") ||
                g_str_equal (verb, "IDLE"))));
  if (!*handled)
    return TRUE;

  if (g_str_equal (verb, "LIST"))
    return mailbox_list (conn, tag);
  if (g_str_equal (verb, "SELECT") || g_str_equal (verb, "EXAMINE"))
    return mailbox_select (conn, tag, args);
  if (g_str_equal (verb, "UID"))
    return mailbox_uid (conn, tag, args);
  if (g_str_equal (verb, "EXPUNGE"))
    return mailbox_expunge (conn, tag, 0);
  return mailbox_idle (conn, tag);
}

