/* od-troubleshoot-controller-oauth.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-troubleshoot"

#include "config.h"

#include "od-oauth-account.h"
#include "od-troubleshoot-controller-private.h"

/* An account that signs in with Outbox Doctor's own OAuth sign-in (issue 18): before every
 * check, the access token, from memory while it has time left, else refreshed with the
 * refresh token in the keyring. No token is a finding of the check (its login step), not a
 * reason to ask for a password. */

static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(OdTroubleshootController) self = user_data;
  g_autoptr(GError) error = NULL;
  char *token;

  token = od_oauth_account_get_token_finish (result, &error);
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable ||
      self->state != OD_TROUBLESHOOT_STATE_LOOKING_UP ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      od_secret_store_free_password (token);
      return;
    }

  od_troubleshoot_wipe_password (self);
  self->password = token;
  self->token = TRUE;
  self->token_fresh = TRUE;
  self->token_error = g_steal_pointer (&error);
  od_troubleshoot_controller_check (self, self->send_test);
}

void
od_troubleshoot_get_own_token (OdTroubleshootController *self,
                               GCancellable             *cancellable)
{
  od_troubleshoot_set_state (self, OD_TROUBLESHOOT_STATE_LOOKING_UP);
  od_oauth_account_get_token_async (self->trial, self->secrets, cancellable, token_cb,
                                    g_object_ref (self));
}
