/* od-account-check.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-account"

#include "config.h"

#include "od-account-check.h"
#include "od-account-private.h"
#include "od-address.h"
#include "od-candidate.h"
#include "od-check-delivery.h"
#include "od-trust.h"

/* A server named by a DNS SRV record outside the address's domain, never confirmed: an
 * account saved before such servers needed a confirmation. Its certificate may still
 * vouch for it (od_check_set_unconfirmed()). */
static gboolean
needs_confirmation (OdAccount *account)
{
  g_autofree char *domain = od_address_dup_ascii_domain (od_account_get_address (account));
  g_autofree char *registrable = domain ? od_trust_registrable_domain (domain) : NULL;

  if (g_strcmp0 (od_account_get_settings_source (account), "srv") != 0)
    return FALSE;

  return !od_trust_host_within (od_account_get_host (account),
                                registrable ? registrable : domain) &&
         !od_account_get_server_confirmed (account, od_account_get_host (account),
                                           od_account_get_port (account));
}

/**
 * od_account_create_check:
 *
 * The check of @account as it is saved: its address, server, user name, and the
 * certificates the user trusted for that server and port. The caller adds the password, the
 * recipient and whether a test message is sent.
 *
 * Returns: (transfer full): a check, ready to run
 */
OdCheck *
od_account_create_check (OdAccount *account)
{
  g_auto(GStrv) pins = NULL;
  g_auto(GStrv) endpoints = NULL;
  OdCheck *check;

  g_return_val_if_fail (OD_IS_ACCOUNT (account), NULL);

  check = od_check_new (od_account_get_address (account), od_account_get_host (account),
                        od_account_get_port (account), od_account_get_security (account));
  od_check_set_username (check, od_account_get_username (account));

  pins = od_account_dup_pinned_fingerprints (account, od_account_get_host (account),
                                             od_account_get_port (account));
  if (pins != NULL)
    od_check_set_pinned_fingerprints (check, (const char * const *)pins);

  /* Certificates trusted for the server's other ports, for when the check looks at them. */
  endpoints = od_account_list_pinned_endpoints (account);
  for (guint i = 0; endpoints[i] != NULL; i++)
    {
      g_autofree char *host = NULL;
      guint16 port;

      if (od_account_parse_endpoint (endpoints[i], &host, &port) &&
          g_ascii_strcasecmp (host, od_account_get_host (account)) == 0 &&
          port != od_account_get_port (account))
        od_check_set_other_port_pins (check, port, od_account_peek_pins (account, endpoints[i]));
    }

  if (needs_confirmation (account))
    {
      g_autofree char *why = od_untrusted_describe (OD_UNTRUSTED_DNS, NULL);
      od_check_set_unconfirmed (check, why);
    }

  return check;
}

/**
 * od_account_create_incoming_check:
 *
 * The check of @account's incoming server as it is saved: its protocol (IMAP or POP3),
 * server and user name, and the certificates the user trusted for that server and port.
 * The caller adds the password (od_secret_store_lookup_incoming_for_account_async()).
 *
 * Returns: (transfer full) (nullable): a check, ready to run; %NULL when the account has no
 *   incoming server
 */
OdCheck *
od_account_create_incoming_check (OdAccount *account)
{
  g_auto(GStrv) pins = NULL;
  const char *host;
  const char *username;
  OdProtocol protocol;
  guint16 port;
  OdCheck *check;

  g_return_val_if_fail (OD_IS_ACCOUNT (account), NULL);

  host = od_account_get_incoming_host (account);
  port = od_account_get_incoming_port (account);
  if (host == NULL || port == 0)
    return NULL;

  if (!od_protocol_from_string (od_account_get_incoming_protocol (account), &protocol) ||
      !od_protocol_is_incoming (protocol))
    protocol = od_protocol_for_incoming_port (port);

  check = od_check_new (od_account_get_address (account), host, port,
                        od_account_get_incoming_security (account));
  od_check_set_protocol (check, protocol);
  username = od_account_get_incoming_username (account);
  od_check_set_username (check, username ? username : od_account_get_username (account));

  pins = od_account_dup_pinned_fingerprints (account, host, port);
  if (pins != NULL)
    od_check_set_pinned_fingerprints (check, (const char * const *)pins);

  return check;
}

/**
 * od_account_record_check:
 * @check: a finished check of @account, possibly with changed settings (a fix the user
 *   chose, such as another port)
 *
 * Keeps the verdict and the main problem of @check as the account's last result. A check
 * that did not fail with other settings than the account's makes them the account's: a fix
 * or an edit is kept once it works. A check that failed with other settings says nothing
 * about the account's own: it leaves the account as it was. The caller saves the account
 * store.
 *
 * Returns: whether the server or the user name changed, which is what the account's
 *   password is filed under in the keyring
 */
gboolean
od_account_record_check (OdAccount *account,
                         OdCheck   *check)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  OdChecklist *checklist;
  OdProblem *problem;
  OdStepState verdict;
  gboolean moved;

  g_return_val_if_fail (OD_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (OD_IS_CHECK (check), FALSE);

  /* The last result and the settings kept are those of sending; a check of the incoming
   * server changes neither. */
  if (od_protocol_is_incoming (od_check_get_protocol (check)))
    return FALSE;

  checklist = od_check_get_checklist (check);
  verdict = od_checklist_get_verdict (checklist);
  problem = od_checklist_get_main_problem (checklist);

  moved = g_strcmp0 (od_account_get_host (account), od_check_get_host (check)) != 0 ||
          od_account_get_port (account) != od_check_get_port (check) ||
          g_strcmp0 (od_account_get_username (account), od_check_get_username (check)) != 0;

  if (verdict == OD_STEP_STATE_FAIL &&
      (moved || od_account_get_security (account) != od_check_get_security (check)))
    return FALSE;

  od_account_set_last_check (account, od_step_state_to_string (verdict),
                             problem ? od_problem_get_id (problem) : NULL, now,
                             od_check_get_message_sent (check));

  if (verdict == OD_STEP_STATE_FAIL)
    return FALSE;

  od_account_set_host (account, od_check_get_host (check));
  od_account_set_port (account, od_check_get_port (check));
  od_account_set_security (account, od_check_get_security (check));
  od_account_set_username (account, od_check_get_username (check));

  return moved;
}

/**
 * od_account_has_incoming:
 *
 * Returns: whether the account knows its incoming server (IMAP or POP3), so that a check
 *   can look for its test message there
 */
gboolean
od_account_has_incoming (OdAccount *account)
{
  OdProtocol protocol;

  g_return_val_if_fail (OD_IS_ACCOUNT (account), FALSE);

  return od_account_get_incoming_host (account) != NULL &&
         od_account_get_incoming_port (account) != 0 &&
         od_protocol_from_string (od_account_get_incoming_protocol (account), &protocol) &&
         od_protocol_is_incoming (protocol);
}

/**
 * od_account_set_up_round_trip:
 * @incoming_password: (nullable): the incoming server's password when the keyring holds
 *   one of its own; %NULL uses the outgoing password
 *
 * Makes @check look for its test message on the account's incoming server, with the
 * certificates the user trusted for that server and port.
 *
 * Returns: %FALSE when the account has no incoming server
 */
gboolean
od_account_set_up_round_trip (OdAccount  *account,
                              OdCheck    *check,
                              const char *incoming_password)
{
  g_auto(GStrv) pins = NULL;
  OdProtocol protocol = OD_PROTOCOL_IMAP;
  const char *username;

  g_return_val_if_fail (OD_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (OD_IS_CHECK (check), FALSE);

  if (!od_account_has_incoming (account))
    return FALSE;

  od_protocol_from_string (od_account_get_incoming_protocol (account), &protocol);
  username = od_account_get_incoming_username (account);
  od_check_set_round_trip (check, protocol, od_account_get_incoming_host (account),
                           od_account_get_incoming_port (account),
                           od_account_get_incoming_security (account),
                           username != NULL ? username : od_account_get_username (account),
                           incoming_password);

  pins = od_account_dup_pinned_fingerprints (account, od_account_get_incoming_host (account),
                                             od_account_get_incoming_port (account));
  if (pins != NULL)
    od_check_set_round_trip_pins (check, (const char * const *)pins);

  return TRUE;
}
