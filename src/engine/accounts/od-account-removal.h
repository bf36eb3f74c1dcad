/* od-account-removal.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-account-store.h"
#include "od-secret-store.h"

G_BEGIN_DECLS

void      od_account_remove_async  (OdAccountStore       *store,
                                    OdSecretStore        *secrets,
                                    const char           *id,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
gboolean  od_account_remove_finish (GAsyncResult         *result,
                                    gboolean             *password_removed,
                                    GError              **keyring_error,
                                    GError              **error);

G_END_DECLS
