/* od-imap-response.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-imap-response"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-imap-response.h"
#include "od-text.h"

#define MAX_TAG_LENGTH     64
#define MAX_CODE_LENGTH    64

G_DEFINE_QUARK (od-imap-error-quark, od_imap_error)

/* One complete server response (RFC 9051 §7): untagged, tagged or a continuation request,
 * with its literals. Its texts are sanitized (valid UTF-8, no controls); the literals are
 * kept as they came. Immutable once built. */
struct _OdImapResponse
{
  gatomicrefcount      ref_count;
  OdImapResponseKind   kind;
  OdImapStatus         status;
  char                *tag;        /* tagged responses only */
  char                *keyword;    /* upper case: "OK", "CAPABILITY", "EXISTS"; NULL for "+" */
  char                *code;       /* the response code's atom, upper case, or NULL */
  char                *code_args;  /* what follows it inside the brackets, or NULL */
  char                *text;       /* the human-readable text of a status or "+" response */
  char                *data;       /* what follows the keyword of server data */
  char                *line;       /* the whole response, literals shown as their "{n}" */
  GPtrArray           *literals;   /* GBytes */
  guint32              number;
  guint                has_number : 1;
};

G_DEFINE_BOXED_TYPE (OdImapResponse, od_imap_response, od_imap_response_ref,
                     od_imap_response_unref)

struct _OdImapResponseParser
{
  GString    *line;          /* the response so far, literals left out */
  GPtrArray  *literals;      /* GBytes, complete */
  GByteArray *literal;       /* the literal being read */
  gsize       segment_len;   /* the current line, since the last literal */
  gsize       segment_start; /* where in @line the current line begins */
  gsize       total;         /* every byte of this response */
  guint64     literal_left;
  guint       n_untagged;    /* untagged responses since the last completion */
  guint       in_literal : 1;
};

static char *
sanitize (const char *text,
          gssize      len)
{
  return od_text_sanitize (text, len, OD_TEXT_KEEP_TAB);
}

static gboolean
is_atom_char (char c)
{
  /* RFC 9051 ATOM-CHAR: any CHAR except atom-specials. */
  return c > 0x20 && c < 0x7f && strchr ("(){%*\"\\]", c) == NULL;
}

static gboolean
is_tag_char (char c)
{
  /* tag = 1*<any ASTRING-CHAR except "+">; ASTRING-CHAR = ATOM-CHAR / "]" */
  return (is_atom_char (c) || c == ']') && c != '+';
}

static void
response_free (OdImapResponse *response)
{
  g_free (response->tag);
  g_free (response->keyword);
  g_free (response->code);
  g_free (response->code_args);
  g_free (response->text);
  g_free (response->data);
  g_free (response->line);
  g_ptr_array_unref (response->literals);
  g_free (response);
}

OdImapResponse *
od_imap_response_ref (OdImapResponse *response)
{
  g_return_val_if_fail (response != NULL, NULL);

  g_atomic_ref_count_inc (&response->ref_count);
  return response;
}

void
od_imap_response_unref (OdImapResponse *response)
{
  g_return_if_fail (response != NULL);

  if (g_atomic_ref_count_dec (&response->ref_count))
    response_free (response);
}

OdImapResponseKind
od_imap_response_get_kind (const OdImapResponse *response)
{
  g_return_val_if_fail (response != NULL, OD_IMAP_RESPONSE_UNTAGGED);
  return response->kind;
}

/**
 * od_imap_response_get_tag:
 *
 * Returns: (nullable): the tag of a tagged response
 */
const char *
od_imap_response_get_tag (const OdImapResponse *response)
{
  g_return_val_if_fail (response != NULL, NULL);
  return response->tag;
}

OdImapStatus
od_imap_response_get_status (const OdImapResponse *response)
{
  g_return_val_if_fail (response != NULL, OD_IMAP_STATUS_NONE);
  return response->status;
}

/**
 * od_imap_response_get_number:
 * @number: (out) (optional): the number of message data such as "* 3 EXISTS"
 *
 * Returns: whether the response starts with a number
 */
gboolean
od_imap_response_get_number (const OdImapResponse *response,
                             guint32              *number)
{
  g_return_val_if_fail (response != NULL, FALSE);

  if (number != NULL)
    *number = response->number;
  return response->has_number;
}

/**
 * od_imap_response_get_keyword:
 *
 * Returns: (nullable): the status ("OK", "BYE", …) or the kind of data ("CAPABILITY",
 *   "EXISTS", …) in upper case; %NULL for a continuation request
 */
const char *
od_imap_response_get_keyword (const OdImapResponse *response)
{
  g_return_val_if_fail (response != NULL, NULL);
  return response->keyword;
}

/**
 * od_imap_response_get_code:
 *
 * Returns: (nullable): the response code in brackets, upper case, such as
 *   "AUTHENTICATIONFAILED"
 */
const char *
od_imap_response_get_code (const OdImapResponse *response)
{
  g_return_val_if_fail (response != NULL, NULL);
  return response->code;
}

/**
 * od_imap_response_get_code_args:
 *
 * Returns: (nullable): what follows the code inside the brackets ("IMAP4rev1 IDLE" of
 *   "[CAPABILITY IMAP4rev1 IDLE]")
 */
const char *
od_imap_response_get_code_args (const OdImapResponse *response)
{
  g_return_val_if_fail (response != NULL, NULL);
  return response->code_args;
}

/**
 * od_imap_response_get_text:
 *
 * Returns: the text for people of a status response or continuation request, after the
 *   response code; "" for server data
 */
const char *
od_imap_response_get_text (const OdImapResponse *response)
{
  g_return_val_if_fail (response != NULL, NULL);
  return response->text;
}

/**
 * od_imap_response_get_data:
 *
 * Returns: what follows the keyword of server data ("IMAP4rev1 STARTTLS" of
 *   "* CAPABILITY IMAP4rev1 STARTTLS"), literals shown as their "{n}"; "" for status
 *   responses
 */
const char *
od_imap_response_get_data (const OdImapResponse *response)
{
  g_return_val_if_fail (response != NULL, NULL);
  return response->data;
}

/**
 * od_imap_response_get_line:
 *
 * Returns: the whole response as received, sanitized, its literals shown as their "{n}"
 */
const char *
od_imap_response_get_line (const OdImapResponse *response)
{
  g_return_val_if_fail (response != NULL, NULL);
  return response->line;
}

guint
od_imap_response_get_n_literals (const OdImapResponse *response)
{
  g_return_val_if_fail (response != NULL, 0);
  return response->literals->len;
}

/**
 * od_imap_response_get_literal:
 *
 * Returns: (transfer none): the @index-th literal, as the server sent it
 */
GBytes *
od_imap_response_get_literal (const OdImapResponse *response,
                              guint                 index)
{
  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (index < response->literals->len, NULL);

  return g_ptr_array_index (response->literals, index);
}

/**
 * od_imap_response_has_code:
 * @code: a response code such as "ALERT", any case
 */
gboolean
od_imap_response_has_code (const OdImapResponse *response,
                           const char           *code)
{
  g_return_val_if_fail (response != NULL, FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  return response->code != NULL && g_ascii_strcasecmp (response->code, code) == 0;
}

/**
 * od_imap_response_describe:
 *
 * The server's words without the tag, for an error message: "NO [AUTHENTICATIONFAILED]
 * Authentication failed."
 *
 * Returns: (transfer full): the description
 */
char *
od_imap_response_describe (const OdImapResponse *response)
{
  GString *str;

  g_return_val_if_fail (response != NULL, NULL);

  if (response->status == OD_IMAP_STATUS_NONE && response->kind != OD_IMAP_RESPONSE_CONTINUATION)
    return g_strdup (response->kind == OD_IMAP_RESPONSE_TAGGED ?
                     response->line + strlen (response->tag) + 1 : response->line + 2);

  str = g_string_new (response->keyword ? response->keyword : "+");
  if (response->code != NULL)
    {
      g_string_append_printf (str, " [%s", response->code);
      if (response->code_args != NULL)
        g_string_append_printf (str, " %s", response->code_args);
      g_string_append_c (str, ']');
    }
  if (response->text[0] != '\0')
    g_string_append_printf (str, " %s", response->text);

  return g_string_free (str, FALSE);
}

/**
 * od_imap_response_error_code:
 *
 * The error a refusal stands for: its response code (RFC 5530) where it is one we know,
 * else its status.
 *
 * Returns: the code for an %OD_IMAP_ERROR
 */
OdImapError
od_imap_response_error_code (const OdImapResponse *response)
{
  static const struct {
    const char  *code;
    OdImapError  error;
  } codes[] = {
    { "AUTHENTICATIONFAILED", OD_IMAP_ERROR_AUTHENTICATION_FAILED },
    { "AUTHORIZATIONFAILED", OD_IMAP_ERROR_AUTHORIZATION_FAILED },
    { "UNAVAILABLE", OD_IMAP_ERROR_UNAVAILABLE },
    { "EXPIRED", OD_IMAP_ERROR_EXPIRED },
    { "PRIVACYREQUIRED", OD_IMAP_ERROR_PRIVACY_REQUIRED },
    { "CONTACTADMIN", OD_IMAP_ERROR_CONTACT_ADMIN },
    { "OVERQUOTA", OD_IMAP_ERROR_OVER_QUOTA },
    { "LIMIT", OD_IMAP_ERROR_OVER_QUOTA },
    { "NONEXISTENT", OD_IMAP_ERROR_NONEXISTENT },
  };

  g_return_val_if_fail (response != NULL, OD_IMAP_ERROR_NO);

  for (guint i = 0; response->code != NULL && i < G_N_ELEMENTS (codes); i++)
    {
      if (g_str_equal (response->code, codes[i].code))
        return codes[i].error;
    }

  switch (response->status)
    {
    case OD_IMAP_STATUS_BAD: return OD_IMAP_ERROR_BAD;
    case OD_IMAP_STATUS_BYE: return OD_IMAP_ERROR_BYE;
    case OD_IMAP_STATUS_NONE:
    case OD_IMAP_STATUS_OK:
    case OD_IMAP_STATUS_NO:
    case OD_IMAP_STATUS_PREAUTH:
    default:
      return OD_IMAP_ERROR_NO;
    }
}

static char *
map_or_null (const char     *text,
             OdImapTextFunc  func,
             gpointer        user_data)
{
  return text != NULL ? func (text, user_data) : NULL;
}

/**
 * od_imap_response_map_text:
 * @func: makes a new text of each text of @response (to redact it)
 *
 * Returns: (transfer full): a copy of @response whose texts (text, code arguments, data,
 *   line) went through @func; the literals are shared
 */
OdImapResponse *
od_imap_response_map_text (const OdImapResponse *response,
                           OdImapTextFunc        func,
                           gpointer              user_data)
{
  OdImapResponse *copy;

  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  copy = g_new0 (OdImapResponse, 1);
  g_atomic_ref_count_init (&copy->ref_count);
  copy->kind = response->kind;
  copy->status = response->status;
  copy->tag = g_strdup (response->tag);
  copy->keyword = g_strdup (response->keyword);
  copy->code = g_strdup (response->code);
  copy->code_args = map_or_null (response->code_args, func, user_data);
  copy->text = func (response->text, user_data);
  copy->data = func (response->data, user_data);
  copy->line = func (response->line, user_data);
  copy->literals = g_ptr_array_ref (response->literals);
  copy->number = response->number;
  copy->has_number = response->has_number;

  return copy;
}

static gboolean
malformed (GError    **error,
           const char *message)
{
  g_set_error_literal (error, OD_IMAP_ERROR, OD_IMAP_ERROR_MALFORMED_RESPONSE, message);
  return FALSE;
}

/* resp-text = ["[" resp-text-code "]" SP] [text] */
static gboolean
parse_resp_text (OdImapResponse  *response,
                 const char      *p,
                 GError         **error)
{
  if (*p == '[')
    {
      const char *end = strchr (p, ']');
      const char *q = p + 1;

      while (is_atom_char (*q))
        q++;

      if (end == NULL || q == p + 1 || q - p - 1 > MAX_CODE_LENGTH || (*q != ' ' && *q != ']'))
        return malformed (error, _("Not an IMAP response: a response code is malformed"));

      response->code = g_ascii_strup (p + 1, q - p - 1);
      if (*q == ' ' && end > q + 1)
        response->code_args = sanitize (q + 1, end - q - 1);

      p = end + 1;
      if (*p == ' ')
        p++;
    }

  response->text = sanitize (p, -1);
  return TRUE;
}

static OdImapStatus
status_from_keyword (const char *keyword)
{
  static const char * const names[] = { NULL, "OK", "NO", "BAD", "BYE", "PREAUTH" };

  for (guint i = 1; i < G_N_ELEMENTS (names); i++)
    {
      if (g_str_equal (keyword, names[i]))
        return i;
    }

  return OD_IMAP_STATUS_NONE;
}

/* "* 3 EXISTS": a number of at most 32 bits (RFC 9051 number / nz-number). */
static gboolean
parse_number (OdImapResponse  *response,
              const char     **p,
              GError         **error)
{
  guint64 value = 0;
  const char *q = *p;

  while (g_ascii_isdigit (*q))
    {
      value = value * 10 + (*q - '0');
      if (value > G_MAXUINT32)
        return malformed (error, _("Not an IMAP response: a number is too large"));
      q++;
    }

  if (*q != ' ')
    return malformed (error, _("Not an IMAP response: a number is not followed by data"));

  response->number = value;
  response->has_number = TRUE;
  *p = q + 1;
  return TRUE;
}

static gboolean
parse_untagged (OdImapResponse  *response,
                const char      *p,
                GError         **error)
{
  const char *start;

  if (g_ascii_isdigit (*p) && !parse_number (response, &p, error))
    return FALSE;

  start = p;
  while (is_atom_char (*p))
    p++;

  if (p == start || (*p != ' ' && *p != '\0'))
    return malformed (error, _("Not an IMAP response: no keyword after “*”"));

  response->keyword = g_ascii_strup (start, p - start);
  if (*p == ' ')
    p++;

  response->status = response->has_number ? OD_IMAP_STATUS_NONE
                                          : status_from_keyword (response->keyword);
  if (response->status != OD_IMAP_STATUS_NONE)
    {
      response->data = g_strdup ("");
      return parse_resp_text (response, p, error);
    }

  response->text = g_strdup ("");
  response->data = sanitize (p, -1);
  return TRUE;
}

static gboolean
parse_tagged (OdImapResponse  *response,
              const char      *p,
              GError         **error)
{
  const char *start = p;

  while (is_tag_char (*p))
    p++;

  if (p == start || p - start > MAX_TAG_LENGTH || *p != ' ')
    return malformed (error, _("Not an IMAP response: the line does not start with a tag"));

  response->tag = g_strndup (start, p - start);
  start = ++p;
  while (g_ascii_isalpha (*p))
    p++;

  response->keyword = g_ascii_strup (start, p - start);
  response->status = status_from_keyword (response->keyword);
  if ((*p != ' ' && *p != '\0') ||
      (response->status != OD_IMAP_STATUS_OK && response->status != OD_IMAP_STATUS_NO &&
       response->status != OD_IMAP_STATUS_BAD))
    return malformed (error, _("Not an IMAP response: a command ends without OK, NO or BAD"));

  if (*p == ' ')
    p++;

  response->data = g_strdup ("");
  return parse_resp_text (response, p, error);
}

/* @line holds no NUL (the parser refused it) and no line end. */
static OdImapResponse *
parse_response (const char  *line,
                GPtrArray   *literals,
                GError     **error)
{
  g_autoptr(OdImapResponse) response = g_new0 (OdImapResponse, 1);
  gboolean ok;

  g_atomic_ref_count_init (&response->ref_count);
  response->literals = literals ? g_ptr_array_ref (literals)
                                : g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  response->line = sanitize (line, -1);

  if (line[0] == '+')
    {
      response->kind = OD_IMAP_RESPONSE_CONTINUATION;
      response->data = g_strdup ("");
      /* "+" alone is common, and allowed by RFC 9051's grammar when the text is empty. */
      if (line[1] != ' ' && line[1] != '\0')
        ok = malformed (error, _("Not an IMAP response: “+” is not followed by a space"));
      else
        ok = parse_resp_text (response, line[1] ? line + 2 : line + 1, error);
    }
  else if (line[0] == '*')
    {
      response->kind = OD_IMAP_RESPONSE_UNTAGGED;
      if (line[1] != ' ')
        ok = malformed (error, _("Not an IMAP response: “*” is not followed by a space"));
      else
        ok = parse_untagged (response, line + 2, error);
    }
  else
    {
      response->kind = OD_IMAP_RESPONSE_TAGGED;
      ok = parse_tagged (response, line, error);
    }

  return ok ? g_steal_pointer (&response) : NULL;
}

OdImapResponseParser *
od_imap_response_parser_new (void)
{
  OdImapResponseParser *parser = g_new0 (OdImapResponseParser, 1);

  parser->line = g_string_new (NULL);
  parser->literals = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  return parser;
}

void
od_imap_response_parser_free (OdImapResponseParser *parser)
{
  if (parser == NULL)
    return;

  g_string_free (parser->line, TRUE);
  g_ptr_array_unref (parser->literals);
  g_clear_pointer (&parser->literal, g_byte_array_unref);
  g_free (parser);
}

/* Forgets the response being read; the count of untagged responses stays. */
static void
parser_clear (OdImapResponseParser *parser)
{
  g_string_truncate (parser->line, 0);
  g_ptr_array_set_size (parser->literals, 0);
  g_clear_pointer (&parser->literal, g_byte_array_unref);
  parser->segment_len = 0;
  parser->segment_start = 0;
  parser->total = 0;
  parser->literal_left = 0;
  parser->in_literal = FALSE;
}

/**
 * od_imap_response_parser_reset:
 *
 * Forgets everything: a response begun and the count of untagged responses (after STARTTLS).
 */
void
od_imap_response_parser_reset (OdImapResponseParser *parser)
{
  g_return_if_fail (parser != NULL);

  parser_clear (parser);
  parser->n_untagged = 0;
}

/**
 * od_imap_response_parser_is_idle:
 *
 * Returns: whether no response has begun
 */
gboolean
od_imap_response_parser_is_idle (OdImapResponseParser *parser)
{
  g_return_val_if_fail (parser != NULL, FALSE);
  return parser->line->len == 0 && !parser->in_literal && parser->literals->len == 0;
}

static gboolean
fail (OdImapResponseParser  *parser,
      GError               **error,
      OdImapError            code,
      const char            *message)
{
  parser_clear (parser);
  g_set_error_literal (error, OD_IMAP_ERROR, code, message);
  return FALSE;
}

static gboolean
literal_too_large (OdImapResponseParser  *parser,
                   GError               **error)
{
  g_autofree char *size = g_format_size (OD_IMAP_MAX_LITERAL_SIZE);

  parser_clear (parser);
  /* Translators: %s is a size such as "1.0 MB" */
  g_set_error (error, OD_IMAP_ERROR, OD_IMAP_ERROR_LITERAL_TOO_LARGE,
               _("The server announced data larger than %s"), size);
  return FALSE;
}

/* A line that ends in "{n}" or "{n+}" (or "~{n}", RFC 3516) announces n bytes that follow
 * its line end. Returns FALSE with @error set for a size beyond the bounds. */
static gboolean
find_literal (OdImapResponseParser  *parser,
              gboolean              *found,
              GError               **error)
{
  const char *line = parser->line->str;
  gsize len = parser->line->len;
  gsize open;
  guint64 size = 0;

  /* Only in the line just read: the "{n}" of the literal before it ends the text too. */
  *found = FALSE;
  if (len < parser->segment_start + 3 || line[len - 1] != '}' || line[0] == '+')
    return TRUE;

  open = len - 2;
  if (line[open] == '+')
    open--;
  while (open > parser->segment_start && g_ascii_isdigit (line[open]))
    open--;
  if (line[open] != '{' || open + 1 == len - 1 || line[open + 1] == '+')
    return TRUE;

  for (gsize i = open + 1; g_ascii_isdigit (line[i]); i++)
    {
      size = size * 10 + (line[i] - '0');
      if (size > OD_IMAP_MAX_LITERAL_SIZE)
        return literal_too_large (parser, error);
    }

  if (parser->total + size > OD_IMAP_MAX_RESPONSE_SIZE ||
      parser->literals->len >= OD_IMAP_MAX_LITERALS)
    return literal_too_large (parser, error);

  *found = TRUE;
  parser->in_literal = TRUE;
  parser->literal_left = size;
  parser->literal = g_byte_array_sized_new (size);
  return TRUE;
}

/* Takes literal bytes from @data; returns how many. */
static gssize
feed_literal (OdImapResponseParser  *parser,
              const char            *data,
              gsize                  len,
              GError               **error)
{
  gsize take = MIN (parser->literal_left, len);

  /* RFC 9051 §4.3: a literal is CHAR8, never NUL (literal8 is for binary, which we never
   * ask for). */
  if (take > 0 && memchr (data, '\0', take) != NULL)
    {
      fail (parser, error, OD_IMAP_ERROR_MALFORMED_RESPONSE,
            _("Not an IMAP response: the server sent a NUL byte"));
      return -1;
    }

  g_byte_array_append (parser->literal, (const guint8 *)data, take);
  parser->literal_left -= take;
  parser->total += take;

  if (parser->literal_left == 0)
    {
      g_ptr_array_add (parser->literals, g_byte_array_free_to_bytes (parser->literal));
      parser->literal = NULL;
      parser->in_literal = FALSE;
      /* The rest of the response follows on the same line, after the literal. */
      parser->segment_len = 0;
      parser->segment_start = parser->line->len;
    }

  return take;
}

static gboolean
complete_response (OdImapResponseParser  *parser,
                   OdImapResponse       **response,
                   GError               **error)
{
  g_autoptr(OdImapResponse) parsed = NULL;
  g_autoptr(GPtrArray) literals = g_steal_pointer (&parser->literals);

  parser->literals = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  parsed = parse_response (parser->line->str, literals, error);
  parser_clear (parser);

  if (parsed == NULL)
    return FALSE;

  if (parsed->kind != OD_IMAP_RESPONSE_UNTAGGED)
    parser->n_untagged = 0;
  else if (++parser->n_untagged > OD_IMAP_MAX_RESPONSES)
    {
      parser->n_untagged = 0;
      g_set_error (error, OD_IMAP_ERROR, OD_IMAP_ERROR_TOO_MANY_RESPONSES,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The server sent more than %u response without completing "
                                "the command",
                                "The server sent more than %u responses without completing "
                                "the command", OD_IMAP_MAX_RESPONSES),
                   OD_IMAP_MAX_RESPONSES);
      return FALSE;
    }

  *response = g_steal_pointer (&parsed);
  return TRUE;
}

/**
 * od_imap_response_parser_feed:
 * @data: bytes as received
 * @len: length of @data
 * @consumed: (out): how many bytes of @data the parser took
 * @response: (out) (transfer full) (optional): the response, once complete
 *
 * Takes bytes until one response is complete (then @response is set and the bytes after it
 * are left for the next call) or @data is used up (@response is %NULL).
 *
 * Returns: %FALSE with @error set when the input is not IMAP or breaks a bound; the parser is
 *   then ready for a new response
 */
gboolean
od_imap_response_parser_feed (OdImapResponseParser  *parser,
                              const char            *data,
                              gsize                  len,
                              gsize                 *consumed,
                              OdImapResponse       **response,
                              GError               **error)
{
  gsize pos = 0;

  g_return_val_if_fail (parser != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (consumed != NULL, FALSE);
  g_return_val_if_fail (response != NULL, FALSE);

  *consumed = 0;
  *response = NULL;

  while (pos < len)
    {
      const char *nl;
      gsize seg;
      gboolean literal;

      if (parser->in_literal)
        {
          gssize taken = feed_literal (parser, data + pos, len - pos, error);

          if (taken < 0)
            return FALSE;
          pos += taken;
          continue;
        }

      nl = memchr (data + pos, '\n', len - pos);
      seg = nl ? (gsize)(nl - (data + pos)) : len - pos;

      /* One byte more for the CR before the LF. */
      if (parser->segment_len + seg > OD_IMAP_MAX_LINE_LENGTH + 1)
        {
          g_autofree char *size = g_format_size (OD_IMAP_MAX_LINE_LENGTH);

          parser_clear (parser);
          /* Translators: %s is a size such as "8.2 kB" */
          g_set_error (error, OD_IMAP_ERROR, OD_IMAP_ERROR_LINE_TOO_LONG,
                       _("The server sent a line longer than %s"), size);
          return FALSE;
        }

      if (seg > 0 && memchr (data + pos, '\0', seg) != NULL)
        return fail (parser, error, OD_IMAP_ERROR_MALFORMED_RESPONSE,
                     _("Not an IMAP response: the server sent a NUL byte"));

      g_string_append_len (parser->line, data + pos, seg);
      parser->segment_len += seg;
      parser->total += seg;
      pos += seg;

      if (nl == NULL)
        break;

      pos++;
      if (parser->line->len > 0 && parser->line->str[parser->line->len - 1] == '\r')
        g_string_truncate (parser->line, parser->line->len - 1);
      parser->segment_len = 0;

      if (!find_literal (parser, &literal, error))
        return FALSE;
      if (literal)
        continue;

      *consumed = pos;
      return complete_response (parser, response, error);
    }

  *consumed = pos;
  return TRUE;
}

/**
 * od_imap_response_parse:
 * @data: bytes as received from a server
 * @consumed: (out) (optional): how many bytes of @data the response used
 *
 * Parses the first complete response in @data.
 *
 * Returns: (transfer full) (nullable): the response, or %NULL with @error set when @data is
 *   not IMAP, or %NULL without error when @data ends before the response is complete
 */
OdImapResponse *
od_imap_response_parse (const char  *data,
                        gsize        len,
                        gsize       *consumed,
                        GError     **error)
{
  g_autoptr(OdImapResponseParser) parser = od_imap_response_parser_new ();
  OdImapResponse *response = NULL;
  gsize used = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (consumed != NULL)
    *consumed = 0;

  if (!od_imap_response_parser_feed (parser, data, len, &used, &response, error))
    return NULL;

  if (response != NULL && consumed != NULL)
    *consumed = used;

  return response;
}

/* Skips an astring (atom, quoted string or a literal's "{n}"); FALSE if there is none. */
static gboolean
skip_astring (const char **p)
{
  const char *q = *p;

  if (*q == '"')
    {
      for (q++; *q != '"'; q++)
        {
          if (*q == '\\' && q[1] != '\0')
            q++;
          else if (*q == '\0')
            return FALSE;
        }
      q++;
    }
  else if (*q == '{')
    {
      q = strchr (q, '}');
      if (q == NULL)
        return FALSE;
      q++;
    }
  else
    {
      while (is_atom_char (*q) || *q == ']')
        q++;
      if (q == *p)
        return FALSE;
    }

  *p = q;
  return TRUE;
}

static gboolean
parse_number64 (const char **p,
                guint64     *value)
{
  const char *q = *p;

  *value = 0;
  while (g_ascii_isdigit (*q) && q - *p < 19)
    *value = *value * 10 + (*q++ - '0');

  if (q == *p || g_ascii_isdigit (*q))
    return FALSE;

  *p = q;
  return TRUE;
}

/**
 * od_imap_quota_parse:
 * @response: a "* QUOTA root (resource usage limit …)" response (RFC 9208 §5.1)
 * @quota: (out): what it says of storage and messages
 *
 * Returns: whether @response is a well-formed QUOTA response
 */
gboolean
od_imap_quota_parse (const OdImapResponse *response,
                     OdImapQuota          *quota)
{
  const char *p;

  g_return_val_if_fail (response != NULL, FALSE);
  g_return_val_if_fail (quota != NULL, FALSE);

  memset (quota, 0, sizeof *quota);
  if (g_strcmp0 (response->keyword, "QUOTA") != 0 || response->status != OD_IMAP_STATUS_NONE)
    return FALSE;

  p = response->data;
  if (!skip_astring (&p) || *p++ != ' ' || *p++ != '(')
    return FALSE;

  while (*p != ')')
    {
      const char *name = p;
      guint64 usage;
      guint64 limit;
      gsize name_len;

      while (is_atom_char (*p))
        p++;
      name_len = p - name;

      if (name_len == 0 || *p++ != ' ' || !parse_number64 (&p, &usage) || *p++ != ' ' ||
          !parse_number64 (&p, &limit))
        return FALSE;

      if (name_len == 7 && g_ascii_strncasecmp (name, "STORAGE", 7) == 0)
        {
          quota->storage_used = usage;
          quota->storage_limit = limit;
          quota->has_storage = TRUE;
        }
      else if (name_len == 7 && g_ascii_strncasecmp (name, "MESSAGE", 7) == 0)
        {
          quota->messages_used = usage;
          quota->messages_limit = limit;
          quota->has_messages = TRUE;
        }

      if (*p == ' ')
        p++;
      else if (*p != ')')
        return FALSE;
    }

  return TRUE;
}
