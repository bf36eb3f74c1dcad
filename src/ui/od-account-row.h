/* od-account-row.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "od-account.h"

G_BEGIN_DECLS

#define OD_TYPE_ACCOUNT_ROW (od_account_row_get_type ())

G_DECLARE_FINAL_TYPE (OdAccountRow, od_account_row, OD, ACCOUNT_ROW, AdwActionRow)

GtkWidget *od_account_row_new         (OdAccount    *account);
OdAccount *od_account_row_get_account (OdAccountRow *self);
void       od_account_row_update      (OdAccountRow *self);
GtkImage  *od_account_row_get_light   (OdAccountRow *self);

G_END_DECLS
