/* od-account-store.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-account.h"

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
 * @OD_ACCOUNT_STORE_ERROR_NOT_FOUND: no account with this id
 */
typedef enum
{
  OD_ACCOUNT_STORE_ERROR_CORRUPT,
  OD_ACCOUNT_STORE_ERROR_DAMAGED,
  OD_ACCOUNT_STORE_ERROR_NOT_FOUND,
} OdAccountStoreError;

GQuark od_account_store_error_quark (void);

#define OD_TYPE_ACCOUNT_STORE (od_account_store_get_type ())

G_DECLARE_FINAL_TYPE (OdAccountStore, od_account_store, OD, ACCOUNT_STORE, GObject)

char           *od_account_store_get_default_path (void);

OdAccountStore *od_account_store_new              (const char      *path);
const char     *od_account_store_get_path         (OdAccountStore  *self);
const char     *od_account_store_get_backup_path  (OdAccountStore  *self);
gboolean        od_account_store_load             (OdAccountStore  *self,
                                                   GError         **error);
gboolean        od_account_store_save             (OdAccountStore  *self,
                                                   GError         **error);
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
