/* od-fake-imap-server.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OD_TYPE_FAKE_IMAP_SERVER (od_fake_imap_server_get_type ())

G_DECLARE_FINAL_TYPE (OdFakeImapServer, od_fake_imap_server, OD, FAKE_IMAP_SERVER, GObject)

/**
 * OdFakeImapHostile:
 * @OD_FAKE_IMAP_HOSTILE_NONE: a normal server
 * @OD_FAKE_IMAP_HOSTILE_ENDLESS_LITERAL: answers SELECT with a FETCH whose literal announces
 *   100 GB, then sends bytes until the client hangs up
 * @OD_FAKE_IMAP_HOSTILE_ENDLESS_RESPONSES: answers SELECT with "* OK" lines that never end
 * @OD_FAKE_IMAP_HOSTILE_SLOW_LITERAL: answers SELECT with a FETCH whose 1000-byte literal
 *   never completes
 */
typedef enum
{
  OD_FAKE_IMAP_HOSTILE_NONE,
  OD_FAKE_IMAP_HOSTILE_ENDLESS_LITERAL,
  OD_FAKE_IMAP_HOSTILE_ENDLESS_RESPONSES,
  OD_FAKE_IMAP_HOSTILE_SLOW_LITERAL,
} OdFakeImapHostile;

OdFakeImapServer *od_fake_imap_server_new                    (void);

void              od_fake_imap_server_set_certificate        (OdFakeImapServer  *self,
                                                              GTlsCertificate   *certificate);
void              od_fake_imap_server_set_implicit_tls       (OdFakeImapServer  *self,
                                                              gboolean           implicit_tls);
void              od_fake_imap_server_set_greeting           (OdFakeImapServer  *self,
                                                              const char        *greeting);
void              od_fake_imap_server_set_capabilities       (OdFakeImapServer  *self,
                                                              const char        *before_tls,
                                                              const char        *after_tls);
void              od_fake_imap_server_set_oauth              (OdFakeImapServer  *self,
                                                              const char        *token);
void              od_fake_imap_server_set_credentials        (OdFakeImapServer  *self,
                                                              const char        *user,
                                                              const char        *password);
void              od_fake_imap_server_set_reply              (OdFakeImapServer  *self,
                                                              const char        *command,
                                                              const char        *reply);
void              od_fake_imap_server_set_starttls_injection (OdFakeImapServer  *self,
                                                              const char        *extra);
void              od_fake_imap_server_set_hostile            (OdFakeImapServer  *self,
                                                              OdFakeImapHostile  hostile);

void              od_fake_imap_server_set_address (OdFakeImapServer  *self,
                                                       const char        *address);
void              od_fake_imap_server_set_port    (OdFakeImapServer  *self,
                                                       guint16            port);
void              od_fake_imap_server_add_folder             (OdFakeImapServer  *self,
                                                              const char        *name,
                                                              const char        *flags);
void              od_fake_imap_server_add_message            (OdFakeImapServer  *self,
                                                              const char        *folder,
                                                              const char        *header,
                                                              gsize              len,
                                                              guint              delay_ms);
guint             od_fake_imap_server_count_messages         (OdFakeImapServer  *self,
                                                              const char        *folder);

gboolean          od_fake_imap_server_start                  (OdFakeImapServer  *self,
                                                              GError           **error);
guint16           od_fake_imap_server_get_port               (OdFakeImapServer  *self);
void              od_fake_imap_server_stop                   (OdFakeImapServer  *self);

GPtrArray        *od_fake_imap_server_dup_commands           (OdFakeImapServer  *self);
char             *od_fake_imap_server_dup_last_password      (OdFakeImapServer  *self);

G_END_DECLS
