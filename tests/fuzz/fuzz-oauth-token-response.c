/* fuzz-oauth-token-response.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A token endpoint's answer (RFC 6749 §5.1, §5.2; RFC 8628 §3.5) against arbitrary bytes, as
 * od_oauth_tokens_parse_response() reads it after a 200, a 400 and a 503, and as the device
 * flow's polling reads it. Either tokens or an error, never both; tokens are printable ASCII;
 * the error is ours, its message valid UTF-8 on one line. */

#include "config.h"

#include <string.h>

#include "od-fuzz.h"
#include "od-oauth.h"
#include "od-oauth-private.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  od_fuzz_init ();
  return 0;
}

static void
check (OdOAuthTokens *tokens,
       GError        *error,
       gboolean       polling)
{
  g_assert ((tokens == NULL) != (error == NULL));

  if (tokens != NULL)
    {
      g_assert (od_oauth_is_token_text (tokens->access_token));
      g_assert (tokens->refresh_token == NULL || od_oauth_is_token_text (tokens->refresh_token));
      g_assert (tokens->scope == NULL || g_utf8_validate (tokens->scope, -1, NULL));
      g_assert (tokens->expires_at >= 0);
      return;
    }

  g_assert (error->domain == OD_OAUTH_ERROR);
  g_assert ((error->code >= OD_OAUTH_ERROR_NO_CLIENT_ID &&
             error->code <= OD_OAUTH_ERROR_INSECURE) ||
            (polling && (error->code == (int)OD_OAUTH_ERROR_PRIVATE_PENDING ||
                         error->code == (int)OD_OAUTH_ERROR_PRIVATE_SLOW_DOWN)));
  g_assert (g_utf8_validate (error->message, -1, NULL));
  g_assert (strchr (error->message, '\n') == NULL);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  const guint statuses[] = { 200, 400, 503 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OdOAuthTokens) tokens = NULL;

      tokens = od_oauth_tokens_parse_response (statuses[i], body, &error);
      check (tokens, error, FALSE);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(OdOAuthTokens) tokens = od_oauth_tokens_parse_polling (400, body, &error);

    check (tokens, error, TRUE);
  }

  return 0;
}
