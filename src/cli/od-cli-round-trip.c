/* od-cli-round-trip.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbox-doctor-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "od-account-check.h"
#include "od-check-delivery.h"
#include "od-cli-common.h"
#include "od-cli-round-trip.h"
#include "od-found-secret.h"
#include "od-secret-store.h"

/* `check --send-test --round-trip`: after the outgoing server accepted the test message,
 * look for it on the incoming server: the saved account's (--account), or the one given
 * with --incoming-host and friends. */

#define MAX_WAIT_S 3600

void
od_cli_round_trip_clear (OdCliRoundTrip *rt)
{
  g_clear_pointer (&rt->host, g_free);
  g_clear_pointer (&rt->security, g_free);
  g_clear_pointer (&rt->protocol, g_free);
}

/* The options join the main group, so that `check --help` lists them with the others. */
void
od_cli_round_trip_add_entries (OdCliRoundTrip *rt,
                               GOptionContext *context)
{
  const GOptionEntry entries[] = {
    { "round-trip", 0, 0, G_OPTION_ARG_NONE, &rt->enabled, N_("After sending the test message, look for it in the inbox and the spam folder"), NULL },
    { "round-trip-wait", 0, 0, G_OPTION_ARG_INT, &rt->wait, N_("Look for the test message this many seconds at most (default: 60)"), N_("SECONDS") },
    { "round-trip-delete", 0, 0, G_OPTION_ARG_NONE, &rt->delete_after, N_("Delete the test message once found"), NULL },
    { "incoming-host", 0, 0, G_OPTION_ARG_STRING, &rt->host, N_("The incoming server, for --round-trip without --account"), N_("HOST") },
    { "incoming-port", 0, 0, G_OPTION_ARG_INT, &rt->port, N_("The incoming server’s port (default: 993 for IMAP, 995 for POP3)"), N_("PORT") },
    { "incoming-security", 0, 0, G_OPTION_ARG_STRING, &rt->security, N_("The incoming server’s encryption: tls or starttls (default: tls on 993 and 995, starttls otherwise)"), N_("MODE") },
    { "incoming-protocol", 0, 0, G_OPTION_ARG_STRING, &rt->protocol, N_("The incoming server’s protocol: imap or pop3 (default: imap, pop3 on ports 110 and 995)"), N_("PROTOCOL") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static gboolean
given_without_round_trip (OdCliRoundTrip *rt)
{
  return rt->wait != -1 || rt->delete_after || rt->host != NULL || rt->port != 0 ||
         rt->security != NULL || rt->protocol != NULL;
}

/* The incoming server of the options, completed: the protocol from the port, the
 * encryption from the port, the port from both. */
static gboolean
parse_incoming (OdCliRoundTrip *rt,
                GOptionContext *context,
                OdProtocol     *protocol,
                OdSecurity     *security,
                int            *status)
{
  if (rt->protocol != NULL &&
      (!od_protocol_from_string (rt->protocol, protocol) || !od_protocol_is_incoming (*protocol)))
    {
      *status = od_cli_usage_error (context, _("--incoming-protocol must be imap or pop3."));
      return FALSE;
    }
  if (rt->protocol == NULL)
    *protocol = rt->port != 0 ? od_protocol_for_incoming_port (rt->port) : OD_PROTOCOL_IMAP;

  /* No password over an unencrypted incoming server: refused before anything connects. */
  if (rt->security != NULL &&
      (!od_security_from_string (rt->security, security) || *security == OD_SECURITY_NONE))
    {
      *status = od_cli_usage_error (context, _("--incoming-security must be tls or starttls."));
      return FALSE;
    }
  if (rt->security == NULL)
    *security = rt->port == 0 || rt->port == 993 || rt->port == 995 ? OD_SECURITY_TLS
                                                                    : OD_SECURITY_STARTTLS;

  if (rt->port == 0)
    rt->port = *protocol == OD_PROTOCOL_POP3 ? (*security == OD_SECURITY_TLS ? 995 : 110)
                                             : (*security == OD_SECURITY_TLS ? 993 : 143);
  if (rt->port < 1 || rt->port > 65535)
    {
      *status = od_cli_usage_error (context, _("--incoming-port must be between 1 and 65535."));
      return FALSE;
    }

  return TRUE;
}

/**
 * od_cli_round_trip_check_options:
 * @saved: (nullable): the account of --account
 *
 * Before anything connects: the round trip's options make sense together. Returns FALSE
 * with @status set (a usage error) after saying what is wrong.
 */
gboolean
od_cli_round_trip_check_options (OdCliRoundTrip *rt,
                                 GOptionContext *context,
                                 gboolean        send_test,
                                 OdAccount      *saved,
                                 gboolean        detecting,
                                 int            *status)
{
  OdProtocol protocol;
  OdSecurity security;

  if (!rt->enabled)
    {
      if (!given_without_round_trip (rt))
        return TRUE;
      *status = od_cli_usage_error (context, _("--round-trip-wait, --round-trip-delete and "
                                               "the --incoming-… options need --round-trip."));
      return FALSE;
    }

  if (!send_test)
    {
      *status = od_cli_usage_error (context, _("--round-trip looks for the test message in "
                                               "your mailbox, so it needs --send-test."));
      return FALSE;
    }

  if (rt->wait != -1 && (rt->wait < 1 || rt->wait > MAX_WAIT_S))
    {
      *status = od_cli_usage_error (context, _("--round-trip-wait must be between 1 and 3600 "
                                               "seconds."));
      return FALSE;
    }

  if (saved != NULL && (rt->host != NULL || rt->port != 0 || rt->security != NULL ||
                        rt->protocol != NULL))
    {
      *status = od_cli_usage_error (context, _("--account cannot be combined with the "
                                               "--incoming-… options: the account knows its "
                                               "incoming server."));
      return FALSE;
    }

  if (saved != NULL && !od_account_has_incoming (saved))
    {
      *status = od_cli_usage_error (NULL, _("--round-trip looks for the test message on the "
                                            "incoming server, but this account does not know "
                                            "its incoming server. Set it up again, or check "
                                            "with --address and --incoming-host instead."));
      return FALSE;
    }

  /* Without --host the server is detected, and the incoming server with it. */
  if (saved == NULL && rt->host == NULL && !detecting)
    {
      *status = od_cli_usage_error (context, _("--round-trip looks for the test message on the "
                                               "incoming server: name it with "
                                               "--incoming-host, or check a saved account "
                                               "with --account."));
      return FALSE;
    }

  return saved != NULL || rt->host == NULL ||
         parse_incoming (rt, context, &protocol, &security, status);
}

/* The incoming server's own password from the keyring, when the account has one there
 * (an item with protocol imap or pop3); NULL otherwise. */
/* Another client's account: its incoming password from where that client keeps it (GOA's
 * imap-password, Evolution's mail account item, …); NULL to use the sending one. */
static char *
found_incoming_password (OdFoundAccount *found)
{
  if (od_found_account_get_secret (found) == OD_FOUND_SECRET_ASK)
    return NULL;

  return od_found_account_lookup_password_sync (found, TRUE, NULL, NULL);
}

static char *
incoming_password (OdAccount *saved)
{
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(OdCliWait) wait = { 0 };
  const char *user = od_account_get_incoming_username (saved);

  od_secret_store_lookup_async (secrets, od_account_get_id (saved),
                                od_account_get_incoming_protocol (saved),
                                od_account_get_incoming_host (saved),
                                od_account_get_incoming_port (saved),
                                user != NULL ? user : od_account_get_username (saved),
                                cancellable, od_cli_wait_cb, &wait);
  return od_secret_store_lookup_finish (secrets, od_cli_wait (&wait, cancellable), NULL);
}

/**
 * od_cli_round_trip_apply:
 *
 * @saved: (nullable): the account of --account (ours, or another client's as it is)
 * @found: (nullable): the other client's account of --account: the incoming password comes
 *   from where that client keeps it
 *
 * Gives @check its round trip, when asked for (options checked before with
 * od_cli_round_trip_check_options()). Returns FALSE with @status set.
 */
gboolean
od_cli_round_trip_apply (OdCliRoundTrip *rt,
                         OdCheck        *check,
                         OdAccount      *saved,
                         OdFoundAccount *found,
                         OdDiscovery    *discovery,
                         int            *status)
{
  OdProtocol protocol;
  OdSecurity security;

  if (!rt->enabled)
    return TRUE;

  if (saved != NULL)
    {
      /* Most providers take the same password for sending and reading mail, so the
       * outgoing password (already the check's) serves unless the keyring holds one of the
       * incoming server's own. */
      char *password = found != NULL ? found_incoming_password (found)
                                     : incoming_password (saved);

      od_account_set_up_round_trip (saved, check, password);
      if (password != NULL && found != NULL)
        od_found_password_free (password);
      else if (password != NULL)
        od_secret_store_free_password (password);
    }
  else if (rt->host == NULL)
    {
      /* The incoming server the detection verified (a trusted one only). */
      OdCandidate *incoming = discovery ? od_discovery_get_incoming (discovery) : NULL;

      if (incoming == NULL)
        {
          *status = od_cli_usage_error (NULL, _("--round-trip looks for the test message on "
                                                "the incoming server, and none was found for "
                                                "this address: name it with --incoming-host."));
          return FALSE;
        }
      od_check_set_round_trip (check, od_candidate_get_protocol (incoming),
                               od_candidate_get_host (incoming),
                               od_candidate_get_port (incoming),
                               od_candidate_get_security (incoming),
                               od_candidate_get_username (incoming)
                               ? od_candidate_get_username (incoming)
                               : od_check_get_username (check), NULL);
    }
  else
    {
      if (!parse_incoming (rt, NULL, &protocol, &security, status))
        return FALSE;
      /* --password-stdin gives one password: the same for both servers. */
      od_check_set_round_trip (check, protocol, rt->host, rt->port, security,
                               od_check_get_username (check), NULL);
    }

  if (rt->wait != -1)
    od_check_set_round_trip_wait (check, rt->wait * 1000);
  od_check_set_round_trip_delete (check, rt->delete_after);

  return TRUE;
}
