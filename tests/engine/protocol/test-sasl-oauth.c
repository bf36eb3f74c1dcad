/* test-sasl-oauth.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* XOAUTH2 and OAUTHBEARER: the client's response byte for byte (Google's documentation and
 * RFC 7628 §3.1, with the GS2 escapes of RFC 5801), the answer to an error challenge, and the
 * error challenge read from what servers send, hostile ones included. */

#include "config.h"

#include <string.h>

#include "od-sasl-oauth.h"

static char *
decoded (const char *b64)
{
  gsize len = 0;
  guchar *bytes = g_base64_decode (b64, &len);
  char *text = g_strndup ((const char *)bytes, len);

  g_free (bytes);
  return text;
}

static void
test_responses (void)
{
  g_autofree char *xoauth2 = od_sasl_oauth_response ("XOAUTH2", "ada@example.org", "smtp.example.org",
                                                     587, "tok");
  g_autofree char *bearer = od_sasl_oauth_response ("oauthbearer", "a,b=c@example.org",
                                                    "smtp.example.org", 587, "tok");
  g_autofree char *x = decoded (xoauth2);
  g_autofree char *b = decoded (bearer);

  /* Google's example form. */
  g_assert_cmpstr (x, ==, "user=ada@example.org\001auth=Bearer tok\001\001");
  /* RFC 7628 §3.1, the authzid's "," and "=" escaped (RFC 5801). */
  g_assert_cmpstr (b, ==, "n,a=a=2Cb=3Dc@example.org,\001host=smtp.example.org\001port=587\001"
                          "auth=Bearer tok\001\001");

  g_assert_cmpstr (od_sasl_oauth_error_reply ("XOAUTH2"), ==, "");
  g_assert_cmpstr (od_sasl_oauth_error_reply ("OAUTHBEARER"), ==, "AQ==");
  g_assert_true (od_sasl_oauth_is_mechanism ("xoauth2"));
  g_assert_false (od_sasl_oauth_is_mechanism ("PLAIN"));
  g_assert_false (od_sasl_oauth_is_mechanism (NULL));
}

static char *
encode (const char *text)
{
  return g_base64_encode ((const guchar *)text, strlen (text));
}

static void
test_error_challenge (void)
{
  g_autofree char *google = encode ("{\"status\":\"401\",\"schemes\":\"Bearer\","
                                    "\"scope\":\"https://mail.google.com/\"}");
  g_autofree char *rfc = encode ("{\"status\":\"invalid_token\",\"scope\":\"example_scope\","
                                 "\"openid-configuration\":\"https://example.com/.well-known/"
                                 "openid-configuration\"}");
  g_autofree char *number = encode ("{\"status\":403}");
  g_autoptr(OdSaslOAuthError) a = od_sasl_oauth_error_parse (google);
  g_autoptr(OdSaslOAuthError) b = od_sasl_oauth_error_parse (rfc);
  g_autoptr(OdSaslOAuthError) c = od_sasl_oauth_error_parse (number);
  g_autoptr(OdSaslOAuthError) copy = od_sasl_oauth_error_copy (a);

  g_assert_cmpstr (a->status, ==, "401");
  g_assert_cmpstr (a->schemes, ==, "Bearer");
  g_assert_cmpstr (a->scope, ==, "https://mail.google.com/");
  g_assert_cmpstr (b->status, ==, "invalid_token");
  g_assert_null (b->schemes);
  g_assert_cmpstr (c->status, ==, "403");
  g_assert_cmpstr (copy->scope, ==, a->scope);
}

/* What a hostile or broken server may send instead: nothing is read, nothing breaks. */
static void
test_error_challenge_hostile (void)
{
  g_autofree char *array = encode ("[\"status\"]");
  g_autofree char *not_json = encode ("status=401");
  g_autofree char *nul = g_base64_encode ((const guchar *)"{\"status\":\"4\0\"}", 15);
  g_autofree char *bad_utf8 = encode ("{\"status\":\"\xff\xfe\"}");
  g_autofree char *nested = encode ("{\"status\":{\"a\":[1,2,3]},\"scope\":null}");
  g_autoptr(GString) huge = g_string_new (NULL);
  const char *garbage[] = { "", " ", "!!!!", "e30", "\xff", "AAAA" };
  g_autoptr(OdSaslOAuthError) odd = NULL;

  g_assert_null (od_sasl_oauth_error_parse (NULL));
  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    g_assert_null (od_sasl_oauth_error_parse (garbage[i]));
  g_assert_null (od_sasl_oauth_error_parse (array));
  g_assert_null (od_sasl_oauth_error_parse (not_json));
  g_assert_null (od_sasl_oauth_error_parse (nul));

  /* Not one object: a value before it (json-glib would read two statements), one after it,
   * two objects. Found by fuzzing (a leak inside json-glib). */
  {
    const char *several[] = { "2{\"status\":403,\"scope\":null}", "{\"status\":\"401\"}x",
                              "{\"status\":\"401\"}{\"status\":\"400\"}", " {\"a\":1} }" };

    for (guint i = 0; i < G_N_ELEMENTS (several); i++)
      {
        g_autofree char *encoded = g_base64_encode ((const guchar *) several[i],
                                                    strlen (several[i]));
        g_assert_null (od_sasl_oauth_error_parse (encoded));
      }
  }

  while (huge->len < 10000)
    g_string_append (huge, "QUFB");
  g_assert_null (od_sasl_oauth_error_parse (huge->str));

  /* Read, but nothing that is not text stays. */
  odd = od_sasl_oauth_error_parse (nested);
  g_assert_nonnull (odd);
  g_assert_null (odd->status);
  g_assert_null (odd->scope);
  g_clear_pointer (&odd, od_sasl_oauth_error_free);

  odd = od_sasl_oauth_error_parse (bad_utf8);
  if (odd != NULL)
    g_assert_true (odd->status == NULL || g_utf8_validate (odd->status, -1, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/sasl-oauth/responses", test_responses);
  g_test_add_func ("/od/sasl-oauth/error-challenge", test_error_challenge);
  g_test_add_func ("/od/sasl-oauth/error-challenge-hostile", test_error_challenge_hostile);

  return g_test_run ();
}
