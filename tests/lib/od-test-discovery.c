/* od-test-discovery.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-test-discovery"

#include "config.h"

#include <string.h>
#include <time.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "od-test-discovery.h"

/* ------------------------------------------------------------------------------------------
 * Resolver
 * ------------------------------------------------------------------------------------------ */

struct _OdTestResolver
{
  GResolver   parent_instance;

  GHashTable *addresses;  /* name → GPtrArray of IP strings */
  GHashTable *records;    /* "TYPE name" → GPtrArray of GVariant */
  GPtrArray  *queries;    /* "A name", "SRV name", "MX name" */
  guint       delay_ms;
};

G_DEFINE_FINAL_TYPE (OdTestResolver, od_test_resolver, G_TYPE_RESOLVER)

static char *
normalize (const char *name)
{
  char *lower = g_ascii_strdown (name, -1);
  gsize len = strlen (lower);

  if (len > 0 && lower[len - 1] == '.')
    lower[len - 1] = '\0';

  return lower;
}

static GList *
resolve_name (OdTestResolver  *self,
              const char      *hostname,
              GError         **error)
{
  g_autofree char *name = normalize (hostname);
  GPtrArray *ips = g_hash_table_lookup (self->addresses, name);
  GList *list = NULL;

  g_ptr_array_add (self->queries, g_strconcat ("A ", name, NULL));

  if (ips == NULL)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                   "Test resolver: no such name “%s”", name);
      return NULL;
    }

  for (guint i = 0; i < ips->len; i++)
    list = g_list_append (list, g_inet_address_new_from_string (g_ptr_array_index (ips, i)));

  return list;
}

static GList *
resolve_records (OdTestResolver       *self,
                 const char           *rrname,
                 GResolverRecordType   type,
                 GError              **error)
{
  g_autofree char *name = normalize (rrname);
  g_autofree char *key = g_strdup_printf ("%s %s", type == G_RESOLVER_RECORD_SRV ? "SRV" :
                                                   type == G_RESOLVER_RECORD_MX ? "MX" : "OTHER",
                                          name);
  GPtrArray *records = g_hash_table_lookup (self->records, key);
  GList *list = NULL;

  g_ptr_array_add (self->queries, g_strdup (key));

  if (records == NULL)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                   "Test resolver: no records for “%s”", key);
      return NULL;
    }

  for (guint i = 0; i < records->len; i++)
    list = g_list_append (list, g_variant_ref (g_ptr_array_index (records, i)));

  return list;
}

typedef struct
{
  char                *name;
  GResolverRecordType  type;
  gboolean             records;
} Query;

static void
query_free (Query *query)
{
  g_free (query->name);
  g_free (query);
}

static void
free_address_list (gpointer list)
{
  g_resolver_free_addresses (list);
}

static void
free_record_list (gpointer list)
{
  g_list_free_full (list, (GDestroyNotify)g_variant_unref);
}

static gboolean
answer_cb (gpointer user_data)
{
  GTask *task = user_data;
  OdTestResolver *self = g_task_get_source_object (task);
  Query *query = g_task_get_task_data (task);
  GError *error = NULL;
  GList *list;

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;

  if (query->records)
    list = resolve_records (self, query->name, query->type, &error);
  else
    list = resolve_name (self, query->name, &error);

  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, query->records ? free_record_list : free_address_list);

  return G_SOURCE_REMOVE;
}

static void
start_query (OdTestResolver      *self,
             const char          *name,
             gboolean             records,
             GResolverRecordType  type,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Query *query = g_new0 (Query, 1);
  GSource *source;

  query->name = g_strdup (name);
  query->records = records;
  query->type = type;
  g_task_set_task_data (task, query, (GDestroyNotify)query_free);

  source = g_timeout_source_new (self->delay_ms);
  g_source_set_callback (source, answer_cb, task, g_object_unref);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

static GList *
od_test_resolver_lookup_by_name (GResolver     *resolver,
                                 const char    *hostname,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  return resolve_name (OD_TEST_RESOLVER (resolver), hostname, error);
}

static void
od_test_resolver_lookup_by_name_async (GResolver           *resolver,
                                       const char          *hostname,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  start_query (OD_TEST_RESOLVER (resolver), hostname, FALSE, 0, cancellable, callback, user_data);
}

static void
od_test_resolver_lookup_by_name_with_flags_async (GResolver                *resolver,
                                                  const char               *hostname,
                                                  GResolverNameLookupFlags  flags,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data)
{
  start_query (OD_TEST_RESOLVER (resolver), hostname, FALSE, 0, cancellable, callback, user_data);
}

static GList *
od_test_resolver_lookup_by_name_finish (GResolver     *resolver,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GList *
od_test_resolver_lookup_records (GResolver            *resolver,
                                 const char           *rrname,
                                 GResolverRecordType   record_type,
                                 GCancellable         *cancellable,
                                 GError              **error)
{
  return resolve_records (OD_TEST_RESOLVER (resolver), rrname, record_type, error);
}

static void
od_test_resolver_lookup_records_async (GResolver           *resolver,
                                       const char          *rrname,
                                       GResolverRecordType  record_type,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  start_query (OD_TEST_RESOLVER (resolver), rrname, TRUE, record_type, cancellable, callback,
               user_data);
}

static GList *
od_test_resolver_lookup_records_finish (GResolver     *resolver,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
od_test_resolver_finalize (GObject *object)
{
  OdTestResolver *self = (OdTestResolver *)object;

  g_clear_pointer (&self->addresses, g_hash_table_unref);
  g_clear_pointer (&self->records, g_hash_table_unref);
  g_clear_pointer (&self->queries, g_ptr_array_unref);

  G_OBJECT_CLASS (od_test_resolver_parent_class)->finalize (object);
}

static void
od_test_resolver_class_init (OdTestResolverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  object_class->finalize = od_test_resolver_finalize;

  resolver_class->lookup_by_name = od_test_resolver_lookup_by_name;
  resolver_class->lookup_by_name_async = od_test_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = od_test_resolver_lookup_by_name_finish;
  resolver_class->lookup_by_name_with_flags_async = od_test_resolver_lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = od_test_resolver_lookup_by_name_finish;
  resolver_class->lookup_records = od_test_resolver_lookup_records;
  resolver_class->lookup_records_async = od_test_resolver_lookup_records_async;
  resolver_class->lookup_records_finish = od_test_resolver_lookup_records_finish;
}

static void
od_test_resolver_init (OdTestResolver *self)
{
  self->addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify)g_ptr_array_unref);
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)g_ptr_array_unref);
  self->queries = g_ptr_array_new_with_free_func (g_free);
}

OdTestResolver *
od_test_resolver_new (void)
{
  return g_object_new (OD_TYPE_TEST_RESOLVER, NULL);
}

void
od_test_resolver_add_address (OdTestResolver *self,
                              const char     *name,
                              const char     *ip)
{
  g_autofree char *key = normalize (name);
  GPtrArray *ips = g_hash_table_lookup (self->addresses, key);

  if (ips == NULL)
    {
      ips = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (self->addresses, g_strdup (key), ips);
    }

  g_ptr_array_add (ips, g_strdup (ip));
}

static void
add_record (OdTestResolver *self,
            const char     *type,
            const char     *name,
            GVariant       *record)
{
  g_autofree char *lower = normalize (name);
  g_autofree char *key = g_strdup_printf ("%s %s", type, lower);
  GPtrArray *records = g_hash_table_lookup (self->records, key);

  if (records == NULL)
    {
      records = g_ptr_array_new_with_free_func ((GDestroyNotify)g_variant_unref);
      g_hash_table_insert (self->records, g_steal_pointer (&key), records);
    }

  g_ptr_array_add (records, g_variant_ref_sink (record));
}

void
od_test_resolver_add_srv (OdTestResolver *self,
                          const char     *name,
                          guint16         priority,
                          guint16         weight,
                          guint16         port,
                          const char     *target)
{
  add_record (self, "SRV", name, g_variant_new ("(qqqs)", priority, weight, port, target));
}

void
od_test_resolver_add_mx (OdTestResolver *self,
                         const char     *name,
                         guint16         preference,
                         const char     *exchange)
{
  add_record (self, "MX", name, g_variant_new ("(qs)", preference, exchange));
}

/* Every asynchronous answer comes after @delay_ms, as from a distant DNS server. */
void
od_test_resolver_set_delay_ms (OdTestResolver *self,
                               guint           delay_ms)
{
  self->delay_ms = delay_ms;
}

/**
 * od_test_resolver_get_queries:
 *
 * Returns: (transfer none): every query so far, as "A name", "SRV name" or "MX name"
 */
GPtrArray *
od_test_resolver_get_queries (OdTestResolver *self)
{
  return self->queries;
}

/* ------------------------------------------------------------------------------------------
 * Certificates for test names
 * ------------------------------------------------------------------------------------------ */

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)

static gboolean
check (int          ret,
       const char  *what,
       GError     **error)
{
  if (ret >= 0)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, gnutls_strerror (ret));
  return FALSE;
}

static gboolean
load_pem (const char      *dir,
          const char      *name,
          gnutls_datum_t  *datum,
          char           **contents,
          GError         **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gsize len;

  if (!g_file_get_contents (path, contents, &len, error))
    return FALSE;

  datum->data = (unsigned char *)*contents;
  datum->size = len;
  return TRUE;
}

/**
 * od_test_make_named_cert:
 * @names: DNS names for the subjectAltName; the first is also the common name
 *
 * Returns: (transfer full): a certificate with its private key, valid for a year, signed by
 *   the CA of @certs
 */
GTlsCertificate *
od_test_make_named_cert (OdTestCerts        *certs,
                         const char * const *names,
                         GError            **error)
{
  g_auto(gnutls_x509_crt_t) ca = NULL;
  g_auto(gnutls_x509_privkey_t) ca_key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_autofree char *ca_pem = NULL;
  g_autofree char *ca_key_pem = NULL;
  gnutls_datum_t datum;
  gnutls_datum_t cert_out = { NULL, 0 };
  gnutls_datum_t key_out = { NULL, 0 };
  g_autofree char *pem = NULL;
  guint8 serial[16];
  guint8 key_id[64];
  size_t key_id_size = sizeof key_id;
  time_t now = time (NULL);

  if (!load_pem (od_test_certs_get_dir (certs), "ca.pem", &datum, &ca_pem, error) ||
      !check (gnutls_x509_crt_init (&ca), "crt_init", error) ||
      !check (gnutls_x509_crt_import (ca, &datum, GNUTLS_X509_FMT_PEM), "crt_import", error) ||
      !load_pem (od_test_certs_get_dir (certs), "ca-key.pem", &datum, &ca_key_pem, error) ||
      !check (gnutls_x509_privkey_init (&ca_key), "privkey_init", error) ||
      !check (gnutls_x509_privkey_import (ca_key, &datum, GNUTLS_X509_FMT_PEM),
              "privkey_import", error))
    return NULL;

  if (!check (gnutls_x509_privkey_init (&key), "privkey_init", error) ||
      !check (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                            GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0),
              "privkey_generate", error) ||
      !check (gnutls_x509_crt_init (&crt), "crt_init", error) ||
      !check (gnutls_x509_crt_set_version (crt, 3), "set_version", error) ||
      !check (gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial), "rnd", error))
    return NULL;

  serial[0] = (serial[0] & 0x7f) | 0x01;

  if (!check (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "set_serial", error) ||
      !check (gnutls_x509_crt_set_key (crt, key), "set_key", error) ||
      !check (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, names[0],
                                             strlen (names[0])), "set_dn", error) ||
      !check (gnutls_x509_crt_set_activation_time (crt, now - 3600), "activation", error) ||
      !check (gnutls_x509_crt_set_expiration_time (crt, now + 365 * 24 * 3600), "expiration",
              error) ||
      !check (gnutls_x509_crt_set_basic_constraints (crt, 0, -1), "constraints", error) ||
      !check (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE), "usage", error) ||
      !check (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0), "purpose",
              error))
    return NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (!check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, names[i],
                                                        strlen (names[i]), GNUTLS_FSAN_APPEND),
                  "san", error))
        return NULL;
    }

  if (!check (gnutls_x509_privkey_get_key_id (key, 0, key_id, &key_id_size), "key_id", error) ||
      !check (gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size), "ski", error))
    return NULL;

  key_id_size = sizeof key_id;
  if (!check (gnutls_x509_crt_get_subject_key_id (ca, key_id, &key_id_size, NULL), "ca ski",
              error) ||
      !check (gnutls_x509_crt_set_authority_key_id (crt, key_id, key_id_size), "aki", error) ||
      !check (gnutls_x509_crt_sign2 (crt, ca, ca_key, GNUTLS_DIG_SHA256, 0), "sign", error) ||
      !check (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &cert_out), "export", error))
    return NULL;

  if (!check (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                 GNUTLS_PKCS_PLAIN, &key_out),
              "export key", error))
    {
      gnutls_free (cert_out.data);
      return NULL;
    }

  pem = g_strdup_printf ("%.*s%.*s", (int)cert_out.size, cert_out.data,
                         (int)key_out.size, key_out.data);
  gnutls_free (cert_out.data);
  gnutls_free (key_out.data);

  return g_tls_certificate_new_from_pem (pem, -1, error);
}

/* ------------------------------------------------------------------------------------------
 * Blackhole
 * ------------------------------------------------------------------------------------------ */

struct _OdTestBlackhole
{
  GSocket *listener;
  GSocket *filler;
};

/**
 * od_test_blackhole_new:
 *
 * Linux drops SYNs for a listening socket whose accept queue is full; with a backlog of 0
 * one connection fills it. Later connects hang until their deadline, as through a firewall
 * that drops the port.
 */
OdTestBlackhole *
od_test_blackhole_new (const char  *ip,
                       guint16      port,
                       GError     **error)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (ip);
  g_autoptr(GSocketAddress) bind_address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  OdTestBlackhole *self = g_new0 (OdTestBlackhole, 1);

  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not an IP address: %s", ip);
      goto fail;
    }
  bind_address = g_inet_socket_address_new (address, port);

  self->listener = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, error);
  if (self->listener == NULL)
    goto fail;

  g_socket_set_listen_backlog (self->listener, 0);
  if (!g_socket_bind (self->listener, bind_address, TRUE, error) ||
      !g_socket_listen (self->listener, error))
    goto fail;

  bound = g_socket_get_local_address (self->listener, error);
  if (bound == NULL)
    goto fail;

  self->filler = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM,
                               G_SOCKET_PROTOCOL_TCP, error);
  if (self->filler == NULL || !g_socket_connect (self->filler, bound, NULL, error))
    goto fail;

  return self;

fail:
  od_test_blackhole_free (self);
  return NULL;
}

void
od_test_blackhole_free (OdTestBlackhole *self)
{
  if (self == NULL)
    return;

  if (self->filler != NULL)
    g_socket_close (self->filler, NULL);
  if (self->listener != NULL)
    g_socket_close (self->listener, NULL);
  g_clear_object (&self->filler);
  g_clear_object (&self->listener);
  g_free (self);
}

/* A port nothing listens on right now, on any loopback address. */
guint16
od_test_find_free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) any = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (any, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  g_assert_nonnull (socket);
  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return port;
}
