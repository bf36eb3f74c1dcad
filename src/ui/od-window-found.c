/* od-window-found.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-window"

#include "config.h"

#include <gio/gdesktopappinfo.h>
#include <glib/gi18n.h>

#include "od-found-readers.h"
#include "od-found-row.h"
#include "od-text.h"
#include "od-window-private.h"

/* *Found on This Computer*: the accounts of the person's other mail programs, looked for
 * whenever the list is shown (every client's reader at once, read-only, under the engine's
 * deadline), and *Test Sending* on one of them: the checklist with exactly that program's
 * settings and password, saving nothing. */

/* The clients to look at: all, or those OD_FOUND_CLIENTS names (comma-separated origins,
 * e.g. "thunderbird,msmtp"; the UI tests use it to keep the desktop services of the test
 * session out of tests that are not about them). */
static GArray *
selected_readers (void)
{
  const char *only = g_getenv ("OD_FOUND_CLIENTS");
  g_auto(GStrv) names = only != NULL ? g_strsplit (only, ",", -1) : NULL;
  const OdFoundReaderInfo *readers;
  guint n_readers;
  GArray *selected = g_array_new (FALSE, FALSE, sizeof (OdFoundReaderInfo));

  readers = od_found_get_readers (&n_readers);
  for (guint i = 0; i < n_readers; i++)
    if (names == NULL || g_strv_contains ((const char * const *)names, readers[i].origin))
      g_array_append_val (selected, readers[i]);

  return selected;
}

typedef struct
{
  GWeakRef      window;
  GCancellable *cancellable;   /* the search's: only the current search's result counts */
} Search;

static void
search_free (Search *search)
{
  g_weak_ref_clear (&search->window);
  g_clear_object (&search->cancellable);
  g_free (search);
}

static void
found_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Search *search = user_data;
  g_autoptr(OdWindow) self = g_weak_ref_get (&search->window);
  g_autoptr(GPtrArray) results = NULL;

  results = od_found_accounts_find_finish (result, NULL);
  /* A closed window, or a search that was stopped or replaced: nothing to show. */
  if (self == NULL || results == NULL || search->cancellable != self->finding ||
      g_cancellable_is_cancelled (search->cancellable))
    {
      search_free (search);
      return;
    }
  search_free (search);
  g_clear_object (&self->finding);

  g_clear_pointer (&self->found, g_ptr_array_unref);
  self->found = g_steal_pointer (&results);
  od_welcome_page_set_found (self->welcome_page, self->found);
  od_window_update_actions (self);

  /* After a fix: the account as its program reads it now, checked again. */
  if (self->retest_found != NULL)
    {
      g_autofree char *id = g_steal_pointer (&self->retest_found);

      od_window_test_found (self, id);
    }
}

/**
 * od_window_find_accounts:
 *
 * Looks for the accounts of the other mail programs again; the welcome page lists them when
 * the search is over. A search under way is replaced.
 */
void
od_window_find_accounts (OdWindow *self)
{
  g_autoptr(GArray) readers = selected_readers ();
  Search *search = g_new0 (Search, 1);

  od_window_stop_finding (self);
  self->finding = g_cancellable_new ();
  g_weak_ref_init (&search->window, self);
  search->cancellable = g_object_ref (self->finding);

  od_found_accounts_find_async ((const OdFoundReaderInfo *)readers->data, readers->len,
                                g_get_home_dir (), g_get_user_config_dir (), 0, self->finding,
                                found_cb, search);
}

/**
 * od_window_stop_finding:
 *
 * Stops a search for the other mail programs' accounts under way, e.g. when the window
 * closes.
 */
void
od_window_stop_finding (OdWindow *self)
{
  g_cancellable_cancel (self->finding);
  g_clear_object (&self->finding);
}

/**
 * od_window_get_found_account:
 *
 * Returns: (transfer none) (nullable): the account with @id ("evolution:…") among those the
 *   last search found
 */
OdFoundAccount *
od_window_get_found_account (OdWindow   *self,
                             const char *id)
{
  for (guint i = 0; self->found != NULL && i < self->found->len; i++)
    {
      OdFoundResult *result = g_ptr_array_index (self->found, i);

      for (guint j = 0; result->accounts != NULL && j < result->accounts->len; j++)
        if (g_str_equal (od_found_account_get_id (g_ptr_array_index (result->accounts, j)), id))
          return g_ptr_array_index (result->accounts, j);
    }

  return NULL;
}

/**
 * od_window_test_found:
 * @id: an account the last search found
 *
 * Troubleshooting another program's account: the full check with a test message, with the
 * program's settings as they are and its password from where it keeps it (else asked for).
 * The check page says whose settings these are; nothing is saved.
 */
void
od_window_test_found (OdWindow   *self,
                      const char *id)
{
  OdFoundAccount *found = od_window_get_found_account (self, id);
  const char *origin;
  g_autofree char *text = NULL;
  g_autofree char *address = NULL;

  if (od_setup_controller_get_state (self->setup) == OD_SETUP_STATE_SAVING ||
      od_troubleshoot_controller_get_state (self->troubleshoot) == OD_TROUBLESHOOT_STATE_STORING)
    return;
  if (found == NULL)
    {
      od_window_toast (self, _("This account is no longer there"));
      od_window_find_accounts (self);
      return;
    }
  if (!od_found_account_get_testable (found))
    {
      od_window_toast (self, _("This account has no server or sender address to test"));
      return;
    }

  origin = od_found_account_get_origin (found);
  if (od_window_get_page (self) != OD_PAGE_CHECK)
    self->from_account = FALSE;
  self->editing = FALSE;
  self->receiving = FALSE;
  od_setup_controller_end (self->setup);
  od_details_page_reset (self->details_page);
  self->flow = OD_FLOW_TROUBLESHOOT;

  /* The round trip would log in to the incoming server with the sending password, which
   * other programs often keep apart: not for these accounts yet. */
  od_check_page_set_send_test (self->check_page, TRUE);
  od_check_page_set_incoming_known (self->check_page, FALSE);
  od_troubleshoot_controller_set_round_trip (self->troubleshoot, FALSE, FALSE);

  /* Translators: %s is a mail program, "Evolution" */
  text = g_strdup_printf (_("These are the settings of %s, tested exactly as they are. "
                            "Nothing is changed or saved."), od_found_origin_get_name (origin));
  /* From another program's file: plain text without control characters. */
  address = od_text_sanitize (od_account_get_address (od_found_account_get_account (found)), -1,
                              OD_TEXT_SINGLE_LINE);
  od_check_page_set_mode (self->check_page, OD_CHECK_PAGE_MODE_TROUBLESHOOT, address);
  od_check_page_set_origin (self->check_page, od_found_row_get_icon_name (origin), text);
  od_check_page_set_check (self->check_page, NULL);
  /* The page first: a password dialog opens over it, not over the list. */
  if (od_window_get_page (self) != OD_PAGE_CHECK)
    od_window_show_page (self, OD_PAGE_CHECK);
  od_troubleshoot_controller_start_found (self->troubleshoot, found);
}

/**
 * od_window_found_password_body:
 * @error: (nullable): why the password could not be read from where the program keeps it
 *
 * Returns: (transfer full) (nullable): what the password dialog says when the account under
 *   test is another program's, or %NULL when it is ours
 */
char *
od_window_found_password_body (OdWindow     *self,
                               const GError *error)
{
  OdFoundAccount *found = od_troubleshoot_controller_get_found (self->troubleshoot);
  const char *client;
  g_autofree char *address = NULL;

  if (found == NULL)
    return NULL;

  client = od_found_origin_get_name (od_found_account_get_origin (found));
  address = od_text_sanitize (od_account_get_address (od_found_account_get_account (found)), -1,
                              OD_TEXT_SINGLE_LINE);
  if (error != NULL)
    {
      /* GOA's and Evolution's messages may quote what their files hold. */
      g_autofree char *why = od_text_sanitize (error->message, -1, OD_TEXT_SINGLE_LINE);

      /* Translators: the first %s is a mail program, "Evolution"; the second says why the
       * password could not be read */
      return g_strdup_printf (_("The password that %s keeps could not be read: %s\n\nEnter it "
                                "to test sending. It is used for this test only and saved "
                                "nowhere."), client, why);
    }

  /* Translators: the first %s is a mail program, "Thunderbird"; the second an address */
  return g_strdup_printf (_("%s keeps the password of %s where Outbox Doctor does not read "
                            "it. Enter it to test sending. It is used for this test only and "
                            "saved nowhere."), client, address);
}

/**
 * od_window_update_found_fix:
 *
 * Offers *Fix in …* on the check page when the last check of another program's account
 * passed with settings that program does not have yet; hides it otherwise.
 */
void
od_window_update_found_fix (OdWindow *self)
{
  OdFoundAccount *found = od_troubleshoot_controller_get_found (self->troubleshoot);
  g_autofree char *label = NULL;
  OdFoundFix fix;

  if (self->flow == OD_FLOW_TROUBLESHOOT && found != NULL &&
      od_troubleshoot_controller_get_found_fix (self->troubleshoot, &fix))
    {
      const char *origin = od_found_account_get_origin (found);
      const char *client = od_found_origin_get_name (origin);
      g_autofree char *base = NULL;
      g_autofree char *text = NULL;

      /* Translators: %s is a mail program: "_Fix in Evolution" */
      label = g_strdup_printf (_("_Fix in %s"), client);
      /* Translators: both %s are the same mail program, "Evolution" */
      base = g_strdup_printf (_("These settings work, but %s does not have them yet. Fix in %s "
                                "writes them into its settings."), client, client);
      /* Programs file their saved passwords under the server and user name. */
      if (fix.host != NULL || fix.port != 0 || fix.username != NULL)
        {
          /* Translators: %s is a mail program, "Evolution" */
          g_autofree char *more = g_strdup_printf (_("%s may then ask for the password "
                                                     "again."), client);

          text = g_strconcat (base, " ", more, NULL);
        }
      else
        text = g_steal_pointer (&base);
      /* The check passed the certificate only because the person trusts it here. */
      if (od_troubleshoot_controller_found_fix_trusts_pin (self->troubleshoot))
        {
          g_autofree char *before = g_steal_pointer (&text);
          /* Translators: %s is a mail program, "Evolution" */
          g_autofree char *pin = g_strdup_printf (_("Its certificate passed only because you chose "
                                                    "to trust it here: %s checks it against the "
                                                    "system’s certificate authorities and may "
                                                    "still refuse it."), client);

          text = g_strconcat (before, " ", pin, NULL);
        }
      od_check_page_set_origin (self->check_page, od_found_row_get_icon_name (origin), text);
    }
  od_check_page_set_fix (self->check_page, label);
}

typedef struct
{
  GWeakRef      window;
  GApplication *application;  /* held while the program's file is written */
  char         *id;           /* the account fixed */
  char         *origin;
} Fixing;

static void
fixing_free (Fixing *fixing)
{
  if (fixing->application != NULL)
    g_application_release (fixing->application);
  g_clear_object (&fixing->application);
  g_weak_ref_clear (&fixing->window);
  g_free (fixing->id);
  g_free (fixing->origin);
  g_free (fixing);
}

static void
fix_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Fixing *fixing = user_data;
  g_autoptr(OdWindow) self = g_weak_ref_get (&fixing->window);
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *message = NULL;
  const char *client = od_found_origin_get_name (fixing->origin);
  gboolean fixed;

  fixed = od_troubleshoot_controller_fix_found_finish (OD_TROUBLESHOOT_CONTROLLER (object),
                                                       result, &backup, &error);

  /* The window was closed meanwhile: what was written stays written, nobody to tell. */
  if (self == NULL || self->fixing == NULL)
    {
      fixing_free (fixing);
      return;
    }
  g_clear_pointer (&self->fixing, g_free);
  g_clear_object (&self->fix_cancellable);

  if (!fixed)
    {
      g_autofree char *why = od_text_sanitize (error->message, -1, OD_TEXT_SINGLE_LINE);
      /* Translators: %s is a mail program, "Evolution" */
      g_autofree char *heading = g_strdup_printf (_("The Settings of %s Were Not Changed"),
                                                  client);
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, why);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      /* Offered again: after closing Thunderbird, say. */
      od_window_update_found_fix (self);
      od_window_update_actions (self);
      fixing_free (fixing);
      return;
    }

  /* Translators: %s is a mail program, "Evolution" */
  message = g_strdup_printf (_("The settings of %s are changed: checking them as it reads "
                               "them"), client);
  od_window_toast (self, message);
  self->retest_found = g_strdup (fixing->id);
  fixing_free (fixing);
  od_window_find_accounts (self);
  od_window_update_actions (self);
}

static void
fix_found_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  OdFoundAccount *found = od_troubleshoot_controller_get_found (self->troubleshoot);
  Fixing *fixing;
  OdFoundFix fix;

  if (found == NULL || self->fixing != NULL ||
      !od_troubleshoot_controller_get_found_fix (self->troubleshoot, &fix))
    return;

  fixing = g_new0 (Fixing, 1);
  g_weak_ref_init (&fixing->window, self);
  fixing->id = g_strdup (od_found_account_get_id (found));
  fixing->origin = g_strdup (od_found_account_get_origin (found));
  self->fixing = g_strdup (fixing->id);
  self->fix_cancellable = g_cancellable_new ();
  od_check_page_set_fix (self->check_page, NULL);
  /* The program's file is written to its end even when the window closes meanwhile. */
  if (gtk_window_get_application (GTK_WINDOW (self)) != NULL)
    {
      fixing->application = G_APPLICATION (g_object_ref (gtk_window_get_application (GTK_WINDOW (self))));
      g_application_hold (fixing->application);
    }
  od_troubleshoot_controller_fix_found_async (self->troubleshoot, self->fix_cancellable, fix_cb,
                                              fixing);
  od_window_update_actions (self);
}

static void
test_found_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  od_window_test_found (OD_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* *Open Online Accounts*: Settings' Online Accounts panel, where an OAuth account of GNOME
 * Online Accounts is signed in to again. */
static void
open_online_accounts_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  g_autoptr(GAppInfo) panel = G_APP_INFO (g_desktop_app_info_new ("gnome-online-accounts-panel.desktop"));
  g_autoptr(GdkAppLaunchContext) context =
    gdk_display_get_app_launch_context (gtk_widget_get_display (widget));
  g_autoptr(GError) error = NULL;

  if (panel == NULL)
    panel = g_app_info_create_from_commandline ("gnome-control-center online-accounts", NULL,
                                                G_APP_INFO_CREATE_NONE, &error);
  if (panel == NULL || !g_app_info_launch (panel, NULL, G_APP_LAUNCH_CONTEXT (context), &error))
    {
      g_autofree char *message =
        /* Translators: %s is the system's own words */
        g_strdup_printf (_("Settings could not be opened: %s"),
                         error != NULL ? error->message : "");

      od_window_toast (self, message);
    }
}

void
od_window_class_add_found_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open-online-accounts", NULL,
                                   open_online_accounts_action);
  gtk_widget_class_install_action (widget_class, "win.test-found", "s", test_found_action);
  gtk_widget_class_install_action (widget_class, "win.fix-found", NULL, fix_found_action);
}
