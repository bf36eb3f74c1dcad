/* od-oauth-providers.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-account.h"
#include "od-oauth.h"
#include "od-provider.h"

G_BEGIN_DECLS

const char      *od_oauth_provider_get_display_name   (const char *id);
const char      *od_oauth_provider_id_for             (OdProvider *provider);
OdOAuthProvider *od_oauth_provider_lookup             (const char *id,
                                                       const char *own_client_id,
                                                       const char *own_client_secret);
OdOAuthProvider *od_oauth_provider_lookup_for_account (OdAccount  *account);

G_END_DECLS
