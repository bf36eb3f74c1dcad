/* test-probe.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The probe, the look at one server setting that discovery takes for every candidate and
 * the check for a silent port's neighbours: the connector's way to the server, then
 * greeting, EHLO and STARTTLS, and never a login. Against our fake SMTP server and
 * blackholes on loopback. */

#include "config.h"

#include <string.h>

#include "od-fake-smtp-server.h"
#include "od-probe.h"
#include "od-test-certs.h"
#include "od-test-discovery.h"

static OdTestCerts *certs;

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

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Probes @host:@port with @security, connecting to @connect_port, and returns the probe
 * once it has an outcome (or %NULL with @error when it was cancelled). */
static OdProbe *
probe (const char    *host,
       guint16        port,
       OdSecurity     security,
       guint16        connect_port,
       guint          timeout_ms,
       GCancellable  *cancellable,
       GError       **error)
{
  g_autoptr(OdProbe) probe = od_probe_new (host, port, security);
  g_autoptr(GAsyncResult) result = NULL;

  od_probe_set_ca_file (probe, od_test_certs_get_ca_file (certs));
  od_probe_set_timeout (probe, timeout_ms);
  od_probe_set_connect_port (probe, connect_port);
  od_probe_run_async (probe, cancellable, run_cb, &result);
  g_assert_true (od_probe_is_running (probe));

  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (od_probe_is_running (probe));
  if (!od_probe_run_finish (probe, result, error))
    return NULL;

  return g_steal_pointer (&probe);
}

static OdProblemKind
problem_kind (OdProbe *probe)
{
  g_assert_nonnull (od_probe_get_problem (probe));
  return od_problem_get_kind (od_probe_get_problem (probe));
}

static gboolean
sent_command (OdFakeSmtpServer *server,
              const char       *prefix)
{
  GPtrArray *commands = od_fake_smtp_server_get_commands (server);

  for (guint i = 0; i < commands->len; i++)
    {
      if (g_str_has_prefix (g_ptr_array_index (commands, i), prefix))
        return TRUE;
    }

  return FALSE;
}

static void
test_implicit_tls (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (OD_TEST_CERT_GOOD, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProbe) p = NULL;
  const char * const *mechanisms;

  /* The probe says 465; it connects to the fake server's port. */
  p = probe ("localhost", 465, OD_SECURITY_TLS, od_fake_smtp_server_get_port (server), 2000,
             NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (od_probe_get_status (p), ==, OD_PROBE_OK);
  g_assert_true (od_probe_get_connected (p));
  g_assert_cmpint (od_probe_get_port (p), ==, 465);
  g_assert_cmpint (od_probe_get_connected_ms (p), >=, 0);
  g_assert_cmpint (od_probe_get_elapsed_ms (p), >=, od_probe_get_connected_ms (p));
  g_assert_nonnull (od_probe_get_tls_info (p));
  g_assert_true (od_tls_info_get_verified (od_probe_get_tls_info (p)));
  mechanisms = od_probe_get_auth_mechanisms (p);
  g_assert_true (g_strv_contains (mechanisms, "PLAIN"));
  g_assert_null (od_probe_get_problem (p));

  /* A probe never logs in, and says goodbye. */
  g_assert_false (sent_command (server, "AUTH"));
}

static void
test_starttls (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (OD_TEST_CERT_GOOD, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProbe) p = NULL;

  p = probe ("localhost", 587, OD_SECURITY_STARTTLS, od_fake_smtp_server_get_port (server),
             2000, NULL, &error);
  g_assert_cmpint (od_probe_get_status (p), ==, OD_PROBE_OK);
  g_assert_true (od_probe_get_starttls (p));
  g_assert_true (sent_command (server, "STARTTLS"));
  g_assert_false (sent_command (server, "AUTH"));
}

/* No STARTTLS: an outcome of its own, never a reason to go on in plain text. */
static void
test_starttls_not_offered (void)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProbe) p = NULL;

  od_fake_smtp_server_set_capabilities (server, "AUTH PLAIN LOGIN", NULL);
  g_assert_true (od_fake_smtp_server_start (server, &error));

  p = probe ("localhost", 587, OD_SECURITY_STARTTLS, od_fake_smtp_server_get_port (server),
             2000, NULL, &error);
  g_assert_cmpint (od_probe_get_status (p), ==, OD_PROBE_ERROR);
  g_assert_cmpint (problem_kind (p), ==, OD_PROBLEM_STARTTLS_NOT_OFFERED);
  g_assert_false (sent_command (server, "AUTH"));
}

/* A certificate error is a finding with the certificate's details. */
static void
test_untrusted (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (OD_TEST_CERT_SELF_SIGNED, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProbe) p = NULL;

  p = probe ("localhost", 465, OD_SECURITY_TLS, od_fake_smtp_server_get_port (server), 2000,
             NULL, &error);
  g_assert_cmpint (od_probe_get_status (p), ==, OD_PROBE_TLS_ERROR);
  g_assert_nonnull (od_probe_get_tls_info (p));
  g_assert_nonnull (strstr (od_probe_get_detail (p), "SHA-256"));
  g_assert_cmpint (problem_kind (p), ==, OD_PROBLEM_TLS_CERTIFICATE_UNTRUSTED);
  g_assert_true (od_problem_has_fix (od_probe_get_problem (p), OD_FIX_TRUST_CERTIFICATE));
}

/* Implicit TLS to a port that greets in plain text: the handshake meets no TLS, and a
 * second connection hears the greeting: encryption-mismatch, on evidence. */
static void
test_plain_port_as_tls (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (OD_TEST_CERT_GOOD, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProbe) p = NULL;

  p = probe ("localhost", 587, OD_SECURITY_TLS, od_fake_smtp_server_get_port (server), 2000,
             NULL, &error);
  g_assert_cmpint (od_probe_get_status (p), ==, OD_PROBE_TLS_ERROR);
  g_assert_cmpint (problem_kind (p), ==, OD_PROBLEM_ENCRYPTION_MISMATCH);
  g_assert_cmpuint (od_fake_smtp_server_get_n_connections (server), ==, 2);
}

/* A port that hangs up as soon as the handshake starts (a TLS-killing middlebox, an
 * overloaded server), and greets nobody in plain text either: the handshake failed. It is
 * no encryption mismatch without a plain greeting. */
static void
test_reset_during_handshake (void)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProbe) p = NULL;

  od_fake_smtp_server_set_greeting (server, OD_FAKE_SMTP_REPLY_CLOSE);
  g_assert_true (od_fake_smtp_server_start (server, &error));

  p = probe ("localhost", 465, OD_SECURITY_TLS, od_fake_smtp_server_get_port (server), 2000,
             NULL, &error);
  g_assert_cmpint (od_probe_get_status (p), !=, OD_PROBE_OK);
  g_assert_cmpint (problem_kind (p), ==, OD_PROBLEM_TLS_HANDSHAKE_FAILED);
  /* The sniff's second connection heard nothing either. */
  g_assert_cmpuint (od_fake_smtp_server_get_n_connections (server), ==, 2);
}

static void
test_refused_and_timeout (void)
{
  guint16 port = od_test_find_free_port ();
  g_autoptr(OdTestBlackhole) hole = NULL;
  g_autoptr(OdProbe) refused = NULL;
  g_autoptr(OdProbe) dropped = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  refused = probe ("127.0.0.1", 587, OD_SECURITY_STARTTLS, port, 2000, NULL, &error);
  g_assert_cmpint (od_probe_get_status (refused), ==, OD_PROBE_REFUSED);
  g_assert_false (od_probe_get_connected (refused));
  g_assert_cmpint (problem_kind (refused), ==, OD_PROBLEM_CONNECTION_REFUSED);

  hole = od_test_blackhole_new ("127.0.0.7", port, &error);
  g_assert_no_error (error);
  started = g_get_monotonic_time ();
  dropped = probe ("127.0.0.7", 465, OD_SECURITY_TLS, port, 300, NULL, &error);
  g_assert_cmpint (od_probe_get_status (dropped), ==, OD_PROBE_TIMEOUT);
  g_assert_false (od_probe_get_connected (dropped));
  g_assert_cmpint (od_probe_get_connected_ms (dropped), ==, -1);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);
  /* Loopback is routed: silence there is a blocked port, not "offline". */
  g_assert_cmpint (problem_kind (dropped), ==, OD_PROBLEM_PORT_BLOCKED);
}

/* A server that connects but never greets: a time-out after the connection. */
static void
test_silent_server (void)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProbe) p = NULL;

  od_fake_smtp_server_set_hostile (server, OD_FAKE_SMTP_HOSTILE_BLACKHOLE);
  g_assert_true (od_fake_smtp_server_start (server, &error));

  p = probe ("127.0.0.1", 587, OD_SECURITY_STARTTLS, od_fake_smtp_server_get_port (server),
             300, NULL, &error);
  g_assert_cmpint (od_probe_get_status (p), ==, OD_PROBE_TIMEOUT);
  g_assert_true (od_probe_get_connected (p));
}

static void
test_cancel (void)
{
  guint16 port = od_test_find_free_port ();
  g_autoptr(OdTestBlackhole) hole = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProbe) p = NULL;

  hole = od_test_blackhole_new ("127.0.0.8", port, &error);
  g_assert_no_error (error);

  g_timeout_add_once (100, (GSourceOnceFunc)g_cancellable_cancel, cancellable);
  p = probe ("127.0.0.8", 465, OD_SECURITY_TLS, port, 10000, cancellable, &error);
  g_assert_null (p);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
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

  g_test_add_func ("/od/probe/implicit-tls", test_implicit_tls);
  g_test_add_func ("/od/probe/starttls", test_starttls);
  g_test_add_func ("/od/probe/starttls-not-offered", test_starttls_not_offered);
  g_test_add_func ("/od/probe/untrusted", test_untrusted);
  g_test_add_func ("/od/probe/plain-port-as-tls", test_plain_port_as_tls);
  g_test_add_func ("/od/probe/reset-during-handshake", test_reset_during_handshake);
  g_test_add_func ("/od/probe/refused-and-timeout", test_refused_and_timeout);
  g_test_add_func ("/od/probe/silent-server", test_silent_server);
  g_test_add_func ("/od/probe/cancel", test_cancel);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
