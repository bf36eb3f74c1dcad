/* od-application.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-application"

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>

#include "od-application.h"
#include "od-window.h"

/* The application: one main window, the app.* actions, and the command line. The desktop
 * file's *Test Sending* runs `outbox-doctor --test-sending`, which activates the
 * app.test-sending action in the running instance (or a new one). */
struct _OdApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (OdApplication, od_application, ADW_TYPE_APPLICATION)

static OdWindow *
ensure_window (OdApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (od_window_new (ADW_APPLICATION (self)));

  gtk_window_present (window);

  return OD_WINDOW (window);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  OdApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { _("The Outbox Doctor authors"), NULL };

  adw_show_about_window (parent,
                         "application-name", _("Outbox Doctor"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("The Outbox Doctor authors"),
                         "developers", developers,
                         "comments", _("Sets up your outgoing mail and finds out why mail "
                                       "stays in the outbox."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         /* Translators: your names, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  OdApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing the windows lets each one save its size and stop what it runs. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
test_sending_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  OdApplication *self = user_data;

  od_window_open_troubleshooting (ensure_window (self));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
  { "test-sending", test_sending_action },
};

static int
od_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("outbox-doctor %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (g_variant_dict_contains (options, "test-sending"))
    {
      if (!g_application_register (application, NULL, &error))
        {
          g_printerr ("outbox-doctor: %s\n", error->message);
          return EXIT_FAILURE;
        }

      g_action_group_activate_action (G_ACTION_GROUP (application), "test-sending", NULL);
      return EXIT_SUCCESS;
    }

  return -1;
}

static void
od_application_startup (GApplication *application)
{
  /* Without a display GTK would stop with a terse warning: say what to do instead. */
  if (!gtk_init_check ())
    {
      g_printerr (_("outbox-doctor: cannot open a display. Outbox Doctor is a desktop app: "
                    "start it in a graphical session, run it under a virtual display "
                    "(xvfb-run outbox-doctor), or use outbox-doctor-cli in a terminal.\n"));
      exit (EXIT_FAILURE);
    }

  G_APPLICATION_CLASS (od_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);

  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "window.close",
                                         (const char *[]) { "<Control>w", NULL });
}

static void
od_application_activate (GApplication *application)
{
  ensure_window (OD_APPLICATION (application));
}

static void
od_application_class_init (OdApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  application_class->handle_local_options = od_application_handle_local_options;
  application_class->startup = od_application_startup;
  application_class->activate = od_application_activate;
}

static void
od_application_init (OdApplication *self)
{
  const GOptionEntry entries[] = {
    { "test-sending", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Test sending from the last account used"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Show the version and quit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Set up an outgoing mail account, or find out "
                                              "why mail stays in the outbox."));
}

/**
 * od_application_new:
 *
 * Returns: (transfer full): the application
 */
OdApplication *
od_application_new (void)
{
  return g_object_new (OD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/outboxdoctor/OutboxDoctor",
                       NULL);
}
