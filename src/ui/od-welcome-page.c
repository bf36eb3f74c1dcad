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
#include "od-welcome-page.h"

/* The first page: an invitation to set up an account, or the saved accounts with their
 * last results and a *Test Sending* button each. */
struct _OdWelcomePage
{
  AdwBin         parent_instance;

  /* Template widgets */
  GtkStack      *stack;
  AdwStatusPage *status_page;
  GtkButton     *add_button;
  GtkWidget     *setup_button;
  GtkListBox    *accounts_list;

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

static void
update_visible_page (OdWelcomePage *self)
{
  gboolean any = self->accounts != NULL && g_list_model_get_n_items (self->accounts) > 0;

  gtk_stack_set_visible_child_name (self->stack, any ? "accounts" : "empty");
  gtk_widget_set_visible (GTK_WIDGET (self->add_button), any);
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

  return self->accounts == NULL || g_list_model_get_n_items (self->accounts) == 0
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
  if (od_welcome_page_get_default_widget (self) == NULL && first != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (first));
  else
    gtk_widget_grab_focus (self->setup_button);
}
