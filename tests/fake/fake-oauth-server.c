/* fake-oauth-server.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-oauth-server"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib-unix.h>

#include "od-fake-oauth-server.h"

/* Runs one OdFakeOAuthServer (tests/fake/od-fake-oauth-server.h) from a key file, for the
 * shell tests of the CLI's sign-in:
 *
 *   fake-oauth-server --script FILE [--port N]
 *
 *   [server]
 *   port=0
 *   client-id=fake-client
 *   client-secret=…                     # required at /token when set
 *   access-token=…                      # issued at sign-in
 *   refresh-token=…                     # issued at sign-in, accepted by the refresh grant
 *   refresh-access-token=…              # issued by the refresh grant
 *   rotated-refresh-token=…             # issued (and accepted from then on) by the refresh
 *   expires-in=3600                     # 0: no expires_in
 *   fault=none                          # wrong-state, denied, admin-consent-redirect,
 *                                       # admin-consent-token, revoked, no-redirect,
 *                                       # device-expired, device-denied
 *   token-delay-ms=0                    # a slow token endpoint
 *   device-pending=0                    # authorization_pending answers before approval
 *   device-slow-down=false              # one slow_down first
 *   device-interval=5
 *   device-expires-in=900
 *   device-google-style=false           # verification_url and 428 (Google)
 *   secrets-log=oauth-secrets.log       # every code, device code, code_verifier and refresh
 *                                       # token issued or received, one a line, for
 *                                       # tests/check-no-secrets.sh
 *
 * Its endpoints are http://127.0.0.1:PORT/authorize, /token and /devicecode. It prints
 * "PORT <n>" on stdout once listening and runs until SIGTERM or SIGINT. */

static const struct
{
  const char       *name;
  OdFakeOAuthFault  fault;
} faults[] = {
  { "none", OD_FAKE_OAUTH_FAULT_NONE },
  { "wrong-state", OD_FAKE_OAUTH_FAULT_WRONG_STATE },
  { "denied", OD_FAKE_OAUTH_FAULT_DENIED },
  { "admin-consent-redirect", OD_FAKE_OAUTH_FAULT_ADMIN_CONSENT_REDIRECT },
  { "admin-consent-token", OD_FAKE_OAUTH_FAULT_ADMIN_CONSENT_TOKEN },
  { "revoked", OD_FAKE_OAUTH_FAULT_REVOKED },
  { "no-redirect", OD_FAKE_OAUTH_FAULT_NO_REDIRECT },
  { "device-expired", OD_FAKE_OAUTH_FAULT_DEVICE_EXPIRED },
  { "device-denied", OD_FAKE_OAUTH_FAULT_DEVICE_DENIED },
};

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static char *
get_string (GKeyFile   *key_file,
            const char *key,
            const char *fallback)
{
  char *value = g_key_file_get_string (key_file, "server", key, NULL);

  return value != NULL ? value : g_strdup (fallback);
}

static gboolean
get_integer (GKeyFile    *key_file,
             const char  *key,
             int          fallback,
             int         *value,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  *value = g_key_file_get_integer (key_file, "server", key, &local_error);
  if (g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND) ||
      g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND))
    {
      *value = fallback;
      return TRUE;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (*value < 0)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "%s must not be negative", key);
      return FALSE;
    }

  return TRUE;
}

static gboolean
get_boolean (GKeyFile *key_file,
             const char *key)
{
  return g_key_file_get_boolean (key_file, "server", key, NULL);
}

static gboolean
configure_server (OdFakeOAuthServer  *server,
                  const char         *script,
                  int                *port,
                  GError            **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *client_id = NULL;
  g_autofree char *client_secret = NULL;
  g_autofree char *access_token = NULL;
  g_autofree char *refresh_token = NULL;
  g_autofree char *refresh_access_token = NULL;
  g_autofree char *rotated = NULL;
  g_autofree char *fault = NULL;
  g_autofree char *secrets_log = NULL;
  int expires_in, delay, pending, interval, device_expires_in, file_port;
  gboolean found = FALSE;

  if (!g_key_file_load_from_file (key_file, script, G_KEY_FILE_NONE, error))
    return FALSE;

  if (!get_integer (key_file, "expires-in", 3600, &expires_in, error) ||
      !get_integer (key_file, "token-delay-ms", 0, &delay, error) ||
      !get_integer (key_file, "device-pending", 0, &pending, error) ||
      !get_integer (key_file, "device-interval", 5, &interval, error) ||
      !get_integer (key_file, "device-expires-in", 900, &device_expires_in, error) ||
      !get_integer (key_file, "port", 0, &file_port, error))
    return FALSE;

  client_id = get_string (key_file, "client-id", "fake-client");
  client_secret = get_string (key_file, "client-secret", NULL);
  access_token = get_string (key_file, "access-token", "fake-access-token");
  refresh_token = get_string (key_file, "refresh-token", "fake-refresh-token");
  refresh_access_token = get_string (key_file, "refresh-access-token",
                                     "fake-refreshed-access-token");
  rotated = get_string (key_file, "rotated-refresh-token", NULL);
  fault = get_string (key_file, "fault", "none");
  secrets_log = get_string (key_file, "secrets-log", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    if (g_strcmp0 (fault, faults[i].name) == 0)
      {
        od_fake_oauth_server_set_fault (server, faults[i].fault);
        found = TRUE;
      }
  if (!found)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "Unknown fault %s", fault);
      return FALSE;
    }

  od_fake_oauth_server_set_client (server, client_id, client_secret);
  od_fake_oauth_server_set_tokens (server, access_token, refresh_token);
  od_fake_oauth_server_set_refresh_tokens (server, refresh_access_token, rotated);
  od_fake_oauth_server_set_expires_in (server, expires_in);
  od_fake_oauth_server_set_token_delay (server, delay);
  od_fake_oauth_server_set_device (server, pending, get_boolean (key_file, "device-slow-down"),
                                   interval, device_expires_in,
                                   get_boolean (key_file, "device-google-style"));
  od_fake_oauth_server_set_secrets_log (server, secrets_log);
  if (*port < 0)
    *port = file_port;

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(OdFakeOAuthServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  int port = -1;
  const GOptionEntry entries[] = {
    { "script", 's', 0, G_OPTION_ARG_FILENAME, &script, "Key file describing the server", "FILE" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port to listen on (default: ephemeral)", "N" },
    { NULL }
  };

  context = g_option_context_new ("- fake OAuth 2.0 authorization server");
  g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  server = od_fake_oauth_server_new ();

  if (script != NULL && !configure_server (server, script, &port, &error))
    {
      g_printerr ("%s: %s\n", script, error->message);
      return EXIT_FAILURE;
    }

  if (port > G_MAXUINT16)
    {
      g_printerr ("Invalid port %d\n", port);
      return EXIT_FAILURE;
    }

  if (!od_fake_oauth_server_start (server, MAX (port, 0), &error))
    {
      g_printerr ("Cannot start the server: %s\n", error->message);
      return EXIT_FAILURE;
    }

  g_print ("PORT %u\n", od_fake_oauth_server_get_port (server));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  return EXIT_SUCCESS;
}
