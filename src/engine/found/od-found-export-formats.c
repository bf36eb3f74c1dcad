/* od-found-export-formats.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-found-export-private.h"
#include "od-found-msmtp.h"
#include "od-found-git.h"
#include "od-found-neomutt.h"

/* The text each client reads, quoted as that client reads its values (and as its reader in
 * od-found-CLIENT.c reads them back): msmtp's double quotes, git's config quoting, NeoMutt's
 * quotes and backtick commands, go-ini's backticks for aerc. Every value was checked for line
 * breaks and control characters before (check_values() in od-found-export.c). */

/* The mechanisms each client names itself, in its own spelling. */
static const char * const msmtp_mechanisms[] = {
  "plain", "scram-sha-1", "scram-sha-256", "external", "gssapi", "cram-md5", "digest-md5",
  "login", "ntlm", NULL
};
static const char * const git_mechanisms[] = {
  "PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5", "GSSAPI", "EXTERNAL", NULL
};

static void
header (OdFoundExport *self,
        GString       *out,
        const char    *comment)
{
  /* Not translated: the file is read by programs and by people of any language. */
  g_string_append_printf (out, "%s Outbox Doctor's account \"%s\" (%s), verified and exported "
                          "for %s\n", comment, od_account_get_id (self->account),
                          od_account_get_address (self->account), self->origin);
}

static void
note_sends_only (OdFoundExport *self)
{
  if (!od_found_export_has_incoming (self))
    return;
  od_found_export_add_note (self,
    /* Translators: "msmtp only sends mail: the incoming server imap.example.org:993 is not
     * part of its configuration." */
    g_strdup_printf (_("%s only sends mail: the incoming server %s:%u is not part of its "
                       "configuration."),
                     od_found_origin_get_name (self->origin),
                     od_account_get_incoming_host (self->account),
                     od_account_get_incoming_port (self->account)));
}

static void
note_mechanism (OdFoundExport *self,
                const char    *mechanism)
{
  od_found_export_add_note (self,
    /* Translators: "aerc does not log in with CRAM-MD5, the method Outbox Doctor verified:
     * it uses another one the server offers." */
    g_strdup_printf (_("%s does not log in with %s, the method Outbox Doctor verified: it uses "
                       "another one the server offers."),
                     od_found_origin_get_name (self->origin), mechanism));
}

/* ------------------------------------------------------------------------------------------
 * msmtp
 * ------------------------------------------------------------------------------------------ */

/* An argument as msmtp 1.8 reads it back (od_found_msmtp_quote()). */
static void
msmtp_line (GString    *out,
            const char *command,
            const char *value)
{
  g_autofree char *quoted = od_found_msmtp_quote (value);

  g_string_append_printf (out, "%-15s %s\n", command, quoted);
}

static void
msmtp_auth (OdFoundExport *self,
            GString       *out)
{
  const char *mechanism = od_account_get_auth_mechanism (self->account);
  g_autofree char *lower = mechanism != NULL ? g_ascii_strdown (mechanism, -1) : NULL;

  if (!od_found_export_needs_login (self))
    {
      msmtp_line (out, "auth", "off");
      return;
    }
  if (lower != NULL && !g_strv_contains (msmtp_mechanisms, lower))
    note_mechanism (self, mechanism);
  msmtp_line (out, "auth", lower != NULL && g_strv_contains (msmtp_mechanisms, lower)
                           ? lower : "on");
  msmtp_line (out, "user", od_account_get_username (self->account));
  /* Set by the defaults of this file for every account: reset, so that msmtp looks in the
   * keyring. */
  if (self->reset_passwordeval)
    g_string_append (out, "passwordeval\n");
  if (self->reset_password)
    g_string_append (out, "password\n");
}

/**
 * od_found_export_format_msmtp:
 *
 * An msmtp account (msmtp(1)): everything it needs is set in the account itself, so that
 * the file's defaults change nothing that was verified; no password (msmtp's password_get()
 * finds it in the keyring by host, service "smtp" and user).
 */
gboolean
od_found_export_format_msmtp (OdFoundExport  *self,
                              GError        **error)
{
  OdAccount *account = self->account;
  OdSecurity security = od_account_get_security (account);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *port = g_strdup_printf ("%u", od_account_get_port (account));
  g_auto(GStrv) pins = od_account_dup_pinned_fingerprints (account, od_account_get_host (account),
                                                          od_account_get_port (account));

  header (self, out, "#");
  msmtp_line (out, "account", self->name);
  msmtp_line (out, "host", od_account_get_host (account));
  msmtp_line (out, "port", port);
  msmtp_line (out, "tls", security == OD_SECURITY_NONE ? "off" : "on");
  if (security != OD_SECURITY_NONE)
    {
      msmtp_line (out, "tls_starttls", security == OD_SECURITY_STARTTLS ? "on" : "off");
      msmtp_line (out, "tls_certcheck", "on");
      /* The certificate the person chose to trust, as msmtp takes it (SHA-256, "AB:CD:…");
       * otherwise the system's authorities, whatever the defaults say. */
      if (pins != NULL && pins[0] != NULL)
        msmtp_line (out, "tls_fingerprint", pins[0]);
      else
        msmtp_line (out, "tls_trust_file", "system");
      if (pins != NULL && pins[0] != NULL && pins[1] != NULL)
        od_found_export_add_note (self, g_strdup (_("Outbox Doctor trusts more than one "
                                                    "certificate for this server, and msmtp "
                                                    "takes one: the first was written.")));
    }
  msmtp_auth (self, out);
  msmtp_line (out, "from", od_account_get_address (account));

  note_sends_only (self);
  self->text = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------
 * git send-email
 * ------------------------------------------------------------------------------------------ */

/* A value as git's config.c reads it: in double quotes (with \" and \\) when it has a
 * comment character, a quote, a backslash or space at either end. */
static void
git_line (GString    *out,
          const char *key,
          const char *value)
{
  gsize len = strlen (value);
  gboolean quote = len == 0 || strpbrk (value, "#;\"\\") != NULL
                   || g_ascii_isspace (value[0]) || g_ascii_isspace (value[len - 1]);

  g_string_append_printf (out, "\t%s = %s", key, quote ? "\"" : "");
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_printf (out, "%s\n", quote ? "\"" : "");
}

/**
 * od_found_export_format_git:
 *
 * git send-email's [sendemail] section, or the identity [sendemail "NAME"] (git
 * send-email --identity=NAME). The password is left to git's libsecret credential helper.
 */
gboolean
od_found_export_format_git (OdFoundExport  *self,
                            GError        **error)
{
  OdAccount *account = self->account;
  OdSecurity security = od_account_get_security (account);
  const char *mechanism = od_account_get_auth_mechanism (account);
  g_autofree char *upper = mechanism != NULL ? g_ascii_strup (mechanism, -1) : NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *port = g_strdup_printf ("%u", od_account_get_port (account));
  g_autofree char *from = od_found_export_mailbox (od_account_get_display_name (account),
                                                   od_account_get_address (account));

  header (self, out, "#");
  if (self->name != NULL)
    g_string_append_printf (out, "[sendemail \"%s\"]\n", self->name);   /* a plain name */
  else
    g_string_append (out, "[sendemail]\n");
  git_line (out, "smtpServer", od_account_get_host (account));
  git_line (out, "smtpServerPort", port);
  /* git send-email: "ssl" is TLS from the first byte, "tls" STARTTLS, anything else none. */
  git_line (out, "smtpEncryption", security == OD_SECURITY_TLS ? "ssl"
                                   : security == OD_SECURITY_STARTTLS ? "tls" : "none");
  if (od_found_export_needs_login (self))
    {
      git_line (out, "smtpUser", od_account_get_username (account));
      if (upper != NULL && g_strv_contains (git_mechanisms, upper))
        git_line (out, "smtpAuth", upper);
      else if (upper != NULL)
        note_mechanism (self, mechanism);
      if (!self->git_libsecret)
        od_found_export_add_note (self, g_strdup (
          _("git send-email finds the password in the keyring only through git’s libsecret "
            "credential helper, which this git does not use: build it from "
            "/usr/share/doc/git/contrib/credential/libsecret and name it in git’s "
            "credential.helper setting. Until then git send-email asks for the password.")));
    }
  git_line (out, "from", from);

  od_found_export_note_pins (self, od_account_get_host (account), od_account_get_port (account));
  note_sends_only (self);
  self->text = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------
 * NeoMutt
 * ------------------------------------------------------------------------------------------ */

/* A value as NeoMutt reads it: in double quotes when nothing in it would be expanded there
 * ($, `, \, "), else in single quotes, else in double quotes with those escaped. */
static void
neomutt_set (GString    *out,
             const char *variable,
             const char *value)
{
  g_string_append_printf (out, "set %s = ", variable);
  if (strpbrk (value, "$`\\\"") == NULL)
    g_string_append_printf (out, "\"%s\"\n", value);
  else if (strchr (value, '\'') == NULL)
    g_string_append_printf (out, "'%s'\n", value);
  else
    {
      g_string_append_c (out, '"');
      for (const char *p = value; *p != '\0'; p++)
        {
          if (strchr ("$`\\\"", *p) != NULL)
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append (out, "\"\n");
    }
}

/* "set VARIABLE = "`secret-tool lookup …`"": NeoMutt runs the command when it reads the
 * file (command substitution in double quotes). */
static gboolean
neomutt_password (GString     *out,
                  const char  *variable,
                  GHashTable  *attributes,
                  GError     **error)
{
  g_autofree char *command = od_found_export_lookup_command (attributes, error);

  if (command == NULL)
    return FALSE;
  g_string_append_printf (out, "set %s = \"`%s`\"\n", variable, command);
  return TRUE;
}

/* Whether the file already chooses a mailbox (folder, spoolfile or spool_file). */
static gboolean
neomutt_has_mailbox (const char *contents)
{
  g_autoptr(GRegex) regex = NULL;

  if (contents == NULL)
    return FALSE;
  regex = g_regex_new ("^\\s*set\\s.*\\b(folder|spoolfile|spool_file)\\s*=",
                       G_REGEX_MULTILINE, 0, NULL);
  return g_regex_match (regex, contents, 0, NULL);
}

/* Whether NeoMutt can be given the incoming server: the file chooses no mailbox of its own,
 * and the server's encryption goes with ssl_starttls (@starttls), which both servers share. */
static gboolean
neomutt_incoming_fits (OdFoundExport *self,
                       gboolean       starttls)
{
  OdSecurity security = od_account_get_incoming_security (self->account);

  if (!neomutt_has_mailbox (self->existing)
      && !(security == OD_SECURITY_STARTTLS && !starttls)
      && !(security == OD_SECURITY_NONE && starttls))
    return TRUE;

  od_found_export_add_note (self,
    /* Translators: "… the incoming server imap.example.org:993 was left out." */
    g_strdup_printf (_("NeoMutt’s configuration already chooses its mailbox, or the encryption "
                       "of the incoming server cannot go with the outgoing one’s: the incoming "
                       "server %s:%u was left out."),
                     od_account_get_incoming_host (self->account),
                     od_account_get_incoming_port (self->account)));
  return FALSE;
}

/* The incoming server as NeoMutt's folder (IMAP) or spool file (POP3). */
static gboolean
neomutt_incoming (OdFoundExport  *self,
                  GString        *out,
                  GError        **error)
{
  OdAccount *account = self->account;
  OdSecurity security = od_account_get_incoming_security (account);
  gboolean imap = g_str_equal (od_account_get_incoming_protocol (account), "imap");
  g_autofree char *url = NULL;

  url = od_found_export_url (security == OD_SECURITY_TLS ? (imap ? "imaps" : "pops")
                                                         : (imap ? "imap" : "pop"),
                             od_account_get_incoming_username (account),
                             od_account_get_incoming_host (account),
                             od_account_get_incoming_port (account), "/");
  if (imap)
    {
      neomutt_set (out, "folder", url);
      neomutt_set (out, "spoolfile", "+INBOX");
    }
  else
    neomutt_set (out, "spoolfile", url);
  od_found_export_note_pins (self, od_account_get_incoming_host (account),
                             od_account_get_incoming_port (account));
  return neomutt_password (out, imap ? "imap_pass" : "pop_pass", self->incoming_attributes,
                           error);
}

/**
 * od_found_export_format_neomutt:
 *
 * NeoMutt's variables (neomuttrc(5)), also understood by Mutt: smtp_url, the password
 * through `secret-tool lookup` for Outbox Doctor's own item, the encryption, the sender,
 * and the incoming server as the folder.
 */
gboolean
od_found_export_format_neomutt (OdFoundExport  *self,
                                GError        **error)
{
  OdAccount *account = self->account;
  OdSecurity security = od_account_get_security (account);
  const char *mechanism = od_account_get_auth_mechanism (account);
  gboolean login = od_found_export_needs_login (self);
  gboolean incoming = od_found_export_has_incoming (self);
  OdSecurity in_security = incoming ? od_account_get_incoming_security (account) : security;
  gboolean starttls;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *url = NULL;

  /* ssl_starttls serves both servers: the outgoing one decides, unless it uses TLS from
   * the first byte, when the incoming one may. */
  starttls = security == OD_SECURITY_STARTTLS
             || (security == OD_SECURITY_TLS && in_security != OD_SECURITY_NONE);
  incoming = incoming && neomutt_incoming_fits (self, starttls);
  if (!incoming)
    in_security = security;
  url = od_found_export_url (security == OD_SECURITY_TLS ? "smtps" : "smtp",
                             login ? od_account_get_username (account) : NULL,
                             od_account_get_host (account), od_account_get_port (account), "/");

  header (self, out, "#");
  neomutt_set (out, "smtp_url", url);
  if (login && !neomutt_password (out, "smtp_pass", self->attributes, error))
    return FALSE;
  if (login && mechanism != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (mechanism, -1);

      neomutt_set (out, "smtp_authenticators", lower);
    }
  g_string_append_printf (out, "set ssl_starttls = %s\n", starttls ? "yes" : "no");
  g_string_append_printf (out, "set ssl_force_tls = %s\n",
                          security != OD_SECURITY_NONE && in_security != OD_SECURITY_NONE
                          ? "yes" : "no");
  neomutt_set (out, "from", od_account_get_address (account));
  if (od_account_get_display_name (account) != NULL)
    neomutt_set (out, "realname", od_account_get_display_name (account));
  if (incoming && !neomutt_incoming (self, out, error))
    return FALSE;

  od_found_export_note_pins (self, od_account_get_host (account), od_account_get_port (account));
  if (self->secret == OD_FOUND_EXPORT_SECRET_LOOKUP)
    {
      g_autofree char *tool = g_find_program_in_path ("secret-tool");

      if (tool == NULL)
        od_found_export_add_note (self, g_strdup (_("NeoMutt gets the password by running "
                                                     "secret-tool (package libsecret-tools), "
                                                     "which is not installed.")));
    }
  self->text = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------
 * aerc
 * ------------------------------------------------------------------------------------------ */

/* "key = value" as go-ini reads it for aerc: a value with a comment character (go-ini cuts
 * the line at "#" or ";"), a quote or space at either end goes in backticks. */
static gboolean
aerc_line (GString     *out,
           const char  *key,
           const char  *value,
           GError     **error)
{
  gsize len = strlen (value);
  gboolean quote = len == 0 || strpbrk (value, "#;") != NULL || strchr ("\"'`", value[0]) != NULL
                   || g_ascii_isspace (value[0]) || g_ascii_isspace (value[len - 1])
                   || value[len - 1] == '\\';

  if (quote && strchr (value, '`') != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %s is a setting of aerc ("from"), not translated */
                   _("The value of aerc’s “%s” holds a backtick, which accounts.conf cannot "
                     "hold there."), key);
      return FALSE;
    }
  g_string_append_printf (out, "%s = %s%s%s\n", key, quote ? "`" : "", value, quote ? "`" : "");
  return TRUE;
}

/* The "+MECHANISM" of aerc's outgoing URL (aerc-smtp(5)): PLAIN, LOGIN or none. */
static const char *
aerc_mechanism (OdFoundExport *self)
{
  const char *mechanism = od_account_get_auth_mechanism (self->account);

  if (!od_found_export_needs_login (self))
    return "+none";
  if (mechanism == NULL)
    return "";
  if (g_ascii_strcasecmp (mechanism, "LOGIN") == 0)
    return "+login";
  if (g_ascii_strcasecmp (mechanism, "PLAIN") != 0)
    note_mechanism (self, mechanism);
  return "+plain";
}

static gboolean
aerc_source (OdFoundExport  *self,
             GString        *out,
             GError        **error)
{
  OdAccount *account = self->account;
  OdSecurity security = od_account_get_incoming_security (account);
  g_autofree char *url = NULL;
  g_autofree char *command = NULL;

  if (!od_found_export_has_incoming (self)
      || !g_str_equal (od_account_get_incoming_protocol (account), "imap"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("aerc reads mail from an IMAP server, and this account has none: "
                             "it cannot be used in aerc."));
      return FALSE;
    }
  /* aerc-imap(5): imaps is TLS from the first byte, imap STARTTLS, imap+insecure none. */
  url = od_found_export_url (security == OD_SECURITY_TLS ? "imaps"
                             : security == OD_SECURITY_STARTTLS ? "imap" : "imap+insecure",
                             od_account_get_incoming_username (account),
                             od_account_get_incoming_host (account),
                             od_account_get_incoming_port (account), "");
  command = od_found_export_lookup_command (self->incoming_attributes, error);
  od_found_export_note_pins (self, od_account_get_incoming_host (account),
                             od_account_get_incoming_port (account));
  return command != NULL && aerc_line (out, "source", url, error)
         && aerc_line (out, "source-cred-cmd", command, error);
}

/**
 * od_found_export_format_aerc:
 *
 * An aerc account (aerc-accounts(5), aerc-smtp(5), aerc-imap(5)): the IMAP server as its
 * source, the outgoing server, each with a `secret-tool lookup` command for Outbox Doctor's
 * own item.
 */
gboolean
od_found_export_format_aerc (OdFoundExport  *self,
                             GError        **error)
{
  OdAccount *account = self->account;
  OdSecurity security = od_account_get_security (account);
  gboolean login = od_found_export_needs_login (self);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *scheme = NULL, *url = NULL, *from = NULL;

  header (self, out, "#");
  g_string_append_printf (out, "[%s]\n", self->name);    /* a plain name */
  if (!aerc_source (self, out, error))
    return FALSE;

  /* smtps is TLS from the first byte; smtp is STARTTLS from aerc 0.15 on, and needs
   * smtp-starttls in aerc 0.14 (Debian 12), which later versions ignore; smtp+insecure
   * is none from 0.15 on. */
  scheme = g_strconcat (security == OD_SECURITY_TLS ? "smtps" : "smtp",
                        security == OD_SECURITY_NONE ? "+insecure" : "",
                        aerc_mechanism (self), NULL);
  url = od_found_export_url (scheme, login ? od_account_get_username (account) : NULL,
                             od_account_get_host (account), od_account_get_port (account), "");
  if (!aerc_line (out, "outgoing", url, error))
    return FALSE;
  if (login)
    {
      g_autofree char *command = od_found_export_lookup_command (self->attributes, error);

      if (command == NULL || !aerc_line (out, "outgoing-cred-cmd", command, error))
        return FALSE;
    }
  if (security == OD_SECURITY_STARTTLS)
    g_string_append (out, "smtp-starttls = yes\n");
  else if (security == OD_SECURITY_NONE)
    od_found_export_add_note (self, g_strdup (_("aerc 0.14 (Debian 12) does not know "
                                                "smtp+insecure://: there, write smtp:// "
                                                "instead.")));
  from = od_found_export_mailbox (od_account_get_display_name (account),
                                  od_account_get_address (account));
  if (!aerc_line (out, "from", from, error))
    return FALSE;

  od_found_export_note_pins (self, od_account_get_host (account), od_account_get_port (account));
  self->text = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------
 * Names already taken
 * ------------------------------------------------------------------------------------------ */

/* msmtp: "account NAME" or "account NAME : …", as msmtp itself sees it (also an account
 * our reader skips, which msmtp would still count twice). */
static gboolean
msmtp_taken (const char *contents,
             const char *name)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_autofree char *rest = NULL;

      if (!g_str_has_prefix (line, "account") || !g_ascii_isspace (line[7]))
        continue;
      rest = g_strstrip (g_strndup (line + 7, strcspn (line + 7, ":")));
      if (g_str_equal (rest, name))
        return TRUE;
    }
  return FALSE;
}

/* aerc: a section "[NAME]" (go-ini would merge ours into it). */
static gboolean
aerc_taken (const char *contents,
            const char *name)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *close = strchr (line, ']');
      g_autofree char *section = NULL;

      if (line[0] != '[' || close == NULL)
        continue;
      section = g_strstrip (g_strndup (line + 1, close - line - 1));
      if (g_str_equal (section, name))
        return TRUE;
    }
  return FALSE;
}

/* git: the identity's section, or a server in the [sendemail] section. A file git cannot
 * read counts as taken: adding to it would not help. */
static gboolean
git_taken (const char *contents,
           const char *name)
{
  g_autoptr(GPtrArray) entries = od_git_config_parse (contents, strlen (contents), NULL);

  if (entries == NULL)
    return TRUE;
  for (guint i = 0; i < entries->len; i++)
    {
      OdGitConfigEntry *e = entries->pdata[i];

      if (!g_str_equal (e->section, "sendemail") || g_strcmp0 (e->subsection, name) != 0)
        continue;
      if (name != NULL || g_str_equal (e->key, "smtpserver"))
        return TRUE;
    }
  return FALSE;
}

/**
 * od_found_export_name_taken:
 * @contents: the client's file
 *
 * Returns: whether @contents already has the account: one of the same name (msmtp, aerc,
 *   a git identity), a server in git's [sendemail] section, or NeoMutt's smtp_url
 */
gboolean
od_found_export_name_taken (OdFoundExport *self,
                            const char    *contents)
{
  g_autoptr(GPtrArray) found = NULL;

  g_assert (self != NULL && contents != NULL);

  if (g_str_equal (self->origin, OD_ORIGIN_MSMTP))
    return msmtp_taken (contents, self->name);
  if (g_str_equal (self->origin, OD_ORIGIN_AERC))
    return aerc_taken (contents, self->name);
  if (g_str_equal (self->origin, OD_ORIGIN_GIT))
    return git_taken (contents, self->name);

  /* NeoMutt: an account (or an smtp_url the reader cannot use). */
  found = g_ptr_array_new_with_free_func (g_object_unref);
  return !od_found_neomutt_parse (contents, strlen (contents), self->path, self->native_id,
                                  found, NULL)
         || found->len > 0;
}
