/* od-problem.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "od-catalog.h"
#include "od-types.h"

G_BEGIN_DECLS

#define OD_TYPE_PROBLEM (od_problem_get_type ())

G_DECLARE_FINAL_TYPE (OdProblem, od_problem, OD, PROBLEM, GObject)

OdProblem     *od_problem_new              (OdProblemKind  kind,
                                            const char    *step_id,
                                            OdSeverity     severity,
                                            const char    *summary,
                                            const char    *remedy,
                                            const char    *server_reply);
OdProblemKind  od_problem_get_kind         (OdProblem     *self);
const char    *od_problem_get_id           (OdProblem     *self);
OdFix          od_problem_get_fixes        (OdProblem     *self);
void           od_problem_withhold_fixes   (OdProblem     *self,
                                            OdFix          fixes);
gboolean       od_problem_has_fix          (OdProblem     *self,
                                            OdFix          fix);
const char    *od_problem_get_step_id      (OdProblem     *self);
OdSeverity     od_problem_get_severity     (OdProblem     *self);
const char    *od_problem_get_summary      (OdProblem     *self);
const char    *od_problem_get_remedy       (OdProblem     *self);
const char    *od_problem_get_server_reply (OdProblem     *self);
void           od_problem_set_suggestion   (OdProblem     *self,
                                            const char    *host,
                                            guint16        port,
                                            OdSecurity     security);
void           od_problem_set_offered_suggestion (OdProblem  *self,
                                                  const char *host,
                                                  guint16     port,
                                                  OdSecurity  security);
gboolean       od_problem_get_suggestion_tried   (OdProblem  *self);
gboolean       od_problem_get_suggestion   (OdProblem     *self,
                                            const char   **host,
                                            guint16       *port,
                                            OdSecurity    *security);
JsonNode      *od_problem_to_json          (OdProblem     *self);

G_END_DECLS
