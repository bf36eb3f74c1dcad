/* fuzz-smtp-reply.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The SMTP reply parser against arbitrary server bytes: both the one-shot parser and the
 * line-by-line one a session uses, with the invariants every caller relies on. */

#include "config.h"

#include <string.h>

#include "od-fuzz.h"
#include "od-smtp-reply.h"

static void
check_reply (const OdSmtpReply *reply)
{
  const char * const *lines = od_smtp_reply_get_lines (reply);
  const char *enhanced = od_smtp_reply_get_enhanced_code (reply);
  guint code = od_smtp_reply_get_code (reply);
  g_autofree char *text = NULL;
  g_autofree char *shown = NULL;
  guint n_lines = 0;

  g_assert (code >= 100 && code <= 999);
  g_assert (lines != NULL && lines[0] != NULL);

  for (; lines[n_lines] != NULL; n_lines++)
    {
      /* Server text is shown and put in JSON: valid UTF-8 without control characters. */
      g_assert (g_utf8_validate (lines[n_lines], -1, NULL));
      for (const char *p = lines[n_lines]; *p; p++)
        g_assert ((guchar)*p >= 0x20 || *p == '\t');
      g_assert (strlen (lines[n_lines]) <= 3 * OD_SMTP_MAX_LINE_LENGTH);
    }
  g_assert (n_lines <= OD_SMTP_MAX_REPLY_LINES);

  if (enhanced != NULL)
    {
      g_assert ((guint)(enhanced[0] - '0') == code / 100);
      g_assert (g_str_has_prefix (lines[0], enhanced));
    }

  g_assert (od_smtp_reply_is_positive (reply) + od_smtp_reply_is_transient (reply) +
            od_smtp_reply_is_permanent (reply) <= 1);

  text = od_smtp_reply_get_text (reply);
  shown = od_smtp_reply_to_string (reply);
  g_assert (g_utf8_validate (text, -1, NULL));
  g_assert (g_str_has_prefix (shown, "1") || g_str_has_prefix (shown, "2") ||
            g_str_has_prefix (shown, "3") || g_str_has_prefix (shown, "4") ||
            g_str_has_prefix (shown, "5") || g_str_has_prefix (shown, "6") ||
            g_str_has_prefix (shown, "7") || g_str_has_prefix (shown, "8") ||
            g_str_has_prefix (shown, "9"));
  (void)od_smtp_reply_has_text (reply, "starttls");
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  od_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(OdSmtpReplyParser) parser = od_smtp_reply_parser_new ();
  const char *input = (const char *)data;
  gsize pos = 0;

  /* One-shot: every complete reply in the input, one after the other. */
  while (pos < size)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OdSmtpReply) reply = NULL;
      gsize consumed = 0;

      reply = od_smtp_reply_parse (input + pos, size - pos, &consumed, &error);
      if (reply == NULL)
        {
          g_assert (consumed == 0);
          g_assert (error == NULL || error->domain == OD_SMTP_ERROR);
          break;
        }

      g_assert (error == NULL);
      g_assert (consumed > 0 && consumed <= size - pos);
      check_reply (reply);
      pos += consumed;
    }

  /* Line by line, as a session feeds it; errors reset the parser and parsing goes on. */
  pos = 0;
  while (pos < size)
    {
      const char *nl = memchr (input + pos, '\n', size - pos);
      gsize len = nl ? (gsize)(nl - (input + pos)) : size - pos;
      g_autoptr(GError) error = NULL;
      g_autoptr(OdSmtpReply) reply = NULL;

      if (od_smtp_reply_parser_feed_line (parser, input + pos, len, &reply, &error))
        {
          g_assert (error == NULL);
          if (reply != NULL)
            check_reply (reply);
        }
      else
        {
          g_assert (reply == NULL);
          g_assert (error != NULL && error->domain == OD_SMTP_ERROR);
        }

      pos += len + 1;
    }

  return 0;
}
