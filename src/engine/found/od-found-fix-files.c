/* od-found-fix-files.c
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

#include "od-found-dotfile.h"
#include "od-found-fix-files.h"
#include "od-text.h"

/* What the fixers of the file-based clients share: the text as lines with splices, the
 * careful reading and the atomic writing of the file with its backup, the values checked
 * before they go into a file, whether a client is running, and od_fix_file(), which puts
 * them together around one client's edit and verifies the result through the client's own
 * reader before anything is written. */

/* ------------------------------------------------------------------------------------------
 * The text
 * ------------------------------------------------------------------------------------------ */

typedef struct
{
  gsize  offset;
  gsize  remove;
  char  *insert;
  guint  order;
} Splice;

struct _OdFixText
{
  char       *contents;   /* NUL-terminated */
  gsize       length;
  GArray     *lines;      /* of OdFixLine */
  GArray     *splices;    /* of Splice */
  const char *eol;        /* the line end new lines get: the file's first one */
};

static void
splice_clear (gpointer data)
{
  g_free (((Splice *)data)->insert);
}

/**
 * od_fix_text_new:
 *
 * Returns: (transfer full): @contents as lines (LF or CRLF ends, the last one with or
 *   without), with no splice yet
 */
OdFixText *
od_fix_text_new (const char *contents,
                 gsize       length)
{
  OdFixText *text;
  gsize pos = 0;

  g_return_val_if_fail (contents != NULL || length == 0, NULL);

  text = g_new0 (OdFixText, 1);
  text->contents = g_strndup (contents != NULL ? contents : "", length);
  text->length = length;
  text->lines = g_array_new (FALSE, FALSE, sizeof (OdFixLine));
  text->splices = g_array_new (FALSE, FALSE, sizeof (Splice));
  g_array_set_clear_func (text->splices, splice_clear);
  text->eol = NULL;
  while (pos < length)
    {
      const char *nl = memchr (text->contents + pos, '\n', length - pos);
      OdFixLine line = { pos, 0, 0 };

      line.next = nl != NULL ? (gsize)(nl - text->contents) + 1 : length;
      line.length = (nl != NULL ? (gsize)(nl - text->contents) : length) - pos;
      if (nl != NULL && line.length > 0 && text->contents[pos + line.length - 1] == '\r')
        line.length--;
      if (nl != NULL && text->eol == NULL)
        text->eol = line.next - line.start - line.length == 2 ? "\r\n" : "\n";
      g_array_append_val (text->lines, line);
      pos = line.next;
    }
  if (text->eol == NULL)
    text->eol = "\n";
  return text;
}

void
od_fix_text_free (OdFixText *text)
{
  if (text == NULL)
    return;
  g_free (text->contents);
  g_array_unref (text->lines);
  g_array_unref (text->splices);
  g_free (text);
}

const char *
od_fix_text_get_contents (OdFixText *text)
{
  return text->contents;
}

guint
od_fix_text_get_n_lines (OdFixText *text)
{
  return text->lines->len;
}

const OdFixLine *
od_fix_text_get_line (OdFixText *text,
                      guint      index)
{
  g_return_val_if_fail (index < text->lines->len, NULL);

  return &g_array_index (text->lines, OdFixLine, index);
}

/**
 * od_fix_text_dup_line:
 *
 * Returns: (transfer full): the line @index without its end
 */
char *
od_fix_text_dup_line (OdFixText *text,
                      guint      index)
{
  const OdFixLine *line = od_fix_text_get_line (text, index);

  return g_strndup (text->contents + line->start, line->length);
}

/**
 * od_fix_text_line_at:
 *
 * Returns: the index of the line that holds the byte at @offset (the last line for the end)
 */
guint
od_fix_text_line_at (OdFixText *text,
                     gsize      offset)
{
  guint low = 0, high = text->lines->len;

  g_return_val_if_fail (text->lines->len > 0, 0);

  while (high - low > 1)
    {
      guint middle = (low + high) / 2;

      if (g_array_index (text->lines, OdFixLine, middle).start <= offset)
        low = middle;
      else
        high = middle;
    }
  return low;
}

/**
 * od_fix_text_splice:
 *
 * Replaces @remove bytes at @offset of the original text by @insert. Splices must not
 * overlap; those at the same offset are made in the order they were asked for.
 */
void
od_fix_text_splice (OdFixText  *text,
                    gsize       offset,
                    gsize       remove,
                    const char *insert)
{
  Splice splice = { offset, remove, g_strdup (insert), text->splices->len };

  g_return_if_fail (offset + remove <= text->length);

  g_array_append_val (text->splices, splice);
}

/**
 * od_fix_text_insert_line_after:
 * @line: the new line, without its end
 *
 * Adds @line after the line @index with the file's line end; after a last line without
 * an end, the file still ends without one.
 */
void
od_fix_text_insert_line_after (OdFixText  *text,
                               guint       index,
                               const char *line)
{
  g_autofree char *insert = NULL;
  const OdFixLine *after;

  if (text->lines->len == 0)
    {
      insert = g_strconcat (line, text->eol, NULL);
      od_fix_text_splice (text, 0, 0, insert);
      return;
    }
  after = od_fix_text_get_line (text, index);
  if (after->next > after->start + after->length)
    {
      insert = g_strconcat (line, text->eol, NULL);
      od_fix_text_splice (text, after->next, 0, insert);
    }
  else
    {
      insert = g_strconcat (text->eol, line, NULL);
      od_fix_text_splice (text, after->start + after->length, 0, insert);
    }
}

/**
 * od_fix_text_insert_line_before:
 *
 * Adds @line (without its end) before the line @index.
 */
void
od_fix_text_insert_line_before (OdFixText  *text,
                                guint       index,
                                const char *line)
{
  g_autofree char *insert = g_strconcat (line, text->eol, NULL);

  od_fix_text_splice (text, od_fix_text_get_line (text, index)->start, 0, insert);
}

static int
compare_splices (gconstpointer a,
                 gconstpointer b)
{
  const Splice *sa = a, *sb = b;

  if (sa->offset != sb->offset)
    return sa->offset < sb->offset ? -1 : 1;
  return sa->order < sb->order ? -1 : sa->order > sb->order;
}

/**
 * od_fix_text_render:
 *
 * Returns: (transfer full): the text with every splice made, NUL-terminated
 */
char *
od_fix_text_render (OdFixText *text,
                    gsize     *length)
{
  g_autoptr(GArray) sorted = g_array_copy (text->splices);
  GString *out = g_string_sized_new (text->length + 256);
  gsize pos = 0;

  /* The copy shares the strings: they stay the text's. */
  g_array_set_clear_func (sorted, NULL);
  g_array_sort (sorted, compare_splices);
  for (guint i = 0; i < sorted->len; i++)
    {
      const Splice *splice = &g_array_index (sorted, Splice, i);

      g_assert (splice->offset >= pos);
      g_string_append_len (out, text->contents + pos, splice->offset - pos);
      g_string_append (out, splice->insert);
      pos = splice->offset + splice->remove;
    }
  g_string_append_len (out, text->contents + pos, text->length - pos);
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------------------------
 * The values
 * ------------------------------------------------------------------------------------------ */

/**
 * od_fix_validate:
 *
 * Returns: %FALSE with @error (G_IO_ERROR_INVALID_ARGUMENT) when a value of @fix cannot go
 *   into a client's file: a host that is no server name or address, a user name with a
 *   line break, control or invisible characters, or too long
 */
gboolean
od_fix_validate (const OdFoundFix  *fix,
                 GError           **error)
{
  if (fix->host != NULL && !od_found_dotfile_host_ok (fix->host))
    {
      g_autofree char *shown = od_text_sanitize (fix->host, -1, OD_TEXT_SINGLE_LINE);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is what was given as the server's name */
                   _("“%s” is not a server name or address."), shown);
      return FALSE;
    }
  if (fix->username != NULL
      && (fix->username[0] == '\0' || strlen (fix->username) > 255
          || !g_utf8_validate (fix->username, -1, NULL)
          || !od_text_is_clean (fix->username, -1, OD_TEXT_SINGLE_LINE)))
    {
      g_autofree char *shown = od_text_sanitize (fix->username, -1, OD_TEXT_SINGLE_LINE);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is what was given as the user name */
                   _("“%s” cannot be a user name: it is empty, too long, or has line breaks "
                     "or control characters."), shown);
      return FALSE;
    }
  if (fix->set_security && fix->security != OD_SECURITY_TLS
      && fix->security != OD_SECURITY_STARTTLS && fix->security != OD_SECURITY_NONE)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The encryption must be TLS, STARTTLS or none."));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------
 * The file
 * ------------------------------------------------------------------------------------------ */

static gboolean
refuse_link (const char  *path,
             GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *target = g_file_read_link (path, NULL);
  g_autofree char *target_display = target != NULL ? g_filename_display_name (target) : NULL;

  if (target_display != NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 /* Translators: the first %s is a file, the second where its link points */
                 _("%s is a symbolic link (to %s): Outbox Doctor never writes through a link. "
                   "Make the change in the file it points to yourself."),
                 display, target_display);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                 /* Translators: %s is a file */
                 _("%s is a symbolic link: Outbox Doctor never writes through a link. Make "
                   "the change in the file it points to yourself."), display);
  return FALSE;
}

/* Whether Outbox Doctor may replace @path: a regular file of ours, writable, in a folder
 * where the backup and the new file can be made. */
static gboolean
check_writable (const char      *path,
                const GStatBuf  *st,
                GError         **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *dir = g_path_get_dirname (path);

  if (S_ISLNK (st->st_mode))
    return refuse_link (path, error);
  if (!S_ISREG (st->st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   /* Translators: %s is a file */
                   _("%s is not an ordinary file: Outbox Doctor does not change it."), display);
      return FALSE;
    }
  if (st->st_uid != geteuid ())
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   /* Translators: %s is a file */
                   _("%s belongs to another user: Outbox Doctor does not change it."), display);
      return FALSE;
    }
  if ((st->st_mode & S_IWUSR) == 0 || g_access (path, W_OK) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   /* Translators: %s is a file */
                   _("%s is read-only: Outbox Doctor does not change it. Make it writable "
                     "first if the change should be made there."), display);
      return FALSE;
    }
  if (g_access (dir, W_OK) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   /* Translators: %s is a file */
                   _("The folder of %s is read-only: Outbox Doctor cannot write the backup "
                     "and the changed file there."), display);
      return FALSE;
    }
  if (st->st_size > OD_FOUND_MAX_FILE_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %s is a file name */
                   _("%s is too large to be a mail client’s settings"), display);
      return FALSE;
    }
  return TRUE;
}

typedef enum
{
  NOT_READ,
  NOT_WRITTEN,
  BACKUP_NOT_WRITTEN,
} FileFailure;

static gboolean
set_file_error (GError      **error,
                int           saved,
                FileFailure   failure,
                const char   *path)
{
  g_autofree char *display = g_filename_display_name (path);
  GFileError code = g_file_error_from_errno (saved);

  switch (failure)
    {
    case NOT_READ:
      /* Translators: %s is a file name, then why */
      g_set_error (error, G_FILE_ERROR, code, _("%s could not be read: %s"), display,
                   g_strerror (saved));
      break;
    case NOT_WRITTEN:
      /* Translators: %s is a file name, then why */
      g_set_error (error, G_FILE_ERROR, code, _("%s could not be written: %s"), display,
                   g_strerror (saved));
      break;
    case BACKUP_NOT_WRITTEN:
    default:
      /* Translators: %s is a file name, then why */
      g_set_error (error, G_FILE_ERROR, code, _("The backup %s could not be written: %s"),
                   display, g_strerror (saved));
      break;
    }
  return FALSE;
}

/**
 * od_fix_load_file:
 * @st: (out): the file's status, for od_fix_replace_file()
 *
 * Reads the file a fix is to change, refusing what must not be changed: a symbolic link
 * (never written through), anything but a regular file, another user's file, a read-only
 * file or folder, a file too large or not text. The file is opened without following a
 * link, and must be the one looked at.
 */
gboolean
od_fix_load_file (const char  *path,
                  char       **contents,
                  gsize       *length,
                  GStatBuf    *st,
                  GError     **error)
{
  g_autoptr(GString) data = NULL;
  struct stat opened;
  char buffer[8192];
  int fd;

  g_return_val_if_fail (path != NULL && contents != NULL && st != NULL, FALSE);

  if (g_lstat (path, st) != 0)
    return set_file_error (error, errno, NOT_READ, path);
  if (!check_writable (path, st, error))
    return FALSE;

  fd = g_open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
  if (fd < 0)
    return set_file_error (error, errno, NOT_READ, path);
  if (fstat (fd, &opened) != 0 || opened.st_dev != st->st_dev || opened.st_ino != st->st_ino)
    {
      close (fd);
      return set_file_error (error, EAGAIN, NOT_READ, path);
    }
  data = g_string_sized_new (st->st_size + 1);
  for (;;)
    {
      gssize n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          close (fd);
          return set_file_error (error, saved, NOT_READ, path);
        }
      if (n == 0)
        break;
      g_string_append_len (data, buffer, n);
      if (data->len > OD_FOUND_MAX_FILE_SIZE)
        break;
    }
  close (fd);
  if (data->len > OD_FOUND_MAX_FILE_SIZE || memchr (data->str, '\0', data->len) != NULL)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %s is a file name */
                   _("%s is not a text file"), display);
      return FALSE;
    }
  if (length != NULL)
    *length = data->len;
  *contents = g_string_free (g_steal_pointer (&data), FALSE);
  return TRUE;
}

static gboolean
write_all (int          fd,
           const char  *contents,
           gsize        length)
{
  while (length > 0)
    {
      gssize n = write (fd, contents, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      contents += n;
      length -= n;
    }
  return TRUE;
}

/* Writes @fd's file to the end and closes it, with @mode; FALSE with errno set. */
static gboolean
finish_file (int          fd,
             const char  *contents,
             gsize        length,
             mode_t       mode)
{
  int saved;

  if (write_all (fd, contents, length) && fchmod (fd, mode) == 0 && fsync (fd) == 0)
    return close (fd) == 0;
  saved = errno;
  close (fd);
  errno = saved;
  return FALSE;
}

/* The backup beside @path, with the file's mode, never over another file. */
static char *
write_backup (const char      *path,
              const GStatBuf  *st,
              const char      *contents,
              gsize            length,
              GError         **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  for (guint n = 1; n <= 100; n++)
    {
      g_autofree char *name = n == 1
        ? g_strdup_printf ("%s%s-%s", path, OD_FOUND_FIX_BACKUP_SUFFIX, stamp)
        : g_strdup_printf ("%s%s-%s-%u", path, OD_FOUND_FIX_BACKUP_SUFFIX, stamp, n);
      int fd = g_open (name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

      if (fd < 0 && errno == EEXIST)
        continue;
      if (fd < 0 || !finish_file (fd, contents, length, st->st_mode & 07777))
        {
          int saved = errno;

          if (fd >= 0)
            g_unlink (name);
          set_file_error (error, saved, BACKUP_NOT_WRITTEN, name);
          return NULL;
        }
      return g_steal_pointer (&name);
    }
  set_file_error (error, EEXIST, BACKUP_NOT_WRITTEN, path);
  return NULL;
}

static void
sync_dir (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/**
 * od_fix_replace_file:
 * @st: the file's status when it was read (od_fix_load_file())
 * @old_contents: what it held then: the backup's contents
 * @backup: (out) (optional): the backup's name
 *
 * Writes the backup beside @path (%OD_FOUND_FIX_BACKUP_SUFFIX), then @contents to a new
 * file in the same folder, with @path's mode, flushed to the disk, and renames it over
 * @path: a reader sees the old file or the new one, never a part. Refused when @path
 * changed since it was read.
 */
gboolean
od_fix_replace_file (const char      *path,
                     const GStatBuf  *st,
                     const char      *old_contents,
                     gsize            old_length,
                     const char      *contents,
                     gsize            length,
                     char           **backup,
                     GError         **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *temp = NULL;
  g_autofree char *saved_backup = NULL;
  GStatBuf now;
  int fd;

  if (g_lstat (path, &now) != 0 || now.st_dev != st->st_dev || now.st_ino != st->st_ino
      || now.st_size != st->st_size || now.st_mtime != st->st_mtime
      || now.st_mtim.tv_nsec != st->st_mtim.tv_nsec)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG,
                   /* Translators: %s is a file */
                   _("%s changed while Outbox Doctor was fixing it: nothing was written. "
                     "Try again."), display);
      return FALSE;
    }

  saved_backup = write_backup (path, st, old_contents, old_length, error);
  if (saved_backup == NULL)
    return FALSE;

  temp = g_strdup_printf ("%s/.%s.outbox-doctor-XXXXXX", dir, base);
  fd = g_mkstemp_full (temp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0 || !finish_file (fd, contents, length, st->st_mode & 07777)
      || g_rename (temp, path) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        g_unlink (temp);
      return set_file_error (error, saved, NOT_WRITTEN, path);
    }
  sync_dir (path);
  if (backup != NULL)
    *backup = g_steal_pointer (&saved_backup);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------
 * The client
 * ------------------------------------------------------------------------------------------ */

/**
 * od_fix_process_running:
 * @names: the command names (as /proc/PID/comm shows them, at most 15 bytes)
 *
 * Returns: whether a process of this user with one of @names runs
 */
gboolean
od_fix_process_running (const char * const *names)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  uid_t uid = getuid ();
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *comm_path = NULL;
      g_autofree char *comm = NULL;
      GStatBuf st;

      if (strspn (name, "0123456789") != strlen (name))
        continue;
      path = g_build_filename ("/proc", name, NULL);
      if (g_stat (path, &st) != 0 || st.st_uid != uid)
        continue;
      comm_path = g_build_filename (path, "comm", NULL);
      if (!g_file_get_contents (comm_path, &comm, NULL, NULL))
        continue;
      g_strchomp (comm);
      if (g_strv_contains (names, comm))
        return TRUE;
    }
  return FALSE;
}

/**
 * od_fix_refuse_running:
 * @client: the client's name, for the message
 *
 * Returns: %FALSE with @error (G_IO_ERROR_BUSY) when a process of @names runs
 */
gboolean
od_fix_refuse_running (const char * const  *names,
                       const char          *client,
                       GError             **error)
{
  if (!od_fix_process_running (names))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
               /* Translators: %s is a mail program, "Geary" */
               _("%s is running: close it first, then fix the account again. A running %s "
                 "would write its own settings back over the change."), client, client);
  return FALSE;
}

/**
 * od_fix_find_account:
 *
 * Returns: (transfer none) (nullable): the account of @accounts with @found's id
 */
OdFoundAccount *
od_fix_find_account (GPtrArray      *accounts,
                     OdFoundAccount *found)
{
  for (guint i = 0; i < accounts->len; i++)
    if (g_str_equal (od_found_account_get_id (accounts->pdata[i]),
                     od_found_account_get_id (found)))
      return accounts->pdata[i];
  return NULL;
}

/**
 * od_fix_url:
 * @url: an smtp:// or smtps:// URL (NeoMutt's smtp_url, aerc's outgoing)
 * @scheme: (nullable): the new scheme, or %NULL to keep it
 *
 * Returns: (transfer full) (nullable): @url with the host, port and user of @fix and
 *   @scheme; every other part (a password, the path, a query) as it was written
 */
char *
od_fix_url (const char        *url,
            const char        *scheme,
            const OdFoundFix  *fix,
            GError           **error)
{
  const GUriFlags flags = G_URI_FLAGS_ENCODED | G_URI_FLAGS_HAS_PASSWORD;
  g_autoptr(GUri) uri = g_uri_parse (url, flags, error);
  g_autoptr(GUri) fixed = NULL;
  g_autofree char *user = NULL;

  if (uri == NULL)
    return NULL;
  /* Every reserved character of the user name escaped: "@" and ":" above all. */
  user = fix->username != NULL ? g_uri_escape_string (fix->username, NULL, FALSE)
                               : g_strdup (g_uri_get_user (uri));
  fixed = g_uri_build_with_user (flags, scheme != NULL ? scheme : g_uri_get_scheme (uri),
                                 user, g_uri_get_password (uri), g_uri_get_auth_params (uri),
                                 fix->host != NULL ? fix->host : g_uri_get_host (uri),
                                 fix->port != 0 ? fix->port : g_uri_get_port (uri),
                                 g_uri_get_path (uri), g_uri_get_query (uri),
                                 g_uri_get_fragment (uri));
  return g_uri_to_string (fixed);
}

/* ------------------------------------------------------------------------------------------
 * The fix
 * ------------------------------------------------------------------------------------------ */

static gboolean
same_text (const char *a,
           const char *b)
{
  return g_strcmp0 (a != NULL && a[0] != '\0' ? a : NULL, b != NULL && b[0] != '\0' ? b : NULL)
         == 0;
}

static gboolean
same_settings (OdAccount *a,
               OdAccount *b)
{
  return same_text (od_account_get_host (a), od_account_get_host (b))
         && od_account_get_port (a) == od_account_get_port (b)
         && od_account_get_security (a) == od_account_get_security (b)
         && same_text (od_account_get_username (a), od_account_get_username (b));
}

/* What of @fix differs from @account. */
static OdFoundFix
differences (const OdFoundFix *fix,
             OdAccount        *account)
{
  OdFoundFix diff = { NULL, 0, OD_SECURITY_TLS, FALSE, NULL };

  if (fix->host != NULL && !same_text (fix->host, od_account_get_host (account)))
    diff.host = fix->host;
  if (fix->port != 0 && fix->port != od_account_get_port (account))
    diff.port = fix->port;
  if (fix->set_security && fix->security != od_account_get_security (account))
    diff.set_security = TRUE, diff.security = fix->security;
  if (fix->username != NULL && !same_text (fix->username, od_account_get_username (account)))
    diff.username = fix->username;
  return diff;
}

static char *
describe (OdAccount *account)
{
  /* Translators: "smtp.example.org:587 (STARTTLS), user “ada”" */
  return g_strdup_printf (_("%s:%u (%s), user “%s”"),
                          od_account_get_host (account) ? od_account_get_host (account) : "",
                          od_account_get_port (account),
                          od_security_describe (od_account_get_security (account)),
                          od_account_get_username (account) ? od_account_get_username (account)
                                                            : "");
}

/* The edit of @client made on @contents: the new text, and the account read from it. */
static gboolean
make_edit (const OdFixFileClient  *client,
           const char             *contents,
           gsize                   length,
           OdFoundAccount         *before,
           const OdFoundFix       *fix,
           char                  **changed,
           gsize                  *changed_length,
           OdFoundAccount        **after,
           GError                **error)
{
  g_autoptr(OdFixText) text = od_fix_text_new (contents, length);

  if (!client->edit (text, before, fix, error))
    return FALSE;
  g_clear_pointer (changed, g_free);
  g_clear_object (after);
  *changed = od_fix_text_render (text, changed_length);
  *after = client->reread (*changed, *changed_length, before);
  if (*after == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   /* Translators: %s is a mail program */
                   _("%s would not find the account any more after this change: nothing was "
                     "written."), od_found_origin_get_name (od_found_account_get_origin (before)));
      return FALSE;
    }
  return TRUE;
}

/**
 * od_fix_file:
 * @client: the client's part: whether it runs, the edit, how it reads the file
 *
 * Makes @fix in the file @found was read from (its source path): checks the values, that
 * the client is not running and that the file may be changed; reads the account from the
 * file as it is now (it must be as found); edits what differs; reads the account from the
 * edited text through the client's own reader, which must find exactly the settings asked
 * for, every other one as it was (a port the client derives from the encryption is written
 * out so that it stays); only then writes the backup and the file. A fix that changes
 * nothing writes nothing (@backup stays %NULL).
 */
gboolean
od_fix_file (const OdFixFileClient  *client,
             OdFoundAccount         *found,
             const OdFoundFix       *fix,
             char                  **backup,
             GError                **error)
{
  const char *path = od_found_account_get_source_path (found);
  g_autofree char *contents = NULL, *changed = NULL;
  g_autofree char *expected_text = NULL, *after_text = NULL;
  g_autoptr(OdFoundAccount) before = NULL, after = NULL;
  g_autoptr(OdAccount) expected = NULL;
  gsize length = 0, changed_length = 0;
  OdFoundFix diff;
  GStatBuf st;

  if (!od_fix_validate (fix, error))
    return FALSE;
  if (client->check_idle != NULL && !client->check_idle (found, error))
    return FALSE;
  if (path == NULL || !od_fix_load_file (path, &contents, &length, &st, error))
    return FALSE;

  before = client->reread (contents, length, found);
  if (before == NULL || !same_settings (od_found_account_get_account (before),
                                        od_found_account_get_account (found)))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG,
                   /* Translators: %s is a file */
                   _("%s changed since the account was read: look at it again and try "
                     "again."), display);
      return FALSE;
    }

  diff = differences (fix, od_found_account_get_account (before));
  if (od_found_fix_is_empty (&diff))
    return TRUE;
  if (!make_edit (client, contents, length, before, &diff, &changed, &changed_length, &after,
                  error))
    return FALSE;
  /* msmtp, git, Thunderbird…: without a port, the encryption chooses it. It stays. */
  if (diff.port == 0 && od_account_get_port (od_found_account_get_account (after))
                        != od_account_get_port (od_found_account_get_account (before)))
    {
      diff.port = od_account_get_port (od_found_account_get_account (before));
      if (!make_edit (client, contents, length, before, &diff, &changed, &changed_length,
                      &after, error))
        return FALSE;
    }

  expected = od_account_copy (od_found_account_get_account (before));
  if (diff.host != NULL)
    od_account_set_host (expected, diff.host);
  if (diff.port != 0)
    od_account_set_port (expected, diff.port);
  if (diff.set_security)
    od_account_set_security (expected, diff.security);
  if (diff.username != NULL)
    od_account_set_username (expected, diff.username);
  if (!same_settings (expected, od_found_account_get_account (after)))
    {
      expected_text = describe (expected);
      after_text = describe (od_found_account_get_account (after));
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   /* Translators: a mail program, then two descriptions of a server */
                   _("%s would read this change differently (%s instead of %s): nothing was "
                     "written."), od_found_origin_get_name (od_found_account_get_origin (found)),
                   after_text, expected_text);
      return FALSE;
    }
  return od_fix_replace_file (path, &st, contents, length, changed, changed_length, backup,
                              error);
}
