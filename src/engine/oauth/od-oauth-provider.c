/* od-oauth-provider.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-oauth"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-oauth.h"
#include "od-oauth-private.h"

G_DEFINE_QUARK (od-oauth-error-quark, od_oauth_error)

G_DEFINE_BOXED_TYPE (OdOAuthProvider, od_oauth_provider,
                     od_oauth_provider_copy, od_oauth_provider_free)

/**
 * od_oauth_provider_copy:
 *
 * Returns: (transfer full): a deep copy of @provider
 */
OdOAuthProvider *
od_oauth_provider_copy (const OdOAuthProvider *provider)
{
  OdOAuthProvider *copy;

  g_return_val_if_fail (provider != NULL, NULL);

  copy = g_new0 (OdOAuthProvider, 1);
  copy->id = g_strdup (provider->id);
  copy->display_name = g_strdup (provider->display_name);
  copy->authorization_endpoint = g_strdup (provider->authorization_endpoint);
  copy->token_endpoint = g_strdup (provider->token_endpoint);
  copy->device_endpoint = g_strdup (provider->device_endpoint);
  copy->scopes = g_strdupv (provider->scopes);
  copy->client_id = g_strdup (provider->client_id);
  copy->client_secret = g_strdup (provider->client_secret);

  return copy;
}

/**
 * od_oauth_provider_free:
 *
 * Frees @provider; the client secret is wiped first.
 */
void
od_oauth_provider_free (OdOAuthProvider *provider)
{
  if (provider == NULL)
    return;

  g_free (provider->id);
  g_free (provider->display_name);
  g_free (provider->authorization_endpoint);
  g_free (provider->token_endpoint);
  g_free (provider->device_endpoint);
  g_strfreev (provider->scopes);
  g_free (provider->client_id);
  od_oauth_wipe_string (provider->client_secret);
  g_free (provider->client_secret);
  g_free (provider);
}

/**
 * od_oauth_provider_dup_scope:
 *
 * Returns: (transfer full): the scopes joined by spaces, as the `scope` parameter wants them
 *   (RFC 6749 §3.3); "" when there are none
 */
char *
od_oauth_provider_dup_scope (const OdOAuthProvider *provider)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) scopes = NULL;

  g_return_val_if_fail (provider != NULL, NULL);

  if (provider->scopes == NULL)
    return g_strdup ("");

  /* Empty entries would make double spaces, which RFC 6749's scope grammar forbids. */
  builder = g_strv_builder_new ();
  for (guint i = 0; provider->scopes[i] != NULL; i++)
    if (provider->scopes[i][0] != '\0')
      g_strv_builder_add (builder, provider->scopes[i]);
  scopes = g_strv_builder_end (builder);

  return g_strjoinv (" ", scopes);
}

static gboolean
is_loopback_host (const char *host)
{
  /* Never "localhost" by name: a resolver may send it elsewhere (RFC 8252 §8.3). */
  return g_strcmp0 (host, "127.0.0.1") == 0 ||
         g_strcmp0 (host, "::1") == 0 ||
         g_strcmp0 (host, "[::1]") == 0;
}

/**
 * od_oauth_endpoint_is_allowed:
 * @uri: an endpoint's URL
 *
 * Whether the sign-in may talk to @uri: https anywhere; plain http only on 127.0.0.1 or ::1
 * (the tests' servers).
 *
 * Returns: %TRUE, or %FALSE with %OD_OAUTH_ERROR_INSECURE
 */
gboolean
od_oauth_endpoint_is_allowed (const char  *uri,
                              GError     **error)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;
  const char *host;

  parsed = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;
  scheme = parsed != NULL ? g_uri_get_scheme (parsed) : NULL;
  host = parsed != NULL ? g_uri_get_host (parsed) : NULL;

  if (host != NULL && host[0] != '\0')
    {
      if (g_ascii_strcasecmp (scheme, "https") == 0)
        return TRUE;
      if (g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback_host (host))
        return TRUE;
    }

  g_set_error_literal (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_INSECURE,
                       _("The provider’s sign-in address is not a secure https:// address, "
                         "so Outbox Doctor will not use it. Check the provider settings."));
  return FALSE;
}
