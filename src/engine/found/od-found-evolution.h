/* od-found-evolution.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-found-account.h"

G_BEGIN_DECLS

/* The D-Bus name of Evolution's source registry (evolution-data-server 3.46). */
#define OD_FOUND_EVOLUTION_BUS_NAME "org.gnome.evolution.dataserver.Sources5"

/* The libsecret attribute under which evolution-data-server keeps a source's password
 * (schema org.gnome.Evolution.Data.Source, e-secret-store.c). */
#define OD_FOUND_EVOLUTION_KEYRING_ATTRIBUTE "e-source-uid"

/* At most this many of Evolution's mail accounts are looked at. */
#define OD_FOUND_EVOLUTION_MAX_ACCOUNTS 100

gboolean od_found_read_evolution                (const OdFoundContext  *context,
                                                 GPtrArray             *found,
                                                 GError               **error);

char    *od_found_evolution_lookup_password_sync (const char           *source_uid,
                                                  GCancellable         *cancellable,
                                                  GError              **error);

G_END_DECLS
