/* od-catalog.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-catalog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "od-catalog.h"

/* The problem catalog: every problem the engine can report, with its stable id, the step it
 * usually belongs to, its usual severity, the fixes a front end may offer, and its general
 * texts. The texts are marked for translation and translated when a problem is built; more
 * specific texts (naming the host, the port, the provider) are chosen by the diagnosis
 * (od-diagnosis-texts.c). Ids are added, never changed; docs/problems.md lists them (a test
 * checks).
 *
 * Fixes: another setting for the problems where the check tries the server's other ports
 * or encryption mode (offered only when one was seen to work: the problem's suggestion);
 * the password for refused logins; trusting the certificate for certificate problems,
 * after the user has seen it. */
static const OdCatalogEntry catalog[OD_N_PROBLEM_KINDS] = {
  [OD_PROBLEM_NETWORK_OFFLINE] = {
    OD_PROBLEM_NETWORK_OFFLINE, "network-offline",
    OD_STEP_NETWORK, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("This computer is not connected to a network."),
    N_("Connect to Wi-Fi or plug in a network cable, then try again. If you are connected, "
       "turn the connection off and on again, or restart your router."),
  },
  [OD_PROBLEM_CAPTIVE_PORTAL] = {
    OD_PROBLEM_CAPTIVE_PORTAL, "captive-portal",
    OD_STEP_NETWORK, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("This network wants you to sign in with a web browser first."),
    N_("Open a web browser and follow the network’s sign-in or terms page (common in hotels, "
       "trains and cafés), then try again."),
  },
  [OD_PROBLEM_DNS_NO_SUCH_HOST] = {
    OD_PROBLEM_DNS_NO_SUCH_HOST, "dns-no-such-host",
    OD_STEP_DNS, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server name does not exist."),
    N_("Check the spelling of the outgoing server name (for example “smtp.gmail.com”). "
       "If it looks right, look up the current name on your provider’s help pages."),
  },
  [OD_PROBLEM_DNS_FAILURE] = {
    OD_PROBLEM_DNS_FAILURE, "dns-failure",
    OD_STEP_DNS, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server name could not be looked up."),
    N_("Check your internet connection and try again. If web sites work but this keeps "
       "failing, the network’s name service may be faulty: try another network."),
  },
  [OD_PROBLEM_NO_SETTINGS_FOUND] = {
    OD_PROBLEM_NO_SETTINGS_FOUND, "no-settings-found",
    OD_STEP_DNS, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("No outgoing mail server settings could be found for this address."),
    N_("Look up the outgoing (SMTP) server name, port and encryption setting on your "
       "provider’s help pages and enter them manually."),
  },
  [OD_PROBLEM_NO_ENCRYPTED_SERVER] = {
    OD_PROBLEM_NO_ENCRYPTED_SERVER, "no-encrypted-server",
    OD_STEP_DNS, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("This domain only publishes settings without encryption."),
    N_("Outbox Doctor will not send your password that way. Ask your provider for settings "
       "with encryption (port 465 with “TLS” or port 587 with “STARTTLS”) and enter them "
       "manually."),
  },
  [OD_PROBLEM_PORT_BLOCKED] = {
    OD_PROBLEM_PORT_BLOCKED, "port-blocked",
    OD_STEP_CONNECT, OD_SEVERITY_ERROR, OD_FIX_OTHER_PORT,
    N_("Connecting to the server timed out."),
    N_("A firewall on this network or your internet provider seems to block this port. "
       "Mail programs can normally use port 587 (STARTTLS) or 465 (TLS), and some "
       "providers also accept 2525: try another of these ports. If the same settings work "
       "on another network (for example your phone’s hotspot) and only one network fails, "
       "that network blocks mail: ask its administrator."),
  },
  [OD_PROBLEM_CONNECTION_REFUSED] = {
    OD_PROBLEM_CONNECTION_REFUSED, "connection-refused",
    OD_STEP_CONNECT, OD_SEVERITY_ERROR, OD_FIX_OTHER_PORT,
    N_("The server is reachable but does not accept connections on this port."),
    N_("Check the port number. Outgoing mail normally uses port 587 (STARTTLS) or 465 "
       "(TLS). If the port is right, the mail service may be down: try again later."),
  },
  [OD_PROBLEM_HOST_UNREACHABLE] = {
    OD_PROBLEM_HOST_UNREACHABLE, "host-unreachable",
    OD_STEP_CONNECT, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("There is no route to the server."),
    N_("Check your internet connection and the server name. A VPN or a firewall may be in "
       "the way: try again without the VPN, or from another network."),
  },
  [OD_PROBLEM_IPV6_BROKEN] = {
    OD_PROBLEM_IPV6_BROKEN, "ipv6-broken",
    OD_STEP_CONNECT, OD_SEVERITY_WARNING, OD_FIX_NONE,
    N_("IPv6 does not work on this network; IPv4 does."),
    N_("Mail still gets through, over IPv4, but programs that try IPv6 first may be slow to "
       "connect. Tell whoever runs this network, or your internet provider, that IPv6 "
       "connections get no answer."),
  },
  [OD_PROBLEM_SERVER_UNCONFIRMED] = {
    OD_PROBLEM_SERVER_UNCONFIRMED, "server-unconfirmed",
    OD_STEP_AUTH, OD_SEVERITY_ERROR, OD_FIX_CONFIRM_SERVER,
    N_("A server that may be the right one was found, but nothing confirms that it is your "
       "provider’s."),
    N_("Your password is only sent to a server found this way once you confirm it. Compare "
       "its name with your provider’s help pages; if it is right, confirm it."),
  },
  [OD_PROBLEM_PASSWORD_SHORT] = {
    OD_PROBLEM_PASSWORD_SHORT, "password-short",
    OD_STEP_AUTH, OD_SEVERITY_WARNING, OD_FIX_NONE,
    N_("The password is very short."),
    N_("A password of fewer than four characters is easy to guess, and Outbox Doctor cannot "
       "reliably remove it from what the server says back. Choose a longer one with your "
       "provider."),
  },
  [OD_PROBLEM_AUTH_OAUTH_REQUIRED] = {
    OD_PROBLEM_AUTH_OAUTH_REQUIRED, "auth-oauth-required",
    OD_STEP_AUTH, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("This provider only accepts a modern sign-in (OAuth) for sending, not a password."),
    N_("Sign in through the provider’s own page instead of typing a password: use a mail "
       "program or a GNOME Online Accounts account that offers it."),
  },
  [OD_PROBLEM_OAUTH_SIGNIN_REQUIRED] = {
    OD_PROBLEM_OAUTH_SIGNIN_REQUIRED, "oauth-signin-required",
    OD_STEP_AUTH, OD_SEVERITY_ERROR, OD_FIX_SIGN_IN_AGAIN,
    N_("The sign-in of this account is no longer valid: the server refused its token."),
    N_("Sign in to the account again in Settings → Online Accounts, then test again. Your "
       "provider may have ended the sign-in after a password change, after a long time "
       "without use, or because it was revoked."),
  },
  [OD_PROBLEM_OAUTH_ADMIN_CONSENT] = {
    OD_PROBLEM_OAUTH_ADMIN_CONSENT, "oauth-admin-consent",
    OD_STEP_AUTH, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("Your organisation has not allowed this mail program to sign in to your account."),
    N_("Signing in again will not help. Ask your organisation’s Microsoft 365 administrator "
       "to allow (“consent to”) the mail program for your organisation; it is named in the "
       "error the server gave."),
  },
  [OD_PROBLEM_OAUTH_POLICY_BLOCKED] = {
    OD_PROBLEM_OAUTH_POLICY_BLOCKED, "oauth-policy-blocked",
    OD_STEP_AUTH, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("A security policy of the account does not let this mail program sign in."),
    N_("Google’s Advanced Protection, or a rule your organisation set, allows only some "
       "programs to reach your mail. Use one of them, or ask your administrator to allow "
       "this one."),
  },
  [OD_PROBLEM_OAUTH_SCOPE_MISSING] = {
    OD_PROBLEM_OAUTH_SCOPE_MISSING, "oauth-scope-missing",
    OD_STEP_AUTH, OD_SEVERITY_ERROR, OD_FIX_SIGN_IN_AGAIN,
    N_("The sign-in of this account does not include permission to send or read mail."),
    N_("Sign in to the account again and allow access to mail when the provider asks. In "
       "Settings → Online Accounts, check that “Mail” is switched on for the account."),
  },
  [OD_PROBLEM_IMAP_LOGIN_DISABLED] = {
    OD_PROBLEM_IMAP_LOGIN_DISABLED, "imap-login-disabled",
    OD_STEP_CAPABILITIES, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The incoming server does not allow a password login on this connection."),
    N_("The server announces “LOGINDISABLED” and offers no way to encrypt the connection "
       "first, so it accepts no password here. Use port 993 with “TLS”, or port 143 with "
       "“STARTTLS” if your provider offers it."),
  },
  [OD_PROBLEM_MAILBOX_QUOTA_EXCEEDED] = {
    OD_PROBLEM_MAILBOX_QUOTA_EXCEEDED, "mailbox-quota-exceeded",
    OD_STEP_MAILBOX, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("Your mailbox is full: it has reached its storage limit."),
    N_("New mail may be refused until there is room again. Delete messages you no longer "
       "need (also in the Trash and Sent folders) and empty the Trash, or ask your provider "
       "for more space."),
  },
  [OD_PROBLEM_ROUND_TRIP_NOT_FOUND] = {
    OD_PROBLEM_ROUND_TRIP_NOT_FOUND, "round-trip-not-found",
    OD_STEP_DELIVERY, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server accepted the test message, but it did not arrive in the mailbox in time."),
    N_("Mail can be delayed: look for the test message again in a few minutes, also in the "
       "spam folder. If it never arrives, the provider dropped it after accepting it; send "
       "this report to your provider."),
  },
  [OD_PROBLEM_ROUND_TRIP_JUNK] = {
    OD_PROBLEM_ROUND_TRIP_JUNK, "round-trip-junk",
    OD_STEP_DELIVERY, OD_SEVERITY_WARNING, OD_FIX_NONE,
    N_("The test message arrived, but in the spam folder."),
    N_("Receivers judge mail by the sender’s domain records and reputation: the lines about "
       "SPF, DKIM and DMARC below say what failed. Whoever runs your domain can fix those "
       "records; meanwhile mark the message as not spam."),
  },
  [OD_PROBLEM_AUTH_RESULTS_SPF_FAIL] = {
    OD_PROBLEM_AUTH_RESULTS_SPF_FAIL, "auth-results-spf-fail",
    OD_STEP_DELIVERY, OD_SEVERITY_WARNING, OD_FIX_NONE,
    N_("SPF failed: the server that sent the message is not allowed to send mail for the "
       "sender’s domain."),
    N_("Whoever runs the domain of your address must add the sending server (or the "
       "provider’s “include:”) to the domain’s SPF record, or you must send through the "
       "server the SPF record names."),
  },
  [OD_PROBLEM_AUTH_RESULTS_DKIM_FAIL] = {
    OD_PROBLEM_AUTH_RESULTS_DKIM_FAIL, "auth-results-dkim-fail",
    OD_STEP_DELIVERY, OD_SEVERITY_WARNING, OD_FIX_NONE,
    N_("DKIM failed: the message’s signature does not match."),
    N_("Either something changed the message on its way (a mailing list, a virus scanner) or "
       "the signing key does not match the one the domain publishes in DNS. Whoever runs the "
       "domain should check the DKIM key record and the signing server."),
  },
  [OD_PROBLEM_AUTH_RESULTS_DMARC_FAIL] = {
    OD_PROBLEM_AUTH_RESULTS_DMARC_FAIL, "auth-results-dmarc-fail",
    OD_STEP_DELIVERY, OD_SEVERITY_WARNING, OD_FIX_NONE,
    N_("DMARC failed: neither SPF nor DKIM vouched for the domain in the From address."),
    N_("Receivers may then reject the message or put it into spam, as the domain’s DMARC "
       "policy asks. Whoever runs the domain must make SPF or DKIM pass for that very domain "
       "(the From address, not only the sending server’s)."),
  },
  [OD_PROBLEM_ENCRYPTION_MISMATCH] = {
    OD_PROBLEM_ENCRYPTION_MISMATCH, "encryption-mismatch",
    OD_STEP_TLS, OD_SEVERITY_ERROR, OD_FIX_OTHER_PORT,
    N_("The encryption setting does not match what the server expects on this port."),
    N_("Port 465 needs “TLS”; ports 587 and 25 need “STARTTLS”. Change the encryption "
       "setting (or the port) so that they match."),
  },
  [OD_PROBLEM_STARTTLS_NOT_OFFERED] = {
    OD_PROBLEM_STARTTLS_NOT_OFFERED, "starttls-not-offered",
    OD_STEP_TLS, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server does not offer to encrypt the connection."),
    N_("Your password will not be sent without encryption. Try port 465 with “TLS”. If "
       "your provider says this port supports STARTTLS, a firewall or antivirus program may "
       "be removing it: try another network, or ask the network administrator to turn off "
       "“SMTP inspection”."),
  },
  [OD_PROBLEM_STARTTLS_FAILED] = {
    OD_PROBLEM_STARTTLS_FAILED, "starttls-failed",
    OD_STEP_TLS, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server could not switch on encryption."),
    N_("Try again in a few minutes; nothing will be sent without encryption. If it keeps "
       "failing, use port 465 with “TLS”, which is encrypted from the start."),
  },
  [OD_PROBLEM_TLS_CERTIFICATE_UNTRUSTED] = {
    OD_PROBLEM_TLS_CERTIFICATE_UNTRUSTED, "tls-certificate-untrusted",
    OD_STEP_TLS, OD_SEVERITY_ERROR, OD_FIX_TRUST_CERTIFICATE,
    N_("The server’s certificate is not issued by an authority this computer trusts."),
    N_("The certificate may be self-signed, or an antivirus program or company firewall may "
       "be intercepting mail. Use the exact server name your provider documents. Only trust "
       "this certificate if its fingerprint matches the one your provider or administrator "
       "gives you."),
  },
  [OD_PROBLEM_TLS_CERTIFICATE_EXPIRED] = {
    OD_PROBLEM_TLS_CERTIFICATE_EXPIRED, "tls-certificate-expired",
    OD_STEP_TLS, OD_SEVERITY_ERROR, OD_FIX_TRUST_CERTIFICATE,
    N_("The server’s certificate has expired or is not valid yet."),
    N_("Check that this computer’s date and time are correct. If they are, the provider has "
       "to renew its certificate: contact them, and do not trust the old certificate."),
  },
  [OD_PROBLEM_TLS_CERTIFICATE_HOSTNAME_MISMATCH] = {
    OD_PROBLEM_TLS_CERTIFICATE_HOSTNAME_MISMATCH, "tls-certificate-hostname-mismatch",
    OD_STEP_TLS, OD_SEVERITY_ERROR, OD_FIX_TRUST_CERTIFICATE,
    N_("The server’s certificate was issued for a different name."),
    N_("Use the exact server name your provider documents, not an alias such as "
       "“mail.” followed by your own domain. If the certificate was issued by your antivirus "
       "program or your company, that software is intercepting mail."),
  },
  [OD_PROBLEM_TLS_HANDSHAKE_FAILED] = {
    OD_PROBLEM_TLS_HANDSHAKE_FAILED, "tls-handshake-failed",
    OD_STEP_TLS, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The encrypted connection could not be set up."),
    N_("Check the encryption setting: “TLS” for port 465, “STARTTLS” for port 587. If it "
       "is right, the server’s encryption may be outdated or broken: contact your provider."),
  },
  [OD_PROBLEM_TLS_CERTIFICATE_CHANGED] = {
    OD_PROBLEM_TLS_CERTIFICATE_CHANGED, "tls-certificate-changed",
    OD_STEP_TLS, OD_SEVERITY_ERROR, OD_FIX_TRUST_CERTIFICATE,
    N_("The server’s certificate is not the one you chose to trust earlier."),
    N_("The server may have a new certificate, or someone may be intercepting the connection. "
       "Compare the new fingerprint with the one your provider or administrator gives you "
       "before trusting it; if you cannot check it, do not."),
  },
  [OD_PROBLEM_SERVER_BUSY] = {
    OD_PROBLEM_SERVER_BUSY, "server-busy",
    OD_STEP_GREETING, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server is busy or not accepting connections right now."),
    N_("Wait a few minutes and try again. Nothing is wrong with your settings."),
  },
  [OD_PROBLEM_SERVER_TIMEOUT] = {
    OD_PROBLEM_SERVER_TIMEOUT, "server-timeout",
    NULL, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server stopped answering."),
    N_("Try again later. If it keeps stopping at the same step, a firewall or antivirus "
       "program may be interfering: try another network."),
  },
  [OD_PROBLEM_PROTOCOL_ERROR] = {
    OD_PROBLEM_PROTOCOL_ERROR, "protocol-error",
    NULL, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server’s answers do not follow the mail protocol."),
    N_("Check the server name and port: they may belong to a service that is not a mail "
       "server. If they are right, a firewall or antivirus program that inspects mail may be "
       "interfering: try port 465 with “TLS”, or another network."),
  },
  [OD_PROBLEM_AUTH_NOT_OFFERED] = {
    OD_PROBLEM_AUTH_NOT_OFFERED, "auth-not-offered",
    OD_STEP_AUTH, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server does not offer to sign in on this port."),
    N_("This is often a port for mail between servers rather than for mail programs. Use "
       "your provider’s outgoing server with port 587 (STARTTLS) or 465 (TLS)."),
  },
  [OD_PROBLEM_AUTH_PLAINTEXT_REFUSED] = {
    OD_PROBLEM_AUTH_PLAINTEXT_REFUSED, "auth-plaintext-refused",
    OD_STEP_AUTH, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server would only accept your password without encryption."),
    N_("Your password was not sent, to keep it safe. Use port 465 with “TLS” or port 587 "
       "with “STARTTLS”; if the server cannot encrypt at all, contact your provider."),
  },
  [OD_PROBLEM_AUTH_MECHANISM_UNSUPPORTED] = {
    OD_PROBLEM_AUTH_MECHANISM_UNSUPPORTED, "auth-mechanism-unsupported",
    OD_STEP_AUTH, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server and this app have no sign-in method in common."),
    N_("The server may only accept sign-in methods such as “Sign in with…” (OAuth) that this "
       "app cannot use for this account, or only on another port. Check your provider’s "
       "settings for mail programs, and try port 465 or 587."),
  },
  [OD_PROBLEM_AUTH_FAILED] = {
    OD_PROBLEM_AUTH_FAILED, "auth-failed",
    OD_STEP_AUTH, OD_SEVERITY_ERROR, OD_FIX_REENTER_PASSWORD,
    N_("The server did not accept the user name or the password."),
    N_("Type the password again: check that Caps Lock is off and, if you pasted it, that no "
       "spaces crept in at the start or the end. Use your full email address as the user "
       "name unless your provider says otherwise. Some providers (Gmail, iCloud, Yahoo, "
       "Fastmail) need an app password for mail programs."),
  },
  [OD_PROBLEM_AUTH_APP_PASSWORD_REQUIRED] = {
    OD_PROBLEM_AUTH_APP_PASSWORD_REQUIRED, "auth-app-password-required",
    OD_STEP_AUTH, OD_SEVERITY_ERROR, OD_FIX_REENTER_PASSWORD,
    N_("Your provider does not let mail programs sign in with your normal password."),
    N_("Create an app password in your account’s security settings (this usually needs "
       "two-step verification to be on) and enter it here instead of your normal password."),
  },
  [OD_PROBLEM_AUTH_BASIC_RETIRED] = {
    OD_PROBLEM_AUTH_BASIC_RETIRED, "auth-basic-retired",
    OD_STEP_AUTH, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("Signing in with a password is switched off for sending from this account."),
    N_("Your password may well be right: the account needs a modern sign-in (OAuth) instead. "
       "Use a mail program that offers it, or ask your administrator whether another way of "
       "sending is allowed."),
  },
  [OD_PROBLEM_AUTH_SMTP_DISABLED] = {
    OD_PROBLEM_AUTH_SMTP_DISABLED, "auth-smtp-disabled",
    OD_STEP_AUTH, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("Sending with a password (“Authenticated SMTP”) is turned off for this mailbox."),
    N_("Only an administrator can turn it on, for this mailbox or the whole organisation. "
       "Your password is probably right."),
  },
  [OD_PROBLEM_AUTH_ENCRYPTION_REQUIRED] = {
    OD_PROBLEM_AUTH_ENCRYPTION_REQUIRED, "auth-encryption-required",
    OD_STEP_AUTH, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server requires an encrypted connection first."),
    N_("Set the encryption to “STARTTLS” with port 587, or to “TLS” with port 465."),
  },
  [OD_PROBLEM_AUTH_REQUIRED] = {
    OD_PROBLEM_AUTH_REQUIRED, "auth-required",
    OD_STEP_SENDER, OD_SEVERITY_ERROR, OD_FIX_REENTER_PASSWORD,
    N_("The server requires you to sign in before sending."),
    N_("Turn on authentication (“my outgoing server requires authentication”) and enter your "
       "user name and password for this server."),
  },
  [OD_PROBLEM_AUTH_TEMPORARY_FAILURE] = {
    OD_PROBLEM_AUTH_TEMPORARY_FAILURE, "auth-temporary-failure",
    OD_STEP_AUTH, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server could not check your password right now."),
    N_("Your password may well be right: do not change it. Wait a few minutes (longer if "
       "there were many attempts) and try again."),
  },
  [OD_PROBLEM_RELAY_DENIED] = {
    OD_PROBLEM_RELAY_DENIED, "relay-denied",
    OD_STEP_RECIPIENT, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server refuses to pass your mail on."),
    N_("Turn on authentication so the server knows it is you, and sign in with your user "
       "name and password. If you already do, this may not be your provider’s outgoing "
       "server: check the server name."),
  },
  [OD_PROBLEM_SENDER_NOT_ALLOWED] = {
    OD_PROBLEM_SENDER_NOT_ALLOWED, "sender-not-allowed",
    OD_STEP_SENDER, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server does not let you send from this address."),
    N_("Send from the address you log in with, or add this address as an alias (a “send as” "
       "address) in your provider’s settings."),
  },
  [OD_PROBLEM_RECIPIENT_REJECTED] = {
    OD_PROBLEM_RECIPIENT_REJECTED, "recipient-rejected",
    OD_STEP_RECIPIENT, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The recipient’s address was rejected: there is no such mailbox."),
    N_("Check the recipient’s address for typing mistakes."),
  },
  [OD_PROBLEM_MAILBOX_FULL] = {
    OD_PROBLEM_MAILBOX_FULL, "mailbox-full",
    OD_STEP_RECIPIENT, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The recipient’s mailbox is full."),
    N_("Nothing is wrong with your settings. Let the recipient know in another way, or try "
       "again later."),
  },
  [OD_PROBLEM_GREYLISTED] = {
    OD_PROBLEM_GREYLISTED, "greylisted",
    OD_STEP_RECIPIENT, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The receiving server asks new senders to try again later (greylisting)."),
    N_("Nothing is wrong with your settings. Mail programs try again on their own; the "
       "message usually goes through within 5 to 30 minutes."),
  },
  [OD_PROBLEM_RATE_LIMITED] = {
    OD_PROBLEM_RATE_LIMITED, "rate-limited",
    NULL, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server is limiting how fast you can send."),
    N_("Wait a while (from a few minutes to an hour) before sending again, and send fewer "
       "messages at once."),
  },
  [OD_PROBLEM_SEND_QUOTA_EXCEEDED] = {
    OD_PROBLEM_SEND_QUOTA_EXCEEDED, "send-quota-exceeded",
    NULL, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("You have reached the sending limit of your account."),
    N_("Wait until the limit resets, usually after 24 hours. If you often need to send more, "
       "ask your provider about higher limits."),
  },
  [OD_PROBLEM_MESSAGE_REJECTED_SPAM] = {
    OD_PROBLEM_MESSAGE_REJECTED_SPAM, "message-rejected-spam",
    OD_STEP_DATA, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The receiving system refused the message for policy or spam reasons."),
    N_("Your settings cannot fix this. The server’s own words below often name the reason or "
       "a block list. If your address or network is listed, send through your provider’s own "
       "outgoing server, and ask your provider to have the listing removed."),
  },
  [OD_PROBLEM_MESSAGE_REJECTED_AUTHENTICATION] = {
    OD_PROBLEM_MESSAGE_REJECTED_AUTHENTICATION, "message-rejected-authentication",
    OD_STEP_DATA, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The message was refused because the sender’s domain could not be verified (SPF, DKIM "
       "or DMARC)."),
    N_("Whoever runs the domain of your address must publish an SPF record that includes the "
       "provider’s servers, turn on DKIM signing, and add a DMARC policy. Until then, send "
       "through the outgoing server of the provider that hosts your address."),
  },
  [OD_PROBLEM_MESSAGE_TOO_LARGE] = {
    OD_PROBLEM_MESSAGE_TOO_LARGE, "message-too-large",
    OD_STEP_DATA, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The message is larger than the server allows."),
    N_("Send smaller attachments, or share large files with a link instead."),
  },
  [OD_PROBLEM_SERVER_ERROR_TEMPORARY] = {
    OD_PROBLEM_SERVER_ERROR_TEMPORARY, "server-error-temporary",
    NULL, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server reported a temporary problem."),
    N_("Try again later. The server’s own words are shown below; if the problem stays, "
       "send this report to your provider."),
  },
  [OD_PROBLEM_SERVER_ERROR_PERMANENT] = {
    OD_PROBLEM_SERVER_ERROR_PERMANENT, "server-error-permanent",
    NULL, OD_SEVERITY_ERROR, OD_FIX_NONE,
    N_("The server refused the request."),
    N_("The server’s own words are shown below. If they do not help, send this report to "
       "your provider."),
  },
};

/**
 * od_catalog_get:
 * @kind: a problem of the catalog
 *
 * Returns: (transfer none): its entry
 */
const OdCatalogEntry *
od_catalog_get (OdProblemKind kind)
{
  g_return_val_if_fail (kind < OD_N_PROBLEM_KINDS, NULL);

  return &catalog[kind];
}

/**
 * od_catalog_lookup:
 * @id: (nullable): a problem id
 * @kind: (out) (optional): the problem
 *
 * Returns: whether @id is in the catalog
 */
gboolean
od_catalog_lookup (const char    *id,
                   OdProblemKind *kind)
{
  if (id == NULL)
    return FALSE;

  for (guint i = 0; i < OD_N_PROBLEM_KINDS; i++)
    {
      if (g_str_equal (catalog[i].id, id))
        {
          if (kind != NULL)
            *kind = catalog[i].kind;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * od_catalog_list_ids:
 *
 * Returns: (transfer none) (array zero-terminated=1): every problem id, in catalog order
 */
const char * const *
od_catalog_list_ids (void)
{
  static const char *ids[OD_N_PROBLEM_KINDS + 1];
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < OD_N_PROBLEM_KINDS; i++)
        ids[i] = catalog[i].id;
      ids[OD_N_PROBLEM_KINDS] = NULL;
      g_once_init_leave (&initialized, 1);
    }

  return (const char * const *)ids;
}
