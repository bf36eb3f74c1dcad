/* od-welcome-page.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OD_TYPE_WELCOME_PAGE (od_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (OdWelcomePage, od_welcome_page, OD, WELCOME_PAGE, AdwBin)

void        od_welcome_page_set_accounts (OdWelcomePage *self,
                                          GListModel    *accounts);
GtkListBox *od_welcome_page_get_list     (OdWelcomePage *self);
void        od_welcome_page_refresh      (OdWelcomePage *self);
GtkWidget  *od_welcome_page_get_default_widget (OdWelcomePage *self);
void        od_welcome_page_focus_default (OdWelcomePage *self);
void        od_welcome_page_set_found    (OdWelcomePage *self,
                                          GPtrArray     *results);
GtkListBox *od_welcome_page_get_found_list (OdWelcomePage *self);

G_END_DECLS
