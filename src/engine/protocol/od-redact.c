/* od-redact.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-redact"

#include "config.h"

#include <string.h>

#include "od-redact.h"
#include "od-text.h"

/* Finding a password in what a server says, in every form a server could echo it: as
 * typed, upper or lower case (matched without regard to ASCII case), base64 (alone and
 * inside the PLAIN and LOGIN blobs, at any alignment), percent-encoded (URL and form
 * style) and quoted-printable (also RFC 2047's "Q"). Every form looked for everywhere is
 * at least OD_REDACT_MIN_CHARS bytes long, or it would hide innocent text.
 *
 * A password of fewer characters is also kept apart ("tokens"): as typed it is hidden only
 * as a whole word, and only in the text where it can be nothing else, the login exchange
 * (od_redactor_redact_short()).
 *
 * Redaction runs on the whole text before anything cuts, quotes or splits it; the lines
 * of a multiline reply are redacted together, so a password the server broke across lines
 * is found too (od_redactor_redact_lines()). */

struct _OdRedactor
{
  GPtrArray *variants;  /* the forms to hide anywhere, longest first */
  GPtrArray *tokens;    /* the forms of a short password, hidden as whole words only */
};

static void
wipe_free (gpointer data)
{
  char *secret = data;

  /* Do not leave the password behind in freed memory. */
  memset (secret, 0, strlen (secret));
  g_free (secret);
}

OdRedactor *
od_redactor_new (void)
{
  OdRedactor *self = g_new0 (OdRedactor, 1);

  self->variants = g_ptr_array_new_with_free_func (wipe_free);
  self->tokens = g_ptr_array_new_with_free_func (wipe_free);

  return self;
}

void
od_redactor_free (OdRedactor *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->variants);
  g_ptr_array_unref (self->tokens);
  g_free (self);
}

/* Adds @variant (@len bytes) to @list, longest first, so that a shorter form never breaks
 * up a longer one before it is found. */
static void
add_to (GPtrArray  *list,
        const char *variant,
        gsize       len)
{
  if (len == 0)
    return;

  for (guint i = 0; i < list->len; i++)
    {
      const char *known = g_ptr_array_index (list, i);
      gsize known_len = strlen (known);

      if (known_len == len && g_ascii_strncasecmp (known, variant, len) == 0)
        return;

      if (known_len < len)
        {
          g_ptr_array_insert (list, i, g_strndup (variant, len));
          return;
        }
    }

  g_ptr_array_add (list, g_strndup (variant, len));
}

static void
add_variant (OdRedactor *self,
             const char *variant)
{
  gsize len = strlen (variant);

  /* Short fragments would redact innocent text and protect nothing. */
  if (len >= OD_REDACT_MIN_CHARS)
    add_to (self->variants, variant, len);
}

static void
add_taken (OdRedactor *self,
           char       *variant)
{
  add_variant (self, variant);
  wipe_free (variant);
}

/* Every byte but the RFC 3986 unreserved characters and those in @keep as %XX. */
static char *
percent_encode (const char *secret,
                const char *keep,
                gboolean    space_as_plus)
{
  GString *out = g_string_sized_new (strlen (secret) * 3 + 1);

  for (const guchar *p = (const guchar *)secret; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || strchr ("-._~", *p) != NULL ||
          (*p < 0x80 && *p != ' ' && strchr (keep, *p) != NULL))
        g_string_append_c (out, *p);
      else if (*p == ' ' && space_as_plus)
        g_string_append_c (out, '+');
      else
        g_string_append_printf (out, "%%%02X", *p);
    }

  return g_string_free (out, FALSE);
}

/* Quoted-printable (RFC 2045): printable ASCII as it is but "=", the rest as =XX; a space
 * as itself, as "=20", or (RFC 2047 "Q") as "_". */
static char *
qp_encode (const char *secret,
           const char *space,
           gboolean    q_encoding)
{
  GString *out = g_string_sized_new (strlen (secret) * 3 + 1);

  for (const guchar *p = (const guchar *)secret; *p != '\0'; p++)
    {
      if (*p == ' ')
        g_string_append (out, space);
      else if (*p > ' ' && *p < 0x7f && *p != '=' && !(q_encoding && strchr ("_?", *p)))
        g_string_append_c (out, *p);
      else
        g_string_append_printf (out, "=%02X", *p);
    }

  return g_string_free (out, FALSE);
}

/* The base64 of @secret, and the part of its encoding that stays the same whatever bytes
 * precede it in a longer blob (such as PLAIN's "\0user\0password"), at each alignment. */
static void
add_base64 (OdRedactor *self,
            const char *secret)
{
  gsize len = strlen (secret);

  for (guint offset = 0; offset < 3; offset++)
    {
      g_autofree guchar *buf = g_malloc0 (len + offset);
      g_autofree char *encoded = NULL;
      gsize head, tail, enc_len;

      memcpy (buf + offset, secret, len);
      encoded = g_base64_encode (buf, len + offset);
      enc_len = strlen (encoded);

      /* Characters that depend on the preceding bytes (head) or on what follows (tail) are
       * cut off; what is left appears verbatim in any base64 text that contains @secret at
       * this alignment. */
      head = offset == 0 ? 0 : (offset == 1 ? 2 : 3);
      tail = (len + offset) % 3 == 0 ? 0 : 4;

      if (offset == 0)
        add_variant (self, encoded);

      if (enc_len > head + tail)
        {
          g_autofree char *core = g_strndup (encoded + head, enc_len - head - tail);

          add_variant (self, core);
          memset (core, 0, strlen (core));
        }

      memset (buf, 0, len + offset);
      memset (encoded, 0, enc_len);
    }
}

/* A password too short to look for everywhere: the forms to hide as whole words. */
static void
add_short (OdRedactor *self,
           const char *secret)
{
  g_autofree char *encoded = g_base64_encode ((const guchar *)secret, strlen (secret));

  add_to (self->tokens, secret, strlen (secret));
  if (g_utf8_validate (secret, -1, NULL))
    {
      g_autofree char *upper = g_utf8_strup (secret, -1);
      g_autofree char *lower = g_utf8_strdown (secret, -1);

      add_to (self->tokens, upper, strlen (upper));
      add_to (self->tokens, lower, strlen (lower));
      memset (upper, 0, strlen (upper));
      memset (lower, 0, strlen (lower));
    }
  add_to (self->tokens, encoded, strlen (encoded));
  memset (encoded, 0, strlen (encoded));
}

/**
 * od_redactor_add_secret:
 * @secret: text that must never be shown
 *
 * Registers @secret in every form a server could echo it. A form shorter than
 * %OD_REDACT_MIN_CHARS bytes is not looked for everywhere; a secret of fewer than
 * %OD_REDACT_MIN_CHARS characters is also hidden as a whole word by
 * od_redactor_redact_short().
 */
void
od_redactor_add_secret (OdRedactor *self,
                        const char *secret)
{
  gboolean utf8;

  g_return_if_fail (self != NULL);

  if (secret == NULL || secret[0] == '\0')
    return;

  utf8 = g_utf8_validate (secret, -1, NULL);

  /* Fewer than four characters: also hidden as a word where it can only be the password. */
  if ((utf8 ? (gsize) g_utf8_strlen (secret, -1) : strlen (secret)) < OD_REDACT_MIN_CHARS)
    add_short (self, secret);

  /* Its base64 forms are at least four characters long, however short it is. */
  add_base64 (self, secret);

  /* Texts are sanitized before they are redacted: a secret with a control character or an
   * invisible formatting character in it shows there in its sanitized form, which can be
   * long enough to look for even when the secret is not (one U+202C is three bytes, and
   * shows escaped). */
  add_taken (self, od_text_sanitize (secret, -1, OD_TEXT_KEEP_TAB | OD_TEXT_KEEP_NEWLINE));

  /* Forms shorter than four bytes are never looked for everywhere (add_variant()). */
  if (strlen (secret) < OD_REDACT_MIN_CHARS)
    return;

  /* Texts are valid UTF-8 when they are redacted: a secret that is not is only looked for
   * in its sanitized and encoded forms, which are. */
  if (utf8)
    add_variant (self, secret);
  if (utf8)
    {
      add_taken (self, g_utf8_strup (secret, -1));
      add_taken (self, g_utf8_strdown (secret, -1));
    }

  add_taken (self, percent_encode (secret, "", FALSE));
  add_taken (self, percent_encode (secret, "", TRUE));
  add_taken (self, percent_encode (secret, "!$&'()*+,;=:@/?", FALSE));
  add_taken (self, qp_encode (secret, " ", FALSE));
  add_taken (self, qp_encode (secret, "=20", FALSE));
  add_taken (self, qp_encode (secret, "_", TRUE));
}

gboolean
od_redactor_is_empty (OdRedactor *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  return self->variants->len == 0 && self->tokens->len == 0;
}

/* The length of the longest form: a text cut shorter than that may end inside one. */
gsize
od_redactor_get_longest (OdRedactor *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->variants->len > 0 ? strlen (g_ptr_array_index (self->variants, 0)) : 0;
}

/* The length of the form that starts at @pos of @text, or 0. The forms are valid UTF-8 or
 * ASCII, so a match never starts inside a character of a valid UTF-8 @text, and ignoring
 * ASCII case never makes it end inside one. */
static gsize
match_at (GPtrArray  *list,
          const char *text,
          gsize       len,
          gsize       pos)
{
  for (guint i = 0; i < list->len; i++)
    {
      const char *variant = g_ptr_array_index (list, i);
      gsize vlen = strlen (variant);

      if (pos + vlen <= len && g_ascii_strncasecmp (text + pos, variant, vlen) == 0)
        return vlen;
    }

  return 0;
}

/**
 * od_redactor_redact:
 * @text: any text (valid UTF-8 stays valid)
 *
 * Returns: (transfer full): @text with every form of every secret replaced by
 *   %OD_REDACTED
 */
char *
od_redactor_redact (OdRedactor *self,
                    const char *text)
{
  gsize len, pos = 0;
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  len = strlen (text);
  out = g_string_sized_new (len + 1);

  /* One pass, longest form first. Never loop until nothing changes: a password made of
   * asterisks would match its own replacement forever. */
  while (pos < len)
    {
      gsize m = match_at (self->variants, text, len, pos);

      if (m > 0)
        {
          g_string_append (out, OD_REDACTED);
          pos += m;
        }
      else
        g_string_append_c (out, text[pos++]);
    }

  return g_string_free (out, FALSE);
}

/**
 * od_redactor_redact_cut:
 * @text: a text that was cut short at its end
 *
 * Returns: (transfer full): @text redacted, and also what is left at its end of a form
 *   that the cut broke off (any start of a form, however short)
 */
char *
od_redactor_redact_cut (OdRedactor *self,
                        const char *text)
{
  g_autofree char *redacted = NULL;
  gsize len;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  redacted = od_redactor_redact (self, text);
  len = strlen (redacted);

  for (guint i = 0; i < self->variants->len; i++)
    {
      const char *variant = g_ptr_array_index (self->variants, i);
      gsize vlen = strlen (variant);

      for (gsize k = MIN (vlen - 1, len); k > 0; k--)
        {
          if (g_ascii_strncasecmp (redacted + len - k, variant, k) == 0)
            {
              g_autoptr(GString) out = g_string_new_len (redacted, len - k);

              g_string_append (out, OD_REDACTED);
              return g_string_free (g_steal_pointer (&out), FALSE);
            }
        }
    }

  return g_steal_pointer (&redacted);
}

/* Where a byte of the joined text came from; @line -1 for a separator. */
typedef struct
{
  int   line;
  gsize offset;
} Origin;

/* Marks what the forms cover in @lines (after @skips bytes of each) read as one text,
 * joined by @separator: a form the server broke across lines is found too. */
static void
mark_joined (OdRedactor          *self,
             const char * const  *lines,
             const gsize         *skips,
             const char          *separator,
             GPtrArray           *marks)
{
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(GArray) origins = g_array_new (FALSE, FALSE, sizeof (Origin));

  for (guint i = 0; lines[i] != NULL; i++)
    {
      gsize skip = skips ? MIN (skips[i], strlen (lines[i])) : 0;

      for (const char *s = separator; i > 0 && *s != '\0'; s++)
        {
          Origin none = { -1, 0 };

          g_string_append_c (joined, *s);
          g_array_append_val (origins, none);
        }

      for (gsize j = skip; lines[i][j] != '\0'; j++)
        {
          Origin origin = { (int) i, j };

          g_string_append_c (joined, lines[i][j]);
          g_array_append_val (origins, origin);
        }
    }

  for (gsize pos = 0; pos < joined->len;)
    {
      gsize m = match_at (self->variants, joined->str, joined->len, pos);

      if (m == 0)
        {
          pos++;
          continue;
        }

      for (gsize k = pos; k < pos + m; k++)
        {
          const Origin *origin = &g_array_index (origins, Origin, k);

          if (origin->line >= 0)
            ((gboolean *) g_ptr_array_index (marks, origin->line))[origin->offset] = TRUE;
        }
      pos += m;
    }

  memset (joined->str, 0, joined->len);
}

/**
 * od_redactor_redact_lines:
 * @lines: the lines of one reply
 * @skips: (nullable) (array): for each line, how many bytes at its start are not part of
 *   the text (an enhanced status code): what follows is read as one text across lines
 *
 * Redacts the lines as a whole: a secret split across lines (the end of one, the start of
 * the next, with or without a space between) is hidden in both.
 *
 * Returns: (transfer full): the redacted lines
 */
char **
od_redactor_redact_lines (OdRedactor          *self,
                          const char * const  *lines,
                          const gsize         *skips)
{
  g_autoptr(GPtrArray) marks = g_ptr_array_new_with_free_func (g_free);
  guint n;
  char **out;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (lines != NULL, NULL);

  n = g_strv_length ((char **)lines);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (marks, g_new0 (gboolean, strlen (lines[i]) + 1));

  if (n > 0 && self->variants->len > 0)
    {
      mark_joined (self, lines, skips, "", marks);
      mark_joined (self, lines, skips, " ", marks);

      /* A skip takes every blank after the code; a secret that starts with blanks at a line
       * start has them too: the same with the skip ending after the first blank. */
      if (skips != NULL)
        {
          g_autofree gsize *tight = g_new0 (gsize, n);
          gboolean differs = FALSE;

          for (guint i = 0; i < n; i++)
            {
              /* A skip longer than its line means the whole line, as in mark_joined(). */
              tight[i] = MIN (skips[i], strlen (lines[i]));
              while (tight[i] >= 2 && g_ascii_isspace (lines[i][tight[i] - 1])
                     && g_ascii_isspace (lines[i][tight[i] - 2]))
                tight[i]--;
              differs |= tight[i] != MIN (skips[i], strlen (lines[i]));
            }
          if (differs)
            mark_joined (self, lines, tight, "", marks);
        }
    }

  out = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      const gboolean *mark = g_ptr_array_index (marks, i);
      GString *line = g_string_new (NULL);

      for (gsize j = 0; lines[i][j] != '\0'; j++)
        {
          if (!mark[j])
            g_string_append_c (line, lines[i][j]);
          else if (j == 0 || !mark[j - 1])
            g_string_append (line, OD_REDACTED);
        }

      out[i] = g_string_free (line, FALSE);
    }

  return out;
}

/* Letters, digits and anything not ASCII belong to a word. */
static gboolean
is_word_byte (char c)
{
  return g_ascii_isalnum (c) || (guchar) c >= 0x80;
}

/**
 * od_redactor_redact_short:
 * @text: text where a short password can only be the password (the reply to a login)
 *
 * Only the short forms: call it on text that od_redactor_redact() or
 * od_redactor_redact_lines() already went through, or will.
 *
 * Returns: (transfer full): @text with every whole-word occurrence of a password shorter
 *   than %OD_REDACT_MIN_CHARS characters (as typed, in either case, or in base64)
 *   replaced by %OD_REDACTED
 */
char *
od_redactor_redact_short (OdRedactor *self,
                          const char *text)
{
  gsize len, pos = 0;
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  len = strlen (text);
  out = g_string_sized_new (len + 1);

  while (pos < len)
    {
      gsize m = 0;

      if (pos == 0 || !is_word_byte (text[pos - 1]))
        {
          m = match_at (self->tokens, text, len, pos);
          if (m > 0 && pos + m < len && is_word_byte (text[pos + m]))
            m = 0;
        }

      if (m > 0)
        {
          g_string_append (out, OD_REDACTED);
          pos += m;
        }
      else
        g_string_append_c (out, text[pos++]);
    }

  return g_string_free (out, FALSE);
}
