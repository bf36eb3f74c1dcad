/* test-report.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The text report a help desk reads (Copy Report in the app) is wholly in the reader's
 * language: the result, every step's state, the headings and the transcript's own notes
 * ("TLS started", "Certificate accepted", the test message); only the problem ids, the
 * server's words and the commands stay as they are. The JSON keeps its machine words and
 * the transcript's notes as recorded. Run in English and, with OD_TEST_LANGUAGE=de, in
 * German (a real German locale, so dates are German too). */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-check-report.h"
#include "od-fake-smtp-server.h"
#include "od-format.h"
#include "od-test-certs.h"
#include "od-test-locale.h"

#define USER     "user@example.org"
#define PASSWORD "R3port pass-word"

static OdTestCerts *certs;
static const char *language;
static gboolean language_ready = TRUE;

static gboolean
is_german (void)
{
  return g_strcmp0 (language, "de") == 0;
}

static OdFakeSmtpServer *
start_server (const char *cert_kind,
              gboolean    implicit_tls)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = od_test_certs_load (certs, cert_kind, &error);
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
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static void
run (OdCheck *check)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  od_check_run_async (check, NULL, run_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  od_check_run_finish (check, result, &error);
  g_assert_no_error (error);
}

static void
save_report (const char *name,
             const char *text)
{
  g_autofree char *dir = g_build_filename (g_getenv ("OD_TEST_OUTPUT_DIR"), "report", NULL);
  g_autofree char *file = g_strdup_printf ("%s-%s.txt", name, language ? language : "en");
  g_autofree char *path = g_build_filename (dir, file, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

/* Every step line reads "[STATE] TITLE…" with STATE one of the words of the language. */
static void
assert_step_lines (const char *report,
                   guint       n_steps)
{
  g_auto(GStrv) lines = g_strsplit (report, "\n", -1);
  guint found = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *close = strchr (lines[i], ']');
      g_autofree char *state = NULL;
      gboolean known = FALSE;

      if (lines[i][0] != '[' || close == NULL)
        continue;

      state = g_strndup (lines[i] + 1, close - lines[i] - 1);
      for (OdStepState s = OD_STEP_STATE_PENDING; s <= OD_STEP_STATE_SKIP; s++)
        if (g_str_equal (state, od_step_state_describe (s)))
          known = TRUE;
      if (!known)
        g_error ("The step line “%s” does not start with a state in words", lines[i]);
      found++;
    }

  g_assert_cmpuint (found, ==, n_steps);
}

/* What every report must be, in either language. */
static void
assert_report (OdCheck    *check,
               const char *name)
{
  g_autofree char *report = od_check_report_to_text (check);
  g_autoptr(JsonNode) json = od_check_report_to_json (check);
  g_autofree char *json_text = json_to_string (json, FALSE);
  GListModel *steps = G_LIST_MODEL (od_check_get_checklist (check));
  OdTlsInfo *info = od_check_get_tls_info (check);
  g_autofree char *until = od_format_date (od_tls_info_get_not_after (info));

  save_report (name, report);
  g_test_message ("%s", report);

  g_assert_true (g_str_has_prefix (report, "Outbox Doctor " PACKAGE_VERSION "\n"));
  g_assert_null (strstr (report, PASSWORD));
  g_assert_null (strstr (json_text, PASSWORD));
  assert_step_lines (report, g_list_model_get_n_items (steps));
  /* The certificate's date, as the locale writes it. */
  g_assert_nonnull (strstr (report, until));

  /* The JSON keeps its machine words and the transcript's notes as recorded. */
  g_assert_nonnull (strstr (json_text, "\"status\":\"pass\""));
  g_assert_nonnull (strstr (json_text, "\"text\":\"TLS started: "));
  g_assert_null (strstr (json_text, "TLS gestartet"));

  if (is_german ())
    {
      od_test_locale_assert_no_english (report);

      g_assert_nonnull (strstr (report, "\nAdresse: " USER "\n"));
      g_assert_nonnull (strstr (report, "=== TLS gestartet: "));
      g_assert_nonnull (strstr (report, "Protokoll (Passwörter entfernt):"));
    }
  else
    {
      g_assert_nonnull (strstr (report, "\nAddress: " USER "\n"));
      g_assert_nonnull (strstr (report, "=== TLS started: "));
      g_assert_nonnull (strstr (report, "Transcript (passwords removed):"));
    }
}

/* A good run over implicit TLS with a certificate the user trusted, and a test message:
 * every kind of note the transcript has on a good day. */
static void
test_trusted_and_sent (void)
{
  g_autoptr(OdFakeSmtpServer) server = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(OdCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *report = NULL;
  const char *pins[2] = { NULL, NULL };

  if (!language_ready)
    {
      g_test_skip ("the locale of this language was not built");
      return;
    }

  server = start_server (OD_TEST_CERT_SELF_SIGNED, TRUE);
  cert = od_test_certs_load (certs, OD_TEST_CERT_SELF_SIGNED, &error);
  g_assert_no_error (error);
  fingerprint = od_tls_certificate_fingerprint (cert);
  pins[0] = fingerprint;

  check = od_check_new (USER, "localhost", od_fake_smtp_server_get_port (server),
                        OD_SECURITY_TLS);
  od_check_set_password (check, PASSWORD);
  od_check_set_pinned_fingerprints (check, pins);
  od_check_set_send_test (check, TRUE);
  od_check_set_step_timeout (check, 2000);
  run (check);

  g_assert_cmpint (od_checklist_get_verdict (od_check_get_checklist (check)), ==,
                   OD_STEP_STATE_PASS);
  assert_report (check, "trusted-and-sent");

  report = od_check_report_to_text (check);
  if (is_german ())
    {
      g_assert_nonnull (strstr (report, "Ergebnis: Bestanden\n"));
      g_assert_nonnull (strstr (report, "=== Zertifikat akzeptiert: "));
      g_assert_nonnull (strstr (report, "C~> (Nachricht mit "));
    }
  else
    {
      g_assert_nonnull (strstr (report, "Result: Passed\n"));
      g_assert_nonnull (strstr (report, "=== Certificate accepted: "));
      g_assert_nonnull (strstr (report, "C~> (message of "));
    }
}

/* A password the server refuses, over STARTTLS: a failed step, steps not checked, and the
 * problem with its remedy and the server's words. */
static void
test_wrong_password (void)
{
  g_autoptr(OdFakeSmtpServer) server = NULL;
  g_autoptr(OdCheck) check = NULL;
  g_autofree char *report = NULL;

  if (!language_ready)
    {
      g_test_skip ("the locale of this language was not built");
      return;
    }

  server = start_server (OD_TEST_CERT_GOOD, FALSE);
  check = od_check_new (USER, "localhost", od_fake_smtp_server_get_port (server),
                        OD_SECURITY_STARTTLS);
  od_check_set_ca_file (check, od_test_certs_get_ca_file (certs));
  od_check_set_password (check, "not the password");
  od_check_set_step_timeout (check, 2000);
  run (check);

  g_assert_cmpint (od_checklist_get_verdict (od_check_get_checklist (check)), ==,
                   OD_STEP_STATE_FAIL);
  assert_report (check, "wrong-password");

  report = od_check_report_to_text (check);
  g_assert_null (strstr (report, "not the password"));
  /* The id stays as it is, for searching, in every language. */
  g_assert_nonnull (strstr (report, " (auth-failed)\n"));
  if (is_german ())
    {
      g_assert_nonnull (strstr (report, "Server: localhost, Port "));
      g_assert_nonnull (strstr (report, ", STARTTLS\nErgebnis: Fehlgeschlagen\n"));
      g_assert_nonnull (strstr (report, "\n[Fehlgeschlagen] "));
      g_assert_nonnull (strstr (report, "\n[Nicht geprüft] "));
      g_assert_nonnull (strstr (report, "\nWas zu tun ist: "));
      g_assert_nonnull (strstr (report, "\nAntwort des Servers: 535"));
    }
  else
    {
      g_assert_nonnull (strstr (report, "Server: localhost, port "));
      g_assert_nonnull (strstr (report, ", STARTTLS\nResult: Failed\n"));
      g_assert_nonnull (strstr (report, "\n[Failed] Login: "));
      g_assert_nonnull (strstr (report, "\n[Not checked] "));
      g_assert_nonnull (strstr (report, "\nWhat to do: "));
      g_assert_nonnull (strstr (report, "\nThe server said: 535"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  language = g_getenv ("OD_TEST_LANGUAGE");
  if (language != NULL)
    language_ready = od_test_locale_use (language);

  g_test_init (&argc, &argv, NULL);

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/od/report/trusted-and-sent", test_trusted_and_sent);
  g_test_add_func ("/od/report/wrong-password", test_wrong_password);

  status = g_test_run ();
  od_test_certs_free (certs);

  return status;
}
