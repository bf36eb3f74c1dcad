/* od-diagnosis.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-problem.h"
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
} OdDiagnosisContext;

/* The problem ids of the contract, NULL-terminated, in catalog order. */
const char * const *od_diagnosis_list_problem_ids (void);
gboolean            od_diagnosis_is_known_id      (const char                *problem_id);

OdProblem          *od_diagnosis_problem_new      (const char                *problem_id,
                                                   const char                *step_id,
                                                   OdSeverity                 severity,
                                                   const OdDiagnosisContext  *context,
                                                   const char                *server_reply);
OdProblem          *od_diagnosis_from_error       (const char                *step_id,
                                                   const GError              *error,
                                                   const OdDiagnosisContext  *context);
OdProblem          *od_diagnosis_from_reply       (const char                *step_id,
                                                   const OdSmtpReply         *reply,
                                                   const OdDiagnosisContext  *context);

G_END_DECLS
