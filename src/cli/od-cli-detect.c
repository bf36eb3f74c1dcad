/* od-cli-detect.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbox-doctor-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "od-account.h"
#include "od-address.h"
#include "od-cli-common.h"
#include "od-cli-detect.h"
#include "od-cli-output.h"
#include "od-text.h"

/* `outbox-doctor-cli detect ADDRESS`: the command-line front end of the engine's discovery
 * unit (src/engine/discovery/; the command keeps the shorter name). It prints every source
 * and every candidate as it finishes, then the best setting. The same printing serves
 * `check --address` and `setup` without a server (od_cli_detect_print()). */

typedef struct
{
  OdDiscovery *discovery;
  gboolean     verbose;
} Watch;

/* The same lights as the check's output. */
typedef enum
{
  LIGHT_OK   = OD_STEP_STATE_PASS,
  LIGHT_WARN = OD_STEP_STATE_WARN,
  LIGHT_FAIL = OD_STEP_STATE_FAIL,
  LIGHT_SKIP = OD_STEP_STATE_SKIP,
} Light;

/* What servers, DNS and documents say is printed without control characters: a hostile
 * server must not reach the terminal (colours, window titles). NULL stays NULL. */
static char *
clean (const char *text)
{
  return text != NULL ? od_text_sanitize (text, -1, OD_TEXT_SINGLE_LINE) : NULL;
}

static void
print_source (OdDiscoverySource *source)
{
  OdSourceStatus status = od_discovery_source_get_status (source);
  g_autofree char *detail = clean (od_discovery_source_get_detail (source));
  Light state = status == OD_SOURCE_STATUS_FOUND ? LIGHT_OK :
                status == OD_SOURCE_STATUS_ERROR ? LIGHT_WARN : LIGHT_SKIP;

  g_print ("%s %s%s%s: %s ", od_cli_light ((OdStepState) state), od_cli_bold (),
           od_source_kind_get_title (od_discovery_source_get_kind (source)), od_cli_reset (),
           detail ? detail : "");
  /* Translators: a duration in milliseconds */
  g_print (_("(%d ms)"), (int)MIN (od_discovery_source_get_elapsed_ms (source), G_MAXINT));
  g_print ("\n");
}

static void
print_candidate (OdCandidate *candidate)
{
  OdCandidateStatus status = od_candidate_get_status (candidate);
  g_autofree char *detail = clean (od_candidate_get_detail (candidate));
  g_autofree char *host = clean (od_candidate_get_host (candidate));
  Light state = status == OD_CANDIDATE_OK ? LIGHT_OK :
                status == OD_CANDIDATE_SKIPPED ? LIGHT_SKIP : LIGHT_FAIL;
  g_autofree char *untrusted = NULL;
  g_autofree char *setting = NULL;

  if (!od_candidate_get_trusted (candidate))
    untrusted = g_strdup_printf (" %s", _("(needs your confirmation)"));

  /* Translators: "smtp.example.org, port 465, TLS" */
  setting = g_strdup_printf (_("%s, port %u, %s"), host,
                             od_candidate_get_port (candidate),
                             od_security_describe (od_candidate_get_security (candidate)));
  /* "[ ok ] smtp.example.org, port 465, TLS (srv): ok — A mail server answered… " */
  g_print ("%s %s%s%s (%s%s): %s — %s ", od_cli_light ((OdStepState) state), od_cli_bold (),
           setting, od_cli_reset (),
           od_source_kind_to_string (od_candidate_get_source (candidate)),
           untrusted ? untrusted : "", od_candidate_status_to_string (status),
           detail ? detail : "");
  g_print (_("(%d ms)"), (int)MIN (od_candidate_get_elapsed_ms (candidate), G_MAXINT));
  g_print ("\n");
}

static void
source_status_cb (OdDiscoverySource *source,
                  GParamSpec        *pspec,
                  Watch             *watch)
{
  if (od_discovery_source_get_status (source) != OD_SOURCE_STATUS_PENDING)
    print_source (source);
}

static void
candidate_status_cb (OdCandidate *candidate,
                     GParamSpec  *pspec,
                     Watch       *watch)
{
  if (!od_candidate_is_finished (candidate))
    return;

  /* Candidates stopped because a better one worked are noise, unless asked for. */
  if (od_candidate_get_status (candidate) == OD_CANDIDATE_SKIPPED && !watch->verbose)
    return;

  print_candidate (candidate);
}

static void
candidates_changed_cb (GListModel *model,
                       guint       position,
                       guint       removed,
                       guint       added,
                       Watch      *watch)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(OdCandidate) candidate = g_list_model_get_item (model, i);

      g_signal_connect (candidate, "notify::status", G_CALLBACK (candidate_status_cb), watch);
      if (od_candidate_is_finished (candidate))
        candidate_status_cb (candidate, NULL, watch);
    }
}

static void
unwatch (Watch *watch)
{
  GListModel *models[] = { od_discovery_get_sources (watch->discovery),
                           od_discovery_get_candidates (watch->discovery) };

  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    {
      for (guint i = 0; i < g_list_model_get_n_items (models[m]); i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (models[m], i);
          g_signal_handlers_disconnect_by_data (item, watch);
        }
      g_signal_handlers_disconnect_by_data (models[m], watch);
    }
}

/* Runs @discovery, printing sources and candidates as they finish. */
static OdCandidate *
run_watched (OdDiscovery   *discovery,
             gboolean       verbose,
             GCancellable  *cancellable,
             GError       **error)
{
  g_auto(OdCliWait) wait = { 0 };
  Watch watch = { discovery, verbose };
  GListModel *sources = od_discovery_get_sources (discovery);
  OdCandidate *best;

  g_signal_connect (od_discovery_get_candidates (discovery), "items-changed",
                    G_CALLBACK (candidates_changed_cb), &watch);

  od_discovery_run_async (discovery, cancellable, od_cli_wait_cb, &wait);

  /* The sources exist now; the synchronous ones (provider database, guesses) have already
   * finished, so print them before watching the others. */
  for (guint i = 0; i < g_list_model_get_n_items (sources); i++)
    {
      g_autoptr(OdDiscoverySource) source = g_list_model_get_item (sources, i);

      if (od_discovery_source_get_status (source) != OD_SOURCE_STATUS_PENDING)
        print_source (source);
      else
        g_signal_connect (source, "notify::status", G_CALLBACK (source_status_cb), &watch);
    }

  best = od_discovery_run_finish (discovery, od_cli_wait (&wait, cancellable), error);
  unwatch (&watch);

  return best;
}

static void
print_problems (OdDiscovery *discovery)
{
  GListModel *problems = od_discovery_get_problems (discovery);

  for (guint i = 0; i < g_list_model_get_n_items (problems); i++)
    {
      g_autoptr(OdProblem) problem = g_list_model_get_item (problems, i);
      Light state = od_problem_get_severity (problem) == OD_SEVERITY_WARNING ? LIGHT_WARN
                                                                             : LIGHT_FAIL;

      g_print ("%s %s%s%s (%s)\n", od_cli_light ((OdStepState) state), od_cli_bold (),
               od_problem_get_summary (problem), od_cli_reset (), od_problem_get_id (problem));
      /* Translators: followed by a remedy */
      g_print ("       %s %s\n", _("What to do:"), od_problem_get_remedy (problem));
    }
}

static void
print_best (OdCandidate *best)
{
  const char * const *mechanisms = od_candidate_get_auth_mechanisms (best);
  g_autofree char *joined_raw = g_strjoinv (", ", (char **)mechanisms);
  g_autofree char *joined = clean (joined_raw);
  g_autofree char *host = clean (od_candidate_get_host (best));
  g_autofree char *username = clean (od_candidate_get_username (best));

  /* Translators: "Outgoing server: smtp.example.org, port 465, TLS" */
  g_print (_("%s Outgoing server: %s%s, port %u, %s%s\n"),
           od_cli_light ((OdStepState) LIGHT_OK), od_cli_bold (), host,
           od_candidate_get_port (best), od_security_describe (od_candidate_get_security (best)),
           od_cli_reset ());
  /* Translators: %s is a source's name, such as "DNS service records" */
  g_print (_("       Found in: %s\n"), od_source_kind_get_title (od_candidate_get_source (best)));
  g_print (_("       User name: %s\n"), username);
  if (mechanisms[0] != NULL)
    g_print (_("       Login methods: %s\n"), joined);
}

static void
print_provider (OdProvider *provider)
{
  /* Translators: %s is a provider's name */
  g_print (_("       Provider: %s\n"), od_provider_get_display_name (provider));
  if (od_provider_get_oauth_only (provider))
    g_print ("       %s\n", _("This provider only accepts sign-in through its web page "
                               "(OAuth)."));
  else if (od_provider_get_needs_app_password (provider))
    g_print ("       %s\n", _("This provider needs an app password for mail programs."));
}

/* Everything the detection found: the best setting, or why there is none. */
static void
print_result (OdDiscovery *discovery)
{
  OdCandidate *best = od_discovery_get_best (discovery);
  OdCandidate *unconfirmed = od_discovery_get_unconfirmed (discovery);
  OdCandidate *incoming = od_discovery_get_incoming (discovery);
  OdCandidate *incoming_unconfirmed = od_discovery_get_incoming_unconfirmed (discovery);
  OdProvider *provider = od_discovery_get_provider (discovery);

  g_print ("\n");

  if (best != NULL)
    print_best (best);
  else
    {
      g_print ("%s %s\n", od_cli_light ((OdStepState) LIGHT_FAIL),
               unconfirmed ? _("No outgoing server that can be trusted without asking was "
                               "found.")
                           : _("No working outgoing server was found."));
      if (unconfirmed != NULL)
        {
          g_autofree char *host = clean (od_candidate_get_host (unconfirmed));
          g_autofree char *why = od_candidate_dup_why (unconfirmed);

          /* Translators: "Unconfirmed: smtp.example.org, port 587, STARTTLS" */
          g_print (_("       Unconfirmed: %s, port %u, %s\n"), host,
                   od_candidate_get_port (unconfirmed),
                   od_security_describe (od_candidate_get_security (unconfirmed)));
          g_print ("       %s\n", why);
        }
    }

  if (incoming != NULL)
    {
      g_autofree char *host = clean (od_candidate_get_host (incoming));
      g_autofree char *protocol = g_ascii_strup (od_protocol_to_string (od_candidate_get_protocol (incoming)), -1);

      /* Translators: "Incoming server (IMAP): imap.example.org, port 993, TLS" */
      g_print (_("       Incoming server (%s): %s, port %u, %s\n"), protocol, host,
               od_candidate_get_port (incoming),
               od_security_describe (od_candidate_get_security (incoming)));
    }
  else if (incoming_unconfirmed != NULL)
    {
      g_autofree char *host = clean (od_candidate_get_host (incoming_unconfirmed));
      g_autofree char *protocol = g_ascii_strup (od_protocol_to_string (od_candidate_get_protocol (incoming_unconfirmed)), -1);
      g_autofree char *why = od_candidate_dup_why (incoming_unconfirmed);

      /* Translators: "Incoming server (IMAP, unconfirmed): imap.hostco.example, port 993,
       * TLS" */
      g_print (_("       Incoming server (%s, unconfirmed): %s, port %u, %s\n"), protocol,
               host, od_candidate_get_port (incoming_unconfirmed),
               od_security_describe (od_candidate_get_security (incoming_unconfirmed)));
      g_print ("       %s\n", why);
    }
  else
    g_print ("       %s\n", _("No working incoming server (IMAP or POP3) was found."));

  if (provider != NULL)
    print_provider (provider);

  print_problems (discovery);

  /* Translators: %.1f is a number of seconds */
  g_print (_("Took %.1f s.\n"), od_discovery_get_elapsed_ms (discovery) / 1000.0);
}

/**
 * od_cli_new_discovery:
 * @timeout: the whole detection's limit in seconds, or 0 for the default
 *
 * Returns: (transfer full): a detection for @address as the command-line options ask
 */
OdDiscovery *
od_cli_new_discovery (const char *address,
                      const char *ca_file,
                      int         timeout)
{
  OdDiscovery *discovery = od_discovery_new (address);

  od_discovery_set_ca_file (discovery, ca_file);
  if (timeout > 0)
    {
      od_discovery_set_total_timeout (discovery, (guint)timeout * 1000);
      od_discovery_set_connect_timeout (discovery,
                                        MIN (OD_DISCOVERY_DEFAULT_CONNECT_TIMEOUT_MS,
                                             (guint)timeout * 1000));
    }

  return discovery;
}

/**
 * od_cli_detect_announce:
 *
 * Says that the server is being looked for, before a check or setup without one.
 */
void
od_cli_detect_announce (const char *address)
{
  /* Translators: %s is an email address */
  g_print (_("No server given: looking for the outgoing server of %s…\n"), address);
}

/**
 * od_cli_detect_print:
 *
 * What the detection before a check or a setup found: the setting it goes on with, or
 * everything the detection knows and how to go on without it.
 */
void
od_cli_detect_print (OdDiscovery *discovery)
{
  OdCandidate *best = od_discovery_get_best (discovery);
  OdCandidate *unconfirmed = od_discovery_get_unconfirmed (discovery);

  if (best == NULL)
    {
      print_result (discovery);
      /* A server to confirm: the check goes on with it, up to the login. */
      if (unconfirmed == NULL)
        g_print (_("Give the server with --host, --port and --security.\n"));
      else
        g_print ("\n");
      return;
    }

  /* Translators: "Found smtp.example.org, port 465, TLS (from: DNS service records)." */
  g_print (_("Found %s, port %u, %s (from: %s).\n\n"), od_candidate_get_host (best),
           od_candidate_get_port (best), od_security_describe (od_candidate_get_security (best)),
           od_source_kind_get_title (od_candidate_get_source (best)));
}

int
od_cli_command_detect (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OdDiscovery) discovery = NULL;
  g_autoptr(OdCandidate) best = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *ca_file = NULL;
  gboolean json = FALSE;
  gboolean verbose = FALSE;
  int timeout = 0;
  int status;
  const GOptionEntry entries[] = {
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("Also trust the CA certificates in this PEM file"), N_("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Give up after this many seconds in all (default 15)"), N_("SECONDS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Also show the candidates that were not needed"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("ADDRESS — find the outgoing mail server for an address"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Consults the provider database, the domain’s autoconfig documents, its DNS records "
      "and the usual server names at once, and checks each server found: connection, "
      "encryption with a verified certificate, and the login methods offered. Nothing is "
      "sent and no password is used.\n\n"
      "Exit status: 0 a server was found, 1 none was found, 2 bad usage or input, "
      "3 internal error, 130 interrupted."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return od_cli_usage_error (context, error->message);

  if (argc != 2)
    return od_cli_usage_error (context, _("detect takes exactly one email address."));

  if (!od_address_validate (argv[1], &error))
    return od_cli_usage_error (NULL, error->message);

  if (!od_cli_check_options (context, timeout, ca_file, &status))
    return status;

  discovery = od_cli_new_discovery (argv[1], ca_file, timeout);

  if (json)
    {
      g_auto(OdCliWait) wait = { 0 };

      od_discovery_run_async (discovery, cancellable, od_cli_wait_cb, &wait);
      best = od_discovery_run_finish (discovery, od_cli_wait (&wait, cancellable), &error);
    }
  else
    {
      /* Translators: %s is an email address */
      g_print (_("Looking for the outgoing server of %s…\n\n"), argv[1]);
      best = run_watched (discovery, verbose, cancellable, &error);
    }

  if (error != NULL)
    {
      g_printerr ("outbox-doctor-cli: %s\n", error->message);
      return od_cli_error_status (error);
    }

  if (json)
    od_cli_print_json (od_discovery_to_json (discovery));
  else
    print_result (discovery);

  /* Found, but nobody vouched for it: how to use it after checking its name. */
  if (!json && best == NULL && od_discovery_get_unconfirmed (discovery) != NULL)
    {
      OdCandidate *unconfirmed = od_discovery_get_unconfirmed (discovery);
      g_autofree char *endpoint = od_account_format_endpoint (od_candidate_get_host (unconfirmed),
                                                              od_candidate_get_port (unconfirmed));

      /* Translators: the %s are the address and the server as HOST:PORT */
      g_print (_("If your provider’s help pages or your administrator name this server, "
                 "confirm it:\n"
                 "  outbox-doctor-cli setup %s --accept-server %s\n"),
               argv[1], endpoint);
    }

  return best != NULL ? OD_CLI_EXIT_PASSED : OD_CLI_EXIT_PROBLEM;
}
