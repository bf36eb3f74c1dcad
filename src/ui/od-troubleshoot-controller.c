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
#include "od-troubleshoot-controller.h"

/* The app's troubleshooting flow for a saved account: the password from the keyring (or
 * from the user), the check through the engine's od_account_*() helpers, the result kept
 * with the account, and a password the server accepted filed in the keyring. A fix the user
 * chose (another port, a certificate) is tried on a working copy of the account and becomes
 * the account's once a check with it does not fail. The incoming server is tested the same
 * way (*Test Receiving*), with its own keyring item; such a check changes nothing else of the
 * account. An account another mail client keeps (*Found on This Computer*) is tested with
 * the client's settings as they are and its password from where the client keeps it (or
 * typed); nothing of it is saved anywhere, and fixes apply to the next check only. */
struct _OdTroubleshootController
{
  GObject              parent_instance;

  /* Owned */
  OdAccountStore      *store;
  OdSecretStore       *secrets;
  OdAccount           *account;       /* as saved, or as the other client keeps it */
  OdFoundAccount      *found;         /* another client's account under test, or NULL */
  OdAccount           *trial;         /* the settings the next check tries */
  OdCheck             *check;
  GCancellable        *cancellable;   /* the operation under way */
  char                *password;      /* from the keyring or typed; wiped when dropped */
  gboolean             token;         /* @password is GNOME Online Accounts' access token */
  gboolean             token_fresh;   /* … fetched for the check about to start */
  GError              *token_error;   /* an OAuth account without a token: why */
  char                *ca_file;

  guint                step_timeout_ms;
  OdTroubleshootState  state;
  OdStepState          verdict;
  gboolean             finished;   /* the last check has a verdict: it was not stopped */
  gboolean             send_test;
  gboolean             round_trip;        /* with the test message: look for it (delivery) */
  gboolean             round_trip_delete;
  gboolean             password_typed;
  gboolean             storing_typed;
  gboolean             editing;     /* the checks are of the user's edit of the settings */
  gboolean             recorded;    /* the last check's result is saved with the account */
  gboolean             incoming;    /* the checks are of the incoming server (receiving) */
};

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

  if (g_strcmp0 (od_account_get_auth_mechanism (self->account), OD_ACCOUNT_AUTH_NONE) == 0)
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

      wipe_password (self);
      self->password = g_strdup (looked->secret);
      self->token = oauth;
      self->token_fresh = oauth;
      self->token_error = g_steal_pointer (&looked->token_error);
      self->password_typed = FALSE;
      looked_free (looked);
      od_troubleshoot_controller_check (self, self->send_test);
      return;
    }

  set_state (self, OD_TROUBLESHOOT_STATE_NEEDS_PASSWORD);
  g_signal_emit (self, signals[PASSWORD_NEEDED], 0, error);
}

/* The found account's secret (its password, or its token) in a worker thread; then the
 * check. */
static void
look_up_found (OdTroubleshootController *self,
               GCancellable             *cancellable)
{
  g_autoptr(GTask) task = NULL;

  set_state (self, OD_TROUBLESHOOT_STATE_LOOKING_UP);
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
  cancellable = begin (self, account, TRUE);
  self->found = g_object_ref (found);

  if (g_strcmp0 (od_account_get_auth_mechanism (account), OD_ACCOUNT_AUTH_NONE) == 0)
    {
      od_troubleshoot_controller_check (self, self->send_test);
      return;
    }

  set_state (self, OD_TROUBLESHOOT_STATE_LOOKING_UP);
  if (od_found_account_get_secret (found) == OD_FOUND_SECRET_ASK)
    {
      set_state (self, OD_TROUBLESHOOT_STATE_NEEDS_PASSWORD);
      g_signal_emit (self, signals[PASSWORD_NEEDED], 0, NULL);
      return;
    }

  look_up_found (self, cancellable);
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
      && !self->token_fresh)
    {
      look_up_found (self, cancellable);
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
