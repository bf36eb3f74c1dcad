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

/**
 * OdDiscoveryPageState:
 * @OD_DISCOVERY_PAGE_RUNNING: looking for the server
 * @OD_DISCOVERY_PAGE_FOUND: a server was found (the window goes on to the review)
 * @OD_DISCOVERY_PAGE_FAILED: nothing usable was found
 * @OD_DISCOVERY_PAGE_STOPPED: the user stopped the search
 */
typedef enum
{
  OD_DISCOVERY_PAGE_RUNNING,
  OD_DISCOVERY_PAGE_FOUND,
  OD_DISCOVERY_PAGE_FAILED,
  OD_DISCOVERY_PAGE_STOPPED,
} OdDiscoveryPageState;

#define OD_TYPE_DISCOVERY_PAGE (od_discovery_page_get_type ())

G_DECLARE_FINAL_TYPE (OdDiscoveryPage, od_discovery_page, OD, DISCOVERY_PAGE, AdwBin)

void                 od_discovery_page_set_discovery       (OdDiscoveryPage *self,
                                                            OdDiscovery     *discovery);
void                 od_discovery_page_show_running        (OdDiscoveryPage *self);
void                 od_discovery_page_show_found          (OdDiscoveryPage *self);
void                 od_discovery_page_show_failure        (OdDiscoveryPage *self,
                                                            const GError    *error);
void                 od_discovery_page_show_stopped        (OdDiscoveryPage *self);
OdDiscoveryPageState od_discovery_page_get_state           (OdDiscoveryPage *self);
OdDiscovery         *od_discovery_page_get_discovery       (OdDiscoveryPage *self);
GtkListBox          *od_discovery_page_get_sources_list    (OdDiscoveryPage *self);
GtkListBox          *od_discovery_page_get_candidates_list (OdDiscoveryPage *self);
GtkWidget           *od_discovery_page_get_default_widget  (OdDiscoveryPage *self);

G_END_DECLS
