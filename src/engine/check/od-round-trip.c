/* od-round-trip.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-round-trip"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-diagnosis.h"
#include "od-round-trip-private.h"
#include "od-text.h"

/* The round trip (issue 14): after the outgoing server accepted the test message, did it
 * arrive? It logs in to the incoming server (IMAP or POP3, through the connector, with TLS
 * or STARTTLS: never a password in plain text), looks for the message by its Message-ID in
 * INBOX and, over IMAP, in the spam folder, waits for it (IDLE where offered, else polling)
 * up to a limit, and reads what the receiving server wrote into its header
 * (Authentication-Results, through GMime). It deletes the message only when asked.
 *
 * This file holds the object, the connection, the waiting and the result;
 * od-round-trip-imap.c and od-round-trip-pop3.c do the looking. */

G_DEFINE_FINAL_TYPE (OdRoundTrip, od_round_trip, G_TYPE_OBJECT)

static G_DEFINE_QUARK (od-round-trip-error-quark, od_round_trip_error)

static void
od_round_trip_finalize (GObject *object)
{
  OdRoundTrip *self = (OdRoundTrip *)object;

  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->message_id, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->pins, g_strfreev);
  g_clear_pointer (&self->trusted_authserv_id, g_free);
  g_clear_object (&self->transcript);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->connect);
  g_clear_object (&self->imap);
  g_clear_object (&self->pop3);
  g_clear_pointer (&self->junk_folder, g_free);
  g_clear_pointer (&self->uids, g_array_unref);
  g_clear_pointer (&self->seen, g_hash_table_unref);
  g_clear_pointer (&self->folder, g_free);
  g_clear_pointer (&self->auth_results, od_auth_results_free);
  g_clear_pointer (&self->explanations, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);

  G_OBJECT_CLASS (od_round_trip_parent_class)->finalize (object);
}

static void
od_round_trip_class_init (OdRoundTripClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = od_round_trip_finalize;
}

static void
od_round_trip_init (OdRoundTrip *self)
{
  self->wait_ms = OD_ROUND_TRIP_DEFAULT_WAIT_MS;
  self->poll_ms = OD_ROUND_TRIP_DEFAULT_POLL_MS;
  self->timeout_ms = OD_ROUND_TRIP_DEFAULT_TIMEOUT_MS;
  self->explanations = g_ptr_array_new_with_free_func (g_free);
  self->problems = g_ptr_array_new_with_free_func (g_object_unref);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * od_round_trip_new:
 * @protocol: %OD_PROTOCOL_IMAP or %OD_PROTOCOL_POP3
 * @security: how the incoming server is encrypted; %OD_SECURITY_NONE makes the run fail
 *   before the password is sent
 * @password: kept in memory only, and wiped when the round trip is freed
 * @message_id: the test message's Message-ID, with or without its angle brackets
 * @transcript: (nullable): where the conversation is recorded (the password redacted)
 *
 * Returns: (transfer full): a round trip; nothing happens before od_round_trip_run_async()
 */
OdRoundTrip *
od_round_trip_new (OdProtocol    protocol,
                   const char   *host,
                   guint16       port,
                   OdSecurity    security,
                   const char   *username,
                   const char   *password,
                   const char   *message_id,
                   OdTranscript *transcript)
{
  OdRoundTrip *self;

  g_return_val_if_fail (od_protocol_is_incoming (protocol), NULL);
  g_return_val_if_fail (host != NULL && username != NULL && password != NULL, NULL);
  g_return_val_if_fail (message_id != NULL && message_id[0] != '\0', NULL);

  self = g_object_new (OD_TYPE_ROUND_TRIP, NULL);
  self->protocol = protocol;
  self->host = g_strdup (host);
  self->port = port;
  self->security = security;
  self->username = g_strdup (username);
  self->password = g_strdup (password);
  self->message_id = message_id[0] == '<' ? g_strdup (message_id)
                                          : g_strdup_printf ("<%s>", message_id);
  self->transcript = transcript ? g_object_ref (transcript) : od_transcript_new ();
  od_transcript_add_secret (self->transcript, password);

  return self;
}

void
od_round_trip_set_ca_file (OdRoundTrip *self,
                           const char  *ca_file)
{
  g_return_if_fail (OD_IS_ROUND_TRIP (self));
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

void
od_round_trip_set_pinned_fingerprints (OdRoundTrip        *self,
                                       const char * const *fingerprints)
{
  g_return_if_fail (OD_IS_ROUND_TRIP (self));
  g_strfreev (self->pins);
  self->pins = g_strdupv ((char **)fingerprints);
}

/**
 * od_round_trip_set_wait:
 * @wait_ms: how long to wait for the message (%OD_ROUND_TRIP_DEFAULT_WAIT_MS)
 */
void
od_round_trip_set_wait (OdRoundTrip *self,
                        guint        wait_ms)
{
  g_return_if_fail (OD_IS_ROUND_TRIP (self));
  self->wait_ms = wait_ms;
}

/**
 * od_round_trip_set_poll_interval:
 * @poll_ms: how often to look again where IDLE is not offered, and over POP3
 */
void
od_round_trip_set_poll_interval (OdRoundTrip *self,
                                 guint        poll_ms)
{
  g_return_if_fail (OD_IS_ROUND_TRIP (self));
  g_return_if_fail (poll_ms > 0);
  self->poll_ms = poll_ms;
}

/**
 * od_round_trip_set_timeout:
 * @timeout_ms: the deadline of each network operation (connecting, each command)
 */
void
od_round_trip_set_timeout (OdRoundTrip *self,
                           guint        timeout_ms)
{
  g_return_if_fail (OD_IS_ROUND_TRIP (self));
  g_return_if_fail (timeout_ms > 0);
  self->timeout_ms = timeout_ms;
}

/**
 * od_round_trip_set_delete:
 * @delete_after: delete the test message once found (--round-trip-delete); off by default
 */
void
od_round_trip_set_delete (OdRoundTrip *self,
                          gboolean     delete_after)
{
  g_return_if_fail (OD_IS_ROUND_TRIP (self));
  self->delete_after = !!delete_after;
}

/**
 * od_round_trip_set_token:
 * @token: whether the password given to od_round_trip_new() is an OAuth access token: the
 *   login is then AUTHENTICATE (IMAP) or AUTH (POP3) XOAUTH2 or OAUTHBEARER
 */
void
od_round_trip_set_token (OdRoundTrip *self,
                         gboolean     token)
{
  g_return_if_fail (OD_IS_ROUND_TRIP (self));
  self->token = !!token;
}

/**
 * od_round_trip_set_accepted_at:
 * @monotonic_us: g_get_monotonic_time() when the outgoing server accepted the message:
 *   the elapsed time is counted from there (by default from the start of the run)
 */
void
od_round_trip_set_accepted_at (OdRoundTrip *self,
                               gint64       monotonic_us)
{
  g_return_if_fail (OD_IS_ROUND_TRIP (self));
  self->accepted_us = monotonic_us;
}

/**
 * od_round_trip_set_trusted_authserv_id:
 * @authserv_id: (nullable): the receiving server's authserv-id, if known; otherwise the
 *   topmost Authentication-Results header names it
 */
void
od_round_trip_set_trusted_authserv_id (OdRoundTrip *self,
                                       const char  *authserv_id)
{
  g_return_if_fail (OD_IS_ROUND_TRIP (self));
  g_free (self->trusted_authserv_id);
  self->trusted_authserv_id = g_strdup (authserv_id);
}

/* How long the wait for the message has left (never below 0). */
gint64
od_round_trip_remaining_ms (OdRoundTrip *self)
{
  gint64 spent_ms = (g_get_monotonic_time () - self->started_us) / 1000;

  return MAX (0, (gint64)self->wait_ms - spent_ms);
}

GError *
od_round_trip_plaintext_error (void)
{
  return g_error_new_literal (od_round_trip_error_quark (), 0,
                              _("The incoming server is not encrypted: Outbox Doctor does not "
                                "send the password over it"));
}

static void
add_problem (OdRoundTrip   *self,
             OdProblemKind  kind,
             const char    *summary,
             const char    *server_reply)
{
  const OdCatalogEntry *entry = od_catalog_get (kind);

  g_ptr_array_add (self->problems,
                   od_problem_new (kind, OD_STEP_DELIVERY, entry->severity,
                                   summary != NULL ? summary : _(entry->summary),
                                   _(entry->remedy), server_reply));
}

/* Broken, oversized or endless answers of the incoming server. */
static gboolean
is_protocol_error (const GError *error)
{
  if (error->domain == OD_IMAP_ERROR)
    return error->code == OD_IMAP_ERROR_MALFORMED_RESPONSE ||
           error->code == OD_IMAP_ERROR_LINE_TOO_LONG ||
           error->code == OD_IMAP_ERROR_LITERAL_TOO_LARGE ||
           error->code == OD_IMAP_ERROR_TOO_MANY_RESPONSES ||
           error->code == OD_IMAP_ERROR_BAD;
  if (error->domain == OD_POP3_ERROR)
    return error->code == OD_POP3_ERROR_MALFORMED_RESPONSE ||
           error->code == OD_POP3_ERROR_LINE_TOO_LONG ||
           error->code == OD_POP3_ERROR_TOO_MANY_LINES;
  return FALSE;
}

static void
problem_from_error (OdRoundTrip  *self,
                    const GError *error)
{
  OdDiagnosisContext context = { 0 };

  context.host = self->host;
  context.port = self->port;
  context.security = self->security;
  context.username = self->username;

  if (error->domain == od_round_trip_error_quark () ||
      g_error_matches (error, OD_POP3_ERROR, OD_POP3_ERROR_PLAINTEXT_REFUSED))
    add_problem (self, OD_PROBLEM_AUTH_PLAINTEXT_REFUSED, NULL, NULL);
  else if (g_error_matches (error, OD_IMAP_ERROR, OD_IMAP_ERROR_AUTHENTICATION_FAILED) ||
           g_error_matches (error, OD_POP3_ERROR, OD_POP3_ERROR_AUTH))
    add_problem (self, OD_PROBLEM_AUTH_FAILED, NULL, error->message);
  else if (is_protocol_error (error))
    add_problem (self, OD_PROBLEM_PROTOCOL_ERROR, NULL, error->message);
  else
    g_ptr_array_add (self->problems, od_diagnosis_from_error (OD_STEP_DELIVERY, error,
                                                              &context));
}

static void
add_verdict_problems (OdRoundTrip *self)
{
  static const OdProblemKind kinds[OD_N_AUTH_METHODS] = {
    [OD_AUTH_METHOD_SPF] = OD_PROBLEM_AUTH_RESULTS_SPF_FAIL,
    [OD_AUTH_METHOD_DKIM] = OD_PROBLEM_AUTH_RESULTS_DKIM_FAIL,
    [OD_AUTH_METHOD_DMARC] = OD_PROBLEM_AUTH_RESULTS_DMARC_FAIL,
  };

  if (self->delivery == OD_DELIVERY_JUNK)
    add_problem (self, OD_PROBLEM_ROUND_TRIP_JUNK, NULL, NULL);
  else if (self->delivery == OD_DELIVERY_NOT_FOUND)
    add_problem (self, OD_PROBLEM_ROUND_TRIP_NOT_FOUND, NULL, NULL);

  for (guint m = 0; self->auth_results != NULL && m < OD_N_AUTH_METHODS; m++)
    {
      char *line = od_auth_results_explain (self->auth_results, m);

      if (line == NULL)
        continue;
      add_problem (self, kinds[m], line, NULL);
      g_ptr_array_add (self->explanations, line);
    }
}

/* Ends the run: @error (taken) when the mailbox could not be looked at. Closes whatever is
 * still open; a polite LOGOUT or QUIT was sent before, where there was one to send. */
void
od_round_trip_return (OdRoundTrip *self,
                      GError      *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (self->imap != NULL)
    od_imap_session_close (self->imap);
  if (self->pop3 != NULL)
    od_pop3_session_close (self->pop3);
  if (self->connect != NULL)
    od_connect_close (self->connect);

  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        problem_from_error (self, error);
      g_task_return_error (task, error);
      return;
    }

  if (self->delivery == OD_DELIVERY_NOT_FOUND)
    self->elapsed_ms = (g_get_monotonic_time () - self->accepted_us) / 1000;
  add_verdict_problems (self);
  g_task_return_boolean (task, TRUE);
}

/**
 * od_round_trip_found:
 * @header: the message's header as the server sent it
 *
 * Records where the message is, when it was found, and the verdicts in its header.
 *
 * Returns: %FALSE when @header is not the test message's after all
 */
gboolean
od_round_trip_found (OdRoundTrip *self,
                     OdDelivery   where,
                     const char  *folder,
                     GBytes      *header)
{
  g_autofree char *message_id = NULL;
  g_autofree char *wanted = g_strndup (self->message_id + 1, strlen (self->message_id) - 2);
  g_autoptr(GPtrArray) values = NULL;

  if (!od_mail_header_parse (header, &message_id, &values, NULL) ||
      g_strcmp0 (message_id, wanted) != 0)
    return FALSE;

  self->delivery = where;
  g_free (self->folder);
  self->folder = g_strdup (folder);
  self->elapsed_ms = (g_get_monotonic_time () - self->accepted_us) / 1000;
  g_clear_pointer (&self->auth_results, od_auth_results_free);
  self->auth_results = od_auth_results_choose (values, self->trusted_authserv_id);
  return TRUE;
}

static void
sleep_done (GTask *task)
{
  GSource *timeout = g_object_get_data (G_OBJECT (task), "od-timeout");
  GSource *cancelled = g_object_get_data (G_OBJECT (task), "od-cancelled");

  if (timeout != NULL)
    g_source_destroy (timeout);
  if (cancelled != NULL)
    g_source_destroy (cancelled);
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static gboolean
sleep_timeout_cb (gpointer user_data)
{
  sleep_done (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
sleep_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  sleep_done (user_data);
  return G_SOURCE_REMOVE;
}

/* Waits @ms, or until the run is cancelled. */
void
od_round_trip_sleep_async (OdRoundTrip         *self,
                           guint                ms,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (self, self->cancellable, callback, user_data);
  g_autoptr(GSource) timeout = g_timeout_source_new (ms);

  g_source_set_callback (timeout, sleep_timeout_cb, task, NULL);
  g_source_attach (timeout, g_main_context_get_thread_default ());
  g_object_set_data_full (G_OBJECT (task), "od-timeout", g_source_ref (timeout),
                          (GDestroyNotify)g_source_unref);

  if (self->cancellable != NULL)
    {
      g_autoptr(GSource) cancelled = g_cancellable_source_new (self->cancellable);

      g_source_set_callback (cancelled, G_SOURCE_FUNC (sleep_cancelled_cb), task, NULL);
      g_source_attach (cancelled, g_main_context_get_thread_default ());
      g_object_set_data_full (G_OBJECT (task), "od-cancelled", g_source_ref (cancelled),
                              (GDestroyNotify)g_source_unref);
    }
}

gboolean
od_round_trip_sleep_finish (OdRoundTrip   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!od_connect_handshake_finish (OD_CONNECT (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OdRoundTrip *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!od_connect_connect_finish (OD_CONNECT (object), result, &error))
    g_task_return_error (task, error);
  else if (self->security == OD_SECURITY_TLS)
    od_connect_handshake_async (self->connect, self->timeout_ms, self->cancellable,
                                handshake_cb, g_steal_pointer (&task));
  else
    g_task_return_boolean (task, TRUE);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OdRoundTrip *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!od_connect_lookup_finish (OD_CONNECT (object), result, &error))
    g_task_return_error (task, error);
  else
    od_connect_connect_async (self->connect, self->timeout_ms, self->cancellable,
                              connected_cb, g_steal_pointer (&task));
}

/* A new connection to the incoming server (POP3 makes one each round): looked up,
 * connected and, for implicit TLS, encrypted; then od_connect_get_stream(). */
void
od_round_trip_connect_async (OdRoundTrip         *self,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (self, self->cancellable, callback, user_data);
  OdTlsClient *tls;

  if (self->connect != NULL)
    od_connect_close (self->connect);
  g_clear_object (&self->connect);
  self->connect = od_connect_new (self->host, self->port, self->transcript);
  tls = od_connect_get_tls_client (self->connect);
  if (self->ca_file != NULL)
    od_tls_client_set_ca_file (tls, self->ca_file);
  if (self->pins != NULL)
    od_tls_client_set_pinned_fingerprints (tls, (const char * const *)self->pins);

  od_connect_lookup_async (self->connect, self->timeout_ms, self->cancellable, lookup_cb, task);
}

gboolean
od_round_trip_connect_finish (OdRoundTrip   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * od_round_trip_run_async:
 * @cancellable: (nullable): ends the run (the whole check's --timeout, Ctrl+C)
 *
 * Looks for the message until it is found or the wait is over. A run that could look
 * succeeds whether or not the message was there (od_round_trip_get_delivery()); one that
 * could not (no connection, a refused login) fails with the error and a problem.
 */
void
od_round_trip_run_async (OdRoundTrip         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (OD_IS_ROUND_TRIP (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, od_round_trip_run_async);
  g_set_object (&self->cancellable, cancellable);
  self->started_us = g_get_monotonic_time ();
  if (self->accepted_us == 0)
    self->accepted_us = self->started_us;

  if (self->protocol == OD_PROTOCOL_POP3)
    od_round_trip_pop3_start (self);
  else
    od_round_trip_imap_start (self);
}

gboolean
od_round_trip_run_finish (OdRoundTrip   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (OD_IS_ROUND_TRIP (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

OdDelivery
od_round_trip_get_delivery (OdRoundTrip *self)
{
  g_return_val_if_fail (OD_IS_ROUND_TRIP (self), OD_DELIVERY_NOT_FOUND);
  return self->delivery;
}

/**
 * od_round_trip_get_folder:
 *
 * Returns: (nullable): the folder the message was found in ("INBOX", "Junk", …)
 */
const char *
od_round_trip_get_folder (OdRoundTrip *self)
{
  g_return_val_if_fail (OD_IS_ROUND_TRIP (self), NULL);
  return self->folder;
}

/**
 * od_round_trip_get_elapsed_ms:
 *
 * Returns: from the acceptance of the message until it was found (or until the search
 *   gave up)
 */
gint64
od_round_trip_get_elapsed_ms (OdRoundTrip *self)
{
  g_return_val_if_fail (OD_IS_ROUND_TRIP (self), 0);
  return self->elapsed_ms;
}

/**
 * od_round_trip_get_auth_results:
 *
 * Returns: (nullable): the receiving server's verdicts, once the message was found
 */
const OdAuthResults *
od_round_trip_get_auth_results (OdRoundTrip *self)
{
  g_return_val_if_fail (OD_IS_ROUND_TRIP (self), NULL);
  return self->auth_results;
}

gboolean
od_round_trip_get_deleted (OdRoundTrip *self)
{
  g_return_val_if_fail (OD_IS_ROUND_TRIP (self), FALSE);
  return self->deleted;
}

/**
 * od_round_trip_get_junk_visible:
 *
 * Returns: whether a spam folder was looked at (never over POP3, which sees INBOX only)
 */
gboolean
od_round_trip_get_junk_visible (OdRoundTrip *self)
{
  g_return_val_if_fail (OD_IS_ROUND_TRIP (self), FALSE);
  return self->looked_in_junk;
}

/**
 * od_round_trip_get_explanations:
 *
 * Returns: (transfer none) (element-type utf8): a translated sentence for each SPF, DKIM or
 *   DMARC failure
 */
GPtrArray *
od_round_trip_get_explanations (OdRoundTrip *self)
{
  g_return_val_if_fail (OD_IS_ROUND_TRIP (self), NULL);
  return self->explanations;
}

/**
 * od_round_trip_get_problems:
 *
 * Returns: (transfer none) (element-type OdProblem): the problems of the `delivery` step:
 *   not found, in the spam folder, a failed SPF/DKIM/DMARC, or why the mailbox could not
 *   be looked at
 */
GPtrArray *
od_round_trip_get_problems (OdRoundTrip *self)
{
  g_return_val_if_fail (OD_IS_ROUND_TRIP (self), NULL);
  return self->problems;
}

/**
 * od_round_trip_get_summary:
 *
 * Returns: (transfer full): one translated sentence for the `delivery` step's detail
 */
char *
od_round_trip_get_summary (OdRoundTrip *self)
{
  double seconds = self->elapsed_ms / 1000.0;

  g_return_val_if_fail (OD_IS_ROUND_TRIP (self), NULL);

  switch (self->delivery)
    {
    case OD_DELIVERY_INBOX:
      /* Translators: %.1f is a number of seconds */
      return g_strdup_printf (_("The test message arrived in the inbox after %.1f s."),
                              seconds);
    case OD_DELIVERY_JUNK:
      {
        g_autofree char *folder = od_text_sanitize (self->folder, -1, OD_TEXT_SINGLE_LINE);

        /* Translators: %s is a folder name, %.1f a number of seconds */
        return g_strdup_printf (_("The test message arrived in the spam folder “%s” after "
                                  "%.1f s."), folder, seconds);
      }
    case OD_DELIVERY_NOT_FOUND:
    default:
      if (self->protocol == OD_PROTOCOL_POP3)
        /* Translators: %.0f is a number of seconds */
        return g_strdup_printf (_("The test message was not in the inbox after %.0f s. "
                                  "POP3 shows only the inbox: look into the spam folder "
                                  "with your mail program."), seconds);
      /* Translators: %.0f is a number of seconds */
      return g_strdup_printf (_("The test message was neither in the inbox nor in a spam "
                                "folder after %.0f s."), seconds);
    }
}

const char *
od_delivery_to_string (OdDelivery delivery)
{
  switch (delivery)
    {
    case OD_DELIVERY_INBOX:
      return "inbox";
    case OD_DELIVERY_JUNK:
      return "junk";
    case OD_DELIVERY_NOT_FOUND:
    default:
      return "not-found";
    }
}

/**
 * od_round_trip_to_json:
 *
 * Returns: (transfer full): the `delivery` object of the check's JSON (docs/json.md)
 */
JsonNode *
od_round_trip_to_json (OdRoundTrip *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (OD_IS_ROUND_TRIP (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "where");
  json_builder_add_string_value (builder, od_delivery_to_string (self->delivery));
  json_builder_set_member_name (builder, "folder");
  if (self->folder != NULL)
    {
      g_autofree char *clean = od_text_sanitize (self->folder, -1, OD_TEXT_SINGLE_LINE);

      json_builder_add_string_value (builder, clean);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "elapsed_ms");
  json_builder_add_int_value (builder, self->elapsed_ms);
  json_builder_set_member_name (builder, "protocol");
  json_builder_add_string_value (builder, od_protocol_to_string (self->protocol));
  json_builder_set_member_name (builder, "junk_checked");
  json_builder_add_boolean_value (builder, self->looked_in_junk);
  json_builder_set_member_name (builder, "deleted");
  json_builder_add_boolean_value (builder, self->deleted);
  json_builder_set_member_name (builder, "authentication_results");
  if (self->auth_results != NULL && self->auth_results->authserv_id != NULL)
    json_builder_add_value (builder, od_auth_results_to_json (self->auth_results));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
