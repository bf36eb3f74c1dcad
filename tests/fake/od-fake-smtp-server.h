/* od-fake-smtp-server.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OD_TYPE_FAKE_SMTP_SERVER (od_fake_smtp_server_get_type ())

G_DECLARE_FINAL_TYPE (OdFakeSmtpServer, od_fake_smtp_server, OD, FAKE_SMTP_SERVER, GObject)

/* The name the server gives itself in its greeting, EHLO reply and CRAM-MD5 challenge. */
#define OD_FAKE_SMTP_SERVER_HOSTNAME "fake.example.org"

/* Special reply values for od_fake_smtp_server_set_reply(). */
#define OD_FAKE_SMTP_REPLY_CLOSE  "<close>"
#define OD_FAKE_SMTP_REPLY_SILENT "<silent>"

/**
 * OdFakeSmtpHostile:
 * @OD_FAKE_SMTP_HOSTILE_NONE: a normal server
 * @OD_FAKE_SMTP_HOSTILE_ENDLESS_REPLY: answers EHLO with "250-" lines that never end
 * @OD_FAKE_SMTP_HOSTILE_LONG_LINE: greets with a 1 MiB line without CRLF, then says nothing
 * @OD_FAKE_SMTP_HOSTILE_BINARY: greets with 64 KiB of random bytes, then says nothing
 * @OD_FAKE_SMTP_HOSTILE_BLACKHOLE: accepts the connection, then never reads or writes
 * @OD_FAKE_SMTP_HOSTILE_STALL_HANDSHAKE: every TLS handshake (implicit or after STARTTLS)
 *   reads the ClientHello, sends the first bytes of a ServerHello record and stalls
 *
 * Ways a hostile or broken server can try to make a client hang, crash or eat memory.
 */
typedef enum
{
  OD_FAKE_SMTP_HOSTILE_NONE,
  OD_FAKE_SMTP_HOSTILE_ENDLESS_REPLY,
  OD_FAKE_SMTP_HOSTILE_LONG_LINE,
  OD_FAKE_SMTP_HOSTILE_BINARY,
  OD_FAKE_SMTP_HOSTILE_BLACKHOLE,
  OD_FAKE_SMTP_HOSTILE_STALL_HANDSHAKE,
} OdFakeSmtpHostile;

OdFakeSmtpServer *od_fake_smtp_server_new                    (void);

void              od_fake_smtp_server_set_address            (OdFakeSmtpServer  *self,
                                                              const char        *address);
void              od_fake_smtp_server_set_port               (OdFakeSmtpServer  *self,
                                                              guint16            port);
void              od_fake_smtp_server_set_certificate        (OdFakeSmtpServer  *self,
                                                              GTlsCertificate   *certificate);
void              od_fake_smtp_server_set_implicit_tls       (OdFakeSmtpServer  *self,
                                                              gboolean           implicit_tls);
void              od_fake_smtp_server_set_greeting           (OdFakeSmtpServer  *self,
                                                              const char        *reply);
void              od_fake_smtp_server_set_greeting_delay_ms  (OdFakeSmtpServer  *self,
                                                              guint              delay_ms);
void              od_fake_smtp_server_set_capabilities       (OdFakeSmtpServer  *self,
                                                              const char        *before_tls,
                                                              const char        *after_tls);
void              od_fake_smtp_server_set_reply              (OdFakeSmtpServer  *self,
                                                              const char        *command,
                                                              const char        *reply);
void              od_fake_smtp_server_set_credentials        (OdFakeSmtpServer  *self,
                                                              const char        *user,
                                                              const char        *password);
void              od_fake_smtp_server_set_starttls_injection (OdFakeSmtpServer  *self,
                                                              const char        *extra);
void              od_fake_smtp_server_set_oauth            (OdFakeSmtpServer *self,
                                                            const char       *token,
                                                            const char       *error_json,
                                                            const char       *final_reply);
void              od_fake_smtp_server_set_require_auth       (OdFakeSmtpServer  *self,
                                                              gboolean           require_auth);

void              od_fake_smtp_server_set_hostile            (OdFakeSmtpServer  *self,
                                                              OdFakeSmtpHostile  hostile);
void              od_fake_smtp_server_set_drip               (OdFakeSmtpServer  *self,
                                                              guint              interval_ms,
                                                              gboolean           greeting_too);
void              od_fake_smtp_server_set_starttls_connections (OdFakeSmtpServer *self,
                                                              guint              n_connections);

gboolean          od_fake_smtp_server_start                  (OdFakeSmtpServer  *self,
                                                              GError           **error);
guint16           od_fake_smtp_server_get_port               (OdFakeSmtpServer  *self);
void              od_fake_smtp_server_stop                   (OdFakeSmtpServer  *self);

GPtrArray        *od_fake_smtp_server_get_commands           (OdFakeSmtpServer  *self);
const char       *od_fake_smtp_server_get_last_message       (OdFakeSmtpServer  *self);
guint             od_fake_smtp_server_get_n_connections      (OdFakeSmtpServer  *self);
guint             od_fake_smtp_server_get_n_messages         (OdFakeSmtpServer  *self);
guint64           od_fake_smtp_server_get_bytes_sent         (OdFakeSmtpServer  *self);

G_END_DECLS
