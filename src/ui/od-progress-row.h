/* od-progress-row.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "od-check-step.h"

G_BEGIN_DECLS

#define OD_TYPE_PROGRESS_ROW (od_progress_row_get_type ())

G_DECLARE_FINAL_TYPE (OdProgressRow, od_progress_row, OD, PROGRESS_ROW, AdwActionRow)

GtkWidget   *od_progress_row_new       (void);
void         od_progress_row_update    (OdProgressRow *self,
                                        OdStepState    state,
                                        const char    *title,
                                        const char    *subtitle);
void         od_progress_row_update_full (OdProgressRow *self,
                                          OdStepState    state,
                                          const char    *words,
                                          const char    *title,
                                          const char    *subtitle);
OdStepState  od_progress_row_get_state (OdProgressRow *self);
GtkImage    *od_progress_row_get_light (OdProgressRow *self);

G_END_DECLS
