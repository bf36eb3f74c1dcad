/* od-check-oauth.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-check"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-check-private.h"
#include "od-text.h"

/* Signing in with an OAuth 2.0 access token (issue 17): the token, fetched by the caller at
 * the moment of the check (from GNOME Online Accounts), takes the password's place, and the
 * login is XOAUTH2 or OAUTHBEARER (RFC 7628), whichever the server offers (OAUTHBEARER, the
 * standard, first). The token is a secret like a password: it is kept in the check's
 * password field, registered with the transcript before anything is sent, and wiped. When
 * the caller could not get a token, the connection steps still run, and the login step
 * fails with what the token's issuer said. A refused token is explained from the server's
 * error challenge (its JSON "status" and "scope") and its final reply. docs/problems.md has
 * the mapping. */

struct _OdCheckOAuth
{
  char   *issuer;       /* who gave the token: "GNOME Online Accounts" */
  char   *provider;     /* the issuer's provider type: "google", "windows_live" */
  GError *token_error;  /* no token: why */
  OdProblemKind token_problem;  /* what that means, when the caller knows; else OD_N_PROBLEM_KINDS */
  OdReason token_reason;
  gboolean own;         /* from our own sign-in (issue 18), not another program's */
};

void
od_check_oauth_free (OdCheckOAuth *oauth)
{
  if (oauth == NULL)
    return;
  g_free (oauth->issuer);
  g_free (oauth->provider);
  g_clear_error (&oauth->token_error);
  g_free (oauth);
}

static OdCheckOAuth *
oauth_new (const char *issuer,
           const char *provider)
{
  OdCheckOAuth *oauth = g_new0 (OdCheckOAuth, 1);

  oauth->issuer = g_strdup (issuer);
  oauth->provider = g_strdup (provider);
  oauth->token_problem = OD_N_PROBLEM_KINDS;
  return oauth;
}

static void
clear_password (OdCheck *self)
{
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
}

/**
 * od_check_set_access_token:
 * @token: the OAuth 2.0 access token
 * @issuer: who gave it, for the person ("GNOME Online Accounts")
 * @provider: (nullable): the issuer's name for the provider ("google", "windows_live")
 *
 * Signs in with @token (XOAUTH2 or OAUTHBEARER) instead of a password. The token is copied
 * and treated as a password: never shown, wiped when the check is finalized.
 */
void
od_check_set_access_token (OdCheck    *self,
                           const char *token,
                           const char *issuer,
                           const char *provider)
{
  g_return_if_fail (OD_IS_CHECK (self));
  g_return_if_fail (token != NULL && issuer != NULL);

  clear_password (self);
  self->password = g_strdup (token);
  od_transcript_add_secret (self->transcript, token);
  od_check_oauth_free (self->oauth);
  self->oauth = oauth_new (issuer, provider);
}

/**
 * od_check_set_token_error:
 * @error: why @issuer gave no token (its own words)
 *
 * The account signs in with OAuth, but no token could be had: the connection steps run,
 * and the login step fails with the problem @error shows (oauth-signin-required,
 * oauth-admin-consent, oauth-policy-blocked).
 */
void
od_check_set_token_error (OdCheck      *self,
                          const GError *error,
                          const char   *issuer,
                          const char   *provider)
{
  g_return_if_fail (OD_IS_CHECK (self));
  g_return_if_fail (error != NULL && issuer != NULL);

  clear_password (self);
  od_check_oauth_free (self->oauth);
  self->oauth = oauth_new (issuer, provider);
  self->oauth->token_error = g_error_copy (error);
}

/**
 * od_check_set_token_problem:
 * @error: why there is no token
 * @kind: the problem it means (oauth-signin-required, oauth-admin-consent, …)
 * @reason: the finer reason, or %OD_REASON_NONE
 *
 * Like od_check_set_token_error(), for a caller that knows what @error means: our own
 * sign-in (issue 18), whose errors are the provider's own. Marks the check as signing in
 * with our own sign-in (od_check_set_own_sign_in()).
 */
void
od_check_set_token_problem (OdCheck       *self,
                            const GError  *error,
                            OdProblemKind  kind,
                            OdReason       reason,
                            const char    *issuer,
                            const char    *provider)
{
  od_check_set_token_error (self, error, issuer, provider);
  self->oauth->token_problem = kind;
  self->oauth->token_reason = reason;
  self->oauth->own = TRUE;
}

/**
 * od_check_set_own_sign_in:
 *
 * After od_check_set_access_token(): the token comes from Outbox Doctor's own sign-in, so a
 * refused token asks to sign in again here, not in Settings → Online Accounts.
 */
void
od_check_set_own_sign_in (OdCheck *self)
{
  g_return_if_fail (OD_IS_CHECK (self));
  g_return_if_fail (self->oauth != NULL);
  self->oauth->own = TRUE;
}

/**
 * od_check_get_uses_token:
 *
 * Returns: whether the check signs in with an OAuth access token (or was to, and got none)
 */
gboolean
od_check_get_uses_token (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), FALSE);
  return self->oauth != NULL;
}

/* What the providers' words in a token error or a reply name, or @fallback: Microsoft's
 * AADSTS65001 (consent required) and AADSTS90094 (admin consent required), Google's
 * policy_enforced (Advanced Protection, an organisation's rule). */
static OdProblemKind
kind_from_text (const char    *text,
                OdProblemKind  fallback)
{
  if (text == NULL)
    return fallback;
  if (strstr (text, "AADSTS65001") != NULL || strstr (text, "AADSTS90094") != NULL)
    return OD_PROBLEM_OAUTH_ADMIN_CONSENT;
  if (strstr (text, "policy_enforced") != NULL)
    return OD_PROBLEM_OAUTH_POLICY_BLOCKED;
  return fallback;
}

/* The login step fails at once when there is no token. Returns whether it did. Only a
 * sign-in the issuer says the person must renew (G_IO_ERROR_PERMISSION_DENIED: GOA's
 * NotAuthorized, AttentionNeeded) asks to sign in again; an issuer that is not running, a
 * time-out or a network failure during the refresh is a failure for now. */
gboolean
od_check_oauth_token_failed (OdCheck *self)
{
  g_autoptr(OdProblem) problem = NULL;
  g_autofree char *said = NULL;
  g_autofree char *detail = NULL;
  OdDiagnosisContext ctx;
  OdProblemKind kind;
  OdReason reason = OD_REASON_NONE;

  if (self->oauth == NULL || self->oauth->token_error == NULL)
    return FALSE;

  said = od_text_sanitize (self->oauth->token_error->message, -1, OD_TEXT_SINGLE_LINE);
  if (self->oauth->token_problem != OD_N_PROBLEM_KINDS)
    {
      kind = self->oauth->token_problem;
      reason = self->oauth->token_reason;
    }
  else if (g_error_matches (self->oauth->token_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    kind = kind_from_text (said, OD_PROBLEM_OAUTH_SIGNIN_REQUIRED);
  else
    kind = kind_from_text (said, OD_PROBLEM_AUTH_TEMPORARY_FAILURE);
  if (self->oauth->token_problem != OD_N_PROBLEM_KINDS)
    ;
  else if (kind == OD_PROBLEM_OAUTH_SIGNIN_REQUIRED)
    reason = OD_REASON_TOKEN_UNAVAILABLE;
  else if (kind == OD_PROBLEM_AUTH_TEMPORARY_FAILURE)
    reason = OD_REASON_TOKEN_SERVICE;
  od_check_diagnosis_context (self, &ctx);
  problem = od_diagnosis_problem_new_full (kind, reason, OD_STEP_AUTH, OD_SEVERITY_ERROR, &ctx,
                                           NULL);
  /* Translators: %s is the words of the token's issuer (GNOME Online Accounts) */
  detail = g_strdup_printf (_("No sign-in token for this account: %s"), said);
  od_check_fail_step (self, OD_STEP_AUTH, problem, detail);
  od_check_finish_run (self, TRUE);
  return TRUE;
}

/**
 * od_check_oauth_choose:
 * @offered: the login methods the server offers
 *
 * Returns: (nullable): OAUTHBEARER (RFC 7628) when offered, else XOAUTH2, else %NULL
 */
const char *
od_check_oauth_choose (OdCheck            *self,
                       const char * const *offered)
{
  static const char * const preferred[] = { OD_SASL_OAUTHBEARER, OD_SASL_XOAUTH2 };

  for (guint i = 0; i < G_N_ELEMENTS (preferred); i++)
    for (guint j = 0; offered != NULL && offered[j] != NULL; j++)
      if (g_ascii_strcasecmp (offered[j], preferred[i]) == 0)
        return preferred[i];
  return NULL;
}

/**
 * od_check_oauth_refusal:
 * @error: (nullable): what the server's error challenge said
 * @server_reply: (nullable): the server's final reply, redacted
 *
 * Returns: (transfer full): the problem of a refused token: a provider's words first
 *   (admin consent, policy), then the challenge's status (insufficient_scope or 403: the
 *   token does not allow mail), else the sign-in is no longer valid. GNOME Online Accounts
 *   3.46's windows_live tokens get their own explanation.
 */
OdProblem *
od_check_oauth_refusal (OdCheck                *self,
                        const char             *step_id,
                        const OdSaslOAuthError *error,
                        const char             *server_reply,
                        gboolean                temporary)
{
  OdProblemKind kind = kind_from_text (server_reply, OD_N_PROBLEM_KINDS);
  OdReason reason = OD_REASON_NONE;
  OdDiagnosisContext ctx;
  OdProblem *problem;

  if (kind == OD_N_PROBLEM_KINDS && error != NULL && error->status != NULL
      && (g_ascii_strcasecmp (error->status, "insufficient_scope") == 0
          || g_str_equal (error->status, "403")))
    kind = OD_PROBLEM_OAUTH_SCOPE_MISSING;
  if (kind == OD_N_PROBLEM_KINDS)
    kind = temporary ? OD_PROBLEM_AUTH_TEMPORARY_FAILURE : OD_PROBLEM_OAUTH_SIGNIN_REQUIRED;
  if (kind == OD_PROBLEM_OAUTH_SIGNIN_REQUIRED && self->oauth != NULL && self->oauth->own)
    reason = OD_REASON_OWN_SIGNIN_ENDED;
  else if (kind == OD_PROBLEM_OAUTH_SIGNIN_REQUIRED && self->oauth != NULL
           && g_strcmp0 (self->oauth->provider, "windows_live") == 0)
    reason = OD_REASON_MICROSOFT_GOA_TOKEN;

  od_check_diagnosis_context (self, &ctx);
  problem = od_diagnosis_problem_new_full (kind, reason, step_id, OD_SEVERITY_ERROR, &ctx,
                                           server_reply);
  /* Signing in again cannot help when the provider refuses how GOA 3.46 signs in. */
  if (reason == OD_REASON_MICROSOFT_GOA_TOKEN)
    od_problem_withhold_fixes (problem, OD_FIX_SIGN_IN_AGAIN);
  return problem;
}

/* The login step's detail when the token was refused. */
char *
od_check_oauth_refusal_detail (OdCheck                *self,
                               const OdSaslOAuthError *error)
{
  if (error != NULL && error->status != NULL)
    {
      g_autofree char *status = od_text_sanitize (error->status, -1, OD_TEXT_SINGLE_LINE);

      /* Translators: the first %s is "GNOME Online Accounts", the second a login method
       * ("XOAUTH2"), the third the server's status word ("invalid_token") */
      return g_strdup_printf (_("%s gave a sign-in token, and the server refused it (%s, "
                                "status “%s”)."), self->oauth->issuer, self->mechanism, status);
    }
  /* Translators: the first %s is "GNOME Online Accounts", the second a login method */
  return g_strdup_printf (_("%s gave a sign-in token, and the server refused it (%s)."),
                          self->oauth->issuer, self->mechanism);
}

/**
 * od_check_oauth_success_detail:
 *
 * Returns: (transfer full): the login step's detail: the token obtained, and accepted
 */
char *
od_check_oauth_success_detail (OdCheck *self)
{
  /* Translators: the first %s is a user name, the second "GNOME Online Accounts", the
   * third a login method ("OAUTHBEARER") */
  return g_strdup_printf (_("Signed in as %s with a token from %s (%s): the server accepted "
                            "it."), self->username, self->oauth->issuer, self->mechanism);
}

static void
oauth_auth_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProblem) problem = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *text = NULL;
  const OdSaslOAuthError *challenge;
  guint code;

  reply = od_smtp_session_reply_finish (OD_SMTP_SESSION (object), result, &error);
  if (reply == NULL)
    {
      od_check_fail_with_error (self, OD_STEP_AUTH, error);
      return;
    }

  code = od_smtp_reply_get_code (reply);
  if (code == 235)
    {
      detail = od_check_oauth_success_detail (self);
      od_check_finish_step (self, OD_STEP_AUTH, OD_STEP_STATE_PASS, detail, NULL);
      od_check_mail_from (self);
      return;
    }

  challenge = od_smtp_session_get_oauth_error (self->session);
  /* A temporary failure without a verdict on the token is just that. */
  if (challenge == NULL && od_smtp_reply_is_transient (reply))
    {
      od_check_fail_with_reply (self, OD_STEP_AUTH, reply);
      return;
    }
  text = od_smtp_reply_to_string (reply);
  problem = od_check_oauth_refusal (self, OD_STEP_AUTH, challenge, text, FALSE);
  detail = od_check_oauth_refusal_detail (self, challenge);
  od_check_fail_step (self, OD_STEP_AUTH, problem, detail);
  od_check_finish_run (self, code != 421);
}

/* The login with the token, once the server's capabilities are known (after TLS). */
void
od_check_oauth_authenticate (OdCheck                  *self,
                             const OdSmtpCapabilities *caps)
{
  self->mechanism = od_check_oauth_choose (self, (const char * const *)caps->auth_mechanisms);
  if (self->mechanism == NULL)
    {
      g_autofree char *offered = g_strjoinv (" ", caps->auth_mechanisms);
      g_autofree char *detail =
        /* Translators: %s is a list of login methods such as "PLAIN LOGIN" */
        g_strdup_printf (_("The server offers no sign-in with a token (XOAUTH2 or "
                           "OAUTHBEARER), only: %s."), offered);
      g_autoptr(OdProblem) problem = NULL;
      OdDiagnosisContext ctx;

      od_check_diagnosis_context (self, &ctx);
      problem = od_diagnosis_problem_new_for_reason (OD_PROBLEM_AUTH_MECHANISM_UNSUPPORTED,
                                                     OD_REASON_TOKEN_NOT_OFFERED, OD_STEP_AUTH,
                                                     OD_SEVERITY_ERROR, &ctx);
      od_check_fail_step (self, OD_STEP_AUTH, problem, detail);
      od_check_finish_run (self, TRUE);
      return;
    }

  od_smtp_session_set_server (self->session, self->host, self->port);
  od_smtp_session_authenticate_async (self->session, self->mechanism, self->username,
                                      self->password, self->cancellable, oauth_auth_cb,
                                      g_object_ref (self));
}
