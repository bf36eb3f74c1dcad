/* test-ui-round-trip.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The round trip in the app: *Test Sending* on an account whose incoming server is known
 * has *Check That It Arrives* on and *Delete the Test Message Afterwards* off; the check
 * sends the test message through the fake SMTP server, a "receiving server" in this test
 * puts it into the fake IMAP server's INBOX, and the checklist's eleventh row, the
 * delivery, passes. An account without an incoming server has the switch off and
 * insensitive, and ten rows. */

#include "config.h"

#include <string.h>

#include "od-account-store.h"
#include "od-check-page.h"
#include "od-checklist-row.h"
#include "od-fake-imap-server.h"
#include "od-fake-smtp-server.h"
#include "od-problem.h"
#include "od-test-certs.h"
#include "od-ui-test.h"

#define USER     "user@example.org"
#define PASSWORD "Tr0ub4dor&3 horse"

static OdTestCerts *certs;

typedef struct
{
  OdFakeSmtpServer *smtp;
  OdFakeImapServer *imap;
  const char       *folder;    /* where the message lands: INBOX or Junk */
  const char       *results;   /* the receiving server's Authentication-Results */
  gboolean          delivered;
} Servers;

#define PASSING_RESULTS "Authentication-Results: mx.example.org; spf=pass; dkim=pass; " \
                        "dmarc=pass\r\n"
#define FAILING_RESULTS "Authentication-Results: mx.example.org; spf=fail; dkim=fail; " \
                        "dmarc=fail\r\n"

/* The "receiving server": the accepted message's header into INBOX, with the verdicts a
 * receiving server adds. */
static gboolean
deliver_cb (gpointer user_data)
{
  Servers *servers = user_data;
  g_autofree char *header = NULL;
  const char *message;
  const char *end;

  if (servers->delivered || od_fake_smtp_server_get_n_messages (servers->smtp) == 0)
    return G_SOURCE_CONTINUE;

  servers->delivered = TRUE;
  message = od_fake_smtp_server_get_last_message (servers->smtp);
  end = strstr (message, "\r\n\r\n");
  g_assert_nonnull (end);
  header = g_strdup_printf ("%s%.*s\r\n\r\n", servers->results, (int)(end - message), message);
  od_fake_imap_server_add_message (servers->imap, servers->folder, header, strlen (header), 200);
  return G_SOURCE_CONTINUE;
}

static void
start_servers (Servers *servers)
{
  g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, NULL);
  g_autoptr(GError) error = NULL;

  servers->smtp = od_fake_smtp_server_new ();
  od_fake_smtp_server_set_certificate (servers->smtp, cert);
  od_fake_smtp_server_set_implicit_tls (servers->smtp, TRUE);
  od_fake_smtp_server_set_credentials (servers->smtp, USER, PASSWORD);
  g_assert_true (od_fake_smtp_server_start (servers->smtp, &error));
  g_assert_no_error (error);

  servers->imap = od_fake_imap_server_new ();
  od_fake_imap_server_set_certificate (servers->imap, cert);
  od_fake_imap_server_set_credentials (servers->imap, USER, PASSWORD);
  od_fake_imap_server_set_capabilities (servers->imap, "IMAP4rev1 STARTTLS LOGINDISABLED",
                                        "IMAP4rev1 SASL-IR AUTH=PLAIN SPECIAL-USE IDLE UIDPLUS");
  od_fake_imap_server_add_folder (servers->imap, "Junk", "\\Junk");
  g_assert_true (od_fake_imap_server_start (servers->imap, &error));
  g_assert_no_error (error);
}

static void
save_account (const char *id,
              Servers    *servers,
              gboolean    with_incoming)
{
  g_autoptr(OdAccount) account = NULL;
  g_autoptr(OdAccountStore) store = od_account_store_new (NULL);
  g_autoptr(GError) error = NULL;

  account = od_ui_test_save_account (id, USER, "Ada Lovelace",
                                     od_fake_smtp_server_get_port (servers->smtp), PASSWORD);
  if (!with_incoming)
    return;

  od_account_store_load (store, &error);
  g_assert_no_error (error);
  od_account_set_incoming (account, "imap", "127.0.0.1",
                           od_fake_imap_server_get_port (servers->imap), OD_SECURITY_STARTTLS,
                           USER);
  od_account_store_put (store, account, &error);
  g_assert_no_error (error);
}

/* The check page's own widgets: the window has others of the same kinds. */
static GtkWidget *
find_on_check_page (OdWindow   *window,
                    GType       type,
                    const char *id)
{
  return od_ui_test_find (od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL),
                          type, id);
}

static GList *
checklist_rows (OdWindow *window)
{
  GtkWidget *page = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL);

  return od_ui_test_find_all (GTK_WIDGET (od_check_page_get_list (OD_CHECK_PAGE (page))),
                              OD_TYPE_CHECKLIST_ROW);
}

/* The switches are under the checklist: in sight for the screenshot. */
static void
scroll_to_switches (OdWindow *window)
{
  GtkWidget *scroller = find_on_check_page (window, GTK_TYPE_SCROLLED_WINDOW, "scroller");
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  od_ui_test_wait_frames (GTK_WIDGET (window), 5);
}

static void
run_test_sending (OdWindow   *window,
                  const char *id)
{
  od_ui_test_activate (GTK_WIDGET (window), "win.test-sending", g_variant_new_string (id));
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  od_ui_test_wait_frames (GTK_WIDGET (window), 20);
}

static void
test_round_trip_inbox (void)
{
  Servers servers = { .folder = "INBOX", .results = PASSING_RESULTS };
  g_autoptr(GList) rows = NULL;
  GtkWidget *round_trip, *delete_after;
  OdCheckStep *delivery;
  OdWindow *window;
  guint source;

  start_servers (&servers);
  save_account ("ada", &servers, TRUE);
  source = g_timeout_add (20, deliver_cb, &servers);

  window = od_ui_test_new_window (720, 1100);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  run_test_sending (window, "ada");

  /* The switches as a person finds them: look for it, but do not delete it. */
  round_trip = find_on_check_page (window, GTK_TYPE_SWITCH, "round_trip_switch");
  delete_after = find_on_check_page (window, GTK_TYPE_SWITCH, "round_trip_delete_switch");
  g_assert_true (od_ui_test_is_shown (round_trip));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (round_trip)));
  g_assert_true (gtk_widget_is_sensitive (round_trip));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (delete_after)));
  g_assert_true (gtk_widget_is_sensitive (delete_after));

  /* Eleven rows; the last, the delivery, passed and says where and how fast. */
  rows = checklist_rows (window);
  g_assert_cmpuint (g_list_length (rows), ==, 11);
  delivery = od_checklist_row_get_step (g_list_last (rows)->data);
  g_assert_cmpstr (od_check_step_get_id (delivery), ==, "delivery");
  if (od_check_step_get_state (delivery) != OD_STEP_STATE_PASS)
    g_error ("delivery is %s: %s", od_step_state_to_string (od_check_step_get_state (delivery)),
             od_check_step_get_detail (delivery));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_on_check_page (window, GTK_TYPE_LABEL,
                                                                     "verdict_description"))),
                   ==, "The server accepted your login and a test message, and the message "
                       "arrived in your inbox.");
  g_assert_true (g_str_has_prefix (od_check_step_get_detail (delivery),
                                   "The test message arrived in the inbox after "));
  od_ui_test_assert_light (od_checklist_row_get_light (g_list_last (rows)->data),
                           "emblem-ok-symbolic", "success", "Arrival in the mailbox: Passed");
  g_assert_true (servers.delivered);
  g_assert_cmpuint (od_fake_imap_server_count_messages (servers.imap, "INBOX"), ==, 1);
  scroll_to_switches (window);
  od_ui_test_screenshot (GTK_WIDGET (window), "round-trip-inbox");

  /* After the run, deleting can be asked for the next check. */
  gtk_switch_set_active (GTK_SWITCH (delete_after), TRUE);
  g_assert_true (od_check_page_get_round_trip_delete (OD_CHECK_PAGE (
    od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL))));

  od_ui_test_close_window (window);
  g_source_remove (source);
  od_fake_smtp_server_stop (servers.smtp);
  od_fake_imap_server_stop (servers.imap);
  g_clear_object (&servers.smtp);
  g_clear_object (&servers.imap);
}

/* In the spam folder, SPF, DKIM and DMARC failed: the row warns and lists each failure in
 * plain words under the spam folder's explanation. */
static void
test_round_trip_junk (void)
{
  Servers servers = { .folder = "Junk", .results = FAILING_RESULTS };
  g_autoptr(GList) rows = NULL;
  g_autofree char *report = NULL;
  GtkWidget *row, *more_label;
  OdCheckStep *delivery;
  OdWindow *window;
  guint source;

  start_servers (&servers);
  save_account ("ada", &servers, TRUE);
  source = g_timeout_add (20, deliver_cb, &servers);

  window = od_ui_test_new_window (720, 1100);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  run_test_sending (window, "ada");

  rows = checklist_rows (window);
  g_assert_cmpuint (g_list_length (rows), ==, 11);
  row = g_list_last (rows)->data;
  delivery = od_checklist_row_get_step (OD_CHECKLIST_ROW (row));
  g_assert_cmpint (od_check_step_get_state (delivery), ==, OD_STEP_STATE_WARN);
  g_assert_cmpstr (od_problem_get_id (od_check_step_get_problem (delivery)), ==,
                   "round-trip-junk");
  od_ui_test_assert_light (od_checklist_row_get_light (OD_CHECKLIST_ROW (row)),
                           "dialog-warning-symbolic", "warning",
                           "Arrival in the mailbox: Passed with a warning");

  more_label = od_ui_test_find (row, GTK_TYPE_LABEL, "more_label");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (more_label)),
                                   "• SPF failed: "));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (more_label)), "\n• DKIM failed: "));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (more_label)), "\n• DMARC failed: "));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_on_check_page (window, GTK_TYPE_LABEL,
                                                                     "verdict_title"))),
                   ==, "Sending works, with a warning");

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  od_ui_test_wait_frames (GTK_WIDGET (window), 30);
  g_assert_true (od_ui_test_is_shown (more_label));
  scroll_to_switches (window);
  od_ui_test_screenshot (GTK_WIDGET (window), "round-trip-junk");

  /* The copied report has every finding, and no password of either server. */
  od_ui_test_activate (GTK_WIDGET (window), "win.copy-report", NULL);
  report = od_ui_test_read_clipboard (GTK_WIDGET (window));
  g_assert_nonnull (report);
  g_assert_nonnull (strstr (report, "[Passed with a warning] Arrival in the mailbox: "));
  g_assert_nonnull (strstr (report, "(round-trip-junk)"));
  g_assert_nonnull (strstr (report, "(auth-results-spf-fail)"));
  g_assert_nonnull (strstr (report, "(auth-results-dkim-fail)"));
  g_assert_nonnull (strstr (report, "(auth-results-dmarc-fail)"));
  g_assert_nonnull (strstr (report, "Looking for the test message on 127.0.0.1"));
  g_assert_null (strstr (report, PASSWORD));

  od_ui_test_close_window (window);
  g_source_remove (source);
  od_fake_smtp_server_stop (servers.smtp);
  od_fake_imap_server_stop (servers.imap);
  g_clear_object (&servers.smtp);
  g_clear_object (&servers.imap);
}

static void
test_round_trip_no_incoming (void)
{
  Servers servers = { 0 };
  g_autoptr(GList) rows = NULL;
  GtkWidget *round_trip;
  OdWindow *window;

  start_servers (&servers);
  save_account ("bob", &servers, FALSE);

  window = od_ui_test_new_window (720, 1100);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  run_test_sending (window, "bob");

  round_trip = find_on_check_page (window, GTK_TYPE_SWITCH, "round_trip_switch");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (round_trip)));
  g_assert_false (gtk_widget_is_sensitive (round_trip));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (
                     find_on_check_page (window, ADW_TYPE_ACTION_ROW, "round_trip_row"))),
                   ==, "Not possible: the incoming server of this account is not known");
  rows = checklist_rows (window);
  g_assert_cmpuint (g_list_length (rows), ==, 10);
  g_assert_cmpuint (od_fake_smtp_server_get_n_messages (servers.smtp), ==, 1);
  scroll_to_switches (window);
  od_ui_test_screenshot (GTK_WIDGET (window), "round-trip-no-incoming");

  od_ui_test_close_window (window);
  od_fake_smtp_server_stop (servers.smtp);
  od_fake_imap_server_stop (servers.imap);
  g_clear_object (&servers.smtp);
  g_clear_object (&servers.imap);
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

  g_test_add_func ("/od/ui/round-trip/inbox", test_round_trip_inbox);
  g_test_add_func ("/od/ui/round-trip/junk", test_round_trip_junk);
  g_test_add_func ("/od/ui/round-trip/no-incoming", test_round_trip_no_incoming);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
