/* test-found-desktop.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The readers of GNOME Online Accounts and Evolution against the real daemons. Run through
 * keyring-session.sh (a private D-Bus session, throw-away HOME and XDG directories):
 *
 *   keyring-session.sh keyring test-found-desktop --tap   seeds GOA's accounts.conf and
 *       Evolution's sources from tests/data/found/, stores the passwords the way GOA
 *       (goautils.c) and EDS (e_secret_store_store_sync) do in a real gnome-keyring-daemon,
 *       starts /usr/libexec/goa-daemon and evolution-source-registry (GOA logs in to our
 *       fake IMAP and SMTP servers with Alice's passwords), and checks every found account's
 *       settings, notes and secret, and that each password can be fetched back;
 *   keyring-session.sh none test-found-desktop --tap      a bus that can start neither
 *       daemon: both readers fail with a clear error at once; a GOA that owns its name and
 *       never answers: a time-out after 5 s.
 *
 * Skipped (TAP SKIP) only when goa-daemon or evolution-source-registry is not installed. */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libedataserver/libedataserver.h>
G_GNUC_END_IGNORE_DEPRECATIONS

#include "od-account-store.h"
#include "od-fake-imap-server.h"
#include "od-fake-smtp-server.h"
#include "od-found-bus.h"
#include "od-found-evolution.h"
#include "od-found-export.h"
#include "od-found-goa.h"
#include "od-test-certs.h"

#define GOA_DAEMON       "/usr/libexec/goa-daemon"
#define SOURCE_REGISTRY  "/usr/libexec/evolution-source-registry"

#define GOA_ALICE        "account_1764000000_0"
#define GOA_DAVE         "account_1764000001_0"
#define GOA_GOOGLE       "account_1764000002_0"
#define GOA_OFF          "account_1764000003_0"
#define ALICE_SMTP       "Goa-Smtp pa55 Alice"
#define ALICE_IMAP       "Goa-Imap pa55 Alice"

#define EVO_CAROL        "1764000100.4242.1@od-test"
#define EVO_CAROL_SMTP   "1764000100.4242.3@od-test"
#define EVO_ERIN         "1764000200.4242.1@od-test"
#define EVO_ERIN_SMTP    "1764000200.4242.3@od-test"
#define CAROL_SMTP       "Evo-Smtp pa55 Carol"
#define CAROL_IMAP       "Evo-Imap pa55 Carol"
#define ERIN_SMTP        "Evo-Smtp pa55 Erin"

#define NOTE_OAUTH       "An OAuth account: Outbox Doctor cannot test it yet."
#define NOTE_ATTENTION   "GNOME Online Accounts needs you to sign in to this account again: " \
                         "sign in again in Settings → Online Accounts."
#define NOTE_SSL         "GNOME Online Accounts accepts any certificate for this server; " \
                         "Outbox Doctor still checks it."
#define NOTE_SSL_IMAP    "GNOME Online Accounts accepts any certificate for the incoming " \
                         "server; Outbox Doctor still checks it."
#define NOTE_EVOLUTION   "Evolution sends mail through this account too."
#define NOTE_OFF         "This account is switched off in Evolution."
#define NOTE_NO_PASSWORD "Evolution does not keep this password: Outbox Doctor asks for it."
#define NOTE_SECURITY    "Evolution’s encryption setting for this server could not be read; " \
                         "it is taken as no encryption."

static const SecretSchema goa_schema = {
  "org.gnome.OnlineAccounts", SECRET_SCHEMA_DONT_MATCH_NAME,
  { { "goa-identity", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
};

static GPid daemons[2];

/* GOA logs in to the servers of an IMAP/SMTP account before it clears AttentionNeeded
 * (goaimapsmtpprovider.c, ensure_credentials_sync): Alice's account points at our fake
 * IMAP and SMTP servers (STARTTLS, any certificate accepted), which take her passwords. */
typedef struct
{
  GThread          *thread;
  GMainContext     *context;
  GMainLoop        *loop;
  GTlsCertificate  *certificate;
  GMutex            mutex;
  GCond             cond;
  guint16           port;
  OdFakeSmtpServer *server;
} SmtpThread;

static OdFakeImapServer *imap_server;
static SmtpThread smtp;
static OdTestCerts *certs;

static gpointer
smtp_thread_run (gpointer data)
{
  g_autoptr(OdFakeSmtpServer) server = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (smtp.context);
  server = od_fake_smtp_server_new ();
  od_fake_smtp_server_set_certificate (server, smtp.certificate);
  od_fake_smtp_server_set_credentials (server, "alice@example.org", ALICE_SMTP);
  g_assert_true (od_fake_smtp_server_start (server, &error));
  g_assert_no_error (error);

  g_mutex_lock (&smtp.mutex);
  smtp.port = od_fake_smtp_server_get_port (server);
  smtp.server = server;
  g_cond_signal (&smtp.cond);
  g_mutex_unlock (&smtp.mutex);

  g_main_loop_run (smtp.loop);
  g_mutex_lock (&smtp.mutex);
  smtp.server = NULL;
  g_mutex_unlock (&smtp.mutex);
  od_fake_smtp_server_stop (server);
  g_main_context_pop_thread_default (smtp.context);
  return NULL;
}

static void
start_servers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);
  certificate = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);

  imap_server = od_fake_imap_server_new ();
  od_fake_imap_server_set_certificate (imap_server, certificate);
  od_fake_imap_server_set_credentials (imap_server, "alice", ALICE_IMAP);
  g_assert_true (od_fake_imap_server_start (imap_server, &error));
  g_assert_no_error (error);

  smtp.context = g_main_context_new ();
  smtp.loop = g_main_loop_new (smtp.context, FALSE);
  smtp.certificate = g_object_ref (certificate);
  g_mutex_init (&smtp.mutex);
  g_cond_init (&smtp.cond);
  g_mutex_lock (&smtp.mutex);
  smtp.thread = g_thread_new ("fake-smtp", smtp_thread_run, NULL);
  while (smtp.port == 0)
    g_cond_wait (&smtp.cond, &smtp.mutex);
  g_mutex_unlock (&smtp.mutex);
}

static void
stop_servers (void)
{
  if (smtp.thread != NULL)
    {
      g_main_loop_quit (smtp.loop);
      g_thread_join (smtp.thread);
      g_clear_pointer (&smtp.loop, g_main_loop_unref);
      g_clear_pointer (&smtp.context, g_main_context_unref);
      g_clear_object (&smtp.certificate);
    }
  if (imap_server != NULL)
    {
      od_fake_imap_server_stop (imap_server);
      g_clear_object (&imap_server);
    }
  g_clear_pointer (&certs, od_test_certs_free);
}

static OdFoundContext
context_new (void)
{
  OdFoundContext context = { g_get_home_dir (), g_get_user_config_dir (), NULL };

  return context;
}

static OdFoundAccount *
find (GPtrArray  *found,
      const char *id)
{
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (od_found_account_get_id (g_ptr_array_index (found, i)), id) == 0)
      return g_ptr_array_index (found, i);
  return NULL;
}

static guint
count_origin (GPtrArray  *found,
              const char *origin)
{
  guint n = 0;

  for (guint i = 0; i < found->len; i++)
    n += g_strcmp0 (od_found_account_get_origin (g_ptr_array_index (found, i)), origin) == 0;
  return n;
}

static void
assert_notes (OdFoundAccount *account,
              const char     *first,
              ...)
{
  const char * const *notes = od_found_account_get_notes (account);
  const char *note = first;
  guint i = 0;
  va_list args;

  va_start (args, first);
  for (; note != NULL; note = va_arg (args, const char *), i++)
    g_assert_cmpstr (notes[i], ==, note);
  va_end (args);
  g_assert_cmpstr (notes[i], ==, NULL);
}

static void
assert_outgoing (OdFoundAccount *found,
                 const char     *address,
                 const char     *host,
                 guint16         port,
                 OdSecurity      security,
                 const char     *username,
                 const char     *mechanism)
{
  OdAccount *account = od_found_account_get_account (found);

  g_assert_cmpstr (od_account_get_address (account), ==, address);
  g_assert_cmpstr (od_account_get_host (account), ==, host);
  g_assert_cmpuint (od_account_get_port (account), ==, port);
  g_assert_cmpint (od_account_get_security (account), ==, security);
  g_assert_cmpstr (od_account_get_username (account), ==, username);
  g_assert_cmpstr (od_account_get_auth_mechanism (account), ==, mechanism);
}

static void
assert_incoming (OdFoundAccount *found,
                 const char     *protocol,
                 const char     *host,
                 guint16         port,
                 OdSecurity      security,
                 const char     *username)
{
  OdAccount *account = od_found_account_get_account (found);

  g_assert_cmpstr (od_account_get_incoming_protocol (account), ==, protocol);
  g_assert_cmpstr (od_account_get_incoming_host (account), ==, host);
  g_assert_cmpuint (od_account_get_incoming_port (account), ==, port);
  g_assert_cmpint (od_account_get_incoming_security (account), ==, security);
  g_assert_cmpstr (od_account_get_incoming_username (account), ==, username);
}

/* Both readers, GOA first (as the list of found accounts is built). */
static GPtrArray *
read_all (void)
{
  OdFoundContext context = context_new ();
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  guint n_goa;

  g_assert_true (od_found_read_goa (&context, found, &error));
  g_assert_no_error (error);
  n_goa = found->len;
  g_assert_true (od_found_read_evolution (&context, found, &error));
  g_assert_no_error (error);

  /* GOA accounts the Evolution reader added after GOA's own are its messengers for GOA
   * accounts GOA did not list (switched off): the search drops them, and so does this. */
  for (guint i = found->len; i-- > n_goa;)
    if (g_str_equal (od_found_account_get_origin (g_ptr_array_index (found, i)), OD_ORIGIN_GOA))
      {
        g_test_message ("messenger %s", od_found_account_get_id (g_ptr_array_index (found, i)));
        g_ptr_array_remove_index (found, i);
      }
  return found;
}

static void
test_goa_accounts (void)
{
  g_autoptr(GPtrArray) found = read_all ();
  OdFoundAccount *alice = find (found, "goa:" GOA_ALICE);
  OdFoundAccount *dave = find (found, "goa:" GOA_DAVE);
  OdFoundAccount *google = find (found, "goa:" GOA_GOOGLE);

  g_assert_cmpuint (count_origin (found, OD_ORIGIN_GOA), ==, 3);
  g_assert_null (find (found, "goa:" GOA_OFF));

  g_assert_nonnull (alice);
  g_assert_cmpstr (od_found_account_get_native_id (alice), ==, GOA_ALICE);
  g_assert_cmpstr (od_account_get_display_name (od_found_account_get_account (alice)), ==,
                   "Alice Example");
  assert_outgoing (alice, "alice@example.org", "127.0.0.1", smtp.port, OD_SECURITY_STARTTLS,
                   "alice@example.org", "LOGIN");
  assert_incoming (alice, "imap", "127.0.0.1", od_fake_imap_server_get_port (imap_server),
                   OD_SECURITY_STARTTLS, "alice");
  g_assert_cmpint (od_found_account_get_secret (alice), ==, OD_FOUND_SECRET_GOA);
  g_assert_cmpstr (od_found_account_get_source_path (alice), ==,
                   "/org/gnome/OnlineAccounts/Accounts/" GOA_ALICE);
  /* GOA logged in with the seeded passwords: no AttentionNeeded. */
  g_mutex_lock (&smtp.mutex);
  g_assert_cmpuint (od_fake_smtp_server_get_n_connections (smtp.server), >=, 1);
  g_mutex_unlock (&smtp.mutex);
  assert_notes (alice, NOTE_SSL, NOTE_SSL_IMAP, NOTE_EVOLUTION, NULL);

  /* A hostile name is shown escaped; Mallory's SMTP host with an escape sequence in it is
   * no host: the account is not found. */
  g_assert_null (find (found, "goa:account_1764000004_0"));
  g_assert_nonnull (dave);
  g_test_message ("%s", od_account_get_display_name (od_found_account_get_account (dave)));
  g_assert_null (strchr (od_account_get_display_name (od_found_account_get_account (dave)), 0x1b));
  g_assert_true (g_str_has_prefix (od_account_get_display_name (od_found_account_get_account (dave)),
                                   "Dave "));
  assert_outgoing (dave, "dave@example.net", "mail.example.net", 465, OD_SECURITY_TLS, "dave",
                   "PLAIN");
  assert_incoming (dave, "imap", "mail.example.net", 1143, OD_SECURITY_STARTTLS, "dave");
  assert_notes (dave, NOTE_ATTENTION, NOTE_SSL_IMAP, NOTE_EVOLUTION, NULL);

  g_assert_nonnull (google);
  assert_outgoing (google, "bob.example@gmail.com", "smtp.gmail.com", 465, OD_SECURITY_TLS,
                   "bob.example@gmail.com", "XOAUTH2");
  assert_incoming (google, "imap", "imap.gmail.com", 993, OD_SECURITY_TLS,
                   "bob.example@gmail.com");
  /* An OAuth account: its token from GOA at the moment of the check. */
  g_assert_cmpint (od_found_account_get_secret (google), ==, OD_FOUND_SECRET_GOA_OAUTH2);
  g_assert_cmpstr (od_found_account_get_provider (google), ==, "google");
  assert_notes (google, NOTE_ATTENTION, NOTE_EVOLUTION, NULL);
}

static void
test_goa_passwords (void)
{
  g_autoptr(GError) error = NULL;
  char *password;

  password = od_found_goa_get_password_sync (GOA_ALICE, "smtp-password", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (password, ALICE_SMTP) == 0);
  g_free (password);

  password = od_found_goa_get_password_sync (GOA_ALICE, "imap-password", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (password, ALICE_IMAP) == 0);
  g_free (password);

  /* Nothing in the keyring: GOA's own error, passed on. */
  password = od_found_goa_get_password_sync (GOA_DAVE, "smtp-password", NULL, &error);
  g_assert_null (password);
  g_assert_nonnull (error);
  g_clear_error (&error);

  password = od_found_goa_get_password_sync (GOA_GOOGLE, "smtp-password", NULL, &error);
  g_assert_null (password);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  password = od_found_goa_get_password_sync ("account_0_0", "smtp-password", NULL, &error);
  g_assert_null (password);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_evolution_accounts (void)
{
  g_autoptr(GPtrArray) found = read_all ();
  OdFoundAccount *carol = find (found, "evolution:" EVO_CAROL);
  OdFoundAccount *erin = find (found, "evolution:" EVO_ERIN);
  OdFoundAccount *gina = find (found, "evolution:1764000400.4242.1@od-test");
  OdFoundAccount *hank = find (found, "evolution:1764000500.4242.1@od-test");
  g_autofree char *carol_path = g_build_filename (g_get_user_config_dir (), "evolution",
                                                  "sources", EVO_CAROL_SMTP ".source", NULL);
  GHashTable *attributes;

  /* The sendmail account, Mallory's (an escape sequence in the SMTP host), Evolution's own local folders and the accounts EDS made for GOA
   * are not found as Evolution's: Carol, Erin, Gina and Hank are. */
  g_assert_cmpuint (count_origin (found, OD_ORIGIN_EVOLUTION), ==, 4);

  g_assert_nonnull (carol);
  g_assert_cmpstr (od_account_get_display_name (od_found_account_get_account (carol)), ==,
                   "Carol Example");
  assert_outgoing (carol, "carol@example.com", "smtp.example.com", 587, OD_SECURITY_STARTTLS,
                   "carol", "PLAIN");
  assert_incoming (carol, "imap", "imap.example.com", 143, OD_SECURITY_STARTTLS, "carol");
  g_assert_cmpint (od_found_account_get_secret (carol), ==, OD_FOUND_SECRET_KEYRING);
  attributes = od_found_account_get_keyring_attributes (carol);
  g_assert_cmpuint (g_hash_table_size (attributes), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "e-source-uid"), ==, EVO_CAROL_SMTP);
  g_assert_cmpstr (od_found_account_get_source_path (carol), ==, carol_path);
  assert_notes (carol, NULL);

  g_assert_nonnull (erin);
  g_test_message ("%s", od_account_get_display_name (od_found_account_get_account (erin)));
  g_assert_null (strchr (od_account_get_display_name (od_found_account_get_account (erin)), 0x1b));
  assert_outgoing (erin, "erin@example.com", "smtp.example.com", 465, OD_SECURITY_TLS,
                   "erin@example.com", "LOGIN");
  assert_incoming (erin, "pop3", "pop.example.com", 995, OD_SECURITY_TLS, "erin@example.com");
  attributes = od_found_account_get_keyring_attributes (erin);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "e-source-uid"), ==, EVO_ERIN_SMTP);
  assert_notes (erin, NULL);

  /* OAuth 2.0 in Evolution's own settings, the mail account switched off. */
  g_assert_nonnull (gina);
  assert_outgoing (gina, "gina@example.org", "smtp.example.org", 587, OD_SECURITY_STARTTLS,
                   "gina@example.org", "XOAUTH2");
  g_assert_cmpint (od_found_account_get_secret (gina), ==, OD_FOUND_SECRET_ASK);
  g_assert_cmpuint (g_hash_table_size (od_found_account_get_keyring_attributes (gina)), ==, 0);
  assert_notes (gina, NOTE_OAUTH, NOTE_OFF, NULL);

  /* A password Evolution does not remember, an encryption method we do not know, no
   * incoming server (backend "none"), no name. */
  g_assert_nonnull (hank);
  g_assert_null (od_account_get_display_name (od_found_account_get_account (hank)));
  assert_outgoing (hank, "hank@example.net", "relay.example.net", 2525, OD_SECURITY_NONE,
                   "hank", "CRAM-MD5");
  g_assert_null (od_account_get_incoming_protocol (od_found_account_get_account (hank)));
  g_assert_cmpint (od_found_account_get_secret (hank), ==, OD_FOUND_SECRET_ASK);
  assert_notes (hank, NOTE_SECURITY, NOTE_NO_PASSWORD, NULL);
}

static void
test_evolution_passwords (void)
{
  g_autoptr(GError) error = NULL;
  char *password;

  password = od_found_evolution_lookup_password_sync (EVO_CAROL_SMTP, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (password, CAROL_SMTP) == 0);
  g_free (password);

  password = od_found_evolution_lookup_password_sync (EVO_CAROL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (password, CAROL_IMAP) == 0);
  g_free (password);

  password = od_found_evolution_lookup_password_sync (EVO_ERIN_SMTP, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strcmp0 (password, ERIN_SMTP) == 0);
  g_free (password);

  password = od_found_evolution_lookup_password_sync (EVO_ERIN, NULL, &error);
  g_assert_null (password);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_no_daemons (void)
{
  OdFoundContext context = context_new ();
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  char *password;

  g_assert_false (od_found_read_goa (&context, found, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "GNOME Online Accounts is not running"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_false (od_found_read_evolution (&context, found, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Evolution’s account registry is not running"));
  g_clear_error (&error);

  password = od_found_goa_get_password_sync (GOA_ALICE, "smtp-password", NULL, &error);
  g_assert_null (password);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  g_assert_cmpuint (found->len, ==, 0);
  /* At once, not after a D-Bus time-out. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

/* Drops every method call to the connection, Peer.Ping included (which GDBus would
 * otherwise answer by itself): a daemon that owns its name and hangs. */
static GDBusMessage *
drop_calls_cb (GDBusConnection *connection,
               GDBusMessage    *message,
               gboolean         incoming,
               gpointer         user_data)
{
  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    {
      g_object_unref (message);
      return NULL;
    }
  return message;
}

static void
test_silent_daemon (void)
{
  OdFoundContext context = context_new ();
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDBusConnection) silent = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  gint64 start, elapsed;

  g_assert_no_error (error);
  silent = g_dbus_connection_new_for_address_sync (address,
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_add_filter (silent, drop_calls_cb, NULL, NULL);
  reply = g_dbus_connection_call_sync (silent, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", OD_FOUND_GOA_BUS_NAME, 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  g_assert_false (od_found_read_goa (&context, found, &error));
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpstr (error->message, ==, "GNOME Online Accounts did not answer within 5 seconds");
  /* Bounded by OD_FOUND_BUS_TIMEOUT_MS, not D-Bus's 25 s. */
  g_assert_cmpint (elapsed, >=, OD_FOUND_BUS_TIMEOUT_MS * 1000 - 100000);
  g_assert_cmpint (elapsed, <, OD_FOUND_BUS_TIMEOUT_MS * 1000 + 2 * G_USEC_PER_SEC);
  g_dbus_connection_close_sync (silent, NULL, NULL);
}

/* check --account goa:ID --send-test --round-trip: the round trip logs in to the incoming
 * server with the password GOA keeps for it (Alice's IMAP and SMTP passwords differ), so the
 * delivery step gets past the login (with the sending password it ended in auth-failed);
 * this fake IMAP server knows no mailbox search, so the step then fails on that. */
static void
test_goa_round_trip_password (void)
{
  const char *cli = g_getenv ("OD_CLI");
  const char *argv[] = { cli, "check", "--account", "goa:" GOA_ALICE, "--send-test",
                         "--round-trip", "--round-trip-wait", "1", "--json", "--ca-file",
                         od_test_certs_get_ca_file (certs), NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *steps;
  JsonArray *problems;
  gboolean past_login = FALSE;
  int status = 0;

  if (cli == NULL)
    {
      g_test_skip ("OD_CLI is not set");
      return;
    }

  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL,
                               NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s", err);
  g_assert_null (strstr (out, ALICE_IMAP));
  g_assert_null (strstr (out, ALICE_SMTP));
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);

  root = json_node_get_object (json_parser_get_root (parser));
  steps = json_object_get_array_member (root, "steps");
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);

      g_test_message ("%s: %s", json_object_get_string_member (step, "id"),
                      json_object_get_string_member (step, "detail"));
      if (!g_str_equal (json_object_get_string_member (step, "id"), "delivery"))
        g_assert_cmpstr (json_object_get_string_member (step, "status"), ==, "pass");
    }
  g_assert_cmpuint (json_array_get_length (steps), ==, 11);
  problems = json_object_get_array_member (root, "problems");
  for (guint i = 0; i < json_array_get_length (problems); i++)
    {
      const char *id = json_object_get_string_member (json_array_get_object_element (problems, i),
                                                      "id");

      g_test_message ("problem %s: %s", id,
                      json_object_get_string_member (json_array_get_object_element (problems, i),
                                                     "summary"));
      past_login |= g_str_equal (id, "round-trip-not-found") || g_str_equal (id, "protocol-error");
      g_assert_cmpstr (id, !=, "auth-failed");
    }
  g_assert_true (past_login);
}

/* accounts export --to evolution|goa ------------------------------------------------------ */

/* Ada's account of ours: sending through Alice's login to the fake SMTP server, receiving
 * from the fake IMAP server (STARTTLS both), with Alice's two passwords in our keyring
 * items; Bea's has no incoming server. */
static void
seed_our_accounts (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "outbox-doctor", NULL);
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autofree char *ini = NULL;
  g_autoptr(OdAccountStore) store = od_account_store_new (path);
  g_autoptr(GError) error = NULL;
  OdAccount *ada;
  const struct { gboolean incoming; const char *password; } items[] = {
    { FALSE, ALICE_SMTP }, { TRUE, ALICE_IMAP },
  };

  ini = g_strdup_printf ("[Outbox Doctor]\nversion=1\n\n"
                         "[Account ada]\nname=Ada Example\naddress=ada@example.org\n"
                         "smtp-host=127.0.0.1\nsmtp-port=%u\nsmtp-security=starttls\n"
                         "smtp-user=alice@example.org\nsmtp-auth=PLAIN\n"
                         "incoming-protocol=imap\nincoming-host=127.0.0.1\nincoming-port=%u\n"
                         "incoming-security=starttls\nincoming-user=alice\n\n"
                         "[Account bea]\naddress=bea@example.org\n"
                         "smtp-host=127.0.0.1\nsmtp-port=%u\nsmtp-security=starttls\n"
                         "smtp-user=alice@example.org\nsmtp-auth=PLAIN\n",
                         smtp.port, od_fake_imap_server_get_port (imap_server), smtp.port);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, ini, -1, &error));
  g_assert_no_error (error);
  g_assert_true (od_account_store_load (store, &error));
  g_assert_no_error (error);
  ada = od_account_store_lookup (store, "ada");
  g_assert_nonnull (ada);

  /* Our own items, as setup stores them. */
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autoptr(GHashTable) attributes = od_found_export_own_attributes (ada, items[i].incoming);

      g_assert_true (secret_password_storev_sync (NULL, attributes, SECRET_COLLECTION_DEFAULT,
                                                  "Outbox Doctor: test", items[i].password,
                                                  NULL, &error));
      g_assert_no_error (error);
    }
}

/* Runs the command line, its outputs in @out and @err (never a password); the status. */
static int
run_cli (char       **out,
         char       **err,
         const char  *first,
         ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;
  int status = 0;

  g_strv_builder_add (builder, g_getenv ("OD_CLI"));
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_strv_builder_add (builder, arg);
  va_end (args);
  argv = g_strv_builder_end (builder);
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, out,
                               err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s %s: %s", first, argv[2] != NULL ? argv[2] : "", *err);
  g_assert_true (strstr (*out, ALICE_SMTP) == NULL && strstr (*out, ALICE_IMAP) == NULL);
  g_assert_true (strstr (*err, ALICE_SMTP) == NULL && strstr (*err, ALICE_IMAP) == NULL);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static guint
count_address (const char *address)
{
  g_autoptr(GPtrArray) found = read_all ();
  guint n = 0;

  for (guint i = 0; i < found->len; i++)
    n += g_strcmp0 (od_account_get_address (od_found_account_get_account (found->pdata[i])),
                    address) == 0;
  return n;
}

/* check --account ID [--incoming]: every step passes (the message is sent only with
 * --send-test), the login with the password the client keeps. */
static void
assert_check_passes (const char *found_id,
                     gboolean    incoming)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *steps;
  gboolean logged_in = FALSE;
  int status;

  status = run_cli (&out, &err, "check", "--account", found_id, "--json", "--ca-file",
                    od_test_certs_get_ca_file (certs), incoming ? "--incoming" : NULL, NULL);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  steps = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        "steps");
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);

      g_test_message ("%s: %s %s", json_object_get_string_member (step, "id"),
                      json_object_get_string_member (step, "status"),
                      json_object_get_string_member (step, "detail"));
      if (!g_str_equal (json_object_get_string_member (step, "id"), "data"))
        g_assert_cmpstr (json_object_get_string_member (step, "status"), ==, "pass");
      logged_in |= g_str_equal (json_object_get_string_member (step, "id"), "auth");
    }
  g_assert_true (logged_in);
  g_assert_cmpint (status, ==, 0);
}

/* Export Ada's account to @client: --print creates nothing; the export creates the account
 * with her passwords, the client's reader finds it with her settings, and it checks green
 * for sending and receiving; a second export is refused. */
static void
export_to (const char *client)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *found_id = NULL;
  OdFoundAccount *ada;
  JsonObject *root;
  guint before = count_address ("ada@example.org");

  g_assert_cmpint (run_cli (&out, &err, "accounts", "export", "ada", "--to", client, "--print",
                            NULL), ==, 0);
  g_assert_nonnull (strstr (out, "127.0.0.1"));
  g_assert_cmpuint (count_address ("ada@example.org"), ==, before);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&out, &err, "accounts", "export", "ada", "--to", client, "--json",
                            NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  found_id = g_strdup (json_object_get_string_member (root, "found_id"));
  g_assert_true (g_str_has_prefix (found_id, client));
  g_assert_true (json_object_get_boolean_member (root, "written"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "password"),
                                                  "where"), ==, "client");

  found = read_all ();
  ada = find (found, found_id);
  g_assert_nonnull (ada);
  assert_outgoing (ada, "ada@example.org", "127.0.0.1", smtp.port, OD_SECURITY_STARTTLS,
                   "alice@example.org", "PLAIN");
  assert_incoming (ada, "imap", "127.0.0.1", od_fake_imap_server_get_port (imap_server),
                   OD_SECURITY_STARTTLS, "alice");
  g_assert_cmpstr (od_account_get_display_name (od_found_account_get_account (ada)), ==,
                   "Ada Example");
  assert_check_passes (found_id, FALSE);
  assert_check_passes (found_id, TRUE);

  /* Once is enough. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&out, &err, "accounts", "export", "ada", "--to", client, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "already has an account for ada@example.org"));
  g_assert_cmpuint (count_address ("ada@example.org"), ==, before + 1);
}

static void
test_export_evolution (void)
{
  export_to (OD_ORIGIN_EVOLUTION);
}

static void
test_export_goa (void)
{
  g_autofree char *out = NULL, *err = NULL;

  export_to (OD_ORIGIN_GOA);

  /* GOA's IMAP and SMTP accounts need an IMAP server: Bea's has none. */
  g_assert_cmpint (run_cli (&out, &err, "accounts", "export", "bea", "--to", "goa", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "IMAP server"));
  g_assert_cmpuint (count_address ("bea@example.org"), ==, 0);
}

/* An account the client does not keep as given is removed again, passwords and all: the
 * export is planned, then our account's port changes before it is created, so the client's
 * copy (with the planned port) differs from what the export now means. */
static void
export_removed_again (const char *origin)
{
  g_autoptr(OdAccount) account = od_account_new ("cleo", "cleo@example.org");
  g_autoptr(OdFoundExport) export = NULL;
  g_autoptr(GError) error = NULL;
  OdFoundContext context = context_new ();

  od_account_set_host (account, "127.0.0.1");
  od_account_set_port (account, smtp.port);
  od_account_set_security (account, OD_SECURITY_STARTTLS);
  od_account_set_username (account, "alice@example.org");
  od_account_set_auth_mechanism (account, "PLAIN");
  od_account_set_incoming (account, "imap", "127.0.0.1", od_fake_imap_server_get_port (imap_server),
                           OD_SECURITY_STARTTLS, "alice");

  export = od_found_export_new (&context, account, origin, NULL, FALSE, &error);
  g_assert_no_error (error);
  od_account_set_port (account, smtp.port + 1);
  g_assert_false (od_found_export_create (export, ALICE_SMTP, ALICE_IMAP, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "(port differs), so it was removed again"));
  g_assert_null (strstr (error->message, ALICE_SMTP));
  g_assert_cmpuint (count_address ("cleo@example.org"), ==, 0);
}

static void
test_export_evolution_removed (void)
{
  export_removed_again (OD_ORIGIN_EVOLUTION);
}

static void
test_export_goa_removed (void)
{
  export_removed_again (OD_ORIGIN_GOA);
}

/* Set-up of the keyring session --------------------------------------------------------- */

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (from, &contents, &length, &error));
  g_assert_true (g_file_set_contents (to, contents, length, &error));
  g_assert_no_error (error);
}

static void
seed_files (void)
{
  const char *source_root = g_getenv ("OD_SOURCE_ROOT");
  g_autofree char *data = g_build_filename (source_root, "tests", "data", "found", NULL);
  g_autofree char *goa_dir = g_build_filename (g_get_user_config_dir (), "goa-1.0", NULL);
  g_autofree char *evo_dir = g_build_filename (g_get_user_config_dir (), "evolution",
                                               "sources", NULL);
  g_autofree char *from = g_build_filename (data, "goa", "accounts.conf", NULL);
  g_autofree char *to = g_build_filename (goa_dir, "accounts.conf", NULL);
  g_autofree char *sources = g_build_filename (data, "evolution", "sources", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_nonnull (source_root);
  g_assert_cmpint (g_mkdir_with_parents (goa_dir, 0700), ==, 0);
  g_autofree char *contents = NULL;
  g_autofree char *imap_port = g_strdup_printf ("%u", od_fake_imap_server_get_port (imap_server));
  g_autofree char *smtp_port = g_strdup_printf ("%u", smtp.port);
  g_autoptr(GString) conf = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (evo_dir, 0700), ==, 0);
  g_assert_true (g_file_get_contents (from, &contents, NULL, &error));
  conf = g_string_new (contents);
  g_string_replace (conf, "@IMAP_PORT@", imap_port, 0);
  g_string_replace (conf, "@SMTP_PORT@", smtp_port, 0);
  g_assert_true (g_file_set_contents (to, conf->str, conf->len, &error));
  g_assert_no_error (error);

  dir = g_dir_open (sources, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *a = g_build_filename (sources, name, NULL);
      g_autofree char *b = g_build_filename (evo_dir, name, NULL);

      copy_file (a, b);
    }
}

static void
seed_secrets (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *credentials = NULL;
  g_autoptr(GVariant) value = NULL;
  GVariantBuilder builder;

  /* As goa_utils_store_credentials_for_id_sync(): the printed a{sv} under
   * "PROVIDER:genN:ID" (imap_smtp is at generation 0). */
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "imap-password", g_variant_new_string (ALICE_IMAP));
  g_variant_builder_add (&builder, "{sv}", "smtp-password", g_variant_new_string (ALICE_SMTP));
  value = g_variant_ref_sink (g_variant_builder_end (&builder));
  credentials = g_variant_print (value, TRUE);
  g_assert_true (secret_password_store_sync (&goa_schema, SECRET_COLLECTION_DEFAULT,
                                             "GOA imap_smtp credentials for identity " GOA_ALICE,
                                             credentials, NULL, &error,
                                             "goa-identity", "imap_smtp:gen0:" GOA_ALICE, NULL));
  g_assert_no_error (error);

  /* As Evolution does. */
  g_assert_true (e_secret_store_store_sync (EVO_CAROL_SMTP, CAROL_SMTP, "carol smtp", TRUE,
                                            NULL, &error));
  g_assert_true (e_secret_store_store_sync (EVO_CAROL, CAROL_IMAP, "carol imap", TRUE,
                                            NULL, &error));
  g_assert_true (e_secret_store_store_sync (EVO_ERIN_SMTP, ERIN_SMTP, "erin smtp", TRUE,
                                            NULL, &error));
  g_assert_no_error (error);
}

static GPid
start_daemon (const char *program,
              const char *arg,
              const char *log_name)
{
  const char *tmp = g_getenv ("OD_KEYRING_TMP");
  g_autofree char *log = g_build_filename (tmp ? tmp : g_get_tmp_dir (), log_name, NULL);
  const char *argv[] = { program, arg, NULL };
  g_auto(GStrv) envp = g_environ_unsetenv (g_get_environ (), "G_DEBUG");
  g_autoptr(GError) error = NULL;
  int fd = g_open (log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  GPid pid = 0;

  g_assert_cmpint (fd, >=, 0);
  g_assert_true (g_spawn_async_with_fds (NULL, (char **)argv, envp, G_SPAWN_DO_NOT_REAP_CHILD,
                                         NULL, NULL, &pid, -1, fd, fd, &error));
  g_assert_no_error (error);
  close (fd);
  return pid;
}

static gboolean
ready (void)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  OdFoundContext context = context_new ();
  OdFoundAccount *alice;
  OdFoundAccount *dave;
  OdFoundAccount *google;

  if (!od_found_read_goa (&context, found, NULL) ||
      !od_found_read_evolution (&context, found, NULL))
    return FALSE;
  alice = find (found, "goa:" GOA_ALICE);
  dave = find (found, "goa:" GOA_DAVE);
  google = find (found, "goa:" GOA_GOOGLE);
  /* GOA has checked the credentials (AttentionNeeded) and EDS made its sources for both. */
  return alice != NULL && dave != NULL && google != NULL &&
         g_strv_contains (od_found_account_get_notes (alice), NOTE_EVOLUTION) &&
         g_strv_contains (od_found_account_get_notes (dave), NOTE_ATTENTION) &&
         g_strv_contains (od_found_account_get_notes (dave), NOTE_EVOLUTION) &&
         g_strv_contains (od_found_account_get_notes (google), NOTE_ATTENTION) &&
         g_strv_contains (od_found_account_get_notes (google), NOTE_EVOLUTION) &&
         count_origin (found, OD_ORIGIN_EVOLUTION) >= 4;
}

static void
start_daemons (void)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  start_servers ();
  seed_files ();
  seed_secrets ();
  daemons[0] = start_daemon (GOA_DAEMON, "--replace", "goa-daemon.log");
  daemons[1] = start_daemon (SOURCE_REGISTRY, NULL, "source-registry.log");
  while (!ready ())
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 4);
    }
}

static void
stop_daemons (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (daemons); i++)
    if (daemons[i] > 0)
      {
        kill (daemons[i], SIGTERM);
        waitpid (daemons[i], NULL, 0);
        g_spawn_close_pid (daemons[i]);
      }
}

int
main (int   argc,
      char *argv[])
{
  const char *mode = g_getenv ("OD_KEYRING_MODE");
  int status;

  if (!g_file_test (GOA_DAEMON, G_FILE_TEST_IS_EXECUTABLE) ||
      !g_file_test (SOURCE_REGISTRY, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_print ("1..0 # SKIP goa-daemon or evolution-source-registry is not installed "
               "(packages gnome-online-accounts, evolution-data-server)\n");
      return 0;
    }

  g_test_init (&argc, &argv, NULL);

  if (g_strcmp0 (mode, "keyring") == 0)
    {
      g_test_add_func ("/od/found-desktop/goa/accounts", test_goa_accounts);
      g_test_add_func ("/od/found-desktop/goa/passwords", test_goa_passwords);
      g_test_add_func ("/od/found-desktop/evolution/accounts", test_evolution_accounts);
      g_test_add_func ("/od/found-desktop/evolution/passwords", test_evolution_passwords);
      g_test_add_func ("/od/found-desktop/goa/round-trip-password", test_goa_round_trip_password);
      g_test_add_func ("/od/found-desktop/export/evolution", test_export_evolution);
      g_test_add_func ("/od/found-desktop/export/goa", test_export_goa);
      g_test_add_func ("/od/found-desktop/export/evolution-removed", test_export_evolution_removed);
      g_test_add_func ("/od/found-desktop/export/goa-removed", test_export_goa_removed);
      start_daemons ();
      seed_our_accounts ();
    }
  else
    {
      g_test_add_func ("/od/found-desktop/no-daemons", test_no_daemons);
      g_test_add_func ("/od/found-desktop/silent-daemon", test_silent_daemon);
    }

  status = g_test_run ();
  stop_daemons ();
  stop_servers ();
  return status;
}
