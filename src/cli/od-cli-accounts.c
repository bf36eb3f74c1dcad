/* od-cli-accounts.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbox-doctor-cli"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "od-account-check.h"
#include "od-account-removal.h"
#include "od-check-report.h"
#include "od-cli-accounts.h"
#include "od-cli-common.h"
#include "od-cli-fix.h"
#include "od-cli-found.h"
#include "od-text.h"
#include "od-cli-output.h"
#include "od-format.h"
#include "od-orphans.h"

/* ------------------------------------------------------------------------------------------
 * Helpers shared by "accounts", "setup" and "check --account"
 * ------------------------------------------------------------------------------------------ */

/**
 * od_cli_open_account_store:
 *
 * Loads the saved accounts. Damage is reported on standard error and is not fatal: the
 * readable accounts are there, and the damaged file was kept aside.
 */
OdAccountStore *
od_cli_open_account_store (void)
{
  OdAccountStore *store = od_account_store_new (NULL);
  g_autoptr(GError) error = NULL;

  if (!od_account_store_load (store, &error))
    g_printerr (_("outbox-doctor-cli: warning: %s\n"), error->message);

  return store;
}

/**
 * od_cli_find_account:
 *
 * Returns: (transfer none) (nullable): the account, or %NULL with @error saying how to list
 *   the accounts
 */
OdAccount *
od_cli_find_account (OdAccountStore  *store,
                     const char      *id,
                     GError         **error)
{
  OdAccount *account = od_account_store_lookup (store, id);

  if (account == NULL)
    g_set_error (error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_NOT_FOUND,
                 _("There is no saved account “%s”. “outbox-doctor-cli accounts list” shows "
                   "the saved accounts."), id);

  return account;
}

typedef struct
{
  OdCheck  *check;
  gboolean  confirmed;
} Record;

static void
record_check (OdAccount *account,
              gpointer   user_data)
{
  Record *record = user_data;

  od_account_record_check (account, record->check);
  if (record->confirmed)
    od_account_add_confirmed_server (account, od_check_get_host (record->check),
                                     od_check_get_port (record->check));
}

/* Records how @check of the account @id went, in the account as the file holds it now,
 * with the user's confirmation of its server if @confirmed. An account removed meanwhile
 * (another command, the app) stays removed. */
void
od_cli_record_check (OdAccountStore *store,
                     const char     *id,
                     OdCheck        *check,
                     gboolean        confirmed)
{
  g_autoptr(GError) error = NULL;
  /* @id may belong to an account object that re-reading the file replaces. */
  g_autofree char *own_id = g_strdup (id);
  Record record = { check, confirmed };

  if (od_account_store_update (store, own_id, record_check, &record, &error))
    return;

  if (g_error_matches (error, OD_ACCOUNT_STORE_ERROR, OD_ACCOUNT_STORE_ERROR_NOT_FOUND))
    g_printerr (_("outbox-doctor-cli: the account “%s” was removed while it was being "
                  "checked; the result was not saved.\n"), own_id);
  else
    g_printerr (_("outbox-doctor-cli: the result could not be saved with the account: %s\n"),
                error->message);
}

/**
 * od_cli_keyring_store:
 *
 * Saves the outgoing password of @account in the keyring.
 */
gboolean
od_cli_keyring_store (OdAccount   *account,
                      const char  *password,
                      GError     **error)
{
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(OdCliWait) wait = { 0 };

  od_secret_store_store_for_account_async (secrets, account, password, cancellable,
                                           od_cli_wait_cb, &wait);
  return od_secret_store_store_finish (secrets, od_cli_wait (&wait, cancellable), error);
}

/**
 * od_cli_keyring_lookup:
 *
 * @incoming: the incoming server's password (the outgoing one for an account saved without
 *   it) rather than the outgoing one
 *
 * Returns: (transfer full) (nullable): the saved password (free it with
 *   od_secret_store_free_password()), or %NULL, with @error only if the keyring failed
 */
char *
od_cli_keyring_lookup (OdAccount  *account,
                       gboolean    incoming,
                       GError    **error)
{
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(OdCliWait) wait = { 0 };

  if (incoming)
    od_secret_store_lookup_incoming_for_account_async (secrets, account, cancellable,
                                                       od_cli_wait_cb, &wait);
  else
    od_secret_store_lookup_for_account_async (secrets, account, cancellable, od_cli_wait_cb,
                                              &wait);
  return od_secret_store_lookup_finish (secrets, od_cli_wait (&wait, cancellable), error);
}

#define ORPHANS_TIMEOUT_MS 5000

/* The ids of accounts that are gone but whose passwords are still in the keyring; NULL with
 * @error when the keyring cannot say. */
static char **
find_orphans (OdAccountStore  *store,
              GError         **error)
{
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(OdCliWait) wait = { 0 };

  /* Only a remark under the list: not worth a long wait for a slow keyring. */
  od_secret_store_set_timeout (secrets, ORPHANS_TIMEOUT_MS);
  od_orphans_find_async (store, secrets, cancellable, od_cli_wait_cb, &wait);
  return od_orphans_find_finish (od_cli_wait (&wait, cancellable), error);
}

/**
 * od_cli_account_password:
 * @incoming: the incoming server's password rather than the outgoing one
 * @may_prompt: whether the password may be asked for on the terminal
 * @password: (out): the password (free it with od_cli_free_password()), or %NULL for an
 *   account whose server needs no login, or when the user left the prompt empty
 *
 * Gets the password of a saved account: from the keyring, or, when it is not there or
 * there is no keyring, by asking.
 *
 * Returns: %FALSE with @error when there is no password and no way to ask for one
 */
gboolean
od_cli_account_password (OdAccount  *account,
                         gboolean    incoming,
                         gboolean    may_prompt,
                         char      **password,
                         GError    **error)
{
  g_autoptr(GError) keyring_error = NULL;
  char *saved;

  *password = NULL;

  /* An outgoing server without login; receiving always needs one. */
  if (!incoming &&
      g_strcmp0 (od_account_get_auth_mechanism (account), OD_ACCOUNT_AUTH_NONE) == 0)
    return TRUE;

  saved = od_cli_keyring_lookup (account, incoming, &keyring_error);
  if (saved != NULL)
    {
      /* Copied into ordinary memory so that every path frees it the same way. */
      *password = g_strdup (saved);
      od_secret_store_free_password (saved);
      return TRUE;
    }

  /* Ctrl+C while the keyring was asked: the command ends. */
  if (g_error_matches (keyring_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&keyring_error));
      return FALSE;
    }

  if (keyring_error != NULL)
    g_printerr (_("outbox-doctor-cli: %s\n"), keyring_error->message);
  else
    g_printerr (_("outbox-doctor-cli: no password is saved in the keyring for the account "
                  "“%s”.\n"), od_account_get_id (account));

  if (may_prompt)
    {
      *password = od_cli_prompt_password (od_account_get_username (account));
      if (*password != NULL && (*password)[0] == '\0')
        g_clear_pointer (password, od_cli_free_password);
      return TRUE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("The password of the account “%s” is not available and there is no terminal "
                 "to ask for it: give it with --password-stdin."),
               od_account_get_id (account));
  return FALSE;
}

/* ------------------------------------------------------------------------------------------
 * outbox-doctor-cli accounts [list|show ID|remove ID]
 * ------------------------------------------------------------------------------------------ */

/* A JSON object with "schema" set, for the caller to fill and end. */
static JsonBuilder *
envelope_new (void)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, OD_REPORT_SCHEMA);
  return builder;
}

static char *
describe_last_check (OdAccount *account)
{
  GDateTime *time = od_account_get_last_check_time (account);
  g_autofree char *when = time ? od_format_date_time (time) : NULL;
  g_autofree char *verdict = NULL;
  OdStepState state;

  if (od_account_get_last_verdict (account) == NULL)
    return g_strdup (_("never checked"));

  /* The key file holds the JSON contract's word; a person reads it in their language. */
  if (od_step_state_from_verdict (od_account_get_last_verdict (account), &state))
    verdict = g_strdup (od_step_state_describe (state));
  else
    verdict = od_text_sanitize (od_account_get_last_verdict (account), -1, OD_TEXT_SINGLE_LINE);

  if (od_account_get_last_problem (account) != NULL)
    {
      /* A file a person can edit: the problem id is shown without control characters. */
      g_autofree char *problem = od_text_sanitize (od_account_get_last_problem (account), -1,
                                                   OD_TEXT_SINGLE_LINE);

      /* Translators: "Failed (auth-failed), 31 January 2026, 10:20" */
      return g_strdup_printf (_("%s (%s), %s"), verdict, problem, when ? when : "?");
    }

  /* Translators: "Passed, 31 January 2026, 10:20" */
  return g_strdup_printf (_("%s, %s"), verdict, when ? when : "?");
}

static void
add_strv_member (JsonBuilder        *builder,
                 const char         *name,
                 const char * const *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static int
accounts_list (OdAccountStore *store,
               gboolean        json)
{
  g_autoptr(GError) keyring_error = NULL;
  g_auto(GStrv) orphans = NULL;
  g_autoptr(GPtrArray) found = NULL;
  guint n;

  /* Passwords whose account is gone; without a keyring there are none to report. */
  orphans = find_orphans (store, &keyring_error);
  if (g_error_matches (keyring_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return OD_CLI_EXIT_CANCELLED;
  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  /* The accounts other mail clients keep, beside ours. */
  found = od_cli_find_accounts ();

  if (json)
    {
      g_autoptr(JsonBuilder) builder = envelope_new ();

      json_builder_set_member_name (builder, "accounts");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(OdAccount) account = g_list_model_get_item (G_LIST_MODEL (store), i);
          JsonNode *node = od_account_to_json (account);

          json_object_set_string_member (json_node_get_object (node), "origin",
                                         OD_ORIGIN_OUTBOX_DOCTOR);
          json_builder_add_value (builder, node);
        }
      json_builder_end_array (builder);
      add_strv_member (builder, "orphans", (const char * const *)orphans);
      od_cli_found_add_json (builder, found);
      json_builder_end_object (builder);
      od_cli_print_json (json_builder_get_root (builder));
      return OD_CLI_EXIT_PASSED;
    }

  if (n == 0)
    g_print (_("No saved accounts. Add one with “outbox-doctor-cli setup ADDRESS”.\n"));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OdAccount) account = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autofree char *last = describe_last_check (account);
      g_autofree char *address = od_text_sanitize (od_account_get_address (account), -1,
                                                   OD_TEXT_SINGLE_LINE);
      g_autofree char *host = od_text_sanitize (od_account_get_host (account), -1,
                                                OD_TEXT_SINGLE_LINE);

      /* Translators: "alice-example-com  alice@example.com  smtp.example.com:587 (STARTTLS)
       * — last check: Passed, 31 January 2026, 10:20" */
      g_print (_("%s  %s  %s:%u (%s) — last check: %s\n"),
               od_account_get_id (account), address, host, od_account_get_port (account),
               od_security_describe (od_account_get_security (account)), last);
    }

  if (orphans != NULL && orphans[0] != NULL)
    {
      g_autofree char *ids = g_strjoinv (", ", orphans);

      /* Translators: %s is a list of account ids */
      g_print (_("\nThe keyring still holds passwords of accounts that are gone (%s). Remove "
                 "them with “outbox-doctor-cli accounts remove --orphans”.\n"), ids);
    }

  od_cli_found_print (found);

  return OD_CLI_EXIT_PASSED;
}

/* "accounts show ORIGIN:ID": an account another mail client keeps. */
static int
accounts_show_found (const char *id,
                     gboolean    json)
{
  g_autoptr(GPtrArray) results = od_cli_find_accounts ();
  OdFoundAccount *found = od_cli_found_lookup (results, id);

  if (found == NULL)
    {
      g_autofree char *shown = od_text_sanitize (id, -1, OD_TEXT_SINGLE_LINE);
      /* Translators: %s is an account id such as "msmtp:work" */
      g_autofree char *message = g_strdup_printf (_("No mail client on this computer has the "
                                                    "account “%s”: “accounts list” shows "
                                                    "those found."), shown);

      return od_cli_usage_error (NULL, message);
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = envelope_new ();

      json_builder_set_member_name (builder, "account");
      json_builder_add_value (builder, od_found_account_to_json (found));
      json_builder_end_object (builder);
      od_cli_print_json (json_builder_get_root (builder));
      return OD_CLI_EXIT_PASSED;
    }

  od_cli_found_print_one (found);
  return OD_CLI_EXIT_PASSED;
}

/* Everything here was read from a file a person can edit: shown without control or
 * invisible characters. */
static void
print_field (const char *label,
             const char *value)
{
  g_autofree char *shown = NULL;

  if (value == NULL)
    return;

  shown = od_text_sanitize (value, -1, OD_TEXT_SINGLE_LINE);
  g_print ("  %-22s %s\n", label, shown);
}

static int
accounts_show (OdAccountStore *store,
               const char     *id,
               gboolean        json)
{
  g_autoptr(GError) error = NULL;
  OdAccount *account = od_cli_find_account (store, id, &error);
  g_autoptr(JsonNode) node = NULL;
  JsonArray *pins;
  g_autofree char *server = NULL;
  g_autofree char *last = NULL;

  if (account == NULL)
    return od_cli_usage_error (NULL, error->message);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = envelope_new ();

      json_builder_set_member_name (builder, "account");
      json_builder_add_value (builder, od_account_to_json (account));
      json_builder_end_object (builder);
      od_cli_print_json (json_builder_get_root (builder));
      return OD_CLI_EXIT_PASSED;
    }

  server = g_strdup_printf ("%s:%u (%s)", od_account_get_host (account),
                            od_account_get_port (account),
                            od_security_describe (od_account_get_security (account)));
  last = describe_last_check (account);

  g_print ("%s\n", od_account_get_id (account));
  print_field (_("Name:"), od_account_get_display_name (account));
  print_field (_("Address:"), od_account_get_address (account));
  print_field (_("Outgoing server:"), server);
  print_field (_("User name:"), od_account_get_username (account));
  print_field (_("Login method:"), od_account_get_auth_mechanism (account));
  print_field (_("Settings found by:"), od_account_get_settings_source (account));
  if (od_account_get_incoming_host (account) != NULL)
    {
      g_autofree char *incoming = g_strdup_printf ("%s %s:%u (%s)",
                                                   od_account_get_incoming_protocol (account),
                                                   od_account_get_incoming_host (account),
                                                   od_account_get_incoming_port (account),
                                                   od_security_describe (od_account_get_incoming_security (account)));
      print_field (_("Incoming server:"), incoming);
    }
  print_field (_("Last check:"), last);

  /* The JSON form lists the pins with host and port apart. */
  node = od_account_to_json (account);
  pins = json_object_get_array_member (json_node_get_object (node), "pinned_certificates");
  for (guint i = 0; i < json_array_get_length (pins); i++)
    {
      JsonObject *pin = json_array_get_object_element (pins, i);
      /* Translators: "smtp.example.com port 465: AB:CD:…" */
      g_autofree char *line = g_strdup_printf (_("%s port %u: %s"),
                                               json_object_get_string_member (pin, "host"),
                                               (guint)json_object_get_int_member (pin, "port"),
                                               json_object_get_string_member (pin, "fingerprint"));
      print_field (_("Trusted certificate:"), line);
    }

  for (const char * const *c = od_account_get_confirmed_servers (account); *c != NULL; c++)
    print_field (_("Confirmed server:"), *c);

  return OD_CLI_EXIT_PASSED;
}

static int
accounts_remove_orphans (OdAccountStore *store,
                         gboolean        json)
{
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(OdCliWait) wait = { 0 };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) removed = NULL;

  od_orphans_remove_async (store, secrets, cancellable, od_cli_wait_cb, &wait);
  removed = od_orphans_remove_finish (od_cli_wait (&wait, cancellable), &error);
  if (removed == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return OD_CLI_EXIT_CANCELLED;
      g_printerr (_("outbox-doctor-cli: the passwords of accounts that are gone could not be "
                    "removed: %s\n"), error->message);
      return OD_CLI_EXIT_PROBLEM;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = envelope_new ();

      add_strv_member (builder, "orphans_removed", (const char * const *)removed);
      json_builder_end_object (builder);
      od_cli_print_json (json_builder_get_root (builder));
    }
  else if (removed[0] == NULL)
    g_print (_("The keyring holds no passwords of accounts that are gone.\n"));
  else
    {
      g_autofree char *ids = g_strjoinv (", ", removed);

      /* Translators: %s is a list of account ids */
      g_print (_("Removed the passwords of accounts that are gone: %s.\n"), ids);
    }

  return OD_CLI_EXIT_PASSED;
}

static int
accounts_remove (OdAccountStore *store,
                 const char     *id,
                 gboolean        json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) keyring_error = NULL;
  g_autoptr(OdAccount) account = NULL;
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(OdCliWait) wait = { 0 };
  gboolean password_removed = FALSE;
  OdAccount *found = od_cli_find_account (store, id, &error);

  if (found == NULL)
    return od_cli_usage_error (NULL, error->message);

  account = g_object_ref (found);

  /* The engine removes the password first: an account never disappears while its password
   * stays. */
  od_account_remove_async (store, secrets, id, cancellable, od_cli_wait_cb, &wait);
  if (!od_account_remove_finish (od_cli_wait (&wait, cancellable), &password_removed,
                                 &keyring_error, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return OD_CLI_EXIT_CANCELLED;
      if (error->domain == OD_SECRET_ERROR)
        {
          g_printerr (_("outbox-doctor-cli: the password of “%s” could not be removed from the "
                        "keyring (%s). The account was kept; try again.\n"),
                      id, error->message);
          return OD_CLI_EXIT_PROBLEM;
        }
      g_printerr (_("outbox-doctor-cli: the accounts could not be saved: %s\n"), error->message);
      return OD_CLI_EXIT_INTERNAL;
    }

  if (!password_removed)
    g_printerr (_("outbox-doctor-cli: %s If a password for “%s” was saved in a keyring "
                  "elsewhere, remove it there: its label is “Outbox Doctor: %s on %s”.\n"),
                keyring_error->message, id, od_account_get_username (account),
                od_account_get_host (account));

  if (json)
    {
      g_autoptr(JsonBuilder) builder = envelope_new ();

      json_builder_set_member_name (builder, "removed");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "password_removed");
      json_builder_add_boolean_value (builder, password_removed);
      json_builder_set_member_name (builder, "keyring_error");
      if (keyring_error != NULL)
        json_builder_add_string_value (builder, keyring_error->message);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      od_cli_print_json (json_builder_get_root (builder));
    }
  else if (password_removed)
    g_print (_("Removed the account “%s” and its password.\n"), id);
  else
    g_print (_("Removed the account “%s”.\n"), id);

  return OD_CLI_EXIT_PASSED;
}

int
od_cli_command_accounts (int    argc,
                         char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OdAccountStore) store = NULL;
  gboolean json = FALSE;
  gboolean orphans = FALSE;
  const char *action;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { "orphans", 0, 0, G_OPTION_ARG_NONE, &orphans,
      N_("With remove: remove the passwords of accounts that are gone"), NULL },
    { NULL }
  };

  /* "accounts export" has options of its own (od-cli-export.c). */
  if (argc > 1 && g_str_equal (argv[1], "export"))
    return od_cli_accounts_export (argc - 1, argv + 1);

  context = g_option_context_new (_("[list | show ID | remove ID | remove --orphans] — the "
                                    "saved accounts"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("list      the saved accounts (the default)\n"
      "show ID   one account's settings, trusted certificates and last check\n"
      "remove ID forget the account and remove its password from the keyring\n"
      "remove --orphans  remove the passwords of accounts that are gone from the keyring\n"
      "fix ORIGIN:ID  change another mail client’s account where it keeps it (see “accounts "
      "fix --help”)\n\n"
      "export ID --to CLIENT  hand the account to msmtp, git, neomutt or aerc (see "
      "“accounts export --help”)\n\n"
      "Exit status: 0 done, 1 the password could not be removed from the keyring, "
      "2 bad usage or no such account, 3 internal error."));

  /* "accounts fix ORIGIN:ID": options of its own (od-cli-fix.c). */
  for (int i = 1; i < argc; i++)
    if (argv[i][0] != '-')
      {
        if (g_str_equal (argv[i], "fix"))
          return od_cli_accounts_fix (argc, argv);
        break;
      }

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return od_cli_usage_error (context, error->message);

  action = argc > 1 ? argv[1] : "list";

  if (g_str_equal (action, "list"))
    {
      if (argc > 2)
        return od_cli_usage_error (context, _("accounts list takes no arguments."));
      store = od_cli_open_account_store ();
      return accounts_list (store, json);
    }

  if (g_str_equal (action, "remove") && orphans)
    {
      if (argc != 2)
        return od_cli_usage_error (context, _("accounts remove --orphans takes no account id."));
      store = od_cli_open_account_store ();
      return accounts_remove_orphans (store, json);
    }

  if (orphans)
    return od_cli_usage_error (context, _("--orphans goes with remove."));

  if (g_str_equal (action, "show") || g_str_equal (action, "remove"))
    {
      if (argc != 3)
        return od_cli_usage_error (context, _("Give the id of one account, as “accounts list” "
                                              "shows it."));
      /* ORIGIN:ID is another mail client's account; our ids have no colon. */
      if (g_str_equal (action, "show") && strchr (argv[2], ':') != NULL)
        return accounts_show_found (argv[2], json);
      store = od_cli_open_account_store ();
      if (g_str_equal (action, "show"))
        return accounts_show (store, argv[2], json);
      return accounts_remove (store, argv[2], json);
    }

  {
    g_autofree char *message = g_strdup_printf (_("Unknown accounts action “%s”: use list, show "
                                                  "or remove."), action);
    return od_cli_usage_error (context, message);
  }
}
