/* od-found-accounts.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <glib/gi18n.h>

#include "od-found-accounts.h"

/* The search: one GTask per reader in GLib's worker threads, and one timer. What a reader
 * finds is copied into its result under the search's lock only if the search still waits
 * for it: a reader that ends after the deadline (it cannot be stopped, only asked to through
 * the cancellable) leaves its accounts to itself and frees them. The search is reference
 * counted so that such a late reader still has it. */

typedef struct
{
  gatomicrefcount  ref_count;
  GMutex           mutex;
  GTask           *task;       /* NULL once returned */
  GCancellable    *cancellable; /* the readers': cancelled at the deadline or by the caller */
  GPtrArray       *results;    /* of OdFoundResult, one per reader */
  char            *home;
  char            *config_home;
  GSource         *timer;
  guint            pending;
  gulong           cancelled_id;
  GCancellable    *caller;
  GMainContext    *context;    /* the caller's */
} Search;

typedef struct
{
  Search                  *search;
  guint                    index;
  OdFoundReader            read;
} Job;

void
od_found_result_free (OdFoundResult *result)
{
  if (result == NULL)
    return;

  g_free (result->origin);
  g_clear_pointer (&result->accounts, g_ptr_array_unref);
  g_clear_error (&result->error);
  g_free (result);
}

static Search *
search_ref (Search *search)
{
  g_atomic_ref_count_inc (&search->ref_count);
  return search;
}

static void
search_unref (Search *search)
{
  if (!g_atomic_ref_count_dec (&search->ref_count))
    return;

  g_assert (search->task == NULL);
  g_clear_pointer (&search->results, g_ptr_array_unref);
  g_clear_object (&search->cancellable);
  g_free (search->home);
  g_free (search->config_home);
  g_main_context_unref (search->context);
  g_mutex_clear (&search->mutex);
  g_free (search);
}

static OdFoundAccount *
lookup_account (GPtrArray  *results,
                const char *origin,
                const char *id)
{
  for (guint i = 0; i < results->len; i++)
    {
      OdFoundResult *result = g_ptr_array_index (results, i);

      if (!g_str_equal (result->origin, origin) || result->accounts == NULL)
        continue;
      for (guint j = 0; j < result->accounts->len; j++)
        if (g_str_equal (od_found_account_get_id (g_ptr_array_index (result->accounts, j)), id))
          return g_ptr_array_index (result->accounts, j);
    }

  return NULL;
}

/* A reader may say something about another client's account (Evolution: "Evolution sends
 * mail through this account too" on a GOA account it uses) by adding an account of that
 * other origin with the note: the readers run apart, so the note is moved here onto that
 * client's account of the same id, and the messenger dropped (with the note, when that
 * client did not list the account). */
static void
move_notes_to_their_clients (GPtrArray *results)
{
  for (guint i = 0; i < results->len; i++)
    {
      OdFoundResult *result = g_ptr_array_index (results, i);

      for (guint j = result->accounts ? result->accounts->len : 0; j-- > 0;)
        {
          OdFoundAccount *messenger = g_ptr_array_index (result->accounts, j);
          const char *origin = od_found_account_get_origin (messenger);
          OdFoundAccount *target;
          const char * const *notes;

          if (g_str_equal (origin, result->origin))
            continue;

          target = lookup_account (results, origin, od_found_account_get_id (messenger));
          notes = od_found_account_get_notes (messenger);
          for (guint k = 0; target != NULL && notes[k] != NULL; k++)
            if (!g_strv_contains (od_found_account_get_notes (target), notes[k]))
              od_found_account_add_note (target, notes[k]);
          g_ptr_array_remove_index (result->accounts, j);
        }
    }
}

/* On the caller's main context, once: every reader answered, the deadline came, or the
 * caller cancelled. The search is marked finished under the lock; the caller's cancellable
 * is let go and the task returned after it, so that the caller's callback (which may run
 * at once, and may spin a main loop) never runs with the lock held. */
static void
finish (Search *search)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GCancellable) caller = NULL;
  gulong cancelled_id;
  gboolean cancelled;

  g_mutex_lock (&search->mutex);
  task = g_steal_pointer (&search->task);
  if (task == NULL)
    {
      g_mutex_unlock (&search->mutex);
      return;
    }

  if (search->timer != NULL)
    {
      g_source_destroy (search->timer);
      g_clear_pointer (&search->timer, g_source_unref);
    }
  caller = g_steal_pointer (&search->caller);
  cancelled_id = search->cancelled_id;
  search->cancelled_id = 0;

  /* The readers still running are told to stop; their results are final as they are. */
  for (guint i = 0; i < search->results->len; i++)
    {
      OdFoundResult *result = g_ptr_array_index (search->results, i);

      if (result->elapsed_us < 0 && result->error == NULL)
        result->error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                     _("Reading this mail client’s settings took too long"));
    }
  g_cancellable_cancel (search->cancellable);

  results = g_steal_pointer (&search->results);
  search->results = g_ptr_array_new ();
  g_mutex_unlock (&search->mutex);

  move_notes_to_their_clients (results);

  if (cancelled_id != 0)
    g_cancellable_disconnect (caller, cancelled_id);
  cancelled = caller != NULL && g_cancellable_is_cancelled (caller);

  if (cancelled)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The search for mail accounts was stopped"));
  else
    g_task_return_pointer (task, g_steal_pointer (&results),
                           (GDestroyNotify)g_ptr_array_unref);
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Search *search = user_data;
  gboolean last;

  g_mutex_lock (&search->mutex);
  last = search->task != NULL && --search->pending == 0;
  g_mutex_unlock (&search->mutex);
  if (last)
    finish (search);
  search_unref (search);
}

static void
job_free (Job *job)
{
  search_unref (job->search);
  g_free (job);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  Search *search = job->search;
  const OdFoundContext context = { search->home, search->config_home, search->cancellable };
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  gboolean ok;

  ok = job->read (&context, found, &error);
  if (!ok && error == NULL)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                 _("This mail client’s settings could not be read"));

  g_mutex_lock (&search->mutex);
  if (search->task != NULL)
    {
      OdFoundResult *result = g_ptr_array_index (search->results, job->index);

      result->accounts = g_steal_pointer (&found);
      result->error = g_steal_pointer (&error);
      result->elapsed_us = g_get_monotonic_time () - started;
    }
  g_mutex_unlock (&search->mutex);

  g_task_return_boolean (task, TRUE);
}

static gboolean
timer_cb (gpointer user_data)
{
  Search *search = user_data;

  g_mutex_lock (&search->mutex);
  g_clear_pointer (&search->timer, g_source_unref);
  g_mutex_unlock (&search->mutex);
  finish (search);

  return G_SOURCE_REMOVE;
}

static gboolean
caller_cancelled_idle (gpointer user_data)
{
  Search *search = user_data;

  finish (search);

  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  Search *search = user_data;
  g_autoptr(GSource) idle = g_idle_source_new ();

  /* Later, on the search's context: the handler may run in any thread, and must not
   * disconnect itself. */
  g_cancellable_cancel (search->cancellable);
  g_source_set_callback (idle, caller_cancelled_idle, search_ref (search),
                         (GDestroyNotify)search_unref);
  g_source_set_name (idle, "[od] found accounts cancelled");
  g_source_attach (idle, search->context);
}

/**
 * od_found_accounts_find_async:
 * @readers: the clients' readers (each origin once)
 * @home: the home directory to read under
 * @config_home: (nullable): XDG_CONFIG_HOME, %NULL for HOME/.config
 * @timeout_ms: the deadline for all of them, 0 for %OD_FOUND_DEFAULT_TIMEOUT_MS
 *
 * Runs every reader at once. The result has one OdFoundResult per reader, in @readers'
 * order, whatever became of it; @error only when the caller cancelled.
 */
void
od_found_accounts_find_async (const OdFoundReaderInfo *readers,
                              guint                    n_readers,
                              const char              *home,
                              const char              *config_home,
                              guint                    timeout_ms,
                              GCancellable            *cancellable,
                              GAsyncReadyCallback      callback,
                              gpointer                 user_data)
{
  Search *search;

  g_return_if_fail (readers != NULL || n_readers == 0);
  g_return_if_fail (home != NULL);

  /* GLib's number parsers (g_ascii_string_to_unsigned() and the g_ascii_strto*() under it)
   * make their C locale on first use behind a g_once. A reader thread that waited there
   * for another came back with errno set by the wait, which the parser took for a failure:
   * "port 587" was sometimes invalid. So the locale is made here, before any reader runs. */
  (void) g_ascii_strtoull ("0", NULL, 10);

  search = g_new0 (Search, 1);
  g_atomic_ref_count_init (&search->ref_count);
  g_mutex_init (&search->mutex);
  search->task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (search->task, od_found_accounts_find_async);
  g_task_set_check_cancellable (search->task, FALSE);
  search->cancellable = g_cancellable_new ();
  search->results = g_ptr_array_new_with_free_func ((GDestroyNotify)od_found_result_free);
  search->home = g_strdup (home);
  search->config_home = config_home ? g_strdup (config_home)
                                    : g_build_filename (home, ".config", NULL);
  search->pending = n_readers;

  for (guint i = 0; i < n_readers; i++)
    {
      OdFoundResult *result = g_new0 (OdFoundResult, 1);

      result->origin = g_strdup (readers[i].origin);
      result->elapsed_us = -1;
      g_ptr_array_add (search->results, result);
    }

  search->context = g_main_context_ref_thread_default ();
  if (n_readers == 0)
    {
      finish (search);
      search_unref (search);
      return;
    }

  search->timer = g_timeout_source_new (timeout_ms ? timeout_ms : OD_FOUND_DEFAULT_TIMEOUT_MS);
  g_source_set_callback (search->timer, timer_cb, search, NULL);
  g_source_set_name (search->timer, "[od] found accounts deadline");
  g_source_attach (search->timer, search->context);

  /* The jobs end on this context (job_done_cb), so none can finish the search before this
   * function returns. */
  for (guint i = 0; i < n_readers; i++)
    {
      g_autoptr(GTask) job_task = g_task_new (NULL, NULL, job_done_cb, search_ref (search));
      Job *job = g_new0 (Job, 1);

      job->search = search_ref (search);
      job->index = i;
      job->read = readers[i].read;
      g_task_set_task_data (job_task, job, (GDestroyNotify)job_free);
      g_task_run_in_thread (job_task, job_thread);
    }

  if (cancellable != NULL)
    {
      search->caller = g_object_ref (cancellable);
      search->cancelled_id = g_cancellable_connect (cancellable,
                                                    G_CALLBACK (caller_cancelled_cb),
                                                    search, NULL);
    }

  /* The timer holds the search until it fires or is destroyed in finish(): the last
   * reference goes with the last job. */
  search_unref (search);
}

/**
 * od_found_accounts_find_finish:
 *
 * Returns: (transfer container) (element-type OdFoundResult): one result per reader
 */
GPtrArray *
od_found_accounts_find_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
