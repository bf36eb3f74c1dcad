/* od-secret-store.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-secret-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-deadline.h"
#include "od-secret-store.h"

/* Passwords in the desktop keyring through libsecret, and nowhere else.
 *
 * Every operation has a deadline: a keyring daemon that hangs (or an unlock prompt nobody
 * answers) ends in G_IO_ERROR_TIMED_OUT instead of a frozen window. The result is returned
 * as soon as the deadline passes, whether or not libsecret has given up yet.
 *
 * A locked keyring is unlocked by libsecret through the desktop's normal prompt. No secret
 * service at all (no session bus, or nobody owns org.freedesktop.secrets and nothing can be
 * activated) is OD_SECRET_ERROR_NO_KEYRING, so that callers can offer to go on without
 * saving the password; nothing here ever writes a password anywhere else. */
struct _OdSecretStore
{
  GObject parent_instance;

  guint   timeout_ms;
};

G_DEFINE_FINAL_TYPE (OdSecretStore, od_secret_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (od-secret-error-quark, od_secret_error)

typedef enum
{
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
  OP_LIST,
} OpKind;

typedef struct
{
  OpKind        kind;
  GHashTable   *attributes;     /* the item's attributes (store, lookup) */
  GHashTable   *account_only;   /* {account, protocol} (store: old items) or {account} (clear) */
  char         *label;
  char         *password;       /* store only; wiped when freed */
  OdDeadline   *deadline;       /* the caller's cancellable and the time limit */
  GCancellable *cancellable;    /* the deadline's */
  gboolean      returned;
} Op;

static const SecretSchema schema = {
  "org.outboxdoctor.OutboxDoctor.Account",
  SECRET_SCHEMA_NONE,
  {
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "protocol", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "port", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },  /* protocol oauth2: "google", … */
    { "scope", SECRET_SCHEMA_ATTRIBUTE_STRING },     /* protocol oauth2: what was granted */
    { NULL, 0 },
  },
};

static void
op_free (Op *op)
{
  g_clear_pointer (&op->deadline, od_deadline_free);

  if (op->password != NULL)
    memset (op->password, 0, strlen (op->password));
  g_clear_pointer (&op->password, g_free);
  g_clear_pointer (&op->attributes, g_hash_table_unref);
  g_clear_pointer (&op->account_only, g_hash_table_unref);
  g_clear_pointer (&op->label, g_free);
  g_free (op);
}

/* Whether the task may still be returned: only once, whoever comes first (libsecret or
 * the deadline). */
static gboolean
op_claim (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  if (op->returned)
    return FALSE;

  op->returned = TRUE;
  od_deadline_stop (op->deadline);

  return TRUE;
}

static gboolean
is_no_service_error (const GError *error)
{
  if (error->domain != G_DBUS_ERROR)
    return FALSE;

  switch (error->code)
    {
    case G_DBUS_ERROR_SERVICE_UNKNOWN:
    case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
    case G_DBUS_ERROR_NO_SERVER:
    case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
    case G_DBUS_ERROR_SPAWN_FORK_FAILED:
    case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
    case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
    case G_DBUS_ERROR_SPAWN_FAILED:
    case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
    case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
    case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
    case G_DBUS_ERROR_SPAWN_FILE_INVALID:
    case G_DBUS_ERROR_SPAWN_NO_MEMORY:
      return TRUE;

    default:
      return FALSE;
    }
}

/* Turns what libsecret or GDBus said into one of our errors, with a message a user can act
 * on. The original message is kept at the end for a help desk. */
static void
op_return_error (GTask        *task,
                 const GError *error)
{
  Op *op = g_task_get_task_data (task);

  if (!op_claim (task))
    return;

  if (od_deadline_has_expired (op->deadline))
    {
      guint seconds = (od_secret_store_get_timeout (g_task_get_source_object (task)) + 999) / 1000;

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "The keyring did not answer within %u second.",
                                            "The keyring did not answer within %u seconds.",
                                            seconds),
                               seconds);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The keyring operation was cancelled."));
      return;
    }

  if (is_no_service_error (error))
    {
      g_task_return_new_error (task, OD_SECRET_ERROR, OD_SECRET_ERROR_NO_KEYRING,
                               _("No keyring is available: no secret service (such as GNOME "
                                 "Keyring) is running in this session (%s)."),
                               error->message);
      return;
    }

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    {
      g_task_return_new_error (task, OD_SECRET_ERROR, OD_SECRET_ERROR_LOCKED,
                               _("The keyring is locked and was not unlocked."));
      return;
    }

  g_task_return_new_error (task, OD_SECRET_ERROR, OD_SECRET_ERROR_FAILED,
                           _("The keyring reported an error: %s"), error->message);
}

static void
deadline_expired_cb (gpointer user_data)
{
  /* Do not wait for libsecret to notice: a hung daemon may never let it. */
  op_return_error (user_data, NULL);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      op_return_error (task, error);
      return;
    }

  if (op_claim (task))
    g_task_return_boolean (task, TRUE);
}

static void
cleared_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GList *left;

  left = secret_service_search_finish (NULL, result, &error);
  if (error != NULL)
    {
      op_return_error (task, error);
      return;
    }

  if (!op_claim (task))
    {
      g_list_free_full (left, g_object_unref);
      return;
    }

  if (left != NULL)
    {
      g_list_free_full (left, g_object_unref);
      g_task_return_new_error (task, OD_SECRET_ERROR, OD_SECRET_ERROR_LOCKED,
                               _("The keyring is locked, so the password could not be "
                                 "removed."));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      op_return_error (task, error);
      return;
    }

  if (op->returned)
    return;

  /* libsecret skips items it could not unlock and calls that success: make sure none is
   * left, so that "removed" means removed. */
  if (op->kind == OP_CLEAR)
    {
      secret_service_search (NULL, &schema, op->account_only, SECRET_SEARCH_ALL,
                             op->cancellable, cleared_cb, g_object_ref (task));
      return;
    }

  /* Store: the old items of this account and protocol are gone; now the new one. */
  secret_password_storev (&schema, op->attributes, SECRET_COLLECTION_DEFAULT, op->label,
                          op->password, op->cancellable, store_cb, g_object_ref (task));
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *password = NULL;
  gboolean locked = FALSE;
  GList *items;

  items = secret_service_search_finish (NULL, result, &error);
  if (error != NULL)
    {
      op_return_error (task, error);
      return;
    }

  /* The search unlocked what it could; an item that stayed locked (prompt dismissed, or no
   * prompt possible) is "locked", which is not the same as "no password saved". */
  for (GList *l = items; l != NULL && password == NULL; l = l->next)
    {
      g_autoptr(SecretValue) value = NULL;
      const char *data;
      gsize len = 0;

      if (secret_item_get_locked (l->data))
        {
          locked = TRUE;
          continue;
        }

      value = secret_item_get_secret (l->data);
      if (value == NULL)
        continue;

      data = secret_value_get (value, &len);
      if (data != NULL && g_utf8_validate (data, len, NULL))
        password = g_strndup (data, len);
    }
  g_list_free_full (items, g_object_unref);

  if (!op_claim (task))
    {
      od_secret_store_free_password (password);
      return;
    }

  if (password == NULL && locked)
    {
      g_task_return_new_error (task, OD_SECRET_ERROR, OD_SECRET_ERROR_LOCKED,
                               _("The keyring is locked and was not unlocked."));
      return;
    }

  g_task_return_pointer (task, password, (GDestroyNotify)od_secret_store_free_password);
}

/* For g_ptr_array_sort(), which passes pointers to the elements. */
static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GList *items;

  items = secret_service_search_finish (NULL, result, &error);
  if (error != NULL)
    {
      op_return_error (task, error);
      return;
    }

  /* The attributes of an item can be read even while it is locked. */
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);
      const char *account = g_hash_table_lookup (attributes, "account");

      if (account != NULL && !g_hash_table_contains (seen, account))
        {
          g_ptr_array_add (ids, g_strdup (account));
          g_hash_table_add (seen, g_ptr_array_index (ids, ids->len - 1));
        }
    }
  g_list_free_full (items, g_object_unref);

  if (!op_claim (task))
    return;

  g_ptr_array_sort (ids, compare_ids);
  g_ptr_array_add (ids, NULL);
  g_task_return_pointer (task, g_ptr_array_steal (ids, NULL), (GDestroyNotify)g_strfreev);
}

static void
bus_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;

  bus = g_bus_get_finish (result, &error);
  if (bus == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && op_claim (task))
        {
          g_task_return_new_error (task, OD_SECRET_ERROR, OD_SECRET_ERROR_NO_KEYRING,
                                   _("No keyring is available: there is no desktop session "
                                     "bus (%s)."),
                                   error->message);
          return;
        }

      op_return_error (task, error);
      return;
    }

  if (op->returned)
    return;

  switch (op->kind)
    {
    case OP_STORE:
    case OP_CLEAR:
      secret_password_clearv (&schema, op->account_only, op->cancellable, clear_cb,
                              g_object_ref (task));
      break;

    case OP_LIST:
      secret_service_search (NULL, &schema, op->attributes, SECRET_SEARCH_ALL, op->cancellable,
                             list_cb, g_object_ref (task));
      break;

    case OP_LOOKUP:
      /* Not secret_password_lookupv(): it answers "nothing found" for an item that stayed
       * locked, and libsecret 0.20 can lose the reply when the unlock prompt fails. */
      secret_service_search (NULL, &schema, op->attributes,
                             SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                             op->cancellable, lookup_cb, g_object_ref (task));
      break;

    default:
      g_assert_not_reached ();
    }
}

static GHashTable *
attributes_new (const char *account_id,
                const char *protocol,
                const char *host,
                guint16     port,
                const char *user)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, "account", g_strdup (account_id));
  if (protocol != NULL)
    g_hash_table_insert (attributes, "protocol", g_strdup (protocol));
  if (host != NULL)
    {
      g_hash_table_insert (attributes, "host", g_strdup (host));
      g_hash_table_insert (attributes, "port", g_strdup_printf ("%u", port));
      g_hash_table_insert (attributes, "user", g_strdup (user ? user : ""));
    }

  return attributes;
}

static GTask *
start_op (OdSecretStore       *self,
          OpKind               kind,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify)op_free);

  op->kind = kind;
  /* The deadline holds no reference to the task: op_free() frees it, and the task lives
   * until libsecret has called back. */
  op->deadline = od_deadline_new (cancellable, self->timeout_ms, "[od] keyring deadline");
  op->cancellable = od_deadline_get_cancellable (op->deadline);
  od_deadline_set_expired_func (op->deadline, deadline_expired_cb, task);

  return task;
}

static void
od_secret_store_class_init (OdSecretStoreClass *klass)
{
}

static void
od_secret_store_init (OdSecretStore *self)
{
  self->timeout_ms = OD_SECRET_STORE_DEFAULT_TIMEOUT_MS;
}

/**
 * od_secret_store_get_schema:
 *
 * Returns: the libsecret schema `org.outboxdoctor.OutboxDoctor.Account`, with the string
 *   attributes account, protocol, host, port and user
 */
const SecretSchema *
od_secret_store_get_schema (void)
{
  return &schema;
}

OdSecretStore *
od_secret_store_new (void)
{
  return g_object_new (OD_TYPE_SECRET_STORE, NULL);
}

/**
 * od_secret_store_set_timeout:
 * @timeout_ms: the deadline of each operation, unlock prompt included
 */
void
od_secret_store_set_timeout (OdSecretStore *self,
                             guint          timeout_ms)
{
  g_return_if_fail (OD_IS_SECRET_STORE (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

guint
od_secret_store_get_timeout (OdSecretStore *self)
{
  g_return_val_if_fail (OD_IS_SECRET_STORE (self), 0);
  return self->timeout_ms;
}

/**
 * od_secret_store_store_async:
 * @account_id: the account's id
 * @protocol: "smtp" (%OD_ACCOUNT_PROTOCOL_SMTP), "imap", …
 * @host: the server the password is for
 * @port: its port
 * @user: the user name
 * @password: the password
 *
 * Saves the password in the default keyring, labelled "Outbox Doctor: USER on HOST".
 * Earlier passwords of this account and protocol are removed first, so there is one item
 * per account and protocol.
 */
void
od_secret_store_store_async (OdSecretStore       *self,
                             const char          *account_id,
                             const char          *protocol,
                             const char          *host,
                             guint16              port,
                             const char          *user,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (OD_IS_SECRET_STORE (self));
  g_return_if_fail (account_id != NULL && protocol != NULL && host != NULL && user != NULL);
  g_return_if_fail (password != NULL);

  task = start_op (self, OP_STORE, cancellable, callback, user_data, od_secret_store_store_async);
  op = g_task_get_task_data (task);
  op->attributes = attributes_new (account_id, protocol, host, port, user);
  op->account_only = attributes_new (account_id, protocol, NULL, 0, NULL);
  op->label = g_strdup_printf ("Outbox Doctor: %s on %s", user, host);
  op->password = g_strdup (password);

  g_bus_get (G_BUS_TYPE_SESSION, op->cancellable, bus_cb, task);
}

/**
 * od_secret_store_store_finish:
 *
 * Returns: %TRUE if the password is in the keyring
 */
gboolean
od_secret_store_store_finish (OdSecretStore  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (OD_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * od_secret_store_lookup_async:
 *
 * Looks up the password saved for exactly these settings: a password saved for another
 * host, port or user is not given out, so a changed server never receives it unasked.
 */
void
od_secret_store_lookup_async (OdSecretStore       *self,
                              const char          *account_id,
                              const char          *protocol,
                              const char          *host,
                              guint16              port,
                              const char          *user,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (OD_IS_SECRET_STORE (self));
  g_return_if_fail (account_id != NULL && protocol != NULL && host != NULL && user != NULL);

  task = start_op (self, OP_LOOKUP, cancellable, callback, user_data,
                   od_secret_store_lookup_async);
  op = g_task_get_task_data (task);
  op->attributes = attributes_new (account_id, protocol, host, port, user);

  g_bus_get (G_BUS_TYPE_SESSION, op->cancellable, bus_cb, task);
}

/**
 * od_secret_store_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the password, to be freed with
 *   od_secret_store_free_password(); %NULL without @error when none is saved
 */
char *
od_secret_store_lookup_finish (OdSecretStore  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (OD_IS_SECRET_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * od_secret_store_clear_async:
 *
 * Removes every password saved for this account, whatever its protocol and server.
 */
void
od_secret_store_clear_async (OdSecretStore       *self,
                             const char          *account_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (OD_IS_SECRET_STORE (self));
  g_return_if_fail (account_id != NULL);

  task = start_op (self, OP_CLEAR, cancellable, callback, user_data, od_secret_store_clear_async);
  op = g_task_get_task_data (task);
  op->account_only = attributes_new (account_id, NULL, NULL, 0, NULL);

  g_bus_get (G_BUS_TYPE_SESSION, op->cancellable, bus_cb, task);
}

/**
 * od_secret_store_clear_finish:
 *
 * Returns: %TRUE if no password of the account is left in the keyring (also when there was
 *   none)
 */
gboolean
od_secret_store_clear_finish (OdSecretStore  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (OD_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * od_secret_store_free_password:
 *
 * Wipes and frees a password od_secret_store_lookup_finish() returned.
 */
void
od_secret_store_free_password (char *password)
{
  if (password != NULL)
    secret_password_free (password);
}

/**
 * od_secret_store_store_for_account_async:
 * @account: the account the password belongs to
 * @password: its outgoing password
 *
 * Like od_secret_store_store_async() with the account's outgoing server and user; finish
 * with od_secret_store_store_finish().
 */
void
od_secret_store_store_for_account_async (OdSecretStore       *self,
                                         OdAccount           *account,
                                         const char          *password,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (OD_IS_ACCOUNT (account));

  od_secret_store_store_async (self, od_account_get_id (account), OD_ACCOUNT_PROTOCOL_SMTP,
                               od_account_get_host (account), od_account_get_port (account),
                               od_account_get_username (account), password, cancellable,
                               callback, user_data);
}

/**
 * od_secret_store_lookup_for_account_async:
 * @account: a saved account
 *
 * Like od_secret_store_lookup_async() for the account's outgoing password, filed under
 * exactly its server and user; finish with od_secret_store_lookup_finish().
 */
void
od_secret_store_lookup_for_account_async (OdSecretStore       *self,
                                          OdAccount           *account,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (OD_IS_ACCOUNT (account));

  od_secret_store_lookup_async (self, od_account_get_id (account), OD_ACCOUNT_PROTOCOL_SMTP,
                                od_account_get_host (account), od_account_get_port (account),
                                od_account_get_username (account), cancellable, callback,
                                user_data);
}

/**
 * od_secret_store_store_refresh_token_async:
 * @account: the account that signs in with OAuth (od_account_get_oauth_provider())
 * @provider_name: the provider's name for the label ("Google")
 * @scope: the scopes granted, space separated
 * @refresh_token: the refresh token
 *
 * Saves @account's OAuth 2.0 refresh token, with the attributes protocol `oauth2`, provider,
 * scope and user, labelled "Outbox Doctor: USER at PROVIDER (sign-in)", replacing the one
 * saved before. Finish with od_secret_store_store_finish().
 */
void
od_secret_store_store_refresh_token_async (OdSecretStore       *self,
                                           OdAccount           *account,
                                           const char          *provider_name,
                                           const char          *scope,
                                           const char          *refresh_token,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  const char *user = od_account_get_username (account) ? od_account_get_username (account)
                                                      : od_account_get_address (account);
  GTask *task;
  Op *op;

  g_return_if_fail (OD_IS_SECRET_STORE (self));
  g_return_if_fail (od_account_get_oauth_provider (account) != NULL && refresh_token != NULL);

  task = start_op (self, OP_STORE, cancellable, callback, user_data,
                   od_secret_store_store_refresh_token_async);
  op = g_task_get_task_data (task);
  op->attributes = attributes_new (od_account_get_id (account), OD_ACCOUNT_PROTOCOL_OAUTH2,
                                   NULL, 0, NULL);
  g_hash_table_insert (op->attributes, "provider",
                       g_strdup (od_account_get_oauth_provider (account)));
  g_hash_table_insert (op->attributes, "user", g_strdup (user));
  g_hash_table_insert (op->attributes, "scope", g_strdup (scope ? scope : ""));
  op->account_only = attributes_new (od_account_get_id (account), OD_ACCOUNT_PROTOCOL_OAUTH2,
                                     NULL, 0, NULL);
  op->label = g_strdup_printf ("Outbox Doctor: %s at %s (sign-in)", user, provider_name);
  op->password = g_strdup (refresh_token);

  g_bus_get (G_BUS_TYPE_SESSION, op->cancellable, bus_cb, task);
}

/**
 * od_secret_store_lookup_refresh_token_async:
 * @account: the account that signs in with OAuth
 *
 * Looks up the refresh token saved for @account's provider and user; finish with
 * od_secret_store_lookup_finish() (%NULL without error: the account is not signed in).
 */
void
od_secret_store_lookup_refresh_token_async (OdSecretStore       *self,
                                            OdAccount           *account,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  const char *user = od_account_get_username (account) ? od_account_get_username (account)
                                                      : od_account_get_address (account);
  GTask *task;
  Op *op;

  g_return_if_fail (OD_IS_SECRET_STORE (self));
  g_return_if_fail (od_account_get_oauth_provider (account) != NULL);

  task = start_op (self, OP_LOOKUP, cancellable, callback, user_data,
                   od_secret_store_lookup_async);
  op = g_task_get_task_data (task);
  op->attributes = attributes_new (od_account_get_id (account), OD_ACCOUNT_PROTOCOL_OAUTH2,
                                   NULL, 0, NULL);
  g_hash_table_insert (op->attributes, "provider",
                       g_strdup (od_account_get_oauth_provider (account)));
  g_hash_table_insert (op->attributes, "user", g_strdup (user));

  g_bus_get (G_BUS_TYPE_SESSION, op->cancellable, bus_cb, task);
}

static void
incoming_fallback_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *password = g_task_propagate_pointer (G_TASK (result), &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, password, (GDestroyNotify)od_secret_store_free_password);
}

static void
incoming_lookup_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  OdSecretStore *self = g_task_get_source_object (task);
  char *password = g_task_propagate_pointer (G_TASK (result), &error);
  GCancellable *cancellable;
  OdAccount *account;

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (password != NULL)
    {
      g_task_return_pointer (task, password, (GDestroyNotify)od_secret_store_free_password);
      return;
    }

  /* Accounts saved before the incoming server had its own keyring item (protocol imap or
   * pop3) have only the outgoing one; most providers take the same password for both, so
   * that one is used. */
  account = g_task_get_task_data (task);
  cancellable = g_task_get_cancellable (task);
  od_secret_store_lookup_for_account_async (self, account, cancellable, incoming_fallback_cb,
                                            g_steal_pointer (&task));
}

/**
 * od_secret_store_lookup_incoming_for_account_async:
 * @account: a saved account with an incoming server
 *
 * Like od_secret_store_lookup_for_account_async() for the account's incoming password,
 * filed under its incoming protocol (imap or pop3), server and user; an account without
 * such an item gets its outgoing password. Finish with od_secret_store_lookup_finish().
 */
void
od_secret_store_lookup_incoming_for_account_async (OdSecretStore       *self,
                                                   OdAccount           *account,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OD_IS_SECRET_STORE (self));
  g_return_if_fail (OD_IS_ACCOUNT (account));
  g_return_if_fail (od_account_get_incoming_host (account) != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, od_secret_store_lookup_incoming_for_account_async);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  od_secret_store_lookup_async (self, od_account_get_id (account),
                                od_account_get_incoming_protocol (account),
                                od_account_get_incoming_host (account),
                                od_account_get_incoming_port (account),
                                od_account_get_incoming_username (account), cancellable,
                                incoming_lookup_cb, task);
}

/**
 * od_secret_store_list_accounts_async:
 *
 * Lists the ids of the accounts that have passwords in the keyring (any protocol), without
 * unlocking it or reading a password: what is left of an account that is gone shows up
 * here.
 */
void
od_secret_store_list_accounts_async (OdSecretStore       *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (OD_IS_SECRET_STORE (self));

  task = start_op (self, OP_LIST, cancellable, callback, user_data,
                   od_secret_store_list_accounts_async);
  op = g_task_get_task_data (task);
  op->attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_bus_get (G_BUS_TYPE_SESSION, op->cancellable, bus_cb, task);
}

/**
 * od_secret_store_list_accounts_finish:
 *
 * Returns: (transfer full): the account ids, sorted, or %NULL with @error
 */
char **
od_secret_store_list_accounts_finish (OdSecretStore  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (OD_IS_SECRET_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
