/* od-diagnosis.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-diagnosis"

#include "config.h"

#include "od-diagnosis-private.h"

/* The diagnosis turns what went wrong (a GError or an SMTP reply at a given step) into a
 * problem of the catalog, with a plain-language summary and a remedy a non-expert can act on.
 * The rules are in od-diagnosis-error.c and od-diagnosis-reply.c, the texts in
 * od-diagnosis-texts.c, the catalog in od-catalog.c. */

const OdDiagnosisContext od_diagnosis_empty_context;

static OdProblem *
build_problem (const OdFinding          *finding,
               const char               *step_id,
               OdSeverity                severity,
               const OdDiagnosisContext *ctx,
               const char               *server_reply)
{
  g_autofree char *summary = NULL;
  g_autofree char *remedy = NULL;

  g_assert (finding->kind < OD_N_PROBLEM_KINDS);
  g_assert (finding->reason < OD_N_REASONS);
  g_assert (step_id != NULL);

  if (ctx == NULL)
    ctx = &od_diagnosis_empty_context;

  summary = od_diagnosis_summary (finding, step_id, ctx);
  remedy = od_diagnosis_remedy (finding, step_id, ctx);

  return od_problem_new (finding->kind, step_id, severity, summary, remedy, server_reply);
}

/**
 * od_diagnosis_problem_new:
 * @kind: a problem of the catalog
 * @step_id: the step the problem belongs to
 * @severity: warning or error
 * @context: (nullable): what is known about the run, to name the host, port and user
 * @server_reply: (nullable): the server's exact reply, copied
 *
 * Builds a problem with the catalog's translated summary and remedy for @kind, made
 * specific with @context where that helps.
 *
 * Returns: (transfer full): a new #OdProblem
 */
OdProblem *
od_diagnosis_problem_new (OdProblemKind             kind,
                          const char               *step_id,
                          OdSeverity                severity,
                          const OdDiagnosisContext *context,
                          const char               *server_reply)
{
  OdFinding finding = od_finding (kind, OD_REASON_NONE);

  g_return_val_if_fail (kind < OD_N_PROBLEM_KINDS, NULL);
  g_return_val_if_fail (step_id != NULL, NULL);

  return build_problem (&finding, step_id, severity, context, server_reply);
}

/**
 * od_diagnosis_problem_new_for_reason:
 * @kind: a problem of the catalog
 * @reason: what the evidence says beyond @kind
 * @step_id: the step the problem belongs to
 * @severity: warning or error
 * @context: (nullable): what is known about the run
 *
 * Like od_diagnosis_problem_new(), with the texts of @reason (for what discovery concludes,
 * which is no GError and no reply).
 *
 * Returns: (transfer full): a new #OdProblem
 */
OdProblem *
od_diagnosis_problem_new_for_reason (OdProblemKind             kind,
                                     OdReason                  reason,
                                     const char               *step_id,
                                     OdSeverity                severity,
                                     const OdDiagnosisContext *context)
{
  OdFinding finding = od_finding (kind, reason);

  g_return_val_if_fail (kind < OD_N_PROBLEM_KINDS, NULL);
  g_return_val_if_fail (reason < OD_N_REASONS, NULL);
  g_return_val_if_fail (step_id != NULL, NULL);

  return build_problem (&finding, step_id, severity, context, NULL);
}

/**
 * od_diagnosis_problem_new_full:
 * @reason: what is known beyond the kind (%OD_REASON_NONE: nothing)
 * @server_reply: (nullable): the server's words, shown beside the explanation
 *
 * Returns: (transfer full): a new #OdProblem
 */
OdProblem *
od_diagnosis_problem_new_full (OdProblemKind             kind,
                               OdReason                  reason,
                               const char               *step_id,
                               OdSeverity                severity,
                               const OdDiagnosisContext *context,
                               const char               *server_reply)
{
  OdFinding finding = od_finding (kind, reason);

  g_return_val_if_fail (kind < OD_N_PROBLEM_KINDS, NULL);
  g_return_val_if_fail (reason < OD_N_REASONS, NULL);
  g_return_val_if_fail (step_id != NULL, NULL);

  return build_problem (&finding, step_id, severity, context, server_reply);
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
  OdFinding finding;

  g_return_val_if_fail (step_id != NULL, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  if (context == NULL)
    context = &od_diagnosis_empty_context;

  finding = od_diagnosis_classify_error (step_id, error, context);
  return build_problem (&finding, step_id, OD_SEVERITY_ERROR, context, NULL);
}

/**
 * od_diagnosis_from_reply:
 * @step_id: the step that got the reply
 * @reply: the unexpected reply
 * @context: (nullable): what is known about the run
 *
 * Turns an unexpected reply into a problem of the catalog. The reply is kept as the
 * problem's server reply.
 *
 * Returns: (transfer full): a new #OdProblem of severity %OD_SEVERITY_ERROR
 */
OdProblem *
od_diagnosis_from_reply (const char               *step_id,
                         const OdSmtpReply        *reply,
                         const OdDiagnosisContext *context)
{
  g_autofree char *server_reply = NULL;
  OdFinding finding;

  g_return_val_if_fail (step_id != NULL, NULL);
  g_return_val_if_fail (reply != NULL, NULL);

  if (context == NULL)
    context = &od_diagnosis_empty_context;

  finding = od_diagnosis_classify_reply (step_id, reply, context);
  server_reply = od_smtp_reply_to_string (reply);

  return build_problem (&finding, step_id, OD_SEVERITY_ERROR, context, server_reply);
}
