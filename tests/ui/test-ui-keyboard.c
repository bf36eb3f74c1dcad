/* test-ui-keyboard.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The keyboard, with real key presses (xdotool through the X server, as a person would
 * type): Ctrl+N starts a setup, Caps Lock is shown, Enter moves from field to field and then on to finding the
 * server, Escape stops the search at once; Escape also stops a running check. */

#include "config.h"

#include <string.h>

#include "od-check-page.h"
#include "od-checklist-row.h"
#include "od-fake-smtp-server.h"
#include "od-test-discovery.h"
#include "od-ui-test.h"

#define USER "user@example.org"

static OdTestCerts *certs;

typedef struct
{
  gboolean done;
  gboolean ok;
} Spawn;

static void
xdotool_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Spawn *spawn = user_data;

  spawn->ok = g_subprocess_wait_check_finish (G_SUBPROCESS (object), result, NULL);
  spawn->done = TRUE;
}

static gboolean
spawn_done (gpointer user_data)
{
  return ((Spawn *)user_data)->done;
}

/* Runs xdotool while the main loop keeps going, so the window handles the keys meanwhile. */
static void
xdotool (const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Spawn spawn = { FALSE, FALSE };
  va_list args;

  g_ptr_array_add (argv, (char *)"xdotool");
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *)argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, xdotool_cb, &spawn);
  od_ui_test_wait (spawn_done, &spawn, "xdotool");
  g_assert_true (spawn.ok);
}

/* Gives the window the X input focus (there is no window manager to do it). */
static void
focus_window (OdWindow *window)
{
  xdotool ("search", "--sync", "--onlyvisible", "--name", "^Outbox Doctor$",
           "windowfocus", "--sync", NULL);
  od_ui_test_wait_frames (GTK_WIDGET (window), 5);
}

static gboolean
focus_inside (GtkWidget *window,
              GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

typedef struct
{
  GtkWidget *window;
  GtkWidget *widget;
} FocusWait;

static gboolean
has_focus (gpointer user_data)
{
  FocusWait *wait = user_data;

  return focus_inside (wait->window, wait->widget);
}

static void
wait_focus (OdWindow  *window,
            GtkWidget *widget)
{
  FocusWait wait = { GTK_WIDGET (window), widget };
  g_autofree char *what = g_strdup_printf ("the focus in %s",
                                           gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)));

  od_ui_test_wait (has_focus, &wait, what);
}

/* Loopback only, no HTTP: every well-known port leads to the silent @user_data port. */
static void
hermetic_discovery (OdDiscovery *discovery,
                    gpointer     user_data)
{
  const guint16 logical_ports[] = { 465, 587, 2525, 25 };

  od_discovery_set_sources (discovery, OD_SOURCE_FLAG_PROVIDER_DB | OD_SOURCE_FLAG_SRV |
                                       OD_SOURCE_FLAG_MX | OD_SOURCE_FLAG_GUESS);
  for (guint i = 0; i < G_N_ELEMENTS (logical_ports); i++)
    od_discovery_map_port_for_testing (discovery, logical_ports[i], GPOINTER_TO_UINT (user_data));
}

static gboolean
widget_shown (gpointer user_data)
{
  return od_ui_test_is_shown (user_data);
}

static gboolean
widget_hidden (gpointer user_data)
{
  return !od_ui_test_is_shown (user_data);
}

static gboolean
window_not_busy (gpointer user_data)
{
  return !od_window_get_busy (OD_WINDOW (user_data));
}

static gboolean
od_window_get_busy_cb (gpointer user_data)
{
  return od_window_get_busy (OD_WINDOW (user_data));
}

static void
test_keyboard_enter_and_escape (void)
{
  g_autoptr(OdTestResolver) resolver = od_test_resolver_new ();
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(OdTestBlackhole) hole = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port = od_test_find_free_port ();
  OdWindow *window;
  GtkWidget *details;
  GtkWidget *name_row;
  GtkWidget *address_row;
  GtkWidget *password_row;
  GtkWidget *caps_lock;
  GtkWidget *discovery;
  GtkWidget *retry;
  GtkAdjustment *scroll;

  /* Discovery that hangs: the guessed server's ports accept no connection. */
  od_test_resolver_add_address (resolver, "smtp.example.org", "127.0.0.1");
  g_resolver_set_default (G_RESOLVER (resolver));
  hole = od_test_blackhole_new ("127.0.0.1", port, &error);
  g_assert_no_error (error);

  window = od_ui_test_new_window (720, 760);
  od_window_set_discovery_hook (window, hermetic_discovery,
                                GUINT_TO_POINTER (port));
  focus_window (window);

  xdotool ("key", "--clearmodifiers", "ctrl+n", NULL);
  od_ui_test_wait_page (window, "details");
  details = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdDetailsPage"), NULL);
  name_row = od_ui_test_find (details, ADW_TYPE_ENTRY_ROW, "name_row");
  address_row = od_ui_test_find (details, ADW_TYPE_ENTRY_ROW, "address_row");
  password_row = od_ui_test_find (details, ADW_TYPE_ENTRY_ROW, "password_row");
  wait_focus (window, name_row);

  /* Caps Lock is shown while it is on. */
  caps_lock = od_ui_test_find (details, GTK_TYPE_BOX, "caps_lock_box");
  g_assert_false (od_ui_test_is_shown (caps_lock));
  xdotool ("key", "Caps_Lock", NULL);
  od_ui_test_wait (widget_shown, caps_lock, "the Caps Lock warning");
  xdotool ("key", "Caps_Lock", NULL);
  od_ui_test_wait (widget_hidden, caps_lock, "the Caps Lock warning to go");

  xdotool ("type", "--delay", "5", "Ada Lovelace", NULL);
  xdotool ("key", "Return", NULL);
  wait_focus (window, address_row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Ada Lovelace");

  xdotool ("type", "--delay", "5", USER, NULL);
  xdotool ("key", "Return", NULL);
  wait_focus (window, password_row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (address_row)), ==, USER);

  /* Not a real password: keys typed by xdotool are on its command line. */
  xdotool ("type", "--delay", "5", "typed-at-the-keyboard", NULL);
  xdotool ("key", "Return", NULL);
  od_ui_test_wait_page (window, "discovery");
  g_assert_true (od_window_get_busy (window));

  xdotool ("key", "Escape", NULL);
  od_ui_test_wait (window_not_busy, window, "Escape to stop the search");
  g_assert_cmpstr (od_window_get_visible_page (window), ==, "discovery");

  /* Stopped: *Try Again* is the way on, has the focus, and Enter searches again, shown
   * from the top of the page. */
  discovery = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdDiscoveryPage"), NULL);
  retry = od_ui_test_find (discovery, GTK_TYPE_BUTTON, "retry_button");
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window)) == retry);
  wait_focus (window, retry);
  scroll = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (od_ui_test_find (discovery, GTK_TYPE_SCROLLED_WINDOW, "scroller")));
  gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll));
  od_ui_test_wait_frames (GTK_WIDGET (window), 3);
  xdotool ("key", "Return", NULL);
  od_ui_test_wait (od_window_get_busy_cb, window, "Enter to search again");
  g_assert_cmpfloat (gtk_adjustment_get_value (scroll), ==, 0);
  xdotool ("key", "Escape", NULL);
  od_ui_test_wait (window_not_busy, window, "Escape to stop the search again");

  od_ui_test_close_window (window);
  g_resolver_set_default (previous);
}

/* The steps a stopped check never reached say so, not that an earlier step failed. */
static void
assert_stopped_rows (OdCheckPage *page)
{
  g_autoptr(GList) rows = od_ui_test_find_all (GTK_WIDGET (od_check_page_get_list (page)),
                                               OD_TYPE_CHECKLIST_ROW);
  guint n_not_reached = 0;
  guint n_stopped_during = 0;

  for (GList *l = rows; l != NULL; l = l->next)
    {
      OdCheckStep *step = od_checklist_row_get_step (l->data);
      const char *detail = od_check_step_get_detail (step);

      if (od_check_step_get_state (step) != OD_STEP_STATE_SKIP)
        continue;
      g_assert_cmpstr (detail, !=, "Not checked because an earlier step failed.");
      if (g_strcmp0 (detail, "Not checked because the check was stopped.") == 0)
        n_not_reached++;
      else if (g_strcmp0 (detail, "The check was stopped during this step.") == 0)
        n_stopped_during++;
    }

  g_assert_cmpuint (n_stopped_during, ==, 1);
  g_assert_cmpuint (n_not_reached, >=, 5);
}

/* Escape during a check: a server that accepts the connection but never greets. */
static void
test_keyboard_escape_stops_check (void)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GError) error = NULL;
  OdWindow *window;
  GtkWidget *details;
  GtkWidget *review;
  GtkWidget *check_page;
  GtkWidget *verdict;

  od_fake_smtp_server_set_greeting (server, OD_FAKE_SMTP_REPLY_SILENT);
  g_assert_true (od_fake_smtp_server_start (server, &error));
  g_assert_no_error (error);

  window = od_ui_test_new_window (720, 760);
  focus_window (window);

  od_ui_test_activate (GTK_WIDGET (window), "win.add-account", NULL);
  od_ui_test_wait_page (window, "details");
  details = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdDetailsPage"), NULL);
  od_ui_test_set_text (details, "address_row", USER);
  od_ui_test_activate (GTK_WIDGET (window), "win.set-up-manually", NULL);
  od_ui_test_wait_page (window, "review");
  review = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdReviewPage"), NULL);
  od_ui_test_set_text (review, "host_row", "127.0.0.1");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (od_ui_test_find (review, GTK_TYPE_SPIN_BUTTON,
                                                               "port_spin")),
                             od_fake_smtp_server_get_port (server));

  /* Enter in the port moves on to the user name, as the shortcuts window says; Enter in
   * the last field starts the check. */
  gtk_widget_grab_focus (od_ui_test_find (review, GTK_TYPE_SPIN_BUTTON, "port_spin"));
  od_ui_test_wait_frames (GTK_WIDGET (window), 3);
  xdotool ("key", "Return", NULL);
  wait_focus (window, od_ui_test_find (review, ADW_TYPE_ENTRY_ROW, "username_row"));
  xdotool ("key", "Return", NULL);
  od_ui_test_wait_page (window, "check");
  g_assert_true (od_window_get_busy (window));

  xdotool ("key", "Escape", NULL);
  od_ui_test_wait (window_not_busy, window, "Escape to stop the check");
  check_page = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL);
  g_assert_false (od_check_page_get_running (OD_CHECK_PAGE (check_page)));
  verdict = od_ui_test_find (check_page, GTK_TYPE_LABEL, "verdict_title");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (verdict)), ==, "Check stopped");
  /* The title follows: the check is no longer "Checking Settings". */
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (od_ui_test_find (check_page, ADW_TYPE_WINDOW_TITLE, "window_title"))),
                   ==, "Check Stopped");
  assert_stopped_rows (OD_CHECK_PAGE (check_page));
  od_ui_test_screenshot (GTK_WIDGET (window), "check-stopped");

  /* After a stop the main action is *Check Again*, and Enter is it. */
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window)) ==
                 od_ui_test_find (check_page, GTK_TYPE_BUTTON, "again_button"));
  g_assert_false (od_ui_test_is_shown (od_ui_test_find (check_page, GTK_TYPE_BUTTON,
                                                        "save_button")));
  xdotool ("key", "Return", NULL);
  od_ui_test_wait (od_window_get_busy_cb, window, "Enter to check again");
  xdotool ("key", "Escape", NULL);
  od_ui_test_wait (window_not_busy, window, "Escape to stop the check again");

  od_ui_test_close_window (window);
}

/* Every page opens with the focus or the default on its main action: a whole setup with
 * Enter alone once the fields are filled. */
static void
test_keyboard_default_widgets (void)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) rows = NULL;
  OdWindow *window;
  GtkWidget *welcome;
  GtkWidget *details;
  GtkWidget *review;
  GtkWidget *done_button;

  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);
  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_implicit_tls (server, TRUE);
  od_fake_smtp_server_set_credentials (server, USER, "correct horse");
  od_fake_smtp_server_set_require_auth (server, TRUE);
  g_assert_true (od_fake_smtp_server_start (server, &error));
  g_assert_no_error (error);

  window = od_ui_test_new_window (720, 640);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  focus_window (window);

  /* No account yet: the focus is on *Set Up an Account*, not on the menu. */
  welcome = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdWelcomePage"), NULL);
  wait_focus (window, od_ui_test_find (welcome, GTK_TYPE_BUTTON, "setup_button"));
  xdotool ("key", "Return", NULL);
  od_ui_test_wait_page (window, "details");

  details = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdDetailsPage"), NULL);
  od_ui_test_set_text (details, "address_row", USER);
  od_ui_test_set_text (details, "password_row", "correct horse");
  od_ui_test_activate (GTK_WIDGET (window), "win.set-up-manually", NULL);
  od_ui_test_wait_page (window, "review");
  review = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdReviewPage"), NULL);
  od_ui_test_set_text (review, "host_row", "127.0.0.1");
  adw_combo_row_set_selected (ADW_COMBO_ROW (od_ui_test_find (review, ADW_TYPE_COMBO_ROW,
                                                              "security_row")), 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (od_ui_test_find (review, GTK_TYPE_SPIN_BUTTON,
                                                               "port_spin")),
                             od_fake_smtp_server_get_port (server));
  /* The main action is in sight at 720×640, and Enter is it. */
  g_assert_true (od_ui_test_is_shown (od_ui_test_find (review, GTK_TYPE_BUTTON, "check_button")));
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window)) ==
                 od_ui_test_find (review, GTK_TYPE_BUTTON, "check_button"));
  gtk_widget_grab_focus (od_ui_test_find (review, ADW_TYPE_ENTRY_ROW, "username_row"));
  xdotool ("key", "Return", NULL);
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait (window_not_busy, window, "the check");

  /* The check worked: Enter saves. */
  g_assert_true (od_ui_test_is_shown (od_ui_test_find (GTK_WIDGET (window), GTK_TYPE_BUTTON,
                                                       "save_button")));
  xdotool ("key", "Return", NULL);
  od_ui_test_wait_page (window, "done");

  /* The Done page: its button has the focus, Enter goes back to the list. */
  done_button = od_ui_test_find (GTK_WIDGET (window), GTK_TYPE_BUTTON, "done_button");
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window)) == done_button);
  wait_focus (window, done_button);
  xdotool ("key", "Return", NULL);
  od_ui_test_wait_page (window, "welcome");

  /* With an account, the focus is on it, and Enter opens its page. */
  rows = od_ui_test_find_all (GTK_WIDGET (window), g_type_from_name ("OdAccountRow"));
  g_assert_cmpuint (g_list_length (rows), ==, 1);
  wait_focus (window, rows->data);
  xdotool ("key", "Return", NULL);
  od_ui_test_wait_page (window, "account");

  od_ui_test_remove_accounts (window);
  od_ui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_find_program_in_path ("xdotool");
  int status;

  od_ui_test_init (&argc, &argv);

  if (path == NULL)
    {
      g_test_skip ("xdotool is not installed (apt-get install xdotool)");
      return g_test_run ();
    }

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/od/ui/keyboard/enter-and-escape", test_keyboard_enter_and_escape);
  g_test_add_func ("/od/ui/keyboard/escape-stops-check", test_keyboard_escape_stops_check);
  g_test_add_func ("/od/ui/keyboard/default-widgets", test_keyboard_default_widgets);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
