/* od-welcome-page.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-welcome-page"

#include "config.h"

#include <glib/gi18n.h>

#include "od-account-row.h"
#include "od-found-accounts.h"
#include "od-found-row.h"
#include "od-welcome-page.h"

/* The first page: an invitation to set up an account, or the saved accounts with their
 * last results and a *Test Sending* button each; below them, *Found on This Computer*: the
 * accounts of the person's other mail programs, each with its own *Test Sending*. */
struct _OdWelcomePage
{
  AdwBin         parent_instance;

  /* Template widgets */
  GtkStack      *stack;
  AdwStatusPage *status_page;
  GtkButton     *add_button;
  GtkWidget     *setup_button;
  GtkListBox    *accounts_list;
  GtkWidget     *accounts_group;
  GtkWidget     *found_group;
  GtkListBox    *found_list;

  /* Owned */
  GListModel    *accounts;
  gulong         items_changed_handler;
};

G_DEFINE_FINAL_TYPE (OdWelcomePage, od_welcome_page, ADW_TYPE_BIN)

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  return od_account_row_new (OD_ACCOUNT (item));
}

static gboolean
has_accounts (OdWelcomePage *self)
{
  return self->accounts != NULL && g_list_model_get_n_items (self->accounts) > 0;
}

/* The list as soon as there is anything to list, ours or another program's; the
 * invitation only when there is nothing at all. */
static void
update_visible_page (OdWelcomePage *self)
{
  gboolean found = gtk_list_box_get_row_at_index (self->found_list, 0) != NULL;
  gboolean any = has_accounts (self) || found;

  gtk_stack_set_visible_child_name (self->stack, any ? "accounts" : "empty");
  gtk_widget_set_visible (GTK_WIDGET (self->add_button), any);
  gtk_widget_set_visible (self->accounts_group, has_accounts (self));
  gtk_widget_set_visible (self->found_group, found);
}

static void
items_changed_cb (OdWelcomePage *self)
{
  update_visible_page (self);
}

static void
od_welcome_page_dispose (GObject *object)
{
  OdWelcomePage *self = (OdWelcomePage *)object;

  if (self->accounts != NULL)
    g_clear_signal_handler (&self->items_changed_handler, self->accounts);
  g_clear_object (&self->accounts);

  gtk_widget_dispose_template (GTK_WIDGET (self), OD_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (od_welcome_page_parent_class)->dispose (object);
}

static void
od_welcome_page_class_init (OdWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = od_welcome_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/outboxdoctor/OutboxDoctor/od-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OdWelcomePage, stack);
  gtk_widget_class_bind_template_child (widget_class, OdWelcomePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, OdWelcomePage, add_button);
  gtk_widget_class_bind_template_child (widget_class, OdWelcomePage, setup_button);
  gtk_widget_class_bind_template_child (widget_class, OdWelcomePage, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, OdWelcomePage, accounts_group);
  gtk_widget_class_bind_template_child (widget_class, OdWelcomePage, found_group);
  gtk_widget_class_bind_template_child (widget_class, OdWelcomePage, found_list);
}

static void
od_welcome_page_init (OdWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The app's own icon when it is installed; a generic one when run from the build tree. */
  if (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                               APP_ID))
    adw_status_page_set_icon_name (self->status_page, APP_ID);

  update_visible_page (self);
}

/**
 * od_welcome_page_set_accounts:
 * @accounts: (nullable): a list model of #OdAccount
 */
void
od_welcome_page_set_accounts (OdWelcomePage *self,
                              GListModel    *accounts)
{
  g_return_if_fail (OD_IS_WELCOME_PAGE (self));
  g_return_if_fail (!accounts || G_IS_LIST_MODEL (accounts));

  if (self->accounts == accounts)
    return;

  if (self->accounts != NULL)
    g_clear_signal_handler (&self->items_changed_handler, self->accounts);
  g_set_object (&self->accounts, accounts);

  if (accounts != NULL)
    {
      self->items_changed_handler = g_signal_connect_object (accounts, "items-changed",
                                                             G_CALLBACK (items_changed_cb),
                                                             self, G_CONNECT_SWAPPED);
      gtk_list_box_bind_model (self->accounts_list, accounts, create_row_cb, self, NULL);
    }
  else
    gtk_list_box_bind_model (self->accounts_list, NULL, NULL, NULL, NULL);

  update_visible_page (self);
}

/* The focus back on the button of the account @id after the list was made anew, else on
 * the page's main action. */
static void
refocus_found (OdWelcomePage *self,
               const char    *id)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->found_list));
       row != NULL && id != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      OdFoundAccount *found = od_found_row_get_found (OD_FOUND_ROW (row));

      if (found != NULL && g_str_equal (od_found_account_get_id (found), id) &&
          gtk_widget_child_focus (row, GTK_DIR_TAB_FORWARD))
        return;
    }

  od_welcome_page_focus_default (self);
}

/**
 * od_welcome_page_set_found:
 * @results: (nullable) (element-type OdFoundResult): what the search of the other mail
 *   programs' accounts found (od_found_accounts_find_finish()), or %NULL
 *
 * Lists the accounts found, client by client in @results' order, and a row for each client
 * whose configuration could not be read; a client that is simply not there (not installed,
 * its service not running) is not mentioned.
 */
void
od_welcome_page_set_found (OdWelcomePage *self,
                           GPtrArray     *results)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  g_autofree char *focused_id = NULL;
  gboolean refocus;
  GtkWidget *child;

  g_return_if_fail (OD_IS_WELCOME_PAGE (self));

  /* The rows are made anew: the focus on one of them (or on *Set Up an Account*, which
   * the list may replace) moves to the same account's button, else the first one. */
  refocus = focus != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)) &&
            (gtk_widget_is_ancestor (focus, GTK_WIDGET (self->found_list)) ||
             focus == self->setup_button);
  if (refocus && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->found_list)))
    {
      GtkWidget *row = gtk_widget_get_ancestor (focus, OD_TYPE_FOUND_ROW);

      if (row != NULL && od_found_row_get_found (OD_FOUND_ROW (row)) != NULL)
        focused_id = g_strdup (od_found_account_get_id (od_found_row_get_found (OD_FOUND_ROW (row))));
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->found_list))) != NULL)
    gtk_list_box_remove (self->found_list, child);

  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      OdFoundResult *result = g_ptr_array_index (results, i);

      for (guint j = 0; result->accounts != NULL && j < result->accounts->len; j++)
        gtk_list_box_append (self->found_list,
                             od_found_row_new (g_ptr_array_index (result->accounts, j)));

      if (result->error != NULL &&
          !g_error_matches (result->error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) &&
          !g_error_matches (result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_list_box_append (self->found_list,
                             od_found_row_new_unread (result->origin, result->error->message));
    }

  update_visible_page (self);

  if (refocus)
    refocus_found (self, focused_id);
}

/**
 * od_welcome_page_get_found_list:
 *
 * Returns: (transfer none): the list of #OdFoundRow, for tests
 */
GtkListBox *
od_welcome_page_get_found_list (OdWelcomePage *self)
{
  g_return_val_if_fail (OD_IS_WELCOME_PAGE (self), NULL);

  return self->found_list;
}

/* Shows each account's last result again, with a fresh "5 minutes ago". */
void
od_welcome_page_refresh (OdWelcomePage *self)
{
  g_return_if_fail (OD_IS_WELCOME_PAGE (self));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->accounts_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (OD_IS_ACCOUNT_ROW (child))
      od_account_row_update (OD_ACCOUNT_ROW (child));

  update_visible_page (self);
}

/**
 * od_welcome_page_get_list:
 *
 * Returns: (transfer none): the list of #OdAccountRow, for tests
 */
GtkListBox *
od_welcome_page_get_list (OdWelcomePage *self)
{
  g_return_val_if_fail (OD_IS_WELCOME_PAGE (self), NULL);

  return self->accounts_list;
}

/**
 * od_welcome_page_get_default_widget:
 *
 * Returns: (transfer none) (nullable): what Enter activates: *Set Up an Account* while there
 *   is no account; with accounts, each row has its own button
 */
GtkWidget *
od_welcome_page_get_default_widget (OdWelcomePage *self)
{
  g_return_val_if_fail (OD_IS_WELCOME_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack) != NULL &&
         g_str_equal (gtk_stack_get_visible_child_name (self->stack), "empty")
         ? self->setup_button : NULL;
}

/**
 * od_welcome_page_focus_default:
 *
 * Puts the focus on the page's main action: *Set Up an Account*, or the first account.
 */
void
od_welcome_page_focus_default (OdWelcomePage *self)
{
  GtkListBoxRow *first;

  g_return_if_fail (OD_IS_WELCOME_PAGE (self));

  first = gtk_list_box_get_row_at_index (self->accounts_list, 0);
  if (od_welcome_page_get_default_widget (self) != NULL)
    gtk_widget_grab_focus (self->setup_button);
  else if (has_accounts (self) && first != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (first));
  else if ((first = gtk_list_box_get_row_at_index (self->found_list, 0)) != NULL)
    gtk_widget_child_focus (GTK_WIDGET (first), GTK_DIR_TAB_FORWARD);
}
