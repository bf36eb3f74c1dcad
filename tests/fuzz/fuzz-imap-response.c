/* fuzz-imap-response.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The IMAP response parser against arbitrary server bytes: fed whole and in small pieces as
 * a session feeds it, with the invariants every caller relies on, and what is read from the
 * responses (capabilities, quota, the words of an error). */

#include "config.h"

#include <string.h>

#include "od-fuzz.h"
#include "od-imap-capabilities.h"
#include "od-imap-response.h"

static void
check_text (const char *text)
{
  g_assert (text != NULL);
  /* Server text is shown and put in JSON: valid UTF-8 without control characters. */
  g_assert (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p; p++)
    g_assert ((guchar)*p >= 0x20 || *p == '\t');
}

static void
check_response (const OdImapResponse *response)
{
  g_autofree char *words = od_imap_response_describe (response);
  g_autoptr(OdImapCapabilities) caps = od_imap_capabilities_new_from_response (response);
  OdImapResponseKind kind = od_imap_response_get_kind (response);
  gsize total = 0;
  OdImapQuota quota;

  check_text (od_imap_response_get_text (response));
  check_text (od_imap_response_get_data (response));
  check_text (od_imap_response_get_line (response));
  check_text (words);
  if (od_imap_response_get_code_args (response) != NULL)
    check_text (od_imap_response_get_code_args (response));

  g_assert ((kind == OD_IMAP_RESPONSE_TAGGED) == (od_imap_response_get_tag (response) != NULL));
  g_assert ((kind == OD_IMAP_RESPONSE_CONTINUATION) ==
            (od_imap_response_get_keyword (response) == NULL));
  if (kind == OD_IMAP_RESPONSE_TAGGED)
    g_assert (od_imap_response_get_status (response) == OD_IMAP_STATUS_OK ||
              od_imap_response_get_status (response) == OD_IMAP_STATUS_NO ||
              od_imap_response_get_status (response) == OD_IMAP_STATUS_BAD);

  g_assert (od_imap_response_get_n_literals (response) <= OD_IMAP_MAX_LITERALS);
  for (guint i = 0; i < od_imap_response_get_n_literals (response); i++)
    {
      gsize size = g_bytes_get_size (od_imap_response_get_literal (response, i));

      g_assert (size <= OD_IMAP_MAX_LITERAL_SIZE);
      total += size;
    }
  g_assert (total <= OD_IMAP_MAX_RESPONSE_SIZE);

  if (caps != NULL)
    {
      for (guint i = 0; caps->names[i] != NULL; i++)
        g_assert (od_imap_capabilities_has (caps, caps->names[i]));
    }

  if (od_imap_quota_parse (response, &quota))
    g_assert (g_strcmp0 (od_imap_response_get_keyword (response), "QUOTA") == 0);
  (void)od_imap_response_error_code (response);
}

static void
feed_all (const char *input,
          gsize       size,
          gsize       piece)
{
  g_autoptr(OdImapResponseParser) parser = od_imap_response_parser_new ();
  gsize pos = 0;

  while (pos < size)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OdImapResponse) response = NULL;
      gsize len = MIN (piece, size - pos);
      gsize consumed = 0;

      if (!od_imap_response_parser_feed (parser, input + pos, len, &consumed, &response, &error))
        {
          g_assert (response == NULL);
          g_assert (error != NULL && error->domain == OD_IMAP_ERROR);
          g_assert (od_imap_response_parser_is_idle (parser));
          /* A session gives up here; the fuzzer goes on after the bad byte. */
          pos += MAX (consumed, 1);
          continue;
        }

      g_assert (error == NULL);
      g_assert (consumed <= len);
      g_assert (consumed == len || response != NULL);
      if (response != NULL)
        check_response (response);
      pos += consumed;
    }
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
  const char *input = (const char *)data;

  feed_all (input, size, size > 0 ? size : 1);
  feed_all (input, size, 7);
  feed_all (input, size, 1);

  return 0;
}
