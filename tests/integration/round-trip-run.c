/* round-trip-run.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "od-problem.h"
#include "od-round-trip.h"

/* One round trip against a real server, for tests/integration/test-round-trip-interop.sh
 * and build-aux/bench-round-trip.sh: prints {"delivery": …the delivery object…,
 * "run_ms": the run's own time, "ok": whether it could look, "error", "problems",
 * "transcript"} as JSON. The password is read from a file (never an argument).
 *
 *   round-trip-run --protocol imap|pop3 --host H --port N --security tls|starttls
 *                  --user U --password-file F --ca-file CA --message-id ID
 *                  [--wait-ms N] [--poll-ms N] [--delete] [--authserv-id ID] */

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static char *
read_password (const char *path)
{
  g_autofree char *contents = NULL;
  char *newline;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  newline = strchr (contents, '\n');
  if (newline != NULL)
    *newline = '\0';
  return g_steal_pointer (&contents);
}

static JsonNode *
report (OdRoundTrip  *round_trip,
        OdTranscript *transcript,
        gboolean      ok,
        const GError *error,
        gint64        run_ms)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GPtrArray *problems = od_round_trip_get_problems (round_trip);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, ok);
  json_builder_set_member_name (builder, "error");
  if (error != NULL)
    json_builder_add_string_value (builder, error->message);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "run_ms");
  json_builder_add_int_value (builder, run_ms);
  json_builder_set_member_name (builder, "delivery");
  json_builder_add_value (builder, od_round_trip_to_json (round_trip));
  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; i < problems->len; i++)
    json_builder_add_value (builder, od_problem_to_json (g_ptr_array_index (problems, i)));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "transcript");
  json_builder_add_value (builder, od_transcript_to_json (transcript));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *protocol_name = NULL, *host = NULL, *security_name = NULL;
  g_autofree char *user = NULL, *password_file = NULL, *ca_file = NULL;
  g_autofree char *message_id = NULL, *authserv_id = NULL, *password = NULL;
  int port = 0, wait_ms = 60000, poll_ms = 2000;
  gboolean delete_after = FALSE;
  GOptionEntry entries[] = {
    { "protocol", 0, 0, G_OPTION_ARG_STRING, &protocol_name, "imap or pop3", NULL },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, "incoming server", NULL },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "port", NULL },
    { "security", 0, 0, G_OPTION_ARG_STRING, &security_name, "tls or starttls", NULL },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "user name", NULL },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, "password file", NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, "CA certificates", NULL },
    { "message-id", 0, 0, G_OPTION_ARG_STRING, &message_id, "Message-ID", NULL },
    { "authserv-id", 0, 0, G_OPTION_ARG_STRING, &authserv_id, "receiving server", NULL },
    { "wait-ms", 0, 0, G_OPTION_ARG_INT, &wait_ms, "wait limit", NULL },
    { "poll-ms", 0, 0, G_OPTION_ARG_INT, &poll_ms, "poll interval", NULL },
    { "delete", 0, 0, G_OPTION_ARG_NONE, &delete_after, "delete when found", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- one round trip");
  g_autoptr(GError) error = NULL;
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdRoundTrip) round_trip = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;
  Wait wait = { loop, NULL };
  OdProtocol protocol;
  OdSecurity security;
  gint64 start;
  gboolean ok;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || host == NULL ||
      user == NULL || password_file == NULL || message_id == NULL || port <= 0 ||
      port > 65535 || !od_protocol_from_string (protocol_name ? protocol_name : "imap",
                                                &protocol) ||
      !od_security_from_string (security_name ? security_name : "tls", &security) ||
      (password = read_password (password_file)) == NULL)
    {
      g_printerr ("round-trip-run: bad arguments%s%s\n", error ? ": " : "",
                  error ? error->message : "");
      return 2;
    }

  round_trip = od_round_trip_new (protocol, host, port, security, user, password, message_id,
                                  transcript);
  memset (password, 0, strlen (password));
  od_round_trip_set_ca_file (round_trip, ca_file);
  od_round_trip_set_wait (round_trip, wait_ms);
  od_round_trip_set_poll_interval (round_trip, MAX (poll_ms, 1));
  od_round_trip_set_delete (round_trip, delete_after);
  od_round_trip_set_trusted_authserv_id (round_trip, authserv_id);

  start = g_get_monotonic_time ();
  od_round_trip_run_async (round_trip, NULL, done_cb, &wait);
  g_main_loop_run (loop);
  ok = od_round_trip_run_finish (round_trip, wait.result, &error);
  g_clear_object (&wait.result);

  json = report (round_trip, transcript, ok, error,
                 (g_get_monotonic_time () - start) / 1000);
  text = json_to_string (json, TRUE);
  printf ("%s\n", text);

  return ok ? 0 : 1;
}
