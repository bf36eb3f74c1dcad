/* found-fix-test.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* What the tests of the fixers share: a fixture home copied to a temporary folder, the
 * fix applied to an account a reader found there, the file compared byte for byte with the
 * original and the lines the test expects to change, the backup with the original, and a
 * file that must stay untouched. Header-only, so each test program stays one file. */

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "found-test.h"
#include "od-found-fix.h"
#include "od-found-fix-files.h"

/* A copy of tests/data/found/CLIENT/NAME in a temporary folder: the home. */
static inline char *
fix_test_home (const char *client,
               const char *name)
{
  g_autofree char *fixture = found_test_fixture (client, name);
  g_autoptr(GError) error = NULL;
  char *home = g_dir_make_tmp ("od-test-fix-XXXXXX", &error);
  g_autofree char *from = NULL, *to = NULL, *command = NULL;
  int status = 0;

  g_assert_no_error (error);
  from = g_shell_quote (fixture);
  to = g_shell_quote (home);
  command = g_strdup_printf ("cp -a %s/. %s/", from, to);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return home;
}

static inline char *
fix_test_read (const char *path,
               gsize      *length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

/* One change a test expects: line @line (from 1) replaced by @replace (its line end kept),
 * and/or @insert as a new line after it. A list ends with line 0. */
typedef struct
{
  guint       line;
  const char *replace;
  const char *insert;
} FixTestEdit;

/* @original with @edits, built line by line from the original's own line ends. */
static inline char *
fix_test_expect (const char        *original,
                 const FixTestEdit *edits)
{
  GString *out = g_string_new (NULL);
  const char *p = original;
  const char *first_nl = strchr (original, '\n');
  const char *eol = first_nl != NULL && first_nl > original && first_nl[-1] == '\r' ? "\r\n"
                                                                                      : "\n";

  for (guint number = 1; *p != '\0'; number++)
    {
      const char *nl = strchr (p, '\n');
      gsize len = nl != NULL ? (gsize)(nl - p) + 1 : strlen (p);
      gsize content = len;
      const char *end;

      if (nl != NULL)
        content -= nl > p && nl[-1] == '\r' ? 2 : 1;
      end = p + content;
      {
        const char *replace = NULL;

        for (guint i = 0; edits[i].line != 0; i++)
          if (edits[i].line == number && edits[i].replace != NULL)
            replace = edits[i].replace;
        if (replace != NULL)
          g_string_append (out, replace);
        else
          g_string_append_len (out, p, content);
        g_string_append_len (out, end, len - content);
      }
      for (guint i = 0; edits[i].line != 0; i++)
        if (edits[i].line == number && edits[i].insert != NULL)
          {
            if (nl == NULL)
              g_string_append_printf (out, "%s%s", eol, edits[i].insert);
            else
              g_string_append_printf (out, "%s%s", edits[i].insert, eol);
          }
      p += len;
    }
  return g_string_free (out, FALSE);
}

static inline void
fix_test_assert_bytes (const char *path,
                       const char *expected)
{
  gsize length = 0;
  g_autofree char *contents = fix_test_read (path, &length);

  if (length != strlen (expected) || memcmp (contents, expected, length) != 0)
    g_test_message ("%s is:\n%s\n--- expected:\n%s", path, contents, expected);
  g_assert_cmpmem (contents, length, expected, strlen (expected));
}

/* The backup holds @original and has the file's mode, and its name is the file's with
 * the suffix and a time. */
static inline void
fix_test_assert_backup (const char *backup,
                        const char *path,
                        const char *original)
{
  GStatBuf file_st, backup_st;
  g_autofree char *prefix = g_strconcat (path, OD_FOUND_FIX_BACKUP_SUFFIX "-", NULL);

  g_assert_nonnull (backup);
  g_assert_true (g_str_has_prefix (backup, prefix));
  fix_test_assert_bytes (backup, original);
  g_assert_cmpint (g_stat (path, &file_st), ==, 0);
  g_assert_cmpint (g_lstat (backup, &backup_st), ==, 0);
  g_assert_true (S_ISREG (backup_st.st_mode));
  g_assert_cmpint (backup_st.st_mode & 07777, ==, file_st.st_mode & 07777);
}

/* No backup and nothing else new in the folder of @path. */
static inline void
fix_test_assert_no_backup (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_assert_null (strstr (name, OD_FOUND_FIX_BACKUP_SUFFIX));
      g_assert_null (strstr (name, ".outbox-doctor-"));
    }
}

/* The reader's account @id under @home. */
static inline OdFoundAccount *
fix_test_find (OdFoundReader  reader,
               const char    *home,
               const char    *id)
{
  g_autoptr(GPtrArray) found = found_test_run (reader, home, TRUE, NULL);

  return g_object_ref (found_test_get (found, id));
}

/* Applies @fix to the account @id the reader finds under @home. */
static inline gboolean
fix_test_apply (OdFoundReader       reader,
                const char         *home,
                const char         *id,
                const OdFoundFix   *fix,
                char              **backup,
                GError            **error)
{
  g_autofree char *config = g_build_filename (home, ".config", NULL);
  OdFoundContext context = { home, config, NULL };
  g_autoptr(OdFoundAccount) found = fix_test_find (reader, home, id);

  return od_found_fix_apply (&context, found, fix, backup, error);
}

/* Runs @argv (a client's own tool) with HOME @home; its standard output, or NULL when the
 * tool is not installed. */
static inline char *
fix_test_run_tool (const char * const *argv,
                   const char         *home)
{
  g_autofree char *program = g_find_program_in_path (argv[0]);
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  if (program == NULL)
    return NULL;
  env = g_environ_setenv (env, "HOME", home, TRUE);
  g_spawn_sync (NULL, (char **)argv, env, G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL,
                NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("%s: %s", argv[0], err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}
