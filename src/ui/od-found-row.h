/* od-found-row.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "od-found-account.h"

G_BEGIN_DECLS

#define OD_TYPE_FOUND_ROW (od_found_row_get_type ())

G_DECLARE_FINAL_TYPE (OdFoundRow, od_found_row, OD, FOUND_ROW, AdwActionRow)

GtkWidget      *od_found_row_new               (OdFoundAccount *found);
GtkWidget      *od_found_row_new_unread        (const char     *origin,
                                                const char     *message);
OdFoundAccount *od_found_row_get_found         (OdFoundRow     *self);
GtkButton      *od_found_row_get_test_button   (OdFoundRow     *self);
const char     *od_found_row_get_icon_name     (const char     *origin);

G_END_DECLS
