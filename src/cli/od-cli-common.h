/* od-cli-common.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Exit status of the contract */
enum {
  OD_CLI_EXIT_PASSED   = 0,
  OD_CLI_EXIT_PROBLEM  = 1,
  OD_CLI_EXIT_USAGE    = 2,
  OD_CLI_EXIT_INTERNAL = 3,
};

#define OD_CLI_MAX_PASSWORD_LENGTH 4096

/* One sub-command: argv[0] is the command's name. Returns an exit status. */
int   od_cli_command_check       (int             argc,
                                  char          **argv);
int   od_cli_command_detect      (int             argc,
                                  char          **argv);
int   od_cli_command_setup       (int             argc,
                                  char          **argv);
int   od_cli_command_accounts    (int             argc,
                                  char          **argv);

/* check --address without --host: detection first (od-cli-detect.c). */
int   od_cli_detect_for_check    (const char     *address,
                                  const char     *ca_file,
                                  int             timeout,
                                  gboolean        json,
                                  char          **host,
                                  int            *port,
                                  char          **security,
                                  char          **user,
                                  JsonNode      **detection);

int   od_cli_usage_error         (GOptionContext *context,
                                  const char     *message);
char *od_cli_read_password_stdin (GError        **error);
char *od_cli_prompt_password     (const char     *user);
void  od_cli_free_password       (char           *password);
void  od_cli_run_loop            (GMainLoop      *loop,
                                  GCancellable   *cancellable);

G_END_DECLS
