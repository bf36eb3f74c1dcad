/* od-candidate.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-candidate"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "od-candidate-private.h"
#include "od-json.h"

/* One server setting (outgoing SMTP, or incoming IMAP or POP3) that discovery considers: where it came from and what probing
 * it showed. Its properties change while discovery runs, so a list can show it live. */
struct _OdCandidate
{
  GObject            parent_instance;

  char              *host;
  char              *username;
  char              *detail;
  char              *untrusted_detail;
  char             **auth_mechanisms;
  OdTlsInfo         *tls_info;
  OdProblem         *problem;
  gint64             elapsed_ms;
  gint64             connect_ms;
  guint              order;
  guint16            port;
  OdSecurity         security;
  OdProtocol         protocol;
  OdSourceKind       source;
  OdCandidateStatus  status;
  OdUntrusted        untrusted;         /* %OD_UNTRUSTED_NO: trusted */
  OdSourceFlags      proposed_by;       /* every source that proposed it */
  guint              username_supplied : 1;
  guint              starttls : 1;
  guint              connected : 1;
  guint              inbound : 1;
  guint              login_disabled : 1;
};

G_DEFINE_FINAL_TYPE (OdCandidate, od_candidate, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_SOURCE,
  PROP_TRUSTED,
  PROP_USERNAME,
  PROP_STATUS,
  PROP_DETAIL,
  PROP_TLS_INFO,
  PROP_AUTH_MECHANISMS,
  PROP_STARTTLS,
  PROP_ELAPSED_MS,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const no_mechanisms[] = { NULL };

static void
notify (OdCandidate *self,
        guint        prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_string (OdCandidate  *self,
            char        **field,
            const char   *value,
            guint         prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  notify (self, prop);
}

static void
od_candidate_dispose (GObject *object)
{
  OdCandidate *self = (OdCandidate *)object;

  g_clear_object (&self->tls_info);
  g_clear_object (&self->problem);

  G_OBJECT_CLASS (od_candidate_parent_class)->dispose (object);
}

static void
od_candidate_finalize (GObject *object)
{
  OdCandidate *self = (OdCandidate *)object;

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->detail, g_free);
  g_clear_pointer (&self->untrusted_detail, g_free);
  g_clear_pointer (&self->auth_mechanisms, g_strfreev);

  G_OBJECT_CLASS (od_candidate_parent_class)->finalize (object);
}

static void
od_candidate_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  OdCandidate *self = OD_CANDIDATE (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_SECURITY:
      g_value_set_int (value, self->security);
      break;

    case PROP_SOURCE:
      g_value_set_int (value, self->source);
      break;

    case PROP_TRUSTED:
      g_value_set_boolean (value, self->untrusted == OD_UNTRUSTED_NO);
      break;

    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;

    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;

    case PROP_TLS_INFO:
      g_value_set_object (value, self->tls_info);
      break;

    case PROP_AUTH_MECHANISMS:
      g_value_set_boxed (value, od_candidate_get_auth_mechanisms (self));
      break;

    case PROP_STARTTLS:
      g_value_set_boolean (value, self->starttls);
      break;

    case PROP_ELAPSED_MS:
      g_value_set_int64 (value, self->elapsed_ms);
      break;

    case PROP_PROBLEM:
      g_value_set_object (value, self->problem);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
od_candidate_class_init (OdCandidateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = od_candidate_dispose;
  object_class->finalize = od_candidate_finalize;
  object_class->get_property = od_candidate_get_property;

  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, ro);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0, ro);
  properties[PROP_SECURITY] =
    g_param_spec_int ("security", NULL, NULL, OD_SECURITY_TLS, OD_SECURITY_NONE, OD_SECURITY_TLS, ro);
  properties[PROP_SOURCE] =
    g_param_spec_int ("source", NULL, NULL, 0, OD_N_SOURCES - 1, 0, ro);
  properties[PROP_TRUSTED] = g_param_spec_boolean ("trusted", NULL, NULL, TRUE, ro);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, ro);
  properties[PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL, OD_CANDIDATE_PENDING, OD_CANDIDATE_SKIPPED,
                      OD_CANDIDATE_PENDING, ro);
  properties[PROP_DETAIL] = g_param_spec_string ("detail", NULL, NULL, NULL, ro);
  properties[PROP_TLS_INFO] = g_param_spec_object ("tls-info", NULL, NULL, OD_TYPE_TLS_INFO, ro);
  properties[PROP_AUTH_MECHANISMS] =
    g_param_spec_boxed ("auth-mechanisms", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_STARTTLS] = g_param_spec_boolean ("starttls", NULL, NULL, FALSE, ro);
  properties[PROP_ELAPSED_MS] =
    g_param_spec_int64 ("elapsed-ms", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_PROBLEM] = g_param_spec_object ("problem", NULL, NULL, OD_TYPE_PROBLEM, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
od_candidate_init (OdCandidate *self)
{
  self->connect_ms = -1;
}

/**
 * od_candidate_new:
 * @host: the server's host name (ASCII; IDN already converted)
 * @source: where the setting came from
 * @trusted: %FALSE for settings fetched over plain `http://`, which anyone on the way could
 *   have changed: they need the user's confirmation (od_candidate_set_untrusted() gives
 *   other reasons)
 *
 * Returns: (transfer full): a pending candidate
 */
OdCandidate *
od_candidate_new (const char   *host,
                  guint16       port,
                  OdSecurity    security,
                  OdSourceKind  source,
                  gboolean      trusted)
{
  OdCandidate *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (port > 0, NULL);
  g_return_val_if_fail (source < OD_N_SOURCES, NULL);

  self = g_object_new (OD_TYPE_CANDIDATE, NULL);
  self->host = g_ascii_strdown (host, -1);
  self->port = port;
  self->security = security;
  self->source = source;
  self->proposed_by = 1 << source;
  self->untrusted = trusted ? OD_UNTRUSTED_NO : OD_UNTRUSTED_HTTP;

  return self;
}

/**
 * od_candidate_get_protocol:
 *
 * Returns: what the server speaks: %OD_PROTOCOL_SMTP for an outgoing setting, IMAP or POP3
 *   for an incoming one
 */
OdProtocol
od_candidate_get_protocol (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), OD_PROTOCOL_SMTP);
  return self->protocol;
}

/* Private: set once, before the candidate is probed or listed. */
void
od_candidate_set_protocol (OdCandidate *self,
                           OdProtocol   protocol)
{
  g_return_if_fail (OD_IS_CANDIDATE (self));
  self->protocol = protocol;
}

/**
 * od_candidate_get_login_disabled:
 *
 * Returns: whether an IMAP server said LOGINDISABLED after encryption: it takes no password
 *   login at all on this port
 */
gboolean
od_candidate_get_login_disabled (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), FALSE);
  return self->login_disabled;
}

/**
 * od_candidate_get_offers_login:
 *
 * Returns: whether the server, as probed, takes a password login: SMTP with an AUTH
 *   mechanism, IMAP without LOGINDISABLED (its LOGIN command needs no AUTH=), POP3 with a
 *   SASL mechanism or USER
 */
gboolean
od_candidate_get_offers_login (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), FALSE);

  if (self->status != OD_CANDIDATE_OK)
    return FALSE;
  if (self->protocol == OD_PROTOCOL_IMAP)
    return !self->login_disabled;
  return od_candidate_get_auth_mechanisms (self)[0] != NULL;
}

const char *
od_candidate_get_host (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), NULL);
  return self->host;
}

guint16
od_candidate_get_port (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), 0);
  return self->port;
}

OdSecurity
od_candidate_get_security (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), OD_SECURITY_NONE);
  return self->security;
}

/**
 * od_candidate_get_source:
 *
 * Returns: the most trusted source that proposed this setting
 */
OdSourceKind
od_candidate_get_source (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), OD_SOURCE_GUESS);
  return self->source;
}

/**
 * od_candidate_get_proposed_by:
 *
 * Returns: every source that proposed this setting, the most trusted one
 *   (od_candidate_get_source()) among them: what came of a source is what came of the
 *   settings it proposed
 */
OdSourceFlags
od_candidate_get_proposed_by (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), 0);
  return self->proposed_by;
}

/* Another source proposed the same setting. */
void
od_candidate_add_proposer (OdCandidate  *self,
                           OdSourceKind  source)
{
  g_return_if_fail (OD_IS_CANDIDATE (self));
  g_return_if_fail (source < OD_N_SOURCES);

  self->proposed_by |= 1 << source;
}

/**
 * od_candidate_get_trusted:
 *
 * Returns: %FALSE when the setting only came over plain `http://`
 */
gboolean
od_candidate_get_trusted (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), FALSE);
  return self->untrusted == OD_UNTRUSTED_NO;
}

/**
 * od_candidate_get_username:
 *
 * Returns: (nullable): the user name for the login, with the source's template expanded
 */
const char *
od_candidate_get_username (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), NULL);
  return self->username;
}

void
od_candidate_set_username (OdCandidate *self,
                           const char  *username)
{
  g_return_if_fail (OD_IS_CANDIDATE (self));
  set_string (self, &self->username, username, PROP_USERNAME);
}

/**
 * od_candidate_get_username_supplied:
 *
 * Returns: %TRUE when the source gave the user name (a provider's settings do: the
 *   database, an autoconfig document); %FALSE when it is the address, as for DNS records
 *   and guesses, which never name one
 */
gboolean
od_candidate_get_username_supplied (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), FALSE);
  return self->username_supplied;
}

void
od_candidate_set_username_supplied (OdCandidate *self,
                                    gboolean     supplied)
{
  g_return_if_fail (OD_IS_CANDIDATE (self));
  self->username_supplied = !!supplied;
}

OdCandidateStatus
od_candidate_get_status (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), OD_CANDIDATE_ERROR);
  return self->status;
}

/**
 * od_candidate_is_finished:
 *
 * Returns: %TRUE once the candidate has an outcome (neither pending nor being probed)
 */
gboolean
od_candidate_is_finished (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), TRUE);
  return self->status != OD_CANDIDATE_PENDING && self->status != OD_CANDIDATE_PROBING;
}

/**
 * od_candidate_get_detail:
 *
 * Returns: (nullable): a translated sentence about the outcome
 */
const char *
od_candidate_get_detail (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), NULL);
  return self->detail;
}

/**
 * od_candidate_get_tls_info:
 *
 * Returns: (transfer none) (nullable): the certificate and TLS session, once TLS was tried;
 *   on a %OD_CANDIDATE_TLS_ERROR its errors say what is wrong with the certificate
 */
OdTlsInfo *
od_candidate_get_tls_info (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), NULL);
  return self->tls_info;
}

/**
 * od_candidate_get_auth_mechanisms:
 *
 * Returns: (transfer none): the login methods offered after TLS; empty, never %NULL
 */
const char * const *
od_candidate_get_auth_mechanisms (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), no_mechanisms);
  return self->auth_mechanisms ? (const char * const *)self->auth_mechanisms : no_mechanisms;
}

/**
 * od_candidate_get_starttls:
 *
 * Returns: %TRUE when the server offered STARTTLS before encryption
 */
gboolean
od_candidate_get_starttls (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), FALSE);
  return self->starttls;
}

gint64
od_candidate_get_elapsed_ms (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), 0);
  return self->elapsed_ms;
}

/**
 * od_candidate_get_problem:
 *
 * Returns: (transfer none) (nullable): the diagnosis of a failed probe
 */
OdProblem *
od_candidate_get_problem (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), NULL);
  return self->problem;
}

/**
 * od_candidate_to_json:
 *
 * The candidate object of the `detect` JSON contract: host, port, security, source and the
 * result (status, tls, auth_mechanisms, starttls, elapsed_ms). Extensions: trusted, why
 * (od_candidate_dup_why(), null when trusted), username, result.detail and result.problem
 * (a problem id or null).
 *
 * Returns: (transfer full): the object
 */
JsonNode *
od_candidate_to_json (OdCandidate *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *why = NULL;
  const char * const *mechanisms;

  g_return_val_if_fail (OD_IS_CANDIDATE (self), NULL);

  mechanisms = od_candidate_get_auth_mechanisms (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "host");
  json_builder_add_string_value (builder, self->host);
  json_builder_set_member_name (builder, "protocol");
  json_builder_add_string_value (builder, od_protocol_to_string (self->protocol));
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, self->port);
  json_builder_set_member_name (builder, "security");
  json_builder_add_string_value (builder, od_security_to_string (self->security));
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, od_source_kind_to_string (self->source));
  json_builder_set_member_name (builder, "trusted");
  json_builder_add_boolean_value (builder, self->untrusted == OD_UNTRUSTED_NO);
  why = od_candidate_dup_why (self);
  od_json_add_string (builder, "why", why);
  json_builder_set_member_name (builder, "username");
  if (self->username != NULL)
    json_builder_add_string_value (builder, self->username);
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "result");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  /* Not SMTP is, for an incoming server, not the protocol it should speak. */
  if (self->status == OD_CANDIDATE_NO_SMTP && self->protocol == OD_PROTOCOL_IMAP)
    json_builder_add_string_value (builder, "no-imap");
  else if (self->status == OD_CANDIDATE_NO_SMTP && self->protocol == OD_PROTOCOL_POP3)
    json_builder_add_string_value (builder, "no-pop3");
  else
    json_builder_add_string_value (builder, od_candidate_status_to_string (self->status));
  json_builder_set_member_name (builder, "detail");
  if (self->detail != NULL)
    json_builder_add_string_value (builder, self->detail);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "tls");
  if (self->tls_info != NULL)
    json_builder_add_value (builder, od_tls_info_to_json (self->tls_info));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "auth_mechanisms");
  json_builder_begin_array (builder);
  for (guint i = 0; mechanisms[i] != NULL; i++)
    json_builder_add_string_value (builder, mechanisms[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "starttls");
  json_builder_add_boolean_value (builder, self->starttls);
  if (self->protocol == OD_PROTOCOL_IMAP)
    {
      json_builder_set_member_name (builder, "login_disabled");
      json_builder_add_boolean_value (builder, self->login_disabled);
    }
  json_builder_set_member_name (builder, "elapsed_ms");
  json_builder_add_int_value (builder, self->elapsed_ms);
  json_builder_set_member_name (builder, "problem");
  if (self->problem != NULL)
    json_builder_add_string_value (builder, od_problem_get_id (self->problem));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * od_candidate_status_to_string:
 *
 * Returns: the id used in JSON ("ok", "refused", "timeout", "tls-error", …)
 */
const char *
od_candidate_status_to_string (OdCandidateStatus status)
{
  switch (status)
    {
    case OD_CANDIDATE_PENDING:     return "pending";
    case OD_CANDIDATE_PROBING:     return "probing";
    case OD_CANDIDATE_OK:          return "ok";
    case OD_CANDIDATE_REFUSED:     return "refused";
    case OD_CANDIDATE_TIMEOUT:     return "timeout";
    case OD_CANDIDATE_TLS_ERROR:   return "tls-error";
    case OD_CANDIDATE_NO_SMTP:     return "no-smtp";
    case OD_CANDIDATE_UNREACHABLE: return "unreachable";
    case OD_CANDIDATE_DNS_ERROR:   return "dns-error";
    case OD_CANDIDATE_ERROR:       return "error";
    case OD_CANDIDATE_SKIPPED:     return "skipped";
    default:                       g_return_val_if_reached ("error");
    }
}

/* Private API */

void
od_candidate_set_status (OdCandidate       *self,
                         OdCandidateStatus  status,
                         const char        *detail)
{
  g_return_if_fail (OD_IS_CANDIDATE (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->detail, detail, PROP_DETAIL);
  if (self->status != status)
    {
      self->status = status;
      notify (self, PROP_STATUS);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
od_candidate_set_result (OdCandidate        *self,
                         OdCandidateStatus   status,
                         const char         *detail,
                         OdTlsInfo          *tls_info,
                         const char * const *auth_mechanisms,
                         gboolean            starttls,
                         OdProblem          *problem)
{
  g_return_if_fail (OD_IS_CANDIDATE (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (g_set_object (&self->tls_info, tls_info))
    notify (self, PROP_TLS_INFO);

  if (g_set_object (&self->problem, problem))
    notify (self, PROP_PROBLEM);

  if (auth_mechanisms != NULL || self->auth_mechanisms != NULL)
    {
      g_strfreev (self->auth_mechanisms);
      self->auth_mechanisms = auth_mechanisms ? g_strdupv ((char **)auth_mechanisms) : NULL;
      notify (self, PROP_AUTH_MECHANISMS);
    }

  if (self->starttls != !!starttls)
    {
      self->starttls = !!starttls;
      notify (self, PROP_STARTTLS);
    }

  od_candidate_set_status (self, status, detail);

  g_object_thaw_notify (G_OBJECT (self));
}

void
od_candidate_set_elapsed_ms (OdCandidate *self,
                             gint64       elapsed_ms)
{
  g_return_if_fail (OD_IS_CANDIDATE (self));

  if (self->elapsed_ms != elapsed_ms)
    {
      self->elapsed_ms = elapsed_ms;
      notify (self, PROP_ELAPSED_MS);
    }
}

/* The outcome of a probe of this candidate. */
void
od_candidate_take_probe_outcome (OdCandidate *self,
                                 OdProbe     *probe)
{
  static const OdCandidateStatus statuses[] = {
    [OD_PROBE_OK] = OD_CANDIDATE_OK,
    [OD_PROBE_REFUSED] = OD_CANDIDATE_REFUSED,
    [OD_PROBE_TIMEOUT] = OD_CANDIDATE_TIMEOUT,
    [OD_PROBE_TLS_ERROR] = OD_CANDIDATE_TLS_ERROR,
    [OD_PROBE_NO_SMTP] = OD_CANDIDATE_NO_SMTP,
    [OD_PROBE_UNREACHABLE] = OD_CANDIDATE_UNREACHABLE,
    [OD_PROBE_DNS_ERROR] = OD_CANDIDATE_DNS_ERROR,
    [OD_PROBE_ERROR] = OD_CANDIDATE_ERROR,
  };
  OdProbeStatus status = od_probe_get_status (probe);

  g_return_if_fail (OD_IS_CANDIDATE (self));
  g_return_if_fail (OD_IS_PROBE (probe));
  g_return_if_fail (status < G_N_ELEMENTS (statuses));

  self->connected = od_probe_get_connected (probe);
  self->login_disabled = od_probe_get_login_disabled (probe);
  self->connect_ms = od_probe_get_connected_ms (probe);
  od_candidate_set_elapsed_ms (self, od_probe_get_elapsed_ms (probe));
  od_candidate_set_result (self, statuses[status], od_probe_get_detail (probe),
                           od_probe_get_tls_info (probe), od_probe_get_auth_mechanisms (probe),
                           od_probe_get_starttls (probe), od_probe_get_problem (probe));
}

/* Back to pending, for a second try with a longer deadline. */
void
od_candidate_reset (OdCandidate *self)
{
  g_return_if_fail (OD_IS_CANDIDATE (self));

  self->connected = FALSE;
  self->inbound = FALSE;
  self->login_disabled = FALSE;
  self->connect_ms = -1;
  od_candidate_set_result (self, OD_CANDIDATE_PENDING, NULL, NULL, NULL, FALSE, NULL);
}

/* The server answered without offering a login and is one of the domain's incoming (MX)
 * servers: it receives mail, it is not for sending. It stays "ok" (it answered) but is
 * never offered. */
void
od_candidate_set_inbound (OdCandidate *self)
{
  g_return_if_fail (OD_IS_CANDIDATE (self));

  self->inbound = TRUE;
  set_string (self, &self->detail,
              _("This is the server that receives your mail, not one for sending: it offers "
                "no login."),
              PROP_DETAIL);
}

/**
 * od_candidate_get_inbound:
 *
 * Returns: %TRUE when the server answered but is one of the domain's incoming servers
 *   without a login: it works, but not for sending, and is never offered
 */
gboolean
od_candidate_get_inbound (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), FALSE);
  return self->inbound;
}

/* Another source proposed the same host, port and security. Keeps the more trusted source;
 * returns TRUE when it changed. Order of trust: the lower the kind, the more trusted, and a
 * trusted (the database, HTTPS of the domain, within the domain) source beats any untrusted
 * one. */
gboolean
od_candidate_upgrade_source (OdCandidate  *self,
                             OdSourceKind  source,
                             OdUntrusted   untrusted,
                             const char   *untrusted_detail,
                             guint         order)
{
  gboolean trusted = untrusted == OD_UNTRUSTED_NO;
  gboolean better;

  g_return_val_if_fail (OD_IS_CANDIDATE (self), FALSE);

  if (trusted != (self->untrusted == OD_UNTRUSTED_NO))
    better = trusted;
  else
    better = source < self->source;

  if (!better)
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->source != source)
    {
      self->source = source;
      notify (self, PROP_SOURCE);
    }
  od_candidate_set_untrusted (self, untrusted, untrusted_detail);
  self->order = order;
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

/* Sets why the candidate is not trusted (%OD_UNTRUSTED_NO: it is). */
void
od_candidate_set_untrusted (OdCandidate *self,
                            OdUntrusted  untrusted,
                            const char  *untrusted_detail)
{
  gboolean trusted = untrusted == OD_UNTRUSTED_NO;
  gboolean was_trusted;

  g_return_if_fail (OD_IS_CANDIDATE (self));

  was_trusted = self->untrusted == OD_UNTRUSTED_NO;
  self->untrusted = untrusted;
  g_free (self->untrusted_detail);
  self->untrusted_detail = trusted ? NULL : g_strdup (untrusted_detail);
  if (was_trusted != trusted)
    notify (self, PROP_TRUSTED);
}

/** od_candidate_get_untrusted: Returns: why the candidate is not trusted, if it is not */
OdUntrusted
od_candidate_get_untrusted (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), OD_UNTRUSTED_NO);
  return self->untrusted;
}

/** od_candidate_get_untrusted_detail: Returns: (nullable): the domain the reason names */
const char *
od_candidate_get_untrusted_detail (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), NULL);
  return self->untrusted_detail;
}

/**
 * od_untrusted_describe:
 * @untrusted: why a setting is not trusted
 * @detail: (nullable): the domain the reason names (%OD_UNTRUSTED_HOSTING,
 *   %OD_UNTRUSTED_REDIRECT)
 *
 * Returns: (transfer full) (nullable): where the setting came from and why that is not
 *   enough, as one translated sentence for the person asked to confirm it; %NULL for
 *   %OD_UNTRUSTED_NO
 */
char *
od_untrusted_describe (OdUntrusted  untrusted,
                       const char  *detail)
{
  switch (untrusted)
    {
    case OD_UNTRUSTED_NO:
      return NULL;

    case OD_UNTRUSTED_HTTP:
      return g_strdup (_("It was found over an unencrypted connection (http://), which anyone "
                         "on the way could change."));

    case OD_UNTRUSTED_DNS:
      return g_strdup (_("It was found through DNS records, which anyone on your network can "
                         "forge."));

    case OD_UNTRUSTED_HOSTING:
      if (detail != NULL)
        /* Translators: %s is a domain such as hostco.example */
        return g_strdup_printf (_("Your domain’s mail is handled by %s: this is one of its "
                                  "servers, named by DNS records, which anyone on your network "
                                  "can forge."),
                                detail);
      return g_strdup (_("Your domain’s mail is handled by a hosting company: this is one of "
                         "its servers, named by DNS records, which anyone on your network can "
                         "forge."));

    case OD_UNTRUSTED_REDIRECT:
      if (detail != NULL)
        /* Translators: %s is a domain such as hostco.example */
        return g_strdup_printf (_("Your domain’s settings file sent Outbox Doctor to another "
                                  "domain, %s."),
                                detail);
      return g_strdup (_("Your domain’s settings file sent Outbox Doctor to another domain."));

    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * od_candidate_dup_why:
 *
 * Returns: (transfer full) (nullable): why the candidate is not trusted with the password
 *   until someone confirms it (od_untrusted_describe()), or %NULL when it is trusted
 */
char *
od_candidate_dup_why (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), NULL);
  return od_untrusted_describe (self->untrusted, self->untrusted_detail);
}

guint
od_candidate_get_order (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), 0);
  return self->order;
}

void
od_candidate_set_order (OdCandidate *self,
                        guint        order)
{
  g_return_if_fail (OD_IS_CANDIDATE (self));
  self->order = order;
}

gboolean
od_candidate_get_connected (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), FALSE);
  return self->connected;
}

/* How long the lookup and TCP connect took together, or -1. */
gint64
od_candidate_get_connect_ms (OdCandidate *self)
{
  g_return_val_if_fail (OD_IS_CANDIDATE (self), -1);
  return self->connect_ms;
}
