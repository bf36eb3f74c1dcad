/* od-oauth-account.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-oauth"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-oauth-account.h"
#include "od-oauth-providers.h"

/* The access token of an account that signs in with our own OAuth sign-in (issue 18): the
 * refresh token is in the keyring, the access token in this process's memory only, and it is
 * refreshed before it expires (a minute's margin), not after the server refused it. A new
 * refresh token in the provider's answer (Microsoft rotates them) replaces the saved one. */

#define EXPIRY_MARGIN_SECONDS 60

typedef struct
{
  OdAccount       *account;
  OdSecretStore   *store;
  OdOAuthProvider *provider;
  char            *cache_key;
  char            *scope;        /* granted, for the keyring item */
} TokenOp;

G_LOCK_DEFINE_STATIC (cache);
static GHashTable *cache;  /* "ID\nPROVIDER\nUSER" → OdOAuthTokens (access token, expiry) */

static void
token_op_free (TokenOp *op)
{
  g_clear_object (&op->account);
  g_clear_object (&op->store);
  g_clear_pointer (&op->provider, od_oauth_provider_free);
  g_free (op->cache_key);
  g_free (op->scope);
  g_free (op);
}

static char *
cache_key_for (OdAccount *account)
{
  const char *user = od_account_get_username (account);

  return g_strdup_printf ("%s\n%s\n%s", od_account_get_id (account),
                          od_account_get_oauth_provider (account),
                          user ? user : od_account_get_address (account));
}

static char *
cache_lookup (const char *key)
{
  char *token = NULL;
  OdOAuthTokens *tokens;

  G_LOCK (cache);
  tokens = cache ? g_hash_table_lookup (cache, key) : NULL;
  if (tokens != NULL && !od_oauth_tokens_expire_soon (tokens, EXPIRY_MARGIN_SECONDS))
    token = g_strdup (tokens->access_token);
  G_UNLOCK (cache);
  return token;
}

static void
cache_store (const char    *key,
             const char    *access_token,
             gint64         expires_at)
{
  OdOAuthTokens *tokens;

  /* A token whose lifetime the provider did not give is used once, not kept. */
  if (expires_at == 0)
    return;

  tokens = g_new0 (OdOAuthTokens, 1);
  tokens->access_token = g_strdup (access_token);
  tokens->expires_at = expires_at;
  G_LOCK (cache);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) od_oauth_tokens_free);
  g_hash_table_replace (cache, g_strdup (key), tokens);
  G_UNLOCK (cache);
}

/**
 * od_oauth_account_forget:
 * @account: (nullable): an account, or %NULL for every account
 *
 * Drops the access tokens kept in memory (after a new sign-in, or when the account goes).
 */
void
od_oauth_account_forget (OdAccount *account)
{
  g_autofree char *key = account ? cache_key_for (account) : NULL;

  G_LOCK (cache);
  if (cache != NULL && key != NULL)
    g_hash_table_remove (cache, key);
  else if (cache != NULL)
    g_hash_table_remove_all (cache);
  G_UNLOCK (cache);
}

/**
 * od_oauth_account_remember:
 * @tokens: tokens just obtained for @account by a sign-in
 *
 * Keeps @tokens' access token in memory, so the first check after a sign-in needs no refresh.
 */
void
od_oauth_account_remember (OdAccount           *account,
                           const OdOAuthTokens *tokens)
{
  g_autofree char *key = cache_key_for (account);

  if (tokens->access_token != NULL)
    cache_store (key, tokens->access_token, tokens->expires_at);
}

static void
rotated_stored_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *token;

  /* The access token is good either way; the old refresh token usually still works too. */
  if (!od_secret_store_store_finish (OD_SECRET_STORE (object), result, &error))
    g_warning ("Could not save the provider's new sign-in in the keyring: %s", error->message);
  token = g_object_steal_data (G_OBJECT (task), "od-token");
  g_task_return_pointer (task, token, (GDestroyNotify) od_secret_store_free_password);
}

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokenOp *op = g_task_get_task_data (task);
  g_autoptr(OdOAuthTokens) tokens = NULL;
  GError *error = NULL;

  tokens = od_oauth_refresh_finish (result, &error);
  if (tokens == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  cache_store (op->cache_key, tokens->access_token, tokens->expires_at);
  if (tokens->refresh_token == NULL)
    {
      g_task_return_pointer (task, g_strdup (tokens->access_token),
                             (GDestroyNotify) od_secret_store_free_password);
      return;
    }

  g_object_set_data_full (G_OBJECT (task), "od-token", g_strdup (tokens->access_token),
                          (GDestroyNotify) od_secret_store_free_password);
  od_secret_store_store_refresh_token_async (op->store, op->account, op->provider->display_name,
                                             tokens->scope ? tokens->scope : op->scope,
                                             tokens->refresh_token,
                                             /* The provider has issued it: it is saved even
                                              * when the check is stopped meanwhile (the
                                              * keyring's own deadline bounds it). */
                                             NULL, rotated_stored_cb, g_object_ref (task));
}

static void
refresh_token_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokenOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  char *refresh_token;

  refresh_token = od_secret_store_lookup_finish (OD_SECRET_STORE (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (refresh_token == NULL)
    {
      g_task_return_new_error (task, OD_OAUTH_ERROR, OD_OAUTH_ERROR_INVALID_GRANT,
                               _("The keyring holds no sign-in for this account."));
      return;
    }

  op->scope = od_oauth_provider_dup_scope (op->provider);
  od_oauth_refresh_async (op->provider, refresh_token, OD_OAUTH_DEFAULT_REQUEST_MS,
                          g_task_get_cancellable (task), refreshed_cb, g_object_ref (task));
  od_secret_store_free_password (refresh_token);
}

/**
 * od_oauth_account_get_token_async:
 * @account: an account that signs in with OAuth (od_account_get_oauth_provider())
 * @store: the keyring
 *
 * Gets an access token for @account: the one in memory while it has more than a minute to
 * live, else a new one from the provider with the refresh token in the keyring.
 */
void
od_oauth_account_get_token_async (OdAccount           *account,
                                  OdSecretStore       *store,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TokenOp *op;
  char *token;

  g_return_if_fail (OD_IS_ACCOUNT (account));
  g_return_if_fail (OD_IS_SECRET_STORE (store));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, od_oauth_account_get_token_async);
  op = g_new0 (TokenOp, 1);
  op->account = g_object_ref (account);
  op->store = g_object_ref (store);
  op->cache_key = cache_key_for (account);
  op->provider = od_oauth_provider_lookup_for_account (account);
  g_task_set_task_data (task, op, (GDestroyNotify) token_op_free);

  if (op->provider == NULL)
    {
      g_task_return_new_error (task, OD_OAUTH_ERROR, OD_OAUTH_ERROR_NO_CLIENT_ID,
                               _("Outbox Doctor does not know how to sign in with “%s”."),
                               od_account_get_oauth_provider (account));
      return;
    }
  if (op->provider->client_id == NULL)
    {
      /* Translators: %s is a provider: "Google", "Microsoft" */
      g_task_return_new_error (task, OD_OAUTH_ERROR, OD_OAUTH_ERROR_NO_CLIENT_ID,
                               _("This copy of Outbox Doctor cannot sign in with %s."),
                               op->provider->display_name);
      return;
    }

  if ((token = cache_lookup (op->cache_key)) != NULL)
    {
      g_task_return_pointer (task, token, (GDestroyNotify) od_secret_store_free_password);
      return;
    }

  od_secret_store_lookup_refresh_token_async (store, account, cancellable, refresh_token_cb,
                                              g_steal_pointer (&task));
}

/**
 * od_oauth_account_get_token_finish:
 *
 * Returns: (transfer full): the access token, to be freed with
 *   od_secret_store_free_password(); %NULL with @error (%OD_OAUTH_ERROR, %OD_SECRET_ERROR, or
 *   a time-out)
 */
char *
od_oauth_account_get_token_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * od_oauth_error_to_problem:
 * @error: why there is no token
 * @reason: (out): the finer reason
 *
 * Returns: the problem @error means for a check: the sign-in ended → oauth-signin-required,
 *   the organisation must allow the app → oauth-admin-consent, a policy → oauth-policy-blocked,
 *   the scopes refused → oauth-scope-missing, this build has no client id → auth-oauth-required
 *   (with its reason), anything else (network, the provider's service) → a temporary failure
 */
OdProblemKind
od_oauth_error_to_problem (const GError *error,
                           OdReason     *reason)
{
  *reason = OD_REASON_NONE;
  if (error->domain == OD_OAUTH_ERROR)
    {
      switch ((OdOAuthError) error->code)
        {
        case OD_OAUTH_ERROR_INVALID_GRANT:
        case OD_OAUTH_ERROR_ACCESS_DENIED:
          *reason = OD_REASON_OWN_SIGNIN_ENDED;
          return OD_PROBLEM_OAUTH_SIGNIN_REQUIRED;
        case OD_OAUTH_ERROR_INVALID_CLIENT:
          /* Signing in again cannot mend a client id the provider does not know. */
          *reason = OD_REASON_NO_CLIENT_ID;
          return OD_PROBLEM_AUTH_OAUTH_REQUIRED;
        case OD_OAUTH_ERROR_ADMIN_CONSENT:
          return OD_PROBLEM_OAUTH_ADMIN_CONSENT;
        case OD_OAUTH_ERROR_POLICY_BLOCKED:
          return OD_PROBLEM_OAUTH_POLICY_BLOCKED;
        case OD_OAUTH_ERROR_SCOPE:
          return OD_PROBLEM_OAUTH_SCOPE_MISSING;
        case OD_OAUTH_ERROR_NO_CLIENT_ID:
          *reason = OD_REASON_NO_CLIENT_ID;
          return OD_PROBLEM_AUTH_OAUTH_REQUIRED;
        case OD_OAUTH_ERROR_STATE_MISMATCH:
        case OD_OAUTH_ERROR_EXPIRED:
        case OD_OAUTH_ERROR_SERVER:
        case OD_OAUTH_ERROR_PROTOCOL:
        case OD_OAUTH_ERROR_BROWSER:
        case OD_OAUTH_ERROR_INSECURE:
        default:
          break;
        }
    }
  /* The keyring, the network, a time-out: the detail says which. Only the provider's own
   * answers are "the provider's sign-in service". */
  *reason = error->domain == OD_OAUTH_ERROR ? OD_REASON_OWN_TOKEN_SERVICE : OD_REASON_NONE;
  return OD_PROBLEM_AUTH_TEMPORARY_FAILURE;
}

/**
 * od_oauth_account_set_up_check:
 * @token: (nullable): the access token, or %NULL with @error
 * @error: (nullable): why there is none
 *
 * Gives @check what od_oauth_account_get_token_finish() gave: the token to sign in with, or
 * the problem that stops the login step.
 */
void
od_oauth_account_set_up_check (OdAccount    *account,
                               OdCheck      *check,
                               const char   *token,
                               const GError *error)
{
  const char *id = od_account_get_oauth_provider (account);
  const char *issuer = od_oauth_provider_get_display_name (id);

  if (issuer == NULL)
    issuer = id;
  if (token != NULL)
    {
      od_check_set_access_token (check, token, issuer, id);
      od_check_set_own_sign_in (check);
    }
  else
    {
      OdReason reason;
      OdProblemKind kind = od_oauth_error_to_problem (error, &reason);

      od_check_set_token_problem (check, error, kind, reason, issuer, id);
    }
}
