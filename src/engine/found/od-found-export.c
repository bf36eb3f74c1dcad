/* od-found-export.c
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
#include "od-found-export-private.h"
#include "od-found-git.h"
#include "od-found-msmtp.h"
#include "od-found-neomutt.h"
#include "od-text.h"

/* An export is planned in one go (od_found_export_new()): the client's file is chosen as
 * the client itself would read it, the text is made, and the file as it would be afterwards
 * is read back through the client's reader (od-found-CLIENT.c), which must find the account
 * with the same server, port, encryption, user, address and password place; otherwise
 * nothing is written. Writing (od_found_export_write()) then only appends. */

#define MAX_NAME_LENGTH 64

/* The clients an export can go to. */
static const char * const supported[] = {
  OD_ORIGIN_MSMTP, OD_ORIGIN_GIT, OD_ORIGIN_NEOMUTT, OD_ORIGIN_AERC, OD_ORIGIN_EVOLUTION,
  OD_ORIGIN_GOA, OD_ORIGIN_THUNDERBIRD, NULL
};

/* The clients that name an account by its address, and take no --name. */
static gboolean
names_by_address (const char *origin)
{
  return od_found_export_is_desktop (origin) || g_str_equal (origin, OD_ORIGIN_THUNDERBIRD);
}

void
od_found_export_add_note (OdFoundExport *self,
                          char          *note)
{
  g_assert (self != NULL);

  /* The array ends with NULL. */
  for (guint i = 0; i + 1 < self->notes->len; i++)
    if (g_str_equal (self->notes->pdata[i], note))
      {
        g_free (note);
        return;
      }
  g_ptr_array_insert (self->notes, self->notes->len - 1, note);
}

/* Whether the outgoing server wants a login (and so a password). */
gboolean
od_found_export_needs_login (OdFoundExport *self)
{
  return g_strcmp0 (od_account_get_auth_mechanism (self->account), OD_ACCOUNT_AUTH_NONE) != 0;
}

gboolean
od_found_export_has_incoming (OdFoundExport *self)
{
  return od_account_get_incoming_host (self->account) != NULL
         && od_account_get_incoming_protocol (self->account) != NULL;
}

/* "SCHEME://USER@HOST:PORT/PATH", the user name escaped (ada%40example.org) and an IPv6
 * host in brackets, as NeoMutt and aerc (Go's net/url) read URLs. */
char *
od_found_export_url (const char *scheme,
                     const char *user,
                     const char *host,
                     guint16     port,
                     const char *path)
{
  g_autofree char *escaped = NULL;
  g_autofree char *bracketed = NULL;

  if (user != NULL)
    escaped = g_uri_escape_string (user, NULL, FALSE);
  if (strchr (host, ':') != NULL)
    bracketed = g_strdup_printf ("[%s]", host);

  return g_strdup_printf ("%s://%s%s%s:%u%s", scheme, escaped != NULL ? escaped : "",
                          escaped != NULL ? "@" : "", bracketed != NULL ? bracketed : host,
                          port, path);
}

/* "Name <address>", the name in quotes when RFC 5322 wants them there. */
char *
od_found_export_mailbox (const char *name,
                         const char *address)
{
  GString *quoted;

  if (name == NULL || name[0] == '\0')
    return g_strdup (address);
  if (strpbrk (name, "()<>[]:;@\\,.\"") == NULL)
    return g_strdup_printf ("%s <%s>", name, address);

  quoted = g_string_new ("\"");
  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *p);
    }
  g_string_append_printf (quoted, "\" <%s>", address);
  return g_string_free (quoted, FALSE);
}

/* One word of a shell command line, quoted only when needed. Characters NeoMutt or a shell
 * would treat specially even in single quotes (the quote itself, and in NeoMutt's
 * backticks the backslash, double quote, dollar and backtick) are refused. */
static gboolean
shell_word (GString     *out,
            const char  *word,
            GError     **error)
{
  if (word[0] != '\0' && strspn (word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789._@%+=:,/-") == strlen (word))
    {
      g_string_append (out, word);
      return TRUE;
    }
  if (strpbrk (word, "'\"\\`$") != NULL || !od_text_is_clean (word, -1, OD_TEXT_SINGLE_LINE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %s is a server or user name */
                   _("“%s” cannot be written into a secret-tool command: it holds a quote, "
                     "a backslash, a dollar sign or a backtick."), word);
      return FALSE;
    }
  g_string_append_printf (out, "'%s'", word);
  return TRUE;
}

/* "secret-tool lookup xdg:schema … account ID protocol smtp host H port P user U": the
 * command NeoMutt and aerc run for the password, which finds exactly Outbox Doctor's item.
 * The order of the attributes is fixed, so that the text is the same every time. */
char *
od_found_export_lookup_command (GHashTable  *attributes,
                                GError     **error)
{
  static const char * const order[] = {
    "xdg:schema", "account", "protocol", "host", "port", "user", NULL
  };
  g_autoptr(GString) command = g_string_new ("secret-tool lookup");

  for (guint i = 0; order[i] != NULL; i++)
    {
      const char *value = g_hash_table_lookup (attributes, order[i]);

      if (value == NULL)
        continue;
      g_string_append_printf (command, " %s ", order[i]);
      if (!shell_word (command, value, error))
        return NULL;
    }
  return g_string_free (g_steal_pointer (&command), FALSE);
}

/**
 * od_found_export_store_command:
 * @self: an export whose secret is %OD_FOUND_EXPORT_SECRET_COPY
 *
 * Returns: (transfer full) (nullable): the `secret-tool store` command that puts the
 *   password where the client finds it (secret-tool asks for the password itself), for a
 *   person who adds the printed settings by hand; %NULL when a value cannot be written on a
 *   command line
 */
char *
od_found_export_store_command (OdFoundExport *self)
{
  static const char * const msmtp_order[] = { "host", "service", "user", NULL };
  static const char * const git_order[] = { "protocol", "server", "port", "user", NULL };
  g_autoptr(GString) command = g_string_new ("secret-tool store --label=");
  const char * const *order;

  g_return_val_if_fail (self != NULL && self->secret == OD_FOUND_EXPORT_SECRET_COPY, NULL);

  if (!shell_word (command, self->label, NULL))
    return NULL;
  order = msmtp_order;
  if (g_str_equal (self->origin, OD_ORIGIN_GIT))
    {
      /* The schema git-credential-libsecret searches with, by its name. */
      g_string_append (command, " xdg:schema org.gnome.keyring.NetworkPassword");
      order = git_order;
    }
  for (guint i = 0; order[i] != NULL; i++)
    {
      g_string_append_printf (command, " %s ", order[i]);
      if (!shell_word (command, g_hash_table_lookup (self->attributes, order[i]), NULL))
        return NULL;
    }
  return g_string_free (g_steal_pointer (&command), FALSE);
}

/* A certificate Outbox Doctor trusts for HOST:PORT that the client cannot be told about. */
void
od_found_export_note_pins (OdFoundExport *self,
                           const char    *host,
                           guint16        port)
{
  g_auto(GStrv) pins = od_account_dup_pinned_fingerprints (self->account, host, port);

  for (guint i = 0; pins != NULL && pins[i] != NULL; i++)
    od_found_export_add_note (self,
      /* Translators: "aerc cannot be told to trust one certificate: Outbox Doctor trusts the
       * certificate of imap.example.org:993 (SHA-256 AB:CD:…), which aerc checks against the
       * system's certificate authorities instead." */
      g_strdup_printf (_("%s cannot be told to trust one certificate: Outbox Doctor trusts the "
                         "certificate of %s:%u (SHA-256 %s), which %s checks against the "
                         "system’s certificate authorities instead."),
                       od_found_origin_get_name (self->origin), host, port, pins[i],
                       od_found_origin_get_name (self->origin)));
}

/* Every text of the account that goes into a file: no line breaks, no control characters. */
static gboolean
check_values (OdAccount  *account,
              GError    **error)
{
  const struct { const char *value; const char *what; } values[] = {
    { od_account_get_host (account), N_("outgoing server") },
    { od_account_get_username (account), N_("user name") },
    { od_account_get_address (account), N_("address") },
    { od_account_get_display_name (account), N_("sender name") },
    { od_account_get_incoming_host (account), N_("incoming server") },
    { od_account_get_incoming_username (account), N_("incoming user name") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    if (values[i].value != NULL && !od_text_is_clean (values[i].value, -1, OD_TEXT_SINGLE_LINE))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     /* Translators: %s is "user name", "address", … */
                     _("A setting of the account (%s) holds a line break or another control "
                       "character: it cannot be written into a configuration file."),
                     _(values[i].what));
        return FALSE;
      }
  if (od_account_get_host (account) == NULL || !od_found_dotfile_host_ok (od_account_get_host (account))
      || (od_account_get_incoming_host (account) != NULL
          && !od_found_dotfile_host_ok (od_account_get_incoming_host (account))))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The account’s server name cannot be written into a configuration "
                             "file."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
name_ok (const char *name)
{
  gsize len = strlen (name);

  return len > 0 && len <= MAX_NAME_LENGTH && g_ascii_isalnum (name[0])
         && strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@+-")
            == len
         && !g_str_equal (name, "DEFAULT");   /* go-ini's own section, which aerc skips */
}

/* The first of @candidates that exists (a symbolic link counts), else the first. */
static const char *
pick_file (const char * const *candidates,
           guint               n,
           guint              *index)
{
  for (guint i = 0; i < n; i++)
    if (g_file_test (candidates[i], G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK))
      {
        *index = i;
        return candidates[i];
      }
  *index = 0;
  return candidates[0];
}

/* The file the client reads (msmtp: ~/.msmtprc, else its XDG file; git: ~/.gitconfig, else
 * its XDG file, as "git config --global" writes; NeoMutt: the first of the files its reader
 * reads; aerc: its one file) and the account's id there. */
static void
plan_file (OdFoundExport        *self,
           const OdFoundContext *context)
{
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  guint index = 0;

  if (g_str_equal (self->origin, OD_ORIGIN_MSMTP))
    {
      const char *files[] = {
        a = g_build_filename (context->home, ".msmtprc", NULL),
        b = g_build_filename (context->config_home, "msmtp", "config", NULL),
      };

      self->path = g_strdup (pick_file (files, G_N_ELEMENTS (files), &index));
      self->native_id = g_strdup (self->name);
    }
  else if (g_str_equal (self->origin, OD_ORIGIN_GIT))
    {
      const char *files[] = {
        a = g_build_filename (context->home, ".gitconfig", NULL),
        b = g_build_filename (context->config_home, "git", "config", NULL),
      };
      const char *base;

      self->path = g_strdup (pick_file (files, G_N_ELEMENTS (files), &index));
      self->other_path = g_strdup (files[1 - index]);
      base = index == 0 ? "global" : "xdg";
      self->native_id = self->name != NULL ? g_strdup_printf ("%s/%s", base, self->name)
                                           : g_strdup (base);
      self->git_libsecret = od_found_git_uses_libsecret (context);
    }
  else if (g_str_equal (self->origin, OD_ORIGIN_NEOMUTT))
    {
      const char *files[] = {
        a = g_build_filename (context->config_home, "neomutt", "neomuttrc", NULL),
        b = g_build_filename (context->home, ".neomuttrc", NULL),
        c = g_build_filename (context->home, ".muttrc", NULL),
      };

      self->path = g_strdup (pick_file (files, G_N_ELEMENTS (files), &index));
      self->native_id = g_path_get_basename (self->path);
    }
  else
    {
      self->path = g_build_filename (context->config_home, "aerc", "accounts.conf", NULL);
      self->native_id = g_strdup (self->name);
    }
  self->found_id = g_strdup_printf ("%s:%s", self->origin, self->native_id);
}

static gboolean
format_text (OdFoundExport  *self,
             GError        **error)
{
  g_clear_pointer (&self->text, g_free);
  if (g_str_equal (self->origin, OD_ORIGIN_MSMTP))
    return od_found_export_format_msmtp (self, error);
  if (g_str_equal (self->origin, OD_ORIGIN_GIT))
    return od_found_export_format_git (self, error);
  if (g_str_equal (self->origin, OD_ORIGIN_NEOMUTT))
    return od_found_export_format_neomutt (self, error);
  return od_found_export_format_aerc (self, error);
}

/* The account as the client's reader finds it in @contents, or NULL. */
static OdFoundAccount *
read_back (OdFoundExport *self,
           const char    *contents)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) helpers = g_ptr_array_new_with_free_func (g_free);
  gsize length = strlen (contents);

  if (g_str_equal (self->origin, OD_ORIGIN_MSMTP))
    od_found_msmtp_parse (contents, length, self->path, found, NULL);
  else if (g_str_equal (self->origin, OD_ORIGIN_GIT))
    {
      g_autofree char *base = g_strndup (self->native_id, strcspn (self->native_id, "/"));

      if (self->git_libsecret)
        g_ptr_array_add (helpers, g_strdup ("libsecret"));
      od_found_git_parse (contents, length, self->path, base, helpers, found, NULL);
    }
  else if (g_str_equal (self->origin, OD_ORIGIN_NEOMUTT))
    od_found_neomutt_parse (contents, length, self->path, self->native_id, found, NULL);
  else
    od_found_aerc_parse (contents, length, self->path, found, NULL);

  for (guint i = 0; i < found->len; i++)
    if (g_str_equal (od_found_account_get_id (found->pdata[i]), self->found_id))
      return g_object_ref (found->pdata[i]);
  return NULL;
}

static gboolean
same_attributes (GHashTable *a,
                 GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
      return FALSE;
  return TRUE;
}

/* Whether @found has the incoming server as the export means it. */
static gboolean
same_incoming (OdFoundExport  *self,
               OdFoundAccount *found)
{
  OdAccount *ours = self->account;
  OdAccount *theirs = od_found_account_get_account (found);
  const char *user = od_account_get_incoming_username (ours);

  if (od_account_get_incoming_host (ours) == NULL)
    return od_account_get_incoming_host (theirs) == NULL;
  /* Evolution, GOA and Thunderbird are given the user name Outbox Doctor logs in with. */
  if (names_by_address (self->origin))
    user = od_found_export_incoming_user (ours);
  return g_strcmp0 (od_account_get_incoming_host (ours), od_account_get_incoming_host (theirs)) == 0
         && g_strcmp0 (od_account_get_incoming_protocol (ours),
                       od_account_get_incoming_protocol (theirs)) == 0
         && od_account_get_incoming_port (ours) == od_account_get_incoming_port (theirs)
         && od_account_get_incoming_security (ours) == od_account_get_incoming_security (theirs)
         && g_strcmp0 (user, od_account_get_incoming_username (theirs)) == 0;
}

/* The first setting @found does not have as the export means it, or NULL. */
const char *
od_found_export_compare (OdFoundExport  *self,
                         OdFoundAccount *found)
{
  OdAccount *ours = self->account;
  OdAccount *theirs = od_found_account_get_account (found);

  if (g_strcmp0 (od_account_get_host (ours), od_account_get_host (theirs)) != 0)
    return "host";
  if (od_account_get_port (ours) != od_account_get_port (theirs))
    return "port";
  if (od_account_get_security (ours) != od_account_get_security (theirs))
    return "security";
  if (od_found_export_needs_login (self)
      && g_strcmp0 (od_account_get_username (ours), od_account_get_username (theirs)) != 0)
    return "user";
  if (!od_found_export_needs_login (self)
      && g_strcmp0 (od_account_get_auth_mechanism (theirs), OD_ACCOUNT_AUTH_NONE) != 0)
    return "auth";
  if (g_strcmp0 (od_account_get_address (ours), od_account_get_address (theirs)) != 0)
    return "address";
  if ((g_str_equal (self->origin, OD_ORIGIN_AERC) || names_by_address (self->origin))
      && !same_incoming (self, found))
    return g_str_equal (self->origin, OD_ORIGIN_AERC) ? "source" : "incoming";
  if (self->secret == OD_FOUND_EXPORT_SECRET_COPY
      && (!g_str_equal (self->origin, OD_ORIGIN_GIT) || self->git_libsecret)
      && (od_found_account_get_secret (found) != OD_FOUND_SECRET_KEYRING
          || !same_attributes (self->attributes, od_found_account_get_keyring_attributes (found))))
    return "password";
  return NULL;
}

/* Makes the text and reads the file as it would be back; msmtp's defaults may set a
 * password command (or a password) for every account, which the account then resets. */
static gboolean
compose (OdFoundExport  *self,
         GError        **error)
{
  const char *difference = NULL;

  for (guint attempt = 0; attempt < 3; attempt++)
    {
      g_autofree char *joined = NULL;
      g_autoptr(OdFoundAccount) found = NULL;

      if (!format_text (self, error))
        return FALSE;
      joined = od_found_export_file_joined (self->existing, self->text);
      found = read_back (self, joined);
      difference = found == NULL ? "account" : od_found_export_compare (self, found);
      if (difference == NULL)
        return TRUE;
      if (!g_str_equal (difference, "password") || !g_str_equal (self->origin, OD_ORIGIN_MSMTP))
        break;
      if (!self->reset_passwordeval)
        self->reset_passwordeval = TRUE;
      else
        self->reset_password = TRUE;
    }

  od_found_export_set_read_back_error (self, difference, error);
  return FALSE;
}

/* The client's reader would not find the account as meant in the file as it would be. */
void
od_found_export_set_read_back_error (OdFoundExport  *self,
                                     const char     *difference,
                                     GError        **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               /* Translators: the first %s is a mail program, the second a setting ("port") */
               _("%s would not read the account as it would be written (%s differs), so "
                 "nothing was written: other settings in its configuration are in the way. "
                 "--print shows the settings to add by hand."),
               od_found_origin_get_name (self->origin), difference);
}

/* FALSE with @error when one of @found (the client's accounts) has the export's address:
 * Evolution, GOA and Thunderbird would have a second account beside it. */
gboolean
od_found_export_refuse_same_address (OdFoundExport  *self,
                                     GPtrArray      *found,
                                     GError        **error)
{
  const char *address = od_account_get_address (self->account);

  for (guint i = 0; i < found->len; i++)
    {
      OdAccount *theirs = od_found_account_get_account (found->pdata[i]);

      if (od_account_get_address (theirs) == NULL
          || g_ascii_strcasecmp (od_account_get_address (theirs), address) != 0)
        continue;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   /* Translators: "Evolution already has an account for ada@example.org
                    * (evolution:1764…): nothing was added. Check or fix that one instead." */
                   _("%s already has an account for %s (%s): nothing was added. Check or fix "
                     "that one instead."),
                   od_found_origin_get_name (self->origin), address,
                   od_found_account_get_id (found->pdata[i]));
      return FALSE;
    }
  return TRUE;
}

static GHashTable *
attributes_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* Where the configuration finds the password: a copy under the client's attributes
 * (msmtp's password_get(), git-credential-libsecret's item), or our own item. */
static void
plan_secret (OdFoundExport *self)
{
  OdAccount *account = self->account;
  gboolean login = od_found_export_needs_login (self);

  if (g_str_equal (self->origin, OD_ORIGIN_MSMTP) || g_str_equal (self->origin, OD_ORIGIN_GIT))
    {
      if (!login)
        return;
      self->secret = OD_FOUND_EXPORT_SECRET_COPY;
      self->attributes = attributes_new ();
      if (g_str_equal (self->origin, OD_ORIGIN_MSMTP))
        {
          g_hash_table_insert (self->attributes, g_strdup ("host"),
                               g_strdup (od_account_get_host (account)));
          g_hash_table_insert (self->attributes, g_strdup ("service"), g_strdup ("smtp"));
          self->label = g_strdup_printf ("msmtp: %s on %s", od_account_get_username (account),
                                         od_account_get_host (account));
        }
      else
        {
          g_hash_table_insert (self->attributes, g_strdup ("protocol"), g_strdup ("smtp"));
          g_hash_table_insert (self->attributes, g_strdup ("server"),
                               g_strdup (od_account_get_host (account)));
          g_hash_table_insert (self->attributes, g_strdup ("port"),
                               g_strdup_printf ("%u", od_account_get_port (account)));
          /* The label git-credential-libsecret gives its items. */
          self->label = g_strdup_printf ("Git: smtp://%s:%u/", od_account_get_host (account),
                                         od_account_get_port (account));
        }
      g_hash_table_insert (self->attributes, g_strdup ("user"),
                           g_strdup (od_account_get_username (account)));
      return;
    }

  if (login)
    self->attributes = od_found_export_own_attributes (account, FALSE);
  if (od_found_export_has_incoming (self))
    self->incoming_attributes = od_found_export_own_attributes (account, self->incoming_item);
  if (self->attributes != NULL || self->incoming_attributes != NULL)
    self->secret = OD_FOUND_EXPORT_SECRET_LOOKUP;
}

/**
 * od_found_export_origin_supported:
 * @origin: a client, as its origin ("msmtp")
 *
 * Returns: whether an account can be exported to @origin
 */
gboolean
od_found_export_origin_supported (const char *origin)
{
  g_return_val_if_fail (origin != NULL, FALSE);
  return g_strv_contains (supported, origin);
}

/**
 * od_found_export_new:
 * @context: where the client's files are
 * @account: one of Outbox Doctor's own accounts
 * @origin: the client (od_found_export_origin_supported())
 * @name: (nullable): the account's name in the client (msmtp's account, aerc's section, a
 *   git send-email identity); %NULL: the account's id for msmtp and aerc, git's own
 *   [sendemail] section. NeoMutt has no names.
 * @incoming_item: whether Outbox Doctor's keyring has an item of its own for the incoming
 *   server (otherwise NeoMutt and aerc look up the outgoing one for it, as Outbox Doctor
 *   does)
 *
 * Plans an export: the client's file, the text to add to it, and where the password will
 * be. The file as it would be is read back through the client's reader first, which must
 * find the account as it is meant; nothing is written or stored yet.
 *
 * Returns: (transfer full): the export, or %NULL with @error (%G_IO_ERROR_INVALID_ARGUMENT
 *   for a name the client cannot take, %G_IO_ERROR_NOT_SUPPORTED for an account the client
 *   cannot use, %G_IO_ERROR_INVALID_DATA for settings that cannot be written, or the
 *   reader's refusal)
 */
OdFoundExport *
od_found_export_new (const OdFoundContext  *context,
                     OdAccount             *account,
                     const char            *origin,
                     const char            *name,
                     gboolean               incoming_item,
                     GError               **error)
{
  g_autoptr(OdFoundExport) self = NULL;
  g_autoptr(GError) read_error = NULL;
  const char *mechanism;

  g_return_val_if_fail (context != NULL && OD_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (origin != NULL && od_found_export_origin_supported (origin), NULL);

  if (name != NULL && names_by_address (origin))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is "Evolution", "GNOME Online Accounts" or "Thunderbird" */
                   _("%s names an account by its address: leave out --name."),
                   od_found_origin_get_name (origin));
      return NULL;
    }
  if (name != NULL && g_str_equal (origin, OD_ORIGIN_NEOMUTT))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("NeoMutt keeps one account per configuration file and has no "
                             "account names: leave out --name."));
      return NULL;
    }
  if (name == NULL && !g_str_equal (origin, OD_ORIGIN_GIT) && !g_str_equal (origin, OD_ORIGIN_NEOMUTT)
      && !names_by_address (origin))
    name = od_account_get_id (account);
  if (name != NULL && !name_ok (name))
    {
      g_autofree char *shown = od_text_sanitize (name, -1, OD_TEXT_SINGLE_LINE);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: "“a b” cannot be the name of an account in msmtp: …" */
                   _("“%s” cannot be the name of an account in %s: use at most %u letters, "
                     "digits and . _ @ + -, starting with a letter or digit."),
                   shown, od_found_origin_get_name (origin), MAX_NAME_LENGTH);
      return NULL;
    }
  if (!check_values (account, error))
    return NULL;
  mechanism = od_account_get_auth_mechanism (account);
  if (mechanism != NULL && (g_ascii_strcasecmp (mechanism, "XOAUTH2") == 0
                            || g_ascii_strcasecmp (mechanism, "OAUTHBEARER") == 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("This account signs in with OAuth, which Outbox Doctor cannot hand to %s "
                     "yet."), od_found_origin_get_name (origin));
      return NULL;
    }

  self = g_new0 (OdFoundExport, 1);
  self->account = g_object_ref (account);
  self->origin = g_strdup (origin);
  self->name = g_strdup (name);
  self->notes = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->notes, NULL);
  self->incoming_item = incoming_item;
  if (od_found_export_is_desktop (origin))
    return od_found_export_plan_desktop (self, context, error) ? g_steal_pointer (&self) : NULL;
  if (g_str_equal (origin, OD_ORIGIN_THUNDERBIRD))
    return od_found_export_plan_thunderbird (self, context, error) ? g_steal_pointer (&self)
                                                                  : NULL;
  plan_file (self, context);
  plan_secret (self);

  if (!od_found_dotfile_read (self->path, &self->existing, &read_error) && read_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&read_error));
      return NULL;
    }
  if (!compose (self, error))
    return NULL;
  if (self->existing != NULL && od_found_export_name_taken (self, self->existing))
    {
      g_autofree char *display = g_filename_display_name (self->path);

      od_found_export_add_note (self,
        /* Translators: %s is a file name */
        g_strdup_printf (_("%s already has this account (or one of the same name): adding "
                           "these settings there needs another name."), display));
    }
  return g_steal_pointer (&self);
}

void
od_found_export_free (OdFoundExport *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->account);
  g_free (self->origin);
  g_free (self->name);
  g_free (self->native_id);
  g_free (self->found_id);
  g_free (self->path);
  g_free (self->other_path);
  g_free (self->existing);
  g_free (self->text);
  g_ptr_array_unref (self->notes);
  g_clear_pointer (&self->attributes, g_hash_table_unref);
  g_clear_pointer (&self->incoming_attributes, g_hash_table_unref);
  g_free (self->label);
  g_free (self->replacement);
  g_free (self->home);
  g_free (self->config_home);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_pointer (&self->goa_details, g_variant_unref);
  g_free (self);
}

const char *
od_found_export_get_origin (OdFoundExport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->origin;
}

/**
 * od_found_export_get_name:
 *
 * Returns: (nullable): the account's name in the client: msmtp's account, aerc's section,
 *   git's identity (%NULL for git's own [sendemail] section and for NeoMutt)
 */
const char *
od_found_export_get_name (OdFoundExport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

/**
 * od_found_export_get_found_id:
 *
 * Returns: the id the client's reader gives the account ("msmtp:work", "git:global/work",
 *   "neomutt:neomuttrc"), for "check --account"
 */
const char *
od_found_export_get_found_id (OdFoundExport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->found_id;
}

/**
 * od_found_export_get_path:
 *
 * Returns: the client's file the account goes into
 */
const char *
od_found_export_get_path (OdFoundExport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

/**
 * od_found_export_get_text:
 *
 * Returns: the text added to the file (or printed), ending with a line break
 */
const char *
od_found_export_get_text (OdFoundExport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->text;
}

/**
 * od_found_export_get_notes:
 *
 * Returns: (array zero-terminated=1): what the person should know: what the client cannot
 *   express (a trusted certificate, the incoming server), and what it needs
 */
const char * const *
od_found_export_get_notes (OdFoundExport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *)self->notes->pdata;
}

OdFoundExportSecret
od_found_export_get_secret (OdFoundExport *self)
{
  g_return_val_if_fail (self != NULL, OD_FOUND_EXPORT_SECRET_NONE);
  return self->secret;
}

/**
 * od_found_export_get_keyring_attributes:
 * @incoming: the incoming server's (NeoMutt, aerc) rather than the outgoing one's
 *
 * Returns: (transfer none) (nullable): the attributes the client looks the password up by:
 *   those of the copy (%OD_FOUND_EXPORT_SECRET_COPY), or those of Outbox Doctor's own item
 *   in the `secret-tool lookup` command (%OD_FOUND_EXPORT_SECRET_LOOKUP); %NULL when that
 *   server needs no password
 */
GHashTable *
od_found_export_get_keyring_attributes (OdFoundExport *self,
                                        gboolean       incoming)
{
  g_return_val_if_fail (self != NULL, NULL);
  return incoming ? self->incoming_attributes : self->attributes;
}

/**
 * od_found_export_get_keyring_label:
 *
 * Returns: (nullable): the label of the copy (%OD_FOUND_EXPORT_SECRET_COPY)
 */
const char *
od_found_export_get_keyring_label (OdFoundExport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->label;
}

/**
 * od_found_export_check_target:
 *
 * Whether od_found_export_write() may write: the file is missing or a regular, writable
 * file (not a symbolic link), and has no account of the same name. Nothing is changed.
 *
 * Returns: %TRUE if it may; otherwise %FALSE with @error (%G_IO_ERROR_EXISTS for an
 *   account of the same name, %G_IO_ERROR_IS_SYMBOLIC_LINK, %G_IO_ERROR_PERMISSION_DENIED,
 *   %G_IO_ERROR_NOT_REGULAR_FILE)
 */
gboolean
od_found_export_check_target (OdFoundExport  *self,
                              GError        **error)
{
  g_autofree char *display = NULL;
  g_autofree char *other = NULL;
  const char *taken = self->path;

  g_return_val_if_fail (self != NULL, FALSE);

  if (od_found_export_is_desktop (self->origin))
    return od_found_export_check_desktop (self, error);
  if (g_str_equal (self->origin, OD_ORIGIN_THUNDERBIRD))
    return od_found_export_check_thunderbird (self, error);
  if (!od_found_export_file_check (self->path, error))
    return FALSE;
  /* git reads both of its files as one: the other one counts too. */
  if (self->other_path != NULL && od_found_dotfile_read (self->other_path, &other, NULL)
      && od_found_export_name_taken (self, other))
    taken = self->other_path;
  else if (self->existing == NULL || !od_found_export_name_taken (self, self->existing))
    return TRUE;

  display = g_filename_display_name (taken);
  if (g_str_equal (self->origin, OD_ORIGIN_NEOMUTT))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                 /* Translators: %s is a file name */
                 _("%s already sets an outgoing server (smtp_url), and NeoMutt keeps one account "
                   "per file: nothing was written. --print shows the settings to use instead."),
                 display);
  else if (self->name == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                 /* Translators: %s is a file name */
                 _("git’s configuration (%s) already has a server in its [sendemail] section: "
                   "nothing was written. Give the account a name with --name to add it as an "
                   "identity (git send-email --identity=NAME)."),
                 display);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                 /* Translators: "~/.msmtprc already has an account named “work”: …" */
                 _("%s already has an account named “%s”: nothing was written. Choose another "
                   "name with --name, or add it by hand (--print shows it)."),
                 display, self->name);
  return FALSE;
}

/**
 * od_found_export_write:
 * @backup: (out) (optional) (transfer full) (nullable): the copy of the file as it was,
 *   beside it; %NULL when the file was made new
 *
 * Appends the text to the client's file, keeping every byte that is there: a new file (and
 * its folder) is made readable to its owner only; an existing one is replaced atomically
 * with the same permissions, after a backup. Refused as od_found_export_check_target()
 * refuses, and when the file changed since the export was planned.
 *
 * Returns: %TRUE when the file was written
 */
gboolean
od_found_export_write (OdFoundExport  *self,
                       char          **backup,
                       GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!od_found_export_is_desktop (self->origin), FALSE);

  if (backup != NULL)
    *backup = NULL;
  if (!od_found_export_check_target (self, error))
    return FALSE;
  if (self->replacement != NULL)
    return od_found_export_file_replace (self->path, self->existing, self->replacement, backup,
                                         error);
  return od_found_export_file_append (self->path, self->existing, self->text, backup, error);
}

/**
 * od_found_export_own_attributes:
 * @incoming: the incoming server's item rather than the outgoing one's
 *
 * Returns: (transfer full): the attributes of Outbox Doctor's own keyring item for
 *   @account, with its schema (`xdg:schema`) as `secret-tool lookup` takes them
 */
GHashTable *
od_found_export_own_attributes (OdAccount *account,
                                gboolean   incoming)
{
  GHashTable *attributes = attributes_new ();
  const char *user;

  g_return_val_if_fail (OD_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (!incoming || od_account_get_incoming_host (account) != NULL, NULL);

  user = incoming ? od_account_get_incoming_username (account)
                  : od_account_get_username (account);
  g_hash_table_insert (attributes, g_strdup ("xdg:schema"), g_strdup (OD_FOUND_EXPORT_OWN_SCHEMA));
  g_hash_table_insert (attributes, g_strdup ("account"), g_strdup (od_account_get_id (account)));
  g_hash_table_insert (attributes, g_strdup ("protocol"),
                       g_strdup (incoming ? od_account_get_incoming_protocol (account)
                                          : OD_ACCOUNT_PROTOCOL_SMTP));
  g_hash_table_insert (attributes, g_strdup ("host"),
                       g_strdup (incoming ? od_account_get_incoming_host (account)
                                          : od_account_get_host (account)));
  g_hash_table_insert (attributes, g_strdup ("port"),
                       g_strdup_printf ("%u", incoming ? od_account_get_incoming_port (account)
                                                       : od_account_get_port (account)));
  g_hash_table_insert (attributes, g_strdup ("user"), g_strdup (user != NULL ? user : ""));
  return attributes;
}
