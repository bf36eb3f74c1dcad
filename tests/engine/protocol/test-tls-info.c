/* test-tls-info.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-tls-info"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "od-format.h"
#include "od-test-certs.h"
#include "od-tls-info.h"

/* Made once for the whole program: key generation is cheap but not free. */
static OdTestCerts *certs;

static GTlsCertificate *
load_cert (const char *kind)
{
  g_autoptr(GError) error = NULL;
  GTlsCertificate *cert;

  cert = od_test_certs_load (certs, kind, &error);
  g_assert_no_error (error);
  g_assert_true (G_IS_TLS_CERTIFICATE (cert));

  return cert;
}

static OdTlsInfo *
info_for_cert (GTlsCertificate *cert,
               const char      *hostname,
               const char      *ca_file)
{
  g_autoptr(GError) error = NULL;
  OdTlsInfo *info;

  info = od_tls_info_new (cert, hostname, ca_file, &error);
  g_assert_no_error (error);
  g_assert_true (OD_IS_TLS_INFO (info));

  return info;
}

static OdTlsInfo *
info_for_kind (const char *kind,
               const char *hostname,
               gboolean    with_ca)
{
  g_autoptr(GTlsCertificate) cert = load_cert (kind);

  return info_for_cert (cert, hostname, with_ca ? od_test_certs_get_ca_file (certs) : NULL);
}

/* The fingerprint as g_compute_checksum_for_data() gives it: lowercase, without colons. */
static char *
plain_fingerprint (OdTlsInfo *info)
{
  g_auto(GStrv) pairs = g_strsplit (od_tls_info_get_fingerprint (info), ":", -1);
  g_autofree char *joined = g_strjoinv ("", pairs);

  return g_ascii_strdown (joined, -1);
}

static void
assert_names (OdTlsInfo          *info,
              const char * const *expected)
{
  const char * const *names = od_tls_info_get_names (info);

  g_assert_nonnull (names);
  g_assert_cmpstrv (names, expected);
}

static void
assert_errors (OdTlsInfo            *info,
               GTlsCertificateFlags  expected)
{
  g_assert_cmphex (od_tls_info_get_errors (info), ==, expected);
  g_assert_true (od_tls_info_get_verified (info) == (expected == 0));
}

static gboolean
strv_contains_substring (char       **strv,
                         const char  *needle)
{
  for (guint i = 0; strv[i] != NULL; i++)
    {
      if (strstr (strv[i], needle) != NULL)
        return TRUE;
    }

  return FALSE;
}

static void
test_good (void)
{
  const char * const expected_names[] = { "localhost", "127.0.0.1", "::1", NULL };
  g_autoptr(GTlsCertificate) cert = load_cert (OD_TEST_CERT_GOOD);
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *expected_sha256 = NULL;
  g_autofree char *sha256 = NULL;
  g_auto(GStrv) descriptions = NULL;
  const char *fingerprint;
  OdTlsInfo *info;
  GDateTime *not_before;
  GDateTime *not_after;

  info = info_for_cert (cert, "localhost", od_test_certs_get_ca_file (certs));

  assert_errors (info, 0);
  g_assert_cmpstr (od_tls_info_get_hostname (info), ==, "localhost");
  g_assert_cmpstr (od_tls_info_get_subject (info), ==, "CN=localhost,O=Outbox Doctor Test");
  g_assert_cmpstr (od_tls_info_get_issuer (info), ==,
                   "CN=Outbox Doctor Test CA,O=Outbox Doctor Test");
  assert_names (info, expected_names);

  not_before = od_tls_info_get_not_before (info);
  not_after = od_tls_info_get_not_after (info);
  g_assert_nonnull (not_before);
  g_assert_nonnull (not_after);
  g_assert_cmpint (g_date_time_get_utc_offset (not_before), ==, 0);
  g_assert_cmpint (g_date_time_get_utc_offset (not_after), ==, 0);
  /* Made an hour back, valid for a year */
  g_assert_cmpint (g_date_time_difference (now, not_before), >=,
                   G_TIME_SPAN_HOUR - G_TIME_SPAN_MINUTE);
  g_assert_cmpint (g_date_time_difference (now, not_before), <=,
                   G_TIME_SPAN_HOUR + G_TIME_SPAN_MINUTE);
  g_assert_cmpint (g_date_time_difference (not_after, now), >=, 364 * G_TIME_SPAN_DAY);
  g_assert_cmpint (g_date_time_difference (not_after, now), <=, 366 * G_TIME_SPAN_DAY);

  g_object_get (cert, "certificate", &der, NULL);
  expected_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  fingerprint = od_tls_info_get_fingerprint (info);
  g_assert_cmpuint (strlen (fingerprint), ==, 32 * 3 - 1);
  for (guint i = 0; fingerprint[i] != '\0'; i++)
    {
      if (i % 3 == 2)
        g_assert_cmpint (fingerprint[i], ==, ':');
      else
        g_assert_true (g_ascii_isdigit (fingerprint[i]) || g_ascii_isupper (fingerprint[i]));
    }
  sha256 = plain_fingerprint (info);
  g_assert_cmpstr (sha256, ==, expected_sha256);

  descriptions = od_tls_info_describe_errors (info);
  g_assert_nonnull (descriptions);
  g_assert_cmpuint (g_strv_length (descriptions), ==, 0);

  g_assert_finalize_object (info);
}

static void
test_good_ip (void)
{
  const char *hosts[] = { "127.0.0.1", "::1", "[::1]", "localhost." };

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      OdTlsInfo *info = info_for_kind (OD_TEST_CERT_GOOD, hosts[i], TRUE);

      g_test_message ("host %s", hosts[i]);
      assert_errors (info, 0);
      g_assert_finalize_object (info);
    }
}

static void
test_good_other_ip (void)
{
  OdTlsInfo *info = info_for_kind (OD_TEST_CERT_GOOD, "127.0.0.2", TRUE);

  assert_errors (info, G_TLS_CERTIFICATE_BAD_IDENTITY);
  g_assert_cmpstr (od_tls_info_get_hostname (info), ==, "127.0.0.2");
  g_assert_finalize_object (info);
}

static void
test_good_no_hostname (void)
{
  OdTlsInfo *info = info_for_kind (OD_TEST_CERT_GOOD, NULL, TRUE);

  assert_errors (info, 0);
  g_assert_null (od_tls_info_get_hostname (info));
  g_assert_finalize_object (info);
}

static void
test_good_without_ca (void)
{
  g_auto(GStrv) descriptions = NULL;
  OdTlsInfo *info = info_for_kind (OD_TEST_CERT_GOOD, "localhost", FALSE);

  assert_errors (info, G_TLS_CERTIFICATE_UNKNOWN_CA);

  descriptions = od_tls_info_describe_errors (info);
  g_assert_cmpuint (g_strv_length (descriptions), ==, 1);
  g_assert_cmpstr (descriptions[0], ==,
                   "The certificate was issued by an authority this computer does not trust "
                   "(it may be self-signed).");

  g_assert_finalize_object (info);
}

static void
test_expired (void)
{
  const char * const expected_names[] = { "localhost", "127.0.0.1", "::1", NULL };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) descriptions = NULL;
  OdTlsInfo *info = info_for_kind (OD_TEST_CERT_EXPIRED, "localhost", TRUE);
  GDateTime *not_after;

  assert_errors (info, G_TLS_CERTIFICATE_EXPIRED);
  assert_names (info, expected_names);

  /* Expired yesterday */
  not_after = od_tls_info_get_not_after (info);
  g_assert_cmpint (g_date_time_difference (now, not_after), >=,
                   G_TIME_SPAN_DAY - G_TIME_SPAN_MINUTE);
  g_assert_cmpint (g_date_time_difference (now, not_after), <=,
                   G_TIME_SPAN_DAY + G_TIME_SPAN_MINUTE);

  descriptions = od_tls_info_describe_errors (info);
  date = od_format_date_time (not_after);
  expected = g_strdup_printf ("The certificate expired on %s.", date);
  g_assert_cmpuint (g_strv_length (descriptions), ==, 1);
  g_assert_cmpstr (descriptions[0], ==, expected);

  g_assert_finalize_object (info);
}

static void
test_wrong_name (void)
{
  const char * const expected_names[] = { "wrong.example.org", NULL };
  g_auto(GStrv) descriptions = NULL;
  OdTlsInfo *info = info_for_kind (OD_TEST_CERT_WRONG_NAME, "localhost", TRUE);

  assert_errors (info, G_TLS_CERTIFICATE_BAD_IDENTITY);
  g_assert_cmpstr (od_tls_info_get_subject (info), ==,
                   "CN=wrong.example.org,O=Outbox Doctor Test");
  assert_names (info, expected_names);

  descriptions = od_tls_info_describe_errors (info);
  g_assert_cmpuint (g_strv_length (descriptions), ==, 1);
  g_assert_cmpstr (descriptions[0], ==,
                   "The certificate is for wrong.example.org, not for localhost.");

  g_assert_finalize_object (info);

  /* An IP address it does not list is just as wrong; the right name is fine. */
  info = info_for_kind (OD_TEST_CERT_WRONG_NAME, "127.0.0.1", TRUE);
  assert_errors (info, G_TLS_CERTIFICATE_BAD_IDENTITY);
  g_assert_finalize_object (info);

  info = info_for_kind (OD_TEST_CERT_WRONG_NAME, "wrong.example.org", TRUE);
  assert_errors (info, 0);
  g_assert_finalize_object (info);
}

static void
test_self_signed (void)
{
  const char * const expected_names[] = { "localhost", "127.0.0.1", "::1", NULL };
  OdTlsInfo *info;

  /* Our CA does not help: it did not sign it. */
  info = info_for_kind (OD_TEST_CERT_SELF_SIGNED, "localhost", TRUE);
  assert_errors (info, G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_assert_cmpstr (od_tls_info_get_subject (info), ==, od_tls_info_get_issuer (info));
  assert_names (info, expected_names);
  g_assert_finalize_object (info);

  info = info_for_kind (OD_TEST_CERT_SELF_SIGNED, "localhost", FALSE);
  assert_errors (info, G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_assert_finalize_object (info);
}

static void
test_self_signed_trusted (void)
{
  g_autoptr(GTlsCertificate) cert = load_cert (OD_TEST_CERT_SELF_SIGNED);
  g_autofree char *cert_file = od_test_certs_get_cert_file (certs, OD_TEST_CERT_SELF_SIGNED);
  OdTlsInfo *info;

  /* Pointing at the server's own certificate is how users trust a self-signed server. */
  info = info_for_cert (cert, "localhost", cert_file);
  assert_errors (info, 0);
  g_assert_finalize_object (info);
}

/* GnuTLS stops at the missing signer; the dates and the name must still be checked. */
static void
test_everything_wrong (void)
{
  g_auto(GStrv) descriptions = NULL;
  OdTlsInfo *info;

  info = info_for_kind (OD_TEST_CERT_EXPIRED, "mail.example.org", FALSE);
  assert_errors (info,
                 G_TLS_CERTIFICATE_UNKNOWN_CA |
                 G_TLS_CERTIFICATE_EXPIRED |
                 G_TLS_CERTIFICATE_BAD_IDENTITY);

  descriptions = od_tls_info_describe_errors (info);
  g_assert_cmpuint (g_strv_length (descriptions), ==, 3);
  g_assert_true (g_str_has_prefix (descriptions[0], "The certificate was issued by an authority"));
  g_assert_cmpstr (descriptions[1], ==,
                   "The certificate is for localhost, 127.0.0.1, ::1, not for mail.example.org.");
  g_assert_true (g_str_has_prefix (descriptions[2], "The certificate expired on "));
  g_assert_false (strv_contains_substring (descriptions, "could not be verified"));
  g_assert_finalize_object (info);

  info = info_for_kind (OD_TEST_CERT_SELF_SIGNED, "wrong.example.org", TRUE);
  assert_errors (info, G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY);
  g_assert_finalize_object (info);
}

/* A chain as a server sends it: the leaf with its issuer linked. */
static void
test_chain (void)
{
  g_autofree char *cert_file = od_test_certs_get_cert_file (certs, OD_TEST_CERT_GOOD);
  g_autofree char *leaf_pem = NULL;
  g_autofree char *ca_pem = NULL;
  g_autofree char *chain_pem = NULL;
  g_autoptr(GTlsCertificate) chain = NULL;
  g_autoptr(GError) error = NULL;
  OdTlsInfo *info;

  g_file_get_contents (cert_file, &leaf_pem, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (od_test_certs_get_ca_file (certs), &ca_pem, NULL, &error);
  g_assert_no_error (error);

  chain_pem = g_strconcat (leaf_pem, ca_pem, NULL);
  chain = g_tls_certificate_new_from_pem (chain_pem, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_tls_certificate_get_issuer (chain));

  /* A root sent by the server is not trusted for being sent. */
  info = info_for_cert (chain, "localhost", NULL);
  assert_errors (info, G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_assert_cmpstr (od_tls_info_get_subject (info), ==, "CN=localhost,O=Outbox Doctor Test");
  g_assert_finalize_object (info);

  info = info_for_cert (chain, "localhost", od_test_certs_get_ca_file (certs));
  assert_errors (info, 0);
  g_assert_finalize_object (info);
}

static void
test_ca_file_errors (void)
{
  g_autoptr(GTlsCertificate) cert = load_cert (OD_TEST_CERT_GOOD);
  g_autofree char *missing = g_build_filename (od_test_certs_get_dir (certs), "missing.pem", NULL);
  g_autofree char *key_file = od_test_certs_get_key_file (certs, OD_TEST_CERT_GOOD);
  g_autoptr(GError) error = NULL;
  OdTlsInfo *info;

  info = od_tls_info_new (cert, "localhost", missing, &error);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_null (info);
  g_clear_error (&error);

  info = od_tls_info_new (cert, "localhost", key_file, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (info);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_protocol (void)
{
  static const struct {
    GTlsProtocolVersion  version;
    const char          *name;
  } protocols[] = {
    { G_TLS_PROTOCOL_VERSION_UNKNOWN, "unknown" },
    { G_TLS_PROTOCOL_VERSION_SSL_3_0, "SSL 3.0" },
    { G_TLS_PROTOCOL_VERSION_TLS_1_0, "TLS 1.0" },
    { G_TLS_PROTOCOL_VERSION_TLS_1_1, "TLS 1.1" },
    { G_TLS_PROTOCOL_VERSION_TLS_1_2, "TLS 1.2" },
    { G_TLS_PROTOCOL_VERSION_TLS_1_3, "TLS 1.3" },
    { G_TLS_PROTOCOL_VERSION_DTLS_1_0, "DTLS 1.0" },
    { G_TLS_PROTOCOL_VERSION_DTLS_1_2, "DTLS 1.2" },
  };
  OdTlsInfo *info = info_for_kind (OD_TEST_CERT_GOOD, "localhost", TRUE);
  guint protocol_notifies = 0;
  guint cipher_notifies = 0;

  g_assert_cmpint (od_tls_info_get_protocol (info), ==, G_TLS_PROTOCOL_VERSION_UNKNOWN);
  g_assert_cmpstr (od_tls_info_get_protocol_name (info), ==, "unknown");
  g_assert_null (od_tls_info_get_cipher (info));

  g_signal_connect (info, "notify::protocol", G_CALLBACK (notify_cb), &protocol_notifies);
  g_signal_connect (info, "notify::cipher", G_CALLBACK (notify_cb), &cipher_notifies);

  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    {
      od_tls_info_set_protocol (info, protocols[i].version);
      g_assert_cmpint (od_tls_info_get_protocol (info), ==, protocols[i].version);
      g_assert_cmpstr (od_tls_info_get_protocol_name (info), ==, protocols[i].name);
    }
  g_assert_cmpuint (protocol_notifies, ==, G_N_ELEMENTS (protocols) - 1);

  od_tls_info_set_protocol (info, G_TLS_PROTOCOL_VERSION_TLS_1_3);
  od_tls_info_set_protocol (info, G_TLS_PROTOCOL_VERSION_TLS_1_3);
  g_assert_cmpuint (protocol_notifies, ==, G_N_ELEMENTS (protocols));

  od_tls_info_set_cipher (info, "TLS_AES_256_GCM_SHA384");
  od_tls_info_set_cipher (info, "TLS_AES_256_GCM_SHA384");
  g_assert_cmpstr (od_tls_info_get_cipher (info), ==, "TLS_AES_256_GCM_SHA384");
  g_assert_cmpuint (cipher_notifies, ==, 1);
  od_tls_info_set_cipher (info, NULL);
  g_assert_null (od_tls_info_get_cipher (info));
  g_assert_cmpuint (cipher_notifies, ==, 2);

  g_assert_finalize_object (info);
}

static void
test_json (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) not_before = NULL;
  g_autoptr(GDateTime) not_after = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  JsonObject *object;
  JsonArray *array;
  OdTlsInfo *info;

  info = info_for_kind (OD_TEST_CERT_GOOD, "localhost", TRUE);
  od_tls_info_set_protocol (info, G_TLS_PROTOCOL_VERSION_TLS_1_3);
  od_tls_info_set_cipher (info, "TLS_AES_128_GCM_SHA256");

  node = od_tls_info_to_json (info);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);

  g_assert_cmpstr (json_object_get_string_member (object, "protocol"), ==, "TLS 1.3");
  g_assert_cmpstr (json_object_get_string_member (object, "cipher"), ==, "TLS_AES_128_GCM_SHA256");
  g_assert_cmpstr (json_object_get_string_member (object, "subject"), ==,
                   od_tls_info_get_subject (info));
  g_assert_cmpstr (json_object_get_string_member (object, "issuer"), ==,
                   od_tls_info_get_issuer (info));
  g_assert_cmpstr (json_object_get_string_member (object, "sha256"), ==,
                   od_tls_info_get_fingerprint (info));
  g_assert_true (json_object_get_boolean_member (object, "verified"));

  array = json_object_get_array_member (object, "names");
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, "localhost");
  g_assert_cmpstr (json_array_get_string_element (array, 1), ==, "127.0.0.1");
  g_assert_cmpstr (json_array_get_string_element (array, 2), ==, "::1");

  array = json_object_get_array_member (object, "errors");
  g_assert_cmpuint (json_array_get_length (array), ==, 0);

  /* ISO 8601 in UTC, to the second */
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "not_before"), "Z"));
  not_before = g_date_time_new_from_iso8601 (json_object_get_string_member (object, "not_before"),
                                             utc);
  not_after = g_date_time_new_from_iso8601 (json_object_get_string_member (object, "not_after"),
                                            utc);
  g_assert_nonnull (not_before);
  g_assert_nonnull (not_after);
  g_assert_true (g_date_time_equal (not_before, od_tls_info_get_not_before (info)));
  g_assert_true (g_date_time_equal (not_after, od_tls_info_get_not_after (info)));

  g_assert_finalize_object (info);
  g_clear_pointer (&node, json_node_unref);

  /* Everything wrong, nothing negotiated yet */
  info = info_for_kind (OD_TEST_CERT_EXPIRED, "mail.example.org", FALSE);
  node = od_tls_info_to_json (info);
  object = json_node_get_object (node);

  g_assert_cmpstr (json_object_get_string_member (object, "protocol"), ==, "unknown");
  g_assert_true (json_object_get_null_member (object, "cipher"));
  g_assert_false (json_object_get_boolean_member (object, "verified"));
  array = json_object_get_array_member (object, "errors");
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, "unknown-ca");
  g_assert_cmpstr (json_array_get_string_element (array, 1), ==, "bad-identity");
  g_assert_cmpstr (json_array_get_string_element (array, 2), ==, "expired");

  g_assert_finalize_object (info);
}

static void
test_error_ids (void)
{
  g_assert_cmpstr (od_tls_info_error_to_id (G_TLS_CERTIFICATE_UNKNOWN_CA), ==, "unknown-ca");
  g_assert_cmpstr (od_tls_info_error_to_id (G_TLS_CERTIFICATE_BAD_IDENTITY), ==, "bad-identity");
  g_assert_cmpstr (od_tls_info_error_to_id (G_TLS_CERTIFICATE_NOT_ACTIVATED), ==, "not-activated");
  g_assert_cmpstr (od_tls_info_error_to_id (G_TLS_CERTIFICATE_EXPIRED), ==, "expired");
  g_assert_cmpstr (od_tls_info_error_to_id (G_TLS_CERTIFICATE_REVOKED), ==, "revoked");
  g_assert_cmpstr (od_tls_info_error_to_id (G_TLS_CERTIFICATE_INSECURE), ==, "insecure");
  g_assert_cmpstr (od_tls_info_error_to_id (G_TLS_CERTIFICATE_GENERIC_ERROR), ==, "generic");
  g_assert_null (od_tls_info_error_to_id (0));
}

/* No C0 control (not even a tab or line feed), no DEL, no C1 control: valid UTF-8 that can go
 * to a terminal as it is. */
static void
assert_printable (const char *text)
{
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
        g_error ("Control character U+%04X in “%s”", c, g_strescape (text, NULL));
    }
}

/* A certificate whose organization, common name and DNS name carry terminal escapes (ESC ]
 * … BEL, ESC [, U+009B CSI, DEL): every string made from it is printable, and still says
 * what the certificate says. */
static void
test_hostile_names (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *json = NULL;
  g_auto(GStrv) descriptions = NULL;
  const char * const *names;
  OdTlsInfo *info;

  info = info_for_kind (OD_TEST_CERT_HOSTILE_NAMES, "mail.example.net", FALSE);
  od_tls_info_set_cipher (info, "TLS_AES\033[2J_128");

  assert_printable (od_tls_info_get_subject (info));
  assert_printable (od_tls_info_get_issuer (info));
  assert_printable (od_tls_info_get_cipher (info));
  g_assert_nonnull (strstr (od_tls_info_get_subject (info), "Evil ?]0\\;pwned??[31m Corp ?2J?"));
  g_assert_nonnull (strstr (od_tls_info_get_subject (info), "localhost ?31m?[5m"));
  g_assert_nonnull (strstr (od_tls_info_get_issuer (info), "Evil ?]0\\;pwned??[31m Corp ?2J?"));

  names = od_tls_info_get_names (info);
  g_assert_cmpuint (g_strv_length ((char **)names), ==, 4);
  for (guint i = 0; names[i] != NULL; i++)
    assert_printable (names[i]);
  g_assert_cmpstr (names[1], ==, "evil?[2J.example.org");

  /* The names reach the explanation of the wrong name too. */
  assert_errors (info, G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY);
  descriptions = od_tls_info_describe_errors (info);
  for (guint i = 0; descriptions[i] != NULL; i++)
    assert_printable (descriptions[i]);
  g_assert_true (strv_contains_substring (descriptions, "evil?[2J.example.org"));

  /* JSON would escape raw controls as \u001b, which a consumer turns back into ESC. */
  node = od_tls_info_to_json (info);
  json_generator_set_root (generator, node);
  json = json_generator_to_data (generator, NULL);
  assert_printable (json);
  g_assert_null (strstr (json, "\\u00"));

  g_assert_finalize_object (info);
}

/* The helper itself: files where it says, with keys GIO can pair with their certificates. */
static void
test_certs_files (void)
{
  const char *kinds[] = {
    OD_TEST_CERT_GOOD, OD_TEST_CERT_EXPIRED, OD_TEST_CERT_WRONG_NAME, OD_TEST_CERT_SELF_SIGNED,
    OD_TEST_CERT_HOSTILE_NAMES,
  };
  g_autofree char *dir = NULL;

  g_assert_true (g_file_test (od_test_certs_get_ca_file (certs), G_FILE_TEST_IS_REGULAR));

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *cert_file = od_test_certs_get_cert_file (certs, kinds[i]);
      g_autofree char *key_file = od_test_certs_get_key_file (certs, kinds[i]);
      g_autoptr(GTlsCertificate) cert = load_cert (kinds[i]);
      g_autofree char *key_pem = NULL;

      g_assert_true (g_str_has_prefix (cert_file, od_test_certs_get_dir (certs)));
      g_assert_true (g_file_test (cert_file, G_FILE_TEST_IS_REGULAR));
      g_assert_true (g_file_test (key_file, G_FILE_TEST_IS_REGULAR));

      /* A test server needs the key with the certificate. */
      g_object_get (cert, "private-key-pem", &key_pem, NULL);
      g_assert_nonnull (key_pem);
    }

  /* od_test_certs_free() removes everything. */
  {
    g_autoptr(GError) error = NULL;
    OdTestCerts *other = od_test_certs_new (&error);

    g_assert_no_error (error);
    dir = g_strdup (od_test_certs_get_dir (other));
    g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
    od_test_certs_free (other);
    g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/od/tls-info/good", test_good);
  g_test_add_func ("/od/tls-info/good-ip", test_good_ip);
  g_test_add_func ("/od/tls-info/good-other-ip", test_good_other_ip);
  g_test_add_func ("/od/tls-info/good-no-hostname", test_good_no_hostname);
  g_test_add_func ("/od/tls-info/good-without-ca", test_good_without_ca);
  g_test_add_func ("/od/tls-info/expired", test_expired);
  g_test_add_func ("/od/tls-info/wrong-name", test_wrong_name);
  g_test_add_func ("/od/tls-info/self-signed", test_self_signed);
  g_test_add_func ("/od/tls-info/self-signed-trusted", test_self_signed_trusted);
  g_test_add_func ("/od/tls-info/everything-wrong", test_everything_wrong);
  g_test_add_func ("/od/tls-info/chain", test_chain);
  g_test_add_func ("/od/tls-info/ca-file-errors", test_ca_file_errors);
  g_test_add_func ("/od/tls-info/protocol", test_protocol);
  g_test_add_func ("/od/tls-info/json", test_json);
  g_test_add_func ("/od/tls-info/error-ids", test_error_ids);
  g_test_add_func ("/od/tls-info/hostile-names", test_hostile_names);
  g_test_add_func ("/od/tls-info/certs-files", test_certs_files);

  ret = g_test_run ();

  g_clear_pointer (&certs, od_test_certs_free);

  return ret;
}
