/* od-diagnosis-incoming.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-diagnosis"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "od-diagnosis-private.h"
#include "od-imap-response.h"
#include "od-pop3-reply.h"

/* The rules and texts of receiving (check --incoming): what an IMAP or POP3 error means at
 * the step it happened, and the remedies that name the incoming ports (993 and 143 for
 * IMAP, 995 and 110 for POP3) where the general ones name the ports for sending.
 *
 * - The response codes of RFC 5530 (IMAP) and RFC 3206 (POP3) decide where a server gives
 *   one: AUTHENTICATIONFAILED and [AUTH] are auth-failed, UNAVAILABLE and [SYS/TEMP] a
 *   temporary failure, OVERQUOTA mailbox-quota-exceeded, PRIVACYREQUIRED
 *   auth-encryption-required.
 * - A refusal without a code is read by the step: at the login it is auth-failed (the
 *   answer of most servers to a wrong password), at STARTTLS starttls-failed, at the greeting
 *   server-busy, elsewhere server-error-permanent with the server's words.
 * - LOGINDISABLED is imap-login-disabled: the server allows no password login on this
 *   connection (the check only gets there when it cannot start STARTTLS first). */

static gboolean
step_is (const char *step_id,
         const char *expected)
{
  return step_id != NULL && g_str_equal (step_id, expected);
}

/* The server hung up (or said BYE) at @step_id. */
static OdFinding
closed_finding (const char *step_id)
{
  if (step_is (step_id, OD_STEP_CONNECT) || step_is (step_id, OD_STEP_GREETING))
    return od_finding (OD_PROBLEM_SERVER_BUSY, OD_REASON_CLOSED_BEFORE_GREETING);

  if (step_is (step_id, OD_STEP_TLS))
    return od_finding (OD_PROBLEM_TLS_HANDSHAKE_FAILED, OD_REASON_CLOSED_DURING_TLS);

  return od_finding (OD_PROBLEM_SERVER_ERROR_TEMPORARY, OD_REASON_CLOSED);
}

/* A refusal without a response code we know. */
static OdFinding
refusal_finding (const char *step_id)
{
  if (step_is (step_id, OD_STEP_GREETING))
    return od_finding (OD_PROBLEM_SERVER_BUSY, OD_REASON_NONE);
  if (step_is (step_id, OD_STEP_TLS))
    return od_finding (OD_PROBLEM_STARTTLS_FAILED, OD_REASON_NONE);
  if (step_is (step_id, OD_STEP_AUTH))
    return od_finding (OD_PROBLEM_AUTH_FAILED, OD_REASON_NONE);

  return od_finding (OD_PROBLEM_SERVER_ERROR_PERMANENT, OD_REASON_NONE);
}

static OdFinding
temporary_finding (const char *step_id)
{
  return od_finding (step_is (step_id, OD_STEP_AUTH) ? OD_PROBLEM_AUTH_TEMPORARY_FAILURE
                                                     : OD_PROBLEM_SERVER_ERROR_TEMPORARY,
                     OD_REASON_NONE);
}

static OdFinding
unexpected (const GError *error)
{
  OdFinding finding = { OD_PROBLEM_SERVER_ERROR_PERMANENT, OD_REASON_UNEXPECTED,
                        error->message };

  return finding;
}

static OdFinding
imap_finding (const char   *step_id,
              const GError *error)
{
  switch ((OdImapError) error->code)
    {
    case OD_IMAP_ERROR_MALFORMED_RESPONSE:
    case OD_IMAP_ERROR_LINE_TOO_LONG:
    case OD_IMAP_ERROR_LITERAL_TOO_LARGE:
    case OD_IMAP_ERROR_TOO_MANY_RESPONSES:
      return od_finding (OD_PROBLEM_PROTOCOL_ERROR, OD_REASON_NONE);

    case OD_IMAP_ERROR_CONNECTION_CLOSED:
      return closed_finding (step_id);

    case OD_IMAP_ERROR_BYE:
      /* A "* BYE" greeting: the server said it will not serve us now. */
      if (step_is (step_id, OD_STEP_GREETING))
        return od_finding (OD_PROBLEM_SERVER_BUSY, OD_REASON_NONE);
      return closed_finding (step_id);

    case OD_IMAP_ERROR_STARTTLS_INJECTION:
      return od_finding (OD_PROBLEM_STARTTLS_FAILED, OD_REASON_STARTTLS_INJECTION);

    case OD_IMAP_ERROR_LOGIN_DISABLED:
      return od_finding (OD_PROBLEM_IMAP_LOGIN_DISABLED, OD_REASON_NONE);

    case OD_IMAP_ERROR_PREAUTH:
      /* Logged in before any encryption: STARTTLS is no longer allowed (RFC 9051). */
      return od_finding (OD_PROBLEM_STARTTLS_NOT_OFFERED, OD_REASON_NONE);

    case OD_IMAP_ERROR_NOT_OFFERED:
      return od_finding (step_is (step_id, OD_STEP_TLS) ? OD_PROBLEM_STARTTLS_NOT_OFFERED
                                                        : OD_PROBLEM_AUTH_MECHANISM_UNSUPPORTED,
                         OD_REASON_NONE);

    case OD_IMAP_ERROR_NO:
    case OD_IMAP_ERROR_BAD:
      return refusal_finding (step_id);

    case OD_IMAP_ERROR_AUTHENTICATION_FAILED:
    case OD_IMAP_ERROR_AUTHORIZATION_FAILED:
      return od_finding (OD_PROBLEM_AUTH_FAILED, OD_REASON_NONE);

    case OD_IMAP_ERROR_UNAVAILABLE:
      return temporary_finding (step_id);

    case OD_IMAP_ERROR_EXPIRED:
      return od_finding (OD_PROBLEM_AUTH_FAILED, OD_REASON_PASSWORD_CHANGE);

    case OD_IMAP_ERROR_PRIVACY_REQUIRED:
      return od_finding (OD_PROBLEM_AUTH_ENCRYPTION_REQUIRED, OD_REASON_NONE);

    case OD_IMAP_ERROR_CONTACT_ADMIN:
      return od_finding (OD_PROBLEM_AUTH_FAILED, OD_REASON_ACCOUNT_DISABLED);

    case OD_IMAP_ERROR_OVER_QUOTA:
      return od_finding (OD_PROBLEM_MAILBOX_QUOTA_EXCEEDED, OD_REASON_NONE);

    case OD_IMAP_ERROR_NONEXISTENT:
    case OD_IMAP_ERROR_BAD_INPUT:
    default:
      break;
    }

  return unexpected (error);
}

static OdFinding
pop3_finding (const char   *step_id,
              const GError *error)
{
  switch ((OdPop3Error) error->code)
    {
    case OD_POP3_ERROR_MALFORMED_RESPONSE:
    case OD_POP3_ERROR_LINE_TOO_LONG:
    case OD_POP3_ERROR_TOO_MANY_LINES:
      return od_finding (OD_PROBLEM_PROTOCOL_ERROR, OD_REASON_NONE);

    case OD_POP3_ERROR_CONNECTION_CLOSED:
      return closed_finding (step_id);

    case OD_POP3_ERROR_STLS_INJECTION:
      return od_finding (OD_PROBLEM_STARTTLS_FAILED, OD_REASON_STARTTLS_INJECTION);

    case OD_POP3_ERROR_PLAINTEXT_REFUSED:
      return od_finding (OD_PROBLEM_AUTH_PLAINTEXT_REFUSED, OD_REASON_NONE);

    case OD_POP3_ERROR_REFUSED:
      return refusal_finding (step_id);

    case OD_POP3_ERROR_AUTH:
      return od_finding (OD_PROBLEM_AUTH_FAILED, OD_REASON_NONE);

    case OD_POP3_ERROR_SYS_TEMP:
    case OD_POP3_ERROR_IN_USE:
    case OD_POP3_ERROR_LOGIN_DELAY:
      return temporary_finding (step_id);

    case OD_POP3_ERROR_SYS_PERM:
      return od_finding (OD_PROBLEM_SERVER_ERROR_PERMANENT, OD_REASON_NONE);

    case OD_POP3_ERROR_BAD_INPUT:
    default:
      break;
    }

  return unexpected (error);
}

/**
 * od_diagnosis_classify_incoming_error:
 *
 * Returns: %TRUE with @finding set when @error is an IMAP or POP3 session's error
 */
gboolean
od_diagnosis_classify_incoming_error (const char   *step_id,
                                      const GError *error,
                                      OdFinding    *finding)
{
  if (error->domain == OD_IMAP_ERROR)
    *finding = imap_finding (step_id, error);
  else if (error->domain == OD_POP3_ERROR)
    *finding = pop3_finding (step_id, error);
  else
    return FALSE;

  return TRUE;
}

/* The ports of receiving, as the remedies name them. */
static void
incoming_ports (const OdDiagnosisContext *ctx,
                guint16                  *tls_port,
                guint16                  *starttls_port)
{
  gboolean pop3 = ctx->protocol == OD_PROTOCOL_POP3;

  *tls_port = pop3 ? 995 : 993;
  *starttls_port = pop3 ? 110 : 143;
}

/**
 * od_diagnosis_incoming_remedy:
 *
 * The remedies that differ for an incoming server: the general ones name the ports and the
 * settings for sending.
 *
 * Returns: (nullable): the remedy, or %NULL when the general one fits
 */
char *
od_diagnosis_incoming_remedy (const OdFinding          *finding,
                              const OdDiagnosisContext *ctx)
{
  guint16 tls_port, starttls_port;

  if (!od_protocol_is_incoming (ctx->protocol))
    return NULL;

  incoming_ports (ctx, &tls_port, &starttls_port);

  switch ((int) finding->kind)
    {
    case OD_PROBLEM_PORT_BLOCKED:
    case OD_PROBLEM_CONNECTION_REFUSED:
      /* Translators: the %u are port numbers, such as 993 and 143 */
      return g_strdup_printf (_("Check the port number: receiving mail normally uses port %u "
                                "with “TLS”, or port %u with “STARTTLS”. If the port is right "
                                "and only this network fails, a firewall on it blocks the "
                                "port: try another network (for example your phone’s "
                                "hotspot)."), tls_port, starttls_port);

    case OD_PROBLEM_ENCRYPTION_MISMATCH:
    case OD_PROBLEM_STARTTLS_NOT_OFFERED:
      if (finding->reason != OD_REASON_NONE)
        return NULL;
      /* Translators: the %u are port numbers, such as 993 and 143 */
      return g_strdup_printf (_("Port %u needs “TLS”; port %u needs “STARTTLS”. Your password "
                                "is only sent over an encrypted connection: use port %u with "
                                "“TLS”."), tls_port, starttls_port, tls_port);

    case OD_PROBLEM_STARTTLS_FAILED:
    case OD_PROBLEM_SERVER_BUSY:
      if (finding->reason != OD_REASON_STARTTLS_INJECTION &&
          finding->reason != OD_REASON_CLOSED_BEFORE_GREETING)
        return NULL;
      /* Translators: %u is a port number such as 993 */
      return g_strdup_printf (_("Try again in a few minutes. If it keeps happening, use port "
                                "%u with “TLS”, or try another network."), tls_port);

    case OD_PROBLEM_DNS_NO_SUCH_HOST:
      if (ctx->host == NULL)
        return NULL;
      /* Translators: %s is a server name such as imap.example.com */
      return g_strdup_printf (_("Check the spelling of “%s” in the incoming server settings. "
                                "If it looks right, look up the current incoming server name "
                                "on your provider’s help pages."), ctx->host);

    case OD_PROBLEM_AUTH_NOT_OFFERED:
    case OD_PROBLEM_AUTH_MECHANISM_UNSUPPORTED:
      return g_strdup (_("The server offers no login method Outbox Doctor can use with a "
                         "password. Check the server name and port on your provider’s help "
                         "pages; some providers allow only a modern sign-in (OAuth)."));

    default:
      return NULL;
    }
}
