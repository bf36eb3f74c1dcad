/* test-found-kmail.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The KMail reader against a fixture home (tests/data/found/kmail/home): SMTP transports
 * with every encryption and several login methods, written as names and as numbers, an
 * Akonadi transport left out, KConfig's markers and escapes ([$Version], key[$e] not
 * expanded, key[$i], \s and \x21, a nested group), identities giving the address, the
 * Flatpak's configuration; and files that cannot be read at all. A precommand is never run. */

#include "config.h"

#include "od-found-kmail.h"
#include "od-kconfig.h"

#include "found-test-util.h"

static GPtrArray *
read_fixture (char **base)
{
  g_autofree char *home = found_test_copy_fixture ("kmail", base);
  g_autofree char *config = g_build_filename (home, ".config", NULL);
  OdFoundContext context = { home, config, NULL };
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_assert_true (od_found_read_kmail (&context, found, &error));
  g_assert_no_error (error);
  found_test_dump (found);
  return found;
}

static void
test_transports (void)
{
  g_autofree char *base = NULL;
  g_autoptr(GPtrArray) found = read_fixture (&base);
  OdFoundAccount *one;
  OdAccount *a;

  g_assert_false (g_file_test ("/tmp/od-kmail-precommand-ran", G_FILE_TEST_EXISTS));
  g_assert_cmpuint (found->len, ==, 6);
  for (guint i = 0; i < found->len; i++)
    {
      one = g_ptr_array_index (found, i);
      g_assert_cmpstr (od_found_account_get_origin (one), ==, "kmail");
      g_assert_cmpint (od_found_account_get_secret (one), ==, OD_FOUND_SECRET_ASK);
      g_assert_cmpuint (found_test_count_notes (one, "5 lines of "), ==, 1);
      g_assert_cmpuint (found_test_count_notes (one, "/.config/mailtransports were not read"),
                        ==, 1);
      g_assert_cmpstr (od_account_get_host (od_found_account_get_account (one)), !=,
                       "shadowed.example");
    }

  /* The default transport: the identity without a transport of its own sends through it. */
  one = found_test_get (found, "kmail:1289342870");
  a = od_found_account_get_account (one);
  g_assert_true (g_str_has_suffix (od_found_account_get_source_path (one),
                                   "/.config/mailtransports"));
  g_assert_cmpstr (od_account_get_address (a), ==, "ada@example.org");
  g_assert_cmpstr (od_account_get_display_name (a), ==, "Ada Lovelace");
  g_assert_cmpstr (od_account_get_host (a), ==, "smtp.example.org");
  g_assert_cmpuint (od_account_get_port (a), ==, 465);
  g_assert_cmpint (od_account_get_security (a), ==, OD_SECURITY_TLS);
  g_assert_cmpstr (od_account_get_username (a), ==, "ada@example.org");
  g_assert_cmpstr (od_account_get_auth_mechanism (a), ==, "PLAIN");
  g_assert_null (od_account_get_incoming_host (a));
  g_assert_cmpuint (found_test_n_notes (one), ==, 1);

  one = found_test_get (found, "kmail:523458203");
  a = od_found_account_get_account (one);
  g_assert_cmpstr (od_account_get_address (a), ==, "ada@work.example.com");
  g_assert_cmpstr (od_account_get_display_name (a), ==, "Ada at Work");
  g_assert_cmpstr (od_account_get_host (a), ==, "mail.work.example.com");
  g_assert_cmpuint (od_account_get_port (a), ==, 587);
  g_assert_cmpint (od_account_get_security (a), ==, OD_SECURITY_STARTTLS);
  g_assert_cmpstr (od_account_get_username (a), ==, "ada");
  g_assert_cmpstr (od_account_get_auth_mechanism (a), ==, "LOGIN");
  g_assert_cmpuint (found_test_n_notes (one), ==, 1);

  /* No id key: the group's number; no login; a port that is not one; no identity. */
  one = found_test_get (found, "kmail:77");
  a = od_found_account_get_account (one);
  g_assert_cmpstr (od_account_get_address (a), ==, "");
  g_assert_cmpstr (od_account_get_host (a), ==, "relay.example.net");
  g_assert_cmpuint (od_account_get_port (a), ==, 465);
  g_assert_cmpint (od_account_get_security (a), ==, OD_SECURITY_NONE);
  g_assert_cmpstr (od_account_get_auth_mechanism (a), ==, OD_ACCOUNT_AUTH_NONE);
  g_assert_cmpuint (found_test_count_notes (one, "The port “abc” is not a port number; the "
                                                 "default port 465 is assumed."), ==, 1);
  g_assert_cmpuint (found_test_count_notes (one, "No KMail identity"), ==, 1);
  g_assert_cmpuint (found_test_n_notes (one), ==, 3);

  /* Numbers for the enums; user[$e] is not expanded, so there is no login name. */
  one = found_test_get (found, "kmail:88");
  a = od_found_account_get_account (one);
  g_assert_cmpstr (od_account_get_address (a), ==, "ada@office.example");
  g_assert_cmpstr (od_account_get_display_name (a), ==, "Ada (Office)!");
  g_assert_cmpstr (od_account_get_host (a), ==, "smtp.office365.com");
  g_assert_cmpint (od_account_get_security (a), ==, OD_SECURITY_STARTTLS);
  g_assert_cmpstr (od_account_get_username (a), ==, "");
  g_assert_cmpstr (od_account_get_auth_mechanism (a), ==, "XOAUTH2");
  g_assert_cmpuint (found_test_count_notes (one, "An OAuth account"), ==, 1);
  g_assert_cmpuint (found_test_n_notes (one), ==, 2);

  one = found_test_get (found, "kmail:101");
  a = od_found_account_get_account (one);
  g_assert_cmpstr (od_account_get_username (a), ==, "DOMAIN\\ada");
  g_assert_cmpint (od_account_get_security (a), ==, OD_SECURITY_NONE);
  g_assert_cmpuint (od_account_get_port (a), ==, 465);
  g_assert_cmpuint (found_test_count_notes (one, "does not support (NTLM)"), ==, 1);
  g_assert_cmpuint (found_test_count_notes (one, "The encryption setting “Weird” is not known"),
                    ==, 1);
  g_assert_cmpuint (found_test_count_notes (one, "The port “0” is not a port number"), ==, 1);
  g_assert_cmpuint (found_test_n_notes (one), ==, 5);

  /* The Flatpak's, which has no identities. */
  one = found_test_get (found, "kmail:555");
  a = od_found_account_get_account (one);
  g_assert_true (g_str_has_suffix (od_found_account_get_source_path (one),
                                   "/.var/app/org.kde.kmail2/config/mailtransports"));
  g_assert_cmpstr (od_account_get_host (a), ==, "smtp.flatpak.example");
  g_assert_cmpuint (od_account_get_port (a), ==, 587);
  g_assert_cmpstr (od_account_get_username (a), ==, "fiona");
  g_assert_cmpuint (found_test_count_notes (one, "No KMail identity"), ==, 1);
  g_assert_cmpuint (found_test_n_notes (one), ==, 2);

  found_test_remove_tree (base);
}

static void
test_unreadable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_dir_make_tmp ("od-found-XXXXXX", &error);
  g_autofree char *home = g_build_filename (base, "home", NULL);
  g_autofree char *config = g_build_filename (home, ".config", NULL);
  g_autofree char *path = g_build_filename (config, "mailtransports", NULL);
  g_autofree char *outside = g_build_filename (base, "outside", NULL);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  OdFoundContext context = { home, config, NULL };
  g_autofree char *huge = g_malloc0 (5 * 1024 * 1024);

  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);
  g_assert_true (od_found_read_kmail (&context, found, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);

  found_test_write (path, "[Transport 1]\nhost=a.example\n\0binary", 36);
  g_assert_false (od_found_read_kmail (&context, found, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "not a text file"));
  g_clear_error (&error);

  memset (huge, 'x', 5 * 1024 * 1024);
  found_test_write (path, huge, 5 * 1024 * 1024);
  g_assert_false (od_found_read_kmail (&context, found, &error));
  g_assert_nonnull (strstr (error->message, "too large"));
  g_clear_error (&error);

  /* A link out of the home folder is not followed. */
  g_unlink (path);
  found_test_write (outside, "[Transport 1]\nhost=outside.example\n", -1);
  g_assert_cmpint (symlink (outside, path), ==, 0);
  g_assert_false (od_found_read_kmail (&context, found, &error));
  g_assert_nonnull (strstr (error->message, "outside the home folder"));
  g_clear_error (&error);
  g_assert_cmpuint (found->len, ==, 0);

  found_test_remove_tree (base);
}

static void
test_kconfig (void)
{
  const char text[] =
    "top=level\n"
    "[$Version]\nupdate_info=x\n"
    "[Group]\n"
    "plain = value with spaces \n"
    "escaped=a\\sb\\tc\\x41\\x00\\\\\n"
    "key[$i]=immutable\n"
    "key2[de]=Deutsch\n"
    "key3[$e]=$HOME\n"
    "key4[$d]\n"
    "key5[$d]=x\n"
    "[bad]key=1\n"
    "[Group][Sub]\nsub=1\n"
    "=novalue\n"
    "[Other]\n"
    "\t  indented=yes\r\n"
    "bad\xff=1\n";
  g_autoptr(GError) error = NULL;
  guint skipped = 0;
  g_autoptr(GKeyFile) keyfile = od_kconfig_load (text, strlen (text), &skipped, &error);
  g_autofree char *escaped = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *immutable = NULL;
  g_autofree char *indented = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (keyfile);
  plain = od_kconfig_get_string (keyfile, "Group", "plain");
  escaped = od_kconfig_get_string (keyfile, "Group", "escaped");
  immutable = od_kconfig_get_string (keyfile, "Group", "key");
  indented = od_kconfig_get_string (keyfile, "Other", "indented");
  g_assert_cmpstr (plain, ==, "value with spaces");
  g_assert_cmpstr (escaped, ==, "a b\tcA\\x00\\");
  g_assert_cmpstr (immutable, ==, "immutable");
  /* key2[de] is a translation: it does not break the file (GKeyFile keeps only those of the
   * current locale). */
  g_assert_cmpstr (indented, ==, "yes");
  g_assert_false (g_key_file_has_key (keyfile, "Group", "key3", NULL));
  g_assert_false (g_key_file_has_key (keyfile, "Group", "key5", NULL));
  g_assert_false (g_key_file_has_group (keyfile, "$Version"));
  g_assert_false (g_key_file_has_group (keyfile, "Sub"));
  /* key3[$e], key4[$d], key5[$d], [bad]key, [Group][Sub], sub, =novalue, bad\xff */
  g_assert_cmpuint (skipped, ==, 8);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/found-kmail/transports", test_transports);
  g_test_add_func ("/od/found-kmail/unreadable", test_unreadable);
  g_test_add_func ("/od/found-kmail/kconfig", test_kconfig);

  return g_test_run ();
}
