/* od-details-page.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OD_TYPE_DETAILS_PAGE (od_details_page_get_type ())

G_DECLARE_FINAL_TYPE (OdDetailsPage, od_details_page, OD, DETAILS_PAGE, AdwBin)

const char *od_details_page_get_name        (OdDetailsPage *self);
const char *od_details_page_get_address     (OdDetailsPage *self);
const char *od_details_page_get_password    (OdDetailsPage *self);
gboolean    od_details_page_get_valid       (OdDetailsPage *self);
void        od_details_page_reset           (OdDetailsPage *self);
void        od_details_page_focus_first     (OdDetailsPage *self);
void        od_details_page_focus_password  (OdDetailsPage *self);
void        od_details_page_set_password    (OdDetailsPage *self,
                                             const char    *password);
void        od_details_page_set_caps_lock   (OdDetailsPage *self,
                                             gboolean       caps_lock);
GtkWidget  *od_details_page_get_default_widget (OdDetailsPage *self);
const char *od_details_page_get_oauth_provider (OdDetailsPage *self);
const char *od_details_page_get_client_id      (OdDetailsPage *self);
const char *od_details_page_get_client_secret  (OdDetailsPage *self);
void        od_details_page_set_signing_in     (OdDetailsPage *self,
                                                gboolean       signing_in);
void        od_details_page_show_sign_in_error (OdDetailsPage *self,
                                                const char    *message);

G_END_DECLS
