/* od-account-store.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-account-store"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "od-account-private.h"
#include "od-account-store-private.h"
#include "od-address.h"
#include "od-check.h"
#include "od-file-lock.h"

#define MAIN_GROUP      "Outbox Doctor"
#define ACCOUNT_PREFIX  "Account "
#define MAX_FILE_SIZE   (4 * 1024 * 1024)

/* The saved accounts, as a GListModel of OdAccount, backed by a key file
 * ($XDG_CONFIG_HOME/outbox-doctor/accounts.ini):
 *
 *   [Outbox Doctor]
 *   version=1
 *
 *   [Account alice-example-com]
 *   name=Alice at work
 *   address=alice@example.com
 *   smtp-host=smtp.example.com
 *   smtp-port=587
 *   smtp-security=starttls
 *   smtp-user=alice@example.com
 *   smtp-auth=PLAIN
 *   source=autoconfig
 *   pinned-certificates=smtp.example.com:587 AB:CD:…;
 *   confirmed-servers=mail.hostco.example:587;
 *   last-check-result=pass
 *   last-check-problem=…
 *   last-check-time=2026-01-31T10:00:00Z
 *   incoming-protocol=imap
 *   incoming-host=imap.example.com
 *   incoming-port=993
 *   incoming-security=tls
 *   incoming-user=alice@example.com
 *
 * The loaded GKeyFile is kept and only the keys this code knows are rewritten, so keys and
 * groups written by a newer version survive a save. Writing goes through
 * g_file_set_contents_full(): a new file renamed over the old one, mode 0600, so a crash
 * leaves either the old file or the new one, never half of one. A damaged file is moved
 * aside (accounts.ini.corrupt-TIMESTAMP) before anything is written again. */

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OdAccountStore, od_account_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

G_DEFINE_QUARK (od-account-store-error-quark, od_account_store_error)

static GType
od_account_store_get_item_type (GListModel *model)
{
  return OD_TYPE_ACCOUNT;
}

static guint
od_account_store_get_n_items (GListModel *model)
{
  return OD_ACCOUNT_STORE (model)->accounts->len;
}

static gpointer
od_account_store_get_item (GListModel *model,
                           guint       position)
{
  OdAccountStore *self = OD_ACCOUNT_STORE (model);

  if (position >= self->accounts->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->accounts, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = od_account_store_get_item_type;
  iface->get_n_items = od_account_store_get_n_items;
  iface->get_item = od_account_store_get_item;
}

static char *
group_for (const char *id)
{
  return g_strconcat (ACCOUNT_PREFIX, id, NULL);
}

static gboolean
id_is_valid (const char *id)
{
  if (id[0] == '\0' || strlen (id) > 64)
    return FALSE;

  for (const char *p = id; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
        return FALSE;
    }

  return TRUE;
}

static gboolean
host_is_valid (const char *host)
{
  if (host == NULL || host[0] == '\0' || strlen (host) > 255 || !g_utf8_validate (host, -1, NULL))
    return FALSE;

  for (const char *p = host; *p; p++)
    {
      if ((guchar)*p <= ' ' || *p == ';' || *p == ',' || *p == '/' || *p == 0x7f)
        return FALSE;
    }

  return TRUE;
}

/* GLib 2.74's string parser sets its GError twice on some bad escapes (a value ending in
 * \=\), which prints a critical warning: check the escapes of the raw value ourselves. */
static gboolean
raw_value_is_valid (const char *raw)
{
  for (const char *p = raw; *p != '\0'; p++)
    {
      if (*p != '\\')
        continue;

      p++;
      if (*p == '\0' || strchr ("sntr\\;", *p) == NULL)
        return FALSE;
    }

  return TRUE;
}

/* g_key_file_get_string() for a file that may be damaged: NULL for a missing key or a value
 * with bad escapes. */
static char *
read_string (GKeyFile   *keyfile,
             const char *group,
             const char *key)
{
  g_autofree char *raw = g_key_file_get_value (keyfile, group, key, NULL);

  if (raw == NULL || !raw_value_is_valid (raw))
    return NULL;

  return g_key_file_get_string (keyfile, group, key, NULL);
}

static char **
read_string_list (GKeyFile   *keyfile,
                  const char *group,
                  const char *key)
{
  g_autofree char *raw = g_key_file_get_value (keyfile, group, key, NULL);

  if (raw == NULL || !raw_value_is_valid (raw))
    return NULL;

  return g_key_file_get_string_list (keyfile, group, key, NULL, NULL);
}

/* Reads a port; FALSE when the key is there but not a port. */
static gboolean
read_port (GKeyFile   *keyfile,
           const char *group,
           const char *key,
           gboolean    required,
           guint16    *port)
{
  g_autofree char *value = g_key_file_get_value (keyfile, group, key, NULL);
  guint64 n;

  if (value == NULL)
    return !required;

  if (!g_ascii_string_to_unsigned (g_strstrip (value), 10, 1, G_MAXUINT16, &n, NULL))
    return FALSE;

  *port = n;
  return TRUE;
}

static gboolean
read_security (GKeyFile   *keyfile,
               const char *group,
               const char *key,
               gboolean    required,
               OdSecurity *security)
{
  g_autofree char *value = read_string (keyfile, group, key);

  if (value == NULL)
    return !required;

  return od_security_from_string (value, security);
}

/* One account group; NULL with @reason when it is incomplete or has a value that cannot be
 * right (what a partly written file looks like). */
/* The incoming server: all or nothing. Returns FALSE with @reason set. */
static gboolean
read_incoming (GKeyFile    *keyfile,
               const char  *group,
               OdAccount   *account,
               char       **reason)
{
  g_autofree char *value = NULL;

  if ((value = read_string (keyfile, group, "incoming-host")))
    {
      g_autofree char *protocol = read_string (keyfile, group, "incoming-protocol");
      g_autofree char *user = read_string (keyfile, group, "incoming-user");
      guint16 in_port = 0;
      OdSecurity in_security = OD_SECURITY_TLS;

      if (protocol == NULL || !host_is_valid (value) ||
          !read_port (keyfile, group, "incoming-port", TRUE, &in_port) ||
          !read_security (keyfile, group, "incoming-security", FALSE, &in_security))
        {
          *reason = g_strdup_printf (_("the incoming server of the account “%s” is incomplete"),
                                     od_account_get_id (account));
          return FALSE;
        }

      od_account_set_incoming (account, protocol, value, in_port, in_security, user);
    }

  return TRUE;
}

/* The certificates the user trusted, "HOST:PORT FINGERPRINT" each. Returns FALSE with @reason set. */
static gboolean
read_pins (GKeyFile    *keyfile,
           const char  *group,
           OdAccount   *account,
           char       **reason)
{
  g_auto(GStrv) pins = NULL;

  pins = read_string_list (keyfile, group, "pinned-certificates");
  for (guint i = 0; pins != NULL && pins[i] != NULL; i++)
    {
      const char *space = strrchr (pins[i], ' ');
      g_autofree char *endpoint = NULL;
      g_autofree char *pin_host = NULL;
      guint16 pin_port = 0;

      if (pins[i][0] == '\0')
        continue;

      if (space != NULL)
        endpoint = g_strndup (pins[i], space - pins[i]);

      if (endpoint == NULL || !od_account_parse_endpoint (endpoint, &pin_host, &pin_port) ||
          !od_account_add_pinned_fingerprint (account, pin_host, pin_port, space + 1))
        {
          *reason = g_strdup_printf (_("a trusted certificate of the account “%s” is unreadable"),
                                     od_account_get_id (account));
          return FALSE;
        }
    }

  return TRUE;
}

/* Servers found through forgeable records that the user confirmed, "HOST:PORT" each.
 * Returns FALSE with @reason set. */
static gboolean
read_confirmed (GKeyFile    *keyfile,
                const char  *group,
                OdAccount   *account,
                char       **reason)
{
  g_auto(GStrv) servers = read_string_list (keyfile, group, "confirmed-servers");

  for (guint i = 0; servers != NULL && servers[i] != NULL; i++)
    {
      g_autofree char *host = NULL;
      guint16 port = 0;

      if (servers[i][0] == '\0')
        continue;

      if (!od_account_parse_endpoint (servers[i], &host, &port) || !host_is_valid (host))
        {
          *reason = g_strdup_printf (_("a confirmed server of the account “%s” is unreadable"),
                                     od_account_get_id (account));
          return FALSE;
        }
      od_account_add_confirmed_server (account, host, port);
    }

  return TRUE;
}

/* How the last check went. Returns FALSE with @reason set. */
static gboolean
read_last_check (GKeyFile    *keyfile,
                 const char  *group,
                 OdAccount   *account,
                 char       **reason)
{
  g_autofree char *value = NULL;

  if ((value = read_string (keyfile, group, "last-check-result")))
    {
      g_autofree char *problem = read_string (keyfile, group, "last-check-problem");
      g_autofree char *time_str = read_string (keyfile, group, "last-check-time");
      g_autoptr(GDateTime) time = NULL;

      if (!g_str_equal (value, "pass") && !g_str_equal (value, "warn") &&
          !g_str_equal (value, "fail"))
        {
          *reason = g_strdup_printf (_("the last check of the account “%s” has an unknown "
                                       "result"), od_account_get_id (account));
          return FALSE;
        }

      if (time_str != NULL && !(time = g_date_time_new_from_iso8601 (time_str, NULL)))
        {
          *reason = g_strdup_printf (_("the last check of the account “%s” has an unreadable "
                                       "date"), od_account_get_id (account));
          return FALSE;
        }

      od_account_set_last_check (account, value, problem, time,
                                 g_key_file_get_boolean (keyfile, group, "last-check-sent",
                                                         NULL));
    }

  return TRUE;
}

static OdAccount *
read_account (GKeyFile    *keyfile,
              const char  *group,
              char       **reason)
{
  const char *id = group + strlen (ACCOUNT_PREFIX);
  g_autoptr(OdAccount) account = NULL;
  g_autofree char *address = NULL;
  g_autofree char *host = NULL;
  g_autofree char *value = NULL;
  guint16 port = 0;
  OdSecurity security = OD_SECURITY_STARTTLS;

  if (!id_is_valid (id))
    {
      *reason = g_strdup_printf (_("“%s” is not a valid account id"), id);
      return NULL;
    }

  address = read_string (keyfile, group, "address");
  if (address == NULL || !od_address_validate (address, NULL))
    {
      *reason = g_strdup_printf (_("the account “%s” has no valid address"), id);
      return NULL;
    }

  host = read_string (keyfile, group, "smtp-host");
  if (!host_is_valid (host) ||
      !read_port (keyfile, group, "smtp-port", TRUE, &port) ||
      !read_security (keyfile, group, "smtp-security", TRUE, &security))
    {
      *reason = g_strdup_printf (_("the outgoing server of the account “%s” is incomplete"), id);
      return NULL;
    }

  account = od_account_new (id, address);
  od_account_set_host (account, host);
  od_account_set_port (account, port);
  od_account_set_security (account, security);

  g_clear_pointer (&value, g_free);
  if ((value = read_string (keyfile, group, "name")))
    od_account_set_display_name (account, value);

  g_clear_pointer (&value, g_free);
  if ((value = read_string (keyfile, group, "smtp-user")))
    od_account_set_username (account, value);

  g_clear_pointer (&value, g_free);
  if ((value = read_string (keyfile, group, "smtp-auth")))
    od_account_set_auth_mechanism (account, value);

  g_clear_pointer (&value, g_free);
  if ((value = read_string (keyfile, group, "source")))
    od_account_set_settings_source (account, value);

  g_clear_pointer (&value, g_free);
  if ((value = read_string (keyfile, group, "oauth-provider")))
    {
      g_autofree char *client_id = read_string (keyfile, group, "oauth-client-id");
      g_autofree char *client_secret = read_string (keyfile, group, "oauth-client-secret");

      od_account_set_oauth (account, value, client_id, client_secret);
    }

  if (!read_incoming (keyfile, group, account, reason) ||
      !read_pins (keyfile, group, account, reason) ||
      !read_confirmed (keyfile, group, account, reason) ||
      !read_last_check (keyfile, group, account, reason))
    return NULL;

  return g_steal_pointer (&account);
}

static void
remove_key (GKeyFile   *keyfile,
            const char *group,
            const char *key)
{
  g_key_file_remove_key (keyfile, group, key, NULL);
}

static void
set_or_remove (GKeyFile   *keyfile,
               const char *group,
               const char *key,
               const char *value)
{
  if (value == NULL)
    remove_key (keyfile, group, key);
  else
    g_key_file_set_string (keyfile, group, key, value);
}

static void
set_integer (GKeyFile   *keyfile,
             const char *group,
             const char *key,
             int         value)
{
  g_key_file_set_integer (keyfile, group, key, value);
}

static void
write_account (GKeyFile  *keyfile,
               OdAccount *account)
{
  g_autofree char *group = group_for (od_account_get_id (account));
  g_auto(GStrv) endpoints = od_account_list_pinned_endpoints (account);
  g_autoptr(GStrvBuilder) pins = g_strv_builder_new ();
  g_auto(GStrv) pin_list = NULL;
  GDateTime *time = od_account_get_last_check_time (account);
  g_autofree char *time_str = time ? g_date_time_format_iso8601 (time) : NULL;
  const char * const *confirmed = od_account_get_confirmed_servers (account);

  set_or_remove (keyfile, group, "name", od_account_get_display_name (account));
  set_or_remove (keyfile, group, "address", od_account_get_address (account));
  set_or_remove (keyfile, group, "smtp-host", od_account_get_host (account));
  set_integer (keyfile, group, "smtp-port", od_account_get_port (account));
  set_or_remove (keyfile, group, "smtp-security",
                 od_security_to_string (od_account_get_security (account)));
  set_or_remove (keyfile, group, "smtp-user", od_account_get_username (account));
  set_or_remove (keyfile, group, "smtp-auth", od_account_get_auth_mechanism (account));
  set_or_remove (keyfile, group, "source", od_account_get_settings_source (account));
  set_or_remove (keyfile, group, "oauth-provider", od_account_get_oauth_provider (account));
  set_or_remove (keyfile, group, "oauth-client-id", od_account_get_oauth_client_id (account));
  set_or_remove (keyfile, group, "oauth-client-secret",
                 od_account_get_oauth_client_secret (account));

  for (guint i = 0; endpoints[i] != NULL; i++)
    {
      const char * const *fps = od_account_peek_pins (account, endpoints[i]);

      for (guint j = 0; fps[j] != NULL; j++)
        {
          g_autofree char *entry = g_strdup_printf ("%s %s", endpoints[i], fps[j]);
          g_strv_builder_add (pins, entry);
        }
    }
  pin_list = g_strv_builder_end (pins);
  if (pin_list[0] != NULL)
    {
      g_key_file_set_string_list (keyfile, group, "pinned-certificates",
                                  (const char * const *)pin_list, g_strv_length (pin_list));
    }
  else
    remove_key (keyfile, group, "pinned-certificates");

  if (confirmed[0] != NULL)
    g_key_file_set_string_list (keyfile, group, "confirmed-servers", confirmed,
                                g_strv_length ((char **)confirmed));
  else
    remove_key (keyfile, group, "confirmed-servers");

  set_or_remove (keyfile, group, "last-check-result", od_account_get_last_verdict (account));
  set_or_remove (keyfile, group, "last-check-problem", od_account_get_last_problem (account));
  set_or_remove (keyfile, group, "last-check-time", time_str);
  if (od_account_get_last_check_sent (account))
    g_key_file_set_boolean (keyfile, group, "last-check-sent", TRUE);
  else
    remove_key (keyfile, group, "last-check-sent");

  if (od_account_get_incoming_host (account) != NULL)
    {
      set_or_remove (keyfile, group, "incoming-protocol",
                     od_account_get_incoming_protocol (account));
      set_or_remove (keyfile, group, "incoming-host", od_account_get_incoming_host (account));
      set_integer (keyfile, group, "incoming-port", od_account_get_incoming_port (account));
      set_or_remove (keyfile, group, "incoming-security",
                     od_security_to_string (od_account_get_incoming_security (account)));
      set_or_remove (keyfile, group, "incoming-user", od_account_get_incoming_username (account));
    }
  else
    {
      const char * const keys[] = { "incoming-protocol", "incoming-host", "incoming-port",
                                    "incoming-security", "incoming-user" };

      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        remove_key (keyfile, group, keys[i]);
    }
}

/* A line GKeyFile can parse: blank, a comment, a group header or key=value, valid UTF-8. */
static gboolean
line_is_sane (const char *line,
              gsize       len)
{
  const char *eq;

  if (memchr (line, '\0', len) != NULL || !g_utf8_validate (line, len, NULL))
    return FALSE;

  if (len == 0 || line[0] == '#')
    return TRUE;

  if (line[0] == '[')
    return line[len - 1] == ']' && len > 2 && memchr (line + 1, '[', len - 2) == NULL &&
           memchr (line + 1, ']', len - 2) == NULL;

  eq = memchr (line, '=', len);
  return eq != NULL && eq != line;
}

/* What can be read from a file GKeyFile refused: each group on its own, without the lines
 * that are not key file syntax (a file cut off in the middle of a line, or filled with
 * zeros by a crash). */
static GKeyFile *
salvage (const char *data,
         gsize       len)
{
  g_autoptr(GKeyFile) result = g_key_file_new ();
  g_autoptr(GString) chunk = g_string_new (NULL);
  const char *p = data;
  const char *end = data + len;

  while (p <= end)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize line_len = (nl ? nl : end) - p;
      gboolean header;

      if (line_len > 0 && p[line_len - 1] == '\r')
        line_len--;

      header = line_len > 0 && p[0] == '[' && line_is_sane (p, line_len);

      /* At each group header, and at the end, the group read so far is merged. */
      if (header || nl == NULL)
        {
          g_autoptr(GKeyFile) part = g_key_file_new ();

          if (nl == NULL && line_is_sane (p, line_len))
            g_string_append_len (chunk, p, line_len);

          if (chunk->len > 0 &&
              g_key_file_load_from_data (part, chunk->str, chunk->len, G_KEY_FILE_NONE, NULL))
            {
              g_auto(GStrv) groups = g_key_file_get_groups (part, NULL);

              for (guint i = 0; groups[i] != NULL; i++)
                {
                  g_auto(GStrv) keys = g_key_file_get_keys (part, groups[i], NULL, NULL);

                  for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
                    {
                      g_autofree char *value = g_key_file_get_value (part, groups[i], keys[k],
                                                                     NULL);
                      if (value != NULL)
                        g_key_file_set_value (result, groups[i], keys[k], value);
                    }
                }
            }

          g_string_truncate (chunk, 0);
          if (nl == NULL)
            break;
        }

      if (line_is_sane (p, line_len))
        {
          g_string_append_len (chunk, p, line_len);
          g_string_append_c (chunk, '\n');
        }

      p = nl + 1;
    }

  return g_steal_pointer (&result);
}

/* GKeyFile reads the last copy of a key that appears twice in a group (a hand edit), but
 * after that copy is removed or replaced the other one is still written out, and comes back.
 * Such a file is rebuilt with one copy of each key, the one that was read. */
static GKeyFile *
without_duplicate_keys (GKeyFile *keyfile)
{
  g_auto(GStrv) groups = g_key_file_get_groups (keyfile, NULL);
  g_autoptr(GKeyFile) rebuilt = NULL;
  gboolean duplicates = FALSE;

  for (guint i = 0; groups[i] != NULL && !duplicates; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (keyfile, groups[i], NULL, NULL);
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint k = 0; keys != NULL && keys[k] != NULL && !duplicates; k++)
        duplicates = !g_hash_table_add (seen, keys[k]);
    }

  if (!duplicates)
    return g_key_file_ref (keyfile);

  rebuilt = g_key_file_new ();
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (keyfile, groups[i], NULL, NULL);

      for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
        {
          g_autofree char *value = g_key_file_get_value (keyfile, groups[i], keys[k], NULL);

          if (value != NULL)
            g_key_file_set_value (rebuilt, groups[i], keys[k], value);
        }
    }

  return g_steal_pointer (&rebuilt);
}

static char *
backup_path_for (const char *path)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  char *candidate = g_strdup_printf ("%s.corrupt-%s", path, stamp);

  for (guint n = 2; g_file_test (candidate, G_FILE_TEST_EXISTS); n++)
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, n);
    }

  return candidate;
}

/* The account's group as it would be written: two accounts with the same text are the same. */
static char *
account_text (OdAccount *account)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();

  write_account (keyfile, account);
  return g_key_file_to_data (keyfile, NULL, NULL);
}

/* Makes @accounts (just read) the store's accounts. An account that did not change keeps
 * the object the store had, so bindings to it survive a reload; the list model says what
 * changed only when something did. */
static void
merge_accounts (OdAccountStore *self,
                GPtrArray      *accounts)
{
  g_autoptr(GPtrArray) merged = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean same = accounts->len == self->accounts->len;
  guint n_old = self->accounts->len;

  for (guint i = 0; i < accounts->len; i++)
    {
      OdAccount *fresh = g_ptr_array_index (accounts, i);
      OdAccount *kept = od_account_store_lookup (self, od_account_get_id (fresh));
      g_autofree char *fresh_text = account_text (fresh);
      g_autofree char *kept_text = kept ? account_text (kept) : NULL;

      if (kept == NULL || g_strcmp0 (fresh_text, kept_text) != 0)
        kept = fresh;
      g_ptr_array_add (merged, g_object_ref (kept));
      if (same && g_ptr_array_index (self->accounts, i) != kept)
        same = FALSE;
    }

  if (same)
    return;

  g_ptr_array_set_size (self->accounts, 0);
  for (guint i = 0; i < merged->len; i++)
    g_ptr_array_add (self->accounts, g_object_ref (g_ptr_array_index (merged, i)));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, self->accounts->len);
}

static void
od_account_store_finalize (GObject *object)
{
  OdAccountStore *self = (OdAccountStore *)object;

  od_account_store_stop_watching (self);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->lock_path, g_free);
  g_clear_pointer (&self->backup_path, g_free);
  g_clear_pointer (&self->keyfile, g_key_file_unref);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->removed, g_hash_table_unref);

  G_OBJECT_CLASS (od_account_store_parent_class)->finalize (object);
}

static void
od_account_store_class_init (OdAccountStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = od_account_store_finalize;
}

static void
od_account_store_init (OdAccountStore *self)
{
  self->keyfile = g_key_file_new ();
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * od_account_store_get_default_path:
 *
 * Returns: (transfer full): `$XDG_CONFIG_HOME/outbox-doctor/accounts.ini`
 */
char *
od_account_store_get_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "outbox-doctor", "accounts.ini", NULL);
}

/**
 * od_account_store_new:
 * @path: (nullable): the key file, or %NULL for od_account_store_get_default_path()
 *
 * Returns: (transfer full): an empty store; call od_account_store_load() to read the file
 */
OdAccountStore *
od_account_store_new (const char *path)
{
  OdAccountStore *self = g_object_new (OD_TYPE_ACCOUNT_STORE, NULL);

  self->path = path ? g_strdup (path) : od_account_store_get_default_path ();

  return self;
}

const char *
od_account_store_get_path (OdAccountStore *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT_STORE (self), NULL);
  return self->path;
}

/**
 * od_account_store_get_backup_path:
 *
 * Returns: (nullable): where the last load moved a damaged file, if it did
 */
const char *
od_account_store_get_backup_path (OdAccountStore *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT_STORE (self), NULL);
  return self->backup_path;
}

/* The file is damaged: keep it exactly as it is beside the new one, then write what could be
 * read. Returns FALSE with @error saying all that. */
static gboolean
set_aside_damaged (OdAccountStore  *self,
                   const char      *reasons,
                   GError         **error)
{
  g_autofree char *backup = backup_path_for (self->path);
  g_autofree char *recovered = NULL;
  g_autoptr(GError) save_error = NULL;

  if (g_rename (self->path, backup) != 0)
    {
      int saved_errno = errno;

      self->damaged_in_place = TRUE;
      g_set_error (error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_DAMAGED,
                   _("The account file “%s” is damaged (%s), and it could not be moved "
                     "aside (%s). It will not be changed until it is repaired or removed."),
                   self->path, reasons, g_strerror (saved_errno));
      return FALSE;
    }

  self->backup_path = g_steal_pointer (&backup);

  if (!od_account_store_write (self, &save_error))
    g_debug ("Could not write the recovered accounts: %s", save_error->message);

  recovered = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u account could be read",
                                            "%u accounts could be read",
                                            self->accounts->len),
                               self->accounts->len);
  g_set_error (error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_CORRUPT,
               /* Translators: the first %s is a file name, the second what is wrong with
                * it, the third "2 accounts could be read", the fourth a file name */
               _("The account file “%s” was damaged (%s). %s; the damaged file was kept as "
                 "“%s”."),
               self->path, reasons, recovered, self->backup_path);
  return FALSE;
}

/* Reads the key file (the caller holds the lock); a missing file is an empty store. A
 * damaged file (not key file syntax, or an account with missing or impossible values) is not
 * fatal: the readable accounts are loaded, the file is renamed to
 * `accounts.ini.corrupt-TIMESTAMP`, a file with the readable accounts is written in its
 * place, and %OD_ACCOUNT_STORE_ERROR_CORRUPT says what happened. If the damaged file cannot
 * be moved aside, %OD_ACCOUNT_STORE_ERROR_DAMAGED is returned and nothing overwrites it; a
 * symbolic link is %OD_ACCOUNT_STORE_ERROR_LINK and never followed.
 *
 * Accounts a newer version wrote in a form this version does not understand are left in the
 * file untouched (and not listed); that is not damage. The accounts that did not change
 * keep their objects, so what shows them stays bound to them. */
gboolean
od_account_store_read (OdAccountStore  *self,
                       GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) reasons = g_string_new (NULL);
  g_autofree char *data = NULL;
  g_auto(GStrv) groups = NULL;
  gsize len = 0;
  gint64 version = 0;
  gboolean damaged = FALSE;

  g_return_val_if_fail (OD_IS_ACCOUNT_STORE (self), FALSE);

  g_clear_pointer (&self->backup_path, g_free);
  g_hash_table_remove_all (self->removed);
  self->damaged_in_place = FALSE;
  self->file_version = 0;

  /* Never through a link: it could point anywhere, and writing would replace the link. */
  if (!od_file_read_nofollow (self->path, MAX_FILE_SIZE, &data, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_clear_pointer (&self->keyfile, g_key_file_unref);
          self->keyfile = g_steal_pointer (&keyfile);
          merge_accounts (self, accounts);
          return TRUE;
        }

      self->damaged_in_place = TRUE;
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_LOOP))
        g_set_error (error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_LINK,
                     _("The account file “%s” is a symbolic link. Outbox Doctor does not read "
                       "or write accounts through a link: put the file itself there instead."),
                     self->path);
      else
        /* Unreadable (permissions, I/O error): not damage we may repair; never overwrite. */
        g_set_error (error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_DAMAGED,
                     _("The account file “%s” could not be read: %s"), self->path,
                     local_error->message);
      return FALSE;
    }

  /* GKeyFile reads a line with NUL bytes (a crash that zero-filled part of the file) only up
   * to the first NUL, so the value it sees is not what would be written back: such a file is
   * damaged, and only its sane lines are salvaged. */
  if (len > MAX_FILE_SIZE || memchr (data, '\0', len) != NULL ||
      !g_key_file_load_from_data (keyfile, data, len,
                                  G_KEY_FILE_KEEP_COMMENTS, &local_error))
    {
      damaged = TRUE;
      g_string_append (reasons, local_error ? local_error->message :
                                len > MAX_FILE_SIZE ? _("it is far too large") :
                                _("it contains zero bytes"));
      g_key_file_unref (keyfile);
      keyfile = salvage (data, MIN (len, MAX_FILE_SIZE));
    }

  {
    GKeyFile *unique = without_duplicate_keys (keyfile);

    g_key_file_unref (keyfile);
    keyfile = unique;
  }

  g_clear_error (&local_error);
  version = g_key_file_get_int64 (keyfile, MAIN_GROUP, "version", &local_error);
  if (local_error != NULL || version < 1)
    {
      /* A file is only ever cut off at its end, and the version comes first. */
      if (!damaged)
        g_string_append (reasons, _("its version is missing"));
      damaged = TRUE;
      version = OD_ACCOUNT_STORE_VERSION;
    }

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *reason = NULL;
      OdAccount *account;

      if (!g_str_has_prefix (groups[i], ACCOUNT_PREFIX))
        continue;

      account = read_account (keyfile, groups[i], &reason);
      if (account != NULL)
        {
          g_ptr_array_add (accounts, account);
          continue;
        }

      /* A newer version may have changed what an account looks like: keep it as it is. */
      if (version > OD_ACCOUNT_STORE_VERSION)
        continue;

      damaged = TRUE;
      if (reasons->len > 0)
        g_string_append (reasons, "; ");
      g_string_append (reasons, reason);
      g_key_file_remove_group (keyfile, groups[i], NULL);
    }

  g_clear_pointer (&self->keyfile, g_key_file_unref);
  self->keyfile = g_steal_pointer (&keyfile);
  self->file_version = version;

  merge_accounts (self, accounts);

  if (!damaged)
    return TRUE;

  return set_aside_damaged (self, reasons->str, error);
}

/* Writes every account to the key file (the caller holds the lock), atomically and with
 * mode 0600, keeping what a newer version wrote there. The directory is created (mode 0700)
 * if needed. Fails if the file is damaged and could not be moved aside. */
gboolean
od_account_store_write (OdAccountStore  *self,
                        GError         **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;
  GHashTableIter iter;
  gpointer key;
  gsize len;

  g_return_val_if_fail (OD_IS_ACCOUNT_STORE (self), FALSE);

  if (self->damaged_in_place)
    {
      g_set_error (error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_DAMAGED,
                   _("The account file “%s” is damaged and was not moved aside, so it is not "
                     "overwritten. Move it away or repair it, then try again."),
                   self->path);
      return FALSE;
    }

  for (guint i = 0; i < self->accounts->len; i++)
    {
      OdAccount *account = g_ptr_array_index (self->accounts, i);

      if (od_account_get_host (account) == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The account “%s” has no outgoing server."),
                       od_account_get_id (account));
          return FALSE;
        }
    }

  /* A file written by a newer version keeps its version number: its own keys are still
   * there, and this version only rewrote the keys it knows. */
  g_key_file_set_int64 (self->keyfile, MAIN_GROUP, "version",
                        MAX (self->file_version, OD_ACCOUNT_STORE_VERSION));

  g_hash_table_iter_init (&iter, self->removed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autofree char *group = group_for (key);
      g_key_file_remove_group (self->keyfile, group, NULL);
    }

  for (guint i = 0; i < self->accounts->len; i++)
    write_account (self->keyfile, g_ptr_array_index (self->accounts, i));

  data = g_key_file_to_data (self->keyfile, &len, NULL);

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (!g_file_set_contents_full (self->path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 error))
    return FALSE;

  g_hash_table_remove_all (self->removed);
  self->file_version = MAX (self->file_version, OD_ACCOUNT_STORE_VERSION);

  return TRUE;
}

/**
 * od_account_store_lookup:
 *
 * Returns: (transfer none) (nullable): the account with this id
 */
OdAccount *
od_account_store_lookup (OdAccountStore *self,
                         const char     *id)
{
  g_return_val_if_fail (OD_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      OdAccount *account = g_ptr_array_index (self->accounts, i);

      if (g_str_equal (od_account_get_id (account), id))
        return account;
    }

  return NULL;
}

/**
 * od_account_store_find_by_address:
 *
 * Returns: (transfer none) (nullable): the first account for this address (compared without
 *   regard to case)
 */
OdAccount *
od_account_store_find_by_address (OdAccountStore *self,
                                  const char     *address)
{
  g_return_val_if_fail (OD_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      OdAccount *account = g_ptr_array_index (self->accounts, i);

      if (g_ascii_strcasecmp (od_account_get_address (account), address) == 0)
        return account;
    }

  return NULL;
}

/**
 * od_account_store_make_id:
 *
 * Returns: (transfer full): an id for a new account with this address, unused by this store
 *   and by any account group in the file (including ones only a newer version understands)
 */
char *
od_account_store_make_id (OdAccountStore *self,
                          const char     *address)
{
  g_autoptr(GStrvBuilder) taken = g_strv_builder_new ();
  g_auto(GStrv) groups = NULL;
  g_auto(GStrv) list = NULL;

  g_return_val_if_fail (OD_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  for (guint i = 0; i < self->accounts->len; i++)
    g_strv_builder_add (taken, od_account_get_id (g_ptr_array_index (self->accounts, i)));

  groups = g_key_file_get_groups (self->keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (g_str_has_prefix (groups[i], ACCOUNT_PREFIX))
        g_strv_builder_add (taken, groups[i] + strlen (ACCOUNT_PREFIX));
    }

  list = g_strv_builder_end (taken);
  return od_account_make_id (address, (const char * const *)list);
}

/**
 * od_account_store_add:
 * @account: an account; one with the same id is replaced
 *
 * Adds the account in memory. Inside od_account_store_change() the change is written when
 * the function returns; anywhere else it stays in memory until the next reload.
 */
void
od_account_store_add (OdAccountStore *self,
                      OdAccount      *account)
{
  g_return_if_fail (OD_IS_ACCOUNT_STORE (self));
  g_return_if_fail (OD_IS_ACCOUNT (account));

  g_hash_table_remove (self->removed, od_account_get_id (account));

  for (guint i = 0; i < self->accounts->len; i++)
    {
      OdAccount *old = g_ptr_array_index (self->accounts, i);

      if (g_str_equal (od_account_get_id (old), od_account_get_id (account)))
        {
          if (old == account)
            return;

          g_ptr_array_index (self->accounts, i) = g_object_ref (account);
          g_object_unref (old);
          g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 1);
          return;
        }
    }

  g_ptr_array_add (self->accounts, g_object_ref (account));
  g_list_model_items_changed (G_LIST_MODEL (self), self->accounts->len - 1, 0, 1);
}

/**
 * od_account_store_remove:
 *
 * Removes the account in memory (see od_account_store_add() for when it is written). Its
 * password is in the keyring: remove it there too (od_secret_store_clear_async()).
 *
 * Returns: %FALSE if there is no account with this id
 */
gboolean
od_account_store_remove (OdAccountStore *self,
                         const char     *id)
{
  g_return_val_if_fail (OD_IS_ACCOUNT_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      OdAccount *account = g_ptr_array_index (self->accounts, i);

      if (g_str_equal (od_account_get_id (account), id))
        {
          g_hash_table_add (self->removed, g_strdup (id));
          g_ptr_array_remove_index (self->accounts, i);
          g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
          return TRUE;
        }
    }

  return FALSE;
}
