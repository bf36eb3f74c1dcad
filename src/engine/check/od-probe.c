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

#include "od-connect.h"
#include "od-deadline.h"
#include "od-diagnosis.h"
#include "od-encryption-sniff.h"
#include "od-format.h"
#include "od-probe-private.h"
#include "od-imap-response.h"
#include "od-pop3-reply.h"
#include "od-smtp-session.h"

#define QUIT_TIMEOUT_MS 1000

/* Probes one server setting (host, port, encryption) without logging in: the connector's
 * way to the server (lookup, connect, implicit TLS), then greeting, EHLO and, on a STARTTLS
 * port, STARTTLS and EHLO again; the server's offer is noted. The certificate is verified
 * against the system's CAs and the CA file; a certificate error is an outcome of its own,
 * never a reason to try without encryption. The conversation stops before the login, where
 * the check goes on (od-check.c).
 *
 * Discovery probes every candidate this way (and copies the outcome into it); the check
 * probes a silent or refusing port's neighbours the same way, to suggest one that works. */

G_DEFINE_FINAL_TYPE (OdProbe, od_probe, G_TYPE_OBJECT)

static void handshake (OdProbe *self);
static void greeting  (OdProbe *self);
static void ehlo      (OdProbe *self);

static const char * const no_mechanisms[] = { NULL };

static OdTlsClient *
tls_client (OdProbe *self)
{
  return od_connect_get_tls_client (self->connect);
}

void
od_probe_diagnosis_context (OdProbe            *self,
                            OdDiagnosisContext *ctx)
{
  memset (ctx, 0, sizeof *ctx);
  ctx->host = self->host;
  ctx->port = self->port;
  ctx->security = self->security;
  ctx->username = self->username;
  ctx->address = self->address;
  ctx->tls_errors = od_tls_client_get_errors (tls_client (self));
  ctx->network_available = self->network_available;
  ctx->connectivity = self->connectivity;
  ctx->route = od_connect_get_route (self->connect);
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
  if (self->incoming != NULL)
    od_probe_incoming_stop (self, polite);
  else if (self->session != NULL)
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

void
od_probe_return_cancelled (OdProbe *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  stop_run (self, FALSE);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The probe was cancelled");
}

void
od_probe_finish (OdProbe       *self,
                 OdProbeStatus  status,
                 const char    *detail,
                 OdProblem     *problem,
                 gboolean       polite)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  /* An answer that raced with the cancellation: whoever cancelled decides the outcome. */
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      self->task = g_steal_pointer (&task);
      od_probe_return_cancelled (self);
      return;
    }

  if (status == OD_PROBE_OK && self->protocol == OD_PROTOCOL_SMTP)
    {
      const OdSmtpCapabilities *caps = od_smtp_session_get_capabilities (self->session);

      self->mechanisms = g_strdupv (caps ? caps->auth_mechanisms : (char **)no_mechanisms);
    }

  self->finished = TRUE;
  self->status = status;
  self->detail = g_strdup (detail);
  g_set_object (&self->problem, problem);
  g_set_object (&self->tls_info, od_tls_client_get_tls_info (tls_client (self)));
  self->elapsed_ms = (g_get_monotonic_time () - self->started_us) / 1000;

  stop_run (self, polite);
  g_task_return_boolean (task, TRUE);
}

static OdProbeStatus
status_for_error (const GError *error)
{
  if (error->domain == G_RESOLVER_ERROR)
    return OD_PROBE_DNS_ERROR;

  if (error->domain == G_TLS_ERROR)
    return OD_PROBE_TLS_ERROR;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return OD_PROBE_REFUSED;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return OD_PROBE_TIMEOUT;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    return OD_PROBE_UNREACHABLE;

  if (g_error_matches (error, OD_IMAP_ERROR, OD_IMAP_ERROR_MALFORMED_RESPONSE) ||
      g_error_matches (error, OD_IMAP_ERROR, OD_IMAP_ERROR_LINE_TOO_LONG) ||
      g_error_matches (error, OD_IMAP_ERROR, OD_IMAP_ERROR_LITERAL_TOO_LARGE) ||
      g_error_matches (error, OD_IMAP_ERROR, OD_IMAP_ERROR_TOO_MANY_RESPONSES) ||
      g_error_matches (error, OD_POP3_ERROR, OD_POP3_ERROR_MALFORMED_RESPONSE) ||
      g_error_matches (error, OD_POP3_ERROR, OD_POP3_ERROR_LINE_TOO_LONG) ||
      g_error_matches (error, OD_POP3_ERROR, OD_POP3_ERROR_TOO_MANY_LINES))
    return OD_PROBE_NO_SMTP;

  if (g_error_matches (error, OD_IMAP_ERROR, OD_IMAP_ERROR_STARTTLS_INJECTION) ||
      g_error_matches (error, OD_POP3_ERROR, OD_POP3_ERROR_STLS_INJECTION))
    return OD_PROBE_TLS_ERROR;

  if (g_error_matches (error, OD_SMTP_ERROR, OD_SMTP_ERROR_MALFORMED_REPLY) ||
      g_error_matches (error, OD_SMTP_ERROR, OD_SMTP_ERROR_LINE_TOO_LONG) ||
      g_error_matches (error, OD_SMTP_ERROR, OD_SMTP_ERROR_TOO_MANY_LINES))
    return OD_PROBE_NO_SMTP;

  if (g_error_matches (error, OD_SMTP_ERROR, OD_SMTP_ERROR_TLS_OUTDATED) ||
      g_error_matches (error, OD_SMTP_ERROR, OD_SMTP_ERROR_STARTTLS_INJECTION))
    return OD_PROBE_TLS_ERROR;

  return OD_PROBE_ERROR;
}

static char *
describe_certificate_problem (OdTlsInfo *info)
{
  g_auto(GStrv) reasons = od_tls_info_describe_errors (info);
  g_autofree char *joined = g_strjoinv (" ", reasons);
  GDateTime *not_after = od_tls_info_get_not_after (info);
  g_autofree char *until = not_after ? od_format_date (not_after) : g_strdup ("?");

  /* Translators: the first %s says what is wrong with the certificate; then its subject,
   * its issuer, its expiry date and its SHA-256 fingerprint */
  return g_strdup_printf (_("%s Certificate for %s, issued by %s, valid until %s. SHA-256 "
                            "fingerprint: %s."),
                          joined, od_tls_info_get_subject (info), od_tls_info_get_issuer (info),
                          until, od_tls_info_get_fingerprint (info));
}

void
od_probe_fail_with_error (OdProbe      *self,
                          const char   *step_id,
                          const GError *error)
{
  OdDiagnosisContext ctx;
  g_autoptr(OdProblem) problem = NULL;
  g_autofree char *detail = NULL;
  OdProbeStatus status;
  OdTlsInfo *tls_info;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      od_probe_return_cancelled (self);
      return;
    }

  od_probe_diagnosis_context (self, &ctx);
  problem = od_diagnosis_from_error (step_id, error, &ctx);
  status = status_for_error (error);

  tls_info = od_tls_client_get_tls_info (tls_client (self));
  if (status == OD_PROBE_TLS_ERROR && tls_info != NULL && od_tls_info_get_errors (tls_info) != 0)
    detail = describe_certificate_problem (tls_info);
  else
    detail = g_strdup (od_problem_get_summary (problem));

  od_probe_finish (self, status, detail, problem, FALSE);
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

  od_probe_diagnosis_context (self, &ctx);
  problem = od_diagnosis_from_reply (step_id, reply, &ctx);
  /* Translators: %s is what the server said, such as "554 No SMTP service here" */
  detail = g_strdup_printf (_("The server refused: %s"), text);
  od_probe_finish (self, OD_PROBE_ERROR, detail, problem, od_smtp_reply_get_code (reply) != 421);
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

  od_probe_finish (self, OD_PROBE_OK, detail->str, NULL, TRUE);
}

/* ---- The way to the server ------------------------------------------------------------ */

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
        od_probe_return_cancelled (self);
      else
        od_probe_fail_with_error (self, OD_STEP_CONNECT, error);
      return;
    }

  self->connected = TRUE;
  self->connected_ms = (g_get_monotonic_time () - self->started_us) / 1000;
  if (self->protocol == OD_PROTOCOL_SMTP)
    self->client_name = od_smtp_client_name_for (od_connect_get_connection (self->connect));

  if (self->security == OD_SECURITY_TLS)
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
        od_probe_return_cancelled (self);
      else
        od_probe_fail_with_error (self, OD_STEP_DNS, error);
      return;
    }

  od_connect_set_attempt_timeout (self->connect, self->timeout_ms);
  od_connect_connect_async (self->connect, self->timeout_ms, self->cancellable, connect_cb,
                            g_object_ref (self));
}

typedef struct
{
  OdProbe *self;
  GError  *error;  /* what the handshake said */
} Sniff;

static void
sniff_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Sniff *sniff = user_data;
  g_autoptr(OdProbe) self = sniff->self;
  g_autoptr(GError) error = sniff->error;
  OdDiagnosisContext ctx;
  g_autoptr(OdProblem) problem = NULL;

  g_free (sniff);

  /* No greeting in plain text either: the handshake's own failure is the answer. */
  if (!od_encryption_sniff_finish (result))
    {
      od_probe_fail_with_error (self, OD_STEP_TLS, error);
      return;
    }

  od_probe_diagnosis_context (self, &ctx);
  problem = od_diagnosis_problem_new (OD_PROBLEM_ENCRYPTION_MISMATCH, OD_STEP_TLS,
                                      OD_SEVERITY_ERROR, &ctx, NULL);
  od_probe_finish (self, OD_PROBE_TLS_ERROR, od_problem_get_summary (problem), problem, FALSE);
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OdProbe) self = user_data;
  g_autoptr(GError) error = NULL;
  Sniff *sniff;

  if (od_connect_handshake_finish (self->connect, result, &error))
    {
      greeting (self);
      return;
    }

  /* The handshake broke off without a certificate problem: a port that speaks plain text
   * (encryption-mismatch) or a TLS-killing middlebox (tls-handshake-failed). Only a plain
   * greeting on a second connection tells them apart. */
  if (!od_encryption_sniff_explains (error))
    {
      od_probe_fail_with_error (self, OD_STEP_TLS, error);
      return;
    }

  sniff = g_new0 (Sniff, 1);
  sniff->self = g_object_ref (self);
  sniff->error = g_steal_pointer (&error);
  od_encryption_sniff_async (G_SOCKET_CONNECTABLE (od_connect_get_remote (self->connect)),
                             self->host, self->port, OD_SNIFF_PLAIN,
                             MIN (self->timeout_ms, OD_SNIFF_TIMEOUT_MS), self->cancellable,
                             sniff_cb, sniff);
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
      od_probe_fail_with_error (self, OD_STEP_TLS, error);
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
      od_probe_fail_with_error (self, OD_STEP_EHLO, error);
      return;
    }

  if (od_smtp_reply_get_code (reply) != 250)
    {
      fail_with_reply (self, OD_STEP_EHLO, reply);
      return;
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      od_probe_return_cancelled (self);
      return;
    }

  caps = od_smtp_session_get_capabilities (self->session);

  if (!od_smtp_session_is_tls (self->session))
    {
      OdDiagnosisContext ctx;
      g_autoptr(OdProblem) problem = NULL;

      g_assert (self->security == OD_SECURITY_STARTTLS);

      self->starttls_offered = caps != NULL && caps->starttls;
      if (!self->starttls_offered)
        {
          /* Never fall back to plain text: a server without STARTTLS is an outcome. */
          od_probe_diagnosis_context (self, &ctx);
          problem = od_diagnosis_problem_new (OD_PROBLEM_STARTTLS_NOT_OFFERED, OD_STEP_TLS,
                                              OD_SEVERITY_ERROR, &ctx, NULL);
          od_probe_finish (self, OD_PROBE_ERROR, od_problem_get_summary (problem), problem, TRUE);
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
      od_probe_fail_with_error (self, OD_STEP_GREETING, error);
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
  if (self->protocol != OD_PROTOCOL_SMTP)
    {
      od_probe_incoming_greeting (self);
      return;
    }

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
  g_clear_object (&self->incoming);
  g_clear_object (&self->connect);
  g_clear_pointer (&self->run, od_deadline_free);
  g_clear_object (&self->transcript);
  g_clear_object (&self->problem);
  g_clear_object (&self->tls_info);

  G_OBJECT_CLASS (od_probe_parent_class)->dispose (object);
}

static void
od_probe_finalize (GObject *object)
{
  OdProbe *self = (OdProbe *)object;

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->pinned, g_strfreev);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->client_name, g_free);
  g_clear_pointer (&self->detail, g_free);
  g_clear_pointer (&self->mechanisms, g_strfreev);
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
  self->connected_ms = -1;
  self->elapsed_ms = -1;
}

/**
 * od_probe_new:
 * @host: a host name or IP address
 * @port: the port
 * @security: how the port is encrypted: %OD_SECURITY_TLS or %OD_SECURITY_STARTTLS (a
 *   probe never talks to a server without encryption)
 *
 * Returns: (transfer full): a probe, ready to run once
 */
OdProbe *
od_probe_new (const char *host,
              guint16     port,
              OdSecurity  security)
{
  OdProbe *self;

  g_return_val_if_fail (host != NULL && host[0] != '\0', NULL);
  g_return_val_if_fail (port > 0, NULL);
  g_return_val_if_fail (security == OD_SECURITY_TLS || security == OD_SECURITY_STARTTLS, NULL);

  self = g_object_new (OD_TYPE_PROBE, NULL);
  self->host = g_strdup (host);
  self->port = port;
  self->connect_port = port;
  self->security = security;

  return self;
}

const char *
od_probe_get_host (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), NULL);
  return self->host;
}

guint16
od_probe_get_port (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), 0);
  return self->port;
}

OdSecurity
od_probe_get_security (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), OD_SECURITY_TLS);
  return self->security;
}

/**
 * od_probe_set_protocol:
 * @protocol: what the server is expected to speak (default %OD_PROTOCOL_SMTP)
 *
 * An IMAP probe reads the greeting, CAPABILITY and, on a STARTTLS port, does STARTTLS and
 * reads CAPABILITY again; a POP3 probe does the same with CAPA and STLS. Neither logs in.
 */
void
od_probe_set_protocol (OdProbe    *self,
                       OdProtocol  protocol)
{
  g_return_if_fail (OD_IS_PROBE (self));
  g_return_if_fail (self->task == NULL && self->started_us == 0);

  self->protocol = protocol;
}

OdProtocol
od_probe_get_protocol (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), OD_PROTOCOL_SMTP);
  return self->protocol;
}

/**
 * od_probe_set_timeout:
 * @timeout_ms: the deadline of the lookup, of the connect and of each reply
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
 * od_probe_set_pinned_fingerprints:
 * @fingerprints: (nullable) (array zero-terminated=1): certificates the user trusted for
 *   this host and port
 *
 * A certificate that matches one of them is accepted even if it fails verification; any
 * other certificate fails (see #OdTlsClient).
 */
void
od_probe_set_pinned_fingerprints (OdProbe            *self,
                                  const char * const *fingerprints)
{
  g_return_if_fail (OD_IS_PROBE (self));

  g_strfreev (self->pinned);
  self->pinned = g_strdupv ((char **)fingerprints);
}

/**
 * od_probe_set_connect_port:
 *
 * Connects to @port instead (for tests on unprivileged ports); the probe's own port is
 * still the one reported and used for the certificate's identity.
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
 * od_probe_set_context:
 * @address: (nullable): the user's address, for the diagnosis' texts
 * @username: (nullable): the user name that would log in, for the diagnosis' texts
 *
 * What the diagnosis may name, and what GNetworkMonitor said when the run started: a hint
 * for the diagnosis, never a gate.
 */
void
od_probe_set_context (OdProbe              *self,
                      const char           *address,
                      const char           *username,
                      gboolean              network_available,
                      GNetworkConnectivity  connectivity)
{
  g_return_if_fail (OD_IS_PROBE (self));

  g_free (self->address);
  self->address = g_strdup (address);
  g_free (self->username);
  self->username = g_strdup (username);
  self->network_available = network_available;
  self->connectivity = connectivity;
}

/**
 * od_probe_run_async:
 * @cancellable: (nullable): stops the probe
 *
 * Probes the server once.
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

  self->connect = od_connect_new (self->host, self->port, self->transcript);
  od_connect_set_connect_port (self->connect, self->connect_port);
  od_connect_set_lookup_cache (self->connect, self->lookups);
  od_tls_client_set_ca_file (tls_client (self), self->ca_file);
  od_tls_client_set_pinned_fingerprints (tls_client (self), (const char * const *)self->pinned);

  od_connect_lookup_async (self->connect, self->timeout_ms, self->cancellable, lookup_cb,
                           g_object_ref (self));
}

/**
 * od_probe_run_finish:
 *
 * Returns: %TRUE when the probe has an outcome (od_probe_get_status() and the others),
 *   %FALSE with %G_IO_ERROR_CANCELLED when it was cancelled
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

/**
 * od_probe_is_running:
 *
 * Returns: whether the probe was started and has no outcome yet
 */
gboolean
od_probe_is_running (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), FALSE);
  return self->task != NULL;
}

/**
 * od_probe_get_status:
 *
 * Returns: how the probe ended; meaningful once it has an outcome
 */
OdProbeStatus
od_probe_get_status (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), OD_PROBE_ERROR);
  return self->status;
}

/** od_probe_get_detail: Returns: (nullable): the outcome in a sentence */
const char *
od_probe_get_detail (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), NULL);
  return self->detail;
}

/** od_probe_get_problem: Returns: (transfer none) (nullable): what went wrong */
OdProblem *
od_probe_get_problem (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), NULL);
  return self->problem;
}

/** od_probe_get_tls_info: Returns: (transfer none) (nullable): what the handshake showed */
OdTlsInfo *
od_probe_get_tls_info (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), NULL);
  return self->tls_info;
}

/**
 * od_probe_get_auth_mechanisms:
 *
 * Returns: (transfer none): the login methods offered (after STARTTLS), empty unless the
 *   probe succeeded
 */
const char * const *
od_probe_get_auth_mechanisms (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), no_mechanisms);
  return self->mechanisms ? (const char * const *)self->mechanisms : no_mechanisms;
}

/** od_probe_get_starttls: Returns: whether the server offered STARTTLS before encryption */
gboolean
od_probe_get_starttls (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), FALSE);
  return self->starttls_offered;
}

/**
 * od_probe_get_login_disabled:
 *
 * Returns: whether an IMAP server said LOGINDISABLED in its last capabilities (after
 *   STARTTLS): no password login is possible on this connection
 */
gboolean
od_probe_get_login_disabled (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), FALSE);
  return self->login_disabled;
}

/** od_probe_get_connected: Returns: whether a TCP connection was made */
gboolean
od_probe_get_connected (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), FALSE);
  return self->connected;
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
 * od_probe_get_connected_ms:
 *
 * Returns: how long it took from the start (lookup included) until connected, or -1 if it
 *   did not connect
 */
gint64
od_probe_get_connected_ms (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), -1);
  return self->connected_ms;
}

/** od_probe_get_elapsed_ms: Returns: how long the probe took, or -1 before its outcome */
gint64
od_probe_get_elapsed_ms (OdProbe *self)
{
  g_return_val_if_fail (OD_IS_PROBE (self), -1);
  return self->elapsed_ms;
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
