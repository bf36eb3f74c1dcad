/* od-found-kmail.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-found-account.h"

G_BEGIN_DECLS

gboolean od_found_read_kmail (const OdFoundContext  *context,
                                    GPtrArray             *found,
                                    GError               **error);

gboolean od_found_kmail_parse (const char            *contents,
                               gsize                  length,
                               const char            *path,
                               GPtrArray             *found,
                               GError               **error);

G_END_DECLS
