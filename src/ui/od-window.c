/* od-window.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-account-check.h"
#include "od-text.h"
#include "od-ui-util.h"
#include "od-window-private.h"

/* The main window shows the two flows the controllers run: setting an account up
 * (od-setup-controller.c) and troubleshooting a saved one (od-troubleshoot-controller.c). It
 * turns their states into pages and enabled actions, and their results into the page's
 * contents; the actions the buttons name are in od-window-actions.c. */

G_DEFINE_FINAL_TYPE (OdWindow, od_window, ADW_TYPE_APPLICATION_WINDOW)

/* The stack's page names: what the .ui file calls them, and what tests ask for. */
static const char * const page_names[] = {
  [OD_PAGE_WELCOME] = "welcome",
  [OD_PAGE_DETAILS] = "details",
  [OD_PAGE_DISCOVERY] = "discovery",
  [OD_PAGE_REVIEW] = "review",
  [OD_PAGE_CHECK] = "check",
  [OD_PAGE_DONE] = "done",
  [OD_PAGE_ACCOUNT] = "account",
};

static gboolean
busy (OdWindow *self)
{
  return od_setup_controller_get_busy (self->setup) ||
         od_troubleshoot_controller_get_busy (self->troubleshoot);
}

/**
 * od_window_toast:
 *
 * A toast's title is Pango markup in libadwaita 1.2, and messages quote servers, files and
 * the keyring: they are escaped, so they are shown as they are.
 */
void
od_window_toast (OdWindow   *self,
                 const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

OdPage
od_window_get_page (OdWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      if (g_strcmp0 (page_names[i], name) == 0)
        return i;
    }

  g_return_val_if_reached (OD_PAGE_WELCOME);
}

void
od_window_show_page (OdWindow *self,
                     OdPage    page)
{
  /* An edit lives while its page or its check is shown: a password typed for it does not
   * stay behind in a hidden page. */
  if (page != OD_PAGE_ACCOUNT && page != OD_PAGE_CHECK)
    od_account_page_discard (self->account_page);

  /* Whatever was to follow a slide, this page is the one shown now. */
  self->pending_page = -1;
  g_clear_signal_handler (&self->transition_handler, self->stack);

  gtk_stack_set_visible_child_name (self->stack, page_names[page]);

  if (page == OD_PAGE_DETAILS)
    od_details_page_focus_first (self->details_page);
  else if (page == OD_PAGE_REVIEW)
    od_review_page_focus_first (self->review_page);
  else if (page == OD_PAGE_WELCOME)
    {
      od_welcome_page_refresh (self->welcome_page);
      /* Other programs' settings may have changed meanwhile. */
      od_window_find_accounts (self);
    }

  od_window_update_actions (self);

  /* Each page opens with the focus on its main action (the forms on their first field). */
  if (page == OD_PAGE_WELCOME)
    od_welcome_page_focus_default (self->welcome_page);
  else if (page == OD_PAGE_ACCOUNT)
    od_account_page_focus_default (self->account_page);
  else if (page == OD_PAGE_DONE)
    gtk_widget_grab_focus (self->done_button);
}

/**
 * od_window_get_check:
 *
 * Returns: (transfer none) (nullable): the check the check page shows
 */
OdCheck *
od_window_get_check (OdWindow *self)
{
  return self->flow == OD_FLOW_SETUP ? od_setup_controller_get_check (self->setup)
                                     : od_troubleshoot_controller_get_check (self->troubleshoot);
}

/* What Enter activates on the page shown, as it is now. */
static GtkWidget *
default_widget (OdWindow *self)
{
  switch (od_window_get_page (self))
    {
    case OD_PAGE_WELCOME:   return od_welcome_page_get_default_widget (self->welcome_page);
    case OD_PAGE_DETAILS:   return od_details_page_get_default_widget (self->details_page);
    case OD_PAGE_REVIEW:    return od_review_page_get_default_widget (self->review_page);
    case OD_PAGE_CHECK:     return od_check_page_get_default_widget (self->check_page);
    case OD_PAGE_DONE:      return self->done_button;
    case OD_PAGE_ACCOUNT:   return od_account_page_get_default_widget (self->account_page);
    case OD_PAGE_DISCOVERY: return od_discovery_page_get_default_widget (self->discovery_page);
    default:                return NULL;
    }
}

void
od_window_update_actions (OdWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  OdSetupState setup = od_setup_controller_get_state (self->setup);
  OdTroubleshootState troubleshoot = od_troubleshoot_controller_get_state (self->troubleshoot);
  gboolean saving = setup == OD_SETUP_STATE_SAVING;
  gboolean storing = troubleshoot == OD_TROUBLESHOOT_STATE_STORING;
  gboolean finished = !busy (self) && od_window_get_check (self) != NULL &&
                      (self->flow == OD_FLOW_SETUP
                       ? od_setup_controller_get_finished (self->setup)
                       : od_troubleshoot_controller_get_finished (self->troubleshoot));
  gboolean cancellable = setup == OD_SETUP_STATE_DISCOVERING ||
                         setup == OD_SETUP_STATE_CHECKING ||
                         troubleshoot == OD_TROUBLESHOOT_STATE_LOOKING_UP ||
                         troubleshoot == OD_TROUBLESHOOT_STATE_CHECKING;

  gtk_widget_action_set_enabled (widget, "win.next",
                                 !busy (self) && od_details_page_get_valid (self->details_page));
  gtk_widget_action_set_enabled (widget, "win.start-check",
                                 !busy (self) && od_review_page_get_valid (self->review_page));
  /* Navigation does not stop a keyring store, and Cancel does not either. */
  gtk_widget_action_set_enabled (widget, "win.cancel", cancellable);
  gtk_widget_action_set_enabled (widget, "win.back", !saving);
  gtk_widget_action_set_enabled (widget, "win.add-account", !saving);
  gtk_widget_action_set_enabled (widget, "win.try-again",
                                 !busy (self) && od_window_get_check (self) != NULL &&
                                 self->fixing == NULL);
  gtk_widget_action_set_enabled (widget, "win.save-account",
                                 finished && self->flow == OD_FLOW_SETUP &&
                                 od_setup_controller_get_verdict (self->setup) != OD_STEP_STATE_FAIL);
  gtk_widget_action_set_enabled (widget, "win.copy-report", finished);
  gtk_widget_action_set_enabled (widget, "win.use-suggestion", finished);
  gtk_widget_action_set_enabled (widget, "win.reenter-password", finished);
  gtk_widget_action_set_enabled (widget, "win.trust-certificate", finished);
  gtk_widget_action_set_enabled (widget, "win.confirm-server", finished);
  gtk_widget_action_set_enabled (widget, "win.test-sending",
                                 troubleshoot != OD_TROUBLESHOOT_STATE_CHECKING &&
                                 setup != OD_SETUP_STATE_CHECKING && !saving && !storing);
  gtk_widget_action_set_enabled (widget, "win.fix-found",
                                 finished && self->flow == OD_FLOW_TROUBLESHOOT &&
                                 self->fixing == NULL);
  gtk_widget_action_set_enabled (widget, "win.test-found",
                                 troubleshoot != OD_TROUBLESHOOT_STATE_CHECKING &&
                                 setup != OD_SETUP_STATE_CHECKING && !saving && !storing &&
                                 self->fixing == NULL);
  gtk_widget_action_set_enabled (widget, "win.test-receiving",
                                 troubleshoot != OD_TROUBLESHOOT_STATE_CHECKING &&
                                 setup != OD_SETUP_STATE_CHECKING && !saving && !storing);
  gtk_window_set_default_widget (GTK_WINDOW (self), default_widget (self));

  /* An account's settings and its removal wait for what runs on it. */
  gtk_widget_action_set_enabled (widget, "win.check-account-changes",
                                 !busy (self) && od_account_page_get_edited (self->account_page) &&
                                 od_account_page_get_valid (self->account_page));
  gtk_widget_action_set_enabled (widget, "win.remove-account", !busy (self) && !saving &&
                                 (self->removal == NULL ||
                                  g_cancellable_is_cancelled (self->removal)));
}

void
od_window_remember_account (OdWindow   *self,
                            const char *account_id)
{
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-account", account_id ? account_id : "");
}

/* ---- Discovery ------------------------------------------------------------------------ */

/* How long a detection runs before its page is shown. Most finish sooner (the provider
 * database, an autoconfig document or the usual names on a normal network: 0.1 to 0.4 s):
 * their review then comes straight after the details, with one slide and without a page
 * that would flash by; a slower one shows its progress from here on. */
#define DISCOVERY_PAGE_DELAY_MS 400

static void
transition_done_cb (OdWindow *self)
{
  int page = self->pending_page;

  if (gtk_stack_get_transition_running (self->stack))
    return;

  g_clear_signal_handler (&self->transition_handler, self->stack);
  if (page >= 0)
    od_window_show_page (self, page);
}

/* Shows @page now, or as soon as the slide under way is over: a page that just slid in is
 * not pushed out halfway (that would flicker). The slide lasts a fifth of a second. */
static void
show_page_after_slide (OdWindow *self,
                       OdPage    page)
{
  if (!gtk_stack_get_transition_running (self->stack))
    {
      od_window_show_page (self, page);
      return;
    }

  self->pending_page = page;
  if (self->transition_handler == 0)
    self->transition_handler = g_signal_connect_swapped (self->stack, "notify::transition-running",
                                                         G_CALLBACK (transition_done_cb), self);
}

static gboolean
reveal_discovery_cb (gpointer user_data)
{
  OdWindow *self = user_data;

  self->reveal_discovery = 0;
  if (od_setup_controller_get_state (self->setup) == OD_SETUP_STATE_DISCOVERING &&
      od_window_get_page (self) == OD_PAGE_DETAILS)
    od_window_show_page (self, OD_PAGE_DISCOVERY);

  return G_SOURCE_REMOVE;
}

/**
 * od_window_discover:
 *
 * Looks for the server of the setup begun with the details page's values. From the details
 * page, the discovery page is shown only if the detection takes longer than a moment; on
 * the discovery page (Try Again) it starts over there.
 */
void
od_window_discover (OdWindow *self)
{
  od_setup_controller_discover (self->setup);
  od_discovery_page_set_discovery (self->discovery_page,
                                   od_setup_controller_get_discovery (self->setup));
  od_discovery_page_show_running (self->discovery_page);

  g_clear_handle_id (&self->reveal_discovery, g_source_remove);
  if (od_window_get_page (self) != OD_PAGE_DISCOVERY)
    {
      self->reveal_discovery = g_timeout_add (DISCOVERY_PAGE_DELAY_MS, reveal_discovery_cb, self);
      g_source_set_name_by_id (self->reveal_discovery, "[od] reveal discovery");
    }

  od_window_update_actions (self);
}

/* Where a user name came from: the settings of a provider name it; DNS records and guesses
 * never do, and then it is the address the user typed. */
static const char *
username_source (OdCandidate *candidate)
{
  if (!od_candidate_get_username_supplied (candidate))
    return OD_REVIEW_SOURCE_ADDRESS;

  /* Through MX records: the database's entry for the provider they name, or the settings
   * document of a hosting company. */
  if (od_candidate_get_source (candidate) == OD_SOURCE_MX)
    return od_candidate_get_trusted (candidate) ? "provider-db" : OD_REVIEW_SOURCE_HOSTING;

  return od_source_kind_to_string (od_candidate_get_source (candidate));
}

/**
 * od_window_review_candidate:
 * @why: (nullable): why the server needs the user's confirmation before the password goes
 *   to it, %NULL when it does not
 *
 * Fills the review page with a setting discovery found, each value tagged with where it
 * came from.
 */
void
od_window_review_candidate (OdWindow    *self,
                            OdCandidate *candidate,
                            const char  *why)
{
  od_review_page_set_settings (self->review_page,
                               od_candidate_get_host (candidate),
                               od_candidate_get_port (candidate),
                               od_candidate_get_security (candidate),
                               od_source_kind_to_string (od_candidate_get_source (candidate)),
                               od_candidate_get_username (candidate),
                               username_source (candidate));
  od_review_page_set_unconfirmed (self->review_page, why);
  od_window_review_incoming (self);
}

/* The incoming server the same detection found and checked, if any. */
void
od_window_review_incoming (OdWindow *self)
{
  OdDiscovery *discovery = od_setup_controller_get_discovery (self->setup);
  OdCandidate *incoming = discovery ? od_discovery_get_incoming (discovery) : NULL;

  if (incoming == NULL)
    {
      od_review_page_set_incoming (self->review_page, NULL, NULL, 0, OD_SECURITY_TLS, NULL);
      return;
    }

  od_review_page_set_incoming (self->review_page,
                               od_protocol_to_string (od_candidate_get_protocol (incoming)),
                               od_candidate_get_host (incoming),
                               od_candidate_get_port (incoming),
                               od_candidate_get_security (incoming),
                               od_source_kind_to_string (od_candidate_get_source (incoming)));
}

/* ---- What the controllers report ------------------------------------------------------ */

static char **
review_warnings (OdDiscovery *discovery,
                 OdCandidate *best)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GListModel *problems = od_discovery_get_problems (discovery);

  /* Port 25 and a server without encryption: the review page says so itself, as the
   * settings are edited. */

  for (guint i = 0; i < g_list_model_get_n_items (problems); i++)
    {
      g_autoptr(OdProblem) problem = g_list_model_get_item (problems, i);

      /* A server to confirm: the page asks for the confirmation itself. */
      if (od_problem_get_kind (problem) == OD_PROBLEM_SERVER_UNCONFIRMED)
        continue;
      g_strv_builder_add (builder, od_problem_get_summary (problem));
    }

  return g_strv_builder_end (builder);
}

/* The search ended or stopped: *Cancel* had the focus and is gone, and the page's way on
 * takes it (the page has nothing to type in). */
void
od_window_focus_default (OdWindow *self)
{
  GtkWidget *main_action = default_widget (self);

  if (main_action != NULL)
    gtk_widget_grab_focus (main_action);
}

static void
discovered_cb (OdWindow     *self,
               OdCandidate  *best,
               const GError *error,
               gpointer      user_data)
{
  OdDiscovery *discovery = od_setup_controller_get_discovery (self->setup);
  g_auto(GStrv) warnings = NULL;

  g_clear_handle_id (&self->reveal_discovery, g_source_remove);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      od_discovery_page_show_stopped (self->discovery_page);
      od_window_update_actions (self);
      od_window_focus_default (self);
      return;
    }

  if (best == NULL)
    {
      od_discovery_page_show_failure (self->discovery_page, error);
      if (od_window_get_page (self) != OD_PAGE_DISCOVERY)
        od_window_show_page (self, OD_PAGE_DISCOVERY);
      else
        od_window_update_actions (self);
      od_window_focus_default (self);
      return;
    }

  od_discovery_page_show_found (self->discovery_page);
  warnings = review_warnings (discovery, best);
  od_window_review_candidate (self, best,
                              od_setup_get_unconfirmed (od_setup_controller_get_setup (self->setup)));
  od_review_page_set_manual (self->review_page, FALSE);
  od_review_page_set_warnings (self->review_page, (const char * const *)warnings);
  show_page_after_slide (self, OD_PAGE_REVIEW);
}

static void
check_started_cb (OdWindow *self,
                  OdCheck  *check,
                  gpointer  user_data)
{
  g_autofree char *subtitle = NULL;
  g_autofree char *host = od_text_sanitize (od_check_get_host (check), -1, OD_TEXT_SINGLE_LINE);

  /* Translators: "smtp.example.org, port 587" */
  subtitle = g_strdup_printf (_("%s, port %u"), host, od_check_get_port (check));
  od_check_page_set_mode (self->check_page,
                          self->flow == OD_FLOW_SETUP ? OD_CHECK_PAGE_MODE_SETUP
                          : self->editing ? OD_CHECK_PAGE_MODE_EDIT
                          : self->receiving ? OD_CHECK_PAGE_MODE_RECEIVE
                                            : OD_CHECK_PAGE_MODE_TROUBLESHOOT,
                          subtitle);
  if (self->flow == OD_FLOW_SETUP || od_troubleshoot_controller_get_found (self->troubleshoot) == NULL)
    od_check_page_set_origin (self->check_page, NULL, NULL);
  od_check_page_set_check (self->check_page, check);
  od_check_page_set_fix (self->check_page, NULL);
  od_check_page_set_running (self->check_page, TRUE);

  if (od_window_get_page (self) != OD_PAGE_CHECK)
    od_window_show_page (self, OD_PAGE_CHECK);
  else
    od_window_update_actions (self);
}

static void
incoming_check_started_cb (OdWindow *self,
                           OdCheck  *check,
                           gpointer  user_data)
{
  od_check_page_set_incoming (self->check_page, check);
}

static void
check_finished_cb (OdWindow   *self,
                   gboolean    cancelled,
                   const char *message,
                   gpointer    user_data)
{
  OdStepState verdict = self->flow == OD_FLOW_SETUP
                        ? od_setup_controller_get_verdict (self->setup)
                        : od_troubleshoot_controller_get_verdict (self->troubleshoot);

  if (message != NULL)
    od_window_toast (self, message);

  od_check_page_show_verdict (self->check_page, verdict, cancelled);
  od_window_update_found_fix (self);
  od_window_update_actions (self);

  /* *Cancel* had the focus and is gone: the page's main action takes it, unless the user
   * is reading the steps. */
  if (od_window_get_page (self) == OD_PAGE_CHECK)
    {
      GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));
      GtkWidget *main_action = od_check_page_get_default_widget (self->check_page);
      GtkWidget *steps = GTK_WIDGET (od_check_page_get_list (self->check_page));

      if (main_action != NULL &&
          (focus == NULL || !gtk_widget_get_mapped (focus) ||
           !(focus == steps || gtk_widget_is_ancestor (focus, steps))))
        gtk_widget_grab_focus (main_action);
    }

  if (self->flow != OD_FLOW_TROUBLESHOOT)
    return;

  /* The account as the check left it: its last test, and an edit saved once it works. */
  if (self->editing && !cancelled)
    {
      if (verdict == OD_STEP_STATE_FAIL)
        od_window_toast (self, _("Your changes were not saved"));
      else if (od_troubleshoot_controller_get_recorded (self->troubleshoot) &&
               od_account_page_refresh (self->account_page))
        {
          self->editing = FALSE;
          od_account_page_discard (self->account_page);
          if (verdict == OD_STEP_STATE_PASS && od_window_get_page (self) == OD_PAGE_CHECK)
            {
              od_window_toast (self, _("The new settings work and are saved"));
              od_window_show_page (self, OD_PAGE_ACCOUNT);
            }
          else
            od_window_toast (self, _("The new settings are saved"));
        }
      /* Not recorded: the store said why (the account is gone, or the file). */
    }
  od_account_page_refresh (self->account_page);
}

static void
saved_cb (OdWindow   *self,
          OdAccount  *account,
          const char *why_no_password,
          gpointer    user_data)
{
  OdSetup *setup = od_setup_controller_get_setup (self->setup);
  g_autofree char *description = NULL;
  g_autofree char *escaped = NULL;

  od_window_remember_account (self, od_account_get_id (account));

  if (why_no_password == NULL && !od_setup_get_incoming_saved (setup) &&
      od_setup_get_has_incoming (setup))
    description = g_strdup (_("Your password is in the keyring. The account is saved for "
                               "sending only: its incoming server did not work."));
  else if (why_no_password == NULL)
    description = g_strdup (_("Your password is in the keyring. When mail is stuck in the "
                              "outbox, open Outbox Doctor and press Test Sending."));
  else
    /* Translators: %s says why the password could not be saved */
    description = g_strdup_printf (_("The password was not saved: %s\nYou will be asked for "
                                     "it each time you test sending."), why_no_password);

  /* The description is Pango markup, and the reason quotes the keyring. */
  escaped = g_markup_escape_text (description, -1);
  adw_status_page_set_description (self->done_page, escaped);
  adw_status_page_set_icon_name (self->done_page, why_no_password == NULL
                                                  ? "emblem-ok-symbolic"
                                                  : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->done_page),
                               why_no_password == NULL ? "saved-without-password" : "saved");
  gtk_widget_add_css_class (GTK_WIDGET (self->done_page),
                            why_no_password == NULL ? "saved" : "saved-without-password");

  /* Saved: the typed password has no business in the details page any more. */
  od_details_page_reset (self->details_page);
  od_window_show_page (self, OD_PAGE_DONE);
}

static void
save_without_password_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          OdWindow         *self)
{
  if (g_str_equal (response, "save"))
    od_setup_controller_save (self->setup, TRUE);
}

static void
save_failed_cb (OdWindow     *self,
                const GError *error,
                gpointer      user_data)
{
  AdwMessageDialog *dialog;

  od_window_update_actions (self);

  if (error->domain == OD_ACCOUNT_STORE_ERROR || error->domain == G_FILE_ERROR)
    {
      g_autofree char *message = g_strdup_printf (_("Could not save your accounts: %s"),
                                                  error->message);
      od_window_toast (self, message);
      return;
    }

  /* No keyring (or a locked or broken one): say why, and let the user go on without it. */
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Save Without the Password?"), NULL));
  adw_message_dialog_format_body (dialog,
                                  _("%s\n\nOutbox Doctor can save the account without its "
                                    "password. You will then be asked for the password each "
                                    "time you test sending."),
                                  error->message);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "save", _("_Save Without Password"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (save_without_password_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* What the password dialog says for one of our accounts. */
static char *
own_password_body (OdWindow     *self,
                   const GError *error)
{
  OdAccount *account = od_troubleshoot_controller_get_account (self->troubleshoot);

  if (error != NULL && self->receiving)
    /* Translators: %s says why the keyring could not be read */
    return g_strdup_printf (_("The saved password could not be read: %s\n\nEnter it to test "
                              "receiving."), error->message);
  else if (error != NULL)
    /* Translators: %s says why the keyring could not be read */
    return g_strdup_printf (_("The saved password could not be read: %s\n\nEnter it to test "
                              "sending."), error->message);
  else if (self->receiving)
    return g_strdup_printf (_("No password is saved for %s. Enter it to test receiving; it is "
                              "saved in the keyring once the server accepts it."),
                            od_account_get_address (account));
  else
    return g_strdup_printf (_("No password is saved for %s. Enter it to test sending; it is "
                              "saved in the keyring once the server accepts it."),
                            od_account_get_address (account));
}

static void
password_needed_cb (OdWindow     *self,
                    const GError *error,
                    gpointer      user_data)
{
  g_autofree char *body = NULL;

  od_window_update_actions (self);

  body = od_window_found_password_body (self, error);
  if (body == NULL)
    body = own_password_body (self, error);
  od_window_ask_password (self, body);
}

static void
password_stored_cb (OdWindow     *self,
                    gboolean      typed,
                    const GError *error,
                    gpointer      user_data)
{
  /* A dismissed unlock prompt is "cancelled" too, and the user hears about it like any
   * other failure: the password is not in the keyring. */
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The password was not saved: %s"),
                                                  error->message);
      od_window_toast (self, message);
    }
  else if (typed)
    od_window_toast (self, _("The new password is saved in the keyring"));

  od_window_update_actions (self);
}

static void
store_failed_cb (OdWindow     *self,
                 const GError *error,
                 gpointer      user_data)
{
  g_autofree char *message = g_strdup_printf (_("Could not save your accounts: %s"),
                                              error->message);
  od_window_toast (self, message);
}

static void
state_changed_cb (OdWindow *self)
{
  od_window_update_actions (self);
}

/* The account page follows what the file holds: a test's result, a certificate trusted
 * elsewhere, and the account gone (removed by the command line or another window). */
static void
accounts_changed_cb (OdWindow *self)
{
  od_window_update_actions (self);

  /* Our own removal says itself how it went. */
  if (od_account_page_get_id (self->account_page) == NULL || self->removal != NULL)
    return;

  if (!od_account_page_refresh (self->account_page) &&
      od_window_get_page (self) == OD_PAGE_ACCOUNT)
    {
      od_account_page_discard (self->account_page);
      od_window_toast (self, _("This account no longer exists"));
      od_window_show_page (self, OD_PAGE_WELCOME);
    }
}

/* ---- Passwords ------------------------------------------------------------------------ */

static void
password_dialog_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             OdWindow         *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));

  /* GTK 4.8's GtkPasswordEntry leaves a focus handler behind when it is destroyed while its
   * text has the focus: take the focus away before the dialog closes. */
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);

  if (g_str_equal (response, "check"))
    {
      const char *text = gtk_editable_get_text (entry);

      if (self->flow == OD_FLOW_TROUBLESHOOT)
        od_troubleshoot_controller_set_password (self->troubleshoot, text);
      else
        {
          od_details_page_set_password (self->details_page, text);
          od_setup_controller_set_password (self->setup, text);
        }

      gtk_editable_set_text (entry, "");
      od_window_check_again (self);
      return;
    }

  gtk_editable_set_text (entry, "");

  /* Troubleshooting that never got a password has nothing to show. */
  if (self->flow == OD_FLOW_TROUBLESHOOT &&
      od_troubleshoot_controller_get_check (self->troubleshoot) == NULL)
    od_window_show_page (self, self->from_account &&
                               od_account_page_refresh (self->account_page) ? OD_PAGE_ACCOUNT
                                                                            : OD_PAGE_WELCOME);
}

void
od_window_ask_password (OdWindow   *self,
                        const char *body)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  g_assert (body != NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Enter Your Password"), NULL));
  adw_message_dialog_set_body (dialog, body);

  entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  g_object_set (entry, "activates-default", TRUE, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Password"),
                                  -1);
  adw_message_dialog_set_extra_child (dialog, entry);

  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "check", _("_Check Again"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "check", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "check");
  adw_message_dialog_set_close_response (dialog, "cancel");

  g_signal_connect_object (dialog, "response", G_CALLBACK (password_dialog_response_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* ---- GObject -------------------------------------------------------------------------- */

static GSettings *
load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Run from the build tree without the schema, the window simply forgets its size. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_message ("The GSettings schema %s is not installed: settings are not kept", APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static gboolean
od_window_close_request (GtkWindow *window)
{
  OdWindow *self = OD_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window))
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }

  od_setup_controller_cancel (self->setup);
  od_troubleshoot_controller_cancel (self->troubleshoot);
  od_window_stop_finding (self);

  return GTK_WINDOW_CLASS (od_window_parent_class)->close_request (window);
}

static void
od_window_dispose (GObject *object)
{
  OdWindow *self = (OdWindow *)object;

  g_clear_handle_id (&self->reveal_discovery, g_source_remove);
  /* A sign-in still waiting ends here; its callback then touches nothing. */
  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  if (self->stack != NULL)
    g_clear_signal_handler (&self->transition_handler, self->stack);
  gtk_widget_dispose_template (GTK_WIDGET (self), OD_TYPE_WINDOW);

  /* Disposing the controllers stops what they run, keyring stores included. */
  if (self->setup != NULL)
    g_signal_handlers_disconnect_by_data (self->setup, self);
  if (self->troubleshoot != NULL)
    g_signal_handlers_disconnect_by_data (self->troubleshoot, self);
  g_clear_object (&self->setup);
  g_clear_object (&self->troubleshoot);
  g_cancellable_cancel (self->orphans);
  g_clear_object (&self->orphans);
  g_cancellable_cancel (self->removal);
  g_clear_object (&self->removal);
  od_window_stop_finding (self);
  g_clear_pointer (&self->found, g_ptr_array_unref);
  g_clear_pointer (&self->retest_found, g_free);
  g_clear_pointer (&self->fixing, g_free);
  g_cancellable_cancel (self->fix_cancellable);
  g_clear_object (&self->fix_cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (od_window_parent_class)->dispose (object);
}

static void
od_window_class_init (OdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = od_window_dispose;
  window_class->close_request = od_window_close_request;

  g_type_ensure (OD_TYPE_WELCOME_PAGE);
  g_type_ensure (OD_TYPE_DETAILS_PAGE);
  g_type_ensure (OD_TYPE_DISCOVERY_PAGE);
  g_type_ensure (OD_TYPE_REVIEW_PAGE);
  g_type_ensure (OD_TYPE_CHECK_PAGE);
  g_type_ensure (OD_TYPE_ACCOUNT_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/outboxdoctor/OutboxDoctor/od-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OdWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OdWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, OdWindow, details_page);
  gtk_widget_class_bind_template_child (widget_class, OdWindow, discovery_page);
  gtk_widget_class_bind_template_child (widget_class, OdWindow, review_page);
  gtk_widget_class_bind_template_child (widget_class, OdWindow, check_page);
  gtk_widget_class_bind_template_child (widget_class, OdWindow, done_page);
  gtk_widget_class_bind_template_child (widget_class, OdWindow, account_page);
  gtk_widget_class_bind_template_child (widget_class, OdWindow, done_button);

  od_window_class_add_actions (widget_class);
  od_window_class_add_found_actions (widget_class);
  od_window_class_add_export_actions (widget_class);
  od_window_class_add_sign_in_actions (widget_class);
}

static void
connect_controllers (OdWindow *self)
{
  g_signal_connect_swapped (self->setup, "notify::state", G_CALLBACK (state_changed_cb), self);
  g_signal_connect_swapped (self->setup, "discovered", G_CALLBACK (discovered_cb), self);
  g_signal_connect_swapped (self->setup, "check-started", G_CALLBACK (check_started_cb), self);
  g_signal_connect_swapped (self->setup, "incoming-check-started",
                            G_CALLBACK (incoming_check_started_cb), self);
  g_signal_connect_swapped (self->setup, "check-finished", G_CALLBACK (check_finished_cb), self);
  g_signal_connect_swapped (self->setup, "saved", G_CALLBACK (saved_cb), self);
  g_signal_connect_swapped (self->setup, "save-failed", G_CALLBACK (save_failed_cb), self);

  g_signal_connect_swapped (self->troubleshoot, "notify::state",
                            G_CALLBACK (state_changed_cb), self);
  g_signal_connect_swapped (self->troubleshoot, "password-needed",
                            G_CALLBACK (password_needed_cb), self);
  g_signal_connect_swapped (self->troubleshoot, "check-started",
                            G_CALLBACK (check_started_cb), self);
  g_signal_connect_swapped (self->troubleshoot, "check-finished",
                            G_CALLBACK (check_finished_cb), self);
  g_signal_connect_swapped (self->troubleshoot, "password-stored",
                            G_CALLBACK (password_stored_cb), self);
  g_signal_connect_swapped (self->troubleshoot, "save-failed",
                            G_CALLBACK (store_failed_cb), self);
}

static void
od_window_init (OdWindow *self)
{
  g_autoptr(GError) error = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->pending_page = -1;
  self->secrets = od_secret_store_new ();
  self->store = od_account_store_new (NULL);
  self->setup = od_setup_controller_new (self->store, self->secrets);
  self->troubleshoot = od_troubleshoot_controller_new (self->store, self->secrets);
  connect_controllers (self);

  if (!od_account_store_load (self->store, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Your saved accounts could not be read: %s"),
                                                  error->message);
      od_window_toast (self, message);
    }

  /* What the command line or another window changes shows up here at once. */
  od_account_store_watch (self->store);
  od_welcome_page_set_accounts (self->welcome_page, G_LIST_MODEL (self->store));
  od_window_look_for_orphans (self);

  self->settings = load_settings ();
  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
  else
    gtk_window_set_default_size (GTK_WINDOW (self), 720, 640);

  g_signal_connect_object (self->details_page, "notify::valid",
                           G_CALLBACK (od_window_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->review_page, "notify::valid",
                           G_CALLBACK (od_window_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account_page, "notify::edited",
                           G_CALLBACK (od_window_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account_page, "notify::valid",
                           G_CALLBACK (od_window_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "items-changed",
                           G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);

  od_window_show_page (self, OD_PAGE_WELCOME);
}

/* ---- Public API ----------------------------------------------------------------------- */

/**
 * od_window_new:
 *
 * Returns: (transfer full): the main window
 */
OdWindow *
od_window_new (AdwApplication *application)
{
  return g_object_new (OD_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

/**
 * od_window_set_ca_file:
 * @ca_file: (nullable): a PEM file of CA certificates to trust in addition to the system's
 *
 * For servers with a private CA, and for tests.
 */
void
od_window_set_ca_file (OdWindow   *self,
                       const char *ca_file)
{
  g_return_if_fail (OD_IS_WINDOW (self));

  od_setup_controller_set_ca_file (self->setup, ca_file);
  od_troubleshoot_controller_set_ca_file (self->troubleshoot, ca_file);
}

/**
 * od_window_set_step_timeout:
 * @timeout_ms: the deadline of each check step, 0 for the engine's default
 */
void
od_window_set_step_timeout (OdWindow *self,
                            guint     timeout_ms)
{
  g_return_if_fail (OD_IS_WINDOW (self));

  od_setup_controller_set_step_timeout (self->setup, timeout_ms);
  od_troubleshoot_controller_set_step_timeout (self->troubleshoot, timeout_ms);
}

/**
 * od_window_set_discovery_hook:
 * @hook: (nullable): called with each new discovery before it runs
 *
 * A test hook: tests use it to keep discovery on loopback.
 */
void
od_window_set_discovery_hook (OdWindow        *self,
                              OdDiscoveryHook  hook,
                              gpointer         user_data)
{
  g_return_if_fail (OD_IS_WINDOW (self));

  od_setup_controller_set_discovery_hook (self->setup, hook, user_data);
}

/**
 * od_window_get_account_store:
 *
 * Returns: (transfer none): the saved accounts
 */
OdAccountStore *
od_window_get_account_store (OdWindow *self)
{
  g_return_val_if_fail (OD_IS_WINDOW (self), NULL);

  return self->store;
}

/**
 * od_window_get_visible_page:
 *
 * Returns: the name of the page shown: "welcome", "details", "discovery", "review",
 *   "check" or "done"
 */
const char *
od_window_get_visible_page (OdWindow *self)
{
  g_return_val_if_fail (OD_IS_WINDOW (self), NULL);

  return page_names[od_window_get_page (self)];
}

/**
 * od_window_get_busy:
 *
 * Returns: whether a check, a discovery or a keyring operation is under way
 */
gboolean
od_window_get_busy (OdWindow *self)
{
  g_return_val_if_fail (OD_IS_WINDOW (self), FALSE);

  return busy (self);
}

/* Troubleshooting a saved account: sending (a full check with a test message) or receiving
 * (the incoming server: login and mailbox). */
static void
test_account (OdWindow   *self,
              const char *account_id,
              gboolean    receiving)
{
  OdAccount *account;

  /* A password on its way to the keyring gets there first. */
  if (od_setup_controller_get_state (self->setup) == OD_SETUP_STATE_SAVING ||
      od_troubleshoot_controller_get_state (self->troubleshoot) == OD_TROUBLESHOOT_STATE_STORING)
    return;

  account = od_account_store_lookup (self->store, account_id);
  if (account == NULL)
    {
      od_window_toast (self, _("This account no longer exists"));
      od_window_show_page (self, OD_PAGE_WELCOME);
      return;
    }
  if (receiving && od_account_get_incoming_host (account) == NULL)
    {
      od_window_toast (self, _("No incoming server is saved for this account"));
      return;
    }

  od_window_remember_account (self, account_id);

  /* Back leads where the test was started: the account's page or the list. */
  if (od_window_get_page (self) != OD_PAGE_CHECK)
    self->from_account = od_window_get_page (self) == OD_PAGE_ACCOUNT;
  self->editing = FALSE;
  self->receiving = receiving;

  /* A setup left half done for this is abandoned. */
  od_setup_controller_end (self->setup);
  od_details_page_reset (self->details_page);

  self->flow = OD_FLOW_TROUBLESHOOT;
  od_check_page_set_send_test (self->check_page, !receiving);
  od_check_page_set_incoming_known (self->check_page, od_account_has_incoming (account));
  /* Receiving sends nothing: nothing to look for. */
  od_troubleshoot_controller_set_round_trip (self->troubleshoot,
                                             !receiving &&
                                             od_check_page_get_round_trip (self->check_page),
                                             od_check_page_get_round_trip_delete (self->check_page));

  /* The check page shows up at once; the check starts when the keyring has answered. */
  od_check_page_set_mode (self->check_page, receiving ? OD_CHECK_PAGE_MODE_RECEIVE
                                                      : OD_CHECK_PAGE_MODE_TROUBLESHOOT,
                          od_account_get_address (account));
  od_check_page_set_origin (self->check_page, NULL, NULL);
  od_check_page_set_check (self->check_page, NULL);
  if (receiving)
    od_troubleshoot_controller_start_incoming (self->troubleshoot, account);
  else
    od_troubleshoot_controller_start (self->troubleshoot, account);
  if (od_window_get_page (self) != OD_PAGE_CHECK)
    od_window_show_page (self, OD_PAGE_CHECK);
}

/**
 * od_window_test_sending:
 * @account_id: a saved account
 *
 * Troubleshooting: the full check of a saved account, ending with a real test message.
 */
void
od_window_test_sending (OdWindow   *self,
                        const char *account_id)
{
  g_return_if_fail (OD_IS_WINDOW (self));
  g_return_if_fail (account_id != NULL);

  test_account (self, account_id, FALSE);
}

/**
 * od_window_test_receiving:
 * @account_id: a saved account with an incoming server
 *
 * Troubleshooting receiving: the check of the account's incoming server (IMAP or POP3),
 * its login and its mailbox.
 */
void
od_window_test_receiving (OdWindow   *self,
                          const char *account_id)
{
  g_return_if_fail (OD_IS_WINDOW (self));
  g_return_if_fail (account_id != NULL);

  test_account (self, account_id, TRUE);
}

/**
 * od_window_open_troubleshooting:
 *
 * Where the desktop file's *Test Sending* leads: the last account checked (or the only
 * one) is tested at once; with several and none remembered, the list to pick from.
 */
void
od_window_open_troubleshooting (OdWindow *self)
{
  g_autofree char *last = NULL;
  guint n_accounts;

  g_return_if_fail (OD_IS_WINDOW (self));

  if (busy (self))
    return;

  n_accounts = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  if (self->settings != NULL)
    last = g_settings_get_string (self->settings, "last-account");

  if (last != NULL && last[0] != '\0' && od_account_store_lookup (self->store, last) != NULL)
    od_window_test_sending (self, last);
  else if (n_accounts == 1)
    {
      g_autoptr(OdAccount) only = g_list_model_get_item (G_LIST_MODEL (self->store), 0);

      od_window_test_sending (self, od_account_get_id (only));
    }
  else
    {
      od_window_show_page (self, OD_PAGE_WELCOME);
      if (n_accounts == 0)
        od_window_toast (self, _("No account is set up yet: set one up first"));
    }
}
