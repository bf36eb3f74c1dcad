/* od-found-thunderbird.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-found-mail-util.h"
#include "od-found-thunderbird.h"
#include "od-prefs-js.h"

/* Thunderbird: profiles.ini names the profiles; each profile's prefs.js holds the outgoing
 * servers (mail.smtpservers, mail.smtpserver.KEY.*), the identities that send through them
 * (mail.identity.ID.*) and the accounts with their incoming servers (mail.account.KEY.*,
 * mail.server.KEY.*). The numbers are those of Thunderbird's MailNewsTypes2.idl. */

/* nsMsgSocketType */
enum
{
  SOCKET_PLAIN = 0,
  SOCKET_TRY_STARTTLS = 1,
  SOCKET_STARTTLS = 2,
  SOCKET_SSL = 3,
};

/* nsMsgAuthMethod */
enum
{
  AUTH_NONE = 1,
  AUTH_OLD = 2,
  AUTH_CLEARTEXT = 3,
  AUTH_ENCRYPTED = 4,
  AUTH_GSSAPI = 5,
  AUTH_NTLM = 6,
  AUTH_EXTERNAL = 7,
  AUTH_SECURE = 8,
  AUTH_ANYTHING = 9,
  AUTH_OAUTH2 = 10,
};

/* Where Thunderbird keeps its profiles: installed from the distribution, as a Flatpak, as
 * a Snap. The first one wins when two have a profile folder of the same name. */
static const char * const roots[] = {
  ".thunderbird",
  ".var/app/org.mozilla.Thunderbird/.thunderbird",
  "snap/thunderbird/common/.thunderbird",
};

typedef struct
{
  GHashTable *prefs;
  const char *profile;    /* the profile folder's name */
  const char *path;       /* its prefs.js */
  GPtrArray  *found;
  GPtrArray  *problems;
} Profile;

static const char *
pref (GHashTable *prefs,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static const char *
pref (GHashTable *prefs,
      const char *format,
      ...)
{
  g_autofree char *name = NULL;
  va_list args;

  va_start (args, format);
  name = g_strdup_vprintf (format, args);
  va_end (args);

  return g_hash_table_lookup (prefs, name);
}

/* A comma-separated list of keys, as mail.smtpservers or mail.account.KEY.identities. */
static GStrv
split_keys (const char *list)
{
  g_auto(GStrv) parts = g_strsplit (list != NULL ? list : "", ",", OD_FOUND_MAX_ACCOUNTS + 1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL && i < OD_FOUND_MAX_ACCOUNTS; i++)
    {
      char *key = g_strstrip (parts[i]);

      if (*key != '\0')
        g_strv_builder_add (builder, key);
    }
  return g_strv_builder_end (builder);
}

static gboolean
parse_small_int (const char *text,
                 gint64     *value)
{
  return text != NULL && g_ascii_string_to_signed (text, 10, G_MININT32, G_MAXINT32, value,
                                                   NULL);
}

static OdSecurity
map_socket_type (OdFoundAccount *found,
                 const char     *value)
{
  gint64 type = SOCKET_PLAIN;

  if (value != NULL && !parse_small_int (value, &type))
    type = -1;
  switch (type)
    {
    case SOCKET_PLAIN:
      return OD_SECURITY_NONE;
    case SOCKET_TRY_STARTTLS:
      od_found_account_add_note (found, _("Thunderbird uses STARTTLS with this server only "
                                          "when the server offers it; Outbox Doctor always "
                                          "requires it."));
      return OD_SECURITY_STARTTLS;
    case SOCKET_STARTTLS:
      return OD_SECURITY_STARTTLS;
    case SOCKET_SSL:
      return OD_SECURITY_TLS;
    default:
      {
        g_autofree char *note =
          /* Translators: %s is a setting's value as Thunderbird wrote it */
          g_strdup_printf (_("The encryption setting “%s” is not known; no encryption is "
                             "assumed."), value);

        od_found_account_add_note (found, note);
        return OD_SECURITY_NONE;
      }
    }
}

static void
map_auth_method (OdFoundAccount *found,
                 const char     *value)
{
  OdAccount *account = od_found_account_get_account (found);
  gint64 method = AUTH_CLEARTEXT;   /* mail.smtpserver.default.authMethod */
  const char *unsupported = NULL;

  if (value != NULL && !parse_small_int (value, &method))
    method = -1;
  switch (method)
    {
    case AUTH_NONE:
      od_account_set_auth_mechanism (account, OD_ACCOUNT_AUTH_NONE);
      return;
    case AUTH_OLD:
    case AUTH_CLEARTEXT:
      od_account_set_auth_mechanism (account, "PLAIN");
      return;
    case AUTH_ENCRYPTED:
      od_account_set_auth_mechanism (account, "CRAM-MD5");
      return;
    case AUTH_SECURE:
    case AUTH_ANYTHING:
      return;
    case AUTH_OAUTH2:
      od_account_set_auth_mechanism (account, "XOAUTH2");
      od_found_account_add_note (found, _("An OAuth account: Outbox Doctor cannot test it "
                                          "yet."));
      return;
    case AUTH_GSSAPI:
      unsupported = "GSSAPI (Kerberos)";
      break;
    case AUTH_NTLM:
      unsupported = "NTLM";
      break;
    case AUTH_EXTERNAL:
      unsupported = "TLS client certificate";
      break;
    default:
      break;
    }

  if (unsupported != NULL)
    {
      g_autofree char *note =
        /* Translators: %s is the name of a login method, e.g. NTLM */
        g_strdup_printf (_("This server uses a login method Outbox Doctor does not support "
                           "(%s)."), unsupported);

      od_account_set_auth_mechanism (account, unsupported);
      od_found_account_add_note (found, note);
    }
  else
    {
      g_autofree char *note =
        /* Translators: %s is a setting's value as Thunderbird wrote it */
        g_strdup_printf (_("The login method “%s” is not known; any method the server offers "
                           "is tried."), value);

      od_found_account_add_note (found, note);
    }
}

/* The port as Thunderbird takes it: 0 or none is its default. */
static guint16
map_port (OdFoundAccount *found,
          const char     *value,
          guint16         fallback)
{
  guint16 port;

  if (value == NULL || g_strcmp0 (value, "0") == 0)
    return fallback;
  if (od_found_parse_port (value, &port))
    return port;
  {
    g_autofree char *note =
      /* Translators: %s is what the configuration says, %u a port number */
      g_strdup_printf (_("The port “%s” is not a port number; the default port %u is "
                         "assumed."), value, fallback);

    od_found_account_add_note (found, note);
  }
  return fallback;
}

/* The first identity (in the order of mail.accountmanager.accounts) that sends through
 * @smtp_key, and the account it belongs to. An identity without smtpServer uses the default
 * server, mail.smtp.defaultserver. */
static gboolean
find_identity (GHashTable  *prefs,
               const char  *smtp_key,
               char       **identity_key,
               char       **account_key)
{
  g_auto(GStrv) accounts = split_keys (pref (prefs, "mail.accountmanager.accounts"));
  const char *default_server = pref (prefs, "mail.smtp.defaultserver");

  for (guint i = 0; accounts[i] != NULL; i++)
    {
      g_auto(GStrv) identities = split_keys (pref (prefs, "mail.account.%s.identities",
                                                   accounts[i]));

      for (guint j = 0; identities[j] != NULL; j++)
        {
          const char *server = pref (prefs, "mail.identity.%s.smtpServer", identities[j]);

          if (server == NULL || *server == '\0')
            server = default_server;
          if (g_strcmp0 (server, smtp_key) == 0)
            {
              *identity_key = g_strdup (identities[j]);
              *account_key = g_strdup (accounts[i]);
              return TRUE;
            }
        }
    }
  return FALSE;
}

static void
map_incoming (OdFoundAccount *found,
              GHashTable     *prefs,
              const char     *account_key)
{
  const char *server = pref (prefs, "mail.account.%s.server", account_key);
  const char *type, *host;
  OdSecurity security;
  guint16 port;

  if (server == NULL)
    return;
  type = pref (prefs, "mail.server.%s.type", server);
  host = pref (prefs, "mail.server.%s.hostname", server);
  if (host == NULL || *host == '\0' ||
      (g_strcmp0 (type, "imap") != 0 && g_strcmp0 (type, "pop3") != 0))
    return;

  security = map_socket_type (found, pref (prefs, "mail.server.%s.socketType", server));
  if (g_str_equal (type, "imap"))
    port = map_port (found, pref (prefs, "mail.server.%s.port", server),
                     security == OD_SECURITY_TLS ? 993 : 143);
  else
    port = map_port (found, pref (prefs, "mail.server.%s.port", server),
                     security == OD_SECURITY_TLS ? 995 : 110);
  od_account_set_incoming (od_found_account_get_account (found), type, host, port, security,
                           pref (prefs, "mail.server.%s.userName", server));
}

static void
read_smtp_server (Profile    *profile,
                  const char *key)
{
  GHashTable *prefs = profile->prefs;
  g_autoptr(OdFoundAccount) found = NULL;
  g_autofree char *native_id = g_strdup_printf ("%s/%s", profile->profile, key);
  g_autofree char *identity = NULL;
  g_autofree char *account_key = NULL;
  const char *host = pref (prefs, "mail.smtpserver.%s.hostname", key);
  const char *username = pref (prefs, "mail.smtpserver.%s.username", key);
  OdAccount *account;
  OdSecurity security;

  found = od_found_account_new (OD_ORIGIN_THUNDERBIRD, native_id, NULL);
  for (guint i = 0; i < profile->found->len; i++)
    if (g_str_equal (od_found_account_get_id (g_ptr_array_index (profile->found, i)),
                     od_found_account_get_id (found)))
      return;   /* the same profile folder name in another installation */

  account = od_found_account_get_account (found);
  od_found_account_set_source_path (found, profile->path);
  od_found_account_set_secret (found, OD_FOUND_SECRET_ASK);

  if (find_identity (prefs, key, &identity, &account_key))
    {
      const char *address = pref (prefs, "mail.identity.%s.useremail", identity);

      if (address != NULL)
        od_account_set_address (account, address);
      od_account_set_display_name (account, pref (prefs, "mail.identity.%s.fullName",
                                                   identity));
    }
  else
    od_found_account_add_note (found, _("No Thunderbird identity sends through this server, "
                                        "so its email address is not known."));

  if (host != NULL && *host != '\0')
    od_account_set_host (account, host);
  else
    od_found_account_add_note (found, _("Thunderbird has no host name for this outgoing "
                                        "server."));

  security = map_socket_type (found, pref (prefs, "mail.smtpserver.%s.try_ssl", key));
  od_account_set_security (account, security);
  /* nsSmtpService: no port means 465 with SSL/TLS, 25 otherwise. */
  od_account_set_port (account, map_port (found, pref (prefs, "mail.smtpserver.%s.port", key),
                                          security == OD_SECURITY_TLS ? 465 : 25));
  if (username != NULL && *username != '\0')
    od_account_set_username (account, username);
  map_auth_method (found, pref (prefs, "mail.smtpserver.%s.authMethod", key));

  if (account_key != NULL)
    map_incoming (found, prefs, account_key);

  g_ptr_array_add (profile->found, g_steal_pointer (&found));
}

static void
add_problem (GPtrArray  *problems,
             const char *profile,
             const char *message)
{
  g_ptr_array_add (problems,
                   /* Translators: %s is a Thunderbird profile's folder, then what went
                    * wrong */
                   g_strdup_printf (_("Thunderbird profile %s: %s"), profile, message));
}

/* The accounts of one profile's prefs.js: every outgoing server in mail.smtpservers. */
static void
parse_prefs (const char *contents,
             gsize       length,
             const char *name,
             const char *prefs_path,
             GPtrArray  *found,
             guint       first,
             GPtrArray  *problems)
{
  g_autoptr(GHashTable) prefs = NULL;
  g_auto(GStrv) servers = NULL;
  guint skipped = 0;
  guint before;
  Profile profile;

  prefs = od_prefs_js_parse (contents, length, &skipped);
  profile = (Profile) { prefs, name, prefs_path, found, problems };
  servers = split_keys (pref (prefs, "mail.smtpservers"));
  before = found->len;
  for (guint i = 0; servers[i] != NULL && found->len - first < OD_FOUND_MAX_ACCOUNTS; i++)
    read_smtp_server (&profile, servers[i]);

  /* Lines of this profile's prefs.js that were skipped: a note on its own accounts. */
  if (skipped > 0)
    {
      g_autofree char *message =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u line of prefs.js could not be read and was skipped",
                                      "%u lines of prefs.js could not be read and were skipped",
                                      skipped), skipped);

      if (found->len == before)
        add_problem (problems, name, message);
      for (guint i = before; i < found->len; i++)
        od_found_account_add_note (g_ptr_array_index (found, i), message);
    }
}

/* The folder of the profile @group of profiles.ini, resolved and kept inside the home
 * folder, and its name (the last part of its Path). NULL when the group names none, or with
 * @error when the folder may not be read. */
static char *
profile_dir (const OdFoundContext  *context,
             const char            *root,
             GKeyFile              *ini,
             const char            *group,
             char                 **name,
             GError               **error)
{
  g_autofree char *path = g_key_file_get_string (ini, group, "Path", NULL);
  g_autofree char *relative = g_key_file_get_string (ini, group, "IsRelative", NULL);
  g_autofree char *dir = NULL;

  *name = NULL;
  if (path == NULL || *path == '\0')
    return NULL;
  *name = g_path_get_basename (path);
  if (g_strcmp0 (relative, "0") != 0)
    {
      g_auto(GStrv) parts = g_strsplit (path, "/", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        if (g_str_equal (parts[i], ".."))
          {
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                                 _("the profile folder is outside Thunderbird’s folder and is "
                                   "not read"));
            return NULL;
          }
      dir = g_build_filename (root, path, NULL);
    }
  else
    dir = g_strdup (path);

  return od_found_real_path_in_home (dir, context->home, error);
}

/* One profile of profiles.ini: its folder resolved and kept inside the home folder, its
 * prefs.js read, every outgoing server in mail.smtpservers made an account. */
static void
read_profile (const OdFoundContext *context,
              const char           *root,
              GKeyFile             *ini,
              const char           *group,
              GPtrArray            *found,
              guint                 first,
              GPtrArray            *problems)
{
  g_autofree char *real = NULL;
  g_autofree char *prefs_path = NULL;
  g_autofree char *real_prefs = NULL;
  g_autofree char *name = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  real = profile_dir (context, root, ini, group, &name, &error);
  if (real == NULL && error == NULL)
    return;
  prefs_path = real != NULL ? g_build_filename (real, "prefs.js", NULL) : NULL;
  real_prefs = prefs_path != NULL ? od_found_real_path_in_home (prefs_path, context->home,
                                                                &error) : NULL;
  if (real_prefs == NULL || !od_found_read_file (real_prefs, &contents, &length, &error))
    {
      add_problem (problems, name, error->message);
      return;
    }

  parse_prefs (contents, length, name, prefs_path, found, first, problems);
}

static void
read_root (const OdFoundContext *context,
           const char           *root,
           GPtrArray            *found,
           guint                 first,
           GPtrArray            *problems)
{
  g_autofree char *ini_path = g_build_filename (root, "profiles.ini", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GKeyFile) ini = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) groups = NULL;
  gsize length = 0;

  if (!g_file_test (ini_path, G_FILE_TEST_EXISTS))
    return;
  if (!od_found_read_file (ini_path, &contents, &length, &error) ||
      !g_key_file_load_from_data (ini, contents, length, G_KEY_FILE_NONE, &error))
    {
      g_autofree char *display = g_filename_display_name (ini_path);

      g_ptr_array_add (problems,
                       /* Translators: %s is a file name, then what went wrong */
                       g_strdup_printf (_("%s could not be read: %s"), display,
                                        error->message));
      return;
    }

  groups = g_key_file_get_groups (ini, NULL);
  for (guint i = 0, n = 0; groups[i] != NULL && n < OD_FOUND_MAX_ACCOUNTS; i++)
    {
      if (!g_str_has_prefix (groups[i], "Profile"))
        continue;
      if (g_cancellable_is_cancelled (context->cancellable))
        return;
      read_profile (context, root, ini, groups[i], found, first, problems);
      n++;
    }
}

/* The group of the profile Thunderbird starts with: the one an [Install…] group names as
 * its Default (Thunderbird 68 and later), else the [Profile…] group with Default=1, else the
 * only profile. */
static char *
default_group (GKeyFile *ini)
{
  g_auto(GStrv) groups = g_key_file_get_groups (ini, NULL);
  g_autofree char *install_default = NULL;
  const char *marked = NULL, *only = NULL;
  guint n_profiles = 0;

  for (guint i = 0; groups[i] != NULL; i++)
    if (g_str_has_prefix (groups[i], "Install") && install_default == NULL)
      install_default = g_key_file_get_string (ini, groups[i], "Default", NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *path = NULL;

      if (!g_str_has_prefix (groups[i], "Profile"))
        continue;
      path = g_key_file_get_string (ini, groups[i], "Path", NULL);
      if (install_default != NULL && g_strcmp0 (path, install_default) == 0)
        return g_strdup (groups[i]);
      if (marked == NULL && g_key_file_get_boolean (ini, groups[i], "Default", NULL))
        marked = groups[i];
      only = groups[i];
      n_profiles++;
    }
  if (marked != NULL)
    return g_strdup (marked);
  return n_profiles == 1 ? g_strdup (only) : NULL;
}

/**
 * od_found_thunderbird_default_profile:
 * @name: (out): the profile folder's name, as the accounts' ids have it
 *
 * The profile Thunderbird starts with, in the first installation (plain, Flatpak, Snap)
 * that has profiles: the one an account handed to Thunderbird goes into.
 *
 * Returns: (transfer full): its folder, or %NULL with @error (%G_IO_ERROR_NOT_FOUND when
 *   Thunderbird has no profile, or none it starts with)
 */
char *
od_found_thunderbird_default_profile (const OdFoundContext  *context,
                                      char                 **name,
                                      GError               **error)
{
  g_return_val_if_fail (context != NULL && name != NULL, NULL);

  *name = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (roots); i++)
    {
      g_autofree char *root = g_build_filename (context->home, roots[i], NULL);
      g_autofree char *ini_path = g_build_filename (root, "profiles.ini", NULL);
      g_autofree char *contents = NULL;
      g_autofree char *group = NULL;
      g_autoptr(GKeyFile) ini = g_key_file_new ();
      gsize length = 0;

      if (!g_file_test (ini_path, G_FILE_TEST_EXISTS))
        continue;
      if (!od_found_read_file (ini_path, &contents, &length, error)
          || !g_key_file_load_from_data (ini, contents, length, G_KEY_FILE_NONE, error))
        return NULL;
      group = default_group (ini);
      if (group != NULL)
        {
          char *dir = profile_dir (context, root, ini, group, name, error);

          if (dir == NULL && error != NULL && *error == NULL)
            break;
          return dir;
        }
      break;
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("Thunderbird has no profile it starts with on this computer: start "
                         "Thunderbird once and close it, then try again."));
  return NULL;
}

/**
 * od_found_read_thunderbird:
 *
 * Reads every Thunderbird profile of the plain, Flatpak and Snap installations under the
 * home folder: one account per outgoing server (id "thunderbird:PROFILE-DIR/SMTP-KEY"), its
 * address from the first identity that sends through it, the incoming server from that
 * identity's account. Thunderbird's own password store is never read: the password is asked
 * for. A profile folder outside the home folder is not followed.
 *
 * Returns: %FALSE with @error when profiles exist but none could be read
 */
gboolean
od_found_read_thunderbird (const OdFoundContext  *context,
                           GPtrArray             *found,
                           GError               **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  guint first;

  g_return_val_if_fail (context != NULL && context->home != NULL, FALSE);
  g_return_val_if_fail (found != NULL, FALSE);

  first = found->len;
  for (guint i = 0; i < G_N_ELEMENTS (roots); i++)
    {
      g_autofree char *root = g_build_filename (context->home, roots[i], NULL);

      read_root (context, root, found, first, problems);
    }

  return od_found_finish_problems (found, first, problems, error);
}

/**
 * od_found_thunderbird_parse:
 * @profile: the profile folder's name (the first part of the accounts' native ids)
 * @prefs_path: the file's name, for the accounts' source path
 *
 * Adds the accounts of one profile's prefs.js to @found, as od_found_read_thunderbird()
 * reads them (the fixer reads a changed file back with it).
 */
void
od_found_thunderbird_parse (const char *contents,
                            gsize       length,
                            const char *profile,
                            const char *prefs_path,
                            GPtrArray  *found)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (contents != NULL && profile != NULL && prefs_path != NULL);
  g_return_if_fail (found != NULL);

  parse_prefs (contents, length, profile, prefs_path, found, found->len, problems);
}
