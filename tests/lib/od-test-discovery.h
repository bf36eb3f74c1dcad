/* od-test-discovery.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-test-certs.h"

G_BEGIN_DECLS

/* An in-process resolver for hermetic discovery tests: install it with
 * g_resolver_set_default(). Names it does not know do not exist. */
#define OD_TYPE_TEST_RESOLVER (od_test_resolver_get_type ())

G_DECLARE_FINAL_TYPE (OdTestResolver, od_test_resolver, OD, TEST_RESOLVER, GResolver)

OdTestResolver  *od_test_resolver_new             (void);
void             od_test_resolver_add_address     (OdTestResolver *self,
                                                   const char     *name,
                                                   const char     *ip);
void             od_test_resolver_add_srv         (OdTestResolver *self,
                                                   const char     *name,
                                                   guint16         priority,
                                                   guint16         weight,
                                                   guint16         port,
                                                   const char     *target);
void             od_test_resolver_add_mx          (OdTestResolver *self,
                                                   const char     *name,
                                                   guint16         preference,
                                                   const char     *exchange);
void             od_test_resolver_set_delay_ms    (OdTestResolver *self,
                                                   guint           delay_ms);
GPtrArray       *od_test_resolver_get_queries     (OdTestResolver *self);

/* A certificate signed by the test CA for the given DNS names. */
GTlsCertificate *od_test_make_named_cert          (OdTestCerts        *certs,
                                                   const char * const *names,
                                                   GError            **error);

/* A listening socket on @ip whose accept queue is full, so that connects to it hang, like a
 * port a firewall silently drops. */
typedef struct _OdTestBlackhole OdTestBlackhole;

OdTestBlackhole *od_test_blackhole_new            (const char     *ip,
                                                   guint16         port,
                                                   GError        **error);
void             od_test_blackhole_free           (OdTestBlackhole *self);

guint16          od_test_find_free_port           (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdTestBlackhole, od_test_blackhole_free)

G_END_DECLS
