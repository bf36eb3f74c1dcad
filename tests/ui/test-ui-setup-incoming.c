/* test-ui-setup-incoming.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Setting up an account with an incoming server, in the real window against the fake SMTP
 * and IMAP servers: after the checklist of sending, the incoming server's row says whether
 * its login and inbox work. When they do, *Save Account* keeps both servers and files the
 * password once more under the incoming server; when they do not, the page says "Sending
 * works, receiving does not", *Check Again* is the main action and *Save Without Incoming
 * Mail* saves the account for sending only. Screenshots: setup-incoming-pass,
 * setup-incoming-failed, setup-incoming-done-sending-only. */

#include "config.h"

#include <string.h>

#include "od-check-page.h"
#include "od-fake-imap-server.h"
#include "od-fake-smtp-server.h"
#include "od-secret-store.h"
#include "od-setup-controller.h"
#include "od-test-certs.h"
#include "od-ui-test.h"
#include "od-window-private.h"

#define USER     "user@example.org"
#define PASSWORD "Tr0ub4dor&3 horse"

static OdTestCerts *certs;

typedef struct
{
  OdFakeSmtpServer *smtp;
  OdFakeImapServer *imap;
  OdWindow         *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *imap_password = data;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);

  f->smtp = od_fake_smtp_server_new ();
  od_fake_smtp_server_set_certificate (f->smtp, cert);
  od_fake_smtp_server_set_implicit_tls (f->smtp, TRUE);
  od_fake_smtp_server_set_credentials (f->smtp, USER, PASSWORD);
  od_fake_smtp_server_set_require_auth (f->smtp, TRUE);
  g_assert_true (od_fake_smtp_server_start (f->smtp, &error));
  g_assert_no_error (error);

  f->imap = od_fake_imap_server_new ();
  od_fake_imap_server_set_certificate (f->imap, cert);
  od_fake_imap_server_set_implicit_tls (f->imap, TRUE);
  od_fake_imap_server_set_credentials (f->imap, USER, imap_password);
  g_assert_true (od_fake_imap_server_start (f->imap, &error));
  g_assert_no_error (error);

  f->window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (f->window, od_test_certs_get_ca_file (certs));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  od_ui_test_remove_accounts (f->window);
  od_ui_test_close_window (f->window);
  g_clear_object (&f->imap);
  g_clear_object (&f->smtp);
}

/* The details, then the manual settings of the fake SMTP server; the incoming server is
 * the one a detection would have found, given to the setup directly. */
static void
fill_in (Fixture *f)
{
  GtkWidget *details, *review;
  OdSetup *setup;

  od_ui_test_activate (GTK_WIDGET (f->window), "win.add-account", NULL);
  od_ui_test_wait_page (f->window, "details");
  details = od_ui_test_find (GTK_WIDGET (f->window), g_type_from_name ("OdDetailsPage"), NULL);
  od_ui_test_set_text (details, "name_row", "Ada Lovelace");
  od_ui_test_set_text (details, "address_row", USER);
  od_ui_test_set_text (details, "password_row", PASSWORD);

  od_ui_test_activate (GTK_WIDGET (f->window), "win.set-up-manually", NULL);
  od_ui_test_wait_page (f->window, "review");
  review = od_ui_test_find (GTK_WIDGET (f->window), g_type_from_name ("OdReviewPage"), NULL);
  od_ui_test_set_text (review, "host_row", "127.0.0.1");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (od_ui_test_find (review, GTK_TYPE_SPIN_BUTTON,
                                                               "port_spin")),
                             od_fake_smtp_server_get_port (f->smtp));
  adw_combo_row_set_selected (ADW_COMBO_ROW (od_ui_test_find (review, ADW_TYPE_COMBO_ROW,
                                                              "security_row")), 0);
  od_ui_test_set_text (review, "username_row", USER);

  setup = od_setup_controller_get_setup (f->window->setup);
  g_assert_nonnull (setup);
  od_setup_set_incoming (setup, OD_PROTOCOL_IMAP, "localhost",
                         od_fake_imap_server_get_port (f->imap), OD_SECURITY_TLS, NULL,
                         "autoconfig");
}

static void
run_check (Fixture *f)
{
  GtkWidget *check_page = od_ui_test_find (GTK_WIDGET (f->window), OD_TYPE_CHECK_PAGE, NULL);

  od_check_page_set_send_test (OD_CHECK_PAGE (check_page), FALSE);
  od_ui_test_activate (GTK_WIDGET (f->window), "win.start-check", NULL);
  od_ui_test_wait_page (f->window, "check");
  od_ui_test_wait_idle (f->window);
  od_ui_test_wait_frames (GTK_WIDGET (f->window), 20);
}

static GtkWidget *
find_on_check_page (Fixture    *f,
                    GType       type,
                    const char *id)
{
  GtkWidget *check_page = od_ui_test_find (GTK_WIDGET (f->window), OD_TYPE_CHECK_PAGE, NULL);

  return od_ui_test_find (check_page, type, id);
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

/* The keyring item of the account's incoming server, looked up as any client would. */
static char *
incoming_password (OdAccount *account)
{
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  Lookup lookup = { NULL, NULL, FALSE };

  od_secret_store_lookup_async (secrets, od_account_get_id (account), "imap", "localhost",
                                od_account_get_incoming_port (account), USER, NULL, lookup_cb,
                                &lookup);
  od_ui_test_wait (lookup_done, &lookup, "the keyring lookup");
  g_assert_no_error (lookup.error);

  return lookup.password;
}

static OdAccount *
saved_account (Fixture *f)
{
  OdAccountStore *store = od_window_get_account_store (f->window);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  return g_list_model_get_item (G_LIST_MODEL (store), 0);
}

static void
test_incoming_works (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *row, *save_button;
  g_autoptr(OdAccount) account = NULL;
  g_autofree char *password = NULL;

  fill_in (f);
  run_check (f);

  row = find_on_check_page (f, ADW_TYPE_ACTION_ROW, "incoming_row");
  g_assert_true (od_ui_test_is_shown (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Incoming Server (IMAP)");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "Your login works and the inbox opens."));
  od_ui_test_assert_light (GTK_IMAGE (find_on_check_page (f, GTK_TYPE_IMAGE, "incoming_light")),
                           "emblem-ok-symbolic", "success", "Incoming server: Passed");
  od_ui_test_screenshot (GTK_WIDGET (f->window), "setup-incoming-pass");

  save_button = find_on_check_page (f, GTK_TYPE_BUTTON, "save_button");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (save_button)), ==, "_Save Account");
  g_assert_true (gtk_widget_has_css_class (save_button, "suggested-action"));
  g_assert_false (od_ui_test_is_shown (find_on_check_page (f, GTK_TYPE_BUTTON, "again_button")));
  g_signal_emit_by_name (save_button, "clicked");
  od_ui_test_wait_page (f->window, "done");

  account = saved_account (f);
  g_assert_cmpstr (od_account_get_incoming_protocol (account), ==, "imap");
  g_assert_cmpstr (od_account_get_incoming_host (account), ==, "localhost");
  g_assert_cmpuint (od_account_get_incoming_port (account), ==,
                    od_fake_imap_server_get_port (f->imap));
  password = incoming_password (account);
  g_assert_cmpstr (password, ==, PASSWORD);
}

static void
test_incoming_fails (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *row, *save_button, *again_button, *title, *done;
  g_autoptr(OdAccount) account = NULL;

  fill_in (f);
  run_check (f);

  /* Sending passed, every row of it green; the incoming row is red with the reason. */
  row = find_on_check_page (f, ADW_TYPE_ACTION_ROW, "incoming_row");
  g_assert_true (od_ui_test_is_shown (row));
  od_ui_test_assert_light (GTK_IMAGE (find_on_check_page (f, GTK_TYPE_IMAGE, "incoming_light")),
                           "dialog-error-symbolic", "error", "Incoming server: Failed");
  title = find_on_check_page (f, GTK_TYPE_LABEL, "verdict_title");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (title)), ==,
                   "Sending works, receiving does not");

  save_button = find_on_check_page (f, GTK_TYPE_BUTTON, "save_button");
  again_button = find_on_check_page (f, GTK_TYPE_BUTTON, "again_button");
  g_assert_true (od_ui_test_is_shown (save_button));
  g_assert_true (od_ui_test_is_shown (again_button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (save_button)), ==,
                   "Save _Without Incoming Mail");
  g_assert_false (gtk_widget_has_css_class (save_button, "suggested-action"));
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (f->window)) == again_button);
  od_ui_test_screenshot (GTK_WIDGET (f->window), "setup-incoming-failed");

  g_signal_emit_by_name (save_button, "clicked");
  od_ui_test_wait_page (f->window, "done");
  done = od_ui_test_find (GTK_WIDGET (f->window), ADW_TYPE_STATUS_PAGE, "done_page");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (done)),
                            "saved for sending only"));
  od_ui_test_screenshot (GTK_WIDGET (f->window), "setup-incoming-done-sending-only");

  account = saved_account (f);
  g_assert_cmpstr (od_account_get_host (account), ==, "127.0.0.1");
  g_assert_null (od_account_get_incoming_host (account));
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

  g_test_add ("/od/ui/setup-incoming/works", Fixture, PASSWORD, fixture_set_up,
              test_incoming_works, fixture_tear_down);
  g_test_add ("/od/ui/setup-incoming/fails", Fixture, "another password", fixture_set_up,
              test_incoming_fails, fixture_tear_down);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
