/* od-found-export-file.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "od-found-export-private.h"
#include "od-found-fix-files.h"

/* Adding to another program's configuration file without losing a byte of it: the file is
 * never written in place. An existing file goes through the fixers' writer
 * (od_fix_replace_file(): a backup FILE.outbox-doctor-backup-DATE-TIME beside it, the new
 * contents in a temporary file in the same folder with the old file's permissions, renamed
 * over it). A new file is made aside and linked into place only if nobody made one
 * meanwhile. A symbolic link, a read-only file, another user's file and a file that changed
 * since it was read are refused. */

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               /* Translators: "~/.msmtprc: Permission denied" */
               _("%s: %s"), display, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        length,
           const char  *path,
           GError     **error)
{
  while (length > 0)
    {
      gssize written = write (fd, data, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written < 0)
        return set_errno_error (error, errno, path);
      data += written;
      length -= written;
    }
  if (fsync (fd) != 0)
    return set_errno_error (error, errno, path);
  return TRUE;
}

/* A new file beside @path with @contents; its name in @tmp_path. */
static int
write_temporary (const char  *path,
                 const char  *contents,
                 int          mode,
                 char       **tmp_path,
                 GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *template = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  int fd = g_mkstemp_full (template, O_RDWR | O_CLOEXEC, mode);

  if (fd < 0)
    {
      set_errno_error (error, errno, dir);
      return -1;
    }
  /* g_mkstemp_full() is subject to the umask: the mode is set as asked. */
  if (fchmod (fd, mode) != 0 || !write_all (fd, contents, strlen (contents), template, error))
    {
      if (error != NULL && *error == NULL)
        set_errno_error (error, errno, template);
      close (fd);
      g_unlink (template);
      return -1;
    }
  *tmp_path = g_steal_pointer (&template);
  return fd;
}

/**
 * od_found_export_file_check:
 *
 * Returns: %TRUE when @path may be written: it does not exist, or it is a regular file its
 *   owner may write (not a symbolic link), in a folder that may be written, and not larger
 *   than the readers read
 */
gboolean
od_found_export_file_check (const char  *path,
                            GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *dir = g_path_get_dirname (path);
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return errno == ENOENT ? TRUE : set_errno_error (error, errno, path);

  if (S_ISLNK (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   /* Translators: %s is a file name */
                   _("%s is a symbolic link: Outbox Doctor does not write through it. Add the "
                     "account where the link points by hand (--print shows it)."), display);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("%s is not a regular file: nothing was written."), display);
      return FALSE;
    }
  /* The owner's write permission counts even for root, who may write anything. */
  if ((st.st_mode & S_IWUSR) == 0 || g_access (path, W_OK) != 0 || g_access (dir, W_OK) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("%s is read-only (or its folder is): nothing was written. Add the account "
                     "by hand (--print shows it)."), display);
      return FALSE;
    }
  if (st.st_size > OD_FOUND_MAX_FILE_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("%s is too large to be changed by Outbox Doctor."), display);
      return FALSE;
    }
  return TRUE;
}

/**
 * od_found_export_file_joined:
 * @existing: (nullable): the file's contents, %NULL when there is no file
 *
 * Returns: (transfer full): @existing with @text after it, an empty line between (and a
 *   line break added to a last line that has none)
 */
char *
od_found_export_file_joined (const char *existing,
                             const char *text)
{
  gsize len = existing != NULL ? strlen (existing) : 0;

  if (len == 0)
    return g_strdup (text);
  return g_strconcat (existing, existing[len - 1] == '\n' ? "" : "\n", "\n", text, NULL);
}

/* A new file: made aside, then linked into place, which fails if one appeared. */
static gboolean
create_file (const char  *path,
             const char  *text,
             GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp = NULL;
  int fd, saved_errno;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_errno_error (error, errno, dir);
  fd = write_temporary (path, text, 0600, &tmp, error);
  if (fd < 0)
    return FALSE;
  close (fd);
  if (link (tmp, path) != 0)
    {
      saved_errno = errno;
      g_unlink (tmp);
      if (saved_errno == EEXIST)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _("%s was made by another program meanwhile: nothing was written. "
                         "Try again."), path);
          return FALSE;
        }
      return set_errno_error (error, saved_errno, path);
    }
  g_unlink (tmp);
  return TRUE;
}

/**
 * od_found_export_file_replace:
 * @expected: (nullable): the contents the file had when the export was planned (%NULL: no
 *   file then)
 * @contents: the file's new contents
 * @backup: (out) (optional) (nullable): the backup of the old file
 *
 * Writes @contents to @path: a new file as create_file() makes it, an existing one (which
 * must still hold @expected) through the fixers' writer, od_fix_replace_file(): a backup
 * beside it, then the new file renamed over it. See the top of this file.
 *
 * Returns: %TRUE when the file was written
 */
gboolean
od_found_export_file_replace (const char  *path,
                              const char  *expected,
                              const char  *contents,
                              char       **backup,
                              GError     **error)
{
  g_autofree char *current = NULL;
  g_autofree char *display = g_filename_display_name (path);
  gsize length = 0;
  GStatBuf st;

  if (backup != NULL)
    *backup = NULL;
  if (!od_found_export_file_check (path, error))
    return FALSE;
  if (g_lstat (path, &st) != 0)
    {
      if (expected != NULL)
        goto changed;
      return create_file (path, contents, error);
    }
  if (!od_fix_load_file (path, &current, &length, &st, error))
    return FALSE;
  if (expected == NULL || length != strlen (expected) || memcmp (current, expected, length) != 0)
    goto changed;
  return od_fix_replace_file (path, &st, current, length, contents, strlen (contents), backup,
                              error);

changed:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_MERGE,
               /* Translators: %s is a file name */
               _("%s changed while the account was being prepared: nothing was written. Try "
                 "again."), display);
  return FALSE;
}

/**
 * od_found_export_file_append:
 * @expected: (nullable): the contents the file had when the export was planned (%NULL: no
 *   file then)
 * @text: what to add
 * @backup: (out) (optional) (nullable): the backup of the old file
 *
 * Adds @text to @path as od_found_export_file_joined() joins them, keeping every byte of the
 * file (od_found_export_file_replace()).
 *
 * Returns: %TRUE when the file was written
 */
gboolean
od_found_export_file_append (const char  *path,
                             const char  *expected,
                             const char  *text,
                             char       **backup,
                             GError     **error)
{
  g_autofree char *joined = od_found_export_file_joined (expected, text);

  return od_found_export_file_replace (path, expected, joined, backup, error);
}
