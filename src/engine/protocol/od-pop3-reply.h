/* od-pop3-reply.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Bounds for what a POP3 server may send us. RFC 2449 §4 allows 512 octets per response
 * line; lines of a multi-line response carry message text (up to 998 octets in RFC 5322).
 * We are lenient but never unbounded. */
#define OD_POP3_MAX_LINE_LENGTH       8192
#define OD_POP3_DEFAULT_MAX_LINES     1024
#define OD_POP3_MAX_RESPONSE_BYTES    (1024 * 1024)

#define OD_POP3_ERROR (od_pop3_error_quark ())

/**
 * OdPop3Error:
 * @OD_POP3_ERROR_MALFORMED_RESPONSE: not a POP3 response (or a NUL byte in it)
 * @OD_POP3_ERROR_LINE_TOO_LONG: a line longer than %OD_POP3_MAX_LINE_LENGTH
 * @OD_POP3_ERROR_TOO_MANY_LINES: a multi-line response that is too long or never ends
 * @OD_POP3_ERROR_CONNECTION_CLOSED: the server hung up
 * @OD_POP3_ERROR_STLS_INJECTION: bytes arrived after the +OK to STLS, before TLS began
 * @OD_POP3_ERROR_BAD_INPUT: our own input (user name, password, command) is unusable
 * @OD_POP3_ERROR_PLAINTEXT_REFUSED: a password would have gone out without encryption
 * @OD_POP3_ERROR_REFUSED: -ERR without a response code we know
 * @OD_POP3_ERROR_AUTH: -ERR [AUTH]: the credentials are wrong (RFC 3206)
 * @OD_POP3_ERROR_SYS_TEMP: -ERR [SYS/TEMP]: a temporary problem on the server (RFC 3206)
 * @OD_POP3_ERROR_SYS_PERM: -ERR [SYS/PERM]: a permanent problem on the server (RFC 3206)
 * @OD_POP3_ERROR_IN_USE: -ERR [IN-USE]: the mailbox is locked by another session (RFC 2449)
 * @OD_POP3_ERROR_LOGIN_DELAY: -ERR [LOGIN-DELAY]: logged in too recently (RFC 2449)
 *
 * The codes from %OD_POP3_ERROR_REFUSED on are the server's own "-ERR"; the error message
 * quotes the server's line (redacted) and od_pop3_session_get_last_reply() has it whole.
 */
typedef enum
{
  OD_POP3_ERROR_MALFORMED_RESPONSE,
  OD_POP3_ERROR_LINE_TOO_LONG,
  OD_POP3_ERROR_TOO_MANY_LINES,
  OD_POP3_ERROR_CONNECTION_CLOSED,
  OD_POP3_ERROR_STLS_INJECTION,
  OD_POP3_ERROR_BAD_INPUT,
  OD_POP3_ERROR_PLAINTEXT_REFUSED,
  OD_POP3_ERROR_REFUSED,
  OD_POP3_ERROR_AUTH,
  OD_POP3_ERROR_SYS_TEMP,
  OD_POP3_ERROR_SYS_PERM,
  OD_POP3_ERROR_IN_USE,
  OD_POP3_ERROR_LOGIN_DELAY,
} OdPop3Error;

GQuark od_pop3_error_quark (void);

/**
 * OdPop3Status:
 * @OD_POP3_STATUS_OK: "+OK"
 * @OD_POP3_STATUS_ERR: "-ERR"
 * @OD_POP3_STATUS_CONTINUATION: "+ " and a base64 challenge, during AUTH (RFC 5034)
 */
typedef enum
{
  OD_POP3_STATUS_OK,
  OD_POP3_STATUS_ERR,
  OD_POP3_STATUS_CONTINUATION,
} OdPop3Status;

typedef struct _OdPop3Reply OdPop3Reply;

#define OD_TYPE_POP3_REPLY (od_pop3_reply_get_type ())

GType               od_pop3_reply_get_type          (void) G_GNUC_CONST;
OdPop3Reply        *od_pop3_reply_new               (OdPop3Status        status,
                                                     const char         *text,
                                                     const char * const *lines);
OdPop3Reply        *od_pop3_reply_ref               (OdPop3Reply        *reply);
void                od_pop3_reply_unref             (OdPop3Reply        *reply);
OdPop3Status        od_pop3_reply_get_status        (const OdPop3Reply  *reply);
gboolean            od_pop3_reply_is_ok             (const OdPop3Reply  *reply);
const char         *od_pop3_reply_get_line          (const OdPop3Reply  *reply);
const char         *od_pop3_reply_get_response_code (const OdPop3Reply  *reply);
const char         *od_pop3_reply_get_status_text   (const OdPop3Reply  *reply);
const char         *od_pop3_reply_get_text          (const OdPop3Reply  *reply);
const char * const *od_pop3_reply_get_lines         (const OdPop3Reply  *reply);
char               *od_pop3_reply_to_string         (const OdPop3Reply  *reply);
OdPop3Error         od_pop3_reply_get_error_code    (const OdPop3Reply  *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdPop3Reply, od_pop3_reply_unref)

/* Incremental parser: feed it one line at a time (without the line ending). Whether a +OK
 * starts a multi-line response depends on the command (RFC 1939 §3): say so before its
 * status line with od_pop3_reply_parser_expect_multiline(). */
typedef struct _OdPop3ReplyParser OdPop3ReplyParser;

OdPop3ReplyParser *od_pop3_reply_parser_new                (void);
void               od_pop3_reply_parser_free               (OdPop3ReplyParser  *parser);
void               od_pop3_reply_parser_reset              (OdPop3ReplyParser  *parser);
void               od_pop3_reply_parser_expect_multiline   (OdPop3ReplyParser  *parser,
                                                            gboolean            multiline);
void               od_pop3_reply_parser_set_max_lines      (OdPop3ReplyParser  *parser,
                                                            guint               max_lines);
gboolean           od_pop3_reply_parser_in_multiline       (OdPop3ReplyParser  *parser);
gboolean           od_pop3_reply_parser_feed_line          (OdPop3ReplyParser  *parser,
                                                            const char         *line,
                                                            gsize               len,
                                                            OdPop3Reply       **reply,
                                                            GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdPop3ReplyParser, od_pop3_reply_parser_free)

OdPop3Reply       *od_pop3_reply_parse                     (const char         *data,
                                                            gsize               len,
                                                            gboolean            multiline,
                                                            gsize              *consumed,
                                                            GError            **error);

G_END_DECLS
