/* od-account.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "od-types.h"

G_BEGIN_DECLS

/* The protocol attribute of the keyring item that holds the outgoing password. */
#define OD_ACCOUNT_PROTOCOL_SMTP "smtp"
#define OD_ACCOUNT_PROTOCOL_OAUTH2 "oauth2"  /* the keyring item of a refresh token */

/* Where the settings came from: the discovery source kinds of the contract
 * ("provider-db", "autoconfig", "well-known", "srv", "mx", "guess") or this one. */
#define OD_ACCOUNT_SOURCE_MANUAL "manual"

/* The auth-mechanism of an account whose server needs no login: no password is looked up. */
#define OD_ACCOUNT_AUTH_NONE "none"

#define OD_TYPE_ACCOUNT (od_account_get_type ())

G_DECLARE_FINAL_TYPE (OdAccount, od_account, OD, ACCOUNT, GObject)

OdAccount          *od_account_new                       (const char          *id,
                                                          const char          *address);
OdAccount          *od_account_copy                      (OdAccount           *self);
const char         *od_account_get_id                    (OdAccount           *self);
const char         *od_account_get_display_name          (OdAccount           *self);
void                od_account_set_display_name          (OdAccount           *self,
                                                          const char          *display_name);
const char         *od_account_get_address               (OdAccount           *self);
void                od_account_set_address               (OdAccount           *self,
                                                          const char          *address);

/* Outgoing (SMTP) server */
const char         *od_account_get_host                  (OdAccount           *self);
void                od_account_set_host                  (OdAccount           *self,
                                                          const char          *host);
guint16             od_account_get_port                  (OdAccount           *self);
void                od_account_set_port                  (OdAccount           *self,
                                                          guint16              port);
OdSecurity          od_account_get_security              (OdAccount           *self);
void                od_account_set_security              (OdAccount           *self,
                                                          OdSecurity           security);
const char         *od_account_get_username              (OdAccount           *self);
void                od_account_set_username              (OdAccount           *self,
                                                          const char          *username);
const char         *od_account_get_auth_mechanism        (OdAccount           *self);
void                od_account_set_auth_mechanism        (OdAccount           *self,
                                                          const char          *mechanism);
void                od_account_set_oauth                 (OdAccount           *self,
                                                          const char          *provider,
                                                          const char          *client_id,
                                                          const char          *client_secret);
const char         *od_account_get_oauth_provider        (OdAccount           *self);
const char         *od_account_get_oauth_client_id       (OdAccount           *self);
const char         *od_account_get_oauth_client_secret   (OdAccount           *self);
const char         *od_account_get_settings_source       (OdAccount           *self);
void                od_account_set_settings_source       (OdAccount           *self,
                                                          const char          *source);

/* Incoming server, when discovery found one; all NULL/0 otherwise. */
const char         *od_account_get_incoming_protocol     (OdAccount           *self);
const char         *od_account_get_incoming_host         (OdAccount           *self);
guint16             od_account_get_incoming_port         (OdAccount           *self);
OdSecurity          od_account_get_incoming_security     (OdAccount           *self);
const char         *od_account_get_incoming_username     (OdAccount           *self);
void                od_account_set_incoming              (OdAccount           *self,
                                                          const char          *protocol,
                                                          const char          *host,
                                                          guint16              port,
                                                          OdSecurity           security,
                                                          const char          *username);

/* Certificates the user chose to trust, per host and port */
gboolean            od_account_add_pinned_fingerprint    (OdAccount           *self,
                                                          const char          *host,
                                                          guint16              port,
                                                          const char          *fingerprint);
char              **od_account_dup_pinned_fingerprints   (OdAccount           *self,
                                                          const char          *host,
                                                          guint16              port);
void                od_account_clear_pinned_fingerprints (OdAccount           *self,
                                                          const char          *host,
                                                          guint16              port);
char              **od_account_list_pinned_endpoints     (OdAccount           *self);

/* Servers found through forgeable records that the user confirmed, per host and port */
void                od_account_add_confirmed_server      (OdAccount           *self,
                                                          const char          *host,
                                                          guint16              port);
gboolean            od_account_get_server_confirmed      (OdAccount           *self,
                                                          const char          *host,
                                                          guint16              port);
const char * const *od_account_get_confirmed_servers     (OdAccount           *self);

/* The last check */
const char         *od_account_get_last_verdict          (OdAccount           *self);
const char         *od_account_get_last_problem          (OdAccount           *self);
GDateTime          *od_account_get_last_check_time       (OdAccount           *self);
gboolean            od_account_get_last_check_sent       (OdAccount           *self);
void                od_account_set_last_check            (OdAccount           *self,
                                                          const char          *verdict,
                                                          const char          *problem_id,
                                                          GDateTime           *time,
                                                          gboolean             sent_message);

JsonNode           *od_account_to_json                   (OdAccount           *self);

char               *od_account_make_id                   (const char          *address,
                                                          const char * const  *taken);
char               *od_fingerprint_normalize             (const char          *fingerprint);
char               *od_account_format_endpoint           (const char          *host,
                                                          guint16              port);
gboolean            od_account_parse_endpoint            (const char          *endpoint,
                                                          char               **host,
                                                          guint16             *port);

G_END_DECLS
