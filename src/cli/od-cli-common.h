/* od-cli-common.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "od-types.h"

G_BEGIN_DECLS

/* Exit status of the contract; a command stopped by Ctrl+C or SIGTERM exits as shells report
 * a command killed by SIGINT. */
enum {
  OD_CLI_EXIT_PASSED    = 0,
  OD_CLI_EXIT_PROBLEM   = 1,
  OD_CLI_EXIT_USAGE     = 2,
  OD_CLI_EXIT_INTERNAL  = 3,
  OD_CLI_EXIT_CANCELLED = 130,
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

int   od_cli_usage_error         (GOptionContext *context,
                                  const char     *message);
int   od_cli_error_status        (const GError   *error);
gboolean od_cli_check_options    (GOptionContext *context,
                                  int             timeout,
                                  const char     *ca_file,
                                  int            *status);
gboolean od_cli_parse_server     (GOptionContext *context,
                                  const char     *security_str,
                                  int            *port,
                                  OdSecurity     *security,
                                  int            *status);
gboolean od_cli_parse_incoming_server (GOptionContext *context,
                                       const char     *prefix,
                                       const char     *protocol_str,
                                       const char     *security_str,
                                       int            *port,
                                       OdProtocol     *protocol,
                                       OdSecurity     *security,
                                       int            *status);
gboolean od_cli_check_accept_server (GOptionContext *context,
                                     const char     *accept,
                                     int            *status);
gboolean od_cli_confirm_server   (const char     *accept,
                                  const char     *host,
                                  guint16         port,
                                  const char     *why,
                                  gboolean        interactive);
void  od_cli_print_unconfirmed_note (const char *why);
char *od_cli_read_password_stdin (GError        **error);
char *od_cli_prompt_password     (const char     *user);
void  od_cli_free_password       (char           *password);
void  od_cli_run_loop            (GMainLoop      *loop,
                                  GCancellable   *cancellable);

/* Waiting for one asynchronous operation, Ctrl+C cancelling it:
 *
 *   g_auto(OdCliWait) wait = { 0 };
 *   od_check_run_async (check, cancellable, od_cli_wait_cb, &wait);
 *   verdict = od_check_run_finish (check, od_cli_wait (&wait, cancellable), &error);
 */
typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} OdCliWait;

void          od_cli_wait_cb    (GObject        *object,
                                 GAsyncResult   *result,
                                 gpointer        user_data);
GAsyncResult *od_cli_wait       (OdCliWait      *wait,
                                 GCancellable   *cancellable);
void          od_cli_wait_clear (OdCliWait      *wait);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OdCliWait, od_cli_wait_clear)

G_END_DECLS
