/* od-found-fix-goa.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-found-fix-goa.h"
#include "od-found-goa-private.h"
#include "od-text.h"

/* GNOME Online Accounts' fixer, which cannot fix: GOA 3.46 has no call to change an
 * account's settings, and its own dialog shows an IMAP and SMTP account's servers read-only
 * (goaimapsmtpprovider.c: show_account() prints them, refresh_account() makes the entries
 * uneditable). The only way is to remove the account and add it again. So the fixer always
 * fails with G_IO_ERROR_NOT_SUPPORTED, and its message says exactly what to enter on the
 * SMTP page of GOA's "IMAP and SMTP" dialog: the server with its port, the encryption as
 * the dialog names it, the user name. The servers of the other providers (Google,
 * Microsoft, …) are GOA's own: nothing to enter. Replacing the account through
 * Manager.AddAccount is not done (yet). */

/* GOA's own words, from its translations (gettext domain gnome-online-accounts), so the
 * message reads as the dialog does. Not in a gettext call of ours: they are GOA's strings. */
#define GOA_GETTEXT_DOMAIN "gnome-online-accounts"

static const char * const goa_provider_name = "IMAP and SMTP";
static const char * const goa_encryption[] = {
  [OD_SECURITY_TLS]      = "SSL on a dedicated port",
  [OD_SECURITY_STARTTLS] = "STARTTLS after connecting",
  [OD_SECURITY_NONE]     = "None",
};

static const char *
goa_word (const char *msgid)
{
  return g_dgettext (GOA_GETTEXT_DOMAIN, msgid);
}

static void
set_change_error (GError         **error,
                  OdFoundAccount  *found,
                  const char      *name,
                  const OdFoundFix *fix)
{
  OdAccount *account = od_found_account_get_account (found);
  OdSecurity security = fix->set_security ? fix->security : od_account_get_security (account);
  const char *host = fix->host != NULL ? fix->host : od_account_get_host (account);
  const char *user = fix->username != NULL ? fix->username : od_account_get_username (account);
  guint16 port = fix->port != 0 ? fix->port : od_account_get_port (account);
  g_autofree char *entry = od_found_goa_server_entry (host != NULL ? host : "", port);
  g_autofree char *server = od_text_sanitize (entry, -1, OD_TEXT_SINGLE_LINE);
  g_autofree char *clean_user = NULL;

  g_assert (security < G_N_ELEMENTS (goa_encryption));

  if (user == NULL || user[0] == '\0' ||
      g_strcmp0 (od_account_get_auth_mechanism (account), OD_ACCOUNT_AUTH_NONE) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   /* Translators: GNOME Online Accounts' own words are filled in: the first
                    * %s is the account ("alice@example.org"), the second the kind of account
                    * ("IMAP and SMTP"), then the server with its port
                    * ("smtp.example.org:587") and the encryption ("STARTTLS after
                    * connecting"). Use the words of GNOME Online Accounts' dialog in your
                    * language for "SMTP Server", "Encryption" and "Username". */
                   _("GNOME Online Accounts cannot change the servers of an account. In "
                     "Settings → Online Accounts, remove %s and add it again as “%s” with the "
                     "settings it had, and on the SMTP page: SMTP Server “%s”, Encryption "
                     "“%s”, Username left empty."),
                   name, goa_word (goa_provider_name), server, goa_word (goa_encryption[security]));
      return;
    }

  clean_user = od_text_sanitize (user, -1, OD_TEXT_SINGLE_LINE);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               /* Translators: GNOME Online Accounts' own words are filled in: the first %s
                * is the account ("alice@example.org"), the second the kind of account ("IMAP
                * and SMTP"), then the server with its port ("smtp.example.org:587"), the
                * encryption ("STARTTLS after connecting") and the user name. Use the words
                * of GNOME Online Accounts' dialog in your language for "SMTP Server",
                * "Encryption" and "Username". */
               _("GNOME Online Accounts cannot change the servers of an account. In "
                 "Settings → Online Accounts, remove %s and add it again as “%s” with the "
                 "settings it had, and on the SMTP page: SMTP Server “%s”, Encryption “%s”, "
                 "Username “%s”."),
               name, goa_word (goa_provider_name), server, goa_word (goa_encryption[security]),
               clean_user);
}

static void
explain (GoaClient       *client,
         OdFoundAccount  *found,
         const OdFoundFix *fix,
         GError         **error)
{
  g_autoptr(GoaObject) object = goa_client_lookup_by_id (client,
                                                         od_found_account_get_native_id (found));
  GoaAccount *account = object != NULL ? goa_object_peek_account (object) : NULL;
  g_autofree char *name = NULL;
  g_autofree char *provider = NULL;

  if (account == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   /* Translators: %s is an account's id */
                   _("GNOME Online Accounts has no account %s any more"),
                   od_found_account_get_native_id (found));
      return;
    }
  /* As Settings → Online Accounts lists it. */
  name = od_text_sanitize (goa_account_get_presentation_identity (account) != NULL
                             ? goa_account_get_presentation_identity (account)
                             : goa_account_get_id (account),
                           -1, OD_TEXT_SINGLE_LINE);

  if (g_strcmp0 (goa_account_get_provider_type (account), "imap_smtp") == 0)
    {
      set_change_error (error, found, name, fix);
      return;
    }

  provider = od_text_sanitize (goa_account_get_provider_name (account) != NULL
                                 ? goa_account_get_provider_name (account)
                                 : goa_account_get_provider_type (account),
                               -1, OD_TEXT_SINGLE_LINE);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               /* Translators: the first %s is a kind of account ("Google"), the second the
                * account ("bob@gmail.com") */
               _("GNOME Online Accounts sets the servers of the %s account %s itself: they "
                 "cannot be changed."),
               provider, name);
}

/**
 * od_found_fix_goa:
 *
 * The #OdFoundFixer for GNOME Online Accounts: changes nothing, because GOA 3.46 cannot
 * change an account's settings (neither over D-Bus nor in its dialog), and fails with
 * G_IO_ERROR_NOT_SUPPORTED and a message that names the change to make by hand in Settings
 * → Online Accounts (for an IMAP and SMTP account: remove it and add it again with the
 * SMTP settings given), or that the provider's servers cannot be changed. Other errors:
 * G_IO_ERROR_NOT_FOUND (no such account, no GOA in the session), G_IO_ERROR_TIMED_OUT.
 *
 * Returns: %FALSE
 */
gboolean
od_found_fix_goa (const OdFoundContext  *context,
                  OdFoundAccount        *found,
                  const OdFoundFix      *fix,
                  char                 **backup,
                  GError               **error)
{
  g_autoptr(GMainContext) main_context = g_main_context_new ();
  GoaClient *client;

  g_return_val_if_fail (context != NULL, FALSE);
  g_return_val_if_fail (OD_IS_FOUND_ACCOUNT (found), FALSE);
  g_return_val_if_fail (g_strcmp0 (od_found_account_get_origin (found), OD_ORIGIN_GOA) == 0,
                        FALSE);
  g_return_val_if_fail (fix != NULL, FALSE);

  if (backup != NULL)
    *backup = NULL;

  /* GoaClient's signals go to a context of our own (see od_found_read_goa()). */
  g_main_context_push_thread_default (main_context);
  client = od_found_goa_client_new (context->cancellable, error);
  if (client != NULL)
    {
      explain (client, found, fix, error);
      g_object_unref (client);
    }
  g_main_context_pop_thread_default (main_context);

  return FALSE;
}
