/* test-ui-troubleshoot.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Scenario 4: mail is stuck, the user opens Outbox Doctor and presses *Test Sending* on a
 * saved account. The full checklist runs with a real test message, and *Copy Report* puts
 * a plain-text report on the clipboard that is read back and must not contain the
 * password. Also: the desktop file's *Test Sending* (app.test-sending), and an account
 * whose password is not in the keyring. */

#include "config.h"

#include <string.h>

#include <unistd.h>

#include <glib/gstdio.h>

#include "od-account-row.h"
#include "od-account-store.h"
#include "od-check-page.h"
#include "od-checklist-row.h"
#include "od-fake-smtp-server.h"
#include "od-secret-store.h"
#include "od-test-certs.h"
#include "od-tls-info.h"
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

typedef struct
{
  GError   *error;
  char     *password;
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

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  KeyringOp *op = user_data;

  op->password = od_secret_store_lookup_finish (OD_SECRET_STORE (object), result, &op->error);
  op->done = TRUE;
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  KeyringOp *op = user_data;

  od_secret_store_clear_finish (OD_SECRET_STORE (object), result, &op->error);
  op->done = TRUE;
}

/* An account saved the way the app saves one: in the key file, its password in the keyring
 * when @password is not NULL. */
static void
save_account (const char *id,
              guint16     port,
              const char *password)
{
  g_autoptr(OdAccountStore) store = od_account_store_new (NULL);
  g_autoptr(OdAccount) account = od_account_new (id, USER);
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  g_autoptr(GError) error = NULL;
  KeyringOp op = { NULL, NULL, FALSE };

  od_account_store_load (store, &error);
  g_assert_no_error (error);

  od_account_set_display_name (account, "Ada Lovelace");
  od_account_set_host (account, "127.0.0.1");
  od_account_set_port (account, port);
  od_account_set_security (account, OD_SECURITY_TLS);
  od_account_set_username (account, USER);
  od_account_set_settings_source (account, "manual");
  od_account_store_put (store, account, &error);
  g_assert_no_error (error);

  if (password != NULL)
    od_secret_store_store_async (secrets, id, OD_ACCOUNT_PROTOCOL_SMTP, "127.0.0.1", port, USER,
                                 password, NULL, store_cb, &op);
  else
    od_secret_store_clear_async (secrets, id, NULL, clear_cb, &op);
  od_ui_test_wait (keyring_op_done, &op, "the keyring");
  g_assert_no_error (op.error);
}

static void
forget_accounts (void)
{
  g_autofree char *path = od_account_store_get_default_path ();

  g_remove (path);
}

static void
assert_all_green_and_sent (OdWindow *window)
{
  GtkWidget *check_page = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL);
  GtkListBox *list = od_check_page_get_list (OD_CHECK_PAGE (check_page));
  g_autoptr(GList) rows = od_ui_test_find_all (GTK_WIDGET (list), OD_TYPE_CHECKLIST_ROW);

  g_assert_cmpuint (g_list_length (rows), ==, 10);
  for (GList *l = rows; l != NULL; l = l->next)
    {
      OdCheckStep *step = od_checklist_row_get_step (l->data);
      g_autofree char *label = g_strdup_printf ("%s: Passed", od_check_step_get_title (step));

      if (od_check_step_get_state (step) != OD_STEP_STATE_PASS)
        g_error ("The step %s is %s: %s", od_check_step_get_id (step),
                 od_step_state_to_string (od_check_step_get_state (step)),
                 od_check_step_get_detail (step));
      od_ui_test_assert_light (od_checklist_row_get_light (l->data), "emblem-ok-symbolic",
                               "success", label);
    }
}

static void
assert_no_secret (const char *text)
{
  g_autofree char *b64 = g_base64_encode ((const guchar *)PASSWORD, strlen (PASSWORD));
  g_autofree char *blob = g_strdup_printf ("%c%s%c%s", 0, USER, 0, PASSWORD);
  g_autofree char *blob_b64 = g_base64_encode ((const guchar *)blob,
                                               2 + strlen (USER) + strlen (PASSWORD));

  g_assert_null (strstr (text, PASSWORD));
  g_assert_null (strstr (text, b64));
  g_assert_null (strstr (text, blob_b64));
}

/* Keeps the report where the suite's secret scan (tests/check-no-secrets.sh) reads it too. */
static void
save_report (const char *text)
{
  g_autofree char *path = g_build_filename (od_ui_test_output_dir (), "report.txt", NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (od_ui_test_output_dir (), 0755);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
test_troubleshoot_copy_report (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autoptr(OdAccountStore) reloaded = od_account_store_new (NULL);
  g_autoptr(GList) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  OdWindow *window;
  OdAccount *account;
  GtkWidget *test_button;
  GtkWidget *more_button;

  save_account ("ada", od_fake_smtp_server_get_port (server), PASSWORD);

  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));

  /* The account list, with one row not tested yet and its *Test Sending* button. */
  g_assert_cmpstr (od_window_get_visible_page (window), ==, "welcome");
  rows = od_ui_test_find_all (GTK_WIDGET (window), OD_TYPE_ACCOUNT_ROW);
  g_assert_cmpuint (g_list_length (rows), ==, 1);
  od_ui_test_assert_light (od_account_row_get_light (rows->data), "content-loading-symbolic",
                           "dim-label", "Not tested yet");
  test_button = od_ui_test_find (rows->data, GTK_TYPE_BUTTON, "test_button");
  g_assert_true (od_ui_test_is_shown (test_button));
  gtk_test_accessible_assert_property (test_button, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Test sending from " USER);

  g_signal_emit_by_name (test_button, "clicked");
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  od_ui_test_wait_frames (GTK_WIDGET (window), 20);

  /* The full check, with a real message. */
  assert_all_green_and_sent (window);
  g_assert_cmpuint (od_fake_smtp_server_get_n_messages (server), ==, 1);
  g_assert_false (od_ui_test_is_shown (od_ui_test_find (GTK_WIDGET (window), GTK_TYPE_BUTTON,
                                                        "save_button")));
  od_ui_test_screenshot (GTK_WIDGET (window), "troubleshoot");

  /* The main action in the bar at the bottom, *Copy Report* in the menu beside it. */
  g_assert_true (od_ui_test_is_shown (od_ui_test_find (GTK_WIDGET (window), GTK_TYPE_BUTTON,
                                                       "again_button")));
  more_button = od_ui_test_find (od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL),
                                 GTK_TYPE_MENU_BUTTON, "more_button");
  g_assert_true (od_ui_test_is_shown (more_button));
  od_ui_test_activate (GTK_WIDGET (window), "win.copy-report", NULL);
  report = od_ui_test_read_clipboard (GTK_WIDGET (window));
  g_assert_nonnull (report);
  save_report (report);

  g_assert_true (g_str_has_prefix (report, "Outbox Doctor " PACKAGE_VERSION "\n"));
  g_assert_nonnull (strstr (report, "Address: " USER));
  g_assert_nonnull (strstr (report, "Result: Passed\n"));
  g_assert_nonnull (strstr (report, "[Passed] Login: "));
  g_assert_nonnull (strstr (report, "[Passed] Test message: "));
  g_assert_nonnull (strstr (report, "Transcript (passwords removed):"));
  g_assert_nonnull (strstr (report, "AUTH PLAIN"));
  assert_no_secret (report);

  /* The result is remembered with the account. */
  od_account_store_load (reloaded, &error);
  g_assert_no_error (error);
  account = od_account_store_lookup (reloaded, "ada");
  g_assert_nonnull (account);
  g_assert_cmpstr (od_account_get_last_verdict (account), ==, "pass");
  g_assert_nonnull (od_account_get_last_check_time (account));

  od_ui_test_activate (GTK_WIDGET (window), "win.back", NULL);
  od_ui_test_wait_page (window, "welcome");
  g_clear_pointer (&rows, g_list_free);
  rows = od_ui_test_find_all (GTK_WIDGET (window), OD_TYPE_ACCOUNT_ROW);
  od_ui_test_assert_light (od_account_row_get_light (rows->data), "emblem-ok-symbolic",
                           "success", "Test message sent");

  od_ui_test_close_window (window);

  /* A second account whose last test failed three hours ago shows up with its red light,
   * in a window opened afresh (without the toast of the report). */
  {
    g_autoptr(OdAccount) work = od_account_new ("work", "ada@work.example");
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) earlier = g_date_time_add_hours (now, -3);
    g_autoptr(GList) both = NULL;

    od_account_set_display_name (work, "Ada at work");
    od_account_set_host (work, "smtp.work.example");
    od_account_set_port (work, 587);
    od_account_set_security (work, OD_SECURITY_STARTTLS);
    od_account_set_username (work, "ada@work.example");
    od_account_set_last_check (work, "fail", "auth-failed", earlier, FALSE);
    od_account_store_put (reloaded, work, &error);
    g_assert_no_error (error);

    window = od_ui_test_new_window (720, 600);
    both = od_ui_test_find_all (GTK_WIDGET (window), OD_TYPE_ACCOUNT_ROW);
    g_assert_cmpuint (g_list_length (both), ==, 2);
    od_ui_test_assert_light (od_account_row_get_light (both->data), "emblem-ok-symbolic",
                             "success", "Test message sent");
    od_ui_test_assert_light (od_account_row_get_light (both->next->data), "dialog-error-symbolic",
                             "error", "Sending failed");
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (both->next->data), "3 hours ago"));
    od_ui_test_screenshot (GTK_WIDGET (window), "welcome-accounts");
  }

  od_ui_test_close_window (window);
  forget_accounts ();
}

static gboolean
server_got_auth (OdFakeSmtpServer *server)
{
  GPtrArray *commands = od_fake_smtp_server_get_commands (server);

  for (guint i = 0; i < commands->len; i++)
    if (g_ascii_strncasecmp (g_ptr_array_index (commands, i), "AUTH", 4) == 0)
      return TRUE;

  return FALSE;
}

/* An account whose server an SRV record named outside its domain, saved before such
 * servers needed a confirmation: *Test Sending* stops before the login, the step offers
 * *Confirm Server…*, and once confirmed the test logs in and the account keeps the
 * confirmation. */
static void
test_troubleshoot_confirm_server (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autoptr(OdAccountStore) store = od_account_store_new (NULL);
  g_autoptr(OdAccount) legacy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) rows = NULL;
  g_autoptr(GList) steps = NULL;
  guint16 port = od_fake_smtp_server_get_port (server);
  AdwMessageDialog *dialog;
  GtkWidget *check_page;
  OdCheck *check;
  OdWindow *window;

  save_account ("ada", port, PASSWORD);
  od_account_store_load (store, &error);
  g_assert_no_error (error);
  legacy = od_account_copy (od_account_store_lookup (store, "ada"));
  od_account_set_settings_source (legacy, "srv");
  g_assert_true (od_account_store_put (store, legacy, &error));
  g_assert_no_error (error);

  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  rows = od_ui_test_find_all (GTK_WIDGET (window), OD_TYPE_ACCOUNT_ROW);
  g_signal_emit_by_name (od_ui_test_find (rows->data, GTK_TYPE_BUTTON, "test_button"), "clicked");
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);

  check_page = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL);
  check = od_check_page_get_check (OD_CHECK_PAGE (check_page));
  g_assert_cmpstr (od_problem_get_id (od_checklist_get_main_problem (od_check_get_checklist (check))),
                   ==, "server-unconfirmed");
  g_assert_false (server_got_auth (server));
  steps = od_ui_test_find_all (GTK_WIDGET (od_check_page_get_list (OD_CHECK_PAGE (check_page))),
                               OD_TYPE_CHECKLIST_ROW);
  for (GList *l = steps; l != NULL; l = l->next)
    if (g_str_equal (od_check_step_get_id (od_checklist_row_get_step (l->data)), "auth"))
      {
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (l->data), TRUE);
        g_assert_true (od_ui_test_is_shown (od_ui_test_find (l->data, GTK_TYPE_BUTTON,
                                                             "confirm_button")));
      }
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  od_ui_test_screenshot (GTK_WIDGET (window), "confirm-server");

  od_ui_test_activate (GTK_WIDGET (window), "win.confirm-server", NULL);
  dialog = od_ui_test_wait_dialog (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "DNS records"));
  od_ui_test_screenshot (GTK_WIDGET (dialog), "confirm-server-dialog");
  od_ui_test_respond (dialog, "confirm");
  od_ui_test_wait_idle (window);
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);

  check = od_check_page_get_check (OD_CHECK_PAGE (check_page));
  g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (od_check_get_checklist (check),
                                                                    "auth")),
                   ==, OD_STEP_STATE_PASS);
  g_assert_true (server_got_auth (server));

  od_account_store_load (store, &error);
  g_assert_no_error (error);
  g_assert_true (od_account_get_server_confirmed (od_account_store_lookup (store, "ada"),
                                                  "127.0.0.1", port));

  od_ui_test_close_window (window);
  forget_accounts ();
}

typedef struct
{
  OdWindow *window;
  guint     n_rows;
} RowsWait;

static gboolean
shows_rows (gpointer user_data)
{
  RowsWait *wait = user_data;
  g_autoptr(GList) rows = od_ui_test_find_all (GTK_WIDGET (wait->window), OD_TYPE_ACCOUNT_ROW);

  return g_list_length (rows) == wait->n_rows;
}

/* Another program (the command line, another window) adds and removes accounts while the
 * window is open: the list follows without a restart. */
static void
test_troubleshoot_others_changes (void)
{
  g_autoptr(OdAccountStore) other = od_account_store_new (NULL);
  g_autoptr(OdAccount) work = od_account_new ("work", "ada@work.example");
  g_autoptr(GError) error = NULL;
  RowsWait wait = { NULL, 1 };

  save_account ("ada", 2525, NULL);
  wait.window = od_ui_test_new_window (720, 600);
  od_ui_test_wait (shows_rows, &wait, "one account");

  od_account_set_host (work, "smtp.work.example");
  g_assert_true (od_account_store_put (other, work, &error));
  g_assert_no_error (error);
  wait.n_rows = 2;
  od_ui_test_wait (shows_rows, &wait, "the account another program added");

  g_assert_true (od_account_store_delete (other, "ada", &error));
  g_assert_no_error (error);
  wait.n_rows = 1;
  od_ui_test_wait (shows_rows, &wait, "the account another program removed to go");
  g_assert_nonnull (od_account_store_lookup (od_window_get_account_store (wait.window), "work"));

  od_ui_test_close_window (wait.window);
  forget_accounts ();
}

/* The desktop file's *Test Sending* activates app.test-sending: straight into the check of
 * the only account. */
static void
test_troubleshoot_app_action (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  OdWindow *window;

  save_account ("ada", od_fake_smtp_server_get_port (server), PASSWORD);
  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));

  g_action_group_activate_action (G_ACTION_GROUP (od_ui_test_get_application ()),
                                  "test-sending", NULL);
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  assert_all_green_and_sent (window);
  g_assert_cmpuint (od_fake_smtp_server_get_n_messages (server), ==, 1);

  od_ui_test_close_window (window);
  forget_accounts ();
}

/* No password in the keyring: the app asks for it, checks, and then keeps it. */
static void
test_troubleshoot_password_not_saved (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  KeyringOp op = { NULL, NULL, FALSE };
  AdwMessageDialog *dialog;
  OdWindow *window;

  save_account ("ada", od_fake_smtp_server_get_port (server), NULL);
  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));

  od_ui_test_activate (GTK_WIDGET (window), "win.test-sending", g_variant_new_string ("ada"));
  dialog = od_ui_test_wait_dialog (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "No password is saved"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), PASSWORD);
  od_ui_test_respond (dialog, "check");

  od_ui_test_wait_idle (window);
  assert_all_green_and_sent (window);

  /* Accepted by the server, so now it is in the keyring. */
  od_secret_store_lookup_async (secrets, "ada", OD_ACCOUNT_PROTOCOL_SMTP, "127.0.0.1",
                                od_fake_smtp_server_get_port (server), USER, NULL,
                                lookup_cb, &op);
  od_ui_test_wait (keyring_op_done, &op, "the keyring lookup");
  g_assert_no_error (op.error);
  g_assert_cmpstr (op.password, ==, PASSWORD);
  od_secret_store_free_password (op.password);

  od_ui_test_close_window (window);
  forget_accounts ();
}

static char *
keyring_lookup (const char *id,
                const char *host,
                guint16     port)
{
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  KeyringOp op = { NULL, NULL, FALSE };

  od_secret_store_lookup_async (secrets, id, OD_ACCOUNT_PROTOCOL_SMTP, host, port, USER, NULL,
                                lookup_cb, &op);
  od_ui_test_wait (keyring_op_done, &op, "the keyring lookup");
  g_assert_no_error (op.error);

  return op.password;
}

/* Some label in @root shows @text (a toast, say). */
static gboolean
shows_text (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;

  return FALSE;
}

static gboolean
verdict_shown (gpointer user_data)
{
  GtkWidget *title = od_ui_test_find (user_data, GTK_TYPE_LABEL, "verdict_title");

  return g_str_equal (gtk_label_get_text (GTK_LABEL (title)), "Sending works");
}

static gboolean
offers_orphan_removal (gpointer user_data)
{
  return od_ui_test_find_action (user_data, "win.remove-orphans") != NULL;
}

typedef struct
{
  gboolean done;
  gboolean gone;
} OrphanGone;

static void
orphan_lookup_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  OrphanGone *wait = user_data;
  g_autofree char *password = od_secret_store_lookup_finish (OD_SECRET_STORE (object), result,
                                                             NULL);

  wait->gone = password == NULL;
  wait->done = TRUE;
}

static gboolean
orphan_removed (gpointer user_data)
{
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  OrphanGone wait = { FALSE, FALSE };

  od_secret_store_lookup_async (secrets, "gone", OD_ACCOUNT_PROTOCOL_SMTP, "127.0.0.1", 2525,
                                USER, NULL, orphan_lookup_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);

  return wait.gone;
}

/* A password whose account is gone (another program removed the account while this one
 * saved it): the window offers to remove it, and does so only when asked. */
static void
test_troubleshoot_orphans (void)
{
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  KeyringOp op = { NULL, NULL, FALSE };
  g_autofree char *still = NULL;
  OdWindow *window;

  save_account ("ada", 2525, PASSWORD);
  od_secret_store_store_async (secrets, "gone", OD_ACCOUNT_PROTOCOL_SMTP, "127.0.0.1", 2525,
                               USER, PASSWORD, NULL, store_cb, &op);
  od_ui_test_wait (keyring_op_done, &op, "the keyring");
  g_assert_no_error (op.error);

  window = od_ui_test_new_window (720, 600);
  od_ui_test_wait (offers_orphan_removal, window, "the offer to remove the password");
  g_assert_true (shows_text (GTK_WIDGET (window),
                             "The keyring still holds the password of 1 account that is gone."));
  od_ui_test_screenshot (GTK_WIDGET (window), "orphans");

  /* Not removed unasked. */
  g_assert_false (orphan_removed (NULL));
  g_signal_emit_by_name (od_ui_test_find_action (GTK_WIDGET (window), "win.remove-orphans"),
                         "clicked");
  od_ui_test_wait (orphan_removed, NULL, "the password of the gone account to go");

  /* The account that is there keeps its password. */
  still = keyring_lookup ("ada", "127.0.0.1", 2525);
  g_assert_cmpstr (still, ==, PASSWORD);

  od_ui_test_close_window (window);
  forget_accounts ();
}

/* A password typed for a test goes to the keyring once the server accepted it, and going
 * back at once (as a user may while the keyring shows an unlock prompt) does not stop that:
 * it is stored, and the toast says so. */
static void
test_troubleshoot_typed_password_survives_back (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autofree char *stored = NULL;
  AdwMessageDialog *dialog;
  OdWindow *window;

  save_account ("ada", od_fake_smtp_server_get_port (server), NULL);
  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));

  od_ui_test_activate (GTK_WIDGET (window), "win.test-sending", g_variant_new_string ("ada"));
  dialog = od_ui_test_wait_dialog (ADW_TYPE_MESSAGE_DIALOG);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), PASSWORD);
  od_ui_test_respond (dialog, "check");

  /* The check has just ended and the password is on its way to the keyring. */
  od_ui_test_wait (verdict_shown, window, "the verdict");
  g_assert_true (od_window_get_busy (window));
  od_ui_test_activate (GTK_WIDGET (window), "win.back", NULL);
  g_assert_cmpstr (od_window_get_visible_page (window), ==, "welcome");

  od_ui_test_wait_idle (window);
  od_ui_test_wait_frames (GTK_WIDGET (window), 5);
  g_assert_true (shows_text (GTK_WIDGET (window), "The new password is saved in the keyring"));
  stored = keyring_lookup ("ada", "127.0.0.1", od_fake_smtp_server_get_port (server));
  g_assert_cmpstr (stored, ==, PASSWORD);

  od_ui_test_close_window (window);
  forget_accounts ();
}

/* An address of the loopback network no other test uses, so that port 587 is free there. */
#define MOVED_HOST "127.83.0.1"

/* "Use Port 587 Instead" on a saved account: the old port refuses, and the check finds 587
 * working meanwhile (verified with the certificate the account trusts there), so the button
 * offers it. Once the check passes on 587 the account is saved with port 587, and its
 * password is filed again in the keyring under the new port (lookups match host, port and
 * user exactly), so the next test finds it without asking. */
static void
test_troubleshoot_port_587_keeps_password (void)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(OdTlsInfo) info = NULL;
  g_autoptr(OdAccountStore) store = od_account_store_new (NULL);
  g_autoptr(OdAccountStore) reloaded = od_account_store_new (NULL);
  g_autoptr(OdAccount) account = od_account_new ("moved", USER);
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_item = NULL;
  g_autofree char *new_item = NULL;
  KeyringOp op = { NULL, NULL, FALSE };
  GtkWidget *use_587;
  OdWindow *window;
  guint16 closed_port;

  if (geteuid () != 0)
    {
      g_test_skip ("Listening on port 587 needs root");
      return;
    }

  /* The account's old port: nothing listens there. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  any = g_inet_socket_address_new_from_string (MOVED_HOST, 0);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  closed_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  /* Port 587 with STARTTLS, and a certificate the account trusts for it (the test CA's
   * names do not include this address). */
  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);
  od_fake_smtp_server_set_address (server, MOVED_HOST);
  od_fake_smtp_server_set_port (server, 587);
  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);
  od_fake_smtp_server_set_require_auth (server, TRUE);
  if (!od_fake_smtp_server_start (server, &error))
    {
      g_autofree char *why = g_strdup_printf ("Port 587 on %s is taken: %s", MOVED_HOST,
                                              error->message);
      g_test_skip (why);
      return;
    }
  info = od_tls_info_new (cert, MOVED_HOST, NULL, &error);
  g_assert_no_error (error);

  od_account_store_load (store, &error);
  g_assert_no_error (error);
  od_account_set_display_name (account, "Ada Lovelace");
  od_account_set_host (account, MOVED_HOST);
  od_account_set_port (account, closed_port);
  od_account_set_security (account, OD_SECURITY_TLS);
  od_account_set_username (account, USER);
  od_account_add_pinned_fingerprint (account, MOVED_HOST, 587,
                                     od_tls_info_get_fingerprint (info));
  od_account_store_put (store, account, &error);
  g_assert_no_error (error);
  od_secret_store_store_async (secrets, "moved", OD_ACCOUNT_PROTOCOL_SMTP, MOVED_HOST,
                               closed_port, USER, PASSWORD, NULL, store_cb, &op);
  od_ui_test_wait (keyring_op_done, &op, "the keyring");
  g_assert_no_error (op.error);

  window = od_ui_test_new_window (720, 900);
  od_ui_test_activate (GTK_WIDGET (window), "win.test-sending", g_variant_new_string ("moved"));
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);

  use_587 = od_ui_test_find_action (GTK_WIDGET (window), "win.use-suggestion");
  g_assert_nonnull (use_587);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (use_587)), ==, "Use Port 587 Instead");
  od_ui_test_screenshot (GTK_WIDGET (window), "suggested-port");
  g_signal_emit_by_name (use_587, "clicked");
  od_ui_test_wait_idle (window);
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  assert_all_green_and_sent (window);

  /* The account moved to 587, and its password with it. */
  od_account_store_load (reloaded, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (od_account_get_port (od_account_store_lookup (reloaded, "moved")), ==, 587);
  new_item = keyring_lookup ("moved", MOVED_HOST, 587);
  g_assert_cmpstr (new_item, ==, PASSWORD);
  old_item = keyring_lookup ("moved", MOVED_HOST, closed_port);
  g_assert_null (old_item);

  /* The next test finds the password: no dialog, the full check again. */
  od_ui_test_activate (GTK_WIDGET (window), "win.test-sending", g_variant_new_string ("moved"));
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  assert_all_green_and_sent (window);
  g_assert_cmpuint (od_fake_smtp_server_get_n_messages (server), ==, 2);

  od_ui_test_close_window (window);
  forget_accounts ();
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

  g_test_add_func ("/od/ui/troubleshoot/copy-report", test_troubleshoot_copy_report);
  g_test_add_func ("/od/ui/troubleshoot/app-action", test_troubleshoot_app_action);
  g_test_add_func ("/od/ui/troubleshoot/others-changes", test_troubleshoot_others_changes);
  g_test_add_func ("/od/ui/troubleshoot/orphans", test_troubleshoot_orphans);
  g_test_add_func ("/od/ui/troubleshoot/confirm-server", test_troubleshoot_confirm_server);
  g_test_add_func ("/od/ui/troubleshoot/password-not-saved", test_troubleshoot_password_not_saved);
  g_test_add_func ("/od/ui/troubleshoot/typed-password-survives-back",
                   test_troubleshoot_typed_password_survives_back);
  g_test_add_func ("/od/ui/troubleshoot/port-587-keeps-password",
                   test_troubleshoot_port_587_keeps_password);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
