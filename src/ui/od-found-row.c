/* od-found-row.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found-row"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-found-row.h"
#include "od-text.h"

/* An account another mail client keeps, in *Found on This Computer*: the client's icon,
 * the address, the client's name and server, what the reader noticed, and *Test Sending*,
 * which tests the account with exactly the client's settings. A client whose configuration
 * could not be read gets a row saying so, without a button. */
struct _OdFoundRow
{
  AdwActionRow    parent_instance;

  /* Template widgets */
  GtkImage       *icon;
  GtkButton      *test_button;

  /* Owned */
  OdFoundAccount *found;
};

G_DEFINE_FINAL_TYPE (OdFoundRow, od_found_row, ADW_TYPE_ACTION_ROW)

static void
od_found_row_dispose (GObject *object)
{
  OdFoundRow *self = (OdFoundRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), OD_TYPE_FOUND_ROW);
  g_clear_object (&self->found);

  G_OBJECT_CLASS (od_found_row_parent_class)->dispose (object);
}

static void
od_found_row_class_init (OdFoundRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = od_found_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/outboxdoctor/OutboxDoctor/od-found-row.ui");
  gtk_widget_class_bind_template_child (widget_class, OdFoundRow, icon);
  gtk_widget_class_bind_template_child (widget_class, OdFoundRow, test_button);
}

static void
od_found_row_init (OdFoundRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * od_found_row_get_icon_name:
 * @origin: one of the OD_ORIGIN_… names
 *
 * Returns: the client's own icon when the icon theme has it (the client is installed),
 *   else a symbolic icon for its kind: a mail program or a terminal program
 */
const char *
od_found_row_get_icon_name (const char *origin)
{
  static const struct { const char *origin; const char *icons[3]; } clients[] = {
    { OD_ORIGIN_GOA, { "goa-panel", "org.gnome.Settings", NULL } },
    { OD_ORIGIN_EVOLUTION, { "org.gnome.Evolution", "evolution", NULL } },
    { OD_ORIGIN_GEARY, { "org.gnome.Geary", "geary", NULL } },
    { OD_ORIGIN_THUNDERBIRD, { "org.mozilla.Thunderbird", "thunderbird", NULL } },
    { OD_ORIGIN_KMAIL, { "org.kde.kmail2", "kmail", NULL } },
    { OD_ORIGIN_MSMTP, { NULL } },
    { OD_ORIGIN_GIT, { NULL } },
    { OD_ORIGIN_NEOMUTT, { NULL } },
    { OD_ORIGIN_AERC, { NULL } },
  };
  GdkDisplay *display = gdk_display_get_default ();
  GtkIconTheme *theme = display ? gtk_icon_theme_get_for_display (display) : NULL;

  g_return_val_if_fail (origin != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      if (!g_str_equal (clients[i].origin, origin))
        continue;

      for (guint j = 0; clients[i].icons[j] != NULL; j++)
        if (theme != NULL && gtk_icon_theme_has_icon (theme, clients[i].icons[j]))
          return clients[i].icons[j];

      /* The terminal programs have no icon of their own. */
      return clients[i].icons[0] == NULL ? "utilities-terminal-symbolic" : "mail-send-symbolic";
    }

  return "mail-send-symbolic";
}

static void
set_icon (OdFoundRow *self,
          const char *origin)
{
  const char *icon_name = od_found_row_get_icon_name (origin);

  gtk_image_set_from_icon_name (self->icon, icon_name);
  /* An application's own icon at the size rows show them at; a symbolic one as text. */
  if (!g_str_has_suffix (icon_name, "-symbolic"))
    {
      gtk_image_set_pixel_size (self->icon, 32);
      gtk_widget_add_css_class (GTK_WIDGET (self->icon), "lowres-icon");
    }
}

/* "Evolution · smtp.example.org, port 587", then what the reader noticed. */
static char *
describe (OdFoundAccount *found)
{
  OdAccount *account = od_found_account_get_account (found);
  const char * const *notes = od_found_account_get_notes (found);
  const char *origin = od_found_account_get_origin (found);
  g_autofree char *client = NULL;
  g_autofree char *host = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *line = NULL;

  /* The terminal programs name their accounts in the file ("work", "default"): the name
   * tells apart two accounts of one file that send from the same address. */
  if (g_str_equal (origin, OD_ORIGIN_MSMTP) || g_str_equal (origin, OD_ORIGIN_AERC) ||
      g_str_equal (origin, OD_ORIGIN_NEOMUTT) || g_str_equal (origin, OD_ORIGIN_GIT))
    {
      g_autofree char *name = od_text_sanitize (od_found_account_get_native_id (found), -1,
                                                OD_TEXT_SINGLE_LINE);

      /* Translators: a mail program and its name for the account, "msmtp (work)" */
      client = g_strdup_printf (_("%s (%s)"), od_found_origin_get_name (origin), name);
    }
  else
    client = g_strdup (od_found_origin_get_name (origin));

  if (od_account_get_host (account) != NULL)
    host = od_text_sanitize (od_account_get_host (account), -1, OD_TEXT_SINGLE_LINE);
  if (host != NULL && host[0] != '\0')
    /* Translators: "Evolution · smtp.example.org, port 587" */
    line = g_strdup_printf (_("%s · %s, port %u"), client, host, od_account_get_port (account));
  else
    /* Translators: "Thunderbird · no outgoing server set" */
    line = g_strdup_printf (_("%s · no outgoing server set"), client);

  if (notes == NULL || notes[0] == NULL)
    return g_steal_pointer (&line);

  joined = g_strjoinv (" ", (char **)notes);
  clean = od_text_sanitize (joined, -1, OD_TEXT_SINGLE_LINE);
  return g_strdup_printf ("%s\n%s", line, clean);
}

/**
 * od_found_row_new:
 *
 * Returns: (transfer floating): a row for @found, with its *Test Sending* button
 */
GtkWidget *
od_found_row_new (OdFoundAccount *found)
{
  OdFoundRow *self;
  OdAccount *account;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *button_label = NULL;

  g_return_val_if_fail (OD_IS_FOUND_ACCOUNT (found), NULL);

  self = g_object_new (OD_TYPE_FOUND_ROW, NULL);
  self->found = g_object_ref (found);
  account = od_found_account_get_account (found);

  title = od_text_sanitize (od_account_get_address (account)[0] != '\0'
                            ? od_account_get_address (account)
                            : od_found_account_get_native_id (found), -1, OD_TEXT_SINGLE_LINE);
  subtitle = describe (found);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  /* The notes may be cut short in the row: all of them on hover. */
  if (strchr (subtitle, '\n') != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), strchr (subtitle, '\n') + 1);
  set_icon (self, od_found_account_get_origin (found));

  /* Without a server or a sender address there is nothing to test (the notes say which is
   * missing): the button stays off, and no action would switch it back on. */
  if (od_found_account_get_testable (found))
    {
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->test_button), "s",
                                        od_found_account_get_id (found));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->test_button), "win.test-found");
    }
  else
    gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), FALSE);
  /* Translators: "Test sending from alice@example.org with the settings of Evolution" */
  button_label = g_strdup_printf (_("Test sending from %s with the settings of %s"), title,
                                  od_found_origin_get_name (od_found_account_get_origin (found)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->test_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, button_label,
                                  -1);

  return GTK_WIDGET (self);
}

/**
 * od_found_row_new_unread:
 * @origin: the client
 * @message: why its configuration could not be read
 *
 * Returns: (transfer floating): a row saying that the client's accounts could not be read
 */
GtkWidget *
od_found_row_new_unread (const char *origin,
                         const char *message)
{
  OdFoundRow *self;
  g_autofree char *title = NULL;
  g_autofree char *clean = NULL;

  g_return_val_if_fail (origin != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  self = g_object_new (OD_TYPE_FOUND_ROW, NULL);
  /* Translators: %s is a mail program, "Thunderbird" */
  title = g_strdup_printf (_("The accounts of %s could not be read"),
                           od_found_origin_get_name (origin));
  clean = od_text_sanitize (message, -1, OD_TEXT_SINGLE_LINE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), clean);
  set_icon (self, origin);
  gtk_widget_set_visible (GTK_WIDGET (self->test_button), FALSE);

  return GTK_WIDGET (self);
}

/**
 * od_found_row_get_found:
 *
 * Returns: (transfer none) (nullable): the account, or %NULL on a row about a client that
 *   could not be read
 */
OdFoundAccount *
od_found_row_get_found (OdFoundRow *self)
{
  g_return_val_if_fail (OD_IS_FOUND_ROW (self), NULL);

  return self->found;
}

/**
 * od_found_row_get_test_button:
 *
 * Returns: (transfer none): *Test Sending*, for tests
 */
GtkButton *
od_found_row_get_test_button (OdFoundRow *self)
{
  g_return_val_if_fail (OD_IS_FOUND_ROW (self), NULL);

  return self->test_button;
}
