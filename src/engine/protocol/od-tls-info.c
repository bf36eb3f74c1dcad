/* od-tls-info.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-tls-info"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "od-format.h"
#include "od-text.h"
#include "od-tls-info.h"

/* What we learnt about a server's certificate and the TLS session it was presented in.
 *
 * GIO only promises that at least one GTlsCertificateFlags bit is set when verification
 * fails, and GnuTLS stops early on an unknown signer, so we verify the chain again here
 * and check the leaf's dates and names ourselves: a user with a self-signed, expired
 * certificate for the wrong name should hear about all three problems at once. */
struct _OdTlsInfo
{
  GObject               parent_instance;

  char                 *hostname;
  char                 *cipher;
  char                 *subject;
  char                 *issuer;
  char                **names;
  GDateTime            *not_before;
  GDateTime            *not_after;
  char                 *fingerprint;
  GTlsProtocolVersion   protocol;
  GTlsCertificateFlags  errors;
};

G_DEFINE_FINAL_TYPE (OdTlsInfo, od_tls_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOSTNAME,
  PROP_PROTOCOL,
  PROP_CIPHER,
  PROP_SUBJECT,
  PROP_ISSUER,
  PROP_NAMES,
  PROP_NOT_BEFORE,
  PROP_NOT_AFTER,
  PROP_FINGERPRINT,
  PROP_ERRORS,
  PROP_VERIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A peer never sends chains this long; the limit only guards against issuer loops. */
#define MAX_CHAIN_LENGTH 16

static void
trust_list_free (gnutls_x509_trust_list_t list)
{
  gnutls_x509_trust_list_deinit (list, 1);
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_trust_list_t, trust_list_free, NULL)

/* The order in which errors are reported, with their ids for JSON. */
static const struct {
  GTlsCertificateFlags  flag;
  const char           *id;
} error_ids[] = {
  { G_TLS_CERTIFICATE_UNKNOWN_CA, "unknown-ca" },
  { G_TLS_CERTIFICATE_BAD_IDENTITY, "bad-identity" },
  { G_TLS_CERTIFICATE_NOT_ACTIVATED, "not-activated" },
  { G_TLS_CERTIFICATE_EXPIRED, "expired" },
  { G_TLS_CERTIFICATE_REVOKED, "revoked" },
  { G_TLS_CERTIFICATE_INSECURE, "insecure" },
  { G_TLS_CERTIFICATE_GENERIC_ERROR, "generic" },
};

/* g_strv_builder_take() only exists from GLib 2.80. */
static void
strv_builder_take (GStrvBuilder *builder,
                   char         *str)
{
  g_strv_builder_add (builder, str);
  g_free (str);
}

static gboolean
set_gnutls_error (GError     **error,
                  int          code,
                  const char  *what)
{
  g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
               "%s: %s", what, gnutls_strerror (code));
  return FALSE;
}

static GDateTime *
date_time_from_time_t (time_t t)
{
  if (t == (time_t) -1)
    return NULL;

  return g_date_time_new_from_unix_utc ((gint64) t);
}

/* Whoever made the certificate chose these strings, and GnuTLS leaves control characters
 * in them (an organization name can hold ESC ] … BEL): they reach terminals, JSON and the
 * window only through od_text_sanitize(). */
static char *
dup_cert_string (const char *data,
                 gsize       size)
{
  if (data == NULL)
    return g_strdup ("");

  return od_text_sanitize (data, size, OD_TEXT_SINGLE_LINE);
}

static char *
dup_datum_string (const gnutls_datum_t *datum)
{
  g_assert (datum != NULL);

  return dup_cert_string ((const char *) datum->data, datum->size);
}

/* Uppercase hex pairs joined with ':', the way browsers and openssl show fingerprints. */
static char *
format_fingerprint (const guint8 *digest,
                    gsize         len)
{
  GString *str = g_string_sized_new (len * 3);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (str, "%s%02X", i > 0 ? ":" : "", digest[i]);

  return g_string_free (str, FALSE);
}

static char *
compute_fingerprint (GByteArray  *der,
                     GError     **error)
{
  gnutls_datum_t datum = { der->data, der->len };
  guint8 digest[32];
  size_t size = sizeof digest;
  int ret;

  ret = gnutls_fingerprint (GNUTLS_DIG_SHA256, &datum, digest, &size);
  if (ret < 0)
    {
      set_gnutls_error (error, ret, "SHA-256");
      return NULL;
    }

  return format_fingerprint (digest, size);
}

static void
add_common_names (gnutls_x509_crt_t  crt,
                  GStrvBuilder      *builder)
{
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *buf = NULL;
      size_t size = 0;
      int ret;

      ret = gnutls_x509_crt_get_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, i, 0, NULL, &size);
      if (ret != GNUTLS_E_SHORT_MEMORY_BUFFER)
        break;

      buf = g_malloc0 (size + 1);
      ret = gnutls_x509_crt_get_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, i, 0, buf, &size);
      if (ret < 0)
        break;

      strv_builder_take (builder, dup_cert_string (buf, size));
    }
}

/* DNS names and IP addresses from the subjectAltName extension, in order; the subject's
 * common name(s) only when there is no such name, as RFC 6125 clients do. */
static char **
collect_names (gnutls_x509_crt_t crt)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean have_san = FALSE;

  for (guint seq = 0; ; seq++)
    {
      g_autofree char *buf = NULL;
      size_t size = 0;
      int type;

      type = gnutls_x509_crt_get_subject_alt_name (crt, seq, NULL, &size, NULL);
      if (type == GNUTLS_E_SHORT_MEMORY_BUFFER)
        {
          buf = g_malloc0 (size + 1);
          type = gnutls_x509_crt_get_subject_alt_name (crt, seq, buf, &size, NULL);
        }

      if (type < 0)
        break;

      if (type == GNUTLS_SAN_DNSNAME && buf != NULL)
        {
          strv_builder_take (builder, dup_cert_string (buf, size));
          have_san = TRUE;
        }
      else if (type == GNUTLS_SAN_IPADDRESS && buf != NULL && (size == 4 || size == 16))
        {
          g_autoptr(GInetAddress) address = NULL;

          address = g_inet_address_new_from_bytes ((const guint8 *) buf,
                                                   size == 4 ? G_SOCKET_FAMILY_IPV4
                                                             : G_SOCKET_FAMILY_IPV6);
          strv_builder_take (builder, g_inet_address_to_string (address));
          have_san = TRUE;
        }
    }

  if (!have_san)
    add_common_names (crt, builder);

  return g_strv_builder_end (builder);
}

static gboolean
import_chain (GTlsCertificate  *peer_chain,
              GPtrArray        *crts,
              GByteArray      **leaf_der,
              GError          **error)
{
  GTlsCertificate *cert = peer_chain;

  g_assert (G_IS_TLS_CERTIFICATE (peer_chain));
  g_assert (crts != NULL);
  g_assert (leaf_der != NULL && *leaf_der == NULL);

  while (cert != NULL && crts->len < MAX_CHAIN_LENGTH)
    {
      g_autoptr(GByteArray) der = NULL;
      gnutls_x509_crt_t crt = NULL;
      gnutls_datum_t datum;
      int ret;

      g_object_get (cert, "certificate", &der, NULL);
      if (der == NULL || der->len == 0)
        {
          g_set_error_literal (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                               _("The certificate has no DER data"));
          return FALSE;
        }

      if ((ret = gnutls_x509_crt_init (&crt)) < 0)
        return set_gnutls_error (error, ret, "gnutls_x509_crt_init");

      datum.data = der->data;
      datum.size = der->len;
      if ((ret = gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER)) < 0)
        {
          gnutls_x509_crt_deinit (crt);
          return set_gnutls_error (error, ret, "Cannot parse the certificate");
        }

      g_ptr_array_add (crts, crt);

      if (*leaf_der == NULL)
        *leaf_der = g_steal_pointer (&der);

      cert = g_tls_certificate_get_issuer (cert);
    }

  return TRUE;
}

/* The CA file's certificates, added to @list. */
static gboolean
add_ca_file (gnutls_x509_trust_list_t   list,
             const char                *ca_file,
             GError                   **error)
{
  g_autofree char *contents = NULL;
  gnutls_datum_t datum;
  gsize len = 0;
  int ret;

  /* Read the file ourselves so that a missing file gets a precise GIO error. */
  if (!g_file_get_contents (ca_file, &contents, &len, error))
    return FALSE;

  datum.data = (unsigned char *) contents;
  datum.size = len;
  ret = gnutls_x509_trust_list_add_trust_mem (list, &datum, NULL, GNUTLS_X509_FMT_PEM, 0, 0);
  if (ret <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” contains no PEM certificate"), ca_file);
      return FALSE;
    }

  return TRUE;
}

static gboolean
load_trust (gnutls_x509_trust_list_t   list,
            const char                *ca_file,
            GError                   **error)
{
  int ret;

  ret = gnutls_x509_trust_list_add_system_trust (list, 0, 0);
  if (ret < 0)
    g_debug ("Could not load the system trust store: %s", gnutls_strerror (ret));

  return ca_file == NULL || add_ca_file (list, ca_file, error);
}

/**
 * od_tls_ca_file_check:
 * @ca_file: a file of extra trusted authorities, as given by the user
 *
 * Checks, before anything connects, that @ca_file can be read and holds at least one PEM
 * certificate: a file that cannot be used would otherwise leave the certificate details
 * unknown.
 *
 * Returns: %TRUE, or %FALSE with @error saying what is wrong with the file
 */
gboolean
od_tls_ca_file_check (const char  *ca_file,
                      GError     **error)
{
  gnutls_x509_trust_list_t list;
  gboolean ok;
  int ret;

  g_return_val_if_fail (ca_file != NULL, FALSE);

  ret = gnutls_x509_trust_list_init (&list, 0);
  if (ret < 0)
    {
      set_gnutls_error (error, ret, "trust list");
      return FALSE;
    }

  ok = add_ca_file (list, ca_file, error);
  gnutls_x509_trust_list_deinit (list, 1);

  return ok;
}

/**
 * od_tls_certificate_fingerprint:
 * @certificate: a certificate, as GIO gives it
 *
 * The SHA-256 fingerprint of @certificate itself, read from its DER encoding, whatever
 * else could be learnt about it: pins are compared with this.
 *
 * Returns: (transfer full) (nullable): the fingerprint as od_tls_info_get_fingerprint()
 *   shows it, or %NULL when it cannot be computed
 */
char *
od_tls_certificate_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GError) error = NULL;
  char *fingerprint;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL || der->len == 0)
    return NULL;

  fingerprint = compute_fingerprint (der, &error);
  if (fingerprint == NULL)
    g_debug ("No fingerprint: %s", error->message);

  return fingerprint;
}

static GTlsCertificateFlags
flags_from_status (unsigned int status)
{
  const unsigned int unknown_ca = GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_SIGNER_NOT_CA;
  const unsigned int known = GNUTLS_CERT_INVALID | unknown_ca | GNUTLS_CERT_EXPIRED |
                             GNUTLS_CERT_NOT_ACTIVATED | GNUTLS_CERT_UNEXPECTED_OWNER |
                             GNUTLS_CERT_REVOKED | GNUTLS_CERT_INSECURE_ALGORITHM;
  GTlsCertificateFlags flags = 0;

  if (status & unknown_ca)
    flags |= G_TLS_CERTIFICATE_UNKNOWN_CA;
  if (status & GNUTLS_CERT_EXPIRED)
    flags |= G_TLS_CERTIFICATE_EXPIRED;
  if (status & GNUTLS_CERT_NOT_ACTIVATED)
    flags |= G_TLS_CERTIFICATE_NOT_ACTIVATED;
  if (status & GNUTLS_CERT_UNEXPECTED_OWNER)
    flags |= G_TLS_CERTIFICATE_BAD_IDENTITY;
  if (status & GNUTLS_CERT_REVOKED)
    flags |= G_TLS_CERTIFICATE_REVOKED;
  if (status & GNUTLS_CERT_INSECURE_ALGORITHM)
    flags |= G_TLS_CERTIFICATE_INSECURE;
  if (status & ~known)
    flags |= G_TLS_CERTIFICATE_GENERIC_ERROR;

  /* GnuTLS sets INVALID with every reason; alone it means no path to a trusted signer. */
  if ((status & GNUTLS_CERT_INVALID) && flags == 0)
    flags |= G_TLS_CERTIFICATE_UNKNOWN_CA;

  return flags;
}

/* Strips the brackets of "[::1]" and a trailing root dot, which certificates never carry. */
static char *
normalize_hostname (const char *hostname)
{
  gsize len;

  if (hostname == NULL || hostname[0] == '\0')
    return NULL;

  len = strlen (hostname);

  if (hostname[0] == '[' && len > 2 && hostname[len - 1] == ']')
    return g_strndup (hostname + 1, len - 2);

  if (len > 1 && hostname[len - 1] == '.')
    return g_strndup (hostname, len - 1);

  return g_strdup (hostname);
}

static GTlsCertificateFlags
verify_chain (GPtrArray                 *crts,
              gnutls_x509_trust_list_t   list,
              const char                *hostname)
{
  g_autoptr(GInetAddress) address = NULL;
  gnutls_x509_crt_t leaf;
  gnutls_typed_vdata_st vdata[2];
  GTlsCertificateFlags flags;
  unsigned int status = 0;
  guint n_vdata = 0;
  time_t now;
  time_t t;
  int ret;

  g_assert (crts != NULL && crts->len > 0);

  leaf = g_ptr_array_index (crts, 0);

  if (hostname != NULL)
    address = g_inet_address_new_from_string (hostname);

  if (address != NULL)
    {
      vdata[n_vdata].type = GNUTLS_DT_IP_ADDRESS;
      vdata[n_vdata].data = (unsigned char *) g_inet_address_to_bytes (address);
      vdata[n_vdata].size = g_inet_address_get_native_size (address);
      n_vdata++;
    }
  else if (hostname != NULL)
    {
      vdata[n_vdata].type = GNUTLS_DT_DNS_HOSTNAME;
      vdata[n_vdata].data = (unsigned char *) hostname;
      vdata[n_vdata].size = 0;
      n_vdata++;
    }

  vdata[n_vdata].type = GNUTLS_DT_KEY_PURPOSE_OID;
  vdata[n_vdata].data = (unsigned char *) GNUTLS_KP_TLS_WWW_SERVER;
  vdata[n_vdata].size = 0;
  n_vdata++;

  ret = gnutls_x509_trust_list_verify_crt2 (list,
                                            (gnutls_x509_crt_t *) crts->pdata, crts->len,
                                            vdata, n_vdata,
                                            0, &status, NULL);
  if (ret < 0)
    {
      g_debug ("Verification failed to run: %s", gnutls_strerror (ret));
      return G_TLS_CERTIFICATE_GENERIC_ERROR;
    }

  flags = flags_from_status (status);

  /* GnuTLS gives up at the first missing signer, before dates and names: check the leaf. */
  now = (time_t) (g_get_real_time () / G_USEC_PER_SEC);

  t = gnutls_x509_crt_get_activation_time (leaf);
  if (t != (time_t) -1 && t > now)
    flags |= G_TLS_CERTIFICATE_NOT_ACTIVATED;

  t = gnutls_x509_crt_get_expiration_time (leaf);
  if (t != (time_t) -1 && t < now)
    flags |= G_TLS_CERTIFICATE_EXPIRED;

  if (address != NULL)
    {
      if (!gnutls_x509_crt_check_ip (leaf,
                                     g_inet_address_to_bytes (address),
                                     g_inet_address_get_native_size (address),
                                     0))
        flags |= G_TLS_CERTIFICATE_BAD_IDENTITY;
    }
  else if (hostname != NULL)
    {
      if (!gnutls_x509_crt_check_hostname2 (leaf, hostname, 0))
        flags |= G_TLS_CERTIFICATE_BAD_IDENTITY;
    }

  return flags;
}

static gboolean
od_tls_info_load (OdTlsInfo        *self,
                  GTlsCertificate  *peer_chain,
                  const char       *ca_file,
                  GError          **error)
{
  g_auto(gnutls_x509_trust_list_t) list = NULL;
  g_autoptr(GPtrArray) crts = NULL;
  g_autoptr(GByteArray) leaf_der = NULL;
  gnutls_x509_crt_t leaf;
  gnutls_datum_t dn = { NULL, 0 };
  int ret;

  g_assert (OD_IS_TLS_INFO (self));

  crts = g_ptr_array_new_with_free_func ((GDestroyNotify) gnutls_x509_crt_deinit);
  if (!import_chain (peer_chain, crts, &leaf_der, error))
    return FALSE;

  leaf = g_ptr_array_index (crts, 0);

  if ((ret = gnutls_x509_crt_get_dn3 (leaf, &dn, 0)) < 0)
    return set_gnutls_error (error, ret, "Cannot read the subject");
  self->subject = dup_datum_string (&dn);
  gnutls_free (dn.data);
  dn.data = NULL;

  if ((ret = gnutls_x509_crt_get_issuer_dn3 (leaf, &dn, 0)) < 0)
    return set_gnutls_error (error, ret, "Cannot read the issuer");
  self->issuer = dup_datum_string (&dn);
  gnutls_free (dn.data);
  dn.data = NULL;

  self->names = collect_names (leaf);
  self->not_before = date_time_from_time_t (gnutls_x509_crt_get_activation_time (leaf));
  self->not_after = date_time_from_time_t (gnutls_x509_crt_get_expiration_time (leaf));

  if (!(self->fingerprint = compute_fingerprint (leaf_der, error)))
    return FALSE;

  if ((ret = gnutls_x509_trust_list_init (&list, 0)) < 0)
    return set_gnutls_error (error, ret, "gnutls_x509_trust_list_init");

  if (!load_trust (list, ca_file, error))
    return FALSE;

  self->errors = verify_chain (crts, list, self->hostname);

  return TRUE;
}

static char *
format_date (GDateTime *date)
{
  if (date == NULL)
    return g_strdup ("?");

  return od_format_date_time (date);
}

static void
od_tls_info_finalize (GObject *object)
{
  OdTlsInfo *self = (OdTlsInfo *)object;

  g_clear_pointer (&self->hostname, g_free);
  g_clear_pointer (&self->cipher, g_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->names, g_strfreev);
  g_clear_pointer (&self->not_before, g_date_time_unref);
  g_clear_pointer (&self->not_after, g_date_time_unref);
  g_clear_pointer (&self->fingerprint, g_free);

  G_OBJECT_CLASS (od_tls_info_parent_class)->finalize (object);
}

static void
od_tls_info_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  OdTlsInfo *self = OD_TLS_INFO (object);

  switch (prop_id)
    {
    case PROP_HOSTNAME:
      g_value_set_string (value, self->hostname);
      break;

    case PROP_PROTOCOL:
      g_value_set_enum (value, self->protocol);
      break;

    case PROP_CIPHER:
      g_value_set_string (value, self->cipher);
      break;

    case PROP_SUBJECT:
      g_value_set_string (value, self->subject);
      break;

    case PROP_ISSUER:
      g_value_set_string (value, self->issuer);
      break;

    case PROP_NAMES:
      g_value_set_boxed (value, self->names);
      break;

    case PROP_NOT_BEFORE:
      g_value_set_boxed (value, self->not_before);
      break;

    case PROP_NOT_AFTER:
      g_value_set_boxed (value, self->not_after);
      break;

    case PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      break;

    case PROP_ERRORS:
      g_value_set_flags (value, self->errors);
      break;

    case PROP_VERIFIED:
      g_value_set_boolean (value, self->errors == 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
od_tls_info_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  OdTlsInfo *self = OD_TLS_INFO (object);

  switch (prop_id)
    {
    case PROP_PROTOCOL:
      od_tls_info_set_protocol (self, g_value_get_enum (value));
      break;

    case PROP_CIPHER:
      od_tls_info_set_cipher (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
od_tls_info_class_init (OdTlsInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = od_tls_info_finalize;
  object_class->get_property = od_tls_info_get_property;
  object_class->set_property = od_tls_info_set_property;

  properties[PROP_HOSTNAME] =
    g_param_spec_string ("hostname", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROTOCOL] =
    g_param_spec_enum ("protocol", NULL, NULL,
                       G_TYPE_TLS_PROTOCOL_VERSION, G_TLS_PROTOCOL_VERSION_UNKNOWN,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CIPHER] =
    g_param_spec_string ("cipher", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SUBJECT] =
    g_param_spec_string ("subject", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ISSUER] =
    g_param_spec_string ("issuer", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAMES] =
    g_param_spec_boxed ("names", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOT_BEFORE] =
    g_param_spec_boxed ("not-before", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOT_AFTER] =
    g_param_spec_boxed ("not-after", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERRORS] =
    g_param_spec_flags ("errors", NULL, NULL, G_TYPE_TLS_CERTIFICATE_FLAGS, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VERIFIED] =
    g_param_spec_boolean ("verified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
od_tls_info_init (OdTlsInfo *self)
{
  self->protocol = G_TLS_PROTOCOL_VERSION_UNKNOWN;
}

/**
 * od_tls_info_new:
 * @peer_chain: the certificate the server presented, with its issuers linked
 * @hostname: (nullable): the name or IP address we connected to; %NULL skips the name check
 * @ca_file: (nullable): a PEM file of extra trusted authorities, added to the system's
 * @error: return location for a #GError
 *
 * Reads the certificate chain and verifies it against the system's trusted authorities
 * (plus those of @ca_file) and @hostname, independently of how the connection was set up.
 *
 * A failed verification is not an error: see od_tls_info_get_errors(). Errors are only
 * for certificates that cannot be parsed and an unreadable @ca_file.
 *
 * Returns: (transfer full): a new #OdTlsInfo, or %NULL with @error set
 */
OdTlsInfo *
od_tls_info_new (GTlsCertificate  *peer_chain,
                 const char       *hostname,
                 const char       *ca_file,
                 GError          **error)
{
  g_autoptr(OdTlsInfo) self = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (peer_chain), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (OD_TYPE_TLS_INFO, NULL);
  self->hostname = normalize_hostname (hostname);

  if (!od_tls_info_load (self, peer_chain, ca_file, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * od_tls_info_get_hostname:
 *
 * Returns: (nullable): the host name or IP address the certificate was checked against,
 *   without brackets or a trailing dot
 */
const char *
od_tls_info_get_hostname (OdTlsInfo *self)
{
  g_return_val_if_fail (OD_IS_TLS_INFO (self), NULL);
  return self->hostname;
}

/**
 * od_tls_info_set_protocol:
 *
 * Records the negotiated protocol, as g_tls_connection_get_protocol_version() tells it.
 */
void
od_tls_info_set_protocol (OdTlsInfo           *self,
                          GTlsProtocolVersion  version)
{
  g_return_if_fail (OD_IS_TLS_INFO (self));

  if (self->protocol == version)
    return;

  self->protocol = version;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROTOCOL]);
}

GTlsProtocolVersion
od_tls_info_get_protocol (OdTlsInfo *self)
{
  g_return_val_if_fail (OD_IS_TLS_INFO (self), G_TLS_PROTOCOL_VERSION_UNKNOWN);
  return self->protocol;
}

/**
 * od_tls_info_get_protocol_name:
 *
 * Returns: the protocol's usual name, such as "TLS 1.3", or "unknown"; not translated
 */
const char *
od_tls_info_get_protocol_name (OdTlsInfo *self)
{
  g_return_val_if_fail (OD_IS_TLS_INFO (self), NULL);

  switch (self->protocol)
    {
    case G_TLS_PROTOCOL_VERSION_SSL_3_0:
      return "SSL 3.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_0:
      return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1:
      return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2:
      return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3:
      return "TLS 1.3";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0:
      return "DTLS 1.0";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2:
      return "DTLS 1.2";
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    default:
      return "unknown";
    }
}

/**
 * od_tls_info_set_cipher:
 * @cipher: (nullable): the cipher suite name, as g_tls_connection_get_ciphersuite_name()
 *   tells it
 */
void
od_tls_info_set_cipher (OdTlsInfo  *self,
                        const char *cipher)
{
  g_return_if_fail (OD_IS_TLS_INFO (self));

  if (g_strcmp0 (self->cipher, cipher) == 0)
    return;

  g_free (self->cipher);
  self->cipher = cipher != NULL ? od_text_sanitize (cipher, -1, OD_TEXT_SINGLE_LINE) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CIPHER]);
}

/**
 * od_tls_info_get_cipher:
 *
 * Returns: (nullable): the cipher suite name, if it was set
 */
const char *
od_tls_info_get_cipher (OdTlsInfo *self)
{
  g_return_val_if_fail (OD_IS_TLS_INFO (self), NULL);
  return self->cipher;
}

/**
 * od_tls_info_get_subject:
 *
 * Returns: the leaf certificate's subject as an RFC 4514 string, e.g. "CN=mail.example.org";
 *   valid UTF-8, control characters replaced by "?"
 */
const char *
od_tls_info_get_subject (OdTlsInfo *self)
{
  g_return_val_if_fail (OD_IS_TLS_INFO (self), NULL);
  return self->subject;
}

/**
 * od_tls_info_get_issuer:
 *
 * Returns: the leaf certificate's issuer as an RFC 4514 string, sanitized like the subject
 */
const char *
od_tls_info_get_issuer (OdTlsInfo *self)
{
  g_return_val_if_fail (OD_IS_TLS_INFO (self), NULL);
  return self->issuer;
}

/**
 * od_tls_info_get_names:
 *
 * The names the certificate is valid for: its subjectAltName DNS names and IP addresses,
 * or its common name when it has neither. Control characters are replaced by "?".
 *
 * Returns: (transfer none): a %NULL-terminated array, possibly empty
 */
const char * const *
od_tls_info_get_names (OdTlsInfo *self)
{
  g_return_val_if_fail (OD_IS_TLS_INFO (self), NULL);
  return (const char * const *) self->names;
}

/**
 * od_tls_info_get_not_before:
 *
 * Returns: (transfer none) (nullable): the start of the leaf's validity, in UTC
 */
GDateTime *
od_tls_info_get_not_before (OdTlsInfo *self)
{
  g_return_val_if_fail (OD_IS_TLS_INFO (self), NULL);
  return self->not_before;
}

/**
 * od_tls_info_get_not_after:
 *
 * Returns: (transfer none) (nullable): the end of the leaf's validity, in UTC
 */
GDateTime *
od_tls_info_get_not_after (OdTlsInfo *self)
{
  g_return_val_if_fail (OD_IS_TLS_INFO (self), NULL);
  return self->not_after;
}

/**
 * od_tls_info_get_fingerprint:
 *
 * Returns: the SHA-256 fingerprint of the leaf certificate, as "AB:CD:…"
 */
const char *
od_tls_info_get_fingerprint (OdTlsInfo *self)
{
  g_return_val_if_fail (OD_IS_TLS_INFO (self), NULL);
  return self->fingerprint;
}

/**
 * od_tls_info_get_errors:
 *
 * Returns: every check the certificate failed; 0 when it is trusted and valid for the host
 */
GTlsCertificateFlags
od_tls_info_get_errors (OdTlsInfo *self)
{
  g_return_val_if_fail (OD_IS_TLS_INFO (self), G_TLS_CERTIFICATE_GENERIC_ERROR);
  return self->errors;
}

/**
 * od_tls_info_get_verified:
 *
 * Returns: %TRUE if the certificate passed every check
 */
gboolean
od_tls_info_get_verified (OdTlsInfo *self)
{
  g_return_val_if_fail (OD_IS_TLS_INFO (self), FALSE);
  return self->errors == 0;
}

/**
 * od_tls_info_error_to_id:
 * @flag: a single #GTlsCertificateFlags bit
 *
 * Returns: (nullable): the short id used in JSON, such as "unknown-ca", or %NULL for a flag
 *   this module does not report
 */
const char *
od_tls_info_error_to_id (GTlsCertificateFlags flag)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_ids); i++)
    {
      if (error_ids[i].flag == flag)
        return error_ids[i].id;
    }

  return NULL;
}

/**
 * od_tls_info_describe_errors:
 *
 * Explains each failed check in a translated, plain-language sentence, most important first.
 *
 * Returns: (transfer full): a %NULL-terminated array, empty when the certificate is fine
 */
char **
od_tls_info_describe_errors (OdTlsInfo *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (OD_IS_TLS_INFO (self), NULL);

  builder = g_strv_builder_new ();
  now = g_date_time_new_now_utc ();

  if (self->errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_strv_builder_add (builder,
                        _("The certificate was issued by an authority this computer does not "
                          "trust (it may be self-signed)."));

  if (self->errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    {
      const char *host = self->hostname ? self->hostname : "?";

      if (self->names != NULL && self->names[0] != NULL)
        {
          g_autofree char *names = g_strjoinv (", ", self->names);

          /* Translators: the first %s is a list of server names, the second the name the
           * user entered: "The certificate is for mail.example.org, not for example.org." */
          strv_builder_take (builder,
                             g_strdup_printf (_("The certificate is for %s, not for %s."),
                                              names, host));
        }
      else
        {
          strv_builder_take (builder,
                             g_strdup_printf (_("The certificate does not name any server, "
                                                "so it is not valid for %s."),
                                              host));
        }
    }

  if (self->errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    {
      if (self->not_before != NULL && g_date_time_compare (self->not_before, now) > 0)
        {
          g_autofree char *date = format_date (self->not_before);

          /* Translators: %s is a date and time */
          strv_builder_take (builder,
                             g_strdup_printf (_("The certificate is not valid until %s."),
                                              date));
        }
      else
        {
          /* The leaf is fine: an authority's certificate further up is what is early. */
          g_strv_builder_add (builder,
                              _("A certificate of the issuing authority is not valid yet."));
        }
    }

  if (self->errors & G_TLS_CERTIFICATE_EXPIRED)
    {
      if (self->not_after != NULL && g_date_time_compare (self->not_after, now) < 0)
        {
          g_autofree char *date = format_date (self->not_after);

          /* Translators: %s is a date and time */
          strv_builder_take (builder,
                             g_strdup_printf (_("The certificate expired on %s."), date));
        }
      else
        {
          g_strv_builder_add (builder,
                              _("A certificate of the issuing authority has expired."));
        }
    }

  if (self->errors & G_TLS_CERTIFICATE_REVOKED)
    g_strv_builder_add (builder,
                        _("The certificate has been revoked by the authority that issued it."));

  if (self->errors & G_TLS_CERTIFICATE_INSECURE)
    g_strv_builder_add (builder,
                        _("The certificate uses an algorithm that is no longer considered "
                          "secure."));

  if (self->errors & G_TLS_CERTIFICATE_GENERIC_ERROR)
    g_strv_builder_add (builder, _("The certificate could not be verified."));

  return g_strv_builder_end (builder);
}

static void
add_date_member (JsonBuilder *builder,
                 const char  *name,
                 GDateTime   *date)
{
  json_builder_set_member_name (builder, name);

  if (date != NULL)
    {
      g_autofree char *str = g_date_time_format_iso8601 (date);
      json_builder_add_string_value (builder, str);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
}

/**
 * od_tls_info_to_json:
 *
 * Describes the session and certificate for machine consumers: protocol, cipher, subject,
 * issuer, names, not_before, not_after (ISO 8601, UTC), sha256, verified and errors (short
 * ids such as "unknown-ca").
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
od_tls_info_to_json (OdTlsInfo *self)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (OD_IS_TLS_INFO (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "protocol");
  json_builder_add_string_value (builder, od_tls_info_get_protocol_name (self));

  json_builder_set_member_name (builder, "cipher");
  if (self->cipher != NULL)
    json_builder_add_string_value (builder, self->cipher);
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, self->subject);

  json_builder_set_member_name (builder, "issuer");
  json_builder_add_string_value (builder, self->issuer);

  json_builder_set_member_name (builder, "names");
  json_builder_begin_array (builder);
  for (guint i = 0; self->names != NULL && self->names[i] != NULL; i++)
    json_builder_add_string_value (builder, self->names[i]);
  json_builder_end_array (builder);

  add_date_member (builder, "not_before", self->not_before);
  add_date_member (builder, "not_after", self->not_after);

  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, self->fingerprint);

  json_builder_set_member_name (builder, "verified");
  json_builder_add_boolean_value (builder, self->errors == 0);

  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (error_ids); i++)
    {
      if (self->errors & error_ids[i].flag)
        json_builder_add_string_value (builder, error_ids[i].id);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
