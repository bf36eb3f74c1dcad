/* od-found-readers.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-found-accounts.h"

G_BEGIN_DECLS

const OdFoundReaderInfo *od_found_get_readers (guint *n_readers);

G_END_DECLS
