/* test-found-fix-files.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the file fixers share (od-found-fix-files.c): splices that keep every other byte and
 * each line's own end, URLs rebuilt with every other part kept, values refused before they
 * reach a file, files refused before they are written (a link, a folder, a read-only file,
 * not text), the backup and the atomic replacement with the file's mode, a file changed in
 * between, and the look for a running client. */

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "found-fix-test.h"

static char *
render (OdFixText *text)
{
  return od_fix_text_render (text, NULL);
}

static void
test_text (void)
{
  g_autoptr(OdFixText) crlf = od_fix_text_new ("a\r\nb = 1\r\nc", 11);
  g_autoptr(OdFixText) lf = od_fix_text_new ("x\n", 2);
  g_autoptr(OdFixText) empty = od_fix_text_new ("", 0);
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *line = NULL;

  g_assert_cmpuint (od_fix_text_get_n_lines (crlf), ==, 3);
  line = od_fix_text_dup_line (crlf, 1);
  g_assert_cmpstr (line, ==, "b = 1");
  g_assert_cmpuint (od_fix_text_line_at (crlf, 5), ==, 1);
  g_assert_cmpuint (od_fix_text_line_at (crlf, 10), ==, 2);
  /* A value replaced, a line after the last one (which has no line end), one at the top. */
  od_fix_text_splice (crlf, 7, 1, "22");
  od_fix_text_insert_line_after (crlf, 2, "d");
  od_fix_text_insert_line_after (crlf, 2, "e");
  od_fix_text_insert_line_before (crlf, 0, "top");
  a = render (crlf);
  g_assert_cmpstr (a, ==, "top\r\na\r\nb = 22\r\nc\r\nd\r\ne");

  od_fix_text_insert_line_after (lf, 0, "y");
  b = render (lf);
  g_assert_cmpstr (b, ==, "x\ny\n");
  od_fix_text_insert_line_after (empty, 0, "first");
  c = render (empty);
  g_assert_cmpstr (c, ==, "first\n");
}

static void
test_url (void)
{
  const OdFoundFix fix = { NULL, 587, OD_SECURITY_TLS, FALSE, "bob@example.org" };
  const OdFoundFix host = { "::1", 0, OD_SECURITY_TLS, FALSE, NULL };
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  g_autoptr(GError) error = NULL;

  /* The password, the path and the query stay as they were written. */
  a = od_fix_url ("smtps://ada%40example.org:p%2Fw@smtp.example.org/path?x=1", "smtp", &fix,
                  &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, "smtp://bob%40example.org:p%2Fw@smtp.example.org:587/path?x=1");
  b = od_fix_url ("smtp+login://ada@smtp.example.org:25", NULL, &host, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b, ==, "smtp+login://ada@[::1]:25");
  c = od_fix_url ("not a url", NULL, &host, &error);
  g_assert_null (c);
  g_assert_nonnull (error);
}

static void
test_validate (void)
{
  const char *bad_hosts[] = { "", "smtp.example.org\nhost evil", "smtp example", "a\tb",
                              "smtp.example.org;", "\"x\"" };
  const char *bad_users[] = { "", "ada\nauth off", "ada\r", "ada\033[31m", "ada\u202Eevil",
                              "a\tb" };
  const OdFoundFix good = { "smtp.example.org", 587, OD_SECURITY_NONE, TRUE, "ada lovelace" };
  GError *error = NULL;

  g_assert_true (od_fix_validate (&good, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (bad_hosts); i++)
    {
      OdFoundFix fix = { bad_hosts[i], 0, OD_SECURITY_TLS, FALSE, NULL };

      g_assert_false (od_fix_validate (&fix, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      /* The message shows the value without its control characters. */
      g_assert_null (strchr (error->message, '\n'));
      g_clear_error (&error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_users); i++)
    {
      OdFoundFix fix = { NULL, 0, OD_SECURITY_TLS, FALSE, bad_users[i] };

      g_assert_false (od_fix_validate (&fix, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_null (strchr (error->message, '\033'));
      g_clear_error (&error);
    }
}

/* What is not loaded for a fix: a link, a folder, a read-only file, a missing one, binary
 * data. */
static void
test_load_refused (void)
{
  g_autofree char *home = found_test_temp_home ("rc", "host smtp.example.org\n", -1);
  g_autofree char *rc = g_build_filename (home, "rc", NULL);
  g_autofree char *link = g_build_filename (home, "link", NULL);
  g_autofree char *binary = g_build_filename (home, "binary", NULL);
  g_autofree char *missing = g_build_filename (home, "missing", NULL);
  g_autofree char *contents = NULL;
  GError *error = NULL;
  GStatBuf st;
  gsize length = 0;

  g_assert_true (od_fix_load_file (rc, &contents, &length, &st, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "host smtp.example.org\n");
  g_clear_pointer (&contents, g_free);

  g_assert_cmpint (symlink ("rc", link), ==, 0);
  g_assert_false (od_fix_load_file (link, &contents, &length, &st, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_nonnull (strstr (error->message, "symbolic link (to rc)"));
  g_clear_error (&error);

  g_assert_false (od_fix_load_file (home, &contents, &length, &st, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_clear_error (&error);

  g_assert_false (od_fix_load_file (missing, &contents, &length, &st, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (binary, "a\0b", 3, NULL));
  g_assert_false (od_fix_load_file (binary, &contents, &length, &st, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_cmpint (g_chmod (rc, 0400), ==, 0);
  g_assert_false (od_fix_load_file (rc, &contents, &length, &st, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_null (contents);
  found_test_remove_tree (home);
}

/* The new file has the old one's mode; the backups keep each version; a file changed
 * between reading and writing is not overwritten. */
static void
test_replace (void)
{
  g_autofree char *home = found_test_temp_home ("rc", "one\n", -1);
  g_autofree char *rc = g_build_filename (home, "rc", NULL);
  g_autofree char *contents = NULL, *first = NULL, *second = NULL, *third = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st, now;
  gsize length = 0;

  g_assert_cmpint (g_chmod (rc, 0640), ==, 0);
  g_assert_true (od_fix_load_file (rc, &contents, &length, &st, &error));
  g_assert_true (od_fix_replace_file (rc, &st, contents, length, "two\n", 4, &first, &error));
  g_assert_no_error (error);
  fix_test_assert_bytes (rc, "two\n");
  fix_test_assert_backup (first, rc, "one\n");
  g_assert_cmpint (g_stat (rc, &now), ==, 0);
  g_assert_cmpint (now.st_mode & 07777, ==, 0640);
  g_clear_pointer (&contents, g_free);

  /* Again within the same second: a second backup beside the first. */
  g_assert_true (od_fix_load_file (rc, &contents, &length, &st, &error));
  g_assert_true (od_fix_replace_file (rc, &st, contents, length, "three", 5, &second, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (first, !=, second);
  fix_test_assert_backup (second, rc, "two\n");
  fix_test_assert_bytes (first, "one\n");
  g_clear_pointer (&contents, g_free);

  /* Changed by someone else after it was read. */
  g_assert_true (od_fix_load_file (rc, &contents, &length, &st, &error));
  g_assert_true (g_file_set_contents (rc, "theirs, longer", -1, NULL));
  g_assert_false (od_fix_replace_file (rc, &st, contents, length, "ours", 4, &third, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG);
  g_assert_null (third);
  fix_test_assert_bytes (rc, "theirs, longer");
  found_test_remove_tree (home);
}

static void
test_process (void)
{
  static const char * const names[] = { "od-fix-standin", NULL };
  static const char * const nobody[] = { "od-no-such-name", NULL };
  int ready[2];
  char byte;
  pid_t pid;

  g_assert_false (od_fix_process_running (nobody));
  g_assert_false (od_fix_process_running (names));
  g_assert_cmpint (pipe (ready), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      prctl (PR_SET_NAME, "od-fix-standin", 0, 0, 0);
      if (write (ready[1], "x", 1) != 1)
        _exit (1);
      for (;;)
        pause ();
    }
  g_assert_cmpint (read (ready[0], &byte, 1), ==, 1);
  g_assert_true (od_fix_process_running (names));
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_assert_false (od_fix_process_running (names));
  close (ready[0]);
  close (ready[1]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/found-fix-files/text", test_text);
  g_test_add_func ("/od/found-fix-files/url", test_url);
  g_test_add_func ("/od/found-fix-files/validate", test_validate);
  g_test_add_func ("/od/found-fix-files/load-refused", test_load_refused);
  g_test_add_func ("/od/found-fix-files/replace", test_replace);
  g_test_add_func ("/od/found-fix-files/process", test_process);

  return g_test_run ();
}
