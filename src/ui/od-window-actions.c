/* od-window-actions.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-window"

#include "config.h"

#include <glib/gi18n.h>

#include "od-account-removal.h"
#include "od-certificate-dialog.h"
#include "od-check-report.h"
#include "od-orphans.h"
#include "od-window-private.h"

/* The win.* actions the pages' buttons, the menus and the shortcuts name. Each asks a
 * controller to do something; what comes of it arrives through the controllers' signals
 * (od-window.c). */

/**
 * od_window_check_again:
 *
 * Runs the check of the current flow again, with whatever was changed (a password, a port,
 * a certificate).
 */
void
od_window_check_again (OdWindow *self)
{
  gboolean send_test = od_check_page_get_send_test (self->check_page);

  if (self->flow == OD_FLOW_SETUP)
    od_setup_controller_check (self->setup, send_test);
  else
    {
      od_troubleshoot_controller_set_round_trip (self->troubleshoot,
                                                 od_check_page_get_round_trip (self->check_page),
                                                 od_check_page_get_round_trip_delete (self->check_page));
      od_troubleshoot_controller_check (self->troubleshoot, send_test);
    }
}

/* The setup's server, from the review page as the user left it. */
static void
take_review_settings (OdWindow *self)
{
  g_autofree char *host = g_strstrip (g_strdup (od_review_page_get_host (self->review_page)));
  OdSetup *setup = od_setup_controller_get_setup (self->setup);
  g_autofree char *username = NULL;
  const char *why;

  username = g_strstrip (g_strdup (od_review_page_get_username (self->review_page)));
  od_setup_set_server (setup, host, od_review_page_get_port (self->review_page),
                       od_review_page_get_security (self->review_page), username,
                       od_review_page_get_source (self->review_page));

  /* A server found through forgeable records stays one, even taken into manual settings
   * or a new setup: the page's check box is the only confirmation. */
  why = od_review_page_get_unconfirmed (self->review_page);
  if (why != NULL)
    {
      od_setup_require_confirmation (setup, why);
      if (od_review_page_get_confirmed (self->review_page))
        od_setup_confirm_server (setup);
    }
}

/* A new setup with what the details page holds. */
void
od_window_begin_setup (OdWindow *self)
{
  g_autofree char *address = g_strstrip (g_strdup (od_details_page_get_address (self->details_page)));
  g_autofree char *name = g_strstrip (g_strdup (od_details_page_get_name (self->details_page)));

  od_setup_controller_begin (self->setup, name, address,
                             od_details_page_get_password (self->details_page));
}

static void
add_account_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);

  od_troubleshoot_controller_stop (self->troubleshoot);
  od_window_cancel_sign_in (self);
  od_setup_controller_end (self->setup);
  self->flow = OD_FLOW_SETUP;
  od_check_page_set_check (self->check_page, NULL);
  od_check_page_set_origin (self->check_page, NULL, NULL);
  od_check_page_set_send_test (self->check_page, FALSE);
  od_check_page_set_incoming_known (self->check_page, FALSE);
  od_details_page_reset (self->details_page);
  od_window_show_page (self, OD_PAGE_DETAILS);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);

  /* The account is being saved: it is not the moment to leave it half done. */
  if (od_setup_controller_get_state (self->setup) == OD_SETUP_STATE_SAVING)
    {
      gtk_widget_error_bell (widget);
      return;
    }

  switch (od_window_get_page (self))
    {
    case OD_PAGE_ACCOUNT:
      /* Leaving the page drops an edit and any password typed for it (the page's and the
       * controller's copies; a password on its way to the keyring gets there). */
      od_troubleshoot_controller_stop (self->troubleshoot);
      od_window_show_page (self, OD_PAGE_WELCOME);
      break;

    case OD_PAGE_DETAILS:
    case OD_PAGE_DONE:
      od_window_cancel_sign_in (self);
      od_setup_controller_end (self->setup);
      od_details_page_reset (self->details_page);
      od_window_show_page (self, OD_PAGE_WELCOME);
      break;

    case OD_PAGE_DISCOVERY:
    case OD_PAGE_REVIEW:
      od_setup_controller_cancel (self->setup);
      od_window_show_page (self, OD_PAGE_DETAILS);
      break;

    case OD_PAGE_CHECK:
      od_setup_controller_cancel (self->setup);
      od_troubleshoot_controller_cancel (self->troubleshoot);
      /* Another program's account: its password is not kept beyond its test. */
      if (od_troubleshoot_controller_get_found (self->troubleshoot) != NULL)
        od_troubleshoot_controller_stop (self->troubleshoot);
      if (self->flow == OD_FLOW_SETUP)
        od_window_show_page (self, OD_PAGE_REVIEW);
      else if (self->from_account && od_account_page_refresh (self->account_page))
        od_window_show_page (self, OD_PAGE_ACCOUNT);
      else
        od_window_show_page (self, OD_PAGE_WELCOME);
      break;

    case OD_PAGE_WELCOME:
    default:
      break;
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

  od_window_begin_setup (self);
  od_window_discover (self);
}

static void
set_up_manually_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  g_autofree char *address = g_strstrip (g_strdup (od_details_page_get_address (self->details_page)));
  OdDiscovery *discovery = od_setup_controller_get_discovery (self->setup);
  g_autoptr(OdCandidate) closest = NULL;

  /* What discovery found (or had found when it was stopped) is a better start than
   * nothing: the best server, else the closest to working. */
  if (discovery != NULL && g_str_equal (od_discovery_get_address (discovery), address))
    closest = od_discovery_get_closest (discovery);

  od_window_begin_setup (self);

  if (closest != NULL)
    {
      /* Prefilled, a server nobody vouched for still needs its confirmation. */
      g_autofree char *why = od_candidate_get_trusted (closest) ? NULL
                                                                : od_candidate_dup_why (closest);

      od_window_review_candidate (self, closest, why);
    }
  else
    /* The defaults are nobody's choice: untagged until the user changes them. */
    {
      od_review_page_set_settings (self->review_page, NULL, 587, OD_SECURITY_STARTTLS, NULL,
                                   address, OD_REVIEW_SOURCE_ADDRESS);
      od_review_page_set_incoming (self->review_page, NULL, NULL, 0, OD_SECURITY_TLS, NULL);
    }

  od_review_page_set_manual (self->review_page, TRUE);
  od_review_page_set_warnings (self->review_page, NULL);
  od_window_show_page (self, OD_PAGE_REVIEW);
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

  /* What the details page holds now (the password may have been typed again). */
  od_window_begin_setup (self);
  self->flow = OD_FLOW_SETUP;
  take_review_settings (self);
  od_window_check_again (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);

  /* The controllers report the stop once the engine has wound down; the discovery page
   * says at once that it stopped (from the details page, before it was shown, nothing
   * more is needed). */
  if (od_setup_controller_get_state (self->setup) == OD_SETUP_STATE_DISCOVERING)
    {
      g_clear_handle_id (&self->reveal_discovery, g_source_remove);
      od_discovery_page_show_stopped (self->discovery_page);
    }

  od_setup_controller_cancel (self->setup);
  od_troubleshoot_controller_cancel (self->troubleshoot);
  od_window_update_actions (self);
  if (od_window_get_page (self) == OD_PAGE_DISCOVERY)
    od_window_focus_default (self);
}

static void
try_again_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  od_window_check_again (OD_WINDOW (widget));
}

/* The main problem's suggestion: a setting of the same server that was tried and works. */
static void
use_suggestion_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  OdCheck *check = od_window_get_check (self);
  OdProblem *problem = check ? od_checklist_get_main_problem (od_check_get_checklist (check))
                             : NULL;
  const char *host;
  guint16 port;
  OdSecurity security;

  if (problem == NULL || !od_problem_get_suggestion (problem, &host, &port, &security))
    return;

  if (self->flow == OD_FLOW_SETUP)
    {
      OdSetup *setup = od_setup_controller_get_setup (self->setup);

      od_setup_set_server (setup, host, port, security, od_setup_get_username (setup),
                           od_setup_get_source (setup));
      od_review_page_set_server (self->review_page, host, port, security,
                                 od_setup_get_source (setup));
    }
  else
    od_troubleshoot_controller_use_port (self->troubleshoot, port, security);

  od_window_check_again (self);
}

/* ---- An account's page ---------------------------------------------------------------- */

/**
 * od_window_show_account:
 * @account_id: a saved account
 *
 * The account's page: its last test, its settings to edit, its certificates, its removal.
 */
void
od_window_show_account (OdWindow   *self,
                        const char *account_id)
{
  if (od_account_store_lookup (self->store, account_id) == NULL)
    {
      od_window_toast (self, _("This account no longer exists"));
      od_window_show_page (self, OD_PAGE_WELCOME);
      return;
    }

  od_account_page_set_account (self->account_page, self->store, account_id);
  od_window_show_page (self, OD_PAGE_ACCOUNT);
}

static void
show_account_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  od_window_show_account (OD_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* An edit of the account's settings is checked with the server, and saved once it works
 * (od_troubleshoot_controller_start_edit()). */
static void
check_account_changes_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  const char *id = od_account_page_get_id (self->account_page);
  OdAccount *account = id ? od_account_store_lookup (self->store, id) : NULL;
  g_autoptr(OdAccount) changes = NULL;

  if (account == NULL || !od_account_page_get_valid (self->account_page))
    {
      gtk_widget_error_bell (widget);
      return;
    }

  changes = od_account_page_dup_changes (self->account_page);
  g_return_if_fail (changes != NULL);
  od_setup_controller_end (self->setup);
  od_details_page_reset (self->details_page);

  self->flow = OD_FLOW_TROUBLESHOOT;
  self->from_account = TRUE;
  self->editing = TRUE;
  self->receiving = FALSE;
  od_check_page_set_send_test (self->check_page, FALSE);
  od_check_page_set_incoming_known (self->check_page, FALSE);
  od_check_page_set_mode (self->check_page, OD_CHECK_PAGE_MODE_EDIT,
                          od_account_get_address (account));
  od_check_page_set_origin (self->check_page, NULL, NULL);
  od_check_page_set_check (self->check_page, NULL);
  od_troubleshoot_controller_start_edit (self->troubleshoot, account, changes,
                                         od_account_page_get_password (self->account_page));
  od_window_show_page (self, OD_PAGE_CHECK);
}

typedef struct
{
  const char *host;
  guint16     port;
} Endpoint;

static void
forget_pins (OdAccount *account,
             gpointer   user_data)
{
  Endpoint *endpoint = user_data;

  od_account_clear_pinned_fingerprints (account, endpoint->host, endpoint->port);
}

/* The user no longer trusts a certificate they trusted before: the next check asks again. */
static void
forget_certificate_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  const char *id = od_account_page_get_id (self->account_page);
  g_autofree char *host = NULL;
  g_autoptr(GError) error = NULL;
  Endpoint endpoint = { NULL, 0 };

  if (id == NULL || !od_account_parse_endpoint (g_variant_get_string (parameter, NULL), &host,
                                                &endpoint.port))
    return;

  endpoint.host = host;
  if (!od_account_store_update (self->store, id, forget_pins, &endpoint, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save your accounts: %s"),
                                                  error->message);
      od_window_toast (self, message);
      return;
    }

  od_account_page_refresh (self->account_page);
  od_window_toast (self, _("The certificate is no longer trusted"));
}

static void
account_removed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(OdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) keyring_error = NULL;
  gboolean password_removed = FALSE;
  g_autofree char *message = NULL;

  if (!od_account_remove_finish (result, &password_removed, &keyring_error, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->removal);
      gtk_widget_set_sensitive (GTK_WIDGET (self->account_page), TRUE);
      od_window_update_actions (self);
      if (error->domain == OD_SECRET_ERROR)
        /* Translators: %s says why the keyring failed */
        message = g_strdup_printf (_("The account was kept: its password could not be removed "
                                     "from the keyring (%s)"), error->message);
      else
        message = g_strdup_printf (_("Could not save your accounts: %s"), error->message);
      od_window_toast (self, message);
      return;
    }

  g_clear_object (&self->removal);
  gtk_widget_set_sensitive (GTK_WIDGET (self->account_page), TRUE);
  od_account_page_discard (self->account_page);
  if (od_window_get_page (self) == OD_PAGE_ACCOUNT)
    od_window_show_page (self, OD_PAGE_WELCOME);
  od_window_toast (self, password_removed ? _("Account and password removed")
                                          : _("Account removed; there was no keyring to remove "
                                              "its password from"));
}

static void
remove_account_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            OdWindow         *self)
{
  const char *id = od_account_page_get_id (self->account_page);

  if (!g_str_equal (response, "remove") || id == NULL)
    return;

  /* Something started meanwhile (the desktop file's *Test Sending*): not now. */
  if (od_window_get_busy (self))
    {
      od_window_toast (self, _("The account was kept: a test of it is under way"));
      return;
    }

  /* The account is left alone by what might still run on it, and its page waits. */
  od_troubleshoot_controller_stop (self->troubleshoot);
  gtk_widget_set_sensitive (GTK_WIDGET (self->account_page), FALSE);
  g_cancellable_cancel (self->removal);
  g_set_object (&self->removal, g_cancellable_new ());
  od_window_update_actions (self);
  od_account_remove_async (self->store, self->secrets, id, self->removal, account_removed_cb,
                           g_object_ref (self));
}

static void
remove_account_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  const char *id = od_account_page_get_id (self->account_page);
  OdAccount *account = id ? od_account_store_lookup (self->store, id) : NULL;
  AdwMessageDialog *dialog;

  if (account == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Remove Account?"), NULL));
  /* Translators: %s is an email address */
  adw_message_dialog_format_body (dialog,
                                  _("Outbox Doctor forgets the settings of %s and removes its "
                                    "password from the keyring. Your mail and your account "
                                    "with the provider are not touched."),
                                  od_account_get_address (account));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_account_response_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Passwords of accounts that are gone ---------------------------------------------- */

static void
orphans_removed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(OdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) removed = od_orphans_remove_finish (result, &error);
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (removed == NULL)
    message = g_strdup_printf (_("The passwords could not be removed: %s"), error->message);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Removed the password of %u account that is gone.",
                                            "Removed the passwords of %u accounts that are gone.",
                                            g_strv_length (removed)),
                               g_strv_length (removed));
  od_window_toast (self, message);
}

static void
remove_orphans_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);

  g_cancellable_cancel (self->orphans);
  g_set_object (&self->orphans, g_cancellable_new ());
  od_orphans_remove_async (self->store, self->secrets, self->orphans, orphans_removed_cb,
                           g_object_ref (self));
}

static void
orphans_found_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(OdWindow) self = user_data;
  g_auto(GStrv) orphans = od_orphans_find_finish (result, NULL);
  g_autofree char *title = NULL;
  AdwToast *toast;
  guint n;

  /* No keyring, or nothing left behind: nothing to say. */
  if (orphans == NULL || orphans[0] == NULL)
    return;

  n = g_strv_length (orphans);
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "The keyring still holds the password of %u account "
                                        "that is gone.",
                                        "The keyring still holds the passwords of %u accounts "
                                        "that are gone.", n), n);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Remove"));
  adw_toast_set_action_name (toast, "win.remove-orphans");
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Passwords in the keyring whose account is gone (removed while another program saved it,
 * or while the keyring was away): offered for removal, never removed unasked. */
void
od_window_look_for_orphans (OdWindow *self)
{
  g_cancellable_cancel (self->orphans);
  g_set_object (&self->orphans, g_cancellable_new ());
  od_orphans_find_async (self->store, self->secrets, self->orphans, orphans_found_cb,
                         g_object_ref (self));
}

static void
reenter_password_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  OdCheck *check = od_window_get_check (self);
  g_autofree char *body = NULL;

  /* Translators: %s is the user name */
  body = g_strdup_printf (_("The server did not accept the password for %s. Type it again; "
                            "if your provider uses app passwords, create one and use that."),
                          check ? od_check_get_username (check) : "");
  od_window_ask_password (self, body);
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

  /* Trusted for the server the dialog named, and only that one. */
  if (self->flow == OD_FLOW_TROUBLESHOOT)
    od_troubleshoot_controller_trust_certificate (self->troubleshoot, host, port, fingerprint);
  else
    od_setup_controller_trust_certificate (self->setup, host, port, fingerprint);

  od_window_check_again (self);
}

static void
trust_certificate_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  OdCheck *check = od_window_get_check (self);
  OdTlsInfo *info = check ? od_check_get_tls_info (check) : NULL;
  GtkWidget *dialog;

  if (info == NULL || od_tls_info_get_fingerprint (info) == NULL)
    {
      od_window_toast (self, _("The server sent no certificate to show"));
      return;
    }

  dialog = od_certificate_dialog_new (GTK_WINDOW (self), info, od_check_get_host (check),
                                      od_check_get_port (check));
  g_signal_connect_object (dialog, "response", G_CALLBACK (certificate_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
discovery_certificate_response_cb (OdCertificateDialog *dialog,
                                   const char          *response,
                                   OdWindow            *self)
{
  OdDiscovery *discovery = od_setup_controller_get_discovery (self->setup);
  const char *fingerprint = od_certificate_dialog_get_fingerprint (dialog);
  const char *host = od_certificate_dialog_get_host (dialog);
  guint16 port = od_certificate_dialog_get_port (dialog);
  g_autoptr(OdCandidate) candidate = NULL;
  g_autofree char *why = NULL;
  g_autofree char *warning = NULL;
  const char *warnings[2] = { NULL, NULL };

  if (!g_str_equal (response, OD_CERTIFICATE_DIALOG_RESPONSE_TRUST) || fingerprint == NULL ||
      discovery == NULL)
    return;

  /* The server the dialog showed, and only that one. */
  candidate = od_discovery_get_certificate_to_review (discovery);
  if (candidate == NULL || g_strcmp0 (od_candidate_get_host (candidate), host) != 0 ||
      od_candidate_get_port (candidate) != port)
    return;

  od_setup_controller_trust_certificate (self->setup, host, port, fingerprint);

  /* On to the review with that server; one nobody vouched for still needs confirming. */
  if (!od_candidate_get_trusted (candidate))
    why = od_candidate_dup_why (candidate);
  od_window_review_candidate (self, candidate, why);
  od_review_page_set_manual (self->review_page, FALSE);
  /* Translators: %s is a server name, %u its port */
  warning = g_strdup_printf (_("The certificate of %s could not be verified: you chose to "
                               "trust it, for port %u only."), host, port);
  warnings[0] = warning;
  od_review_page_set_warnings (self->review_page, warnings);
  od_window_show_page (self, OD_PAGE_REVIEW);
}

/* A server discovery found answered with a certificate that was not accepted: the user
 * looks at it (the same dialog as the check's) and may trust it, then goes on with it. */
static void
review_certificate_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  OdDiscovery *discovery = od_setup_controller_get_discovery (self->setup);
  g_autoptr(OdCandidate) candidate = NULL;
  GtkWidget *dialog;

  if (discovery != NULL)
    candidate = od_discovery_get_certificate_to_review (discovery);
  if (candidate == NULL)
    {
      od_window_toast (self, _("The server sent no certificate to show"));
      return;
    }

  dialog = od_certificate_dialog_new (GTK_WINDOW (self), od_candidate_get_tls_info (candidate),
                                      od_candidate_get_host (candidate),
                                      od_candidate_get_port (candidate));
  g_signal_connect_object (dialog, "response", G_CALLBACK (discovery_certificate_response_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
confirm_server_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            OdWindow         *self)
{
  if (!g_str_equal (response, "confirm"))
    return;

  /* For the server the check ran against, and only that one. */
  if (self->flow == OD_FLOW_TROUBLESHOOT)
    od_troubleshoot_controller_confirm_server (self->troubleshoot);
  else
    od_setup_controller_confirm_server (self->setup);

  od_window_check_again (self);
}

/* A server found through forgeable records: the user confirms it is the provider's. */
static void
confirm_server_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  OdCheck *check = od_window_get_check (self);
  AdwMessageDialog *dialog;

  if (check == NULL || od_check_get_unconfirmed (check) == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Send Your Password to This Server?"),
                                                       NULL));
  /* Translators: the first %s is a server name, %u its port, the second %s says where it
   * came from */
  adw_message_dialog_format_body (dialog,
                                  _("%s, port %u\n\n%s\n\nOnly confirm it if your provider’s "
                                    "help pages or your administrator name this server."),
                                  od_check_get_host (check), od_check_get_port (check),
                                  od_check_get_unconfirmed (check));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "confirm", _("C_onfirm Server"),
                                    NULL);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_server_response_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_account_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  od_setup_controller_save (OD_WINDOW (widget)->setup, FALSE);
}

static void
copy_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  OdCheck *check = od_window_get_check (self);
  g_autofree char *report = NULL;

  g_return_if_fail (check != NULL);

  /* The engine's report never contains the password: the transcript is redacted. */
  report = od_check_report_to_text (check);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), report);
  od_window_toast (self, _("Report copied to the clipboard"));
}

static void
test_sending_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  od_window_test_sending (OD_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
test_receiving_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  od_window_test_receiving (OD_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
finish_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);

  od_setup_controller_end (self->setup);
  od_details_page_reset (self->details_page);
  od_window_show_page (self, OD_PAGE_WELCOME);
}

/**
 * od_window_class_add_actions:
 *
 * Installs the win.* actions and their shortcuts.
 */
void
od_window_class_add_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.add-account", NULL, add_account_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "win.set-up-manually", NULL,
                                   set_up_manually_action);
  gtk_widget_class_install_action (widget_class, "win.start-check", NULL, start_check_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.try-again", NULL, try_again_action);
  gtk_widget_class_install_action (widget_class, "win.remove-orphans", NULL,
                                   remove_orphans_action);
  gtk_widget_class_install_action (widget_class, "win.use-suggestion", NULL,
                                   use_suggestion_action);
  gtk_widget_class_install_action (widget_class, "win.reenter-password", NULL,
                                   reenter_password_action);
  gtk_widget_class_install_action (widget_class, "win.trust-certificate", NULL,
                                   trust_certificate_action);
  gtk_widget_class_install_action (widget_class, "win.confirm-server", NULL,
                                   confirm_server_action);
  gtk_widget_class_install_action (widget_class, "win.review-certificate", NULL,
                                   review_certificate_action);
  gtk_widget_class_install_action (widget_class, "win.save-account", NULL, save_account_action);
  gtk_widget_class_install_action (widget_class, "win.copy-report", NULL, copy_report_action);
  gtk_widget_class_install_action (widget_class, "win.test-sending", "s", test_sending_action);
  gtk_widget_class_install_action (widget_class, "win.test-receiving", "s",
                                   test_receiving_action);
  gtk_widget_class_install_action (widget_class, "win.finish", NULL, finish_action);
  gtk_widget_class_install_action (widget_class, "win.show-account", "s", show_account_action);
  gtk_widget_class_install_action (widget_class, "win.check-account-changes", NULL,
                                   check_account_changes_action);
  gtk_widget_class_install_action (widget_class, "win.forget-certificate", "s",
                                   forget_certificate_action);
  gtk_widget_class_install_action (widget_class, "win.remove-account", NULL,
                                   remove_account_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-account", NULL);
}
