/* od-cli-oauth.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbox-doctor-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "od-cli-common.h"
#include "od-cli-oauth.h"
#include "od-cli-output.h"
#include "od-check-report.h"
#include "od-oauth-account.h"
#include "od-oauth-providers.h"
#include "od-provider-db.h"

/* `setup ADDRESS --oauth`: signing in with the provider instead of typing a password
 * (issue 18). On a desktop the system browser opens (and the address is printed in case it
 * does not); on a terminal without one, the device grant where the provider offers it: the
 * person opens the address on any device and types the code shown. */

static gboolean
have_desktop (void)
{
  return g_getenv ("WAYLAND_DISPLAY") != NULL || g_getenv ("DISPLAY") != NULL;
}

static void
uri_cb (OdOAuthSignIn *sign_in,
        const char    *uri,
        gpointer       user_data)
{
  const char *name = user_data;

  /* Progress goes to standard error: standard output may be JSON. */
  /* Translators: %s is a provider ("Google"), then the sign-in page's address */
  g_printerr (_("Opening your browser to sign in with %s. If it does not open, visit:\n"
                "  %s\n"), name, uri);
}

static void
device_code_cb (OdOAuthSignIn *sign_in,
                const char    *user_code,
                const char    *verification_uri,
                guint          expires_in,
                gpointer       user_data)
{
  const char *name = user_data;

  /* Translators: %s are a provider ("Microsoft"), a web address and a short code; %u minutes */
  g_printerr (_("To sign in with %s, open %s on any device and enter the code %s "
                "(within %u minutes).\n"), name, verification_uri, user_code,
              MAX (1, expires_in / 60));
}

/* The provider to sign in with: the one named, else the one the address's domain (or, after
 * the detection, its MX) belongs to. */
static const char *
find_provider_id (const char  *named,
                  const char  *address,
                  OdSetup     *setup)
{
  g_autoptr(OdProvider) provider = NULL;
  OdDiscovery *discovery = od_setup_get_discovery (setup);

  if (named != NULL)
    return named;

  provider = od_provider_db_lookup_address (od_provider_db_get_default (), address);
  if (provider == NULL && discovery != NULL && od_discovery_get_provider (discovery) != NULL)
    provider = od_provider_ref (od_discovery_get_provider (discovery));
  return g_intern_string (od_oauth_provider_id_for (provider));
}

/* With --json, a sign-in that did not work is a document too: nothing saved, and why. */
static void
print_json_failure (const char   *address,
                    const char   *provider,
                    const GError *error,
                    const char   *problem)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, OD_REPORT_SCHEMA);
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, address);
  json_builder_set_member_name (builder, "saved");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "account");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "sign_in");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, provider);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error->message);
  json_builder_set_member_name (builder, "problem");
  if (problem != NULL)
    json_builder_add_string_value (builder, problem);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  od_cli_print_json (json_builder_get_root (builder));
}

/**
 * od_cli_oauth_sign_in:
 * @provider_name: (nullable): --oauth-provider
 * @client_id: (nullable): --oauth-client-id
 * @client_secret: (nullable): --oauth-client-secret
 * @device: --oauth-device: the device grant even on a desktop
 * @json: --json: a failure is printed as a document too
 * @timeout_s: --timeout: at most this long for the sign-in too (0: the default wait)
 *
 * Signs the person in and gives @setup the tokens. Returns FALSE with @status set: a usage
 * error, or 1 when the provider said no (the message says what to do).
 */
gboolean
od_cli_oauth_sign_in (OdSetup      *setup,
                      const char   *provider_name,
                      const char   *client_id,
                      const char   *client_secret,
                      gboolean      device,
                      gboolean      json,
                      int           timeout_s,
                      GCancellable *cancellable,
                      int          *status)
{
  const char *address = od_setup_get_address (setup);
  const char *id = find_provider_id (provider_name, address, setup);
  g_autoptr(OdOAuthProvider) provider = NULL;
  g_autoptr(OdOAuthSignIn) sign_in = NULL;
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(OdCliWait) wait = { 0 };

  if (id == NULL || (provider = od_oauth_provider_lookup (id, client_id, client_secret)) == NULL)
    {
      *status = od_cli_usage_error (NULL, provider_name != NULL
                                    ? _("--oauth-provider takes google or microsoft.")
                                    : _("Outbox Doctor knows no sign-in for this address’s "
                                        "provider: give --oauth-provider google or microsoft "
                                        "if it is hosted by one of them, or use a password."));
      return FALSE;
    }

  if (provider->client_id == NULL)
    {
      /* Translators: %s is a provider ("Google") */
      g_printerr (_("This copy of Outbox Doctor cannot sign in with %s: it was built without "
                    "a client ID for it. Give your own with --oauth-client-id, add the "
                    "account in Settings → Online Accounts, or use an app password where "
                    "your provider allows one.\n"), provider->display_name);
      if (json)
        {
          g_autoptr(GError) no_client = g_error_new (OD_OAUTH_ERROR, OD_OAUTH_ERROR_NO_CLIENT_ID,
                                                     "%s", _("This copy of Outbox Doctor has "
                                                             "no client ID for this provider."));
          print_json_failure (address, provider->id, no_client, "auth-oauth-required");
        }
      *status = OD_CLI_EXIT_PROBLEM;
      return FALSE;
    }

  if (!device && !have_desktop ())
    device = TRUE;
  if (device && provider->device_endpoint == NULL)
    {
      /* Translators: %s is a provider ("Google") */
      g_printerr (_("%s offers no sign-in without a browser for mail. Run this on a desktop, "
                    "or add the account in Settings → Online Accounts.\n"),
                  provider->display_name);
      if (json)
        {
          g_autoptr(GError) no_browser = g_error_new (OD_OAUTH_ERROR, OD_OAUTH_ERROR_BROWSER,
                                                      "%s", _("The provider signs in only in a "
                                                              "web browser."));
          print_json_failure (address, provider->id, no_browser, NULL);
        }
      *status = OD_CLI_EXIT_PROBLEM;
      return FALSE;
    }

  sign_in = od_oauth_sign_in_new (provider);
  od_oauth_sign_in_set_login_hint (sign_in, address);
  if (timeout_s > 0)
    od_oauth_sign_in_set_timeouts (sign_in, (guint) timeout_s * 1000,
                                   MIN ((guint) timeout_s * 1000, OD_OAUTH_DEFAULT_REQUEST_MS));
  g_signal_connect (sign_in, "uri", G_CALLBACK (uri_cb), provider->display_name);
  g_signal_connect (sign_in, "device-code", G_CALLBACK (device_code_cb),
                    provider->display_name);
  if (device)
    od_oauth_sign_in_device_async (sign_in, cancellable, od_cli_wait_cb, &wait);
  else
    od_oauth_sign_in_browser_async (sign_in, cancellable, od_cli_wait_cb, &wait);
  tokens = od_oauth_sign_in_finish (sign_in, od_cli_wait (&wait, cancellable), &error);
  if (tokens == NULL)
    {
      OdReason reason;
      OdProblemKind kind = od_oauth_error_to_problem (error, &reason);

      *status = od_cli_error_status (error);
      if (*status == OD_CLI_EXIT_CANCELLED)
        return FALSE;
      /* Translators: the first %s is a provider ("Microsoft"), the second why */
      g_printerr (_("Signing in with %s did not work: %s\n"), provider->display_name,
                  error->message);
      if (kind != OD_PROBLEM_AUTH_TEMPORARY_FAILURE)
        g_printerr ("(%s)\n", od_catalog_get (kind)->id);
      if (json)
        print_json_failure (address, provider->id, error,
                            kind != OD_PROBLEM_AUTH_TEMPORARY_FAILURE ? od_catalog_get (kind)->id
                                                                      : NULL);
      *status = OD_CLI_EXIT_PROBLEM;
      return FALSE;
    }

  /* Translators: %s is a provider ("Google") */
  g_printerr (_("Signed in with %s.\n"), provider->display_name);
  od_setup_set_oauth (setup, provider, client_id != NULL && *client_id != '\0', tokens);
  return TRUE;
}
