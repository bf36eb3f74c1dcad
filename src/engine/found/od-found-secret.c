/* od-found-secret.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <string.h>

#include <libsecret/secret.h>

#include "od-found-evolution.h"
#include "od-found-goa.h"
#include "od-found-secret.h"

/* The password of an account another mail client keeps, from where that client keeps it:
 * GNOME Online Accounts hands it out, Evolution's is under its source's uid, the others'
 * (msmtp, git's credential helper, Geary) are keyring items found by the very attributes the
 * client looks them up by, whatever schema the client gave them. Never from a file, never
 * from a command. */

/**
 * od_found_account_lookup_password_sync:
 * @incoming: the incoming server's password rather than the outgoing one's
 *
 * Runs in a worker thread or a command-line tool: it blocks (the keyring may prompt).
 *
 * Returns: (transfer full) (nullable): the password, to be freed with
 *   od_found_password_free(); %NULL without @error when the client keeps none where Outbox
 *   Doctor may read it (the person is asked then)
 */
char *
od_found_account_lookup_password_sync (OdFoundAccount  *found,
                                       gboolean         incoming,
                                       GCancellable    *cancellable,
                                       GError         **error)
{
  GHashTable *attributes;
  const char *uid;

  g_return_val_if_fail (OD_IS_FOUND_ACCOUNT (found), NULL);

  switch (od_found_account_get_secret (found))
    {
    case OD_FOUND_SECRET_GOA:
      return od_found_goa_get_password_sync (od_found_account_get_native_id (found),
                                             incoming ? "imap-password" : "smtp-password",
                                             cancellable, error);

    case OD_FOUND_SECRET_GOA_OAUTH2:
      /* No password: a token (od_found_account_set_up_token_sync()). */
      return NULL;

    case OD_FOUND_SECRET_KEYRING:
      attributes = od_found_account_get_keyring_attributes (found);
      uid = g_hash_table_lookup (attributes, "e-source-uid");
      if (g_str_equal (od_found_account_get_origin (found), OD_ORIGIN_EVOLUTION) && uid != NULL)
        return od_found_evolution_lookup_password_sync (incoming ? od_found_account_get_native_id (found)
                                                                 : uid,
                                                        cancellable, error);
      /* Exactly the attributes the client looks its item up by, whatever schema it gave the
       * item: no schema here, so none is checked or added. */
      if (g_hash_table_size (attributes) == 0)
        return NULL;
      return secret_password_lookupv_sync (NULL, attributes, cancellable, error);

    case OD_FOUND_SECRET_ASK:
    default:
      return NULL;
    }
}

/**
 * od_found_password_free:
 *
 * Wipes and frees a password od_found_account_lookup_password_sync() returned (libsecret's
 * and GOA's alike: both may be freed with g_free()).
 */
void
od_found_password_free (char *password)
{
  if (password == NULL)
    return;

  memset (password, 0, strlen (password));
  g_free (password);
}

/**
 * od_found_account_set_up_token_sync:
 * @found: an account whose secret is %OD_FOUND_SECRET_GOA_OAUTH2
 * @check: its check, about to run
 *
 * Fetches the account's access token now, from GNOME Online Accounts, and gives it to
 * @check, which signs in with it (XOAUTH2 or OAUTHBEARER); when there is none, @check gets
 * the reason instead and its login step fails with it (oauth-signin-required and the like)
 * after the connection steps. Blocks: for a worker thread or a command-line tool. The token
 * is wiped once the check has its copy.
 */
void
od_found_account_set_up_token_sync (OdFoundAccount *found,
                                    OdCheck        *check,
                                    GCancellable   *cancellable)
{
  g_autoptr(GError) error = NULL;
  const char *issuer = od_found_origin_get_name (OD_ORIGIN_GOA);
  const char *provider = od_found_account_get_provider (found);
  char *token;

  g_return_if_fail (OD_IS_FOUND_ACCOUNT (found));
  g_return_if_fail (od_found_account_get_secret (found) == OD_FOUND_SECRET_GOA_OAUTH2);
  g_return_if_fail (OD_IS_CHECK (check));

  token = od_found_goa_get_access_token_sync (od_found_account_get_native_id (found),
                                              cancellable, &error);
  if (token != NULL)
    od_check_set_access_token (check, token, issuer, provider);
  else
    od_check_set_token_error (check, error, issuer, provider);
  od_found_password_free (token);
}
