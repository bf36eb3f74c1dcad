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

#include "od-address.h"
#include "od-check.h"
#include "od-cli-common.h"
#include "od-cli-output.h"
#include "od-discovery.h"
#include "od-text.h"

/* `outbox-doctor-cli detect ADDRESS`: finds the outgoing server, printing every source and
 * every candidate as it finishes, then the best setting. Also used by `check --address`
 * without --host. */

typedef struct
{
  GMainLoop   *loop;
  OdDiscovery *discovery;
  OdCandidate *best;
  GError      *error;
  gboolean     live;      /* print sources and candidates as they finish */
  gboolean     verbose;
} DetectRun;

/* The same lights as the check's output. */
typedef enum
{
  LIGHT_OK   = OD_STEP_STATE_PASS,
  LIGHT_WARN = OD_STEP_STATE_WARN,
  LIGHT_FAIL = OD_STEP_STATE_FAIL,
  LIGHT_SKIP = OD_STEP_STATE_SKIP,
} Light;

static const char *
security_label (OdSecurity security)
{
  switch (security)
    {
    case OD_SECURITY_TLS:      return _("SSL/TLS");
    case OD_SECURITY_STARTTLS: return _("STARTTLS");
    default:                   return _("no encryption");
    }
}

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
    untrusted = g_strdup_printf (" %s", _("(unconfirmed: came over plain http://)"));

  /* Translators: "smtp.example.org, port 465, SSL/TLS" */
  setting = g_strdup_printf (_("%s, port %u, %s"), host,
                             od_candidate_get_port (candidate),
                             security_label (od_candidate_get_security (candidate)));
  /* "[ ok ] smtp.example.org, port 465, SSL/TLS (srv): ok — A mail server answered… " */
  g_print ("%s %s%s%s (%s%s): %s — %s ", od_cli_light ((OdStepState) state), od_cli_bold (), setting, od_cli_reset (),
           od_source_kind_to_string (od_candidate_get_source (candidate)),
           untrusted ? untrusted : "", od_candidate_status_to_string (status),
           detail ? detail : "");
  g_print (_("(%d ms)"), (int)MIN (od_candidate_get_elapsed_ms (candidate), G_MAXINT));
  g_print ("\n");
}

static void
source_status_cb (OdDiscoverySource *source,
                  GParamSpec        *pspec,
                  DetectRun         *run)
{
  if (od_discovery_source_get_status (source) != OD_SOURCE_STATUS_PENDING)
    print_source (source);
}

static void
candidate_status_cb (OdCandidate *candidate,
                     GParamSpec  *pspec,
                     DetectRun   *run)
{
  OdCandidateStatus status = od_candidate_get_status (candidate);

  if (!od_candidate_is_finished (candidate))
    return;

  /* Candidates stopped because a better one worked are noise, unless asked for. */
  if (status == OD_CANDIDATE_SKIPPED && !run->verbose)
    return;

  print_candidate (candidate);
}

static void
candidates_changed_cb (GListModel *model,
                       guint       position,
                       guint       removed,
                       guint       added,
                       DetectRun  *run)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(OdCandidate) candidate = g_list_model_get_item (model, i);

      g_signal_connect (candidate, "notify::status", G_CALLBACK (candidate_status_cb), run);
      if (od_candidate_is_finished (candidate))
        candidate_status_cb (candidate, NULL, run);
    }
}

static void
unwatch (DetectRun *run)
{
  GListModel *sources = od_discovery_get_sources (run->discovery);
  GListModel *candidates = od_discovery_get_candidates (run->discovery);

  for (guint i = 0; i < g_list_model_get_n_items (sources); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (sources, i);
      g_signal_handlers_disconnect_by_data (item, run);
    }

  for (guint i = 0; i < g_list_model_get_n_items (candidates); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (candidates, i);
      g_signal_handlers_disconnect_by_data (item, run);
    }

  g_signal_handlers_disconnect_by_data (candidates, run);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  DetectRun *run = user_data;

  run->best = od_discovery_run_finish (OD_DISCOVERY (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
run_discovery (DetectRun *run)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  run->loop = loop;

  if (run->live)
    g_signal_connect (od_discovery_get_candidates (run->discovery), "items-changed",
                      G_CALLBACK (candidates_changed_cb), run);

  od_discovery_run_async (run->discovery, cancellable, run_cb, run);

  /* The sources exist now; the synchronous ones (provider database, guesses) have already
   * finished, so print them before watching the others. */
  if (run->live)
    {
      GListModel *sources = od_discovery_get_sources (run->discovery);

      for (guint i = 0; i < g_list_model_get_n_items (sources); i++)
        {
          g_autoptr(OdDiscoverySource) source = g_list_model_get_item (sources, i);

          if (od_discovery_source_get_status (source) != OD_SOURCE_STATUS_PENDING)
            print_source (source);
          else
            g_signal_connect (source, "notify::status", G_CALLBACK (source_status_cb), run);
        }
    }

  od_cli_run_loop (loop, cancellable);

  if (run->live)
    unwatch (run);

  run->loop = NULL;
}

static void
print_problems (OdDiscovery *discovery)
{
  GListModel *problems = od_discovery_get_problems (discovery);

  for (guint i = 0; i < g_list_model_get_n_items (problems); i++)
    {
      g_autoptr(OdProblem) problem = g_list_model_get_item (problems, i);
      Light state = od_problem_get_severity (problem) == OD_SEVERITY_WARNING ? LIGHT_WARN : LIGHT_FAIL;

      g_print ("%s %s%s%s (%s)\n", od_cli_light ((OdStepState) state), od_cli_bold (), od_problem_get_summary (problem),
               od_cli_reset (), od_problem_get_id (problem));
      /* Translators: followed by a remedy */
      g_print ("       %s %s\n", _("What to do:"), od_problem_get_remedy (problem));
    }
}

static void
print_result (OdDiscovery *discovery)
{
  OdCandidate *best = od_discovery_get_best (discovery);
  OdCandidate *unconfirmed = od_discovery_get_unconfirmed (discovery);
  OdServerConfig *incoming = od_discovery_get_incoming (discovery);
  OdProvider *provider = od_discovery_get_provider (discovery);

  g_print ("\n");

  if (best != NULL)
    {
      const char * const *mechanisms = od_candidate_get_auth_mechanisms (best);
      g_autofree char *joined_raw = g_strjoinv (", ", (char **)mechanisms);
      g_autofree char *joined = clean (joined_raw);
      g_autofree char *host = clean (od_candidate_get_host (best));
      g_autofree char *username = clean (od_candidate_get_username (best));

      /* Translators: "Outgoing server: smtp.example.org, port 465, SSL/TLS" */
      g_print (_("%s Outgoing server: %s%s, port %u, %s%s\n"), od_cli_light ((OdStepState) LIGHT_OK), od_cli_bold (),
               host, od_candidate_get_port (best),
               security_label (od_candidate_get_security (best)), od_cli_reset ());
      /* Translators: %s is a source's name, such as "DNS service records" */
      g_print (_("       Found in: %s\n"),
               od_source_kind_get_title (od_candidate_get_source (best)));
      g_print (_("       User name: %s\n"), username);
      if (mechanisms[0] != NULL)
        g_print (_("       Login methods: %s\n"), joined);
    }
  else
    {
      g_print ("%s %s\n", od_cli_light ((OdStepState) LIGHT_FAIL), _("No working outgoing server was found."));
      if (unconfirmed != NULL)
        {
          g_autofree char *host = clean (od_candidate_get_host (unconfirmed));

          /* Translators: "Unconfirmed: smtp.example.org, port 587, STARTTLS" */
          g_print (_("       Unconfirmed: %s, port %u, %s\n"), host,
                   od_candidate_get_port (unconfirmed),
                   security_label (od_candidate_get_security (unconfirmed)));
        }
    }

  if (incoming != NULL)
    {
      g_autofree char *host = clean (incoming->hostname);

      /* Translators: "Incoming server (IMAP, not checked): imap.example.org, port 993, SSL/TLS" */
      g_print (_("       Incoming server (IMAP, not checked): %s, port %u, %s\n"),
               host, incoming->port, security_label (incoming->security));
    }

  if (provider != NULL)
    {
      /* Translators: %s is a provider's name */
      g_print (_("       Provider: %s\n"), od_provider_get_display_name (provider));
      if (od_provider_get_oauth_only (provider))
        g_print ("       %s\n", _("This provider only accepts sign-in through its web page "
                                   "(OAuth)."));
      else if (od_provider_get_needs_app_password (provider))
        g_print ("       %s\n", _("This provider needs an app password for mail programs."));
    }

  print_problems (discovery);

  /* Translators: %.1f is a number of seconds */
  g_print (_("Took %.1f s.\n"), od_discovery_get_elapsed_ms (discovery) / 1000.0);
}

static OdDiscovery *
new_discovery (const char *address,
               const char *ca_file,
               int         timeout)
{
  OdDiscovery *discovery = od_discovery_new (address);

  od_discovery_set_ca_file (discovery, ca_file);
  if (timeout > 0)
    {
      od_discovery_set_total_timeout (discovery, timeout * 1000);
      od_discovery_set_connect_timeout (discovery,
                                        MIN (OD_DISCOVERY_DEFAULT_CONNECT_TIMEOUT_MS,
                                             (guint)timeout * 1000));
    }

  return discovery;
}

int
od_cli_command_detect (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OdDiscovery) discovery = NULL;
  g_autofree char *ca_file = NULL;
  gboolean json = FALSE;
  gboolean verbose = FALSE;
  int timeout = 0;
  DetectRun run = { 0 };
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
      "3 internal error."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return od_cli_usage_error (context, error->message);

  if (argc != 2)
    return od_cli_usage_error (context, _("detect takes exactly one e-mail address."));

  if (!od_address_validate (argv[1], &error))
    return od_cli_usage_error (NULL, error->message);

  if (timeout < 0 || timeout > 24 * 3600)
    return od_cli_usage_error (context, _("--timeout must be a number of seconds."));

  if (ca_file != NULL && !g_file_test (ca_file, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *message = g_strdup_printf (_("The CA file “%s” does not exist."), ca_file);
      return od_cli_usage_error (NULL, message);
    }

  discovery = new_discovery (argv[1], ca_file, timeout);

  if (!json)
    /* Translators: %s is an e-mail address */
    g_print (_("Looking for the outgoing server of %s…\n\n"), argv[1]);

  run.discovery = discovery;
  run.live = !json;
  run.verbose = verbose;
  run_discovery (&run);

  if (run.error != NULL)
    {
      gboolean bad_input = g_error_matches (run.error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT);

      g_printerr ("outbox-doctor-cli: %s\n", run.error->message);
      g_clear_error (&run.error);
      return bad_input ? OD_CLI_EXIT_USAGE : OD_CLI_EXIT_INTERNAL;
    }

  if (json)
    {
      g_autoptr(JsonNode) root = od_discovery_to_json (discovery);
      g_autofree char *text = json_to_string (root, TRUE);

      g_print ("%s\n", text);
    }
  else
    print_result (discovery);

  if (run.best == NULL)
    return OD_CLI_EXIT_PROBLEM;

  g_clear_object (&run.best);
  return OD_CLI_EXIT_PASSED;
}

/**
 * od_cli_detect_for_check:
 * @host: (out): the server found
 * @port: (out)
 * @security: (out): "tls" or "starttls"
 * @user: (inout): set to the discovered user name when %NULL
 * @detection: (out) (optional): the `detect` JSON document, for `check --json`
 *
 * `check --address` without --host: finds the server first. In human mode the detection's
 * outcome is printed; when nothing was found its problems are printed too.
 *
 * Returns: -1 when the check can go on, otherwise the exit status
 */
int
od_cli_detect_for_check (const char  *address,
                         const char  *ca_file,
                         int          timeout,
                         gboolean     json,
                         char       **host,
                         int         *port,
                         char       **security,
                         char       **user,
                         JsonNode   **detection)
{
  g_autoptr(OdDiscovery) discovery = new_discovery (address, ca_file, timeout);
  DetectRun run = { 0 };
  OdCandidate *best;

  if (!json)
    /* Translators: %s is an e-mail address */
    g_print (_("No server given: looking for the outgoing server of %s…\n"), address);

  run.discovery = discovery;
  run.live = FALSE;
  run_discovery (&run);

  if (run.error != NULL)
    {
      gboolean bad_input = g_error_matches (run.error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT);

      g_printerr ("outbox-doctor-cli: %s\n", run.error->message);
      g_clear_error (&run.error);
      return bad_input ? OD_CLI_EXIT_USAGE : OD_CLI_EXIT_INTERNAL;
    }

  if (detection != NULL)
    *detection = od_discovery_to_json (discovery);

  best = run.best;
  if (best == NULL)
    {
      if (!json)
        print_result (discovery);
      return OD_CLI_EXIT_PROBLEM;
    }

  if (!json)
    /* Translators: "Found smtp.example.org, port 465, SSL/TLS (from DNS service records)." */
    g_print (_("Found %s, port %u, %s (from: %s).\n\n"), od_candidate_get_host (best),
             od_candidate_get_port (best), security_label (od_candidate_get_security (best)),
             od_source_kind_get_title (od_candidate_get_source (best)));

  *host = g_strdup (od_candidate_get_host (best));
  *port = od_candidate_get_port (best);
  *security = g_strdup (od_security_to_string (od_candidate_get_security (best)));
  if (*user == NULL && od_candidate_get_username (best) != NULL)
    *user = g_strdup (od_candidate_get_username (best));

  g_clear_object (&run.best);
  return -1;
}
