/* od-check-report.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "od-check.h"

G_BEGIN_DECLS

#define OD_REPORT_SCHEMA 1

JsonNode *od_check_report_to_json (OdCheck *check);
char     *od_check_report_to_text (OdCheck *check);

G_END_DECLS
