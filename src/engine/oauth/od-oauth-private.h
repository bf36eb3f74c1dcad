/* od-oauth-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "od-oauth.h"

G_BEGIN_DECLS

/* Between the files of src/engine/oauth/ and their tests; not for the rest of the engine. */

/* The device flow's "keep polling" answers (RFC 8628 §3.5). Not public errors: only
 * od_oauth_tokens_parse_polling() reports them, and the device flow never lets them out. */
#define OD_OAUTH_ERROR_PRIVATE_PENDING   ((OdOAuthError) 0x100)
#define OD_OAUTH_ERROR_PRIVATE_SLOW_DOWN ((OdOAuthError) 0x101)

/* The most of a token endpoint's answer we read. */
#define OD_OAUTH_MAX_ANSWER (64 * 1024)

/* od-oauth-tokens.c */
OdOAuthTokens *od_oauth_tokens_parse_polling  (guint          status,
                                               GBytes        *body,
                                               GError       **error);
GError        *od_oauth_error_new_from_answer (guint          status,
                                               const char    *error_code,
                                               const char    *description,
                                               const char    *subtype,
                                               gboolean       admin_consent_code);
JsonObject    *od_oauth_read_answer           (guint          status,
                                               GBytes        *body,
                                               GError       **error);
const char    *od_oauth_json_get_string       (JsonObject    *object,
                                               const char    *name);
gboolean       od_oauth_json_get_seconds      (JsonObject    *object,
                                               const char    *name,
                                               gint64        *seconds);
gboolean       od_oauth_is_token_text         (const char    *text);
char          *od_oauth_quote_description     (const char    *description);
void           od_oauth_wipe_string           (char          *text);

/* od-oauth-request.c */
SoupSession   *od_oauth_session_new           (void);
char          *od_oauth_random_base64url      (gsize          n_bytes);
GError        *od_oauth_no_client_id_error    (const OdOAuthProvider *provider);
void           od_oauth_post_async            (SoupSession   *session,
                                               const char    *endpoint,
                                               GHashTable    *form,
                                               guint          timeout_ms,
                                               GCancellable  *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer       user_data);
GBytes        *od_oauth_post_finish           (GAsyncResult  *result,
                                               guint         *status,
                                               GError       **error);
GHashTable    *od_oauth_form_new              (void);
void           od_oauth_form_add              (GHashTable    *form,
                                               const char    *name,
                                               const char    *value);

/* od-oauth-sign-in.c */

/* For tests only: the device flow's poll interval (and slow_down's extra 5 s) times @scale,
 * so a test does not wait five seconds per poll. 1.0 by default. */
void           od_oauth_sign_in_set_poll_scale_for_testing (OdOAuthSignIn *self,
                                                            double         scale);

G_END_DECLS
