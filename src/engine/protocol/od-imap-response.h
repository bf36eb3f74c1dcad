/* od-imap-response.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Bounds for what a server may send us. RFC 9051 sets no line limit; real servers stay far
 * below these, and a hostile one cannot make us allocate without limit. */
#define OD_IMAP_MAX_LINE_LENGTH     8192               /* one line, between literals */
#define OD_IMAP_MAX_LITERAL_SIZE    (1024 * 1024)      /* one literal {n} */
#define OD_IMAP_MAX_LITERALS        64                 /* literals in one response */
#define OD_IMAP_MAX_RESPONSE_SIZE   (4 * 1024 * 1024)  /* one response, literals included */
#define OD_IMAP_MAX_RESPONSES       1000               /* untagged responses before a tagged
                                                        * one or a continuation */

#define OD_IMAP_ERROR (od_imap_error_quark ())

/**
 * OdImapError:
 *
 * The first group are failures of the conversation itself; the second are the server's own
 * refusals (a tagged NO or BAD, a BYE), named after the response code (RFC 5530) where it
 * gave one. Those errors' messages are the server's words: status, response code and text.
 */
typedef enum
{
  OD_IMAP_ERROR_MALFORMED_RESPONSE,     /* not an IMAP response */
  OD_IMAP_ERROR_LINE_TOO_LONG,          /* a line longer than OD_IMAP_MAX_LINE_LENGTH */
  OD_IMAP_ERROR_LITERAL_TOO_LARGE,      /* a literal, or all of a response, beyond the bounds */
  OD_IMAP_ERROR_TOO_MANY_RESPONSES,     /* responses that never end in a completion */
  OD_IMAP_ERROR_CONNECTION_CLOSED,      /* the server hung up */
  OD_IMAP_ERROR_STARTTLS_INJECTION,     /* bytes arrived after the OK to STARTTLS */
  OD_IMAP_ERROR_BAD_INPUT,              /* our own input (a password with NUL, …) is unusable */
  OD_IMAP_ERROR_LOGIN_DISABLED,         /* LOGINDISABLED: no password login on this connection */
  OD_IMAP_ERROR_PREAUTH,                /* PREAUTH greeting: STARTTLS is impossible */
  OD_IMAP_ERROR_NOT_OFFERED,            /* STARTTLS or the mechanism is not offered */

  OD_IMAP_ERROR_NO,                     /* a tagged NO without a code we know */
  OD_IMAP_ERROR_BAD,                    /* a tagged BAD: the server did not understand us */
  OD_IMAP_ERROR_BYE,                    /* the server said BYE (at greeting or later) */
  OD_IMAP_ERROR_AUTHENTICATION_FAILED,  /* [AUTHENTICATIONFAILED] */
  OD_IMAP_ERROR_AUTHORIZATION_FAILED,   /* [AUTHORIZATIONFAILED] */
  OD_IMAP_ERROR_UNAVAILABLE,            /* [UNAVAILABLE]: try again later */
  OD_IMAP_ERROR_EXPIRED,                /* [EXPIRED]: the password has expired */
  OD_IMAP_ERROR_PRIVACY_REQUIRED,       /* [PRIVACYREQUIRED]: encryption first */
  OD_IMAP_ERROR_CONTACT_ADMIN,          /* [CONTACTADMIN] */
  OD_IMAP_ERROR_OVER_QUOTA,             /* [OVERQUOTA] or [LIMIT] */
  OD_IMAP_ERROR_NONEXISTENT,            /* [NONEXISTENT]: no such mailbox */
} OdImapError;

GQuark od_imap_error_quark (void);

typedef enum
{
  OD_IMAP_RESPONSE_UNTAGGED,      /* "* …" */
  OD_IMAP_RESPONSE_TAGGED,        /* "A1 OK …": the completion of a command */
  OD_IMAP_RESPONSE_CONTINUATION,  /* "+ …": the server waits for more */
} OdImapResponseKind;

typedef enum
{
  OD_IMAP_STATUS_NONE,     /* server data such as "* CAPABILITY …" or "* 3 EXISTS" */
  OD_IMAP_STATUS_OK,
  OD_IMAP_STATUS_NO,
  OD_IMAP_STATUS_BAD,
  OD_IMAP_STATUS_BYE,
  OD_IMAP_STATUS_PREAUTH,
} OdImapStatus;

typedef struct _OdImapResponse OdImapResponse;

#define OD_TYPE_IMAP_RESPONSE (od_imap_response_get_type ())

GType               od_imap_response_get_type      (void) G_GNUC_CONST;
OdImapResponse     *od_imap_response_ref           (OdImapResponse       *response);
void                od_imap_response_unref         (OdImapResponse       *response);
OdImapResponseKind  od_imap_response_get_kind      (const OdImapResponse *response);
const char         *od_imap_response_get_tag       (const OdImapResponse *response);
OdImapStatus        od_imap_response_get_status    (const OdImapResponse *response);
gboolean            od_imap_response_get_number    (const OdImapResponse *response,
                                                    guint32              *number);
const char         *od_imap_response_get_keyword   (const OdImapResponse *response);
const char         *od_imap_response_get_code      (const OdImapResponse *response);
const char         *od_imap_response_get_code_args (const OdImapResponse *response);
const char         *od_imap_response_get_text      (const OdImapResponse *response);
const char         *od_imap_response_get_data      (const OdImapResponse *response);
const char         *od_imap_response_get_line      (const OdImapResponse *response);
guint               od_imap_response_get_n_literals (const OdImapResponse *response);
GBytes             *od_imap_response_get_literal   (const OdImapResponse *response,
                                                    guint                 index);
gboolean            od_imap_response_has_code      (const OdImapResponse *response,
                                                    const char           *code);
char               *od_imap_response_describe      (const OdImapResponse *response);
OdImapError         od_imap_response_error_code    (const OdImapResponse *response);

typedef char *(*OdImapTextFunc) (const char *text,
                                 gpointer    user_data);

OdImapResponse     *od_imap_response_map_text      (const OdImapResponse *response,
                                                    OdImapTextFunc        func,
                                                    gpointer              user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdImapResponse, od_imap_response_unref)

/* Incremental parser: feed it bytes as they arrive. */
typedef struct _OdImapResponseParser OdImapResponseParser;

OdImapResponseParser *od_imap_response_parser_new     (void);
void                  od_imap_response_parser_free    (OdImapResponseParser  *parser);
void                  od_imap_response_parser_reset   (OdImapResponseParser  *parser);
gboolean              od_imap_response_parser_is_idle (OdImapResponseParser  *parser);
gboolean              od_imap_response_parser_feed    (OdImapResponseParser  *parser,
                                                       const char            *data,
                                                       gsize                  len,
                                                       gsize                 *consumed,
                                                       OdImapResponse       **response,
                                                       GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdImapResponseParser, od_imap_response_parser_free)

OdImapResponse       *od_imap_response_parse          (const char            *data,
                                                       gsize                  len,
                                                       gsize                 *consumed,
                                                       GError               **error);

/* What GETQUOTAROOT told of a quota root (RFC 9208); the sizes of STORAGE are in KiB. */
typedef struct
{
  guint64   storage_used;
  guint64   storage_limit;
  guint64   messages_used;
  guint64   messages_limit;
  guint     has_storage : 1;
  guint     has_messages : 1;
} OdImapQuota;

gboolean              od_imap_quota_parse             (const OdImapResponse  *response,
                                                       OdImapQuota           *quota);

G_END_DECLS
