/* od-diagnosis-error.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-diagnosis"

#include "config.h"

#include "od-diagnosis-private.h"

/* The rules for errors: what a GError from the resolver, a socket, TLS or our own session
 * means at the step it happened.
 *
 * - Evidence beats the network monitor. Any answer (a name server's "no such name", a
 *   refused connection, an ICMP error, a closed connection) proves the network works, and
 *   the diagnosis comes from that answer. network-offline only when nothing could have been
 *   sent: the kernel has no route to the server or to the name servers (ctx->route, asked by
 *   the connector when a stage failed). A "no such name" without a route to any name server
 *   did not come from the network (glibc says so itself when the computer has no address
 *   of a family), and an unreachable host without a route is this computer's doing. With a
 *   route and no answer, a connect time-out is port-blocked and a silent resolver
 *   dns-failure. GNetworkMonitor's PORTAL still gives captive-portal when nothing answered;
 *   its other opinions only colour the network step's detail (od-check-outcome.c).
 * - Certificate failures are reported by one id, chosen in this order: expired/not yet
 *   valid first (a date problem is unambiguous, and a wrong computer clock shows up this way,
 *   which the user can fix), then untrusted (a self-signed certificate usually also has the
 *   wrong name, and changing the name would not help), then the hostname mismatch (a trusted
 *   certificate for another name: use the documented host name). Other flags (revoked,
 *   insecure) count as untrusted.
 * - A wrong encryption mode is a finding only with evidence: a plain greeting after a failed
 *   handshake, or a TLS answer after a missing greeting, both seen on a second connection by
 *   the caller (od-encryption-sniff.c). By itself a handshake that met something other than
 *   TLS is tls-handshake-failed, and a missing greeting is server-timeout, whatever the port.
 * - The server hanging up is treated as a 451 (RFC 5321 §3.8): server-error-temporary, except
 *   before the greeting (server-busy: overloaded or refusing our address) and during the TLS
 *   handshake (tls-handshake-failed).
 * - A cancelled operation is treated as a time-out: the whole-run deadline cancels. */

static gboolean
step_is (const char *step_id,
         const char *expected)
{
  return step_id != NULL && g_str_equal (step_id, expected);
}

/* Why nothing answered, when the route or the monitor explains it: network-offline,
 * captive-portal, or OD_N_PROBLEM_KINDS when they do not. */
static OdProblemKind
silence_problem (const OdDiagnosisContext *ctx)
{
  if (ctx->route == OD_ROUTE_NONE)
    return OD_PROBLEM_NETWORK_OFFLINE;

  /* 0 is not a GNetworkConnectivity value: the monitor was not asked. */
  if (ctx->connectivity == G_NETWORK_CONNECTIVITY_PORTAL)
    return OD_PROBLEM_CAPTIVE_PORTAL;

  return OD_N_PROBLEM_KINDS;
}

static OdFinding
network_finding (OdProblemKind             kind,
                 const OdDiagnosisContext *ctx)
{
  g_assert (kind == OD_PROBLEM_NETWORK_OFFLINE || kind == OD_PROBLEM_CAPTIVE_PORTAL);

  /* LIMITED: there is a network, it just does not reach the internet. */
  if (kind == OD_PROBLEM_NETWORK_OFFLINE && ctx->connectivity == G_NETWORK_CONNECTIVITY_LIMITED)
    return od_finding (kind, OD_REASON_NETWORK_LIMITED);

  return od_finding (kind, OD_REASON_NONE);
}

static OdFinding
certificate_finding (const OdDiagnosisContext *ctx)
{
  GTlsCertificateFlags flags = ctx->tls_errors;

  if (flags & (G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_NOT_ACTIVATED))
    return od_finding (OD_PROBLEM_TLS_CERTIFICATE_EXPIRED, OD_REASON_NONE);

  if (!(flags & G_TLS_CERTIFICATE_UNKNOWN_CA) && (flags & G_TLS_CERTIFICATE_BAD_IDENTITY))
    return od_finding (OD_PROBLEM_TLS_CERTIFICATE_HOSTNAME_MISMATCH, OD_REASON_NONE);

  /* Untrusted: an unknown authority, or revoked, an insecure algorithm, a generic error, or
   * no detail at all. */
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return od_finding (OD_PROBLEM_TLS_CERTIFICATE_UNTRUSTED, OD_REASON_CERTIFICATE_REVOKED);

  /* Untrusted and for another name: most likely a default self-signed certificate, or a
   * server that is not the one the provider documents. */
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return od_finding (OD_PROBLEM_TLS_CERTIFICATE_UNTRUSTED,
                       OD_REASON_CERTIFICATE_UNTRUSTED_OTHER_NAME);

  return od_finding (OD_PROBLEM_TLS_CERTIFICATE_UNTRUSTED, OD_REASON_NONE);
}

/* The server hung up: RFC 5321 §3.8 says to treat it as a 451. */
static OdFinding
connection_closed_finding (const char *step_id)
{
  if (step_is (step_id, OD_STEP_CONNECT) || step_is (step_id, OD_STEP_GREETING))
    return od_finding (OD_PROBLEM_SERVER_BUSY, OD_REASON_CLOSED_BEFORE_GREETING);

  if (step_is (step_id, OD_STEP_TLS))
    return od_finding (OD_PROBLEM_TLS_HANDSHAKE_FAILED, OD_REASON_CLOSED_DURING_TLS);

  if (step_is (step_id, OD_STEP_DATA))
    return od_finding (OD_PROBLEM_SERVER_ERROR_TEMPORARY, OD_REASON_CLOSED_DURING_DATA);

  return od_finding (OD_PROBLEM_SERVER_ERROR_TEMPORARY, OD_REASON_CLOSED);
}

static OdFinding
timeout_finding (const char               *step_id,
                 const OdDiagnosisContext *ctx)
{
  OdProblemKind network = silence_problem (ctx);

  if (step_is (step_id, OD_STEP_NETWORK))
    return network_finding (network != OD_N_PROBLEM_KINDS ? network
                                                          : OD_PROBLEM_NETWORK_OFFLINE, ctx);

  if (step_is (step_id, OD_STEP_DNS) || step_is (step_id, OD_STEP_CONNECT))
    {
      if (network != OD_N_PROBLEM_KINDS)
        return network_finding (network, ctx);
      return od_finding (step_is (step_id, OD_STEP_DNS) ? OD_PROBLEM_DNS_FAILURE
                                                        : OD_PROBLEM_PORT_BLOCKED,
                         OD_REASON_NONE);
    }

  return od_finding (OD_PROBLEM_SERVER_TIMEOUT, OD_REASON_NONE);
}

static OdFinding
unexpected_finding (const char   *step_id,
                    const GError *error)
{
  OdFinding finding = { OD_PROBLEM_SERVER_ERROR_TEMPORARY, OD_REASON_UNEXPECTED,
                        error->message };

  if (step_is (step_id, OD_STEP_NETWORK))
    finding.kind = OD_PROBLEM_NETWORK_OFFLINE;
  else if (step_is (step_id, OD_STEP_DNS))
    finding.kind = OD_PROBLEM_DNS_FAILURE;
  else if (step_is (step_id, OD_STEP_CONNECT))
    finding.kind = OD_PROBLEM_HOST_UNREACHABLE;
  else if (step_is (step_id, OD_STEP_TLS))
    finding.kind = OD_PROBLEM_TLS_HANDSHAKE_FAILED;

  return finding;
}

static OdFinding
smtp_error_finding (const char   *step_id,
                    const GError *error)
{
  switch ((OdSmtpError) error->code)
    {
    case OD_SMTP_ERROR_MALFORMED_REPLY:
    case OD_SMTP_ERROR_LINE_TOO_LONG:
    case OD_SMTP_ERROR_TOO_MANY_LINES:
      return od_finding (OD_PROBLEM_PROTOCOL_ERROR, OD_REASON_NONE);

    case OD_SMTP_ERROR_CONNECTION_CLOSED:
      return connection_closed_finding (step_id);

    case OD_SMTP_ERROR_STARTTLS_INJECTION:
      return od_finding (OD_PROBLEM_STARTTLS_FAILED, OD_REASON_STARTTLS_INJECTION);

    case OD_SMTP_ERROR_TLS_OUTDATED:
      return od_finding (OD_PROBLEM_TLS_HANDSHAKE_FAILED, OD_REASON_TLS_OUTDATED);

    case OD_SMTP_ERROR_BAD_INPUT:
      if (step_is (step_id, OD_STEP_SENDER))
        return od_finding (OD_PROBLEM_SENDER_NOT_ALLOWED, OD_REASON_BAD_SENDER_ADDRESS);
      if (step_is (step_id, OD_STEP_RECIPIENT))
        return od_finding (OD_PROBLEM_RECIPIENT_REJECTED, OD_REASON_BAD_RECIPIENT_ADDRESS);
      break;

    default:
      break;
    }

  return unexpected_finding (step_id, error);
}

static OdFinding
io_error_finding (const char               *step_id,
                  const GError             *error,
                  const OdDiagnosisContext *ctx)
{
  switch ((GIOErrorEnum) error->code)
    {
    case G_IO_ERROR_TIMED_OUT:
    case G_IO_ERROR_CANCELLED:
      return timeout_finding (step_id, ctx);

    case G_IO_ERROR_CONNECTION_REFUSED:
      return od_finding (OD_PROBLEM_CONNECTION_REFUSED, OD_REASON_NONE);

    case G_IO_ERROR_HOST_UNREACHABLE:
    case G_IO_ERROR_NETWORK_UNREACHABLE:
      /* From this computer's own routing table, or an ICMP error from a router on the way. */
      if (ctx->route == OD_ROUTE_NONE)
        return network_finding (OD_PROBLEM_NETWORK_OFFLINE, ctx);
      return od_finding (OD_PROBLEM_HOST_UNREACHABLE, OD_REASON_NONE);

    case G_IO_ERROR_HOST_NOT_FOUND:
      if (ctx->route == OD_ROUTE_NONE)
        return network_finding (OD_PROBLEM_NETWORK_OFFLINE, ctx);
      return od_finding (OD_PROBLEM_DNS_NO_SUCH_HOST, OD_REASON_NONE);

    case G_IO_ERROR_PERMISSION_DENIED:
      /* A local firewall rejecting the connection (EPERM/EACCES from connect ()). */
      if (step_is (step_id, OD_STEP_CONNECT))
        return od_finding (OD_PROBLEM_PORT_BLOCKED, OD_REASON_NONE);
      break;

    case G_IO_ERROR_CONNECTION_CLOSED:  /* also G_IO_ERROR_BROKEN_PIPE, the same value */
    case G_IO_ERROR_NOT_CONNECTED:
      return connection_closed_finding (step_id);

    default:
      break;
    }

  return unexpected_finding (step_id, error);
}

static OdFinding
resolver_error_finding (const GError             *error,
                        const OdDiagnosisContext *ctx)
{
  OdProblemKind network;

  /* "No such name" is an answer, even on a poor network, if it can have come from one. */
  if (error->code == G_RESOLVER_ERROR_NOT_FOUND)
    {
      if (ctx->route == OD_ROUTE_NONE)
        return network_finding (OD_PROBLEM_NETWORK_OFFLINE, ctx);
      return od_finding (OD_PROBLEM_DNS_NO_SUCH_HOST, OD_REASON_NONE);
    }

  network = silence_problem (ctx);
  if (network != OD_N_PROBLEM_KINDS)
    return network_finding (network, ctx);

  return od_finding (OD_PROBLEM_DNS_FAILURE, OD_REASON_NONE);
}

static OdFinding
tls_error_finding (const GError             *error,
                   const OdDiagnosisContext *ctx)
{
  switch ((GTlsError) error->code)
    {
    case G_TLS_ERROR_BAD_CERTIFICATE:
      return certificate_finding (ctx);

    default:
      return od_finding (OD_PROBLEM_TLS_HANDSHAKE_FAILED, OD_REASON_NONE);
    }
}

/**
 * od_diagnosis_error_is_answer:
 *
 * Whether @error is something the other side said (a name server's "no such name", a
 * refused or closed connection, an ICMP error, a TLS alert, an SMTP error) rather than
 * silence (a time-out, a resolver that gave nothing) or a cancel. An answer proves that the
 * network works, whatever GNetworkMonitor thinks.
 */
gboolean
od_diagnosis_error_is_answer (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (error->domain == G_RESOLVER_ERROR)
    return error->code == G_RESOLVER_ERROR_NOT_FOUND;

  if (error->domain == G_IO_ERROR)
    return error->code != G_IO_ERROR_TIMED_OUT && error->code != G_IO_ERROR_CANCELLED;

  return TRUE;
}

/**
 * od_diagnosis_classify_error:
 *
 * Returns: what @error means at @step_id; never fails: errors without a rule get a kind
 *   fitting the step and %OD_REASON_UNEXPECTED, which quotes the error's message
 */
OdFinding
od_diagnosis_classify_error (const char               *step_id,
                             const GError             *error,
                             const OdDiagnosisContext *ctx)
{
  OdFinding incoming;

  if (error->domain == G_RESOLVER_ERROR)
    return resolver_error_finding (error, ctx);

  if (od_diagnosis_classify_incoming_error (step_id, error, &incoming))
    return incoming;

  if (error->domain == OD_SMTP_ERROR)
    return smtp_error_finding (step_id, error);

  if (error->domain == G_TLS_ERROR)
    return tls_error_finding (error, ctx);

  if (error->domain == G_IO_ERROR)
    return io_error_finding (step_id, error, ctx);

  return unexpected_finding (step_id, error);
}
