/* test-check.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The check's state machine: its steps in the order of the conversation, the login method
 * it chooses, the main problem, skipped steps, a cancel and the whole-run deadline. The
 * one-scenario-per-problem tests are in tests/integration/test-check-scenarios.c. */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "od-check.h"
#include "od-fake-smtp-server.h"
#include "od-test-certs.h"
#include "od-test-discovery.h"

#define USER     "user@example.org"
#define PASSWORD "s3cret pass"

static OdTestCerts *certs;

static OdFakeSmtpServer *
start_server (gboolean implicit_tls)
{
  OdFakeSmtpServer *server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);
  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_implicit_tls (server, implicit_tls);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);

  return server;
}

static OdCheck *
new_check (OdFakeSmtpServer *server,
           OdSecurity        security,
           const char       *password)
{
  g_autoptr(GError) error = NULL;
  OdCheck *check;

  if (od_fake_smtp_server_get_port (server) == 0)
    g_assert_true (od_fake_smtp_server_start (server, &error));
  g_assert_no_error (error);

  check = od_check_new (USER, "localhost", od_fake_smtp_server_get_port (server), security);
  od_check_set_ca_file (check, od_test_certs_get_ca_file (certs));
  od_check_set_password (check, password);
  od_check_set_step_timeout (check, 2000);

  return check;
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static OdStepState
run (OdCheck       *check,
     GCancellable  *cancellable,
     GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  od_check_run_async (check, cancellable, run_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return od_check_run_finish (check, result, error);
}

static OdStepState
state_of (OdCheck    *check,
          const char *step_id)
{
  return od_check_step_get_state (od_checklist_get_step (od_check_get_checklist (check),
                                                         step_id));
}

static void
step_state_cb (OdCheckStep *step,
               GParamSpec  *pspec,
               GPtrArray   *started)
{
  if (od_check_step_get_state (step) == OD_STEP_STATE_RUNNING)
    g_ptr_array_add (started, g_strdup (od_check_step_get_id (step)));
}

/* The steps start in the order of the conversation, and a good server passes every one:
 * with implicit TLS that is the contract's order; with STARTTLS, encryption starts after the
 * first EHLO. */
static void
test_order (void)
{
  static const char * const starttls_order[] = {
    OD_STEP_NETWORK, OD_STEP_DNS, OD_STEP_CONNECT, OD_STEP_GREETING, OD_STEP_EHLO, OD_STEP_TLS,
    OD_STEP_AUTH, OD_STEP_SENDER, OD_STEP_RECIPIENT, OD_STEP_DATA, NULL
  };

  for (guint implicit = 0; implicit <= 1; implicit++)
    {
      g_autoptr(OdFakeSmtpServer) server = start_server (implicit);
      g_autoptr(OdCheck) check = new_check (server, implicit ? OD_SECURITY_TLS
                                                             : OD_SECURITY_STARTTLS,
                                            PASSWORD);
      g_autoptr(GPtrArray) started = g_ptr_array_new_with_free_func (g_free);
      const char * const *ids = implicit ? od_checklist_get_step_ids () : starttls_order;
      GListModel *steps = G_LIST_MODEL (od_check_get_checklist (check));
      g_autoptr(GError) error = NULL;

      for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
        {
          g_autoptr(OdCheckStep) step = g_list_model_get_item (steps, i);
          g_signal_connect (step, "notify::state", G_CALLBACK (step_state_cb), started);
        }

      od_check_set_send_test (check, TRUE);
      g_assert_cmpint (run (check, NULL, &error), ==, OD_STEP_STATE_PASS);
      g_assert_no_error (error);

      g_assert_cmpuint (started->len, ==, g_strv_length ((char **)ids));
      for (guint i = 0; ids[i] != NULL; i++)
        {
          g_assert_cmpstr (g_ptr_array_index (started, i), ==, ids[i]);
          g_assert_cmpint (state_of (check, ids[i]), ==, OD_STEP_STATE_PASS);
        }

      g_assert_true (od_check_get_has_password (check));
      g_assert_cmpstr (od_check_get_auth_mechanism (check), ==, "PLAIN");
      g_assert_null (od_checklist_get_main_problem (od_check_get_checklist (check)));
      g_assert_nonnull (od_check_get_tls_info (check));
      g_assert_cmpuint (od_fake_smtp_server_get_n_messages (server), ==, 1);

      for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
        {
          g_autoptr(OdCheckStep) step = g_list_model_get_item (steps, i);
          g_signal_handlers_disconnect_by_data (step, started);
        }
    }
}

/* Implicit TLS comes before the greeting; the envelope ends with RSET. */
static void
test_implicit_tls_envelope (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (TRUE);
  g_autoptr(OdCheck) check = new_check (server, OD_SECURITY_TLS, PASSWORD);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run (check, NULL, &error), ==, OD_STEP_STATE_PASS);
  g_assert_cmpint (state_of (check, OD_STEP_TLS), ==, OD_STEP_STATE_PASS);
  g_assert_cmpint (state_of (check, OD_STEP_DATA), ==, OD_STEP_STATE_SKIP);
  g_assert_cmpuint (od_fake_smtp_server_get_n_messages (server), ==, 0);
}

/* The login method: PLAIN, then LOGIN, then CRAM-MD5, whichever the server offers first. */
static void
test_mechanism (void)
{
  static const struct {
    const char *offered;
    const char *chosen;
  } cases[] = {
    { "AUTH LOGIN CRAM-MD5", "LOGIN" },
    { "AUTH CRAM-MD5", "CRAM-MD5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OdFakeSmtpServer) server = start_server (TRUE);
      g_autoptr(OdCheck) check = NULL;
      g_autoptr(GError) error = NULL;

      od_fake_smtp_server_set_capabilities (server, NULL, cases[i].offered);
      check = new_check (server, OD_SECURITY_TLS, PASSWORD);
      g_assert_cmpint (run (check, NULL, &error), ==, OD_STEP_STATE_PASS);
      g_assert_cmpstr (od_check_get_auth_mechanism (check), ==, cases[i].chosen);
    }
}

/* Without a password the login is skipped, and so is the method. */
static void
test_no_password (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (TRUE);
  g_autoptr(OdCheck) check = new_check (server, OD_SECURITY_TLS, NULL);
  g_autoptr(GError) error = NULL;

  run (check, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (od_check_get_has_password (check));
  g_assert_cmpint (state_of (check, OD_STEP_AUTH), ==, OD_STEP_STATE_SKIP);
  g_assert_null (od_check_get_auth_mechanism (check));
}

/* A failed login: the main problem is the login's, the steps after it are skipped, and the
 * method it tried is not reported as working. */
static void
test_failure (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (TRUE);
  g_autoptr(OdCheck) check = new_check (server, OD_SECURITY_TLS, "wrong");
  g_autoptr(GError) error = NULL;
  OdProblem *problem;

  g_assert_cmpint (run (check, NULL, &error), ==, OD_STEP_STATE_FAIL);
  g_assert_no_error (error);

  problem = od_checklist_get_main_problem (od_check_get_checklist (check));
  g_assert_nonnull (problem);
  g_assert_cmpint (od_problem_get_kind (problem), ==, OD_PROBLEM_AUTH_FAILED);
  g_assert_true (od_problem_has_fix (problem, OD_FIX_REENTER_PASSWORD));
  g_assert_null (od_check_get_auth_mechanism (check));

  for (const char * const *id = (const char * const []) { OD_STEP_SENDER, OD_STEP_RECIPIENT,
                                                          OD_STEP_DATA, NULL };
       *id != NULL; id++)
    {
      OdCheckStep *step = od_checklist_get_step (od_check_get_checklist (check), *id);

      g_assert_cmpint (od_check_step_get_state (step), ==, OD_STEP_STATE_SKIP);
      g_assert_cmpstr (od_check_step_get_detail (step), ==,
                       "Not checked because an earlier step failed.");
    }
}

/* Cancelled while the server is silent: an error for the caller, a skipped step. */
static void
test_cancel (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (FALSE);
  g_autoptr(OdCheck) check = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 started;

  od_fake_smtp_server_set_hostile (server, OD_FAKE_SMTP_HOSTILE_BLACKHOLE);
  check = new_check (server, OD_SECURITY_STARTTLS, PASSWORD);

  g_timeout_add_once (100, (GSourceOnceFunc)g_cancellable_cancel, cancellable);
  started = g_get_monotonic_time ();
  g_assert_cmpint (run (check, cancellable, &error), ==, OD_STEP_STATE_FAIL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC);
  g_assert_cmpint (state_of (check, OD_STEP_GREETING), ==, OD_STEP_STATE_SKIP);
}

/* The whole run's deadline ends it as a time-out, not as a cancel. */
static void
test_total_deadline (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (TRUE);
  g_autoptr(OdCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  OdProblem *problem;
  gint64 started;

  od_fake_smtp_server_set_hostile (server, OD_FAKE_SMTP_HOSTILE_STALL_HANDSHAKE);
  check = new_check (server, OD_SECURITY_TLS, PASSWORD);
  od_check_set_step_timeout (check, 30000);
  od_check_set_total_timeout (check, 500);

  started = g_get_monotonic_time ();
  g_assert_cmpint (run (check, NULL, &error), ==, OD_STEP_STATE_FAIL);
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);

  problem = od_checklist_get_main_problem (od_check_get_checklist (check));
  g_assert_cmpstr (od_problem_get_step_id (problem), ==, OD_STEP_TLS);
  g_assert_cmpint (od_problem_get_kind (problem), ==, OD_PROBLEM_SERVER_TIMEOUT);
}

/* STARTTLS configured for an implicit-TLS port: a second connection tells why. */
static void
test_sniff (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (TRUE);
  g_autoptr(OdCheck) check = new_check (server, OD_SECURITY_STARTTLS, PASSWORD);
  g_autoptr(GError) error = NULL;
  OdProblem *problem;
  guint16 port;
  OdSecurity security;

  od_check_set_step_timeout (check, 500);
  g_assert_cmpint (run (check, NULL, &error), ==, OD_STEP_STATE_FAIL);

  problem = od_checklist_get_main_problem (od_check_get_checklist (check));
  g_assert_cmpint (od_problem_get_kind (problem), ==, OD_PROBLEM_ENCRYPTION_MISMATCH);
  g_assert_cmpstr (od_problem_get_step_id (problem), ==, OD_STEP_GREETING);
  g_assert_cmpuint (od_fake_smtp_server_get_n_connections (server), ==, 2);

  /* The suggestion is the mode the same port answered. */
  g_assert_true (od_problem_get_suggestion (problem, NULL, &port, &security));
  g_assert_cmpuint (port, ==, od_fake_smtp_server_get_port (server));
  g_assert_cmpint (security, ==, OD_SECURITY_TLS);
}

/* A port that hangs up as soon as the implicit-TLS handshake starts, and greets nobody in
 * plain text either: the handshake failed (a TLS-killing middlebox, an overloaded port),
 * which is no wrong encryption mode. And a port that greets in plain text is one. */
static void
test_handshake_broken_off (void)
{
  for (guint plain = 0; plain <= 1; plain++)
    {
      g_autoptr(OdFakeSmtpServer) server = start_server (FALSE);
      g_autoptr(OdCheck) check = NULL;
      g_autoptr(GError) error = NULL;
      OdProblem *problem;

      if (!plain)
        od_fake_smtp_server_set_greeting (server, OD_FAKE_SMTP_REPLY_CLOSE);
      check = new_check (server, OD_SECURITY_TLS, PASSWORD);
      g_assert_cmpint (run (check, NULL, &error), ==, OD_STEP_STATE_FAIL);

      problem = od_checklist_get_main_problem (od_check_get_checklist (check));
      g_assert_cmpstr (od_problem_get_step_id (problem), ==, OD_STEP_TLS);
      g_assert_cmpint (od_problem_get_kind (problem), ==,
                       plain ? OD_PROBLEM_ENCRYPTION_MISMATCH : OD_PROBLEM_TLS_HANDSHAKE_FAILED);
      g_assert_cmpuint (od_fake_smtp_server_get_n_connections (server), ==, 2);
    }
}

static void
test_bad_address (void)
{
  g_autoptr(OdCheck) check = od_check_new ("not an address", "localhost", 587,
                                           OD_SECURITY_STARTTLS);
  g_autoptr(GError) error = NULL;

  run (check, NULL, &error);
  g_assert_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT);
}

/* A CA file that cannot be read or holds no certificate is bad input, before anything
 * connects: a check with a pin must never run with the certificate's details unknown. */
static void
test_bad_ca_file (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (TRUE);
  g_autofree char *not_pem = NULL;
  const char * const pins[] = {
    "AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:"
    "AB:AB:AB", NULL
  };
  g_autoptr(GError) error = NULL;
  int fd;

  fd = g_file_open_tmp ("od-not-pem-XXXXXX", &not_pem, &error);
  g_assert_no_error (error);
  g_assert_cmpint (write (fd, "not a certificate\n", 18), ==, 18);
  close (fd);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(OdCheck) check = new_check (server, OD_SECURITY_TLS, PASSWORD);
      g_autoptr(GError) run_error = NULL;

      od_check_set_pinned_fingerprints (check, pins);
      od_check_set_ca_file (check, i == 0 ? not_pem : "/nonexistent/ca.pem");
      run (check, NULL, &run_error);
      g_assert_error (run_error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT);
    }

  g_assert_cmpuint (od_fake_smtp_server_get_n_connections (server), ==, 0);
  g_unlink (not_pem);
}

/* ---- The server's other ports --------------------------------------------------------- */

typedef enum
{
  PORT_WORKS,       /* a good server (implicit TLS on 465, STARTTLS elsewhere) */
  PORT_DROPPED,     /* a listener whose backlog is full: connects hang */
  PORT_REFUSED,     /* nothing listens */
} PortKind;

typedef struct
{
  GPtrArray *servers;  /* of OdFakeSmtpServer */
  GPtrArray *holes;    /* of OdTestBlackhole */
} Ports;

static void
ports_clear (Ports *ports)
{
  g_clear_pointer (&ports->servers, g_ptr_array_unref);
  g_clear_pointer (&ports->holes, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Ports, ports_clear)

/* A check of 127.0.0.1:@port with @security where the four submission ports behave as
 * @kinds says (465, 587, 2525, 25), each on a port of its own. */
static OdCheck *
check_with_ports (Ports          *ports,
                  guint16         port,
                  OdSecurity      security,
                  const PortKind  kinds[4])
{
  static const guint16 logical[] = { 465, 587, 2525, 25 };
  OdCheck *check = od_check_new (USER, "127.0.0.1", port, security);

  ports->servers = g_ptr_array_new_with_free_func (g_object_unref);
  ports->holes = g_ptr_array_new_with_free_func ((GDestroyNotify)od_test_blackhole_free);

  od_check_set_ca_file (check, od_test_certs_get_ca_file (certs));
  od_check_set_password (check, PASSWORD);

  for (guint i = 0; i < G_N_ELEMENTS (logical); i++)
    {
      g_autoptr(GError) error = NULL;
      guint16 real = od_test_find_free_port ();

      if (kinds[i] == PORT_WORKS)
        {
          OdFakeSmtpServer *server = start_server (logical[i] == 465);

          g_assert_true (od_fake_smtp_server_start (server, &error));
          real = od_fake_smtp_server_get_port (server);
          g_ptr_array_add (ports->servers, server);
        }
      else if (kinds[i] == PORT_DROPPED)
        {
          g_ptr_array_add (ports->holes, od_test_blackhole_new ("127.0.0.1", real, &error));
          g_assert_no_error (error);
        }
      od_check_map_port_for_testing (check, logical[i], real);
    }

  return check;
}

static OdProblem *
main_problem (OdCheck *check)
{
  OdProblem *problem = od_checklist_get_main_problem (od_check_get_checklist (check));

  g_assert_nonnull (problem);
  return problem;
}

/* 465 is dropped, 587 works: after 1.5 s without an answer the other ports are probed, and
 * at 3 s the check concludes port-blocked and suggests 587 with STARTTLS, instead of waiting
 * for the connect deadline. */
static void
test_silent_port_suggestion (void)
{
  const PortKind kinds[] = { PORT_DROPPED, PORT_WORKS, PORT_REFUSED, PORT_REFUSED };
  g_auto(Ports) ports = { 0 };
  g_autoptr(OdCheck) check = check_with_ports (&ports, 465, OD_SECURITY_TLS, kinds);
  g_autoptr(GError) error = NULL;
  OdProblem *problem;
  const char *host;
  guint16 port;
  OdSecurity security;

  od_check_set_step_timeout (check, 10000);
  g_assert_cmpint (run (check, NULL, &error), ==, OD_STEP_STATE_FAIL);
  g_assert_no_error (error);

  g_test_message ("concluded after %" G_GINT64_FORMAT " ms", od_check_get_elapsed_ms (check));
  g_assert_cmpint (od_check_get_elapsed_ms (check), >=, 2900);
  g_assert_cmpint (od_check_get_elapsed_ms (check), <, 4500);

  problem = main_problem (check);
  g_assert_cmpstr (od_problem_get_id (problem), ==, "port-blocked");
  g_assert_true (od_problem_get_suggestion (problem, &host, &port, &security));
  g_assert_cmpstr (host, ==, "127.0.0.1");
  g_assert_cmpuint (port, ==, 587);
  g_assert_cmpint (security, ==, OD_SECURITY_STARTTLS);
  g_assert_true (od_problem_has_fix (problem, OD_FIX_OTHER_PORT));
  g_assert_nonnull (strstr (od_problem_get_summary (problem), "Port 465 gets no answer"));
  g_assert_nonnull (strstr (od_problem_get_summary (problem), "port 587 with STARTTLS"));
  g_assert_cmpint (state_of (check, OD_STEP_NETWORK), ==, OD_STEP_STATE_PASS);
}

/* Every port is silent: the connect deadline stands, and the problem says that the other
 * ports did not answer either, without a suggestion. */
static void
test_every_port_silent (void)
{
  const PortKind kinds[] = { PORT_DROPPED, PORT_DROPPED, PORT_DROPPED, PORT_DROPPED };
  g_auto(Ports) ports = { 0 };
  g_autoptr(OdCheck) check = check_with_ports (&ports, 587, OD_SECURITY_STARTTLS, kinds);
  g_autoptr(GError) error = NULL;
  OdProblem *problem;

  od_check_set_step_timeout (check, 4000);
  g_assert_cmpint (run (check, NULL, &error), ==, OD_STEP_STATE_FAIL);

  g_assert_cmpint (od_check_get_elapsed_ms (check), >=, 3900);
  g_assert_cmpint (od_check_get_elapsed_ms (check), <, 5500);
  problem = main_problem (check);
  g_assert_cmpstr (od_problem_get_id (problem), ==, "port-blocked");
  g_assert_false (od_problem_get_suggestion (problem, NULL, NULL, NULL));
  g_assert_false (od_problem_has_fix (problem, OD_FIX_OTHER_PORT));
  g_assert_nonnull (strstr (od_problem_get_summary (problem), "every port tried (587, 465, 2525, 25)"));
}

/* A refused port waits for the other ports (not for a deadline) and suggests the one that
 * works; without one, connection-refused at once. */
static void
test_refused_port_suggestion (void)
{
  const PortKind with_465[] = { PORT_WORKS, PORT_REFUSED, PORT_REFUSED, PORT_REFUSED };
  const PortKind none[] = { PORT_REFUSED, PORT_REFUSED, PORT_REFUSED, PORT_REFUSED };

  for (guint i = 0; i < 2; i++)
    {
      g_auto(Ports) ports = { 0 };
      g_autoptr(OdCheck) check = check_with_ports (&ports, 587, OD_SECURITY_STARTTLS,
                                                   i == 0 ? with_465 : none);
      g_autoptr(GError) error = NULL;
      OdProblem *problem;
      guint16 port;
      OdSecurity security;

      od_check_set_step_timeout (check, 10000);
      g_assert_cmpint (run (check, NULL, &error), ==, OD_STEP_STATE_FAIL);
      g_assert_cmpint (od_check_get_elapsed_ms (check), <, 1500);

      problem = main_problem (check);
      g_assert_cmpstr (od_problem_get_id (problem), ==, "connection-refused");
      g_assert_true (od_problem_get_suggestion (problem, NULL, &port, &security) == (i == 0));
      if (i == 0)
        {
          g_assert_cmpuint (port, ==, 465);
          g_assert_cmpint (security, ==, OD_SECURITY_TLS);
          g_assert_nonnull (strstr (od_problem_get_remedy (problem), "465"));
        }
    }
}

/* Port 25 is suggested last: while 465 and 2525 may still answer it waits, and only when
 * they cannot does it become the suggestion. */
static void
test_port_25_last (void)
{
  const PortKind kinds[] = { PORT_DROPPED, PORT_DROPPED, PORT_DROPPED, PORT_WORKS };
  g_auto(Ports) ports = { 0 };
  g_autoptr(OdCheck) check = check_with_ports (&ports, 587, OD_SECURITY_STARTTLS, kinds);
  g_autoptr(GError) error = NULL;
  OdProblem *problem;
  guint16 port;

  od_check_set_step_timeout (check, 4000);
  g_assert_cmpint (run (check, NULL, &error), ==, OD_STEP_STATE_FAIL);

  /* Not at 3 s: 465 and 2525 were still being tried. */
  g_assert_cmpint (od_check_get_elapsed_ms (check), >=, 3900);
  problem = main_problem (check);
  g_assert_cmpstr (od_problem_get_id (problem), ==, "port-blocked");
  g_assert_true (od_problem_get_suggestion (problem, NULL, &port, NULL));
  g_assert_cmpuint (port, ==, 25);
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

  g_test_add_func ("/od/check/order", test_order);
  g_test_add_func ("/od/check/implicit-tls-envelope", test_implicit_tls_envelope);
  g_test_add_func ("/od/check/mechanism", test_mechanism);
  g_test_add_func ("/od/check/no-password", test_no_password);
  g_test_add_func ("/od/check/failure", test_failure);
  g_test_add_func ("/od/check/cancel", test_cancel);
  g_test_add_func ("/od/check/total-deadline", test_total_deadline);
  g_test_add_func ("/od/check/sniff", test_sniff);
  g_test_add_func ("/od/check/handshake-broken-off", test_handshake_broken_off);
  g_test_add_func ("/od/check/bad-address", test_bad_address);
  g_test_add_func ("/od/check/bad-ca-file", test_bad_ca_file);
  g_test_add_func ("/od/check/silent-port-suggestion", test_silent_port_suggestion);
  g_test_add_func ("/od/check/every-port-silent", test_every_port_silent);
  g_test_add_func ("/od/check/refused-port-suggestion", test_refused_port_suggestion);
  g_test_add_func ("/od/check/port-25-last", test_port_25_last);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
