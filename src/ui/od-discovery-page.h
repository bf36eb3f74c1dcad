/* od-discovery-page.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "od-discovery.h"

G_BEGIN_DECLS

#define OD_TYPE_DISCOVERY_PAGE (od_discovery_page_get_type ())

G_DECLARE_FINAL_TYPE (OdDiscoveryPage, od_discovery_page, OD, DISCOVERY_PAGE, AdwBin)

void        od_discovery_page_set_discovery (OdDiscoveryPage *self,
                                             OdDiscovery     *discovery);
void        od_discovery_page_show_failure  (OdDiscoveryPage *self,
                                             const GError    *error);
void        od_discovery_page_set_running   (OdDiscoveryPage *self,
                                             gboolean         running);
GtkListBox *od_discovery_page_get_sources_list    (OdDiscoveryPage *self);
GtkListBox *od_discovery_page_get_candidates_list (OdDiscoveryPage *self);

G_END_DECLS
