/* od-probe.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-probe"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-candidate-private.h"
#include "od-connect.h"
#include "od-deadline.h"
#include "od-diagnosis.h"
#include "od-probe.h"
#include "od-smtp-session.h"

#define QUIT_TIMEOUT_MS 1000

/* Probes one candidate without logging in: the connector's way to the server (lookup,
 * connect, implicit TLS), then greeting, EHLO and, on a STARTTLS port, STARTTLS and EHLO
 * again; the server's offer is noted. The certificate is verified against the system's CAs
 * and the CA file; a certificate error is an outcome of its own, never a reason to try
 * without encryption. The outcome is written to the candidate. The conversation stops before
 * the login, where the check goes on (od-check.c). */
struct _OdProbe
{
  GObject               parent_instance;

  /* Settings */
  OdCandidate          *candidate;
  char                 *ca_file;
  char                 *address;
  guint                 timeout_ms;
  guint16               connect_port;
  gboolean              network_available;
  GNetworkConnectivity  connectivity;
  OdLookupCache        *lookups;

  /* Measurements */
  gint64                started_us;

  /* Run state */
  GTask                *task;
  OdDeadline           *run;          /* no clock: the caller's cancellable, chained */
  GCancellable         *cancellable;  /* the run's */
  OdConnect            *connect;
  OdSmtpSession        *session;
  OdTranscript         *transcript;
  char                 *client_name;
  gboolean              starttls_offered;
};

G_DEFINE_FINAL_TYPE (OdProbe, od_probe, G_TYPE_OBJECT)

static void handshake (OdProbe *self);
static void greeting  (OdProbe *self);
static void ehlo      (OdProbe *self);

static gint64
elapsed_ms (OdProbe *self)
{
  return (g_get_monotonic_time () - self->started_us) / 1000;
}

static OdTlsClient *
tls_client (OdProbe *self)
{
  return od_connect_get_tls_client (self->connect);
}

static void
diagnosis_context (OdProbe            *self,
                   OdDiagnosisContext *ctx)
{
  memset (ctx, 0, sizeof *ctx);
  ctx->host = od_candidate_get_host (self->candidate);
  ctx->port = od_candidate_get_port (self->candidate);
  ctx->security = od_candidate_get_security (self->candidate);
  ctx->username = od_candidate_get_username (self->candidate);
  ctx->address = self->address;
  ctx->tls_errors = od_tls_client_get_errors (tls_client (self));
  ctx->network_available = self->network_available;
  ctx->connectivity = self->connectivity;
}

static void
quit_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdSmtpSession) session = user_data;
  g_autoptr(OdSmtpReply) reply = od_smtp_session_reply_finish (session, result, NULL);

  od_smtp_session_close (session);
}

static void
stop_run (OdProbe  *self,
          gboolean  polite)
{
  if (self->session != NULL)
    {
      /* A short goodbye that nobody waits for; the session keeps itself alive until then. */
      if (polite)
        {
          od_smtp_session_set_timeout (self->session, QUIT_TIMEOUT_MS);
          od_smtp_session_command_async (self->session, "QUIT", NULL, quit_cb,
                                         g_object_ref (self->session));
        }
      else
        od_smtp_session_close (self->session);
    }
  else
    od_connect_close (self->connect);

  g_clear_object (&self->session);
  g_clear_pointer (&self->run, od_deadline_free);
}

static void
return_cancelled (OdProbe *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  stop_run (self, FALSE);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The probe was cancelled");
}

static void
finish (OdProbe           *self,
        OdCandidateStatus  status,
        const char        *detail,
        OdProblem         *problem,
        gboolean           polite)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  OdTlsInfo *tls_info = od_tls_client_get_tls_info (tls_client (self));
  const OdSmtpCapabilities *caps = NULL;
  const char * const *mechanisms = NULL;

  /* An answer that raced with the cancellation: whoever cancelled decides the outcome. */
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      self->task = g_steal_pointer (&task);
      return_cancelled (self);
      return;
    }

  if (status == OD_CANDIDATE_OK)
    {
      caps = od_smtp_session_get_capabilities (self->session);
      mechanisms = caps ? (const char * const *)caps->auth_mechanisms : NULL;
    }

  od_candidate_set_elapsed_ms (self->candidate, elapsed_ms (self));
  od_candidate_set_result (self->candidate, status, detail, tls_info, mechanisms,
                           self->starttls_offered, problem);

  stop_run (self, polite);
  g_task_return_boolean (task, TRUE);
}

static OdCandidateStatus
status_for_error (const GError *error)
{
  if (error->domain == G_RESOLVER_ERROR)
    return OD_CANDIDATE_DNS_ERROR;

  if (error->domain == G_TLS_ERROR)
    return OD_CANDIDATE_TLS_ERROR;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return OD_CANDIDATE_REFUSED;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return OD_CANDIDATE_TIMEOUT;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    return OD_CANDIDATE_UNREACHABLE;

  if (g_error_matches (error, OD_SMTP_ERROR, OD_SMTP_ERROR_MALFORMED_REPLY) ||
      g_error_matches (error, OD_SMTP_ERROR, OD_SMTP_ERROR_LINE_TOO_LONG) ||
      g_error_matches (error, OD_SMTP_ERROR, OD_SMTP_ERROR_TOO_MANY_LINES))
    return OD_CANDIDATE_NO_SMTP;

  if (g_error_matches (error, OD_SMTP_ERROR, OD_SMTP_ERROR_TLS_OUTDATED) ||
      g_error_matches (error, OD_SMTP_ERROR, OD_SMTP_ERROR_STARTTLS_INJECTION))
    return OD_CANDIDATE_TLS_ERROR;

  return OD_CANDIDATE_ERROR;
}

static char *
describe_certificate_problem (OdTlsInfo *info)
{
  g_auto(GStrv) reasons = od_tls_info_describe_errors (info);
  g_autofree char *joined = g_strjoinv (" ", reasons);
  GDateTime *not_after = od_tls_info_get_not_after (info);
  g_autofree char *until = not_after ? g_date_time_format (not_after, "%Y-%m-%d") : g_strdup ("?");

  /* Translators: the first %s says what is wrong with the certificate; then its subject,
   * its issuer, its expiry date and its SHA-256 fingerprint */
  return g_strdup_printf (_("%s Certificate for %s, issued by %s, valid until %s. SHA-256 "
                            "fingerprint: %s."),
                          joined, od_tls_info_get_subject (info), od_tls_info_get_issuer (info),
                          until, od_tls_info_get_fingerprint (info));
}

static void
fail_with_error (OdProbe      *self,
                 const char   *step_id,
                 const GError *error)
{
  OdDiagnosisContext ctx;
  g_autoptr(OdProblem) problem = NULL;
  g_autofree char *detail = NULL;
  OdCandidateStatus status;
  OdTlsInfo *tls_info;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      return_cancelled (self);
      return;
    }

  diagnosis_context (self, &ctx);
  problem = od_diagnosis_from_error (step_id, error, &ctx);
  status = status_for_error (error);

  tls_info = od_tls_client_get_tls_info (tls_client (self));
  if (status == OD_CANDIDATE_TLS_ERROR && tls_info != NULL && od_tls_info_get_errors (tls_info) != 0)
    detail = describe_certificate_problem (tls_info);
  else
    detail = g_strdup (od_problem_get_summary (problem));

  finish (self, status, detail, problem, FALSE);
}

static void
fail_with_reply (OdProbe     *self,
                 const char  *step_id,
                 OdSmtpReply *reply)
{
  OdDiagnosisContext ctx;
  g_autoptr(OdProblem) problem = NULL;
  g_autofree char *text = od_smtp_reply_to_string (reply);
  g_autofree char *detail = NULL;

  diagnosis_context (self, &ctx);
  problem = od_diagnosis_from_reply (step_id, reply, &ctx);
  /* Translators: %s is what the server said, such as "554 No SMTP service here" */
  detail = g_strdup_printf (_("The server refused: %s"), text);
  finish (self, OD_CANDIDATE_ERROR, detail, problem, od_smtp_reply_get_code (reply) != 421);
}

static void
succeed (OdProbe *self)
{
  const OdSmtpCapabilities *caps = od_smtp_session_get_capabilities (self->session);
  OdTlsInfo *tls_info = od_smtp_session_get_tls_info (self->session);
  g_autoptr(GString) detail = g_string_new (NULL);

  if (tls_info != NULL)
    /* Translators: %s is a protocol such as "TLS 1.3" */
    g_string_append_printf (detail, _("A mail server answered, encrypted with %s."),
                            od_tls_info_get_protocol_name (tls_info));
  else
    g_string_append (detail, _("A mail server answered, encrypted."));

  g_string_append_c (detail, ' ');
  if (caps != NULL && caps->auth_mechanisms[0] != NULL)
    {
      g_autofree char *mechs = g_strjoinv (", ", caps->auth_mechanisms);
      /* Translators: %s is a list of login methods such as "PLAIN, LOGIN" */
      g_string_append_printf (detail, _("Login methods: %s."), mechs);
    }
  else
    g_string_append (detail, _("It offers no login on this port."));

  finish (self, OD_CANDIDATE_OK, detail->str, NULL, TRUE);
}

/* ---- The way to the server ------------------------------------------------------------ */

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data);

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OdProbe) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!od_connect_connect_finish (self->connect, result, &error))
    {
      if (g_cancellable_is_cancelled (self->cancellable))
        return_cancelled (self);
      else
        fail_with_error (self, OD_STEP_CONNECT, error);
      return;
    }

  od_candidate_set_connected (self->candidate, TRUE);
  od_candidate_set_connect_ms (self->candidate, elapsed_ms (self));
  self->client_name = od_smtp_client_name_for (od_connect_get_connection (self->connect));

  if (od_candidate_get_security (self->candidate) == OD_SECURITY_TLS)
    handshake (self);
  else
    greeting (self);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OdProbe) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!od_connect_lookup_finish (self->connect, result, &error))
    {
      if (g_cancellable_is_cancelled (self->cancellable))
        return_cancelled (self);
      else
        fail_with_error (self, OD_STEP_DNS, error);
      return;
    }

  /* The other addresses of a dropped port would only time out as well: the first time-out
   * ends the connect stage. */
  od_connect_set_attempt_timeout (self->connect, self->timeout_ms);
  od_connect_connect_async (self->connect, self->timeout_ms, self->cancellable, connect_cb,
                            g_object_ref (self));
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OdProbe) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!od_connect_handshake_finish (self->connect, result, &error))
    {
      fail_with_error (self, OD_STEP_TLS, error);
      return;
    }

  greeting (self);
}

static void
handshake (OdProbe *self)
{
  od_connect_handshake_async (self->connect, self->timeout_ms, self->cancellable,
                              handshake_cb, g_object_ref (self));
}

/* ---- The conversation ----------------------------------------------------------------- */

static void
starttls_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OdProbe) self = user_data;
  g_autoptr(OdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = od_smtp_session_reply_finish (OD_SMTP_SESSION (object), result, &error);
  if (reply == NULL)
    {
      fail_with_error (self, OD_STEP_TLS, error);
      return;
    }

  if (od_smtp_reply_get_code (reply) != 220)
    {
      fail_with_reply (self, OD_STEP_TLS, reply);
      return;
    }

  /* RFC 3207 §4.2: start again with EHLO inside TLS. */
  ehlo (self);
}

static void
ehlo_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdProbe) self = user_data;
  g_autoptr(OdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  const OdSmtpCapabilities *caps;

  reply = od_smtp_session_reply_finish (OD_SMTP_SESSION (object), result, &error);
  if (reply == NULL)
    {
      fail_with_error (self, OD_STEP_EHLO, error);
      return;
    }

  if (od_smtp_reply_get_code (reply) != 250)
    {
      fail_with_reply (self, OD_STEP_EHLO, reply);
      return;
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      return_cancelled (self);
      return;
    }

  caps = od_smtp_session_get_capabilities (self->session);

  if (!od_smtp_session_is_tls (self->session))
    {
      OdDiagnosisContext ctx;
      g_autoptr(OdProblem) problem = NULL;

      g_assert (od_candidate_get_security (self->candidate) == OD_SECURITY_STARTTLS);

      self->starttls_offered = caps != NULL && caps->starttls;
      if (!self->starttls_offered)
        {
          /* Never fall back to plain text: a server without STARTTLS is an outcome. */
          diagnosis_context (self, &ctx);
          problem = od_diagnosis_problem_new (OD_PROBLEM_STARTTLS_NOT_OFFERED, OD_STEP_TLS,
                                              OD_SEVERITY_ERROR, &ctx, NULL);
          finish (self, OD_CANDIDATE_ERROR, od_problem_get_summary (problem), problem, TRUE);
          return;
        }

      od_smtp_session_starttls_async (self->session, self->cancellable,
                                      starttls_cb, g_object_ref (self));
      return;
    }

  succeed (self);
}

static void
ehlo (OdProbe *self)
{
  od_smtp_session_ehlo_async (self->session, self->client_name, self->cancellable,
                              ehlo_cb, g_object_ref (self));
}

static void
greeting_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OdProbe) self = user_data;
  g_autoptr(OdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = od_smtp_session_reply_finish (OD_SMTP_SESSION (object), result, &error);
  if (reply == NULL)
    {
      fail_with_error (self, OD_STEP_GREETING, error);
      return;
    }

  if (od_smtp_reply_get_code (reply) != 220)
    {
      fail_with_reply (self, OD_STEP_GREETING, reply);
      return;
    }

  ehlo (self);
}

static void
greeting (OdProbe *self)
{
  self->session = od_smtp_session_new (od_connect_get_stream (self->connect), tls_client (self),
                                       self->transcript);
  od_smtp_session_set_timeout (self->session, self->timeout_ms);
  od_smtp_session_read_reply_async (self->session, self->cancellable,
                                    greeting_cb, g_object_ref (self));
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
od_probe_dispose (GObject *object)
{
  OdProbe *self = (OdProbe *)object;

  g_assert (self->task == NULL);

  g_clear_object (&self->session);
  g_clear_object (&self->connect);
  g_clear_pointer (&self->run, od_deadline_free);
  g_clear_object (&self->transcript);
  g_clear_object (&self->candidate);

  G_OBJECT_CLASS (od_probe_parent_class)->dispose (object);
}

static void
od_probe_finalize (GObject *object)
{
  OdProbe *self = (OdProbe *)object;

  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->client_name, g_free);
  g_clear_pointer (&self->lookups, od_lookup_cache_unref);

  G_OBJECT_CLASS (od_probe_parent_class)->finalize (object);
}

static void
od_probe_class_init (OdProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = od_probe_dispose;
  object_class->finalize = od_probe_finalize;
}

static void
od_probe_init (OdProbe *self)
{
  self->timeout_ms = 4000;
  self->connectivity = G_NETWORK_CONNECTIVITY_FULL;
  self->network_available = TRUE;
  self->transcript = od_transcript_new ();
}

/**
 * od_probe_new:
 * @candidate: the setting to probe; its status and result are written by the probe
 *
 * Returns: (transfer full): a probe, ready to run once
 */
OdProbe *
od_probe_new (OdCandidate *candidate)
{
  OdProbe *self;

  g_return_val_if_fail (OD_IS_CANDIDATE (candidate), NULL);

  self = g_object_new (OD_TYPE_PROBE, NULL);
  self->candidate = g_object_ref (candidate);
  self->connect_port = od_candidate_get_port (candidate);

  return self;
}

/**
 * od_probe_get_candidate:
 *
 * Returns: (transfer none): the candidate
 */
OdCandidate *
od_probe_get_candidate (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), NULL);
  return self->candidate;
}

/**
 * od_probe_set_timeout:
 * @timeout_ms: the deadline of the lookup, of each connect and of each reply
 */
void
od_probe_set_timeout (OdProbe *self,
                      guint    timeout_ms)
{
  g_return_if_fail (OD_IS_PROBE (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

void
od_probe_set_ca_file (OdProbe    *self,
                      const char *ca_file)
{
  g_return_if_fail (OD_IS_PROBE (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

/**
 * od_probe_set_connect_port:
 *
 * Connects to @port instead of the candidate's (for tests on unprivileged ports); the
 * candidate's own port is still the one reported and used for the certificate's identity.
 */
void
od_probe_set_connect_port (OdProbe *self,
                           guint16  port)
{
  g_return_if_fail (OD_IS_PROBE (self));
  g_return_if_fail (port > 0);

  self->connect_port = port;
}

/**
 * od_probe_set_lookup_cache:
 * @lookups: (nullable): name lookups shared with other probes of the same run
 *
 * Takes the host's addresses from @lookups, which looks each host up once for all its
 * probes, instead of looking the host up for this probe alone.
 */
void
od_probe_set_lookup_cache (OdProbe       *self,
                           OdLookupCache *lookups)
{
  g_return_if_fail (OD_IS_PROBE (self));

  g_clear_pointer (&self->lookups, od_lookup_cache_unref);
  if (lookups != NULL)
    self->lookups = od_lookup_cache_ref (lookups);
}

/**
 * od_probe_set_network_hint:
 * @address: (nullable): the user's address, for the diagnosis' texts
 *
 * What GNetworkMonitor said when discovery started: a hint for the diagnosis, never a gate.
 */
void
od_probe_set_network_hint (OdProbe              *self,
                           const char           *address,
                           gboolean              network_available,
                           GNetworkConnectivity  connectivity)
{
  g_return_if_fail (OD_IS_PROBE (self));

  g_free (self->address);
  self->address = g_strdup (address);
  self->network_available = network_available;
  self->connectivity = connectivity;
}

/**
 * od_probe_get_lookup_ms:
 *
 * Returns: how long the name lookup took, or -1 if it did not succeed (or was not needed)
 */
gint64
od_probe_get_lookup_ms (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), -1);
  return self->connect ? od_connect_get_lookup_ms (self->connect) : -1;
}

/**
 * od_probe_get_connect_ms:
 *
 * Returns: how long the TCP connect took, or -1 if it did not succeed
 */
gint64
od_probe_get_connect_ms (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), -1);
  return self->connect ? od_connect_get_connect_ms (self->connect) : -1;
}

/**
 * od_probe_get_started_us:
 *
 * Returns: the monotonic time the probe started, or 0
 */
gint64
od_probe_get_started_us (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), 0);
  return self->started_us;
}



/**
 * od_probe_run_async:
 * @cancellable: (nullable): stops the probe; the candidate is then left for the caller to mark
 *
 * Probes the candidate once. Its status becomes %OD_CANDIDATE_PROBING at once, and its
 * outcome when the probe completes.
 */
void
od_probe_run_async (OdProbe             *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_return_if_fail (OD_IS_PROBE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->task == NULL && self->started_us == 0);

  self->started_us = g_get_monotonic_time ();
  self->task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (self->task, od_probe_run_async);

  self->run = od_deadline_new (cancellable, 0, "[od] probe");
  self->cancellable = od_deadline_get_cancellable (self->run);

  self->connect = od_connect_new (od_candidate_get_host (self->candidate),
                                  od_candidate_get_port (self->candidate), self->transcript);
  od_connect_set_connect_port (self->connect, self->connect_port);
  od_connect_set_lookup_cache (self->connect, self->lookups);
  od_tls_client_set_ca_file (tls_client (self), self->ca_file);

  od_candidate_set_status (self->candidate, OD_CANDIDATE_PROBING, NULL);

  od_connect_lookup_async (self->connect, self->timeout_ms, self->cancellable, lookup_cb,
                           g_object_ref (self));
}

/**
 * od_probe_run_finish:
 *
 * Returns: %TRUE when the probe has an outcome (in the candidate), %FALSE with
 *   %G_IO_ERROR_CANCELLED when it was cancelled
 */
gboolean
od_probe_run_finish (OdProbe       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (OD_IS_PROBE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
