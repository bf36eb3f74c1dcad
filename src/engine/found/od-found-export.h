/* od-found-export.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-found-account.h"

G_BEGIN_DECLS

/* Handing one of Outbox Doctor's own (verified) accounts to another mail client: its
 * settings written in the client's own format (an msmtp account, git send-email's
 * [sendemail] section or identity, NeoMutt's variables, an aerc account), appended to the
 * client's configuration file or printed, and the password left where the client finds it
 * (docs/found-accounts.md, "Handing an account to a client"). */

/**
 * OdFoundExportSecret:
 * @OD_FOUND_EXPORT_SECRET_NONE: no password is needed (no login, no incoming server)
 * @OD_FOUND_EXPORT_SECRET_COPY: the client looks the password up in the keyring by its own
 *   attributes (msmtp, git's libsecret credential helper): a copy must be stored there
 * @OD_FOUND_EXPORT_SECRET_LOOKUP: the configuration runs `secret-tool lookup` for Outbox
 *   Doctor's own keyring item (NeoMutt, aerc): nothing is copied
 * @OD_FOUND_EXPORT_SECRET_CLIENT: the client keeps its own copy, given to it when the
 *   account is created there (Evolution, GNOME Online Accounts)
 * @OD_FOUND_EXPORT_SECRET_ASK: the client asks for the password the first time and keeps it
 *   in a store of its own that Outbox Doctor does not write (Thunderbird)
 *
 * Where the exported configuration finds the password.
 */
typedef enum
{
  OD_FOUND_EXPORT_SECRET_NONE,
  OD_FOUND_EXPORT_SECRET_COPY,
  OD_FOUND_EXPORT_SECRET_LOOKUP,
  OD_FOUND_EXPORT_SECRET_CLIENT,
  OD_FOUND_EXPORT_SECRET_ASK,
} OdFoundExportSecret;

/**
 * OdFoundExportCopy:
 * @OD_FOUND_EXPORT_COPY_STORED: the password was stored under the client's attributes
 * @OD_FOUND_EXPORT_COPY_UNCHANGED: the keyring already held the same password there
 * @OD_FOUND_EXPORT_COPY_REPLACED: the keyring held another password there, which was
 *   replaced
 */
typedef enum
{
  OD_FOUND_EXPORT_COPY_STORED,
  OD_FOUND_EXPORT_COPY_UNCHANGED,
  OD_FOUND_EXPORT_COPY_REPLACED,
} OdFoundExportCopy;

/* The schema of Outbox Doctor's own items, as `secret-tool lookup` names it. */
#define OD_FOUND_EXPORT_OWN_SCHEMA "org.outboxdoctor.OutboxDoctor.Account"

typedef struct _OdFoundExport OdFoundExport;

gboolean             od_found_export_origin_supported       (const char            *origin);
gboolean             od_found_export_is_desktop             (const char            *origin);

OdFoundExport       *od_found_export_new                    (const OdFoundContext  *context,
                                                             OdAccount             *account,
                                                             const char            *origin,
                                                             const char            *name,
                                                             gboolean               incoming_item,
                                                             GError               **error);
void                 od_found_export_free                   (OdFoundExport         *self);

const char          *od_found_export_get_origin             (OdFoundExport         *self);
const char          *od_found_export_get_name               (OdFoundExport         *self);
const char          *od_found_export_get_found_id           (OdFoundExport         *self);
const char          *od_found_export_get_path               (OdFoundExport         *self);
const char          *od_found_export_get_text               (OdFoundExport         *self);
const char * const  *od_found_export_get_notes              (OdFoundExport         *self);
OdFoundExportSecret  od_found_export_get_secret             (OdFoundExport         *self);
GHashTable          *od_found_export_get_keyring_attributes (OdFoundExport         *self,
                                                             gboolean               incoming);
const char          *od_found_export_get_keyring_label      (OdFoundExport         *self);
char                *od_found_export_store_command          (OdFoundExport         *self);

gboolean             od_found_export_check_target           (OdFoundExport         *self,
                                                             GError               **error);
gboolean             od_found_export_write                  (OdFoundExport         *self,
                                                             char                 **backup,
                                                             GError               **error);

gboolean             od_found_export_create                 (OdFoundExport         *self,
                                                             const char            *password,
                                                             const char            *incoming_password,
                                                             GCancellable          *cancellable,
                                                             GError               **error);

GHashTable          *od_found_export_own_attributes         (OdAccount             *account,
                                                             gboolean               incoming);

void                 od_found_export_count_items_async      (GHashTable            *attributes,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
gboolean             od_found_export_count_items_finish     (GAsyncResult          *result,
                                                             guint                 *count,
                                                             GError               **error);
void                 od_found_export_store_copy_async       (OdFoundExport         *self,
                                                             const char            *password,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
gboolean             od_found_export_store_copy_finish      (GAsyncResult          *result,
                                                             OdFoundExportCopy     *outcome,
                                                             GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdFoundExport, od_found_export_free)

G_END_DECLS
