/* od-oauth-providers.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-oauth"

#include "config.h"

#include <string.h>

#include "od-oauth-providers.h"
#include "od-provider-db.h"

/* Which provider signs an address in with OAuth 2.0, and with which client id. The endpoints
 * and scopes come from our own provider database (`<od:oauth2>`, never from a document found
 * on the network); the client id from the person (their own, kept with the account) or from
 * the build (-Dgoogle_client_id=, -Dmicrosoft_client_id=). Client ids are not ours to
 * borrow: a build without one says so instead of signing in.
 *
 * For the tests only: OD_OAUTH_TEST_ISSUER=http://127.0.0.1:PORT replaces every provider's
 * endpoints with PORT's /authorize, /token and /devicecode. Only a loopback address is
 * accepted, so the variable can never send a sign-in anywhere else. */

#define TEST_ISSUER_VARIABLE "OD_OAUTH_TEST_ISSUER"

static const struct
{
  const char *id;
  const char *display_name;   /* a name, not translated */
  const char *client_id;
  const char *client_secret;
} builds[] = {
  { "google", "Google", OD_GOOGLE_CLIENT_ID, OD_GOOGLE_CLIENT_SECRET },
  { "microsoft", "Microsoft", OD_MICROSOFT_CLIENT_ID, "" },
};

static const char *
nonempty (const char *s)
{
  return s != NULL && *s != '\0' ? s : NULL;
}

static gboolean
is_loopback_issuer (const char *issuer)
{
  g_autoptr(GUri) uri = g_uri_parse (issuer, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 &&
         (g_strcmp0 (g_uri_get_host (uri), "127.0.0.1") == 0 ||
          g_strcmp0 (g_uri_get_host (uri), "::1") == 0) &&
         g_uri_get_port (uri) > 0 && (*g_uri_get_path (uri) == '\0' ||
                                      g_str_equal (g_uri_get_path (uri), "/"));
}

static const OdProviderOAuth2 *
find_in_database (const char *id)
{
  g_autoptr(GPtrArray) providers = od_provider_db_list_providers (od_provider_db_get_default ());

  for (guint i = 0; i < providers->len; i++)
    {
      const OdProviderOAuth2 *oauth2 = od_provider_get_oauth2 (providers->pdata[i]);

      /* The database outlives the list: the pointer stays valid. */
      if (oauth2 != NULL && g_strcmp0 (oauth2->id, id) == 0)
        return oauth2;
    }

  return NULL;
}

/**
 * od_oauth_provider_get_display_name:
 * @id: "google", "microsoft"
 *
 * Returns: (nullable): the name shown in "Sign In With …", %NULL for an unknown id
 */
const char *
od_oauth_provider_get_display_name (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (builds); i++)
    {
      if (g_strcmp0 (builds[i].id, id) == 0)
        return builds[i].display_name;
    }

  return NULL;
}

/**
 * od_oauth_provider_id_for:
 * @provider: (nullable): a provider found by the detection (database, MX)
 *
 * Returns: (nullable): the sign-in provider ("google", "microsoft") that signs this
 *   provider's addresses in, when we know one
 */
const char *
od_oauth_provider_id_for (OdProvider *provider)
{
  const OdProviderOAuth2 *oauth2 = provider ? od_provider_get_oauth2 (provider) : NULL;

  if (oauth2 == NULL || od_oauth_provider_get_display_name (oauth2->id) == NULL)
    return NULL;
  return oauth2->id;
}

/**
 * od_oauth_provider_lookup:
 * @id: "google", "microsoft"
 * @own_client_id: (nullable): the person's own client id; %NULL or empty for this build's
 * @own_client_secret: (nullable): the secret issued with @own_client_id
 *
 * Returns: (transfer full) (nullable): where and how to sign in; its client_id is %NULL when
 *   neither the person nor this build has one. %NULL for an unknown @id.
 */
OdOAuthProvider *
od_oauth_provider_lookup (const char *id,
                          const char *own_client_id,
                          const char *own_client_secret)
{
  const OdProviderOAuth2 *oauth2 = find_in_database (id);
  const char *issuer = g_getenv (TEST_ISSUER_VARIABLE);
  OdOAuthProvider *provider;
  guint b;

  for (b = 0; b < G_N_ELEMENTS (builds) && g_strcmp0 (builds[b].id, id) != 0; b++)
    ;
  if (oauth2 == NULL || b == G_N_ELEMENTS (builds))
    return NULL;

  provider = g_new0 (OdOAuthProvider, 1);
  provider->id = g_strdup (id);
  provider->display_name = g_strdup (builds[b].display_name);
  provider->scopes = g_strdupv (oauth2->scopes);

  if (issuer != NULL && is_loopback_issuer (issuer))
    {
      g_autofree char *base = g_strdup (issuer);
      gsize len = strlen (base);

      if (len > 0 && base[len - 1] == '/')
        base[len - 1] = '\0';
      provider->authorization_endpoint = g_strconcat (base, "/authorize", NULL);
      provider->token_endpoint = g_strconcat (base, "/token", NULL);
      if (oauth2->device_endpoint != NULL)
        provider->device_endpoint = g_strconcat (base, "/devicecode", NULL);
    }
  else
    {
      if (issuer != NULL)
        g_warning ("%s is not a loopback http URL: ignored", TEST_ISSUER_VARIABLE);
      provider->authorization_endpoint = g_strdup (oauth2->authorization_endpoint);
      provider->token_endpoint = g_strdup (oauth2->token_endpoint);
      provider->device_endpoint = g_strdup (oauth2->device_endpoint);
    }

  if (nonempty (own_client_id) != NULL)
    {
      provider->client_id = g_strstrip (g_strdup (own_client_id));
      provider->client_secret = g_strdup (nonempty (own_client_secret));
    }
  else if (nonempty (builds[b].client_id) != NULL)
    {
      provider->client_id = g_strdup (builds[b].client_id);
      provider->client_secret = g_strdup (nonempty (builds[b].client_secret));
    }

  return provider;
}

/**
 * od_oauth_provider_lookup_for_account:
 * @account: an account that signs in with OAuth
 *
 * Returns: (transfer full) (nullable): its provider with the account's own client id, if it
 *   has one
 */
OdOAuthProvider *
od_oauth_provider_lookup_for_account (OdAccount *account)
{
  return od_oauth_provider_lookup (od_account_get_oauth_provider (account),
                                   od_account_get_oauth_client_id (account),
                                   od_account_get_oauth_client_secret (account));
}
