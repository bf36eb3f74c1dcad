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
#include "od-cli-detect.h"
#include "od-cli-oauth.h"
#include "od-cli-output.h"
#include "od-setup.h"

/* outbox-doctor-cli setup ADDRESS: the command-line front end of the engine's OdSetup. It
 * finds the outgoing server (or takes the one given), verifies a real login and the envelope
 * (nothing is sent), then saves the account and puts the password in the keyring. Nothing is
 * saved unless the check passed. */

typedef struct
{
  char     *name;
  char     *host;
  char     *security;
  char     *user;
  char     *ca_file;
  char     *trust;
  char     *accept;
  char     *in_host;
  char     *in_security;
  char     *in_protocol;
  char     *oauth_provider;
  char     *oauth_client_id;
  char     *oauth_client_secret;
  gboolean  oauth;
  gboolean  oauth_device;
  gboolean  password_stdin;
  gboolean  outgoing_only;
  gboolean  json;
  gboolean  verbose;
  int       port;
  int       in_port;
  int       timeout;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->name);
  g_free (options->host);
  g_free (options->security);
  g_free (options->user);
  g_free (options->ca_file);
  g_free (options->trust);
  g_free (options->accept);
  g_free (options->in_host);
  g_free (options->in_security);
  g_free (options->in_protocol);
  g_free (options->oauth_provider);
  g_free (options->oauth_client_id);
  g_free (options->oauth_client_secret);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static void
print_json (OdSetup    *setup,
            OdAccount  *account,
            const char *keyring_error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  OdDiscovery *discovery = od_setup_get_discovery (setup);
  OdCheck *check = od_setup_get_check (setup);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, OD_REPORT_SCHEMA);
  json_builder_set_member_name (builder, "address");
  json_builder_add_string_value (builder, od_setup_get_address (setup));
  json_builder_set_member_name (builder, "saved");
  json_builder_add_boolean_value (builder, account != NULL);
  json_builder_set_member_name (builder, "account");
  if (account != NULL)
    json_builder_add_value (builder, od_account_to_json (account));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "password_saved");
  json_builder_add_boolean_value (builder, account != NULL && keyring_error == NULL &&
                                           od_setup_get_has_password (setup));
  json_builder_set_member_name (builder, "keyring_error");
  if (keyring_error != NULL)
    json_builder_add_string_value (builder, keyring_error);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "detect");
  if (discovery != NULL)
    json_builder_add_value (builder, od_discovery_to_json (discovery));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "check");
  if (check != NULL)
    json_builder_add_value (builder, od_check_report_to_json (check));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "incoming_check");
  if (od_setup_get_incoming_check (setup) != NULL)
    json_builder_add_value (builder,
                            od_check_report_to_json (od_setup_get_incoming_check (setup)));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "incoming_saved");
  json_builder_add_boolean_value (builder, account != NULL && od_setup_get_incoming_saved (setup));
  json_builder_end_object (builder);

  od_cli_print_json (json_builder_get_root (builder));
}

/* Finds the server. Returns FALSE with @status set when none was found or it failed. */
static gboolean
discover (OdSetup      *setup,
          Options      *options,
          GCancellable *cancellable,
          int          *status)
{
  g_autoptr(OdDiscovery) discovery = NULL;
  g_autoptr(OdCandidate) best = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(OdCliWait) wait = { 0 };

  discovery = od_cli_new_discovery (od_setup_get_address (setup), options->ca_file,
                                    options->timeout);
  /* --oauth signs in after the detection: servers that take only a sign-in are wanted. */
  od_discovery_set_oauth (discovery, options->oauth);
  if (!options->json)
    od_cli_detect_announce (od_setup_get_address (setup));

  od_setup_discover_async (setup, discovery, cancellable, od_cli_wait_cb, &wait);
  best = od_setup_discover_finish (setup, od_cli_wait (&wait, cancellable), &error);
  if (error != NULL)
    {
      g_printerr ("outbox-doctor-cli: %s\n", error->message);
      *status = od_cli_error_status (error);
      return FALSE;
    }

  if (!options->json)
    od_cli_detect_print (discovery);

  if (best == NULL)
    {
      if (options->json)
        print_json (setup, NULL, NULL);
      *status = OD_CLI_EXIT_PROBLEM;
      return FALSE;
    }

  if (options->user != NULL)
    od_setup_set_username (setup, options->user);

  /* Found only through something anyone could forge: the password waits for a yes. */
  if (od_setup_get_unconfirmed (setup) != NULL &&
      od_cli_confirm_server (options->accept, od_setup_get_host (setup),
                             od_setup_get_port (setup), od_setup_get_unconfirmed (setup),
                             isatty (STDIN_FILENO) && !options->json &&
                             !options->password_stdin))
    od_setup_confirm_server (setup);

  return TRUE;
}

/* The check failed: what was wrong, the setting that works if one was found, and for a
 * certificate how to trust it after looking. */
static void
print_failure (OdSetup *setup,
               Options *options)
{
  OdCheck *check = od_setup_get_check (setup);
  OdCheckStep *tls = od_checklist_get_step (od_check_get_checklist (check), OD_STEP_TLS);
  OdProblem *problem = od_check_step_get_problem (tls);
  OdTlsInfo *info = od_check_get_tls_info (check);
  OdProblem *main_problem = od_checklist_get_main_problem (od_check_get_checklist (check));
  const char *host;
  guint16 port;
  OdSecurity security;

  od_cli_print_check_result (check, options->verbose);
  g_print ("\n%s\n", _("The account was not saved."));

  /* The server works but nobody vouched for it: how to confirm it, after checking. */
  if (main_problem != NULL && od_problem_has_fix (main_problem, OD_FIX_CONFIRM_SERVER))
    {
      g_autofree char *endpoint = od_account_format_endpoint (od_setup_get_host (setup),
                                                              od_setup_get_port (setup));

      /* Translators: the %s are the address and the server as HOST:PORT */
      g_print (_("If your provider’s help pages or your administrator name this server, "
                 "confirm it:\n"
                 "  outbox-doctor-cli setup %s --accept-server %s\n"),
               od_setup_get_address (setup), endpoint);
    }

  /* Another setting of the same server was tried and works (or the server offers it). */
  if (main_problem != NULL && od_problem_get_suggestion (main_problem, &host, &port, &security))
    {
      if (!od_problem_get_suggestion_tried (main_problem))
        /* Translators: the %s are the address, the server and the encryption, %u the port */
        g_print (_("The server offers this instead (not tried yet):\n"
                   "  outbox-doctor-cli setup %s --host %s --port %u --security %s\n"),
                 od_setup_get_address (setup), host, port, od_security_to_string (security));
      else
        /* Translators: the %s are the address, the server and the encryption, %u the port */
        g_print (_("The same server works this way:\n"
                   "  outbox-doctor-cli setup %s --host %s --port %u --security %s\n"),
                 od_setup_get_address (setup), host, port, od_security_to_string (security));
      od_cli_print_unconfirmed_note (od_setup_get_unconfirmed (setup));
    }

  if (info != NULL && problem != NULL && od_problem_has_fix (problem, OD_FIX_TRUST_CERTIFICATE))
    /* Translators: the %s are the address, the server, its port and the fingerprint */
    g_print (_("If, and only if, your provider or administrator confirms this certificate’s "
               "fingerprint, you can trust it for %s port %u only:\n"
               "  outbox-doctor-cli setup %s --host %s --port %u --security %s "
               "--trust-certificate %s\n"),
             od_setup_get_host (setup), od_setup_get_port (setup), od_setup_get_address (setup),
             od_setup_get_host (setup), od_setup_get_port (setup),
             od_security_to_string (od_setup_get_security (setup)),
             od_tls_info_get_fingerprint (info));
}

/* Verifies the settings. Returns FALSE with @status set when the check failed or stopped. */
static gboolean
verify (OdSetup      *setup,
        Options      *options,
        GCancellable *cancellable,
        int          *status)
{
  g_autoptr(OdCheck) check = od_setup_create_check (setup);
  g_autoptr(GError) error = NULL;
  g_auto(OdCliWait) wait = { 0 };
  OdStepState verdict;

  if (!options->json)
    od_cli_print_check_header (check);

  od_setup_verify_async (setup, check, cancellable, od_cli_wait_cb, &wait);
  verdict = od_setup_verify_finish (setup, od_cli_wait (&wait, cancellable), &error);
  if (error != NULL)
    {
      g_printerr ("outbox-doctor-cli: %s\n", error->message);
      *status = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                ? OD_CLI_EXIT_CANCELLED
                : g_error_matches (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT)
                ? OD_CLI_EXIT_USAGE : OD_CLI_EXIT_PROBLEM;
      return FALSE;
    }

  if (verdict == OD_STEP_STATE_FAIL)
    {
      if (options->json)
        print_json (setup, NULL, NULL);
      else
        print_failure (setup, options);
      *status = OD_CLI_EXIT_PROBLEM;
      return FALSE;
    }

  return TRUE;
}

/* Verifies the incoming server, when there is one. Returns FALSE with @status set when the
 * check failed (and the person did not say --outgoing-only) or stopped. */
static gboolean
verify_incoming (OdSetup      *setup,
                 Options      *options,
                 GCancellable *cancellable,
                 int          *status)
{
  g_autoptr(OdCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(OdCliWait) wait = { 0 };
  OdStepState verdict;

  if (!od_setup_get_has_incoming (setup))
    return TRUE;

  check = od_setup_create_incoming_check (setup);
  if (!options->json)
    {
      od_cli_print_check_result (od_setup_get_check (setup), options->verbose);
      g_print ("\n");
      od_cli_print_check_header (check);
    }

  od_setup_verify_incoming_async (setup, check, cancellable, od_cli_wait_cb, &wait);
  verdict = od_setup_verify_incoming_finish (setup, od_cli_wait (&wait, cancellable), &error);
  if (error != NULL)
    {
      g_printerr ("outbox-doctor-cli: %s\n", error->message);
      *status = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                ? OD_CLI_EXIT_CANCELLED : OD_CLI_EXIT_PROBLEM;
      return FALSE;
    }

  if (verdict != OD_STEP_STATE_FAIL || options->outgoing_only)
    return TRUE;

  if (options->json)
    print_json (setup, NULL, NULL);
  else
    {
      od_cli_print_check_result (check, options->verbose);
      g_print ("\n%s\n", _("The account was not saved: sending works, receiving does not."));
      /* Translators: %s is the address */
      g_print (_("To save it for sending only, run:\n"
                 "  outbox-doctor-cli setup %s --outgoing-only\n"),
               od_setup_get_address (setup));
    }
  *status = OD_CLI_EXIT_PROBLEM;
  return FALSE;
}

/* Saves the verified account, then its password. Returns the exit status. */
static int
save (OdSetup      *setup,
      Options      *options,
      GCancellable *cancellable)
{
  g_autoptr(OdAccount) account = NULL;
  g_autoptr(GError) keyring_error = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(OdCliWait) wait = { 0 };

  od_setup_save_async (setup, OD_SETUP_SAVE_KEEP_WITHOUT_PASSWORD, cancellable,
                       od_cli_wait_cb, &wait);
  account = od_setup_save_finish (setup, od_cli_wait (&wait, cancellable), &keyring_error,
                                  &error);
  if (account == NULL)
    {
      g_printerr (_("outbox-doctor-cli: the accounts could not be saved: %s\n"), error->message);
      return OD_CLI_EXIT_INTERNAL;
    }

  if (options->json)
    {
      print_json (setup, account, keyring_error ? keyring_error->message : NULL);
      return OD_CLI_EXIT_PASSED;
    }

  if (options->trust != NULL && !od_setup_get_pin_saved (setup))
    g_print (_("The certificate of %s is trusted by this computer: no exception is saved "
               "for it.\n"), od_setup_get_host (setup));

  if (od_setup_get_incoming_check (setup) != NULL)
    od_cli_print_check_result (od_setup_get_incoming_check (setup), options->verbose);
  else
    od_cli_print_check_result (od_setup_get_check (setup), options->verbose);
  g_print ("\n");
  /* Translators: "Saved the account “alice-example-com” (alice@example.com)." */
  g_print (_("Saved the account “%s” (%s).\n"), od_account_get_id (account),
           od_account_get_address (account));
  if (keyring_error != NULL)
    g_print (_("The password was not saved: %s It will be asked for each time "
               "(or give it with --password-stdin).\n"), keyring_error->message);
  else if (od_setup_get_oauth_provider (setup) != NULL)
    g_print (_("The sign-in is in the keyring; the password stays with your provider.\n"));
  else if (od_setup_get_has_password (setup))
    g_print (_("The password is in the keyring.\n"));
  else
    g_print (_("No password was given: the account logs in without one.\n"));
  if (od_setup_get_has_incoming (setup) && !od_setup_get_incoming_saved (setup))
    g_print (_("Saved for sending only: the incoming server did not work.\n"));
  else if (!od_setup_get_has_incoming (setup))
    g_print (_("No incoming server was found: the account is saved for sending only.\n"));

  return OD_CLI_EXIT_PASSED;
}

/* The password comes first, so that nobody waits for the detection to be asked for it.
 * Returns FALSE with @status set. */
static gboolean
read_password (GOptionContext *context,
               Options        *options,
               const char     *address,
               OdSetup        *setup,
               int            *status)
{
  g_autoptr(GError) error = NULL;
  char *password = NULL;

  if (options->password_stdin)
    {
      password = od_cli_read_password_stdin (&error);
      if (password == NULL)
        {
          *status = od_cli_usage_error (NULL, error->message);
          return FALSE;
        }
    }
  else if (isatty (STDIN_FILENO) && !options->json)
    password = od_cli_prompt_password (options->user ? options->user : address);
  else
    {
      *status = od_cli_usage_error (context, _("setup needs the password to verify the login: "
                                               "give it with --password-stdin."));
      return FALSE;
    }

  od_setup_set_password (setup, password);
  od_cli_free_password (password);
  return TRUE;
}

/* Checks the options that do not need the network. Returns FALSE with @status set. */
static gboolean
check_options (GOptionContext  *context,
               Options         *options,
               OdSecurity      *security,
               OdProtocol      *in_protocol,
               OdSecurity      *in_security,
               char           **fingerprint,
               int             *status)
{
  if (options->host == NULL && (options->port != 0 || options->security != NULL))
    {
      *status = od_cli_usage_error (context, _("--port and --security need --host."));
      return FALSE;
    }

  if (options->host != NULL &&
      !od_cli_parse_server (context, options->security, &options->port, security, status))
    return FALSE;

  if (options->in_host == NULL &&
      (options->in_port != 0 || options->in_security != NULL || options->in_protocol != NULL))
    {
      *status = od_cli_usage_error (context, _("--incoming-port, --incoming-security and "
                                               "--incoming-protocol need --incoming-host."));
      return FALSE;
    }

  if (options->in_host != NULL &&
      !od_cli_parse_incoming_server (context, "incoming-", options->in_protocol,
                                     options->in_security, &options->in_port, in_protocol,
                                     in_security, status))
    return FALSE;

  /* Setup logs in there: a password never goes over a connection without encryption. */
  if (options->in_host != NULL && *in_security == OD_SECURITY_NONE)
    {
      *status = od_cli_usage_error (context, _("--incoming-security none: Outbox Doctor never "
                                               "sends a password without encryption. Use tls "
                                               "or starttls."));
      return FALSE;
    }

  if (!options->oauth && (options->oauth_device || options->oauth_provider != NULL ||
                          options->oauth_client_id != NULL))
    {
      *status = od_cli_usage_error (context, _("--oauth-device, --oauth-provider and "
                                               "--oauth-client-id need --oauth."));
      return FALSE;
    }
  if (options->oauth && options->password_stdin)
    {
      *status = od_cli_usage_error (context, _("--oauth signs in without a password: leave "
                                               "out --password-stdin."));
      return FALSE;
    }

  if (!od_cli_check_options (context, options->timeout, options->ca_file, status) ||
      !od_cli_check_accept_server (context, options->accept, status))
    return FALSE;

  if (options->trust != NULL && !(*fingerprint = od_fingerprint_normalize (options->trust)))
    {
      *status = od_cli_usage_error (NULL, _("--trust-certificate needs a SHA-256 fingerprint: "
                                            "64 hexadecimal digits, in pairs separated by "
                                            "colons or not."));
      return FALSE;
    }

  return TRUE;
}

static GOptionContext *
option_context_new (Options *o)
{
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &o->name, N_("A name for the account"), N_("NAME") },
    { "host", 0, 0, G_OPTION_ARG_STRING, &o->host, N_("The outgoing server (default: find it)"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_INT, &o->port, N_("The server’s port (default: 465 for tls, 587 otherwise)"), N_("PORT") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &o->security, N_("Encryption: tls, starttls or none (default: tls on port 465, starttls otherwise)"), N_("MODE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &o->user, N_("The user name for the login (default: the address)"), N_("USER") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &o->password_stdin, N_("Read the password from standard input"), NULL },
    { "oauth", 0, 0, G_OPTION_ARG_NONE, &o->oauth, N_("Sign in with the provider (Google, Microsoft) instead of a password"), NULL },
    { "oauth-device", 0, 0, G_OPTION_ARG_NONE, &o->oauth_device, N_("With --oauth: sign in on another device with a code, even on a desktop"), NULL },
    { "oauth-provider", 0, 0, G_OPTION_ARG_STRING, &o->oauth_provider, N_("With --oauth: google or microsoft (default: the address’s provider)"), N_("PROVIDER") },
    { "oauth-client-id", 0, 0, G_OPTION_ARG_STRING, &o->oauth_client_id, N_("With --oauth: your own client ID registered with the provider"), N_("ID") },
    { "oauth-client-secret", 0, 0, G_OPTION_ARG_STRING, &o->oauth_client_secret, N_("With --oauth-client-id: the client secret the provider issued with it, if any (Google’s desktop clients; not a password)"), N_("SECRET") },
    { "incoming-host", 0, 0, G_OPTION_ARG_STRING, &o->in_host, N_("The incoming server, IMAP or POP3 (default: the one found, unless --host is given)"), N_("HOST") },
    { "incoming-port", 0, 0, G_OPTION_ARG_INT, &o->in_port, N_("The incoming server’s port (default: 993 for imap, 995 for pop3 with tls; 143, 110 with starttls)"), N_("PORT") },
    { "incoming-security", 0, 0, G_OPTION_ARG_STRING, &o->in_security, N_("The incoming server’s encryption: tls or starttls (default: starttls on ports 143 and 110, tls otherwise)"), N_("MODE") },
    { "incoming-protocol", 0, 0, G_OPTION_ARG_STRING, &o->in_protocol, N_("imap or pop3 (default: pop3 on ports 995 and 110, imap otherwise)"), N_("PROTOCOL") },
    { "outgoing-only", 0, 0, G_OPTION_ARG_NONE, &o->outgoing_only, N_("Save the account for sending even when the incoming server does not work"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &o->ca_file, N_("Also trust the CA certificates in this PEM file"), N_("FILE") },
    { "trust-certificate", 0, 0, G_OPTION_ARG_STRING, &o->trust, N_("Trust the server certificate with this SHA-256 fingerprint, for this server and port only"), N_("SHA256") },
    { "accept-server", 0, 0, G_OPTION_ARG_STRING, &o->accept, N_("Confirm this server, found through DNS records or another domain, as your provider’s"), N_("HOST:PORT") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &o->timeout, N_("Give up after this many seconds in all"), N_("SECONDS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, N_("Print the result as JSON"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &o->verbose, N_("Show the conversation with the server"), NULL },
    { NULL }
  };
  GOptionContext *context = g_option_context_new (_("ADDRESS — find, verify and save an account"));

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Finds the outgoing server (unless --host is given), logs in and checks that the server "
      "accepts you as sender (nothing is sent), then saves the account and puts the password "
      "in the keyring. Nothing is saved if the check fails.\n"
      "The incoming server found with it (IMAP or POP3) is checked too: the login and the "
      "inbox, nothing changed there. When it fails, nothing is saved unless --outgoing-only "
      "is given.\n"
      "The password is never taken as an argument: use --password-stdin, or type it when "
      "asked. Without a keyring the account is saved without its password, which is then "
      "asked for each time.\n"
      "A server found only through DNS records or on another domain gets no password until "
      "you confirm it: answer yes when asked, or give --accept-server.\n"
      "With --oauth you sign in on your provider’s own page instead: in the browser on a "
      "desktop, else with a code on another device (Microsoft). The sign-in, not a password, "
      "goes to the keyring.\n\n"
      "Exit status: 0 the account was saved, 1 a problem was found (nothing saved), 2 bad "
      "usage or input, 3 internal error, 130 interrupted."));

  return context;
}

int
od_cli_command_setup (int    argc,
                      char **argv)
{
  g_auto(Options) options = { 0 };
  g_autoptr(GOptionContext) context = option_context_new (&options);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdAccountStore) store = NULL;
  g_autoptr(OdSecretStore) secrets = NULL;
  g_autoptr(OdSetup) setup = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *fingerprint = NULL;
  OdSecurity security = OD_SECURITY_STARTTLS;
  OdSecurity in_security = OD_SECURITY_TLS;
  OdProtocol in_protocol = OD_PROTOCOL_IMAP;
  const char *address;
  int status = OD_CLI_EXIT_PASSED;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return od_cli_usage_error (context, error->message);

  if (argc != 2)
    return od_cli_usage_error (context, _("setup takes one email address."));
  address = argv[1];

  if (!od_address_validate (address, &error))
    return od_cli_usage_error (NULL, error->message);

  if (!check_options (context, &options, &security, &in_protocol, &in_security, &fingerprint,
                      &status))
    return status;

  store = od_cli_open_account_store ();
  secrets = od_secret_store_new ();
  setup = od_setup_new (store, secrets, address);
  od_setup_set_display_name (setup, options.name);
  od_setup_set_ca_file (setup, options.ca_file);
  od_setup_set_timeout (setup, options.timeout * 1000);

  if (!options.oauth && !read_password (context, &options, address, setup, &status))
    return status;

  if (options.host != NULL)
    od_setup_set_server (setup, options.host, options.port, security, options.user, NULL);
  else if (!discover (setup, &options, cancellable, &status))
    return status;

  if (options.oauth &&
      !od_cli_oauth_sign_in (setup, options.oauth_provider, options.oauth_client_id,
                             options.oauth_client_secret, options.oauth_device, options.json,
                             options.timeout, cancellable,
                             &status))
    return status;

  /* The person's own incoming server replaces the one found. */
  if (options.in_host != NULL)
    od_setup_set_incoming (setup, in_protocol, options.in_host, options.in_port, in_security,
                           options.user, NULL);

  if (fingerprint != NULL)
    od_setup_trust_certificate (setup, od_setup_get_host (setup), od_setup_get_port (setup),
                                fingerprint);

  if (!verify (setup, &options, cancellable, &status) ||
      !verify_incoming (setup, &options, cancellable, &status))
    return status;

  return save (setup, &options, cancellable);
}
