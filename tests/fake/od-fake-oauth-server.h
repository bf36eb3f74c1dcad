/* od-fake-oauth-server.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-oauth.h"

G_BEGIN_DECLS

/* An OAuth 2.0 authorization server for the tests, on a SoupServer bound to 127.0.0.1 with a
 * random port, in the thread-default main context:
 *
 *   GET  /authorize   authorization code with PKCE (RFC 6749 §4.1, RFC 7636): checks
 *                     response_type=code, client_id, a loopback redirect_uri
 *                     (http://127.0.0.1:PORT/), code_challenge_method=S256; records state,
 *                     login_hint and scope; redirects (302) to redirect_uri?code=…&state=…
 *   POST /token       grant_type authorization_code (checks the code, redirect_uri, client_id,
 *                     client_secret when configured, and BASE64URL(SHA256(code_verifier))
 *                     against the recorded challenge), refresh_token, and the device code
 *   POST /devicecode  the device authorization endpoint (RFC 8628 §3.1)
 *   GET  /device      the page the person would enter the user code on
 */

#define OD_TYPE_FAKE_OAUTH_SERVER (od_fake_oauth_server_get_type ())

G_DECLARE_FINAL_TYPE (OdFakeOAuthServer, od_fake_oauth_server, OD, FAKE_OAUTH_SERVER, GObject)

/**
 * OdFakeOAuthFault:
 * @OD_FAKE_OAUTH_FAULT_NONE: everything works
 * @OD_FAKE_OAUTH_FAULT_WRONG_STATE: /authorize redirects with another state
 * @OD_FAKE_OAUTH_FAULT_DENIED: /authorize redirects with error=access_denied
 * @OD_FAKE_OAUTH_FAULT_ADMIN_CONSENT_REDIRECT: /authorize redirects with
 *   error=invalid_request and an AADSTS65001 description (Microsoft)
 * @OD_FAKE_OAUTH_FAULT_ADMIN_CONSENT_TOKEN: /token answers 400 invalid_grant with
 *   AADSTS65001 and error_codes [65001] (Microsoft)
 * @OD_FAKE_OAUTH_FAULT_REVOKED: the refresh grant answers 400 invalid_grant
 * @OD_FAKE_OAUTH_FAULT_NO_REDIRECT: /authorize shows a page and never redirects
 * @OD_FAKE_OAUTH_FAULT_DEVICE_EXPIRED: device polling answers expired_token
 * @OD_FAKE_OAUTH_FAULT_DEVICE_DENIED: device polling answers access_denied
 */
typedef enum
{
  OD_FAKE_OAUTH_FAULT_NONE,
  OD_FAKE_OAUTH_FAULT_WRONG_STATE,
  OD_FAKE_OAUTH_FAULT_DENIED,
  OD_FAKE_OAUTH_FAULT_ADMIN_CONSENT_REDIRECT,
  OD_FAKE_OAUTH_FAULT_ADMIN_CONSENT_TOKEN,
  OD_FAKE_OAUTH_FAULT_REVOKED,
  OD_FAKE_OAUTH_FAULT_NO_REDIRECT,
  OD_FAKE_OAUTH_FAULT_DEVICE_EXPIRED,
  OD_FAKE_OAUTH_FAULT_DEVICE_DENIED,
} OdFakeOAuthFault;

OdFakeOAuthServer *od_fake_oauth_server_new               (void);
gboolean           od_fake_oauth_server_start             (OdFakeOAuthServer *self,
                                                           guint16            port,
                                                           GError           **error);
guint16            od_fake_oauth_server_get_port          (OdFakeOAuthServer *self);
OdOAuthProvider   *od_fake_oauth_server_dup_provider      (OdFakeOAuthServer *self);

void               od_fake_oauth_server_set_client        (OdFakeOAuthServer *self,
                                                           const char        *client_id,
                                                           const char        *client_secret);
void               od_fake_oauth_server_set_tokens        (OdFakeOAuthServer *self,
                                                           const char        *access_token,
                                                           const char        *refresh_token);
void               od_fake_oauth_server_set_refresh_tokens (OdFakeOAuthServer *self,
                                                            const char        *access_token,
                                                            const char        *rotated_refresh_token);
void               od_fake_oauth_server_set_expires_in    (OdFakeOAuthServer *self,
                                                           int                expires_in);
void               od_fake_oauth_server_set_fault         (OdFakeOAuthServer *self,
                                                           OdFakeOAuthFault   fault);
void               od_fake_oauth_server_set_token_delay   (OdFakeOAuthServer *self,
                                                           guint              delay_ms);
void               od_fake_oauth_server_set_device        (OdFakeOAuthServer *self,
                                                           guint              n_pending,
                                                           gboolean           slow_down_once,
                                                           guint              interval,
                                                           guint              expires_in,
                                                           gboolean           google_style);
void               od_fake_oauth_server_set_secrets_log   (OdFakeOAuthServer *self,
                                                           const char        *path);

const char        *od_fake_oauth_server_get_last_state        (OdFakeOAuthServer *self);
const char        *od_fake_oauth_server_get_last_login_hint   (OdFakeOAuthServer *self);
const char        *od_fake_oauth_server_get_last_scope        (OdFakeOAuthServer *self);
const char        *od_fake_oauth_server_get_last_method       (OdFakeOAuthServer *self);
const char        *od_fake_oauth_server_get_last_redirect_uri (OdFakeOAuthServer *self);
const char        *od_fake_oauth_server_get_last_refresh_secret (OdFakeOAuthServer *self);
const char        *od_fake_oauth_server_get_last_refresh_scope (OdFakeOAuthServer *self);
GStrv              od_fake_oauth_server_dup_grant_types   (OdFakeOAuthServer *self);
guint              od_fake_oauth_server_get_n_authorize   (OdFakeOAuthServer *self);
guint              od_fake_oauth_server_get_n_token       (OdFakeOAuthServer *self);
guint              od_fake_oauth_server_get_n_rejected    (OdFakeOAuthServer *self);

G_END_DECLS
