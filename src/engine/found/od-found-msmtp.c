/* od-found-msmtp.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-found-dotfile.h"
#include "od-found-msmtp.h"

/* msmtp's user configuration (msmtp(1), "Configuration files"): commands one a line,
 * "defaults" sets what every later account starts from, "account NAME [: A[,B…]]" starts an
 * account that also takes what the earlier accounts A, B… set. Inheritance only reaches
 * backwards, as in msmtp itself, so there is no recursion and no loop: an account that
 * names one not defined before it is refused, as msmtp refuses the whole file. */

typedef enum
{
  SET_HOST         = 1 << 0,
  SET_PORT         = 1 << 1,
  SET_TLS          = 1 << 2,
  SET_STARTTLS     = 1 << 3,
  SET_AUTH         = 1 << 4,
  SET_USER         = 1 << 5,
  SET_FROM         = 1 << 6,
  SET_PASSWORD     = 1 << 7,
  SET_PASSWORDEVAL = 1 << 8,
  SET_PROTOCOL     = 1 << 9,
  SET_CERTCHECK    = 1 << 10,
} SetMask;

typedef struct
{
  char      *name;
  guint      mask;
  char      *host;
  guint16    port;
  gboolean   tls;
  gboolean   starttls;
  char      *auth;          /* NULL: off; "": on (automatic); else the mechanism */
  char      *user;
  char      *from;
  gboolean   password;      /* only whether one is there: never its value */
  gboolean   passwordeval;
  gboolean   lmtp;
  gboolean   no_certcheck;
  GPtrArray *notes;
} Msmtp;

static Msmtp *
msmtp_new (const char *name)
{
  Msmtp *m = g_new0 (Msmtp, 1);

  m->name = g_strdup (name);
  m->starttls = TRUE;
  m->notes = g_ptr_array_new_with_free_func (g_free);
  return m;
}

static void
msmtp_free (Msmtp *m)
{
  g_free (m->name);
  g_free (m->host);
  g_free (m->auth);
  g_free (m->user);
  g_free (m->from);
  g_ptr_array_unref (m->notes);
  g_free (m);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Msmtp, msmtp_free)

/* g_set_str() is GLib 2.76. */
static void
set_str (char       **field,
         const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

/* What msmtp's override_account() does: take over what @from set. */
static void
msmtp_override (Msmtp       *to,
                const Msmtp *from)
{
  if (from->mask & SET_HOST)
    set_str (&to->host, from->host);
  if (from->mask & SET_PORT)
    to->port = from->port;
  if (from->mask & SET_TLS)
    to->tls = from->tls;
  if (from->mask & SET_STARTTLS)
    to->starttls = from->starttls;
  if (from->mask & SET_AUTH)
    set_str (&to->auth, from->auth);
  if (from->mask & SET_USER)
    set_str (&to->user, from->user);
  if (from->mask & SET_FROM)
    set_str (&to->from, from->from);
  if (from->mask & SET_PASSWORD)
    to->password = from->password;
  if (from->mask & SET_PASSWORDEVAL)
    to->passwordeval = from->passwordeval;
  if (from->mask & SET_PROTOCOL)
    to->lmtp = from->lmtp;
  if (from->mask & SET_CERTCHECK)
    to->no_certcheck = from->no_certcheck;
  to->mask |= from->mask;
  for (guint i = 0; i < from->notes->len; i++)
    if (!g_ptr_array_find_with_equal_func (to->notes, from->notes->pdata[i], g_str_equal, NULL))
      g_ptr_array_add (to->notes, g_strdup (from->notes->pdata[i]));
}

/* The argument as msmtp 1.8 reads it (conf.c): the rest of the line, trimmed; when it
 * begins and ends with a double quote, what is between them, taken literally (no escapes:
 * "a\\b" is a, two backslashes, b). A lone or unbalanced quote is part of the value. Never
 * NULL. */
static char *
msmtp_argument (const char *rest)
{
  g_autofree char *arg = g_strstrip (g_strdup (rest));
  gsize len = strlen (arg);

  if (len >= 2 && arg[0] == '"' && arg[len - 1] == '"')
    return g_strndup (arg + 1, len - 2);
  return g_steal_pointer (&arg);
}

static gboolean
msmtp_on_off (const char *arg,
              gboolean   *value)
{
  if (arg[0] == '\0' || g_str_equal (arg, "on"))
    *value = TRUE;
  else if (g_str_equal (arg, "off"))
    *value = FALSE;
  else
    return FALSE;
  return TRUE;
}

/* Commands msmtp knows that change nothing we map. */
static const char * const ignored_commands[] = {
  "timeout", "domain", "auto_from", "maildomain", "ntlmdomain", "tls_trust_file",
  "tls_crl_file", "tls_fingerprint", "tls_key_file", "tls_cert_file", "tls_min_dh_prime_bits",
  "tls_priorities", "tls_host_override", "dsn_return", "dsn_notify", "keepbcc", "logfile",
  "logfile_time_format", "syslog", "aliases", "proxy_host", "proxy_port", "socket",
  "set_from_header", "set_date_header", "set_msgid_header", "remove_bcc_headers",
  "undisclosed_recipients", "source_ip", "eval", "allow_from_override", "tls_force_sslv3",
  NULL
};

/* One command for @m; FALSE when its argument is not valid. */
static gboolean
msmtp_command (Msmtp      *m,
               const char *cmd,
               const char *arg)
{
  gboolean on;

  if (g_str_equal (cmd, "host"))
    m->mask |= SET_HOST, set_str (&m->host, arg[0] != '\0' ? arg : NULL);
  else if (g_str_equal (cmd, "port"))
    {
      if (!od_found_dotfile_parse_port (arg, &m->port))
        return FALSE;
      m->mask |= SET_PORT;
    }
  else if (g_str_equal (cmd, "tls") || g_str_equal (cmd, "tls_starttls")
           || g_str_equal (cmd, "tls_certcheck"))
    {
      if (!msmtp_on_off (arg, &on))
        return FALSE;
      if (g_str_equal (cmd, "tls"))
        m->tls = on, m->mask |= SET_TLS;
      else if (g_str_equal (cmd, "tls_starttls"))
        m->starttls = on, m->mask |= SET_STARTTLS;
      else
        m->no_certcheck = !on, m->mask |= SET_CERTCHECK;
    }
  else if (g_str_equal (cmd, "auth"))
    {
      if (arg[0] == '\0' || g_str_equal (arg, "on"))
        set_str (&m->auth, "");
      else if (g_str_equal (arg, "off"))
        g_clear_pointer (&m->auth, g_free);
      else
        {
          g_autofree char *upper = g_ascii_strup (arg, -1);
          static const char * const mechanisms[] = { "PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5",
            "SCRAM-SHA-1", "SCRAM-SHA-256", "GSSAPI", "EXTERNAL", "NTLM", "OAUTHBEARER",
            "XOAUTH2", NULL };

          if (!g_strv_contains (mechanisms, upper))
            return FALSE;
          set_str (&m->auth, upper);
        }
      m->mask |= SET_AUTH;
    }
  else if (g_str_equal (cmd, "user"))
    m->mask |= SET_USER, set_str (&m->user, arg[0] != '\0' ? arg : NULL);
  else if (g_str_equal (cmd, "from"))
    m->mask |= SET_FROM, set_str (&m->from, arg[0] != '\0' ? arg : NULL);
  else if (g_str_equal (cmd, "password"))
    m->mask |= SET_PASSWORD, m->password = arg[0] != '\0';
  else if (g_str_equal (cmd, "passwordeval"))
    m->mask |= SET_PASSWORDEVAL, m->passwordeval = arg[0] != '\0';
  else if (g_str_equal (cmd, "protocol"))
    {
      if (!g_str_equal (arg, "smtp") && !g_str_equal (arg, "lmtp"))
        return FALSE;
      m->mask |= SET_PROTOCOL, m->lmtp = g_str_equal (arg, "lmtp");
    }
  else if (!g_strv_contains (ignored_commands, cmd))
    {
      g_autofree char *shown = g_utf8_make_valid (cmd, -1);
      char *note = g_strdup_printf (_("msmtp’s command “%s” is unknown to Outbox Doctor and "
                                      "was ignored."), shown);

      if (!g_ptr_array_find_with_equal_func (m->notes, note, g_str_equal, NULL))
        g_ptr_array_add (m->notes, note);
      else
        g_free (note);
    }
  return TRUE;
}

static void
add_note_once (GPtrArray  *notes,
               char       *note)
{
  if (g_ptr_array_find_with_equal_func (notes, note, g_str_equal, NULL))
    g_free (note);
  else
    g_ptr_array_add (notes, note);
}

/* "account NAME [: A[, B…]]": a new account from the defaults and the earlier accounts it
 * names, or NULL with a note in @file_notes. */
static Msmtp *
msmtp_start_account (const char *arg,
                     Msmtp      *defaults,
                     GPtrArray  *accounts,
                     GPtrArray  *file_notes)
{
  g_autofree char *name = NULL;
  g_auto(GStrv) parents = NULL;
  g_autoptr(Msmtp) m = NULL;
  const char *colon = strchr (arg, ':');
  g_autofree char *shown = NULL;

  name = g_strstrip (g_strndup (arg, colon != NULL ? (gsize)(colon - arg) : strlen (arg)));
  shown = g_utf8_make_valid (name, -1);
  if (name[0] == '\0' || strpbrk (name, " \t") != NULL)
    {
      add_note_once (file_notes, g_strdup_printf (_("An msmtp account without a valid name "
                                                    "(“%s”) was skipped."), shown));
      return NULL;
    }
  for (guint i = 0; i < accounts->len; i++)
    if (g_str_equal (((Msmtp *)accounts->pdata[i])->name, name))
      {
        add_note_once (file_notes, g_strdup_printf (_("The msmtp account “%s” is defined "
                                                      "twice: the second one was skipped."),
                                                    shown));
        return NULL;
      }

  m = msmtp_new (name);
  msmtp_override (m, defaults);
  if (colon == NULL)
    return g_steal_pointer (&m);

  parents = g_strsplit (colon + 1, ",", 0);
  if (g_strv_length (parents) > OD_FOUND_DOTFILE_MAX_ACCOUNTS)
    return NULL;
  for (guint p = 0; parents[p] != NULL; p++)
    {
      const char *parent = g_strstrip (parents[p]);
      Msmtp *found = NULL;

      for (guint i = 0; i < accounts->len && found == NULL; i++)
        if (g_str_equal (((Msmtp *)accounts->pdata[i])->name, parent))
          found = accounts->pdata[i];
      if (found == NULL)
        {
          g_autofree char *shown_parent = g_utf8_make_valid (parent, -1);

          /* msmtp only inherits from accounts defined earlier: this also refuses loops. */
          add_note_once (file_notes,
                         g_strdup_printf (_("The msmtp account “%s” inherits from “%s”, which "
                                            "is not defined before it: it was skipped."),
                                          shown, shown_parent));
          return NULL;
        }
      msmtp_override (m, found);
    }
  return g_steal_pointer (&m);
}

static void
msmtp_map_secret (const Msmtp    *m,
                  OdFoundAccount *found)
{
  if (m->passwordeval)
    {
      od_found_account_add_note (found, _("msmtp runs a command for the password: Outbox "
                                          "Doctor does not run it and asks for the password."));
      return;
    }
  if (m->password)
    {
      od_found_account_add_note (found, _("The password is written in msmtp’s configuration "
                                          "file, readable to any program: Outbox Doctor does "
                                          "not read it. Keeping it in the keyring is safer."));
      return;
    }
  if (m->auth == NULL || m->user == NULL)
    return;

  /* msmtp's password_get(): a libsecret item with host, service "smtp" and user. */
  od_found_account_set_secret (found, OD_FOUND_SECRET_KEYRING);
  od_found_account_set_keyring_attribute (found, "host", m->host);
  od_found_account_set_keyring_attribute (found, "service", "smtp");
  od_found_account_set_keyring_attribute (found, "user", m->user);
}

/* An OdFoundAccount for a complete account, or NULL with a note in @file_notes. */
static OdFoundAccount *
msmtp_map (const Msmtp *m,
           const char  *path,
           GPtrArray   *file_notes)
{
  g_autoptr(OdFoundAccount) found = NULL;
  g_autofree char *name = NULL, *address = NULL;
  g_autofree char *shown = g_utf8_make_valid (m->name, -1);
  OdAccount *account;

  if (!od_found_dotfile_host_ok (m->host)
      || (m->user != NULL && !g_utf8_validate (m->user, -1, NULL)))
    {
      add_note_once (file_notes, g_strdup_printf (_("The msmtp account “%s” has no usable "
                                                    "server: it was skipped."), shown));
      return NULL;
    }
  if (m->lmtp)
    {
      add_note_once (file_notes, g_strdup_printf (_("The msmtp account “%s” delivers with "
                                                    "LMTP, not SMTP: it was skipped."), shown));
      return NULL;
    }

  /* A from with msmtp's substitutions (%U, %H, %C, %M) is not an address as it stands. */
  if (m->from != NULL && strchr (m->from, '%') == NULL)
    od_found_dotfile_split_mailbox (m->from, &name, &address);
  found = od_found_account_new (OD_ORIGIN_MSMTP, shown, address);
  account = od_found_account_get_account (found);
  od_found_account_set_source_path (found, path);
  if (name != NULL)
    od_account_set_display_name (account, name);
  od_account_set_host (account, m->host);
  /* msmtp's defaults: 465 with TLS from the first byte, 25 otherwise (not 587). */
  od_account_set_security (account, !m->tls ? OD_SECURITY_NONE
                                    : m->starttls ? OD_SECURITY_STARTTLS : OD_SECURITY_TLS);
  od_account_set_port (account, m->port != 0 ? m->port
                                : (m->tls && !m->starttls) ? 465 : 25);
  od_account_set_username (account, m->user);
  if (m->auth == NULL)
    od_account_set_auth_mechanism (account, OD_ACCOUNT_AUTH_NONE);
  else if (m->auth[0] != '\0')
    od_account_set_auth_mechanism (account, m->auth);
  if (m->from != NULL && address == NULL)
    od_found_account_add_note (found, _("The sender address of this msmtp account could not "
                                        "be read."));
  if (m->no_certcheck)
    od_found_account_add_note (found, _("msmtp accepts any certificate for this server "
                                        "(tls_certcheck off)."));
  msmtp_map_secret (m, found);
  for (guint i = 0; i < m->notes->len; i++)
    od_found_account_add_note (found, m->notes->pdata[i]);
  return g_steal_pointer (&found);
}

/* Reads the commands into @accounts (in the file's order). */
static void
msmtp_read_commands (const char *contents,
                     gsize       length,
                     GPtrArray  *accounts,
                     GPtrArray  *file_notes)
{
  g_autoptr(Msmtp) defaults = msmtp_new ("");
  const char *cursor = contents, *end = contents + length;
  Msmtp *current = defaults;
  guint line_number = 0;
  char *line;

  while ((line = od_found_dotfile_next_line (&cursor, end)) != NULL)
    {
      g_autofree char *owned = line;
      g_autofree char *cmd = NULL, *arg = NULL;
      const char *p = line;
      gsize n;

      line_number++;
      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0' || *p == '#')
        continue;
      n = strcspn (p, " \t");
      cmd = g_strndup (p, n);
      arg = msmtp_argument (p + n);
      if (g_str_equal (cmd, "defaults"))
        {
          current = defaults;
          continue;
        }
      if (g_str_equal (cmd, "account"))
        {
          Msmtp *m = NULL;

          current = NULL;
          if (arg != NULL && accounts->len < OD_FOUND_DOTFILE_MAX_ACCOUNTS)
            m = msmtp_start_account (arg, defaults, accounts, file_notes);
          if (m != NULL)
            g_ptr_array_add (accounts, m);
          current = m;
          continue;
        }
      if (current == NULL)
        continue;     /* the lines of a skipped account */
      if (arg == NULL || !msmtp_command (current, cmd, arg))
        {
          g_autofree char *shown = g_utf8_make_valid (cmd, -1);

          add_note_once (current->notes,
                         g_strdup_printf (_("Line %u of msmtp’s configuration has an invalid "
                                            "argument for “%s”: it was ignored."),
                                          line_number, shown));
        }
    }
}

/**
 * od_found_msmtp_argument:
 * @rest: what follows a command on its line
 *
 * Returns: (transfer full): the argument as msmtp reads it (trimmed; what is between a
 *   first and last double quote, literally)
 */
char *
od_found_msmtp_argument (const char *rest)
{
  g_return_val_if_fail (rest != NULL, NULL);

  return msmtp_argument (rest);
}

/**
 * od_found_msmtp_quote:
 * @value: a setting's value, not empty
 *
 * Returns: (transfer full): @value as an argument msmtp 1.8 (and od_found_msmtp_argument())
 *   reads back the same: as it is, or in double quotes when it has blanks or starts with a
 *   quote (msmtp drops the quotes and reads what is between them literally)
 */
char *
od_found_msmtp_quote (const char *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  if (value[0] != '\0' && value[0] != '"' && strpbrk (value, " \t") == NULL)
    return g_strdup (value);
  return g_strconcat ("\"", value, "\"", NULL);
}

/**
 * od_found_msmtp_parse:
 * @path: the file's name, for the accounts' source path
 *
 * Adds the accounts of one msmtp configuration file to @found (at most
 * %OD_FOUND_DOTFILE_MAX_ACCOUNTS). Returns %FALSE with @error when the file defines
 * accounts but none of them could be used.
 */
gboolean
od_found_msmtp_parse (const char  *contents,
                      gsize        length,
                      const char  *path,
                      GPtrArray   *found,
                      GError     **error)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify)msmtp_free);
  g_autoptr(GPtrArray) file_notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) mapped = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (contents != NULL && path != NULL && found != NULL, FALSE);

  msmtp_read_commands (contents, length, accounts, file_notes);
  for (guint i = 0; i < accounts->len; i++)
    {
      OdFoundAccount *account = msmtp_map (accounts->pdata[i], path, file_notes);

      if (account != NULL)
        g_ptr_array_add (mapped, account);
    }

  if (mapped->len == 0 && file_notes->len > 0)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, file_notes->pdata[0]);
      return FALSE;
    }
  for (guint i = 0; i < mapped->len; i++)
    {
      for (guint j = 0; j < file_notes->len; j++)
        od_found_account_add_note (mapped->pdata[i], file_notes->pdata[j]);
      g_ptr_array_add (found, g_object_ref (mapped->pdata[i]));
    }
  return TRUE;
}

/**
 * od_found_msmtp_read:
 *
 * The reader for msmtp (#OdFoundReader): ~/.msmtprc, or when there is none
 * $XDG_CONFIG_HOME/msmtp/config, as msmtp itself looks for its user configuration.
 */
gboolean
od_found_msmtp_read (const OdFoundContext  *context,
                     GPtrArray             *found,
                     GError               **error)
{
  g_autofree char *rc = NULL, *xdg = NULL, *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *path;

  g_return_val_if_fail (context != NULL && found != NULL, FALSE);

  rc = g_build_filename (context->home, ".msmtprc", NULL);
  xdg = g_build_filename (context->config_home, "msmtp", "config", NULL);
  path = rc;
  if (!od_found_dotfile_read (rc, &contents, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      path = xdg;
      if (!od_found_dotfile_read (xdg, &contents, &local_error))
        {
          if (local_error == NULL)
            return TRUE;      /* msmtp is not set up */
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  return od_found_msmtp_parse (contents, strlen (contents), path, found, error);
}
