/* test-connect.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The connector, the way to a server every protocol shares: name lookup (with a resolver in
 * the process), connecting address by address with deadlines, implicit TLS with our own
 * verification and pins, cancellation. Servers are our fake SMTP server and blackholes on
 * loopback. */

#include "config.h"

#include <string.h>

#include "od-connect.h"
#include "od-fake-smtp-server.h"
#include "od-test-certs.h"
#include "od-test-discovery.h"

static OdTestCerts *certs;

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

static GAsyncResult *
wait_for (Wait *wait)
{
  g_clear_object (&wait->result);
  g_main_loop_run (wait->loop);
  return wait->result;
}

static void
wait_clear (Wait *wait)
{
  g_clear_object (&wait->result);
  g_clear_pointer (&wait->loop, g_main_loop_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Wait, wait_clear)

static OdFakeSmtpServer *
start_server (const char *cert_name,
              gboolean    implicit_tls)
{
  OdFakeSmtpServer *server = od_fake_smtp_server_new ();
  g_autoptr(GError) error = NULL;

  if (cert_name != NULL)
    {
      g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, cert_name, &error);

      g_assert_no_error (error);
      od_fake_smtp_server_set_certificate (server, cert);
    }
  od_fake_smtp_server_set_implicit_tls (server, implicit_tls);
  g_assert_true (od_fake_smtp_server_start (server, &error));
  g_assert_no_error (error);

  return server;
}

/* A resolver that knows @name at @ips, installed until the returned previous one is put back. */
static GResolver *
install_resolver (const char         *name,
                  const char * const *ips)
{
  g_autoptr(OdTestResolver) resolver = od_test_resolver_new ();
  GResolver *previous = g_resolver_get_default ();

  for (guint i = 0; ips[i] != NULL; i++)
    od_test_resolver_add_address (resolver, name, ips[i]);
  g_resolver_set_default (G_RESOLVER (resolver));

  return previous;
}

static void
restore_resolver (GResolver *previous)
{
  g_resolver_set_default (previous);
  g_object_unref (previous);
}

static gboolean
transcript_has (OdTranscript *transcript,
                const char   *needle)
{
  g_autofree char *text = od_transcript_to_text (transcript);

  return strstr (text, needle) != NULL;
}

static void
lookup (OdConnect *connect,
        guint      timeout_ms,
        Wait      *wait)
{
  g_autoptr(GError) error = NULL;

  od_connect_lookup_async (connect, timeout_ms, NULL, wait_cb, wait);
  g_assert_true (od_connect_lookup_finish (connect, wait_for (wait), &error));
  g_assert_no_error (error);
}

static void
test_ip_literal (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (NULL, FALSE);
  g_autoptr(OdConnect) connect = od_connect_new ("127.0.0.1", od_fake_smtp_server_get_port (server),
                                                 NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *ip = NULL;
  g_auto(Wait) wait = { g_main_loop_new (NULL, FALSE), NULL };

  lookup (connect, 1000, &wait);
  g_assert_cmpuint (g_list_length (od_connect_get_addresses (connect)), ==, 1);
  g_assert_cmpint (od_connect_get_lookup_ms (connect), ==, 0);

  od_connect_connect_async (connect, 1000, NULL, wait_cb, &wait);
  g_assert_true (od_connect_connect_finish (connect, wait_for (&wait), &error));
  g_assert_no_error (error);

  g_assert_true (G_IS_SOCKET_CONNECTION (od_connect_get_stream (connect)));
  g_assert_true (od_connect_get_stream (connect) ==
                 G_IO_STREAM (od_connect_get_connection (connect)));
  g_assert_cmpint (od_connect_get_connect_ms (connect), >=, 0);
  ip = g_inet_address_to_string (g_inet_socket_address_get_address (od_connect_get_remote (connect)));
  g_assert_cmpstr (ip, ==, "127.0.0.1");

  od_connect_close (connect);
}

/* A refused address is recorded, and the next one is tried. */
static void
test_next_address (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (NULL, FALSE);
  const char * const ips[] = { "127.0.0.2", "127.0.0.1", NULL };
  GResolver *previous = install_resolver ("mail.test", ips);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdConnect) connect = od_connect_new ("mail.test", od_fake_smtp_server_get_port (server),
                                                 transcript);
  g_autoptr(GError) error = NULL;
  g_autofree char *ip = NULL;
  g_auto(Wait) wait = { g_main_loop_new (NULL, FALSE), NULL };

  lookup (connect, 1000, &wait);
  g_assert_cmpuint (g_list_length (od_connect_get_addresses (connect)), ==, 2);

  od_connect_connect_async (connect, 0, NULL, wait_cb, &wait);
  g_assert_true (od_connect_connect_finish (connect, wait_for (&wait), &error));
  g_assert_no_error (error);

  ip = g_inet_address_to_string (g_inet_socket_address_get_address (od_connect_get_remote (connect)));
  g_assert_cmpstr (ip, ==, "127.0.0.1");
  g_assert_cmpuint (od_transcript_get_length (transcript), ==, 1);
  g_assert_true (transcript_has (transcript, "refused"));

  od_connect_close (connect);
  restore_resolver (previous);
}

/* Every address refused: the first error is the answer. */
static void
test_all_refused (void)
{
  guint16 port = od_test_find_free_port ();
  const char * const ips[] = { "127.0.0.2", "127.0.0.3", NULL };
  GResolver *previous = install_resolver ("mail.test", ips);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdConnect) connect = od_connect_new ("mail.test", port, transcript);
  g_autoptr(GError) error = NULL;
  g_auto(Wait) wait = { g_main_loop_new (NULL, FALSE), NULL };

  lookup (connect, 1000, &wait);
  od_connect_connect_async (connect, 0, NULL, wait_cb, &wait);
  g_assert_false (od_connect_connect_finish (connect, wait_for (&wait), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_cmpuint (od_transcript_get_length (transcript), ==, 2);
  g_assert_null (od_connect_get_stream (connect));

  restore_resolver (previous);
}

/* An address that drops the connection does not hold the next one up: it starts 250 ms
 * later (RFC 8305's connection attempt delay), and wins. */
static void
test_attempt_delay (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (NULL, FALSE);
  guint16 port = od_fake_smtp_server_get_port (server);
  g_autoptr(OdTestBlackhole) hole = NULL;
  const char * const ips[] = { "127.0.0.4", "127.0.0.1", NULL };
  GResolver *previous = install_resolver ("mail.test", ips);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdConnect) connect = od_connect_new ("mail.test", port, transcript);
  g_autoptr(GError) error = NULL;
  g_autofree char *ip = NULL;
  g_auto(Wait) wait = { g_main_loop_new (NULL, FALSE), NULL };
  gint64 started;

  hole = od_test_blackhole_new ("127.0.0.4", port, &error);
  g_assert_no_error (error);

  lookup (connect, 1000, &wait);
  od_connect_set_attempt_timeout (connect, 10000);
  started = g_get_monotonic_time ();
  od_connect_connect_async (connect, 0, NULL, wait_cb, &wait);
  g_assert_true (od_connect_connect_finish (connect, wait_for (&wait), &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 240 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);
  ip = g_inet_address_to_string (g_inet_socket_address_get_address (od_connect_get_remote (connect)));
  g_assert_cmpstr (ip, ==, "127.0.0.1");
  /* The silent address is no failure of the connection, and IPv6 was not involved. */
  g_assert_false (transcript_has (transcript, "timed out"));
  g_assert_null (od_connect_get_ipv6_failure (connect));

  od_connect_close (connect);
  restore_resolver (previous);
}

/* Every address has its own deadline: a silent one ends after it, not after the stage's. */
static void
test_attempt_timeout (void)
{
  guint16 port = od_test_find_free_port ();
  g_autoptr(OdTestBlackhole) hole = NULL;
  g_autoptr(OdTestBlackhole) hole2 = NULL;
  const char * const ips[] = { "127.0.0.4", "127.0.0.7", NULL };
  GResolver *previous = install_resolver ("mail.test", ips);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdConnect) connect = od_connect_new ("mail.test", port, transcript);
  g_autoptr(GError) error = NULL;
  g_auto(Wait) wait = { g_main_loop_new (NULL, FALSE), NULL };
  gint64 started;

  hole = od_test_blackhole_new ("127.0.0.4", port, &error);
  g_assert_no_error (error);
  hole2 = od_test_blackhole_new ("127.0.0.7", port, &error);
  g_assert_no_error (error);

  lookup (connect, 1000, &wait);
  od_connect_set_attempt_timeout (connect, 300);
  started = g_get_monotonic_time ();
  od_connect_connect_async (connect, 10000, NULL, wait_cb, &wait);
  g_assert_false (od_connect_connect_finish (connect, wait_for (&wait), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  /* The second started at 250 ms and ended 300 ms later. */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 500 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 3 * G_USEC_PER_SEC);
  g_assert_true (transcript_has (transcript, "Connecting timed out"));
  /* Loopback is always routed: a time-out there is not "offline". */
  g_assert_cmpint (od_connect_get_route (connect), ==, OD_ROUTE_PRESENT);

  restore_resolver (previous);
}

static gboolean
ipv6_loopback_works (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);

  return socket != NULL && g_socket_bind (socket, address, FALSE, NULL);
}

/* Happy Eyeballs with a broken IPv6: the IPv6 address is tried first and drops the
 * connection; IPv4 starts 250 ms later and wins; the IPv6 attempt, still waiting, says
 * that IPv6 does not work here. The other way round, IPv6 wins and nothing is wrong. */
static void
test_happy_eyeballs (void)
{
  const char *orders[][2] = { { "::1", "127.0.0.1" }, { "127.0.0.1", "::1" } };

  if (!ipv6_loopback_works ())
    {
      g_test_skip ("No IPv6 loopback address here");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      const char *dropped = orders[i][0];
      const char *open = orders[i][1];
      g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
      g_autoptr(OdTestBlackhole) hole = NULL;
      const char * const ips[] = { dropped, open, NULL };
      GResolver *previous = install_resolver ("dual.test", ips);
      g_autoptr(OdConnect) connect = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *ip = NULL;
      g_auto(Wait) wait = { g_main_loop_new (NULL, FALSE), NULL };
      gint64 started;
      guint16 port;

      od_fake_smtp_server_set_address (server, open);
      g_assert_true (od_fake_smtp_server_start (server, &error));
      g_assert_no_error (error);
      port = od_fake_smtp_server_get_port (server);
      hole = od_test_blackhole_new (dropped, port, &error);
      g_assert_no_error (error);

      connect = od_connect_new ("dual.test", port, NULL);
      lookup (connect, 1000, &wait);
      od_connect_set_attempt_timeout (connect, 10000);
      started = g_get_monotonic_time ();
      od_connect_connect_async (connect, 15000, NULL, wait_cb, &wait);
      g_assert_true (od_connect_connect_finish (connect, wait_for (&wait), &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);

      ip = g_inet_address_to_string (g_inet_socket_address_get_address (od_connect_get_remote (connect)));
      g_assert_cmpstr (ip, ==, open);
      /* Only a lost IPv6 attempt is a warning; a lost IPv4 one is not worth one. */
      g_assert_true ((od_connect_get_ipv6_failure (connect) != NULL) == (i == 0));

      od_connect_close (connect);
      restore_resolver (previous);
    }
}

/* The families take turns: with many IPv4 addresses first, an IPv6 one is still among the
 * few tried, second. */
static void
test_interleave (void)
{
  const char * const ips[] = { "127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5",
                               "::1", "::2", NULL };
  GResolver *previous = install_resolver ("mixed.test", ips);
  g_autoptr(OdConnect) connect = od_connect_new ("mixed.test", 25, NULL);
  g_auto(Wait) wait = { g_main_loop_new (NULL, FALSE), NULL };
  const char *expected[] = { "127.0.0.1", "::1", "127.0.0.2", "::2" };
  guint i = 0;

  lookup (connect, 1000, &wait);
  g_assert_cmpuint (g_list_length (od_connect_get_addresses (connect)), ==,
                    G_N_ELEMENTS (expected));
  for (GList *l = od_connect_get_addresses (connect); l != NULL; l = l->next, i++)
    {
      g_autofree char *ip = g_inet_address_to_string (l->data);

      g_assert_cmpstr (ip, ==, expected[i]);
    }

  restore_resolver (previous);
}

/* The whole stage's deadline ends it, whatever is left to try. */
static void
test_stage_timeout (void)
{
  guint16 port = od_test_find_free_port ();
  g_autoptr(OdTestBlackhole) hole = NULL;
  g_autoptr(OdConnect) connect = od_connect_new ("127.0.0.5", port, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Wait) wait = { g_main_loop_new (NULL, FALSE), NULL };
  gint64 started;

  hole = od_test_blackhole_new ("127.0.0.5", port, &error);
  g_assert_no_error (error);

  lookup (connect, 1000, &wait);
  started = g_get_monotonic_time ();
  od_connect_connect_async (connect, 300, NULL, wait_cb, &wait);
  g_assert_false (od_connect_connect_finish (connect, wait_for (&wait), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);
}

/* The caller's cancellable is a cancel, not a time-out, and it is quick. */
static void
test_cancel (void)
{
  guint16 port = od_test_find_free_port ();
  g_autoptr(OdTestBlackhole) hole = NULL;
  g_autoptr(OdConnect) connect = od_connect_new ("127.0.0.6", port, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_auto(Wait) wait = { g_main_loop_new (NULL, FALSE), NULL };
  gint64 started;

  hole = od_test_blackhole_new ("127.0.0.6", port, &error);
  g_assert_no_error (error);

  lookup (connect, 1000, &wait);
  od_connect_connect_async (connect, 10000, cancellable, wait_cb, &wait);
  g_timeout_add_once (100, (GSourceOnceFunc)g_cancellable_cancel, cancellable);
  started = g_get_monotonic_time ();
  g_assert_false (od_connect_connect_finish (connect, wait_for (&wait), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC);
}

static void
test_lookup_errors (void)
{
  const char * const ips[] = { "127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4",
                               "127.0.0.5", "127.0.0.6", NULL };
  GResolver *previous = install_resolver ("many.test", ips);
  g_autoptr(GResolver) current = g_resolver_get_default ();
  g_autoptr(OdConnect) many = od_connect_new ("many.test", 25, NULL);
  g_autoptr(OdConnect) missing = od_connect_new ("missing.test", 25, NULL);
  g_autoptr(OdConnect) slow = od_connect_new ("many.test", 25, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(Wait) wait = { g_main_loop_new (NULL, FALSE), NULL };

  /* Only the first few addresses: each has a deadline of its own. */
  lookup (many, 1000, &wait);
  g_assert_cmpuint (g_list_length (od_connect_get_addresses (many)), ==,
                    OD_CONNECT_MAX_ADDRESSES);

  od_connect_lookup_async (missing, 1000, NULL, wait_cb, &wait);
  g_assert_false (od_connect_lookup_finish (missing, wait_for (&wait), &error));
  g_assert_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A resolver that does not answer in time: a temporary failure, said so. */
  od_test_resolver_set_delay_ms (OD_TEST_RESOLVER (current), 2000);
  od_connect_lookup_async (slow, 200, NULL, wait_cb, &wait);
  g_assert_false (od_connect_lookup_finish (slow, wait_for (&wait), &error));
  g_assert_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE);
  g_assert_nonnull (strstr (error->message, "timed out"));

  g_clear_object (&current);
  restore_resolver (previous);
}

static gboolean
handshake (OdConnect  *connect,
           guint       timeout_ms,
           GError    **error)
{
  g_auto(Wait) wait = { g_main_loop_new (NULL, FALSE), NULL };
  g_autoptr(GError) connect_error = NULL;

  lookup (connect, 1000, &wait);
  od_connect_connect_async (connect, 1000, NULL, wait_cb, &wait);
  g_assert_true (od_connect_connect_finish (connect, wait_for (&wait), &connect_error));
  g_assert_no_error (connect_error);

  od_connect_handshake_async (connect, timeout_ms, NULL, wait_cb, &wait);
  return od_connect_handshake_finish (connect, wait_for (&wait), error);
}

static void
test_implicit_tls (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (OD_TEST_CERT_GOOD, TRUE);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdConnect) connect = od_connect_new ("localhost", od_fake_smtp_server_get_port (server),
                                                 transcript);
  OdTlsClient *tls = od_connect_get_tls_client (connect);
  g_autoptr(GError) error = NULL;

  od_tls_client_set_ca_file (tls, od_test_certs_get_ca_file (certs));
  g_assert_true (handshake (connect, 2000, &error));
  g_assert_no_error (error);

  g_assert_true (G_IS_TLS_CONNECTION (od_connect_get_stream (connect)));
  g_assert_true (od_tls_client_get_established (tls));
  g_assert_nonnull (od_tls_client_get_tls_info (tls));
  g_assert_true (od_tls_info_get_verified (od_tls_client_get_tls_info (tls)));
  g_assert_cmpint (od_tls_client_get_errors (tls), ==, 0);
  g_assert_true (transcript_has (transcript, "TLS started"));

  od_connect_close (connect);
}

/* A certificate that fails verification: refused, with what was wrong kept for the
 * diagnosis; the same certificate pinned is accepted. */
static void
test_untrusted_and_pinned (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (OD_TEST_CERT_SELF_SIGNED, TRUE);
  guint16 port = od_fake_smtp_server_get_port (server);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdConnect) refused = od_connect_new ("localhost", port, NULL);
  g_autoptr(OdConnect) pinned = od_connect_new ("localhost", port, transcript);
  OdTlsClient *tls = od_connect_get_tls_client (refused);
  g_autoptr(GError) error = NULL;
  const char *pins[] = { NULL, NULL };

  od_tls_client_set_ca_file (tls, od_test_certs_get_ca_file (certs));
  g_assert_false (handshake (refused, 2000, &error));
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_false (od_tls_client_get_established (tls));
  g_assert_nonnull (od_tls_client_get_tls_info (tls));
  g_assert_true (od_tls_client_get_errors (tls) & G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_clear_error (&error);

  pins[0] = od_tls_info_get_fingerprint (od_tls_client_get_tls_info (tls));
  od_tls_client_set_pinned_fingerprints (od_connect_get_tls_client (pinned), pins);
  g_assert_true (handshake (pinned, 2000, &error));
  g_assert_no_error (error);
  g_assert_true (transcript_has (transcript, "matches the fingerprint you trusted"));

  od_connect_close (refused);
  od_connect_close (pinned);
}

/* A server that never starts TLS: the handshake's deadline says so as a time-out. */
static void
test_handshake_timeout (void)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdConnect) connect = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  od_fake_smtp_server_set_greeting_delay_ms (server, 10000);
  g_assert_true (od_fake_smtp_server_start (server, &error));
  connect = od_connect_new ("127.0.0.1", od_fake_smtp_server_get_port (server), transcript);

  started = g_get_monotonic_time ();
  g_assert_false (handshake (connect, 300, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 3 * G_USEC_PER_SEC);
  g_assert_true (transcript_has (transcript, "No answer from the server"));

  od_connect_close (connect);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/od/connect/ip-literal", test_ip_literal);
  g_test_add_func ("/od/connect/next-address", test_next_address);
  g_test_add_func ("/od/connect/all-refused", test_all_refused);
  g_test_add_func ("/od/connect/attempt-delay", test_attempt_delay);
  g_test_add_func ("/od/connect/attempt-timeout", test_attempt_timeout);
  g_test_add_func ("/od/connect/happy-eyeballs", test_happy_eyeballs);
  g_test_add_func ("/od/connect/interleave", test_interleave);
  g_test_add_func ("/od/connect/stage-timeout", test_stage_timeout);
  g_test_add_func ("/od/connect/cancel", test_cancel);
  g_test_add_func ("/od/connect/lookup-errors", test_lookup_errors);
  g_test_add_func ("/od/connect/implicit-tls", test_implicit_tls);
  g_test_add_func ("/od/connect/untrusted-and-pinned", test_untrusted_and_pinned);
  g_test_add_func ("/od/connect/handshake-timeout", test_handshake_timeout);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
