/* od-provider.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "od-types.h"

G_BEGIN_DECLS

typedef enum
{
  OD_SERVER_PROTOCOL_SMTP,
  OD_SERVER_PROTOCOL_IMAP,
  OD_SERVER_PROTOCOL_POP3,
} OdServerProtocol;

/**
 * OdServerConfig:
 * @protocol: SMTP for outgoing servers, IMAP or POP3 for incoming ones
 * @hostname: lower-case ASCII host name (IDN as punycode) or IP address; may contain
 *   `%EMAILDOMAIN%`, see od_server_config_expand_hostname()
 * @port: 1–65535
 * @security: socketType SSL → %OD_SECURITY_TLS, STARTTLS → %OD_SECURITY_STARTTLS,
 *   plain → %OD_SECURITY_NONE
 * @username: the username template (`%EMAILADDRESS%`, `%EMAILLOCALPART%`,
 *   `%EMAILDOMAIN%`, or a literal), or %NULL when the document gives none
 * @authentication: (array zero-terminated=1): the authentication values in
 *   document order (`password-cleartext`, `password-encrypted`, `OAuth2`, …);
 *   never %NULL, possibly empty
 *
 * One server of a provider. A plain boxed struct: copy with
 * od_server_config_copy(), free with od_server_config_free().
 */
typedef struct
{
  OdServerProtocol   protocol;
  char              *hostname;
  guint16            port;
  OdSecurity         security;
  char              *username;
  char             **authentication;
} OdServerConfig;

/**
 * OdProvider:
 *
 * A provider as described by one clientConfig document: its domains, servers
 * and the facts we keep with it. Immutable and reference counted, so it may be
 * shared between threads. A provider from our own database may have no outgoing
 * server at all; then od_provider_get_no_smtp() is %TRUE and the note says why.
 */
typedef struct _OdProvider OdProvider;

/**
 * OdProviderOAuth2:
 * @id: the sign-in provider: "google", "microsoft"
 * @authorization_endpoint: https URL
 * @token_endpoint: https URL
 * @device_endpoint: (nullable): the device authorization endpoint (RFC 8628)
 * @scopes: (array zero-terminated=1): what to ask for: sending and receiving mail
 *
 * Where a provider signs people in with OAuth 2.0, from our own provider database's
 * `<od:oauth2>` (never from a document found on the network).
 */
typedef struct
{
  char  *id;
  char  *authorization_endpoint;
  char  *token_endpoint;
  char  *device_endpoint;
  char **scopes;
} OdProviderOAuth2;

#define OD_TYPE_SERVER_CONFIG (od_server_config_get_type ())
#define OD_TYPE_PROVIDER      (od_provider_get_type ())

GType             od_server_config_get_type             (void) G_GNUC_CONST;
OdServerConfig   *od_server_config_copy                 (const OdServerConfig *config);
void              od_server_config_free                 (OdServerConfig       *config);
gboolean          od_server_config_has_authentication   (const OdServerConfig *config,
                                                         const char           *method);
char             *od_server_config_expand_username      (const OdServerConfig *config,
                                                         const char           *address);
char             *od_server_config_expand_hostname      (const OdServerConfig *config,
                                                         const char           *address);
const char       *od_server_protocol_to_string          (OdServerProtocol      protocol);

GType             od_provider_get_type                  (void) G_GNUC_CONST;
OdProvider       *od_provider_ref                       (OdProvider           *self);
void              od_provider_unref                     (OdProvider           *self);
const char       *od_provider_get_id                    (OdProvider           *self);
const char       *od_provider_get_display_name          (OdProvider           *self);
const char       *od_provider_get_short_name            (OdProvider           *self);
const char * const *od_provider_get_domains             (OdProvider           *self);
gboolean          od_provider_has_domain                (OdProvider           *self,
                                                         const char           *domain);
const char * const *od_provider_get_mx_suffixes         (OdProvider           *self);
GPtrArray        *od_provider_get_outgoing_servers      (OdProvider           *self);
GPtrArray        *od_provider_get_incoming_servers      (OdProvider           *self);
const char       *od_provider_get_documentation_url     (OdProvider           *self);
gboolean          od_provider_get_needs_app_password    (OdProvider           *self);
gboolean          od_provider_get_oauth_only            (OdProvider           *self);
gboolean          od_provider_get_oauth_or_app_password (OdProvider           *self);
gboolean          od_provider_get_no_smtp               (OdProvider           *self);
const char       *od_provider_get_note                  (OdProvider           *self);
const OdProviderOAuth2 *od_provider_get_oauth2          (OdProvider           *self);
void              od_provider_oauth2_free               (OdProviderOAuth2     *oauth2);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdServerConfig, od_server_config_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdProvider, od_provider_unref)

G_END_DECLS
