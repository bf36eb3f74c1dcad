/* od-cli-setup.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbox-doctor-cli"

#include "config.h"

#include <unistd.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "od-address.h"
#include "od-check-report.h"
#include "od-cli-accounts.h"
#include "od-cli-common.h"
#include "od-cli-output.h"
#include "od-discovery.h"

/* outbox-doctor-cli setup ADDRESS: find the outgoing server (or take the one given), verify
 * a real login and the envelope (nothing is sent), then save the account and put the
 * password in the keyring. Nothing is saved unless the check passed. */

typedef struct
{
  GMainLoop   *loop;
  GError      *error;
  OdCandidate *best;
  OdStepState  verdict;
} RunData;

static void
discovery_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RunData *data = user_data;

  data->best = od_discovery_run_finish (OD_DISCOVERY (object), result, &data->error);
  g_main_loop_quit (data->loop);
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  RunData *data = user_data;

  data->verdict = od_check_run_finish (OD_CHECK (object), result, &data->error);
  g_main_loop_quit (data->loop);
}

/* The login method the check used: the same choice as the check makes (PLAIN, LOGIN, then
 * CRAM-MD5, whichever the server offers first in that order). */
static const char *
used_mechanism (OdCheck  *check,
                gboolean  with_password)
{
  static const char * const preferred[] = { "PLAIN", "LOGIN", "CRAM-MD5" };
  const OdSmtpCapabilities *caps = od_check_get_capabilities (check);
  OdCheckStep *auth = od_checklist_get_step (od_check_get_checklist (check), OD_STEP_AUTH);

  if (!with_password)
    return OD_ACCOUNT_AUTH_NONE;

  if (caps == NULL || od_check_step_get_state (auth) != OD_STEP_STATE_PASS)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (preferred); i++)
    {
      if (od_smtp_capabilities_has_auth (caps, preferred[i]))
        return preferred[i];
    }

  return NULL;
}

static gboolean
certificate_failed (OdCheck *check)
{
  OdCheckStep *tls = od_checklist_get_step (od_check_get_checklist (check), OD_STEP_TLS);
  OdProblem *problem = od_check_step_get_problem (tls);

  return od_check_get_tls_info (check) != NULL && problem != NULL &&
         od_problem_has_fix (problem, OD_FIX_TRUST_CERTIFICATE);
}

static void
print_detect_json (JsonBuilder *builder,
                   OdDiscovery *discovery)
{
  json_builder_set_member_name (builder, "detect");
  if (discovery != NULL)
    json_builder_add_value (builder, od_discovery_to_json (discovery));
  else
    json_builder_add_null_value (builder);
}

static void
print_result_json (const char  *address,
                   OdDiscovery *discovery,
                   OdCheck     *check,
                   OdAccount   *account,
                   gboolean     password_saved,
                   const char  *keyring_error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, OD_REPORT_SCHEMA);
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, address);
  json_builder_set_member_name (builder, "saved");
  json_builder_add_boolean_value (builder, account != NULL);
  json_builder_set_member_name (builder, "account");
  if (account != NULL)
    json_builder_add_value (builder, od_account_to_json (account));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "password_saved");
  json_builder_add_boolean_value (builder, password_saved);
  json_builder_set_member_name (builder, "keyring_error");
  if (keyring_error != NULL)
    json_builder_add_string_value (builder, keyring_error);
  else
    json_builder_add_null_value (builder);
  print_detect_json (builder, discovery);
  json_builder_set_member_name (builder, "check");
  if (check != NULL)
    json_builder_add_value (builder, od_check_report_to_json (check));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  g_print ("%s\n", text);
}

/* Runs discovery; prints what it found (or why nothing) in human mode. */
static OdCandidate *
detect (OdDiscovery  *discovery,
        GCancellable *cancellable,
        gboolean      json,
        GError      **error)
{
  RunData data = { g_main_loop_new (NULL, FALSE), NULL, NULL, 0 };

  if (!json)
    g_print (_("Looking for the settings of %s…\n"), od_discovery_get_address (discovery));

  od_discovery_run_async (discovery, cancellable, discovery_cb, &data);
  od_cli_run_loop (data.loop, cancellable);
  g_main_loop_unref (data.loop);

  if (data.error != NULL)
    {
      g_propagate_error (error, data.error);
      return NULL;
    }

  if (!json && data.best != NULL)
    /* Translators: "Found smtp.example.com, port 465 (tls), from autoconfig." */
    g_print (_("Found %s, port %u (%s), from %s.\n\n"),
             od_candidate_get_host (data.best), od_candidate_get_port (data.best),
             od_security_to_string (od_candidate_get_security (data.best)),
             od_source_kind_to_string (od_candidate_get_source (data.best)));

  if (!json && data.best == NULL)
    {
      GListModel *problems = od_discovery_get_problems (discovery);

      g_print (_("No working outgoing server was found.\n"));
      for (guint i = 0; i < g_list_model_get_n_items (problems); i++)
        {
          g_autoptr(OdProblem) problem = g_list_model_get_item (problems, i);

          g_print ("  %s\n  %s\n", od_problem_get_summary (problem),
                   od_problem_get_remedy (problem));
        }
      g_print (_("Give the server with --host, --port and --security.\n"));
    }

  return data.best;
}

int
od_cli_command_setup (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) keyring_error = NULL;
  g_autoptr(OdAccountStore) store = NULL;
  g_autoptr(OdAccount) account = NULL;
  g_autoptr(OdDiscovery) discovery = NULL;
  g_autoptr(OdCandidate) best = NULL;
  g_autoptr(OdCheck) check = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autofree char *name = NULL;
  g_autofree char *host = NULL;
  g_autofree char *security_str = NULL;
  g_autofree char *user = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *trust = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *source = NULL;
  char *password = NULL;
  gboolean password_stdin = FALSE;
  gboolean json = FALSE;
  gboolean verbose = FALSE;
  gboolean password_saved = FALSE;
  gboolean had_password;
  int port = 0;
  int timeout = 0;
  const char *address;
  OdSecurity security = OD_SECURITY_STARTTLS;
  RunData data = { NULL, NULL, NULL, 0 };
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("A name for the account"), N_("NAME") },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("The outgoing server (default: find it)"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("The server’s port (default: 465 for tls, 587 otherwise)"), N_("PORT") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &security_str, N_("Encryption: tls, starttls or none (default: tls on port 465, starttls otherwise)"), N_("MODE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The user name for the login (default: the address)"), N_("USER") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin, N_("Read the password from standard input"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("Also trust the CA certificates in this PEM file"), N_("FILE") },
    { "trust-certificate", 0, 0, G_OPTION_ARG_STRING, &trust, N_("Trust the server certificate with this SHA-256 fingerprint, for this server and port only"), N_("SHA256") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Give up after this many seconds in all"), N_("SECONDS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Show the conversation with the server"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("ADDRESS — find, verify and save an account"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Finds the outgoing server (unless --host is given), logs in and checks that the server "
      "accepts you as sender (nothing is sent), then saves the account and puts the password "
      "in the keyring. Nothing is saved if the check fails.\n"
      "The password is never taken as an argument: use --password-stdin, or type it when "
      "asked. Without a keyring the account is saved without its password, which is then "
      "asked for each time.\n\n"
      "Exit status: 0 the account was saved, 1 a problem was found (nothing saved), 2 bad "
      "usage or input, 3 internal error."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return od_cli_usage_error (context, error->message);

  if (argc != 2)
    return od_cli_usage_error (context, _("setup takes one e-mail address."));
  address = argv[1];

  if (!od_address_validate (address, &error))
    return od_cli_usage_error (NULL, error->message);

  if (host == NULL && (port != 0 || security_str != NULL))
    return od_cli_usage_error (context, _("--port and --security need --host."));

  if (security_str != NULL && !od_security_from_string (security_str, &security))
    return od_cli_usage_error (context, _("--security must be tls, starttls or none."));
  if (host != NULL && security_str == NULL)
    security = port == 465 ? OD_SECURITY_TLS : OD_SECURITY_STARTTLS;
  if (host != NULL && port == 0)
    port = security == OD_SECURITY_TLS ? 465 : 587;
  if (host != NULL && (port < 1 || port > 65535))
    return od_cli_usage_error (context, _("--port must be between 1 and 65535."));

  if (timeout < 0 || timeout > 24 * 3600)
    return od_cli_usage_error (context, _("--timeout must be a number of seconds."));

  if (ca_file != NULL && !g_file_test (ca_file, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *message = g_strdup_printf (_("The CA file “%s” does not exist."), ca_file);
      return od_cli_usage_error (NULL, message);
    }

  if (trust != NULL && !(fingerprint = od_fingerprint_normalize (trust)))
    return od_cli_usage_error (NULL, _("--trust-certificate needs a SHA-256 fingerprint: 64 "
                                       "hexadecimal digits, in pairs separated by colons or "
                                       "not."));

  /* The password comes first, so that nobody waits for detection to be asked for it. */
  if (password_stdin)
    {
      password = od_cli_read_password_stdin (&error);
      if (password == NULL)
        return od_cli_usage_error (NULL, error->message);
    }
  else if (isatty (STDIN_FILENO) && !json)
    {
      password = od_cli_prompt_password (user ? user : address);
      if (password != NULL && password[0] == '\0')
        g_clear_pointer (&password, od_cli_free_password);
    }
  else
    return od_cli_usage_error (context, _("setup needs the password to verify the login: give "
                                          "it with --password-stdin."));
  had_password = password != NULL;

  store = od_cli_open_account_store ();
  cancellable = g_cancellable_new ();

  if (host == NULL)
    {
      discovery = od_discovery_new (address);
      od_discovery_set_ca_file (discovery, ca_file);
      if (timeout > 0)
        od_discovery_set_total_timeout (discovery, MIN (timeout * 1000,
                                                        OD_DISCOVERY_DEFAULT_TOTAL_TIMEOUT_MS));

      best = detect (discovery, cancellable, json, &error);
      if (error != NULL)
        {
          g_clear_pointer (&password, od_cli_free_password);
          g_printerr ("outbox-doctor-cli: %s\n", error->message);
          return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ?
                 OD_CLI_EXIT_PROBLEM : OD_CLI_EXIT_INTERNAL;
        }

      if (best == NULL)
        {
          g_clear_pointer (&password, od_cli_free_password);
          if (json)
            print_result_json (address, discovery, NULL, NULL, FALSE, NULL);
          return OD_CLI_EXIT_PROBLEM;
        }

      host = g_strdup (od_candidate_get_host (best));
      port = od_candidate_get_port (best);
      security = od_candidate_get_security (best);
      if (user == NULL && od_candidate_get_username (best) != NULL)
        user = g_strdup (od_candidate_get_username (best));
      source = g_strdup (od_source_kind_to_string (od_candidate_get_source (best)));
    }
  else
    source = g_strdup (OD_ACCOUNT_SOURCE_MANUAL);

  /* Verify: the same check as "check", without sending a message. */
  check = od_check_new (address, host, port, security);
  if (user != NULL)
    od_check_set_username (check, user);
  od_check_set_ca_file (check, ca_file);
  od_check_set_password (check, password);
  if (fingerprint != NULL)
    {
      const char * const pins[] = { fingerprint, NULL };
      od_check_set_pinned_fingerprints (check, pins);
    }
  if (timeout > 0)
    {
      od_check_set_total_timeout (check, timeout * 1000);
      od_check_set_step_timeout (check, MIN (OD_CHECK_DEFAULT_STEP_TIMEOUT_MS, timeout * 1000));
    }

  if (!json)
    od_cli_print_check_header (check);

  data.loop = g_main_loop_new (NULL, FALSE);
  od_check_run_async (check, cancellable, check_cb, &data);
  od_cli_run_loop (data.loop, cancellable);
  g_clear_pointer (&data.loop, g_main_loop_unref);

  if (data.error != NULL)
    {
      gboolean bad_input = g_error_matches (data.error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT);

      g_clear_pointer (&password, od_cli_free_password);
      g_printerr ("outbox-doctor-cli: %s\n", data.error->message);
      g_clear_error (&data.error);
      return bad_input ? OD_CLI_EXIT_USAGE : OD_CLI_EXIT_PROBLEM;
    }

  if (data.verdict == OD_STEP_STATE_FAIL)
    {
      g_clear_pointer (&password, od_cli_free_password);

      if (json)
        {
          print_result_json (address, discovery, check, NULL, FALSE, NULL);
          return OD_CLI_EXIT_PROBLEM;
        }

      od_cli_print_check_result (check, verbose);
      g_print ("\n%s\n", _("The account was not saved."));
      if (certificate_failed (check))
        /* Translators: the %s are the address, the server, its port and the fingerprint */
        g_print (_("If, and only if, your provider or administrator confirms this certificate’s "
                   "fingerprint, you can trust it for %s port %u only:\n"
                   "  outbox-doctor-cli setup %s --host %s --port %u --security %s "
                   "--trust-certificate %s\n"),
                 host, port, address, host, port, od_security_to_string (security),
                 od_tls_info_get_fingerprint (od_check_get_tls_info (check)));
      return OD_CLI_EXIT_PROBLEM;
    }

  /* Verified: build the account. Setting up an address again updates its account. */
  account = od_account_store_find_by_address (store, address);
  if (account != NULL)
    g_object_ref (account);
  else
    {
      g_autofree char *id = od_account_store_make_id (store, address);
      account = od_account_new (id, address);
    }

  if (name != NULL)
    od_account_set_display_name (account, name);
  od_account_set_address (account, address);
  od_account_set_host (account, host);
  od_account_set_port (account, port);
  od_account_set_security (account, security);
  od_account_set_username (account, od_check_get_username (check));
  od_account_set_auth_mechanism (account, used_mechanism (check, had_password));
  od_account_set_settings_source (account, source);

  if (discovery != NULL && od_discovery_get_incoming (discovery) != NULL)
    {
      OdServerConfig *in = od_discovery_get_incoming (discovery);
      g_autofree char *in_host = od_server_config_expand_hostname (in, address);

      od_account_set_incoming (account, od_server_protocol_to_string (in->protocol), in_host,
                               in->port, in->security, in->username ? in->username : address);
    }

  /* Pin only a certificate that needed it: one that verifies needs no exception, and
   * pinning it would turn its next routine renewal into an alarm. */
  if (fingerprint != NULL)
    {
      OdTlsInfo *info = od_check_get_tls_info (check);

      if (info != NULL && od_tls_info_get_errors (info) != 0 &&
          g_strcmp0 (od_tls_info_get_fingerprint (info), fingerprint) == 0)
        od_account_add_pinned_fingerprint (account, host, port, fingerprint);
      else if (!json)
        g_print (_("The certificate of %s is trusted by this computer: no exception is saved "
                   "for it.\n"), host);
    }

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GPtrArray) problems = od_checklist_get_problems (od_check_get_checklist (check));

    od_account_set_last_check (account,
                               od_step_state_to_string (data.verdict),
                               problems->len > 0 ?
                               od_problem_get_id (g_ptr_array_index (problems, 0)) : NULL,
                               now);
  }

  /* The account first, then its password: interrupted in between, there is an account
   * whose password is asked for, never a password in the keyring that no account owns. */
  od_account_store_add (store, account);
  if (!od_cli_save_account_store (store))
    {
      g_clear_pointer (&password, od_cli_free_password);
      return OD_CLI_EXIT_INTERNAL;
    }

  /* The password goes to the keyring, or nowhere. */
  if (password != NULL)
    {
      password_saved = od_cli_keyring_store (account, password, &keyring_error);
      g_clear_pointer (&password, od_cli_free_password);
    }

  if (json)
    print_result_json (address, discovery, check, account, password_saved,
                       keyring_error ? keyring_error->message : NULL);
  else
    {
      od_cli_print_check_result (check, verbose);
      g_print ("\n");
      /* Translators: "Saved the account “alice-example-com” (alice@example.com)." */
      g_print (_("Saved the account “%s” (%s).\n"), od_account_get_id (account), address);
      if (password_saved)
        g_print (_("The password is in the keyring.\n"));
      else if (keyring_error != NULL)
        g_print (_("The password was not saved: %s It will be asked for each time "
                   "(or give it with --password-stdin).\n"), keyring_error->message);
      else
        g_print (_("No password was given: the account logs in without one.\n"));
    }

  return OD_CLI_EXIT_PASSED;
}
