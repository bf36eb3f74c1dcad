/* od-cli-check.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "od-found-account.h"

G_BEGIN_DECLS

int od_cli_check_found (OdFoundAccount  *found,
                        const char      *ca_file,
                        int              timeout,
                        gboolean         password_stdin,
                        gboolean         json,
                        JsonNode       **report);

G_END_DECLS
