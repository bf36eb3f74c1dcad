/* fuzz-kconfig.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* KDE configuration files (KConfig's dialect) against the filter that makes them a GKeyFile,
 * and the KMail reader with the input as mailtransports and as emailidentities: every value
 * read is valid UTF-8, loading fails only with an error, every account is complete. */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "od-found-kmail.h"
#include "od-fuzz.h"
#include "od-kconfig.h"

static char *home;
static char *config;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  od_fuzz_init ();
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    g_setenv ("TMPDIR", "/dev/shm", TRUE);
  home = g_dir_make_tmp ("od-fuzz-kconfig-XXXXXX", &error);
  g_assert (home != NULL);
  config = g_build_filename (home, ".config", NULL);
  g_assert (g_mkdir_with_parents (config, 0700) == 0);
  return 0;
}

static void
check_keyfile (GKeyFile *keyfile)
{
  g_auto(GStrv) groups = g_key_file_get_groups (keyfile, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (keyfile, groups[i], NULL, NULL);

      for (guint j = 0; keys != NULL && keys[j] != NULL; j++)
        {
          g_autofree char *value = od_kconfig_get_string (keyfile, groups[i], keys[j]);

          g_assert (value == NULL || g_utf8_validate (value, -1, NULL));
        }
    }
}

static void
run_reader (const char   *name,
            const guint8 *data,
            size_t        size,
            const char   *other)
{
  g_autofree char *path = g_build_filename (config, name, NULL);
  g_autofree char *other_path = g_build_filename (config, other, NULL);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  OdFoundContext context = { home, config, NULL };

  g_assert (g_file_set_contents (path, (const char *)data, size, NULL));
  g_assert (g_file_set_contents (other_path,
                                 "[Transport 1]\nhost=smtp.example.org\nid=1\n"
                                 "[Identity #0]\nEmail Address=a@example.org\nTransport=1\n",
                                 -1, NULL));
  if (od_found_read_kmail (&context, found, &error))
    {
      g_assert (found->len <= 100);
      for (guint i = 0; i < found->len; i++)
        {
          g_autoptr(JsonNode) node = od_found_account_to_json (g_ptr_array_index (found, i));

          g_assert (g_str_has_prefix (od_found_account_get_id (g_ptr_array_index (found, i)),
                                      "kmail:"));
        }
    }
  else
    g_assert (error != NULL && found->len == 0);
  g_unlink (path);
  g_unlink (other_path);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(GError) error = NULL;
  guint skipped = 0;

  keyfile = od_kconfig_load ((const char *)data, size, &skipped, &error);
  if (keyfile != NULL)
    check_keyfile (keyfile);
  else
    g_assert (error != NULL);

  run_reader ("mailtransports", data, size, "emailidentities");
  run_reader ("emailidentities", data, size, "mailtransports");
  return 0;
}
