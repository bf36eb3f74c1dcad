/* test-discovery-incoming.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "od-candidate-private.h"
#include "od-discovery.h"
#include "od-fake-imap-server.h"
#include "od-fake-pop3-server.h"
#include "od-test-certs.h"
#include "od-test-discovery.h"

/* The incoming side of discovery inside one process: the in-process resolver, a provider
 * database in a temporary folder, and fake IMAP and POP3 servers on 127.0.0.x. The logical
 * ports 993, 143, 995 and 110 (and the submission ports) are mapped to free ports. */

#define ADDRESS "user@example.test"

static OdTestCerts *certs;
static GTlsCertificate *named_cert;

static const guint16 logical_ports[] = { 993, 143, 995, 110, 465, 587, 2525, 25 };

typedef enum
{
  SERVER_TLS,          /* implicit TLS, trusted certificate */
  SERVER_STARTTLS,     /* STARTTLS (STLS), trusted certificate */
  SERVER_SELF_SIGNED,  /* implicit TLS, self-signed certificate */
  SERVER_PLAIN_ONLY,   /* no STARTTLS at all */
  SERVER_INJECTION,    /* STARTTLS with bytes injected after its answer */
  SERVER_LOGINDISABLED,/* implicit TLS, LOGINDISABLED even inside TLS (IMAP) */
} ServerKind;

typedef struct
{
  OdTestResolver *resolver;
  GResolver      *previous_resolver;
  GPtrArray      *imap;
  GPtrArray      *pop3;
  char           *provider_dir;
  guint16         real_ports[G_N_ELEMENTS (logical_ports)];
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->resolver = od_test_resolver_new ();
  f->previous_resolver = g_resolver_get_default ();
  g_resolver_set_default (G_RESOLVER (f->resolver));
  f->imap = g_ptr_array_new_with_free_func (g_object_unref);
  f->pop3 = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < G_N_ELEMENTS (logical_ports); i++)
    f->real_ports[i] = od_test_find_free_port ();
  f->provider_dir = g_dir_make_tmp ("od-test-providers-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->provider_dir, 0, NULL);
  const char *name;

  for (guint i = 0; i < f->imap->len; i++)
    od_fake_imap_server_stop (g_ptr_array_index (f->imap, i));
  for (guint i = 0; i < f->pop3->len; i++)
    od_fake_pop3_server_stop (g_ptr_array_index (f->pop3, i));
  for (guint i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
    ;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->provider_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->provider_dir);
  g_free (f->provider_dir);
  g_clear_pointer (&f->imap, g_ptr_array_unref);
  g_clear_pointer (&f->pop3, g_ptr_array_unref);
  g_resolver_set_default (f->previous_resolver);
  g_clear_object (&f->previous_resolver);
  g_clear_object (&f->resolver);
}

static guint16
real_port (Fixture *f,
           guint16  logical)
{
  for (guint i = 0; i < G_N_ELEMENTS (logical_ports); i++)
    if (logical_ports[i] == logical)
      return f->real_ports[i];

  g_assert_not_reached ();
}

static void
add_imap (Fixture    *f,
          const char *ip,
          guint16     logical,
          ServerKind  kind)
{
  g_autoptr(OdFakeImapServer) server = od_fake_imap_server_new ();
  g_autoptr(GError) error = NULL;

  od_fake_imap_server_set_address (server, ip);
  od_fake_imap_server_set_port (server, real_port (f, logical));
  od_fake_imap_server_set_certificate (server, named_cert);

  switch (kind)
    {
    case SERVER_TLS:
      od_fake_imap_server_set_implicit_tls (server, TRUE);
      break;
    case SERVER_STARTTLS:
      break;
    case SERVER_SELF_SIGNED:
      {
        g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, OD_TEST_CERT_SELF_SIGNED, NULL);

        od_fake_imap_server_set_certificate (server, cert);
        od_fake_imap_server_set_implicit_tls (server, TRUE);
      }
      break;
    case SERVER_PLAIN_ONLY:
      od_fake_imap_server_set_capabilities (server, "IMAP4rev1 AUTH=PLAIN", "IMAP4rev1 AUTH=PLAIN");
      break;
    case SERVER_INJECTION:
      od_fake_imap_server_set_starttls_injection (server, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN]\r\n");
      break;
    case SERVER_LOGINDISABLED:
      od_fake_imap_server_set_implicit_tls (server, TRUE);
      od_fake_imap_server_set_capabilities (server, "IMAP4rev1 LOGINDISABLED",
                                            "IMAP4rev1 LOGINDISABLED");
      break;
    default:
      g_assert_not_reached ();
    }

  od_fake_imap_server_start (server, &error);
  g_assert_no_error (error);
  g_ptr_array_add (f->imap, g_steal_pointer (&server));
}

static void
add_pop3 (Fixture    *f,
          const char *ip,
          guint16     logical,
          ServerKind  kind)
{
  g_autoptr(OdFakePop3Server) server = od_fake_pop3_server_new ();
  g_autoptr(GError) error = NULL;

  od_fake_pop3_server_set_address (server, ip);
  od_fake_pop3_server_set_port (server, real_port (f, logical));
  od_fake_pop3_server_set_certificate (server, named_cert);

  switch (kind)
    {
    case SERVER_TLS:
      od_fake_pop3_server_set_implicit_tls (server, TRUE);
      break;
    case SERVER_STARTTLS:
      break;
    case SERVER_INJECTION:
      od_fake_pop3_server_set_stls_injection (server, "+OK injected\r\n");
      break;
    default:
      g_assert_not_reached ();
    }

  od_fake_pop3_server_start (server, &error);
  g_assert_no_error (error);
  g_ptr_array_add (f->pop3, g_steal_pointer (&server));
}

/* A provider entry for example.test with these incoming servers (XML elements) and a
 * submission server nobody answers for. */
static void
add_provider (Fixture    *f,
              const char *incoming_xml)
{
  g_autofree char *xml = NULL;
  g_autofree char *path = g_build_filename (f->provider_dir, "example.test.xml", NULL);
  g_autoptr(GError) error = NULL;

  xml = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<clientConfig version=\"1.1\">\n"
                         "  <emailProvider id=\"example.test\">\n"
                         "    <domain>example.test</domain>\n"
                         "    <displayName>Example</displayName>\n"
                         "    %s\n"
                         "    <outgoingServer type=\"smtp\">\n"
                         "      <hostname>smtp.example.test</hostname>\n"
                         "      <port>465</port>\n"
                         "      <socketType>SSL</socketType>\n"
                         "      <username>%%EMAILADDRESS%%</username>\n"
                         "      <authentication>password-cleartext</authentication>\n"
                         "    </outgoingServer>\n"
                         "  </emailProvider>\n"
                         "</clientConfig>\n", incoming_xml);
  g_file_set_contents (path, xml, -1, &error);
  g_assert_no_error (error);
}

static char *
incoming_xml (const char *type,
              const char *host,
              guint       port,
              const char *socket_type)
{
  return g_strdup_printf ("<incomingServer type=\"%s\"><hostname>%s</hostname><port>%u</port>"
                          "<socketType>%s</socketType><username>%%EMAILLOCALPART%%</username>"
                          "<authentication>password-cleartext</authentication></incomingServer>",
                          type, host, port, socket_type);
}

static OdDiscovery *
new_discovery (Fixture       *f,
               OdSourceFlags  sources)
{
  OdDiscovery *discovery = od_discovery_new (ADDRESS);
  g_autoptr(OdProviderDb) db = NULL;
  g_autoptr(GError) error = NULL;

  db = od_provider_db_new_from_directory (f->provider_dir, &error);
  g_assert_no_error (error);

  od_discovery_set_provider_db (discovery, db);
  od_discovery_set_sources (discovery, sources);
  od_discovery_set_ca_file (discovery, od_test_certs_get_ca_file (certs));
  /* No network for the autoconfig documents: a local address nothing answers on. */
  od_discovery_set_autoconfig_base_uri_for_testing (discovery, "https://127.0.0.1:1", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (logical_ports); i++)
    od_discovery_map_port_for_testing (discovery, logical_ports[i], f->real_ports[i]);

  return discovery;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
run (OdDiscovery *discovery)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OdCandidate) best = NULL;
  g_autoptr(GError) error = NULL;

  od_discovery_run_async (discovery, NULL, wait_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  best = od_discovery_run_finish (discovery, result, &error);
  g_assert_no_error (error);
  g_assert_false (od_discovery_is_running (discovery));
}

static void
assert_finalized (OdDiscovery *discovery)
{
  gpointer weak = discovery;
  gint64 until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (G_OBJECT (discovery), &weak);
  g_object_unref (discovery);
  while (weak != NULL && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (weak);
}

static OdCandidate *
find (OdDiscovery *discovery,
      const char  *host,
      guint16      port)
{
  GListModel *candidates = od_discovery_get_incoming_candidates (discovery);

  for (guint i = 0; i < g_list_model_get_n_items (candidates); i++)
    {
      g_autoptr(OdCandidate) c = g_list_model_get_item (candidates, i);

      if (g_str_equal (od_candidate_get_host (c), host) && od_candidate_get_port (c) == port)
        return c;
    }

  g_error ("no incoming candidate %s:%u", host, port);
}

static void
assert_incoming (OdDiscovery  *discovery,
                 OdProtocol    protocol,
                 const char   *host,
                 guint16       port,
                 OdSecurity    security,
                 OdSourceKind  source)
{
  OdCandidate *in = od_discovery_get_incoming (discovery);

  g_assert_nonnull (in);
  g_assert_cmpint (od_candidate_get_protocol (in), ==, protocol);
  g_assert_cmpstr (od_candidate_get_host (in), ==, host);
  g_assert_cmpuint (od_candidate_get_port (in), ==, port);
  g_assert_cmpint (od_candidate_get_security (in), ==, security);
  g_assert_cmpint (od_candidate_get_source (in), ==, source);
  g_assert_true (od_candidate_get_trusted (in));
  g_assert_cmpint (od_candidate_get_status (in), ==, OD_CANDIDATE_OK);
  g_assert_null (od_discovery_get_incoming_unconfirmed (discovery));
}

/* ---- Ranking ---------------------------------------------------------------------------- */

/* The usual names: 993 before 143 on the same host, both working. */
static void
test_tls_over_starttls (Fixture       *f,
                        gconstpointer  data)
{
  OdDiscovery *discovery;

  od_test_resolver_add_address (f->resolver, "imap.example.test", "127.0.0.2");
  add_imap (f, "127.0.0.2", 993, SERVER_TLS);
  add_imap (f, "127.0.0.2", 143, SERVER_STARTTLS);

  discovery = new_discovery (f, OD_SOURCE_FLAG_GUESS);
  run (discovery);
  assert_incoming (discovery, OD_PROTOCOL_IMAP, "imap.example.test", 993, OD_SECURITY_TLS,
                   OD_SOURCE_GUESS);
  g_assert_cmpstrv (od_candidate_get_auth_mechanisms (od_discovery_get_incoming (discovery)),
                    ((const char * const[]) { "PLAIN", "LOGIN", NULL }));
  g_assert_false (od_candidate_get_login_disabled (od_discovery_get_incoming (discovery)));
  assert_finalized (discovery);
}

/* Only 143: STARTTLS with the real handshake, and the capabilities read again inside TLS
 * (before it the server says LOGINDISABLED and offers no AUTH=). */
static void
test_starttls_reread (Fixture       *f,
                      gconstpointer  data)
{
  OdDiscovery *discovery;
  OdCandidate *in;

  od_test_resolver_add_address (f->resolver, "imap.example.test", "127.0.0.2");
  add_imap (f, "127.0.0.2", 143, SERVER_STARTTLS);

  discovery = new_discovery (f, OD_SOURCE_FLAG_GUESS);
  run (discovery);
  assert_incoming (discovery, OD_PROTOCOL_IMAP, "imap.example.test", 143, OD_SECURITY_STARTTLS,
                   OD_SOURCE_GUESS);
  in = od_discovery_get_incoming (discovery);
  g_assert_true (od_candidate_get_starttls (in));
  g_assert_nonnull (od_candidate_get_tls_info (in));
  g_assert_false (od_candidate_get_login_disabled (in));
  g_assert_cmpstrv (od_candidate_get_auth_mechanisms (in),
                    ((const char * const[]) { "PLAIN", "LOGIN", NULL }));
  g_assert_cmpint (od_candidate_get_status (find (discovery, "imap.example.test", 993)), ==,
                   OD_CANDIDATE_REFUSED);
  assert_finalized (discovery);
}

/* The provider names POP3 first and IMAP second: IMAP wins. */
static void
test_imap_over_pop3 (Fixture       *f,
                     gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autofree char *pop = incoming_xml ("pop3", "pop.example.test", 995, "SSL");
  g_autofree char *imap = incoming_xml ("imap", "imap.example.test", 993, "SSL");
  g_autofree char *both = g_strconcat (pop, imap, NULL);

  od_test_resolver_add_address (f->resolver, "imap.example.test", "127.0.0.2");
  od_test_resolver_add_address (f->resolver, "pop.example.test", "127.0.0.3");
  add_imap (f, "127.0.0.2", 993, SERVER_TLS);
  add_pop3 (f, "127.0.0.3", 995, SERVER_TLS);
  add_provider (f, both);

  discovery = new_discovery (f, OD_SOURCE_FLAG_PROVIDER_DB);
  run (discovery);
  assert_incoming (discovery, OD_PROTOCOL_IMAP, "imap.example.test", 993, OD_SECURITY_TLS,
                   OD_SOURCE_PROVIDER_DB);
  /* The provider's user name template, expanded. */
  g_assert_cmpstr (od_candidate_get_username (od_discovery_get_incoming (discovery)), ==, "user");
  assert_finalized (discovery);
}

/* POP3 is offered when it is all there is: 995, and 110 with STLS and CAPA again. */
static void
test_pop3_alone (Fixture       *f,
                 gconstpointer  data)
{
  OdDiscovery *discovery;
  OdCandidate *in;

  od_test_resolver_add_address (f->resolver, "pop.example.test", "127.0.0.3");
  add_pop3 (f, "127.0.0.3", 995, SERVER_TLS);
  add_pop3 (f, "127.0.0.3", 110, SERVER_STARTTLS);

  discovery = new_discovery (f, OD_SOURCE_FLAG_GUESS);
  run (discovery);
  assert_incoming (discovery, OD_PROTOCOL_POP3, "pop.example.test", 995, OD_SECURITY_TLS,
                   OD_SOURCE_GUESS);
  g_assert_cmpstrv (od_candidate_get_auth_mechanisms (od_discovery_get_incoming (discovery)),
                    ((const char * const[]) { "PLAIN", "LOGIN", "USER", NULL }));
  assert_finalized (discovery);

  /* Without 995: STLS, and the SASL mechanisms only inside TLS. */
  od_fake_pop3_server_stop (g_ptr_array_index (f->pop3, 0));
  discovery = new_discovery (f, OD_SOURCE_FLAG_GUESS);
  run (discovery);
  assert_incoming (discovery, OD_PROTOCOL_POP3, "pop.example.test", 110, OD_SECURITY_STARTTLS,
                   OD_SOURCE_GUESS);
  in = od_discovery_get_incoming (discovery);
  g_assert_true (od_candidate_get_starttls (in));
  g_assert_cmpstrv (od_candidate_get_auth_mechanisms (in),
                    ((const char * const[]) { "PLAIN", "LOGIN", "USER", NULL }));
  assert_finalized (discovery);
}

/* A published plain-text server is listed, never probed, never chosen: nothing else works,
 * so there is no incoming server. */
static void
test_plain_never (Fixture       *f,
                  gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autofree char *plain = incoming_xml ("imap", "imap.example.test", 143, "plain");
  OdCandidate *c;

  od_test_resolver_add_address (f->resolver, "imap.example.test", "127.0.0.2");
  add_imap (f, "127.0.0.2", 143, SERVER_PLAIN_ONLY);
  add_provider (f, plain);

  discovery = new_discovery (f, OD_SOURCE_FLAG_PROVIDER_DB);
  run (discovery);
  g_assert_null (od_discovery_get_incoming (discovery));
  g_assert_null (od_discovery_get_incoming_unconfirmed (discovery));
  c = find (discovery, "imap.example.test", 143);
  g_assert_cmpint (od_candidate_get_security (c), ==, OD_SECURITY_NONE);
  g_assert_cmpint (od_candidate_get_status (c), ==, OD_CANDIDATE_SKIPPED);
  assert_finalized (discovery);
}

/* A certificate error on 993 is the outcome, with the certificate; 143 without STARTTLS is
 * an error of its own; nothing falls back to plain text. */
static void
test_certificate_error (Fixture       *f,
                        gconstpointer  data)
{
  OdDiscovery *discovery;
  OdCandidate *tls, *starttls;

  od_test_resolver_add_address (f->resolver, "imap.example.test", "127.0.0.2");
  add_imap (f, "127.0.0.2", 993, SERVER_SELF_SIGNED);
  add_imap (f, "127.0.0.2", 143, SERVER_PLAIN_ONLY);

  discovery = new_discovery (f, OD_SOURCE_FLAG_GUESS);
  run (discovery);
  g_assert_null (od_discovery_get_incoming (discovery));
  tls = find (discovery, "imap.example.test", 993);
  g_assert_cmpint (od_candidate_get_status (tls), ==, OD_CANDIDATE_TLS_ERROR);
  g_assert_nonnull (od_candidate_get_tls_info (tls));
  g_assert_cmpstr (od_problem_get_id (od_candidate_get_problem (tls)), ==,
                   "tls-certificate-untrusted");
  starttls = find (discovery, "imap.example.test", 143);
  g_assert_cmpint (od_candidate_get_status (starttls), ==, OD_CANDIDATE_ERROR);
  g_assert_false (od_candidate_get_starttls (starttls));
  g_assert_cmpstr (od_problem_get_id (od_candidate_get_problem (starttls)), ==,
                   "starttls-not-offered");
  assert_finalized (discovery);
}

/* Bytes after the answer to STARTTLS (STLS): refused, never read as the server's. */
static void
test_starttls_injection (Fixture       *f,
                         gconstpointer  data)
{
  OdDiscovery *discovery;
  OdCandidate *imap, *pop;

  od_test_resolver_add_address (f->resolver, "imap.example.test", "127.0.0.2");
  od_test_resolver_add_address (f->resolver, "pop.example.test", "127.0.0.3");
  add_imap (f, "127.0.0.2", 143, SERVER_INJECTION);
  add_pop3 (f, "127.0.0.3", 110, SERVER_INJECTION);

  discovery = new_discovery (f, OD_SOURCE_FLAG_GUESS);
  run (discovery);
  g_assert_null (od_discovery_get_incoming (discovery));
  imap = find (discovery, "imap.example.test", 143);
  pop = find (discovery, "pop.example.test", 110);
  g_assert_cmpint (od_candidate_get_status (imap), ==, OD_CANDIDATE_TLS_ERROR);
  g_assert_cmpstr (od_problem_get_id (od_candidate_get_problem (imap)), ==, "starttls-failed");
  g_assert_cmpint (od_candidate_get_status (pop), ==, OD_CANDIDATE_TLS_ERROR);
  g_assert_cmpstr (od_problem_get_id (od_candidate_get_problem (pop)), ==, "starttls-failed");
  assert_finalized (discovery);
}

/* LOGINDISABLED inside TLS: the server works but takes no password; it is reported, and a
 * POP3 server that takes one is chosen instead. */
static void
test_logindisabled (Fixture       *f,
                    gconstpointer  data)
{
  OdDiscovery *discovery;
  OdCandidate *imap;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *candidates;
  gboolean seen = FALSE;

  od_test_resolver_add_address (f->resolver, "imap.example.test", "127.0.0.2");
  od_test_resolver_add_address (f->resolver, "pop.example.test", "127.0.0.3");
  add_imap (f, "127.0.0.2", 993, SERVER_LOGINDISABLED);
  add_pop3 (f, "127.0.0.3", 995, SERVER_TLS);

  discovery = new_discovery (f, OD_SOURCE_FLAG_GUESS);
  run (discovery);
  imap = find (discovery, "imap.example.test", 993);
  g_assert_cmpint (od_candidate_get_status (imap), ==, OD_CANDIDATE_OK);
  g_assert_true (od_candidate_get_login_disabled (imap));
  g_assert_false (od_candidate_get_offers_login (imap));
  g_assert_nonnull (strstr (od_candidate_get_detail (imap), "LOGINDISABLED"));
  assert_incoming (discovery, OD_PROTOCOL_POP3, "pop.example.test", 995, OD_SECURITY_TLS,
                   OD_SOURCE_GUESS);

  root = od_discovery_to_json (discovery);
  candidates = json_object_get_array_member (json_node_get_object (root), "candidates");
  for (guint i = 0; i < json_array_get_length (candidates); i++)
    {
      JsonObject *c = json_array_get_object_element (candidates, i);

      if (g_str_equal (json_object_get_string_member (c, "host"), "imap.example.test") &&
          json_object_get_int_member (c, "port") == 993)
        {
          g_assert_true (json_object_get_boolean_member (json_object_get_object_member (c, "result"),
                                                         "login_disabled"));
          seen = TRUE;
        }
    }
  g_assert_true (seen);
  assert_finalized (discovery);
}

/* ---- JSON --------------------------------------------------------------------------------- */

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object, *in, *unconfirmed;
  JsonArray *sources, *candidates;
  g_autofree char *text = NULL;
  guint n_smtp = 0, n_imap = 0, n_pop3 = 0;

  od_test_resolver_add_address (f->resolver, "imap.example.test", "127.0.0.2");
  add_imap (f, "127.0.0.2", 993, SERVER_TLS);

  discovery = new_discovery (f, OD_SOURCE_FLAG_SRV | OD_SOURCE_FLAG_GUESS);
  run (discovery);
  root = od_discovery_to_json (discovery);
  text = json_to_string (root, TRUE);
  g_test_message ("%s", text);
  object = json_node_get_object (root);

  /* The outgoing sources first, in their place; then IMAP's, then POP3's. */
  sources = json_object_get_array_member (object, "sources");
  g_assert_cmpuint (json_array_get_length (sources), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      JsonObject *source = json_array_get_object_element (sources, i);
      const char *expected[] = { "smtp", "smtp", "imap", "imap", "pop3", "pop3" };
      const char *kinds[] = { "srv", "guess" };

      g_assert_cmpstr (json_object_get_string_member (source, "protocol"), ==, expected[i]);
      g_assert_cmpstr (json_object_get_string_member (source, "kind"), ==, kinds[i % 2]);
    }

  candidates = json_object_get_array_member (object, "candidates");
  for (guint i = 0; i < json_array_get_length (candidates); i++)
    {
      const char *protocol = json_object_get_string_member (json_array_get_object_element (candidates, i),
                                                            "protocol");

      if (g_str_equal (protocol, "smtp"))
        {
          /* The outgoing ones keep their place, before any incoming one. */
          g_assert_cmpuint (n_imap + n_pop3, ==, 0);
          n_smtp++;
        }
      else if (g_str_equal (protocol, "imap"))
        n_imap++;
      else if (g_str_equal (protocol, "pop3"))
        n_pop3++;
      else
        g_assert_not_reached ();
    }
  g_assert_cmpuint (n_smtp, ==, 12);
  g_assert_cmpuint (n_imap, ==, 4);
  g_assert_cmpuint (n_pop3, ==, 6);

  in = json_object_get_object_member (object, "incoming");
  g_assert_nonnull (in);
  g_assert_cmpstr (json_object_get_string_member (in, "host"), ==, "imap.example.test");
  g_assert_cmpint (json_object_get_int_member (in, "port"), ==, 993);
  g_assert_cmpstr (json_object_get_string_member (in, "security"), ==, "tls");
  g_assert_cmpstr (json_object_get_string_member (in, "protocol"), ==, "imap");
  g_assert_cmpstr (json_object_get_string_member (in, "username"), ==, ADDRESS);
  g_assert_cmpstr (json_object_get_string_member (in, "source"), ==, "guess");
  g_assert_true (json_object_get_boolean_member (in, "trusted"));
  g_assert_false (json_object_get_boolean_member (in, "login_disabled"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (in, "auth_mechanisms")), ==, 2);
  g_assert_true (json_object_get_null_member (object, "incoming_unconfirmed"));
  /* The keys of before stay. */
  g_assert_true (json_object_has_member (object, "best"));
  g_assert_true (json_object_has_member (object, "unconfirmed"));
  g_assert_true (json_object_has_member (object, "problems"));
  assert_finalized (discovery);

  /* An SRV record naming a host outside the domain: it works, but needs a confirmation. */
  od_fake_imap_server_stop (g_ptr_array_index (f->imap, 0));
  od_test_resolver_add_address (f->resolver, "imap.hoster.test", "127.0.0.4");
  od_test_resolver_add_srv (f->resolver, "_imaps._tcp.example.test", 0, 1, 993, "imap.hoster.test");
  add_imap (f, "127.0.0.4", 993, SERVER_TLS);

  discovery = new_discovery (f, OD_SOURCE_FLAG_SRV | OD_SOURCE_FLAG_GUESS);
  run (discovery);
  g_clear_pointer (&root, json_node_unref);
  root = od_discovery_to_json (discovery);
  object = json_node_get_object (root);
  g_assert_true (json_object_get_null_member (object, "incoming"));
  unconfirmed = json_object_get_object_member (object, "incoming_unconfirmed");
  g_assert_nonnull (unconfirmed);
  g_assert_cmpstr (json_object_get_string_member (unconfirmed, "host"), ==, "imap.hoster.test");
  g_assert_cmpstr (json_object_get_string_member (unconfirmed, "source"), ==, "srv");
  g_assert_false (json_object_get_boolean_member (unconfirmed, "trusted"));
  g_assert_nonnull (json_object_get_string_member (unconfirmed, "why"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sources = json_object_get_array_member (object, "sources"), 2),
                                                  "status"), ==, "found");
  assert_finalized (discovery);
}

int
main (int   argc,
      char *argv[])
{
  const char * const names[] = {
    "imap.example.test", "pop.example.test", "imap.hoster.test", NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);
  named_cert = od_test_make_named_cert (certs, names, &error);
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add ("/od/discovery-incoming/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("tls-over-starttls", test_tls_over_starttls);
  ADD ("starttls-reread", test_starttls_reread);
  ADD ("imap-over-pop3", test_imap_over_pop3);
  ADD ("pop3-alone", test_pop3_alone);
  ADD ("plain-never", test_plain_never);
  ADD ("certificate-error", test_certificate_error);
  ADD ("starttls-injection", test_starttls_injection);
  ADD ("logindisabled", test_logindisabled);
  ADD ("json", test_json);
#undef ADD

  status = g_test_run ();

  g_clear_object (&named_cert);
  g_clear_pointer (&certs, od_test_certs_free);

  return status;
}
