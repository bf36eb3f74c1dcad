/* od-fake-pop3-server.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OD_TYPE_FAKE_POP3_SERVER (od_fake_pop3_server_get_type ())

G_DECLARE_FINAL_TYPE (OdFakePop3Server, od_fake_pop3_server, OD, FAKE_POP3_SERVER, GObject)

#define OD_FAKE_POP3_DEFAULT_GREETING "+OK fake.example.org POP3 ready"
#define OD_FAKE_POP3_DEFAULT_CAPS     "USER\nTOP\nUIDL\nRESP-CODES\nAUTH-RESP-CODE\nSTLS\n" \
                                      "IMPLEMENTATION fake-pop3"
#define OD_FAKE_POP3_DEFAULT_CAPS_TLS "USER\nTOP\nUIDL\nRESP-CODES\nAUTH-RESP-CODE\n" \
                                      "SASL PLAIN LOGIN\nIMPLEMENTATION fake-pop3"

/* Special reply value for od_fake_pop3_server_set_reply(): hang up instead of answering. */
#define OD_FAKE_POP3_REPLY_CLOSE "<close>"

OdFakePop3Server *od_fake_pop3_server_new                (void);

void              od_fake_pop3_server_set_certificate    (OdFakePop3Server  *self,
                                                          GTlsCertificate   *certificate);
void              od_fake_pop3_server_set_implicit_tls   (OdFakePop3Server  *self,
                                                          gboolean           implicit_tls);
void              od_fake_pop3_server_set_greeting       (OdFakePop3Server  *self,
                                                          const char        *greeting);
void              od_fake_pop3_server_set_capabilities   (OdFakePop3Server  *self,
                                                          const char        *before_tls,
                                                          const char        *after_tls);
void              od_fake_pop3_server_set_reply          (OdFakePop3Server  *self,
                                                          const char        *command,
                                                          const char        *reply);
void              od_fake_pop3_server_set_oauth          (OdFakePop3Server  *self,
                                                          const char        *token);
void              od_fake_pop3_server_set_credentials    (OdFakePop3Server  *self,
                                                          const char        *user,
                                                          const char        *password);
void              od_fake_pop3_server_set_mailbox        (OdFakePop3Server  *self,
                                                          guint              n_messages,
                                                          guint64            size);
void              od_fake_pop3_server_add_message        (OdFakePop3Server  *self,
                                                          const char        *header);
void              od_fake_pop3_server_set_stls_injection (OdFakePop3Server  *self,
                                                          const char        *extra);
void              od_fake_pop3_server_set_endless_capa   (OdFakePop3Server  *self,
                                                          gboolean           endless);

void              od_fake_pop3_server_set_address (OdFakePop3Server  *self,
                                                       const char        *address);
void              od_fake_pop3_server_set_port    (OdFakePop3Server  *self,
                                                       guint16            port);
gboolean          od_fake_pop3_server_start              (OdFakePop3Server  *self,
                                                          GError           **error);
guint16           od_fake_pop3_server_get_port           (OdFakePop3Server  *self);
void              od_fake_pop3_server_stop               (OdFakePop3Server  *self);
GPtrArray        *od_fake_pop3_server_get_commands       (OdFakePop3Server  *self);

G_END_DECLS
