/* od-setup.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-account-store.h"
#include "od-check.h"
#include "od-discovery.h"
#include "od-oauth.h"
#include "od-secret-store.h"

G_BEGIN_DECLS

/* Setting up an account, the same for the app and the command line:
 *
 *   setup = od_setup_new (store, secrets, address);
 *   od_setup_set_password (setup, password);
 *   od_setup_discover_async ()          (or od_setup_set_server () with the user's settings)
 *   od_setup_confirm_server ()          only if od_setup_get_unconfirmed () says the server
 *                                       found needs it, and the user agreed
 *   od_setup_verify_async ()            a real login and the envelope (or a test message),
 *                                       again after od_setup_trust_certificate () or a change
 *   od_setup_verify_incoming_async ()   when od_setup_get_has_incoming (): the incoming
 *                                       server's login and mailbox; the front end saves
 *                                       only when it did not fail, unless the person chose
 *                                       to save without incoming mail
 *   od_setup_save_async ()              the account first, then the password in the keyring
 *
 * The front ends only show what it reports. */

/**
 * OdSetupSaveFlags:
 * @OD_SETUP_SAVE_DEFAULT: the account, then the password; when the keyring cannot take the
 *   password, the account is put back as it was and the keyring's error is returned
 * @OD_SETUP_SAVE_KEEP_WITHOUT_PASSWORD: when the keyring cannot take the password, the
 *   account stays saved without it (od_setup_save_finish() still reports why)
 * @OD_SETUP_SAVE_SKIP_PASSWORD: the user chose to save without the password: the keyring is
 *   not asked
 *
 * Either way no password is ever left in the keyring without its account: the account is
 * written first, and only then its password.
 */
typedef enum
{
  OD_SETUP_SAVE_DEFAULT               = 0,
  OD_SETUP_SAVE_KEEP_WITHOUT_PASSWORD = 1 << 0,
  OD_SETUP_SAVE_SKIP_PASSWORD         = 1 << 1,
} OdSetupSaveFlags;

#define OD_TYPE_SETUP (od_setup_get_type ())

G_DECLARE_FINAL_TYPE (OdSetup, od_setup, OD, SETUP, GObject)

OdSetup     *od_setup_new                  (OdAccountStore       *store,
                                            OdSecretStore        *secrets,
                                            const char           *address);
const char  *od_setup_get_address          (OdSetup              *self);
void         od_setup_set_display_name     (OdSetup              *self,
                                            const char           *name);
void         od_setup_set_password         (OdSetup              *self,
                                            const char           *password);
gboolean     od_setup_get_has_password     (OdSetup              *self);
void         od_setup_set_oauth            (OdSetup               *self,
                                            const OdOAuthProvider *provider,
                                            gboolean               own_client_id,
                                            const OdOAuthTokens   *tokens);
const char  *od_setup_get_oauth_provider   (OdSetup              *self);
void         od_setup_set_ca_file          (OdSetup              *self,
                                            const char           *ca_file);
void         od_setup_set_timeout          (OdSetup              *self,
                                            guint                 total_ms);

OdDiscovery *od_setup_create_discovery     (OdSetup              *self);
void         od_setup_discover_async       (OdSetup              *self,
                                            OdDiscovery          *discovery,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
OdCandidate *od_setup_discover_finish      (OdSetup              *self,
                                            GAsyncResult         *result,
                                            GError              **error);
OdDiscovery *od_setup_get_discovery        (OdSetup              *self);

void         od_setup_set_server           (OdSetup              *self,
                                            const char           *host,
                                            guint16               port,
                                            OdSecurity            security,
                                            const char           *username,
                                            const char           *source);
const char  *od_setup_get_host             (OdSetup              *self);
guint16      od_setup_get_port             (OdSetup              *self);
OdSecurity   od_setup_get_security         (OdSetup              *self);
const char  *od_setup_get_username         (OdSetup              *self);
const char  *od_setup_get_source           (OdSetup              *self);
void         od_setup_set_username         (OdSetup              *self,
                                            const char           *username);
const char  *od_setup_get_unconfirmed      (OdSetup              *self);
void         od_setup_require_confirmation (OdSetup              *self,
                                            const char           *why);
void         od_setup_confirm_server       (OdSetup              *self);
void         od_setup_trust_certificate    (OdSetup              *self,
                                            const char           *host,
                                            guint16               port,
                                            const char           *fingerprint);

OdCheck     *od_setup_create_check         (OdSetup              *self);
void         od_setup_verify_async         (OdSetup              *self,
                                            OdCheck              *check,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
OdStepState  od_setup_verify_finish        (OdSetup              *self,
                                            GAsyncResult         *result,
                                            GError              **error);
OdCheck     *od_setup_get_check            (OdSetup              *self);

void         od_setup_save_async           (OdSetup              *self,
                                            OdSetupSaveFlags      flags,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
OdAccount   *od_setup_save_finish          (OdSetup              *self,
                                            GAsyncResult         *result,
                                            GError              **keyring_error,
                                            GError              **error);
gboolean     od_setup_get_pin_saved        (OdSetup              *self);

void         od_setup_set_incoming         (OdSetup              *self,
                                            OdProtocol            protocol,
                                            const char           *host,
                                            guint16               port,
                                            OdSecurity            security,
                                            const char           *username,
                                            const char           *source);
void         od_setup_clear_incoming       (OdSetup              *self);
gboolean     od_setup_get_has_incoming     (OdSetup              *self);
gboolean     od_setup_get_incoming         (OdSetup              *self,
                                            OdProtocol           *protocol,
                                            const char          **host,
                                            guint16              *port,
                                            OdSecurity           *security,
                                            const char          **username,
                                            const char          **source);
OdCheck     *od_setup_create_incoming_check (OdSetup             *self);
void         od_setup_verify_incoming_async (OdSetup             *self,
                                            OdCheck              *check,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
OdStepState  od_setup_verify_incoming_finish (OdSetup            *self,
                                            GAsyncResult         *result,
                                            GError              **error);
OdCheck     *od_setup_get_incoming_check   (OdSetup              *self);
gboolean     od_setup_get_incoming_verified (OdSetup             *self);
gboolean     od_setup_get_incoming_saved   (OdSetup              *self);

G_END_DECLS
