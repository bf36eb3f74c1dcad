/* od-setup-oauth.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-setup"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "od-oauth-account.h"
#include "od-oauth-providers.h"
#include "od-setup-private.h"

/* Setting up an account that signs in with OAuth (issue 18): the front end signs the person
 * in (OdOAuthSignIn) and hands the tokens over; the checks then log in with the access token
 * instead of a password, the account remembers its provider (and the person's own client id),
 * and the keyring gets the refresh token (protocol oauth2) instead of a password. */

/**
 * od_setup_set_oauth:
 * @provider: where the person signed in, with the client id used
 * @own_client_id: whether that client id is the person's own (kept with the account) rather
 *   than this build's
 * @tokens: the sign-in's tokens (copied; the access token stays in memory)
 *
 * Signs in with @tokens from now on; any password set before is dropped.
 */
void
od_setup_set_oauth (OdSetup               *self,
                    const OdOAuthProvider *provider,
                    gboolean               own_client_id,
                    const OdOAuthTokens   *tokens)
{
  g_return_if_fail (OD_IS_SETUP (self));
  g_return_if_fail (provider != NULL && tokens != NULL && tokens->access_token != NULL);

  od_setup_set_password (self, NULL);
  od_setup_oauth_clear (self);
  self->oauth = od_oauth_provider_copy (provider);
  self->oauth_own_client = own_client_id;
  self->oauth_tokens = g_new0 (OdOAuthTokens, 1);
  self->oauth_tokens->access_token = g_strdup (tokens->access_token);
  self->oauth_tokens->refresh_token = g_strdup (tokens->refresh_token);
  self->oauth_tokens->expires_at = tokens->expires_at;
  self->oauth_tokens->scope = g_strdup (tokens->scope);
}

/** od_setup_get_oauth_provider: Returns: (nullable): the provider the setup signs in with */
const char *
od_setup_get_oauth_provider (OdSetup *self)
{
  g_return_val_if_fail (OD_IS_SETUP (self), NULL);
  return self->oauth ? self->oauth->id : NULL;
}

void
od_setup_oauth_clear (OdSetup *self)
{
  g_clear_pointer (&self->oauth, od_oauth_provider_free);
  g_clear_pointer (&self->oauth_tokens, od_oauth_tokens_free);
  self->oauth_own_client = FALSE;
}

/* A check of the setup signs in with the access token. */
void
od_setup_oauth_set_up_check (OdSetup *self,
                             OdCheck *check)
{
  if (self->oauth == NULL)
    return;

  od_check_set_access_token (check, self->oauth_tokens->access_token, self->oauth->display_name,
                             self->oauth->id);
  od_check_set_own_sign_in (check);
}

/* The account to be saved signs in with the provider (and the person's own client id). */
void
od_setup_oauth_prepare_account (OdSetup   *self,
                                OdAccount *account)
{
  if (self->oauth == NULL)
    {
      od_account_set_oauth (account, NULL, NULL, NULL);
      return;
    }

  od_account_set_oauth (account, self->oauth->id,
                        self->oauth_own_client ? self->oauth->client_id : NULL,
                        self->oauth_own_client ? self->oauth->client_secret : NULL);
}

/* The refresh token to the keyring; @callback finishes with od_secret_store_store_finish().
 * Without one (a provider that gave none), the account cannot be tested later: that is the
 * keyring step's error. */
void
od_setup_oauth_store_async (OdSetup             *self,
                            OdAccount           *account,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *scope = NULL;

  od_oauth_account_forget (account);
  if (self->oauth_tokens->refresh_token == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self->secrets, cancellable, callback, user_data);

      g_task_return_new_error (task, OD_OAUTH_ERROR, OD_OAUTH_ERROR_PROTOCOL,
                               "%s", _("The provider gave no lasting sign-in (no refresh "
                                       "token), so the account could not be kept signed in."));
      return;
    }

  od_oauth_account_remember (account, self->oauth_tokens);
  scope = self->oauth_tokens->scope ? g_strdup (self->oauth_tokens->scope)
                                    : od_oauth_provider_dup_scope (self->oauth);
  od_secret_store_store_refresh_token_async (self->secrets, account, self->oauth->display_name,
                                             scope, self->oauth_tokens->refresh_token,
                                             cancellable, callback, user_data);
}
