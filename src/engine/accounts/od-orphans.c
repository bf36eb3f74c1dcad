/* od-orphans.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-orphans"

#include "config.h"

#include "od-orphans.h"

/* Passwords in the keyring whose account is gone: left behind when an account was removed
 * while another program saved it again, or when the keyring was unreachable at the time.
 * Creating an account saves it before its password and removing one removes the password
 * first, so normally there are none; these functions find and remove the rest.
 *
 * The keyring is listed first and the accounts read afterwards, so an account saved in
 * between is not taken for gone. Before each password is removed, the accounts are read
 * again under the file's lock: an account saved meanwhile under the same id keeps its
 * password. The lock is not held while the keyring works (it may ask to unlock, for as long
 * as the person takes): the app's own saves and the CLI must not wait for it. What remains
 * is the instant between that check and the keyring's removal. */

typedef struct
{
  OdAccountStore *store;
  OdSecretStore  *secrets;
  GStrv           orphans;
  guint           next;      /* the next orphan to remove */
  GPtrArray      *removed;
} Sweep;

static void
sweep_free (Sweep *sweep)
{
  g_clear_object (&sweep->store);
  g_clear_object (&sweep->secrets);
  g_clear_pointer (&sweep->orphans, g_strfreev);
  g_clear_pointer (&sweep->removed, g_ptr_array_unref);
  g_free (sweep);
}

/* The ids in @keyring that the store has no account for. */
static GStrv
orphans_of (OdAccountStore     *store,
            const char * const *keyring)
{
  g_autoptr(GStrvBuilder) orphans = g_strv_builder_new ();

  for (guint i = 0; keyring[i] != NULL; i++)
    if (od_account_store_lookup (store, keyring[i]) == NULL)
      g_strv_builder_add (orphans, keyring[i]);

  return g_strv_builder_end (orphans);
}

static void remove_next (GTask *task);

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Sweep *sweep = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!od_secret_store_clear_finish (OD_SECRET_STORE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_ptr_array_add (sweep->removed, g_strdup (sweep->orphans[sweep->next]));
  sweep->next++;
  remove_next (g_steal_pointer (&task));
}

/* Whether @id is still without an account, in the file as it is now (read under the
 * lock, by od_account_store_load()). */
static gboolean
still_gone (OdAccountStore  *store,
            const char      *id,
            GError         **error)
{
  if (!od_account_store_load (store, error) &&
      !g_error_matches (*error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_CORRUPT))
    return FALSE;
  g_clear_error (error);

  return od_account_store_lookup (store, id) == NULL;
}

static void
remove_next (GTask *task)
{
  Sweep *sweep = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* An account saved meanwhile under the id keeps its password. */
  while (sweep->orphans[sweep->next] != NULL &&
         !still_gone (sweep->store, sweep->orphans[sweep->next], &error))
    {
      if (error != NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      sweep->next++;
    }

  if (sweep->orphans[sweep->next] == NULL)
    {
      g_ptr_array_add (sweep->removed, NULL);
      g_task_return_pointer (task, g_ptr_array_steal (sweep->removed, NULL),
                             (GDestroyNotify)g_strfreev);
      g_object_unref (task);
      return;
    }

  od_secret_store_clear_async (sweep->secrets, sweep->orphans[sweep->next],
                               g_task_get_cancellable (task), clear_cb, task);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Sweep *sweep = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) keyring = NULL;

  keyring = od_secret_store_list_accounts_finish (OD_SECRET_STORE (object), result, &error);
  if (keyring == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Finding only: the accounts as the file has them now. */
  if (g_task_get_source_tag (task) == od_orphans_find_async)
    {
      if (!od_account_store_load (sweep->store, &error) &&
          !g_error_matches (error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_CORRUPT))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_task_return_pointer (task, orphans_of (sweep->store, (const char * const *)keyring),
                             (GDestroyNotify)g_strfreev);
      return;
    }

  /* Removing: each one is looked at again, under the lock, just before (remove_next()). */
  if (!od_account_store_load (sweep->store, &error) &&
      !g_error_matches (error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_CORRUPT))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sweep->orphans = orphans_of (sweep->store, (const char * const *)keyring);
  remove_next (g_steal_pointer (&task));
}

static void
start (OdAccountStore      *store,
       OdSecretStore       *secrets,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data,
       gpointer             source_tag)
{
  GTask *task = g_task_new (store, cancellable, callback, user_data);
  Sweep *sweep = g_new0 (Sweep, 1);

  g_task_set_source_tag (task, source_tag);
  sweep->store = g_object_ref (store);
  sweep->secrets = g_object_ref (secrets);
  sweep->removed = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, sweep, (GDestroyNotify)sweep_free);

  od_secret_store_list_accounts_async (secrets, cancellable, list_cb, task);
}

/**
 * od_orphans_find_async:
 *
 * Finds the accounts that are gone but whose passwords are still in the keyring.
 */
void
od_orphans_find_async (OdAccountStore      *store,
                       OdSecretStore       *secrets,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (OD_IS_ACCOUNT_STORE (store));
  g_return_if_fail (OD_IS_SECRET_STORE (secrets));

  start (store, secrets, cancellable, callback, user_data, od_orphans_find_async);
}

/**
 * od_orphans_find_finish:
 *
 * Returns: (transfer full): the ids of the accounts that are gone and still have passwords
 *   (empty when there are none), or %NULL with @error (the keyring's, or the file's)
 */
char **
od_orphans_find_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * od_orphans_remove_async:
 *
 * Removes the passwords of the accounts that are gone, each after reading the accounts
 * again under the file's lock.
 */
void
od_orphans_remove_async (OdAccountStore      *store,
                         OdSecretStore       *secrets,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (OD_IS_ACCOUNT_STORE (store));
  g_return_if_fail (OD_IS_SECRET_STORE (secrets));

  start (store, secrets, cancellable, callback, user_data, od_orphans_remove_async);
}

/**
 * od_orphans_remove_finish:
 *
 * Returns: (transfer full): the ids whose passwords were removed, or %NULL with @error
 */
char **
od_orphans_remove_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
