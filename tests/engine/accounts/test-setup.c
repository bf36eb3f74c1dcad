/* test-setup.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* OdSetup, the engine's setup flow: an account is built from a verified check the same way
 * for every front end, saved before its password, put back as it was when the keyring
 * fails (unless the caller keeps it), and a certificate the user trusted is kept only when
 * it was needed. There is no secret service here (the session bus is unset), so the keyring
 * fails the way it does on a desktop without one; tests/integration has the real keyring. */

#include "config.h"

#include <glib/gstdio.h>

#include "od-fake-imap-server.h"
#include "od-fake-smtp-server.h"
#include "od-setup.h"
#include "od-test-certs.h"
#include "od-test-discovery.h"

#define USER     "user@example.org"
#define PASSWORD "s3cret pass"

static OdTestCerts *certs;

typedef struct
{
  char             *dir;
  char             *path;
  OdAccountStore   *store;
  OdSecretStore    *secrets;
  OdFakeSmtpServer *server;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *cert_name = data ? data : OD_TEST_CERT_GOOD;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("od-test-setup-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "accounts.ini", NULL);
  f->store = od_account_store_new (f->path);
  f->secrets = od_secret_store_new ();
  od_secret_store_set_timeout (f->secrets, 5000);

  f->server = od_fake_smtp_server_new ();
  cert = od_test_certs_load (certs, cert_name, &error);
  g_assert_no_error (error);
  od_fake_smtp_server_set_certificate (f->server, cert);
  od_fake_smtp_server_set_implicit_tls (f->server, TRUE);
  od_fake_smtp_server_set_credentials (f->server, USER, PASSWORD);
  g_assert_true (od_fake_smtp_server_start (f->server, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_remove (f->path);
  g_rmdir (f->dir);
  g_clear_object (&f->server);
  g_clear_object (&f->secrets);
  g_clear_object (&f->store);
  g_free (f->path);
  g_free (f->dir);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static OdSetup *
verified_setup (Fixture    *f,
                const char *password,
                const char *name)
{
  OdSetup *setup = od_setup_new (f->store, f->secrets, USER);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  od_setup_set_password (setup, password);
  od_setup_set_display_name (setup, name);
  od_setup_set_ca_file (setup, od_test_certs_get_ca_file (certs));
  od_setup_set_server (setup, "localhost", od_fake_smtp_server_get_port (f->server),
                       OD_SECURITY_TLS, NULL, NULL);
  od_setup_verify_async (setup, NULL, NULL, done_cb, &result);
  g_assert_cmpint (od_setup_verify_finish (setup, wait_for (&result), &error), ==,
                   OD_STEP_STATE_PASS);
  g_assert_no_error (error);

  return setup;
}

static OdAccount *
save (OdSetup           *setup,
      OdSetupSaveFlags   flags,
      GError           **keyring_error,
      GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  od_setup_save_async (setup, flags, NULL, done_cb, &result);
  return od_setup_save_finish (setup, wait_for (&result), keyring_error, error);
}

/* What is in the file, read by a store of its own. */
static guint
accounts_in_file (Fixture *f)
{
  g_autoptr(OdAccountStore) other = od_account_store_new (f->path);
  g_autoptr(GError) error = NULL;

  od_account_store_load (other, &error);
  g_assert_no_error (error);
  return g_list_model_get_n_items (G_LIST_MODEL (other));
}

/* The keyring cannot take the password: by default nothing stays saved. */
static void
test_keyring_fails_undo (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(OdSetup) setup = verified_setup (f, PASSWORD, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdAccount) account = save (setup, OD_SETUP_SAVE_DEFAULT, NULL, &error);

  g_assert_null (account);
  g_assert_error (error, OD_SECRET_ERROR, OD_SECRET_ERROR_NO_KEYRING);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 0);
  g_assert_cmpuint (accounts_in_file (f), ==, 0);
}

/* Setting up an address again: a failing keyring puts the old account back. */
static void
test_keyring_fails_update (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(OdSetup) first = verified_setup (f, NULL, "Alice");
  g_autoptr(OdSetup) again = NULL;
  g_autoptr(OdAccount) account = NULL;
  g_autoptr(OdAccount) reloaded = NULL;
  g_autoptr(OdAccountStore) other = od_account_store_new (f->path);
  g_autoptr(GError) error = NULL;

  account = save (first, OD_SETUP_SAVE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (od_account_get_auth_mechanism (account), ==, OD_ACCOUNT_AUTH_NONE);

  again = verified_setup (f, PASSWORD, NULL);
  g_clear_object (&account);
  account = save (again, OD_SETUP_SAVE_DEFAULT, NULL, &error);
  g_assert_null (account);
  g_assert_error (error, OD_SECRET_ERROR, OD_SECRET_ERROR_NO_KEYRING);

  g_assert_true (od_account_store_load (other, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), ==, 1);
  reloaded = g_list_model_get_item (G_LIST_MODEL (other), 0);
  g_assert_cmpstr (od_account_get_auth_mechanism (reloaded), ==, OD_ACCOUNT_AUTH_NONE);
  g_assert_cmpstr (od_account_get_display_name (reloaded), ==, "Alice");
}

/* Kept without its password when the caller says so, built from the check. */
static void
test_keep_without_password (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(OdSetup) setup = verified_setup (f, PASSWORD, "Alice");
  g_autoptr(GError) keyring_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OdAccount) account = NULL;

  account = save (setup, OD_SETUP_SAVE_KEEP_WITHOUT_PASSWORD, &keyring_error, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  g_assert_error (keyring_error, OD_SECRET_ERROR, OD_SECRET_ERROR_NO_KEYRING);

  g_assert_cmpstr (od_account_get_id (account), ==, "user-example-org");
  g_assert_cmpstr (od_account_get_display_name (account), ==, "Alice");
  g_assert_cmpstr (od_account_get_host (account), ==, "localhost");
  g_assert_cmpint (od_account_get_security (account), ==, OD_SECURITY_TLS);
  g_assert_cmpstr (od_account_get_auth_mechanism (account), ==, "PLAIN");
  g_assert_cmpstr (od_account_get_settings_source (account), ==, OD_ACCOUNT_SOURCE_MANUAL);
  g_assert_cmpstr (od_account_get_last_verdict (account), ==, "pass");
  g_assert_cmpuint (accounts_in_file (f), ==, 1);

  /* The user chose to go on without the keyring: it is not asked again. */
  g_clear_object (&account);
  account = save (setup, OD_SETUP_SAVE_SKIP_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  g_assert_cmpuint (accounts_in_file (f), ==, 1);
}

static OdFakeImapServer *
start_imap (const char *password)
{
  OdFakeImapServer *imap = od_fake_imap_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);
  od_fake_imap_server_set_certificate (imap, cert);
  od_fake_imap_server_set_implicit_tls (imap, TRUE);
  od_fake_imap_server_set_credentials (imap, USER, password);
  g_assert_true (od_fake_imap_server_start (imap, &error));
  g_assert_no_error (error);

  return imap;
}

static OdStepState
verify_incoming (OdSetup *setup)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  OdStepState verdict;

  od_setup_verify_incoming_async (setup, NULL, NULL, done_cb, &result);
  verdict = od_setup_verify_incoming_finish (setup, wait_for (&result), &error);
  g_assert_no_error (error);

  return verdict;
}

/* The incoming server is checked with the same password (login and inbox) and saved with
 * the account only when that passed. */
static void
test_incoming_verified (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(OdFakeImapServer) imap = start_imap (PASSWORD);
  g_autoptr(OdSetup) setup = verified_setup (f, PASSWORD, NULL);
  g_autoptr(OdAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  OdProtocol protocol;
  const char *source;

  g_assert_false (od_setup_get_has_incoming (setup));
  od_setup_set_incoming (setup, OD_PROTOCOL_IMAP, "localhost",
                         od_fake_imap_server_get_port (imap), OD_SECURITY_TLS, NULL, NULL);
  g_assert_true (od_setup_get_incoming (setup, &protocol, NULL, NULL, NULL, NULL, &source));
  g_assert_cmpint (protocol, ==, OD_PROTOCOL_IMAP);
  g_assert_cmpstr (source, ==, OD_ACCOUNT_SOURCE_MANUAL);
  g_assert_false (od_setup_get_incoming_verified (setup));

  g_assert_cmpint (verify_incoming (setup), ==, OD_STEP_STATE_PASS);
  g_assert_true (od_setup_get_incoming_verified (setup));
  g_assert_cmpint (od_check_get_protocol (od_setup_get_incoming_check (setup)), ==,
                   OD_PROTOCOL_IMAP);

  account = save (setup, OD_SETUP_SAVE_SKIP_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (od_setup_get_incoming_saved (setup));
  g_assert_cmpstr (od_account_get_incoming_protocol (account), ==, "imap");
  g_assert_cmpstr (od_account_get_incoming_host (account), ==, "localhost");
  g_assert_cmpuint (od_account_get_incoming_port (account), ==,
                    od_fake_imap_server_get_port (imap));
  g_assert_cmpint (od_account_get_incoming_security (account), ==, OD_SECURITY_TLS);
  g_assert_cmpstr (od_account_get_incoming_username (account), ==, USER);
}

/* A failed incoming login is not saved (the front ends save at all only when the person
 * chose sending only); a change of the incoming server forgets the last verification. */
static void
test_incoming_failed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(OdFakeImapServer) imap = start_imap ("another password");
  g_autoptr(OdSetup) setup = verified_setup (f, PASSWORD, NULL);
  g_autoptr(OdAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  OdProblem *problem;

  od_setup_set_incoming (setup, OD_PROTOCOL_IMAP, "localhost",
                         od_fake_imap_server_get_port (imap), OD_SECURITY_TLS, NULL, "srv");
  g_assert_cmpint (verify_incoming (setup), ==, OD_STEP_STATE_FAIL);
  problem = od_checklist_get_main_problem (od_check_get_checklist (
                                             od_setup_get_incoming_check (setup)));
  g_assert_cmpstr (od_problem_get_id (problem), ==, "auth-failed");
  g_assert_false (od_setup_get_incoming_verified (setup));

  account = save (setup, OD_SETUP_SAVE_SKIP_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (od_setup_get_incoming_saved (setup));
  g_assert_null (od_account_get_incoming_host (account));
  g_assert_cmpstr (od_account_get_host (account), ==, "localhost");

  od_setup_set_incoming (setup, OD_PROTOCOL_POP3, "localhost", 995, OD_SECURITY_TLS, NULL,
                         NULL);
  g_assert_null (od_setup_get_incoming_check (setup));
  g_assert_false (od_setup_get_incoming_verified (setup));

  /* A user name typed for sending is the incoming server's too, unless it has its own. */
  {
    const char *username;

    od_setup_set_username (setup, "alice");
    g_assert_true (od_setup_get_incoming (setup, NULL, NULL, NULL, NULL, &username, NULL));
    g_assert_cmpstr (username, ==, "alice");
    od_setup_set_incoming (setup, OD_PROTOCOL_POP3, "localhost", 995, OD_SECURITY_TLS,
                           "pop-user", NULL);
    od_setup_set_username (setup, "bob");
    g_assert_true (od_setup_get_incoming (setup, NULL, NULL, NULL, NULL, &username, NULL));
    g_assert_cmpstr (username, ==, "pop-user");
  }
}

/* The incoming server the detection found and verified is saved with the account. */
static void
test_discovered_incoming (Fixture       *f,
                          gconstpointer  data)
{
  const char * const names[] = { "smtp.example.org", "imap.example.org", NULL };
  const guint16 logical[] = { 465, 587, 2525, 25, 993, 143, 995, 110 };
  g_autoptr(OdTestResolver) resolver = od_test_resolver_new ();
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(OdFakeSmtpServer) smtp = od_fake_smtp_server_new ();
  g_autoptr(OdFakeImapServer) imap = od_fake_imap_server_new ();
  g_autoptr(OdSetup) setup = od_setup_new (f->store, f->secrets, USER);
  g_autoptr(OdDiscovery) discovery = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) verified = NULL;
  g_autoptr(OdCandidate) best = NULL;
  g_autoptr(OdAccount) account = NULL;
  g_autoptr(GError) keyring_error = NULL;
  g_autoptr(GError) error = NULL;

  od_test_resolver_add_address (resolver, "smtp.example.org", "127.0.0.1");
  od_test_resolver_add_address (resolver, "imap.example.org", "127.0.0.1");
  g_resolver_set_default (G_RESOLVER (resolver));

  cert = od_test_make_named_cert (certs, names, &error);
  g_assert_no_error (error);
  od_fake_smtp_server_set_certificate (smtp, cert);
  od_fake_smtp_server_set_implicit_tls (smtp, TRUE);
  od_fake_smtp_server_set_credentials (smtp, USER, PASSWORD);
  g_assert_true (od_fake_smtp_server_start (smtp, &error));
  od_fake_imap_server_set_certificate (imap, cert);
  od_fake_imap_server_set_implicit_tls (imap, TRUE);
  od_fake_imap_server_set_credentials (imap, USER, PASSWORD);
  g_assert_true (od_fake_imap_server_start (imap, &error));

  od_setup_set_password (setup, PASSWORD);
  od_setup_set_ca_file (setup, od_test_certs_get_ca_file (certs));
  discovery = od_setup_create_discovery (setup);
  od_discovery_set_sources (discovery, OD_SOURCE_FLAG_GUESS);
  for (guint i = 0; i < G_N_ELEMENTS (logical); i++)
    od_discovery_map_port_for_testing (discovery, logical[i],
                                       logical[i] == 465 ? od_fake_smtp_server_get_port (smtp)
                                       : logical[i] == 993 ? od_fake_imap_server_get_port (imap)
                                       : od_test_find_free_port ());

  od_setup_discover_async (setup, discovery, NULL, done_cb, &result);
  best = od_setup_discover_finish (setup, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (best);
  g_assert_nonnull (od_discovery_get_incoming (discovery));

  /* The setup took the incoming server found (trusted: within the address's domain). */
  {
    OdProtocol protocol;
    const char *host, *source;
    guint16 port;

    g_assert_true (od_setup_get_incoming (setup, &protocol, &host, &port, NULL, NULL, &source));
    g_assert_cmpint (protocol, ==, OD_PROTOCOL_IMAP);
    g_assert_cmpstr (host, ==, "imap.example.org");
    g_assert_cmpuint (port, ==, 993);
    g_assert_cmpstr (source, ==, "guess");
  }

  /* The checks go to where the fake servers really are. */
  od_setup_set_server (setup, "smtp.example.org", od_fake_smtp_server_get_port (smtp),
                       OD_SECURITY_TLS, NULL, "guess");
  od_setup_verify_async (setup, NULL, NULL, done_cb, &verified);
  g_assert_cmpint (od_setup_verify_finish (setup, wait_for (&verified), &error), ==,
                   OD_STEP_STATE_PASS);
  g_assert_no_error (error);
  od_setup_set_incoming (setup, OD_PROTOCOL_IMAP, "imap.example.org",
                         od_fake_imap_server_get_port (imap), OD_SECURITY_TLS, NULL, "guess");
  g_assert_cmpint (verify_incoming (setup), ==, OD_STEP_STATE_PASS);

  account = save (setup, OD_SETUP_SAVE_KEEP_WITHOUT_PASSWORD, &keyring_error, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  g_assert_cmpstr (od_account_get_incoming_protocol (account), ==, "imap");
  g_assert_cmpstr (od_account_get_incoming_host (account), ==, "imap.example.org");
  g_assert_cmpuint (od_account_get_incoming_port (account), ==,
                    od_fake_imap_server_get_port (imap));
  g_assert_cmpint (od_account_get_incoming_security (account), ==, OD_SECURITY_TLS);
  g_assert_cmpstr (od_account_get_incoming_username (account), ==, USER);

  od_fake_imap_server_stop (imap);
  od_fake_smtp_server_stop (smtp);
  g_resolver_set_default (previous);
}

/* A self-signed certificate the user trusted is kept, for that host and port only. */
static void
test_pin_needed (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(OdSetup) setup = od_setup_new (f->store, f->secrets, USER);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OdAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) pins = NULL;
  guint16 port = od_fake_smtp_server_get_port (f->server);
  g_autofree char *fingerprint = NULL;
  OdTlsInfo *info;

  od_setup_set_server (setup, "localhost", port, OD_SECURITY_TLS, NULL, NULL);
  od_setup_verify_async (setup, NULL, NULL, done_cb, &result);
  g_assert_cmpint (od_setup_verify_finish (setup, wait_for (&result), NULL), ==,
                   OD_STEP_STATE_FAIL);
  info = od_check_get_tls_info (od_setup_get_check (setup));
  fingerprint = g_strdup (od_tls_info_get_fingerprint (info));

  /* Trusted for another port: nothing changes here. */
  od_setup_trust_certificate (setup, "localhost", port + 1, fingerprint);
  g_clear_object (&result);
  od_setup_verify_async (setup, NULL, NULL, done_cb, &result);
  g_assert_cmpint (od_setup_verify_finish (setup, wait_for (&result), NULL), ==,
                   OD_STEP_STATE_FAIL);

  od_setup_trust_certificate (setup, "localhost", port, fingerprint);
  g_clear_object (&result);
  od_setup_verify_async (setup, NULL, NULL, done_cb, &result);
  g_assert_cmpint (od_setup_verify_finish (setup, wait_for (&result), NULL), ==,
                   OD_STEP_STATE_PASS);

  account = save (setup, OD_SETUP_SAVE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (od_setup_get_pin_saved (setup));
  pins = od_account_dup_pinned_fingerprints (account, "localhost", port);
  g_assert_nonnull (pins);
  g_assert_cmpstr (pins[0], ==, fingerprint);
}

/* A certificate that verifies needs no exception: pinning it would turn its next renewal
 * into an alarm. */
static void
test_pin_not_needed (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(OdSetup) setup = verified_setup (f, NULL, NULL);
  g_autoptr(OdAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  const char *fingerprint;

  fingerprint = od_tls_info_get_fingerprint (od_check_get_tls_info (od_setup_get_check (setup)));
  od_setup_trust_certificate (setup, "localhost", od_fake_smtp_server_get_port (f->server),
                              fingerprint);

  account = save (setup, OD_SETUP_SAVE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (od_setup_get_pin_saved (setup));
  g_assert_null (od_account_dup_pinned_fingerprints (account, "localhost",
                                                     od_fake_smtp_server_get_port (f->server)));
}

/* The front ends change one part of the server and pass the rest back as the setup has
 * it: the setup's own strings as arguments must survive (AddressSanitizer and valgrind
 * catch it when they do not). */
static void
test_set_server_own_strings (void)
{
  g_autoptr(OdAccountStore) store = od_account_store_new (NULL);
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  g_autoptr(OdSetup) setup = od_setup_new (store, secrets, USER);

  od_setup_set_server (setup, "smtp.example.org", 465, OD_SECURITY_TLS, "someone", "srv");
  od_setup_set_server (setup, od_setup_get_host (setup), 587, OD_SECURITY_STARTTLS,
                       od_setup_get_username (setup), od_setup_get_source (setup));

  g_assert_cmpstr (od_setup_get_host (setup), ==, "smtp.example.org");
  g_assert_cmpuint (od_setup_get_port (setup), ==, 587);
  g_assert_cmpstr (od_setup_get_username (setup), ==, "someone");
  g_assert_cmpstr (od_setup_get_source (setup), ==, "srv");
}

/* What was forged is the host: another port of it (a suggestion, an edit) still needs the
 * confirmation, and so does a server taken into manual settings; another host is the
 * user's own. A check made before the confirmation stops before AUTH. */
static void
test_confirmation_follows_host (void)
{
  g_autoptr(OdAccountStore) store = od_account_store_new (NULL);
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  g_autoptr(OdSetup) setup = od_setup_new (store, secrets, USER);
  const char *why = "It was found through DNS records.";

  od_setup_set_password (setup, PASSWORD);
  od_setup_set_server (setup, "mail.hosted.test", 465, OD_SECURITY_TLS, NULL, "srv");
  od_setup_require_confirmation (setup, why);
  g_assert_cmpstr (od_setup_get_unconfirmed (setup), ==, why);

  /* The same host on the port a check suggested. */
  od_setup_set_server (setup, "MAIL.hosted.test", 587, OD_SECURITY_STARTTLS, NULL, "manual");
  g_assert_cmpstr (od_setup_get_unconfirmed (setup), ==, why);
  {
    g_autoptr(OdCheck) check = od_setup_create_check (setup);
    g_assert_cmpstr (od_check_get_unconfirmed (check), ==, why);
  }

  /* Confirmed: it stays confirmed on another port of the same host. */
  od_setup_confirm_server (setup);
  g_assert_null (od_setup_get_unconfirmed (setup));
  od_setup_set_server (setup, "mail.hosted.test", 465, OD_SECURITY_TLS, NULL, "manual");
  g_assert_null (od_setup_get_unconfirmed (setup));
  {
    g_autoptr(OdCheck) check = od_setup_create_check (setup);
    g_assert_null (od_check_get_unconfirmed (check));
  }

  /* Another host is the user's own. */
  od_setup_require_confirmation (setup, why);
  od_setup_set_server (setup, "smtp.example.org", 465, OD_SECURITY_TLS, NULL, "manual");
  g_assert_null (od_setup_get_unconfirmed (setup));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* No secret service: the keyring fails at once, as on a desktop without one. */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/od-test-no-bus", TRUE);

  g_test_init (&argc, &argv, NULL);

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/od/setup/set-server-own-strings", test_set_server_own_strings);
  g_test_add_func ("/od/setup/confirmation-follows-host", test_confirmation_follows_host);
  g_test_add ("/od/setup/keyring-fails-undo", Fixture, NULL, fixture_set_up,
              test_keyring_fails_undo, fixture_tear_down);
  g_test_add ("/od/setup/keyring-fails-update", Fixture, NULL, fixture_set_up,
              test_keyring_fails_update, fixture_tear_down);
  g_test_add ("/od/setup/keep-without-password", Fixture, NULL, fixture_set_up,
              test_keep_without_password, fixture_tear_down);
  g_test_add ("/od/setup/incoming-verified", Fixture, NULL, fixture_set_up,
              test_incoming_verified, fixture_tear_down);
  g_test_add ("/od/setup/incoming-failed", Fixture, NULL, fixture_set_up,
              test_incoming_failed, fixture_tear_down);
  g_test_add ("/od/setup/discovered-incoming", Fixture, NULL, fixture_set_up,
              test_discovered_incoming, fixture_tear_down);
  g_test_add ("/od/setup/pin-needed", Fixture, OD_TEST_CERT_SELF_SIGNED, fixture_set_up,
              test_pin_needed, fixture_tear_down);
  g_test_add ("/od/setup/pin-not-needed", Fixture, NULL, fixture_set_up,
              test_pin_not_needed, fixture_tear_down);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
