/* od-check-page.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-check-page"

#include "config.h"

#include <glib/gi18n.h>

#include "od-check-delivery.h"
#include "od-check-page.h"
#include "od-checklist-row.h"
#include "od-ui-util.h"

/* The checklist of a running or finished check. It only shows: the window runs the check
 * and owns the actions the buttons name (win.try-again, win.save-account, …). */
struct _OdCheckPage
{
  AdwBin           parent_instance;

  /* Template widgets */
  AdwWindowTitle  *window_title;
  GtkButton       *cancel_button;
  GtkScrolledWindow *scroller;
  GtkStack        *verdict_stack;
  GtkImage        *verdict_light;
  GtkSpinner      *verdict_spinner;
  GtkLabel        *verdict_title;
  GtkLabel        *verdict_description;
  GtkListBox      *steps_list;
  GtkWidget       *origin_box;
  GtkImage        *origin_icon;
  GtkLabel        *origin_label;
  AdwPreferencesGroup *incoming_group;
  AdwActionRow    *incoming_row;
  GtkImage        *incoming_light;
  AdwActionRow    *send_test_row;
  GtkSwitch       *send_test_switch;
  AdwActionRow    *round_trip_row;
  GtkSwitch       *round_trip_switch;
  AdwActionRow    *round_trip_delete_row;
  GtkSwitch       *round_trip_delete_switch;
  GtkButton       *save_button;
  GtkButton       *again_button;
  GtkButton       *fix_button;
  GtkMenuButton   *more_button;
  GtkActionBar    *action_bar;
  GMenuModel      *more_menu_setup;
  GMenuModel      *more_menu_troubleshoot;

  /* Owned */
  OdCheck         *check;
  OdCheck         *incoming;       /* a setup's check of the incoming server, after sending's */

  OdCheckPageMode  mode;
  guint            running : 1;
  guint            finished : 1;
  guint            cancelled : 1;
  guint            incoming_known : 1;
  OdStepState      verdict;
};

G_DEFINE_FINAL_TYPE (OdCheckPage, od_check_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_SEND_TEST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void od_check_page_update_round_trip (OdCheckPage *self);

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  OdCheckPage *self = user_data;

  return od_checklist_row_new (OD_CHECK_STEP (item), od_check_get_port (self->check));
}

/* The title says what the page shows now: a check under way, its results, or a stop. */
static void
update_title (OdCheckPage *self)
{
  gboolean setup = self->mode == OD_CHECK_PAGE_MODE_SETUP;
  gboolean edit = self->mode == OD_CHECK_PAGE_MODE_EDIT;
  const char *title;

  if (self->finished && self->cancelled)
    title = _("Check Stopped");
  else if (self->finished && edit)
    title = self->verdict == OD_STEP_STATE_FAIL ? _("Changes Not Saved") : _("Changes Saved");
  else if (self->finished)
    title = setup ? _("Check Results") : _("Test Results");
  else if (edit)
    title = _("Checking Your Changes");
  else if (self->mode == OD_CHECK_PAGE_MODE_RECEIVE)
    title = _("Testing Receiving");
  else
    title = setup ? _("Checking Settings") : _("Testing Sending");

  adw_window_title_set_title (self->window_title, title);
}

/* Whether *Save Account* is the main action: a setup's check that ran to its end and did
 * not fail (after a failure, *Check Again* is). */
static gboolean
offers_save (OdCheckPage *self)
{
  return self->mode == OD_CHECK_PAGE_MODE_SETUP && self->finished && !self->cancelled &&
         self->verdict != OD_STEP_STATE_FAIL;
}

/* Sending works and the incoming server does not: saving is still offered, for sending
 * only, beside *Check Again*, which is then the main action. */
static gboolean
incoming_failed (OdCheckPage *self)
{
  OdStepState verdict;

  if (self->incoming == NULL || !self->finished || self->cancelled)
    return FALSE;

  /* A check the engine could not bring to a verdict did not pass either. */
  verdict = od_checklist_get_verdict (od_check_get_checklist (self->incoming));
  return verdict != OD_STEP_STATE_PASS && verdict != OD_STEP_STATE_WARN;
}

/* The page's main action in the bar at the bottom, always in sight: *Save Account* when
 * setting up, *Check Again* when troubleshooting or after a stop; the others in the menu
 * at the bar's start. */
static void
update_buttons (OdCheckPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), self->running);
  gtk_widget_set_visible (GTK_WIDGET (self->action_bar), self->finished);
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), offers_save (self));
  gtk_widget_set_visible (GTK_WIDGET (self->again_button),
                          !offers_save (self) || incoming_failed (self));
  gtk_button_set_label (self->save_button, incoming_failed (self)
                                           ? _("Save _Without Incoming Mail")
                                           : _("_Save Account"));
  if (incoming_failed (self))
    gtk_widget_remove_css_class (GTK_WIDGET (self->save_button), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->save_button), "suggested-action");
  /* *Fix in Evolution*, when offered, is the main action; *Check Again* stays beside it. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->fix_button)))
    gtk_widget_remove_css_class (GTK_WIDGET (self->again_button), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->again_button), "suggested-action");
  gtk_menu_button_set_menu_model (self->more_button,
                                  offers_save (self) ? self->more_menu_setup
                                                     : self->more_menu_troubleshoot);
  update_title (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_test_row), !self->running);
  /* An edit is checked without a message: nothing is sent with settings not saved yet.
   * Receiving sends nothing at all. */
  gtk_widget_set_visible (GTK_WIDGET (self->send_test_row),
                          self->mode != OD_CHECK_PAGE_MODE_EDIT &&
                          self->mode != OD_CHECK_PAGE_MODE_RECEIVE);
  /* Its group too: an empty boxed list would still draw its frame. */
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (self->send_test_row),
                                                   ADW_TYPE_PREFERENCES_GROUP),
                          gtk_widget_get_visible (GTK_WIDGET (self->send_test_row)));
  od_check_page_update_round_trip (self);
}

/**
 * od_check_page_get_default_widget:
 *
 * Returns: (transfer none) (nullable): what Enter activates on this page now: the main
 *   action once the check has run
 */
GtkWidget *
od_check_page_get_default_widget (OdCheckPage *self)
{
  g_return_val_if_fail (OD_IS_CHECK_PAGE (self), NULL);

  if (!self->finished)
    return NULL;

  /* *Fix in …* writes another program's settings: a click, never a stray Enter. */
  return GTK_WIDGET (offers_save (self) && !incoming_failed (self) ? self->save_button
                                                              : self->again_button);
}

static void
send_test_notify_cb (OdCheckPage *self)
{
  od_check_page_update_round_trip (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEND_TEST]);
}

static void
od_check_page_dispose (GObject *object)
{
  OdCheckPage *self = (OdCheckPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), OD_TYPE_CHECK_PAGE);
  g_clear_object (&self->incoming);
  g_clear_object (&self->check);

  G_OBJECT_CLASS (od_check_page_parent_class)->dispose (object);
}

static void
od_check_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  OdCheckPage *self = OD_CHECK_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    case PROP_SEND_TEST:
      g_value_set_boolean (value, od_check_page_get_send_test (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
od_check_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  OdCheckPage *self = OD_CHECK_PAGE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      od_check_page_set_running (self, g_value_get_boolean (value));
      break;

    case PROP_SEND_TEST:
      od_check_page_set_send_test (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
od_check_page_class_init (OdCheckPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = od_check_page_dispose;
  object_class->get_property = od_check_page_get_property;
  object_class->set_property = od_check_page_set_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_SEND_TEST] =
    g_param_spec_boolean ("send-test", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/outboxdoctor/OutboxDoctor/od-check-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, verdict_stack);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, verdict_light);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, verdict_spinner);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, verdict_title);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, verdict_description);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, steps_list);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, origin_box);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, origin_icon);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, origin_label);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, fix_button);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, incoming_group);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, incoming_row);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, incoming_light);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, send_test_row);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, send_test_switch);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, round_trip_row);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, round_trip_switch);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, round_trip_delete_row);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, round_trip_delete_switch);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, again_button);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, more_button);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, action_bar);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, more_menu_setup);
  gtk_widget_class_bind_template_child (widget_class, OdCheckPage, more_menu_troubleshoot);
}

static void
od_check_page_init (OdCheckPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->send_test_switch, "notify::active",
                           G_CALLBACK (send_test_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->round_trip_switch, "notify::active",
                           G_CALLBACK (od_check_page_update_round_trip), self,
                           G_CONNECT_SWAPPED);
  update_buttons (self);
}

/**
 * od_check_page_set_mode:
 * @subtitle: (nullable): shown under the title, e.g. the address
 *
 * Setup shows *Save Account* once the check has run; troubleshooting does not.
 */
void
od_check_page_set_mode (OdCheckPage     *self,
                        OdCheckPageMode  mode,
                        const char      *subtitle)
{
  g_return_if_fail (OD_IS_CHECK_PAGE (self));

  self->mode = mode;
  update_title (self);
  adw_window_title_set_subtitle (self->window_title, subtitle ? subtitle : "");
  update_buttons (self);
}

OdCheckPageMode
od_check_page_get_mode (OdCheckPage *self)
{
  g_return_val_if_fail (OD_IS_CHECK_PAGE (self), OD_CHECK_PAGE_MODE_SETUP);

  return self->mode;
}

/**
 * od_check_page_set_check:
 *
 * Shows the checklist of @check, one row per step, following every change.
 */
void
od_check_page_set_check (OdCheckPage *self,
                         OdCheck     *check)
{
  g_return_if_fail (OD_IS_CHECK_PAGE (self));
  g_return_if_fail (!check || OD_IS_CHECK (check));

  if (!g_set_object (&self->check, check))
    return;

  self->finished = FALSE;
  od_check_page_set_incoming (self, NULL);

  /* A new check is read from its top: the verdict and the first steps. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);

  if (check != NULL)
    gtk_list_box_bind_model (self->steps_list, G_LIST_MODEL (od_check_get_checklist (check)),
                             create_row_cb, self, NULL);
  else
    gtk_list_box_bind_model (self->steps_list, NULL, NULL, NULL, NULL);

  update_buttons (self);
}

OdCheck *
od_check_page_get_check (OdCheckPage *self)
{
  g_return_val_if_fail (OD_IS_CHECK_PAGE (self), NULL);

  return self->check;
}

void
od_check_page_set_running (OdCheckPage *self,
                           gboolean     running)
{
  g_return_if_fail (OD_IS_CHECK_PAGE (self));

  running = !!running;
  if (self->running == running)
    return;

  self->running = running;

  if (running)
    {
      self->finished = FALSE;
      gtk_stack_set_visible_child_name (self->verdict_stack, "spinner");
      gtk_spinner_set_spinning (self->verdict_spinner, TRUE);
      gtk_label_set_text (self->verdict_title, _("Checking…"));
      gtk_label_set_text (self->verdict_description,
                          _("Each step lights up as soon as it is done. Press Escape to stop."));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->verdict_spinner),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Checking"),
                                      -1);
    }
  else
    gtk_spinner_set_spinning (self->verdict_spinner, FALSE);

  update_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
od_check_page_get_running (OdCheckPage *self)
{
  g_return_val_if_fail (OD_IS_CHECK_PAGE (self), FALSE);

  return self->running;
}

/* The incoming server's row: checking, or how it went in one sentence. */
static void
update_incoming_row (OdCheckPage *self)
{
  OdChecklist *checklist;
  OdProblem *problem;
  OdStepState state;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  const char *result;

  gtk_widget_set_visible (GTK_WIDGET (self->incoming_group), self->incoming != NULL);
  if (self->incoming == NULL)
    return;

  checklist = od_check_get_checklist (self->incoming);
  problem = od_checklist_get_main_problem (checklist);
  state = self->running ? OD_STEP_STATE_RUNNING : od_checklist_get_verdict (checklist);
  if (self->cancelled)
    state = OD_STEP_STATE_SKIP;

  if (state == OD_STEP_STATE_RUNNING)
    result = _("Checking the login and the inbox…");
  else if (state == OD_STEP_STATE_SKIP)
    result = _("Not checked");
  else if (problem != NULL)
    result = od_problem_get_summary (problem);
  else
    result = _("Your login works and the inbox opens.");

  /* Translators: "Incoming Server (IMAP)" */
  title = g_strdup_printf (_("Incoming Server (%s)"),
                           od_check_get_protocol (self->incoming) == OD_PROTOCOL_POP3 ? "POP3"
                                                                                      : "IMAP");
  /* Translators: "imap.example.org, port 993\nYour login works and the inbox opens." */
  subtitle = g_strdup_printf (_("%s, port %u\n%s"), od_check_get_host (self->incoming),
                              od_check_get_port (self->incoming), result);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->incoming_row), title);
  adw_action_row_set_subtitle (self->incoming_row, subtitle);
  od_ui_set_light (self->incoming_light, state, _("Incoming server"));
}

/**
 * od_check_page_set_incoming:
 * @incoming: (nullable): a setup's check of the incoming server, running after the check
 *   of sending the page shows
 *
 * Shows the incoming server's check as one row under the checklist.
 */
void
od_check_page_set_incoming (OdCheckPage *self,
                            OdCheck     *incoming)
{
  g_return_if_fail (OD_IS_CHECK_PAGE (self));
  g_return_if_fail (!incoming || OD_IS_CHECK (incoming));

  g_set_object (&self->incoming, incoming);
  update_incoming_row (self);
  update_buttons (self);
}

/**
 * od_check_page_show_verdict:
 * @verdict: %OD_STEP_STATE_PASS, _WARN or _FAIL
 * @cancelled: the user stopped the check
 *
 * Sums the finished check up above the rows.
 */
void
od_check_page_show_verdict (OdCheckPage *self,
                            OdStepState  verdict,
                            gboolean     cancelled)
{
  g_autoptr(GPtrArray) problems = NULL;
  OdProblem *first = NULL;
  const char *title;
  const char *description;
  gboolean sent;
  gboolean arrived;

  g_return_if_fail (OD_IS_CHECK_PAGE (self));

  od_check_page_set_running (self, FALSE);
  self->finished = TRUE;
  self->cancelled = !!cancelled;
  self->verdict = verdict;

  if (self->check != NULL)
    {
      problems = od_checklist_get_problems (od_check_get_checklist (self->check));
      if (problems->len > 0)
        first = g_ptr_array_index (problems, 0);
    }

  sent = self->check != NULL && od_check_get_message_sent (self->check);
  arrived = sent && od_check_get_round_trip (self->check) != NULL &&
            od_round_trip_get_delivery (od_check_get_round_trip (self->check)) ==
            OD_DELIVERY_INBOX;

  if (cancelled)
    {
      verdict = OD_STEP_STATE_SKIP;
      title = _("Check stopped");
      description = _("The check was stopped before it finished.");
    }
  else if (self->mode == OD_CHECK_PAGE_MODE_RECEIVE)
    {
      title = verdict == OD_STEP_STATE_PASS ? _("Receiving works")
              : verdict == OD_STEP_STATE_WARN ? _("Receiving works, with a warning")
                                              : _("Mail cannot be received");
      description = verdict == OD_STEP_STATE_PASS
                    ? _("The incoming server accepted your login and opened your mailbox.")
                    : first ? od_problem_get_summary (first) : "";
    }
  else if (incoming_failed (self))
    {
      OdProblem *problem = od_checklist_get_main_problem (od_check_get_checklist (self->incoming));

      verdict = OD_STEP_STATE_WARN;
      title = _("Sending works, receiving does not");
      description = problem ? od_problem_get_summary (problem) : "";
    }
  else if (verdict == OD_STEP_STATE_PASS)
    {
      /* Only a message the server took says that sending works. */
      title = self->mode == OD_CHECK_PAGE_MODE_SETUP ? _("Everything works")
              : sent ? _("Sending works") : _("Login and addresses accepted");
      description = arrived ? _("The server accepted your login and a test message, and the "
                                "message arrived in your inbox.")
                    : sent ? _("The server accepted your login and a test message.")
                           : _("The server accepted your login and your addresses. No message "
                               "was sent.");
    }
  else if (verdict == OD_STEP_STATE_WARN)
    {
      title = sent ? _("Sending works, with a warning")
                   : _("Login and addresses accepted, with a warning");
      description = first ? od_problem_get_summary (first) : "";
    }
  else if (sent)
    {
      /* Sent, but the round trip did not find it, or could not look. */
      title = _("The test message did not arrive");
      description = first ? od_problem_get_summary (first) : "";
    }
  else if (self->mode == OD_CHECK_PAGE_MODE_EDIT)
    {
      title = _("These settings do not work");
      description = first ? od_problem_get_summary (first) : "";
    }
  else
    {
      title = _("Mail cannot be sent");
      description = first ? od_problem_get_summary (first) : "";
    }

  update_incoming_row (self);
  gtk_stack_set_visible_child_name (self->verdict_stack, "light");
  od_ui_set_light (self->verdict_light, verdict, _("Result"));
  gtk_label_set_text (self->verdict_title, title);
  gtk_label_set_text (self->verdict_description, description);

  update_buttons (self);
}

gboolean
od_check_page_get_send_test (OdCheckPage *self)
{
  g_return_val_if_fail (OD_IS_CHECK_PAGE (self), FALSE);

  return gtk_switch_get_active (self->send_test_switch);
}

void
od_check_page_set_send_test (OdCheckPage *self,
                             gboolean     send_test)
{
  g_return_if_fail (OD_IS_CHECK_PAGE (self));

  /* The switch notifies, and send_test_notify_cb passes it on. */
  gtk_switch_set_active (self->send_test_switch, send_test);
}

/**
 * od_check_page_get_list:
 *
 * Returns: (transfer none): the list of #OdChecklistRow, for tests
 */
GtkListBox *
od_check_page_get_list (OdCheckPage *self)
{
  g_return_val_if_fail (OD_IS_CHECK_PAGE (self), NULL);

  return self->steps_list;
}

/* The round trip's switches: only where a test message is sent to an account whose
 * incoming server is known, and not while a check runs; deleting only with the round trip. */
static void
od_check_page_update_round_trip (OdCheckPage *self)
{
  gboolean possible = self->incoming_known && gtk_switch_get_active (self->send_test_switch);

  gtk_widget_set_visible (GTK_WIDGET (self->round_trip_row),
                          self->mode != OD_CHECK_PAGE_MODE_EDIT);
  gtk_widget_set_visible (GTK_WIDGET (self->round_trip_delete_row),
                          self->mode != OD_CHECK_PAGE_MODE_EDIT);
  gtk_widget_set_sensitive (GTK_WIDGET (self->round_trip_row), possible && !self->running);
  /* Insensitive for a reason a person can read. */
  adw_action_row_set_subtitle (self->round_trip_row,
                               self->incoming_known
                               ? _("Looks for the test message in your inbox and junk folder")
                               : _("Not possible: the incoming server of this account is not "
                                   "known"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->round_trip_delete_row),
                            possible && !self->running &&
                            gtk_switch_get_active (self->round_trip_switch));
}

/**
 * od_check_page_set_incoming_known:
 * @known: whether the account's incoming server is known
 *
 * Turns *Check That It Arrives* on when the incoming server is known (the default for each
 * account), off and insensitive otherwise; *Delete the Test Message Afterwards* starts off.
 */
void
od_check_page_set_incoming_known (OdCheckPage *self,
                                  gboolean     known)
{
  g_return_if_fail (OD_IS_CHECK_PAGE (self));

  self->incoming_known = !!known;
  gtk_switch_set_active (self->round_trip_switch, known);
  gtk_switch_set_active (self->round_trip_delete_switch, FALSE);
  od_check_page_update_round_trip (self);
}

/**
 * od_check_page_get_round_trip:
 *
 * Returns: whether the next check looks for its test message in the mailbox
 */
gboolean
od_check_page_get_round_trip (OdCheckPage *self)
{
  g_return_val_if_fail (OD_IS_CHECK_PAGE (self), FALSE);

  return self->incoming_known && gtk_switch_get_active (self->send_test_switch) &&
         gtk_switch_get_active (self->round_trip_switch);
}

gboolean
od_check_page_get_round_trip_delete (OdCheckPage *self)
{
  g_return_val_if_fail (OD_IS_CHECK_PAGE (self), FALSE);

  return od_check_page_get_round_trip (self) &&
         gtk_switch_get_active (self->round_trip_delete_switch);
}

/**
 * od_check_page_set_origin:
 * @icon_name: (nullable): the mail program's icon
 * @text: (nullable): whose settings the checks use, e.g. "Evolution's settings, as they
 *   are"; %NULL for one of our own accounts
 */
void
od_check_page_set_origin (OdCheckPage *self,
                          const char  *icon_name,
                          const char  *text)
{
  g_return_if_fail (OD_IS_CHECK_PAGE (self));

  gtk_label_set_text (self->origin_label, text ? text : "");
  gtk_image_set_from_icon_name (self->origin_icon, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (self->origin_icon), icon_name != NULL);
  gtk_widget_set_visible (self->origin_box, text != NULL);
}

/**
 * od_check_page_get_origin:
 *
 * Returns: (nullable): whose settings the checks use, as the page says it; %NULL for one of
 *   our own accounts
 */
const char *
od_check_page_get_origin (OdCheckPage *self)
{
  g_return_val_if_fail (OD_IS_CHECK_PAGE (self), NULL);

  return gtk_widget_get_visible (self->origin_box) ? gtk_label_get_text (self->origin_label)
                                                   : NULL;
}

/**
 * od_check_page_set_fix:
 * @label: (nullable): the fix button's label with its mnemonic ("_Fix in Evolution"), or
 *   %NULL to offer no fix
 *
 * Offers to make the settings that worked the other program's own (win.fix-found).
 */
void
od_check_page_set_fix (OdCheckPage *self,
                       const char  *label)
{
  g_return_if_fail (OD_IS_CHECK_PAGE (self));

  if (label != NULL)
    gtk_button_set_label (self->fix_button, label);
  gtk_widget_set_visible (GTK_WIDGET (self->fix_button), label != NULL);
  update_buttons (self);
}

/**
 * od_check_page_get_fix_button:
 *
 * Returns: (transfer none): *Fix in …*, for tests
 */
GtkButton *
od_check_page_get_fix_button (OdCheckPage *self)
{
  g_return_val_if_fail (OD_IS_CHECK_PAGE (self), NULL);

  return self->fix_button;
}
