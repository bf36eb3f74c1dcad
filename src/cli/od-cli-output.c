/* od-cli-output.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbox-doctor-cli"

#include "config.h"

#include <unistd.h>

#include <glib/gi18n.h>

#include "od-cli-output.h"
#include "od-text.h"

#define WRAP_WIDTH 76

/* Lights are coloured only on a terminal, and never when NO_COLOR is set (no-color.org). */
gboolean
od_cli_use_colour (void)
{
  static int colour = -1;

  if (colour < 0)
    colour = isatty (STDOUT_FILENO) && g_getenv ("NO_COLOR") == NULL &&
             g_strcmp0 (g_getenv ("TERM"), "dumb") != 0;

  return colour;
}

const char *
od_cli_light (OdStepState state)
{
  if (od_cli_use_colour ())
    {
      switch (state)
        {
        case OD_STEP_STATE_PASS: return "\033[1;32m●\033[0m";
        case OD_STEP_STATE_WARN: return "\033[1;33m●\033[0m";
        case OD_STEP_STATE_FAIL: return "\033[1;31m●\033[0m";
        default:                 return "\033[90m●\033[0m";
        }
    }

  switch (state)
    {
    case OD_STEP_STATE_PASS: return "[ ok ]";
    case OD_STEP_STATE_WARN: return "[warn]";
    case OD_STEP_STATE_FAIL: return "[FAIL]";
    default:                 return "[skip]";
    }
}

const char *
od_cli_bold (void)
{
  return od_cli_use_colour () ? "\033[1m" : "";
}

const char *
od_cli_reset (void)
{
  return od_cli_use_colour () ? "\033[0m" : "";
}

/* Prints @text wrapped at WRAP_WIDTH columns, every line indented by @indent spaces. The
 * engine already sanitizes what servers say; filtering again here keeps any control
 * character (a terminal escape from a certificate or a reply) off the terminal whatever path
 * the text took. */
static void
print_wrapped (const char *label,
               const char *text,
               guint       indent)
{
  g_autofree char *shown = od_text_sanitize (text, -1, OD_TEXT_KEEP_NEWLINE);
  g_auto(GStrv) paragraphs = g_strsplit (shown, "\n", -1);
  g_autofree char *pad = g_strnfill (indent, ' ');
  guint label_width = label ? g_utf8_strlen (label, -1) + 1 : 0;

  for (guint p = 0; paragraphs[p] != NULL; p++)
    {
      g_auto(GStrv) words = g_strsplit (paragraphs[p], " ", -1);
      guint column = indent;

      g_print ("%s", pad);
      if (label != NULL && p == 0)
        {
          g_print ("%s%s%s ", od_cli_bold (), label, od_cli_reset ());
          column += label_width;
        }

      for (guint w = 0; words[w] != NULL; w++)
        {
          guint len = g_utf8_strlen (words[w], -1);

          if (len == 0)
            continue;

          if (column > indent + label_width && column + 1 + len > WRAP_WIDTH)
            {
              g_print ("\n%s", pad);
              column = indent;
              if (label != NULL)
                {
                  g_print ("%*s", label_width, "");
                  column += label_width;
                }
            }
          else if (column > indent + (p == 0 ? label_width : 0))
            {
              g_print (" ");
              column++;
            }

          g_print ("%s", words[w]);
          column += len;
        }
      g_print ("\n");
    }
}

void
od_cli_print_check_header (OdCheck *check)
{
  g_autofree char *host = NULL;
  g_autofree char *address = NULL;

  g_return_if_fail (OD_IS_CHECK (check));

  /* The host may come from a provider's autoconfig file: no control characters. */
  host = od_text_sanitize (od_check_get_host (check), -1, OD_TEXT_SINGLE_LINE);
  address = od_text_sanitize (od_check_get_address (check), -1, OD_TEXT_SINGLE_LINE);

  /* Translators: "Checking smtp.example.org, port 587 (STARTTLS), for me@example.org…" */
  g_print (_("Checking %s, port %u (%s), for %s…\n\n"),
           host, od_check_get_port (check),
           od_security_describe (od_check_get_security (check)),
           address);
}

void
od_cli_print_check_result (OdCheck  *check,
                           gboolean  verbose)
{
  OdChecklist *checklist;
  guint n_steps;
  OdStepState verdict;

  g_return_if_fail (OD_IS_CHECK (check));

  checklist = od_check_get_checklist (check);
  n_steps = g_list_model_get_n_items (G_LIST_MODEL (checklist));

  for (guint i = 0; i < n_steps; i++)
    {
      g_autoptr(OdCheckStep) step = g_list_model_get_item (G_LIST_MODEL (checklist), i);
      OdStepState state = od_check_step_get_state (step);
      OdProblem *problem = od_check_step_get_problem (step);
      const char *detail = od_check_step_get_detail (step);
      g_autofree char *title = od_text_sanitize (od_check_step_get_title (step), -1,
                                                 OD_TEXT_SINGLE_LINE);

      g_print ("%s %s%s%s\n", od_cli_light (state), od_cli_bold (), title, od_cli_reset ());

      if (detail != NULL)
        print_wrapped (NULL, detail, 7);

      if (problem != NULL)
        {
          if (g_strcmp0 (detail, od_problem_get_summary (problem)) != 0)
            print_wrapped (_("Problem:"), od_problem_get_summary (problem), 7);
          print_wrapped (_("What to do:"), od_problem_get_remedy (problem), 7);
          if (od_problem_get_server_reply (problem) != NULL)
            print_wrapped (_("The server said:"), od_problem_get_server_reply (problem), 7);
        }

      /* Further findings of the step: the receiving server's SPF, DKIM, DMARC failures. */
      for (guint j = 0; od_check_step_get_more_problems (step) != NULL &&
                        j < od_check_step_get_more_problems (step)->len; j++)
        {
          OdProblem *more = g_ptr_array_index (od_check_step_get_more_problems (step), j);

          print_wrapped (_("Problem:"), od_problem_get_summary (more), 7);
          print_wrapped (_("What to do:"), od_problem_get_remedy (more), 7);
        }
    }

  verdict = od_checklist_get_verdict (checklist);
  g_print ("\n");
  if (od_protocol_is_incoming (od_check_get_protocol (check)))
    g_print ("%s %s\n", od_cli_light (verdict),
             verdict == OD_STEP_STATE_FAIL ? _("Mail cannot be received this way yet: see above.")
             : verdict == OD_STEP_STATE_WARN ? _("Mail can be received, with warnings: see above.")
                                             : _("Everything works: mail can be received."));
  else if (verdict == OD_STEP_STATE_FAIL)
    g_print ("%s %s\n", od_cli_light (verdict), _("Mail cannot be sent this way yet: see above."));
  else if (verdict == OD_STEP_STATE_WARN)
    g_print ("%s %s\n", od_cli_light (verdict), _("Mail can be sent, with warnings: see above."));
  else
    g_print ("%s %s\n", od_cli_light (verdict), _("Everything works: mail can be sent."));

  /* Translators: %.1f is a number of seconds */
  g_print (_("Took %.1f s.\n"), od_check_get_elapsed_ms (check) / 1000.0);

  if (verbose)
    {
      g_autofree char *transcript = od_transcript_to_text (od_check_get_transcript (check));
      g_autofree char *shown = od_text_sanitize (transcript, -1,
                                                 OD_TEXT_KEEP_TAB | OD_TEXT_KEEP_NEWLINE);

      g_print ("\n%s\n%s", _("Conversation with the server (passwords removed):"), shown);
    }
}

/**
 * od_cli_print_json:
 * @root: (transfer full): a JSON document
 *
 * Prints @root, pretty, on standard output.
 */
void
od_cli_print_json (JsonNode *root)
{
  g_autoptr(JsonNode) owned = root;
  g_autofree char *text = json_to_string (owned, TRUE);

  g_print ("%s\n", text);
}
