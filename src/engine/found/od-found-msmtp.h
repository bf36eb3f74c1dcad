/* od-found-msmtp.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-found-account.h"

G_BEGIN_DECLS

gboolean od_found_msmtp_read     (const OdFoundContext  *context,
                                  GPtrArray             *found,
                                  GError               **error);
gboolean od_found_msmtp_parse    (const char            *contents,
                                  gsize                  length,
                                  const char            *path,
                                  GPtrArray             *found,
                                  GError               **error);
char    *od_found_msmtp_argument (const char            *rest);
char    *od_found_msmtp_quote    (const char            *value);

G_END_DECLS
