/* od-details-page.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-details-page"

#include "config.h"

#include <glib/gi18n.h>

#include "od-address.h"
#include "od-check.h"
#include "od-details-page.h"
#include "od-oauth-providers.h"
#include "od-provider-db.h"
#include "od-ui-util.h"

/* Name, address and password. The address is checked as it is typed, with the same rules
 * the check uses; the password is only ever handed to the window, never logged or kept. */
struct _OdDetailsPage
{
  AdwBin       parent_instance;

  /* Template widgets */
  GtkWidget           *continue_button;
  AdwEntryRow *name_row;
  AdwEntryRow *address_row;
  AdwEntryRow *password_row;
  GtkWidget   *address_error_box;
  GtkLabel    *address_error_label;
  GtkWidget   *spaces_warning_box;
  GtkWidget   *caps_lock_box;
  GtkLabel    *intro_label;
  AdwPreferencesGroup *sign_in_group;
  AdwExpanderRow *own_client_row;
  AdwEntryRow *client_id_row;
  AdwEntryRow *client_secret_row;
  GtkWidget   *sign_in_error_box;
  GtkLabel    *sign_in_error_label;
  GtkWidget   *sign_in_button;
  GtkWidget   *cancel_sign_in_button;

  /* The address's provider signs in with OAuth (issue 18): "google", "microsoft", or NULL */
  const char  *oauth_provider;
  OdProvider  *provider;
  gboolean     signing_in;

  /* Borrowed */
  GdkDevice   *keyboard;
  gulong       caps_lock_handler;

  guint        valid : 1;
};

G_DEFINE_FINAL_TYPE (OdDetailsPage, od_details_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_valid (OdDetailsPage *self,
           gboolean       valid)
{
  valid = !!valid;
  if (self->valid == valid)
    return;

  self->valid = valid;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

/* The sign-in part of the page: shown for an address whose provider signs people in with
 * OAuth; the password gives way to it where the provider takes no password at all. */
static void
update_sign_in (OdDetailsPage *self)
{
  g_autoptr(OdOAuthProvider) oauth = NULL;
  g_autofree char *label = NULL;
  g_autofree char *description = NULL;
  gboolean oauth_only;

  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_group), self->oauth_provider != NULL);
  gtk_widget_set_visible (self->sign_in_button, self->oauth_provider != NULL);
  gtk_widget_set_visible (self->cancel_sign_in_button, self->signing_in);
  if (self->oauth_provider == NULL)
    {
      gtk_label_set_text (self->intro_label,
                          _("Enter the address you send mail from and its password. "
                            "Outbox Doctor finds your server and checks that it accepts your "
                            "mail."));
      gtk_widget_set_visible (GTK_WIDGET (self->password_row), TRUE);
      gtk_widget_set_visible (self->continue_button, TRUE);
      gtk_widget_set_visible (self->sign_in_error_box, FALSE);
      gtk_widget_add_css_class (self->continue_button, "suggested-action");
      gtk_widget_set_sensitive (GTK_WIDGET (self->address_row), TRUE);
      return;
    }

  oauth = od_oauth_provider_lookup (self->oauth_provider,
                                    od_details_page_get_client_id (self),
                                    od_details_page_get_client_secret (self));
  oauth_only = od_provider_get_oauth_only (self->provider);
  gtk_label_set_text (self->intro_label,
                      oauth_only ? _("Enter the address you send mail from, then sign in with "
                                     "your provider. Outbox Doctor finds your server and "
                                     "checks that it accepts your mail.")
                                 : _("Enter the address you send mail from and its password. "
                                     "Outbox Doctor finds your server and checks that it "
                                     "accepts your mail."));
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), !oauth_only);
  gtk_widget_set_visible (self->continue_button, !oauth_only);

  if (self->signing_in)
    label = g_strdup (_("Waiting for Your Sign-In…"));
  else
    /* Translators: %s is a provider: "Google", "Microsoft" */
    label = g_strdup_printf (_("_Sign In With %s"), oauth->display_name);
  gtk_button_set_label (GTK_BUTTON (self->sign_in_button), label);
  gtk_widget_set_sensitive (self->sign_in_button, oauth->client_id != NULL && !self->signing_in);
  /* One main action: the sign-in when it can happen, else Continue (an app password). */
  if (oauth->client_id != NULL)
    {
      gtk_widget_add_css_class (self->sign_in_button, "suggested-action");
      gtk_widget_remove_css_class (self->continue_button, "suggested-action");
    }
  else
    {
      gtk_widget_remove_css_class (self->sign_in_button, "suggested-action");
      gtk_widget_add_css_class (self->continue_button, "suggested-action");
    }
  /* While the browser is open, the address stays the one signing in. (Continue follows the
   * window's action, which knows whether the address is valid.) */
  gtk_widget_set_sensitive (GTK_WIDGET (self->address_row), !self->signing_in);

  if (oauth->client_id == NULL && !oauth_only)
    /* Translators: %s is a provider: "Google", "Microsoft" */
    description = g_strdup_printf (_("This copy of Outbox Doctor cannot sign in with %s. Use "
                                     "an app password above if your account allows one, add "
                                     "the account in Settings → Online Accounts, or give "
                                     "your own client ID."), oauth->display_name);
  else if (oauth->client_id == NULL)
    /* Translators: %s is a provider: "Google", "Microsoft" */
    description = g_strdup_printf (_("This copy of Outbox Doctor cannot sign in with %s. Add "
                                     "the account in Settings → Online Accounts, or give "
                                     "your own client ID."), oauth->display_name);
  else if (oauth_only)
    /* Translators: %s is a provider: "Google", "Microsoft" */
    description = g_strdup_printf (_("%s accepts no password from mail programs. Sign in on "
                                     "its own page in your browser: Outbox Doctor never sees "
                                     "your password."), oauth->display_name);
  else
    /* Translators: %s is a provider: "Google", "Microsoft" */
    description = g_strdup_printf (_("Sign in on %s’s own page in your browser, so Outbox "
                                     "Doctor never sees your password; or type an app "
                                     "password above instead."), oauth->display_name);
  adw_preferences_group_set_description (self->sign_in_group, description);
  if (oauth->client_id == NULL && !self->signing_in)
    adw_expander_row_set_expanded (self->own_client_row, TRUE);
}

static void
address_changed_cb (OdDetailsPage *self)
{
  const char *address = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  g_autoptr(GError) error = NULL;
  gboolean valid;

  valid = od_address_validate (address, &error);

  /* An empty field is not an error yet: nobody has typed anything. */
  if (!valid && address[0] != '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->address_row), "error");
      gtk_label_set_text (self->address_error_label, error->message);
      gtk_widget_set_visible (self->address_error_box, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->address_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error->message,
                                      -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->address_row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->address_row), "error");
      gtk_widget_set_visible (self->address_error_box, FALSE);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->address_row),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->address_row),
                                  GTK_ACCESSIBLE_STATE_INVALID);
    }

  set_valid (self, valid);

  g_clear_pointer (&self->provider, od_provider_unref);
  if (valid)
    self->provider = od_provider_db_lookup_address (od_provider_db_get_default (), address);
  self->oauth_provider = od_oauth_provider_id_for (self->provider);
  gtk_widget_set_visible (self->sign_in_error_box, FALSE);
  update_sign_in (self);
}

static void
password_changed_cb (OdDetailsPage *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  gboolean spaces = od_ui_has_outer_spaces (password);

  gtk_widget_set_visible (self->spaces_warning_box, spaces);
  if (spaces)
    gtk_widget_add_css_class (GTK_WIDGET (self->password_row), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->password_row), "warning");
}

/* Enter moves on: from the name to the address, from the address to the password, and from
 * the password to the next page. */
static void
name_activated_cb (OdDetailsPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
}

static void
address_activated_cb (OdDetailsPage *self)
{
  if (self->valid)
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  else
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
password_activated_cb (OdDetailsPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.next", NULL);
}

static void
caps_lock_notify_cb (OdDetailsPage *self,
                     GParamSpec    *pspec,
                     GdkDevice     *keyboard)
{
  od_details_page_set_caps_lock (self, gdk_device_get_caps_lock_state (keyboard));
}

static void
od_details_page_map (GtkWidget *widget)
{
  OdDetailsPage *self = (OdDetailsPage *)widget;
  GdkSeat *seat;

  GTK_WIDGET_CLASS (od_details_page_parent_class)->map (widget);

  seat = gdk_display_get_default_seat (gtk_widget_get_display (widget));
  if (seat != NULL && (self->keyboard = gdk_seat_get_keyboard (seat)) != NULL)
    {
      self->caps_lock_handler = g_signal_connect_object (self->keyboard,
                                                         "notify::caps-lock-state",
                                                         G_CALLBACK (caps_lock_notify_cb),
                                                         self, G_CONNECT_SWAPPED);
      caps_lock_notify_cb (self, NULL, self->keyboard);
    }
}

static void
od_details_page_unmap (GtkWidget *widget)
{
  OdDetailsPage *self = (OdDetailsPage *)widget;

  if (self->keyboard != NULL)
    g_clear_signal_handler (&self->caps_lock_handler, self->keyboard);
  self->keyboard = NULL;

  GTK_WIDGET_CLASS (od_details_page_parent_class)->unmap (widget);
}

static void
od_details_page_dispose (GObject *object)
{
  OdDetailsPage *self = (OdDetailsPage *)object;

  if (self->keyboard != NULL)
    g_clear_signal_handler (&self->caps_lock_handler, self->keyboard);
  self->keyboard = NULL;
  g_clear_pointer (&self->provider, od_provider_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), OD_TYPE_DETAILS_PAGE);

  G_OBJECT_CLASS (od_details_page_parent_class)->dispose (object);
}

static void
od_details_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  OdDetailsPage *self = OD_DETAILS_PAGE (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
od_details_page_class_init (OdDetailsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = od_details_page_dispose;
  object_class->get_property = od_details_page_get_property;

  widget_class->map = od_details_page_map;
  widget_class->unmap = od_details_page_unmap;

  /* Whether the address can be used: the window's "next" action follows it. */
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/outboxdoctor/OutboxDoctor/od-details-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OdDetailsPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, OdDetailsPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, OdDetailsPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, OdDetailsPage, address_error_box);
  gtk_widget_class_bind_template_child (widget_class, OdDetailsPage, address_error_label);
  gtk_widget_class_bind_template_child (widget_class, OdDetailsPage, spaces_warning_box);
  gtk_widget_class_bind_template_child (widget_class, OdDetailsPage, caps_lock_box);
  gtk_widget_class_bind_template_child (widget_class, OdDetailsPage, continue_button);
  gtk_widget_class_bind_template_child (widget_class, OdDetailsPage, sign_in_group);
  gtk_widget_class_bind_template_child (widget_class, OdDetailsPage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, OdDetailsPage, own_client_row);
  gtk_widget_class_bind_template_child (widget_class, OdDetailsPage, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, OdDetailsPage, client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, OdDetailsPage, sign_in_error_box);
  gtk_widget_class_bind_template_child (widget_class, OdDetailsPage, sign_in_error_label);
  gtk_widget_class_bind_template_child (widget_class, OdDetailsPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, OdDetailsPage, cancel_sign_in_button);
}

static void
od_details_page_init (OdDetailsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->address_row, "changed",
                           G_CALLBACK (address_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->password_row, "changed",
                           G_CALLBACK (password_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->name_row, "entry-activated",
                           G_CALLBACK (name_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->address_row, "entry-activated",
                           G_CALLBACK (address_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->password_row, "entry-activated",
                           G_CALLBACK (password_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client_id_row, "changed",
                           G_CALLBACK (update_sign_in), self, G_CONNECT_SWAPPED);
}

const char *
od_details_page_get_name (OdDetailsPage *self)
{
  g_return_val_if_fail (OD_IS_DETAILS_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->name_row));
}

const char *
od_details_page_get_address (OdDetailsPage *self)
{
  g_return_val_if_fail (OD_IS_DETAILS_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->address_row));
}

/**
 * od_details_page_get_password:
 *
 * Returns: (transfer none): the password as typed; copy it only into a check or the keyring
 */
const char *
od_details_page_get_password (OdDetailsPage *self)
{
  g_return_val_if_fail (OD_IS_DETAILS_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}

gboolean
od_details_page_get_valid (OdDetailsPage *self)
{
  g_return_val_if_fail (OD_IS_DETAILS_PAGE (self), FALSE);

  return self->valid;
}

/* Empties every field, for a new account. */
void
od_details_page_reset (OdDetailsPage *self)
{
  g_return_if_fail (OD_IS_DETAILS_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->client_secret_row), "");
  adw_expander_row_set_expanded (self->own_client_row, FALSE);
  od_details_page_set_signing_in (self, FALSE);
}

void
od_details_page_focus_first (OdDetailsPage *self)
{
  g_return_if_fail (OD_IS_DETAILS_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

/* For "Re-enter password": the old one is selected, so typing replaces it. */
void
od_details_page_focus_password (OdDetailsPage *self)
{
  g_return_if_fail (OD_IS_DETAILS_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  gtk_editable_select_region (GTK_EDITABLE (self->password_row), 0, -1);
}

/* For "Re-enter password" during setup: the new password replaces the one typed here. */
void
od_details_page_set_password (OdDetailsPage *self,
                              const char    *password)
{
  g_return_if_fail (OD_IS_DETAILS_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password ? password : "");
}

void
od_details_page_set_caps_lock (OdDetailsPage *self,
                               gboolean       caps_lock)
{
  g_return_if_fail (OD_IS_DETAILS_PAGE (self));

  gtk_widget_set_visible (self->caps_lock_box, caps_lock);
}

/**
 * od_details_page_get_default_widget:
 *
 * Returns: (transfer none): what Enter activates: *Continue*
 */
GtkWidget *
od_details_page_get_default_widget (OdDetailsPage *self)
{
  g_return_val_if_fail (OD_IS_DETAILS_PAGE (self), NULL);
  return self->continue_button;
}

/**
 * od_details_page_get_oauth_provider:
 *
 * Returns: (nullable): "google" or "microsoft" when the address's provider signs people in
 *   with OAuth, else %NULL
 */
const char *
od_details_page_get_oauth_provider (OdDetailsPage *self)
{
  g_return_val_if_fail (OD_IS_DETAILS_PAGE (self), NULL);
  return self->oauth_provider;
}

/** od_details_page_get_client_id: Returns: (nullable): the person's own client id */
const char *
od_details_page_get_client_id (OdDetailsPage *self)
{
  const char *text;

  g_return_val_if_fail (OD_IS_DETAILS_PAGE (self), NULL);
  text = gtk_editable_get_text (GTK_EDITABLE (self->client_id_row));
  return *text != '\0' ? text : NULL;
}

/** od_details_page_get_client_secret: Returns: (nullable): the secret issued with it */
const char *
od_details_page_get_client_secret (OdDetailsPage *self)
{
  const char *text;

  g_return_val_if_fail (OD_IS_DETAILS_PAGE (self), NULL);
  text = gtk_editable_get_text (GTK_EDITABLE (self->client_secret_row));
  return *text != '\0' && od_details_page_get_client_id (self) != NULL ? text : NULL;
}

/* While the browser is open for the sign-in: the button waits, Cancel Sign-In shows. */
void
od_details_page_set_signing_in (OdDetailsPage *self,
                                gboolean       signing_in)
{
  g_return_if_fail (OD_IS_DETAILS_PAGE (self));

  self->signing_in = !!signing_in;
  if (signing_in)
    gtk_widget_set_visible (self->sign_in_error_box, FALSE);
  update_sign_in (self);
}

/* What went wrong with the sign-in, in the provider's and our words; %NULL hides it. */
void
od_details_page_show_sign_in_error (OdDetailsPage *self,
                                    const char    *message)
{
  g_return_if_fail (OD_IS_DETAILS_PAGE (self));

  gtk_widget_set_visible (self->sign_in_error_box, message != NULL);
  gtk_label_set_text (self->sign_in_error_label, message ? message : "");
}
