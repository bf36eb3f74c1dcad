/* fake-incoming-server.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-incoming-server"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <gio/gio.h>
#include <glib-unix.h>

#include "od-fake-imap-server.h"
#include "od-fake-pop3-server.h"

/* Runs one OdFakeImapServer or OdFakePop3Server, for the end-to-end tests and benchmarks in
 * a network namespace (tests/e2e/e2e-lib.sh, e2e_fake_incoming):
 *
 *   fake-incoming-server --protocol imap|pop3 --address 127.1.0.80 --port 993
 *                        [--implicit-tls] --cert-file CERT.pem --key-file KEY.pem
 *                        [--caps-before "…"] [--caps-after "…"] [--injection "…"]
 *
 * The capabilities are IMAP's CAPABILITY list (one line) or POP3's CAPA lines separated by
 * "\n". --injection sends those bytes right after the answer to STARTTLS (STLS). It prints
 * "PORT <n>" on stdout once listening and runs until SIGTERM or SIGINT. */

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* "\n" in an argument stands for a line break (POP3's CAPA has one capability per line). */
static char *
unescape (const char *text)
{
  g_auto(GStrv) parts = NULL;

  if (text == NULL)
    return NULL;
  parts = g_strsplit (text, "\\n", -1);
  return g_strjoinv ("\n", parts);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(OdFakeImapServer) imap = NULL;
  g_autoptr(OdFakePop3Server) pop3 = NULL;
  g_autofree char *protocol = NULL;
  g_autofree char *address = NULL;
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *caps_before = NULL;
  g_autofree char *caps_after = NULL;
  g_autofree char *injection = NULL;
  gboolean implicit_tls = FALSE;
  int port = 0;
  guint16 bound;
  const GOptionEntry entries[] = {
    { "protocol", 0, 0, G_OPTION_ARG_STRING, &protocol, "imap or pop3", "PROTOCOL" },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, "Loopback address (127.x.y.z)", "IP" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port (default: ephemeral)", "N" },
    { "implicit-tls", 0, 0, G_OPTION_ARG_NONE, &implicit_tls, "TLS from the first byte", NULL },
    { "cert-file", 0, 0, G_OPTION_ARG_FILENAME, &cert_file, "PEM certificate", "FILE" },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "PEM key", "FILE" },
    { "caps-before", 0, 0, G_OPTION_ARG_STRING, &caps_before, "Capabilities before TLS", "S" },
    { "caps-after", 0, 0, G_OPTION_ARG_STRING, &caps_after, "Capabilities after TLS", "S" },
    { "injection", 0, 0, G_OPTION_ARG_STRING, &injection, "Sent after the STARTTLS answer", "S" },
    { NULL }
  };

  context = g_option_context_new ("- fake IMAP or POP3 server");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (g_strcmp0 (protocol, "imap") != 0 && g_strcmp0 (protocol, "pop3") != 0)
    {
      g_printerr ("--protocol imap or --protocol pop3, please\n");
      return EXIT_FAILURE;
    }
  if (port < 0 || port > G_MAXUINT16 || (address != NULL && !g_str_has_prefix (address, "127.")))
    {
      g_printerr ("A loopback address and a port, please\n");
      return EXIT_FAILURE;
    }

  if (cert_file != NULL &&
      !(certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error)))
    {
      g_printerr ("%s: %s\n", cert_file, error->message);
      return EXIT_FAILURE;
    }

  /* Both servers answer on the main loop's context (POP3) or a thread of their own (IMAP). */
  loop = g_main_loop_new (NULL, FALSE);

  if (g_str_equal (protocol, "imap"))
    {
      imap = od_fake_imap_server_new ();
      if (address != NULL)
        od_fake_imap_server_set_address (imap, address);
      od_fake_imap_server_set_port (imap, port);
      od_fake_imap_server_set_implicit_tls (imap, implicit_tls);
      if (certificate != NULL)
        od_fake_imap_server_set_certificate (imap, certificate);
      if (caps_before != NULL || caps_after != NULL)
        od_fake_imap_server_set_capabilities (imap, caps_before, caps_after);
      if (injection != NULL)
        od_fake_imap_server_set_starttls_injection (imap, injection);
      if (!od_fake_imap_server_start (imap, &error))
        goto failed;
      bound = od_fake_imap_server_get_port (imap);
    }
  else
    {
      g_autofree char *before = unescape (caps_before);
      g_autofree char *after = unescape (caps_after);

      pop3 = od_fake_pop3_server_new ();
      if (address != NULL)
        od_fake_pop3_server_set_address (pop3, address);
      od_fake_pop3_server_set_port (pop3, port);
      od_fake_pop3_server_set_implicit_tls (pop3, implicit_tls);
      if (certificate != NULL)
        od_fake_pop3_server_set_certificate (pop3, certificate);
      if (before != NULL || after != NULL)
        od_fake_pop3_server_set_capabilities (pop3, before, after);
      if (injection != NULL)
        od_fake_pop3_server_set_stls_injection (pop3, injection);
      if (!od_fake_pop3_server_start (pop3, &error))
        goto failed;
      bound = od_fake_pop3_server_get_port (pop3);
    }

  g_print ("PORT %u\n", bound);
  fflush (stdout);

  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  if (imap != NULL)
    od_fake_imap_server_stop (imap);
  if (pop3 != NULL)
    od_fake_pop3_server_stop (pop3);
  return EXIT_SUCCESS;

failed:
  g_printerr ("Cannot start the server: %s\n", error->message);
  return EXIT_FAILURE;
}
