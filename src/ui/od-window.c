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

#include "od-account-row.h"
#include "od-certificate-dialog.h"
#include "od-check-page.h"
#include "od-check-report.h"
#include "od-details-page.h"
#include "od-discovery-page.h"
#include "od-review-page.h"
#include "od-ui-util.h"
#include "od-welcome-page.h"
#include "od-window.h"

/* The main window runs the journeys: it owns the setup state, the check or discovery under
 * way with its cancellable, the account store and the keyring, and the win.* actions every
 * page's buttons name. The pages only show things. */

typedef enum
{
  MODE_SETUP,
  MODE_TROUBLESHOOT,
} Mode;

struct _OdWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  OdWelcomePage        *welcome_page;
  OdDetailsPage        *details_page;
  OdDiscoveryPage      *discovery_page;
  OdReviewPage         *review_page;
  OdCheckPage          *check_page;
  AdwStatusPage        *done_page;

  /* Owned */
  GSettings            *settings;        /* NULL when the schema is not installed */
  OdAccountStore       *store;
  OdSecretStore        *secrets;
  OdAccount            *account;         /* troubleshooting: the account under test */
  OdAccount            *pending_account; /* setup: the account being saved */
  OdCheck              *check;           /* the last check, running or finished */
  OdDiscovery          *discovery;
  GCancellable         *cancellable;     /* the operation under way; dispose cancels it */
  GCancellable         *keyring_cancellable; /* keyring stores: only dispose cancels them */
  char                 *ca_file;
  char                 *password;        /* troubleshooting: from the keyring or typed */
  GHashTable           *pinned;          /* setup: "host port" → the fingerprint the user
                                          * chose to trust for that server */
  char                 *host;            /* the settings the check runs with */
  char                 *username;
  OdDiscoveryHook       discovery_hook;
  gpointer              discovery_hook_data;
  guint                 step_timeout_ms;
  guint16               port;
  OdSecurity            security;

  Mode                  mode;
  OdStepState           verdict;
  guint                 checking : 1;
  guint                 discovering : 1;
  guint                 keyring_busy : 1; /* a password lookup */
  guint                 storing : 1;      /* troubleshooting: a password going to the keyring */
  guint                 storing_typed : 1; /* … and it is one the user just typed */
  guint                 saving : 1;       /* setup: the password going to the keyring, then
                                           * the account to its file */
  guint                 finished : 1;
  guint                 password_typed : 1;
};

G_DEFINE_FINAL_TYPE (OdWindow, od_window, ADW_TYPE_APPLICATION_WINDOW)

static void run_check (OdWindow *self);
static void update_actions (OdWindow *self);

static void
wipe_password (char **password)
{
  if (*password != NULL)
    {
      explicit_bzero (*password, strlen (*password));
      g_clear_pointer (password, g_free);
    }
}

/* A toast's title is Pango markup in libadwaita 1.2, and messages quote servers, files and
 * the keyring: escape them, so they are shown as they are. */
static void
toast (OdWindow   *self,
       const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static gboolean
busy (OdWindow *self)
{
  return self->checking || self->discovering || self->keyring_busy || self->storing ||
         self->saving;
}

/* Keyring stores outlive navigation, so that a password is not lost when the user goes
 * back while an unlock prompt is open; only closing the window stops them. */
static gboolean
closing (OdWindow *self)
{
  return self->keyring_cancellable == NULL ||
         g_cancellable_is_cancelled (self->keyring_cancellable);
}

/* Host names are not case-sensitive; the port is part of the key. */
static char *
endpoint_key (const char *host,
              guint16     port)
{
  g_autofree char *lower = g_ascii_strdown (host, -1);

  return g_strdup_printf ("%s %u", lower, port);
}

/* Certificates trusted during setup count only for the server they were shown for. */
static const char *
lookup_setup_pin (OdWindow *self)
{
  g_autofree char *key = NULL;

  if (self->host == NULL)
    return NULL;

  key = endpoint_key (self->host, self->port);
  return g_hash_table_lookup (self->pinned, key);
}

/* The setup is finished or abandoned: nothing of it, the password least of all, stays in
 * the details page. */
static void
end_setup (OdWindow *self)
{
  od_details_page_reset (self->details_page);
  g_hash_table_remove_all (self->pinned);
}

/* Stops whatever runs and gives the next operation a fresh cancellable. */
static GCancellable *
restart_cancellable (OdWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->checking)
    {
      self->checking = FALSE;
      od_check_page_set_running (self->check_page, FALSE);
    }
  if (self->discovering)
    {
      self->discovering = FALSE;
      od_discovery_page_set_running (self->discovery_page, FALSE);
    }
  self->keyring_busy = FALSE;

  return self->cancellable;
}

static void
show_page (OdWindow   *self,
           const char *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);

  if (g_str_equal (name, "details"))
    od_details_page_focus_first (self->details_page);
  else if (g_str_equal (name, "review"))
    od_review_page_focus_first (self->review_page);
  else if (g_str_equal (name, "welcome"))
    od_welcome_page_refresh (self->welcome_page);

  update_actions (self);
}

static void
update_actions (OdWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean is_busy = busy (self);
  gboolean can_act = !is_busy && self->finished && self->check != NULL;

  gtk_widget_action_set_enabled (widget, "win.next",
                                 !is_busy && od_details_page_get_valid (self->details_page));
  gtk_widget_action_set_enabled (widget, "win.start-check",
                                 !is_busy && od_review_page_get_valid (self->review_page));
  /* Navigation does not stop a keyring store, and Cancel does not either. */
  gtk_widget_action_set_enabled (widget, "win.cancel",
                                 self->checking || self->discovering || self->keyring_busy);
  gtk_widget_action_set_enabled (widget, "win.back", !self->saving);
  gtk_widget_action_set_enabled (widget, "win.add-account", !self->saving);
  gtk_widget_action_set_enabled (widget, "win.try-again", !is_busy && self->check != NULL);
  gtk_widget_action_set_enabled (widget, "win.save-account",
                                 can_act && self->mode == MODE_SETUP &&
                                 self->verdict != OD_STEP_STATE_FAIL);
  gtk_widget_action_set_enabled (widget, "win.copy-report", can_act);
  gtk_widget_action_set_enabled (widget, "win.use-port-587", can_act);
  gtk_widget_action_set_enabled (widget, "win.reenter-password", can_act);
  gtk_widget_action_set_enabled (widget, "win.trust-certificate", can_act);
  gtk_widget_action_set_enabled (widget, "win.test-sending",
                                 !self->checking && !self->saving && !self->storing);
}

static const char *
verdict_to_string (OdStepState verdict)
{
  switch (verdict)
    {
    case OD_STEP_STATE_PASS: return "pass";
    case OD_STEP_STATE_WARN: return "warn";
    default:                 return "fail";
    }
}

static const char *
first_problem_id (OdCheck *check)
{
  g_autoptr(GPtrArray) problems = od_checklist_get_problems (od_check_get_checklist (check));

  /* The ids are static strings of the catalog, owned by the problems in the checklist. */
  return problems->len > 0 ? od_problem_get_id (g_ptr_array_index (problems, 0)) : NULL;
}

static void
remember_account (OdWindow   *self,
                  const char *account_id)
{
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-account", account_id ? account_id : "");
}

static gboolean
save_store (OdWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!od_account_store_save (self->store, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save your accounts: %s"),
                                                  error->message);
      toast (self, message);
      return FALSE;
    }

  return TRUE;
}

/* ---- Discovery ------------------------------------------------------------------------ */

static char **
review_warnings (OdWindow    *self,
                 OdCandidate *best)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GListModel *problems = od_discovery_get_problems (self->discovery);

  if (!od_candidate_get_trusted (best))
    g_strv_builder_add (builder,
                        _("These settings were fetched over an unencrypted connection (HTTP), "
                          "so someone on the way could have changed them. Compare them with "
                          "your provider’s help pages."));

  /* Port 25 and a server without encryption: the review page says so itself, as the
   * settings are edited. */

  for (guint i = 0; i < g_list_model_get_n_items (problems); i++)
    {
      g_autoptr(OdProblem) problem = g_list_model_get_item (problems, i);

      g_strv_builder_add (builder, od_problem_get_summary (problem));
    }

  return g_strv_builder_end (builder);
}

static void
discovery_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OdWindow) self = user_data;
  g_autoptr(OdCandidate) best = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) warnings = NULL;
  const char *address;
  const char *username;

  best = od_discovery_run_finish (OD_DISCOVERY (object), result, &error);

  /* A newer discovery, or none, replaced this one. */
  if (OD_DISCOVERY (object) != self->discovery || !self->discovering)
    return;

  self->discovering = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      od_discovery_page_set_running (self->discovery_page, FALSE);
      update_actions (self);
      return;
    }

  if (best == NULL)
    {
      od_discovery_page_show_failure (self->discovery_page, error);
      update_actions (self);
      return;
    }

  address = od_details_page_get_address (self->details_page);
  username = od_candidate_get_username (best);
  warnings = review_warnings (self, best);

  od_discovery_page_set_running (self->discovery_page, FALSE);
  od_review_page_set_settings (self->review_page,
                               od_candidate_get_host (best),
                               od_candidate_get_port (best),
                               od_candidate_get_security (best),
                               username ? username : address,
                               od_source_kind_to_string (od_candidate_get_source (best)));
  od_review_page_set_manual (self->review_page, FALSE);
  od_review_page_set_warnings (self->review_page, (const char * const *)warnings);
  show_page (self, "review");
}

static void
start_discovery (OdWindow *self)
{
  g_autofree char *address = g_strstrip (g_strdup (od_details_page_get_address (self->details_page)));
  GCancellable *cancellable = restart_cancellable (self);

  g_clear_object (&self->discovery);
  self->discovery = od_discovery_new (address);
  if (self->ca_file != NULL)
    od_discovery_set_ca_file (self->discovery, self->ca_file);
  if (self->discovery_hook != NULL)
    self->discovery_hook (self->discovery, self->discovery_hook_data);

  self->discovering = TRUE;
  od_discovery_page_set_discovery (self->discovery_page, self->discovery);
  od_discovery_page_set_running (self->discovery_page, TRUE);
  show_page (self, "discovery");

  od_discovery_run_async (self->discovery, cancellable, discovery_done_cb, g_object_ref (self));
}

/* ---- The check ------------------------------------------------------------------------ */

/* Returns whether the server or user name of the account changed, which is what its
 * password is filed under in the keyring. */
static gboolean
record_result (OdWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gboolean moved = FALSE;

  g_assert (self->account != NULL);

  od_account_set_last_check (self->account, verdict_to_string (self->verdict),
                             first_problem_id (self->check), now);

  /* A fix the user chose (port 587, a new certificate) is kept once it works. */
  if (self->verdict != OD_STEP_STATE_FAIL)
    {
      moved = g_strcmp0 (od_account_get_host (self->account), self->host) != 0 ||
              od_account_get_port (self->account) != self->port ||
              g_strcmp0 (od_account_get_username (self->account), self->username) != 0;
      od_account_set_host (self->account, self->host);
      od_account_set_port (self->account, self->port);
      od_account_set_security (self->account, self->security);
      if (self->username != NULL)
        od_account_set_username (self->account, self->username);
    }

  save_store (self);

  return moved;
}

static void
store_typed_password_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(OdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean stored;

  stored = od_secret_store_store_finish (OD_SECRET_STORE (object), result, &error);

  if (closing (self))
    return;

  self->storing = FALSE;

  /* A dismissed unlock prompt is "cancelled" too, and the user hears about it like any
   * other failure: the password is not in the keyring. */
  if (stored)
    {
      if (self->storing_typed)
        toast (self, _("The new password is saved in the keyring"));
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("The password was not saved: %s"),
                                                  error->message);
      toast (self, message);
    }

  update_actions (self);
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(OdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  OdStepState verdict;
  gboolean cancelled;

  verdict = od_check_run_finish (OD_CHECK (object), result, &error);

  if (OD_CHECK (object) != self->check || !self->checking)
    return;

  self->checking = FALSE;
  cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (error != NULL && !cancelled)
    toast (self, error->message);

  self->verdict = error != NULL ? OD_STEP_STATE_FAIL : verdict;
  self->finished = !cancelled;
  od_check_page_show_verdict (self->check_page, self->verdict, cancelled);

  if (self->mode == MODE_TROUBLESHOOT && !cancelled && error == NULL)
    {
      gboolean moved = record_result (self);

      /* A password typed for this test goes to the keyring once the server accepted it.
       * When a fix moved the account (port 587), its saved password is filed again under
       * the new server: lookups match host, port and user exactly, and the store removes
       * the account's old item. */
      if ((self->password_typed || moved) && self->password != NULL &&
          self->verdict != OD_STEP_STATE_FAIL)
        {
          self->storing = TRUE;
          self->storing_typed = self->password_typed;
          self->password_typed = FALSE;
          od_secret_store_store_async (self->secrets,
                                       od_account_get_id (self->account),
                                       OD_ACCOUNT_PROTOCOL_SMTP,
                                       od_account_get_host (self->account),
                                       od_account_get_port (self->account),
                                       od_account_get_username (self->account),
                                       self->password,
                                       self->keyring_cancellable,
                                       store_typed_password_cb, g_object_ref (self));
        }
    }

  update_actions (self);
}

static char **
pinned_fingerprints (OdWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *setup_pin;

  if (self->mode == MODE_TROUBLESHOOT && self->account != NULL)
    {
      g_auto(GStrv) saved = od_account_dup_pinned_fingerprints (self->account, self->host,
                                                                self->port);

      if (saved != NULL)
        g_strv_builder_addv (builder, (const char **)saved);
    }

  setup_pin = self->mode == MODE_SETUP ? lookup_setup_pin (self) : NULL;
  if (setup_pin != NULL)
    g_strv_builder_add (builder, setup_pin);

  return g_strv_builder_end (builder);
}

static void
run_check (OdWindow *self)
{
  GCancellable *cancellable = restart_cancellable (self);
  g_auto(GStrv) pinned = pinned_fingerprints (self);
  const char *address;
  const char *password;
  g_autofree char *subtitle = NULL;

  if (self->mode == MODE_TROUBLESHOOT)
    {
      address = od_account_get_address (self->account);
      password = self->password;
    }
  else
    {
      address = od_details_page_get_address (self->details_page);
      password = od_details_page_get_password (self->details_page);
    }

  g_clear_object (&self->check);
  self->check = od_check_new (address, self->host, self->port, self->security);
  if (self->username != NULL && self->username[0] != '\0')
    od_check_set_username (self->check, self->username);
  od_check_set_password (self->check, password != NULL && password[0] != '\0' ? password : NULL);
  od_check_set_send_test (self->check, od_check_page_get_send_test (self->check_page));
  od_check_set_ca_file (self->check, self->ca_file);
  od_check_set_pinned_fingerprints (self->check, (const char * const *)pinned);
  if (self->step_timeout_ms > 0)
    od_check_set_step_timeout (self->check, self->step_timeout_ms);

  self->checking = TRUE;
  self->finished = FALSE;

  /* Translators: "smtp.example.org, port 587" */
  subtitle = g_strdup_printf (_("%s, port %u"), self->host, self->port);
  od_check_page_set_mode (self->check_page,
                          self->mode == MODE_SETUP ? OD_CHECK_PAGE_MODE_SETUP
                                                   : OD_CHECK_PAGE_MODE_TROUBLESHOOT,
                          subtitle);
  od_check_page_set_check (self->check_page, self->check);
  od_check_page_set_running (self->check_page, TRUE);

  if (!g_str_equal (gtk_stack_get_visible_child_name (self->stack), "check"))
    show_page (self, "check");
  else
    update_actions (self);

  od_check_run_async (self->check, cancellable, check_done_cb, g_object_ref (self));
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

      if (self->mode == MODE_TROUBLESHOOT)
        {
          wipe_password (&self->password);
          self->password = g_strdup (text);
          self->password_typed = TRUE;
        }
      else
        od_details_page_set_password (self->details_page, text);

      gtk_editable_set_text (entry, "");
      run_check (self);
    }
  else
    {
      gtk_editable_set_text (entry, "");

      /* Troubleshooting that never got a password has nothing to show. */
      if (self->mode == MODE_TROUBLESHOOT && self->check == NULL)
        show_page (self, "welcome");
    }
}

static void
ask_password (OdWindow   *self,
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

static void
lookup_password_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(OdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  char *password;

  password = od_secret_store_lookup_finish (OD_SECRET_STORE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->keyring_busy)
    {
      g_clear_pointer (&password, od_secret_store_free_password);
      return;
    }

  self->keyring_busy = FALSE;

  if (password != NULL)
    {
      wipe_password (&self->password);
      self->password = g_strdup (password);
      self->password_typed = FALSE;
      od_secret_store_free_password (password);
      run_check (self);
      return;
    }

  update_actions (self);

  if (error != NULL)
    /* Translators: %s says why the keyring could not be read */
    body = g_strdup_printf (_("The saved password could not be read: %s\n\nEnter it to test "
                              "sending."), error->message);
  else
    body = g_strdup_printf (_("No password is saved for %s. Enter it to test sending; it is "
                              "saved in the keyring once the server accepts it."),
                            od_account_get_address (self->account));
  ask_password (self, body);
}

/* ---- Saving --------------------------------------------------------------------------- */

static void
finish_save (OdWindow   *self,
             const char *why_no_password)
{
  g_autoptr(OdAccount) account = g_steal_pointer (&self->pending_account);
  g_autofree char *description = NULL;
  g_autofree char *escaped = NULL;

  g_return_if_fail (account != NULL);

  od_account_store_add (self->store, account);
  if (!save_store (self))
    return;

  remember_account (self, od_account_get_id (account));

  if (why_no_password == NULL)
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
  if (why_no_password == NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->done_page), "saved-without-password");
      gtk_widget_add_css_class (GTK_WIDGET (self->done_page), "saved");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->done_page), "saved");
      gtk_widget_add_css_class (GTK_WIDGET (self->done_page), "saved-without-password");
    }

  /* Saved: the typed password has no business in the details page any more. */
  end_setup (self);
  show_page (self, "done");
}

static void
save_without_password_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          OdWindow         *self)
{
  if (g_str_equal (response, "save"))
    finish_save (self, g_object_get_data (G_OBJECT (dialog), "reason"));
  else
    g_clear_object (&self->pending_account);
}

static void
store_password_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  gboolean stored;

  stored = od_secret_store_store_finish (OD_SECRET_STORE (object), result, &error);

  if (closing (self))
    return;

  self->saving = FALSE;

  if (stored)
    {
      finish_save (self, NULL);
      update_actions (self);
      return;
    }

  update_actions (self);

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
  g_object_set_data_full (G_OBJECT (dialog), "reason", g_strdup (error->message), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (save_without_password_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Actions -------------------------------------------------------------------------- */

static void
add_account_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);

  restart_cancellable (self);
  self->mode = MODE_SETUP;
  g_clear_object (&self->account);
  g_clear_object (&self->check);
  self->finished = FALSE;
  od_check_page_set_check (self->check_page, NULL);
  od_check_page_set_send_test (self->check_page, FALSE);
  end_setup (self);
  show_page (self, "details");
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  /* The account is being saved: it is not the moment to leave it half done. */
  if (self->saving)
    {
      gtk_widget_error_bell (widget);
      return;
    }

  if (g_str_equal (page, "details") || g_str_equal (page, "done"))
    {
      end_setup (self);
      show_page (self, "welcome");
    }
  else if (g_str_equal (page, "discovery") || g_str_equal (page, "review"))
    {
      restart_cancellable (self);
      show_page (self, "details");
    }
  else if (g_str_equal (page, "check"))
    {
      restart_cancellable (self);
      show_page (self, self->mode == MODE_SETUP ? "review" : "welcome");
    }
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);

  if (!od_details_page_get_valid (self->details_page))
    {
      gtk_widget_error_bell (widget);
      return;
    }

  start_discovery (self);
}

static void
set_up_manually_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  g_autofree char *address = g_strstrip (g_strdup (od_details_page_get_address (self->details_page)));
  OdCandidate *unconfirmed = NULL;

  /* A server discovery saw but could not confirm is a better start than nothing. */
  if (self->discovery != NULL && !self->discovering)
    unconfirmed = od_discovery_get_unconfirmed (self->discovery);

  restart_cancellable (self);

  if (unconfirmed != NULL)
    od_review_page_set_settings (self->review_page,
                                 od_candidate_get_host (unconfirmed),
                                 od_candidate_get_port (unconfirmed),
                                 od_candidate_get_security (unconfirmed),
                                 address, OD_ACCOUNT_SOURCE_MANUAL);
  else
    od_review_page_set_settings (self->review_page, NULL, 587, OD_SECURITY_STARTTLS,
                                 address, OD_ACCOUNT_SOURCE_MANUAL);

  od_review_page_set_manual (self->review_page, TRUE);
  od_review_page_set_warnings (self->review_page, NULL);
  show_page (self, "review");
}

static void
start_check_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);

  if (!od_review_page_get_valid (self->review_page))
    {
      gtk_widget_error_bell (widget);
      return;
    }

  self->mode = MODE_SETUP;
  g_free (self->host);
  self->host = g_strstrip (g_strdup (od_review_page_get_host (self->review_page)));
  self->port = od_review_page_get_port (self->review_page);
  self->security = od_review_page_get_security (self->review_page);
  g_free (self->username);
  self->username = g_strstrip (g_strdup (od_review_page_get_username (self->review_page)));

  run_check (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);

  /* The check's own callback shows "stopped" once the engine has wound down. */
  g_cancellable_cancel (self->cancellable);

  if (self->discovering)
    {
      self->discovering = FALSE;
      od_discovery_page_set_running (self->discovery_page, FALSE);
    }
  self->keyring_busy = FALSE;

  update_actions (self);
}

static void
try_again_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  run_check (OD_WINDOW (widget));
}

static void
use_port_587_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);

  self->port = 587;
  self->security = OD_SECURITY_STARTTLS;

  if (self->mode == MODE_SETUP)
    od_review_page_set_settings (self->review_page, self->host, self->port, self->security,
                                 self->username, od_review_page_get_source (self->review_page));

  run_check (self);
}

static void
reenter_password_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  g_autofree char *body = NULL;

  /* Translators: %s is the user name */
  body = g_strdup_printf (_("The server did not accept the password for %s. Type it again; "
                            "if your provider uses app passwords, create one and use that."),
                          self->username ? self->username : "");
  ask_password (self, body);
}

static void
certificate_response_cb (OdCertificateDialog *dialog,
                         const char          *response,
                         OdWindow            *self)
{
  const char *fingerprint = od_certificate_dialog_get_fingerprint (dialog);
  const char *host = od_certificate_dialog_get_host (dialog);
  guint16 port = od_certificate_dialog_get_port (dialog);

  if (!g_str_equal (response, OD_CERTIFICATE_DIALOG_RESPONSE_TRUST) || fingerprint == NULL)
    return;

  /* Trusted for the server the dialog named, and only that one. One certificate per host
   * and port: a new one replaces what was trusted before. */
  if (self->mode == MODE_TROUBLESHOOT && self->account != NULL)
    {
      od_account_clear_pinned_fingerprints (self->account, host, port);
      od_account_add_pinned_fingerprint (self->account, host, port, fingerprint);
      save_store (self);
    }
  else
    g_hash_table_replace (self->pinned, endpoint_key (host, port),
                          g_strdup (fingerprint));

  run_check (self);
}

static void
trust_certificate_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  OdTlsInfo *info = self->check ? od_check_get_tls_info (self->check) : NULL;
  GtkWidget *dialog;

  if (info == NULL || od_tls_info_get_fingerprint (info) == NULL)
    {
      toast (self, _("The server sent no certificate to show"));
      return;
    }

  dialog = od_certificate_dialog_new (GTK_WINDOW (self), info, self->host, self->port);
  g_signal_connect_object (dialog, "response", G_CALLBACK (certificate_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_account_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  g_autofree char *address = g_strstrip (g_strdup (od_details_page_get_address (self->details_page)));
  g_autofree char *name = g_strstrip (g_strdup (od_details_page_get_name (self->details_page)));
  g_autofree char *id = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *password = od_details_page_get_password (self->details_page);
  const char *pin = lookup_setup_pin (self);
  OdAccount *existing;
  OdAccount *account;

  restart_cancellable (self);

  /* Setting up an address again updates its account rather than adding a twin. */
  existing = od_account_store_find_by_address (self->store, address);
  id = existing ? g_strdup (od_account_get_id (existing))
                : od_account_store_make_id (self->store, address);

  account = od_account_new (id, address);
  od_account_set_display_name (account, name[0] != '\0' ? name : NULL);
  od_account_set_host (account, self->host);
  od_account_set_port (account, self->port);
  od_account_set_security (account, self->security);
  od_account_set_username (account, self->username);
  od_account_set_settings_source (account, od_review_page_get_source (self->review_page));
  if (password == NULL || password[0] == '\0')
    od_account_set_auth_mechanism (account, OD_ACCOUNT_AUTH_NONE);
  /* Only a certificate trusted for the server the account uses. */
  if (pin != NULL)
    od_account_add_pinned_fingerprint (account, self->host, self->port, pin);
  od_account_set_last_check (account, verdict_to_string (self->verdict),
                             first_problem_id (self->check), now);

  g_clear_object (&self->pending_account);
  self->pending_account = account;

  if (password == NULL || password[0] == '\0')
    {
      finish_save (self, NULL);
      return;
    }

  self->saving = TRUE;
  update_actions (self);
  od_secret_store_store_async (self->secrets, id, OD_ACCOUNT_PROTOCOL_SMTP,
                               self->host, self->port, self->username, password,
                               self->keyring_cancellable, store_password_cb,
                               g_object_ref (self));
}

static void
copy_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  g_autofree char *report = NULL;

  g_return_if_fail (self->check != NULL);

  /* The engine's report never contains the password: the transcript is redacted. */
  report = od_check_report_to_text (self->check);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), report);
  toast (self, _("Report copied to the clipboard"));
}

static void
test_sending_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  od_window_test_sending (OD_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
finish_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);

  end_setup (self);
  show_page (self, "welcome");
}

static void
page_valid_cb (OdWindow *self)
{
  update_actions (self);
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

  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (od_window_parent_class)->close_request (window);
}

static void
od_window_dispose (GObject *object)
{
  OdWindow *self = (OdWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->keyring_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), OD_TYPE_WINDOW);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->keyring_cancellable);
  g_clear_object (&self->check);
  g_clear_object (&self->discovery);
  g_clear_object (&self->account);
  g_clear_object (&self->pending_account);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_object (&self->settings);
  wipe_password (&self->password);

  G_OBJECT_CLASS (od_window_parent_class)->dispose (object);
}

static void
od_window_finalize (GObject *object)
{
  OdWindow *self = (OdWindow *)object;

  g_clear_pointer (&self->pinned, g_hash_table_unref);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->username, g_free);

  G_OBJECT_CLASS (od_window_parent_class)->finalize (object);
}

static void
od_window_class_init (OdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = od_window_dispose;
  object_class->finalize = od_window_finalize;
  window_class->close_request = od_window_close_request;

  g_type_ensure (OD_TYPE_WELCOME_PAGE);
  g_type_ensure (OD_TYPE_DETAILS_PAGE);
  g_type_ensure (OD_TYPE_DISCOVERY_PAGE);
  g_type_ensure (OD_TYPE_REVIEW_PAGE);
  g_type_ensure (OD_TYPE_CHECK_PAGE);

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

  gtk_widget_class_install_action (widget_class, "win.add-account", NULL, add_account_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "win.set-up-manually", NULL,
                                   set_up_manually_action);
  gtk_widget_class_install_action (widget_class, "win.start-check", NULL, start_check_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.try-again", NULL, try_again_action);
  gtk_widget_class_install_action (widget_class, "win.use-port-587", NULL, use_port_587_action);
  gtk_widget_class_install_action (widget_class, "win.reenter-password", NULL,
                                   reenter_password_action);
  gtk_widget_class_install_action (widget_class, "win.trust-certificate", NULL,
                                   trust_certificate_action);
  gtk_widget_class_install_action (widget_class, "win.save-account", NULL, save_account_action);
  gtk_widget_class_install_action (widget_class, "win.copy-report", NULL, copy_report_action);
  gtk_widget_class_install_action (widget_class, "win.test-sending", "s", test_sending_action);
  gtk_widget_class_install_action (widget_class, "win.finish", NULL, finish_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-account", NULL);
}

static void
od_window_init (OdWindow *self)
{
  g_autoptr(GError) error = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->keyring_cancellable = g_cancellable_new ();
  self->pinned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->secrets = od_secret_store_new ();
  self->store = od_account_store_new (NULL);
  self->security = OD_SECURITY_STARTTLS;
  self->port = 587;
  self->verdict = OD_STEP_STATE_PENDING;

  if (!od_account_store_load (self->store, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Your saved accounts could not be read: %s"),
                                                  error->message);
      toast (self, message);
    }

  od_welcome_page_set_accounts (self->welcome_page, G_LIST_MODEL (self->store));

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
                           G_CALLBACK (page_valid_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->review_page, "notify::valid",
                           G_CALLBACK (page_valid_cb), self, G_CONNECT_SWAPPED);

  show_page (self, "welcome");
}

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

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
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

  self->step_timeout_ms = timeout_ms;
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

  self->discovery_hook = hook;
  self->discovery_hook_data = user_data;
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

  return gtk_stack_get_visible_child_name (self->stack);
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
  OdAccount *account;
  GCancellable *cancellable;

  g_return_if_fail (OD_IS_WINDOW (self));
  g_return_if_fail (account_id != NULL);

  /* A password on its way to the keyring gets there first. */
  if (self->saving || self->storing)
    return;

  account = od_account_store_lookup (self->store, account_id);
  if (account == NULL)
    {
      toast (self, _("This account no longer exists"));
      show_page (self, "welcome");
      return;
    }

  cancellable = restart_cancellable (self);
  remember_account (self, account_id);

  /* A setup left half done for this is abandoned. */
  if (self->mode == MODE_SETUP)
    end_setup (self);

  self->mode = MODE_TROUBLESHOOT;
  g_set_object (&self->account, account);
  g_clear_object (&self->check);
  self->finished = FALSE;
  self->password_typed = FALSE;
  wipe_password (&self->password);

  g_free (self->host);
  self->host = g_strdup (od_account_get_host (account));
  self->port = od_account_get_port (account);
  self->security = od_account_get_security (account);
  g_free (self->username);
  self->username = g_strdup (od_account_get_username (account));

  od_check_page_set_send_test (self->check_page, TRUE);

  if (g_strcmp0 (od_account_get_auth_mechanism (account), OD_ACCOUNT_AUTH_NONE) == 0)
    {
      run_check (self);
      return;
    }

  /* The check page shows up at once; the check starts when the keyring has answered. */
  od_check_page_set_mode (self->check_page, OD_CHECK_PAGE_MODE_TROUBLESHOOT,
                          od_account_get_address (account));
  od_check_page_set_check (self->check_page, NULL);
  self->keyring_busy = TRUE;
  show_page (self, "check");

  od_secret_store_lookup_async (self->secrets, account_id, OD_ACCOUNT_PROTOCOL_SMTP,
                                self->host, self->port, self->username,
                                cancellable, lookup_password_cb, g_object_ref (self));
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

  if (self->checking || self->saving || self->storing)
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
      show_page (self, "welcome");
      if (n_accounts == 0)
        toast (self, _("No account is set up yet: set one up first"));
    }
}
