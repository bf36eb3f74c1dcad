/* od-found-neomutt.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-found-account.h"

G_BEGIN_DECLS

gboolean od_found_neomutt_read  (const OdFoundContext  *context,
                                 GPtrArray             *found,
                                 GError               **error);
gboolean od_found_neomutt_parse (const char            *contents,
                                 gsize                  length,
                                 const char            *path,
                                 const char            *native_id,
                                 GPtrArray             *found,
                                 GError               **error);

char    *od_found_neomutt_next_token (const char           **p,
                                     gboolean               equal,
                                     gboolean              *unusable);

G_END_DECLS
