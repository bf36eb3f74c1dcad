/* od-setup-controller.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-setup.h"

G_BEGIN_DECLS

/**
 * OdSetupState:
 * @OD_SETUP_STATE_EDITING: the user types or reviews; nothing runs
 * @OD_SETUP_STATE_DISCOVERING: the server is being looked for
 * @OD_SETUP_STATE_CHECKING: the settings are being checked
 * @OD_SETUP_STATE_CHECKED: the check has a verdict (or was stopped)
 * @OD_SETUP_STATE_SAVING: the account and its password are being saved
 * @OD_SETUP_STATE_SAVED: the account is saved
 */
typedef enum
{
  OD_SETUP_STATE_EDITING,
  OD_SETUP_STATE_DISCOVERING,
  OD_SETUP_STATE_CHECKING,
  OD_SETUP_STATE_CHECKED,
  OD_SETUP_STATE_SAVING,
  OD_SETUP_STATE_SAVED,
} OdSetupState;

typedef void (*OdDiscoveryHook) (OdDiscovery *discovery,
                                 gpointer     user_data);

#define OD_TYPE_SETUP_CONTROLLER (od_setup_controller_get_type ())

G_DECLARE_FINAL_TYPE (OdSetupController, od_setup_controller, OD, SETUP_CONTROLLER, GObject)

OdSetupController *od_setup_controller_new               (OdAccountStore    *store,
                                                          OdSecretStore     *secrets);
void               od_setup_controller_set_ca_file       (OdSetupController *self,
                                                          const char        *ca_file);
void               od_setup_controller_set_step_timeout  (OdSetupController *self,
                                                          guint              timeout_ms);
void               od_setup_controller_set_discovery_hook (OdSetupController *self,
                                                          OdDiscoveryHook    hook,
                                                          gpointer           user_data);
OdSetupState       od_setup_controller_get_state         (OdSetupController *self);
gboolean           od_setup_controller_get_busy          (OdSetupController *self);

void               od_setup_controller_begin             (OdSetupController *self,
                                                          const char        *name,
                                                          const char        *address,
                                                          const char        *password);
void               od_setup_controller_set_password      (OdSetupController *self,
                                                          const char        *password);
void               od_setup_controller_end               (OdSetupController *self);
OdSetup           *od_setup_controller_get_setup         (OdSetupController *self);

void               od_setup_controller_discover          (OdSetupController *self);
OdDiscovery       *od_setup_controller_get_discovery     (OdSetupController *self);

void               od_setup_controller_check             (OdSetupController *self,
                                                          gboolean           send_test);
OdCheck           *od_setup_controller_get_check         (OdSetupController *self);
OdStepState        od_setup_controller_get_verdict       (OdSetupController *self);
gboolean           od_setup_controller_get_finished      (OdSetupController *self);
void               od_setup_controller_trust_certificate (OdSetupController *self,
                                                          const char        *host,
                                                          guint16            port,
                                                          const char        *fingerprint);
void               od_setup_controller_confirm_server    (OdSetupController *self);

void               od_setup_controller_save              (OdSetupController *self,
                                                          gboolean           without_password);
void               od_setup_controller_cancel            (OdSetupController *self);

G_END_DECLS
