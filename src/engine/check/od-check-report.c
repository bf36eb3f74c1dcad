/* od-check-report.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-check-report"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "od-check-delivery.h"
#include "od-check-report.h"
#include "od-json.h"

static const char *
verdict_string (OdStepState verdict)
{
  switch (verdict)
    {
    case OD_STEP_STATE_PASS: return "pass";
    case OD_STEP_STATE_WARN: return "warn";
    default:                 return "fail";
    }
}

/**
 * od_check_report_to_json:
 *
 * The `check` document of the JSON contract, schema 1. Keys are only ever added.
 *
 * Returns: (transfer full): the report
 */
JsonNode *
od_check_report_to_json (OdCheck *check)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) problems = NULL;
  OdChecklist *checklist;
  OdTlsInfo *tls_info;
  guint n_steps;
  guint n_messages;

  g_return_val_if_fail (OD_IS_CHECK (check), NULL);

  checklist = od_check_get_checklist (check);
  n_steps = g_list_model_get_n_items (G_LIST_MODEL (checklist));
  problems = od_checklist_get_problems (checklist);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, OD_REPORT_SCHEMA);
  od_json_add_string (builder, "address", od_check_get_address (check));
  /* Extension: which server was checked, sending (smtp) or receiving (imap, pop3). */
  od_json_add_string (builder, "protocol", od_protocol_to_string (od_check_get_protocol (check)));

  json_builder_set_member_name (builder, "server");
  json_builder_begin_object (builder);
  od_json_add_string (builder, "host", od_check_get_host (check));
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, od_check_get_port (check));
  od_json_add_string (builder, "security", od_security_to_string (od_check_get_security (check)));
  od_json_add_string (builder, "username", od_check_get_username (check));
  json_builder_end_object (builder);

  od_json_add_string (builder, "verdict", verdict_string (od_checklist_get_verdict (checklist)));

  /* Extension of the incoming check: what the mailbox holds, once it was opened. */
  if (od_check_get_mailbox (check, &n_messages))
    {
      json_builder_set_member_name (builder, "mailbox");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "messages");
      json_builder_add_int_value (builder, n_messages);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "steps");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_steps; i++)
    {
      g_autoptr(OdCheckStep) step = g_list_model_get_item (G_LIST_MODEL (checklist), i);

      json_builder_begin_object (builder);
      od_json_add_string (builder, "id", od_check_step_get_id (step));
      od_json_add_string (builder, "status", od_step_state_to_string (od_check_step_get_state (step)));
      od_json_add_string (builder, "title", od_check_step_get_title (step));
      od_json_add_string (builder, "detail", od_check_step_get_detail (step));
      json_builder_set_member_name (builder, "elapsed_ms");
      json_builder_add_int_value (builder, od_check_step_get_elapsed_ms (step));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; i < problems->len; i++)
    {
      OdProblem *problem = g_ptr_array_index (problems, i);

      json_builder_add_value (builder, od_problem_to_json (problem));
    }
  json_builder_end_array (builder);

  tls_info = od_check_get_tls_info (check);
  json_builder_set_member_name (builder, "tls");
  if (tls_info != NULL)
    json_builder_add_value (builder, od_tls_info_to_json (tls_info));
  else
    json_builder_add_null_value (builder);

  /* Extension, only with the round trip: null when the test message was not accepted. */
  if (od_check_get_has_round_trip (check))
    {
      OdRoundTrip *round_trip = od_check_get_round_trip (check);

      json_builder_set_member_name (builder, "delivery");
      if (round_trip != NULL)
        json_builder_add_value (builder, od_round_trip_to_json (round_trip));
      else
        json_builder_add_null_value (builder);
    }

  json_builder_set_member_name (builder, "transcript");
  json_builder_add_value (builder, od_transcript_to_json (od_check_get_transcript (check)));

  json_builder_set_member_name (builder, "elapsed_ms");
  json_builder_add_int_value (builder, od_check_get_elapsed_ms (check));

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * od_check_report_to_text:
 *
 * A plain-text report a help desk can read: the server, every step with its outcome, the
 * problems with their remedies and the server's words, and the redacted transcript. Every
 * word is in the reader's language; the problem ids stay as they are, for searching.
 *
 * Returns: (transfer full): the report
 */
char *
od_check_report_to_text (OdCheck *check)
{
  g_autoptr(GString) str = g_string_new (NULL);
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *transcript = NULL;
  OdChecklist *checklist;
  guint n_steps;

  g_return_val_if_fail (OD_IS_CHECK (check), NULL);

  checklist = od_check_get_checklist (check);
  n_steps = g_list_model_get_n_items (G_LIST_MODEL (checklist));
  problems = od_checklist_get_problems (checklist);

  g_string_append_printf (str, "Outbox Doctor %s\n", PACKAGE_VERSION);
  /* Translators: "Address: me@example.org" */
  g_string_append_printf (str, _("Address: %s\n"), od_check_get_address (check));
  /* Translators: "Server: smtp.example.org, port 587, STARTTLS" (the encryption as the
   * Encryption menu names it) */
  g_string_append_printf (str, _("Server: %s, port %u, %s\n"),
                          od_check_get_host (check), od_check_get_port (check),
                          od_security_describe (od_check_get_security (check)));
  /* Receiving: which protocol; the machine word, as a help desk searches for it. */
  if (od_protocol_is_incoming (od_check_get_protocol (check)))
    /* Translators: "Incoming server protocol: IMAP" */
    g_string_append_printf (str, _("Incoming server protocol: %s\n"),
                            od_check_get_protocol (check) == OD_PROTOCOL_POP3 ? "POP3" : "IMAP");
  /* Translators: "Result: Failed" */
  g_string_append_printf (str, _("Result: %s\n\n"),
                          od_step_state_describe (od_checklist_get_verdict (checklist)));

  for (guint i = 0; i < n_steps; i++)
    {
      g_autoptr(OdCheckStep) step = g_list_model_get_item (G_LIST_MODEL (checklist), i);
      const char *state = od_step_state_describe (od_check_step_get_state (step));
      const char *detail = od_check_step_get_detail (step);

      if (detail != NULL)
        /* Translators: a step of the report: its state, its title and what happened:
         * "[Failed] Login: The server did not accept the password." */
        g_string_append_printf (str, _("[%s] %s: %s\n"), state, od_check_step_get_title (step),
                                detail);
      else
        /* Translators: a step of the report: its state and its title: "[Passed] Login" */
        g_string_append_printf (str, _("[%s] %s\n"), state, od_check_step_get_title (step));
    }

  for (guint i = 0; i < problems->len; i++)
    {
      OdProblem *problem = g_ptr_array_index (problems, i);

      g_string_append_printf (str, "\n%s (%s)\n", od_problem_get_summary (problem),
                              od_problem_get_id (problem));
      g_string_append_printf (str, _("What to do: %s\n"), od_problem_get_remedy (problem));
      if (od_problem_get_server_reply (problem) != NULL)
        g_string_append_printf (str, _("The server said: %s\n"),
                                od_problem_get_server_reply (problem));
    }

  transcript = od_transcript_to_text (od_check_get_transcript (check));
  g_string_append_printf (str, "\n%s\n%s", _("Transcript (passwords removed):"), transcript);

  return g_string_free (g_steal_pointer (&str), FALSE);
}
