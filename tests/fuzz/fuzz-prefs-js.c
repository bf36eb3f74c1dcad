/* fuzz-prefs-js.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The prefs.js tokenizer against arbitrary files, and the Thunderbird reader with the input
 * as a profile's prefs.js: names and values are valid UTF-8 within the bounds, and every
 * account the reader makes is complete (an id, notes that are text). */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "od-found-thunderbird.h"
#include "od-fuzz.h"
#include "od-prefs-js.h"

static char *home;
static char *prefs_path;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ini = NULL;

  od_fuzz_init ();
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    g_setenv ("TMPDIR", "/dev/shm", TRUE);
  home = g_dir_make_tmp ("od-fuzz-prefs-XXXXXX", &error);
  g_assert (home != NULL);
  ini = g_build_filename (home, ".thunderbird", "profiles.ini", NULL);
  prefs_path = g_build_filename (home, ".thunderbird", "p.default", "prefs.js", NULL);
  g_assert (g_mkdir_with_parents (prefs_path, 0700) == 0 && g_rmdir (prefs_path) == 0);
  g_assert (g_file_set_contents (ini, "[Profile0]\nName=p\nIsRelative=1\nPath=p.default\n",
                                 -1, NULL));
  return 0;
}

static void
check_found (GPtrArray *found)
{
  g_assert (found->len <= 100);
  for (guint i = 0; i < found->len; i++)
    {
      OdFoundAccount *one = g_ptr_array_index (found, i);
      const char * const *notes = od_found_account_get_notes (one);
      g_autoptr(JsonNode) node = od_found_account_to_json (one);

      g_assert (g_str_has_prefix (od_found_account_get_id (one), "thunderbird:p.default/"));
      for (guint j = 0; notes[j] != NULL; j++)
        g_assert (g_utf8_validate (notes[j], -1, NULL));
      g_assert (node != NULL);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GHashTable) prefs = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  OdFoundContext context = { home, NULL, NULL };
  GHashTableIter iter;
  gpointer key, value;
  guint skipped = 0;

  prefs = od_prefs_js_parse ((const char *)data, size, &skipped);
  g_assert (g_hash_table_size (prefs) <= OD_PREFS_JS_MAX_PREFS);
  g_hash_table_iter_init (&iter, prefs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_assert (strlen (key) <= OD_PREFS_JS_MAX_NAME);
      g_assert (g_utf8_validate (key, -1, NULL));
      g_assert (g_utf8_validate (value, -1, NULL));
    }

  g_assert (g_file_set_contents (prefs_path, (const char *)data, size, NULL));
  if (od_found_read_thunderbird (&context, found, &error))
    check_found (found);
  else
    g_assert (error != NULL && found->len == 0);

  return 0;
}
