/* od-route.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * OdRoute:
 * @OD_ROUTE_UNKNOWN: not asked, or the kernel's answer said nothing either way
 * @OD_ROUTE_PRESENT: this computer has a route to the address
 * @OD_ROUTE_NONE: this computer has no route to it: nothing could have been sent there
 *
 * What the kernel says about the way to an address, asked when nothing answered: the
 * evidence for "offline" (design.md, "Network step"), instead of GNetworkMonitor's opinion.
 */
typedef enum
{
  OD_ROUTE_UNKNOWN,
  OD_ROUTE_PRESENT,
  OD_ROUTE_NONE,
} OdRoute;

OdRoute  od_route_to_address                  (GInetAddress *address);
OdRoute  od_route_to_addresses                (GList        *addresses);
OdRoute  od_route_to_resolver                 (gboolean      name_not_found);
OdRoute  od_route_to_internet                 (void);
GList   *od_route_get_nameservers             (void);

void     od_route_set_resolv_conf_for_testing (const char   *path);

G_END_DECLS
