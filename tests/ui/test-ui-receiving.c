/* test-ui-receiving.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* *Test Receiving*: on the page of a saved account that knows its incoming server, the
 * button beside *Test Sending* runs the incoming checklist (network, name lookup,
 * connection, encryption, greeting, capabilities, login, mailbox) against our fake IMAP
 * server, with the step titles of receiving and the message count. The account was saved
 * with only its outgoing password, as accounts were before incoming keyring items: that
 * password is used. A wrong one gives auth-failed on the login step. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "od-account-page.h"
#include "od-account-row.h"
#include "od-account-store.h"
#include "od-check-page.h"
#include "od-checklist-row.h"
#include "od-fake-imap-server.h"
#include "od-secret-store.h"
#include "od-test-certs.h"
#include "od-ui-test.h"

#define USER     "user@example.org"
#define PASSWORD "Tr0ub4dor&3 horse"

static OdTestCerts *certs;

typedef struct
{
  GError   *error;
  gboolean  done;
} KeyringOp;

static gboolean
keyring_op_done (gpointer user_data)
{
  return ((KeyringOp *)user_data)->done;
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  KeyringOp *op = user_data;

  od_secret_store_store_finish (OD_SECRET_STORE (object), result, &op->error);
  op->done = TRUE;
}

static gboolean
window_idle (gpointer user_data)
{
  return !od_window_get_busy (OD_WINDOW (user_data));
}

static OdFakeImapServer *
start_imap (const char *password)
{
  g_autoptr(OdFakeImapServer) server = od_fake_imap_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);
  od_fake_imap_server_set_certificate (server, cert);
  od_fake_imap_server_set_implicit_tls (server, TRUE);
  od_fake_imap_server_set_credentials (server, USER, password);
  g_assert_true (od_fake_imap_server_start (server, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&server);
}

/* An account with an outgoing server (never contacted here) and an incoming IMAP server on
 * @imap_port; only the outgoing password is in the keyring. */
static void
save_account (guint16 imap_port)
{
  g_autoptr(OdAccountStore) store = od_account_store_new (NULL);
  g_autoptr(OdAccount) account = od_account_new ("ada", USER);
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  g_autoptr(GError) error = NULL;
  KeyringOp op = { NULL, FALSE };

  od_account_store_load (store, &error);
  g_assert_no_error (error);

  od_account_set_display_name (account, "Ada Lovelace");
  od_account_set_host (account, "127.0.0.1");
  od_account_set_port (account, 465);
  od_account_set_security (account, OD_SECURITY_TLS);
  od_account_set_username (account, USER);
  od_account_set_settings_source (account, "manual");
  od_account_set_incoming (account, "imap", "127.0.0.1", imap_port, OD_SECURITY_TLS, USER);
  od_account_store_put (store, account, &error);
  g_assert_no_error (error);

  od_secret_store_store_async (secrets, "ada", OD_ACCOUNT_PROTOCOL_SMTP, "127.0.0.1", 465, USER,
                               PASSWORD, NULL, store_cb, &op);
  od_ui_test_wait (keyring_op_done, &op, "the keyring");
  g_assert_no_error (op.error);
}

static GtkWidget *
open_account_page (OdWindow *window)
{
  g_autoptr(GList) rows = od_ui_test_find_all (GTK_WIDGET (window), OD_TYPE_ACCOUNT_ROW);

  g_assert_cmpuint (g_list_length (rows), ==, 1);
  gtk_widget_activate (rows->data);
  od_ui_test_wait_page (window, "account");

  return od_ui_test_find (GTK_WIDGET (window), OD_TYPE_ACCOUNT_PAGE, NULL);
}

/* The rows of the check page, scoped to it: od_ui_test_find() returns the first match in
 * tree order. */
static GList *
checklist_rows (OdWindow *window)
{
  GtkWidget *check_page = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL);
  GtkListBox *list = od_check_page_get_list (OD_CHECK_PAGE (check_page));

  return od_ui_test_find_all (GTK_WIDGET (list), OD_TYPE_CHECKLIST_ROW);
}

static void
press_test_receiving (OdWindow *window)
{
  GtkWidget *page = open_account_page (window);
  GtkWidget *receive_button = od_ui_test_find (page, GTK_TYPE_BUTTON, "receive_button");
  GtkWidget *test_button = od_ui_test_find (page, GTK_TYPE_BUTTON, "test_button");

  /* Beside *Test Sending*, in the same bar. */
  g_assert_true (od_ui_test_is_shown (receive_button));
  g_assert_true (od_ui_test_is_shown (test_button));
  g_assert_true (gtk_widget_get_parent (receive_button) == gtk_widget_get_parent (test_button));
  gtk_test_accessible_assert_property (receive_button, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Test receiving for " USER);
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  od_ui_test_screenshot (GTK_WIDGET (window), "account-test-receiving");

  g_signal_emit_by_name (receive_button, "clicked");
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait (window_idle, window, "the incoming check");
  od_ui_test_wait_frames (GTK_WIDGET (window), 20);
}

static void
test_receiving_green (void)
{
  static const char * const titles[] = { "Network connection", "Server name lookup",
                                         "Connection to the server",
                                         "Encryption and certificate", "Server greeting",
                                         "Server capabilities", "Login", "Mailbox" };
  g_autoptr(OdFakeImapServer) server = start_imap (PASSWORD);
  g_autoptr(GList) rows = NULL;
  g_autofree char *report = NULL;
  OdWindow *window;
  GtkWidget *check_page;
  GList *l;
  guint i = 0;

  save_account (od_fake_imap_server_get_port (server));
  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));

  press_test_receiving (window);

  rows = checklist_rows (window);
  g_assert_cmpuint (g_list_length (rows), ==, G_N_ELEMENTS (titles));
  for (l = rows; l != NULL; l = l->next, i++)
    {
      OdCheckStep *step = od_checklist_row_get_step (l->data);
      g_autofree char *label = g_strdup_printf ("%s: Passed", titles[i]);

      g_assert_cmpstr (od_check_step_get_title (step), ==, titles[i]);
      if (od_check_step_get_state (step) != OD_STEP_STATE_PASS)
        g_error ("The step %s is %s: %s", od_check_step_get_id (step),
                 od_step_state_to_string (od_check_step_get_state (step)),
                 od_check_step_get_detail (step));
      od_ui_test_assert_light (od_checklist_row_get_light (l->data), "emblem-ok-symbolic",
                               "success", label);
    }
  g_assert_nonnull (strstr (od_check_step_get_detail (od_checklist_row_get_step (
                                g_list_last (rows)->data)), "3 messages"));

  /* Nothing to send here: no switch for a test message; the verdict speaks of receiving. */
  check_page = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL);
  g_assert_false (od_ui_test_is_shown (od_ui_test_find (check_page, ADW_TYPE_ACTION_ROW,
                                                        "send_test_row")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (od_ui_test_find (check_page, GTK_TYPE_LABEL,
                                                                   "verdict_title"))),
                   ==, "Receiving works");
  od_ui_test_screenshot (GTK_WIDGET (window), "test-receiving");

  /* The copied report says what was checked, and holds no password. */
  od_ui_test_activate (GTK_WIDGET (window), "win.copy-report", NULL);
  report = od_ui_test_read_clipboard (GTK_WIDGET (window));
  g_assert_nonnull (report);
  g_assert_nonnull (strstr (report, "Incoming server protocol: IMAP\n"));
  g_assert_nonnull (strstr (report, "[Passed] Mailbox: The inbox holds 3 messages."));
  g_assert_nonnull (strstr (report, "AUTHENTICATE PLAIN ********"));
  g_assert_null (strstr (report, PASSWORD));

  od_ui_test_remove_accounts (window);
  od_ui_test_close_window (window);
}

/* The server refuses the password: auth-failed on the login step, the later steps not
 * checked. */
static void
test_receiving_wrong_password (void)
{
  g_autoptr(OdFakeImapServer) server = start_imap ("another password");
  g_autoptr(GList) rows = NULL;
  OdWindow *window;
  OdCheckStep *auth = NULL;
  OdCheckStep *mailbox = NULL;

  save_account (od_fake_imap_server_get_port (server));
  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));

  press_test_receiving (window);

  rows = checklist_rows (window);
  for (GList *l = rows; l != NULL; l = l->next)
    {
      OdCheckStep *step = od_checklist_row_get_step (l->data);

      if (g_str_equal (od_check_step_get_id (step), "auth"))
        auth = step;
      else if (g_str_equal (od_check_step_get_id (step), "mailbox"))
        mailbox = step;
    }
  g_assert_nonnull (auth);
  g_assert_nonnull (mailbox);
  g_assert_cmpint (od_check_step_get_state (auth), ==, OD_STEP_STATE_FAIL);
  g_assert_cmpstr (od_problem_get_id (od_check_step_get_problem (auth)), ==, "auth-failed");
  g_assert_cmpint (od_check_step_get_state (mailbox), ==, OD_STEP_STATE_SKIP);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (od_ui_test_find (
                     od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL),
                     GTK_TYPE_LABEL, "verdict_title"))),
                   ==, "Mail cannot be received");
  od_ui_test_screenshot (GTK_WIDGET (window), "test-receiving-wrong-password");

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

  g_test_add_func ("/od/ui/receiving/green", test_receiving_green);
  g_test_add_func ("/od/ui/receiving/wrong-password", test_receiving_wrong_password);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
