/* test-deadlines.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Cancellation and deadlines, measured.
 *
 * /od/cancel/…: many checks are stuck (connecting to a listener whose backlog is full, so the
 * kernel drops the SYNs; waiting for a greeting that never comes; in a stalled TLS
 * handshake; on the second connection that looks for implicit TLS); one cancellable cancels
 * them all, and every socket they opened must be closed within 200 ms. Sockets are counted
 * in /proc/self/fd, matched through /proc/net/tcp{,6} to the port they talk to, so the fake
 * servers' own sockets in this process do not count.
 *
 * /od/deadline/…: one step at a time stalls; the check must end with the step's problem no
 * later than its deadline plus 10 %, and not before the deadline. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "od-check.h"
#include "od-discovery.h"
#include "od-fake-smtp-server.h"
#include "od-test-certs.h"

#define USER        "user@example.org"
#define PASSWORD    "Tr0ub4dor&3 horse"
#define CLOSE_MS    200
#define MARGIN      1.10

static OdTestCerts *certs;

static GResolver *fake_resolver_new (gboolean stall);

/* Sockets of this process whose remote port is @port. */
static guint
count_sockets_to (guint16 port)
{
  g_autoptr(GHashTable) inodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *tables[] = { "/proc/self/net/tcp", "/proc/self/net/tcp6" };
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/fd/%s", name);
      g_autofree char *target = g_file_read_link (path, NULL);

      /* "socket:[12345]" */
      if (target != NULL && g_str_has_prefix (target, "socket:["))
        g_hash_table_add (inodes, g_strndup (target + 8, strlen (target) - 9));
    }

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *contents = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_file_get_contents (tables[t], &contents, NULL, NULL))
        continue;

      lines = g_strsplit (contents, "\n", -1);
      /* "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …" */
      for (guint i = 1; lines[i] != NULL; i++)
        {
          g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
          g_autoptr(GPtrArray) words = g_ptr_array_new ();
          const char *remote, *colon;

          for (guint j = 0; fields[j] != NULL; j++)
            if (fields[j][0] != '\0')
              g_ptr_array_add (words, fields[j]);

          if (words->len < 10)
            continue;

          remote = g_ptr_array_index (words, 2);
          colon = strrchr (remote, ':');
          if (colon == NULL || g_ascii_strtoull (colon + 1, NULL, 16) != port)
            continue;

          if (g_hash_table_contains (inodes, g_ptr_array_index (words, 9)))
            n++;
        }
    }

  return n;
}

typedef struct
{
  guint n_done;
  guint n_cancelled;
} Many;

static void
many_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Many *many = user_data;
  g_autoptr(GError) error = NULL;

  od_check_run_finish (OD_CHECK (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    many->n_cancelled++;
  many->n_done++;
}

static void
spin_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
}

/* Starts @n checks of 127.0.0.1:@port, lets them get stuck for @stuck_ms, cancels them
 * together and returns how long it took until none of their sockets was open any more. */
static gint64
cancel_many (guint16    port,
             OdSecurity security,
             guint      n,
             guint      step_ms,
             guint      stuck_ms,
             guint      min_sockets)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func (g_object_unref);
  Many many = { 0 };
  gint64 cancelled_at, closed_at = 0;
  guint open_before;
  /* Sockets of our own to @port that are not the checks' (a blackholed listener's fillers). */
  guint baseline = count_sockets_to (port);

  for (guint i = 0; i < n; i++)
    {
      OdCheck *check = od_check_new (USER, "127.0.0.1", port, security);

      od_check_set_password (check, PASSWORD);
      od_check_set_step_timeout (check, step_ms);
      od_check_set_ca_file (check, od_test_certs_get_ca_file (certs));
      od_check_run_async (check, cancellable, many_cb, &many);
      g_ptr_array_add (checks, check);
    }

  spin_for (stuck_ms);
  g_assert_cmpuint (many.n_done, ==, 0);
  open_before = count_sockets_to (port) - baseline;
  g_assert_cmpuint (open_before, >=, min_sockets);

  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);

  while (g_get_monotonic_time () - cancelled_at < 2 * G_USEC_PER_SEC)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (closed_at == 0 && count_sockets_to (port) == baseline)
        closed_at = g_get_monotonic_time ();
      if (closed_at != 0 && many.n_done == n)
        break;
      g_usleep (500);
    }

  g_assert_cmpuint (many.n_done, ==, n);
  g_assert_cmpuint (many.n_cancelled, ==, n);
  g_assert_cmpint (closed_at, !=, 0);

  g_test_message ("%u checks, %u sockets open; all closed %" G_GINT64_FORMAT " ms after cancel",
                  n, open_before, (closed_at - cancelled_at) / 1000);

  return (closed_at - cancelled_at) / 1000;
}

/* A listener that never accepts, its backlog filled: further SYNs are dropped, as by a
 * firewall that blackholes the port. */
static GSocket *
blackholed_listener (guint16    *port,
                     GPtrArray **fillers)
{
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                           &error);
  g_assert_no_error (error);
  g_socket_set_listen_backlog (listener, 0);
  g_assert_true (g_socket_bind (listener, any, TRUE, &error));
  g_assert_true (g_socket_listen (listener, &error));
  bound = g_socket_get_local_address (listener, &error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  /* Fill the queue until a connection attempt hangs. */
  *fillers = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < 16; i++)
    {
      g_autoptr(GSocket) filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL);
      g_autoptr(GError) connect_error = NULL;

      g_socket_set_blocking (filler, FALSE);
      if (!g_socket_connect (filler, bound, NULL, &connect_error) &&
          g_error_matches (connect_error, G_IO_ERROR, G_IO_ERROR_PENDING))
        {
          g_clear_error (&connect_error);
          if (!g_socket_condition_timed_wait (filler, G_IO_OUT, 200 * 1000, NULL, NULL))
            {
              /* Still pending after 200 ms: the backlog is full. */
              g_ptr_array_add (*fillers, g_steal_pointer (&filler));
              return g_steal_pointer (&listener);
            }
        }
      g_ptr_array_add (*fillers, g_steal_pointer (&filler));
    }

  g_error ("the listener's backlog never filled up");
}

static void
warm_up (void)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, NULL);
  g_autoptr(OdCheck) check = NULL;
  Many many = { 0 };

  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);
  g_assert_true (od_fake_smtp_server_start (server, NULL));

  check = od_check_new (USER, "127.0.0.1", od_fake_smtp_server_get_port (server),
                        OD_SECURITY_STARTTLS);
  od_check_set_password (check, PASSWORD);
  od_check_set_ca_file (check, od_test_certs_get_ca_file (certs));
  od_check_run_async (check, NULL, many_cb, &many);
  while (many.n_done == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (od_checklist_get_verdict (od_check_get_checklist (check)), ==,
                   OD_STEP_STATE_PASS);
}

static void
test_cancel_blackholed_connects (void)
{
  g_autoptr(GPtrArray) fillers = NULL;
  g_autoptr(GSocket) listener = NULL;
  guint16 port;

  warm_up ();
  listener = blackholed_listener (&port, &fillers);
  g_assert_cmpint (cancel_many (port, OD_SECURITY_STARTTLS, 32, 10000, 300, 32), <=, CLOSE_MS);
}

static OdFakeSmtpServer *
start_hostile (OdFakeSmtpHostile hostile,
               gboolean          implicit_tls)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, NULL);

  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_implicit_tls (server, implicit_tls);
  od_fake_smtp_server_set_hostile (server, hostile);
  g_assert_true (od_fake_smtp_server_start (server, NULL));

  return g_steal_pointer (&server);
}

static void
test_cancel_silent_servers (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_hostile (OD_FAKE_SMTP_HOSTILE_BLACKHOLE, FALSE);

  warm_up ();
  g_assert_cmpint (cancel_many (od_fake_smtp_server_get_port (server), OD_SECURITY_STARTTLS,
                                24, 10000, 300, 24),
                   <=, CLOSE_MS);
}

static void
test_cancel_stalled_handshakes (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_hostile (OD_FAKE_SMTP_HOSTILE_STALL_HANDSHAKE, TRUE);

  warm_up ();
  g_assert_cmpint (cancel_many (od_fake_smtp_server_get_port (server), OD_SECURITY_TLS,
                                16, 10000, 500, 16),
                   <=, CLOSE_MS);
}

/* After a silent greeting's deadline each check opens a second connection to look for
 * implicit TLS: two sockets per check. */
static void
test_cancel_during_sniff (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_hostile (OD_FAKE_SMTP_HOSTILE_BLACKHOLE, FALSE);

  warm_up ();
  g_assert_cmpint (cancel_many (od_fake_smtp_server_get_port (server), OD_SECURITY_STARTTLS,
                                8, 300, 900, 16),
                   <=, CLOSE_MS);
}

static void
discovery_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Many *many = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OdCandidate) best = od_discovery_run_finish (OD_DISCOVERY (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    many->n_cancelled++;
  many->n_done++;
}

/* Discovery probes every guess (smtp., mail. and the bare domain on 465, 587 and 25) at once;
 * here all of them hang in connect. Cancelling closes them all. */
static void
test_cancel_discovery_probes (void)
{
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(GResolver) loopback = fake_resolver_new (FALSE);
  g_autoptr(GPtrArray) fillers = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) discoveries = g_ptr_array_new_with_free_func (g_object_unref);
  const guint16 ports[] = { 465, 587, 25 };
  Many many = { 0 };
  gint64 cancelled_at, closed_at = 0;
  guint16 port;
  guint baseline, open_before;
  const guint n = 4;

  warm_up ();
  listener = blackholed_listener (&port, &fillers);
  baseline = count_sockets_to (port);
  g_resolver_set_default (loopback);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *address = g_strdup_printf ("user@blackholed%u.example", i);
      OdDiscovery *discovery = od_discovery_new (address);

      od_discovery_set_sources (discovery, OD_SOURCE_FLAG_GUESS);
      od_discovery_set_connect_timeout (discovery, 10000);
      od_discovery_set_total_timeout (discovery, 20000);
      for (guint p = 0; p < G_N_ELEMENTS (ports); p++)
        od_discovery_map_port_for_testing (discovery, ports[p], port);
      od_discovery_run_async (discovery, cancellable, discovery_cb, &many);
      g_ptr_array_add (discoveries, discovery);
    }

  spin_for (500);
  g_assert_cmpuint (many.n_done, ==, 0);
  open_before = count_sockets_to (port) - baseline;
  g_assert_cmpuint (open_before, >=, n * 3);

  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  while (g_get_monotonic_time () - cancelled_at < 2 * G_USEC_PER_SEC)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (closed_at == 0 && count_sockets_to (port) == baseline)
        closed_at = g_get_monotonic_time ();
      if (closed_at != 0 && many.n_done == n)
        break;
      g_usleep (500);
    }
  g_resolver_set_default (previous);

  g_test_message ("%u discoveries, %u probe sockets open; all closed %" G_GINT64_FORMAT
                  " ms after cancel", n, open_before, (closed_at - cancelled_at) / 1000);
  g_assert_cmpuint (many.n_done, ==, n);
  g_assert_cmpuint (many.n_cancelled, ==, n);
  g_assert_cmpint (closed_at, !=, 0);
  g_assert_cmpint ((closed_at - cancelled_at) / 1000, <=, CLOSE_MS);
}

/* --- Deadlines --------------------------------------------------------------------------- */

#define STEP_MS 1000

/* A resolver for tests: either it never answers (until cancelled), or every name is
 * 127.0.0.1 and there are no SRV or MX records. */
typedef struct
{
  GResolver parent_instance;
  gboolean  stall;
} FakeResolver;

typedef struct
{
  GResolverClass parent_class;
} FakeResolverClass;

static GType fake_resolver_get_type (void);
G_DEFINE_TYPE (FakeResolver, fake_resolver, G_TYPE_RESOLVER)

static gboolean
stall_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  g_task_return_error_if_cancelled (G_TASK (user_data));
  return G_SOURCE_REMOVE;
}

static void
fake_lookup_by_name_async (GResolver           *resolver,
                           const char          *hostname,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (resolver, cancellable, callback, user_data);
  g_autoptr(GSource) source = NULL;

  if (!((FakeResolver *)resolver)->stall)
    {
      GList *addresses = g_list_append (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));

      g_task_return_pointer (task, addresses, (GDestroyNotify)g_resolver_free_addresses);
      g_object_unref (task);
      return;
    }

  g_assert_nonnull (cancellable);
  /* The source holds the task until the cancellable fires, then goes away with it. */
  source = g_cancellable_source_new (cancellable);
  g_source_set_callback (source, G_SOURCE_FUNC (stall_cancelled_cb), task, g_object_unref);
  g_source_attach (source, g_main_context_get_thread_default ());
}

static GList *
fake_lookup_by_name_finish (GResolver     *resolver,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
fake_lookup_records_async (GResolver           *resolver,
                           const char          *rrname,
                           GResolverRecordType  record_type,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_task_report_new_error (resolver, callback, user_data, fake_lookup_records_async,
                           G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "No records for %s",
                           rrname);
}

static GList *
fake_lookup_records_finish (GResolver     *resolver,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
fake_resolver_class_init (FakeResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name_async = fake_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = fake_lookup_by_name_finish;
  resolver_class->lookup_records_async = fake_lookup_records_async;
  resolver_class->lookup_records_finish = fake_lookup_records_finish;
}

static void
fake_resolver_init (FakeResolver *self)
{
}

static GResolver *
fake_resolver_new (gboolean stall)
{
  FakeResolver *resolver = g_object_new (fake_resolver_get_type (), NULL);

  resolver->stall = stall;
  return G_RESOLVER (resolver);
}

typedef struct
{
  const char *path;
  const char *command;        /* the fake server stays silent after this command */
  const char *problem_id;
  const char *step_id;
  guint       step_ms;
  guint       deadline_ms;    /* of the failing step */
  gboolean    send_test;
} Deadline;

static OdCheck *
run_one (const char *host,
         guint16     port,
         OdSecurity  security,
         guint       step_ms,
         guint       total_ms,
         gboolean    send_test)
{
  OdCheck *check = od_check_new (USER, host, port, security);
  Many many = { 0 };

  od_check_set_password (check, PASSWORD);
  od_check_set_step_timeout (check, step_ms);
  od_check_set_total_timeout (check, total_ms);
  od_check_set_send_test (check, send_test);
  od_check_set_ca_file (check, od_test_certs_get_ca_file (certs));
  od_check_run_async (check, NULL, many_cb, &many);
  while (many.n_done == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (many.n_cancelled, ==, 0);

  return check;
}

static void
assert_failed_in_time (OdCheck    *check,
                       const char *problem_id,
                       const char *step_id,
                       guint       deadline_ms)
{
  g_autoptr(GPtrArray) problems = od_checklist_get_problems (od_check_get_checklist (check));
  OdCheckStep *step = od_checklist_get_step (od_check_get_checklist (check), step_id);
  gint64 step_ms = od_check_step_get_elapsed_ms (step);

  g_test_message ("%s after %" G_GINT64_FORMAT " ms (deadline %u ms, check %" G_GINT64_FORMAT
                  " ms)", problem_id, step_ms, deadline_ms, od_check_get_elapsed_ms (check));

  g_assert_cmpuint (problems->len, >=, 1);
  g_assert_cmpstr (od_problem_get_id (g_ptr_array_index (problems, 0)), ==, problem_id);
  g_assert_cmpstr (od_problem_get_step_id (g_ptr_array_index (problems, 0)), ==, step_id);
  g_assert_cmpint (step_ms, >=, deadline_ms * 0.95);
  g_assert_cmpint (step_ms, <=, deadline_ms * MARGIN);
}

static void
test_deadline_command (gconstpointer data)
{
  const Deadline *d = data;
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, OD_TEST_CERT_GOOD, NULL);
  g_autoptr(OdCheck) check = NULL;

  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_credentials (server, USER, PASSWORD);
  od_fake_smtp_server_set_reply (server, d->command, OD_FAKE_SMTP_REPLY_SILENT);
  g_assert_true (od_fake_smtp_server_start (server, NULL));

  check = run_one ("127.0.0.1", od_fake_smtp_server_get_port (server), OD_SECURITY_STARTTLS,
                   d->step_ms, 0, d->send_test);
  assert_failed_in_time (check, d->problem_id, d->step_id, d->deadline_ms);
}

static const Deadline deadlines[] = {
  { "/od/deadline/auth", "AUTH", "server-timeout", "auth", STEP_MS, STEP_MS },
  { "/od/deadline/sender", "MAIL", "server-timeout", "sender", STEP_MS, STEP_MS },
  { "/od/deadline/recipient", "RCPT", "server-timeout", "recipient", STEP_MS, STEP_MS },
  { "/od/deadline/data", "DATA", "server-timeout", "data", STEP_MS, STEP_MS, TRUE },
  /* RFC 5321 §4.5.3.2.6: four times the step's deadline after the final dot. */
  { "/od/deadline/data-end", "DATA-END", "server-timeout", "data", 500, 4 * 500, TRUE },
};

static void
test_deadline_dns (void)
{
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(GResolver) stall = fake_resolver_new (TRUE);
  g_autoptr(OdCheck) check = NULL;

  g_resolver_set_default (stall);
  check = run_one ("smtp.stalled.example", 587, OD_SECURITY_STARTTLS, STEP_MS, 0, FALSE);
  g_resolver_set_default (previous);

  assert_failed_in_time (check, "dns-failure", "dns", STEP_MS);
}

static void
test_deadline_connect (void)
{
  g_autoptr(GPtrArray) fillers = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(OdCheck) check = NULL;
  guint16 port;

  listener = blackholed_listener (&port, &fillers);
  check = run_one ("127.0.0.1", port, OD_SECURITY_STARTTLS, STEP_MS, 0, FALSE);
  assert_failed_in_time (check, "port-blocked", "connect", STEP_MS);
}

/* --timeout bounds the whole run, whatever the step deadlines. */
static void
test_deadline_total (void)
{
  g_autoptr(OdFakeSmtpServer) server = start_hostile (OD_FAKE_SMTP_HOSTILE_BLACKHOLE, FALSE);
  g_autoptr(OdCheck) check = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  check = run_one ("127.0.0.1", od_fake_smtp_server_get_port (server), OD_SECURITY_STARTTLS,
                   30000, 2500, FALSE);
  problems = od_checklist_get_problems (od_check_get_checklist (check));

  g_test_message ("whole run %" G_GINT64_FORMAT " ms, limit 2500 ms",
                  od_check_get_elapsed_ms (check));
  g_assert_cmpuint (problems->len, >=, 1);
  g_assert_cmpstr (od_problem_get_id (g_ptr_array_index (problems, 0)), ==, "server-timeout");
  g_assert_cmpint (od_check_get_elapsed_ms (check), >=, 2500 * 0.95);
  g_assert_cmpint (od_check_get_elapsed_ms (check), <=, 2500 * MARGIN);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/od/cancel/blackholed-connects", test_cancel_blackholed_connects);
  g_test_add_func ("/od/cancel/silent-servers", test_cancel_silent_servers);
  g_test_add_func ("/od/cancel/stalled-handshakes", test_cancel_stalled_handshakes);
  g_test_add_func ("/od/cancel/during-sniff", test_cancel_during_sniff);
  g_test_add_func ("/od/cancel/discovery-probes", test_cancel_discovery_probes);

  g_test_add_func ("/od/deadline/dns", test_deadline_dns);
  g_test_add_func ("/od/deadline/connect", test_deadline_connect);
  for (guint i = 0; i < G_N_ELEMENTS (deadlines); i++)
    g_test_add_data_func (deadlines[i].path, &deadlines[i], test_deadline_command);
  g_test_add_func ("/od/deadline/total", test_deadline_total);

  ret = g_test_run ();
  od_test_certs_free (certs);

  return ret;
}
