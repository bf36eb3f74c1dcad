/* od-found-fix-url.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-found-aerc.h"
#include "od-found-fix-files.h"
#include "od-found-neomutt.h"

/* Fixing the clients whose outgoing server is one URL: NeoMutt's (and Mutt's) smtp_url and
 * aerc's outgoing. The URL is rebuilt with GUri (od_fix_url()): the host, port and user
 * changed, everything else (a password, the path) as it was written; the scheme carries the
 * encryption. Only the URL's text in the file is replaced, in the quotes it had. */

/* Where the value of a setting is on its line. */
typedef struct
{
  gint   line;      /* -1: not found */
  gsize  start;     /* in the line */
  gsize  end;
  char  *value;     /* as the reader takes it */
} Site;

static void
site_clear (Site *site)
{
  g_clear_pointer (&site->value, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Site, site_clear)

/* ------------------------------------------------------------------------------------------
 * NeoMutt
 * ------------------------------------------------------------------------------------------ */

/* "set a = b c=d nox invx", "unset a", "reset a": what happens to smtp_url. A value that is
 * not a plain assignment on a line of its own (a continued line, a command or a $variable in
 * it, unset, reset) cannot be changed in place: @site's line becomes -2. */
static void
neomutt_assignments (const char *line,
                     const char *p,
                     const char *command,
                     gint        index,
                     gboolean    single,
                     Site       *site)
{
  gboolean set = g_str_equal (command, "set");

  for (;;)
    {
      g_autofree char *name = od_found_neomutt_next_token (&p, TRUE, NULL);
      g_autofree char *eq = NULL;
      const char *after_name = p;
      const char *bare;

      if (name == NULL || g_str_equal (name, "="))
        return;
      eq = od_found_neomutt_next_token (&p, TRUE, NULL);
      if (set && eq != NULL && g_str_equal (eq, "="))
        {
          gboolean unusable = FALSE;
          const char *start = p + strspn (p, " \t");
          g_autofree char *value = od_found_neomutt_next_token (&p, FALSE, &unusable);

          if (!g_str_equal (name, "smtp_url"))
            continue;
          site_clear (site);
          site->line = single && !unusable && value != NULL ? index : -2;
          site->start = start - line;
          site->end = p - line;
          site->value = g_steal_pointer (&value);
          continue;
        }
      p = after_name;
      bare = g_str_has_prefix (name, "no") ? name + 2
             : g_str_has_prefix (name, "inv") ? name + 3 : name;
      if (g_str_equal (name, "smtp_url") || (set && g_str_equal (bare, "smtp_url")))
        site->line = -2;
    }
}

/* The commands of one line (after continued lines were joined, @single FALSE). */
static void
neomutt_line (const char *line,
              gint        index,
              gboolean    single,
              Site       *site)
{
  const char *p = line;

  while (*p != '\0')
    {
      g_autofree char *command = od_found_neomutt_next_token (&p, FALSE, NULL);

      if (command == NULL)
        {
          if (*p != ';')
            return;
          p++;
          continue;
        }
      if (g_str_equal (command, "set") || g_str_equal (command, "unset")
          || g_str_equal (command, "reset"))
        neomutt_assignments (line, p, command, index, single, site);
      for (;;)
        {
          g_autofree char *rest = od_found_neomutt_next_token (&p, FALSE, NULL);

          if (rest == NULL)
            break;
        }
    }
}

/* Where the smtp_url NeoMutt uses is set, as od-found-neomutt.c reads the file. */
static void
neomutt_find_url (OdFixText *text,
                  Site      *site)
{
  g_autoptr(GString) joined = g_string_new (NULL);
  guint first = 0;

  site->line = -1;
  for (guint i = 0; i < od_fix_text_get_n_lines (text); i++)
    {
      g_autofree char *line = od_fix_text_dup_line (text, i);
      gsize len = strlen (line);

      if (joined->len == 0)
        first = i;
      if (len > 0 && line[len - 1] == '\\')
        {
          g_string_append_len (joined, line, len - 1);
          continue;
        }
      g_string_append (joined, line);
      neomutt_line (joined->str, first, first == i, site);
      g_string_truncate (joined, 0);
    }
  if (joined->len > 0)
    neomutt_line (joined->str, first, FALSE, site);
}

/* The URL as a NeoMutt value: in the quotes it had when they can hold it, else bare when
 * nothing in it is special, else in single quotes, else double quotes with escapes. */
static char *
neomutt_quote (const char *url,
               char        quote)
{
  GString *out;

  if (quote == '"' && strpbrk (url, "\"\\`$") == NULL)
    return g_strdup_printf ("\"%s\"", url);
  if (quote == '\'' && strchr (url, '\'') == NULL)
    return g_strdup_printf ("'%s'", url);
  if (strpbrk (url, " \t;#\"'\\`$") == NULL)
    return g_strdup (url);
  if (strchr (url, '\'') == NULL)
    return g_strdup_printf ("'%s'", url);
  out = g_string_new ("\"");
  for (const char *p = url; *p != '\0'; p++)
    {
      if (strchr ("\"\\`$", *p) != NULL)
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

static OdFoundAccount *
neomutt_reread (const char     *contents,
                gsize           length,
                OdFoundAccount *found)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  OdFoundAccount *account;

  if (!od_found_neomutt_parse (contents, length, od_found_account_get_source_path (found),
                               od_found_account_get_native_id (found), accounts, NULL))
    return NULL;
  account = od_fix_find_account (accounts, found);
  return account != NULL ? g_object_ref (account) : NULL;
}

/* smtp:// is STARTTLS or no encryption by NeoMutt's ssl_starttls and ssl_force_tls, which
 * apply to every server: Outbox Doctor does not change them. */
static gboolean
neomutt_check_security (OdFixText         *text,
                        OdFoundAccount    *found,
                        const OdFoundFix  *fix,
                        GError           **error)
{
  gsize length = 0;
  g_autofree char *changed = od_fix_text_render (text, &length);
  g_autoptr(OdFoundAccount) after = neomutt_reread (changed, length, found);
  g_autofree char *display = g_filename_display_name (od_found_account_get_source_path (found));

  if (after == NULL || od_account_get_security (od_found_account_get_account (after))
                       == fix->security)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               /* Translators: %s is a file; ssl_starttls and ssl_force_tls are NeoMutt's
                * settings */
               _("With smtp://, NeoMutt chooses between STARTTLS and no encryption by its "
                 "settings ssl_starttls and ssl_force_tls, which apply to every server: "
                 "Outbox Doctor does not change them. Change them in %s yourself."), display);
  return FALSE;
}

static gboolean
neomutt_edit (OdFixText         *text,
              OdFoundAccount    *found,
              const OdFoundFix  *fix,
              GError           **error)
{
  g_auto(Site) site = { -1, 0, 0, NULL };
  g_autofree char *url = NULL, *quoted = NULL, *line = NULL;
  g_autofree char *display = g_filename_display_name (od_found_account_get_source_path (found));
  const char *scheme = NULL;

  neomutt_find_url (text, &site);
  if (site.line < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   /* Translators: %s is a file */
                   _("The smtp_url in %s is not written as one plain “set smtp_url = …” on a "
                     "line of its own: Outbox Doctor does not change it. Change it there "
                     "yourself."), display);
      return FALSE;
    }
  if (fix->set_security)
    scheme = fix->security == OD_SECURITY_TLS ? "smtps" : "smtp";
  url = od_fix_url (site.value, scheme, fix, error);
  if (url == NULL)
    return FALSE;
  line = od_fix_text_dup_line (text, site.line);
  quoted = neomutt_quote (url, line[site.start]);
  od_fix_text_splice (text, od_fix_text_get_line (text, site.line)->start + site.start,
                      site.end - site.start, quoted);
  if (fix->set_security && fix->security != OD_SECURITY_TLS)
    return neomutt_check_security (text, found, fix, error);
  return TRUE;
}

/**
 * od_found_fix_neomutt:
 *
 * The fixer for NeoMutt and Mutt (#OdFoundFixer): the smtp_url of the rc file the account
 * was read from.
 */
gboolean
od_found_fix_neomutt (const OdFoundContext  *context,
                      OdFoundAccount        *found,
                      const OdFoundFix      *fix,
                      char                 **backup,
                      GError               **error)
{
  static const OdFixFileClient client = { NULL, neomutt_edit, neomutt_reread };

  g_return_val_if_fail (context != NULL && OD_IS_FOUND_ACCOUNT (found) && fix != NULL, FALSE);

  return od_fix_file (&client, found, fix, backup, error);
}

/* ------------------------------------------------------------------------------------------
 * aerc
 * ------------------------------------------------------------------------------------------ */

/* The value of "outgoing" in the account's section, as od-found-aerc.c reads accounts.conf
 * (the first section of that name, the last "outgoing" in it). */
static void
aerc_find_outgoing (OdFixText  *text,
                    const char *account,
                    Site       *site)
{
  gboolean inside = FALSE, done = FALSE;

  site->line = -1;
  for (guint i = 0; i < od_fix_text_get_n_lines (text); i++)
    {
      g_autofree char *line = od_fix_text_dup_line (text, i);
      char *p = line + strspn (line, " \t\r\v\f");
      g_autofree char *key = NULL, *raw = NULL;
      gsize sep, end;

      if (p[0] == '\0' || p[0] == '#' || p[0] == ';')
        continue;
      if (p[0] == '[')
        {
          char *close = strchr (p, ']');
          g_autofree char *name = close != NULL ? g_strndup (p + 1, close - p - 1) : NULL;

          done = done || inside;
          inside = !done && name != NULL && g_str_equal (g_strstrip (name), account);
          continue;
        }
      sep = strcspn (p, "=:");
      if (!inside || p[sep] == '\0' || sep == 0)
        continue;
      raw = g_strndup (p, sep);
      key = g_ascii_strdown (g_strstrip (raw), -1);
      if (!g_str_equal (key, "outgoing"))
        continue;
      site->line = i;
      site->start = (p + sep + 1) - line;
      site->start += strspn (line + site->start, " \t\r\v\f");
      end = strlen (line);
      while (end > site->start && g_ascii_isspace (line[end - 1]))
        end--;
      site->end = end;
      /* One pair of surrounding quotes or backticks is not part of the value. */
      if (end - site->start >= 2 && (line[site->start] == '"' || line[site->start] == '`')
          && line[end - 1] == line[site->start])
        site->start++, site->end--;
    }
}

/* aerc's scheme with the encryption of @fix: smtps, smtp (STARTTLS) or smtp+insecure, the
 * login method ("+login", …) kept. */
static char *
aerc_scheme (const char *scheme,
             OdSecurity  security)
{
  g_auto(GStrv) parts = g_strsplit (scheme, "+", -1);
  GString *out = g_string_new (security == OD_SECURITY_TLS ? "smtps" : "smtp");

  if (security == OD_SECURITY_NONE)
    g_string_append (out, "+insecure");
  for (guint i = 1; parts[i] != NULL; i++)
    if (g_ascii_strcasecmp (parts[i], "insecure") != 0)
      g_string_append_printf (out, "+%s", parts[i]);
  return g_string_free (out, FALSE);
}

static gboolean
aerc_edit (OdFixText         *text,
           OdFoundAccount    *found,
           const OdFoundFix  *fix,
           GError           **error)
{
  g_auto(Site) site = { -1, 0, 0, NULL };
  g_autofree char *line = NULL, *value = NULL, *scheme = NULL, *url = NULL;

  aerc_find_outgoing (text, od_found_account_get_native_id (found), &site);
  if (site.line < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("This aerc account is not in accounts.conf any more."));
      return FALSE;
    }
  line = od_fix_text_dup_line (text, site.line);
  value = g_strndup (line + site.start, site.end - site.start);
  if (fix->set_security)
    {
      const char *colon = strchr (value, ':');
      g_autofree char *old = g_strndup (value, colon != NULL ? (gsize)(colon - value) : 0);

      scheme = aerc_scheme (old, fix->security);
    }
  url = od_fix_url (value, scheme, fix, error);
  if (url == NULL)
    return FALSE;
  od_fix_text_splice (text, od_fix_text_get_line (text, site.line)->start + site.start,
                      site.end - site.start, url);
  return TRUE;
}

static OdFoundAccount *
aerc_reread (const char     *contents,
             gsize           length,
             OdFoundAccount *found)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  OdFoundAccount *account;

  if (!od_found_aerc_parse (contents, length, od_found_account_get_source_path (found),
                            accounts, NULL))
    return NULL;
  account = od_fix_find_account (accounts, found);
  return account != NULL ? g_object_ref (account) : NULL;
}

/**
 * od_found_fix_aerc:
 *
 * The fixer for aerc (#OdFoundFixer): the outgoing URL of the account's section in
 * accounts.conf; outgoing-cred-cmd and every other key stay as they are.
 */
gboolean
od_found_fix_aerc (const OdFoundContext  *context,
                   OdFoundAccount        *found,
                   const OdFoundFix      *fix,
                   char                 **backup,
                   GError               **error)
{
  static const OdFixFileClient client = { NULL, aerc_edit, aerc_reread };

  g_return_val_if_fail (context != NULL && OD_IS_FOUND_ACCOUNT (found) && fix != NULL, FALSE);

  return od_fix_file (&client, found, fix, backup, error);
}
