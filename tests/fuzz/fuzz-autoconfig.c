/* fuzz-autoconfig.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The autoconfig (Mozilla clientConfig) parser against arbitrary documents, as they may come
 * from autoconfig.<domain> or .well-known: whatever it accepts stays within its documented
 * limits, and the user name and host templates expand without surprises. */

#include "config.h"

#include <string.h>

#include "od-autoconfig.h"
#include "od-fuzz.h"

static void
check_string (const char *text)
{
  if (text != NULL)
    {
      g_assert (g_utf8_validate (text, -1, NULL));
      g_assert (strlen (text) <= OD_AUTOCONFIG_MAX_STRING * 4);
    }
}

static void
check_servers (GPtrArray *servers)
{
  g_assert (servers != NULL);
  g_assert (servers->len <= OD_AUTOCONFIG_MAX_SERVERS);

  for (guint i = 0; i < servers->len; i++)
    {
      const OdServerConfig *config = g_ptr_array_index (servers, i);
      g_autoptr(OdServerConfig) copy = od_server_config_copy (config);
      g_autofree char *user = od_server_config_expand_username (config, "fuzz@example.org");
      g_autofree char *host = od_server_config_expand_hostname (config, "fuzz@example.org");

      g_assert (config->hostname != NULL && config->hostname[0] != '\0');
      g_assert (config->port >= 1);
      g_assert (config->security == OD_SECURITY_TLS || config->security == OD_SECURITY_STARTTLS ||
                config->security == OD_SECURITY_NONE);
      g_assert (config->authentication != NULL);
      check_string (config->hostname);
      check_string (config->username);
      check_string (user);
      check_string (host);
      g_assert (copy->port == config->port);
      g_assert (g_strcmp0 (copy->hostname, config->hostname) == 0);
      (void)od_server_config_has_authentication (config, "password-cleartext");
      (void)od_server_protocol_to_string (config->protocol);
    }
}

static void
check_provider (OdProvider *provider,
                gboolean    trusted)
{
  const char * const *domains = od_provider_get_domains (provider);
  GPtrArray *outgoing = od_provider_get_outgoing_servers (provider);
  GPtrArray *incoming = od_provider_get_incoming_servers (provider);

  check_servers (outgoing);
  check_servers (incoming);
  g_assert (outgoing->len > 0 || (trusted && od_provider_get_no_smtp (provider)));

  check_string (od_provider_get_id (provider));
  check_string (od_provider_get_display_name (provider));
  check_string (od_provider_get_short_name (provider));
  check_string (od_provider_get_documentation_url (provider));
  check_string (od_provider_get_note (provider));

  for (guint i = 0; domains != NULL && domains[i] != NULL; i++)
    {
      check_string (domains[i]);
      g_assert (od_provider_has_domain (provider, domains[i]));
    }

  (void)od_provider_get_mx_suffixes (provider);
  (void)od_provider_get_needs_app_password (provider);
  (void)od_provider_get_oauth_only (provider);
  (void)od_provider_get_oauth_or_app_password (provider);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  od_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  for (guint trusted = 0; trusted < 2; trusted++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OdProvider) provider = NULL;

      provider = od_autoconfig_parse_full ((const char *)data, size,
                                           trusted ? OD_AUTOCONFIG_PARSE_TRUSTED :
                                                     OD_AUTOCONFIG_PARSE_NONE,
                                           &error);
      if (provider == NULL)
        {
          g_assert (error != NULL && error->domain == OD_AUTOCONFIG_ERROR);
          continue;
        }

      g_assert (error == NULL);
      check_provider (provider, trusted);
    }

  return 0;
}
