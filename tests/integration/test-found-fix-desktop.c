/* test-found-fix-desktop.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The fixers of Evolution and GNOME Online Accounts against the real daemons. Run through
 * keyring-session.sh (a private D-Bus session, throw-away HOME and XDG directories):
 *
 *   keyring-session.sh keyring test-found-fix-desktop --tap   seeds Evolution's sources and
 *       GOA's accounts.conf from tests/data/found/fix/ (Ivy's SMTP port broken on purpose),
 *       starts /usr/libexec/goa-daemon and evolution-source-registry, fixes Evolution's
 *       accounts through od_found_fix_apply() and reads them back at once (a new
 *       ESourceRegistry, the reader, the .source file with every other key unchanged);
 *       refusals (an account EDS made for GOA, a sendmail account, a bad host name); GOA's
 *       fixer names the change to make in Settings → Online Accounts;
 *   OD_TEST_LANGUAGE=de, keyring: GOA's message in German, with GOA's own German words
 *       (from its catalogue, gnome-online-accounts.mo) for the kind of account and the
 *       encryption;
 *   keyring-session.sh none test-found-fix-desktop --tap      no daemon can start: both
 *       fixers fail at once; a registry of our own (in a thread) whose transport is not
 *       writable: refused, nothing written.
 *
 * Skipped (TAP SKIP) only when goa-daemon or evolution-source-registry is not installed. */

#include "config.h"

#include <signal.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "od-found-evolution-private.h"
#include "od-found-fix.h"
#include "od-found-goa.h"
#include "od-test-locale.h"

#define GOA_DAEMON       "/usr/libexec/goa-daemon"
#define SOURCE_REGISTRY  "/usr/libexec/evolution-source-registry"

#define GOA_LENA         "account_1764000700_0"
#define GOA_MAX          "account_1764000701_0"
#define GOA_NORA         "account_1764000702_0"

#define EVO_IVY          "1764000800.4242.1@od-test"
#define EVO_IVY_SMTP     "1764000800.4242.3@od-test"
#define EVO_JACK         "1764000900.4242.1@od-test"
#define EVO_JACK_SMTP    "1764000900.4242.3@od-test"
#define EVO_KIM          "1764001000.4242.1@od-test"

#define NOTE_EVOLUTION   "Evolution sends mail through this account too."

static GPid daemons[2];

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

static GPtrArray *
read_with (OdFoundReader read)
{
  OdFoundContext context = context_new ();
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_assert_true (read (&context, found, &error));
  g_assert_no_error (error);
  return found;
}

/* The account as the reader finds it now (a new ESourceRegistry each time). */
static OdFoundAccount *
read_account (OdFoundReader  read,
              const char    *id)
{
  g_autoptr(GPtrArray) found = read_with (read);
  OdFoundAccount *account = find (found, id);

  g_assert_nonnull (account);
  return g_object_ref (account);
}

static char *
source_path (const char *uid)
{
  g_autofree char *file = g_strconcat (uid, ".source", NULL);

  return g_build_filename (g_get_user_config_dir (), "evolution", "sources", file, NULL);
}

static char *
read_source_file (const char *uid)
{
  g_autofree char *path = source_path (uid);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  return contents;
}

static GKeyFile *
key_file_new (const char *contents)
{
  GKeyFile *key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (g_key_file_load_from_data (key_file, contents, -1, G_KEY_FILE_KEEP_COMMENTS,
                                            &error));
  g_assert_no_error (error);
  return key_file;
}

/* Every key of @before is in @after with the same value, but for the "Group/Key"s in
 * @changed; returns how many keys @after has that @before had not. */
static guint
assert_kept (const char         *before,
             const char         *after,
             const char * const *changed)
{
  g_autoptr(GKeyFile) old = key_file_new (before);
  g_autoptr(GKeyFile) new = key_file_new (after);
  g_auto(GStrv) groups = g_key_file_get_groups (old, NULL);
  g_auto(GStrv) new_groups = g_key_file_get_groups (new, NULL);
  guint added = 0;

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (old, groups[i], NULL, NULL);

      for (guint j = 0; keys[j] != NULL; j++)
        {
          g_autofree char *name = g_strdup_printf ("%s/%s", groups[i], keys[j]);
          g_autofree char *a = g_key_file_get_value (old, groups[i], keys[j], NULL);
          g_autofree char *b = g_key_file_get_value (new, groups[i], keys[j], NULL);

          if (g_strv_contains (changed, name))
            continue;
          g_assert_cmpstr (b, ==, a);
        }
    }
  for (guint i = 0; new_groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (new, new_groups[i], NULL, NULL);

      for (guint j = 0; keys[j] != NULL; j++)
        if (!g_key_file_has_key (old, new_groups[i], keys[j], NULL))
          {
            g_test_message ("added by EDS: [%s] %s", new_groups[i], keys[j]);
            added++;
          }
    }
  return added;
}

static void
assert_outgoing (OdFoundAccount *found,
                 const char     *host,
                 guint16         port,
                 OdSecurity      security,
                 const char     *username)
{
  OdAccount *account = od_found_account_get_account (found);

  g_assert_cmpstr (od_account_get_host (account), ==, host);
  g_assert_cmpuint (od_account_get_port (account), ==, port);
  g_assert_cmpint (od_account_get_security (account), ==, security);
  g_assert_cmpstr (od_account_get_username (account), ==, username);
}

/* The transport as a new ESourceRegistry sees it. */
static void
assert_registry (const char *transport_uid,
                 const char *host,
                 guint16     port,
                 const char *method,
                 const char *user)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ESourceRegistry) registry = e_source_registry_new_sync (NULL, &error);
  g_autoptr(ESource) transport = NULL;
  ESourceAuthentication *auth;
  g_autofree char *real_method = NULL;
  g_autofree char *real_host = NULL;
  g_autofree char *real_user = NULL;

  g_assert_no_error (error);
  transport = e_source_registry_ref_source (registry, transport_uid);
  g_assert_nonnull (transport);
  auth = e_source_get_extension (transport, E_SOURCE_EXTENSION_AUTHENTICATION);
  real_host = e_source_authentication_dup_host (auth);
  real_user = e_source_authentication_dup_user (auth);
  real_method = e_source_security_dup_method (e_source_get_extension (transport,
                                                                      E_SOURCE_EXTENSION_SECURITY));
  g_assert_cmpstr (real_host, ==, host);
  g_assert_cmpuint (e_source_authentication_get_port (auth), ==, port);
  g_assert_cmpstr (real_user, ==, user);
  g_assert_cmpstr (real_method, ==, method);
}

static gboolean
fix_account (OdFoundAccount    *found,
             const OdFoundFix  *fix,
             GError           **error)
{
  OdFoundContext context = context_new ();
  g_autofree char *backup = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean done;

  done = od_found_fix_apply (&context, found, fix, &backup, error);
  g_test_message ("fix of %s: %s after %" G_GINT64_FORMAT " ms", od_found_account_get_id (found),
                  done ? "made" : (*error)->message, (g_get_monotonic_time () - start) / 1000);
  g_assert_null (backup);
  return done;
}

/* Ivy's SMTP port is broken (2526): the fix writes 587 through the registry; a new registry
 * and the reader see it at once, and the file has it with every other key as it was. */
static void
test_evolution_port (void)
{
  g_autoptr(OdFoundAccount) ivy = read_account (od_found_read_evolution, "evolution:" EVO_IVY);
  g_autoptr(OdFoundAccount) fixed = NULL;
  g_autofree char *before = read_source_file (EVO_IVY_SMTP);
  g_autofree char *after = NULL;
  const char * const changed[] = { "Authentication/Port", NULL };
  OdFoundFix fix = { .port = 587 };
  g_autoptr(GError) error = NULL;

  assert_outgoing (ivy, "smtp.example.com", 2526, OD_SECURITY_STARTTLS, "ivy");
  g_assert_true (fix_account (ivy, &fix, &error));
  g_assert_no_error (error);

  assert_registry (EVO_IVY_SMTP, "smtp.example.com", 587, "starttls-on-standard-port", "ivy");
  fixed = read_account (od_found_read_evolution, "evolution:" EVO_IVY);
  assert_outgoing (fixed, "smtp.example.com", 587, OD_SECURITY_STARTTLS, "ivy");
  g_assert_cmpstr (od_account_get_auth_mechanism (od_found_account_get_account (fixed)), ==,
                   "PLAIN");

  after = read_source_file (EVO_IVY_SMTP);
  g_test_message ("%s", after);
  g_assert_nonnull (strstr (after, "\nPort=587\n"));
  /* A file with every key EDS knows gets none added; comments and unknown keys stay. */
  g_assert_cmpuint (assert_kept (before, after, changed), ==, 0);
  g_assert_nonnull (strstr (after, "# Written by hand for Outbox Doctor's tests"));
}

/* Jack's transport has port 0 (Camel's default: 465 with SSL): a fix of the encryption
 * alone writes 465 out, so the server stays the same; then everything at once. */
static void
test_evolution_everything (void)
{
  g_autoptr(OdFoundAccount) jack = read_account (od_found_read_evolution, "evolution:" EVO_JACK);
  g_autoptr(OdFoundAccount) fixed = NULL;
  g_autofree char *before = read_source_file (EVO_JACK_SMTP);
  g_autofree char *after = NULL;
  const char * const changed[] = { "Authentication/Host", "Authentication/Port",
                                   "Authentication/User", "Security/Method", NULL };
  OdFoundFix starttls = { .security = OD_SECURITY_STARTTLS, .set_security = TRUE };
  OdFoundFix all = { "smtp.example.net", 2587, OD_SECURITY_NONE, TRUE, "jack" };
  g_autoptr(GError) error = NULL;

  assert_outgoing (jack, "mail.example.net", 465, OD_SECURITY_TLS, "jack@example.net");
  g_assert_true (fix_account (jack, &starttls, &error));
  g_assert_no_error (error);
  assert_registry (EVO_JACK_SMTP, "mail.example.net", 465, "starttls-on-standard-port",
                   "jack@example.net");
  fixed = read_account (od_found_read_evolution, "evolution:" EVO_JACK);
  assert_outgoing (fixed, "mail.example.net", 465, OD_SECURITY_STARTTLS, "jack@example.net");
  g_clear_object (&fixed);

  g_assert_true (fix_account (jack, &all, &error));
  g_assert_no_error (error);
  assert_registry (EVO_JACK_SMTP, "smtp.example.net", 2587, "none", "jack");
  fixed = read_account (od_found_read_evolution, "evolution:" EVO_JACK);
  assert_outgoing (fixed, "smtp.example.net", 2587, OD_SECURITY_NONE, "jack");
  g_assert_cmpstr (od_account_get_auth_mechanism (od_found_account_get_account (fixed)), ==,
                   "LOGIN");

  after = read_source_file (EVO_JACK_SMTP);
  g_test_message ("%s", after);
  g_assert_nonnull (strstr (after, "\nHost=smtp.example.net\n"));
  g_assert_nonnull (strstr (after, "\nPort=2587\n"));
  g_assert_nonnull (strstr (after, "\nUser=jack\n"));
  g_assert_nonnull (strstr (after, "[Security]\nMethod=none\n"));
  /* Keys EDS knows but the file lacked (ProxyUid, RememberPassword, …) may be added, as
   * Evolution itself adds them on any change; every key that was there keeps its value. */
  assert_kept (before, after, changed);
}

/* The uid of the mail account EDS made for GOA's @goa_id. */
static char *
dup_goa_mail_account_uid (const char *goa_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ESourceRegistry) registry = e_source_registry_new_sync (NULL, &error);
  GList *sources;
  char *uid = NULL;

  g_assert_no_error (error);
  sources = e_source_registry_list_sources (registry, E_SOURCE_EXTENSION_MAIL_ACCOUNT);
  for (GList *l = sources; l != NULL && uid == NULL; l = l->next)
    {
      g_autofree char *id = od_found_evolution_dup_goa_account_id (registry, l->data);

      if (g_strcmp0 (id, goa_id) == 0)
        uid = e_source_dup_uid (l->data);
    }
  g_list_free_full (sources, g_object_unref);
  g_assert_nonnull (uid);
  return uid;
}

static void
test_evolution_goa_backed (void)
{
  g_autofree char *uid = dup_goa_mail_account_uid (GOA_LENA);
  g_autoptr(OdFoundAccount) lena = od_found_account_new (OD_ORIGIN_EVOLUTION, uid,
                                                         "lena@example.org");
  OdFoundFix fix = { .port = 587 };
  g_autoptr(GError) error = NULL;

  g_assert_false (fix_account (lena, &fix, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==,
                   "Evolution takes the settings of lena@example.org from GNOME Online "
                   "Accounts: change them there (the account goa:" GOA_LENA ").");
}

static void
test_evolution_refused (void)
{
  g_autoptr(OdFoundAccount) kim = od_found_account_new (OD_ORIGIN_EVOLUTION, EVO_KIM,
                                                        "kim@example.org");
  g_autoptr(OdFoundAccount) gone = od_found_account_new (OD_ORIGIN_EVOLUTION,
                                                         "1764009999.4242.1@od-test", NULL);
  g_autoptr(OdFoundAccount) ivy = read_account (od_found_read_evolution, "evolution:" EVO_IVY);
  g_autofree char *before = read_source_file (EVO_IVY_SMTP);
  g_autofree char *after = NULL;
  OdFoundFix fix = { .port = 587 };
  OdFoundFix bad_host = { .host = "smtp.example.com\033[2J" };
  OdFoundFix bad_user = { .username = "ivy\nMethod=none" };
  g_autoptr(GError) error = NULL;

  /* A sendmail account has no SMTP server to change. */
  g_assert_false (fix_account (kim, &fix, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "Evolution’s account kim@example.org has no SMTP server any more.");
  g_clear_error (&error);

  g_assert_false (fix_account (gone, &fix, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==,
                   "Evolution has no account evolution:1764009999.4242.1@od-test any more.");
  g_clear_error (&error);

  /* Control characters never reach the registry. */
  g_assert_false (fix_account (ivy, &bad_host, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (fix_account (ivy, &bad_user, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  after = read_source_file (EVO_IVY_SMTP);
  g_assert_cmpstr (after, ==, before);
}

static void
test_evolution_cancelled (void)
{
  g_autoptr(OdFoundAccount) ivy = read_account (od_found_read_evolution, "evolution:" EVO_IVY);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  OdFoundContext context = context_new ();
  OdFoundFix fix = { .port = 25 };
  g_autoptr(GError) error = NULL;

  context.cancellable = cancellable;
  g_cancellable_cancel (cancellable);
  g_assert_false (od_found_fix_apply (&context, ivy, &fix, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&ivy);
  ivy = read_account (od_found_read_evolution, "evolution:" EVO_IVY);
  g_assert_cmpuint (od_account_get_port (od_found_account_get_account (ivy)), !=, 25);
}

/* GOA cannot change an account: the message says what to enter in Settings. */
static void
test_goa_message (void)
{
  g_autoptr(OdFoundAccount) lena = read_account (od_found_read_goa, "goa:" GOA_LENA);
  g_autoptr(OdFoundAccount) max = read_account (od_found_read_goa, "goa:" GOA_MAX);
  g_autoptr(OdFoundAccount) nora = read_account (od_found_read_goa, "goa:" GOA_NORA);
  g_autoptr(OdFoundAccount) again = NULL;
  OdFoundFix port = { .port = 587, .security = OD_SECURITY_STARTTLS, .set_security = TRUE };
  OdFoundFix host = { .host = "smtp.example.net", .security = OD_SECURITY_TLS,
                      .set_security = TRUE };
  g_autoptr(GError) error = NULL;

  g_assert_false (fix_account (lena, &port, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==,
                   "GNOME Online Accounts cannot change the servers of an account. In Settings → "
                   "Online Accounts, remove lena@example.org and add it again as “IMAP and SMTP” "
                   "with the settings it had, and on the SMTP page: SMTP Server "
                   "“smtp.example.org:587”, Encryption “STARTTLS after connecting”, Username "
                   "“lena”.");
  g_clear_error (&error);

  /* No SMTP login: the user name stays empty; the port GOA took by default is named. */
  g_assert_false (fix_account (max, &host, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==,
                   "GNOME Online Accounts cannot change the servers of an account. In Settings → "
                   "Online Accounts, remove max@example.net and add it again as “IMAP and SMTP” "
                   "with the settings it had, and on the SMTP page: SMTP Server "
                   "“smtp.example.net:587”, Encryption “SSL on a dedicated port”, Username "
                   "left empty.");
  g_clear_error (&error);

  g_assert_false (fix_account (nora, &port, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==,
                   "GNOME Online Accounts sets the servers of the Google account "
                   "nora.example@gmail.com itself: they cannot be changed.");

  /* Nothing changed. */
  again = read_account (od_found_read_goa, "goa:" GOA_LENA);
  g_assert_cmpuint (od_account_get_port (od_found_account_get_account (again)), ==, 2526);
}

#define GOA_CATALOGUE_DE "/usr/share/locale/de/LC_MESSAGES/gnome-online-accounts.mo"

static void
test_goa_message_german (void)
{
  g_autoptr(OdFoundAccount) lena = read_account (od_found_read_goa, "goa:" GOA_LENA);
  OdFoundFix port = { .port = 587, .security = OD_SECURITY_STARTTLS, .set_security = TRUE };
  g_autoptr(GError) error = NULL;

  if (!g_file_test (GOA_CATALOGUE_DE, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("GNOME Online Accounts has no German catalogue here");
      return;
    }
  g_assert_false (fix_account (lena, &port, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==,
                   "GNOME Online-Konten kann die Server eines Kontos nicht ändern. Entferne unter "
                   "Einstellungen → Online-Konten das Konto lena@example.org und füge es als "
                   "„IMAP und SMTP“ wieder hinzu, mit den bisherigen Einstellungen und auf der "
                   "SMTP-Seite: SMTP-Server „smtp.example.org:587“, Verschlüsselung „STARTTLS "
                   "nach Verbinden“, Benutzername „lena“.");
}

/* No daemons ------------------------------------------------------------------------------ */

static void
test_no_daemons (void)
{
  g_autoptr(OdFoundAccount) evo = od_found_account_new (OD_ORIGIN_EVOLUTION, EVO_IVY, NULL);
  g_autoptr(OdFoundAccount) goa = od_found_account_new (OD_ORIGIN_GOA, GOA_LENA, NULL);
  OdFoundFix fix = { .port = 587 };
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_false (fix_account (evo, &fix, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Evolution’s account registry is not running"));
  g_clear_error (&error);

  g_assert_false (fix_account (goa, &fix, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "GNOME Online Accounts is not running"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

/* A registry of our own: evolution-source-registry exports every source of the user's
 * folder writable, so a read-only transport is only seen with a registry whose transport
 * object lacks the Source.Writable interface (as EDS's read-only built-in sources do). */

#define FAKE_MANAGER_PATH "/org/gnome/evolution/dataserver/SourceManager"
#define SOURCE_INTERFACE  "org.gnome.evolution.dataserver.Source"

static const struct
{
  const char *uid;
  const char *data;
  gboolean    writable;
} fake_sources[] = {
  { "ro.1", "[Data Source]\nDisplayName=Olga\nEnabled=true\nParent=\n\n"
            "[Mail Account]\nBackendName=none\nIdentityUid=ro.2\n", TRUE },
  { "ro.2", "[Data Source]\nDisplayName=Olga\nEnabled=true\nParent=ro.1\n\n"
            "[Mail Identity]\nAddress=olga@example.org\n\n"
            "[Mail Submission]\nTransportUid=ro.3\n", TRUE },
  { "ro.3", "[Data Source]\nDisplayName=Olga\nEnabled=true\nParent=ro.1\n\n"
            "[Mail Transport]\nBackendName=smtp\n\n"
            "[Authentication]\nHost=smtp.example.org\nPort=2526\nUser=olga\nMethod=PLAIN\n\n"
            "[Security]\nMethod=starttls-on-standard-port\n", FALSE },
};

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GMutex        mutex;
  GCond         cond;
  gboolean      ready;
} FakeRegistry;

static FakeRegistry fake;

static GVariant *
fake_managed_objects (void)
{
  GVariantBuilder objects;

  g_variant_builder_init (&objects, G_VARIANT_TYPE ("a{oa{sa{sv}}}"));
  for (guint i = 0; i < G_N_ELEMENTS (fake_sources); i++)
    {
      g_autofree char *path = g_strdup_printf (FAKE_MANAGER_PATH "/Source_%u", i + 1);
      GVariantBuilder interfaces;
      GVariantBuilder properties;

      g_variant_builder_init (&interfaces, G_VARIANT_TYPE ("a{sa{sv}}"));
      g_variant_builder_init (&properties, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&properties, "{sv}", "UID", g_variant_new_string (fake_sources[i].uid));
      g_variant_builder_add (&properties, "{sv}", "Data",
                             g_variant_new_string (fake_sources[i].data));
      g_variant_builder_add (&properties, "{sv}", "ConnectionStatus",
                             g_variant_new_string ("connected"));
      g_variant_builder_add (&interfaces, "{sa{sv}}", SOURCE_INTERFACE, &properties);
      if (fake_sources[i].writable)
        g_variant_builder_add (&interfaces, "{sa{sv}}", SOURCE_INTERFACE ".Writable", NULL);
      g_variant_builder_add (&objects, "{oa{sa{sv}}}", path, &interfaces);
    }
  return g_variant_new ("(a{oa{sa{sv}}})", &objects);
}

static void
fake_method_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  if (g_str_equal (method_name, "GetManagedObjects"))
    {
      g_dbus_method_invocation_return_value (invocation, fake_managed_objects ());
      return;
    }
  g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.DBus.Error.Failed",
                                              "not expected");
}

static gpointer
fake_registry_run (gpointer data)
{
  static const char xml[] =
    "<node><interface name='org.freedesktop.DBus.ObjectManager'>"
    "<method name='GetManagedObjects'><arg type='a{oa{sa{sv}}}' direction='out'/></method>"
    "</interface></node>";
  static const GDBusInterfaceVTable vtable = { fake_method_cb, NULL, NULL, { NULL } };
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (xml, NULL);
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  guint id;

  g_main_context_push_thread_default (fake.context);
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  connection = g_dbus_connection_new_for_address_sync (address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  id = g_dbus_connection_register_object (connection, FAKE_MANAGER_PATH, node->interfaces[0],
                                          &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", OD_FOUND_EVOLUTION_BUS_NAME, 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);

  g_mutex_lock (&fake.mutex);
  fake.ready = TRUE;
  g_cond_signal (&fake.cond);
  g_mutex_unlock (&fake.mutex);
  g_main_loop_run (fake.loop);

  g_dbus_connection_unregister_object (connection, id);
  g_dbus_connection_close_sync (connection, NULL, NULL);
  g_main_context_pop_thread_default (fake.context);
  return NULL;
}

static void
test_evolution_read_only (void)
{
  g_autoptr(OdFoundAccount) olga = od_found_account_new (OD_ORIGIN_EVOLUTION, "ro.1",
                                                         "olga@example.org");
  g_autoptr(GPtrArray) found = NULL;
  OdFoundFix fix = { .port = 587 };
  g_autoptr(GError) error = NULL;

  fake.context = g_main_context_new ();
  fake.loop = g_main_loop_new (fake.context, FALSE);
  g_mutex_init (&fake.mutex);
  g_cond_init (&fake.cond);
  fake.thread = g_thread_new ("fake-registry", fake_registry_run, NULL);
  g_mutex_lock (&fake.mutex);
  while (!fake.ready)
    g_cond_wait (&fake.cond, &fake.mutex);
  g_mutex_unlock (&fake.mutex);

  /* The reader takes our registry's account as Evolution's. */
  found = read_with (od_found_read_evolution);
  g_assert_nonnull (find (found, "evolution:ro.1"));

  g_assert_false (fix_account (olga, &fix, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==,
                   "Evolution’s registry keeps the sending server of olga@example.org read-only: "
                   "it cannot be changed.");

  g_main_loop_quit (fake.loop);
  g_thread_join (fake.thread);
  g_clear_pointer (&fake.loop, g_main_loop_unref);
  g_clear_pointer (&fake.context, g_main_context_unref);
}

/* Set-up of the keyring session --------------------------------------------------------- */

static void
copy_dir (const char *from,
          const char *to)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (to, 0700), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *a = g_build_filename (from, name, NULL);
      g_autofree char *b = g_build_filename (to, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;
      g_autoptr(GError) error = NULL;

      g_assert_true (g_file_get_contents (a, &contents, &length, &error));
      g_assert_true (g_file_set_contents (b, contents, length, &error));
      g_assert_no_error (error);
    }
}

static void
seed_files (void)
{
  const char *source_root = g_getenv ("OD_SOURCE_ROOT");
  g_autofree char *data = NULL;
  g_autofree char *goa_from = NULL;
  g_autofree char *goa_to = NULL;
  g_autofree char *evo_from = NULL;
  g_autofree char *evo_to = NULL;

  g_assert_nonnull (source_root);
  data = g_build_filename (source_root, "tests", "data", "found", "fix", NULL);
  goa_from = g_build_filename (data, "goa", NULL);
  goa_to = g_build_filename (g_get_user_config_dir (), "goa-1.0", NULL);
  evo_from = g_build_filename (data, "evolution", "sources", NULL);
  evo_to = g_build_filename (g_get_user_config_dir (), "evolution", "sources", NULL);
  copy_dir (goa_from, goa_to);
  copy_dir (evo_from, evo_to);
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

/* Whether our own daemon owns @name: until then a reader would have D-Bus start a second
 * one (a second evolution-source-registry stays beside the first, each with its own copy
 * of the sources, and a fix written to one is not what the other shows). */
static gboolean
name_has_owner (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* GOA lists its accounts, EDS made its sources for them (GOA's reader notes it), and
 * Evolution's reader finds Ivy and Jack. */
static gboolean
ready (void)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  OdFoundContext context = context_new ();
  const char * const goa_ids[] = { "goa:" GOA_LENA, "goa:" GOA_MAX, "goa:" GOA_NORA };

  if (!od_found_read_goa (&context, found, NULL) ||
      !od_found_read_evolution (&context, found, NULL))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (goa_ids); i++)
    {
      OdFoundAccount *account = find (found, goa_ids[i]);

      /* In the language of the run (OD_TEST_LANGUAGE). */
      if (account == NULL ||
          !g_strv_contains (od_found_account_get_notes (account), gettext (NOTE_EVOLUTION)))
        return FALSE;
    }
  return find (found, "evolution:" EVO_IVY) != NULL && find (found, "evolution:" EVO_JACK) != NULL;
}

static void
start_daemons (void)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  g_assert_nonnull (bus);
  seed_files ();
  daemons[0] = start_daemon (GOA_DAEMON, "--replace", "goa-daemon.log");
  daemons[1] = start_daemon (SOURCE_REGISTRY, NULL, "source-registry.log");
  while (!name_has_owner (bus, OD_FOUND_GOA_BUS_NAME) ||
         !name_has_owner (bus, OD_FOUND_EVOLUTION_BUS_NAME))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 20);
    }
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
  const char *language = g_getenv ("OD_TEST_LANGUAGE");
  int status;

  if (!g_file_test (GOA_DAEMON, G_FILE_TEST_IS_EXECUTABLE) ||
      !g_file_test (SOURCE_REGISTRY, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_print ("1..0 # SKIP goa-daemon or evolution-source-registry is not installed "
               "(packages gnome-online-accounts, evolution-data-server)\n");
      return 0;
    }

  if (language != NULL && !od_test_locale_use (language))
    {
      g_print ("1..0 # SKIP the %s locale was not built for the tests\n", language);
      return 0;
    }

  g_test_init (&argc, &argv, NULL);

  if (language != NULL)
    {
      g_test_add_func ("/od/found-fix-desktop/goa/message-de", test_goa_message_german);
      start_daemons ();
    }
  else if (g_strcmp0 (mode, "keyring") == 0)
    {
      g_test_add_func ("/od/found-fix-desktop/evolution/port", test_evolution_port);
      g_test_add_func ("/od/found-fix-desktop/evolution/everything", test_evolution_everything);
      g_test_add_func ("/od/found-fix-desktop/evolution/goa-backed", test_evolution_goa_backed);
      g_test_add_func ("/od/found-fix-desktop/evolution/refused", test_evolution_refused);
      g_test_add_func ("/od/found-fix-desktop/evolution/cancelled", test_evolution_cancelled);
      g_test_add_func ("/od/found-fix-desktop/goa/message", test_goa_message);
      start_daemons ();
    }
  else
    {
      g_test_add_func ("/od/found-fix-desktop/no-daemons", test_no_daemons);
      g_test_add_func ("/od/found-fix-desktop/evolution/read-only", test_evolution_read_only);
    }

  status = g_test_run ();
  stop_daemons ();
  return status;
}
