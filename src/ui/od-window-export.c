/* od-window-export.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-window"

#include "config.h"

#include <glib/gi18n.h>

#include "od-found-export.h"
#include "od-secret-store.h"
#include "od-text.h"
#include "od-window-private.h"

/* *Use in…* on an account's page: the account, verified, handed to Evolution, GNOME Online
 * Accounts, Thunderbird, msmtp, git send-email, NeoMutt or aerc as `accounts export` does it
 * (od-found-export.c): the client's block added to its file (with a backup), the password
 * left where the client finds it; Evolution and GOA are given the account and its
 * passwords through their services. The keyring, file and D-Bus work runs in a worker
 * thread, on a main context of its own. */

typedef struct
{
  OdAccount *account;   /* a copy */
  char      *origin;
  char      *path;      /* out: the file written */
  OdFoundExportSecret secret; /* out: where the client finds the password */
  GStrv      notes;     /* out */
} UseIn;

static void
use_in_free (UseIn *use_in)
{
  g_clear_object (&use_in->account);
  g_free (use_in->origin);
  g_free (use_in->path);
  g_strfreev (use_in->notes);
  g_free (use_in);
}

static GAsyncResult *
wait_for (GMainContext  *context,
          GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (context, TRUE);
  return *result;
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/* How many keyring items the client's `secret-tool lookup` would find: it takes one. */
static gboolean
finds_one (GMainContext  *context,
           GHashTable    *attributes,
           const char    *client,
           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  guint count = 0;

  if (attributes == NULL)
    return TRUE;
  od_found_export_count_items_async (attributes, NULL, done_cb, &result);
  if (!od_found_export_count_items_finish (wait_for (context, &result), &count, error))
    return FALSE;
  if (count == 1)
    return TRUE;
  g_set_error (error, G_IO_ERROR, count == 0 ? G_IO_ERROR_NOT_FOUND : G_IO_ERROR_EXISTS,
               count == 0
               /* Translators: %s is a mail program, "NeoMutt" */
               ? _("No password of this account is in the keyring, so %s would find none: test "
                   "sending once and enter it, then try again.")
               /* Translators: %s is a mail program, "NeoMutt" */
               : _("The keyring holds more than one password for this account, and %s would "
                   "take any one of them: set the account up again to keep one."), client);
  return FALSE;
}

/* msmtp and git: a copy of our password under the client's own attributes. */
static gboolean
copy_password (GMainContext   *context,
               OdFoundExport  *export,
               OdAccount      *account,
               GError        **error)
{
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  g_autoptr(GAsyncResult) lookup = NULL;
  g_autoptr(GAsyncResult) store = NULL;
  OdFoundExportCopy copy;
  char *password;
  gboolean stored;

  od_secret_store_lookup_for_account_async (secrets, account, NULL, done_cb, &lookup);
  password = od_secret_store_lookup_finish (secrets, wait_for (context, &lookup), error);
  if (password == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                             _("No password of this account is in the keyring: test sending "
                               "once and enter it, then try again."));
      return FALSE;
    }

  od_found_export_store_copy_async (export, password, NULL, done_cb, &store);
  od_secret_store_free_password (password);
  stored = od_found_export_store_copy_finish (wait_for (context, &store), &copy, error);
  return stored;
}

/* Our password for the outgoing (or incoming) server; NULL with @error unset when the
 * keyring has none. */
static char *
lookup_password (GMainContext  *context,
                 OdAccount     *account,
                 gboolean       incoming,
                 GError       **error)
{
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  g_autoptr(GAsyncResult) lookup = NULL;

  if (incoming)
    od_secret_store_lookup_incoming_for_account_async (secrets, account, NULL, done_cb, &lookup);
  else
    od_secret_store_lookup_for_account_async (secrets, account, NULL, done_cb, &lookup);
  return od_secret_store_lookup_finish (secrets, wait_for (context, &lookup), error);
}

/* Evolution and GOA: the account created there with our passwords (the incoming server's
 * own, when we keep one). */
static gboolean
create_in_client (GMainContext   *context,
                  OdFoundExport  *export,
                  OdAccount      *account,
                  GCancellable   *cancellable,
                  GError        **error)
{
  gboolean login = g_strcmp0 (od_account_get_auth_mechanism (account), OD_ACCOUNT_AUTH_NONE) != 0;
  char *password = NULL;
  char *incoming = NULL;
  gboolean created;

  if (login && (password = lookup_password (context, account, FALSE, error)) == NULL)
    {
      if (*error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                             _("No password of this account is in the keyring: test sending "
                               "once and enter it, then try again."));
      return FALSE;
    }
  if (od_account_get_incoming_host (account) != NULL)
    {
      incoming = lookup_password (context, account, TRUE, error);
      if (*error != NULL)
        {
          od_secret_store_free_password (password);
          return FALSE;
        }
      if (incoming == NULL && password == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("No password of this account is in the keyring: test "
                                 "receiving once and enter it, then try again."));
          return FALSE;
        }
    }

  created = od_found_export_create (export, password, incoming, cancellable, error);
  od_secret_store_free_password (password);
  od_secret_store_free_password (incoming);
  return created;
}

static void
use_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  UseIn *use_in = task_data;
  const OdFoundContext found = { g_get_home_dir (), g_get_user_config_dir (), cancellable };
  const char *client = od_found_origin_get_name (use_in->origin);
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(OdFoundExport) export = NULL;
  g_autofree char *backup = NULL;
  GError *error = NULL;
  gboolean incoming_item = FALSE;
  gboolean ok;

  g_main_context_push_thread_default (context);

  /* NeoMutt and aerc look the incoming password up too: ours, when we keep one. */
  if (od_account_get_incoming_host (use_in->account) != NULL)
    {
      g_autoptr(GHashTable) attributes = od_found_export_own_attributes (use_in->account, TRUE);
      g_autoptr(GAsyncResult) result = NULL;
      guint count = 0;

      od_found_export_count_items_async (attributes, NULL, done_cb, &result);
      incoming_item = od_found_export_count_items_finish (wait_for (context, &result), &count,
                                                          NULL) && count > 0;
    }

  export = od_found_export_new (&found, use_in->account, use_in->origin, NULL, incoming_item,
                                &error);
  ok = export != NULL && od_found_export_check_target (export, &error);
  if (ok && od_found_export_is_desktop (use_in->origin))
    ok = create_in_client (context, export, use_in->account, cancellable, &error);
  else if (ok && od_found_export_get_secret (export) == OD_FOUND_EXPORT_SECRET_COPY)
    ok = copy_password (context, export, use_in->account, &error);
  else if (ok && od_found_export_get_secret (export) == OD_FOUND_EXPORT_SECRET_LOOKUP)
    ok = finds_one (context, od_found_export_get_keyring_attributes (export, FALSE), client,
                    &error) &&
         finds_one (context, od_found_export_get_keyring_attributes (export, TRUE), client,
                    &error);
  if (ok && !od_found_export_is_desktop (use_in->origin))
    ok = od_found_export_write (export, &backup, &error);

  g_main_context_pop_thread_default (context);

  if (!ok)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!od_found_export_is_desktop (use_in->origin))
    use_in->path = g_strdup (od_found_export_get_path (export));
  use_in->secret = od_found_export_get_secret (export);
  use_in->notes = g_strdupv ((char **)od_found_export_get_notes (export));
  g_task_return_boolean (task, TRUE);
}

static void
use_in_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  OdWindow *self = OD_WINDOW (object);
  UseIn *use_in = g_task_get_task_data (G_TASK (result));
  const char *client = od_found_origin_get_name (use_in->origin);
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Translators: %s is a mail program, "msmtp" */
      heading = g_strdup_printf (_("The Account Was Not Added to %s"), client);
      body = od_text_sanitize (error->message, -1, OD_TEXT_SINGLE_LINE);
    }
  else
    {
      g_autofree char *notes = use_in->notes != NULL ? g_strjoinv ("\n", use_in->notes)
                                                     : g_strdup ("");

      /* Translators: %s is a mail program, "msmtp" */
      heading = g_strdup_printf (_("The Account Is in %s Now"), client);
      if (use_in->path == NULL && use_in->secret == OD_FOUND_EXPORT_SECRET_NONE)
        /* Translators: %s is "Evolution"; then what the program needs to know, if anything */
        body = g_strdup_printf (_("%s has the account’s settings. The server needs no "
                                  "password.%s%s"), client, notes[0] != '\0' ? "\n\n" : "",
                                notes);
      else if (use_in->path == NULL)
        /* Translators: %s is "Evolution" or "GNOME Online Accounts"; then what the program
         * needs to know, if anything */
        body = g_strdup_printf (_("%s has the account’s settings and keeps its own copy of "
                                  "the password in the keyring.%s%s"), client,
                                notes[0] != '\0' ? "\n\n" : "", notes);
      else if (use_in->secret == OD_FOUND_EXPORT_SECRET_NONE)
        {
          g_autofree char *path = g_filename_display_name (use_in->path);

          /* Translators: %s is a file; then what the program needs to know, if anything */
          body = g_strdup_printf (_("Its settings were added to %s. The server needs no "
                                    "password.%s%s"), path, notes[0] != '\0' ? "\n\n" : "",
                                  notes);
        }
      else if (use_in->secret == OD_FOUND_EXPORT_SECRET_ASK)
        {
          g_autofree char *path = g_filename_display_name (use_in->path);

          /* Translators: %s is a file, then "Thunderbird"; then what the program needs to
           * know, if anything */
          body = g_strdup_printf (_("Its settings were added to %s. %s asks for the password "
                                    "the first time it connects.%s%s"), path, client,
                                  notes[0] != '\0' ? "\n\n" : "", notes);
        }
      else
        {
          g_autofree char *path = g_filename_display_name (use_in->path);

          /* Translators: %s is a file; then what the program needs to know, if anything */
          body = g_strdup_printf (_("Its settings were added to %s, and %s finds the password "
                                    "in the keyring.%s%s"), path, client,
                                  notes[0] != '\0' ? "\n\n" : "", notes);
        }
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
use_in_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  g_autoptr(GTask) task = NULL;
  const char *id;
  const char *origin;
  OdAccount *account;
  UseIn *use_in;

  g_variant_get (parameter, "(&s&s)", &id, &origin);
  account = od_account_store_lookup (self->store, id);
  if (account == NULL || !od_found_export_origin_supported (origin))
    {
      od_window_toast (self, _("This account no longer exists"));
      return;
    }

  use_in = g_new0 (UseIn, 1);
  use_in->account = od_account_copy (account);
  use_in->origin = g_strdup (origin);
  task = g_task_new (self, NULL, use_in_cb, NULL);
  g_task_set_source_tag (task, use_in_action);
  g_task_set_task_data (task, use_in, (GDestroyNotify)use_in_free);
  g_task_run_in_thread (task, use_in_thread);
}

void
od_window_class_add_export_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.use-in", "(ss)", use_in_action);
}
