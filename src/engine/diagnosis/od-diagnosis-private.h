/* od-diagnosis-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-diagnosis.h"

G_BEGIN_DECLS

/* The diagnosis in three parts: the rules decide what happened (a kind from the catalog,
 * and when the evidence says more, a reason); the texts say it in plain words, in one place.
 *
 *   od-diagnosis-error.c  GErrors (resolver, socket, TLS, our own) → finding
 *   od-diagnosis-reply.c  SMTP replies (code, enhanced code, provider words) → finding
 *   od-diagnosis-texts.c  finding + context → summary and remedy
 *   od-diagnosis-incoming.c  IMAP and POP3 errors → finding, and the remedies of receiving
 *   od-diagnosis.c        the public API: builds the OdProblem */

typedef struct
{
  OdProblemKind  kind;
  OdReason       reason;
  const char    *quoted;  /* borrowed: what OD_REASON_UNEXPECTED quotes */
} OdFinding;

extern const OdDiagnosisContext od_diagnosis_empty_context;

OdFinding  od_diagnosis_classify_error  (const char               *step_id,
                                         const GError             *error,
                                         const OdDiagnosisContext *ctx);
OdFinding  od_diagnosis_classify_reply  (const char               *step_id,
                                         const OdSmtpReply        *reply,
                                         const OdDiagnosisContext *ctx);
gboolean   od_diagnosis_classify_incoming_error (const char         *step_id,
                                         const GError             *error,
                                         OdFinding                *finding);
char      *od_diagnosis_incoming_remedy (const OdFinding          *finding,
                                         const OdDiagnosisContext *ctx);
char      *od_diagnosis_summary         (const OdFinding          *finding,
                                         const char               *step_id,
                                         const OdDiagnosisContext *ctx);
char      *od_diagnosis_remedy          (const OdFinding          *finding,
                                         const char               *step_id,
                                         const OdDiagnosisContext *ctx);

static inline OdFinding
od_finding (OdProblemKind kind,
            OdReason      reason)
{
  OdFinding finding = { kind, reason, NULL };
  return finding;
}

G_END_DECLS
