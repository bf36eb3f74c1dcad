/* test-account-store.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The account and its key file: every field survives a round trip, the file is replaced
 * only by rename (a writer killed mid-write leaves the old file intact), damaged files are
 * reported, salvaged and kept aside, a newer version's keys survive, and the mode is 0600. */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "od-account-check.h"
#include "od-account-store.h"
#include "od-account.h"

#define FP_A "3A:5F:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:01:23:45:67:89:AB:CD:EF:FE:DC:BA:98:76:54"
#define FP_B "00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:01"

#define WRITER_ACCOUNTS 2000

static char *self_exe;

/* Writes the file again from what it holds: a change that changes nothing. */
static gboolean
rewrite (OdAccountStore  *store,
         gpointer         user_data,
         GError         **error)
{
  return TRUE;
}

static void
set_name (OdAccount *account,
          gpointer   user_data)
{
  od_account_set_display_name (account, user_data);
}

static void
clear_pins (OdAccount *account,
            gpointer   user_data)
{
  od_account_clear_pinned_fingerprints (account, "smtp.example.com", 465);
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("od-account-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)))
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }

  g_rmdir (path);
}

static char *
read_file (const char *path,
           gsize      *len)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, len, &error));
  g_assert_no_error (error);
  return data;
}

static void
write_file (const char *path,
            const char *data,
            gssize      len)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, data, len, &error));
  g_assert_no_error (error);
}

/* Files in @dir whose names start with @prefix. */
static GPtrArray *
list_files (const char *dir,
            const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  /* The lock file stays beside the accounts file on purpose: it is never a leftover. */
  while (d != NULL && (name = g_dir_read_name (d)))
    {
      if (g_str_has_prefix (name, prefix) && !g_str_equal (name, "accounts.ini.lock"))
        g_ptr_array_add (found, g_build_filename (dir, name, NULL));
    }

  return found;
}

static OdAccount *
make_full_account (void)
{
  OdAccount *account = od_account_new ("alice-example-com", "alice@example.com");
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 1, 31, 10, 20, 30);

  od_account_set_display_name (account, "Alice at work; “Büro” = [main]\nsecond line");
  od_account_set_host (account, "smtp.example.com");
  od_account_set_port (account, 465);
  od_account_set_security (account, OD_SECURITY_TLS);
  od_account_set_username (account, "alice");
  od_account_set_auth_mechanism (account, "PLAIN");
  od_account_set_settings_source (account, "autoconfig");
  od_account_set_incoming (account, "imap", "imap.example.com", 993, OD_SECURITY_TLS, "alice");
  g_assert_true (od_account_add_pinned_fingerprint (account, "smtp.example.com", 465, FP_A));
  g_assert_true (od_account_add_pinned_fingerprint (account, "smtp.example.com", 465, FP_B));
  g_assert_true (od_account_add_pinned_fingerprint (account, "SMTP.example.com", 587, FP_B));
  g_assert_true (od_account_add_pinned_fingerprint (account, "::1", 465, FP_A));
  od_account_add_confirmed_server (account, "mail.hostco.example", 587);
  od_account_add_confirmed_server (account, "MAIL.hostco.example", 587);
  od_account_set_last_check (account, "fail", "auth-failed", when, TRUE);

  return account;
}

static void
assert_accounts_equal (OdAccount *a,
                       OdAccount *b)
{
  g_autoptr(JsonNode) ja = od_account_to_json (a);
  g_autoptr(JsonNode) jb = od_account_to_json (b);

  /* The JSON form shows every field, so comparing it compares them all... */
  g_assert_true (json_node_equal (ja, jb));

  /* ...and a few directly, to be sure of the types. */
  g_assert_cmpstr (od_account_get_id (a), ==, od_account_get_id (b));
  g_assert_cmpstr (od_account_get_display_name (a), ==, od_account_get_display_name (b));
  g_assert_cmpuint (od_account_get_port (a), ==, od_account_get_port (b));
  g_assert_cmpint (od_account_get_security (a), ==, od_account_get_security (b));
  g_assert_cmpint (od_account_get_incoming_security (a), ==, od_account_get_incoming_security (b));
  g_assert_cmpuint (od_account_get_incoming_port (a), ==, od_account_get_incoming_port (b));
  if (od_account_get_last_check_time (a) != NULL)
    g_assert_true (g_date_time_equal (od_account_get_last_check_time (a),
                                      od_account_get_last_check_time (b)));
  else
    g_assert_null (od_account_get_last_check_time (b));
}

static mode_t
file_mode (const char *path)
{
  struct stat st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

/* ------------------------------------------------------------------------------------------ */

static void
test_make_id (void)
{
  const char * const taken[] = { "alice-example-com", "alice-example-com-2", NULL };
  g_autofree char *a = od_account_make_id ("alice@example.com", NULL);
  g_autofree char *b = od_account_make_id ("Alice.Smith+mail@Example.COM", NULL);
  g_autofree char *c = od_account_make_id ("alice@example.com", taken);
  g_autofree char *d = od_account_make_id ("@@@", NULL);
  g_autofree char *e = od_account_make_id ("jürgen@example.de", NULL);
  g_autofree char *f = NULL;
  g_autofree char *long_address = g_strnfill (200, 'x');

  g_assert_cmpstr (a, ==, "alice-example-com");
  g_assert_cmpstr (b, ==, "alice-smith-mail-example-com");
  g_assert_cmpstr (c, ==, "alice-example-com-3");
  g_assert_cmpstr (d, ==, "account");
  g_assert_cmpstr (e, ==, "j-rgen-example-de");

  f = od_account_make_id (long_address, NULL);
  g_assert_cmpuint (strlen (f), <=, 48);
  g_assert_true (g_str_has_prefix (f, "xxxx"));
}

static void
test_fingerprint (void)
{
  const char *lower = "3a5f00112233445566778899aabbccddeeff0123456789abcdeffedcba987654";
  g_autofree char *a = od_fingerprint_normalize (lower);
  g_autofree char *b = od_fingerprint_normalize ("sha256:" FP_A);
  g_autofree char *c = od_fingerprint_normalize ("SHA256 3a 5f 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff 01 23 45 67 89 ab cd ef fe dc ba 98 76 54");
  g_autofree char *d = od_fingerprint_normalize (FP_A);

  g_assert_cmpstr (a, ==, FP_A);
  g_assert_cmpstr (b, ==, FP_A);
  g_assert_cmpstr (c, ==, FP_A);
  g_assert_cmpstr (d, ==, FP_A);

  /* SHA-1 (40 digits), too long, not hex */
  g_assert_null (od_fingerprint_normalize ("3a5f00112233445566778899aabbccddeeff0123"));
  g_assert_null (od_fingerprint_normalize (FP_A ":00"));
  g_assert_null (od_fingerprint_normalize ("zz5f00112233445566778899aabbccddeeff0123456789abcdeffedcba987654"));
  g_assert_null (od_fingerprint_normalize (""));
}

static void
test_pins_per_endpoint (void)
{
  g_autoptr(OdAccount) account = od_account_new ("a", "a@example.com");
  g_auto(GStrv) tls = NULL;
  g_auto(GStrv) starttls = NULL;
  g_auto(GStrv) other_host = NULL;
  g_auto(GStrv) v6 = NULL;
  g_auto(GStrv) endpoints = NULL;

  g_assert_true (od_account_add_pinned_fingerprint (account, "Smtp.Example.com", 465,
                                                    "3a5f00112233445566778899aabbccddeeff0123456789abcdeffedcba987654"));
  /* the same one again is not added twice */
  g_assert_true (od_account_add_pinned_fingerprint (account, "smtp.example.com", 465, FP_A));
  g_assert_false (od_account_add_pinned_fingerprint (account, "smtp.example.com", 465, "nope"));
  g_assert_true (od_account_add_pinned_fingerprint (account, "2001:db8::1", 465, FP_B));

  tls = od_account_dup_pinned_fingerprints (account, "smtp.example.com", 465);
  starttls = od_account_dup_pinned_fingerprints (account, "smtp.example.com", 587);
  other_host = od_account_dup_pinned_fingerprints (account, "mail.example.com", 465);
  v6 = od_account_dup_pinned_fingerprints (account, "2001:db8::1", 465);

  g_assert_nonnull (tls);
  g_assert_cmpuint (g_strv_length (tls), ==, 1);
  g_assert_cmpstr (tls[0], ==, FP_A);
  g_assert_null (starttls);
  g_assert_null (other_host);
  g_assert_cmpstr (v6[0], ==, FP_B);

  endpoints = od_account_list_pinned_endpoints (account);
  g_assert_cmpuint (g_strv_length (endpoints), ==, 2);
  g_assert_cmpstr (endpoints[0], ==, "[2001:db8::1]:465");
  g_assert_cmpstr (endpoints[1], ==, "smtp.example.com:465");

  od_account_clear_pinned_fingerprints (account, "smtp.example.com", 465);
  g_clear_pointer (&tls, g_strfreev);
  tls = od_account_dup_pinned_fingerprints (account, "smtp.example.com", 465);
  g_assert_null (tls);

  g_assert_finalize_object (g_steal_pointer (&account));
}

static void
test_round_trip (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "sub", "accounts.ini", NULL);
  g_autofree char *sub = g_path_get_dirname (path);
  g_autoptr(OdAccountStore) store = od_account_store_new (path);
  g_autoptr(OdAccountStore) again = od_account_store_new (path);
  g_autoptr(OdAccount) full = make_full_account ();
  g_autoptr(OdAccount) minimal = od_account_new ("bob-example-org", "bob@example.org");
  g_autoptr(OdAccount) read_full = NULL;
  g_autoptr(GError) error = NULL;
  OdAccount *read_minimal;

  od_account_set_host (minimal, "mail.example.org");

  g_assert_true (od_account_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_true (od_account_store_put (store, full, &error));
  g_assert_true (od_account_store_put (store, minimal, &error));
  g_assert_no_error (error);

  /* The folder is private too. */
  g_assert_cmpint (file_mode (sub), ==, 0700);

  g_assert_true (od_account_store_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (again)) == OD_TYPE_ACCOUNT);

  read_full = g_list_model_get_item (G_LIST_MODEL (again), 0);
  assert_accounts_equal (full, read_full);
  read_minimal = od_account_store_lookup (again, "bob-example-org");
  g_assert_nonnull (read_minimal);
  assert_accounts_equal (minimal, read_minimal);
  g_assert_null (od_account_get_display_name (read_minimal));
  g_assert_null (od_account_get_last_verdict (read_minimal));
  g_assert_cmpstr (od_account_get_username (read_minimal), ==, "bob@example.org");
  g_assert_cmpuint (od_account_get_port (read_minimal), ==, 587);
  g_assert_cmpint (od_account_get_security (read_minimal), ==, OD_SECURITY_STARTTLS);
  g_assert_null (od_account_get_incoming_host (read_minimal));

  g_assert_true (od_account_store_find_by_address (again, "ALICE@example.com") ==
                 od_account_store_lookup (again, "alice-example-com"));

  /* A second save of what was read gives the same bytes. */
  {
    g_autofree char *first = read_file (path, NULL);
    g_autofree char *second = NULL;

    g_assert_true (od_account_store_change (again, rewrite, NULL, &error));
    g_assert_no_error (error);
    second = read_file (path, NULL);
    g_assert_cmpstr (first, ==, second);
  }

  g_clear_object (&store);
  g_clear_object (&again);
  g_assert_finalize_object (g_steal_pointer (&minimal));
  g_assert_finalize_object (g_steal_pointer (&read_full));
  remove_tree (dir);
}

static void
test_json (void)
{
  g_autoptr(OdAccount) account = make_full_account ();
  g_autoptr(JsonNode) node = od_account_to_json (account);
  JsonObject *object = json_node_get_object (node);
  JsonArray *pins = json_object_get_array_member (object, "pinned_certificates");
  JsonObject *last = json_object_get_object_member (object, "last_check");

  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "alice-example-com");
  g_assert_cmpstr (json_object_get_string_member (object, "host"), ==, "smtp.example.com");
  g_assert_cmpint (json_object_get_int_member (object, "port"), ==, 465);
  g_assert_cmpstr (json_object_get_string_member (object, "security"), ==, "tls");
  g_assert_cmpstr (json_object_get_string_member (object, "source"), ==, "autoconfig");
  g_assert_cmpuint (json_array_get_length (pins), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (last, "verdict"), ==, "fail");
  g_assert_cmpstr (json_object_get_string_member (last, "problem"), ==, "auth-failed");
  g_assert_cmpstr (json_object_get_string_member (last, "time"), ==, "2026-01-31T10:20:30Z");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object,
                                                                          "confirmed_servers")),
                    ==, 1);
  g_assert_false (json_object_has_member (object, "password"));
}

/* accounts.ini as a symbolic link to another file: refused plainly, never read (nothing of
 * the other file is shown), never renamed aside, never written through or replaced. */
static void
test_symbolic_link (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autofree char *target = g_build_filename (dir, "elsewhere.txt", NULL);
  g_autoptr(OdAccountStore) store = od_account_store_new (path);
  g_autoptr(OdAccount) account = make_full_account ();
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;
  guint n_entries = 0;

  write_file (target, "root:x:0:0:secret first line\n", -1);
  g_assert_cmpint (symlink ("elsewhere.txt", path), ==, 0);

  g_assert_false (od_account_store_load (store, &error));
  g_assert_error (error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_LINK);
  g_assert_nonnull (strstr (error->message, "symbolic link"));
  g_assert_null (strstr (error->message, "secret first line"));
  g_clear_error (&error);

  g_assert_false (od_account_store_put (store, account, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* The link and its target as they were; nothing beside them but the lock. */
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_get_contents (target, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, "root:x:0:0:secret first line\n");
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_assert_true (g_str_equal (name, "accounts.ini") || g_str_equal (name, "elsewhere.txt") ||
                     g_str_equal (name, "accounts.ini.lock"));
      n_entries++;
    }
  g_assert_cmpuint (n_entries, <=, 3);

  remove_tree (dir);
}

/* HOST:PORT as --accept-server, confirmed-servers and pins write it: an IPv6 literal in
 * brackets, never bare (its last group would read as the port). */
static void
test_endpoint (void)
{
  static const struct {
    const char *text;
    const char *host;
    guint16     port;
  } good[] = {
    { "mail.example.org:587", "mail.example.org", 587 },
    { "[2001:db8::1]:465", "2001:db8::1", 465 },
    { "192.0.2.1:25", "192.0.2.1", 25 },
  };
  static const char * const bad[] = {
    "2001:db8::1:587", "mail.example.org", "mail.example.org:", ":587", "[2001:db8::1]587",
    "mail.example.org:0", "mail.example.org:65536", "mail example.org:587", "a;b:587",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *host = NULL;
      g_autofree char *again = NULL;
      guint16 port = 0;

      g_assert_true (od_account_parse_endpoint (good[i].text, &host, &port));
      g_assert_cmpstr (host, ==, good[i].host);
      g_assert_cmpuint (port, ==, good[i].port);
      again = od_account_format_endpoint (host, port);
      g_assert_cmpstr (again, ==, good[i].text);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (od_account_parse_endpoint (bad[i], NULL, NULL));
}

/* An account whose server an SRV record named outside its domain, saved before such
 * servers needed a confirmation: its check asks for one, unless it was given. */
static void
test_srv_needs_confirmation (void)
{
  static const struct {
    const char *source;
    const char *host;
    gboolean    confirmed;
    gboolean    asks;
  } cases[] = {
    { "srv", "mail.attacker.example", FALSE, TRUE },
    { "srv", "mail.attacker.example", TRUE, FALSE },
    { "srv", "out.mail.example.com", FALSE, FALSE },   /* within the domain */
    { "manual", "mail.attacker.example", FALSE, FALSE },  /* the user's own */
    { "provider-db", "smtp.gmail.com", FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OdAccount) account = od_account_new ("a", "alice@example.com");
      g_autoptr(OdCheck) check = NULL;

      od_account_set_host (account, cases[i].host);
      od_account_set_port (account, 587);
      od_account_set_settings_source (account, cases[i].source);
      if (cases[i].confirmed)
        od_account_add_confirmed_server (account, cases[i].host, 587);

      check = od_account_create_check (account);
      g_assert_true ((od_check_get_unconfirmed (check) != NULL) == cases[i].asks);
    }
}

static void
test_permissions (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autoptr(OdAccountStore) store = od_account_store_new (path);
  g_autoptr(OdAccount) account = make_full_account ();
  g_autoptr(GError) error = NULL;

  /* Even a file that was world-readable before becomes private. */
  write_file (path, "[Outbox Doctor]\nversion=1\n", -1);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  g_assert_true (od_account_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_true (od_account_store_put (store, account, &error));
  g_assert_no_error (error);

  g_assert_cmpint (file_mode (path), ==, 0600);

  remove_tree (dir);
}

/* The old file is never opened for writing: a hard link to it keeps the old bytes, and the
 * new file is a different inode that was renamed into place. */
static void
test_replaced_by_rename (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autofree char *link_path = g_build_filename (dir, "old-link", NULL);
  g_autoptr(OdAccountStore) store = od_account_store_new (path);
  g_autoptr(OdAccount) account = make_full_account ();
  g_autoptr(GError) error = NULL;
  g_autofree char *old = NULL;
  g_autofree char *linked = NULL;
  g_autofree char *now = NULL;
  g_autoptr(GPtrArray) leftovers = NULL;
  struct stat before, after;

  g_assert_true (od_account_store_load (store, &error));
  g_assert_true (od_account_store_put (store, account, &error));
  g_assert_no_error (error);

  old = read_file (path, NULL);
  g_assert_cmpint (link (path, link_path), ==, 0);
  g_assert_cmpint (g_stat (path, &before), ==, 0);

  od_account_set_host (account, "smtp2.example.com");
  g_assert_true (od_account_store_put (store, account, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (path, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, !=, after.st_ino);

  linked = read_file (link_path, NULL);
  now = read_file (path, NULL);
  g_assert_cmpstr (linked, ==, old);
  g_assert_nonnull (strstr (now, "smtp2.example.com"));
  g_assert_null (strstr (linked, "smtp2.example.com"));

  /* No temporary file is left behind by a save that completed. */
  leftovers = list_files (dir, "accounts.ini.");
  g_assert_cmpuint (leftovers->len, ==, 0);

  remove_tree (dir);
}

/* Makes the file hold exactly the accounts of @user_data (a GPtrArray). */
static gboolean
replace_all (OdAccountStore  *store,
             gpointer         user_data,
             GError         **error)
{
  GPtrArray *accounts = user_data;

  while (g_list_model_get_n_items (G_LIST_MODEL (store)) > 0)
    {
      g_autoptr(OdAccount) first = g_list_model_get_item (G_LIST_MODEL (store), 0);

      od_account_store_remove (store, od_account_get_id (first));
    }
  for (guint i = 0; i < accounts->len; i++)
    od_account_store_add (store, g_ptr_array_index (accounts, i));

  return TRUE;
}

/* @n accounts with a long name each, for a file that takes a while to write. */
static GPtrArray *
make_big_accounts (guint n)
{
  GPtrArray *accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *padding = g_strnfill (1000, 'p');

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *address = g_strdup_printf ("user%u@example.com", i);
      g_autofree char *id = g_strdup_printf ("user%u-example-com", i);
      OdAccount *account = od_account_new (id, address);

      od_account_set_host (account, "smtp.example.com");
      od_account_set_display_name (account, padding);
      g_ptr_array_add (accounts, account);
    }

  return accounts;
}

/* The child side of test_killed_mid_write(): saves a big store in a loop until killed. */
static int
run_writer (const char *path)
{
  g_autoptr(OdAccountStore) store = od_account_store_new (path);
  g_autoptr(GPtrArray) accounts = make_big_accounts (WRITER_ACCOUNTS);

  for (;;)
    {
      g_autoptr(GError) error = NULL;

      if (!od_account_store_change (store, replace_all, accounts, &error))
        {
          g_printerr ("writer: %s\n", error->message);
          return 1;
        }
    }

  return 0;
}

/* A writer process killed (SIGKILL) while it is writing, i.e. while its temporary file
 * exists, leaves accounts.ini exactly as it was before or exactly as the writer meant it,
 * and loading it reports no damage. */
static void
test_killed_mid_write (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autofree char *expected_path = g_build_filename (dir, "expected", "accounts.ini", NULL);
  g_autoptr(OdAccountStore) small = od_account_store_new (path);
  g_autoptr(OdAccountStore) big = od_account_store_new (expected_path);
  g_autoptr(GPtrArray) small_accounts = make_big_accounts (3);
  g_autoptr(GPtrArray) big_accounts = make_big_accounts (WRITER_ACCOUNTS);
  g_autoptr(GError) error = NULL;
  g_autofree char *old_bytes = NULL;
  g_autofree char *new_bytes = NULL;
  guint mid_write_kills = 0;
  guint round;

  g_assert_true (od_account_store_change (big, replace_all, big_accounts, &error));
  g_assert_no_error (error);
  new_bytes = read_file (expected_path, NULL);

  /* At least five kills; more (up to 40) while none has yet landed inside a write: on a
   * loaded machine the writer may finish its rename between our look and our kill. */
  for (round = 0; round < 40 && (round < 5 || mid_write_kills == 0); round++)
    {
      const char *argv[] = { self_exe, "--writer", path, NULL };
      g_autoptr(OdAccountStore) check = od_account_store_new (path);
      g_autoptr(GPtrArray) temps = NULL;
      g_autofree char *bytes = NULL;
      gint64 give_up = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
      GPid pid;
      int status;
      gboolean seen = FALSE;

      /* Start from the small file each round, and clear earlier leftovers. */
      temps = list_files (dir, "accounts.ini.");
      for (guint i = 0; i < temps->len; i++)
        g_unlink (g_ptr_array_index (temps, i));
      g_clear_pointer (&temps, g_ptr_array_unref);

      g_assert_true (od_account_store_change (small, replace_all, small_accounts, &error));
      g_assert_no_error (error);
      g_clear_pointer (&old_bytes, g_free);
      old_bytes = read_file (path, NULL);

      g_assert_true (g_spawn_async (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                    NULL, NULL, &pid, &error));
      g_assert_no_error (error);

      /* Kill it the moment it is writing: its temporary file appears (or, for a writer that
       * wrote in place, the file changes size). */
      while (!seen && g_get_monotonic_time () < give_up)
        {
          struct stat st;

          temps = list_files (dir, "accounts.ini.");
          seen = temps->len > 0 ||
                 (g_stat (path, &st) == 0 && (gsize)st.st_size != strlen (old_bytes));
          g_clear_pointer (&temps, g_ptr_array_unref);
        }
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_spawn_close_pid (pid);
      g_assert_true (seen);
      g_assert_true (WIFSIGNALED (status));

      temps = list_files (dir, "accounts.ini.");
      if (temps->len > 0)
        mid_write_kills++;

      bytes = read_file (path, NULL);
      g_assert_true (g_str_equal (bytes, old_bytes) || g_str_equal (bytes, new_bytes));

      g_assert_true (od_account_store_load (check, &error));
      g_assert_no_error (error);
      g_assert_true (g_list_model_get_n_items (G_LIST_MODEL (check)) == 3 ||
                     g_list_model_get_n_items (G_LIST_MODEL (check)) == WRITER_ACCOUNTS);
      g_assert_null (od_account_store_get_backup_path (check));
    }

  /* At least one kill hit a write in progress (its temporary file stayed behind). */
  g_test_message ("%u of %u kills left a partly written temporary file", mid_write_kills, round);
  g_assert_cmpuint (mid_write_kills, >, 0);

  remove_tree (dir);
}

static const char good_two[] =
  "[Outbox Doctor]\n"
  "version=1\n"
  "\n"
  "[Account alice-example-com]\n"
  "address=alice@example.com\n"
  "smtp-host=smtp.example.com\n"
  "smtp-port=587\n"
  "smtp-security=starttls\n"
  "\n"
  "[Account bob-example-org]\n"
  "name=Bob\n"
  "address=bob@example.org\n"
  "smtp-host=mail.example.org\n"
  "smtp-port=465\n"
  "smtp-security=tls\n"
  "pinned-certificates=mail.example.org:465 " FP_A ";\n"
  "\n";

static void
assert_moved_aside (OdAccountStore *store,
                    const char     *dir,
                    const char     *original,
                    gsize           original_len)
{
  const char *backup = od_account_store_get_backup_path (store);
  g_autofree char *kept = NULL;
  g_autofree char *base = NULL;
  gsize kept_len = 0;

  g_assert_nonnull (backup);
  g_assert_true (g_str_has_prefix (backup, dir));
  base = g_path_get_basename (backup);
  g_assert_true (g_str_has_prefix (base, "accounts.ini.corrupt-"));

  kept = read_file (backup, &kept_len);
  g_assert_cmpmem (kept, kept_len, original, original_len);
}

static void
test_corrupt (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autoptr(OdAccountStore) store = od_account_store_new (path);
  g_autoptr(OdAccountStore) again = od_account_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) damaged = g_string_new (good_two);
  OdAccount *bob;
  g_auto(GStrv) pins = NULL;

  /* Garbage, a NUL, invalid UTF-8, and a third account cut off in the middle of a line. */
  g_string_append (damaged, "this line is not key file syntax\n");
  g_string_append_len (damaged, "\0\0\0\xff\xfe\n", 6);
  g_string_append (damaged,
                   "[Account carol-example-net]\n"
                   "address=carol@example.net\n"
                   "smtp-host=smtp.example.net\n"
                   "smtp-po");
  write_file (path, damaged->str, damaged->len);

  g_assert_false (od_account_store_load (store, &error));
  g_assert_error (error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "2 accounts could be read"));
  g_assert_nonnull (strstr (error->message, od_account_store_get_backup_path (store)));

  /* The readable accounts are there, complete. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_nonnull (od_account_store_lookup (store, "alice-example-com"));
  bob = od_account_store_lookup (store, "bob-example-org");
  g_assert_nonnull (bob);
  g_assert_cmpstr (od_account_get_display_name (bob), ==, "Bob");
  pins = od_account_dup_pinned_fingerprints (bob, "mail.example.org", 465);
  g_assert_cmpstr (pins[0], ==, FP_A);
  g_assert_null (od_account_store_lookup (store, "carol-example-net"));

  /* The damaged file was kept byte for byte, and a clean file with what was readable
   * replaced it. */
  assert_moved_aside (store, dir, damaged->str, damaged->len);
  g_assert_cmpint (file_mode (path), ==, 0600);
  g_clear_error (&error);
  g_assert_true (od_account_store_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);

  remove_tree (dir);
}

static void
test_corrupt_zeros (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autoptr(OdAccountStore) store = od_account_store_new (path);
  g_autoptr(GError) error = NULL;
  char zeros[512] = { 0 };

  /* What some file systems leave after a crash: the size is there, the data is not. */
  write_file (path, zeros, sizeof zeros);

  g_assert_false (od_account_store_load (store, &error));
  g_assert_error (error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "0 accounts could be read"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  assert_moved_aside (store, dir, zeros, sizeof zeros);

  remove_tree (dir);
}

/* A file cut off at every possible length: never a crash, and whatever is reported, the
 * accounts that were loaded are exactly as written and a damaged file is kept. */
static void
test_truncated_everywhere (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autoptr(OdAccountStore) writer = od_account_store_new (path);
  g_autoptr(OdAccount) full = make_full_account ();
  g_autoptr(OdAccount) other = od_account_new ("bob-example-org", "bob@example.org");
  g_autoptr(GError) error = NULL;
  g_autofree char *bytes = NULL;
  gsize len = 0;
  guint n_corrupt = 0;

  od_account_set_host (other, "mail.example.org");
  g_assert_true (od_account_store_put (writer, full, &error));
  g_assert_true (od_account_store_put (writer, other, &error));
  bytes = read_file (path, &len);

  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(OdAccountStore) store = od_account_store_new (path);
      g_autoptr(GPtrArray) backups = NULL;
      g_autoptr(GError) load_error = NULL;
      guint n;

      write_file (path, bytes, cut);
      if (!od_account_store_load (store, &load_error))
        {
          g_assert_error (load_error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_CORRUPT);
          assert_moved_aside (store, dir, bytes, cut);
          n_corrupt++;
        }

      n = g_list_model_get_n_items (G_LIST_MODEL (store));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(OdAccount) a = g_list_model_get_item (G_LIST_MODEL (store), i);
          OdAccount *original = od_account_store_lookup (writer, od_account_get_id (a));

          g_assert_nonnull (original);
          /* Required fields are always right; optional ones may be missing at the cut. */
          g_assert_cmpstr (od_account_get_address (a), ==, od_account_get_address (original));
          g_assert_cmpstr (od_account_get_host (a), ==, od_account_get_host (original));
          g_assert_cmpuint (od_account_get_port (a), ==, od_account_get_port (original));
          g_assert_cmpint (od_account_get_security (a), ==, od_account_get_security (original));
        }

      backups = list_files (dir, "accounts.ini.corrupt-");
      for (guint i = 0; i < backups->len; i++)
        g_unlink (g_ptr_array_index (backups, i));
    }

  /* Most cuts are noticed (a cut exactly at a line boundary after the required keys of
   * the last account is indistinguishable from a complete file). */
  g_test_message ("%u of %" G_GSIZE_FORMAT " cut positions reported as damaged", n_corrupt, len);
  g_assert_cmpuint (n_corrupt, >, len / 2);

  remove_tree (dir);
}

static const char newer_version[] =
  "# Written by Outbox Doctor 9\n"
  "[Outbox Doctor]\n"
  "version=2\n"
  "default-account=alice-example-com\n"
  "\n"
  "[Account alice-example-com]\n"
  "address=alice@example.com\n"
  "smtp-host=smtp.example.com\n"
  "smtp-port=587\n"
  "smtp-security=starttls\n"
  "smtp-oauth2-provider=example\n"
  "\n"
  "[Account zed-example-com]\n"
  "address=zed@example.com\n"
  "outgoing=jmap://jmap.example.com/\n"
  "\n"
  "[Identity work]\n"
  "signature=Regards\n";

static void
test_newer_version (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autoptr(OdAccountStore) store = od_account_store_new (path);
  g_autoptr(OdAccount) added = NULL;
  g_autoptr(GKeyFile) written = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *new_id = NULL;
  g_autofree char *value = NULL;
  OdAccount *alice;

  write_file (path, newer_version, -1);

  /* Not damage: an account this version cannot understand is kept, not listed. */
  g_assert_true (od_account_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_null (od_account_store_get_backup_path (store));

  alice = od_account_store_lookup (store, "alice-example-com");
  g_assert_nonnull (alice);
  g_assert_true (od_account_store_update (store, "alice-example-com", set_name, "Alice",
                                          &error));
  g_assert_no_error (error);

  /* The id of the account it does not understand is still taken. */
  new_id = od_account_store_make_id (store, "zed@example.com");
  g_assert_cmpstr (new_id, ==, "zed-example-com-2");
  added = od_account_new (new_id, "zed@example.com");
  od_account_set_host (added, "smtp.example.com");

  g_assert_true (od_account_store_put (store, added, &error));
  g_assert_no_error (error);

  g_assert_true (g_key_file_load_from_file (written, path, G_KEY_FILE_KEEP_COMMENTS, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_key_file_get_integer (written, "Outbox Doctor", "version", NULL), ==, 2);
  value = g_key_file_get_string (written, "Outbox Doctor", "default-account", NULL);
  g_assert_cmpstr (value, ==, "alice-example-com");
  g_clear_pointer (&value, g_free);
  value = g_key_file_get_string (written, "Account alice-example-com", "smtp-oauth2-provider", NULL);
  g_assert_cmpstr (value, ==, "example");
  g_clear_pointer (&value, g_free);
  value = g_key_file_get_string (written, "Account alice-example-com", "name", NULL);
  g_assert_cmpstr (value, ==, "Alice");
  g_clear_pointer (&value, g_free);
  value = g_key_file_get_string (written, "Account zed-example-com", "outgoing", NULL);
  g_assert_cmpstr (value, ==, "jmap://jmap.example.com/");
  g_clear_pointer (&value, g_free);
  value = g_key_file_get_string (written, "Identity work", "signature", NULL);
  g_assert_cmpstr (value, ==, "Regards");
  g_clear_pointer (&value, g_free);
  value = g_key_file_get_string (written, "Account zed-example-com-2", "smtp-host", NULL);
  g_assert_cmpstr (value, ==, "smtp.example.com");
  g_clear_pointer (&value, g_free);
  value = g_key_file_get_comment (written, NULL, NULL, NULL);
  g_assert_nonnull (strstr (value, "Written by Outbox Doctor 9"));

  remove_tree (dir);
}

static void
test_remove (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autoptr(OdAccountStore) store = od_account_store_new (path);
  g_autoptr(OdAccountStore) again = od_account_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) written = g_key_file_new ();

  write_file (path, good_two, -1);
  g_assert_true (od_account_store_load (store, &error));
  g_assert_no_error (error);

  g_assert_true (od_account_store_delete (store, "alice-example-com", &error));
  g_assert_no_error (error);
  g_assert_false (od_account_store_delete (store, "alice-example-com", &error));
  g_assert_error (error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (od_account_store_delete (store, "nobody", &error));
  g_assert_error (error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);

  g_assert_true (od_account_store_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  g_assert_null (od_account_store_lookup (again, "alice-example-com"));
  g_assert_nonnull (od_account_store_lookup (again, "bob-example-org"));
  g_assert_true (g_key_file_load_from_file (written, path, 0, NULL));
  g_assert_false (g_key_file_has_group (written, "Account alice-example-com"));

  remove_tree (dir);
}

/* A hand edit left a key twice: the last copy is the one read, and the only one written. */
static void
test_duplicate_keys (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autoptr(OdAccountStore) store = od_account_store_new (path);
  g_autoptr(OdAccountStore) again = od_account_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  g_auto(GStrv) pins = NULL;
  OdAccount *account;

  write_file (path,
              "[Outbox Doctor]\n"
              "version=1\n"
              "[Account a]\n"
              "address=a@example.com\n"
              "smtp-host=old.example.com\n"
              "smtp-host=smtp.example.com\n"
              "smtp-port=465\n"
              "smtp-security=tls\n"
              "pinned-certificates=not a pin\n"
              "pinned-certificates=smtp.example.com:465 " FP_A ";\n", -1);

  g_assert_true (od_account_store_load (store, &error));
  g_assert_no_error (error);
  account = od_account_store_lookup (store, "a");
  g_assert_cmpstr (od_account_get_host (account), ==, "smtp.example.com");
  g_assert_true (od_account_store_update (store, "a", clear_pins, NULL, &error));
  g_assert_no_error (error);

  written = read_file (path, NULL);
  g_assert_null (strstr (written, "old.example.com"));
  g_assert_null (strstr (written, "pinned-certificates"));

  g_assert_true (od_account_store_load (again, &error));
  g_assert_no_error (error);
  pins = od_account_dup_pinned_fingerprints (od_account_store_lookup (again, "a"),
                                             "smtp.example.com", 465);
  g_assert_null (pins);

  remove_tree (dir);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  guint *calls = user_data;

  (*calls)++;
}

static void
test_list_model (void)
{
  g_autoptr(OdAccountStore) store = od_account_store_new ("/nonexistent/accounts.ini");
  g_autoptr(OdAccount) a = od_account_new ("a", "a@example.com");
  g_autoptr(OdAccount) a2 = od_account_new ("a", "a2@example.com");
  g_autoptr(OdAccount) item = NULL;
  guint calls = 0;

  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), &calls);
  od_account_store_add (store, a);
  g_assert_cmpuint (calls, ==, 1);
  /* The same id replaces the account. */
  od_account_store_add (store, a2);
  g_assert_cmpuint (calls, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_true (item == a2);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (store), 1));
  od_account_store_remove (store, "a");
  g_assert_cmpuint (calls, ==, 3);
}

static void
test_default_path (void)
{
  g_autofree char *path = od_account_store_get_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_config_dir (), "outbox-doctor",
                                                "accounts.ini", NULL);

  g_assert_cmpstr (path, ==, expected);
  g_assert_true (g_str_has_prefix (path, g_getenv ("XDG_CONFIG_HOME")));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config_home = NULL;
  int ret;

  if (argc == 3 && g_str_equal (argv[1], "--writer"))
    return run_writer (argv[2]);

  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  if (self_exe == NULL)
    self_exe = g_strdup (argv[0]);

  /* Never the real configuration. */
  config_home = g_dir_make_tmp ("od-config-XXXXXX", NULL);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/account/make-id", test_make_id);
  g_test_add_func ("/od/account/fingerprint", test_fingerprint);
  g_test_add_func ("/od/account/pins-per-endpoint", test_pins_per_endpoint);
  g_test_add_func ("/od/account/json", test_json);
  g_test_add_func ("/od/account-store/round-trip", test_round_trip);
  g_test_add_func ("/od/account-store/permissions", test_permissions);
  g_test_add_func ("/od/account-store/symbolic-link", test_symbolic_link);
  g_test_add_func ("/od/account/srv-needs-confirmation", test_srv_needs_confirmation);
  g_test_add_func ("/od/account/endpoint", test_endpoint);
  g_test_add_func ("/od/account-store/replaced-by-rename", test_replaced_by_rename);
  g_test_add_func ("/od/account-store/killed-mid-write", test_killed_mid_write);
  g_test_add_func ("/od/account-store/corrupt", test_corrupt);
  g_test_add_func ("/od/account-store/corrupt-zeros", test_corrupt_zeros);
  g_test_add_func ("/od/account-store/truncated-everywhere", test_truncated_everywhere);
  g_test_add_func ("/od/account-store/newer-version", test_newer_version);
  g_test_add_func ("/od/account-store/duplicate-keys", test_duplicate_keys);
  g_test_add_func ("/od/account-store/remove", test_remove);
  g_test_add_func ("/od/account-store/list-model", test_list_model);
  g_test_add_func ("/od/account-store/default-path", test_default_path);

  ret = g_test_run ();

  remove_tree (config_home);
  g_free (self_exe);

  return ret;
}
