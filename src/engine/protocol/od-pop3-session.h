/* od-pop3-session.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-pop3-capabilities.h"
#include "od-pop3-reply.h"
#include "od-tls-client.h"
#include "od-tls-info.h"
#include "od-sasl-oauth.h"
#include "od-transcript.h"

G_BEGIN_DECLS

#define OD_TYPE_POP3_SESSION (od_pop3_session_get_type ())

G_DECLARE_FINAL_TYPE (OdPop3Session, od_pop3_session, OD, POP3_SESSION, GObject)

OdPop3Session            *od_pop3_session_new                (GIOStream            *stream,
                                                              OdTlsClient          *tls_client,
                                                              OdTranscript         *transcript);
void                      od_pop3_session_set_timeout        (OdPop3Session        *self,
                                                              guint                 timeout_ms);
guint                     od_pop3_session_get_timeout        (OdPop3Session        *self);
void                      od_pop3_session_set_allow_plaintext_password
                                                             (OdPop3Session        *self,
                                                              gboolean              allow);
gboolean                  od_pop3_session_is_tls             (OdPop3Session        *self);
OdTlsInfo                *od_pop3_session_get_tls_info       (OdPop3Session        *self);
GTlsCertificateFlags      od_pop3_session_get_tls_errors     (OdPop3Session        *self);
const OdPop3Capabilities *od_pop3_session_get_capabilities   (OdPop3Session        *self);
OdPop3Reply              *od_pop3_session_get_last_reply     (OdPop3Session        *self);
void                      od_pop3_session_close              (OdPop3Session        *self);

void                      od_pop3_session_read_greeting_async (OdPop3Session       *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
void                      od_pop3_session_command_async      (OdPop3Session        *self,
                                                              const char           *command,
                                                              gboolean              multiline,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
void                      od_pop3_session_capa_async         (OdPop3Session        *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
void                      od_pop3_session_stls_async         (OdPop3Session        *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
void            od_pop3_session_set_server      (OdPop3Session        *self,
                                                 const char           *host,
                                                 guint16               port);
const OdSaslOAuthError *od_pop3_session_get_oauth_error (OdPop3Session *self);
void                      od_pop3_session_login_async        (OdPop3Session        *self,
                                                              const char           *mechanism,
                                                              const char           *username,
                                                              const char           *password,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
void                      od_pop3_session_quit_async         (OdPop3Session        *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
OdPop3Reply              *od_pop3_session_reply_finish       (OdPop3Session        *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);

void                      od_pop3_session_stat_async         (OdPop3Session        *self,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean                  od_pop3_session_stat_finish        (OdPop3Session        *self,
                                                              GAsyncResult         *result,
                                                              guint                *n_messages,
                                                              guint64              *size,
                                                              GError              **error);

gboolean                  od_pop3_session_supports_mechanism (const char           *mechanism);

G_END_DECLS
