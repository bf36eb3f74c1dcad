/* od-ui-util.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "od-check-step.h"

G_BEGIN_DECLS

const char *od_step_state_icon_name      (OdStepState  state);
const char *od_step_state_css_class      (OdStepState  state);
void        od_ui_set_light              (GtkImage    *image,
                                          OdStepState  state,
                                          const char  *subject);
void        od_ui_set_light_full         (GtkImage    *image,
                                          OdStepState  state,
                                          const char  *words,
                                          const char  *subject);
char       *od_ui_format_relative_time   (GDateTime   *time,
                                          GDateTime   *now);
const char *od_ui_source_label           (const char  *source);
gboolean    od_ui_has_outer_spaces       (const char  *text);
void        od_ui_on_spin_enter          (GtkSpinButton *spin,
                                          GCallback      callback,
                                          gpointer       user_data);

G_END_DECLS
