/* od-ui-util.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-format.h"
#include "od-ui-util.h"

/* The traffic lights. Colour alone never carries the meaning: each state has its own icon
 * shape and a sentence for screen readers. */

const char *
od_step_state_icon_name (OdStepState state)
{
  switch (state)
    {
    case OD_STEP_STATE_PENDING: return "content-loading-symbolic";
    case OD_STEP_STATE_RUNNING: return "content-loading-symbolic";
    case OD_STEP_STATE_PASS:    return "emblem-ok-symbolic";
    case OD_STEP_STATE_WARN:    return "dialog-warning-symbolic";
    case OD_STEP_STATE_FAIL:    return "dialog-error-symbolic";
    case OD_STEP_STATE_SKIP:    return "action-unavailable-symbolic";
    default:                    return "dialog-question-symbolic";
    }
}

const char *
od_step_state_css_class (OdStepState state)
{
  switch (state)
    {
    case OD_STEP_STATE_PASS: return "success";
    case OD_STEP_STATE_WARN: return "warning";
    case OD_STEP_STATE_FAIL: return "error";
    default:                 return "dim-label";
    }
}

/**
 * od_ui_set_light:
 * @image: the light
 * @state: what it shows
 * @subject: (nullable): what it is about, for the accessible label ("Login")
 *
 * Sets icon, colour and accessible label of a traffic light in one place.
 */
void
od_ui_set_light (GtkImage    *image,
                 OdStepState  state,
                 const char  *subject)
{
  od_ui_set_light_full (image, state, NULL, subject);
}

/**
 * od_ui_set_light_full:
 * @words: (nullable): what the state means here, when the usual words
 *   (od_step_state_describe()) do not fit: "Nothing found" rather than "Not checked"
 *
 * As od_ui_set_light(), with other words for screen readers and the tooltip.
 */
void
od_ui_set_light_full (GtkImage    *image,
                      OdStepState  state,
                      const char  *words,
                      const char  *subject)
{
  static const char * const classes[] = { "success", "warning", "error", "dim-label" };
  g_autofree char *label = NULL;

  g_return_if_fail (GTK_IS_IMAGE (image));

  if (words == NULL)
    words = od_step_state_describe (state);

  gtk_image_set_from_icon_name (image, od_step_state_icon_name (state));

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (image), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (image), od_step_state_css_class (state));

  if (subject != NULL)
    /* Translators: an accessible label: "Login: Failed" */
    label = g_strdup_printf (_("%s: %s"), subject, words);
  else
    label = g_strdup (words);

  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  /* Setting a tooltip asks the display where the pointer is, a round trip to the X server:
   * not for every refresh of a light that did not change. */
  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (image)), words) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (image), words);
}

/**
 * od_ui_format_relative_time:
 *
 * Returns: (transfer full): "just now", "5 minutes ago", "yesterday", or a date
 */
char *
od_ui_format_relative_time (GDateTime *time,
                            GDateTime *now)
{
  GTimeSpan span;
  gint64 minutes, hours, days;

  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  span = g_date_time_difference (now, time);
  if (span < 0)
    span = 0;

  minutes = span / G_TIME_SPAN_MINUTE;
  hours = span / G_TIME_SPAN_HOUR;
  days = span / G_TIME_SPAN_DAY;

  if (minutes < 1)
    return g_strdup (_("just now"));

  if (hours < 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago",
                                         minutes),
                            (int)minutes);

  if (days < 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", hours),
                            (int)hours);

  if (days < 2)
    return g_strdup (_("yesterday"));

  if (days < 14)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", days),
                            (int)days);

  return od_format_date (time);
}

/* Where a setting came from, in the user's words. The kinds are the discovery contract's. */
const char *
od_ui_source_label (const char *source)
{
  if (g_strcmp0 (source, "provider-db") == 0)
    return _("From the provider database");
  if (g_strcmp0 (source, "autoconfig") == 0 || g_strcmp0 (source, "well-known") == 0)
    return _("From your domain’s configuration");
  if (g_strcmp0 (source, "srv") == 0)
    return _("From DNS");
  if (g_strcmp0 (source, "mx") == 0)
    return _("From DNS (the domain’s mail server)");
  if (g_strcmp0 (source, "guess") == 0)
    return _("Guessed");
  if (g_strcmp0 (source, "manual") == 0)
    return _("Entered by you");
  if (g_strcmp0 (source, "address") == 0)
    return _("From the address you entered");
  if (g_strcmp0 (source, "hosting") == 0)
    return _("From the settings of the company that handles the domain’s mail");

  return _("Unknown source");
}

/* Pasting often brings a space or a line break along with a password. */
gboolean
od_ui_has_outer_spaces (const char *text)
{
  gsize len;

  if (text == NULL || text[0] == '\0')
    return FALSE;

  len = strlen (text);
  return g_ascii_isspace (text[0]) || g_ascii_isspace (text[len - 1]);
}

typedef struct
{
  GCallback callback;
  gpointer  user_data;
} SpinEnter;

static gboolean
spin_key_pressed_cb (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     SpinEnter             *enter)
{
  GtkSpinButton *spin = GTK_SPIN_BUTTON (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));

  if ((keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter) ||
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;

  /* The number typed counts before anything moves on. */
  gtk_spin_button_update (spin);
  ((void (*) (gpointer)) enter->callback) (enter->user_data);

  return GDK_EVENT_STOP;
}

/**
 * od_ui_on_spin_enter:
 * @callback: a `void (*) (gpointer user_data)`
 *
 * Enter in a spin button calls @callback with @user_data (GTK 4.8's spin button has no
 * activation of its own): the next field, or the page's main action.
 */
void
od_ui_on_spin_enter (GtkSpinButton *spin,
                     GCallback      callback,
                     gpointer       user_data)
{
  GtkEventController *controller = gtk_event_controller_key_new ();
  SpinEnter *enter = g_new0 (SpinEnter, 1);

  enter->callback = callback;
  enter->user_data = user_data;
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_data (controller, "key-pressed", G_CALLBACK (spin_key_pressed_cb), enter,
                         (GClosureNotify)(void (*) (void))g_free, 0);
  gtk_widget_add_controller (GTK_WIDGET (spin), controller);
}
