/* od-found-secret.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-check.h"
#include "od-found-account.h"

G_BEGIN_DECLS

char *od_found_account_lookup_password_sync (OdFoundAccount  *found,
                                             gboolean         incoming,
                                             GCancellable    *cancellable,
                                             GError         **error);
void  od_found_password_free                (char            *password);
void  od_found_account_set_up_token_sync    (OdFoundAccount  *found,
                                             OdCheck         *check,
                                             GCancellable    *cancellable);

G_END_DECLS
