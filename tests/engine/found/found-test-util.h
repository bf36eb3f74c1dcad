/* found-test-util.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* Helpers the tests of the readers share: a copy of a fixture home in a temporary folder,
 * and looking at what a reader found. Header-only, so each test program stays one file. */

#include <string.h>

#include <glib/gstdio.h>

#include "od-found-account.h"

static inline char *
found_test_copy_fixture (const char *client,
                         char      **base_out)
{
  g_autofree char *fixture = g_build_filename (g_getenv ("OD_SOURCE_ROOT"), "tests", "data",
                                               "found", client, "home", NULL);
  g_autoptr(GError) error = NULL;
  char *base = g_dir_make_tmp ("od-found-XXXXXX", &error);
  char *home;
  g_autofree char *command = NULL;
  g_autofree char *q_from = NULL;
  g_autofree char *q_to = NULL;
  int status = 0;

  g_assert_no_error (error);
  home = g_build_filename (base, "home", NULL);
  q_from = g_shell_quote (fixture);
  q_to = g_shell_quote (home);
  command = g_strdup_printf ("cp -R %s %s", q_from, q_to);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  *base_out = base;
  return home;
}

static inline void
found_test_remove_tree (const char *base)
{
  g_autofree char *q = g_shell_quote (base);
  g_autofree char *command = g_strdup_printf ("rm -rf %s", q);

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
}

static inline void
found_test_write (const char *path,
                  const char *contents,
                  gssize      length)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static inline OdFoundAccount *
found_test_get (GPtrArray  *found,
                const char *id)
{
  for (guint i = 0; i < found->len; i++)
    if (g_str_equal (od_found_account_get_id (g_ptr_array_index (found, i)), id))
      return g_ptr_array_index (found, i);
  g_error ("no account %s", id);
  return NULL;
}

static inline guint
found_test_n_notes (OdFoundAccount *found)
{
  return g_strv_length ((GStrv)od_found_account_get_notes (found));
}

/* How many notes contain @part. */
static inline guint
found_test_count_notes (OdFoundAccount *found,
                        const char     *part)
{
  const char * const *notes = od_found_account_get_notes (found);
  guint n = 0;

  for (guint i = 0; notes[i] != NULL; i++)
    if (strstr (notes[i], part) != NULL)
      n++;
  return n;
}

static inline void
found_test_dump (GPtrArray *found)
{
  for (guint i = 0; i < found->len; i++)
    {
      g_autoptr(JsonNode) node = od_found_account_to_json (g_ptr_array_index (found, i));
      g_autofree char *json = json_to_string (node, TRUE);

      g_test_message ("%s", json);
    }
}
