/* od-oauth-tokens.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-oauth"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "od-oauth.h"
#include "od-json.h"
#include "od-oauth-private.h"
#include "od-text.h"

/* The answers of a token endpoint (RFC 6749 §5.1 and §5.2, RFC 8628 §3.5) come from the
 * network: anything may be in them. Nothing here trusts a member's type, a number's size or
 * the text's encoding, and nothing of an answer but the provider's own error description
 * reaches a message. */

#define MAX_TOKEN_LENGTH       16384
#define MAX_DESCRIPTION_CHARS  300
#define MAX_EXPIRES_IN         (366 * 24 * 3600)
#define MAX_DEPTH              8

/* Microsoft's "an administrator must consent" errors (AADSTS65001: the user or admin has not
 * consented; 90094 and 90008: admin consent required by policy; 650052: the app needs access
 * to a service the organisation has not subscribed to or enabled). */
static const guint admin_consent_codes[] = { 65001, 90094, 90008, 650052 };

/**
 * od_oauth_wipe_string:
 *
 * Overwrites @text (a secret) with zeros, before it is freed.
 */
void
od_oauth_wipe_string (char *text)
{
  if (text != NULL)
    memset (text, 0, strlen (text));
}

/**
 * od_oauth_tokens_free:
 *
 * Wipes the tokens and frees @tokens.
 */
void
od_oauth_tokens_free (OdOAuthTokens *tokens)
{
  if (tokens == NULL)
    return;

  od_oauth_wipe_string (tokens->access_token);
  od_oauth_wipe_string (tokens->refresh_token);
  g_free (tokens->access_token);
  g_free (tokens->refresh_token);
  g_free (tokens->scope);
  g_free (tokens);
}

/**
 * od_oauth_tokens_expire_soon:
 * @margin_seconds: how long before the expiry counts as "soon"
 *
 * Returns: whether the access token expires within @margin_seconds (or has expired). A
 *   token whose expiry the provider did not say never expires soon.
 */
gboolean
od_oauth_tokens_expire_soon (const OdOAuthTokens *tokens,
                             gint64               margin_seconds)
{
  g_return_val_if_fail (tokens != NULL, TRUE);

  if (tokens->expires_at == 0)
    return FALSE;

  return g_get_real_time () / G_USEC_PER_SEC + MAX (margin_seconds, 0) >= tokens->expires_at;
}

/**
 * od_oauth_is_token_text:
 *
 * Whether @text can be a token, code or verifier: printable ASCII without spaces, not empty,
 * bounded. Anything else could break the SASL framing it is put in (XOAUTH2 ends at ^A) or
 * a form.
 */
gboolean
od_oauth_is_token_text (const char *text)
{
  gsize len = 0;

  if (text == NULL || text[0] == '\0')
    return FALSE;

  for (const char *p = text; *p; p++, len++)
    if (*p < 0x21 || *p > 0x7e || len >= MAX_TOKEN_LENGTH)
      return FALSE;

  return TRUE;
}

/**
 * od_oauth_quote_description:
 * @description: (nullable): the provider's `error_description`
 *
 * Returns: (transfer full) (nullable): "The provider said: “…”" with control characters
 *   replaced and at most a few hundred characters, or %NULL when there is nothing to quote
 */
char *
od_oauth_quote_description (const char *description)
{
  g_autofree char *clean = NULL;
  g_autofree char *stripped = NULL;

  if (description == NULL)
    return NULL;

  clean = od_text_sanitize (description, -1, OD_TEXT_SINGLE_LINE);
  stripped = g_strstrip (g_strdup (clean));
  if (stripped[0] == '\0')
    return NULL;

  if (g_utf8_strlen (stripped, -1) > MAX_DESCRIPTION_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (stripped, 0, MAX_DESCRIPTION_CHARS);

      g_free (stripped);
      stripped = g_strconcat (cut, "…", NULL);
    }

  /* Translators: %s is the sign-in service's own explanation, usually in English */
  return g_strdup_printf (_("The provider said: “%s”"), stripped);
}

/* "AADSTS65001" in @text, not followed by another digit (AADSTS650011 is another error). */
static gboolean
contains_code (const char *text,
               guint       code)
{
  g_autofree char *needle = g_strdup_printf ("AADSTS%u", code);
  const char *p = text;

  while (p != NULL && (p = strstr (p, needle)) != NULL)
    {
      p += strlen (needle);
      if (!g_ascii_isdigit (*p))
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_admin_consent_code (gint64 code)
{
  for (guint i = 0; i < G_N_ELEMENTS (admin_consent_codes); i++)
    if (code == admin_consent_codes[i])
      return TRUE;

  return FALSE;
}

static gboolean
mentions_admin_consent (const char *description)
{
  if (description == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (admin_consent_codes); i++)
    if (contains_code (description, admin_consent_codes[i]))
      return TRUE;

  return FALSE;
}

static gboolean
is_policy (const char *text)
{
  return text != NULL &&
         (strstr (text, "admin_policy_enforced") != NULL ||
          strstr (text, "policy_enforced") != NULL);
}

/**
 * od_oauth_error_new_from_answer:
 * @status: the HTTP status, or 0 for a redirect's `error` parameter
 * @error_code: (nullable): the `error` member or parameter
 * @description: (nullable): `error_description`
 * @subtype: (nullable): Google's `error_subtype`
 * @admin_consent_code: whether Microsoft's `error_codes` holds an admin-consent code
 *
 * Maps an error answer to our error, in this order: an administrator must consent (whatever
 * `error` says: Microsoft sends it as invalid_grant, invalid_request or invalid_client);
 * a policy blocks the sign-in; the `error` value; a 5xx status; anything else is
 * %OD_OAUTH_ERROR_PROTOCOL. authorization_pending and slow_down give the private codes.
 *
 * Returns: (transfer full): the error
 */
GError *
od_oauth_error_new_from_answer (guint       status,
                                const char *error_code,
                                const char *description,
                                const char *subtype,
                                gboolean    admin_consent_code)
{
  g_autofree char *said = od_oauth_quote_description (description);
  const char *what;
  OdOAuthError code;

  if (admin_consent_code || mentions_admin_consent (description))
    {
      code = OD_OAUTH_ERROR_ADMIN_CONSENT;
      what = _("Your organisation’s administrator must allow Outbox Doctor to use your mail "
               "account before you can sign in. Ask them to grant consent for it, then sign "
               "in again.");
    }
  else if (is_policy (error_code) || is_policy (subtype) || is_policy (description))
    {
      code = OD_OAUTH_ERROR_POLICY_BLOCKED;
      what = _("A policy of your organisation or your provider does not allow this sign-in. "
               "Ask your administrator, or use an app password if your provider offers one.");
    }
  else if (g_strcmp0 (error_code, "invalid_grant") == 0 ||
           /* Microsoft: the person must sign in (again) interactively */
           g_strcmp0 (error_code, "interaction_required") == 0 ||
           g_strcmp0 (error_code, "login_required") == 0 ||
           g_strcmp0 (error_code, "consent_required") == 0)
    {
      code = OD_OAUTH_ERROR_INVALID_GRANT;
      what = _("The sign-in is no longer valid: it was revoked or has expired, or the "
               "password was changed. Sign in again.");
    }
  else if (g_strcmp0 (error_code, "invalid_scope") == 0)
    {
      code = OD_OAUTH_ERROR_SCOPE;
      what = _("The provider refused the access to mail that Outbox Doctor asked for. Ask "
               "your administrator whether mail programs may sign in to your account.");
    }
  else if (g_strcmp0 (error_code, "invalid_client") == 0 ||
           g_strcmp0 (error_code, "unauthorized_client") == 0)
    {
      code = OD_OAUTH_ERROR_INVALID_CLIENT;
      what = _("The provider does not accept the client ID Outbox Doctor signs in with. "
               "Check your own client ID and secret if you entered them, or use GNOME Online "
               "Accounts or an app password instead.");
    }
  else if (g_strcmp0 (error_code, "access_denied") == 0)
    {
      code = OD_OAUTH_ERROR_ACCESS_DENIED;
      what = _("The sign-in was declined. Sign in again and allow Outbox Doctor to use your "
               "mail account.");
    }
  else if (g_strcmp0 (error_code, "expired_token") == 0)
    {
      code = OD_OAUTH_ERROR_EXPIRED;
      what = _("The sign-in code expired before it was entered. Start the sign-in again and "
               "enter the new code within the time shown.");
    }
  else if (g_strcmp0 (error_code, "authorization_pending") == 0)
    {
      return g_error_new_literal (OD_OAUTH_ERROR, OD_OAUTH_ERROR_PRIVATE_PENDING,
                                  "authorization_pending");
    }
  else if (g_strcmp0 (error_code, "slow_down") == 0)
    {
      return g_error_new_literal (OD_OAUTH_ERROR, OD_OAUTH_ERROR_PRIVATE_SLOW_DOWN,
                                  "slow_down");
    }
  else if (g_strcmp0 (error_code, "server_error") == 0 ||
           g_strcmp0 (error_code, "temporarily_unavailable") == 0 ||
           status >= 500)
    {
      code = OD_OAUTH_ERROR_SERVER;
      what = _("The provider’s sign-in service has a problem at the moment. Try again in a "
               "few minutes.");
    }
  else
    {
      code = OD_OAUTH_ERROR_PROTOCOL;
      what = _("The provider’s sign-in service gave an answer Outbox Doctor does not "
               "understand. Try again later; if it keeps happening, report it.");
    }

  if (said != NULL)
    return g_error_new (OD_OAUTH_ERROR, code, "%s %s", what, said);

  return g_error_new_literal (OD_OAUTH_ERROR, code, what);
}

/**
 * od_oauth_json_get_string:
 *
 * Returns: (nullable): the member @name when it is a string, else %NULL (a number, an
 *   object, null, …)
 */
const char *
od_oauth_json_get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/**
 * od_oauth_json_get_seconds:
 * @seconds: (out): the number
 *
 * Reads a number of seconds given as a number or a numeric string (some Microsoft endpoints
 * send "3599"), clamped to [1 s, 1 year].
 *
 * Returns: whether there was such a member
 */
gboolean
od_oauth_json_get_seconds (JsonObject *object,
             const char *name,
             gint64     *seconds)
{
  JsonNode *node = json_object_get_member (object, name);
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      value = (double)json_node_get_int (node);
      break;
    case G_TYPE_DOUBLE:
      value = json_node_get_double (node);
      break;
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        char *end = NULL;

        if (text == NULL || !g_ascii_isdigit (text[0]))
          return FALSE;
        value = g_ascii_strtod (text, &end);
        if (end == NULL || *end != '\0')
          return FALSE;
      }
      break;
    default:
      return FALSE;
    }

  if (isnan (value))
    return FALSE;

  *seconds = (gint64)CLAMP (value, 1.0, (double)MAX_EXPIRES_IN);
  return TRUE;
}

static gboolean
has_admin_consent_code (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "error_codes");
  JsonArray *codes;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;

  codes = json_node_get_array (node);
  n = MIN (json_array_get_length (codes), 64);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (codes, i);

      if (JSON_NODE_HOLDS_VALUE (element) &&
          json_node_get_value_type (element) == G_TYPE_INT64 &&
          is_admin_consent_code (json_node_get_int (element)))
        return TRUE;
    }

  return FALSE;
}

/* A token answer is one flat object (error_codes one array deep): od_json_is_one_object(). */
static gboolean
is_plausible_json (const char *data,
                   gsize       size)
{
  return od_json_is_one_object (data, size, MAX_DEPTH);
}

static GError *
protocol_error (guint status)
{
  return od_oauth_error_new_from_answer (status, NULL, NULL, NULL, FALSE);
}

/**
 * od_oauth_read_answer:
 * @status: the HTTP status
 * @body: (nullable): the body
 *
 * Reads the JSON object of an OAuth endpoint's successful answer. An error answer (an
 * `error` member whatever the status, or a status other than 2xx) becomes its error
 * (od_oauth_error_new_from_answer()); anything but a bounded, valid UTF-8, shallow JSON
 * object is %OD_OAUTH_ERROR_PROTOCOL (%OD_OAUTH_ERROR_SERVER after a 5xx).
 *
 * Returns: (transfer full): the answer's object, or %NULL with @error set
 */
JsonObject *
od_oauth_read_answer (guint    status,
                      GBytes  *body,
                      GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  const char *data;
  const char *error_code;
  JsonNode *root;
  JsonObject *object;
  gsize size = 0;

  data = body != NULL ? g_bytes_get_data (body, &size) : NULL;

  /* Not JSON at all: a proxy's or load balancer's page, an empty answer. */
  if (data == NULL || size == 0 || size > OD_OAUTH_MAX_ANSWER ||
      memchr (data, '\0', size) != NULL || !g_utf8_validate (data, size, NULL) ||
      !is_plausible_json (data, size))
    {
      g_propagate_error (error, protocol_error (status));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, size, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_propagate_error (error, protocol_error (status));
      return NULL;
    }

  object = json_node_get_object (root);
  error_code = od_oauth_json_get_string (object, "error");

  /* An `error` member is an error whatever the status (some servers answer 200). */
  if (error_code != NULL || status < 200 || status >= 300)
    {
      g_propagate_error (error,
                         od_oauth_error_new_from_answer (status, error_code,
                                                         od_oauth_json_get_string (object,
                                                                                   "error_description"),
                                                         od_oauth_json_get_string (object,
                                                                                   "error_subtype"),
                                                         has_admin_consent_code (object)));
      return NULL;
    }

  return json_object_ref (object);
}

static OdOAuthTokens *
parse_answer (guint    status,
              GBytes  *body,
              GError **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(OdOAuthTokens) tokens = NULL;
  const char *access_token;
  const char *refresh_token;
  const char *token_type;
  const char *scope;
  gint64 expires_in;

  object = od_oauth_read_answer (status, body, error);
  if (object == NULL)
    return NULL;

  access_token = od_oauth_json_get_string (object, "access_token");
  refresh_token = od_oauth_json_get_string (object, "refresh_token");
  token_type = od_oauth_json_get_string (object, "token_type");
  scope = od_oauth_json_get_string (object, "scope");

  if (!od_oauth_is_token_text (access_token) ||
      (json_object_has_member (object, "token_type") &&
       g_ascii_strcasecmp (token_type ? token_type : "", "Bearer") != 0) ||
      (refresh_token != NULL && !od_oauth_is_token_text (refresh_token)))
    {
      g_propagate_error (error, protocol_error (status));
      return NULL;
    }

  tokens = g_new0 (OdOAuthTokens, 1);
  tokens->access_token = g_strdup (access_token);
  tokens->refresh_token = g_strdup (refresh_token);
  if (od_oauth_json_get_seconds (object, "expires_in", &expires_in))
    tokens->expires_at = g_get_real_time () / G_USEC_PER_SEC + expires_in;
  if (scope != NULL)
    tokens->scope = od_text_sanitize (scope, -1, OD_TEXT_SINGLE_LINE);

  return g_steal_pointer (&tokens);
}

/**
 * od_oauth_tokens_parse_response:
 * @status: the HTTP status of the answer
 * @body: (nullable): its body
 *
 * Reads a token endpoint's answer: the tokens of a successful one (a string access_token,
 * token_type Bearer or absent; expires_in turned into expires_at, clamped to [1 s, 1 year]),
 * or the error of a failed one (see od_oauth_error_new_from_answer()).
 *
 * Returns: (transfer full): the tokens, or %NULL with @error set
 */
OdOAuthTokens *
od_oauth_tokens_parse_response (guint    status,
                                GBytes  *body,
                                GError **error)
{
  g_autoptr(GError) local_error = NULL;
  OdOAuthTokens *tokens;

  tokens = parse_answer (status, body, &local_error);
  if (tokens != NULL)
    return tokens;

  /* Outside the device flow, "keep polling" makes no sense. */
  if (g_error_matches (local_error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_PRIVATE_PENDING) ||
      g_error_matches (local_error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_PRIVATE_SLOW_DOWN))
    {
      g_clear_error (&local_error);
      local_error = protocol_error (status);
    }

  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/**
 * od_oauth_tokens_parse_polling:
 *
 * As od_oauth_tokens_parse_response(), for the device flow's polling: authorization_pending
 * and slow_down give %OD_OAUTH_ERROR_PRIVATE_PENDING and %OD_OAUTH_ERROR_PRIVATE_SLOW_DOWN.
 */
OdOAuthTokens *
od_oauth_tokens_parse_polling (guint    status,
                               GBytes  *body,
                               GError **error)
{
  return parse_answer (status, body, error);
}
