/* od-smtp-reply.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-types.h"

G_BEGIN_DECLS

/* Bounds for what a server may send us. RFC 5321 allows 512 octets per reply line; we are
 * lenient but not unbounded, so a hostile server cannot make us allocate without limit. */
#define OD_SMTP_MAX_LINE_LENGTH   4096
#define OD_SMTP_MAX_REPLY_LINES   128

#define OD_SMTP_ERROR (od_smtp_error_quark ())

typedef enum
{
  OD_SMTP_ERROR_MALFORMED_REPLY,     /* not an SMTP reply line */
  OD_SMTP_ERROR_LINE_TOO_LONG,       /* a line longer than OD_SMTP_MAX_LINE_LENGTH */
  OD_SMTP_ERROR_TOO_MANY_LINES,      /* a multiline reply longer than OD_SMTP_MAX_REPLY_LINES */
  OD_SMTP_ERROR_CONNECTION_CLOSED,   /* the server hung up */
  OD_SMTP_ERROR_STARTTLS_INJECTION,  /* bytes arrived after the 220 to STARTTLS */
  OD_SMTP_ERROR_TLS_OUTDATED,        /* TLS older than 1.2 was negotiated */
  OD_SMTP_ERROR_BAD_INPUT,           /* our own input (address, command) is unusable */
} OdSmtpError;

GQuark od_smtp_error_quark (void);

#define OD_TYPE_SMTP_REPLY (od_smtp_reply_get_type ())

GType               od_smtp_reply_get_type          (void) G_GNUC_CONST;
OdSmtpReply        *od_smtp_reply_new               (guint               code,
                                                     const char * const *lines);
OdSmtpReply        *od_smtp_reply_ref               (OdSmtpReply        *reply);
void                od_smtp_reply_unref             (OdSmtpReply        *reply);
guint               od_smtp_reply_get_code          (const OdSmtpReply  *reply);
const char         *od_smtp_reply_get_enhanced_code (const OdSmtpReply  *reply);
const char * const *od_smtp_reply_get_lines         (const OdSmtpReply  *reply);
char               *od_smtp_reply_get_text          (const OdSmtpReply  *reply);
gsize               od_smtp_reply_get_text_offset   (const OdSmtpReply  *reply,
                                                     guint               index);
char               *od_smtp_reply_to_string         (const OdSmtpReply  *reply);
gboolean            od_smtp_reply_is_positive       (const OdSmtpReply  *reply);
gboolean            od_smtp_reply_is_transient      (const OdSmtpReply  *reply);
gboolean            od_smtp_reply_is_permanent      (const OdSmtpReply  *reply);
gboolean            od_smtp_reply_has_text          (const OdSmtpReply  *reply,
                                                     const char         *needle);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdSmtpReply, od_smtp_reply_unref)

/* Incremental parser: feed it one line at a time (without the line ending). */
typedef struct _OdSmtpReplyParser OdSmtpReplyParser;

OdSmtpReplyParser *od_smtp_reply_parser_new       (void);
void               od_smtp_reply_parser_free      (OdSmtpReplyParser  *parser);
void               od_smtp_reply_parser_reset     (OdSmtpReplyParser  *parser);
gboolean           od_smtp_reply_parser_feed_line (OdSmtpReplyParser  *parser,
                                                   const char         *line,
                                                   gsize               len,
                                                   OdSmtpReply       **reply,
                                                   GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdSmtpReplyParser, od_smtp_reply_parser_free)

OdSmtpReply       *od_smtp_reply_parse            (const char         *data,
                                                   gsize               len,
                                                   gsize              *consumed,
                                                   GError            **error);

G_END_DECLS
