/* od-text.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-text"

#include "config.h"

#include <string.h>

#include "od-text.h"

/* Text that comes from outside (server replies, certificates, autoconfig documents, files a
 * person can edit) is shown on terminals, in logs, in JSON and in the window. Invalid UTF-8
 * could break all of them, control characters (ESC, BEL, the C1 controls such as U+009B
 * CSI) would let a server rewrite the user's terminal, and invisible formatting characters
 * (the bidirectional overrides U+202A–U+202E and isolates U+2066–U+2069, zero-width
 * characters, U+FEFF) would let it show text other than what it sent ("Trojan Source"):
 * those are shown escaped, as "\u202E". */

static gboolean
is_control (gunichar    c,
            OdTextFlags flags)
{
  if (c == '\t')
    return !(flags & OD_TEXT_KEEP_TAB);
  if (c == '\n')
    return !(flags & OD_TEXT_KEEP_NEWLINE);

  return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

/* Unicode's format characters (category Cf) draw nothing and change how the text around
 * them is shown. */
static gboolean
is_invisible (gunichar c)
{
  return g_unichar_type (c) == G_UNICODE_FORMAT;
}

/**
 * od_text_sanitize:
 * @text: any bytes
 * @len: the length of @text, or -1 if it is nul-terminated
 * @flags: which of tab and line feed may stay
 *
 * Makes @text safe to show: invalid UTF-8 becomes U+FFFD, every C0 control character
 * (except those @flags keep), DEL and every C1 control character becomes "?", and every
 * invisible formatting character (bidirectional controls, zero-width characters) is shown
 * escaped, as "\u202E". Intermediate copies are wiped, as @text may be a password.
 *
 * Returns: (transfer full): valid UTF-8 without control characters
 */
char *
od_text_sanitize (const char  *text,
                  gssize       len,
                  OdTextFlags  flags)
{
  g_autofree char *valid = NULL;
  GString *out;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, len);
  /* Large enough for @valid, so that text without invisible characters (a password among
   * it) is never reallocated and no copy is left in freed memory. */
  out = g_string_sized_new (strlen (valid) + 1);

  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_control (c, flags))
        g_string_append_c (out, '?');
      else if (is_invisible (c))
        g_string_append_printf (out, c > 0xffff ? "\\U%08X" : "\\u%04X", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }

  memset (valid, 0, strlen (valid));

  return g_string_free (out, FALSE);
}

/**
 * od_text_is_clean:
 * @text: any bytes
 * @len: the length of @text, or -1 if it is nul-terminated
 * @flags: which of tab and line feed may be there
 *
 * Returns: %TRUE if @text is valid UTF-8 without the control and invisible formatting
 *   characters that od_text_sanitize() replaces (and without nul bytes within @len)
 */
gboolean
od_text_is_clean (const char  *text,
                  gssize       len,
                  OdTextFlags  flags)
{
  const char *end;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);

  if (text == NULL)
    return TRUE;

  if (!g_utf8_validate (text, len, &end) || (len >= 0 && end != text + len))
    return FALSE;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_control (c, flags) || is_invisible (c))
        return FALSE;
    }

  return TRUE;
}
