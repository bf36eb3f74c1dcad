/* test-ui-no-keyring.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A session without any keyring (run-ui-test.sh --no-keyring: a bus on which no secret
 * service runs or can be started). Saving says so plainly and offers to save the account
 * without its password; it never writes the password anywhere else. Testing sending later
 * asks for the password. */

#include "config.h"

#include <string.h>

#include "od-fake-smtp-server.h"
#include "od-test-certs.h"
#include "od-ui-test.h"

#define USER     "user@example.org"
#define PASSWORD "Tr0ub4dor&3 horse"

static OdTestCerts *certs;

static void
test_save_without_keyring (void)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OdAccount) account = NULL;
  g_autofree char *accounts_file = NULL;
  g_autofree char *contents = NULL;
  OdWindow *window;
  OdAccountStore *store;
  AdwMessageDialog *dialog;
  GtkWidget *details;
  GtkWidget *review;
  GtkWidget *done_page;

  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);
  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_implicit_tls (server, TRUE);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);
  g_assert_true (od_fake_smtp_server_start (server, &error));

  window = od_ui_test_new_window (720, 760);
  store = od_window_get_account_store (window);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));

  od_ui_test_activate (GTK_WIDGET (window), "win.add-account", NULL);
  od_ui_test_wait_page (window, "details");
  details = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdDetailsPage"), NULL);
  od_ui_test_set_text (details, "address_row", USER);
  od_ui_test_set_text (details, "password_row", PASSWORD);

  od_ui_test_activate (GTK_WIDGET (window), "win.set-up-manually", NULL);
  od_ui_test_wait_page (window, "review");
  review = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdReviewPage"), NULL);
  od_ui_test_set_text (review, "host_row", "127.0.0.1");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (od_ui_test_find (review, GTK_TYPE_SPIN_BUTTON,
                                                               "port_spin")),
                             od_fake_smtp_server_get_port (server));
  adw_combo_row_set_selected (ADW_COMBO_ROW (od_ui_test_find (review, ADW_TYPE_COMBO_ROW,
                                                              "security_row")), 0);

  od_ui_test_activate (GTK_WIDGET (window), "win.start-check", NULL);
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);

  od_ui_test_activate (GTK_WIDGET (window), "win.save-account", NULL);
  dialog = od_ui_test_wait_dialog (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save Without the Password?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "No keyring is available"));
  od_ui_test_screenshot (GTK_WIDGET (dialog), "no-keyring");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  od_ui_test_respond (dialog, "save");
  od_ui_test_wait_page (window, "done");
  done_page = od_ui_test_find (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, "done_page");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (done_page)),
                            "The password was not saved"));
  od_ui_test_screenshot (GTK_WIDGET (window), "done-no-keyring");

  /* The account is saved; its password went nowhere. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  account = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_cmpstr (od_account_get_address (account), ==, USER);
  accounts_file = od_account_store_get_default_path ();
  g_assert_true (g_file_get_contents (accounts_file, &contents, NULL, NULL));
  g_assert_null (strstr (contents, PASSWORD));

  /* Testing sending now asks for the password, and says why. */
  od_ui_test_activate (GTK_WIDGET (window), "win.test-sending",
                       g_variant_new_string (od_account_get_id (account)));
  dialog = od_ui_test_wait_dialog (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "could not be read"));
  od_ui_test_respond (dialog, "cancel");
  od_ui_test_wait_page (window, "welcome");

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

  g_test_add_func ("/od/ui/no-keyring/save", test_save_without_keyring);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
