/* od-round-trip.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "od-auth-results.h"
#include "od-transcript.h"
#include "od-types.h"

G_BEGIN_DECLS

#define OD_ROUND_TRIP_DEFAULT_WAIT_MS    60000  /* --round-trip-wait */
#define OD_ROUND_TRIP_DEFAULT_POLL_MS     2000  /* without IDLE, and over POP3 */
#define OD_ROUND_TRIP_DEFAULT_TIMEOUT_MS 20000  /* each operation's deadline */

/**
 * OdDelivery:
 * @OD_DELIVERY_NOT_FOUND: not in INBOX nor the spam folder when the wait ended
 * @OD_DELIVERY_INBOX: in INBOX
 * @OD_DELIVERY_JUNK: in the spam folder (IMAP only)
 */
typedef enum
{
  OD_DELIVERY_NOT_FOUND,
  OD_DELIVERY_INBOX,
  OD_DELIVERY_JUNK,
} OdDelivery;

#define OD_TYPE_ROUND_TRIP (od_round_trip_get_type ())

G_DECLARE_FINAL_TYPE (OdRoundTrip, od_round_trip, OD, ROUND_TRIP, GObject)

OdRoundTrip         *od_round_trip_new                       (OdProtocol            protocol,
                                                              const char           *host,
                                                              guint16               port,
                                                              OdSecurity            security,
                                                              const char           *username,
                                                              const char           *password,
                                                              const char           *message_id,
                                                              OdTranscript         *transcript);
void                 od_round_trip_set_ca_file               (OdRoundTrip          *self,
                                                              const char           *ca_file);
void                 od_round_trip_set_pinned_fingerprints   (OdRoundTrip          *self,
                                                              const char * const   *fingerprints);
void                 od_round_trip_set_wait                  (OdRoundTrip          *self,
                                                              guint                 wait_ms);
void                 od_round_trip_set_poll_interval         (OdRoundTrip          *self,
                                                              guint                 poll_ms);
void                 od_round_trip_set_timeout               (OdRoundTrip          *self,
                                                              guint                 timeout_ms);
void          od_round_trip_set_token              (OdRoundTrip         *self,
                                                    gboolean             token);
void                 od_round_trip_set_delete                (OdRoundTrip          *self,
                                                              gboolean              delete_after);
void                 od_round_trip_set_accepted_at           (OdRoundTrip          *self,
                                                              gint64                monotonic_us);
void                 od_round_trip_set_trusted_authserv_id   (OdRoundTrip          *self,
                                                              const char           *authserv_id);

void                 od_round_trip_run_async                 (OdRoundTrip          *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean             od_round_trip_run_finish                (OdRoundTrip          *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

OdDelivery           od_round_trip_get_delivery              (OdRoundTrip          *self);
const char          *od_round_trip_get_folder                (OdRoundTrip          *self);
gint64               od_round_trip_get_elapsed_ms            (OdRoundTrip          *self);
const OdAuthResults *od_round_trip_get_auth_results          (OdRoundTrip          *self);
gboolean             od_round_trip_get_deleted               (OdRoundTrip          *self);
gboolean             od_round_trip_get_junk_visible          (OdRoundTrip          *self);
GPtrArray           *od_round_trip_get_explanations          (OdRoundTrip          *self);
GPtrArray           *od_round_trip_get_problems              (OdRoundTrip          *self);
char                *od_round_trip_get_summary               (OdRoundTrip          *self);
JsonNode            *od_round_trip_to_json                   (OdRoundTrip          *self);

const char          *od_delivery_to_string                   (OdDelivery            delivery);

G_END_DECLS
