/* od-troubleshoot-controller-found.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-troubleshoot-controller"

#include "config.h"

#include <string.h>

#include "od-found-fix.h"
#include "od-found-goa.h"
#include "od-found-secret.h"
#include "od-troubleshoot-controller-private.h"

/* The troubleshooting flow's part for an account another mail client keeps (*Found on This
 * Computer*): its password from where the client keeps it, or for a GNOME Online Accounts
 * OAuth account a fresh token for every check; the settings that worked, and *Fix in …*,
 * which writes them into the client's configuration. */

/* What the lookup found: the password, or for an OAuth account the token or why there is
 * none. */
typedef struct
{
  char   *secret;
  GError *token_error;
} Looked;

static void
looked_free (Looked *looked)
{
  od_found_password_free (looked->secret);
  g_clear_error (&looked->token_error);
  g_free (looked);
}

static void
found_lookup_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  OdFoundAccount *found = OD_FOUND_ACCOUNT (task_data);
  GError *error = NULL;
  char *password;

  /* An OAuth account: GNOME Online Accounts' token, fetched now; no token is a finding of
   * the check (its login step), not a reason to ask for a password. */
  if (od_found_account_get_secret (found) == OD_FOUND_SECRET_GOA_OAUTH2)
    {
      Looked *looked = g_new0 (Looked, 1);

      looked->secret = od_found_goa_get_access_token_sync (od_found_account_get_native_id (found),
                                                           cancellable, &looked->token_error);
      if (g_error_matches (looked->token_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&looked->token_error));
          looked_free (looked);
          return;
        }
      g_task_return_pointer (task, looked, (GDestroyNotify)looked_free);
      return;
    }

  password = od_found_account_lookup_password_sync (found, FALSE, cancellable, &error);
  if (password == NULL && error == NULL)
    g_task_return_pointer (task, NULL, NULL);
  else if (password == NULL)
    g_task_return_error (task, error);
  else
    {
      Looked *looked = g_new0 (Looked, 1);

      looked->secret = password;
      g_task_return_pointer (task, looked, (GDestroyNotify)looked_free);
    }
}

static void
found_lookup_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  OdTroubleshootController *self = OD_TROUBLESHOOT_CONTROLLER (object);
  g_autoptr(GError) error = NULL;
  Looked *looked;

  looked = g_task_propagate_pointer (G_TASK (result), &error);

  /* A lookup of a test that was stopped or replaced meanwhile counts for nothing (a stop
   * has said so already). */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable ||
      self->state != OD_TROUBLESHOOT_STATE_LOOKING_UP ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&looked, looked_free);
      return;
    }

  if (looked != NULL)
    {
      gboolean oauth = od_found_account_get_secret (self->found) == OD_FOUND_SECRET_GOA_OAUTH2;

      od_troubleshoot_wipe_password (self);
      self->password = g_strdup (looked->secret);
      self->token = oauth;
      self->token_fresh = oauth;
      self->token_error = g_steal_pointer (&looked->token_error);
      self->password_typed = FALSE;
      looked_free (looked);
      od_troubleshoot_controller_check (self, self->send_test);
      return;
    }

  od_troubleshoot_set_state (self, OD_TROUBLESHOOT_STATE_NEEDS_PASSWORD);
  od_troubleshoot_emit_password_needed (self, error);
}

/* The found account's secret (its password, or its token) in a worker thread; then the
 * check. */
void
od_troubleshoot_look_up_found (OdTroubleshootController *self,
                               GCancellable             *cancellable)
{
  g_autoptr(GTask) task = NULL;

  od_troubleshoot_set_state (self, OD_TROUBLESHOOT_STATE_LOOKING_UP);
  task = g_task_new (self, cancellable, found_lookup_cb, NULL);
  g_task_set_source_tag (task, od_troubleshoot_controller_start_found);
  g_task_set_task_data (task, g_object_ref (self->found), g_object_unref);
  g_task_run_in_thread (task, found_lookup_thread);
}

/**
 * od_troubleshoot_controller_start_found:
 * @found: an account another mail client keeps
 *
 * Troubleshoots @found with a test message, with exactly the client's settings: its password
 * comes from where the client keeps it (GNOME Online Accounts, Evolution's or the client's
 * keyring item; "password-needed" when the client keeps it where we do not read, or it
 * could not be read), then the check runs. Nothing is saved: not the result, not a typed
 * password, not a fix.
 */
void
od_troubleshoot_controller_start_found (OdTroubleshootController *self,
                                        OdFoundAccount           *found)
{
  g_autoptr(OdAccount) account = NULL;
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable;

  g_return_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self));
  g_return_if_fail (OD_IS_FOUND_ACCOUNT (found));
  g_return_if_fail (od_found_account_get_testable (found));

  account = od_account_copy (od_found_account_get_account (found));
  cancellable = od_troubleshoot_begin (self, account, TRUE);
  self->found = g_object_ref (found);

  if (g_strcmp0 (od_account_get_auth_mechanism (account), OD_ACCOUNT_AUTH_NONE) == 0)
    {
      od_troubleshoot_controller_check (self, self->send_test);
      return;
    }

  od_troubleshoot_set_state (self, OD_TROUBLESHOOT_STATE_LOOKING_UP);
  if (od_found_account_get_secret (found) == OD_FOUND_SECRET_ASK)
    {
      od_troubleshoot_set_state (self, OD_TROUBLESHOOT_STATE_NEEDS_PASSWORD);
      od_troubleshoot_emit_password_needed (self, NULL);
      return;
    }

  od_troubleshoot_look_up_found (self, cancellable);
}

/**
 * od_troubleshoot_controller_get_found:
 *
 * Returns: (transfer none) (nullable): the other client's account under test, or %NULL when
 *   the account is one of ours
 */
OdFoundAccount *
od_troubleshoot_controller_get_found (OdTroubleshootController *self)
{
  g_return_val_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self), NULL);
  return self->found;
}

/**
 * od_troubleshoot_controller_get_found_fix:
 * @fix: (out caller-allocates): the settings that worked where they differ from the other
 *   program's (its strings belong to the controller, valid until the next check)
 *
 * Returns: whether the last check of another program's account ran to its end without
 *   failing on settings that program does not have (a suggestion the person took): what
 *   *Fix in …* would write into its configuration
 */
gboolean
od_troubleshoot_controller_get_found_fix (OdTroubleshootController *self,
                                          OdFoundFix               *fix)
{
  OdAccount *as_is;

  g_return_val_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self), FALSE);
  g_return_val_if_fail (fix != NULL, FALSE);

  memset (fix, 0, sizeof *fix);
  if (self->found == NULL || self->trial == NULL || !self->finished ||
      self->verdict == OD_STEP_STATE_FAIL || self->state != OD_TROUBLESHOOT_STATE_CHECKED)
    return FALSE;

  as_is = od_found_account_get_account (self->found);
  if (g_strcmp0 (od_account_get_host (as_is), od_account_get_host (self->trial)) != 0)
    fix->host = od_account_get_host (self->trial);
  if (od_account_get_port (as_is) != od_account_get_port (self->trial))
    fix->port = od_account_get_port (self->trial);
  if (od_account_get_security (as_is) != od_account_get_security (self->trial))
    {
      fix->security = od_account_get_security (self->trial);
      fix->set_security = TRUE;
    }
  if (g_strcmp0 (od_account_get_username (as_is), od_account_get_username (self->trial)) != 0 &&
      od_account_get_username (self->trial) != NULL)
    fix->username = od_account_get_username (self->trial);

  return !od_found_fix_is_empty (fix);
}

/**
 * od_troubleshoot_controller_found_fix_trusts_pin:
 *
 * Returns: whether the last check of another program's account passed the certificate only
 *   because the person chose to trust it here (a pinned fingerprint): that program checks it
 *   against the system's certificate authorities and may refuse it after a fix
 */
gboolean
od_troubleshoot_controller_found_fix_trusts_pin (OdTroubleshootController *self)
{
  g_auto(GStrv) pins = NULL;

  g_return_val_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self), FALSE);

  OdTlsInfo *info;

  if (self->found == NULL || self->trial == NULL || self->check == NULL)
    return FALSE;
  /* A certificate the system's authorities vouch for needed no pin. */
  info = od_check_get_tls_info (self->check);
  if (info == NULL || od_tls_info_get_verified (info))
    return FALSE;
  pins = od_account_dup_pinned_fingerprints (self->trial, od_account_get_host (self->trial),
                                             od_account_get_port (self->trial));
  return pins != NULL && pins[0] != NULL;
}

typedef struct
{
  OdFoundAccount *found;
  char           *host;
  char           *username;
  OdFoundFix      fix;
  char           *backup;
} FixData;

static void
fix_data_free (FixData *data)
{
  g_clear_object (&data->found);
  g_free (data->host);
  g_free (data->username);
  g_free (data->backup);
  g_free (data);
}

static void
fix_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  FixData *data = task_data;
  const OdFoundContext context = { g_get_home_dir (), g_get_user_config_dir (), cancellable };
  GError *error = NULL;

  if (od_found_fix_apply (&context, data->found, &data->fix, &data->backup, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * od_troubleshoot_controller_fix_found_async:
 *
 * Writes the settings that worked (od_troubleshoot_controller_get_found_fix()) into the
 * other program's configuration, in a worker thread. The caller then reads the account back
 * through the program's reader and checks it again.
 */
void
od_troubleshoot_controller_fix_found_async (OdTroubleshootController *self,
                                            GCancellable             *cancellable,
                                            GAsyncReadyCallback       callback,
                                            gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  FixData *data = g_new0 (FixData, 1);
  OdFoundFix fix;

  g_return_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, od_troubleshoot_controller_fix_found_async);
  /* A file half replaced is not a thing: the fixer ends what it began; the cancellable only
   * stops what has not begun (the registry's wait, say). */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, data, (GDestroyNotify)fix_data_free);
  if (!od_troubleshoot_controller_get_found_fix (self, &fix))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "No working settings to write");
      return;
    }

  /* The strings are the trial's: the thread gets copies. */
  data->found = g_object_ref (self->found);
  data->host = g_strdup (fix.host);
  data->username = g_strdup (fix.username);
  data->fix = fix;
  data->fix.host = data->host;
  data->fix.username = data->username;
  g_task_run_in_thread (task, fix_thread);
}

/**
 * od_troubleshoot_controller_fix_found_finish:
 * @backup: (out) (optional) (transfer full) (nullable): the backup the fixer wrote beside
 *   the file, if any
 *
 * Returns: whether the program's configuration was changed
 */
gboolean
od_troubleshoot_controller_fix_found_finish (OdTroubleshootController  *self,
                                             GAsyncResult              *result,
                                             char                     **backup,
                                             GError                   **error)
{
  FixData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (backup != NULL)
    *backup = g_steal_pointer (&data->backup);
  return g_task_propagate_boolean (G_TASK (result), error);
}

