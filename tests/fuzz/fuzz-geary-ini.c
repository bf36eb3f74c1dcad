/* fuzz-geary-ini.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The Geary reader with the input as an account's geary.ini: it fails only with an error,
 * and an account it makes is complete, with keyring attributes only when it says KEYRING. */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "od-found-geary.h"
#include "od-fuzz.h"

static char *home;
static char *ini;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  od_fuzz_init ();
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    g_setenv ("TMPDIR", "/dev/shm", TRUE);
  home = g_dir_make_tmp ("od-fuzz-geary-XXXXXX", &error);
  g_assert (home != NULL);
  dir = g_build_filename (home, ".config", "geary", "account_01", NULL);
  g_assert (g_mkdir_with_parents (dir, 0700) == 0);
  ini = g_build_filename (dir, "geary.ini", NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  OdFoundContext context = { home, NULL, NULL };

  g_assert (g_file_set_contents (ini, (const char *)data, size, NULL));
  if (!od_found_read_geary (&context, found, &error))
    {
      g_assert (error != NULL && found->len == 0);
      return 0;
    }
  g_assert (found->len <= 1);
  for (guint i = 0; i < found->len; i++)
    {
      OdFoundAccount *one = g_ptr_array_index (found, i);
      g_autoptr(JsonNode) node = od_found_account_to_json (one);
      guint n = g_hash_table_size (od_found_account_get_keyring_attributes (one));

      g_assert_cmpstr (od_found_account_get_id (one), ==, "geary:account_01");
      if (od_found_account_get_secret (one) == OD_FOUND_SECRET_KEYRING)
        g_assert (n == 4);
      else
        g_assert (n == 0);
    }
  return 0;
}
