/* od-file-lock.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-file-lock"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "od-file-lock.h"

/* An exclusive lock between processes (flock() on a lock file of its own, beside the file
 * it guards), so that two programs changing the same file take turns: the CLI in two
 * terminals, or the CLI while the app is open. The lock file is never a symbolic link and
 * never holds anything; the lock goes away with the process that held it, even a killed one.
 *
 * Waiting is a loop of short tries until a deadline: the holders keep it for the few
 * milliseconds of a read, a change and a write, so the loop ends at once in practice, and a
 * stuck holder gives a clear error instead of a hang.
 *
 * The file itself is read with od_file_read_nofollow(): never through a symbolic link. */

#define RETRY_MS 10

struct _OdFileLock
{
  int fd;
};

/**
 * od_file_lock_acquire:
 * @path: the lock file (created with mode 0600 if missing; its folder must exist)
 * @timeout_ms: how long to wait for another holder
 *
 * Returns: (transfer full): the lock, held until od_file_lock_release(); or %NULL with
 *   @error: %G_IO_ERROR_BUSY when another process held it for @timeout_ms, or the error of
 *   opening the file (%G_IO_ERROR_TOO_MANY_LINKS for a symbolic link)
 */
OdFileLock *
od_file_lock_acquire (const char  *path,
                      guint        timeout_ms,
                      GError     **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  OdFileLock *lock;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = g_open (path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not open the lock file “%s”: %s"), path, g_strerror (saved_errno));
      return NULL;
    }

  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;

      if (saved_errno != EWOULDBLOCK || g_get_monotonic_time () >= deadline)
        {
          if (saved_errno == EWOULDBLOCK)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                         _("Another program is changing your accounts and has not finished "
                           "after %u seconds (it holds “%s”). Try again in a moment; if this "
                           "keeps happening, close other Outbox Doctor windows and commands."),
                         (timeout_ms + 999) / 1000, path);
          else
            g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                         _("Could not lock “%s”: %s"), path, g_strerror (saved_errno));
          close (fd);
          return NULL;
        }

      g_usleep (RETRY_MS * 1000);
    }

  lock = g_new0 (OdFileLock, 1);
  lock->fd = fd;

  return lock;
}

/**
 * od_file_lock_release:
 *
 * Lets the next process in.
 */
void
od_file_lock_release (OdFileLock *lock)
{
  if (lock == NULL)
    return;

  flock (lock->fd, LOCK_UN);
  close (lock->fd);
  g_free (lock);
}

/**
 * od_file_read_nofollow:
 * @max_size: read at most this many bytes and one more, so that a file too large shows
 *   as such
 * @data: (out): the bytes read, nul-terminated
 *
 * Reads a file, never through a symbolic link (O_NOFOLLOW: %G_FILE_ERROR_LOOP), and only a
 * regular file (%G_FILE_ERROR_INVAL otherwise).
 *
 * Returns: %TRUE, or %FALSE with @error (in %G_FILE_ERROR)
 */
gboolean
od_file_read_nofollow (const char  *path,
                       gsize        max_size,
                       char       **data,
                       gsize       *len,
                       GError     **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  guint8 chunk[8192];
  GStatBuf st;
  int fd;

  fd = g_open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s",
                   g_strerror (saved));
      return FALSE;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                           _("it is not a regular file"));
      close (fd);
      return FALSE;
    }

  while (bytes->len <= max_size)
    {
      gssize n = read (fd, chunk, sizeof chunk);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s",
                       g_strerror (saved));
          close (fd);
          return FALSE;
        }
      if (n == 0)
        break;
      g_byte_array_append (bytes, chunk, n);
    }
  close (fd);

  *len = bytes->len;
  g_byte_array_append (bytes, (const guint8 *)"", 1);
  *data = (char *) g_byte_array_free (g_steal_pointer (&bytes), FALSE);
  return TRUE;
}
