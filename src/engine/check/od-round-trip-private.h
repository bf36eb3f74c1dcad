/* od-round-trip-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-connect.h"
#include "od-imap-session.h"
#include "od-pop3-session.h"
#include "od-round-trip.h"

G_BEGIN_DECLS

/* What od-round-trip.c (the object, the connection, the result) shares with the two ways
 * of looking: od-round-trip-imap.c and od-round-trip-pop3.c. */
struct _OdRoundTrip
{
  GObject         parent_instance;

  /* Settings */
  OdProtocol      protocol;
  char           *host;
  guint16         port;
  OdSecurity      security;
  char           *username;
  char           *password;          /* wiped on finalize */
  char           *message_id;        /* with its angle brackets */
  char           *ca_file;
  char          **pins;
  char           *trusted_authserv_id;
  OdTranscript   *transcript;
  guint           wait_ms;
  guint           poll_ms;
  guint           timeout_ms;
  gint64          accepted_us;       /* 0: the start of the run */
  gboolean        delete_after;
  gboolean        token;             /* @password is an OAuth access token */

  /* The run */
  GTask          *task;
  GCancellable   *cancellable;       /* the caller's (owned) */
  gint64          started_us;
  OdConnect      *connect;
  OdImapSession  *imap;
  OdPop3Session  *pop3;
  char           *junk_folder;
  GArray         *uids;              /* IMAP: what the last search found */
  GHashTable     *seen;              /* POP3: the UIDLs already looked at */
  guint           candidate;         /* POP3: the message number looked at */
  guint           n_messages;        /* POP3: STAT of this round */
  guint           rounds;
  OdDelivery      looking;           /* IMAP: the folder being looked in */
  gboolean        looked_in_junk;

  /* The result */
  OdDelivery      delivery;
  char           *folder;
  gint64          elapsed_ms;
  OdAuthResults  *auth_results;
  gboolean        deleted;
  GPtrArray      *explanations;
  GPtrArray      *problems;
};

void      od_round_trip_imap_start       (OdRoundTrip          *self);
void      od_round_trip_pop3_start       (OdRoundTrip          *self);

gboolean  od_round_trip_found            (OdRoundTrip          *self,
                                          OdDelivery            where,
                                          const char           *folder,
                                          GBytes               *header);
void      od_round_trip_return           (OdRoundTrip          *self,
                                          GError               *error);
gint64    od_round_trip_remaining_ms     (OdRoundTrip          *self);
void      od_round_trip_sleep_async      (OdRoundTrip          *self,
                                          guint                 ms,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean  od_round_trip_sleep_finish     (OdRoundTrip          *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void      od_round_trip_connect_async    (OdRoundTrip          *self,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean  od_round_trip_connect_finish   (OdRoundTrip          *self,
                                          GAsyncResult         *result,
                                          GError              **error);
GError   *od_round_trip_plaintext_error  (void);

G_END_DECLS
