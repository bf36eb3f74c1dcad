/* od-sasl-oauth.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The two SASL mechanisms that carry an OAuth 2.0 access token (a bearer token), shared by
 * the SMTP, IMAP and POP3 sessions: Google's and Microsoft's XOAUTH2, and OAUTHBEARER
 * (RFC 7628). */

#define OD_SASL_XOAUTH2     "XOAUTH2"
#define OD_SASL_OAUTHBEARER "OAUTHBEARER"

/**
 * OdSaslOAuthError:
 * @status: the error's "status" ("invalid_token", "insufficient_scope", or an HTTP status
 *   as text, "401", "400"), or %NULL
 * @scope: the "scope" the server wants, or %NULL
 * @schemes: the "schemes", or %NULL
 *
 * What a server said in the base64 JSON challenge with which XOAUTH2 and OAUTHBEARER
 * report a refused token (RFC 7628 §3.2.2; Google's and Microsoft's XOAUTH2 alike).
 */
typedef struct
{
  char *status;
  char *scope;
  char *schemes;
} OdSaslOAuthError;

gboolean          od_sasl_oauth_is_mechanism  (const char        *mechanism);
char             *od_sasl_oauth_response      (const char        *mechanism,
                                               const char        *user,
                                               const char        *host,
                                               guint16            port,
                                               const char        *token);
const char       *od_sasl_oauth_error_reply   (const char        *mechanism);
OdSaslOAuthError *od_sasl_oauth_error_parse   (const char        *challenge);
OdSaslOAuthError *od_sasl_oauth_error_copy    (const OdSaslOAuthError *error);
void              od_sasl_oauth_error_free    (OdSaslOAuthError  *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdSaslOAuthError, od_sasl_oauth_error_free)

G_END_DECLS
