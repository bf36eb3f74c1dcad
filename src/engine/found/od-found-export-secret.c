/* od-found-export-secret.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "od-deadline.h"
#include "od-found-export-private.h"
#include "od-secret-store.h"

/* The password of an exported account, where the client finds it. msmtp and git look it up
 * in the keyring by attributes of their own, so a copy goes there: msmtp's password_get()
 * (schema de.marlam.msmtp.password, matched without its name: host, service "smtp", user)
 * and git-credential-libsecret (schema org.gnome.keyring.NetworkPassword: protocol "smtp",
 * server, port, user; label "Git: smtp://HOST:PORT/"). An item the client would find there
 * already is left alone when it holds the same password and replaced otherwise, so that the
 * client cannot pick an old one. NeoMutt and aerc run `secret-tool lookup` for Outbox
 * Doctor's own item instead; counting the items such a command would find tells whether it
 * finds exactly one.
 *
 * The keyring's calls block (and may prompt), so they run in a worker thread, under the
 * keyring's usual deadline. */

/* What msmtp's lookup finds, stored with the schema's name. */
static const SecretSchema msmtp_schema = {
  "de.marlam.msmtp.password",
  SECRET_SCHEMA_NONE,
  {
    { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

typedef struct
{
  OdDeadline         *deadline;
  GHashTable         *attributes;
  const SecretSchema *store_schema;
  const SecretSchema *search_schema;   /* NULL: by the attributes alone */
  char               *label;
  char               *password;        /* wiped when freed */
} Job;

static void
job_free (Job *job)
{
  if (job->password != NULL)
    memset (job->password, 0, strlen (job->password));
  g_free (job->password);
  g_free (job->label);
  g_clear_pointer (&job->attributes, g_hash_table_unref);
  g_clear_pointer (&job->deadline, od_deadline_free);
  g_free (job);
}

static GHashTable *
copy_attributes (GHashTable *attributes)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));
  return copy;
}

/* libsecret's and D-Bus's errors in the words the keyring's other errors use; @connecting
 * when the service itself could not be reached. */
static void
return_error (GTask    *task,
              GError   *error,
              gboolean  connecting)
{
  Job *job = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && od_deadline_has_expired (job->deadline))
    {
      guint seconds = (od_deadline_get_timeout (job->deadline) + 999) / 1000;

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "The keyring did not answer within %u second.",
                                            "The keyring did not answer within %u seconds.",
                                            seconds),
                               seconds);
    }
  else if (error->domain == G_DBUS_ERROR
           && (error->code == G_DBUS_ERROR_SERVICE_UNKNOWN
               || error->code == G_DBUS_ERROR_NAME_HAS_NO_OWNER
               || error->code == G_DBUS_ERROR_NO_SERVER
               || error->code == G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND))
    g_task_return_new_error (task, OD_SECRET_ERROR, OD_SECRET_ERROR_NO_KEYRING,
                             _("No keyring is available: no secret service (such as GNOME "
                               "Keyring) is running in this session (%s)."), error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_error_copy (error));
  else if (connecting && error->domain != G_DBUS_ERROR)
    g_task_return_new_error (task, OD_SECRET_ERROR, OD_SECRET_ERROR_NO_KEYRING,
                             _("No keyring is available: there is no desktop session bus "
                               "(%s)."), error->message);
  else
    g_task_return_new_error (task, OD_SECRET_ERROR, OD_SECRET_ERROR_FAILED,
                             _("The keyring reported an error: %s"), error->message);
  g_error_free (error);
}

static GTask *
task_new (GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag,
          GHashTable          *attributes)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  g_task_set_source_tag (task, source_tag);
  job->deadline = od_deadline_new (cancellable, OD_SECRET_STORE_DEFAULT_TIMEOUT_MS,
                                   "[od] export keyring deadline");
  job->attributes = copy_attributes (attributes);
  g_task_set_task_data (task, job, (GDestroyNotify)job_free);
  return task;
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  GCancellable *deadline = od_deadline_get_cancellable (job->deadline);
  g_autoptr(SecretService) service = NULL;
  GError *error = NULL;
  GList *items;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, deadline, &error);
  if (service == NULL)
    {
      return_error (task, error, TRUE);
      return;
    }
  /* As `secret-tool lookup` searches: no schema, every collection; the attributes of a
   * locked item can be read, so nothing needs unlocking. */
  items = secret_service_search_sync (service, NULL, job->attributes, SECRET_SEARCH_ALL,
                                      deadline, &error);
  if (error != NULL)
    {
      return_error (task, error, FALSE);
      return;
    }
  g_task_return_int (task, g_list_length (items));
  g_list_free_full (items, g_object_unref);
}

/**
 * od_found_export_count_items_async:
 * @attributes: keyring attributes, as `secret-tool lookup` takes them (with `xdg:schema`
 *   for a schema)
 *
 * Counts the keyring items `secret-tool lookup` with @attributes chooses from, without
 * unlocking or reading any; finish with od_found_export_count_items_finish().
 */
void
od_found_export_count_items_async (GHashTable          *attributes,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (attributes != NULL);

  task = task_new (cancellable, callback, user_data, od_found_export_count_items_async,
                   attributes);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, count_thread);
}

gboolean
od_found_export_count_items_finish (GAsyncResult  *result,
                                    guint         *count,
                                    GError       **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (count != NULL, FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  *count = (guint)n;
  return TRUE;
}

/* The items the client would choose from, their passwords loaded; NULL with @error (also
 * when one stayed locked). */
static GList *
client_items (SecretService  *service,
              Job            *job,
              GError        **error)
{
  GCancellable *deadline = od_deadline_get_cancellable (job->deadline);
  GList *items;

  items = secret_service_search_sync (service, job->search_schema, job->attributes,
                                      SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK
                                      | SECRET_SEARCH_LOAD_SECRETS,
                                      deadline, error);
  for (GList *l = items; l != NULL; l = l->next)
    if (secret_item_get_locked (l->data))
      {
        g_list_free_full (items, g_object_unref);
        g_set_error_literal (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED, "locked");
        return NULL;
      }
  return items;
}

static gboolean
holds_password (SecretItem *item,
                const char *password)
{
  g_autoptr(SecretValue) value = secret_item_get_secret (item);
  const char *data;
  gsize length = 0;

  if (value == NULL)
    return FALSE;
  data = secret_value_get (value, &length);
  return length == strlen (password) && memcmp (data, password, length) == 0;
}

static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  GCancellable *deadline = od_deadline_get_cancellable (job->deadline);
  g_autoptr(SecretService) service = NULL;
  GError *error = NULL;
  GList *items = NULL;
  gboolean same = TRUE;
  OdFoundExportCopy outcome;

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, deadline, &error);
  if (service != NULL)
    items = client_items (service, job, &error);
  if (error != NULL)
    {
      if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
        {
          g_clear_error (&error);
          g_task_return_new_error (task, OD_SECRET_ERROR, OD_SECRET_ERROR_LOCKED,
                                   _("The keyring is locked and was not unlocked."));
          return;
        }
      return_error (task, error, service == NULL);
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    same = same && holds_password (l->data, job->password);
  outcome = items == NULL ? OD_FOUND_EXPORT_COPY_STORED
            : same ? OD_FOUND_EXPORT_COPY_UNCHANGED : OD_FOUND_EXPORT_COPY_REPLACED;
  /* Another password the client might choose instead of ours goes. */
  for (GList *l = items; l != NULL && outcome == OD_FOUND_EXPORT_COPY_REPLACED && error == NULL;
       l = l->next)
    secret_item_delete_sync (l->data, deadline, &error);
  g_list_free_full (items, g_object_unref);
  if (error == NULL && outcome != OD_FOUND_EXPORT_COPY_UNCHANGED)
    secret_password_storev_sync (job->store_schema, job->attributes, SECRET_COLLECTION_DEFAULT,
                                 job->label, job->password, deadline, &error);
  if (error != NULL)
    {
      return_error (task, error, FALSE);
      return;
    }
  g_task_return_int (task, outcome);
}

/**
 * od_found_export_store_copy_async:
 * @self: an export whose secret is %OD_FOUND_EXPORT_SECRET_COPY
 * @password: the account's password
 *
 * Stores @password in the default keyring where the client looks for it
 * (od_found_export_get_keyring_attributes()), replacing another password the client would
 * find there; finish with od_found_export_store_copy_finish().
 */
void
od_found_export_store_copy_async (OdFoundExport       *self,
                                  const char          *password,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (self != NULL && self->secret == OD_FOUND_EXPORT_SECRET_COPY);
  g_return_if_fail (password != NULL);

  task = task_new (cancellable, callback, user_data, od_found_export_store_copy_async,
                   self->attributes);
  job = g_task_get_task_data (task);
  job->label = g_strdup (self->label);
  job->password = g_strdup (password);
  if (g_str_equal (self->origin, OD_ORIGIN_GIT))
    {
      /* git-credential-libsecret stores and searches with this schema, its name included. */
      job->store_schema = SECRET_SCHEMA_COMPAT_NETWORK;
      job->search_schema = SECRET_SCHEMA_COMPAT_NETWORK;
    }
  else
    {
      /* msmtp looks its items up without matching the schema's name. */
      job->store_schema = &msmtp_schema;
      job->search_schema = NULL;
    }
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, store_thread);
}

/**
 * od_found_export_store_copy_finish:
 * @outcome: (out): whether the password was stored, was there already, or replaced another
 *
 * Returns: %TRUE when the client finds the password in the keyring now
 */
gboolean
od_found_export_store_copy_finish (GAsyncResult       *result,
                                   OdFoundExportCopy  *outcome,
                                   GError            **error)
{
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (outcome != NULL, FALSE);

  value = g_task_propagate_int (G_TASK (result), error);
  if (value < 0)
    return FALSE;
  *outcome = (OdFoundExportCopy)value;
  return TRUE;
}
