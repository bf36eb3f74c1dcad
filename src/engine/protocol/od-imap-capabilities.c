/* od-imap-capabilities.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-imap-capabilities"

#include "config.h"

#include <string.h>

#include "od-imap-capabilities.h"

/* Bounded: a hostile server's list cannot grow without limit. */
#define MAX_CAPABILITIES     256
#define MAX_CAPABILITY_CHARS 128

static void
add_unique (GPtrArray  *array,
            const char *upper)
{
  for (guint i = 0; i < array->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (array, i), upper))
        return;
    }

  g_ptr_array_add (array, g_strdup (upper));
}

static void
set_flags (OdImapCapabilities *caps,
           const char         *name)
{
  if (g_str_equal (name, "IMAP4REV1"))
    caps->imap4rev1 = TRUE;
  else if (g_str_equal (name, "IMAP4REV2"))
    caps->imap4rev2 = TRUE;
  else if (g_str_equal (name, "STARTTLS"))
    caps->starttls = TRUE;
  else if (g_str_equal (name, "LOGINDISABLED"))
    caps->login_disabled = TRUE;
  else if (g_str_equal (name, "SASL-IR"))
    caps->sasl_ir = TRUE;
  else if (g_str_equal (name, "LITERAL+"))
    caps->literal_plus = TRUE;
  else if (g_str_equal (name, "LITERAL-"))
    caps->literal_minus = TRUE;
  else if (g_str_equal (name, "QUOTA") || g_str_has_prefix (name, "QUOTA=RES-"))
    caps->quota = TRUE;
  else if (g_str_equal (name, "SPECIAL-USE"))
    caps->special_use = TRUE;
  else if (g_str_equal (name, "IDLE"))
    caps->idle = TRUE;
}

/**
 * od_imap_capabilities_new:
 * @list: the capabilities separated by spaces, as in "IMAP4rev1 STARTTLS AUTH=PLAIN"
 *
 * Names are compared in upper case; words that are not atoms or are unreasonably long are
 * left out.
 *
 * Returns: (transfer full): the capabilities
 */
OdImapCapabilities *
od_imap_capabilities_new (const char *list)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) mechs = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) words = NULL;
  OdImapCapabilities *caps;

  g_return_val_if_fail (list != NULL, NULL);

  caps = g_new0 (OdImapCapabilities, 1);
  words = g_strsplit_set (list, " \t", -1);

  for (guint i = 0; words[i] != NULL && names->len < MAX_CAPABILITIES; i++)
    {
      g_autofree char *upper = NULL;
      gsize len = strlen (words[i]);
      gboolean atom = len > 0 && len <= MAX_CAPABILITY_CHARS;

      for (const char *p = words[i]; atom && *p; p++)
        atom = *p > 0x20 && *p < 0x7f && strchr ("(){%*\"\\]", *p) == NULL;
      if (!atom)
        continue;

      upper = g_ascii_strup (words[i], -1);
      add_unique (names, upper);
      set_flags (caps, upper);
      if (g_str_has_prefix (upper, "AUTH=") && upper[5] != '\0')
        add_unique (mechs, upper + 5);
    }

  g_ptr_array_add (names, NULL);
  g_ptr_array_add (mechs, NULL);
  caps->names = (char **)g_ptr_array_steal (names, NULL);
  caps->auth_mechanisms = (char **)g_ptr_array_steal (mechs, NULL);

  return caps;
}

/**
 * od_imap_capabilities_new_from_response:
 * @response: any response
 *
 * Returns: (transfer full) (nullable): the capabilities of a "* CAPABILITY" response or of
 *   a "[CAPABILITY …]" code, or %NULL when @response has none
 */
OdImapCapabilities *
od_imap_capabilities_new_from_response (const OdImapResponse *response)
{
  g_return_val_if_fail (response != NULL, NULL);

  if (od_imap_response_get_kind (response) == OD_IMAP_RESPONSE_UNTAGGED &&
      g_strcmp0 (od_imap_response_get_keyword (response), "CAPABILITY") == 0)
    return od_imap_capabilities_new (od_imap_response_get_data (response));

  if (od_imap_response_has_code (response, "CAPABILITY"))
    {
      const char *args = od_imap_response_get_code_args (response);

      return od_imap_capabilities_new (args ? args : "");
    }

  return NULL;
}

OdImapCapabilities *
od_imap_capabilities_copy (const OdImapCapabilities *caps)
{
  OdImapCapabilities *copy;

  g_return_val_if_fail (caps != NULL, NULL);

  copy = g_memdup2 (caps, sizeof *caps);
  copy->names = g_strdupv (caps->names);
  copy->auth_mechanisms = g_strdupv (caps->auth_mechanisms);
  return copy;
}

void
od_imap_capabilities_free (OdImapCapabilities *caps)
{
  if (caps == NULL)
    return;

  g_strfreev (caps->names);
  g_strfreev (caps->auth_mechanisms);
  g_free (caps);
}

/**
 * od_imap_capabilities_has:
 * @name: a capability such as "IDLE", any case
 */
gboolean
od_imap_capabilities_has (const OdImapCapabilities *caps,
                          const char               *name)
{
  g_return_val_if_fail (caps != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; caps->names[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (caps->names[i], name) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * od_imap_capabilities_has_auth:
 * @mechanism: a SASL mechanism such as "PLAIN", any case
 */
gboolean
od_imap_capabilities_has_auth (const OdImapCapabilities *caps,
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
