/* od-cli-found.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "od-found-accounts.h"

G_BEGIN_DECLS

GPtrArray      *od_cli_find_accounts      (void);
void            od_cli_found_add_json     (JsonBuilder *builder,
                                           GPtrArray   *results);
void            od_cli_found_print        (GPtrArray   *results);
OdFoundAccount *od_cli_found_lookup       (GPtrArray   *results,
                                           const char  *id);
void            od_cli_found_print_one    (OdFoundAccount *found);

G_END_DECLS
