/* od-review-page.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-review-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-account.h"
#include "od-review-page.h"
#include "od-ui-util.h"

/* The outgoing server's settings, each with where it came from, all editable. Also the
 * page for manual setup. A tag says only what is true: a setting found has its source, the
 * user name the source that named it or the address the user typed, what the user changed
 * says "You", and a default (port 587 with STARTTLS in an empty manual setup) has none. */
struct _OdReviewPage
{
  AdwBin          parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkLabel       *intro_label;
  GtkBox         *warnings_box;
  AdwEntryRow    *host_row;
  GtkLabel       *host_source;
  AdwActionRow   *port_row;
  GtkLabel       *port_source;
  GtkSpinButton  *port_spin;
  AdwComboRow    *security_row;
  GtkStringList  *security_model;
  GtkLabel       *security_source;
  AdwEntryRow    *username_row;
  GtkLabel       *username_source;
  AdwPreferencesGroup *incoming_group;
  AdwActionRow        *incoming_row;
  GtkLabel            *incoming_source;
  AdwPreferencesGroup *confirm_group;
  GtkButton           *check_button;
  GtkCheckButton      *confirm_check;

  /* Owned */
  char           *source;        /* of the server settings; NULL: defaults */
  GStrv           warnings;      /* about where the settings came from */
  char           *unconfirmed;   /* why the server found needs a confirmation */

  guint           updating : 1;
  guint           valid : 1;
  guint           server_edited : 1;
  guint           host_edited : 1;  /* then the server is the user's own */
};

G_DEFINE_FINAL_TYPE (OdReviewPage, od_review_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The order of the rows in the encryption list. */
static const OdSecurity security_order[] = {
  OD_SECURITY_TLS,
  OD_SECURITY_STARTTLS,
  OD_SECURITY_NONE,
};

static const char *
short_source_label (const char *source)
{
  if (g_strcmp0 (source, "provider-db") == 0)
    return C_("settings source", "Provider database");
  if (g_strcmp0 (source, "autoconfig") == 0 || g_strcmp0 (source, "well-known") == 0)
    return C_("settings source", "Your domain");
  if (g_strcmp0 (source, "srv") == 0 || g_strcmp0 (source, "mx") == 0)
    return C_("settings source", "DNS");
  if (g_strcmp0 (source, "guess") == 0)
    return C_("settings source", "Guessed");
  if (g_strcmp0 (source, OD_REVIEW_SOURCE_ADDRESS) == 0)
    return C_("settings source", "Your address");
  if (g_strcmp0 (source, OD_REVIEW_SOURCE_HOSTING) == 0)
    return C_("settings source", "Hosting company");
  if (g_strcmp0 (source, OD_ACCOUNT_SOURCE_MANUAL) == 0)
    return C_("settings source", "You");

  return NULL;
}

/* @source: (nullable): %NULL for a value nobody chose (a default): no tag at all */
static void
set_tag (GtkLabel   *tag,
         const char *source)
{
  g_autofree char *description = NULL;

  g_object_set_data_full (G_OBJECT (tag), "od-source", g_strdup (source), g_free);
  gtk_widget_set_visible (GTK_WIDGET (tag), short_source_label (source) != NULL);
  if (short_source_label (source) == NULL)
    return;

  gtk_label_set_text (tag, short_source_label (source));
  gtk_widget_set_tooltip_text (GTK_WIDGET (tag), od_ui_source_label (source));

  /* Translators: an accessible description of where a setting came from */
  description = g_strdup_printf (_("Source: %s"), od_ui_source_label (source));
  gtk_accessible_update_property (GTK_ACCESSIBLE (tag),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
}

static void
add_warning (OdReviewPage *self,
             const char   *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warning"),
                                  -1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "warning");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (self->warnings_box, box);
}

/* Anything untrusted is said above the settings: where they came from, port 25, and a
 * server without encryption. */
static void
update_warnings (OdReviewPage *self)
{
  GtkWidget *child;
  guint port = gtk_spin_button_get_value_as_int (self->port_spin);
  gboolean any;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->warnings_box))) != NULL)
    gtk_box_remove (self->warnings_box, child);

  for (guint i = 0; self->warnings != NULL && self->warnings[i] != NULL; i++)
    add_warning (self, self->warnings[i]);

  if (port == 25)
    add_warning (self, _("Port 25 is meant for servers passing mail to each other; many "
                         "internet providers block it. Use port 587 or 465 if your provider "
                         "offers them."));

  if (od_review_page_get_security (self) == OD_SECURITY_NONE)
    add_warning (self, _("Without encryption anyone on the way could read your mail, and "
                         "Outbox Doctor will not send your password over such a connection."));

  any = gtk_widget_get_first_child (GTK_WIDGET (self->warnings_box)) != NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->warnings_box), any);
}

/* A server found through forgeable records asks for a confirmation, until the user types
 * another server: then the settings are theirs. Another port is still that server. */
static gboolean
needs_confirmation (OdReviewPage *self)
{
  return self->unconfirmed != NULL && !self->host_edited;
}

static void
update_valid (OdReviewPage *self)
{
  g_autofree char *host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row))));
  gboolean valid = host[0] != '\0' && strchr (host, ' ') == NULL &&
                   (!needs_confirmation (self) ||
                    gtk_check_button_get_active (self->confirm_check));

  gtk_widget_set_visible (GTK_WIDGET (self->confirm_group), needs_confirmation (self));

  if (self->valid == valid)
    return;

  self->valid = valid;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

/* Whatever the user changes is theirs: its tag says so. */
static void
host_changed_cb (OdReviewPage *self)
{
  if (!self->updating)
    {
      self->server_edited = TRUE;
      self->host_edited = TRUE;
      set_tag (self->host_source, OD_ACCOUNT_SOURCE_MANUAL);
    }
  update_valid (self);
}

static void
username_changed_cb (OdReviewPage *self)
{
  if (!self->updating)
    set_tag (self->username_source, OD_ACCOUNT_SOURCE_MANUAL);
}

static void
port_changed_cb (OdReviewPage *self)
{
  update_warnings (self);

  if (!self->updating)
    {
      self->server_edited = TRUE;
      set_tag (self->port_source, OD_ACCOUNT_SOURCE_MANUAL);
    }
}

static void
security_changed_cb (OdReviewPage *self)
{
  OdSecurity security;
  guint port;

  update_warnings (self);

  if (self->updating)
    return;

  self->server_edited = TRUE;
  set_tag (self->security_source, OD_ACCOUNT_SOURCE_MANUAL);

  /* Follow the usual pairing while the port is still one of the usual ports. */
  security = od_review_page_get_security (self);
  port = gtk_spin_button_get_value_as_int (self->port_spin);
  if (security == OD_SECURITY_TLS && port == 587)
    gtk_spin_button_set_value (self->port_spin, 465);
  else if (security == OD_SECURITY_STARTTLS && port == 465)
    gtk_spin_button_set_value (self->port_spin, 587);
}

static void
host_activated_cb (OdReviewPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->port_spin));
}

/* Enter in the port: on to the user name, as the shortcuts window promises. */
static void
port_activated_cb (OdReviewPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
}

static void
username_activated_cb (OdReviewPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.start-check", NULL);
}

static void
od_review_page_dispose (GObject *object)
{
  OdReviewPage *self = (OdReviewPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), OD_TYPE_REVIEW_PAGE);

  G_OBJECT_CLASS (od_review_page_parent_class)->dispose (object);
}

static void
od_review_page_finalize (GObject *object)
{
  OdReviewPage *self = (OdReviewPage *)object;

  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->warnings, g_strfreev);
  g_clear_pointer (&self->unconfirmed, g_free);

  G_OBJECT_CLASS (od_review_page_parent_class)->finalize (object);
}

static void
od_review_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  OdReviewPage *self = OD_REVIEW_PAGE (object);

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
od_review_page_class_init (OdReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = od_review_page_dispose;
  object_class->finalize = od_review_page_finalize;
  object_class->get_property = od_review_page_get_property;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/outboxdoctor/OutboxDoctor/od-review-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, warnings_box);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, host_source);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, port_row);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, port_source);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, port_spin);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, security_row);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, security_model);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, security_source);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, incoming_group);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, incoming_row);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, incoming_source);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, username_source);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, confirm_group);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, check_button);
  gtk_widget_class_bind_template_child (widget_class, OdReviewPage, confirm_check);
}

static void
od_review_page_init (OdReviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The menu's words are the ones every remedy uses (od_security_get_label()). */
  for (guint i = 0; i < G_N_ELEMENTS (security_order); i++)
    gtk_string_list_append (self->security_model, od_security_get_label (security_order[i]));

  g_signal_connect_object (self->host_row, "changed",
                           G_CALLBACK (host_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->username_row, "changed",
                           G_CALLBACK (username_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->port_spin, "value-changed",
                           G_CALLBACK (port_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->security_row, "notify::selected",
                           G_CALLBACK (security_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->confirm_check, "notify::active",
                           G_CALLBACK (update_valid), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->host_row, "entry-activated",
                           G_CALLBACK (host_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->username_row, "entry-activated",
                           G_CALLBACK (username_activated_cb), self, G_CONNECT_SWAPPED);
  od_ui_on_spin_enter (self->port_spin, G_CALLBACK (port_activated_cb), self);

  od_review_page_set_manual (self, TRUE);
}

/**
 * od_review_page_set_incoming:
 * @protocol: (nullable): "imap" or "pop3"; %NULL when no incoming server was found (the
 *   group is hidden)
 * @source: where the setting came from: a discovery source kind
 *
 * Shows the incoming server discovery found and checked, with where it came from. It is
 * saved with the account as it is (not editable here).
 */
void
od_review_page_set_incoming (OdReviewPage *self,
                             const char   *protocol,
                             const char   *host,
                             guint16       port,
                             OdSecurity    security,
                             const char   *source)
{
  g_autofree char *upper = NULL;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (OD_IS_REVIEW_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->incoming_group), protocol != NULL && host != NULL);
  if (protocol == NULL || host == NULL)
    return;

  upper = g_ascii_strup (protocol, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->incoming_row), host);
  /* Translators: "IMAP, port 993, TLS": the protocol, the port and the encryption */
  subtitle = g_strdup_printf (_("%s, port %u, %s"), upper, port, od_security_get_label (security));
  adw_action_row_set_subtitle (self->incoming_row, subtitle);
  set_tag (self->incoming_source, source);
}

/**
 * od_review_page_set_settings:
 * @host: (nullable): the server; %NULL or empty for none yet
 * @source: (nullable): where the server settings came from: a discovery source kind or
 *   "manual"; %NULL for the defaults of an empty manual setup, which get no tag
 * @username: (nullable): the user name
 * @username_source: (nullable): where the user name came from: the source that named it,
 *   %OD_REVIEW_SOURCE_ADDRESS for the address the user typed, or "manual"
 *
 * Fills the rows and their source tags. An empty host gets no tag, whatever @source says.
 */
void
od_review_page_set_settings (OdReviewPage *self,
                             const char   *host,
                             guint16       port,
                             OdSecurity    security,
                             const char   *source,
                             const char   *username,
                             const char   *username_source)
{
  gboolean has_host = host != NULL && host[0] != '\0';

  g_return_if_fail (OD_IS_REVIEW_PAGE (self));

  self->updating = TRUE;

  gtk_editable_set_text (GTK_EDITABLE (self->host_row), host ? host : "");
  gtk_spin_button_set_value (self->port_spin, port ? port : 587);
  for (guint i = 0; i < G_N_ELEMENTS (security_order); i++)
    if (security_order[i] == security)
      adw_combo_row_set_selected (self->security_row, i);
  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username ? username : "");

  g_free (self->source);
  self->source = g_strdup (source);
  self->server_edited = FALSE;
  self->host_edited = FALSE;
  g_clear_pointer (&self->unconfirmed, g_free);
  gtk_check_button_set_active (self->confirm_check, FALSE);

  set_tag (self->host_source, has_host ? self->source : NULL);
  set_tag (self->port_source, self->source);
  set_tag (self->security_source, self->source);
  set_tag (self->username_source, username_source);

  self->updating = FALSE;
  update_valid (self);
  update_warnings (self);
}

/**
 * od_review_page_set_server:
 * @source: (nullable): where the server settings came from, as for
 *   od_review_page_set_settings()
 *
 * Changes the server settings only: the user name stays as it is, with its tag.
 */
void
od_review_page_set_server (OdReviewPage *self,
                           const char   *host,
                           guint16       port,
                           OdSecurity    security,
                           const char   *source)
{
  g_autofree char *username = NULL;
  g_autofree char *username_tag = NULL;

  g_return_if_fail (OD_IS_REVIEW_PAGE (self));

  username = g_strdup (od_review_page_get_username (self));
  username_tag = g_strdup (g_object_get_data (G_OBJECT (self->username_source), "od-source"));
  od_review_page_set_settings (self, host, port, security, source, username, username_tag);
}

/* Manual setup and a review of found settings differ only in their words. */
void
od_review_page_set_manual (OdReviewPage *self,
                           gboolean      manual)
{
  g_return_if_fail (OD_IS_REVIEW_PAGE (self));

  if (manual)
    {
      adw_window_title_set_title (self->window_title, _("Manual Setup"));
      gtk_label_set_text (self->intro_label,
                          _("Enter your outgoing mail server’s settings. Your provider’s help "
                            "pages list them, usually under “SMTP”."));
    }
  else
    {
      adw_window_title_set_title (self->window_title, _("Server Settings"));
      gtk_label_set_text (self->intro_label,
                          _("These are the settings found for your address, each with where "
                            "it came from. Change anything that is wrong, then check them."));
    }
}

/**
 * od_review_page_set_warnings:
 * @warnings: (nullable): sentences about where the settings came from, e.g. an HTTP source
 *
 * Shown above the settings, together with the page's own warnings about port 25 and about
 * a server without encryption, which follow the settings as they are edited.
 */
void
od_review_page_set_warnings (OdReviewPage       *self,
                             const char * const *warnings)
{
  g_return_if_fail (OD_IS_REVIEW_PAGE (self));

  g_strfreev (self->warnings);
  self->warnings = g_strdupv ((char **)warnings);
  update_warnings (self);
}

/**
 * od_review_page_set_unconfirmed:
 * @why: (nullable): where the server came from, when it needs the user's confirmation
 *   before the password goes to it (od_setup_get_unconfirmed()); %NULL when it does not
 *
 * Shows the confirmation below the settings; checking them needs it until the user types
 * another server. Call after od_review_page_set_settings().
 */
void
od_review_page_set_unconfirmed (OdReviewPage *self,
                                const char   *why)
{
  g_return_if_fail (OD_IS_REVIEW_PAGE (self));

  g_free (self->unconfirmed);
  self->unconfirmed = g_strdup (why);
  gtk_check_button_set_active (self->confirm_check, FALSE);
  adw_preferences_group_set_description (self->confirm_group, why);
  update_valid (self);
}

/**
 * od_review_page_get_unconfirmed:
 *
 * Returns: (nullable): why the server shown needs a confirmation, as given to
 *   od_review_page_set_unconfirmed(); %NULL once the user typed another server
 */
const char *
od_review_page_get_unconfirmed (OdReviewPage *self)
{
  g_return_val_if_fail (OD_IS_REVIEW_PAGE (self), NULL);

  return needs_confirmation (self) ? self->unconfirmed : NULL;
}

/**
 * od_review_page_get_confirmed:
 *
 * Returns: whether the server needed a confirmation and the user gave it
 */
gboolean
od_review_page_get_confirmed (OdReviewPage *self)
{
  g_return_val_if_fail (OD_IS_REVIEW_PAGE (self), FALSE);

  return needs_confirmation (self) && gtk_check_button_get_active (self->confirm_check);
}

const char *
od_review_page_get_host (OdReviewPage *self)
{
  g_return_val_if_fail (OD_IS_REVIEW_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->host_row));
}

guint16
od_review_page_get_port (OdReviewPage *self)
{
  g_return_val_if_fail (OD_IS_REVIEW_PAGE (self), 0);

  return gtk_spin_button_get_value_as_int (self->port_spin);
}

OdSecurity
od_review_page_get_security (OdReviewPage *self)
{
  guint selected;

  g_return_val_if_fail (OD_IS_REVIEW_PAGE (self), OD_SECURITY_TLS);

  selected = adw_combo_row_get_selected (self->security_row);
  if (selected >= G_N_ELEMENTS (security_order))
    return OD_SECURITY_STARTTLS;

  return security_order[selected];
}

const char *
od_review_page_get_username (OdReviewPage *self)
{
  g_return_val_if_fail (OD_IS_REVIEW_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->username_row));
}

/**
 * od_review_page_get_source:
 *
 * Returns: where the settings came from, or "manual" once the user changed the server
 */
const char *
od_review_page_get_source (OdReviewPage *self)
{
  g_return_val_if_fail (OD_IS_REVIEW_PAGE (self), NULL);

  if (self->server_edited)
    return OD_ACCOUNT_SOURCE_MANUAL;

  return self->source ? self->source : OD_ACCOUNT_SOURCE_MANUAL;
}

gboolean
od_review_page_get_valid (OdReviewPage *self)
{
  g_return_val_if_fail (OD_IS_REVIEW_PAGE (self), FALSE);

  return self->valid;
}

void
od_review_page_focus_first (OdReviewPage *self)
{
  g_return_if_fail (OD_IS_REVIEW_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->host_row));
}

/**
 * od_review_page_get_default_widget:
 *
 * Returns: (transfer none): what Enter activates: *Check*
 */
GtkWidget *
od_review_page_get_default_widget (OdReviewPage *self)
{
  g_return_val_if_fail (OD_IS_REVIEW_PAGE (self), NULL);
  return GTK_WIDGET (self->check_button);
}
