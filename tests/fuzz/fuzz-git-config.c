/* fuzz-git-config.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The reader of git's configuration syntax and git send-email's [sendemail] sections against arbitrary files: it fails only with an error, never
 * runs anything, and every account it returns is usable (od-fuzz-found.h). */

#include "config.h"

#include "od-found-git.h"
#include "od-fuzz.h"
#include "od-fuzz-found.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  od_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strndup ((const char *)data, size);
  g_autoptr(GPtrArray) helpers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) entries = NULL;
  gboolean ok;

  /* As od_found_read_file() hands it over: no NUL inside. */
  size = strlen (text);
  g_ptr_array_add (helpers, g_strdup ("libsecret"));
  entries = od_git_config_parse (text, size, NULL);
  if (entries != NULL)
    for (guint i = 0; i < entries->len; i++)
      {
        OdGitConfigEntry *e = entries->pdata[i];

        g_assert (e->section[0] != '\0' && e->key[0] != '\0');
        g_assert (g_ascii_isalpha (e->key[0]));
      }
  ok = od_found_git_parse (text, size, "/fuzz/.gitconfig", "global", helpers, found, &error);
  od_fuzz_check_found (found, OD_ORIGIN_GIT, ok, error);
  return 0;
}
