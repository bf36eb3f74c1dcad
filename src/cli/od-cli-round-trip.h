/* od-cli-round-trip.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-account.h"
#include "od-found-account.h"
#include "od-check.h"
#include "od-discovery.h"

G_BEGIN_DECLS

/* check --send-test --round-trip: the options, and the check's incoming server. */
typedef struct
{
  char     *host;
  char     *security;
  char     *protocol;
  int       port;
  int       wait;      /* seconds; -1 until given (initialise it so) */
  gboolean  enabled;
  gboolean  delete_after;
} OdCliRoundTrip;

void     od_cli_round_trip_clear         (OdCliRoundTrip *rt);
void     od_cli_round_trip_add_entries   (OdCliRoundTrip *rt,
                                          GOptionContext *context);
gboolean od_cli_round_trip_check_options (OdCliRoundTrip *rt,
                                          GOptionContext *context,
                                          gboolean        send_test,
                                          OdAccount      *saved,
                                          gboolean        detecting,
                                          int            *status);
gboolean od_cli_round_trip_apply         (OdCliRoundTrip *rt,
                                          OdCheck        *check,
                                          OdAccount      *saved,
                                          OdFoundAccount *found,
                                          OdDiscovery    *discovery,
                                          int            *status);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OdCliRoundTrip, od_cli_round_trip_clear)

G_END_DECLS
