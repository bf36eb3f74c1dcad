/* test-found-fix-dotfiles.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The fixers of the terminal clients' files: msmtp, git send-email, NeoMutt and aerc. Each
 * fix must change exactly the bytes the test names (every other byte of the file, its line
 * ends and its last line end or the lack of one, as they were), leave a backup equal to the
 * original, and be read back by the client's reader with the new values; where Debian has
 * the client's own tool (msmtp, git, neomutt), the tool reads the fixed file too. A symbolic
 * link, a read-only file and a value with a line break are refused, and nothing is
 * written. */

#include "config.h"

#include <unistd.h>

#include "found-fix-test.h"
#include "od-found-aerc.h"
#include "od-found-git.h"
#include "od-found-msmtp.h"
#include "od-found-neomutt.h"

/* ------------------------------------------------------------------------------------------
 * msmtp
 * ------------------------------------------------------------------------------------------ */

/* A value of the account's own block is changed there; one it takes from "defaults" is
 * added to its block, the defaults' line untouched; the account that inherits follows. */
static void
test_msmtp_own_and_inherited (void)
{
  g_autofree char *home = fix_test_home ("msmtp", "fix");
  g_autofree char *path = g_build_filename (home, ".msmtprc", NULL);
  g_autofree char *original = fix_test_read (path, NULL);
  g_autofree char *expected = NULL, *backup = NULL, *pretend = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const OdFoundFix fix = { "smtp2.example.org", 2525, OD_SECURITY_TLS, FALSE, NULL };
  const FixTestEdit edits[] = {
    { 10, "host           smtp2.example.org", NULL },
    { 12, NULL, "port           2525" },
    { 0 }
  };
  const char *argv[] = { "msmtp", "-C", path, "--pretend", "--account=work", NULL };

  g_assert_true (fix_test_apply (od_found_msmtp_read, home, "msmtp:work", &fix, &backup,
                                 &error));
  g_assert_no_error (error);
  expected = fix_test_expect (original, edits);
  fix_test_assert_bytes (path, expected);
  fix_test_assert_backup (backup, path, original);

  found = found_test_run (od_found_msmtp_read, home, TRUE, NULL);
  found_test_assert_server (found_test_get (found, "msmtp:work"), "smtp2.example.org", 2525,
                            OD_SECURITY_STARTTLS, "ada", NULL);
  found_test_assert_server (found_test_get (found, "msmtp:work-copy"), "smtp2.example.org",
                            2525, OD_SECURITY_STARTTLS, "ada", NULL);
  found_test_assert_server (found_test_get (found, "msmtp:plain"), "relay.example.net", 587,
                            OD_SECURITY_NONE, NULL, OD_ACCOUNT_AUTH_NONE);

  pretend = fix_test_run_tool (argv, home);
  if (pretend == NULL)
    g_test_message ("msmtp is not installed: the file was not read by msmtp itself");
  else
    {
      g_assert_nonnull (strstr (pretend, "\nhost = smtp2.example.org\n"));
      g_assert_nonnull (strstr (pretend, "\nport = 2525\n"));
    }
  found_test_remove_tree (home);
}

/* An account that takes its user from another gets its own "user" line; the other keeps
 * its own. */
static void
test_msmtp_inherited_account (void)
{
  g_autofree char *home = fix_test_home ("msmtp", "fix");
  g_autofree char *path = g_build_filename (home, ".msmtprc", NULL);
  g_autofree char *original = fix_test_read (path, NULL);
  g_autofree char *expected = NULL, *backup = NULL, *pretend = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const OdFoundFix fix = { NULL, 0, OD_SECURITY_TLS, FALSE, "ada copy" };
  const FixTestEdit edits[] = { { 17, NULL, "user           \"ada copy\"" }, { 0 } };
  const char *argv[] = { "msmtp", "-C", path, "--pretend", "--account=work-copy", NULL };

  g_assert_true (fix_test_apply (od_found_msmtp_read, home, "msmtp:work-copy", &fix, &backup,
                                 &error));
  g_assert_no_error (error);
  expected = fix_test_expect (original, edits);
  fix_test_assert_bytes (path, expected);
  fix_test_assert_backup (backup, path, original);

  found = found_test_run (od_found_msmtp_read, home, TRUE, NULL);
  found_test_assert_server (found_test_get (found, "msmtp:work-copy"), "smtp.example.org", 587,
                            OD_SECURITY_STARTTLS, "ada copy", NULL);
  found_test_assert_server (found_test_get (found, "msmtp:work"), "smtp.example.org", 587,
                            OD_SECURITY_STARTTLS, "ada", NULL);

  pretend = fix_test_run_tool (argv, home);
  if (pretend != NULL)
    g_assert_nonnull (strstr (pretend, "\nuser = ada copy\n"));
  found_test_remove_tree (home);
}

/* TLS from the first byte: "tls on" where it said off, and tls_starttls off added; the
 * port the defaults give stays. */
static void
test_msmtp_security (void)
{
  g_autofree char *home = fix_test_home ("msmtp", "fix");
  g_autofree char *path = g_build_filename (home, ".msmtprc", NULL);
  g_autofree char *original = fix_test_read (path, NULL);
  g_autofree char *expected = NULL, *backup = NULL, *pretend = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const OdFoundFix fix = { NULL, 0, OD_SECURITY_TLS, TRUE, NULL };
  const FixTestEdit edits[] = {
    { 22, "tls            on", NULL },
    { 24, NULL, "tls_starttls   off" },
    { 0 }
  };
  const char *argv[] = { "msmtp", "-C", path, "--pretend", "--account=plain", NULL };

  g_assert_true (fix_test_apply (od_found_msmtp_read, home, "msmtp:plain", &fix, &backup,
                                 &error));
  g_assert_no_error (error);
  expected = fix_test_expect (original, edits);
  fix_test_assert_bytes (path, expected);
  fix_test_assert_backup (backup, path, original);

  found = found_test_run (od_found_msmtp_read, home, TRUE, NULL);
  found_test_assert_server (found_test_get (found, "msmtp:plain"), "relay.example.net", 587,
                            OD_SECURITY_TLS, NULL, OD_ACCOUNT_AUTH_NONE);
  pretend = fix_test_run_tool (argv, home);
  if (pretend != NULL)
    {
      g_assert_nonnull (strstr (pretend, "\ntls = on\n"));
      g_assert_nonnull (strstr (pretend, "\ntls_starttls = off\n"));
      g_assert_nonnull (strstr (pretend, "\nport = 587\n"));
    }
  found_test_remove_tree (home);
}

/* A link is never written through, a read-only file never changed, a value with a line
 * break never written: the file stays as it was, no backup is made. */
/* A user name with a backslash, a quote and a blank: written in quotes without escapes, as
 * msmtp 1.8 reads them, so that our reader and msmtp itself both read it back as given. */
static void
test_msmtp_quotes (void)
{
  g_autofree char *home = fix_test_home ("msmtp", "fix");
  g_autofree char *path = g_build_filename (home, ".msmtprc", NULL);
  g_autofree char *pretend = NULL;
  g_autofree char *written = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const char *user = "CORP\\ada \"the\" countess";
  const OdFoundFix fix = { NULL, 0, OD_SECURITY_TLS, FALSE, (char *)user };
  const char *argv[] = { "msmtp", "-C", path, "--pretend", "--account=work", NULL };

  g_assert_true (fix_test_apply (od_found_msmtp_read, home, "msmtp:work", &fix, NULL, &error));
  g_assert_no_error (error);
  written = fix_test_read (path, NULL);
  g_assert_nonnull (strstr (written, "\"CORP\\ada \"the\" countess\""));

  found = found_test_run (od_found_msmtp_read, home, TRUE, NULL);
  g_assert_cmpstr (od_account_get_username (od_found_account_get_account (found_test_get (found, "msmtp:work"))),
                   ==, user);
  pretend = fix_test_run_tool (argv, home);
  if (pretend != NULL)
    g_assert_nonnull (strstr (pretend, "\nuser = CORP\\ada \"the\" countess\n"));
  found_test_remove_tree (home);
}

static void
test_msmtp_refused (void)
{
  g_autofree char *home = fix_test_home ("msmtp", "fix");
  g_autofree char *path = g_build_filename (home, ".msmtprc", NULL);
  g_autofree char *real = g_build_filename (home, "dotfiles-msmtprc", NULL);
  g_autofree char *original = fix_test_read (path, NULL);
  const OdFoundFix port = { NULL, 2525, OD_SECURITY_TLS, FALSE, NULL };
  const OdFoundFix host_nl = { "smtp.example.org\npasswordeval rm", 0, OD_SECURITY_TLS, FALSE,
                               NULL };
  const OdFoundFix user_nl = { NULL, 0, OD_SECURITY_TLS, FALSE, "ada\npasswordeval rm" };
  const OdFoundFix user_esc = { NULL, 0, OD_SECURITY_TLS, FALSE, "ada\033[2J" };
  GError *error = NULL;
  char *backup = NULL;

  /* A value with a line break or a control character. */
  g_assert_false (fix_test_apply (od_found_msmtp_read, home, "msmtp:work", &host_nl, &backup,
                                  &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (fix_test_apply (od_found_msmtp_read, home, "msmtp:work", &user_nl, &backup,
                                  &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (fix_test_apply (od_found_msmtp_read, home, "msmtp:work", &user_esc, &backup,
                                  &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  fix_test_assert_bytes (path, original);
  fix_test_assert_no_backup (path);

  /* Read-only (also for root, who could write it). */
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  g_assert_false (fix_test_apply (od_found_msmtp_read, home, "msmtp:work", &port, &backup,
                                  &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_clear_error (&error);
  fix_test_assert_bytes (path, original);
  fix_test_assert_no_backup (path);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  /* A symbolic link, as dotfile managers make them: msmtp reads through it, we never write
   * through it. */
  g_assert_cmpint (g_rename (path, real), ==, 0);
  g_assert_cmpint (symlink ("dotfiles-msmtprc", path), ==, 0);
  g_assert_false (fix_test_apply (od_found_msmtp_read, home, "msmtp:work", &port, &backup,
                                  &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_nonnull (strstr (error->message, "symbolic link"));
  g_assert_nonnull (strstr (error->message, "dotfiles-msmtprc"));
  g_clear_error (&error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_SYMLINK));
  fix_test_assert_bytes (real, original);
  fix_test_assert_no_backup (path);
  g_assert_null (backup);
  found_test_remove_tree (home);
}

/* ------------------------------------------------------------------------------------------
 * git send-email
 * ------------------------------------------------------------------------------------------ */

/* The fixture with CRLF line ends and no line end at the very end. */
static char *
git_home (char **path)
{
  char *home = fix_test_home ("git", "fix");
  g_autofree char *lf = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *crlf = NULL;

  *path = g_build_filename (home, ".gitconfig", NULL);
  lf = fix_test_read (*path, NULL);
  g_strchomp (lf);
  lines = g_strsplit (lf, "\n", -1);
  crlf = g_strjoinv ("\r\n", lines);
  g_assert_true (g_file_set_contents (*path, crlf, -1, NULL));
  return home;
}

static void
assert_git_config (const char *home,
                   const char *path,
                   const char *key,
                   const char *value)
{
  const char *argv[] = { "git", "config", "--file", path, "--get", key, NULL };
  g_autofree char *out = fix_test_run_tool (argv, home);

  if (out == NULL)
    return;
  g_assert_cmpstr (g_strchomp (out), ==, value);
}

/* [sendemail]'s own variables: only their values change; the comment after one stays. */
static void
test_git_section (void)
{
  g_autofree char *path = NULL;
  g_autofree char *home = git_home (&path);
  g_autofree char *original = fix_test_read (path, NULL);
  g_autofree char *expected = NULL, *backup = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const OdFoundFix fix = { "new.example", 465, OD_SECURITY_TLS, TRUE, NULL };
  const FixTestEdit edits[] = {
    { 6, "\tsmtpServer = new.example   ; the default server", NULL },
    { 7, "\tsmtpServerPort = 465", NULL },
    { 8, "\tsmtpEncryption = ssl", NULL },
    { 0 }
  };

  g_assert_true (fix_test_apply (od_found_git_read, home, "git:global", &fix, &backup, &error));
  g_assert_no_error (error);
  expected = fix_test_expect (original, edits);
  g_assert_null (strstr (expected + strlen (expected) - 2, "\n"));
  fix_test_assert_bytes (path, expected);
  fix_test_assert_backup (backup, path, original);

  found = found_test_run (od_found_git_read, home, TRUE, NULL);
  found_test_assert_server (found_test_get (found, "git:global"), "new.example", 465,
                            OD_SECURITY_TLS, "ada", NULL);
  /* The identity takes the server from [sendemail]. */
  found_test_assert_server (found_test_get (found, "git:global/kernel"), "new.example", 465,
                            OD_SECURITY_TLS, "ada.kernel", NULL);
  assert_git_config (home, path, "sendemail.smtpServer", "new.example");
  assert_git_config (home, path, "sendemail.smtpServerPort", "465");
  assert_git_config (home, path, "sendemail.smtpEncryption", "ssl");
  found_test_remove_tree (home);
}

/* An identity gets its own variable for what it took from [sendemail], after its last one,
 * at the end of the file that has no last line end: still none after it. */
static void
test_git_identity (void)
{
  g_autofree char *path = NULL;
  g_autofree char *home = git_home (&path);
  g_autofree char *original = fix_test_read (path, NULL);
  g_autofree char *expected = NULL, *backup = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const OdFoundFix fix = { NULL, 2525, OD_SECURITY_TLS, FALSE, "Ada K." };
  const FixTestEdit edits[] = {
    { 15, "\tsmtpUser = Ada K.", "\tsmtpServerPort = 2525" },
    { 0 }
  };

  g_assert_true (fix_test_apply (od_found_git_read, home, "git:global/kernel", &fix, &backup,
                                 &error));
  g_assert_no_error (error);
  expected = fix_test_expect (original, edits);
  g_assert_true (g_str_has_suffix (expected, "\r\n\tsmtpServerPort = 2525"));
  fix_test_assert_bytes (path, expected);
  fix_test_assert_backup (backup, path, original);

  found = found_test_run (od_found_git_read, home, TRUE, NULL);
  found_test_assert_server (found_test_get (found, "git:global/kernel"), "smtp.example.org",
                            2525, OD_SECURITY_STARTTLS, "Ada K.", NULL);
  found_test_assert_server (found_test_get (found, "git:global"), "smtp.example.org", 587,
                            OD_SECURITY_STARTTLS, "ada", NULL);
  assert_git_config (home, path, "sendemail.kernel.smtpServerPort", "2525");
  assert_git_config (home, path, "sendemail.kernel.smtpUser", "Ada K.");
  assert_git_config (home, path, "sendemail.smtpServerPort", "587");
  found_test_remove_tree (home);
}

/* git reads ~/.config/git/config, then ~/.gitconfig: a variable ~/.gitconfig sets too is
 * its. Fixing that variable in the XDG file's account is refused (it would change nothing git
 * uses), naming the account to fix instead; with ~/.gitconfig gone the XDG file's variable is
 * fixed, and git config reads it. */
static void
test_git_xdg_overridden (void)
{
  g_autofree char *path = NULL;
  g_autofree char *home = git_home (&path);
  g_autofree char *xdg_dir = g_build_filename (home, ".config", "git", NULL);
  g_autofree char *xdg = g_build_filename (xdg_dir, "config", NULL);
  const char *xdg_text = "[sendemail]\n\tsmtpServer = mail.example.net\n\tsmtpUser = ada\n"
                         "\tsmtpServerPort = 25\n";
  g_autoptr(GError) error = NULL;
  const OdFoundFix port_fix = { NULL, 2525, OD_SECURITY_NONE, FALSE, NULL };
  const OdFoundFix user_fix = { NULL, 0, OD_SECURITY_NONE, FALSE, "ada.xdg" };

  g_assert_cmpint (g_mkdir_with_parents (xdg_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (xdg, xdg_text, -1, NULL));

  /* ~/.gitconfig sets smtpServerPort (587): the XDG file's is not what git uses. */
  g_assert_false (fix_test_apply (od_found_git_read, home, "git:xdg", &port_fix, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "smtpServerPort"));
  g_assert_nonnull (strstr (error->message, "Fix git:global instead"));
  fix_test_assert_bytes (xdg, xdg_text);
  g_clear_error (&error);

  /* ~/.gitconfig sets smtpUser too. */
  g_assert_false (fix_test_apply (od_found_git_read, home, "git:xdg", &user_fix, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  /* Without those in ~/.gitconfig, the XDG file's variable is git's. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_true (fix_test_apply (od_found_git_read, home, "git:xdg", &port_fix, NULL, &error));
  g_assert_no_error (error);
  assert_git_config (home, xdg, "sendemail.smtpServerPort", "2525");
  found_test_remove_tree (home);
}

/* ------------------------------------------------------------------------------------------
 * NeoMutt
 * ------------------------------------------------------------------------------------------ */

static char *
neomutt_home (char **path)
{
  char *home = fix_test_home ("neomutt", "fix");
  g_autofree char *contents = NULL;

  *path = g_build_filename (home, ".neomuttrc", NULL);
  contents = fix_test_read (*path, NULL);
  g_strchomp (contents);
  g_assert_true (g_file_set_contents (*path, contents, -1, NULL));
  return home;
}

/* The URL is rebuilt: scheme, port and user new, the password as it was, in the same single
 * quotes, the comment after it kept. */
static void
test_neomutt_url (void)
{
  g_autofree char *path = NULL;
  g_autofree char *home = neomutt_home (&path);
  g_autofree char *original = fix_test_read (path, NULL);
  g_autofree char *expected = NULL, *backup = NULL, *out = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const OdFoundFix fix = { NULL, 587, OD_SECURITY_STARTTLS, TRUE, "ada@example.org" };
  const FixTestEdit edits[] = {
    { 5, "set smtp_url='smtp://ada%40example.org:hunter2@smtp.example.org:587/'   # sending",
      NULL },
    { 0 }
  };
  const char *argv[] = { "neomutt", "-n", "-F", path, "-Q", "smtp_url", NULL };

  g_assert_true (fix_test_apply (od_found_neomutt_read, home, "neomutt:.neomuttrc", &fix,
                                 &backup, &error));
  g_assert_no_error (error);
  expected = fix_test_expect (original, edits);
  fix_test_assert_bytes (path, expected);
  fix_test_assert_backup (backup, path, original);

  found = found_test_run (od_found_neomutt_read, home, TRUE, NULL);
  found_test_assert_server (found_test_get (found, "neomutt:.neomuttrc"), "smtp.example.org",
                            587, OD_SECURITY_STARTTLS, "ada@example.org", "PLAIN");

  out = fix_test_run_tool (argv, home);
  if (out == NULL)
    g_test_message ("neomutt is not installed: the file was not read by NeoMutt itself");
  else
    g_assert_nonnull (strstr (out, "smtp://ada%40example.org:hunter2@smtp.example.org:587/"));
  found_test_remove_tree (home);
}

/* No encryption would mean changing ssl_starttls, which is every server's: refused. */
static void
test_neomutt_refused (void)
{
  g_autofree char *path = NULL;
  g_autofree char *home = neomutt_home (&path);
  g_autofree char *original = fix_test_read (path, NULL);
  g_autofree char *backup = NULL;
  g_autoptr(GError) error = NULL;
  const OdFoundFix fix = { NULL, 0, OD_SECURITY_NONE, TRUE, NULL };

  g_assert_false (fix_test_apply (od_found_neomutt_read, home, "neomutt:.neomuttrc", &fix,
                                  &backup, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "ssl_starttls"));
  g_assert_null (backup);
  fix_test_assert_bytes (path, original);
  fix_test_assert_no_backup (path);
  found_test_remove_tree (home);
}

/* ------------------------------------------------------------------------------------------
 * aerc
 * ------------------------------------------------------------------------------------------ */

/* The outgoing URL of the account's section: the login method kept in the scheme, the
 * *-cred-cmd lines and every other section as they were. */
static void
test_aerc (void)
{
  g_autofree char *home = fix_test_home ("aerc", "realistic");
  g_autofree char *path = g_build_filename (home, ".config", "aerc", "accounts.conf", NULL);
  g_autofree char *original = fix_test_read (path, NULL);
  g_autofree char *expected = NULL, *backup = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  const OdFoundFix work = { NULL, 587, OD_SECURITY_STARTTLS, TRUE, NULL };
  const OdFoundFix relay = { NULL, 0, OD_SECURITY_TLS, TRUE, NULL };
  const OdFoundFix home_fix = { NULL, 0, OD_SECURITY_NONE, TRUE, "ada@example.net" };
  const FixTestEdit edits[] = {
    { 4, "outgoing          = smtp+login://ada%40example.org@smtp.example.org:587", NULL },
    { 13, "outgoing = smtp+insecure://ada%40example.net:hunter2@mail.example.net", NULL },
    { 18, "outgoing: smtps+none://localhost:2525", NULL },
    { 0 }
  };

  g_assert_true (fix_test_apply (od_found_aerc_read, home, "aerc:Work", &work, &backup,
                                 &error));
  g_assert_no_error (error);
  fix_test_assert_backup (backup, path, original);
  g_clear_pointer (&backup, g_free);
  g_assert_true (fix_test_apply (od_found_aerc_read, home, "aerc:local relay", &relay, NULL,
                                 &error));
  g_assert_no_error (error);
  g_assert_true (fix_test_apply (od_found_aerc_read, home, "aerc:home", &home_fix, NULL,
                                 &error));
  g_assert_no_error (error);
  expected = fix_test_expect (original, edits);
  fix_test_assert_bytes (path, expected);

  found = found_test_run (od_found_aerc_read, home, TRUE, NULL);
  found_test_assert_server (found_test_get (found, "aerc:Work"), "smtp.example.org", 587,
                            OD_SECURITY_STARTTLS, "ada@example.org", "LOGIN");
  found_test_assert_server (found_test_get (found, "aerc:local relay"), "localhost", 2525,
                            OD_SECURITY_TLS, NULL, OD_ACCOUNT_AUTH_NONE);
  found_test_assert_server (found_test_get (found, "aerc:home"), "mail.example.net", 587,
                            OD_SECURITY_NONE, "ada@example.net", "PLAIN");
  found_test_remove_tree (home);
}

/* A fix that changes nothing writes nothing. */
static void
test_nothing_to_change (void)
{
  g_autofree char *home = fix_test_home ("aerc", "realistic");
  g_autofree char *path = g_build_filename (home, ".config", "aerc", "accounts.conf", NULL);
  g_autofree char *original = fix_test_read (path, NULL);
  g_autofree char *backup = NULL;
  g_autoptr(GError) error = NULL;
  const OdFoundFix fix = { "smtp.example.org", 465, OD_SECURITY_TLS, TRUE, NULL };

  g_assert_true (fix_test_apply (od_found_aerc_read, home, "aerc:Work", &fix, &backup,
                                 &error));
  g_assert_no_error (error);
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

  g_test_add_func ("/od/found-fix-dotfiles/msmtp/own-and-inherited",
                   test_msmtp_own_and_inherited);
  g_test_add_func ("/od/found-fix-dotfiles/msmtp/inherited-account",
                   test_msmtp_inherited_account);
  g_test_add_func ("/od/found-fix-dotfiles/msmtp/security", test_msmtp_security);
  g_test_add_func ("/od/found-fix-dotfiles/msmtp/refused", test_msmtp_refused);
  g_test_add_func ("/od/found-fix-dotfiles/msmtp/quotes", test_msmtp_quotes);
  g_test_add_func ("/od/found-fix-dotfiles/git/section", test_git_section);
  g_test_add_func ("/od/found-fix-dotfiles/git/identity", test_git_identity);
  g_test_add_func ("/od/found-fix-dotfiles/git/xdg-overridden", test_git_xdg_overridden);
  g_test_add_func ("/od/found-fix-dotfiles/neomutt/url", test_neomutt_url);
  g_test_add_func ("/od/found-fix-dotfiles/neomutt/refused", test_neomutt_refused);
  g_test_add_func ("/od/found-fix-dotfiles/aerc", test_aerc);
  g_test_add_func ("/od/found-fix-dotfiles/nothing-to-change", test_nothing_to_change);

  return g_test_run ();
}
