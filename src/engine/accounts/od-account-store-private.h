/* od-account-store-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-account-store.h"

G_BEGIN_DECLS

/* Shared by od-account-store.c (reading and writing the file, the list model) and
 * od-account-store-change.c (changes under the lock, watching the file). */
struct _OdAccountStore
{
  GObject     parent_instance;

  char       *path;
  char       *backup_path;     /* where a damaged file was moved */
  GKeyFile   *keyfile;         /* as loaded, with what we do not understand */
  GPtrArray  *accounts;        /* OdAccount, in file order */
  GHashTable *removed;         /* ids removed since the last save */
  gint64      file_version;
  gboolean    damaged_in_place; /* damaged and not moved aside: never overwrite */

  /* Changes and watching (od-account-store-change.c) */
  char         *lock_path;
  GFileMonitor *monitor;
  GSource      *reload_source;
};

gboolean od_account_store_read  (OdAccountStore  *self,
                                 GError         **error);
gboolean od_account_store_write (OdAccountStore  *self,
                                 GError         **error);
void     od_account_store_stop_watching (OdAccountStore *self);

G_END_DECLS
