/* test-found-thunderbird.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The Thunderbird reader against a fixture home (tests/data/found/thunderbird/home) with
 * profiles of the plain, Flatpak and Snap installations, and hostile additions made here:
 * a profile folder that is a symbolic link out of the home folder, a relative path with
 * "..", an absolute path out of the home folder, a huge and a binary prefs.js. And the
 * prefs.js tokenizer on its own: escapes, comments, what it refuses. */

#include "config.h"

#include "od-found-thunderbird.h"
#include "od-prefs-js.h"

#include "found-test-util.h"

typedef struct
{
  char *base;
  char *home;
  char *outside;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *link = NULL;
  g_autofree char *snap_ini = NULL;
  g_autofree char *ini = NULL;
  g_autofree char *huge = NULL;
  g_autofree char *path = NULL;
  const char prefs[] = "user_pref(\"mail.smtpserver.smtp1.hostname\", \"outside.example\");\n"
                       "user_pref(\"mail.smtpservers\", \"smtp1\");\n";

  f->home = found_test_copy_fixture ("thunderbird", &f->base);
  f->outside = g_build_filename (f->base, "outside", NULL);

  /* Profiles that must not be read: each would add an account for outside.example. */
  path = g_build_filename (f->outside, "linked", "prefs.js", NULL);
  found_test_write (path, prefs, -1);
  g_free (path);
  path = g_build_filename (f->outside, "abs.profile", "prefs.js", NULL);
  found_test_write (path, prefs, -1);
  g_free (path);
  path = g_build_filename (f->home, "outside.profile", "prefs.js", NULL);
  found_test_write (path, prefs, -1);
  g_free (path);
  link = g_build_filename (f->home, ".thunderbird", "linked.profile", NULL);
  path = g_build_filename (f->outside, "linked", NULL);
  g_assert_cmpint (symlink (path, link), ==, 0);
  g_free (path);

  /* The Snap's profiles.ini with absolute paths, in and out of the home folder. */
  ini = g_strdup_printf ("[Profile0]\nName=in-home\nIsRelative=0\nPath=%s/Mail/snap-profile\n\n"
                         "[Profile1]\nName=out\nIsRelative=0\nPath=%s/abs.profile\n\n"
                         "[Profile2]\nName=huge\nIsRelative=1\nPath=huge.profile\n\n"
                         "[Profile3]\nName=binary\nIsRelative=1\nPath=binary.profile\n\n"
                         "[Profile4]\nName=no-path\nIsRelative=1\n\n"
                         "[General]\nStartWithLastProfile=1\nVersion=2\n",
                         f->home, f->outside);
  snap_ini = g_build_filename (f->home, "snap", "thunderbird", "common", ".thunderbird",
                               "profiles.ini", NULL);
  found_test_write (snap_ini, ini, -1);
  huge = g_malloc (5 * 1024 * 1024);
  memset (huge, '\n', 5 * 1024 * 1024);
  path = g_build_filename (f->home, "snap", "thunderbird", "common", ".thunderbird",
                           "huge.profile", "prefs.js", NULL);
  found_test_write (path, huge, 5 * 1024 * 1024);
  g_free (path);
  path = g_build_filename (f->home, "snap", "thunderbird", "common", ".thunderbird",
                           "binary.profile", "prefs.js", NULL);
  found_test_write (path, "user_pref(\"a\", 1);\n\0\x01\x02", 22);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  found_test_remove_tree (f->base);
  g_free (f->base);
  g_free (f->home);
  g_free (f->outside);
}

static GPtrArray *
read_all (Fixture *f)
{
  OdFoundContext context = { f->home, NULL, NULL };
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_assert_true (od_found_read_thunderbird (&context, found, &error));
  g_assert_no_error (error);
  found_test_dump (found);
  return found;
}

/* The problems of profiles that were not read: a note on every account. */
#define N_PROBLEMS 5

static void
assert_problems (OdFoundAccount *found)
{
  g_assert_cmpuint (found_test_count_notes (found, "Thunderbird profile linked.profile: "), ==, 1);
  g_assert_cmpuint (found_test_count_notes (found, "outside the home folder"), ==, 2);
  g_assert_cmpuint (found_test_count_notes (found, "Thunderbird profile outside.profile: the "
                                                   "profile folder is outside"), ==, 1);
  g_assert_cmpuint (found_test_count_notes (found, "Thunderbird profile huge.profile: "), ==, 1);
  g_assert_cmpuint (found_test_count_notes (found, "too large"), ==, 1);
  g_assert_cmpuint (found_test_count_notes (found, "Thunderbird profile binary.profile: "), ==, 1);
  g_assert_cmpuint (found_test_count_notes (found, "not a text file"), ==, 1);
  g_assert_cmpuint (found_test_count_notes (found, "outside.example"), ==, 0);
}

static void
test_plain (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) found = read_all (f);
  OdFoundAccount *smtp1, *smtp2, *smtp3;
  OdAccount *a;

  g_assert_cmpuint (found->len, ==, 7);
  for (guint i = 0; i < found->len; i++)
    {
      OdFoundAccount *one = g_ptr_array_index (found, i);

      g_assert_cmpstr (od_found_account_get_origin (one), ==, "thunderbird");
      g_assert_cmpint (od_found_account_get_secret (one), ==, OD_FOUND_SECRET_ASK);
      g_assert_cmpuint (g_hash_table_size (od_found_account_get_keyring_attributes (one)), ==, 0);
      g_assert_cmpstr (od_account_get_host (od_found_account_get_account (one)), !=,
                       "outside.example");
      g_assert_cmpstr (od_account_get_host (od_found_account_get_account (one)), !=,
                       "shadowed.example");
      assert_problems (one);
    }

  smtp1 = found_test_get (found, "thunderbird:x7k2p9qa.default-release/smtp1");
  a = od_found_account_get_account (smtp1);
  g_assert_true (g_str_has_suffix (od_found_account_get_source_path (smtp1),
                                   "/.thunderbird/x7k2p9qa.default-release/prefs.js"));
  g_assert_cmpstr (od_account_get_address (a), ==, "ada@example.org");
  g_assert_cmpstr (od_account_get_display_name (a), ==, "Ada Lovelace");
  g_assert_cmpstr (od_account_get_host (a), ==, "smtp.example.org");
  g_assert_cmpuint (od_account_get_port (a), ==, 465);
  g_assert_cmpint (od_account_get_security (a), ==, OD_SECURITY_TLS);
  g_assert_cmpstr (od_account_get_username (a), ==, "ada@example.org");
  g_assert_cmpstr (od_account_get_auth_mechanism (a), ==, "PLAIN");
  g_assert_cmpstr (od_account_get_incoming_protocol (a), ==, "imap");
  g_assert_cmpstr (od_account_get_incoming_host (a), ==, "imap.example.org");
  g_assert_cmpuint (od_account_get_incoming_port (a), ==, 993);
  g_assert_cmpint (od_account_get_incoming_security (a), ==, OD_SECURITY_TLS);
  g_assert_cmpstr (od_account_get_incoming_username (a), ==, "ada@example.org");
  g_assert_cmpuint (found_test_n_notes (smtp1), ==, N_PROBLEMS);

  /* Two identities send through smtp2: the first one's address; Thunderbird's default port
   * without SSL/TLS is 25; POP3 with STARTTLS and no port is 110. */
  smtp2 = found_test_get (found, "thunderbird:x7k2p9qa.default-release/smtp2");
  a = od_found_account_get_account (smtp2);
  g_assert_cmpstr (od_account_get_address (a), ==, "ada@work.example.com");
  g_assert_cmpstr (od_account_get_display_name (a), ==, "Ada at Work");
  g_assert_cmpstr (od_account_get_host (a), ==, "mail.work.example.com");
  g_assert_cmpuint (od_account_get_port (a), ==, 25);
  g_assert_cmpint (od_account_get_security (a), ==, OD_SECURITY_STARTTLS);
  g_assert_cmpstr (od_account_get_username (a), ==, "ada");
  g_assert_cmpstr (od_account_get_auth_mechanism (a), ==, "CRAM-MD5");
  g_assert_cmpstr (od_account_get_incoming_protocol (a), ==, "pop3");
  g_assert_cmpstr (od_account_get_incoming_host (a), ==, "pop.work.example.com");
  g_assert_cmpuint (od_account_get_incoming_port (a), ==, 110);
  g_assert_cmpint (od_account_get_incoming_security (a), ==, OD_SECURITY_STARTTLS);
  g_assert_cmpuint (found_test_n_notes (smtp2), ==, N_PROBLEMS);

  /* No identity, port 99999, no login. */
  smtp3 = found_test_get (found, "thunderbird:x7k2p9qa.default-release/smtp3");
  a = od_found_account_get_account (smtp3);
  g_assert_cmpstr (od_account_get_address (a), ==, "");
  g_assert_cmpstr (od_account_get_host (a), ==, "relay.example.net");
  g_assert_cmpuint (od_account_get_port (a), ==, 25);
  g_assert_cmpint (od_account_get_security (a), ==, OD_SECURITY_NONE);
  g_assert_cmpstr (od_account_get_username (a), ==, "");
  g_assert_cmpstr (od_account_get_auth_mechanism (a), ==, OD_ACCOUNT_AUTH_NONE);
  g_assert_null (od_account_get_incoming_host (a));
  g_assert_cmpuint (found_test_count_notes (smtp3, "No Thunderbird identity"), ==, 1);
  g_assert_cmpuint (found_test_count_notes (smtp3, "The port “99999” is not a port number; "
                                                   "the default port 25 is assumed."), ==, 1);
  g_assert_cmpuint (found_test_n_notes (smtp3), ==, N_PROBLEMS + 2);
}

static void
test_tricky (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) found = read_all (f);
  OdFoundAccount *grace = found_test_get (found, "thunderbird:abcd1234.default/smtp1");
  OdAccount *a = od_found_account_get_account (grace);

  /* Escapes undone, comments inside strings kept, statements inside comments not read. */
  g_assert_cmpstr (od_account_get_display_name (a), ==,
                   "Grace \"Amazing\" Hopper \\ Navy \xc3\xa9\xf0\x9f\x98\x80 /* not a comment */");
  g_assert_cmpstr (od_account_get_address (a), ==, "grace@gmail.com");
  g_assert_cmpstr (od_account_get_host (a), ==, "smtp.gmail.com");
  g_assert_cmpuint (od_account_get_port (a), ==, 465);
  g_assert_cmpint (od_account_get_security (a), ==, OD_SECURITY_TLS);
  g_assert_cmpstr (od_account_get_auth_mechanism (a), ==, "XOAUTH2");
  g_assert_cmpuint (found_test_count_notes (grace, "An OAuth account"), ==, 1);
  g_assert_cmpuint (found_test_count_notes (grace, "5 lines of prefs.js could not be read and "
                                                   "were skipped"), ==, 1);
  g_assert_cmpuint (found_test_n_notes (grace), ==, N_PROBLEMS + 2);
}

static void
test_flatpak_snap (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) found = read_all (f);
  OdFoundAccount *fiona = found_test_get (found, "thunderbird:flat0001.default-release/smtp1");
  OdFoundAccount *snap5 = found_test_get (found, "thunderbird:snap-profile/smtp5");
  OdFoundAccount *snap6 = found_test_get (found, "thunderbird:snap-profile/smtp6");
  OdAccount *a = od_found_account_get_account (fiona);

  /* An identity without smtpServer sends through mail.smtp.defaultserver. */
  g_assert_true (g_str_has_suffix (od_found_account_get_source_path (fiona),
                                   "/.var/app/org.mozilla.Thunderbird/.thunderbird/"
                                   "flat0001.default-release/prefs.js"));
  g_assert_cmpstr (od_account_get_address (a), ==, "fiona@flat.example");
  g_assert_cmpstr (od_account_get_host (a), ==, "smtp.flat.example");
  g_assert_cmpuint (od_account_get_port (a), ==, 587);
  g_assert_cmpint (od_account_get_security (a), ==, OD_SECURITY_STARTTLS);
  g_assert_null (od_account_get_auth_mechanism (a));
  g_assert_cmpstr (od_account_get_incoming_host (a), ==, "imap.flat.example");
  g_assert_cmpuint (od_account_get_incoming_port (a), ==, 143);
  g_assert_cmpint (od_account_get_incoming_security (a), ==, OD_SECURITY_STARTTLS);
  g_assert_cmpuint (found_test_count_notes (fiona, "only when the server offers it"), ==, 1);
  g_assert_cmpuint (found_test_count_notes (fiona, "The login method “42” is not known"), ==, 1);
  g_assert_cmpuint (found_test_count_notes (fiona, "The port “abc” is not a port number; the "
                                                   "default port 143 is assumed."), ==, 1);
  g_assert_cmpuint (found_test_n_notes (fiona), ==, N_PROBLEMS + 3);

  /* An absolute path inside the home folder is followed. */
  a = od_found_account_get_account (snap5);
  g_assert_true (g_str_has_suffix (od_found_account_get_source_path (snap5),
                                   "/Mail/snap-profile/prefs.js"));
  g_assert_cmpstr (od_account_get_host (a), ==, "smtp.snap.example");
  g_assert_cmpuint (od_account_get_port (a), ==, 25);
  g_assert_cmpint (od_account_get_security (a), ==, OD_SECURITY_NONE);
  g_assert_cmpstr (od_account_get_auth_mechanism (a), ==, "PLAIN");
  g_assert_cmpuint (found_test_count_notes (snap5, "The encryption setting “7” is not known"),
                    ==, 1);
  g_assert_cmpuint (found_test_n_notes (snap5), ==, N_PROBLEMS + 2);

  g_assert_null (od_account_get_host (od_found_account_get_account (snap6)));
  g_assert_cmpuint (found_test_count_notes (snap6, "Thunderbird has no host name"), ==, 1);
  g_assert_cmpuint (found_test_n_notes (snap6), ==, N_PROBLEMS + 2);
}

static void
test_nothing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp ("od-found-XXXXXX", &error);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  OdFoundContext context = { home, NULL, NULL };
  g_autofree char *ini = g_build_filename (home, ".thunderbird", "profiles.ini", NULL);

  /* No Thunderbird at all: nothing, and no error. */
  g_assert_true (od_found_read_thunderbird (&context, found, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);

  /* Only a profile that cannot be read: the reader's error. */
  found_test_write (ini, "[Profile0]\nName=x\nIsRelative=1\nPath=missing.default\n", -1);
  g_assert_false (od_found_read_thunderbird (&context, found, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "Thunderbird profile missing.default: "));
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_error (&error);

  /* A profiles.ini that is not a key file. */
  found_test_write (ini, "this is not\x01 a key file", -1);
  g_assert_false (od_found_read_thunderbird (&context, found, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  found_test_remove_tree (home);
}

static void
test_prefs_js (void)
{
  const char text[] =
    "user_pref(\"a\", \"x\\ty\\n\\\\\\\"\\'\\x41\\u00e9\");\n"
    "user_pref(\"b\", -12); user_pref(\"c\", +7);\n"
    "user_pref(\"d\", true);user_pref(\"e\",false)\n;\n"
    "user_pref(\"f\", 2147483647);\n"
    "user_pref(\"g\", 2147483648);\n"
    "user_pref(\"h\", -2147483648);\n"
    "user_pref(\"i\", \"\\u0000\");\n"
    "user_pref(\"j\", \"\\udc00\");\n"
    "user_pref(\"k\", truex);\n"
    "pref(\"l\", 1);\n"
    "user_pref(\"b\", 13); /* later wins */\n"
    "user_pref(\"m\", \"\xff\");\n"
    "user_pref(\"n\", 'single \"quotes\"');\n"
    "user_pref(\"p\", x); /* a comment after a broken statement\n"
    "user_pref(\"q\", 1); */ user_pref(\"r\", 2);\n"
    "/* unterminated comment user_pref(\"o\", 1);";
  guint skipped = 0;
  g_autoptr(GHashTable) prefs = od_prefs_js_parse (text, strlen (text), &skipped);

  g_assert_cmpstr (g_hash_table_lookup (prefs, "a"), ==, "x\ty\n\\\"'A\xc3\xa9");
  g_assert_cmpstr (g_hash_table_lookup (prefs, "b"), ==, "13");
  g_assert_cmpstr (g_hash_table_lookup (prefs, "c"), ==, "7");
  g_assert_cmpstr (g_hash_table_lookup (prefs, "d"), ==, "true");
  g_assert_cmpstr (g_hash_table_lookup (prefs, "e"), ==, "false");
  g_assert_cmpstr (g_hash_table_lookup (prefs, "f"), ==, "2147483647");
  g_assert_cmpstr (g_hash_table_lookup (prefs, "h"), ==, "-2147483648");
  g_assert_cmpstr (g_hash_table_lookup (prefs, "n"), ==, "single \"quotes\"");
  g_assert_cmpstr (g_hash_table_lookup (prefs, "r"), ==, "2");
  g_assert_false (g_hash_table_contains (prefs, "q"));
  g_assert_cmpuint (g_hash_table_size (prefs), ==, 9);
  /* g, i, j, k, l, m, p */
  g_assert_cmpuint (skipped, ==, 7);

  g_clear_pointer (&prefs, g_hash_table_unref);
  prefs = od_prefs_js_parse ("", 0, &skipped);
  g_assert_cmpuint (g_hash_table_size (prefs), ==, 0);
  g_assert_cmpuint (skipped, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/od/found-thunderbird/plain", Fixture, NULL, fixture_set_up, test_plain,
              fixture_tear_down);
  g_test_add ("/od/found-thunderbird/tricky", Fixture, NULL, fixture_set_up, test_tricky,
              fixture_tear_down);
  g_test_add ("/od/found-thunderbird/flatpak-snap", Fixture, NULL, fixture_set_up,
              test_flatpak_snap, fixture_tear_down);
  g_test_add_func ("/od/found-thunderbird/nothing", test_nothing);
  g_test_add_func ("/od/found-thunderbird/prefs-js", test_prefs_js);

  return g_test_run ();
}
