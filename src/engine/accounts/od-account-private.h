/* od-account-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-account.h"

G_BEGIN_DECLS

/* For the account store: pins are kept per endpoint, "host:port" ("[v6]:port" for IPv6
 * literals, od_account_format_endpoint()), the host in lower case. */
const char * const *od_account_peek_pins         (OdAccount   *self,
                                                  const char  *endpoint);

G_END_DECLS
