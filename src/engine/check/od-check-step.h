/* od-check-step.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "od-problem.h"
#include "od-types.h"

G_BEGIN_DECLS

typedef enum
{
  OD_STEP_STATE_PENDING,
  OD_STEP_STATE_RUNNING,
  OD_STEP_STATE_PASS,
  OD_STEP_STATE_WARN,
  OD_STEP_STATE_FAIL,
  OD_STEP_STATE_SKIP,
} OdStepState;

#define OD_TYPE_STEP_STATE (od_step_state_get_type ())
#define OD_TYPE_CHECK_STEP (od_check_step_get_type ())

GType od_step_state_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (OdCheckStep, od_check_step, OD, CHECK_STEP, GObject)

OdCheckStep *od_check_step_new            (const char  *id);
const char  *od_check_step_get_id         (OdCheckStep *self);
const char  *od_check_step_get_title      (OdCheckStep *self);
OdStepState  od_check_step_get_state      (OdCheckStep *self);
const char  *od_check_step_get_detail     (OdCheckStep *self);
void         od_check_step_set_detail     (OdCheckStep *self,
                                           const char  *detail);
gint64       od_check_step_get_elapsed_ms (OdCheckStep *self);
OdProblem   *od_check_step_get_problem    (OdCheckStep *self);
void         od_check_step_add_problem    (OdCheckStep *self,
                                           OdProblem   *problem);
GPtrArray   *od_check_step_get_more_problems (OdCheckStep *self);
void         od_check_step_start          (OdCheckStep *self);
void         od_check_step_finish         (OdCheckStep *self,
                                           OdStepState  state,
                                           const char  *detail,
                                           OdProblem   *problem);
void         od_check_step_warn           (OdCheckStep *self,
                                           const char  *detail,
                                           OdProblem   *problem);

const char  *od_step_state_to_string      (OdStepState  state);
gboolean     od_step_state_from_verdict   (const char  *verdict,
                                           OdStepState *state);
const char  *od_step_state_describe       (OdStepState  state);

G_END_DECLS
