/* od-json.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

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

/**
 * od_json_is_one_object:
 * @data: text from a server, not necessarily NUL-terminated
 * @size: its length
 * @max_depth: the deepest nesting of objects and arrays allowed
 *
 * Whether @data can be handed to json-glib as what a server should send us: exactly one JSON
 * object, nothing before it or after it but blanks, nested at most @max_depth deep, without
 * a `\u0000` in a string. json-glib's parser recurses once per level (a few thousand `[`
 * exhaust the stack), cuts strings at a NUL, and reads a text of several values (`2{…}`) as
 * several statements, leaking all but the last; none of that can reach it through here.
 *
 * Returns: %TRUE when the text is shaped like one bounded object (json-glib still parses it)
 */
gboolean
od_json_is_one_object (const char *data,
                       gsize       size,
                       guint       max_depth)
{
  gboolean in_string = FALSE;
  gboolean closed = FALSE;
  guint depth = 0;
  gsize i = 0;

  while (i < size && g_ascii_isspace (data[i]))
    i++;
  if (i == size || data[i] != '{')
    return FALSE;

  for (; i < size; i++)
    {
      char c = data[i];

      if (closed)
        {
          if (!g_ascii_isspace (c))
            return FALSE;
        }
      else if (in_string)
        {
          if (c == '\0')
            return FALSE;
          if (c == '\\' && i + 5 < size && data[i + 1] == 'u' &&
              strncmp (data + i + 2, "0000", 4) == 0)
            return FALSE;
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if (c == ']' || c == '}')
        {
          if (depth == 0)
            return FALSE;
          closed = --depth == 0;
        }
      else if (c == '\0')
        return FALSE;
    }

  return closed;
}
