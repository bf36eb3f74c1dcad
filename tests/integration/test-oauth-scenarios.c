/* test-oauth-scenarios.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Signing in with an OAuth 2.0 access token (issue 17) against the fake SMTP server, which
 * runs XOAUTH2 and OAUTHBEARER and accepts only the expected token: the mechanism chosen from
 * what the server offers (OAUTHBEARER first), a long token sent after the 334, the login
 * step's detail (the token obtained and accepted), and every refusal the providers send
 * (their JSON error challenge, answered as each mechanism requires, and the final reply) →
 * its problem id and remedy: oauth-signin-required (Google's 401, Microsoft's 535 5.7.3, and
 * for GNOME Online Accounts' windows_live its own explanation), oauth-scope-missing
 * (insufficient_scope), oauth-admin-consent (AADSTS65001, AADSTS90094), oauth-policy-blocked
 * (policy_enforced); a token that could not be had (the connection steps still run); a
 * server without token login; and the same for receiving over IMAP and POP3. The token is in
 * no report, plain or inside a base64 blob. */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "od-check.h"
#include "od-check-report.h"
#include "od-fake-imap-server.h"
#include "od-fake-pop3-server.h"
#include "od-fake-smtp-server.h"
#include "od-test-certs.h"

#define USER   "oauth@example.org"
/* Both also in tests/data/test-passwords.tsv (marked "token"), so the final secret scan
 * looks for them in every form. */
#define TOKEN  "ya29.Fake-Access-Token_0123456789-abcdefghij-KLMNOPQRST-oauth"
#define ISSUER "GNOME Online Accounts"

static OdTestCerts *certs;

typedef struct
{
  const char *path;
  const char *caps;             /* after TLS; NULL: "AUTH XOAUTH2 OAUTHBEARER" */
  const char *token;            /* what the check sends; NULL: the right one */
  const char *error_json;       /* the server's error challenge; NULL: Google's */
  const char *final_reply;      /* after it; NULL: Google's 535 */
  const char *provider;         /* the issuer's provider type */
  const char *token_error;      /* no token: the issuer's words */
  gboolean    token_transient;  /* … GOA could not be asked, not a refused sign-in */
  /* What must come out */
  const char *mechanism;        /* the login method in the transcript */
  const char *problem_id;       /* NULL: the login passes */
  const char *in_summary;       /* NULL: anything */
} Scenario;

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

/* The server accepts the token of a scenario that passes, and only TOKEN otherwise. */
static OdFakeSmtpServer *
start_server (const Scenario *s,
              const char     *token)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);
  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_credentials (server, USER, "no password works here");
  od_fake_smtp_server_set_capabilities (server, "SIZE 1000000\nSTARTTLS\nENHANCEDSTATUSCODES",
                                        s->caps != NULL ? s->caps
                                          : "SIZE 1000000\nAUTH XOAUTH2 OAUTHBEARER\n"
                                            "ENHANCEDSTATUSCODES");
  od_fake_smtp_server_set_oauth (server, s->problem_id == NULL ? token : TOKEN, s->error_json,
                                 s->final_reply);
  od_fake_smtp_server_set_require_auth (server, TRUE);
  g_assert_true (od_fake_smtp_server_start (server, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&server);
}

static OdCheck *
run_check (const Scenario *s,
           guint16         port,
           const char     *token)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  OdCheck *check = od_check_new (USER, "localhost", port, OD_SECURITY_STARTTLS);

  if (s->token_error != NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR,
                                                     s->token_transient ? G_IO_ERROR_TIMED_OUT
                                                       : G_IO_ERROR_PERMISSION_DENIED,
                                                     s->token_error);

      od_check_set_token_error (check, error, ISSUER, s->provider);
    }
  else
    od_check_set_access_token (check, token, ISSUER, s->provider);
  od_check_set_ca_file (check, od_test_certs_get_ca_file (certs));
  od_check_set_step_timeout (check, 3000);
  od_check_set_total_timeout (check, 20000);
  od_check_run_async (check, NULL, run_cb, loop);
  g_main_loop_run (loop);
  return check;
}

/* "auth=Bearer TOKEN" in base64 wherever it starts: what must not be in a report. */
static void
assert_no_token (const char *text,
                 const char *token)
{
  g_assert_null (strstr (text, token));
  for (guint k = 0; k < 3; k++)
    {
      g_autofree char *blob = g_strdup_printf ("%*sauth=Bearer %s", k, "", token);
      g_autofree char *b64 = g_base64_encode ((const guchar *)blob, strlen (blob));
      g_autofree char *inner = g_strndup (b64 + 4, strlen (b64) - 8);

      g_assert_null (strstr (text, inner));
    }
}

static void
save_report (const char *json,
             const char *text)
{
  const char *dir = g_getenv ("OD_TEST_OUTPUT_DIR");
  g_autofree char *base = NULL, *name = NULL, *json_path = NULL, *text_path = NULL;

  if (dir == NULL)
    return;
  base = g_build_filename (dir, "oauth-scenarios", NULL);
  g_mkdir_with_parents (base, 0700);
  name = g_strdelimit (g_strdup (g_test_get_path ()), "/", '_');
  json_path = g_strdup_printf ("%s/%s.json", base, name);
  text_path = g_strdup_printf ("%s/%s.txt", base, name);
  g_assert_true (g_file_set_contents (json_path, json, -1, NULL));
  g_assert_true (g_file_set_contents (text_path, text, -1, NULL));
}

static void
test_scenario (gconstpointer data)
{
  const Scenario *s = data;
  const char *token = s->token != NULL ? s->token : TOKEN;
  g_autoptr(OdFakeSmtpServer) server = start_server (s, token);
  g_autoptr(OdCheck) check = run_check (s, od_fake_smtp_server_get_port (server), token);
  OdChecklist *checklist = od_check_get_checklist (check);
  OdCheckStep *auth = od_checklist_get_step (checklist, "auth");
  g_autoptr(JsonNode) root = od_check_report_to_json (check);
  g_autofree char *json = json_to_string (root, FALSE);
  g_autofree char *text = od_check_report_to_text (check);
  GPtrArray *commands = od_fake_smtp_server_get_commands (server);
  gboolean mechanism_seen = FALSE;

  save_report (json, text);
  g_test_message ("%s", od_check_step_get_detail (auth));
  assert_no_token (json, token);
  assert_no_token (text, token);

  /* The connection steps ran whatever became of the token. */
  g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (checklist, "tls")), ==,
                   OD_STEP_STATE_PASS);

  for (guint i = 0; i < commands->len; i++)
    if (s->mechanism != NULL
        && g_str_has_prefix (commands->pdata[i], "AUTH ")
        && g_ascii_strncasecmp ((const char *)commands->pdata[i] + 5, s->mechanism,
                                strlen (s->mechanism)) == 0)
      mechanism_seen = TRUE;
  if (s->mechanism != NULL)
    g_assert_true (mechanism_seen);

  if (s->problem_id == NULL)
    {
      g_assert_cmpint (od_check_step_get_state (auth), ==, OD_STEP_STATE_PASS);
      g_assert_nonnull (strstr (od_check_step_get_detail (auth), "with a token from " ISSUER));
      g_assert_nonnull (strstr (od_check_step_get_detail (auth), "the server accepted it"));
      g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (checklist, "recipient")),
                       ==, OD_STEP_STATE_PASS);
      return;
    }

  g_assert_cmpint (od_check_step_get_state (auth), ==, OD_STEP_STATE_FAIL);
  g_assert_nonnull (od_check_step_get_problem (auth));
  g_test_message ("%s: %s / %s", od_problem_get_id (od_check_step_get_problem (auth)),
                  od_problem_get_summary (od_check_step_get_problem (auth)),
                  od_problem_get_remedy (od_check_step_get_problem (auth)));
  g_assert_cmpstr (od_problem_get_id (od_check_step_get_problem (auth)), ==, s->problem_id);
  g_assert_cmpstr (od_problem_get_remedy (od_check_step_get_problem (auth)), !=, "");
  if (s->in_summary != NULL)
    g_assert_nonnull (strstr (od_problem_get_summary (od_check_step_get_problem (auth)),
                              s->in_summary));
  /* A refused token: the error challenge was answered as the mechanism requires (else the
   * fake server ends with 501), and the final reply is the provider's. */
  if (s->token_error == NULL && g_str_has_prefix (s->problem_id, "oauth-"))
    {
      const char *reply = od_problem_get_server_reply (od_check_step_get_problem (auth));

      g_assert_nonnull (reply);
      g_assert_true (g_str_has_prefix (reply, "535"));
    }
  /* The sign-in again button, where signing in again helps, and only there. */
  g_assert_cmpint (od_problem_has_fix (od_check_step_get_problem (auth), OD_FIX_SIGN_IN_AGAIN), ==,
                   (g_str_equal (s->problem_id, "oauth-signin-required")
                    && g_strcmp0 (s->provider, "windows_live") != 0)
                   || g_str_equal (s->problem_id, "oauth-scope-missing"));
}

#define MICROSOFT_535 "535 5.7.3 Authentication unsuccessful [SN4PR0201CA0042.namprd02.prod.outlook.com]"

static const Scenario scenarios[] = {
  { "/od/oauth/accepted/oauthbearer-first",
    .provider = "google", .mechanism = "OAUTHBEARER" },
  { "/od/oauth/accepted/xoauth2-only",
    .caps = "SIZE 1000000\nAUTH LOGIN XOAUTH2", .provider = "windows_live",
    .mechanism = "XOAUTH2" },
  { "/od/oauth/accepted/long-token-after-334",
    .caps = "SIZE 1000000\nAUTH XOAUTH2",
    .token = "L", /* replaced by the long token below */
    .provider = "google", .mechanism = "XOAUTH2" },
  { "/od/oauth/refused/google-401",
    .token = "ya29.an-old-token-long-expired", .provider = "google", .mechanism = "OAUTHBEARER",
    .problem_id = "oauth-signin-required", .in_summary = "no longer valid" },
  { "/od/oauth/refused/xoauth2-google-401",
    .caps = "SIZE 1000000\nAUTH XOAUTH2", .token = "ya29.an-old-token-long-expired",
    .provider = "google", .mechanism = "XOAUTH2", .problem_id = "oauth-signin-required" },
  { "/od/oauth/refused/insufficient-scope",
    .token = "ya29.a-token-for-calendars-only",
    .error_json = "{\"status\":\"insufficient_scope\",\"schemes\":\"bearer\","
                  "\"scope\":\"https://mail.google.com/\"}",
    .provider = "google", .problem_id = "oauth-scope-missing" },
  { "/od/oauth/refused/microsoft-windows-live",
    .caps = "SIZE 1000000\nAUTH LOGIN XOAUTH2", .token = "EwBwA-live-connect-token",
    .error_json = "{\"status\":\"401\",\"schemes\":\"bearer\"}", .final_reply = MICROSOFT_535,
    .provider = "windows_live", .problem_id = "oauth-signin-required",
    .in_summary = "Microsoft’s mail server refused" },
  { "/od/oauth/refused/microsoft-admin-consent",
    .caps = "SIZE 1000000\nAUTH LOGIN XOAUTH2", .token = "EwBwA-unconsented-token",
    .final_reply = "535 5.7.3 Authentication unsuccessful: AADSTS65001: The user or "
                   "administrator has not consented to use the application",
    .provider = "ms365", .problem_id = "oauth-admin-consent" },
  { "/od/oauth/refused/google-policy",
    .token = "ya29.a-blocked-token",
    .final_reply = "535 5.7.8 policy_enforced: access blocked by the organisation's policy",
    .provider = "google", .problem_id = "oauth-policy-blocked" },
  { "/od/oauth/no-token/attention-needed",
    .token_error = "Account needs attention: sign in again (GoaError.NotAuthorized)",
    .provider = "google", .problem_id = "oauth-signin-required",
    .in_summary = "no valid sign-in" },
  { "/od/oauth/no-token/admin-consent",
    .token_error = "Failed to get access token: AADSTS90094: The grant requires admin permission",
    .provider = "ms365", .problem_id = "oauth-admin-consent" },
  { "/od/oauth/no-token/policy",
    .token_error = "Error refreshing the token: policy_enforced",
    .provider = "google", .problem_id = "oauth-policy-blocked" },
  { "/od/oauth/no-token/goa-not-answering",
    .token_error = "GNOME Online Accounts did not answer within 15 seconds",
    .token_transient = TRUE, .provider = "google", .problem_id = "auth-temporary-failure",
    .in_summary = "could not give a sign-in token just now" },
  { "/od/oauth/server-without-token-login",
    .caps = "SIZE 1000000\nAUTH PLAIN LOGIN", .provider = "google",
    .problem_id = "auth-mechanism-unsupported", .in_summary = "does not take a sign-in token" },
};

/* Receiving: IMAP's AUTHENTICATE with the token (SASL-IR when offered), OAUTHBEARER first;
 * a refused token's error challenge answered, then the NO → oauth-signin-required; a server
 * without token login. */
typedef struct
{
  const char *path;
  const char *caps;
  const char *token;
  const char *mechanism;   /* as the server saw it, after "AUTHENTICATE " */
  const char *problem_id;
} ImapScenario;

static void
test_imap (gconstpointer data)
{
  const ImapScenario *s = data;
  g_autoptr(OdFakeImapServer) server = od_fake_imap_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(OdCheck) check = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  OdCheckStep *auth;
  g_autoptr(GPtrArray) commands = NULL;
  gboolean seen = FALSE;

  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);
  od_fake_imap_server_set_certificate (server, cert);
  od_fake_imap_server_set_implicit_tls (server, TRUE);
  od_fake_imap_server_set_capabilities (server, "IMAP4rev1", s->caps);
  od_fake_imap_server_set_oauth (server, TOKEN);
  g_assert_true (od_fake_imap_server_start (server, &error));
  g_assert_no_error (error);

  check = od_check_new (USER, "localhost", od_fake_imap_server_get_port (server), OD_SECURITY_TLS);
  od_check_set_protocol (check, OD_PROTOCOL_IMAP);
  od_check_set_access_token (check, s->token, ISSUER, "google");
  od_check_set_ca_file (check, od_test_certs_get_ca_file (certs));
  od_check_set_step_timeout (check, 3000);
  od_check_run_async (check, NULL, run_cb, loop);
  g_main_loop_run (loop);

  root = od_check_report_to_json (check);
  json = json_to_string (root, FALSE);
  text = od_check_report_to_text (check);
  save_report (json, text);
  assert_no_token (json, s->token);
  assert_no_token (text, s->token);

  auth = od_checklist_get_step (od_check_get_checklist (check), "auth");
  g_test_message ("%s", od_check_step_get_detail (auth));
  commands = od_fake_imap_server_dup_commands (server);
  for (guint i = 0; i < commands->len; i++)
    seen |= s->mechanism != NULL
            && strstr (commands->pdata[i], s->mechanism) != NULL;
  if (s->mechanism != NULL)
    g_assert_true (seen);

  if (s->problem_id == NULL)
    {
      g_assert_cmpint (od_check_step_get_state (auth), ==, OD_STEP_STATE_PASS);
      g_assert_nonnull (strstr (od_check_step_get_detail (auth), "with a token from " ISSUER));
      g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (od_check_get_checklist (check),
                                                                       "mailbox")),
                       ==, OD_STEP_STATE_PASS);
      return;
    }
  g_assert_cmpint (od_check_step_get_state (auth), ==, OD_STEP_STATE_FAIL);
  g_assert_cmpstr (od_problem_get_id (od_check_step_get_problem (auth)), ==, s->problem_id);
  /* The challenge was answered as the mechanism requires: the server's NO, not BAD. */
  if (g_str_has_prefix (s->problem_id, "oauth-"))
    g_assert_nonnull (strstr (od_problem_get_server_reply (od_check_step_get_problem (auth)),
                              "AUTHENTICATIONFAILED"));
}

/* Receiving over POP3 (RFC 5034's AUTH with the token): accepted, and refused with the error
 * challenge answered before the "-ERR". Same fields as for IMAP. */
static void
test_pop3 (gconstpointer data)
{
  const ImapScenario *s = data;
  g_autoptr(OdFakePop3Server) server = od_fake_pop3_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(OdCheck) check = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  OdCheckStep *auth;
  GPtrArray *commands;
  gboolean seen = FALSE;

  cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, &error);
  g_assert_no_error (error);
  od_fake_pop3_server_set_certificate (server, cert);
  od_fake_pop3_server_set_implicit_tls (server, TRUE);
  od_fake_pop3_server_set_capabilities (server, NULL, s->caps);
  od_fake_pop3_server_set_oauth (server, TOKEN);
  g_assert_true (od_fake_pop3_server_start (server, &error));
  g_assert_no_error (error);

  check = od_check_new (USER, "localhost", od_fake_pop3_server_get_port (server), OD_SECURITY_TLS);
  od_check_set_protocol (check, OD_PROTOCOL_POP3);
  od_check_set_access_token (check, s->token, ISSUER, "google");
  od_check_set_ca_file (check, od_test_certs_get_ca_file (certs));
  od_check_set_step_timeout (check, 3000);
  od_check_run_async (check, NULL, run_cb, loop);
  g_main_loop_run (loop);

  root = od_check_report_to_json (check);
  json = json_to_string (root, FALSE);
  assert_no_token (json, s->token);
  auth = od_checklist_get_step (od_check_get_checklist (check), "auth");
  g_test_message ("%s", od_check_step_get_detail (auth));
  commands = od_fake_pop3_server_get_commands (server);
  for (guint i = 0; i < commands->len; i++)
    seen |= strstr (commands->pdata[i], s->mechanism) != NULL;
  g_assert_true (seen);

  if (s->problem_id == NULL)
    {
      g_assert_cmpint (od_check_step_get_state (auth), ==, OD_STEP_STATE_PASS);
      g_assert_nonnull (strstr (od_check_step_get_detail (auth), "with a token from " ISSUER));
      return;
    }
  g_assert_cmpstr (od_problem_get_id (od_check_step_get_problem (auth)), ==, s->problem_id);
  g_assert_nonnull (strstr (od_problem_get_server_reply (od_check_step_get_problem (auth)),
                            "Invalid credentials"));
}

static const ImapScenario pop3_scenarios[] = {
  { "/od/oauth/pop3/xoauth2", "SASL PLAIN XOAUTH2\nUSER", TOKEN, "AUTH XOAUTH2", NULL },
  { "/od/oauth/pop3/oauthbearer", "SASL XOAUTH2 OAUTHBEARER", TOKEN, "AUTH OAUTHBEARER", NULL },
  { "/od/oauth/pop3/refused", "SASL XOAUTH2", "ya29.not-the-token", "AUTH XOAUTH2",
    "oauth-signin-required" },
  { "/od/oauth/pop3/refused-oauthbearer", "SASL OAUTHBEARER", "ya29.not-the-token",
    "AUTH OAUTHBEARER", "oauth-signin-required" },
};

static const ImapScenario imap_scenarios[] = {
  { "/od/oauth/imap/xoauth2-sasl-ir", "IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=XOAUTH2", TOKEN,
    "AUTHENTICATE XOAUTH2 ", NULL },
  { "/od/oauth/imap/oauthbearer-without-sasl-ir", "IMAP4rev1 AUTH=XOAUTH2 AUTH=OAUTHBEARER", TOKEN,
    "AUTHENTICATE OAUTHBEARER", NULL },
  { "/od/oauth/imap/refused-xoauth2", "IMAP4rev1 SASL-IR AUTH=XOAUTH2", "ya29.not-the-token",
    "AUTHENTICATE XOAUTH2", "oauth-signin-required" },
  { "/od/oauth/imap/refused-oauthbearer", "IMAP4rev1 AUTH=OAUTHBEARER", "ya29.not-the-token",
    "AUTHENTICATE OAUTHBEARER", "oauth-signin-required" },
  { "/od/oauth/imap/no-token-login", "IMAP4rev1 SASL-IR AUTH=PLAIN", TOKEN, NULL,
    "auth-mechanism-unsupported" },
};

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  static Scenario long_token;
  int status;

  g_test_init (&argc, &argv, NULL);
  certs = od_test_certs_new (&error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      const Scenario *s = &scenarios[i];

      if (s->token != NULL && g_str_equal (s->token, "L"))
        {
          /* Over 512 octets with the command: sent after the 334 (RFC 4954 §4). Also in
           * tests/data/test-passwords.tsv. */
          GString *t = g_string_new ("ya29.");

          for (guint n = 0; n < 40; n++)
            g_string_append_printf (t, "L0ng-Token-%03u_", n);
          long_token = *s;
          long_token.token = g_string_free (t, FALSE);
          s = &long_token;
        }
      g_test_add_data_func (s->path, s, test_scenario);
    }

  for (guint i = 0; i < G_N_ELEMENTS (imap_scenarios); i++)
    g_test_add_data_func (imap_scenarios[i].path, &imap_scenarios[i], test_imap);
  for (guint i = 0; i < G_N_ELEMENTS (pop3_scenarios); i++)
    g_test_add_data_func (pop3_scenarios[i].path, &pop3_scenarios[i], test_pop3);

  status = g_test_run ();
  od_test_certs_free (certs);
  return status;
}
