/* od-encryption-sniff.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-types.h"

G_BEGIN_DECLS

/**
 * OdSniffMode:
 * @OD_SNIFF_TLS: does the port answer a TLS handshake? (no greeting in plain text came)
 * @OD_SNIFF_PLAIN: does the port greet in plain text? (the implicit-TLS handshake failed)
 */
typedef enum
{
  OD_SNIFF_TLS,
  OD_SNIFF_PLAIN,
} OdSniffMode;

#define OD_SNIFF_TIMEOUT_MS 3000

gboolean od_encryption_sniff_explains (const GError       *error);
void     od_encryption_sniff_async  (GSocketConnectable   *remote,
                                     const char           *host,
                                     guint16               port,
                                     OdSniffMode           mode,
                                     guint                 timeout_ms,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
void     od_encryption_sniff_for_protocol_async
                                    (GSocketConnectable   *remote,
                                     const char           *host,
                                     guint16               port,
                                     OdSniffMode           mode,
                                     OdProtocol            protocol,
                                     guint                 timeout_ms,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean od_encryption_sniff_finish (GAsyncResult         *result);

G_END_DECLS
