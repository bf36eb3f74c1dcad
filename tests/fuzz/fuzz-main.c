/* fuzz-main.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Replays a fuzz target's corpus without libFuzzer, so every build (and the ASan build) runs
 * each seed and every crash the fuzzers ever found as an ordinary test:
 *
 *   fuzz-replay-NAME DIR|FILE...
 *
 * Output: TAP, one line per input. A crash or a failed assertion aborts, which fails the
 * test. */

#include "config.h"

#include <stdio.h>

#include "od-fuzz.h"

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return;

  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (path, name, NULL));

  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (files, g_strdup (g_ptr_array_index (names, i)));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  guint failed = 0;

  LLVMFuzzerInitialize (&argc, &argv);

  for (int i = 1; i < argc; i++)
    if (!g_str_has_prefix (argv[i], "--"))
      collect (argv[i], files);

  if (files->len == 0)
    {
      printf ("Bail out! no corpus files found\n");
      return 1;
    }

  printf ("1..%u\n", files->len);

  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      g_autofree char *contents = NULL;
      g_autofree char *base = g_path_get_basename (file);
      gsize len = 0;

      if (!g_file_get_contents (file, &contents, &len, NULL))
        {
          printf ("not ok %u - %s: cannot read\n", i + 1, base);
          failed++;
          continue;
        }

      fflush (stdout);
      LLVMFuzzerTestOneInput ((const guint8 *)contents, len);
      printf ("ok %u - %s (%" G_GSIZE_FORMAT " bytes)\n", i + 1, base, len);
    }

  return failed > 0 ? 1 : 0;
}
