/* od-found-account.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "od-found-account.h"

struct _OdFoundAccount
{
  GObject        parent_instance;

  char          *origin;
  char          *native_id;
  char          *source_path;
  OdAccount     *account;     /* id ORIGIN:NATIVE-ID */
  OdFoundSecret  secret;
  char          *provider;    /* GOA's provider type ("google", "imap_smtp"), or NULL */
  GHashTable    *keyring;     /* attribute → value */
  GPtrArray     *notes;       /* NULL-terminated */
};

G_DEFINE_FINAL_TYPE (OdFoundAccount, od_found_account, G_TYPE_OBJECT)

static void
od_found_account_finalize (GObject *object)
{
  OdFoundAccount *self = (OdFoundAccount *)object;

  g_clear_pointer (&self->origin, g_free);
  g_clear_pointer (&self->provider, g_free);
  g_clear_pointer (&self->native_id, g_free);
  g_clear_pointer (&self->source_path, g_free);
  g_clear_object (&self->account);
  g_clear_pointer (&self->keyring, g_hash_table_unref);
  g_clear_pointer (&self->notes, g_ptr_array_unref);

  G_OBJECT_CLASS (od_found_account_parent_class)->finalize (object);
}

static void
od_found_account_class_init (OdFoundAccountClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = od_found_account_finalize;
}

static void
od_found_account_init (OdFoundAccount *self)
{
  self->keyring = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->notes = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->notes, NULL);
}

/**
 * od_found_account_new:
 * @origin: one of the OD_ORIGIN_… names
 * @native_id: the client's own name for the account (see docs/found-accounts.md)
 * @address: (nullable): the email address, when the client says it
 *
 * Returns: (transfer full): a found account with the id "ORIGIN:NATIVE-ID" and no settings
 *   yet (fill them in through od_found_account_get_account())
 */
OdFoundAccount *
od_found_account_new (const char *origin,
                      const char *native_id,
                      const char *address)
{
  OdFoundAccount *self;
  g_autofree char *id = NULL;

  g_return_val_if_fail (origin != NULL && native_id != NULL, NULL);

  self = g_object_new (OD_TYPE_FOUND_ACCOUNT, NULL);
  self->origin = g_strdup (origin);
  self->native_id = g_strdup (native_id);
  id = g_strdup_printf ("%s:%s", origin, native_id);
  self->account = od_account_new (id, address ? address : "");
  od_account_set_settings_source (self->account, origin);

  return self;
}

const char *
od_found_account_get_id (OdFoundAccount *self)
{
  g_return_val_if_fail (OD_IS_FOUND_ACCOUNT (self), NULL);
  return od_account_get_id (self->account);
}

const char *
od_found_account_get_origin (OdFoundAccount *self)
{
  g_return_val_if_fail (OD_IS_FOUND_ACCOUNT (self), NULL);
  return self->origin;
}

const char *
od_found_account_get_native_id (OdFoundAccount *self)
{
  g_return_val_if_fail (OD_IS_FOUND_ACCOUNT (self), NULL);
  return self->native_id;
}

/**
 * od_found_account_get_account:
 *
 * Returns: (transfer none): the settings, as a check of a saved account takes them
 */
OdAccount *
od_found_account_get_account (OdFoundAccount *self)
{
  g_return_val_if_fail (OD_IS_FOUND_ACCOUNT (self), NULL);
  return self->account;
}

/**
 * od_found_account_get_source_path:
 *
 * Returns: (nullable): the file the settings were read from, or the D-Bus object path
 */
const char *
od_found_account_get_source_path (OdFoundAccount *self)
{
  g_return_val_if_fail (OD_IS_FOUND_ACCOUNT (self), NULL);
  return self->source_path;
}

void
od_found_account_set_source_path (OdFoundAccount *self,
                                  const char     *path)
{
  g_return_if_fail (OD_IS_FOUND_ACCOUNT (self));

  g_free (self->source_path);
  self->source_path = g_strdup (path);
}

OdFoundSecret
od_found_account_get_secret (OdFoundAccount *self)
{
  g_return_val_if_fail (OD_IS_FOUND_ACCOUNT (self), OD_FOUND_SECRET_ASK);
  return self->secret;
}

void
od_found_account_set_secret (OdFoundAccount *self,
                             OdFoundSecret   secret)
{
  g_return_if_fail (OD_IS_FOUND_ACCOUNT (self));
  self->secret = secret;
}

/**
 * od_found_account_get_keyring_attributes:
 *
 * Returns: (transfer none): with %OD_FOUND_SECRET_KEYRING, the attributes of the libsecret
 *   item that holds the password (name → value); empty otherwise
 */
GHashTable *
od_found_account_get_keyring_attributes (OdFoundAccount *self)
{
  g_return_val_if_fail (OD_IS_FOUND_ACCOUNT (self), NULL);
  return self->keyring;
}

void
od_found_account_set_keyring_attribute (OdFoundAccount *self,
                                        const char     *name,
                                        const char     *value)
{
  g_return_if_fail (OD_IS_FOUND_ACCOUNT (self));
  g_return_if_fail (name != NULL && value != NULL);

  g_hash_table_replace (self->keyring, g_strdup (name), g_strdup (value));
}

/**
 * od_found_account_get_notes:
 *
 * Returns: (transfer none): sentences for the person about this account, translated
 *   ("An OAuth account: Outbox Doctor cannot test it yet.", "GOA accepts any certificate
 *   for this server.", "An entry of this file could not be read: …")
 */
const char * const *
od_found_account_get_notes (OdFoundAccount *self)
{
  g_return_val_if_fail (OD_IS_FOUND_ACCOUNT (self), NULL);
  return (const char * const *)self->notes->pdata;
}

void
od_found_account_add_note (OdFoundAccount *self,
                           const char     *note)
{
  g_return_if_fail (OD_IS_FOUND_ACCOUNT (self));
  g_return_if_fail (note != NULL);

  g_ptr_array_insert (self->notes, self->notes->len - 1, g_strdup (note));
}

/**
 * od_found_account_get_provider:
 *
 * Returns: (nullable): the provider type of a GNOME Online Accounts account ("google",
 *   "windows_live", "imap_smtp"), %NULL for other clients
 */
const char *
od_found_account_get_provider (OdFoundAccount *self)
{
  g_return_val_if_fail (OD_IS_FOUND_ACCOUNT (self), NULL);
  return self->provider;
}

void
od_found_account_set_provider (OdFoundAccount *self,
                               const char     *provider)
{
  g_return_if_fail (OD_IS_FOUND_ACCOUNT (self));
  g_free (self->provider);
  self->provider = g_strdup (provider);
}

/**
 * od_found_account_get_testable:
 *
 * Returns: whether the account has what a check needs: a server and a sender address
 */
gboolean
od_found_account_get_testable (OdFoundAccount *self)
{
  g_return_val_if_fail (OD_IS_FOUND_ACCOUNT (self), FALSE);

  return od_account_get_host (self->account) != NULL &&
         od_account_get_host (self->account)[0] != '\0' &&
         od_account_get_port (self->account) != 0 &&
         od_account_get_address (self->account)[0] != '\0';
}

/**
 * od_found_origin_get_name:
 * @origin: one of the OD_ORIGIN_… names
 *
 * Returns: the client's name as people know it ("msmtp", "GNOME Online Accounts"),
 *   translated; @origin itself when it is not known
 */
const char *
od_found_origin_get_name (const char *origin)
{
  static const struct { const char *origin; const char *name; } names[] = {
    { OD_ORIGIN_OUTBOX_DOCTOR, N_("Outbox Doctor") },
    { OD_ORIGIN_GOA, N_("GNOME Online Accounts") },
    { OD_ORIGIN_EVOLUTION, N_("Evolution") },
    { OD_ORIGIN_GEARY, N_("Geary") },
    { OD_ORIGIN_THUNDERBIRD, N_("Thunderbird") },
    { OD_ORIGIN_KMAIL, N_("KMail") },
    { OD_ORIGIN_MSMTP, N_("msmtp") },
    { OD_ORIGIN_GIT, N_("git send-email") },
    { OD_ORIGIN_NEOMUTT, N_("NeoMutt") },
    { OD_ORIGIN_AERC, N_("aerc") },
  };

  g_return_val_if_fail (origin != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i].origin, origin))
      return _(names[i].name);

  return origin;
}

const char *
od_found_secret_to_string (OdFoundSecret secret)
{
  switch (secret)
    {
    case OD_FOUND_SECRET_KEYRING:
      return "keyring";
    case OD_FOUND_SECRET_GOA:
      return "goa";
    case OD_FOUND_SECRET_GOA_OAUTH2:
      return "goa-oauth2";
    case OD_FOUND_SECRET_ASK:
    default:
      return "ask";
    }
}

/**
 * od_found_account_to_json:
 *
 * Returns: (transfer full): the account as `accounts list --json` shows ours (top-level
 *   `host`, `port`, `security`, `username`, …) with `origin`, `source_path`, `secret` and
 *   `notes`; never a password
 */
JsonNode *
od_found_account_to_json (OdFoundAccount *self)
{
  JsonNode *node;
  JsonObject *object;
  JsonArray *notes;

  g_return_val_if_fail (OD_IS_FOUND_ACCOUNT (self), NULL);

  node = od_account_to_json (self->account);
  object = json_node_get_object (node);
  json_object_set_string_member (object, "origin", self->origin);
  if (self->source_path != NULL)
    json_object_set_string_member (object, "source_path", self->source_path);
  else
    json_object_set_null_member (object, "source_path");
  json_object_set_string_member (object, "secret", od_found_secret_to_string (self->secret));
  notes = json_array_new ();
  for (guint i = 0; i + 1 < self->notes->len; i++)
    json_array_add_string_element (notes, g_ptr_array_index (self->notes, i));
  json_object_set_array_member (object, "notes", notes);

  return node;
}

/**
 * od_found_read_file:
 *
 * Reads a client's configuration file the careful way: a regular file (a symbolic link is
 * followed only to a regular file), at most %OD_FOUND_MAX_FILE_SIZE bytes, no NUL byte.
 * Errors say which file, in words for the person.
 */
gboolean
od_found_read_file (const char  *path,
                    char       **contents,
                    gsize       *length,
                    GError     **error)
{
  g_autofree char *data = NULL;
  g_autofree char *display = g_filename_display_name (path);
  GStatBuf st;
  gsize len = 0;

  g_return_val_if_fail (path != NULL && contents != NULL, FALSE);

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   /* Translators: %s is a file name */
                   _("%s could not be read: %s"), display, g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   /* Translators: %s is a file name */
                   _("%s is not a regular file"), display);
      return FALSE;
    }
  if (st.st_size > OD_FOUND_MAX_FILE_SIZE)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   /* Translators: %s is a file name */
                   _("%s is too large to be a mail client’s settings"), display);
      return FALSE;
    }
  if (!g_file_get_contents (path, &data, &len, error))
    return FALSE;
  if (len > OD_FOUND_MAX_FILE_SIZE || memchr (data, '\0', len) != NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   /* Translators: %s is a file name */
                   _("%s is not a text file"), display);
      return FALSE;
    }

  *contents = g_steal_pointer (&data);
  if (length != NULL)
    *length = len;
  return TRUE;
}
