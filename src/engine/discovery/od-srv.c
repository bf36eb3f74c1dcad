/* od-srv.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-srv"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "od-srv.h"

/* DNS SRV records for RFC 6186 submission lookups, and their order of use (RFC 2782). */

/**
 * od_srv_record_new:
 * @target: the host name; a trailing dot is removed, and the root ("." or "") is kept as "."
 *
 * Returns: (transfer full): a record
 */
OdSrvRecord *
od_srv_record_new (const char *target,
                   guint16     priority,
                   guint16     weight,
                   guint16     port)
{
  OdSrvRecord *record;
  gsize len;

  g_return_val_if_fail (target != NULL, NULL);

  record = g_new0 (OdSrvRecord, 1);
  len = strlen (target);
  if (len == 0 || g_str_equal (target, "."))
    record->target = g_strdup (".");
  else if (target[len - 1] == '.')
    record->target = g_ascii_strdown (target, len - 1);
  else
    record->target = g_ascii_strdown (target, len);
  record->priority = priority;
  record->weight = weight;
  record->port = port;

  return record;
}

void
od_srv_record_free (OdSrvRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->target);
  g_free (record);
}

/**
 * od_srv_records_from_variants:
 * @records: (element-type GVariant): the answer of g_resolver_lookup_records() for
 *   %G_RESOLVER_RECORD_SRV, tuples of type `(qqqs)`
 *
 * Returns: (transfer full) (element-type OdSrvRecord): the records, in the order given
 */
GPtrArray *
od_srv_records_from_variants (GList *records)
{
  GPtrArray *array = g_ptr_array_new_with_free_func ((GDestroyNotify)od_srv_record_free);

  for (GList *l = records; l != NULL; l = l->next)
    {
      guint16 priority, weight, port;
      const char *target;

      if (!g_variant_is_of_type (l->data, G_VARIANT_TYPE ("(qqqs)")))
        continue;

      g_variant_get (l->data, "(qqq&s)", &priority, &weight, &port, &target);
      g_ptr_array_add (array, od_srv_record_new (target, priority, weight, port));
    }

  return array;
}

/**
 * od_srv_records_not_offered:
 *
 * RFC 2782: "A Target of "." means that the service is decidedly not available at this
 * domain." RFC 6186 §3.4 says the same for mail.
 *
 * Returns: %TRUE when @records is a single record whose target is "."
 */
gboolean
od_srv_records_not_offered (GPtrArray *records)
{
  g_return_val_if_fail (records != NULL, FALSE);

  return records->len == 1 &&
         g_str_equal (((OdSrvRecord *)g_ptr_array_index (records, 0))->target, ".");
}

static int
compare_priority (gconstpointer a,
                  gconstpointer b)
{
  const OdSrvRecord *ra = *(const OdSrvRecord * const *)a;
  const OdSrvRecord *rb = *(const OdSrvRecord * const *)b;

  if (ra->priority != rb->priority)
    return ra->priority < rb->priority ? -1 : 1;

  /* RFC 2782: records of weight 0 are placed at the beginning before the selection. */
  if ((ra->weight == 0) != (rb->weight == 0))
    return ra->weight == 0 ? -1 : 1;

  return 0;
}

/**
 * od_srv_records_sort:
 * @records: (element-type OdSrvRecord): records from one lookup
 * @rand: (nullable): the random source for the weighted choice; %NULL uses g_random
 *
 * Orders the records the way RFC 2782 says a client tries them: lowest priority first, and
 * within one priority a weighted random order (a record of weight 10 comes first twice as
 * often as one of weight 5; weight 0 records come first only rarely). Records whose target
 * is "." are dropped.
 *
 * Returns: (transfer full) (element-type OdSrvRecord): a new array, in the order to try
 */
GPtrArray *
od_srv_records_sort (GPtrArray *records,
                     GRand     *rand)
{
  g_autoptr(GPtrArray) work = g_ptr_array_new ();
  GPtrArray *sorted = g_ptr_array_new_with_free_func ((GDestroyNotify)od_srv_record_free);
  guint i = 0;

  g_return_val_if_fail (records != NULL, NULL);

  for (guint j = 0; j < records->len; j++)
    {
      OdSrvRecord *r = g_ptr_array_index (records, j);

      if (!g_str_equal (r->target, "."))
        g_ptr_array_add (work, r);
    }

  /* g_ptr_array_sort is a stable merge sort in GLib: equal keys keep the DNS order. */
  g_ptr_array_sort (work, compare_priority);

  while (i < work->len)
    {
      guint16 priority = ((OdSrvRecord *)g_ptr_array_index (work, i))->priority;
      guint end = i;

      while (end < work->len && ((OdSrvRecord *)g_ptr_array_index (work, end))->priority == priority)
        end++;

      /* Weighted selection among work[i..end), one record at a time. */
      while (i < end)
        {
          guint32 sum = 0, running = 0, pick;
          guint chosen = end - 1;

          for (guint k = i; k < end; k++)
            sum += ((OdSrvRecord *)g_ptr_array_index (work, k))->weight;

          /* A uniform number in [0, sum] */
          if (rand != NULL)
            pick = sum == 0 ? 0 : (guint32)g_rand_int_range (rand, 0, (gint32)sum + 1);
          else
            pick = sum == 0 ? 0 : (guint32)g_random_int_range (0, (gint32)sum + 1);

          for (guint k = i; k < end; k++)
            {
              running += ((OdSrvRecord *)g_ptr_array_index (work, k))->weight;
              if (running >= pick)
                {
                  chosen = k;
                  break;
                }
            }

          {
            OdSrvRecord *r = g_ptr_array_index (work, chosen);

            g_ptr_array_add (sorted, od_srv_record_new (r->target, r->priority, r->weight, r->port));
            /* Keep the remaining order: move the chosen one out by shifting. */
            g_ptr_array_remove_index (work, chosen);
            g_ptr_array_insert (work, i, r);
          }
          i++;
        }
    }

  return sorted;
}
