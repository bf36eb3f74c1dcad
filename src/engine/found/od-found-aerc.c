/* od-found-aerc.c
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
#include "od-found-dotfile.h"

/* aerc's accounts.conf (aerc-accounts(5), aerc-smtp(5), aerc-imap(5)): an INI file as Go's
 * ini package reads it, one [section] per account. GKeyFile is not used: it refuses ";"
 * comments and "key: value", which aerc accepts, and it unescapes values aerc keeps as they
 * are. The URLs are parsed by GUri. Commands (*-cred-cmd) are never run. */

typedef struct
{
  char       *name;
  GHashTable *values;
} Section;

static void
section_free (Section *section)
{
  g_free (section->name);
  g_hash_table_unref (section->values);
  g_free (section);
}

/* A value as go-ini gives it: trimmed, one pair of surrounding quotes or backticks off. */
static char *
ini_value (const char *raw)
{
  char *value = g_strstrip (g_strdup (raw));
  gsize len = strlen (value);

  if (len >= 2 && (value[0] == '"' || value[0] == '`') && value[len - 1] == value[0])
    {
      memmove (value, value + 1, len - 2);
      value[len - 2] = '\0';
    }
  return value;
}

/* The sections of the file, at most %OD_FOUND_DOTFILE_MAX_ACCOUNTS; lines that are none of
 * section, key and comment are counted in @bad_lines. */
static GPtrArray *
ini_parse (const char *contents,
           gsize       length,
           guint      *bad_lines)
{
  GPtrArray *sections = g_ptr_array_new_with_free_func ((GDestroyNotify)section_free);
  const char *cursor = contents, *end = contents + length;
  Section *current = NULL;
  gboolean skipping = FALSE;
  char *line;

  *bad_lines = 0;
  while ((line = od_found_dotfile_next_line (&cursor, end)) != NULL)
    {
      g_autofree char *owned = line;
      char *text = g_strstrip (line);
      gsize sep;

      if (text[0] == '\0' || text[0] == '#' || text[0] == ';')
        continue;
      if (text[0] == '[')
        {
          char *close = strchr (text, ']');

          current = NULL;
          skipping = TRUE;
          if (close == NULL || close == text + 1
              || sections->len >= OD_FOUND_DOTFILE_MAX_ACCOUNTS)
            {
              *bad_lines += close == NULL || close == text + 1;
              continue;
            }
          current = g_new0 (Section, 1);
          current->name = g_strstrip (g_strndup (text + 1, close - text - 1));
          current->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          g_ptr_array_add (sections, current);
          skipping = FALSE;
          continue;
        }
      sep = strcspn (text, "=:");
      if (text[sep] == '\0' || sep == 0)
        {
          *bad_lines += 1;
          continue;
        }
      if (current == NULL || skipping)
        continue;
      text[sep] = '\0';
      g_hash_table_replace (current->values, g_ascii_strdown (g_strstrip (text), -1),
                            ini_value (text + sep + 1));
    }
  return sections;
}

/* A URL's scheme split as aerc reads it: "smtps+login" → base "smtps", flags "+login". */
typedef struct
{
  char     *base;
  gboolean  insecure;
  char     *auth;   /* NULL: the default (plain) */
  gboolean  unknown;
} Scheme;

static void
scheme_parse (const char *text,
              Scheme     *scheme)
{
  g_auto(GStrv) parts = g_strsplit (text, "+", 4);

  memset (scheme, 0, sizeof *scheme);
  scheme->base = g_ascii_strdown (parts[0], -1);
  for (guint i = 1; parts[i] != NULL; i++)
    {
      g_autofree char *part = g_ascii_strdown (parts[i], -1);

      if (g_str_equal (part, "insecure"))
        scheme->insecure = TRUE;
      else if (scheme->auth == NULL
               && (g_str_equal (part, "none") || g_str_equal (part, "plain")
                   || g_str_equal (part, "login") || g_str_equal (part, "oauthbearer")
                   || g_str_equal (part, "xoauth2")))
        scheme->auth = g_steal_pointer (&part);
      else
        scheme->unknown = TRUE;
    }
}

static void
scheme_clear (Scheme *scheme)
{
  g_clear_pointer (&scheme->base, g_free);
  g_clear_pointer (&scheme->auth, g_free);
}

/* The outgoing server; FALSE when there is none we can use. */
static gboolean
map_outgoing (const char     *url,
              OdFoundAccount *found)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD, NULL);
  OdAccount *account = od_found_account_get_account (found);
  Scheme scheme;
  const char *user;
  gboolean smtps, ok;
  gint port;

  if (uri == NULL || !od_found_dotfile_host_ok (g_uri_get_host (uri)))
    return FALSE;
  scheme_parse (g_uri_get_scheme (uri), &scheme);
  smtps = g_str_equal (scheme.base, "smtps");
  ok = (smtps || g_str_equal (scheme.base, "smtp")) && !scheme.unknown
       && !(smtps && scheme.insecure);
  if (!ok)
    {
      scheme_clear (&scheme);
      return FALSE;
    }

  /* aerc-smtp(5): smtps is TLS from the first byte (465), smtp STARTTLS and
   * smtp+insecure none (both 587). */
  od_account_set_host (account, g_uri_get_host (uri));
  od_account_set_security (account, smtps ? OD_SECURITY_TLS
                                    : scheme.insecure ? OD_SECURITY_NONE : OD_SECURITY_STARTTLS);
  port = g_uri_get_port (uri);
  od_account_set_port (account, port > 0 && port <= G_MAXUINT16 ? (guint16)port
                                : smtps ? 465 : 587);
  user = g_uri_get_user (uri);
  if (user == NULL || user[0] == '\0' || !g_utf8_validate (user, -1, NULL))
    user = NULL;
  od_account_set_username (account, user);
  if (g_strcmp0 (scheme.auth, "none") == 0)
    od_account_set_auth_mechanism (account, OD_ACCOUNT_AUTH_NONE);
  else if (scheme.auth == NULL || g_str_equal (scheme.auth, "plain"))
    od_account_set_auth_mechanism (account, "PLAIN");
  else
    {
      g_autofree char *upper = g_ascii_strup (scheme.auth, -1);

      od_account_set_auth_mechanism (account, upper);
      if (!g_str_equal (scheme.auth, "login"))
        od_found_account_add_note (found, _("An OAuth account: Outbox Doctor cannot test it "
                                            "yet."));
    }
  if (g_uri_get_password (uri) != NULL)
    od_found_account_add_note (found, _("The password is written in the outgoing URL of aerc’s "
                                        "accounts.conf: Outbox Doctor does not read it."));
  scheme_clear (&scheme);
  return TRUE;
}

/* The incoming server from "source", when it is IMAP (aerc-imap(5): imaps 993, imap with
 * STARTTLS and imap+insecure 143). */
static void
map_incoming (const char     *url,
              OdFoundAccount *found)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD, NULL);
  Scheme scheme;
  const char *user;
  gboolean imaps;
  gint port;

  if (uri == NULL || !od_found_dotfile_host_ok (g_uri_get_host (uri)))
    return;
  scheme_parse (g_uri_get_scheme (uri), &scheme);
  imaps = g_str_equal (scheme.base, "imaps");
  if ((imaps || g_str_equal (scheme.base, "imap")) && !scheme.unknown)
    {
      user = g_uri_get_user (uri);
      if (user == NULL || user[0] == '\0' || !g_utf8_validate (user, -1, NULL))
        user = NULL;
      port = g_uri_get_port (uri);
      od_account_set_incoming (od_found_account_get_account (found), "imap",
                               g_uri_get_host (uri),
                               port > 0 && port <= G_MAXUINT16 ? (guint16)port
                               : imaps ? 993 : 143,
                               imaps ? OD_SECURITY_TLS
                               : scheme.insecure ? OD_SECURITY_NONE : OD_SECURITY_STARTTLS,
                               user);
    }
  scheme_clear (&scheme);
}

static void
add_note_once (GPtrArray  *notes,
               const char *note)
{
  if (!g_ptr_array_find_with_equal_func (notes, note, g_str_equal, NULL))
    g_ptr_array_add (notes, g_strdup (note));
}

static OdFoundAccount *
map_section (Section    *section,
             const char *path,
             GPtrArray  *file_notes)
{
  g_autoptr(OdFoundAccount) found = NULL;
  g_autofree char *name = NULL, *address = NULL;
  const char *outgoing = g_hash_table_lookup (section->values, "outgoing");
  const char *from = g_hash_table_lookup (section->values, "from");
  const char *source = g_hash_table_lookup (section->values, "source");
  g_autofree char *shown = g_utf8_make_valid (section->name, -1);

  if (outgoing == NULL || outgoing[0] == '\0')
    return NULL;
  if (strstr (outgoing, "://") == NULL)
    {
      /* A sendmail-like program: never run. */
      add_note_once (file_notes, _("An aerc account hands mail to a local program, not to an "
                                   "SMTP server: Outbox Doctor does not run it."));
      return NULL;
    }
  if (from != NULL)
    od_found_dotfile_split_mailbox (from, &name, &address);
  found = od_found_account_new (OD_ORIGIN_AERC, shown, address);
  od_found_account_set_source_path (found, path);
  if (name != NULL)
    od_account_set_display_name (od_found_account_get_account (found), name);
  if (!map_outgoing (outgoing, found))
    {
      g_autofree char *note = g_strdup_printf (_("The outgoing server of the aerc account “%s” "
                                                 "cannot be used: it was skipped."), shown);

      add_note_once (file_notes, note);
      return NULL;
    }
  if (source != NULL)
    map_incoming (source, found);
  if (from != NULL && address == NULL)
    od_found_account_add_note (found, _("The sender address of this aerc account could not be "
                                        "read."));
  if (g_hash_table_contains (section->values, "outgoing-cred-cmd"))
    od_found_account_add_note (found, _("aerc runs a command for the password: Outbox Doctor "
                                        "does not run it and asks for the password."));
  return g_steal_pointer (&found);
}

/**
 * od_found_aerc_parse:
 *
 * Adds the accounts of aerc's accounts.conf to @found (at most
 * %OD_FOUND_DOTFILE_MAX_ACCOUNTS). Returns %FALSE with @error when the file has accounts but
 * none of them could be used.
 */
gboolean
od_found_aerc_parse (const char  *contents,
                     gsize        length,
                     const char  *path,
                     GPtrArray   *found,
                     GError     **error)
{
  g_autoptr(GPtrArray) sections = NULL;
  g_autoptr(GPtrArray) file_notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) mapped = g_ptr_array_new_with_free_func (g_object_unref);
  guint bad_lines = 0;

  g_return_val_if_fail (contents != NULL && path != NULL && found != NULL, FALSE);

  sections = ini_parse (contents, length, &bad_lines);
  if (bad_lines > 0)
    add_note_once (file_notes, _("Some lines of aerc’s accounts.conf could not be read and "
                                 "were skipped."));
  for (guint i = 0; i < sections->len; i++)
    {
      OdFoundAccount *account = map_section (sections->pdata[i], path, file_notes);

      if (account != NULL)
        g_ptr_array_add (mapped, account);
    }
  if (mapped->len == 0 && file_notes->len > 0)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, file_notes->pdata[0]);
      return FALSE;
    }
  for (guint i = 0; i < mapped->len; i++)
    {
      for (guint j = 0; j < file_notes->len; j++)
        od_found_account_add_note (mapped->pdata[i], file_notes->pdata[j]);
      g_ptr_array_add (found, g_object_ref (mapped->pdata[i]));
    }
  return TRUE;
}

/**
 * od_found_aerc_read:
 *
 * The reader for aerc (#OdFoundReader): $XDG_CONFIG_HOME/aerc/accounts.conf, one account
 * ("aerc:ACCOUNT") for each section with an SMTP server.
 */
gboolean
od_found_aerc_read (const OdFoundContext  *context,
                    GPtrArray             *found,
                    GError               **error)
{
  g_autofree char *path = NULL, *contents = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (context != NULL && found != NULL, FALSE);

  path = g_build_filename (context->config_home, "aerc", "accounts.conf", NULL);
  if (!od_found_dotfile_read (path, &contents, &local_error))
    {
      if (local_error == NULL)
        return TRUE;      /* aerc is not set up */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return od_found_aerc_parse (contents, strlen (contents), path, found, error);
}
