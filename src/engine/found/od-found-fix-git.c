/* od-found-fix-git.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-found-dotfile.h"
#include "od-found-fix-files.h"
#include "od-found-git.h"

/* Fixing a git send-email account (git:global, git:xdg, git:FILE/IDENTITY) in the file it
 * was read from: sendemail.smtpServer, smtpServerPort, smtpEncryption (ssl, tls, none) and
 * smtpUser. The last variable of the account's own section ([sendemail], or
 * [sendemail "IDENTITY"] for an identity) is changed in place: only its value, the key, the
 * blanks and a comment after it stay. An identity that takes the value from [sendemail]
 * gets its own variable instead, after the last one of its section, so that the other
 * identities keep theirs. */

/* The identity of a native id "global/kernel", or NULL for "global". */
static const char *
identity_of (OdFoundAccount *found)
{
  const char *slash = strchr (od_found_account_get_native_id (found), '/');

  return slash != NULL ? slash + 1 : NULL;
}

static gboolean
in_section (const OdGitConfigEntry *entry,
            const char             *identity)
{
  return g_str_equal (entry->section, "sendemail") && g_strcmp0 (entry->subsection, identity) == 0;
}

/* A value as git reads it back: quoted when blanks at its ends or a comment character
 * would change it; backslash and quote escaped. */
static char *
quote (const char *value)
{
  gsize len = strlen (value);
  gboolean quoted = len == 0 || g_ascii_isspace (value[0]) || g_ascii_isspace (value[len - 1])
                    || strpbrk (value, ";#") != NULL;
  GString *out = g_string_new (quoted ? "\"" : "");

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  if (quoted)
    g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* The blanks before @entry's key on its line, or a tab when there is more before it. */
static char *
indent_of (OdFixText              *text,
           const OdGitConfigEntry *entry)
{
  const char *contents = od_fix_text_get_contents (text);
  gsize start = od_fix_text_get_line (text, od_fix_text_line_at (text, entry->key_start))->start;

  for (gsize i = start; i < entry->key_start; i++)
    if (contents[i] != ' ' && contents[i] != '\t')
      return g_strdup ("\t");
  return g_strndup (contents + start, entry->key_start - start);
}

static void
set_variable (OdFixText  *text,
              GPtrArray  *entries,
              const char *identity,
              const char *key,
              const char *value)
{
  g_autofree char *lower = g_ascii_strdown (key, -1);
  g_autofree char *quoted = quote (value);
  const OdGitConfigEntry *own = NULL, *last = NULL;

  for (guint i = 0; i < entries->len; i++)
    {
      const OdGitConfigEntry *entry = entries->pdata[i];

      if (!in_section (entry, identity))
        continue;
      last = entry;
      if (g_str_equal (entry->key, lower))
        own = entry;
    }

  if (own != NULL && own->value == NULL)
    {
      /* A bare key ("smtpUser", true): it gets its value. */
      g_autofree char *assigned = g_strconcat (" = ", quoted, NULL);

      od_fix_text_splice (text, own->value_start, 0, assigned);
    }
  else if (own != NULL && own->value_start == own->value_end
           && own->value_start > 0 && od_fix_text_get_contents (text)[own->value_start - 1] == '=')
    {
      /* "smtpUser =": a blank between "=" and the value, as git writes it. */
      g_autofree char *spaced = g_strconcat (" ", quoted, NULL);

      od_fix_text_splice (text, own->value_start, 0, spaced);
    }
  else if (own != NULL)
    od_fix_text_splice (text, own->value_start, own->value_end - own->value_start, quoted);
  else
    {
      g_autofree char *indent = indent_of (text, last);
      g_autofree char *line = g_strdup_printf ("%s%s = %s", indent, key, quoted);

      /* The section has a variable: the account was read from it. */
      od_fix_text_insert_line_after (text, od_fix_text_line_at (text, last->line_end), line);
    }
}

static gboolean
edit (OdFixText         *text,
      OdFoundAccount    *found,
      const OdFoundFix  *fix,
      GError           **error)
{
  const char *contents = od_fix_text_get_contents (text);
  g_autoptr(GPtrArray) entries = od_git_config_parse (contents, strlen (contents), error);
  const char *identity = identity_of (found);
  gboolean any = FALSE;

  if (entries == NULL)
    return FALSE;
  for (guint i = 0; i < entries->len && !any; i++)
    any = in_section (entries->pdata[i], identity);
  if (!any)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("This git send-email account is not in the file any more."));
      return FALSE;
    }

  if (fix->host != NULL)
    set_variable (text, entries, identity, "smtpServer", fix->host);
  if (fix->port != 0)
    {
      g_autofree char *port = g_strdup_printf ("%u", fix->port);

      set_variable (text, entries, identity, "smtpServerPort", port);
    }
  /* git send-email: ssl is TLS from the first byte, tls is STARTTLS, anything else none. */
  if (fix->set_security)
    set_variable (text, entries, identity, "smtpEncryption",
                  fix->security == OD_SECURITY_TLS ? "ssl"
                  : fix->security == OD_SECURITY_STARTTLS ? "tls" : "none");
  if (fix->username != NULL)
    set_variable (text, entries, identity, "smtpUser", fix->username);
  return TRUE;
}

static OdFoundAccount *
reread (const char     *contents,
        gsize           length,
        OdFoundAccount *found)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) helpers = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *native_id = g_strdup (od_found_account_get_native_id (found));
  char *slash = strchr (native_id, '/');
  OdFoundAccount *account;

  if (slash != NULL)
    *slash = '\0';
  if (!od_found_git_parse (contents, length, od_found_account_get_source_path (found),
                           native_id, helpers, accounts, NULL))
    return NULL;
  account = od_fix_find_account (accounts, found);
  return account != NULL ? g_object_ref (account) : NULL;
}

/* git reads ~/.config/git/config first and ~/.gitconfig after it: a variable set in both
 * is ~/.gitconfig's. Fixing the XDG file's account where ~/.gitconfig sets the same variable
 * of the same section would change nothing git send-email uses: refused, naming it. */
static gboolean
check_not_overridden (const OdFoundContext  *context,
                      OdFoundAccount        *found,
                      const OdFoundFix      *fix,
                      GError               **error)
{
  const char *native_id = od_found_account_get_native_id (found);
  const char *identity = identity_of (found);
  g_autofree char *global = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  /* git's variables as it compares them (lower case), and as people write them. */
  const char *keys[] = {
    fix->host != NULL ? "smtpserver" : NULL,
    fix->port != 0 ? "smtpserverport" : NULL,
    fix->set_security ? "smtpencryption" : NULL,
    fix->username != NULL ? "smtpuser" : NULL,
  };
  static const char * const names[] = {
    "smtpServer", "smtpServerPort", "smtpEncryption", "smtpUser",
  };

  if (!g_str_has_prefix (native_id, "xdg") || context->home == NULL)
    return TRUE;
  global = g_build_filename (context->home, ".gitconfig", NULL);
  if (!od_found_dotfile_read (global, &contents, NULL))
    return TRUE;
  entries = od_git_config_parse (contents, strlen (contents), NULL);
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      const OdGitConfigEntry *entry = entries->pdata[i];

      if (!in_section (entry, identity))
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        if (keys[k] != NULL && g_str_equal (entry->key, keys[k]))
          {
            g_autofree char *display = g_filename_display_name (global);
            g_autofree char *instead = identity != NULL
                                       ? g_strdup_printf ("git:global/%s", identity)
                                       : g_strdup ("git:global");

            g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                         /* Translators: the first %s is a file, the second a git variable
                          * ("smtpServerPort"), the third an account id ("git:global") */
                         _("%s sets %s for git send-email too, and git takes that one over "
                           "this file’s: the fix would change nothing git uses. Fix %s "
                           "instead."),
                         display, names[k], instead);
            return FALSE;
          }
    }
  return TRUE;
}

/**
 * od_found_fix_git:
 *
 * The fixer for git send-email (#OdFoundFixer): the sendemail variables of ~/.gitconfig or
 * ~/.config/git/config, an identity's in its own section.
 */
gboolean
od_found_fix_git (const OdFoundContext  *context,
                  OdFoundAccount        *found,
                  const OdFoundFix      *fix,
                  char                 **backup,
                  GError               **error)
{
  static const OdFixFileClient client = { NULL, edit, reread };

  g_return_val_if_fail (context != NULL && OD_IS_FOUND_ACCOUNT (found) && fix != NULL, FALSE);

  if (backup != NULL)
    *backup = NULL;
  if (!check_not_overridden (context, found, fix, error))
    return FALSE;
  return od_fix_file (&client, found, fix, backup, error);
}
