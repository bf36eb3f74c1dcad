/* od-pop3-reply.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-pop3-reply"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-pop3-reply.h"
#include "od-text.h"

/* RFC 2449 §8 does not bound a response code; real ones are a word or two. */
#define MAX_CODE_LENGTH 64

G_DEFINE_QUARK (od-pop3-error-quark, od_pop3_error)

/* A complete POP3 response (RFC 1939 §3): the status, the text after it with its response
 * code in brackets (RFC 2449 §8), and for a multi-line response its lines, dot-unstuffed and
 * without the terminating ".". Immutable once built; every text is sanitized. */
struct _OdPop3Reply
{
  gatomicrefcount   ref_count;
  OdPop3Status      status;
  char             *line;          /* the status line as it can be shown: "-ERR [AUTH] no" */
  char             *status_text;   /* after the status indicator: "[AUTH] no" */
  char             *code;          /* "AUTH", or NULL */
  const char       *text;          /* into status_text, after the code: "no" */
  char            **lines;
};

G_DEFINE_BOXED_TYPE (OdPop3Reply, od_pop3_reply, od_pop3_reply_ref, od_pop3_reply_unref)

struct _OdPop3ReplyParser
{
  GPtrArray    *lines;
  char         *status_text;
  gsize         bytes;
  guint         max_lines;
  guint         expect_multiline : 1;
  guint         in_body : 1;
};

static const char *
status_prefix (OdPop3Status status)
{
  switch (status)
    {
    case OD_POP3_STATUS_OK:
      return "+OK";
    case OD_POP3_STATUS_ERR:
      return "-ERR";
    case OD_POP3_STATUS_CONTINUATION:
    default:
      return "+";
    }
}

/* RFC 2449 §8: resp-code = "[" resp-level *("/" resp-level) "]", a resp-level being printable
 * ASCII other than brackets and spaces. Returns the length of the bracketed code at the start
 * of @text, brackets included, or 0. */
static gsize
scan_response_code (const char *text)
{
  gsize i;

  if (text[0] != '[')
    return 0;

  for (i = 1; text[i] != '\0' && text[i] != ']'; i++)
    {
      guchar c = text[i];

      if (c <= ' ' || c >= 0x7f || c == '[' || i > MAX_CODE_LENGTH)
        return 0;
    }

  if (text[i] != ']' || i == 1 || text[1] == '/' || text[i - 1] == '/')
    return 0;

  return i + 1;
}

/**
 * od_pop3_reply_new:
 * @status: the status indicator
 * @text: (nullable): what follows it on the status line, response code included
 * @lines: (nullable): the lines of a multi-line response, dot-unstuffed
 *
 * Every text is stored sanitized: invalid UTF-8 is repaired and control characters other
 * than tabs become "?".
 *
 * Returns: (transfer full): a new reply
 */
OdPop3Reply *
od_pop3_reply_new (OdPop3Status        status,
                   const char         *text,
                   const char * const *lines)
{
  OdPop3Reply *reply;
  gsize code_len;
  guint n = lines ? g_strv_length ((char **)lines) : 0;

  g_return_val_if_fail (status <= OD_POP3_STATUS_CONTINUATION, NULL);

  reply = g_new0 (OdPop3Reply, 1);
  g_atomic_ref_count_init (&reply->ref_count);
  reply->status = status;
  reply->status_text = od_text_sanitize (text ? text : "", -1, OD_TEXT_KEEP_TAB);
  reply->line = reply->status_text[0] != '\0' ?
                g_strconcat (status_prefix (status), " ", reply->status_text, NULL) :
                g_strdup (status_prefix (status));

  reply->lines = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    reply->lines[i] = od_text_sanitize (lines[i], -1, OD_TEXT_KEEP_TAB);

  /* Response codes belong to the status line of an answer, never to a challenge. */
  code_len = status != OD_POP3_STATUS_CONTINUATION ? scan_response_code (reply->status_text) : 0;
  reply->text = reply->status_text + code_len;
  if (code_len > 0)
    {
      reply->code = g_strndup (reply->status_text + 1, code_len - 2);
      while (*reply->text == ' ' || *reply->text == '\t')
        reply->text++;
    }

  return reply;
}

OdPop3Reply *
od_pop3_reply_ref (OdPop3Reply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);

  g_atomic_ref_count_inc (&reply->ref_count);
  return reply;
}

void
od_pop3_reply_unref (OdPop3Reply *reply)
{
  g_return_if_fail (reply != NULL);

  if (g_atomic_ref_count_dec (&reply->ref_count))
    {
      g_free (reply->line);
      g_free (reply->status_text);
      g_free (reply->code);
      g_strfreev (reply->lines);
      g_free (reply);
    }
}

OdPop3Status
od_pop3_reply_get_status (const OdPop3Reply *reply)
{
  g_return_val_if_fail (reply != NULL, OD_POP3_STATUS_ERR);
  return reply->status;
}

gboolean
od_pop3_reply_is_ok (const OdPop3Reply *reply)
{
  g_return_val_if_fail (reply != NULL, FALSE);
  return reply->status == OD_POP3_STATUS_OK;
}

/**
 * od_pop3_reply_get_line:
 *
 * Returns: the status line as the server sent it (sanitized), such as "-ERR [AUTH] Bad"
 */
const char *
od_pop3_reply_get_line (const OdPop3Reply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);
  return reply->line;
}

/**
 * od_pop3_reply_get_response_code:
 *
 * Returns: (nullable): the response code without brackets, such as "SYS/TEMP", or %NULL
 */
const char *
od_pop3_reply_get_response_code (const OdPop3Reply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);
  return reply->code;
}

/**
 * od_pop3_reply_get_status_text:
 *
 * Returns: everything after the status indicator, response code included; for a
 *   continuation, the base64 challenge
 */
const char *
od_pop3_reply_get_status_text (const OdPop3Reply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);
  return reply->status_text;
}

/**
 * od_pop3_reply_get_text:
 *
 * Returns: the server's words: the status line after the status and the response code
 */
const char *
od_pop3_reply_get_text (const OdPop3Reply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);
  return reply->text;
}

/**
 * od_pop3_reply_get_lines:
 *
 * Returns: (array zero-terminated=1): the lines of a multi-line response, dot-unstuffed,
 *   without the final "."; empty for a single-line response
 */
const char * const *
od_pop3_reply_get_lines (const OdPop3Reply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);
  return (const char * const *)reply->lines;
}

/**
 * od_pop3_reply_to_string:
 *
 * Returns: (transfer full): the response as the server sent it, lines separated by "\n";
 *   a multi-line response with its dots stuffed again and its final "."
 */
char *
od_pop3_reply_to_string (const OdPop3Reply *reply)
{
  GString *str;

  g_return_val_if_fail (reply != NULL, NULL);

  str = g_string_new (reply->line);
  if (reply->status != OD_POP3_STATUS_OK || reply->lines[0] == NULL)
    return g_string_free (str, FALSE);

  for (guint i = 0; reply->lines[i] != NULL; i++)
    g_string_append_printf (str, "\n%s%s", reply->lines[i][0] == '.' ? "." : "",
                            reply->lines[i]);
  g_string_append (str, "\n.");

  return g_string_free (str, FALSE);
}

/**
 * od_pop3_reply_get_error_code:
 *
 * Returns: the error code a "-ERR" with this response code stands for (RFC 2449 §8,
 *   RFC 3206); %OD_POP3_ERROR_REFUSED without one we know
 */
OdPop3Error
od_pop3_reply_get_error_code (const OdPop3Reply *reply)
{
  static const struct {
    const char  *code;
    OdPop3Error  error;
  } known[] = {
    { "AUTH", OD_POP3_ERROR_AUTH },
    { "SYS/TEMP", OD_POP3_ERROR_SYS_TEMP },
    { "SYS/PERM", OD_POP3_ERROR_SYS_PERM },
    { "IN-USE", OD_POP3_ERROR_IN_USE },
    { "LOGIN-DELAY", OD_POP3_ERROR_LOGIN_DELAY },
  };

  g_return_val_if_fail (reply != NULL, OD_POP3_ERROR_REFUSED);

  if (reply->code == NULL)
    return OD_POP3_ERROR_REFUSED;

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    {
      if (g_ascii_strcasecmp (reply->code, known[i].code) == 0)
        return known[i].error;
    }

  /* RFC 2449 §8: a client that does not know a code treats it as its first level. */
  if (g_ascii_strncasecmp (reply->code, "SYS/", 4) == 0)
    return OD_POP3_ERROR_REFUSED;
  if (g_ascii_strncasecmp (reply->code, "AUTH/", 5) == 0)
    return OD_POP3_ERROR_AUTH;

  return OD_POP3_ERROR_REFUSED;
}

OdPop3ReplyParser *
od_pop3_reply_parser_new (void)
{
  OdPop3ReplyParser *parser = g_new0 (OdPop3ReplyParser, 1);

  parser->lines = g_ptr_array_new_with_free_func (g_free);
  parser->max_lines = OD_POP3_DEFAULT_MAX_LINES;
  return parser;
}

void
od_pop3_reply_parser_free (OdPop3ReplyParser *parser)
{
  if (parser == NULL)
    return;

  g_ptr_array_unref (parser->lines);
  g_free (parser->status_text);
  g_free (parser);
}

/**
 * od_pop3_reply_parser_reset:
 *
 * Forgets a response in progress, and that the next one would be multi-line.
 */
void
od_pop3_reply_parser_reset (OdPop3ReplyParser *parser)
{
  g_return_if_fail (parser != NULL);

  g_ptr_array_set_size (parser->lines, 0);
  g_clear_pointer (&parser->status_text, g_free);
  parser->bytes = 0;
  parser->in_body = FALSE;
  parser->expect_multiline = FALSE;
}

/**
 * od_pop3_reply_parser_expect_multiline:
 * @multiline: whether a "+OK" to the command just sent starts a multi-line response
 *
 * Holds for the next response only.
 */
void
od_pop3_reply_parser_expect_multiline (OdPop3ReplyParser *parser,
                                       gboolean           multiline)
{
  g_return_if_fail (parser != NULL);
  g_return_if_fail (!parser->in_body);

  parser->expect_multiline = !!multiline;
}

/**
 * od_pop3_reply_parser_set_max_lines:
 * @max_lines: the most lines a multi-line response may have
 */
void
od_pop3_reply_parser_set_max_lines (OdPop3ReplyParser *parser,
                                    guint              max_lines)
{
  g_return_if_fail (parser != NULL);
  g_return_if_fail (max_lines > 0);

  parser->max_lines = max_lines;
}

/**
 * od_pop3_reply_parser_in_multiline:
 *
 * Returns: %TRUE while the lines of a multi-line response are being fed
 */
gboolean
od_pop3_reply_parser_in_multiline (OdPop3ReplyParser *parser)
{
  g_return_val_if_fail (parser != NULL, FALSE);
  return parser->in_body;
}

static gboolean
fail (OdPop3ReplyParser  *parser,
      GError            **error,
      OdPop3Error         code,
      const char         *message)
{
  od_pop3_reply_parser_reset (parser);
  g_set_error_literal (error, OD_POP3_ERROR, code, message);
  return FALSE;
}

static gboolean
has_status (const char *line,
            gsize       len,
            const char *status)
{
  gsize n = strlen (status);

  return len >= n && g_ascii_strncasecmp (line, status, n) == 0 &&
         (len == n || line[n] == ' ' || line[n] == '\t');
}

/* One line of a multi-line response: the terminator, or a line to keep. */
static gboolean
feed_body_line (OdPop3ReplyParser  *parser,
                const char         *line,
                gsize               len,
                OdPop3Reply       **reply,
                GError            **error)
{
  if (len == 1 && line[0] == '.')
    {
      g_ptr_array_add (parser->lines, NULL);
      if (reply != NULL)
        *reply = od_pop3_reply_new (OD_POP3_STATUS_OK, parser->status_text,
                                    (const char * const *)parser->lines->pdata);
      od_pop3_reply_parser_reset (parser);
      return TRUE;
    }

  parser->bytes += len + 2;
  if (parser->lines->len >= parser->max_lines || parser->bytes > OD_POP3_MAX_RESPONSE_BYTES)
    {
      g_autofree char *message =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "The response has more than %u line or never ends",
                                      "The response has more than %u lines or never ends",
                                      parser->max_lines),
                         parser->max_lines);

      return fail (parser, error, OD_POP3_ERROR_TOO_MANY_LINES, message);
    }

  /* RFC 1939 §3: a line that starts with "." has had another one put in front. */
  if (line[0] == '.')
    {
      line++;
      len--;
    }

  g_ptr_array_add (parser->lines, od_text_sanitize (line, len, OD_TEXT_KEEP_TAB));
  return TRUE;
}

/**
 * od_pop3_reply_parser_feed_line:
 * @line: one line as received, without CR LF (need not be nul-terminated)
 * @len: length of @line
 * @reply: (out) (transfer full) (optional): the response, once complete
 *
 * Feeds one line. When it completes a response, @reply is set and the parser is ready for
 * the next one; otherwise @reply is set to %NULL.
 *
 * Returns: %FALSE with @error set (and the parser reset) if the line is too long, holds a
 *   NUL byte, is not a status line where one is due, or the response grows too long
 */
gboolean
od_pop3_reply_parser_feed_line (OdPop3ReplyParser  *parser,
                                const char         *line,
                                gsize               len,
                                OdPop3Reply       **reply,
                                GError            **error)
{
  g_autofree char *text = NULL;
  OdPop3Status status;

  g_return_val_if_fail (parser != NULL, FALSE);
  g_return_val_if_fail (line != NULL || len == 0, FALSE);

  if (reply != NULL)
    *reply = NULL;

  /* Tolerate a stray CR left by a server that ends lines with CR CR LF. */
  while (len > 0 && line[len - 1] == '\r')
    len--;

  if (len > OD_POP3_MAX_LINE_LENGTH)
    {
      g_autofree char *size = g_format_size (OD_POP3_MAX_LINE_LENGTH);
      g_autofree char *message = NULL;

      /* Translators: %s is a size such as "8.2 kB" */
      message = g_strdup_printf (_("A response line is longer than %s"), size);
      return fail (parser, error, OD_POP3_ERROR_LINE_TOO_LONG, message);
    }

  if (len > 0 && memchr (line, '\0', len) != NULL)
    return fail (parser, error, OD_POP3_ERROR_MALFORMED_RESPONSE,
                 _("The server sent a NUL byte, which POP3 does not allow"));

  if (parser->in_body)
    return feed_body_line (parser, line, len, reply, error);

  if (has_status (line, len, "+OK"))
    status = OD_POP3_STATUS_OK;
  else if (has_status (line, len, "-ERR"))
    status = OD_POP3_STATUS_ERR;
  else if (has_status (line, len, "+"))
    status = OD_POP3_STATUS_CONTINUATION;
  else
    {
      /* The line itself is not quoted: it could hold part of an echoed password. */
      return fail (parser, error, OD_POP3_ERROR_MALFORMED_RESPONSE,
                   _("Not a POP3 response: the line starts with neither “+OK” nor “-ERR”"));
    }

  {
    gsize skip = strlen (status_prefix (status));

    if (skip < len)
      skip++;
    text = g_strndup (line + skip, len - skip);
  }

  if (status == OD_POP3_STATUS_OK && parser->expect_multiline)
    {
      g_free (parser->status_text);
      parser->status_text = g_steal_pointer (&text);
      parser->in_body = TRUE;
      return TRUE;
    }

  if (reply != NULL)
    *reply = od_pop3_reply_new (status, text, NULL);
  od_pop3_reply_parser_reset (parser);

  return TRUE;
}

/**
 * od_pop3_reply_parse:
 * @data: bytes as received from a server
 * @len: length of @data
 * @multiline: whether a "+OK" starts a multi-line response
 * @consumed: (out) (optional): how many bytes of @data the response used
 *
 * Parses the first complete response in @data (lines end with LF, optionally after CR).
 *
 * Returns: (transfer full) (nullable): the response, or %NULL with @error set when @data is
 *   not a valid response, or %NULL without error when @data ends before it is complete
 */
OdPop3Reply *
od_pop3_reply_parse (const char  *data,
                     gsize        len,
                     gboolean     multiline,
                     gsize       *consumed,
                     GError     **error)
{
  g_autoptr(OdPop3ReplyParser) parser = od_pop3_reply_parser_new ();
  gsize pos = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (consumed != NULL)
    *consumed = 0;

  od_pop3_reply_parser_expect_multiline (parser, multiline);

  while (pos < len)
    {
      const char *nl = memchr (data + pos, '\n', len - pos);
      OdPop3Reply *reply = NULL;
      gsize line_len;

      if (nl == NULL)
        {
          /* An unfinished line already too long fails now, not when more arrives. */
          if (len - pos > OD_POP3_MAX_LINE_LENGTH)
            od_pop3_reply_parser_feed_line (parser, data + pos, len - pos, NULL, error);
          return NULL;
        }

      line_len = nl - (data + pos);
      if (!od_pop3_reply_parser_feed_line (parser, data + pos, line_len, &reply, error))
        return NULL;

      pos += line_len + 1;

      if (reply != NULL)
        {
          if (consumed != NULL)
            *consumed = pos;
          return reply;
        }
    }

  return NULL;
}
