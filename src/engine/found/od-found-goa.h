/* od-found-goa.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-found-account.h"

G_BEGIN_DECLS

/* The D-Bus name of GNOME Online Accounts' daemon. */
#define OD_FOUND_GOA_BUS_NAME "org.gnome.OnlineAccounts"

/* At most this many GNOME Online Accounts accounts are looked at. */
#define OD_FOUND_GOA_MAX_ACCOUNTS 100

gboolean od_found_read_goa              (const OdFoundContext  *context,
                                         GPtrArray             *found,
                                         GError               **error);

/* How long GNOME Online Accounts may take to refresh a token (it may ask the provider). */
#define OD_FOUND_GOA_TOKEN_TIMEOUT_MS 15000

char    *od_found_goa_get_access_token_sync (const char        *account_id,
                                             GCancellable      *cancellable,
                                             GError           **error);
char    *od_found_goa_get_password_sync (const char            *account_id,
                                         const char            *which,
                                         GCancellable          *cancellable,
                                         GError               **error);

G_END_DECLS
