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
  OdLookupCache        *lookups;

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

/* Name lookups shared by the probes of one discovery. The guesses alone propose each host
 * on four ports, and every lookup takes a thread of GIO's shared pool (ten threads), so
 * looking a host up once per candidate queued the lookups behind each other, the autoconfig
 * server's among them, and cost a round trip. One lookup per host now serves every probe
 * of that host; each probe still waits with its own deadline and cancellable. */
struct _OdLookupCache
{
  gatomicrefcount  ref_count;
  GHashTable      *lookups;   /* host → Lookup */
};

typedef struct
{
  GList     *addresses;  /* once done: the result, or NULL with error */
  GError    *error;
  gboolean   done;
  GPtrArray *waiters;    /* GTask, waiting for the result */
} Lookup;

typedef struct
{
  OdLookupCache *cache;
  Lookup        *lookup;         /* owned by the cache */
  GSource       *cancel_source;
} Waiter;

static void
lookup_free (Lookup *lookup)
{
  g_assert (lookup->waiters->len == 0);
  g_resolver_free_addresses (lookup->addresses);
  g_clear_error (&lookup->error);
  g_ptr_array_unref (lookup->waiters);
  g_free (lookup);
}

/**
 * od_lookup_cache_new:
 *
 * Returns: (transfer full): an empty cache of name lookups, for the probes of one run
 */
OdLookupCache *
od_lookup_cache_new (void)
{
  OdLookupCache *self = g_new0 (OdLookupCache, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->lookups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)lookup_free);
  return self;
}

OdLookupCache *
od_lookup_cache_ref (OdLookupCache *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
od_lookup_cache_unref (OdLookupCache *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_hash_table_unref (self->lookups);
      g_free (self);
    }
}

static void
waiter_free (Waiter *waiter)
{
  g_assert (waiter->cancel_source == NULL);
  od_lookup_cache_unref (waiter->cache);
  g_free (waiter);
}

static void
waiter_stop_watching (Waiter *waiter)
{
  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_clear_pointer (&waiter->cancel_source, g_source_unref);
    }
}

static gpointer
copy_object (gconstpointer object,
             gpointer      user_data)
{
  return g_object_ref ((gpointer)object);
}

/* Gives a waiting task the result it waits for. */
static void
waiter_return (GTask  *task,
               Lookup *lookup)
{
  waiter_stop_watching (g_task_get_task_data (task));

  if (lookup->error != NULL)
    g_task_return_error (task, g_error_copy (lookup->error));
  else
    g_task_return_pointer (task,
                           g_list_copy_deep (lookup->addresses, copy_object, NULL),
                           (GDestroyNotify)g_resolver_free_addresses);
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Waiter *waiter = g_task_get_task_data (task);
  g_autoptr(GTask) owned = NULL;

  g_clear_pointer (&waiter->cancel_source, g_source_unref);

  /* Only this waiter stops: the lookup goes on for the others. */
  if (g_ptr_array_find (waiter->lookup->waiters, task, NULL))
    {
      owned = g_object_ref (task);
      g_ptr_array_remove (waiter->lookup->waiters, task);
      g_task_return_new_error (owned, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The name lookup was cancelled");
    }

  return G_SOURCE_REMOVE;
}

typedef struct
{
  OdLookupCache *cache;
  char          *host;
} LookupRun;

static void
shared_lookup_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  LookupRun *run = user_data;
  Lookup *lookup = g_hash_table_lookup (run->cache->lookups, run->host);
  g_autoptr(GPtrArray) waiters = NULL;

  g_assert (lookup != NULL && !lookup->done);

  lookup->addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result,
                                                        &lookup->error);
  lookup->done = TRUE;

  waiters = g_steal_pointer (&lookup->waiters);
  lookup->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    waiter_return (g_ptr_array_index (waiters, i), lookup);

  od_lookup_cache_unref (run->cache);
  g_free (run->host);
  g_free (run);
}

/* Like g_resolver_lookup_by_name_async(), with one lookup per host for all callers. */
static void
od_lookup_cache_lookup_async (OdLookupCache       *self,
                              const char          *host,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Lookup *lookup = g_hash_table_lookup (self->lookups, host);
  Waiter *waiter = g_new0 (Waiter, 1);

  g_task_set_source_tag (task, od_lookup_cache_lookup_async);

  if (lookup == NULL)
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();
      LookupRun *run = g_new0 (LookupRun, 1);

      lookup = g_new0 (Lookup, 1);
      lookup->waiters = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->lookups, g_strdup (host), lookup);

      run->cache = od_lookup_cache_ref (self);
      run->host = g_strdup (host);
      /* Not cancellable: the lookup serves every probe of the host, each of which stops
       * waiting on its own deadline or cancellation. */
      g_resolver_lookup_by_name_async (resolver, host, NULL, shared_lookup_cb, run);
    }

  waiter->cache = od_lookup_cache_ref (self);
  waiter->lookup = lookup;
  g_task_set_task_data (task, waiter, (GDestroyNotify)waiter_free);

  if (lookup->done)
    {
      waiter_return (task, lookup);
      return;
    }

  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (waiter_cancelled_cb),
                             task, NULL);
      g_source_set_name (waiter->cancel_source, "[od] shared lookup cancelled");
      g_source_attach (waiter->cancel_source, g_main_context_get_thread_default ());
    }

  g_ptr_array_add (lookup->waiters, g_steal_pointer (&task));
}

static GList *
od_lookup_cache_lookup_finish (GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

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

  if (G_IS_RESOLVER (object))
    addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  else
    addresses = od_lookup_cache_lookup_finish (result, &error);
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
  g_clear_pointer (&self->lookups, od_lookup_cache_unref);
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

  if (self->lookups != NULL)
    {
      od_lookup_cache_lookup_async (self->lookups, host, arm_step_deadline (self),
                                    resolve_cb, g_object_ref (self));
    }
  else
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
