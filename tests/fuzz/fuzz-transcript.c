/* fuzz-transcript.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Redaction against arbitrary secrets and text: once a secret is registered, no entry shows
 * it, in plain text or base64, whatever surrounds it, however long the entry is, and the
 * entries stay bounded, valid UTF-8 and free of control characters.
 *
 * Input: SECRET NUL TEXT. The secret is also planted in the text at a position taken from
 * the input, so every run tests a secret that is really there. */

#include "config.h"

#include <string.h>

#include "od-fuzz.h"
#include "od-text.h"
#include "od-transcript.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  od_fuzz_init ();
  return 0;
}

/* What od-transcript.c shows of a text: valid UTF-8, controls but tab and LF as "?",
 * invisible formatting escaped (od-text.c, tested on its own in test-transcript.c). */
static char *
sanitize (const char *text)
{
  return od_text_sanitize (text, -1, OD_TEXT_KEEP_TAB | OD_TEXT_KEEP_NEWLINE);
}

static void
assert_absent (const char *haystack,
               const char *needle)
{
  if (strlen (needle) >= 4)
    g_assert (strstr (haystack, needle) == NULL);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(GString) text = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *b64 = NULL;
  g_autofree char *all = NULL;
  const char *nul;
  gsize secret_len, at;

  nul = memchr (data, '\0', size);
  if (nul == NULL)
    return 0;

  secret_len = nul - (const char *)data;
  /* Passwords are valid UTF-8: the CLI and the keyring refuse anything else. */
  if (!g_utf8_validate ((const char *)data, secret_len, NULL))
    return 0;
  secret = g_strndup ((const char *)data, secret_len);

  text = g_string_new_len (nul + 1, size - secret_len - 1);
  /* NUL ends a C string: keep the text as one, as every caller passes it. */
  for (gsize i = 0; i < text->len; i++)
    if (text->str[i] == '\0')
      text->str[i] = ' ';

  at = text->len ? (guint8)text->str[0] * 37 % (text->len + 1) : 0;
  if (g_utf8_validate (text->str, text->len, NULL))
    {
      /* Plant it on a character boundary, so the text stays valid and the secret intact. */
      while (at > 0 && !g_utf8_validate (text->str, at, NULL))
        at--;
      g_string_insert (text, at, secret);
    }

  b64 = g_base64_encode ((const guchar *)secret, secret_len);
  od_transcript_add_secret (transcript, secret);
  od_transcript_append (transcript, OD_TRANSCRIPT_SERVER, FALSE, text->str);
  od_transcript_append (transcript, OD_TRANSCRIPT_CLIENT, TRUE, b64);

  for (guint i = 0; i < od_transcript_get_length (transcript); i++)
    {
      const char *entry = od_transcript_get_entry (transcript, i)->text;

      g_assert (strlen (entry) <= 2048);
      g_assert (g_utf8_validate (entry, -1, NULL));
      for (const char *p = entry; *p; p++)
        g_assert ((guchar)*p >= 0x20 || *p == '\n' || *p == '\t');
    }

  /* A secret with "*" in it can line up with the redaction marker ("********") next to it:
   * only the characters that were already visible around the marker remain. */
  if (strchr (secret, '*') == NULL)
    {
      g_autofree char *shown = sanitize (secret);

      for (guint i = 0; i < od_transcript_get_length (transcript); i++)
        {
          const char *entry = od_transcript_get_entry (transcript, i)->text;

          assert_absent (entry, secret);
          assert_absent (entry, shown);
          assert_absent (entry, b64);
        }
    }

  /* Cut short after redaction, never before: the first entry is the start of the whole
   * redacted text, as long as the limit allows. */
  {
    g_autofree char *shown = sanitize (text->str);
    g_autofree char *full = od_transcript_redact (transcript, shown);
    const char *entry = od_transcript_get_entry (transcript, 0)->text;
    gsize len = strlen (entry);

    g_assert (strncmp (full, entry, len) == 0);
    g_assert (len == strlen (full) || len + 4 > 2048);
  }

  all = od_transcript_to_text (transcript);
  g_assert (g_utf8_validate (all, -1, NULL));

  /* The text as the lines of one reply, redacted as a whole (a secret split across lines),
   * and as the reply to a login (a short secret as a word): still valid UTF-8, and no line
   * shows the secret after its skipped start. */
  {
    g_autofree char *shown = sanitize (text->str);
    g_auto(GStrv) lines = g_strsplit (shown, "\n", 16);
    g_autofree gsize *skips = g_new0 (gsize, g_strv_length (lines) + 1);
    g_auto(GStrv) redacted = NULL;

    for (guint i = 0; lines[i] != NULL; i++)
      skips[i] = (guint8)secret[0] % 5;
    redacted = od_transcript_redact_lines (transcript, (const char * const *)lines, skips);
    for (guint i = 0; redacted[i] != NULL; i++)
      {
        /* The skipped start (an enhanced status code in a reply) is left as it is. */
        gsize skip = MIN (skips[i], strlen (lines[i]));
        g_autofree char *word = od_transcript_redact_short (transcript, redacted[i]);

        g_assert (g_utf8_validate (redacted[i], -1, NULL));
        g_assert (g_utf8_validate (word, -1, NULL));
        g_assert (strncmp (redacted[i], lines[i], skip) == 0);
        if (strchr (secret, '*') == NULL && strchr (secret, '\n') == NULL)
          {
            assert_absent (redacted[i] + skip, secret);
            assert_absent (word + skip, secret);
          }
      }
  }

  return 0;
}
