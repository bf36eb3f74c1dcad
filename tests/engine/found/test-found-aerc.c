/* test-found-aerc.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The aerc reader: accounts.conf as aerc reads it, the outgoing and source URLs through
 * GUri with aerc's schemes and ports, and what it never does: run a *-cred-cmd or a sendmail
 * program, keep a password from a URL. */

#include "config.h"

#include "found-test.h"
#include "od-found-aerc.h"

static void
test_realistic (void)
{
  g_autofree char *home = found_test_fixture ("aerc", "realistic");
  g_autoptr(GPtrArray) found = found_test_run (od_found_aerc_read, home, TRUE, NULL);
  g_autofree char *path = g_build_filename (home, ".config", "aerc", "accounts.conf", NULL);
  OdFoundAccount *work, *home_account, *relay, *gmail;
  OdAccount *account;

  g_assert_cmpuint (found->len, ==, 4);
  work = found_test_get (found, "aerc:Work");
  account = od_found_account_get_account (work);
  found_test_assert_server (work, "smtp.example.org", 465, OD_SECURITY_TLS, "ada@example.org",
                            "LOGIN");
  g_assert_cmpstr (od_account_get_address (account), ==, "ada@example.org");
  g_assert_cmpstr (od_account_get_display_name (account), ==, "Ada Lovelace");
  g_assert_cmpstr (od_found_account_get_source_path (work), ==, path);
  g_assert_cmpstr (od_account_get_incoming_protocol (account), ==, "imap");
  g_assert_cmpstr (od_account_get_incoming_host (account), ==, "imap.example.org");
  g_assert_cmpuint (od_account_get_incoming_port (account), ==, 993);
  g_assert_cmpint (od_account_get_incoming_security (account), ==, OD_SECURITY_TLS);
  g_assert_cmpstr (od_account_get_incoming_username (account), ==, "ada@example.org");
  g_assert_cmpint (od_found_account_get_secret (work), ==, OD_FOUND_SECRET_ASK);
  g_assert_cmpuint (found_test_n_notes (work), ==, 2);
  found_test_assert_note (work, "aerc runs a command");
  found_test_assert_note (work, "local program");

  /* smtp:// is STARTTLS on aerc's port 587; the password in the URL is never kept. */
  home_account = found_test_get (found, "aerc:home");
  account = od_found_account_get_account (home_account);
  found_test_assert_server (home_account, "mail.example.net", 587, OD_SECURITY_STARTTLS, "ada",
                            "PLAIN");
  g_assert_cmpstr (od_account_get_address (account), ==, "ada@example.net");
  g_assert_cmpuint (od_account_get_incoming_port (account), ==, 1143);
  g_assert_cmpint (od_account_get_incoming_security (account), ==, OD_SECURITY_STARTTLS);
  g_assert_cmpuint (found_test_n_notes (home_account), ==, 2);
  found_test_assert_note (home_account, "outgoing URL");

  /* "key: value", a section name with a space, smtp+insecure+none, a maildir source. */
  relay = found_test_get (found, "aerc:local relay");
  found_test_assert_server (relay, "localhost", 2525, OD_SECURITY_NONE, NULL,
                            OD_ACCOUNT_AUTH_NONE);
  g_assert_null (od_account_get_incoming_host (od_found_account_get_account (relay)));

  gmail = found_test_get (found, "aerc:Gmail");
  found_test_assert_server (gmail, "smtp.gmail.example", 465, OD_SECURITY_TLS,
                            "ada@gmail.example", "OAUTHBEARER");
  g_assert_cmpstr (od_account_get_address (od_found_account_get_account (gmail)), ==,
                   "ada@gmail.example");
  g_assert_cmpuint (od_account_get_incoming_port (od_found_account_get_account (gmail)), ==,
                    993);
  found_test_assert_note (gmail, "OAuth");
}

static void
test_broken (void)
{
  g_autofree char *home = found_test_fixture ("aerc", "broken");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = found_test_run (od_found_aerc_read, home, FALSE, &error);

  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_hostile (void)
{
  g_autofree char *home = found_test_temp_home (".config/aerc/accounts.conf", NULL, 0);
  g_autofree char *marker = g_build_filename (home, "marker", NULL);
  g_autofree char *path = g_build_filename (home, ".config", "aerc", "accounts.conf", NULL);
  g_autofree char *conf = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  GString *many;

  conf = g_strdup_printf ("[evil]\noutgoing = smtps://a@smtp.example.org\n"
                          "outgoing-cred-cmd = touch %s\nsource-cred-cmd = touch %s\n"
                          "[program]\noutgoing = touch %s\n"
                          "[shell]\noutgoing = smtp://$(touch %s)/\n"
                          "[\xff]\noutgoing = smtp://\xff/\n",
                          marker, marker, marker, marker);
  g_assert_true (g_file_set_contents (path, conf, -1, NULL));
  found = found_test_run (od_found_aerc_read, home, TRUE, NULL);
  g_assert_cmpuint (found->len, ==, 1);
  found_test_assert_note (found->pdata[0], "does not run it and asks");
  found_test_assert_note (found->pdata[0], "“shell” cannot be used");
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Binary: refused. */
  g_assert_true (g_file_set_contents (path, "[a]\n\0", 5, NULL));
  found = found_test_run (od_found_aerc_read, home, FALSE, &error);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_clear_error (&error);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Many accounts: at most 100. */
  many = g_string_new (NULL);
  for (guint i = 0; i < 300; i++)
    g_string_append_printf (many, "[a%u]\noutgoing = smtp://s%u.example\n", i, i);
  g_assert_true (g_file_set_contents (path, many->str, many->len, NULL));
  g_string_free (many, TRUE);
  found = found_test_run (od_found_aerc_read, home, TRUE, NULL);
  g_assert_cmpuint (found->len, ==, 100);

  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  found_test_remove_tree (home);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/found/aerc/realistic", test_realistic);
  g_test_add_func ("/od/found/aerc/broken", test_broken);
  g_test_add_func ("/od/found/aerc/hostile", test_hostile);

  return g_test_run ();
}
