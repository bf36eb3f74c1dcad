/* test-pop3-interop.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The POP3 session against a real Dovecot (test-dovecot-pop3.sh starts it on loopback and
 * runs this program), through the connector as the check will use it:
 *
 *   OD_POP3_HOST, OD_POP3_PORT_STLS, OD_POP3_PORT_TLS   where Dovecot listens
 *   OD_POP3_CA_FILE                                     the test CA
 *   OD_POP3_USER, OD_POP3_PASSWORD_FILE                 the account (first line)
 *   OD_POP3_MESSAGES                                    how many messages the mailbox has
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "od-connect.h"
#include "od-pop3-session.h"

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static char *password;

/* The last result holds the session it came from: dropped when a test ends. */
static void
wait_clear (Wait *wait)
{
  g_clear_object (&wait->result);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Wait, wait_clear)

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  g_clear_object (&wait->result);
  g_main_loop_run (wait->loop);
  return wait->result;
}

/* Lookup, connect and (for the implicit-TLS port) the handshake, as a check does them. */
static OdPop3Session *
open_session (gboolean      implicit_tls,
              OdTranscript *transcript,
              Wait         *wait)
{
  const char *host = g_getenv ("OD_POP3_HOST");
  guint16 port = atoi (g_getenv (implicit_tls ? "OD_POP3_PORT_TLS" : "OD_POP3_PORT_STLS"));
  g_autoptr(OdConnect) connect = od_connect_new (host, port, transcript);
  g_autoptr(GError) error = NULL;
  OdPop3Session *session;

  od_tls_client_set_ca_file (od_connect_get_tls_client (connect), g_getenv ("OD_POP3_CA_FILE"));

  od_connect_lookup_async (connect, 5000, NULL, wait_cb, wait);
  g_assert_true (od_connect_lookup_finish (connect, wait_for (wait), &error));
  g_assert_no_error (error);
  od_connect_connect_async (connect, 5000, NULL, wait_cb, wait);
  g_assert_true (od_connect_connect_finish (connect, wait_for (wait), &error));
  g_assert_no_error (error);
  if (implicit_tls)
    {
      od_connect_handshake_async (connect, 5000, NULL, wait_cb, wait);
      g_assert_true (od_connect_handshake_finish (connect, wait_for (wait), &error));
      g_assert_no_error (error);
    }

  session = od_pop3_session_new (od_connect_get_stream (connect),
                                 od_connect_get_tls_client (connect), transcript);
  od_pop3_session_set_timeout (session, 10000);

  od_pop3_session_read_greeting_async (session, NULL, wait_cb, wait);
  od_pop3_reply_unref (od_pop3_session_reply_finish (session, wait_for (wait), &error));
  g_assert_no_error (error);

  return session;
}

static void
run_ok (OdPop3Session *session,
        Wait          *wait)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdPop3Reply) reply = od_pop3_session_reply_finish (session, wait_for (wait), &error);

  g_assert_no_error (error);
  g_assert_nonnull (reply);
}

static void
check_stat_and_quit (OdPop3Session *session,
                     Wait          *wait)
{
  g_autoptr(GError) error = NULL;
  guint n_messages = 0;
  guint64 size = 0;

  od_pop3_session_stat_async (session, NULL, wait_cb, wait);
  g_assert_true (od_pop3_session_stat_finish (session, wait_for (wait), &n_messages, &size,
                                              &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_messages, ==, atoi (g_getenv ("OD_POP3_MESSAGES")));
  g_assert_cmpuint (size, >, 0);

  od_pop3_session_quit_async (session, NULL, wait_cb, wait);
  run_ok (session, wait);
}

static void
assert_no_password (OdTranscript *transcript)
{
  g_autofree char *text = od_transcript_to_text (transcript);
  g_autofree char *b64 = g_base64_encode ((const guchar *)password, strlen (password));

  g_test_message ("%s", text);
  g_assert_null (strstr (text, password));
  g_assert_null (strstr (text, b64));
}

/* STLS on the plain port: no password before TLS, then CAPA again and AUTH PLAIN. */
static void
test_stls_plain (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdPop3Session) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OdPop3Reply) reply = NULL;
  g_auto(Wait) wait = { loop, NULL };
  const OdPop3Capabilities *caps;

  session = open_session (FALSE, transcript, &wait);

  od_pop3_session_capa_async (session, NULL, wait_cb, &wait);
  run_ok (session, &wait);
  caps = od_pop3_session_get_capabilities (session);
  g_assert_true (caps->stls);
  g_assert_true (caps->resp_codes);

  od_pop3_session_login_async (session, "PLAIN", g_getenv ("OD_POP3_USER"), password, NULL,
                               wait_cb, &wait);
  reply = od_pop3_session_reply_finish (session, wait_for (&wait), &error);
  g_assert_error (error, OD_POP3_ERROR, OD_POP3_ERROR_PLAINTEXT_REFUSED);
  g_clear_error (&error);

  od_pop3_session_stls_async (session, NULL, wait_cb, &wait);
  run_ok (session, &wait);
  g_assert_true (od_pop3_session_is_tls (session));
  g_assert_null (od_pop3_session_get_capabilities (session));

  od_pop3_session_capa_async (session, NULL, wait_cb, &wait);
  run_ok (session, &wait);
  caps = od_pop3_session_get_capabilities (session);
  g_assert_false (caps->stls);
  g_assert_true (od_pop3_capabilities_has_sasl (caps, "PLAIN"));
  g_assert_true (caps->user);

  od_pop3_session_login_async (session, "PLAIN", g_getenv ("OD_POP3_USER"), password, NULL,
                               wait_cb, &wait);
  run_ok (session, &wait);
  check_stat_and_quit (session, &wait);
  assert_no_password (transcript);
}

static void
login_over_tls (const char *mechanism)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdPop3Session) session = NULL;
  g_auto(Wait) wait = { loop, NULL };

  session = open_session (TRUE, transcript, &wait);
  od_pop3_session_login_async (session, mechanism, g_getenv ("OD_POP3_USER"), password, NULL,
                               wait_cb, &wait);
  run_ok (session, &wait);
  check_stat_and_quit (session, &wait);
  assert_no_password (transcript);
}

static void
test_tls_user (void)
{
  login_over_tls ("USER");
}

static void
test_tls_login (void)
{
  login_over_tls ("LOGIN");
}

/* Dovecot says "-ERR [AUTH] Authentication failed." */
static void
test_wrong_password (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdPop3Session) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OdPop3Reply) reply = NULL;
  g_auto(Wait) wait = { loop, NULL };

  session = open_session (TRUE, transcript, &wait);
  od_pop3_session_login_async (session, "USER", g_getenv ("OD_POP3_USER"), "not the password",
                               NULL, wait_cb, &wait);
  reply = od_pop3_session_reply_finish (session, wait_for (&wait), &error);
  g_assert_null (reply);
  g_assert_error (error, OD_POP3_ERROR, OD_POP3_ERROR_AUTH);
  g_test_message ("%s", error->message);
  g_assert_cmpstr (od_pop3_reply_get_response_code (od_pop3_session_get_last_reply (session)),
                   ==, "AUTH");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const char *needed[] = { "OD_POP3_HOST", "OD_POP3_PORT_STLS", "OD_POP3_PORT_TLS",
                           "OD_POP3_CA_FILE", "OD_POP3_USER", "OD_POP3_PASSWORD_FILE",
                           "OD_POP3_MESSAGES" };
  int ret;

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    {
      if (g_getenv (needed[i]) == NULL)
        {
          g_printerr ("%s is not set: run this through test-dovecot-pop3.sh\n", needed[i]);
          return 2;
        }
    }

  g_file_get_contents (g_getenv ("OD_POP3_PASSWORD_FILE"), &contents, NULL, &error);
  g_assert_no_error (error);
  password = g_strndup (contents, strcspn (contents, "\r\n"));

  g_test_add_func ("/od/pop3-interop/stls-plain", test_stls_plain);
  g_test_add_func ("/od/pop3-interop/tls-user", test_tls_user);
  g_test_add_func ("/od/pop3-interop/tls-login", test_tls_login);
  g_test_add_func ("/od/pop3-interop/wrong-password", test_wrong_password);

  ret = g_test_run ();
  g_free (password);

  return ret;
}
