/* test-ui-discovery.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* "Finding your server" in the real window, hermetic: an in-process resolver answers the
 * DNS questions, the well-known ports are mapped to servers on loopback and nothing goes
 * over HTTP. Discovery finds the guessed server and goes straight from the details to the
 * review (no page flashing by), which labels every setting with where it really came from
 * and stays editable; manual setup starts from the server found. When every guess fails,
 * each row says so and the page says nothing was found; a certificate that was not accepted
 * can be reviewed and trusted right there, and the setup goes on with it. A discovery stuck
 * on silent ports stops at once on Cancel (Escape) and says so, with *Try Again* and *Set Up
 * Manually*. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "od-account.h"
#include "od-certificate-dialog.h"
#include "od-check-page.h"
#include "od-checklist-row.h"
#include "od-discovery-page.h"
#include "od-fake-imap-server.h"
#include "od-fake-smtp-server.h"
#include "od-progress-row.h"
#include "od-review-page.h"
#include "od-secret-store.h"
#include "od-test-discovery.h"
#include "od-ui-test.h"

#define USER     "user@example.org"
#define PASSWORD "Tr0ub4dor&3 horse"
#define SERVER   "smtp.example.org"

static OdTestCerts *certs;

typedef struct
{
  guint16  ports[8];  /* where 465, 587, 2525, 25 and the incoming 993, 143, 995, 110 are */
  gboolean stuck;     /* the test stops the search itself: no time limit may end it first */
} Ports;

static const guint16 logical_ports[] = { 465, 587, 2525, 25, 993, 143, 995, 110 };

/* The discovery hook: loopback only, no HTTP sources, the well-known ports mapped. */
static void
hermetic_discovery (OdDiscovery *discovery,
                    gpointer     user_data)
{
  Ports *ports = user_data;

  od_discovery_set_sources (discovery, OD_SOURCE_FLAG_PROVIDER_DB | OD_SOURCE_FLAG_SRV |
                                       OD_SOURCE_FLAG_MX | OD_SOURCE_FLAG_GUESS);
  for (guint i = 0; i < G_N_ELEMENTS (logical_ports); i++)
    od_discovery_map_port_for_testing (discovery, logical_ports[i], ports->ports[i]);

  /* On a loaded machine the window can take seconds to get to its checks: the search into
   * blackholes must still be running then. */
  if (ports->stuck)
    {
      od_discovery_set_connect_timeout (discovery, 120000);
      od_discovery_set_total_timeout (discovery, 240000);
    }
}

static OdFakeSmtpServer *
start_server (void)
{
  const char * const names[] = { SERVER, NULL };
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = od_test_make_named_cert (certs, names, &error);
  g_assert_no_error (error);

  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_implicit_tls (server, TRUE);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);
  od_fake_smtp_server_set_require_auth (server, TRUE);
  g_assert_true (od_fake_smtp_server_start (server, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&server);
}

static void
enter_details (OdWindow *window)
{
  GtkWidget *details;

  od_ui_test_activate (GTK_WIDGET (window), "win.add-account", NULL);
  od_ui_test_wait_page (window, "details");
  details = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdDetailsPage"), NULL);
  od_ui_test_set_text (details, "name_row", "Ada Lovelace");
  od_ui_test_set_text (details, "address_row", USER);
  od_ui_test_set_text (details, "password_row", PASSWORD);
}

static GList *
progress_rows (GtkListBox *list)
{
  return od_ui_test_find_all (GTK_WIDGET (list), OD_TYPE_PROGRESS_ROW);
}

static gboolean
candidate_probing (gpointer user_data)
{
  g_autoptr(GList) rows = progress_rows (GTK_LIST_BOX (user_data));

  for (GList *l = rows; l != NULL; l = l->next)
    if (od_progress_row_get_state (l->data) == OD_STEP_STATE_RUNNING)
      return TRUE;

  return FALSE;
}

/* The pages the window showed, in order, from the moment it is called; each as "NAME@MS",
 * with the monotonic time in milliseconds it was switched to. */
static void
visible_child_cb (GtkStack   *stack,
                  GParamSpec *pspec,
                  GPtrArray  *visited)
{
  g_ptr_array_add (visited, g_strdup_printf ("%s@%" G_GINT64_FORMAT,
                                             gtk_stack_get_visible_child_name (stack),
                                             g_get_monotonic_time () / 1000));
}

static gboolean
visited_is (GPtrArray  *visited,
            guint       i,
            const char *page)
{
  const char *entry = g_ptr_array_index (visited, i);

  return g_str_has_prefix (entry, page) && entry[strlen (page)] == '@';
}

static gint64
visited_at (GPtrArray *visited,
            guint      i)
{
  return g_ascii_strtoll (strchr (g_ptr_array_index (visited, i), '@') + 1, NULL, 10);
}

static GPtrArray *
record_pages (OdWindow *window)
{
  GPtrArray *visited = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *stack = od_ui_test_find (GTK_WIDGET (window), GTK_TYPE_STACK, "stack");

  g_signal_connect_data (stack, "notify::visible-child", G_CALLBACK (visible_child_cb), visited,
                         NULL, 0);
  return visited;
}

static void
stop_recording (OdWindow  *window,
                GPtrArray *visited)
{
  GtkWidget *stack = od_ui_test_find (GTK_WIDGET (window), GTK_TYPE_STACK, "stack");

  g_signal_handlers_disconnect_by_data (stack, visited);
}

static GtkWidget *
review_page (OdWindow *window)
{
  return od_ui_test_find (GTK_WIDGET (window), OD_TYPE_REVIEW_PAGE, NULL);
}

static OdDiscoveryPage *
discovery_page (OdWindow *window)
{
  return OD_DISCOVERY_PAGE (od_ui_test_find (GTK_WIDGET (window), OD_TYPE_DISCOVERY_PAGE, NULL));
}

/* A source tag on the review page: its text, or NULL when there is none. */
static const char *
tag (OdWindow   *window,
     const char *id)
{
  GtkWidget *label = od_ui_test_find (review_page (window), GTK_TYPE_LABEL, id);

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

static const char *
review_host (OdWindow *window)
{
  return gtk_editable_get_text (GTK_EDITABLE (od_ui_test_find (review_page (window),
                                                               ADW_TYPE_ENTRY_ROW, "host_row")));
}

static int
review_port (OdWindow *window)
{
  return gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (od_ui_test_find (review_page (window),
                                                                             GTK_TYPE_SPIN_BUTTON,
                                                                             "port_spin")));
}

/* The row of the source titled @title. */
static OdProgressRow *
source_row (OdWindow   *window,
            const char *title)
{
  g_autoptr(GList) rows = progress_rows (od_discovery_page_get_sources_list (discovery_page (window)));

  for (GList *l = rows; l != NULL; l = l->next)
    if (g_str_equal (adw_preferences_row_get_title (l->data), title))
      return l->data;

  g_error ("No source row “%s”", title);
}

static const char *
row_subtitle (OdProgressRow *row)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static const char *
page_title (OdWindow *window)
{
  return adw_window_title_get_title (ADW_WINDOW_TITLE (od_ui_test_find (GTK_WIDGET (discovery_page (window)),
                                                                        ADW_TYPE_WINDOW_TITLE,
                                                                        "window_title")));
}

static void
test_discovery_finds_server (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autoptr(OdFakeImapServer) imap = od_fake_imap_server_new ();
  g_autoptr(GTlsCertificate) imap_cert = NULL;
  g_autoptr(OdTestResolver) resolver = od_test_resolver_new ();
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(GList) sources = NULL;
  g_autoptr(GList) candidates = NULL;
  g_autoptr(GPtrArray) visited = NULL;
  g_autoptr(GError) error = NULL;
  const char * const imap_names[] = { "imap.example.org", NULL };
  GtkWidget *incoming_row;
  Ports ports = { 0 };
  OdWindow *window;
  GtkWidget *review;
  GtkWidget *host_tag;
  GtkWidget *port_tag;
  OdProgressRow *guess;
  gboolean found_ok = FALSE;

  od_test_resolver_add_address (resolver, SERVER, "127.0.0.1");
  od_test_resolver_add_address (resolver, "imap.example.org", "127.0.0.1");
  g_resolver_set_default (G_RESOLVER (resolver));

  /* The incoming server, found by guessing too, on 993. */
  imap_cert = od_test_make_named_cert (certs, imap_names, &error);
  g_assert_no_error (error);
  od_fake_imap_server_set_certificate (imap, imap_cert);
  od_fake_imap_server_set_implicit_tls (imap, TRUE);
  g_assert_true (od_fake_imap_server_start (imap, &error));

  ports.ports[0] = od_fake_smtp_server_get_port (server);
  for (guint i = 1; i < G_N_ELEMENTS (ports.ports); i++)
    ports.ports[i] = od_test_find_free_port ();   /* nothing listens: refused */
  ports.ports[4] = od_fake_imap_server_get_port (imap);

  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  od_window_set_discovery_hook (window, hermetic_discovery, &ports);

  enter_details (window);
  visited = record_pages (window);
  od_ui_test_activate (GTK_WIDGET (window), "win.next", NULL);
  /* A quick detection runs behind the details page, then the review comes: the discovery
   * page never flashes by. */
  g_assert_cmpstr (od_window_get_visible_page (window), ==, "details");
  g_assert_true (od_window_get_busy (window));
  od_ui_test_wait_page (window, "review");
  stop_recording (window, visited);
  g_assert_cmpuint (visited->len, ==, 1);
  g_assert_true (visited_is (visited, 0, "review"));

  /* What was tried stays on the discovery page, each with its real outcome, and the page
   * says it is done. */
  g_assert_cmpint (od_discovery_page_get_state (discovery_page (window)), ==,
                   OD_DISCOVERY_PAGE_FOUND);
  g_assert_cmpstr (page_title (window), ==, "Server Found");
  sources = progress_rows (od_discovery_page_get_sources_list (discovery_page (window)));
  candidates = progress_rows (od_discovery_page_get_candidates_list (discovery_page (window)));
  g_assert_cmpuint (g_list_length (sources), >=, 4);
  for (GList *l = sources; l != NULL; l = l->next)
    g_assert_cmpint (od_progress_row_get_state (l->data), !=, OD_STEP_STATE_RUNNING);
  guess = source_row (window, "Usual server names");
  g_assert_cmpint (od_progress_row_get_state (guess), ==, OD_STEP_STATE_PASS);
  g_assert_true (g_str_has_prefix (row_subtitle (guess), SERVER ", port 465, works."));
  /* Nothing in the database, no records: nothing found, not "not checked". */
  od_ui_test_assert_light (od_progress_row_get_light (source_row (window, "Provider database")),
                           "action-unavailable-symbolic", "dim-label",
                           "Provider database: Nothing found");
  g_assert_cmpuint (g_list_length (candidates), >=, 1);
  for (GList *l = candidates; l != NULL; l = l->next)
    {
      g_assert_cmpint (od_progress_row_get_state (l->data), !=, OD_STEP_STATE_RUNNING);
      if (g_str_equal (adw_preferences_row_get_title (l->data), SERVER) &&
          od_progress_row_get_state (l->data) == OD_STEP_STATE_PASS)
        {
          found_ok = TRUE;
          od_ui_test_assert_light (od_progress_row_get_light (l->data), "emblem-ok-symbolic",
                                   "success", SERVER ": Passed");
        }
    }
  g_assert_true (found_ok);

  /* The review: the guessed server, each setting labelled with where it came from. */
  review = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdReviewPage"), NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (od_ui_test_find (review, ADW_TYPE_ENTRY_ROW,
                                                                          "host_row"))), ==, SERVER);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (od_ui_test_find (review,
                   GTK_TYPE_SPIN_BUTTON, "port_spin"))), ==, 465);
  host_tag = od_ui_test_find (review, GTK_TYPE_LABEL, "host_source");
  port_tag = od_ui_test_find (review, GTK_TYPE_LABEL, "port_source");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (host_tag)), ==, "Guessed");
  gtk_test_accessible_assert_property (host_tag, GTK_ACCESSIBLE_PROPERTY_LABEL, "Source: Guessed");
  /* A guess never names a user name: it is the address the user typed. */
  g_assert_cmpstr (tag (window, "username_source"), ==, "Your address");
  gtk_test_accessible_assert_property (od_ui_test_find (review, GTK_TYPE_LABEL, "username_source"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Source: From the address you entered");
  /* The incoming server the same detection found and checked, with its source. */
  g_assert_true (gtk_widget_get_visible (od_ui_test_find (review, ADW_TYPE_PREFERENCES_GROUP,
                                                          "incoming_group")));
  incoming_row = od_ui_test_find (review, ADW_TYPE_ACTION_ROW, "incoming_row");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (incoming_row)), ==,
                   "imap.example.org");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (incoming_row)), ==,
                   "IMAP, port 993, TLS");
  g_assert_cmpstr (tag (window, "incoming_source"), ==, "Guessed");
  od_ui_test_screenshot (GTK_WIDGET (window), "review-found");

  /* Editable: the port the check must use here is the fake server's real one. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (od_ui_test_find (review, GTK_TYPE_SPIN_BUTTON,
                                                               "port_spin")),
                             ports.ports[0]);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (port_tag)), ==, "You");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (host_tag)), ==, "Guessed");
  g_assert_cmpstr (tag (window, "username_source"), ==, "Your address");

  od_ui_test_activate (GTK_WIDGET (window), "win.start-check", NULL);
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (
                     od_check_get_checklist (od_check_page_get_check (OD_CHECK_PAGE (
                       od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL)))),
                     "auth")), ==, OD_STEP_STATE_PASS);

  od_ui_test_close_window (window);
  od_fake_imap_server_stop (imap);
  g_resolver_set_default (previous);
}

/* Only SRV records, which name a server outside the address's domain: it works, but the
 * review page asks for a confirmation (saying where it came from) before the check may
 * send the password; confirmed, the account keeps the confirmation. */
static void
srv_only (OdDiscovery *discovery,
          gpointer     user_data)
{
  od_discovery_set_sources (discovery, OD_SOURCE_FLAG_SRV);
}

static void
test_discovery_confirm_server (void)
{
  const char * const names[] = { "mail.hosted.test", NULL };
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(OdTestResolver) resolver = od_test_resolver_new ();
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OdAccount) account = NULL;
  OdWindow *window;
  GtkWidget *review;
  GtkWidget *group;
  GtkWidget *check_box;
  GtkWidget *check_button;
  OdAccountStore *store;

  cert = od_test_make_named_cert (certs, names, &error);
  g_assert_no_error (error);
  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_implicit_tls (server, TRUE);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);
  g_assert_true (od_fake_smtp_server_start (server, &error));

  od_test_resolver_add_address (resolver, "mail.hosted.test", "127.0.0.1");
  /* The record names the server's real port: nothing is mapped for the check. */
  od_test_resolver_add_srv (resolver, "_submissions._tcp.example.org", 0, 1,
                            od_fake_smtp_server_get_port (server), "mail.hosted.test.");
  g_resolver_set_default (G_RESOLVER (resolver));

  window = od_ui_test_new_window (720, 900);
  store = od_window_get_account_store (window);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  od_window_set_discovery_hook (window, srv_only, NULL);
  enter_details (window);
  od_ui_test_activate (GTK_WIDGET (window), "win.next", NULL);
  od_ui_test_wait_page (window, "review");

  review = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdReviewPage"), NULL);
  group = od_ui_test_find (review, ADW_TYPE_PREFERENCES_GROUP, "confirm_group");
  check_box = od_ui_test_find (review, GTK_TYPE_CHECK_BUTTON, "confirm_check");
  check_button = od_ui_test_find (review, GTK_TYPE_BUTTON, "check_button");
  g_assert_true (od_ui_test_is_shown (group));
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)),
                            "DNS records"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (od_ui_test_find (review, ADW_TYPE_ENTRY_ROW,
                                                                          "host_row"))),
                   ==, "mail.hosted.test");
  /* Nothing is checked (no password sent) before the confirmation. */
  g_assert_false (gtk_widget_is_sensitive (check_button));
  od_ui_test_screenshot (GTK_WIDGET (window), "review-confirm-server");

  /* Taken into the manual setup (back to the details, then Set Up Manually), the server
   * is prefilled and still asks for the confirmation. */
  od_ui_test_activate (GTK_WIDGET (window), "win.back", NULL);
  od_ui_test_wait_page (window, "details");
  od_ui_test_activate (GTK_WIDGET (window), "win.set-up-manually", NULL);
  od_ui_test_wait_page (window, "review");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (od_ui_test_find (review, ADW_TYPE_ENTRY_ROW,
                                                                          "host_row"))),
                   ==, "mail.hosted.test");
  g_assert_true (od_ui_test_is_shown (group));
  g_assert_false (gtk_widget_is_sensitive (check_button));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check_box), TRUE);
  g_assert_true (gtk_widget_is_sensitive (check_button));

  od_ui_test_activate (GTK_WIDGET (window), "win.start-check", NULL);
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (
                     od_check_get_checklist (od_check_page_get_check (OD_CHECK_PAGE (
                       od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL)))),
                     "auth")), ==, OD_STEP_STATE_PASS);

  od_ui_test_activate (GTK_WIDGET (window), "win.save-account", NULL);
  od_ui_test_wait_page (window, "done");
  account = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_true (od_account_get_server_confirmed (account, "mail.hosted.test",
                                                 od_fake_smtp_server_get_port (server)));

  od_ui_test_remove_accounts (window);
  od_ui_test_close_window (window);
  g_resolver_set_default (previous);
}

static void
click (GtkWidget *root,
       const char *action_name)
{
  GtkWidget *button = od_ui_test_find_action (root, action_name);

  if (button == NULL)
    g_error ("No button for %s is shown", action_name);
  g_signal_emit_by_name (button, "clicked");
}

/* Every port is a blackhole: the discovery page shows up while the search goes on (after a
 * moment on the details page). */
static OdWindow *
start_stuck_discovery (Ports *ports)
{
  OdWindow *window = od_ui_test_new_window (720, 900);
  GtkListBox *candidates_list;

  ports->stuck = TRUE;
  od_window_set_discovery_hook (window, hermetic_discovery, ports);
  enter_details (window);
  od_ui_test_activate (GTK_WIDGET (window), "win.next", NULL);
  od_ui_test_wait_page (window, "discovery");
  candidates_list = od_discovery_page_get_candidates_list (discovery_page (window));
  od_ui_test_wait (candidate_probing, candidates_list, "a server being tried");
  od_ui_test_wait_frames (GTK_WIDGET (window), 20);
  g_assert_true (od_window_get_busy (window));
  g_assert_cmpint (od_discovery_page_get_state (discovery_page (window)), ==,
                   OD_DISCOVERY_PAGE_RUNNING);
  g_assert_cmpstr (page_title (window), ==, "Finding Your Server");

  return window;
}

static void
assert_nothing_running (OdWindow *window)
{
  g_autoptr(GList) sources = progress_rows (od_discovery_page_get_sources_list (discovery_page (window)));
  g_autoptr(GList) candidates = progress_rows (od_discovery_page_get_candidates_list (discovery_page (window)));

  for (GList *l = sources; l != NULL; l = l->next)
    g_assert_cmpint (od_progress_row_get_state (l->data), !=, OD_STEP_STATE_RUNNING);
  for (GList *l = candidates; l != NULL; l = l->next)
    g_assert_cmpint (od_progress_row_get_state (l->data), !=, OD_STEP_STATE_RUNNING);
}

/* Escape during the search: it stops at once, not after the probes' time-outs, and the page
 * says so, with *Try Again* (which searches again) and *Set Up Manually*. */
static void
test_discovery_cancel (void)
{
  g_autoptr(OdTestResolver) resolver = od_test_resolver_new ();
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(OdTestBlackhole) hole_465 = NULL;
  g_autoptr(OdTestBlackhole) hole_587 = NULL;
  g_autoptr(GError) error = NULL;
  Ports ports = { 0 };
  OdWindow *window;
  GtkWidget *page;
  GtkWidget *status_title;
  gint64 started;

  od_test_resolver_add_address (resolver, SERVER, "127.0.0.1");
  g_resolver_set_default (G_RESOLVER (resolver));

  /* Ports that accept nothing and refuse nothing: connects hang, as behind a firewall. */
  for (guint i = 0; i < G_N_ELEMENTS (ports.ports); i++)
    ports.ports[i] = od_test_find_free_port ();
  hole_465 = od_test_blackhole_new ("127.0.0.1", ports.ports[0], &error);
  g_assert_no_error (error);
  hole_587 = od_test_blackhole_new ("127.0.0.1", ports.ports[1], &error);
  g_assert_no_error (error);

  window = start_stuck_discovery (&ports);
  page = GTK_WIDGET (discovery_page (window));
  status_title = od_ui_test_find (page, GTK_TYPE_LABEL, "status_title");
  g_assert_true (od_ui_test_is_shown (od_ui_test_find (page, GTK_TYPE_BUTTON, "cancel_button")));
  od_ui_test_screenshot (GTK_WIDGET (window), "discovery");

  started = g_get_monotonic_time ();
  od_ui_test_activate (GTK_WIDGET (window), "win.cancel", NULL);
  g_assert_false (od_window_get_busy (window));
  g_assert_cmpint (g_get_monotonic_time () - started, <, G_TIME_SPAN_SECOND);
  g_assert_cmpstr (od_window_get_visible_page (window), ==, "discovery");

  /* It says it stopped; no spinner anywhere, no Cancel, both ways on. */
  g_assert_cmpint (od_discovery_page_get_state (discovery_page (window)), ==,
                   OD_DISCOVERY_PAGE_STOPPED);
  g_assert_cmpstr (page_title (window), ==, "Search Stopped");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status_title)), ==, "You stopped the search");
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (od_ui_test_find (page, GTK_TYPE_SPINNER,
                                                                           "spinner"))));
  g_assert_false (gtk_widget_get_visible (od_ui_test_find (page, GTK_TYPE_BUTTON, "cancel_button")));
  od_ui_test_wait_frames (GTK_WIDGET (window), 5);
  assert_nothing_running (window);
  g_assert_nonnull (od_ui_test_find_action (page, "win.next"));
  g_assert_true (gtk_widget_has_css_class (od_ui_test_find_action (page, "win.next"),
                                           "suggested-action"));
  g_assert_nonnull (od_ui_test_find_action (page, "win.set-up-manually"));
  od_ui_test_screenshot (GTK_WIDGET (window), "discovery-stopped");

  /* The engine's own end of the run changes nothing of that. */
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  g_assert_cmpint (od_discovery_page_get_state (discovery_page (window)), ==,
                   OD_DISCOVERY_PAGE_STOPPED);
  assert_nothing_running (window);

  /* Try Again searches again, on the same page. */
  click (page, "win.next");
  g_assert_true (od_window_get_busy (window));
  g_assert_cmpint (od_discovery_page_get_state (discovery_page (window)), ==,
                   OD_DISCOVERY_PAGE_RUNNING);
  g_assert_cmpstr (page_title (window), ==, "Finding Your Server");
  od_ui_test_wait (candidate_probing, od_discovery_page_get_candidates_list (discovery_page (window)),
                   "a server being tried again");
  od_ui_test_activate (GTK_WIDGET (window), "win.cancel", NULL);
  g_assert_cmpint (od_discovery_page_get_state (discovery_page (window)), ==,
                   OD_DISCOVERY_PAGE_STOPPED);

  /* Set Up Manually: nothing answered, so nothing is filled in and nothing is tagged. */
  click (page, "win.set-up-manually");
  od_ui_test_wait_page (window, "review");
  g_assert_cmpstr (review_host (window), ==, "");
  g_assert_null (tag (window, "host_source"));
  g_assert_null (tag (window, "port_source"));
  g_assert_null (tag (window, "security_source"));
  g_assert_cmpstr (tag (window, "username_source"), ==, "Your address");
  od_ui_test_screenshot (GTK_WIDGET (window), "review-manual-empty");
  /* What the user changes is theirs. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (od_ui_test_find (review_page (window),
                                                               GTK_TYPE_SPIN_BUTTON, "port_spin")),
                             465);
  g_assert_cmpstr (tag (window, "port_source"), ==, "You");
  g_assert_null (tag (window, "security_source"));

  od_ui_test_close_window (window);
  g_resolver_set_default (previous);
}

/* A detection slower than a moment: its page comes, and the review follows without
 * pushing it out halfway through its slide (no flicker). */
static void
test_discovery_slow (void)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(OdTestResolver) resolver = od_test_resolver_new ();
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GPtrArray) visited = NULL;
  g_autoptr(OdTestBlackhole) hole = NULL;
  g_autoptr(GError) error = NULL;
  const char * const names[] = { SERVER, NULL };
  GtkStack *stack;
  Ports ports = { 0 };
  OdWindow *window;

  cert = od_test_make_named_cert (certs, names, &error);
  g_assert_no_error (error);
  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);
  g_assert_true (od_fake_smtp_server_start (server, &error));

  od_test_resolver_add_address (resolver, SERVER, "127.0.0.1");
  g_resolver_set_default (G_RESOLVER (resolver));
  for (guint i = 0; i < G_N_ELEMENTS (ports.ports); i++)
    ports.ports[i] = od_test_find_free_port ();
  /* 587 works at once, but 465 ranks higher and hangs: 587 wins when 465's grace period is
   * over, half a second in, about when the discovery page is sliding in. */
  hole = od_test_blackhole_new ("127.0.0.1", ports.ports[0], &error);
  g_assert_no_error (error);
  ports.ports[1] = od_fake_smtp_server_get_port (server);

  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  od_window_set_discovery_hook (window, hermetic_discovery, &ports);
  stack = GTK_STACK (od_ui_test_find (GTK_WIDGET (window), GTK_TYPE_STACK, "stack"));
  enter_details (window);
  visited = record_pages (window);
  od_ui_test_activate (GTK_WIDGET (window), "win.next", NULL);
  od_ui_test_wait_page (window, "review");
  stop_recording (window, visited);

  g_assert_cmpuint (visited->len, ==, 2);
  g_assert_true (visited_is (visited, 0, "discovery"));
  g_assert_true (visited_is (visited, 1, "review"));
  g_test_message ("discovery page for %" G_GINT64_FORMAT " ms",
                  visited_at (visited, 1) - visited_at (visited, 0));
  g_assert_cmpint (visited_at (visited, 1) - visited_at (visited, 0), >=,
                   gtk_stack_get_transition_duration (stack) - 20);
  g_assert_cmpint (od_discovery_page_get_state (discovery_page (window)), ==,
                   OD_DISCOVERY_PAGE_FOUND);
  g_assert_cmpstr (page_title (window), ==, "Server Found");
  g_assert_cmpstr (review_host (window), ==, SERVER);
  g_assert_cmpint (review_port (window), ==, 587);

  od_ui_test_close_window (window);
  g_resolver_set_default (previous);
}

/* Escape before the discovery page showed up: the details stay, ready for another go. */
static void
test_discovery_cancel_early (void)
{
  g_autoptr(OdTestResolver) resolver = od_test_resolver_new ();
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(OdTestBlackhole) hole = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) visited = NULL;
  Ports ports = { 0 };
  OdWindow *window;

  od_test_resolver_add_address (resolver, SERVER, "127.0.0.1");
  g_resolver_set_default (G_RESOLVER (resolver));
  for (guint i = 0; i < G_N_ELEMENTS (ports.ports); i++)
    ports.ports[i] = od_test_find_free_port ();
  hole = od_test_blackhole_new ("127.0.0.1", ports.ports[0], &error);
  g_assert_no_error (error);

  window = od_ui_test_new_window (720, 900);
  od_window_set_discovery_hook (window, hermetic_discovery, &ports);
  enter_details (window);
  visited = record_pages (window);
  od_ui_test_activate (GTK_WIDGET (window), "win.next", NULL);
  g_assert_true (od_window_get_busy (window));
  od_ui_test_activate (GTK_WIDGET (window), "win.cancel", NULL);
  g_assert_false (od_window_get_busy (window));

  /* Well past the moment the discovery page would have come. */
  od_ui_test_wait_frames (GTK_WIDGET (window), 60);
  stop_recording (window, visited);
  g_assert_cmpuint (visited->len, ==, 0);
  g_assert_cmpstr (od_window_get_visible_page (window), ==, "details");
  g_assert_true (gtk_widget_is_sensitive (od_ui_test_find_action (GTK_WIDGET (window), "win.next")));

  od_ui_test_close_window (window);
  g_resolver_set_default (previous);
}

/* Every guess fails (nothing listens): no row keeps a tick or a spinner, the usual names say
 * none of them worked, and the page says nothing was found. */
static void
test_discovery_nothing_works (void)
{
  g_autoptr(OdTestResolver) resolver = od_test_resolver_new ();
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(GList) candidates = NULL;
  Ports ports = { 0 };
  OdWindow *window;
  OdProgressRow *guess;

  od_test_resolver_add_address (resolver, SERVER, "127.0.0.1");
  g_resolver_set_default (G_RESOLVER (resolver));
  for (guint i = 0; i < G_N_ELEMENTS (ports.ports); i++)
    ports.ports[i] = od_test_find_free_port ();   /* refused */

  window = od_ui_test_new_window (720, 900);
  od_window_set_discovery_hook (window, hermetic_discovery, &ports);
  enter_details (window);
  od_ui_test_activate (GTK_WIDGET (window), "win.next", NULL);
  od_ui_test_wait_page (window, "discovery");
  od_ui_test_wait_idle (window);
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);

  g_assert_cmpint (od_discovery_page_get_state (discovery_page (window)), ==,
                   OD_DISCOVERY_PAGE_FAILED);
  g_assert_cmpstr (page_title (window), ==, "No Server Found");
  assert_nothing_running (window);

  guess = source_row (window, "Usual server names");
  g_assert_cmpint (od_progress_row_get_state (guess), ==, OD_STEP_STATE_FAIL);
  g_assert_true (g_str_has_prefix (row_subtitle (guess), "None of the servers it named worked."));
  g_assert_null (strstr (row_subtitle (guess), "Trying"));
  od_ui_test_assert_light (od_progress_row_get_light (guess), "dialog-error-symbolic", "error",
                           "Usual server names: Failed");
  candidates = progress_rows (od_discovery_page_get_candidates_list (discovery_page (window)));
  for (GList *l = candidates; l != NULL; l = l->next)
    g_assert_cmpint (od_progress_row_get_state (l->data), !=, OD_STEP_STATE_PASS);

  /* No certificate to look at; the ways on are there. */
  g_assert_false (gtk_widget_get_visible (od_ui_test_find (GTK_WIDGET (discovery_page (window)),
                                                           GTK_TYPE_BUTTON, "certificate_button")));
  g_assert_nonnull (od_ui_test_find_action (GTK_WIDGET (discovery_page (window)), "win.next"));
  g_assert_nonnull (od_ui_test_find_action (GTK_WIDGET (discovery_page (window)),
                                            "win.set-up-manually"));
  od_ui_test_screenshot (GTK_WIDGET (window), "discovery-nothing-found");

  od_ui_test_close_window (window);
  g_resolver_set_default (previous);
}

/* After a discovery that found the server, the manual setup starts from it: the same server,
 * tagged with where it came from. */
static void
test_discovery_manual_prefilled (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autoptr(OdTestResolver) resolver = od_test_resolver_new ();
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  Ports ports = { 0 };
  OdWindow *window;

  od_test_resolver_add_address (resolver, SERVER, "127.0.0.1");
  g_resolver_set_default (G_RESOLVER (resolver));
  ports.ports[0] = od_fake_smtp_server_get_port (server);
  for (guint i = 1; i < G_N_ELEMENTS (ports.ports); i++)
    ports.ports[i] = od_test_find_free_port ();

  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  od_window_set_discovery_hook (window, hermetic_discovery, &ports);
  enter_details (window);
  od_ui_test_activate (GTK_WIDGET (window), "win.next", NULL);
  od_ui_test_wait_page (window, "review");

  od_ui_test_activate (GTK_WIDGET (window), "win.back", NULL);
  od_ui_test_wait_page (window, "details");
  od_ui_test_activate (GTK_WIDGET (window), "win.set-up-manually", NULL);
  od_ui_test_wait_page (window, "review");

  g_assert_cmpstr (review_host (window), ==, SERVER);
  g_assert_cmpint (review_port (window), ==, 465);
  g_assert_cmpint (od_review_page_get_security (OD_REVIEW_PAGE (review_page (window))), ==,
                   OD_SECURITY_TLS);
  g_assert_cmpstr (tag (window, "host_source"), ==, "Guessed");
  g_assert_cmpstr (tag (window, "port_source"), ==, "Guessed");
  g_assert_cmpstr (tag (window, "security_source"), ==, "Guessed");
  g_assert_cmpstr (tag (window, "username_source"), ==, "Your address");
  /* A server within the address's domain needs no confirmation. */
  g_assert_null (od_review_page_get_unconfirmed (OD_REVIEW_PAGE (review_page (window))));
  od_ui_test_screenshot (GTK_WIDGET (window), "review-manual-prefilled");

  /* Another address: what was found for the first one is not offered. */
  od_ui_test_activate (GTK_WIDGET (window), "win.back", NULL);
  od_ui_test_wait_page (window, "details");
  od_ui_test_set_text (od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdDetailsPage"), NULL),
                       "address_row", "someone@example.net");
  od_ui_test_activate (GTK_WIDGET (window), "win.set-up-manually", NULL);
  od_ui_test_wait_page (window, "review");
  g_assert_cmpstr (review_host (window), ==, "");
  g_assert_null (tag (window, "host_source"));

  od_ui_test_close_window (window);
  g_resolver_set_default (previous);
}

/* The provider's settings name the user name (the local part here): the review tags it with
 * the provider database, not with DNS or "You". */
static void
provider_discovery (OdDiscovery *discovery,
                    gpointer     user_data)
{
  OdProviderDb *db = user_data;

  od_discovery_set_sources (discovery, OD_SOURCE_FLAG_PROVIDER_DB);
  od_discovery_set_provider_db (discovery, db);
}

static void
test_discovery_review_tags (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autoptr(OdTestResolver) resolver = od_test_resolver_new ();
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(OdProviderDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("od-ui-providers-XXXXXX", &error);
  g_autofree char *file = NULL;
  g_autofree char *xml = NULL;
  OdWindow *window;

  g_assert_no_error (error);
  /* The database names the server's real port: nothing needs mapping. */
  xml = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<clientConfig version=\"1.1\">\n"
                         "  <emailProvider id=\"example.org\">\n"
                         "    <domain>example.org</domain>\n"
                         "    <displayName>Example</displayName>\n"
                         "    <outgoingServer type=\"smtp\">\n"
                         "      <hostname>" SERVER "</hostname>\n"
                         "      <port>%u</port>\n"
                         "      <socketType>SSL</socketType>\n"
                         "      <username>%%EMAILLOCALPART%%</username>\n"
                         "      <authentication>password-cleartext</authentication>\n"
                         "    </outgoingServer>\n"
                         "  </emailProvider>\n"
                         "</clientConfig>\n", od_fake_smtp_server_get_port (server));
  file = g_build_filename (dir, "example.org.xml", NULL);
  g_assert_true (g_file_set_contents (file, xml, -1, &error));
  db = od_provider_db_new_from_directory (dir, &error);
  g_assert_no_error (error);

  od_test_resolver_add_address (resolver, SERVER, "127.0.0.1");
  g_resolver_set_default (G_RESOLVER (resolver));

  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  od_window_set_discovery_hook (window, provider_discovery, db);
  enter_details (window);
  od_ui_test_activate (GTK_WIDGET (window), "win.next", NULL);
  od_ui_test_wait_page (window, "review");

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (od_ui_test_find (review_page (window),
                                                                          ADW_TYPE_ENTRY_ROW,
                                                                          "username_row"))),
                   ==, "user");
  g_assert_cmpstr (tag (window, "host_source"), ==, "Provider database");
  g_assert_cmpstr (tag (window, "username_source"), ==, "Provider database");
  od_ui_test_screenshot (GTK_WIDGET (window), "review-provider-tags");

  /* The user's own user name is theirs. */
  od_ui_test_set_text (review_page (window), "username_row", USER);
  g_assert_cmpstr (tag (window, "username_source"), ==, "You");
  g_assert_cmpstr (tag (window, "host_source"), ==, "Provider database");

  od_ui_test_close_window (window);
  g_resolver_set_default (previous);
  g_unlink (file);
  g_rmdir (dir);
}

static void
cleared_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (od_secret_store_clear_finish (OD_SECRET_STORE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *)user_data = TRUE;
}

static gboolean
flag_set (gpointer user_data)
{
  return *(gboolean *)user_data;
}

/* The saved account's password out of the keyring, so later tests' windows find no orphan. */
static void
forget_password (OdAccount *account)
{
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  gboolean done = FALSE;

  od_secret_store_clear_async (secrets, od_account_get_id (account), NULL, cleared_cb, &done);
  od_ui_test_wait (flag_set, &done, "the password to be removed");
}

/* A server found through SRV answers with a certificate from an authority this computer
 * does not know: the discovery page offers *Review Certificate…* (the full fingerprint in
 * the checklist's dialog); trusted, the setup goes on to the review with that server, the
 * check passes with the certificate pinned, and the saved account keeps it. */
static void
srv_only_hook (OdDiscovery *discovery,
               gpointer     user_data)
{
  od_discovery_set_sources (discovery, OD_SOURCE_FLAG_SRV);
}

static void
test_discovery_certificate (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autoptr(OdTestResolver) resolver = od_test_resolver_new ();
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(OdAccount) account = NULL;
  g_auto(GStrv) pins = NULL;
  g_autofree char *shown = NULL;
  guint16 port = od_fake_smtp_server_get_port (server);
  AdwMessageDialog *dialog;
  OdDiscovery *discovery;
  OdCandidate *candidate;
  GtkWidget *page;
  OdWindow *window;

  od_test_resolver_add_address (resolver, SERVER, "127.0.0.1");
  od_test_resolver_add_srv (resolver, "_submissions._tcp.example.org", 0, 1, port, SERVER ".");
  g_resolver_set_default (G_RESOLVER (resolver));

  /* No CA file: the test CA is an authority this computer does not know. */
  window = od_ui_test_new_window (720, 900);
  od_window_set_discovery_hook (window, srv_only_hook, NULL);
  enter_details (window);
  od_ui_test_activate (GTK_WIDGET (window), "win.next", NULL);
  od_ui_test_wait_page (window, "discovery");
  od_ui_test_wait_idle (window);
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);

  page = GTK_WIDGET (discovery_page (window));
  g_assert_cmpint (od_discovery_page_get_state (discovery_page (window)), ==,
                   OD_DISCOVERY_PAGE_FAILED);
  g_assert_cmpstr (page_title (window), ==, "Certificate Not Trusted");
  g_assert_true (od_ui_test_is_shown (od_ui_test_find (page, GTK_TYPE_BUTTON, "certificate_button")));
  /* The main way on is in sight and takes Enter; the others wait in the menu beside it,
   * not as a stack of buttons. */
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window)) ==
                 od_ui_test_find (page, GTK_TYPE_BUTTON, "certificate_button"));
  g_assert_true (od_ui_test_is_shown (od_ui_test_find (page, GTK_TYPE_MENU_BUTTON, "more_button")));
  g_assert_false (od_ui_test_is_shown (od_ui_test_find (page, GTK_TYPE_BUTTON, "retry_button")));
  g_assert_false (od_ui_test_is_shown (od_ui_test_find (page, GTK_TYPE_BUTTON, "manual_button")));
  /* The source's row says what came of its server. */
  g_assert_cmpint (od_progress_row_get_state (source_row (window, "DNS service records")), ==,
                   OD_STEP_STATE_WARN);
  g_assert_true (g_str_has_prefix (row_subtitle (source_row (window, "DNS service records")),
                                   SERVER ", port "));
  g_assert_nonnull (strstr (row_subtitle (source_row (window, "DNS service records")),
                            "answered, but its certificate is not trusted."));
  od_ui_test_screenshot (GTK_WIDGET (window), "discovery-certificate");

  discovery = od_discovery_page_get_discovery (discovery_page (window));
  candidate = g_list_model_get_item (od_discovery_get_candidates (discovery), 0);
  g_object_unref (candidate);   /* the list keeps it */
  g_assert_cmpint (od_candidate_get_status (candidate), ==, OD_CANDIDATE_TLS_ERROR);

  click (page, "win.review-certificate");
  dialog = od_ui_test_wait_dialog (OD_TYPE_CERTIFICATE_DIALOG);
  shown = g_strdup (gtk_label_get_text (GTK_LABEL (od_ui_test_find (GTK_WIDGET (dialog),
                                                                     GTK_TYPE_LABEL,
                                                                     "fingerprint_label"))));
  /* The whole fingerprint, not one cut short. */
  g_assert_cmpstr (shown, ==, od_tls_info_get_fingerprint (od_candidate_get_tls_info (candidate)));
  g_assert_null (strstr (shown, "…"));
  g_assert_cmpstr (od_certificate_dialog_get_host (OD_CERTIFICATE_DIALOG (dialog)), ==, SERVER);
  g_assert_cmpuint (od_certificate_dialog_get_port (OD_CERTIFICATE_DIALOG (dialog)), ==, port);
  od_ui_test_screenshot (GTK_WIDGET (dialog), "discovery-certificate-dialog");
  od_ui_test_respond (dialog, OD_CERTIFICATE_DIALOG_RESPONSE_TRUST);

  /* On to the review with that server, saying that its certificate is trusted by choice. */
  od_ui_test_wait_page (window, "review");
  g_assert_cmpstr (review_host (window), ==, SERVER);
  g_assert_cmpint (review_port (window), ==, port);
  g_assert_cmpstr (tag (window, "host_source"), ==, "DNS");
  g_assert_cmpstr (tag (window, "username_source"), ==, "Your address");
  g_assert_true (od_review_page_get_valid (OD_REVIEW_PAGE (review_page (window))));
  od_ui_test_screenshot (GTK_WIDGET (window), "review-trusted-certificate");

  od_ui_test_activate (GTK_WIDGET (window), "win.start-check", NULL);
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (
                     od_check_get_checklist (od_check_page_get_check (OD_CHECK_PAGE (
                       od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL)))),
                     "auth")), ==, OD_STEP_STATE_PASS);

  od_ui_test_activate (GTK_WIDGET (window), "win.save-account", NULL);
  od_ui_test_wait_page (window, "done");
  account = g_list_model_get_item (G_LIST_MODEL (od_window_get_account_store (window)), 0);
  pins = od_account_dup_pinned_fingerprints (account, SERVER, port);
  g_assert_cmpuint (g_strv_length (pins), ==, 1);

  forget_password (account);
  od_ui_test_remove_accounts (window);
  od_ui_test_close_window (window);
  g_resolver_set_default (previous);
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

  g_test_add_func ("/od/ui/discovery/finds-server", test_discovery_finds_server);
  g_test_add_func ("/od/ui/discovery/cancel", test_discovery_cancel);
  g_test_add_func ("/od/ui/discovery/cancel-early", test_discovery_cancel_early);
  g_test_add_func ("/od/ui/discovery/slow", test_discovery_slow);
  g_test_add_func ("/od/ui/discovery/nothing-works", test_discovery_nothing_works);
  g_test_add_func ("/od/ui/discovery/manual-prefilled", test_discovery_manual_prefilled);
  g_test_add_func ("/od/ui/discovery/review-tags", test_discovery_review_tags);
  g_test_add_func ("/od/ui/discovery/certificate", test_discovery_certificate);
  g_test_add_func ("/od/ui/discovery/confirm-server", test_discovery_confirm_server);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
