/* od-account-row.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-account-row"

#include "config.h"

#include <glib/gi18n.h>

#include "od-account-page.h"
#include "od-account-row.h"
#include "od-text.h"
#include "od-ui-util.h"

/* A saved account in the list: its address, its display name and its last result as a
 * light with the time, and the big *Test Sending* button that people come for when mail is
 * stuck. The row itself opens the account's page. */
struct _OdAccountRow
{
  AdwActionRow  parent_instance;

  /* Template widgets */
  GtkImage     *light;
  GtkButton    *test_button;

  /* Owned */
  OdAccount    *account;
};

G_DEFINE_FINAL_TYPE (OdAccountRow, od_account_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
od_account_row_dispose (GObject *object)
{
  OdAccountRow *self = (OdAccountRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), OD_TYPE_ACCOUNT_ROW);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (od_account_row_parent_class)->dispose (object);
}

static void
od_account_row_constructed (GObject *object)
{
  OdAccountRow *self = (OdAccountRow *)object;

  G_OBJECT_CLASS (od_account_row_parent_class)->constructed (object);

  od_account_row_update (self);
}

static void
od_account_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  OdAccountRow *self = OD_ACCOUNT_ROW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
od_account_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  OdAccountRow *self = OD_ACCOUNT_ROW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
od_account_row_class_init (OdAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = od_account_row_constructed;
  object_class->dispose = od_account_row_dispose;
  object_class->get_property = od_account_row_get_property;
  object_class->set_property = od_account_row_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         OD_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/outboxdoctor/OutboxDoctor/od-account-row.ui");
  gtk_widget_class_bind_template_child (widget_class, OdAccountRow, light);
  gtk_widget_class_bind_template_child (widget_class, OdAccountRow, test_button);
}

static void
od_account_row_init (OdAccountRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * od_account_row_new:
 *
 * Returns: (transfer floating): a row for @account
 */
GtkWidget *
od_account_row_new (OdAccount *account)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (account), NULL);

  return g_object_new (OD_TYPE_ACCOUNT_ROW,
                       "account", account,
                       NULL);
}

OdAccount *
od_account_row_get_account (OdAccountRow *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT_ROW (self), NULL);

  return self->account;
}

/* Shows the account's name, address and last result again, e.g. after a test. */
void
od_account_row_update (OdAccountRow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  GDateTime *when;
  OdStepState state = OD_STEP_STATE_PENDING;
  g_autofree char *subtitle = NULL;
  g_autofree char *result = NULL;
  g_autofree char *button_label = NULL;

  g_return_if_fail (OD_IS_ACCOUNT_ROW (self));

  /* From a file a person can edit: without control or invisible characters. */
  name = od_account_get_display_name (self->account)
         ? od_text_sanitize (od_account_get_display_name (self->account), -1, OD_TEXT_SINGLE_LINE)
         : NULL;
  address = od_text_sanitize (od_account_get_address (self->account), -1, OD_TEXT_SINGLE_LINE);
  when = od_account_get_last_check_time (self->account);

  /* One display name often serves several accounts: the address tells them apart. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), address);

  if (!od_step_state_from_verdict (od_account_get_last_verdict (self->account), &state) ||
      when == NULL)
    {
      state = OD_STEP_STATE_PENDING;
      result = g_strdup (od_account_page_describe_result (self->account));
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *ago = od_ui_format_relative_time (when, now);

      /* Translators: "Test message sent, 5 minutes ago" */
      result = g_strdup_printf (_("%s, %s"), od_account_page_describe_result (self->account),
                                ago);
    }

  subtitle = name != NULL && name[0] != '\0' ? g_strdup_printf ("%s\n%s", name, result)
                                              : g_strdup (result);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  od_ui_set_light (self->light, state, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->light),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  od_account_page_describe_result (self->account),
                                  -1);

  /* The row leads to the account's page; its button tests at once. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self), "s",
                                    od_account_get_id (self->account));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self), "win.show-account");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->test_button), "s",
                                    od_account_get_id (self->account));

  /* Several accounts have several "Test Sending" buttons: say which one this is. */
  button_label = g_strdup_printf (_("Test sending from %s"), address);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->test_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, button_label,
                                  -1);
}

/**
 * od_account_row_get_light:
 *
 * Returns: (transfer none): the light showing the last result, for tests
 */
GtkImage *
od_account_row_get_light (OdAccountRow *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT_ROW (self), NULL);

  return self->light;
}
