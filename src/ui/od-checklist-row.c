/* od-checklist-row.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-checklist-row"

#include "config.h"

#include <glib/gi18n.h>

#include "od-checklist-row.h"
#include "od-ui-util.h"

/* One step of the checklist: a light that turns from pending to a spinner to green, amber,
 * red or grey, the step's detail below its title, and for a problem an expansion with the
 * explanation, the remedy, the server's exact reply and the actions the app can take. */
struct _OdChecklistRow
{
  AdwExpanderRow  parent_instance;

  /* Template widgets */
  GtkStack       *light_stack;
  GtkImage       *light;
  GtkSpinner     *spinner;
  GtkBox         *problem_box;
  GtkLabel       *summary_label;
  GtkLabel       *remedy_label;
  GtkBox         *reply_box;
  GtkLabel       *reply_label;
  GtkBox         *actions_box;
  GtkButton      *port_button;
  GtkButton      *password_button;
  GtkButton      *certificate_button;
  GtkButton      *confirm_button;
  GtkButton      *signin_button;
  GtkButton      *retry_button;
  GtkBox         *more_box;
  GtkLabel       *more_label;

  /* Owned */
  OdCheckStep    *step;
  gulong          notify_handler;
  guint16         port;
};

G_DEFINE_FINAL_TYPE (OdChecklistRow, od_checklist_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_STEP,
  PROP_PORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_action (GtkButton *button,
             gboolean   visible)
{
  gtk_widget_set_visible (GTK_WIDGET (button), visible);
}

/* "Use Port 587 Instead", or "Use TLS Instead" on the same port: the setting that was
 * tried and works (the problem's suggestion). */
static void
label_port_button (OdChecklistRow *self,
                   OdProblem      *problem)
{
  g_autofree char *label = NULL;
  guint16 port;
  OdSecurity security;

  if (problem == NULL || !od_problem_get_suggestion (problem, NULL, &port, &security))
    return;

  if (port != self->port)
    /* Translators: a button; %u is a port number such as 587 */
    label = g_strdup_printf (_("Use Port %u Instead"), port);
  else if (security == OD_SECURITY_TLS)
    label = g_strdup (_("Use TLS Instead"));
  else
    label = g_strdup (_("Use STARTTLS Instead"));

  gtk_button_set_label (self->port_button, label);
}

static void
update_actions (OdChecklistRow *self,
                OdProblem      *problem)
{
  /* The catalog says which fixes a problem admits; another setting only once one was seen
   * to work. */
  OdFix fixes = problem ? od_problem_get_fixes (problem) : OD_FIX_NONE;

  label_port_button (self, problem);
  show_action (self->port_button, fixes & OD_FIX_OTHER_PORT);
  show_action (self->password_button, fixes & OD_FIX_REENTER_PASSWORD);
  show_action (self->certificate_button, fixes & OD_FIX_TRUST_CERTIFICATE);
  show_action (self->confirm_button, fixes & OD_FIX_CONFIRM_SERVER);
  show_action (self->signin_button, fixes & OD_FIX_SIGN_IN_AGAIN);
  show_action (self->retry_button, problem != NULL);
}

/* Further findings of the step, one line each: the delivery's SPF, DKIM, DMARC failures
 * after the spam folder. */
static void
update_more_problems (OdChecklistRow *self)
{
  GPtrArray *more = od_check_step_get_more_problems (self->step);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; more != NULL && i < more->len; i++)
    g_string_append_printf (text, "%s• %s", i > 0 ? "\n" : "",
                            od_problem_get_summary (g_ptr_array_index (more, i)));

  gtk_label_set_text (self->more_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->more_box), text->len > 0);
}

static void
update (OdChecklistRow *self)
{
  OdStepState state = od_check_step_get_state (self->step);
  OdProblem *problem = od_check_step_get_problem (self->step);
  const char *title = od_check_step_get_title (self->step);
  const char *detail = od_check_step_get_detail (self->step);
  const char *reply = problem ? od_problem_get_server_reply (problem) : NULL;
  g_autofree char *description = NULL;
  gboolean running = state == OD_STEP_STATE_RUNNING;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), detail ? detail : "");

  od_ui_set_light (self->light, state, title);
  gtk_spinner_set_spinning (self->spinner, running);
  gtk_stack_set_visible_child_name (self->light_stack, running ? "spinner" : "light");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  od_step_state_describe (OD_STEP_STATE_RUNNING),
                                  -1);

  /* The row itself tells a screen reader the step's state in words, whatever has focus. */
  if (detail != NULL)
    description = g_strdup_printf ("%s. %s", od_step_state_describe (state), detail);
  else
    description = g_strdup (od_step_state_describe (state));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);

  for (guint i = 0; i < 3; i++)
    {
      static const char * const row_classes[] = { "step-pass", "step-warn", "step-fail" };
      gtk_widget_remove_css_class (GTK_WIDGET (self), row_classes[i]);
    }
  if (state == OD_STEP_STATE_FAIL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "step-fail");
  else if (state == OD_STEP_STATE_WARN)
    gtk_widget_add_css_class (GTK_WIDGET (self), "step-warn");
  else if (state == OD_STEP_STATE_PASS)
    gtk_widget_add_css_class (GTK_WIDGET (self), "step-pass");

  if (problem != NULL)
    {
      const char *summary = od_problem_get_summary (problem);

      /* A failed step's detail usually is the problem's summary: do not say it twice. */
      gtk_label_set_text (self->summary_label, summary);
      gtk_widget_set_visible (GTK_WIDGET (self->summary_label), g_strcmp0 (summary, detail) != 0);
      gtk_label_set_text (self->remedy_label, od_problem_get_remedy (problem));
      gtk_label_set_text (self->reply_label, reply ? reply : "");
      gtk_widget_set_visible (GTK_WIDGET (self->reply_box), reply != NULL && reply[0] != '\0');
    }
  update_more_problems (self);
  update_actions (self, problem);

  /* Only a row with something to explain expands; a failure opens by itself. */
  if (problem != NULL && !adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (self)))
    {
      adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (self), TRUE);
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), state == OD_STEP_STATE_FAIL);
    }
  else if (problem == NULL)
    {
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), FALSE);
      adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (self), FALSE);
    }
}

static void
step_notify_cb (OdChecklistRow *self,
                GParamSpec     *pspec,
                OdCheckStep    *step)
{
  update (self);
}

static void
od_checklist_row_constructed (GObject *object)
{
  OdChecklistRow *self = (OdChecklistRow *)object;

  G_OBJECT_CLASS (od_checklist_row_parent_class)->constructed (object);

  g_assert (OD_IS_CHECK_STEP (self->step));

  self->notify_handler = g_signal_connect_object (self->step, "notify",
                                                  G_CALLBACK (step_notify_cb), self,
                                                  G_CONNECT_SWAPPED);
  update (self);
}

static void
od_checklist_row_dispose (GObject *object)
{
  OdChecklistRow *self = (OdChecklistRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), OD_TYPE_CHECKLIST_ROW);

  if (self->step != NULL && self->notify_handler != 0)
    g_clear_signal_handler (&self->notify_handler, self->step);
  g_clear_object (&self->step);

  G_OBJECT_CLASS (od_checklist_row_parent_class)->dispose (object);
}

static void
od_checklist_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  OdChecklistRow *self = OD_CHECKLIST_ROW (object);

  switch (prop_id)
    {
    case PROP_STEP:
      g_value_set_object (value, self->step);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
od_checklist_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  OdChecklistRow *self = OD_CHECKLIST_ROW (object);

  switch (prop_id)
    {
    case PROP_STEP:
      self->step = g_value_dup_object (value);
      break;

    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
od_checklist_row_class_init (OdChecklistRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = od_checklist_row_constructed;
  object_class->dispose = od_checklist_row_dispose;
  object_class->get_property = od_checklist_row_get_property;
  object_class->set_property = od_checklist_row_set_property;

  properties[PROP_STEP] =
    g_param_spec_object ("step", NULL, NULL,
                         OD_TYPE_CHECK_STEP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /* The port the check ran against: the suggestion's button names a port only if it is
   * another one. */
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, G_MAXUINT16, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/outboxdoctor/OutboxDoctor/od-checklist-row.ui");
  gtk_widget_class_bind_template_child (widget_class, OdChecklistRow, light_stack);
  gtk_widget_class_bind_template_child (widget_class, OdChecklistRow, light);
  gtk_widget_class_bind_template_child (widget_class, OdChecklistRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, OdChecklistRow, problem_box);
  gtk_widget_class_bind_template_child (widget_class, OdChecklistRow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, OdChecklistRow, remedy_label);
  gtk_widget_class_bind_template_child (widget_class, OdChecklistRow, reply_box);
  gtk_widget_class_bind_template_child (widget_class, OdChecklistRow, reply_label);
  gtk_widget_class_bind_template_child (widget_class, OdChecklistRow, actions_box);
  gtk_widget_class_bind_template_child (widget_class, OdChecklistRow, port_button);
  gtk_widget_class_bind_template_child (widget_class, OdChecklistRow, password_button);
  gtk_widget_class_bind_template_child (widget_class, OdChecklistRow, certificate_button);
  gtk_widget_class_bind_template_child (widget_class, OdChecklistRow, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, OdChecklistRow, signin_button);
  gtk_widget_class_bind_template_child (widget_class, OdChecklistRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, OdChecklistRow, more_box);
  gtk_widget_class_bind_template_child (widget_class, OdChecklistRow, more_label);
}

static void
od_checklist_row_init (OdChecklistRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * od_checklist_row_new:
 * @step: the step to show; the row follows its changes
 * @port: the port the check runs against
 *
 * Returns: (transfer floating): a new row
 */
GtkWidget *
od_checklist_row_new (OdCheckStep *step,
                      guint16      port)
{
  g_return_val_if_fail (OD_IS_CHECK_STEP (step), NULL);

  return g_object_new (OD_TYPE_CHECKLIST_ROW,
                       "step", step,
                       "port", (guint)port,
                       NULL);
}

OdCheckStep *
od_checklist_row_get_step (OdChecklistRow *self)
{
  g_return_val_if_fail (OD_IS_CHECKLIST_ROW (self), NULL);

  return self->step;
}

/**
 * od_checklist_row_get_light:
 *
 * Returns: (transfer none): the traffic light, for tests
 */
GtkImage *
od_checklist_row_get_light (OdChecklistRow *self)
{
  g_return_val_if_fail (OD_IS_CHECKLIST_ROW (self), NULL);

  return self->light;
}
