/* test-checklist.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "od-checklist.h"
#include "od-problem.h"

static void
test_steps_in_contract_order (void)
{
  g_autoptr(OdChecklist) checklist = od_checklist_new ();
  const char *expected[] = { "network", "dns", "connect", "tls", "greeting", "ehlo", "auth",
                             "sender", "recipient", "data" };
  GListModel *model = G_LIST_MODEL (checklist);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (expected));
  g_assert_true (g_list_model_get_item_type (model) == OD_TYPE_CHECK_STEP);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(OdCheckStep) step = g_list_model_get_item (model, i);

      g_assert_cmpstr (od_check_step_get_id (step), ==, expected[i]);
      g_assert_cmpstr (od_checklist_get_step_ids ()[i], ==, expected[i]);
      g_assert_cmpint (od_check_step_get_state (step), ==, OD_STEP_STATE_PENDING);
      g_assert_nonnull (od_check_step_get_title (step));
      g_assert_cmpstr (od_check_step_get_title (step), !=, expected[i]);
    }

  g_assert_null (g_list_model_get_item (model, G_N_ELEMENTS (expected)));
  g_assert_null (od_checklist_get_step (checklist, "nonsense"));
}

/* check --incoming: the same way to the server, the conversation of receiving. */
static void
test_incoming_steps (void)
{
  const char *expected[] = { "network", "dns", "connect", "tls", "greeting", "capabilities",
                             "auth", "mailbox" };
  OdProtocol protocols[] = { OD_PROTOCOL_IMAP, OD_PROTOCOL_POP3 };

  for (guint p = 0; p < G_N_ELEMENTS (protocols); p++)
    {
      g_autoptr(OdChecklist) checklist = od_checklist_new_for_protocol (protocols[p]);
      GListModel *model = G_LIST_MODEL (checklist);
      const char * const *ids = od_checklist_get_step_ids_for_protocol (protocols[p]);

      g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (expected));
      g_assert_cmpuint (g_strv_length ((char **)ids), ==, G_N_ELEMENTS (expected));
      for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
        {
          g_autoptr(OdCheckStep) step = g_list_model_get_item (model, i);

          g_assert_cmpstr (od_check_step_get_id (step), ==, expected[i]);
          g_assert_cmpstr (ids[i], ==, expected[i]);
          g_assert_cmpstr (od_check_step_get_title (step), !=, expected[i]);
        }
      g_assert_null (od_checklist_get_step (checklist, "ehlo"));
    }

  g_assert_true (od_checklist_get_step_ids_for_protocol (OD_PROTOCOL_SMTP) ==
                 od_checklist_get_step_ids ());
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *last)
{
  g_assert_cmpuint (removed, ==, 0);
  g_assert_cmpuint (added, ==, 1);
  *last = position;
}

/* The round trip's step: appended after data, titled, and its several problems listed in
 * order after the other steps'. */
static void
test_delivery_step (void)
{
  g_autoptr(OdChecklist) checklist = od_checklist_new ();
  g_autoptr(OdProblem) junk = NULL;
  g_autoptr(OdProblem) spf = NULL;
  g_autoptr(OdProblem) dkim = NULL;
  g_autoptr(OdProblem) auth = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  OdCheckStep *delivery;
  guint position = G_MAXUINT;

  g_assert_null (od_checklist_get_step (checklist, OD_STEP_DELIVERY));
  g_signal_connect (checklist, "items-changed", G_CALLBACK (items_changed_cb), &position);
  od_checklist_add_step (checklist, OD_STEP_DELIVERY);
  g_assert_cmpuint (position, ==, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (checklist)), ==, 11);

  delivery = od_checklist_get_step (checklist, OD_STEP_DELIVERY);
  g_assert_nonnull (delivery);
  g_assert_cmpstr (od_check_step_get_title (delivery), ==, "Arrival in the mailbox");
  g_assert_null (od_check_step_get_more_problems (delivery));

  auth = od_problem_new (OD_PROBLEM_PASSWORD_SHORT, OD_STEP_AUTH, OD_SEVERITY_WARNING,
                         "short", "longer", NULL);
  junk = od_problem_new (OD_PROBLEM_ROUND_TRIP_JUNK, OD_STEP_DELIVERY, OD_SEVERITY_WARNING,
                         "junk", "mark it", NULL);
  spf = od_problem_new (OD_PROBLEM_AUTH_RESULTS_SPF_FAIL, OD_STEP_DELIVERY,
                        OD_SEVERITY_WARNING, "spf", "fix spf", NULL);
  dkim = od_problem_new (OD_PROBLEM_AUTH_RESULTS_DKIM_FAIL, OD_STEP_DELIVERY,
                         OD_SEVERITY_WARNING, "dkim", "fix dkim", NULL);
  od_check_step_finish (od_checklist_get_step (checklist, OD_STEP_AUTH), OD_STEP_STATE_WARN,
                        NULL, auth);
  od_check_step_finish (delivery, OD_STEP_STATE_WARN, "in the spam folder", junk);
  od_check_step_add_problem (delivery, spf);
  od_check_step_add_problem (delivery, dkim);

  problems = od_checklist_get_problems (checklist);
  g_assert_cmpuint (problems->len, ==, 4);
  g_assert_true (g_ptr_array_index (problems, 0) == auth);
  g_assert_true (g_ptr_array_index (problems, 1) == junk);
  g_assert_true (g_ptr_array_index (problems, 2) == spf);
  g_assert_true (g_ptr_array_index (problems, 3) == dkim);
  g_assert_cmpint (od_checklist_get_verdict (checklist), ==, OD_STEP_STATE_WARN);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static void
test_state_changes_notify (void)
{
  g_autoptr(OdChecklist) checklist = od_checklist_new ();
  OdCheckStep *auth = od_checklist_get_step (checklist, "auth");
  g_autoptr(OdProblem) problem = od_problem_new (OD_PROBLEM_AUTH_FAILED, "auth", OD_SEVERITY_ERROR,
                                                 "summary", "remedy", "535 5.7.8 no");
  g_autoptr(GPtrArray) problems = NULL;
  guint state_notifies = 0;

  g_signal_connect (auth, "notify::state", G_CALLBACK (notify_cb), &state_notifies);

  od_check_step_start (auth);
  g_assert_cmpint (od_check_step_get_state (auth), ==, OD_STEP_STATE_RUNNING);
  od_check_step_start (auth);
  g_assert_cmpuint (state_notifies, ==, 1);

  g_assert_cmpint (od_checklist_get_verdict (checklist), ==, OD_STEP_STATE_PASS);
  od_check_step_finish (auth, OD_STEP_STATE_FAIL, "it failed", problem);
  g_assert_cmpuint (state_notifies, ==, 2);
  g_assert_cmpstr (od_check_step_get_detail (auth), ==, "it failed");
  g_assert_true (od_check_step_get_problem (auth) == problem);
  g_assert_cmpint (od_check_step_get_elapsed_ms (auth), >=, 0);
  g_assert_cmpint (od_checklist_get_verdict (checklist), ==, OD_STEP_STATE_FAIL);

  problems = od_checklist_get_problems (checklist);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (od_problem_get_id (g_ptr_array_index (problems, 0)), ==, "auth-failed");
}

static void
test_warn_verdict (void)
{
  g_autoptr(OdChecklist) checklist = od_checklist_new ();

  od_check_step_finish (od_checklist_get_step (checklist, "network"), OD_STEP_STATE_WARN, NULL, NULL);
  od_check_step_finish (od_checklist_get_step (checklist, "data"), OD_STEP_STATE_SKIP, NULL, NULL);
  g_assert_cmpint (od_checklist_get_verdict (checklist), ==, OD_STEP_STATE_WARN);
  g_assert_cmpstr (od_step_state_to_string (OD_STEP_STATE_SKIP), ==, "skip");
}

static void
test_no_leaks (void)
{
  OdChecklist *checklist = od_checklist_new ();

  g_assert_finalize_object (checklist);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/checklist/order", test_steps_in_contract_order);
  g_test_add_func ("/od/checklist/incoming", test_incoming_steps);
  g_test_add_func ("/od/checklist/notify", test_state_changes_notify);
  g_test_add_func ("/od/checklist/warn-verdict", test_warn_verdict);
  g_test_add_func ("/od/checklist/no-leaks", test_no_leaks);
  g_test_add_func ("/od/checklist/delivery-step", test_delivery_step);

  return g_test_run ();
}
