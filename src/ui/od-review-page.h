/* od-review-page.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "od-types.h"

G_BEGIN_DECLS

#define OD_TYPE_REVIEW_PAGE (od_review_page_get_type ())

G_DECLARE_FINAL_TYPE (OdReviewPage, od_review_page, OD, REVIEW_PAGE, AdwBin)

/* Source tags besides the discovery's source kinds and "manual": a user name that is the
 * address the user typed, and one named by the settings of the hosting company the
 * domain's MX records point to. */
#define OD_REVIEW_SOURCE_ADDRESS "address"
#define OD_REVIEW_SOURCE_HOSTING "hosting"

void        od_review_page_set_settings    (OdReviewPage       *self,
                                            const char         *host,
                                            guint16             port,
                                            OdSecurity          security,
                                            const char         *source,
                                            const char         *username,
                                            const char         *username_source);
void        od_review_page_set_server      (OdReviewPage       *self,
                                            const char         *host,
                                            guint16             port,
                                            OdSecurity          security,
                                            const char         *source);
void        od_review_page_set_incoming    (OdReviewPage       *self,
                                            const char         *protocol,
                                            const char         *host,
                                            guint16             port,
                                            OdSecurity          security,
                                            const char         *source);
void        od_review_page_set_manual      (OdReviewPage       *self,
                                            gboolean            manual);
void        od_review_page_set_warnings    (OdReviewPage       *self,
                                            const char * const *warnings);
void        od_review_page_set_unconfirmed (OdReviewPage       *self,
                                            const char         *why);
const char *od_review_page_get_unconfirmed (OdReviewPage       *self);
gboolean    od_review_page_get_confirmed   (OdReviewPage       *self);
const char *od_review_page_get_host        (OdReviewPage       *self);
guint16     od_review_page_get_port        (OdReviewPage       *self);
OdSecurity  od_review_page_get_security    (OdReviewPage       *self);
const char *od_review_page_get_username    (OdReviewPage       *self);
const char *od_review_page_get_source      (OdReviewPage       *self);
gboolean    od_review_page_get_valid       (OdReviewPage       *self);
void        od_review_page_focus_first     (OdReviewPage       *self);
GtkWidget  *od_review_page_get_default_widget (OdReviewPage    *self);

G_END_DECLS
