/* test-found-export.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Exporting one of our accounts to msmtp, git send-email, NeoMutt and aerc: each file is read
 * back by our reader for that client (same server, port, encryption, user, address, password
 * place); an existing file keeps every byte, with a backup and its permissions; symbolic
 * links, read-only files, names already taken, files changed meanwhile and values no client
 * file can hold are refused. No keyring here: tests/integration/test-cli-export.sh stores the
 * copies in a real one. */

#include "config.h"

#include <sys/stat.h>
#include <unistd.h>

#include "found-fix-test.h"
#include "od-found-aerc.h"
#include "od-found-export.h"
#include "od-found-git.h"
#include "od-found-msmtp.h"
#include "od-found-neomutt.h"
#include "od-found-thunderbird.h"

#define PIN "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"

typedef struct
{
  char           *home;
  char           *config;
  OdFoundContext  context;
} Home;

static void
home_clear (Home *home)
{
  found_test_remove_tree (home->home);
  g_free (home->home);
  g_free (home->config);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Home, home_clear)

/* A throw-away HOME, with @relative holding @contents when given. */
static void
home_init (Home       *home,
           const char *relative,
           const char *contents)
{
  home->home = found_test_temp_home (relative != NULL ? relative : ".keep", contents, -1);
  home->config = g_build_filename (home->home, ".config", NULL);
  home->context.home = home->home;
  home->context.config_home = home->config;
}

static char *
home_path (Home       *home,
           const char *relative)
{
  return g_build_filename (home->home, relative, NULL);
}

static char *
read_text (const char *path)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static OdAccount *
make_account (void)
{
  OdAccount *account = od_account_new ("ada", "ada@example.org");

  od_account_set_display_name (account, "Ada Lovelace");
  od_account_set_host (account, "smtp.example.org");
  od_account_set_port (account, 587);
  od_account_set_security (account, OD_SECURITY_STARTTLS);
  od_account_set_username (account, "ada@example.org");
  od_account_set_auth_mechanism (account, "PLAIN");
  od_account_set_incoming (account, "imap", "imap.example.org", 993, OD_SECURITY_TLS,
                           "ada@example.org");
  return account;
}

static void
assert_same (OdAccount      *ours,
             OdFoundAccount *found)
{
  OdAccount *theirs = od_found_account_get_account (found);

  g_assert_cmpstr (od_account_get_host (theirs), ==, od_account_get_host (ours));
  g_assert_cmpuint (od_account_get_port (theirs), ==, od_account_get_port (ours));
  g_assert_cmpint (od_account_get_security (theirs), ==, od_account_get_security (ours));
  g_assert_cmpstr (od_account_get_username (theirs), ==, od_account_get_username (ours));
  g_assert_cmpstr (od_account_get_address (theirs), ==, od_account_get_address (ours));
}

static gboolean
has_note (OdFoundExport *export,
          const char    *part)
{
  for (const char * const *n = od_found_export_get_notes (export); *n != NULL; n++)
    if (strstr (*n, part) != NULL)
      return TRUE;
  return FALSE;
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static void
test_msmtp_new_file (void)
{
  g_auto(Home) home = { 0 };
  g_autoptr(OdAccount) account = make_account ();
  g_autoptr(OdFoundExport) export = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL, *written = NULL, *backup = NULL;
  OdFoundAccount *msmtp;
  GHashTable *attributes;

  home_init (&home, NULL, NULL);
  od_account_add_pinned_fingerprint (account, "smtp.example.org", 587, PIN);
  export = od_found_export_new (&home.context, account, OD_ORIGIN_MSMTP, NULL, FALSE, &error);
  g_assert_no_error (error);
  path = home_path (&home, ".msmtprc");
  g_assert_cmpstr (od_found_export_get_path (export), ==, path);
  g_assert_cmpstr (od_found_export_get_name (export), ==, "ada");
  g_assert_cmpstr (od_found_export_get_found_id (export), ==, "msmtp:ada");
  g_assert_nonnull (strstr (od_found_export_get_text (export), "\naccount         ada\n"));
  g_assert_nonnull (strstr (od_found_export_get_text (export), "\ntls_fingerprint " PIN "\n"));
  g_assert_null (strstr (od_found_export_get_text (export), "password"));
  g_assert_true (has_note (export, "only sends mail"));

  g_assert_cmpint (od_found_export_get_secret (export), ==, OD_FOUND_EXPORT_SECRET_COPY);
  attributes = od_found_export_get_keyring_attributes (export, FALSE);
  g_assert_cmpuint (g_hash_table_size (attributes), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "host"), ==, "smtp.example.org");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "service"), ==, "smtp");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "user"), ==, "ada@example.org");
  g_assert_null (od_found_export_get_keyring_attributes (export, TRUE));

  g_assert_true (od_found_export_write (export, &backup, &error));
  g_assert_no_error (error);
  g_assert_null (backup);
  written = read_text (path);
  g_assert_cmpstr (written, ==, od_found_export_get_text (export));
  g_assert_cmpuint (file_mode (path), ==, 0600);

  /* Read back as msmtp's reader reads it. */
  found = found_test_run (od_found_msmtp_read, home.home, TRUE, NULL);
  msmtp = found_test_get (found, "msmtp:ada");
  assert_same (account, msmtp);
  g_assert_cmpstr (od_account_get_auth_mechanism (od_found_account_get_account (msmtp)), ==,
                   "PLAIN");
  g_assert_cmpint (od_found_account_get_secret (msmtp), ==, OD_FOUND_SECRET_KEYRING);
  found_test_assert_attribute (msmtp, "host", "smtp.example.org");
  found_test_assert_attribute (msmtp, "service", "smtp");
  found_test_assert_attribute (msmtp, "user", "ada@example.org");
}

/* An existing file keeps every byte (no line break at its end, comments, defaults that set a
 * password command, which the account resets), its mode, and a backup. */
static void
test_msmtp_existing (void)
{
  const char *before = "# my msmtp\r\ndefaults\ntls_certcheck off\npasswordeval \"pass mail\"\n"
                       "port 25\n\naccount other\nhost other.example.org\nfrom o@example.org";
  g_auto(Home) home = { 0 };
  g_autoptr(OdAccount) account = make_account ();
  g_autoptr(OdFoundExport) export = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL, *after = NULL, *kept = NULL, *backup = NULL, *added = NULL;
  OdFoundAccount *msmtp;

  home_init (&home, ".msmtprc", before);
  path = home_path (&home, ".msmtprc");
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  od_account_set_username (account, "Ada Lovelace");    /* a user name with a space */
  export = od_found_export_new (&home.context, account, OD_ORIGIN_MSMTP, "work", FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (od_found_export_get_text (export), "\npasswordeval\n"));
  g_assert_nonnull (strstr (od_found_export_get_text (export), "\nuser            \"Ada Lovelace\"\n"));
  g_assert_nonnull (strstr (od_found_export_get_text (export), "\ntls_certcheck   on\n"));
  g_assert_nonnull (strstr (od_found_export_get_text (export), "\ntls_trust_file  system\n"));
  g_assert_true (od_found_export_write (export, &backup, &error));
  g_assert_no_error (error);

  after = read_text (path);
  g_assert_true (g_str_has_prefix (after, before));
  added = g_strconcat ("\n\n", od_found_export_get_text (export), NULL);
  g_assert_cmpstr (after + strlen (before), ==, added);
  g_assert_cmpuint (file_mode (path), ==, 0640);
  g_assert_nonnull (backup);
  g_assert_true (g_str_has_prefix (backup, path));
  kept = read_text (backup);
  g_assert_cmpstr (kept, ==, before);

  found = found_test_run (od_found_msmtp_read, home.home, TRUE, NULL);
  msmtp = found_test_get (found, "msmtp:work");
  assert_same (account, msmtp);
  g_assert_cmpint (od_found_account_get_secret (msmtp), ==, OD_FOUND_SECRET_KEYRING);
  g_assert_cmpint (od_found_account_get_secret (found_test_get (found, "msmtp:other")), ==,
                   OD_FOUND_SECRET_ASK);

  /* The same name again: refused, the file as it is. */
  g_clear_pointer (&export, od_found_export_free);
  export = od_found_export_new (&home.context, account, OD_ORIGIN_MSMTP, "work", FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (has_note (export, "already has this account"));
  g_assert_false (od_found_export_write (export, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_free (kept);
  kept = read_text (path);
  g_assert_cmpstr (kept, ==, after);
}

static void
test_git (void)
{
  const char *before = "; my git\n[user]\n\tname = Ada\n[credential]\n\thelper = libsecret\n"
                       "[sendemail]\n\tsmtpServer = old.example.org\n";
  g_auto(Home) home = { 0 };
  g_autoptr(OdAccount) account = make_account ();
  g_autoptr(OdFoundExport) export = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL, *after = NULL;
  OdFoundAccount *git;

  home_init (&home, ".gitconfig", before);
  path = home_path (&home, ".gitconfig");
  od_account_set_display_name (account, "Lovelace, \"Ada\"");
  od_account_set_security (account, OD_SECURITY_TLS);
  od_account_set_port (account, 465);

  /* The [sendemail] section has a server: only an identity can be added. */
  export = od_found_export_new (&home.context, account, OD_ORIGIN_GIT, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (od_found_export_check_target (export, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "--name"));
  g_clear_error (&error);
  g_clear_pointer (&export, od_found_export_free);

  export = od_found_export_new (&home.context, account, OD_ORIGIN_GIT, "work", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (od_found_export_get_found_id (export), ==, "git:global/work");
  g_assert_nonnull (strstr (od_found_export_get_text (export), "[sendemail \"work\"]\n"));
  g_assert_nonnull (strstr (od_found_export_get_text (export), "\tsmtpEncryption = ssl\n"));
  g_assert_false (has_note (export, "libsecret credential helper"));
  g_assert_cmpstr (od_found_export_get_keyring_label (export), ==,
                   "Git: smtp://smtp.example.org:465/");
  g_assert_true (od_found_export_write (export, NULL, &error));
  g_assert_no_error (error);
  after = read_text (path);
  g_assert_true (g_str_has_prefix (after, before));

  found = found_test_run (od_found_git_read, home.home, TRUE, NULL);
  git = found_test_get (found, "git:global/work");
  assert_same (account, git);
  g_assert_cmpstr (od_account_get_display_name (od_found_account_get_account (git)), ==,
                   "Lovelace, \\\"Ada\\\"");
  g_assert_cmpint (od_found_account_get_secret (git), ==, OD_FOUND_SECRET_KEYRING);
  found_test_assert_attribute (git, "protocol", "smtp");
  found_test_assert_attribute (git, "server", "smtp.example.org");
  found_test_assert_attribute (git, "port", "465");
  found_test_assert_attribute (git, "user", "ada@example.org");
}

/* Without git's libsecret helper the password cannot reach git send-email: a note. The
 * XDG file is used when it is the only one, and a server there counts as taken. */
static void
test_git_no_helper (void)
{
  g_auto(Home) home = { 0 };
  g_autoptr(OdAccount) account = make_account ();
  g_autoptr(OdFoundExport) export = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL, *global = NULL;

  home_init (&home, ".config/git/config", "[core]\n\teditor = vi\n");
  export = od_found_export_new (&home.context, account, OD_ORIGIN_GIT, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (od_found_export_get_found_id (export), ==, "git:xdg");
  g_assert_true (has_note (export, "libsecret credential helper"));
  command = od_found_export_store_command (export);
  g_assert_cmpstr (command, ==, "secret-tool store --label='Git: smtp://smtp.example.org:587/' "
                   "xdg:schema org.gnome.keyring.NetworkPassword protocol smtp server "
                   "smtp.example.org port 587 user ada@example.org");
  g_assert_true (od_found_export_write (export, NULL, &error));
  g_assert_no_error (error);

  found = found_test_run (od_found_git_read, home.home, TRUE, NULL);
  assert_same (account, found_test_get (found, "git:xdg"));
  g_assert_cmpint (od_found_account_get_secret (found_test_get (found, "git:xdg")), ==,
                   OD_FOUND_SECRET_ASK);

  /* ~/.gitconfig would be the file now, but git reads both: the server is taken. */
  g_clear_pointer (&export, od_found_export_free);
  global = home_path (&home, ".gitconfig");
  g_assert_true (g_file_set_contents (global, "", 0, NULL));
  export = od_found_export_new (&home.context, account, OD_ORIGIN_GIT, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (od_found_export_get_found_id (export), ==, "git:global");
  g_assert_false (od_found_export_check_target (export, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
}

static void
test_neomutt (void)
{
  g_auto(Home) home = { 0 };
  g_autoptr(OdAccount) account = make_account ();
  g_autoptr(OdFoundExport) export = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *text;
  OdFoundAccount *neomutt;

  home_init (&home, NULL, NULL);
  od_account_set_security (account, OD_SECURITY_TLS);
  od_account_set_port (account, 465);
  od_account_set_display_name (account, "Ada \"$HOME\" `x`");

  /* No name in NeoMutt. */
  g_assert_null (od_found_export_new (&home.context, account, OD_ORIGIN_NEOMUTT, "work", FALSE,
                                      &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  export = od_found_export_new (&home.context, account, OD_ORIGIN_NEOMUTT, NULL, TRUE, &error);
  g_assert_no_error (error);
  path = g_build_filename (home.config, "neomutt", "neomuttrc", NULL);
  g_assert_cmpstr (od_found_export_get_path (export), ==, path);
  g_assert_cmpstr (od_found_export_get_found_id (export), ==, "neomutt:neomuttrc");
  g_assert_cmpint (od_found_export_get_secret (export), ==, OD_FOUND_EXPORT_SECRET_LOOKUP);
  text = od_found_export_get_text (export);
  g_assert_nonnull (strstr (text, "set smtp_url = \"smtps://ada%40example.org@smtp.example.org:465/\"\n"));
  g_assert_nonnull (strstr (text, "set smtp_pass = \"`secret-tool lookup xdg:schema "
                                  "org.outboxdoctor.OutboxDoctor.Account account ada protocol "
                                  "smtp host smtp.example.org port 465 user ada@example.org`\"\n"));
  g_assert_nonnull (strstr (text, "set imap_pass = \"`secret-tool lookup xdg:schema "
                                  "org.outboxdoctor.OutboxDoctor.Account account ada protocol "
                                  "imap host imap.example.org port 993 user ada@example.org`\"\n"));
  g_assert_nonnull (strstr (text, "set folder = \"imaps://ada%40example.org@imap.example.org:993/\"\n"));
  g_assert_nonnull (strstr (text, "set realname = 'Ada \"$HOME\" `x`'\n"));
  g_assert_nonnull (strstr (text, "set ssl_force_tls = yes\n"));
  g_assert_true (od_found_export_write (export, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (path), ==, 0600);

  found = found_test_run (od_found_neomutt_read, home.home, TRUE, NULL);
  neomutt = found_test_get (found, "neomutt:neomuttrc");
  assert_same (account, neomutt);
  g_assert_cmpstr (od_account_get_display_name (od_found_account_get_account (neomutt)), ==,
                   "Ada \"$HOME\" `x`");

  /* NeoMutt keeps one account a file. */
  g_clear_pointer (&export, od_found_export_free);
  export = od_found_export_new (&home.context, account, OD_ORIGIN_NEOMUTT, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_false (od_found_export_write (export, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
}

/* ~/.muttrc when it is the only rc file; a mailbox chosen there stays; without an incoming
 * item of its own, the outgoing one is looked up for the incoming server too. */
static void
test_neomutt_muttrc (void)
{
  g_auto(Home) home = { 0 };
  g_autoptr(OdAccount) account = make_account ();
  g_autoptr(OdFoundExport) export = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *incoming;

  home_init (&home, ".muttrc", "set folder = ~/Mail\n");
  export = od_found_export_new (&home.context, account, OD_ORIGIN_NEOMUTT, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (od_found_export_get_found_id (export), ==, "neomutt:.muttrc");
  g_assert_null (strstr (od_found_export_get_text (export), "folder"));
  g_assert_null (strstr (od_found_export_get_text (export), "imap_pass"));
  g_assert_true (has_note (export, "was left out"));
  incoming = od_found_export_get_keyring_attributes (export, TRUE);
  g_assert_cmpstr (g_hash_table_lookup (incoming, "protocol"), ==, "smtp");
  g_assert_nonnull (strstr (od_found_export_get_text (export), "set ssl_starttls = yes\n"));
}

static void
test_aerc (void)
{
  const char *before = "# aerc\n; accounts\n[other]\nsource = maildir://~/Mail\noutgoing = "
                       "/usr/sbin/sendmail\n";
  g_auto(Home) home = { 0 };
  g_autoptr(OdAccount) account = make_account ();
  g_autoptr(OdFoundExport) export = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL, *after = NULL;
  const char *text;
  OdFoundAccount *aerc;
  OdAccount *theirs;

  home_init (&home, ".config/aerc/accounts.conf", before);
  path = g_build_filename (home.config, "aerc", "accounts.conf", NULL);
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  od_account_set_display_name (account, "Ada #1; the first");
  od_account_set_auth_mechanism (account, "LOGIN");
  export = od_found_export_new (&home.context, account, OD_ORIGIN_AERC, NULL, TRUE, &error);
  g_assert_no_error (error);
  text = od_found_export_get_text (export);
  g_assert_nonnull (strstr (text, "\n[ada]\n"));
  g_assert_nonnull (strstr (text, "\nsource = imaps://ada%40example.org@imap.example.org:993\n"));
  g_assert_nonnull (strstr (text, "\noutgoing = smtp+login://ada%40example.org@smtp.example.org:587\n"));
  g_assert_nonnull (strstr (text, "\nsmtp-starttls = yes\n"));
  g_assert_nonnull (strstr (text, "\nfrom = `\"Ada #1; the first\" <ada@example.org>`\n"));
  g_assert_nonnull (strstr (text, "\nsource-cred-cmd = secret-tool lookup xdg:schema "));
  g_assert_true (od_found_export_write (export, NULL, &error));
  g_assert_no_error (error);
  after = read_text (path);
  g_assert_true (g_str_has_prefix (after, before));

  found = found_test_run (od_found_aerc_read, home.home, TRUE, NULL);
  aerc = found_test_get (found, "aerc:ada");
  assert_same (account, aerc);
  theirs = od_found_account_get_account (aerc);
  g_assert_cmpstr (od_account_get_auth_mechanism (theirs), ==, "LOGIN");
  g_assert_cmpstr (od_account_get_incoming_host (theirs), ==, "imap.example.org");
  g_assert_cmpuint (od_account_get_incoming_port (theirs), ==, 993);
  g_assert_cmpint (od_account_get_incoming_security (theirs), ==, OD_SECURITY_TLS);
  g_assert_cmpstr (od_account_get_incoming_username (theirs), ==, "ada@example.org");

  /* The same section again: refused. */
  g_clear_pointer (&export, od_found_export_free);
  export = od_found_export_new (&home.context, account, OD_ORIGIN_AERC, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_false (od_found_export_check_target (export, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
}

/* aerc reads mail from IMAP only. */
static void
test_aerc_needs_imap (void)
{
  g_auto(Home) home = { 0 };
  g_autoptr(OdAccount) account = make_account ();
  g_autoptr(GError) error = NULL;

  home_init (&home, NULL, NULL);
  od_account_set_incoming (account, "pop3", "pop.example.org", 995, OD_SECURITY_TLS, "ada");
  g_assert_null (od_found_export_new (&home.context, account, OD_ORIGIN_AERC, NULL, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  od_account_set_incoming (account, NULL, NULL, 0, OD_SECURITY_NONE, NULL);
  g_assert_null (od_found_export_new (&home.context, account, OD_ORIGIN_AERC, NULL, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

/* What no client file may hold, and what no client can do yet. */
static void
test_refused_values (void)
{
  g_auto(Home) home = { 0 };
  const char * const origins[] = { OD_ORIGIN_MSMTP, OD_ORIGIN_GIT, OD_ORIGIN_NEOMUTT, OD_ORIGIN_AERC };
  g_autoptr(GError) error = NULL;

  home_init (&home, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (origins); i++)
    {
      g_autoptr(OdAccount) broken = make_account ();
      g_autoptr(OdAccount) oauth = make_account ();

      od_account_set_display_name (broken, "Ada\nhost evil.example.org");
      g_assert_null (od_found_export_new (&home.context, broken, origins[i], NULL, FALSE, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_clear_error (&error);

      od_account_set_auth_mechanism (oauth, "XOAUTH2");
      g_assert_null (od_found_export_new (&home.context, oauth, origins[i], NULL, FALSE, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
      g_clear_error (&error);
    }

  {
    g_autoptr(OdAccount) account = make_account ();
    const char * const names[] = { "a b", "-x", "x]y", "DEFAULT", "a'b", "" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_assert_null (od_found_export_new (&home.context, account, OD_ORIGIN_AERC, names[i],
                                            FALSE, &error));
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
        g_clear_error (&error);
      }

    /* A quote cannot go into NeoMutt's secret-tool command. */
    od_account_set_username (account, "o'brien");
    g_assert_null (od_found_export_new (&home.context, account, OD_ORIGIN_NEOMUTT, NULL, FALSE,
                                        &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  }

  g_assert_true (od_found_export_origin_supported (OD_ORIGIN_AERC));
  g_assert_true (od_found_export_origin_supported (OD_ORIGIN_EVOLUTION));
  g_assert_true (od_found_export_origin_supported (OD_ORIGIN_THUNDERBIRD));
  g_assert_false (od_found_export_origin_supported ("mutt"));
}

/* Evolution and GOA are planned without asking either service: Evolution's three sources
 * (the transport's with the SMTP server, the mail account's with the IMAP server, the
 * identity pointing at the transport) as the registry will keep them; GOA's details as its
 * own dialog gives them; the password given to the client; no names; GOA without an IMAP
 * server refused. The real services: found-desktop-keyring. */
static void
test_desktop_plans (void)
{
  g_auto(Home) home = { 0 };
  g_autoptr(OdAccount) account = make_account ();
  g_autoptr(OdFoundExport) evolution = NULL;
  g_autoptr(OdFoundExport) goa = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;

  home_init (&home, NULL, NULL);

  evolution = od_found_export_new (&home.context, account, OD_ORIGIN_EVOLUTION, NULL, FALSE,
                                   &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (od_found_export_get_found_id (evolution), "evolution:"));
  g_assert_cmpint (od_found_export_get_secret (evolution), ==, OD_FOUND_EXPORT_SECRET_CLIENT);
  text = od_found_export_get_text (evolution);
  g_assert_nonnull (strstr (text, "[Mail Transport]\nBackendName=smtp\n"));
  g_assert_nonnull (strstr (text, "BackendName=imapx\n"));
  g_assert_nonnull (strstr (text, "Host=smtp.example.org\nMethod=PLAIN\nPort=587\n"));
  g_assert_nonnull (strstr (text, "Host=imap.example.org\nMethod=PLAIN\nPort=993\n"));
  g_assert_nonnull (strstr (text, "Method=starttls-on-standard-port\n"));
  g_assert_nonnull (strstr (text, "Method=ssl-on-alternate-port\n"));
  g_assert_nonnull (strstr (text, "Address=ada@example.org\n"));
  g_assert_nonnull (strstr (text, "Name=Ada Lovelace\n"));
  g_assert_nonnull (strstr (text, "TransportUid="));
  g_assert_null (od_found_export_get_name (evolution));

  goa = od_found_export_new (&home.context, account, OD_ORIGIN_GOA, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_null (od_found_export_get_found_id (goa));
  text = od_found_export_get_text (goa);
  g_assert_nonnull (strstr (text, "Provider=imap_smtp\n"));
  g_assert_nonnull (strstr (text, "ImapHost=imap.example.org:993\nImapUserName=ada@example.org\n"
                                  "ImapUseSsl=true\nImapUseTls=false\n"));
  g_assert_nonnull (strstr (text, "SmtpHost=smtp.example.org:587\nSmtpUseAuth=true\n"
                                  "SmtpUserName=ada@example.org\nSmtpAuthLogin=false\n"
                                  "SmtpAuthPlain=true\nSmtpUseSsl=false\nSmtpUseTls=true\n"));

  g_assert_null (od_found_export_new (&home.context, account, OD_ORIGIN_EVOLUTION, "work", FALSE,
                                      &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  od_account_set_incoming (account, "pop3", "pop.example.org", 995, OD_SECURITY_TLS, NULL);
  g_assert_null (od_found_export_new (&home.context, account, OD_ORIGIN_GOA, NULL, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

/* Thunderbird: the account goes into the prefs.js of the profile Thunderbird starts with
 * (profiles.ini's [Install…] Default), as its wizard adds one: account, identity, incoming
 * and outgoing server under the next free keys, the two lists extended in place, lastKey
 * moved on; every other byte stays, with a backup. The reader then finds it with every
 * setting. Refused: an address the profile has already, a profile in use, no incoming
 * server, no profile. */
#define TB_DIR ".thunderbird/x7k2p9qa.default-release"

static gboolean
is_new_account_line (const char *line)
{
  return strstr (line, ".account4.") != NULL || strstr (line, ".id4.") != NULL
         || strstr (line, ".server4.") != NULL || strstr (line, ".smtp4.") != NULL;
}

static void
test_thunderbird (void)
{
  g_autofree char *home = fix_test_home ("thunderbird", "home");
  g_autofree char *config = g_build_filename (home, ".config", NULL);
  g_autofree char *dir = g_build_filename (home, TB_DIR, NULL);
  g_autofree char *path = g_build_filename (dir, "prefs.js", NULL);
  g_autofree char *lock = g_build_filename (dir, "lock", NULL);
  g_autofree char *alive = g_strdup_printf ("127.0.0.1:+%d", (int)getpid ());
  g_autofree char *before = fix_test_read (path, NULL);
  g_autofree char *after = NULL, *kept = NULL, *backup = NULL;
  g_autoptr(OdAccount) account = make_account ();
  g_autoptr(OdFoundExport) export = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) old_lines = NULL;
  g_auto(GStrv) new_lines = NULL;
  OdFoundContext context = { home, config, NULL };
  OdFoundAccount *added;
  guint j = 0;

  /* The fixture's profile has ada@example.org already. */
  export = od_found_export_new (&context, account, OD_ORIGIN_THUNDERBIRD, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (od_found_export_check_target (export, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_clear_pointer (&export, od_found_export_free);

  od_account_set_address (account, "ada.new@example.org");
  export = od_found_export_new (&context, account, OD_ORIGIN_THUNDERBIRD, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (od_found_export_get_found_id (export), ==,
                   "thunderbird:x7k2p9qa.default-release/smtp4");
  g_assert_cmpint (od_found_export_get_secret (export), ==, OD_FOUND_EXPORT_SECRET_ASK);
  g_assert_nonnull (strstr (od_found_export_get_text (export),
                            "user_pref(\"mail.smtpservers\", \"smtp1,smtp2,smtp3,smtp4\");\n"));

  /* Not while Thunderbird runs. */
  g_assert_cmpint (symlink (alive, lock), ==, 0);
  g_assert_false (od_found_export_write (export, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_cmpint (g_unlink (lock), ==, 0);
  after = fix_test_read (path, NULL);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&after, g_free);

  g_assert_true (od_found_export_write (export, &backup, &error));
  g_assert_no_error (error);
  g_assert_nonnull (backup);
  kept = fix_test_read (backup, NULL);
  g_assert_cmpstr (kept, ==, before);

  /* Every old line is there in its order, but for the values of the two lists and lastKey;
   * the new lines are the account's own. */
  after = fix_test_read (path, NULL);
  old_lines = g_strsplit (before, "\n", -1);
  new_lines = g_strsplit (after, "\n", -1);
  for (guint i = 0; old_lines[i] != NULL; i++)
    {
      gboolean changed = strstr (old_lines[i], "\"mail.smtpservers\"") != NULL
                         || strstr (old_lines[i], "\"mail.accountmanager.accounts\"") != NULL
                         || strstr (old_lines[i], "\"mail.account.lastKey\"") != NULL;

      while (new_lines[j] != NULL && is_new_account_line (new_lines[j]))
        j++;
      g_assert_nonnull (new_lines[j]);
      if (changed)
        g_assert_true (strncmp (new_lines[j], old_lines[i], strcspn (old_lines[i], ",")) == 0);
      else
        g_assert_cmpstr (new_lines[j], ==, old_lines[i]);
      j++;
    }
  g_assert_null (new_lines[j]);
  g_assert_nonnull (strstr (after, "user_pref(\"mail.account.lastKey\", 4);\n"));
  g_assert_nonnull (strstr (after, "user_pref(\"mail.accountmanager.accounts\", "
                                   "\"account1,account3,account2,account4\");\n"));

  found = found_test_run (od_found_read_thunderbird, home, TRUE, NULL);
  added = found_test_get (found, "thunderbird:x7k2p9qa.default-release/smtp4");
  found_test_assert_server (added, "smtp.example.org", 587, OD_SECURITY_STARTTLS,
                            "ada@example.org", "PLAIN");
  g_assert_cmpstr (od_account_get_address (od_found_account_get_account (added)), ==,
                   "ada.new@example.org");
  g_assert_cmpstr (od_account_get_incoming_host (od_found_account_get_account (added)), ==,
                   "imap.example.org");
  g_assert_cmpuint (od_account_get_incoming_port (od_found_account_get_account (added)), ==, 993);
  g_clear_pointer (&export, od_found_export_free);

  /* Thunderbird has no account without an incoming server. */
  od_account_set_incoming (account, NULL, NULL, 0, OD_SECURITY_NONE, NULL);
  g_assert_null (od_found_export_new (&context, account, OD_ORIGIN_THUNDERBIRD, NULL, FALSE,
                                      &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  found_test_remove_tree (home);
}

/* No Thunderbird profile: the person is told to start Thunderbird once. */
static void
test_thunderbird_no_profile (void)
{
  g_auto(Home) home = { 0 };
  g_autoptr(OdAccount) account = make_account ();
  g_autoptr(GError) error = NULL;

  home_init (&home, NULL, NULL);
  g_assert_null (od_found_export_new (&home.context, account, OD_ORIGIN_THUNDERBIRD, NULL, FALSE,
                                      &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "start Thunderbird once"));
}

/* A symbolic link and a read-only file are never written; neither is a file that changed
 * after the export was planned. */
static void
test_refused_files (void)
{
  g_auto(Home) home = { 0 };
  g_autoptr(OdAccount) account = make_account ();
  g_autoptr(OdFoundExport) export = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rc = NULL, *real = NULL, *contents = NULL, *aerc = NULL, *dir = NULL;

  home_init (&home, "real-msmtprc", "# real\n");
  rc = home_path (&home, ".msmtprc");
  real = home_path (&home, "real-msmtprc");
  g_assert_cmpint (symlink (real, rc), ==, 0);
  export = od_found_export_new (&home.context, account, OD_ORIGIN_MSMTP, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (od_found_export_write (export, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_nonnull (strstr (error->message, "symbolic link"));
  g_clear_error (&error);
  contents = read_text (real);
  g_assert_cmpstr (contents, ==, "# real\n");
  g_clear_pointer (&export, od_found_export_free);

  dir = g_build_filename (home.config, "aerc", NULL);
  aerc = g_build_filename (dir, "accounts.conf", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (aerc, "# read-only\n", -1, NULL));
  g_assert_cmpint (g_chmod (aerc, 0400), ==, 0);
  export = od_found_export_new (&home.context, account, OD_ORIGIN_AERC, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (od_found_export_write (export, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_free (contents);
  contents = read_text (aerc);
  g_assert_cmpstr (contents, ==, "# read-only\n");

  /* Changed meanwhile. */
  g_assert_cmpint (g_chmod (aerc, 0600), ==, 0);
  g_clear_pointer (&export, od_found_export_free);
  export = od_found_export_new (&home.context, account, OD_ORIGIN_AERC, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (aerc, "# changed\n", -1, NULL));
  g_assert_false (od_found_export_write (export, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_MERGE);
  g_free (contents);
  contents = read_text (aerc);
  g_assert_cmpstr (contents, ==, "# changed\n");
}

/* No login: no user, no password anywhere. */
static void
test_no_login (void)
{
  g_auto(Home) home = { 0 };
  g_autoptr(OdAccount) account = make_account ();
  g_autoptr(OdFoundExport) msmtp = NULL, git = NULL;
  g_autoptr(GError) error = NULL;

  home_init (&home, NULL, NULL);
  od_account_set_auth_mechanism (account, OD_ACCOUNT_AUTH_NONE);
  od_account_set_security (account, OD_SECURITY_NONE);
  od_account_set_port (account, 25);
  msmtp = od_found_export_new (&home.context, account, OD_ORIGIN_MSMTP, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (od_found_export_get_secret (msmtp), ==, OD_FOUND_EXPORT_SECRET_NONE);
  g_assert_nonnull (strstr (od_found_export_get_text (msmtp), "\nauth            off\n"));
  g_assert_nonnull (strstr (od_found_export_get_text (msmtp), "\ntls             off\n"));
  g_assert_null (strstr (od_found_export_get_text (msmtp), "user"));
  git = od_found_export_new (&home.context, account, OD_ORIGIN_GIT, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (od_found_export_get_secret (git), ==, OD_FOUND_EXPORT_SECRET_NONE);
  g_assert_nonnull (strstr (od_found_export_get_text (git), "\tsmtpEncryption = none\n"));
  g_assert_null (strstr (od_found_export_get_text (git), "smtpUser"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/found-export/msmtp/new-file", test_msmtp_new_file);
  g_test_add_func ("/od/found-export/msmtp/existing", test_msmtp_existing);
  g_test_add_func ("/od/found-export/git/identity", test_git);
  g_test_add_func ("/od/found-export/git/no-helper", test_git_no_helper);
  g_test_add_func ("/od/found-export/neomutt/new-file", test_neomutt);
  g_test_add_func ("/od/found-export/neomutt/muttrc", test_neomutt_muttrc);
  g_test_add_func ("/od/found-export/aerc/existing", test_aerc);
  g_test_add_func ("/od/found-export/aerc/needs-imap", test_aerc_needs_imap);
  g_test_add_func ("/od/found-export/refused/values", test_refused_values);
  g_test_add_func ("/od/found-export/refused/files", test_refused_files);
  g_test_add_func ("/od/found-export/no-login", test_no_login);
  g_test_add_func ("/od/found-export/desktop-plans", test_desktop_plans);
  g_test_add_func ("/od/found-export/thunderbird", test_thunderbird);
  g_test_add_func ("/od/found-export/thunderbird/no-profile", test_thunderbird_no_profile);

  return g_test_run ();
}
