/* fake-goa-service.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A stand-in for goa-daemon on a test's private session bus: it owns
 * org.gnome.OnlineAccounts and exports, under /org/gnome/OnlineAccounts, the accounts a key
 * file describes, with GNOME Online Accounts' own D-Bus interfaces (libgoa's skeletons):
 * Account (EnsureCredentials), Mail, OAuth2Based (GetAccessToken), and PasswordBased. The
 * real goa-daemon would ask Google and Microsoft for the tokens; this one hands out the
 * token the test gave, or fails as the test says (a revoked sign-in, a consent error), so
 * that the tests never leave the machine.
 *
 *   fake-goa-service FILE
 *
 * FILE: one group per account, named by its id:
 *
 *   [account_1]
 *   Provider=google               (ProviderType; "ms_graph" has no Mail)
 *   ProviderName=Google
 *   Identity=ada@gmail.test
 *   AttentionNeeded=false
 *   Mail=true                     (export the Mail interface)
 *   OAuth2=true                   (OAuth2Based; else PasswordBased with SmtpPassword)
 *   Token=…                       (what GetAccessToken gives)
 *   TokenError=…                  (EnsureCredentials fails with this, GOA's NotAuthorized)
 *   EmailAddress, Name, SmtpHost, SmtpUserName, SmtpUseSsl, SmtpUseTls, ImapHost,
 *   ImapUserName, ImapUseSsl, ImapUseTls
 *
 * Prints "READY" on standard output once the name is owned; stops on SIGTERM or SIGINT. */

#include <glib-unix.h>
#include <stdio.h>

#define GOA_API_IS_SUBJECT_TO_CHANGE
#include <goa/goa.h>

typedef struct
{
  GKeyFile  *file;
  char      *group;
} Account;

static void
account_free (gpointer data)
{
  Account *account = data;

  g_free (account->group);
  g_free (account);
}

static char *
get (Account    *account,
     const char *key)
{
  return g_key_file_get_string (account->file, account->group, key, NULL);
}

static gboolean
get_bool (Account    *account,
          const char *key,
          gboolean    fallback)
{
  g_autoptr(GError) error = NULL;
  gboolean value = g_key_file_get_boolean (account->file, account->group, key, &error);

  return error != NULL ? fallback : value;
}

static gboolean
ensure_credentials_cb (GoaAccount            *object,
                       GDBusMethodInvocation *invocation,
                       gpointer               user_data)
{
  g_autofree char *error = get (user_data, "TokenError");

  if (error != NULL || goa_account_get_attention_needed (object))
    {
      g_dbus_method_invocation_return_error_literal (invocation, GOA_ERROR,
                                                     GOA_ERROR_NOT_AUTHORIZED,
                                                     error != NULL ? error
                                                       : "Account needs attention");
      return TRUE;
    }
  goa_account_complete_ensure_credentials (object, invocation, 3600);
  return TRUE;
}

static gboolean
get_access_token_cb (GoaOAuth2Based        *object,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  g_autofree char *token = get (user_data, "Token");
  g_autofree char *error = get (user_data, "TokenError");

  if (token == NULL || error != NULL)
    {
      g_dbus_method_invocation_return_error_literal (invocation, GOA_ERROR,
                                                     GOA_ERROR_NOT_AUTHORIZED,
                                                     error != NULL ? error : "No token");
      return TRUE;
    }
  goa_oauth2_based_complete_get_access_token (object, invocation, token, 3600);
  return TRUE;
}

static gboolean
get_password_cb (GoaPasswordBased      *object,
                 GDBusMethodInvocation *invocation,
                 const char            *id,
                 gpointer               user_data)
{
  g_autofree char *password = get (user_data, g_str_equal (id, "imap-password")
                                                ? "ImapPassword" : "SmtpPassword");

  goa_password_based_complete_get_password (object, invocation,
                                            password != NULL ? password : "");
  return TRUE;
}

static GoaMail *
new_mail (Account *account)
{
  GoaMail *mail = goa_mail_skeleton_new ();
  g_autofree char *email = get (account, "EmailAddress");
  g_autofree char *name = get (account, "Name");
  g_autofree char *smtp = get (account, "SmtpHost");
  g_autofree char *smtp_user = get (account, "SmtpUserName");
  g_autofree char *imap = get (account, "ImapHost");
  g_autofree char *imap_user = get (account, "ImapUserName");
  gboolean oauth2 = get_bool (account, "OAuth2", TRUE);

  goa_mail_set_email_address (mail, email);
  goa_mail_set_name (mail, name);
  goa_mail_set_smtp_supported (mail, smtp != NULL);
  goa_mail_set_smtp_host (mail, smtp);
  goa_mail_set_smtp_user_name (mail, smtp_user);
  goa_mail_set_smtp_use_auth (mail, TRUE);
  goa_mail_set_smtp_auth_xoauth2 (mail, oauth2);
  goa_mail_set_smtp_auth_plain (mail, !oauth2);
  goa_mail_set_smtp_use_ssl (mail, get_bool (account, "SmtpUseSsl", FALSE));
  goa_mail_set_smtp_use_tls (mail, get_bool (account, "SmtpUseTls", TRUE));
  goa_mail_set_imap_supported (mail, imap != NULL);
  goa_mail_set_imap_host (mail, imap);
  goa_mail_set_imap_user_name (mail, imap_user);
  goa_mail_set_imap_use_ssl (mail, get_bool (account, "ImapUseSsl", FALSE));
  goa_mail_set_imap_use_tls (mail, get_bool (account, "ImapUseTls", TRUE));
  return mail;
}

static void
export_account (GDBusObjectManagerServer *manager,
                Account                  *account)
{
  g_autofree char *path = g_strdup_printf ("/org/gnome/OnlineAccounts/Accounts/%s",
                                           account->group);
  g_autoptr(GoaObjectSkeleton) object = goa_object_skeleton_new (path);
  g_autoptr(GoaAccount) goa_account = goa_account_skeleton_new ();
  g_autofree char *provider = get (account, "Provider");
  g_autofree char *provider_name = get (account, "ProviderName");
  g_autofree char *identity = get (account, "Identity");

  goa_account_set_id (goa_account, account->group);
  goa_account_set_provider_type (goa_account, provider);
  goa_account_set_provider_name (goa_account, provider_name);
  goa_account_set_identity (goa_account, identity);
  goa_account_set_presentation_identity (goa_account, identity);
  goa_account_set_attention_needed (goa_account, get_bool (account, "AttentionNeeded", FALSE));
  g_signal_connect (goa_account, "handle-ensure-credentials", G_CALLBACK (ensure_credentials_cb),
                    account);
  goa_object_skeleton_set_account (object, goa_account);

  if (get_bool (account, "Mail", TRUE))
    {
      g_autoptr(GoaMail) mail = new_mail (account);

      goa_object_skeleton_set_mail (object, mail);
    }
  if (get_bool (account, "OAuth2", TRUE))
    {
      g_autoptr(GoaOAuth2Based) oauth2 = goa_oauth2_based_skeleton_new ();

      goa_oauth2_based_set_client_id (oauth2, "fake-client-id");
      g_signal_connect (oauth2, "handle-get-access-token", G_CALLBACK (get_access_token_cb),
                        account);
      goa_object_skeleton_set_oauth2_based (object, oauth2);
    }
  else
    {
      g_autoptr(GoaPasswordBased) password = goa_password_based_skeleton_new ();

      g_signal_connect (password, "handle-get-password", G_CALLBACK (get_password_cb), account);
      goa_object_skeleton_set_password_based (object, password);
    }
  g_dbus_object_manager_server_export (manager, G_DBUS_OBJECT_SKELETON (object));
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  g_print ("READY\n");
  fflush (stdout);
}

static void
name_lost_cb (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  g_printerr ("fake-goa-service: could not own %s\n", name);
  g_main_loop_quit (user_data);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GDBusObjectManagerServer) manager = NULL;
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (account_free);
  g_auto(GStrv) groups = NULL;
  guint owner;

  if (argc != 2 || !g_key_file_load_from_file (file, argv[1], G_KEY_FILE_NONE, &error))
    {
      g_printerr ("usage: fake-goa-service FILE%s%s\n", error ? ": " : "",
                  error ? error->message : "");
      return 2;
    }
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_printerr ("fake-goa-service: %s\n", error->message);
      return 1;
    }

  manager = g_dbus_object_manager_server_new ("/org/gnome/OnlineAccounts");
  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      Account *account = g_new0 (Account, 1);

      account->file = file;
      account->group = g_strdup (groups[i]);
      g_ptr_array_add (accounts, account);
      export_account (manager, account);
    }
  g_dbus_object_manager_server_set_connection (manager, bus);

  owner = g_bus_own_name_on_connection (bus, "org.gnome.OnlineAccounts",
                                        G_BUS_NAME_OWNER_FLAGS_NONE, name_acquired_cb,
                                        name_lost_cb, loop, NULL);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);
  g_bus_unown_name (owner);
  return 0;
}
