/* od-found-git.c
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
#include "od-found-git.h"

/* git send-email's settings (git-send-email(1)): the [sendemail] section of the global
 * (~/.gitconfig) and XDG ($XDG_CONFIG_HOME/git/config) files, each file on its own
 * ("git:global", "git:xdg"); an identity, [sendemail "NAME"], is one more account
 * ("git:global/NAME") with its own values over the section's. */

/* The last value of sendemail.KEY for @identity (then of the plain section), as git's
 * "sendemail.<identity>.<key>" falls back to "sendemail.<key>". */
static const char *
lookup (GPtrArray  *entries,
        const char *identity,
        const char *key,
        gboolean   *present)
{
  const char *value = NULL;
  gboolean found = FALSE;

  for (guint pass = identity != NULL ? 0 : 1; pass < 2 && !found; pass++)
    for (guint i = 0; i < entries->len; i++)
      {
        OdGitConfigEntry *e = entries->pdata[i];

        if (!g_str_equal (e->section, "sendemail") || !g_str_equal (e->key, key))
          continue;
        if (pass == 0 ? g_strcmp0 (e->subsection, identity) != 0 : e->subsection != NULL)
          continue;
        value = e->value != NULL ? e->value : "true";
        found = TRUE;
      }
  if (present != NULL)
    *present = found;
  return value;
}

/* Adds the credential helpers that apply to SMTP from @entries to @helpers, as git builds
 * its list: credential.helper, and credential.<url>.helper for an smtp:// URL; an empty
 * value empties the list. */
static void
collect_helpers (GPtrArray *entries,
                 GPtrArray *helpers)
{
  for (guint i = 0; i < entries->len; i++)
    {
      OdGitConfigEntry *e = entries->pdata[i];

      if (!g_str_equal (e->section, "credential") || !g_str_equal (e->key, "helper")
          || e->value == NULL)
        continue;
      if (e->subsection != NULL && !g_str_has_prefix (e->subsection, "smtp://"))
        continue;
      if (e->value[0] == '\0')
        g_ptr_array_set_size (helpers, 0);
      else
        g_ptr_array_add (helpers, g_strdup (e->value));
    }
}

static gboolean
helpers_use_libsecret (GPtrArray *helpers)
{
  for (guint i = 0; i < helpers->len; i++)
    {
      const char *helper = helpers->pdata[i];
      g_auto(GStrv) words = g_strsplit_set (helper, " \t", 2);

      /* "libsecret", or the helper's path (Debian: /usr/share/doc/git/contrib/credential/
       * libsecret/git-credential-libsecret, once built). */
      if (g_str_equal (words[0], "libsecret")
          || g_str_has_suffix (words[0], "/git-credential-libsecret"))
        return TRUE;
    }
  return FALSE;
}

static gboolean
map_security (OdAccount  *account,
              const char *encryption,
              const char *port_text,
              guint16    *port)
{
  gboolean ssl = encryption != NULL && g_ascii_strcasecmp (encryption, "ssl") == 0;
  gboolean tls = encryption != NULL && g_ascii_strcasecmp (encryption, "tls") == 0;

  /* git send-email: "ssl" is TLS from the first byte (port 465 by default), "tls" is
   * STARTTLS and anything else plain SMTP (both port 25 by default). */
  od_account_set_security (account, ssl ? OD_SECURITY_TLS
                                    : tls ? OD_SECURITY_STARTTLS : OD_SECURITY_NONE);
  if (port_text != NULL && od_found_dotfile_parse_port (port_text, port))
    {
      od_account_set_port (account, *port);
      return TRUE;
    }
  *port = ssl ? 465 : 25;
  od_account_set_port (account, *port);
  return port_text == NULL;
}

static void
add_note_once (GPtrArray  *notes,
               const char *note)
{
  if (!g_ptr_array_find_with_equal_func (notes, note, g_str_equal, NULL))
    g_ptr_array_add (notes, g_strdup (note));
}

/* One account (the section's, or an identity's), or NULL when it sends no mail over SMTP. */
static OdFoundAccount *
map_identity (GPtrArray  *entries,
              const char *identity,
              const char *path,
              const char *native_id,
              GPtrArray  *helpers,
              GPtrArray  *file_notes)
{
  g_autoptr(OdFoundAccount) found = NULL;
  g_autofree char *id = NULL, *name = NULL, *address = NULL, *port_text = NULL;
  const char *server = lookup (entries, identity, "smtpserver", NULL);
  const char *user = lookup (entries, identity, "smtpuser", NULL);
  const char *from = lookup (entries, identity, "from", NULL);
  const char *auth = lookup (entries, identity, "smtpauth", NULL);
  gboolean port_set = FALSE;
  const char *port_value = lookup (entries, identity, "smtpserverport", &port_set);
  OdAccount *account;
  guint16 port = 0;

  if (server == NULL || server[0] == '\0')
    return NULL;    /* git send-email then uses sendmail */
  if (server[0] == '/' || lookup (entries, identity, "sendmailcmd", NULL) != NULL)
    {
      add_note_once (file_notes, _("git send-email hands mail to a local program, not to an "
                                   "SMTP server: Outbox Doctor does not run it."));
      return NULL;
    }

  if (!od_found_dotfile_host_ok (server))
    {
      add_note_once (file_notes, _("A git send-email server name could not be read: that "
                                   "account was skipped."));
      return NULL;
    }

  id = identity != NULL ? g_strdup_printf ("%s/%s", native_id, identity) : g_strdup (native_id);
  if (from != NULL)
    od_found_dotfile_split_mailbox (from, &name, &address);
  found = od_found_account_new (OD_ORIGIN_GIT, id, address);
  account = od_found_account_get_account (found);
  od_found_account_set_source_path (found, path);
  if (name != NULL)
    od_account_set_display_name (account, name);
  od_account_set_host (account, server);
  if (!map_security (account, lookup (entries, identity, "smtpencryption", NULL),
                     port_set ? port_value : NULL, &port))
    od_found_account_add_note (found, _("The port of git send-email’s server could not be "
                                        "read: git’s default is used."));
  if (from != NULL && address == NULL)
    od_found_account_add_note (found, _("The sender address of git send-email could not be "
                                        "read."));

  if (user == NULL || user[0] == '\0' || !g_utf8_validate (user, -1, NULL))
    {
      /* No smtpUser: git send-email does not log in. */
      od_account_set_username (account, NULL);
      od_account_set_auth_mechanism (account, OD_ACCOUNT_AUTH_NONE);
      return g_steal_pointer (&found);
    }
  od_account_set_username (account, user);
  if (auth != NULL && g_ascii_strcasecmp (auth, "none") == 0)
    od_account_set_auth_mechanism (account, OD_ACCOUNT_AUTH_NONE);
  else if (auth != NULL && strpbrk (auth, " \t") == NULL && g_utf8_validate (auth, -1, NULL))
    {
      g_autofree char *upper = g_ascii_strup (auth, -1);

      od_account_set_auth_mechanism (account, upper);
    }

  if (lookup (entries, identity, "smtppass", NULL) != NULL)
    od_found_account_add_note (found, _("The password is written in git’s configuration file, "
                                        "readable to any program: Outbox Doctor does not read "
                                        "it. Keeping it in the keyring is safer."));
  else if (helpers_use_libsecret (helpers))
    {
      /* git-credential-libsecret's item: protocol, server, port (git send-email always passes
       * host:port, its default included) and user. */
      port_text = g_strdup_printf ("%u", port);
      od_found_account_set_secret (found, OD_FOUND_SECRET_KEYRING);
      od_found_account_set_keyring_attribute (found, "protocol", "smtp");
      od_found_account_set_keyring_attribute (found, "server", server);
      od_found_account_set_keyring_attribute (found, "port", port_text);
      od_found_account_set_keyring_attribute (found, "user", user);
    }
  return g_steal_pointer (&found);
}


/**
 * od_found_git_parse:
 * @native_id: "global" or "xdg"
 * @helpers: (element-type utf8): the credential helpers git uses for SMTP, from every file
 *
 * Adds git send-email's accounts of one configuration file to @found: the [sendemail]
 * section's and one for each identity (at most %OD_FOUND_DOTFILE_MAX_ACCOUNTS). Returns
 * %FALSE with @error when git would refuse the file.
 */
gboolean
od_found_git_parse (const char  *contents,
                    gsize        length,
                    const char  *path,
                    const char  *native_id,
                    GPtrArray   *helpers,
                    GPtrArray   *found,
                    GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) identities = g_ptr_array_new ();
  g_autoptr(GPtrArray) file_notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) mapped = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (contents != NULL && path != NULL && native_id != NULL, FALSE);
  g_return_val_if_fail (helpers != NULL && found != NULL, FALSE);

  entries = od_git_config_parse (contents, length, error);
  if (entries == NULL)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_prefix_error (error, "%s: ", display);
      return FALSE;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      OdGitConfigEntry *e = entries->pdata[i];

      if (g_str_equal (e->section, "include") || g_str_equal (e->section, "includeif"))
        add_note_once (file_notes, _("This git configuration includes other files: Outbox "
                                     "Doctor does not read them."));
      if (g_str_equal (e->section, "sendemail") && e->subsection != NULL
          && g_utf8_validate (e->subsection, -1, NULL)
          && strpbrk (e->subsection, "/\n") == NULL
          && !g_ptr_array_find_with_equal_func (identities, e->subsection, g_str_equal, NULL)
          && identities->len + 1 < OD_FOUND_DOTFILE_MAX_ACCOUNTS)
        g_ptr_array_add (identities, e->subsection);
    }

  /* The section's own account first (index 0), then each identity. */
  for (guint i = 0; i <= identities->len; i++)
    {
      OdFoundAccount *account = map_identity (entries, i > 0 ? identities->pdata[i - 1] : NULL,
                                              path, native_id, helpers, file_notes);

      if (account != NULL)
        g_ptr_array_add (mapped, account);
    }
  for (guint i = 0; i < mapped->len; i++)
    {
      for (guint j = 0; j < file_notes->len; j++)
        od_found_account_add_note (mapped->pdata[i], file_notes->pdata[j]);
      g_ptr_array_add (found, g_object_ref (mapped->pdata[i]));
    }
  return TRUE;
}

/* git reads ~/.gitconfig after the XDG file, so a sendemail variable set in both is
 * ~/.gitconfig's: the XDG file's accounts (from @first on in @found) say which of theirs
 * git does not use. */
static void
note_overridden (const char *global,
                 const char *global_contents,
                 GPtrArray  *found,
                 guint       first)
{
  static const char * const keys[] = { "smtpserver", "smtpserverport", "smtpencryption",
                                       "smtpuser" };
  static const char * const names[] = { "smtpServer", "smtpServerPort", "smtpEncryption",
                                        "smtpUser" };
  g_autoptr(GPtrArray) entries = od_git_config_parse (global_contents, strlen (global_contents),
                                                      NULL);
  g_autofree char *display = g_filename_display_name (global);

  for (guint i = first; entries != NULL && i < found->len; i++)
    {
      OdFoundAccount *account = found->pdata[i];
      const char *native_id = od_found_account_get_native_id (account);
      const char *slash = strchr (native_id, '/');
      const char *identity = slash != NULL ? slash + 1 : NULL;
      g_autoptr(GString) set = g_string_new (NULL);
      g_autofree char *note = NULL;

      if (!g_str_has_prefix (native_id, "xdg"))
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        for (guint e = 0; e < entries->len; e++)
          {
            const OdGitConfigEntry *entry = entries->pdata[e];

            if (g_str_equal (entry->section, "sendemail")
                && g_strcmp0 (entry->subsection, identity) == 0
                && g_str_equal (entry->key, keys[k]))
              {
                g_string_append_printf (set, "%s%s", set->len > 0 ? ", " : "", names[k]);
                break;
              }
          }
      if (set->len == 0)
        continue;
      /* Translators: the first %s is a file, the second a list of git variables
       * ("smtpServer, smtpServerPort") */
      note = g_strdup_printf (_("%s sets %s too, and git send-email uses those values, not "
                                "this file’s."), display, set->str);
      od_found_account_add_note (account, note);
    }
}

/**
 * od_found_git_read:
 *
 * The reader for git send-email (#OdFoundReader): $XDG_CONFIG_HOME/git/config ("git:xdg")
 * and ~/.gitconfig ("git:global"). The credential helpers of both count for both, as git
 * reads both files. Neither the repository's own nor the system's file is read. A file git
 * would refuse fails the reader only when the other file gives no account.
 */
gboolean
od_found_git_read (const OdFoundContext  *context,
                   GPtrArray             *found,
                   GError               **error)
{
  g_autofree char *xdg = NULL, *global = NULL;
  g_autofree char *xdg_contents = NULL, *global_contents = NULL;
  g_autoptr(GPtrArray) helpers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  const char *paths[2];
  char *contents[2];
  const char *ids[2] = { "xdg", "global" };
  guint before = found->len;

  g_return_val_if_fail (context != NULL && found != NULL, FALSE);

  xdg = g_build_filename (context->config_home, "git", "config", NULL);
  global = g_build_filename (context->home, ".gitconfig", NULL);
  paths[0] = xdg;
  paths[1] = global;
  for (guint i = 0; i < 2; i++)
    {
      char **slot = i == 0 ? &xdg_contents : &global_contents;
      g_autoptr(GPtrArray) entries = NULL;

      if (!od_found_dotfile_read (paths[i], slot, local_error == NULL ? &local_error : NULL))
        continue;
      entries = od_git_config_parse (*slot, strlen (*slot), NULL);
      if (entries != NULL)
        collect_helpers (entries, helpers);
    }
  contents[0] = xdg_contents;
  contents[1] = global_contents;

  for (guint i = 0; i < 2; i++)
    {
      if (contents[i] == NULL)
        continue;
      od_found_git_parse (contents[i], strlen (contents[i]), paths[i], ids[i], helpers, found,
                          local_error == NULL ? &local_error : NULL);
    }
  if (global_contents != NULL)
    note_overridden (global, global_contents, found, before);
  /* A broken file fails the reader only when the other one gave no account. */
  if (local_error != NULL && found->len == before)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * od_found_git_uses_libsecret:
 *
 * Returns: whether git, with the global and XDG configuration files under @context, asks
 *   its libsecret credential helper for SMTP passwords (so that git send-email finds the
 *   item git-credential-libsecret stores)
 */
gboolean
od_found_git_uses_libsecret (const OdFoundContext *context)
{
  g_autoptr(GPtrArray) helpers = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *xdg = NULL, *global = NULL;
  const char *paths[2];

  g_return_val_if_fail (context != NULL, FALSE);

  /* git reads the XDG file first, then ~/.gitconfig. */
  paths[0] = xdg = g_build_filename (context->config_home, "git", "config", NULL);
  paths[1] = global = g_build_filename (context->home, ".gitconfig", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *contents = NULL;
      g_autoptr(GPtrArray) entries = NULL;

      if (!od_found_dotfile_read (paths[i], &contents, NULL))
        continue;
      entries = od_git_config_parse (contents, strlen (contents), NULL);
      if (entries != NULL)
        collect_helpers (entries, helpers);
    }
  return helpers_use_libsecret (helpers);
}
