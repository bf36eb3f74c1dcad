/* test-diagnosis.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-diagnosis"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "od-diagnosis.h"
#include "od-imap-response.h"
#include "od-pop3-reply.h"
#include "od-smtp-reply.h"

#define MAX_LINES 5

/* The context of an ordinary run where the network monitor saw full connectivity. */
static const OdDiagnosisContext full_context = {
  .host = "smtp.example.com",
  .port = 587,
  .security = OD_SECURITY_STARTTLS,
  .username = "alice@example.com",
  .address = "alice@example.com",
  .network_available = TRUE,
  .connectivity = G_NETWORK_CONNECTIVITY_FULL,
};

static gboolean
contains_nocase (const char *haystack,
                 const char *needle)
{
  g_autofree char *h = g_utf8_casefold (haystack, -1);
  g_autofree char *n = g_utf8_casefold (needle, -1);

  return strstr (h, n) != NULL;
}

#define assert_contains(haystack, needle) \
  G_STMT_START { \
    if (!contains_nocase ((haystack), (needle))) \
      g_error ("“%s” does not contain “%s”", (haystack), (needle)); \
  } G_STMT_END

static gboolean
od_catalog_is_known (const char *id)
{
  return od_catalog_lookup (id, NULL);
}

/* The contract speaks of ids: the tests build problems by id, through the catalog. */
static OdProblem *
problem_for_id (const char               *id,
                const char               *step_id,
                OdSeverity                severity,
                const OdDiagnosisContext *ctx,
                const char               *server_reply)
{
  OdProblemKind kind;

  g_assert_true (od_catalog_lookup (id, &kind));
  g_assert_cmpstr (od_catalog_get (kind)->id, ==, id);
  return od_diagnosis_problem_new (kind, step_id, severity, ctx, server_reply);
}

static void
assert_problem_sane (OdProblem  *problem,
                     const char *step_id)
{
  g_assert_true (OD_IS_PROBLEM (problem));
  g_assert_true (od_catalog_is_known (od_problem_get_id (problem)));
  g_assert_cmpstr (od_problem_get_step_id (problem), ==, step_id);
  g_assert_nonnull (od_problem_get_summary (problem));
  g_assert_nonnull (od_problem_get_remedy (problem));
  g_assert_cmpstr (od_problem_get_summary (problem), !=, "");
  g_assert_cmpstr (od_problem_get_remedy (problem), !=, "");
}

/* ------------------------------------------------------------------------------------------
 * Catalog
 * ------------------------------------------------------------------------------------------ */

/* The ids of the contract (design.md, "Problem ids", then its additions), in its order. */
static const char * const contract_ids[] = {
  "network-offline", "captive-portal", "dns-no-such-host", "dns-failure", "no-settings-found",
  "port-blocked", "connection-refused", "host-unreachable", "encryption-mismatch",
  "starttls-not-offered", "starttls-failed", "tls-certificate-untrusted",
  "tls-certificate-expired", "tls-certificate-hostname-mismatch", "tls-handshake-failed",
  "tls-certificate-changed", "server-busy", "server-timeout", "protocol-error",
  "auth-not-offered", "auth-plaintext-refused", "auth-mechanism-unsupported", "auth-failed",
  "auth-app-password-required", "auth-encryption-required", "auth-required",
  "auth-temporary-failure", "relay-denied", "sender-not-allowed", "recipient-rejected",
  "mailbox-full", "greylisted", "rate-limited", "send-quota-exceeded", "message-rejected-spam",
  "message-rejected-authentication", "message-too-large", "server-error-temporary",
  "server-error-permanent",
  "auth-basic-retired", "auth-smtp-disabled", "no-encrypted-server", "ipv6-broken",
  "server-unconfirmed", "password-short", "auth-oauth-required",
  "imap-login-disabled", "mailbox-quota-exceeded",
  /* The round trip (issue 14) */
  "round-trip-not-found", "round-trip-junk", "auth-results-spf-fail", "auth-results-dkim-fail",
  "auth-results-dmarc-fail",
  /* OAuth 2.0 sign-in (issue 17) */
  "oauth-signin-required", "oauth-admin-consent", "oauth-policy-blocked", "oauth-scope-missing",
  NULL
};

static void
test_catalog_ids (void)
{
  const char * const *ids = od_catalog_list_ids ();

  g_assert_nonnull (ids);
  g_assert_cmpuint (g_strv_length ((char **)ids), ==, g_strv_length ((char **)contract_ids));

  for (guint i = 0; contract_ids[i] != NULL; i++)
    {
      g_assert_cmpstr (ids[i], ==, contract_ids[i]);
      g_assert_true (od_catalog_is_known (contract_ids[i]));
    }

  g_assert_false (od_catalog_is_known (NULL));
  g_assert_false (od_catalog_is_known (""));
  g_assert_false (od_catalog_is_known ("no-such-problem"));
  g_assert_false (od_catalog_is_known ("AUTH-FAILED"));

  /* The same array every time. */
  g_assert_true (od_catalog_list_ids () == ids);
}

/* docs/problems.md lists every id of the catalog, as a row of its table. */
static void
test_catalog_documented (void)
{
  const char * const *ids = od_catalog_list_ids ();
  const char *source_root = g_getenv ("OD_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (source_root);
  path = g_build_filename (source_root, "docs", "problems.md", NULL);
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *row = g_strdup_printf ("\n| `%s` |", ids[i]);

      if (strstr (text, row) == NULL)
        g_error ("docs/problems.md does not list %s", ids[i]);
    }
}

static void
test_catalog_texts (void)
{
  static const OdDiagnosisContext empty = { 0 };
  const OdDiagnosisContext *contexts[] = { NULL, &empty, &full_context };
  const char * const *ids = od_catalog_list_ids ();

  for (guint c = 0; c < G_N_ELEMENTS (contexts); c++)
    {
      for (guint i = 0; ids[i] != NULL; i++)
        {
          OdProblem *problem;

          problem = problem_for_id (ids[i], OD_STEP_AUTH, OD_SEVERITY_WARNING,
                                              contexts[c], "535 5.7.8 nope");
          assert_problem_sane (problem, OD_STEP_AUTH);
          g_assert_cmpstr (od_problem_get_id (problem), ==, ids[i]);
          g_assert_cmpint (od_problem_get_severity (problem), ==, OD_SEVERITY_WARNING);
          g_assert_cmpstr (od_problem_get_server_reply (problem), ==, "535 5.7.8 nope");
          g_assert_true (g_utf8_validate (od_problem_get_summary (problem), -1, NULL));
          g_assert_true (g_utf8_validate (od_problem_get_remedy (problem), -1, NULL));
          g_assert_finalize_object (problem);
        }
    }
}

static void
test_catalog_distinct_texts (void)
{
  g_autoptr(GHashTable) summaries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char * const *ids = od_catalog_list_ids ();

  /* Every problem says something of its own. */
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(OdProblem) problem = NULL;
      const char *summary;

      problem = problem_for_id (ids[i], OD_STEP_CONNECT, OD_SEVERITY_ERROR, NULL, NULL);
      summary = od_problem_get_summary (problem);
      g_assert_false (g_hash_table_contains (summaries, summary));
      g_hash_table_add (summaries, g_strdup (summary));
      g_assert_null (od_problem_get_server_reply (problem));
    }
}

/* What the front ends offer comes from the catalog: another port, the password again, or
 * trusting a certificate, each for exactly these problems; another port only once one was
 * seen to work (a suggestion). */
static void
test_catalog_fixes (void)
{
  static const struct {
    OdFix               fix;
    const char * const  ids[6];
  } expected[] = {
    { OD_FIX_OTHER_PORT, { "port-blocked", "connection-refused", "encryption-mismatch",
                           NULL } },
    { OD_FIX_REENTER_PASSWORD, { "auth-failed", "auth-app-password-required", "auth-required",
                                 NULL } },
    { OD_FIX_TRUST_CERTIFICATE, { "tls-certificate-untrusted", "tls-certificate-expired",
                                  "tls-certificate-hostname-mismatch",
                                  "tls-certificate-changed", NULL } },
    { OD_FIX_CONFIRM_SERVER, { "server-unconfirmed", NULL } },
  };

  for (guint k = 0; k < OD_N_PROBLEM_KINDS; k++)
    {
      const OdCatalogEntry *entry = od_catalog_get (k);
      g_autoptr(OdProblem) problem = od_diagnosis_problem_new (k, OD_STEP_CONNECT,
                                                               OD_SEVERITY_ERROR, NULL, NULL);

      g_assert_cmpint (entry->kind, ==, k);
      g_assert_cmpint (od_problem_get_kind (problem), ==, k);
      g_assert_cmpint (od_problem_get_fixes (problem), ==, entry->fixes & ~OD_FIX_OTHER_PORT);
      g_assert_false (od_problem_get_suggestion (problem, NULL, NULL, NULL));

      od_problem_set_suggestion (problem, "smtp.example.com", 587, OD_SECURITY_STARTTLS);
      g_assert_cmpint (od_problem_get_fixes (problem), ==, entry->fixes);

      for (guint f = 0; f < G_N_ELEMENTS (expected); f++)
        g_assert_cmpint (od_problem_has_fix (problem, expected[f].fix), ==,
                         g_strv_contains (expected[f].ids, entry->id));
    }
}

static void
test_context_texts (void)
{
  g_autoptr(OdProblem) dns = NULL;
  g_autoptr(OdProblem) sender = NULL;
  g_autoptr(OdProblem) sender_alias = NULL;
  g_autoptr(OdProblem) relay = NULL;
  g_autoptr(OdProblem) auth_required = NULL;
  g_autoptr(OdProblem) app_password = NULL;
  OdDiagnosisContext ctx = full_context;

  dns = problem_for_id ("dns-no-such-host", OD_STEP_DNS, OD_SEVERITY_ERROR, &ctx, NULL);
  assert_contains (od_problem_get_summary (dns), "smtp.example.com");

  sender = problem_for_id ("sender-not-allowed", OD_STEP_SENDER, OD_SEVERITY_ERROR,
                                     &ctx, NULL);
  assert_contains (od_problem_get_remedy (sender), "address you log in with");

  ctx.username = "alice";
  ctx.address = "boss@example.com";
  sender_alias = problem_for_id ("sender-not-allowed", OD_STEP_SENDER,
                                           OD_SEVERITY_ERROR, &ctx, NULL);
  assert_contains (od_problem_get_summary (sender_alias), "boss@example.com");
  assert_contains (od_problem_get_remedy (sender_alias), "address you log in with");
  assert_contains (od_problem_get_remedy (sender_alias), "“alice”");

  relay = problem_for_id ("relay-denied", OD_STEP_RECIPIENT, OD_SEVERITY_ERROR,
                                    NULL, NULL);
  assert_contains (od_problem_get_remedy (relay), "authentication");

  auth_required = problem_for_id ("auth-required", OD_STEP_SENDER, OD_SEVERITY_ERROR,
                                            NULL, NULL);
  assert_contains (od_problem_get_remedy (auth_required), "authentication");

  app_password = problem_for_id ("auth-app-password-required", OD_STEP_AUTH,
                                           OD_SEVERITY_ERROR, NULL, NULL);
  assert_contains (od_problem_get_remedy (app_password), "app password");

  /* A pinned certificate was replaced: name the server, and never say "just trust it". */
  {
    g_autoptr(OdProblem) changed = problem_for_id ("tls-certificate-changed",
                                                             OD_STEP_TLS, OD_SEVERITY_ERROR,
                                                             &ctx, NULL);
    assert_contains (od_problem_get_summary (changed), "smtp.example.com");
    assert_contains (od_problem_get_summary (changed), "trust");
    assert_contains (od_problem_get_remedy (changed), "fingerprint");
    assert_contains (od_problem_get_remedy (changed), "intercepting");
  }
}

static void
test_auth_failed_remedy (void)
{
  static const OdDiagnosisContext empty = { 0 };
  const OdDiagnosisContext *contexts[] = { NULL, &empty, &full_context };

  for (guint c = 0; c < G_N_ELEMENTS (contexts); c++)
    {
      g_autoptr(OdProblem) problem = NULL;
      const char *remedy;

      problem = problem_for_id ("auth-failed", OD_STEP_AUTH, OD_SEVERITY_ERROR,
                                          contexts[c], NULL);
      remedy = od_problem_get_remedy (problem);
      assert_contains (remedy, "spaces");
      assert_contains (remedy, "start or the end");
      assert_contains (remedy, "caps lock");
      assert_contains (remedy, "full email address");
    }

  {
    g_autoptr(OdProblem) problem = NULL;

    problem = problem_for_id ("auth-failed", OD_STEP_AUTH, OD_SEVERITY_ERROR,
                                        &full_context, NULL);
    assert_contains (od_problem_get_summary (problem), "alice@example.com");
    assert_contains (od_problem_get_remedy (problem), "alice@example.com");
  }
}

static void
test_port_blocked_remedy (void)
{
  static const guint16 ports[] = { 0, 25, 465, 587, 2525 };

  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    {
      g_autoptr(OdProblem) problem = NULL;
      OdDiagnosisContext ctx = full_context;
      const char *remedy;

      ctx.port = ports[i];
      problem = problem_for_id ("port-blocked", OD_STEP_CONNECT, OD_SEVERITY_ERROR,
                                          &ctx, NULL);
      remedy = od_problem_get_remedy (problem);
      assert_contains (remedy, "587");
      assert_contains (remedy, "465");
      assert_contains (remedy, "2525");
      assert_contains (remedy, "another network");
    }

  {
    g_autoptr(OdProblem) problem = NULL;
    OdDiagnosisContext ctx = full_context;

    ctx.port = 25;
    problem = problem_for_id ("port-blocked", OD_STEP_CONNECT, OD_SEVERITY_ERROR,
                                        &ctx, NULL);
    assert_contains (od_problem_get_remedy (problem), "internet providers block port 25");
    assert_contains (od_problem_get_summary (problem), "port 25");
  }
}

static void
test_encryption_mismatch_remedy (void)
{
  static const struct {
    guint16     port;
    OdSecurity  security;
    const char *expected;
    const char *unexpected;
  } cases[] = {
    { 465, OD_SECURITY_STARTTLS, "“TLS” (not STARTTLS)", NULL },
    { 465, OD_SECURITY_NONE, "“TLS” (not STARTTLS)", NULL },
    { 587, OD_SECURITY_TLS, "Set the encryption to “STARTTLS”", NULL },
    { 25, OD_SECURITY_TLS, "Set the encryption to “STARTTLS”", NULL },
    { 10025, OD_SECURITY_TLS, "Set the encryption to “STARTTLS”", NULL },
    { 10465, OD_SECURITY_STARTTLS, "Set the encryption to “TLS”", "“STARTTLS”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(OdProblem) problem = NULL;
      OdDiagnosisContext ctx = full_context;

      ctx.port = cases[i].port;
      ctx.security = cases[i].security;
      problem = problem_for_id ("encryption-mismatch", OD_STEP_TLS, OD_SEVERITY_ERROR,
                                          &ctx, NULL);
      assert_contains (od_problem_get_remedy (problem), cases[i].expected);
      if (cases[i].unexpected != NULL)
        g_assert_false (contains_nocase (od_problem_get_remedy (problem), cases[i].unexpected));
    }
}

/* ------------------------------------------------------------------------------------------
 * Replies
 * ------------------------------------------------------------------------------------------ */

typedef struct
{
  const char *name;
  const char *step_id;
  guint       code;
  const char *lines[MAX_LINES];
  const char *expected_id;
  const char *host;          /* NULL: smtp.example.com */
  const char *remedy_has;    /* NULL: nothing particular */
} ReplyCase;

static const ReplyCase reply_cases[] = {
  /* Google */
  { "gmail-bad-credentials", OD_STEP_AUTH, 535,
    { "5.7.8 Username and Password not accepted. Learn more at",
      "5.7.8  https://support.google.com/mail/?p=BadCredentials d2-20020a05 - gsmtp", NULL },
    "auth-failed", "smtp.gmail.com", "app password" },
  { "gmail-invalid-second-factor", OD_STEP_AUTH, 534,
    { "5.7.9 Application-specific password required. Learn more at",
      "5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor x3sm123 - gsmtp", NULL },
    "auth-app-password-required", "smtp.gmail.com", "App passwords" },
  { "gmail-web-login-required", OD_STEP_AUTH, 534,
    { "5.7.9 Please log in with your web browser and then try again. Learn more at",
      "5.7.9  https://support.google.com/mail/?p=WebLoginRequired a1sm99 - gsmtp", NULL },
    "auth-app-password-required", "smtp.gmail.com", "web browser" },
  { "gmail-web-login-required-old", OD_STEP_AUTH, 534,
    { "5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1>",
      "5.7.14 Please log in via your web browser and then try again.",
      "5.7.14  Learn more at https://support.google.com/mail/answer/78754 - gsmtp", NULL },
    "auth-app-password-required", "smtp.gmail.com", "web browser" },
  { "gmail-want-auth", OD_STEP_SENDER, 530,
    { "5.7.0 Authentication Required. Learn more at",
      "5.7.0  https://support.google.com/mail/?p=WantAuthError h7sm42 - gsmtp", NULL },
    "auth-required", NULL, NULL },
  { "gmail-starttls-first", OD_STEP_SENDER, 530,
    { "5.7.0 Must issue a STARTTLS command first. h7sm42 - gsmtp", NULL },
    "auth-encryption-required", NULL, "STARTTLS" },
  { "gmail-auth-too-many-attempts", OD_STEP_AUTH, 454,
    { "4.7.0 Too many login attempts, please try again later. a1sm1 - gsmtp", NULL },
    "auth-temporary-failure", NULL, "do not change it" },
  { "gmail-no-such-user", OD_STEP_RECIPIENT, 550,
    { "5.1.1 The email account that you tried to reach does not exist. Please try",
      "5.1.1 double-checking the recipient's email address for typos or",
      "5.1.1 unnecessary spaces. Learn more at",
      "5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si1 - gsmtp", NULL },
    "recipient-rejected", NULL, NULL },
  { "gmail-over-quota", OD_STEP_RECIPIENT, 452,
    { "4.2.2 The email account that you tried to reach is over quota. Please direct",
      "4.2.2 the recipient to",
      "4.2.2  https://support.google.com/mail/?p=OverQuotaTemp a1si1 - gsmtp", NULL },
    "mailbox-full", NULL, NULL },
  { "gmail-try-again-later", OD_STEP_GREETING, 421,
    { "4.7.0 Try again later, closing connection. (EHLO) a1sm1 - gsmtp", NULL },
    "server-busy", NULL, NULL },
  { "gmail-unusual-rate", OD_STEP_DATA, 421,
    { "4.7.28 [203.0.113.5      15] Our system has detected an unusual rate of",
      "4.7.28 unsolicited mail originating from your IP address. To protect our",
      "4.7.28 users from spam, mail sent from your IP address has been temporarily",
      "4.7.28 rate limited. - gsmtp", NULL },
    "rate-limited", NULL, NULL },
  { "gmail-unauthenticated-domain", OD_STEP_DATA, 550,
    { "5.7.26 This mail is unauthenticated, which poses a security risk to the",
      "5.7.26 sender and Gmail users, and has been blocked. The sender must",
      "5.7.26 authenticate with at least one of SPF or DKIM. - gsmtp", NULL },
    "message-rejected-authentication", NULL, "SPF" },
  { "gmail-likely-spam", OD_STEP_DATA, 550,
    { "5.7.1 [203.0.113.5] Our system has detected that this message is",
      "5.7.1 likely unsolicited mail. To reduce the amount of spam sent to Gmail,",
      "5.7.1 this message has been blocked. - gsmtp", NULL },
    "message-rejected-spam", NULL, NULL },
  { "gmail-daily-quota", OD_STEP_SENDER, 550,
    { "5.4.5 Daily user sending quota exceeded. a1sm1 - gsmtp", NULL },
    "send-quota-exceeded", NULL, NULL },
  { "gmail-temporary", OD_STEP_DATA, 451,
    { "4.3.0 Mail server temporarily rejected message. a1sm1 - gsmtp", NULL },
    "server-error-temporary", NULL, NULL },
  { "gmail-too-large", OD_STEP_DATA, 552,
    { "5.3.4 Your message exceeded Google's message size limits. a1sm1 - gsmtp", NULL },
    "message-too-large", NULL, NULL },

  /* Microsoft */
  { "m365-smtp-auth-disabled", OD_STEP_AUTH, 535,
    { "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
      "Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. "
      "[AM0PR10CA0001.EURPRD10.PROD.OUTLOOK.COM]", NULL },
    "auth-smtp-disabled", "smtp.office365.com", "December 2026" },
  { "m365-smtp-auth-disabled-mailbox", OD_STEP_AUTH, 535,
    { "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
      "Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.", NULL },
    "auth-smtp-disabled", "smtp.office365.com", "Authenticated SMTP" },
  { "m365-credentials-incorrect", OD_STEP_AUTH, 535,
    { "5.7.139 Authentication unsuccessful, the user credentials were incorrect. "
      "[LO4P123CA0001.GBRP123.PROD.OUTLOOK.COM]", NULL },
    "auth-failed", "smtp.office365.com", NULL },
  { "m365-security-defaults", OD_STEP_AUTH, 535,
    { "5.7.139 Authentication unsuccessful, user is locked by your organization's security "
      "defaults policy. Contact your administrator. [MW4PR04CA0001.namprd04.prod.outlook.com]",
      NULL },
    "auth-basic-retired", "smtp.office365.com", "OAuth" },
  { "m365-basic-auth-retired", OD_STEP_AUTH, 550,
    { "5.7.30 Basic authentication is not supported for Client Submission.", NULL },
    "auth-basic-retired", "smtp.office365.com", "September 2024" },
  { "outlook-basic-auth-disabled", OD_STEP_AUTH, 535,
    { "5.7.139 Authentication unsuccessful, basic authentication is disabled. "
      "[PR3P191CA0001.EURP191.PROD.OUTLOOK.COM]", NULL },
    "auth-basic-retired", "smtp-mail.outlook.com", "OAuth" },
  { "m365-auth-unsuccessful", OD_STEP_AUTH, 535,
    { "5.7.3 Authentication unsuccessful [BN9PR03CA0001.namprd03.prod.outlook.com]", NULL },
    "auth-failed", "smtp.office365.com", "Caps Lock" },
  { "m365-not-authenticated", OD_STEP_SENDER, 530,
    { "5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 "
      "[SN4PR0201CA0001.namprd02.prod.outlook.com]", NULL },
    "auth-required", "smtp.office365.com", NULL },
  { "m365-send-as", OD_STEP_DATA, 550,
    { "5.7.60 SMTP; Client does not have permissions to send as this sender "
      "[BN6PR11MB0001.namprd11.prod.outlook.com]", NULL },
    "sender-not-allowed", "smtp.office365.com", "address you log in with" },
  { "m365-submission-quota", OD_STEP_DATA, 554,
    { "5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to "
      "process message due to a permanent exception with message [BeginDiagnosticData]", NULL },
    "send-quota-exceeded", "smtp.office365.com", NULL },
  { "exchange-unable-to-relay", OD_STEP_RECIPIENT, 550,
    { "5.7.54 SMTP; Unable to relay recipient in non-accepted domain", NULL },
    "relay-denied", NULL, NULL },
  { "exchange-temporary", OD_STEP_RECIPIENT, 451,
    { "4.7.500 Server busy. Please try again later from [203.0.113.5]. (S77719)", NULL },
    "server-busy", NULL, NULL },

  /* Yahoo, iCloud, mail.ru */
  { "yahoo-auth005", OD_STEP_AUTH, 535,
    { "5.7.0 (#AUTH005) Too many bad auth attempts.", NULL },
    "auth-app-password-required", "smtp.mail.yahoo.com", "app password" },
  { "yahoo-policy", OD_STEP_DATA, 554,
    { "5.7.9 Message not accepted for policy reasons.  See "
      "https://help.yahoo.com/kb/postmaster/SLN7253.html", NULL },
    "message-rejected-spam", "smtp.mail.yahoo.com", NULL },
  { "icloud-auth-failed", OD_STEP_AUTH, 535,
    { "5.7.8 Error: authentication failed: (reason unavailable)", NULL },
    "auth-failed", "smtp.mail.me.com", "app-specific password" },
  { "mailru-administrative-prohibition", OD_STEP_DATA, 503,
    { "Administrative prohibition -- authorization required", NULL },
    "auth-required", "smtp.mail.ru", NULL },

  /* Postfix, Dovecot, Exim, chasquid, postgrey */
  { "postfix-auth-failed", OD_STEP_AUTH, 535,
    { "5.7.8 Error: authentication failed: authentication failure", NULL },
    "auth-failed", NULL, "spaces" },
  { "postfix-auth-not-enabled", OD_STEP_AUTH, 503,
    { "5.5.1 Error: authentication not enabled", NULL },
    "auth-not-offered", NULL, "587" },
  { "postfix-relay-denied", OD_STEP_RECIPIENT, 554,
    { "5.7.1 <friend@elsewhere.example>: Relay access denied", NULL },
    "relay-denied", NULL, "authentication" },
  { "postfix-relay-denied-soft", OD_STEP_RECIPIENT, 454,
    { "4.7.1 <friend@elsewhere.example>: Relay access denied", NULL },
    "relay-denied", NULL, NULL },
  { "postfix-not-owned", OD_STEP_SENDER, 553,
    { "5.7.1 <boss@example.com>: Sender address rejected: not owned by user alice@example.com",
      NULL },
    "sender-not-allowed", NULL, "address you log in with" },
  { "postfix-not-logged-in", OD_STEP_SENDER, 553,
    { "5.7.1 <alice@example.com>: Sender address rejected: not logged in", NULL },
    "auth-required", NULL, NULL },
  { "postfix-user-unknown", OD_STEP_RECIPIENT, 550,
    { "5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual "
      "mailbox table", NULL },
    "recipient-rejected", NULL, NULL },
  { "postfix-domain-not-found", OD_STEP_RECIPIENT, 550,
    { "5.1.2 <bob@exmaple.invalid>: Recipient address rejected: Domain not found", NULL },
    "recipient-rejected", NULL, "after the “@”" },
  { "postfix-size", OD_STEP_SENDER, 552,
    { "5.3.4 Message size exceeds fixed limit", NULL },
    "message-too-large", NULL, NULL },
  { "postfix-spamhaus", OD_STEP_RECIPIENT, 554,
    { "5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org; "
      "https://www.spamhaus.org/query/ip/203.0.113.5", NULL },
    "message-rejected-spam", NULL, NULL },
  { "postfix-starttls-first", OD_STEP_AUTH, 530,
    { "5.7.0 Must issue a STARTTLS command first", NULL },
    "auth-encryption-required", NULL, NULL },
  { "postfix-greeting-rejected", OD_STEP_GREETING, 554,
    { "5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org",
      NULL },
    "server-error-permanent", NULL, "587" },
  { "postfix-greeting-busy", OD_STEP_GREETING, 421,
    { "4.3.2 Service currently unavailable", NULL },
    "server-busy", NULL, NULL },
  { "postfix-greeting-too-many-connections", OD_STEP_GREETING, 421,
    { "4.7.0 mail.example.com Error: too many connections from 203.0.113.5", NULL },
    "rate-limited", NULL, NULL },
  { "postgrey", OD_STEP_RECIPIENT, 450,
    { "4.2.0 <bob@example.org>: Recipient address rejected: Greylisted, see "
      "http://postgrey.schweikert.ch/help/example.org.html", NULL },
    "greylisted", NULL, NULL },
  { "exim-greylist", OD_STEP_RECIPIENT, 451,
    { "4.7.1 Please try again later", NULL },
    "greylisted", NULL, NULL },
  { "rate-limit-exceeded", OD_STEP_SENDER, 451,
    { "4.7.0 Message rate limit exceeded, please try again later", NULL },
    "rate-limited", NULL, NULL },
  { "dmarc-policy", OD_STEP_DATA, 550,
    { "5.7.1 Unauthenticated email from example.com is not accepted due to domain's DMARC "
      "policy.", NULL },
    "message-rejected-authentication", NULL, NULL },
  { "spf-failed", OD_STEP_RECIPIENT, 550,
    { "5.7.23 SPF validation failed", NULL },
    "message-rejected-authentication", NULL, NULL },
  { "content-policy", OD_STEP_DATA, 554,
    { "5.7.1 Message rejected because of content policy", NULL },
    "message-rejected-spam", NULL, NULL },
  { "mailbox-full-data", OD_STEP_DATA, 552,
    { "5.2.2 <bob@example.org>: user is over quota", NULL },
    "mailbox-full", NULL, NULL },
  { "chasquid-submission-auth", OD_STEP_SENDER, 550,
    { "mail to submission port must be authenticated", NULL },
    "auth-required", NULL, NULL },
  { "dovecot-auth-temporary", OD_STEP_AUTH, 454,
    { "4.7.0 Temporary authentication failure", NULL },
    "auth-temporary-failure", NULL, NULL },
  { "mechanism-unsupported", OD_STEP_AUTH, 504,
    { "5.5.4 Unrecognized authentication type", NULL },
    "auth-mechanism-unsupported", NULL, NULL },
  { "mechanism-too-weak", OD_STEP_AUTH, 534,
    { "5.7.9 Authentication mechanism is too weak", NULL },
    "auth-mechanism-unsupported", NULL, NULL },
  { "encryption-required-for-mechanism", OD_STEP_AUTH, 538,
    { "5.7.11 Encryption required for requested authentication mechanism", NULL },
    "auth-encryption-required", NULL, NULL },
  { "starttls-temporary", OD_STEP_TLS, 454,
    { "4.7.0 TLS not available due to temporary reason", NULL },
    "starttls-failed", NULL, "later" },
  { "starttls-not-implemented", OD_STEP_TLS, 502,
    { "5.5.1 Command not implemented", NULL },
    "starttls-failed", NULL, NULL },
  { "ehlo-unrecognised", OD_STEP_EHLO, 500,
    { "5.5.1 Command unrecognized: \"EHLO\"", NULL },
    "server-error-permanent", NULL, NULL },
  { "unknown-temporary", OD_STEP_SENDER, 450,
    { "4.1.8 <alice@example.com>: Sender address rejected: Domain not found", NULL },
    "server-error-temporary", NULL, NULL },
  { "unknown-permanent", OD_STEP_SENDER, 554,
    { "5.5.0 Transaction failed", NULL },
    "server-error-permanent", NULL, NULL },
  { "unexpected-positive", OD_STEP_DATA, 250,
    { "2.0.0 Ok", NULL },
    "protocol-error", NULL, NULL },
  { "code-out-of-range", OD_STEP_GREETING, 600,
    { "what is this", NULL },
    "protocol-error", NULL, NULL },
  { "code-one-hundred", OD_STEP_EHLO, 199,
    { "", NULL },
    "protocol-error", NULL, NULL },
};

static void
test_reply_case (gconstpointer data)
{
  const ReplyCase *c = data;
  g_autoptr(OdSmtpReply) reply = NULL;
  g_autoptr(OdProblem) problem = NULL;
  g_autofree char *expected_reply = NULL;
  OdDiagnosisContext ctx = full_context;

  if (c->host != NULL)
    ctx.host = c->host;

  reply = od_smtp_reply_new (c->code, c->lines);
  g_assert_nonnull (reply);

  problem = od_diagnosis_from_reply (c->step_id, reply, &ctx);
  assert_problem_sane (problem, c->step_id);
  g_assert_cmpstr (od_problem_get_id (problem), ==, c->expected_id);
  g_assert_cmpint (od_problem_get_severity (problem), ==, OD_SEVERITY_ERROR);

  expected_reply = od_smtp_reply_to_string (reply);
  g_assert_cmpstr (od_problem_get_server_reply (problem), ==, expected_reply);

  if (c->remedy_has != NULL)
    assert_contains (od_problem_get_remedy (problem), c->remedy_has);

  /* Without any context the same id comes out (no provider needs the host to be known). */
  {
    g_autoptr(OdProblem) bare = od_diagnosis_from_reply (c->step_id, reply, NULL);

    assert_problem_sane (bare, c->step_id);
    g_assert_cmpstr (od_problem_get_id (bare), ==, c->expected_id);
  }
}

static void
test_reply_multiline_server_reply (void)
{
  const char *lines[] = { "5.7.8 Username and Password not accepted.", "5.7.8 Bye", NULL };
  g_autoptr(OdSmtpReply) reply = od_smtp_reply_new (535, lines);
  g_autoptr(OdProblem) problem = od_diagnosis_from_reply (OD_STEP_AUTH, reply, NULL);

  g_assert_cmpstr (od_problem_get_server_reply (problem), ==,
                   "535-5.7.8 Username and Password not accepted.\n535 5.7.8 Bye");
}

static void
test_reply_words_are_whole (void)
{
  /* "generated" must not read as "rate", "separate" neither. */
  const char *lines[] = { "4.3.0 Separately generated error, try the other server", NULL };
  g_autoptr(OdSmtpReply) reply = od_smtp_reply_new (451, lines);
  g_autoptr(OdProblem) problem = od_diagnosis_from_reply (OD_STEP_DATA, reply, NULL);

  g_assert_cmpstr (od_problem_get_id (problem), ==, "server-error-temporary");
}

/* ------------------------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------------------------ */

typedef enum
{
  CTX_FULL,
  CTX_NONE,        /* a NULL context */
  CTX_ZERO,        /* all fields zero: the monitor was not asked */
  CTX_OFFLINE,     /* the monitor says offline, but there is a route: only a hint */
  CTX_LIMITED,
  CTX_NO_ROUTE,    /* the kernel has no route there (and the monitor agrees) */
  CTX_NO_ROUTE_LIMITED,
  CTX_PORTAL,
  CTX_PLAIN_465,   /* STARTTLS chosen on the implicit-TLS port */
} ContextKind;

typedef struct
{
  const char           *name;
  const char           *step_id;
  const char           *domain;   /* "resolver", "io", "tls", "smtp", "file" */
  int                   code;
  GTlsCertificateFlags  tls_errors;
  ContextKind           context;
  const char           *expected_id;
  const char           *summary_has;
  const char           *remedy_has;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "dns-not-found", OD_STEP_DNS, "resolver", G_RESOLVER_ERROR_NOT_FOUND, 0, CTX_FULL,
    "dns-no-such-host", "smtp.example.com", NULL },
  { "dns-not-found-offline", OD_STEP_DNS, "resolver", G_RESOLVER_ERROR_NOT_FOUND, 0, CTX_OFFLINE,
    "dns-no-such-host", NULL, NULL },
  { "dns-temporary", OD_STEP_DNS, "resolver", G_RESOLVER_ERROR_TEMPORARY_FAILURE, 0, CTX_FULL,
    "dns-failure", NULL, NULL },
  { "dns-internal", OD_STEP_DNS, "resolver", G_RESOLVER_ERROR_INTERNAL, 0, CTX_NONE,
    "dns-failure", NULL, NULL },
  /* The monitor's "offline" is only a hint: with a route, silence is the resolver's. */
  { "dns-temporary-offline", OD_STEP_DNS, "resolver", G_RESOLVER_ERROR_TEMPORARY_FAILURE, 0,
    CTX_OFFLINE, "dns-failure", NULL, NULL },
  { "dns-temporary-no-route", OD_STEP_DNS, "resolver", G_RESOLVER_ERROR_TEMPORARY_FAILURE, 0,
    CTX_NO_ROUTE, "network-offline", NULL, NULL },
  /* "No such name" without a route to any name server came from this computer itself. */
  { "dns-not-found-no-route", OD_STEP_DNS, "resolver", G_RESOLVER_ERROR_NOT_FOUND, 0,
    CTX_NO_ROUTE, "network-offline", NULL, NULL },
  { "dns-timeout-no-route", OD_STEP_DNS, "io", G_IO_ERROR_TIMED_OUT, 0, CTX_NO_ROUTE,
    "network-offline", NULL, NULL },
  { "dns-temporary-portal", OD_STEP_DNS, "resolver", G_RESOLVER_ERROR_TEMPORARY_FAILURE, 0,
    CTX_PORTAL, "captive-portal", NULL, "browser" },
  { "dns-timeout", OD_STEP_DNS, "io", G_IO_ERROR_TIMED_OUT, 0, CTX_FULL,
    "dns-failure", NULL, NULL },
  { "connect-timeout", OD_STEP_CONNECT, "io", G_IO_ERROR_TIMED_OUT, 0, CTX_FULL,
    "port-blocked", "port 587", "another network" },
  { "connect-timeout-no-context", OD_STEP_CONNECT, "io", G_IO_ERROR_TIMED_OUT, 0, CTX_NONE,
    "port-blocked", NULL, "587" },
  { "connect-timeout-zero-context", OD_STEP_CONNECT, "io", G_IO_ERROR_TIMED_OUT, 0, CTX_ZERO,
    "port-blocked", NULL, "587" },
  { "connect-timeout-offline", OD_STEP_CONNECT, "io", G_IO_ERROR_TIMED_OUT, 0, CTX_OFFLINE,
    "port-blocked", NULL, NULL },
  { "connect-timeout-limited", OD_STEP_CONNECT, "io", G_IO_ERROR_TIMED_OUT, 0, CTX_LIMITED,
    "port-blocked", NULL, NULL },
  { "connect-timeout-no-route", OD_STEP_CONNECT, "io", G_IO_ERROR_TIMED_OUT, 0, CTX_NO_ROUTE,
    "network-offline", NULL, NULL },
  { "connect-timeout-no-route-limited", OD_STEP_CONNECT, "io", G_IO_ERROR_TIMED_OUT, 0,
    CTX_NO_ROUTE_LIMITED, "network-offline", "does not reach the internet", NULL },
  { "connect-timeout-portal", OD_STEP_CONNECT, "io", G_IO_ERROR_TIMED_OUT, 0, CTX_PORTAL,
    "captive-portal", NULL, NULL },
  { "connect-cancelled", OD_STEP_CONNECT, "io", G_IO_ERROR_CANCELLED, 0, CTX_FULL,
    "port-blocked", NULL, NULL },
  { "connect-refused", OD_STEP_CONNECT, "io", G_IO_ERROR_CONNECTION_REFUSED, 0, CTX_FULL,
    "connection-refused", "587", NULL },
  { "connect-refused-offline", OD_STEP_CONNECT, "io", G_IO_ERROR_CONNECTION_REFUSED, 0,
    CTX_OFFLINE, "connection-refused", NULL, NULL },
  { "connect-host-unreachable", OD_STEP_CONNECT, "io", G_IO_ERROR_HOST_UNREACHABLE, 0, CTX_FULL,
    "host-unreachable", NULL, NULL },
  { "connect-network-unreachable", OD_STEP_CONNECT, "io", G_IO_ERROR_NETWORK_UNREACHABLE, 0,
    CTX_FULL, "host-unreachable", NULL, NULL },
  /* An ICMP error from a router is an answer; this computer's own "no route" is not. */
  { "connect-network-unreachable-offline", OD_STEP_CONNECT, "io",
    G_IO_ERROR_NETWORK_UNREACHABLE, 0, CTX_OFFLINE, "host-unreachable", NULL, NULL },
  { "connect-network-unreachable-no-route", OD_STEP_CONNECT, "io",
    G_IO_ERROR_NETWORK_UNREACHABLE, 0, CTX_NO_ROUTE, "network-offline", NULL, NULL },
  { "connect-refused-no-route", OD_STEP_CONNECT, "io", G_IO_ERROR_CONNECTION_REFUSED, 0,
    CTX_NO_ROUTE, "connection-refused", NULL, NULL },
  { "connect-permission-denied", OD_STEP_CONNECT, "io", G_IO_ERROR_PERMISSION_DENIED, 0,
    CTX_FULL, "port-blocked", NULL, NULL },
  { "connect-host-not-found", OD_STEP_CONNECT, "io", G_IO_ERROR_HOST_NOT_FOUND, 0, CTX_FULL,
    "dns-no-such-host", NULL, NULL },
  { "tls-expired", OD_STEP_TLS, "tls", G_TLS_ERROR_BAD_CERTIFICATE,
    G_TLS_CERTIFICATE_EXPIRED, CTX_FULL, "tls-certificate-expired", NULL, "date and time" },
  { "tls-not-activated", OD_STEP_TLS, "tls", G_TLS_ERROR_BAD_CERTIFICATE,
    G_TLS_CERTIFICATE_NOT_ACTIVATED, CTX_FULL, "tls-certificate-expired", NULL, NULL },
  { "tls-expired-wins", OD_STEP_TLS, "tls", G_TLS_ERROR_BAD_CERTIFICATE,
    G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY,
    CTX_FULL, "tls-certificate-expired", NULL, NULL },
  { "tls-unknown-ca", OD_STEP_TLS, "tls", G_TLS_ERROR_BAD_CERTIFICATE,
    G_TLS_CERTIFICATE_UNKNOWN_CA, CTX_FULL, "tls-certificate-untrusted", "smtp.example.com",
    "fingerprint" },
  { "tls-self-signed-wrong-name", OD_STEP_TLS, "tls", G_TLS_ERROR_BAD_CERTIFICATE,
    G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY, CTX_FULL,
    "tls-certificate-untrusted", NULL, "different name" },
  { "tls-bad-identity", OD_STEP_TLS, "tls", G_TLS_ERROR_BAD_CERTIFICATE,
    G_TLS_CERTIFICATE_BAD_IDENTITY, CTX_FULL, "tls-certificate-hostname-mismatch",
    "smtp.example.com", "exact server name" },
  { "tls-revoked", OD_STEP_TLS, "tls", G_TLS_ERROR_BAD_CERTIFICATE,
    G_TLS_CERTIFICATE_REVOKED, CTX_FULL, "tls-certificate-untrusted", NULL, "revoked" },
  { "tls-no-flags", OD_STEP_TLS, "tls", G_TLS_ERROR_BAD_CERTIFICATE, 0, CTX_NONE,
    "tls-certificate-untrusted", NULL, NULL },
  /* Not TLS, by itself, is no evidence of a wrong mode (a reset looks the same): only a plain
   * greeting on a second connection is (the check's and the probe's sniff). */
  { "tls-not-tls-587", OD_STEP_TLS, "tls", G_TLS_ERROR_NOT_TLS, 0, CTX_FULL,
    "tls-handshake-failed", NULL, NULL },
  { "tls-handshake", OD_STEP_TLS, "tls", G_TLS_ERROR_HANDSHAKE, 0, CTX_FULL,
    "tls-handshake-failed", NULL, NULL },
  { "tls-misc", OD_STEP_TLS, "tls", G_TLS_ERROR_MISC, 0, CTX_FULL,
    "tls-handshake-failed", NULL, NULL },
  { "tls-eof", OD_STEP_TLS, "tls", G_TLS_ERROR_EOF, 0, CTX_FULL,
    "tls-handshake-failed", NULL, NULL },
  { "tls-outdated", OD_STEP_TLS, "smtp", OD_SMTP_ERROR_TLS_OUTDATED, 0, CTX_FULL,
    "tls-handshake-failed", "outdated", "TLS 1.2" },
  { "starttls-injection", OD_STEP_TLS, "smtp", OD_SMTP_ERROR_STARTTLS_INJECTION, 0, CTX_FULL,
    "starttls-failed", "tampered", "465" },
  { "greeting-timeout", OD_STEP_GREETING, "io", G_IO_ERROR_TIMED_OUT, 0, CTX_FULL,
    "server-timeout", NULL, NULL },
  /* Nor is a missing greeting on port 465: the TLS sniff has to find a TLS server there. */
  { "greeting-timeout-plain-465", OD_STEP_GREETING, "io", G_IO_ERROR_TIMED_OUT, 0,
    CTX_PLAIN_465, "server-timeout", NULL, NULL },
  { "tls-timeout", OD_STEP_TLS, "io", G_IO_ERROR_TIMED_OUT, 0, CTX_FULL,
    "server-timeout", NULL, NULL },
  { "ehlo-timeout", OD_STEP_EHLO, "io", G_IO_ERROR_TIMED_OUT, 0, CTX_FULL,
    "server-timeout", NULL, NULL },
  { "auth-timeout", OD_STEP_AUTH, "io", G_IO_ERROR_TIMED_OUT, 0, CTX_FULL,
    "server-timeout", NULL, NULL },
  { "sender-timeout", OD_STEP_SENDER, "io", G_IO_ERROR_TIMED_OUT, 0, CTX_OFFLINE,
    "server-timeout", NULL, NULL },
  { "recipient-timeout", OD_STEP_RECIPIENT, "io", G_IO_ERROR_TIMED_OUT, 0, CTX_FULL,
    "server-timeout", NULL, NULL },
  { "data-timeout", OD_STEP_DATA, "io", G_IO_ERROR_TIMED_OUT, 0, CTX_FULL,
    "server-timeout", NULL, "may or may not have arrived" },
  { "malformed", OD_STEP_GREETING, "smtp", OD_SMTP_ERROR_MALFORMED_REPLY, 0, CTX_FULL,
    "protocol-error", "port 587", NULL },
  { "line-too-long", OD_STEP_EHLO, "smtp", OD_SMTP_ERROR_LINE_TOO_LONG, 0, CTX_FULL,
    "protocol-error", NULL, NULL },
  { "too-many-lines", OD_STEP_EHLO, "smtp", OD_SMTP_ERROR_TOO_MANY_LINES, 0, CTX_FULL,
    "protocol-error", NULL, NULL },
  { "closed-greeting", OD_STEP_GREETING, "smtp", OD_SMTP_ERROR_CONNECTION_CLOSED, 0, CTX_FULL,
    "server-busy", "hung up", NULL },
  { "closed-tls", OD_STEP_TLS, "smtp", OD_SMTP_ERROR_CONNECTION_CLOSED, 0, CTX_FULL,
    "tls-handshake-failed", "hung up", NULL },
  { "closed-auth", OD_STEP_AUTH, "smtp", OD_SMTP_ERROR_CONNECTION_CLOSED, 0, CTX_FULL,
    "server-error-temporary", "hung up", NULL },
  { "closed-data", OD_STEP_DATA, "smtp", OD_SMTP_ERROR_CONNECTION_CLOSED, 0, CTX_FULL,
    "server-error-temporary", "hung up", "may or may not have arrived" },
  { "io-closed-sender", OD_STEP_SENDER, "io", G_IO_ERROR_CONNECTION_CLOSED, 0, CTX_FULL,
    "server-error-temporary", "hung up", NULL },
  { "io-broken-pipe-recipient", OD_STEP_RECIPIENT, "io", G_IO_ERROR_BROKEN_PIPE, 0, CTX_FULL,
    "server-error-temporary", "hung up", NULL },
  { "bad-input-sender", OD_STEP_SENDER, "smtp", OD_SMTP_ERROR_BAD_INPUT, 0, CTX_FULL,
    "sender-not-allowed", NULL, NULL },
  { "bad-input-recipient", OD_STEP_RECIPIENT, "smtp", OD_SMTP_ERROR_BAD_INPUT, 0, CTX_FULL,
    "recipient-rejected", NULL, NULL },
  { "unknown-io-ehlo", OD_STEP_EHLO, "io", G_IO_ERROR_FAILED, 0, CTX_FULL,
    "server-error-temporary", "Test error", NULL },
  { "unknown-domain-connect", OD_STEP_CONNECT, "file", G_FILE_ERROR_FAILED, 0, CTX_FULL,
    "host-unreachable", "Test error", NULL },
  { "unknown-domain-dns", OD_STEP_DNS, "file", G_FILE_ERROR_FAILED, 0, CTX_NONE,
    "dns-failure", "Test error", NULL },
  { "unknown-smtp-code", OD_STEP_DATA, "smtp", 4242, 0, CTX_NONE,
    "server-error-temporary", "Test error", NULL },
};

static GQuark
domain_from_name (const char *name)
{
  if (g_str_equal (name, "resolver"))
    return G_RESOLVER_ERROR;
  if (g_str_equal (name, "io"))
    return G_IO_ERROR;
  if (g_str_equal (name, "tls"))
    return G_TLS_ERROR;
  if (g_str_equal (name, "smtp"))
    return OD_SMTP_ERROR;
  if (g_str_equal (name, "file"))
    return G_FILE_ERROR;
  g_assert_not_reached ();
}

static void
test_error_case (gconstpointer data)
{
  const ErrorCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProblem) problem = NULL;
  OdDiagnosisContext ctx = full_context;
  const OdDiagnosisContext *context = &ctx;

  switch (c->context)
    {
    case CTX_FULL:
      break;
    case CTX_NONE:
      context = NULL;
      break;
    case CTX_ZERO:
      memset (&ctx, 0, sizeof ctx);
      break;
    case CTX_OFFLINE:
      ctx.network_available = FALSE;
      ctx.connectivity = G_NETWORK_CONNECTIVITY_LOCAL;
      break;
    case CTX_LIMITED:
      ctx.connectivity = G_NETWORK_CONNECTIVITY_LIMITED;
      break;
    case CTX_NO_ROUTE:
      ctx.network_available = FALSE;
      ctx.connectivity = G_NETWORK_CONNECTIVITY_LOCAL;
      ctx.route = OD_ROUTE_NONE;
      break;
    case CTX_NO_ROUTE_LIMITED:
      ctx.connectivity = G_NETWORK_CONNECTIVITY_LIMITED;
      ctx.route = OD_ROUTE_NONE;
      break;
    case CTX_PORTAL:
      ctx.connectivity = G_NETWORK_CONNECTIVITY_PORTAL;
      break;
    case CTX_PLAIN_465:
      ctx.port = 465;
      ctx.security = OD_SECURITY_STARTTLS;
      break;
    default:
      g_assert_not_reached ();
    }
  ctx.tls_errors = c->tls_errors;

  error = g_error_new_literal (domain_from_name (c->domain), c->code, "Test error");
  problem = od_diagnosis_from_error (c->step_id, error, context);

  assert_problem_sane (problem, c->step_id);
  g_assert_cmpstr (od_problem_get_id (problem), ==, c->expected_id);
  g_assert_cmpint (od_problem_get_severity (problem), ==, OD_SEVERITY_ERROR);
  g_assert_null (od_problem_get_server_reply (problem));

  if (c->summary_has != NULL)
    assert_contains (od_problem_get_summary (problem), c->summary_has);
  if (c->remedy_has != NULL)
    assert_contains (od_problem_get_remedy (problem), c->remedy_has);
}

static void
test_error_every_step (void)
{
  static const char * const steps[] = {
    OD_STEP_NETWORK, OD_STEP_DNS, OD_STEP_CONNECT, OD_STEP_TLS, OD_STEP_GREETING, OD_STEP_EHLO,
    OD_STEP_AUTH, OD_STEP_SENDER, OD_STEP_RECIPIENT, OD_STEP_DATA, "some-future-step",
  };
  static const struct { const char *domain; int code; } errors[] = {
    { "io", G_IO_ERROR_TIMED_OUT }, { "io", G_IO_ERROR_CONNECTION_REFUSED },
    { "io", G_IO_ERROR_FAILED }, { "io", G_IO_ERROR_CONNECTION_CLOSED },
    { "io", G_IO_ERROR_NOT_SUPPORTED }, { "resolver", G_RESOLVER_ERROR_NOT_FOUND },
    { "tls", G_TLS_ERROR_BAD_CERTIFICATE }, { "tls", G_TLS_ERROR_CERTIFICATE_REQUIRED },
    { "smtp", OD_SMTP_ERROR_BAD_INPUT }, { "smtp", OD_SMTP_ERROR_CONNECTION_CLOSED },
    { "file", G_FILE_ERROR_NOENT },
  };

  /* Never NULL, always a catalog id, whatever the combination. */
  for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      for (guint e = 0; e < G_N_ELEMENTS (errors); e++)
        {
          g_autoptr(GError) error = NULL;
          OdProblem *problem;

          error = g_error_new_literal (domain_from_name (errors[e].domain), errors[e].code, "x");
          problem = od_diagnosis_from_error (steps[s], error, NULL);
          assert_problem_sane (problem, steps[s]);
          g_assert_finalize_object (problem);
        }
    }
}

static void
test_reply_every_code (void)
{
  static const char * const steps[] = {
    OD_STEP_CONNECT, OD_STEP_TLS, OD_STEP_GREETING, OD_STEP_EHLO, OD_STEP_AUTH, OD_STEP_SENDER,
    OD_STEP_RECIPIENT, OD_STEP_DATA, "some-future-step",
  };
  const char *lines[] = { "", NULL };

  for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      for (guint code = 100; code <= 999; code++)
        {
          g_autoptr(OdSmtpReply) reply = od_smtp_reply_new (code, lines);
          OdProblem *problem;

          problem = od_diagnosis_from_reply (steps[s], reply, NULL);
          assert_problem_sane (problem, steps[s]);

          if (code >= 400 && code < 500 && code != 421)
            g_assert_cmpstr (od_problem_get_id (problem), !=, "server-error-permanent");
          if (code >= 500 && code < 600)
            g_assert_cmpstr (od_problem_get_id (problem), !=, "server-error-temporary");
          if (code < 200 || code >= 600)
            g_assert_cmpstr (od_problem_get_id (problem), ==, "protocol-error");

          g_assert_finalize_object (problem);
        }
    }
}

/* IMAP and POP3 errors of the incoming check: the response codes decide, a refusal without
 * one is read by the step, and the remedies name the incoming ports. */
static void
test_error_incoming (void)
{
  static const struct {
    const char *domain;  /* "imap" or "pop3" */
    int         code;
    const char *step_id;
    const char *expected;
  } cases[] = {
    { "imap", OD_IMAP_ERROR_AUTHENTICATION_FAILED, OD_STEP_AUTH, "auth-failed" },
    { "imap", OD_IMAP_ERROR_NO, OD_STEP_AUTH, "auth-failed" },
    { "imap", OD_IMAP_ERROR_NO, OD_STEP_TLS, "starttls-failed" },
    { "imap", OD_IMAP_ERROR_NO, OD_STEP_MAILBOX, "server-error-permanent" },
    { "imap", OD_IMAP_ERROR_UNAVAILABLE, OD_STEP_AUTH, "auth-temporary-failure" },
    { "imap", OD_IMAP_ERROR_UNAVAILABLE, OD_STEP_MAILBOX, "server-error-temporary" },
    { "imap", OD_IMAP_ERROR_PRIVACY_REQUIRED, OD_STEP_AUTH, "auth-encryption-required" },
    { "imap", OD_IMAP_ERROR_LOGIN_DISABLED, OD_STEP_AUTH, "imap-login-disabled" },
    { "imap", OD_IMAP_ERROR_OVER_QUOTA, OD_STEP_MAILBOX, "mailbox-quota-exceeded" },
    { "imap", OD_IMAP_ERROR_BYE, OD_STEP_GREETING, "server-busy" },
    { "imap", OD_IMAP_ERROR_STARTTLS_INJECTION, OD_STEP_TLS, "starttls-failed" },
    { "imap", OD_IMAP_ERROR_LITERAL_TOO_LARGE, OD_STEP_MAILBOX, "protocol-error" },
    { "imap", OD_IMAP_ERROR_NOT_OFFERED, OD_STEP_TLS, "starttls-not-offered" },
    { "pop3", OD_POP3_ERROR_AUTH, OD_STEP_AUTH, "auth-failed" },
    { "pop3", OD_POP3_ERROR_REFUSED, OD_STEP_GREETING, "server-busy" },
    { "pop3", OD_POP3_ERROR_SYS_TEMP, OD_STEP_AUTH, "auth-temporary-failure" },
    { "pop3", OD_POP3_ERROR_PLAINTEXT_REFUSED, OD_STEP_AUTH, "auth-plaintext-refused" },
    { "pop3", OD_POP3_ERROR_STLS_INJECTION, OD_STEP_TLS, "starttls-failed" },
    { "pop3", OD_POP3_ERROR_TOO_MANY_LINES, OD_STEP_CAPABILITIES, "protocol-error" },
  };
  OdDiagnosisContext ctx = { .host = "imap.example.org", .port = 143,
                             .protocol = OD_PROTOCOL_IMAP };
  g_autoptr(GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                                                    "Connection refused");
  g_autoptr(OdProblem) problem = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GQuark domain = g_str_equal (cases[i].domain, "imap") ? OD_IMAP_ERROR : OD_POP3_ERROR;
      g_autoptr(GError) error = g_error_new_literal (domain, cases[i].code, "NO words");
      g_autoptr(OdProblem) found = od_diagnosis_from_error (cases[i].step_id, error, &ctx);

      g_test_message ("%s %d at %s", cases[i].domain, cases[i].code, cases[i].step_id);
      g_assert_cmpstr (od_problem_get_id (found), ==, cases[i].expected);
      assert_problem_sane (found, cases[i].step_id);
    }

  /* The incoming ports, not the submission ports. */
  problem = od_diagnosis_from_error (OD_STEP_CONNECT, refused, &ctx);
  g_assert_cmpstr (od_problem_get_id (problem), ==, "connection-refused");
  g_assert_nonnull (strstr (od_problem_get_remedy (problem), "993"));
  g_assert_null (strstr (od_problem_get_remedy (problem), "587"));
  g_clear_object (&problem);

  ctx.protocol = OD_PROTOCOL_POP3;
  problem = od_diagnosis_from_error (OD_STEP_CONNECT, refused, &ctx);
  g_assert_nonnull (strstr (od_problem_get_remedy (problem), "995"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/diagnosis/catalog/ids", test_catalog_ids);
  g_test_add_func ("/od/diagnosis/catalog/documented", test_catalog_documented);
  g_test_add_func ("/od/diagnosis/catalog/texts", test_catalog_texts);
  g_test_add_func ("/od/diagnosis/catalog/distinct-texts", test_catalog_distinct_texts);
  g_test_add_func ("/od/diagnosis/catalog/fixes", test_catalog_fixes);
  g_test_add_func ("/od/diagnosis/catalog/context-texts", test_context_texts);
  g_test_add_func ("/od/diagnosis/remedy/auth-failed", test_auth_failed_remedy);
  g_test_add_func ("/od/diagnosis/remedy/port-blocked", test_port_blocked_remedy);
  g_test_add_func ("/od/diagnosis/remedy/encryption-mismatch", test_encryption_mismatch_remedy);

  for (guint i = 0; i < G_N_ELEMENTS (reply_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/od/diagnosis/reply/%s", reply_cases[i].name);

      g_test_add_data_func (path, &reply_cases[i], test_reply_case);
    }
  g_test_add_func ("/od/diagnosis/reply/multiline-server-reply",
                   test_reply_multiline_server_reply);
  g_test_add_func ("/od/diagnosis/reply/words-are-whole", test_reply_words_are_whole);
  g_test_add_func ("/od/diagnosis/reply/every-code", test_reply_every_code);

  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/od/diagnosis/error/%s", error_cases[i].name);

      g_test_add_data_func (path, &error_cases[i], test_error_case);
    }
  g_test_add_func ("/od/diagnosis/error/every-step", test_error_every_step);
  g_test_add_func ("/od/diagnosis/error/incoming", test_error_incoming);

  return g_test_run ();
}
