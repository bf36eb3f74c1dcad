/* od-cli-fix.c
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

#include "od-check-report.h"
#include "od-cli-check.h"
#include "od-cli-common.h"
#include "od-cli-fix.h"
#include "od-cli-found.h"
#include "od-cli-output.h"
#include "od-found-fix.h"
#include "od-text.h"

/* `outbox-doctor-cli accounts fix ORIGIN:ID [--host H] [--port N] [--security S]
 * [--user U]`: changes another mail client's account where that client keeps it
 * (od_found_fix_apply()), reads the client's configuration again through its reader, shows
 * the account as the client now reads it and checks it as "check --account ORIGIN:ID"
 * does. */

typedef struct
{
  char     *host;
  char     *security;
  char     *user;
  char     *ca_file;
  int       port;
  int       timeout;
  gboolean  json;
  gboolean  no_check;
  gboolean  password_stdin;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->host);
  g_free (options->security);
  g_free (options->user);
  g_free (options->ca_file);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static GOptionContext *
option_context_new (Options *o)
{
  const GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &o->host, N_("The outgoing server to set"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_INT, &o->port, N_("The port to set"), N_("PORT") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &o->security, N_("The encryption to set: tls, starttls or none"), N_("MODE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &o->user, N_("The user name to set for the login"), N_("USER") },
    { "no-check", 0, 0, G_OPTION_ARG_NONE, &o->no_check, N_("Do not check the account after the change"), NULL },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &o->password_stdin, N_("For the check: read the password from standard input"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &o->ca_file, N_("Also trust the CA certificates in this PEM file"), N_("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &o->timeout, N_("Give up after this many seconds in all"), N_("SECONDS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  GOptionContext *context = g_option_context_new (_("fix ORIGIN:ID — change another mail "
                                                     "client’s account where it keeps it"));

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("The change is made in the client’s own configuration, only what is asked for, with a "
      "backup beside a changed file (FILE.outbox-doctor-backup-DATE-TIME). Thunderbird, "
      "Geary and KMail must be closed first. The account is then read again as the client "
      "reads it, shown, and checked as “check --account ORIGIN:ID” checks it.\n\n"
      "Exit status: 0 changed (and the check passed), 1 the change was refused or the check "
      "found a problem, 2 bad usage, a bad value or no such account, 3 internal error (the "
      "file could not be written), 130 interrupted."));
  return context;
}

/* The fix the options ask for, or FALSE with @status set. */
static gboolean
parse_fix (GOptionContext *context,
           Options        *options,
           OdFoundFix     *fix,
           int            *status)
{
  *fix = (OdFoundFix) { options->host, 0, OD_SECURITY_TLS, FALSE, options->user };
  if (options->port != 0 && (options->port < 1 || options->port > 65535))
    {
      *status = od_cli_usage_error (context, _("--port must be between 1 and 65535."));
      return FALSE;
    }
  fix->port = (guint16)options->port;
  if (options->security != NULL)
    {
      if (!od_security_from_string (options->security, &fix->security))
        {
          *status = od_cli_usage_error (context, _("--security must be tls, starttls or none."));
          return FALSE;
        }
      fix->set_security = TRUE;
    }
  if (od_found_fix_is_empty (fix))
    {
      *status = od_cli_usage_error (context, _("Say what to change: --host, --port, "
                                               "--security or --user."));
      return FALSE;
    }
  return od_cli_check_options (context, options->timeout, options->ca_file, status);
}

/* The exit status of a fix that was not made: a value that cannot be written is bad input,
 * a refusal (the client runs, a link, a read-only file, a setting kept elsewhere) a problem
 * for the person to solve, a file that could not be written an internal error. */
static int
fix_error_status (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
    return OD_CLI_EXIT_USAGE;
  if (error->domain == G_IO_ERROR)
    return OD_CLI_EXIT_PROBLEM;
  return OD_CLI_EXIT_INTERNAL;
}

static OdFoundAccount *
find (const char  *id,
      GPtrArray  **results)
{
  OdFoundAccount *found;

  *results = od_cli_find_accounts ();
  found = od_cli_found_lookup (*results, id);
  return found != NULL ? g_object_ref (found) : NULL;
}

static gboolean
same_server (OdAccount *a,
             OdAccount *b)
{
  return g_strcmp0 (od_account_get_host (a), od_account_get_host (b)) == 0
         && od_account_get_port (a) == od_account_get_port (b)
         && od_account_get_security (a) == od_account_get_security (b)
         && g_strcmp0 (od_account_get_username (a), od_account_get_username (b)) == 0;
}

static void
print_change (OdFoundAccount *before,
              OdFoundAccount *after,
              const char     *backup)
{
  const char *client = od_found_origin_get_name (od_found_account_get_origin (after));
  g_autofree char *path = od_text_sanitize (od_found_account_get_source_path (after), -1,
                                            OD_TEXT_SINGLE_LINE);

  if (same_server (od_found_account_get_account (before), od_found_account_get_account (after)))
    /* Translators: %s is a mail program */
    g_print (_("%s already has these settings: nothing was changed.\n"), client);
  else if (backup != NULL)
    {
      g_autofree char *shown = od_text_sanitize (backup, -1, OD_TEXT_SINGLE_LINE);

      /* Translators: two file names */
      g_print (_("Changed %s; the file as it was is kept as %s.\n"), path, shown);
    }
  else
    /* Translators: %s is a mail program */
    g_print (_("Changed in %s.\n"), client);
  /* Translators: %s is a mail program */
  g_print (_("The account as %s now reads it:\n"), client);
  od_cli_found_print_one (after);
}

static void
print_json (OdFoundAccount *before,
            OdFoundAccount *after,
            const char     *backup,
            JsonNode       *check)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, OD_REPORT_SCHEMA);
  json_builder_set_member_name (builder, "before");
  json_builder_add_value (builder, od_found_account_to_json (before));
  json_builder_set_member_name (builder, "after");
  json_builder_add_value (builder, od_found_account_to_json (after));
  json_builder_set_member_name (builder, "changed");
  json_builder_add_boolean_value (builder, !same_server (od_found_account_get_account (before),
                                                         od_found_account_get_account (after)));
  json_builder_set_member_name (builder, "backup");
  if (backup != NULL)
    json_builder_add_string_value (builder, backup);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "check");
  if (check != NULL)
    json_builder_add_value (builder, check);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  od_cli_print_json (json_builder_get_root (builder));
}

/* Checks @after unless asked not to, or it cannot be. Returns the exit status. */
static int
check_after (Options         *options,
             OdFoundAccount  *after,
             JsonNode       **report)
{
  if (options->no_check)
    return OD_CLI_EXIT_PASSED;
  if (!od_found_account_get_testable (after))
    {
      if (!options->json)
        g_print (_("\nNot checked: the account has no outgoing server or no sender address.\n"));
      return OD_CLI_EXIT_PASSED;
    }
  if (!options->json)
    g_print ("\n");
  return od_cli_check_found (after, options->ca_file, options->timeout,
                             options->password_stdin, options->json, report);
}

/**
 * od_cli_accounts_fix:
 * @argv: "accounts", options, "fix", the id, options
 *
 * "accounts fix ORIGIN:ID …".
 *
 * Returns: the exit status
 */
int
od_cli_accounts_fix (int    argc,
                     char **argv)
{
  g_auto(Options) options = { 0 };
  g_autoptr(GOptionContext) context = option_context_new (&options);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL, results_after = NULL;
  g_autoptr(OdFoundAccount) before = NULL, after = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autofree char *backup = NULL, *shown = NULL;
  OdFoundContext found_context = { g_get_home_dir (), g_get_user_config_dir (), NULL };
  OdFoundFix fix;
  int status = OD_CLI_EXIT_PASSED;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return od_cli_usage_error (context, error->message);
  if (argc != 3 || !g_str_equal (argv[1], "fix") || strchr (argv[2], ':') == NULL)
    return od_cli_usage_error (context, _("Give the id of one account another mail client "
                                          "keeps (ORIGIN:ID), as “accounts list” shows it."));
  if (!parse_fix (context, &options, &fix, &status))
    return status;

  shown = od_text_sanitize (argv[2], -1, OD_TEXT_SINGLE_LINE);
  before = find (argv[2], &results);
  if (before == NULL)
    {
      /* Translators: %s is an account id such as "msmtp:work" */
      g_autofree char *message = g_strdup_printf (_("No mail client on this computer has the "
                                                    "account “%s”: “accounts list” shows "
                                                    "those found."), shown);

      return od_cli_usage_error (NULL, message);
    }

  if (!od_found_fix_apply (&found_context, before, &fix, &backup, &error))
    {
      /* File names and link targets from the person's disk: shown without escapes. */
      g_autofree char *why = od_text_sanitize (error->message, -1, OD_TEXT_SINGLE_LINE);

      g_printerr ("outbox-doctor-cli: %s\n", why);
      return fix_error_status (error);
    }

  /* The account as the client reads it now: the whole search again, as "accounts show". */
  after = find (argv[2], &results_after);
  if (after == NULL)
    {
      g_printerr (_("outbox-doctor-cli: after the change, the account “%s” could not be read "
                    "again.\n"), shown);
      return OD_CLI_EXIT_INTERNAL;
    }

  if (!options.json)
    print_change (before, after, backup);
  status = check_after (&options, after, options.json ? &report : NULL);
  if (options.json)
    print_json (before, after, backup, g_steal_pointer (&report));
  return status;
}
