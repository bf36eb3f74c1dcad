/* test-discovery.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#if defined(__SANITIZE_ADDRESS__)
# define OD_HAVE_LSAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define OD_HAVE_LSAN 1
# endif
#endif

#ifdef OD_HAVE_LSAN
# include <sanitizer/lsan_interface.h>
#endif

#include "od-candidate-private.h"
#include "od-discovery.h"
#include "od-fake-smtp-server.h"
#include "od-smtp-reply.h"
#include "od-srv.h"
#include "od-test-certs.h"
#include "od-test-discovery.h"

/* Discovery end to end inside one process: an in-process resolver (SRV, MX and addresses for
 * the .test domains), a SoupServer on 127.0.0.1 for the autoconfig documents, and fake SMTP
 * servers on 127.0.0.x. The logical ports 465, 587, 2525 and 25 are mapped to free ports.
 *
 * The SoupServer runs in its own thread with its own GMainContext. libsoup 3.2's server keeps
 * some accepted connections after its last unref; with AddressSanitizer that thread calls
 * __lsan_disable(), so LeakSanitizer ignores what libsoup allocates there, while everything
 * discovery allocates in the main thread is still checked (with the fast default unwinder). */

#define ADDRESS "user@example.test"

static OdTestCerts *certs;
static GTlsCertificate *named_cert;

/* The submission ports, then the incoming ones. */
static const guint16 logical_ports[] = { 465, 587, 2525, 25, 993, 143, 995, 110 };
#define N_SMTP_PORTS 4

typedef enum
{
  SMTP_TLS,             /* implicit TLS, trusted certificate */
  SMTP_STARTTLS,        /* STARTTLS, trusted certificate */
  SMTP_TLS_SELF_SIGNED, /* implicit TLS, self-signed certificate */
  SMTP_PLAIN_ONLY,      /* no STARTTLS at all */
  SMTP_SLOW_GREETING,   /* STARTTLS, greets after 800 ms */
  SMTP_BLACKHOLE,       /* connects hang */
  SMTP_NO_AUTH,         /* STARTTLS, but no login: an incoming server */
} SmtpKind;

typedef struct
{
  OdTestResolver *resolver;
  GResolver      *previous_resolver;
  GPtrArray      *servers;
  GPtrArray      *blackholes;
  GThread        *http_thread;
  GMainLoop      *http_loop;   /* runs in http_thread, on its own context */
  GMutex          http_lock;   /* protects the fields below, shared with http_thread */
  GCond           http_cond;
  gboolean        http_ready;
  char           *https_base;
  char           *http_base;
  GHashTable     *documents;   /* "https:/PATH" or "http:/PATH" → body */
  GPtrArray      *requests;    /* every URI the HTTP server was asked for */
  guint           http_delay_ms;  /* before each answer */
  char           *provider_dir;
  guint16         real_ports[G_N_ELEMENTS (logical_ports)];
} Fixture;

/* ------------------------------------------------------------------------------------------
 * Fixture
 * ------------------------------------------------------------------------------------------ */

static void
http_cb (SoupServer        *server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *f = user_data;
  GUri *uri = soup_server_message_get_uri (message);
  g_autofree char *key = g_strconcat (g_uri_get_scheme (uri), ":", path, NULL);
  g_autoptr(GMutexLocker) locker = NULL;
  const char *body;
  guint delay_ms;

  /* A slow web server for the documents it has: the HTTP thread sleeps, the test's main
   * loop goes on. */
  g_mutex_lock (&f->http_lock);
  delay_ms = g_hash_table_contains (f->documents, key) ? f->http_delay_ms : 0;
  g_mutex_unlock (&f->http_lock);
  if (delay_ms > 0)
    g_usleep (delay_ms * 1000);

  locker = g_mutex_locker_new (&f->http_lock);
  body = g_hash_table_lookup (f->documents, key);
  g_ptr_array_add (f->requests, g_uri_to_string (uri));

  if (body == NULL)
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  /* A redirect (add_redirect()). */
  if (g_str_has_prefix (body, "REDIRECT "))
    {
      soup_server_message_set_redirect (message, SOUP_STATUS_FOUND, body + strlen ("REDIRECT "));
      return;
    }

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/xml", SOUP_MEMORY_COPY,
                                    body, strlen (body));
}

/* In the web server's thread, once its loop runs (so that a later quit is never lost). */
static gboolean
http_ready_cb (gpointer user_data)
{
  Fixture *f = user_data;

  g_mutex_lock (&f->http_lock);
  f->http_ready = TRUE;
  g_cond_signal (&f->http_cond);
  g_mutex_unlock (&f->http_lock);

  return G_SOURCE_REMOVE;
}

/* The web server's thread: creates, serves and destroys the SoupServer on its own context. */
static gpointer
http_thread_func (gpointer user_data)
{
  Fixture *f = user_data;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GTlsCertificate) https_cert = NULL;
  g_autoptr(SoupServer) http = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSource) ready = NULL;
  GSList *uris;

#ifdef OD_HAVE_LSAN
  __lsan_disable ();
#endif

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);

  https_cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, NULL);
  g_assert_nonnull (https_cert);
  http = soup_server_new ("tls-certificate", https_cert, NULL);
  soup_server_add_handler (http, NULL, http_cb, f, NULL);
  soup_server_listen_local (http, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  soup_server_listen_local (http, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                            &error);
  g_assert_no_error (error);

  g_mutex_lock (&f->http_lock);
  uris = soup_server_get_uris (http);
  for (GSList *l = uris; l != NULL; l = l->next)
    {
      GUri *uri = l->data;
      char *base = g_strdup_printf ("%s://127.0.0.1:%d", g_uri_get_scheme (uri),
                                    g_uri_get_port (uri));

      if (g_str_equal (g_uri_get_scheme (uri), "https"))
        f->https_base = base;
      else
        f->http_base = base;
    }
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  f->http_loop = g_main_loop_new (context, FALSE);
  g_mutex_unlock (&f->http_lock);

  ready = g_idle_source_new ();
  g_source_set_callback (ready, http_ready_cb, f, NULL);
  g_source_attach (ready, context);

  /* Until fixture_tear_down() quits it. */
  g_main_loop_run (f->http_loop);

  soup_server_disconnect (http);
  g_clear_object (&http);
  /* Let the closed connections' last callbacks run. */
  for (guint i = 0; i < 50 && g_main_context_iteration (context, FALSE); i++)
    ;

  g_main_context_pop_thread_default (context);

#ifdef OD_HAVE_LSAN
  __lsan_enable ();
#endif

  return NULL;
}

/* Returns: (transfer full): a copy of every URI the web server was asked for so far */
static GPtrArray *
copy_requests (Fixture *f)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&f->http_lock);

  return g_ptr_array_copy (f->requests, (GCopyFunc)(void (*) (void))g_strdup, NULL);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->resolver = od_test_resolver_new ();
  f->previous_resolver = g_resolver_get_default ();
  g_resolver_set_default (G_RESOLVER (f->resolver));

  f->servers = g_ptr_array_new_with_free_func (g_object_unref);
  f->blackholes = g_ptr_array_new_with_free_func ((GDestroyNotify)od_test_blackhole_free);
  f->documents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->requests = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (logical_ports); i++)
    f->real_ports[i] = od_test_find_free_port ();

  g_mutex_init (&f->http_lock);
  g_cond_init (&f->http_cond);
  f->http_thread = g_thread_new ("test-http", http_thread_func, f);
  g_mutex_lock (&f->http_lock);
  while (!f->http_ready)
    g_cond_wait (&f->http_cond, &f->http_lock);
  g_mutex_unlock (&f->http_lock);
  g_assert_nonnull (f->https_base);
  g_assert_nonnull (f->http_base);

  f->provider_dir = g_dir_make_tmp ("od-test-providers-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->provider_dir, 0, NULL);
  const char *name;

  for (guint i = 0; i < f->servers->len; i++)
    od_fake_smtp_server_stop (g_ptr_array_index (f->servers, i));

  /* Let the servers' and the probes' last callbacks run. */
  for (guint i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
    ;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->provider_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->provider_dir);
  g_free (f->provider_dir);

  g_main_loop_quit (f->http_loop);
  g_thread_join (g_steal_pointer (&f->http_thread));
  g_clear_pointer (&f->http_loop, g_main_loop_unref);
  g_mutex_clear (&f->http_lock);
  g_cond_clear (&f->http_cond);
  g_clear_pointer (&f->servers, g_ptr_array_unref);
  g_clear_pointer (&f->blackholes, g_ptr_array_unref);
  g_clear_pointer (&f->documents, g_hash_table_unref);
  g_clear_pointer (&f->requests, g_ptr_array_unref);
  g_free (f->https_base);
  g_free (f->http_base);

  g_resolver_set_default (f->previous_resolver);
  g_clear_object (&f->previous_resolver);
  g_clear_object (&f->resolver);
}

static guint16
real_port (Fixture *f,
           guint16  logical)
{
  for (guint i = 0; i < G_N_ELEMENTS (logical_ports); i++)
    {
      if (logical_ports[i] == logical)
        return f->real_ports[i];
    }

  g_assert_not_reached ();
}

static OdFakeSmtpServer *
add_smtp (Fixture    *f,
          const char *ip,
          guint16     logical,
          SmtpKind    kind)
{
  g_autoptr(OdFakeSmtpServer) server = NULL;
  g_autoptr(GError) error = NULL;

  if (kind == SMTP_BLACKHOLE)
    {
      OdTestBlackhole *blackhole = od_test_blackhole_new (ip, real_port (f, logical), &error);

      g_assert_no_error (error);
      g_ptr_array_add (f->blackholes, blackhole);
      return NULL;
    }

  server = od_fake_smtp_server_new ();
  od_fake_smtp_server_set_address (server, ip);
  od_fake_smtp_server_set_port (server, real_port (f, logical));

  switch (kind)
    {
    case SMTP_TLS:
      od_fake_smtp_server_set_certificate (server, named_cert);
      od_fake_smtp_server_set_implicit_tls (server, TRUE);
      break;

    case SMTP_STARTTLS:
      od_fake_smtp_server_set_certificate (server, named_cert);
      break;

    case SMTP_TLS_SELF_SIGNED:
      {
        g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, OD_TEST_CERT_SELF_SIGNED, NULL);

        od_fake_smtp_server_set_certificate (server, cert);
        od_fake_smtp_server_set_implicit_tls (server, TRUE);
      }
      break;

    case SMTP_PLAIN_ONLY:
      od_fake_smtp_server_set_capabilities (server, "SIZE 1000000\nAUTH PLAIN LOGIN", "");
      break;

    case SMTP_SLOW_GREETING:
      od_fake_smtp_server_set_certificate (server, named_cert);
      od_fake_smtp_server_set_greeting_delay_ms (server, 800);
      break;

    case SMTP_NO_AUTH:
      od_fake_smtp_server_set_certificate (server, named_cert);
      od_fake_smtp_server_set_capabilities (server, "SIZE 1000000\nSTARTTLS", "SIZE 1000000");
      break;

    case SMTP_BLACKHOLE:
    default:
      g_assert_not_reached ();
    }

  od_fake_smtp_server_start (server, &error);
  g_assert_no_error (error);
  g_ptr_array_add (f->servers, g_object_ref (server));

  return server;
}

static char *
client_config (const char *id,
               const char *domain,
               const char *host,
               guint       port,
               const char *socket_type,
               const char *extra)
{
  return g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<clientConfig version=\"1.1\" xmlns:od=\"" OD_PROVIDER_NAMESPACE "\">\n"
                          "  <emailProvider id=\"%s\">\n"
                          "    <domain>%s</domain>\n"
                          "    <displayName>%s</displayName>\n"
                          "    <incomingServer type=\"imap\">\n"
                          "      <hostname>imap.%s</hostname>\n"
                          "      <port>993</port>\n"
                          "      <socketType>SSL</socketType>\n"
                          "      <username>%%EMAILLOCALPART%%</username>\n"
                          "      <authentication>password-cleartext</authentication>\n"
                          "    </incomingServer>\n"
                          "    <outgoingServer type=\"smtp\">\n"
                          "      <hostname>%s</hostname>\n"
                          "      <port>%u</port>\n"
                          "      <socketType>%s</socketType>\n"
                          "      <username>%%EMAILADDRESS%%</username>\n"
                          "      <authentication>password-cleartext</authentication>\n"
                          "    </outgoingServer>\n"
                          "    %s\n"
                          "  </emailProvider>\n"
                          "</clientConfig>\n",
                          id, domain, id, domain, host, port, socket_type, extra ? extra : "");
}

static void
add_provider (Fixture    *f,
              const char *domain,
              const char *host,
              guint       port,
              const char *socket_type,
              const char *mx_suffix)
{
  g_autofree char *extra = mx_suffix ? g_strdup_printf ("<od:mxSuffix>%s</od:mxSuffix>", mx_suffix) : NULL;
  g_autofree char *xml = client_config (domain, domain, host, port, socket_type, extra);
  g_autofree char *name = g_strconcat (domain, ".xml", NULL);
  g_autofree char *path = g_build_filename (f->provider_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, xml, -1, &error);
  g_assert_no_error (error);
}

/* @scheme "https" or "http"; @host e.g. "autoconfig.example.test"; @path the URL path. */
static void
add_document (Fixture    *f,
              const char *scheme,
              const char *host,
              const char *path,
              const char *smtp_host,
              guint       smtp_port,
              const char *socket_type)
{
  g_autofree char *xml = client_config ("example.test", "example.test", smtp_host, smtp_port,
                                        socket_type, NULL);

  g_mutex_lock (&f->http_lock);
  g_hash_table_insert (f->documents, g_strconcat (scheme, ":/", host, path, NULL),
                       g_steal_pointer (&xml));
  g_mutex_unlock (&f->http_lock);
}

/* Answers @scheme://@host@path with a redirect to @to_host@to_path on the same (local)
 * server, as the test hook lays hosts out. */
static void
add_redirect (Fixture    *f,
              const char *scheme,
              const char *host,
              const char *path,
              const char *to_host,
              const char *to_path)
{
  g_mutex_lock (&f->http_lock);
  g_hash_table_insert (f->documents, g_strconcat (scheme, ":/", host, path, NULL),
                       g_strdup_printf ("REDIRECT %s/%s%s",
                                        g_str_equal (scheme, "https") ? f->https_base
                                                                      : f->http_base,
                                        to_host, to_path));
  g_mutex_unlock (&f->http_lock);
}

static OdDiscovery *
new_discovery (Fixture       *f,
               const char    *address,
               OdSourceFlags  sources)
{
  OdDiscovery *discovery = od_discovery_new (address);
  g_autoptr(OdProviderDb) db = NULL;
  g_autoptr(GError) error = NULL;

  db = od_provider_db_new_from_directory (f->provider_dir, &error);
  g_assert_no_error (error);

  od_discovery_set_provider_db (discovery, db);
  od_discovery_set_sources (discovery, sources);
  od_discovery_set_ca_file (discovery, od_test_certs_get_ca_file (certs));
  od_discovery_set_autoconfig_base_uri_for_testing (discovery, f->https_base, f->http_base);
  for (guint i = 0; i < G_N_ELEMENTS (logical_ports); i++)
    od_discovery_map_port_for_testing (discovery, logical_ports[i], f->real_ports[i]);

  return discovery;
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Runs @discovery to the end. Returns the best candidate; *elapsed_ms the wall time. */
static OdCandidate *
run_full (OdDiscovery   *discovery,
          GCancellable  *cancellable,
          gint64        *elapsed_ms,
          GError       **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };
  gint64 start = g_get_monotonic_time ();
  OdCandidate *best;

  od_discovery_run_async (discovery, cancellable, wait_cb, &wait);
  g_main_loop_run (loop);

  if (elapsed_ms != NULL)
    *elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  g_assert_false (od_discovery_is_running (discovery));
  best = od_discovery_run_finish (discovery, wait.result, error);
  g_object_unref (wait.result);

  return best;
}

static OdCandidate *
run (OdDiscovery *discovery,
     gint64      *elapsed_ms)
{
  g_autoptr(GError) error = NULL;
  OdCandidate *best = run_full (discovery, NULL, elapsed_ms, &error);

  g_assert_no_error (error);
  return best;
}

/* The probes stopped at the end finish on later iterations; then nothing may hold on to the
 * discovery. */
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

static OdDiscoverySource *
find_source (OdDiscovery  *discovery,
             OdSourceKind  kind)
{
  GListModel *sources = od_discovery_get_sources (discovery);

  for (guint i = 0; i < g_list_model_get_n_items (sources); i++)
    {
      g_autoptr(OdDiscoverySource) source = g_list_model_get_item (sources, i);

      if (od_discovery_source_get_kind (source) == kind)
        return source;
    }

  return NULL;
}

static OdCandidate *
find_candidate (OdDiscovery *discovery,
                const char  *host,
                guint16      port)
{
  GListModel *candidates = od_discovery_get_candidates (discovery);

  for (guint i = 0; i < g_list_model_get_n_items (candidates); i++)
    {
      g_autoptr(OdCandidate) c = g_list_model_get_item (candidates, i);

      if (g_str_equal (od_candidate_get_host (c), host) && od_candidate_get_port (c) == port)
        return c;
    }

  return NULL;
}

static OdCandidate *
find_incoming (OdDiscovery *discovery,
               const char  *host,
               guint16      port,
               OdSecurity   security)
{
  GListModel *candidates = od_discovery_get_incoming_candidates (discovery);

  for (guint i = 0; i < g_list_model_get_n_items (candidates); i++)
    {
      g_autoptr(OdCandidate) c = g_list_model_get_item (candidates, i);

      if (g_str_equal (od_candidate_get_host (c), host) && od_candidate_get_port (c) == port &&
          od_candidate_get_security (c) == security)
        return c;
    }

  return NULL;
}

static OdProblem *
first_problem (OdDiscovery *discovery)
{
  g_autoptr(OdProblem) problem = g_list_model_get_item (od_discovery_get_problems (discovery), 0);

  return problem;
}

static void
assert_best (OdCandidate  *best,
             const char   *host,
             guint16       port,
             OdSecurity    security,
             OdSourceKind  source)
{
  g_assert_nonnull (best);
  g_assert_cmpstr (od_candidate_get_host (best), ==, host);
  g_assert_cmpuint (od_candidate_get_port (best), ==, port);
  g_assert_cmpint (od_candidate_get_security (best), ==, security);
  g_assert_cmpint (od_candidate_get_source (best), ==, source);
  g_assert_true (od_candidate_get_trusted (best));
  g_assert_cmpint (od_candidate_get_status (best), ==, OD_CANDIDATE_OK);
}

/* ------------------------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------------------------ */

static void
test_srv_sort (void)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify)od_srv_record_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint heavy_first = 0, zero_first = 0;
  const guint rounds = 4000;

  g_ptr_array_add (records, od_srv_record_new ("late.example.test.", 20, 0, 587));
  g_ptr_array_add (records, od_srv_record_new ("heavy.example.test.", 10, 30, 465));
  g_ptr_array_add (records, od_srv_record_new ("light.example.test.", 10, 10, 465));
  g_ptr_array_add (records, od_srv_record_new ("zero.example.test.", 10, 0, 465));
  g_ptr_array_add (records, od_srv_record_new (".", 30, 0, 0));

  g_assert_false (od_srv_records_not_offered (records));

  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(GPtrArray) sorted = od_srv_records_sort (records, rand);
      OdSrvRecord *first = g_ptr_array_index (sorted, 0);

      /* "." is dropped; the lowest priority comes first, the highest last. */
      g_assert_cmpuint (sorted->len, ==, 4);
      g_assert_cmpuint (first->priority, ==, 10);
      g_assert_cmpstr (((OdSrvRecord *)g_ptr_array_index (sorted, 3))->target, ==,
                       "late.example.test");

      if (g_str_equal (first->target, "heavy.example.test"))
        heavy_first++;
      else if (g_str_equal (first->target, "zero.example.test"))
        zero_first++;
    }

  /* RFC 2782: weight 30 against 10 comes first about 30/41 of the time; weight 0 in about
   * 1/41. Wide margins keep this from ever being flaky with a fixed seed anyway. */
  g_assert_cmpuint (heavy_first, >, rounds * 60 / 100);
  g_assert_cmpuint (heavy_first, <, rounds * 85 / 100);
  g_assert_cmpuint (zero_first, <, rounds * 6 / 100);

  /* A lone "." means "not offered". */
  {
    g_autoptr(GPtrArray) none = g_ptr_array_new_with_free_func ((GDestroyNotify)od_srv_record_free);
    g_autoptr(GPtrArray) sorted = NULL;

    g_ptr_array_add (none, od_srv_record_new ("", 0, 0, 0));
    g_assert_true (od_srv_records_not_offered (none));
    sorted = od_srv_records_sort (none, rand);
    g_assert_cmpuint (sorted->len, ==, 0);
  }
}

static void
add_names (Fixture *f)
{
  od_test_resolver_add_address (f->resolver, "smtp.example.test", "127.0.0.2");
  od_test_resolver_add_address (f->resolver, "srv.example.test", "127.0.0.3");
  od_test_resolver_add_address (f->resolver, "provider.example.test", "127.0.0.4");
  od_test_resolver_add_address (f->resolver, "auto.example.test", "127.0.0.5");
  od_test_resolver_add_address (f->resolver, "srv2.example.test", "127.0.0.6");
  od_test_resolver_add_address (f->resolver, "smtp.provider.test", "127.0.0.7");
  od_test_resolver_add_address (f->resolver, "smtp.second.test", "127.0.0.8");
}

static void
count_items_cb (GListModel *model,
                guint       position,
                guint       removed,
                guint       added,
                gpointer    user_data)
{
  *(guint *)user_data += added;
}

static void
test_source_priority (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = NULL;
  static const struct {
    OdSourceFlags  sources;
    const char    *host;
    guint16        port;
    OdSecurity     security;
    OdSourceKind   source;
  } cases[] = {
    { OD_SOURCE_FLAG_ALL, "provider.example.test", 465, OD_SECURITY_TLS, OD_SOURCE_PROVIDER_DB },
    /* autoconfig's STARTTLS beats SRV's and the guesses' implicit TLS */
    { OD_SOURCE_FLAG_ALL & ~OD_SOURCE_FLAG_PROVIDER_DB,
      "auto.example.test", 587, OD_SECURITY_STARTTLS, OD_SOURCE_AUTOCONFIG },
    { OD_SOURCE_FLAG_SRV | OD_SOURCE_FLAG_MX | OD_SOURCE_FLAG_GUESS,
      "srv.example.test", 465, OD_SECURITY_TLS, OD_SOURCE_SRV },
    { OD_SOURCE_FLAG_MX | OD_SOURCE_FLAG_GUESS,
      "smtp.example.test", 465, OD_SECURITY_TLS, OD_SOURCE_GUESS },
  };

  add_names (f);
  add_smtp (f, "127.0.0.2", 465, SMTP_TLS);
  add_smtp (f, "127.0.0.2", 587, SMTP_STARTTLS);
  add_smtp (f, "127.0.0.3", 465, SMTP_TLS);
  add_smtp (f, "127.0.0.4", 465, SMTP_TLS);
  add_smtp (f, "127.0.0.5", 587, SMTP_STARTTLS);
  add_provider (f, "example.test", "provider.example.test", 465, "SSL", NULL);
  add_document (f, "https", "autoconfig.example.test", "/mail/config-v1.1.xml",
                "auto.example.test", 587, "STARTTLS");
  od_test_resolver_add_srv (f->resolver, "_submissions._tcp.example.test", 0, 1, 465,
                            "srv.example.test");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      OdDiscovery *discovery = new_discovery (f, ADDRESS, cases[i].sources);
      g_autoptr(OdCandidate) best = NULL;
      guint n_added = 0;

      /* Every server here answers: the order must not depend on how fast the autoconfig
       * fetch is next to the SRV probe (slow under AddressSanitizer), so no grace cut-off. */
      od_discovery_set_grace_for_testing (discovery, 30000);
      od_discovery_set_connect_timeout (discovery, 30000);
      od_discovery_set_total_timeout (discovery, 60000);
      g_test_message ("case %u", i);
      g_signal_connect (od_discovery_get_candidates (discovery), "items-changed",
                        G_CALLBACK (count_items_cb), &n_added);

      best = run (discovery, NULL);
      assert_best (best, cases[i].host, cases[i].port, cases[i].security, cases[i].source);
      g_assert_true (od_discovery_get_best (discovery) == best);
      g_assert_cmpstr (od_candidate_get_username (best), ==, ADDRESS);
      /* A provider's settings name the user name; DNS records and guesses never do. */
      g_assert_cmpint (od_candidate_get_username_supplied (best), ==,
                       cases[i].source == OD_SOURCE_PROVIDER_DB ||
                       cases[i].source == OD_SOURCE_AUTOCONFIG);
      g_assert_cmpstrv (od_candidate_get_auth_mechanisms (best),
                        ((const char * const[]) { "PLAIN", "LOGIN", "CRAM-MD5", NULL }));

      /* The list grew live, one item at a time, as sources proposed candidates. */
      g_assert_cmpuint (n_added, ==,
                        g_list_model_get_n_items (od_discovery_get_candidates (discovery)));
      g_assert_cmpuint (n_added, >, 1);

      /* A working setting: no problem, not even a warning. */
      g_assert_cmpuint (g_list_model_get_n_items (od_discovery_get_problems (discovery)), ==, 0);

      if (cases[i].sources & OD_SOURCE_FLAG_PROVIDER_DB)
        {
          g_assert_cmpint (od_discovery_source_get_status (find_source (discovery, OD_SOURCE_PROVIDER_DB)),
                           ==, OD_SOURCE_STATUS_FOUND);
          g_assert_nonnull (od_discovery_get_provider (discovery));
          OdCandidate *in = find_incoming (discovery, "imap.example.test", 993, OD_SECURITY_TLS);

          /* The incoming server the database names, its user name expanded: probed, and
           * the name does not resolve, so no incoming setting is offered. */
          g_assert_nonnull (in);
          g_assert_cmpint (od_candidate_get_protocol (in), ==, OD_PROTOCOL_IMAP);
          g_assert_cmpstr (od_candidate_get_username (in), ==, "user");
          g_assert_cmpint (od_candidate_get_source (in), ==, OD_SOURCE_PROVIDER_DB);
          g_assert_cmpint (od_candidate_get_status (in), ==, OD_CANDIDATE_DNS_ERROR);
          g_assert_null (od_discovery_get_incoming (discovery));
        }
      else
        g_assert_null (find_source (discovery, OD_SOURCE_PROVIDER_DB));

      assert_finalized (discovery);
    }

  /* The address went over https:// only (the http:// fetches carry no address). */
  requests = copy_requests (f);
  for (guint i = 0; i < requests->len; i++)
    {
      const char *uri = g_ptr_array_index (requests, i);

      if (g_str_has_prefix (uri, "http:"))
        g_assert_null (strstr (uri, "user"));
    }
}

static void
test_srv_order (Fixture       *f,
                gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  OdDiscoverySource *source;
  OdCandidate *first, *second;

  add_names (f);
  add_smtp (f, "127.0.0.3", 465, SMTP_TLS);
  add_smtp (f, "127.0.0.6", 465, SMTP_TLS);
  add_smtp (f, "127.0.0.6", 587, SMTP_STARTTLS);
  /* Priority 10 beats priority 20, whatever the DNS order; _submission is "not offered". */
  od_test_resolver_add_srv (f->resolver, "_submissions._tcp.example.test", 20, 5, 465,
                            "srv2.example.test.");
  od_test_resolver_add_srv (f->resolver, "_submissions._tcp.example.test", 10, 5, 465,
                            "srv.example.test.");
  od_test_resolver_add_srv (f->resolver, "_submission._tcp.example.test", 0, 0, 0, ".");

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_SRV);
  best = run (discovery, NULL);
  assert_best (best, "srv.example.test", 465, OD_SECURITY_TLS, OD_SOURCE_SRV);

  first = find_candidate (discovery, "srv.example.test", 465);
  second = find_candidate (discovery, "srv2.example.test", 465);
  g_assert_nonnull (second);
  g_assert_cmpuint (od_candidate_get_order (first), <, od_candidate_get_order (second));
  g_assert_cmpuint (g_list_model_get_n_items (od_discovery_get_candidates (discovery)), ==, 2);

  source = find_source (discovery, OD_SOURCE_SRV);
  g_assert_cmpint (od_discovery_source_get_status (source), ==, OD_SOURCE_STATUS_FOUND);
  g_assert_nonnull (strstr (od_discovery_source_get_detail (source), "srv.example.test:465"));
  assert_finalized (discovery);
}

static void
test_srv_not_offered (Fixture       *f,
                      gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  OdDiscoverySource *source;

  od_test_resolver_add_srv (f->resolver, "_submissions._tcp.example.test", 0, 0, 0, ".");
  od_test_resolver_add_srv (f->resolver, "_submission._tcp.example.test", 0, 0, 0, ".");

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_SRV);
  best = run (discovery, NULL);
  g_assert_null (best);

  source = find_source (discovery, OD_SOURCE_SRV);
  g_assert_cmpint (od_discovery_source_get_status (source), ==, OD_SOURCE_STATUS_NONE);
  g_assert_nonnull (strstr (od_discovery_source_get_detail (source), "“.”"));
  g_assert_cmpuint (g_list_model_get_n_items (od_discovery_get_candidates (discovery)), ==, 0);
  g_assert_cmpstr (od_problem_get_id (first_problem (discovery)), ==, "no-settings-found");
  assert_finalized (discovery);
}

static void
test_mx_match (Fixture       *f,
               gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  OdDiscoverySource *source;

  add_names (f);
  add_smtp (f, "127.0.0.7", 465, SMTP_TLS);
  add_smtp (f, "127.0.0.8", 465, SMTP_TLS);
  add_provider (f, "provider.test", "smtp.provider.test", 465, "SSL", "mx.provider.test");
  add_provider (f, "second.test", "smtp.second.test", 465, "SSL", "mx.second.test");

  /* Listed out of order: the lowest preference is the one that counts. */
  od_test_resolver_add_mx (f->resolver, "example.test", 20, "in.mx.second.test.");
  od_test_resolver_add_mx (f->resolver, "example.test", 5, "unknown.example.net.");
  od_test_resolver_add_mx (f->resolver, "example.test", 10, "in1.mx.provider.test.");

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_MX | OD_SOURCE_FLAG_PROVIDER_DB);
  best = run (discovery, NULL);
  assert_best (best, "smtp.provider.test", 465, OD_SECURITY_TLS, OD_SOURCE_MX);

  source = find_source (discovery, OD_SOURCE_MX);
  g_assert_cmpint (od_discovery_source_get_status (source), ==, OD_SOURCE_STATUS_FOUND);
  g_assert_nonnull (strstr (od_discovery_source_get_detail (source), "in1.mx.provider.test"));
  g_assert_cmpint (od_discovery_source_get_status (find_source (discovery, OD_SOURCE_PROVIDER_DB)),
                   ==, OD_SOURCE_STATUS_NONE);
  g_assert_nonnull (od_discovery_get_provider (discovery));
  g_assert_cmpstr (od_provider_get_id (od_discovery_get_provider (discovery)), ==, "provider.test");
  g_assert_null (find_candidate (discovery, "smtp.second.test", 465));
  assert_finalized (discovery);
}

static void
test_http_untrusted (Fixture       *f,
                     gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  OdCandidate *candidate;
  OdDiscoverySource *source;
  g_autoptr(GPtrArray) requests = NULL;
  guint n_https = 0, n_http = 0;

  add_names (f);
  add_smtp (f, "127.0.0.5", 587, SMTP_STARTTLS);
  add_smtp (f, "127.0.0.2", 465, SMTP_TLS);
  /* Only over http://, on both the autoconfig host and the well-known path. */
  add_document (f, "http", "autoconfig.example.test", "/mail/config-v1.1.xml",
                "auto.example.test", 587, "STARTTLS");
  add_document (f, "http", "example.test", "/.well-known/autoconfig/mail/config-v1.1.xml",
                "auto.example.test", 587, "STARTTLS");

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_AUTOCONFIG | OD_SOURCE_FLAG_WELL_KNOWN);
  best = run (discovery, NULL);

  /* It works, but is never chosen without confirmation. */
  g_assert_null (best);
  candidate = find_candidate (discovery, "auto.example.test", 587);
  g_assert_nonnull (candidate);
  g_assert_false (od_candidate_get_trusted (candidate));
  g_assert_cmpint (od_candidate_get_status (candidate), ==, OD_CANDIDATE_OK);
  g_assert_true (od_discovery_get_unconfirmed (discovery) == candidate);
  g_assert_cmpint (od_candidate_get_untrusted (candidate), ==, OD_UNTRUSTED_HTTP);
  g_assert_cmpstr (od_problem_get_id (first_problem (discovery)), ==, "server-unconfirmed");
  g_assert_cmpint (od_problem_get_severity (first_problem (discovery)), ==, OD_SEVERITY_ERROR);
  g_assert_nonnull (strstr (od_problem_get_remedy (first_problem (discovery)), "http://"));

  source = find_source (discovery, OD_SOURCE_AUTOCONFIG);
  g_assert_cmpint (od_discovery_source_get_status (source), ==, OD_SOURCE_STATUS_FOUND);
  g_assert_nonnull (strstr (od_discovery_source_get_detail (source), "http://autoconfig.example.test"));
  assert_finalized (discovery);

  /* The same setting proposed by a trusted source (a guess) becomes trusted. */
  add_document (f, "http", "autoconfig.example.test", "/mail/config-v1.1.xml",
                "smtp.example.test", 465, "SSL");
  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_AUTOCONFIG | OD_SOURCE_FLAG_GUESS);
  /* Let every fetch finish however slow the machine is: the requests are counted below. */
  od_discovery_set_grace_for_testing (discovery, 30000);
  od_discovery_set_connect_timeout (discovery, 30000);
  od_discovery_set_total_timeout (discovery, 60000);
  g_clear_object (&best);
  best = run (discovery, NULL);
  assert_best (best, "smtp.example.test", 465, OD_SECURITY_TLS, OD_SOURCE_GUESS);
  g_assert_null (od_discovery_get_unconfirmed (discovery));
  assert_finalized (discovery);

  /* No request over http:// carried the address; every https:// one did. */
  requests = copy_requests (f);
  for (guint i = 0; i < requests->len; i++)
    {
      const char *uri = g_ptr_array_index (requests, i);

      g_test_message ("request: %s", uri);
      if (g_str_has_prefix (uri, "http:"))
        {
          n_http++;
          g_assert_null (strstr (uri, "user"));
          g_assert_null (strstr (uri, "emailaddress"));
          g_assert_null (strchr (uri, '?'));
        }
      else
        {
          g_assert_true (g_str_has_prefix (uri, "https:"));
          n_https++;
          g_assert_nonnull (strstr (uri, "emailaddress=user%40example.test"));
        }
    }
  g_assert_cmpuint (n_http, >=, 3);
  g_assert_cmpuint (n_https, >=, 3);
}

static void
test_implicit_tls_preferred (Fixture       *f,
                             gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;

  add_names (f);
  add_smtp (f, "127.0.0.2", 587, SMTP_STARTTLS);
  add_smtp (f, "127.0.0.2", 465, SMTP_TLS);
  add_smtp (f, "127.0.0.2", 25, SMTP_STARTTLS);

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_GUESS);
  best = run (discovery, NULL);
  assert_best (best, "smtp.example.test", 465, OD_SECURITY_TLS, OD_SOURCE_GUESS);
  g_assert_nonnull (od_candidate_get_tls_info (best));
  g_assert_true (od_tls_info_get_verified (od_candidate_get_tls_info (best)));
  g_assert_cmpuint (g_list_model_get_n_items (od_discovery_get_problems (discovery)), ==, 0);
  assert_finalized (discovery);
}

static void
test_port_25_last_resort (Fixture       *f,
                          gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  OdProblem *warning;

  add_names (f);
  add_smtp (f, "127.0.0.2", 25, SMTP_STARTTLS);

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_GUESS);
  best = run (discovery, NULL);
  assert_best (best, "smtp.example.test", 25, OD_SECURITY_STARTTLS, OD_SOURCE_GUESS);
  g_assert_true (od_candidate_get_starttls (best));
  g_assert_cmpint (od_candidate_get_status (find_candidate (discovery, "smtp.example.test", 587)),
                   ==, OD_CANDIDATE_REFUSED);

  warning = first_problem (discovery);
  g_assert_nonnull (warning);
  g_assert_cmpstr (od_problem_get_id (warning), ==, "port-blocked");
  g_assert_cmpint (od_problem_get_severity (warning), ==, OD_SEVERITY_WARNING);
  assert_finalized (discovery);

  /* With 587 working as well, port 25 is not chosen. */
  add_smtp (f, "127.0.0.2", 587, SMTP_STARTTLS);
  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_GUESS);
  g_clear_object (&best);
  best = run (discovery, NULL);
  assert_best (best, "smtp.example.test", 587, OD_SECURITY_STARTTLS, OD_SOURCE_GUESS);
  g_assert_cmpuint (g_list_model_get_n_items (od_discovery_get_problems (discovery)), ==, 0);
  assert_finalized (discovery);

  /* Even a more trusted source's port 25 comes after a guessed 587. */
  add_smtp (f, "127.0.0.3", 25, SMTP_STARTTLS);
  od_test_resolver_add_srv (f->resolver, "_submission._tcp.example.test", 0, 0, 25,
                            "srv.example.test");
  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_SRV | OD_SOURCE_FLAG_GUESS);
  g_clear_object (&best);
  best = run (discovery, NULL);
  assert_best (best, "smtp.example.test", 587, OD_SECURITY_STARTTLS, OD_SOURCE_GUESS);
  g_assert_nonnull (find_candidate (discovery, "srv.example.test", 25));
  assert_finalized (discovery);
}

static void
test_certificate_error (Fixture       *f,
                        gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  g_autoptr(JsonNode) json = NULL;
  OdFakeSmtpServer *plain;
  OdCandidate *tls, *starttls;
  OdTlsInfo *info;
  GPtrArray *commands;

  add_names (f);
  add_smtp (f, "127.0.0.2", 465, SMTP_TLS_SELF_SIGNED);
  plain = add_smtp (f, "127.0.0.2", 587, SMTP_PLAIN_ONLY);

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_GUESS);
  best = run (discovery, NULL);
  g_assert_null (best);

  tls = find_candidate (discovery, "smtp.example.test", 465);
  g_assert_cmpint (od_candidate_get_status (tls), ==, OD_CANDIDATE_TLS_ERROR);
  info = od_candidate_get_tls_info (tls);
  g_assert_nonnull (info);
  g_assert_true (od_tls_info_get_errors (info) & G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_assert_nonnull (od_tls_info_get_fingerprint (info));
  g_assert_nonnull (strstr (od_candidate_get_detail (tls), od_tls_info_get_fingerprint (info)));

  /* Plain text is never the way out: the server without STARTTLS is an error, and it never
   * saw anything but EHLO and QUIT. */
  starttls = find_candidate (discovery, "smtp.example.test", 587);
  g_assert_cmpint (od_candidate_get_status (starttls), ==, OD_CANDIDATE_ERROR);
  g_assert_cmpstr (od_problem_get_id (od_candidate_get_problem (starttls)), ==, "starttls-not-offered");
  commands = od_fake_smtp_server_get_commands (plain);
  for (guint i = 0; i < commands->len; i++)
    {
      const char *command = g_ptr_array_index (commands, i);

      g_assert_true (g_str_has_prefix (command, "EHLO") || g_str_has_prefix (command, "QUIT"));
    }

  /* The certificate problem is the reported cause. */
  g_assert_cmpstr (od_problem_get_id (first_problem (discovery)), ==, "tls-certificate-untrusted");

  /* The certificate is offered for review, and the server is the closest to working. */
  {
    g_autoptr(OdCandidate) to_review = od_discovery_get_certificate_to_review (discovery);
    g_autoptr(OdCandidate) closest = od_discovery_get_closest (discovery);

    g_assert_true (to_review == tls);
    g_assert_true (closest == tls);
  }

  json = od_discovery_to_json (discovery);
  {
    JsonArray *candidates = json_object_get_array_member (json_node_get_object (json), "candidates");
    gboolean seen = FALSE;

    for (guint i = 0; i < json_array_get_length (candidates); i++)
      {
        JsonObject *c = json_array_get_object_element (candidates, i);
        JsonObject *result = json_object_get_object_member (c, "result");

        if (json_object_get_int_member (c, "port") == 465 &&
            g_str_equal (json_object_get_string_member (c, "host"), "smtp.example.test"))
          {
            JsonObject *tls_json = json_object_get_object_member (result, "tls");

            seen = TRUE;
            g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "tls-error");
            g_assert_nonnull (tls_json);
            g_assert_false (json_object_get_boolean_member (tls_json, "verified"));
          }
      }
    g_assert_true (seen);
  }

  assert_finalized (discovery);
}

static void
test_blackhole_grace (Fixture       *f,
                      gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  gint64 elapsed;

  add_names (f);
  add_smtp (f, "127.0.0.2", 465, SMTP_BLACKHOLE);
  add_smtp (f, "127.0.0.2", 587, SMTP_STARTTLS);

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_GUESS);
  od_discovery_set_connect_timeout (discovery, 3000);
  best = run (discovery, &elapsed);

  /* 587 wins after the grace period, long before 465's 3 s connect deadline. */
  assert_best (best, "smtp.example.test", 587, OD_SECURITY_STARTTLS, OD_SOURCE_GUESS);
  g_assert_cmpint (elapsed, <, 1500);
  g_assert_cmpint (od_candidate_get_status (find_candidate (discovery, "smtp.example.test", 465)),
                   ==, OD_CANDIDATE_TIMEOUT);
  assert_finalized (discovery);
}

static void
test_all_dropped (Fixture       *f,
                  gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  gint64 elapsed;

  add_names (f);
  for (guint i = 0; i < N_SMTP_PORTS; i++)
    add_smtp (f, "127.0.0.2", logical_ports[i], SMTP_BLACKHOLE);

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_GUESS);
  od_discovery_set_connect_timeout (discovery, 400);
  best = run (discovery, &elapsed);

  /* DNS answered at once, so the time-outs are a block, not a slow network: no second try. */
  g_assert_null (best);
  g_assert_cmpint (elapsed, >=, 390);
  g_assert_cmpint (elapsed, <, 1500);
  g_assert_cmpstr (od_problem_get_id (first_problem (discovery)), ==, "port-blocked");
  g_assert_cmpint (od_problem_get_severity (first_problem (discovery)), ==, OD_SEVERITY_ERROR);
  for (guint i = 0; i < N_SMTP_PORTS; i++)
    g_assert_cmpint (od_candidate_get_status (find_candidate (discovery, "smtp.example.test",
                                                              logical_ports[i])),
                     ==, OD_CANDIDATE_TIMEOUT);
  assert_finalized (discovery);
}

static void
test_retry_slow_server (Fixture       *f,
                        gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  gint64 elapsed;

  add_names (f);
  add_smtp (f, "127.0.0.2", 587, SMTP_SLOW_GREETING);

  /* The greeting comes after 800 ms, the first pass waits 500 ms: the second try, with a
   * longer deadline, finds it. */
  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_GUESS);
  od_discovery_set_connect_timeout (discovery, 500);
  od_discovery_set_total_timeout (discovery, 4000);
  best = run (discovery, &elapsed);

  assert_best (best, "smtp.example.test", 587, OD_SECURITY_STARTTLS, OD_SOURCE_GUESS);
  g_assert_cmpint (elapsed, >=, 1200);
  g_assert_cmpint (elapsed, <, 3000);
  assert_finalized (discovery);
}

static void
test_ceiling (Fixture       *f,
              gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  gint64 elapsed;

  add_names (f);
  for (guint i = 0; i < N_SMTP_PORTS; i++)
    add_smtp (f, "127.0.0.2", logical_ports[i], SMTP_BLACKHOLE);

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_GUESS);
  od_discovery_set_total_timeout (discovery, 600);
  best = run (discovery, &elapsed);

  g_assert_null (best);
  g_assert_cmpint (elapsed, >=, 590);
  g_assert_cmpint (elapsed, <, 1500);
  g_assert_cmpint (od_discovery_get_elapsed_ms (discovery), <, 1500);
  g_assert_cmpstr (od_problem_get_id (first_problem (discovery)), ==, "port-blocked");
  g_assert_cmpint (od_candidate_get_status (find_candidate (discovery, "smtp.example.test", 465)),
                   ==, OD_CANDIDATE_TIMEOUT);
  assert_finalized (discovery);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GListModel *candidates;
  gint64 elapsed;

  add_names (f);
  for (guint i = 0; i < N_SMTP_PORTS; i++)
    add_smtp (f, "127.0.0.2", logical_ports[i], SMTP_BLACKHOLE);

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_GUESS | OD_SOURCE_FLAG_SRV);
  g_timeout_add (100, cancel_cb, cancellable);
  best = run_full (discovery, cancellable, &elapsed, &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (best);
  g_assert_cmpint (elapsed, <, 1000);

  /* Nothing is left running. */
  candidates = od_discovery_get_candidates (discovery);
  for (guint i = 0; i < g_list_model_get_n_items (candidates); i++)
    {
      g_autoptr(OdCandidate) c = g_list_model_get_item (candidates, i);

      g_assert_true (od_candidate_is_finished (c));
    }
  assert_finalized (discovery);
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object, *candidate, *result, *best_json, *incoming;
  JsonArray *sources;
  g_autofree char *text = NULL;

  add_names (f);
  add_smtp (f, "127.0.0.4", 465, SMTP_TLS);
  add_provider (f, "example.test", "provider.example.test", 465, "SSL", NULL);

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_PROVIDER_DB | OD_SOURCE_FLAG_SRV);
  best = run (discovery, NULL);
  g_assert_nonnull (best);

  root = od_discovery_to_json (discovery);
  text = json_to_string (root, TRUE);
  g_test_message ("%s", text);
  object = json_node_get_object (root);

  g_assert_cmpint (json_object_get_int_member (object, "schema"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "address"), ==, ADDRESS);
  g_assert_cmpstr (json_object_get_string_member (object, "domain"), ==, "example.test");
  g_assert_true (json_object_has_member (object, "elapsed_ms"));

  /* The two outgoing sources keep their place; the incoming ones follow (IMAP, POP3). */
  sources = json_object_get_array_member (object, "sources");
  g_assert_cmpuint (json_array_get_length (sources), ==, 6);
  for (guint i = 0; i < json_array_get_length (sources); i++)
    {
      JsonObject *source = json_array_get_object_element (sources, i);
      const char *status = json_object_get_string_member (source, "status");

      g_assert_true (json_object_has_member (source, "kind"));
      g_assert_true (json_object_has_member (source, "detail"));
      g_assert_true (json_object_has_member (source, "elapsed_ms"));
      g_assert_true (g_str_equal (status, "found") || g_str_equal (status, "none") ||
                     g_str_equal (status, "error"));
    }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sources, 0), "kind"),
                   ==, "provider-db");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sources, 1), "kind"),
                   ==, "srv");
  {
    const char *protocols[] = { "smtp", "smtp", "imap", "imap", "pop3", "pop3" };

    for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sources, i),
                                                      "protocol"), ==, protocols[i]);
  }

  candidate = json_array_get_object_element (json_object_get_array_member (object, "candidates"), 0);
  g_assert_cmpstr (json_object_get_string_member (candidate, "host"), ==, "provider.example.test");
  g_assert_cmpstr (json_object_get_string_member (candidate, "protocol"), ==, "smtp");
  g_assert_cmpint (json_object_get_int_member (candidate, "port"), ==, 465);
  g_assert_cmpstr (json_object_get_string_member (candidate, "security"), ==, "tls");
  g_assert_cmpstr (json_object_get_string_member (candidate, "source"), ==, "provider-db");
  result = json_object_get_object_member (candidate, "result");
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "ok");
  g_assert_nonnull (json_object_get_object_member (result, "tls"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "auth_mechanisms")), ==, 3);
  g_assert_false (json_object_get_boolean_member (result, "starttls"));
  g_assert_true (json_object_has_member (result, "elapsed_ms"));

  best_json = json_object_get_object_member (object, "best");
  g_assert_cmpstr (json_object_get_string_member (best_json, "host"), ==, "provider.example.test");
  g_assert_cmpint (json_object_get_int_member (best_json, "port"), ==, 465);
  g_assert_cmpstr (json_object_get_string_member (best_json, "security"), ==, "tls");
  g_assert_cmpstr (json_object_get_string_member (best_json, "username"), ==, ADDRESS);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (best_json, "auth_mechanisms"), 0),
                   ==, "PLAIN");

  /* The database's IMAP server does not resolve here: listed, probed, not offered. */
  g_assert_true (json_object_get_null_member (object, "incoming"));
  g_assert_true (json_object_get_null_member (object, "incoming_unconfirmed"));
  {
    JsonArray *candidates = json_object_get_array_member (object, "candidates");
    guint n = json_array_get_length (candidates);

    incoming = json_array_get_object_element (candidates, n - 1);
    g_assert_cmpstr (json_object_get_string_member (incoming, "host"), ==, "imap.example.test");
    g_assert_cmpstr (json_object_get_string_member (incoming, "protocol"), ==, "imap");
    g_assert_cmpint (json_object_get_int_member (incoming, "port"), ==, 993);
    g_assert_cmpstr (json_object_get_string_member (incoming, "security"), ==, "tls");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (incoming, "result"),
                                                    "status"), ==, "dns-error");
  }

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "problems")), ==, 0);
  assert_finalized (discovery);

  /* Nothing found: best and incoming are null, and problems say why. */
  discovery = new_discovery (f, "user@nothing.test", OD_SOURCE_FLAG_SRV | OD_SOURCE_FLAG_GUESS);
  g_clear_object (&best);
  best = run (discovery, NULL);
  g_assert_null (best);
  g_clear_pointer (&root, json_node_unref);
  root = od_discovery_to_json (discovery);
  object = json_node_get_object (root);
  g_assert_true (json_object_get_null_member (object, "best"));
  g_assert_true (json_object_get_null_member (object, "incoming"));
  {
    JsonObject *problem = json_array_get_object_element (json_object_get_array_member (object, "problems"), 0);

    g_assert_cmpstr (json_object_get_string_member (problem, "id"), ==, "dns-no-such-host");
    g_assert_cmpstr (json_object_get_string_member (problem, "severity"), ==, "error");
    g_assert_true (json_object_has_member (problem, "step"));
    g_assert_true (json_object_has_member (problem, "summary"));
    g_assert_true (json_object_has_member (problem, "remedy"));
    g_assert_true (json_object_has_member (problem, "server_reply"));
  }
  assert_finalized (discovery);
}

static void
test_idn (Fixture       *f,
          gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  GPtrArray *queries;
  gboolean asked = FALSE;

  od_test_resolver_add_address (f->resolver, "smtp.xn--bcher-kva.test", "127.0.0.2");
  add_smtp (f, "127.0.0.2", 465, SMTP_TLS);

  discovery = new_discovery (f, "user@BÜCHER.test", OD_SOURCE_FLAG_GUESS | OD_SOURCE_FLAG_MX);
  best = run (discovery, NULL);
  assert_best (best, "smtp.xn--bcher-kva.test", 465, OD_SECURITY_TLS, OD_SOURCE_GUESS);
  g_assert_cmpstr (od_discovery_get_domain (discovery), ==, "bücher.test");

  queries = od_test_resolver_get_queries (f->resolver);
  for (guint i = 0; i < queries->len; i++)
    {
      const char *query = g_ptr_array_index (queries, i);

      g_assert_true (g_str_is_ascii (query));
      if (g_str_equal (query, "MX xn--bcher-kva.test"))
        asked = TRUE;
    }
  g_assert_true (asked);
  assert_finalized (discovery);
}

static guint
count_queries (Fixture    *f,
               const char *query)
{
  GPtrArray *queries = od_test_resolver_get_queries (f->resolver);
  guint n = 0;

  for (guint i = 0; i < queries->len; i++)
    n += g_str_equal (g_ptr_array_index (queries, i), query);

  return n;
}

/* The guesses name each host on four ports: one lookup serves them all. A lookup slower
 * than the deadline still ends every probe of the host on that probe's own deadline. */
static void
test_one_lookup_per_host (Fixture       *f,
                          gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  gint64 elapsed;

  add_names (f);
  add_smtp (f, "127.0.0.2", 465, SMTP_TLS);
  add_smtp (f, "127.0.0.2", 587, SMTP_STARTTLS);
  od_test_resolver_set_delay_ms (f->resolver, 100);

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_GUESS);
  best = run (discovery, NULL);
  assert_best (best, "smtp.example.test", 465, OD_SECURITY_TLS, OD_SOURCE_GUESS);
  g_assert_cmpuint (count_queries (f, "A smtp.example.test"), ==, 1);
  g_assert_cmpuint (count_queries (f, "A mail.example.test"), <=, 1);
  g_assert_cmpuint (count_queries (f, "A example.test"), <=, 1);
  assert_finalized (discovery);
  g_clear_object (&best);

  od_test_resolver_set_delay_ms (f->resolver, 800);
  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_GUESS);
  od_discovery_set_connect_timeout (discovery, 300);
  best = run (discovery, &elapsed);
  g_assert_null (best);
  g_assert_cmpint (elapsed, >=, 290);
  g_assert_cmpint (elapsed, <, 750);
  for (guint i = 0; i < N_SMTP_PORTS; i++)
    g_assert_cmpint (od_candidate_get_status (find_candidate (discovery, "smtp.example.test",
                                                              logical_ports[i])),
                     ==, OD_CANDIDATE_DNS_ERROR);
  assert_finalized (discovery);

  /* The shared lookup outlives the discovery; it still completes, once for the host. */
  {
    gint64 until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

    while (count_queries (f, "A smtp.example.test") < 2 && g_get_monotonic_time () < until)
      {
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (5000);
      }
  }
  g_assert_cmpuint (count_queries (f, "A smtp.example.test"), ==, 2);
}

static void
test_bad_address (void)
{
  /* The domain part must be a host name (after IDNA): a port, a path or a fragment would
   * ride into the autoconfig URL and the user name. */
  static const char * const bad[] = { "no-at-sign", "user@", "a b@example.test",
                                      "user@localhost", "user@exa mple.test",
                                      "alice@other.example:443/mail/config-v1.1.xml#",
                                      "alice@other.example/mail", "alice@other.example?x=1",
                                      "alice@other.example#", "alice@[127.0.0.1]",
                                      "alice@-other.example", "alice@other-.example",
                                      "alice@other..example", "alice@under_score.example",
                                      "alice\xe2\x80\xae@example.test" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      OdDiscovery *discovery = od_discovery_new (bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(OdCandidate) best = run_full (discovery, NULL, NULL, &error);

      g_assert_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT);
      g_assert_null (best);
      g_assert_finalize_object (discovery);
    }
}

/* The document names smtp.example.test:465, which guessing probes from the start: that
 * probe is reused, not started again (the server sees one connection), and the best is
 * reported as soon as the slow document confirms it, not a whole probe later. */
static void
test_autoconfig_reuses_guess (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(OdFakeSmtpServer) server = NULL;
  g_autoptr(OdCandidate) best = NULL;
  OdDiscovery *discovery;
  gint64 elapsed_ms = 0;
  gint64 doc_ms;
  guint n_smtp_465 = 0;

  add_names (f);
  server = g_object_ref (add_smtp (f, "127.0.0.2", 465, SMTP_TLS));
  add_document (f, "https", "autoconfig.example.test", "/mail/config-v1.1.xml",
                "smtp.example.test", 465, "SSL");
  g_mutex_lock (&f->http_lock);
  f->http_delay_ms = 600;
  g_mutex_unlock (&f->http_lock);

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_AUTOCONFIG | OD_SOURCE_FLAG_GUESS);
  od_discovery_set_grace_for_testing (discovery, 30000);
  od_discovery_set_connect_timeout (discovery, 30000);
  od_discovery_set_total_timeout (discovery, 60000);

  best = run (discovery, &elapsed_ms);
  assert_best (best, "smtp.example.test", 465, OD_SECURITY_TLS, OD_SOURCE_AUTOCONFIG);

  for (guint i = 0; i < g_list_model_get_n_items (od_discovery_get_candidates (discovery)); i++)
    {
      g_autoptr(OdCandidate) c = g_list_model_get_item (od_discovery_get_candidates (discovery), i);

      if (g_str_equal (od_candidate_get_host (c), "smtp.example.test") &&
          od_candidate_get_port (c) == 465)
        n_smtp_465++;
    }
  g_assert_cmpuint (n_smtp_465, ==, 1);
  g_assert_cmpuint (od_fake_smtp_server_get_n_connections (server), ==, 1);
  /* Both sources proposed it: each one's outcome is this setting's. */
  g_assert_cmpint (od_candidate_get_proposed_by (best), ==,
                   OD_SOURCE_FLAG_AUTOCONFIG | OD_SOURCE_FLAG_GUESS);
  g_assert_true (od_candidate_get_username_supplied (best));

  /* The document took over 600 ms; the probe had finished long before, so the best came
   * with the document. */
  doc_ms = od_discovery_source_get_elapsed_ms (find_source (discovery, OD_SOURCE_AUTOCONFIG));
  g_test_message ("best after %" G_GINT64_FORMAT " ms, the document after %" G_GINT64_FORMAT
                  " ms", elapsed_ms, doc_ms);
  g_assert_cmpint (doc_ms, >=, 600);
  g_assert_cmpint (elapsed_ms, >=, doc_ms);
  g_assert_cmpint (elapsed_ms - doc_ms, <, 100);

  assert_finalized (discovery);
}

/* The domain's autoconfig document offers only a server without encryption, and nothing
 * else is found: the detection says that, not the guesses' "no such name" that follows. */
static void
test_only_unencrypted_published (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(OdCandidate) best = NULL;
  g_autoptr(OdProblem) problem = NULL;
  OdDiscovery *discovery;

  add_document (f, "https", "autoconfig.example.test", "/mail/config-v1.1.xml",
                "mail.example.test", 587, "plain");

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_AUTOCONFIG | OD_SOURCE_FLAG_GUESS);
  best = run (discovery, NULL);
  g_assert_null (best);

  g_assert_cmpuint (g_list_model_get_n_items (od_discovery_get_problems (discovery)), ==, 1);
  problem = g_list_model_get_item (od_discovery_get_problems (discovery), 0);
  g_assert_cmpstr (od_problem_get_id (problem), ==, "no-encrypted-server");
  g_assert_nonnull (strstr (od_problem_get_remedy (problem), "will not send your password"));

  assert_finalized (discovery);
}

/* The JSON's unconfirmed.why, or NULL. */
static char *
json_unconfirmed_why (OdDiscovery *discovery)
{
  g_autoptr(JsonNode) root = od_discovery_to_json (discovery);
  JsonObject *object = json_node_get_object (root);
  JsonObject *unconfirmed;

  if (json_object_get_null_member (object, "unconfirmed"))
    return NULL;

  unconfirmed = json_object_get_object_member (object, "unconfirmed");
  return g_strdup (json_object_get_string_member (unconfirmed, "why"));
}

/* RFC 6186 §6: a DNS answer is not authenticated. A forged SRV record naming another
 * domain's server works, but is never chosen: it is offered for confirmation, with why. */
static void
test_forged_srv (Fixture       *f,
                 gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  g_autofree char *why = NULL;
  OdCandidate *candidate;
  OdProblem *problem;

  od_test_resolver_add_address (f->resolver, "mail.attacker.test", "127.0.0.9");
  add_smtp (f, "127.0.0.9", 465, SMTP_TLS);
  od_test_resolver_add_srv (f->resolver, "_submissions._tcp.example.test", 0, 1, 465,
                            "mail.attacker.test.");

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_SRV);
  best = run (discovery, NULL);

  g_assert_null (best);
  candidate = find_candidate (discovery, "mail.attacker.test", 465);
  g_assert_nonnull (candidate);
  /* Its certificate is valid for its own name: that is not enough. */
  g_assert_cmpint (od_candidate_get_status (candidate), ==, OD_CANDIDATE_OK);
  g_assert_false (od_candidate_get_trusted (candidate));
  g_assert_cmpint (od_candidate_get_untrusted (candidate), ==, OD_UNTRUSTED_DNS);
  g_assert_true (od_discovery_get_unconfirmed (discovery) == candidate);

  problem = first_problem (discovery);
  g_assert_cmpstr (od_problem_get_id (problem), ==, "server-unconfirmed");
  g_assert_true (od_problem_has_fix (problem, OD_FIX_CONFIRM_SERVER));
  g_assert_nonnull (strstr (od_problem_get_summary (problem), "mail.attacker.test"));
  g_assert_nonnull (strstr (od_problem_get_remedy (problem), "DNS records"));

  why = json_unconfirmed_why (discovery);
  g_assert_nonnull (why);
  g_assert_nonnull (strstr (why, "DNS records, which anyone on your network can forge"));
  assert_finalized (discovery);
}

/* The rule's other side: an SRV target within the address's registrable domain is
 * trusted. */
static void
test_trusted_srv (Fixture       *f,
                  gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;

  /* Within the domain: a subdomain of a subdomain still belongs to example.test. */
  od_test_resolver_add_address (f->resolver, "out.mail.example.test", "127.0.0.3");
  add_smtp (f, "127.0.0.3", 465, SMTP_TLS);
  od_test_resolver_add_srv (f->resolver, "_submissions._tcp.example.test", 0, 1, 465,
                            "out.mail.example.test.");
  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_SRV);
  best = run (discovery, NULL);
  g_assert_nonnull (best);
  g_assert_cmpstr (od_candidate_get_host (best), ==, "out.mail.example.test");
  g_assert_true (od_candidate_get_trusted (best));
  g_assert_null (od_discovery_get_unconfirmed (discovery));
  assert_finalized (discovery);
}

/* Another domain, but its certificate names the mail domain: whoever runs the server holds
 * a certificate for example.test. */
static void
test_certificate_names_domain (Fixture       *f,
                               gconstpointer  data)
{
  const char * const domain_names[] = { "mail.hosted.test", "example.test", NULL };
  g_autoptr(GTlsCertificate) domain_cert = NULL;
  g_autoptr(OdFakeSmtpServer) hosted = od_fake_smtp_server_new ();
  g_autoptr(GError) error = NULL;
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;

  domain_cert = od_test_make_named_cert (certs, domain_names, &error);
  g_assert_no_error (error);
  od_test_resolver_add_address (f->resolver, "mail.hosted.test", "127.0.0.10");
  od_fake_smtp_server_set_address (hosted, "127.0.0.10");
  od_fake_smtp_server_set_port (hosted, real_port (f, 587));
  od_fake_smtp_server_set_certificate (hosted, domain_cert);
  od_fake_smtp_server_start (hosted, &error);
  g_assert_no_error (error);
  g_ptr_array_add (f->servers, g_object_ref (hosted));
  od_test_resolver_add_srv (f->resolver, "_submission._tcp.example.test", 0, 1, 587,
                            "mail.hosted.test.");

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_SRV);
  best = run (discovery, NULL);
  assert_best (best, "mail.hosted.test", 587, OD_SECURITY_STARTTLS, OD_SOURCE_SRV);
  g_assert_true (od_candidate_get_trusted (best));
  g_assert_cmpint (od_candidate_get_untrusted (best), ==, OD_UNTRUSTED_NO);
  g_assert_null (od_discovery_get_unconfirmed (discovery));
  assert_finalized (discovery);
}

/* An HTTPS autoconfig that redirects to another domain: the final address is reported, and
 * its settings are not the domain's own word. */
static void
test_autoconfig_redirect (Fixture       *f,
                          gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  g_autofree char *why = NULL;
  OdDiscoverySource *source;
  OdCandidate *candidate;

  od_test_resolver_add_address (f->resolver, "smtp.hostco.test", "127.0.0.7");
  add_smtp (f, "127.0.0.7", 587, SMTP_STARTTLS);
  add_redirect (f, "https", "autoconfig.example.test", "/mail/config-v1.1.xml",
                "config.hostco.test", "/mail/example.xml");
  add_document (f, "https", "config.hostco.test", "/mail/example.xml",
                "smtp.hostco.test", 587, "STARTTLS");

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_AUTOCONFIG);
  best = run (discovery, NULL);

  g_assert_null (best);
  candidate = find_candidate (discovery, "smtp.hostco.test", 587);
  g_assert_nonnull (candidate);
  g_assert_cmpint (od_candidate_get_untrusted (candidate), ==, OD_UNTRUSTED_REDIRECT);
  g_assert_cmpstr (od_candidate_get_untrusted_detail (candidate), ==, "hostco.test");
  g_assert_true (od_discovery_get_unconfirmed (discovery) == candidate);

  source = find_source (discovery, OD_SOURCE_AUTOCONFIG);
  g_test_message ("autoconfig: %s", od_discovery_source_get_detail (source));
  g_assert_nonnull (strstr (od_discovery_source_get_detail (source),
                            "https://config.hostco.test/mail/example.xml"));
  g_assert_null (strstr (od_discovery_source_get_detail (source), "autoconfig.example.test"));

  why = json_unconfirmed_why (discovery);
  g_assert_nonnull (why);
  g_assert_nonnull (strstr (why, "hostco.test"));
  assert_finalized (discovery);
}

/* MX records naming a hosting company that is not in the database: its HTTPS autoconfig
 * (without the address) and its usual names are tried, and what works is offered for
 * confirmation, saying whose it is. */
static void
test_hosting (Fixture       *f,
              gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *why = NULL;
  OdDiscoverySource *source;
  OdCandidate *candidate;
  gboolean fetched = FALSE;

  od_test_resolver_add_address (f->resolver, "smtp.hostco.test", "127.0.0.7");
  add_smtp (f, "127.0.0.7", 587, SMTP_STARTTLS);
  od_test_resolver_add_mx (f->resolver, "example.test", 10, "mx1.hostco.test.");
  add_document (f, "https", "autoconfig.hostco.test", "/mail/config-v1.1.xml",
                "smtp.hostco.test", 587, "STARTTLS");

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_MX | OD_SOURCE_FLAG_PROVIDER_DB);
  best = run (discovery, NULL);

  g_assert_null (best);
  candidate = find_candidate (discovery, "smtp.hostco.test", 587);
  g_assert_nonnull (candidate);
  g_assert_cmpint (od_candidate_get_source (candidate), ==, OD_SOURCE_MX);
  g_assert_cmpint (od_candidate_get_untrusted (candidate), ==, OD_UNTRUSTED_HOSTING);
  g_assert_cmpstr (od_candidate_get_untrusted_detail (candidate), ==, "hostco.test");
  g_assert_true (od_discovery_get_unconfirmed (discovery) == candidate);
  /* The company's usual names were tried too. */
  g_assert_nonnull (find_candidate (discovery, "mail.hostco.test", 465));

  why = json_unconfirmed_why (discovery);
  g_assert_nonnull (strstr (why, "mail is handled by hostco.test"));
  g_assert_cmpstr (od_problem_get_id (first_problem (discovery)), ==, "server-unconfirmed");

  source = find_source (discovery, OD_SOURCE_MX);
  g_assert_cmpint (od_discovery_source_get_status (source), ==, OD_SOURCE_STATUS_FOUND);
  g_assert_nonnull (strstr (od_discovery_source_get_detail (source), "mx1.hostco.test"));
  g_assert_nonnull (strstr (od_discovery_source_get_detail (source),
                            "https://autoconfig.hostco.test/mail/config-v1.1.xml"));
  assert_finalized (discovery);

  /* The address is not the company's business. */
  requests = copy_requests (f);
  for (guint i = 0; i < requests->len; i++)
    {
      const char *uri = g_ptr_array_index (requests, i);

      if (strstr (uri, "hostco.test") != NULL)
        {
          fetched = TRUE;
          g_assert_null (strchr (uri, '?'));
          g_assert_null (strstr (uri, "user"));
        }
    }
  g_assert_true (fetched);
}

/* A hosting company that is in the database: its entry is trusted. */
static void
test_hosting_in_database (Fixture       *f,
                          gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;

  add_names (f);
  add_smtp (f, "127.0.0.7", 465, SMTP_TLS);
  add_provider (f, "provider.test", "smtp.provider.test", 465, "SSL", NULL);
  od_test_resolver_add_mx (f->resolver, "example.test", 10, "mx7.provider.test.");

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_MX | OD_SOURCE_FLAG_PROVIDER_DB);
  best = run (discovery, NULL);
  assert_best (best, "smtp.provider.test", 465, OD_SECURITY_TLS, OD_SOURCE_MX);
  g_assert_true (od_candidate_get_trusted (best));
  assert_finalized (discovery);
}

/* An MX host answering without a login receives mail: it is said so, never offered. */
static void
test_mx_inbound (Fixture       *f,
                 gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  OdCandidate *candidate;
  OdProblem *problem;

  od_test_resolver_add_address (f->resolver, "mail.example.test", "127.0.0.11");
  add_smtp (f, "127.0.0.11", 25, SMTP_NO_AUTH);
  od_test_resolver_add_mx (f->resolver, "example.test", 10, "mail.example.test.");

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_MX | OD_SOURCE_FLAG_GUESS);
  best = run (discovery, NULL);

  g_assert_null (best);
  g_assert_null (od_discovery_get_unconfirmed (discovery));
  candidate = find_candidate (discovery, "mail.example.test", 25);
  g_assert_nonnull (candidate);
  g_assert_cmpint (od_candidate_get_status (candidate), ==, OD_CANDIDATE_OK);
  g_assert_nonnull (strstr (od_candidate_get_detail (candidate), "receives your mail"));

  problem = first_problem (discovery);
  g_assert_cmpstr (od_problem_get_id (problem), ==, "no-settings-found");
  g_assert_nonnull (strstr (od_problem_get_summary (problem), "mail.example.test"));
  g_assert_nonnull (strstr (od_problem_get_summary (problem), "receives your mail"));
  assert_finalized (discovery);
}

/* A provider whose outgoing server accepts only OAuth2 sign-in: no password login is
 * looked for, whatever else answers, and the detection says why. */
static void
test_oauth_only (Fixture       *f,
                 gconstpointer  data)
{
  const char *xml =
    "<?xml version=\"1.0\"?>\n<clientConfig version=\"1.1\"><emailProvider id=\"example.test\">"
    "<domain>example.test</domain><displayName>Example Mail</displayName>"
    "<outgoingServer type=\"smtp\"><hostname>smtp.example.test</hostname><port>587</port>"
    "<socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username>"
    "<authentication>OAuth2</authentication></outgoingServer>"
    "</emailProvider></clientConfig>\n";
  g_autofree char *path = g_build_filename (f->provider_dir, "example.test.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdCandidate) best = NULL;
  OdCandidate *candidate;
  OdDiscovery *discovery;

  add_names (f);
  add_smtp (f, "127.0.0.2", 587, SMTP_STARTTLS);
  add_smtp (f, "127.0.0.2", 465, SMTP_TLS);
  g_file_set_contents (path, xml, -1, &error);
  g_assert_no_error (error);

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_PROVIDER_DB | OD_SOURCE_FLAG_GUESS);
  best = run (discovery, NULL);

  g_assert_null (best);
  g_assert_null (od_discovery_get_unconfirmed (discovery));
  g_assert_cmpstr (od_problem_get_id (first_problem (discovery)), ==, "auth-oauth-required");
  g_assert_cmpint (od_problem_get_severity (first_problem (discovery)), ==, OD_SEVERITY_ERROR);
  /* The OAuth2 server is no candidate for a password (a guess may have named it). */
  candidate = find_candidate (discovery, "smtp.example.test", 587);
  g_assert_true (candidate == NULL ||
                 od_candidate_get_source (candidate) != OD_SOURCE_PROVIDER_DB);
  assert_finalized (discovery);
}

/* Signing in with OAuth (issue 18): a token-only server is wanted where our own database names
 * it, never where only a document from the network does (the token would go there). */
static void
test_oauth_only_signed_in (Fixture       *f,
                           gconstpointer  data)
{
  const char *xml =
    "<?xml version=\"1.0\"?>\n<clientConfig version=\"1.1\"><emailProvider id=\"example.test\">"
    "<domain>example.test</domain><displayName>Example Mail</displayName>"
    "<outgoingServer type=\"smtp\"><hostname>smtp.example.test</hostname><port>587</port>"
    "<socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username>"
    "<authentication>OAuth2</authentication></outgoingServer>"
    "</emailProvider></clientConfig>\n";
  g_autofree char *path = g_build_filename (f->provider_dir, "example.test.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdCandidate) best = NULL;
  g_autoptr(OdCandidate) from_network = NULL;
  OdDiscovery *discovery;

  add_names (f);
  add_smtp (f, "127.0.0.2", 587, SMTP_STARTTLS);

  /* The same document from the domain's autoconfig: nothing for a token there. */
  g_mutex_lock (&f->http_lock);
  g_hash_table_insert (f->documents,
                       g_strdup ("https:/autoconfig.example.test/mail/config-v1.1.xml"),
                       g_strdup (xml));
  g_mutex_unlock (&f->http_lock);
  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_AUTOCONFIG);
  od_discovery_set_oauth (discovery, TRUE);
  from_network = run (discovery, NULL);
  g_assert_null (from_network);
  g_assert_null (find_candidate (discovery, "smtp.example.test", 587));
  assert_finalized (discovery);

  /* In our database: the server is found, and no "OAuth only" ends the detection. */
  g_file_set_contents (path, xml, -1, &error);
  g_assert_no_error (error);
  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_PROVIDER_DB);
  od_discovery_set_oauth (discovery, TRUE);
  best = run (discovery, NULL);
  assert_best (best, "smtp.example.test", 587, OD_SECURITY_STARTTLS, OD_SOURCE_PROVIDER_DB);
  assert_finalized (discovery);
}

/* A source the detection stopped waiting for says so: it did not answer "nothing". */
static void
test_source_stopped (Fixture       *f,
                     gconstpointer  data)
{
  OdDiscovery *discovery;
  g_autoptr(OdCandidate) best = NULL;
  OdDiscoverySource *autoconfig, *guess;
  g_autoptr(OdCandidate) closest = NULL;

  add_names (f);
  add_smtp (f, "127.0.0.2", 465, SMTP_TLS);
  add_document (f, "https", "autoconfig.example.test", "/mail/config-v1.1.xml",
                "auto.example.test", 587, "STARTTLS");
  g_mutex_lock (&f->http_lock);
  f->http_delay_ms = 1500;
  g_mutex_unlock (&f->http_lock);

  discovery = new_discovery (f, ADDRESS, OD_SOURCE_FLAG_AUTOCONFIG | OD_SOURCE_FLAG_GUESS);
  od_discovery_set_grace_for_testing (discovery, 100);
  od_discovery_set_connect_timeout (discovery, 30000);
  od_discovery_set_total_timeout (discovery, 60000);
  best = run (discovery, NULL);
  assert_best (best, "smtp.example.test", 465, OD_SECURITY_TLS, OD_SOURCE_GUESS);
  g_assert_cmpint (od_candidate_get_proposed_by (best), ==, OD_SOURCE_FLAG_GUESS);
  g_assert_false (od_candidate_get_username_supplied (best));

  /* The slow document was not waited for once the guess had had its grace period. */
  autoconfig = find_source (discovery, OD_SOURCE_AUTOCONFIG);
  g_assert_cmpint (od_discovery_source_get_status (autoconfig), ==, OD_SOURCE_STATUS_NONE);
  g_assert_true (od_discovery_source_get_stopped (autoconfig));

  /* The guesses answered themselves: their list, not a progress report. */
  guess = find_source (discovery, OD_SOURCE_GUESS);
  g_assert_cmpint (od_discovery_source_get_status (guess), ==, OD_SOURCE_STATUS_FOUND);
  g_assert_false (od_discovery_source_get_stopped (guess));
  g_assert_null (strstr (od_discovery_source_get_detail (guess), "Trying"));

  closest = od_discovery_get_closest (discovery);
  g_assert_true (closest == best);
  assert_finalized (discovery);
}

int
main (int   argc,
      char *argv[])
{
  const char * const names[] = {
    "smtp.example.test", "srv.example.test", "srv2.example.test", "provider.example.test",
    "auto.example.test", "smtp.provider.test", "smtp.second.test", "smtp.xn--bcher-kva.test",
    "mail.attacker.test", "out.mail.example.test", "smtp.hostco.test", "mail.example.test",
    NULL
  };
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);
  named_cert = od_test_make_named_cert (certs, names, &error);
  g_assert_no_error (error);

  g_test_add_func ("/od/discovery/srv-sort", test_srv_sort);
  g_test_add_func ("/od/discovery/bad-address", test_bad_address);
#define ADD(path, func) \
  g_test_add ("/od/discovery/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("source-priority", test_source_priority);
  ADD ("srv-order", test_srv_order);
  ADD ("srv-not-offered", test_srv_not_offered);
  ADD ("mx-match", test_mx_match);
  ADD ("http-untrusted", test_http_untrusted);
  ADD ("implicit-tls-preferred", test_implicit_tls_preferred);
  ADD ("port-25-last-resort", test_port_25_last_resort);
  ADD ("certificate-error", test_certificate_error);
  ADD ("blackhole-grace", test_blackhole_grace);
  ADD ("all-dropped", test_all_dropped);
  ADD ("retry-slow-server", test_retry_slow_server);
  ADD ("ceiling", test_ceiling);
  ADD ("cancel", test_cancel);
  ADD ("json", test_json);
  ADD ("idn", test_idn);
  ADD ("one-lookup-per-host", test_one_lookup_per_host);
  ADD ("autoconfig-reuses-guess", test_autoconfig_reuses_guess);
  ADD ("only-unencrypted-published", test_only_unencrypted_published);
  ADD ("trust/forged-srv", test_forged_srv);
  ADD ("trust/trusted-srv", test_trusted_srv);
  ADD ("trust/certificate-names-domain", test_certificate_names_domain);
  ADD ("trust/autoconfig-redirect", test_autoconfig_redirect);
  ADD ("mx/hosting", test_hosting);
  ADD ("mx/hosting-in-database", test_hosting_in_database);
  ADD ("mx/inbound", test_mx_inbound);
  ADD ("oauth-only", test_oauth_only);
  ADD ("oauth-only-signed-in", test_oauth_only_signed_in);
  ADD ("source-stopped", test_source_stopped);
#undef ADD

  status = g_test_run ();

  g_clear_object (&named_cert);
  g_clear_pointer (&certs, od_test_certs_free);

  return status;
}
