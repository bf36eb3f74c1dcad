/* od-address.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-address"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-address.h"
#include "od-smtp-reply.h"

/* E-mail addresses as the user types them: they end up in MAIL FROM and RCPT TO, in
 * autoconfig URLs and in the account file, so the rules are strict where a character could
 * break one of those and lenient elsewhere (internationalized addresses pass). */

/**
 * od_address_validate:
 *
 * Checks that @address can be used in MAIL FROM and RCPT TO: one "@", a local part and a
 * domain, no spaces, angle brackets or control characters.
 *
 * Returns: %FALSE with @error (%OD_SMTP_ERROR_BAD_INPUT) saying what is wrong
 */
gboolean
od_address_validate (const char  *address,
                     GError     **error)
{
  const char *at;

  if (address == NULL || address[0] == '\0')
    {
      g_set_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT,
                   _("The e-mail address is empty."));
      return FALSE;
    }

  if (!g_utf8_validate (address, -1, NULL) || strlen (address) > 254)
    {
      g_set_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT,
                   _("“%s” is not a valid e-mail address."), address);
      return FALSE;
    }

  for (const char *p = address; *p; p++)
    {
      if ((guchar)*p <= ' ' || *p == '<' || *p == '>' || *p == '(' || *p == ')' ||
          *p == ',' || *p == ';' || *p == '\\' || *p == '"' || *p == 0x7f)
        {
          g_set_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT,
                       _("An e-mail address cannot contain spaces or the character “%c”."),
                       (guchar)*p <= ' ' ? ' ' : *p);
          return FALSE;
        }
    }

  at = strrchr (address, '@');
  if (at == NULL || at == address || at[1] == '\0' || strchr (address, '@') != at ||
      at[1] == '.' || address[strlen (address) - 1] == '.' || at - address > 64)
    {
      g_set_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT,
                   _("“%s” is not a valid e-mail address: it should look like name@example.org."),
                   address);
      return FALSE;
    }

  return TRUE;
}

/**
 * od_address_get_domain:
 * @address: (nullable): an e-mail address
 *
 * Returns: (nullable): the part after the last "@", or %NULL when there is none
 */
const char *
od_address_get_domain (const char *address)
{
  const char *at;

  if (address == NULL)
    return NULL;

  at = strrchr (address, '@');
  if (at == NULL || at[1] == '\0')
    return NULL;

  return at + 1;
}
