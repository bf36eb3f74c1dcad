/* od-lookup-cache.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Name lookups shared by the connections of one run: one lookup per host for all callers. */
typedef struct _OdLookupCache OdLookupCache;

OdLookupCache *od_lookup_cache_new           (void);
OdLookupCache *od_lookup_cache_ref           (OdLookupCache        *self);
void           od_lookup_cache_unref         (OdLookupCache        *self);
void           od_lookup_cache_lookup_async  (OdLookupCache        *self,
                                              const char           *host,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GList         *od_lookup_cache_lookup_finish (GAsyncResult         *result,
                                              GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdLookupCache, od_lookup_cache_unref)

G_END_DECLS
