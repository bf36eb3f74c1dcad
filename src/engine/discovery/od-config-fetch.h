/* od-config-fetch.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

void    od_config_fetch_async  (SoupSession          *session,
                                const char           *uri,
                                const char           *ca_file,
                                guint                 timeout_ms,
                                gsize                 max_size,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data);
GBytes *od_config_fetch_finish (GAsyncResult         *result,
                                char                **final_uri,
                                GError              **error);

G_END_DECLS
