/* test-round-trip.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "od-fake-imap-server.h"
#include "od-fake-pop3-server.h"
#include "od-imap-response.h"
#include "od-problem.h"
#include "od-round-trip.h"
#include "od-test-certs.h"

/* The round trip against the fake IMAP and POP3 servers: where the test message is, how
 * long it took, what the receiving server said of it, and that nothing is deleted unasked
 * and no password shows. */

#define USER       "user@example.org"
#define PASSWORD   "Rt-pa55 w0rd!"
#define MESSAGE_ID "<od-test.42.abc@example.org>"

#define CAPS_AFTER "IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=LOGIN SPECIAL-USE IDLE UIDPLUS"

static OdTestCerts *certs;

static const char *good_header =
  "Return-Path: <user@example.org>\r\n"
  "Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=example.org;\r\n"
  "\tdkim=pass header.d=example.org; dmarc=pass header.from=example.org\r\n"
  "Message-ID: " MESSAGE_ID "\r\n"
  "From: user@example.org\r\n"
  "Subject: Outbox Doctor test\r\n"
  "\r\n";

static const char *failing_header =
  "Authentication-Results: mx.example.org;\r\n"
  "  spf=fail (sender not permitted) smtp.mailfrom=example.org;\r\n"
  "  dkim=fail (bad signature) header.d=example.org;\r\n"
  "  dmarc=fail (p=quarantine) header.from=example.org\r\n"
  "Authentication-Results: sender.example; spf=pass; dkim=pass; dmarc=pass\r\n"
  "Message-ID: " MESSAGE_ID "\r\n"
  "From: user@example.org\r\n"
  "\r\n";

static const char *other_header =
  "Message-ID: <someone-else@example.org>\r\n"
  "Subject: not it\r\n"
  "\r\n";

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static OdFakeImapServer *
imap_server (const char *caps_after)
{
  OdFakeImapServer *server = od_fake_imap_server_new ();
  g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, NULL);

  od_fake_imap_server_set_certificate (server, cert);
  od_fake_imap_server_set_credentials (server, USER, PASSWORD);
  od_fake_imap_server_set_capabilities (server, "IMAP4rev1 STARTTLS LOGINDISABLED",
                                        caps_after ? caps_after : CAPS_AFTER);
  return server;
}

static OdRoundTrip *
round_trip_new (OdProtocol    protocol,
                guint16       port,
                OdSecurity    security,
                OdTranscript *transcript)
{
  OdRoundTrip *round_trip = od_round_trip_new (protocol, "127.0.0.1", port, security, USER,
                                               PASSWORD, MESSAGE_ID, transcript);

  od_round_trip_set_ca_file (round_trip, od_test_certs_get_ca_file (certs));
  /* Long enough never to run out on a loaded machine (sanitizers, valgrind): the tests look
   * at whether the limit was waited out, not at how fast a run is. */
  od_round_trip_set_wait (round_trip, 20000);
  od_round_trip_set_poll_interval (round_trip, 200);
  od_round_trip_set_timeout (round_trip, 20000);
  return round_trip;
}

static gboolean
run (OdRoundTrip   *round_trip,
     GCancellable  *cancellable,
     GError       **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL };
  gboolean ok;

  od_round_trip_run_async (round_trip, cancellable, wait_cb, &wait);
  g_main_loop_run (loop);
  ok = od_round_trip_run_finish (round_trip, wait.result, error);
  g_clear_object (&wait.result);
  if (!ok)
    g_test_message ("round trip failed: %s", (*error)->message);
  return ok;
}

static gboolean
start_imap (OdFakeImapServer *server)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = od_fake_imap_server_start (server, &error);

  g_assert_no_error (error);
  return ok;
}

static void
assert_no_password (OdTranscript *transcript)
{
  g_autofree char *text = od_transcript_to_text (transcript);
  g_autofree char *b64 = g_base64_encode ((const guchar *)PASSWORD, strlen (PASSWORD));
  g_autoptr(JsonNode) json = od_transcript_to_json (transcript);
  g_autofree char *json_text = json_to_string (json, FALSE);

  g_assert_null (strstr (text, PASSWORD));
  g_assert_null (strstr (text, b64));
  g_assert_null (strstr (json_text, PASSWORD));
}

/* Whether any command received starts with @prefix after its tag. */
static gboolean
sent_command (GPtrArray  *commands,
              const char *prefix)
{
  for (guint i = 0; i < commands->len; i++)
    {
      const char *command = g_ptr_array_index (commands, i);
      const char *space = strchr (command, ' ');

      if (space != NULL && g_ascii_strncasecmp (space + 1, prefix, strlen (prefix)) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_problem (OdRoundTrip *round_trip,
             const char  *id)
{
  GPtrArray *problems = od_round_trip_get_problems (round_trip);

  for (guint i = 0; i < problems->len; i++)
    {
      if (g_str_equal (od_problem_get_id (g_ptr_array_index (problems, i)), id))
        return TRUE;
    }

  return FALSE;
}

static void
test_inbox_now (void)
{
  g_autoptr(OdFakeImapServer) server = imap_server (NULL);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdRoundTrip) round_trip = NULL;
  g_autoptr(GPtrArray) commands = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *json_text = NULL;
  const OdAuthResults *results;

  od_fake_imap_server_add_message (server, "INBOX", other_header, -1, 0);
  od_fake_imap_server_add_message (server, "INBOX", good_header, -1, 0);
  start_imap (server);

  round_trip = round_trip_new (OD_PROTOCOL_IMAP, od_fake_imap_server_get_port (server),
                               OD_SECURITY_STARTTLS, transcript);
  od_round_trip_set_accepted_at (round_trip, g_get_monotonic_time () - 250 * 1000);
  g_assert_true (run (round_trip, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (od_round_trip_get_delivery (round_trip), ==, OD_DELIVERY_INBOX);
  g_assert_cmpstr (od_round_trip_get_folder (round_trip), ==, "INBOX");
  /* Counted from the acceptance the caller gave, not from the start of the run. */
  g_assert_cmpint (od_round_trip_get_elapsed_ms (round_trip), >=, 250);
  g_assert_cmpint (od_round_trip_get_elapsed_ms (round_trip), <, 20000);
  results = od_round_trip_get_auth_results (round_trip);
  g_assert_cmpstr (results->authserv_id, ==, "mx.example.org");
  g_assert_cmpint (results->verdicts[OD_AUTH_METHOD_DMARC], ==, OD_AUTH_VERDICT_PASS);
  g_assert_cmpuint (od_round_trip_get_problems (round_trip)->len, ==, 0);
  g_assert_cmpuint (od_round_trip_get_explanations (round_trip)->len, ==, 0);
  g_assert_false (od_round_trip_get_deleted (round_trip));

  json = od_round_trip_to_json (round_trip);
  json_text = json_to_string (json, FALSE);
  g_assert_nonnull (strstr (json_text, "\"where\":\"inbox\",\"folder\":\"INBOX\""));
  g_assert_nonnull (strstr (json_text, "\"authentication_results\":{\"spf\":\"pass\","
                                       "\"dkim\":\"pass\",\"dmarc\":\"pass\","
                                       "\"authserv_id\":\"mx.example.org\"}"));

  /* The spam folder (SPECIAL-USE of the LIST) was looked at too; nothing deleted, nothing
   * marked read. */
  commands = od_fake_imap_server_dup_commands (server);
  g_assert_true (sent_command (commands, "LIST \"\" \"*\" RETURN (SPECIAL-USE)"));
  g_assert_true (sent_command (commands, "UID SEARCH HEADER Message-ID \"" MESSAGE_ID "\""));
  g_assert_true (sent_command (commands, "UID FETCH 101 (BODY.PEEK[HEADER])"));
  g_assert_false (sent_command (commands, "UID STORE"));
  g_assert_false (sent_command (commands, "UID EXPUNGE"));
  g_assert_false (sent_command (commands, "EXPUNGE"));
  g_assert_true (sent_command (commands, "LOGOUT"));
  g_assert_cmpuint (od_fake_imap_server_count_messages (server, "INBOX"), ==, 2);
  assert_no_password (transcript);
}

static void
test_idle_arrival (void)
{
  g_autoptr(OdFakeImapServer) server = imap_server (NULL);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdRoundTrip) round_trip = NULL;
  g_autoptr(GPtrArray) commands = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint selects = 0;

  od_fake_imap_server_add_message (server, "INBOX", good_header, -1, 1500);
  start_imap (server);

  round_trip = round_trip_new (OD_PROTOCOL_IMAP, od_fake_imap_server_get_port (server),
                               OD_SECURITY_STARTTLS, transcript);
  g_assert_true (run (round_trip, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (od_round_trip_get_delivery (round_trip), ==, OD_DELIVERY_INBOX);
  g_assert_cmpint (od_round_trip_get_elapsed_ms (round_trip), >=, 1400);
  g_assert_cmpint (od_round_trip_get_elapsed_ms (round_trip), <, 20000);

  /* One IDLE, ended by the EXISTS (no JUNK folder here: no periodic look elsewhere). */
  commands = od_fake_imap_server_dup_commands (server);
  g_assert_true (sent_command (commands, "IDLE"));
  for (guint i = 0; i < commands->len; i++)
    selects += strstr (g_ptr_array_index (commands, i), "SELECT") != NULL;
  g_assert_cmpuint (selects, ==, 2);
  text = od_transcript_to_text (transcript);
  g_assert_nonnull (strstr (text, "EXISTS"));
  g_assert_nonnull (strstr (text, "DONE"));
  assert_no_password (transcript);
}

static void
test_polling (void)
{
  g_autoptr(OdFakeImapServer) server = imap_server ("IMAP4rev1 AUTH=PLAIN");
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdRoundTrip) round_trip = NULL;
  g_autoptr(GPtrArray) commands = NULL;
  g_autoptr(GError) error = NULL;
  guint searches = 0;

  od_fake_imap_server_add_message (server, "INBOX", good_header, -1, 1000);
  start_imap (server);

  round_trip = round_trip_new (OD_PROTOCOL_IMAP, od_fake_imap_server_get_port (server),
                               OD_SECURITY_STARTTLS, transcript);
  g_assert_true (run (round_trip, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (od_round_trip_get_delivery (round_trip), ==, OD_DELIVERY_INBOX);
  g_assert_cmpint (od_round_trip_get_elapsed_ms (round_trip), >=, 900);

  /* Without IDLE: a search every 200 ms, and no LIST … RETURN without SPECIAL-USE. */
  commands = od_fake_imap_server_dup_commands (server);
  g_assert_false (sent_command (commands, "IDLE"));
  g_assert_true (sent_command (commands, "LIST \"\" \"*\"\r"));
  for (guint i = 0; i < commands->len; i++)
    searches += strstr (g_ptr_array_index (commands, i), "UID SEARCH") != NULL;
  g_assert_cmpuint (searches, >=, 3);
  assert_no_password (transcript);
}

static void
assert_junk (OdRoundTrip *round_trip,
             const char  *folder)
{
  GPtrArray *lines = od_round_trip_get_explanations (round_trip);
  g_autofree char *summary = od_round_trip_get_summary (round_trip);

  g_assert_cmpint (od_round_trip_get_delivery (round_trip), ==, OD_DELIVERY_JUNK);
  g_assert_cmpstr (od_round_trip_get_folder (round_trip), ==, folder);
  g_assert_true (od_round_trip_get_junk_visible (round_trip));
  g_assert_nonnull (strstr (summary, "spam folder"));
  g_assert_true (has_problem (round_trip, "round-trip-junk"));
  g_assert_true (has_problem (round_trip, "auth-results-spf-fail"));
  g_assert_true (has_problem (round_trip, "auth-results-dkim-fail"));
  g_assert_true (has_problem (round_trip, "auth-results-dmarc-fail"));
  g_assert_false (has_problem (round_trip, "round-trip-not-found"));
  g_assert_cmpuint (lines->len, ==, 3);
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 0), "not allowed to send"));
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 1), "signature does not match"));
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 2), "neither SPF nor DKIM"));
  /* The sender's own "pass" below the receiving server's header is not believed. */
  g_assert_cmpstr (od_round_trip_get_auth_results (round_trip)->authserv_id, ==,
                   "mx.example.org");
}

static void
test_junk_special_use (void)
{
  g_autoptr(OdFakeImapServer) server = imap_server (NULL);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdRoundTrip) round_trip = NULL;
  g_autoptr(GError) error = NULL;

  /* The \Junk flag wins over a folder whose name only looks like spam. */
  od_fake_imap_server_add_folder (server, "Spam", "");
  od_fake_imap_server_add_folder (server, "Unerw&APw-nscht", "\\Junk");
  od_fake_imap_server_add_message (server, "Unerw&APw-nscht", failing_header, -1, 0);
  start_imap (server);

  round_trip = round_trip_new (OD_PROTOCOL_IMAP, od_fake_imap_server_get_port (server),
                               OD_SECURITY_STARTTLS, transcript);
  g_assert_true (run (round_trip, NULL, &error));
  g_assert_no_error (error);
  assert_junk (round_trip, "Unerw&APw-nscht");
  assert_no_password (transcript);
}

static void
test_junk_by_name (void)
{
  g_autoptr(OdFakeImapServer) server = imap_server ("IMAP4rev1 AUTH=PLAIN IDLE");
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdRoundTrip) round_trip = NULL;
  g_autoptr(GError) error = NULL;

  /* It arrives while the round trip waits in INBOX: the spam folder is looked at again. */
  od_fake_imap_server_add_folder (server, "Archive", "");
  od_fake_imap_server_add_folder (server, "INBOX/Junk E-mail", "");
  od_fake_imap_server_add_message (server, "INBOX/Junk E-mail", failing_header, -1, 300);
  start_imap (server);

  round_trip = round_trip_new (OD_PROTOCOL_IMAP, od_fake_imap_server_get_port (server),
                               OD_SECURITY_STARTTLS, transcript);
  od_round_trip_set_wait (round_trip, 8000);
  g_assert_true (run (round_trip, NULL, &error));
  g_assert_no_error (error);
  assert_junk (round_trip, "INBOX/Junk E-mail");
}

static void
test_not_found (void)
{
  g_autoptr(OdFakeImapServer) server = imap_server (NULL);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdRoundTrip) round_trip = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *json_text = NULL;
  gint64 start = g_get_monotonic_time ();

  /* A message whose Message-ID holds ours as a substring is not it. */
  od_fake_imap_server_add_message (server, "INBOX", other_header, -1, 0);
  od_fake_imap_server_add_message (server, "INBOX",
                                   "Message-ID: <x" MESSAGE_ID ">\r\n"
                                   "In-Reply-To: " MESSAGE_ID "\r\n\r\n", -1, 0);
  start_imap (server);

  round_trip = round_trip_new (OD_PROTOCOL_IMAP, od_fake_imap_server_get_port (server),
                               OD_SECURITY_STARTTLS, transcript);
  od_round_trip_set_wait (round_trip, 800);
  g_assert_true (run (round_trip, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (od_round_trip_get_delivery (round_trip), ==, OD_DELIVERY_NOT_FOUND);
  g_assert_null (od_round_trip_get_folder (round_trip));
  g_assert_cmpint (od_round_trip_get_elapsed_ms (round_trip), >=, 800);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 20000);
  g_assert_true (has_problem (round_trip, "round-trip-not-found"));
  g_assert_null (od_round_trip_get_auth_results (round_trip));

  json = od_round_trip_to_json (round_trip);
  json_text = json_to_string (json, FALSE);
  g_assert_nonnull (strstr (json_text, "\"where\":\"not-found\",\"folder\":null"));
  g_assert_nonnull (strstr (json_text, "\"authentication_results\":null"));
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_idle (void)
{
  g_autoptr(OdFakeImapServer) server = imap_server (NULL);
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdRoundTrip) round_trip = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 start = g_get_monotonic_time ();

  od_fake_imap_server_add_message (server, "INBOX", other_header, -1, 0);
  start_imap (server);
  round_trip = round_trip_new (OD_PROTOCOL_IMAP, od_fake_imap_server_get_port (server),
                               OD_SECURITY_STARTTLS, transcript);
  od_round_trip_set_wait (round_trip, 60000);
  g_timeout_add (700, cancel_cb, cancellable);

  g_assert_false (run (round_trip, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 20000);
  text = od_transcript_to_text (transcript);
  g_assert_nonnull (strstr (text, "IDLE"));
  /* Cancelled is the person's choice, not a problem of the server. */
  g_assert_cmpuint (od_round_trip_get_problems (round_trip)->len, ==, 0);
  od_fake_imap_server_stop (server);
}

static void
test_delete_when_asked (void)
{
  g_autoptr(OdFakeImapServer) server = imap_server (NULL);
  g_autoptr(OdFakeImapServer) plain_server = imap_server ("IMAP4rev1 AUTH=PLAIN");
  g_autoptr(OdRoundTrip) round_trip = NULL;
  g_autoptr(OdRoundTrip) second = NULL;
  g_autoptr(GPtrArray) commands = NULL;
  g_autoptr(GError) error = NULL;

  /* With UIDPLUS: this very message, by UID. */
  od_fake_imap_server_add_message (server, "INBOX", other_header, -1, 0);
  od_fake_imap_server_add_message (server, "INBOX", good_header, -1, 0);
  start_imap (server);
  round_trip = round_trip_new (OD_PROTOCOL_IMAP, od_fake_imap_server_get_port (server),
                               OD_SECURITY_STARTTLS, NULL);
  od_round_trip_set_delete (round_trip, TRUE);
  g_assert_true (run (round_trip, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (od_round_trip_get_deleted (round_trip));
  commands = od_fake_imap_server_dup_commands (server);
  g_assert_true (sent_command (commands, "UID STORE 101 +FLAGS.SILENT (\\Deleted)"));
  g_assert_true (sent_command (commands, "UID EXPUNGE 101"));
  g_assert_cmpuint (od_fake_imap_server_count_messages (server, "INBOX"), ==, 1);

  /* Without UIDPLUS: EXPUNGE only after making sure nothing else is marked \Deleted. */
  od_fake_imap_server_add_message (plain_server, "INBOX", good_header, -1, 0);
  start_imap (plain_server);
  second = round_trip_new (OD_PROTOCOL_IMAP, od_fake_imap_server_get_port (plain_server),
                           OD_SECURITY_STARTTLS, NULL);
  od_round_trip_set_delete (second, TRUE);
  g_assert_true (run (second, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (od_round_trip_get_deleted (second));
  g_clear_pointer (&commands, g_ptr_array_unref);
  commands = od_fake_imap_server_dup_commands (plain_server);
  g_assert_true (sent_command (commands, "UID SEARCH DELETED"));
  g_assert_true (sent_command (commands, "EXPUNGE\r"));
  g_assert_cmpuint (od_fake_imap_server_count_messages (plain_server, "INBOX"), ==, 0);
}

static OdFakePop3Server *
pop3_server (void)
{
  OdFakePop3Server *server = od_fake_pop3_server_new ();
  g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, NULL);
  g_autoptr(GError) error = NULL;

  od_fake_pop3_server_set_certificate (server, cert);
  od_fake_pop3_server_set_credentials (server, USER, PASSWORD);
  od_fake_pop3_server_add_message (server, other_header);
  od_fake_pop3_server_add_message (server, failing_header);
  od_fake_pop3_server_add_message (server, other_header);
  g_assert_true (od_fake_pop3_server_start (server, &error));
  g_assert_no_error (error);
  return server;
}

static gboolean
pop3_sent (OdFakePop3Server *server,
           const char       *prefix)
{
  GPtrArray *commands = od_fake_pop3_server_get_commands (server);

  for (guint i = 0; i < commands->len; i++)
    {
      if (g_str_has_prefix (g_ptr_array_index (commands, i), prefix))
        return TRUE;
    }

  return FALSE;
}

/* An account that signs in with a token: the round trip logs in with it through
 * AUTHENTICATE OAUTHBEARER, never as a password, and finds the message. */
static void
test_token (void)
{
  g_autoptr(OdFakeImapServer) server = imap_server ("IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=OAUTHBEARER "
                                                    "SPECIAL-USE");
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdRoundTrip) round_trip = NULL;
  g_autoptr(GPtrArray) commands = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *token = "ya29.Fake-Access-Token_0123456789-abcdefghij-KLMNOPQRST-oauth";

  od_fake_imap_server_set_oauth (server, token);
  od_fake_imap_server_add_message (server, "INBOX", good_header, -1, 0);
  start_imap (server);

  round_trip = od_round_trip_new (OD_PROTOCOL_IMAP, "127.0.0.1",
                                  od_fake_imap_server_get_port (server), OD_SECURITY_STARTTLS,
                                  USER, token, MESSAGE_ID, transcript);
  od_round_trip_set_ca_file (round_trip, od_test_certs_get_ca_file (certs));
  od_round_trip_set_wait (round_trip, 20000);
  od_round_trip_set_timeout (round_trip, 20000);
  od_round_trip_set_token (round_trip, TRUE);
  od_transcript_add_secret (transcript, token);
  g_assert_true (run (round_trip, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (od_round_trip_get_delivery (round_trip), ==, OD_DELIVERY_INBOX);

  commands = od_fake_imap_server_dup_commands (server);
  g_assert_true (sent_command (commands, "AUTHENTICATE OAUTHBEARER "));
  g_assert_false (sent_command (commands, "AUTHENTICATE PLAIN"));
  g_assert_false (sent_command (commands, "LOGIN"));
  text = od_transcript_to_text (transcript);
  g_assert_null (strstr (text, token));
}

static void
test_pop3_top (void)
{
  g_autoptr(OdFakePop3Server) server = pop3_server ();
  g_autoptr(OdFakePop3Server) deleting = pop3_server ();
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdRoundTrip) round_trip = NULL;
  g_autoptr(OdRoundTrip) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  round_trip = round_trip_new (OD_PROTOCOL_POP3, od_fake_pop3_server_get_port (server),
                               OD_SECURITY_STARTTLS, transcript);
  g_assert_true (run (round_trip, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (od_round_trip_get_delivery (round_trip), ==, OD_DELIVERY_INBOX);
  g_assert_cmpstr (od_round_trip_get_folder (round_trip), ==, "INBOX");
  g_assert_false (od_round_trip_get_junk_visible (round_trip));
  g_assert_true (has_problem (round_trip, "auth-results-dmarc-fail"));
  g_assert_true (pop3_sent (server, "TOP 3 0"));
  g_assert_true (pop3_sent (server, "TOP 2 0"));
  g_assert_false (pop3_sent (server, "TOP 1 0"));
  g_assert_false (pop3_sent (server, "DELE"));
  g_assert_false (od_round_trip_get_deleted (round_trip));
  assert_no_password (transcript);

  second = round_trip_new (OD_PROTOCOL_POP3, od_fake_pop3_server_get_port (deleting),
                           OD_SECURITY_STARTTLS, NULL);
  od_round_trip_set_delete (second, TRUE);
  g_assert_true (run (second, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pop3_sent (deleting, "DELE 2"));
  g_assert_true (od_round_trip_get_deleted (second));

  /* Not there: POP3 cannot see the spam folder, and says so. */
  g_clear_object (&second);
  second = od_round_trip_new (OD_PROTOCOL_POP3, "127.0.0.1",
                              od_fake_pop3_server_get_port (deleting), OD_SECURITY_STARTTLS,
                              USER, PASSWORD, "<never-sent@example.org>", NULL);
  od_round_trip_set_ca_file (second, od_test_certs_get_ca_file (certs));
  od_round_trip_set_wait (second, 500);
  od_round_trip_set_poll_interval (second, 200);
  g_assert_true (run (second, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (od_round_trip_get_delivery (second), ==, OD_DELIVERY_NOT_FOUND);
  summary = od_round_trip_get_summary (second);
  g_assert_nonnull (strstr (summary, "POP3 shows only the inbox"));
}

static void
test_hostile (void)
{
  g_autoptr(OdFakeImapServer) server = imap_server (NULL);
  g_autoptr(OdFakeImapServer) big = imap_server (NULL);
  g_autoptr(OdRoundTrip) round_trip = NULL;
  g_autoptr(OdRoundTrip) second = NULL;
  g_autoptr(GString) header = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  /* Control characters, an unclosed comment and quote, a NUL in the Authentication-Results:
   * found, believed as far as it reads, no crash. */
  g_string_append (header, "Authentication-Results: \x1b]0;evil\x07 mx.example.org; "
                           "spf=fail (unclosed; dkim=\"pass\r\n");
  g_string_append (header, "Message-ID: " MESSAGE_ID "\r\n\r\n");
  od_fake_imap_server_add_message (server, "INBOX", header->str, header->len, 0);
  start_imap (server);
  round_trip = round_trip_new (OD_PROTOCOL_IMAP, od_fake_imap_server_get_port (server),
                               OD_SECURITY_STARTTLS, NULL);
  g_assert_true (run (round_trip, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (od_round_trip_get_delivery (round_trip), ==, OD_DELIVERY_INBOX);

  /* A header larger than a literal may be: refused, not read into memory. */
  g_string_truncate (header, 0);
  g_string_append (header, "Message-ID: " MESSAGE_ID "\r\n");
  while (header->len < 2 * 1024 * 1024)
    g_string_append (header, "X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
  g_string_append (header, "\r\n");
  od_fake_imap_server_add_message (big, "INBOX", header->str, header->len, 0);
  start_imap (big);
  second = round_trip_new (OD_PROTOCOL_IMAP, od_fake_imap_server_get_port (big),
                           OD_SECURITY_STARTTLS, NULL);
  g_assert_false (run (second, NULL, &error));
  g_assert_error (error, OD_IMAP_ERROR, OD_IMAP_ERROR_LITERAL_TOO_LARGE);
  g_assert_cmpuint (od_round_trip_get_problems (second)->len, ==, 1);
  g_test_message ("problem: %s",
                  od_problem_get_id (g_ptr_array_index (od_round_trip_get_problems (second), 0)));
  g_assert_true (has_problem (second, "protocol-error"));
  od_fake_imap_server_stop (big);
}

static void
test_plaintext_refused (void)
{
  g_autoptr(OdRoundTrip) round_trip = NULL;
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(GError) error = NULL;

  round_trip = round_trip_new (OD_PROTOCOL_IMAP, 1, OD_SECURITY_NONE, transcript);
  g_assert_false (run (round_trip, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (has_problem (round_trip, "auth-plaintext-refused"));
  g_assert_cmpuint (od_transcript_get_length (transcript), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/od/round-trip/inbox-now", test_inbox_now);
  g_test_add_func ("/od/round-trip/idle-arrival", test_idle_arrival);
  g_test_add_func ("/od/round-trip/polling", test_polling);
  g_test_add_func ("/od/round-trip/junk-special-use", test_junk_special_use);
  g_test_add_func ("/od/round-trip/junk-by-name", test_junk_by_name);
  g_test_add_func ("/od/round-trip/not-found", test_not_found);
  g_test_add_func ("/od/round-trip/cancel-idle", test_cancel_idle);
  g_test_add_func ("/od/round-trip/delete-when-asked", test_delete_when_asked);
  g_test_add_func ("/od/round-trip/pop3-top", test_pop3_top);
  g_test_add_func ("/od/round-trip/token", test_token);
  g_test_add_func ("/od/round-trip/hostile", test_hostile);
  g_test_add_func ("/od/round-trip/plaintext-refused", test_plaintext_refused);

  ret = g_test_run ();
  od_test_certs_free (certs);
  return ret;
}
