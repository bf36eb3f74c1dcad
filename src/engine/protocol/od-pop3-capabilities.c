/* od-pop3-capabilities.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-pop3-capabilities"

#include "config.h"

#include <string.h>

#include "od-pop3-capabilities.h"
#include "od-text.h"

#define MAX_SASL_MECHANISMS 32
#define MAX_IMPLEMENTATION  256

static void
add_mechanisms (GPtrArray  *mechs,
                const char *list)
{
  g_auto(GStrv) words = g_strsplit_set (list, " \t", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *upper = NULL;
      gboolean seen = FALSE;

      if (words[i][0] == '\0' || mechs->len >= MAX_SASL_MECHANISMS)
        continue;

      upper = g_ascii_strup (words[i], -1);
      for (guint j = 0; j < mechs->len; j++)
        seen |= g_str_equal (g_ptr_array_index (mechs, j), upper);

      if (!seen)
        g_ptr_array_add (mechs, g_steal_pointer (&upper));
    }
}

/* RFC 2449 §6: a capability is a keyword (case-insensitive), then its arguments. */
static gboolean
keyword_is (const char  *line,
            const char  *keyword,
            const char **rest)
{
  gsize len = strlen (keyword);
  const char *p;

  if (g_ascii_strncasecmp (line, keyword, len) != 0)
    return FALSE;

  if (line[len] != '\0' && line[len] != ' ' && line[len] != '\t')
    return FALSE;

  for (p = line + len; *p == ' ' || *p == '\t'; p++)
    ;
  if (rest != NULL)
    *rest = p;

  return TRUE;
}

/* "LOGIN-DELAY 900" or, after login, "LOGIN-DELAY 900 USER": the first number. */
static int
parse_delay (const char *arg)
{
  guint64 value = 0;
  char *end = NULL;

  if (!g_ascii_isdigit (arg[0]))
    return -1;

  value = g_ascii_strtoull (arg, &end, 10);
  if (end == arg || value > G_MAXINT)
    return G_MAXINT;

  return (int)value;
}

/**
 * od_pop3_capabilities_new_from_lines:
 * @lines: the lines of the answer to CAPA, one capability each
 *
 * Returns: (transfer full): the capabilities; unknown ones are ignored
 */
OdPop3Capabilities *
od_pop3_capabilities_new_from_lines (const char * const *lines)
{
  g_autoptr(GPtrArray) mechs = g_ptr_array_new_with_free_func (g_free);
  OdPop3Capabilities *caps;

  g_return_val_if_fail (lines != NULL, NULL);

  caps = g_new0 (OdPop3Capabilities, 1);
  caps->login_delay = -1;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *rest = NULL;

      while (*line == ' ' || *line == '\t')
        line++;

      if (keyword_is (line, "SASL", &rest))
        add_mechanisms (mechs, rest);
      else if (keyword_is (line, "STLS", NULL))
        caps->stls = TRUE;
      else if (keyword_is (line, "USER", NULL))
        caps->user = TRUE;
      else if (keyword_is (line, "TOP", NULL))
        caps->top = TRUE;
      else if (keyword_is (line, "UIDL", NULL))
        caps->uidl = TRUE;
      else if (keyword_is (line, "PIPELINING", NULL))
        caps->pipelining = TRUE;
      else if (keyword_is (line, "RESP-CODES", NULL))
        caps->resp_codes = TRUE;
      else if (keyword_is (line, "AUTH-RESP-CODE", NULL))
        caps->auth_resp_code = TRUE;
      else if (keyword_is (line, "UTF8", NULL))
        caps->utf8 = TRUE;
      else if (keyword_is (line, "LOGIN-DELAY", &rest))
        caps->login_delay = parse_delay (rest);
      else if (keyword_is (line, "IMPLEMENTATION", &rest) && caps->implementation == NULL)
        caps->implementation = od_text_sanitize (rest, MIN (strlen (rest), MAX_IMPLEMENTATION),
                                                 OD_TEXT_SINGLE_LINE);
    }

  g_ptr_array_add (mechs, NULL);
  caps->sasl_mechanisms = (char **)g_ptr_array_free (g_steal_pointer (&mechs), FALSE);

  return caps;
}

/**
 * od_pop3_capabilities_new_from_reply:
 * @reply: a multi-line "+OK" answer to CAPA
 *
 * Returns: (transfer full): the capabilities
 */
OdPop3Capabilities *
od_pop3_capabilities_new_from_reply (const OdPop3Reply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);

  return od_pop3_capabilities_new_from_lines (od_pop3_reply_get_lines (reply));
}

OdPop3Capabilities *
od_pop3_capabilities_copy (const OdPop3Capabilities *caps)
{
  OdPop3Capabilities *copy;

  g_return_val_if_fail (caps != NULL, NULL);

  copy = g_memdup2 (caps, sizeof *caps);
  copy->sasl_mechanisms = g_strdupv (caps->sasl_mechanisms);
  copy->implementation = g_strdup (caps->implementation);

  return copy;
}

void
od_pop3_capabilities_free (OdPop3Capabilities *caps)
{
  if (caps == NULL)
    return;

  g_strfreev (caps->sasl_mechanisms);
  g_free (caps->implementation);
  g_free (caps);
}

/**
 * od_pop3_capabilities_has_sasl:
 * @mechanism: a SASL mechanism name such as "PLAIN"
 *
 * Returns: %TRUE if the server listed @mechanism after SASL (case-insensitive)
 */
gboolean
od_pop3_capabilities_has_sasl (const OdPop3Capabilities *caps,
                               const char               *mechanism)
{
  g_return_val_if_fail (caps != NULL, FALSE);
  g_return_val_if_fail (mechanism != NULL, FALSE);

  for (guint i = 0; caps->sasl_mechanisms[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (caps->sasl_mechanisms[i], mechanism) == 0)
        return TRUE;
    }

  return FALSE;
}
