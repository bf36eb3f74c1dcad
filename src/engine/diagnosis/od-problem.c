/* od-problem.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-problem"

#include "config.h"

#include <json-glib/json-glib.h>

#include "od-json.h"
#include "od-problem.h"

/* One problem found by a check: a stable id from the catalog, the step it belongs to, and
 * the translated texts the diagnosis chose for it, with the server's exact words beside them. */
struct _OdProblem
{
  GObject        parent_instance;

  OdProblemKind  kind;
  char          *step_id;
  OdSeverity     severity;
  char          *summary;
  char          *remedy;
  char          *server_reply;

  /* A setting that was tried and works, for the front ends to offer (OD_FIX_OTHER_PORT). */
  char          *suggested_host;
  guint16        suggested_port;
  OdSecurity     suggested_security;
  gboolean       suggestion_untried;  /* offered by the server, not tried */
  OdFix          withheld;            /* fixes of the catalog that do not help here */
};

G_DEFINE_FINAL_TYPE (OdProblem, od_problem, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STEP_ID,
  PROP_SUMMARY,
  PROP_REMEDY,
  PROP_SERVER_REPLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
od_problem_finalize (GObject *object)
{
  OdProblem *self = (OdProblem *)object;

  g_clear_pointer (&self->step_id, g_free);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->remedy, g_free);
  g_clear_pointer (&self->server_reply, g_free);
  g_clear_pointer (&self->suggested_host, g_free);

  G_OBJECT_CLASS (od_problem_parent_class)->finalize (object);
}

static void
od_problem_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  OdProblem *self = OD_PROBLEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, od_problem_get_id (self));
      break;

    case PROP_STEP_ID:
      g_value_set_string (value, self->step_id);
      break;

    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;

    case PROP_REMEDY:
      g_value_set_string (value, self->remedy);
      break;

    case PROP_SERVER_REPLY:
      g_value_set_string (value, self->server_reply);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
od_problem_class_init (OdProblemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = od_problem_finalize;
  object_class->get_property = od_problem_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP_ID] =
    g_param_spec_string ("step-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMEDY] =
    g_param_spec_string ("remedy", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_REPLY] =
    g_param_spec_string ("server-reply", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
od_problem_init (OdProblem *self)
{
}

/**
 * od_problem_new:
 * @kind: the problem, from the catalog
 * @step_id: the step the problem was found in
 * @severity: whether it stops sending or is a warning
 * @summary: what is wrong, in plain words (translated)
 * @remedy: what to do about it (translated)
 * @server_reply: (nullable): the server's exact reply, if there was one
 *
 * Returns: (transfer full): a new #OdProblem
 */
OdProblem *
od_problem_new (OdProblemKind  kind,
                const char    *step_id,
                OdSeverity     severity,
                const char    *summary,
                const char    *remedy,
                const char    *server_reply)
{
  OdProblem *self;

  g_return_val_if_fail (kind < OD_N_PROBLEM_KINDS, NULL);
  g_return_val_if_fail (step_id != NULL, NULL);

  self = g_object_new (OD_TYPE_PROBLEM, NULL);
  self->kind = kind;
  self->step_id = g_strdup (step_id);
  self->severity = severity;
  self->summary = g_strdup (summary ? summary : "");
  self->remedy = g_strdup (remedy ? remedy : "");
  self->server_reply = g_strdup (server_reply);

  return self;
}

OdProblemKind
od_problem_get_kind (OdProblem *self)
{
  g_return_val_if_fail (OD_IS_PROBLEM (self), OD_PROBLEM_SERVER_ERROR_PERMANENT);
  return self->kind;
}

/**
 * od_problem_get_id:
 *
 * Returns: the problem's stable id, as in JSON
 */
const char *
od_problem_get_id (OdProblem *self)
{
  g_return_val_if_fail (OD_IS_PROBLEM (self), NULL);
  return od_catalog_get (self->kind)->id;
}

/**
 * od_problem_get_fixes:
 *
 * Returns: what a front end may offer for this problem (from the catalog)
 */
OdFix
od_problem_get_fixes (OdProblem *self)
{
  OdFix fixes;

  g_return_val_if_fail (OD_IS_PROBLEM (self), OD_FIX_NONE);

  fixes = od_catalog_get (self->kind)->fixes;

  /* Another setting is offered only once one was seen to work. */
  if (self->suggested_host == NULL)
    fixes &= ~OD_FIX_OTHER_PORT;

  return fixes & ~self->withheld;
}

/**
 * od_problem_withhold_fixes:
 * @fixes: fixes of the problem's kind that would not help in this case (signing in again,
 *   when the provider refuses the sign-in method itself)
 *
 * Set by the code that made the problem, before it is handed out.
 */
void
od_problem_withhold_fixes (OdProblem *self,
                           OdFix      fixes)
{
  g_return_if_fail (OD_IS_PROBLEM (self));
  self->withheld |= fixes;
}

/**
 * od_problem_has_fix:
 *
 * Returns: whether @fix is one of the fixes of this problem
 */
gboolean
od_problem_has_fix (OdProblem *self,
                    OdFix      fix)
{
  g_return_val_if_fail (OD_IS_PROBLEM (self), FALSE);
  return (od_problem_get_fixes (self) & fix) != 0;
}

const char *
od_problem_get_step_id (OdProblem *self)
{
  g_return_val_if_fail (OD_IS_PROBLEM (self), NULL);
  return self->step_id;
}

OdSeverity
od_problem_get_severity (OdProblem *self)
{
  g_return_val_if_fail (OD_IS_PROBLEM (self), OD_SEVERITY_ERROR);
  return self->severity;
}

const char *
od_problem_get_summary (OdProblem *self)
{
  g_return_val_if_fail (OD_IS_PROBLEM (self), NULL);
  return self->summary;
}

const char *
od_problem_get_remedy (OdProblem *self)
{
  g_return_val_if_fail (OD_IS_PROBLEM (self), NULL);
  return self->remedy;
}

/**
 * od_problem_get_server_reply:
 *
 * Returns: (nullable): the server's exact reply, as received
 */
const char *
od_problem_get_server_reply (OdProblem *self)
{
  g_return_val_if_fail (OD_IS_PROBLEM (self), NULL);
  return self->server_reply;
}

/**
 * od_problem_set_suggestion:
 * @host: the server
 * @port: a port that was tried and works
 * @security: its encryption
 *
 * Records a setting that was tried and works where this one did not (the same server on
 * another port, or with the other encryption mode). Set by the code that found it, before
 * the problem is handed out.
 */
void
od_problem_set_suggestion (OdProblem  *self,
                           const char *host,
                           guint16     port,
                           OdSecurity  security)
{
  g_return_if_fail (OD_IS_PROBLEM (self));
  g_return_if_fail (host != NULL && port > 0);

  g_free (self->suggested_host);
  self->suggested_host = g_strdup (host);
  self->suggested_port = port;
  self->suggested_security = security;
  self->suggestion_untried = FALSE;
}

/**
 * od_problem_set_offered_suggestion:
 *
 * Like od_problem_set_suggestion(), for a setting the server offers but that was not tried
 * (STARTTLS advertised on a port used without encryption): the next check tries it.
 */
void
od_problem_set_offered_suggestion (OdProblem  *self,
                                   const char *host,
                                   guint16     port,
                                   OdSecurity  security)
{
  od_problem_set_suggestion (self, host, port, security);
  self->suggestion_untried = TRUE;
}

/**
 * od_problem_get_suggestion_tried:
 *
 * Returns: whether the suggestion was tried and seen working (%FALSE: only offered)
 */
gboolean
od_problem_get_suggestion_tried (OdProblem *self)
{
  g_return_val_if_fail (OD_IS_PROBLEM (self), FALSE);
  return self->suggested_host != NULL && !self->suggestion_untried;
}

/**
 * od_problem_get_suggestion:
 * @host: (out) (optional) (transfer none): the server
 * @port: (out) (optional): the port that works
 * @security: (out) (optional): its encryption
 *
 * Returns: whether the problem carries a setting that was tried and works
 */
gboolean
od_problem_get_suggestion (OdProblem   *self,
                           const char **host,
                           guint16     *port,
                           OdSecurity  *security)
{
  g_return_val_if_fail (OD_IS_PROBLEM (self), FALSE);

  if (self->suggested_host == NULL)
    return FALSE;

  if (host != NULL)
    *host = self->suggested_host;
  if (port != NULL)
    *port = self->suggested_port;
  if (security != NULL)
    *security = self->suggested_security;

  return TRUE;
}

/**
 * od_problem_to_json:
 *
 * The problem as the JSON contract has it (docs/json.md): id, step, severity, summary,
 * remedy, server_reply, and suggestion ({host, port, security, tried} or null).
 *
 * Returns: (transfer full): an object node
 */
JsonNode *
od_problem_to_json (OdProblem *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (OD_IS_PROBLEM (self), NULL);

  json_builder_begin_object (builder);
  od_json_add_string (builder, "id", od_problem_get_id (self));
  od_json_add_string (builder, "step", self->step_id);
  od_json_add_string (builder, "severity", od_severity_to_string (self->severity));
  od_json_add_string (builder, "summary", self->summary);
  od_json_add_string (builder, "remedy", self->remedy);
  od_json_add_string (builder, "server_reply", self->server_reply);
  json_builder_set_member_name (builder, "suggestion");
  if (self->suggested_host != NULL)
    {
      json_builder_begin_object (builder);
      od_json_add_string (builder, "host", self->suggested_host);
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, self->suggested_port);
      od_json_add_string (builder, "security", od_security_to_string (self->suggested_security));
      json_builder_set_member_name (builder, "tried");
      json_builder_add_boolean_value (builder, !self->suggestion_untried);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
