/* od-check-step.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-check-step"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "od-check-step.h"

/* One row of the checklist. The UI binds to its properties; the CLI prints them. */
struct _OdCheckStep
{
  GObject      parent_instance;

  char        *id;
  const char  *title;
  char        *detail;
  OdProblem   *problem;
  GPtrArray   *more_problems;  /* further warnings of the same step (the delivery's) */
  gint64       started_us;
  gint64       elapsed_ms;
  OdStepState  state;
};

G_DEFINE_FINAL_TYPE (OdCheckStep, od_check_step, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (OdStepState, od_step_state,
  G_DEFINE_ENUM_VALUE (OD_STEP_STATE_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (OD_STEP_STATE_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (OD_STEP_STATE_PASS, "pass"),
  G_DEFINE_ENUM_VALUE (OD_STEP_STATE_WARN, "warn"),
  G_DEFINE_ENUM_VALUE (OD_STEP_STATE_FAIL, "fail"),
  G_DEFINE_ENUM_VALUE (OD_STEP_STATE_SKIP, "skip"))

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_STATE,
  PROP_DETAIL,
  PROP_ELAPSED_MS,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *id;
  const char *title;
} step_titles[] = {
  { OD_STEP_NETWORK,   N_("Network connection") },
  { OD_STEP_DNS,       N_("Server name lookup") },
  { OD_STEP_CONNECT,   N_("Connection to the server") },
  { OD_STEP_TLS,       N_("Encryption and certificate") },
  { OD_STEP_GREETING,  N_("Server greeting") },
  { OD_STEP_EHLO,      N_("Server features") },
  { OD_STEP_AUTH,      N_("Login") },
  { OD_STEP_SENDER,    N_("Sender address") },
  { OD_STEP_RECIPIENT, N_("Recipient address") },
  { OD_STEP_DATA,      N_("Test message") },
  { OD_STEP_CAPABILITIES, N_("Server capabilities") },
  { OD_STEP_MAILBOX,   N_("Mailbox") },
  { OD_STEP_DELIVERY,  N_("Arrival in the mailbox") },
};

static void
od_check_step_dispose (GObject *object)
{
  OdCheckStep *self = (OdCheckStep *)object;

  g_clear_object (&self->problem);
  g_clear_pointer (&self->more_problems, g_ptr_array_unref);

  G_OBJECT_CLASS (od_check_step_parent_class)->dispose (object);
}

static void
od_check_step_finalize (GObject *object)
{
  OdCheckStep *self = (OdCheckStep *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->detail, g_free);

  G_OBJECT_CLASS (od_check_step_parent_class)->finalize (object);
}

static void
od_check_step_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  OdCheckStep *self = OD_CHECK_STEP (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_TITLE:
      g_value_set_string (value, od_check_step_get_title (self));
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
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
od_check_step_class_init (OdCheckStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = od_check_step_dispose;
  object_class->finalize = od_check_step_finalize;
  object_class->get_property = od_check_step_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, OD_TYPE_STEP_STATE, OD_STEP_STATE_PENDING,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ELAPSED_MS] =
    g_param_spec_int64 ("elapsed-ms", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROBLEM] =
    g_param_spec_object ("problem", NULL, NULL, OD_TYPE_PROBLEM,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
od_check_step_init (OdCheckStep *self)
{
}

/**
 * od_check_step_new:
 * @id: one of the step ids of the contract, such as %OD_STEP_AUTH
 *
 * Returns: (transfer full): a pending step
 */
OdCheckStep *
od_check_step_new (const char *id)
{
  OdCheckStep *self;

  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (OD_TYPE_CHECK_STEP, NULL);
  self->id = g_strdup (id);

  for (guint i = 0; i < G_N_ELEMENTS (step_titles); i++)
    {
      if (g_str_equal (step_titles[i].id, id))
        self->title = step_titles[i].title;
    }

  return self;
}

const char *
od_check_step_get_id (OdCheckStep *self)
{
  g_return_val_if_fail (OD_IS_CHECK_STEP (self), NULL);
  return self->id;
}

/**
 * od_check_step_get_title:
 *
 * Returns: the translated title of the step
 */
const char *
od_check_step_get_title (OdCheckStep *self)
{
  g_return_val_if_fail (OD_IS_CHECK_STEP (self), NULL);
  return self->title ? _(self->title) : self->id;
}

OdStepState
od_check_step_get_state (OdCheckStep *self)
{
  g_return_val_if_fail (OD_IS_CHECK_STEP (self), OD_STEP_STATE_PENDING);
  return self->state;
}

const char *
od_check_step_get_detail (OdCheckStep *self)
{
  g_return_val_if_fail (OD_IS_CHECK_STEP (self), NULL);
  return self->detail;
}

void
od_check_step_set_detail (OdCheckStep *self,
                          const char  *detail)
{
  g_return_if_fail (OD_IS_CHECK_STEP (self));

  if (g_strcmp0 (self->detail, detail) == 0)
    return;

  g_free (self->detail);
  self->detail = g_strdup (detail);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
}

gint64
od_check_step_get_elapsed_ms (OdCheckStep *self)
{
  g_return_val_if_fail (OD_IS_CHECK_STEP (self), 0);
  return self->elapsed_ms;
}

/**
 * od_check_step_get_problem:
 *
 * Returns: (transfer none) (nullable): the problem found in this step
 */
OdProblem *
od_check_step_get_problem (OdCheckStep *self)
{
  g_return_val_if_fail (OD_IS_CHECK_STEP (self), NULL);
  return self->problem;
}

/**
 * od_check_step_add_problem:
 * @problem: a further problem of this step, after its main one
 *
 * A step that found several things (the delivery step: the spam folder, a failed SPF and
 * a failed DKIM) keeps the first as its problem and the others here, in order.
 */
void
od_check_step_add_problem (OdCheckStep *self,
                           OdProblem   *problem)
{
  g_return_if_fail (OD_IS_CHECK_STEP (self));
  g_return_if_fail (OD_IS_PROBLEM (problem));

  if (self->more_problems == NULL)
    self->more_problems = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->more_problems, g_object_ref (problem));
}

/**
 * od_check_step_get_more_problems:
 *
 * Returns: (transfer none) (nullable) (element-type OdProblem): the problems after the
 *   main one (od_check_step_add_problem())
 */
GPtrArray *
od_check_step_get_more_problems (OdCheckStep *self)
{
  g_return_val_if_fail (OD_IS_CHECK_STEP (self), NULL);
  return self->more_problems;
}

/**
 * od_check_step_start:
 *
 * Marks the step as running and starts its clock. Calling it again keeps the first start
 * time, so a step that is interrupted by another (TLS around STARTTLS) measures its span.
 */
void
od_check_step_start (OdCheckStep *self)
{
  g_return_if_fail (OD_IS_CHECK_STEP (self));

  if (self->state == OD_STEP_STATE_RUNNING)
    return;

  if (self->started_us == 0)
    self->started_us = g_get_monotonic_time ();

  self->state = OD_STEP_STATE_RUNNING;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/**
 * od_check_step_finish:
 * @state: the outcome
 * @detail: (nullable): what was found, in plain words
 * @problem: (nullable): the problem, for %OD_STEP_STATE_WARN and %OD_STEP_STATE_FAIL
 */
void
od_check_step_finish (OdCheckStep *self,
                      OdStepState  state,
                      const char  *detail,
                      OdProblem   *problem)
{
  g_return_if_fail (OD_IS_CHECK_STEP (self));
  g_return_if_fail (state != OD_STEP_STATE_PENDING && state != OD_STEP_STATE_RUNNING);
  g_return_if_fail (!problem || OD_IS_PROBLEM (problem));

  g_object_freeze_notify (G_OBJECT (self));

  if (self->started_us != 0)
    {
      self->elapsed_ms = (g_get_monotonic_time () - self->started_us) / 1000;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELAPSED_MS]);
    }

  if (detail != NULL)
    od_check_step_set_detail (self, detail);

  if (g_set_object (&self->problem, problem))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * od_check_step_warn:
 * @detail: (nullable): the new detail
 * @problem: the warning
 *
 * Turns a step that passed into a warning, found after it ended (an attempt that lost the
 * race to connect and never answered); its time stays what it was.
 */
void
od_check_step_warn (OdCheckStep *self,
                    const char  *detail,
                    OdProblem   *problem)
{
  g_return_if_fail (OD_IS_CHECK_STEP (self));
  g_return_if_fail (self->state == OD_STEP_STATE_PASS);
  g_return_if_fail (OD_IS_PROBLEM (problem));

  g_object_freeze_notify (G_OBJECT (self));

  if (detail != NULL)
    od_check_step_set_detail (self, detail);

  if (g_set_object (&self->problem, problem))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);

  self->state = OD_STEP_STATE_WARN;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * od_step_state_to_string:
 *
 * Returns: the state as the JSON contract spells it ("pass", "warn", "fail", "skip", …)
 */
const char *
od_step_state_to_string (OdStepState state)
{
  switch (state)
    {
    case OD_STEP_STATE_PENDING: return "pending";
    case OD_STEP_STATE_RUNNING: return "running";
    case OD_STEP_STATE_PASS:    return "pass";
    case OD_STEP_STATE_WARN:    return "warn";
    case OD_STEP_STATE_FAIL:    return "fail";
    case OD_STEP_STATE_SKIP:    return "skip";
    default:                    g_return_val_if_reached ("pending");
    }
}

/**
 * od_step_state_from_verdict:
 * @verdict: (nullable): a verdict as the JSON contract spells it ("pass", "warn", "fail"), as
 *   accounts remember it
 * @state: (out): the state
 *
 * Returns: whether @verdict is one
 */
gboolean
od_step_state_from_verdict (const char  *verdict,
                            OdStepState *state)
{
  g_return_val_if_fail (state != NULL, FALSE);

  if (g_strcmp0 (verdict, "pass") == 0)
    *state = OD_STEP_STATE_PASS;
  else if (g_strcmp0 (verdict, "warn") == 0)
    *state = OD_STEP_STATE_WARN;
  else if (g_strcmp0 (verdict, "fail") == 0)
    *state = OD_STEP_STATE_FAIL;
  else
    return FALSE;

  return TRUE;
}

/**
 * od_step_state_describe:
 *
 * The state in words, translated: what a screen reader says for a step's light, and what a
 * report or the command line says of a step or a whole check ("Passed", "Failed", …).
 *
 * Returns: the words
 */
const char *
od_step_state_describe (OdStepState state)
{
  switch (state)
    {
    case OD_STEP_STATE_PENDING: return _("Not checked yet");
    case OD_STEP_STATE_RUNNING: return _("Checking");
    case OD_STEP_STATE_PASS:    return _("Passed");
    case OD_STEP_STATE_WARN:    return _("Passed with a warning");
    case OD_STEP_STATE_FAIL:    return _("Failed");
    case OD_STEP_STATE_SKIP:    return _("Not checked");
    default:                    return _("Unknown");
    }
}
