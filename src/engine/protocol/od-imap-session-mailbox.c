/* od-imap-session-mailbox.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-imap-session"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-imap-session-private.h"

/* The IMAP session's commands inside a mailbox, for the round trip: LIST (with SPECIAL-USE,
 * RFC 6154), UID SEARCH, UID FETCH of a message's header, and IDLE (RFC 2177). The server
 * data they ask for is collected raw, bounded as every response is. */

#define OD_UNTAGGED_KEY "od-untagged"

void
od_imap_mailbox_free (OdImapMailbox *mailbox)
{
  if (mailbox == NULL)
    return;

  g_free (mailbox->name);
  g_strfreev (mailbox->flags);
  g_free (mailbox);
}

/**
 * od_imap_mailbox_has_flag:
 * @flag: such as "\\Junk" (compared ignoring ASCII case)
 */
gboolean
od_imap_mailbox_has_flag (const OdImapMailbox *mailbox,
                          const char          *flag)
{
  g_return_val_if_fail (mailbox != NULL, FALSE);

  for (guint i = 0; mailbox->flags[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (mailbox->flags[i], flag) == 0)
        return TRUE;
    }

  return FALSE;
}

/* A quoted string, an atom or NIL at *p; a literal "{n}" takes the response's next literal.
 * Returns NULL for NIL or when nothing usable is there. */
static char *
take_string (const char          **p,
             const OdImapResponse *response,
             guint                *next_literal)
{
  const char *q = *p;
  GString *str;

  while (*q == ' ')
    q++;

  if (*q == '{')
    {
      GBytes *literal;
      const char *end = strchr (q, '}');

      if (end == NULL || *next_literal >= od_imap_response_get_n_literals (response))
        return NULL;
      literal = od_imap_response_get_literal (response, (*next_literal)++);
      *p = end + 1;
      return g_strndup (g_bytes_get_data (literal, NULL), g_bytes_get_size (literal));
    }

  str = g_string_new (NULL);
  if (*q == '"')
    {
      for (q++; *q != '\0' && *q != '"'; q++)
        {
          if (*q == '\\' && q[1] != '\0')
            q++;
          g_string_append_c (str, *q);
        }
      if (*q != '"')
        return (g_string_free (str, TRUE), NULL);
      q++;
    }
  else
    {
      while (*q != '\0' && *q != ' ' && *q != '(' && *q != ')')
        g_string_append_c (str, *q++);
      if (g_ascii_strcasecmp (str->str, "NIL") == 0 || str->len == 0)
        {
          *p = q;
          return (g_string_free (str, TRUE), NULL);
        }
    }

  *p = q;
  return g_string_free (str, FALSE);
}

/**
 * od_imap_mailbox_parse:
 * @response: a "* LIST" response
 *
 * Returns: (transfer full) (nullable): its name and flags, or %NULL when it is malformed
 */
OdImapMailbox *
od_imap_mailbox_parse (const OdImapResponse *response)
{
  g_autoptr(GPtrArray) flags = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *delimiter = NULL;
  const char *p = od_imap_response_get_data (response);
  const char *close;
  guint next_literal = 0;
  OdImapMailbox *mailbox;
  char *name;

  if (p == NULL || *p != '(' || (close = strchr (p, ')')) == NULL)
    return NULL;

  {
    g_autofree char *inside = g_strndup (p + 1, close - p - 1);
    g_auto(GStrv) words = g_strsplit (inside, " ", -1);

    for (guint i = 0; words[i] != NULL; i++)
      {
        if (words[i][0] != '\0')
          g_ptr_array_add (flags, g_strdup (words[i]));
      }
  }

  p = close + 1;
  delimiter = take_string (&p, response, &next_literal);
  name = take_string (&p, response, &next_literal);
  if (name == NULL)
    return NULL;

  g_ptr_array_add (flags, NULL);
  mailbox = g_new0 (OdImapMailbox, 1);
  mailbox->name = name;
  mailbox->delimiter = delimiter != NULL && strlen (delimiter) == 1 ? delimiter[0] : '\0';
  mailbox->flags = (char **)g_ptr_array_free (g_steal_pointer (&flags), FALSE);
  return mailbox;
}

/**
 * od_imap_quote_string:
 * @text: printable ASCII
 *
 * Returns: (transfer full) (nullable): @text as an IMAP quoted string; %NULL with
 *   %OD_IMAP_ERROR_BAD_INPUT when it holds anything else (line breaks, 8-bit text)
 */
char *
od_imap_quote_string (const char  *text,
                      GError     **error)
{
  GString *str = g_string_new ("\"");

  for (const char *p = text; *p; p++)
    {
      if ((guchar)*p < 0x20 || (guchar)*p >= 0x7f)
        {
          g_string_free (str, TRUE);
          g_set_error_literal (error, OD_IMAP_ERROR, OD_IMAP_ERROR_BAD_INPUT,
                               _("Only printable ASCII text can be sent as a quoted string"));
          return NULL;
        }
      if (*p == '"' || *p == '\\')
        g_string_append_c (str, '\\');
      g_string_append_c (str, *p);
    }
  g_string_append_c (str, '"');

  return g_string_free (str, FALSE);
}

static void
collect_ok_cb (GTask          *task,
               OdImapResponse *raw)
{
  OdImapSession *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);

  g_object_set_data_full (G_OBJECT (task), OD_UNTAGGED_KEY, g_ptr_array_ref (op->untagged),
                          (GDestroyNotify)g_ptr_array_unref);
  od_imap_op_return_response (task, self->last_response);
}

/* Sends @command and collects the server data named @keyword until its tagged OK. */
static void
collect_command (OdImapSession       *self,
                 const char          *command,
                 const char          *keyword,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = od_imap_op_new (self, OP_COMMAND, cancellable, callback, user_data);
  Op *op = g_task_get_task_data (task);

  op->untagged = g_ptr_array_new_with_free_func ((GDestroyNotify)od_imap_response_unref);
  op->collect = g_strdup (keyword);
  op->on_ok = collect_ok_cb;
  od_imap_op_send_command (task, command, NULL);
}

/* The server data a collecting command gathered; NULL with @error when it failed. */
static GPtrArray *
collect_finish (OdImapSession  *self,
                GAsyncResult   *result,
                GError        **error)
{
  g_autoptr(OdImapResponse) response = od_imap_session_finish (self, result, error);
  GPtrArray *untagged;

  if (response == NULL)
    return NULL;

  untagged = g_object_get_data (G_OBJECT (result), OD_UNTAGGED_KEY);
  return untagged != NULL ? g_ptr_array_ref (untagged) : g_ptr_array_new ();
}

/**
 * od_imap_session_list_async:
 * @special_use: ask for the special-use flags with LIST … RETURN (SPECIAL-USE) (RFC 6154)
 *
 * Lists every mailbox: LIST "" "*".
 */
void
od_imap_session_list_async (OdImapSession       *self,
                            gboolean             special_use,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (OD_IS_IMAP_SESSION (self));

  collect_command (self, special_use ? "LIST \"\" \"*\" RETURN (SPECIAL-USE)" : "LIST \"\" \"*\"",
                   "LIST", cancellable, callback, user_data);
}

/**
 * od_imap_session_list_finish:
 *
 * Returns: (transfer full) (element-type OdImapMailbox): the mailboxes; malformed LIST
 *   responses are left out
 */
GPtrArray *
od_imap_session_list_finish (OdImapSession  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_autoptr(GPtrArray) untagged = collect_finish (self, result, error);
  GPtrArray *mailboxes;

  if (untagged == NULL)
    return NULL;

  mailboxes = g_ptr_array_new_with_free_func ((GDestroyNotify)od_imap_mailbox_free);
  for (guint i = 0; i < untagged->len; i++)
    {
      OdImapMailbox *mailbox = od_imap_mailbox_parse (g_ptr_array_index (untagged, i));

      if (mailbox != NULL)
        g_ptr_array_add (mailboxes, mailbox);
    }

  return mailboxes;
}

/**
 * od_imap_session_uid_search_async:
 * @criteria: search criteria, their strings quoted (od_imap_quote_string())
 *
 * Sends UID SEARCH @criteria in the selected mailbox.
 */
void
od_imap_session_uid_search_async (OdImapSession       *self,
                                  const char          *criteria,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *command = NULL;

  g_return_if_fail (OD_IS_IMAP_SESSION (self));
  g_return_if_fail (criteria != NULL);

  if (strpbrk (criteria, "\r\n") != NULL)
    {
      od_imap_op_refuse (od_imap_op_new (self, OP_COMMAND, cancellable, callback, user_data),
                         OD_IMAP_ERROR_BAD_INPUT, _("A command cannot contain a line break"));
      return;
    }

  command = g_strdup_printf ("UID SEARCH %s", criteria);
  collect_command (self, command, "SEARCH", cancellable, callback, user_data);
}

/**
 * od_imap_session_uid_search_finish:
 *
 * Returns: (transfer full) (element-type guint32): the UIDs found, in the server's order
 */
GArray *
od_imap_session_uid_search_finish (OdImapSession  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_autoptr(GPtrArray) untagged = collect_finish (self, result, error);
  GArray *uids;

  if (untagged == NULL)
    return NULL;

  uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint i = 0; i < untagged->len; i++)
    {
      g_auto(GStrv) words = g_strsplit (od_imap_response_get_data (g_ptr_array_index (untagged,
                                                                                      i)),
                                        " ", -1);

      for (guint j = 0; words[j] != NULL; j++)
        {
          guint64 uid;

          /* "(MODSEQ n)" of CONDSTORE and anything else that is not a UID is skipped. */
          if (g_ascii_string_to_unsigned (words[j], 10, 1, G_MAXUINT32, &uid, NULL))
            {
              guint32 value = uid;

              g_array_append_val (uids, value);
            }
        }
    }

  return uids;
}

/**
 * od_imap_session_uid_fetch_header_async:
 *
 * Fetches the header of the message @uid without setting \Seen: UID FETCH n
 * (BODY.PEEK[HEADER]).
 */
void
od_imap_session_uid_fetch_header_async (OdImapSession       *self,
                                        guint32              uid,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autofree char *command = NULL;

  g_return_if_fail (OD_IS_IMAP_SESSION (self));
  g_return_if_fail (uid > 0);

  command = g_strdup_printf ("UID FETCH %u (BODY.PEEK[HEADER])", uid);
  collect_command (self, command, "FETCH", cancellable, callback, user_data);
}

/**
 * od_imap_session_uid_fetch_header_finish:
 *
 * Returns: (transfer full): the header as the server sent it (a literal of at most
 *   %OD_IMAP_MAX_LITERAL_SIZE bytes); %OD_IMAP_ERROR_MALFORMED_RESPONSE when no FETCH
 *   response carried it
 */
GBytes *
od_imap_session_uid_fetch_header_finish (OdImapSession  *self,
                                         GAsyncResult   *result,
                                         GError        **error)
{
  g_autoptr(GPtrArray) untagged = collect_finish (self, result, error);

  if (untagged == NULL)
    return NULL;

  for (guint i = 0; i < untagged->len; i++)
    {
      OdImapResponse *response = g_ptr_array_index (untagged, i);

      /* Unsolicited FETCH responses (flags) carry no literal. */
      if (od_imap_response_get_n_literals (response) > 0 &&
          strstr (od_imap_response_get_data (response), "HEADER") != NULL)
        return g_bytes_ref (od_imap_response_get_literal (response, 0));
    }

  g_set_error_literal (error, OD_IMAP_ERROR, OD_IMAP_ERROR_MALFORMED_RESPONSE,
                       _("The server did not send the message’s header"));
  return NULL;
}

static void
send_done (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  if (op->done_sent)
    return;

  op->done_sent = TRUE;
  if (op->idle_timer != NULL)
    g_source_destroy (op->idle_timer);
  g_clear_pointer (&op->idle_timer, g_source_unref);
  od_imap_op_write_only (task, "DONE");
}

static gboolean
idle_timer_cb (gpointer user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);

  g_clear_pointer (&op->idle_timer, g_source_unref);
  send_done (task);
  return G_SOURCE_REMOVE;
}

static void
idle_untagged_cb (GTask          *task,
                  OdImapResponse *raw)
{
  Op *op = g_task_get_task_data (task);
  const char *keyword = od_imap_response_get_keyword (raw);

  if (g_strcmp0 (keyword, "EXISTS") != 0 && g_strcmp0 (keyword, "RECENT") != 0)
    return;

  /* News before the server accepted IDLE ends it as soon as it does. */
  op->stage = 1;
  if (op->idling)
    send_done (task);
}

static void
idle_continuation_cb (GTask          *task,
                      OdImapResponse *raw)
{
  Op *op = g_task_get_task_data (task);

  if (op->idling)
    {
      od_imap_op_return_error (task, od_imap_protocol_error (_("The server asked for more "
                                                               "than the command has")));
      return;
    }

  op->idling = TRUE;
  if (op->stage == 1)
    send_done (task);
  else
    {
      /* On the session's context (the thread-default one), as its deadlines are. */
      op->idle_timer = g_timeout_source_new (op->idle_ms);
      g_source_set_callback (op->idle_timer, idle_timer_cb, task, NULL);
      g_source_set_name (op->idle_timer, "[od] imap idle");
      g_source_attach (op->idle_timer, g_main_context_get_thread_default ());
    }

  od_imap_op_read (g_object_ref (task));
}

/**
 * od_imap_session_idle_async:
 * @wait_ms: how long to wait for news
 *
 * Sends IDLE (RFC 2177) in the selected mailbox and waits until the server reports a new
 * message (EXISTS or RECENT) or @wait_ms have passed, then sends DONE; the result is the
 * tagged OK, and od_imap_session_get_exists() the new number of messages. The deadline is
 * @wait_ms plus the session's timeout. Refused without a word to the server when IDLE is
 * not offered.
 */
void
od_imap_session_idle_async (OdImapSession       *self,
                            guint                wait_ms,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (OD_IS_IMAP_SESSION (self));

  task = od_imap_op_new (self, OP_COMMAND, cancellable, callback, user_data);
  op = g_task_get_task_data (task);

  if (self->capabilities == NULL || !self->capabilities->idle)
    {
      od_imap_op_refuse (task, OD_IMAP_ERROR_NOT_OFFERED, _("The server does not offer IDLE"));
      return;
    }

  op->idle_ms = MAX (wait_ms, 1);
  op->on_continuation = idle_continuation_cb;
  op->on_untagged = idle_untagged_cb;
  od_deadline_restart (op->deadline, self->timeout_ms + op->idle_ms);
  od_imap_op_send_command (task, "IDLE", NULL);
}
