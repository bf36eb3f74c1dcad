/* od-diagnosis-reply.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-diagnosis"

#include "config.h"

#include <string.h>

#include "od-diagnosis-private.h"

/* The rules for replies: what an unexpected SMTP reply means at the step it came, from its
 * code, its enhanced status code (RFC 3463) and, where providers put the meaning only there,
 * its words. The rules name a kind and, when the words say more, a reason; the texts for
 * both are in od-diagnosis-texts.c.
 *
 * Microsoft's refusals of a password that may well be right have ids of their own, since
 * re-typing it (auth-failed) or an app password (auth-app-password-required) does not help:
 * 5.7.30 "Basic authentication is not supported" is auth-basic-retired (password sign-in
 * for sending is switched off: the account needs OAuth), and so is a 5.7.139 from security
 * defaults or Conditional Access; 5.7.139 "SmtpClientAuthentication is disabled" is
 * auth-smtp-disabled (an administrator must enable Authenticated SMTP); a 5.7.139 that says
 * the credentials were wrong is auth-failed. Yahoo's #AUTH005 and Google's web-login and
 * second-factor answers are auth-app-password-required. */

static gboolean
step_is (const char *step_id,
         const char *expected)
{
  return step_id != NULL && g_str_equal (step_id, expected);
}

static gboolean
host_is (const OdDiagnosisContext *ctx,
         const char               *domain)
{
  g_autofree char *host = NULL;
  gsize host_len, domain_len;

  if (ctx->host == NULL)
    return FALSE;

  host = g_ascii_strdown (ctx->host, -1);
  host_len = strlen (host);
  domain_len = strlen (domain);

  if (host_len < domain_len || !g_str_has_suffix (host, domain))
    return FALSE;

  return host_len == domain_len || host[host_len - domain_len - 1] == '.';
}


typedef struct
{
  const char               *step_id;
  const OdDiagnosisContext *ctx;
  guint                     code;
  const char               *enhanced;  /* "5.7.8", or NULL */
  char                     *text;      /* every line, lower case, joined with spaces */
  OdReason                  reason;    /* what a rule found beyond the kind */
} ReplyFacts;

static gboolean
has (const ReplyFacts *f,
     const char       *needle)
{
  return strstr (f->text, needle) != NULL;
}

static gboolean
has_any (const ReplyFacts   *f,
         const char * const *needles)
{
  for (guint i = 0; needles[i] != NULL; i++)
    {
      if (has (f, needles[i]))
        return TRUE;
    }

  return FALSE;
}

/* @word as a whole word, so "rate" does not match "generated". */
static gboolean
has_word (const ReplyFacts *f,
          const char       *word)
{
  gsize len = strlen (word);

  for (const char *p = strstr (f->text, word); p != NULL; p = strstr (p + 1, word))
    {
      gboolean start_ok = p == f->text || !g_ascii_isalnum (p[-1]);
      gboolean end_ok = !g_ascii_isalnum (p[len]);

      if (start_ok && end_ok)
        return TRUE;
    }

  return FALSE;
}

/* Compares the subject and detail ("7.1") and ignores the class, which some servers get
 * wrong (a 535 with 5.7.0, a 550 with 4.7.1). */
static gboolean
enhanced_detail_is (const ReplyFacts *f,
                    const char       *subject_detail)
{
  const char *dot;

  if (f->enhanced == NULL)
    return FALSE;

  dot = strchr (f->enhanced, '.');
  return dot != NULL && g_str_equal (dot + 1, subject_detail);
}

static gboolean
enhanced_subject_is (const ReplyFacts *f,
                     char              subject)
{
  const char *dot;

  if (f->enhanced == NULL)
    return FALSE;

  dot = strchr (f->enhanced, '.');
  return dot != NULL && dot[1] == subject && dot[2] == '.';
}

static gboolean
is_transient (const ReplyFacts *f)
{
  return f->code >= 400 && f->code < 500;
}

static gboolean
is_permanent (const ReplyFacts *f)
{
  return f->code >= 500 && f->code < 600;
}

static gboolean
is_envelope_step (const ReplyFacts *f)
{
  return step_is (f->step_id, OD_STEP_SENDER)
         || step_is (f->step_id, OD_STEP_RECIPIENT)
         || step_is (f->step_id, OD_STEP_DATA);
}

static gboolean
says_rate_limit (const ReplyFacts *f)
{
  static const char * const words[] = {
    "rate limit", "ratelimit", "rate-limit", "too many", "throttl", "too fast", "slow down",
    NULL
  };

  return has_any (f, words) || has_word (f, "rate") || has_word (f, "limit")
         || has_word (f, "limited") || has_word (f, "limits");
}

static gboolean
says_greylisting (const ReplyFacts *f)
{
  static const char * const words[] = {
    "greylist", "graylist", "grey-list", "gray-list", "grey list", "gray list", "postgrey",
    "not yet authorized", "not yet authorised",
    NULL
  };

  return has_any (f, words);
}

static gboolean
says_try_later (const ReplyFacts *f)
{
  static const char * const words[] = {
    "try again later", "try later", "retry later", "come back later", "try again in",
    "temporarily deferred",
    NULL
  };

  return has_any (f, words);
}

static gboolean
says_spam (const ReplyFacts *f)
{
  static const char * const words[] = {
    "spam", "unsolicited", "blocklist", "blacklist", "block list", "black list", "denylist",
    "reputation", "dnsbl", "blocked using", "phish", "virus", "malware", "junk",
    NULL
  };

  return has_any (f, words) || has_word (f, "rbl");
}

static gboolean
says_policy (const ReplyFacts *f)
{
  static const char * const words[] = {
    "policy", "blocked", "content", "rejected", "refused", "filter", "not accepted",
    NULL
  };

  return has_any (f, words);
}

static gboolean
says_auth_required (const ReplyFacts *f)
{
  static const char * const words[] = {
    "authentication required", "authentication is required", "authentication needed",
    "must be authenticated", "must authenticate", "not authenticated", "auth required",
    "authorization required", "authorisation required", "wantautherror", "not logged in",
    "login required", "log in first", "sign in first",
    NULL
  };

  return has_any (f, words);
}

static gboolean
says_encryption_required (const ReplyFacts *f)
{
  static const char * const words[] = {
    "starttls", "tls first", "encryption required", "requires encryption",
    "encryption needed", "secure connection required", "must use tls", "ssl required",
    NULL
  };

  return has_any (f, words);
}

static gboolean
says_relay_denied (const ReplyFacts *f)
{
  static const char * const denials[] = {
    "denied", "not permitted", "unable", "not allowed", "prohibited", "not relay",
    "n't relay", "no relay", "refused", "rejected", "not authori", "not accepted",
    NULL
  };

  return (has_word (f, "relay") || has (f, "relaying")) && has_any (f, denials);
}

static gboolean
says_mailbox_full (const ReplyFacts *f)
{
  static const char * const words[] = {
    "mailbox full", "mailbox is full", "over quota", "overquota", "over its quota",
    "mailbox quota", "exceeded storage", "storage allocation", "mailbox size", "full mailbox",
    NULL
  };

  return has_any (f, words);
}

static gboolean
says_too_large (const ReplyFacts *f)
{
  static const char * const words[] = {
    "too large", "too big", "size exceeds", "exceeds size", "exceeds the size", "message size",
    "size limit", "maximum size", "exceeds fixed maximum",
    NULL
  };

  return has_any (f, words);
}

static gboolean
says_send_quota (const ReplyFacts *f)
{
  static const char * const words[] = {
    "quota", "daily", "sending limit", "send limit", "message limit", "limit exceeded",
    "exceeded the limit", "sending allowance",
    NULL
  };

  return has_any (f, words);
}

static gboolean
says_sender_domain_auth (const ReplyFacts *f)
{
  return has (f, "dmarc") || has (f, "dkim") || has_word (f, "spf");
}

static gboolean
is_gmail (const ReplyFacts *f)
{
  return has (f, "gsmtp") || host_is (f->ctx, "gmail.com") || host_is (f->ctx, "googlemail.com");
}

static gboolean
is_microsoft (const ReplyFacts *f)
{
  return host_is (f->ctx, "office365.com") || host_is (f->ctx, "outlook.com")
         || host_is (f->ctx, "hotmail.com") || host_is (f->ctx, "live.com");
}

/* Provider-specific words for a refused password: which kind of password they need. */
static OdReason
auth_failed_provider_reason (const ReplyFacts *f)
{
  if (has (f, "badcredentials") || is_gmail (f))
    return OD_REASON_PASSWORD_GOOGLE;

  if (host_is (f->ctx, "me.com") || host_is (f->ctx, "icloud.com"))
    return OD_REASON_PASSWORD_ICLOUD;

  if (host_is (f->ctx, "fastmail.com"))
    return OD_REASON_PASSWORD_FASTMAIL;

  if (host_is (f->ctx, "yahoo.com") || host_is (f->ctx, "aol.com"))
    return OD_REASON_PASSWORD_YAHOO;

  if (enhanced_detail_is (f, "7.3") || is_microsoft (f))
    return OD_REASON_PASSWORD_MICROSOFT;

  return OD_REASON_NONE;
}

static OdProblemKind
classify_auth_failed (ReplyFacts *f)
{
  if (enhanced_detail_is (f, "7.13") || has (f, "account disabled") || has (f, "disabled account"))
    f->reason = OD_REASON_ACCOUNT_DISABLED;
  else
    f->reason = auth_failed_provider_reason (f);

  return OD_PROBLEM_AUTH_FAILED;
}

/* Provider tokens that say "your password is not the kind we accept here", in any step. */
static OdProblemKind
classify_provider_auth (ReplyFacts *f)
{
  /* Microsoft's retirement of passwords for SMTP AUTH. */
  if (enhanced_detail_is (f, "7.30") || has (f, "basic authentication is not supported") ||
      has (f, "basic authentication is disabled"))
    {
      f->reason = OD_REASON_MICROSOFT_BASIC_AUTH;
      return OD_PROBLEM_AUTH_BASIC_RETIRED;
    }

  if (enhanced_detail_is (f, "7.139"))
    {
      if (has (f, "smtpclientauthentication is disabled"))
        {
          f->reason = OD_REASON_MICROSOFT_SMTP_AUTH_DISABLED;
          return OD_PROBLEM_AUTH_SMTP_DISABLED;
        }

      if (has (f, "credentials were incorrect"))
        {
          f->reason = OD_REASON_PASSWORD_MICROSOFT;
          return OD_PROBLEM_AUTH_FAILED;
        }

      /* Security defaults, Conditional Access, MFA: the organisation's policy. */
      f->reason = OD_REASON_MICROSOFT_POLICY;
      return OD_PROBLEM_AUTH_BASIC_RETIRED;
    }

  if (has (f, "#auth005"))
    {
      f->reason = OD_REASON_YAHOO_APP_PASSWORD;
      return OD_PROBLEM_AUTH_APP_PASSWORD_REQUIRED;
    }

  if (has (f, "weblogin") || enhanced_detail_is (f, "7.14"))
    {
      f->reason = OD_REASON_GOOGLE_WEB_LOGIN;
      return OD_PROBLEM_AUTH_APP_PASSWORD_REQUIRED;
    }

  if (has (f, "invalidsecondfactor") || has (f, "application-specific password"))
    {
      f->reason = OD_REASON_GOOGLE_SECOND_FACTOR;
      return OD_PROBLEM_AUTH_APP_PASSWORD_REQUIRED;
    }

  return OD_N_PROBLEM_KINDS;
}

/* Replies to AUTH. Returns OD_N_PROBLEM_KINDS to let the general rules decide. */
static OdProblemKind
classify_auth_step (ReplyFacts *f)
{
  /* 534 5.7.9 means "mechanism too weak" in RFC 4954, but in practice (Gmail) an app
   * password; only the words tell the first meaning apart. */
  if (f->code == 534 && (has (f, "mechanism") || has (f, "too weak")))
    return OD_PROBLEM_AUTH_MECHANISM_UNSUPPORTED;

  if (f->code == 534 || enhanced_detail_is (f, "7.9"))
    return OD_PROBLEM_AUTH_APP_PASSWORD_REQUIRED;

  if (f->code == 504 || enhanced_detail_is (f, "5.4"))
    return OD_PROBLEM_AUTH_MECHANISM_UNSUPPORTED;

  /* "502 Command not implemented", Postfix's "503 5.5.1 Error: authentication not enabled". */
  if ((f->code == 500 || f->code == 502) && !enhanced_detail_is (f, "5.6"))
    return OD_PROBLEM_AUTH_NOT_OFFERED;
  if (f->code == 503 && (has (f, "not enabled") || has (f, "not available")
                         || has (f, "not supported")))
    return OD_PROBLEM_AUTH_NOT_OFFERED;

  if (f->code == 432 || enhanced_detail_is (f, "7.12"))
    {
      f->reason = OD_REASON_PASSWORD_CHANGE;
      return OD_PROBLEM_AUTH_FAILED;
    }

  /* RFC 4954: 454 4.7.0 is a temporary failure; do not re-prompt for the password. */
  if (is_transient (f))
    return OD_PROBLEM_AUTH_TEMPORARY_FAILURE;

  if (f->code == 535 || enhanced_detail_is (f, "7.8") || enhanced_detail_is (f, "7.3")
      || enhanced_detail_is (f, "7.13")
      || has (f, "authentication failed") || has (f, "invalid credentials")
      || has (f, "password"))
    return classify_auth_failed (f);

  return OD_N_PROBLEM_KINDS;
}

/* The 4xx replies no earlier rule explained. */
static OdProblemKind
classify_transient (ReplyFacts *f)
{
  if (says_greylisting (f))
    return OD_PROBLEM_GREYLISTED;
  if (says_rate_limit (f))
    return OD_PROBLEM_RATE_LIMITED;
  if (says_send_quota (f))
    return OD_PROBLEM_SEND_QUOTA_EXCEEDED;
  if (is_envelope_step (f) && says_spam (f))
    return OD_PROBLEM_MESSAGE_REJECTED_SPAM;
  if (has (f, "server busy") || has (f, "too busy") || has (f, "server is busy"))
    return OD_PROBLEM_SERVER_BUSY;
  if ((f->code == 450 || f->code == 451) && is_envelope_step (f) && says_try_later (f))
    return OD_PROBLEM_GREYLISTED;
  if (step_is (f->step_id, OD_STEP_RECIPIENT)
      && (enhanced_detail_is (f, "7.1") || enhanced_detail_is (f, "2.0")))
    return OD_PROBLEM_GREYLISTED;
  if ((f->code == 452 || f->code == 552) && step_is (f->step_id, OD_STEP_RECIPIENT)
      && f->enhanced == NULL)
    return OD_PROBLEM_MAILBOX_FULL;
  return OD_PROBLEM_SERVER_ERROR_TEMPORARY;
}

/* The 5xx replies no earlier rule explained. */
static OdProblemKind
classify_permanent (ReplyFacts *f)
{
  if (says_send_quota (f) && !enhanced_subject_is (f, '1'))
    return OD_PROBLEM_SEND_QUOTA_EXCEEDED;

  if (is_envelope_step (f) && says_sender_domain_auth (f))
    return OD_PROBLEM_MESSAGE_REJECTED_AUTHENTICATION;

  if (says_spam (f))
    return OD_PROBLEM_MESSAGE_REJECTED_SPAM;

  if (step_is (f->step_id, OD_STEP_SENDER)
      && (f->code == 553 || enhanced_detail_is (f, "1.7") || enhanced_detail_is (f, "1.8")
          || (enhanced_detail_is (f, "7.1") && has (f, "sender"))))
    return OD_PROBLEM_SENDER_NOT_ALLOWED;

  if (step_is (f->step_id, OD_STEP_RECIPIENT) || step_is (f->step_id, OD_STEP_DATA))
    {
      static const char * const unknown_recipient[] = {
        "does not exist", "doesn't exist", "no such", "unknown", "not found", "invalid recipient",
        "invalid mailbox", "mailbox unavailable", "user not local", "not our customer",
        NULL
      };

      if (enhanced_detail_is (f, "1.2"))
        {
          f->reason = OD_REASON_RECIPIENT_DOMAIN;
          return OD_PROBLEM_RECIPIENT_REJECTED;
        }

      if (enhanced_detail_is (f, "1.1") || enhanced_detail_is (f, "1.3")
          || enhanced_detail_is (f, "1.6") || enhanced_detail_is (f, "1.10")
          || enhanced_detail_is (f, "2.1")
          || (step_is (f->step_id, OD_STEP_RECIPIENT)
              && (f->code == 551 || has_any (f, unknown_recipient))))
        return OD_PROBLEM_RECIPIENT_REJECTED;

      if (f->code == 552 && step_is (f->step_id, OD_STEP_RECIPIENT))
        return OD_PROBLEM_MAILBOX_FULL;
    }

  if (f->code == 552)
    return OD_PROBLEM_MESSAGE_TOO_LARGE;

  if (step_is (f->step_id, OD_STEP_DATA)
      && (enhanced_detail_is (f, "7.1") || enhanced_subject_is (f, '7') || says_policy (f)))
    return OD_PROBLEM_MESSAGE_REJECTED_SPAM;

  /* A bare 5.7.0 before DATA is, in practice, "sign in first". */
  if ((step_is (f->step_id, OD_STEP_SENDER) || step_is (f->step_id, OD_STEP_RECIPIENT))
      && enhanced_detail_is (f, "7.0"))
    return OD_PROBLEM_AUTH_REQUIRED;

  return OD_PROBLEM_SERVER_ERROR_PERMANENT;
}

static OdProblemKind
classify_reply (ReplyFacts *f)
{
  OdProblemKind kind;

  /* RFC 5321 §4.2: first digits other than 2 to 5 are not SMTP. */
  if (f->code < 200 || f->code > 599)
    return OD_PROBLEM_PROTOCOL_ERROR;

  /* 421 may come at any time, as the answer to any command. */
  if (f->code == 421)
    return enhanced_subject_is (f, '7') && says_rate_limit (f)
           ? OD_PROBLEM_RATE_LIMITED : OD_PROBLEM_SERVER_BUSY;

  if (step_is (f->step_id, OD_STEP_TLS))
    {
      if (f->code == 220)
        return OD_PROBLEM_PROTOCOL_ERROR;  /* not an unexpected reply: the caller's mistake */
      if (is_transient (f))
        f->reason = OD_REASON_STARTTLS_TEMPORARY;
      return OD_PROBLEM_STARTTLS_FAILED;
    }

  if (step_is (f->step_id, OD_STEP_GREETING) || step_is (f->step_id, OD_STEP_CONNECT))
    {
      if (is_permanent (f))
        {
          f->reason = OD_REASON_GREETING_REFUSED;
          return OD_PROBLEM_SERVER_ERROR_PERMANENT;
        }
      if (is_transient (f))
        return says_rate_limit (f) ? OD_PROBLEM_RATE_LIMITED : OD_PROBLEM_SERVER_BUSY;
      return OD_PROBLEM_PROTOCOL_ERROR;
    }

  if (enhanced_detail_is (f, "3.2"))
    return OD_PROBLEM_SERVER_BUSY;

  if (is_permanent (f) && (kind = classify_provider_auth (f)) != OD_N_PROBLEM_KINDS)
    return kind;

  /* 538 5.7.11, 5.7.10, and "530 5.7.0 Must issue a STARTTLS command first". */
  if (f->code == 538 || enhanced_detail_is (f, "7.11") || enhanced_detail_is (f, "7.10")
      || (is_permanent (f) && says_encryption_required (f)))
    return OD_PROBLEM_AUTH_ENCRYPTION_REQUIRED;

  if (step_is (f->step_id, OD_STEP_AUTH) && (kind = classify_auth_step (f)) != OD_N_PROBLEM_KINDS)
    return kind;

  /* Checked before "sign in" hints: "Relaying denied. Proper authentication required." */
  if ((is_permanent (f) || is_transient (f)) && says_relay_denied (f))
    return OD_PROBLEM_RELAY_DENIED;
  if (enhanced_detail_is (f, "7.54"))
    return OD_PROBLEM_RELAY_DENIED;

  /* Before the sign-in hints: Gmail's 5.7.26 says "requires all senders to authenticate". */
  if (enhanced_detail_is (f, "7.26") || enhanced_detail_is (f, "7.23")
      || enhanced_detail_is (f, "7.24") || enhanced_detail_is (f, "7.25"))
    return OD_PROBLEM_MESSAGE_REJECTED_AUTHENTICATION;

  if (is_permanent (f)
      && (f->code == 530 || enhanced_detail_is (f, "7.57") || says_auth_required (f)
          || (f->code == 503 && has (f, "administrative prohibition"))))
    return OD_PROBLEM_AUTH_REQUIRED;

  /* Microsoft's "Client does not have permissions to send as this sender" may come after
   * DATA, so these are recognised in any step. */
  if (is_permanent (f)
      && (enhanced_detail_is (f, "7.60") || has (f, "not owned") || has_word (f, "send as")
          || has (f, "sendas")))
    return OD_PROBLEM_SENDER_NOT_ALLOWED;

  /* Before the quota and size rules: "452 4.2.2 The email account … is over quota". */
  if (enhanced_detail_is (f, "2.2"))
    return OD_PROBLEM_MAILBOX_FULL;
  if ((f->code == 452 || f->code == 552 || step_is (f->step_id, OD_STEP_RECIPIENT)
       || step_is (f->step_id, OD_STEP_DATA))
      && !has (f, "submissionquota") && says_mailbox_full (f))
    return OD_PROBLEM_MAILBOX_FULL;

  if (enhanced_detail_is (f, "3.4") || enhanced_detail_is (f, "2.3")
      || (is_permanent (f) && says_too_large (f)))
    return OD_PROBLEM_MESSAGE_TOO_LARGE;

  if (is_transient (f))
    return classify_transient (f);

  if (!is_permanent (f))
    return OD_PROBLEM_PROTOCOL_ERROR;  /* a 2xx or 3xx where something else was expected */

  return classify_permanent (f);
}

/**
 * od_diagnosis_classify_reply:
 *
 * Returns: what an unexpected reply means at @step_id, from its code, its enhanced status
 *   code and, where providers put the meaning there, its words
 */
OdFinding
od_diagnosis_classify_reply (const char               *step_id,
                             const OdSmtpReply        *reply,
                             const OdDiagnosisContext *ctx)
{
  g_autofree char *joined = NULL;
  const char * const *lines = od_smtp_reply_get_lines (reply);
  ReplyFacts facts = { 0 };
  OdProblemKind kind;

  joined = lines != NULL ? g_strjoinv (" ", (char **)lines) : g_strdup ("");

  facts.step_id = step_id;
  facts.ctx = ctx;
  facts.code = od_smtp_reply_get_code (reply);
  facts.enhanced = od_smtp_reply_get_enhanced_code (reply);
  facts.text = g_ascii_strdown (joined, -1);

  kind = classify_reply (&facts);
  g_free (facts.text);

  return od_finding (kind, facts.reason);
}
