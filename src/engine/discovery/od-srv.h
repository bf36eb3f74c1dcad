/* od-srv.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One DNS SRV record (RFC 2782). */
typedef struct
{
  char    *target;     /* without the trailing dot; "." means "not offered" */
  guint16  priority;
  guint16  weight;
  guint16  port;
} OdSrvRecord;

OdSrvRecord *od_srv_record_new            (const char  *target,
                                           guint16      priority,
                                           guint16      weight,
                                           guint16      port);
void         od_srv_record_free           (OdSrvRecord *record);
GPtrArray   *od_srv_records_from_variants (GList       *records);
gboolean     od_srv_records_not_offered   (GPtrArray   *records);
GPtrArray   *od_srv_records_sort          (GPtrArray   *records,
                                           GRand       *rand);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdSrvRecord, od_srv_record_free)

G_END_DECLS
