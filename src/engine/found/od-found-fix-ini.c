/* od-found-fix-ini.c
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
#include "od-found-geary.h"
#include "od-found-kmail.h"
#include "od-kconfig.h"

/* Fixing the clients whose settings are key files: Geary's geary.ini ([Outgoing] host,
 * port, transport_security, login) and KMail's mailtransports ([Transport N] host, port,
 * encryption, user), each only while the client is not running, since both write their
 * settings from memory. The last line of a key in the group (a group may appear more than
 * once: its keys add up, the last one wins) gets its new value; the rest of the line before
 * the value stays. A missing key is added after the group's last key. */

/* A key's line in a group. */
typedef struct
{
  gint      line;          /* -1: none */
  gsize     value_start;   /* in the line: after "=" and blanks */
  gboolean  marked;        /* a KConfig marker ([$i] locked, [$e] expanded) on any of them */
  gint      anchor;        /* the group's last key line (or its header); -1: no such group */
} Place;

/* "[Name]": the group's name, or NULL. */
static char *
group_name (const char *p)
{
  gsize len = strlen (p);
  g_autofree char *name = NULL;

  while (len > 0 && g_ascii_isspace (p[len - 1]))
    len--;
  if (len < 2 || p[0] != '[' || p[len - 1] != ']')
    return NULL;
  name = g_strndup (p + 1, len - 2);
  if (strpbrk (name, "[]") != NULL)
    return NULL;
  return g_steal_pointer (&name);
}

/* Where @key of @group is (see Place). A key with a locale ("key[de]") is another key; one
 * with a KConfig marker ("key[$i]") is the same key, marked. */
static void
find_key (OdFixText  *text,
          const char *group,
          const char *key,
          Place      *place)
{
  gboolean inside = FALSE;

  *place = (Place) { -1, 0, FALSE, -1 };
  for (guint i = 0; i < od_fix_text_get_n_lines (text); i++)
    {
      g_autofree char *line = od_fix_text_dup_line (text, i);
      const char *p = line + strspn (line, " \t");
      g_autofree char *name = NULL;
      const char *eq, *bracket;
      gsize key_len;

      if (*p == '\0' || *p == '#')
        continue;
      if (*p == '[')
        {
          name = group_name (p);
          inside = name != NULL && g_str_equal (name, group);
          if (inside)
            place->anchor = i;
          continue;
        }
      eq = strchr (p, '=');
      if (!inside || eq == NULL)
        continue;
      place->anchor = i;
      key_len = eq - p;
      while (key_len > 0 && (p[key_len - 1] == ' ' || p[key_len - 1] == '\t'))
        key_len--;
      bracket = memchr (p, '[', key_len);
      if ((bracket != NULL ? (gsize)(bracket - p) : key_len) != strlen (key)
          || strncmp (p, key, strlen (key)) != 0)
        continue;
      if (bracket != NULL && bracket[1] != '$')
        continue;     /* a locale */
      place->marked = place->marked || bracket != NULL;
      place->line = i;
      place->value_start = (eq + 1 - line) + strspn (eq + 1, " \t");
    }
}

/* Sets @key of @group to @value (escaped as the file needs it): in place, or as a new line
 * in @added for the group. FALSE when KConfig marks the key. */
static gboolean
set_key (OdFixText  *text,
         const char *group,
         const char *key,
         const char *value,
         GPtrArray  *added,
         gint       *anchor)
{
  Place place;

  find_key (text, group, key, &place);
  *anchor = place.anchor;
  if (place.marked)
    return FALSE;
  if (place.line >= 0)
    {
      const OdFixLine *line = od_fix_text_get_line (text, place.line);

      od_fix_text_splice (text, line->start + place.value_start,
                          line->length - place.value_start, value);
    }
  else
    g_ptr_array_add (added, g_strdup_printf ("%s=%s", key, value));
  return TRUE;
}

/* The lines @added after the group's last key; a group that is not there is added at the
 * end of the file. */
static void
add_keys (OdFixText  *text,
          const char *group,
          GPtrArray  *added,
          gint        anchor)
{
  guint last = od_fix_text_get_n_lines (text) > 0 ? od_fix_text_get_n_lines (text) - 1 : 0;

  if (added->len == 0)
    return;
  if (anchor < 0)
    {
      g_autofree char *header = g_strdup_printf ("[%s]", group);

      if (od_fix_text_get_n_lines (text) > 0 && od_fix_text_get_line (text, last)->length > 0)
        od_fix_text_insert_line_after (text, last, "");
      od_fix_text_insert_line_after (text, last, header);
    }
  for (guint i = 0; i < added->len; i++)
    od_fix_text_insert_line_after (text, anchor >= 0 ? (guint)anchor : last, added->pdata[i]);
}

/* A value as GKeyFile (and KConfig) read it back: backslashes doubled, blanks at its ends
 * as \s. */
static char *
escape_value (const char *value)
{
  GString *out = g_string_new (NULL);
  gsize len = strlen (value);

  for (gsize i = 0; i < len; i++)
    {
      if (value[i] == '\\')
        g_string_append (out, "\\\\");
      else if (value[i] == ' ' && (i == 0 || i == len - 1))
        g_string_append (out, "\\s");
      else
        g_string_append_c (out, value[i]);
    }
  return g_string_free (out, FALSE);
}

/* The keys of @fix in @group; FALSE with @error when a key is marked. */
static gboolean
set_keys (OdFixText         *text,
          const char        *group,
          const char * const keys[4],
          const char        *security,
          const OdFoundFix  *fix,
          GError           **error)
{
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *port = fix->port != 0 ? g_strdup_printf ("%u", fix->port) : NULL;
  g_autofree char *host = fix->host != NULL ? escape_value (fix->host) : NULL;
  g_autofree char *user = fix->username != NULL ? escape_value (fix->username) : NULL;
  const char *values[4] = { host, port, fix->set_security ? security : NULL, user };
  gint anchor = -1;

  for (guint i = 0; i < 4; i++)
    if (values[i] != NULL && !set_key (text, group, keys[i], values[i], added, &anchor))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                     /* Translators: %s is a setting's name, "user" */
                     _("KMail’s setting “%s” of this server is locked or taken from the "
                       "environment ([$i] or [$e]): Outbox Doctor does not change it."),
                     keys[i]);
        return FALSE;
      }
  add_keys (text, group, added, anchor);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------
 * Geary
 * ------------------------------------------------------------------------------------------ */

static gboolean
geary_check_idle (OdFoundAccount  *found,
                  GError         **error)
{
  static const char * const names[] = { "geary", NULL };

  return od_fix_refuse_running (names, od_found_origin_get_name (OD_ORIGIN_GEARY), error);
}

static gboolean
geary_edit (OdFixText         *text,
            OdFoundAccount    *found,
            const OdFoundFix  *fix,
            GError           **error)
{
  static const char * const keys[4] = { "host", "port", "transport_security", "login" };
  const char *contents = od_fix_text_get_contents (text);
  g_autoptr(GKeyFile) ini = g_key_file_new ();
  g_autofree char *provider = NULL, *credentials = NULL;

  if (!g_key_file_load_from_data (ini, contents, strlen (contents), G_KEY_FILE_NONE, error))
    return FALSE;
  provider = g_key_file_get_string (ini, "Account", "service_provider", NULL);
  if (g_strcmp0 (provider, "gmail") == 0 || g_strcmp0 (provider, "outlook") == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Geary sets the servers of this account itself (Gmail or "
                             "Outlook.com): Outbox Doctor does not change them."));
      return FALSE;
    }
  credentials = g_key_file_get_string (ini, "Outgoing", "credentials", NULL);
  if (fix->username != NULL && g_strcmp0 (credentials, "custom") != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Geary logs in to this outgoing server with the incoming server’s "
                             "login, or not at all: change the user name in Geary’s account "
                             "settings."));
      return FALSE;
    }
  return set_keys (text, "Outgoing", keys,
                   fix->security == OD_SECURITY_TLS ? "transport"
                   : fix->security == OD_SECURITY_STARTTLS ? "start-tls" : "none",
                   fix, error);
}

static OdFoundAccount *
geary_reread (const char     *contents,
              gsize           length,
              OdFoundAccount *found)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  OdFoundAccount *account;

  if (!od_found_geary_parse (contents, length, od_found_account_get_native_id (found),
                             od_found_account_get_source_path (found), accounts, NULL))
    return NULL;
  account = od_fix_find_account (accounts, found);
  return account != NULL ? g_object_ref (account) : NULL;
}

/**
 * od_found_fix_geary:
 *
 * The fixer for Geary (#OdFoundFixer): [Outgoing] of the account's geary.ini, only while
 * Geary is not running. The login only when the outgoing server has its own
 * (credentials=custom).
 */
gboolean
od_found_fix_geary (const OdFoundContext  *context,
                    OdFoundAccount        *found,
                    const OdFoundFix      *fix,
                    char                 **backup,
                    GError               **error)
{
  static const OdFixFileClient client = { geary_check_idle, geary_edit, geary_reread };

  g_return_val_if_fail (context != NULL && OD_IS_FOUND_ACCOUNT (found) && fix != NULL, FALSE);

  return od_fix_file (&client, found, fix, backup, error);
}

/* ------------------------------------------------------------------------------------------
 * KMail
 * ------------------------------------------------------------------------------------------ */

static gboolean
kmail_check_idle (OdFoundAccount  *found,
                  GError         **error)
{
  /* Kontact holds KMail as one of its parts. */
  static const char * const names[] = { "kmail", "kontact", NULL };

  return od_fix_refuse_running (names, od_found_origin_get_name (OD_ORIGIN_KMAIL), error);
}

/* The group of the transport @id, as od-found-kmail.c finds it: the first "Transport N"
 * of SMTP whose id (else N) it is. */
static char *
kmail_group (GKeyFile   *transports,
             const char *id)
{
  g_auto(GStrv) groups = g_key_file_get_groups (transports, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *identifier = NULL, *own = NULL;

      if (!g_str_has_prefix (groups[i], "Transport ") || groups[i][strlen ("Transport ")] == '\0')
        continue;
      identifier = od_kconfig_get_string (transports, groups[i], "identifier");
      if (identifier != NULL && g_ascii_strcasecmp (identifier, "SMTP") != 0)
        continue;
      own = od_kconfig_get_string (transports, groups[i], "id");
      if (own == NULL || own[0] == '\0' || strchr (own, '/') != NULL)
        {
          g_free (own);
          own = g_strdup (groups[i] + strlen ("Transport "));
        }
      if (g_str_equal (own, id))
        return g_strdup (groups[i]);
    }
  return NULL;
}

static gboolean
kmail_edit (OdFixText         *text,
            OdFoundAccount    *found,
            const OdFoundFix  *fix,
            GError           **error)
{
  static const char * const keys[4] = { "host", "port", "encryption", "user" };
  const char *contents = od_fix_text_get_contents (text);
  g_autoptr(GKeyFile) transports = od_kconfig_load (contents, strlen (contents), NULL, error);
  g_autofree char *group = NULL;

  if (transports == NULL)
    return FALSE;
  group = kmail_group (transports, od_found_account_get_native_id (found));
  if (group == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("This KMail server is not in mailtransports any more."));
      return FALSE;
    }
  /* As KMail writes the encryption: the names of mailtransport.kcfg's choices. */
  return set_keys (text, group, keys,
                   fix->security == OD_SECURITY_TLS ? "SSL"
                   : fix->security == OD_SECURITY_STARTTLS ? "TLS" : "None",
                   fix, error);
}

static OdFoundAccount *
kmail_reread (const char     *contents,
              gsize           length,
              OdFoundAccount *found)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  OdFoundAccount *account;

  if (!od_found_kmail_parse (contents, length, od_found_account_get_source_path (found),
                             accounts, NULL))
    return NULL;
  account = od_fix_find_account (accounts, found);
  return account != NULL ? g_object_ref (account) : NULL;
}

/**
 * od_found_fix_kmail:
 *
 * The fixer for KMail (#OdFoundFixer): the transport's group in mailtransports, only while
 * KMail (or Kontact) is not running; a key KConfig locks ([$i]) or expands ([$e]) is not
 * changed.
 */
gboolean
od_found_fix_kmail (const OdFoundContext  *context,
                    OdFoundAccount        *found,
                    const OdFoundFix      *fix,
                    char                 **backup,
                    GError               **error)
{
  static const OdFixFileClient client = { kmail_check_idle, kmail_edit, kmail_reread };

  g_return_val_if_fail (context != NULL && OD_IS_FOUND_ACCOUNT (found) && fix != NULL, FALSE);

  return od_fix_file (&client, found, fix, backup, error);
}
