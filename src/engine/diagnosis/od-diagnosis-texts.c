/* od-diagnosis-texts.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-diagnosis"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-address.h"
#include "od-diagnosis-private.h"

/* Every text the diagnosis shows, in one place. A problem's summary and remedy are, in this
 * order: the reason's own text (what the evidence said beyond the kind), a text naming what
 * the context knows (the host, the port, the user), or the catalog's general text. All are
 * translated here, at the moment a problem is built. */

typedef struct
{
  const char *summary;  /* N_(), or NULL for the kind's */
  const char *remedy;   /* N_(), or NULL for the kind's */
  const char *note;     /* N_(): the provider's advice after the "type it again" remedy */
} ReasonTexts;

static const ReasonTexts reasons[OD_N_REASONS] = {
  [OD_REASON_NETWORK_LIMITED] = {
    N_("This computer is connected to a network, but that network does not reach the "
       "internet."),
    N_("Check your router or modem, or try another network. If this network needs you to "
       "sign in or accept terms, open a web browser and do that first."),
    NULL,
  },
  [OD_REASON_CERTIFICATE_REVOKED] = {
    NULL,
    N_("The certificate has been revoked by its issuer: it must not be used any more. "
       "Contact your provider; do not trust this certificate."),
    NULL,
  },
  [OD_REASON_CERTIFICATE_UNTRUSTED_OTHER_NAME] = {
    NULL,
    N_("The certificate is also issued for a different name. Check that you use the exact "
       "server name your provider documents. If you do, an antivirus program or a company "
       "firewall may be intercepting mail; only trust this certificate if its fingerprint "
       "matches the one your provider or administrator gives you."),
    NULL,
  },
  [OD_REASON_CLOSED_BEFORE_GREETING] = {
    N_("The server hung up before greeting us."),
    N_("The server may be overloaded, or it may not accept connections from your network. "
       "Wait a few minutes and try again; if it keeps happening, try port 587 or 465, or "
       "another network."),
    NULL,
  },
  [OD_REASON_CLOSED_DURING_TLS] = {
    N_("The server hung up while the encrypted connection was being set up."),
    NULL,
    NULL,
  },
  [OD_REASON_CLOSED_DURING_DATA] = {
    N_("The server hung up unexpectedly while the message was being sent."),
    N_("The message may or may not have arrived: check before sending it again. Then try "
       "again in a few minutes."),
    NULL,
  },
  [OD_REASON_CLOSED] = {
    N_("The server hung up unexpectedly."),
    N_("This is usually temporary: try again in a few minutes. If it happens every time at "
       "this step, send this report to your provider."),
    NULL,
  },
  [OD_REASON_STARTTLS_INJECTION] = {
    N_("Someone on the network tampered with the connection while encryption was being "
       "switched on."),
    N_("Extra data was slipped in just before encryption started, a known attack on STARTTLS. "
       "The check was stopped and nothing was sent. Use port 465 with “TLS”, which is "
       "encrypted from the first moment, and tell the administrator of this network; if you "
       "can, try another network."),
    NULL,
  },
  [OD_REASON_TLS_OUTDATED] = {
    N_("The server only offers an outdated version of encryption."),
    N_("Encryption older than TLS 1.2 is no longer safe, so it is not used. Ask your provider "
       "to enable TLS 1.2 or newer, or use another outgoing server."),
    NULL,
  },
  [OD_REASON_BAD_SENDER_ADDRESS] = {
    N_("The sender address cannot be used for sending."),
    N_("Check the sender address for typing mistakes. Addresses with characters outside the "
       "basic latin alphabet need a server that supports them."),
    NULL,
  },
  [OD_REASON_BAD_RECIPIENT_ADDRESS] = {
    N_("The recipient address cannot be used for sending."),
    NULL,
    NULL,
  },
  [OD_REASON_STARTTLS_TEMPORARY] = {
    NULL,
    N_("The server cannot switch on encryption at the moment. Try again later; nothing will "
       "be sent without encryption."),
    NULL,
  },
  [OD_REASON_GREETING_REFUSED] = {
    N_("The server refused to talk to this computer’s internet address."),
    N_("Your address may be on a block list, or the server only serves its own customers. On "
       "a home connection, use your provider’s outgoing server on port 587 or 465 instead of "
       "port 25. The server’s own words are shown below."),
    NULL,
  },
  [OD_REASON_MICROSOFT_BASIC_AUTH] = {
    N_("Microsoft no longer accepts passwords from mail programs for sending from this "
       "account."),
    N_("Microsoft is retiring passwords for sending mail: Outlook.com personal accounts have "
       "not accepted them since September 2024, and Microsoft 365 (Exchange Online) switches "
       "them off by default at the end of December 2026. Use “Sign in with Microsoft” (OAuth) "
       "in a mail program that supports it. For a Microsoft 365 account, your administrator "
       "may be able to allow passwords again for a while."),
    NULL,
  },
  [OD_REASON_MICROSOFT_SMTP_AUTH_DISABLED] = {
    N_("Sending with a password (“Authenticated SMTP”) is turned off for this Microsoft 365 "
       "account."),
    N_("Ask your Microsoft 365 administrator to enable “Authenticated SMTP” for this mailbox "
       "(Microsoft 365 admin center → Users → the user → Mail → Manage email apps). Your "
       "password is probably right. Microsoft switches it off by default for every "
       "organisation at the end of December 2026, so the lasting way is a mail program with "
       "“Sign in with Microsoft” (OAuth)."),
    NULL,
  },
  [OD_REASON_MICROSOFT_POLICY] = {
    N_("Your organisation’s security policy blocks password sign-in for mail programs."),
    N_("Use “Sign in with Microsoft” (OAuth) in a mail program that supports it, or ask your "
       "administrator to allow this account to send with a password."),
    NULL,
  },
  [OD_REASON_YAHOO_APP_PASSWORD] = {
    N_("Yahoo does not accept your normal password from mail programs."),
    N_("Create an app password in Yahoo Account Security → Generate app password, and enter "
       "it here instead of your normal password."),
    NULL,
  },
  [OD_REASON_GOOGLE_WEB_LOGIN] = {
    N_("Google blocked this sign-in because it looked unusual."),
    N_("Sign in to Gmail with a web browser on this computer, confirm that it was you, then "
       "try again. Using an app password (Google Account → Security → App passwords) avoids "
       "this, and so does signing in with Google itself: add the account in Settings → Online "
       "Accounts and test it from there."),
    NULL,
  },
  [OD_REASON_GOOGLE_SECOND_FACTOR] = {
    N_("Your Google account uses 2-Step Verification, so your normal password cannot be used "
       "here."),
    N_("Create an app password at Google Account → Security → App passwords and enter it here "
       "instead of your normal password. Or sign in with Google itself: add the account in "
       "Settings → Online Accounts and test it from there."),
    NULL,
  },
  [OD_REASON_PASSWORD_CHANGE] = {
    N_("The server asks you to change your password first."),
    N_("Sign in to your provider’s web site, change your password there, then enter the new "
       "password here."),
    NULL,
  },
  [OD_REASON_ACCOUNT_DISABLED] = {
    N_("The server says your account is disabled."),
    N_("Sign in to your provider’s web site to find out why, or contact your provider."),
    NULL,
  },
  [OD_REASON_PASSWORD_GOOGLE] = {
    NULL, NULL,
    N_("Google accounts need an app password for mail programs: create one at Google Account "
       "→ Security → App passwords (it needs 2-Step Verification)."),
  },
  [OD_REASON_PASSWORD_ICLOUD] = {
    NULL, NULL,
    N_("iCloud needs an app-specific password, created at account.apple.com under Sign-In and "
       "Security, and your full iCloud address as the user name."),
  },
  [OD_REASON_PASSWORD_FASTMAIL] = {
    NULL, NULL,
    N_("Fastmail never accepts your web password here: create an app password in Fastmail’s "
       "settings under Privacy & Security."),
  },
  [OD_REASON_PASSWORD_YAHOO] = {
    NULL, NULL,
    N_("Yahoo and AOL need an app password: create one in your account’s security settings."),
  },
  [OD_REASON_PASSWORD_MICROSOFT] = {
    NULL, NULL,
    N_("If your Microsoft account uses multi-factor sign-in, passwords may not be accepted for "
       "mail programs: ask your administrator."),
  },
  [OD_REASON_RECIPIENT_DOMAIN] = {
    N_("The recipient’s domain does not accept mail."),
    N_("Check the part of the recipient’s address after the “@” for typing mistakes."),
    NULL,
  },
  [OD_REASON_ONLY_PORT_25] = {
    N_("Only port 25 works for sending from here, and many networks block it."),
    N_("Mail may stop leaving your outbox on another network (at work, in a hotel, on a "
       "mobile connection). Ask your provider whether port 587 or 465 can be turned on for "
       "your account, and use it when it can."),
    NULL,
  },
  [OD_REASON_DOMAIN_NOT_FOUND] = {
    NULL,  /* names the domain: reason_summary() */
    N_("Check the part of your address after the “@” for typing mistakes."),
    NULL,
  },
  [OD_REASON_INBOUND_ONLY] = {
    NULL,  /* names the server: reason_summary() */
    N_("Look up your provider’s outgoing (SMTP) server on its help pages, then enter it by "
       "hand."),
    NULL,
  },
  [OD_REASON_EVERY_PORT_TIMED_OUT] = {
    NULL,  /* names the ports: reason_summary() */
    N_("A firewall on this network or your internet provider seems to block mail. Try another "
       "network (for example your phone’s hotspot); if mail works there, ask the "
       "administrator of this network or your internet provider to allow ports 587 and 465."),
    NULL,
  },
  [OD_REASON_OTHER_PORT_WORKS] = {
    NULL,  /* names the ports: reason_summary() */
    NULL,  /* names the port that works: contextual_remedy() */
    NULL,
  },
  [OD_REASON_TOKEN_UNAVAILABLE] = {
    N_("GNOME Online Accounts has no valid sign-in for this account."),
    NULL,
    NULL,
  },
  [OD_REASON_TOKEN_SERVICE] = {
    N_("GNOME Online Accounts could not give a sign-in token just now."),
    N_("Try again in a moment. If it keeps failing, check the network connection, and that "
       "the account still exists in Settings → Online Accounts."),
    NULL,
  },
  [OD_REASON_MICROSOFT_GOA_TOKEN] = {
    N_("Microsoft’s mail server refused the sign-in GNOME Online Accounts holds for this "
       "account."),
    N_("This version of GNOME Online Accounts signs in to Microsoft in an older way that "
       "Outlook’s mail servers no longer accept for mail, so signing in again will not help. "
       "Set the account up in a mail program that signs in to Microsoft itself (Evolution, "
       "Thunderbird), or with an app password where your account allows one."),
    NULL,
  },
  [OD_REASON_TOKEN_NOT_OFFERED] = {
    N_("The server does not take a sign-in token, only a password."),
    N_("The account signs in with a token (OAuth), which this server does not offer. Check "
       "that this is your provider’s server for the account; if it is, the account needs a "
       "password (or an app password) for this server instead."),
    NULL,
  },
  [OD_REASON_OWN_SIGNIN_ENDED] = {
    N_("The provider no longer accepts this account’s sign-in."),
    N_("Sign in again: press “Sign In Again” on the account’s page, or run "
       "“outbox-doctor-cli setup ADDRESS --oauth”. Providers end a sign-in after a password "
       "change, after a long time without use, or when it is revoked."),
    NULL,
  },
  [OD_REASON_OWN_TOKEN_SERVICE] = {
    N_("The provider’s sign-in service could not give a sign-in token just now."),
    N_("Try again in a moment. If it keeps failing, check the network connection."),
    NULL,
  },
  [OD_REASON_NO_CLIENT_ID] = {
    N_("This copy of Outbox Doctor has no permission (client ID) to sign in with this "
       "provider."),
    N_("Add the account in Settings → Online Accounts and test it from there, use an app "
       "password where your provider allows one, or set the account up again with your own "
       "client ID."),
    NULL,
  },
  [OD_REASON_STARTTLS_OFFERED] = {
    N_("Encryption is turned off, but the server offers to encrypt on this port (STARTTLS)."),
    N_("Set the encryption to “STARTTLS” and keep the port. Your password was not sent: it "
       "only goes to the server once the connection is encrypted."),
    NULL,
  },
};

/* Remedies name an encryption setting with the words of the app's Encryption menu: quoted,
 * as the menu item to choose (od_security_get_label()), or in running text
 * (od_security_describe()). */

/* Reasons whose summary quotes something. */
static char *
reason_summary (const OdFinding          *finding,
                const OdDiagnosisContext *ctx)
{
  switch (finding->reason)
    {
    case OD_REASON_UNEXPECTED:
      /* Translators: %s is a technical error message */
      return g_strdup_printf (_("Something unexpected went wrong: %s"),
                              finding->quoted ? finding->quoted : "");

    case OD_REASON_DOMAIN_NOT_FOUND:
      /* Translators: %s is a domain name */
      return g_strdup_printf (_("The domain %s does not exist."), ctx->domain);

    case OD_REASON_INBOUND_ONLY:
      /* Translators: %s is a server name such as mx1.example.com */
      return g_strdup_printf (_("The only server that answered, %s, is the one that receives "
                                "your mail, not one for sending."),
                              ctx->host);

    case OD_REASON_EVERY_PORT_TIMED_OUT:
      /* Translators: %s is a list of port numbers, such as "465, 587, 25" */
      return g_strdup_printf (_("Connecting to the mail servers timed out on every port tried "
                                "(%s)."), ctx->ports);

    case OD_REASON_OTHER_PORT_WORKS:
      if (finding->kind == OD_PROBLEM_CONNECTION_REFUSED)
        /* Translators: "Nothing accepts connections on port 25 of this server; port 587 with
         * STARTTLS works." */
        return g_strdup_printf (_("Nothing accepts connections on port %u of this server; port "
                                  "%u with %s works."),
                                ctx->port, ctx->other_port,
                                od_security_describe (ctx->other_security));
      if (finding->kind == OD_PROBLEM_ENCRYPTION_MISMATCH && ctx->security == OD_SECURITY_NONE)
        /* Translators: "Port 465 does not work without encryption; it works with TLS." */
        return g_strdup_printf (_("Port %u does not work without encryption; it works with %s."),
                                ctx->port, od_security_describe (ctx->other_security));
      if (finding->kind == OD_PROBLEM_ENCRYPTION_MISMATCH)
        /* Translators: "Port 465 does not work with STARTTLS; it works with TLS." */
        return g_strdup_printf (_("Port %u does not work with %s; it works with %s."), ctx->port,
                                od_security_describe (ctx->security),
                                od_security_describe (ctx->other_security));
      /* Translators: "Port 465 gets no answer from this network; port 587 with STARTTLS on the
       * same server works." */
      return g_strdup_printf (_("Port %u gets no answer from this network; port %u with %s on "
                                "the same server works."),
                              ctx->port, ctx->other_port,
                              od_security_describe (ctx->other_security));

    default:
      return reasons[finding->reason].summary ? g_strdup (_(reasons[finding->reason].summary))
                                              : NULL;
    }
}

/* Summaries that name the server. */
static char *
summary_naming_host (OdProblemKind             kind,
                     const OdDiagnosisContext *ctx)
{
  switch ((int) kind)
    {
    case OD_PROBLEM_DNS_NO_SUCH_HOST:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The server name “%s” does not exist."), ctx->host);
      return NULL;

    case OD_PROBLEM_DNS_FAILURE:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The server name “%s” could not be looked up."), ctx->host);
      return NULL;

    case OD_PROBLEM_HOST_UNREACHABLE:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("There is no route to the server %s."), ctx->host);
      return NULL;

    case OD_PROBLEM_TLS_CERTIFICATE_UNTRUSTED:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The certificate of %s is not issued by an authority this "
                                  "computer trusts."),
                                ctx->host);
      return NULL;

    case OD_PROBLEM_TLS_CERTIFICATE_EXPIRED:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The certificate of %s has expired or is not valid yet."),
                                ctx->host);
      return NULL;

    case OD_PROBLEM_TLS_CERTIFICATE_HOSTNAME_MISMATCH:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The server’s certificate is not valid for the name “%s”."),
                                ctx->host);
      return NULL;

    case OD_PROBLEM_TLS_HANDSHAKE_FAILED:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The encrypted connection to %s could not be set up."),
                                ctx->host);
      return NULL;

    case OD_PROBLEM_TLS_CERTIFICATE_CHANGED:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The certificate of %s is not the one you chose to trust "
                                  "earlier."),
                                ctx->host);
      return NULL;

    case OD_PROBLEM_SERVER_BUSY:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The server %s is busy or not accepting connections right "
                                  "now."),
                                ctx->host);
      return NULL;

    case OD_PROBLEM_SERVER_TIMEOUT:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("The server %s stopped answering."), ctx->host);
      return NULL;

    case OD_PROBLEM_SERVER_UNCONFIRMED:
      if (ctx->host != NULL && ctx->port != 0)
        /* Translators: %s is a server name such as smtp.example.com, %u its port */
        return g_strdup_printf (_("The server %s (port %u) may be the right one, but nothing "
                                  "confirms that it is your provider’s."),
                                ctx->host, ctx->port);
      return NULL;

    default:
      return NULL;
    }
}

/* Summaries that name the port (and the server). */
static char *
summary_naming_port (OdProblemKind             kind,
                     const OdDiagnosisContext *ctx)
{
  switch ((int) kind)
    {
    case OD_PROBLEM_PORT_BLOCKED:
      if (ctx->host != NULL && ctx->port != 0)
        /* Translators: %s is a server name, %u a port number such as 587 */
        return g_strdup_printf (_("Connecting to %s on port %u timed out."), ctx->host, ctx->port);
      return NULL;

    case OD_PROBLEM_CONNECTION_REFUSED:
      if (ctx->host != NULL && ctx->port != 0)
        /* Translators: %s is a server name, %u a port number such as 587 */
        return g_strdup_printf (_("The server %s is reachable but does not accept connections on "
                                  "port %u."),
                                ctx->host, ctx->port);
      return NULL;

    case OD_PROBLEM_PROTOCOL_ERROR:
      if (ctx->host != NULL && ctx->port != 0)
        /* Translators: %s is a server name, %u a port number such as 587 */
        return g_strdup_printf (_("What answers on %s port %u does not follow the mail "
                                  "protocol."),
                                ctx->host, ctx->port);
      return NULL;

    case OD_PROBLEM_ENCRYPTION_MISMATCH:
      if (ctx->port != 0)
        /* Translators: %u is a port number such as 465 */
        return g_strdup_printf (_("The encryption setting does not match what the server "
                                  "expects on port %u."),
                                ctx->port);
      return NULL;

    case OD_PROBLEM_AUTH_NOT_OFFERED:
      if (ctx->port != 0)
        /* Translators: %u is a port number such as 25 */
        return g_strdup_printf (_("The server does not offer to sign in on port %u."), ctx->port);
      return NULL;

    default:
      return NULL;
    }
}

/* Summaries that name the user, the address or its domain. */
static char *
summary_naming_user (OdProblemKind             kind,
                     const OdDiagnosisContext *ctx)
{
  switch ((int) kind)
    {
    case OD_PROBLEM_NO_SETTINGS_FOUND:
      if (od_address_get_domain (ctx->address) != NULL)
        /* Translators: %s is a mail domain such as example.com */
        return g_strdup_printf (_("No outgoing mail server settings could be found for “%s”."),
                                od_address_get_domain (ctx->address));
      return NULL;

    case OD_PROBLEM_AUTH_FAILED:
      if (ctx->username != NULL)
        /* Translators: %s is the user name used to sign in */
        return g_strdup_printf (_("The server did not accept the user name “%s” or its "
                                  "password."),
                                ctx->username);
      return NULL;

    case OD_PROBLEM_SENDER_NOT_ALLOWED:
      if (ctx->address != NULL)
        /* Translators: %s is an email address */
        return g_strdup_printf (_("The server does not let you send from “%s”."), ctx->address);
      return NULL;

    case OD_PROBLEM_MESSAGE_REJECTED_AUTHENTICATION:
      if (od_address_get_domain (ctx->address) != NULL)
        /* Translators: %s is a mail domain such as example.com */
        return g_strdup_printf (_("The message was refused because the domain “%s” could not be "
                                  "verified (SPF, DKIM or DMARC)."),
                                od_address_get_domain (ctx->address));
      return NULL;

    default:
      return NULL;
    }
}
/**
 * od_diagnosis_summary:
 *
 * Returns: (transfer full): what is wrong, in plain words, translated
 */
char *
od_diagnosis_summary (const OdFinding          *finding,
                      const char               *step_id,
                      const OdDiagnosisContext *ctx)
{
  char *summary;

  if ((summary = reason_summary (finding, ctx)) != NULL ||
      (summary = summary_naming_host (finding->kind, ctx)) != NULL ||
      (summary = summary_naming_port (finding->kind, ctx)) != NULL ||
      (summary = summary_naming_user (finding->kind, ctx)) != NULL)
    return summary;

  return g_strdup (_(od_catalog_get (finding->kind)->summary));
}

/* ---- Remedies ------------------------------------------------------------------------- */

static char *
port_blocked_remedy (const OdDiagnosisContext *ctx)
{
  if (ctx->port == 25)
    return g_strdup (_("Many internet providers block port 25 for their customers. Use port 587 "
                       "(STARTTLS) or port 465 (TLS) instead: these are the ports meant for "
                       "mail programs. Some providers also accept port 2525. If only one network "
                       "fails, try another network (for example your phone’s hotspot)."));

  if (ctx->port != 0)
    /* Translators: %u is a port number such as 587 */
    return g_strdup_printf (_("A firewall on this network or your internet provider seems to "
                              "block port %u. Mail programs can normally use port 587 "
                              "(STARTTLS) or 465 (TLS), and some providers also accept "
                              "2525: try another of these ports. If the same settings work on "
                              "another network (for example your phone’s hotspot) and only one "
                              "network fails, that network blocks mail: ask its administrator."),
                            ctx->port);

  return NULL;
}

/* A setting of the same server was tried and works. */
static char *
other_port_remedy (const OdDiagnosisContext *ctx)
{
  if (ctx->other_port == 0)
    return NULL;

  if (ctx->other_port == ctx->port)
    /* Translators: %s is an encryption setting as the Encryption menu names it ("TLS" or
     * "STARTTLS"), %u a port */
    return g_strdup_printf (_("Set the encryption to “%s” for port %u: Outbox Doctor tried it, "
                              "and the server answers that way."),
                            od_security_get_label (ctx->other_security), ctx->port);

  /* Translators: "Use port 587 with “STARTTLS” instead: …" */
  return g_strdup_printf (_("Use port %u with “%s” instead: Outbox Doctor tried it, and the "
                            "same server answers there with verified encryption. Nothing "
                            "else needs to change."),
                          ctx->other_port, od_security_get_label (ctx->other_security));
}

static char *
encryption_mismatch_remedy (const OdDiagnosisContext *ctx)
{
  if (ctx->port == 465)
    return g_strdup (_("Port 465 expects encryption from the very first moment. Set the "
                       "encryption to “TLS” (not STARTTLS)."));

  if (ctx->port == 587 || ctx->port == 25 || ctx->port == 2525)
    /* Translators: %u is a port number such as 587 */
    return g_strdup_printf (_("Port %u starts without encryption and switches it on with "
                              "STARTTLS. Set the encryption to “STARTTLS”, or use port 465 "
                              "with “TLS”."),
                            ctx->port);

  /* OD_SECURITY_TLS is 0, so the security setting only means something with a port. */
  if (ctx->port != 0 && ctx->security == OD_SECURITY_TLS)
    return g_strdup (_("The server on this port does not start with encryption. Set the "
                       "encryption to “STARTTLS”, or use port 465 with “TLS”."));

  if (ctx->port != 0)
    return g_strdup (_("The server on this port expects encryption from the very first moment. "
                       "Set the encryption to “TLS”."));

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

/* The general "type the password again" remedy followed by a provider's own advice. */
static char *
password_remedy_with_note (const char               *note,
                           const OdDiagnosisContext *ctx)
{
  g_autofree char *base = NULL;

  /* The provider's own advice replaces the general "some providers need an app password"
   * sentence. */
  if (ctx->address != NULL)
    /* Translators: %s is the user's email address */
    base = g_strdup_printf (_("Type the password again: check that Caps Lock is off and, if "
                              "you pasted it, that no spaces crept in at the start or the "
                              "end. Use your full email address (“%s”) as the user name "
                              "unless your provider says otherwise."),
                            ctx->address);
  else
    base = g_strdup (_("Type the password again: check that Caps Lock is off and, if you "
                       "pasted it, that no spaces crept in at the start or the end. Use "
                       "your full email address as the user name unless your provider "
                       "says otherwise."));

  return g_strconcat (base, " ", _(note), NULL);
}

static char *
contextual_remedy (OdProblemKind             kind,
                   const char               *step_id,
                   const OdDiagnosisContext *ctx)
{
  switch ((int) kind)
    {
    case OD_PROBLEM_DNS_NO_SUCH_HOST:
      if (ctx->host != NULL)
        /* Translators: %s is a server name such as smtp.example.com */
        return g_strdup_printf (_("Check the spelling of “%s” in the outgoing server settings. "
                                  "If it looks right, look up the current outgoing server name "
                                  "on your provider’s help pages."),
                                ctx->host);
      return NULL;

    case OD_PROBLEM_PORT_BLOCKED:
      return port_blocked_remedy (ctx);

    case OD_PROBLEM_CONNECTION_REFUSED:
      if (ctx->port != 0)
        /* Translators: %u is a port number such as 2525 */
        return g_strdup_printf (_("Check the port number (%u). Outgoing mail normally uses port "
                                  "587 (STARTTLS) or 465 (TLS). If the port is right, the "
                                  "mail service may be down: try again later."),
                                ctx->port);
      return NULL;

    case OD_PROBLEM_ENCRYPTION_MISMATCH:
      return encryption_mismatch_remedy (ctx);

    case OD_PROBLEM_AUTH_FAILED:
      return auth_failed_remedy (ctx);

    case OD_PROBLEM_SENDER_NOT_ALLOWED:
      return sender_not_allowed_remedy (ctx);

    case OD_PROBLEM_SERVER_UNCONFIRMED:
      if (ctx->why != NULL)
        /* Translators: %s says where the server came from, as a sentence such as "It was
         * found through DNS records, which anyone on your network can forge." */
        return g_strdup_printf (_("%s Your password is only sent to it once you confirm it. "
                                  "Compare its name with your provider’s help pages; if it is "
                                  "right, confirm it."),
                                ctx->why);
      return NULL;

    case OD_PROBLEM_SERVER_TIMEOUT:
      if (step_id != NULL && g_str_equal (step_id, OD_STEP_DATA))
        return g_strdup (_("The message may or may not have arrived: check before sending it "
                           "again. If this keeps happening, try again later or from another "
                           "network."));
      return NULL;

    default:
      return NULL;
    }
}

/**
 * od_diagnosis_remedy:
 *
 * Returns: (transfer full): what to do, in plain words, translated
 */
char *
od_diagnosis_remedy (const OdFinding          *finding,
                     const char               *step_id,
                     const OdDiagnosisContext *ctx)
{
  const ReasonTexts *texts = &reasons[finding->reason];
  char *remedy;

  if (texts->note != NULL)
    return password_remedy_with_note (texts->note, ctx);

  if (finding->reason == OD_REASON_OTHER_PORT_WORKS &&
      (remedy = other_port_remedy (ctx)) != NULL)
    return remedy;

  if ((remedy = od_diagnosis_incoming_remedy (finding, ctx)) != NULL)
    return remedy;

  if (texts->remedy != NULL)
    return g_strdup (_(texts->remedy));

  if ((remedy = contextual_remedy (finding->kind, step_id, ctx)) != NULL)
    return remedy;

  return g_strdup (_(od_catalog_get (finding->kind)->remedy));
}
