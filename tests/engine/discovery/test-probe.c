/* test-probe.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The probe, discovery's look at one candidate: the connector's way to the server, then
 * greeting, EHLO and STARTTLS, and never a login. Its outcome is written to the candidate.
 * Against our fake SMTP server and blackholes on loopback. */

#include "config.h"

#include <string.h>

#include "od-candidate-private.h"
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

/* Probes @candidate, connecting to @port, and returns whether it has an outcome. */
static gboolean
probe (OdCandidate   *candidate,
       guint16        port,
       guint          timeout_ms,
       GCancellable  *cancellable,
       GError       **error)
{
  g_autoptr(OdProbe) probe = od_probe_new (candidate);
  g_autoptr(GAsyncResult) result = NULL;

  od_probe_set_ca_file (probe, od_test_certs_get_ca_file (certs));
  od_probe_set_timeout (probe, timeout_ms);
  od_probe_set_connect_port (probe, port);
  od_probe_run_async (probe, cancellable, run_cb, &result);
  g_assert_cmpint (od_candidate_get_status (candidate), ==, OD_CANDIDATE_PROBING);

  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return od_probe_run_finish (probe, result, error);
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
  /* The candidate says 465; the probe connects to the fake server's port. */
  g_autoptr(OdCandidate) candidate = od_candidate_new ("localhost", 465, OD_SECURITY_TLS,
                                                       OD_SOURCE_GUESS, TRUE);
  g_autoptr(GError) error = NULL;
  const char * const *mechanisms;

  g_assert_true (probe (candidate, od_fake_smtp_server_get_port (server), 2000, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (od_candidate_get_status (candidate), ==, OD_CANDIDATE_OK);
  g_assert_true (od_candidate_get_connected (candidate));
  g_assert_cmpint (od_candidate_get_port (candidate), ==, 465);
  g_assert_nonnull (od_candidate_get_tls_info (candidate));
  g_assert_true (od_tls_info_get_verified (od_candidate_get_tls_info (candidate)));
  mechanisms = od_candidate_get_auth_mechanisms (candidate);
  g_assert_true (g_strv_contains (mechanisms, "PLAIN"));
  g_assert_null (od_candidate_get_problem (candidate));

  /* A probe never logs in, and says goodbye. */
  g_assert_false (sent_command (server, "AUTH"));
}

static void
test_starttls (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (OD_TEST_CERT_GOOD, FALSE);
  g_autoptr(OdCandidate) candidate = od_candidate_new ("localhost", 587, OD_SECURITY_STARTTLS,
                                                       OD_SOURCE_SRV, TRUE);
  g_autoptr(GError) error = NULL;

  g_assert_true (probe (candidate, od_fake_smtp_server_get_port (server), 2000, NULL, &error));
  g_assert_cmpint (od_candidate_get_status (candidate), ==, OD_CANDIDATE_OK);
  g_assert_true (od_candidate_get_starttls (candidate));
  g_assert_true (sent_command (server, "STARTTLS"));
  g_assert_false (sent_command (server, "AUTH"));
}

/* No STARTTLS: an outcome of its own, never a reason to go on in plain text. */
static void
test_starttls_not_offered (void)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(OdCandidate) candidate = od_candidate_new ("localhost", 587, OD_SECURITY_STARTTLS,
                                                       OD_SOURCE_GUESS, TRUE);
  g_autoptr(GError) error = NULL;

  od_fake_smtp_server_set_capabilities (server, "AUTH PLAIN LOGIN", NULL);
  g_assert_true (od_fake_smtp_server_start (server, &error));

  g_assert_true (probe (candidate, od_fake_smtp_server_get_port (server), 2000, NULL, &error));
  g_assert_cmpint (od_candidate_get_status (candidate), ==, OD_CANDIDATE_ERROR);
  g_assert_nonnull (od_candidate_get_problem (candidate));
  g_assert_cmpint (od_problem_get_kind (od_candidate_get_problem (candidate)), ==,
                   OD_PROBLEM_STARTTLS_NOT_OFFERED);
  g_assert_false (sent_command (server, "AUTH"));
}

/* A certificate error is a finding with the certificate's details. */
static void
test_untrusted (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (OD_TEST_CERT_SELF_SIGNED, TRUE);
  g_autoptr(OdCandidate) candidate = od_candidate_new ("localhost", 465, OD_SECURITY_TLS,
                                                       OD_SOURCE_GUESS, TRUE);
  g_autoptr(GError) error = NULL;

  g_assert_true (probe (candidate, od_fake_smtp_server_get_port (server), 2000, NULL, &error));
  g_assert_cmpint (od_candidate_get_status (candidate), ==, OD_CANDIDATE_TLS_ERROR);
  g_assert_nonnull (od_candidate_get_tls_info (candidate));
  g_assert_nonnull (strstr (od_candidate_get_detail (candidate), "SHA-256"));
  g_assert_cmpint (od_problem_get_kind (od_candidate_get_problem (candidate)), ==,
                   OD_PROBLEM_TLS_CERTIFICATE_UNTRUSTED);
  g_assert_true (od_problem_has_fix (od_candidate_get_problem (candidate),
                                     OD_FIX_TRUST_CERTIFICATE));
}

static void
test_refused_and_timeout (void)
{
  guint16 port = od_test_find_free_port ();
  g_autoptr(OdTestBlackhole) hole = NULL;
  g_autoptr(OdCandidate) refused = od_candidate_new ("127.0.0.1", 587, OD_SECURITY_STARTTLS,
                                                     OD_SOURCE_GUESS, TRUE);
  g_autoptr(OdCandidate) dropped = od_candidate_new ("127.0.0.7", 465, OD_SECURITY_TLS,
                                                     OD_SOURCE_GUESS, TRUE);
  g_autoptr(GError) error = NULL;
  gint64 started;

  g_assert_true (probe (refused, port, 2000, NULL, &error));
  g_assert_cmpint (od_candidate_get_status (refused), ==, OD_CANDIDATE_REFUSED);
  g_assert_false (od_candidate_get_connected (refused));

  hole = od_test_blackhole_new ("127.0.0.7", port, &error);
  g_assert_no_error (error);
  started = g_get_monotonic_time ();
  g_assert_true (probe (dropped, port, 300, NULL, &error));
  g_assert_cmpint (od_candidate_get_status (dropped), ==, OD_CANDIDATE_TIMEOUT);
  g_assert_false (od_candidate_get_connected (dropped));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (od_problem_get_kind (od_candidate_get_problem (dropped)), ==,
                   OD_PROBLEM_PORT_BLOCKED);
}

/* A server that connects but never greets: a time-out after the connection. */
static void
test_silent_server (void)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(OdCandidate) candidate = od_candidate_new ("127.0.0.1", 587, OD_SECURITY_STARTTLS,
                                                       OD_SOURCE_GUESS, TRUE);
  g_autoptr(GError) error = NULL;

  od_fake_smtp_server_set_hostile (server, OD_FAKE_SMTP_HOSTILE_BLACKHOLE);
  g_assert_true (od_fake_smtp_server_start (server, &error));

  g_assert_true (probe (candidate, od_fake_smtp_server_get_port (server), 300, NULL, &error));
  g_assert_cmpint (od_candidate_get_status (candidate), ==, OD_CANDIDATE_TIMEOUT);
  g_assert_true (od_candidate_get_connected (candidate));
}

static void
test_cancel (void)
{
  guint16 port = od_test_find_free_port ();
  g_autoptr(OdTestBlackhole) hole = NULL;
  g_autoptr(OdCandidate) candidate = od_candidate_new ("127.0.0.8", 465, OD_SECURITY_TLS,
                                                       OD_SOURCE_GUESS, TRUE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  hole = od_test_blackhole_new ("127.0.0.8", port, &error);
  g_assert_no_error (error);

  g_timeout_add_once (100, (GSourceOnceFunc)g_cancellable_cancel, cancellable);
  g_assert_false (probe (candidate, port, 10000, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Whoever cancelled decides the candidate's outcome. */
  g_assert_cmpint (od_candidate_get_status (candidate), ==, OD_CANDIDATE_PROBING);
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
  g_test_add_func ("/od/probe/refused-and-timeout", test_refused_and_timeout);
  g_test_add_func ("/od/probe/silent-server", test_silent_server);
  g_test_add_func ("/od/probe/cancel", test_cancel);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
