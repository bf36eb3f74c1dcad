/* test-certificate-pinning.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Certificates the user chose to trust, against our fake server: a pinned certificate that
 * fails verification is accepted (and the login goes ahead); any other certificate on a
 * pinned host and port, even one that verifies, is tls-certificate-changed, shows the old
 * and new fingerprints, and never gets the password. */

#include "config.h"

#include <string.h>

#include "od-account.h"
#include "od-check-report.h"
#include "od-check.h"
#include "od-fake-smtp-server.h"
#include "od-test-certs.h"

#define USER     "user@example.org"
#define PASSWORD "Tr0ub4dor&3 horse"
#define OTHER_FP "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"

static OdTestCerts *certs;

/* The SHA-256 fingerprint of a certificate, computed here independently of the engine. */
static char *
fingerprint_of (const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, kind, &error);
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *raw = NULL;

  g_assert_no_error (error);
  g_object_get (cert, "certificate", &der, NULL);
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  raw = g_ascii_strup (hex, -1);

  return od_fingerprint_normalize (raw);
}

static OdFakeSmtpServer *
start_server (const char *kind,
              gboolean    implicit_tls)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = od_test_certs_load (certs, kind, &error);
  g_assert_no_error (error);
  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_implicit_tls (server, implicit_tls);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);
  g_assert_true (od_fake_smtp_server_start (server, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&server);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  od_check_run_finish (OD_CHECK (object), result, &error);
  g_assert_no_error (error);
  g_main_loop_quit (user_data);
}

static OdCheck *
run_check (OdFakeSmtpServer   *server,
           OdSecurity          security,
           const char * const *pins)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  OdCheck *check = od_check_new (USER, "localhost", od_fake_smtp_server_get_port (server),
                                 security);

  od_check_set_password (check, PASSWORD);
  od_check_set_step_timeout (check, 5000);
  od_check_set_total_timeout (check, 20000);
  /* The test CA is trusted: the "good" certificate verifies, the self-signed one does not. */
  od_check_set_ca_file (check, od_test_certs_get_ca_file (certs));
  if (pins != NULL)
    od_check_set_pinned_fingerprints (check, pins);

  od_check_run_async (check, NULL, run_cb, loop);
  g_main_loop_run (loop);

  return check;
}

static gboolean
auth_was_sent (OdFakeSmtpServer *server)
{
  GPtrArray *commands = od_fake_smtp_server_get_commands (server);

  for (guint i = 0; i < commands->len; i++)
    {
      if (g_ascii_strncasecmp (g_ptr_array_index (commands, i), "AUTH", 4) == 0)
        return TRUE;
    }

  return FALSE;
}

static OdStepState
state_of (OdCheck    *check,
          const char *step_id)
{
  return od_check_step_get_state (od_checklist_get_step (od_check_get_checklist (check), step_id));
}

static void
assert_changed (OdCheck          *check,
                OdFakeSmtpServer *server,
                const char       *new_fp,
                const char       *old_fp)
{
  OdCheckStep *tls = od_checklist_get_step (od_check_get_checklist (check), OD_STEP_TLS);
  OdProblem *problem = od_check_step_get_problem (tls);
  g_autoptr(JsonNode) json = od_check_report_to_json (check);
  g_autofree char *text = json_to_string (json, FALSE);
  const char *detail = od_check_step_get_detail (tls);

  g_assert_cmpint (od_checklist_get_verdict (od_check_get_checklist (check)), ==,
                   OD_STEP_STATE_FAIL);
  g_assert_cmpint (od_check_step_get_state (tls), ==, OD_STEP_STATE_FAIL);
  g_assert_nonnull (problem);
  g_assert_cmpstr (od_problem_get_id (problem), ==, "tls-certificate-changed");
  g_assert_cmpint (od_problem_get_severity (problem), ==, OD_SEVERITY_ERROR);
  g_assert_nonnull (strstr (od_problem_get_summary (problem), "localhost"));
  g_assert_cmpstr (od_problem_get_remedy (problem), !=, "");

  /* Both fingerprints are shown, so the user can compare. */
  g_assert_nonnull (strstr (detail, new_fp));
  g_assert_nonnull (strstr (detail, old_fp));
  g_assert_nonnull (strstr (text, "\"tls-certificate-changed\""));

  g_assert_cmpint (state_of (check, OD_STEP_AUTH), ==, OD_STEP_STATE_SKIP);
  g_assert_false (auth_was_sent (server));
  g_assert_null (strstr (text, PASSWORD));
}

static void
test_pinned_self_signed_accepted (gconstpointer data)
{
  gboolean implicit_tls = GPOINTER_TO_INT (data);
  g_autofree char *fp = fingerprint_of (OD_TEST_CERT_SELF_SIGNED);
  const char * const pins[] = { OTHER_FP, fp, NULL };
  g_autoptr(OdFakeSmtpServer) server = start_server (OD_TEST_CERT_SELF_SIGNED, implicit_tls);
  g_autoptr(OdCheck) check = run_check (server,
                                        implicit_tls ? OD_SECURITY_TLS : OD_SECURITY_STARTTLS,
                                        pins);
  OdCheckStep *tls = od_checklist_get_step (od_check_get_checklist (check), OD_STEP_TLS);

  g_assert_cmpint (od_checklist_get_verdict (od_check_get_checklist (check)), !=,
                   OD_STEP_STATE_FAIL);
  g_assert_cmpint (od_check_step_get_state (tls), ==, OD_STEP_STATE_PASS);
  g_assert_nonnull (strstr (od_check_step_get_detail (tls), "you chose to trust"));
  g_assert_cmpstr (od_tls_info_get_fingerprint (od_check_get_tls_info (check)), ==, fp);
  g_assert_cmpint (state_of (check, OD_STEP_AUTH), ==, OD_STEP_STATE_PASS);
  g_assert_cmpint (state_of (check, OD_STEP_RECIPIENT), ==, OD_STEP_STATE_PASS);
}

static void
test_pinned_other_fails_verification (gconstpointer data)
{
  gboolean implicit_tls = GPOINTER_TO_INT (data);
  g_autofree char *fp = fingerprint_of (OD_TEST_CERT_SELF_SIGNED);
  const char * const pins[] = { OTHER_FP, NULL };
  g_autoptr(OdFakeSmtpServer) server = start_server (OD_TEST_CERT_SELF_SIGNED, implicit_tls);
  g_autoptr(OdCheck) check = run_check (server,
                                        implicit_tls ? OD_SECURITY_TLS : OD_SECURITY_STARTTLS,
                                        pins);

  assert_changed (check, server, fp, OTHER_FP);
}

/* A certificate that verifies is still not accepted silently in place of a pinned one. */
static void
test_pinned_other_verifies (gconstpointer data)
{
  gboolean implicit_tls = GPOINTER_TO_INT (data);
  g_autofree char *good = fingerprint_of (OD_TEST_CERT_GOOD);
  g_autofree char *self_signed = fingerprint_of (OD_TEST_CERT_SELF_SIGNED);
  const char * const pins[] = { self_signed, NULL };
  g_autoptr(OdFakeSmtpServer) server = start_server (OD_TEST_CERT_GOOD, implicit_tls);
  g_autoptr(OdCheck) check = run_check (server,
                                        implicit_tls ? OD_SECURITY_TLS : OD_SECURITY_STARTTLS,
                                        pins);

  assert_changed (check, server, good, self_signed);
}

static void
test_pinned_good_accepted (void)
{
  g_autofree char *good = fingerprint_of (OD_TEST_CERT_GOOD);
  const char * const pins[] = { good, NULL };
  g_autoptr(OdFakeSmtpServer) server = start_server (OD_TEST_CERT_GOOD, FALSE);
  g_autoptr(OdCheck) check = run_check (server, OD_SECURITY_STARTTLS, pins);

  g_assert_cmpint (state_of (check, OD_STEP_TLS), ==, OD_STEP_STATE_PASS);
  g_assert_cmpint (state_of (check, OD_STEP_AUTH), ==, OD_STEP_STATE_PASS);
}

/* Without pins, nothing changes: a self-signed certificate is untrusted. */
static void
test_no_pins_untrusted (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_server (OD_TEST_CERT_SELF_SIGNED, TRUE);
  g_autoptr(OdCheck) check = run_check (server, OD_SECURITY_TLS, NULL);
  OdProblem *problem = od_check_step_get_problem (od_checklist_get_step (od_check_get_checklist (check),
                                                                         OD_STEP_TLS));

  g_assert_nonnull (problem);
  g_assert_cmpstr (od_problem_get_id (problem), ==, "tls-certificate-untrusted");
  g_assert_false (auth_was_sent (server));
}

/* The account hands the check the pins of its own host and port only. */
static void
test_account_pins_per_port (void)
{
  g_autofree char *fp = fingerprint_of (OD_TEST_CERT_SELF_SIGNED);
  g_autoptr(OdFakeSmtpServer) server = start_server (OD_TEST_CERT_SELF_SIGNED, TRUE);
  g_autoptr(OdAccount) account = od_account_new ("user-example-org", USER);
  guint16 port = od_fake_smtp_server_get_port (server);
  g_auto(GStrv) this_port = NULL;
  g_auto(GStrv) other_port = NULL;
  g_autoptr(OdCheck) check = NULL;
  OdProblem *problem;

  /* Trusted on another port of the same host: does not apply here. */
  g_assert_true (od_account_add_pinned_fingerprint (account, "localhost", port == 65535 ? 1 : port + 1, fp));
  this_port = od_account_dup_pinned_fingerprints (account, "localhost", port);
  g_assert_null (this_port);
  check = run_check (server, OD_SECURITY_TLS, (const char * const *)this_port);
  problem = od_check_step_get_problem (od_checklist_get_step (od_check_get_checklist (check),
                                                              OD_STEP_TLS));
  g_assert_cmpstr (od_problem_get_id (problem), ==, "tls-certificate-untrusted");
  g_clear_object (&check);

  g_assert_true (od_account_add_pinned_fingerprint (account, "LOCALHOST", port, fp));
  other_port = od_account_dup_pinned_fingerprints (account, "localhost", port);
  check = run_check (server, OD_SECURITY_TLS, (const char * const *)other_port);
  g_assert_cmpint (state_of (check, OD_STEP_TLS), ==, OD_STEP_STATE_PASS);
  g_assert_cmpint (state_of (check, OD_STEP_AUTH), ==, OD_STEP_STATE_PASS);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);

  g_test_add_data_func ("/od/pinning/pinned-self-signed-accepted/tls", GINT_TO_POINTER (TRUE),
                        test_pinned_self_signed_accepted);
  g_test_add_data_func ("/od/pinning/pinned-self-signed-accepted/starttls", GINT_TO_POINTER (FALSE),
                        test_pinned_self_signed_accepted);
  g_test_add_data_func ("/od/pinning/changed-unverified/tls", GINT_TO_POINTER (TRUE),
                        test_pinned_other_fails_verification);
  g_test_add_data_func ("/od/pinning/changed-unverified/starttls", GINT_TO_POINTER (FALSE),
                        test_pinned_other_fails_verification);
  g_test_add_data_func ("/od/pinning/changed-verified/tls", GINT_TO_POINTER (TRUE),
                        test_pinned_other_verifies);
  g_test_add_data_func ("/od/pinning/changed-verified/starttls", GINT_TO_POINTER (FALSE),
                        test_pinned_other_verifies);
  g_test_add_func ("/od/pinning/pinned-good-accepted", test_pinned_good_accepted);
  g_test_add_func ("/od/pinning/no-pins-untrusted", test_no_pins_untrusted);
  g_test_add_func ("/od/pinning/account-pins-per-port", test_account_pins_per_port);

  ret = g_test_run ();
  od_test_certs_free (certs);

  return ret;
}
