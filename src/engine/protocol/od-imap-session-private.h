/* od-imap-session-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-deadline.h"
#include "od-imap-session.h"

G_BEGIN_DECLS

/* What od-imap-session.c (the conversation) shares with od-imap-session-login.c (logging
 * in): the session, its operations, and how they send and end. */
struct _OdImapSession
{
  GObject               parent_instance;

  /* Owned */
  GIOStream            *stream;          /* the plain connection, then the TLS connection */
  GIOStream            *base_stream;     /* the plain connection */
  OdTlsClient          *tls_client;      /* STARTTLS; shared with the connector */
  OdTranscript         *transcript;
  OdImapResponseParser *parser;
  GByteArray           *inbuf;
  guint8               *readbuf;
  OdImapCapabilities   *capabilities;
  OdImapResponse       *last_response;   /* redacted */
  GTask                *waiting_send;    /* a command waiting for DONE's write to end */
  char                 *server_host;     /* OAUTHBEARER's host and port */
  guint16               server_port;
  OdSaslOAuthError     *oauth_error;     /* the last login's error challenge */

  OdImapQuota           quota;
  guint                 exists;
  guint                 next_tag;
  guint                 timeout_ms;
  guint                 tls : 1;
  guint                 busy : 1;
  guint                 authenticated : 1;
  guint                 has_quota : 1;
  guint                 bye : 1;
  guint                 writing_only : 1; /* DONE is being written */
};

typedef enum
{
  OP_GREETING,
  OP_COMMAND,
  OP_STARTTLS,
  OP_LOGIN,
  OP_LOGOUT,
} OpKind;

typedef struct _Op Op;
typedef void (*ResponseHandler) (GTask *task, OdImapResponse *response);

struct _Op
{
  OpKind           kind;
  OdDeadline      *deadline;         /* its cancellable: the caller's, or the clock */
  GCancellable    *cancellable;      /* the deadline's */
  char            *tag;
  ResponseHandler  on_ok;            /* the tagged OK; NULL: the operation is done */
  ResponseHandler  on_continuation;  /* "+"; NULL: a protocol error */
  ResponseHandler  on_untagged;      /* server data during the command; NULL: none wanted */
  GPtrArray       *untagged;         /* OdImapResponse (raw) collected for the caller, or
                                      * NULL */
  char            *collect;          /* the keyword of the data to collect ("SEARCH", …) */
  GSource         *idle_timer;       /* IDLE: the source that sends DONE at the end */
  guint            idle_ms;          /* IDLE: how long to wait for news */
  gboolean         idling;           /* IDLE: the server accepted it */
  gboolean         done_sent;        /* IDLE: DONE is on its way */
  GPtrArray       *pending;          /* what to send after each "+" (wiped when freed) */
  guint            stage;
  gboolean         finished;
  OdImapLogin      method;
  char            *username;
  char            *password;
};

GTask *od_imap_op_new              (OdImapSession        *self,
                                   OpKind                kind,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
void   od_imap_op_refuse           (GTask                *task,
                                   OdImapError           code,
                                   const char           *message);
void   od_imap_op_return_error     (GTask                *task,
                                   GError               *error);
void   od_imap_op_return_response  (GTask                *task,
                                   OdImapResponse       *shown);
void   od_imap_op_send_text        (GTask                *task,
                                   const char           *text,
                                   const char           *shown);
void   od_imap_op_send_line        (GTask                *task,
                                   const char           *line,
                                   const char           *shown);
void   od_imap_op_send_command     (GTask                *task,
                                   const char           *command,
                                   const char           *shown);
void   od_imap_wipe_and_free       (gpointer              data);
GError *od_imap_protocol_error     (const char           *message);
void    od_imap_op_read            (GTask                *task);
void    od_imap_op_write_only      (GTask                *task,
                                   const char           *line);

G_END_DECLS
