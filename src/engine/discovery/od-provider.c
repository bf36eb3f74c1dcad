/* od-provider.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-provider"

#include "config.h"

#include <string.h>

#include "od-provider-private.h"

/* A provider as one clientConfig document describes it (our database's or one fetched from
 * the network), and its servers. Built by the autoconfig parser (od-autoconfig.c), then
 * immutable and shared. */

G_DEFINE_BOXED_TYPE (OdServerConfig, od_server_config, od_server_config_copy, od_server_config_free)
G_DEFINE_BOXED_TYPE (OdProvider, od_provider, od_provider_ref, od_provider_unref)

/**
 * od_provider_new:
 *
 * Returns: (transfer full): an empty provider, for the parser to fill
 */
OdProvider *
od_provider_new (void)
{
  OdProvider *provider = g_new0 (OdProvider, 1);

  g_atomic_ref_count_init (&provider->ref_count);
  return provider;
}

OdServerConfig *
od_server_config_copy (const OdServerConfig *config)
{
  OdServerConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_new0 (OdServerConfig, 1);
  copy->protocol = config->protocol;
  copy->hostname = g_strdup (config->hostname);
  copy->port = config->port;
  copy->security = config->security;
  copy->username = g_strdup (config->username);
  copy->authentication = config->authentication != NULL ? g_strdupv (config->authentication)
                                                        : g_new0 (char *, 1);

  return copy;
}

void
od_server_config_free (OdServerConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->hostname);
  g_free (config->username);
  g_strfreev (config->authentication);
  g_free (config);
}

/**
 * od_server_config_has_authentication:
 * @config: a server
 * @method: an authentication value such as "OAuth2" (compared without case)
 *
 * Returns: whether the document lists @method for this server
 */
gboolean
od_server_config_has_authentication (const OdServerConfig *config,
                                     const char           *method)
{
  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (method != NULL, FALSE);

  for (guint i = 0; config->authentication != NULL && config->authentication[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (config->authentication[i], method) == 0)
        return TRUE;
    }

  return FALSE;
}

static char *
expand_template (const char *template,
                 const char *address)
{
  const char *at = strrchr (address, '@');
  g_autofree char *local = at != NULL ? g_strndup (address, at - address) : g_strdup (address);
  const char *domain = at != NULL ? at + 1 : "";
  GString *out = g_string_new (NULL);

  for (const char *p = template; *p != '\0'; p++)
    {
      if (g_str_has_prefix (p, "%EMAILADDRESS%"))
        {
          g_string_append (out, address);
          p += strlen ("%EMAILADDRESS%") - 1;
        }
      else if (g_str_has_prefix (p, "%EMAILLOCALPART%"))
        {
          g_string_append (out, local);
          p += strlen ("%EMAILLOCALPART%") - 1;
        }
      else if (g_str_has_prefix (p, "%EMAILDOMAIN%"))
        {
          g_string_append (out, domain);
          p += strlen ("%EMAILDOMAIN%") - 1;
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * od_server_config_expand_username:
 * @config: a server
 * @address: the email address the user typed
 *
 * Fills `%EMAILADDRESS%`, `%EMAILLOCALPART%` and `%EMAILDOMAIN%` in the
 * username template; a literal template is returned as it is.
 *
 * Returns: (transfer full) (nullable): the user name, or %NULL when the
 *   document gives no username
 */
char *
od_server_config_expand_username (const OdServerConfig *config,
                                  const char           *address)
{
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  if (config->username == NULL)
    return NULL;

  return expand_template (config->username, address);
}

/**
 * od_server_config_expand_hostname:
 * @config: a server
 * @address: the email address the user typed
 *
 * Fills `%EMAILDOMAIN%` in the host name (some ISPs write `mail.%EMAILDOMAIN%`).
 *
 * Returns: (transfer full): the host name to connect to
 */
char *
od_server_config_expand_hostname (const OdServerConfig *config,
                                  const char           *address)
{
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  return expand_template (config->hostname, address);
}

const char *
od_server_protocol_to_string (OdServerProtocol protocol)
{
  switch (protocol)
    {
    case OD_SERVER_PROTOCOL_SMTP: return "smtp";
    case OD_SERVER_PROTOCOL_IMAP: return "imap";
    case OD_SERVER_PROTOCOL_POP3: return "pop3";
    default:                      g_return_val_if_reached ("smtp");
    }
}

/* OdProvider */

OdProvider *
od_provider_ref (OdProvider *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
od_provider_unref (OdProvider *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->id);
  g_free (self->display_name);
  g_free (self->short_name);
  g_strfreev (self->domains);
  g_strfreev (self->mx_suffixes);
  g_ptr_array_unref (self->outgoing);
  g_ptr_array_unref (self->incoming);
  g_free (self->documentation_url);
  g_free (self->note);
  od_provider_oauth2_free (self->oauth2);
  g_free (self);
}

/** od_provider_get_id: Returns: the emailProvider id (e.g. "gmail.com") */
const char *
od_provider_get_id (OdProvider *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->id;
}

/** od_provider_get_display_name: Returns: the displayName, or the id */
const char *
od_provider_get_display_name (OdProvider *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->display_name;
}

/** od_provider_get_short_name: Returns: the displayShortName, or the display name */
const char *
od_provider_get_short_name (OdProvider *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->short_name;
}

/**
 * od_provider_get_domains:
 *
 * Returns: (transfer none): the mail domains, lower-case ASCII (IDN as punycode)
 */
const char * const *
od_provider_get_domains (OdProvider *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *) self->domains;
}

/**
 * od_provider_has_domain:
 * @domain: lower-case ASCII domain
 *
 * Returns: whether @domain is one of the provider's domains
 */
gboolean
od_provider_has_domain (OdProvider *self,
                        const char *domain)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (domain != NULL, FALSE);

  return g_strv_contains ((const char * const *) self->domains, domain);
}

/**
 * od_provider_get_mx_suffixes:
 *
 * Returns: (transfer none): host name suffixes of the provider's MX hosts
 *   (e.g. "mail.protection.outlook.com"), without a leading "*."
 */
const char * const *
od_provider_get_mx_suffixes (OdProvider *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *) self->mx_suffixes;
}

/**
 * od_provider_get_outgoing_servers:
 *
 * Returns: (transfer none) (element-type OdServerConfig): the SMTP servers in
 *   document order; empty only for a provider that offers no SMTP
 */
GPtrArray *
od_provider_get_outgoing_servers (OdProvider *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->outgoing;
}

/**
 * od_provider_get_incoming_servers:
 *
 * Returns: (transfer none) (element-type OdServerConfig): the IMAP and POP3
 *   servers in document order
 */
GPtrArray *
od_provider_get_incoming_servers (OdProvider *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->incoming;
}

/** od_provider_get_documentation_url: Returns: (nullable): an http(s) URL */
const char *
od_provider_get_documentation_url (OdProvider *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->documentation_url;
}

/** od_provider_get_needs_app_password: Returns: whether mail programs need an app password */
gboolean
od_provider_get_needs_app_password (OdProvider *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->needs_app_password;
}

/**
 * od_provider_get_oauth2:
 *
 * Returns: (nullable): where the provider signs people in with OAuth 2.0, when our database
 *   knows it
 */
const OdProviderOAuth2 *
od_provider_get_oauth2 (OdProvider *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->oauth2;
}

void
od_provider_oauth2_free (OdProviderOAuth2 *oauth2)
{
  if (oauth2 == NULL)
    return;
  g_free (oauth2->id);
  g_free (oauth2->authorization_endpoint);
  g_free (oauth2->token_endpoint);
  g_free (oauth2->device_endpoint);
  g_strfreev (oauth2->scopes);
  g_free (oauth2);
}

/** od_provider_get_oauth_only: Returns: whether the provider accepts only OAuth sign-in */
gboolean
od_provider_get_oauth_only (OdProvider *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->oauth_only;
}

/**
 * od_provider_get_oauth_or_app_password:
 *
 * Returns: whether the provider accepts OAuth or an app password, but not the
 *   account password
 */
gboolean
od_provider_get_oauth_or_app_password (OdProvider *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->oauth_or_app_password;
}

/** od_provider_get_no_smtp: Returns: whether the provider offers no SMTP at all (e.g. Tuta) */
gboolean
od_provider_get_no_smtp (OdProvider *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->no_smtp;
}

/** od_provider_get_note: Returns: (nullable): a short plain-language note (English) */
const char *
od_provider_get_note (OdProvider *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->note;
}
