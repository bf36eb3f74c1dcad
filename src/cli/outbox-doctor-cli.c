/* outbox-doctor-cli.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbox-doctor-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "od-cli-common.h"

/* Each command lives in its own file, od-cli-NAME.c. */
static const struct {
  const char *name;
  int (*run) (int argc, char **argv);
} commands[] = {
  { "check", od_cli_command_check },
  { "detect", od_cli_command_detect },
  { "setup", od_cli_command_setup },
  { "accounts", od_cli_command_accounts },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s",
           _("Usage:\n"
             "  outbox-doctor-cli detect ADDRESS [OPTION…]\n"
             "  outbox-doctor-cli check --address ADDRESS [--host HOST] [OPTION…]\n"
             "  outbox-doctor-cli check --account ID [OPTION…]\n"
             "  outbox-doctor-cli setup ADDRESS [OPTION…]\n"
             "  outbox-doctor-cli accounts [list | show ID | remove ID] [--json]\n"
             "  outbox-doctor-cli accounts fix ORIGIN:ID [--host HOST] [--port PORT] [OPTION…]\n"
             "\n"
             "Find out why mail does not leave your outbox.\n"
             "\n"
             "Commands:\n"
             "  detect     Find the outgoing server for an address, and say where each\n"
             "             setting came from\n"
             "  check      Check the way to the outgoing server: network, name lookup,\n"
             "             connection, encryption, login, sender, recipient and message\n"
             "  setup      Find the server, verify the login, then save the account and put\n"
             "             the password in the keyring\n"
             "  accounts   List, show or remove saved accounts\n"
             "\n"
             "Options:\n"
             "  --help     Show this help, or “COMMAND --help” for a command’s options\n"
             "  --version  Show the version\n"));
}

int
main (int    argc,
      char **argv)
{
  const char *command;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname ("outbox-doctor-cli");

  if (argc < 2)
    {
      print_usage (stderr);
      return OD_CLI_EXIT_USAGE;
    }

  command = argv[1];

  if (g_str_equal (command, "--help") || g_str_equal (command, "-h") ||
      g_str_equal (command, "help"))
    {
      print_usage (stdout);
      return OD_CLI_EXIT_PASSED;
    }

  if (g_str_equal (command, "--version"))
    {
      g_print ("outbox-doctor-cli %s\n", PACKAGE_VERSION);
      return OD_CLI_EXIT_PASSED;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (command, commands[i].name))
        {
          g_autofree char *prgname = g_strdup_printf ("outbox-doctor-cli %s", command);

          g_set_prgname (prgname);
          return commands[i].run (argc - 1, argv + 1);
        }
    }

  g_printerr (_("outbox-doctor-cli: unknown command “%s”\n"), command);
  print_usage (stderr);
  return OD_CLI_EXIT_USAGE;
}
