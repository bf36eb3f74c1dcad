/* od-pop3-session-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-deadline.h"
#include "od-pop3-session.h"
#include "od-sasl-oauth.h"

G_BEGIN_DECLS

/* RFC 5034 §4: an AUTH command with its initial response fits in 255 octets. */
#define MAX_AUTH_LINE         255

/* One POP3 conversation over a GIOStream, the counterpart of OdSmtpSession. Every operation
 * is asynchronous, has its own deadline and can be cancelled; only one runs at a time.
 * Everything sent and received goes into the transcript, with credentials redacted. A
 * "-ERR" ends an operation with an OD_POP3_ERROR whose code comes from the response code
 * (RFC 2449, RFC 3206) and whose message quotes the server. */
struct _OdPop3Session
{
  GObject               parent_instance;

  /* Owned */
  GIOStream            *stream;        /* the plain connection, then the TLS connection */
  GIOStream            *base_stream;   /* the plain connection */
  OdTlsClient          *tls_client;    /* STLS; shared with the connector */
  OdTranscript         *transcript;
  OdPop3ReplyParser    *parser;
  GByteArray           *inbuf;
  OdPop3Capabilities   *capabilities;
  OdPop3Reply          *last_reply;    /* redacted */
  guint8               *readbuf;
  char                 *server_host;   /* OAUTHBEARER's host and port */
  guint16               server_port;
  OdSaslOAuthError     *oauth_error;   /* the last login's error challenge */

  guint                 timeout_ms;
  guint                 tls : 1;
  guint                 busy : 1;
  guint                 allow_plaintext : 1;
};

typedef enum
{
  OP_GREETING,
  OP_COMMAND,
  OP_CAPA,
  OP_STLS,
  OP_AUTH,
  OP_USER,
  OP_STAT,
} OpKind;

typedef struct _Op Op;
typedef void (*ReplyHandler) (GTask *task, OdPop3Reply *reply);

struct _Op
{
  OpKind         kind;
  OdDeadline    *deadline;         /* its cancellable: the caller's, or the clock */
  GCancellable  *cancellable;      /* the deadline's */
  ReplyHandler   on_reply;
  guint          stage;
  gboolean       finished;

  OdPop3Reply   *shown;            /* the last reply, redacted: what the caller gets */

  char          *mechanism;
  char          *username;
  char          *password;

  guint          n_messages;       /* STAT */
  guint64        size;
};

/* od-pop3-session.c: the operations' machinery, shared with od-pop3-session-login.c. */
GTask *od_pop3_op_new          (OdPop3Session       *self,
                                OpKind               kind,
                                ReplyHandler         on_reply,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
void   od_pop3_op_send_line    (GTask               *task,
                                const char          *line,
                                const char          *shown,
                                gboolean             multiline);
void   od_pop3_op_expect_ok_cb (GTask               *task,
                                OdPop3Reply         *reply);
void   od_pop3_op_return_error (GTask               *task,
                                GError              *error);

G_END_DECLS
