/* od-account-page.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "od-account-store.h"

G_BEGIN_DECLS

#define OD_TYPE_ACCOUNT_PAGE (od_account_page_get_type ())

G_DECLARE_FINAL_TYPE (OdAccountPage, od_account_page, OD, ACCOUNT_PAGE, AdwBin)

void        od_account_page_set_account     (OdAccountPage  *self,
                                             OdAccountStore *store,
                                             const char     *id);
gboolean    od_account_page_refresh         (OdAccountPage  *self);
void        od_account_page_discard         (OdAccountPage  *self);
const char *od_account_page_get_id          (OdAccountPage  *self);
gboolean    od_account_page_get_edited      (OdAccountPage  *self);
gboolean    od_account_page_get_valid       (OdAccountPage  *self);
OdAccount  *od_account_page_dup_changes     (OdAccountPage  *self);
const char *od_account_page_get_password    (OdAccountPage  *self);
void        od_account_page_focus_default   (OdAccountPage  *self);
GtkWidget  *od_account_page_get_default_widget (OdAccountPage *self);

const char *od_account_page_describe_result (OdAccount      *account);

G_END_DECLS
