/* od-check-outcome.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-check"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-check-private.h"
#include "od-format.h"
#include "od-text.h"

/* How the steps of a check end: every text a step shows is sanitized and redacted here,
 * every failure is explained by the diagnosis here, and the run completes here, with a
 * polite QUIT when the conversation allows one. */

#define QUIT_TIMEOUT_MS 2000

static OdCheckStep *
step (OdCheck    *self,
      const char *id)
{
  return od_checklist_get_step (self->checklist, id);
}

/* What is left of the whole run's time (--timeout), or G_MAXUINT without a limit. */
guint
od_check_remaining_ms (OdCheck *self)
{
  gint64 elapsed_ms = (g_get_monotonic_time () - self->started_us) / 1000;

  if (self->total_timeout_ms == 0)
    return G_MAXUINT;

  return elapsed_ms >= self->total_timeout_ms ? 0 : self->total_timeout_ms - elapsed_ms;
}

/* The deadline for the next stage: the step timeout, within what is left of the run once
 * @reserve_ms is kept back for what may have to follow it (the second connection that
 * tells a silent server from a wrong encryption mode). The reserve takes at most half of
 * what is left. The whole run's deadline stays hard: nothing runs past it. */
guint
od_check_stage_timeout (OdCheck *self,
                        guint    reserve_ms)
{
  guint remaining = od_check_remaining_ms (self);

  if (remaining == G_MAXUINT)
    return self->step_timeout_ms;

  reserve_ms = MIN (reserve_ms, remaining / 2);
  return MAX (1, MIN (self->step_timeout_ms, remaining - reserve_ms));
}

void
od_check_diagnosis_context (OdCheck            *self,
                            OdDiagnosisContext *ctx)
{
  memset (ctx, 0, sizeof *ctx);
  ctx->host = self->host;
  ctx->port = self->port;
  ctx->security = self->security;
  ctx->username = self->username;
  ctx->address = self->address;
  ctx->tls_errors = self->connect ? od_tls_client_get_errors (od_check_tls_client (self)) : 0;
  ctx->network_available = self->network_available;
  ctx->connectivity = self->connectivity;
  ctx->route = self->connect ? od_connect_get_route (self->connect) : OD_ROUTE_UNKNOWN;
  ctx->why = self->unconfirmed_why;
  ctx->protocol = self->protocol;
}

/* Happy Eyeballs: an IPv6 attempt that lost to IPv4 and then failed, or never answered
 * while the check ran, means IPv6 is broken on this network. A warning on the connect step,
 * not a failure: mail gets through. */
static void
warn_if_ipv6_failed (OdCheck *self)
{
  OdCheckStep *connect_step = step (self, OD_STEP_CONNECT);
  GInetAddress *failed = self->connect ? od_connect_get_ipv6_failure (self->connect) : NULL;
  g_autofree char *v6 = NULL;
  g_autofree char *v4 = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(OdProblem) problem = NULL;
  OdDiagnosisContext ctx;

  if (failed == NULL || od_check_step_get_state (connect_step) != OD_STEP_STATE_PASS)
    return;

  v6 = g_inet_address_to_string (failed);
  v4 = g_inet_address_to_string (g_inet_socket_address_get_address (
                                   od_connect_get_remote (self->connect)));
  od_check_diagnosis_context (self, &ctx);
  problem = od_diagnosis_problem_new (OD_PROBLEM_IPV6_BROKEN, OD_STEP_CONNECT,
                                      OD_SEVERITY_WARNING, &ctx, NULL);
  /* Translators: "Connected to 192.0.2.1 on port 587 over IPv4; the server's IPv6 address
   * 2001:db8::1 did not answer." */
  detail = g_strdup_printf (_("Connected to %s on port %u over IPv4; the server’s IPv6 "
                              "address %s did not answer."), v4, self->port, v6);
  od_check_step_warn (connect_step, detail, problem);
}

/* A password too short to be looked for in everything a server says (it is still hidden
 * in the login exchange): a warning on the login step, which passed. */
static void
warn_if_password_short (OdCheck *self)
{
  OdCheckStep *auth_step = step (self, OD_STEP_AUTH);
  g_autoptr(OdProblem) problem = NULL;
  OdDiagnosisContext ctx;

  if (self->password == NULL ||
      g_utf8_strlen (self->password, -1) >= OD_REDACT_MIN_CHARS ||
      od_check_step_get_state (auth_step) != OD_STEP_STATE_PASS)
    return;

  od_check_diagnosis_context (self, &ctx);
  problem = od_diagnosis_problem_new (OD_PROBLEM_PASSWORD_SHORT, OD_STEP_AUTH,
                                      OD_SEVERITY_WARNING, &ctx, NULL);
  od_check_step_warn (auth_step, NULL, problem);
}

static void
complete (OdCheck *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->checklist));
  gboolean cancelled = g_cancellable_is_cancelled (self->cancellable) &&
                       !od_deadline_has_expired (self->run);

  warn_if_ipv6_failed (self);
  warn_if_password_short (self);

  /* Whatever still looks at the other ports ends with the run. */
  od_check_stop_connect_timers (self);
  if (self->other_ports != NULL)
    od_other_ports_stop (self->other_ports);

  if (self->session != NULL)
    od_smtp_session_close (self->session);
  od_check_incoming_close (self);
  if (self->connect != NULL)
    od_connect_close (self->connect);
  od_deadline_stop (self->run);

  self->elapsed_ms = (g_get_monotonic_time () - self->started_us) / 1000;

  /* Steps after the failure were never reached. */
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(OdCheckStep) s = g_list_model_get_item (G_LIST_MODEL (self->checklist), i);
      OdStepState state = od_check_step_get_state (s);

      if (state == OD_STEP_STATE_PENDING || state == OD_STEP_STATE_RUNNING)
        od_check_step_finish (s, OD_STEP_STATE_SKIP,
                              state == OD_STEP_STATE_RUNNING ? NULL :
                              cancelled ? _("Not checked because the check was stopped.")
                                        : _("Not checked because an earlier step failed."),
                              NULL);
    }

  if (cancelled)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The check was cancelled"));
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
void
od_check_finish_run (OdCheck  *self,
                     gboolean  send_quit)
{
  guint remaining = od_check_remaining_ms (self);

  /* Goodbye only within the run's time: a slow QUIT must not stretch a --timeout. */
  if (send_quit && remaining > 0 && !g_cancellable_is_cancelled (self->cancellable) &&
      od_check_incoming_say_goodbye (self, MIN (QUIT_TIMEOUT_MS, remaining)))
    return;

  if (send_quit && self->session != NULL && remaining > 0 &&
      !g_cancellable_is_cancelled (self->cancellable))
    {
      od_smtp_session_set_timeout (self->session, MIN (QUIT_TIMEOUT_MS, remaining));
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

  OdProblem *clean = od_problem_new (od_problem_get_kind (problem),
                                     od_problem_get_step_id (problem),
                                     od_problem_get_severity (problem), summary, remedy,
                                     server_reply);
  const char *host;
  guint16 port;
  OdSecurity security;

  /* The fixes the maker withheld stay withheld. */
  od_problem_withhold_fixes (clean, od_catalog_get (od_problem_get_kind (problem))->fixes
                                    & ~od_problem_get_fixes (problem) & ~OD_FIX_OTHER_PORT);
  if (od_problem_get_suggestion (problem, &host, &port, &security)
      && od_problem_get_suggestion_tried (problem))
    od_problem_set_suggestion (clean, host, port, security);
  else if (od_problem_get_suggestion (problem, &host, &port, &security))
    od_problem_set_offered_suggestion (clean, host, port, security);

  return clean;
}

/* Every step of the run ends here (or in fail_step()), so nothing reaches the checklist, the
 * JSON, the report or the window without clean_text(). */
void
od_check_finish_step (OdCheck     *self,
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

void
od_check_fail_step (OdCheck    *self,
                    const char *step_id,
                    OdProblem  *problem,
                    const char *detail)
{
  od_check_finish_step (self, step_id, OD_STEP_STATE_FAIL, detail, problem);
}

/* A step failed with @error. For the connect step, @suggestion is another port of the same
 * server that works, and @silent_ports the ports that all gave no answer. */
static void
fail_with_evidence (OdCheck      *self,
                    const char   *step_id,
                    const GError *error,
                    OdProbe      *suggestion,
                    const char   *silent_ports)
{
  OdDiagnosisContext ctx;
  g_autoptr(OdProblem) problem = NULL;
  g_autoptr(GError) shown = g_error_copy (error);
  OdProblemKind kind;

  od_check_diagnosis_context (self, &ctx);

  /* The whole run's deadline cancels the operation under way: report it as a time-out. */
  od_deadline_timed_out_error (self->run, &shown, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("The check ran out of time"));

  /* The caller gave up while the step was waiting for something else. */
  if (g_cancellable_is_cancelled (self->cancellable) && !od_deadline_has_expired (self->run))
    {
      g_clear_error (&shown);
      g_set_error_literal (&shown, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
    }

  if (g_error_matches (shown, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      od_check_finish_step (self, step_id, OD_STEP_STATE_SKIP,
                            _("The check was stopped during this step."), NULL);
      od_check_finish_run (self, FALSE);
      return;
    }

  /* No network at all: the network step says so, and this step has nothing to add. Another
   * port of the server that answered is an answer from the network. */
  if (od_check_finish_network_step (self, step_id, suggestion ? NULL : shown))
    {
      od_check_finish_step (self, step_id, OD_STEP_STATE_SKIP,
                            _("Not checked because an earlier step failed."), NULL);
      od_check_finish_run (self, FALSE);
      return;
    }

  problem = od_diagnosis_from_error (step_id, shown, &ctx);
  kind = od_problem_get_kind (problem);

  if (suggestion != NULL &&
      (kind == OD_PROBLEM_PORT_BLOCKED || kind == OD_PROBLEM_CONNECTION_REFUSED))
    {
      ctx.other_port = od_probe_get_port (suggestion);
      ctx.other_security = od_probe_get_security (suggestion);
      g_clear_object (&problem);
      problem = od_diagnosis_problem_new_for_reason (kind, OD_REASON_OTHER_PORT_WORKS, step_id,
                                                     OD_SEVERITY_ERROR, &ctx);
      od_problem_set_suggestion (problem, self->host, ctx.other_port, ctx.other_security);
    }
  else if (silent_ports != NULL && kind == OD_PROBLEM_PORT_BLOCKED)
    {
      ctx.ports = silent_ports;
      g_clear_object (&problem);
      problem = od_diagnosis_problem_new_for_reason (kind, OD_REASON_EVERY_PORT_TIMED_OUT, step_id,
                                                     OD_SEVERITY_ERROR, &ctx);
    }

  od_check_fail_step (self, step_id, problem, NULL);

  /* After a time-out or a broken stream the conversation is in no state for QUIT. */
  od_check_finish_run (self, FALSE);
}

void
od_check_fail_with_error (OdCheck      *self,
                          const char   *step_id,
                          const GError *error)
{
  fail_with_evidence (self, step_id, error, NULL, NULL);
}

/* The connect step failed (or was given up), with what the server's other ports showed. */
void
od_check_fail_connect (OdCheck      *self,
                       const GError *error,
                       OdProbe      *suggestion,
                       const char   *silent_ports)
{
  fail_with_evidence (self, OD_STEP_CONNECT, error, suggestion, silent_ports);
}

void
od_check_fail_with_reply (OdCheck     *self,
                          const char  *step_id,
                          OdSmtpReply *reply)
{
  OdDiagnosisContext ctx;
  g_autoptr(OdProblem) problem = NULL;
  guint code = od_smtp_reply_get_code (reply);

  od_check_diagnosis_context (self, &ctx);
  problem = od_diagnosis_from_reply (step_id, reply, &ctx);
  od_check_fail_step (self, step_id, problem, NULL);

  /* 421 means the server is closing the connection; anything else still deserves QUIT. */
  od_check_finish_run (self, code != 421);
}

void
od_check_fail_with_problem (OdCheck       *self,
                            const char    *step_id,
                            OdProblemKind  kind,
                            const char    *detail,
                            gboolean       send_quit)
{
  OdDiagnosisContext ctx;
  g_autoptr(OdProblem) problem = NULL;

  od_check_diagnosis_context (self, &ctx);
  problem = od_diagnosis_problem_new (kind, step_id, OD_SEVERITY_ERROR, &ctx, NULL);
  od_check_fail_step (self, step_id, problem, detail);
  od_check_finish_run (self, send_quit);
}

/* The network step: evidence beats GNetworkMonitor (design.md, "Network step"). It passes
 * as soon as anything answers, whatever the monitor says, and the monitor's view is only a
 * remark in its detail. It fails only when nothing answered and the kernel has no route
 * (network-offline), or the monitor reports a captive portal. @error is what ended the
 * lookup or the connect (%NULL: connected).
 *
 * Returns: %TRUE if the network step failed: the step @step_id then has nothing to add */
gboolean
od_check_finish_network_step (OdCheck      *self,
                              const char   *step_id,
                              const GError *error)
{
  OdCheckStep *network = step (self, OD_STEP_NETWORK);
  gboolean monitor_online = self->network_available &&
                            self->connectivity == G_NETWORK_CONNECTIVITY_FULL;
  g_autoptr(OdProblem) problem = NULL;
  OdProblemKind kind;
  OdDiagnosisContext ctx;
  const char *detail;

  if (od_check_step_get_state (network) != OD_STEP_STATE_RUNNING)
    return FALSE;

  if (error == NULL)
    {
      od_check_finish_step (self, OD_STEP_NETWORK, OD_STEP_STATE_PASS,
                            monitor_online ? _("This computer is connected to a network.")
                                           : _("The server could be reached, although this "
                                               "computer reports limited or no network "
                                               "connectivity."), NULL);
      return FALSE;
    }

  od_check_diagnosis_context (self, &ctx);
  problem = od_diagnosis_from_error (step_id, error, &ctx);
  kind = od_problem_get_kind (problem);

  if (kind == OD_PROBLEM_NETWORK_OFFLINE || kind == OD_PROBLEM_CAPTIVE_PORTAL)
    {
      g_autoptr(OdProblem) here = od_problem_new (kind, OD_STEP_NETWORK,
                                                  od_problem_get_severity (problem),
                                                  od_problem_get_summary (problem),
                                                  od_problem_get_remedy (problem), NULL);
      od_check_fail_step (self, OD_STEP_NETWORK, here, NULL);
      return TRUE;
    }

  if (od_diagnosis_error_is_answer (error))
    detail = monitor_online ? _("This computer is connected to a network.")
                            : _("The network answered, although this computer reports "
                                "limited or no network connectivity.");
  else if (g_strcmp0 (step_id, OD_STEP_DNS) == 0)
    detail = monitor_online ? _("This computer has a network route to its name servers.")
                            : _("This computer has a network route to its name servers, "
                                "although it reports limited or no network connectivity.");
  else
    detail = monitor_online ? _("This computer has a network route to the server.")
                            : _("This computer has a network route to the server, although "
                                "it reports limited or no network connectivity.");

  od_check_finish_step (self, OD_STEP_NETWORK, OD_STEP_STATE_PASS, detail, NULL);
  return FALSE;
}

char *
od_check_describe_certificate (OdTlsInfo *info)
{
  GDateTime *not_after = od_tls_info_get_not_after (info);
  g_autofree char *until = not_after ? od_format_date (not_after) : g_strdup ("?");

  /* Translators: "Certificate for CN=mail.example.org, issued by CN=R3, valid until
   * 31 January 2027." */
  return g_strdup_printf (_("Certificate for %s, issued by %s, valid until %s."),
                          od_tls_info_get_subject (info),
                          od_tls_info_get_issuer (info),
                          until);
}

char *
od_check_describe_tls (OdTlsInfo *info)
{
  g_autofree char *certificate = NULL;

  if (info == NULL)
    return g_strdup (_("The connection is encrypted."));

  certificate = od_check_describe_certificate (info);
  /* Translators: "Encrypted with TLS 1.3." followed by a description of the certificate */
  return g_strdup_printf (_("Encrypted with %s. %s"), od_tls_info_get_protocol_name (info),
                          certificate);
}
typedef struct
{
  OdCheck    *self;
  const char *step_id;
  OdSniffMode mode;
  GError     *error;   /* what went wrong on the conversation's own connection */
} SniffRun;

static void
sniff_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SniffRun *run = user_data;
  g_autoptr(OdCheck) self = run->self;
  g_autoptr(GError) error = run->error;
  const char *step_id = run->step_id;
  OdSniffMode mode = run->mode;
  g_autofree char *detail = NULL;
  g_autoptr(OdProblem) problem = NULL;
  OdDiagnosisContext ctx;

  if (!od_encryption_sniff_finish (result))
    {
      g_free (run);
      od_check_fail_with_error (self, step_id, error);
      return;
    }

  if (mode == OD_SNIFF_TLS)
    detail = g_strdup_printf (_("The server did not greet in plain text, but it answered a "
                                "TLS handshake: port %u expects encryption from the first "
                                "byte."), self->port);
  else
    detail = g_strdup_printf (_("The encrypted connection failed, but the server greets in "
                                "plain text: port %u expects STARTTLS, not encryption from "
                                "the first byte."), self->port);

  g_free (run);

  /* The same port answered the other mode: that is the setting to suggest. */
  od_check_diagnosis_context (self, &ctx);
  ctx.other_port = self->port;
  ctx.other_security = mode == OD_SNIFF_TLS ? OD_SECURITY_TLS : OD_SECURITY_STARTTLS;
  problem = od_diagnosis_problem_new_for_reason (OD_PROBLEM_ENCRYPTION_MISMATCH,
                                                 OD_REASON_OTHER_PORT_WORKS, step_id,
                                                 OD_SEVERITY_ERROR, &ctx);
  od_problem_set_suggestion (problem, self->host, self->port, ctx.other_security);
  od_check_fail_step (self, step_id, problem, detail);
  od_check_finish_run (self, FALSE);
}

/* No greeting in plain text: a common cause is an implicit-TLS port (465) configured as
 * STARTTLS or plain. A short TLS handshake on a second connection tells it apart from a
 * server that is simply silent. The reverse, a failed handshake on a port that greets in
 * plain text, is found by reading a greeting on a second connection. */
void
od_check_explain_by_sniffing (OdCheck      *self,
                              const char   *step_id,
                              OdSniffMode   mode,
                              const GError *error)
{
  SniffRun *run = g_new0 (SniffRun, 1);

  run->self = g_object_ref (self);
  run->step_id = step_id;
  run->mode = mode;
  run->error = g_error_copy (error);

  od_encryption_sniff_for_protocol_async (
    G_SOCKET_CONNECTABLE (od_connect_get_remote (self->connect)), self->host, self->port, mode,
    self->protocol, MAX (1, MIN (OD_SNIFF_TIMEOUT_MS, od_check_remaining_ms (self))),
    self->cancellable, sniff_cb, run);
}

char *
od_check_describe_capabilities (const OdSmtpCapabilities *caps)
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

/* Encryption is off in the settings, and the server offers STARTTLS on this port: the
 * password was not sent; the same port with STARTTLS is the setting to suggest, as one the
 * server offers (not tried: the next check tries it). */
void
od_check_fail_starttls_offered (OdCheck *self)
{
  g_autoptr(OdProblem) problem = NULL;
  g_autofree char *detail = NULL;
  OdDiagnosisContext ctx;

  od_check_diagnosis_context (self, &ctx);
  problem = od_diagnosis_problem_new_for_reason (OD_PROBLEM_ENCRYPTION_MISMATCH,
                                                 OD_REASON_STARTTLS_OFFERED, OD_STEP_AUTH,
                                                 OD_SEVERITY_ERROR, &ctx);
  od_problem_set_offered_suggestion (problem, self->host, self->port, OD_SECURITY_STARTTLS);
  detail = od_check_get_uses_token (self)
           /* Translators: %u is a port */
           ? g_strdup_printf (_("Encryption is turned off, but the server offers STARTTLS on "
                                "port %u: the sign-in token was not sent without it."),
                              self->port)
           : g_strdup_printf (_("Encryption is turned off, but the server offers STARTTLS on "
                                "port %u: your password was not sent without it."), self->port);
  od_check_fail_step (self, OD_STEP_AUTH, problem, detail);
  od_check_finish_run (self, TRUE);
}
