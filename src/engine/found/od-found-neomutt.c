/* od-found-neomutt.c
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
#include "od-found-neomutt.h"

/* NeoMutt's and Mutt's rc files, read line by line for the few variables that say how mail
 * is sent ("set smtp_url = …", from, real_name, smtp_pass, smtp_authenticators,
 * ssl_starttls, ssl_force_tls). Nothing is executed or expanded: a value with `command`
 * substitution or a $variable is not used, "source" is not followed. */

typedef struct
{
  GHashTable *values;     /* variable → value; "" for a value we may not use */
  GHashTable *unusable;   /* variables whose value had a command or a $reference */
  gboolean    sources;
} Rc;

/* Whether a token held something NeoMutt would run or expand. */
typedef enum
{
  TOKEN_PLAIN   = 0,
  TOKEN_COMMAND = 1 << 0,
  TOKEN_EXPAND  = 1 << 1,
} TokenFlags;

/* The next token of @p (as NeoMutt's parse_extract_token, without running or expanding
 * anything): quotes, backslash escapes; "=" ends a token when @equal. NULL at the end of the
 * command (end of line, ";" or a "#" comment). */
static char *
next_token (const char **p,
            gboolean     equal,
            TokenFlags  *flags)
{
  GString *token;
  char quote = 0;
  const char *s = *p;

  while (*s == ' ' || *s == '\t')
    s++;
  if (*s == '\0' || *s == ';' || *s == '#')
    {
      *p = s;
      return NULL;
    }
  if (equal && *s == '=')
    {
      *p = s + 1;
      return g_strdup ("=");
    }

  token = g_string_new (NULL);
  for (; *s != '\0'; s++)
    {
      if (quote == 0 && (*s == ' ' || *s == '\t' || *s == ';' || *s == '#'
                         || (equal && *s == '=')))
        break;
      if (*s == quote)
        quote = 0;
      else if (quote == 0 && (*s == '"' || *s == '\''))
        quote = *s;
      else if (*s == '\\' && quote != '\'' && s[1] != '\0')
        g_string_append_c (token, *++s);
      else
        {
          if (*s == '`' && quote != '\'')
            *flags |= TOKEN_COMMAND;
          else if (*s == '$' && quote != '\'')
            *flags |= TOKEN_EXPAND;
          g_string_append_c (token, *s);
        }
    }
  *p = s;
  return g_string_free (token, FALSE);
}

static void
rc_set (Rc         *rc,
        const char *name,
        const char *value,
        TokenFlags  flags)
{
  if (flags != TOKEN_PLAIN)
    {
      g_hash_table_add (rc->unusable, g_strdup (name));
      g_hash_table_remove (rc->values, name);
      return;
    }
  g_hash_table_remove (rc->unusable, name);
  g_hash_table_replace (rc->values, g_strdup (name), g_strdup (value));
}

/* "set a = b c d=e noflag invflag", "unset a", "reset a", "toggle a". */
static void
rc_assignments (Rc         *rc,
                const char *command,
                const char *p)
{
  for (;;)
    {
      TokenFlags flags = TOKEN_PLAIN, value_flags = TOKEN_PLAIN;
      g_autofree char *name = next_token (&p, TRUE, &flags);
      g_autofree char *eq = NULL, *value = NULL;
      const char *after_name;

      if (name == NULL || g_str_equal (name, "="))
        return;
      after_name = p;
      eq = next_token (&p, TRUE, &value_flags);
      if (g_str_equal (command, "set") && eq != NULL && g_str_equal (eq, "="))
        {
          value = next_token (&p, FALSE, &value_flags);
          rc_set (rc, name, value != NULL ? value : "", value_flags);
          continue;
        }
      p = after_name;
      if (g_str_equal (command, "set") && g_str_has_prefix (name, "no"))
        rc_set (rc, name + 2, "no", TOKEN_PLAIN);
      else if (g_str_equal (command, "set") && g_str_has_prefix (name, "inv"))
        {
          const char *old = g_hash_table_lookup (rc->values, name + 3);

          rc_set (rc, name + 3, g_strcmp0 (old, "no") == 0 ? "yes" : "no", TOKEN_PLAIN);
        }
      else if (g_str_equal (command, "set"))
        rc_set (rc, name, "yes", TOKEN_PLAIN);
      else if (g_str_equal (command, "unset"))
        rc_set (rc, name, "no", TOKEN_PLAIN);
      else if (g_str_equal (command, "reset"))
        {
          g_hash_table_remove (rc->values, name);
          g_hash_table_remove (rc->unusable, name);
        }
    }
}

static void
rc_line (Rc         *rc,
         const char *line)
{
  const char *p = line;

  while (*p != '\0')
    {
      TokenFlags flags = TOKEN_PLAIN;
      g_autofree char *command = next_token (&p, FALSE, &flags);

      if (command == NULL)
        {
          if (*p != ';')
            return;       /* the end, or a comment */
          p++;
          continue;
        }
      if (g_str_equal (command, "set") || g_str_equal (command, "unset")
          || g_str_equal (command, "reset"))
        rc_assignments (rc, command, p);
      else if (g_str_equal (command, "source"))
        rc->sources = TRUE;
      /* Skip the rest of this command. */
      for (;;)
        {
          TokenFlags ignored = TOKEN_PLAIN;
          g_autofree char *rest = next_token (&p, FALSE, &ignored);

          if (rest == NULL)
            break;
        }
    }
}

/* Quad options and booleans: yes, ask-yes (and NeoMutt's default) count as yes. */
static gboolean
rc_yes (Rc         *rc,
        const char *name,
        gboolean    fallback)
{
  const char *value = g_hash_table_lookup (rc->values, name);

  if (value == NULL)
    return fallback;
  return g_ascii_strcasecmp (value, "yes") == 0 || g_ascii_strcasecmp (value, "ask-yes") == 0
         || g_ascii_strcasecmp (value, "true") == 0;
}

static const char *
rc_get (Rc         *rc,
        const char *name,
        const char *synonym)
{
  const char *value = g_hash_table_lookup (rc->values, name);

  if (value == NULL && synonym != NULL)
    value = g_hash_table_lookup (rc->values, synonym);
  return value != NULL && value[0] != '\0' && g_utf8_validate (value, -1, NULL) ? value : NULL;
}

/* The server from smtp_url, parsed by GUri; FALSE (with a note) when it cannot be used. */
static gboolean
map_url (Rc             *rc,
         const char     *url,
         OdFoundAccount *found)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD, NULL);
  OdAccount *account = od_found_account_get_account (found);
  const char *scheme, *host;
  const char *user = NULL;
  gboolean smtps;
  gint port;

  if (uri == NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (!od_found_dotfile_host_ok (host)
      || (g_ascii_strcasecmp (scheme, "smtp") != 0 && g_ascii_strcasecmp (scheme, "smtps") != 0))
    return FALSE;

  smtps = g_ascii_strcasecmp (scheme, "smtps") == 0;
  od_account_set_host (account, host);
  /* NeoMutt: smtps:// is TLS from the first byte (465); smtp:// (25) upgrades with
   * STARTTLS when ssl_starttls (default yes) or ssl_force_tls says so. */
  if (smtps)
    od_account_set_security (account, OD_SECURITY_TLS);
  else if (rc_yes (rc, "ssl_starttls", TRUE) || rc_yes (rc, "ssl_force_tls", FALSE))
    od_account_set_security (account, OD_SECURITY_STARTTLS);
  else
    od_account_set_security (account, OD_SECURITY_NONE);
  port = g_uri_get_port (uri);
  od_account_set_port (account, port > 0 && port <= G_MAXUINT16 ? (guint16)port
                                : smtps ? 465 : 25);

  if (g_uri_get_user (uri) != NULL && g_uri_get_user (uri)[0] != '\0'
      && g_utf8_validate (g_uri_get_user (uri), -1, NULL))
    user = g_uri_get_user (uri);
  else
    user = rc_get (rc, "smtp_user", NULL);
  od_account_set_username (account, user);
  if (user == NULL)
    od_account_set_auth_mechanism (account, OD_ACCOUNT_AUTH_NONE);
  else if (rc_get (rc, "smtp_authenticators", NULL) != NULL)
    {
      g_auto(GStrv) mechanisms = g_strsplit (rc_get (rc, "smtp_authenticators", NULL), ":", 2);
      g_autofree char *first = g_ascii_strup (mechanisms[0], -1);

      if (first[0] != '\0')
        od_account_set_auth_mechanism (account, first);
    }

  if (g_uri_get_password (uri) != NULL)
    od_found_account_add_note (found, _("The password is written in the smtp_url of NeoMutt’s "
                                        "configuration: Outbox Doctor does not read it."));
  return TRUE;
}

static void
map_notes (Rc             *rc,
           OdFoundAccount *found)
{
  if (g_hash_table_contains (rc->values, "smtp_pass"))
    od_found_account_add_note (found, _("The password is written in NeoMutt’s configuration "
                                        "(smtp_pass), readable to any program: Outbox Doctor "
                                        "does not read it."));
  if (g_hash_table_size (rc->unusable) > 0)
    od_found_account_add_note (found, _("Some settings of this file run a command or use a "
                                        "variable: Outbox Doctor does neither and left them "
                                        "out."));
  if (rc->sources)
    od_found_account_add_note (found, _("This file reads other files (source): Outbox Doctor "
                                        "does not read them."));
}

/**
 * od_found_neomutt_next_token:
 * @p: where to read; moved past the token
 * @equal: whether "=" ends a token (and is one)
 * @unusable: (out) (optional): whether the token holds a command substitution or a
 *   $variable, which the reader does not use
 *
 * Returns: (transfer full) (nullable): the next token of a line as the reader takes it apart
 *   (quotes and escapes undone), or %NULL at the end of the command
 */
char *
od_found_neomutt_next_token (const char **p,
                             gboolean     equal,
                             gboolean    *unusable)
{
  TokenFlags flags = TOKEN_PLAIN;
  char *token;

  g_return_val_if_fail (p != NULL && *p != NULL, NULL);

  token = next_token (p, equal, &flags);
  if (unusable != NULL)
    *unusable = flags != TOKEN_PLAIN;
  return token;
}

/**
 * od_found_neomutt_parse:
 * @native_id: the file's name (".muttrc", ".neomuttrc", "neomuttrc")
 *
 * Adds the account of one rc file to @found: none when it sets no smtp_url (NeoMutt then
 * hands mail to sendmail). Returns %FALSE with @error when its smtp_url cannot be used.
 */
gboolean
od_found_neomutt_parse (const char  *contents,
                        gsize        length,
                        const char  *path,
                        const char  *native_id,
                        GPtrArray   *found,
                        GError     **error)
{
  Rc rc = { NULL, NULL, FALSE };
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) unusable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(OdFoundAccount) account = NULL;
  g_autofree char *name = NULL, *address = NULL;
  const char *cursor = contents, *end = contents + length;
  const char *url, *from, *real_name;
  char *line;

  g_return_val_if_fail (contents != NULL && path != NULL && native_id != NULL, FALSE);
  g_return_val_if_fail (found != NULL, FALSE);

  rc.values = values;
  rc.unusable = unusable;
  while ((line = od_found_dotfile_next_line (&cursor, end)) != NULL)
    {
      g_autofree char *owned = line;
      gsize len = strlen (line);

      /* A backslash at the end of a line continues it. */
      if (len > 0 && line[len - 1] == '\\')
        {
          g_string_append_len (joined, line, len - 1);
          continue;
        }
      g_string_append (joined, line);
      rc_line (&rc, joined->str);
      g_string_truncate (joined, 0);
    }
  if (joined->len > 0)
    rc_line (&rc, joined->str);

  url = rc_get (&rc, "smtp_url", NULL);
  if (url == NULL && !g_hash_table_contains (unusable, "smtp_url"))
    return TRUE;

  from = rc_get (&rc, "from", NULL);
  if (from != NULL)
    od_found_dotfile_split_mailbox (from, &name, &address);
  account = od_found_account_new (OD_ORIGIN_NEOMUTT, native_id, address);
  od_found_account_set_source_path (account, path);
  real_name = rc_get (&rc, "real_name", "realname");
  if (real_name != NULL || name != NULL)
    od_account_set_display_name (od_found_account_get_account (account),
                                 real_name != NULL ? real_name : name);
  if (url == NULL || !map_url (&rc, url, account))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   /* Translators: %s is a file name */
                   _("The smtp_url in %s cannot be used."), display);
      return FALSE;
    }
  if (from != NULL && address == NULL)
    od_found_account_add_note (account, _("The sender address in NeoMutt’s configuration could "
                                          "not be read."));
  map_notes (&rc, account);
  g_ptr_array_add (found, g_steal_pointer (&account));
  return TRUE;
}

/**
 * od_found_neomutt_read:
 *
 * The reader for NeoMutt and Mutt (#OdFoundReader): $XDG_CONFIG_HOME/neomutt/neomuttrc,
 * ~/.neomuttrc and ~/.muttrc, each an account of its own ("neomutt:FILE-NAME").
 */
gboolean
od_found_neomutt_read (const OdFoundContext  *context,
                       GPtrArray             *found,
                       GError               **error)
{
  g_autoptr(GError) first_error = NULL;
  g_autofree char *xdg = NULL, *neomuttrc = NULL, *muttrc = NULL;
  const char *paths[3];
  const char *ids[3] = { "neomuttrc", ".neomuttrc", ".muttrc" };
  guint before = found->len;

  g_return_val_if_fail (context != NULL && found != NULL, FALSE);

  xdg = g_build_filename (context->config_home, "neomutt", "neomuttrc", NULL);
  neomuttrc = g_build_filename (context->home, ".neomuttrc", NULL);
  muttrc = g_build_filename (context->home, ".muttrc", NULL);
  paths[0] = xdg;
  paths[1] = neomuttrc;
  paths[2] = muttrc;
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *contents = NULL;
      g_autoptr(GError) local_error = NULL;

      if (od_found_dotfile_read (paths[i], &contents, &local_error))
        od_found_neomutt_parse (contents, strlen (contents), paths[i], ids[i], found,
                                &local_error);
      if (local_error != NULL && first_error == NULL)
        first_error = g_steal_pointer (&local_error);
    }
  /* A broken file fails the reader only when no other file gave an account. */
  if (first_error != NULL && found->len == before)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return FALSE;
    }
  return TRUE;
}
