/* od-smtp-session.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-sasl-oauth.h"
#include "od-smtp-capabilities.h"
#include "od-smtp-reply.h"
#include "od-tls-client.h"
#include "od-tls-info.h"
#include "od-transcript.h"
#include "od-types.h"

G_BEGIN_DECLS

#define OD_TYPE_SMTP_SESSION (od_smtp_session_get_type ())

G_DECLARE_FINAL_TYPE (OdSmtpSession, od_smtp_session, OD, SMTP_SESSION, GObject)

OdSmtpSession            *od_smtp_session_new                (GIOStream            *stream,
                                                              OdTlsClient          *tls_client,
                                                              OdTranscript         *transcript);
void                      od_smtp_session_set_timeout        (OdSmtpSession        *self,
                                                              guint                 timeout_ms);
guint                     od_smtp_session_get_timeout        (OdSmtpSession        *self);
gboolean                  od_smtp_session_is_tls             (OdSmtpSession        *self);
OdTlsInfo                *od_smtp_session_get_tls_info       (OdSmtpSession        *self);
GTlsCertificateFlags      od_smtp_session_get_tls_errors     (OdSmtpSession        *self);
const OdSmtpCapabilities *od_smtp_session_get_capabilities   (OdSmtpSession        *self);
void                      od_smtp_session_close              (OdSmtpSession        *self);

void                      od_smtp_session_read_reply_async   (OdSmtpSession        *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
void                      od_smtp_session_command_async      (OdSmtpSession        *self,
                                                              const char           *command,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
void                      od_smtp_session_ehlo_async         (OdSmtpSession        *self,
                                                              const char           *client_name,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
void                      od_smtp_session_starttls_async     (OdSmtpSession        *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
void                      od_smtp_session_set_server         (OdSmtpSession        *self,
                                                              const char           *host,
                                                              guint16               port);
const OdSaslOAuthError   *od_smtp_session_get_oauth_error    (OdSmtpSession        *self);
void                      od_smtp_session_authenticate_async (OdSmtpSession        *self,
                                                              const char           *mechanism,
                                                              const char           *username,
                                                              const char           *password,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
void                      od_smtp_session_send_data_async    (OdSmtpSession        *self,
                                                              const char           *message,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
OdSmtpReply              *od_smtp_session_reply_finish       (OdSmtpSession        *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

char                     *od_smtp_client_name_for            (GSocketConnection    *connection);
char                     *od_smtp_normalize_data             (const char           *message);
gboolean                  od_smtp_session_supports_mechanism (const char           *mechanism);

G_END_DECLS
