/* od-check.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-catalog.h"
#include "od-checklist.h"
#include "od-diagnosis.h"
#include "od-smtp-capabilities.h"
#include "od-tls-info.h"
#include "od-transcript.h"
#include "od-types.h"

G_BEGIN_DECLS

#define OD_CHECK_DEFAULT_STEP_TIMEOUT_MS 30000

#define OD_TYPE_CHECK (od_check_get_type ())

G_DECLARE_FINAL_TYPE (OdCheck, od_check, OD, CHECK, GObject)

OdCheck                  *od_check_new                     (const char           *address,
                                                            const char           *host,
                                                            guint16               port,
                                                            OdSecurity            security);
void                      od_check_set_protocol            (OdCheck              *self,
                                                            OdProtocol            protocol);
OdProtocol                od_check_get_protocol            (OdCheck              *self);
gboolean                  od_check_get_mailbox             (OdCheck              *self,
                                                            guint                *n_messages);
const char               *od_check_get_address             (OdCheck              *self);
const char               *od_check_get_host                (OdCheck              *self);
guint16                   od_check_get_port                (OdCheck              *self);
OdSecurity                od_check_get_security            (OdCheck              *self);
void                      od_check_set_username            (OdCheck              *self,
                                                            const char           *username);
const char               *od_check_get_username            (OdCheck              *self);
void                      od_check_set_password            (OdCheck              *self,
                                                            const char           *password);
gboolean                  od_check_get_has_password        (OdCheck              *self);
void                      od_check_set_access_token        (OdCheck              *self,
                                                            const char           *token,
                                                            const char           *issuer,
                                                            const char           *provider);
void                      od_check_set_token_error         (OdCheck              *self,
                                                            const GError         *error,
                                                            const char           *issuer,
                                                            const char           *provider);
void                      od_check_set_token_problem       (OdCheck              *self,
                                                            const GError         *error,
                                                            OdProblemKind         kind,
                                                            OdReason              reason,
                                                            const char           *issuer,
                                                            const char           *provider);
void                      od_check_set_own_sign_in         (OdCheck              *self);
gboolean                  od_check_get_uses_token          (OdCheck              *self);
void                      od_check_set_recipient           (OdCheck              *self,
                                                            const char           *recipient);
const char               *od_check_get_recipient           (OdCheck              *self);
void                      od_check_set_send_test           (OdCheck              *self,
                                                            gboolean              send_test);
gboolean                  od_check_get_send_test           (OdCheck              *self);
gboolean                  od_check_get_message_sent        (OdCheck              *self);
void                      od_check_set_ca_file             (OdCheck              *self,
                                                            const char           *ca_file);
void                      od_check_set_pinned_fingerprints (OdCheck              *self,
                                                            const char * const   *fingerprints);
void                      od_check_set_unconfirmed         (OdCheck              *self,
                                                            const char           *why);
const char               *od_check_get_unconfirmed         (OdCheck              *self);
void                      od_check_set_step_timeout        (OdCheck              *self,
                                                            guint                 timeout_ms);
void                      od_check_set_total_timeout       (OdCheck              *self,
                                                            guint                 timeout_ms);
void                      od_check_set_other_port_pins     (OdCheck              *self,
                                                            guint16               port,
                                                            const char * const   *fingerprints);
void                      od_check_map_port_for_testing    (OdCheck              *self,
                                                            guint16               port,
                                                            guint16               real_port);
OdChecklist              *od_check_get_checklist           (OdCheck              *self);
OdTranscript             *od_check_get_transcript          (OdCheck              *self);
OdTlsInfo                *od_check_get_tls_info            (OdCheck              *self);
const OdSmtpCapabilities *od_check_get_capabilities        (OdCheck              *self);
const char               *od_check_get_auth_mechanism      (OdCheck              *self);
gint64                    od_check_get_elapsed_ms          (OdCheck              *self);

void                      od_check_run_async               (OdCheck              *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
OdStepState               od_check_run_finish              (OdCheck              *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

G_END_DECLS
