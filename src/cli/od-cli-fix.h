/* od-cli-fix.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int od_cli_accounts_fix (int    argc,
                         char **argv);

G_END_DECLS
