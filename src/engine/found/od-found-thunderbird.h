/* od-found-thunderbird.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-found-account.h"

G_BEGIN_DECLS

gboolean od_found_read_thunderbird (const OdFoundContext  *context,
                                    GPtrArray             *found,
                                    GError               **error);

void     od_found_thunderbird_parse (const char            *contents,
                                    gsize                  length,
                                    const char            *profile,
                                    const char            *prefs_path,
                                    GPtrArray             *found);

gboolean od_found_thunderbird_profile_in_use (const char *dir);
char    *od_found_thunderbird_default_profile (const OdFoundContext  *context,
                                               char                 **name,
                                               GError               **error);

G_END_DECLS
