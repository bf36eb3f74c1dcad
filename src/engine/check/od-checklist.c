/* od-checklist.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-checklist"

#include "config.h"

#include "od-checklist.h"

/* The ordered steps of a check, as a GListModel of OdCheckStep. The set of steps never
 * changes; each step's properties do. */
struct _OdChecklist
{
  GObject    parent_instance;

  GPtrArray *steps;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OdChecklist, od_checklist, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static const char * const step_ids[] = {
  OD_STEP_NETWORK,
  OD_STEP_DNS,
  OD_STEP_CONNECT,
  OD_STEP_TLS,
  OD_STEP_GREETING,
  OD_STEP_EHLO,
  OD_STEP_AUTH,
  OD_STEP_SENDER,
  OD_STEP_RECIPIENT,
  OD_STEP_DATA,
  NULL
};

/* Receiving (IMAP and POP3): the way to the server is the same, the conversation is not. */
static const char * const incoming_step_ids[] = {
  OD_STEP_NETWORK,
  OD_STEP_DNS,
  OD_STEP_CONNECT,
  OD_STEP_TLS,
  OD_STEP_GREETING,
  OD_STEP_CAPABILITIES,
  OD_STEP_AUTH,
  OD_STEP_MAILBOX,
  NULL
};

static GType
od_checklist_get_item_type (GListModel *model)
{
  return OD_TYPE_CHECK_STEP;
}

static guint
od_checklist_get_n_items (GListModel *model)
{
  return OD_CHECKLIST (model)->steps->len;
}

static gpointer
od_checklist_get_item (GListModel *model,
                       guint       position)
{
  OdChecklist *self = OD_CHECKLIST (model);

  if (position >= self->steps->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->steps, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = od_checklist_get_item_type;
  iface->get_n_items = od_checklist_get_n_items;
  iface->get_item = od_checklist_get_item;
}

static void
od_checklist_finalize (GObject *object)
{
  OdChecklist *self = (OdChecklist *)object;

  g_clear_pointer (&self->steps, g_ptr_array_unref);

  G_OBJECT_CLASS (od_checklist_parent_class)->finalize (object);
}

static void
od_checklist_class_init (OdChecklistClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = od_checklist_finalize;
}

static void
od_checklist_init (OdChecklist *self)
{
  self->steps = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * od_checklist_get_step_ids:
 *
 * Returns: the step ids of the contract, in order, %NULL-terminated
 */
const char * const *
od_checklist_get_step_ids (void)
{
  return step_ids;
}

/**
 * od_checklist_get_step_ids_for_protocol:
 *
 * Returns: the step ids of a check of @protocol, in order, %NULL-terminated
 */
const char * const *
od_checklist_get_step_ids_for_protocol (OdProtocol protocol)
{
  return od_protocol_is_incoming (protocol) ? incoming_step_ids : step_ids;
}

/**
 * od_checklist_new:
 *
 * Returns: (transfer full): the checklist of sending (SMTP)
 */
OdChecklist *
od_checklist_new (void)
{
  return od_checklist_new_for_protocol (OD_PROTOCOL_SMTP);
}

/**
 * od_checklist_new_for_protocol:
 *
 * Returns: (transfer full): the checklist of a check of @protocol
 */
OdChecklist *
od_checklist_new_for_protocol (OdProtocol protocol)
{
  OdChecklist *self = g_object_new (OD_TYPE_CHECKLIST, NULL);
  const char * const *ids = od_checklist_get_step_ids_for_protocol (protocol);

  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (self->steps, od_check_step_new (ids[i]));

  return self;
}

/**
 * od_checklist_get_step:
 *
 * Returns: (transfer none) (nullable): the step with @id
 */
OdCheckStep *
od_checklist_get_step (OdChecklist *self,
                       const char  *id)
{
  g_return_val_if_fail (OD_IS_CHECKLIST (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->steps->len; i++)
    {
      OdCheckStep *step = g_ptr_array_index (self->steps, i);

      if (g_str_equal (od_check_step_get_id (step), id))
        return step;
    }

  return NULL;
}

/**
 * od_checklist_get_verdict:
 *
 * Returns: %OD_STEP_STATE_FAIL if any step failed, else %OD_STEP_STATE_WARN if any step
 *   warned, else %OD_STEP_STATE_PASS
 */
OdStepState
od_checklist_get_verdict (OdChecklist *self)
{
  OdStepState verdict = OD_STEP_STATE_PASS;

  g_return_val_if_fail (OD_IS_CHECKLIST (self), OD_STEP_STATE_FAIL);

  for (guint i = 0; i < self->steps->len; i++)
    {
      OdStepState state = od_check_step_get_state (g_ptr_array_index (self->steps, i));

      if (state == OD_STEP_STATE_FAIL)
        return OD_STEP_STATE_FAIL;
      if (state == OD_STEP_STATE_WARN)
        verdict = OD_STEP_STATE_WARN;
    }

  return verdict;
}

/**
 * od_checklist_get_problems:
 *
 * Returns: (transfer container) (element-type OdProblem): the problems of all steps, in
 *   step order
 */
GPtrArray *
od_checklist_get_problems (OdChecklist *self)
{
  GPtrArray *problems;

  g_return_val_if_fail (OD_IS_CHECKLIST (self), NULL);

  problems = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->steps->len; i++)
    {
      OdCheckStep *s = g_ptr_array_index (self->steps, i);
      OdProblem *problem = od_check_step_get_problem (s);
      GPtrArray *more = od_check_step_get_more_problems (s);

      if (problem != NULL)
        g_ptr_array_add (problems, g_object_ref (problem));
      for (guint j = 0; more != NULL && j < more->len; j++)
        g_ptr_array_add (problems, g_object_ref (g_ptr_array_index (more, j)));
    }

  return problems;
}

/**
 * od_checklist_get_main_problem:
 *
 * The problem to name when one has to stand for the whole run (an account's last result,
 * a summary): the first error in step order, else the first warning.
 *
 * Returns: (transfer none) (nullable): the problem, owned by its step
 */
OdProblem *
od_checklist_get_main_problem (OdChecklist *self)
{
  OdProblem *first = NULL;

  g_return_val_if_fail (OD_IS_CHECKLIST (self), NULL);

  for (guint i = 0; i < self->steps->len; i++)
    {
      OdProblem *problem = od_check_step_get_problem (g_ptr_array_index (self->steps, i));

      if (problem == NULL)
        continue;
      if (od_problem_get_severity (problem) == OD_SEVERITY_ERROR)
        return problem;
      if (first == NULL)
        first = problem;
    }

  return first;
}

/**
 * od_checklist_add_step:
 * @id: a step id not in the list yet, such as %OD_STEP_DELIVERY
 *
 * Appends an optional step (the round trip's `delivery`, after `data`), before the run.
 */
void
od_checklist_add_step (OdChecklist *self,
                       const char  *id)
{
  g_return_if_fail (OD_IS_CHECKLIST (self));
  g_return_if_fail (id != NULL && od_checklist_get_step (self, id) == NULL);

  g_ptr_array_add (self->steps, od_check_step_new (id));
  g_list_model_items_changed (G_LIST_MODEL (self), self->steps->len - 1, 0, 1);
}
