/* test-ui-found.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* *Found on This Computer*: with no account of our own, but an msmtp account (its password
 * in the keyring under msmtp's own lookup convention) and a Thunderbird profile (no
 * password we can read) in the throw-away HOME, both pointing at our fake SMTP server, and
 * an aerc configuration that cannot be read, the welcome page lists both accounts with
 * their client and server and says that aerc's could not be read. *Test Sending* on the
 * msmtp account runs the checklist with msmtp's settings and password, saying whose they
 * are; on the Thunderbird account the password is asked for, with Thunderbird named, and
 * the check passes. Nothing is saved: no account of ours, no keyring item of ours.
 *
 * Then GNOME Online Accounts: an IMAP/SMTP account in GOA's accounts.conf pointing at the
 * fake SMTP and IMAP servers, its passwords in the keyring the way GOA keeps them, the real
 * goa-daemon running on the test session's bus: the account is listed with GOA named, and
 * *Test Sending* passes with the password GOA hands out, without asking. Skipped when
 * goa-daemon is not installed.
 *
 * Then *Fix in Evolution*: an Evolution account (real evolution-source-registry) whose
 * transport names a port where nothing listens, while the fake server answers on
 * localhost:587 with STARTTLS. The check fails and offers port 587; with it the check
 * passes and the page offers *Fix in Evolution*; the fix goes through the registry, the
 * account is found again with port 587 as Evolution reads it, and checked green. Skipped
 * without evolution-source-registry, or when port 587 of 127.0.0.1 is taken.
 *
 * Then *Use in…* on one of our accounts: to msmtp (its file), and to Evolution (through the
 * registry); each time the account is found again as that client's and checked green. */

#include "config.h"

#include <string.h>

#include <signal.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libedataserver/libedataserver.h>
G_GNUC_END_IGNORE_DEPRECATIONS

#include "od-account-page.h"
#include "od-account-store.h"
#include "od-certificate-dialog.h"
#include "od-secret-store.h"
#include "od-check-page.h"
#include "od-checklist-row.h"
#include "od-fake-imap-server.h"
#include "od-fake-smtp-server.h"
#include "od-found-bus.h"
#include "od-found-evolution.h"
#include "od-found-goa.h"
#include "od-found-row.h"
#include "od-test-certs.h"
#include "od-ui-test.h"
#include "od-welcome-page.h"

#define USER      "user@example.org"
#define PASSWORD  "Tr0ub4dor&3 horse"
#define MSMTP_FROM "ada@example.org"
#define TB_FROM   "grace@example.org"
#define NOHOST_FROM "nohost@example.org"
#define GOA_FROM  "alice@example.org"
#define GOA_ID    "account_1764000000_0"
#define GOA_DAEMON "/usr/libexec/goa-daemon"
#define SOURCE_REGISTRY "/usr/libexec/evolution-source-registry"
#define EVO_ACCOUNT "1764001100.4242.1@od-ui-test"
#define EVO_TRANSPORT "1764001100.4242.3@od-ui-test"
#define EVO_FROM "ivy@example.com"

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

static void
write_file (const char *path,
            const char *contents,
            gssize      length)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, length, &error));
  g_assert_no_error (error);
}

/* msmtp's and Thunderbird's configuration, and an aerc file that is not text. */
static void
seed_clients (guint16 port)
{
  g_autofree char *msmtp = g_build_filename (g_get_user_config_dir (), "msmtp", "config", NULL);
  g_autofree char *profiles = g_build_filename (g_get_home_dir (), ".thunderbird",
                                                "profiles.ini", NULL);
  g_autofree char *prefs = g_build_filename (g_get_home_dir (), ".thunderbird",
                                             "t1.default-release", "prefs.js", NULL);
  g_autofree char *aerc = g_build_filename (g_get_user_config_dir (), "aerc", "accounts.conf",
                                            NULL);
  g_autofree char *msmtp_text = NULL;
  g_autofree char *prefs_text = NULL;

  msmtp_text = g_strdup_printf ("# msmtp, as its manual shows it\n"
                                "defaults\n"
                                "auth on\n"
                                "tls on\n"
                                "tls_starttls off\n"
                                "\n"
                                "account work\n"
                                "host 127.0.0.1\n"
                                "port %u\n"
                                "from " MSMTP_FROM "\n"
                                "user " USER "\n"
                                "\n"
                                "account default : work\n", port);
  write_file (msmtp, msmtp_text, -1);

  write_file (profiles, "[Profile0]\nName=default-release\nIsRelative=1\n"
                        "Path=t1.default-release\nDefault=1\n\n"
                        "[General]\nStartWithLastProfile=1\nVersion=2\n", -1);
  prefs_text = g_strdup_printf (
    "user_pref(\"mail.account.account1.identities\", \"id1,id2\");\n"
    "user_pref(\"mail.account.account1.server\", \"server1\");\n"
    "user_pref(\"mail.accountmanager.accounts\", \"account1\");\n"
    "user_pref(\"mail.identity.id1.fullName\", \"Grace Hopper\");\n"
    "user_pref(\"mail.identity.id1.smtpServer\", \"smtp1\");\n"
    "user_pref(\"mail.identity.id1.useremail\", \"" TB_FROM "\");\n"
    "user_pref(\"mail.identity.id2.smtpServer\", \"smtp2\");\n"
    "user_pref(\"mail.identity.id2.useremail\", \"" NOHOST_FROM "\");\n"
    "user_pref(\"mail.smtpservers\", \"smtp1,smtp2\");\n"
    "user_pref(\"mail.smtpserver.smtp2.port\", 587);\n"
    "user_pref(\"mail.smtpserver.smtp1.authMethod\", 3);\n"
    "user_pref(\"mail.smtpserver.smtp1.hostname\", \"127.0.0.1\");\n"
    "user_pref(\"mail.smtpserver.smtp1.port\", %u);\n"
    "user_pref(\"mail.smtpserver.smtp1.try_ssl\", 3);\n"
    "user_pref(\"mail.smtpserver.smtp1.username\", \"" USER "\");\n", port);
  write_file (prefs, prefs_text, -1);

  write_file (aerc, "[work]\0\x01\x02 binary", 16);
}

/* As msmtp's password_get() finds it: host, service "smtp" and user. */
static void
store_msmtp_password (void)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (attributes, "host", "127.0.0.1");
  g_hash_table_insert (attributes, "service", "smtp");
  g_hash_table_insert (attributes, "user", USER);
  g_assert_true (secret_password_storev_sync (NULL, attributes, SECRET_COLLECTION_DEFAULT,
                                              "msmtp password for " USER, PASSWORD, NULL,
                                              &error));
  g_assert_no_error (error);
}

static gboolean
found_listed (gpointer user_data)
{
  GtkListBox *list = od_welcome_page_get_found_list (OD_WELCOME_PAGE (user_data));

  return gtk_list_box_get_row_at_index (list, 4) != NULL;
}

static OdFoundRow *
find_row (GList      *rows,
          const char *origin)
{
  for (GList *l = rows; l != NULL; l = l->next)
    {
      OdFoundAccount *found = od_found_row_get_found (l->data);

      if (found != NULL && g_str_equal (od_found_account_get_origin (found), origin))
        return l->data;
    }

  return NULL;
}

static void
assert_all_green (OdWindow *window,
                  const char *client)
{
  GtkWidget *check_page = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL);
  GtkListBox *list = od_check_page_get_list (OD_CHECK_PAGE (check_page));
  g_autoptr(GList) rows = od_ui_test_find_all (GTK_WIDGET (list), OD_TYPE_CHECKLIST_ROW);
  const char *origin = od_check_page_get_origin (OD_CHECK_PAGE (check_page));

  g_assert_nonnull (origin);
  g_test_message ("%s", origin);
  g_assert_nonnull (strstr (origin, client));
  g_assert_cmpuint (g_list_length (rows), ==, 10);
  for (GList *l = rows; l != NULL; l = l->next)
    {
      OdCheckStep *step = od_checklist_row_get_step (l->data);

      if (od_check_step_get_state (step) != OD_STEP_STATE_PASS)
        g_error ("The step %s is %s: %s", od_check_step_get_id (step),
                 od_step_state_to_string (od_check_step_get_state (step)),
                 od_check_step_get_detail (step));
    }
}

/* Nothing of the found accounts became ours. */
static void
assert_nothing_saved (void)
{
  g_autoptr(OdAccountStore) store = od_account_store_new (NULL);
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;

  g_assert_true (od_account_store_load (store, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  g_hash_table_insert (attributes, "xdg:schema", "org.outboxdoctor.OutboxDoctor.Account");
  items = secret_password_searchv_sync (NULL, attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (items);
}

static void
test_found (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autoptr(GList) rows = NULL;
  g_autofree char *tb_id = NULL;
  GtkWidget *welcome;
  OdFoundRow *msmtp;
  OdFoundRow *thunderbird;
  OdFoundRow *nohost;
  AdwMessageDialog *dialog;
  OdWindow *window;

  seed_clients (od_fake_smtp_server_get_port (server));
  store_msmtp_password ();

  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  welcome = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_WELCOME_PAGE, NULL);
  od_ui_test_wait (found_listed, welcome, "the accounts of the other mail programs");

  rows = od_ui_test_find_all (GTK_WIDGET (od_welcome_page_get_found_list (OD_WELCOME_PAGE (welcome))),
                              OD_TYPE_FOUND_ROW);
  for (GList *l = rows; l != NULL; l = l->next)
    g_test_message ("%s | %s", adw_preferences_row_get_title (l->data),
                    adw_action_row_get_subtitle (l->data));
  /* msmtp's "default : work" is an account of its own, as msmtp reads it; Thunderbird's
   * second identity sends through a server without a host name. */
  g_assert_cmpuint (g_list_length (rows), ==, 5);
  msmtp = find_row (rows, "msmtp");
  thunderbird = find_row (rows, "thunderbird");
  g_assert_nonnull (msmtp);
  g_assert_nonnull (thunderbird);
  /* The list is made anew each time the welcome page comes back. */
  tb_id = g_strdup (od_found_account_get_id (od_found_row_get_found (thunderbird)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (msmtp)), ==, MSMTP_FROM);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (msmtp)),
                                   "msmtp (work) · 127.0.0.1, port "));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (thunderbird)), ==, TB_FROM);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (thunderbird)),
                                   "Thunderbird · 127.0.0.1, port "));
  gtk_test_accessible_assert_property (od_found_row_get_test_button (msmtp),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Test sending from " MSMTP_FROM
                                       " with the settings of msmtp");
  /* Nothing to test without a server: the button stays off once the row is in the window
   * (an action would switch it back on), and the action refuses such an account too. */
  nohost = find_row (g_list_next (g_list_find (rows, thunderbird)), "thunderbird");
  g_assert_nonnull (nohost);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (nohost)), ==, NOHOST_FROM);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (nohost)), ==,
                   "Thunderbird · no outgoing server set\n"
                   "Thunderbird has no host name for this outgoing server.");
  g_assert_true (od_ui_test_is_shown (GTK_WIDGET (od_found_row_get_test_button (nohost))));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (od_found_row_get_test_button (nohost))));
  od_ui_test_activate (GTK_WIDGET (window), "win.test-found",
                       g_variant_new_string (od_found_account_get_id (od_found_row_get_found (nohost))));
  g_assert_cmpstr (od_window_get_visible_page (window), ==, "welcome");

  /* aerc's unreadable file: said, without a button. */
  g_assert_null (od_found_row_get_found (g_list_last (rows)->data));
  g_assert_cmpstr (adw_preferences_row_get_title (g_list_last (rows)->data), ==,
                   "The accounts of aerc could not be read");
  g_assert_false (od_ui_test_is_shown (GTK_WIDGET (od_found_row_get_test_button (
                                         g_list_last (rows)->data))));
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  od_ui_test_screenshot (GTK_WIDGET (window), "found-on-this-computer");

  /* msmtp's password from the keyring, as msmtp finds it. */
  g_signal_emit_by_name (od_found_row_get_test_button (msmtp), "clicked");
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  assert_all_green (window, "msmtp");
  g_assert_cmpuint (od_fake_smtp_server_get_n_messages (server), ==, 1);
  od_ui_test_wait_frames (GTK_WIDGET (window), 20);
  od_ui_test_screenshot (GTK_WIDGET (window), "found-msmtp-tested");

  /* Thunderbird's password is not ours to read: asked for, used once. */
  od_ui_test_activate (GTK_WIDGET (window), "win.back", NULL);
  od_ui_test_wait_page (window, "welcome");
  od_ui_test_wait (found_listed, welcome, "the accounts found again");
  od_ui_test_activate (GTK_WIDGET (window), "win.test-found", g_variant_new_string (tb_id));
  dialog = od_ui_test_wait_dialog (ADW_TYPE_MESSAGE_DIALOG);
  g_test_message ("%s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Thunderbird keeps the password"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "saved nowhere"));
  od_ui_test_wait_frames (GTK_WIDGET (dialog), 10);
  od_ui_test_screenshot (GTK_WIDGET (dialog), "found-thunderbird-password");
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), PASSWORD);
  od_ui_test_respond (dialog, "check");
  od_ui_test_wait_idle (window);
  assert_all_green (window, "Thunderbird");
  g_assert_cmpuint (od_fake_smtp_server_get_n_messages (server), ==, 2);
  od_ui_test_wait_frames (GTK_WIDGET (window), 20);
  od_ui_test_screenshot (GTK_WIDGET (window), "found-thunderbird-tested");

  assert_nothing_saved ();
  od_ui_test_close_window (window);
}

/* GNOME Online Accounts ------------------------------------------------------------- */

static const SecretSchema goa_schema = {
  "org.gnome.OnlineAccounts", SECRET_SCHEMA_DONT_MATCH_NAME,
  { { "goa-identity", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

/* An IMAP/SMTP account as GOA's own dialog writes it, both servers with implicit TLS and
 * the test CA's certificate accepted by GOA; the passwords as GOA stores them
 * (goa_utils_store_credentials_for_id_sync(): a printed a{sv} under "PROVIDER:genN:ID"). */
static void
seed_goa (guint16 smtp_port,
          guint16 imap_port)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "goa-1.0",
                                            "accounts.conf", NULL);
  g_autofree char *conf = NULL;
  g_autofree char *credentials = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder builder;

  conf = g_strdup_printf ("[Account " GOA_ID "]\n"
                          "Provider=imap_smtp\nIdentity=" GOA_FROM "\n"
                          "PresentationIdentity=" GOA_FROM "\nEnabled=true\n"
                          "EmailAddress=" GOA_FROM "\nName=Alice Example\n"
                          "ImapHost=127.0.0.1:%u\nImapUserName=" USER "\n"
                          "ImapUseSsl=true\nImapUseTls=false\nImapAcceptSslErrors=true\n"
                          "SmtpHost=127.0.0.1:%u\nSmtpUseAuth=true\nSmtpUserName=" USER "\n"
                          "SmtpAuthLogin=false\nSmtpAuthPlain=true\n"
                          "SmtpUseSsl=true\nSmtpUseTls=false\nSmtpAcceptSslErrors=true\n",
                          imap_port, smtp_port);
  write_file (path, conf, -1);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "imap-password", g_variant_new_string (PASSWORD));
  g_variant_builder_add (&builder, "{sv}", "smtp-password", g_variant_new_string (PASSWORD));
  value = g_variant_ref_sink (g_variant_builder_end (&builder));
  credentials = g_variant_print (value, TRUE);
  g_assert_true (secret_password_store_sync (&goa_schema, SECRET_COLLECTION_DEFAULT,
                                             "GOA imap_smtp credentials for identity " GOA_ID,
                                             credentials, NULL, &error,
                                             "goa-identity", "imap_smtp:gen0:" GOA_ID, NULL));
  g_assert_no_error (error);
}

/* goa-daemon without the tests' G_DEBUG=fatal-warnings (its own warnings are not ours). */
static GPid
start_goa_daemon (void)
{
  const char *argv[] = { GOA_DAEMON, "--replace", NULL };
  g_auto(GStrv) envp = g_environ_unsetenv (g_get_environ (), "G_DEBUG");
  g_autoptr(GError) error = NULL;
  GPid pid = 0;

  g_assert_true (g_spawn_async (NULL, (char **)argv, envp,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  return pid;
}

/* Until GOA's D-Bus objects are there: asked the way the app asks. */
static void
wait_for_goa (void)
{
  OdFoundContext context = { g_get_home_dir (), g_get_user_config_dir (), NULL };
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);

      if (od_found_read_goa (&context, found, NULL) && found->len == 1)
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 10);
    }
}

static gboolean
first_found_listed (gpointer user_data)
{
  GtkListBox *list = od_welcome_page_get_found_list (OD_WELCOME_PAGE (user_data));

  return gtk_list_box_get_row_at_index (list, 0) != NULL;
}

static void
test_goa (void)
{
  g_autoptr(OdFakeSmtpServer) server = NULL;
  g_autoptr(OdFakeImapServer) imap = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) rows = NULL;
  GtkWidget *welcome;
  OdFoundRow *row;
  OdWindow *window;
  GPid daemon;

  if (!g_file_test (GOA_DAEMON, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("goa-daemon is not installed (package gnome-online-accounts)");
      return;
    }

  server = start_server ();
  imap = od_fake_imap_server_new ();
  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);
  od_fake_imap_server_set_certificate (imap, cert);
  od_fake_imap_server_set_implicit_tls (imap, TRUE);
  od_fake_imap_server_set_credentials (imap, USER, PASSWORD);
  g_assert_true (od_fake_imap_server_start (imap, &error));
  g_assert_no_error (error);

  seed_goa (od_fake_smtp_server_get_port (server), od_fake_imap_server_get_port (imap));
  daemon = start_goa_daemon ();
  wait_for_goa ();
  g_setenv ("OD_FOUND_CLIENTS", "goa", TRUE);

  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  welcome = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_WELCOME_PAGE, NULL);
  od_ui_test_wait (first_found_listed, welcome, "the GNOME Online Accounts account");

  rows = od_ui_test_find_all (GTK_WIDGET (od_welcome_page_get_found_list (OD_WELCOME_PAGE (welcome))),
                              OD_TYPE_FOUND_ROW);
  g_assert_cmpuint (g_list_length (rows), ==, 1);
  row = rows->data;
  g_assert_cmpstr (od_found_account_get_id (od_found_row_get_found (row)), ==, "goa:" GOA_ID);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, GOA_FROM);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                   "GNOME Online Accounts · 127.0.0.1, port "));
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  od_ui_test_screenshot (GTK_WIDGET (window), "found-goa");

  /* GOA hands out the password: nothing is asked. */
  g_signal_emit_by_name (od_found_row_get_test_button (row), "clicked");
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  assert_all_green (window, "GNOME Online Accounts");
  g_assert_cmpuint (od_fake_smtp_server_get_n_messages (server), ==, 1);
  od_ui_test_wait_frames (GTK_WIDGET (window), 20);
  od_ui_test_screenshot (GTK_WIDGET (window), "found-goa-tested");

  assert_nothing_saved ();
  od_ui_test_close_window (window);
  kill (daemon, SIGTERM);
  waitpid (daemon, NULL, 0);
  g_spawn_close_pid (daemon);
  od_fake_imap_server_stop (imap);
}

/* Evolution ------------------------------------------------------------------------------ */

/* Ivy's account, identity and transport as Evolution writes them; the transport on
 * localhost at @port, with @security (Evolution's [Security] Method). */
static void
seed_evolution (guint16     port,
                const char *security)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "evolution", "sources",
                                           NULL);
  g_autofree char *account = g_build_filename (dir, EVO_ACCOUNT ".source", NULL);
  g_autofree char *identity = g_build_filename (dir, "1764001100.4242.2@od-ui-test.source", NULL);
  g_autofree char *transport = g_build_filename (dir, EVO_TRANSPORT ".source", NULL);
  g_autofree char *transport_text = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;

  write_file (account, "[Data Source]\nDisplayName=" EVO_FROM "\nEnabled=true\nParent=\n\n"
                       "[Mail Account]\nBackendName=none\n"
                       "IdentityUid=1764001100.4242.2@od-ui-test\nNeedsInitialSetup=false\n", -1);
  write_file (identity, "[Data Source]\nDisplayName=" EVO_FROM "\nEnabled=true\n"
                        "Parent=" EVO_ACCOUNT "\n\n"
                        "[Mail Identity]\nAddress=" EVO_FROM "\nName=Ivy Example\n\n"
                        "[Mail Submission]\nTransportUid=" EVO_TRANSPORT "\n", -1);
  transport_text = g_strdup_printf ("[Data Source]\nDisplayName=" EVO_FROM "\nEnabled=true\n"
                                    "Parent=" EVO_ACCOUNT "\n\n"
                                    "[Mail Transport]\nBackendName=smtp\n\n"
                                    "[Authentication]\nHost=localhost\nMethod=PLAIN\nPort=%u\n"
                                    "RememberPassword=true\nUser=" USER "\n\n"
                                    "[Security]\nMethod=%s\n", port, security);
  write_file (transport, transport_text, -1);

  /* As Evolution keeps the transport's password (once: a second test finds it there). */
  if (e_secret_store_lookup_sync (EVO_TRANSPORT, &kept, NULL, NULL) && g_strcmp0 (kept, PASSWORD) == 0)
    return;
  g_assert_true (e_secret_store_store_sync (EVO_TRANSPORT, PASSWORD, "ivy smtp", TRUE, NULL,
                                            &error));
  g_assert_no_error (error);
}

/* A port of localhost where nothing listens. */
static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

/* Our registry owns its name (else a reader would have D-Bus start a second one), and the
 * reader finds Ivy's account. */
static void
wait_for_evolution (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  OdFoundContext context = { g_get_home_dir (), g_get_user_config_dir (), NULL };
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GVariant) reply = NULL;
      gboolean owned = FALSE;

      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", OD_FOUND_EVOLUTION_BUS_NAME),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                           NULL, NULL);
      if (reply != NULL)
        g_variant_get (reply, "(b)", &owned);
      if (owned)
        {
          g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);

          /* (EDS also made a source for the GOA account of the test before: that one is
           * GOA's, and only noted.) */
          if (od_found_read_evolution (&context, found, NULL))
            for (guint i = 0; i < found->len; i++)
              if (g_str_equal (od_found_account_get_id (g_ptr_array_index (found, i)),
                               "evolution:" EVO_ACCOUNT))
                return;
        }
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 10);
    }
}

static gboolean
fix_offered (gpointer user_data)
{
  GtkWidget *check_page = od_ui_test_find (GTK_WIDGET (user_data), OD_TYPE_CHECK_PAGE, NULL);

  return od_ui_test_is_shown (GTK_WIDGET (od_check_page_get_fix_button (OD_CHECK_PAGE (check_page))));
}

typedef struct
{
  OdWindow *window;
  OdCheck  *before;   /* the check before the fix, held so that no new one takes its place */
} Retest;

/* A new check has run to its end since @before. */
static gboolean
retested (gpointer user_data)
{
  Retest *retest = user_data;
  GtkWidget *page = od_ui_test_find (GTK_WIDGET (retest->window), OD_TYPE_CHECK_PAGE, NULL);
  OdCheck *check = od_check_page_get_check (OD_CHECK_PAGE (page));

  return check != NULL && check != retest->before &&
         !od_check_page_get_running (OD_CHECK_PAGE (page)) &&
         !od_window_get_busy (retest->window);
}

static gboolean
transport_fixed (gpointer user_data)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "evolution", "sources",
                                            EVO_TRANSPORT ".source", NULL);
  g_autofree char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) &&
         strstr (contents, "Port=587\n") != NULL;
}

/* The fake server on localhost:587 (STARTTLS, the test CA's certificate), Evolution's
 * account seeded with a port where nothing listens (@plain: port 587 without encryption),
 * the real registry started. FALSE (the
 * test skipped) without the registry or when port 587 is taken. */
static gboolean
start_evolution_fixture (OdFakeSmtpServer *server,
                         gboolean          plain,
                         GPid             *daemon)
{
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { SOURCE_REGISTRY, NULL };
  g_auto(GStrv) envp = g_environ_unsetenv (g_get_environ (), "G_DEBUG");

  if (!g_file_test (SOURCE_REGISTRY, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("evolution-source-registry is not installed (package evolution-data-server)");
      return FALSE;
    }

  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);
  od_fake_smtp_server_set_address (server, "127.0.0.1");
  od_fake_smtp_server_set_port (server, 587);
  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);
  od_fake_smtp_server_set_require_auth (server, TRUE);
  if (!od_fake_smtp_server_start (server, &error))
    {
      g_autofree char *why = g_strdup_printf ("Port 587 of 127.0.0.1 is taken: %s",
                                              error->message);
      g_test_skip (why);
      return FALSE;
    }

  seed_evolution (plain ? 587 : closed_port (), plain ? "none" : "starttls-on-standard-port");
  g_assert_true (g_spawn_async (NULL, (char **)argv, envp,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, daemon, &error));
  g_assert_no_error (error);
  wait_for_evolution ();
  g_setenv ("OD_FOUND_CLIENTS", "evolution", TRUE);
  return TRUE;
}

static void
stop_daemon (GPid daemon)
{
  kill (daemon, SIGTERM);
  waitpid (daemon, NULL, 0);
  g_spawn_close_pid (daemon);
}

static void
test_fix_evolution (void)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  GtkWidget *welcome;
  GtkWidget *check_page;
  OdWindow *window;
  GPid daemon;
  Retest retest = { NULL, NULL };

  if (!start_evolution_fixture (server, FALSE, &daemon))
    return;

  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  welcome = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_WELCOME_PAGE, NULL);
  od_ui_test_wait (first_found_listed, welcome, "the Evolution account");

  /* The port Evolution has refuses; 587 is offered, and works. */
  od_ui_test_activate (GTK_WIDGET (window), "win.test-found",
                       g_variant_new_string ("evolution:" EVO_ACCOUNT));
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  check_page = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL);
  g_assert_false (od_ui_test_is_shown (GTK_WIDGET (od_check_page_get_fix_button (OD_CHECK_PAGE (check_page)))));
  od_ui_test_activate (GTK_WIDGET (window), "win.use-suggestion", NULL);
  od_ui_test_wait (fix_offered, window, "Fix in Evolution");
  g_assert_cmpstr (gtk_button_get_label (od_check_page_get_fix_button (OD_CHECK_PAGE (check_page))),
                   ==, "_Fix in Evolution");
  /* The page no longer claims these are Evolution's settings. */
  g_assert_true (g_str_has_prefix (od_check_page_get_origin (OD_CHECK_PAGE (check_page)),
                                   "These settings work, but Evolution does not have them yet."));
  od_ui_test_wait_frames (GTK_WIDGET (window), 20);
  od_ui_test_screenshot (GTK_WIDGET (window), "found-fix-in-evolution");

  /* Written through the registry, found again as Evolution reads it, checked again. */
  retest.window = window;
  retest.before = g_object_ref (od_check_page_get_check (OD_CHECK_PAGE (check_page)));
  g_signal_emit_by_name (od_check_page_get_fix_button (OD_CHECK_PAGE (check_page)), "clicked");
  od_ui_test_wait (transport_fixed, NULL, "Evolution's transport with port 587");
  od_ui_test_wait (retested, &retest, "the check of the account as Evolution reads it now");
  /* The account as found again has port 587: nothing left to fix. */
  g_assert_cmpuint (od_check_get_port (od_check_page_get_check (OD_CHECK_PAGE (check_page))), ==,
                    587);
  g_assert_false (od_ui_test_is_shown (GTK_WIDGET (od_check_page_get_fix_button (OD_CHECK_PAGE (check_page)))));
  assert_all_green (window, "Evolution");
  g_clear_object (&retest.before);
  od_ui_test_wait_frames (GTK_WIDGET (window), 20);
  od_ui_test_screenshot (GTK_WIDGET (window), "found-fixed-in-evolution");

  assert_nothing_saved ();
  od_ui_test_close_window (window);
  stop_daemon (daemon);
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

/* The check page's checklist ended on an untrusted certificate. */
static gboolean
certificate_refused (gpointer user_data)
{
  OdWindow *window = user_data;
  GtkWidget *check_page = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL);
  OdProblem *problem;

  if (od_check_page_get_running (OD_CHECK_PAGE (check_page)) || od_window_get_busy (window))
    return FALSE;
  problem = od_check_step_get_problem (od_checklist_row_get_step (step_row (window, "tls")));
  return problem != NULL && g_str_equal (od_problem_get_id (problem), "tls-certificate-untrusted");
}

/* Evolution's transport on 587 with encryption off, where the server offers STARTTLS with a
 * certificate the system does not trust (no test CA): STARTTLS is suggested, the person
 * trusts the certificate on the check page, the check passes, and *Fix in Evolution* is
 * offered with the warning that Evolution checks the certificate itself and may refuse it. */
static void
test_fix_evolution_pinned (void)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  GtkWidget *welcome;
  GtkWidget *check_page;
  GtkWidget *trust;
  OdCertificateDialog *dialog;
  OdWindow *window;
  GPid daemon;

  if (!start_evolution_fixture (server, TRUE, &daemon))
    return;

  window = od_ui_test_new_window (720, 900);
  welcome = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_WELCOME_PAGE, NULL);
  od_ui_test_wait (first_found_listed, welcome, "the Evolution account");
  od_ui_test_activate (GTK_WIDGET (window), "win.test-found",
                       g_variant_new_string ("evolution:" EVO_ACCOUNT));
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  /* Evolution has encryption off on 587, where the server offers STARTTLS. */
  g_assert_cmpstr (od_problem_get_id (od_check_step_get_problem (od_checklist_row_get_step (step_row (window, "auth")))),
                   ==, "encryption-mismatch");
  od_ui_test_activate (GTK_WIDGET (window), "win.use-suggestion", NULL);
  od_ui_test_wait (certificate_refused, window, "the check with STARTTLS");

  /* With STARTTLS, a certificate no authority of the system vouches for. */
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  trust = od_ui_test_find_action (GTK_WIDGET (step_row (window, "tls")), "win.trust-certificate");
  g_assert_nonnull (trust);
  g_signal_emit_by_name (trust, "clicked");
  dialog = OD_CERTIFICATE_DIALOG (od_ui_test_wait_dialog (OD_TYPE_CERTIFICATE_DIALOG));
  od_ui_test_respond (ADW_MESSAGE_DIALOG (dialog), OD_CERTIFICATE_DIALOG_RESPONSE_TRUST);
  od_ui_test_wait_idle (window);

  od_ui_test_wait (fix_offered, window, "Fix in Evolution");
  check_page = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL);
  g_test_message ("%s", od_check_page_get_origin (OD_CHECK_PAGE (check_page)));
  g_assert_true (g_str_has_prefix (od_check_page_get_origin (OD_CHECK_PAGE (check_page)),
                                   "These settings work, but Evolution does not have them yet."));
  g_assert_nonnull (strstr (od_check_page_get_origin (OD_CHECK_PAGE (check_page)),
                            "only because you chose to trust it here: Evolution checks it"));
  od_ui_test_wait_frames (GTK_WIDGET (window), 20);
  od_ui_test_screenshot (GTK_WIDGET (window), "found-fix-in-evolution-pinned");

  assert_nothing_saved ();
  od_ui_test_close_window (window);
  stop_daemon (daemon);
}

/* Use in… → msmtp ------------------------------------------------------------------------ */

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

/* One of our accounts on the fake server (implicit TLS), its password in our keyring. */
static void
save_own_account (guint16 port)
{
  g_autoptr(OdAccountStore) store = od_account_store_new (NULL);
  g_autoptr(OdAccount) account = od_account_new ("ada", "ada@example.org");
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
  od_account_set_auth_mechanism (account, "PLAIN");
  od_account_set_settings_source (account, "manual");
  od_account_store_put (store, account, &error);
  g_assert_no_error (error);

  od_secret_store_store_async (secrets, "ada", OD_ACCOUNT_PROTOCOL_SMTP, "127.0.0.1", port, USER,
                               PASSWORD, NULL, store_cb, &op);
  od_ui_test_wait (keyring_op_done, &op, "the keyring");
  g_assert_no_error (op.error);
}

/* *Use in… → msmtp* on the account's page: msmtp's file gets the account (and msmtp's
 * keyring item the password); back on the welcome page the account is found as msmtp's and
 * *Test Sending* on it passes with the password msmtp finds. */
static void
test_use_in_msmtp (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server ();
  g_autofree char *earlier = g_build_filename (g_get_user_config_dir (), "msmtp", "config", NULL);
  g_autofree char *path = g_build_filename (g_get_home_dir (), ".msmtprc", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GList) rows = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *welcome;
  OdWindow *window;

  /* No msmtp file yet (the first test's is removed): the export makes ~/.msmtprc. */
  g_setenv ("OD_FOUND_CLIENTS", "msmtp", TRUE);
  g_unlink (earlier);
  save_own_account (od_fake_smtp_server_get_port (server));

  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  od_ui_test_activate (GTK_WIDGET (window), "win.show-account", g_variant_new_string ("ada"));
  od_ui_test_wait_page (window, "account");
  g_assert_true (od_ui_test_is_shown (od_ui_test_find (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON,
                                                       "use_in_button")));
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  od_ui_test_screenshot (GTK_WIDGET (window), "account-use-in");

  od_ui_test_activate (GTK_WIDGET (window), "win.use-in", g_variant_new ("(ss)", "ada", "msmtp"));
  dialog = od_ui_test_wait_dialog (ADW_TYPE_MESSAGE_DIALOG);
  g_test_message ("%s: %s", adw_message_dialog_get_heading (dialog),
                  adw_message_dialog_get_body (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The Account Is in msmtp Now");
  g_assert_null (strstr (adw_message_dialog_get_body (dialog), PASSWORD));
  od_ui_test_wait_frames (GTK_WIDGET (dialog), 10);
  od_ui_test_screenshot (GTK_WIDGET (dialog), "use-in-msmtp-done");
  od_ui_test_respond (dialog, "close");

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "127.0.0.1"));
  g_assert_null (strstr (contents, PASSWORD));

  /* msmtp's account, found and tested with the password where msmtp finds it. */
  od_ui_test_activate (GTK_WIDGET (window), "win.back", NULL);
  od_ui_test_wait_page (window, "welcome");
  welcome = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_WELCOME_PAGE, NULL);
  od_ui_test_wait (first_found_listed, welcome, "the account as msmtp's");
  rows = od_ui_test_find_all (GTK_WIDGET (od_welcome_page_get_found_list (OD_WELCOME_PAGE (welcome))),
                              OD_TYPE_FOUND_ROW);
  g_assert_cmpuint (g_list_length (rows), ==, 1);
  g_assert_cmpstr (od_found_account_get_origin (od_found_row_get_found (rows->data)), ==, "msmtp");
  g_signal_emit_by_name (od_found_row_get_test_button (rows->data), "clicked");
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  assert_all_green (window, "msmtp");

  od_ui_test_close_window (window);
}

/* Use in… → Evolution ------------------------------------------------------------------- */

static gboolean
ada_found_listed (gpointer user_data)
{
  GtkListBox *list = od_welcome_page_get_found_list (OD_WELCOME_PAGE (user_data));
  g_autoptr(GList) rows = od_ui_test_find_all (GTK_WIDGET (list), OD_TYPE_FOUND_ROW);

  for (GList *l = rows; l != NULL; l = l->next)
    if (g_strcmp0 (od_account_get_address (od_found_account_get_account (od_found_row_get_found (l->data))),
                   "ada@example.org") == 0)
      return TRUE;
  return FALSE;
}

/* *Use in… → Evolution*: the account is created through the real registry, with its
 * password in EDS's keyring item; back on the welcome page it is found as Evolution's and
 * *Test Sending* passes with the password Evolution keeps. */
static void
test_use_in_evolution (void)
{
  g_autoptr(OdFakeSmtpServer) server = NULL;
  g_autoptr(GList) rows = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { SOURCE_REGISTRY, NULL };
  g_auto(GStrv) envp = g_environ_unsetenv (g_get_environ (), "G_DEBUG");
  AdwMessageDialog *dialog;
  GtkWidget *welcome;
  OdWindow *window;
  GPid daemon;

  if (!g_file_test (SOURCE_REGISTRY, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("evolution-source-registry is not installed (package evolution-data-server)");
      return;
    }

  server = start_server ();
  save_own_account (od_fake_smtp_server_get_port (server));
  g_assert_true (g_spawn_async (NULL, (char **)argv, envp,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &daemon, &error));
  g_assert_no_error (error);
  wait_for_evolution ();
  g_setenv ("OD_FOUND_CLIENTS", "evolution", TRUE);

  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  od_ui_test_activate (GTK_WIDGET (window), "win.show-account", g_variant_new_string ("ada"));
  od_ui_test_wait_page (window, "account");
  od_ui_test_activate (GTK_WIDGET (window), "win.use-in",
                       g_variant_new ("(ss)", "ada", "evolution"));
  dialog = od_ui_test_wait_dialog (ADW_TYPE_MESSAGE_DIALOG);
  g_test_message ("%s: %s", adw_message_dialog_get_heading (dialog),
                  adw_message_dialog_get_body (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The Account Is in Evolution Now");
  g_assert_null (strstr (adw_message_dialog_get_body (dialog), PASSWORD));
  od_ui_test_wait_frames (GTK_WIDGET (dialog), 10);
  od_ui_test_screenshot (GTK_WIDGET (dialog), "use-in-evolution-done");
  od_ui_test_respond (dialog, "close");

  /* Evolution's account, found and tested with the password Evolution keeps. */
  od_ui_test_activate (GTK_WIDGET (window), "win.back", NULL);
  od_ui_test_wait_page (window, "welcome");
  welcome = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_WELCOME_PAGE, NULL);
  od_ui_test_wait (ada_found_listed, welcome, "the account as Evolution's");
  rows = od_ui_test_find_all (GTK_WIDGET (od_welcome_page_get_found_list (OD_WELCOME_PAGE (welcome))),
                              OD_TYPE_FOUND_ROW);
  for (GList *l = rows; l != NULL; l = l->next)
    {
      OdFoundAccount *found = od_found_row_get_found (l->data);

      if (g_strcmp0 (od_account_get_address (od_found_account_get_account (found)),
                     "ada@example.org") != 0)
        continue;
      g_assert_cmpstr (od_found_account_get_origin (found), ==, "evolution");
      g_signal_emit_by_name (od_found_row_get_test_button (l->data), "clicked");
      break;
    }
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  assert_all_green (window, "Evolution");

  od_ui_test_close_window (window);
  stop_daemon (daemon);
}

/* GNOME Online Accounts' OAuth accounts ------------------------------------------------- */

#define OAUTH_TOKEN "ya29.Fake-Access-Token_0123456789-abcdefghij-KLMNOPQRST-oauth"

static gboolean
found_count_two (gpointer user_data)
{
  GtkListBox *list = od_welcome_page_get_found_list (OD_WELCOME_PAGE (user_data));

  return gtk_list_box_get_row_at_index (list, 1) != NULL;
}

/* *Test Sending* on a Google account of GNOME Online Accounts (a stand-in for goa-daemon on
 * the test's bus, tests/fake/fake-goa-service.c): the token GOA hands out at the moment of
 * the check is accepted (the login row says so) and the test message goes out; on an
 * account GOA says needs attention, the login row fails with oauth-signin-required and
 * offers *Open Online Accounts*. */
static void
test_goa_oauth (void)
{
  const char *service = g_getenv ("OD_FAKE_GOA_SERVICE");
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_build_filename (g_get_user_config_dir (), "fake-goa.ini", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *out = NULL;
  const char *argv[] = { service, config, NULL };
  OdChecklistRow *auth;
  GtkWidget *welcome;
  GtkWidget *signin;
  OdWindow *window;
  GPid daemon;
  int out_fd;

  if (service == NULL)
    {
      g_test_skip ("OD_FAKE_GOA_SERVICE is not set");
      return;
    }

  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);
  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_capabilities (server, "SIZE 1000000\nSTARTTLS",
                                        "SIZE 1000000\nAUTH XOAUTH2 OAUTHBEARER");
  od_fake_smtp_server_set_credentials (server, "ada@gmail.test", "no password works here");
  od_fake_smtp_server_set_oauth (server, OAUTH_TOKEN, NULL, NULL);
  od_fake_smtp_server_set_require_auth (server, TRUE);
  g_assert_true (od_fake_smtp_server_start (server, &error));
  g_assert_no_error (error);

  contents = g_strdup_printf ("[account_oauth_ok]\nProvider=google\nProviderName=Google\n"
                              "Identity=ada@gmail.test\nToken=" OAUTH_TOKEN "\n"
                              "EmailAddress=ada@gmail.test\nName=Ada Example\n"
                              "SmtpHost=127.0.0.1:%u\nSmtpUserName=ada@gmail.test\n\n"
                              "[account_oauth_tired]\nProvider=google\nProviderName=Google\n"
                              "Identity=tired@gmail.test\nAttentionNeeded=true\n"
                              "EmailAddress=tired@gmail.test\n"
                              "SmtpHost=127.0.0.1:%u\nSmtpUserName=ada@gmail.test\n",
                              od_fake_smtp_server_get_port (server),
                              od_fake_smtp_server_get_port (server));
  write_file (config, contents, -1);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &daemon, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GIOChannel) channel = g_io_channel_unix_new (out_fd);

    g_io_channel_set_close_on_unref (channel, TRUE);
    g_assert_cmpint (g_io_channel_read_line (channel, &out, NULL, NULL, NULL), ==,
                     G_IO_STATUS_NORMAL);
    g_assert_true (g_str_has_prefix (out, "READY"));
  }
  g_setenv ("OD_FOUND_CLIENTS", "goa", TRUE);

  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, od_test_certs_get_ca_file (certs));
  welcome = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_WELCOME_PAGE, NULL);
  od_ui_test_wait (found_count_two, welcome, "the two GOA accounts");
  od_ui_test_wait_frames (GTK_WIDGET (window), 10);
  od_ui_test_screenshot (GTK_WIDGET (window), "goa-oauth-found");

  od_ui_test_activate (GTK_WIDGET (window), "win.test-found",
                       g_variant_new_string ("goa:account_oauth_ok"));
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  assert_all_green (window, "GNOME Online Accounts");
  auth = step_row (window, "auth");
  g_test_message ("%s", od_check_step_get_detail (od_checklist_row_get_step (auth)));
  g_assert_nonnull (strstr (od_check_step_get_detail (od_checklist_row_get_step (auth)),
                            "with a token from GNOME Online Accounts"));
  od_ui_test_wait_frames (GTK_WIDGET (window), 20);
  od_ui_test_screenshot (GTK_WIDGET (window), "goa-oauth-sent");

  od_ui_test_activate (GTK_WIDGET (window), "win.back", NULL);
  od_ui_test_wait_page (window, "welcome");
  od_ui_test_activate (GTK_WIDGET (window), "win.test-found",
                       g_variant_new_string ("goa:account_oauth_tired"));
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  auth = step_row (window, "auth");
  g_assert_cmpint (od_check_step_get_state (od_checklist_row_get_step (auth)), ==,
                   OD_STEP_STATE_FAIL);
  g_assert_cmpstr (od_problem_get_id (od_check_step_get_problem (od_checklist_row_get_step (auth))),
                   ==, "oauth-signin-required");
  od_ui_test_wait_frames (GTK_WIDGET (window), 20);
  signin = od_ui_test_find_action (GTK_WIDGET (auth), "win.open-online-accounts");
  g_assert_nonnull (signin);
  g_assert_true (od_ui_test_is_shown (signin));
  od_ui_test_screenshot (GTK_WIDGET (window), "goa-oauth-sign-in-again");

  /* Nothing of GOA's accounts became ours (the earlier tests saved one of their own). */
  {
    g_autoptr(OdAccountStore) store = od_account_store_new (NULL);

    od_account_store_load (store, NULL);
    g_assert_null (od_account_store_find_by_address (store, "ada@gmail.test"));
    g_assert_null (od_account_store_find_by_address (store, "tired@gmail.test"));
  }
  od_ui_test_close_window (window);
  stop_daemon (daemon);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* The file-based clients only: this test seeds no GOA or Evolution. */
  g_setenv ("OD_FOUND_CLIENTS", "thunderbird,msmtp,aerc", TRUE);
  od_ui_test_init (&argc, &argv);

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/od/ui/found/list-and-test", test_found);
  g_test_add_func ("/od/ui/found/goa", test_goa);
  g_test_add_func ("/od/ui/found/fix-evolution", test_fix_evolution);
  g_test_add_func ("/od/ui/found/fix-evolution-pinned", test_fix_evolution_pinned);
  g_test_add_func ("/od/ui/found/use-in-msmtp", test_use_in_msmtp);
  g_test_add_func ("/od/ui/found/use-in-evolution", test_use_in_evolution);
  g_test_add_func ("/od/ui/found/goa-oauth", test_goa_oauth);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
