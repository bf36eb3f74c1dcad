/* od-found-export-thunderbird.c
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
#include "od-found-export-private.h"
#include "od-found-fix-files.h"
#include "od-found-thunderbird.h"
#include "od-prefs-js.h"

/* An export to Thunderbird: the account added to the prefs.js of the profile Thunderbird
 * starts with, as its own account wizard adds one (docs/found-accounts.md, "Thunderbird"):
 * an account (mail.account.accountN: its identity and incoming server), the identity
 * (mail.identity.idN: address, name, outgoing server), the incoming server
 * (mail.server.serverN) and the outgoing one (mail.smtpserver.smtpN), the account appended
 * to mail.accountmanager.accounts and the outgoing server to mail.smtpservers. Every other
 * byte of the file stays (od_fix_prefs_set() changes the two lists' values in place and adds
 * the new preferences as lines of their own). Thunderbird writes prefs.js from memory when
 * it quits, so the export is refused while it runs; and it keeps passwords in its own store
 * (logins.json, encrypted with key4.db), which Outbox Doctor does not write: Thunderbird asks
 * for the password the first time. Thunderbird has no account without an incoming server. */

/* nsMsgSocketType and nsMsgAuthMethod, as od-found-thunderbird.c reads them. */
static const char *
socket_type (OdSecurity security)
{
  return security == OD_SECURITY_TLS ? "3" : security == OD_SECURITY_STARTTLS ? "2" : "0";
}

static const char *
auth_method (OdFoundExport *self)
{
  const char *mechanism = od_account_get_auth_mechanism (self->account);

  if (!od_found_export_needs_login (self))
    return "1";     /* none */
  if (mechanism != NULL && g_ascii_strcasecmp (mechanism, "CRAM-MD5") == 0)
    return "4";     /* encrypted password */
  return "3";       /* normal password: PLAIN or LOGIN over TLS */
}

/* The next free number after every KEY-prefixed key in the statements' names
 * ("mail.account.account" → 4 when account1 to account3 are there). */
static guint
next_number (GPtrArray  *statements,
             const char *prefix)
{
  gsize length = strlen (prefix);
  guint64 highest = 0;

  for (guint i = 0; i < statements->len; i++)
    {
      const OdPrefsJsStatement *statement = statements->pdata[i];
      const char *rest;
      guint64 n = 0;
      char *end = NULL;

      if (!g_str_has_prefix (statement->name, prefix))
        continue;
      rest = statement->name + length;
      n = g_ascii_strtoull (rest, &end, 10);
      if (end != rest && (*end == '.' || *end == '\0') && n < G_MAXINT32)
        highest = MAX (highest, n);
    }
  return (guint)highest + 1;
}

/* The value of the last statement @name (as od_prefs_js_parse() gives it), or NULL. */
static const char *
last_value (GPtrArray  *statements,
            const char *name)
{
  const char *value = NULL;

  for (guint i = 0; i < statements->len; i++)
    {
      const OdPrefsJsStatement *statement = statements->pdata[i];

      if (g_str_equal (statement->name, name))
        value = statement->value;
    }
  return value;
}

typedef struct
{
  OdFixText *text;
  GPtrArray *statements;
  GString   *shown;       /* the statements set, for --print */
} Prefs;

static void
set_literal (Prefs      *prefs,
             const char *name,
             const char *literal)
{
  od_fix_prefs_set (prefs->text, prefs->statements, name, literal);
  g_string_append_printf (prefs->shown, "user_pref(\"%s\", %s);\n", name, literal);
}

static void
set_string (Prefs      *prefs,
            const char *name,
            const char *value)
{
  g_autofree char *literal = od_fix_prefs_js_string (value);

  set_literal (prefs, name, literal);
}

/* KEY added to the comma-separated list @name. */
static void
append_key (Prefs      *prefs,
            const char *name,
            const char *key)
{
  const char *list = last_value (prefs->statements, name);
  g_autofree char *value = list != NULL && list[0] != '\0' ? g_strconcat (list, ",", key, NULL)
                                                          : g_strdup (key);

  set_string (prefs, name, value);
}

static void
add_prefs (OdFoundExport *self,
           Prefs         *prefs,
           guint          account_n,
           guint          id_n,
           guint          server_n,
           guint          smtp_n)
{
  OdAccount *account = self->account;
  const char *protocol = od_account_get_incoming_protocol (account);
  g_autofree char *account_key = g_strdup_printf ("account%u", account_n);
  g_autofree char *id_key = g_strdup_printf ("id%u", id_n);
  g_autofree char *server_key = g_strdup_printf ("server%u", server_n);
  g_autofree char *smtp_key = g_strdup_printf ("smtp%u", smtp_n);
  g_autofree char *a = g_strdup_printf ("mail.account.%s.", account_key);
  g_autofree char *i = g_strdup_printf ("mail.identity.%s.", id_key);
  g_autofree char *s = g_strdup_printf ("mail.server.%s.", server_key);
  g_autofree char *o = g_strdup_printf ("mail.smtpserver.%s.", smtp_key);
  g_autofree char *port = NULL;
  g_autofree char *incoming_port = NULL;
  g_autofree char *last_key = NULL;
#define PREF(prefix, key) g_autofree char *prefix##_##key = g_strconcat (prefix, #key, NULL)
  PREF (a, identities); PREF (a, server);
  PREF (i, fullName); PREF (i, smtpServer); PREF (i, useremail); PREF (i, valid);
  PREF (s, authMethod); PREF (s, hostname); PREF (s, login_at_startup); PREF (s, name);
  PREF (s, port); PREF (s, socketType); PREF (s, type); PREF (s, userName);
  PREF (o, authMethod); PREF (o, description); PREF (o, hostname); PREF (o, port);
  PREF (o, try_ssl); PREF (o, username);
#undef PREF

  set_string (prefs, a_identities, id_key);
  set_string (prefs, a_server, server_key);
  /* Thunderbird numbers its next account after lastKey, when it keeps one. */
  last_key = g_strdup_printf ("%u", account_n);
  if (last_value (prefs->statements, "mail.account.lastKey") != NULL)
    set_literal (prefs, "mail.account.lastKey", last_key);
  append_key (prefs, "mail.accountmanager.accounts", account_key);
  if (last_value (prefs->statements, "mail.accountmanager.defaultaccount") == NULL)
    set_string (prefs, "mail.accountmanager.defaultaccount", account_key);

  if (od_account_get_display_name (account) != NULL)
    set_string (prefs, i_fullName, od_account_get_display_name (account));
  set_string (prefs, i_smtpServer, smtp_key);
  set_string (prefs, i_useremail, od_account_get_address (account));
  set_literal (prefs, i_valid, "true");

  incoming_port = g_strdup_printf ("%u", od_account_get_incoming_port (account));
  set_literal (prefs, s_authMethod, "3");
  set_string (prefs, s_hostname, od_account_get_incoming_host (account));
  set_literal (prefs, s_login_at_startup, "true");
  set_string (prefs, s_name, od_account_get_address (account));
  set_literal (prefs, s_port, incoming_port);
  set_literal (prefs, s_socketType, socket_type (od_account_get_incoming_security (account)));
  set_string (prefs, s_type, g_str_equal (protocol, "pop3") ? "pop3" : "imap");
  set_string (prefs, s_userName, od_found_export_incoming_user (account));

  port = g_strdup_printf ("%u", od_account_get_port (account));
  set_literal (prefs, o_authMethod, auth_method (self));
  set_string (prefs, o_description, od_account_get_address (account));
  set_string (prefs, o_hostname, od_account_get_host (account));
  set_literal (prefs, o_port, port);
  set_literal (prefs, o_try_ssl, socket_type (od_account_get_security (account)));
  if (od_found_export_needs_login (self))
    set_string (prefs, o_username, od_account_get_username (account));
  append_key (prefs, "mail.smtpservers", smtp_key);
}

/**
 * od_found_export_plan_thunderbird:
 *
 * Plans an export to Thunderbird: the profile it starts with, its prefs.js with the account
 * added (read back through the reader, which must find the account as meant), and the
 * preferences set, as the text. Nothing is written.
 */
gboolean
od_found_export_plan_thunderbird (OdFoundExport        *self,
                                  const OdFoundContext *context,
                                  GError              **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *profile = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autoptr(GPtrArray) statements = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(OdFixText) text = NULL;
  const char *existing;
  const char *difference = "account";
  const char *last_key;
  guint account_n, smtp_n;
  gsize length;
  Prefs prefs;

  if (!od_found_export_has_incoming (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Thunderbird keeps a mail account only with a server for incoming "
                             "mail, and this account has none: set up its incoming server "
                             "first, or choose another mail program."));
      return FALSE;
    }
  dir = od_found_thunderbird_default_profile (context, &profile, error);
  if (dir == NULL)
    return FALSE;
  self->path = g_build_filename (dir, "prefs.js", NULL);
  if (!od_found_dotfile_read (self->path, &self->existing, &read_error) && read_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&read_error));
      return FALSE;
    }

  existing = self->existing != NULL ? self->existing : "";
  statements = od_prefs_js_parse_statements (existing, strlen (existing));
  text = od_fix_text_new (existing, strlen (existing));
  prefs = (Prefs) { text, statements, g_string_new (NULL) };

  account_n = next_number (statements, "mail.account.account");
  last_key = last_value (statements, "mail.account.lastKey");
  if (last_key != NULL)
    account_n = MAX (account_n, (guint)MIN (g_ascii_strtoull (last_key, NULL, 10) + 1, G_MAXINT32));
  smtp_n = next_number (statements, "mail.smtpserver.smtp");
  add_prefs (self, &prefs, account_n, next_number (statements, "mail.identity.id"),
             next_number (statements, "mail.server.server"), smtp_n);
  self->text = g_string_free (prefs.shown, FALSE);
  self->replacement = od_fix_text_render (text, &length);

  self->native_id = g_strdup_printf ("%s/smtp%u", profile, smtp_n);
  self->found_id = g_strdup_printf ("%s:%s", OD_ORIGIN_THUNDERBIRD, self->native_id);
  /* The incoming server always wants a password, which Thunderbird asks for. */
  self->secret = OD_FOUND_EXPORT_SECRET_ASK;
  od_found_export_note_pins (self, od_account_get_host (self->account),
                             od_account_get_port (self->account));
  od_found_export_note_pins (self, od_account_get_incoming_host (self->account),
                             od_account_get_incoming_port (self->account));

  /* Read back as Thunderbird's reader reads the file. */
  od_found_thunderbird_parse (self->replacement, length, profile, self->path, found);
  for (guint i = 0; i < found->len; i++)
    if (g_str_equal (od_found_account_get_id (found->pdata[i]), self->found_id))
      difference = od_found_export_compare (self, found->pdata[i]);
  if (difference != NULL)
    {
      od_found_export_set_read_back_error (self, difference, error);
      return FALSE;
    }
  return TRUE;
}

/**
 * od_found_export_check_thunderbird:
 *
 * Whether the planned prefs.js may be written: no Thunderbird uses the profile (it would
 * write its own settings back when it quits), the file may be written (not a symbolic link,
 * not read-only), and the profile has no account for the address yet.
 */
gboolean
od_found_export_check_thunderbird (OdFoundExport  *self,
                                   GError        **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *profile = g_path_get_basename (dir);

  if (od_found_thunderbird_profile_in_use (dir))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           _("Thunderbird is running: quit Thunderbird first, then try again. "
                             "A running Thunderbird writes its own settings back over the "
                             "new account when it quits. (If Thunderbird is not running, it "
                             "did not close properly: start it and quit it once.)"));
      return FALSE;
    }
  if (!od_found_export_file_check (self->path, error))
    return FALSE;
  if (self->existing != NULL)
    od_found_thunderbird_parse (self->existing, strlen (self->existing), profile, self->path,
                                found);
  return od_found_export_refuse_same_address (self, found, error);
}
