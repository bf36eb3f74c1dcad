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
#include "od-text.h"

/* Email addresses as the user types them: they end up in MAIL FROM and RCPT TO, in
 * autoconfig URLs and in the account file, so the rules are strict where a character could
 * break one of those and lenient elsewhere (internationalized addresses pass). */

/* RFC 1123 §2.1 host name labels: letters, digits and hyphens, 1 to 63 of them, no hyphen
 * first or last. */
static gboolean
label_is_valid (const char *label,
                gsize       len)
{
  if (len == 0 || len > 63 || label[0] == '-' || label[len - 1] == '-')
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (label[i]) && label[i] != '-')
      return FALSE;

  return TRUE;
}

/* Whether @ascii is a host name of at least two labels (the domain of an address goes into
 * DNS queries and URLs: a port, a path or a query must never ride along). */
static gboolean
ascii_is_hostname (const char *ascii)
{
  const char *label = ascii;
  guint n_labels = 0;

  if (strlen (ascii) > 253)
    return FALSE;

  for (const char *p = ascii;; p++)
    {
      if (*p == '.' || *p == '\0')
        {
          if (!label_is_valid (label, p - label))
            return FALSE;
          n_labels++;
          if (*p == '\0')
            break;
          label = p + 1;
        }
    }

  return n_labels >= 2;
}

static gboolean
domain_is_hostname (const char *domain)
{
  g_autofree char *ascii = g_hostname_to_ascii (domain);

  return ascii != NULL && ascii_is_hostname (ascii);
}

/**
 * od_address_dup_ascii_domain:
 * @address: (nullable): an email address
 *
 * Returns: (transfer full) (nullable): the domain in ASCII (an internationalized one as
 *   IDNA "xn--" labels), lower case, or %NULL when the address has no domain that is a host
 *   name
 */
char *
od_address_dup_ascii_domain (const char *address)
{
  const char *domain = od_address_get_domain (address);
  g_autofree char *ascii = domain ? g_hostname_to_ascii (domain) : NULL;

  if (ascii == NULL || !ascii_is_hostname (ascii))
    return NULL;

  return g_ascii_strdown (ascii, -1);
}

/**
 * od_address_validate:
 *
 * Checks that @address can be used in MAIL FROM and RCPT TO: one "@", a local part and a
 * domain that is a host name (after IDNA), no spaces, angle brackets or control
 * characters.
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
                   _("The email address is empty."));
      return FALSE;
    }

  if (!g_utf8_validate (address, -1, NULL) || strlen (address) > 254)
    {
      g_set_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT,
                   _("“%s” is not a valid email address."), address);
      return FALSE;
    }

  for (const char *p = address; *p; p++)
    {
      if ((guchar)*p <= ' ' || *p == '<' || *p == '>' || *p == '(' || *p == ')' ||
          *p == ',' || *p == ';' || *p == '\\' || *p == '"' || *p == 0x7f)
        {
          g_set_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT,
                       _("An email address cannot contain spaces or the character “%c”."),
                       (guchar)*p <= ' ' ? ' ' : *p);
          return FALSE;
        }
    }

  /* A bidirectional override or a zero-width character makes an address look like another. */
  if (!od_text_is_clean (address, -1, OD_TEXT_SINGLE_LINE))
    {
      g_set_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT,
                   _("An email address cannot contain invisible formatting characters."));
      return FALSE;
    }

  at = strrchr (address, '@');
  if (at == NULL || at == address || at[1] == '\0' || strchr (address, '@') != at ||
      at[1] == '.' || address[strlen (address) - 1] == '.' || at - address > 64)
    {
      g_set_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT,
                   _("“%s” is not a valid email address: it should look like name@example.org."),
                   address);
      return FALSE;
    }

  if (!domain_is_hostname (at + 1))
    {
      g_set_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT,
                   _("“%s” is not a valid email address: the part after the “@” must be a "
                     "domain name such as example.org."),
                   address);
      return FALSE;
    }

  return TRUE;
}

/**
 * od_address_get_domain:
 * @address: (nullable): an email address
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
