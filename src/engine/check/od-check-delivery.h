/* od-check-delivery.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-check.h"
#include "od-round-trip.h"

G_BEGIN_DECLS

void         od_check_set_round_trip        (OdCheck            *self,
                                             OdProtocol          protocol,
                                             const char         *host,
                                             guint16             port,
                                             OdSecurity          security,
                                             const char         *username,
                                             const char         *password);
void         od_check_set_round_trip_pins   (OdCheck            *self,
                                             const char * const *fingerprints);
void         od_check_set_round_trip_wait   (OdCheck            *self,
                                             guint               wait_ms);
void         od_check_set_round_trip_delete (OdCheck            *self,
                                             gboolean            delete_after);
gboolean     od_check_get_has_round_trip    (OdCheck            *self);
OdRoundTrip *od_check_get_round_trip        (OdCheck            *self);

G_END_DECLS
