/* test-pop3-reply.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "od-pop3-capabilities.h"
#include "od-pop3-reply.h"

static OdPop3Reply *
parse_ok (const char *data,
          gboolean    multiline)
{
  g_autoptr(GError) error = NULL;
  OdPop3Reply *reply;
  gsize consumed = 0;

  reply = od_pop3_reply_parse (data, strlen (data), multiline, &consumed, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_cmpuint (consumed, ==, strlen (data));

  return reply;
}

static void
parse_fails (const char *data,
             gsize       len,
             gboolean    multiline,
             int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdPop3Reply) reply = NULL;
  gsize consumed = 42;

  reply = od_pop3_reply_parse (data, len, multiline, &consumed, &error);
  g_assert_null (reply);
  g_assert_error (error, OD_POP3_ERROR, code);
  g_assert_cmpuint (consumed, ==, 0);
}

static void
test_ok (void)
{
  g_autoptr(OdPop3Reply) reply = parse_ok ("+OK Dovecot ready.\r\n", FALSE);
  g_autoptr(OdPop3Reply) bare = parse_ok ("+OK\r\n", FALSE);
  g_autofree char *shown = NULL;

  g_assert_cmpint (od_pop3_reply_get_status (reply), ==, OD_POP3_STATUS_OK);
  g_assert_true (od_pop3_reply_is_ok (reply));
  g_assert_cmpstr (od_pop3_reply_get_text (reply), ==, "Dovecot ready.");
  g_assert_cmpstr (od_pop3_reply_get_line (reply), ==, "+OK Dovecot ready.");
  g_assert_null (od_pop3_reply_get_response_code (reply));
  g_assert_null (od_pop3_reply_get_lines (reply)[0]);

  g_assert_cmpstr (od_pop3_reply_get_text (bare), ==, "");
  shown = od_pop3_reply_to_string (bare);
  g_assert_cmpstr (shown, ==, "+OK");
}

static void
test_response_codes (void)
{
  struct {
    const char  *line;
    const char  *code;
    const char  *text;
    OdPop3Error  error;
  } cases[] = {
    { "-ERR [AUTH] Authentication failed.", "AUTH", "Authentication failed.", OD_POP3_ERROR_AUTH },
    { "-ERR [SYS/TEMP] Try again later", "SYS/TEMP", "Try again later", OD_POP3_ERROR_SYS_TEMP },
    { "-ERR [SYS/PERM] Mailbox gone", "SYS/PERM", "Mailbox gone", OD_POP3_ERROR_SYS_PERM },
    { "-ERR [IN-USE] Mailbox locked", "IN-USE", "Mailbox locked", OD_POP3_ERROR_IN_USE },
    { "-ERR [LOGIN-DELAY] Wait", "LOGIN-DELAY", "Wait", OD_POP3_ERROR_LOGIN_DELAY },
    { "-ERR [in-use] lower case", "in-use", "lower case", OD_POP3_ERROR_IN_USE },
    { "-ERR [AUTH/EXPIRED] Password expired", "AUTH/EXPIRED", "Password expired", OD_POP3_ERROR_AUTH },
    { "-ERR [SYS/OTHER] Something", "SYS/OTHER", "Something", OD_POP3_ERROR_REFUSED },
    { "-ERR [UTF8] what", "UTF8", "what", OD_POP3_ERROR_REFUSED },
    { "-ERR Unknown command", NULL, "Unknown command", OD_POP3_ERROR_REFUSED },
    { "-ERR [AUTH no bracket", NULL, "[AUTH no bracket", OD_POP3_ERROR_REFUSED },
    { "-ERR [] empty", NULL, "[] empty", OD_POP3_ERROR_REFUSED },
    { "-ERR [A B] space", NULL, "[A B] space", OD_POP3_ERROR_REFUSED },
    { "-ERR [/SYS] slash", NULL, "[/SYS] slash", OD_POP3_ERROR_REFUSED },
    { "-ERR", NULL, "", OD_POP3_ERROR_REFUSED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *data = g_strconcat (cases[i].line, "\r\n", NULL);
      g_autoptr(OdPop3Reply) reply = parse_ok (data, TRUE);

      g_assert_cmpint (od_pop3_reply_get_status (reply), ==, OD_POP3_STATUS_ERR);
      g_assert_cmpstr (od_pop3_reply_get_response_code (reply), ==, cases[i].code);
      g_assert_cmpstr (od_pop3_reply_get_text (reply), ==, cases[i].text);
      g_assert_cmpstr (od_pop3_reply_get_line (reply), ==, cases[i].line);
      g_assert_cmpint (od_pop3_reply_get_error_code (reply), ==, cases[i].error);
    }
}

static void
test_continuation (void)
{
  g_autoptr(OdPop3Reply) login = parse_ok ("+ VXNlcm5hbWU6\r\n", FALSE);
  g_autoptr(OdPop3Reply) empty = parse_ok ("+\r\n", FALSE);
  g_autoptr(OdPop3Reply) space = parse_ok ("+ \r\n", FALSE);

  g_assert_cmpint (od_pop3_reply_get_status (login), ==, OD_POP3_STATUS_CONTINUATION);
  g_assert_cmpstr (od_pop3_reply_get_status_text (login), ==, "VXNlcm5hbWU6");
  g_assert_cmpint (od_pop3_reply_get_status (empty), ==, OD_POP3_STATUS_CONTINUATION);
  g_assert_cmpstr (od_pop3_reply_get_status_text (empty), ==, "");
  g_assert_cmpstr (od_pop3_reply_get_status_text (space), ==, "");
  /* A challenge never carries a response code. */
  {
    g_autoptr(OdPop3Reply) bracket = parse_ok ("+ [AUTH]\r\n", FALSE);
    g_assert_null (od_pop3_reply_get_response_code (bracket));
  }
}

static void
test_multiline (void)
{
  const char *data = "+OK Capability list follows\r\n"
                     "USER\r\n"
                     "..hidden\r\n"
                     ".\r\n";
  g_autoptr(OdPop3Reply) reply = parse_ok (data, TRUE);
  const char * const *lines = od_pop3_reply_get_lines (reply);
  g_autofree char *shown = od_pop3_reply_to_string (reply);

  g_assert_cmpstr (od_pop3_reply_get_text (reply), ==, "Capability list follows");
  g_assert_cmpuint (g_strv_length ((char **)lines), ==, 2);
  g_assert_cmpstr (lines[0], ==, "USER");
  g_assert_cmpstr (lines[1], ==, ".hidden");
  g_assert_cmpstr (shown, ==, "+OK Capability list follows\nUSER\n..hidden\n.");

  /* The same "+OK" alone when the command has a single-line answer. */
  {
    g_autoptr(OdPop3Reply) single = NULL;
    gsize consumed = 0;

    single = od_pop3_reply_parse (data, strlen (data), FALSE, &consumed, NULL);
    g_assert_nonnull (single);
    g_assert_cmpuint (consumed, ==, strlen ("+OK Capability list follows\r\n"));
  }
}

static void
test_multiline_err (void)
{
  /* A "-ERR" is one line even where "+OK" would start many. */
  g_autoptr(OdPop3Reply) reply = NULL;
  gsize consumed = 0;
  const char *data = "-ERR Unknown command\r\nUSER\r\n.\r\n";

  reply = od_pop3_reply_parse (data, strlen (data), TRUE, &consumed, NULL);
  g_assert_nonnull (reply);
  g_assert_cmpuint (consumed, ==, strlen ("-ERR Unknown command\r\n"));
  g_assert_null (od_pop3_reply_get_lines (reply)[0]);
}

static void
test_incremental (void)
{
  g_autoptr(OdPop3ReplyParser) parser = od_pop3_reply_parser_new ();
  const char *lines[] = { "+OK", "SASL PLAIN", "STLS", "." };
  g_autoptr(OdPop3Reply) reply = NULL;

  od_pop3_reply_parser_expect_multiline (parser, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr(GError) error = NULL;

      g_clear_pointer (&reply, od_pop3_reply_unref);
      g_assert_true (od_pop3_reply_parser_feed_line (parser, lines[i], strlen (lines[i]),
                                                     &reply, &error));
      g_assert_no_error (error);
      g_assert_true (i == G_N_ELEMENTS (lines) - 1 ? reply != NULL : reply == NULL);
      g_assert_cmpint (od_pop3_reply_parser_in_multiline (parser), ==,
                       i < G_N_ELEMENTS (lines) - 1);
    }

  g_assert_cmpuint (g_strv_length ((char **)od_pop3_reply_get_lines (reply)), ==, 2);

  /* Multi-line holds for one response only. */
  g_clear_pointer (&reply, od_pop3_reply_unref);
  g_assert_true (od_pop3_reply_parser_feed_line (parser, "+OK", 3, &reply, NULL));
  g_assert_nonnull (reply);
}

static void
test_not_pop3 (void)
{
  const char *bad[] = {
    "220 smtp.example.org ESMTP\r\n",
    "* OK IMAP4rev1 ready\r\n",
    "+OKAY\r\n",
    "-ERROR\r\n",
    "OK\r\n",
    "\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    parse_fails (bad[i], strlen (bad[i]), FALSE, OD_POP3_ERROR_MALFORMED_RESPONSE);
}

static void
test_hostile_long_line (void)
{
  g_autoptr(GString) data = g_string_new ("+OK ");
  g_autoptr(GString) body = g_string_new ("+OK\r\n");

  for (guint i = 0; i < OD_POP3_MAX_LINE_LENGTH; i++)
    g_string_append_c (data, 'x');

  /* Without a line end: already too long, not merely incomplete. */
  parse_fails (data->str, data->len, FALSE, OD_POP3_ERROR_LINE_TOO_LONG);
  g_string_append (data, "\r\n");
  parse_fails (data->str, data->len, FALSE, OD_POP3_ERROR_LINE_TOO_LONG);

  /* Inside a multi-line response too. */
  for (guint i = 0; i <= OD_POP3_MAX_LINE_LENGTH; i++)
    g_string_append_c (body, 'y');
  g_string_append (body, "\r\n.\r\n");
  parse_fails (body->str, body->len, TRUE, OD_POP3_ERROR_LINE_TOO_LONG);
}

static void
test_hostile_endless (void)
{
  g_autoptr(OdPop3ReplyParser) parser = od_pop3_reply_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) big = g_string_new ("+OK\r\n");
  gboolean ok = TRUE;
  guint n;

  od_pop3_reply_parser_expect_multiline (parser, TRUE);
  g_assert_true (od_pop3_reply_parser_feed_line (parser, "+OK", 3, NULL, NULL));
  for (n = 0; ok && n < 100000; n++)
    ok = od_pop3_reply_parser_feed_line (parser, "X-JUNK", 6, NULL, &error);

  g_assert_false (ok);
  g_assert_error (error, OD_POP3_ERROR, OD_POP3_ERROR_TOO_MANY_LINES);
  g_assert_cmpuint (n, ==, OD_POP3_DEFAULT_MAX_LINES + 1);
  /* The parser is reset: the next response parses. */
  g_assert_false (od_pop3_reply_parser_in_multiline (parser));
  g_clear_error (&error);

  /* A lower bound of the caller's. */
  od_pop3_reply_parser_set_max_lines (parser, 3);
  od_pop3_reply_parser_expect_multiline (parser, TRUE);
  g_assert_true (od_pop3_reply_parser_feed_line (parser, "+OK", 3, NULL, NULL));
  for (n = 0; n < 3; n++)
    g_assert_true (od_pop3_reply_parser_feed_line (parser, "a", 1, NULL, NULL));
  g_assert_false (od_pop3_reply_parser_feed_line (parser, "a", 1, NULL, &error));
  g_assert_error (error, OD_POP3_ERROR, OD_POP3_ERROR_TOO_MANY_LINES);

  /* Few lines, but too many bytes. */
  for (n = 0; n < OD_POP3_DEFAULT_MAX_LINES - 1; n++)
    {
      for (guint i = 0; i < 2000; i++)
        g_string_append_c (big, 'z');
      g_string_append (big, "\r\n");
    }
  g_string_append (big, ".\r\n");
  parse_fails (big->str, big->len, TRUE, OD_POP3_ERROR_TOO_MANY_LINES);
}

static void
test_hostile_nul (void)
{
  const char status[] = "+OK a\0b\r\n";
  const char body[] = "+OK\r\nUSER\0STLS\r\n.\r\n";

  parse_fails (status, sizeof status - 1, FALSE, OD_POP3_ERROR_MALFORMED_RESPONSE);
  parse_fails (body, sizeof body - 1, TRUE, OD_POP3_ERROR_MALFORMED_RESPONSE);
}

static void
test_hostile_missing_terminator (void)
{
  const char *data = "+OK\r\nUSER\r\nSTLS\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(OdPop3Reply) reply = NULL;
  gsize consumed = 42;

  /* Incomplete, not an error: the session's deadline ends the wait. */
  reply = od_pop3_reply_parse (data, strlen (data), TRUE, &consumed, &error);
  g_assert_null (reply);
  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, 0);

  /* The terminator with a space after it is a line, not the end. */
  g_clear_pointer (&reply, od_pop3_reply_unref);
  reply = od_pop3_reply_parse ("+OK\r\n. \r\n", 9, TRUE, &consumed, &error);
  g_assert_null (reply);
  g_assert_no_error (error);
}

static void
test_hostile_controls (void)
{
  g_autoptr(OdPop3Reply) reply = parse_ok ("+OK \x1b[31mred\x9b\xff\r\n", FALSE);
  const char *text = od_pop3_reply_get_text (reply);

  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p; p++)
    g_assert_cmpint ((guchar)*p, >=, 0x20);
  g_assert_null (strchr (text, '\x1b'));
}

static void
test_cr_cr_lf (void)
{
  g_autoptr(OdPop3Reply) reply = parse_ok ("+OK\r\r\nA\r\r\n.\r\r\n", TRUE);

  g_assert_cmpstr (od_pop3_reply_get_lines (reply)[0], ==, "A");
}

static void
test_capabilities (void)
{
  const char *lines[] = {
    "TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "user",
    "SASL PLAIN LOGIN plain  DIGEST-MD5", "STLS", "LOGIN-DELAY 900 USER",
    "IMPLEMENTATION Dovecot \x1b[1m", "X-UNKNOWN", "UTF8 USER", NULL,
  };
  g_autoptr(OdPop3Capabilities) caps = od_pop3_capabilities_new_from_lines (lines);
  g_autoptr(OdPop3Capabilities) copy = od_pop3_capabilities_copy (caps);
  const char *none[] = { "STLSX", "USERNAME", "SASL", NULL };
  g_autoptr(OdPop3Capabilities) empty = od_pop3_capabilities_new_from_lines (none);

  g_assert_true (caps->stls && caps->user && caps->top && caps->uidl && caps->pipelining);
  g_assert_true (caps->resp_codes && caps->auth_resp_code && caps->utf8);
  g_assert_cmpint (caps->login_delay, ==, 900);
  g_assert_cmpuint (g_strv_length (caps->sasl_mechanisms), ==, 3);
  g_assert_cmpstr (caps->sasl_mechanisms[0], ==, "PLAIN");
  g_assert_cmpstr (caps->sasl_mechanisms[1], ==, "LOGIN");
  g_assert_cmpstr (caps->sasl_mechanisms[2], ==, "DIGEST-MD5");
  g_assert_true (od_pop3_capabilities_has_sasl (caps, "login"));
  g_assert_false (od_pop3_capabilities_has_sasl (caps, "CRAM-MD5"));
  g_assert_cmpstr (caps->implementation, ==, "Dovecot ?[1m");

  g_assert_true (copy->stls);
  g_assert_cmpstr (copy->implementation, ==, caps->implementation);
  g_assert_cmpstr (copy->sasl_mechanisms[2], ==, "DIGEST-MD5");

  g_assert_false (empty->stls || empty->user);
  g_assert_null (empty->sasl_mechanisms[0]);
  g_assert_null (empty->implementation);
  g_assert_cmpint (empty->login_delay, ==, -1);
}

static void
test_capabilities_from_reply (void)
{
  g_autoptr(OdPop3Reply) reply = parse_ok ("+OK\r\nSTLS\r\nSASL PLAIN\r\n.\r\n", TRUE);
  g_autoptr(OdPop3Capabilities) caps = od_pop3_capabilities_new_from_reply (reply);

  g_assert_true (caps->stls);
  g_assert_false (caps->user);
  g_assert_true (od_pop3_capabilities_has_sasl (caps, "PLAIN"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/pop3-reply/ok", test_ok);
  g_test_add_func ("/od/pop3-reply/response-codes", test_response_codes);
  g_test_add_func ("/od/pop3-reply/continuation", test_continuation);
  g_test_add_func ("/od/pop3-reply/multiline", test_multiline);
  g_test_add_func ("/od/pop3-reply/multiline-err", test_multiline_err);
  g_test_add_func ("/od/pop3-reply/incremental", test_incremental);
  g_test_add_func ("/od/pop3-reply/not-pop3", test_not_pop3);
  g_test_add_func ("/od/pop3-reply/cr-cr-lf", test_cr_cr_lf);
  g_test_add_func ("/od/pop3-reply/hostile/long-line", test_hostile_long_line);
  g_test_add_func ("/od/pop3-reply/hostile/endless", test_hostile_endless);
  g_test_add_func ("/od/pop3-reply/hostile/nul", test_hostile_nul);
  g_test_add_func ("/od/pop3-reply/hostile/missing-terminator", test_hostile_missing_terminator);
  g_test_add_func ("/od/pop3-reply/hostile/controls", test_hostile_controls);
  g_test_add_func ("/od/pop3-reply/capabilities", test_capabilities);
  g_test_add_func ("/od/pop3-reply/capabilities-from-reply", test_capabilities_from_reply);

  return g_test_run ();
}
