/* test-smtp-capabilities.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "od-smtp-capabilities.h"

static OdSmtpCapabilities *
parse (const char *text)
{
  return od_smtp_capabilities_new_from_text (text, strlen (text));
}

static void
test_gmail (void)
{
  g_autoptr(OdSmtpCapabilities) caps =
    parse ("250-smtp.gmail.com at your service, [192.0.2.1]\r\n"
           "250-SIZE 35882577\r\n"
           "250-8BITMIME\r\n"
           "250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n"
           "250-ENHANCEDSTATUSCODES\r\n"
           "250-PIPELINING\r\n"
           "250-CHUNKING\r\n"
           "250 SMTPUTF8\r\n");

  g_assert_nonnull (caps);
  g_assert_cmpstr (caps->server_name, ==, "smtp.gmail.com");
  g_assert_cmpuint (caps->size_limit, ==, 35882577);
  g_assert_true (caps->size_advertised);
  g_assert_true (caps->eightbitmime);
  g_assert_true (caps->enhanced_status_codes);
  g_assert_true (caps->pipelining);
  g_assert_true (caps->chunking);
  g_assert_true (caps->smtputf8);
  g_assert_false (caps->starttls);
  g_assert_cmpuint (g_strv_length (caps->auth_mechanisms), ==, 6);
  g_assert_cmpstr (caps->auth_mechanisms[0], ==, "LOGIN");
  g_assert_true (od_smtp_capabilities_has_auth (caps, "plain"));
  g_assert_false (od_smtp_capabilities_has_auth (caps, "CRAM-MD5"));
}

static void
test_legacy_and_duplicates (void)
{
  g_autoptr(OdSmtpCapabilities) caps =
    parse ("250-mail.example.org\r\n"
           "250-starttls\r\n"
           "250-AUTH=LOGIN PLAIN\r\n"
           "250-auth login cram-md5\r\n"
           "250 SIZE\r\n");

  g_assert_true (caps->starttls);
  g_assert_cmpuint (g_strv_length (caps->auth_mechanisms), ==, 3);
  g_assert_cmpstr (caps->auth_mechanisms[2], ==, "CRAM-MD5");
  g_assert_true (caps->size_advertised);
  g_assert_cmpuint (caps->size_limit, ==, 0);
}

static void
test_keyword_prefix (void)
{
  g_autoptr(OdSmtpCapabilities) caps =
    parse ("250-mail.example.org\r\n"
           "250-STARTTLSX\r\n"
           "250 AUTHX PLAIN\r\n");

  /* Keywords must match whole words. */
  g_assert_false (caps->starttls);
  g_assert_null (caps->auth_mechanisms[0]);
}

static void
test_single_line (void)
{
  g_autoptr(OdSmtpCapabilities) caps = parse ("250 old.example.org\r\n");

  g_assert_nonnull (caps);
  g_assert_null (caps->auth_mechanisms[0]);
  g_assert_false (caps->starttls);
}

static void
test_not_250 (void)
{
  g_assert_null (parse ("502 5.5.2 EHLO not implemented\r\n"));
  g_assert_null (parse ("garbage\r\n"));
}

static void
test_bounded_mechanisms (void)
{
  g_autoptr(GString) text = g_string_new ("250-x\r\n250 AUTH");
  g_autoptr(OdSmtpCapabilities) caps = NULL;

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (text, " M%u", i);
  g_string_append (text, "\r\n");

  caps = parse (text->str);
  g_assert_cmpuint (g_strv_length (caps->auth_mechanisms), <=, 32);
}

static void
test_copy (void)
{
  g_autoptr(OdSmtpCapabilities) caps = parse ("250-x\r\n250 AUTH PLAIN\r\n");
  g_autoptr(OdSmtpCapabilities) copy = od_smtp_capabilities_copy (caps);

  g_assert_true (copy->auth_mechanisms != caps->auth_mechanisms);
  g_assert_cmpstr (copy->auth_mechanisms[0], ==, "PLAIN");
  g_assert_cmpstr (copy->server_name, ==, "x");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/smtp-capabilities/gmail", test_gmail);
  g_test_add_func ("/od/smtp-capabilities/legacy-and-duplicates", test_legacy_and_duplicates);
  g_test_add_func ("/od/smtp-capabilities/keyword-prefix", test_keyword_prefix);
  g_test_add_func ("/od/smtp-capabilities/single-line", test_single_line);
  g_test_add_func ("/od/smtp-capabilities/not-250", test_not_250);
  g_test_add_func ("/od/smtp-capabilities/bounded", test_bounded_mechanisms);
  g_test_add_func ("/od/smtp-capabilities/copy", test_copy);

  return g_test_run ();
}
