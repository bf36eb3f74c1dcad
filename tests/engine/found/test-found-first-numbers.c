/* test-found-first-numbers.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* GLib 2.74 makes the C locale of its number parsers (g_ascii_string_to_unsigned() and the
 * g_ascii_strto*() under it) on first use behind a g_once. A reader thread that waited
 * there for another came back with errno set by the wait, and the parser took it for a
 * failure: msmtp's "port 587" was sometimes invalid (one cli-found run in a few hundred).
 * od_found_accounts_find_async() makes the locale before its readers run.
 *
 * The race only exists in a process that has not parsed a number yet, and g_test_init()
 * parses some: so this is a plain program (TAP by hand) that forks fresh children, each
 * running a search whose readers all parse a port at the same moment. Without the fix about
 * one child in fifty got "587" wrong; with it none may. */

#include "config.h"

#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "od-found-accounts.h"
#include "od-found-dotfile.h"

#define N_READERS  8
#define N_CHILDREN 300

static GMutex mutex;
static GCond cond;
static guint waiting;

/* Waits for the other readers (2 s at most), then parses a port as the file readers do. */
static gboolean
read_port (const OdFoundContext  *context,
           GPtrArray             *found,
           GError               **error)
{
  gint64 until = g_get_monotonic_time () + 2 * G_TIME_SPAN_SECOND;
  guint16 port = 0;

  g_mutex_lock (&mutex);
  waiting++;
  g_cond_broadcast (&cond);
  while (waiting < N_READERS && g_cond_wait_until (&cond, &mutex, until))
    ;
  g_mutex_unlock (&mutex);

  if (!od_found_dotfile_parse_port ("587", &port) || port != 587)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "“587” read as no port");
      return FALSE;
    }
  return TRUE;
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/* One search in this (fresh) process: 0 when every reader read its port. */
static int
child (void)
{
  OdFoundReaderInfo readers[N_READERS];
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;

  for (guint i = 0; i < N_READERS; i++)
    readers[i] = (OdFoundReaderInfo) { OD_ORIGIN_MSMTP, read_port };

  od_found_accounts_find_async (readers, N_READERS, "/nonexistent/home", NULL, 0, NULL,
                                done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  results = od_found_accounts_find_finish (result, NULL);

  for (guint i = 0; results != NULL && i < results->len; i++)
    if (((OdFoundResult *)g_ptr_array_index (results, i))->error != NULL)
      return 1;
  return results != NULL ? 0 : 1;
}

int
main (int   argc,
      char *argv[])
{
  guint failed = 0;

  printf ("1..1\n");
  fflush (stdout);

  for (guint i = 0; i < N_CHILDREN; i++)
    {
      pid_t pid = fork ();
      int status = 0;

      if (pid < 0)
        {
          printf ("Bail out! fork failed\n");
          return 1;
        }
      if (pid == 0)
        _exit (child ());
      if (waitpid (pid, &status, 0) != pid || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
        failed++;
    }

  if (failed > 0)
    printf ("not ok 1 - in %u of %u fresh processes a reader read “587” as no port\n",
            failed, N_CHILDREN);
  else
    printf ("ok 1 - in %u fresh processes every reader read its port\n", N_CHILDREN);
  return 0;
}
