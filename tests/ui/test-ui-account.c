/* test-ui-account.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* An account's page, reached by clicking its row: its last test with the date, its settings
 * edited and checked with the server before they are saved (and not saved when the check
 * fails), a trusted certificate shown and removed, and *Remove Account…*, which takes the
 * password out of the real keyring too. Also the honest words of a check that sent no
 * message, and the fix buttons the catalog allows. */

#include "config.h"

#include <string.h>

#include "od-account-page.h"
#include "od-account-row.h"
#include "od-account-store.h"
#include "od-check-page.h"
#include "od-checklist-row.h"
#include "od-fake-smtp-server.h"
#include "od-test-certs.h"
#include "od-ui-test.h"

#define USER     "user@example.org"
#define NAME     "Ada Lovelace"
#define PASSWORD "Tr0ub4dor&3 horse"
#define FINGERPRINT "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:" \
                    "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"

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

/* The account as the file holds it now. */
static OdAccount *
reload (const char *id)
{
  g_autoptr(OdAccountStore) store = od_account_store_new (NULL);
  g_autoptr(GError) error = NULL;
  OdAccount *account;

  od_account_store_load (store, &error);
  g_assert_no_error (error);
  account = od_account_store_lookup (store, id);

  return account ? g_object_ref (account) : NULL;
}

static gboolean
window_idle (gpointer user_data)
{
  return !od_window_get_busy (OD_WINDOW (user_data));
}

/* Clicks the account's row in the list, as a person would. */
static GtkWidget *
open_account_page (OdWindow *window)
{
  g_autoptr(GList) rows = od_ui_test_find_all (GTK_WIDGET (window), OD_TYPE_ACCOUNT_ROW);

  g_assert_cmpuint (g_list_length (rows), ==, 1);
  g_assert_true (gtk_list_box_row_get_activatable (rows->data));
  gtk_widget_activate (rows->data);
  od_ui_test_wait_page (window, "account");

  return od_ui_test_find (GTK_WIDGET (window), OD_TYPE_ACCOUNT_PAGE, NULL);
}

static void
test_account_page_edit (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autoptr(OdAccount) saved = NULL;
  g_autoptr(OdAccount) after = NULL;
  g_autofree char *password = NULL;
  guint16 port = od_fake_smtp_server_get_port (server);
  OdWindow *window;
  GtkWidget *page;
  GtkWidget *title;
  GtkWidget *result;
  GtkWidget *check_changes;
  GtkSpinButton *port_spin;

  /* Saved with the wrong port (nothing listens on port 1): the edit moves it. */
  g_clear_object (&saved);
  saved = od_ui_test_save_account ("ada", USER, NAME, 1, PASSWORD);

  window = od_ui_test_new_window (720, 640);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  page = open_account_page (window);

  /* The address is the title, the display name the subtitle. */
  title = od_ui_test_find (page, ADW_TYPE_WINDOW_TITLE, "window_title");
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (title)), ==, USER);
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)), ==, NAME);
  result = od_ui_test_find (page, ADW_TYPE_ACTION_ROW, "result_row");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (result)), ==,
                   "Not tested yet");
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (od_ui_test_find (page, ADW_TYPE_PREFERENCES_GROUP, "settings_group"))),
                            "From the provider database"));
  /* Its main action is in sight and takes Enter. */
  g_assert_true (od_ui_test_is_shown (od_ui_test_find (page, GTK_TYPE_BUTTON, "test_button")));
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window)) ==
                 od_ui_test_find (page, GTK_TYPE_BUTTON, "test_button"));
  od_ui_test_screenshot (GTK_WIDGET (window), "account-page");

  /* An edit shows the bar with *Check and Save*. */
  check_changes = od_ui_test_find (page, GTK_TYPE_BUTTON, "check_changes_button");
  g_assert_false (gtk_widget_get_visible (check_changes));
  port_spin = GTK_SPIN_BUTTON (od_ui_test_find (page, GTK_TYPE_SPIN_BUTTON, "port_spin"));
  gtk_spin_button_set_value (port_spin, port);
  g_assert_true (gtk_widget_get_visible (check_changes));
  g_assert_true (gtk_widget_is_sensitive (od_ui_test_find (page, GTK_TYPE_BUTTON, "check_changes_button")));
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window)) ==
                 od_ui_test_find (page, GTK_TYPE_BUTTON, "check_changes_button"));
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  od_ui_test_screenshot (GTK_WIDGET (window), "account-page-edited");

  /* Checked first, saved because it works, and back on the page. */
  od_ui_test_activate (GTK_WIDGET (window), "win.check-account-changes", NULL);
  od_ui_test_wait_page (window, "account");
  od_ui_test_wait (window_idle, window, "the check and the keyring");
  after = reload ("ada");
  g_assert_cmpuint (od_account_get_port (after), ==, port);
  g_assert_cmpstr (od_account_get_last_verdict (after), ==, "pass");
  g_assert_false (od_account_get_last_check_sent (after));
  /* The port is the user's now, not the provider database's. */
  g_assert_cmpstr (od_account_get_settings_source (after), ==, "manual");
  g_assert_cmpuint (od_fake_smtp_server_get_n_messages (server), ==, 0);
  /* The password is filed under the new port. */
  password = od_ui_test_lookup_password (after);
  g_assert_cmpstr (password, ==, PASSWORD);
  g_assert_false (gtk_widget_get_visible (check_changes));
  /* Honest: the login and the addresses were checked, no message was sent. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (result)), ==,
                   "Login and addresses accepted");
  od_ui_test_screenshot (GTK_WIDGET (window), "account-page-saved");

  /* A change that does not work is not saved. */
  od_ui_test_set_text (page, "host_row", "127.0.0.2");
  gtk_spin_button_set_value (port_spin, 1);
  od_ui_test_activate (GTK_WIDGET (window), "win.check-account-changes", NULL);
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait (window_idle, window, "the failing check");
  /* The page says the change was not saved, and offers no test message with it. */
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (od_ui_test_find (od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL), ADW_TYPE_WINDOW_TITLE, "window_title"))),
                   ==, "Changes Not Saved");
  g_assert_false (od_ui_test_is_shown (od_ui_test_find (GTK_WIDGET (window), ADW_TYPE_ACTION_ROW,
                                                        "send_test_row")));
  od_ui_test_screenshot (GTK_WIDGET (window), "account-edit-failed");
  g_clear_object (&after);
  after = reload ("ada");
  g_assert_cmpstr (od_account_get_host (after), ==, "127.0.0.1");
  g_assert_cmpuint (od_account_get_port (after), ==, port);
  g_assert_cmpstr (od_account_get_last_verdict (after), ==, "pass");

  /* Back on the page, the edit is still there to correct. */
  od_ui_test_activate (GTK_WIDGET (window), "win.back", NULL);
  od_ui_test_wait_page (window, "account");
  g_assert_true (gtk_widget_get_visible (check_changes));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (od_ui_test_find (page, ADW_TYPE_ENTRY_ROW, "host_row"))),
                   ==, "127.0.0.2");
  od_ui_test_activate (page, "account.discard", NULL);
  g_assert_false (gtk_widget_get_visible (check_changes));

  od_ui_test_remove_accounts (window);
  od_ui_test_close_window (window);
}

static void
test_account_page_certificate_and_remove (void)
{
  g_autoptr(OdAccount) saved = od_ui_test_save_account ("ada", USER, NAME, 465, PASSWORD);
  g_autoptr(OdAccountStore) store = od_account_store_new (NULL);
  g_autoptr(OdAccount) after = NULL;
  g_autoptr(OdAccount) pinned = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *password = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) certificate_rows = NULL;
  AdwMessageDialog *dialog;
  OdWindow *window;
  GtkWidget *page;
  GtkWidget *group;
  const char *subtitle;

  /* A certificate the user trusted for the account's server. */
  od_account_store_load (store, &error);
  g_assert_no_error (error);
  pinned = od_account_copy (od_account_store_lookup (store, "ada"));
  od_account_add_pinned_fingerprint (pinned, "127.0.0.1", 465, FINGERPRINT);
  od_account_set_last_check (pinned, "pass", NULL, now, TRUE);
  od_account_store_put (store, pinned, &error);
  g_assert_no_error (error);

  window = od_ui_test_new_window (720, 640);
  page = open_account_page (window);
  /* The last test sent a message: the page says so, with its date. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (od_ui_test_find (page, ADW_TYPE_ACTION_ROW, "result_row"))),
                   ==, "Test message sent");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (od_ui_test_find (page, ADW_TYPE_ACTION_ROW, "result_row"))),
                            "(just now)"));
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  od_ui_test_screenshot (GTK_WIDGET (window), "account");
  group = od_ui_test_find (page, ADW_TYPE_PREFERENCES_GROUP, "certificates_group");
  g_assert_true (gtk_widget_get_visible (group));
  certificate_rows = od_ui_test_find_all (od_ui_test_find (page, GTK_TYPE_LIST_BOX, "certificates_list"),
                                          ADW_TYPE_ACTION_ROW);
  g_assert_cmpuint (g_list_length (certificate_rows), ==, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (certificate_rows->data), ==,
                   "127.0.0.1, port 465");
  /* The whole fingerprint, breakable only between its bytes. */
  subtitle = adw_action_row_get_subtitle (certificate_rows->data);
  g_assert_true (g_str_has_prefix (subtitle, "AB:\u200bCD:\u200bEF:"));
  g_assert_true (g_str_has_suffix (subtitle, ":\u200b89"));
  g_assert_null (strstr (subtitle, "…"));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (od_ui_test_find (page, GTK_TYPE_SCROLLED_WINDOW, "scroller"))),
                            1000);
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  od_ui_test_screenshot (GTK_WIDGET (window), "account-page-certificate");

  /* Removed: the next check asks again. */
  od_ui_test_activate (GTK_WIDGET (window), "win.forget-certificate",
                       g_variant_new_string ("127.0.0.1:465"));
  after = reload ("ada");
  g_assert_null (od_account_dup_pinned_fingerprints (after, "127.0.0.1", 465));
  g_assert_false (gtk_widget_get_visible (group));

  /* *Remove Account…* asks first, and says the password goes too. */
  od_ui_test_activate (GTK_WIDGET (window), "win.remove-account", NULL);
  dialog = od_ui_test_wait_dialog (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Remove Account?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "removes its password from the "
                                                                   "keyring"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "remove"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  od_ui_test_screenshot (GTK_WIDGET (dialog), "account-remove-dialog");

  /* Cancel keeps everything. */
  od_ui_test_respond (dialog, "cancel");
  g_clear_object (&after);
  after = reload ("ada");
  g_assert_nonnull (after);

  od_ui_test_activate (GTK_WIDGET (window), "win.remove-account", NULL);
  dialog = od_ui_test_wait_dialog (ADW_TYPE_MESSAGE_DIALOG);
  od_ui_test_respond (dialog, "remove");
  od_ui_test_wait_page (window, "welcome");
  g_clear_object (&after);
  after = reload ("ada");
  g_assert_null (after);
  password = od_ui_test_lookup_password (saved);
  g_assert_null (password);
  g_assert_null (od_ui_test_find_all (GTK_WIDGET (window), OD_TYPE_ACCOUNT_ROW));

  od_ui_test_close_window (window);
}

/* The remedy of Microsoft's "SmtpClientAuthentication is disabled" is the administrator's:
 * no *Re-enter Password*. A wrong password gets one. */
static GtkWidget *
auth_row (OdWindow *window)
{
  GtkWidget *check_page = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL);
  g_autoptr(GList) rows = od_ui_test_find_all (GTK_WIDGET (od_check_page_get_list (OD_CHECK_PAGE (check_page))),
                                               OD_TYPE_CHECKLIST_ROW);

  for (GList *l = rows; l != NULL; l = l->next)
    if (g_str_equal (od_check_step_get_id (od_checklist_row_get_step (l->data)), "auth"))
      return l->data;

  g_assert_not_reached ();
}

static void
test_fix_buttons_follow_catalog (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autoptr(OdAccount) saved = NULL;
  GtkAdjustment *scroll;
  OdWindow *window;
  GtkWidget *row;

  od_fake_smtp_server_set_reply (server, "AUTH",
                                 "535 5.7.139 Authentication unsuccessful, "
                                 "SmtpClientAuthentication is disabled for the Tenant.");
  saved = od_ui_test_save_account ("ada", USER, NAME, od_fake_smtp_server_get_port (server),
                                   PASSWORD);

  window = od_ui_test_new_window (720, 640);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  od_ui_test_activate (GTK_WIDGET (window), "win.test-sending", g_variant_new_string ("ada"));
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait (window_idle, window, "the check");
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);

  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (od_ui_test_find (od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL), ADW_TYPE_WINDOW_TITLE, "window_title"))),
                   ==, "Test Results");
  row = auth_row (window);
  g_assert_cmpint (od_check_step_get_state (od_checklist_row_get_step (OD_CHECKLIST_ROW (row))),
                   ==, OD_STEP_STATE_FAIL);
  g_assert_cmpstr (od_problem_get_id (od_check_step_get_problem (od_checklist_row_get_step (OD_CHECKLIST_ROW (row)))),
                   ==, "auth-smtp-disabled");
  g_assert_false (od_ui_test_is_shown (od_ui_test_find (row, GTK_TYPE_BUTTON, "password_button")));
  /* No other port was seen to work: no *Use Port … Instead*. */
  g_assert_false (od_ui_test_is_shown (od_ui_test_find (row, GTK_TYPE_BUTTON, "port_button")));
  od_ui_test_screenshot (GTK_WIDGET (window), "fix-auth-smtp-disabled");

  /* Read to the bottom, then checked again: the new check is shown from its top. */
  scroll = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (od_ui_test_find (od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL), GTK_TYPE_SCROLLED_WINDOW, "scroller")));
  gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll));
  g_assert_cmpfloat (gtk_adjustment_get_value (scroll), >, 0);

  /* A password the server refuses: *Re-enter Password* is the fix. */
  od_fake_smtp_server_set_reply (server, "AUTH", NULL);
  od_fake_smtp_server_set_credentials (server, USER, "another password");
  od_ui_test_activate (GTK_WIDGET (window), "win.try-again", NULL);
  g_assert_cmpfloat (gtk_adjustment_get_value (scroll), ==, 0);
  od_ui_test_wait (window_idle, window, "the second check");
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  row = auth_row (window);
  g_assert_cmpstr (od_problem_get_id (od_check_step_get_problem (od_checklist_row_get_step (OD_CHECKLIST_ROW (row)))),
                   ==, "auth-failed");
  g_assert_true (od_ui_test_is_shown (od_ui_test_find (row, GTK_TYPE_BUTTON, "password_button")));

  od_ui_test_remove_accounts (window);
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

  g_test_add_func ("/od/ui/account/edit", test_account_page_edit);
  g_test_add_func ("/od/ui/account/certificate-and-remove",
                   test_account_page_certificate_and_remove);
  g_test_add_func ("/od/ui/account/fix-buttons", test_fix_buttons_follow_catalog);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
