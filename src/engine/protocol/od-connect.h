/* od-connect.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-lookup-cache.h"
#include "od-route.h"
#include "od-tls-client.h"
#include "od-transcript.h"

G_BEGIN_DECLS

/* The way to a server, the same for every protocol and for the check and the probe alike:
 *
 *   connect = od_connect_new (host, port, transcript);
 *   od_connect_lookup_async ()     the host's addresses (or the IP literal itself)
 *   od_connect_connect_async ()    the addresses, Happy Eyeballs style, each with a deadline
 *   od_connect_handshake_async ()  implicit TLS, only for ports that start with it
 *   od_connect_get_stream ()       what a protocol session talks over
 *
 * Each stage has its own deadline and the caller's cancellable; the caller marks its steps
 * between them. STARTTLS belongs to the protocol session, which shares the connector's
 * TLS client (od_connect_get_tls_client()). */

/* Only the first few addresses of a host are tried: each has a deadline of its own. */
#define OD_CONNECT_MAX_ADDRESSES 4

#define OD_TYPE_CONNECT (od_connect_get_type ())

G_DECLARE_FINAL_TYPE (OdConnect, od_connect, OD, CONNECT, GObject)

OdConnect          *od_connect_new                 (const char           *host,
                                                    guint16               port,
                                                    OdTranscript         *transcript);
const char         *od_connect_get_host            (OdConnect            *self);
guint16             od_connect_get_port            (OdConnect            *self);
void                od_connect_set_connect_port    (OdConnect            *self,
                                                    guint16               port);
void                od_connect_set_lookup_cache    (OdConnect            *self,
                                                    OdLookupCache        *lookups);
void                od_connect_set_attempt_timeout (OdConnect            *self,
                                                    guint                 timeout_ms);
OdTlsClient        *od_connect_get_tls_client      (OdConnect            *self);

void                od_connect_lookup_async        (OdConnect            *self,
                                                    guint                 timeout_ms,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean            od_connect_lookup_finish       (OdConnect            *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
GList              *od_connect_get_addresses       (OdConnect            *self);

void                od_connect_connect_async       (OdConnect            *self,
                                                    guint                 timeout_ms,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean            od_connect_connect_finish      (OdConnect            *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
GInetSocketAddress *od_connect_get_remote          (OdConnect            *self);
OdRoute             od_connect_get_route           (OdConnect            *self);
GInetAddress       *od_connect_get_ipv6_failure    (OdConnect            *self);
GSocketConnection  *od_connect_get_connection      (OdConnect            *self);

void                od_connect_handshake_async     (OdConnect            *self,
                                                    guint                 timeout_ms,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean            od_connect_handshake_finish    (OdConnect            *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

GIOStream          *od_connect_get_stream          (OdConnect            *self);
gint64              od_connect_get_lookup_ms       (OdConnect            *self);
gint64              od_connect_get_connect_ms      (OdConnect            *self);
void                od_connect_close               (OdConnect            *self);

G_END_DECLS
