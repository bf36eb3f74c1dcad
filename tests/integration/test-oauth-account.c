/* test-oauth-account.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The access token of an account that signs in with our own OAuth sign-in (issue 18), with
 * a real gnome-keyring (keyring-session.sh keyring) and the local OAuth server
 * (tests/fake/od-fake-oauth-server.c, through OD_OAUTH_TEST_ISSUER): the refresh token is
 * read from the keyring, the access token kept in memory while it has more than a minute to
 * live and refreshed before it expires, a rotated refresh token replaces the saved one, and
 * every way of not getting a token is the problem a check reports (revoked →
 * oauth-signin-required, admin consent → oauth-admin-consent, no client id →
 * auth-oauth-required, nothing saved → oauth-signin-required, a slow provider → a temporary
 * failure). */

#include "config.h"

#include <string.h>

#include "od-account.h"
#include "od-fake-oauth-server.h"
#include "od-oauth-account.h"
#include "od-secret-store.h"

#define CLIENT_ID "od-test-client"
#define TOKEN_A   "ya29.Test-Account-Access-Token-A_0123456789"
#define TOKEN_B   "ya29.Test-Account-Access-Token-B_9876543210"
#define REFRESH   "1//0g-Test-Account-Refresh-Token_AbCdEf"
#define ROTATED   "1//0g-Test-Account-Rotated-Refresh_GhIjKl"

typedef struct
{
  OdFakeOAuthServer *server;
  OdSecretStore     *secrets;
  OdAccount         *account;
} Fixture;

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wait->result;
}

static void
store_refresh_token (Fixture    *f,
                     const char *token)
{
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };

  od_secret_store_store_refresh_token_async (f->secrets, f->account, "Google",
                                             "https://mail.google.com/", token, NULL, wait_cb,
                                             &wait);
  g_assert_true (od_secret_store_store_finish (f->secrets, wait_for (&wait), &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);
}

static char *
saved_refresh_token (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };
  char *token;

  od_secret_store_lookup_refresh_token_async (f->secrets, f->account, NULL, wait_cb, &wait);
  token = od_secret_store_lookup_finish (f->secrets, wait_for (&wait), &error);
  g_assert_no_error (error);
  g_object_unref (wait.result);
  return token;
}

static char *
get_token (Fixture  *f,
           GError  **error)
{
  Wait wait = { NULL };
  char *token;

  od_oauth_account_get_token_async (f->account, f->secrets, NULL, wait_cb, &wait);
  token = od_oauth_account_get_token_finish (wait_for (&wait), error);
  g_object_unref (wait.result);
  return token;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *issuer = NULL;

  f->server = od_fake_oauth_server_new ();
  od_fake_oauth_server_set_client (f->server, CLIENT_ID, NULL);
  od_fake_oauth_server_set_tokens (f->server, TOKEN_A, REFRESH);
  od_fake_oauth_server_set_refresh_tokens (f->server, TOKEN_A, NULL);
  g_assert_true (od_fake_oauth_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  issuer = g_strdup_printf ("http://127.0.0.1:%u", od_fake_oauth_server_get_port (f->server));
  g_setenv ("OD_OAUTH_TEST_ISSUER", issuer, TRUE);

  f->secrets = od_secret_store_new ();
  f->account = od_account_new ("ada-gmail-com", "ada@gmail.com");
  od_account_set_host (f->account, "smtp.gmail.com");
  od_account_set_port (f->account, 465);
  od_account_set_security (f->account, OD_SECURITY_TLS);
  od_account_set_username (f->account, "ada@gmail.com");
  od_account_set_oauth (f->account, "google", CLIENT_ID, NULL);
  od_oauth_account_forget (NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  Wait wait = { NULL };

  od_secret_store_clear_async (f->secrets, od_account_get_id (f->account), NULL, wait_cb, &wait);
  od_secret_store_clear_finish (f->secrets, wait_for (&wait), NULL);
  g_object_unref (wait.result);
  od_oauth_account_forget (NULL);
  g_clear_object (&f->account);
  g_clear_object (&f->secrets);
  g_clear_object (&f->server);
  g_unsetenv ("OD_OAUTH_TEST_ISSUER");
}

/* In memory while it lives, refreshed a minute before it expires. */
static void
test_refresh_before_expiry (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *fourth = NULL;

  store_refresh_token (f, REFRESH);
  od_fake_oauth_server_set_expires_in (f->server, 3600);

  first = get_token (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, TOKEN_A);
  g_assert_cmpuint (od_fake_oauth_server_get_n_token (f->server), ==, 1);

  /* An hour to live: from memory, no request. */
  second = get_token (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second, ==, TOKEN_A);
  g_assert_cmpuint (od_fake_oauth_server_get_n_token (f->server), ==, 1);

  /* Thirty seconds to live is less than the minute's margin: refreshed again each time. */
  od_oauth_account_forget (f->account);
  od_fake_oauth_server_set_expires_in (f->server, 30);
  od_fake_oauth_server_set_refresh_tokens (f->server, TOKEN_B, NULL);
  third = get_token (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (third, ==, TOKEN_B);
  g_assert_cmpuint (od_fake_oauth_server_get_n_token (f->server), ==, 2);
  fourth = get_token (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (od_fake_oauth_server_get_n_token (f->server), ==, 3);
  g_assert_cmpstr (od_fake_oauth_server_get_last_refresh_scope (f->server), !=, NULL);
}

/* Microsoft rotates refresh tokens: the new one replaces the saved one. */
static void
test_rotation (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *saved = NULL;

  store_refresh_token (f, REFRESH);
  od_fake_oauth_server_set_refresh_tokens (f->server, TOKEN_B, ROTATED);
  token = get_token (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, TOKEN_B);
  saved = saved_refresh_token (f);
  g_assert_cmpstr (saved, ==, ROTATED);
}

static void
assert_problem (const GError  *error,
                OdProblemKind  expected,
                OdReason       expected_reason)
{
  OdReason reason;

  g_assert_nonnull (error);
  g_assert_cmpint (od_oauth_error_to_problem (error, &reason), ==, expected);
  g_assert_cmpint (reason, ==, expected_reason);
  /* No secret of the sign-in in what the person reads. */
  g_assert_null (strstr (error->message, REFRESH));
  g_assert_null (strstr (error->message, TOKEN_A));
}

static void
test_failures (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  /* Nothing in the keyring: not signed in. */
  token = get_token (f, &error);
  g_assert_null (token);
  assert_problem (error, OD_PROBLEM_OAUTH_SIGNIN_REQUIRED, OD_REASON_OWN_SIGNIN_ENDED);
  g_clear_error (&error);

  store_refresh_token (f, REFRESH);

  od_fake_oauth_server_set_fault (f->server, OD_FAKE_OAUTH_FAULT_REVOKED);
  token = get_token (f, &error);
  g_assert_null (token);
  g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_INVALID_GRANT);
  assert_problem (error, OD_PROBLEM_OAUTH_SIGNIN_REQUIRED, OD_REASON_OWN_SIGNIN_ENDED);
  g_clear_error (&error);

  od_fake_oauth_server_set_fault (f->server, OD_FAKE_OAUTH_FAULT_ADMIN_CONSENT_TOKEN);
  token = get_token (f, &error);
  g_assert_null (token);
  assert_problem (error, OD_PROBLEM_OAUTH_ADMIN_CONSENT, OD_REASON_NONE);
  g_clear_error (&error);

  /* No client id: neither the person's nor this build's. */
  od_fake_oauth_server_set_fault (f->server, OD_FAKE_OAUTH_FAULT_NONE);
  od_account_set_oauth (f->account, "google", NULL, NULL);
  if (*OD_GOOGLE_CLIENT_ID == '\0')
    {
      token = get_token (f, &error);
      g_assert_null (token);
      g_assert_error (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_NO_CLIENT_ID);
      assert_problem (error, OD_PROBLEM_AUTH_OAUTH_REQUIRED, OD_REASON_NO_CLIENT_ID);
      g_clear_error (&error);
    }
}

/* The check of an account without a token still runs its connection steps; its login step
 * carries the problem. */
static void
test_check_set_up (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(OdCheck) check = od_check_new ("ada@gmail.com", "127.0.0.1", 465, OD_SECURITY_TLS);
  g_autoptr(GError) error = g_error_new_literal (OD_OAUTH_ERROR, OD_OAUTH_ERROR_INVALID_GRANT,
                                                 "revoked");

  od_oauth_account_set_up_check (f->account, check, TOKEN_A, NULL);
  g_assert_true (od_check_get_uses_token (check));
  g_assert_true (od_check_get_has_password (check));

  od_oauth_account_set_up_check (f->account, check, NULL, error);
  g_assert_true (od_check_get_uses_token (check));
  g_assert_false (od_check_get_has_password (check));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_strcmp0 (g_getenv ("OD_KEYRING_MODE"), "keyring") != 0)
    {
      g_test_skip ("needs a real keyring (keyring-session.sh keyring)");
      return 0;
    }

  g_test_add ("/od/oauth-account/refresh-before-expiry", Fixture, NULL, fixture_set_up,
              test_refresh_before_expiry, fixture_tear_down);
  g_test_add ("/od/oauth-account/rotation", Fixture, NULL, fixture_set_up, test_rotation,
              fixture_tear_down);
  g_test_add ("/od/oauth-account/failures", Fixture, NULL, fixture_set_up, test_failures,
              fixture_tear_down);
  g_test_add ("/od/oauth-account/check-set-up", Fixture, NULL, fixture_set_up,
              test_check_set_up, fixture_tear_down);

  return g_test_run ();
}
