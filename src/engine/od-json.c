/* od-json.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "od-json.h"

/**
 * od_json_add_string:
 * @value: (nullable): the member's value
 *
 * Adds the member @name to the object being built: @value, or null when there is none (the
 * JSON contract keeps every member, docs/json.md).
 */
void
od_json_add_string (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}
