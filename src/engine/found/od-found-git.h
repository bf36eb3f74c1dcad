/* od-found-git.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-found-account.h"

G_BEGIN_DECLS

/* One variable of a git configuration file: section and key in lower case, the subsection
 * as written (NULL without one), the value (NULL for a bare "key", which means true), and
 * where it is, in bytes from the start of the file: the key's first byte, the value as
 * written (from after "=" and blanks to its last byte that counts, before trailing blanks
 * and a comment; empty, right after the key, for a bare key), and the end of its (last)
 * line, before the line break. */
typedef struct
{
  char  *section;
  char  *subsection;
  char  *key;
  char  *value;
  gsize  key_start;
  gsize  value_start;
  gsize  value_end;
  gsize  line_end;
} OdGitConfigEntry;

void       od_git_config_entry_free (OdGitConfigEntry      *entry);
GPtrArray *od_git_config_parse      (const char            *contents,
                                     gsize                  length,
                                     GError               **error);

gboolean   od_found_git_read        (const OdFoundContext  *context,
                                     GPtrArray             *found,
                                     GError               **error);
gboolean   od_found_git_parse       (const char            *contents,
                                     gsize                  length,
                                     const char            *path,
                                     const char            *native_id,
                                     GPtrArray             *helpers,
                                     GPtrArray             *found,
                                     GError               **error);
gboolean   od_found_git_uses_libsecret (const OdFoundContext *context);

G_END_DECLS
