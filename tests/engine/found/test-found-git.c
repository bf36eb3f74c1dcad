/* test-found-git.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The git send-email reader: git's configuration syntax (sections, subsections, quotes,
 * escapes, comments, continuation lines), identities, git's default ports, the item of git's
 * libsecret credential helper, and what it refuses: broken files, sendmail programs and a
 * command that must never run. */

#include "config.h"

#include "found-test.h"
#include "od-found-git.h"

static void
test_syntax (void)
{
  const char *text = "\xef\xbb\xbf# comment\r\n[Core]\r\n\tbare\n"
                     "[a \"Sub \\\"x\\\\\"] KEY = one \"two  three\" \\t; comment\n"
                     "[b.SUB]\nk=\"#not a comment\" # a comment\nc = x\\\ny\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = od_git_config_parse (text, strlen (text), &error);
  OdGitConfigEntry *e;

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 4);
  e = entries->pdata[0];
  g_assert_cmpstr (e->section, ==, "core");
  g_assert_null (e->subsection);
  g_assert_cmpstr (e->key, ==, "bare");
  g_assert_null (e->value);
  e = entries->pdata[1];
  g_assert_cmpstr (e->section, ==, "a");
  g_assert_cmpstr (e->subsection, ==, "Sub \"x\\");
  g_assert_cmpstr (e->key, ==, "key");
  g_assert_cmpstr (e->value, ==, "one two  three \t");
  e = entries->pdata[2];
  g_assert_cmpstr (e->section, ==, "b");
  g_assert_cmpstr (e->subsection, ==, "sub");
  g_assert_cmpstr (e->value, ==, "#not a comment");
  e = entries->pdata[3];
  g_assert_cmpstr (e->value, ==, "xy");

  /* What git refuses. */
  {
    const char *bad[] = { "key = value\n", "[s]\nk = \"open\n", "[s]\nk = a\\q\n", "[s\n",
                          "[s \"x]\n", "[s]\n1key = x\n", "[s]\nk : v\n", "[]\n" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GPtrArray) none = od_git_config_parse (bad[i], strlen (bad[i]), &error);

        g_assert_null (none);
        g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
        g_clear_error (&error);
      }
  }
}

static void
test_realistic (void)
{
  g_autofree char *home = found_test_fixture ("git", "realistic");
  g_autoptr(GPtrArray) found = found_test_run (od_found_git_read, home, TRUE, NULL);
  g_autofree char *global_path = g_build_filename (home, ".gitconfig", NULL);
  OdFoundAccount *global, *kernel, *old, *xdg;
  OdAccount *account;

  g_assert_cmpuint (found->len, ==, 4);
  global = found_test_get (found, "git:global");
  account = od_found_account_get_account (global);
  found_test_assert_server (global, "smtp.example.org", 587, OD_SECURITY_STARTTLS,
                            "ada@example.org", NULL);
  g_assert_cmpstr (od_account_get_address (account), ==, "ada@example.org");
  g_assert_cmpstr (od_account_get_display_name (account), ==, "Ada Lovelace");
  g_assert_cmpstr (od_found_account_get_source_path (global), ==, global_path);
  g_assert_cmpint (od_found_account_get_secret (global), ==, OD_FOUND_SECRET_KEYRING);
  g_assert_cmpuint (g_hash_table_size (od_found_account_get_keyring_attributes (global)), ==, 4);
  found_test_assert_attribute (global, "protocol", "smtp");
  found_test_assert_attribute (global, "server", "smtp.example.org");
  found_test_assert_attribute (global, "port", "587");
  found_test_assert_attribute (global, "user", "ada@example.org");
  g_assert_cmpuint (found_test_n_notes (global), ==, 1);
  found_test_assert_note (global, "includes other files");

  /* An identity: its own server and encryption, the section's sender. */
  kernel = found_test_get (found, "git:global/kernel");
  found_test_assert_server (kernel, "mail.kernel.example", 465, OD_SECURITY_TLS,
                            "ada \"the\" countess", "LOGIN");
  g_assert_cmpstr (od_account_get_address (od_found_account_get_account (kernel)), ==,
                   "ada@example.org");
  found_test_assert_attribute (kernel, "port", "465");
  found_test_assert_attribute (kernel, "user", "ada \"the\" countess");
  g_assert_cmpuint (found_test_n_notes (kernel), ==, 1);

  /* [sendemail.old]: an empty smtpUser means no login. */
  old = found_test_get (found, "git:global/old");
  found_test_assert_server (old, "old.example.net", 587, OD_SECURITY_STARTTLS, NULL,
                            OD_ACCOUNT_AUTH_NONE);
  g_assert_cmpint (od_found_account_get_secret (old), ==, OD_FOUND_SECRET_ASK);

  /* The XDG file: plain SMTP on git's port 25, a password written in the file. */
  xdg = found_test_get (found, "git:xdg");
  found_test_assert_server (xdg, "relay.example.com", 25, OD_SECURITY_NONE, "ada", NULL);
  g_assert_cmpint (od_found_account_get_secret (xdg), ==, OD_FOUND_SECRET_ASK);
  g_assert_cmpuint (g_hash_table_size (od_found_account_get_keyring_attributes (xdg)), ==, 0);
  /* ~/.gitconfig sets all four for [sendemail] too, and git takes its values. */
  g_assert_cmpuint (found_test_n_notes (xdg), ==, 2);
  found_test_assert_note (xdg, "keyring is safer");
  found_test_assert_note (xdg, "sets smtpServer, smtpServerPort, smtpEncryption, smtpUser too, "
                               "and git send-email uses those values");
}

static void
test_broken (void)
{
  g_autofree char *home = found_test_fixture ("git", "broken");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = found_test_run (od_found_git_read, home, FALSE, &error);

  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_assert_nonnull (strstr (error->message, ".gitconfig: Line 4 "));
  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_sendmail (void)
{
  g_autofree char *home = found_test_fixture ("git", "sendmail");
  g_autoptr(GPtrArray) found = found_test_run (od_found_git_read, home, TRUE, NULL);

  /* A sendmail program is no SMTP account, and it is never run. */
  g_assert_cmpuint (found->len, ==, 0);
}

static void
test_hostile (void)
{
  g_autofree char *home = found_test_temp_home (".config/git/unused", NULL, 0);
  g_autofree char *marker = g_build_filename (home, "marker", NULL);
  g_autofree char *config = NULL, *path = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  GString *many;

  /* Commands in every place git might run one: none runs. */
  config = g_strdup_printf ("[sendemail]\n\tsmtpServer = smtp.example.org\n"
                            "\tsmtpUser = ada\n\tsendmailCmd = touch %s\n"
                            "\ttoCmd = touch %s\n[credential]\n\thelper = !touch %s\n"
                            "[sendemail \"evil\"]\n\tsmtpServer = /bin/sh -c 'touch %s'\n"
                            "[sendemail \"bin\"]\n\tsmtpServer = \xff\xfe\n",
                            marker, marker, marker, marker);
  path = g_build_filename (home, ".gitconfig", NULL);
  g_assert_true (g_file_set_contents (path, config, -1, NULL));
  found = found_test_run (od_found_git_read, home, TRUE, NULL);
  g_assert_cmpuint (found->len, ==, 0);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Without sendmailCmd: the account, but the "!" helper is not libsecret. */
  g_free (config);
  config = g_strdup_printf ("[sendemail]\n\tsmtpServer = smtp.example.org\n\tsmtpUser = ada\n"
                            "[credential]\n\thelper = !touch %s\n", marker);
  g_assert_true (g_file_set_contents (path, config, -1, NULL));
  found = found_test_run (od_found_git_read, home, TRUE, NULL);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (od_found_account_get_secret (found->pdata[0]), ==, OD_FOUND_SECRET_ASK);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Binary: refused with the file's name. */
  g_assert_true (g_file_set_contents (path, "[sendemail]\n\0x", 14, NULL));
  found = found_test_run (od_found_git_read, home, FALSE, &error);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_clear_error (&error);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Many identities: at most 100 accounts. */
  many = g_string_new ("[sendemail]\nsmtpserver = s.example\n");
  for (guint i = 0; i < 300; i++)
    g_string_append_printf (many, "[sendemail \"id%u\"]\nfrom = a%u@example.org\n", i, i);
  g_assert_true (g_file_set_contents (path, many->str, many->len, NULL));
  g_string_free (many, TRUE);
  found = found_test_run (od_found_git_read, home, TRUE, NULL);
  g_assert_cmpuint (found->len, ==, 100);

  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  found_test_remove_tree (home);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/found/git/syntax", test_syntax);
  g_test_add_func ("/od/found/git/realistic", test_realistic);
  g_test_add_func ("/od/found/git/broken", test_broken);
  g_test_add_func ("/od/found/git/sendmail", test_sendmail);
  g_test_add_func ("/od/found/git/hostile", test_hostile);

  return g_test_run ();
}
