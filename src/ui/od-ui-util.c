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

/* Words for the state, as a screen reader says them. */
const char *
od_step_state_describe (OdStepState state)
{
  switch (state)
    {
    case OD_STEP_STATE_PENDING: return _("Not checked yet");
    case OD_STEP_STATE_RUNNING: return _("Checking");
    case OD_STEP_STATE_PASS:    return _("Passed");
    case OD_STEP_STATE_WARN:    return _("Passed with a warning");
    case OD_STEP_STATE_FAIL:    return _("Failed");
    case OD_STEP_STATE_SKIP:    return _("Not checked");
    default:                    return _("Unknown");
    }
}

/* The verdicts an account remembers are the JSON contract's strings. */
gboolean
od_step_state_from_verdict (const char  *verdict,
                            OdStepState *state)
{
  g_assert (state != NULL);

  if (g_strcmp0 (verdict, "pass") == 0)
    *state = OD_STEP_STATE_PASS;
  else if (g_strcmp0 (verdict, "warn") == 0)
    *state = OD_STEP_STATE_WARN;
  else if (g_strcmp0 (verdict, "fail") == 0)
    *state = OD_STEP_STATE_FAIL;
  else
    return FALSE;

  return TRUE;
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
  g_autoptr(GDateTime) local = NULL;
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

  local = g_date_time_to_local (time);
  /* Translators: a date in the account list, see g_date_time_format() */
  return g_date_time_format (local, _("%e %B %Y"));
}

const char *
od_ui_security_label (OdSecurity security)
{
  switch (security)
    {
    case OD_SECURITY_TLS:      return _("TLS (encrypted from the start)");
    case OD_SECURITY_STARTTLS: return _("STARTTLS (encryption after connecting)");
    case OD_SECURITY_NONE:     return _("None (not encrypted)");
    default:                   return "";
    }
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
