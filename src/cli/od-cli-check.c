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
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "od-check-report.h"
#include "od-check.h"
#include "od-cli-common.h"
#include "od-cli-output.h"

typedef struct
{
  GMainLoop *loop;
  OdStepState verdict;
  GError *error;
} RunData;

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  RunData *data = user_data;

  data->verdict = od_check_run_finish (OD_CHECK (object), result, &data->error);
  g_main_loop_quit (data->loop);
}

static gboolean
interrupt_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_CONTINUE;
}

int
od_cli_command_check (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OdCheck) check = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *address = NULL;
  g_autofree char *host = NULL;
  g_autofree char *security_str = NULL;
  g_autofree char *user = NULL;
  g_autofree char *to = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *account = NULL;
  char *password = NULL;
  gboolean send_test = FALSE;
  gboolean json = FALSE;
  gboolean password_stdin = FALSE;
  gboolean verbose = FALSE;
  int port = 0;
  int timeout = 0;
  OdSecurity security;
  RunData data = { 0 };
  guint sigint_id, sigterm_id;
  int status;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, N_("Check a saved account"), N_("ID") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, N_("The sender’s e-mail address"), N_("ADDRESS") },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("The outgoing server"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("The server’s port (default: 465 for tls, 587 otherwise)"), N_("PORT") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &security_str, N_("Encryption: tls, starttls or none (default: tls on port 465, starttls otherwise)"), N_("MODE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The user name for the login (default: the address)"), N_("USER") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("The recipient (default: the sender’s own address)"), N_("ADDRESS") },
    { "send-test", 0, 0, G_OPTION_ARG_NONE, &send_test, N_("Really send a short test message"), NULL },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin, N_("Read the password from standard input"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("Also trust the CA certificates in this PEM file"), N_("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Give up after this many seconds in all"), N_("SECONDS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Show the conversation with the server"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— check that mail can be sent"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Without --send-test, the check stops after the server accepted the sender and the "
      "recipient: nothing is sent.\n"
      "The password is never taken as an argument: use --password-stdin, or type it when "
      "asked.\n\n"
      "Exit status: 0 everything passed, 1 a problem was found, 2 bad usage or input, "
      "3 internal error."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return od_cli_usage_error (context, error->message);

  if (argc > 1)
    return od_cli_usage_error (context, _("check takes no arguments besides its options."));

  if (account != NULL)
    return od_cli_usage_error (NULL, _("Saved accounts are not supported by this version yet; "
                                "give --address and --host instead."));

  if (address == NULL)
    return od_cli_usage_error (context, _("--address is required."));

  if (!od_check_validate_address (address, &error))
    return od_cli_usage_error (NULL, error->message);

  if (to != NULL && !od_check_validate_address (to, &error))
    return od_cli_usage_error (NULL, error->message);

  if (host == NULL)
    return od_cli_usage_error (context, _("--host is required: finding the server automatically "
                                   "is not supported by this version yet."));

  if (security_str != NULL)
    {
      if (!od_security_from_string (security_str, &security))
        return od_cli_usage_error (context, _("--security must be tls, starttls or none."));
    }
  else
    security = port == 465 ? OD_SECURITY_TLS : OD_SECURITY_STARTTLS;

  if (port == 0)
    port = security == OD_SECURITY_TLS ? 465 : 587;

  if (port < 1 || port > 65535)
    return od_cli_usage_error (context, _("--port must be between 1 and 65535."));

  if (timeout < 0 || timeout > 24 * 3600)
    return od_cli_usage_error (context, _("--timeout must be a number of seconds."));

  if (ca_file != NULL && !g_file_test (ca_file, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *message = g_strdup_printf (_("The CA file “%s” does not exist."), ca_file);
      return od_cli_usage_error (NULL, message);
    }

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
        g_clear_pointer (&password, g_free);
    }

  check = od_check_new (address, host, port, security);
  if (user != NULL)
    od_check_set_username (check, user);
  if (to != NULL)
    od_check_set_recipient (check, to);
  od_check_set_send_test (check, send_test);
  od_check_set_ca_file (check, ca_file);
  od_check_set_password (check, password);
  g_clear_pointer (&password, od_cli_free_password);

  if (timeout > 0)
    {
      od_check_set_total_timeout (check, timeout * 1000);
      od_check_set_step_timeout (check, MIN (OD_CHECK_DEFAULT_STEP_TIMEOUT_MS, timeout * 1000));
    }

  if (!json)
    od_cli_print_check_header (check);

  cancellable = g_cancellable_new ();
  loop = g_main_loop_new (NULL, FALSE);
  data.loop = loop;
  sigint_id = g_unix_signal_add (SIGINT, interrupt_cb, cancellable);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupt_cb, cancellable);

  od_check_run_async (check, cancellable, run_cb, &data);
  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  if (data.error != NULL)
    {
      gboolean bad_input = g_error_matches (data.error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT);

      g_printerr ("outbox-doctor-cli: %s\n", data.error->message);
      g_clear_error (&data.error);
      return bad_input ? OD_CLI_EXIT_USAGE : OD_CLI_EXIT_INTERNAL;
    }

  if (json)
    {
      g_autoptr(JsonNode) root = od_check_report_to_json (check);
      g_autofree char *text = json_to_string (root, TRUE);

      g_print ("%s\n", text);
    }
  else
    od_cli_print_check_result (check, verbose);

  status = data.verdict == OD_STEP_STATE_FAIL ? OD_CLI_EXIT_PROBLEM : OD_CLI_EXIT_PASSED;
  return status;
}

