/* od-trust.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "od-tls-info.h"

G_BEGIN_DECLS

char     *od_trust_normalize_host       (const char *host);
char     *od_trust_registrable_domain   (const char *ascii_host);
gboolean  od_trust_host_within          (const char *host,
                                         const char *registrable_domain);
gboolean  od_trust_certificate_names    (OdTlsInfo  *info,
                                         const char *ascii_domain);

G_END_DECLS
