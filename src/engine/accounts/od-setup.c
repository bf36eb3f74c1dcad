/* od-setup.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-setup"

#include "config.h"

#include <string.h>

#include "od-setup-private.h"

/* Setting up an account: find the server (or take the user's), verify a real login, then
 * save the account and put the password in the keyring. The app and the command line both
 * drive this object and only show what it reports, so an account is built and saved the
 * same way whichever front end set it up.
 *
 * The order of saving keeps no orphan: the account is written first, then its password. A
 * run killed in between leaves an account whose password is asked for, never a password
 * that no account owns. */

G_DEFINE_FINAL_TYPE (OdSetup, od_setup, G_TYPE_OBJECT)

static void
wipe_password (OdSetup *self)
{
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
}

gboolean
od_setup_is_pinned (OdSetup    *self,
                    const char *host,
                    guint16     port)
{
  return self->pin != NULL && host != NULL &&
         g_ascii_strcasecmp (self->pin_host, host) == 0 && self->pin_port == port;
}

static gboolean
is_pinned_endpoint (OdSetup *self)
{
  return od_setup_is_pinned (self, self->host, self->port);
}

/* ---- Discovery ------------------------------------------------------------------------ */

/* The user confirmed this server for the address's account before. */
static gboolean
confirmed_before (OdSetup *self)
{
  OdAccount *account = od_account_store_find_by_address (self->store, self->address);

  return account != NULL && od_account_get_server_confirmed (account, self->host, self->port);
}

/* The incoming server the detection verified (a trusted one only: an incoming server that
 * needs a confirmation is shown, never taken without the person). */
static void
take_discovered_incoming (OdSetup     *self,
                          OdDiscovery *discovery)
{
  OdCandidate *incoming = od_discovery_get_incoming (discovery);

  if (incoming == NULL || !od_protocol_is_incoming (od_candidate_get_protocol (incoming)))
    return;

  od_setup_set_incoming (self, od_candidate_get_protocol (incoming),
                         od_candidate_get_host (incoming), od_candidate_get_port (incoming),
                         od_candidate_get_security (incoming),
                         od_candidate_get_username (incoming),
                         od_source_kind_to_string (od_candidate_get_source (incoming)));
}

static void
discover_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OdSetup *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdCandidate) best = NULL;

  best = od_discovery_run_finish (OD_DISCOVERY (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Nothing trusted works: the setting that works needs the user's confirmation. */
  if (best == NULL && od_discovery_get_unconfirmed (OD_DISCOVERY (object)) != NULL)
    best = g_object_ref (od_discovery_get_unconfirmed (OD_DISCOVERY (object)));

  if (best != NULL)
    {
      const char *username = od_candidate_get_username (best);

      od_setup_set_server (self, od_candidate_get_host (best), od_candidate_get_port (best),
                           od_candidate_get_security (best), username ? username : self->address,
                           od_source_kind_to_string (od_candidate_get_source (best)));
      g_free (self->unconfirmed_why);
      self->unconfirmed_why = od_candidate_dup_why (best);
      self->confirmed = self->unconfirmed_why != NULL && confirmed_before (self);
    }

  take_discovered_incoming (self, OD_DISCOVERY (object));
  g_task_return_pointer (task, g_steal_pointer (&best), g_object_unref);
}

/**
 * od_setup_discover_async:
 * @discovery: (nullable): the detection to run, for a caller that shows its progress (see
 *   od_setup_create_discovery()); %NULL for one made here
 *
 * Finds the server for the address. When one is found, its settings become the setup's;
 * when only a setting nobody vouched for works, it becomes the setup's too, and needs the
 * user's confirmation (od_setup_get_unconfirmed()) before the password is sent to it.
 */
void
od_setup_discover_async (OdSetup             *self,
                         OdDiscovery         *discovery,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OD_IS_SETUP (self));
  g_return_if_fail (!discovery || OD_IS_DISCOVERY (discovery));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, od_setup_discover_async);

  g_clear_object (&self->discovery);
  self->discovery = discovery ? g_object_ref (discovery) : od_setup_create_discovery (self);
  od_discovery_run_async (self->discovery, cancellable, discover_cb, task);
}

/**
 * od_setup_discover_finish:
 *
 * Returns: (transfer full) (nullable): the best setting, or the one that needs a
 *   confirmation; %NULL when none was found (od_discovery_get_problems() on
 *   od_setup_get_discovery() says why) or with @error
 */
OdCandidate *
od_setup_discover_finish (OdSetup       *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (OD_IS_SETUP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Verifying ------------------------------------------------------------------------ */

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  OdStepState verdict;

  verdict = od_check_run_finish (OD_CHECK (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_int (task, verdict);
}

/**
 * od_setup_verify_async:
 * @check: (nullable): the check to run, made by od_setup_create_check() and adjusted by the
 *   caller (a test message, a step deadline); %NULL for the envelope check
 *
 * Checks the setup's settings: a real login and the envelope, nothing sent unless @check
 * says so.
 */
void
od_setup_verify_async (OdSetup             *self,
                       OdCheck             *check,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OD_IS_SETUP (self));
  g_return_if_fail (!check || OD_IS_CHECK (check));
  g_return_if_fail (self->host != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, od_setup_verify_async);

  g_clear_object (&self->check);
  self->check = check ? g_object_ref (check) : od_setup_create_check (self);
  od_check_run_async (self->check, cancellable, verify_cb, task);
}

/**
 * od_setup_verify_finish:
 *
 * Returns: the check's verdict; @error only when it was cancelled or an address is unusable
 */
OdStepState
od_setup_verify_finish (OdSetup       *self,
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

/* ---- Saving --------------------------------------------------------------------------- */

typedef struct
{
  OdAccount *account;   /* as saved */
  OdAccount *previous;  /* the same address before, to put back; NULL for a new account */
  GError    *keyring_error;
} Save;

static void
save_free (Save *save)
{
  g_clear_object (&save->account);
  g_clear_object (&save->previous);
  g_clear_error (&save->keyring_error);
  g_free (save);
}

/* The account as the verified settings say. Setting up an address again updates its
 * account: what this setup does not say (a name, other trusted certificates) is kept. */
static OdAccount *
build_account (OdSetup    *self,
               OdAccount  *previous)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  OdChecklist *checklist = od_check_get_checklist (self->check);
  OdProblem *problem = od_checklist_get_main_problem (checklist);
  OdTlsInfo *info;
  OdAccount *account;

  if (previous != NULL)
    account = od_account_copy (previous);
  else
    {
      g_autofree char *id = od_account_store_make_id (self->store, self->address);
      account = od_account_new (id, self->address);
    }

  if (self->display_name != NULL)
    od_account_set_display_name (account, self->display_name);
  od_account_set_address (account, self->address);
  od_account_set_host (account, self->host);
  od_account_set_port (account, self->port);
  od_account_set_security (account, self->security);
  od_account_set_username (account, od_check_get_username (self->check));
  od_account_set_auth_mechanism (account, self->password != NULL || self->oauth != NULL
                                          ? od_check_get_auth_mechanism (self->check)
                                          : OD_ACCOUNT_AUTH_NONE);
  od_setup_oauth_prepare_account (self, account);
  od_account_set_settings_source (account, self->source ? self->source
                                                        : OD_ACCOUNT_SOURCE_MANUAL);
  od_account_set_last_check (account, od_step_state_to_string (od_checklist_get_verdict (checklist)),
                             problem ? od_problem_get_id (problem) : NULL, now,
                             od_check_get_message_sent (self->check));
  if (self->unconfirmed_why != NULL && self->confirmed)
    od_account_add_confirmed_server (account, self->host, self->port);

  /* The incoming server only when its login was verified, never with --outgoing-only's
   * failed one: an account whose incoming server did not say so keeps what it had. */
  self->incoming_saved = od_setup_get_incoming_verified (self);
  if (self->incoming_saved)
    od_account_set_incoming (account, od_protocol_to_string (self->in_protocol), self->in_host,
                             self->in_port, self->in_security, self->in_username);

  /* Pin only a certificate that needed it: one that verifies needs no exception, and
   * pinning it would turn its next routine renewal into an alarm. */
  info = od_check_get_tls_info (self->check);
  self->pin_saved = is_pinned_endpoint (self) && info != NULL &&
                    od_tls_info_get_errors (info) != 0 &&
                    g_strcmp0 (od_tls_info_get_fingerprint (info), self->pin) == 0;
  if (self->pin_saved)
    {
      od_account_clear_pinned_fingerprints (account, self->host, self->port);
      od_account_add_pinned_fingerprint (account, self->host, self->port, self->pin);
    }

  return account;
}

static gboolean
undo_change (OdAccountStore  *store,
             gpointer         user_data,
             GError         **error)
{
  Save *save = user_data;

  if (save->previous != NULL)
    od_account_store_add (store, save->previous);
  else
    od_account_store_remove (store, od_account_get_id (save->account));

  return TRUE;
}

/* The keyring could not take the password: the account goes back to what it was. */
static void
undo_save (OdSetup *self,
           Save    *save)
{
  g_autoptr(GError) error = NULL;

  if (!od_account_store_change (self->store, undo_change, save, &error))
    g_warning ("The account could not be put back: %s", error->message);
}

typedef struct
{
  OdSetup *self;
  Save    *save;
} SaveChange;

/* Under the lock, on the file as it is now: an account of this address is updated (whoever
 * saved it), otherwise a new one gets an id free in the file now. */
static gboolean
save_change (OdAccountStore  *store,
             gpointer         user_data,
             GError         **error)
{
  SaveChange *change = user_data;
  OdAccount *existing = od_account_store_find_by_address (store, change->self->address);

  g_clear_object (&change->save->previous);
  g_clear_object (&change->save->account);
  change->save->previous = existing ? od_account_copy (existing) : NULL;
  change->save->account = build_account (change->self, change->save->previous);
  od_account_store_add (store, change->save->account);

  return TRUE;
}

static void
store_incoming_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Save *save = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* Not a reason to undo the account: the incoming login falls back to the sending
   * password, which is the same one (od_secret_store_lookup_incoming_for_account_async()). */
  if (!od_secret_store_store_finish (OD_SECRET_STORE (object), result, &error))
    save->keyring_error = g_steal_pointer (&error);

  g_task_return_pointer (task, g_object_ref (save->account), g_object_unref);
}

/* The same password once more, in the incoming server's own item (protocol imap or pop3),
 * so that each server's item can change on its own later. Takes @task. */
static void
store_incoming_password (GTask *task)
{
  OdSetup *self = g_task_get_source_object (task);
  Save *save = g_task_get_task_data (task);

  if (!self->incoming_saved || self->oauth != NULL)
    {
      g_task_return_pointer (task, g_object_ref (save->account), g_object_unref);
      g_object_unref (task);
      return;
    }

  od_secret_store_store_async (self->secrets, od_account_get_id (save->account),
                               od_protocol_to_string (self->in_protocol), self->in_host,
                               self->in_port, self->in_username, self->password,
                               g_task_get_cancellable (task), store_incoming_cb, task);
}

static void
store_password_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OdSetup *self = g_task_get_source_object (task);
  Save *save = g_task_get_task_data (task);
  OdSetupSaveFlags flags = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "od-flags"));
  g_autoptr(GError) error = NULL;

  if (od_secret_store_store_finish (OD_SECRET_STORE (object), result, &error))
    {
      store_incoming_password (g_steal_pointer (&task));
      return;
    }

  if (flags & OD_SETUP_SAVE_KEEP_WITHOUT_PASSWORD)
    {
      save->keyring_error = g_steal_pointer (&error);
      g_task_return_pointer (task, g_object_ref (save->account), g_object_unref);
      return;
    }

  undo_save (self, save);
  g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * od_setup_save_async:
 * @flags: what to do when the keyring cannot take the password
 *
 * Saves the verified account, then its password in the keyring. Call after a verification
 * that did not fail.
 */
void
od_setup_save_async (OdSetup             *self,
                     OdSetupSaveFlags     flags,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SaveChange change;
  Save *save;

  g_return_if_fail (OD_IS_SETUP (self));
  g_return_if_fail (self->check != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, od_setup_save_async);
  g_object_set_data (G_OBJECT (task), "od-flags", GUINT_TO_POINTER (flags));

  save = g_new0 (Save, 1);
  g_task_set_task_data (task, save, (GDestroyNotify)save_free);
  change.self = self;
  change.save = save;

  /* The account first, then its password. */
  if (!od_account_store_change (self->store, save_change, &change, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (self->oauth != NULL && !(flags & OD_SETUP_SAVE_SKIP_PASSWORD))
    {
      od_setup_oauth_store_async (self, save->account, cancellable, store_password_cb,
                                  g_steal_pointer (&task));
      return;
    }

  if (self->password == NULL || (flags & OD_SETUP_SAVE_SKIP_PASSWORD))
    {
      g_task_return_pointer (task, g_object_ref (save->account), g_object_unref);
      return;
    }

  od_secret_store_store_for_account_async (self->secrets, save->account, self->password,
                                           cancellable, store_password_cb,
                                           g_steal_pointer (&task));
}

/**
 * od_setup_save_finish:
 * @keyring_error: (out) (optional): with %OD_SETUP_SAVE_KEEP_WITHOUT_PASSWORD, why the
 *   account was saved without its password
 *
 * Returns: (transfer full): the saved account, or %NULL with @error: the account file could
 *   not be written, or (without %OD_SETUP_SAVE_KEEP_WITHOUT_PASSWORD) the keyring's error,
 *   the account being as it was before
 */
OdAccount *
od_setup_save_finish (OdSetup       *self,
                      GAsyncResult  *result,
                      GError       **keyring_error,
                      GError       **error)
{
  Save *save;

  g_return_val_if_fail (OD_IS_SETUP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  save = g_task_get_task_data (G_TASK (result));
  if (keyring_error != NULL && save->keyring_error != NULL)
    *keyring_error = g_error_copy (save->keyring_error);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
od_setup_dispose (GObject *object)
{
  OdSetup *self = (OdSetup *)object;

  g_clear_object (&self->discovery);
  g_clear_object (&self->check);
  g_clear_object (&self->incoming_check);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (od_setup_parent_class)->dispose (object);
}

static void
od_setup_finalize (GObject *object)
{
  OdSetup *self = (OdSetup *)object;

  wipe_password (self);
  od_setup_oauth_clear (self);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->unconfirmed_why, g_free);
  g_clear_pointer (&self->pin_host, g_free);
  g_clear_pointer (&self->pin, g_free);
  g_clear_pointer (&self->in_host, g_free);
  g_clear_pointer (&self->in_username, g_free);
  g_clear_pointer (&self->in_source, g_free);

  G_OBJECT_CLASS (od_setup_parent_class)->finalize (object);
}

static void
od_setup_class_init (OdSetupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = od_setup_dispose;
  object_class->finalize = od_setup_finalize;
}

static void
od_setup_init (OdSetup *self)
{
  self->port = 587;
  self->security = OD_SECURITY_STARTTLS;
}

/* ---- Public API ----------------------------------------------------------------------- */

/**
 * od_setup_new:
 * @store: where the account is saved
 * @secrets: where its password goes
 * @address: the email address
 *
 * Returns: (transfer full): a new setup
 */
OdSetup *
od_setup_new (OdAccountStore *store,
              OdSecretStore  *secrets,
              const char     *address)
{
  OdSetup *self;

  g_return_val_if_fail (OD_IS_ACCOUNT_STORE (store), NULL);
  g_return_val_if_fail (OD_IS_SECRET_STORE (secrets), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  self = g_object_new (OD_TYPE_SETUP, NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);
  self->address = g_strdup (address);
  self->username = g_strdup (address);

  return self;
}

const char *
od_setup_get_address (OdSetup *self)
{
  g_return_val_if_fail (OD_IS_SETUP (self), NULL);
  return self->address;
}

/**
 * od_setup_set_display_name:
 * @name: (nullable): the account's name; %NULL or empty keeps the name an existing account
 *   of this address has
 */
void
od_setup_set_display_name (OdSetup    *self,
                           const char *name)
{
  g_return_if_fail (OD_IS_SETUP (self));

  g_free (self->display_name);
  self->display_name = name != NULL && name[0] != '\0' ? g_strdup (name) : NULL;
}

/**
 * od_setup_set_password:
 * @password: (nullable): the password, or %NULL for a server without login
 *
 * Kept only until the setup is finalized, then wiped.
 */
void
od_setup_set_password (OdSetup    *self,
                       const char *password)
{
  g_return_if_fail (OD_IS_SETUP (self));

  wipe_password (self);
  self->password = password != NULL && password[0] != '\0' ? g_strdup (password) : NULL;
  /* A password typed after a sign-in replaces the sign-in. */
  if (self->password != NULL)
    od_setup_oauth_clear (self);
}

gboolean
od_setup_get_has_password (OdSetup *self)
{
  g_return_val_if_fail (OD_IS_SETUP (self), FALSE);
  return self->password != NULL;
}

/**
 * od_setup_set_ca_file:
 * @ca_file: (nullable): more CA certificates to trust, for the detection and the check
 */
void
od_setup_set_ca_file (OdSetup    *self,
                      const char *ca_file)
{
  g_return_if_fail (OD_IS_SETUP (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

/**
 * od_setup_set_timeout:
 * @total_ms: a time limit for the detection and for each check, or 0 for their defaults
 */
void
od_setup_set_timeout (OdSetup *self,
                      guint    total_ms)
{
  g_return_if_fail (OD_IS_SETUP (self));
  self->timeout_ms = total_ms;
}

/**
 * od_setup_create_discovery:
 *
 * Returns: (transfer full): a detection for the setup's address, with its CA file and time
 *   limit, for od_setup_discover_async()
 */
OdDiscovery *
od_setup_create_discovery (OdSetup *self)
{
  OdDiscovery *discovery;

  g_return_val_if_fail (OD_IS_SETUP (self), NULL);

  discovery = od_discovery_new (self->address);
  od_discovery_set_ca_file (discovery, self->ca_file);
  od_discovery_set_oauth (discovery, self->oauth != NULL);
  if (self->timeout_ms > 0)
    od_discovery_set_total_timeout (discovery, MIN (self->timeout_ms,
                                                    OD_DISCOVERY_DEFAULT_TOTAL_TIMEOUT_MS));

  return discovery;
}

/**
 * od_setup_get_discovery:
 *
 * Returns: (transfer none) (nullable): the last detection
 */
OdDiscovery *
od_setup_get_discovery (OdSetup *self)
{
  g_return_val_if_fail (OD_IS_SETUP (self), NULL);
  return self->discovery;
}

/* The incoming server logs in with the sending user name unless it was given one of its
 * own: a user name the person typed for sending is theirs for both. */
static void
incoming_follows_username (OdSetup    *self,
                           const char *new_username)
{
  if (!self->has_incoming || g_strcmp0 (self->in_username, self->username) != 0 ||
      g_strcmp0 (new_username, self->username) == 0)
    return;

  g_free (self->in_username);
  self->in_username = g_strdup (new_username);
  g_clear_object (&self->incoming_check);
  self->incoming_passed = FALSE;
}

/**
 * od_setup_set_server:
 * @username: (nullable): the user name, %NULL for the address
 * @source: (nullable): where the settings came from (a discovery source kind), %NULL for
 *   %OD_ACCOUNT_SOURCE_MANUAL
 *
 * The settings to verify and save: the user's own, or the ones the detection found. The
 * same host keeps its need for a confirmation (od_setup_get_unconfirmed()), or the
 * confirmation given, whatever the port; another host is the user's own.
 */
void
od_setup_set_server (OdSetup    *self,
                     const char *host,
                     guint16     port,
                     OdSecurity  security,
                     const char *username,
                     const char *source)
{
  char *new_host, *new_username, *new_source;
  gboolean same_server;

  g_return_if_fail (OD_IS_SETUP (self));
  g_return_if_fail (host != NULL);
  g_return_if_fail (port > 0);

  /* What a forged record names is the host: another port of it (a suggestion, an edit) is
   * still that host. */
  same_server = self->host != NULL && g_ascii_strcasecmp (self->host, host) == 0;

  /* Copied before the old values go: the arguments may be the setup's own strings
   * (od_setup_get_host() and the like). */
  new_host = g_strdup (host);
  new_username = g_strdup (username != NULL && username[0] != '\0' ? username : self->address);
  new_source = g_strdup (source ? source : OD_ACCOUNT_SOURCE_MANUAL);

  g_free (self->host);
  self->host = new_host;
  self->port = port;
  self->security = security;
  incoming_follows_username (self, new_username);
  g_free (self->username);
  self->username = new_username;
  g_free (self->source);
  self->source = new_source;

  /* Another host, the user's own or one just found: a confirmation was for the other. */
  if (!same_server)
    {
      g_clear_pointer (&self->unconfirmed_why, g_free);
      self->confirmed = FALSE;
    }
}

/**
 * od_setup_set_username:
 * @username: (nullable): the user name, %NULL for the address
 *
 * Changes only the user name of the settings to verify (and the incoming server's, when it
 * had the same one).
 */
void
od_setup_set_username (OdSetup    *self,
                       const char *username)
{
  char *new_username;

  g_return_if_fail (OD_IS_SETUP (self));

  new_username = g_strdup (username != NULL && username[0] != '\0' ? username : self->address);

  incoming_follows_username (self, new_username);
  g_free (self->username);
  self->username = new_username;
}

/**
 * od_setup_get_unconfirmed:
 *
 * Returns: (nullable): when the server was found only through something anyone could forge
 *   (DNS records, plain http://, another domain) and the user has not confirmed it yet, a
 *   sentence saying where it came from; %NULL when it is trusted or confirmed
 */
const char *
od_setup_get_unconfirmed (OdSetup *self)
{
  g_return_val_if_fail (OD_IS_SETUP (self), NULL);
  return self->confirmed ? NULL : self->unconfirmed_why;
}

/**
 * od_setup_require_confirmation:
 * @why: where the server came from, as od_setup_get_unconfirmed() says it
 *
 * The current server was found through something anyone could forge and the user took it
 * into settings of their own (the app's manual setup, prefilled with it): it needs the
 * confirmation all the same. Until od_setup_confirm_server(), no password goes to it.
 */
void
od_setup_require_confirmation (OdSetup    *self,
                               const char *why)
{
  g_return_if_fail (OD_IS_SETUP (self));
  g_return_if_fail (why != NULL);

  g_free (self->unconfirmed_why);
  self->unconfirmed_why = g_strdup (why);
  self->confirmed = FALSE;
}

/**
 * od_setup_confirm_server:
 *
 * The user looked at the server found and confirmed it as the provider's: the password may
 * be sent to it, and the account remembers the confirmation (confirmed-servers).
 */
void
od_setup_confirm_server (OdSetup *self)
{
  g_return_if_fail (OD_IS_SETUP (self));
  self->confirmed = self->unconfirmed_why != NULL;
}

const char *
od_setup_get_host (OdSetup *self)
{
  g_return_val_if_fail (OD_IS_SETUP (self), NULL);
  return self->host;
}

guint16
od_setup_get_port (OdSetup *self)
{
  g_return_val_if_fail (OD_IS_SETUP (self), 0);
  return self->port;
}

OdSecurity
od_setup_get_security (OdSetup *self)
{
  g_return_val_if_fail (OD_IS_SETUP (self), OD_SECURITY_STARTTLS);
  return self->security;
}

const char *
od_setup_get_username (OdSetup *self)
{
  g_return_val_if_fail (OD_IS_SETUP (self), NULL);
  return self->username;
}

const char *
od_setup_get_source (OdSetup *self)
{
  g_return_val_if_fail (OD_IS_SETUP (self), NULL);
  return self->source;
}

/**
 * od_setup_trust_certificate:
 * @fingerprint: the SHA-256 fingerprint the user checked, normalised
 *
 * Trusts a certificate for @host and @port only, after the user looked at it. The next
 * verification accepts it there; the account keeps it only if it needed the exception (it
 * failed verification) and it is the one the server showed.
 */
void
od_setup_trust_certificate (OdSetup    *self,
                            const char *host,
                            guint16     port,
                            const char *fingerprint)
{
  g_return_if_fail (OD_IS_SETUP (self));
  g_return_if_fail (host != NULL && fingerprint != NULL);

  g_free (self->pin_host);
  self->pin_host = g_strdup (host);
  self->pin_port = port;
  g_free (self->pin);
  self->pin = g_strdup (fingerprint);
}

/**
 * od_setup_create_check:
 *
 * Returns: (transfer full): the check of the setup's settings, with its password, CA file,
 *   time limit and trusted certificate, envelope only; adjust it and give it to
 *   od_setup_verify_async()
 */
OdCheck *
od_setup_create_check (OdSetup *self)
{
  OdCheck *check;

  g_return_val_if_fail (OD_IS_SETUP (self), NULL);
  g_return_val_if_fail (self->host != NULL, NULL);

  check = od_check_new (self->address, self->host, self->port, self->security);
  od_check_set_username (check, self->username);
  od_check_set_password (check, self->password);
  od_setup_oauth_set_up_check (self, check);
  od_check_set_ca_file (check, self->ca_file);
  od_check_set_unconfirmed (check, od_setup_get_unconfirmed (self));

  if (is_pinned_endpoint (self))
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

/**
 * od_setup_get_check:
 *
 * Returns: (transfer none) (nullable): the last verification
 */
OdCheck *
od_setup_get_check (OdSetup *self)
{
  g_return_val_if_fail (OD_IS_SETUP (self), NULL);
  return self->check;
}

/**
 * od_setup_get_pin_saved:
 *
 * Returns: whether the last save kept the trusted certificate with the account
 */
gboolean
od_setup_get_pin_saved (OdSetup *self)
{
  g_return_val_if_fail (OD_IS_SETUP (self), FALSE);
  return self->pin_saved;
}
