/* od-found-goa.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-found-bus.h"
#include "od-found-goa-private.h"
#include "od-text.h"

/* GNOME Online Accounts (3.46) through its daemon's D-Bus API: the accounts with a Mail
 * interface (the daemon gives one only when mail is switched on for the account). The
 * ports GOA uses when SmtpHost or ImapHost has none are its own (goaimapsmtpprovider.c):
 * 465 for SMTP with SSL, else 587; 993 for IMAP with SSL, else 143. docs/found-accounts.md
 * has the whole mapping. */

/* Text from GOA is a file's text: shown escaped, never as terminal controls. */
static char *
clean (const char *text)
{
  return text != NULL && text[0] != '\0' ? od_text_sanitize (text, -1, OD_TEXT_SINGLE_LINE)
                                          : NULL;
}

static OdSecurity
security_from_goa (gboolean use_ssl,
                   gboolean use_tls)
{
  /* As GOA's get_tls_type_from_object(): SSL first (Google sets both). */
  if (use_ssl)
    return OD_SECURITY_TLS;
  if (use_tls)
    return OD_SECURITY_STARTTLS;
  return OD_SECURITY_NONE;
}

/* "host:port", "[v6]:port": a server as GOA's entries and its accounts.conf take it (and
 * parse_host() reads it back). */
char *
od_found_goa_server_entry (const char *host,
                           guint16     port)
{
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", host, port);
  return g_strdup_printf ("%s:%u", host, port);
}

/* "host" or "host:port" or "[v6]:port", read as GOA reads it (g_network_address_parse). */
static gboolean
parse_host (const char  *value,
            guint16      default_port,
            char       **host,
            guint16     *port)
{
  g_autoptr(GSocketConnectable) address = NULL;

  if (value == NULL || value[0] == '\0')
    return FALSE;
  /* A host with control characters or spaces is no host (and never shown raw). */
  if (!od_text_is_clean (value, -1, OD_TEXT_SINGLE_LINE) || strpbrk (value, " \t") != NULL)
    return FALSE;
  address = g_network_address_parse (value, default_port, NULL);
  if (address == NULL)
    return FALSE;
  *host = g_strdup (g_network_address_get_hostname (G_NETWORK_ADDRESS (address)));
  *port = g_network_address_get_port (G_NETWORK_ADDRESS (address));
  return *host != NULL && (*host)[0] != '\0' && *port != 0;
}

static const char *
mechanism_from_goa (GoaMail *mail)
{
  if (!goa_mail_get_smtp_use_auth (mail))
    return OD_ACCOUNT_AUTH_NONE;
  if (goa_mail_get_smtp_auth_xoauth2 (mail))
    return "XOAUTH2";
  /* GOA's own SMTP login takes PLAIN when both are allowed (goasmtpauth.c). */
  if (goa_mail_get_smtp_auth_plain (mail))
    return "PLAIN";
  if (goa_mail_get_smtp_auth_login (mail))
    return "LOGIN";
  /* GOA assumes PLAIN when nothing is said (goaimapsmtpprovider.c). */
  return "PLAIN";
}

static void
map_incoming (OdFoundAccount *found,
              GoaMail        *mail)
{
  OdSecurity security;
  g_autofree char *host = NULL;
  g_autofree char *user = clean (goa_mail_get_imap_user_name (mail));
  guint16 port = 0;

  if (!goa_mail_get_imap_supported (mail))
    return;
  security = security_from_goa (goa_mail_get_imap_use_ssl (mail), goa_mail_get_imap_use_tls (mail));
  if (!parse_host (goa_mail_get_imap_host (mail), security == OD_SECURITY_TLS ? 993 : 143,
                   &host, &port))
    return;
  od_account_set_incoming (od_found_account_get_account (found), "imap", host, port, security,
                           user);
  if (goa_mail_get_imap_accept_ssl_errors (mail))
    od_found_account_add_note (found,
                               _("GNOME Online Accounts accepts any certificate for the incoming "
                                 "server; Outbox Doctor still checks it."));
}

static OdFoundAccount *
found_from_object (GoaObject *object)
{
  GoaAccount *account = goa_object_peek_account (object);
  GoaMail *mail = goa_object_peek_mail (object);
  OdFoundAccount *found;
  OdAccount *settings;
  OdSecurity security;
  g_autofree char *host = NULL;
  g_autofree char *address = NULL;
  g_autofree char *name = NULL;
  g_autofree char *user = NULL;
  guint16 port = 0;

  if (account == NULL || mail == NULL || !goa_mail_get_smtp_supported (mail))
    return NULL;
  /* The id becomes ours ("goa:ID"): one that is not clean text is not taken. */
  if (!od_text_is_clean (goa_account_get_id (account), -1, OD_TEXT_SINGLE_LINE))
    return NULL;
  security = security_from_goa (goa_mail_get_smtp_use_ssl (mail), goa_mail_get_smtp_use_tls (mail));
  if (!parse_host (goa_mail_get_smtp_host (mail), security == OD_SECURITY_TLS ? 465 : 587,
                   &host, &port))
    {
      g_debug ("GOA account %s: no SMTP server that can be read", goa_account_get_id (account));
      return NULL;
    }

  address = clean (goa_mail_get_email_address (mail));
  name = clean (goa_mail_get_name (mail));
  user = clean (goa_mail_get_smtp_user_name (mail));
  found = od_found_account_new (OD_ORIGIN_GOA, goa_account_get_id (account), address);
  settings = od_found_account_get_account (found);
  if (name != NULL)
    od_account_set_display_name (settings, name);
  od_account_set_host (settings, host);
  od_account_set_port (settings, port);
  od_account_set_security (settings, security);
  od_account_set_username (settings, user);
  od_account_set_auth_mechanism (settings, mechanism_from_goa (mail));
  od_found_account_set_source_path (found, g_dbus_object_get_object_path (G_DBUS_OBJECT (object)));
  od_found_account_set_provider (found, goa_account_get_provider_type (account));
  /* An OAuth account signs in with the token GOA hands out at the moment of the check. */
  od_found_account_set_secret (found, goa_object_peek_oauth2_based (object) != NULL
                                        ? OD_FOUND_SECRET_GOA_OAUTH2 : OD_FOUND_SECRET_GOA);
  if (goa_account_get_attention_needed (account))
    od_found_account_add_note (found,
                               _("GNOME Online Accounts needs you to sign in to this account "
                                 "again: sign in again in Settings → Online Accounts."));
  if (goa_mail_get_smtp_accept_ssl_errors (mail))
    od_found_account_add_note (found,
                               _("GNOME Online Accounts accepts any certificate for this "
                                 "server; Outbox Doctor still checks it."));
  map_incoming (found, mail);

  return found;
}

/* GNOME Online Accounts' Microsoft 365 provider (GOA 3.50 and later, "ms_graph") holds a
 * token for Microsoft Graph only, which no mail server takes: such an account is listed,
 * without a server, with a note that says so, so that nobody wonders why it is missing. */
static OdFoundAccount *
graph_only_account (GoaObject *object)
{
  GoaAccount *account = goa_object_peek_account (object);
  g_autofree char *identity = NULL;
  OdFoundAccount *found;

  if (account == NULL || g_strcmp0 (goa_account_get_provider_type (account), "ms_graph") != 0
      || !od_text_is_clean (goa_account_get_id (account), -1, OD_TEXT_SINGLE_LINE))
    return NULL;
  identity = clean (goa_account_get_presentation_identity (account));
  found = od_found_account_new (OD_ORIGIN_GOA, goa_account_get_id (account),
                                identity != NULL && strchr (identity, '@') != NULL ? identity : NULL);
  od_found_account_set_provider (found, "ms_graph");
  od_found_account_set_source_path (found, g_dbus_object_get_object_path (G_DBUS_OBJECT (object)));
  od_found_account_add_note (found,
                             _("GNOME Online Accounts’ Microsoft 365 account signs in for files, "
                               "calendars and contacts only (Microsoft Graph): it cannot send "
                               "mail over SMTP. Set the account up for mail in a mail program, "
                               "or here with its server."));
  return found;
}

static int
compare_objects (gconstpointer a,
                 gconstpointer b)
{
  GoaAccount *account_a = goa_object_peek_account (GOA_OBJECT ((gpointer)a));
  GoaAccount *account_b = goa_object_peek_account (GOA_OBJECT ((gpointer)b));

  return g_strcmp0 (account_a ? goa_account_get_id (account_a) : NULL,
                    account_b ? goa_account_get_id (account_b) : NULL);
}

/**
 * od_found_goa_client_new:
 *
 * Connects to GNOME Online Accounts, after od_found_bus_ensure_service() made sure within a
 * few seconds that the daemon runs and answers. The client's signals are emitted in the
 * caller's thread-default main context: push one of your own first.
 *
 * Returns: (transfer full): the client, or %NULL with @error in words for the person
 */
GoaClient *
od_found_goa_client_new (GCancellable  *cancellable,
                         GError       **error)
{
  GoaClient *client;
  GError *local = NULL;

  if (!od_found_bus_ensure_service (OD_FOUND_GOA_BUS_NAME, _("GNOME Online Accounts"),
                                    cancellable, error))
    return NULL;

  client = goa_client_new_sync (cancellable, &local);
  if (client == NULL)
    {
      g_dbus_error_strip_remote_error (local);
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, local);
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       /* Translators: %s is the system's own words */
                       _("GNOME Online Accounts could not be read: %s"), local->message);
          g_error_free (local);
        }
    }
  return client;
}

/**
 * od_found_read_goa:
 *
 * An #OdFoundReader for GNOME Online Accounts: every account with mail switched on and an
 * SMTP server, as "goa:ACCOUNT-ID" (GOA's own account id), its secret GOA. The context's
 * home is not used: GOA is asked over the session bus.
 */
gboolean
od_found_read_goa (const OdFoundContext  *context,
                   GPtrArray             *found,
                   GError               **error)
{
  g_autoptr(GMainContext) main_context = g_main_context_new ();
  g_autoptr(GoaClient) client = NULL;
  GList *objects;
  guint n = 0;

  g_return_val_if_fail (context != NULL && found != NULL, FALSE);

  /* GoaClient's object manager emits its signals in the thread-default context of its
   * creator: a private one, so nothing of it reaches the application's main loop. */
  g_main_context_push_thread_default (main_context);
  client = od_found_goa_client_new (context->cancellable, error);
  if (client == NULL)
    {
      g_main_context_pop_thread_default (main_context);
      return FALSE;
    }

  objects = g_list_sort (goa_client_get_accounts (client), compare_objects);
  for (GList *l = objects; l != NULL && n < OD_FOUND_GOA_MAX_ACCOUNTS; l = l->next, n++)
    {
      OdFoundAccount *account = found_from_object (l->data);

      if (account == NULL)
        account = graph_only_account (l->data);

      if (account != NULL)
        g_ptr_array_add (found, account);
    }
  g_list_free_full (objects, g_object_unref);
  g_clear_object (&client);
  g_main_context_pop_thread_default (main_context);

  return TRUE;
}

static char *
get_password (const char    *account_id,
              const char    *which,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GoaClient) client = NULL;
  g_autoptr(GoaObject) object = NULL;
  GoaPasswordBased *password_based;
  char *password = NULL;

  client = od_found_goa_client_new (cancellable, error);
  if (client == NULL)
    return NULL;

  object = goa_client_lookup_by_id (client, account_id);
  if (object == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   /* Translators: %s is an account's id */
                   _("GNOME Online Accounts has no account %s any more"), account_id);
      return NULL;
    }
  password_based = goa_object_peek_password_based (object);
  if (password_based == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This GNOME Online Accounts account signs in without a password"));
      return NULL;
    }
  if (!goa_password_based_call_get_password_sync (password_based, which, &password,
                                                  cancellable, error))
    {
      if (error != NULL && *error != NULL)
        g_dbus_error_strip_remote_error (*error);
      return NULL;
    }

  return password;
}

/* A token's errors in the person's words, GOA's own message kept (it may name the
 * provider's error, AADSTS65001 and the like, which the check reads). GOA's NotAuthorized (the
 * person must sign in again) becomes G_IO_ERROR_PERMISSION_DENIED; anything else (GOA not
 * answering, a network failure during the refresh) keeps its code. */
static void
adopt_token_error (GError **error)
{
  if (error == NULL || *error == NULL)
    return;
  if (g_error_matches (*error, GOA_ERROR, GOA_ERROR_NOT_AUTHORIZED))
    {
      GError *denied = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                                            (*error)->message);

      g_clear_error (error);
      *error = denied;
    }
  g_dbus_error_strip_remote_error (*error);
  if (!g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (error, "%s", _("GNOME Online Accounts could not sign in to the account: "));
}

static char *
get_access_token (const char    *account_id,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GoaClient) client = NULL;
  g_autoptr(GoaObject) object = NULL;
  GoaAccount *account;
  GoaOAuth2Based *oauth2;
  char *token = NULL;

  /* GOA's error domain, registered with D-Bus before any of its errors can arrive. */
  (void) GOA_ERROR;
  client = od_found_goa_client_new (cancellable, error);
  if (client == NULL)
    return NULL;
  object = goa_client_lookup_by_id (client, account_id);
  account = object != NULL ? goa_object_peek_account (object) : NULL;
  oauth2 = object != NULL ? goa_object_peek_oauth2_based (object) : NULL;
  if (account == NULL || oauth2 == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   /* Translators: %s is an account's id */
                   _("GNOME Online Accounts has no account %s any more"), account_id);
      return NULL;
    }

  /* EnsureCredentials first, whatever AttentionNeeded says: it refreshes the token and clears
   * the flag when the sign-in still works. A refresh may go over the network: GOA's own
   * deadline, within D-Bus's. */
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (account), OD_FOUND_GOA_TOKEN_TIMEOUT_MS);
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (oauth2), OD_FOUND_GOA_TOKEN_TIMEOUT_MS);
  if (!goa_account_call_ensure_credentials_sync (account, NULL, cancellable, error)
      || !goa_oauth2_based_call_get_access_token_sync (oauth2, &token, NULL, cancellable, error))
    {
      adopt_token_error (error);
      return NULL;
    }
  return token;
}

/**
 * od_found_goa_get_access_token_sync:
 * @account_id: GOA's id of an OAuth account (OAuth2Based)
 *
 * Asks GNOME Online Accounts for a fresh access token, as mail clients do at the moment
 * they connect: EnsureCredentials (which refreshes the token and tells whether the account
 * needs the person to sign in again), then GetAccessToken. Never logged.
 *
 * Returns: (transfer full): the token, which the caller wipes and frees; %NULL with @error
 *   (%G_IO_ERROR_PERMISSION_DENIED when GOA says the person must sign in again; another code
 *   when GOA could not be asked or could not refresh the token; GOA's message kept, prefixed)
 */
char *
od_found_goa_get_access_token_sync (const char    *account_id,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  g_autoptr(GMainContext) main_context = g_main_context_new ();
  char *token;

  g_return_val_if_fail (account_id != NULL, NULL);

  g_main_context_push_thread_default (main_context);
  token = get_access_token (account_id, cancellable, error);
  g_main_context_pop_thread_default (main_context);
  return token;
}

/**
 * od_found_goa_get_password_sync:
 * @account_id: GOA's id of the account (the native id of "goa:ACCOUNT-ID")
 * @which: "smtp-password" or "imap-password"
 *
 * Asks GNOME Online Accounts for the account's password (PasswordBased.GetPassword), as
 * mail clients do. Never logged.
 *
 * Returns: (transfer full): the password; the caller wipes and frees it
 */
char *
od_found_goa_get_password_sync (const char    *account_id,
                                const char    *which,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autoptr(GMainContext) main_context = g_main_context_new ();
  char *password;

  g_return_val_if_fail (account_id != NULL, NULL);
  g_return_val_if_fail (g_strcmp0 (which, "smtp-password") == 0 ||
                        g_strcmp0 (which, "imap-password") == 0, NULL);

  g_main_context_push_thread_default (main_context);
  password = get_password (account_id, which, cancellable, error);
  g_main_context_pop_thread_default (main_context);

  return password;
}
