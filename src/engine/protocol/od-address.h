/* od-address.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean    od_address_validate         (const char  *address,
                                         GError     **error);
const char *od_address_get_domain       (const char  *address);
char       *od_address_dup_ascii_domain (const char  *address);

G_END_DECLS
