/* test-auth-results.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "od-auth-results.h"

/* Authentication-Results (RFC 8601) of a fetched header, read through GMime. */

static GBytes *
header_bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static OdAuthResults *
parse_header (const char  *text,
              const char  *trusted,
              char       **message_id)
{
  g_autoptr(GBytes) bytes = header_bytes (text);
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (od_mail_header_parse (bytes, message_id, &values, &error));
  g_assert_no_error (error);
  return od_auth_results_choose (values, trusted);
}

static void
test_several_headers (void)
{
  /* The receiving server's milters add one header each; an older one (from the sender's own
   * server, or forged) lies below with another authserv-id and says pass. */
  const char *header =
    "Authentication-Results: mx.example.net;\r\n"
    "\tdmarc=fail (p=quarantine dis=none) header.from=example.org\r\n"
    "Authentication-Results: mx.example.net; spf=fail (mailfrom) smtp.mailfrom=a@example.org\r\n"
    "Authentication-Results: mx.example.net;\r\n"
    "  dkim=fail reason=\"signature verification failed\" header.d=example.org;\r\n"
    "  iprev=pass policy.iprev=192.0.2.1\r\n"
    "Authentication-Results: forged.example; spf=pass; dkim=pass; dmarc=pass\r\n"
    "Message-ID: <od-test.1234@example.org>\r\n"
    "From: a@example.org\r\n"
    "Subject: test\r\n"
    "\r\n";
  g_autofree char *id = NULL;
  g_autoptr(OdAuthResults) results = parse_header (header, NULL, &id);
  g_autofree char *spf = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *json_text = NULL;

  g_assert_cmpstr (id, ==, "od-test.1234@example.org");
  g_assert_cmpstr (results->authserv_id, ==, "mx.example.net");
  g_assert_cmpuint (results->n_headers, ==, 4);
  g_assert_cmpuint (results->n_ignored, ==, 1);
  g_assert_cmpint (results->verdicts[OD_AUTH_METHOD_SPF], ==, OD_AUTH_VERDICT_FAIL);
  g_assert_cmpint (results->verdicts[OD_AUTH_METHOD_DKIM], ==, OD_AUTH_VERDICT_FAIL);
  g_assert_cmpint (results->verdicts[OD_AUTH_METHOD_DMARC], ==, OD_AUTH_VERDICT_FAIL);
  for (guint m = 0; m < OD_N_AUTH_METHODS; m++)
    g_assert_true (od_auth_results_has_failure (results, m));

  spf = od_auth_results_explain (results, OD_AUTH_METHOD_SPF);
  g_assert_nonnull (strstr (spf, "not allowed to send"));

  json = od_auth_results_to_json (results);
  json_text = json_to_string (json, FALSE);
  g_assert_cmpstr (json_text, ==, "{\"spf\":\"fail\",\"dkim\":\"fail\",\"dmarc\":\"fail\","
                                  "\"authserv_id\":\"mx.example.net\"}");
}

static void
test_comments_and_versions (void)
{
  g_autoptr(OdAuthResults) results = od_auth_results_new ();

  /* Comments anywhere, nested, with ";" and "=" inside; a version after the authserv-id
   * and after a method; a quoted authserv-id; folding already undone by GMime. */
  g_assert_true (od_auth_results_add_header (
    results,
    "\"mx.example.net\" 1 (our (nested; spf=fail) comment); spf (x=y; z) = pass "
    "smtp.mailfrom=\"a;b\"@example.org; dkim/1=pass (good sig) header.i=@example.org; "
    "dmarc = none",
    NULL));
  g_assert_cmpstr (results->authserv_id, ==, "mx.example.net");
  g_assert_cmpint (results->verdicts[OD_AUTH_METHOD_SPF], ==, OD_AUTH_VERDICT_PASS);
  g_assert_cmpint (results->verdicts[OD_AUTH_METHOD_DKIM], ==, OD_AUTH_VERDICT_PASS);
  g_assert_cmpint (results->verdicts[OD_AUTH_METHOD_DMARC], ==, OD_AUTH_VERDICT_NONE);
  g_assert_false (od_auth_results_has_failure (results, OD_AUTH_METHOD_DMARC));
  g_assert_null (od_auth_results_explain (results, OD_AUTH_METHOD_SPF));
}

static void
test_multiple_and_unknown_methods (void)
{
  g_autoptr(OdAuthResults) results = od_auth_results_new ();
  g_autofree char *soft = NULL;
  g_autofree char *perm = NULL;

  /* Two DKIM signatures, one good: it vouches. Unknown methods and results are ignored or
   * kept as "other", never a crash. */
  g_assert_true (od_auth_results_add_header (
    results,
    "mx.example.net; x-frobnicate=maybe; dkim=fail header.d=list.example; "
    "dkim=pass header.d=example.org; arc=pass; spf=softfail; dmarc=permerror; "
    "auth=pass smtp.auth=someone; spf=weird; =pass; dkim; ;;",
    NULL));
  g_assert_cmpint (results->verdicts[OD_AUTH_METHOD_DKIM], ==, OD_AUTH_VERDICT_PASS);
  g_assert_cmpint (results->verdicts[OD_AUTH_METHOD_SPF], ==, OD_AUTH_VERDICT_SOFTFAIL);
  g_assert_cmpint (results->verdicts[OD_AUTH_METHOD_DMARC], ==, OD_AUTH_VERDICT_PERMERROR);

  soft = od_auth_results_explain (results, OD_AUTH_METHOD_SPF);
  perm = od_auth_results_explain (results, OD_AUTH_METHOD_DMARC);
  g_assert_nonnull (strstr (soft, "probably not allowed"));
  g_assert_nonnull (strstr (perm, "DMARC could not be checked"));
  g_assert_cmpstr (od_auth_verdict_to_string (OD_AUTH_VERDICT_OTHER), ==, "other");
}

static void
test_authserv_id_mismatch (void)
{
  const char *header =
    "Authentication-Results: attacker.example; spf=pass; dkim=pass; dmarc=pass\r\n"
    "Authentication-Results: mx.example.net; spf=fail; dkim=none\r\n"
    "Message-ID: <x@y>\r\n"
    "\r\n";
  g_autoptr(OdAuthResults) trusted = parse_header (header, "MX.example.net", NULL);
  g_autoptr(OdAuthResults) nobody = parse_header (header, "other.example", NULL);
  g_autoptr(OdAuthResults) topmost = parse_header (header, NULL, NULL);

  /* The receiving server named: its header only, wherever it is. */
  g_assert_cmpstr (trusted->authserv_id, ==, "mx.example.net");
  g_assert_cmpuint (trusted->n_ignored, ==, 1);
  g_assert_cmpint (trusted->verdicts[OD_AUTH_METHOD_SPF], ==, OD_AUTH_VERDICT_FAIL);
  g_assert_cmpint (trusted->verdicts[OD_AUTH_METHOD_DKIM], ==, OD_AUTH_VERDICT_NONE);
  g_assert_cmpint (trusted->verdicts[OD_AUTH_METHOD_DMARC], ==, OD_AUTH_VERDICT_ABSENT);

  /* A name that no header has: nothing is believed. */
  g_assert_null (nobody->authserv_id);
  g_assert_cmpuint (nobody->n_ignored, ==, 2);
  g_assert_cmpint (nobody->verdicts[OD_AUTH_METHOD_SPF], ==, OD_AUTH_VERDICT_ABSENT);

  /* No name: the topmost header's server, and only its headers. */
  g_assert_cmpstr (topmost->authserv_id, ==, "attacker.example");
  g_assert_cmpuint (topmost->n_ignored, ==, 1);
}

static void
test_hostile_header (void)
{
  g_autoptr(GString) big = g_string_new ("Authentication-Results: ");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(OdAuthResults) results = NULL;
  g_autofree char *id = NULL;

  /* Unclosed comments and quotes, NUL bytes, control characters, a huge folded header. */
  g_string_append (big, "\x1b[31mevil\x01;(((unclosed; spf=\"pass; dkim=fail\r\n");
  for (guint i = 0; i < 20000; i++)
    g_string_append (big, " (x) dkim=fail;\r\n");
  g_string_append_len (big, "X-Nul: a\0b\r\nMessage-ID: <\x7f\xff>\r\n\r\n", 28);

  bytes = g_bytes_new (big->str, big->len);
  g_assert_true (od_mail_header_parse (bytes, &id, &values, NULL));
  g_assert_cmpuint (values->len, ==, 1);
  results = od_auth_results_choose (values, NULL);
  g_assert_true (results->authserv_id == NULL ||
                 g_utf8_validate (results->authserv_id, -1, NULL));
  g_assert_null (strchr (results->authserv_id ? results->authserv_id : "", '\x1b'));

  /* Not a header at all. */
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&values, g_ptr_array_unref);
  bytes = g_bytes_new ("", 0);
  od_mail_header_parse (bytes, NULL, &values, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/auth-results/several-headers", test_several_headers);
  g_test_add_func ("/od/auth-results/comments-and-versions", test_comments_and_versions);
  g_test_add_func ("/od/auth-results/multiple-and-unknown-methods",
                   test_multiple_and_unknown_methods);
  g_test_add_func ("/od/auth-results/authserv-id-mismatch", test_authserv_id_mismatch);
  g_test_add_func ("/od/auth-results/hostile-header", test_hostile_header);

  return g_test_run ();
}
