/* od-file-lock.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How long to wait for another process to finish its change of a file. */
#define OD_FILE_LOCK_DEFAULT_TIMEOUT_MS 5000

typedef struct _OdFileLock OdFileLock;

OdFileLock *od_file_lock_acquire (const char  *path,
                                  guint        timeout_ms,
                                  GError     **error);
void        od_file_lock_release (OdFileLock  *lock);

gboolean    od_file_read_nofollow (const char  *path,
                                   gsize        max_size,
                                   char       **data,
                                   gsize       *len,
                                   GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdFileLock, od_file_lock_release)

G_END_DECLS
