/* od-setup-incoming.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-setup"

#include "config.h"

#include "od-setup-private.h"

/* The incoming half of a setup (od-setup.c has the rest): the IMAP or POP3 server found with
 * the outgoing one, or the person's own, checked with the same password (login and inbox,
 * nothing changed there) and kept with the account only when that check did not fail. */

/**
 * od_setup_set_incoming:
 * @username: (nullable): the user name, %NULL for the address
 * @source: (nullable): where the settings came from, %NULL for %OD_ACCOUNT_SOURCE_MANUAL
 *
 * The incoming server to verify and save with the account. A change forgets the last
 * verification of the incoming server.
 */
void
od_setup_set_incoming (OdSetup    *self,
                       OdProtocol  protocol,
                       const char *host,
                       guint16     port,
                       OdSecurity  security,
                       const char *username,
                       const char *source)
{
  char *new_host, *new_username, *new_source;

  g_return_if_fail (OD_IS_SETUP (self));
  g_return_if_fail (od_protocol_is_incoming (protocol));
  g_return_if_fail (host != NULL);
  g_return_if_fail (port > 0);

  new_host = g_strdup (host);
  new_username = g_strdup (username != NULL && username[0] != '\0' ? username : self->address);
  new_source = g_strdup (source ? source : OD_ACCOUNT_SOURCE_MANUAL);

  od_setup_clear_incoming (self);
  self->has_incoming = TRUE;
  self->in_protocol = protocol;
  self->in_host = new_host;
  self->in_port = port;
  self->in_security = security;
  self->in_username = new_username;
  self->in_source = new_source;
}

/**
 * od_setup_clear_incoming:
 *
 * No incoming server: the account is saved with sending only (what an account saved before
 * had for incoming mail is kept).
 */
void
od_setup_clear_incoming (OdSetup *self)
{
  g_return_if_fail (OD_IS_SETUP (self));

  self->has_incoming = FALSE;
  g_clear_pointer (&self->in_host, g_free);
  g_clear_pointer (&self->in_username, g_free);
  g_clear_pointer (&self->in_source, g_free);
  g_clear_object (&self->incoming_check);
  self->incoming_passed = FALSE;
}

gboolean
od_setup_get_has_incoming (OdSetup *self)
{
  g_return_val_if_fail (OD_IS_SETUP (self), FALSE);
  return self->has_incoming;
}

/**
 * od_setup_get_incoming:
 * @protocol: (out) (optional):
 * @host: (out) (optional) (transfer none):
 * @port: (out) (optional):
 * @security: (out) (optional):
 * @username: (out) (optional) (transfer none):
 * @source: (out) (optional) (transfer none):
 *
 * Returns: whether the setup has an incoming server, and then its settings
 */
gboolean
od_setup_get_incoming (OdSetup     *self,
                       OdProtocol  *protocol,
                       const char **host,
                       guint16     *port,
                       OdSecurity  *security,
                       const char **username,
                       const char **source)
{
  g_return_val_if_fail (OD_IS_SETUP (self), FALSE);

  if (!self->has_incoming)
    return FALSE;

  if (protocol != NULL)
    *protocol = self->in_protocol;
  if (host != NULL)
    *host = self->in_host;
  if (port != NULL)
    *port = self->in_port;
  if (security != NULL)
    *security = self->in_security;
  if (username != NULL)
    *username = self->in_username;
  if (source != NULL)
    *source = self->in_source;

  return TRUE;
}

/**
 * od_setup_create_incoming_check:
 *
 * Returns: (transfer full): the check of the incoming server (its login and mailbox, nothing
 *   changed there), with the setup's password, CA file, time limit and trusted certificate;
 *   give it to od_setup_verify_incoming_async()
 */
OdCheck *
od_setup_create_incoming_check (OdSetup *self)
{
  OdCheck *check;

  g_return_val_if_fail (OD_IS_SETUP (self), NULL);
  g_return_val_if_fail (self->has_incoming, NULL);

  check = od_check_new (self->address, self->in_host, self->in_port, self->in_security);
  od_check_set_protocol (check, self->in_protocol);
  od_check_set_username (check, self->in_username);
  od_check_set_password (check, self->password);
  od_setup_oauth_set_up_check (self, check);
  od_check_set_ca_file (check, self->ca_file);

  if (od_setup_is_pinned (self, self->in_host, self->in_port))
    {
      const char * const pins[] = { self->pin, NULL };
      od_check_set_pinned_fingerprints (check, pins);
    }

  if (self->timeout_ms > 0)
    {
      od_check_set_total_timeout (check, self->timeout_ms);
      od_check_set_step_timeout (check, MIN (OD_CHECK_DEFAULT_STEP_TIMEOUT_MS, self->timeout_ms));
    }

  return check;
}

static void
verify_incoming_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OdSetup *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  OdStepState verdict;

  verdict = od_check_run_finish (OD_CHECK (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A result of a check this setup has since replaced counts for nothing. */
  if (OD_CHECK (object) == self->incoming_check)
    self->incoming_passed = verdict != OD_STEP_STATE_FAIL;
  g_task_return_int (task, verdict);
}

/**
 * od_setup_verify_incoming_async:
 * @check: (nullable): made by od_setup_create_incoming_check(), %NULL for one made here
 *
 * Logs in to the incoming server and opens the mailbox. The account keeps the incoming
 * server only when this did not fail (od_setup_get_incoming_verified()).
 */
void
od_setup_verify_incoming_async (OdSetup             *self,
                                OdCheck             *check,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OD_IS_SETUP (self));
  g_return_if_fail (!check || OD_IS_CHECK (check));
  g_return_if_fail (self->has_incoming);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, od_setup_verify_incoming_async);

  g_clear_object (&self->incoming_check);
  self->incoming_passed = FALSE;
  self->incoming_check = check ? g_object_ref (check) : od_setup_create_incoming_check (self);
  od_check_run_async (self->incoming_check, cancellable, verify_incoming_cb, task);
}

/**
 * od_setup_verify_incoming_finish:
 *
 * Returns: the incoming check's verdict; @error only when it was cancelled or an address is
 *   unusable
 */
OdStepState
od_setup_verify_incoming_finish (OdSetup       *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize verdict;

  g_return_val_if_fail (OD_IS_SETUP (self), OD_STEP_STATE_FAIL);
  g_return_val_if_fail (g_task_is_valid (result, self), OD_STEP_STATE_FAIL);

  verdict = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return OD_STEP_STATE_FAIL;
    }

  return verdict;
}

/**
 * od_setup_get_incoming_check:
 *
 * Returns: (transfer none) (nullable): the last verification of the incoming server
 */
OdCheck *
od_setup_get_incoming_check (OdSetup *self)
{
  g_return_val_if_fail (OD_IS_SETUP (self), NULL);
  return self->incoming_check;
}

/**
 * od_setup_get_incoming_verified:
 *
 * Returns: whether the incoming server's check ran to the end without failing: only then is
 *   it saved with the account
 */
gboolean
od_setup_get_incoming_verified (OdSetup *self)
{
  g_return_val_if_fail (OD_IS_SETUP (self), FALSE);
  return self->has_incoming && self->incoming_check != NULL && self->incoming_passed;
}

/**
 * od_setup_get_incoming_saved:
 *
 * Returns: whether the last save kept the incoming server with the account
 */
gboolean
od_setup_get_incoming_saved (OdSetup *self)
{
  g_return_val_if_fail (OD_IS_SETUP (self), FALSE);
  return self->incoming_saved;
}
