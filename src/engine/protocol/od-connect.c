/* od-connect.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-connect"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "od-connect.h"
#include "od-deadline.h"

/* One connection to a server, in the stages every protocol goes through: look the name up,
 * connect to its addresses one after the other, and, for implicit TLS, the handshake. The
 * check and the probe both use it, so their address iteration, deadlines and TLS setup
 * cannot drift apart. */
struct _OdConnect
{
  GObject             parent_instance;

  /* Settings */
  char               *host;
  guint16             port;
  guint16             connect_port;
  guint               attempt_timeout_ms;
  OdLookupCache      *lookups;

  /* Owned */
  OdTranscript       *transcript;
  OdTlsClient        *tls_client;

  /* Results */
  GList              *addresses;
  GInetSocketAddress *remote;
  GSocketConnection  *connection;
  GIOStream          *stream;
  gint64              lookup_ms;
  gint64              connect_ms;
};

G_DEFINE_FINAL_TYPE (OdConnect, od_connect, G_TYPE_OBJECT)

/* The state of one stage: its deadline, and for the connect stage the address under way. */
typedef struct
{
  OdDeadline *deadline;
  OdDeadline *attempt;
  GList      *next_address;
  GError     *first_error;
  gint64      started_us;
} Stage;

static void
stage_free (Stage *stage)
{
  g_clear_pointer (&stage->attempt, od_deadline_free);
  g_clear_pointer (&stage->deadline, od_deadline_free);
  g_clear_error (&stage->first_error);
  g_free (stage);
}

static GTask *
stage_new (OdConnect           *self,
           guint                timeout_ms,
           const char          *name,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data,
           gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Stage *stage = g_new0 (Stage, 1);

  g_task_set_source_tag (task, source_tag);
  /* The errors we report are our own: a time-out or the caller's cancellation. */
  g_task_set_check_cancellable (task, FALSE);
  stage->deadline = od_deadline_new (cancellable, timeout_ms, name);
  stage->started_us = g_get_monotonic_time ();
  g_task_set_task_data (task, stage, (GDestroyNotify)stage_free);

  return task;
}

static gint64
stage_elapsed_ms (Stage *stage)
{
  return (g_get_monotonic_time () - stage->started_us) / 1000;
}

/* ---- Name lookup ---------------------------------------------------------------------- */

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OdConnect *self = g_task_get_source_object (task);
  Stage *stage = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *timed_out = NULL;
  GList *addresses;
  guint n = 0;

  if (G_IS_RESOLVER (object))
    addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  else
    addresses = od_lookup_cache_lookup_finish (result, &error);

  if (addresses == NULL)
    {
      timed_out = g_strdup_printf ("Looking up %s timed out", self->host);
      od_deadline_timed_out_error (stage->deadline, &error, G_RESOLVER_ERROR,
                                   G_RESOLVER_ERROR_TEMPORARY_FAILURE, timed_out);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->lookup_ms = stage_elapsed_ms (stage);

  for (GList *l = addresses; l != NULL && n < OD_CONNECT_MAX_ADDRESSES; l = l->next, n++)
    self->addresses = g_list_append (self->addresses, g_object_ref (l->data));
  g_resolver_free_addresses (addresses);

  g_task_return_boolean (task, TRUE);
}

/**
 * od_connect_lookup_async:
 * @timeout_ms: the lookup's deadline, or 0 for none
 *
 * Looks the host up (through the lookup cache, if there is one). An IP address needs no
 * lookup. The first %OD_CONNECT_MAX_ADDRESSES addresses are kept.
 */
void
od_connect_lookup_async (OdConnect           *self,
                         guint                timeout_ms,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  Stage *stage;

  g_return_if_fail (OD_IS_CONNECT (self));
  g_return_if_fail (self->addresses == NULL);

  task = stage_new (self, timeout_ms, "[od] lookup deadline", cancellable, callback, user_data,
                    od_connect_lookup_async);
  stage = g_task_get_task_data (task);

  if (g_hostname_is_ip_address (self->host))
    {
      self->addresses = g_list_append (NULL, g_inet_address_new_from_string (self->host));
      self->lookup_ms = 0;
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  if (self->lookups != NULL)
    od_lookup_cache_lookup_async (self->lookups, self->host,
                                  od_deadline_get_cancellable (stage->deadline),
                                  lookup_cb, task);
  else
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();

      g_resolver_lookup_by_name_async (resolver, self->host,
                                       od_deadline_get_cancellable (stage->deadline),
                                       lookup_cb, task);
    }
}

/**
 * od_connect_lookup_finish:
 *
 * Returns: %TRUE when the addresses are known (od_connect_get_addresses()), %FALSE with
 *   @error: a #GResolverError (a time-out is %G_RESOLVER_ERROR_TEMPORARY_FAILURE) or
 *   %G_IO_ERROR_CANCELLED
 */
gboolean
od_connect_lookup_finish (OdConnect     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (OD_IS_CONNECT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Connecting ----------------------------------------------------------------------- */

static void connect_next (GTask *task);

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OdConnect *self = g_task_get_source_object (task);
  Stage *stage = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean attempt_expired = od_deadline_has_expired (stage->attempt);

  self->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  g_clear_pointer (&stage->attempt, od_deadline_free);

  if (self->connection != NULL)
    {
      self->stream = g_object_ref (G_IO_STREAM (self->connection));
      self->connect_ms = stage_elapsed_ms (stage);
      /* Mail protocols are conversations of short lines: without this, Nagle's algorithm
       * holds each command back until the previous segment is acknowledged, adding tens of
       * milliseconds per exchange. */
      g_socket_set_option (g_socket_connection_get_socket (self->connection),
                           IPPROTO_TCP, TCP_NODELAY, 1, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* The whole stage ran out of time, or the caller gave up: no other address is tried. */
  if (g_cancellable_is_cancelled (od_deadline_get_cancellable (stage->deadline)))
    {
      od_deadline_timed_out_error (stage->deadline, &error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                   "Connecting timed out");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Only this address ran out of time: the next one may answer. */
  if (attempt_expired && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Connecting timed out");
    }

  od_transcript_append (self->transcript, OD_TRANSCRIPT_INFO, FALSE, error->message);
  if (stage->first_error == NULL)
    stage->first_error = g_steal_pointer (&error);

  connect_next (g_steal_pointer (&task));
}

static void
connect_next (GTask *task)
{
  OdConnect *self = g_task_get_source_object (task);
  Stage *stage = g_task_get_task_data (task);
  g_autoptr(GSocketClient) client = NULL;
  GInetAddress *address;

  if (stage->next_address == NULL)
    {
      g_assert (stage->first_error != NULL);
      g_task_return_error (task, g_steal_pointer (&stage->first_error));
      g_object_unref (task);
      return;
    }

  address = stage->next_address->data;
  stage->next_address = stage->next_address->next;

  g_clear_object (&self->remote);
  self->remote = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, self->connect_port));

  stage->attempt = od_deadline_new (od_deadline_get_cancellable (stage->deadline),
                                    self->attempt_timeout_ms, "[od] connect attempt deadline");
  client = g_socket_client_new ();
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (self->remote),
                                 od_deadline_get_cancellable (stage->attempt),
                                 connect_cb, task);
}

/**
 * od_connect_connect_async:
 * @timeout_ms: the deadline for connecting as a whole, or 0 for none; each address also
 *   has the attempt deadline (od_connect_set_attempt_timeout())
 *
 * Connects to the addresses the lookup found, one after the other, until one accepts.
 * Every address that fails is recorded in the transcript.
 */
void
od_connect_connect_async (OdConnect           *self,
                          guint                timeout_ms,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  Stage *stage;

  g_return_if_fail (OD_IS_CONNECT (self));
  g_return_if_fail (self->addresses != NULL);
  g_return_if_fail (self->connection == NULL);

  task = stage_new (self, timeout_ms, "[od] connect deadline", cancellable, callback, user_data,
                    od_connect_connect_async);
  stage = g_task_get_task_data (task);
  stage->next_address = self->addresses;

  connect_next (task);
}

/**
 * od_connect_connect_finish:
 *
 * Returns: %TRUE once connected (od_connect_get_stream()), %FALSE with @error: the first
 *   address's error when every address failed (a time-out is %G_IO_ERROR_TIMED_OUT), or
 *   %G_IO_ERROR_CANCELLED
 */
gboolean
od_connect_connect_finish (OdConnect     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (OD_IS_CONNECT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Implicit TLS --------------------------------------------------------------------- */

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OdConnect *self = g_task_get_source_object (task);
  Stage *stage = g_task_get_task_data (task);
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;

  tls = od_tls_client_handshake_finish (OD_TLS_CLIENT (object), result, &error);
  if (tls == NULL)
    {
      g_autofree char *timed_out =
        g_strdup_printf ("No answer from the server within %u seconds",
                         (od_deadline_get_timeout (stage->deadline) + 999) / 1000);

      od_deadline_timed_out_error (stage->deadline, &error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                   timed_out);
      /* An outdated TLS version is refused after the handshake: inside TLS already. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        od_transcript_append (self->transcript, OD_TRANSCRIPT_INFO,
                              od_tls_client_get_established (self->tls_client),
                              error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_set_object (&self->stream, tls);
  g_task_return_boolean (task, TRUE);
}

/**
 * od_connect_handshake_async:
 * @timeout_ms: the handshake's deadline, or 0 for none
 *
 * Starts TLS on the new connection, for ports that speak TLS from the first byte (465,
 * 993, 995). The certificate is verified by the TLS client (od_connect_get_tls_client()).
 */
void
od_connect_handshake_async (OdConnect           *self,
                            guint                timeout_ms,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  Stage *stage;

  g_return_if_fail (OD_IS_CONNECT (self));
  g_return_if_fail (G_IS_SOCKET_CONNECTION (self->stream));

  task = stage_new (self, timeout_ms, "[od] TLS handshake deadline", cancellable, callback,
                    user_data, od_connect_handshake_async);
  stage = g_task_get_task_data (task);

  od_tls_client_handshake_async (self->tls_client, G_IO_STREAM (self->connection),
                                 od_deadline_get_cancellable (stage->deadline),
                                 handshake_cb, task);
}

/**
 * od_connect_handshake_finish:
 *
 * Returns: %TRUE when the connection is encrypted, %FALSE with @error (see
 *   od_tls_client_handshake_finish(); a time-out is %G_IO_ERROR_TIMED_OUT). What the
 *   handshake showed of the certificate is in the TLS client either way.
 */
gboolean
od_connect_handshake_finish (OdConnect     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (OD_IS_CONNECT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
od_connect_dispose (GObject *object)
{
  OdConnect *self = (OdConnect *)object;

  g_clear_object (&self->stream);
  g_clear_object (&self->connection);
  g_clear_object (&self->remote);
  g_clear_object (&self->tls_client);
  g_clear_object (&self->transcript);

  G_OBJECT_CLASS (od_connect_parent_class)->dispose (object);
}

static void
od_connect_finalize (GObject *object)
{
  OdConnect *self = (OdConnect *)object;

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->lookups, od_lookup_cache_unref);
  g_list_free_full (g_steal_pointer (&self->addresses), g_object_unref);

  G_OBJECT_CLASS (od_connect_parent_class)->finalize (object);
}

static void
od_connect_class_init (OdConnectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = od_connect_dispose;
  object_class->finalize = od_connect_finalize;
}

static void
od_connect_init (OdConnect *self)
{
  self->lookup_ms = -1;
  self->connect_ms = -1;
}

/**
 * od_connect_new:
 * @host: a host name or IP address, as the user or the discovery gave it
 * @port: the port
 * @transcript: (nullable): where failed attempts and the TLS handshake are recorded
 *
 * Returns: (transfer full): a connector for one connection
 */
OdConnect *
od_connect_new (const char   *host,
                guint16       port,
                OdTranscript *transcript)
{
  OdConnect *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (port > 0, NULL);
  g_return_val_if_fail (!transcript || OD_IS_TRANSCRIPT (transcript), NULL);

  self = g_object_new (OD_TYPE_CONNECT, NULL);
  self->host = g_strdup (host);
  self->port = port;
  self->connect_port = port;
  self->transcript = transcript ? g_object_ref (transcript) : od_transcript_new ();
  self->tls_client = od_tls_client_new (host, port, self->transcript);

  return self;
}

const char *
od_connect_get_host (OdConnect *self)
{
  g_return_val_if_fail (OD_IS_CONNECT (self), NULL);
  return self->host;
}

guint16
od_connect_get_port (OdConnect *self)
{
  g_return_val_if_fail (OD_IS_CONNECT (self), 0);
  return self->port;
}

/**
 * od_connect_set_connect_port:
 *
 * Connects to @port instead (for tests on unprivileged ports); the port given to
 * od_connect_new() is still the one the certificate and the reports name.
 */
void
od_connect_set_connect_port (OdConnect *self,
                             guint16    port)
{
  g_return_if_fail (OD_IS_CONNECT (self));
  g_return_if_fail (port > 0);

  self->connect_port = port;
}

/**
 * od_connect_set_lookup_cache:
 * @lookups: (nullable): name lookups shared with the other connections of the same run
 */
void
od_connect_set_lookup_cache (OdConnect     *self,
                             OdLookupCache *lookups)
{
  g_return_if_fail (OD_IS_CONNECT (self));

  g_clear_pointer (&self->lookups, od_lookup_cache_unref);
  if (lookups != NULL)
    self->lookups = od_lookup_cache_ref (lookups);
}

/**
 * od_connect_set_attempt_timeout:
 * @timeout_ms: the deadline for each address, or 0 for none
 */
void
od_connect_set_attempt_timeout (OdConnect *self,
                                guint      timeout_ms)
{
  g_return_if_fail (OD_IS_CONNECT (self));
  self->attempt_timeout_ms = timeout_ms;
}

/**
 * od_connect_get_tls_client:
 *
 * Returns: (transfer none): the TLS side of the connection: set the CA file and the pinned
 *   certificates on it; it holds what the handshake showed
 */
OdTlsClient *
od_connect_get_tls_client (OdConnect *self)
{
  g_return_val_if_fail (OD_IS_CONNECT (self), NULL);
  return self->tls_client;
}

/**
 * od_connect_get_addresses:
 *
 * Returns: (transfer none) (element-type GInetAddress): the addresses found, once looked up
 */
GList *
od_connect_get_addresses (OdConnect *self)
{
  g_return_val_if_fail (OD_IS_CONNECT (self), NULL);
  return self->addresses;
}

/**
 * od_connect_get_remote:
 *
 * Returns: (transfer none) (nullable): the address connected to, or last tried
 */
GInetSocketAddress *
od_connect_get_remote (OdConnect *self)
{
  g_return_val_if_fail (OD_IS_CONNECT (self), NULL);
  return self->remote;
}

/**
 * od_connect_get_connection:
 *
 * Returns: (transfer none) (nullable): the TCP connection, once connected
 */
GSocketConnection *
od_connect_get_connection (OdConnect *self)
{
  g_return_val_if_fail (OD_IS_CONNECT (self), NULL);
  return self->connection;
}

/**
 * od_connect_get_stream:
 *
 * Returns: (transfer none) (nullable): the stream to talk over: the TLS connection after an
 *   implicit-TLS handshake, otherwise the TCP connection
 */
GIOStream *
od_connect_get_stream (OdConnect *self)
{
  g_return_val_if_fail (OD_IS_CONNECT (self), NULL);
  return self->stream;
}

/**
 * od_connect_get_lookup_ms:
 *
 * Returns: how long the name lookup took, or -1 if it did not succeed
 */
gint64
od_connect_get_lookup_ms (OdConnect *self)
{
  g_return_val_if_fail (OD_IS_CONNECT (self), -1);
  return self->lookup_ms;
}

/**
 * od_connect_get_connect_ms:
 *
 * Returns: how long connecting took, or -1 if it did not succeed
 */
gint64
od_connect_get_connect_ms (OdConnect *self)
{
  g_return_val_if_fail (OD_IS_CONNECT (self), -1);
  return self->connect_ms;
}

/**
 * od_connect_close:
 *
 * Closes the connection without waiting. A protocol session over the stream says goodbye
 * first if it can.
 */
void
od_connect_close (OdConnect *self)
{
  g_return_if_fail (OD_IS_CONNECT (self));

  if (self->stream != NULL && !g_io_stream_is_closed (self->stream))
    g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (self->connection != NULL && G_IO_STREAM (self->connection) != self->stream &&
      !g_io_stream_is_closed (G_IO_STREAM (self->connection)))
    g_io_stream_close_async (G_IO_STREAM (self->connection), G_PRIORITY_DEFAULT, NULL, NULL,
                             NULL);
}
