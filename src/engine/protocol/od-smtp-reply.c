/* od-smtp-reply.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-smtp-reply"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-smtp-reply.h"
#include "od-text.h"

G_DEFINE_QUARK (od-smtp-error-quark, od_smtp_error)

/* A complete SMTP reply (RFC 5321 §4.2): one code shared by every line, the text of each
 * line without the code and separator, and the enhanced status code (RFC 3463) if the
 * first line carries one. Immutable once built. */
struct _OdSmtpReply
{
  gatomicrefcount   ref_count;
  guint             code;
  char             *enhanced;
  char            **lines;
};

G_DEFINE_BOXED_TYPE (OdSmtpReply, od_smtp_reply, od_smtp_reply_ref, od_smtp_reply_unref)

struct _OdSmtpReplyParser
{
  guint      code;
  GPtrArray *lines;
};

static gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

/* Returns the length of an enhanced status code at the start of @text, or 0. */
static gsize
scan_enhanced_code (const char *text)
{
  const char *p = text;
  guint part;

  if (*p != '2' && *p != '4' && *p != '5')
    return 0;
  p++;

  for (part = 0; part < 2; part++)
    {
      guint n = 0;

      if (*p != '.')
        return 0;
      p++;
      while (is_digit (*p) && n < 3)
        {
          p++;
          n++;
        }
      if (n == 0)
        return 0;
    }

  if (*p != '\0' && *p != ' ' && *p != '\t')
    return 0;

  return p - text;
}

/* Server text is shown to people and put in JSON: keep it valid UTF-8 without controls (C0,
 * DEL and C1, such as U+009B CSI); a reply line is one line, so only tabs stay. */
static void
line_too_long (GError **error)
{
  g_autofree char *size = g_format_size (OD_SMTP_MAX_LINE_LENGTH);

  /* Translators: %s is a size such as "4.1 kB" */
  g_set_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_LINE_TOO_LONG,
               _("A reply line is longer than %s"), size);
}

static char *
sanitize_text (const char *text,
               gssize      len)
{
  return od_text_sanitize (text, len, OD_TEXT_KEEP_TAB);
}

/**
 * od_smtp_reply_new:
 * @code: the three-digit reply code
 * @lines: (nullable): the text of each line, after the code and separator
 *
 * The lines are stored sanitized: invalid UTF-8 is repaired and control characters other
 * than tabs become "?".
 *
 * Returns: (transfer full): a new reply
 */
OdSmtpReply *
od_smtp_reply_new (guint               code,
                   const char * const *lines)
{
  OdSmtpReply *reply;
  gsize len;

  g_return_val_if_fail (code >= 100 && code <= 999, NULL);

  reply = g_new0 (OdSmtpReply, 1);
  g_atomic_ref_count_init (&reply->ref_count);
  reply->code = code;

  if (lines != NULL && lines[0] != NULL)
    {
      /* Whoever built the lines, they are shown as they are stored. */
      guint n = g_strv_length ((char **)lines);

      reply->lines = g_new0 (char *, n + 1);
      for (guint i = 0; i < n; i++)
        reply->lines[i] = sanitize_text (lines[i], -1);
    }
  else
    {
      reply->lines = g_new0 (char *, 2);
      reply->lines[0] = g_strdup ("");
    }

  len = scan_enhanced_code (reply->lines[0]);
  if (len > 0 && (guint)(reply->lines[0][0] - '0') == code / 100)
    reply->enhanced = g_strndup (reply->lines[0], len);

  return reply;
}

OdSmtpReply *
od_smtp_reply_ref (OdSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);

  g_atomic_ref_count_inc (&reply->ref_count);
  return reply;
}

void
od_smtp_reply_unref (OdSmtpReply *reply)
{
  g_return_if_fail (reply != NULL);

  if (g_atomic_ref_count_dec (&reply->ref_count))
    {
      g_free (reply->enhanced);
      g_strfreev (reply->lines);
      g_free (reply);
    }
}

guint
od_smtp_reply_get_code (const OdSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, 0);
  return reply->code;
}

/**
 * od_smtp_reply_get_enhanced_code:
 *
 * Returns: (nullable): the RFC 3463 code such as "5.7.8", or %NULL
 */
const char *
od_smtp_reply_get_enhanced_code (const OdSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);
  return reply->enhanced;
}

const char * const *
od_smtp_reply_get_lines (const OdSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);
  return (const char * const *)reply->lines;
}

/**
 * od_smtp_reply_get_text_offset:
 * @index: a line of @reply
 *
 * Returns: how many bytes at the start of the line are its enhanced status code and the
 *   space after it, which od_smtp_reply_get_text() leaves out
 */
gsize
od_smtp_reply_get_text_offset (const OdSmtpReply *reply,
                               guint              index)
{
  const char *line;
  gsize skip;

  g_return_val_if_fail (reply != NULL, 0);
  g_return_val_if_fail (index < g_strv_length (reply->lines), 0);

  line = reply->lines[index];
  skip = reply->enhanced ? scan_enhanced_code (line) : 0;
  while (skip > 0 && (line[skip] == ' ' || line[skip] == '\t'))
    skip++;

  return skip;
}

/**
 * od_smtp_reply_get_text:
 *
 * The lines joined with newlines, each without its enhanced code, for people to read.
 *
 * Returns: (transfer full): the text
 */
char *
od_smtp_reply_get_text (const OdSmtpReply *reply)
{
  GString *str;

  g_return_val_if_fail (reply != NULL, NULL);

  str = g_string_new (NULL);
  for (guint i = 0; reply->lines[i] != NULL; i++)
    {
      const char *line = reply->lines[i];
      gsize skip = reply->enhanced ? scan_enhanced_code (line) : 0;

      line += skip;
      while (skip > 0 && (*line == ' ' || *line == '\t'))
        line++;

      if (i > 0)
        g_string_append_c (str, '\n');
      g_string_append (str, line);
    }

  return g_string_free (str, FALSE);
}

/**
 * od_smtp_reply_to_string:
 *
 * The reply as the server sent it, lines separated by "\n".
 *
 * Returns: (transfer full): the reply text
 */
char *
od_smtp_reply_to_string (const OdSmtpReply *reply)
{
  GString *str;

  g_return_val_if_fail (reply != NULL, NULL);

  str = g_string_new (NULL);
  for (guint i = 0; reply->lines[i] != NULL; i++)
    {
      gboolean last = reply->lines[i + 1] == NULL;

      if (i > 0)
        g_string_append_c (str, '\n');
      g_string_append_printf (str, "%03u%c%s", reply->code, last ? ' ' : '-', reply->lines[i]);
    }

  return g_string_free (str, FALSE);
}

gboolean
od_smtp_reply_is_positive (const OdSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, FALSE);
  return reply->code >= 200 && reply->code < 400;
}

gboolean
od_smtp_reply_is_transient (const OdSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, FALSE);
  return reply->code >= 400 && reply->code < 500;
}

gboolean
od_smtp_reply_is_permanent (const OdSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, FALSE);
  return reply->code >= 500 && reply->code < 600;
}

/**
 * od_smtp_reply_has_text:
 * @needle: ASCII text to look for
 *
 * Returns: %TRUE if any line contains @needle, ignoring ASCII case
 */
gboolean
od_smtp_reply_has_text (const OdSmtpReply *reply,
                        const char        *needle)
{
  g_autofree char *lower_needle = NULL;

  g_return_val_if_fail (reply != NULL, FALSE);
  g_return_val_if_fail (needle != NULL, FALSE);

  lower_needle = g_ascii_strdown (needle, -1);

  for (guint i = 0; reply->lines[i] != NULL; i++)
    {
      g_autofree char *lower = g_ascii_strdown (reply->lines[i], -1);

      if (strstr (lower, lower_needle) != NULL)
        return TRUE;
    }

  return FALSE;
}

OdSmtpReplyParser *
od_smtp_reply_parser_new (void)
{
  OdSmtpReplyParser *parser = g_new0 (OdSmtpReplyParser, 1);

  parser->lines = g_ptr_array_new_with_free_func (g_free);
  return parser;
}

void
od_smtp_reply_parser_free (OdSmtpReplyParser *parser)
{
  if (parser == NULL)
    return;

  g_ptr_array_unref (parser->lines);
  g_free (parser);
}

void
od_smtp_reply_parser_reset (OdSmtpReplyParser *parser)
{
  g_return_if_fail (parser != NULL);

  parser->code = 0;
  g_ptr_array_set_size (parser->lines, 0);
}

/**
 * od_smtp_reply_parser_feed_line:
 * @line: one line as received, without CR LF (need not be nul-terminated)
 * @len: length of @line
 * @reply: (out) (transfer full) (optional): the reply, once its last line was fed
 *
 * Feeds one line of a possibly multiline reply. When the line completes the reply, @reply
 * is set and the parser is ready for the next reply; otherwise @reply is set to %NULL.
 *
 * Returns: %FALSE with @error set if the line is not a valid reply line, has another code
 *   than the lines before it, or the reply has too many lines
 */
gboolean
od_smtp_reply_parser_feed_line (OdSmtpReplyParser  *parser,
                                const char         *line,
                                gsize               len,
                                OdSmtpReply       **reply,
                                GError            **error)
{
  guint code;
  gboolean last;

  g_return_val_if_fail (parser != NULL, FALSE);
  g_return_val_if_fail (line != NULL || len == 0, FALSE);

  if (reply != NULL)
    *reply = NULL;

  /* Tolerate a stray CR left by a server that ends lines with CR CR LF. */
  while (len > 0 && line[len - 1] == '\r')
    len--;

  if (len > OD_SMTP_MAX_LINE_LENGTH)
    {
      od_smtp_reply_parser_reset (parser);
      line_too_long (error);
      return FALSE;
    }

  if (len < 3 || !is_digit (line[0]) || !is_digit (line[1]) || !is_digit (line[2]) ||
      (len > 3 && line[3] != ' ' && line[3] != '-'))
    {
      /* The line itself is not quoted here: cut short, it could keep part of an echoed
       * password that redaction of a fragment cannot recognise. The session records the
       * whole line, redacted. */
      od_smtp_reply_parser_reset (parser);
      g_set_error_literal (error, OD_SMTP_ERROR, OD_SMTP_ERROR_MALFORMED_REPLY,
                           _("Not an SMTP reply: the line does not start with a reply code"));
      return FALSE;
    }

  code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  last = len == 3 || line[3] == ' ';

  if (code < 100)
    {
      od_smtp_reply_parser_reset (parser);
      /* Translators: %03u is a three-digit number */
      g_set_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_MALFORMED_REPLY,
                   _("Invalid reply code %03u"), code);
      return FALSE;
    }

  if (parser->lines->len > 0 && code != parser->code)
    {
      od_smtp_reply_parser_reset (parser);
      /* Translators: the %03u are three-digit reply codes such as 250 */
      g_set_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_MALFORMED_REPLY,
                   _("Reply code changed from %03u to %03u inside a multiline reply"),
                   parser->code, code);
      return FALSE;
    }

  if (parser->lines->len >= OD_SMTP_MAX_REPLY_LINES)
    {
      od_smtp_reply_parser_reset (parser);
      g_set_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_TOO_MANY_LINES,
                   g_dngettext (GETTEXT_PACKAGE, "Reply has more than %u line",
                                "Reply has more than %u lines", OD_SMTP_MAX_REPLY_LINES),
                   OD_SMTP_MAX_REPLY_LINES);
      return FALSE;
    }

  parser->code = code;
  g_ptr_array_add (parser->lines, len > 4 ? sanitize_text (line + 4, len - 4) : g_strdup (""));

  if (last)
    {
      g_ptr_array_add (parser->lines, NULL);
      if (reply != NULL)
        *reply = od_smtp_reply_new (code, (const char * const *)parser->lines->pdata);
      g_ptr_array_set_size (parser->lines, 0);
      parser->code = 0;
    }

  return TRUE;
}

/**
 * od_smtp_reply_parse:
 * @data: bytes as received from a server
 * @len: length of @data
 * @consumed: (out) (optional): how many bytes of @data the reply used
 *
 * Parses the first complete reply in @data (lines end with LF, optionally preceded by CR).
 *
 * Returns: (transfer full) (nullable): the reply, or %NULL with @error set when @data is not
 *   a valid reply, or %NULL without error when @data ends before the reply is complete
 */
OdSmtpReply *
od_smtp_reply_parse (const char  *data,
                     gsize        len,
                     gsize       *consumed,
                     GError     **error)
{
  g_autoptr(OdSmtpReplyParser) parser = od_smtp_reply_parser_new ();
  gsize pos = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (consumed != NULL)
    *consumed = 0;

  while (pos < len)
    {
      const char *nl = memchr (data + pos, '\n', len - pos);
      OdSmtpReply *reply = NULL;
      gsize line_len;

      if (nl == NULL)
        {
          if (len - pos > OD_SMTP_MAX_LINE_LENGTH)
            {
              line_too_long (error);
              return NULL;
            }
          return NULL;
        }

      line_len = nl - (data + pos);
      if (!od_smtp_reply_parser_feed_line (parser, data + pos, line_len, &reply, error))
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
