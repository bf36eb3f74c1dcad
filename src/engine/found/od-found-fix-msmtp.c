/* od-found-fix-msmtp.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-found-fix-files.h"
#include "od-found-msmtp.h"

/* Fixing an msmtp account (msmtp:NAME) in the file it was read from. A command the account
 * sets in its own block ("account NAME" up to the next "account" or "defaults") is changed
 * there, on its last line; a value it takes from "defaults" or from an account it inherits
 * from ("account NAME : OTHER") is never changed where it is, because other accounts take it
 * too: the command is added to this account's block instead, after its last command. */

typedef struct
{
  char *value;    /* NULL when msmtp could not read it */
  gint  line;     /* the line in this account's own block, or -1 when inherited */
} Setting;

typedef struct
{
  char       *name;
  GHashTable *settings;   /* command → Setting */
  guint       header;     /* the "account" line */
  guint       last;       /* its last command line, or the header */
} Block;

static void
setting_free (gpointer data)
{
  Setting *setting = data;

  g_free (setting->value);
  g_free (setting);
}

static Block *
block_new (const char *name,
           guint       header)
{
  Block *block = g_new0 (Block, 1);

  block->name = g_strdup (name);
  block->settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, setting_free);
  block->header = header;
  block->last = header;
  return block;
}

static void
block_free (gpointer data)
{
  Block *block = data;

  g_free (block->name);
  g_hash_table_unref (block->settings);
  g_free (block);
}

static void
block_set (Block      *block,
           const char *command,
           const char *value,
           gint        line)
{
  Setting *setting = g_new0 (Setting, 1);

  setting->value = g_strdup (value);
  setting->line = line;
  g_hash_table_replace (block->settings, g_strdup (command), setting);
}

/* What @from sets, taken over by @to as inherited values. */
static void
block_inherit (Block       *to,
               const Block *from)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, from->settings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    block_set (to, key, ((Setting *)value)->value, -1);
}

/* "account NAME [: A, B]" as msmtp (and od-found-msmtp.c) reads it: NULL for an account
 * that is skipped (no valid name, a second definition, an unknown parent). */
static Block *
start_account (const char *arg,
               guint       line,
               Block      *defaults,
               GPtrArray  *blocks)
{
  const char *colon = strchr (arg, ':');
  g_autofree char *name = g_strstrip (g_strndup (arg, colon != NULL ? (gsize)(colon - arg)
                                                                      : strlen (arg)));
  g_auto(GStrv) parents = NULL;
  Block *block;

  if (name[0] == '\0' || strpbrk (name, " \t") != NULL)
    return NULL;
  for (guint i = 0; i < blocks->len; i++)
    if (g_str_equal (((Block *)blocks->pdata[i])->name, name))
      return NULL;
  block = block_new (name, line);
  block_inherit (block, defaults);
  parents = colon != NULL ? g_strsplit (colon + 1, ",", 0) : NULL;
  for (guint p = 0; parents != NULL && parents[p] != NULL; p++)
    {
      const char *parent = g_strstrip (parents[p]);
      Block *found = NULL;

      for (guint i = 0; i < blocks->len && found == NULL; i++)
        if (g_str_equal (((Block *)blocks->pdata[i])->name, parent))
          found = blocks->pdata[i];
      if (found == NULL)
        {
          block_free (block);
          return NULL;
        }
      block_inherit (block, found);
    }
  return block;
}

/* A command line: where its command ends and its argument starts and ends (trimmed). */
static gboolean
split_line (const char *line,
            gsize      *command_start,
            gsize      *command_end,
            gsize      *arg_start,
            gsize      *arg_end)
{
  gsize p = 0, end = strlen (line);

  while (line[p] == ' ' || line[p] == '\t')
    p++;
  if (line[p] == '\0' || line[p] == '#')
    return FALSE;
  *command_start = p;
  p += strcspn (line + p, " \t");
  *command_end = p;
  while (line[p] == ' ' || line[p] == '\t')
    p++;
  while (end > p && g_ascii_isspace (line[end - 1]))
    end--;
  *arg_start = p;
  *arg_end = end;
  return TRUE;
}

/* The accounts of the file (of Block), in order. */
static GPtrArray *
scan (OdFixText *text)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func (block_free);
  g_autoptr(GPtrArray) own = g_ptr_array_new_with_free_func (block_free);
  Block *defaults = block_new ("", 0);
  Block *current = defaults;

  g_ptr_array_add (own, defaults);
  for (guint i = 0; i < od_fix_text_get_n_lines (text); i++)
    {
      g_autofree char *line = od_fix_text_dup_line (text, i);
      g_autofree char *command = NULL, *arg = NULL;
      gsize cs, ce, as, ae;

      if (!split_line (line, &cs, &ce, &as, &ae))
        continue;
      command = g_strndup (line + cs, ce - cs);
      arg = od_found_msmtp_argument (line + ce);
      if (g_str_equal (command, "defaults"))
        current = defaults;
      else if (g_str_equal (command, "account"))
        {
          current = arg != NULL ? start_account (arg, i, defaults, blocks) : NULL;
          if (current != NULL)
            g_ptr_array_add (blocks, current);
        }
      else if (current != NULL)
        {
          block_set (current, command, arg, current == defaults ? -1 : (gint)i);
          current->last = i;
        }
    }
  return blocks;
}

static gboolean
is_on (const char *value)
{
  return value != NULL && (value[0] == '\0' || g_str_equal (value, "on"));
}

/* Whether @value means what @setting holds (msmtp's own default when it is unset). */
static gboolean
same_value (const char    *command,
            const Setting *setting,
            const char    *value)
{
  gboolean on_off = g_str_equal (command, "tls") || g_str_equal (command, "tls_starttls");
  const char *current = setting != NULL ? setting->value : NULL;

  if (setting == NULL && on_off)
    current = g_str_equal (command, "tls_starttls") ? "on" : "off";
  if (current == NULL)
    return FALSE;
  if (on_off)
    return is_on (current) == is_on (value) && (is_on (current) || g_str_equal (current, "off"));
  return g_str_equal (current, value);
}

/* A new command line for @block, its argument in the column of the block's last line. */
static char *
new_line (OdFixText   *text,
          const Block *block,
          const char  *command,
          const char  *arg)
{
  g_autofree char *last = od_fix_text_dup_line (text, block->last);
  gsize cs = 0, ce = 0, as = 0, ae = 0;
  gsize column;
  GString *out = g_string_new (NULL);

  split_line (last, &cs, &ce, &as, &ae);
  g_string_append_len (out, last, cs);
  g_string_append (out, command);
  column = MAX (as > ce ? as : ce + 1, cs + strlen (command) + 1);
  while (out->len < column)
    g_string_append_c (out, ' ');
  g_string_append (out, arg);
  return g_string_free (out, FALSE);
}

static void
set_command (OdFixText   *text,
             const Block *block,
             const char  *command,
             const char  *value)
{
  const Setting *setting = g_hash_table_lookup (block->settings, command);
  g_autofree char *quoted = od_found_msmtp_quote (value);

  if (same_value (command, setting, value))
    return;
  if (setting != NULL && setting->line >= 0)
    {
      /* The account's own line: its argument replaced, the rest of the line kept. */
      g_autofree char *line = od_fix_text_dup_line (text, setting->line);
      gsize start = od_fix_text_get_line (text, setting->line)->start;
      gsize cs, ce, as, ae;
      g_autofree char *spaced = NULL;

      split_line (line, &cs, &ce, &as, &ae);
      if (as == ae)
        {
          spaced = g_strconcat (" ", quoted, NULL);
          od_fix_text_splice (text, start + ce, ae - ce, spaced);
        }
      else
        od_fix_text_splice (text, start + as, ae - as, quoted);
      return;
    }

  {
    g_autofree char *line = new_line (text, block, command, quoted);

    od_fix_text_insert_line_after (text, block->last, line);
  }
}

static gboolean
edit (OdFixText         *text,
      OdFoundAccount    *found,
      const OdFoundFix  *fix,
      GError           **error)
{
  g_autoptr(GPtrArray) blocks = scan (text);
  const char *name = od_found_account_get_native_id (found);
  const Block *block = NULL;

  for (guint i = 0; i < blocks->len && block == NULL; i++)
    if (g_str_equal (((Block *)blocks->pdata[i])->name, name))
      block = blocks->pdata[i];
  if (block == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   /* Translators: %s is the name of an account in msmtp's file */
                   _("The msmtp account “%s” is not in the file any more."), name);
      return FALSE;
    }

  if (fix->host != NULL)
    set_command (text, block, "host", fix->host);
  if (fix->port != 0)
    {
      g_autofree char *port = g_strdup_printf ("%u", fix->port);

      set_command (text, block, "port", port);
    }
  if (fix->set_security)
    {
      /* msmtp: tls off is no encryption; tls on is STARTTLS, or with tls_starttls off TLS
       * from the first byte. */
      set_command (text, block, "tls", fix->security == OD_SECURITY_NONE ? "off" : "on");
      if (fix->security != OD_SECURITY_NONE)
        set_command (text, block, "tls_starttls",
                     fix->security == OD_SECURITY_STARTTLS ? "on" : "off");
    }
  if (fix->username != NULL)
    set_command (text, block, "user", fix->username);
  return TRUE;
}

static OdFoundAccount *
reread (const char     *contents,
        gsize           length,
        OdFoundAccount *found)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  OdFoundAccount *account;

  if (!od_found_msmtp_parse (contents, length, od_found_account_get_source_path (found),
                             accounts, NULL))
    return NULL;
  account = od_fix_find_account (accounts, found);
  return account != NULL ? g_object_ref (account) : NULL;
}

/**
 * od_found_fix_msmtp:
 *
 * The fixer for msmtp (#OdFoundFixer): host, port, tls and tls_starttls, user in the
 * account's own block of ~/.msmtprc or ~/.config/msmtp/config.
 */
gboolean
od_found_fix_msmtp (const OdFoundContext  *context,
                    OdFoundAccount        *found,
                    const OdFoundFix      *fix,
                    char                 **backup,
                    GError               **error)
{
  static const OdFixFileClient client = { NULL, edit, reread };

  g_return_val_if_fail (context != NULL && OD_IS_FOUND_ACCOUNT (found) && fix != NULL, FALSE);

  return od_fix_file (&client, found, fix, backup, error);
}
