/* od-orphans.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-account-store.h"
#include "od-secret-store.h"

G_BEGIN_DECLS

void    od_orphans_find_async    (OdAccountStore       *store,
                                  OdSecretStore        *secrets,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
char  **od_orphans_find_finish   (GAsyncResult         *result,
                                  GError              **error);
void    od_orphans_remove_async  (OdAccountStore       *store,
                                  OdSecretStore        *secrets,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
char  **od_orphans_remove_finish (GAsyncResult         *result,
                                  GError              **error);

G_END_DECLS
