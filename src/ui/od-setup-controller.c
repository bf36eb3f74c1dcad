/* od-setup-controller.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-setup-controller"

#include "config.h"

#include "od-setup-controller.h"

/* The app's setup flow: it drives the engine's OdSetup (find the server, check it, save the
 * account and its password) and says in one state what is going on, so the window only
 * shows pages and enables actions. One operation runs at a time, with one cancellable. */
struct _OdSetupController
{
  GObject          parent_instance;

  /* Owned */
  OdAccountStore  *store;
  OdSecretStore   *secrets;
  OdSetup         *setup;
  GCancellable    *cancellable;   /* the operation under way */
  char            *ca_file;
  char            *keyring_reason; /* why the last save could not store the password */
  OdDiscoveryHook  discovery_hook;
  gpointer         discovery_hook_data;

  guint            step_timeout_ms;
  OdSetupState     state;
  OdStepState      verdict;
  gboolean         finished;   /* the last check has a verdict: it was not stopped */
};

G_DEFINE_FINAL_TYPE (OdSetupController, od_setup_controller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

enum {
  DISCOVERED,
  CHECK_STARTED,
  INCOMING_CHECK_STARTED,
  CHECK_FINISHED,
  SAVED,
  SAVE_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_state (OdSetupController *self,
           OdSetupState       state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Stops whatever runs and gives the next operation a fresh cancellable. */
static GCancellable *
restart (OdSetupController *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  return self->cancellable;
}

static void
discover_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OdSetupController) self = user_data;
  g_autoptr(OdCandidate) best = NULL;
  g_autoptr(GError) error = NULL;

  best = od_setup_discover_finish (OD_SETUP (object), result, &error);

  /* A newer setup replaced this one. */
  if (OD_SETUP (object) != self->setup || self->state != OD_SETUP_STATE_DISCOVERING)
    return;

  set_state (self, OD_SETUP_STATE_EDITING);
  g_signal_emit (self, signals[DISCOVERED], 0, best, error);
}

static void check_incoming (OdSetupController *self);

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OdSetupController) self = user_data;
  g_autoptr(GError) error = NULL;
  OdStepState verdict;
  gboolean cancelled;

  verdict = od_setup_verify_finish (OD_SETUP (object), result, &error);

  if (OD_SETUP (object) != self->setup || self->state != OD_SETUP_STATE_CHECKING)
    return;

  cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  self->verdict = error != NULL ? OD_STEP_STATE_FAIL : verdict;

  /* Sending works: the incoming server next, with the same password. */
  if (error == NULL && verdict != OD_STEP_STATE_FAIL &&
      od_setup_get_has_incoming (self->setup))
    {
      check_incoming (self);
      return;
    }

  self->finished = !cancelled;
  set_state (self, OD_SETUP_STATE_CHECKED);
  g_signal_emit (self, signals[CHECK_FINISHED], 0, cancelled,
                 error != NULL && !cancelled ? error->message : NULL);
}

static void
verify_incoming_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(OdSetupController) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean cancelled;

  od_setup_verify_incoming_finish (OD_SETUP (object), result, &error);

  if (OD_SETUP (object) != self->setup || self->state != OD_SETUP_STATE_CHECKING)
    return;

  /* The verdict stays sending's: the account can be saved for sending only (the check page
   * says that receiving failed, and od_setup_get_incoming_verified() keeps it out). */
  cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  self->finished = !cancelled;
  set_state (self, OD_SETUP_STATE_CHECKED);
  g_signal_emit (self, signals[CHECK_FINISHED], 0, cancelled,
                 error != NULL && !cancelled ? error->message : NULL);
}

static void
check_incoming (OdSetupController *self)
{
  g_autoptr(OdCheck) check = od_setup_create_incoming_check (self->setup);

  if (self->step_timeout_ms > 0)
    od_check_set_step_timeout (check, self->step_timeout_ms);

  od_setup_verify_incoming_async (self->setup, check, self->cancellable, verify_incoming_cb,
                                  g_object_ref (self));
  g_signal_emit (self, signals[INCOMING_CHECK_STARTED], 0, check);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdSetupController) self = user_data;
  g_autoptr(OdAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = od_setup_save_finish (OD_SETUP (object), result, NULL, &error);

  if (OD_SETUP (object) != self->setup || self->state != OD_SETUP_STATE_SAVING)
    return;

  if (account == NULL)
    {
      /* A keyring that failed (no keyring, locked, a dismissed prompt): the account was put
       * back as it was; the window may ask to save it without the password. */
      if (error->domain != OD_ACCOUNT_STORE_ERROR && error->domain != G_FILE_ERROR)
        {
          g_free (self->keyring_reason);
          self->keyring_reason = g_strdup (error->message);
        }
      set_state (self, OD_SETUP_STATE_CHECKED);
      g_signal_emit (self, signals[SAVE_FAILED], 0, error);
      return;
    }

  set_state (self, OD_SETUP_STATE_SAVED);
  g_signal_emit (self, signals[SAVED], 0, account, self->keyring_reason);
}

static void
od_setup_controller_dispose (GObject *object)
{
  OdSetupController *self = (OdSetupController *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->setup);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (od_setup_controller_parent_class)->dispose (object);
}

static void
od_setup_controller_finalize (GObject *object)
{
  OdSetupController *self = (OdSetupController *)object;

  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->keyring_reason, g_free);

  G_OBJECT_CLASS (od_setup_controller_parent_class)->finalize (object);
}

static void
od_setup_controller_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  OdSetupController *self = OD_SETUP_CONTROLLER (object);

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
od_setup_controller_class_init (OdSetupControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = od_setup_controller_dispose;
  object_class->finalize = od_setup_controller_finalize;
  object_class->get_property = od_setup_controller_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, OD_SETUP_STATE_EDITING, OD_SETUP_STATE_SAVED,
                      OD_SETUP_STATE_EDITING,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The detection ended: @best (nullable) is what it found; @error (nullable) why it
   * stopped. */
  signals[DISCOVERED] =
    g_signal_new ("discovered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, OD_TYPE_CANDIDATE, G_TYPE_ERROR);
  signals[CHECK_STARTED] =
    g_signal_new ("check-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, OD_TYPE_CHECK);
  /* After a check of sending that did not fail, when the setup has an incoming server: its
   * check (the outgoing one stays the setup's verdict) */
  signals[INCOMING_CHECK_STARTED] =
    g_signal_new ("incoming-check-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, OD_TYPE_CHECK);
  /* @cancelled: the user stopped it; @message (nullable): an error the check could not turn
   * into a verdict */
  signals[CHECK_FINISHED] =
    g_signal_new ("check-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_STRING);
  /* @account is saved; @why_no_password (nullable) says why its password is not */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, OD_TYPE_ACCOUNT, G_TYPE_STRING);
  /* Nothing was saved: the keyring could not take the password (%OD_SECRET_ERROR, a
   * time-out or a dismissed prompt), or the account file could not be written. */
  signals[SAVE_FAILED] =
    g_signal_new ("save-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
od_setup_controller_init (OdSetupController *self)
{
  self->cancellable = g_cancellable_new ();
  self->verdict = OD_STEP_STATE_PENDING;
}

OdSetupController *
od_setup_controller_new (OdAccountStore *store,
                         OdSecretStore  *secrets)
{
  OdSetupController *self;

  g_return_val_if_fail (OD_IS_ACCOUNT_STORE (store), NULL);
  g_return_val_if_fail (OD_IS_SECRET_STORE (secrets), NULL);

  self = g_object_new (OD_TYPE_SETUP_CONTROLLER, NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);

  return self;
}

void
od_setup_controller_set_ca_file (OdSetupController *self,
                                 const char        *ca_file)
{
  g_return_if_fail (OD_IS_SETUP_CONTROLLER (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

/**
 * od_setup_controller_set_step_timeout:
 * @timeout_ms: the deadline of each check step, 0 for the engine's default
 */
void
od_setup_controller_set_step_timeout (OdSetupController *self,
                                      guint              timeout_ms)
{
  g_return_if_fail (OD_IS_SETUP_CONTROLLER (self));
  self->step_timeout_ms = timeout_ms;
}

/**
 * od_setup_controller_set_discovery_hook:
 * @hook: (nullable): called with each new detection before it runs (tests keep it on
 *   loopback)
 */
void
od_setup_controller_set_discovery_hook (OdSetupController *self,
                                        OdDiscoveryHook    hook,
                                        gpointer           user_data)
{
  g_return_if_fail (OD_IS_SETUP_CONTROLLER (self));

  self->discovery_hook = hook;
  self->discovery_hook_data = user_data;
}

OdSetupState
od_setup_controller_get_state (OdSetupController *self)
{
  g_return_val_if_fail (OD_IS_SETUP_CONTROLLER (self), OD_SETUP_STATE_EDITING);
  return self->state;
}

/**
 * od_setup_controller_get_busy:
 *
 * Returns: whether a detection, a check or a save is under way
 */
gboolean
od_setup_controller_get_busy (OdSetupController *self)
{
  g_return_val_if_fail (OD_IS_SETUP_CONTROLLER (self), FALSE);

  return self->state == OD_SETUP_STATE_DISCOVERING || self->state == OD_SETUP_STATE_CHECKING ||
         self->state == OD_SETUP_STATE_SAVING;
}

/**
 * od_setup_controller_begin:
 *
 * Sets up an account with what the user typed; whatever ran is stopped. The same address
 * again keeps what the setup learnt (the server, a certificate the user trusted); another
 * address starts afresh.
 */
void
od_setup_controller_begin (OdSetupController *self,
                           const char        *name,
                           const char        *address,
                           const char        *password)
{
  g_return_if_fail (OD_IS_SETUP_CONTROLLER (self));
  g_return_if_fail (address != NULL);

  restart (self);

  if (self->setup != NULL && g_str_equal (od_setup_get_address (self->setup), address))
    {
      od_setup_set_display_name (self->setup, name);
      od_setup_set_password (self->setup, password);
      set_state (self, OD_SETUP_STATE_EDITING);
      return;
    }

  g_clear_object (&self->setup);
  g_clear_pointer (&self->keyring_reason, g_free);
  self->setup = od_setup_new (self->store, self->secrets, address);
  od_setup_set_display_name (self->setup, name);
  od_setup_set_password (self->setup, password);
  od_setup_set_ca_file (self->setup, self->ca_file);
  self->verdict = OD_STEP_STATE_PENDING;
  self->finished = FALSE;
  set_state (self, OD_SETUP_STATE_EDITING);
}

/**
 * od_setup_controller_set_password:
 *
 * The password typed again, for the next check.
 */
void
od_setup_controller_set_password (OdSetupController *self,
                                  const char        *password)
{
  g_return_if_fail (OD_IS_SETUP_CONTROLLER (self));
  g_return_if_fail (self->setup != NULL);

  od_setup_set_password (self->setup, password);
}

/**
 * od_setup_controller_end:
 *
 * The setup is finished or abandoned: it stops, and nothing of it (the password least of
 * all) is kept.
 */
void
od_setup_controller_end (OdSetupController *self)
{
  g_return_if_fail (OD_IS_SETUP_CONTROLLER (self));

  /* A save under way finishes: the password is not lost halfway into the keyring. */
  if (self->state != OD_SETUP_STATE_SAVING)
    restart (self);
  else
    return;

  g_clear_object (&self->setup);
  g_clear_pointer (&self->keyring_reason, g_free);
  self->verdict = OD_STEP_STATE_PENDING;
  self->finished = FALSE;
  set_state (self, OD_SETUP_STATE_EDITING);
}

/**
 * od_setup_controller_get_setup:
 *
 * Returns: (transfer none) (nullable): the engine's setup, whose server the window sets
 */
OdSetup *
od_setup_controller_get_setup (OdSetupController *self)
{
  g_return_val_if_fail (OD_IS_SETUP_CONTROLLER (self), NULL);
  return self->setup;
}

/**
 * od_setup_controller_discover:
 *
 * Looks for the server; "discovered" tells what came of it.
 */
void
od_setup_controller_discover (OdSetupController *self)
{
  g_autoptr(OdDiscovery) discovery = NULL;
  GCancellable *cancellable;

  g_return_if_fail (OD_IS_SETUP_CONTROLLER (self));
  g_return_if_fail (self->setup != NULL);

  cancellable = restart (self);
  discovery = od_setup_create_discovery (self->setup);
  if (self->discovery_hook != NULL)
    self->discovery_hook (discovery, self->discovery_hook_data);

  set_state (self, OD_SETUP_STATE_DISCOVERING);
  od_setup_discover_async (self->setup, discovery, cancellable, discover_cb,
                           g_object_ref (self));
}

/**
 * od_setup_controller_get_discovery:
 *
 * Returns: (transfer none) (nullable): the last detection
 */
OdDiscovery *
od_setup_controller_get_discovery (OdSetupController *self)
{
  g_return_val_if_fail (OD_IS_SETUP_CONTROLLER (self), NULL);
  return self->setup ? od_setup_get_discovery (self->setup) : NULL;
}

/**
 * od_setup_controller_check:
 * @send_test: whether the check ends with a real test message
 *
 * Checks the setup's server (od_setup_set_server()); "check-started" gives the check to
 * show, "check-finished" says how it ended.
 */
void
od_setup_controller_check (OdSetupController *self,
                           gboolean           send_test)
{
  g_autoptr(OdCheck) check = NULL;
  GCancellable *cancellable;

  g_return_if_fail (OD_IS_SETUP_CONTROLLER (self));
  g_return_if_fail (self->setup != NULL && od_setup_get_host (self->setup) != NULL);

  cancellable = restart (self);
  check = od_setup_create_check (self->setup);
  od_check_set_send_test (check, send_test);
  if (self->step_timeout_ms > 0)
    od_check_set_step_timeout (check, self->step_timeout_ms);

  self->verdict = OD_STEP_STATE_PENDING;
  self->finished = FALSE;
  set_state (self, OD_SETUP_STATE_CHECKING);
  od_setup_verify_async (self->setup, check, cancellable, verify_cb, g_object_ref (self));
  g_signal_emit (self, signals[CHECK_STARTED], 0, check);
}

/**
 * od_setup_controller_get_check:
 *
 * Returns: (transfer none) (nullable): the last check, running or finished
 */
OdCheck *
od_setup_controller_get_check (OdSetupController *self)
{
  g_return_val_if_fail (OD_IS_SETUP_CONTROLLER (self), NULL);
  return self->setup ? od_setup_get_check (self->setup) : NULL;
}

OdStepState
od_setup_controller_get_verdict (OdSetupController *self)
{
  g_return_val_if_fail (OD_IS_SETUP_CONTROLLER (self), OD_STEP_STATE_FAIL);
  return self->verdict;
}

/**
 * od_setup_controller_trust_certificate:
 *
 * Trusts the certificate the user looked at, for @host and @port only, from the next check.
 */
void
od_setup_controller_trust_certificate (OdSetupController *self,
                                       const char        *host,
                                       guint16            port,
                                       const char        *fingerprint)
{
  g_return_if_fail (OD_IS_SETUP_CONTROLLER (self));
  g_return_if_fail (self->setup != NULL);

  od_setup_trust_certificate (self->setup, host, port, fingerprint);
}

/**
 * od_setup_controller_confirm_server:
 *
 * The user confirmed the server found as the provider's: the next check sends the password
 * to it, and the account remembers the confirmation.
 */
void
od_setup_controller_confirm_server (OdSetupController *self)
{
  g_return_if_fail (OD_IS_SETUP_CONTROLLER (self));
  g_return_if_fail (self->setup != NULL);

  od_setup_confirm_server (self->setup);
}

/**
 * od_setup_controller_save:
 * @without_password: the user chose to save the account without its password, after the
 *   keyring could not take it
 *
 * Saves the checked account, then its password; "saved" or "save-failed" follow.
 */
void
od_setup_controller_save (OdSetupController *self,
                          gboolean           without_password)
{
  GCancellable *cancellable;

  g_return_if_fail (OD_IS_SETUP_CONTROLLER (self));
  g_return_if_fail (self->setup != NULL && od_setup_get_check (self->setup) != NULL);

  cancellable = restart (self);
  set_state (self, OD_SETUP_STATE_SAVING);
  od_setup_save_async (self->setup, without_password ? OD_SETUP_SAVE_SKIP_PASSWORD
                                                     : OD_SETUP_SAVE_DEFAULT,
                       cancellable, save_cb, g_object_ref (self));
}

/**
 * od_setup_controller_cancel:
 *
 * Stops a detection or a check. A save is not stopped: the password is not lost halfway
 * into the keyring.
 */
void
od_setup_controller_cancel (OdSetupController *self)
{
  g_return_if_fail (OD_IS_SETUP_CONTROLLER (self));

  if (self->state == OD_SETUP_STATE_DISCOVERING || self->state == OD_SETUP_STATE_CHECKING)
    g_cancellable_cancel (self->cancellable);

  /* A detection stops at once; a check reports its stop ("check-finished") once the engine
   * has wound down. */
  if (self->state == OD_SETUP_STATE_DISCOVERING)
    set_state (self, OD_SETUP_STATE_EDITING);
}

/**
 * od_setup_controller_get_finished:
 *
 * Returns: whether the last check ended with a verdict (it was not stopped)
 */
gboolean
od_setup_controller_get_finished (OdSetupController *self)
{
  g_return_val_if_fail (OD_IS_SETUP_CONTROLLER (self), FALSE);
  return self->finished;
}
