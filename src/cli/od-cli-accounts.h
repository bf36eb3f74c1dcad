/* od-cli-accounts.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-account-store.h"
#include "od-check.h"
#include "od-secret-store.h"

G_BEGIN_DECLS

/* Saved accounts and the keyring for the commands: the keyring's asynchronous calls run in
 * a main loop of their own, with the keyring's deadline, and Ctrl+C cancels them. */
OdAccountStore *od_cli_open_account_store       (void);
OdAccount      *od_cli_find_account             (OdAccountStore  *store,
                                                 const char      *id,
                                                 GError         **error);
void            od_cli_record_check             (OdAccountStore  *store,
                                                 const char      *id,
                                                 OdCheck         *check,
                                                 gboolean         confirmed);

gboolean        od_cli_keyring_store            (OdAccount       *account,
                                                 const char      *password,
                                                 GError         **error);
char           *od_cli_keyring_lookup           (OdAccount       *account,
                                                 gboolean         incoming,
                                                 GError         **error);

int             od_cli_accounts_export          (int              argc,
                                                 char           **argv);

gboolean        od_cli_account_password         (OdAccount       *account,
                                                 gboolean         incoming,
                                                 gboolean         may_prompt,
                                                 char           **password,
                                                 GError         **error);

G_END_DECLS
