/* od-cli-output.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "od-check.h"

G_BEGIN_DECLS

gboolean    od_cli_use_colour (void);
const char *od_cli_light      (OdStepState state);
const char *od_cli_bold       (void);
const char *od_cli_reset      (void);

void od_cli_print_json         (JsonNode *root);
void od_cli_print_check_header (OdCheck  *check);
void od_cli_print_check_result (OdCheck  *check,
                                gboolean  verbose);

G_END_DECLS
