/* od-probe.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-probe"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-candidate-private.h"
#include "od-diagnosis.h"
#include "od-probe.h"
#include "od-smtp-session.h"

#define MAX_ADDRESSES   4
#define QUIT_TIMEOUT_MS 1000

/* Probes one candidate without logging in: look up the host, connect, TLS (implicit, or
 * STARTTLS after EHLO, then EHLO again), and note what the server offers. The certificate is
 * verified against the system's CAs and the CA file; a certificate error is an outcome of its
 * own, never a reason to try without encryption. The outcome is written to the candidate. */
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

  /* Measurements */
  gint64                started_us;
  gint64                lookup_ms;
  gint64                connect_ms;

  /* Run state */
  GTask                *task;
  GCancellable         *cancellable;
  GCancellable         *parent;
  gulong                parent_handler;
  GCancellable         *step_cancellable;
  GSource              *step_deadline;
  GList                *addresses;
  GList                *next_address;
  GError               *connect_error;
  GSocketConnection    *connection;
  OdSmtpSession        *session;
  OdTranscript         *transcript;
  char                 *client_name;
  gboolean              step_timed_out;
  gboolean              starttls_offered;
};

G_DEFINE_FINAL_TYPE (OdProbe, od_probe, G_TYPE_OBJECT)

static void ehlo (OdProbe *self);

static gint64
elapsed_ms (OdProbe *self)
{
  return (g_get_monotonic_time () - self->started_us) / 1000;
}

static void
clear_step_deadline (OdProbe *self)
{
  if (self->step_deadline != NULL)
    {
      g_source_destroy (self->step_deadline);
      g_clear_pointer (&self->step_deadline, g_source_unref);
    }
}

static gboolean
step_deadline_cb (gpointer user_data)
{
  OdProbe *self = user_data;

  self->step_timed_out = TRUE;
  g_clear_pointer (&self->step_deadline, g_source_unref);
  g_cancellable_cancel (self->step_cancellable);

  return G_SOURCE_REMOVE;
}

static void
cancel_step_cb (GCancellable *run,
                gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* Name lookups and connects are not session operations: they get their deadline here. */
static GCancellable *
arm_step_deadline (OdProbe *self)
{
  clear_step_deadline (self);
  self->step_timed_out = FALSE;
  g_clear_object (&self->step_cancellable);
  self->step_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (cancel_step_cb),
                           self->step_cancellable, 0);
  if (g_cancellable_is_cancelled (self->cancellable))
    g_cancellable_cancel (self->step_cancellable);

  self->step_deadline = g_timeout_source_new (self->timeout_ms);
  g_source_set_callback (self->step_deadline, step_deadline_cb, self, NULL);
  g_source_set_name (self->step_deadline, "[od] probe step deadline");
  g_source_attach (self->step_deadline, g_main_context_get_thread_default ());

  return self->step_cancellable;
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
  ctx->tls_errors = self->session ? od_smtp_session_get_tls_errors (self->session) : 0;
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
  clear_step_deadline (self);

  if (self->parent_handler != 0)
    {
      g_cancellable_disconnect (self->parent, self->parent_handler);
      self->parent_handler = 0;
    }

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
  else if (self->connection != NULL)
    g_io_stream_close_async (G_IO_STREAM (self->connection), G_PRIORITY_DEFAULT,
                             NULL, NULL, NULL);

  g_clear_object (&self->session);
  g_clear_object (&self->connection);
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
  OdTlsInfo *tls_info = self->session ? od_smtp_session_get_tls_info (self->session) : NULL;
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

  tls_info = self->session ? od_smtp_session_get_tls_info (self->session) : NULL;
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
          problem = od_diagnosis_problem_new ("starttls-not-offered", OD_STEP_TLS,
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
  od_smtp_session_read_reply_async (self->session, self->cancellable,
                                    greeting_cb, g_object_ref (self));
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OdProbe) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!od_smtp_session_handshake_finish (OD_SMTP_SESSION (object), result, &error))
    {
      fail_with_error (self, OD_STEP_TLS, error);
      return;
    }

  greeting (self);
}

static char *
client_name_for (GSocketConnection *connection)
{
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  GInetAddress *inet;
  g_autofree char *ip = NULL;

  /* RFC 5321 §4.1.3: an address literal is the honest EHLO argument. */
  if (!G_IS_INET_SOCKET_ADDRESS (local))
    return g_strdup ("[127.0.0.1]");

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
  ip = g_inet_address_to_string (inet);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[IPv6:%s]", ip);

  return g_strdup_printf ("[%s]", ip);
}

static void connect_next (OdProbe *self);

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OdProbe) self = user_data;
  g_autoptr(GError) error = NULL;
  const char *host = od_candidate_get_host (self->candidate);

  self->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  clear_step_deadline (self);

  if (self->connection == NULL)
    {
      if (g_cancellable_is_cancelled (self->cancellable))
        {
          return_cancelled (self);
          return;
        }

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->step_timed_out)
        {
          g_clear_error (&error);
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "Connecting timed out after %u ms", self->timeout_ms);
          /* The other addresses of a dropped port would only time out as well. */
          fail_with_error (self, OD_STEP_CONNECT, error);
          return;
        }

      if (self->connect_error == NULL)
        self->connect_error = g_steal_pointer (&error);
      connect_next (self);
      return;
    }

  self->connect_ms = elapsed_ms (self) - MAX (self->lookup_ms, 0);
  od_candidate_set_connected (self->candidate, TRUE);
  od_candidate_set_connect_ms (self->candidate, elapsed_ms (self));

  /* Without this, Nagle's algorithm holds each command back for tens of milliseconds. */
  g_socket_set_option (g_socket_connection_get_socket (self->connection),
                       IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  self->session = od_smtp_session_new (G_IO_STREAM (self->connection), host,
                                       od_candidate_get_port (self->candidate), self->transcript);
  od_smtp_session_set_timeout (self->session, self->timeout_ms);
  od_smtp_session_set_ca_file (self->session, self->ca_file);
  self->client_name = client_name_for (self->connection);

  if (od_candidate_get_security (self->candidate) == OD_SECURITY_TLS)
    od_smtp_session_handshake_async (self->session, self->cancellable,
                                     handshake_cb, g_object_ref (self));
  else
    greeting (self);
}

static void
connect_next (OdProbe *self)
{
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  GInetAddress *address;

  if (self->next_address == NULL)
    {
      g_autoptr(GError) error = g_steal_pointer (&self->connect_error);

      g_assert (error != NULL);
      fail_with_error (self, OD_STEP_CONNECT, error);
      return;
    }

  address = self->next_address->data;
  self->next_address = self->next_address->next;
  remote = g_inet_socket_address_new (address, self->connect_port);

  client = g_socket_client_new ();
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (remote),
                                 arm_step_deadline (self), connect_cb, g_object_ref (self));
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OdProbe) self = user_data;
  g_autoptr(GError) error = NULL;
  GList *addresses;
  guint n = 0;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  clear_step_deadline (self);

  if (addresses == NULL)
    {
      if (g_cancellable_is_cancelled (self->cancellable))
        {
          return_cancelled (self);
          return;
        }

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->step_timed_out)
        {
          g_clear_error (&error);
          g_set_error (&error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE,
                       "Looking up %s timed out", od_candidate_get_host (self->candidate));
        }

      fail_with_error (self, OD_STEP_DNS, error);
      return;
    }

  self->lookup_ms = elapsed_ms (self);

  for (GList *l = addresses; l != NULL && n < MAX_ADDRESSES; l = l->next, n++)
    self->addresses = g_list_append (self->addresses, g_object_ref (l->data));
  g_resolver_free_addresses (addresses);

  self->next_address = self->addresses;
  connect_next (self);
}

static void
parent_cancelled_cb (GCancellable *parent,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
od_probe_dispose (GObject *object)
{
  OdProbe *self = (OdProbe *)object;

  g_assert (self->task == NULL);

  g_clear_object (&self->session);
  g_clear_object (&self->connection);
  g_clear_object (&self->step_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->parent);
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
  g_list_free_full (g_steal_pointer (&self->addresses), g_object_unref);
  g_clear_error (&self->connect_error);

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
  self->lookup_ms = -1;
  self->connect_ms = -1;
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
  return self->lookup_ms;
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
  return self->connect_ms;
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
  const char *host;

  g_return_if_fail (OD_IS_PROBE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->task == NULL && self->started_us == 0);

  self->started_us = g_get_monotonic_time ();
  self->task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (self->task, od_probe_run_async);

  self->cancellable = g_cancellable_new ();
  self->parent = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  self->parent_handler = g_cancellable_connect (self->parent, G_CALLBACK (parent_cancelled_cb),
                                                self->cancellable, NULL);

  od_candidate_set_status (self->candidate, OD_CANDIDATE_PROBING, NULL);

  host = od_candidate_get_host (self->candidate);
  if (g_hostname_is_ip_address (host))
    {
      self->addresses = g_list_append (NULL, g_inet_address_new_from_string (host));
      self->next_address = self->addresses;
      connect_next (self);
      return;
    }

  {
    g_autoptr(GResolver) resolver = g_resolver_get_default ();

    g_resolver_lookup_by_name_async (resolver, host, arm_step_deadline (self),
                                     resolve_cb, g_object_ref (self));
  }
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
