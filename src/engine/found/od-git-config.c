/* od-git-config.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-found-git.h"

/* The syntax of git-config(1), as git's config.c reads it: "[section]",
 * "[section \"subsection\"]" (only \" and \\ are escapes there), the old "[section.sub]",
 * "key = value" or a bare "key", values with "quotes", the escapes \n \t \b \" \\, a
 * backslash at the end of a line continuing the value, ";" and "#" comments outside quotes,
 * CRLF line ends and a UTF-8 byte order mark. Like git, an error anywhere refuses the whole
 * file. [include] and [includeIf] are kept as plain variables: they are never followed. */

/* At most this many variables from one file (git has no limit; 4 MiB files already bound
 * it, this bounds the memory more tightly). */
#define MAX_ENTRIES 20000

typedef struct
{
  const char *p;
  const char *end;
  guint       line;
} Cursor;

/* Where a variable is in the file (see OdGitConfigEntry). */
typedef struct
{
  const char *value_start;
  const char *value_end;
  const char *line_end;
} Place;

void
od_git_config_entry_free (OdGitConfigEntry *entry)
{
  g_free (entry->section);
  g_free (entry->subsection);
  g_free (entry->key);
  g_free (entry->value);
  g_free (entry);
}

/* The next character, with CRLF as LF; -1 at the end (git's get_next_char). */
static int
next_char (Cursor *c)
{
  int ch;

  if (c->p >= c->end)
    return -1;
  ch = (guchar)*c->p++;
  if (ch == '\r' && c->p < c->end && *c->p == '\n')
    ch = (guchar)*c->p++;
  if (ch == '\n')
    c->line++;
  return ch;
}

static gboolean
is_key_char (int ch)
{
  return ch >= 0 && ch < 128 && (g_ascii_isalnum (ch) || ch == '-');
}

/* After "[": the section name (and subsection); FALSE on a syntax error. */
static gboolean
parse_section (Cursor  *c,
               char   **section,
               char   **subsection)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) sub = NULL;
  int ch;

  for (;;)
    {
      ch = next_char (c);
      if (ch == ']')
        break;
      if (ch == ' ' || ch == '\t')
        {
          /* [section "subsection"] */
          do
            ch = next_char (c);
          while (ch == ' ' || ch == '\t');
          if (ch != '"' || name->len == 0)
            return FALSE;
          sub = g_string_new (NULL);
          for (;;)
            {
              ch = next_char (c);
              if (ch == -1 || ch == '\n')
                return FALSE;
              if (ch == '"')
                break;
              if (ch == '\\')
                {
                  ch = next_char (c);
                  if (ch == -1 || ch == '\n')
                    return FALSE;
                }
              g_string_append_c (sub, (char)ch);
            }
          if (next_char (c) != ']')
            return FALSE;
          break;
        }
      if (!is_key_char (ch) && ch != '.')
        return FALSE;
      g_string_append_c (name, g_ascii_tolower (ch));
    }
  if (name->len == 0)
    return FALSE;

  if (sub == NULL && strchr (name->str, '.') != NULL)
    {
      /* The deprecated [section.subsection]: the subsection in lower case too. */
      char *dot = strchr (name->str, '.');

      *subsection = g_strdup (dot + 1);
      g_string_truncate (name, dot - name->str);
      if (name->len == 0)
        {
          g_clear_pointer (subsection, g_free);
          return FALSE;
        }
    }
  else
    *subsection = sub != NULL ? g_string_free (g_steal_pointer (&sub), FALSE) : NULL;
  *section = g_string_free (g_steal_pointer (&name), FALSE);
  return TRUE;
}

/* After "=": the value up to the end of the line (git's parse_value); NULL on an error.
 * @place gets where the value is written: from its first byte to the last one that counts
 * (a closing quote included; trailing blanks and a comment not). */
static char *
parse_value (Cursor *c,
             Place  *place)
{
  g_autoptr(GString) value = g_string_new (NULL);
  gboolean quote = FALSE, comment = FALSE;
  const char *first = NULL;
  guint space = 0;

  place->value_start = place->value_end = NULL;
  for (;;)
    {
      const char *at = c->p;
      int ch = next_char (c);

      if (first == NULL && ch != ' ' && ch != '\t')
        first = at;
      if (ch == -1 || ch == '\n')
        {
          place->line_end = at;
          if (place->value_start == NULL)
            place->value_start = place->value_end = first;
          return quote ? NULL : g_string_free (g_steal_pointer (&value), FALSE);
        }
      if (comment)
        continue;
      if (g_ascii_isspace (ch) && !quote)
        {
          if (value->len > 0)
            space++;
          continue;
        }
      if (!quote && (ch == ';' || ch == '#'))
        {
          comment = TRUE;
          continue;
        }
      if (place->value_start == NULL)
        place->value_start = at;
      for (; space > 0; space--)
        g_string_append_c (value, ' ');
      if (ch == '\\')
        {
          ch = next_char (c);
          switch (ch)
            {
            case '\n':
              continue;
            case 't':
              ch = '\t';
              break;
            case 'b':
              ch = '\b';
              break;
            case 'n':
              ch = '\n';
              break;
            case '\\':
            case '"':
              break;
            default:
              return NULL;
            }
          g_string_append_c (value, (char)ch);
          place->value_end = c->p;
          continue;
        }
      place->value_end = c->p;
      if (ch == '"')
        {
          quote = !quote;
          continue;
        }
      g_string_append_c (value, (char)ch);
    }
}

/* At the first character of a key: the key and its value; FALSE on a syntax error. */
static gboolean
parse_variable (Cursor  *c,
                int      first,
                char   **key,
                char   **value,
                Place   *place)
{
  g_autoptr(GString) name = g_string_new (NULL);
  const char *at = c->p;
  const char *key_end;
  int ch = first;

  g_string_append_c (name, g_ascii_tolower (ch));
  for (;;)
    {
      at = c->p;
      ch = next_char (c);
      if (!is_key_char (ch))
        break;
      g_string_append_c (name, g_ascii_tolower (ch));
    }
  key_end = at;
  while (ch == ' ' || ch == '\t')
    {
      at = c->p;
      ch = next_char (c);
    }
  place->value_start = place->value_end = key_end;
  if (ch == -1 || ch == '\n')
    {
      *value = NULL;          /* a bare key: true */
      place->line_end = at;
    }
  else if (ch == ';' || ch == '#')
    {
      while (ch != -1 && ch != '\n')
        {
          at = c->p;
          ch = next_char (c);
        }
      *value = NULL;
      place->line_end = at;
    }
  else if (ch == '=')
    {
      *value = parse_value (c, place);
      if (*value == NULL)
        return FALSE;
    }
  else
    return FALSE;
  *key = g_string_free (g_steal_pointer (&name), FALSE);
  return TRUE;
}

/**
 * od_git_config_parse:
 *
 * Returns: (transfer full) (element-type OdGitConfigEntry) (nullable): the variables of a git
 *   configuration file in order, or %NULL with @error (G_FILE_ERROR_INVAL, naming the line)
 *   where git itself would refuse the file
 */
GPtrArray *
od_git_config_parse (const char  *contents,
                     gsize        length,
                     GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (
    (GDestroyNotify)od_git_config_entry_free);
  g_autofree char *section = NULL, *subsection = NULL;
  Cursor c = { contents, contents + length, 1 };

  g_return_val_if_fail (contents != NULL, NULL);

  if (length >= 3 && memcmp (contents, "\xef\xbb\xbf", 3) == 0)
    c.p += 3;

  for (;;)
    {
      guint line = c.line;
      int ch = next_char (&c);

      if (ch == -1)
        return g_steal_pointer (&entries);
      if (ch == '\n' || g_ascii_isspace (ch))
        continue;
      if (ch == '#' || ch == ';')
        {
          while (ch != -1 && ch != '\n')
            ch = next_char (&c);
          continue;
        }
      if (ch == '[')
        {
          g_clear_pointer (&section, g_free);
          g_clear_pointer (&subsection, g_free);
          if (parse_section (&c, &section, &subsection))
            continue;
        }
      else if (g_ascii_isalpha (ch) && section != NULL && entries->len < MAX_ENTRIES)
        {
          OdGitConfigEntry *entry = g_new0 (OdGitConfigEntry, 1);
          Place place = { NULL, NULL, NULL };

          entry->key_start = c.p - 1 - contents;
          if (parse_variable (&c, ch, &entry->key, &entry->value, &place))
            {
              entry->value_start = place.value_start - contents;
              entry->value_end = place.value_end - contents;
              entry->line_end = place.line_end - contents;
              entry->section = g_strdup (section);
              entry->subsection = g_strdup (subsection);
              g_ptr_array_add (entries, entry);
              continue;
            }
          od_git_config_entry_free (entry);
        }

      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   /* Translators: git refuses a configuration file with such a line */
                   _("Line %u of the git configuration is not valid."), line);
      return NULL;
    }
}
