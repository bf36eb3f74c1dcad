/* od-smtp-capabilities.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-smtp-capabilities"

#include "config.h"

#include <string.h>

#include "od-smtp-capabilities.h"

#define MAX_AUTH_MECHANISMS 32

static void
add_mechanisms (GPtrArray  *mechs,
                const char *list)
{
  g_auto(GStrv) words = g_strsplit_set (list, " \t", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *upper = NULL;
      gboolean seen = FALSE;

      if (words[i][0] == '\0' || mechs->len >= MAX_AUTH_MECHANISMS)
        continue;

      upper = g_ascii_strup (words[i], -1);
      for (guint j = 0; j < mechs->len; j++)
        seen |= g_str_equal (g_ptr_array_index (mechs, j), upper);

      if (!seen)
        g_ptr_array_add (mechs, g_steal_pointer (&upper));
    }
}

static gboolean
keyword_is (const char *line,
            const char *keyword,
            const char **rest)
{
  gsize len = strlen (keyword);

  if (g_ascii_strncasecmp (line, keyword, len) != 0)
    return FALSE;

  if (line[len] != '\0' && line[len] != ' ' && line[len] != '\t' && line[len] != '=')
    return FALSE;

  if (rest != NULL)
    {
      const char *p = line + len;

      while (*p == ' ' || *p == '\t' || *p == '=')
        p++;
      *rest = p;
    }

  return TRUE;
}

/**
 * od_smtp_capabilities_new_from_reply:
 * @reply: a 250 reply to EHLO
 *
 * Parses the extension keywords (RFC 5321 §4.1.1.1). The first line is the server's name;
 * each further line is one keyword with its parameters. Both `AUTH PLAIN` and the legacy
 * `AUTH=PLAIN` forms are understood; keywords are case-insensitive.
 *
 * Returns: (transfer full): the capabilities
 */
OdSmtpCapabilities *
od_smtp_capabilities_new_from_reply (const OdSmtpReply *reply)
{
  g_autoptr(GPtrArray) mechs = g_ptr_array_new_with_free_func (g_free);
  const char * const *lines;
  OdSmtpCapabilities *caps;

  g_return_val_if_fail (reply != NULL, NULL);

  caps = g_new0 (OdSmtpCapabilities, 1);
  lines = od_smtp_reply_get_lines (reply);

  if (lines[0] != NULL)
    {
      const char *end = lines[0] + strcspn (lines[0], " \t");
      caps->server_name = g_strndup (lines[0], end - lines[0]);
    }

  for (guint i = 1; lines[0] != NULL && lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *rest = NULL;

      while (*line == ' ' || *line == '\t')
        line++;

      if (keyword_is (line, "STARTTLS", NULL))
        caps->starttls = TRUE;
      else if (keyword_is (line, "AUTH", &rest))
        add_mechanisms (mechs, rest);
      else if (keyword_is (line, "SIZE", &rest))
        {
          caps->size_advertised = TRUE;
          caps->size_limit = g_ascii_strtoull (rest, NULL, 10);
        }
      else if (keyword_is (line, "PIPELINING", NULL))
        caps->pipelining = TRUE;
      else if (keyword_is (line, "ENHANCEDSTATUSCODES", NULL))
        caps->enhanced_status_codes = TRUE;
      else if (keyword_is (line, "8BITMIME", NULL))
        caps->eightbitmime = TRUE;
      else if (keyword_is (line, "SMTPUTF8", NULL))
        caps->smtputf8 = TRUE;
      else if (keyword_is (line, "CHUNKING", NULL))
        caps->chunking = TRUE;
    }

  g_ptr_array_add (mechs, NULL);
  caps->auth_mechanisms = (char **)g_ptr_array_free (g_steal_pointer (&mechs), FALSE);

  return caps;
}

/**
 * od_smtp_capabilities_new_from_text:
 * @data: raw bytes of an EHLO reply
 * @len: length of @data
 *
 * Convenience for tests and fuzzing: parses @data as one reply and its capabilities.
 *
 * Returns: (transfer full) (nullable): the capabilities, or %NULL if @data is not a
 *   complete positive reply
 */
OdSmtpCapabilities *
od_smtp_capabilities_new_from_text (const char *data,
                                    gsize       len)
{
  g_autoptr(OdSmtpReply) reply = od_smtp_reply_parse (data, len, NULL, NULL);

  if (reply == NULL || od_smtp_reply_get_code (reply) != 250)
    return NULL;

  return od_smtp_capabilities_new_from_reply (reply);
}

OdSmtpCapabilities *
od_smtp_capabilities_copy (const OdSmtpCapabilities *caps)
{
  OdSmtpCapabilities *copy;

  g_return_val_if_fail (caps != NULL, NULL);

  copy = g_memdup2 (caps, sizeof *caps);
  copy->auth_mechanisms = g_strdupv (caps->auth_mechanisms);
  copy->server_name = g_strdup (caps->server_name);

  return copy;
}

void
od_smtp_capabilities_free (OdSmtpCapabilities *caps)
{
  if (caps == NULL)
    return;

  g_strfreev (caps->auth_mechanisms);
  g_free (caps->server_name);
  g_free (caps);
}

gboolean
od_smtp_capabilities_has_auth (const OdSmtpCapabilities *caps,
                               const char               *mechanism)
{
  g_return_val_if_fail (caps != NULL, FALSE);
  g_return_val_if_fail (mechanism != NULL, FALSE);

  for (guint i = 0; caps->auth_mechanisms[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (caps->auth_mechanisms[i], mechanism) == 0)
        return TRUE;
    }

  return FALSE;
}
