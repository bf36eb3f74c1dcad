/* od-checklist.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-check-step.h"

G_BEGIN_DECLS

#define OD_TYPE_CHECKLIST (od_checklist_get_type ())

G_DECLARE_FINAL_TYPE (OdChecklist, od_checklist, OD, CHECKLIST, GObject)

const char * const *od_checklist_get_step_ids (void);
const char * const *od_checklist_get_step_ids_for_protocol (OdProtocol protocol);
OdChecklist        *od_checklist_new          (void);
OdChecklist        *od_checklist_new_for_protocol (OdProtocol protocol);
OdCheckStep        *od_checklist_get_step     (OdChecklist *self,
                                               const char  *id);
OdStepState         od_checklist_get_verdict  (OdChecklist *self);
GPtrArray          *od_checklist_get_problems (OdChecklist *self);
OdProblem          *od_checklist_get_main_problem (OdChecklist *self);
void                od_checklist_add_step     (OdChecklist *self,
                                               const char  *id);

G_END_DECLS
