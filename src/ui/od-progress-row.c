/* od-progress-row.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-progress-row"

#include "config.h"

#include "od-progress-row.h"
#include "od-ui-util.h"

/* A row with a light that shows a spinner while its item is being worked on: the places
 * discovery looks and the servers it tries, as they happen. */
struct _OdProgressRow
{
  AdwActionRow  parent_instance;

  /* Owned (children) */
  GtkStack     *stack;
  GtkImage     *light;
  GtkSpinner   *spinner;

  /* Owned: what is shown, so an update that changes nothing costs nothing */
  char         *words;
  char         *subtitle;

  OdStepState   state;
};

G_DEFINE_FINAL_TYPE (OdProgressRow, od_progress_row, ADW_TYPE_ACTION_ROW)

static void
od_progress_row_finalize (GObject *object)
{
  OdProgressRow *self = (OdProgressRow *)object;

  g_clear_pointer (&self->words, g_free);
  g_clear_pointer (&self->subtitle, g_free);

  G_OBJECT_CLASS (od_progress_row_parent_class)->finalize (object);
}

static void
od_progress_row_class_init (OdProgressRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = od_progress_row_finalize;
}

static void
od_progress_row_init (OdProgressRow *self)
{
  self->stack = GTK_STACK (gtk_stack_new ());
  self->light = GTK_IMAGE (gtk_image_new ());
  self->spinner = GTK_SPINNER (gtk_spinner_new ());

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  od_step_state_describe (OD_STEP_STATE_RUNNING),
                                  -1);
  gtk_widget_set_valign (GTK_WIDGET (self->stack), GTK_ALIGN_CENTER);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->light), "light");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->spinner), "spinner");
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), GTK_WIDGET (self->stack));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 3);
  /* Host names and what servers and web sites said are shown as they are, never as Pango
   * markup (in libadwaita 1.2 this covers the subtitle too). */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);

  self->state = OD_STEP_STATE_PENDING;
  od_ui_set_light (self->light, self->state, NULL);
}

/**
 * od_progress_row_new:
 *
 * Returns: (transfer floating): a new row
 */
GtkWidget *
od_progress_row_new (void)
{
  return g_object_new (OD_TYPE_PROGRESS_ROW, NULL);
}

/**
 * od_progress_row_update:
 * @state: %OD_STEP_STATE_RUNNING shows a spinner, the others a light
 * @subtitle: (nullable): what happened
 */
void
od_progress_row_update (OdProgressRow *self,
                        OdStepState    state,
                        const char    *title,
                        const char    *subtitle)
{
  od_progress_row_update_full (self, state, NULL, title, subtitle);
}

/**
 * od_progress_row_update_full:
 * @words: (nullable): what @state means for this row, when the usual words do not fit
 *   (see od_ui_set_light_full())
 *
 * As od_progress_row_update().
 */
void
od_progress_row_update_full (OdProgressRow *self,
                             OdStepState    state,
                             const char    *words,
                             const char    *title,
                             const char    *subtitle)
{
  g_autofree char *description = NULL;

  g_return_if_fail (OD_IS_PROGRESS_ROW (self));

  if (words == NULL)
    words = od_step_state_describe (state);
  if (subtitle == NULL)
    subtitle = "";

  /* Rows are refreshed whenever anything in the detection changes; most stay as they are. */
  if (self->state == state && g_strcmp0 (self->words, words) == 0 &&
      g_strcmp0 (self->subtitle, subtitle) == 0 &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)), title) == 0)
    return;

  g_free (self->words);
  self->words = g_strdup (words);
  g_free (self->subtitle);
  self->subtitle = g_strdup (subtitle);
  self->state = state;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  od_ui_set_light_full (self->light, state, words, title);
  gtk_spinner_set_spinning (self->spinner, state == OD_STEP_STATE_RUNNING);
  gtk_stack_set_visible_child_name (self->stack,
                                    state == OD_STEP_STATE_RUNNING ? "spinner" : "light");

  if (subtitle[0] != '\0')
    description = g_strdup_printf ("%s. %s", words, subtitle);
  else
    description = g_strdup (words);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

OdStepState
od_progress_row_get_state (OdProgressRow *self)
{
  g_return_val_if_fail (OD_IS_PROGRESS_ROW (self), OD_STEP_STATE_PENDING);

  return self->state;
}

/**
 * od_progress_row_get_light:
 *
 * Returns: (transfer none): the light, for tests
 */
GtkImage *
od_progress_row_get_light (OdProgressRow *self)
{
  g_return_val_if_fail (OD_IS_PROGRESS_ROW (self), NULL);

  return self->light;
}
