/* test-ui-german.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The app in German, as on a German desktop (od_test_locale_use(): the build tree's
 * catalogue and a real de_DE.UTF-8 locale). *Copy Report* after *Test Sending* puts a report
 * on the clipboard that is German throughout, with the problem ids and the server's words
 * as they are; "Trust This Certificate?" shows its validity with German dates and no doubled
 * spaces, and the whole fingerprint broken between bytes only, at the default width and at
 * 360 px. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "od-account-store.h"
#include "od-certificate-dialog.h"
#include "od-check-page.h"
#include "od-checklist-row.h"
#include "od-fake-smtp-server.h"
#include "od-format.h"
#include "od-secret-store.h"
#include "od-test-certs.h"
#include "od-test-locale.h"
#include "od-ui-test.h"

#define USER     "user@example.org"
#define PASSWORD "Gehe1m! Passwort"

static OdTestCerts *certs;
static gboolean german;

static OdFakeSmtpServer *
start_server (const char *cert_kind)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = od_test_certs_load (certs, cert_kind, &error);
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

/* An account saved as the app saves one: in the key file, its password in the keyring. */
static void
save_account (guint16 port)
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
  od_account_set_port (account, port);
  od_account_set_security (account, OD_SECURITY_TLS);
  od_account_set_username (account, USER);
  od_account_set_settings_source (account, "manual");
  od_account_store_put (store, account, &error);
  g_assert_no_error (error);

  od_secret_store_store_async (secrets, "ada", OD_ACCOUNT_PROTOCOL_SMTP, "127.0.0.1", port, USER,
                               PASSWORD, NULL, store_cb, &op);
  od_ui_test_wait (keyring_op_done, &op, "the keyring");
  g_assert_no_error (op.error);
}

static void
forget_account (OdWindow *window)
{
  g_autofree char *path = od_account_store_get_default_path ();

  od_ui_test_remove_accounts (window);
  g_remove (path);
}

static OdWindow *
test_sending (int         width,
              int         height,
              const char *ca_file)
{
  OdWindow *window = od_ui_test_new_window (width, height);

  od_window_set_ca_file (window, ca_file);
  od_ui_test_activate (GTK_WIDGET (window), "win.test-sending", g_variant_new_string ("ada"));
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);

  return window;
}

static OdChecklistRow *
step_row (OdWindow   *window,
          const char *step_id)
{
  GtkWidget *check_page = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL);
  GtkListBox *list = od_check_page_get_list (OD_CHECK_PAGE (check_page));
  g_autoptr(GList) rows = od_ui_test_find_all (GTK_WIDGET (list), OD_TYPE_CHECKLIST_ROW);

  for (GList *l = rows; l != NULL; l = l->next)
    if (g_str_equal (od_check_step_get_id (od_checklist_row_get_step (l->data)), step_id))
      return l->data;

  g_error ("No checklist row for the step %s", step_id);
}

/* Keeps the report where the suite's secret scan (tests/check-no-secrets.sh) reads it too. */
static void
save_report (const char *text)
{
  g_autofree char *path = g_build_filename (od_ui_test_output_dir (), "report-de.txt", NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (od_ui_test_output_dir (), 0755);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* Test Sending, then Copy Report: the clipboard holds a German report. */
static void
test_german_report (void)
{
  g_autoptr(OdFakeSmtpServer) server = NULL;
  g_autofree char *report = NULL;
  OdWindow *window;

  if (!german)
    {
      g_test_skip ("the German locale was not built");
      return;
    }

  server = start_server (OD_TEST_CERT_GOOD);
  save_account (od_fake_smtp_server_get_port (server));
  window = test_sending (720, 900, od_test_certs_get_ca_file (certs));
  g_assert_cmpint (od_check_step_get_state (od_checklist_row_get_step (step_row (window, "data"))),
                   ==, OD_STEP_STATE_PASS);
  od_ui_test_screenshot (GTK_WIDGET (window), "german-check");

  od_ui_test_activate (GTK_WIDGET (window), "win.copy-report", NULL);
  report = od_ui_test_read_clipboard (GTK_WIDGET (window));
  g_assert_nonnull (report);
  save_report (report);
  g_test_message ("%s", report);

  od_test_locale_assert_no_english (report);
  g_assert_null (strstr (report, PASSWORD));
  g_assert_true (g_str_has_prefix (report, "Outbox Doctor " PACKAGE_VERSION "\n"
                                           "Adresse: " USER "\n"
                                           "Server: 127.0.0.1, Port "));
  g_assert_nonnull (strstr (report, ", TLS\nErgebnis: Bestanden\n"));
  g_assert_nonnull (strstr (report, "\n[Bestanden] Anmeldung: "));
  g_assert_nonnull (strstr (report, "\n[Bestanden] Testnachricht: "));
  g_assert_nonnull (strstr (report, "\nProtokoll (Passwörter entfernt):\n"));
  g_assert_nonnull (strstr (report, "\n=== TLS gestartet: TLS 1."));
  g_assert_nonnull (strstr (report, "\nC~> (Nachricht mit "));
  /* The conversation itself stays as it was. */
  g_assert_nonnull (strstr (report, "\nC~> AUTH PLAIN ********\n"));
  g_assert_nonnull (strstr (report, "\nS<~ 235 2.7.0 Authentication successful\n"));

  forget_account (window);
  od_ui_test_close_window (window);
}

/* A self-signed certificate, *Vertrauen…*: its dialog at @width. */
static void
review_certificate (int         width,
                    const char *screenshot)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (OD_TEST_CERT_SELF_SIGNED);
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(OdTlsInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *not_before = NULL;
  g_autofree char *not_after = NULL;
  g_autofree char *validity = NULL;
  g_autofree char *joined = NULL;
  g_auto(GStrv) shown = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *trust;
  GtkWidget *row;
  OdWindow *window;

  save_account (od_fake_smtp_server_get_port (server));
  /* No CA file: the test CA is unknown to this computer. */
  window = test_sending (width, 760, NULL);
  trust = od_ui_test_find_action (GTK_WIDGET (step_row (window, "tls")),
                                  "win.trust-certificate");
  g_assert_nonnull (trust);
  g_signal_emit_by_name (trust, "clicked");
  dialog = od_ui_test_wait_dialog (OD_TYPE_CERTIFICATE_DIALOG);
  od_ui_test_screenshot (GTK_WIDGET (dialog), screenshot);

  /* The fingerprint takes more than one line at either width: it is the breaks that count. */
  g_assert_cmpuint (od_ui_test_assert_certificate_dialog (dialog), >=, 2);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), <=, MAX (width, 360));

  /* "vom 7. Dezember 2026 bis zum 7. Dezember 2027": German dates, as the locale writes them. */
  cert = od_test_certs_load (certs, OD_TEST_CERT_SELF_SIGNED, &error);
  g_assert_no_error (error);
  info = od_tls_info_new (cert, "127.0.0.1", NULL, NULL);
  g_assert_nonnull (info);
  not_before = od_format_date (od_tls_info_get_not_before (info));
  not_after = od_format_date (od_tls_info_get_not_after (info));
  validity = g_strdup_printf ("vom %s bis zum %s", not_before, not_after);
  row = od_ui_test_find (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, "validity_row");
  shown = g_strsplit (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "\u00a0", -1);
  joined = g_strjoinv (" ", shown);
  g_assert_cmpstr (joined, ==, validity);
  od_test_locale_assert_no_english (validity);

  od_ui_test_respond (dialog, "cancel");
  forget_account (window);
  od_ui_test_close_window (window);
}

static void
test_german_certificate (void)
{
  if (!german)
    {
      g_test_skip ("the German locale was not built");
      return;
    }

  review_certificate (720, "certificate-de");
  review_certificate (360, "certificate-de-narrow");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Before GTK reads the locale from the environment. */
  german = od_test_locale_use ("de");
  od_ui_test_init (&argc, &argv);

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/od/ui/german/report", test_german_report);
  g_test_add_func ("/od/ui/german/certificate", test_german_certificate);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
