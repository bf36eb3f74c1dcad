/* od-oauth.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Signing in with OAuth 2.0 ourselves (issue 18), the way RFC 8252 says a native app must:
 * the system browser, a one-shot loopback redirect on 127.0.0.1 with a random port, `state`
 * checked, PKCE with S256; or, on a terminal without a browser, the device authorization
 * grant (RFC 8628). The tokens are secrets: the access token lives in memory only, the
 * refresh token goes to the keyring (od-oauth-account.h). docs/decisions.md says which parts
 * are librest's and which are ours. */

#define OD_OAUTH_ERROR (od_oauth_error_quark ())

/**
 * OdOAuthError:
 * @OD_OAUTH_ERROR_NO_CLIENT_ID: this build has no client id for the provider, and none was given
 * @OD_OAUTH_ERROR_ACCESS_DENIED: the person (or the provider) declined the sign-in
 * @OD_OAUTH_ERROR_STATE_MISMATCH: the redirect's `state` is not the one we sent
 * @OD_OAUTH_ERROR_INVALID_GRANT: the refresh token or code is no longer valid (revoked, expired,
 *   password changed): the person must sign in again
 * @OD_OAUTH_ERROR_ADMIN_CONSENT: the organisation's administrator must allow the app
 *   (Microsoft AADSTS65001, AADSTS90094, …)
 * @OD_OAUTH_ERROR_POLICY_BLOCKED: a policy forbids the sign-in (Google `admin_policy_enforced`,
 *   `policy_enforced`, Advanced Protection)
 * @OD_OAUTH_ERROR_SCOPE: the provider refused the scopes (`invalid_scope`)
 * @OD_OAUTH_ERROR_INVALID_CLIENT: the client id is unknown or not allowed (`invalid_client`,
 *   `unauthorized_client`)
 * @OD_OAUTH_ERROR_EXPIRED: the device code expired before the person approved it
 * @OD_OAUTH_ERROR_SERVER: the provider's sign-in service failed (5xx, `server_error`,
 *   `temporarily_unavailable`)
 * @OD_OAUTH_ERROR_PROTOCOL: the provider's answer makes no sense (not JSON, no token, …)
 * @OD_OAUTH_ERROR_BROWSER: the browser could not be opened
 * @OD_OAUTH_ERROR_INSECURE: an endpoint is not https (only loopback may be plain http)
 *
 * Timeouts are %G_IO_ERROR_TIMED_OUT and cancellation %G_IO_ERROR_CANCELLED. The message is
 * for the person and says what to do; it never holds a token, code or verifier.
 */
typedef enum
{
  OD_OAUTH_ERROR_NO_CLIENT_ID,
  OD_OAUTH_ERROR_ACCESS_DENIED,
  OD_OAUTH_ERROR_STATE_MISMATCH,
  OD_OAUTH_ERROR_INVALID_GRANT,
  OD_OAUTH_ERROR_ADMIN_CONSENT,
  OD_OAUTH_ERROR_POLICY_BLOCKED,
  OD_OAUTH_ERROR_SCOPE,
  OD_OAUTH_ERROR_INVALID_CLIENT,
  OD_OAUTH_ERROR_EXPIRED,
  OD_OAUTH_ERROR_SERVER,
  OD_OAUTH_ERROR_PROTOCOL,
  OD_OAUTH_ERROR_BROWSER,
  OD_OAUTH_ERROR_INSECURE,
} OdOAuthError;

GQuark od_oauth_error_quark (void);

/**
 * OdOAuthProvider:
 * @id: "google" or "microsoft" (the provider database's `<od:oauth2 provider=…>`)
 * @display_name: "Google", "Microsoft" (for "Sign In With …")
 * @authorization_endpoint: https URL (plain http only on 127.0.0.1/::1, for tests)
 * @token_endpoint: https URL, same rule
 * @device_endpoint: (nullable): the device authorization endpoint, %NULL when the provider
 *   has no device grant for this client
 * @scopes: (array zero-terminated=1): the scopes to ask for, sending and receiving
 * @client_id: (nullable): the build's, or the person's own; %NULL: this build cannot sign in
 * @client_secret: (nullable): sent to the token endpoint when set (Google's desktop clients
 *   have one that is not secret); never shown
 *
 * Where and how to sign in with one provider. A plain boxed struct.
 */
typedef struct
{
  char  *id;
  char  *display_name;
  char  *authorization_endpoint;
  char  *token_endpoint;
  char  *device_endpoint;
  char **scopes;
  char  *client_id;
  char  *client_secret;
} OdOAuthProvider;

#define OD_TYPE_OAUTH_PROVIDER (od_oauth_provider_get_type ())

GType            od_oauth_provider_get_type   (void) G_GNUC_CONST;
OdOAuthProvider *od_oauth_provider_copy       (const OdOAuthProvider *provider);
void             od_oauth_provider_free       (OdOAuthProvider       *provider);
char            *od_oauth_provider_dup_scope  (const OdOAuthProvider *provider);
gboolean         od_oauth_endpoint_is_allowed (const char            *uri,
                                               GError               **error);

/**
 * OdOAuthTokens:
 * @access_token: the access token (a secret; memory only)
 * @refresh_token: (nullable): the refresh token, when the provider gave one (a secret;
 *   keyring only)
 * @expires_at: when the access token expires, in g_get_real_time() seconds; 0 when the
 *   provider did not say
 * @scope: (nullable): the scopes granted, space separated, when the provider said
 *
 * Free with od_oauth_tokens_free(), which wipes the secrets.
 */
typedef struct
{
  char   *access_token;
  char   *refresh_token;
  gint64  expires_at;
  char   *scope;
} OdOAuthTokens;

void           od_oauth_tokens_free          (OdOAuthTokens *tokens);
gboolean       od_oauth_tokens_expire_soon   (const OdOAuthTokens *tokens,
                                              gint64               margin_seconds);
OdOAuthTokens *od_oauth_tokens_parse_response (guint          status,
                                               GBytes        *body,
                                               GError       **error);

/* The token endpoint's refresh grant (RFC 6749 §6). A new refresh token in the answer
 * (rotation) replaces the old one; the caller stores it. invalid_grant →
 * %OD_OAUTH_ERROR_INVALID_GRANT. */
void           od_oauth_refresh_async        (const OdOAuthProvider *provider,
                                              const char            *refresh_token,
                                              guint                  timeout_ms,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
OdOAuthTokens *od_oauth_refresh_finish       (GAsyncResult          *result,
                                              GError               **error);

/**
 * OdOAuthSignIn:
 *
 * One sign-in with a provider, through the browser (authorization code with PKCE and a
 * loopback redirect) or, without one, the device authorization grant. Signals:
 * - `uri` (const char *uri): the authorization URL, before the browser is opened, so a
 *   front end can offer it when no browser opens; never contains a secret of ours
 * - `device-code` (const char *user_code, const char *verification_uri, guint expires_in):
 *   what the person enters where
 */
#define OD_TYPE_OAUTH_SIGN_IN (od_oauth_sign_in_get_type ())
G_DECLARE_FINAL_TYPE (OdOAuthSignIn, od_oauth_sign_in, OD, OAUTH_SIGN_IN, GObject)

#define OD_OAUTH_DEFAULT_WAIT_MS    (5 * 60 * 1000)  /* for the person to sign in */
#define OD_OAUTH_DEFAULT_REQUEST_MS 30000            /* for each request to the provider */

OdOAuthSignIn *od_oauth_sign_in_new                (const OdOAuthProvider *provider);
void           od_oauth_sign_in_set_login_hint     (OdOAuthSignIn         *self,
                                                    const char            *address);
void           od_oauth_sign_in_set_launch_context (OdOAuthSignIn         *self,
                                                    GAppLaunchContext     *context);
void           od_oauth_sign_in_set_timeouts       (OdOAuthSignIn         *self,
                                                    guint                  wait_ms,
                                                    guint                  request_ms);
void           od_oauth_sign_in_browser_async      (OdOAuthSignIn         *self,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
void           od_oauth_sign_in_device_async       (OdOAuthSignIn         *self,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
OdOAuthTokens *od_oauth_sign_in_finish             (OdOAuthSignIn         *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdOAuthProvider, od_oauth_provider_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdOAuthTokens, od_oauth_tokens_free)

G_END_DECLS
