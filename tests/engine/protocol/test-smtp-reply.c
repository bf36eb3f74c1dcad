/* test-smtp-reply.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "od-smtp-reply.h"

static OdSmtpReply *
parse (const char *text,
       GError    **error)
{
  return od_smtp_reply_parse (text, strlen (text), NULL, error);
}

static void
test_single_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdSmtpReply) reply = parse ("220 mail.example.org ESMTP Postfix\r\n", &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_cmpuint (od_smtp_reply_get_code (reply), ==, 220);
  g_assert_null (od_smtp_reply_get_enhanced_code (reply));
  text = od_smtp_reply_get_text (reply);
  g_assert_cmpstr (text, ==, "mail.example.org ESMTP Postfix");
  g_assert_true (od_smtp_reply_is_positive (reply));
}

static void
test_multiline (void)
{
  const char *data =
    "535-5.7.8 Username and Password not accepted. Learn more at\r\n"
    "535 5.7.8  https://support.google.com/mail/?p=BadCredentials x-gsmtp\r\n"
    "250 trailing reply\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(OdSmtpReply) reply = NULL;
  g_autofree char *text = NULL;
  g_autofree char *raw = NULL;
  gsize consumed = 0;

  reply = od_smtp_reply_parse (data, strlen (data), &consumed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (od_smtp_reply_get_code (reply), ==, 535);
  g_assert_cmpstr (od_smtp_reply_get_enhanced_code (reply), ==, "5.7.8");
  g_assert_cmpuint (g_strv_length ((char **)od_smtp_reply_get_lines (reply)), ==, 2);
  g_assert_true (od_smtp_reply_has_text (reply, "p=badcredentials"));
  g_assert_true (od_smtp_reply_is_permanent (reply));
  /* The second reply is left for the next call: pipelined replies are not one reply. */
  g_assert_cmpuint (consumed, ==, strlen (data) - strlen ("250 trailing reply\r\n"));

  text = od_smtp_reply_get_text (reply);
  g_assert_cmpstr (text, ==, "Username and Password not accepted. Learn more at\n"
                             "https://support.google.com/mail/?p=BadCredentials x-gsmtp");
  raw = od_smtp_reply_to_string (reply);
  g_assert_cmpstr (raw, ==, "535-5.7.8 Username and Password not accepted. Learn more at\n"
                            "535 5.7.8  https://support.google.com/mail/?p=BadCredentials x-gsmtp");
}

static void
test_bare_code_and_lf (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdSmtpReply) reply = parse ("250\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (od_smtp_reply_get_code (reply), ==, 250);
  g_assert_cmpstr (od_smtp_reply_get_lines (reply)[0], ==, "");
}

static void
test_text_starting_with_digits (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdSmtpReply) reply = parse ("250-234 Text beginning with numbers\r\n250 ok\r\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (od_smtp_reply_get_code (reply), ==, 250);
  g_assert_null (od_smtp_reply_get_enhanced_code (reply));
}

static void
test_enhanced_code_class_mismatch (void)
{
  g_autoptr(OdSmtpReply) reply = parse ("550 4.7.1 odd server\r\n", NULL);

  /* RFC 3463: the class must match the reply's first digit. */
  g_assert_null (od_smtp_reply_get_enhanced_code (reply));
}

static void
test_incomplete (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdSmtpReply) reply = parse ("250-first line\r\n250-second", &error);

  g_assert_no_error (error);
  g_assert_null (reply);
}

static void
test_malformed (void)
{
  const char *bad[] = {
    "hello\r\n",
    "25\r\n",
    "2500 no separator\r\n",
    "250x wrong separator\r\n",
    "099 too small\r\n",
    "\x16\x03\x01\x02\x05\x01\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OdSmtpReply) reply = parse (bad[i], &error);

      g_assert_null (reply);
      g_assert_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_MALFORMED_REPLY);
    }
}

static void
test_code_changes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdSmtpReply) reply = parse ("250-first\r\n550 second\r\n", &error);

  g_assert_null (reply);
  g_assert_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_MALFORMED_REPLY);
}

static void
test_line_too_long (void)
{
  g_autoptr(GString) data = g_string_new ("250 ");
  g_autoptr(GError) error = NULL;
  g_autoptr(OdSmtpReply) reply = NULL;

  for (guint i = 0; i < OD_SMTP_MAX_LINE_LENGTH; i++)
    g_string_append_c (data, 'x');

  /* Without a line end: the parser must give up rather than wait for more. */
  reply = od_smtp_reply_parse (data->str, data->len, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_LINE_TOO_LONG);

  g_clear_error (&error);
  g_string_append (data, "\r\n");
  reply = od_smtp_reply_parse (data->str, data->len, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_LINE_TOO_LONG);
}

static void
test_too_many_lines (void)
{
  g_autoptr(OdSmtpReplyParser) parser = od_smtp_reply_parser_new ();
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;
  guint fed = 0;

  /* An endless "250-" reply ends with an error after a bounded number of lines. */
  while (ok && fed < 100000)
    {
      g_autoptr(OdSmtpReply) reply = NULL;

      ok = od_smtp_reply_parser_feed_line (parser, "250-more", 8, &reply, &error);
      g_assert_null (reply);
      fed++;
    }

  g_assert_false (ok);
  g_assert_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_TOO_MANY_LINES);
  g_assert_cmpuint (fed, ==, OD_SMTP_MAX_REPLY_LINES + 1);
}

static void
test_sanitized_text (void)
{
  const char data[] = "554 bad\x01 \xff\xfe bytes\r\n";
  g_autoptr(OdSmtpReply) reply = od_smtp_reply_parse (data, sizeof data - 1, NULL, NULL);
  const char *line = od_smtp_reply_get_lines (reply)[0];

  g_assert_true (g_utf8_validate (line, -1, NULL));
  g_assert_null (strchr (line, '\x01'));
}

/* C1 controls are two bytes in UTF-8 (U+009B CSI is "\xc2\x9b"): a terminal that takes them
 * as escape sequences must never see them, nor ESC, BEL or DEL. Tabs and the line feeds
 * between the lines of a reply are fine. */
static gboolean
has_control (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7f && c <= 0x9f))
        return TRUE;
    }

  return FALSE;
}

static void
test_sanitized_c1 (void)
{
  const char data[] = "550-5.7.1 csi \xc2\x9b" "31m red\r\n"
                      "550 5.7.1 esc \x1b]0;pwned\x07 del \x7f nel \xc2\x85 tab\tkept\r\n";
  const char * const built[] = { "5.7.1 \xc2\x9b" "2J", "osc \xc2\x9d", NULL };
  g_autoptr(OdSmtpReply) reply = od_smtp_reply_parse (data, sizeof data - 1, NULL, NULL);
  g_autoptr(OdSmtpReply) made = od_smtp_reply_new (550, built);
  g_autofree char *text = NULL;
  g_autofree char *shown = NULL;
  const char * const *lines;

  g_assert_nonnull (reply);
  lines = od_smtp_reply_get_lines (reply);
  g_assert_cmpstr (lines[0], ==, "5.7.1 csi ?31m red");
  g_assert_cmpstr (lines[1], ==, "5.7.1 esc ?]0;pwned? del ? nel ? tab\tkept");
  g_assert_cmpstr (od_smtp_reply_get_enhanced_code (reply), ==, "5.7.1");

  text = od_smtp_reply_get_text (reply);
  shown = od_smtp_reply_to_string (reply);
  g_assert_false (has_control (text));
  g_assert_false (has_control (shown));

  /* Replies built from lines, not parsed, are sanitized too. */
  lines = od_smtp_reply_get_lines (made);
  g_assert_cmpstr (lines[0], ==, "5.7.1 ?2J");
  g_assert_cmpstr (lines[1], ==, "osc ?");
  g_assert_cmpstr (od_smtp_reply_get_enhanced_code (made), ==, "5.7.1");
}

static void
test_parser_reuse (void)
{
  g_autoptr(OdSmtpReplyParser) parser = od_smtp_reply_parser_new ();
  g_autoptr(OdSmtpReply) first = NULL;
  g_autoptr(OdSmtpReply) second = NULL;

  g_assert_true (od_smtp_reply_parser_feed_line (parser, "220-hello", 9, &first, NULL));
  g_assert_null (first);
  g_assert_true (od_smtp_reply_parser_feed_line (parser, "220 there", 9, &first, NULL));
  g_assert_nonnull (first);
  g_assert_true (od_smtp_reply_parser_feed_line (parser, "221 bye", 7, &second, NULL));
  g_assert_cmpuint (od_smtp_reply_get_code (second), ==, 221);
  g_assert_cmpuint (g_strv_length ((char **)od_smtp_reply_get_lines (second)), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/smtp-reply/single-line", test_single_line);
  g_test_add_func ("/od/smtp-reply/multiline", test_multiline);
  g_test_add_func ("/od/smtp-reply/bare-code", test_bare_code_and_lf);
  g_test_add_func ("/od/smtp-reply/digits-in-text", test_text_starting_with_digits);
  g_test_add_func ("/od/smtp-reply/enhanced-class", test_enhanced_code_class_mismatch);
  g_test_add_func ("/od/smtp-reply/incomplete", test_incomplete);
  g_test_add_func ("/od/smtp-reply/malformed", test_malformed);
  g_test_add_func ("/od/smtp-reply/code-changes", test_code_changes);
  g_test_add_func ("/od/smtp-reply/line-too-long", test_line_too_long);
  g_test_add_func ("/od/smtp-reply/too-many-lines", test_too_many_lines);
  g_test_add_func ("/od/smtp-reply/sanitized", test_sanitized_text);
  g_test_add_func ("/od/smtp-reply/sanitized-c1", test_sanitized_c1);
  g_test_add_func ("/od/smtp-reply/parser-reuse", test_parser_reuse);

  return g_test_run ();
}
