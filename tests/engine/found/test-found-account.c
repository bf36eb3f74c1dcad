/* test-found-account.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* OdFoundAccount, what every client's reader fills in: the id ORIGIN:NATIVE-ID, the settings
 * as an OdAccount, the secret's whereabouts, notes, the JSON of `accounts list`; and
 * od_found_read_file(), the careful read every reader uses (size, NUL bytes, not a regular
 * file, a symbolic link followed only to a regular file). */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "od-found-account.h"

static void
test_model (void)
{
  g_autoptr(OdFoundAccount) found = od_found_account_new (OD_ORIGIN_MSMTP, "work",
                                                          "ada@example.org");
  OdAccount *account = od_found_account_get_account (found);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  JsonObject *object;

  g_assert_cmpstr (od_found_account_get_id (found), ==, "msmtp:work");
  g_assert_cmpstr (od_found_account_get_origin (found), ==, "msmtp");
  g_assert_cmpstr (od_found_account_get_native_id (found), ==, "work");
  g_assert_cmpstr (od_account_get_id (account), ==, "msmtp:work");
  g_assert_cmpstr (od_account_get_address (account), ==, "ada@example.org");
  g_assert_cmpint (od_found_account_get_secret (found), ==, OD_FOUND_SECRET_ASK);
  g_assert_null (od_found_account_get_notes (found)[0]);

  od_account_set_host (account, "smtp.example.org");
  od_account_set_port (account, 587);
  od_account_set_security (account, OD_SECURITY_STARTTLS);
  od_account_set_username (account, "ada");
  od_found_account_set_source_path (found, "/home/ada/.config/msmtp/config");
  od_found_account_set_secret (found, OD_FOUND_SECRET_KEYRING);
  od_found_account_set_keyring_attribute (found, "host", "smtp.example.org");
  od_found_account_set_keyring_attribute (found, "service", "smtp");
  od_found_account_set_keyring_attribute (found, "user", "ada");
  od_found_account_add_note (found, "first");
  od_found_account_add_note (found, "second");

  g_assert_cmpuint (g_hash_table_size (od_found_account_get_keyring_attributes (found)), ==, 3);
  g_assert_cmpstr (od_found_account_get_notes (found)[0], ==, "first");
  g_assert_cmpstr (od_found_account_get_notes (found)[1], ==, "second");
  g_assert_null (od_found_account_get_notes (found)[2]);

  node = od_found_account_to_json (found);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "msmtp:work");
  g_assert_cmpstr (json_object_get_string_member (object, "origin"), ==, "msmtp");
  g_assert_cmpstr (json_object_get_string_member (object, "secret"), ==, "keyring");
  g_assert_cmpstr (json_object_get_string_member (object, "source_path"), ==,
                   "/home/ada/.config/msmtp/config");
  g_assert_cmpstr (json_object_get_string_member (object, "host"), ==, "smtp.example.org");
  g_assert_cmpint (json_object_get_int_member (object, "port"), ==, 587);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "notes")), ==,
                    2);
  json = json_to_string (node, FALSE);
  g_test_message ("%s", json);
}

static char *
write_temp (const char *dir,
            const char *name,
            const char *contents,
            gssize      length)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  return path;
}

static void
test_read_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("od-test-found-XXXXXX", &error);
  g_autofree char *good = NULL, *binary = NULL, *huge = NULL, *link = NULL, *dangling = NULL;
  g_autofree char *big = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_no_error (error);
  good = write_temp (dir, "good", "account work\nhost smtp.example.org\n", -1);
  binary = write_temp (dir, "binary", "host\0evil", 9);
  big = g_malloc (OD_FOUND_MAX_FILE_SIZE + 2);
  memset (big, 'a', OD_FOUND_MAX_FILE_SIZE + 1);
  big[OD_FOUND_MAX_FILE_SIZE + 1] = '\0';
  huge = write_temp (dir, "huge", big, OD_FOUND_MAX_FILE_SIZE + 1);
  link = g_build_filename (dir, "link", NULL);
  g_assert_cmpint (symlink (good, link), ==, 0);
  dangling = g_build_filename (dir, "dangling", NULL);
  g_assert_cmpint (symlink ("/nonexistent/od-found", dangling), ==, 0);

  g_assert_true (od_found_read_file (good, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, strlen (contents));
  g_clear_pointer (&contents, g_free);

  /* A link to a regular file reads that file. */
  g_assert_true (od_found_read_file (link, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "smtp.example.org"));
  g_clear_pointer (&contents, g_free);

  g_assert_false (od_found_read_file (binary, &contents, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_false (od_found_read_file (huge, &contents, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_clear_error (&error);
  g_assert_false (od_found_read_file (dir, &contents, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
  g_clear_error (&error);
  g_assert_false (od_found_read_file (dangling, &contents, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
  g_assert_null (contents);

  g_unlink (good);
  g_unlink (binary);
  g_unlink (huge);
  g_unlink (link);
  g_unlink (dangling);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/found/model", test_model);
  g_test_add_func ("/od/found/read-file", test_read_file);

  return g_test_run ();
}
