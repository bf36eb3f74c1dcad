/* test-found-geary.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The Geary reader against a fixture home (tests/data/found/geary/home): accounts of
 * Geary's own servers, Gmail and Outlook.com, outgoing logins of their own, of the incoming
 * server and none, a GOA account and a removed one left out, an old format, and made here
 * a binary geary.ini and one that is a symbolic link out of the home folder. The keyring
 * attributes are those of Geary's SecretMediator. */

#include "config.h"

#include "od-found-geary.h"

#include "found-test-util.h"

typedef struct
{
  char *base;
  char *home;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *outside = NULL;
  g_autofree char *link = NULL;

  f->home = found_test_copy_fixture ("geary", &f->base);
  path = g_build_filename (f->home, ".config", "geary", "account_08", "geary.ini", NULL);
  found_test_write (path, "[Metadata]\nversion=1\n\0\xff\xfe", 22);
  outside = g_build_filename (f->base, "outside", "geary.ini", NULL);
  found_test_write (outside, "[Metadata]\nversion=1\n[Account]\nservice_provider=other\n"
                             "[Outgoing]\nhost=outside.example\ncredentials=none\n", -1);
  link = g_build_filename (f->home, ".config", "geary", "account_09", "geary.ini", NULL);
  g_free (path);
  path = g_path_get_dirname (link);
  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  g_assert_cmpint (symlink (outside, link), ==, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  found_test_remove_tree (f->base);
  g_free (f->base);
  g_free (f->home);
}

#define N_PROBLEMS 3

static void
assert_keyring (OdFoundAccount *found,
                const char     *proto,
                const char     *host,
                const char     *login)
{
  GHashTable *attributes = od_found_account_get_keyring_attributes (found);

  g_assert_cmpint (od_found_account_get_secret (found), ==, OD_FOUND_SECRET_KEYRING);
  g_assert_cmpuint (g_hash_table_size (attributes), ==, 4);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "xdg:schema"), ==, "org.gnome.Geary");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "proto"), ==, proto);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "host"), ==, host);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "login"), ==, login);
}

static void
test_accounts (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *config = g_build_filename (f->home, ".config", NULL);
  OdFoundContext context = { f->home, config, NULL };
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  OdFoundAccount *one;
  OdAccount *a;

  g_assert_true (od_found_read_geary (&context, found, &error));
  g_assert_no_error (error);
  found_test_dump (found);
  g_assert_cmpuint (found->len, ==, 5);
  for (guint i = 0; i < found->len; i++)
    {
      one = g_ptr_array_index (found, i);
      g_assert_cmpstr (od_found_account_get_origin (one), ==, "geary");
      g_assert_cmpuint (found_test_count_notes (one, "Geary account account_07: this is not a "
                                                     "version"), ==, 1);
      g_assert_cmpuint (found_test_count_notes (one, "Geary account account_08: "), ==, 1);
      g_assert_cmpuint (found_test_count_notes (one, "not a text file"), ==, 1);
      g_assert_cmpuint (found_test_count_notes (one, "Geary account account_09: "), ==, 1);
      g_assert_cmpuint (found_test_count_notes (one, "outside the home folder"), ==, 1);
    }

  /* The outgoing server logs in with the incoming server's login and password. */
  one = found_test_get (found, "geary:account_01");
  a = od_found_account_get_account (one);
  g_assert_true (g_str_has_suffix (od_found_account_get_source_path (one),
                                   "/.config/geary/account_01/geary.ini"));
  g_assert_cmpstr (od_account_get_address (a), ==, "ada@example.org");
  g_assert_cmpstr (od_account_get_display_name (a), ==, "Ada Lovelace");
  g_assert_cmpstr (od_account_get_host (a), ==, "smtp.example.org");
  g_assert_cmpuint (od_account_get_port (a), ==, 587);
  g_assert_cmpint (od_account_get_security (a), ==, OD_SECURITY_STARTTLS);
  g_assert_cmpstr (od_account_get_username (a), ==, "ada");
  g_assert_null (od_account_get_auth_mechanism (a));
  g_assert_cmpstr (od_account_get_incoming_protocol (a), ==, "imap");
  g_assert_cmpstr (od_account_get_incoming_host (a), ==, "imap.example.org");
  g_assert_cmpuint (od_account_get_incoming_port (a), ==, 993);
  g_assert_cmpint (od_account_get_incoming_security (a), ==, OD_SECURITY_TLS);
  g_assert_cmpstr (od_account_get_incoming_username (a), ==, "ada");
  assert_keyring (one, "IMAP", "imap.example.org", "ada");
  g_assert_cmpuint (found_test_n_notes (one), ==, N_PROBLEMS);

  /* Its own login; port 0 is Geary's default (465 with TLS), 143 for STARTTLS IMAP. */
  one = found_test_get (found, "geary:account_02");
  a = od_found_account_get_account (one);
  g_assert_cmpstr (od_account_get_address (a), ==, "ada@work.example.com");
  g_assert_cmpstr (od_account_get_display_name (a), ==, "Lovelace, Ada");
  g_assert_cmpstr (od_account_get_host (a), ==, "smtp.work.example.com");
  g_assert_cmpuint (od_account_get_port (a), ==, 465);
  g_assert_cmpint (od_account_get_security (a), ==, OD_SECURITY_TLS);
  g_assert_cmpstr (od_account_get_username (a), ==, "smtp-user");
  g_assert_cmpstr (od_account_get_incoming_host (a), ==, "mail.work.example.com");
  g_assert_cmpuint (od_account_get_incoming_port (a), ==, 143);
  g_assert_cmpint (od_account_get_incoming_security (a), ==, OD_SECURITY_STARTTLS);
  assert_keyring (one, "SMTP", "smtp.work.example.com", "smtp-user");
  g_assert_cmpuint (found_test_count_notes (one, "switched off in Geary"), ==, 1);
  g_assert_cmpuint (found_test_n_notes (one), ==, N_PROBLEMS + 1);

  /* Gmail: Geary's own servers. */
  one = found_test_get (found, "geary:account_03");
  a = od_found_account_get_account (one);
  g_assert_cmpstr (od_account_get_address (a), ==, "grace@gmail.com");
  g_assert_cmpstr (od_account_get_host (a), ==, "smtp.gmail.com");
  g_assert_cmpuint (od_account_get_port (a), ==, 465);
  g_assert_cmpint (od_account_get_security (a), ==, OD_SECURITY_TLS);
  g_assert_cmpstr (od_account_get_username (a), ==, "grace@gmail.com");
  g_assert_cmpstr (od_account_get_incoming_host (a), ==, "imap.gmail.com");
  g_assert_cmpuint (od_account_get_incoming_port (a), ==, 993);
  assert_keyring (one, "IMAP", "imap.gmail.com", "grace@gmail.com");
  g_assert_cmpuint (found_test_n_notes (one), ==, N_PROBLEMS);

  /* No login, bad ports, unknown security, no sender. */
  one = found_test_get (found, "geary:account_04");
  a = od_found_account_get_account (one);
  g_assert_cmpstr (od_account_get_address (a), ==, "");
  g_assert_cmpstr (od_account_get_host (a), ==, "relay.example.net");
  g_assert_cmpuint (od_account_get_port (a), ==, 25);
  g_assert_cmpint (od_account_get_security (a), ==, OD_SECURITY_NONE);
  g_assert_cmpstr (od_account_get_auth_mechanism (a), ==, OD_ACCOUNT_AUTH_NONE);
  g_assert_cmpint (od_found_account_get_secret (one), ==, OD_FOUND_SECRET_ASK);
  g_assert_cmpuint (g_hash_table_size (od_found_account_get_keyring_attributes (one)), ==, 0);
  g_assert_cmpstr (od_account_get_incoming_host (a), ==, "imap.relay.example");
  g_assert_cmpuint (od_account_get_incoming_port (a), ==, 993);
  g_assert_cmpuint (found_test_count_notes (one, "no sender address"), ==, 1);
  g_assert_cmpuint (found_test_count_notes (one, "The port “99999” is not a port number; the "
                                                 "default port 993 is assumed."), ==, 1);
  g_assert_cmpuint (found_test_count_notes (one, "The port “abc” is not a port number; the "
                                                 "default port 25 is assumed."), ==, 1);
  g_assert_cmpuint (found_test_count_notes (one, "The encryption setting “ssl” is not known"),
                    ==, 1);
  g_assert_cmpuint (found_test_n_notes (one), ==, N_PROBLEMS + 4);

  /* The Flatpak's: Outlook.com, a password Geary does not keep. Its account_01 is shadowed by
   * the one of the same name outside the Flatpak. */
  one = found_test_get (found, "geary:account_10");
  a = od_found_account_get_account (one);
  g_assert_true (g_str_has_suffix (od_found_account_get_source_path (one),
                                   "/.var/app/org.gnome.Geary/config/geary/account_10/"
                                   "geary.ini"));
  g_assert_cmpstr (od_account_get_address (a), ==, "fiona@flat.example");
  g_assert_cmpstr (od_account_get_host (a), ==, "smtp-mail.outlook.com");
  g_assert_cmpuint (od_account_get_port (a), ==, 587);
  g_assert_cmpint (od_account_get_security (a), ==, OD_SECURITY_STARTTLS);
  g_assert_cmpstr (od_account_get_username (a), ==, "fiona@flat.example");
  g_assert_cmpstr (od_account_get_incoming_host (a), ==, "imap-mail.outlook.com");
  g_assert_cmpint (od_found_account_get_secret (one), ==, OD_FOUND_SECRET_ASK);
  g_assert_cmpuint (found_test_count_notes (one, "Geary does not keep this password"), ==, 1);
  g_assert_cmpuint (found_test_n_notes (one), ==, N_PROBLEMS + 1);
}

static void
test_nothing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp ("od-found-XXXXXX", &error);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  OdFoundContext context = { home, NULL, NULL };
  g_autofree char *ini = g_build_filename (home, ".config", "geary", "account_01", "geary.ini",
                                           NULL);

  g_assert_true (od_found_read_geary (&context, found, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);

  /* Only an account that cannot be read: the reader's error. */
  found_test_write (ini, "[Metadata\nversion=1\n", -1);
  g_assert_false (od_found_read_geary (&context, found, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "Geary account account_01: "));
  g_assert_cmpuint (found->len, ==, 0);

  found_test_remove_tree (home);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/od/found-geary/accounts", Fixture, NULL, fixture_set_up, test_accounts,
              fixture_tear_down);
  g_test_add_func ("/od/found-geary/nothing", test_nothing);

  return g_test_run ();
}
