/* od-provider-db.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-provider-db"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "od-provider-db.h"
#include "od-providers-resources.h"

/* The providers shipped with the app, one clientConfig file each. Read once and
 * never changed afterwards, so lookups need no lock. */
struct _OdProviderDb
{
  GObject      parent_instance;

  /* Owned */
  GPtrArray   *providers;    /* OdProvider, sorted by id */
  GHashTable  *by_id;        /* id → OdProvider (borrowed from providers) */
  GHashTable  *by_domain;    /* domain → OdProvider (borrowed) */
  GPtrArray   *mx_suffixes;  /* MxSuffix */
};

typedef struct
{
  const char *suffix;        /* borrowed from the provider */
  OdProvider *provider;      /* borrowed */
} MxSuffix;

G_DEFINE_FINAL_TYPE (OdProviderDb, od_provider_db, G_TYPE_OBJECT)

static int
compare_provider_id (gconstpointer a,
                     gconstpointer b)
{
  OdProvider *pa = *(OdProvider * const *) a;
  OdProvider *pb = *(OdProvider * const *) b;

  return strcmp (od_provider_get_id (pa), od_provider_get_id (pb));
}

static int
compare_string (gconstpointer a,
                gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Duplicates are errors: two entries claiming one domain would make lookups depend on
 * file order. */
static gboolean
od_provider_db_add (OdProviderDb  *self,
                    const char    *name,
                    GBytes        *bytes,
                    GError       **error)
{
  g_autoptr(OdProvider) provider = NULL;
  const char * const *domains;
  const char * const *suffixes;
  OdProvider *other;
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  provider = od_autoconfig_parse_full (data, size, OD_AUTOCONFIG_PARSE_TRUSTED, error);
  if (provider == NULL)
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }

  if ((other = g_hash_table_lookup (self->by_id, od_provider_get_id (provider))) != NULL)
    {
      g_set_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                   "%s: the id “%s” is used twice", name, od_provider_get_id (provider));
      return FALSE;
    }

  domains = od_provider_get_domains (provider);
  for (guint i = 0; domains[i] != NULL; i++)
    {
      if ((other = g_hash_table_lookup (self->by_domain, domains[i])) != NULL)
        {
          g_set_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                       "%s: the domain “%s” already belongs to “%s”",
                       name, domains[i], od_provider_get_id (other));
          return FALSE;
        }
    }

  suffixes = od_provider_get_mx_suffixes (provider);
  for (guint i = 0; suffixes[i] != NULL; i++)
    {
      for (guint j = 0; j < self->mx_suffixes->len; j++)
        {
          MxSuffix *mx = g_ptr_array_index (self->mx_suffixes, j);

          if (g_str_equal (mx->suffix, suffixes[i]))
            {
              g_set_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                           "%s: the MX suffix “%s” already belongs to “%s”",
                           name, suffixes[i], od_provider_get_id (mx->provider));
              return FALSE;
            }
        }
    }

  g_hash_table_insert (self->by_id, (gpointer) od_provider_get_id (provider), provider);
  for (guint i = 0; domains[i] != NULL; i++)
    g_hash_table_insert (self->by_domain, (gpointer) domains[i], provider);
  for (guint i = 0; suffixes[i] != NULL; i++)
    {
      MxSuffix *mx = g_new0 (MxSuffix, 1);

      mx->suffix = suffixes[i];
      mx->provider = provider;
      g_ptr_array_add (self->mx_suffixes, mx);
    }

  g_ptr_array_add (self->providers, g_steal_pointer (&provider));

  return TRUE;
}

static void
od_provider_db_finalize (GObject *object)
{
  OdProviderDb *self = (OdProviderDb *) object;

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->by_domain, g_hash_table_unref);
  g_clear_pointer (&self->mx_suffixes, g_ptr_array_unref);
  g_clear_pointer (&self->providers, g_ptr_array_unref);

  G_OBJECT_CLASS (od_provider_db_parent_class)->finalize (object);
}

static void
od_provider_db_class_init (OdProviderDbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = od_provider_db_finalize;
}

static void
od_provider_db_init (OdProviderDb *self)
{
  self->providers = g_ptr_array_new_with_free_func ((GDestroyNotify) od_provider_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_domain = g_hash_table_new (g_str_hash, g_str_equal);
  self->mx_suffixes = g_ptr_array_new_with_free_func (g_free);
}

/**
 * od_provider_db_new_from_resource:
 * @path: a resource folder holding `*.xml` clientConfig files
 * @error: return location for an error
 *
 * Reads every `*.xml` file of the folder. A file that does not parse, or an id,
 * domain or MX suffix claimed twice, is an error.
 *
 * Returns: (transfer full): a new database, or %NULL with @error set
 */
OdProviderDb *
od_provider_db_new_from_resource (const char  *path,
                                  GError     **error)
{
  g_autoptr(OdProviderDb) self = NULL;
  g_auto(GStrv) children = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Referencing the generated code keeps the linker from dropping the resource (and with
   * it the constructor that registers it) out of the static library. */
  (void) od_providers_get_resource ();

  children = g_resources_enumerate_children (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (children == NULL)
    return NULL;
  qsort (children, g_strv_length (children), sizeof (char *), compare_string);

  self = g_object_new (OD_TYPE_PROVIDER_DB, NULL);
  for (guint i = 0; children[i] != NULL; i++)
    {
      g_autofree char *child = NULL;
      g_autoptr(GBytes) bytes = NULL;

      if (!g_str_has_suffix (children[i], ".xml"))
        continue;

      child = g_build_path ("/", path, children[i], NULL);
      bytes = g_resources_lookup_data (child, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL || !od_provider_db_add (self, children[i], bytes, error))
        return NULL;
    }

  g_ptr_array_sort (self->providers, compare_provider_id);

  return g_steal_pointer (&self);
}

/**
 * od_provider_db_new_from_directory:
 * @dir: a folder holding `*.xml` clientConfig files
 * @error: return location for an error
 *
 * Like od_provider_db_new_from_resource() for files on disk (tests, data checks).
 *
 * Returns: (transfer full): a new database, or %NULL with @error set
 */
OdProviderDb *
od_provider_db_new_from_directory (const char  *dir,
                                   GError     **error)
{
  g_autoptr(OdProviderDb) self = NULL;
  g_autoptr(GDir) gdir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  gdir = g_dir_open (dir, 0, error);
  if (gdir == NULL)
    return NULL;

  while ((name = g_dir_read_name (gdir)) != NULL)
    {
      if (g_str_has_suffix (name, ".xml"))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_string);

  self = g_object_new (OD_TYPE_PROVIDER_DB, NULL);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *filename = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GBytes) bytes = NULL;
      gsize length = 0;

      if (!g_file_get_contents (filename, &contents, &length, error))
        return NULL;
      bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
      if (!od_provider_db_add (self, g_ptr_array_index (names, i), bytes, error))
        return NULL;
    }

  g_ptr_array_sort (self->providers, compare_provider_id);

  return g_steal_pointer (&self);
}

/**
 * od_provider_db_get_default:
 *
 * The database compiled into the app, loaded on first use. Safe to call from
 * any thread. Our data is checked by the test suite; should it still fail to
 * load, this logs a critical and returns an empty database.
 *
 * Returns: (transfer none): the shared database
 */
OdProviderDb *
od_provider_db_get_default (void)
{
  static OdProviderDb *default_db;

  if (g_once_init_enter (&default_db))
    {
      g_autoptr(GError) error = NULL;
      OdProviderDb *db;

      db = od_provider_db_new_from_resource (OD_PROVIDER_DB_RESOURCE_PATH, &error);
      if (db == NULL)
        {
          g_critical ("Cannot load the provider database: %s", error->message);
          db = g_object_new (OD_TYPE_PROVIDER_DB, NULL);
        }

      g_once_init_leave (&default_db, db);
    }

  return default_db;
}

/* Lower-case ASCII (punycode for IDN), without a trailing dot; NULL if not a host name. */
static char *
normalize_domain (const char *domain)
{
  g_autofree char *ascii = NULL;
  char *lower;
  gsize len;

  if (domain == NULL || *domain == '\0' || !g_utf8_validate (domain, -1, NULL))
    return NULL;

  ascii = g_hostname_to_ascii (domain);
  if (ascii == NULL)
    return NULL;

  lower = g_ascii_strdown (ascii, -1);
  len = strlen (lower);
  if (len > 0 && lower[len - 1] == '.')
    lower[--len] = '\0';

  /* g_hostname_to_ascii() passes ASCII through unchecked: refuse what no host name holds. */
  if (len == 0 || lower[0] == '.' || strstr (lower, "..") != NULL ||
      strspn (lower, "abcdefghijklmnopqrstuvwxyz0123456789-._") != len)
    {
      g_free (lower);
      return NULL;
    }

  return lower;
}

/**
 * od_provider_db_lookup_domain:
 * @self: a database
 * @domain: a mail domain, any case, Unicode or punycode
 *
 * Returns: (transfer full) (nullable): the provider for exactly this domain
 */
OdProvider *
od_provider_db_lookup_domain (OdProviderDb *self,
                              const char   *domain)
{
  g_autofree char *normal = NULL;
  OdProvider *provider;

  g_return_val_if_fail (OD_IS_PROVIDER_DB (self), NULL);
  g_return_val_if_fail (domain != NULL, NULL);

  normal = normalize_domain (domain);
  if (normal == NULL)
    return NULL;

  provider = g_hash_table_lookup (self->by_domain, normal);

  return provider != NULL ? od_provider_ref (provider) : NULL;
}

/**
 * od_provider_db_lookup_address:
 * @self: a database
 * @address: an email address
 *
 * Returns: (transfer full) (nullable): the provider for the address's domain
 */
OdProvider *
od_provider_db_lookup_address (OdProviderDb *self,
                               const char   *address)
{
  const char *at;

  g_return_val_if_fail (OD_IS_PROVIDER_DB (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  at = strrchr (address, '@');
  if (at == NULL)
    return NULL;

  return od_provider_db_lookup_domain (self, at + 1);
}

/**
 * od_provider_db_lookup_mx:
 * @self: a database
 * @mx_host: the host name of an MX record
 *
 * Matches @mx_host against the MX suffixes of every entry: a suffix matches the
 * host itself or any name below it (`google.com` matches `aspmx.l.google.com`).
 * The longest matching suffix wins.
 *
 * Returns: (transfer full) (nullable): the provider that runs this MX host
 */
OdProvider *
od_provider_db_lookup_mx (OdProviderDb *self,
                          const char   *mx_host)
{
  g_autofree char *host = NULL;
  MxSuffix *best = NULL;
  gsize host_len;

  g_return_val_if_fail (OD_IS_PROVIDER_DB (self), NULL);
  g_return_val_if_fail (mx_host != NULL, NULL);

  host = normalize_domain (mx_host);
  if (host == NULL)
    return NULL;
  host_len = strlen (host);

  for (guint i = 0; i < self->mx_suffixes->len; i++)
    {
      MxSuffix *mx = g_ptr_array_index (self->mx_suffixes, i);
      gsize len = strlen (mx->suffix);

      if (len > host_len)
        continue;
      if (!g_str_equal (host + host_len - len, mx->suffix))
        continue;
      if (len < host_len && host[host_len - len - 1] != '.')
        continue;
      if (best == NULL || len > strlen (best->suffix))
        best = mx;
    }

  return best != NULL ? od_provider_ref (best->provider) : NULL;
}

/**
 * od_provider_db_lookup_id:
 * @self: a database
 * @id: a provider id (the emailProvider id attribute)
 *
 * Returns: (transfer full) (nullable): the provider
 */
OdProvider *
od_provider_db_lookup_id (OdProviderDb *self,
                          const char   *id)
{
  OdProvider *provider;

  g_return_val_if_fail (OD_IS_PROVIDER_DB (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  provider = g_hash_table_lookup (self->by_id, id);

  return provider != NULL ? od_provider_ref (provider) : NULL;
}

guint
od_provider_db_get_n_providers (OdProviderDb *self)
{
  g_return_val_if_fail (OD_IS_PROVIDER_DB (self), 0);

  return self->providers->len;
}

/**
 * od_provider_db_list_providers:
 * @self: a database
 *
 * Returns: (transfer full) (element-type OdProvider): every provider, sorted by id
 */
GPtrArray *
od_provider_db_list_providers (OdProviderDb *self)
{
  GPtrArray *list;

  g_return_val_if_fail (OD_IS_PROVIDER_DB (self), NULL);

  list = g_ptr_array_new_full (self->providers->len, (GDestroyNotify) od_provider_unref);
  for (guint i = 0; i < self->providers->len; i++)
    g_ptr_array_add (list, od_provider_ref (g_ptr_array_index (self->providers, i)));

  return list;
}
