/* od-test-certs.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-test-certs"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "od-test-certs.h"

/* Certificates are made when the tests run, with the GnuTLS API, so none can expire in the
 * repository and no test depends on openssl or certtool being installed. This file is the
 * only place that makes them: the unit tests use od_test_certs_new() and the shell-based
 * interoperability tests run make-test-certs, which calls od_test_certs_write_to(). */
struct _OdTestCerts
{
  char *dir;
  char *ca_file;
};

#define HOUR ((gint64) 60 * 60)
#define DAY  (24 * HOUR)

#define ORGANIZATION "Outbox Doctor Test"
#define CA_COMMON_NAME "Outbox Doctor Test CA"

/* Terminal escapes a hostile server can put in its certificate: an OSC title change ended by
 * BEL, an SGR colour, a C1 CSI (U+009B, two bytes in UTF-8) and DEL. */
#define HOSTILE_ORGANIZATION "Evil \033]0;pwned\007\033[31m Corp \302\233" "2J\177"
#define HOSTILE_COMMON_NAME  "localhost \302\233" "31m\033[5m"
#define HOSTILE_DNS_NAME     "evil\033[2J.example.org"

typedef struct
{
  const char *kind;
  const char *common_name;
  const char *dns_names[3];
  const char *ip_addresses[3];
  /* Validity, in seconds relative to now */
  gint64      not_before;
  gint64      not_after;
  gboolean    self_signed;
  const char *organization;  /* NULL: ORGANIZATION */
  gboolean    raw_san;       /* encode the names as they are (GnuTLS would clean DNS names) */
} CertSpec;

static const CertSpec cert_specs[] = {
  {
    OD_TEST_CERT_GOOD, "localhost",
    { "localhost", NULL }, { "127.0.0.1", "::1", NULL },
    -HOUR, 365 * DAY, FALSE,
  },
  {
    OD_TEST_CERT_EXPIRED, "localhost",
    { "localhost", NULL }, { "127.0.0.1", "::1", NULL },
    -30 * DAY, -DAY, FALSE,
  },
  {
    OD_TEST_CERT_WRONG_NAME, "wrong.example.org",
    { "wrong.example.org", NULL }, { NULL },
    -HOUR, 365 * DAY, FALSE,
  },
  {
    OD_TEST_CERT_SELF_SIGNED, "localhost",
    { "localhost", NULL }, { "127.0.0.1", "::1", NULL },
    -HOUR, 365 * DAY, TRUE,
  },
  {
    OD_TEST_CERT_HOSTILE_NAMES, HOSTILE_COMMON_NAME,
    { "localhost", HOSTILE_DNS_NAME, NULL }, { "127.0.0.1", "::1", NULL },
    -HOUR, 365 * DAY, TRUE, HOSTILE_ORGANIZATION, TRUE,
  },
};

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)

static gboolean
check_gnutls (int          ret,
              const char  *what,
              GError     **error)
{
  if (ret >= 0)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, gnutls_strerror (ret));
  return FALSE;
}

static gboolean
is_known_kind (const char *kind)
{
  if (kind == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (cert_specs); i++)
    {
      if (g_str_equal (cert_specs[i].kind, kind))
        return TRUE;
    }

  return FALSE;
}

static gboolean
generate_key (gnutls_x509_privkey_t  *out_key,
              GError                **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  const unsigned int bits = GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1);

  /* ECDSA P-256: generated in microseconds, unlike RSA, and accepted by Postfix too. */
  if (!check_gnutls (gnutls_x509_privkey_init (&key), "privkey_init", error) ||
      !check_gnutls (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA, bits, 0),
                     "privkey_generate", error))
    return FALSE;

  *out_key = g_steal_pointer (&key);
  return TRUE;
}

static gboolean
set_serial (gnutls_x509_crt_t   crt,
            GError            **error)
{
  guint8 serial[16];

  if (!check_gnutls (gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial), "rnd", error))
    return FALSE;

  /* A positive, non-zero INTEGER of at most 20 bytes, as RFC 5280 wants. */
  serial[0] = (serial[0] & 0x7f) | 0x01;

  return check_gnutls (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "set_serial",
                       error);
}

static gboolean
add_ip_address (gnutls_x509_crt_t   crt,
                const char         *ip,
                GError            **error)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (ip);
  const guint8 *bytes;
  gsize size;

  g_assert (address != NULL);

  bytes = g_inet_address_to_bytes (address);
  size = g_inet_address_get_native_size (address);

  return check_gnutls (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS,
                                                             bytes, size, GNUTLS_FSAN_APPEND),
                       "set_subject_alt_name", error);
}

/* The subjectAltName extension in DER, built by hand so that a DNS name keeps every byte
 * (gnutls_x509_crt_set_subject_alt_name() converts it to IDNA, dropping control characters).
 * Short names only: every length fits in one byte. */
static gboolean
set_raw_san (gnutls_x509_crt_t   crt,
             const CertSpec     *spec,
             GError            **error)
{
  g_autoptr(GByteArray) names = g_byte_array_new ();
  g_autoptr(GByteArray) der = g_byte_array_new ();
  guint8 header[2];

  for (guint i = 0; spec->dns_names[i] != NULL; i++)
    {
      gsize len = strlen (spec->dns_names[i]);

      g_assert (len < 128);
      header[0] = 0x82;  /* [2] dNSName, IA5String */
      header[1] = len;
      g_byte_array_append (names, header, 2);
      g_byte_array_append (names, (const guint8 *) spec->dns_names[i], len);
    }

  for (guint i = 0; spec->ip_addresses[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (spec->ip_addresses[i]);

      header[0] = 0x87;  /* [7] iPAddress */
      header[1] = g_inet_address_get_native_size (address);
      g_byte_array_append (names, header, 2);
      g_byte_array_append (names, g_inet_address_to_bytes (address), header[1]);
    }

  g_assert (names->len < 128);
  header[0] = 0x30;  /* SEQUENCE OF GeneralName */
  header[1] = names->len;
  g_byte_array_append (der, header, 2);
  g_byte_array_append (der, names->data, names->len);

  return check_gnutls (gnutls_x509_crt_set_extension_by_oid (crt, "2.5.29.17", der->data,
                                                             der->len, 0),
                       "set_extension_by_oid", error);
}

/* Makes a certificate for @key. With @issuer NULL it is self-signed; @spec NULL makes the CA. */
static gboolean
make_cert (const CertSpec         *spec,
           gnutls_x509_privkey_t   key,
           gnutls_x509_crt_t       issuer,
           gnutls_x509_privkey_t   issuer_key,
           gnutls_x509_crt_t      *out_crt,
           GError                **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  const char *common_name = spec ? spec->common_name : CA_COMMON_NAME;
  const char *organization = spec && spec->organization ? spec->organization : ORGANIZATION;
  gboolean is_ca = spec == NULL;
  time_t now = time (NULL);
  guint8 key_id[64];
  size_t key_id_size = sizeof key_id;

  g_assert (key != NULL);
  g_assert ((issuer == NULL) == (issuer_key == NULL));

  if (!check_gnutls (gnutls_x509_crt_init (&crt), "crt_init", error) ||
      !check_gnutls (gnutls_x509_crt_set_version (crt, 3), "set_version", error) ||
      !set_serial (crt, error) ||
      !check_gnutls (gnutls_x509_crt_set_key (crt, key), "set_key", error) ||
      !check_gnutls (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
                                                    organization, strlen (organization)),
                     "set_dn_by_oid", error) ||
      !check_gnutls (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                                    common_name, strlen (common_name)),
                     "set_dn_by_oid", error))
    return FALSE;

  if (is_ca)
    {
      if (!check_gnutls (gnutls_x509_crt_set_activation_time (crt, now - DAY),
                         "set_activation_time", error) ||
          !check_gnutls (gnutls_x509_crt_set_expiration_time (crt, now + 5 * 365 * DAY),
                         "set_expiration_time", error) ||
          !check_gnutls (gnutls_x509_crt_set_basic_constraints (crt, 1, -1),
                         "set_basic_constraints", error) ||
          !check_gnutls (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_KEY_CERT_SIGN |
                                                             GNUTLS_KEY_CRL_SIGN |
                                                             GNUTLS_KEY_DIGITAL_SIGNATURE),
                         "set_key_usage", error))
        return FALSE;
    }
  else
    {
      if (!check_gnutls (gnutls_x509_crt_set_activation_time (crt, now + spec->not_before),
                         "set_activation_time", error) ||
          !check_gnutls (gnutls_x509_crt_set_expiration_time (crt, now + spec->not_after),
                         "set_expiration_time", error) ||
          !check_gnutls (gnutls_x509_crt_set_basic_constraints (crt, 0, -1),
                         "set_basic_constraints", error) ||
          !check_gnutls (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE),
                         "set_key_usage", error) ||
          !check_gnutls (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0),
                         "set_key_purpose_oid", error))
        return FALSE;

      if (spec->raw_san && !set_raw_san (crt, spec, error))
        return FALSE;

      for (guint i = 0; !spec->raw_san && spec->dns_names[i] != NULL; i++)
        {
          if (!check_gnutls (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME,
                                                                   spec->dns_names[i],
                                                                   strlen (spec->dns_names[i]),
                                                                   GNUTLS_FSAN_APPEND),
                             "set_subject_alt_name", error))
            return FALSE;
        }

      for (guint i = 0; !spec->raw_san && spec->ip_addresses[i] != NULL; i++)
        {
          if (!add_ip_address (crt, spec->ip_addresses[i], error))
            return FALSE;
        }
    }

  if (!check_gnutls (gnutls_x509_privkey_get_key_id (key, 0, key_id, &key_id_size),
                     "get_key_id", error) ||
      !check_gnutls (gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size),
                     "set_subject_key_id", error))
    return FALSE;

  if (issuer != NULL)
    {
      key_id_size = sizeof key_id;
      if (!check_gnutls (gnutls_x509_crt_get_subject_key_id (issuer, key_id, &key_id_size, NULL),
                         "get_subject_key_id", error) ||
          !check_gnutls (gnutls_x509_crt_set_authority_key_id (crt, key_id, key_id_size),
                         "set_authority_key_id", error))
        return FALSE;
    }

  if (!check_gnutls (gnutls_x509_crt_sign2 (crt,
                                            issuer ? issuer : crt,
                                            issuer_key ? issuer_key : key,
                                            GNUTLS_DIG_SHA256, 0),
                     "sign", error))
    return FALSE;

  *out_crt = g_steal_pointer (&crt);
  return TRUE;
}

static gboolean
write_datum (const char            *dir,
             const char            *name,
             const gnutls_datum_t  *datum,
             int                    mode,
             GError               **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_set_contents_full (path, (const char *) datum->data, datum->size,
                                   G_FILE_SET_CONTENTS_CONSISTENT, mode, error);
}

static gboolean
write_cert_and_key (const char             *dir,
                    const char             *kind,
                    gnutls_x509_crt_t       crt,
                    gnutls_x509_privkey_t   key,
                    GError                **error)
{
  g_autofree char *cert_name = NULL;
  g_autofree char *key_name = NULL;
  gnutls_datum_t pem = { NULL, 0 };
  gboolean ok;

  cert_name = g_strdup_printf ("%s%s", kind, g_str_equal (kind, "ca") ? ".pem" : "-cert.pem");
  key_name = g_strdup_printf ("%s-key.pem", kind);

  if (!check_gnutls (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &pem), "crt_export",
                     error))
    return FALSE;
  ok = write_datum (dir, cert_name, &pem, 0644, error);
  gnutls_free (pem.data);
  pem.data = NULL;
  if (!ok)
    return FALSE;

  /* PKCS#8 ("BEGIN PRIVATE KEY"): what GIO's PEM parser, GnuTLS and OpenSSL all read. */
  if (!check_gnutls (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                        GNUTLS_PKCS_PLAIN, &pem),
                     "privkey_export", error))
    return FALSE;
  ok = write_datum (dir, key_name, &pem, 0600, error);
  gnutls_free (pem.data);

  return ok;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (!(d = g_dir_open (dir, 0, NULL)))
    return;

  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_remove (path) != 0)
        g_debug ("Could not remove %s: %s", path, g_strerror (errno));
    }

  if (g_rmdir (dir) != 0)
    g_debug ("Could not remove %s: %s", dir, g_strerror (errno));
}

/**
 * od_test_certs_write_to:
 * @dir: a directory, created if needed
 *
 * Writes a new test CA (ca.pem, ca-key.pem) and, for each kind, KIND-cert.pem and
 * KIND-key.pem into @dir. Every run makes new keys.
 */
gboolean
od_test_certs_write_to (const char  *dir,
                        GError     **error)
{
  g_auto(gnutls_x509_privkey_t) ca_key = NULL;
  g_auto(gnutls_x509_crt_t) ca_crt = NULL;

  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "Cannot create %s: %s", dir, g_strerror (errsv));
      return FALSE;
    }

  if (!generate_key (&ca_key, error) ||
      !make_cert (NULL, ca_key, NULL, NULL, &ca_crt, error) ||
      !write_cert_and_key (dir, "ca", ca_crt, ca_key, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (cert_specs); i++)
    {
      const CertSpec *spec = &cert_specs[i];
      g_auto(gnutls_x509_privkey_t) key = NULL;
      g_auto(gnutls_x509_crt_t) crt = NULL;

      if (!generate_key (&key, error) ||
          !make_cert (spec, key,
                      spec->self_signed ? NULL : ca_crt,
                      spec->self_signed ? NULL : ca_key,
                      &crt, error) ||
          !write_cert_and_key (dir, spec->kind, crt, key, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * od_test_certs_new:
 *
 * Makes a fresh set of test certificates in a new temporary directory, which
 * od_test_certs_free() deletes.
 *
 * Returns: (transfer full): the certificates, or %NULL with @error set
 */
OdTestCerts *
od_test_certs_new (GError **error)
{
  g_autofree char *dir = NULL;
  OdTestCerts *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(dir = g_dir_make_tmp ("od-test-certs-XXXXXX", error)))
    return NULL;

  if (!od_test_certs_write_to (dir, error))
    {
      remove_dir (dir);
      return NULL;
    }

  self = g_new0 (OdTestCerts, 1);
  self->ca_file = g_build_filename (dir, "ca.pem", NULL);
  self->dir = g_steal_pointer (&dir);

  return self;
}

const char *
od_test_certs_get_dir (OdTestCerts *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->dir;
}

/**
 * od_test_certs_get_ca_file:
 *
 * Returns: the PEM file of the CA that signed every kind but "self-signed"
 */
const char *
od_test_certs_get_ca_file (OdTestCerts *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->ca_file;
}

/**
 * od_test_certs_get_cert_file:
 * @kind: one of the OD_TEST_CERT_* kinds
 *
 * Returns: (transfer full): the path of the PEM certificate of @kind
 */
char *
od_test_certs_get_cert_file (OdTestCerts *self,
                             const char  *kind)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (is_known_kind (kind), NULL);

  name = g_strdup_printf ("%s-cert.pem", kind);
  return g_build_filename (self->dir, name, NULL);
}

/**
 * od_test_certs_get_key_file:
 * @kind: one of the OD_TEST_CERT_* kinds
 *
 * Returns: (transfer full): the path of the unencrypted PEM private key of @kind
 */
char *
od_test_certs_get_key_file (OdTestCerts *self,
                            const char  *kind)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (is_known_kind (kind), NULL);

  name = g_strdup_printf ("%s-key.pem", kind);
  return g_build_filename (self->dir, name, NULL);
}

/**
 * od_test_certs_load:
 * @kind: one of the OD_TEST_CERT_* kinds
 *
 * Returns: (transfer full): the certificate of @kind with its private key, ready for a
 *   test server, or %NULL with @error set
 */
GTlsCertificate *
od_test_certs_load (OdTestCerts  *self,
                    const char   *kind,
                    GError      **error)
{
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (is_known_kind (kind), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cert_file = od_test_certs_get_cert_file (self, kind);
  key_file = od_test_certs_get_key_file (self, kind);

  return g_tls_certificate_new_from_files (cert_file, key_file, error);
}

/**
 * od_test_certs_free:
 *
 * Deletes the directory and its files, and frees @self.
 */
void
od_test_certs_free (OdTestCerts *self)
{
  if (self == NULL)
    return;

  remove_dir (self->dir);
  g_free (self->ca_file);
  g_free (self->dir);
  g_free (self);
}
