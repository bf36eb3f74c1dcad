/* od-auth-results.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-auth-results"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gmime/gmime.h>

#include "od-auth-results.h"
#include "od-text.h"

/* What the receiving server wrote about the test message: the header is parsed by GMime
 * (the Message-ID and every Authentication-Results header, unfolded, in order from the top);
 * GMime 3.2 has no structure for Authentication-Results, so each value is read here by the
 * grammar of RFC 8601 §2.2: comments dropped, then "authserv-id [version] ; method[/version]
 * = result [reason] [properties] ; …" or "; none".
 *
 * Which headers are believed (docs/decisions.md, "Authentication-Results of the round
 * trip"): anyone can write an Authentication-Results header into a message before it is
 * sent, so only the receiving server's own count. That is the one whose authserv-id the
 * caller names, or else the topmost header (the last one added, by the last server on the
 * way); further headers with the same authserv-id are merged (a server whose SPF, DKIM and
 * DMARC checkers each add one), all others are ignored. */

static const char * const verdict_names[] = {
  [OD_AUTH_VERDICT_ABSENT] = NULL,
  [OD_AUTH_VERDICT_PASS] = "pass",
  [OD_AUTH_VERDICT_FAIL] = "fail",
  [OD_AUTH_VERDICT_SOFTFAIL] = "softfail",
  [OD_AUTH_VERDICT_NEUTRAL] = "neutral",
  [OD_AUTH_VERDICT_NONE] = "none",
  [OD_AUTH_VERDICT_TEMPERROR] = "temperror",
  [OD_AUTH_VERDICT_PERMERROR] = "permerror",
  [OD_AUTH_VERDICT_POLICY] = "policy",
  [OD_AUTH_VERDICT_OTHER] = "other",
};

static const char * const method_names[OD_N_AUTH_METHODS] = {
  [OD_AUTH_METHOD_SPF] = "spf",
  [OD_AUTH_METHOD_DKIM] = "dkim",
  [OD_AUTH_METHOD_DMARC] = "dmarc",
};

/**
 * od_mail_init:
 *
 * Initialises GMime once for the whole process (the CLI and the app alike); every function
 * here that needs it calls it.
 */
void
od_mail_init (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      g_mime_init ();
      g_once_init_leave (&initialized, 1);
    }
}

/**
 * od_mail_header_parse:
 * @header: a message header as a server sent it (BODY[HEADER], or TOP n 0)
 * @message_id: (out) (optional): the Message-ID without angle brackets, or %NULL
 * @auth_results: (out) (optional) (element-type utf8): the values of every
 *   Authentication-Results header, topmost first
 *
 * Returns: whether GMime could read it as a message header
 */
gboolean
od_mail_header_parse (GBytes     *header,
                      char      **message_id,
                      GPtrArray **auth_results,
                      GError    **error)
{
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *message;
  GMimeHeaderList *headers;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (header, &len);

  od_mail_init ();

  stream = g_mime_stream_mem_new_with_buffer (data != NULL ? (const char *)data : "", len);
  parser = g_mime_parser_new_with_stream (stream);
  message = g_mime_parser_construct_message (parser, NULL);
  g_object_unref (parser);
  g_object_unref (stream);

  if (message == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The message’s header could not be read"));
      return FALSE;
    }

  if (message_id != NULL)
    {
      const char *id = g_mime_message_get_message_id (message);

      *message_id = id != NULL ? g_strdup (id) : NULL;
    }

  if (auth_results != NULL)
    {
      headers = g_mime_object_get_header_list (GMIME_OBJECT (message));
      *auth_results = g_ptr_array_new_with_free_func (g_free);
      for (int i = 0; i < g_mime_header_list_get_count (headers); i++)
        {
          GMimeHeader *h = g_mime_header_list_get_header_at (headers, i);
          const char *value = g_mime_header_get_value (h);

          if (g_ascii_strcasecmp (g_mime_header_get_name (h), "Authentication-Results") == 0 &&
              value != NULL)
            g_ptr_array_add (*auth_results, g_strdup (value));
        }
    }

  g_object_unref (message);
  return TRUE;
}

OdAuthResults *
od_auth_results_new (void)
{
  return g_new0 (OdAuthResults, 1);
}

void
od_auth_results_free (OdAuthResults *results)
{
  if (results == NULL)
    return;

  g_free (results->authserv_id);
  g_free (results);
}

/* @value without its comments (RFC 5322 CFWS, nested, with quoted pairs); quoted strings
 * are kept as they are. An unclosed comment ends the value. */
static char *
strip_comments (const char *value)
{
  GString *out = g_string_new (NULL);
  guint depth = 0;
  gboolean quoted = FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0' && (quoted || depth > 0))
        {
          if (depth == 0)
            g_string_append_len (out, p, 2);
          p++;
          continue;
        }
      if (depth == 0 && *p == '"')
        quoted = !quoted;
      else if (!quoted && *p == '(')
        {
          depth++;
          continue;
        }
      else if (!quoted && depth > 0 && *p == ')')
        {
          if (--depth == 0)
            g_string_append_c (out, ' ');
          continue;
        }

      if (depth == 0)
        g_string_append_c (out, g_ascii_isspace (*p) ? ' ' : *p);
    }

  return g_string_free (out, FALSE);
}

/* The next token at *p: a quoted string (unquoted), or up to a space or one of @stops. */
static char *
take_token (const char **p,
            const char  *stops)
{
  GString *str = g_string_new (NULL);
  const char *q = *p;

  while (*q == ' ')
    q++;

  if (*q == '"')
    {
      for (q++; *q != '\0' && *q != '"'; q++)
        {
          if (*q == '\\' && q[1] != '\0')
            q++;
          g_string_append_c (str, *q);
        }
      if (*q == '"')
        q++;
    }
  else
    {
      while (*q != '\0' && *q != ' ' && strchr (stops, *q) == NULL)
        g_string_append_c (str, *q++);
    }

  while (*q == ' ')
    q++;
  *p = q;
  return g_string_free (str, FALSE);
}

/* The parts between semicolons outside quoted strings. */
static GPtrArray *
split_resinfo (const char *text)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  gboolean quoted = FALSE;
  const char *start = text;

  for (const char *p = text;; p++)
    {
      if (*p == '\\' && quoted && p[1] != '\0')
        {
          p++;
          continue;
        }
      if (*p == '"')
        quoted = !quoted;
      if (*p == '\0' || (*p == ';' && !quoted))
        {
          g_ptr_array_add (parts, g_strndup (start, p - start));
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }

  return parts;
}

static OdAuthVerdict
verdict_from_string (const char *word)
{
  /* "hardfail" is what some SPF checkers wrote before RFC 7001 settled on "fail". */
  if (g_ascii_strcasecmp (word, "hardfail") == 0)
    return OD_AUTH_VERDICT_FAIL;

  for (guint i = OD_AUTH_VERDICT_PASS; i < G_N_ELEMENTS (verdict_names); i++)
    {
      if (i != OD_AUTH_VERDICT_OTHER && g_ascii_strcasecmp (word, verdict_names[i]) == 0)
        return i;
    }

  return OD_AUTH_VERDICT_OTHER;
}

/* One "method[/version] = result …" part. */
static void
add_resinfo (OdAuthResults *results,
             const char    *part)
{
  const char *p = part;
  g_autofree char *method = take_token (&p, "=/;");
  g_autofree char *result = NULL;
  OdAuthVerdict verdict;

  if (*p == '/')
    {
      g_autofree char *version = NULL;

      p++;
      version = take_token (&p, "=;");
    }
  if (*p != '=')
    return;
  p++;
  result = take_token (&p, ";");
  verdict = verdict_from_string (result);

  for (guint m = 0; m < OD_N_AUTH_METHODS; m++)
    {
      if (g_ascii_strcasecmp (method, method_names[m]) != 0)
        continue;

      /* Several signatures (DKIM): one that passes vouches for the message. */
      if (results->verdicts[m] == OD_AUTH_VERDICT_ABSENT || verdict == OD_AUTH_VERDICT_PASS)
        results->verdicts[m] = verdict;
    }
}

/**
 * od_auth_results_add_header:
 * @value: an Authentication-Results header's value (unfolded)
 * @trusted_authserv_id: (nullable): the receiving server's authserv-id, if known
 *
 * Adds the verdicts of @value if it is the receiving server's: the first header added
 * decides the authserv-id (@trusted_authserv_id, when given, must match it); later ones
 * count only with the same authserv-id.
 *
 * Returns: whether @value was used
 */
gboolean
od_auth_results_add_header (OdAuthResults *results,
                            const char    *value,
                            const char    *trusted_authserv_id)
{
  g_autofree char *stripped = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree char *id = NULL;
  const char *p;

  g_return_val_if_fail (results != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  stripped = strip_comments (value);
  parts = split_resinfo (stripped);
  p = g_ptr_array_index (parts, 0);
  id = take_token (&p, ";");
  if (id[0] == '\0' || !g_utf8_validate (id, -1, NULL))
    return FALSE;

  if (results->authserv_id == NULL)
    {
      if (trusted_authserv_id != NULL && g_ascii_strcasecmp (id, trusted_authserv_id) != 0)
        return FALSE;
      results->authserv_id = od_text_sanitize (id, -1, OD_TEXT_SINGLE_LINE);
    }
  else if (g_ascii_strcasecmp (id, results->authserv_id) != 0)
    return FALSE;

  for (guint i = 1; i < parts->len; i++)
    add_resinfo (results, g_ptr_array_index (parts, i));

  return TRUE;
}

/**
 * od_auth_results_choose:
 * @values: (element-type utf8): Authentication-Results values, topmost first
 * @trusted_authserv_id: (nullable): the receiving server's authserv-id, if known
 *
 * Returns: (transfer full): the receiving server's verdicts; its authserv_id is %NULL when
 *   no header was its
 */
OdAuthResults *
od_auth_results_choose (GPtrArray  *values,
                        const char *trusted_authserv_id)
{
  OdAuthResults *results = od_auth_results_new ();

  for (guint i = 0; values != NULL && i < values->len; i++)
    {
      results->n_headers++;
      if (!od_auth_results_add_header (results, g_ptr_array_index (values, i),
                                       trusted_authserv_id))
        results->n_ignored++;
    }

  return results;
}

/**
 * od_auth_results_has_failure:
 *
 * Returns: whether @method failed (fail, softfail, temperror or permerror)
 */
gboolean
od_auth_results_has_failure (const OdAuthResults *results,
                             OdAuthMethod         method)
{
  switch (results->verdicts[method])
    {
    case OD_AUTH_VERDICT_FAIL:
    case OD_AUTH_VERDICT_SOFTFAIL:
    case OD_AUTH_VERDICT_TEMPERROR:
    case OD_AUTH_VERDICT_PERMERROR:
      return TRUE;
    case OD_AUTH_VERDICT_ABSENT:
    case OD_AUTH_VERDICT_PASS:
    case OD_AUTH_VERDICT_NEUTRAL:
    case OD_AUTH_VERDICT_NONE:
    case OD_AUTH_VERDICT_POLICY:
    case OD_AUTH_VERDICT_OTHER:
    default:
      return FALSE;
    }
}

static const char *
explain_fail (OdAuthMethod method)
{
  switch (method)
    {
    case OD_AUTH_METHOD_SPF:
      return _("SPF failed: the server that sent the message is not allowed to send mail for "
               "the sender’s domain.");
    case OD_AUTH_METHOD_DKIM:
      return _("DKIM failed: the message’s signature does not match, so it was changed on the "
               "way or signed with a key the domain does not publish.");
    case OD_AUTH_METHOD_DMARC:
    case OD_N_AUTH_METHODS:
    default:
      return _("DMARC failed: neither SPF nor DKIM passed for the domain in the From address, "
               "so receivers may reject the message or treat it as spam.");
    }
}

/**
 * od_auth_results_explain:
 *
 * Returns: (transfer full) (nullable): a sentence in plain language about the failure of
 *   @method, translated; %NULL when it did not fail
 */
char *
od_auth_results_explain (const OdAuthResults *results,
                         OdAuthMethod         method)
{
  const char *name = method == OD_AUTH_METHOD_SPF ? "SPF" :
                     method == OD_AUTH_METHOD_DKIM ? "DKIM" : "DMARC";

  switch (results->verdicts[method])
    {
    case OD_AUTH_VERDICT_FAIL:
      return g_strdup (explain_fail (method));
    case OD_AUTH_VERDICT_SOFTFAIL:
      return g_strdup (_("SPF soft fail: the sender’s domain says the server that sent the "
                         "message is probably not allowed to send mail for it."));
    case OD_AUTH_VERDICT_TEMPERROR:
      /* Translators: %s is SPF, DKIM or DMARC */
      return g_strdup_printf (_("%s could not be checked: the receiving server had a temporary "
                                "problem looking up the domain’s records."), name);
    case OD_AUTH_VERDICT_PERMERROR:
      /* Translators: both %s are the same: SPF, DKIM or DMARC */
      return g_strdup_printf (_("%s could not be checked: the domain publishes a broken %s "
                                "record."), name, name);
    case OD_AUTH_VERDICT_ABSENT:
    case OD_AUTH_VERDICT_PASS:
    case OD_AUTH_VERDICT_NEUTRAL:
    case OD_AUTH_VERDICT_NONE:
    case OD_AUTH_VERDICT_POLICY:
    case OD_AUTH_VERDICT_OTHER:
    default:
      return NULL;
    }
}

const char *
od_auth_verdict_to_string (OdAuthVerdict verdict)
{
  g_return_val_if_fail (verdict < G_N_ELEMENTS (verdict_names), NULL);
  return verdict_names[verdict];
}

const char *
od_auth_method_to_string (OdAuthMethod method)
{
  g_return_val_if_fail (method < OD_N_AUTH_METHODS, NULL);
  return method_names[method];
}

/**
 * od_auth_results_to_json:
 *
 * Returns: (transfer full): {"spf", "dkim", "dmarc" (null when absent), "authserv_id"}
 */
JsonNode *
od_auth_results_to_json (const OdAuthResults *results)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  for (guint m = 0; m < OD_N_AUTH_METHODS; m++)
    {
      json_builder_set_member_name (builder, method_names[m]);
      if (results->verdicts[m] == OD_AUTH_VERDICT_ABSENT)
        json_builder_add_null_value (builder);
      else
        json_builder_add_string_value (builder, verdict_names[results->verdicts[m]]);
    }
  json_builder_set_member_name (builder, "authserv_id");
  if (results->authserv_id != NULL)
    json_builder_add_string_value (builder, results->authserv_id);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
