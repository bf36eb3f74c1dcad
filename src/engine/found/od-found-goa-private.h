/* od-found-goa-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#define GOA_API_IS_SUBJECT_TO_CHANGE
#include <goa/goa.h>

#include "od-found-goa.h"

G_BEGIN_DECLS

/* What GOA's reader and its fixer share. Only for files of the found/ folder that use
 * libgoa themselves. */

GoaClient *od_found_goa_client_new   (GCancellable  *cancellable,
                                      GError       **error);
char      *od_found_goa_server_entry (const char    *host,
                                      guint16        port);

G_END_DECLS
