/* od-sasl-oauth.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-protocol"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "od-json.h"
#include "od-sasl-oauth.h"

/* The longest error challenge read: a server's JSON is a few hundred bytes. */
#define MAX_CHALLENGE 4096

/**
 * od_sasl_oauth_is_mechanism:
 *
 * Returns: whether @mechanism is XOAUTH2 or OAUTHBEARER (as a server names it, any case)
 */
gboolean
od_sasl_oauth_is_mechanism (const char *mechanism)
{
  return mechanism != NULL && (g_ascii_strcasecmp (mechanism, OD_SASL_XOAUTH2) == 0
                               || g_ascii_strcasecmp (mechanism, OD_SASL_OAUTHBEARER) == 0);
}

/* A GS2 authzid (RFC 5801 §4): "," and "=" written as "=2C" and "=3D". */
static void
append_saslname (GString    *out,
                 const char *name)
{
  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == ',')
        g_string_append (out, "=2C");
      else if (*p == '=')
        g_string_append (out, "=3D");
      else
        g_string_append_c (out, *p);
    }
}

/**
 * od_sasl_oauth_response:
 * @mechanism: %OD_SASL_XOAUTH2 or %OD_SASL_OAUTHBEARER
 * @user: the account's user name (its address for Google and Microsoft)
 * @host: (nullable): the server's name, for OAUTHBEARER
 * @port: the server's port, for OAUTHBEARER
 * @token: the access token
 *
 * The client's first (and only) response, base64-encoded:
 * XOAUTH2 "user=USER^Aauth=Bearer TOKEN^A^A";
 * OAUTHBEARER (RFC 7628 §3.1) "n,a=USER,^Ahost=HOST^Aport=PORT^Aauth=Bearer TOKEN^A^A".
 * It holds the token: the caller registers it with the transcript and wipes it.
 *
 * Returns: (transfer full): the response
 */
char *
od_sasl_oauth_response (const char *mechanism,
                        const char *user,
                        const char *host,
                        guint16     port,
                        const char *token)
{
  g_autoptr(GString) blob = g_string_new (NULL);
  char *encoded;

  g_return_val_if_fail (od_sasl_oauth_is_mechanism (mechanism), NULL);
  g_return_val_if_fail (user != NULL && token != NULL, NULL);

  if (g_ascii_strcasecmp (mechanism, OD_SASL_OAUTHBEARER) == 0)
    {
      g_string_append (blob, "n,a=");
      append_saslname (blob, user);
      g_string_append (blob, ",\001");
      if (host != NULL)
        g_string_append_printf (blob, "host=%s\001", host);
      if (port != 0)
        g_string_append_printf (blob, "port=%u\001", port);
    }
  else
    g_string_append_printf (blob, "user=%s\001", user);
  g_string_append_printf (blob, "auth=Bearer %s\001\001", token);

  encoded = g_base64_encode ((const guchar *)blob->str, blob->len);
  memset (blob->str, 0, blob->len);
  return encoded;
}

/**
 * od_sasl_oauth_error_reply:
 *
 * Returns: what the client answers an error challenge with, so that the server ends the
 *   exchange with its final reply: nothing for XOAUTH2 (Google's and Microsoft's
 *   documentation), a single ^A for OAUTHBEARER (RFC 7628 §3.2.3), base64-encoded
 */
const char *
od_sasl_oauth_error_reply (const char *mechanism)
{
  return g_ascii_strcasecmp (mechanism, OD_SASL_OAUTHBEARER) == 0 ? "AQ==" : "";
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_utf8_make_valid (json_node_get_string (node), -1);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

/**
 * od_sasl_oauth_error_parse:
 * @challenge: the challenge's text as the server sent it (base64), without the reply code
 *
 * Reads the JSON a server sends instead of success when it refuses a token:
 * `{"status":"invalid_token","schemes":"bearer","scope":"https://mail.google.com/"}` (RFC
 * 7628 §3.2.2), `{"status":"401","schemes":"Bearer","scope":"…"}` (Google's XOAUTH2).
 *
 * Returns: (transfer full) (nullable): the error, or %NULL when the challenge is not such JSON
 */
OdSaslOAuthError *
od_sasl_oauth_error_parse (const char *challenge)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  OdSaslOAuthError *error;
  JsonNode *root;
  JsonObject *object;
  gsize length = 0;

  if (challenge == NULL)
    return NULL;
  while (*challenge == ' ')
    challenge++;
  if (challenge[0] == '\0' || strlen (challenge) > MAX_CHALLENGE
      || strspn (challenge, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
         != strlen (challenge))
    return NULL;
  decoded = g_base64_decode (challenge, &length);
  if (decoded == NULL || length == 0 || memchr (decoded, '\0', length) != NULL)
    return NULL;
  /* One JSON object, as RFC 7628 §3.2.2 says, before json-glib sees it. */
  if (!od_json_is_one_object ((const char *)decoded, length, 4))
    return NULL;
  text = g_strndup ((const char *)decoded, length);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);

  error = g_new0 (OdSaslOAuthError, 1);
  error->status = dup_member (object, "status");
  error->scope = dup_member (object, "scope");
  error->schemes = dup_member (object, "schemes");
  return error;
}

OdSaslOAuthError *
od_sasl_oauth_error_copy (const OdSaslOAuthError *error)
{
  OdSaslOAuthError *copy;

  if (error == NULL)
    return NULL;
  copy = g_new0 (OdSaslOAuthError, 1);
  copy->status = g_strdup (error->status);
  copy->scope = g_strdup (error->scope);
  copy->schemes = g_strdup (error->schemes);
  return copy;
}

void
od_sasl_oauth_error_free (OdSaslOAuthError *error)
{
  if (error == NULL)
    return;
  g_free (error->status);
  g_free (error->scope);
  g_free (error->schemes);
  g_free (error);
}
