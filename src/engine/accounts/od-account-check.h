/* od-account-check.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-account.h"
#include "od-check.h"

G_BEGIN_DECLS

/* Troubleshooting a saved account: the check of its settings, and what the check means for
 * the account afterwards. The password is the caller's to find (od-secret-store.h). */
OdCheck  *od_account_create_check (OdAccount *account);
OdCheck  *od_account_create_incoming_check (OdAccount *account);
gboolean  od_account_record_check (OdAccount *account,
                                   OdCheck   *check);
gboolean  od_account_has_incoming  (OdAccount *account);
gboolean  od_account_set_up_round_trip (OdAccount  *account,
                                        OdCheck    *check,
                                        const char *incoming_password);

G_END_DECLS
