/* od-check.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-check"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-address.h"
#include "od-check-private.h"
#include "od-test-message.h"

/* Runs the checklist: the whole path a message takes from this computer to the server, one
 * step after another, stopping at the first failure and explaining it.
 *
 * This file reads in the order of the conversation: network and name lookup, connection
 * (in od-check-connect.c, with the look at the server's other ports), implicit TLS,
 * greeting, EHLO and STARTTLS, login, sender, recipient, message. The way to the server is
 * the connector's (od-connect.c), the conversation the SMTP session's; how a step ends and
 * how a failure is explained is in od-check-outcome.c. */

G_DEFINE_FINAL_TYPE (OdCheck, od_check, G_TYPE_OBJECT)

/* The steps, in the order of the conversation: each starts an operation whose callback,
 * just below it, decides what comes next. */
static void look_up             (OdCheck *self);
static void start_implicit_tls  (OdCheck *self);
static void greeting            (OdCheck *self);
static void ehlo                (OdCheck *self);
static void after_ehlo          (OdCheck *self);
static void starttls            (OdCheck *self);
static void authenticate        (OdCheck *self);
static void send_data           (OdCheck *self);

#define CALLBACK(name) static void name (GObject *object, GAsyncResult *result, gpointer data)
CALLBACK (lookup_cb);
CALLBACK (implicit_tls_cb);
CALLBACK (greeting_cb);
CALLBACK (ehlo_cb);
CALLBACK (starttls_cb);
CALLBACK (auth_cb);
CALLBACK (mail_cb);
CALLBACK (rcpt_cb);
CALLBACK (data_cb);
CALLBACK (rset_cb);
#undef CALLBACK

static OdCheckStep *
step (OdCheck    *self,
      const char *id)
{
  return od_checklist_get_step (self->checklist, id);
}

/* The TLS side of the check's connection, shared by od-check-trust.c and
 * od-check-outcome.c; %NULL before connecting. */
OdTlsClient *
od_check_tls_client (OdCheck *self)
{
  return self->connect ? od_connect_get_tls_client (self->connect) : NULL;
}

/* ---- Network and name lookup ---------------------------------------------------------- */

static void
look_up (OdCheck *self)
{
  od_check_step_start (step (self, OD_STEP_NETWORK));
  od_check_step_start (step (self, OD_STEP_DNS));
  od_connect_lookup_async (self->connect, od_check_stage_timeout (self, 0), self->cancellable,
                           lookup_cb, g_object_ref (self));
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) found = NULL;
  g_autofree char *detail = NULL;

  if (!od_connect_lookup_finish (OD_CONNECT (object), result, &error))
    {
      od_check_fail_with_error (self, OD_STEP_DNS, error);
      return;
    }

  if (g_hostname_is_ip_address (self->host))
    /* Translators: %s is an IP address */
    detail = g_strdup_printf (_("%s is an IP address: nothing to look up."), self->host);
  else
    {
      found = g_string_new (NULL);
      for (GList *l = od_connect_get_addresses (self->connect); l != NULL; l = l->next)
        {
          g_autofree char *ip = g_inet_address_to_string (l->data);

          g_string_append_printf (found, "%s%s", found->len ? ", " : "", ip);
        }

      /* Translators: "smtp.example.org is at 192.0.2.1, 2001:db8::1." */
      detail = g_strdup_printf (_("%s is at %s."), self->host, found->str);
    }

  od_check_finish_step (self, OD_STEP_DNS, OD_STEP_STATE_PASS, detail, NULL);
  od_check_connect (self);
}

/* ---- Connecting ----------------------------------------------------------------------- */

/* Connecting, and looking at the server's other ports while the chosen one is silent or
 * refuses, is in od-check-connect.c; it continues here once connected. */
void
od_check_connected (OdCheck *self)
{
  if (self->security == OD_SECURITY_TLS)
    start_implicit_tls (self);
  else
    greeting (self);
}

/* ---- Encryption ----------------------------------------------------------------------- */

void
od_check_tls_failed (OdCheck      *self,
                     const GError *error)
{
  g_set_object (&self->tls_info, od_tls_client_get_tls_info (od_check_tls_client (self)));

  if (self->tls_info != NULL && od_tls_info_get_errors (self->tls_info) != 0)
    {
      g_auto(GStrv) reasons = od_tls_info_describe_errors (self->tls_info);
      g_autofree char *joined = g_strjoinv (" ", reasons);
      g_autofree char *described = od_check_describe_certificate (self->tls_info);
      OdDiagnosisContext ctx;
      g_autoptr(OdProblem) problem = NULL;
      g_autofree char *detail = NULL;

      /* The TLS client accepts a certificate that matches a pin; this one does not. */
      if (od_check_has_pins (self))
        {
          od_check_certificate_changed (self, joined);
          return;
        }

      od_check_diagnosis_context (self, &ctx);
      problem = od_diagnosis_from_error (OD_STEP_TLS, error, &ctx);
      /* Translators: the first %s says what is wrong with the certificate, the second
       * describes it, the third is its SHA-256 fingerprint */
      detail = g_strdup_printf (_("%s %s SHA-256 fingerprint: %s."), joined, described,
                                od_tls_info_get_fingerprint (self->tls_info));
      od_check_fail_step (self, OD_STEP_TLS, problem, detail);
      od_check_finish_run (self, FALSE);
      return;
    }

  /* Broken off without a word about the certificate: a port that speaks plain text, or a
   * reset by a middlebox or an overloaded server. Only a plain greeting on a second
   * connection makes it encryption-mismatch. */
  if (self->security == OD_SECURITY_TLS && od_encryption_sniff_explains (error))
    {
      od_check_explain_by_sniffing (self, OD_STEP_TLS, OD_SNIFF_PLAIN, error);
      return;
    }

  od_check_fail_with_error (self, OD_STEP_TLS, error);
}

/* Port 465 and its like: TLS from the first byte, before the server says anything. */
static void
start_implicit_tls (OdCheck *self)
{
  od_check_step_start (step (self, OD_STEP_TLS));
  /* Time is kept back for the plain-text sniff that may have to explain a failure. */
  od_connect_handshake_async (self->connect, od_check_stage_timeout (self, OD_SNIFF_TIMEOUT_MS),
                              self->cancellable, implicit_tls_cb, g_object_ref (self));
}

static void
implicit_tls_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OdCheck) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!od_connect_handshake_finish (OD_CONNECT (object), result, &error))
    {
      od_check_tls_failed (self, error);
      return;
    }

  if (!od_check_tls_passed (self))
    return;

  greeting (self);
}

/* ---- Greeting ------------------------------------------------------------------------- */

static void
greeting (OdCheck *self)
{
  if (self->protocol != OD_PROTOCOL_SMTP)
    {
      od_check_incoming_greeting (self);
      return;
    }

  self->session = od_smtp_session_new (od_connect_get_stream (self->connect),
                                       od_check_tls_client (self), self->transcript);
  /* Without a greeting the TLS sniff has to run: its time is kept back. */
  od_smtp_session_set_timeout (self->session,
                               od_check_stage_timeout (self, self->security == OD_SECURITY_TLS
                                                             ? 0 : OD_SNIFF_TIMEOUT_MS));

  if (self->security == OD_SECURITY_NONE)
    od_check_finish_step (self, OD_STEP_TLS, OD_STEP_STATE_SKIP,
                          _("Encryption is turned off for this server: everything, "
                            "including your messages, travels readable by anyone on the "
                            "way."),
                          NULL);

  od_check_step_start (step (self, OD_STEP_GREETING));
  od_smtp_session_read_reply_async (self->session, self->cancellable,
                                    greeting_cb, g_object_ref (self));
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
          od_check_explain_by_sniffing (self, OD_STEP_GREETING, OD_SNIFF_TLS, error);
          return;
        }

      od_check_fail_with_error (self, OD_STEP_GREETING, error);
      return;
    }

  if (od_smtp_reply_get_code (reply) != 220)
    {
      od_check_fail_with_reply (self, OD_STEP_GREETING, reply);
      return;
    }

  text = od_smtp_reply_get_text (reply);
  od_check_finish_step (self, OD_STEP_GREETING, OD_STEP_STATE_PASS, text, NULL);
  /* From here on nothing needs time kept back; the run's deadline stays the limit. */
  od_smtp_session_set_timeout (self->session, self->step_timeout_ms);
  ehlo (self);
}

/* ---- EHLO and STARTTLS ---------------------------------------------------------------- */

static void
ehlo (OdCheck *self)
{
  od_check_step_start (step (self, OD_STEP_EHLO));
  od_smtp_session_ehlo_async (self->session, self->client_name, self->cancellable,
                              ehlo_cb, g_object_ref (self));
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
      od_check_fail_with_error (self, OD_STEP_EHLO, error);
      return;
    }

  if (od_smtp_reply_get_code (reply) != 250)
    {
      od_check_fail_with_reply (self, OD_STEP_EHLO, reply);
      return;
    }

  after_ehlo (self);
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
          od_check_fail_with_problem (self, OD_STEP_TLS, OD_PROBLEM_STARTTLS_NOT_OFFERED, NULL,
                                      TRUE);
          return;
        }

      starttls (self);
      return;
    }

  detail = od_check_describe_capabilities (caps);
  od_check_finish_step (self, OD_STEP_EHLO, OD_STEP_STATE_PASS, detail, NULL);
  authenticate (self);
}

static void
starttls (OdCheck *self)
{
  od_check_step_start (step (self, OD_STEP_TLS));
  od_smtp_session_starttls_async (self->session, self->cancellable,
                                  starttls_cb, g_object_ref (self));
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
      od_check_tls_failed (self, error);
      return;
    }

  if (od_smtp_reply_get_code (reply) != 220)
    {
      od_check_fail_with_reply (self, OD_STEP_TLS, reply);
      return;
    }

  if (!od_check_tls_passed (self))
    return;

  /* RFC 3207 §4.2: start again with EHLO inside TLS. */
  ehlo (self);
}

/* ---- Login ---------------------------------------------------------------------------- */

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

  od_check_step_start (step (self, OD_STEP_AUTH));

  /* An OAuth account whose token could not be had: nothing to log in with. */
  if (od_check_oauth_token_failed (self))
    return;
  if (self->password == NULL)
    {
      od_check_finish_step (self, OD_STEP_AUTH, OD_STEP_STATE_SKIP,
                            _("No password was given, so logging in was not tried."), NULL);
      od_check_mail_from (self);
      return;
    }

  /* No password to a server nobody vouched for (od-check-trust.c). */
  if (!od_check_server_confirmed (self))
    return;

  /* Never send a password in the clear: not on an unencrypted server, and not when the
   * server offers login only before encryption starts. A server that offers STARTTLS on this
   * very port, with encryption turned off in the settings, is a setting to change. */
  if (!od_smtp_session_is_tls (self->session))
    {
      if (caps->starttls && self->security == OD_SECURITY_NONE)
        od_check_fail_starttls_offered (self);
      else
        od_check_fail_with_problem (self, OD_STEP_AUTH, OD_PROBLEM_AUTH_PLAINTEXT_REFUSED, NULL,
                                    TRUE);
      return;
    }

  if (caps->auth_mechanisms[0] == NULL)
    {
      gboolean offered_before_tls = self->capabilities_before_tls != NULL &&
                                    self->capabilities_before_tls->auth_mechanisms[0] != NULL;

      od_check_fail_with_problem (self, OD_STEP_AUTH,
                                  offered_before_tls ? OD_PROBLEM_AUTH_PLAINTEXT_REFUSED
                                                     : OD_PROBLEM_AUTH_NOT_OFFERED,
                                  NULL, TRUE);
      return;
    }

  if (self->oauth != NULL)
    {
      od_check_oauth_authenticate (self, caps);
      return;
    }
  self->mechanism = choose_mechanism (caps);
  if (self->mechanism == NULL)
    {
      g_autofree char *offered = g_strjoinv (" ", caps->auth_mechanisms);
      g_autofree char *detail = NULL;

      /* Translators: %s is a list of login methods such as "XOAUTH2 OAUTHBEARER" */
      detail = g_strdup_printf (_("The server offers only these login methods: %s."), offered);
      od_check_fail_with_problem (self, OD_STEP_AUTH, OD_PROBLEM_AUTH_MECHANISM_UNSUPPORTED,
                                  detail, TRUE);
      return;
    }

  od_smtp_session_authenticate_async (self->session, self->mechanism, self->username,
                                      self->password, self->cancellable, auth_cb,
                                      g_object_ref (self));
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
      od_check_fail_with_error (self, OD_STEP_AUTH, error);
      return;
    }

  if (od_smtp_reply_get_code (reply) != 235)
    {
      od_check_fail_with_reply (self, OD_STEP_AUTH, reply);
      return;
    }

  /* Translators: %s is a user name, usually an email address */
  detail = g_strdup_printf (_("Logged in as %s."), self->username);
  od_check_finish_step (self, OD_STEP_AUTH, OD_STEP_STATE_PASS, detail, NULL);
  od_check_mail_from (self);
}

/* ---- Envelope ------------------------------------------------------------------------- */

void
od_check_mail_from (OdCheck *self)
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
      od_check_fail_with_error (self, OD_STEP_SENDER, error);
      return;
    }

  if (od_smtp_reply_get_code (reply) != 250)
    {
      od_check_fail_with_reply (self, OD_STEP_SENDER, reply);
      return;
    }

  /* Translators: %s is an email address */
  detail = g_strdup_printf (_("The server lets you send as %s."), self->address);
  od_check_finish_step (self, OD_STEP_SENDER, OD_STEP_STATE_PASS, detail, NULL);

  od_check_step_start (step (self, OD_STEP_RECIPIENT));
  command = g_strdup_printf ("RCPT TO:<%s>", self->recipient);
  od_smtp_session_command_async (self->session, command, self->cancellable,
                                 rcpt_cb, g_object_ref (self));
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
      od_check_fail_with_error (self, OD_STEP_RECIPIENT, error);
      return;
    }

  code = od_smtp_reply_get_code (reply);
  if (code != 250 && code != 251)
    {
      od_check_fail_with_reply (self, OD_STEP_RECIPIENT, reply);
      return;
    }

  /* Translators: %s is an email address */
  detail = g_strdup_printf (_("The server accepts mail for %s."), self->recipient);
  od_check_finish_step (self, OD_STEP_RECIPIENT, OD_STEP_STATE_PASS, detail, NULL);
  send_data (self);
}

/* ---- The message ---------------------------------------------------------------------- */

static void
send_data (OdCheck *self)
{
  od_check_step_start (step (self, OD_STEP_DATA));

  if (self->send_test)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *message = od_test_message_new_with_id (self->address, self->recipient,
                                                              now, &self->message_id);

      od_smtp_session_send_data_async (self->session, message, self->cancellable,
                                       data_cb, g_object_ref (self));
    }
  else
    od_smtp_session_command_async (self->session, "RSET", self->cancellable,
                                   rset_cb, g_object_ref (self));
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
      od_check_fail_with_error (self, OD_STEP_DATA, error);
      return;
    }

  if (od_smtp_reply_get_code (reply) != 250)
    {
      od_check_fail_with_reply (self, OD_STEP_DATA, reply);
      return;
    }

  text = od_smtp_reply_get_text (reply);
  /* Translators: %s is the recipient; the second %s the server's own words, such as
   * "Ok: queued as 4F2A1" */
  detail = g_strdup_printf (_("The server accepted the test message for %s (“%s”)."),
                            self->recipient, text);
  od_check_finish_step (self, OD_STEP_DATA, OD_STEP_STATE_PASS, detail, NULL);
  od_check_after_data (self);
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
      od_check_fail_with_error (self, OD_STEP_DATA, error);
      return;
    }

  od_check_finish_step (self, OD_STEP_DATA, OD_STEP_STATE_SKIP,
                        _("Nothing was sent: the server accepted the sender and the recipient, "
                          "and the check stopped there. Turn on “send a test message” to send "
                          "one."),
                        NULL);
  od_check_finish_run (self, TRUE);
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
od_check_dispose (GObject *object)
{
  OdCheck *self = (OdCheck *)object;

  g_assert (self->task == NULL);

  od_check_stop_connect_timers (self);
  if (self->other_ports != NULL)
    od_other_ports_stop (self->other_ports);
  g_clear_object (&self->other_ports);
  g_clear_pointer (&self->connect_stage, od_deadline_free);
  g_clear_object (&self->session);
  g_clear_object (&self->imap);
  g_clear_object (&self->pop3);
  g_clear_object (&self->connect);
  g_clear_object (&self->tls_info);
  g_clear_pointer (&self->run, od_deadline_free);
  self->cancellable = NULL;

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
  g_clear_pointer (&self->unconfirmed_why, g_free);
  g_clear_pointer (&self->message_id, g_free);
  g_clear_pointer (&self->delivery, od_check_delivery_free);
  g_clear_pointer (&self->oauth, od_check_oauth_free);
  g_clear_pointer (&self->client_name, g_free);
  g_clear_pointer (&self->capabilities_before_tls, od_smtp_capabilities_free);
  g_clear_pointer (&self->port_map, g_hash_table_unref);
  g_clear_pointer (&self->other_pins, g_hash_table_unref);
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

/* ---- Public API ----------------------------------------------------------------------- */

/**
 * od_check_new:
 * @address: the sender's email address
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
  g_clear_pointer (&self->oauth, od_check_oauth_free);

  if (password != NULL)
    od_transcript_add_secret (self->transcript, password);
}

/**
 * od_check_get_has_password:
 *
 * Returns: whether a password was given, so that the check logs in
 */
gboolean
od_check_get_has_password (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), FALSE);
  return self->password != NULL;
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

gboolean
od_check_get_send_test (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), FALSE);
  return self->send_test;
}

/**
 * od_check_get_message_sent:
 *
 * Returns: whether the server accepted a real test message (not only the login and the
 *   addresses)
 */
gboolean
od_check_get_message_sent (OdCheck *self)
{
  OdCheckStep *data;

  g_return_val_if_fail (OD_IS_CHECK (self), FALSE);

  data = od_checklist_get_step (self->checklist, OD_STEP_DATA);
  return self->send_test && data != NULL &&
         (od_check_step_get_state (data) == OD_STEP_STATE_PASS ||
          od_check_step_get_state (data) == OD_STEP_STATE_WARN);
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
 * od_check_set_other_port_pins:
 * @fingerprints: (array zero-terminated=1): certificates the user trusted for the same
 *   server on @port
 *
 * When the check looks at the server's other ports (a silent or refusing port), the one on
 * @port is verified with these pins as well, as a check of that port would be.
 */
void
od_check_set_other_port_pins (OdCheck            *self,
                                           guint16             port,
                                           const char * const *fingerprints)
{
  g_return_if_fail (OD_IS_CHECK (self));
  g_return_if_fail (self->task == NULL);

  if (self->other_pins == NULL)
    self->other_pins = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)g_strfreev);
  g_hash_table_insert (self->other_pins, GUINT_TO_POINTER (port),
                       g_strdupv ((char **)fingerprints));
}

/**
 * od_check_set_unconfirmed:
 * @why: (nullable): where the server came from and why that is not enough (a sentence, as
 *   od_untrusted_describe() writes it); %NULL when the server is trusted or confirmed
 *
 * Marks the server as found through something anyone could forge (DNS records, plain
 * http://) and not confirmed by the user: the check then stops before the login with
 * server-unconfirmed, and no password is sent, unless the server's certificate verifies
 * and is issued for the mail domain itself.
 */
void
od_check_set_unconfirmed (OdCheck    *self,
                          const char *why)
{
  g_return_if_fail (OD_IS_CHECK (self));
  g_return_if_fail (self->task == NULL);

  g_free (self->unconfirmed_why);
  self->unconfirmed_why = g_strdup (why);
}

/**
 * od_check_get_unconfirmed:
 *
 * Returns: (nullable): why the server needs a confirmation, as given to
 *   od_check_set_unconfirmed()
 */
const char *
od_check_get_unconfirmed (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), NULL);
  return self->unconfirmed_why;
}

/**
 * od_check_map_port_for_testing:
 *
 * Connects to @real_port whenever the check (or its look at the server's other ports)
 * means @port: tests run their servers on unprivileged ports.
 */
void
od_check_map_port_for_testing (OdCheck *self,
                               guint16  port,
                               guint16  real_port)
{
  g_return_if_fail (OD_IS_CHECK (self));
  g_return_if_fail (self->task == NULL);

  if (self->port_map == NULL)
    self->port_map = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (self->port_map, GUINT_TO_POINTER (port), GUINT_TO_POINTER (real_port));
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

/**
 * od_check_get_auth_mechanism:
 *
 * Returns: (nullable): the login method that worked ("PLAIN", "LOGIN" or "CRAM-MD5"), or
 *   %NULL when the login step did not pass
 */
const char *
od_check_get_auth_mechanism (OdCheck *self)
{
  g_return_val_if_fail (OD_IS_CHECK (self), NULL);

  if (od_check_step_get_state (step (self, OD_STEP_AUTH)) != OD_STEP_STATE_PASS)
    return NULL;

  return self->mechanism;
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
  gpointer real_port;
  OdTlsClient *tls;

  g_return_if_fail (OD_IS_CHECK (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->task == NULL && self->started_us == 0);

  self->started_us = g_get_monotonic_time ();
  self->task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (self->task, od_check_run_async);

  self->run = od_deadline_new (cancellable, self->total_timeout_ms, "[od] check total deadline");
  self->cancellable = od_deadline_get_cancellable (self->run);

  /* The addresses go into commands: never let a line break or a bracket through. A CA
   * file that cannot be used would leave the certificate's details unknown: bad input,
   * before anything connects. */
  if (!od_address_validate (self->address, &error) ||
      !od_address_validate (self->recipient, &error) ||
      (self->ca_file != NULL && !od_tls_ca_file_check (self->ca_file, &error)))
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      od_deadline_stop (self->run);
      if (error->domain != OD_SMTP_ERROR)
        g_task_return_new_error (task, OD_SMTP_ERROR, OD_SMTP_ERROR_BAD_INPUT, "%s",
                                 error->message);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->connect = od_connect_new (self->host, self->port, self->transcript);
  if (self->port_map != NULL &&
      g_hash_table_lookup_extended (self->port_map, GUINT_TO_POINTER (self->port), NULL,
                                    &real_port))
    od_connect_set_connect_port (self->connect, GPOINTER_TO_UINT (real_port));
  tls = od_connect_get_tls_client (self->connect);
  od_tls_client_set_ca_file (tls, self->ca_file);
  od_tls_client_set_pinned_fingerprints (tls, (const char * const *)self->pinned);

  monitor = g_network_monitor_get_default ();
  self->network_available = g_network_monitor_get_network_available (monitor);
  self->connectivity = g_network_monitor_get_connectivity (monitor);

  look_up (self);
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
