/* od-found-dotfile.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <string.h>

#include "od-found-dotfile.h"

/**
 * od_found_dotfile_read:
 *
 * Reads one configuration file with od_found_read_file(). A file that does not exist is no
 * error: the client is simply not set up (FALSE without @error).
 */
gboolean
od_found_dotfile_read (const char  *path,
                       char       **contents,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL && contents != NULL, FALSE);

  if (od_found_read_file (path, contents, NULL, &local_error))
    return TRUE;
  if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * od_found_dotfile_next_line:
 * @cursor: where the next line starts; moved past it
 *
 * Returns: (transfer full) (nullable): the next line without its end (LF or CRLF), or %NULL
 *   at @end
 */
char *
od_found_dotfile_next_line (const char **cursor,
                            const char  *end)
{
  const char *start = *cursor;
  const char *nl;
  gsize len;

  if (start >= end)
    return NULL;
  nl = memchr (start, '\n', end - start);
  len = (nl != NULL ? nl : end) - start;
  *cursor = nl != NULL ? nl + 1 : end;
  if (len > 0 && start[len - 1] == '\r')
    len--;
  return g_strndup (start, len);
}

/**
 * od_found_dotfile_parse_port:
 *
 * Returns: %TRUE when @text is a whole decimal number from 1 to 65535
 */
gboolean
od_found_dotfile_parse_port (const char *text,
                             guint16    *port)
{
  guint64 value = 0;

  if (text == NULL
      || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT16, &value, NULL))
    return FALSE;
  *port = (guint16)value;
  return TRUE;
}

/**
 * od_found_dotfile_split_mailbox:
 * @text: "Ada Lovelace <ada@example.org>", "\"Lovelace, Ada\" <ada@example.org>" or
 *   "ada@example.org"
 *
 * Returns: %TRUE with the address (and the name, or %NULL) when @text holds one address
 */
gboolean
od_found_dotfile_split_mailbox (const char  *text,
                                char       **name,
                                char       **address)
{
  g_autofree char *copy = NULL;
  char *open, *close;
  char *addr;

  g_return_val_if_fail (text != NULL && name != NULL && address != NULL, FALSE);

  *name = NULL;
  *address = NULL;
  copy = g_strstrip (g_strdup (text));
  open = strrchr (copy, '<');
  close = strrchr (copy, '>');
  if (open != NULL && close != NULL && close > open && close[1] == '\0')
    {
      char *display;

      *close = '\0';
      *open = '\0';
      addr = g_strstrip (open + 1);
      display = g_strstrip (copy);
      if (display[0] == '"' && strlen (display) >= 2 && display[strlen (display) - 1] == '"')
        {
          display[strlen (display) - 1] = '\0';
          display++;
        }
      if (*display != '\0')
        *name = g_strdup (display);
    }
  else
    addr = copy;

  if (*addr == '\0' || strchr (addr, '@') == NULL || strpbrk (addr, " \t<>\"") != NULL
      || !g_utf8_validate (addr, -1, NULL))
    {
      g_clear_pointer (name, g_free);
      return FALSE;
    }
  if (*name != NULL && !g_utf8_validate (*name, -1, NULL))
    g_clear_pointer (name, g_free);
  *address = g_strdup (addr);
  return TRUE;
}

/**
 * od_found_dotfile_host_ok:
 *
 * Returns: %TRUE when @host can be a server's name or address: letters, digits, "-", ".",
 *   "_", an IPv6 literal's ":" (and "%" of its zone), or any non-ASCII letter of an
 *   internationalized name; at most 255 bytes of valid UTF-8
 */
gboolean
od_found_dotfile_host_ok (const char *host)
{
  if (host == NULL || host[0] == '\0' || strlen (host) > 255 || !g_utf8_validate (host, -1, NULL))
    return FALSE;
  for (const guchar *p = (const guchar *)host; *p != '\0'; p++)
    if (*p < 0x80 && !g_ascii_isalnum (*p) && strchr ("-._:%", *p) == NULL)
      return FALSE;
  return TRUE;
}
