/* od-troubleshoot-controller.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-troubleshoot-controller"

#include "config.h"

#include <string.h>

#include "od-account-check.h"
#include "od-check-delivery.h"
#include "od-found-fix.h"
#include "od-found-goa.h"
#include "od-found-secret.h"
#include "od-oauth-account.h"
#include "od-troubleshoot-controller-private.h"

/* The app's troubleshooting flow for a saved account: the password from the keyring (or
 * from the user), the check through the engine's od_account_*() helpers, the result kept
 * with the account, and a password the server accepted filed in the keyring. A fix the user
 * chose (another port, a certificate) is tried on a working copy of the account and becomes
 * the account's once a check with it does not fail. The incoming server is tested the same
 * way (*Test Receiving*), with its own keyring item; such a check changes nothing else of the
 * account. An account another mail client keeps (*Found on This Computer*) is tested with
 * the client's settings as they are and its password from where the client keeps it (or
 * typed); nothing of it is saved anywhere, and fixes apply to the next check only. */
G_DEFINE_FINAL_TYPE (OdTroubleshootController, od_troubleshoot_controller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

enum {
  PASSWORD_NEEDED,
  CHECK_STARTED,
  CHECK_FINISHED,
  PASSWORD_STORED,
  SAVE_FAILED,
  N_SIGNALS
};

static GCancellable *begin (OdTroubleshootController *self,
                            OdAccount                *account,
                            gboolean                  send_test);

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
wipe_password (OdTroubleshootController *self)
{
  if (self->password != NULL)
    explicit_bzero (self->password, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  self->token = FALSE;
  g_clear_error (&self->token_error);
}

static void
set_state (OdTroubleshootController *self,
           OdTroubleshootState       state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static GCancellable *
restart (OdTroubleshootController *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  return self->cancellable;
}

/* Changes the account as the file holds it now (another window or the command line may
 * have changed it meanwhile), then follows the current object. Returns FALSE after saying
 * why nothing was written (the account was removed meanwhile, or the file could not be
 * written). */
static gboolean
update_account (OdTroubleshootController *self,
                OdAccountUpdate           update,
                gpointer                  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (od_account_get_id (self->account));
  OdAccount *current;

  if (!od_account_store_update (self->store, id, update, user_data, &error))
    {
      g_signal_emit (self, signals[SAVE_FAILED], 0, error);
      return FALSE;
    }

  current = od_account_store_lookup (self->store, id);
  if (current != NULL)
    g_set_object (&self->account, current);

  return TRUE;
}

typedef struct
{
  OdCheck  *check;
  gboolean  edit;       /* the check is of the user's edit of the settings */
  gboolean  password;   /* with a password the user typed */
  gboolean  moved;
} Record;

static void
record_check (OdAccount *account,
              gpointer   user_data)
{
  Record *record = user_data;
  gboolean changed;

  /* An edit that failed says nothing about the saved settings (nor a password typed for it
   * about the saved one): the account stays as it was. */
  if (record->edit &&
      od_checklist_get_verdict (od_check_get_checklist (record->check)) == OD_STEP_STATE_FAIL)
    return;

  changed = g_strcmp0 (od_account_get_host (account), od_check_get_host (record->check)) != 0 ||
            od_account_get_port (account) != od_check_get_port (record->check) ||
            od_account_get_security (account) != od_check_get_security (record->check);
  record->moved = od_account_record_check (account, record->check);

  if (!record->edit)
    return;

  /* A server the user typed is theirs, wherever the old one came from; a password that
   * worked means the server wants a login now. */
  if (changed)
    od_account_set_settings_source (account, OD_ACCOUNT_SOURCE_MANUAL);
  if (record->password && od_check_get_auth_mechanism (record->check) != NULL)
    od_account_set_auth_mechanism (account, od_check_get_auth_mechanism (record->check));
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OdTroubleshootController) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = od_secret_store_lookup_finish (OD_SECRET_STORE (object), result, &error);

  if (self->state != OD_TROUBLESHOOT_STATE_LOOKING_UP ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&password, od_secret_store_free_password);
      if (self->state == OD_TROUBLESHOOT_STATE_LOOKING_UP)
        set_state (self, OD_TROUBLESHOOT_STATE_IDLE);
      return;
    }

  if (password != NULL)
    {
      wipe_password (self);
      self->password = g_strdup (password);
      self->password_typed = FALSE;
      od_secret_store_free_password (password);
      od_troubleshoot_controller_check (self, self->send_test);
      return;
    }

  set_state (self, OD_TROUBLESHOOT_STATE_NEEDS_PASSWORD);
  g_signal_emit (self, signals[PASSWORD_NEEDED], 0, error);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(OdTroubleshootController) self = user_data;
  g_autoptr(GError) error = NULL;

  od_secret_store_store_finish (OD_SECRET_STORE (object), result, &error);

  if (self->state != OD_TROUBLESHOOT_STATE_STORING)
    return;

  set_state (self, OD_TROUBLESHOOT_STATE_CHECKED);
  g_signal_emit (self, signals[PASSWORD_STORED], 0, self->storing_typed, error);
}

/* A password typed for this test goes to the keyring once the server accepted it. When a
 * fix moved the account (port 587), its saved password is filed again under the new server:
 * lookups match host, port and user exactly, and the store removes the account's old item. */
static void
store_password (OdTroubleshootController *self,
                gboolean                  moved)
{
  if (!(self->password_typed || moved) || self->password == NULL ||
      self->verdict == OD_STEP_STATE_FAIL)
    return;

  self->storing_typed = self->password_typed;
  self->password_typed = FALSE;
  set_state (self, OD_TROUBLESHOOT_STATE_STORING);
  /* Not the operation's cancellable: a new check must not stop a password halfway into the
   * keyring; only disposing does. A password for receiving gets the incoming item (one per
   * account and protocol: the outgoing one stays). */
  if (self->incoming)
    od_secret_store_store_async (self->secrets, od_account_get_id (self->account),
                                 od_protocol_to_string (od_check_get_protocol (self->check)),
                                 od_check_get_host (self->check), od_check_get_port (self->check),
                                 od_check_get_username (self->check), self->password, NULL,
                                 store_cb, g_object_ref (self));
  else
    od_secret_store_store_for_account_async (self->secrets, self->account, self->password, NULL,
                                             store_cb, g_object_ref (self));
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(OdTroubleshootController) self = user_data;
  g_autoptr(GError) error = NULL;
  Record record = { OD_CHECK (object), self->editing, self->password_typed, FALSE };
  OdStepState verdict;
  gboolean cancelled;
  gboolean saved = FALSE;

  verdict = od_check_run_finish (OD_CHECK (object), result, &error);

  if (OD_CHECK (object) != self->check || self->state != OD_TROUBLESHOOT_STATE_CHECKING)
    return;

  cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  self->finished = !cancelled;
  self->verdict = error != NULL ? OD_STEP_STATE_FAIL : verdict;
  set_state (self, OD_TROUBLESHOOT_STATE_CHECKED);

  /* The result is the account's before anyone hears of it. An account removed meanwhile
   * stays removed, and gets no password. */
  self->recorded = FALSE;
  if (self->found != NULL)
    saved = FALSE;  /* another client's account: nothing is ours to save */
  else if (error == NULL && self->incoming)
    saved = TRUE;  /* nothing of the account changes; a typed password is kept */
  else if (error == NULL)
    {
      saved = update_account (self, record_check, &record);
      self->recorded = saved && !(record.edit && self->verdict == OD_STEP_STATE_FAIL);
    }

  g_signal_emit (self, signals[CHECK_FINISHED], 0, cancelled,
                 error != NULL && !cancelled ? error->message : NULL);

  if (saved)
    store_password (self, record.moved);
}

/* For od-troubleshoot-controller-found.c. */
void
od_troubleshoot_set_state (OdTroubleshootController *self,
                           OdTroubleshootState       state)
{
  set_state (self, state);
}

GCancellable *
od_troubleshoot_begin (OdTroubleshootController *self,
                       OdAccount                *account,
                       gboolean                  send_test)
{
  return begin (self, account, send_test);
}

void
od_troubleshoot_wipe_password (OdTroubleshootController *self)
{
  wipe_password (self);
}

void
od_troubleshoot_emit_password_needed (OdTroubleshootController *self,
                                      const GError             *error)
{
  g_signal_emit (self, signals[PASSWORD_NEEDED], 0, error);
}

static void
od_troubleshoot_controller_dispose (GObject *object)
{
  OdTroubleshootController *self = (OdTroubleshootController *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->check);
  g_clear_object (&self->account);
  g_clear_object (&self->found);
  g_clear_object (&self->trial);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  wipe_password (self);

  G_OBJECT_CLASS (od_troubleshoot_controller_parent_class)->dispose (object);
}

static void
od_troubleshoot_controller_finalize (GObject *object)
{
  OdTroubleshootController *self = (OdTroubleshootController *)object;

  g_clear_pointer (&self->ca_file, g_free);

  G_OBJECT_CLASS (od_troubleshoot_controller_parent_class)->finalize (object);
}

static void
od_troubleshoot_controller_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  OdTroubleshootController *self = OD_TROUBLESHOOT_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
od_troubleshoot_controller_class_init (OdTroubleshootControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = od_troubleshoot_controller_dispose;
  object_class->finalize = od_troubleshoot_controller_finalize;
  object_class->get_property = od_troubleshoot_controller_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, OD_TROUBLESHOOT_STATE_IDLE,
                      OD_TROUBLESHOOT_STATE_STORING, OD_TROUBLESHOOT_STATE_IDLE,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The keyring has no password for the account (@error is NULL) or could not be read. */
  signals[PASSWORD_NEEDED] =
    g_signal_new ("password-needed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[CHECK_STARTED] =
    g_signal_new ("check-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, OD_TYPE_CHECK);
  signals[CHECK_FINISHED] =
    g_signal_new ("check-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);
  /* @typed: the user had typed the password; @error (nullable): why it was not stored */
  signals[PASSWORD_STORED] =
    g_signal_new ("password-stored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_ERROR);
  signals[SAVE_FAILED] =
    g_signal_new ("save-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
od_troubleshoot_controller_init (OdTroubleshootController *self)
{
  self->cancellable = g_cancellable_new ();
  self->verdict = OD_STEP_STATE_PENDING;
}

OdTroubleshootController *
od_troubleshoot_controller_new (OdAccountStore *store,
                                OdSecretStore  *secrets)
{
  OdTroubleshootController *self;

  g_return_val_if_fail (OD_IS_ACCOUNT_STORE (store), NULL);
  g_return_val_if_fail (OD_IS_SECRET_STORE (secrets), NULL);

  self = g_object_new (OD_TYPE_TROUBLESHOOT_CONTROLLER, NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);

  return self;
}

void
od_troubleshoot_controller_set_ca_file (OdTroubleshootController *self,
                                        const char               *ca_file)
{
  g_return_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

void
od_troubleshoot_controller_set_step_timeout (OdTroubleshootController *self,
                                             guint                     timeout_ms)
{
  g_return_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self));
  self->step_timeout_ms = timeout_ms;
}

OdTroubleshootState
od_troubleshoot_controller_get_state (OdTroubleshootController *self)
{
  g_return_val_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self), OD_TROUBLESHOOT_STATE_IDLE);
  return self->state;
}

/**
 * od_troubleshoot_controller_get_busy:
 *
 * Returns: whether the keyring or a check is being waited for
 */
gboolean
od_troubleshoot_controller_get_busy (OdTroubleshootController *self)
{
  g_return_val_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self), FALSE);

  return self->state == OD_TROUBLESHOOT_STATE_LOOKING_UP ||
         self->state == OD_TROUBLESHOOT_STATE_CHECKING ||
         self->state == OD_TROUBLESHOOT_STATE_STORING;
}

/**
 * od_troubleshoot_controller_get_account:
 *
 * Returns: (transfer none) (nullable): the account under test
 */
OdAccount *
od_troubleshoot_controller_get_account (OdTroubleshootController *self)
{
  g_return_val_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self), NULL);
  return self->account;
}

/**
 * od_troubleshoot_controller_get_check:
 *
 * Returns: (transfer none) (nullable): the last check, running or finished
 */
OdCheck *
od_troubleshoot_controller_get_check (OdTroubleshootController *self)
{
  g_return_val_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self), NULL);
  return self->check;
}

OdStepState
od_troubleshoot_controller_get_verdict (OdTroubleshootController *self)
{
  g_return_val_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self), OD_STEP_STATE_FAIL);
  return self->verdict;
}

/**
 * od_troubleshoot_controller_get_host:
 *
 * Returns: (nullable): the server the next check tries
 */
const char *
od_troubleshoot_controller_get_host (OdTroubleshootController *self)
{
  g_return_val_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self), NULL);
  return self->trial ? od_account_get_host (self->trial) : NULL;
}

guint16
od_troubleshoot_controller_get_port (OdTroubleshootController *self)
{
  g_return_val_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self), 0);
  return self->trial ? od_account_get_port (self->trial) : 0;
}

/* Troubleshooting @account from scratch: nothing of the last account is kept. */
static GCancellable *
begin (OdTroubleshootController *self,
       OdAccount                *account,
       gboolean                  send_test)
{
  GCancellable *cancellable = restart (self);

  g_set_object (&self->account, account);
  g_clear_object (&self->trial);
  self->trial = od_account_copy (account);
  g_clear_object (&self->check);
  wipe_password (self);
  self->password_typed = FALSE;
  self->send_test = send_test;
  self->verdict = OD_STEP_STATE_PENDING;
  self->finished = FALSE;
  self->editing = FALSE;
  self->recorded = FALSE;
  self->incoming = FALSE;
  g_clear_object (&self->found);

  return cancellable;
}

/* The saved password, then the check; no lookup for a server without login. */
static void
look_up_password (OdTroubleshootController *self,
                  GCancellable             *cancellable)
{
  if (self->incoming)
    {
      set_state (self, OD_TROUBLESHOOT_STATE_LOOKING_UP);
      od_secret_store_lookup_incoming_for_account_async (self->secrets, self->account,
                                                         cancellable, lookup_cb,
                                                         g_object_ref (self));
      return;
    }

  /* No password: none needed, or a token from our own sign-in (fetched by the check). */
  if (g_strcmp0 (od_account_get_auth_mechanism (self->account), OD_ACCOUNT_AUTH_NONE) == 0 ||
      od_account_get_oauth_provider (self->account) != NULL)
    {
      od_troubleshoot_controller_check (self, self->send_test);
      return;
    }

  set_state (self, OD_TROUBLESHOOT_STATE_LOOKING_UP);
  od_secret_store_lookup_for_account_async (self->secrets, self->account, cancellable,
                                            lookup_cb, g_object_ref (self));
}

/**
 * od_troubleshoot_controller_start:
 * @account: a saved account
 *
 * Troubleshoots @account with a test message: its password comes from the keyring
 * ("password-needed" when it is not there), then the check runs.
 */
void
od_troubleshoot_controller_start (OdTroubleshootController *self,
                                  OdAccount                *account)
{
  g_return_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self));
  g_return_if_fail (OD_IS_ACCOUNT (account));

  look_up_password (self, begin (self, account, TRUE));
}

/**
 * od_troubleshoot_controller_start_incoming:
 * @account: a saved account with an incoming server
 *
 * Troubleshoots @account's incoming server (*Test Receiving*): its password comes from the
 * keyring (the incoming item, else the outgoing one), then the incoming check runs: login
 * and the mailbox, nothing is sent.
 */
void
od_troubleshoot_controller_start_incoming (OdTroubleshootController *self,
                                           OdAccount                *account)
{
  GCancellable *cancellable;

  g_return_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self));
  g_return_if_fail (OD_IS_ACCOUNT (account));
  g_return_if_fail (od_account_get_incoming_host (account) != NULL);

  cancellable = begin (self, account, FALSE);
  self->incoming = TRUE;
  look_up_password (self, cancellable);
}

/**
 * od_troubleshoot_controller_get_incoming:
 *
 * Returns: whether the checks are of the account's incoming server
 */
gboolean
od_troubleshoot_controller_get_incoming (OdTroubleshootController *self)
{
  g_return_val_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self), FALSE);
  return self->incoming;
}

/**
 * od_troubleshoot_controller_start_edit:
 * @account: a saved account
 * @changes: @account with the settings the user edited (server, port, encryption, user name)
 * @password: (nullable): a new password, or %NULL to use the saved one
 *
 * Checks an edit of @account's settings before it is saved: login and addresses, no test
 * message. A check that does not fail makes the edit the account's (and files the password
 * under the new settings); one that fails leaves the account as it was.
 */
void
od_troubleshoot_controller_start_edit (OdTroubleshootController *self,
                                       OdAccount                *account,
                                       OdAccount                *changes,
                                       const char               *password)
{
  GCancellable *cancellable;

  g_return_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self));
  g_return_if_fail (OD_IS_ACCOUNT (account));
  g_return_if_fail (OD_IS_ACCOUNT (changes));

  cancellable = begin (self, account, FALSE);
  g_set_object (&self->trial, changes);
  self->editing = TRUE;

  if (password != NULL && password[0] != '\0')
    {
      od_troubleshoot_controller_set_password (self, password);
      od_troubleshoot_controller_check (self, self->send_test);
      return;
    }

  look_up_password (self, cancellable);
}

/**
 * od_troubleshoot_controller_set_password:
 *
 * A password the user typed, for the next check; it goes to the keyring once the server
 * accepted it.
 */
void
od_troubleshoot_controller_set_password (OdTroubleshootController *self,
                                         const char               *password)
{
  g_return_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self));

  wipe_password (self);
  self->password = g_strdup (password);
  self->password_typed = TRUE;
}

/**
 * od_troubleshoot_controller_check:
 * @send_test: whether the check ends with a real test message
 *
 * Checks the account (with the fixes chosen so far); "check-started" gives the check to
 * show, "check-finished" says how it ended.
 */
void
od_troubleshoot_controller_check (OdTroubleshootController *self,
                                  gboolean                  send_test)
{
  GCancellable *cancellable;

  g_return_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self));
  g_return_if_fail (self->trial != NULL);

  cancellable = restart (self);
  self->send_test = send_test;
  /* An OAuth account gets a fresh token for every check: the person may have signed in
   * again in Settings meanwhile, and GOA refreshes an expired one. */
  if (self->found != NULL
      && od_found_account_get_secret (self->found) == OD_FOUND_SECRET_GOA_OAUTH2
      && g_strcmp0 (od_account_get_auth_mechanism (self->trial), OD_ACCOUNT_AUTH_NONE) != 0
      && !self->token_fresh)
    {
      od_troubleshoot_look_up_found (self, cancellable);
      return;
    }
  if (self->found == NULL && od_account_get_oauth_provider (self->trial) != NULL
      && !self->token_fresh && !self->password_typed)
    {
      od_troubleshoot_get_own_token (self, cancellable);
      return;
    }
  self->token_fresh = FALSE;
  g_clear_object (&self->check);
  self->check = self->incoming ? od_account_create_incoming_check (self->trial)
                               : od_account_create_check (self->trial);
  send_test = send_test && !self->incoming;
  if (self->found != NULL && (self->token || self->token_error != NULL))
    {
      /* An OAuth account: GNOME Online Accounts' token instead of a password. */
      const char *issuer = od_found_origin_get_name (OD_ORIGIN_GOA);
      const char *provider = od_found_account_get_provider (self->found);

      if (self->token_error != NULL)
        od_check_set_token_error (self->check, self->token_error, issuer, provider);
      else
        od_check_set_access_token (self->check, self->password, issuer, provider);
    }
  else if (self->found == NULL && (self->token || self->token_error != NULL))
    /* Our own sign-in's token (issue 18). */
    od_oauth_account_set_up_check (self->trial, self->check,
                                   self->token_error ? NULL : self->password, self->token_error);
  else
    od_check_set_password (self->check, self->password != NULL && self->password[0] != '\0'
                                        ? self->password : NULL);
  od_check_set_send_test (self->check, send_test);
  /* The round trip logs in with the check's password: the one the account sends with. */
  if (send_test && self->round_trip &&
      od_account_set_up_round_trip (self->trial, self->check, NULL))
    od_check_set_round_trip_delete (self->check, self->round_trip_delete);
  od_check_set_ca_file (self->check, self->ca_file);
  if (self->step_timeout_ms > 0)
    od_check_set_step_timeout (self->check, self->step_timeout_ms);

  self->verdict = OD_STEP_STATE_PENDING;
  self->finished = FALSE;
  set_state (self, OD_TROUBLESHOOT_STATE_CHECKING);
  od_check_run_async (self->check, cancellable, check_cb, g_object_ref (self));
  g_signal_emit (self, signals[CHECK_STARTED], 0, self->check);
}

/**
 * od_troubleshoot_controller_use_port:
 *
 * Tries another port (and its encryption) from the next check on.
 */
void
od_troubleshoot_controller_use_port (OdTroubleshootController *self,
                                     guint16                   port,
                                     OdSecurity                security)
{
  g_return_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self));
  g_return_if_fail (self->trial != NULL);

  if (self->incoming)
    {
      od_account_set_incoming (self->trial, od_account_get_incoming_protocol (self->trial),
                               od_account_get_incoming_host (self->trial), port, security,
                               od_account_get_incoming_username (self->trial));
      return;
    }

  od_account_set_port (self->trial, port);
  od_account_set_security (self->trial, security);
}

typedef struct
{
  const char *host;
  guint16     port;
  const char *fingerprint;
} Pin;

static void
pin_certificate (OdAccount *account,
                 gpointer   user_data)
{
  Pin *pin = user_data;

  od_account_clear_pinned_fingerprints (account, pin->host, pin->port);
  od_account_add_pinned_fingerprint (account, pin->host, pin->port, pin->fingerprint);
}

/**
 * od_troubleshoot_controller_trust_certificate:
 *
 * Trusts the certificate the user looked at, for @host and @port only: one certificate per
 * host and port, so it replaces what was trusted there before. Saved with the account at once.
 */
void
od_troubleshoot_controller_trust_certificate (OdTroubleshootController *self,
                                              const char               *host,
                                              guint16                   port,
                                              const char               *fingerprint)
{
  Pin pin = { host, port, fingerprint };

  g_return_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self));
  g_return_if_fail (self->account != NULL);

  pin_certificate (self->trial, &pin);
  if (self->found == NULL)
    update_account (self, pin_certificate, &pin);
}

static void
confirm_server (OdAccount *account,
                gpointer   user_data)
{
  OdAccount *trial = user_data;

  od_account_add_confirmed_server (account, od_account_get_host (trial),
                                   od_account_get_port (trial));
}

/**
 * od_troubleshoot_controller_confirm_server:
 *
 * The user confirmed the server the account uses as the provider's, though it was found
 * through forgeable records: saved with the account at once (confirmed-servers), so no
 * check asks again.
 */
void
od_troubleshoot_controller_confirm_server (OdTroubleshootController *self)
{
  g_return_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self));
  g_return_if_fail (self->account != NULL);

  confirm_server (self->trial, self->trial);
  if (self->found == NULL)
    update_account (self, confirm_server, self->trial);
}

/**
 * od_troubleshoot_controller_cancel:
 *
 * Stops a password lookup or a check; a password on its way to the keyring gets there.
 */
void
od_troubleshoot_controller_cancel (OdTroubleshootController *self)
{
  g_return_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self));

  if (self->state == OD_TROUBLESHOOT_STATE_LOOKING_UP ||
      self->state == OD_TROUBLESHOOT_STATE_CHECKING)
    g_cancellable_cancel (self->cancellable);

  /* Nobody waits for the keyring any more; a check reports its stop once the engine has
   * wound down. */
  if (self->state == OD_TROUBLESHOOT_STATE_LOOKING_UP)
    set_state (self, OD_TROUBLESHOOT_STATE_IDLE);
}

/**
 * od_troubleshoot_controller_stop:
 *
 * Leaves troubleshooting: what runs stops, the password is forgotten.
 */
void
od_troubleshoot_controller_stop (OdTroubleshootController *self)
{
  g_return_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self));

  if (self->state == OD_TROUBLESHOOT_STATE_STORING)
    return;

  restart (self);
  g_clear_object (&self->check);
  g_clear_object (&self->account);
  g_clear_object (&self->found);
  g_clear_object (&self->trial);
  wipe_password (self);
  self->verdict = OD_STEP_STATE_PENDING;
  self->finished = FALSE;
  set_state (self, OD_TROUBLESHOOT_STATE_IDLE);
}

/**
 * od_troubleshoot_controller_get_finished:
 *
 * Returns: whether the last check ended with a verdict (it was not stopped)
 */
gboolean
od_troubleshoot_controller_get_finished (OdTroubleshootController *self)
{
  g_return_val_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self), FALSE);
  return self->finished;
}

/**
 * od_troubleshoot_controller_get_recorded:
 *
 * Returns: whether the last check's result was saved with the account: for an edit, whether
 *   the edit is now the account's
 */
gboolean
od_troubleshoot_controller_get_recorded (OdTroubleshootController *self)
{
  g_return_val_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self), FALSE);
  return self->recorded;
}

/**
 * od_troubleshoot_controller_set_round_trip:
 * @round_trip: whether checks with a test message look for it on the incoming server
 * @delete_after: whether the test message is deleted once found
 *
 * For the next checks; an account without a known incoming server has no round trip.
 */
void
od_troubleshoot_controller_set_round_trip (OdTroubleshootController *self,
                                           gboolean                  round_trip,
                                           gboolean                  delete_after)
{
  g_return_if_fail (OD_IS_TROUBLESHOOT_CONTROLLER (self));

  self->round_trip = !!round_trip;
  self->round_trip_delete = !!delete_after;
}
