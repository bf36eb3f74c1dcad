/* od-account-store-change.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-account-store"

#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "od-account-store-private.h"
#include "od-file-lock.h"

/* Changing the accounts file when other programs may change it too: two terminals, or the
 * command line while the app is open. Every change is a read-modify-write of the file under
 * an exclusive lock (accounts.ini.lock beside it): the file is read again under the lock,
 * only this change is applied to what it holds now, and it is written atomically. So no
 * change is lost to another one made meanwhile, and nothing is ever written from a stale
 * copy: a check's result for an account removed meanwhile is dropped, not written back.
 *
 * The app also watches the file, and shows what the command line (or another window)
 * changed without a restart. */

#define RELOAD_DELAY_MS 100

static char *
lock_path (OdAccountStore *self)
{
  if (self->lock_path == NULL)
    self->lock_path = g_strconcat (self->path, ".lock", NULL);

  return self->lock_path;
}

static OdFileLock *
lock_file (OdAccountStore  *self,
           GError         **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  return od_file_lock_acquire (lock_path (self), OD_FILE_LOCK_DEFAULT_TIMEOUT_MS, error);
}

/**
 * od_account_store_load:
 *
 * Reads the accounts file; a missing file is an empty store. A damaged file (not key file
 * syntax, or an account with missing or impossible values) is not fatal: the readable
 * accounts are loaded, the file is renamed to `accounts.ini.corrupt-TIMESTAMP`, a file with
 * the readable accounts is written in its place, and %OD_ACCOUNT_STORE_ERROR_CORRUPT says
 * what happened. If the damaged file cannot be moved aside, %OD_ACCOUNT_STORE_ERROR_DAMAGED
 * is returned and nothing overwrites it. A symbolic link is never followed
 * (%OD_ACCOUNT_STORE_ERROR_LINK).
 *
 * Accounts a newer version wrote in a form this version does not understand are left in the
 * file untouched (and not listed); that is not damage.
 *
 * Returns: %TRUE if the file was read as it is; %FALSE with @error otherwise, in which case
 *   the store may still hold the accounts that could be read
 */
gboolean
od_account_store_load (OdAccountStore  *self,
                       GError         **error)
{
  g_autoptr(OdFileLock) lock = NULL;

  g_return_val_if_fail (OD_IS_ACCOUNT_STORE (self), FALSE);

  /* Repairing a damaged file writes it: that, too, only under the lock. */
  lock = lock_file (self, error);
  if (lock == NULL)
    return FALSE;

  return od_account_store_read (self, error);
}

/**
 * od_account_store_change:
 * @change: makes the change on what the file holds now
 *
 * Changes the accounts file: under the lock, reads the file again, lets @change make its
 * change on what it holds now (od_account_store_add() and od_account_store_remove()), and
 * writes the result atomically. Changes made by other programs meanwhile are kept.
 *
 * Returns: %TRUE if the change was written (or @change chose to write nothing), %FALSE with
 *   @error: the lock was held too long by another program (%G_IO_ERROR_BUSY), the file
 *   could not be read or written, or @change refused
 */
gboolean
od_account_store_change (OdAccountStore        *self,
                         OdAccountStoreChange   change,
                         gpointer               user_data,
                         GError               **error)
{
  g_autoptr(OdFileLock) lock = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autoptr(GError) change_error = NULL;

  g_return_val_if_fail (OD_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (change != NULL, FALSE);

  lock = lock_file (self, error);
  if (lock == NULL)
    return FALSE;

  /* A damaged file that was moved aside is no reason not to go on with what was readable;
   * one that could not be moved aside is never overwritten. */
  if (!od_account_store_read (self, &read_error) &&
      !g_error_matches (read_error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_CORRUPT))
    {
      g_propagate_error (error, g_steal_pointer (&read_error));
      return FALSE;
    }

  if (!change (self, user_data, &change_error))
    {
      if (change_error == NULL)
        return TRUE;

      /* Nothing of the change stays in memory either. */
      od_account_store_read (self, NULL);
      g_propagate_error (error, g_steal_pointer (&change_error));
      return FALSE;
    }

  return od_account_store_write (self, error);
}

static gboolean
put_change (OdAccountStore  *store,
            gpointer         user_data,
            GError         **error)
{
  od_account_store_add (store, user_data);
  return TRUE;
}

/**
 * od_account_store_put:
 * @account: an account; one with the same id is replaced
 *
 * Adds or replaces one account in the file (see od_account_store_change()). The other
 * accounts are as the file has them now.
 */
gboolean
od_account_store_put (OdAccountStore  *self,
                      OdAccount       *account,
                      GError         **error)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (account), FALSE);

  return od_account_store_change (self, put_change, account, error);
}

static gboolean
delete_change (OdAccountStore  *store,
               gpointer         user_data,
               GError         **error)
{
  const char *id = user_data;

  if (!od_account_store_remove (store, id))
    {
      g_set_error (error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_NOT_FOUND,
                   _("There is no account “%s”."), id);
      return FALSE;
    }

  return TRUE;
}

/**
 * od_account_store_delete:
 *
 * Removes one account from the file (see od_account_store_change()). Its password is in the
 * keyring: remove it there first (od_secret_store_clear_async()).
 *
 * Returns: %FALSE with %OD_ACCOUNT_STORE_ERROR_NOT_FOUND if there is no such account (any
 *   more), or another error as od_account_store_change() has them
 */
gboolean
od_account_store_delete (OdAccountStore  *self,
                         const char      *id,
                         GError         **error)
{
  g_return_val_if_fail (id != NULL, FALSE);

  return od_account_store_change (self, delete_change, (gpointer)id, error);
}

typedef struct
{
  const char      *id;
  OdAccountUpdate  update;
  gpointer         user_data;
} Update;

static gboolean
update_change (OdAccountStore  *store,
               gpointer         user_data,
               GError         **error)
{
  Update *update = user_data;
  OdAccount *account = od_account_store_lookup (store, update->id);

  if (account == NULL)
    {
      g_set_error (error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_NOT_FOUND,
                   _("The account “%s” was removed meanwhile."), update->id);
      return FALSE;
    }

  update->update (account, update->user_data);
  return TRUE;
}

/**
 * od_account_store_update:
 * @update: changes the account as the file holds it now
 *
 * Changes one account in the file (see od_account_store_change()), on what the file holds
 * now: a check's result is recorded in the current account, never written from a copy
 * taken before the check.
 *
 * Returns: %FALSE with %OD_ACCOUNT_STORE_ERROR_NOT_FOUND if the account was removed
 *   meanwhile (nothing is written then), or another error as od_account_store_change() has
 *   them
 */
gboolean
od_account_store_update (OdAccountStore   *self,
                         const char       *id,
                         OdAccountUpdate   update,
                         gpointer          user_data,
                         GError          **error)
{
  Update data = { id, update, user_data };

  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (update != NULL, FALSE);

  return od_account_store_change (self, update_change, &data, error);
}

/**
 * od_account_store_lock:
 *
 * Takes the lock and reads the file again, for work that must see no change of the accounts
 * until it is done (removing the passwords of accounts that are gone: a new account with
 * the same id must not appear meanwhile). Keep it short: other programs wait.
 *
 * Returns: (transfer full): the lock, to release with od_file_lock_release(); or %NULL with
 *   @error
 */
OdFileLock *
od_account_store_lock (OdAccountStore  *self,
                       GError         **error)
{
  g_autoptr(OdFileLock) lock = NULL;
  g_autoptr(GError) read_error = NULL;

  g_return_val_if_fail (OD_IS_ACCOUNT_STORE (self), NULL);

  lock = lock_file (self, error);
  if (lock == NULL)
    return NULL;

  if (!od_account_store_read (self, &read_error) &&
      !g_error_matches (read_error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_CORRUPT))
    {
      g_propagate_error (error, g_steal_pointer (&read_error));
      return NULL;
    }

  return g_steal_pointer (&lock);
}

/* ---- Watching ------------------------------------------------------------------------- */

static gboolean
reload_cb (gpointer user_data)
{
  OdAccountStore *self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->reload_source, g_source_unref);

  if (!od_account_store_load (self, &error))
    g_debug ("Reading the accounts again: %s", error->message);

  return G_SOURCE_REMOVE;
}

static void
changed_cb (GFileMonitor      *monitor,
            GFile             *file,
            GFile             *other_file,
            GFileMonitorEvent  event,
            gpointer           user_data)
{
  OdAccountStore *self = user_data;

  if (event == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED ||
      event == G_FILE_MONITOR_EVENT_PRE_UNMOUNT || event == G_FILE_MONITOR_EVENT_UNMOUNTED)
    return;

  /* A write is a rename of a new file over the old one: a burst of events. */
  if (self->reload_source != NULL)
    return;

  self->reload_source = g_timeout_source_new (RELOAD_DELAY_MS);
  g_source_set_callback (self->reload_source, reload_cb, self, NULL);
  g_source_set_static_name (self->reload_source, "[od] reload the accounts");
  g_source_attach (self->reload_source, g_main_context_get_thread_default ());
}

/**
 * od_account_store_watch:
 *
 * Reads the file again whenever it changes (another program wrote it): the list model then
 * says what changed. For the app, whose store lives as long as its windows.
 */
void
od_account_store_watch (OdAccountStore *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (OD_IS_ACCOUNT_STORE (self));

  if (self->monitor != NULL)
    return;

  file = g_file_new_for_path (self->path);
  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (self->monitor == NULL)
    {
      g_debug ("Cannot watch %s: %s", self->path, error->message);
      return;
    }

  g_signal_connect (self->monitor, "changed", G_CALLBACK (changed_cb), self);
}

void
od_account_store_stop_watching (OdAccountStore *self)
{
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
    }
  g_clear_object (&self->monitor);

  if (self->reload_source != NULL)
    g_source_destroy (self->reload_source);
  g_clear_pointer (&self->reload_source, g_source_unref);
}
