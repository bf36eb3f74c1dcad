/* od-e2e-autoconfig-server.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-e2e-autoconfig-server"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <libsoup/soup.h>

/* od-e2e-autoconfig-server --address IP --config FILE [--port N] [--cert-file F --key-file F]
 *                          [--http-port N] [--log FILE]
 *
 * Serves one Mozilla autoconfig document (FILE) at the two places a mail client looks for
 * it on a domain's own servers, /mail/config-v1.1.xml (autoconfig.DOMAIN) and
 * /.well-known/autoconfig/mail/config-v1.1.xml (DOMAIN), over HTTPS with the given
 * certificate (port 443 by default) and, with --http-port, over plain HTTP as well. Every
 * other path is 404. Each request is appended to the log as "SCHEME METHOD PATH[?QUERY]
 * STATUS", so a test can see which URLs the discovery fetched and what they carried.
 *
 * Prints "PORT <https-port>" on stdout once listening; runs until SIGTERM or SIGINT. */

typedef struct
{
  GBytes *document;
  FILE   *log;
} Server;

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);

  return G_SOURCE_REMOVE;
}

static void
log_request (Server            *server,
             SoupServerMessage *msg,
             guint              status)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);

  if (server->log == NULL)
    return;

  fprintf (server->log, "%s %s %s%s%s %u\n",
           g_uri_get_scheme (uri),
           soup_server_message_get_method (msg),
           g_uri_get_path (uri),
           query != NULL ? "?" : "",
           query != NULL ? query : "",
           status);
  fflush (server->log);
}

static void
handle_cb (SoupServer        *soup_server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Server *server = user_data;
  const char *method = soup_server_message_get_method (msg);
  gsize size;
  const char *data;

  if (!g_str_equal (path, "/mail/config-v1.1.xml") &&
      !g_str_equal (path, "/.well-known/autoconfig/mail/config-v1.1.xml"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      log_request (server, msg, SOUP_STATUS_NOT_FOUND);
      return;
    }

  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      log_request (server, msg, SOUP_STATUS_METHOD_NOT_ALLOWED);
      return;
    }

  data = g_bytes_get_data (server->document, &size);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_COPY, data, size);
  log_request (server, msg, SOUP_STATUS_OK);
}

static gboolean
listen_on (SoupServer              *soup_server,
           const char              *address,
           guint                    port,
           SoupServerListenOptions  options,
           GError                 **error)
{
  g_autoptr(GInetAddress) inet_address = g_inet_address_new_from_string (address);
  g_autoptr(GSocketAddress) socket_address = NULL;

  if (inet_address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Not an IP address: %s", address);
      return FALSE;
    }

  socket_address = g_inet_socket_address_new (inet_address, port);

  return soup_server_listen (soup_server, socket_address, options, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(SoupServer) soup_server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *config = NULL;
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *log_file = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) document = NULL;
  gsize length;
  int port = 443;
  int http_port = -1;
  Server server = { NULL, NULL };
  GSList *uris;
  guint https_port = 0;
  const GOptionEntry entries[] = {
    { "address", 'a', 0, G_OPTION_ARG_STRING, &address, "IP address to listen on", "IP" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "HTTPS port (default 443)", "N" },
    { "http-port", 0, 0, G_OPTION_ARG_INT, &http_port, "Also serve plain HTTP on N", "N" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "The autoconfig XML to serve", "FILE" },
    { "cert-file", 0, 0, G_OPTION_ARG_FILENAME, &cert_file, "Server certificate (PEM)", "FILE" },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "Its private key (PEM)", "FILE" },
    { "log", 'l', 0, G_OPTION_ARG_FILENAME, &log_file, "Append one line per request", "FILE" },
    { NULL }
  };

  context = g_option_context_new ("- serve an autoconfig document over HTTPS");
  g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (address == NULL || config == NULL || cert_file == NULL || key_file == NULL ||
      port < 0 || port > G_MAXUINT16 || http_port > G_MAXUINT16)
    {
      g_printerr ("--address, --config, --cert-file and --key-file are needed; ports 0-65535\n");
      return 2;
    }

  if (!g_file_get_contents (config, &contents, &length, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  document = g_bytes_new_take (g_steal_pointer (&contents), length);
  server.document = document;

  if (log_file != NULL && !(server.log = fopen (log_file, "a")))
    {
      g_printerr ("Cannot open %s\n", log_file);
      return EXIT_FAILURE;
    }

  {
    g_autoptr(GTlsCertificate) certificate = NULL;

    certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);
    if (certificate == NULL)
      {
        g_printerr ("%s\n", error->message);
        return EXIT_FAILURE;
      }

    soup_server = soup_server_new ("tls-certificate", certificate,
                                   "server-header", "od-e2e-autoconfig-server",
                                   NULL);
  }

  soup_server_add_handler (soup_server, NULL, handle_cb, &server, NULL);

  if (!listen_on (soup_server, address, port, SOUP_SERVER_LISTEN_HTTPS, &error) ||
      (http_port >= 0 && !listen_on (soup_server, address, http_port, 0, &error)))
    {
      g_printerr ("Cannot listen: %s\n", error->message);
      return EXIT_FAILURE;
    }

  uris = soup_server_get_uris (soup_server);
  for (GSList *l = uris; l != NULL; l = l->next)
    {
      if (g_str_equal (g_uri_get_scheme (l->data), "https"))
        https_port = g_uri_get_port (l->data);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_print ("PORT %u\n", https_port);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  soup_server_disconnect (soup_server);
  g_clear_pointer (&server.log, fclose);

  return EXIT_SUCCESS;
}
