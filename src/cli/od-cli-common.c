/* od-cli-common.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbox-doctor-cli"

#include "config.h"

#include <signal.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "od-cli-common.h"
#include "od-smtp-reply.h"
#include "od-tls-info.h"

int
od_cli_usage_error (GOptionContext *context,
                    const char     *message)
{
  g_printerr ("outbox-doctor-cli: %s\n", message);
  if (context != NULL)
    g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
  return OD_CLI_EXIT_USAGE;
}

/* The exit status for an error that ended a command: a cancel by the user (Ctrl+C, SIGTERM)
 * is 130, a malformed address bad input, anything else internal. */
int
od_cli_error_status (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return OD_CLI_EXIT_CANCELLED;

  if (g_error_matches (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT))
    return OD_CLI_EXIT_USAGE;

  return OD_CLI_EXIT_INTERNAL;
}

/* The options every command that talks to a server shares. Returns FALSE with @status set
 * after printing what is wrong. */
gboolean
od_cli_check_options (GOptionContext *context,
                      int             timeout,
                      const char     *ca_file,
                      int            *status)
{
  g_autoptr(GError) error = NULL;

  if (timeout < 0 || timeout > 24 * 3600)
    {
      *status = od_cli_usage_error (context, _("--timeout must be a number of seconds."));
      return FALSE;
    }

  if (ca_file != NULL && !g_file_test (ca_file, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *message = g_strdup_printf (_("The CA file “%s” does not exist."), ca_file);

      *status = od_cli_usage_error (NULL, message);
      return FALSE;
    }

  /* A file that cannot be used would leave certificates unchecked: bad input, before
   * anything connects. */
  if (ca_file != NULL && !od_tls_ca_file_check (ca_file, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s says what is wrong with the file, such as "“ca.der” holds no PEM
       * certificate" */
      message = g_strdup_printf (_("The CA file cannot be used: %s. Give a file of certificates "
                                   "in PEM format (“-----BEGIN CERTIFICATE-----”)."),
                                 error->message);
      *status = od_cli_usage_error (NULL, message);
      return FALSE;
    }

  return TRUE;
}

/* --security and --port of a server given by hand: the security defaults to TLS on port 465
 * and STARTTLS elsewhere, the port to 465 for TLS and 587 otherwise. Returns FALSE with
 * @status set after printing what is wrong. */
gboolean
od_cli_parse_server (GOptionContext *context,
                     const char     *security_str,
                     int            *port,
                     OdSecurity     *security,
                     int            *status)
{
  if (security_str != NULL && !od_security_from_string (security_str, security))
    {
      *status = od_cli_usage_error (context, _("--security must be tls, starttls or none."));
      return FALSE;
    }
  if (security_str == NULL)
    *security = *port == 465 ? OD_SECURITY_TLS : OD_SECURITY_STARTTLS;

  if (*port == 0)
    *port = *security == OD_SECURITY_TLS ? 465 : 587;

  if (*port < 1 || *port > 65535)
    {
      *status = od_cli_usage_error (context, _("--port must be between 1 and 65535."));
      return FALSE;
    }

  return TRUE;
}

/* An incoming server's options (named --PREFIXprotocol and so on). The protocol is @protocol_str, else the port's (993 and 143
 * IMAP, 995 and 110 POP3), else IMAP; the encryption @security_str, else TLS unless the
 * port is 143 or 110; the port, when 0, the protocol's for the encryption. Returns FALSE
 * with @status set. */
gboolean
od_cli_parse_incoming_server (GOptionContext *context,
                              const char     *prefix,
                              const char     *protocol_str,
                              const char     *security_str,
                              int            *port,
                              OdProtocol     *protocol,
                              OdSecurity     *security,
                              int            *status)
{
  *protocol = od_protocol_for_incoming_port (*port);
  if (protocol_str != NULL &&
      (!od_protocol_from_string (protocol_str, protocol) || !od_protocol_is_incoming (*protocol)))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is empty or "incoming-": "--incoming-protocol must be …" */
      message = g_strdup_printf (_("--%sprotocol must be imap or pop3."), prefix);
      *status = od_cli_usage_error (context, message);
      return FALSE;
    }

  if (security_str != NULL && !od_security_from_string (security_str, security))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is empty or "incoming-": "--incoming-security must be …" */
      message = g_strdup_printf (_("--%ssecurity must be tls, starttls or none."), prefix);
      *status = od_cli_usage_error (context, message);
      return FALSE;
    }
  if (security_str == NULL)
    *security = *port == 143 || *port == 110 ? OD_SECURITY_STARTTLS : OD_SECURITY_TLS;

  if (*port == 0)
    *port = *protocol == OD_PROTOCOL_POP3 ? (*security == OD_SECURITY_TLS ? 995 : 110)
                                          : (*security == OD_SECURITY_TLS ? 993 : 143);
  if (*port < 1 || *port > 65535)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is empty or "incoming-": "--incoming-port must be …" */
      message = g_strdup_printf (_("--%sport must be between 1 and 65535."), prefix);
      *status = od_cli_usage_error (context, message);
      return FALSE;
    }

  return TRUE;
}

/* Reads the password from standard input: one line, without its line ending. Spaces are
 * kept, as they may be part of the password; the checklist warns about them instead. */
char *
od_cli_read_password_stdin (GError **error)
{
  g_autofree char *buf = g_malloc0 (OD_CLI_MAX_PASSWORD_LENGTH + 2);
  size_t len = 0;
  int c;

  while ((c = getchar ()) != EOF && c != '\n')
    {
      if (len >= OD_CLI_MAX_PASSWORD_LENGTH)
        {
          memset (buf, 0, len);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The password on standard input is longer than %d characters."),
                       OD_CLI_MAX_PASSWORD_LENGTH);
          return NULL;
        }
      buf[len++] = c;
    }

  if (len > 0 && buf[len - 1] == '\r')
    buf[--len] = '\0';

  if (len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("--password-stdin was given, but standard input holds no password."));
      return NULL;
    }

  if (!g_utf8_validate (buf, len, NULL))
    {
      memset (buf, 0, len);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The password on standard input is not valid UTF-8 text."));
      return NULL;
    }

  return g_steal_pointer (&buf);
}

/* While echo is off: the terminal's settings to go back to, for the signal handler. */
static struct termios prompt_saved_termios;

static const int prompt_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

/* Ctrl+C (or a kill) at the password prompt must not leave the terminal without echo. Only
 * async-signal-safe calls: put the terminal back, then die of the same signal as if this
 * handler had never been there (the signal is blocked while the handler runs, so it is
 * delivered with the default action as soon as the handler returns). */
static void
prompt_signal_handler (int signum)
{
  int saved_errno = errno;
  struct sigaction dfl;

  tcsetattr (STDIN_FILENO, TCSANOW, &prompt_saved_termios);
  (void) !write (STDOUT_FILENO, "\n", 1);

  memset (&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset (&dfl.sa_mask);
  sigaction (signum, &dfl, NULL);
  raise (signum);

  errno = saved_errno;
}

/* Asks for the password on the terminal, without echo. */
char *
od_cli_prompt_password (const char *user)
{
  struct sigaction previous[G_N_ELEMENTS (prompt_signals)];
  struct sigaction handler;
  struct termios quiet;
  char *password;
  gboolean restore;

  /* Translators: %s is a user name */
  g_print (_("Password for %s (leave empty to skip the login): "), user);
  fflush (stdout);

  restore = tcgetattr (STDIN_FILENO, &prompt_saved_termios) == 0;
  if (restore)
    {
      /* The handlers first: from the moment echo is off, a signal puts it back. */
      memset (&handler, 0, sizeof handler);
      handler.sa_handler = prompt_signal_handler;
      sigemptyset (&handler.sa_mask);
      for (guint i = 0; i < G_N_ELEMENTS (prompt_signals); i++)
        sigaddset (&handler.sa_mask, prompt_signals[i]);
      for (guint i = 0; i < G_N_ELEMENTS (prompt_signals); i++)
        sigaction (prompt_signals[i], &handler, &previous[i]);

      quiet = prompt_saved_termios;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }

  password = od_cli_read_password_stdin (NULL);

  if (restore)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &prompt_saved_termios);
      for (guint i = 0; i < G_N_ELEMENTS (prompt_signals); i++)
        sigaction (prompt_signals[i], &previous[i], NULL);
    }
  g_print ("\n");

  return password;
}

/* Overwrites the password before freeing it, so it does not linger in freed memory. */
void
od_cli_free_password (char *password)
{
  if (password == NULL)
    return;

  memset (password, 0, strlen (password));
  g_free (password);
}

static gboolean
interrupt_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_CONTINUE;
}

/* Runs @loop until something quits it; Ctrl+C or SIGTERM cancels @cancellable meanwhile, so
 * the running operation ends cleanly (sockets closed, nothing half saved). */
void
od_cli_run_loop (GMainLoop    *loop,
                 GCancellable *cancellable)
{
  guint sigint_id = g_unix_signal_add (SIGINT, interrupt_cb, cancellable);
  guint sigterm_id = g_unix_signal_add (SIGTERM, interrupt_cb, cancellable);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
}

void
od_cli_wait_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  OdCliWait *wait = user_data;

  g_assert (wait->result == NULL);
  wait->result = g_object_ref (result);
  if (wait->loop != NULL)
    g_main_loop_quit (wait->loop);
}

/**
 * od_cli_wait:
 *
 * Runs the main loop until the operation that was given od_cli_wait_cb() and @wait has
 * finished; Ctrl+C and SIGTERM cancel @cancellable meanwhile.
 *
 * Returns: (transfer none): the operation's result, for its _finish() function
 */
GAsyncResult *
od_cli_wait (OdCliWait    *wait,
             GCancellable *cancellable)
{
  if (wait->result == NULL)
    {
      wait->loop = g_main_loop_new (NULL, FALSE);
      od_cli_run_loop (wait->loop, cancellable);
    }

  g_assert (wait->result != NULL);
  return wait->result;
}

void
od_cli_wait_clear (OdCliWait *wait)
{
  g_clear_pointer (&wait->loop, g_main_loop_unref);
  g_clear_object (&wait->result);
}
