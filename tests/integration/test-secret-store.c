/* test-secret-store.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The keyring, for real. Run through keyring-session.sh:
 *
 *   keyring-session.sh keyring test-secret-store --tap   a real gnome-keyring-daemon: store,
 *       look up, replace and remove passwords through our API, and check with secret-tool
 *       that the item has the documented schema, attributes and label;
 *   keyring-session.sh none test-secret-store --tap      no secret service on the bus, no bus
 *       at all, and a secret service that never answers: clear errors within the deadline,
 *       and the password written nowhere. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "od-account.h"
#include "od-secret-store.h"

#define ACCOUNT   "alice-example-com"
#define HOST      "smtp.example.com"
#define USER      "alice@example.com"
#define PASSWORD  "Keyring-Test pa55word ÿ"
#define PASSWORD2 "Second keyring pa55word"

typedef struct
{
  GMainLoop *loop;
  GError    *error;
  char      *password;
  gboolean   ok;
  gint64     elapsed_us;
  gint64     started_us;
} Result;

static void
result_clear (Result *r)
{
  g_clear_error (&r->error);
  g_clear_pointer (&r->password, od_secret_store_free_password);
  g_clear_pointer (&r->loop, g_main_loop_unref);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Result *r = user_data;

  r->ok = od_secret_store_store_finish (OD_SECRET_STORE (object), result, &r->error);
  r->elapsed_us = g_get_monotonic_time () - r->started_us;
  g_main_loop_quit (r->loop);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *r = user_data;

  r->password = od_secret_store_lookup_finish (OD_SECRET_STORE (object), result, &r->error);
  r->ok = r->error == NULL;
  r->elapsed_us = g_get_monotonic_time () - r->started_us;
  g_main_loop_quit (r->loop);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Result *r = user_data;

  r->ok = od_secret_store_clear_finish (OD_SECRET_STORE (object), result, &r->error);
  r->elapsed_us = g_get_monotonic_time () - r->started_us;
  g_main_loop_quit (r->loop);
}

static void
result_init (Result *r)
{
  memset (r, 0, sizeof *r);
  r->loop = g_main_loop_new (NULL, FALSE);
  r->started_us = g_get_monotonic_time ();
}

static void
do_store (OdSecretStore *store,
          const char    *account,
          const char    *host,
          guint16        port,
          const char    *password,
          GCancellable  *cancellable,
          Result        *r)
{
  result_init (r);
  od_secret_store_store_async (store, account, "smtp", host, port, USER, password, cancellable,
                               store_cb, r);
  g_main_loop_run (r->loop);
}

static void
do_lookup (OdSecretStore *store,
           const char    *account,
           const char    *host,
           guint16        port,
           GCancellable  *cancellable,
           Result        *r)
{
  result_init (r);
  od_secret_store_lookup_async (store, account, "smtp", host, port, USER, cancellable,
                                lookup_cb, r);
  g_main_loop_run (r->loop);
}

static void
do_clear (OdSecretStore *store,
          const char    *account,
          GCancellable  *cancellable,
          Result        *r)
{
  result_init (r);
  od_secret_store_clear_async (store, account, cancellable, clear_cb, r);
  g_main_loop_run (r->loop);
}

/* "secret-tool search --all account ID", parsed: one GHashTable of "label", "schema",
 * "attribute.NAME", … per item. The secret itself is compared, never printed. */
static GPtrArray *
secret_tool_search (const char *account)
{
  const char *argv[] = { "secret-tool", "search", "--all", "account", account, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *all = NULL;
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify)g_hash_table_unref);
  GHashTable *item = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);

  /* secret-tool writes the item header and some fields to stdout, the attributes to
   * stderr; each block starts with "[/org/freedesktop/secrets/…]". */
  all = g_strconcat (out, err, NULL);
  lines = g_strsplit (all, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *eq;

      if (lines[i][0] == '[')
        {
          item = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          g_ptr_array_add (items, item);
          continue;
        }

      eq = strstr (lines[i], " = ");
      if (item != NULL && eq != NULL)
        g_hash_table_replace (item, g_strndup (lines[i], eq - lines[i]), g_strdup (eq + 3));
    }

  return items;
}

static gboolean
in_keyring_mode (void)
{
  if (g_strcmp0 (g_getenv ("OD_KEYRING_MODE"), "keyring") != 0)
    {
      g_test_skip ("needs a real keyring: run through tests/integration/keyring-session.sh keyring");
      return FALSE;
    }
  return TRUE;
}

static gboolean
in_none_mode (void)
{
  if (g_strcmp0 (g_getenv ("OD_KEYRING_MODE"), "none") != 0)
    {
      g_test_skip ("needs a bus without keyring: run through keyring-session.sh none");
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------
 * A real gnome-keyring-daemon
 * ------------------------------------------------------------------------------------------ */

static void
test_store_lookup (void)
{
  g_autoptr(OdSecretStore) store = od_secret_store_new ();
  g_autoptr(GPtrArray) items = NULL;
  GHashTable *item;
  Result r;

  if (!in_keyring_mode ())
    return;

  do_store (store, ACCOUNT, HOST, 587, PASSWORD, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  result_clear (&r);

  do_lookup (store, ACCOUNT, HOST, 587, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.password, ==, PASSWORD);
  result_clear (&r);

  /* secret-tool, independent of our code, finds it with the documented schema. */
  items = secret_tool_search (ACCOUNT);
  g_assert_cmpuint (items->len, ==, 1);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (g_hash_table_lookup (item, "label"), ==,
                   "Outbox Doctor: " USER " on " HOST);
  g_assert_cmpstr (g_hash_table_lookup (item, "schema"), ==,
                   "org.outboxdoctor.OutboxDoctor.Account");
  g_assert_cmpstr (g_hash_table_lookup (item, "attribute.account"), ==, ACCOUNT);
  g_assert_cmpstr (g_hash_table_lookup (item, "attribute.protocol"), ==, "smtp");
  g_assert_cmpstr (g_hash_table_lookup (item, "attribute.host"), ==, HOST);
  g_assert_cmpstr (g_hash_table_lookup (item, "attribute.port"), ==, "587");
  g_assert_cmpstr (g_hash_table_lookup (item, "attribute.user"), ==, USER);
  g_assert_true (g_strcmp0 (g_hash_table_lookup (item, "secret"), PASSWORD) == 0);

  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_lookup_exact_settings (void)
{
  g_autoptr(OdSecretStore) store = od_secret_store_new ();
  Result r;

  if (!in_keyring_mode ())
    return;

  do_store (store, ACCOUNT, HOST, 587, PASSWORD, NULL, &r);
  g_assert_true (r.ok);
  result_clear (&r);

  /* Another port, host or account: not given out. */
  do_lookup (store, ACCOUNT, HOST, 465, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_null (r.password);
  result_clear (&r);

  do_lookup (store, ACCOUNT, "evil.example.net", 587, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_null (r.password);
  result_clear (&r);

  do_lookup (store, "nobody-example-com", HOST, 587, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_null (r.password);
  result_clear (&r);
}

/* The incoming server's password: its own item (protocol imap) when there is one, the
 * outgoing one for an account saved before incoming items existed. The two items live side
 * by side: storing one does not remove the other. */
static void
test_incoming_lookup (void)
{
  g_autoptr(OdSecretStore) store = od_secret_store_new ();
  g_autoptr(OdAccount) account = od_account_new (ACCOUNT, USER);
  Result r;

  if (!in_keyring_mode ())
    return;

  od_account_set_host (account, HOST);
  od_account_set_port (account, 587);
  od_account_set_username (account, USER);
  od_account_set_incoming (account, "imap", "imap.example.com", 993, OD_SECURITY_TLS, USER);

  do_clear (store, ACCOUNT, NULL, &r);
  result_clear (&r);
  do_store (store, ACCOUNT, HOST, 587, PASSWORD, NULL, &r);
  g_assert_true (r.ok);
  result_clear (&r);

  /* Only the outgoing item: that password. */
  result_init (&r);
  od_secret_store_lookup_incoming_for_account_async (store, account, NULL, lookup_cb, &r);
  g_main_loop_run (r.loop);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.password, ==, PASSWORD);
  result_clear (&r);

  /* Its own item wins, and the outgoing one stays. */
  result_init (&r);
  od_secret_store_store_async (store, ACCOUNT, "imap", "imap.example.com", 993, USER, PASSWORD2,
                               NULL, store_cb, &r);
  g_main_loop_run (r.loop);
  g_assert_true (r.ok);
  result_clear (&r);

  result_init (&r);
  od_secret_store_lookup_incoming_for_account_async (store, account, NULL, lookup_cb, &r);
  g_main_loop_run (r.loop);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.password, ==, PASSWORD2);
  result_clear (&r);

  do_lookup (store, ACCOUNT, HOST, 587, NULL, &r);
  g_assert_cmpstr (r.password, ==, PASSWORD);
  result_clear (&r);

  do_clear (store, ACCOUNT, NULL, &r);
  result_clear (&r);
}

static void
test_replace (void)
{
  g_autoptr(OdSecretStore) store = od_secret_store_new ();
  g_autoptr(GPtrArray) items = NULL;
  Result r;

  if (!in_keyring_mode ())
    return;

  do_store (store, ACCOUNT, HOST, 587, PASSWORD, NULL, &r);
  g_assert_true (r.ok);
  result_clear (&r);
  do_store (store, ACCOUNT, HOST, 587, PASSWORD2, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  result_clear (&r);

  do_lookup (store, ACCOUNT, HOST, 587, NULL, &r);
  g_assert_cmpstr (r.password, ==, PASSWORD2);
  result_clear (&r);
  items = secret_tool_search (ACCOUNT);
  g_assert_cmpuint (items->len, ==, 1);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* New server settings: the old item goes, there is still one per account. */
  do_store (store, ACCOUNT, "smtp2.example.com", 465, PASSWORD, NULL, &r);
  g_assert_true (r.ok);
  result_clear (&r);
  do_lookup (store, ACCOUNT, HOST, 587, NULL, &r);
  g_assert_null (r.password);
  result_clear (&r);
  do_lookup (store, ACCOUNT, "smtp2.example.com", 465, NULL, &r);
  g_assert_cmpstr (r.password, ==, PASSWORD);
  result_clear (&r);
  items = secret_tool_search (ACCOUNT);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (g_ptr_array_index (items, 0), "attribute.host"), ==,
                   "smtp2.example.com");
}

static void
test_clear (void)
{
  g_autoptr(OdSecretStore) store = od_secret_store_new ();
  g_autoptr(GPtrArray) items = NULL;
  Result r;

  if (!in_keyring_mode ())
    return;

  do_store (store, ACCOUNT, HOST, 587, PASSWORD, NULL, &r);
  g_assert_true (r.ok);
  result_clear (&r);
  do_store (store, "bob-example-org", HOST, 587, PASSWORD2, NULL, &r);
  g_assert_true (r.ok);
  result_clear (&r);

  do_clear (store, ACCOUNT, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  result_clear (&r);

  do_lookup (store, ACCOUNT, HOST, 587, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_null (r.password);
  result_clear (&r);
  items = secret_tool_search (ACCOUNT);
  g_assert_cmpuint (items->len, ==, 0);

  /* Only that account's items. */
  do_lookup (store, "bob-example-org", HOST, 587, NULL, &r);
  g_assert_cmpstr (r.password, ==, PASSWORD2);
  result_clear (&r);

  /* Nothing left to remove is not an error. */
  do_clear (store, ACCOUNT, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  result_clear (&r);

  do_clear (store, "bob-example-org", NULL, &r);
  g_assert_true (r.ok);
  result_clear (&r);
}

static void
test_cancelled (void)
{
  g_autoptr(OdSecretStore) store = od_secret_store_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result r;

  if (!in_keyring_mode ())
    return;

  g_cancellable_cancel (cancellable);
  do_store (store, ACCOUNT, HOST, 587, PASSWORD, cancellable, &r);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  result_clear (&r);

  do_lookup (store, ACCOUNT, HOST, 587, cancellable, &r);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  result_clear (&r);
}

static void
assert_locked (Result *r)
{
  g_test_message ("locked keyring: %s after %" G_GINT64_FORMAT " ms",
                  r->error ? r->error->message : "(no error)", r->elapsed_us / 1000);
  g_assert_error (r->error, OD_SECRET_ERROR, OD_SECRET_ERROR_LOCKED);
  g_assert_cmpint (r->elapsed_us, <, 5 * G_USEC_PER_SEC);
}

/* A locked keyring: libsecret asks the desktop's prompter to unlock it. Here no prompter can
 * appear (no display), which is what a dismissed prompt looks like: "locked", said at once —
 * not "no password saved", not "removed" while the item stays, and no hang. */
static void
test_locked (void)
{
  g_autoptr(OdSecretStore) store = od_secret_store_new ();
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  Result r;

  if (!in_keyring_mode ())
    return;

  do_store (store, ACCOUNT, HOST, 587, PASSWORD, NULL, &r);
  g_assert_true (r.ok);
  result_clear (&r);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "Lock",
                                       g_variant_new_parsed ("([objectpath '/org/freedesktop/secrets/collection/login'],)"),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);

  do_lookup (store, ACCOUNT, HOST, 587, NULL, &r);
  assert_locked (&r);
  g_assert_null (r.password);
  result_clear (&r);

  do_store (store, ACCOUNT, HOST, 587, PASSWORD2, NULL, &r);
  assert_locked (&r);
  result_clear (&r);

  do_clear (store, ACCOUNT, NULL, &r);
  assert_locked (&r);
  result_clear (&r);

  /* Still there, still the first password (checked by secret-tool, without unlocking). */
  items = secret_tool_search (ACCOUNT);
  g_assert_cmpuint (items->len, ==, 1);
}

/* ------------------------------------------------------------------------------------------
 * No keyring
 * ------------------------------------------------------------------------------------------ */

static void
assert_no_keyring (Result *r)
{
  g_assert_error (r->error, OD_SECRET_ERROR, OD_SECRET_ERROR_NO_KEYRING);
  g_assert_nonnull (strstr (r->error->message, "No keyring is available"));
  g_assert_null (strstr (r->error->message, PASSWORD));
  /* Said at once, not after the deadline. */
  g_assert_cmpint (r->elapsed_us, <, 5 * G_USEC_PER_SEC);
}

static void
test_no_service (void)
{
  g_autoptr(OdSecretStore) store = od_secret_store_new ();
  Result r;

  if (!in_none_mode ())
    return;

  do_store (store, ACCOUNT, HOST, 587, PASSWORD, NULL, &r);
  g_test_message ("store: %s", r.error ? r.error->message : "(no error)");
  assert_no_keyring (&r);
  g_assert_false (r.ok);
  result_clear (&r);

  do_lookup (store, ACCOUNT, HOST, 587, NULL, &r);
  assert_no_keyring (&r);
  g_assert_null (r.password);
  result_clear (&r);

  do_clear (store, ACCOUNT, NULL, &r);
  assert_no_keyring (&r);
  result_clear (&r);
}

static void
test_no_bus (void)
{
  if (!in_none_mode ())
    return;

  if (g_test_subprocess ())
    {
      g_autoptr(OdSecretStore) store = NULL;
      Result r;

      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_unsetenv ("DISPLAY");
      store = od_secret_store_new ();
      do_store (store, ACCOUNT, HOST, 587, PASSWORD, NULL, &r);
      g_printerr ("%s\n", r.error ? r.error->message : "(no error)");
      assert_no_keyring (&r);
      result_clear (&r);
      return;
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*No keyring is available*session bus*");
}

/* Greps a directory tree for the password (plain and base64). */
static void
assert_not_in_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autofree char *b64 = g_base64_encode ((const guchar *)PASSWORD, strlen (PASSWORD));
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *data = NULL;
      gsize len = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          assert_not_in_tree (path);
          continue;
        }
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || !g_file_get_contents (path, &data, &len, NULL))
        continue;

      g_assert_null (g_strstr_len (data, len, PASSWORD));
      g_assert_null (g_strstr_len (data, len, b64));
    }
}

static void
test_nothing_on_disk (void)
{
  const char *vars[] = { "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                         "XDG_RUNTIME_DIR", "OD_KEYRING_TMP" };

  if (!in_none_mode ())
    return;

  /* test_no_service() ran first and tried to store the password everywhere it could. */
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_assert_nonnull (g_getenv (vars[i]));
      assert_not_in_tree (g_getenv (vars[i]));
    }
  assert_not_in_tree (g_get_user_config_dir ());
}

/* A secret service that owns its name and never answers: drops every method call it gets. */
static GDBusMessage *
swallow_cb (GDBusConnection *connection,
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

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_hung_service (void)
{
  g_autoptr(OdSecretStore) store = od_secret_store_new ();
  g_autoptr(GDBusConnection) hung = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint32 owned;
  Result r;

  if (!in_none_mode ())
    return;

  hung = g_dbus_connection_new_for_address_sync (g_getenv ("DBUS_SESSION_BUS_ADDRESS"),
                                                 G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                 G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                 NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (hung, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.secrets", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &owned);
  g_assert_cmpuint (owned, ==, 1);
  g_dbus_connection_add_filter (hung, swallow_cb, NULL, NULL);

  od_secret_store_set_timeout (store, 1000);
  g_assert_cmpuint (od_secret_store_get_timeout (store), ==, 1000);

  do_store (store, ACCOUNT, HOST, 587, PASSWORD, NULL, &r);
  g_test_message ("store: %s after %" G_GINT64_FORMAT " ms",
                  r.error ? r.error->message : "(no error)", r.elapsed_us / 1000);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (r.error->message, "did not answer"));
  g_assert_cmpint (r.elapsed_us, >=, 900 * 1000);
  g_assert_cmpint (r.elapsed_us, <, 5 * G_USEC_PER_SEC);
  result_clear (&r);

  do_lookup (store, ACCOUNT, HOST, 587, NULL, &r);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (r.elapsed_us, <, 5 * G_USEC_PER_SEC);
  result_clear (&r);

  /* The caller's cancellable ends a hung operation at once. */
  od_secret_store_set_timeout (store, 60000);
  g_timeout_add (200, cancel_cb, cancellable);
  do_clear (store, ACCOUNT, cancellable, &r);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (r.elapsed_us, <, 5 * G_USEC_PER_SEC);
  result_clear (&r);

  g_dbus_connection_close_sync (hung, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/secret-store/keyring/store-lookup", test_store_lookup);
  g_test_add_func ("/od/secret-store/keyring/lookup-exact-settings", test_lookup_exact_settings);
  g_test_add_func ("/od/secret-store/keyring/replace", test_replace);
  g_test_add_func ("/od/secret-store/keyring/incoming", test_incoming_lookup);
  g_test_add_func ("/od/secret-store/keyring/clear", test_clear);
  g_test_add_func ("/od/secret-store/keyring/cancelled", test_cancelled);
  /* Last of the keyring tests: the keyring stays locked. */
  g_test_add_func ("/od/secret-store/keyring/locked", test_locked);
  g_test_add_func ("/od/secret-store/none/no-service", test_no_service);
  g_test_add_func ("/od/secret-store/none/no-bus", test_no_bus);
  g_test_add_func ("/od/secret-store/none/nothing-on-disk", test_nothing_on_disk);
  /* Last: it leaves a name owner behind that never answers. */
  g_test_add_func ("/od/secret-store/none/hung-service", test_hung_service);

  return g_test_run ();
}
