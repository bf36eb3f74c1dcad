/* od-cli-oauth.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-setup.h"

G_BEGIN_DECLS

gboolean od_cli_oauth_sign_in (OdSetup      *setup,
                               const char   *provider_name,
                               const char   *client_id,
                               const char   *client_secret,
                               gboolean      device,
                               gboolean      json,
                               int           timeout_s,
                               GCancellable *cancellable,
                               int          *status);

G_END_DECLS
