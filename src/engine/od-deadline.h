/* od-deadline.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A deadline for one operation: a GCancellable of its own that the caller's cancellable
 * cancels, and that a timer cancels when the time is up. Whoever reads a
 * %G_IO_ERROR_CANCELLED asks od_deadline_has_expired() whether it was the clock. */
typedef struct _OdDeadline OdDeadline;

typedef void (*OdDeadlineFunc) (gpointer user_data);

OdDeadline   *od_deadline_new              (GCancellable   *parent,
                                            guint           timeout_ms,
                                            const char     *name);
void          od_deadline_free             (OdDeadline     *self);
GCancellable *od_deadline_get_cancellable  (OdDeadline     *self);
gboolean      od_deadline_has_expired      (OdDeadline     *self);
guint         od_deadline_get_timeout      (OdDeadline     *self);
void          od_deadline_restart          (OdDeadline     *self,
                                            guint           timeout_ms);
void          od_deadline_stop             (OdDeadline     *self);
void          od_deadline_set_expired_func (OdDeadline     *self,
                                            OdDeadlineFunc  func,
                                            gpointer        user_data);
gboolean      od_deadline_timed_out_error  (OdDeadline     *self,
                                            GError        **error,
                                            GQuark          domain,
                                            int             code,
                                            const char     *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdDeadline, od_deadline_free)

G_END_DECLS
