/* test-found-fix-apps.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The fixers of the graphical clients' files: Thunderbird's prefs.js, Geary's geary.ini,
 * KMail's mailtransports. Each fix changes exactly the bytes the test names, leaves a
 * backup equal to the original, and is read back by the client's reader. A running client
 * is refused with a message and the file is untouched: Thunderbird's profile lock (the
 * "lock" link, the fcntl() lock on .parentlock held by another process), and for Geary and
 * KMail a stand-in process of the client's name (prctl(PR_SET_NAME), as /proc/PID/comm
 * shows it). */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "found-fix-test.h"
#include "od-found-geary.h"
#include "od-found-kmail.h"
#include "od-found-thunderbird.h"

/* A child process named @name (or holding an fcntl() write lock on @lock_path), until
 * stand_in_stop(). */
static pid_t
stand_in_start (const char *name,
                const char *lock_path)
{
  int ready[2];
  pid_t pid;
  char byte = 0;

  g_assert_cmpint (pipe (ready), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (ready[0]);
      if (name != NULL)
        prctl (PR_SET_NAME, name, 0, 0, 0);
      if (lock_path != NULL)
        {
          struct flock fl = { 0 };
          int fd = open (lock_path, O_RDWR | O_CREAT, 0644);

          fl.l_type = F_WRLCK;
          fl.l_whence = SEEK_SET;
          if (fd < 0 || fcntl (fd, F_SETLK, &fl) != 0)
            _exit (1);
        }
      if (write (ready[1], "x", 1) != 1)
        _exit (1);
      for (;;)
        pause ();
    }
  close (ready[1]);
  g_assert_cmpint (read (ready[0], &byte, 1), ==, 1);
  close (ready[0]);
  return pid;
}

static void
stand_in_stop (pid_t pid)
{
  int status = 0;

  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
}

/* A process id that was alive and is gone. */
static pid_t
dead_pid (void)
{
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (0);
  g_assert_cmpint (waitpid (pid, NULL, 0), ==, pid);
  return pid;
}

/* ------------------------------------------------------------------------------------------
 * Thunderbird
 * ------------------------------------------------------------------------------------------ */

#define TB_PROFILE ".thunderbird/x7k2p9qa.default-release"
#define TB_SMTP2 "thunderbird:x7k2p9qa.default-release/smtp2"

/* try_ssl changed in place; a port the server had none of added where Thunderbird's
 * sorted file has it, after the hostname. */
static void
test_thunderbird (void)
{
  g_autofree char *home = fix_test_home ("thunderbird", "home");
  g_autofree char *path = g_build_filename (home, TB_PROFILE, "prefs.js", NULL);
  g_autofree char *original = fix_test_read (path, NULL);
  g_autofree char *expected = NULL, *backup = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const OdFoundFix fix = { "smtp.work.example", 465, OD_SECURITY_TLS, TRUE, "ada@work" };
  const FixTestEdit edits[] = {
    { 60, "user_pref(\"mail.smtpserver.smtp2.hostname\", \"smtp.work.example\");",
      "user_pref(\"mail.smtpserver.smtp2.port\", 465);" },
    { 61, "user_pref(\"mail.smtpserver.smtp2.try_ssl\", 3);", NULL },
    { 62, "user_pref(\"mail.smtpserver.smtp2.username\", \"ada@work\");", NULL },
    { 0 }
  };

  g_assert_true (fix_test_apply (od_found_read_thunderbird, home, TB_SMTP2, &fix, &backup,
                                 &error));
  g_assert_no_error (error);
  expected = fix_test_expect (original, edits);
  fix_test_assert_bytes (path, expected);
  fix_test_assert_backup (backup, path, original);

  found = found_test_run (od_found_read_thunderbird, home, TRUE, NULL);
  found_test_assert_server (found_test_get (found, TB_SMTP2), "smtp.work.example", 465,
                            OD_SECURITY_TLS, "ada@work", "CRAM-MD5");
  found_test_assert_server (found_test_get (found, "thunderbird:x7k2p9qa.default-release/smtp1"),
                            "smtp.example.org", 465, OD_SECURITY_TLS, "ada@example.org", "PLAIN");
  found_test_remove_tree (home);
}

static void
assert_thunderbird_refused (const char *home,
                            const char *path,
                            const char *original)
{
  const OdFoundFix fix = { NULL, 2525, OD_SECURITY_TLS, FALSE, NULL };
  g_autofree char *backup = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (fix_test_apply (od_found_read_thunderbird, home, TB_SMTP2, &fix, &backup,
                                  &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "Thunderbird is running"));
  g_assert_null (backup);
  fix_test_assert_bytes (path, original);
  fix_test_assert_no_backup (path);
}

/* Thunderbird's profile lock: refused while it is held; a lock left by a crash is not. */
static void
test_thunderbird_running (void)
{
  g_autofree char *home = fix_test_home ("thunderbird", "home");
  g_autofree char *dir = g_build_filename (home, TB_PROFILE, NULL);
  g_autofree char *path = g_build_filename (dir, "prefs.js", NULL);
  g_autofree char *lock = g_build_filename (dir, "lock", NULL);
  g_autofree char *parentlock = g_build_filename (dir, ".parentlock", NULL);
  g_autofree char *original = fix_test_read (path, NULL);
  g_autofree char *alive = g_strdup_printf ("127.0.0.1:+%d", (int)getpid ());
  g_autofree char *gone = g_strdup_printf ("127.0.0.1:+%d", (int)dead_pid ());
  g_autoptr(GError) error = NULL;
  const OdFoundFix fix = { NULL, 2525, OD_SECURITY_TLS, FALSE, NULL };
  pid_t holder;

  /* Another process holds .parentlock, as a running Thunderbird does. */
  holder = stand_in_start (NULL, parentlock);
  assert_thunderbird_refused (home, path, original);
  stand_in_stop (holder);

  /* The "lock" link of a process that is alive. */
  g_assert_cmpint (symlink (alive, lock), ==, 0);
  assert_thunderbird_refused (home, path, original);
  g_assert_cmpint (g_unlink (lock), ==, 0);

  /* The old lock without "+" (no fcntl() lock possible): held whoever it names. */
  g_assert_cmpint (symlink ("127.0.0.1:1", lock), ==, 0);
  assert_thunderbird_refused (home, path, original);
  g_assert_cmpint (g_unlink (lock), ==, 0);

  /* Left by a Thunderbird that crashed: .parentlock is free, the process gone. */
  g_assert_cmpint (symlink (gone, lock), ==, 0);
  g_assert_true (fix_test_apply (od_found_read_thunderbird, home, TB_SMTP2, &fix, NULL,
                                 &error));
  g_assert_no_error (error);
  found_test_remove_tree (home);
}

/* ------------------------------------------------------------------------------------------
 * Geary
 * ------------------------------------------------------------------------------------------ */

#define GEARY_01 ".config/geary/account_01/geary.ini"

static void
test_geary (void)
{
  g_autofree char *home = fix_test_home ("geary", "home");
  g_autofree char *path = g_build_filename (home, GEARY_01, NULL);
  g_autofree char *original = fix_test_read (path, NULL);
  g_autofree char *expected = NULL, *backup = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const OdFoundFix fix = { "smtp2.example.org", 465, OD_SECURITY_TLS, TRUE, NULL };
  const OdFoundFix user = { NULL, 0, OD_SECURITY_TLS, FALSE, "bob" };
  const FixTestEdit edits[] = {
    { 33, "host=smtp2.example.org", NULL },
    { 34, "port=465", NULL },
    { 35, "transport_security=transport", NULL },
    { 0 }
  };

  g_assert_true (fix_test_apply (od_found_read_geary, home, "geary:account_01", &fix, &backup,
                                 &error));
  g_assert_no_error (error);
  expected = fix_test_expect (original, edits);
  fix_test_assert_bytes (path, expected);
  fix_test_assert_backup (backup, path, original);

  found = found_test_run (od_found_read_geary, home, TRUE, NULL);
  found_test_assert_server (found_test_get (found, "geary:account_01"), "smtp2.example.org",
                            465, OD_SECURITY_TLS, "ada", NULL);

  /* The outgoing server uses the incoming login: that is Geary's to change. */
  g_clear_pointer (&backup, g_free);
  g_assert_false (fix_test_apply (od_found_read_geary, home, "geary:account_01", &user,
                                  &backup, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_null (backup);
  fix_test_assert_bytes (path, expected);
  found_test_remove_tree (home);
}

static void
test_geary_running (void)
{
  g_autofree char *home = fix_test_home ("geary", "home");
  g_autofree char *path = g_build_filename (home, GEARY_01, NULL);
  g_autofree char *original = fix_test_read (path, NULL);
  g_autofree char *backup = NULL;
  g_autoptr(GError) error = NULL;
  const OdFoundFix fix = { NULL, 465, OD_SECURITY_TLS, FALSE, NULL };
  static const char * const names[] = { "geary", NULL };
  pid_t geary = stand_in_start ("geary", NULL);

  g_assert_true (od_fix_process_running (names));
  g_assert_false (fix_test_apply (od_found_read_geary, home, "geary:account_01", &fix, &backup,
                                  &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "Geary is running"));
  g_assert_null (backup);
  stand_in_stop (geary);
  fix_test_assert_bytes (path, original);
  fix_test_assert_no_backup (path);
  found_test_remove_tree (home);
}

/* ------------------------------------------------------------------------------------------
 * KMail
 * ------------------------------------------------------------------------------------------ */

static void
test_kmail (void)
{
  g_autofree char *home = fix_test_home ("kmail", "home");
  g_autofree char *path = g_build_filename (home, ".config", "mailtransports", NULL);
  g_autofree char *original = fix_test_read (path, NULL);
  g_autofree char *expected = NULL, *backup = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const OdFoundFix work = { NULL, 465, OD_SECURITY_TLS, TRUE, "DOMAIN\\ada" };
  const OdFoundFix relay = { "relay2.example.net", 0, OD_SECURITY_TLS, FALSE, "bob" };
  const FixTestEdit edits[] = {
    { 21, "encryption=SSL", NULL },
    { 26, "port=465", NULL },
    { 29, "user=DOMAIN\\\\ada", NULL },
    { 34, "host=relay2.example.net", NULL },
    { 36, NULL, "user=bob" },
    { 0 }
  };

  g_assert_true (fix_test_apply (od_found_read_kmail, home, "kmail:523458203", &work, &backup,
                                 &error));
  g_assert_no_error (error);
  fix_test_assert_backup (backup, path, original);
  g_assert_true (fix_test_apply (od_found_read_kmail, home, "kmail:77", &relay, NULL, &error));
  g_assert_no_error (error);
  expected = fix_test_expect (original, edits);
  fix_test_assert_bytes (path, expected);

  found = found_test_run (od_found_read_kmail, home, TRUE, NULL);
  found_test_assert_server (found_test_get (found, "kmail:523458203"), "mail.work.example.com",
                            465, OD_SECURITY_TLS, "DOMAIN\\ada", "LOGIN");
  found_test_assert_server (found_test_get (found, "kmail:77"), "relay2.example.net", 465,
                            OD_SECURITY_NONE, "bob", OD_ACCOUNT_AUTH_NONE);
  found_test_remove_tree (home);
}

/* KMail (or Kontact) running, and a key KConfig locks: refused, untouched. */
static void
test_kmail_refused (void)
{
  g_autofree char *home = fix_test_home ("kmail", "home");
  g_autofree char *path = g_build_filename (home, ".config", "mailtransports", NULL);
  g_autofree char *original = fix_test_read (path, NULL);
  g_autofree char *backup = NULL;
  GError *error = NULL;
  const OdFoundFix port = { NULL, 2525, OD_SECURITY_TLS, FALSE, NULL };
  const OdFoundFix user = { NULL, 0, OD_SECURITY_TLS, FALSE, "bob" };
  const char *names[] = { "kmail", "kontact" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      pid_t kmail = stand_in_start (names[i], NULL);

      g_assert_false (fix_test_apply (od_found_read_kmail, home, "kmail:523458203", &port,
                                      &backup, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
      g_assert_nonnull (strstr (error->message, "KMail is running"));
      g_clear_error (&error);
      stand_in_stop (kmail);
    }

  /* user[$i]=…: locked by the administrator. */
  g_assert_false (fix_test_apply (od_found_read_kmail, home, "kmail:101", &user, &backup,
                                  &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (backup);
  fix_test_assert_bytes (path, original);
  fix_test_assert_no_backup (path);
  found_test_remove_tree (home);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/found-fix-apps/thunderbird", test_thunderbird);
  g_test_add_func ("/od/found-fix-apps/thunderbird/running", test_thunderbird_running);
  g_test_add_func ("/od/found-fix-apps/geary", test_geary);
  g_test_add_func ("/od/found-fix-apps/geary/running", test_geary_running);
  g_test_add_func ("/od/found-fix-apps/kmail", test_kmail);
  g_test_add_func ("/od/found-fix-apps/kmail/refused", test_kmail_refused);

  return g_test_run ();
}
