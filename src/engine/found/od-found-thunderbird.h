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

G_END_DECLS
