/* od-probe-incoming.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-probe"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "od-imap-session.h"
#include "od-pop3-session.h"
#include "od-probe-private.h"

/* The conversation of a probe of an incoming server, after the connector's way to it (and
 * the implicit TLS handshake): IMAP greeting ("* OK"), CAPABILITY unless the greeting
 * carried it, and on a STARTTLS port STARTTLS with the real handshake, after which the
 * session reads CAPABILITY again; POP3 greeting ("+OK"), CAPA, and STLS and CAPA again. The
 * login methods offered are noted (AUTH=…, LOGINDISABLED, SASL, USER); nobody logs in.
 * A STARTTLS port without STARTTLS, or bytes injected after its answer, never lead to plain
 * text: they are the outcome. */

#define LOGOUT_TIMEOUT_MS 1000

static void imap_capabilities_known (OdProbe *self);
static void pop3_capabilities_known (OdProbe *self);

void
od_probe_fail_with_problem (OdProbe       *self,
                            OdProbeStatus  status,
                            OdProblemKind  kind,
                            const char    *step_id)
{
  OdDiagnosisContext ctx;
  g_autoptr(OdProblem) problem = NULL;

  od_probe_diagnosis_context (self, &ctx);
  problem = od_diagnosis_problem_new (kind, step_id, OD_SEVERITY_ERROR, &ctx, NULL);
  od_probe_finish (self, status, od_problem_get_summary (problem), problem, FALSE);
}

/* The server's own refusal (NO, BAD, BYE, -ERR), in its words. */
static void
fail_refused (OdProbe       *self,
              OdProblemKind  kind,
              const char    *step_id,
              const GError  *error)
{
  OdDiagnosisContext ctx;
  g_autoptr(OdProblem) problem = NULL;
  g_autofree char *detail = NULL;

  od_probe_diagnosis_context (self, &ctx);
  problem = od_diagnosis_problem_new (kind, step_id, OD_SEVERITY_ERROR, &ctx, error->message);
  /* Translators: %s is what the server said, such as "554 No SMTP service here" */
  detail = g_strdup_printf (_("The server refused: %s"), error->message);
  od_probe_finish (self, OD_PROBE_ERROR, detail, problem, FALSE);
}

/* Errors of our own protocol units become problems here; the others (network, TLS, time-outs)
 * go to the diagnosis as the SMTP probe's do. */
static void
fail (OdProbe      *self,
      const char   *step_id,
      const GError *error)
{
  gboolean tls_step = g_strcmp0 (step_id, OD_STEP_TLS) == 0;

  if (error->domain == OD_IMAP_ERROR)
    switch (error->code)
      {
      case OD_IMAP_ERROR_MALFORMED_RESPONSE:
      case OD_IMAP_ERROR_LINE_TOO_LONG:
      case OD_IMAP_ERROR_LITERAL_TOO_LARGE:
      case OD_IMAP_ERROR_TOO_MANY_RESPONSES:
        od_probe_fail_with_problem (self, OD_PROBE_NO_SMTP, OD_PROBLEM_PROTOCOL_ERROR, step_id);
        return;
      case OD_IMAP_ERROR_STARTTLS_INJECTION:
        od_probe_fail_with_problem (self, OD_PROBE_TLS_ERROR, OD_PROBLEM_STARTTLS_FAILED, step_id);
        return;
      case OD_IMAP_ERROR_NOT_OFFERED:
        od_probe_fail_with_problem (self, OD_PROBE_ERROR, OD_PROBLEM_STARTTLS_NOT_OFFERED, step_id);
        return;
      case OD_IMAP_ERROR_PREAUTH:
        od_probe_fail_with_problem (self, OD_PROBE_ERROR, OD_PROBLEM_STARTTLS_FAILED, step_id);
        return;
      case OD_IMAP_ERROR_UNAVAILABLE:
        fail_refused (self, OD_PROBLEM_SERVER_BUSY, step_id, error);
        return;
      case OD_IMAP_ERROR_NO:
      case OD_IMAP_ERROR_BAD:
      case OD_IMAP_ERROR_BYE:
        fail_refused (self, tls_step ? OD_PROBLEM_STARTTLS_FAILED : OD_PROBLEM_SERVER_ERROR_PERMANENT,
                      step_id, error);
        return;
      default:
        break;
      }

  if (error->domain == OD_POP3_ERROR)
    switch (error->code)
      {
      case OD_POP3_ERROR_MALFORMED_RESPONSE:
      case OD_POP3_ERROR_LINE_TOO_LONG:
      case OD_POP3_ERROR_TOO_MANY_LINES:
        od_probe_fail_with_problem (self, OD_PROBE_NO_SMTP, OD_PROBLEM_PROTOCOL_ERROR, step_id);
        return;
      case OD_POP3_ERROR_STLS_INJECTION:
        od_probe_fail_with_problem (self, OD_PROBE_TLS_ERROR, OD_PROBLEM_STARTTLS_FAILED, step_id);
        return;
      case OD_POP3_ERROR_SYS_TEMP:
      case OD_POP3_ERROR_IN_USE:
        fail_refused (self, OD_PROBLEM_SERVER_BUSY, step_id, error);
        return;
      case OD_POP3_ERROR_REFUSED:
      case OD_POP3_ERROR_SYS_PERM:
        fail_refused (self, tls_step ? OD_PROBLEM_STARTTLS_FAILED : OD_PROBLEM_SERVER_ERROR_PERMANENT,
                      step_id, error);
        return;
      default:
        break;
      }

  if (error->domain == OD_IMAP_ERROR || error->domain == OD_POP3_ERROR)
    {
      /* The server hung up, or something we cannot name. */
      od_probe_fail_with_problem (self, OD_PROBE_ERROR, OD_PROBLEM_PROTOCOL_ERROR, step_id);
      return;
    }

  od_probe_fail_with_error (self, step_id, error);
}

static void
succeed (OdProbe *self)
{
  OdTlsInfo *tls_info = od_tls_client_get_tls_info (od_connect_get_tls_client (self->connect));
  g_autoptr(GString) detail = g_string_new (NULL);

  if (tls_info != NULL)
    /* Translators: %s is a protocol such as "TLS 1.3" */
    g_string_append_printf (detail, _("A mail server answered, encrypted with %s."),
                            od_tls_info_get_protocol_name (tls_info));
  else
    g_string_append (detail, _("A mail server answered, encrypted."));

  g_string_append_c (detail, ' ');
  if (self->login_disabled)
    g_string_append (detail, _("It refuses every password login on this port "
                               "(LOGINDISABLED)."));
  else if (self->mechanisms != NULL && self->mechanisms[0] != NULL)
    {
      g_autofree char *mechs = g_strjoinv (", ", self->mechanisms);
      /* Translators: %s is a list of login methods such as "PLAIN, LOGIN" */
      g_string_append_printf (detail, _("Login methods: %s."), mechs);
    }
  else if (self->protocol == OD_PROTOCOL_IMAP)
    /* IMAP's LOGIN command needs no AUTH= capability. */
    g_string_append (detail, _("Login with user name and password."));
  else
    g_string_append (detail, _("It offers no login on this port."));

  od_probe_finish (self, OD_PROBE_OK, detail->str, NULL, TRUE);
}

/* ---- IMAP ----------------------------------------------------------------------------- */

static void
imap_logout_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OdImapSession) session = user_data;
  g_autoptr(OdImapResponse) response = od_imap_session_finish (session, result, NULL);

  od_imap_session_close (session);
}

static void
pop3_quit_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OdPop3Session) session = user_data;
  g_autoptr(OdPop3Reply) reply = od_pop3_session_reply_finish (session, result, NULL);

  od_pop3_session_close (session);
}

void
od_probe_incoming_stop (OdProbe  *self,
                        gboolean  polite)
{
  g_autoptr(GObject) session = g_steal_pointer (&self->incoming);

  if (OD_IS_IMAP_SESSION (session))
    {
      OdImapSession *imap = OD_IMAP_SESSION (session);

      if (!polite)
        {
          od_imap_session_close (imap);
          return;
        }
      /* A short goodbye that nobody waits for. */
      od_imap_session_set_timeout (imap, LOGOUT_TIMEOUT_MS);
      od_imap_session_logout_async (imap, NULL, imap_logout_cb, g_object_ref (imap));
    }
  else if (OD_IS_POP3_SESSION (session))
    {
      OdPop3Session *pop3 = OD_POP3_SESSION (session);

      if (!polite)
        {
          od_pop3_session_close (pop3);
          return;
        }
      od_pop3_session_set_timeout (pop3, LOGOUT_TIMEOUT_MS);
      od_pop3_session_quit_async (pop3, NULL, pop3_quit_cb, g_object_ref (pop3));
    }
}

static void
imap_starttls_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(OdProbe) self = user_data;
  g_autoptr(OdImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = od_imap_session_finish (OD_IMAP_SESSION (object), result, &error);
  if (response == NULL)
    {
      fail (self, OD_STEP_TLS, error);
      return;
    }

  /* The session read CAPABILITY again inside TLS. */
  imap_capabilities_known (self);
}

static void
imap_capabilities_known (OdProbe *self)
{
  OdImapSession *session = OD_IMAP_SESSION (self->incoming);
  const OdImapCapabilities *caps = od_imap_session_get_capabilities (session);

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      od_probe_return_cancelled (self);
      return;
    }

  if (!od_imap_session_is_tls (session))
    {
      g_assert (self->security == OD_SECURITY_STARTTLS);

      self->starttls_offered = caps != NULL && caps->starttls;
      if (!self->starttls_offered)
        {
          /* Never on in plain text: a server without STARTTLS is an outcome. */
          od_probe_fail_with_problem (self, OD_PROBE_ERROR, OD_PROBLEM_STARTTLS_NOT_OFFERED,
                                      OD_STEP_TLS);
          return;
        }

      od_imap_session_starttls_async (session, self->cancellable, imap_starttls_cb,
                                      g_object_ref (self));
      return;
    }

  if (caps == NULL)
    {
      od_probe_fail_with_problem (self, OD_PROBE_NO_SMTP, OD_PROBLEM_PROTOCOL_ERROR,
                                  OD_STEP_EHLO);
      return;
    }

  g_clear_pointer (&self->mechanisms, g_strfreev);
  self->mechanisms = g_strdupv (caps->auth_mechanisms);
  self->login_disabled = caps->login_disabled;
  succeed (self);
}

static void
imap_capability_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(OdProbe) self = user_data;
  g_autoptr(OdImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = od_imap_session_finish (OD_IMAP_SESSION (object), result, &error);
  if (response == NULL)
    {
      fail (self, OD_STEP_EHLO, error);
      return;
    }

  imap_capabilities_known (self);
}

static void
imap_greeting_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(OdProbe) self = user_data;
  g_autoptr(OdImapResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  OdImapSession *session = OD_IMAP_SESSION (object);

  response = od_imap_session_finish (session, result, &error);
  if (response == NULL)
    {
      fail (self, OD_STEP_GREETING, error);
      return;
    }

  /* Most servers put their capabilities in the greeting: one round trip saved. */
  if (od_imap_session_get_capabilities (session) != NULL)
    {
      imap_capabilities_known (self);
      return;
    }

  od_imap_session_capability_async (session, self->cancellable, imap_capability_cb,
                                    g_object_ref (self));
}

/* ---- POP3 ----------------------------------------------------------------------------- */

static void
pop3_capa_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OdProbe) self = user_data;
  g_autoptr(OdPop3Reply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = od_pop3_session_reply_finish (OD_POP3_SESSION (object), result, &error);
  if (reply == NULL)
    {
      fail (self, OD_STEP_EHLO, error);
      return;
    }

  pop3_capabilities_known (self);
}

static void
pop3_stls_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OdProbe) self = user_data;
  g_autoptr(OdPop3Reply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = od_pop3_session_reply_finish (OD_POP3_SESSION (object), result, &error);
  if (reply == NULL)
    {
      fail (self, OD_STEP_TLS, error);
      return;
    }

  /* RFC 2595 §4: the capabilities are read again inside TLS. */
  od_pop3_session_capa_async (OD_POP3_SESSION (object), self->cancellable, pop3_capa_cb,
                              g_object_ref (self));
}

static void
pop3_capabilities_known (OdProbe *self)
{
  OdPop3Session *session = OD_POP3_SESSION (self->incoming);
  const OdPop3Capabilities *caps = od_pop3_session_get_capabilities (session);
  g_autoptr(GStrvBuilder) mechanisms = g_strv_builder_new ();

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      od_probe_return_cancelled (self);
      return;
    }

  if (!od_pop3_session_is_tls (session))
    {
      g_assert (self->security == OD_SECURITY_STARTTLS);

      self->starttls_offered = caps != NULL && caps->stls;
      if (!self->starttls_offered)
        {
          od_probe_fail_with_problem (self, OD_PROBE_ERROR, OD_PROBLEM_STARTTLS_NOT_OFFERED,
                                      OD_STEP_TLS);
          return;
        }

      od_pop3_session_stls_async (session, self->cancellable, pop3_stls_cb,
                                  g_object_ref (self));
      return;
    }

  /* A server without CAPA is a plain RFC 1939 server: USER and PASS. */
  if (caps != NULL)
    g_strv_builder_addv (mechanisms, (const char **)caps->sasl_mechanisms);
  if (caps == NULL || caps->user)
    g_strv_builder_add (mechanisms, "USER");

  g_clear_pointer (&self->mechanisms, g_strfreev);
  self->mechanisms = g_strv_builder_end (mechanisms);
  succeed (self);
}

static void
pop3_greeting_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(OdProbe) self = user_data;
  g_autoptr(OdPop3Reply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = od_pop3_session_reply_finish (OD_POP3_SESSION (object), result, &error);
  if (reply == NULL)
    {
      fail (self, OD_STEP_GREETING, error);
      return;
    }

  od_pop3_session_capa_async (OD_POP3_SESSION (object), self->cancellable, pop3_capa_cb,
                              g_object_ref (self));
}

/**
 * od_probe_incoming_greeting:
 *
 * Starts the IMAP or POP3 conversation over the connector's stream.
 */
void
od_probe_incoming_greeting (OdProbe *self)
{
  GIOStream *stream = od_connect_get_stream (self->connect);
  OdTlsClient *tls = od_connect_get_tls_client (self->connect);

  g_assert (self->incoming == NULL);

  if (self->protocol == OD_PROTOCOL_IMAP)
    {
      OdImapSession *session = od_imap_session_new (stream, tls, self->transcript);

      self->incoming = G_OBJECT (session);
      od_imap_session_set_timeout (session, self->timeout_ms);
      od_imap_session_read_greeting_async (session, self->cancellable, imap_greeting_cb,
                                           g_object_ref (self));
    }
  else
    {
      OdPop3Session *session = od_pop3_session_new (stream, tls, self->transcript);

      self->incoming = G_OBJECT (session);
      od_pop3_session_set_timeout (session, self->timeout_ms);
      od_pop3_session_read_greeting_async (session, self->cancellable, pop3_greeting_cb,
                                           g_object_ref (self));
    }
}
