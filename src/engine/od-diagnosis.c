/* od-diagnosis.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-diagnosis"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-diagnosis.h"

/* The diagnosis turns what went wrong (a GError or an SMTP reply at a given step) into a
 * problem id of the contract, with a plain-language summary and a remedy a non-expert can act
 * on. The ids are stable; the texts are translated at the moment a problem is built.
 *
 * Decisions worth knowing (see also the comments at each rule):
 *
 * - GNetworkMonitor's hint: `connectivity == 0` is not a GNetworkConnectivity value, so it
 *   means "the monitor was not asked" and `network_available` is ignored then; this keeps a
 *   zero-initialised context from blaming every time-out on the network. With the monitor's
 *   answer, PORTAL gives captive-portal, and no network (or LIMITED, which cannot reach the
 *   internet) gives network-offline for connect time-outs, unreachable hosts and resolver
 *   failures other than NOT_FOUND (a "no such name" answer is authoritative).
 * - Certificate failures are reported by one id, chosen in this order: expired/not yet
 *   valid first (a date problem is unambiguous, and a wrong computer clock shows up this way,
 *   which the user can fix), then untrusted (a self-signed certificate usually also has the
 *   wrong name, and changing the name would not help), then the hostname mismatch (a trusted
 *   certificate for another name: use the documented host name). Other flags (revoked,
 *   insecure) count as untrusted.
 * - The server hanging up is treated as a 451 (RFC 5321 §3.8): server-error-temporary, except
 *   before the greeting (server-busy: overloaded or refusing our address) and during the TLS
 *   handshake (tls-handshake-failed).
 * - Microsoft's 5.7.139 and 5.7.30 and Yahoo's #AUTH005 are reported as
 *   auth-app-password-required: the password may be right, but the provider (or the
 *   organisation's administrator) does not accept passwords from mail programs; re-typing it
 *   does not help, which is what auth-failed would suggest.
 * - A cancelled operation is treated as a time-out: the whole-run deadline cancels. */

typedef enum
{
  PROBLEM_NETWORK_OFFLINE,
  PROBLEM_CAPTIVE_PORTAL,
  PROBLEM_DNS_NO_SUCH_HOST,
  PROBLEM_DNS_FAILURE,
  PROBLEM_NO_SETTINGS_FOUND,
  PROBLEM_PORT_BLOCKED,
  PROBLEM_CONNECTION_REFUSED,
  PROBLEM_HOST_UNREACHABLE,
  PROBLEM_ENCRYPTION_MISMATCH,
  PROBLEM_STARTTLS_NOT_OFFERED,
  PROBLEM_STARTTLS_FAILED,
  PROBLEM_TLS_CERTIFICATE_UNTRUSTED,
  PROBLEM_TLS_CERTIFICATE_EXPIRED,
  PROBLEM_TLS_CERTIFICATE_HOSTNAME_MISMATCH,
  PROBLEM_TLS_HANDSHAKE_FAILED,
  PROBLEM_TLS_CERTIFICATE_CHANGED,
  PROBLEM_SERVER_BUSY,
  PROBLEM_SERVER_TIMEOUT,
  PROBLEM_PROTOCOL_ERROR,
  PROBLEM_AUTH_NOT_OFFERED,
  PROBLEM_AUTH_PLAINTEXT_REFUSED,
  PROBLEM_AUTH_MECHANISM_UNSUPPORTED,
  PROBLEM_AUTH_FAILED,
  PROBLEM_AUTH_APP_PASSWORD_REQUIRED,
  PROBLEM_AUTH_ENCRYPTION_REQUIRED,
  PROBLEM_AUTH_REQUIRED,
  PROBLEM_AUTH_TEMPORARY_FAILURE,
  PROBLEM_RELAY_DENIED,
  PROBLEM_SENDER_NOT_ALLOWED,
  PROBLEM_RECIPIENT_REJECTED,
  PROBLEM_MAILBOX_FULL,
  PROBLEM_GREYLISTED,
  PROBLEM_RATE_LIMITED,
  PROBLEM_SEND_QUOTA_EXCEEDED,
  PROBLEM_MESSAGE_REJECTED_SPAM,
  PROBLEM_MESSAGE_REJECTED_AUTHENTICATION,
  PROBLEM_MESSAGE_TOO_LARGE,
  PROBLEM_SERVER_ERROR_TEMPORARY,
  PROBLEM_SERVER_ERROR_PERMANENT,
  N_PROBLEMS
} ProblemKind;

typedef struct
{
  const char *id;
  const char *summary;  /* N_(): translated when a problem is built */
  const char *remedy;   /* N_() */
} ProblemInfo;

/* The texts used when the context has nothing more specific to add. Context-aware variants
 * (naming the host, the port, the user) are in describe_summary() and describe_remedy(). */
static const ProblemInfo catalog[N_PROBLEMS] = {
  [PROBLEM_NETWORK_OFFLINE] = {
    "network-offline",
    N_("This computer is not connected to a network."),
    N_("Connect to Wi-Fi or plug in a network cable, then try again. If you are connected, "
       "turn the connection off and on again, or restart your router."),
  },
  [PROBLEM_CAPTIVE_PORTAL] = {
    "captive-portal",
    N_("This network wants you to sign in with a web browser first."),
    N_("Open a web browser and follow the network’s sign-in or terms page (common in hotels, "
       "trains and cafés), then try again."),
  },
  [PROBLEM_DNS_NO_SUCH_HOST] = {
    "dns-no-such-host",
    N_("The server name does not exist."),
    N_("Check the spelling of the outgoing server name (for example “smtp.gmail.com”). "
       "If it looks right, look up the current name on your provider’s help pages."),
  },
  [PROBLEM_DNS_FAILURE] = {
    "dns-failure",
    N_("The server name could not be looked up."),
    N_("Check your internet connection and try again. If web sites work but this keeps "
       "failing, the network’s name service may be faulty: try another network."),
  },
  [PROBLEM_NO_SETTINGS_FOUND] = {
    "no-settings-found",
    N_("No outgoing mail server settings could be found for this address."),
    N_("Look up the outgoing (SMTP) server name, port and security setting on your "
       "provider’s help pages and enter them manually."),
  },
  [PROBLEM_PORT_BLOCKED] = {
    "port-blocked",
    N_("Connecting to the server timed out."),
    N_("A firewall on this network or your internet provider seems to block this port. "
       "Mail programs can normally use port 587 (STARTTLS) or 465 (SSL/TLS), and some "
       "providers also accept 2525: try another of these ports. If the same settings work "
       "on another network (for example your phone’s hotspot) and only one network fails, "
       "that network blocks mail: ask its administrator."),
  },
  [PROBLEM_CONNECTION_REFUSED] = {
    "connection-refused",
    N_("The server is reachable but does not accept connections on this port."),
    N_("Check the port number. Outgoing mail normally uses port 587 (STARTTLS) or 465 "
       "(SSL/TLS). If the port is right, the mail service may be down: try again later."),
  },
  [PROBLEM_HOST_UNREACHABLE] = {
    "host-unreachable",
    N_("There is no route to the server."),
    N_("Check your internet connection and the server name. A VPN or a firewall may be in "
       "the way: try again without the VPN, or from another network."),
  },
  [PROBLEM_ENCRYPTION_MISMATCH] = {
    "encryption-mismatch",
    N_("The security setting does not match what the server expects on this port."),
    N_("Port 465 needs “SSL/TLS”; ports 587 and 25 need “STARTTLS”. Change the security "
       "setting (or the port) so that they match."),
  },
  [PROBLEM_STARTTLS_NOT_OFFERED] = {
    "starttls-not-offered",
    N_("The server does not offer to encrypt the connection."),
    N_("Your password will not be sent without encryption. Try port 465 with “SSL/TLS”. If "
       "your provider says this port supports STARTTLS, a firewall or antivirus program may "
       "be removing it: try another network, or ask the network administrator to turn off "
       "“SMTP inspection”."),
  },
  [PROBLEM_STARTTLS_FAILED] = {
    "starttls-failed",
    N_("The server could not switch on encryption."),
    N_("Try again in a few minutes; nothing will be sent without encryption. If it keeps "
       "failing, use port 465 with “SSL/TLS”, which is encrypted from the start."),
  },
  [PROBLEM_TLS_CERTIFICATE_UNTRUSTED] = {
    "tls-certificate-untrusted",
    N_("The server’s certificate is not issued by an authority this computer trusts."),
    N_("The certificate may be self-signed, or an antivirus program or company firewall may "
       "be intercepting mail. Use the exact server name your provider documents. Only trust "
       "this certificate if its fingerprint matches the one your provider or administrator "
       "gives you."),
  },
  [PROBLEM_TLS_CERTIFICATE_EXPIRED] = {
    "tls-certificate-expired",
    N_("The server’s certificate has expired or is not valid yet."),
    N_("Check that this computer’s date and time are correct. If they are, the provider has "
       "to renew its certificate: contact them, and do not trust the old certificate."),
  },
  [PROBLEM_TLS_CERTIFICATE_HOSTNAME_MISMATCH] = {
    "tls-certificate-hostname-mismatch",
    N_("The server’s certificate was issued for a different name."),
    N_("Use the exact server name your provider documents, not an alias such as "
       "“mail.” followed by your own domain. If the certificate was issued by your antivirus "
       "program or your company, that software is intercepting mail."),
  },
  [PROBLEM_TLS_HANDSHAKE_FAILED] = {
    "tls-handshake-failed",
    N_("The encrypted connection could not be set up."),
    N_("Check the security setting: “SSL/TLS” for port 465, “STARTTLS” for port 587. If it "
       "is right, the server’s encryption may be outdated or broken: contact your provider."),
  },
  [PROBLEM_TLS_CERTIFICATE_CHANGED] = {
    "tls-certificate-changed",
    N_("The server’s certificate is not the one you chose to trust earlier."),
    N_("The server may have a new certificate, or someone may be intercepting the connection. "
       "Compare the new fingerprint with the one your provider or administrator gives you "
       "before trusting it; if you cannot check it, do not."),
  },
  [PROBLEM_SERVER_BUSY] = {
    "server-busy",
    N_("The server is busy or not accepting connections right now."),
    N_("Wait a few minutes and try again. Nothing is wrong with your settings."),
  },
  [PROBLEM_SERVER_TIMEOUT] = {
    "server-timeout",
    N_("The server stopped answering."),
    N_("Try again later. If it keeps stopping at the same step, a firewall or antivirus "
       "program may be interfering: try another network."),
  },
  [PROBLEM_PROTOCOL_ERROR] = {
    "protocol-error",
    N_("The server’s answers do not follow the mail protocol."),
    N_("Check the server name and port: they may belong to a service that is not a mail "
       "server. If they are right, a firewall or antivirus program that inspects mail may be "
       "interfering: try port 465 with “SSL/TLS”, or another network."),
  },
  [PROBLEM_AUTH_NOT_OFFERED] = {
    "auth-not-offered",
    N_("The server does not offer to sign in on this port."),
    N_("This is often a port for mail between servers rather than for mail programs. Use "
       "your provider’s outgoing server with port 587 (STARTTLS) or 465 (SSL/TLS)."),
  },
  [PROBLEM_AUTH_PLAINTEXT_REFUSED] = {
    "auth-plaintext-refused",
    N_("The server would only accept your password without encryption."),
    N_("Your password was not sent, to keep it safe. Use port 465 with “SSL/TLS” or port 587 "
       "with “STARTTLS”; if the server cannot encrypt at all, contact your provider."),
  },
  [PROBLEM_AUTH_MECHANISM_UNSUPPORTED] = {
    "auth-mechanism-unsupported",
    N_("The server and this app have no sign-in method in common."),
    N_("The server may only accept sign-in methods such as “Sign in with…” (OAuth) that this "
       "app cannot use for this account, or only on another port. Check your provider’s "
       "settings for mail programs, and try port 465 or 587."),
  },
  [PROBLEM_AUTH_FAILED] = {
    "auth-failed",
    N_("The server did not accept the user name or the password."),
    N_("Type the password again: check that Caps Lock is off and, if you pasted it, that no "
       "spaces crept in at the start or the end. Use your full email address as the user "
       "name unless your provider says otherwise. Some providers (Gmail, iCloud, Yahoo, "
       "Fastmail) need an app password for mail programs."),
  },
  [PROBLEM_AUTH_APP_PASSWORD_REQUIRED] = {
    "auth-app-password-required",
    N_("Your provider does not let mail programs sign in with your normal password."),
    N_("Create an app password in your account’s security settings (this usually needs "
       "two-step verification to be on) and enter it here instead of your normal password."),
  },
  [PROBLEM_AUTH_ENCRYPTION_REQUIRED] = {
    "auth-encryption-required",
    N_("The server requires an encrypted connection first."),
    N_("Set the security to “STARTTLS” with port 587, or to “SSL/TLS” with port 465."),
  },
  [PROBLEM_AUTH_REQUIRED] = {
    "auth-required",
    N_("The server requires you to sign in before sending."),
    N_("Turn on authentication (“my outgoing server requires authentication”) and enter your "
       "user name and password for this server."),
  },
  [PROBLEM_AUTH_TEMPORARY_FAILURE] = {
    "auth-temporary-failure",
    N_("The server could not check your password right now."),
    N_("Your password may well be right: do not change it. Wait a few minutes (longer if "
       "there were many attempts) and try again."),
  },
  [PROBLEM_RELAY_DENIED] = {
    "relay-denied",
    N_("The server refuses to pass your mail on."),
    N_("Turn on authentication so the server knows it is you, and sign in with your user "
       "name and password. If you already do, this may not be your provider’s outgoing "
       "server: check the server name."),
  },
  [PROBLEM_SENDER_NOT_ALLOWED] = {
    "sender-not-allowed",
    N_("The server does not let you send from this address."),
    N_("Send from the address you log in with, or add this address as an alias (a “send as” "
       "address) in your provider’s settings."),
  },
  [PROBLEM_RECIPIENT_REJECTED] = {
    "recipient-rejected",
    N_("The recipient’s address was rejected: there is no such mailbox."),
    N_("Check the recipient’s address for typing mistakes."),
  },
  [PROBLEM_MAILBOX_FULL] = {
    "mailbox-full",
    N_("The recipient’s mailbox is full."),
    N_("Nothing is wrong with your settings. Let the recipient know in another way, or try "
       "again later."),
  },
  [PROBLEM_GREYLISTED] = {
    "greylisted",
    N_("The receiving server asks new senders to try again later (greylisting)."),
    N_("Nothing is wrong with your settings. Mail programs try again on their own; the "
       "message usually goes through within 5 to 30 minutes."),
  },
  [PROBLEM_RATE_LIMITED] = {
    "rate-limited",
    N_("The server is limiting how fast you can send."),
    N_("Wait a while (from a few minutes to an hour) before sending again, and send fewer "
       "messages at once."),
  },
  [PROBLEM_SEND_QUOTA_EXCEEDED] = {
    "send-quota-exceeded",
    N_("You have reached the sending limit of your account."),
    N_("Wait until the limit resets, usually after 24 hours. If you often need to send more, "
       "ask your provider about higher limits."),
  },
  [PROBLEM_MESSAGE_REJECTED_SPAM] = {
    "message-rejected-spam",
    N_("The receiving system refused the message for policy or spam reasons."),
    N_("Your settings cannot fix this. The server’s own words below often name the reason or "
       "a block list. If your address or network is listed, send through your provider’s own "
       "outgoing server, and ask your provider to have the listing removed."),
  },
  [PROBLEM_MESSAGE_REJECTED_AUTHENTICATION] = {
    "message-rejected-authentication",
    N_("The message was refused because the sender’s domain could not be verified (SPF, DKIM "
       "or DMARC)."),
    N_("Whoever runs the domain of your address must publish an SPF record that includes the "
       "provider’s servers, turn on DKIM signing, and add a DMARC policy. Until then, send "
       "through the outgoing server of the provider that hosts your address."),
  },
  [PROBLEM_MESSAGE_TOO_LARGE] = {
    "message-too-large",
    N_("The message is larger than the server allows."),
    N_("Send smaller attachments, or share large files with a link instead."),
  },
  [PROBLEM_SERVER_ERROR_TEMPORARY] = {
    "server-error-temporary",
    N_("The server reported a temporary problem."),
    N_("Try again later. The server’s own words are shown below; if the problem stays, "
       "send this report to your provider."),
  },
  [PROBLEM_SERVER_ERROR_PERMANENT] = {
    "server-error-permanent",
    N_("The server refused the request."),
    N_("The server’s own words are shown below. If they do not help, send this report to "
       "your provider."),
  },
};

static const OdDiagnosisContext empty_context;

static ProblemKind
kind_from_id (const char *problem_id)
{
  g_assert (problem_id != NULL);

  for (guint i = 0; i < N_PROBLEMS; i++)
    {
      if (g_str_equal (catalog[i].id, problem_id))
        return i;
    }

  return N_PROBLEMS;
}

static gboolean
step_is (const char *step_id,
         const char *expected)
{
  return step_id != NULL && g_str_equal (step_id, expected);
}

/* The domain of the sender address, or NULL. */
static const char *
address_domain (const OdDiagnosisContext *ctx)
{
  const char *at;

  if (ctx->address == NULL)
    return NULL;

  at = strrchr (ctx->address, '@');
  if (at == NULL || at[1] == '\0')
    return NULL;

  return at + 1;
}

static gboolean
host_is (const OdDiagnosisContext *ctx,
         const char               *domain)
{
  g_autofree char *host = NULL;
  gsize host_len, domain_len;

  if (ctx->host == NULL)
    return FALSE;

  host = g_ascii_strdown (ctx->host, -1);
  host_len = strlen (host);
  domain_len = strlen (domain);

  if (host_len < domain_len || !g_str_has_suffix (host, domain))
    return FALSE;

  return host_len == domain_len || host[host_len - domain_len - 1] == '.';
}

static char *
describe_summary (ProblemKind               kind,
                  const char               *step_id,
                  const OdDiagnosisContext *ctx)
{
  switch (kind)
    {
    case PROBLEM_DNS_NO_SUCH_HOST:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The server name “%s” does not exist."), ctx->host);
      break;

    case PROBLEM_DNS_FAILURE:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The server name “%s” could not be looked up."), ctx->host);
      break;

    case PROBLEM_NO_SETTINGS_FOUND:
      if (address_domain (ctx) != NULL)
        /* Translators: %s is a mail domain such as example.com */
        return g_strdup_printf (_("No outgoing mail server settings could be found for “%s”."),
                                address_domain (ctx));
      break;

    case PROBLEM_PORT_BLOCKED:
      if (ctx->host != NULL && ctx->port != 0)
        /* Translators: %s is a server name, %u a port number such as 587 */
        return g_strdup_printf (_("Connecting to %s on port %u timed out."), ctx->host, ctx->port);
      break;

    case PROBLEM_CONNECTION_REFUSED:
      if (ctx->host != NULL && ctx->port != 0)
        /* Translators: %s is a server name, %u a port number such as 587 */
        return g_strdup_printf (_("The server %s is reachable but does not accept connections on "
                                  "port %u."),
                                ctx->host, ctx->port);
      break;

    case PROBLEM_HOST_UNREACHABLE:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("There is no route to the server %s."), ctx->host);
      break;

    case PROBLEM_ENCRYPTION_MISMATCH:
      if (ctx->port != 0)
        /* Translators: %u is a port number such as 465 */
        return g_strdup_printf (_("The security setting does not match what the server expects "
                                  "on port %u."),
                                ctx->port);
      break;

    case PROBLEM_TLS_CERTIFICATE_UNTRUSTED:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The certificate of %s is not issued by an authority this "
                                  "computer trusts."),
                                ctx->host);
      break;

    case PROBLEM_TLS_CERTIFICATE_EXPIRED:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The certificate of %s has expired or is not valid yet."),
                                ctx->host);
      break;

    case PROBLEM_TLS_CERTIFICATE_HOSTNAME_MISMATCH:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The server’s certificate is not valid for the name “%s”."),
                                ctx->host);
      break;

    case PROBLEM_TLS_HANDSHAKE_FAILED:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The encrypted connection to %s could not be set up."),
                                ctx->host);
      break;

    case PROBLEM_TLS_CERTIFICATE_CHANGED:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The certificate of %s is not the one you chose to trust "
                                  "earlier."),
                                ctx->host);
      break;

    case PROBLEM_SERVER_BUSY:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The server %s is busy or not accepting connections right "
                                  "now."),
                                ctx->host);
      break;

    case PROBLEM_SERVER_TIMEOUT:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The server %s stopped answering."), ctx->host);
      break;

    case PROBLEM_PROTOCOL_ERROR:
      if (ctx->host != NULL && ctx->port != 0)
        /* Translators: %s is a server name, %u a port number such as 587 */
        return g_strdup_printf (_("What answers on %s port %u does not follow the mail "
                                  "protocol."),
                                ctx->host, ctx->port);
      break;

    case PROBLEM_AUTH_NOT_OFFERED:
      if (ctx->port != 0)
        /* Translators: %u is a port number such as 25 */
        return g_strdup_printf (_("The server does not offer to sign in on port %u."), ctx->port);
      break;

    case PROBLEM_AUTH_FAILED:
      if (ctx->username != NULL)
        /* Translators: %s is the user name used to sign in */
        return g_strdup_printf (_("The server did not accept the user name “%s” or its "
                                  "password."),
                                ctx->username);
      break;

    case PROBLEM_SENDER_NOT_ALLOWED:
      if (ctx->address != NULL)
        /* Translators: %s is an email address */
        return g_strdup_printf (_("The server does not let you send from “%s”."), ctx->address);
      break;

    case PROBLEM_MESSAGE_REJECTED_AUTHENTICATION:
      if (address_domain (ctx) != NULL)
        /* Translators: %s is a mail domain such as example.com */
        return g_strdup_printf (_("The message was refused because the domain “%s” could not be "
                                  "verified (SPF, DKIM or DMARC)."),
                                address_domain (ctx));
      break;

    case PROBLEM_NETWORK_OFFLINE:
    case PROBLEM_CAPTIVE_PORTAL:
    case PROBLEM_STARTTLS_NOT_OFFERED:
    case PROBLEM_STARTTLS_FAILED:
    case PROBLEM_AUTH_PLAINTEXT_REFUSED:
    case PROBLEM_AUTH_MECHANISM_UNSUPPORTED:
    case PROBLEM_AUTH_APP_PASSWORD_REQUIRED:
    case PROBLEM_AUTH_ENCRYPTION_REQUIRED:
    case PROBLEM_AUTH_REQUIRED:
    case PROBLEM_AUTH_TEMPORARY_FAILURE:
    case PROBLEM_RELAY_DENIED:
    case PROBLEM_RECIPIENT_REJECTED:
    case PROBLEM_MAILBOX_FULL:
    case PROBLEM_GREYLISTED:
    case PROBLEM_RATE_LIMITED:
    case PROBLEM_SEND_QUOTA_EXCEEDED:
    case PROBLEM_MESSAGE_REJECTED_SPAM:
    case PROBLEM_MESSAGE_TOO_LARGE:
    case PROBLEM_SERVER_ERROR_TEMPORARY:
    case PROBLEM_SERVER_ERROR_PERMANENT:
    case N_PROBLEMS:
    default:
      break;
    }

  return g_strdup (_(catalog[kind].summary));
}

static char *
port_blocked_remedy (const OdDiagnosisContext *ctx)
{
  if (ctx->port == 25)
    return g_strdup (_("Many internet providers block port 25 for their customers. Use port 587 "
                       "(STARTTLS) or port 465 (SSL/TLS) instead: these are the ports meant for "
                       "mail programs. Some providers also accept port 2525. If only one network "
                       "fails, try another network (for example your phone’s hotspot)."));

  if (ctx->port != 0)
    /* Translators: %u is a port number such as 587 */
    return g_strdup_printf (_("A firewall on this network or your internet provider seems to "
                              "block port %u. Mail programs can normally use port 587 "
                              "(STARTTLS) or 465 (SSL/TLS), and some providers also accept "
                              "2525: try another of these ports. If the same settings work on "
                              "another network (for example your phone’s hotspot) and only one "
                              "network fails, that network blocks mail: ask its administrator."),
                            ctx->port);

  return NULL;
}

static char *
encryption_mismatch_remedy (const OdDiagnosisContext *ctx)
{
  if (ctx->port == 465)
    return g_strdup (_("Port 465 expects encryption from the very first moment. Set the security "
                       "to “SSL/TLS” (not STARTTLS)."));

  if (ctx->port == 587 || ctx->port == 25 || ctx->port == 2525)
    /* Translators: %u is a port number such as 587 */
    return g_strdup_printf (_("Port %u starts without encryption and switches it on with "
                              "STARTTLS. Set the security to “STARTTLS”, or use port 465 with "
                              "“SSL/TLS”."),
                            ctx->port);

  /* OD_SECURITY_TLS is 0, so the security setting only means something with a port. */
  if (ctx->port != 0 && ctx->security == OD_SECURITY_TLS)
    return g_strdup (_("The server on this port does not start with encryption. Set the security "
                       "to “STARTTLS”, or use port 465 with “SSL/TLS”."));

  if (ctx->port != 0)
    return g_strdup (_("The server on this port expects encryption from the very first moment. "
                       "Set the security to “SSL/TLS”."));

  return NULL;
}

static char *
auth_failed_remedy (const OdDiagnosisContext *ctx)
{
  if (ctx->address != NULL)
    /* Translators: %s is the user's email address */
    return g_strdup_printf (_("Type the password again: check that Caps Lock is off and, if you "
                              "pasted it, that no spaces crept in at the start or the end. Use "
                              "your full email address (“%s”) as the user name unless your "
                              "provider says otherwise. Some providers (Gmail, iCloud, Yahoo, "
                              "Fastmail) need an app password for mail programs."),
                            ctx->address);

  return NULL;
}

static char *
sender_not_allowed_remedy (const OdDiagnosisContext *ctx)
{
  if (ctx->username != NULL && ctx->address != NULL
      && g_ascii_strcasecmp (ctx->username, ctx->address) != 0)
    /* Translators: the first %s is the user name used to sign in, the second the sender
     * address the server refused */
    return g_strdup_printf (_("Send from the address you log in with (“%s”), or add “%s” as an "
                              "alias (a “send as” address) in your provider’s settings."),
                            ctx->username, ctx->address);

  if (ctx->address != NULL)
    /* Translators: %s is the sender address the server refused */
    return g_strdup_printf (_("Send from the address you log in with, or add “%s” as an alias "
                              "(a “send as” address) in your provider’s settings."),
                            ctx->address);

  return NULL;
}

static char *
describe_remedy (ProblemKind               kind,
                 const char               *step_id,
                 const OdDiagnosisContext *ctx)
{
  char *remedy = NULL;

  switch (kind)
    {
    case PROBLEM_DNS_NO_SUCH_HOST:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        remedy = g_strdup_printf (_("Check the spelling of “%s” in the outgoing server settings. "
                                    "If it looks right, look up the current outgoing server name "
                                    "on your provider’s help pages."),
                                  ctx->host);
      break;

    case PROBLEM_PORT_BLOCKED:
      remedy = port_blocked_remedy (ctx);
      break;

    case PROBLEM_CONNECTION_REFUSED:
      if (ctx->port != 0)
        /* Translators: %u is a port number such as 2525 */
        remedy = g_strdup_printf (_("Check the port number (%u). Outgoing mail normally uses port "
                                    "587 (STARTTLS) or 465 (SSL/TLS). If the port is right, the "
                                    "mail service may be down: try again later."),
                                  ctx->port);
      break;

    case PROBLEM_ENCRYPTION_MISMATCH:
      remedy = encryption_mismatch_remedy (ctx);
      break;

    case PROBLEM_AUTH_FAILED:
      remedy = auth_failed_remedy (ctx);
      break;

    case PROBLEM_SENDER_NOT_ALLOWED:
      remedy = sender_not_allowed_remedy (ctx);
      break;

    case PROBLEM_SERVER_TIMEOUT:
      if (step_is (step_id, OD_STEP_DATA))
        remedy = g_strdup (_("The message may or may not have arrived: check before sending it "
                             "again. If this keeps happening, try again later or from another "
                             "network."));
      break;

    case PROBLEM_NETWORK_OFFLINE:
    case PROBLEM_CAPTIVE_PORTAL:
    case PROBLEM_DNS_FAILURE:
    case PROBLEM_NO_SETTINGS_FOUND:
    case PROBLEM_HOST_UNREACHABLE:
    case PROBLEM_STARTTLS_NOT_OFFERED:
    case PROBLEM_STARTTLS_FAILED:
    case PROBLEM_TLS_CERTIFICATE_UNTRUSTED:
    case PROBLEM_TLS_CERTIFICATE_EXPIRED:
    case PROBLEM_TLS_CERTIFICATE_HOSTNAME_MISMATCH:
    case PROBLEM_TLS_HANDSHAKE_FAILED:
    case PROBLEM_TLS_CERTIFICATE_CHANGED:
    case PROBLEM_SERVER_BUSY:
    case PROBLEM_PROTOCOL_ERROR:
    case PROBLEM_AUTH_NOT_OFFERED:
    case PROBLEM_AUTH_PLAINTEXT_REFUSED:
    case PROBLEM_AUTH_MECHANISM_UNSUPPORTED:
    case PROBLEM_AUTH_APP_PASSWORD_REQUIRED:
    case PROBLEM_AUTH_ENCRYPTION_REQUIRED:
    case PROBLEM_AUTH_REQUIRED:
    case PROBLEM_AUTH_TEMPORARY_FAILURE:
    case PROBLEM_RELAY_DENIED:
    case PROBLEM_RECIPIENT_REJECTED:
    case PROBLEM_MAILBOX_FULL:
    case PROBLEM_GREYLISTED:
    case PROBLEM_RATE_LIMITED:
    case PROBLEM_SEND_QUOTA_EXCEEDED:
    case PROBLEM_MESSAGE_REJECTED_SPAM:
    case PROBLEM_MESSAGE_REJECTED_AUTHENTICATION:
    case PROBLEM_MESSAGE_TOO_LARGE:
    case PROBLEM_SERVER_ERROR_TEMPORARY:
    case PROBLEM_SERVER_ERROR_PERMANENT:
    case N_PROBLEMS:
    default:
      break;
    }

  if (remedy == NULL)
    remedy = g_strdup (_(catalog[kind].remedy));

  return remedy;
}

/* Builds the problem; @summary and @remedy (owned, nullable) replace the catalog's texts
 * when a rule knows something more specific. */
static OdProblem *
build_problem (ProblemKind               kind,
               const char               *step_id,
               OdSeverity                severity,
               const OdDiagnosisContext *ctx,
               const char               *server_reply,
               char                     *summary,
               char                     *remedy)
{
  g_autofree char *owned_summary = summary;
  g_autofree char *owned_remedy = remedy;

  g_assert (kind < N_PROBLEMS);
  g_assert (step_id != NULL);
  g_assert (ctx != NULL);

  if (owned_summary == NULL)
    owned_summary = describe_summary (kind, step_id, ctx);
  if (owned_remedy == NULL)
    owned_remedy = describe_remedy (kind, step_id, ctx);

  return od_problem_new (catalog[kind].id, step_id, severity,
                         owned_summary, owned_remedy, server_reply);
}

/* What GNetworkMonitor's hint says about a failure to reach anything: captive-portal,
 * network-offline, or N_PROBLEMS when the hint does not explain it. */
static ProblemKind
network_problem (const OdDiagnosisContext *ctx)
{
  /* 0 is not a GNetworkConnectivity value: the monitor was not asked. */
  if (ctx->connectivity == 0)
    return N_PROBLEMS;

  if (ctx->connectivity == G_NETWORK_CONNECTIVITY_PORTAL)
    return PROBLEM_CAPTIVE_PORTAL;

  if (!ctx->network_available
      || ctx->connectivity == G_NETWORK_CONNECTIVITY_LOCAL
      || ctx->connectivity == G_NETWORK_CONNECTIVITY_LIMITED)
    return PROBLEM_NETWORK_OFFLINE;

  return N_PROBLEMS;
}

static OdProblem *
network_problem_new (ProblemKind               kind,
                     const char               *step_id,
                     const OdDiagnosisContext *ctx)
{
  g_assert (kind == PROBLEM_NETWORK_OFFLINE || kind == PROBLEM_CAPTIVE_PORTAL);

  /* LIMITED: there is a network, it just does not reach the internet. */
  if (kind == PROBLEM_NETWORK_OFFLINE && ctx->network_available
      && ctx->connectivity == G_NETWORK_CONNECTIVITY_LIMITED)
    return build_problem (kind, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                          g_strdup (_("This computer is connected to a network, but that network "
                                      "does not reach the internet.")),
                          g_strdup (_("Check your router or modem, or try another network. If "
                                      "this network needs you to sign in or accept terms, open a "
                                      "web browser and do that first.")));

  return build_problem (kind, step_id, OD_SEVERITY_ERROR, ctx, NULL, NULL, NULL);
}

static ProblemKind
certificate_problem (GTlsCertificateFlags flags)
{
  if (flags & (G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_NOT_ACTIVATED))
    return PROBLEM_TLS_CERTIFICATE_EXPIRED;

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return PROBLEM_TLS_CERTIFICATE_UNTRUSTED;

  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return PROBLEM_TLS_CERTIFICATE_HOSTNAME_MISMATCH;

  /* Revoked, insecure algorithm, generic error, or no detail at all. */
  return PROBLEM_TLS_CERTIFICATE_UNTRUSTED;
}

static OdProblem *
certificate_problem_new (const char               *step_id,
                         const OdDiagnosisContext *ctx)
{
  ProblemKind kind = certificate_problem (ctx->tls_errors);

  if (kind == PROBLEM_TLS_CERTIFICATE_UNTRUSTED
      && (ctx->tls_errors & G_TLS_CERTIFICATE_REVOKED))
    return build_problem (kind, step_id, OD_SEVERITY_ERROR, ctx, NULL, NULL,
                          g_strdup (_("The certificate has been revoked by its issuer: it must "
                                      "not be used any more. Contact your provider; do not trust "
                                      "this certificate.")));

  /* Untrusted and for another name: most likely a default self-signed certificate, or a
   * server that is not the one the provider documents. */
  if (kind == PROBLEM_TLS_CERTIFICATE_UNTRUSTED
      && (ctx->tls_errors & G_TLS_CERTIFICATE_BAD_IDENTITY))
    return build_problem (kind, step_id, OD_SEVERITY_ERROR, ctx, NULL, NULL,
                          g_strdup (_("The certificate is also issued for a different name. "
                                      "Check that you use the exact server name your provider "
                                      "documents. If you do, an antivirus program or a company "
                                      "firewall may be intercepting mail; only trust this "
                                      "certificate if its fingerprint matches the one your "
                                      "provider or administrator gives you.")));

  return build_problem (kind, step_id, OD_SEVERITY_ERROR, ctx, NULL, NULL, NULL);
}

/* The server hung up: RFC 5321 §3.8 says to treat it as a 451. */
static OdProblem *
connection_closed_problem_new (const char               *step_id,
                               const OdDiagnosisContext *ctx)
{
  if (step_is (step_id, OD_STEP_CONNECT) || step_is (step_id, OD_STEP_GREETING))
    return build_problem (PROBLEM_SERVER_BUSY, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                          g_strdup (_("The server hung up before greeting us.")),
                          g_strdup (_("The server may be overloaded, or it may not accept "
                                      "connections from your network. Wait a few minutes and "
                                      "try again; if it keeps happening, try port 587 or 465, "
                                      "or another network.")));

  if (step_is (step_id, OD_STEP_TLS))
    return build_problem (PROBLEM_TLS_HANDSHAKE_FAILED, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                          g_strdup (_("The server hung up while the encrypted connection was "
                                      "being set up.")),
                          NULL);

  if (step_is (step_id, OD_STEP_DATA))
    return build_problem (PROBLEM_SERVER_ERROR_TEMPORARY, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                          g_strdup (_("The server hung up unexpectedly while the message was "
                                      "being sent.")),
                          g_strdup (_("The message may or may not have arrived: check before "
                                      "sending it again. Then try again in a few minutes.")));

  return build_problem (PROBLEM_SERVER_ERROR_TEMPORARY, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                        g_strdup (_("The server hung up unexpectedly.")),
                        g_strdup (_("This is usually temporary: try again in a few minutes. If "
                                    "it happens every time at this step, send this report to "
                                    "your provider.")));
}

static OdProblem *
timeout_problem_new (const char               *step_id,
                     const OdDiagnosisContext *ctx)
{
  ProblemKind network = network_problem (ctx);

  if (step_is (step_id, OD_STEP_NETWORK))
    return network_problem_new (network != N_PROBLEMS ? network : PROBLEM_NETWORK_OFFLINE,
                                step_id, ctx);

  if (step_is (step_id, OD_STEP_DNS))
    {
      if (network != N_PROBLEMS)
        return network_problem_new (network, step_id, ctx);
      return build_problem (PROBLEM_DNS_FAILURE, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                            NULL, NULL);
    }

  if (step_is (step_id, OD_STEP_CONNECT))
    {
      if (network != N_PROBLEMS)
        return network_problem_new (network, step_id, ctx);
      return build_problem (PROBLEM_PORT_BLOCKED, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                            NULL, NULL);
    }

  /* A plain-text client on the implicit-TLS port waits for a greeting while the server waits
   * for a TLS handshake. */
  if (step_is (step_id, OD_STEP_GREETING) && ctx->port == 465 && ctx->security != OD_SECURITY_TLS)
    return build_problem (PROBLEM_ENCRYPTION_MISMATCH, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                          NULL, NULL);

  return build_problem (PROBLEM_SERVER_TIMEOUT, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                        NULL, NULL);
}

static OdProblem *
unreachable_problem_new (const char               *step_id,
                         const OdDiagnosisContext *ctx)
{
  ProblemKind network = network_problem (ctx);

  if (network != N_PROBLEMS)
    return network_problem_new (network, step_id, ctx);

  return build_problem (PROBLEM_HOST_UNREACHABLE, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                        NULL, NULL);
}

static OdProblem *
unknown_error_problem_new (const char               *step_id,
                           const GError             *error,
                           const OdDiagnosisContext *ctx)
{
  ProblemKind kind;
  char *summary;

  if (step_is (step_id, OD_STEP_NETWORK))
    kind = PROBLEM_NETWORK_OFFLINE;
  else if (step_is (step_id, OD_STEP_DNS))
    kind = PROBLEM_DNS_FAILURE;
  else if (step_is (step_id, OD_STEP_CONNECT))
    kind = PROBLEM_HOST_UNREACHABLE;
  else if (step_is (step_id, OD_STEP_TLS))
    kind = PROBLEM_TLS_HANDSHAKE_FAILED;
  else
    kind = PROBLEM_SERVER_ERROR_TEMPORARY;

  /* Translators: %s is a technical error message */
  summary = g_strdup_printf (_("Something unexpected went wrong: %s"), error->message);

  return build_problem (kind, step_id, OD_SEVERITY_ERROR, ctx, NULL, summary, NULL);
}

static OdProblem *
smtp_error_problem_new (const char               *step_id,
                        const GError             *error,
                        const OdDiagnosisContext *ctx)
{
  switch ((OdSmtpError) error->code)
    {
    case OD_SMTP_ERROR_MALFORMED_REPLY:
    case OD_SMTP_ERROR_LINE_TOO_LONG:
    case OD_SMTP_ERROR_TOO_MANY_LINES:
      return build_problem (PROBLEM_PROTOCOL_ERROR, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                            NULL, NULL);

    case OD_SMTP_ERROR_CONNECTION_CLOSED:
      return connection_closed_problem_new (step_id, ctx);

    case OD_SMTP_ERROR_STARTTLS_INJECTION:
      return build_problem (PROBLEM_STARTTLS_FAILED, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                            g_strdup (_("Someone on the network tampered with the connection "
                                        "while encryption was being switched on.")),
                            g_strdup (_("Extra data was slipped in just before encryption "
                                        "started, a known attack on STARTTLS. The check was "
                                        "stopped and nothing was sent. Use port 465 with "
                                        "“SSL/TLS”, which is encrypted from the first moment, "
                                        "and tell the administrator of this network; if you "
                                        "can, try another network.")));

    case OD_SMTP_ERROR_TLS_OUTDATED:
      return build_problem (PROBLEM_TLS_HANDSHAKE_FAILED, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                            g_strdup (_("The server only offers an outdated version of "
                                        "encryption.")),
                            g_strdup (_("Encryption older than TLS 1.2 is no longer safe, so "
                                        "it is not used. Ask your provider to enable TLS 1.2 or "
                                        "newer, or use another outgoing server.")));

    case OD_SMTP_ERROR_BAD_INPUT:
      if (step_is (step_id, OD_STEP_SENDER))
        return build_problem (PROBLEM_SENDER_NOT_ALLOWED, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                              g_strdup (_("The sender address cannot be used for sending.")),
                              g_strdup (_("Check the sender address for typing mistakes. "
                                          "Addresses with characters outside the basic latin "
                                          "alphabet need a server that supports them.")));
      if (step_is (step_id, OD_STEP_RECIPIENT))
        return build_problem (PROBLEM_RECIPIENT_REJECTED, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                              g_strdup (_("The recipient address cannot be used for sending.")),
                              NULL);
      break;

    default:
      break;
    }

  return unknown_error_problem_new (step_id, error, ctx);
}

static OdProblem *
io_error_problem_new (const char               *step_id,
                      const GError             *error,
                      const OdDiagnosisContext *ctx)
{
  switch ((GIOErrorEnum) error->code)
    {
    case G_IO_ERROR_TIMED_OUT:
    case G_IO_ERROR_CANCELLED:
      return timeout_problem_new (step_id, ctx);

    case G_IO_ERROR_CONNECTION_REFUSED:
      return build_problem (PROBLEM_CONNECTION_REFUSED, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                            NULL, NULL);

    case G_IO_ERROR_HOST_UNREACHABLE:
    case G_IO_ERROR_NETWORK_UNREACHABLE:
      return unreachable_problem_new (step_id, ctx);

    case G_IO_ERROR_HOST_NOT_FOUND:
      return build_problem (PROBLEM_DNS_NO_SUCH_HOST, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                            NULL, NULL);

    case G_IO_ERROR_PERMISSION_DENIED:
      /* A local firewall rejecting the connection (EPERM/EACCES from connect ()). */
      if (step_is (step_id, OD_STEP_CONNECT))
        return build_problem (PROBLEM_PORT_BLOCKED, step_id, OD_SEVERITY_ERROR, ctx, NULL,
                              NULL, NULL);
      break;

    case G_IO_ERROR_CONNECTION_CLOSED:  /* also G_IO_ERROR_BROKEN_PIPE, the same value */
    case G_IO_ERROR_NOT_CONNECTED:
      return connection_closed_problem_new (step_id, ctx);

    default:
      break;
    }

  return unknown_error_problem_new (step_id, error, ctx);
}

/**
 * od_diagnosis_list_problem_ids:
 *
 * Returns: (transfer none) (array zero-terminated=1): the problem ids of the contract, in
 *   catalog order
 */
const char * const *
od_diagnosis_list_problem_ids (void)
{
  static const char *ids[N_PROBLEMS + 1];
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < N_PROBLEMS; i++)
        ids[i] = catalog[i].id;
      ids[N_PROBLEMS] = NULL;
      g_once_init_leave (&initialized, 1);
    }

  return (const char * const *)ids;
}

/**
 * od_diagnosis_is_known_id:
 * @problem_id: (nullable): a problem id
 *
 * Returns: whether @problem_id is in the catalog
 */
gboolean
od_diagnosis_is_known_id (const char *problem_id)
{
  return problem_id != NULL && kind_from_id (problem_id) != N_PROBLEMS;
}

/**
 * od_diagnosis_problem_new:
 * @problem_id: an id from the catalog
 * @step_id: the step the problem belongs to
 * @severity: warning or error
 * @context: (nullable): what is known about the run, to name the host, port and user
 * @server_reply: (nullable): the server's exact reply, copied
 *
 * Builds a problem with the catalog's translated summary and remedy for @problem_id, made
 * specific with @context where that helps.
 *
 * Returns: (transfer full): a new #OdProblem
 */
OdProblem *
od_diagnosis_problem_new (const char               *problem_id,
                          const char               *step_id,
                          OdSeverity                severity,
                          const OdDiagnosisContext *context,
                          const char               *server_reply)
{
  ProblemKind kind;

  g_return_val_if_fail (problem_id != NULL, NULL);
  g_return_val_if_fail (step_id != NULL, NULL);

  kind = kind_from_id (problem_id);
  g_return_val_if_fail (kind != N_PROBLEMS, NULL);

  if (context == NULL)
    context = &empty_context;

  return build_problem (kind, step_id, severity, context, server_reply, NULL, NULL);
}

/**
 * od_diagnosis_from_error:
 * @step_id: the step that failed
 * @error: what went wrong (resolver, I/O, TLS or #OD_SMTP_ERROR)
 * @context: (nullable): what is known about the run
 *
 * Turns an error into a problem of the catalog. Never returns %NULL for valid arguments:
 * errors it does not know get a fallback fitting the step, with the error's message.
 *
 * Returns: (transfer full): a new #OdProblem of severity %OD_SEVERITY_ERROR
 */
OdProblem *
od_diagnosis_from_error (const char               *step_id,
                         const GError             *error,
                         const OdDiagnosisContext *context)
{
  g_return_val_if_fail (step_id != NULL, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  if (context == NULL)
    context = &empty_context;

  if (error->domain == G_RESOLVER_ERROR)
    {
      ProblemKind network;

      /* "No such name" is an answer, even on a poor network. */
      if (error->code == G_RESOLVER_ERROR_NOT_FOUND)
        return build_problem (PROBLEM_DNS_NO_SUCH_HOST, step_id, OD_SEVERITY_ERROR, context,
                              NULL, NULL, NULL);

      network = network_problem (context);
      if (network != N_PROBLEMS)
        return network_problem_new (network, step_id, context);

      return build_problem (PROBLEM_DNS_FAILURE, step_id, OD_SEVERITY_ERROR, context, NULL,
                            NULL, NULL);
    }

  if (error->domain == OD_SMTP_ERROR)
    return smtp_error_problem_new (step_id, error, context);

  if (error->domain == G_TLS_ERROR)
    {
      switch ((GTlsError) error->code)
        {
        case G_TLS_ERROR_BAD_CERTIFICATE:
          return certificate_problem_new (step_id, context);

        case G_TLS_ERROR_NOT_TLS:
          return build_problem (PROBLEM_ENCRYPTION_MISMATCH, step_id, OD_SEVERITY_ERROR,
                                context, NULL, NULL, NULL);

        default:
          return build_problem (PROBLEM_TLS_HANDSHAKE_FAILED, step_id, OD_SEVERITY_ERROR,
                                context, NULL, NULL, NULL);
        }
    }

  if (error->domain == G_IO_ERROR)
    return io_error_problem_new (step_id, error, context);

  return unknown_error_problem_new (step_id, error, context);
}

/* ------------------------------------------------------------------------------------------
 * Replies
 * ------------------------------------------------------------------------------------------ */

typedef struct
{
  const char               *step_id;
  const OdDiagnosisContext *ctx;
  guint                     code;
  const char               *enhanced;  /* "5.7.8", or NULL */
  char                     *text;      /* every line, lower case, joined with spaces */
  char                     *summary;   /* owned; a rule's own text, or NULL for the catalog's */
  char                     *remedy;    /* owned; likewise */
} ReplyFacts;

static gboolean
has (const ReplyFacts *f,
     const char       *needle)
{
  return strstr (f->text, needle) != NULL;
}

static gboolean
has_any (const ReplyFacts   *f,
         const char * const *needles)
{
  for (guint i = 0; needles[i] != NULL; i++)
    {
      if (has (f, needles[i]))
        return TRUE;
    }

  return FALSE;
}

/* @word as a whole word, so "rate" does not match "generated". */
static gboolean
has_word (const ReplyFacts *f,
          const char       *word)
{
  gsize len = strlen (word);

  for (const char *p = strstr (f->text, word); p != NULL; p = strstr (p + 1, word))
    {
      gboolean start_ok = p == f->text || !g_ascii_isalnum (p[-1]);
      gboolean end_ok = !g_ascii_isalnum (p[len]);

      if (start_ok && end_ok)
        return TRUE;
    }

  return FALSE;
}

/* Compares the subject and detail ("7.1") and ignores the class, which some servers get
 * wrong (a 535 with 5.7.0, a 550 with 4.7.1). */
static gboolean
enhanced_detail_is (const ReplyFacts *f,
                    const char       *subject_detail)
{
  const char *dot;

  if (f->enhanced == NULL)
    return FALSE;

  dot = strchr (f->enhanced, '.');
  return dot != NULL && g_str_equal (dot + 1, subject_detail);
}

static gboolean
enhanced_subject_is (const ReplyFacts *f,
                     char              subject)
{
  const char *dot;

  if (f->enhanced == NULL)
    return FALSE;

  dot = strchr (f->enhanced, '.');
  return dot != NULL && dot[1] == subject && dot[2] == '.';
}

static gboolean
is_transient (const ReplyFacts *f)
{
  return f->code >= 400 && f->code < 500;
}

static gboolean
is_permanent (const ReplyFacts *f)
{
  return f->code >= 500 && f->code < 600;
}

static gboolean
is_envelope_step (const ReplyFacts *f)
{
  return step_is (f->step_id, OD_STEP_SENDER)
         || step_is (f->step_id, OD_STEP_RECIPIENT)
         || step_is (f->step_id, OD_STEP_DATA);
}

static gboolean
says_rate_limit (const ReplyFacts *f)
{
  static const char * const words[] = {
    "rate limit", "ratelimit", "rate-limit", "too many", "throttl", "too fast", "slow down",
    NULL
  };

  return has_any (f, words) || has_word (f, "rate") || has_word (f, "limit")
         || has_word (f, "limited") || has_word (f, "limits");
}

static gboolean
says_greylisting (const ReplyFacts *f)
{
  static const char * const words[] = {
    "greylist", "graylist", "grey-list", "gray-list", "grey list", "gray list", "postgrey",
    "not yet authorized", "not yet authorised",
    NULL
  };

  return has_any (f, words);
}

static gboolean
says_try_later (const ReplyFacts *f)
{
  static const char * const words[] = {
    "try again later", "try later", "retry later", "come back later", "try again in",
    "temporarily deferred",
    NULL
  };

  return has_any (f, words);
}

static gboolean
says_spam (const ReplyFacts *f)
{
  static const char * const words[] = {
    "spam", "unsolicited", "blocklist", "blacklist", "block list", "black list", "denylist",
    "reputation", "dnsbl", "blocked using", "phish", "virus", "malware", "junk",
    NULL
  };

  return has_any (f, words) || has_word (f, "rbl");
}

static gboolean
says_policy (const ReplyFacts *f)
{
  static const char * const words[] = {
    "policy", "blocked", "content", "rejected", "refused", "filter", "not accepted",
    NULL
  };

  return has_any (f, words);
}

static gboolean
says_auth_required (const ReplyFacts *f)
{
  static const char * const words[] = {
    "authentication required", "authentication is required", "authentication needed",
    "must be authenticated", "must authenticate", "not authenticated", "auth required",
    "authorization required", "authorisation required", "wantautherror", "not logged in",
    "login required", "log in first", "sign in first",
    NULL
  };

  return has_any (f, words);
}

static gboolean
says_encryption_required (const ReplyFacts *f)
{
  static const char * const words[] = {
    "starttls", "tls first", "encryption required", "requires encryption",
    "encryption needed", "secure connection required", "must use tls", "ssl required",
    NULL
  };

  return has_any (f, words);
}

static gboolean
says_relay_denied (const ReplyFacts *f)
{
  static const char * const denials[] = {
    "denied", "not permitted", "unable", "not allowed", "prohibited", "not relay",
    "n't relay", "no relay", "refused", "rejected", "not authori", "not accepted",
    NULL
  };

  return (has_word (f, "relay") || has (f, "relaying")) && has_any (f, denials);
}

static gboolean
says_mailbox_full (const ReplyFacts *f)
{
  static const char * const words[] = {
    "mailbox full", "mailbox is full", "over quota", "overquota", "over its quota",
    "mailbox quota", "exceeded storage", "storage allocation", "mailbox size", "full mailbox",
    NULL
  };

  return has_any (f, words);
}

static gboolean
says_too_large (const ReplyFacts *f)
{
  static const char * const words[] = {
    "too large", "too big", "size exceeds", "exceeds size", "exceeds the size", "message size",
    "size limit", "maximum size", "exceeds fixed maximum",
    NULL
  };

  return has_any (f, words);
}

static gboolean
says_send_quota (const ReplyFacts *f)
{
  static const char * const words[] = {
    "quota", "daily", "sending limit", "send limit", "message limit", "limit exceeded",
    "exceeded the limit", "sending allowance",
    NULL
  };

  return has_any (f, words);
}

static gboolean
says_sender_domain_auth (const ReplyFacts *f)
{
  return has (f, "dmarc") || has (f, "dkim") || has_word (f, "spf");
}

static gboolean
is_gmail (const ReplyFacts *f)
{
  return has (f, "gsmtp") || host_is (f->ctx, "gmail.com") || host_is (f->ctx, "googlemail.com");
}

static gboolean
is_microsoft (const ReplyFacts *f)
{
  return host_is (f->ctx, "office365.com") || host_is (f->ctx, "outlook.com")
         || host_is (f->ctx, "hotmail.com") || host_is (f->ctx, "live.com");
}

/* Provider-specific words for a refused password: which kind of password they need. */
static const char *
auth_failed_provider_note (const ReplyFacts *f)
{
  if (has (f, "badcredentials") || is_gmail (f))
    return _("Google accounts need an app password for mail programs: create one at Google "
             "Account → Security → App passwords (it needs 2-Step Verification).");

  if (host_is (f->ctx, "me.com") || host_is (f->ctx, "icloud.com"))
    return _("iCloud needs an app-specific password, created at account.apple.com under "
             "Sign-In and Security, and your full iCloud address as the user name.");

  if (host_is (f->ctx, "fastmail.com"))
    return _("Fastmail never accepts your web password here: create an app password in "
             "Fastmail’s settings under Privacy & Security.");

  if (host_is (f->ctx, "yahoo.com") || host_is (f->ctx, "aol.com"))
    return _("Yahoo and AOL need an app password: create one in your account’s security "
             "settings.");

  if (enhanced_detail_is (f, "7.3") || is_microsoft (f))
    return _("If your Microsoft account uses multi-factor sign-in, passwords may not be accepted "
             "for mail programs: ask your administrator.");

  return NULL;
}

static ProblemKind
classify_auth_failed (ReplyFacts *f)
{
  const char *note = auth_failed_provider_note (f);

  if (enhanced_detail_is (f, "7.13") || has (f, "account disabled") || has (f, "disabled account"))
    {
      f->summary = g_strdup (_("The server says your account is disabled."));
      f->remedy = g_strdup (_("Sign in to your provider’s web site to find out why, or contact "
                              "your provider."));
    }
  else if (note != NULL)
    {
      g_autofree char *base = NULL;

      /* The provider's own advice replaces the general "some providers need an app
       * password" sentence. */
      if (f->ctx->address != NULL)
        /* Translators: %s is the user's email address */
        base = g_strdup_printf (_("Type the password again: check that Caps Lock is off and, if "
                                  "you pasted it, that no spaces crept in at the start or the "
                                  "end. Use your full email address (“%s”) as the user name "
                                  "unless your provider says otherwise."),
                                f->ctx->address);
      else
        base = g_strdup (_("Type the password again: check that Caps Lock is off and, if you "
                           "pasted it, that no spaces crept in at the start or the end. Use "
                           "your full email address as the user name unless your provider "
                           "says otherwise."));

      f->remedy = g_strconcat (base, " ", note, NULL);
    }

  return PROBLEM_AUTH_FAILED;
}

/* Provider tokens that say "your password is not the kind we accept here", in any step. */
static ProblemKind
classify_provider_auth (ReplyFacts *f)
{
  /* Microsoft's retirement of passwords for SMTP AUTH. */
  if (enhanced_detail_is (f, "7.30") || has (f, "basic authentication is not supported"))
    {
      f->summary = g_strdup (_("Microsoft no longer accepts passwords from mail programs for this "
                               "account."));
      f->remedy = g_strdup (_("Use “Sign in with Microsoft” (OAuth) in a mail program that "
                              "supports it, or ask your administrator whether another way of "
                              "sending is allowed."));
      return PROBLEM_AUTH_APP_PASSWORD_REQUIRED;
    }

  if (enhanced_detail_is (f, "7.139"))
    {
      if (has (f, "smtpclientauthentication is disabled"))
        {
          f->summary = g_strdup (_("Sending with a password (“Authenticated SMTP”) is turned off "
                                   "for this Microsoft 365 account."));
          f->remedy = g_strdup (_("Ask your Microsoft 365 administrator to enable “Authenticated "
                                  "SMTP” for this mailbox (Microsoft 365 admin center → Users → "
                                  "the user → Mail → Manage email apps). Your password is "
                                  "probably right."));
        }
      else
        {
          f->summary = g_strdup (_("Your organisation’s security policy blocks password sign-in "
                                   "for mail programs."));
          f->remedy = g_strdup (_("Use “Sign in with Microsoft” (OAuth) in a mail program that "
                                  "supports it, or ask your administrator to allow this "
                                  "account to send with a password."));
        }
      return PROBLEM_AUTH_APP_PASSWORD_REQUIRED;
    }

  if (has (f, "#auth005"))
    {
      f->summary = g_strdup (_("Yahoo does not accept your normal password from mail "
                               "programs."));
      f->remedy = g_strdup (_("Create an app password in Yahoo Account Security → Generate app "
                              "password, and enter it here instead of your normal password."));
      return PROBLEM_AUTH_APP_PASSWORD_REQUIRED;
    }

  if (has (f, "weblogin") || enhanced_detail_is (f, "7.14"))
    {
      f->summary = g_strdup (_("Google blocked this sign-in because it looked unusual."));
      f->remedy = g_strdup (_("Sign in to Gmail with a web browser on this computer, confirm "
                              "that it was you, then try again. Using an app password (Google "
                              "Account → Security → App passwords) avoids this."));
      return PROBLEM_AUTH_APP_PASSWORD_REQUIRED;
    }

  if (has (f, "invalidsecondfactor") || has (f, "application-specific password"))
    {
      f->summary = g_strdup (_("Your Google account uses 2-Step Verification, so your normal "
                               "password cannot be used here."));
      f->remedy = g_strdup (_("Create an app password at Google Account → Security → App "
                              "passwords and enter it here instead of your normal "
                              "password."));
      return PROBLEM_AUTH_APP_PASSWORD_REQUIRED;
    }

  return N_PROBLEMS;
}

/* Replies to AUTH. Returns N_PROBLEMS to let the general rules decide. */
static ProblemKind
classify_auth_step (ReplyFacts *f)
{
  /* 534 5.7.9 means "mechanism too weak" in RFC 4954, but in practice (Gmail) an app
   * password; only the words tell the first meaning apart. */
  if (f->code == 534 && (has (f, "mechanism") || has (f, "too weak")))
    return PROBLEM_AUTH_MECHANISM_UNSUPPORTED;

  if (f->code == 534 || enhanced_detail_is (f, "7.9"))
    return PROBLEM_AUTH_APP_PASSWORD_REQUIRED;

  if (f->code == 504 || enhanced_detail_is (f, "5.4"))
    return PROBLEM_AUTH_MECHANISM_UNSUPPORTED;

  /* "502 Command not implemented", Postfix's "503 5.5.1 Error: authentication not enabled". */
  if ((f->code == 500 || f->code == 502) && !enhanced_detail_is (f, "5.6"))
    return PROBLEM_AUTH_NOT_OFFERED;
  if (f->code == 503 && (has (f, "not enabled") || has (f, "not available")
                         || has (f, "not supported")))
    return PROBLEM_AUTH_NOT_OFFERED;

  if (f->code == 432 || enhanced_detail_is (f, "7.12"))
    {
      f->summary = g_strdup (_("The server asks you to change your password first."));
      f->remedy = g_strdup (_("Sign in to your provider’s web site, change your password there, "
                              "then enter the new password here."));
      return PROBLEM_AUTH_FAILED;
    }

  /* RFC 4954: 454 4.7.0 is a temporary failure; do not re-prompt for the password. */
  if (is_transient (f))
    return PROBLEM_AUTH_TEMPORARY_FAILURE;

  if (f->code == 535 || enhanced_detail_is (f, "7.8") || enhanced_detail_is (f, "7.3")
      || enhanced_detail_is (f, "7.13")
      || has (f, "authentication failed") || has (f, "invalid credentials")
      || has (f, "password"))
    return classify_auth_failed (f);

  return N_PROBLEMS;
}

static ProblemKind
classify_reply (ReplyFacts *f)
{
  ProblemKind kind;

  /* RFC 5321 §4.2: first digits other than 2 to 5 are not SMTP. */
  if (f->code < 200 || f->code > 599)
    return PROBLEM_PROTOCOL_ERROR;

  /* 421 may come at any time, as the answer to any command. */
  if (f->code == 421)
    return enhanced_subject_is (f, '7') && says_rate_limit (f)
           ? PROBLEM_RATE_LIMITED : PROBLEM_SERVER_BUSY;

  if (step_is (f->step_id, OD_STEP_TLS))
    {
      if (f->code == 220)
        return PROBLEM_PROTOCOL_ERROR;  /* not an unexpected reply: the caller's mistake */
      if (is_transient (f))
        f->remedy = g_strdup (_("The server cannot switch on encryption at the moment. Try "
                                "again later; nothing will be sent without encryption."));
      return PROBLEM_STARTTLS_FAILED;
    }

  if (step_is (f->step_id, OD_STEP_GREETING) || step_is (f->step_id, OD_STEP_CONNECT))
    {
      if (is_permanent (f))
        {
          f->summary = g_strdup (_("The server refused to talk to this computer’s internet "
                                   "address."));
          f->remedy = g_strdup (_("Your address may be on a block list, or the server only "
                                  "serves its own customers. On a home connection, use your "
                                  "provider’s outgoing server on port 587 or 465 instead of "
                                  "port 25. The server’s own words are shown below."));
          return PROBLEM_SERVER_ERROR_PERMANENT;
        }
      if (is_transient (f))
        return says_rate_limit (f) ? PROBLEM_RATE_LIMITED : PROBLEM_SERVER_BUSY;
      return PROBLEM_PROTOCOL_ERROR;
    }

  if (enhanced_detail_is (f, "3.2"))
    return PROBLEM_SERVER_BUSY;

  if (is_permanent (f) && (kind = classify_provider_auth (f)) != N_PROBLEMS)
    return kind;

  /* 538 5.7.11, 5.7.10, and "530 5.7.0 Must issue a STARTTLS command first". */
  if (f->code == 538 || enhanced_detail_is (f, "7.11") || enhanced_detail_is (f, "7.10")
      || (is_permanent (f) && says_encryption_required (f)))
    return PROBLEM_AUTH_ENCRYPTION_REQUIRED;

  if (step_is (f->step_id, OD_STEP_AUTH) && (kind = classify_auth_step (f)) != N_PROBLEMS)
    return kind;

  /* Checked before "sign in" hints: "Relaying denied. Proper authentication required." */
  if ((is_permanent (f) || is_transient (f)) && says_relay_denied (f))
    return PROBLEM_RELAY_DENIED;
  if (enhanced_detail_is (f, "7.54"))
    return PROBLEM_RELAY_DENIED;

  /* Before the sign-in hints: Gmail's 5.7.26 says "requires all senders to authenticate". */
  if (enhanced_detail_is (f, "7.26") || enhanced_detail_is (f, "7.23")
      || enhanced_detail_is (f, "7.24") || enhanced_detail_is (f, "7.25"))
    return PROBLEM_MESSAGE_REJECTED_AUTHENTICATION;

  if (is_permanent (f)
      && (f->code == 530 || enhanced_detail_is (f, "7.57") || says_auth_required (f)
          || (f->code == 503 && has (f, "administrative prohibition"))))
    return PROBLEM_AUTH_REQUIRED;

  /* Microsoft's "Client does not have permissions to send as this sender" may come after
   * DATA, so these are recognised in any step. */
  if (is_permanent (f)
      && (enhanced_detail_is (f, "7.60") || has (f, "not owned") || has_word (f, "send as")
          || has (f, "sendas")))
    return PROBLEM_SENDER_NOT_ALLOWED;

  /* Before the quota and size rules: "452 4.2.2 The email account … is over quota". */
  if (enhanced_detail_is (f, "2.2"))
    return PROBLEM_MAILBOX_FULL;
  if ((f->code == 452 || f->code == 552 || step_is (f->step_id, OD_STEP_RECIPIENT)
       || step_is (f->step_id, OD_STEP_DATA))
      && !has (f, "submissionquota") && says_mailbox_full (f))
    return PROBLEM_MAILBOX_FULL;

  if (enhanced_detail_is (f, "3.4") || enhanced_detail_is (f, "2.3")
      || (is_permanent (f) && says_too_large (f)))
    return PROBLEM_MESSAGE_TOO_LARGE;

  if (is_transient (f))
    {
      if (says_greylisting (f))
        return PROBLEM_GREYLISTED;
      if (says_rate_limit (f))
        return PROBLEM_RATE_LIMITED;
      if (says_send_quota (f))
        return PROBLEM_SEND_QUOTA_EXCEEDED;
      if (is_envelope_step (f) && says_spam (f))
        return PROBLEM_MESSAGE_REJECTED_SPAM;
      if (has (f, "server busy") || has (f, "too busy") || has (f, "server is busy"))
        return PROBLEM_SERVER_BUSY;
      if ((f->code == 450 || f->code == 451) && is_envelope_step (f) && says_try_later (f))
        return PROBLEM_GREYLISTED;
      if (step_is (f->step_id, OD_STEP_RECIPIENT)
          && (enhanced_detail_is (f, "7.1") || enhanced_detail_is (f, "2.0")))
        return PROBLEM_GREYLISTED;
      if ((f->code == 452 || f->code == 552) && step_is (f->step_id, OD_STEP_RECIPIENT)
          && f->enhanced == NULL)
        return PROBLEM_MAILBOX_FULL;
      return PROBLEM_SERVER_ERROR_TEMPORARY;
    }

  if (!is_permanent (f))
    return PROBLEM_PROTOCOL_ERROR;  /* a 2xx or 3xx where something else was expected */

  /* From here on: 5xx. */

  if (says_send_quota (f) && !enhanced_subject_is (f, '1'))
    return PROBLEM_SEND_QUOTA_EXCEEDED;

  if (is_envelope_step (f) && says_sender_domain_auth (f))
    return PROBLEM_MESSAGE_REJECTED_AUTHENTICATION;

  if (says_spam (f))
    return PROBLEM_MESSAGE_REJECTED_SPAM;

  if (step_is (f->step_id, OD_STEP_SENDER)
      && (f->code == 553 || enhanced_detail_is (f, "1.7") || enhanced_detail_is (f, "1.8")
          || (enhanced_detail_is (f, "7.1") && has (f, "sender"))))
    return PROBLEM_SENDER_NOT_ALLOWED;

  if (step_is (f->step_id, OD_STEP_RECIPIENT) || step_is (f->step_id, OD_STEP_DATA))
    {
      static const char * const unknown_recipient[] = {
        "does not exist", "doesn't exist", "no such", "unknown", "not found", "invalid recipient",
        "invalid mailbox", "mailbox unavailable", "user not local", "not our customer",
        NULL
      };

      if (enhanced_detail_is (f, "1.2"))
        {
          f->summary = g_strdup (_("The recipient’s domain does not accept mail."));
          f->remedy = g_strdup (_("Check the part of the recipient’s address after the “@” for "
                                  "typing mistakes."));
          return PROBLEM_RECIPIENT_REJECTED;
        }

      if (enhanced_detail_is (f, "1.1") || enhanced_detail_is (f, "1.3")
          || enhanced_detail_is (f, "1.6") || enhanced_detail_is (f, "1.10")
          || enhanced_detail_is (f, "2.1")
          || (step_is (f->step_id, OD_STEP_RECIPIENT)
              && (f->code == 551 || has_any (f, unknown_recipient))))
        return PROBLEM_RECIPIENT_REJECTED;

      if (f->code == 552 && step_is (f->step_id, OD_STEP_RECIPIENT))
        return PROBLEM_MAILBOX_FULL;
    }

  if (f->code == 552)
    return PROBLEM_MESSAGE_TOO_LARGE;

  if (step_is (f->step_id, OD_STEP_DATA)
      && (enhanced_detail_is (f, "7.1") || enhanced_subject_is (f, '7') || says_policy (f)))
    return PROBLEM_MESSAGE_REJECTED_SPAM;

  /* A bare 5.7.0 before DATA is, in practice, "sign in first". */
  if ((step_is (f->step_id, OD_STEP_SENDER) || step_is (f->step_id, OD_STEP_RECIPIENT))
      && enhanced_detail_is (f, "7.0"))
    return PROBLEM_AUTH_REQUIRED;

  return PROBLEM_SERVER_ERROR_PERMANENT;
}

/**
 * od_diagnosis_from_reply:
 * @step_id: the step that got the reply
 * @reply: the unexpected reply
 * @context: (nullable): what is known about the run
 *
 * Turns an unexpected reply into a problem of the catalog, from its code, its enhanced
 * status code and, where providers put the meaning there, its words. The reply is kept
 * as the problem's server reply.
 *
 * Returns: (transfer full): a new #OdProblem of severity %OD_SEVERITY_ERROR
 */
OdProblem *
od_diagnosis_from_reply (const char               *step_id,
                         const OdSmtpReply        *reply,
                         const OdDiagnosisContext *context)
{
  g_autofree char *server_reply = NULL;
  g_autofree char *joined = NULL;
  const char * const *lines;
  ReplyFacts facts = { 0 };
  ProblemKind kind;

  g_return_val_if_fail (step_id != NULL, NULL);
  g_return_val_if_fail (reply != NULL, NULL);

  if (context == NULL)
    context = &empty_context;

  lines = od_smtp_reply_get_lines (reply);
  joined = lines != NULL ? g_strjoinv (" ", (char **)lines) : g_strdup ("");

  facts.step_id = step_id;
  facts.ctx = context;
  facts.code = od_smtp_reply_get_code (reply);
  facts.enhanced = od_smtp_reply_get_enhanced_code (reply);
  facts.text = g_ascii_strdown (joined, -1);

  kind = classify_reply (&facts);
  server_reply = od_smtp_reply_to_string (reply);

  g_free (facts.text);

  return build_problem (kind, step_id, OD_SEVERITY_ERROR, context, server_reply,
                        facts.summary, facts.remedy);
}
