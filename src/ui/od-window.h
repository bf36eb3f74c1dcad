/* od-window.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "od-account-store.h"
#include "od-discovery.h"
#include "od-secret-store.h"
#include "od-setup-controller.h"

G_BEGIN_DECLS

#define OD_TYPE_WINDOW (od_window_get_type ())

G_DECLARE_FINAL_TYPE (OdWindow, od_window, OD, WINDOW, AdwApplicationWindow)

/* Called on every new discovery before it runs; for tests, which point it at loopback. */

OdWindow       *od_window_new                (AdwApplication  *application);
void            od_window_set_ca_file        (OdWindow        *self,
                                              const char      *ca_file);
void            od_window_set_step_timeout   (OdWindow        *self,
                                              guint            timeout_ms);
void            od_window_set_discovery_hook (OdWindow        *self,
                                              OdDiscoveryHook  hook,
                                              gpointer         user_data);
OdAccountStore *od_window_get_account_store  (OdWindow        *self);
const char     *od_window_get_visible_page   (OdWindow        *self);
gboolean        od_window_get_busy           (OdWindow        *self);
void            od_window_test_receiving     (OdWindow        *self,
                                              const char      *account_id);
void            od_window_test_sending       (OdWindow        *self,
                                              const char      *account_id);
void            od_window_open_troubleshooting (OdWindow      *self);

G_END_DECLS
