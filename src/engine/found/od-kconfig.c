/* od-kconfig.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <string.h>

#include "od-kconfig.h"

/* KConfig writes files GKeyFile nearly reads: `[Group]` and `key=value` lines. What GKeyFile
 * does not take, and what we must not take either, is left out line by line before it sees
 * the file: nested groups (`[Outer][Inner]`) and their keys, group and key markers (`[$i]`
 * immutable, `[$e]` shell expansion: such a value would need a shell, so the key is not read
 * at all, `[$d]` deleted), lines without `=`, lines that are not UTF-8. Escapes GKeyFile does
 * not know (`\xNN`) are handled by od_kconfig_get_string(). */

/* "[Name]": one group, not nested, its name without brackets and control characters. */
static gboolean
is_single_group (const char *line,
                 gsize       len)
{
  if (len < 3 || line[0] != '[' || line[len - 1] != ']')
    return FALSE;
  for (gsize i = 1; i + 1 < len; i++)
    if (line[i] == '[' || line[i] == ']' || (guchar)line[i] < 0x20)
      return FALSE;
  return TRUE;
}

/* "key" or "key[locale]", as GKeyFile takes them. */
static gboolean
key_ok (const char *key,
        gsize       len)
{
  const char *open = memchr (key, '[', len);

  if (len == 0 || open == key)
    return FALSE;
  if (open == NULL)
    return memchr (key, ']', len) == NULL;
  if (key[len - 1] != ']' || memchr (key, ']', len - 1) != NULL || open + 2 > key + len - 1)
    return FALSE;
  for (const char *p = open + 1; p < key + len - 1; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.' && *p != '@')
      return FALSE;
  return TRUE;
}

/* A key line kept, or rewritten without its marker; FALSE when it is to be left out. */
static gboolean
filter_key (const char *line,
            gsize       len,
            GString    *out)
{
  const char *eq = memchr (line, '=', len);
  const char *open;
  const char *marker;
  gsize key_len;

  if (eq == NULL || eq == line)
    return FALSE;
  key_len = eq - line;
  while (key_len > 0 && (line[key_len - 1] == ' ' || line[key_len - 1] == '\t'))
    key_len--;
  if (key_len == 0)
    return FALSE;
  open = memchr (line, '[', key_len);
  if (open == NULL)
    {
      if (!key_ok (line, key_len))
        return FALSE;
      g_string_append_len (out, line, len);
      return TRUE;
    }

  /* key[$i], key[$e], key[de], key[de][$i]: a locale is GKeyFile's too, markers are not. */
  if (line[key_len - 1] != ']')
    return FALSE;
  marker = g_strstr_len (line, key_len, "[$");
  if (marker != NULL)
    {
      const char *close = memchr (marker, ']', line + key_len - marker);

      /* One marker, last; $e (a shell would expand it) and $d (deleted) are not read. */
      if (close != line + key_len - 1 || marker == line ||
          memchr (marker + 2, 'e', close - marker - 2) != NULL ||
          memchr (marker + 2, 'd', close - marker - 2) != NULL)
        return FALSE;
      key_len = marker - line;
      if (!key_ok (line, key_len))
        return FALSE;
      g_string_append_len (out, line, key_len);
      g_string_append_len (out, eq, line + len - eq);
      return TRUE;
    }
  if (!key_ok (line, key_len))
    return FALSE;
  g_string_append_len (out, line, len);
  return TRUE;
}

/**
 * od_kconfig_load:
 * @text: the file's contents (not necessarily NUL-terminated)
 * @length: its length
 * @n_skipped: (out) (optional): how many lines were left out
 *
 * Returns: (transfer full) (nullable): the file's groups and keys, or %NULL with @error when
 *   even what is left cannot be read
 */
GKeyFile *
od_kconfig_load (const char  *text,
                 gsize        length,
                 guint       *n_skipped,
                 GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GString) out = g_string_sized_new (length);
  const char *p = text, *end = text + length;
  gboolean in_group = FALSE;
  gboolean group_ok = TRUE;
  guint skipped = 0;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *next = nl != NULL ? nl + 1 : end;
      const char *line = p;
      gsize len = (nl != NULL ? nl : end) - p;

      p = next;
      while (len > 0 && (*line == ' ' || *line == '\t'))
        line++, len--;
      while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
      if (len == 0 || line[0] == '#')
        continue;
      if (!g_utf8_validate (line, len, NULL) || memchr (line, '\0', len) != NULL)
        {
          skipped++;
          continue;
        }
      if (line[0] == '[')
        {
          /* [$Version] and the like: KConfig's own bookkeeping, not read, not a fault. */
          gboolean own = is_single_group (line, len) && line[1] == '$';

          group_ok = is_single_group (line, len);
          in_group = group_ok && !own;
          if (in_group)
            {
              g_string_append_len (out, line, len);
              g_string_append_c (out, '\n');
            }
          else if (!group_ok)
            skipped++;
          continue;
        }
      /* Keys before any group belong to KConfig's default group, which we do not read. */
      if (!in_group || !group_ok)
        {
          skipped += group_ok ? 0 : 1;
          continue;
        }
      if (filter_key (line, len, out))
        g_string_append_c (out, '\n');
      else
        skipped++;
    }

  if (n_skipped != NULL)
    *n_skipped = skipped;
  if (!g_key_file_load_from_data (keyfile, out->str, out->len, G_KEY_FILE_NONE, error))
    return NULL;
  return g_steal_pointer (&keyfile);
}

/**
 * od_kconfig_get_string:
 *
 * A value with KConfig's escapes undone: GKeyFile's own (\s \n \t \r \\) and \xNN.
 *
 * Returns: (transfer full) (nullable): the value as valid UTF-8, or %NULL when absent or not
 *   text
 */
char *
od_kconfig_get_string (GKeyFile   *keyfile,
                       const char *group,
                       const char *key)
{
  g_autofree char *raw = g_key_file_get_value (keyfile, group, key, NULL);
  g_autoptr(GString) out = NULL;

  if (raw == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (const char *p = raw; *p != '\0'; p++)
    {
      if (*p != '\\' || p[1] == '\0')
        {
          g_string_append_c (out, *p);
          continue;
        }
      p++;
      switch (*p)
        {
        case 's': g_string_append_c (out, ' '); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 'x':
          if (g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]) &&
              (g_ascii_xdigit_value (p[1]) | g_ascii_xdigit_value (p[2])) != 0)
            {
              g_string_append_c (out, (char)(g_ascii_xdigit_value (p[1]) * 16 +
                                             g_ascii_xdigit_value (p[2])));
              p += 2;
            }
          else
            g_string_append (out, "\\x");
          break;
        default:
          g_string_append_c (out, *p);
          break;
        }
    }
  if (!g_utf8_validate (out->str, out->len, NULL))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
