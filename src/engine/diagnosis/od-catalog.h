/* od-catalog.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "od-types.h"

G_BEGIN_DECLS

/**
 * OdProblemKind:
 *
 * The problems of the catalog. Their ids (od_catalog_get()->id) are the contract: stable,
 * never reused for another meaning. The front ends never compare ids: they ask the catalog
 * what a problem admits (#OdFix).
 */
typedef enum
{
  OD_PROBLEM_NETWORK_OFFLINE,
  OD_PROBLEM_CAPTIVE_PORTAL,
  OD_PROBLEM_DNS_NO_SUCH_HOST,
  OD_PROBLEM_DNS_FAILURE,
  OD_PROBLEM_NO_SETTINGS_FOUND,
  OD_PROBLEM_PORT_BLOCKED,
  OD_PROBLEM_CONNECTION_REFUSED,
  OD_PROBLEM_HOST_UNREACHABLE,
  OD_PROBLEM_ENCRYPTION_MISMATCH,
  OD_PROBLEM_STARTTLS_NOT_OFFERED,
  OD_PROBLEM_STARTTLS_FAILED,
  OD_PROBLEM_TLS_CERTIFICATE_UNTRUSTED,
  OD_PROBLEM_TLS_CERTIFICATE_EXPIRED,
  OD_PROBLEM_TLS_CERTIFICATE_HOSTNAME_MISMATCH,
  OD_PROBLEM_TLS_HANDSHAKE_FAILED,
  OD_PROBLEM_TLS_CERTIFICATE_CHANGED,
  OD_PROBLEM_SERVER_BUSY,
  OD_PROBLEM_SERVER_TIMEOUT,
  OD_PROBLEM_PROTOCOL_ERROR,
  OD_PROBLEM_AUTH_NOT_OFFERED,
  OD_PROBLEM_AUTH_PLAINTEXT_REFUSED,
  OD_PROBLEM_AUTH_MECHANISM_UNSUPPORTED,
  OD_PROBLEM_AUTH_FAILED,
  OD_PROBLEM_AUTH_APP_PASSWORD_REQUIRED,
  OD_PROBLEM_AUTH_ENCRYPTION_REQUIRED,
  OD_PROBLEM_AUTH_REQUIRED,
  OD_PROBLEM_AUTH_TEMPORARY_FAILURE,
  OD_PROBLEM_RELAY_DENIED,
  OD_PROBLEM_SENDER_NOT_ALLOWED,
  OD_PROBLEM_RECIPIENT_REJECTED,
  OD_PROBLEM_MAILBOX_FULL,
  OD_PROBLEM_GREYLISTED,
  OD_PROBLEM_RATE_LIMITED,
  OD_PROBLEM_SEND_QUOTA_EXCEEDED,
  OD_PROBLEM_MESSAGE_REJECTED_SPAM,
  OD_PROBLEM_MESSAGE_REJECTED_AUTHENTICATION,
  OD_PROBLEM_MESSAGE_TOO_LARGE,
  OD_PROBLEM_SERVER_ERROR_TEMPORARY,
  OD_PROBLEM_SERVER_ERROR_PERMANENT,

  /* The second wave (design.md, "Additions of the second wave") */
  OD_PROBLEM_AUTH_BASIC_RETIRED,
  OD_PROBLEM_AUTH_SMTP_DISABLED,
  OD_PROBLEM_NO_ENCRYPTED_SERVER,
  OD_PROBLEM_IPV6_BROKEN,
  OD_PROBLEM_SERVER_UNCONFIRMED,
  OD_PROBLEM_PASSWORD_SHORT,
  OD_PROBLEM_AUTH_OAUTH_REQUIRED,

  /* Receiving (check --incoming) */
  OD_PROBLEM_IMAP_LOGIN_DISABLED,
  OD_PROBLEM_MAILBOX_QUOTA_EXCEEDED,
  /* The round trip (issue 14): did the test message arrive, and how was it judged */
  OD_PROBLEM_ROUND_TRIP_NOT_FOUND,
  OD_PROBLEM_ROUND_TRIP_JUNK,
  OD_PROBLEM_AUTH_RESULTS_SPF_FAIL,
  OD_PROBLEM_AUTH_RESULTS_DKIM_FAIL,
  OD_PROBLEM_AUTH_RESULTS_DMARC_FAIL,
  /* OAuth 2.0 sign-in (issue 17): a token from GNOME Online Accounts, XOAUTH2/OAUTHBEARER */
  OD_PROBLEM_OAUTH_SIGNIN_REQUIRED,
  OD_PROBLEM_OAUTH_ADMIN_CONSENT,
  OD_PROBLEM_OAUTH_POLICY_BLOCKED,
  OD_PROBLEM_OAUTH_SCOPE_MISSING,

  OD_N_PROBLEM_KINDS
} OdProblemKind;

/**
 * OdFix:
 * @OD_FIX_NONE: nothing the app can do for the user
 * @OD_FIX_OTHER_PORT: use another setting of the same server that was tried and works
 *   (another port, or the other encryption mode): only with the problem's suggestion
 *   (od_problem_get_suggestion())
 * @OD_FIX_REENTER_PASSWORD: type the password again (or an app password)
 * @OD_FIX_TRUST_CERTIFICATE: look at the certificate and, if it is the right one, trust it
 *   for this host and port
 * @OD_FIX_CONFIRM_SERVER: confirm that a server found through forgeable records (or
 *   another domain) is the provider's, so that the password may go there
 * @OD_FIX_SIGN_IN_AGAIN: sign in to the account again where its token comes from (Settings →
 *   Online Accounts for a GNOME Online Accounts account)
 *
 * What a front end may offer as a button or a hint for a problem.
 */
typedef enum
{
  OD_FIX_NONE              = 0,
  OD_FIX_OTHER_PORT        = 1 << 0,
  OD_FIX_REENTER_PASSWORD  = 1 << 1,
  OD_FIX_TRUST_CERTIFICATE = 1 << 2,
  OD_FIX_CONFIRM_SERVER    = 1 << 3,
  OD_FIX_SIGN_IN_AGAIN     = 1 << 4,
} OdFix;

/**
 * OdCatalogEntry:
 * @kind: the problem
 * @id: its stable id, as in JSON
 * @step_id: the step it is usually found at, or %NULL when it can arise at any step (a
 *   problem records the step it was really found at)
 * @severity: its usual severity
 * @fixes: what a front end may offer
 * @summary: what is wrong, untranslated (the general text, when nothing more specific is
 *   known)
 * @remedy: what to do, untranslated
 */
typedef struct
{
  OdProblemKind  kind;
  const char    *id;
  const char    *step_id;
  OdSeverity     severity;
  OdFix          fixes;
  const char    *summary;
  const char    *remedy;
} OdCatalogEntry;

const OdCatalogEntry *od_catalog_get      (OdProblemKind  kind);
gboolean              od_catalog_lookup   (const char    *id,
                                           OdProblemKind *kind);
const char * const   *od_catalog_list_ids (void);

G_END_DECLS
