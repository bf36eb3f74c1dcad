/* od-e2e-make-certs.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-e2e-make-certs"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gio/gio.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "od-test-certs.h"

/* od-e2e-make-certs DIR NAME...
 *
 * Writes the test CA and the standard test certificates of od-test-certs.c into DIR, and
 * two more server certificates for the host names the end-to-end tests serve (the
 * discovery probes real names such as smtp.example.test, so "localhost" will not do):
 *
 *   e2e-cert.pem, e2e-key.pem                 signed by the test CA (ca.pem)
 *   e2e-self-signed-cert.pem, e2e-self-...    self-signed, same names
 *
 * Both carry every NAME as a DNS subjectAltName. Made with GnuTLS, like the rest of the
 * test certificates, so no test needs openssl or certtool. */

#define HOUR ((time_t) 60 * 60)
#define DAY  (24 * HOUR)

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
load_ca (const char             *dir,
         gnutls_x509_crt_t      *out_crt,
         gnutls_x509_privkey_t  *out_key,
         GError                **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_autofree char *crt_path = g_build_filename (dir, "ca.pem", NULL);
  g_autofree char *key_path = g_build_filename (dir, "ca-key.pem", NULL);
  g_autofree char *crt_pem = NULL;
  g_autofree char *key_pem = NULL;
  gsize crt_len;
  gsize key_len;
  gnutls_datum_t datum;

  if (!g_file_get_contents (crt_path, &crt_pem, &crt_len, error) ||
      !g_file_get_contents (key_path, &key_pem, &key_len, error))
    return FALSE;

  datum.data = (unsigned char *) crt_pem;
  datum.size = crt_len;
  if (!check_gnutls (gnutls_x509_crt_init (&crt), "crt_init", error) ||
      !check_gnutls (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM), "crt_import",
                     error))
    return FALSE;

  datum.data = (unsigned char *) key_pem;
  datum.size = key_len;
  if (!check_gnutls (gnutls_x509_privkey_init (&key), "privkey_init", error) ||
      !check_gnutls (gnutls_x509_privkey_import2 (key, &datum, GNUTLS_X509_FMT_PEM, NULL,
                                                  GNUTLS_PKCS_PLAIN),
                     "privkey_import", error))
    return FALSE;

  *out_crt = g_steal_pointer (&crt);
  *out_key = g_steal_pointer (&key);
  return TRUE;
}

static gboolean
write_pem (const char             *dir,
           const char             *prefix,
           gnutls_x509_crt_t       crt,
           gnutls_x509_privkey_t   key,
           GError                **error)
{
  g_autofree char *cert_path = g_strdup_printf ("%s/%s-cert.pem", dir, prefix);
  g_autofree char *key_path = g_strdup_printf ("%s/%s-key.pem", dir, prefix);
  gnutls_datum_t pem = { NULL, 0 };
  gboolean ok;

  if (!check_gnutls (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &pem), "crt_export",
                     error))
    return FALSE;
  ok = g_file_set_contents_full (cert_path, (const char *) pem.data, pem.size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
  gnutls_free (pem.data);
  pem.data = NULL;
  if (!ok)
    return FALSE;

  if (!check_gnutls (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                        GNUTLS_PKCS_PLAIN, &pem),
                     "privkey_export", error))
    return FALSE;
  /* Readable by Postfix's unprivileged smtpd too: it is a throw-away test key. */
  ok = g_file_set_contents_full (key_path, (const char *) pem.data, pem.size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
  gnutls_free (pem.data);

  return ok;
}

/* A server certificate for @names, signed by @ca_crt/@ca_key, or self-signed when they are
 * NULL. */
static gboolean
make_server_cert (const char * const     *names,
                  gnutls_x509_crt_t       ca_crt,
                  gnutls_x509_privkey_t   ca_key,
                  const char             *dir,
                  const char             *prefix,
                  GError                **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  const unsigned int bits = GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1);
  const char *organization = "Outbox Doctor Test";
  time_t now = time (NULL);
  guint8 serial[16];
  guint8 key_id[64];
  size_t key_id_size = sizeof key_id;

  g_assert (names != NULL && names[0] != NULL);

  if (!check_gnutls (gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial), "rnd", error))
    return FALSE;
  serial[0] = (serial[0] & 0x7f) | 0x01;

  if (!check_gnutls (gnutls_x509_privkey_init (&key), "privkey_init", error) ||
      !check_gnutls (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA, bits, 0),
                     "privkey_generate", error) ||
      !check_gnutls (gnutls_x509_crt_init (&crt), "crt_init", error) ||
      !check_gnutls (gnutls_x509_crt_set_version (crt, 3), "set_version", error) ||
      !check_gnutls (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "set_serial",
                     error) ||
      !check_gnutls (gnutls_x509_crt_set_key (crt, key), "set_key", error) ||
      !check_gnutls (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
                                                    organization, strlen (organization)),
                     "set_dn_by_oid", error) ||
      !check_gnutls (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                                    names[0], strlen (names[0])),
                     "set_dn_by_oid", error) ||
      !check_gnutls (gnutls_x509_crt_set_activation_time (crt, now - HOUR),
                     "set_activation_time", error) ||
      !check_gnutls (gnutls_x509_crt_set_expiration_time (crt, now + 30 * DAY),
                     "set_expiration_time", error) ||
      !check_gnutls (gnutls_x509_crt_set_basic_constraints (crt, 0, -1),
                     "set_basic_constraints", error) ||
      !check_gnutls (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE),
                     "set_key_usage", error) ||
      !check_gnutls (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0),
                     "set_key_purpose_oid", error))
    return FALSE;

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (!check_gnutls (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME,
                                                               names[i], strlen (names[i]),
                                                               GNUTLS_FSAN_APPEND),
                         "set_subject_alt_name", error))
        return FALSE;
    }

  if (!check_gnutls (gnutls_x509_privkey_get_key_id (key, 0, key_id, &key_id_size),
                     "get_key_id", error) ||
      !check_gnutls (gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size),
                     "set_subject_key_id", error))
    return FALSE;

  if (ca_crt != NULL)
    {
      key_id_size = sizeof key_id;
      if (!check_gnutls (gnutls_x509_crt_get_subject_key_id (ca_crt, key_id, &key_id_size,
                                                             NULL),
                         "get_subject_key_id", error) ||
          !check_gnutls (gnutls_x509_crt_set_authority_key_id (crt, key_id, key_id_size),
                         "set_authority_key_id", error))
        return FALSE;
    }

  if (!check_gnutls (gnutls_x509_crt_sign2 (crt,
                                            ca_crt != NULL ? ca_crt : crt,
                                            ca_key != NULL ? ca_key : key,
                                            GNUTLS_DIG_SHA256, 0),
                     "sign", error))
    return FALSE;

  return write_pem (dir, prefix, crt, key, error);
}

int
main (int   argc,
      char *argv[])
{
  g_auto(gnutls_x509_crt_t) ca_crt = NULL;
  g_auto(gnutls_x509_privkey_t) ca_key = NULL;
  g_autoptr(GError) error = NULL;
  const char *dir;
  const char * const *names;

  g_set_prgname ("od-e2e-make-certs");

  if (argc < 3 || argv[1][0] == '-')
    {
      g_printerr ("Usage: %s DIR NAME...\n"
                  "Writes the test CA and certificates (see make-test-certs) into DIR, plus\n"
                  "e2e-cert.pem/e2e-key.pem (signed by the CA) and e2e-self-signed-cert.pem/\n"
                  "e2e-self-signed-key.pem (self-signed), both for the DNS names NAME...\n",
                  g_get_prgname ());
      return argc == 2 && g_str_equal (argv[1], "--help") ? EXIT_SUCCESS : 2;
    }

  dir = argv[1];
  names = (const char * const *) &argv[2];

  if (!od_test_certs_write_to (dir, &error) ||
      !load_ca (dir, &ca_crt, &ca_key, &error) ||
      !make_server_cert (names, ca_crt, ca_key, dir, "e2e", &error) ||
      !make_server_cert (names, NULL, NULL, dir, "e2e-self-signed", &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return EXIT_FAILURE;
    }

  return EXIT_SUCCESS;
}
