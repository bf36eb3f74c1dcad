/* test-oauth.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "od-fake-oauth-server.h"
#include "od-oauth.h"
#include "od-oauth-private.h"
#include "od-test-browser.h"

/* The sign-in flows against the fake authorization server (tests/fake/od-fake-oauth-server.c),
 * the browser ones through the real g_app_info_launch_default_for_uri() with the browser
 * stand-in (tests/fake/fake-browser.c) registered in a throw-away XDG directory. */

#define POLL_SCALE 0.05  /* 1 s becomes 50 ms */

static char *browser;       /* NULL: the browser tests skip */
static char *secrets_log;   /* for tests/check-no-secrets.sh */
static char *browser_log;

/* Parser */

static OdOAuthTokens *
parse (guint       status,
       const char *json,
       GError    **error)
{
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

  return od_oauth_tokens_parse_response (status, body, error);
}

static void
test_parse_good (void)
{
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  tokens = parse (200, "{\"access_token\":\"ya29.abc-DEF_1\",\"token_type\":\"bearer\","
                  "\"expires_in\":3599,\"refresh_token\":\"1//rt\",\"scope\":\"https://mail.google.com/\"}",
                  &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens->access_token, ==, "ya29.abc-DEF_1");
  g_assert_cmpstr (tokens->refresh_token, ==, "1//rt");
  g_assert_cmpstr (tokens->scope, ==, "https://mail.google.com/");
  g_assert_cmpint (tokens->expires_at, >=, now + 3599);
  g_assert_cmpint (tokens->expires_at, <=, now + 3601);
  g_assert_false (od_oauth_tokens_expire_soon (tokens, 60));
  g_assert_true (od_oauth_tokens_expire_soon (tokens, 3600));
  g_clear_pointer (&tokens, od_oauth_tokens_free);

  /* The least an answer may be: no type, no expiry, no refresh token. */
  tokens = parse (200, "{\"access_token\":\"at\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens->access_token, ==, "at");
  g_assert_null (tokens->refresh_token);
  g_assert_null (tokens->scope);
  g_assert_cmpint (tokens->expires_at, ==, 0);
  g_assert_false (od_oauth_tokens_expire_soon (tokens, 1000000));
  g_clear_pointer (&tokens, od_oauth_tokens_free);

  /* Microsoft's old endpoints send expires_in as a string. */
  tokens = parse (200, "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":\"60\"}",
                  &error);
  g_assert_no_error (error);
  g_assert_cmpint (tokens->expires_at, >=, now + 60);
  g_assert_cmpint (tokens->expires_at, <=, now + 62);
  g_clear_pointer (&tokens, od_oauth_tokens_free);

  /* Silly lifetimes are clamped: at most a year, at least a second. */
  tokens = parse (200, "{\"access_token\":\"at\",\"expires_in\":1e308}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tokens->expires_at, <=, now + 367 * 24 * 3600);
  g_assert_cmpint (tokens->expires_at, >, now + 300 * 24 * 3600);
  g_clear_pointer (&tokens, od_oauth_tokens_free);

  tokens = parse (200, "{\"access_token\":\"at\",\"expires_in\":-5000}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tokens->expires_at, >=, now + 1);
  g_assert_cmpint (tokens->expires_at, <=, now + 3);
  g_clear_pointer (&tokens, od_oauth_tokens_free);

  tokens = parse (200, "{\"access_token\":\"at\",\"expires_in\":99999999999999999999999}",
                  &error);
  if (tokens != NULL)
    g_assert_cmpint (tokens->expires_at, <=, now + 367 * 24 * 3600);
  else
    g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_clear_pointer (&tokens, od_oauth_tokens_free);

  /* A control character in the scope is not passed on. */
  tokens = parse (200, "{\"access_token\":\"at\",\"scope\":\"a\\u0007b\"}", &error);
  g_assert_no_error (error);
  g_assert_null (strchr (tokens->scope, '\a'));
}

static const struct
{
  guint        status;
  const char  *body;
  OdOAuthError code;
} error_answers[] = {
  { 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Bad Request\"}",
    OD_OAUTH_ERROR_INVALID_GRANT },
  { 400, "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS65001: The user or "
         "administrator has not consented\"}", OD_OAUTH_ERROR_ADMIN_CONSENT },
  { 400, "{\"error\":\"invalid_request\",\"error_codes\":[50011,90094]}",
    OD_OAUTH_ERROR_ADMIN_CONSENT },
  { 400, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS650052: The app needs "
         "access to a service\"}", OD_OAUTH_ERROR_ADMIN_CONSENT },
  { 400, "{\"error\":\"access_denied\",\"error_description\":\"AADSTS90008: must consent\"}",
    OD_OAUTH_ERROR_ADMIN_CONSENT },
  /* Another number that starts the same is another error. */
  { 400, "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS650012: something else\"}",
    OD_OAUTH_ERROR_INVALID_GRANT },
  { 400, "{\"error\":\"invalid_grant\",\"error_codes\":[\"65001\", 6500, 650011]}",
    OD_OAUTH_ERROR_INVALID_GRANT },
  { 400, "{\"error\":\"admin_policy_enforced\"}", OD_OAUTH_ERROR_POLICY_BLOCKED },
  { 400, "{\"error\":\"access_denied\",\"error_subtype\":\"admin_policy_enforced\"}",
    OD_OAUTH_ERROR_POLICY_BLOCKED },
  { 400, "{\"error\":\"invalid_grant\",\"error_description\":\"policy_enforced: Advanced "
         "Protection\"}", OD_OAUTH_ERROR_POLICY_BLOCKED },
  { 400, "{\"error\":\"invalid_scope\"}", OD_OAUTH_ERROR_SCOPE },
  { 401, "{\"error\":\"invalid_client\"}", OD_OAUTH_ERROR_INVALID_CLIENT },
  { 400, "{\"error\":\"unauthorized_client\"}", OD_OAUTH_ERROR_INVALID_CLIENT },
  { 400, "{\"error\":\"access_denied\"}", OD_OAUTH_ERROR_ACCESS_DENIED },
  { 400, "{\"error\":\"expired_token\"}", OD_OAUTH_ERROR_EXPIRED },
  { 500, "{\"error\":\"server_error\"}", OD_OAUTH_ERROR_SERVER },
  { 400, "{\"error\":\"temporarily_unavailable\"}", OD_OAUTH_ERROR_SERVER },
  { 503, "<html>Service Unavailable</html>", OD_OAUTH_ERROR_SERVER },
  { 502, "{}", OD_OAUTH_ERROR_SERVER },
  /* "Keep polling" outside the device flow makes no sense. */
  { 400, "{\"error\":\"authorization_pending\"}", OD_OAUTH_ERROR_PROTOCOL },
  { 400, "{\"error\":\"slow_down\"}", OD_OAUTH_ERROR_PROTOCOL },
  { 400, "{\"error\":\"invalid_request\"}", OD_OAUTH_ERROR_PROTOCOL },
  { 400, "{\"error\":\"no_such_thing\"}", OD_OAUTH_ERROR_PROTOCOL },
  /* An error is an error whatever the status. */
  { 200, "{\"error\":\"invalid_grant\",\"access_token\":\"at\"}", OD_OAUTH_ERROR_INVALID_GRANT },
  { 400, "{\"access_token\":\"at\"}", OD_OAUTH_ERROR_PROTOCOL },
  /* Hostile or broken answers. */
  { 200, "", OD_OAUTH_ERROR_PROTOCOL },
  { 200, "not json", OD_OAUTH_ERROR_PROTOCOL },
  { 200, "[]", OD_OAUTH_ERROR_PROTOCOL },
  { 200, "[{\"access_token\":\"at\"}]", OD_OAUTH_ERROR_PROTOCOL },
  { 200, "\"access_token\"", OD_OAUTH_ERROR_PROTOCOL },
  { 200, "null", OD_OAUTH_ERROR_PROTOCOL },
  { 200, "42", OD_OAUTH_ERROR_PROTOCOL },
  { 200, "{\"access_token\":42}", OD_OAUTH_ERROR_PROTOCOL },
  { 200, "{\"access_token\":null}", OD_OAUTH_ERROR_PROTOCOL },
  { 200, "{\"access_token\":{\"a\":1}}", OD_OAUTH_ERROR_PROTOCOL },
  { 200, "{\"access_token\":\"\"}", OD_OAUTH_ERROR_PROTOCOL },
  { 200, "{\"access_token\":\"a b\"}", OD_OAUTH_ERROR_PROTOCOL },
  { 200, "{\"access_token\":\"a\\u0001b\"}", OD_OAUTH_ERROR_PROTOCOL },
  { 200, "{\"access_token\":\"a\\u0000b\"}", OD_OAUTH_ERROR_PROTOCOL },
  { 200, "{\"access_token\":\"at\",\"token_type\":\"mac\"}", OD_OAUTH_ERROR_PROTOCOL },
  { 200, "{\"access_token\":\"at\",\"token_type\":7}", OD_OAUTH_ERROR_PROTOCOL },
  { 200, "{\"access_token\":\"at\",\"refresh_token\":\"r t\"}", OD_OAUTH_ERROR_PROTOCOL },
  { 400, "{\"error\":7}", OD_OAUTH_ERROR_PROTOCOL },
  { 400, "{\"error\":[\"invalid_grant\"]}", OD_OAUTH_ERROR_PROTOCOL },
  { 400, "{\"error\":\"invalid_grant\",\"error_codes\":{\"a\":65001}}",
    OD_OAUTH_ERROR_INVALID_GRANT },
  { 200, "{\"access_token\":\"at\"", OD_OAUTH_ERROR_PROTOCOL },
  { 200, "\xff\xfe{\"access_token\":\"at\"}", OD_OAUTH_ERROR_PROTOCOL },
};

static void
test_parse_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_answers); i++)
    {
      g_autoptr(OdOAuthTokens) tokens = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *shown = g_strescape (error_answers[i].body, NULL);

      g_test_message ("answer %u: %u %s", i, error_answers[i].status, shown);
      tokens = parse (error_answers[i].status, error_answers[i].body, &error);
      g_assert_null (tokens);
      g_assert_error (error, OD_OAUTH_ERROR, (int)error_answers[i].code);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpuint (strlen (error->message), >, 20);
    }
}

static void
test_parse_hostile (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) huge = g_string_new ("{\"access_token\":\"");
  g_autoptr(GString) description = g_string_new ("{\"error\":\"invalid_grant\","
                                                  "\"refresh_token\":\"SECRET-RT\","
                                                  "\"error_description\":\"Line1\\r\\nLine2\\u0007 ");
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GBytes) with_nul = NULL;
  g_autoptr(GError) error = NULL;

  /* Nesting deep enough to exhaust a recursive parser's stack. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  tokens = parse (200, deep->str, &error);
  g_assert_null (tokens);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* Larger than any token answer. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (huge, 'a');
  g_string_append (huge, "\"}");
  tokens = parse (200, huge->str, &error);
  g_assert_null (tokens);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* A NUL byte inside the body. */
  with_nul = g_bytes_new ("{\"access_token\":\"at\"}\0{}", 24);
  tokens = od_oauth_tokens_parse_response (200, with_nul, &error);
  g_assert_null (tokens);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_PROTOCOL);
  g_clear_error (&error);

  tokens = od_oauth_tokens_parse_response (200, NULL, &error);
  g_assert_null (tokens);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* The provider's description is quoted: one line, bounded, never the answer's tokens. */
  for (guint i = 0; i < 200; i++)
    g_string_append (description, "blah ");
  g_string_append (description, "\"}");
  tokens = parse (400, description->str, &error);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_INVALID_GRANT);
  g_assert_nonnull (strstr (error->message, "Line1"));
  g_assert_null (strchr (error->message, '\n'));
  g_assert_null (strchr (error->message, '\r'));
  g_assert_null (strchr (error->message, '\a'));
  g_assert_null (strstr (error->message, "SECRET-RT"));
  g_assert_cmpuint (g_utf8_strlen (error->message, -1), <, 700);
}

static void
test_parse_polling (void)
{
  g_autoptr(GBytes) pending = g_bytes_new_static ("{\"error\":\"authorization_pending\"}", 33);
  g_autoptr(GBytes) slow = g_bytes_new_static ("{\"error\":\"slow_down\"}", 21);
  g_autoptr(GBytes) expired = g_bytes_new_static ("{\"error\":\"expired_token\"}", 25);
  g_autoptr(GError) error = NULL;

  g_assert_null (od_oauth_tokens_parse_polling (400, pending, &error));
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_PRIVATE_PENDING);
  g_clear_error (&error);

  /* Google answers 428 Precondition Required. */
  g_assert_null (od_oauth_tokens_parse_polling (428, pending, &error));
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_PRIVATE_PENDING);
  g_clear_error (&error);

  g_assert_null (od_oauth_tokens_parse_polling (400, slow, &error));
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_PRIVATE_SLOW_DOWN);
  g_clear_error (&error);

  g_assert_null (od_oauth_tokens_parse_polling (400, expired, &error));
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_EXPIRED);
}

/* Provider and endpoints */

static void
test_endpoint (void)
{
  const char *allowed[] = {
    "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    "HTTPS://oauth2.googleapis.com/token",
    "http://127.0.0.1:8080/token",
    "http://127.0.0.1/token",
    "http://[::1]:9000/token",
  };
  const char *refused[] = {
    "http://oauth2.googleapis.com/token",
    "http://localhost:8080/token",
    "http://127.0.0.2/token",
    "http://127.0.0.1.example.org/token",
    "ftp://127.0.0.1/token",
    "file:///etc/passwd",
    "https://",
    "https:///token",
    "not a url",
    "",
    NULL,
  };

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (od_oauth_endpoint_is_allowed (allowed[i], &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("refused: %s", refused[i] ? refused[i] : "(null)");
      g_assert_false (od_oauth_endpoint_is_allowed (refused[i], &error));
      g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_INSECURE);
    }
}

static void
test_provider (void)
{
  const char *scopes[] = { "https://outlook.office.com/SMTP.Send", "",
                           "offline_access", NULL };
  OdOAuthProvider provider = {
    .id = (char *)"microsoft",
    .display_name = (char *)"Microsoft",
    .authorization_endpoint = (char *)"https://login.example/authorize",
    .token_endpoint = (char *)"https://login.example/token",
    .scopes = (char **)scopes,
    .client_id = (char *)"id",
    .client_secret = (char *)"secret",
  };
  g_autoptr(OdOAuthProvider) copy = NULL;
  g_autofree char *scope = NULL;
  OdOAuthProvider *boxed;

  scope = od_oauth_provider_dup_scope (&provider);
  g_assert_cmpstr (scope, ==, "https://outlook.office.com/SMTP.Send offline_access");

  copy = od_oauth_provider_copy (&provider);
  g_assert_true (copy->scopes != provider.scopes);
  g_assert_cmpstr (copy->client_secret, ==, "secret");
  g_assert_null (copy->device_endpoint);
  g_assert_cmpstrv (copy->scopes, scopes);

  boxed = g_boxed_copy (OD_TYPE_OAUTH_PROVIDER, copy);
  g_assert_cmpstr (boxed->token_endpoint, ==, "https://login.example/token");
  g_boxed_free (OD_TYPE_OAUTH_PROVIDER, boxed);

  provider.scopes = NULL;
  g_clear_pointer (&scope, g_free);
  scope = od_oauth_provider_dup_scope (&provider);
  g_assert_cmpstr (scope, ==, "");
}

/* Against the fake server */

typedef struct
{
  OdFakeOAuthServer *server;
  OdOAuthProvider   *provider;
  char              *refresh_token;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();

  fixture->server = od_fake_oauth_server_new ();
  fixture->refresh_token = g_strconcat ("rt-", uuid, NULL);
  od_fake_oauth_server_set_client (fixture->server, "fake-client", "fake-secret");
  od_fake_oauth_server_set_tokens (fixture->server, "access-1", fixture->refresh_token);
  od_fake_oauth_server_set_refresh_tokens (fixture->server, "access-2", NULL);
  od_fake_oauth_server_set_secrets_log (fixture->server, secrets_log);
  g_assert_true (od_fake_oauth_server_start (fixture->server, 0, &error));
  g_assert_no_error (error);
  fixture->provider = od_fake_oauth_server_dup_provider (fixture->server);
}

/* @object goes once its main context has run out what still holds it: a request the flow
 * gave up on (cancelled, timed out) may still be on its way (slowly under AddressSanitizer). */
static void
assert_finalized_soon (gpointer object)
{
  gpointer alive = object;
  guint tick = g_timeout_add (50, (GSourceFunc) G_SOURCE_CONTINUE, NULL);
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (object, &alive);
  g_object_unref (object);
  while (alive != NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_null (alive);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->provider, od_oauth_provider_free);
  assert_finalized_soon (g_steal_pointer (&fixture->server));
  g_clear_pointer (&fixture->refresh_token, g_free);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static OdOAuthTokens *
refresh (Fixture       *fixture,
         guint          timeout_ms,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  od_oauth_refresh_async (fixture->provider, fixture->refresh_token, timeout_ms, cancellable,
                          store_result_cb, &result);
  return od_oauth_refresh_finish (wait_for (&result), error);
}

static void
test_refresh_ok (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) grants = NULL;

  tokens = refresh (fixture, 5000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens->access_token, ==, "access-2");
  g_assert_null (tokens->refresh_token);
  g_assert_cmpint (tokens->expires_at, >, g_get_real_time () / G_USEC_PER_SEC + 3000);

  /* Google's desktop clients must send their secret with the refresh, too. */
  g_assert_cmpstr (od_fake_oauth_server_get_last_refresh_secret (fixture->server), ==,
                   "fake-secret");
  g_assert_cmpstr (od_fake_oauth_server_get_last_refresh_scope (fixture->server), ==,
                   "https://mail.example/ offline_access");
  grants = od_fake_oauth_server_dup_grant_types (fixture->server);
  g_assert_cmpstrv (grants, ((const char *[]){ "refresh_token", NULL }));
  g_assert_cmpuint (od_fake_oauth_server_get_n_rejected (fixture->server), ==, 0);
}

static void
test_refresh_rotated (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *rotated = g_strconcat ("rt-rotated-", uuid, NULL);

  od_fake_oauth_server_set_refresh_tokens (fixture->server, "access-3", rotated);
  tokens = refresh (fixture, 5000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens->access_token, ==, "access-3");
  g_assert_cmpstr (tokens->refresh_token, ==, rotated);
  g_clear_pointer (&tokens, od_oauth_tokens_free);

  /* The old one is no good any more. */
  tokens = refresh (fixture, 5000, NULL, &error);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_INVALID_GRANT);
  g_assert_null (tokens);
}

static void
test_refresh_errors (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;

  od_fake_oauth_server_set_fault (fixture->server, OD_FAKE_OAUTH_FAULT_REVOKED);
  tokens = refresh (fixture, 5000, NULL, &error);
  g_assert_null (tokens);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_INVALID_GRANT);
  g_clear_error (&error);

  od_fake_oauth_server_set_fault (fixture->server, OD_FAKE_OAUTH_FAULT_ADMIN_CONSENT_TOKEN);
  tokens = refresh (fixture, 5000, NULL, &error);
  g_assert_null (tokens);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_ADMIN_CONSENT);
  g_assert_nonnull (strstr (error->message, "AADSTS65001"));
  g_clear_error (&error);

  /* A wrong client secret: the provider does not know the client. */
  od_fake_oauth_server_set_fault (fixture->server, OD_FAKE_OAUTH_FAULT_NONE);
  g_free (fixture->provider->client_secret);
  fixture->provider->client_secret = g_strdup ("wrong");
  tokens = refresh (fixture, 5000, NULL, &error);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_INVALID_CLIENT);
  g_clear_error (&error);

  g_clear_pointer (&fixture->provider->client_id, g_free);
  tokens = refresh (fixture, 5000, NULL, &error);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_NO_CLIENT_ID);
  g_assert_nonnull (strstr (error->message, "Fake"));
  g_clear_error (&error);

  fixture->provider->client_id = g_strdup ("fake-client");
  g_free (fixture->provider->token_endpoint);
  fixture->provider->token_endpoint = g_strdup ("http://oauth.example/token");
  tokens = refresh (fixture, 5000, NULL, &error);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_INSECURE);
}

static void
test_refresh_slow (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  od_fake_oauth_server_set_token_delay (fixture->server, 3000);
  tokens = refresh (fixture, 300, NULL, &error);
  g_assert_null (tokens);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_refresh_cancelled (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;

  od_fake_oauth_server_set_token_delay (fixture->server, 3000);
  g_timeout_add (100, cancel_cb, cancellable);
  tokens = refresh (fixture, 5000, cancellable, &error);
  g_assert_null (tokens);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Browser sign-in */

static void
uri_cb (OdOAuthSignIn *sign_in,
        const char    *uri,
        gpointer       user_data)
{
  char **out = user_data;

  g_free (*out);
  *out = g_strdup (uri);
}

static OdOAuthTokens *
sign_in_browser (Fixture       *fixture,
                 guint          wait_ms,
                 guint          request_ms,
                 char         **uri,
                 GError       **error)
{
  g_autoptr(OdOAuthSignIn) sign_in = od_oauth_sign_in_new (fixture->provider);
  g_autoptr(GAsyncResult) result = NULL;
  OdOAuthTokens *tokens;

  od_oauth_sign_in_set_login_hint (sign_in, "someone+test@example.org");
  od_oauth_sign_in_set_timeouts (sign_in, wait_ms, request_ms);
  if (uri != NULL)
    g_signal_connect (sign_in, "uri", G_CALLBACK (uri_cb), uri);

  od_oauth_sign_in_browser_async (sign_in, NULL, store_result_cb, &result);
  tokens = od_oauth_sign_in_finish (sign_in, wait_for (&result), error);

  g_clear_object (&result);
  assert_finalized_soon (g_steal_pointer (&sign_in));

  return tokens;
}

static gboolean
skip_without_browser (void)
{
  if (browser != NULL)
    return FALSE;

  /* In CI the stand-in is built: its absence is a failure, not a reason to skip. */
  if (g_getenv ("CI") != NULL)
    g_error ("fake-browser was not found (OD_BUILD_ROOT not set?)");
  g_test_skip ("fake-browser was not found (OD_BUILD_ROOT not set?)");
  return TRUE;
}

static void
assert_port_closed (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_null (connection);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

static guint16
redirect_port (Fixture *fixture)
{
  const char *redirect_uri = od_fake_oauth_server_get_last_redirect_uri (fixture->server);
  g_autoptr(GUri) uri = NULL;

  g_assert_nonnull (redirect_uri);
  uri = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/");

  return g_uri_get_port (uri);
}

static void
test_browser_ok (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *log = NULL;
  g_auto(GStrv) grants = NULL;
  const char *state;

  if (skip_without_browser ())
    return;

  tokens = sign_in_browser (fixture, 20000, 5000, &uri, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens->access_token, ==, "access-1");
  g_assert_cmpstr (tokens->refresh_token, ==, fixture->refresh_token);
  g_assert_cmpint (tokens->expires_at, >, 0);

  /* What the server saw: PKCE with S256, our state (32 random bytes, base64url), the hint. */
  g_assert_cmpstr (od_fake_oauth_server_get_last_method (fixture->server), ==, "S256");
  state = od_fake_oauth_server_get_last_state (fixture->server);
  g_assert_nonnull (state);
  g_assert_cmpuint (strlen (state), ==, 43);
  g_assert_cmpuint (strspn (state, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                   "0123456789-_"), ==, 43);
  g_assert_cmpstr (od_fake_oauth_server_get_last_login_hint (fixture->server), ==,
                   "someone+test@example.org");
  g_assert_cmpstr (od_fake_oauth_server_get_last_scope (fixture->server), ==,
                   "https://mail.example/ offline_access");
  grants = od_fake_oauth_server_dup_grant_types (fixture->server);
  g_assert_cmpstrv (grants, ((const char *[]){ "authorization_code", NULL }));
  g_assert_cmpuint (od_fake_oauth_server_get_n_rejected (fixture->server), ==, 0);

  /* The signal gave the URL the browser opened: with our state, never a secret. */
  g_assert_nonnull (uri);
  g_assert_nonnull (strstr (uri, state));
  g_assert_nonnull (strstr (uri, "login_hint=someone%2Btest%40example.org"));
  g_assert_null (strstr (uri, "fake-secret"));
  g_assert_null (strstr (uri, "code_verifier"));

  /* The browser really went there, and on to the loopback redirect. */
  g_assert_true (g_file_get_contents (browser_log, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "/authorize?"));
  g_assert_nonnull (strstr (log, od_fake_oauth_server_get_last_redirect_uri (fixture->server)));

  /* One-shot: nobody listens on the redirect port any more. */
  assert_port_closed (redirect_port (fixture));
}

static void
test_browser_faults (Fixture       *fixture,
                     gconstpointer  data)
{
  const struct
  {
    OdFakeOAuthFault fault;
    GQuark           domain;
    int              code;
  } faults[] = {
    { OD_FAKE_OAUTH_FAULT_DENIED, OD_OAUTH_ERROR, OD_OAUTH_ERROR_ACCESS_DENIED },
    { OD_FAKE_OAUTH_FAULT_ADMIN_CONSENT_REDIRECT, OD_OAUTH_ERROR, OD_OAUTH_ERROR_ADMIN_CONSENT },
    { OD_FAKE_OAUTH_FAULT_ADMIN_CONSENT_TOKEN, OD_OAUTH_ERROR, OD_OAUTH_ERROR_ADMIN_CONSENT },
  };

  if (skip_without_browser ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(OdOAuthTokens) tokens = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) grants = NULL;

      g_test_message ("fault %d", faults[i].fault);
      od_fake_oauth_server_set_fault (fixture->server, faults[i].fault);
      tokens = sign_in_browser (fixture, 20000, 5000, NULL, &error);
      g_assert_null (tokens);
      g_assert_error (error, faults[i].domain, faults[i].code);
      assert_port_closed (redirect_port (fixture));

      /* Only a redirect with the right state gets as far as the token endpoint. */
      grants = od_fake_oauth_server_dup_grant_types (fixture->server);
      if (faults[i].fault == OD_FAKE_OAUTH_FAULT_ADMIN_CONSENT_TOKEN)
        g_assert_cmpuint (g_strv_length (grants), ==, 1);
      else
        g_assert_cmpuint (g_strv_length (grants), ==, 0);
    }
}

/* A redirect without this sign-in's state (anything on the computer can reach the port) is
 * answered and ignored: it neither ends the sign-in nor reaches the token endpoint; the
 * sign-in goes on waiting for the provider's redirect, here until its time is up. */
static void
test_browser_wrong_state (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) grants = NULL;
  g_autofree char *log = NULL;

  if (skip_without_browser ())
    return;

  od_fake_oauth_server_set_fault (fixture->server, OD_FAKE_OAUTH_FAULT_WRONG_STATE);
  tokens = sign_in_browser (fixture, 3000, 5000, NULL, &error);
  g_assert_null (tokens);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  grants = od_fake_oauth_server_dup_grant_types (fixture->server);
  g_assert_cmpuint (g_strv_length (grants), ==, 0);
  /* The stand-in did reach the redirect, with the wrong state. */
  g_assert_true (g_file_get_contents (browser_log, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, od_fake_oauth_server_get_last_redirect_uri (fixture->server)));
  assert_port_closed (redirect_port (fixture));
}

static void
test_browser_slow_token (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without_browser ())
    return;

  od_fake_oauth_server_set_token_delay (fixture->server, 3000);
  tokens = sign_in_browser (fixture, 20000, 300, NULL, &error);
  g_assert_null (tokens);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  assert_port_closed (redirect_port (fixture));
}

static void
test_browser_no_redirect (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without_browser ())
    return;

  od_fake_oauth_server_set_fault (fixture->server, OD_FAKE_OAUTH_FAULT_NO_REDIRECT);
  tokens = sign_in_browser (fixture, 1500, 5000, NULL, &error);
  g_assert_null (tokens);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  /* The browser did get the page, and the loopback server is gone all the same. */
  g_assert_cmpuint (od_fake_oauth_server_get_n_authorize (fixture->server), ==, 1);
  assert_port_closed (redirect_port (fixture));
}

static void
test_browser_no_client_id (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&fixture->provider->client_id, g_free);
  tokens = sign_in_browser (fixture, 20000, 5000, NULL, &error);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_NO_CLIENT_ID);
  g_assert_cmpuint (od_fake_oauth_server_get_n_authorize (fixture->server), ==, 0);
  g_clear_error (&error);

  fixture->provider->client_id = g_strdup ("fake-client");
  g_free (fixture->provider->authorization_endpoint);
  fixture->provider->authorization_endpoint = g_strdup ("http://localhost:1/authorize");
  tokens = sign_in_browser (fixture, 20000, 5000, NULL, &error);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_INSECURE);
}

/* Device sign-in */

typedef struct
{
  char  *user_code;
  char  *verification_uri;
  guint  expires_in;
  guint  n_emitted;
} DeviceCode;

static void
device_code_cb (OdOAuthSignIn *sign_in,
                const char    *user_code,
                const char    *verification_uri,
                guint          expires_in,
                gpointer       user_data)
{
  DeviceCode *code = user_data;

  g_free (code->user_code);
  code->user_code = g_strdup (user_code);
  g_free (code->verification_uri);
  code->verification_uri = g_strdup (verification_uri);
  code->expires_in = expires_in;
  code->n_emitted++;
}

static OdOAuthTokens *
sign_in_device (Fixture     *fixture,
                guint        wait_ms,
                DeviceCode  *code,
                GError     **error)
{
  g_autoptr(OdOAuthSignIn) sign_in = od_oauth_sign_in_new (fixture->provider);
  g_autoptr(GAsyncResult) result = NULL;
  OdOAuthTokens *tokens;

  od_oauth_sign_in_set_timeouts (sign_in, wait_ms, 5000);
  od_oauth_sign_in_set_poll_scale_for_testing (sign_in, POLL_SCALE);
  if (code != NULL)
    g_signal_connect (sign_in, "device-code", G_CALLBACK (device_code_cb), code);

  od_oauth_sign_in_device_async (sign_in, NULL, store_result_cb, &result);
  tokens = od_oauth_sign_in_finish (sign_in, wait_for (&result), error);

  g_clear_object (&result);
  assert_finalized_soon (g_steal_pointer (&sign_in));

  return tokens;
}

static void
test_device_pending (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) grants = NULL;
  DeviceCode code = { 0 };

  od_fake_oauth_server_set_device (fixture->server, 2, FALSE, 1, 900, FALSE);
  tokens = sign_in_device (fixture, 20000, &code, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens->access_token, ==, "access-1");
  g_assert_cmpstr (tokens->refresh_token, ==, fixture->refresh_token);

  g_assert_cmpuint (code.n_emitted, ==, 1);
  g_assert_cmpstr (code.user_code, ==, "WDJB-MJHT");
  g_assert_true (g_str_has_suffix (code.verification_uri, "/device"));
  g_assert_cmpuint (code.expires_in, ==, 900);

  /* Two answers "pending", then the tokens. */
  grants = od_fake_oauth_server_dup_grant_types (fixture->server);
  g_assert_cmpuint (g_strv_length (grants), ==, 3);
  for (guint i = 0; grants[i] != NULL; i++)
    g_assert_cmpstr (grants[i], ==, "urn:ietf:params:oauth:grant-type:device_code");
  g_assert_cmpstr (od_fake_oauth_server_get_last_scope (fixture->server), ==,
                   "https://mail.example/ offline_access");
  g_assert_cmpuint (od_fake_oauth_server_get_n_rejected (fixture->server), ==, 0);

  g_free (code.user_code);
  g_free (code.verification_uri);
}

static void
test_device_slow_down (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  DeviceCode code = { 0 };
  gint64 start = g_get_monotonic_time ();

  /* Google's way: verification_url, 428 for pending. Interval 1 s (50 ms scaled); after
   * slow_down 6 s (300 ms scaled). */
  od_fake_oauth_server_set_device (fixture->server, 1, TRUE, 1, 900, TRUE);
  tokens = sign_in_device (fixture, 20000, &code, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens->access_token, ==, "access-1");
  g_assert_true (g_str_has_suffix (code.verification_uri, "/device"));
  /* 50 ms, slow_down, then two polls 300 ms apart */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, (50 + 300 + 300) * 1000);

  g_free (code.user_code);
  g_free (code.verification_uri);
}

static void
test_device_faults (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  od_fake_oauth_server_set_device (fixture->server, 0, FALSE, 1, 900, FALSE);
  od_fake_oauth_server_set_fault (fixture->server, OD_FAKE_OAUTH_FAULT_DEVICE_EXPIRED);
  tokens = sign_in_device (fixture, 20000, NULL, &error);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_EXPIRED);
  g_clear_error (&error);

  od_fake_oauth_server_set_fault (fixture->server, OD_FAKE_OAUTH_FAULT_DEVICE_DENIED);
  tokens = sign_in_device (fixture, 20000, NULL, &error);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_ACCESS_DENIED);
  g_clear_error (&error);

  /* The code's own lifetime (1 s) runs out while the person has not approved. */
  od_fake_oauth_server_set_fault (fixture->server, OD_FAKE_OAUTH_FAULT_NONE);
  od_fake_oauth_server_set_device (fixture->server, 1000, FALSE, 1, 1, FALSE);
  start = g_get_monotonic_time ();
  tokens = sign_in_device (fixture, 20000, NULL, &error);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_EXPIRED);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_clear_error (&error);

  /* Our own wait runs out first. */
  od_fake_oauth_server_set_device (fixture->server, 1000, FALSE, 1, 900, FALSE);
  tokens = sign_in_device (fixture, 400, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_clear_error (&error);

  g_clear_pointer (&fixture->provider->device_endpoint, g_free);
  tokens = sign_in_device (fixture, 20000, NULL, &error);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_BROWSER);
  g_assert_nonnull (strstr (error->message, "Fake"));
}

static void
test_device_cancelled (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(OdOAuthSignIn) sign_in = od_oauth_sign_in_new (fixture->provider);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;

  od_fake_oauth_server_set_device (fixture->server, 1000, FALSE, 1, 900, FALSE);
  od_oauth_sign_in_set_poll_scale_for_testing (sign_in, POLL_SCALE);
  g_timeout_add (300, cancel_cb, cancellable);
  od_oauth_sign_in_device_async (sign_in, cancellable, store_result_cb, &result);
  tokens = od_oauth_sign_in_finish (sign_in, wait_for (&result), &error);
  g_assert_null (tokens);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  const char *output = g_getenv ("OD_TEST_OUTPUT_DIR");
  g_autoptr(GError) error = NULL;
  int status;

  /* Before GIO reads any application directory. */
  dir = g_dir_make_tmp ("od-oauth-XXXXXX", &error);
  g_assert_no_error (error);
  browser = od_test_browser_find ();
  if (browser != NULL)
    {
      g_assert_true (od_test_browser_register (dir, browser, &error));
      g_assert_no_error (error);
    }
  browser_log = g_build_filename (dir, "browser.log", NULL);
  g_setenv ("OD_FAKE_BROWSER_LOG", browser_log, TRUE);

  /* Every code, verifier and refresh token the fake server saw, for the secret scan. */
  if (output != NULL)
    {
      g_autofree char *oauth_dir = g_build_filename (output, "oauth", NULL);

      g_mkdir_with_parents (oauth_dir, 0700);
      secrets_log = g_build_filename (oauth_dir, "oauth-secrets.log", NULL);
      g_file_set_contents (secrets_log, "", 0, NULL);
    }

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/oauth/parse/good", test_parse_good);
  g_test_add_func ("/od/oauth/parse/errors", test_parse_errors);
  g_test_add_func ("/od/oauth/parse/hostile", test_parse_hostile);
  g_test_add_func ("/od/oauth/parse/polling", test_parse_polling);
  g_test_add_func ("/od/oauth/endpoint", test_endpoint);
  g_test_add_func ("/od/oauth/provider", test_provider);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/od/oauth/refresh/ok", test_refresh_ok);
  ADD ("/od/oauth/refresh/rotated", test_refresh_rotated);
  ADD ("/od/oauth/refresh/errors", test_refresh_errors);
  ADD ("/od/oauth/refresh/slow", test_refresh_slow);
  ADD ("/od/oauth/refresh/cancelled", test_refresh_cancelled);
  ADD ("/od/oauth/browser/ok", test_browser_ok);
  ADD ("/od/oauth/browser/faults", test_browser_faults);
  ADD ("/od/oauth/browser/wrong-state", test_browser_wrong_state);
  ADD ("/od/oauth/browser/slow-token", test_browser_slow_token);
  ADD ("/od/oauth/browser/no-redirect", test_browser_no_redirect);
  ADD ("/od/oauth/browser/no-client-id", test_browser_no_client_id);
  ADD ("/od/oauth/device/pending", test_device_pending);
  ADD ("/od/oauth/device/slow-down", test_device_slow_down);
  ADD ("/od/oauth/device/faults", test_device_faults);
  ADD ("/od/oauth/device/cancelled", test_device_cancelled);
#undef ADD

  status = g_test_run ();

  if (g_getenv ("OD_TEST_KEEP") == NULL)
    {
      g_autoptr(GFile) top = g_file_new_for_path (dir);
      const char *files[] = { "browser.log", "data/applications/od-fake-browser.desktop",
                              "config/mimeapps.list", "data/applications", "data", "config",
                              "config-dirs", NULL };

      for (guint i = 0; files[i] != NULL; i++)
        {
          g_autofree char *path = g_build_filename (dir, files[i], NULL);
          g_remove (path);
        }
      g_remove (dir);
    }

  g_free (browser);
  g_free (browser_log);
  g_free (secrets_log);

  return status;
}
