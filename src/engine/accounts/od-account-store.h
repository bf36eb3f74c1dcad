/* od-account-store.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-account.h"
#include "od-file-lock.h"

G_BEGIN_DECLS

/* The format version this code writes. */
#define OD_ACCOUNT_STORE_VERSION 1

#define OD_ACCOUNT_STORE_ERROR (od_account_store_error_quark ())

/**
 * OdAccountStoreError:
 * @OD_ACCOUNT_STORE_ERROR_CORRUPT: the file was damaged; the readable accounts were loaded
 *   and the file was moved aside
 * @OD_ACCOUNT_STORE_ERROR_DAMAGED: the file is damaged and could not be moved aside, so the
 *   store refuses to overwrite it
 * @OD_ACCOUNT_STORE_ERROR_NOT_FOUND: no account with this id (removed meanwhile, perhaps
 *   by another program)
 * @OD_ACCOUNT_STORE_ERROR_LINK: the file is a symbolic link, which is never followed
 */
typedef enum
{
  OD_ACCOUNT_STORE_ERROR_CORRUPT,
  OD_ACCOUNT_STORE_ERROR_DAMAGED,
  OD_ACCOUNT_STORE_ERROR_NOT_FOUND,
  OD_ACCOUNT_STORE_ERROR_LINK,
} OdAccountStoreError;


GQuark od_account_store_error_quark (void);

#define OD_TYPE_ACCOUNT_STORE (od_account_store_get_type ())

G_DECLARE_FINAL_TYPE (OdAccountStore, od_account_store, OD, ACCOUNT_STORE, GObject)

/**
 * OdAccountStoreChange:
 * @store: the store, just read again from the file under the lock
 *
 * A change of the accounts, made with od_account_store_add() and od_account_store_remove()
 * (and the accounts' setters) on what the file holds now.
 *
 * Returns: %TRUE to write the change, %FALSE to leave the file as it is (with @error set
 *   if that is a failure)
 */
typedef gboolean (*OdAccountStoreChange) (OdAccountStore  *store,
                                          gpointer         user_data,
                                          GError         **error);

/**
 * OdAccountUpdate:
 * @account: the account as the file holds it now
 *
 * Changes @account (a check's result, a trusted certificate).
 */
typedef void (*OdAccountUpdate) (OdAccount *account,
                                 gpointer   user_data);

char           *od_account_store_get_default_path (void);

OdAccountStore *od_account_store_new              (const char      *path);
const char     *od_account_store_get_path         (OdAccountStore  *self);
const char     *od_account_store_get_backup_path  (OdAccountStore  *self);
gboolean        od_account_store_load             (OdAccountStore  *self,
                                                   GError         **error);
gboolean        od_account_store_change           (OdAccountStore  *self,
                                                   OdAccountStoreChange change,
                                                   gpointer         user_data,
                                                   GError         **error);
gboolean        od_account_store_put              (OdAccountStore  *self,
                                                   OdAccount       *account,
                                                   GError         **error);
gboolean        od_account_store_delete           (OdAccountStore  *self,
                                                   const char      *id,
                                                   GError         **error);
gboolean        od_account_store_update           (OdAccountStore  *self,
                                                   const char      *id,
                                                   OdAccountUpdate  update,
                                                   gpointer         user_data,
                                                   GError         **error);
OdFileLock     *od_account_store_lock             (OdAccountStore  *self,
                                                   GError         **error);
void            od_account_store_watch            (OdAccountStore  *self);
OdAccount      *od_account_store_lookup           (OdAccountStore  *self,
                                                   const char      *id);
OdAccount      *od_account_store_find_by_address  (OdAccountStore  *self,
                                                   const char      *address);
char           *od_account_store_make_id          (OdAccountStore  *self,
                                                   const char      *address);
void            od_account_store_add              (OdAccountStore  *self,
                                                   OdAccount       *account);
gboolean        od_account_store_remove           (OdAccountStore  *self,
                                                   const char      *id);

G_END_DECLS
