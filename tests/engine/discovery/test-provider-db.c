/* test-provider-db.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two groups: /od/provider-db/ (suite "engine") tests the lookups; /od/provider-data/
 * (suite "data", test "provider-data") checks every shipped file in data/providers.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <string.h>

#include "od-provider-db.h"

#define MIN_PROVIDERS 50

static char *
providers_dir (void)
{
  const char *root = g_getenv ("OD_SOURCE_ROOT");

  g_assert_nonnull (root);
  return g_build_filename (root, "data", "providers", NULL);
}

static OdServerConfig *
first_outgoing (OdProvider *provider)
{
  GPtrArray *servers = od_provider_get_outgoing_servers (provider);

  g_assert_cmpuint (servers->len, >, 0);
  return g_ptr_array_index (servers, 0);
}

static OdProvider *
lookup_domain (const char *domain)
{
  return od_provider_db_lookup_domain (od_provider_db_get_default (), domain);
}

static OdProvider *
lookup_mx (const char *host)
{
  return od_provider_db_lookup_mx (od_provider_db_get_default (), host);
}

static void
assert_domain_is (const char *domain,
                  const char *id)
{
  g_autoptr(OdProvider) provider = lookup_domain (domain);

  g_assert_nonnull (provider);
  g_assert_cmpstr (od_provider_get_id (provider), ==, id);
}

static void
assert_mx_is (const char *host,
              const char *id)
{
  g_autoptr(OdProvider) provider = lookup_mx (host);

  if (id == NULL)
    {
      g_assert_null (provider);
      return;
    }
  g_assert_nonnull (provider);
  g_assert_cmpstr (od_provider_get_id (provider), ==, id);
}

/* A temporary folder of provider files for the loader's own rules. */
typedef struct
{
  char *dir;
} TempDir;

static void
temp_dir_setup (TempDir       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("od-provider-db-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
temp_dir_teardown (TempDir       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
}

static void
write_provider (TempDir    *fixture,
                const char *name,
                const char *id,
                const char *domain,
                const char *mx_suffix)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *domain_xml = domain ? g_strdup_printf ("<domain>%s</domain>", domain) : g_strdup ("");
  g_autofree char *mx_xml = mx_suffix ? g_strdup_printf ("<od:mxSuffix>%s</od:mxSuffix>", mx_suffix)
                                      : g_strdup ("");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  contents = g_strdup_printf ("<?xml version=\"1.0\"?>\n"
                              "<clientConfig version=\"1.1\" "
                              "xmlns:od=\"https://outboxdoctor.org/ns/provider/1\">"
                              "<emailProvider id=\"%s\">%s"
                              "<outgoingServer type=\"smtp\"><hostname>smtp.%s.example</hostname>"
                              "<port>465</port><socketType>SSL</socketType></outgoingServer>"
                              "%s</emailProvider></clientConfig>\n",
                              id, domain_xml, id, mx_xml);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* First, so that several threads race for the first load. */
static gpointer
get_default_thread (gpointer data)
{
  return od_provider_db_get_default ();
}

static void
test_default_threads (void)
{
  GThread *threads[8];
  gpointer results[G_N_ELEMENTS (threads)];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("get-default", get_default_thread, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    results[i] = g_thread_join (threads[i]);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_assert_nonnull (results[i]);
      g_assert_true (results[i] == results[0]);
    }
  g_assert_true (od_provider_db_get_default () == results[0]);
}

static void
test_default_loads (void)
{
  OdProviderDb *db = od_provider_db_get_default ();
  g_autoptr(GPtrArray) list = od_provider_db_list_providers (db);

  g_assert_true (OD_IS_PROVIDER_DB (db));
  g_assert_cmpuint (od_provider_db_get_n_providers (db), >=, MIN_PROVIDERS);
  g_assert_cmpuint (list->len, ==, od_provider_db_get_n_providers (db));

  /* Sorted by id, and every listed provider can be found by its id. */
  for (guint i = 0; i < list->len; i++)
    {
      OdProvider *provider = g_ptr_array_index (list, i);
      g_autoptr(OdProvider) again = od_provider_db_lookup_id (db, od_provider_get_id (provider));

      g_assert_true (again == provider);
      if (i > 0)
        g_assert_cmpstr (od_provider_get_id (g_ptr_array_index (list, i - 1)), <,
                         od_provider_get_id (provider));
    }
  g_assert_null (od_provider_db_lookup_id (db, "no-such-provider"));
}

static void
test_lookup_domain (void)
{
  g_autoptr(OdProvider) address = NULL;

  assert_domain_is ("gmail.com", "gmail.com");
  assert_domain_is ("googlemail.com", "gmail.com");
  assert_domain_is ("GMail.COM", "gmail.com");
  assert_domain_is ("gmail.com.", "gmail.com");
  assert_domain_is ("hotmail.com", "outlook.com");
  assert_domain_is ("Live.co.uk", "outlook.com");
  assert_domain_is ("gmx.de", "gmx.net");
  assert_domain_is ("gmx.at", "gmx.net");
  assert_domain_is ("gmx.ch", "gmx.net");
  assert_domain_is ("wanadoo.fr", "orange.fr");
  assert_domain_is ("me.com", "icloud.com");
  assert_domain_is ("pm.me", "proton.me");
  assert_domain_is ("foxmail.com", "qq.com");

  address = od_provider_db_lookup_address (od_provider_db_get_default (), "Jane.Doe@Yahoo.COM");
  g_assert_nonnull (address);
  g_assert_cmpstr (od_provider_get_id (address), ==, "yahoo.com");
  g_assert_null (od_provider_db_lookup_address (od_provider_db_get_default (), "no-at-sign"));

  /* Unknown, sub- and parent domains, and garbage */
  g_assert_null (lookup_domain ("example.invalid"));
  g_assert_null (lookup_domain ("mail.gmail.com"));
  g_assert_null (lookup_domain ("com"));
  g_assert_null (lookup_domain (""));
  g_assert_null (lookup_domain ("gmail com"));
  g_assert_null (lookup_domain ("gmäil.com"));
  g_assert_null (lookup_domain ("\xff\xfe.com"));
}

/* The brief's must-have providers and their published outgoing servers. */
static void
test_required_providers (void)
{
  const struct {
    const char *domain;
    const char *host;
    guint       port;
    OdSecurity  security;
  } cases[] = {
    { "gmail.com",     "smtp.gmail.com",         465,  OD_SECURITY_TLS },
    { "outlook.com",   "smtp-mail.outlook.com",  587,  OD_SECURITY_STARTTLS },
    { "yahoo.com",     "smtp.mail.yahoo.com",    465,  OD_SECURITY_TLS },
    { "aol.com",       "smtp.aol.com",           465,  OD_SECURITY_TLS },
    { "icloud.com",    "smtp.mail.me.com",       587,  OD_SECURITY_STARTTLS },
    { "fastmail.com",  "smtp.fastmail.com",      465,  OD_SECURITY_TLS },
    { "gmx.net",       "mail.gmx.net",           587,  OD_SECURITY_STARTTLS },
    { "gmx.com",       "mail.gmx.com",           587,  OD_SECURITY_STARTTLS },
    { "web.de",        "smtp.web.de",            587,  OD_SECURITY_STARTTLS },
    { "zoho.com",      "smtp.zoho.com",          465,  OD_SECURITY_TLS },
    { "zohomail.eu",   "smtp.zoho.eu",           465,  OD_SECURITY_TLS },
    { "mail.ru",       "smtp.mail.ru",           465,  OD_SECURITY_TLS },
    { "yandex.ru",     "smtp.yandex.com",        465,  OD_SECURITY_TLS },
    { "proton.me",     "127.0.0.1",              1025, OD_SECURITY_STARTTLS },
    { "posteo.de",     "posteo.de",              465,  OD_SECURITY_TLS },
    { "mailbox.org",   "smtp.mailbox.org",       465,  OD_SECURITY_TLS },
    { "t-online.de",   "securesmtp.t-online.de", 465,  OD_SECURITY_TLS },
    { "orange.fr",     "smtp.orange.fr",         465,  OD_SECURITY_TLS },
    { "free.fr",       "smtp.free.fr",           465,  OD_SECURITY_TLS },
    { "libero.it",     "smtp.libero.it",         465,  OD_SECURITY_TLS },
    { "comcast.net",   "smtp.comcast.net",       587,  OD_SECURITY_STARTTLS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OdProvider) provider = lookup_domain (cases[i].domain);
      OdServerConfig *server;

      g_test_message ("%s", cases[i].domain);
      g_assert_nonnull (provider);
      server = first_outgoing (provider);
      g_assert_cmpstr (server->hostname, ==, cases[i].host);
      g_assert_cmpuint (server->port, ==, cases[i].port);
      g_assert_cmpint (server->security, ==, cases[i].security);
      g_assert_nonnull (server->username);
      g_assert_nonnull (od_provider_get_incoming_servers (provider));
    }

  /* Microsoft 365 has no consumer domain; it is found through its MX. */
  {
    g_autoptr(OdProvider) m365 = od_provider_db_lookup_id (od_provider_db_get_default (),
                                                           "office365.com");
    OdServerConfig *server;

    g_assert_nonnull (m365);
    server = first_outgoing (m365);
    g_assert_cmpstr (server->hostname, ==, "smtp.office365.com");
    g_assert_cmpuint (server->port, ==, 587);
    g_assert_cmpint (server->security, ==, OD_SECURITY_STARTTLS);
    g_assert_nonnull (strstr (od_provider_get_note (m365), "SMTP AUTH"));
  }
}

static void
test_lookup_mx (void)
{
  /* Google Workspace: the classic and the current MX names */
  assert_mx_is ("aspmx.l.google.com", "gmail.com");
  assert_mx_is ("ALT1.ASPMX.L.GOOGLE.COM.", "gmail.com");
  assert_mx_is ("smtp.google.com", "gmail.com");
  assert_mx_is ("gmail-smtp-in.l.google.com", "gmail.com");
  assert_mx_is ("aspmx2.googlemail.com", "gmail.com");

  /* Microsoft 365 tenants versus Outlook.com consumer mail */
  assert_mx_is ("contoso-com.mail.protection.outlook.com", "office365.com");
  assert_mx_is ("hotmail-com.olc.protection.outlook.com", "outlook.com");

  /* Longest suffix wins: AOL's MX sits below Yahoo's yahoodns.net. */
  assert_mx_is ("mx-aol.mail.gm0.yahoodns.net", "aol.com");
  assert_mx_is ("mta5.am0.yahoodns.net", "yahoo.com");

  assert_mx_is ("in1-smtp.messagingengine.com", "fastmail.com");
  assert_mx_is ("mx01.mail.icloud.com", "icloud.com");
  assert_mx_is ("mx.zoho.eu", "zoho.eu");
  assert_mx_is ("mx.zoho.com", "zoho.com");
  assert_mx_is ("smtpin.rzone.de", "strato.de");

  /* No match: other hosts, label boundaries, bare TLDs, garbage */
  assert_mx_is ("mx.example.org", NULL);
  assert_mx_is ("notgoogle.com", NULL);
  assert_mx_is ("google.com.evil.example", NULL);
  assert_mx_is ("protection.outlook.com", NULL);
  assert_mx_is ("com", NULL);
  assert_mx_is ("", NULL);
  assert_mx_is ("mx .google.com", NULL);
}

/* Where Google and Microsoft sign people in (issue 18): our own database's <od:oauth2>, for
 * their own domains and for the domains they host (found through MX). */
static void
test_oauth2 (void)
{
  g_autoptr(OdProvider) gmail = lookup_domain ("gmail.com");
  g_autoptr(OdProvider) outlook = lookup_domain ("outlook.com");
  g_autoptr(OdProvider) workspace = od_provider_db_lookup_mx (od_provider_db_get_default (),
                                                              "aspmx.l.google.com");
  g_autoptr(OdProvider) m365 = od_provider_db_lookup_mx (od_provider_db_get_default (),
                                                         "contoso-com.mail.protection.outlook.com");
  g_autoptr(OdProvider) posteo = lookup_domain ("posteo.de");
  const OdProviderOAuth2 *google = od_provider_get_oauth2 (gmail);
  const OdProviderOAuth2 *microsoft = od_provider_get_oauth2 (outlook);

  g_assert_nonnull (google);
  g_assert_cmpstr (google->id, ==, "google");
  g_assert_true (g_str_has_prefix (google->authorization_endpoint, "https://accounts.google.com/"));
  g_assert_true (g_str_has_prefix (google->token_endpoint, "https://"));
  g_assert_null (google->device_endpoint);  /* Google's device grant has no mail scope */
  g_assert_true (g_strv_contains ((const char * const *) google->scopes, "https://mail.google.com/"));

  g_assert_nonnull (microsoft);
  g_assert_cmpstr (microsoft->id, ==, "microsoft");
  g_assert_nonnull (microsoft->device_endpoint);
  g_assert_true (g_strv_contains ((const char * const *) microsoft->scopes,
                                  "https://outlook.office.com/SMTP.Send"));
  g_assert_true (g_strv_contains ((const char * const *) microsoft->scopes,
                                  "https://outlook.office.com/IMAP.AccessAsUser.All"));
  g_assert_true (g_strv_contains ((const char * const *) microsoft->scopes, "offline_access"));

  g_assert_nonnull (workspace);
  g_assert_cmpstr (od_provider_get_oauth2 (workspace)->id, ==, "google");
  g_assert_nonnull (m365);
  g_assert_cmpstr (od_provider_get_oauth2 (m365)->id, ==, "microsoft");
  g_assert_null (od_provider_get_oauth2 (posteo));
}

static void
test_facts (void)
{
  g_autoptr(OdProvider) gmail = lookup_domain ("gmail.com");
  g_autoptr(OdProvider) outlook = lookup_domain ("outlook.com");
  g_autoptr(OdProvider) yahoo = lookup_domain ("yahoo.com");
  g_autoptr(OdProvider) icloud = lookup_domain ("icloud.com");
  g_autoptr(OdProvider) tuta = lookup_domain ("tutanota.com");
  g_autoptr(OdProvider) proton = lookup_domain ("protonmail.com");
  g_autoptr(OdProvider) posteo = lookup_domain ("posteo.de");
  g_autoptr(OdProvider) netease = lookup_domain ("163.com");

  g_assert_true (od_provider_get_needs_app_password (gmail));
  g_assert_true (od_provider_get_oauth_or_app_password (gmail));
  g_assert_false (od_provider_get_oauth_only (gmail));
  g_assert_nonnull (strstr (od_provider_get_note (gmail), "app password"));
  g_assert_true (od_server_config_has_authentication (first_outgoing (gmail), "OAuth2"));

  g_assert_true (od_provider_get_oauth_only (outlook));
  g_assert_false (od_provider_get_needs_app_password (outlook));
  g_assert_true (od_server_config_has_authentication (first_outgoing (outlook), "OAuth2"));
  g_assert_false (od_server_config_has_authentication (first_outgoing (outlook), "password-cleartext"));
  g_assert_nonnull (od_provider_get_documentation_url (outlook));

  g_assert_true (od_provider_get_needs_app_password (yahoo));
  g_assert_true (od_provider_get_needs_app_password (icloud));
  g_assert_true (od_provider_get_needs_app_password (netease));

  g_assert_true (od_provider_get_no_smtp (tuta));
  g_assert_cmpuint (od_provider_get_outgoing_servers (tuta)->len, ==, 0);
  g_assert_nonnull (od_provider_get_note (tuta));

  g_assert_nonnull (strstr (od_provider_get_note (proton), "Bridge"));

  g_assert_false (od_provider_get_needs_app_password (posteo));
  g_assert_false (od_provider_get_oauth_only (posteo));
  g_assert_false (od_provider_get_no_smtp (posteo));
}

static void
test_idn_lookup (TempDir       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProviderDb) db = NULL;
  g_autoptr(OdProvider) unicode = NULL;
  g_autoptr(OdProvider) puny = NULL;
  g_autoptr(OdProvider) upper = NULL;

  write_provider (fixture, "buecher.xml", "buecher", "bücher.example", NULL);
  db = od_provider_db_new_from_directory (fixture->dir, &error);
  g_assert_no_error (error);

  unicode = od_provider_db_lookup_domain (db, "bücher.example");
  puny = od_provider_db_lookup_domain (db, "xn--bcher-kva.example");
  upper = od_provider_db_lookup_domain (db, "BÜCHER.Example");
  g_assert_nonnull (unicode);
  g_assert_true (unicode == puny);
  g_assert_true (upper == puny);
  g_assert_null (od_provider_db_lookup_domain (db, "bucher.example"));
  g_assert_cmpuint (od_provider_db_get_n_providers (db), ==, 1);
}

static void
test_longest_suffix (TempDir       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProviderDb) db = NULL;
  const struct { const char *host; const char *id; } cases[] = {
    { "a.mx.example.net",   "inner" },
    { "mx.example.net",     "inner" },
    { "a.example.net",      "outer" },
    { "example.net",        "outer" },
    { "x.deep.mx.example.net", "deepest" },
    { "deep.mx.example.net",  "deepest" },
    { "badexample.net",     NULL },
    { "example.net.other",  NULL },
  };

  write_provider (fixture, "outer.xml", "outer", "outer.example", "example.net");
  write_provider (fixture, "inner.xml", "inner", "inner.example", "*.mx.example.net");
  write_provider (fixture, "deepest.xml", "deepest", "deepest.example", "deep.mx.example.net");
  db = od_provider_db_new_from_directory (fixture->dir, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OdProvider) provider = od_provider_db_lookup_mx (db, cases[i].host);

      g_test_message ("%s", cases[i].host);
      if (cases[i].id == NULL)
        g_assert_null (provider);
      else
        g_assert_cmpstr (od_provider_get_id (provider), ==, cases[i].id);
    }
}

static void
test_loader_errors (TempDir       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProviderDb) db = NULL;
  g_autofree char *broken = g_build_filename (fixture->dir, "zz-broken.xml", NULL);
  g_autofree char *readme = g_build_filename (fixture->dir, "README", NULL);

  /* Files not ending in .xml are ignored. */
  write_provider (fixture, "one.xml", "one", "one.example", "mx.one.example");
  g_file_set_contents (readme, "not a provider", -1, &error);
  g_assert_no_error (error);
  db = od_provider_db_new_from_directory (fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (od_provider_db_get_n_providers (db), ==, 1);
  g_clear_object (&db);

  /* A domain, an MX suffix or an id claimed twice */
  write_provider (fixture, "two.xml", "two", "one.example", NULL);
  db = od_provider_db_new_from_directory (fixture->dir, &error);
  g_assert_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "two.xml"));
  g_assert_nonnull (strstr (error->message, "one.example"));
  g_assert_null (db);
  g_clear_error (&error);

  write_provider (fixture, "two.xml", "two", "two.example", "mx.one.example");
  db = od_provider_db_new_from_directory (fixture->dir, &error);
  g_assert_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID);
  g_assert_null (db);
  g_clear_error (&error);

  write_provider (fixture, "two.xml", "one", "two.example", NULL);
  db = od_provider_db_new_from_directory (fixture->dir, &error);
  g_assert_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID);
  g_assert_null (db);
  g_clear_error (&error);

  /* A file that does not parse names itself in the error. */
  write_provider (fixture, "two.xml", "two", "two.example", NULL);
  g_file_set_contents (broken, "<clientConfig><emailProvider id=\"x\">", -1, &error);
  g_assert_no_error (error);
  db = od_provider_db_new_from_directory (fixture->dir, &error);
  g_assert_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "zz-broken.xml"));
  g_assert_null (db);
  g_clear_error (&error);

  /* Folders and resources that do not exist */
  db = od_provider_db_new_from_directory ("/nonexistent/od-providers", &error);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_null (db);
  g_clear_error (&error);

  db = od_provider_db_new_from_resource ("/org/outboxdoctor/OutboxDoctor/nothing-here", &error);
  g_assert_error (error, G_RESOURCE_ERROR, G_RESOURCE_ERROR_NOT_FOUND);
  g_assert_null (db);
}

static void
test_new_from_resource (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProviderDb) db = od_provider_db_new_from_resource (OD_PROVIDER_DB_RESOURCE_PATH, &error);
  g_autoptr(OdProvider) gmail = NULL;

  g_assert_no_error (error);
  g_assert_true (db != od_provider_db_get_default ());
  g_assert_cmpuint (od_provider_db_get_n_providers (db), ==,
                    od_provider_db_get_n_providers (od_provider_db_get_default ()));
  gmail = od_provider_db_lookup_domain (db, "gmail.com");
  g_assert_nonnull (gmail);
  g_clear_pointer (&gmail, od_provider_unref);
  g_assert_finalize_object (g_steal_pointer (&db));
}

/* ---- /od/provider-data: the shipped files themselves ---- */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
list_provider_files (void)
{
  g_autofree char *dir = providers_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) gdir = g_dir_open (dir, 0, &error);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (gdir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  return names;
}

static gboolean
is_known_submission_port (guint16 port)
{
  return port == 465 || port == 587 || port == 25 || port == 2525 || port == 1025;
}

static void
test_data_files (void)
{
  g_autofree char *dir = providers_dir ();
  g_autoptr(GPtrArray) names = list_provider_files ();
  guint n_files = 0;

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *expected_id = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(OdProvider) provider = NULL;
      GPtrArray *servers;
      gsize length = 0;

      g_test_message ("%s", name);
      /* Nothing but provider files in that folder */
      g_assert_true (g_str_has_suffix (name, ".xml"));
      n_files++;

      g_file_get_contents (path, &contents, &length, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (contents, "SPDX-License-Identifier"));
      g_assert_nonnull (strstr (contents, "<clientConfig version=\"1.1\""));

      provider = od_autoconfig_parse_full (contents, length, OD_AUTOCONFIG_PARSE_TRUSTED, &error);
      g_assert_no_error (error);

      /* The file is named after the provider id. */
      expected_id = g_strndup (name, strlen (name) - strlen (".xml"));
      g_assert_cmpstr (od_provider_get_id (provider), ==, expected_id);
      g_assert_cmpstr (od_provider_get_display_name (provider), !=, "");

      /* Reachable: by a domain or by an MX suffix */
      g_assert_true (od_provider_get_domains (provider)[0] != NULL ||
                     od_provider_get_mx_suffixes (provider)[0] != NULL);

      servers = od_provider_get_outgoing_servers (provider);
      if (od_provider_get_no_smtp (provider))
        {
          /* Saying "no SMTP" needs the plain-language reason. */
          g_assert_cmpuint (servers->len, ==, 0);
          g_assert_nonnull (od_provider_get_note (provider));
        }
      else
        {
          g_assert_cmpuint (servers->len, >=, 1);
          /* Exactly what a network document would need too */
          g_clear_pointer (&provider, od_provider_unref);
          provider = od_autoconfig_parse (contents, length, &error);
          g_assert_no_error (error);
          servers = od_provider_get_outgoing_servers (provider);
        }

      for (guint j = 0; j < servers->len; j++)
        {
          OdServerConfig *server = g_ptr_array_index (servers, j);

          /* We never ship a plain-text server, nor an odd port. */
          g_assert_cmpint (server->security, !=, OD_SECURITY_NONE);
          g_assert_true (is_known_submission_port (server->port));
          g_assert_nonnull (server->username);
          g_assert_nonnull (server->authentication[0]);
          g_assert_null (strchr (server->hostname, '%'));
        }

      servers = od_provider_get_incoming_servers (provider);
      for (guint j = 0; j < servers->len; j++)
        {
          OdServerConfig *server = g_ptr_array_index (servers, j);

          g_assert_cmpint (server->protocol, !=, OD_SERVER_PROTOCOL_SMTP);
          g_assert_cmpint (server->security, !=, OD_SECURITY_NONE);
        }

      /* A fact the diagnosis will act on always comes with words for the person. */
      if (od_provider_get_needs_app_password (provider) || od_provider_get_oauth_only (provider) ||
          od_provider_get_oauth_or_app_password (provider))
        g_assert_nonnull (od_provider_get_note (provider));
      if (od_provider_get_oauth_only (provider))
        g_assert_true (od_server_config_has_authentication (first_outgoing (provider), "OAuth2"));
    }

  g_assert_cmpuint (n_files, >=, MIN_PROVIDERS);
}

static void
test_data_xmllint (void)
{
  g_autofree char *dir = providers_dir ();
  g_autofree char *xmllint = g_find_program_in_path ("xmllint");
  g_autoptr(GPtrArray) names = list_provider_files ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (xmllint == NULL)
    {
      /* libxml2-utils is a declared build dependency (build-aux/install-deps.sh). */
      g_test_fail_printf ("xmllint not found; install libxml2-utils");
      return;
    }

  g_ptr_array_add (argv, g_strdup (xmllint));
  g_ptr_array_add (argv, g_strdup ("--noout"));
  g_ptr_array_add (argv, g_strdup ("--nonet"));
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (argv, g_build_filename (dir, g_ptr_array_index (names, i), NULL));
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (err != NULL && *err != '\0')
    g_test_message ("%s", err);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (err, ==, "");
}

/* The GResource list and the folder must agree, or a new file would silently not ship. */
static void
test_data_gresource (void)
{
  const char *root = g_getenv ("OD_SOURCE_ROOT");
  g_autofree char *xml_path = g_build_filename (root, "src", "engine", "discovery",
                                                "od-providers.gresource.xml", NULL);
  g_autofree char *xml = NULL;
  g_autoptr(GPtrArray) names = list_provider_files ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) children = NULL;
  guint n_listed = 0;
  const char *p;

  g_file_get_contents (xml_path, &xml, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *entry = g_strdup_printf ("<file>%s</file>", (char *) g_ptr_array_index (names, i));

      g_test_message ("%s", entry);
      g_assert_nonnull (strstr (xml, entry));
    }
  for (p = xml; (p = strstr (p, "<file>")) != NULL; p++)
    n_listed++;
  g_assert_cmpuint (n_listed, ==, names->len);

  /* … and the compiled-in database holds every one of them. */
  g_assert_cmpuint (od_provider_db_get_n_providers (od_provider_db_get_default ()), ==, names->len);
  children = g_resources_enumerate_children (OD_PROVIDER_DB_RESOURCE_PATH, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (children), ==, names->len);
}

static void
test_data_directory_matches_resource (void)
{
  g_autofree char *dir = providers_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProviderDb) db = od_provider_db_new_from_directory (dir, &error);
  g_autoptr(GPtrArray) from_dir = NULL;
  g_autoptr(GPtrArray) from_res = NULL;

  g_assert_no_error (error);
  from_dir = od_provider_db_list_providers (db);
  from_res = od_provider_db_list_providers (od_provider_db_get_default ());
  g_assert_cmpuint (from_dir->len, ==, from_res->len);
  for (guint i = 0; i < from_dir->len; i++)
    g_assert_cmpstr (od_provider_get_id (g_ptr_array_index (from_dir, i)), ==,
                     od_provider_get_id (g_ptr_array_index (from_res, i)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/provider-db/default-threads", test_default_threads);
  g_test_add_func ("/od/provider-db/default-loads", test_default_loads);
  g_test_add_func ("/od/provider-db/lookup-domain", test_lookup_domain);
  g_test_add_func ("/od/provider-db/required-providers", test_required_providers);
  g_test_add_func ("/od/provider-db/lookup-mx", test_lookup_mx);
  g_test_add_func ("/od/provider-db/facts", test_facts);
  g_test_add_func ("/od/provider-db/oauth2", test_oauth2);
  g_test_add ("/od/provider-db/idn-lookup", TempDir, NULL,
              temp_dir_setup, test_idn_lookup, temp_dir_teardown);
  g_test_add ("/od/provider-db/longest-suffix", TempDir, NULL,
              temp_dir_setup, test_longest_suffix, temp_dir_teardown);
  g_test_add ("/od/provider-db/loader-errors", TempDir, NULL,
              temp_dir_setup, test_loader_errors, temp_dir_teardown);
  g_test_add_func ("/od/provider-db/new-from-resource", test_new_from_resource);

  g_test_add_func ("/od/provider-data/files", test_data_files);
  g_test_add_func ("/od/provider-data/xmllint", test_data_xmllint);
  g_test_add_func ("/od/provider-data/gresource", test_data_gresource);
  g_test_add_func ("/od/provider-data/directory-matches-resource",
                   test_data_directory_matches_resource);

  return g_test_run ();
}
