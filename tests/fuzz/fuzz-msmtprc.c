/* fuzz-msmtprc.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The reader of msmtp's configuration (defaults, accounts and their inheritance, quoting) against arbitrary files: it fails only with an error, never
 * runs anything, and every account it returns is usable (od-fuzz-found.h). */

#include "config.h"

#include "od-found-msmtp.h"
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
  gboolean ok;

  /* As od_found_read_file() hands it over: no NUL inside. */
  size = strlen (text);
  ok = od_found_msmtp_parse (text, size, "/fuzz/.msmtprc", found, &error);
  od_fuzz_check_found (found, OD_ORIGIN_MSMTP, ok, error);
  return 0;
}
