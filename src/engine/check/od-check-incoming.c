/* od-check-incoming.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "od-check-private.h"

/* The conversation of a check of the incoming server (check --incoming): greeting,
 * capabilities (with STARTTLS or STLS on the way), login and the mailbox, for IMAP
 * (od-imap-session.c) and POP3 (od-pop3-session.c). The way to the server (network, name
 * lookup, connection, implicit TLS), the whole-run deadline, cancellation, certificate
 * pinning and the server's confirmation are the check's own (od-check.c), shared with
 * sending; this file continues where od-check.c would read the SMTP greeting.
 *
 * No password goes out without TLS: the IMAP session does not refuse one by itself, so the
 * login step refuses before asking it, and the POP3 session is never allowed plain text. */

#define IMAP(self) ((self)->protocol == OD_PROTOCOL_IMAP)

static void capabilities  (OdCheck *self);
static void after_capabilities (OdCheck *self);
static void authenticate  (OdCheck *self);
static void mailbox       (OdCheck *self);

static OdCheckStep *
step (OdCheck    *self,
      const char *id)
{
  return od_checklist_get_step (self->checklist, id);
}

static gboolean
is_tls (OdCheck *self)
{
  return IMAP (self) ? od_imap_session_is_tls (self->imap) : od_pop3_session_is_tls (self->pop3);
}

static void
set_timeout (OdCheck *self,
             guint    timeout_ms)
{
  if (IMAP (self))
    od_imap_session_set_timeout (self->imap, timeout_ms);
  else
    od_pop3_session_set_timeout (self->pop3, timeout_ms);
}

/* The server refused (a tagged NO or BAD, a "-ERR"), or the session refused to send
 * something: the conversation is still sane, so the check says goodbye. */
static gboolean
is_refusal (const GError *error)
{
  if (error->domain == OD_IMAP_ERROR)
    return error->code == OD_IMAP_ERROR_LOGIN_DISABLED ||
           error->code == OD_IMAP_ERROR_NOT_OFFERED ||
           (error->code >= OD_IMAP_ERROR_NO && error->code != OD_IMAP_ERROR_BYE);

  if (error->domain == OD_POP3_ERROR)
    return error->code == OD_POP3_ERROR_PLAINTEXT_REFUSED ||
           error->code >= OD_POP3_ERROR_REFUSED;

  return FALSE;
}

/* A login refused for its credentials (the token): an error challenge was read, or IMAP's
 * [AUTHENTICATIONFAILED] or a NO without a code, POP3's -ERR [AUTH] or a plain -ERR. */
static gboolean
is_token_refusal (OdCheck      *self,
                  const GError *error)
{
  const OdSaslOAuthError *challenge = IMAP (self) ? od_imap_session_get_oauth_error (self->imap)
                                                  : od_pop3_session_get_oauth_error (self->pop3);

  if (challenge != NULL && is_refusal (error))
    return TRUE;
  if (error->domain == OD_IMAP_ERROR)
    return error->code == OD_IMAP_ERROR_AUTHENTICATION_FAILED || error->code == OD_IMAP_ERROR_NO;
  if (error->domain == OD_POP3_ERROR)
    return error->code == OD_POP3_ERROR_AUTH || error->code == OD_POP3_ERROR_REFUSED;
  return FALSE;
}

/* The problem of @error at @step_id, with the server's own words as its reply. */
static void
fail_with_words (OdCheck      *self,
                 const char   *step_id,
                 const GError *error,
                 gboolean      say_goodbye)
{
  OdDiagnosisContext ctx;
  g_autoptr(OdProblem) found = NULL;
  g_autoptr(OdProblem) problem = NULL;

  od_check_diagnosis_context (self, &ctx);
  found = od_diagnosis_from_error (step_id, error, &ctx);
  problem = od_problem_new (od_problem_get_kind (found), step_id,
                            od_problem_get_severity (found), od_problem_get_summary (found),
                            od_problem_get_remedy (found), error->message);
  od_check_fail_step (self, step_id, problem, NULL);
  od_check_finish_run (self, say_goodbye);
}

/* A step failed with @error: a refusal is explained with the server's own words, and the
 * check logs out; anything else (a time-out, a broken or garbled stream) ends as for
 * sending. */
static void
fail (OdCheck      *self,
      const char   *step_id,
      const GError *error)
{
  if (!is_refusal (error))
    {
      od_check_fail_with_error (self, step_id, error);
      return;
    }

  fail_with_words (self, step_id, error, TRUE);
}

/* ---- Greeting ------------------------------------------------------------------------- */

static void
greeting_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdImapResponse) response = NULL;
  g_autoptr(OdPop3Reply) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;

  if (IMAP (self))
    response = od_imap_session_finish (self->imap, result, &error);
  else
    reply = od_pop3_session_reply_finish (self->pop3, result, &error);

  if (error != NULL)
    {
      /* No greeting in plain text: perhaps the port expects TLS from the first byte. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) &&
          self->security != OD_SECURITY_TLS)
        {
          od_check_explain_by_sniffing (self, OD_STEP_GREETING, OD_SNIFF_TLS, error);
          return;
        }

      /* A "* BYE" or "-ERR" greeting: the server will not talk to us (its words are
       * shown), and there is nothing to log out of. */
      if (g_error_matches (error, OD_IMAP_ERROR, OD_IMAP_ERROR_BYE) || is_refusal (error))
        fail_with_words (self, OD_STEP_GREETING, error, FALSE);
      else
        od_check_fail_with_error (self, OD_STEP_GREETING, error);
      return;
    }

  text = response ? od_imap_response_get_line (response) : od_pop3_reply_get_line (reply);
  od_check_finish_step (self, OD_STEP_GREETING, OD_STEP_STATE_PASS, text, NULL);
  /* From here on nothing needs time kept back; the run's deadline stays the limit. */
  set_timeout (self, self->step_timeout_ms);
  capabilities (self);
}

/**
 * od_check_incoming_greeting:
 *
 * Connected (and encrypted, for implicit TLS): reads the IMAP or POP3 greeting.
 */
void
od_check_incoming_greeting (OdCheck *self)
{
  GIOStream *stream = od_connect_get_stream (self->connect);
  OdTlsClient *tls = od_check_tls_client (self);
  /* Without a greeting the TLS sniff has to run: its time is kept back. */
  guint timeout_ms = od_check_stage_timeout (self, self->security == OD_SECURITY_TLS
                                                   ? 0 : OD_SNIFF_TIMEOUT_MS);

  if (self->security == OD_SECURITY_NONE)
    od_check_finish_step (self, OD_STEP_TLS, OD_STEP_STATE_SKIP,
                          _("Encryption is turned off for this server: everything, "
                            "including your messages, travels readable by anyone on the "
                            "way."),
                          NULL);

  od_check_step_start (step (self, OD_STEP_GREETING));

  if (IMAP (self))
    {
      self->imap = od_imap_session_new (stream, tls, self->transcript);
      od_imap_session_set_timeout (self->imap, timeout_ms);
      od_imap_session_read_greeting_async (self->imap, self->cancellable, greeting_cb,
                                           g_object_ref (self));
      return;
    }

  self->pop3 = od_pop3_session_new (stream, tls, self->transcript);
  od_pop3_session_set_timeout (self->pop3, timeout_ms);
  od_pop3_session_read_greeting_async (self->pop3, self->cancellable, greeting_cb,
                                       g_object_ref (self));
}

/* ---- Capabilities and STARTTLS -------------------------------------------------------- */

static void
capabilities_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdImapResponse) response = NULL;
  g_autoptr(OdPop3Reply) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (IMAP (self))
    response = od_imap_session_finish (self->imap, result, &error);
  else
    reply = od_pop3_session_reply_finish (self->pop3, result, &error);

  if (error != NULL)
    {
      fail (self, OD_STEP_CAPABILITIES, error);
      return;
    }

  after_capabilities (self);
}

/* CAPABILITY or CAPA; a POP3 server without CAPA (RFC 1939 only) answers "-ERR", which
 * the session does not count as an error. */
static void
capabilities (OdCheck *self)
{
  od_check_step_start (step (self, OD_STEP_CAPABILITIES));

  if (IMAP (self))
    od_imap_session_capability_async (self->imap, self->cancellable, capabilities_cb,
                                      g_object_ref (self));
  else
    od_pop3_session_capa_async (self->pop3, self->cancellable, capabilities_cb,
                                g_object_ref (self));
}

static void
starttls_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdImapResponse) response = NULL;
  g_autoptr(OdPop3Reply) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (IMAP (self))
    response = od_imap_session_finish (self->imap, result, &error);
  else
    reply = od_pop3_session_reply_finish (self->pop3, result, &error);

  if (error != NULL)
    {
      if (error->domain == G_TLS_ERROR || error->domain == G_IO_ERROR)
        od_check_tls_failed (self, error);
      else
        fail (self, OD_STEP_TLS, error);
      return;
    }

  if (!od_check_tls_passed (self))
    return;

  /* The IMAP session asked for the capabilities again inside TLS (RFC 9051 §6.2.1); POP3
   * forgets them and needs CAPA again (RFC 2595 §4). */
  if (IMAP (self))
    after_capabilities (self);
  else
    od_pop3_session_capa_async (self->pop3, self->cancellable, capabilities_cb,
                                g_object_ref (self));
}

static char *
describe_capabilities (OdCheck *self)
{
  g_autoptr(GString) str = g_string_new (NULL);
  char * const *mechanisms;

  if (IMAP (self))
    {
      const OdImapCapabilities *caps = od_imap_session_get_capabilities (self->imap);

      mechanisms = caps ? caps->auth_mechanisms : NULL;
      if (caps != NULL && caps->login_disabled)
        g_string_append (str, _("Password login is disabled on this connection."));
      else if (caps != NULL && (mechanisms == NULL || mechanisms[0] == NULL))
        g_string_append (str, _("Login with the LOGIN command."));
    }
  else
    {
      const OdPop3Capabilities *caps = od_pop3_session_get_capabilities (self->pop3);

      mechanisms = caps ? caps->sasl_mechanisms : NULL;
      if (caps == NULL)
        g_string_append (str, _("The server does not list its capabilities (no CAPA)."));
      else if (mechanisms == NULL || mechanisms[0] == NULL)
        g_string_append (str, caps->user ? _("Login with USER and PASS.")
                                         : _("The server offers no login."));
    }

  if (mechanisms != NULL && mechanisms[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **)mechanisms);

      /* Translators: %s is a list of login methods such as "PLAIN, LOGIN" */
      g_string_append_printf (str, _("Login methods: %s."), joined);
    }

  return g_string_free (g_steal_pointer (&str), FALSE);
}

/* Before encryption: does the server offer STARTTLS (or STLS), and does it allow a
 * password login at all? */
static gboolean
starttls_offered (OdCheck  *self,
                  gboolean *login_disabled)
{
  if (IMAP (self))
    {
      const OdImapCapabilities *caps = od_imap_session_get_capabilities (self->imap);

      *login_disabled = caps != NULL && caps->login_disabled;
      return caps != NULL && caps->starttls;
    }

  *login_disabled = FALSE;
  /* A server without CAPA may still know STLS: try it. */
  return od_pop3_session_get_capabilities (self->pop3) == NULL ||
         od_pop3_session_get_capabilities (self->pop3)->stls;
}

static void
after_capabilities (OdCheck *self)
{
  g_autofree char *detail = NULL;
  gboolean login_disabled;
  gboolean offered = starttls_offered (self, &login_disabled);

  /* LOGINDISABLED without STARTTLS: no password login on this port at all. */
  if (!is_tls (self) && login_disabled && !offered && self->password != NULL)
    {
      od_check_fail_with_problem (self, OD_STEP_CAPABILITIES, OD_PROBLEM_IMAP_LOGIN_DISABLED,
                                  NULL, TRUE);
      return;
    }

  if (self->security == OD_SECURITY_STARTTLS && !is_tls (self))
    {
      if (!offered)
        {
          od_check_fail_with_problem (self, OD_STEP_TLS, OD_PROBLEM_STARTTLS_NOT_OFFERED, NULL,
                                      TRUE);
          return;
        }

      od_check_step_start (step (self, OD_STEP_TLS));
      if (IMAP (self))
        od_imap_session_starttls_async (self->imap, self->cancellable, starttls_cb,
                                        g_object_ref (self));
      else
        od_pop3_session_stls_async (self->pop3, self->cancellable, starttls_cb,
                                    g_object_ref (self));
      return;
    }

  detail = describe_capabilities (self);
  od_check_finish_step (self, OD_STEP_CAPABILITIES, OD_STEP_STATE_PASS, detail, NULL);
  authenticate (self);
}

/* ---- Login ---------------------------------------------------------------------------- */

static void
auth_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdImapResponse) response = NULL;
  g_autoptr(OdPop3Reply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;

  if (IMAP (self))
    response = od_imap_session_finish (self->imap, result, &error);
  else
    reply = od_pop3_session_reply_finish (self->pop3, result, &error);

  /* A refused token: explained from the error challenge and the server's words. Only a
   * refusal of the login itself: a busy or unavailable server is that, as for a password. */
  if (error != NULL && self->oauth != NULL && is_token_refusal (self, error))
    {
      g_autoptr(OdProblem) problem = NULL;
      const OdSaslOAuthError *challenge = IMAP (self) ? od_imap_session_get_oauth_error (self->imap)
                                                      : od_pop3_session_get_oauth_error (self->pop3);

      problem = od_check_oauth_refusal (self, OD_STEP_AUTH, challenge, error->message, FALSE);
      detail = od_check_oauth_refusal_detail (self, challenge);
      od_check_fail_step (self, OD_STEP_AUTH, problem, detail);
      od_check_finish_run (self, TRUE);
      return;
    }
  if (error != NULL)
    {
      fail (self, OD_STEP_AUTH, error);
      return;
    }

  if (self->oauth != NULL)
    detail = od_check_oauth_success_detail (self);
  else
    /* Translators: %s is a user name, usually an email address */
    detail = g_strdup_printf (_("Logged in as %s."), self->username);
  od_check_finish_step (self, OD_STEP_AUTH, OD_STEP_STATE_PASS, detail, NULL);
  mailbox (self);
}

/* The account signs in with a token, and the server takes none. */
static void
fail_token_not_offered (OdCheck *self)
{
  g_autoptr(OdProblem) problem = NULL;
  OdDiagnosisContext ctx;

  od_check_diagnosis_context (self, &ctx);
  problem = od_diagnosis_problem_new_for_reason (OD_PROBLEM_AUTH_MECHANISM_UNSUPPORTED,
                                                 OD_REASON_TOKEN_NOT_OFFERED, OD_STEP_AUTH,
                                                 OD_SEVERITY_ERROR, &ctx);
  od_check_fail_step (self, OD_STEP_AUTH, problem, NULL);
  od_check_finish_run (self, TRUE);
}

/* Inside TLS, PLAIN, then LOGIN, then the protocol's own password command. */
static void
log_in_imap (OdCheck *self)
{
  const OdImapCapabilities *caps = od_imap_session_get_capabilities (self->imap);
  OdImapLogin method = OD_IMAP_LOGIN_COMMAND;

  if (caps != NULL && caps->login_disabled)
    {
      od_check_fail_with_problem (self, OD_STEP_AUTH, OD_PROBLEM_IMAP_LOGIN_DISABLED, NULL,
                                  TRUE);
      return;
    }

  /* With a token: OAUTHBEARER, else XOAUTH2, whichever the server offers. */
  if (self->oauth != NULL)
    {
      if (caps != NULL && od_imap_capabilities_has_auth (caps, OD_SASL_OAUTHBEARER))
        method = OD_IMAP_LOGIN_OAUTHBEARER;
      else if (caps != NULL && od_imap_capabilities_has_auth (caps, OD_SASL_XOAUTH2))
        method = OD_IMAP_LOGIN_XOAUTH2;
      else
        {
          fail_token_not_offered (self);
          return;
        }
      self->mechanism = method == OD_IMAP_LOGIN_OAUTHBEARER ? OD_SASL_OAUTHBEARER
                                                            : OD_SASL_XOAUTH2;
      od_imap_session_set_server (self->imap, self->host, self->port);
      od_imap_session_login_async (self->imap, method, self->username, self->password,
                                   self->cancellable, auth_cb, g_object_ref (self));
      return;
    }
  if (caps != NULL && od_imap_capabilities_has_auth (caps, "PLAIN"))
    method = OD_IMAP_LOGIN_PLAIN;
  else if (caps != NULL && od_imap_capabilities_has_auth (caps, "LOGIN"))
    method = OD_IMAP_LOGIN_LOGIN;

  self->mechanism = method == OD_IMAP_LOGIN_PLAIN ? "PLAIN" :
                    method == OD_IMAP_LOGIN_LOGIN ? "LOGIN" : "LOGIN command";
  od_imap_session_login_async (self->imap, method, self->username, self->password,
                               self->cancellable, auth_cb, g_object_ref (self));
}

static void
log_in_pop3 (OdCheck *self)
{
  const OdPop3Capabilities *caps = od_pop3_session_get_capabilities (self->pop3);

  /* With a token: OAUTHBEARER, else XOAUTH2 (RFC 5034's AUTH). */
  if (self->oauth != NULL)
    {
      if (caps != NULL && od_pop3_capabilities_has_sasl (caps, OD_SASL_OAUTHBEARER))
        self->mechanism = OD_SASL_OAUTHBEARER;
      else if (caps != NULL && od_pop3_capabilities_has_sasl (caps, OD_SASL_XOAUTH2))
        self->mechanism = OD_SASL_XOAUTH2;
      else
        {
          fail_token_not_offered (self);
          return;
        }
      od_pop3_session_set_server (self->pop3, self->host, self->port);
    }
  else if (caps != NULL && od_pop3_capabilities_has_sasl (caps, "PLAIN"))
    self->mechanism = "PLAIN";
  else if (caps != NULL && od_pop3_capabilities_has_sasl (caps, "LOGIN"))
    self->mechanism = "LOGIN";
  else
    self->mechanism = "USER";

  od_pop3_session_login_async (self->pop3, self->mechanism, self->username, self->password,
                               self->cancellable, auth_cb, g_object_ref (self));
}

static void
authenticate (OdCheck *self)
{
  od_check_step_start (step (self, OD_STEP_AUTH));

  /* An OAuth account whose token could not be had: nothing to log in with. */
  if (od_check_oauth_token_failed (self))
    return;
  if (self->password == NULL)
    {
      od_check_finish_step (self, OD_STEP_AUTH, OD_STEP_STATE_SKIP,
                            _("No password was given, so logging in was not tried."), NULL);
      od_check_finish_step (self, OD_STEP_MAILBOX, OD_STEP_STATE_SKIP,
                            _("Not checked: the mailbox can only be opened after logging in."),
                            NULL);
      od_check_finish_run (self, TRUE);
      return;
    }

  /* No password to a server nobody vouched for (od-check-trust.c). */
  if (!od_check_server_confirmed (self))
    return;

  /* Never a password in the clear: the IMAP session would send one. */
  if (!is_tls (self))
    {
      od_check_fail_with_problem (self, OD_STEP_AUTH, OD_PROBLEM_AUTH_PLAINTEXT_REFUSED, NULL,
                                  TRUE);
      return;
    }

  if (IMAP (self))
    log_in_imap (self);
  else
    log_in_pop3 (self);
}

/* ---- The mailbox ---------------------------------------------------------------------- */

static void
mailbox_passed (OdCheck    *self,
                const char *quota)
{
  g_autofree char *detail = NULL;
  g_autofree char *size = NULL;

  if (IMAP (self))
    /* Translators: %u is a number of messages */
    detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The inbox holds %u message.",
                                           "The inbox holds %u messages.", self->n_messages),
                              self->n_messages);
  else
    {
      size = g_format_size (self->mailbox_size);
      /* Translators: %u is a number of messages, %s their size such as "1.2 MB" */
      detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "The mailbox holds %u message (%s).",
                                             "The mailbox holds %u messages (%s).",
                                             self->n_messages),
                                self->n_messages, size);
    }

  if (quota != NULL)
    {
      g_autofree char *both = g_strdup_printf ("%s %s", detail, quota);

      g_free (detail);
      detail = g_steal_pointer (&both);
    }

  od_check_finish_step (self, OD_STEP_MAILBOX, OD_STEP_STATE_PASS, detail, NULL);
  od_check_finish_run (self, TRUE);
}

/* RFC 9208: the storage in KiB, and the number of messages, against their limits. */
static void
quota_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *used = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *detail = NULL;
  OdImapQuota quota;
  gboolean full;

  response = od_imap_session_finish (self->imap, result, &error);
  if (error != NULL && !is_refusal (error))
    {
      od_check_fail_with_error (self, OD_STEP_MAILBOX, error);
      return;
    }

  /* A quota the server will not tell is no finding: the inbox opened. */
  if (error != NULL || !od_imap_session_get_quota (self->imap, &quota) || !quota.has_storage ||
      quota.storage_limit == 0)
    {
      mailbox_passed (self, NULL);
      return;
    }

  used = g_format_size (quota.storage_used * 1024);
  limit = g_format_size (quota.storage_limit * 1024);
  /* Translators: "512 kB of 1.0 GB used." */
  detail = g_strdup_printf (_("%s of %s used."), used, limit);
  full = quota.storage_used >= quota.storage_limit ||
         (quota.has_messages && quota.messages_limit > 0 &&
          quota.messages_used >= quota.messages_limit);
  if (!full)
    {
      mailbox_passed (self, detail);
      return;
    }

  od_check_fail_with_problem (self, OD_STEP_MAILBOX, OD_PROBLEM_MAILBOX_QUOTA_EXCEEDED, detail,
                              TRUE);
}

static void
mailbox_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  guint64 size = 0;
  const OdImapCapabilities *caps;

  if (IMAP (self))
    response = od_imap_session_finish (self->imap, result, &error);
  else
    od_pop3_session_stat_finish (self->pop3, result, &self->n_messages, &size, &error);

  if (error != NULL)
    {
      fail (self, OD_STEP_MAILBOX, error);
      return;
    }

  self->mailbox_size = size;
  self->mailbox_opened = TRUE;
  if (!IMAP (self))
    {
      mailbox_passed (self, NULL);
      return;
    }

  self->n_messages = od_imap_session_get_exists (self->imap);
  caps = od_imap_session_get_capabilities (self->imap);
  if (caps == NULL || !caps->quota)
    {
      mailbox_passed (self, NULL);
      return;
    }

  od_imap_session_get_quota_root_async (self->imap, "INBOX", self->cancellable, quota_cb,
                                        g_object_ref (self));
}

/* IMAP: SELECT INBOX (the message count), then the quota when QUOTA is offered. POP3: STAT.
 * Nothing is changed or deleted. */
static void
mailbox (OdCheck *self)
{
  od_check_step_start (step (self, OD_STEP_MAILBOX));

  if (IMAP (self))
    od_imap_session_select_async (self->imap, "INBOX", self->cancellable, mailbox_cb,
                                  g_object_ref (self));
  else
    od_pop3_session_stat_async (self->pop3, self->cancellable, mailbox_cb, g_object_ref (self));
}

/* ---- Goodbye -------------------------------------------------------------------------- */

static void
goodbye_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(OdImapResponse) response = NULL;
  g_autoptr(OdPop3Reply) reply = NULL;

  if (IMAP (self))
    response = od_imap_session_finish (self->imap, result, NULL);
  else
    reply = od_pop3_session_reply_finish (self->pop3, result, NULL);

  od_check_finish_run (self, FALSE);
}

/**
 * od_check_incoming_say_goodbye:
 * @timeout_ms: what LOGOUT or QUIT may take
 *
 * Returns: %TRUE if LOGOUT (IMAP) or QUIT (POP3) was sent: the run finishes once it is
 *   answered; %FALSE when there is no conversation to end
 */
gboolean
od_check_incoming_say_goodbye (OdCheck *self,
                               guint    timeout_ms)
{
  if (self->imap != NULL)
    {
      od_imap_session_set_timeout (self->imap, timeout_ms);
      od_imap_session_logout_async (self->imap, self->cancellable, goodbye_cb,
                                    g_object_ref (self));
      return TRUE;
    }

  if (self->pop3 != NULL)
    {
      od_pop3_session_set_timeout (self->pop3, timeout_ms);
      od_pop3_session_quit_async (self->pop3, self->cancellable, goodbye_cb,
                                  g_object_ref (self));
      return TRUE;
    }

  return FALSE;
}

/* The run completed: the connection goes. */
void
od_check_incoming_close (OdCheck *self)
{
  if (self->imap != NULL)
    od_imap_session_close (self->imap);
  if (self->pop3 != NULL)
    od_pop3_session_close (self->pop3);
}

/**
 * od_check_set_protocol:
 * @protocol: %OD_PROTOCOL_SMTP (sending, the default), or %OD_PROTOCOL_IMAP or
 *   %OD_PROTOCOL_POP3 to check the incoming server
 *
 * Chooses the conversation, and with it the checklist: receiving has the steps network,
 * dns, connect, tls, greeting, capabilities, auth and mailbox. Set it before connecting
 * anything to the checklist.
 */
void
od_check_set_protocol (OdCheck    *self,
                       OdProtocol  protocol)
{
  g_return_if_fail (OD_IS_CHECK (self));
  g_return_if_fail (self->task == NULL && self->started_us == 0);

  if (self->protocol == protocol)
    return;

  self->protocol = protocol;
  g_clear_object (&self->checklist);
  self->checklist = od_checklist_new_for_protocol (protocol);
}

OdProtocol
od_check_get_protocol (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), OD_PROTOCOL_SMTP);
  return self->protocol;
}

/**
 * od_check_get_mailbox:
 * @n_messages: (out) (optional): the messages in the inbox (IMAP) or the mailbox (POP3)
 *
 * Returns: whether an incoming check opened the mailbox, so that @n_messages is known
 */
gboolean
od_check_get_mailbox (OdCheck *self,
                      guint   *n_messages)
{
  OdStepState state;

  g_return_val_if_fail (OD_IS_CHECK (self), FALSE);

  if (!od_protocol_is_incoming (self->protocol))
    return FALSE;

  state = od_check_step_get_state (step (self, OD_STEP_MAILBOX));
  if (state != OD_STEP_STATE_PASS && state != OD_STEP_STATE_WARN &&
      !(state == OD_STEP_STATE_FAIL && self->mailbox_opened))
    return FALSE;

  if (n_messages != NULL)
    *n_messages = self->n_messages;
  return TRUE;
}
