/* test-found-neomutt.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The NeoMutt/Mutt reader: smtp_url through GUri, NeoMutt's STARTTLS rules and ports, the
 * sender, and what it never does: run `commands`, expand $variables, follow "source", keep a
 * password. */

#include "config.h"

#include "found-test.h"
#include "od-found-neomutt.h"

static void
test_realistic (void)
{
  g_autofree char *home = found_test_fixture ("neomutt", "realistic");
  g_autoptr(GPtrArray) found = found_test_run (od_found_neomutt_read, home, TRUE, NULL);
  g_autofree char *path = g_build_filename (home, ".config", "neomutt", "neomuttrc", NULL);
  OdFoundAccount *xdg, *rc, *mutt;
  OdAccount *account;

  g_assert_cmpuint (found->len, ==, 3);
  xdg = found_test_get (found, "neomutt:neomuttrc");
  account = od_found_account_get_account (xdg);
  found_test_assert_server (xdg, "smtp.example.org", 465, OD_SECURITY_TLS, "ada@example.org",
                            "LOGIN");
  g_assert_cmpstr (od_account_get_address (account), ==, "ada@example.org");
  g_assert_cmpstr (od_account_get_display_name (account), ==, "Ada Lovelace");
  g_assert_cmpstr (od_found_account_get_source_path (xdg), ==, path);
  g_assert_cmpint (od_found_account_get_secret (xdg), ==, OD_FOUND_SECRET_ASK);
  g_assert_cmpuint (found_test_n_notes (xdg), ==, 2);
  found_test_assert_note (xdg, "run a command");
  found_test_assert_note (xdg, "(source)");

  /* A continued line, ssl_force_tls over "unset ssl_starttls", a password in the URL. */
  rc = found_test_get (found, "neomutt:.neomuttrc");
  account = od_found_account_get_account (rc);
  found_test_assert_server (rc, "mail.example.net", 587, OD_SECURITY_STARTTLS, "ada", NULL);
  g_assert_cmpstr (od_account_get_address (account), ==, "ada@example.net");
  g_assert_cmpstr (od_account_get_display_name (account), ==, "Ada L.");
  g_assert_cmpuint (found_test_n_notes (rc), ==, 1);
  found_test_assert_note (rc, "smtp_url");
  g_assert_cmpint (od_found_account_get_secret (rc), ==, OD_FOUND_SECRET_ASK);

  /* nossl_starttls: plain SMTP on port 25, no login; $EMAIL is not expanded. */
  mutt = found_test_get (found, "neomutt:.muttrc");
  found_test_assert_server (mutt, "localhost", 25, OD_SECURITY_NONE, NULL,
                            OD_ACCOUNT_AUTH_NONE);
  g_assert_cmpstr (od_account_get_address (od_found_account_get_account (mutt)), ==, "");
  g_assert_cmpuint (found_test_n_notes (mutt), ==, 1);
  found_test_assert_note (mutt, "use a variable");
}

static void
test_plain (void)
{
  g_autofree char *home = found_test_fixture ("neomutt", "plain");
  g_autoptr(GPtrArray) found = found_test_run (od_found_neomutt_read, home, TRUE, NULL);

  /* No smtp_url: mail goes to sendmail, no account. */
  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_broken (void)
{
  g_autofree char *home = found_test_fixture ("neomutt", "broken");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = found_test_run (od_found_neomutt_read, home, FALSE, &error);

  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_assert_nonnull (strstr (error->message, ".muttrc"));
  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_hostile (void)
{
  g_autofree char *home = found_test_temp_home (".config/neomutt/unused", NULL, 0);
  g_autofree char *marker = g_build_filename (home, "marker", NULL);
  g_autofree char *rc = NULL, *muttrc = NULL, *neomuttrc = NULL, *target = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  /* Command substitution in the URL and elsewhere: never run, the URL not used. */
  rc = g_strdup_printf ("set smtp_url = \"smtp://`touch %s`@smtp.example.org/\"\n"
                        "set smtp_pass = `touch %s`\nsource \"touch %s|\"\n", marker, marker,
                        marker);
  muttrc = g_build_filename (home, ".muttrc", NULL);
  g_assert_true (g_file_set_contents (muttrc, rc, -1, NULL));
  found = found_test_run (od_found_neomutt_read, home, FALSE, &error);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_error (&error);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Beside a good file (a link to a regular file), the bad one does not fail the reader. */
  target = g_build_filename (home, "real-neomuttrc", NULL);
  g_assert_true (g_file_set_contents (target, "set smtp_url=smtps://a@s.example\\\n", -1,
                                      NULL));
  neomuttrc = g_build_filename (home, ".neomuttrc", NULL);
  g_assert_cmpint (symlink (target, neomuttrc), ==, 0);
  found = found_test_run (od_found_neomutt_read, home, TRUE, NULL);
  g_assert_cmpuint (found->len, ==, 1);
  found_test_assert_server (found->pdata[0], "s.example", 465, OD_SECURITY_TLS, "a", NULL);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Binary, escapes, invalid UTF-8, an unterminated quote. */
  g_assert_true (g_file_set_contents (muttrc, "set smtp_url=\0", 14, NULL));
  g_assert_true (g_file_set_contents (target, "set from = \"\xff\" smtp_url = \"smtp://\\\"h\n",
                                      -1, NULL));
  found = found_test_run (od_found_neomutt_read, home, FALSE, &error);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_clear_error (&error);
  g_clear_pointer (&found, g_ptr_array_unref);

  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  found_test_remove_tree (home);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/found/neomutt/realistic", test_realistic);
  g_test_add_func ("/od/found/neomutt/plain", test_plain);
  g_test_add_func ("/od/found/neomutt/broken", test_broken);
  g_test_add_func ("/od/found/neomutt/hostile", test_hostile);

  return g_test_run ();
}
