/* od-found-geary.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-found-geary.h"
#include "od-found-mail-util.h"

/* Geary (3.32 and later): one folder per account, CONFIG/geary/account_NN/geary.ini, a key
 * file of version 1 (Geary's accounts-manager.vala):
 *
 *   [Metadata]  version=1, status=enabled|disabled|removed, goa_id (GOA's accounts)
 *   [Account]   sender_mailboxes=Name <address>;…, service_provider=other|gmail|outlook
 *   [Incoming]  host, port, transport_security=none|start-tls|transport, login, …
 *   [Outgoing]  the same and credentials=none|use-incoming|custom
 *
 * The passwords are in the keyring under Geary's schema "org.gnome.Geary" with the
 * attributes proto (IMAP or SMTP), host and login of the service whose credentials are used:
 * the incoming one when the outgoing server uses the incoming credentials. */

#define GEARY_SCHEMA "org.gnome.Geary"

/* Where Geary keeps its configuration: installed from the distribution, or as a Flatpak.
 * Relative to the configuration folder, and to the home folder. */
#define GEARY_FLATPAK_CONFIG ".var/app/org.gnome.Geary/config/geary"

typedef struct
{
  OdFoundAccount *found;
  GKeyFile       *ini;
  const char     *provider;
} Account;

static void
add_note_printf (OdFoundAccount *found,
                 const char     *format,
                 ...) G_GNUC_PRINTF (2, 3);

static void
add_note_printf (OdFoundAccount *found,
                 const char     *format,
                 ...)
{
  g_autofree char *note = NULL;
  va_list args;

  va_start (args, format);
  note = g_strdup_vprintf (format, args);
  va_end (args);
  od_found_account_add_note (found, note);
}

/* "Ada Lovelace <ada@example.org>" or "ada@example.org": the name and the address. */
static void
parse_mailbox (const char  *mailbox,
               char       **name,
               char       **address)
{
  const char *open = strrchr (mailbox, '<');
  const char *close = open != NULL ? strchr (open, '>') : NULL;

  if (open != NULL && close != NULL)
    {
      g_autofree char *n = g_strndup (mailbox, open - mailbox);

      g_strstrip (n);
      if (n[0] == '"' && strlen (n) >= 2 && n[strlen (n) - 1] == '"')
        {
          n[strlen (n) - 1] = '\0';
          memmove (n, n + 1, strlen (n));
        }
      *name = *n != '\0' ? g_steal_pointer (&n) : NULL;
      *address = g_strstrip (g_strndup (open + 1, close - open - 1));
    }
  else
    {
      *name = NULL;
      *address = g_strstrip (g_strdup (mailbox));
    }
}

static OdSecurity
map_security (OdFoundAccount *found,
              const char     *value,
              OdSecurity      fallback)
{
  if (value == NULL)
    return fallback;
  if (g_ascii_strcasecmp (value, "transport") == 0)
    return OD_SECURITY_TLS;
  if (g_ascii_strcasecmp (value, "start-tls") == 0)
    return OD_SECURITY_STARTTLS;
  if (g_ascii_strcasecmp (value, "none") == 0)
    return OD_SECURITY_NONE;
  /* Translators: %s is a setting's value as Geary wrote it */
  add_note_printf (found, _("The encryption setting “%s” is not known; no encryption is "
                            "assumed."), value);
  return OD_SECURITY_NONE;
}

/* A service's host, port and security: Geary's own for Gmail and Outlook.com, the file's
 * otherwise, with Geary's default ports (ServiceInformation.get_default_port). */
static gboolean
read_service (Account     *self,
              const char  *group,
              gboolean     outgoing,
              gboolean     no_login,
              char       **host,
              guint16     *port,
              OdSecurity  *security)
{
  g_autofree char *port_text = g_key_file_get_value (self->ini, group, "port", NULL);
  g_autofree char *tls = g_key_file_get_string (self->ini, group, "transport_security", NULL);

  if (g_strcmp0 (self->provider, "gmail") == 0)
    {
      *host = g_strdup (outgoing ? "smtp.gmail.com" : "imap.gmail.com");
      *port = outgoing ? 465 : 993;
      *security = OD_SECURITY_TLS;
      return TRUE;
    }
  if (g_strcmp0 (self->provider, "outlook") == 0)
    {
      *host = g_strdup (outgoing ? "smtp-mail.outlook.com" : "imap-mail.outlook.com");
      *port = outgoing ? 587 : 993;
      *security = outgoing ? OD_SECURITY_STARTTLS : OD_SECURITY_TLS;
      return TRUE;
    }

  *host = g_key_file_get_string (self->ini, group, "host", NULL);
  if (*host == NULL || **host == '\0')
    {
      g_clear_pointer (host, g_free);
      return FALSE;
    }
  *security = map_security (self->found, tls,
                            outgoing ? OD_SECURITY_STARTTLS : OD_SECURITY_TLS);
  if (port_text != NULL && g_strcmp0 (port_text, "0") != 0 &&
      od_found_parse_port (port_text, port))
    return TRUE;

  if (!outgoing)
    *port = *security == OD_SECURITY_TLS ? 993 : 143;
  else if (*security == OD_SECURITY_TLS)
    *port = 465;
  else
    *port = no_login ? 25 : 587;
  if (port_text != NULL && g_strcmp0 (port_text, "0") != 0)
    /* Translators: %s is what the configuration says, %u a port number */
    add_note_printf (self->found, _("The port “%s” is not a port number; the default port %u "
                                    "is assumed."), port_text, *port);
  return TRUE;
}

/* Where the outgoing password is: the keyring item of the service whose login is used. */
static void
map_credentials (Account    *self,
                 const char *incoming_host)
{
  OdAccount *account = od_found_account_get_account (self->found);
  g_autofree char *credentials = g_key_file_get_string (self->ini, "Outgoing", "credentials",
                                                        NULL);
  gboolean use_incoming = credentials == NULL ||
                          g_ascii_strcasecmp (credentials, "use-incoming") == 0;
  const char *group = use_incoming ? "Incoming" : "Outgoing";
  g_autofree char *login = NULL;
  g_autofree char *remember = NULL;
  const char *host;

  od_found_account_set_secret (self->found, OD_FOUND_SECRET_ASK);
  if (credentials != NULL && g_ascii_strcasecmp (credentials, "none") == 0)
    {
      od_account_set_auth_mechanism (account, OD_ACCOUNT_AUTH_NONE);
      return;
    }
  if (!use_incoming && g_ascii_strcasecmp (credentials, "custom") != 0)
    {
      /* Translators: %s is a setting's value as Geary wrote it */
      add_note_printf (self->found, _("The login setting “%s” is not known; the outgoing "
                                      "server’s own login is assumed."), credentials);
      group = "Outgoing";
      use_incoming = FALSE;
    }

  login = g_key_file_get_string (self->ini, group, "login", NULL);
  remember = g_key_file_get_value (self->ini, group, "remember_password", NULL);
  host = use_incoming ? incoming_host : od_account_get_host (account);
  if (login == NULL || *login == '\0')
    return;
  od_account_set_username (account, login);
  if (g_strcmp0 (remember, "false") == 0)
    {
      od_found_account_add_note (self->found, _("Geary does not keep this password: you are "
                                                "asked for it."));
      return;
    }
  if (host == NULL)
    return;

  od_found_account_set_secret (self->found, OD_FOUND_SECRET_KEYRING);
  od_found_account_set_keyring_attribute (self->found, "xdg:schema", GEARY_SCHEMA);
  od_found_account_set_keyring_attribute (self->found, "proto", use_incoming ? "IMAP" : "SMTP");
  od_found_account_set_keyring_attribute (self->found, "host", host);
  od_found_account_set_keyring_attribute (self->found, "login", login);
}

static void
map_account (Account *self)
{
  OdAccount *account = od_found_account_get_account (self->found);
  g_auto(GStrv) senders = g_key_file_get_string_list (self->ini, "Account", "sender_mailboxes",
                                                      NULL, NULL);
  g_autofree char *in_host = NULL;
  g_autofree char *out_host = NULL;
  g_autofree char *credentials = g_key_file_get_string (self->ini, "Outgoing", "credentials",
                                                        NULL);
  guint16 port = 0;
  OdSecurity security = OD_SECURITY_TLS;

  if (senders != NULL && senders[0] != NULL)
    {
      g_autofree char *name = NULL;
      g_autofree char *address = NULL;

      parse_mailbox (senders[0], &name, &address);
      od_account_set_address (account, address);
      od_account_set_display_name (account, name);
    }
  else
    od_found_account_add_note (self->found, _("Geary has no sender address for this account."));

  if (read_service (self, "Incoming", FALSE, FALSE, &in_host, &port, &security))
    {
      g_autofree char *login = g_key_file_get_string (self->ini, "Incoming", "login", NULL);

      od_account_set_incoming (account, "imap", in_host, port, security, login);
    }

  if (read_service (self, "Outgoing", TRUE,
                    credentials != NULL && g_ascii_strcasecmp (credentials, "none") == 0,
                    &out_host, &port, &security))
    {
      od_account_set_host (account, out_host);
      od_account_set_port (account, port);
      od_account_set_security (account, security);
    }
  else
    od_found_account_add_note (self->found, _("Geary has no host name for this account’s "
                                              "outgoing server."));

  map_credentials (self, in_host);
}

static void
add_problem (GPtrArray  *problems,
             const char *name,
             const char *message)
{
  g_ptr_array_add (problems,
                   /* Translators: %s is a Geary account's folder, then what went wrong */
                   g_strdup_printf (_("Geary account %s: %s"), name, message));
}

/**
 * od_found_geary_parse:
 * @name: the account's folder name ("account_01"): its native id
 * @path: the file's name, for the account's source path
 *
 * Adds the account of one geary.ini to @found: none for an account of GNOME Online
 * Accounts, a removed one, or one whose folder name @found already has.
 *
 * Returns: %FALSE with @error when the file is not Geary's settings as Outbox Doctor knows
 *   them
 */
gboolean
od_found_geary_parse (const char  *contents,
                      gsize        length,
                      const char  *name,
                      const char  *path,
                      GPtrArray   *found,
                      GError     **error)
{
  g_autofree char *status = NULL;
  g_autofree char *goa = NULL;
  g_autofree char *provider = NULL;
  g_autoptr(GKeyFile) ini = g_key_file_new ();
  g_autoptr(OdFoundAccount) account = NULL;
  Account self;

  g_return_val_if_fail (contents != NULL && name != NULL && path != NULL, FALSE);
  g_return_val_if_fail (found != NULL, FALSE);

  if (!g_key_file_load_from_data (ini, contents, length, G_KEY_FILE_NONE, error))
    return FALSE;

  status = g_key_file_get_string (ini, "Metadata", "status", NULL);
  goa = g_key_file_get_string (ini, "Metadata", "goa_id", NULL);
  /* An account of GNOME Online Accounts is GOA's reader's; a removed one is going away. */
  if (goa != NULL || g_strcmp0 (status, "removed") == 0)
    return TRUE;
  if (g_key_file_get_integer (ini, "Metadata", "version", NULL) != 1)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("this is not a version of Geary’s settings Outbox Doctor knows"));
      return FALSE;
    }

  for (guint i = 0; i < found->len; i++)
    if (g_str_equal (od_found_account_get_native_id (g_ptr_array_index (found, i)), name) &&
        g_str_equal (od_found_account_get_origin (g_ptr_array_index (found, i)),
                     OD_ORIGIN_GEARY))
      return TRUE;   /* the same folder in the Flatpak's configuration */

  account = od_found_account_new (OD_ORIGIN_GEARY, name, NULL);
  od_found_account_set_source_path (account, path);
  provider = g_key_file_get_string (ini, "Account", "service_provider", NULL);
  self = (Account) { account, ini, provider != NULL ? provider : "other" };
  map_account (&self);
  if (g_strcmp0 (status, "disabled") == 0)
    od_found_account_add_note (account, _("This account is switched off in Geary."));

  g_ptr_array_add (found, g_steal_pointer (&account));
  return TRUE;
}

static void
read_account (const OdFoundContext *context,
              const char           *dir,
              const char           *name,
              GPtrArray            *found,
              GPtrArray            *problems)
{
  g_autofree char *path = g_build_filename (dir, name, "geary.ini", NULL);
  g_autofree char *real = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  real = od_found_real_path_in_home (path, context->home, &error);
  if (real == NULL || !od_found_read_file (real, &contents, &length, &error) ||
      !od_found_geary_parse (contents, length, name, path, found, &error))
    add_problem (problems, name, error->message);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

static void
read_dir (const OdFoundContext *context,
          const char           *dir,
          GPtrArray            *found,
          guint                 first,
          GPtrArray            *problems)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL && names->len < 4 * OD_FOUND_MAX_ACCOUNTS)
    if (g_str_has_prefix (name, "account_"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len && found->len - first < OD_FOUND_MAX_ACCOUNTS; i++)
    {
      if (g_cancellable_is_cancelled (context->cancellable))
        return;
      read_account (context, dir, g_ptr_array_index (names, i), found, problems);
    }
}

/**
 * od_found_read_geary:
 *
 * Reads Geary's accounts (CONFIG/geary/account_*, and the Flatpak's
 * ~/.var/app/org.gnome.Geary/config/geary): id "geary:account_NN", the first sender address,
 * both servers, and the keyring item Geary keeps the password in. GNOME Online Accounts'
 * accounts are left to GOA's reader.
 */
gboolean
od_found_read_geary (const OdFoundContext  *context,
                     GPtrArray             *found,
                     GError               **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *config = NULL;
  g_autofree char *flatpak = NULL;
  guint first;

  g_return_val_if_fail (context != NULL && context->home != NULL, FALSE);
  g_return_val_if_fail (found != NULL, FALSE);

  first = found->len;
  config = context->config_home != NULL
             ? g_build_filename (context->config_home, "geary", NULL)
             : g_build_filename (context->home, ".config", "geary", NULL);
  flatpak = g_build_filename (context->home, GEARY_FLATPAK_CONFIG, NULL);
  read_dir (context, config, found, first, problems);
  read_dir (context, flatpak, found, first, problems);

  return od_found_finish_problems (found, first, problems, error);
}
