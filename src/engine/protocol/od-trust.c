/* od-trust.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-trust"

#include "config.h"

#include <string.h>

#include <libpsl.h>

#include "od-trust.h"

/* Whether a server found for an address may be trusted with its password (RFC 6186 §6: a
 * server named by DNS must be verified against the mail domain, or the user asked). The
 * facts used here: the address's registrable domain (the public suffix list, with its
 * default rule "*" for suffixes it does not list, such as .test or a company's .lan), and
 * whether a certificate is valid for the mail domain itself. */

static const psl_ctx_t *
psl (void)
{
  static const psl_ctx_t *ctx;
  static gsize initialized;

  /* The system's list if it has one (publicsuffix), else the one built into libpsl. */
  if (g_once_init_enter (&initialized))
    {
      const psl_ctx_t *latest = psl_latest (NULL);

      ctx = latest ? latest : psl_builtin ();
      g_once_init_leave (&initialized, 1);
    }

  return ctx;
}

/**
 * od_trust_normalize_host:
 *
 * Returns: (transfer full): @host in lower case without a trailing dot (DNS writes one),
 *   the form host names are compared in
 */
char *
od_trust_normalize_host (const char *host)
{
  char *lower;
  gsize len;

  g_return_val_if_fail (host != NULL, NULL);

  lower = g_ascii_strdown (host, -1);
  len = strlen (lower);
  if (len > 0 && lower[len - 1] == '.')
    lower[len - 1] = '\0';

  return lower;
}

/**
 * od_trust_registrable_domain:
 * @ascii_host: a host or domain name in ASCII (IDNs as punycode)
 *
 * Returns: (transfer full) (nullable): the domain one owner registered ("example.co.uk" for
 *   "smtp.mail.example.co.uk"), or %NULL for a public suffix itself
 */
char *
od_trust_registrable_domain (const char *ascii_host)
{
  g_autofree char *lower = NULL;
  const char *registrable;

  g_return_val_if_fail (ascii_host != NULL, NULL);

  lower = od_trust_normalize_host (ascii_host);
  registrable = psl_registrable_domain (psl (), lower);
  return registrable ? g_strdup (registrable) : NULL;
}

/**
 * od_trust_host_within:
 *
 * Returns: whether @host is @registrable_domain or a name under it
 */
gboolean
od_trust_host_within (const char *host,
                      const char *registrable_domain)
{
  g_autofree char *lower = NULL;
  gsize host_len, domain_len;

  if (host == NULL || registrable_domain == NULL || registrable_domain[0] == '\0')
    return FALSE;

  lower = od_trust_normalize_host (host);
  host_len = strlen (lower);
  domain_len = strlen (registrable_domain);

  if (host_len < domain_len ||
      g_ascii_strcasecmp (lower + host_len - domain_len, registrable_domain) != 0)
    return FALSE;

  return host_len == domain_len || lower[host_len - domain_len - 1] == '.';
}

/* RFC 6125 §6.4: a name matches exactly, or a wildcard stands for the whole left-most
 * label (and only there). */
static gboolean
name_matches (const char *pattern,
              const char *domain)
{
  const char *dot;

  if (g_ascii_strcasecmp (pattern, domain) == 0)
    return TRUE;

  if (!g_str_has_prefix (pattern, "*.") || (dot = strchr (domain, '.')) == NULL)
    return FALSE;

  return dot != domain && g_ascii_strcasecmp (pattern + 1, dot) == 0;
}

/**
 * od_trust_certificate_names:
 * @info: (nullable): what a probe's TLS handshake showed
 * @ascii_domain: the mail domain
 *
 * Returns: whether the certificate verified and names the mail domain itself: then whoever
 *   runs the server holds a certificate for the domain, wherever DNS pointed
 */
gboolean
od_trust_certificate_names (OdTlsInfo  *info,
                            const char *ascii_domain)
{
  const char * const *names;

  if (info == NULL || ascii_domain == NULL || !od_tls_info_get_verified (info))
    return FALSE;

  names = od_tls_info_get_names (info);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (name_matches (names[i], ascii_domain))
      return TRUE;

  return FALSE;
}
