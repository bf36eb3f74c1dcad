/* test-ui-markup.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Text from servers, certificates, web sites and the user is shown as it is, never read as
 * Pango markup: in libadwaita 1.2 row titles and subtitles, toasts and status page
 * descriptions are markup unless told otherwise. A display name with "&" and "<b>", a
 * greeting and a reply with a link, a certificate issued to "AT&T" and an address that
 * makes the check fail with a toast: each must appear literally, with no link to click and
 * no Gtk-WARNING (fatal in the tests). */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "od-account-row.h"
#include "od-certificate-dialog.h"
#include "od-check-page.h"
#include "od-checklist-row.h"
#include "od-fake-smtp-server.h"
#include "od-progress-row.h"
#include "od-test-certs.h"
#include "od-ui-test.h"

#define USER     "user@example.org"
#define PASSWORD "Tr0ub4dor&3 horse"
#define NAME     "Smith & Sons <b>Ltd</b>"
#define HOSTILE  "<a href=\"x\">link</a> & <i>"

static OdTestCerts *certs;

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)

static OdFakeSmtpServer *
start_server (GTlsCertificate *cert,
              const char      *greeting)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) good = NULL;
  g_autoptr(GError) error = NULL;

  if (cert == NULL)
    {
      good = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
      g_assert_no_error (error);
      cert = good;
    }

  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_implicit_tls (server, TRUE);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);
  od_fake_smtp_server_set_require_auth (server, TRUE);
  if (greeting != NULL)
    od_fake_smtp_server_set_greeting (server, greeting);
  g_assert_true (od_fake_smtp_server_start (server, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&server);
}

static void
collect_labels (GtkWidget  *widget,
                GList     **labels)
{
  if (GTK_IS_LABEL (widget))
    *labels = g_list_append (*labels, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, labels);
}

/* The label under @root that was given @text: it must show exactly @text, not markup made
 * of it. */
static void
assert_shows_literally (GtkWidget  *root,
                        const char *text)
{
  g_autoptr(GList) labels = NULL;

  collect_labels (root, &labels);
  for (GList *l = labels; l != NULL; l = l->next)
    if (g_strcmp0 (gtk_label_get_label (l->data), text) == 0)
      {
        g_assert_false (gtk_label_get_use_markup (l->data));
        g_assert_cmpstr (gtk_label_get_text (l->data), ==, text);
        return;
      }

  g_error ("No label under %s shows “%s”", G_OBJECT_TYPE_NAME (root), text);
}

/* No label anywhere under @root turned server text into markup (a link to click). */
static void
assert_no_markup_label_contains (GtkWidget  *root,
                                 const char *needle)
{
  g_autoptr(GList) labels = NULL;

  collect_labels (root, &labels);
  for (GList *l = labels; l != NULL; l = l->next)
    if (gtk_label_get_use_markup (l->data) &&
        strstr (gtk_label_get_label (l->data), needle) != NULL)
      g_error ("A label reads “%s” as markup", gtk_label_get_label (l->data));
}

static GtkWidget *
page (OdWindow *window,
      GType     type)
{
  return od_ui_test_find (GTK_WIDGET (window), type, NULL);
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

static void
set_up_and_check (OdWindow   *window,
                  const char *name,
                  guint16     port,
                  gboolean    send_test)
{
  GtkWidget *details;
  GtkWidget *review;

  od_ui_test_activate (GTK_WIDGET (window), "win.add-account", NULL);
  od_ui_test_wait_page (window, "details");
  details = page (window, g_type_from_name ("OdDetailsPage"));
  od_ui_test_set_text (details, "name_row", name);
  od_ui_test_set_text (details, "address_row", USER);
  od_ui_test_set_text (details, "password_row", PASSWORD);

  od_ui_test_activate (GTK_WIDGET (window), "win.set-up-manually", NULL);
  od_ui_test_wait_page (window, "review");
  review = page (window, g_type_from_name ("OdReviewPage"));
  od_ui_test_set_text (review, "host_row", "127.0.0.1");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (od_ui_test_find (review, GTK_TYPE_SPIN_BUTTON,
                                                               "port_spin")), port);
  adw_combo_row_set_selected (ADW_COMBO_ROW (od_ui_test_find (review, ADW_TYPE_COMBO_ROW,
                                                              "security_row")), 0);
  od_ui_test_set_text (review, "username_row", USER);

  od_check_page_set_send_test (OD_CHECK_PAGE (page (window, OD_TYPE_CHECK_PAGE)), send_test);
  od_ui_test_activate (GTK_WIDGET (window), "win.start-check", NULL);
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
}

/* A greeting with a link in it, and a display name with "&" and "<b>": the greeting row's
 * subtitle and the saved account's title are the literal text. */
static void
test_markup_greeting_and_name (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (NULL, "220 fake.example.org " HOSTILE " ESMTP");
  OdWindow *window = od_ui_test_new_window (720, 900);
  g_autoptr(GList) account_rows = NULL;
  OdChecklistRow *greeting;
  const char *detail;

  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  set_up_and_check (window, NAME, od_fake_smtp_server_get_port (server), FALSE);

  greeting = step_row (window, "greeting");
  g_assert_cmpint (od_check_step_get_state (od_checklist_row_get_step (greeting)), ==,
                   OD_STEP_STATE_PASS);
  detail = od_check_step_get_detail (od_checklist_row_get_step (greeting));
  g_assert_nonnull (strstr (detail, HOSTILE));
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (greeting)));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (greeting)), ==, detail);
  assert_shows_literally (GTK_WIDGET (greeting), detail);
  assert_no_markup_label_contains (GTK_WIDGET (window), "href");
  od_ui_test_screenshot (GTK_WIDGET (window), "markup-checklist");

  od_ui_test_activate (GTK_WIDGET (window), "win.save-account", NULL);
  od_ui_test_wait_page (window, "done");
  od_ui_test_activate (GTK_WIDGET (window), "win.finish", NULL);
  od_ui_test_wait_page (window, "welcome");

  account_rows = od_ui_test_find_all (GTK_WIDGET (window), OD_TYPE_ACCOUNT_ROW);
  g_assert_cmpuint (g_list_length (account_rows), ==, 1);
  /* Titled by the address; the display name, shown literally, is the subtitle's first line. */
  g_assert_true (g_str_has_suffix (adw_preferences_row_get_title (account_rows->data),
                                   "example.org"));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (account_rows->data),
                                   NAME "\n"));
  g_assert_false (adw_preferences_row_get_use_markup (account_rows->data));
  assert_shows_literally (account_rows->data,
                          adw_action_row_get_subtitle (account_rows->data));
  od_ui_test_screenshot (GTK_WIDGET (window), "markup-welcome");

  /* The account's page shows the name literally too. */
  gtk_widget_activate (account_rows->data);
  od_ui_test_wait_page (window, "account");
  assert_shows_literally (od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdAccountPage"), NULL),
                          NAME);
  od_ui_test_screenshot (GTK_WIDGET (window), "markup-account-page");

  od_ui_test_remove_accounts (window);
  od_ui_test_close_window (window);
}

/* A reply with a link in it, quoted in the failed row: its subtitle and the reply shown
 * under it are plain text. */
static void
test_markup_server_reply (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (NULL, NULL);
  OdWindow *window = od_ui_test_new_window (720, 900);
  OdChecklistRow *sender;
  OdProblem *problem;
  GtkWidget *reply;

  od_fake_smtp_server_set_reply (server, "MAIL", "550 5.7.1 " HOSTILE " sender refused");
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  set_up_and_check (window, "Ada", od_fake_smtp_server_get_port (server), TRUE);

  sender = step_row (window, "sender");
  g_assert_cmpint (od_check_step_get_state (od_checklist_row_get_step (sender)), ==,
                   OD_STEP_STATE_FAIL);
  problem = od_check_step_get_problem (od_checklist_row_get_step (sender));
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (od_problem_get_server_reply (problem), HOSTILE));

  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (sender)));
  assert_shows_literally (GTK_WIDGET (sender),
                          od_check_step_get_detail (od_checklist_row_get_step (sender)));
  reply = od_ui_test_find (GTK_WIDGET (sender), GTK_TYPE_LABEL, "reply_label");
  g_assert_true (od_ui_test_is_shown (reply));
  assert_shows_literally (GTK_WIDGET (sender), od_problem_get_server_reply (problem));
  assert_no_markup_label_contains (GTK_WIDGET (window), "href");
  od_ui_test_screenshot (GTK_WIDGET (window), "markup-reply");

  od_ui_test_close_window (window);
}

static void
check_gnutls (int         ret,
              const char *what)
{
  if (ret < 0)
    g_error ("%s: %s", what, gnutls_strerror (ret));
}

/* A self-signed certificate whose subject (and so issuer) reads as markup: made here, as
 * the shared test certificates have no such names. */
static GTlsCertificate *
make_markup_certificate (void)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_x509_privkey_t) key = NULL;
  gnutls_datum_t crt_pem = { NULL, 0 };
  gnutls_datum_t key_pem = { NULL, 0 };
  g_autofree char *pem = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 loopback[4] = { 127, 0, 0, 1 };
  const char *organization = "AT&T <i>Labs";
  const char *common_name = "<b>localhost</b> & co";
  guint8 serial[8] = { 0x4d, 0x61, 0x72, 0x6b, 0x75, 0x70, 0x21, 0x01 };
  time_t now = time (NULL);

  check_gnutls (gnutls_x509_privkey_init (&key), "privkey_init");
  check_gnutls (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                              GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                              0),
                "privkey_generate");
  check_gnutls (gnutls_x509_crt_init (&crt), "crt_init");
  check_gnutls (gnutls_x509_crt_set_version (crt, 3), "set_version");
  check_gnutls (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "set_serial");
  check_gnutls (gnutls_x509_crt_set_key (crt, key), "set_key");
  check_gnutls (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
                                               organization, strlen (organization)),
                "set_dn (O)");
  check_gnutls (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                               common_name, strlen (common_name)),
                "set_dn (CN)");
  check_gnutls (gnutls_x509_crt_set_activation_time (crt, now - 3600), "activation_time");
  check_gnutls (gnutls_x509_crt_set_expiration_time (crt, now + 30 * 86400), "expiration_time");
  check_gnutls (gnutls_x509_crt_set_basic_constraints (crt, 0, -1), "basic_constraints");
  check_gnutls (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE), "key_usage");
  check_gnutls (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "localhost",
                                                      strlen ("localhost"), GNUTLS_FSAN_APPEND),
                "san (DNS)");
  check_gnutls (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback,
                                                      sizeof loopback, GNUTLS_FSAN_APPEND),
                "san (IP)");
  check_gnutls (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), "sign");

  check_gnutls (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &crt_pem), "export crt");
  check_gnutls (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                   GNUTLS_PKCS_PLAIN, &key_pem),
                "export key");
  pem = g_strdup_printf ("%.*s%.*s", (int)crt_pem.size, (const char *)crt_pem.data,
                         (int)key_pem.size, (const char *)key_pem.data);
  gnutls_free (crt_pem.data);
  gnutls_free (key_pem.data);

  cert = g_tls_certificate_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&cert);
}

/* "Trust This Certificate?" quotes the certificate's subject and issuer: "AT&T" and "<b>"
 * are shown as they are instead of blanking the row. */
static void
test_markup_certificate (void)
{
  g_autoptr(GTlsCertificate) cert = make_markup_certificate ();
  g_autoptr(OdFakeSmtpServer) server = start_server (cert, NULL);
  OdWindow *window = od_ui_test_new_window (720, 900);
  AdwMessageDialog *dialog;
  GtkWidget *trust;
  const char * const rows[] = { "subject_row", "issuer_row" };

  set_up_and_check (window, "Ada", od_fake_smtp_server_get_port (server), FALSE);

  trust = od_ui_test_find_action (GTK_WIDGET (step_row (window, "tls")), "win.trust-certificate");
  g_assert_nonnull (trust);
  g_signal_emit_by_name (trust, "clicked");
  dialog = od_ui_test_wait_dialog (OD_TYPE_CERTIFICATE_DIALOG);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      GtkWidget *row = od_ui_test_find (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, rows[i]);
      const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

      /* The names come as an RFC 4514 string, where "<" is escaped with a backslash. */
      g_test_message ("%s: %s", rows[i], subtitle);
      g_assert_nonnull (strstr (subtitle, "AT&T"));
      g_assert_nonnull (strstr (subtitle, "\\<b\\>localhost"));
      g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));
      assert_shows_literally (row, subtitle);
    }
  od_ui_test_screenshot (GTK_WIDGET (dialog), "markup-certificate");

  od_ui_test_respond (dialog, "cancel");
  od_ui_test_close_window (window);
}

/* The rows of discovery show host names and what servers and web sites said. */
static void
test_markup_progress_row (void)
{
  GtkWidget *row = g_object_ref_sink (od_progress_row_new ());

  od_progress_row_update (OD_PROGRESS_ROW (row), OD_STEP_STATE_FAIL, "mail.a&b.example",
                          "554 " HOSTILE);
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));
  assert_shows_literally (row, "mail.a&b.example");
  assert_shows_literally (row, "554 " HOSTILE);

  g_assert_finalize_object (row);
}

/* An account file damaged in a way the message quotes: the toast that says so shows the
 * group name as it is, "<" and "&" included (unescaped, it is a Pango error and an empty
 * toast). */
static void
test_markup_toast (void)
{
  g_autofree char *path = od_account_store_get_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) labels = NULL;
  OdWindow *window;
  gboolean found = FALSE;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path,
                       "[Outbox Doctor]\nversion=1\n\n"
                       "[Account " HOSTILE "]\naddress=" USER "\n",
                       -1, &error);
  g_assert_no_error (error);

  window = od_ui_test_new_window (720, 600);
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);

  /* The toast's title is markup in libadwaita 1.2: what it shows must be the message. */
  collect_labels (GTK_WIDGET (window), &labels);
  for (GList *l = labels; l != NULL; l = l->next)
    if (strstr (gtk_label_get_text (l->data), "not a valid account id") != NULL)
      {
        g_assert_nonnull (strstr (gtk_label_get_text (l->data), "“" HOSTILE "”"));
        found = TRUE;
      }
  g_assert_true (found);
  od_ui_test_screenshot (GTK_WIDGET (window), "markup-toast");

  od_ui_test_close_window (window);
  g_remove (path);
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

  g_test_add_func ("/od/ui/markup/greeting-and-name", test_markup_greeting_and_name);
  g_test_add_func ("/od/ui/markup/server-reply", test_markup_server_reply);
  g_test_add_func ("/od/ui/markup/certificate", test_markup_certificate);
  g_test_add_func ("/od/ui/markup/progress-row", test_markup_progress_row);
  g_test_add_func ("/od/ui/markup/toast", test_markup_toast);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
