/* od-cli-confirm.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbox-doctor-cli"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "od-account.h"
#include "od-cli-common.h"
#include "od-text.h"

/* A server found only through something anyone could forge (DNS records, plain http://,
 * another domain) gets no password until the user confirms it: with --accept-server
 * HOST:PORT, or by answering yes on the terminal. */

/* --accept-server HOST:PORT ("[2001:db8::1]:587" for an IPv6 literal). Returns FALSE with
 * @status set. */
gboolean
od_cli_check_accept_server (GOptionContext *context,
                            const char     *accept,
                            int            *status)
{
  if (accept == NULL || od_account_parse_endpoint (accept, NULL, NULL))
    return TRUE;

  *status = od_cli_usage_error (context, _("--accept-server needs a server and its port, such "
                                           "as mail.example.org:587 ([2001:db8::1]:587 for an "
                                           "IPv6 address)."));
  return FALSE;
}

/* Whether @accept names @host and @port. */
static gboolean
accept_names (const char *accept,
              const char *host,
              guint16     port)
{
  g_autofree char *accept_host = NULL;
  guint16 accept_port = 0;

  return od_account_parse_endpoint (accept, &accept_host, &accept_port) &&
         accept_port == port && g_ascii_strcasecmp (accept_host, host) == 0;
}

/* Asks on the terminal. Returns TRUE only for an explicit yes. The whole line is read, so
 * that nothing of a long answer is left for the password prompt that may follow. */
static gboolean
ask (void)
{
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autofree char *line = NULL;
  g_auto(GStrv) yes = NULL;
  int c;

  /* Translators: the question after the server's description; keep "[y/N]" or translate it
   * to match the answers below */
  g_print (_("Send your password to this server? [y/N] "));
  fflush (stdout);

  while ((c = getchar ()) != EOF && c != '\n')
    if (answer->len < 64)
      g_string_append_c (answer, c);

  if (c == EOF && answer->len == 0)
    {
      g_print ("\n");
      return FALSE;
    }

  if (!g_utf8_validate (answer->str, answer->len, NULL))
    return FALSE;

  line = g_utf8_strdown (answer->str, -1);
  g_strstrip (line);
  /* Translators: the answers that mean yes, separated by "|", in lower case; keep "y" and
   * "yes" among them */
  yes = g_strsplit (_("y|yes"), "|", -1);
  return line[0] != '\0' && g_strv_contains ((const char * const *)yes, line);
}

/**
 * od_cli_confirm_server:
 * @accept: (nullable): the --accept-server option
 * @why: where the server came from, as the engine says it
 * @interactive: whether a person at the terminal may be asked
 *
 * Returns: whether the user confirmed @host and @port
 */
gboolean
od_cli_confirm_server (const char *accept,
                       const char *host,
                       guint16     port,
                       const char *why,
                       gboolean    interactive)
{
  g_autofree char *shown = od_text_sanitize (host, -1, OD_TEXT_SINGLE_LINE);
  g_autofree char *endpoint = od_account_format_endpoint (host, port);

  if (accept != NULL && accept_names (accept, host, port))
    return TRUE;

  if (accept != NULL)
    {
      /* Translators: the first %s is what --accept-server named, the second the server
       * found, as HOST:PORT */
      g_printerr (_("outbox-doctor-cli: --accept-server names %s, but the server found is %s; "
                    "it is not confirmed.\n"), accept, endpoint);
      return FALSE;
    }

  if (!interactive)
    return FALSE;

  g_print ("\n");
  /* Translators: %s is a server name, %u its port */
  g_print (_("The server %s (port %u) works, but nothing confirms that it is your "
             "provider’s.\n"), shown, port);
  g_print ("%s\n", why);
  g_print ("%s\n", _("Only say yes if your provider’s help pages or your administrator name "
                     "this server."));

  return ask ();
}

/**
 * od_cli_print_unconfirmed_note:
 * @why: (nullable): where the server came from, when nobody confirmed it
 *
 * After a suggestion to use the same server another way: a server nobody vouched for stays
 * one on another port, and --host would make it the user's own settings.
 */
void
od_cli_print_unconfirmed_note (const char *why)
{
  if (why == NULL)
    return;

  /* Translators: %s says where the server came from, as a sentence */
  g_print (_("Careful: %s Use it only if your provider’s help pages or your administrator "
             "name this server.\n"), why);
}
