/* found-test.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* What the tests of the dotfile readers share: a fixture HOME under tests/data/found/, a
 * throw-away HOME for hostile files written at run time, and assertions on what was found. */

#include <string.h>

#include <glib/gstdio.h>

#include "od-found-account.h"

static inline char *
found_test_fixture (const char *client,
                    const char *name)
{
  const char *root = g_getenv ("OD_SOURCE_ROOT");

  g_assert_nonnull (root);
  return g_build_filename (root, "tests", "data", "found", client, name, NULL);
}

/* Runs @reader with HOME @home and XDG_CONFIG_HOME @home/.config. */
static inline GPtrArray *
found_test_run (OdFoundReader   reader,
                const char     *home,
                gboolean        expect_ok,
                GError        **error)
{
  g_autofree char *config = g_build_filename (home, ".config", NULL);
  OdFoundContext context = { home, config, NULL };
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean ok = reader (&context, found, error);

  g_assert_cmpint (ok, ==, expect_ok);
  for (guint i = 0; i < found->len; i++)
    {
      g_autoptr(JsonNode) node = od_found_account_to_json (found->pdata[i]);
      g_autofree char *json = json_to_string (node, FALSE);

      g_test_message ("%s", json);
    }
  return found;
}

static inline OdFoundAccount *
found_test_get (GPtrArray  *found,
                const char *id)
{
  for (guint i = 0; i < found->len; i++)
    if (g_str_equal (od_found_account_get_id (found->pdata[i]), id))
      return found->pdata[i];
  g_error ("no account %s", id);
  return NULL;
}

static inline guint
found_test_n_notes (OdFoundAccount *found)
{
  return g_strv_length ((char **)od_found_account_get_notes (found));
}

/* Asserts that a note contains @part. */
static inline void
found_test_assert_note (OdFoundAccount *found,
                        const char     *part)
{
  const char * const *notes = od_found_account_get_notes (found);

  for (guint i = 0; notes[i] != NULL; i++)
    if (strstr (notes[i], part) != NULL)
      return;
  g_error ("%s has no note with “%s”", od_found_account_get_id (found), part);
}

static inline void
found_test_assert_server (OdFoundAccount *found,
                          const char     *host,
                          guint16         port,
                          OdSecurity      security,
                          const char     *username,
                          const char     *mechanism)
{
  OdAccount *account = od_found_account_get_account (found);

  g_assert_cmpstr (od_account_get_host (account), ==, host);
  g_assert_cmpuint (od_account_get_port (account), ==, port);
  g_assert_cmpint (od_account_get_security (account), ==, security);
  g_assert_cmpstr (od_account_get_username (account), ==, username);
  g_assert_cmpstr (od_account_get_auth_mechanism (account), ==, mechanism);
}

static inline void
found_test_assert_attribute (OdFoundAccount *found,
                             const char     *name,
                             const char     *value)
{
  GHashTable *attributes = od_found_account_get_keyring_attributes (found);

  g_assert_cmpstr (g_hash_table_lookup (attributes, name), ==, value);
}

/* A throw-away HOME with @relative (e.g. ".msmtprc") holding @contents. */
static inline char *
found_test_temp_home (const char *relative,
                      const char *contents,
                      gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *home = g_dir_make_tmp ("od-test-found-XXXXXX", &error);
  g_autofree char *path = NULL, *dir = NULL;

  g_assert_no_error (error);
  path = g_build_filename (home, relative, NULL);
  dir = g_path_get_dirname (path);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  if (contents != NULL)
    g_assert_true (g_file_set_contents (path, contents, length, NULL));
  return home;
}

static inline void
found_test_remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;

  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)))
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        found_test_remove_tree (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}
