/* od-secret-store.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "od-account.h"

G_BEGIN_DECLS

/* The deadline of one keyring operation, including an unlock prompt. */
#define OD_SECRET_STORE_DEFAULT_TIMEOUT_MS 25000

#define OD_SECRET_ERROR (od_secret_error_quark ())

/**
 * OdSecretError:
 * @OD_SECRET_ERROR_NO_KEYRING: no secret service on the session bus (or no session bus)
 * @OD_SECRET_ERROR_LOCKED: the keyring stayed locked
 * @OD_SECRET_ERROR_FAILED: the keyring answered with an error
 *
 * A keyring that does not answer in time gives %G_IO_ERROR_TIMED_OUT; a cancelled operation
 * (or a dismissed unlock prompt) %G_IO_ERROR_CANCELLED.
 */
typedef enum
{
  OD_SECRET_ERROR_NO_KEYRING,
  OD_SECRET_ERROR_LOCKED,
  OD_SECRET_ERROR_FAILED,
} OdSecretError;

GQuark              od_secret_error_quark         (void);
const SecretSchema *od_secret_store_get_schema    (void);

#define OD_TYPE_SECRET_STORE (od_secret_store_get_type ())

G_DECLARE_FINAL_TYPE (OdSecretStore, od_secret_store, OD, SECRET_STORE, GObject)

OdSecretStore *od_secret_store_new           (void);
void           od_secret_store_set_timeout   (OdSecretStore        *self,
                                              guint                 timeout_ms);
guint          od_secret_store_get_timeout   (OdSecretStore        *self);

void           od_secret_store_store_async   (OdSecretStore        *self,
                                              const char           *account_id,
                                              const char           *protocol,
                                              const char           *host,
                                              guint16               port,
                                              const char           *user,
                                              const char           *password,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean       od_secret_store_store_finish  (OdSecretStore        *self,
                                              GAsyncResult         *result,
                                              GError              **error);
void           od_secret_store_lookup_async  (OdSecretStore        *self,
                                              const char           *account_id,
                                              const char           *protocol,
                                              const char           *host,
                                              guint16               port,
                                              const char           *user,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
void           od_secret_store_lookup_incoming_for_account_async
                                             (OdSecretStore        *self,
                                              OdAccount            *account,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
char          *od_secret_store_lookup_finish (OdSecretStore        *self,
                                              GAsyncResult         *result,
                                              GError              **error);
void           od_secret_store_clear_async   (OdSecretStore        *self,
                                              const char           *account_id,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean       od_secret_store_clear_finish  (OdSecretStore        *self,
                                              GAsyncResult         *result,
                                              GError              **error);

void           od_secret_store_list_accounts_async  (OdSecretStore   *self,
                                                     GCancellable    *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer         user_data);
char         **od_secret_store_list_accounts_finish (OdSecretStore   *self,
                                                     GAsyncResult    *result,
                                                     GError         **error);
void           od_secret_store_free_password (char                 *password);

void           od_secret_store_store_for_account_async  (OdSecretStore       *self,
                                                         OdAccount           *account,
                                                         const char          *password,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
void           od_secret_store_lookup_for_account_async (OdSecretStore       *self,
                                                         OdAccount           *account,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
void           od_secret_store_store_refresh_token_async  (OdSecretStore       *self,
                                                           OdAccount           *account,
                                                           const char          *provider_name,
                                                           const char          *scope,
                                                           const char          *refresh_token,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
void           od_secret_store_lookup_refresh_token_async (OdSecretStore       *self,
                                                           OdAccount           *account,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);

G_END_DECLS
