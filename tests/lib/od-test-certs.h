/* od-test-certs.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The kinds of server certificate made for tests. Each KIND has KIND-cert.pem and
 * KIND-key.pem (unencrypted PKCS#8) in the directory, beside the test CA's ca.pem and
 * ca-key.pem. */
#define OD_TEST_CERT_GOOD        "good"        /* CA-signed; localhost, 127.0.0.1, ::1 */
#define OD_TEST_CERT_EXPIRED     "expired"     /* CA-signed; localhost; expired yesterday */
#define OD_TEST_CERT_WRONG_NAME  "wrong-name"  /* CA-signed; wrong.example.org only */
#define OD_TEST_CERT_SELF_SIGNED "self-signed" /* self-signed; localhost, 127.0.0.1, ::1 */
/* Self-signed; localhost, 127.0.0.1, ::1 and a DNS name with ESC in it; its organization
 * (subject and issuer) holds ESC, BEL, a C1 CSI and DEL, its common name a CSI and ESC. */
#define OD_TEST_CERT_HOSTILE_NAMES "hostile-names"

typedef struct _OdTestCerts OdTestCerts;

gboolean         od_test_certs_write_to      (const char   *dir,
                                              GError      **error);
OdTestCerts     *od_test_certs_new           (GError      **error);
const char      *od_test_certs_get_dir       (OdTestCerts  *self);
const char      *od_test_certs_get_ca_file   (OdTestCerts  *self);
char            *od_test_certs_get_cert_file (OdTestCerts  *self,
                                              const char   *kind);
char            *od_test_certs_get_key_file  (OdTestCerts  *self,
                                              const char   *kind);
GTlsCertificate *od_test_certs_load          (OdTestCerts  *self,
                                              const char   *kind,
                                              GError      **error);
void             od_test_certs_free          (OdTestCerts  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdTestCerts, od_test_certs_free)

G_END_DECLS
