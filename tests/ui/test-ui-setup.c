/* test-ui-setup.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The setup journey in the real window against our fake SMTP server: details with inline
 * validation, manual settings, the checklist turning green, saving into the keyring; a
 * wrong password with its red row, remedy and *Re-enter Password*; an untrusted certificate
 * trusted after its details were shown. Assertions are on widget states; every page is
 * saved as a screenshot. */

#include "config.h"

#include <string.h>

#include "od-check-page.h"
#include "od-checklist-row.h"
#include "od-account-row.h"
#include "od-certificate-dialog.h"
#include "od-fake-smtp-server.h"
#include "od-secret-store.h"
#include "od-test-certs.h"
#include "od-ui-test.h"

#define USER     "user@example.org"
#define PASSWORD "Tr0ub4dor&3 horse"

static OdTestCerts *certs;

static OdFakeSmtpServer *
start_server (void)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);

  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_implicit_tls (server, TRUE);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);
  od_fake_smtp_server_set_require_auth (server, TRUE);
  g_assert_true (od_fake_smtp_server_start (server, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&server);
}

static GtkWidget *
page (OdWindow   *window,
      GType       type)
{
  return od_ui_test_find (GTK_WIDGET (window), type, NULL);
}

/* A setup finished or abandoned leaves nothing in "Your details", the password least of all. */
static void
assert_details_cleared (OdWindow *window)
{
  GtkWidget *details = page (window, g_type_from_name ("OdDetailsPage"));
  const char * const rows[] = { "name_row", "address_row", "password_row" };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (od_ui_test_find (details,
                                                                          GTK_TYPE_EDITABLE,
                                                                          rows[i]))),
                     ==, "");
}

/* Fills "Your details" and goes to manual settings, as a keyboard user would. */
static void
fill_details (OdWindow   *window,
              const char *password)
{
  GtkWidget *details;

  od_ui_test_activate (GTK_WIDGET (window), "win.add-account", NULL);
  od_ui_test_wait_page (window, "details");
  details = page (window, g_type_from_name ("OdDetailsPage"));

  od_ui_test_set_text (details, "name_row", "Ada Lovelace");
  od_ui_test_set_text (details, "address_row", USER);
  od_ui_test_set_text (details, "password_row", password);
}

static void
fill_manual_settings (OdWindow *window,
                      guint16   port)
{
  GtkWidget *review;

  od_ui_test_activate (GTK_WIDGET (window), "win.set-up-manually", NULL);
  od_ui_test_wait_page (window, "review");
  review = page (window, g_type_from_name ("OdReviewPage"));

  od_ui_test_set_text (review, "host_row", "127.0.0.1");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (od_ui_test_find (review, GTK_TYPE_SPIN_BUTTON,
                                                               "port_spin")), port);
  /* The first entry of the encryption list is TLS. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (od_ui_test_find (review, ADW_TYPE_COMBO_ROW,
                                                              "security_row")), 0);
  od_ui_test_set_text (review, "username_row", USER);
}

static OdChecklistRow *
step_row (OdWindow   *window,
          const char *step_id)
{
  GtkListBox *list = od_check_page_get_list (OD_CHECK_PAGE (page (window, OD_TYPE_CHECK_PAGE)));
  g_autoptr(GList) rows = od_ui_test_find_all (GTK_WIDGET (list), OD_TYPE_CHECKLIST_ROW);

  for (GList *l = rows; l != NULL; l = l->next)
    if (g_str_equal (od_check_step_get_id (od_checklist_row_get_step (l->data)), step_id))
      return l->data;

  g_error ("No checklist row for the step %s", step_id);
}

/* Every row green; without a test message the last one is grey and says why. */
static void
assert_all_green (OdWindow *window,
                  gboolean  sent)
{
  GtkListBox *list = od_check_page_get_list (OD_CHECK_PAGE (page (window, OD_TYPE_CHECK_PAGE)));
  g_autoptr(GList) rows = od_ui_test_find_all (GTK_WIDGET (list), OD_TYPE_CHECKLIST_ROW);

  g_assert_cmpuint (g_list_length (rows), ==, 10);
  for (GList *l = rows; l != NULL; l = l->next)
    {
      OdCheckStep *step = od_checklist_row_get_step (l->data);
      g_autofree char *label = g_strdup_printf ("%s: Passed", od_check_step_get_title (step));

      if (!sent && g_str_equal (od_check_step_get_id (step), "data"))
        {
          g_assert_cmpint (od_check_step_get_state (step), ==, OD_STEP_STATE_SKIP);
          od_ui_test_assert_light (od_checklist_row_get_light (l->data),
                                   "action-unavailable-symbolic", "dim-label", NULL);
          continue;
        }

      if (od_check_step_get_state (step) != OD_STEP_STATE_PASS)
        g_error ("The step %s is %s, not pass: %s", od_check_step_get_id (step),
                 od_step_state_to_string (od_check_step_get_state (step)),
                 od_check_step_get_detail (step));

      od_ui_test_assert_light (od_checklist_row_get_light (l->data), "emblem-ok-symbolic",
                               "success", label);
      g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (l->data)));
    }
}

static void
start_check (OdWindow *window,
             gboolean  send_test)
{
  GtkWidget *check_page = page (window, OD_TYPE_CHECK_PAGE);

  od_check_page_set_send_test (OD_CHECK_PAGE (check_page), send_test);
  od_ui_test_activate (GTK_WIDGET (window), "win.start-check", NULL);
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  od_ui_test_wait_frames (GTK_WIDGET (window), 20);
}

typedef struct
{
  char     *password;
  GError   *error;
  gboolean  done;
} Lookup;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->password = od_secret_store_lookup_finish (OD_SECRET_STORE (object), result,
                                                    &lookup->error);
  lookup->done = TRUE;
}

static gboolean
lookup_done (gpointer user_data)
{
  return ((Lookup *)user_data)->done;
}

static char *
keyring_password (OdAccount *account)
{
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  Lookup lookup = { NULL, NULL, FALSE };

  od_secret_store_lookup_async (secrets, od_account_get_id (account), OD_ACCOUNT_PROTOCOL_SMTP,
                                od_account_get_host (account), od_account_get_port (account),
                                od_account_get_username (account), NULL, lookup_cb, &lookup);
  od_ui_test_wait (lookup_done, &lookup, "the keyring lookup");
  g_assert_no_error (lookup.error);

  return lookup.password;
}

/* Inline validation on "Your details": malformed addresses are flagged as typed,
 * internationalised domains are fine, spaces around the password are pointed out. */
static void
test_details_validation (void)
{
  OdWindow *window = od_ui_test_new_window (720, 760);
  GtkWidget *details;
  GtkWidget *error_box;
  GtkWidget *spaces_box;
  GtkWidget *address_row;
  GtkWidget *continue_button;

  od_ui_test_activate (GTK_WIDGET (window), "win.add-account", NULL);
  od_ui_test_wait_page (window, "details");
  details = page (window, g_type_from_name ("OdDetailsPage"));
  error_box = od_ui_test_find (details, GTK_TYPE_BOX, "address_error_box");
  spaces_box = od_ui_test_find (details, GTK_TYPE_BOX, "spaces_warning_box");
  address_row = od_ui_test_find (details, ADW_TYPE_ENTRY_ROW, "address_row");
  continue_button = od_ui_test_find (details, GTK_TYPE_BUTTON, "continue_button");

  /* Nothing typed yet: no error, but no way on either. */
  g_assert_false (od_ui_test_is_shown (error_box));
  g_assert_false (gtk_widget_get_sensitive (continue_button));

  od_ui_test_set_text (details, "name_row", "Ada Lovelace");
  od_ui_test_set_text (details, "address_row", "ada@@example.org");
  od_ui_test_wait_frames (GTK_WIDGET (window), 2);
  g_assert_true (od_ui_test_is_shown (error_box));
  g_assert_true (gtk_widget_has_css_class (address_row, "error"));
  g_assert_false (gtk_widget_get_sensitive (continue_button));
  gtk_test_accessible_assert_state (address_row, GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);

  od_ui_test_set_text (details, "address_row", "ada lovelace@example.org");
  g_assert_true (od_ui_test_is_shown (error_box));

  od_ui_test_set_text (details, "password_row", PASSWORD " ");
  od_ui_test_wait_frames (GTK_WIDGET (window), 2);
  g_assert_true (od_ui_test_is_shown (spaces_box));
  od_ui_test_screenshot (GTK_WIDGET (window), "details-invalid");

  /* An internationalised domain is a valid address. */
  od_ui_test_set_text (details, "address_row", "ada@bücher.example");
  od_ui_test_wait_frames (GTK_WIDGET (window), 2);
  g_assert_false (od_ui_test_is_shown (error_box));
  g_assert_false (gtk_widget_has_css_class (address_row, "error"));
  g_assert_true (gtk_widget_get_sensitive (continue_button));

  od_ui_test_set_text (details, "password_row", PASSWORD);
  od_ui_test_wait_frames (GTK_WIDGET (window), 2);
  g_assert_false (od_ui_test_is_shown (spaces_box));

  od_ui_test_set_text (details, "address_row", USER);
  od_ui_test_wait_frames (GTK_WIDGET (window), 2);
  od_ui_test_screenshot (GTK_WIDGET (window), "details");

  /* Back leaves the setup without a trace. */
  od_ui_test_activate (GTK_WIDGET (window), "win.back", NULL);
  od_ui_test_wait_page (window, "welcome");
  assert_details_cleared (window);

  od_ui_test_close_window (window);
}

/* Scenario 1: details, manual settings, every row green, saved with the password in the
 * keyring, and the account in the list with its green light. */
static void
test_setup_fake_server (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  guint16 port = od_fake_smtp_server_get_port (server);
  OdWindow *window = od_ui_test_new_window (720, 760);
  OdAccountStore *store = od_window_get_account_store (window);
  g_autoptr(OdAccount) account = NULL;
  g_autoptr(GList) account_rows = NULL;
  g_autofree char *password = NULL;
  GtkWidget *status_page;
  GtkWidget *save_button;

  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));

  /* No account yet: the invitation. */
  g_assert_cmpstr (od_window_get_visible_page (window), ==, "welcome");
  status_page = od_ui_test_find (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, "status_page");
  g_assert_true (od_ui_test_is_shown (status_page));
  od_ui_test_screenshot (GTK_WIDGET (window), "welcome");

  fill_details (window, PASSWORD);
  fill_manual_settings (window, port);
  od_ui_test_screenshot (GTK_WIDGET (window), "review");

  /* Port 25 and no encryption are pointed out as they are chosen. */
  {
    GtkWidget *review = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdReviewPage"),
                                         NULL);
    GtkWidget *warnings = od_ui_test_find (review, GTK_TYPE_BOX, "warnings_box");
    GtkSpinButton *port_spin = GTK_SPIN_BUTTON (od_ui_test_find (review, GTK_TYPE_SPIN_BUTTON,
                                                                 "port_spin"));
    AdwComboRow *security_row = ADW_COMBO_ROW (od_ui_test_find (review, ADW_TYPE_COMBO_ROW,
                                                                "security_row"));

    g_assert_false (gtk_widget_get_visible (warnings));
    gtk_spin_button_set_value (port_spin, 25);
    g_assert_true (gtk_widget_get_visible (warnings));
    gtk_spin_button_set_value (port_spin, port);
    g_assert_false (gtk_widget_get_visible (warnings));
    adw_combo_row_set_selected (security_row, 2);
    g_assert_true (gtk_widget_get_visible (warnings));
    adw_combo_row_set_selected (security_row, 0);
    gtk_spin_button_set_value (port_spin, port);
    g_assert_false (gtk_widget_get_visible (warnings));
  }

  start_check (window, TRUE);
  assert_all_green (window, TRUE);
  g_assert_cmpuint (od_fake_smtp_server_get_n_messages (server), ==, 1);
  g_assert_nonnull (strstr (od_fake_smtp_server_get_last_message (server), USER));
  od_ui_test_assert_light (GTK_IMAGE (od_ui_test_find (GTK_WIDGET (window), GTK_TYPE_IMAGE,
                                                       "verdict_light")),
                           "emblem-ok-symbolic", "success", "Result: Passed");
  od_ui_test_screenshot (GTK_WIDGET (window), "checklist");

  save_button = od_ui_test_find (GTK_WIDGET (window), GTK_TYPE_BUTTON, "save_button");
  g_assert_true (od_ui_test_is_shown (save_button));
  g_assert_true (gtk_widget_get_sensitive (save_button));
  g_signal_emit_by_name (save_button, "clicked");
  od_ui_test_wait_page (window, "done");
  od_ui_test_screenshot (GTK_WIDGET (window), "done");

  /* Saved: the account with its settings and last result, the password in the keyring. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  account = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_cmpstr (od_account_get_address (account), ==, USER);
  g_assert_cmpstr (od_account_get_display_name (account), ==, "Ada Lovelace");
  g_assert_cmpstr (od_account_get_host (account), ==, "127.0.0.1");
  g_assert_cmpuint (od_account_get_port (account), ==, port);
  g_assert_cmpint (od_account_get_security (account), ==, OD_SECURITY_TLS);
  g_assert_cmpstr (od_account_get_username (account), ==, USER);
  g_assert_cmpstr (od_account_get_settings_source (account), ==, "manual");
  g_assert_cmpstr (od_account_get_last_verdict (account), ==, "pass");
  password = keyring_password (account);
  g_assert_cmpstr (password, ==, PASSWORD);

  /* The password is in the keyring now, and no longer in the details page. */
  assert_details_cleared (window);

  od_ui_test_activate (GTK_WIDGET (window), "win.finish", NULL);
  od_ui_test_wait_page (window, "welcome");
  g_assert_false (od_ui_test_is_shown (status_page));
  account_rows = od_ui_test_find_all (GTK_WIDGET (window), OD_TYPE_ACCOUNT_ROW);
  g_assert_cmpuint (g_list_length (account_rows), ==, 1);
  od_ui_test_assert_light (od_account_row_get_light (account_rows->data), "emblem-ok-symbolic",
                           "success", "Test message sent");
  od_ui_test_screenshot (GTK_WIDGET (window), "welcome-one-account");

  od_ui_test_remove_accounts (window);
  od_ui_test_close_window (window);
}

/* Scenario 3: a wrong password gives a red login row with the remedy, the server's reply
 * and *Re-enter Password*; the right password typed there turns everything green. */
static void
test_setup_wrong_password (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  OdWindow *window = od_ui_test_new_window (720, 900);
  OdChecklistRow *auth;
  AdwMessageDialog *dialog;
  GtkWidget *remedy;
  GtkWidget *reply;
  GtkWidget *reenter;
  GtkWidget *save_button;
  const char * const later[] = { "sender", "recipient", "data" };

  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  fill_details (window, "not the password");
  fill_manual_settings (window, od_fake_smtp_server_get_port (server));
  start_check (window, FALSE);

  auth = step_row (window, "auth");
  g_assert_cmpint (od_check_step_get_state (od_checklist_row_get_step (auth)), ==,
                   OD_STEP_STATE_FAIL);
  od_ui_test_assert_light (od_checklist_row_get_light (auth), "dialog-error-symbolic", "error",
                           "Login: Failed");
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (auth)));
  g_assert_cmpstr (od_problem_get_id (od_check_step_get_problem (od_checklist_row_get_step (auth))),
                   ==, "auth-failed");

  remedy = od_ui_test_find (GTK_WIDGET (auth), GTK_TYPE_LABEL, "remedy_label");
  reply = od_ui_test_find (GTK_WIDGET (auth), GTK_TYPE_LABEL, "reply_label");
  g_assert_true (od_ui_test_is_shown (remedy));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (remedy)), !=, "");
  g_assert_true (od_ui_test_is_shown (reply));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (reply)), "535"));

  reenter = od_ui_test_find_action (GTK_WIDGET (auth), "win.reenter-password");
  g_assert_nonnull (reenter);
  g_assert_true (gtk_widget_get_sensitive (reenter));
  /* The certificate was fine and the port is the right one: no other action is offered. */
  g_assert_null (od_ui_test_find_action (GTK_WIDGET (auth), "win.trust-certificate"));
  g_assert_null (od_ui_test_find_action (GTK_WIDGET (auth), "win.use-suggestion"));

  for (guint i = 0; i < G_N_ELEMENTS (later); i++)
    od_ui_test_assert_light (od_checklist_row_get_light (step_row (window, later[i])),
                             "action-unavailable-symbolic", "dim-label", NULL);

  /* A failed setup cannot be saved. */
  save_button = od_ui_test_find (GTK_WIDGET (window), GTK_TYPE_BUTTON, "save_button");
  g_assert_false (gtk_widget_get_sensitive (save_button));
  od_ui_test_screenshot (GTK_WIDGET (window), "failure");

  g_signal_emit_by_name (reenter, "clicked");
  dialog = od_ui_test_wait_dialog (ADW_TYPE_MESSAGE_DIALOG);
  od_ui_test_screenshot (GTK_WIDGET (dialog), "password-dialog");
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), PASSWORD);
  od_ui_test_respond (dialog, "check");

  od_ui_test_wait_idle (window);
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  assert_all_green (window, FALSE);
  g_assert_true (gtk_widget_get_sensitive (save_button));

  od_ui_test_close_window (window);
}

/* A certificate from an unknown authority: red encryption row, *Trust This Certificate*
 * shows subject, issuer, validity and fingerprint first; trusted, the check passes and the
 * saved account keeps the fingerprint for this host and port only. */
static void
test_setup_untrusted_certificate (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  guint16 port = od_fake_smtp_server_get_port (server);
  OdWindow *window = od_ui_test_new_window (720, 900);
  OdAccountStore *store = od_window_get_account_store (window);
  g_autoptr(OdAccount) account = NULL;
  g_auto(GStrv) pins = NULL;
  OdChecklistRow *tls;
  GtkWidget *trust;
  AdwMessageDialog *dialog;
  GtkWidget *fingerprint;
  GtkWidget *subject;
  g_autofree char *shown = NULL;
  g_autofree char *pinned = NULL;
  g_autofree char *expected = NULL;

  /* No CA file: the test CA is unknown to this computer. */
  fill_details (window, PASSWORD);
  fill_manual_settings (window, port);
  start_check (window, FALSE);

  tls = step_row (window, "tls");
  od_ui_test_assert_light (od_checklist_row_get_light (tls), "dialog-error-symbolic", "error",
                           "Encryption and certificate: Failed");
  g_assert_cmpstr (od_problem_get_id (od_check_step_get_problem (od_checklist_row_get_step (tls))),
                   ==, "tls-certificate-untrusted");
  trust = od_ui_test_find_action (GTK_WIDGET (tls), "win.trust-certificate");
  g_assert_nonnull (trust);
  g_assert_null (od_ui_test_find_action (GTK_WIDGET (tls), "win.reenter-password"));
  od_ui_test_screenshot (GTK_WIDGET (window), "certificate-failure");

  g_signal_emit_by_name (trust, "clicked");
  dialog = od_ui_test_wait_dialog (OD_TYPE_CERTIFICATE_DIALOG);
  fingerprint = od_ui_test_find (GTK_WIDGET (dialog), GTK_TYPE_LABEL, "fingerprint_label");
  subject = od_ui_test_find (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, "subject_row");
  shown = g_strdup (gtk_label_get_text (GTK_LABEL (fingerprint)));
  g_assert_cmpuint (strlen (shown), ==, 32 * 3 - 1);
  g_assert_cmpstr (shown, ==, od_certificate_dialog_get_fingerprint (OD_CERTIFICATE_DIALOG (dialog)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (subject)), "localhost"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "authority"));
  g_assert_cmpuint (od_ui_test_assert_certificate_dialog (dialog), >=, 2);
  od_ui_test_screenshot (GTK_WIDGET (dialog), "certificate");

  /* In a narrow window the dialog narrows, and the fingerprint still breaks between bytes. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 900);
  od_ui_test_wait_frames (GTK_WIDGET (dialog), 10);
  g_assert_cmpuint (od_ui_test_assert_certificate_dialog (dialog), >=, 3);
  od_ui_test_screenshot (GTK_WIDGET (dialog), "certificate-narrow");
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 900);
  od_ui_test_wait_frames (GTK_WIDGET (dialog), 10);

  od_ui_test_respond (dialog, OD_CERTIFICATE_DIALOG_RESPONSE_TRUST);
  od_ui_test_wait_idle (window);
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  assert_all_green (window, FALSE);

  od_ui_test_activate (GTK_WIDGET (window), "win.save-account", NULL);
  od_ui_test_wait_page (window, "done");
  account = g_list_model_get_item (G_LIST_MODEL (store), 0);
  pins = od_account_dup_pinned_fingerprints (account, "127.0.0.1", port);
  g_assert_cmpuint (g_strv_length (pins), ==, 1);
  pinned = od_fingerprint_normalize (pins[0]);
  expected = od_fingerprint_normalize (shown);
  g_assert_cmpstr (pinned, ==, expected);

  od_ui_test_remove_accounts (window);
  od_ui_test_close_window (window);
}

/* From the finished check back to the server settings, to change the host and port. */
static void
change_server (OdWindow   *window,
               const char *host,
               guint16     port)
{
  GtkWidget *review;

  od_ui_test_activate (GTK_WIDGET (window), "win.back", NULL);
  od_ui_test_wait_page (window, "review");
  review = page (window, g_type_from_name ("OdReviewPage"));
  od_ui_test_set_text (review, "host_row", host);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (od_ui_test_find (review, GTK_TYPE_SPIN_BUTTON,
                                                               "port_spin")), port);
}

static void
assert_certificate_untrusted (OdWindow *window)
{
  OdCheckStep *tls = od_checklist_row_get_step (step_row (window, "tls"));

  g_assert_cmpint (od_check_step_get_state (tls), ==, OD_STEP_STATE_FAIL);
  g_assert_cmpstr (od_problem_get_id (od_check_step_get_problem (tls)), ==,
                   "tls-certificate-untrusted");
}

/* A certificate trusted during setup is trusted for the server it was shown for, and no
 * other: the same certificate on another port, or under another host name, is unknown
 * again; back on the first server it is trusted; the account pins it for that one only. */
static void
test_setup_certificate_pinned_per_server (void)
{
  g_autoptr(OdFakeSmtpServer) first = start_server ();
  g_autoptr(OdFakeSmtpServer) second = start_server ();
  guint16 port = od_fake_smtp_server_get_port (first);
  guint16 other_port = od_fake_smtp_server_get_port (second);
  OdWindow *window = od_ui_test_new_window (720, 900);
  OdAccountStore *store = od_window_get_account_store (window);
  g_autoptr(OdAccount) account = NULL;
  g_auto(GStrv) endpoints = NULL;
  g_auto(GStrv) pins = NULL;
  AdwMessageDialog *dialog;

  /* No CA file: the test CA is unknown to this computer. */
  fill_details (window, PASSWORD);
  fill_manual_settings (window, port);
  start_check (window, FALSE);
  assert_certificate_untrusted (window);

  g_signal_emit_by_name (od_ui_test_find_action (GTK_WIDGET (step_row (window, "tls")),
                                                 "win.trust-certificate"),
                         "clicked");
  dialog = od_ui_test_wait_dialog (OD_TYPE_CERTIFICATE_DIALOG);
  g_assert_cmpstr (od_certificate_dialog_get_host (OD_CERTIFICATE_DIALOG (dialog)), ==,
                   "127.0.0.1");
  g_assert_cmpuint (od_certificate_dialog_get_port (OD_CERTIFICATE_DIALOG (dialog)), ==, port);
  od_ui_test_respond (dialog, OD_CERTIFICATE_DIALOG_RESPONSE_TRUST);
  od_ui_test_wait_idle (window);
  assert_all_green (window, FALSE);

  /* The same certificate on another port. */
  change_server (window, "127.0.0.1", other_port);
  start_check (window, FALSE);
  assert_certificate_untrusted (window);

  /* The first port under another name of the same computer. */
  change_server (window, "localhost", port);
  start_check (window, FALSE);
  assert_certificate_untrusted (window);

  /* The server it was trusted for. */
  change_server (window, "127.0.0.1", port);
  start_check (window, FALSE);
  assert_all_green (window, FALSE);

  od_ui_test_activate (GTK_WIDGET (window), "win.save-account", NULL);
  od_ui_test_wait_page (window, "done");
  account = g_list_model_get_item (G_LIST_MODEL (store), 0);
  endpoints = od_account_list_pinned_endpoints (account);
  g_assert_cmpuint (g_strv_length (endpoints), ==, 1);
  pins = od_account_dup_pinned_fingerprints (account, "127.0.0.1", port);
  g_assert_cmpuint (pins ? g_strv_length (pins) : 0, ==, 1);
  g_clear_pointer (&pins, g_strfreev);
  pins = od_account_dup_pinned_fingerprints (account, "127.0.0.1", other_port);
  g_assert_null (pins);
  pins = od_account_dup_pinned_fingerprints (account, "localhost", port);
  g_assert_null (pins);

  od_ui_test_remove_accounts (window);
  od_ui_test_close_window (window);
}

/* A phone-sized window (360 px) and the dark style: nothing may force the window wider,
 * and the pages are saved as screenshots to look at. */
static void
test_setup_narrow_and_dark (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  AdwStyleManager *style = adw_style_manager_get_default ();
  OdWindow *window = od_ui_test_new_window (360, 760);

  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);
  od_ui_test_screenshot (GTK_WIDGET (window), "welcome-narrow");

  fill_details (window, "not the password");
  od_ui_test_wait_frames (GTK_WIDGET (window), 5);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);
  od_ui_test_screenshot (GTK_WIDGET (window), "details-narrow");

  fill_manual_settings (window, od_fake_smtp_server_get_port (server));
  od_ui_test_wait_frames (GTK_WIDGET (window), 5);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);
  od_ui_test_screenshot (GTK_WIDGET (window), "review-narrow");

  start_check (window, FALSE);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);
  g_assert_nonnull (od_ui_test_find_action (GTK_WIDGET (step_row (window, "auth")),
                                            "win.reenter-password"));
  /* Failed: the main action in sight is *Check Again*, not a *Save Account* that cannot. */
  g_assert_true (od_ui_test_is_shown (od_ui_test_find (GTK_WIDGET (window), GTK_TYPE_BUTTON,
                                                       "again_button")));
  g_assert_false (od_ui_test_is_shown (od_ui_test_find (GTK_WIDGET (window), GTK_TYPE_BUTTON,
                                                        "save_button")));
  od_ui_test_screenshot (GTK_WIDGET (window), "failure-narrow");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  g_assert_true (adw_style_manager_get_dark (style));
  od_ui_test_screenshot (GTK_WIDGET (window), "failure-narrow-dark");
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 900);
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  od_ui_test_screenshot (GTK_WIDGET (window), "failure-dark");

  od_ui_test_activate (GTK_WIDGET (window), "win.back", NULL);
  od_ui_test_wait_page (window, "review");
  od_ui_test_activate (GTK_WIDGET (window), "win.back", NULL);
  od_ui_test_wait_page (window, "details");
  od_ui_test_screenshot (GTK_WIDGET (window), "details-dark");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  od_ui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  od_ui_test_init (&argc, &argv);

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/od/ui/setup/details-validation", test_details_validation);
  g_test_add_func ("/od/ui/setup/fake-server", test_setup_fake_server);
  g_test_add_func ("/od/ui/setup/wrong-password", test_setup_wrong_password);
  g_test_add_func ("/od/ui/setup/untrusted-certificate", test_setup_untrusted_certificate);
  g_test_add_func ("/od/ui/setup/certificate-pinned-per-server",
                   test_setup_certificate_pinned_per_server);
  g_test_add_func ("/od/ui/setup/narrow-and-dark", test_setup_narrow_and_dark);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
