/* test-found-msmtp.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The msmtp reader: defaults and inheritance, msmtp's own default ports, the keyring item
 * msmtp looks up, and what it refuses: loops, broken lines, hostile files, and a
 * passwordeval command that must never run. */

#include "config.h"

#include "found-test.h"
#include "od-found-msmtp.h"

static void
test_realistic (void)
{
  g_autofree char *home = found_test_fixture ("msmtp", "realistic");
  g_autoptr(GPtrArray) found = found_test_run (od_found_msmtp_read, home, TRUE, NULL);
  g_autofree char *path = g_build_filename (home, ".config", "msmtp", "config", NULL);
  OdFoundAccount *work, *home_account, *login, *relay, *fallback;

  g_assert_cmpuint (found->len, ==, 5);
  work = found_test_get (found, "msmtp:work");
  found_test_assert_server (work, "smtp.example.org", 587, OD_SECURITY_STARTTLS, "ada", NULL);
  g_assert_cmpstr (od_account_get_address (od_found_account_get_account (work)), ==,
                   "ada@example.org");
  g_assert_cmpstr (od_found_account_get_source_path (work), ==, path);
  g_assert_cmpint (od_found_account_get_secret (work), ==, OD_FOUND_SECRET_KEYRING);
  g_assert_cmpuint (g_hash_table_size (od_found_account_get_keyring_attributes (work)), ==, 3);
  found_test_assert_attribute (work, "host", "smtp.example.org");
  found_test_assert_attribute (work, "service", "smtp");
  found_test_assert_attribute (work, "user", "ada");
  g_assert_cmpuint (found_test_n_notes (work), ==, 0);

  /* tls_starttls off: TLS from the first byte, msmtp's port 465. */
  home_account = found_test_get (found, "msmtp:home");
  found_test_assert_server (home_account, "mail.example.net", 465, OD_SECURITY_TLS,
                            "ada@example.net", NULL);
  g_assert_cmpstr (od_account_get_address (od_found_account_get_account (home_account)), ==,
                   "ada@example.net");
  g_assert_cmpstr (od_account_get_display_name (od_found_account_get_account (home_account)),
                   ==, "Ada Lovelace");
  g_assert_cmpint (od_found_account_get_secret (home_account), ==, OD_FOUND_SECRET_ASK);
  g_assert_cmpuint (g_hash_table_size (od_found_account_get_keyring_attributes (home_account)),
                    ==, 0);
  g_assert_cmpuint (found_test_n_notes (home_account), ==, 1);
  found_test_assert_note (home_account, "does not run it");

  /* Inherits home; the password is in the file, never read. */
  login = found_test_get (found, "msmtp:home-login");
  found_test_assert_server (login, "mail.example.net", 465, OD_SECURITY_TLS,
                            "ada@example.net", "LOGIN");
  g_assert_cmpint (od_found_account_get_secret (login), ==, OD_FOUND_SECRET_ASK);
  g_assert_cmpuint (found_test_n_notes (login), ==, 2);
  found_test_assert_note (login, "keyring is safer");
  found_test_assert_note (login, "tls_certcheck off");

  /* tls off: no encryption, msmtp's port 25; auth off. */
  relay = found_test_get (found, "msmtp:relay");
  found_test_assert_server (relay, "localhost", 25, OD_SECURITY_NONE, NULL,
                            OD_ACCOUNT_AUTH_NONE);
  g_assert_cmpint (od_found_account_get_secret (relay), ==, OD_FOUND_SECRET_ASK);
  g_assert_cmpuint (found_test_n_notes (relay), ==, 2);
  found_test_assert_note (relay, "“eccentric_cmd”");
  /* from %U@localhost: msmtp's substitution is not expanded. */
  found_test_assert_note (relay, "sender address");
  g_assert_cmpstr (od_account_get_address (od_found_account_get_account (relay)), ==, "");

  fallback = found_test_get (found, "msmtp:default");
  found_test_assert_server (fallback, "smtp.example.org", 587, OD_SECURITY_STARTTLS, "ada",
                            NULL);
  g_assert_cmpint (od_found_account_get_secret (fallback), ==, OD_FOUND_SECRET_KEYRING);
}

static void
test_rc_first (void)
{
  g_autofree char *home = found_test_fixture ("msmtp", "rc-first");
  g_autoptr(GPtrArray) found = found_test_run (od_found_msmtp_read, home, TRUE, NULL);
  OdFoundAccount *account;

  /* ~/.msmtprc wins: the XDG file is not read. */
  g_assert_cmpuint (found->len, ==, 1);
  account = found_test_get (found, "msmtp:default");
  /* STARTTLS without a port: msmtp's default is 25, not 587. */
  found_test_assert_server (account, "smtp.rc.example", 25, OD_SECURITY_STARTTLS, "rc",
                            "PLAIN");
  g_assert_cmpstr (od_account_get_address (od_found_account_get_account (account)), ==, "");
}

static void
test_loop (void)
{
  g_autofree char *home = found_test_fixture ("msmtp", "loop");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = found_test_run (od_found_msmtp_read, home, FALSE, &error);

  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_assert_nonnull (strstr (error->message, "“a” inherits from “b”"));
  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_broken (void)
{
  g_autofree char *home = found_test_fixture ("msmtp", "broken");
  g_autoptr(GPtrArray) found = found_test_run (od_found_msmtp_read, home, TRUE, NULL);
  OdFoundAccount *ok;

  g_assert_cmpuint (found->len, ==, 1);
  ok = found_test_get (found, "msmtp:ok");
  found_test_assert_server (ok, "smtp.ok.example", 25, OD_SECURITY_NONE, NULL,
                            OD_ACCOUNT_AUTH_NONE);
  g_assert_cmpuint (found_test_n_notes (ok), ==, 8);
  found_test_assert_note (ok, "Line 4 ");
  found_test_assert_note (ok, "Line 5 ");
  found_test_assert_note (ok, "Line 7 ");
  /* msmtp 1.8 takes a quote that is not closed as part of the value ("unterminated), which
   * is no address. */
  found_test_assert_note (ok, "sender address of this msmtp account could not be read");
  found_test_assert_note (ok, "“nohost” has no usable server");
  found_test_assert_note (ok, "LMTP");
  found_test_assert_note (ok, "defined twice");
  found_test_assert_note (ok, "(“spaced name”)");
}

static void
test_hostile (void)
{
  g_autofree char *marker = NULL, *config = NULL, *link = NULL, *target = NULL;
  g_autofree char *home = found_test_temp_home (".config/msmtp/unused", NULL, 0);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  GString *huge;

  /* A passwordeval command (and a shell escape in another value) that would leave a marker. */
  marker = g_build_filename (home, "marker", NULL);
  config = g_strdup_printf ("account evil\nhost smtp.example.org\nuser `touch %s`\nauth on\n"
                            "passwordeval touch %s\naccount shell\nhost $(touch %s)\n",
                            marker, marker, marker);
  target = g_build_filename (home, "elsewhere", NULL);
  g_assert_true (g_file_set_contents (target, config, -1, NULL));
  /* ~/.msmtprc as a link to a regular file is read (as msmtp reads it). */
  link = g_build_filename (home, ".msmtprc", NULL);
  g_assert_cmpint (symlink (target, link), ==, 0);
  found = found_test_run (od_found_msmtp_read, home, TRUE, NULL);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (od_found_account_get_secret (found->pdata[0]), ==, OD_FOUND_SECRET_ASK);
  found_test_assert_note (found->pdata[0], "does not run it");
  found_test_assert_note (found->pdata[0], "“shell” has no usable server");
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_clear_pointer (&found, g_ptr_array_unref);

  /* A link to a directory, binary and huge files: the reader fails and says which file. */
  g_unlink (link);
  g_assert_cmpint (symlink (home, link), ==, 0);
  found = found_test_run (od_found_msmtp_read, home, FALSE, &error);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_clear_error (&error);
  g_clear_pointer (&found, g_ptr_array_unref);
  g_unlink (link);

  g_assert_true (g_file_set_contents (link, "account x\nhost \0evil\n", 21, NULL));
  found = found_test_run (od_found_msmtp_read, home, FALSE, &error);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_clear_error (&error);
  g_clear_pointer (&found, g_ptr_array_unref);

  huge = g_string_new (NULL);
  while (huge->len <= OD_FOUND_MAX_FILE_SIZE)
    g_string_append (huge, "# padding padding padding padding padding padding padding\n");
  g_assert_true (g_file_set_contents (link, huge->str, huge->len, NULL));
  g_string_free (huge, TRUE);
  found = found_test_run (od_found_msmtp_read, home, FALSE, &error);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_clear_error (&error);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Many accounts: at most 100; backslashes (msmtp 1.8 has no escapes: they stay) and
   * invalid UTF-8 stay harmless. */
  huge = g_string_new ("account q\nhost \"q.example\"\nfrom \"\\\"Ada\\\" <q@example.org>\"\n"
                       "account r\nhost r.example\nfrom \"\xff\xfe\"\n");
  for (guint i = 0; i < 500; i++)
    g_string_append_printf (huge, "account a%u\nhost h%u.example\n", i, i);
  g_assert_true (g_file_set_contents (link, huge->str, huge->len, NULL));
  g_string_free (huge, TRUE);
  found = found_test_run (od_found_msmtp_read, home, TRUE, NULL);
  g_assert_cmpuint (found->len, ==, 100);
  g_assert_cmpstr (od_account_get_host (od_found_account_get_account (found->pdata[0])), ==,
                   "q.example");
  g_assert_cmpstr (od_account_get_display_name (od_found_account_get_account (found->pdata[0])),
                   ==, "\\\"Ada\\\"");
  found_test_assert_note (found->pdata[1], "sender address");
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Nothing there at all: no account, no error. */
  g_unlink (link);
  found = found_test_run (od_found_msmtp_read, home, TRUE, NULL);
  g_assert_cmpuint (found->len, ==, 0);

  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  found_test_remove_tree (home);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/found/msmtp/realistic", test_realistic);
  g_test_add_func ("/od/found/msmtp/rc-first", test_rc_first);
  g_test_add_func ("/od/found/msmtp/loop", test_loop);
  g_test_add_func ("/od/found/msmtp/broken", test_broken);
  g_test_add_func ("/od/found/msmtp/hostile", test_hostile);

  return g_test_run ();
}
