/* od-deadline.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-deadline"

#include "config.h"

#include "od-deadline.h"

/* Every network and keyring operation of the engine has a deadline and can be cancelled by
 * its caller. Both end the operation the same way, through one cancellable; the flag says
 * which of the two it was, so a time-out is reported as a time-out. */
struct _OdDeadline
{
  GCancellable   *cancellable;
  GCancellable   *parent;
  gulong          parent_handler;
  GSource        *timer;
  char           *name;
  guint           timeout_ms;
  gboolean        expired;
  OdDeadlineFunc  expired_func;
  gpointer        expired_data;
};

static gboolean
timer_cb (gpointer user_data)
{
  OdDeadline *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  self->expired = TRUE;
  g_cancellable_cancel (self->cancellable);

  /* Last: the function may free the deadline. */
  if (self->expired_func != NULL)
    self->expired_func (self->expired_data);

  return G_SOURCE_REMOVE;
}

/**
 * od_deadline_new:
 * @parent: (nullable): the caller's cancellable; cancelling it cancels the deadline's
 * @timeout_ms: how long the operation may take, or 0 for no time limit
 * @name: (nullable): the timer's name, for debugging
 *
 * Starts the clock at once, on the thread-default main context.
 *
 * Returns: (transfer full): a deadline; free it with od_deadline_free() when the operation
 *   is over
 */
OdDeadline *
od_deadline_new (GCancellable *parent,
                 guint         timeout_ms,
                 const char   *name)
{
  OdDeadline *self;

  g_return_val_if_fail (!parent || G_IS_CANCELLABLE (parent), NULL);

  self = g_new0 (OdDeadline, 1);
  self->cancellable = g_cancellable_new ();
  self->name = g_strdup (name ? name : "[od] deadline");

  if (parent != NULL)
    {
      self->parent = g_object_ref (parent);
      /* A plain signal handler rather than g_cancellable_connect(): disconnecting it is
       * safe even from inside the parent's own "cancelled" emission. */
      self->parent_handler = g_signal_connect_object (parent, "cancelled",
                                                      G_CALLBACK (g_cancellable_cancel),
                                                      self->cancellable, G_CONNECT_SWAPPED);
      if (g_cancellable_is_cancelled (parent))
        g_cancellable_cancel (self->cancellable);
    }

  od_deadline_restart (self, timeout_ms);

  return self;
}

/**
 * od_deadline_free:
 *
 * Stops the clock and lets go of the caller's cancellable. The operation's cancellable stays
 * valid for whoever still holds a reference to it.
 */
void
od_deadline_free (OdDeadline *self)
{
  if (self == NULL)
    return;

  od_deadline_stop (self);

  if (self->parent_handler != 0)
    g_signal_handler_disconnect (self->parent, self->parent_handler);
  g_clear_object (&self->parent);
  g_clear_object (&self->cancellable);
  g_free (self->name);
  g_free (self);
}

/**
 * od_deadline_get_cancellable:
 *
 * Returns: (transfer none): the cancellable to give the operation
 */
GCancellable *
od_deadline_get_cancellable (OdDeadline *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->cancellable;
}

/**
 * od_deadline_has_expired:
 *
 * Returns: whether the time ran out (rather than the caller cancelling)
 */
gboolean
od_deadline_has_expired (OdDeadline *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->expired;
}

guint
od_deadline_get_timeout (OdDeadline *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->timeout_ms;
}

/**
 * od_deadline_restart:
 * @timeout_ms: the new time limit from now, or 0 for none
 *
 * Starts the clock again, for the next part of an operation that shares the cancellable.
 * A deadline that already expired stays expired.
 */
void
od_deadline_restart (OdDeadline *self,
                     guint       timeout_ms)
{
  g_return_if_fail (self != NULL);

  od_deadline_stop (self);
  self->timeout_ms = timeout_ms;

  if (timeout_ms == 0 || self->expired)
    return;

  self->timer = g_timeout_source_new (timeout_ms);
  g_source_set_callback (self->timer, timer_cb, self, NULL);
  g_source_set_static_name (self->timer, self->name);
  g_source_attach (self->timer, g_main_context_get_thread_default ());
}

/**
 * od_deadline_stop:
 *
 * Stops the clock; the caller's cancellable still cancels.
 */
void
od_deadline_stop (OdDeadline *self)
{
  g_return_if_fail (self != NULL);

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
}

/**
 * od_deadline_set_expired_func:
 * @func: (nullable): called once the time has run out, after the cancellable was cancelled
 *
 * For operations that must end at their deadline even if what they wait for never answers
 * (a hung keyring daemon). @func may free the deadline.
 */
void
od_deadline_set_expired_func (OdDeadline     *self,
                              OdDeadlineFunc  func,
                              gpointer        user_data)
{
  g_return_if_fail (self != NULL);

  self->expired_func = func;
  self->expired_data = user_data;
}

/**
 * od_deadline_timed_out_error:
 * @error: (inout) (nullable): the error an operation under this deadline ended with
 * @domain: the domain of the error that replaces it
 * @code: its code
 * @message: its message
 *
 * An operation stopped by the clock reports %G_IO_ERROR_CANCELLED: when the deadline expired,
 * this replaces that error by the one given (usually %G_IO_ERROR_TIMED_OUT).
 *
 * Returns: whether @error was replaced
 */
gboolean
od_deadline_timed_out_error (OdDeadline  *self,
                             GError     **error,
                             GQuark       domain,
                             int          code,
                             const char  *message)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  if (error == NULL || !self->expired ||
      !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  /* The caller cancelled as well: that is the stronger reason. */
  if (self->parent != NULL && g_cancellable_is_cancelled (self->parent))
    return FALSE;

  g_clear_error (error);
  g_set_error_literal (error, domain, code, message);
  return TRUE;
}
