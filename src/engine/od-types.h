/* od-types.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _OdCheck          OdCheck;
typedef struct _OdCheckStep      OdCheckStep;
typedef struct _OdChecklist      OdChecklist;
typedef struct _OdProblem        OdProblem;
typedef struct _OdSmtpCapabilities OdSmtpCapabilities;
typedef struct _OdSmtpReply      OdSmtpReply;
typedef struct _OdSmtpSession    OdSmtpSession;
typedef struct _OdTlsInfo        OdTlsInfo;
typedef struct _OdTranscript     OdTranscript;

/**
 * OdSecurity:
 * @OD_SECURITY_TLS: implicit TLS from the first byte (usually port 465)
 * @OD_SECURITY_STARTTLS: plain text upgraded with STARTTLS (usually 587)
 * @OD_SECURITY_NONE: no encryption at all
 */
typedef enum
{
  OD_SECURITY_TLS,
  OD_SECURITY_STARTTLS,
  OD_SECURITY_NONE,
} OdSecurity;

/**
 * OdProtocol:
 * @OD_PROTOCOL_SMTP: sending (submission)
 * @OD_PROTOCOL_IMAP: receiving with IMAP4rev1/rev2
 * @OD_PROTOCOL_POP3: receiving with POP3
 */
typedef enum
{
  OD_PROTOCOL_SMTP,
  OD_PROTOCOL_IMAP,
  OD_PROTOCOL_POP3,
} OdProtocol;

typedef enum
{
  OD_SEVERITY_WARNING,
  OD_SEVERITY_ERROR,
} OdSeverity;

/* Step ids of the contract, in order. */
#define OD_STEP_NETWORK   "network"
#define OD_STEP_DNS       "dns"
#define OD_STEP_CONNECT   "connect"
#define OD_STEP_TLS       "tls"
#define OD_STEP_GREETING  "greeting"
#define OD_STEP_EHLO      "ehlo"
#define OD_STEP_AUTH      "auth"
#define OD_STEP_SENDER    "sender"
#define OD_STEP_RECIPIENT "recipient"
#define OD_STEP_DATA      "data"
#define OD_STEP_DELIVERY  "delivery"  /* --round-trip: did the test message arrive */

/* Step ids of the incoming check (check --incoming): network, dns, connect, tls, greeting,
 * capabilities, auth, mailbox. */
#define OD_STEP_CAPABILITIES "capabilities"
#define OD_STEP_MAILBOX      "mailbox"

const char *od_security_to_string   (OdSecurity  security);
gboolean    od_security_from_string (const char *str,
                                     OdSecurity *security);
const char *od_security_get_label   (OdSecurity  security);
const char *od_security_describe    (OdSecurity  security);
const char *od_severity_to_string   (OdSeverity  severity);

const char *od_protocol_to_string   (OdProtocol  protocol);
gboolean    od_protocol_from_string (const char *str,
                                     OdProtocol *protocol);
gboolean    od_protocol_is_incoming (OdProtocol  protocol);
OdProtocol  od_protocol_for_incoming_port (guint16 port);

G_END_DECLS
