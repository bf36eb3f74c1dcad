/* od-found-mail-util.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "od-found-account.h"
#include "od-found-mail-util.h"

/**
 * od_found_parse_port:
 * @text: (nullable): a port as a client wrote it
 * @port: (out): the port
 *
 * Returns: %TRUE when @text is only decimal digits naming a port from 1 to 65535
 */
gboolean
od_found_parse_port (const char *text,
                     guint16    *port)
{
  guint64 value;

  g_return_val_if_fail (port != NULL, FALSE);

  if (text == NULL || *text == '\0' || strlen (text) > 5)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  value = g_ascii_strtoull (text, NULL, 10);
  if (value == 0 || value > 65535)
    return FALSE;
  *port = (guint16)value;
  return TRUE;
}

/**
 * od_found_real_path_in_home:
 * @path: a file or folder a client's configuration names
 * @home: the home folder
 *
 * Resolves every symbolic link in @path and accepts the result only inside @home (itself
 * resolved): a configuration that points elsewhere is not followed.
 *
 * Returns: (transfer full) (nullable): the resolved path, or %NULL with @error
 */
char *
od_found_real_path_in_home (const char  *path,
                            const char  *home,
                            GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *real = NULL;
  g_autofree char *real_home = NULL;
  gsize home_len;

  g_return_val_if_fail (path != NULL && home != NULL, NULL);

  real = realpath (path, NULL);
  if (real == NULL)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   /* Translators: %s is a file name */
                   _("%s could not be read: %s"), display, g_strerror (saved));
      return NULL;
    }
  real_home = realpath (home, NULL);
  home_len = real_home != NULL ? strlen (real_home) : 0;
  if (real_home == NULL ||
      strncmp (real, real_home, home_len) != 0 ||
      (real[home_len] != '/' && !(home_len == 1 && real_home[0] == '/')))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                   /* Translators: %s is a file or folder name */
                   _("%s is outside the home folder and is not read"), display);
      return NULL;
    }

  return g_steal_pointer (&real);
}

/**
 * od_found_finish_problems:
 * @found: the reader's result
 * @first: the number of accounts @found had before this reader added its own
 * @problems: (element-type utf8): what this reader could not read, translated sentences
 *
 * What went wrong in a part of a client's configuration becomes a note on every account the
 * reader did find; when it found none, it is the reader's error.
 *
 * Returns: %FALSE with @error when there are problems and no account
 */
gboolean
od_found_finish_problems (GPtrArray  *found,
                          guint       first,
                          GPtrArray  *problems,
                          GError    **error)
{
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (found != NULL && problems != NULL, FALSE);

  if (problems->len == 0)
    return TRUE;
  if (found->len > first)
    {
      for (guint i = first; i < found->len; i++)
        for (guint j = 0; j < problems->len; j++)
          od_found_account_add_note (g_ptr_array_index (found, i),
                                     g_ptr_array_index (problems, j));
      return TRUE;
    }

  text = g_string_new (NULL);
  for (guint j = 0; j < problems->len; j++)
    {
      if (j > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, g_ptr_array_index (problems, j));
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, text->str);
  return FALSE;
}
