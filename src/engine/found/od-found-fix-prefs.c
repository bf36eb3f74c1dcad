/* od-found-fix-prefs.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "od-found-fix-files.h"
#include "od-found-thunderbird.h"
#include "od-prefs-js.h"

/* Fixing a Thunderbird account (thunderbird:PROFILE/KEY) in its profile's prefs.js:
 * mail.smtpserver.KEY.hostname, port, try_ssl (0 none, 2 STARTTLS, 3 SSL/TLS) and username.
 * The last statement of each is changed in place (only its value); a missing one is added
 * as a line of its own where Thunderbird's sorted file would have it. Thunderbird writes
 * prefs.js from memory when it quits, so a running Thunderbird would undo the change: the
 * fix is refused while the profile is in use. */

/* Whether the process @pid (as a profile lock names it) is alive on this computer. */
static gboolean
pid_alive (const char *text)
{
  guint64 pid = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT32, &pid, NULL))
    return TRUE;    /* not readable: taken as alive */
  return kill ((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* Whether a Thunderbird uses the profile @dir, as Mozilla's nsProfileLock locks it on
 * Linux: a running Thunderbird holds an fcntl() write lock on .parentlock (which stays when
 * it quits) and also makes the symbolic link "lock" → "ADDRESS:+PID" (the "+" marks it as
 * the old way, which the fcntl() lock overrules; without "+" it is the only lock, where
 * fcntl() does not work, as on some network file systems). So: .parentlock locked by any
 * process, or a "lock" link without "+", or one with "+" whose process is alive. A "+" link
 * whose process is gone was left by a Thunderbird that crashed. */
gboolean
od_found_thunderbird_profile_in_use (const char *dir)
{
  g_autofree char *parentlock = g_build_filename (dir, ".parentlock", NULL);
  g_autofree char *lock = g_build_filename (dir, "lock", NULL);
  g_autofree char *target = NULL;
  int fd = g_open (parentlock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
  const char *colon;

  if (fd >= 0)
    {
      struct flock fl = { 0 };

      fl.l_type = F_WRLCK;
      fl.l_whence = SEEK_SET;
      if (fcntl (fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
        {
          close (fd);
          return TRUE;
        }
      close (fd);
    }

  target = g_file_read_link (lock, NULL);
  if (target == NULL)
    {
      GStatBuf st;

      /* Anything else by that name: not Mozilla's, taken as a lock all the same. */
      return g_lstat (lock, &st) == 0;
    }
  colon = strrchr (target, ':');
  if (colon == NULL || colon[1] != '+')
    return TRUE;
  return pid_alive (colon + 2);
}

static gboolean
check_idle (OdFoundAccount  *found,
            GError         **error)
{
  g_autofree char *dir = g_path_get_dirname (od_found_account_get_source_path (found));

  if (!od_found_thunderbird_profile_in_use (dir))
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                       _("Thunderbird is running with this profile: quit Thunderbird first, "
                         "then fix the account again. A running Thunderbird writes its own "
                         "settings back over the change when it quits. (If Thunderbird is not "
                         "running, it did not close properly: start it and quit it once.)"));
  return FALSE;
}

/* A JavaScript string as Thunderbird writes it. */
char *
od_fix_prefs_js_string (const char *value)
{
  GString *out = g_string_new ("\"");

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* Sets the preference @name to @literal (a JavaScript value) in @text, whose statements
 * are @statements: the last statement of that name gets the new value in place, else a line
 * of its own is added where Thunderbird's sorted file would have it. */
void
od_fix_prefs_set (OdFixText  *text,
                  GPtrArray  *statements,
                  const char *name,
                  const char *literal)
{
  const OdPrefsJsStatement *last = NULL, *before = NULL;
  g_autofree char *line = NULL;

  for (guint i = 0; i < statements->len; i++)
    {
      const OdPrefsJsStatement *statement = statements->pdata[i];

      if (g_str_equal (statement->name, name))
        last = statement;
      else if (strcmp (statement->name, name) < 0
               && (before == NULL || strcmp (statement->name, before->name) >= 0))
        before = statement;
    }
  if (last != NULL)
    {
      od_fix_text_splice (text, last->value_start, last->value_end - last->value_start,
                          literal);
      return;
    }

  line = g_strdup_printf ("user_pref(\"%s\", %s);", name, literal);
  if (before != NULL)
    od_fix_text_insert_line_after (text, od_fix_text_line_at (text, before->end - 1), line);
  else if (statements->len > 0)
    od_fix_text_insert_line_before (text, od_fix_text_line_at (
                                      text, ((OdPrefsJsStatement *)statements->pdata[0])->start),
                                    line);
  else
    od_fix_text_insert_line_after (text, od_fix_text_get_n_lines (text) - 1, line);
}

static gboolean
edit (OdFixText         *text,
      OdFoundAccount    *found,
      const OdFoundFix  *fix,
      GError           **error)
{
  const char *contents = od_fix_text_get_contents (text);
  g_autoptr(GPtrArray) statements = od_prefs_js_parse_statements (contents, strlen (contents));
  const char *key = strchr (od_found_account_get_native_id (found), '/');
  g_autofree char *prefix = NULL;

  if (key == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("This Thunderbird account is not in prefs.js any more."));
      return FALSE;
    }
  prefix = g_strdup_printf ("mail.smtpserver.%s.", key + 1);

  if (fix->host != NULL)
    {
      g_autofree char *name = g_strconcat (prefix, "hostname", NULL);
      g_autofree char *literal = od_fix_prefs_js_string (fix->host);

      od_fix_prefs_set (text, statements, name, literal);
    }
  if (fix->port != 0)
    {
      g_autofree char *name = g_strconcat (prefix, "port", NULL);
      g_autofree char *literal = g_strdup_printf ("%u", fix->port);

      od_fix_prefs_set (text, statements, name, literal);
    }
  if (fix->set_security)
    {
      /* nsMsgSocketType: 0 plain, 2 always STARTTLS, 3 SSL/TLS. */
      g_autofree char *name = g_strconcat (prefix, "try_ssl", NULL);

      od_fix_prefs_set (text, statements, name, fix->security == OD_SECURITY_TLS ? "3"
                                        : fix->security == OD_SECURITY_STARTTLS ? "2" : "0");
    }
  if (fix->username != NULL)
    {
      g_autofree char *name = g_strconcat (prefix, "username", NULL);
      g_autofree char *literal = od_fix_prefs_js_string (fix->username);

      od_fix_prefs_set (text, statements, name, literal);
    }
  return TRUE;
}

static OdFoundAccount *
reread (const char     *contents,
        gsize           length,
        OdFoundAccount *found)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *profile = g_strdup (od_found_account_get_native_id (found));
  char *slash = strchr (profile, '/');
  OdFoundAccount *account;

  if (slash != NULL)
    *slash = '\0';
  od_found_thunderbird_parse (contents, length, profile,
                              od_found_account_get_source_path (found), accounts);
  account = od_fix_find_account (accounts, found);
  return account != NULL ? g_object_ref (account) : NULL;
}

/**
 * od_found_fix_thunderbird:
 *
 * The fixer for Thunderbird (#OdFoundFixer): the outgoing server's preferences in the
 * profile's prefs.js, only while no Thunderbird uses the profile.
 */
gboolean
od_found_fix_thunderbird (const OdFoundContext  *context,
                          OdFoundAccount        *found,
                          const OdFoundFix      *fix,
                          char                 **backup,
                          GError               **error)
{
  static const OdFixFileClient client = { check_idle, edit, reread };

  g_return_val_if_fail (context != NULL && OD_IS_FOUND_ACCOUNT (found) && fix != NULL, FALSE);

  return od_fix_file (&client, found, fix, backup, error);
}
