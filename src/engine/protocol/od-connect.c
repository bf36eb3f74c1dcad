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

#include <glib/gi18n-lib.h>

#include "od-connect.h"
#include "od-deadline.h"
#include "od-route.h"

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

  /* Connecting */
  GTask              *connect_task;  /* while the connect stage runs */
  GPtrArray          *attempts;      /* of Attempt, every one started, in that order */
  guint               winner;        /* the index of the attempt that connected */
  GSource            *stagger;       /* starts the next attempt */

  /* Results */
  GList              *addresses;
  OdRoute             route;
  GInetSocketAddress *remote;
  GSocketConnection  *connection;
  GIOStream          *stream;
  gint64              lookup_ms;
  gint64              connect_ms;
};

G_DEFINE_FINAL_TYPE (OdConnect, od_connect, G_TYPE_OBJECT)

/* The state of one stage: its deadline, and for the connect stage the addresses left. */
typedef struct
{
  OdDeadline *deadline;
  GList      *next_address;
  GError     *first_error;
  gint64      started_us;
} Stage;

static void
stage_free (Stage *stage)
{
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

static GList *interleave_families (GList *addresses);

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
  GList *ordered;
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
      /* Even on a cancel: the caller's whole-run deadline cancels, and then the route is
       * still the evidence (asking the kernel costs a system call). */
      self->route = od_route_to_resolver (g_error_matches (error, G_RESOLVER_ERROR,
                                                           G_RESOLVER_ERROR_NOT_FOUND));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->lookup_ms = stage_elapsed_ms (stage);

  /* Both families among the few kept, in the order they will be tried. */
  ordered = interleave_families (addresses);
  g_resolver_free_addresses (addresses);
  for (GList *l = ordered; l != NULL && n < OD_CONNECT_MAX_ADDRESSES; l = l->next, n++)
    self->addresses = g_list_append (self->addresses, g_object_ref (l->data));
  g_list_free_full (ordered, g_object_unref);

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

/* Happy Eyeballs (RFC 8305): the addresses are tried in the order the resolver sorted them,
 * with the families interleaved, and the next attempt starts when the one before fails or
 * CONNECTION_ATTEMPT_DELAY_MS after it started, whichever comes first. The first to connect
 * wins. An attempt of the other family that lost keeps running, within its own deadline,
 * until the connector is closed: whether it fails says whether that family works here
 * (od_connect_get_ipv6_failure()). */
#define CONNECTION_ATTEMPT_DELAY_MS 250

typedef enum
{
  ATTEMPT_PENDING,
  ATTEMPT_FAILED,
  ATTEMPT_CONNECTED,
} AttemptState;

typedef struct
{
  gatomicrefcount     ref_count;
  OdConnect          *owner;        /* NULL once the connector is gone */
  GInetSocketAddress *remote;
  OdDeadline         *deadline;
  AttemptState        state;
  GError             *error;
} Attempt;

static Attempt *
attempt_ref (Attempt *attempt)
{
  g_atomic_ref_count_inc (&attempt->ref_count);
  return attempt;
}

static void
attempt_unref (Attempt *attempt)
{
  if (!g_atomic_ref_count_dec (&attempt->ref_count))
    return;

  g_clear_object (&attempt->remote);
  g_clear_pointer (&attempt->deadline, od_deadline_free);
  g_clear_error (&attempt->error);
  g_free (attempt);
}

static GSocketFamily
attempt_family (Attempt *attempt)
{
  return g_socket_address_get_family (G_SOCKET_ADDRESS (attempt->remote));
}

/* The addresses in the order to try them: the resolver's order (RFC 6724), with the
 * families taking turns, starting with the family of the first address. */
static GList *
interleave_families (GList *addresses)
{
  GQueue first = G_QUEUE_INIT;
  GQueue other = G_QUEUE_INIT;
  GSocketFamily family;
  GList *ordered = NULL;

  if (addresses == NULL)
    return NULL;

  family = g_inet_address_get_family (addresses->data);
  for (GList *l = addresses; l != NULL; l = l->next)
    g_queue_push_tail (g_inet_address_get_family (l->data) == family ? &first : &other,
                       l->data);

  while (!g_queue_is_empty (&first) || !g_queue_is_empty (&other))
    {
      if (!g_queue_is_empty (&first))
        ordered = g_list_prepend (ordered, g_object_ref (g_queue_pop_head (&first)));
      if (!g_queue_is_empty (&other))
        ordered = g_list_prepend (ordered, g_object_ref (g_queue_pop_head (&other)));
    }

  return g_list_reverse (ordered);
}

static void start_attempt (OdConnect *self);

static void
stop_stagger (OdConnect *self)
{
  if (self->stagger != NULL)
    {
      g_source_destroy (self->stagger);
      g_clear_pointer (&self->stagger, g_source_unref);
    }
}

static gboolean
stagger_cb (gpointer user_data)
{
  OdConnect *self = user_data;

  g_clear_pointer (&self->stagger, g_source_unref);
  start_attempt (self);

  return G_SOURCE_REMOVE;
}

static guint
n_pending_attempts (OdConnect *self)
{
  guint n = 0;

  for (guint i = 0; i < self->attempts->len; i++)
    if (((Attempt *)g_ptr_array_index (self->attempts, i))->state == ATTEMPT_PENDING)
      n++;

  return n;
}

/* Every attempt still under way ends; a stage that failed or the connector's end. */
static void
cancel_attempts (OdConnect *self)
{
  for (guint i = 0; i < self->attempts->len; i++)
    {
      Attempt *attempt = g_ptr_array_index (self->attempts, i);

      if (attempt->state == ATTEMPT_PENDING)
        g_cancellable_cancel (od_deadline_get_cancellable (attempt->deadline));
    }
}

/* No address connected: the first error is the answer, and the kernel says whether any of
 * them could have been reached at all. */
static void
stage_failed (OdConnect *self,
              GError    *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->connect_task);
  g_autoptr(GList) tried = NULL;

  stop_stagger (self);
  cancel_attempts (self);

  for (guint i = 0; i < self->attempts->len; i++)
    {
      Attempt *attempt = g_ptr_array_index (self->attempts, i);

      tried = g_list_append (tried, g_inet_socket_address_get_address (attempt->remote));
    }
  self->route = od_route_to_addresses (tried);

  g_task_return_error (task, error);
}

static void
stage_succeeded (OdConnect         *self,
                 Attempt           *winner,
                 GSocketConnection *connection)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->connect_task);
  Stage *stage = g_task_get_task_data (task);

  stop_stagger (self);

  self->connection = connection;
  self->stream = g_object_ref (G_IO_STREAM (self->connection));
  g_set_object (&self->remote, winner->remote);
  g_ptr_array_find (self->attempts, winner, &self->winner);
  self->connect_ms = stage_elapsed_ms (stage);
  /* Mail protocols are conversations of short lines: without this, Nagle's algorithm holds
   * each command back until the previous segment is acknowledged, adding tens of
   * milliseconds per exchange. */
  g_socket_set_option (g_socket_connection_get_socket (self->connection),
                       IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  /* Attempts of the same family are no longer needed; one of the other family stays, to
   * tell whether that family works. */
  for (guint i = 0; i < self->attempts->len; i++)
    {
      Attempt *attempt = g_ptr_array_index (self->attempts, i);

      if (attempt->state == ATTEMPT_PENDING && attempt_family (attempt) == attempt_family (winner))
        g_cancellable_cancel (od_deadline_get_cancellable (attempt->deadline));
    }

  g_task_return_boolean (task, TRUE);
}

static void
attempt_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Attempt *attempt = user_data;
  OdConnect *self = attempt->owner;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  Stage *stage;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);

  /* Only this address ran out of time. */
  if (od_deadline_has_expired (attempt->deadline) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("Connecting timed out"));
    }

  /* The connector is gone, or the attempt lost the race and the stage is over. */
  if (self == NULL || self->connect_task == NULL)
    {
      attempt->state = connection != NULL ? ATTEMPT_CONNECTED : ATTEMPT_FAILED;
      if (connection != NULL)
        g_io_stream_close_async (G_IO_STREAM (connection), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      else
        attempt->error = g_steal_pointer (&error);
      attempt_unref (attempt);
      return;
    }

  stage = g_task_get_task_data (self->connect_task);

  /* Connected just as the stage was given up (its deadline, or the caller): too late. */
  if (connection != NULL &&
      g_cancellable_is_cancelled (od_deadline_get_cancellable (stage->deadline)))
    {
      g_io_stream_close_async (G_IO_STREAM (connection), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_clear_object (&connection);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
    }

  if (connection != NULL)
    {
      attempt->state = ATTEMPT_CONNECTED;
      stage_succeeded (self, attempt, g_steal_pointer (&connection));
      attempt_unref (attempt);
      return;
    }

  attempt->state = ATTEMPT_FAILED;

  /* The whole stage ran out of time, or the caller gave up: no other address is tried. */
  if (g_cancellable_is_cancelled (od_deadline_get_cancellable (stage->deadline)))
    {
      g_clear_error (&error);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      od_deadline_timed_out_error (stage->deadline, &error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                   _("Connecting timed out"));
      attempt->error = g_error_copy (error);
      stage_failed (self, g_steal_pointer (&error));
      attempt_unref (attempt);
      return;
    }

  /* Only this address failed: the next one may answer. */
  od_transcript_append (self->transcript, OD_TRANSCRIPT_INFO, FALSE, error->message);
  attempt->error = g_error_copy (error);
  if (stage->first_error == NULL)
    stage->first_error = g_steal_pointer (&error);

  /* A failure starts the next attempt at once (RFC 8305 §5). */
  if (stage->next_address != NULL)
    {
      stop_stagger (self);
      start_attempt (self);
    }
  else if (n_pending_attempts (self) == 0)
    stage_failed (self, g_steal_pointer (&stage->first_error));

  attempt_unref (attempt);
}

static void
start_attempt (OdConnect *self)
{
  Stage *stage = g_task_get_task_data (self->connect_task);
  g_autoptr(GSocketClient) client = NULL;
  GInetAddress *address;
  Attempt *attempt;

  if (stage->next_address == NULL)
    return;

  address = stage->next_address->data;
  stage->next_address = stage->next_address->next;

  attempt = g_new0 (Attempt, 1);
  g_atomic_ref_count_init (&attempt->ref_count);
  attempt->owner = self;
  attempt->remote = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address,
                                                                      self->connect_port));
  /* Chained to the caller's cancellable, not to the stage: a losing attempt outlives it. */
  attempt->deadline = od_deadline_new (g_task_get_cancellable (self->connect_task),
                                       self->attempt_timeout_ms,
                                       "[od] connect attempt deadline");
  g_ptr_array_add (self->attempts, attempt);
  g_set_object (&self->remote, attempt->remote);

  client = g_socket_client_new ();
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (attempt->remote),
                                 od_deadline_get_cancellable (attempt->deadline),
                                 attempt_cb, attempt_ref (attempt));

  if (stage->next_address != NULL)
    {
      self->stagger = g_timeout_source_new (CONNECTION_ATTEMPT_DELAY_MS);
      g_source_set_callback (self->stagger, stagger_cb, self, NULL);
      g_source_set_static_name (self->stagger, "[od] connection attempt delay");
      g_source_attach (self->stagger, g_main_context_get_thread_default ());
    }
}

static void
stage_deadline_cb (gpointer user_data)
{
  OdConnect *self = user_data;

  /* The attempts under way are chained to the caller, not to the stage: end them, and
   * start no other. */
  if (self->connect_task != NULL)
    {
      stop_stagger (self);
      cancel_attempts (self);
    }
}

/**
 * od_connect_connect_async:
 * @timeout_ms: the deadline for connecting as a whole, or 0 for none; each address also
 *   has the attempt deadline (od_connect_set_attempt_timeout())
 *
 * Connects to the addresses the lookup found, Happy Eyeballs style (RFC 8305): the next
 * address is tried when the one before fails or after 250 ms, the first to connect wins.
 * Every address that fails before that is recorded in the transcript.
 */
void
od_connect_connect_async (OdConnect           *self,
                          guint                timeout_ms,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  Stage *stage;

  g_return_if_fail (OD_IS_CONNECT (self));
  g_return_if_fail (self->addresses != NULL);
  g_return_if_fail (self->connection == NULL);
  g_return_if_fail (self->connect_task == NULL);

  self->connect_task = stage_new (self, timeout_ms, "[od] connect deadline", cancellable,
                                  callback, user_data, od_connect_connect_async);
  stage = g_task_get_task_data (self->connect_task);
  stage->next_address = self->addresses;
  od_deadline_set_expired_func (stage->deadline, stage_deadline_cb, self);

  start_attempt (self);
}

/**
 * od_connect_connect_finish:
 *
 * Returns: %TRUE once connected (od_connect_get_stream()), %FALSE with @error: the error of
 *   the first attempt that failed when every address failed (a time-out is
 *   %G_IO_ERROR_TIMED_OUT), or %G_IO_ERROR_CANCELLED; od_connect_get_route() then says
 *   whether any was reachable
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

/* Whether a failed attempt says its family does not work on this network: it timed out,
 * or a router on the way said the host is unreachable. A refused connection is an answer
 * (the server does not listen there), and no route at all means this computer simply has
 * no such network: neither is a broken network. */
static gboolean
attempt_shows_broken_family (Attempt *attempt)
{
  if (attempt->state == ATTEMPT_PENDING)
    return TRUE;

  if (attempt->state != ATTEMPT_FAILED)
    return FALSE;

  if (g_error_matches (attempt->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return TRUE;

  if (g_error_matches (attempt->error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (attempt->error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    return od_route_to_address (g_inet_socket_address_get_address (attempt->remote)) ==
           OD_ROUTE_PRESENT;

  return FALSE;
}

/**
 * od_connect_get_ipv6_failure:
 *
 * Whether IPv6 looks broken on this network: the connection was made over IPv4 after an
 * attempt over IPv6 to the same host started first and then timed out, was refused by a
 * router on the way, or has still not answered. (A refused connection or a computer
 * without IPv6 routes is no such sign.)
 *
 * Returns: (transfer none) (nullable): the IPv6 address that lost to IPv4 that way
 */
GInetAddress *
od_connect_get_ipv6_failure (OdConnect *self)
{
  g_return_val_if_fail (OD_IS_CONNECT (self), NULL);

  if (self->connection == NULL ||
      g_socket_address_get_family (G_SOCKET_ADDRESS (self->remote)) != G_SOCKET_FAMILY_IPV4)
    return NULL;

  /* Only the attempts that started before the winner: a later one had no chance. */
  for (guint i = 0; i < self->winner; i++)
    {
      Attempt *attempt = g_ptr_array_index (self->attempts, i);

      if (attempt_family (attempt) == G_SOCKET_FAMILY_IPV6 &&
          attempt_shows_broken_family (attempt))
        return g_inet_socket_address_get_address (attempt->remote);
    }

  return NULL;
}

/**
 * od_connect_get_route:
 *
 * Returns: after a failed lookup, whether the system's name servers were reachable; after
 *   a failed connect, whether any address tried was; %OD_ROUTE_UNKNOWN otherwise
 */
OdRoute
od_connect_get_route (OdConnect *self)
{
  g_return_val_if_fail (OD_IS_CONNECT (self), OD_ROUTE_UNKNOWN);
  return self->route;
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
      guint seconds = (od_deadline_get_timeout (stage->deadline) + 999) / 1000;
      g_autofree char *timed_out =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "No answer from the server within %u second",
                                      "No answer from the server within %u seconds", seconds),
                         seconds);

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

  /* Attempts that lost the race end with the connector. */
  stop_stagger (self);
  cancel_attempts (self);
  for (guint i = 0; i < self->attempts->len; i++)
    ((Attempt *)g_ptr_array_index (self->attempts, i))->owner = NULL;
  g_ptr_array_set_size (self->attempts, 0);

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
  g_clear_pointer (&self->attempts, g_ptr_array_unref);

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
  self->attempts = g_ptr_array_new_with_free_func ((GDestroyNotify)attempt_unref);
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

  cancel_attempts (self);

  if (self->stream != NULL && !g_io_stream_is_closed (self->stream))
    g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (self->connection != NULL && G_IO_STREAM (self->connection) != self->stream &&
      !g_io_stream_is_closed (G_IO_STREAM (self->connection)))
    g_io_stream_close_async (G_IO_STREAM (self->connection), G_PRIORITY_DEFAULT, NULL, NULL,
                             NULL);
}
