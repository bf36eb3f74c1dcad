/* od-found-fix-evolution.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-found-fix.h"

G_BEGIN_DECLS

gboolean od_found_fix_evolution (const OdFoundContext  *context,
                                 OdFoundAccount        *found,
                                 const OdFoundFix      *fix,
                                 char                 **backup,
                                 GError               **error);

G_END_DECLS
