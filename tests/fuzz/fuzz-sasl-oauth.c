/* fuzz-sasl-oauth.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The error challenge of XOAUTH2 and OAUTHBEARER against arbitrary server bytes, as the
 * sessions read it: the input as the challenge's text (base64 or anything else), and the
 * input base64-encoded, so that the JSON reader sees every byte. Whatever is read is valid
 * UTF-8. */

#include "config.h"

#include <string.h>

#include "od-fuzz.h"
#include "od-sasl-oauth.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  od_fuzz_init ();
  return 0;
}

static void
check (const OdSaslOAuthError *error)
{
  if (error == NULL)
    return;
  g_assert (error->status == NULL || g_utf8_validate (error->status, -1, NULL));
  g_assert (error->scope == NULL || g_utf8_validate (error->scope, -1, NULL));
  g_assert (error->schemes == NULL || g_utf8_validate (error->schemes, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *)data, size);
  g_autofree char *encoded = g_base64_encode (data, size);
  g_autoptr(OdSaslOAuthError) direct = od_sasl_oauth_error_parse (text);
  g_autoptr(OdSaslOAuthError) decoded = od_sasl_oauth_error_parse (encoded);
  g_autoptr(OdSaslOAuthError) copy = od_sasl_oauth_error_copy (decoded);

  check (direct);
  check (decoded);
  check (copy);
  return 0;
}
