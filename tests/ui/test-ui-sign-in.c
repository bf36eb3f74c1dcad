/* test-ui-sign-in.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Signing in with Google and Microsoft ourselves (issue 18), in the real window. For an
 * address of a provider that takes no password (Outlook.com), the password field gives way to
 * *Sign In With Microsoft*; this build has no client id, so the page says so and opens *Use My
 * Own Client ID*; with one, the button works. For Gmail (an app password or a sign-in) both
 * are offered. Then the whole way: the button opens the browser (the stand-in registered as
 * the default browser of a throw-away XDG directory follows the local provider's
 * authorization page to our loopback redirect), the detection finds Outlook.com's server (a
 * test resolver and mapped ports: loopback only), the check logs in with the token the fake
 * provider issued, and *Save Account* keeps the sign-in in the keyring, not a password.
 * Screenshots: sign-in-no-client-id, sign-in-microsoft, sign-in-google, sign-in-check. */

#include "config.h"

#include <string.h>

#include "od-check-page.h"
#include "od-fake-oauth-server.h"
#include "od-fake-smtp-server.h"
#include "od-secret-store.h"
#include "od-test-browser.h"
#include "od-test-certs.h"
#include "od-test-discovery.h"
#include "od-ui-test.h"
#include "od-window-private.h"

#define ADDRESS   "ada@outlook.com"
#define SERVER    "smtp-mail.outlook.com"
#define CLIENT_ID "od-test-client"
#define TOKEN     "EwB-Our-Own-Microsoft-Sign-In-Access-Token_0123456789"
#define REFRESH   "M.C5-Our-Own-Microsoft-Refresh-Token_9876543210"
#define REFRESH_AGAIN "M.C5-Microsoft-Refresh-Token-Signed-In-Again_13579"

static OdTestCerts *certs;

static GtkWidget *
details_page (OdWindow *window)
{
  return od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdDetailsPage"), NULL);
}

static GtkWidget *
find (OdWindow   *window,
      GType       type,
      const char *id)
{
  return od_ui_test_find (details_page (window), type, id);
}

static void
enter_address (OdWindow   *window,
               const char *address)
{
  od_ui_test_set_text (details_page (window), "name_row", "Ada Lovelace");
  od_ui_test_set_text (details_page (window), "address_row", address);
  od_ui_test_wait_frames (GTK_WIDGET (window), 5);
}

static const char *
group_description (OdWindow *window)
{
  return adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (find (window,
                                                                            ADW_TYPE_PREFERENCES_GROUP,
                                                                            "sign_in_group")));
}

static void
test_button_replaces_password (void)
{
  OdWindow *window = od_ui_test_new_window (720, 900);
  GtkWidget *button, *password, *next, *own;

  od_ui_test_activate (GTK_WIDGET (window), "win.add-account", NULL);
  od_ui_test_wait_page (window, "details");

  /* Outlook.com takes no password: the sign-in takes the password's place. */
  enter_address (window, ADDRESS);
  button = find (window, GTK_TYPE_BUTTON, "sign_in_button");
  password = find (window, ADW_TYPE_PASSWORD_ENTRY_ROW, "password_row");
  next = find (window, GTK_TYPE_BUTTON, "continue_button");
  own = find (window, ADW_TYPE_EXPANDER_ROW, "own_client_row");
  g_assert_true (od_ui_test_is_shown (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Sign In With Microsoft");
  g_assert_false (od_ui_test_is_shown (password));
  g_assert_false (od_ui_test_is_shown (next));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (find (window, GTK_TYPE_LABEL,
                                                                 "intro_label"))),
                            "sign in with your provider"));

  /* This build has no client id: said, and the person's own is asked for. */
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_false (gtk_widget_has_css_class (button, "suggested-action"));
  g_assert_nonnull (strstr (group_description (window), "cannot sign in with Microsoft"));
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (own)));
  od_ui_test_screenshot (GTK_WIDGET (window), "sign-in-no-client-id");

  od_ui_test_set_text (details_page (window), "client_id_row", CLIENT_ID);
  od_ui_test_wait_frames (GTK_WIDGET (window), 5);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_nonnull (strstr (group_description (window), "never sees your password"));
  od_ui_test_screenshot (GTK_WIDGET (window), "sign-in-microsoft");

  /* Gmail: a sign-in, or an app password in the password field. */
  enter_address (window, "ada@gmail.com");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Sign In With Google");
  g_assert_true (od_ui_test_is_shown (button));
  g_assert_true (od_ui_test_is_shown (password));
  g_assert_true (od_ui_test_is_shown (next));
  g_assert_nonnull (strstr (group_description (window), "app password"));
  g_assert_true (gtk_widget_has_css_class (button, "suggested-action"));
  g_assert_false (gtk_widget_has_css_class (next, "suggested-action"));
  od_ui_test_screenshot (GTK_WIDGET (window), "sign-in-google");

  /* Any other provider: a password, as always. */
  enter_address (window, "ada@example.org");
  g_assert_false (od_ui_test_is_shown (button));
  g_assert_true (od_ui_test_is_shown (password));
  g_assert_true (gtk_widget_has_css_class (next, "suggested-action"));
  g_assert_false (od_ui_test_is_shown (find (window, ADW_TYPE_PREFERENCES_GROUP,
                                             "sign_in_group")));

  od_ui_test_close_window (window);
}

typedef struct
{
  guint16 smtp_port;
} Ports;

/* Only our provider database, Outlook.com's port 587 mapped to the fake server. */
static void
hermetic_discovery (OdDiscovery *discovery,
                    gpointer     user_data)
{
  Ports *ports = user_data;
  const guint16 others[] = { 465, 2525, 25, 993, 143, 995, 110 };

  od_discovery_set_sources (discovery, OD_SOURCE_FLAG_PROVIDER_DB);
  od_discovery_map_port_for_testing (discovery, 587, ports->smtp_port);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    od_discovery_map_port_for_testing (discovery, others[i], od_test_find_free_port ());
}

typedef struct
{
  char     *secret;
  GError   *error;
  gboolean  done;
} Lookup;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->secret = od_secret_store_lookup_finish (OD_SECRET_STORE (object), result,
                                                  &lookup->error);
  lookup->done = TRUE;
}

static gboolean
lookup_done (gpointer user_data)
{
  return ((Lookup *) user_data)->done;
}

/* The sign-in ended: the page moved on, or the details page shows why it did not. */
static gboolean
sign_in_over (gpointer user_data)
{
  OdWindow *window = user_data;

  return g_strcmp0 (od_window_get_visible_page (window), "details") != 0 ||
         od_ui_test_is_shown (find (window, GTK_TYPE_BOX, "sign_in_error_box"));
}

static gboolean
page_sensitive (gpointer user_data)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (user_data));
}

static gboolean
check_finished (gpointer user_data)
{
  return od_setup_controller_get_finished (OD_WINDOW (user_data)->setup);
}

static void
test_sign_in_and_save (void)
{
  const char * const names[] = { SERVER, NULL };
  g_autoptr(OdFakeOAuthServer) provider = od_fake_oauth_server_new ();
  g_autoptr(OdFakeSmtpServer) smtp = od_fake_smtp_server_new ();
  g_autoptr(OdTestResolver) resolver = od_test_resolver_new ();
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  g_autoptr(OdAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *issuer = NULL;
  OdAccountStore *store;
  GtkWidget *check_page, *review, *account_page, *sign_in_row;
  guint n_authorize;
  OdCheckStep *auth;
  Lookup lookup = { NULL, NULL, FALSE };
  Ports ports;
  OdWindow *window;

  od_fake_oauth_server_set_client (provider, CLIENT_ID, NULL);
  od_fake_oauth_server_set_tokens (provider, TOKEN, REFRESH);
  g_assert_true (od_fake_oauth_server_start (provider, 0, &error));
  g_assert_no_error (error);
  issuer = g_strdup_printf ("http://127.0.0.1:%u", od_fake_oauth_server_get_port (provider));
  g_setenv ("OD_OAUTH_TEST_ISSUER", issuer, TRUE);

  cert = od_test_make_named_cert (certs, names, &error);
  g_assert_no_error (error);
  od_fake_smtp_server_set_certificate (smtp, cert);
  od_fake_smtp_server_set_capabilities (smtp, "SIZE 1000000\nSTARTTLS\nENHANCEDSTATUSCODES",
                                        "SIZE 1000000\nAUTH LOGIN XOAUTH2\nENHANCEDSTATUSCODES");
  od_fake_smtp_server_set_credentials (smtp, ADDRESS, "no password works here");
  od_fake_smtp_server_set_oauth (smtp, TOKEN, "{\"status\":\"401\",\"schemes\":\"bearer\"}",
                                 "535 5.7.3 Authentication unsuccessful");
  od_fake_smtp_server_set_require_auth (smtp, TRUE);
  g_assert_true (od_fake_smtp_server_start (smtp, &error));
  g_assert_no_error (error);
  ports.smtp_port = od_fake_smtp_server_get_port (smtp);

  od_test_resolver_add_address (resolver, SERVER, "127.0.0.1");
  g_resolver_set_default (G_RESOLVER (resolver));

  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  od_window_set_discovery_hook (window, hermetic_discovery, &ports);
  od_ui_test_activate (GTK_WIDGET (window), "win.add-account", NULL);
  od_ui_test_wait_page (window, "details");
  enter_address (window, ADDRESS);
  od_ui_test_set_text (details_page (window), "client_id_row", CLIENT_ID);

  /* The browser signs in; the detection and the review follow. */
  od_ui_test_activate (GTK_WIDGET (window), "win.sign-in", NULL);
  od_ui_test_wait (sign_in_over, window, "the sign-in");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (window, GTK_TYPE_LABEL,
                                                        "sign_in_error_label"))), ==, "");
  od_ui_test_wait_page (window, "review");
  g_assert_cmpstr (od_fake_oauth_server_get_last_method (provider), ==, "S256");
  g_assert_cmpstr (od_fake_oauth_server_get_last_login_hint (provider), ==, ADDRESS);
  g_assert_nonnull (strstr (od_fake_oauth_server_get_last_scope (provider),
                            "https://outlook.office.com/SMTP.Send"));

  /* The server found is Outlook.com's, on 587; its stand-in listens elsewhere. */
  review = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdReviewPage"), NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (od_ui_test_find (review, ADW_TYPE_ENTRY_ROW,
                                                                         "host_row"))), ==, SERVER);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (od_ui_test_find (review, GTK_TYPE_SPIN_BUTTON,
                                                               "port_spin")),
                             ports.smtp_port);

  check_page = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL);
  od_check_page_set_send_test (OD_CHECK_PAGE (check_page), FALSE);
  od_ui_test_activate (GTK_WIDGET (window), "win.start-check", NULL);
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait (check_finished, window, "the setup's check");
  od_ui_test_wait_idle (window);
  od_ui_test_wait_frames (GTK_WIDGET (window), 20);
  od_ui_test_screenshot (GTK_WIDGET (window), "sign-in-check");
  g_assert_cmpint (od_setup_controller_get_verdict (window->setup), ==, OD_STEP_STATE_PASS);
  auth = od_checklist_get_step (od_check_get_checklist (od_setup_controller_get_check (window->setup)),
                                OD_STEP_AUTH);
  g_assert_nonnull (strstr (od_check_step_get_detail (auth), "token from Microsoft"));

  g_signal_emit_by_name (od_ui_test_find (check_page, GTK_TYPE_BUTTON, "save_button"), "clicked");
  od_ui_test_wait_page (window, "done");

  store = od_window_get_account_store (window);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  account = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_cmpstr (od_account_get_oauth_provider (account), ==, "microsoft");
  g_assert_cmpstr (od_account_get_oauth_client_id (account), ==, CLIENT_ID);

  od_secret_store_lookup_refresh_token_async (secrets, account, NULL, lookup_cb, &lookup);
  od_ui_test_wait (lookup_done, &lookup, "the keyring lookup");
  g_assert_no_error (lookup.error);
  g_assert_cmpstr (lookup.secret, ==, REFRESH);
  g_clear_pointer (&lookup.secret, od_secret_store_free_password);

  /* The account's page: the sign-in instead of a password field. */
  od_ui_test_activate (GTK_WIDGET (window), "win.show-account",
                       g_variant_new_string (od_account_get_id (account)));
  od_ui_test_wait_page (window, "account");
  account_page = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdAccountPage"), NULL);
  sign_in_row = od_ui_test_find (account_page, ADW_TYPE_ACTION_ROW, "sign_in_row");
  g_assert_true (od_ui_test_is_shown (sign_in_row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (sign_in_row)),
                            "With Microsoft"));
  g_assert_false (od_ui_test_is_shown (od_ui_test_find (account_page,
                                                        ADW_TYPE_PASSWORD_ENTRY_ROW,
                                                        "password_row")));
  od_ui_test_screenshot (GTK_WIDGET (window), "sign-in-account-page");

  /* Sign In Again: a new sign-in in the browser, its refresh token replaces the old one. */
  od_fake_oauth_server_set_tokens (provider, TOKEN, REFRESH_AGAIN);
  n_authorize = od_fake_oauth_server_get_n_authorize (provider);
  od_ui_test_activate (GTK_WIDGET (window), "win.sign-in-again", NULL);
  g_assert_false (gtk_widget_get_sensitive (od_ui_test_find (account_page, GTK_TYPE_BUTTON,
                                                            "sign_in_again_button")));
  od_ui_test_wait (page_sensitive, od_ui_test_find (account_page, GTK_TYPE_BUTTON,
                                                    "sign_in_again_button"),
                   "the sign-in again");
  g_assert_cmpuint (od_fake_oauth_server_get_n_authorize (provider), ==, n_authorize + 1);
  lookup.done = FALSE;
  od_secret_store_lookup_refresh_token_async (secrets, account, NULL, lookup_cb, &lookup);
  od_ui_test_wait (lookup_done, &lookup, "the keyring lookup");
  g_assert_no_error (lookup.error);
  g_assert_cmpstr (lookup.secret, ==, REFRESH_AGAIN);
  g_clear_pointer (&lookup.secret, od_secret_store_free_password);

  /* Test Sending: the token from memory, the login row says whose it is. */
  od_ui_test_activate (GTK_WIDGET (window), "win.test-sending",
                       g_variant_new_string (od_account_get_id (account)));
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  auth = od_checklist_get_step (od_check_get_checklist (od_check_page_get_check (OD_CHECK_PAGE (check_page))),
                                OD_STEP_AUTH);
  g_assert_cmpint (od_check_step_get_state (auth), ==, OD_STEP_STATE_PASS);
  g_assert_nonnull (strstr (od_check_step_get_detail (auth), "token from Microsoft"));

  od_ui_test_remove_accounts (window);
  od_ui_test_close_window (window);
  g_resolver_set_default (previous);
  g_unsetenv ("OD_OAUTH_TEST_ISSUER");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("od-ui-browser-XXXXXX", &error);
  g_autofree char *browser = od_test_browser_find ();
  int status;

  /* Before GIO looks at the default applications. */
  g_assert_no_error (error);
  g_assert_nonnull (browser);
  g_assert_true (od_test_browser_register (dir, browser, &error));
  g_assert_no_error (error);

  od_ui_test_init (&argc, &argv);

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/od/ui/sign-in/button-replaces-password", test_button_replaces_password);
  g_test_add_func ("/od/ui/sign-in/sign-in-and-save", test_sign_in_and_save);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
