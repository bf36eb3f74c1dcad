/* od-cli-check.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbox-doctor-cli"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "od-account-check.h"
#include "od-address.h"
#include "od-check-report.h"
#include "od-cli-accounts.h"
#include "od-cli-check.h"
#include "od-cli-common.h"
#include "od-cli-found.h"
#include "od-text.h"
#include "od-found-secret.h"
#include "od-cli-detect.h"
#include "od-cli-output.h"
#include "od-oauth-account.h"
#include "od-cli-round-trip.h"

/* `outbox-doctor-cli check`: the checklist for a saved account (troubleshooting, through the
 * engine's od_account_*() helpers) or for settings given on the command line, found first
 * when no server is given. */

typedef struct
{
  char       *account;
  char       *address;
  char       *host;
  char       *security;
  char       *user;
  char       *to;
  char       *ca_file;
  char       *accept;
  char       *protocol;
  gboolean    incoming;
  gboolean    send_test;
  gboolean    json;
  gboolean    password_stdin;
  gboolean    verbose;
  int         port;
  int         timeout;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->account);
  g_free (options->address);
  g_free (options->host);
  g_free (options->security);
  g_free (options->user);
  g_free (options->to);
  g_free (options->ca_file);
  g_free (options->accept);
  g_free (options->protocol);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* check --json when detection found no server: the check document with every step skipped,
 * the detection's problems, and the detection itself (extension "detection"). */
static JsonNode *
detection_failure_json (const char  *address,
                        OdDiscovery *discovery)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(OdChecklist) checklist = od_checklist_new ();
  g_autoptr(JsonNode) detection = od_discovery_to_json (discovery);
  JsonObject *found = json_node_get_object (detection);
  guint n_steps = g_list_model_get_n_items (G_LIST_MODEL (checklist));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, address);
  json_builder_set_member_name (builder, "server");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "verdict");
  json_builder_add_string_value (builder, "fail");
  json_builder_set_member_name (builder, "steps");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_steps; i++)
    {
      g_autoptr(OdCheckStep) step = g_list_model_get_item (G_LIST_MODEL (checklist), i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, od_check_step_get_id (step));
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, "skip");
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, od_check_step_get_title (step));
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, _("Not checked: no outgoing server was found."));
      json_builder_set_member_name (builder, "elapsed_ms");
      json_builder_add_int_value (builder, 0);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "problems");
  json_builder_add_value (builder, json_node_copy (json_object_get_member (found, "problems")));
  json_builder_set_member_name (builder, "tls");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "transcript");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "elapsed_ms");
  json_builder_add_int_value (builder, json_object_get_int_member (found, "elapsed_ms"));
  json_builder_set_member_name (builder, "detection");
  json_builder_add_value (builder, g_steal_pointer (&detection));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* No server given: find it. Returns the check of what was found, or NULL with @status set
 * (nothing found, or an error). */
static OdCheck *
check_detected (Options       *options,
                GCancellable  *cancellable,
                OdDiscovery  **discovery,
                int           *status)
{
  g_auto(OdCliWait) wait = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(OdCandidate) best = NULL;
  g_autofree char *why = NULL;
  const char *username;
  OdCheck *check;

  *discovery = od_cli_new_discovery (options->address, options->ca_file, options->timeout);

  if (!options->json)
    od_cli_detect_announce (options->address);

  od_discovery_run_async (*discovery, cancellable, od_cli_wait_cb, &wait);
  best = od_discovery_run_finish (*discovery, od_cli_wait (&wait, cancellable), &error);
  if (error != NULL)
    {
      g_printerr ("outbox-doctor-cli: %s\n", error->message);
      *status = od_cli_error_status (error);
      return NULL;
    }

  /* Nothing trusted works: the setting that does is checked, the password waiting for a
   * confirmation. */
  if (best == NULL && od_discovery_get_unconfirmed (*discovery) != NULL)
    {
      best = g_object_ref (od_discovery_get_unconfirmed (*discovery));
      why = od_candidate_dup_why (best);
    }

  if (options->json && best == NULL)
    od_cli_print_json (detection_failure_json (options->address, *discovery));
  else if (!options->json)
    od_cli_detect_print (*discovery);

  if (best == NULL)
    {
      *status = OD_CLI_EXIT_PROBLEM;
      return NULL;
    }

  check = od_check_new (options->address, od_candidate_get_host (best),
                        od_candidate_get_port (best), od_candidate_get_security (best));
  username = options->user ? options->user : od_candidate_get_username (best);
  if (username != NULL)
    od_check_set_username (check, username);
  od_check_set_unconfirmed (check, why);

  return check;
}

/* The server found needs a confirmation: one saved with the address's account, the
 * option, or a yes on the terminal. Returns whether it was confirmed now (not before). */
static gboolean
confirm_server (OdCheck   *check,
                Options   *options,
                OdAccount *saved)
{
  g_autoptr(OdAccountStore) store = NULL;
  OdAccount *account = saved;

  if (od_check_get_unconfirmed (check) == NULL)
    return FALSE;

  if (account == NULL)
    {
      store = od_cli_open_account_store ();
      account = od_account_store_find_by_address (store, options->address);
    }

  if (account != NULL &&
      od_account_get_server_confirmed (account, od_check_get_host (check),
                                       od_check_get_port (check)))
    {
      od_check_set_unconfirmed (check, NULL);
      return FALSE;
    }

  if (!od_cli_confirm_server (options->accept, od_check_get_host (check),
                              od_check_get_port (check), od_check_get_unconfirmed (check),
                              isatty (STDIN_FILENO) && !options->json &&
                              !options->password_stdin))
    return FALSE;

  od_check_set_unconfirmed (check, NULL);
  return TRUE;
}

/* --incoming: the incoming server of a saved account, or the one the options give (see
 * od_cli_parse_incoming_server()). Returns NULL with @status set. */
static OdCheck *
create_incoming_check (GOptionContext *context,
                       Options        *options,
                       OdAccount      *saved,
                       int            *status)
{
  OdProtocol protocol;
  OdSecurity security;
  OdCheck *check;

  if (saved != NULL)
    {
      check = od_account_create_incoming_check (saved);
      if (check == NULL)
        *status = od_cli_usage_error (NULL, _("This account has no incoming server saved: "
                                              "check it with --address, --host and "
                                              "--incoming."));
      return check;
    }

  if (options->host == NULL)
    {
      *status = od_cli_usage_error (context, _("--incoming needs --host (or --account)."));
      return NULL;
    }

  if (!od_cli_parse_incoming_server (context, "", options->protocol, options->security,
                                     &options->port, &protocol, &security, status))
    return NULL;

  check = od_check_new (options->address, options->host, options->port, security);
  od_check_set_protocol (check, protocol);
  if (options->user != NULL)
    od_check_set_username (check, options->user);

  return check;
}

/* The check of the options' server, of a saved account, or of the server found. Returns
 * NULL with @status set. */
static OdCheck *
create_check (GOptionContext  *context,
              Options         *options,
              GCancellable    *cancellable,
              OdAccount       *saved,
              OdDiscovery    **discovery,
              int             *status)
{
  OdSecurity security = OD_SECURITY_STARTTLS;
  OdCheck *check;

  if (options->incoming)
    return create_incoming_check (context, options, saved, status);

  if (saved != NULL)
    return od_account_create_check (saved);

  if (options->host == NULL)
    return check_detected (options, cancellable, discovery, status);

  if (!od_cli_parse_server (context, options->security, &options->port, &security, status))
    return NULL;

  check = od_check_new (options->address, options->host, options->port, security);
  if (options->user != NULL)
    od_check_set_username (check, options->user);

  return check;
}

/* Another client's account: the password from where that client keeps it (GOA, Evolution's
 * or the client's keyring item), else asked for on a terminal. */
static void
found_password (OdFoundAccount  *found,
                gboolean         incoming,
                gboolean         interactive,
                char           **password,
                GError         **error)
{
  OdAccount *account = od_found_account_get_account (found);
  g_autoptr(GError) lookup_error = NULL;
  char *kept;

  *password = NULL;
  if (!incoming &&
      g_strcmp0 (od_account_get_auth_mechanism (account), OD_ACCOUNT_AUTH_NONE) == 0)
    return;
  /* An OAuth account signs in with a token, fetched when the check is set up. */
  if (od_found_account_get_secret (found) == OD_FOUND_SECRET_GOA_OAUTH2)
    return;

  kept = od_found_account_lookup_password_sync (found, incoming, NULL, &lookup_error);
  if (kept != NULL)
    {
      *password = g_strdup (kept);
      od_found_password_free (kept);
      return;
    }
  if (lookup_error != NULL)
    g_printerr ("outbox-doctor-cli: %s\n", lookup_error->message);

  if (interactive)
    {
      *password = od_cli_prompt_password (od_account_get_username (account));
      if (*password != NULL && (*password)[0] == '\0')
        g_clear_pointer (password, od_cli_free_password);
      return;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("The password of the account “%s” is not available to Outbox Doctor and there "
                 "is no terminal to ask for it: give it with --password-stdin."),
               od_found_account_get_id (found));
}

/* An account that signs in with our own OAuth sign-in: the access token, fresh from the
 * provider when the one in memory is about to expire; when there is none, the check gets the
 * reason (the login step fails with it). */
static void
set_up_own_token (OdAccount *saved,
                  OdCheck   *check)
{
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_auto(OdCliWait) wait = { 0 };
  char *token;

  od_oauth_account_get_token_async (saved, secrets, cancellable, od_cli_wait_cb, &wait);
  token = od_oauth_account_get_token_finish (od_cli_wait (&wait, cancellable), &error);
  od_oauth_account_set_up_check (saved, check, token, error);
  od_secret_store_free_password (token);
}

/* Where the password comes from: standard input, the keyring for a saved account, or the
 * terminal. Returns FALSE with @status set. */
static gboolean
get_password (Options        *options,
              OdAccount      *saved,
              OdFoundAccount *found,
              OdCheck        *check,
              char          **password,
              int            *status)
{
  g_autoptr(GError) error = NULL;
  gboolean interactive = isatty (STDIN_FILENO) && !options->json;

  *password = NULL;

  if (options->password_stdin)
    *password = od_cli_read_password_stdin (&error);
  else if (found != NULL)
    found_password (found, options->incoming, interactive, password, &error);
  else if (saved != NULL && od_account_get_oauth_provider (saved) != NULL)
    return TRUE;  /* a token: set_up_own_token() */
  else if (saved != NULL)
    od_cli_account_password (saved, options->incoming, interactive, password, &error);
  else if (interactive)
    {
      *password = od_cli_prompt_password (od_check_get_username (check));
      if (*password != NULL && (*password)[0] == '\0')
        g_clear_pointer (password, od_cli_free_password);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      *status = OD_CLI_EXIT_CANCELLED;
      return FALSE;
    }

  if (error != NULL)
    {
      *status = od_cli_usage_error (NULL, error->message);
      return FALSE;
    }

  return TRUE;
}

/* Prints the result; with --json and @report, the document goes to @report instead. */
static void
print_result (OdCheck         *check,
              OdDiscovery     *discovery,
              OdFoundAccount  *found,
              Options         *options,
              JsonNode       **report)
{
  if (options->json)
    {
      JsonNode *root = od_check_report_to_json (check);

      /* Extension: how the server was found, when it was not given. */
      if (discovery != NULL)
        json_object_set_member (json_node_get_object (root), "detection",
                                od_discovery_to_json (discovery));
      /* Extension: another mail client's account, checked with its settings as they are. */
      if (found != NULL)
        json_object_set_member (json_node_get_object (root), "found_account",
                                od_found_account_to_json (found));
      if (report != NULL)
        *report = root;
      else
        od_cli_print_json (root);
    }
  else
    {
      OdProblem *problem = od_checklist_get_main_problem (od_check_get_checklist (check));
      const char *host;
      guint16 port;
      OdSecurity security;

      od_cli_print_check_result (check, options->verbose);

      /* The server works but nobody vouched for it: how to confirm it, after checking. */
      if (problem != NULL && od_problem_has_fix (problem, OD_FIX_CONFIRM_SERVER))
        {
          g_autofree char *endpoint = od_account_format_endpoint (od_check_get_host (check),
                                                                  od_check_get_port (check));

          /* Translators: %s is the server as HOST:PORT */
          g_print (_("\nIf your provider’s help pages or your administrator name this server, "
                     "confirm it: --accept-server %s\n"), endpoint);
        }

      /* Another setting of the same server was tried and works, or the server offers it. */
      if (problem != NULL && od_problem_get_suggestion (problem, &host, &port, &security)
          && !od_problem_get_suggestion_tried (problem))
        /* Translators: the %s are the server and the encryption, %u the port */
        g_print (_("\nThe server offers this instead (not tried yet): --host %s --port %u "
                   "--security %s\n"),
                 host, port, od_security_to_string (security));
      else if (problem != NULL && od_problem_get_suggestion (problem, &host, &port, &security))
        {
          /* Translators: the %s are the server and the encryption, %u the port */
          g_print (_("\nThe same server works this way: --host %s --port %u --security %s\n"),
                   host, port, od_security_to_string (security));
          od_cli_print_unconfirmed_note (od_check_get_unconfirmed (check));
        }
    }
}

/* Runs the prepared check. Returns the exit status. */
static int
run_check (OdCheck         *check,
           Options         *options,
           OdAccountStore  *store,
           OdAccount       *saved,
           OdFoundAccount  *found,
           OdDiscovery     *discovery,
           gboolean         confirmed,
           JsonNode       **report)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(OdCliWait) wait = { 0 };
  g_autoptr(GError) error = NULL;
  OdStepState verdict;

  if (options->to != NULL)
    od_check_set_recipient (check, options->to);
  od_check_set_send_test (check, options->send_test && !options->incoming);
  od_check_set_ca_file (check, options->ca_file);
  if (options->timeout > 0)
    {
      od_check_set_total_timeout (check, options->timeout * 1000);
      od_check_set_step_timeout (check, MIN (OD_CHECK_DEFAULT_STEP_TIMEOUT_MS,
                                             options->timeout * 1000));
    }

  if (!options->json)
    {
      if (found != NULL)
        {
          g_autofree char *path = od_text_sanitize (od_found_account_get_source_path (found), -1,
                                                    OD_TEXT_SINGLE_LINE);

          /* Translators: "The settings of msmtp, as read from /home/ada/.msmtprc." */
          g_print (_("The settings of %s, as read from %s.\n"),
                   od_found_origin_get_name (od_found_account_get_origin (found)), path);
        }
      od_cli_print_check_header (check);
    }

  od_check_run_async (check, cancellable, od_cli_wait_cb, &wait);
  verdict = od_check_run_finish (check, od_cli_wait (&wait, cancellable), &error);
  if (error != NULL)
    {
      g_printerr ("outbox-doctor-cli: %s\n", error->message);
      return od_cli_error_status (error);
    }

  /* The account remembers how its last check went, and a confirmation given now (ours
   * only: another client's account is not changed). */
  if (saved != NULL && found == NULL)
    od_cli_record_check (store, od_account_get_id (saved), check, confirmed);

  print_result (check, discovery, found, options, report);

  return verdict == OD_STEP_STATE_FAIL ? OD_CLI_EXIT_PROBLEM : OD_CLI_EXIT_PASSED;
}

/* Another client's account as the one to check: its settings, and its address as the
 * sender's. NULL with @status set when the address is not known. */
static OdAccount *
take_found (Options        *options,
            OdFoundAccount *found,
            int            *status)
{
  OdAccount *saved = od_found_account_get_account (found);

  if (od_account_get_address (saved)[0] == '\0')
    {
      *status = od_cli_usage_error (NULL, _("This account’s sender address is not known: "
                                            "check it with --address and --host "
                                            "instead."));
      return NULL;
    }
  g_free (options->address);
  options->address = g_strdup (od_account_get_address (saved));
  return saved;
}

/* The saved account --account names, or NULL with @status set. */
static OdAccount *
find_saved (GOptionContext  *context,
            Options         *options,
            OdAccountStore **store,
            OdFoundAccount **found,
            int             *status)
{
  g_autoptr(GError) error = NULL;
  OdAccount *saved;

  if (options->address != NULL || options->host != NULL || options->port != 0 ||
      options->security != NULL || options->user != NULL)
    {
      *status = od_cli_usage_error (context, _("--account cannot be combined with --address, "
                                               "--host, --port, --security or --user."));
      return NULL;
    }

  /* ORIGIN:ID: another mail client's account, as that client keeps it. */
  if (strchr (options->account, ':') != NULL)
    {
      g_autoptr(GPtrArray) results = od_cli_find_accounts ();
      OdFoundAccount *match = od_cli_found_lookup (results, options->account);

      if (match == NULL)
        {
          g_autofree char *shown = od_text_sanitize (options->account, -1, OD_TEXT_SINGLE_LINE);
          g_autofree char *message = g_strdup_printf (_("No mail client on this computer has "
                                                        "the account “%s”: “accounts list” "
                                                        "shows those found."), shown);

          *status = od_cli_usage_error (NULL, message);
          return NULL;
        }
      *found = g_object_ref (match);
      return take_found (options, *found, status);
    }

  *store = od_cli_open_account_store ();
  saved = od_cli_find_account (*store, options->account, &error);
  if (saved == NULL)
    {
      *status = od_cli_usage_error (NULL, error->message);
      return NULL;
    }

  options->address = g_strdup (od_account_get_address (saved));
  return saved;
}

static GOptionContext *
option_context_new (Options        *o,
                    OdCliRoundTrip *rt)
{
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &o->account, N_("Check a saved account"), N_("ID") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &o->address, N_("The sender’s email address"), N_("ADDRESS") },
    { "host", 0, 0, G_OPTION_ARG_STRING, &o->host, N_("The outgoing server (default: found from the address)"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_INT, &o->port, N_("The server’s port (default: 465 for tls, 587 otherwise)"), N_("PORT") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &o->security, N_("Encryption: tls, starttls or none (default: tls on port 465, starttls otherwise)"), N_("MODE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &o->user, N_("The user name for the login (default: the address)"), N_("USER") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &o->to, N_("The recipient (default: the sender’s own address)"), N_("ADDRESS") },
    { "send-test", 0, 0, G_OPTION_ARG_NONE, &o->send_test, N_("Really send a short test message"), NULL },
    { "incoming", 0, 0, G_OPTION_ARG_NONE, &o->incoming, N_("Check the incoming server (receiving) instead: login and mailbox"), NULL },
    { "protocol", 0, 0, G_OPTION_ARG_STRING, &o->protocol, N_("With --incoming: imap or pop3 (default: from the port, else imap)"), N_("PROTOCOL") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &o->password_stdin, N_("Read the password from standard input"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &o->ca_file, N_("Also trust the CA certificates in this PEM file"), N_("FILE") },
    { "accept-server", 0, 0, G_OPTION_ARG_STRING, &o->accept, N_("Confirm this server, found through DNS records or another domain, as your provider’s"), N_("HOST:PORT") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &o->timeout, N_("Give up after this many seconds in all"), N_("SECONDS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, N_("Print the result as JSON"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &o->verbose, N_("Show the conversation with the server"), NULL },
    { NULL }
  };
  GOptionContext *context = g_option_context_new (_("— check that mail can be sent"));

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  od_cli_round_trip_add_entries (rt, context);
  g_option_context_set_description (context,
    _("Without --send-test, the check stops after the server accepted the sender and the "
      "recipient: nothing is sent.\n"
      "The password is never taken as an argument: use --password-stdin, or type it when "
      "asked.\n"
      "--incoming checks the incoming server instead (IMAP or POP3): greeting, "
      "capabilities, login and the mailbox; nothing is changed or deleted.\n"
      "A server found only through DNS records or on another domain gets no password until "
      "you confirm it: answer yes when asked, or give --accept-server.\n\n"
      "Exit status: 0 everything passed, 1 a problem was found, 2 bad usage or input, "
      "3 internal error, 130 interrupted."));

  return context;
}

/* The check once the account or server is known: from the options' checks to the result.
 * Returns the exit status; see print_result() for @report. */
static int
check_with_options (GOptionContext  *context,
                    Options         *options,
                    OdCliRoundTrip  *round_trip,
                    OdAccountStore  *store,
                    OdAccount       *saved,
                    OdFoundAccount  *found,
                    JsonNode       **report)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OdDiscovery) discovery = NULL;
  g_autoptr(OdCheck) check = NULL;
  char *password = NULL;
  gboolean confirmed;
  int status = OD_CLI_EXIT_PASSED;

  if (options->address == NULL)
    return od_cli_usage_error (context, _("--address is required."));

  if (!od_address_validate (options->address, &error) ||
      (options->to != NULL && !od_address_validate (options->to, &error)))
    return od_cli_usage_error (NULL, error->message);

  if (!od_cli_check_options (context, options->timeout, options->ca_file, &status) ||
      !od_cli_check_accept_server (context, options->accept, &status) ||
      !od_cli_round_trip_check_options (round_trip, context, options->send_test, saved,
                                        saved == NULL && options->host == NULL, &status))
    return status;

  check = create_check (context, options, cancellable, saved, &discovery, &status);
  if (check == NULL)
    return status;

  confirmed = confirm_server (check, options, saved);

  if (!get_password (options, saved, found, check, &password, &status))
    return status;
  od_check_set_password (check, password);
  g_clear_pointer (&password, od_cli_free_password);
  if (found != NULL && !options->password_stdin
      && od_found_account_get_secret (found) == OD_FOUND_SECRET_GOA_OAUTH2
      && g_strcmp0 (od_account_get_auth_mechanism (od_found_account_get_account (found)),
                    OD_ACCOUNT_AUTH_NONE) != 0)
    od_found_account_set_up_token_sync (found, check, cancellable);
  else if (saved != NULL && found == NULL && !options->password_stdin
           && od_account_get_oauth_provider (saved) != NULL)
    set_up_own_token (saved, check);

  if (!od_cli_round_trip_apply (round_trip, check, saved, found, discovery, &status))
    return status;

  return run_check (check, options, store, saved, found, discovery, confirmed, report);
}

/**
 * od_cli_check_found:
 * @found: another mail client's account
 * @ca_file: (nullable): as check's --ca-file
 * @timeout: as check's --timeout (0: none)
 * @password_stdin: as check's --password-stdin
 * @json: as check's --json
 * @report: (out) (optional): with @json, the check document (with "found_account"),
 *   not printed
 *
 * Checks @found exactly as "check --account ORIGIN:ID" does (no test message).
 *
 * Returns: the exit status of check
 */
int
od_cli_check_found (OdFoundAccount  *found,
                    const char      *ca_file,
                    int              timeout,
                    gboolean         password_stdin,
                    gboolean         json,
                    JsonNode       **report)
{
  g_auto(Options) options = { 0 };
  g_auto(OdCliRoundTrip) round_trip = { .wait = -1 };
  OdAccount *saved;
  int status = OD_CLI_EXIT_PASSED;

  g_return_val_if_fail (OD_IS_FOUND_ACCOUNT (found), OD_CLI_EXIT_INTERNAL);

  options.account = g_strdup (od_found_account_get_id (found));
  options.ca_file = g_strdup (ca_file);
  options.timeout = timeout;
  options.password_stdin = password_stdin;
  options.json = json;
  saved = take_found (&options, found, &status);
  if (saved == NULL)
    return status;
  return check_with_options (NULL, &options, &round_trip, NULL, saved, found, report);
}

int
od_cli_command_check (int    argc,
                      char **argv)
{
  g_auto(Options) options = { 0 };
  g_auto(OdCliRoundTrip) round_trip = { .wait = -1 };
  g_autoptr(GOptionContext) context = option_context_new (&options, &round_trip);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdAccountStore) store = NULL;
  g_autoptr(OdFoundAccount) found = NULL;
  OdAccount *saved = NULL;
  int status = OD_CLI_EXIT_PASSED;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return od_cli_usage_error (context, error->message);

  if (argc > 1)
    return od_cli_usage_error (context, _("check takes no arguments besides its options."));

  if (options.incoming && (options.send_test || options.to != NULL))
    return od_cli_usage_error (context, _("--send-test and --to are for the outgoing server, "
                                          "not with --incoming."));
  if (!options.incoming && options.protocol != NULL)
    return od_cli_usage_error (context, _("--protocol goes with --incoming."));

  /* A saved account: its settings, its trusted certificates, its password from the keyring. */
  if (options.account != NULL &&
      !(saved = find_saved (context, &options, &store, &found, &status)))
    return status;

  return check_with_options (context, &options, &round_trip, store, saved, found, NULL);
}
