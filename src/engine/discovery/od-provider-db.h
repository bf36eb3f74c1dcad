/* od-provider-db.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "od-autoconfig.h"

G_BEGIN_DECLS

/* Where the compiled-in provider database lives in the GResource. */
#define OD_PROVIDER_DB_RESOURCE_PATH "/org/outboxdoctor/OutboxDoctor/providers"

#define OD_TYPE_PROVIDER_DB (od_provider_db_get_type ())

G_DECLARE_FINAL_TYPE (OdProviderDb, od_provider_db, OD, PROVIDER_DB, GObject)

OdProviderDb *od_provider_db_get_default       (void);
OdProviderDb *od_provider_db_new_from_resource  (const char   *path,
                                                 GError      **error);
OdProviderDb *od_provider_db_new_from_directory (const char   *dir,
                                                 GError      **error);
OdProvider   *od_provider_db_lookup_domain      (OdProviderDb *self,
                                                 const char   *domain);
OdProvider   *od_provider_db_lookup_address     (OdProviderDb *self,
                                                 const char   *address);
OdProvider   *od_provider_db_lookup_mx          (OdProviderDb *self,
                                                 const char   *mx_host);
OdProvider   *od_provider_db_lookup_id          (OdProviderDb *self,
                                                 const char   *id);
guint         od_provider_db_get_n_providers    (OdProviderDb *self);
GPtrArray    *od_provider_db_list_providers     (OdProviderDb *self);

G_END_DECLS
