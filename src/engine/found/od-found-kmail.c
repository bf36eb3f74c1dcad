/* od-found-kmail.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-found-kmail.h"
#include "od-found-mail-util.h"
#include "od-kconfig.h"

/* KMail: the outgoing servers ("transports") are in CONFIG/mailtransports, KDE's
 * kmailtransport (mailtransport.kcfg): one group "Transport N" each with
 *
 *   id          the transport's number (identities name it)
 *   identifier  SMTP (the default), or an Akonadi resource such as EWS: only SMTP is read
 *   host, port  the port defaults to 465
 *   encryption  None, SSL (implicit TLS: the default), TLS (STARTTLS); or 0, 1, 2
 *   auth        true when a login is needed (default false)
 *   authtype    LOGIN, PLAIN (the default), CRAM_MD5, DIGEST_MD5, GSSAPI, NTLM, APOP, CLEAR,
 *               ANONYMOUS, XOAUTH2; or their numbers 0 to 9
 *   user        the login
 *
 * The identities (CONFIG/emailidentities, groups "Identity #N" with "Email Address", "Name"
 * and "Transport") give the address. The password is in KWallet, which we do not read. */

static const char * const auth_types[] = {
  "LOGIN", "PLAIN", "CRAM_MD5", "DIGEST_MD5", "GSSAPI", "NTLM", "APOP", "CLEAR", "ANONYMOUS",
  "XOAUTH2",
};

#define KMAIL_FLATPAK_CONFIG ".var/app/org.kde.kmail2/config"

typedef struct
{
  GKeyFile   *transports;
  GKeyFile   *identities;   /* (nullable) */
  const char *path;
  GPtrArray  *found;
} Files;

static char *
get (GKeyFile   *keyfile,
     const char *group,
     const char *key)
{
  return od_kconfig_get_string (keyfile, group, key);
}

static OdSecurity
map_encryption (OdFoundAccount *found,
                const char     *value)
{
  if (value == NULL || g_ascii_strcasecmp (value, "SSL") == 0 || g_str_equal (value, "1"))
    return OD_SECURITY_TLS;
  if (g_ascii_strcasecmp (value, "TLS") == 0 || g_str_equal (value, "2"))
    return OD_SECURITY_STARTTLS;
  if (g_ascii_strcasecmp (value, "None") == 0 || g_str_equal (value, "0"))
    return OD_SECURITY_NONE;
  {
    g_autofree char *note =
      /* Translators: %s is a setting's value as KMail wrote it */
      g_strdup_printf (_("The encryption setting “%s” is not known; no encryption is "
                         "assumed."), value);

    od_found_account_add_note (found, note);
  }
  return OD_SECURITY_NONE;
}

static void
map_auth (OdFoundAccount *found,
          GKeyFile       *keyfile,
          const char     *group)
{
  OdAccount *account = od_found_account_get_account (found);
  g_autofree char *auth = get (keyfile, group, "auth");
  g_autofree char *type = get (keyfile, group, "authtype");
  const char *name = NULL;
  guint64 index;

  if (auth == NULL || g_ascii_strcasecmp (auth, "true") != 0)
    {
      od_account_set_auth_mechanism (account, OD_ACCOUNT_AUTH_NONE);
      return;
    }
  if (type == NULL)
    name = "PLAIN";
  else if (g_ascii_string_to_unsigned (type, 10, 0, G_N_ELEMENTS (auth_types) - 1,
                                       &index, NULL))
    name = auth_types[index];
  else
    for (guint i = 0; i < G_N_ELEMENTS (auth_types); i++)
      if (g_ascii_strcasecmp (type, auth_types[i]) == 0)
        name = auth_types[i];

  if (g_strcmp0 (name, "LOGIN") == 0 || g_strcmp0 (name, "PLAIN") == 0)
    od_account_set_auth_mechanism (account, name);
  else if (g_strcmp0 (name, "CRAM_MD5") == 0)
    od_account_set_auth_mechanism (account, "CRAM-MD5");
  else if (g_strcmp0 (name, "CLEAR") == 0)
    return;   /* KMail's "clear text": whatever the server offers */
  else if (g_strcmp0 (name, "XOAUTH2") == 0)
    {
      od_account_set_auth_mechanism (account, "XOAUTH2");
      od_found_account_add_note (found, _("An OAuth account: Outbox Doctor cannot test it "
                                          "yet."));
    }
  else
    {
      g_autofree char *note =
        /* Translators: %s is the name of a login method, e.g. NTLM */
        g_strdup_printf (_("This server uses a login method Outbox Doctor does not support "
                           "(%s)."), name != NULL ? name : type);

      od_found_account_add_note (found, note);
    }
}

/* The first identity that sends through transport @id (one without a transport uses the
 * default transport). */
static void
map_identity (Files          *files,
              OdFoundAccount *found,
              const char     *id,
              gboolean        is_default)
{
  OdAccount *account = od_found_account_get_account (found);
  g_auto(GStrv) groups = NULL;

  if (files->identities != NULL)
    groups = g_key_file_get_groups (files->identities, NULL);
  for (guint i = 0; groups != NULL && groups[i] != NULL && i < OD_FOUND_MAX_ACCOUNTS; i++)
    {
      g_autofree char *transport = NULL;
      g_autofree char *address = NULL;

      if (!g_str_has_prefix (groups[i], "Identity #"))
        continue;
      transport = get (files->identities, groups[i], "Transport");
      if (transport != NULL && *transport != '\0' ? g_strcmp0 (transport, id) != 0
                                                  : !is_default)
        continue;
      address = get (files->identities, groups[i], "Email Address");
      if (address == NULL || *address == '\0')
        continue;
      od_account_set_address (account, address);
      {
        g_autofree char *name = get (files->identities, groups[i], "Name");

        od_account_set_display_name (account, name);
      }
      return;
    }

  od_found_account_add_note (found, _("No KMail identity sends through this server, so its "
                                      "email address is not known."));
}

static void
read_transport (Files      *files,
                const char *group,
                const char *default_id)
{
  g_autofree char *identifier = get (files->transports, group, "identifier");
  g_autofree char *id = get (files->transports, group, "id");
  g_autofree char *host = get (files->transports, group, "host");
  g_autofree char *port_text = get (files->transports, group, "port");
  g_autofree char *encryption = get (files->transports, group, "encryption");
  g_autofree char *user = get (files->transports, group, "user");
  g_autoptr(OdFoundAccount) found = NULL;
  OdAccount *account;
  guint16 port = 465;

  if (identifier != NULL && g_ascii_strcasecmp (identifier, "SMTP") != 0)
    return;   /* an Akonadi resource (EWS, …), not an SMTP server */
  if (id == NULL || *id == '\0' || strchr (id, '/') != NULL)
    {
      g_free (id);
      id = g_strdup (group + strlen ("Transport "));
    }
  for (guint i = 0; i < files->found->len; i++)
    if (g_str_equal (od_found_account_get_origin (g_ptr_array_index (files->found, i)),
                     OD_ORIGIN_KMAIL) &&
        g_str_equal (od_found_account_get_native_id (g_ptr_array_index (files->found, i)), id))
      return;

  found = od_found_account_new (OD_ORIGIN_KMAIL, id, NULL);
  account = od_found_account_get_account (found);
  od_found_account_set_source_path (found, files->path);
  od_found_account_set_secret (found, OD_FOUND_SECRET_ASK);
  map_identity (files, found, id, g_strcmp0 (id, default_id) == 0);

  if (host != NULL && *host != '\0')
    od_account_set_host (account, host);
  else
    od_found_account_add_note (found, _("KMail has no host name for this outgoing server."));
  od_account_set_security (account, map_encryption (found, encryption));
  if (port_text != NULL && !od_found_parse_port (port_text, &port))
    {
      g_autofree char *note =
        /* Translators: %s is what the configuration says, %u a port number */
        g_strdup_printf (_("The port “%s” is not a port number; the default port %u is "
                           "assumed."), port_text, 465);

      od_found_account_add_note (found, note);
      port = 465;
    }
  od_account_set_port (account, port);
  if (user != NULL && *user != '\0')
    od_account_set_username (account, user);
  map_auth (found, files->transports, group);

  g_ptr_array_add (files->found, g_steal_pointer (&found));
}

static GKeyFile *
load (const OdFoundContext  *context,
      const char            *path,
      GPtrArray             *problems)
{
  g_autofree char *real = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GKeyFile *keyfile = NULL;
  gsize length = 0;
  guint skipped = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK))
    return NULL;
  real = od_found_real_path_in_home (path, context->home, &error);
  if (real != NULL && od_found_read_file (real, &contents, &length, &error))
    keyfile = od_kconfig_load (contents, length, &skipped, &error);
  if (keyfile == NULL)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_ptr_array_add (problems,
                       /* Translators: %s is a file name, then what went wrong */
                       g_strdup_printf (_("%s could not be read: %s"), display, error->message));
      return NULL;
    }
  if (skipped > 0)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_ptr_array_add (problems,
                       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "%u line of %s was not read",
                                                     "%u lines of %s were not read",
                                                     skipped), skipped, display));
    }
  return keyfile;
}

/* Every SMTP transport of @files, while @found has room. */
static void
read_transports (Files *files,
                 guint  first)
{
  g_autofree char *default_id = od_kconfig_get_string (files->transports, "General",
                                                       "default-transport");
  g_auto(GStrv) groups = g_key_file_get_groups (files->transports, NULL);

  for (guint i = 0; groups[i] != NULL && files->found->len - first < OD_FOUND_MAX_ACCOUNTS; i++)
    if (g_str_has_prefix (groups[i], "Transport ") && groups[i][strlen ("Transport ")] != '\0')
      read_transport (files, groups[i], default_id);
}

static void
read_config (const OdFoundContext *context,
             const char           *config,
             GPtrArray            *found,
             guint                 first,
             GPtrArray            *problems)
{
  g_autofree char *path = g_build_filename (config, "mailtransports", NULL);
  g_autofree char *identities_path = g_build_filename (config, "emailidentities", NULL);
  g_autoptr(GKeyFile) transports = load (context, path, problems);
  g_autoptr(GKeyFile) identities = NULL;
  Files files;

  if (transports == NULL)
    return;
  identities = load (context, identities_path, problems);
  files = (Files) { transports, identities, path, found };
  read_transports (&files, first);
}

/**
 * od_found_kmail_parse:
 * @path: the file's name, for the accounts' source path
 *
 * Adds the SMTP transports of one mailtransports file to @found, as od_found_read_kmail()
 * reads them but without the identities (no address): the fixer reads a changed file back
 * with it.
 *
 * Returns: %FALSE with @error when the file cannot be read as a KConfig file
 */
gboolean
od_found_kmail_parse (const char  *contents,
                      gsize        length,
                      const char  *path,
                      GPtrArray   *found,
                      GError     **error)
{
  g_autoptr(GKeyFile) transports = NULL;
  Files files;

  g_return_val_if_fail (contents != NULL && path != NULL && found != NULL, FALSE);

  transports = od_kconfig_load (contents, length, NULL, error);
  if (transports == NULL)
    return FALSE;
  files = (Files) { transports, NULL, path, found };
  read_transports (&files, found->len);
  return TRUE;
}

/**
 * od_found_read_kmail:
 *
 * Reads KMail's SMTP transports (CONFIG/mailtransports, and the Flatpak's
 * ~/.var/app/org.kde.kmail2/config/mailtransports): id "kmail:ID" (the transport's id),
 * the address from the identity that sends through it. The password is in KWallet: asked
 * for.
 */
gboolean
od_found_read_kmail (const OdFoundContext  *context,
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
  config = context->config_home != NULL ? g_strdup (context->config_home)
                                         : g_build_filename (context->home, ".config", NULL);
  flatpak = g_build_filename (context->home, KMAIL_FLATPAK_CONFIG, NULL);
  read_config (context, config, found, first, problems);
  read_config (context, flatpak, found, first, problems);

  return od_found_finish_problems (found, first, problems, error);
}
