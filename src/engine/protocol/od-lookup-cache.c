/* od-lookup-cache.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-lookup-cache"

#include "config.h"

#include "od-lookup-cache.h"

/* Name lookups shared by the connections of one run (the probes of one discovery). The
 * guesses alone propose each host on four ports, and every lookup takes a thread of GIO's
 * shared pool (ten threads), so looking a host up once per candidate queued the lookups
 * behind each other, the autoconfig server's among them, and cost a round trip. One lookup
 * per host serves every connection to that host; each still waits with its own deadline and
 * cancellable. */
struct _OdLookupCache
{
  gatomicrefcount  ref_count;
  GHashTable      *lookups;   /* host → Lookup */
};

typedef struct
{
  GList     *addresses;  /* once done: the result, or NULL with error */
  GError    *error;
  gboolean   done;
  GPtrArray *waiters;    /* GTask, waiting for the result */
} Lookup;

typedef struct
{
  OdLookupCache *cache;
  Lookup        *lookup;         /* owned by the cache */
  GSource       *cancel_source;
} Waiter;

static void
lookup_free (Lookup *lookup)
{
  g_assert (lookup->waiters->len == 0);
  g_resolver_free_addresses (lookup->addresses);
  g_clear_error (&lookup->error);
  g_ptr_array_unref (lookup->waiters);
  g_free (lookup);
}

/**
 * od_lookup_cache_new:
 *
 * Returns: (transfer full): an empty cache of name lookups, for the probes of one run
 */
OdLookupCache *
od_lookup_cache_new (void)
{
  OdLookupCache *self = g_new0 (OdLookupCache, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->lookups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)lookup_free);
  return self;
}

OdLookupCache *
od_lookup_cache_ref (OdLookupCache *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
od_lookup_cache_unref (OdLookupCache *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_hash_table_unref (self->lookups);
      g_free (self);
    }
}

static void
waiter_free (Waiter *waiter)
{
  g_assert (waiter->cancel_source == NULL);
  od_lookup_cache_unref (waiter->cache);
  g_free (waiter);
}

static void
waiter_stop_watching (Waiter *waiter)
{
  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_clear_pointer (&waiter->cancel_source, g_source_unref);
    }
}

static gpointer
copy_object (gconstpointer object,
             gpointer      user_data)
{
  return g_object_ref ((gpointer)object);
}

/* Gives a waiting task the result it waits for. */
static void
waiter_return (GTask  *task,
               Lookup *lookup)
{
  waiter_stop_watching (g_task_get_task_data (task));

  if (lookup->error != NULL)
    g_task_return_error (task, g_error_copy (lookup->error));
  else
    g_task_return_pointer (task,
                           g_list_copy_deep (lookup->addresses, copy_object, NULL),
                           (GDestroyNotify)g_resolver_free_addresses);
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Waiter *waiter = g_task_get_task_data (task);
  g_autoptr(GTask) owned = NULL;

  g_clear_pointer (&waiter->cancel_source, g_source_unref);

  /* Only this waiter stops: the lookup goes on for the others. */
  if (g_ptr_array_find (waiter->lookup->waiters, task, NULL))
    {
      owned = g_object_ref (task);
      g_ptr_array_remove (waiter->lookup->waiters, task);
      g_task_return_new_error (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The name lookup was cancelled");
    }

  return G_SOURCE_REMOVE;
}

typedef struct
{
  OdLookupCache *cache;
  char          *host;
} LookupRun;

static void
shared_lookup_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  LookupRun *run = user_data;
  Lookup *lookup = g_hash_table_lookup (run->cache->lookups, run->host);
  g_autoptr(GPtrArray) waiters = NULL;

  g_assert (lookup != NULL && !lookup->done);

  lookup->addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result,
                                                        &lookup->error);
  lookup->done = TRUE;

  waiters = g_steal_pointer (&lookup->waiters);
  lookup->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    waiter_return (g_ptr_array_index (waiters, i), lookup);

  od_lookup_cache_unref (run->cache);
  g_free (run->host);
  g_free (run);
}

/**
 * od_lookup_cache_lookup_async:
 * @cancellable: (nullable): stops this caller's wait; the lookup goes on for the others
 *
 * Like g_resolver_lookup_by_name_async(), with one lookup per host for all callers.
 */
void
od_lookup_cache_lookup_async (OdLookupCache       *self,
                              const char          *host,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Lookup *lookup = g_hash_table_lookup (self->lookups, host);
  Waiter *waiter = g_new0 (Waiter, 1);

  g_task_set_source_tag (task, od_lookup_cache_lookup_async);

  if (lookup == NULL)
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();
      LookupRun *run = g_new0 (LookupRun, 1);

      lookup = g_new0 (Lookup, 1);
      lookup->waiters = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->lookups, g_strdup (host), lookup);

      run->cache = od_lookup_cache_ref (self);
      run->host = g_strdup (host);
      /* Not cancellable: the lookup serves every probe of the host, each of which stops
       * waiting on its own deadline or cancellation. */
      g_resolver_lookup_by_name_async (resolver, host, NULL, shared_lookup_cb, run);
    }

  waiter->cache = od_lookup_cache_ref (self);
  waiter->lookup = lookup;
  g_task_set_task_data (task, waiter, (GDestroyNotify)waiter_free);

  if (lookup->done)
    {
      waiter_return (task, lookup);
      return;
    }

  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (waiter_cancelled_cb),
                             task, NULL);
      g_source_set_name (waiter->cancel_source, "[od] shared lookup cancelled");
      g_source_attach (waiter->cancel_source, g_main_context_get_thread_default ());
    }

  g_ptr_array_add (lookup->waiters, g_steal_pointer (&task));
}

/**
 * od_lookup_cache_lookup_finish:
 *
 * Returns: (transfer full): the addresses, free them with g_resolver_free_addresses()
 */
GList *
od_lookup_cache_lookup_finish (GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
