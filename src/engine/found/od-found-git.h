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
 * as written (NULL without one), the value (NULL for a bare "key", which means true). */
typedef struct
{
  char *section;
  char *subsection;
  char *key;
  char *value;
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
