/* fuzz-pop3-reply.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The POP3 response parser and CAPA parsing against arbitrary server bytes: the one-shot
 * parser in both modes and the line-by-line one a session uses, with the invariants every
 * caller relies on. The first byte chooses single-line or multi-line for the line-by-line
 * run, as the command would. */

#include "config.h"

#include <string.h>

#include "od-fuzz.h"
#include "od-pop3-capabilities.h"
#include "od-pop3-reply.h"

static void
check_text (const char *text)
{
  /* Server text is shown and put in JSON: valid UTF-8 without control characters. */
  g_assert (text != NULL);
  g_assert (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p; p++)
    g_assert ((guchar)*p >= 0x20 || *p == '\t');
  g_assert (strlen (text) <= 3 * OD_POP3_MAX_LINE_LENGTH + 8);
}

static void
check_reply (const OdPop3Reply *reply)
{
  const char * const *lines = od_pop3_reply_get_lines (reply);
  const char *code = od_pop3_reply_get_response_code (reply);
  OdPop3Status status = od_pop3_reply_get_status (reply);
  g_autofree char *shown = od_pop3_reply_to_string (reply);
  g_autoptr(OdPop3Capabilities) caps = NULL;
  guint n_lines = 0;

  g_assert (status <= OD_POP3_STATUS_CONTINUATION);
  check_text (od_pop3_reply_get_line (reply));
  check_text (od_pop3_reply_get_status_text (reply));
  check_text (od_pop3_reply_get_text (reply));
  g_assert (g_str_has_suffix (od_pop3_reply_get_status_text (reply),
                              od_pop3_reply_get_text (reply)));

  for (; lines[n_lines] != NULL; n_lines++)
    check_text (lines[n_lines]);
  g_assert (n_lines <= OD_POP3_DEFAULT_MAX_LINES);
  g_assert (n_lines == 0 || status == OD_POP3_STATUS_OK);

  if (code != NULL)
    {
      g_assert (status != OD_POP3_STATUS_CONTINUATION);
      g_assert (code[0] != '\0' && strchr (code, ' ') == NULL && strchr (code, ']') == NULL);
    }

  g_assert (od_pop3_reply_get_error_code (reply) >= OD_POP3_ERROR_REFUSED);
  g_assert (g_utf8_validate (shown, -1, NULL));
  g_assert (g_str_has_prefix (shown, "+") || g_str_has_prefix (shown, "-ERR"));

  caps = od_pop3_capabilities_new_from_reply (reply);
  g_assert (caps->sasl_mechanisms != NULL);
  for (guint i = 0; caps->sasl_mechanisms[i] != NULL; i++)
    g_assert (caps->sasl_mechanisms[i][0] != '\0');
  if (caps->implementation != NULL)
    check_text (caps->implementation);
  (void)od_pop3_capabilities_has_sasl (caps, "PLAIN");
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  od_fuzz_init ();
  return 0;
}

static void
parse_all (const char *input,
           gsize       size,
           gboolean    multiline)
{
  gsize pos = 0;

  while (pos < size)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OdPop3Reply) reply = NULL;
      gsize consumed = 0;

      reply = od_pop3_reply_parse (input + pos, size - pos, multiline, &consumed, &error);
      if (reply == NULL)
        {
          g_assert (consumed == 0);
          g_assert (error == NULL || error->domain == OD_POP3_ERROR);
          break;
        }

      g_assert (error == NULL);
      g_assert (consumed > 0 && consumed <= size - pos);
      check_reply (reply);
      pos += consumed;
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(OdPop3ReplyParser) parser = od_pop3_reply_parser_new ();
  const char *input = (const char *)data;
  gboolean multiline = size > 0 && (data[0] & 1);
  gsize pos = 0;

  parse_all (input, size, FALSE);
  parse_all (input, size, TRUE);

  /* Line by line, as a session feeds it; errors reset the parser and parsing goes on. */
  while (pos < size)
    {
      const char *nl = memchr (input + pos, '\n', size - pos);
      gsize len = nl ? (gsize)(nl - (input + pos)) : size - pos;
      g_autoptr(GError) error = NULL;
      g_autoptr(OdPop3Reply) reply = NULL;

      if (!od_pop3_reply_parser_in_multiline (parser))
        od_pop3_reply_parser_expect_multiline (parser, multiline);

      if (od_pop3_reply_parser_feed_line (parser, input + pos, len, &reply, &error))
        {
          g_assert (error == NULL);
          if (reply != NULL)
            check_reply (reply);
        }
      else
        {
          g_assert (reply == NULL);
          g_assert (error != NULL && error->domain == OD_POP3_ERROR);
          g_assert (!od_pop3_reply_parser_in_multiline (parser));
        }

      pos += len + 1;
    }

  return 0;
}
