/* od-found-bus.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How long a desktop service (GNOME Online Accounts, Evolution's registry) may take to be
 * started by D-Bus activation and to answer, before its reader gives up. */
#define OD_FOUND_BUS_TIMEOUT_MS 5000

gboolean od_found_bus_ensure_service (const char    *name,
                                      const char    *display_name,
                                      GCancellable  *cancellable,
                                      GError       **error);

G_END_DECLS
