/* od-format.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *od_format_date      (GDateTime *time);
char *od_format_date_time (GDateTime *time);

G_END_DECLS
