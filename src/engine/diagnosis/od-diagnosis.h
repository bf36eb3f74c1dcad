/* od-diagnosis.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-problem.h"
#include "od-route.h"
#include "od-smtp-reply.h"
#include "od-types.h"

G_BEGIN_DECLS

/* What the diagnosis knows about the run that failed, so remedies can name the host, the
 * port and the user, and so provider tokens can be interpreted. Every field may be 0/NULL. */
typedef struct
{
  const char           *host;
  guint16               port;
  OdSecurity            security;
  const char           *username;
  const char           *address;           /* the sender address, for "send from the address you log in with" */
  GTlsCertificateFlags  tls_errors;        /* verification failures seen during the handshake */
  gboolean              network_available; /* GNetworkMonitor's hint at the start of the run */
  GNetworkConnectivity  connectivity;
  OdRoute               route;             /* when nothing answered: the kernel's word on the way there */
  const char           *domain;            /* discovery: the mail domain, as typed */
  const char           *ports;             /* the ports tried, "465, 587" */
  guint16               other_port;        /* a setting of the same server that was tried and */
  OdSecurity            other_security;    /* works (OD_REASON_OTHER_PORT_WORKS) */
  const char           *why;               /* server-unconfirmed: where the server came from */
  OdProtocol            protocol;          /* the check's: SMTP (0) unless receiving */
} OdDiagnosisContext;

/**
 * OdReason:
 *
 * What the evidence says beyond the kind, when that changes the words: a provider's own
 * meaning of a reply, the moment a server hung up, a network without internet. Each has its
 * own summary, remedy or both (od-diagnosis-texts.c); %OD_REASON_NONE uses the kind's.
 */
typedef enum
{
  OD_REASON_NONE,

  /* From errors */
  OD_REASON_NETWORK_LIMITED,
  OD_REASON_CERTIFICATE_REVOKED,
  OD_REASON_CERTIFICATE_UNTRUSTED_OTHER_NAME,
  OD_REASON_CLOSED_BEFORE_GREETING,
  OD_REASON_CLOSED_DURING_TLS,
  OD_REASON_CLOSED_DURING_DATA,
  OD_REASON_CLOSED,
  OD_REASON_UNEXPECTED,             /* quotes the error's message */
  OD_REASON_STARTTLS_INJECTION,
  OD_REASON_TLS_OUTDATED,
  OD_REASON_BAD_SENDER_ADDRESS,
  OD_REASON_BAD_RECIPIENT_ADDRESS,

  /* From replies */
  OD_REASON_STARTTLS_TEMPORARY,
  OD_REASON_GREETING_REFUSED,
  OD_REASON_MICROSOFT_BASIC_AUTH,
  OD_REASON_MICROSOFT_SMTP_AUTH_DISABLED,
  OD_REASON_MICROSOFT_POLICY,
  OD_REASON_YAHOO_APP_PASSWORD,
  OD_REASON_GOOGLE_WEB_LOGIN,
  OD_REASON_GOOGLE_SECOND_FACTOR,
  OD_REASON_PASSWORD_CHANGE,
  OD_REASON_ACCOUNT_DISABLED,
  OD_REASON_PASSWORD_GOOGLE,        /* a refused password, with the provider's advice */
  OD_REASON_PASSWORD_ICLOUD,
  OD_REASON_PASSWORD_FASTMAIL,
  OD_REASON_PASSWORD_YAHOO,
  OD_REASON_PASSWORD_MICROSOFT,
  OD_REASON_RECIPIENT_DOMAIN,

  /* From discovery */
  OD_REASON_ONLY_PORT_25,
  OD_REASON_DOMAIN_NOT_FOUND,        /* names the context's domain */
  OD_REASON_INBOUND_ONLY,            /* names the context's host */
  OD_REASON_EVERY_PORT_TIMED_OUT,    /* names the context's ports */

  /* From the check's look at the other ports */
  OD_REASON_OTHER_PORT_WORKS,        /* names the context's port and other_port */
  OD_REASON_STARTTLS_OFFERED,        /* encryption off, STARTTLS advertised on this port */

  /* OAuth sign-in */
  OD_REASON_TOKEN_UNAVAILABLE,       /* the token's issuer has no valid sign-in */
  OD_REASON_TOKEN_SERVICE,           /* the token's issuer could not give one just now */
  OD_REASON_MICROSOFT_GOA_TOKEN,     /* GOA 3.46's windows_live token, refused by Outlook */
  OD_REASON_TOKEN_NOT_OFFERED,       /* a token to give, and no XOAUTH2/OAUTHBEARER offered */
  OD_REASON_OWN_SIGNIN_ENDED,        /* our own sign-in (issue 18) is no longer accepted */
  OD_REASON_OWN_TOKEN_SERVICE,       /* the provider's token service failed just now */
  OD_REASON_NO_CLIENT_ID,            /* this build cannot sign in with the provider */

  OD_N_REASONS
} OdReason;


OdProblem          *od_diagnosis_problem_new      (OdProblemKind              kind,
                                                   const char                *step_id,
                                                   OdSeverity                 severity,
                                                   const OdDiagnosisContext  *context,
                                                   const char                *server_reply);
OdProblem          *od_diagnosis_problem_new_for_reason (OdProblemKind        kind,
                                                   OdReason                   reason,
                                                   const char                *step_id,
                                                   OdSeverity                 severity,
                                                   const OdDiagnosisContext  *context);
OdProblem          *od_diagnosis_problem_new_full (OdProblemKind              kind,
                                                   OdReason                   reason,
                                                   const char                *step_id,
                                                   OdSeverity                 severity,
                                                   const OdDiagnosisContext  *context,
                                                   const char                *server_reply);
OdProblem          *od_diagnosis_from_error       (const char                *step_id,
                                                   const GError              *error,
                                                   const OdDiagnosisContext  *context);
gboolean            od_diagnosis_error_is_answer  (const GError              *error);
OdProblem          *od_diagnosis_from_reply       (const char                *step_id,
                                                   const OdSmtpReply         *reply,
                                                   const OdDiagnosisContext  *context);

G_END_DECLS
