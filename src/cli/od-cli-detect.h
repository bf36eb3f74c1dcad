/* od-cli-detect.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-discovery.h"

G_BEGIN_DECLS

/* The detection as the commands use it: `detect`, and `check` and `setup` without a server. */
OdDiscovery *od_cli_new_discovery   (const char  *address,
                                     const char  *ca_file,
                                     int          timeout);
void         od_cli_detect_announce (const char  *address);
void         od_cli_detect_print    (OdDiscovery *discovery);

G_END_DECLS
