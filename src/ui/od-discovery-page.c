/* od-discovery-page.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-discovery-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-discovery-page.h"
#include "od-progress-row.h"
#include "od-ui-util.h"

/* Discovery as it happens: each place it looks and each server it tries appears with a
 * spinner and gets its outcome the moment it arrives. When the detection is over, the page
 * says what came of it (found, nothing found, stopped) and every row keeps its real outcome:
 * a source that found settings is as good as the settings it found. The window runs the
 * discovery. */
struct _OdDiscoveryPage
{
  AdwBin                parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkButton            *cancel_button;
  GtkStack             *status_stack;
  GtkSpinner           *spinner;
  GtkImage             *status_light;
  GtkLabel             *status_title;
  GtkLabel             *status_description;
  GtkListBox           *sources_list;
  GtkWidget            *candidates_group;
  GtkListBox           *candidates_list;
  GtkButton            *certificate_button;
  GtkWidget            *manual_button;
  GtkWidget            *manual_main_button;
  GtkWidget            *more_button;
  GtkScrolledWindow    *scroller;
  GtkButton            *retry_button;

  /* Owned */
  OdDiscovery          *discovery;
  gulong                candidates_handler;

  OdDiscoveryPageState  state;
};

G_DEFINE_FINAL_TYPE (OdDiscoveryPage, od_discovery_page, ADW_TYPE_BIN)

#define ITEM_KEY "od-item"

static gboolean
running (OdDiscoveryPage *self)
{
  return self->state == OD_DISCOVERY_PAGE_RUNNING;
}

static const char *
short_security (OdSecurity security)
{
  switch (security)
    {
    case OD_SECURITY_TLS:      return C_("encryption", "TLS");
    case OD_SECURITY_STARTTLS: return C_("encryption", "STARTTLS");
    default:                   return C_("encryption", "no encryption");
    }
}

/* What came of the settings a source proposed. */
typedef struct
{
  OdCandidate *works;       /* trusted and working: the best if it is one of them */
  OdCandidate *to_confirm;  /* working, but needs a confirmation */
  OdCandidate *certificate; /* answered with a certificate the user may trust */
  OdCandidate *skipped;     /* one that was not tried to the end */
  guint        n;
  guint        n_open;      /* still being tried */
  guint        n_skipped;
} Proposed;

static void
collect_proposed (OdDiscoveryPage *self,
                  OdSourceKind     kind,
                  Proposed        *p)
{
  GListModel *candidates = od_discovery_get_candidates (self->discovery);
  OdCandidate *best = od_discovery_get_best (self->discovery);

  memset (p, 0, sizeof *p);

  for (guint i = 0; i < g_list_model_get_n_items (candidates); i++)
    {
      g_autoptr(OdCandidate) c = g_list_model_get_item (candidates, i);
      OdCandidateStatus status = od_candidate_get_status (c);

      if (!(od_candidate_get_proposed_by (c) & (1 << kind)))
        continue;

      p->n++;
      if (!od_candidate_is_finished (c))
        p->n_open++;
      else if (status == OD_CANDIDATE_SKIPPED)
        {
          p->n_skipped++;
          p->skipped = p->skipped ? p->skipped : c;
        }
      else if (status == OD_CANDIDATE_TLS_ERROR && od_candidate_get_problem (c) != NULL &&
               od_problem_has_fix (od_candidate_get_problem (c), OD_FIX_TRUST_CERTIFICATE))
        p->certificate = p->certificate ? p->certificate : c;
      else if (status == OD_CANDIDATE_OK && !od_candidate_get_inbound (c) &&
               od_candidate_get_security (c) != OD_SECURITY_NONE)
        {
          if (!od_candidate_get_trusted (c))
            p->to_confirm = p->to_confirm ? p->to_confirm : c;
          else if (p->works == NULL || c == best)
            p->works = c;
        }
    }
}

/* A source that found settings: its outcome is theirs. Sets @words (when the state's usual
 * words do not fit) and @outcome, a sentence to show above the source's own detail. */
static OdStepState
found_outcome (OdDiscoveryPage  *self,
               OdSourceKind      kind,
               const char      **words,
               char            **outcome)
{
  Proposed p;

  collect_proposed (self, kind, &p);

  if (running (self) && p.n_open > 0)
    return OD_STEP_STATE_RUNNING;

  if (p.works != NULL)
    {
      /* Translators: "smtp.example.org, port 465, works." */
      *outcome = g_strdup_printf (_("%s, port %u, works."), od_candidate_get_host (p.works),
                                  od_candidate_get_port (p.works));
      return OD_STEP_STATE_PASS;
    }

  if (p.to_confirm != NULL)
    {
      *words = _("Needs your confirmation");
      /* Translators: "mail.example.net, port 465, works, but needs your confirmation." */
      *outcome = g_strdup_printf (_("%s, port %u, works, but needs your confirmation."),
                                  od_candidate_get_host (p.to_confirm),
                                  od_candidate_get_port (p.to_confirm));
      return OD_STEP_STATE_WARN;
    }

  if (p.certificate != NULL && p.n_open == 0)
    {
      *words = _("Certificate not trusted");
      /* Translators: "smtp.example.org, port 465, answered, but its certificate is not
       * trusted." */
      *outcome = g_strdup_printf (_("%s, port %u, answered, but its certificate is not "
                                    "trusted."),
                                  od_candidate_get_host (p.certificate),
                                  od_candidate_get_port (p.certificate));
      return OD_STEP_STATE_WARN;
    }

  if (p.n_open > 0 || p.n_skipped > 0)
    {
      if (self->state == OD_DISCOVERY_PAGE_STOPPED)
        *outcome = g_strdup (_("Stopped before its servers had answered."));
      else if (od_discovery_get_best (self->discovery) != NULL)
        {
          *words = _("Not needed");
          *outcome = g_strdup (_("Not needed: a setting ranked higher works."));
        }
      else if (p.n_skipped < p.n)
        {
          *outcome = g_strdup (_("None of the servers it named worked."));
          return OD_STEP_STATE_FAIL;
        }
      else
        *outcome = g_strdup (od_candidate_get_detail (p.skipped));
      return OD_STEP_STATE_SKIP;
    }

  if (p.n == 0)
    return OD_STEP_STATE_SKIP;

  *outcome = g_strdup (_("None of the servers it named worked."));
  return OD_STEP_STATE_FAIL;
}

static void
update_source_row (OdDiscoveryPage   *self,
                   OdProgressRow     *row,
                   OdDiscoverySource *source)
{
  const char *detail = od_discovery_source_get_detail (source);
  g_autofree char *outcome = NULL;
  g_autofree char *subtitle = NULL;
  const char *words = NULL;
  OdStepState state;

  switch (od_discovery_source_get_status (source))
    {
    case OD_SOURCE_STATUS_FOUND:
      state = found_outcome (self, od_discovery_source_get_kind (source), &words, &outcome);
      break;

    case OD_SOURCE_STATUS_ERROR:
      state = OD_STEP_STATE_WARN;
      words = od_discovery_source_get_stopped (source) ? _("No answer")
                                                       : _("Could not be read");
      break;

    case OD_SOURCE_STATUS_NONE:
      /* Stopped before it answered: not checked. Otherwise it answered: nothing there. */
      state = OD_STEP_STATE_SKIP;
      if (!od_discovery_source_get_stopped (source))
        words = _("Nothing found");
      break;

    case OD_SOURCE_STATUS_PENDING:
    default:
      state = running (self) ? OD_STEP_STATE_RUNNING : OD_STEP_STATE_SKIP;
      if (!running (self))
        detail = _("Stopped before it had answered.");
      break;
    }

  if (outcome != NULL && detail != NULL)
    subtitle = g_strdup_printf ("%s\n%s", outcome, detail);
  else
    subtitle = g_strdup (outcome ? outcome : detail);

  od_progress_row_update_full (row, state, words,
                               od_source_kind_get_title (od_discovery_source_get_kind (source)),
                               subtitle);
}

static void
update_candidate_row (OdDiscoveryPage *self,
                      OdProgressRow   *row,
                      OdCandidate     *candidate)
{
  g_autofree char *subtitle = NULL;
  const char *detail = od_candidate_get_detail (candidate);
  const char *source = od_source_kind_to_string (od_candidate_get_source (candidate));
  OdStepState state;

  switch (od_candidate_get_status (candidate))
    {
    case OD_CANDIDATE_PENDING:
      state = running (self) ? OD_STEP_STATE_PENDING : OD_STEP_STATE_SKIP;
      break;

    case OD_CANDIDATE_PROBING:
      state = running (self) ? OD_STEP_STATE_RUNNING : OD_STEP_STATE_SKIP;
      break;

    case OD_CANDIDATE_OK:
      state = od_candidate_get_trusted (candidate) && !od_candidate_get_inbound (candidate)
              ? OD_STEP_STATE_PASS : OD_STEP_STATE_WARN;
      break;

    case OD_CANDIDATE_SKIPPED:
      state = OD_STEP_STATE_SKIP;
      break;

    default:
      state = OD_STEP_STATE_FAIL;
      break;
    }

  /* Translators: "Port 465 · TLS · From the provider database" */
  subtitle = g_strdup_printf (_("Port %u · %s · %s%s%s"),
                              od_candidate_get_port (candidate),
                              short_security (od_candidate_get_security (candidate)),
                              od_ui_source_label (source),
                              detail ? "\n" : "",
                              detail ? detail : "");

  od_progress_row_update (row, state, od_candidate_get_host (candidate), subtitle);
}

static void
refresh_list (OdDiscoveryPage *self,
              GtkListBox      *list)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gpointer item;

      if (!OD_IS_PROGRESS_ROW (child))
        continue;

      item = g_object_get_data (G_OBJECT (child), ITEM_KEY);
      if (OD_IS_DISCOVERY_SOURCE (item))
        update_source_row (self, OD_PROGRESS_ROW (child), item);
      else
        update_candidate_row (self, OD_PROGRESS_ROW (child), item);
    }
}

static void
source_notify_cb (OdDiscoveryPage *self)
{
  refresh_list (self, self->sources_list);
}

/* A server's outcome is also its sources'. */
static void
candidate_notify_cb (OdProgressRow *row,
                     GParamSpec    *pspec,
                     OdCandidate   *candidate)
{
  OdDiscoveryPage *self = g_object_get_data (G_OBJECT (row), "od-page");

  update_candidate_row (self, row, candidate);
  refresh_list (self, self->sources_list);
}

static GtkWidget *
create_source_row_cb (gpointer item,
                      gpointer user_data)
{
  OdDiscoveryPage *self = user_data;
  GtkWidget *row = od_progress_row_new ();

  g_object_set_data_full (G_OBJECT (row), ITEM_KEY, g_object_ref (item), g_object_unref);
  g_signal_connect_object (item, "notify", G_CALLBACK (source_notify_cb), self,
                           G_CONNECT_SWAPPED);
  update_source_row (self, OD_PROGRESS_ROW (row), item);

  return row;
}

static GtkWidget *
create_candidate_row_cb (gpointer item,
                         gpointer user_data)
{
  OdDiscoveryPage *self = user_data;
  GtkWidget *row = od_progress_row_new ();

  g_object_set_data_full (G_OBJECT (row), ITEM_KEY, g_object_ref (item), g_object_unref);
  g_object_set_data (G_OBJECT (row), "od-page", self);
  g_signal_connect_object (item, "notify", G_CALLBACK (candidate_notify_cb), row,
                           G_CONNECT_SWAPPED);
  update_candidate_row (self, OD_PROGRESS_ROW (row), item);

  return row;
}

/* A new server proposed: the list shows up, and its source is being tried again. */
static void
candidates_changed_cb (OdDiscoveryPage *self)
{
  GListModel *candidates = od_discovery_get_candidates (self->discovery);

  gtk_widget_set_visible (self->candidates_group, g_list_model_get_n_items (candidates) > 0);
  refresh_list (self, self->sources_list);
}

static void
refresh_rows (OdDiscoveryPage *self)
{
  refresh_list (self, self->sources_list);
  refresh_list (self, self->candidates_list);
}

static void
disconnect_discovery (OdDiscoveryPage *self)
{
  if (self->discovery != NULL)
    g_clear_signal_handler (&self->candidates_handler,
                            od_discovery_get_candidates (self->discovery));
  g_clear_object (&self->discovery);
}

static void
od_discovery_page_dispose (GObject *object)
{
  OdDiscoveryPage *self = (OdDiscoveryPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), OD_TYPE_DISCOVERY_PAGE);
  disconnect_discovery (self);

  G_OBJECT_CLASS (od_discovery_page_parent_class)->dispose (object);
}

static void
od_discovery_page_class_init (OdDiscoveryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = od_discovery_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/outboxdoctor/OutboxDoctor/od-discovery-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OdDiscoveryPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, OdDiscoveryPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, OdDiscoveryPage, status_stack);
  gtk_widget_class_bind_template_child (widget_class, OdDiscoveryPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, OdDiscoveryPage, status_light);
  gtk_widget_class_bind_template_child (widget_class, OdDiscoveryPage, status_title);
  gtk_widget_class_bind_template_child (widget_class, OdDiscoveryPage, status_description);
  gtk_widget_class_bind_template_child (widget_class, OdDiscoveryPage, sources_list);
  gtk_widget_class_bind_template_child (widget_class, OdDiscoveryPage, candidates_group);
  gtk_widget_class_bind_template_child (widget_class, OdDiscoveryPage, candidates_list);
  gtk_widget_class_bind_template_child (widget_class, OdDiscoveryPage, certificate_button);
  gtk_widget_class_bind_template_child (widget_class, OdDiscoveryPage, manual_button);
  gtk_widget_class_bind_template_child (widget_class, OdDiscoveryPage, manual_main_button);
  gtk_widget_class_bind_template_child (widget_class, OdDiscoveryPage, more_button);
  gtk_widget_class_bind_template_child (widget_class, OdDiscoveryPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, OdDiscoveryPage, retry_button);
}

static void
od_discovery_page_init (OdDiscoveryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * od_discovery_page_set_discovery:
 *
 * Shows the sources and candidates of @discovery live.
 */
void
od_discovery_page_set_discovery (OdDiscoveryPage *self,
                                 OdDiscovery     *discovery)
{
  g_return_if_fail (OD_IS_DISCOVERY_PAGE (self));
  g_return_if_fail (!discovery || OD_IS_DISCOVERY (discovery));

  if (self->discovery == discovery)
    return;

  disconnect_discovery (self);

  if (discovery == NULL)
    {
      gtk_list_box_bind_model (self->sources_list, NULL, NULL, NULL, NULL);
      gtk_list_box_bind_model (self->candidates_list, NULL, NULL, NULL, NULL);
      return;
    }

  self->discovery = g_object_ref (discovery);
  adw_window_title_set_subtitle (self->window_title, od_discovery_get_domain (discovery));

  /* A new search is read from its top, not where the last one was left. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);

  gtk_list_box_bind_model (self->sources_list, od_discovery_get_sources (discovery),
                           create_source_row_cb, self, NULL);
  gtk_list_box_bind_model (self->candidates_list, od_discovery_get_candidates (discovery),
                           create_candidate_row_cb, self, NULL);
  self->candidates_handler = g_signal_connect_object (od_discovery_get_candidates (discovery),
                                                      "items-changed",
                                                      G_CALLBACK (candidates_changed_cb),
                                                      self, G_CONNECT_SWAPPED);
  candidates_changed_cb (self);
}

/* The ways on in the bar at the bottom: the main one at its end, the others at its start
 * (or in its menu, beside *Review Certificate…*). */
static void
update_ways_on (OdDiscoveryPage *self)
{
  gboolean certificate = gtk_widget_get_visible (GTK_WIDGET (self->certificate_button));
  gboolean failed = self->state == OD_DISCOVERY_PAGE_FAILED;
  gboolean stopped = self->state == OD_DISCOVERY_PAGE_STOPPED;

  gtk_widget_set_visible (self->more_button, failed && certificate);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), (failed && !certificate) || stopped);
  gtk_widget_set_visible (self->manual_main_button, failed && !certificate);
  gtk_widget_set_visible (self->manual_button, !failed);
}

/* The status at the top, the page's title and which ways on are offered. */
static void
set_state (OdDiscoveryPage      *self,
           OdDiscoveryPageState  state,
           const char           *page_title,
           OdStepState           light,
           const char           *light_words,
           const char           *title,
           const char           *description)
{
  self->state = state;

  adw_window_title_set_title (self->window_title, page_title);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), state == OD_DISCOVERY_PAGE_RUNNING);
  gtk_widget_set_visible (GTK_WIDGET (self->certificate_button), FALSE);
  /* After a stop, searching again is the way on; after a failure it rarely helps, and
   * setting up manually is (od_discovery_page_show_failure() adds the certificate). */
  update_ways_on (self);
  if (state == OD_DISCOVERY_PAGE_STOPPED)
    gtk_widget_add_css_class (GTK_WIDGET (self->retry_button), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->retry_button), "suggested-action");
  gtk_spinner_set_spinning (self->spinner, state == OD_DISCOVERY_PAGE_RUNNING);
  gtk_stack_set_visible_child_name (self->status_stack,
                                    state == OD_DISCOVERY_PAGE_RUNNING ? "spinner" : "light");
  if (state != OD_DISCOVERY_PAGE_RUNNING)
    od_ui_set_light_full (self->status_light, light, light_words, _("Search"));

  gtk_label_set_text (self->status_title, title);
  gtk_label_set_text (self->status_description, description ? description : "");

  refresh_rows (self);
}

/**
 * od_discovery_page_show_running:
 *
 * The detection set with od_discovery_page_set_discovery() has started.
 */
void
od_discovery_page_show_running (OdDiscoveryPage *self)
{
  g_autofree char *description = NULL;

  g_return_if_fail (OD_IS_DISCOVERY_PAGE (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Searching"),
                                  -1);
  if (self->discovery != NULL)
    /* Translators: %s is a domain, e.g. example.org */
    description = g_strdup_printf (_("Asking where mail for %s is sent, and trying the "
                                     "servers found. This takes a few seconds."),
                                   od_discovery_get_domain (self->discovery));

  set_state (self, OD_DISCOVERY_PAGE_RUNNING, _("Finding Your Server"), OD_STEP_STATE_RUNNING,
             NULL, _("Looking for your server…"), description);
}

/**
 * od_discovery_page_show_found:
 *
 * The detection found a server: the best, or one that works but needs a confirmation.
 */
void
od_discovery_page_show_found (OdDiscoveryPage *self)
{
  g_autofree char *description = NULL;
  OdCandidate *found;
  gboolean trusted;

  g_return_if_fail (OD_IS_DISCOVERY_PAGE (self));
  g_return_if_fail (self->discovery != NULL);

  found = od_discovery_get_best (self->discovery);
  if (found == NULL)
    found = od_discovery_get_unconfirmed (self->discovery);
  g_return_if_fail (found != NULL);

  trusted = od_candidate_get_trusted (found);
  /* Translators: "smtp.example.org, port 465" */
  description = g_strdup_printf (_("%s, port %u"), od_candidate_get_host (found),
                                 od_candidate_get_port (found));
  set_state (self, OD_DISCOVERY_PAGE_FOUND, _("Server Found"),
             trusted ? OD_STEP_STATE_PASS : OD_STEP_STATE_WARN,
             trusted ? _("Found") : _("Needs your confirmation"),
             trusted ? _("Found a working server")
                     : _("Found a server that needs your confirmation"),
             description);
}

/**
 * od_discovery_page_show_stopped:
 *
 * The user stopped the detection: the page says so, and offers to try again or to enter the
 * settings by hand.
 */
void
od_discovery_page_show_stopped (OdDiscoveryPage *self)
{
  g_return_if_fail (OD_IS_DISCOVERY_PAGE (self));

  set_state (self, OD_DISCOVERY_PAGE_STOPPED, _("Search Stopped"), OD_STEP_STATE_SKIP,
             _("Stopped"), _("You stopped the search"),
             _("Outbox Doctor did not finish looking for your server. Try again, or enter "
               "your server’s settings yourself."));
}

/**
 * od_discovery_page_show_failure:
 * @error: (nullable): why nothing usable was found
 *
 * Says so, with the problems discovery reported, and offers manual setup and a retry; when a
 * server answered with a certificate that was not accepted, also a look at the certificate.
 */
void
od_discovery_page_show_failure (OdDiscoveryPage *self,
                                const GError    *error)
{
  g_autoptr(GString) description = g_string_new (NULL);
  g_autoptr(OdCandidate) certificate = NULL;

  g_return_if_fail (OD_IS_DISCOVERY_PAGE (self));

  if (self->discovery != NULL)
    {
      GListModel *problems = od_discovery_get_problems (self->discovery);

      for (guint i = 0; i < g_list_model_get_n_items (problems); i++)
        {
          g_autoptr(OdProblem) problem = g_list_model_get_item (problems, i);

          if (description->len > 0)
            g_string_append (description, "\n");
          g_string_append_printf (description, "%s %s", od_problem_get_summary (problem),
                                  od_problem_get_remedy (problem));
        }

      certificate = od_discovery_get_certificate_to_review (self->discovery);
    }

  if (description->len == 0 && error != NULL)
    g_string_append (description, error->message);
  if (description->len == 0)
    g_string_append (description, _("Enter the settings yourself: your provider’s help pages "
                                    "list them."));

  if (certificate != NULL)
    set_state (self, OD_DISCOVERY_PAGE_FAILED, _("Certificate Not Trusted"),
               OD_STEP_STATE_FAIL, _("Not trusted"),
               _("A server answered, but its certificate is not trusted"), description->str);
  else
    set_state (self, OD_DISCOVERY_PAGE_FAILED, _("No Server Found"), OD_STEP_STATE_FAIL,
               NULL, _("No working server found"), description->str);

  gtk_widget_set_visible (GTK_WIDGET (self->certificate_button), certificate != NULL);
  update_ways_on (self);
}

/**
 * od_discovery_page_get_state:
 *
 * Returns: what the page shows
 */
OdDiscoveryPageState
od_discovery_page_get_state (OdDiscoveryPage *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY_PAGE (self), OD_DISCOVERY_PAGE_RUNNING);

  return self->state;
}

/**
 * od_discovery_page_get_discovery:
 *
 * Returns: (transfer none) (nullable): the detection shown
 */
OdDiscovery *
od_discovery_page_get_discovery (OdDiscoveryPage *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY_PAGE (self), NULL);

  return self->discovery;
}

/**
 * od_discovery_page_get_sources_list:
 *
 * Returns: (transfer none): the list of sources, for tests
 */
GtkListBox *
od_discovery_page_get_sources_list (OdDiscoveryPage *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY_PAGE (self), NULL);

  return self->sources_list;
}

/**
 * od_discovery_page_get_candidates_list:
 *
 * Returns: (transfer none): the list of servers tried, for tests
 */
GtkListBox *
od_discovery_page_get_candidates_list (OdDiscoveryPage *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY_PAGE (self), NULL);

  return self->candidates_list;
}

/**
 * od_discovery_page_get_default_widget:
 *
 * Returns: (transfer none) (nullable): what Enter activates now: *Review Certificate…* for a
 *   refused certificate, *Try Again* after a stop, *Set Up Manually* when nothing worked;
 *   nothing while the search runs (Escape stops it)
 */
GtkWidget *
od_discovery_page_get_default_widget (OdDiscoveryPage *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY_PAGE (self), NULL);

  switch (self->state)
    {
    case OD_DISCOVERY_PAGE_STOPPED:
      return GTK_WIDGET (self->retry_button);
    case OD_DISCOVERY_PAGE_FAILED:
      return gtk_widget_get_visible (GTK_WIDGET (self->certificate_button))
             ? GTK_WIDGET (self->certificate_button) : self->manual_main_button;
    case OD_DISCOVERY_PAGE_RUNNING:
    case OD_DISCOVERY_PAGE_FOUND:
    default:
      return NULL;
    }
}
