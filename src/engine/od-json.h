/* od-json.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void od_json_add_string (JsonBuilder *builder,
                         const char  *name,
                         const char  *value);
gboolean od_json_is_one_object (const char  *data,
                                gsize        size,
                                guint        max_depth);

G_END_DECLS
