/* fuzz-auth-results.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A fetched message header (GMime) and its Authentication-Results (RFC 8601) against
 * arbitrary bytes: the whole header through od_mail_header_parse(), and the input as one
 * header value, with the invariants the round trip relies on. */

#include "config.h"

#include <string.h>

#include "od-auth-results.h"
#include "od-fuzz.h"

static void
check_results (const OdAuthResults *results)
{
  g_autoptr(JsonNode) json = od_auth_results_to_json (results);

  g_assert (json != NULL);
  g_assert (results->n_ignored <= results->n_headers);
  /* The authserv-id is shown and put in JSON: valid UTF-8 without control characters. */
  if (results->authserv_id != NULL)
    {
      g_assert (g_utf8_validate (results->authserv_id, -1, NULL));
      for (const char *p = results->authserv_id; *p; p++)
        g_assert ((guchar)*p >= 0x20);
    }
  for (guint m = 0; m < OD_N_AUTH_METHODS; m++)
    {
      g_autofree char *line = od_auth_results_explain (results, m);

      g_assert ((line != NULL) == od_auth_results_has_failure (results, m));
      g_assert (results->verdicts[m] <= OD_AUTH_VERDICT_OTHER);
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
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GPtrArray) values = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *value = g_strndup ((const char *)data, size);

  if (od_mail_header_parse (bytes, &message_id, &values, NULL))
    {
      g_autoptr(OdAuthResults) topmost = od_auth_results_choose (values, NULL);
      g_autoptr(OdAuthResults) named = od_auth_results_choose (values, "mx.example.net");

      check_results (topmost);
      check_results (named);
      g_assert (topmost->n_headers == values->len);
    }

  /* The input as one header value (up to its first NUL). */
  {
    g_autoptr(OdAuthResults) results = od_auth_results_new ();

    od_auth_results_add_header (results, value, NULL);
    check_results (results);
  }

  return 0;
}
