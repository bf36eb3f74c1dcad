/* od-imap-session.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-imap-capabilities.h"
#include "od-imap-response.h"
#include "od-tls-client.h"
#include "od-sasl-oauth.h"
#include "od-tls-info.h"
#include "od-transcript.h"

G_BEGIN_DECLS

/**
 * OdImapLogin:
 * @OD_IMAP_LOGIN_PLAIN: AUTHENTICATE PLAIN (RFC 4616), with SASL-IR when offered
 * @OD_IMAP_LOGIN_LOGIN: AUTHENTICATE LOGIN
 * @OD_IMAP_LOGIN_COMMAND: the LOGIN command
 * @OD_IMAP_LOGIN_XOAUTH2: AUTHENTICATE XOAUTH2 with an access token instead of a password
 * @OD_IMAP_LOGIN_OAUTHBEARER: AUTHENTICATE OAUTHBEARER (RFC 7628), the same
 */
typedef enum
{
  OD_IMAP_LOGIN_PLAIN,
  OD_IMAP_LOGIN_LOGIN,
  OD_IMAP_LOGIN_COMMAND,
  OD_IMAP_LOGIN_XOAUTH2,
  OD_IMAP_LOGIN_OAUTHBEARER,
} OdImapLogin;

/**
 * OdImapMailbox:
 * @name: the mailbox name as the server sent it (modified UTF-7)
 * @delimiter: the hierarchy delimiter, or '\0' for none
 * @flags: the name attributes, such as "\\HasNoChildren" or "\\Junk" (RFC 6154)
 *
 * One "* LIST" response.
 */
typedef struct
{
  char   *name;
  char    delimiter;
  char  **flags;
} OdImapMailbox;

void           od_imap_mailbox_free     (OdImapMailbox        *mailbox);
OdImapMailbox *od_imap_mailbox_parse    (const OdImapResponse *response);
gboolean       od_imap_mailbox_has_flag (const OdImapMailbox  *mailbox,
                                         const char           *flag);
char          *od_imap_quote_string     (const char           *text,
                                         GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdImapMailbox, od_imap_mailbox_free)

#define OD_TYPE_IMAP_SESSION (od_imap_session_get_type ())

G_DECLARE_FINAL_TYPE (OdImapSession, od_imap_session, OD, IMAP_SESSION, GObject)

OdImapSession            *od_imap_session_new                   (GIOStream            *stream,
                                                                 OdTlsClient          *tls_client,
                                                                 OdTranscript         *transcript);
void                      od_imap_session_set_timeout           (OdImapSession        *self,
                                                                 guint                 timeout_ms);
guint                     od_imap_session_get_timeout           (OdImapSession        *self);
gboolean                  od_imap_session_is_tls                (OdImapSession        *self);
gboolean                  od_imap_session_is_authenticated      (OdImapSession        *self);
OdTlsInfo                *od_imap_session_get_tls_info          (OdImapSession        *self);
GTlsCertificateFlags      od_imap_session_get_tls_errors        (OdImapSession        *self);
const OdImapCapabilities *od_imap_session_get_capabilities      (OdImapSession        *self);
OdImapResponse           *od_imap_session_get_last_response     (OdImapSession        *self);
guint                     od_imap_session_get_exists            (OdImapSession        *self);
gboolean                  od_imap_session_get_quota             (OdImapSession        *self,
                                                                 OdImapQuota          *quota);
void                      od_imap_session_close                 (OdImapSession        *self);

void                      od_imap_session_read_greeting_async   (OdImapSession        *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
void                      od_imap_session_command_async         (OdImapSession        *self,
                                                                 const char           *command,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
void                      od_imap_session_capability_async      (OdImapSession        *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
void                      od_imap_session_starttls_async        (OdImapSession        *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
void            od_imap_session_set_server      (OdImapSession        *self,
                                                 const char           *host,
                                                 guint16               port);
const OdSaslOAuthError *od_imap_session_get_oauth_error (OdImapSession *self);
void                      od_imap_session_login_async           (OdImapSession        *self,
                                                                 OdImapLogin           method,
                                                                 const char           *username,
                                                                 const char           *password,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
void                      od_imap_session_select_async          (OdImapSession        *self,
                                                                 const char           *mailbox,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
void                      od_imap_session_get_quota_root_async  (OdImapSession        *self,
                                                                 const char           *mailbox,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
void                      od_imap_session_logout_async          (OdImapSession        *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
OdImapResponse           *od_imap_session_finish                (OdImapSession        *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

void                      od_imap_session_list_async            (OdImapSession        *self,
                                                                 gboolean              special_use,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
GPtrArray                *od_imap_session_list_finish           (OdImapSession        *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                      od_imap_session_uid_search_async      (OdImapSession        *self,
                                                                 const char           *criteria,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
GArray                   *od_imap_session_uid_search_finish     (OdImapSession        *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                      od_imap_session_uid_fetch_header_async (OdImapSession       *self,
                                                                 guint32               uid,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
GBytes                   *od_imap_session_uid_fetch_header_finish (OdImapSession      *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                      od_imap_session_idle_async            (OdImapSession        *self,
                                                                 guint                 wait_ms,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);

GPtrArray                *od_imap_login_arguments               (const char           *username,
                                                                 const char           *password,
                                                                 gboolean              literal_plus,
                                                                 gboolean              literal_minus,
                                                                 GError              **error);

G_END_DECLS
