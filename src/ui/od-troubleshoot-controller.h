/* od-troubleshoot-controller.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-account-store.h"
#include "od-found-account.h"
#include "od-found-fix.h"
#include "od-check.h"
#include "od-secret-store.h"

G_BEGIN_DECLS

/**
 * OdTroubleshootState:
 * @OD_TROUBLESHOOT_STATE_IDLE: no account under test
 * @OD_TROUBLESHOOT_STATE_LOOKING_UP: the password is being read from the keyring
 * @OD_TROUBLESHOOT_STATE_NEEDS_PASSWORD: the keyring had none: the user is asked
 * @OD_TROUBLESHOOT_STATE_CHECKING: the check runs
 * @OD_TROUBLESHOOT_STATE_CHECKED: the check has a verdict (or was stopped)
 * @OD_TROUBLESHOOT_STATE_STORING: a password the server accepted goes to the keyring
 */
typedef enum
{
  OD_TROUBLESHOOT_STATE_IDLE,
  OD_TROUBLESHOOT_STATE_LOOKING_UP,
  OD_TROUBLESHOOT_STATE_NEEDS_PASSWORD,
  OD_TROUBLESHOOT_STATE_CHECKING,
  OD_TROUBLESHOOT_STATE_CHECKED,
  OD_TROUBLESHOOT_STATE_STORING,
} OdTroubleshootState;

#define OD_TYPE_TROUBLESHOOT_CONTROLLER (od_troubleshoot_controller_get_type ())

G_DECLARE_FINAL_TYPE (OdTroubleshootController, od_troubleshoot_controller, OD,
                      TROUBLESHOOT_CONTROLLER, GObject)

OdTroubleshootController *od_troubleshoot_controller_new              (OdAccountStore           *store,
                                                                       OdSecretStore            *secrets);
void                      od_troubleshoot_controller_set_ca_file      (OdTroubleshootController *self,
                                                                       const char               *ca_file);
void                      od_troubleshoot_controller_set_step_timeout (OdTroubleshootController *self,
                                                                       guint                     timeout_ms);
OdTroubleshootState       od_troubleshoot_controller_get_state        (OdTroubleshootController *self);
gboolean                  od_troubleshoot_controller_get_busy         (OdTroubleshootController *self);
OdAccount                *od_troubleshoot_controller_get_account      (OdTroubleshootController *self);
OdCheck                  *od_troubleshoot_controller_get_check        (OdTroubleshootController *self);
OdStepState               od_troubleshoot_controller_get_verdict      (OdTroubleshootController *self);
gboolean                  od_troubleshoot_controller_get_finished     (OdTroubleshootController *self);
gboolean                  od_troubleshoot_controller_get_recorded     (OdTroubleshootController *self);
const char               *od_troubleshoot_controller_get_host         (OdTroubleshootController *self);
guint16                   od_troubleshoot_controller_get_port         (OdTroubleshootController *self);

void                      od_troubleshoot_controller_start            (OdTroubleshootController *self,
                                                                       OdAccount                *account);
void                      od_troubleshoot_controller_start_incoming   (OdTroubleshootController *self,
                                                                       OdAccount                *account);
gboolean                  od_troubleshoot_controller_get_incoming     (OdTroubleshootController *self);
void                      od_troubleshoot_controller_start_found      (OdTroubleshootController *self,
                                                                       OdFoundAccount           *found);
OdFoundAccount           *od_troubleshoot_controller_get_found        (OdTroubleshootController *self);
gboolean                  od_troubleshoot_controller_found_fix_trusts_pin (OdTroubleshootController *self);
gboolean                  od_troubleshoot_controller_get_found_fix    (OdTroubleshootController *self,
                                                                       OdFoundFix               *fix);
void                      od_troubleshoot_controller_fix_found_async  (OdTroubleshootController *self,
                                                                       GCancellable             *cancellable,
                                                                       GAsyncReadyCallback       callback,
                                                                       gpointer                  user_data);
gboolean                  od_troubleshoot_controller_fix_found_finish (OdTroubleshootController *self,
                                                                       GAsyncResult             *result,
                                                                       char                    **backup,
                                                                       GError                  **error);
void                      od_troubleshoot_controller_start_edit       (OdTroubleshootController *self,
                                                                       OdAccount                *account,
                                                                       OdAccount                *changes,
                                                                       const char               *password);
void                      od_troubleshoot_controller_set_password     (OdTroubleshootController *self,
                                                                       const char               *password);
void                      od_troubleshoot_controller_set_round_trip   (OdTroubleshootController *self,
                                                                       gboolean                  round_trip,
                                                                       gboolean                  delete_after);
void                      od_troubleshoot_controller_check            (OdTroubleshootController *self,
                                                                       gboolean                  send_test);
void                      od_troubleshoot_controller_use_port         (OdTroubleshootController *self,
                                                                       guint16                   port,
                                                                       OdSecurity                security);
void                      od_troubleshoot_controller_trust_certificate (OdTroubleshootController *self,
                                                                       const char               *host,
                                                                       guint16                   port,
                                                                       const char               *fingerprint);
void                      od_troubleshoot_controller_confirm_server   (OdTroubleshootController *self);
void                      od_troubleshoot_controller_cancel           (OdTroubleshootController *self);
void                      od_troubleshoot_controller_stop             (OdTroubleshootController *self);

G_END_DECLS
