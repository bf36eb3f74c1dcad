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

#include "od-address.h"
#include "od-check-report.h"
#include "od-check.h"
#include "od-cli-accounts.h"
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

/* check --json when detection found no server: the check document with every step skipped,
 * the detection's problems, and the detection itself (extension "detection"). */
static void
print_detection_failure (const char *address,
                         JsonNode   *detection)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(OdChecklist) checklist = od_checklist_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
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
  json_builder_add_value (builder, json_node_copy (detection));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  g_print ("%s\n", text);
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
  g_autoptr(OdAccountStore) store = NULL;
  OdAccount *saved = NULL;
  g_autofree char *account = NULL;
  g_autoptr(JsonNode) detection = NULL;
  char *password = NULL;
  gboolean send_test = FALSE;
  gboolean json = FALSE;
  gboolean password_stdin = FALSE;
  gboolean verbose = FALSE;
  int port = 0;
  int timeout = 0;
  OdSecurity security;
  RunData data = { 0 };
  int status;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account, N_("Check a saved account"), N_("ID") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, N_("The sender’s e-mail address"), N_("ADDRESS") },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("The outgoing server (default: found from the address)"), N_("HOST") },
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

  /* A saved account: its settings, its trusted certificates, its password from the keyring. */
  if (account != NULL)
    {
      if (address != NULL || host != NULL || port != 0 || security_str != NULL || user != NULL)
        return od_cli_usage_error (context, _("--account cannot be combined with --address, "
                                              "--host, --port, --security or --user."));

      store = od_cli_open_account_store ();
      saved = od_cli_find_account (store, account, &error);
      if (saved == NULL)
        return od_cli_usage_error (NULL, error->message);

      address = g_strdup (od_account_get_address (saved));
      host = g_strdup (od_account_get_host (saved));
      port = od_account_get_port (saved);
      security_str = g_strdup (od_security_to_string (od_account_get_security (saved)));
      user = g_strdup (od_account_get_username (saved));
    }

  if (address == NULL)
    return od_cli_usage_error (context, _("--address is required."));

  if (!od_address_validate (address, &error))
    return od_cli_usage_error (NULL, error->message);

  if (to != NULL && !od_address_validate (to, &error))
    return od_cli_usage_error (NULL, error->message);

  /* No server given: find it first, then check what was found. */
  if (host == NULL)
    {
      g_clear_pointer (&security_str, g_free);
      status = od_cli_detect_for_check (address, ca_file, timeout, json, &host, &port,
                                        &security_str, &user, &detection);
      if (status >= 0)
        {
          if (json && detection != NULL)
            print_detection_failure (address, detection);
          return status;
        }
    }

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
  else if (saved != NULL)
    {
      if (!od_cli_account_password (saved, isatty (STDIN_FILENO) && !json, &password, &error))
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
  if (saved != NULL)
    od_cli_account_prepare_check (saved, check);
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
  od_check_run_async (check, cancellable, run_cb, &data);
  od_cli_run_loop (loop, cancellable);

  if (data.error != NULL)
    {
      gboolean bad_input = g_error_matches (data.error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT);

      g_printerr ("outbox-doctor-cli: %s\n", data.error->message);
      g_clear_error (&data.error);
      return bad_input ? OD_CLI_EXIT_USAGE : OD_CLI_EXIT_INTERNAL;
    }

  /* The account remembers how its last check went. */
  if (saved != NULL)
    od_cli_account_record_check (store, saved, check);

  if (json)
    {
      g_autoptr(JsonNode) root = od_check_report_to_json (check);
      g_autofree char *text = NULL;

      /* Extension: how the server was found, when it was not given. */
      if (detection != NULL)
        json_object_set_member (json_node_get_object (root), "detection",
                                g_steal_pointer (&detection));
      text = json_to_string (root, TRUE);

      g_print ("%s\n", text);
    }
  else
    od_cli_print_check_result (check, verbose);

  status = data.verdict == OD_STEP_STATE_FAIL ? OD_CLI_EXIT_PROBLEM : OD_CLI_EXIT_PASSED;
  return status;
}

