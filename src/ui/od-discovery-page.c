/* od-discovery-page.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-discovery-page"

#include "config.h"

#include <glib/gi18n.h>

#include "od-discovery-page.h"
#include "od-progress-row.h"
#include "od-ui-util.h"

/* Discovery as it happens: each place it looks and each server it tries appears with a
 * spinner and gets its outcome the moment it arrives. The window runs the discovery. */
struct _OdDiscoveryPage
{
  AdwBin          parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkButton      *cancel_button;
  GtkStack       *status_stack;
  GtkSpinner     *spinner;
  GtkImage       *status_light;
  GtkLabel       *status_title;
  GtkLabel       *status_description;
  GtkListBox     *sources_list;
  GtkWidget      *candidates_group;
  GtkListBox     *candidates_list;
  GtkButton      *retry_button;

  /* Owned */
  OdDiscovery    *discovery;
  gulong          candidates_handler;

  guint           running : 1;
};

G_DEFINE_FINAL_TYPE (OdDiscoveryPage, od_discovery_page, ADW_TYPE_BIN)

#define ITEM_KEY "od-item"

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

static void
update_source_row (OdProgressRow     *row,
                   OdDiscoverySource *source,
                   gboolean           running)
{
  OdStepState state;

  switch (od_discovery_source_get_status (source))
    {
    case OD_SOURCE_STATUS_FOUND:
      state = OD_STEP_STATE_PASS;
      break;

    case OD_SOURCE_STATUS_ERROR:
      state = OD_STEP_STATE_WARN;
      break;

    case OD_SOURCE_STATUS_NONE:
      state = OD_STEP_STATE_SKIP;
      break;

    case OD_SOURCE_STATUS_PENDING:
    default:
      state = running ? OD_STEP_STATE_RUNNING : OD_STEP_STATE_SKIP;
      break;
    }

  od_progress_row_update (row, state,
                          od_source_kind_get_title (od_discovery_source_get_kind (source)),
                          od_discovery_source_get_detail (source));
}

static void
update_candidate_row (OdProgressRow *row,
                      OdCandidate   *candidate,
                      gboolean       running)
{
  g_autofree char *subtitle = NULL;
  const char *detail = od_candidate_get_detail (candidate);
  const char *source = od_source_kind_to_string (od_candidate_get_source (candidate));
  OdStepState state;

  switch (od_candidate_get_status (candidate))
    {
    case OD_CANDIDATE_PENDING:
      state = running ? OD_STEP_STATE_PENDING : OD_STEP_STATE_SKIP;
      break;

    case OD_CANDIDATE_PROBING:
      state = running ? OD_STEP_STATE_RUNNING : OD_STEP_STATE_SKIP;
      break;

    case OD_CANDIDATE_OK:
      state = od_candidate_get_trusted (candidate) ? OD_STEP_STATE_PASS : OD_STEP_STATE_WARN;
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
source_notify_cb (OdProgressRow     *row,
                  GParamSpec        *pspec,
                  OdDiscoverySource *source)
{
  OdDiscoveryPage *self = OD_DISCOVERY_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (row),
                                                                      OD_TYPE_DISCOVERY_PAGE));

  update_source_row (row, source, self == NULL || self->running);
}

static void
candidate_notify_cb (OdProgressRow *row,
                     GParamSpec    *pspec,
                     OdCandidate   *candidate)
{
  OdDiscoveryPage *self = OD_DISCOVERY_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (row),
                                                                      OD_TYPE_DISCOVERY_PAGE));

  update_candidate_row (row, candidate, self == NULL || self->running);
}

static GtkWidget *
create_source_row_cb (gpointer item,
                      gpointer user_data)
{
  OdDiscoveryPage *self = user_data;
  GtkWidget *row = od_progress_row_new ();

  g_object_set_data_full (G_OBJECT (row), ITEM_KEY, g_object_ref (item), g_object_unref);
  g_signal_connect_object (item, "notify", G_CALLBACK (source_notify_cb), row,
                           G_CONNECT_SWAPPED);
  update_source_row (OD_PROGRESS_ROW (row), item, self->running);

  return row;
}

static GtkWidget *
create_candidate_row_cb (gpointer item,
                         gpointer user_data)
{
  OdDiscoveryPage *self = user_data;
  GtkWidget *row = od_progress_row_new ();

  g_object_set_data_full (G_OBJECT (row), ITEM_KEY, g_object_ref (item), g_object_unref);
  g_signal_connect_object (item, "notify", G_CALLBACK (candidate_notify_cb), row,
                           G_CONNECT_SWAPPED);
  update_candidate_row (OD_PROGRESS_ROW (row), item, self->running);

  return row;
}

static void
candidates_changed_cb (OdDiscoveryPage *self)
{
  GListModel *candidates = od_discovery_get_candidates (self->discovery);

  gtk_widget_set_visible (self->candidates_group, g_list_model_get_n_items (candidates) > 0);
}

static void
refresh_rows (OdDiscoveryPage *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sources_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (OD_IS_PROGRESS_ROW (child))
      update_source_row (OD_PROGRESS_ROW (child), g_object_get_data (G_OBJECT (child), ITEM_KEY),
                         self->running);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->candidates_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (OD_IS_PROGRESS_ROW (child))
      update_candidate_row (OD_PROGRESS_ROW (child),
                            g_object_get_data (G_OBJECT (child), ITEM_KEY), self->running);
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

void
od_discovery_page_set_running (OdDiscoveryPage *self,
                               gboolean         running)
{
  g_autofree char *description = NULL;

  g_return_if_fail (OD_IS_DISCOVERY_PAGE (self));

  self->running = !!running;
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), FALSE);
  gtk_spinner_set_spinning (self->spinner, running);

  if (running)
    {
      gtk_stack_set_visible_child_name (self->status_stack, "spinner");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Searching"),
                                      -1);
      gtk_label_set_text (self->status_title, _("Looking for your server…"));
      if (self->discovery != NULL)
        /* Translators: %s is a domain, e.g. example.org */
        description = g_strdup_printf (_("Asking where mail for %s is sent, and trying the "
                                         "servers found. This takes a few seconds."),
                                       od_discovery_get_domain (self->discovery));
      gtk_label_set_text (self->status_description, description ? description : "");
    }

  refresh_rows (self);
}

/**
 * od_discovery_page_show_failure:
 * @error: why nothing usable was found
 *
 * Says so, with the problems discovery reported, and offers manual setup and a retry.
 */
void
od_discovery_page_show_failure (OdDiscoveryPage *self,
                                const GError    *error)
{
  g_autoptr(GString) description = g_string_new (NULL);

  g_return_if_fail (OD_IS_DISCOVERY_PAGE (self));

  od_discovery_page_set_running (self, FALSE);

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
    }

  if (description->len == 0 && error != NULL)
    g_string_append (description, error->message);
  if (description->len == 0)
    g_string_append (description, _("Enter the settings yourself: your provider’s help pages "
                                    "list them."));

  gtk_stack_set_visible_child_name (self->status_stack, "light");
  od_ui_set_light (self->status_light, OD_STEP_STATE_FAIL, _("Search"));
  gtk_label_set_text (self->status_title, _("No working server found"));
  gtk_label_set_text (self->status_description, description->str);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), TRUE);
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
