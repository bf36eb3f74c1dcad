/* od-types.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-types"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "od-types.h"

const char *
od_security_to_string (OdSecurity security)
{
  switch (security)
    {
    case OD_SECURITY_TLS:      return "tls";
    case OD_SECURITY_STARTTLS: return "starttls";
    case OD_SECURITY_NONE:     return "none";
    default:                   g_return_val_if_reached ("none");
    }
}

gboolean
od_security_from_string (const char *str,
                         OdSecurity *security)
{
  g_return_val_if_fail (security != NULL, FALSE);

  if (g_strcmp0 (str, "tls") == 0 || g_strcmp0 (str, "ssl") == 0)
    *security = OD_SECURITY_TLS;
  else if (g_strcmp0 (str, "starttls") == 0)
    *security = OD_SECURITY_STARTTLS;
  else if (g_strcmp0 (str, "none") == 0)
    *security = OD_SECURITY_NONE;
  else
    return FALSE;

  return TRUE;
}

/**
 * od_security_get_label:
 *
 * The encryption setting as the app's Encryption menu names it, translated: "TLS",
 * "STARTTLS" or "None". Every remedy, button and report names the setting with these words
 * (docs/decisions.md, "One name for each encryption setting").
 *
 * Returns: the label
 */
const char *
od_security_get_label (OdSecurity security)
{
  switch (security)
    {
    case OD_SECURITY_TLS:      return C_("encryption", "TLS");
    case OD_SECURITY_STARTTLS: return C_("encryption", "STARTTLS");
    case OD_SECURITY_NONE:     return C_("encryption", "None");
    default:                   g_return_val_if_reached ("");
    }
}

/**
 * od_security_describe:
 *
 * The encryption setting inside a sentence or a list ("smtp.example.org, port 25, no
 * encryption"): the menu's words, except that "None" reads "no encryption".
 *
 * Returns: the words, translated
 */
const char *
od_security_describe (OdSecurity security)
{
  if (security == OD_SECURITY_NONE)
    return C_("encryption", "no encryption");

  return od_security_get_label (security);
}

const char *
od_severity_to_string (OdSeverity severity)
{
  return severity == OD_SEVERITY_WARNING ? "warning" : "error";
}

/**
 * od_protocol_to_string:
 *
 * The protocol's name in the contracts (JSON, command line, keyring attribute `protocol`):
 * "smtp", "imap" or "pop3".
 */
const char *
od_protocol_to_string (OdProtocol protocol)
{
  switch (protocol)
    {
    case OD_PROTOCOL_SMTP:
      return "smtp";
    case OD_PROTOCOL_IMAP:
      return "imap";
    case OD_PROTOCOL_POP3:
      return "pop3";
    default:
      g_return_val_if_reached ("smtp");
    }
}

gboolean
od_protocol_from_string (const char *str,
                         OdProtocol *protocol)
{
  g_return_val_if_fail (protocol != NULL, FALSE);

  if (g_strcmp0 (str, "smtp") == 0)
    *protocol = OD_PROTOCOL_SMTP;
  else if (g_strcmp0 (str, "imap") == 0)
    *protocol = OD_PROTOCOL_IMAP;
  else if (g_strcmp0 (str, "pop3") == 0)
    *protocol = OD_PROTOCOL_POP3;
  else
    return FALSE;

  return TRUE;
}

gboolean
od_protocol_is_incoming (OdProtocol protocol)
{
  return protocol == OD_PROTOCOL_IMAP || protocol == OD_PROTOCOL_POP3;
}

/**
 * od_protocol_for_incoming_port:
 *
 * The incoming protocol a port number implies when nobody said: 995 and 110 are POP3,
 * everything else (993, 143 and unusual ports) IMAP.
 */
OdProtocol
od_protocol_for_incoming_port (guint16 port)
{
  return port == 995 || port == 110 ? OD_PROTOCOL_POP3 : OD_PROTOCOL_IMAP;
}
