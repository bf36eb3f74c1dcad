/* od-oauth-account.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-account.h"
#include "od-check.h"
#include "od-oauth.h"
#include "od-secret-store.h"

G_BEGIN_DECLS

void           od_oauth_account_get_token_async  (OdAccount           *account,
                                                  OdSecretStore       *store,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char          *od_oauth_account_get_token_finish (GAsyncResult        *result,
                                                  GError             **error);
void           od_oauth_account_set_up_check     (OdAccount           *account,
                                                  OdCheck             *check,
                                                  const char          *token,
                                                  const GError        *error);
void           od_oauth_account_remember         (OdAccount           *account,
                                                  const OdOAuthTokens *tokens);
void           od_oauth_account_forget           (OdAccount           *account);
OdProblemKind  od_oauth_error_to_problem         (const GError        *error,
                                                  OdReason            *reason);

G_END_DECLS
