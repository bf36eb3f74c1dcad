/* od-account-removal.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-account"

#include "config.h"

#include "od-account-removal.h"
#include "od-oauth-account.h"

/* Removing an account, for the app and the command line alike: its passwords leave the
 * keyring first, then the account leaves the file. An account must not disappear while its
 * password stays behind; a keyring that cannot be reached at all (no secret service) is the
 * one exception, as nothing could have been saved there. */

typedef struct
{
  OdAccountStore *store;
  char           *id;
  GError         *keyring_error;   /* why no password was removed, when the account was */
  gboolean        password_removed;
} Removal;

static void
removal_free (Removal *removal)
{
  g_clear_object (&removal->store);
  g_clear_pointer (&removal->id, g_free);
  g_clear_error (&removal->keyring_error);
  g_free (removal);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Removal *removal = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  removal->password_removed = od_secret_store_clear_finish (OD_SECRET_STORE (object), result,
                                                            &error);
  if (!removal->password_removed)
    {
      /* Cancelled, or a keyring that failed or did not answer in time: the account stays.
       * Its failures are OD_SECRET_ERROR whatever their cause, so that callers can tell
       * them from the file's. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          (error->domain == OD_SECRET_ERROR && error->code != OD_SECRET_ERROR_NO_KEYRING))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (error->domain != OD_SECRET_ERROR)
        {
          g_task_return_new_error (task, OD_SECRET_ERROR, OD_SECRET_ERROR_FAILED, "%s",
                                   error->message);
          return;
        }
      removal->keyring_error = g_steal_pointer (&error);
    }

  /* Removed meanwhile (another window, the command line) is removed all the same. */
  if (!od_account_store_delete (removal->store, removal->id, &error) &&
      !g_error_matches (error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * od_account_remove_async:
 * @id: the account to remove
 *
 * Removes the passwords of the account @id from the keyring, then the account from @store.
 */
void
od_account_remove_async (OdAccountStore      *store,
                         OdSecretStore       *secrets,
                         const char          *id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  Removal *removal;

  g_return_if_fail (OD_IS_ACCOUNT_STORE (store));
  g_return_if_fail (OD_IS_SECRET_STORE (secrets));
  g_return_if_fail (id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, od_account_remove_async);
  removal = g_new0 (Removal, 1);
  removal->store = g_object_ref (store);
  removal->id = g_strdup (id);
  g_task_set_task_data (task, removal, (GDestroyNotify)removal_free);

  /* Access tokens in memory go with it (all of them: a new account may get the same id). */
  od_oauth_account_forget (NULL);
  od_secret_store_clear_async (secrets, id, cancellable, clear_cb, task);
}

/**
 * od_account_remove_finish:
 * @password_removed: (out) (optional): whether the keyring removed the passwords
 * @keyring_error: (out) (optional): why it did not, when the account was removed without
 *   (no keyring on this desktop)
 *
 * Returns: whether the account was removed; %FALSE with @error set when the keyring failed
 *   or did not answer in time (always %OD_SECRET_ERROR: the account is kept), when it was
 *   cancelled (%G_IO_ERROR_CANCELLED), or when the accounts file could not be written (any
 *   other error)
 */
gboolean
od_account_remove_finish (GAsyncResult  *result,
                          gboolean      *password_removed,
                          GError       **keyring_error,
                          GError       **error)
{
  Removal *removal;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == od_account_remove_async,
                        FALSE);

  removal = g_task_get_task_data (G_TASK (result));
  if (password_removed != NULL)
    *password_removed = removal->password_removed;
  if (keyring_error != NULL && removal->keyring_error != NULL)
    *keyring_error = g_error_copy (removal->keyring_error);

  return g_task_propagate_boolean (G_TASK (result), error);
}
