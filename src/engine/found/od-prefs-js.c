/* od-prefs-js.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <string.h>

#include "od-prefs-js.h"

/* A prefs.js as Thunderbird (and Firefox) write it:
 *
 *   // Mozilla User Preferences
 *   user_pref("mail.smtpserver.smtp1.hostname", "smtp.example.org");
 *   user_pref("mail.smtpserver.smtp1.port", 587);
 *   user_pref("mail.smtpserver.smtp1.try_ssl", 2);
 *
 * A scanner for exactly that: `user_pref ( STRING , VALUE ) ;` with VALUE a string (double or
 * single quotes; escapes \" \' \\ \n \r \t \xHH \uXXXX with surrogate pairs), an integer
 * (32 bits, as Mozilla's preferences are) or true/false, between white space, // and # line
 * comments and block comments. Nothing else is understood: a statement that does not match
 * is skipped up to the end of its line and counted, and the rest of the file is still read.
 * Later statements win over earlier ones, as in Thunderbird. */

typedef struct
{
  const char *p;
  const char *end;
  const char *start;
} Scanner;

static void
skip_blank (Scanner *s)
{
  while (s->p < s->end)
    {
      char c = *s->p;

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
        s->p++;
      else if (c == '#' || (c == '/' && s->p + 1 < s->end && s->p[1] == '/'))
        {
          const char *nl = memchr (s->p, '\n', s->end - s->p);

          s->p = nl != NULL ? nl + 1 : s->end;
        }
      else if (c == '/' && s->p + 1 < s->end && s->p[1] == '*')
        {
          const char *q = s->p + 2;

          /* An unterminated comment runs to the end of the file. */
          while (q + 1 < s->end && !(q[0] == '*' && q[1] == '/'))
            q++;
          s->p = q + 1 < s->end ? q + 2 : s->end;
        }
      else
        break;
    }
}

static gboolean
expect (Scanner *s,
        char     c)
{
  skip_blank (s);
  if (s->p >= s->end || *s->p != c)
    return FALSE;
  s->p++;
  return TRUE;
}

static gboolean
read_hex (Scanner  *s,
          guint     digits,
          gunichar *out)
{
  gunichar value = 0;

  if ((gsize)(s->end - s->p) < digits)
    return FALSE;
  for (guint i = 0; i < digits; i++)
    {
      int d = g_ascii_xdigit_value (s->p[i]);

      if (d < 0)
        return FALSE;
      value = value * 16 + d;
    }
  s->p += digits;
  *out = value;
  return TRUE;
}

/* After a backslash and 'u': one code point, a surrogate pair taken together. */
static gboolean
read_unicode_escape (Scanner  *s,
                     gunichar *out)
{
  gunichar high, low;

  if (!read_hex (s, 4, &high))
    return FALSE;
  if (high >= 0xDC00 && high <= 0xDFFF)
    return FALSE;
  if (high < 0xD800 || high > 0xDBFF)
    {
      *out = high;
      return TRUE;
    }
  if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
    return FALSE;
  s->p += 2;
  if (!read_hex (s, 4, &low) || low < 0xDC00 || low > 0xDFFF)
    return FALSE;
  *out = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
  return TRUE;
}

static gboolean
read_escape (Scanner *s,
             GString *out)
{
  gunichar ch;
  char c;

  if (s->p >= s->end)
    return FALSE;
  c = *s->p++;
  switch (c)
    {
    case 'n': g_string_append_c (out, '\n'); return TRUE;
    case 'r': g_string_append_c (out, '\r'); return TRUE;
    case 't': g_string_append_c (out, '\t'); return TRUE;
    case '\\':
    case '"':
    case '\'':
      g_string_append_c (out, c);
      return TRUE;
    case 'x':
      if (!read_hex (s, 2, &ch))
        return FALSE;
      break;
    case 'u':
      if (!read_unicode_escape (s, &ch))
        return FALSE;
      break;
    default:
      return FALSE;
    }
  if (ch == 0)
    return FALSE;
  g_string_append_unichar (out, ch);
  return TRUE;
}

static char *
read_string (Scanner *s)
{
  g_autoptr(GString) out = NULL;
  char quote;

  skip_blank (s);
  if (s->p >= s->end || (*s->p != '"' && *s->p != '\''))
    return NULL;
  quote = *s->p++;
  out = g_string_new (NULL);
  while (s->p < s->end)
    {
      char c = *s->p++;

      if (c == quote)
        {
          if (!g_utf8_validate (out->str, out->len, NULL))
            return NULL;
          return g_string_free (g_steal_pointer (&out), FALSE);
        }
      if (c == '\n' || c == '\r')
        return NULL;
      if (c == '\\')
        {
          if (!read_escape (s, out))
            return NULL;
        }
      else
        g_string_append_c (out, c);
    }

  return NULL;
}

static gboolean
is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '$';
}

static gboolean
read_word (Scanner    *s,
           const char *word)
{
  gsize len = strlen (word);

  skip_blank (s);
  if ((gsize)(s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return FALSE;
  if (s->p + len < s->end && is_ident_char (s->p[len]))
    return FALSE;
  s->p += len;
  return TRUE;
}

static char *
read_integer (Scanner *s)
{
  gboolean negative = FALSE;
  gint64 value = 0;
  gboolean digits = FALSE;

  if (s->p < s->end && (*s->p == '-' || *s->p == '+'))
    negative = *s->p++ == '-';
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    {
      value = value * 10 + (*s->p++ - '0');
      if (value > (gint64)G_MAXINT32 + 1)
        return NULL;
      digits = TRUE;
    }
  if (!digits || (s->p < s->end && is_ident_char (*s->p)))
    return NULL;
  if (negative)
    value = -value;
  if (value > G_MAXINT32 || value < G_MININT32)
    return NULL;
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static char *
read_value (Scanner *s)
{
  skip_blank (s);
  if (s->p >= s->end)
    return NULL;
  if (*s->p == '"' || *s->p == '\'')
    return read_string (s);
  if (read_word (s, "true"))
    return g_strdup ("true");
  if (read_word (s, "false"))
    return g_strdup ("false");
  return read_integer (s);
}

static const char *
skip_line (const char *p,
           const char *end)
{
  for (p++; p < end; p++)
    {
      if (*p == '\n')
        return p + 1;
      if (*p == '/' && p + 1 < end && p[1] == '*')
        return p;
    }
  return end;
}

static gboolean
read_statement (Scanner             *s,
                OdPrefsJsStatement  *statement)
{
  g_autofree char *n = NULL;
  g_autofree char *v = NULL;
  const char *value_start;

  if (!read_word (s, "user_pref") || !expect (s, '('))
    return FALSE;
  n = read_string (s);
  if (n == NULL || strlen (n) > OD_PREFS_JS_MAX_NAME || !expect (s, ','))
    return FALSE;
  skip_blank (s);
  value_start = s->p;
  v = read_value (s);
  if (v == NULL)
    return FALSE;
  statement->value_start = value_start - s->start;
  statement->value_end = s->p - s->start;
  if (!expect (s, ')') || !expect (s, ';'))
    return FALSE;

  statement->end = s->p - s->start;
  statement->name = g_steal_pointer (&n);
  statement->value = g_steal_pointer (&v);
  return TRUE;
}

/* Every statement in order, into @prefs (the last of a name wins, at most
 * OD_PREFS_JS_MAX_PREFS names) or @statements. Returns how many could not be read. */
static guint
scan (const char *text,
      gsize       length,
      GHashTable *prefs,
      GPtrArray  *statements)
{
  Scanner s = { text, text + length, text };
  guint skipped = 0;

  for (;;)
    {
      const char *start;
      OdPrefsJsStatement statement = { 0 };

      skip_blank (&s);
      if (s.p >= s.end)
        break;
      start = s.p;
      if (read_statement (&s, &statement))
        {
          statement.start = start - text;
          if (statements != NULL)
            g_ptr_array_add (statements, g_memdup2 (&statement, sizeof statement));
          else if (g_hash_table_size (prefs) >= OD_PREFS_JS_MAX_PREFS &&
                   !g_hash_table_contains (prefs, statement.name))
            {
              od_prefs_js_statement_free (&statement);
              skipped++;
            }
          else
            g_hash_table_replace (prefs, statement.name, statement.value);
          continue;
        }

      /* Not a statement we understand: go on after the end of its line, or at a block
       * comment that starts on it, so that what the comment holds is not read either. */
      skipped++;
      s.p = skip_line (start, s.end);
    }
  return skipped;
}

/**
 * od_prefs_js_parse:
 * @text: the file's contents (not necessarily NUL-terminated)
 * @length: its length in bytes
 * @n_skipped: (out) (optional): how many statements could not be read
 *
 * Returns: (transfer full): preference name → value as text (strings as they are, integers
 *   in decimal, booleans as "true" or "false"); never %NULL
 */
GHashTable *
od_prefs_js_parse (const char *text,
                   gsize       length,
                   guint      *n_skipped)
{
  GHashTable *prefs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint skipped;

  g_return_val_if_fail (text != NULL || length == 0, prefs);

  skipped = scan (text, length, prefs, NULL);
  if (n_skipped != NULL)
    *n_skipped = skipped;
  return prefs;
}

void
od_prefs_js_statement_free (OdPrefsJsStatement *statement)
{
  g_free (statement->name);
  g_free (statement->value);
}

static void
statement_free (gpointer data)
{
  od_prefs_js_statement_free (data);
  g_free (data);
}

/**
 * od_prefs_js_parse_statements:
 * @text: the file's contents (not necessarily NUL-terminated)
 * @length: its length in bytes
 *
 * The statements od_prefs_js_parse() reads, each with where it is in @text, for changing a
 * value in place.
 *
 * Returns: (transfer full) (element-type OdPrefsJsStatement): the statements in order
 */
GPtrArray *
od_prefs_js_parse_statements (const char *text,
                              gsize       length)
{
  GPtrArray *statements = g_ptr_array_new_with_free_func (statement_free);

  g_return_val_if_fail (text != NULL || length == 0, statements);

  scan (text, length, NULL, statements);
  return statements;
}
