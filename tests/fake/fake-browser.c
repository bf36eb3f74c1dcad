/* fake-browser.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-browser"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libsoup/soup.h>

/* The tests' stand-in for a web browser, registered as the default handler of http and https
 * in a throw-away XDG directory (tests/lib/od-test-browser.c, tests/lib/fake-browser-env.sh):
 *
 *   fake-browser URL
 *
 * It GETs URL and follows redirects, as a browser following an authorization URL to the
 * loopback redirect would, but only to 127.0.0.1 and ::1: anything else (a real provider, a
 * typo) is refused, so a test can never reach the network. Every address it visits is
 * appended to $OD_FAKE_BROWSER_LOG when set, with the value of a `code` parameter replaced
 * by "[code]" (the log is left where the secret scan looks). Exit status 0 when the last
 * page answered 2xx, 1 otherwise. */

#define MAX_REDIRECTS 10

static gboolean
is_loopback (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);
  const char *host = g_uri_get_host (uri);

  return (g_strcmp0 (scheme, "http") == 0 || g_strcmp0 (scheme, "https") == 0) &&
         (g_strcmp0 (host, "127.0.0.1") == 0 || g_strcmp0 (host, "::1") == 0 ||
          g_strcmp0 (host, "[::1]") == 0);
}

static void
log_visit (GUri *uri)
{
  const char *path = g_getenv ("OD_FAKE_BROWSER_LOG");
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *query = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GUri) shown = NULL;
  FILE *file;

  if (path == NULL || path[0] == '\0')
    return;

  if (g_uri_get_query (uri) != NULL)
    {
      params = soup_form_decode (g_uri_get_query (uri));
      if (g_hash_table_contains (params, "code"))
        /* soup_form_decode()'s table frees its keys only (each value shares its key's
         * allocation): the value put in must not be freed. */
        g_hash_table_replace (params, g_strdup ("code"), (char *) "[code]");
      query = soup_form_encode_hash (params);
    }

  shown = soup_uri_copy (uri, SOUP_URI_QUERY, query, SOUP_URI_NONE);
  text = g_uri_to_string (shown);

  file = fopen (path, "a");
  if (file == NULL)
    return;
  fprintf (file, "%s\n", text);
  fclose (file);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 2)
    {
      fprintf (stderr, "Usage: fake-browser URL\n");
      return 2;
    }

  uri = g_uri_parse (argv[1], SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL)
    {
      fprintf (stderr, "fake-browser: %s\n", error->message);
      return 1;
    }

  session = soup_session_new_with_options ("timeout", 30, "user-agent", "fake-browser", NULL);

  for (guint i = 0; i <= MAX_REDIRECTS; i++)
    {
      g_autoptr(SoupMessage) message = NULL;
      g_autoptr(GBytes) body = NULL;
      const char *location;
      guint status;

      if (!is_loopback (uri))
        {
          fprintf (stderr, "fake-browser: refusing %s: not 127.0.0.1 or ::1\n",
                   g_uri_get_host (uri) ? g_uri_get_host (uri) : "(no host)");
          return 1;
        }

      log_visit (uri);
      message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
      soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
      body = soup_session_send_and_read (session, message, NULL, &error);
      if (body == NULL)
        {
          fprintf (stderr, "fake-browser: %s\n", error->message);
          return 1;
        }

      status = soup_message_get_status (message);
      if (!SOUP_STATUS_IS_REDIRECTION (status))
        return SOUP_STATUS_IS_SUCCESSFUL (status) ? 0 : 1;

      location = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                               "Location");
      if (location == NULL)
        return 1;

      {
        GUri *next = g_uri_parse_relative (uri, location, SOUP_HTTP_URI_FLAGS, &error);

        if (next == NULL)
          {
            fprintf (stderr, "fake-browser: bad redirect: %s\n", error->message);
            return 1;
          }
        g_uri_unref (uri);
        uri = next;
      }
    }

  fprintf (stderr, "fake-browser: too many redirects\n");
  return 1;
}
