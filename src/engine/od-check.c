/* od-check.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-check"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-check.h"
#include "od-diagnosis.h"
#include "od-smtp-session.h"
#include "od-text.h"

#define CONNECT_TIMEOUT_MS   15000
#define SNIFF_TIMEOUT_MS     3000
#define QUIT_TIMEOUT_MS      2000
#define MAX_ADDRESSES        4

/* Runs the checklist: the whole path a message takes from this computer to the server, one
 * step after another, stopping at the first failure and explaining it. */
struct _OdCheck
{
  GObject             parent_instance;

  /* Settings */
  char               *address;
  char               *host;
  char               *username;
  char               *password;
  char               *recipient;
  char               *ca_file;
  char              **pinned;
  guint16             port;
  OdSecurity          security;
  guint               step_timeout_ms;
  guint               total_timeout_ms;
  guint               send_test : 1;

  /* Results */
  OdChecklist        *checklist;
  OdTranscript       *transcript;
  OdTlsInfo          *tls_info;
  OdSmtpCapabilities *capabilities_before_tls;
  gint64              started_us;
  gint64              elapsed_ms;

  /* Run state */
  GTask              *task;
  GCancellable       *cancellable;     /* cancelled by the caller's or by the total deadline */
  GCancellable       *parent;
  gulong              parent_handler;
  GSource            *total_deadline;
  GSource            *step_deadline;
  GCancellable       *step_cancellable; /* DNS and connect: cancelled by their deadline too */
  GList              *addresses;
  GList              *next_address;
  GError             *connect_error;
  GSocketConnection  *connection;
  OdSmtpSession      *session;
  GInetSocketAddress *remote;
  char               *client_name;
  gboolean            network_available;
  GNetworkConnectivity connectivity;
  gboolean            total_timed_out;
  gboolean            step_timed_out;
  gboolean            running;
};

G_DEFINE_FINAL_TYPE (OdCheck, od_check, G_TYPE_OBJECT)

static void greeting (OdCheck *self);
static void ehlo (OdCheck *self);
static void authenticate (OdCheck *self);
static void mail_from (OdCheck *self);
static void connect_next (OdCheck *self);
static void starttls (OdCheck *self);
static void sniff (OdCheck *self, const char *step_id, gboolean try_tls, const GError *error);

static OdCheckStep *
step (OdCheck    *self,
      const char *id)
{
  return od_checklist_get_step (self->checklist, id);
}

static void
diagnosis_context (OdCheck            *self,
                   OdDiagnosisContext *ctx)
{
  memset (ctx, 0, sizeof *ctx);
  ctx->host = self->host;
  ctx->port = self->port;
  ctx->security = self->security;
  ctx->username = self->username;
  ctx->address = self->address;
  ctx->tls_errors = self->session ? od_smtp_session_get_tls_errors (self->session) : 0;
  ctx->network_available = self->network_available;
  ctx->connectivity = self->connectivity;
}

static void
clear_step_deadline (OdCheck *self)
{
  if (self->step_deadline != NULL)
    {
      g_source_destroy (self->step_deadline);
      g_clear_pointer (&self->step_deadline, g_source_unref);
    }
}

static void
cancel_step_cb (GCancellable *run,
                gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
stop_run (OdCheck *self)
{
  clear_step_deadline (self);

  if (self->total_deadline != NULL)
    {
      g_source_destroy (self->total_deadline);
      g_clear_pointer (&self->total_deadline, g_source_unref);
    }

  if (self->parent_handler != 0)
    {
      g_cancellable_disconnect (self->parent, self->parent_handler);
      self->parent_handler = 0;
    }

  if (self->session != NULL)
    od_smtp_session_close (self->session);
  else if (self->connection != NULL)
    g_io_stream_close_async (G_IO_STREAM (self->connection), G_PRIORITY_DEFAULT,
                             NULL, NULL, NULL);
}

static void
complete (OdCheck *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->checklist));

  stop_run (self);
  self->running = FALSE;
  self->elapsed_ms = (g_get_monotonic_time () - self->started_us) / 1000;

  /* Steps after the failure were never reached. */
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(OdCheckStep) s = g_list_model_get_item (G_LIST_MODEL (self->checklist), i);
      OdStepState state = od_check_step_get_state (s);

      if (state == OD_STEP_STATE_PENDING || state == OD_STEP_STATE_RUNNING)
        od_check_step_finish (s, OD_STEP_STATE_SKIP,
                              state == OD_STEP_STATE_RUNNING ? NULL :
                              _("Not checked because an earlier step failed."),
                              NULL);
    }

  if (g_cancellable_is_cancelled (self->parent) && !self->total_timed_out)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The check was cancelled");
      return;
    }

  g_task_return_int (task, od_checklist_get_verdict (self->checklist));
}

static void
quit_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdSmtpReply) reply = NULL;

  reply = od_smtp_session_reply_finish (OD_SMTP_SESSION (object), result, NULL);
  complete (self);
}

/* Says goodbye politely when the conversation is still in a sane state, then completes. */
static void
finish_run (OdCheck  *self,
            gboolean  send_quit)
{
  clear_step_deadline (self);

  if (send_quit && self->session != NULL && !g_cancellable_is_cancelled (self->cancellable))
    {
      od_smtp_session_set_timeout (self->session, QUIT_TIMEOUT_MS);
      od_smtp_session_command_async (self->session, "QUIT", self->cancellable,
                                     quit_cb, g_object_ref (self));
      return;
    }

  complete (self);
}

/* What a step shows may hold the server's words: replies, names from its certificate, error
 * messages that quote them. A server may also echo the credentials it was sent (or the
 * base64 of the AUTH PLAIN blob), so everything is sanitized, then redacted through the
 * transcript, which knows the secrets, before a step or problem keeps it. */
static char *
clean_text (OdCheck    *self,
            const char *text)
{
  g_autofree char *sanitized = NULL;
  char *redacted;

  if (text == NULL)
    return NULL;

  sanitized = od_text_sanitize (text, -1, OD_TEXT_KEEP_TAB | OD_TEXT_KEEP_NEWLINE);
  redacted = od_transcript_redact (self->transcript, sanitized);
  /* The server's words may have held a secret. */
  memset (sanitized, 0, strlen (sanitized));

  return redacted;
}

static OdProblem *
clean_problem (OdCheck   *self,
               OdProblem *problem)
{
  g_autofree char *summary = clean_text (self, od_problem_get_summary (problem));
  g_autofree char *remedy = clean_text (self, od_problem_get_remedy (problem));
  g_autofree char *server_reply = clean_text (self, od_problem_get_server_reply (problem));

  return od_problem_new (od_problem_get_id (problem), od_problem_get_step_id (problem),
                         od_problem_get_severity (problem), summary, remedy, server_reply);
}

/* Every step of the run ends here (or in fail_step()), so nothing reaches the checklist, the
 * JSON, the report or the window without clean_text(). */
static void
finish_step (OdCheck     *self,
             const char  *step_id,
             OdStepState  state,
             const char  *detail,
             OdProblem   *problem)
{
  g_autoptr(OdProblem) clean = problem ? clean_problem (self, problem) : NULL;
  g_autofree char *shown = clean_text (self, detail ? detail :
                                             clean ? od_problem_get_summary (clean) : NULL);

  od_check_step_finish (step (self, step_id), state, shown, clean);
}

static void
fail_step (OdCheck    *self,
           const char *step_id,
           OdProblem  *problem,
           const char *detail)
{
  finish_step (self, step_id, OD_STEP_STATE_FAIL, detail, problem);
}

static void
fail_with_error (OdCheck      *self,
                 const char   *step_id,
                 const GError *error)
{
  OdDiagnosisContext ctx;
  g_autoptr(OdProblem) problem = NULL;
  GError *shown = NULL;

  diagnosis_context (self, &ctx);

  /* The whole run's deadline cancels the operation under way: report it as a time-out. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      (self->total_timed_out || self->step_timed_out))
    {
      shown = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s",
                           _("The check ran out of time"));
      error = shown;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      finish_step (self, step_id, OD_STEP_STATE_SKIP, _("Cancelled."), NULL);
      g_clear_error (&shown);
      finish_run (self, FALSE);
      return;
    }

  problem = od_diagnosis_from_error (step_id, error, &ctx);
  fail_step (self, step_id, problem, NULL);
  g_clear_error (&shown);

  /* After a time-out or a broken stream the conversation is in no state for QUIT. */
  finish_run (self, FALSE);
}

static void
fail_with_reply (OdCheck     *self,
                 const char  *step_id,
                 OdSmtpReply *reply)
{
  OdDiagnosisContext ctx;
  g_autoptr(OdProblem) problem = NULL;
  guint code = od_smtp_reply_get_code (reply);

  diagnosis_context (self, &ctx);
  problem = od_diagnosis_from_reply (step_id, reply, &ctx);
  fail_step (self, step_id, problem, NULL);

  /* 421 means the server is closing the connection; anything else still deserves QUIT. */
  finish_run (self, code != 421);
}

static void
fail_with_problem_id (OdCheck    *self,
                      const char *step_id,
                      const char *problem_id,
                      const char *detail,
                      gboolean    send_quit)
{
  OdDiagnosisContext ctx;
  g_autoptr(OdProblem) problem = NULL;

  diagnosis_context (self, &ctx);
  problem = od_diagnosis_problem_new (problem_id, step_id, OD_SEVERITY_ERROR, &ctx, NULL);
  fail_step (self, step_id, problem, detail);
  finish_run (self, send_quit);
}

static gboolean
step_deadline_cb (gpointer user_data)
{
  OdCheck *self = user_data;

  self->step_timed_out = TRUE;
  g_clear_pointer (&self->step_deadline, g_source_unref);
  g_cancellable_cancel (self->step_cancellable);

  return G_SOURCE_REMOVE;
}

/* DNS and connect are not session operations; they get their deadline here, with a
 * cancellable of their own that the run's cancellable also cancels. */
static GCancellable *
arm_step_deadline (OdCheck *self,
                   guint    timeout_ms)
{
  clear_step_deadline (self);
  self->step_timed_out = FALSE;
  g_clear_object (&self->step_cancellable);
  self->step_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (cancel_step_cb),
                           self->step_cancellable, 0);
  if (g_cancellable_is_cancelled (self->cancellable))
    g_cancellable_cancel (self->step_cancellable);

  self->step_deadline = g_timeout_source_new (timeout_ms);
  g_source_set_callback (self->step_deadline, step_deadline_cb, self, NULL);
  g_source_set_name (self->step_deadline, "[od] check step deadline");
  g_source_attach (self->step_deadline, g_main_context_get_thread_default ());

  return self->step_cancellable;
}

static gboolean
total_deadline_cb (gpointer user_data)
{
  OdCheck *self = user_data;

  self->total_timed_out = TRUE;
  g_clear_pointer (&self->total_deadline, g_source_unref);
  g_cancellable_cancel (self->cancellable);

  return G_SOURCE_REMOVE;
}

static void
parent_cancelled_cb (GCancellable *parent,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* The network step: GNetworkMonitor is a hint, never a gate. It passes as soon as the server
 * answers, whatever the monitor said; only when connecting fails does the hint explain why. */
static void
finish_network_step (OdCheck      *self,
                     gboolean      reached,
                     const GError *error)
{
  OdCheckStep *network = step (self, OD_STEP_NETWORK);
  OdDiagnosisContext ctx;

  if (od_check_step_get_state (network) != OD_STEP_STATE_RUNNING)
    return;

  diagnosis_context (self, &ctx);

  if (reached)
    {
      if (!self->network_available || self->connectivity != G_NETWORK_CONNECTIVITY_FULL)
        finish_step (self, OD_STEP_NETWORK, OD_STEP_STATE_PASS,
                     _("The server could be reached, although this computer reports "
                       "limited or no network connectivity."), NULL);
      else
        finish_step (self, OD_STEP_NETWORK, OD_STEP_STATE_PASS,
                     _("This computer is connected to a network."), NULL);
      return;
    }

  if (!self->network_available || self->connectivity == G_NETWORK_CONNECTIVITY_LOCAL)
    {
      g_autoptr(OdProblem) problem =
        od_diagnosis_problem_new ("network-offline", OD_STEP_NETWORK, OD_SEVERITY_ERROR,
                                  &ctx, NULL);
      fail_step (self, OD_STEP_NETWORK, problem, NULL);
    }
  else if (self->connectivity == G_NETWORK_CONNECTIVITY_PORTAL)
    {
      g_autoptr(OdProblem) problem =
        od_diagnosis_problem_new ("captive-portal", OD_STEP_NETWORK, OD_SEVERITY_ERROR,
                                  &ctx, NULL);
      fail_step (self, OD_STEP_NETWORK, problem, NULL);
    }
  else
    finish_step (self, OD_STEP_NETWORK, OD_STEP_STATE_PASS,
                 _("This computer is connected to a network."), NULL);
}

static char *
client_name_for (GSocketConnection *connection)
{
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autofree char *ip = NULL;

  /* RFC 5321 §4.1.3: without a meaningful host name, an address literal is the honest EHLO
   * argument; strict servers reject a bare "localhost". */
  if (!G_IS_INET_SOCKET_ADDRESS (local))
    return g_strdup ("[127.0.0.1]");

  ip = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
  if (g_inet_address_get_family (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local))) ==
      G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[IPv6:%s]", ip);

  return g_strdup_printf ("[%s]", ip);
}

/* The last step: the test message, or RSET after an envelope-only check. */
static void
data_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *detail = NULL;

  reply = od_smtp_session_reply_finish (OD_SMTP_SESSION (object), result, &error);
  if (reply == NULL)
    {
      fail_with_error (self, OD_STEP_DATA, error);
      return;
    }

  if (od_smtp_reply_get_code (reply) != 250)
    {
      fail_with_reply (self, OD_STEP_DATA, reply);
      return;
    }

  text = od_smtp_reply_get_text (reply);
  /* Translators: %s is the recipient; the second %s the server's own words, such as
   * "Ok: queued as 4F2A1" */
  detail = g_strdup_printf (_("The server accepted the test message for %s (“%s”)."),
                            self->recipient, text);
  finish_step (self, OD_STEP_DATA, OD_STEP_STATE_PASS, detail, NULL);
  finish_run (self, TRUE);
}

static void
rset_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = od_smtp_session_reply_finish (OD_SMTP_SESSION (object), result, &error);
  if (reply == NULL)
    {
      fail_with_error (self, OD_STEP_DATA, error);
      return;
    }

  finish_step (self, OD_STEP_DATA, OD_STEP_STATE_SKIP,
               _("Nothing was sent: the server accepted the sender and the recipient, "
                 "and the check stopped there. Turn on “send a test message” to send "
                 "one."),
               NULL);
  finish_run (self, TRUE);
}

static void
send_data (OdCheck *self)
{
  od_check_step_start (step (self, OD_STEP_DATA));

  if (self->send_test)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *message = od_check_build_test_message (self->address, self->recipient, now);

      od_smtp_session_send_data_async (self->session, message, self->cancellable,
                                       data_cb, g_object_ref (self));
    }
  else
    od_smtp_session_command_async (self->session, "RSET", self->cancellable,
                                   rset_cb, g_object_ref (self));
}

static void
rcpt_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  guint code;

  reply = od_smtp_session_reply_finish (OD_SMTP_SESSION (object), result, &error);
  if (reply == NULL)
    {
      fail_with_error (self, OD_STEP_RECIPIENT, error);
      return;
    }

  code = od_smtp_reply_get_code (reply);
  if (code != 250 && code != 251)
    {
      fail_with_reply (self, OD_STEP_RECIPIENT, reply);
      return;
    }

  /* Translators: %s is an e-mail address */
  detail = g_strdup_printf (_("The server accepts mail for %s."), self->recipient);
  finish_step (self, OD_STEP_RECIPIENT, OD_STEP_STATE_PASS, detail, NULL);
  send_data (self);
}

static void
mail_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *command = NULL;

  reply = od_smtp_session_reply_finish (OD_SMTP_SESSION (object), result, &error);
  if (reply == NULL)
    {
      fail_with_error (self, OD_STEP_SENDER, error);
      return;
    }

  if (od_smtp_reply_get_code (reply) != 250)
    {
      fail_with_reply (self, OD_STEP_SENDER, reply);
      return;
    }

  /* Translators: %s is an e-mail address */
  detail = g_strdup_printf (_("The server lets you send as %s."), self->address);
  finish_step (self, OD_STEP_SENDER, OD_STEP_STATE_PASS, detail, NULL);

  od_check_step_start (step (self, OD_STEP_RECIPIENT));
  command = g_strdup_printf ("RCPT TO:<%s>", self->recipient);
  od_smtp_session_command_async (self->session, command, self->cancellable,
                                 rcpt_cb, g_object_ref (self));
}

static void
mail_from (OdCheck *self)
{
  g_autofree char *command = NULL;
  const OdSmtpCapabilities *caps = od_smtp_session_get_capabilities (self->session);

  od_check_step_start (step (self, OD_STEP_SENDER));

  /* RFC 1870: announce the size so a server with a limit can refuse before the message.
   * The test message is a few hundred bytes; 2048 is a safe upper bound. */
  if (caps != NULL && caps->size_advertised && self->send_test)
    command = g_strdup_printf ("MAIL FROM:<%s> SIZE=2048", self->address);
  else
    command = g_strdup_printf ("MAIL FROM:<%s>", self->address);

  od_smtp_session_command_async (self->session, command, self->cancellable,
                                 mail_cb, g_object_ref (self));
}

static void
auth_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;

  reply = od_smtp_session_reply_finish (OD_SMTP_SESSION (object), result, &error);
  if (reply == NULL)
    {
      fail_with_error (self, OD_STEP_AUTH, error);
      return;
    }

  if (od_smtp_reply_get_code (reply) != 235)
    {
      fail_with_reply (self, OD_STEP_AUTH, reply);
      return;
    }

  /* Translators: %s is a user name, usually an e-mail address */
  detail = g_strdup_printf (_("Logged in as %s."), self->username);
  finish_step (self, OD_STEP_AUTH, OD_STEP_STATE_PASS, detail, NULL);
  mail_from (self);
}

static const char *
choose_mechanism (const OdSmtpCapabilities *caps)
{
  /* Inside TLS, PLAIN is the most widely supported and the one RFC 4954 requires. */
  static const char * const preferred[] = { "PLAIN", "LOGIN", "CRAM-MD5" };

  for (guint i = 0; i < G_N_ELEMENTS (preferred); i++)
    {
      if (od_smtp_capabilities_has_auth (caps, preferred[i]))
        return preferred[i];
    }

  return NULL;
}

static void
authenticate (OdCheck *self)
{
  const OdSmtpCapabilities *caps = od_smtp_session_get_capabilities (self->session);
  const char *mechanism;

  od_check_step_start (step (self, OD_STEP_AUTH));

  if (self->password == NULL)
    {
      finish_step (self, OD_STEP_AUTH, OD_STEP_STATE_SKIP,
                   _("No password was given, so logging in was not tried."), NULL);
      mail_from (self);
      return;
    }

  /* Never send a password in the clear: not on an unencrypted server, and not when the
   * server offers login only before encryption starts. */
  if (!od_smtp_session_is_tls (self->session))
    {
      fail_with_problem_id (self, OD_STEP_AUTH, "auth-plaintext-refused", NULL, TRUE);
      return;
    }

  if (caps->auth_mechanisms[0] == NULL)
    {
      if (self->capabilities_before_tls != NULL &&
          self->capabilities_before_tls->auth_mechanisms[0] != NULL)
        fail_with_problem_id (self, OD_STEP_AUTH, "auth-plaintext-refused", NULL, TRUE);
      else
        fail_with_problem_id (self, OD_STEP_AUTH, "auth-not-offered", NULL, TRUE);
      return;
    }

  mechanism = choose_mechanism (caps);
  if (mechanism == NULL)
    {
      g_autofree char *offered = g_strjoinv (" ", caps->auth_mechanisms);
      /* Translators: %s is a list of login methods such as "XOAUTH2 OAUTHBEARER" */
      g_autofree char *detail = g_strdup_printf (_("The server offers only these login methods: %s."),
                                                 offered);

      fail_with_problem_id (self, OD_STEP_AUTH, "auth-mechanism-unsupported", detail, TRUE);
      return;
    }

  od_smtp_session_authenticate_async (self->session, mechanism, self->username, self->password,
                                      self->cancellable, auth_cb, g_object_ref (self));
}

static char *
describe_capabilities (const OdSmtpCapabilities *caps)
{
  g_autoptr(GString) str = g_string_new (NULL);

  if (caps->auth_mechanisms[0] != NULL)
    {
      g_autofree char *mechs = g_strjoinv (", ", caps->auth_mechanisms);
      /* Translators: %s is a list of login methods such as "PLAIN, LOGIN" */
      g_string_append_printf (str, _("Login methods: %s."), mechs);
    }
  else
    g_string_append (str, _("The server offers no login."));

  if (caps->size_limit > 0)
    {
      g_autofree char *size = g_format_size (caps->size_limit);
      g_string_append_c (str, ' ');
      /* Translators: %s is a size such as "10.2 MB" */
      g_string_append_printf (str, _("Largest message: %s."), size);
    }

  return g_string_free (g_steal_pointer (&str), FALSE);
}

static void
after_ehlo (OdCheck *self)
{
  const OdSmtpCapabilities *caps = od_smtp_session_get_capabilities (self->session);
  g_autofree char *detail = NULL;

  if (self->security == OD_SECURITY_STARTTLS && !od_smtp_session_is_tls (self->session))
    {
      /* Keep what was offered before encryption (the session forgets it when TLS starts),
       * to tell "login only without TLS" apart. */
      g_clear_pointer (&self->capabilities_before_tls, od_smtp_capabilities_free);
      self->capabilities_before_tls = od_smtp_capabilities_copy (caps);

      if (!self->capabilities_before_tls->starttls)
        {
          fail_with_problem_id (self, OD_STEP_TLS, "starttls-not-offered", NULL, TRUE);
          return;
        }

      starttls (self);
      return;
    }

  detail = describe_capabilities (caps);
  finish_step (self, OD_STEP_EHLO, OD_STEP_STATE_PASS, detail, NULL);
  authenticate (self);
}

static void
ehlo_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

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

  after_ehlo (self);
}

static void
ehlo (OdCheck *self)
{
  od_check_step_start (step (self, OD_STEP_EHLO));
  od_smtp_session_ehlo_async (self->session, self->client_name, self->cancellable,
                              ehlo_cb, g_object_ref (self));
}

static char *
describe_certificate (OdTlsInfo *info)
{
  GDateTime *not_after = od_tls_info_get_not_after (info);
  g_autofree char *until = not_after ? g_date_time_format (not_after, "%Y-%m-%d") : g_strdup ("?");

  /* Translators: "Certificate for CN=mail.example.org, issued by CN=R3, valid until
   * 2027-01-31." */
  return g_strdup_printf (_("Certificate for %s, issued by %s, valid until %s."),
                          od_tls_info_get_subject (info),
                          od_tls_info_get_issuer (info),
                          until);
}

static char *
describe_tls (OdTlsInfo *info)
{
  g_autofree char *certificate = NULL;

  if (info == NULL)
    return g_strdup (_("The connection is encrypted."));

  certificate = describe_certificate (info);
  /* Translators: "Encrypted with TLS 1.3." followed by a description of the certificate */
  return g_strdup_printf (_("Encrypted with %s. %s"), od_tls_info_get_protocol_name (info),
                          certificate);
}

static gboolean
has_pins (OdCheck *self)
{
  return self->pinned != NULL && self->pinned[0] != NULL;
}

/* A certificate the user pinned for this host and port was replaced: whatever the new one
 * is, and even if it verifies, the user has to look at it before it is used. */
static void
certificate_changed (OdCheck    *self,
                     const char *reasons)
{
  g_autofree char *trusted = g_strjoinv (", ", self->pinned);
  g_autofree char *described = describe_certificate (self->tls_info);
  g_autofree char *detail = NULL;
  g_autoptr(OdProblem) problem = NULL;
  OdDiagnosisContext ctx;

  diagnosis_context (self, &ctx);
  problem = od_diagnosis_problem_new ("tls-certificate-changed", OD_STEP_TLS, OD_SEVERITY_ERROR,
                                      &ctx, NULL);
  /* Translators: the first %s says what is wrong with the certificate (or nothing), the
   * second describes it; then the new SHA-256 fingerprint and the one(s) trusted before */
  detail = g_strdup_printf (_("%s%s%s The certificate’s SHA-256 fingerprint is now %s; the "
                              "one you trusted was %s."),
                            reasons ? reasons : "", reasons ? " " : "", described,
                            od_tls_info_get_fingerprint (self->tls_info), trusted);
  od_transcript_append (self->transcript, OD_TRANSCRIPT_INFO, FALSE,
                        "Certificate rejected: it is not the one the user trusted");
  fail_step (self, OD_STEP_TLS, problem, detail);
  finish_run (self, FALSE);
}

/* Returns FALSE when the run ended here (a pinned certificate was replaced). */
static gboolean
tls_passed (OdCheck *self)
{
  g_autofree char *detail = NULL;
  const char *fingerprint;

  g_set_object (&self->tls_info, od_smtp_session_get_tls_info (self->session));

  fingerprint = self->tls_info ? od_tls_info_get_fingerprint (self->tls_info) : NULL;
  if (has_pins (self) && self->tls_info != NULL &&
      !g_strv_contains ((const char * const *)self->pinned, fingerprint))
    {
      certificate_changed (self, NULL);
      return FALSE;
    }

  detail = describe_tls (self->tls_info);
  if (self->tls_info != NULL && od_tls_info_get_errors (self->tls_info) != 0)
    {
      g_autofree char *pinned = NULL;

      /* Translators: %s describes the connection and the certificate */
      pinned = g_strdup_printf (_("%s The certificate did not pass verification, but it is the "
                                  "one you chose to trust."), detail);
      g_free (detail);
      detail = g_steal_pointer (&pinned);
    }
  finish_step (self, OD_STEP_TLS, OD_STEP_STATE_PASS, detail, NULL);

  return TRUE;
}

static void
tls_failed (OdCheck      *self,
            const GError *error)
{
  g_set_object (&self->tls_info, od_smtp_session_get_tls_info (self->session));

  if (self->tls_info != NULL && od_tls_info_get_errors (self->tls_info) != 0)
    {
      g_auto(GStrv) reasons = od_tls_info_describe_errors (self->tls_info);
      g_autofree char *joined = g_strjoinv (" ", reasons);
      g_autofree char *described = describe_certificate (self->tls_info);
      g_autofree char *fingerprint = NULL;
      OdDiagnosisContext ctx;
      g_autoptr(OdProblem) problem = NULL;
      g_autofree char *detail = NULL;

      /* The session accepts a certificate that matches a pin; this one does not. */
      if (has_pins (self))
        {
          certificate_changed (self, joined);
          return;
        }

      diagnosis_context (self, &ctx);
      problem = od_diagnosis_from_error (OD_STEP_TLS, error, &ctx);
      /* Translators: the first %s says what is wrong with the certificate, the second
       * describes it, the third is its SHA-256 fingerprint */
      detail = g_strdup_printf (_("%s %s SHA-256 fingerprint: %s."), joined, described,
                                od_tls_info_get_fingerprint (self->tls_info));
      fail_step (self, OD_STEP_TLS, problem, detail);
      finish_run (self, FALSE);
      return;
    }

  if (self->security == OD_SECURITY_TLS && g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_MISC))
    {
      sniff (self, OD_STEP_TLS, FALSE, error);
      return;
    }

  fail_with_error (self, OD_STEP_TLS, error);
}

static void
starttls_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = od_smtp_session_reply_finish (OD_SMTP_SESSION (object), result, &error);
  if (reply == NULL)
    {
      tls_failed (self, error);
      return;
    }

  if (od_smtp_reply_get_code (reply) != 220)
    {
      fail_with_reply (self, OD_STEP_TLS, reply);
      return;
    }

  if (!tls_passed (self))
    return;

  /* RFC 3207 §4.2: start again with EHLO inside TLS. */
  ehlo (self);
}

static void
starttls (OdCheck *self)
{
  od_check_step_start (step (self, OD_STEP_TLS));
  od_smtp_session_starttls_async (self->session, self->cancellable,
                                  starttls_cb, g_object_ref (self));
}

static void
greeting_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data);

typedef struct
{
  OdCheck           *self;
  const char        *step_id;
  gboolean           try_tls;       /* TRUE: does it speak TLS? FALSE: does it greet in plain? */
  GSocketConnection *connection;
  OdSmtpSession     *session;
  GIOStream         *tls;
  GCancellable      *cancellable;
  GSource           *deadline;
  GError            *greeting_error;
} Sniff;

static void
sniff_free (Sniff *sniff)
{
  if (sniff->deadline != NULL)
    {
      g_source_destroy (sniff->deadline);
      g_source_unref (sniff->deadline);
    }
  if (sniff->tls != NULL)
    g_io_stream_close_async (sniff->tls, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  else if (sniff->connection != NULL)
    g_io_stream_close_async (G_IO_STREAM (sniff->connection), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (sniff->session != NULL)
    od_smtp_session_close (sniff->session);
  g_clear_object (&sniff->session);
  g_clear_object (&sniff->tls);
  g_clear_object (&sniff->connection);
  g_clear_object (&sniff->cancellable);
  g_clear_error (&sniff->greeting_error);
  g_clear_object (&sniff->self);
  g_free (sniff);
}

static gboolean
sniff_deadline_cb (gpointer user_data)
{
  Sniff *sniff = user_data;

  g_clear_pointer (&sniff->deadline, g_source_unref);
  g_cancellable_cancel (sniff->cancellable);
  return G_SOURCE_REMOVE;
}

static void
sniff_done (Sniff    *sniff,
            gboolean  mismatch)
{
  OdCheck *self = sniff->self;

  if (mismatch)
    {
      g_autofree char *detail = NULL;

      if (sniff->try_tls)
        detail = g_strdup_printf (_("The server did not greet in plain text, but it answered a "
                                    "TLS handshake: port %u expects encryption from the first "
                                    "byte."), self->port);
      else
        detail = g_strdup_printf (_("The encrypted connection failed, but the server greets in "
                                    "plain text: port %u expects STARTTLS, not encryption from "
                                    "the first byte."), self->port);

      fail_with_problem_id (self, sniff->step_id, "encryption-mismatch", detail, FALSE);
    }
  else
    fail_with_error (self, sniff->step_id, sniff->greeting_error);

  sniff_free (sniff);
}

static void
sniff_reply_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Sniff *sniff = user_data;
  g_autoptr(OdSmtpReply) reply = od_smtp_session_reply_finish (OD_SMTP_SESSION (object), result, NULL);

  sniff_done (sniff, reply != NULL);
}

static gboolean
sniff_accept_cb (GTlsConnection       *conn,
                 GTlsCertificate      *peer,
                 GTlsCertificateFlags  errors,
                 gpointer              user_data)
{
  /* We only want to know whether the server speaks TLS; nothing is sent over this link. */
  return TRUE;
}

static void
sniff_handshake_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Sniff *sniff = user_data;

  sniff_done (sniff, g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, NULL));
}

static void
sniff_connect_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Sniff *sniff = user_data;
  g_autoptr(GSocketConnectable) identity = NULL;

  sniff->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, NULL);
  if (sniff->connection == NULL)
    {
      sniff_done (sniff, FALSE);
      return;
    }

  if (!sniff->try_tls)
    {
      /* A throw-away transcript: this second connection is not part of the conversation. */
      g_autoptr(OdTranscript) scratch = od_transcript_new ();

      sniff->session = od_smtp_session_new (G_IO_STREAM (sniff->connection), sniff->self->host,
                                            sniff->self->port, scratch);
      od_smtp_session_set_timeout (sniff->session, SNIFF_TIMEOUT_MS);
      od_smtp_session_read_reply_async (sniff->session, sniff->cancellable, sniff_reply_cb, sniff);
      return;
    }

  identity = g_network_address_new (sniff->self->host, sniff->self->port);
  sniff->tls = g_tls_client_connection_new (G_IO_STREAM (sniff->connection), identity, NULL);
  if (sniff->tls == NULL)
    {
      sniff_done (sniff, FALSE);
      return;
    }

  g_signal_connect (sniff->tls, "accept-certificate", G_CALLBACK (sniff_accept_cb), NULL);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (sniff->tls), G_PRIORITY_DEFAULT,
                                    sniff->cancellable, sniff_handshake_cb, sniff);
}

/* No greeting in plain text: a common cause is an implicit-TLS port (465) configured as
 * STARTTLS or plain. A short TLS handshake on a second connection tells it apart from a
 * server that is simply silent. The reverse, a failed handshake on a port that greets in
 * plain text, is found by reading a greeting on a second connection. */
static void
sniff (OdCheck      *self,
       const char   *step_id,
       gboolean      try_tls,
       const GError *greeting_error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  Sniff *sniff = g_new0 (Sniff, 1);

  sniff->self = g_object_ref (self);
  sniff->step_id = step_id;
  sniff->try_tls = try_tls;
  sniff->greeting_error = g_error_copy (greeting_error);
  sniff->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->cancellable, "cancelled",
                           G_CALLBACK (g_cancellable_cancel), sniff->cancellable,
                           G_CONNECT_SWAPPED);
  sniff->deadline = g_timeout_source_new (SNIFF_TIMEOUT_MS);
  g_source_set_callback (sniff->deadline, sniff_deadline_cb, sniff, NULL);
  g_source_attach (sniff->deadline, g_main_context_get_thread_default ());

  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (self->remote), sniff->cancellable,
                                 sniff_connect_cb, sniff);
}

static void
greeting_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  reply = od_smtp_session_reply_finish (OD_SMTP_SESSION (object), result, &error);
  if (reply == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) &&
          self->security != OD_SECURITY_TLS)
        {
          sniff (self, OD_STEP_GREETING, TRUE, error);
          return;
        }

      fail_with_error (self, OD_STEP_GREETING, error);
      return;
    }

  if (od_smtp_reply_get_code (reply) != 220)
    {
      fail_with_reply (self, OD_STEP_GREETING, reply);
      return;
    }

  text = od_smtp_reply_get_text (reply);
  finish_step (self, OD_STEP_GREETING, OD_STEP_STATE_PASS, text, NULL);
  ehlo (self);
}

static void
greeting (OdCheck *self)
{
  if (self->security == OD_SECURITY_NONE)
    finish_step (self, OD_STEP_TLS, OD_STEP_STATE_SKIP,
                 _("Encryption is turned off for this server: everything, including "
                   "your messages, travels readable by anyone on the way."),
                 NULL);

  od_check_step_start (step (self, OD_STEP_GREETING));
  od_smtp_session_read_reply_async (self->session, self->cancellable,
                                    greeting_cb, g_object_ref (self));
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!od_smtp_session_handshake_finish (OD_SMTP_SESSION (object), result, &error))
    {
      tls_failed (self, error);
      return;
    }

  if (!tls_passed (self))
    return;

  greeting (self);
}

static void
start_session (OdCheck *self)
{
  guint timeout = self->step_timeout_ms;

  self->session = od_smtp_session_new (G_IO_STREAM (self->connection), self->host, self->port,
                                       self->transcript);
  od_smtp_session_set_timeout (self->session, timeout);
  od_smtp_session_set_ca_file (self->session, self->ca_file);
  od_smtp_session_set_pinned_fingerprints (self->session, (const char * const *)self->pinned);
  self->client_name = client_name_for (self->connection);

  if (self->security == OD_SECURITY_TLS)
    {
      od_check_step_start (step (self, OD_STEP_TLS));
      od_smtp_session_handshake_async (self->session, self->cancellable,
                                       handshake_cb, g_object_ref (self));
    }
  else
    greeting (self);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *ip = NULL;

  self->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  clear_step_deadline (self);

  if (self->connection == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->step_timed_out &&
          !g_cancellable_is_cancelled (self->cancellable))
        {
          g_clear_error (&error);
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "Connecting timed out");
        }

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          fail_with_error (self, OD_STEP_CONNECT, error);
          return;
        }

      od_transcript_append (self->transcript, OD_TRANSCRIPT_INFO, FALSE, error->message);
      if (self->connect_error == NULL)
        self->connect_error = g_steal_pointer (&error);

      connect_next (self);
      return;
    }

  finish_network_step (self, TRUE, NULL);

  /* SMTP is a conversation of short lines: without this, Nagle's algorithm holds each command
   * back until the previous segment is acknowledged, adding tens of milliseconds per step. */
  g_socket_set_option (g_socket_connection_get_socket (self->connection),
                       IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  ip = g_inet_address_to_string (g_inet_socket_address_get_address (self->remote));
  /* Translators: "Connected to 192.0.2.1 on port 587." */
  detail = g_strdup_printf (_("Connected to %s on port %u."), ip, self->port);
  od_transcript_append (self->transcript, OD_TRANSCRIPT_INFO, FALSE, detail);
  finish_step (self, OD_STEP_CONNECT, OD_STEP_STATE_PASS, detail, NULL);

  start_session (self);
}

static void
connect_next (OdCheck *self)
{
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GCancellable) attempt = NULL;
  GInetAddress *address;

  if (self->next_address == NULL)
    {
      g_assert (self->connect_error != NULL);
      finish_network_step (self, FALSE, self->connect_error);
      fail_with_error (self, OD_STEP_CONNECT, self->connect_error);
      return;
    }

  address = self->next_address->data;
  self->next_address = self->next_address->next;

  g_clear_object (&self->remote);
  self->remote = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, self->port));

  attempt = g_object_ref (arm_step_deadline (self, MIN (self->step_timeout_ms, CONNECT_TIMEOUT_MS)));

  client = g_socket_client_new ();
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (self->remote),
                                 attempt, connect_cb, g_object_ref (self));
}

static void
start_connect (OdCheck *self)
{
  od_check_step_start (step (self, OD_STEP_CONNECT));
  self->next_address = self->addresses;
  connect_next (self);
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) detail = NULL;
  GList *addresses;
  guint n = 0;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  clear_step_deadline (self);

  if (addresses == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->step_timed_out &&
          !g_cancellable_is_cancelled (self->cancellable))
        {
          g_clear_error (&error);
          g_set_error (&error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE,
                       "Looking up %s timed out", self->host);
        }

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        finish_network_step (self, FALSE, error);
      fail_with_error (self, OD_STEP_DNS, error);
      return;
    }

  /* Keep only a few addresses: each gets its own connect deadline. */
  detail = g_string_new (NULL);
  for (GList *l = addresses; l != NULL; l = l->next)
    {
      g_autofree char *ip = g_inet_address_to_string (l->data);

      if (n++ >= MAX_ADDRESSES)
        continue;

      self->addresses = g_list_append (self->addresses, g_object_ref (l->data));
      g_string_append_printf (detail, "%s%s", detail->len ? ", " : "", ip);
    }
  g_resolver_free_addresses (addresses);

  {
    /* Translators: "smtp.example.org is at 192.0.2.1, 2001:db8::1." */
    g_autofree char *text = g_strdup_printf (_("%s is at %s."), self->host, detail->str);
    finish_step (self, OD_STEP_DNS, OD_STEP_STATE_PASS, text, NULL);
  }

  start_connect (self);
}

static void
start_dns (OdCheck *self)
{
  g_autoptr(GResolver) resolver = NULL;

  od_check_step_start (step (self, OD_STEP_DNS));

  if (g_hostname_is_ip_address (self->host))
    {
      g_autofree char *detail = NULL;

      self->addresses = g_list_append (NULL, g_inet_address_new_from_string (self->host));
      /* Translators: %s is an IP address */
      detail = g_strdup_printf (_("%s is an IP address: nothing to look up."), self->host);
      finish_step (self, OD_STEP_DNS, OD_STEP_STATE_PASS, detail, NULL);
      start_connect (self);
      return;
    }

  resolver = g_resolver_get_default ();
  g_resolver_lookup_by_name_async (resolver, self->host,
                                   arm_step_deadline (self, self->step_timeout_ms),
                                   resolve_cb, g_object_ref (self));
}

static void
od_check_dispose (GObject *object)
{
  OdCheck *self = (OdCheck *)object;

  g_assert (self->task == NULL);

  g_clear_object (&self->session);
  g_clear_object (&self->connection);
  g_clear_object (&self->remote);
  g_clear_object (&self->tls_info);
  g_clear_object (&self->step_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->parent);

  G_OBJECT_CLASS (od_check_parent_class)->dispose (object);
}

static void
od_check_finalize (GObject *object)
{
  OdCheck *self = (OdCheck *)object;

  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->username, g_free);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  g_clear_pointer (&self->recipient, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->pinned, g_strfreev);
  g_clear_pointer (&self->client_name, g_free);
  g_clear_pointer (&self->capabilities_before_tls, od_smtp_capabilities_free);
  g_list_free_full (g_steal_pointer (&self->addresses), g_object_unref);
  g_clear_error (&self->connect_error);
  g_clear_object (&self->checklist);
  g_clear_object (&self->transcript);

  G_OBJECT_CLASS (od_check_parent_class)->finalize (object);
}

static void
od_check_class_init (OdCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = od_check_dispose;
  object_class->finalize = od_check_finalize;
}

static void
od_check_init (OdCheck *self)
{
  self->step_timeout_ms = OD_CHECK_DEFAULT_STEP_TIMEOUT_MS;
  self->checklist = od_checklist_new ();
  self->transcript = od_transcript_new ();
}

/**
 * od_check_new:
 * @address: the sender's e-mail address
 * @host: the outgoing server
 * @port: its port
 * @security: how the connection is encrypted
 *
 * The user name defaults to @address, and so does the recipient.
 *
 * Returns: (transfer full): a new check, ready to run
 */
OdCheck *
od_check_new (const char *address,
              const char *host,
              guint16     port,
              OdSecurity  security)
{
  OdCheck *self;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (port > 0, NULL);

  self = g_object_new (OD_TYPE_CHECK, NULL);
  self->address = g_strdup (address);
  self->host = g_strdup (host);
  self->port = port;
  self->security = security;
  self->username = g_strdup (address);
  self->recipient = g_strdup (address);

  return self;
}

const char *
od_check_get_address (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), NULL);
  return self->address;
}

const char *
od_check_get_host (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), NULL);
  return self->host;
}

guint16
od_check_get_port (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), 0);
  return self->port;
}

OdSecurity
od_check_get_security (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), OD_SECURITY_NONE);
  return self->security;
}

void
od_check_set_username (OdCheck    *self,
                       const char *username)
{
  g_return_if_fail (OD_IS_CHECK (self));
  g_return_if_fail (username != NULL);

  g_free (self->username);
  self->username = g_strdup (username);
}

const char *
od_check_get_username (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), NULL);
  return self->username;
}

/**
 * od_check_set_password:
 * @password: (nullable): the password; %NULL skips the login step
 *
 * The password is used for the login only: it is registered with the transcript for
 * redaction and wiped from memory when the check is finalized.
 */
void
od_check_set_password (OdCheck    *self,
                       const char *password)
{
  g_return_if_fail (OD_IS_CHECK (self));

  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  self->password = g_strdup (password);

  if (password != NULL)
    od_transcript_add_secret (self->transcript, password);
}

void
od_check_set_recipient (OdCheck    *self,
                        const char *recipient)
{
  g_return_if_fail (OD_IS_CHECK (self));
  g_return_if_fail (recipient != NULL);

  g_free (self->recipient);
  self->recipient = g_strdup (recipient);
}

const char *
od_check_get_recipient (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), NULL);
  return self->recipient;
}

/**
 * od_check_set_send_test:
 * @send_test: %TRUE to end with a real message; %FALSE to stop after the envelope
 *   (MAIL FROM and RCPT TO, then RSET: nothing is sent)
 */
void
od_check_set_send_test (OdCheck  *self,
                        gboolean  send_test)
{
  g_return_if_fail (OD_IS_CHECK (self));
  self->send_test = !!send_test;
}

void
od_check_set_ca_file (OdCheck    *self,
                      const char *ca_file)
{
  g_return_if_fail (OD_IS_CHECK (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

void
od_check_set_pinned_fingerprints (OdCheck            *self,
                                  const char * const *fingerprints)
{
  g_return_if_fail (OD_IS_CHECK (self));

  g_strfreev (self->pinned);
  self->pinned = g_strdupv ((char **)fingerprints);
}

/**
 * od_check_set_step_timeout:
 * @timeout_ms: the deadline of each step
 */
void
od_check_set_step_timeout (OdCheck *self,
                           guint    timeout_ms)
{
  g_return_if_fail (OD_IS_CHECK (self));
  g_return_if_fail (timeout_ms > 0);

  self->step_timeout_ms = timeout_ms;
}

/**
 * od_check_set_total_timeout:
 * @timeout_ms: the deadline for the whole run, or 0 for none
 */
void
od_check_set_total_timeout (OdCheck *self,
                            guint    timeout_ms)
{
  g_return_if_fail (OD_IS_CHECK (self));
  self->total_timeout_ms = timeout_ms;
}

/**
 * od_check_get_checklist:
 *
 * Returns: (transfer none): the steps, a #GListModel of #OdCheckStep
 */
OdChecklist *
od_check_get_checklist (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), NULL);
  return self->checklist;
}

/**
 * od_check_get_transcript:
 *
 * Returns: (transfer none): the conversation with the server, credentials redacted
 */
OdTranscript *
od_check_get_transcript (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), NULL);
  return self->transcript;
}

/**
 * od_check_get_tls_info:
 *
 * Returns: (transfer none) (nullable): the TLS details, once the handshake was tried
 */
OdTlsInfo *
od_check_get_tls_info (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), NULL);
  return self->tls_info;
}

/**
 * od_check_get_capabilities:
 *
 * Returns: (nullable): what the server advertised in its last EHLO reply
 */
const OdSmtpCapabilities *
od_check_get_capabilities (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), NULL);
  return self->session ? od_smtp_session_get_capabilities (self->session) : NULL;
}

gint64
od_check_get_elapsed_ms (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), 0);
  return self->elapsed_ms;
}

/**
 * od_check_run_async:
 * @cancellable: (nullable): cancels the whole run; every socket is closed
 *
 * Runs the checklist once. The steps' properties change as it goes, so a UI bound to the
 * checklist shows the progress.
 */
void
od_check_run_async (OdCheck             *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  GNetworkMonitor *monitor;

  g_return_if_fail (OD_IS_CHECK (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->running && self->started_us == 0);

  self->running = TRUE;
  self->started_us = g_get_monotonic_time ();
  self->task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (self->task, od_check_run_async);

  self->cancellable = g_cancellable_new ();
  self->parent = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  self->parent_handler = g_cancellable_connect (self->parent, G_CALLBACK (parent_cancelled_cb),
                                                self->cancellable, NULL);

  if (self->total_timeout_ms > 0)
    {
      self->total_deadline = g_timeout_source_new (self->total_timeout_ms);
      g_source_set_callback (self->total_deadline, total_deadline_cb, self, NULL);
      g_source_set_name (self->total_deadline, "[od] check total deadline");
      g_source_attach (self->total_deadline, g_main_context_get_thread_default ());
    }

  /* The addresses go into commands: never let a line break or a bracket through. */
  if (!od_check_validate_address (self->address, &error) ||
      !od_check_validate_address (self->recipient, &error))
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      stop_run (self);
      self->running = FALSE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  monitor = g_network_monitor_get_default ();
  self->network_available = g_network_monitor_get_network_available (monitor);
  self->connectivity = g_network_monitor_get_connectivity (monitor);
  od_check_step_start (step (self, OD_STEP_NETWORK));

  start_dns (self);
}

/**
 * od_check_run_finish:
 *
 * Returns: the verdict (%OD_STEP_STATE_PASS, _WARN or _FAIL); a failure found by the check
 *   is a verdict, not an error. @error is set only when the run was cancelled
 *   (%G_IO_ERROR_CANCELLED) or an address is unusable (%OD_SMTP_ERROR_BAD_INPUT).
 */
OdStepState
od_check_run_finish (OdCheck       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize verdict;

  g_return_val_if_fail (OD_IS_CHECK (self), OD_STEP_STATE_FAIL);
  g_return_val_if_fail (g_task_is_valid (result, self), OD_STEP_STATE_FAIL);

  verdict = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return OD_STEP_STATE_FAIL;
    }

  return verdict;
}

/**
 * od_check_validate_address:
 *
 * Checks that @address can be used in MAIL FROM and RCPT TO: one "@", a local part and a
 * domain, no spaces, angle brackets or control characters.
 *
 * Returns: %FALSE with @error (%OD_SMTP_ERROR_BAD_INPUT) saying what is wrong
 */
gboolean
od_check_validate_address (const char  *address,
                           GError     **error)
{
  const char *at;

  if (address == NULL || address[0] == '\0')
    {
      g_set_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT,
                   _("The e-mail address is empty."));
      return FALSE;
    }

  if (!g_utf8_validate (address, -1, NULL) || strlen (address) > 254)
    {
      g_set_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT,
                   _("“%s” is not a valid e-mail address."), address);
      return FALSE;
    }

  for (const char *p = address; *p; p++)
    {
      if ((guchar)*p <= ' ' || *p == '<' || *p == '>' || *p == '(' || *p == ')' ||
          *p == ',' || *p == ';' || *p == '\\' || *p == '"' || *p == 0x7f)
        {
          g_set_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT,
                       _("An e-mail address cannot contain spaces or the character “%c”."),
                       (guchar)*p <= ' ' ? ' ' : *p);
          return FALSE;
        }
    }

  at = strrchr (address, '@');
  if (at == NULL || at == address || at[1] == '\0' || strchr (address, '@') != at ||
      at[1] == '.' || address[strlen (address) - 1] == '.' || at - address > 64)
    {
      g_set_error (error, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT,
                   _("“%s” is not a valid e-mail address: it should look like name@example.org."),
                   address);
      return FALSE;
    }

  return TRUE;
}

/**
 * od_check_build_test_message:
 *
 * Returns: (transfer full): a short plain-text RFC 5322 message that says what it is
 */
char *
od_check_build_test_message (const char *from,
                             const char *to,
                             GDateTime  *date)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autofree char *offset = NULL;
  g_autofree char *id = NULL;
  const char *domain;

  g_return_val_if_fail (from != NULL && to != NULL && date != NULL, NULL);

  /* RFC 5322 dates use English names whatever the locale. */
  offset = g_date_time_format (date, "%z");
  id = g_uuid_string_random ();
  domain = strrchr (from, '@') ? strrchr (from, '@') + 1 : "outbox-doctor.invalid";

  return g_strdup_printf ("Date: %s, %02d %s %04d %02d:%02d:%02d %s\r\n"
                          "From: <%s>\r\n"
                          "To: <%s>\r\n"
                          "Subject: Outbox Doctor test message\r\n"
                          "Message-ID: <%s@%s>\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=us-ascii\r\n"
                          "Content-Transfer-Encoding: 7bit\r\n"
                          "User-Agent: Outbox Doctor/" PACKAGE_VERSION "\r\n"
                          "\r\n"
                          "This is a test message sent by Outbox Doctor to check that your\r\n"
                          "outgoing mail server works. It arrived, so it does.\r\n"
                          "You can delete it.\r\n",
                          days[g_date_time_get_day_of_week (date) - 1],
                          g_date_time_get_day_of_month (date),
                          months[g_date_time_get_month (date) - 1],
                          g_date_time_get_year (date),
                          g_date_time_get_hour (date),
                          g_date_time_get_minute (date),
                          g_date_time_get_second (date),
                          offset,
                          from, to, id, domain);
}
