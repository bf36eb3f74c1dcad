/* test-imap-response.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "od-imap-capabilities.h"
#include "od-imap-response.h"

static OdImapResponse *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;
  OdImapResponse *response;

  response = od_imap_response_parse (text, strlen (text), &consumed, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  g_assert_cmpuint (consumed, ==, strlen (text));

  return response;
}

static void
parse_fails (const char  *text,
             gsize        len,
             OdImapError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdImapResponse) response = NULL;

  response = od_imap_response_parse (text, len, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, OD_IMAP_ERROR, (int)code);
}

static void
test_greetings (void)
{
  g_autoptr(OdImapResponse) ok = parse_ok ("* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] "
                                           "Dovecot ready.\r\n");
  g_autoptr(OdImapResponse) preauth = parse_ok ("* PREAUTH IMAP4rev1 server logged in as Smith\r\n");
  g_autoptr(OdImapResponse) bye = parse_ok ("* BYE [UNAVAILABLE] Too many connections\r\n");
  g_autoptr(OdImapResponse) bare = parse_ok ("* ok\n");

  g_assert_cmpint (od_imap_response_get_kind (ok), ==, OD_IMAP_RESPONSE_UNTAGGED);
  g_assert_cmpint (od_imap_response_get_status (ok), ==, OD_IMAP_STATUS_OK);
  g_assert_cmpstr (od_imap_response_get_code (ok), ==, "CAPABILITY");
  g_assert_cmpstr (od_imap_response_get_code_args (ok), ==, "IMAP4rev1 STARTTLS AUTH=PLAIN");
  g_assert_cmpstr (od_imap_response_get_text (ok), ==, "Dovecot ready.");
  g_assert_null (od_imap_response_get_tag (ok));

  g_assert_cmpint (od_imap_response_get_status (preauth), ==, OD_IMAP_STATUS_PREAUTH);
  g_assert_cmpstr (od_imap_response_get_text (preauth), ==,
                   "IMAP4rev1 server logged in as Smith");

  g_assert_cmpint (od_imap_response_get_status (bye), ==, OD_IMAP_STATUS_BYE);
  g_assert_true (od_imap_response_has_code (bye, "unavailable"));
  g_assert_cmpint (od_imap_response_error_code (bye), ==, OD_IMAP_ERROR_UNAVAILABLE);

  /* Keywords in any case; a status without text. */
  g_assert_cmpint (od_imap_response_get_status (bare), ==, OD_IMAP_STATUS_OK);
  g_assert_cmpstr (od_imap_response_get_text (bare), ==, "");
}

static void
test_tagged (void)
{
  g_autoptr(OdImapResponse) ok = parse_ok ("A1 OK [READ-WRITE] SELECT completed\r\n");
  g_autoptr(OdImapResponse) no = parse_ok ("A2 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
  g_autoptr(OdImapResponse) bad = parse_ok ("a.3 bad Command unknown\r\n");
  g_autoptr(OdImapResponse) plain_no = parse_ok ("A4 NO LOGIN failed\r\n");
  g_autofree char *words = od_imap_response_describe (no);

  g_assert_cmpint (od_imap_response_get_kind (ok), ==, OD_IMAP_RESPONSE_TAGGED);
  g_assert_cmpstr (od_imap_response_get_tag (ok), ==, "A1");
  g_assert_cmpint (od_imap_response_get_status (ok), ==, OD_IMAP_STATUS_OK);
  g_assert_cmpstr (od_imap_response_get_code (ok), ==, "READ-WRITE");
  g_assert_null (od_imap_response_get_code_args (ok));

  g_assert_cmpint (od_imap_response_error_code (no), ==, OD_IMAP_ERROR_AUTHENTICATION_FAILED);
  g_assert_cmpstr (words, ==, "NO [AUTHENTICATIONFAILED] Authentication failed.");

  g_assert_cmpstr (od_imap_response_get_tag (bad), ==, "a.3");
  g_assert_cmpint (od_imap_response_error_code (bad), ==, OD_IMAP_ERROR_BAD);
  g_assert_cmpint (od_imap_response_error_code (plain_no), ==, OD_IMAP_ERROR_NO);
}

static void
test_response_codes (void)
{
  const struct {
    const char  *line;
    OdImapError  error;
  } cases[] = {
    { "A1 NO [UNAVAILABLE] Try later\r\n", OD_IMAP_ERROR_UNAVAILABLE },
    { "A1 NO [AUTHORIZATIONFAILED] No\r\n", OD_IMAP_ERROR_AUTHORIZATION_FAILED },
    { "A1 NO [EXPIRED] Password expired\r\n", OD_IMAP_ERROR_EXPIRED },
    { "A1 NO [PRIVACYREQUIRED] Use TLS\r\n", OD_IMAP_ERROR_PRIVACY_REQUIRED },
    { "A1 NO [CONTACTADMIN] Call us\r\n", OD_IMAP_ERROR_CONTACT_ADMIN },
    { "A1 NO [OVERQUOTA] Full\r\n", OD_IMAP_ERROR_OVER_QUOTA },
    { "A1 NO [LIMIT] Too many\r\n", OD_IMAP_ERROR_OVER_QUOTA },
    { "A1 NO [NONEXISTENT] No such mailbox\r\n", OD_IMAP_ERROR_NONEXISTENT },
    { "A1 NO [ALERT] Read this\r\n", OD_IMAP_ERROR_NO },
    { "A1 BAD [CLIENTBUG] Huh\r\n", OD_IMAP_ERROR_BAD },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OdImapResponse) response = parse_ok (cases[i].line);

      g_assert_cmpint (od_imap_response_error_code (response), ==, cases[i].error);
    }
}

static void
test_data (void)
{
  g_autoptr(OdImapResponse) exists = parse_ok ("* 23 EXISTS\r\n");
  g_autoptr(OdImapResponse) caps = parse_ok ("* CAPABILITY IMAP4rev1 IDLE\r\n");
  g_autoptr(OdImapResponse) flags = parse_ok ("* FLAGS (\\Seen \\Deleted)\r\n");
  g_autoptr(OdImapResponse) zero = parse_ok ("* 0 RECENT\r\n");
  guint32 number = 0;

  g_assert_true (od_imap_response_get_number (exists, &number));
  g_assert_cmpuint (number, ==, 23);
  g_assert_cmpstr (od_imap_response_get_keyword (exists), ==, "EXISTS");
  g_assert_cmpint (od_imap_response_get_status (exists), ==, OD_IMAP_STATUS_NONE);

  g_assert_false (od_imap_response_get_number (caps, NULL));
  g_assert_cmpstr (od_imap_response_get_keyword (caps), ==, "CAPABILITY");
  g_assert_cmpstr (od_imap_response_get_data (caps), ==, "IMAP4rev1 IDLE");

  g_assert_cmpstr (od_imap_response_get_data (flags), ==, "(\\Seen \\Deleted)");
  g_assert_true (od_imap_response_get_number (zero, &number));
  g_assert_cmpuint (number, ==, 0);
}

static void
test_continuation (void)
{
  g_autoptr(OdImapResponse) bare = parse_ok ("+\r\n");
  g_autoptr(OdImapResponse) space = parse_ok ("+ \r\n");
  g_autoptr(OdImapResponse) challenge = parse_ok ("+ VXNlcm5hbWU6\r\n");
  g_autoptr(OdImapResponse) text = parse_ok ("+ Ready for literal data {5}\r\n");

  g_assert_cmpint (od_imap_response_get_kind (bare), ==, OD_IMAP_RESPONSE_CONTINUATION);
  g_assert_cmpstr (od_imap_response_get_text (bare), ==, "");
  g_assert_cmpstr (od_imap_response_get_text (space), ==, "");
  g_assert_cmpstr (od_imap_response_get_text (challenge), ==, "VXNlcm5hbWU6");
  /* A continuation's text is never a literal. */
  g_assert_cmpuint (od_imap_response_get_n_literals (text), ==, 0);
}

static void
test_literals (void)
{
  const char *text = "* 1 FETCH (BODY[HEADER] {11}\r\nSubject: x\n UID 7)\r\n"
                     "* LIST () \"/\" {5+}\r\nIN\r\nX\r\n";
  g_autoptr(OdImapResponseParser) parser = od_imap_response_parser_new ();
  g_autoptr(OdImapResponse) first = NULL;
  g_autoptr(OdImapResponse) second = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = strlen (text);
  gsize pos = 0;
  gsize size;

  /* Byte by byte, as a slow server sends it. */
  while (pos < len && second == NULL)
    {
      OdImapResponse *response = NULL;
      gsize consumed = 0;

      g_assert_true (od_imap_response_parser_feed (parser, text + pos, 1, &consumed, &response,
                                                   &error));
      g_assert_no_error (error);
      g_assert_cmpuint (consumed, ==, 1);
      pos += consumed;
      if (response != NULL && first == NULL)
        first = response;
      else if (response != NULL)
        second = response;
    }

  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_cmpuint (pos, ==, len);
  g_assert_true (od_imap_response_parser_is_idle (parser));

  g_assert_cmpuint (od_imap_response_get_n_literals (first), ==, 1);
  g_assert_cmpmem (g_bytes_get_data (od_imap_response_get_literal (first, 0), &size), size,
                   "Subject: x\n", 11);
  g_assert_cmpstr (od_imap_response_get_line (first), ==, "* 1 FETCH (BODY[HEADER] {11} UID 7)");

  /* A literal that holds CR LF does not end the response. */
  g_assert_cmpmem (g_bytes_get_data (od_imap_response_get_literal (second, 0), &size), size,
                   "IN\r\nX", 5);
}

static void
test_incomplete (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdImapResponse) response = NULL;
  gsize consumed = 99;

  response = od_imap_response_parse ("* OK not yet", 12, &consumed, &error);
  g_assert_null (response);
  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, 0);

  response = od_imap_response_parse ("* 1 FETCH (BODY[] {10}\r\nabc", 27, &consumed, &error);
  g_assert_null (response);
  g_assert_no_error (error);
}

static void
test_malformed (void)
{
  const char *cases[] = {
    "\r\n",
    "*\r\n",
    "*OK\r\n",
    "* \r\n",
    "* [ALERT]\r\n",
    "A1\r\n",
    "A1 MAYBE done\r\n",
    "A1 PREAUTH logged in\r\n",          /* a tag with an untagged status */
    "A1 BYE\r\n",
    "A(1 OK\r\n",                         /* not a tag character */
    "A\"1 OK\r\n",
    "+A1 OK\r\n",
    "* OK [UNTERMINATED code\r\n",
    "* OK [] empty\r\n",
    "* 99999999999 EXISTS\r\n",           /* beyond 32 bits */
    "* 12\r\n",
    "* 12 \r\n",
    "\x16\x03\x01\x02\xfc\x03\x03\r\n",  /* a TLS ClientHello */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      parse_fails (cases[i], strlen (cases[i]), OD_IMAP_ERROR_MALFORMED_RESPONSE);
    }
}

static void
test_nul_bytes (void)
{
  static const char line[] = "* OK hello\0world\r\n";
  static const char literal[] = "* 1 FETCH (BODY[] {3}\r\na\0b)\r\n";

  parse_fails (line, sizeof line - 1, OD_IMAP_ERROR_MALFORMED_RESPONSE);
  parse_fails (literal, sizeof literal - 1, OD_IMAP_ERROR_MALFORMED_RESPONSE);
}

static void
test_hostile_sizes (void)
{
  g_autofree char *long_line = g_strnfill (OD_IMAP_MAX_LINE_LENGTH + 10, 'x');
  g_autofree char *long_complete = g_strdup_printf ("* OK %s\r\n", long_line);
  g_autofree char *exact = NULL;
  g_autofree char *huge = g_strdup_printf ("* 1 FETCH (BODY[] {%u}\r\n",
                                           OD_IMAP_MAX_LITERAL_SIZE + 1);
  const char *overflow = "* 1 FETCH (BODY[] {99999999999999999999999999}\r\n";
  g_autoptr(GString) many = g_string_new (NULL);
  g_autoptr(OdImapResponse) fits = NULL;

  /* Without a line end, the bound is found before the end ever comes. */
  parse_fails (long_line, strlen (long_line), OD_IMAP_ERROR_LINE_TOO_LONG);
  parse_fails (long_complete, strlen (long_complete), OD_IMAP_ERROR_LINE_TOO_LONG);

  /* A line of exactly the bound is fine. */
  exact = g_strdup_printf ("* OK %s\r\n", long_line + 15);
  g_assert_cmpuint (strlen (exact), ==, OD_IMAP_MAX_LINE_LENGTH + 2);
  fits = parse_ok (exact);

  parse_fails (huge, strlen (huge), OD_IMAP_ERROR_LITERAL_TOO_LARGE);
  parse_fails (overflow, strlen (overflow), OD_IMAP_ERROR_LITERAL_TOO_LARGE);

  /* More literals than one response may have. */
  g_string_append (many, "* 1 FETCH (");
  for (guint i = 0; i <= OD_IMAP_MAX_LITERALS; i++)
    g_string_append (many, "X {1}\r\nx ");
  g_string_append (many, ")\r\n");
  parse_fails (many->str, many->len, OD_IMAP_ERROR_LITERAL_TOO_LARGE);
}

static void
test_endless_responses (void)
{
  g_autoptr(OdImapResponseParser) parser = od_imap_response_parser_new ();
  const char *line = "* OK still here\r\n";
  g_autoptr(GError) error = NULL;
  guint n = 0;

  for (;;)
    {
      g_autoptr(OdImapResponse) response = NULL;
      gsize consumed;

      if (!od_imap_response_parser_feed (parser, line, strlen (line), &consumed, &response,
                                         &error))
        break;
      n++;
      g_assert_cmpuint (n, <=, OD_IMAP_MAX_RESPONSES);
    }

  g_assert_error (error, OD_IMAP_ERROR, OD_IMAP_ERROR_TOO_MANY_RESPONSES);
  g_assert_cmpuint (n, ==, OD_IMAP_MAX_RESPONSES);
}

static void
test_completion_resets_count (void)
{
  g_autoptr(OdImapResponseParser) parser = od_imap_response_parser_new ();

  for (guint round = 0; round < 3; round++)
    {
      for (guint i = 0; i <= OD_IMAP_MAX_RESPONSES; i++)
        {
          const char *line = i < OD_IMAP_MAX_RESPONSES ? "* 1 EXISTS\r\n" : "A1 OK done\r\n";
          g_autoptr(OdImapResponse) response = NULL;
          g_autoptr(GError) error = NULL;
          gsize consumed;

          g_assert_true (od_imap_response_parser_feed (parser, line, strlen (line), &consumed,
                                                       &response, &error));
          g_assert_no_error (error);
          g_assert_nonnull (response);
        }
    }
}

static void
test_sanitized (void)
{
  g_autoptr(OdImapResponse) response = parse_ok ("* OK \x1b[31mred\x9b \xff\xfe text\r\n");
  const char *text = od_imap_response_get_text (response);

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_null (strchr (text, '\x1b'));
  g_assert_null (strstr (text, "\xc2\x9b"));
}

static void
test_capabilities (void)
{
  g_autoptr(OdImapResponse) response =
    parse_ok ("* CAPABILITY IMAP4rev1 imap4rev2 STARTTLS LOGINDISABLED AUTH=PLAIN auth=login "
              "AUTH=PLAIN SASL-IR LITERAL+ QUOTA SPECIAL-USE IDLE X-(bad\r\n");
  g_autoptr(OdImapResponse) code =
    parse_ok ("A1 OK [CAPABILITY IMAP4rev1 QUOTA=RES-STORAGE LITERAL-] Logged in\r\n");
  g_autoptr(OdImapResponse) none = parse_ok ("A1 OK done\r\n");
  g_autoptr(OdImapCapabilities) caps = od_imap_capabilities_new_from_response (response);
  g_autoptr(OdImapCapabilities) from_code = od_imap_capabilities_new_from_response (code);
  g_autoptr(OdImapCapabilities) copy = od_imap_capabilities_copy (caps);

  g_assert_null (od_imap_capabilities_new_from_response (none));

  g_assert_true (caps->imap4rev1);
  g_assert_true (caps->imap4rev2);
  g_assert_true (caps->starttls);
  g_assert_true (caps->login_disabled);
  g_assert_true (caps->sasl_ir);
  g_assert_true (caps->literal_plus);
  g_assert_false (caps->literal_minus);
  g_assert_true (caps->quota);
  g_assert_true (caps->special_use);
  g_assert_true (caps->idle);
  g_assert_cmpuint (g_strv_length (caps->auth_mechanisms), ==, 2);
  g_assert_cmpstr (caps->auth_mechanisms[0], ==, "PLAIN");
  g_assert_cmpstr (caps->auth_mechanisms[1], ==, "LOGIN");
  g_assert_true (od_imap_capabilities_has_auth (caps, "login"));
  g_assert_false (od_imap_capabilities_has_auth (caps, "CRAM-MD5"));
  g_assert_true (od_imap_capabilities_has (caps, "special-use"));
  g_assert_false (od_imap_capabilities_has (caps, "X-(BAD"));

  g_assert_true (from_code->quota);
  g_assert_true (from_code->literal_minus);
  g_assert_false (from_code->starttls);
  g_assert_cmpuint (g_strv_length (from_code->auth_mechanisms), ==, 0);

  g_assert_cmpstrv (copy->names, caps->names);
}

static void
test_quota (void)
{
  g_autoptr(OdImapResponse) both = parse_ok ("* QUOTA \"\" (STORAGE 10 512 MESSAGE 3 1000)\r\n");
  g_autoptr(OdImapResponse) atom = parse_ok ("* QUOTA user.x (storage 0 0)\r\n");
  g_autoptr(OdImapResponse) literal = parse_ok ("* QUOTA {4}\r\nroot (STORAGE 1 2)\r\n");
  g_autoptr(OdImapResponse) empty = parse_ok ("* QUOTA \"\" ()\r\n");
  const char *broken[] = {
    "* QUOTA \"\" (STORAGE 10)\r\n",
    "* QUOTA \"\" (STORAGE 10 x)\r\n",
    "* QUOTA \"unterminated (STORAGE 1 2)\r\n",
    "* QUOTA \"\" (STORAGE 99999999999999999999 1)\r\n",
    "* QUOTAROOT INBOX \"\"\r\n",
    "* QUOTA\r\n",
  };
  OdImapQuota quota;

  g_assert_true (od_imap_quota_parse (both, &quota));
  g_assert_true (quota.has_storage);
  g_assert_cmpuint (quota.storage_used, ==, 10);
  g_assert_cmpuint (quota.storage_limit, ==, 512);
  g_assert_true (quota.has_messages);
  g_assert_cmpuint (quota.messages_used, ==, 3);
  g_assert_cmpuint (quota.messages_limit, ==, 1000);

  g_assert_true (od_imap_quota_parse (atom, &quota));
  g_assert_true (quota.has_storage);
  g_assert_false (quota.has_messages);
  g_assert_true (od_imap_quota_parse (literal, &quota));
  g_assert_cmpuint (quota.storage_limit, ==, 2);
  g_assert_true (od_imap_quota_parse (empty, &quota));
  g_assert_false (quota.has_storage);

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(OdImapResponse) response = parse_ok (broken[i]);

      g_test_message ("case %u", i);
      g_assert_false (od_imap_quota_parse (response, &quota));
    }
}

static char *
star_cb (const char *text,
         gpointer    user_data)
{
  return g_strdelimit (g_strdup (text), "s", '*');
}

static void
test_map_text (void)
{
  g_autoptr(OdImapResponse) response = parse_ok ("A1 NO [ALERT secret] password is secret\r\n");
  g_autoptr(OdImapResponse) mapped = od_imap_response_map_text (response, star_cb, NULL);

  g_assert_cmpstr (od_imap_response_get_text (mapped), ==, "pa**word i* *ecret");
  g_assert_cmpstr (od_imap_response_get_code_args (mapped), ==, "*ecret");
  g_assert_cmpstr (od_imap_response_get_code (mapped), ==, "ALERT");
  g_assert_cmpstr (od_imap_response_get_tag (mapped), ==, "A1");
  g_assert_null (strchr (od_imap_response_get_line (mapped), 's'));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/imap-response/greetings", test_greetings);
  g_test_add_func ("/od/imap-response/tagged", test_tagged);
  g_test_add_func ("/od/imap-response/response-codes", test_response_codes);
  g_test_add_func ("/od/imap-response/data", test_data);
  g_test_add_func ("/od/imap-response/continuation", test_continuation);
  g_test_add_func ("/od/imap-response/literals", test_literals);
  g_test_add_func ("/od/imap-response/incomplete", test_incomplete);
  g_test_add_func ("/od/imap-response/malformed", test_malformed);
  g_test_add_func ("/od/imap-response/nul-bytes", test_nul_bytes);
  g_test_add_func ("/od/imap-response/hostile-sizes", test_hostile_sizes);
  g_test_add_func ("/od/imap-response/endless-responses", test_endless_responses);
  g_test_add_func ("/od/imap-response/completion-resets-count", test_completion_resets_count);
  g_test_add_func ("/od/imap-response/sanitized", test_sanitized);
  g_test_add_func ("/od/imap-response/capabilities", test_capabilities);
  g_test_add_func ("/od/imap-response/quota", test_quota);
  g_test_add_func ("/od/imap-response/map-text", test_map_text);

  return g_test_run ();
}
