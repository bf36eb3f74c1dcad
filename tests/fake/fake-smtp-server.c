/* fake-smtp-server.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-smtp-server"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib-unix.h>

#include "od-fake-smtp-server.h"

/* Runs one OdFakeSmtpServer from a key file, for manual experiments, lab set-ups and
 * benchmarks:
 *
 *   fake-smtp-server --script FILE [--port N]
 *
 *   [server]
 *   address=127.0.0.1
 *   port=0
 *   greeting=220 fake.example.org ESMTP ready      # "<silent>", "<close>"; "<mute>" = NULL
 *   greeting-delay-ms=0
 *   implicit-tls=false
 *   cert-file=server.pem
 *   key-file=server.key                            # optional if cert-file holds the key
 *   capabilities-before-tls=SIZE 10240000\nSTARTTLS\nENHANCEDSTATUSCODES\n8BITMIME
 *   capabilities-after-tls=SIZE 10240000\nAUTH PLAIN LOGIN\nENHANCEDSTATUSCODES\n8BITMIME
 *   user=user@example.org
 *   password=secret
 *   require-auth=false
 *   oauth-token=ya29.…                             # XOAUTH2/OAUTHBEARER accept this token
 *   oauth-error={"status":"401",…}                 # the error challenge's JSON for another
 *   oauth-final=535 5.7.8 …                        # and the final reply after it
 *   starttls-injection=250 injected\r\n
 *   verbs-file=verbs.txt                           # the verb of every command received, one
 *                                                  # per line, kept up to date (never the
 *                                                  # rest of a line: AUTH carries passwords)
 *
 *   [replies]
 *   MAIL=550 5.7.1 Sender rejected
 *   RCPT=<close>
 *   EHLO=250-fake.example.org\r\n250 AUTH PLAIN
 *
 * It prints "PORT <n>" on stdout once listening and runs until SIGTERM or SIGINT. */

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);

  return G_SOURCE_REMOVE;
}

static char *
get_string (GKeyFile   *key_file,
            const char *key)
{
  return g_key_file_get_string (key_file, "server", key, NULL);
}

static gboolean
get_boolean (GKeyFile    *key_file,
             const char  *key,
             gboolean    *value,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  *value = g_key_file_get_boolean (key_file, "server", key, &local_error);

  if (g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND) ||
      g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND))
    return TRUE;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

static gboolean
get_integer (GKeyFile    *key_file,
             const char  *key,
             int         *value,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  int result;

  result = g_key_file_get_integer (key_file, "server", key, &local_error);

  if (g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND) ||
      g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND))
    return TRUE;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  *value = result;

  return TRUE;
}

static gboolean
configure_server (OdFakeSmtpServer  *server,
                  const char        *script,
                  GError           **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *address = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file_name = NULL;
  g_autofree char *caps_before = NULL;
  g_autofree char *caps_after = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  g_autofree char *injection = NULL;
  g_autofree char *oauth_token = NULL;
  g_auto(GStrv) commands = NULL;
  gboolean implicit_tls = FALSE;
  gboolean require_auth = FALSE;
  int port = 0;
  int delay = 0;

  if (!g_key_file_load_from_file (key_file, script, G_KEY_FILE_NONE, error))
    return FALSE;

  if (!get_boolean (key_file, "implicit-tls", &implicit_tls, error) ||
      !get_boolean (key_file, "require-auth", &require_auth, error) ||
      !get_integer (key_file, "port", &port, error) ||
      !get_integer (key_file, "greeting-delay-ms", &delay, error))
    return FALSE;

  if (port < 0 || port > G_MAXUINT16 || delay < 0)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "port or greeting-delay-ms out of range");
      return FALSE;
    }

  od_fake_smtp_server_set_implicit_tls (server, implicit_tls);
  od_fake_smtp_server_set_require_auth (server, require_auth);
  od_fake_smtp_server_set_port (server, port);
  od_fake_smtp_server_set_greeting_delay_ms (server, delay);

  if ((address = get_string (key_file, "address")))
    od_fake_smtp_server_set_address (server, address);

  /* A key file cannot hold NULL, so "<mute>" stands for it. */
  if ((greeting = get_string (key_file, "greeting")))
    od_fake_smtp_server_set_greeting (server, g_str_equal (greeting, "<mute>") ? NULL : greeting);

  caps_before = get_string (key_file, "capabilities-before-tls");
  caps_after = get_string (key_file, "capabilities-after-tls");
  od_fake_smtp_server_set_capabilities (server, caps_before, caps_after);

  user = get_string (key_file, "user");
  password = get_string (key_file, "password");
  if (user != NULL || password != NULL)
    od_fake_smtp_server_set_credentials (server,
                                         user != NULL ? user : "user@example.org",
                                         password != NULL ? password : "secret");

  if ((oauth_token = get_string (key_file, "oauth-token")))
    {
      g_autofree char *oauth_error = get_string (key_file, "oauth-error");
      g_autofree char *oauth_final = get_string (key_file, "oauth-final");

      od_fake_smtp_server_set_oauth (server, oauth_token, oauth_error, oauth_final);
    }

  if ((injection = get_string (key_file, "starttls-injection")))
    od_fake_smtp_server_set_starttls_injection (server, injection);

  if ((cert_file = get_string (key_file, "cert-file")))
    {
      g_autoptr(GTlsCertificate) certificate = NULL;

      key_file_name = get_string (key_file, "key-file");
      if (key_file_name != NULL)
        certificate = g_tls_certificate_new_from_files (cert_file, key_file_name, error);
      else
        certificate = g_tls_certificate_new_from_file (cert_file, error);

      if (certificate == NULL)
        return FALSE;

      od_fake_smtp_server_set_certificate (server, certificate);
    }

  commands = g_key_file_get_keys (key_file, "replies", NULL, NULL);
  for (guint i = 0; commands != NULL && commands[i] != NULL; i++)
    {
      g_autofree char *reply = g_key_file_get_string (key_file, "replies", commands[i], error);

      if (reply == NULL)
        return FALSE;

      od_fake_smtp_server_set_reply (server, commands[i], reply);
    }

  return TRUE;
}

typedef struct
{
  OdFakeSmtpServer *server;
  char             *path;
  guint             n_written;
} VerbsFile;

/* Writes the verbs of the commands received so far, when there are new ones. */
static gboolean
write_verbs_cb (gpointer user_data)
{
  VerbsFile *verbs = user_data;
  GPtrArray *commands = od_fake_smtp_server_get_commands (verbs->server);
  g_autoptr(GString) text = g_string_new (NULL);

  if (commands->len == verbs->n_written)
    return G_SOURCE_CONTINUE;

  for (guint i = 0; i < commands->len; i++)
    {
      const char *line = g_ptr_array_index (commands, i);
      gsize len = strcspn (line, " \r\n");

      g_string_append_len (text, line, len);
      g_string_append_c (text, '\n');
    }

  if (g_file_set_contents (verbs->path, text->str, text->len, NULL))
    verbs->n_written = commands->len;

  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(OdFakeSmtpServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  VerbsFile verbs = { NULL, NULL, 0 };
  int port = -1;
  const GOptionEntry entries[] = {
    { "script", 's', 0, G_OPTION_ARG_FILENAME, &script, "Key file describing the server", "FILE" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port to listen on (default: ephemeral)", "N" },
    { NULL }
  };

  context = g_option_context_new ("- scriptable fake SMTP server");
  g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  server = od_fake_smtp_server_new ();

  if (script != NULL && !configure_server (server, script, &error))
    {
      g_printerr ("%s: %s\n", script, error->message);
      return EXIT_FAILURE;
    }

  if (port > G_MAXUINT16)
    {
      g_printerr ("Invalid port %d\n", port);
      return EXIT_FAILURE;
    }
  if (port >= 0)
    od_fake_smtp_server_set_port (server, port);

  if (!od_fake_smtp_server_start (server, &error))
    {
      g_printerr ("Cannot start the server: %s\n", error->message);
      return EXIT_FAILURE;
    }

  g_print ("PORT %u\n", od_fake_smtp_server_get_port (server));
  fflush (stdout);

  if (script != NULL)
    {
      g_autoptr(GKeyFile) key_file = g_key_file_new ();

      if (g_key_file_load_from_file (key_file, script, G_KEY_FILE_NONE, NULL) &&
          (verbs.path = get_string (key_file, "verbs-file")) != NULL)
        {
          verbs.server = server;
          g_timeout_add (50, write_verbs_cb, &verbs);
        }
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  od_fake_smtp_server_stop (server);
  g_free (verbs.path);

  return EXIT_SUCCESS;
}
