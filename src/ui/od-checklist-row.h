/* od-checklist-row.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "od-check-step.h"

G_BEGIN_DECLS

#define OD_TYPE_CHECKLIST_ROW (od_checklist_row_get_type ())

G_DECLARE_FINAL_TYPE (OdChecklistRow, od_checklist_row, OD, CHECKLIST_ROW, AdwExpanderRow)

GtkWidget   *od_checklist_row_new      (OdCheckStep    *step,
                                        guint16         port);
OdCheckStep *od_checklist_row_get_step (OdChecklistRow *self);
GtkImage    *od_checklist_row_get_light (OdChecklistRow *self);

G_END_DECLS
