/* od-account-page.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-account-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-account-page.h"
#include "od-oauth-providers.h"
#include "od-catalog.h"
#include "od-format.h"
#include "od-found-account.h"
#include "od-text.h"
#include "od-ui-util.h"

/* One saved account: its last test with the date, its settings and where they came from,
 * the certificates the user trusted for it, and *Remove Account…*. The settings can be
 * edited; the window checks an edit with the server before it is saved (win.check-account-
 * changes), so this page only says whether there is one and what it is. */
struct _OdAccountPage
{
  AdwBin               parent_instance;

  /* Template widgets */
  AdwWindowTitle      *window_title;
  GtkButton           *test_button;
  GtkButton           *receive_button;
  GtkMenuButton       *use_in_button;
  GtkScrolledWindow   *scroller;
  AdwActionRow        *result_row;
  GtkImage            *light;
  AdwPreferencesGroup *settings_group;
  AdwEntryRow         *host_row;
  GtkSpinButton       *port_spin;
  AdwComboRow         *security_row;
  GtkStringList       *security_model;
  AdwEntryRow         *username_row;
  AdwPasswordEntryRow *password_row;
  AdwActionRow        *sign_in_row;
  AdwPreferencesGroup *certificates_group;
  GtkListBox          *certificates_list;
  GtkActionBar        *action_bar;
  GtkButton           *discard_button;
  GtkButton           *check_changes_button;

  /* Owned */
  OdAccountStore      *store;
  char                *id;
  OdAccount           *loaded;    /* the settings the fields were filled with */

  gboolean             updating;
  gboolean             edited;
  gboolean             valid;
};

G_DEFINE_FINAL_TYPE (OdAccountPage, od_account_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_EDITED,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The order of the rows in the encryption list, as on the review page. */
static const OdSecurity security_order[] = {
  OD_SECURITY_TLS,
  OD_SECURITY_STARTTLS,
  OD_SECURITY_NONE,
};

static OdAccount *
lookup (OdAccountPage *self)
{
  return self->store != NULL && self->id != NULL ? od_account_store_lookup (self->store, self->id)
                                                 : NULL;
}

/**
 * od_account_page_describe_result:
 * @account: a saved account
 *
 * What the last test of @account showed, in the words of the account list and this page:
 * a test that sent a real message says so, one that stopped after the addresses says that.
 *
 * Returns: a static translated string
 */
const char *
od_account_page_describe_result (OdAccount *account)
{
  OdStepState state;
  gboolean sent = od_account_get_last_check_sent (account);

  if (!od_step_state_from_verdict (od_account_get_last_verdict (account), &state) ||
      od_account_get_last_check_time (account) == NULL)
    return _("Not tested yet");

  switch (state)
    {
    case OD_STEP_STATE_PASS:
      return sent ? _("Test message sent") : _("Login and addresses accepted");
    case OD_STEP_STATE_WARN:
      return sent ? _("Test message sent, with a warning")
                  : _("Login and addresses accepted, with a warning");
    case OD_STEP_STATE_FAIL:
    default:
      return _("Sending failed");
    }
}

/* "7 December 2026, 04:50 (5 minutes ago)", and the problem a failed test found. */
static char *
describe_when (OdAccount *account)
{
  GDateTime *when = od_account_get_last_check_time (account);
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *date = NULL;
  g_autofree char *ago = NULL;
  const OdCatalogEntry *entry = NULL;
  OdProblemKind kind;
  g_autofree char *text = NULL;

  if (when == NULL)
    return g_strdup (_("Test sending to see whether this account can send mail."));

  now = g_date_time_new_now_utc ();
  date = od_format_date_time (when);
  ago = od_ui_format_relative_time (when, now);
  /* Translators: "7 December 2026, 04:50 (5 minutes ago)" */
  text = g_strdup_printf (_("%s (%s)"), date, ago);

  if (g_strcmp0 (od_account_get_last_verdict (account), "pass") != 0 &&
      od_catalog_lookup (od_account_get_last_problem (account), &kind))
    entry = od_catalog_get (kind);
  if (entry != NULL)
    return g_strdup_printf ("%s\n%s", text, g_dgettext (GETTEXT_PACKAGE, entry->summary));

  return g_steal_pointer (&text);
}

/* An account that signs in with OAuth (issue 18) has no password here: the sign-in row says
 * with whom, and offers to sign in again. */
static void
update_sign_in (OdAccountPage *self,
                OdAccount     *account)
{
  const char *id = od_account_get_oauth_provider (account);
  const char *name = od_oauth_provider_get_display_name (id);
  g_autofree char *subtitle = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_row), id != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), id == NULL);
  if (id == NULL)
    return;

  /* Translators: %s is a provider: "Google", "Microsoft" */
  subtitle = g_strdup_printf (_("With %s: your password stays with the provider"),
                              name ? name : id);
  adw_action_row_set_subtitle (self->sign_in_row, subtitle);
}

static void
update_result (OdAccountPage *self,
               OdAccount     *account)
{
  g_autofree char *when = describe_when (account);
  OdStepState state;

  if (!od_step_state_from_verdict (od_account_get_last_verdict (account), &state) ||
      od_account_get_last_check_time (account) == NULL)
    state = OD_STEP_STATE_PENDING;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->result_row),
                                 od_account_page_describe_result (account));
  adw_action_row_set_subtitle (self->result_row, when);
  od_ui_set_light (self->light, state, NULL);
}

/* A fingerprint that wraps between its bytes, never inside one. */
static char *
breakable_fingerprint (const char *fingerprint)
{
  g_auto(GStrv) bytes = g_strsplit (fingerprint, ":", -1);

  /* A zero-width space after each colon is where a line may break. */
  return g_strjoinv (":\u200b", bytes);
}

static GtkWidget *
certificate_row_new (const char *endpoint,
                     const char *fingerprint)
{
  g_autofree char *host = NULL;
  g_autofree char *title = NULL;
  g_autofree char *shown = breakable_fingerprint (fingerprint);
  g_autofree char *remove_label = NULL;
  guint16 port = 0;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  od_account_parse_endpoint (endpoint, &host, &port);
  /* Translators: "smtp.example.org, port 587" */
  title = g_strdup_printf (_("%s, port %u"), host, port);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), shown);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "certificate-row");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Stop Trusting This Certificate"));
  /* Translators: an accessible label: "Stop trusting the certificate of smtp.example.org,
   * port 587" */
  remove_label = g_strdup_printf (_("Stop trusting the certificate of %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label,
                                  -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.forget-certificate");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", endpoint);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
update_certificates (OdAccountPage *self,
                     OdAccount     *account)
{
  g_auto(GStrv) endpoints = od_account_list_pinned_endpoints (account);
  GtkWidget *child;
  gboolean any = FALSE;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->certificates_list))) != NULL)
    gtk_list_box_remove (self->certificates_list, child);

  for (guint i = 0; endpoints[i] != NULL; i++)
    {
      g_autofree char *host = NULL;
      guint16 port = 0;
      g_auto(GStrv) fingerprints = NULL;

      if (!od_account_parse_endpoint (endpoints[i], &host, &port))
        continue;
      fingerprints = od_account_dup_pinned_fingerprints (account, host, port);
      for (guint j = 0; fingerprints != NULL && fingerprints[j] != NULL; j++)
        {
          gtk_list_box_append (self->certificates_list,
                               certificate_row_new (endpoints[i], fingerprints[j]));
          any = TRUE;
        }
    }

  gtk_widget_set_visible (GTK_WIDGET (self->certificates_group), any);
}

static OdSecurity
selected_security (OdAccountPage *self)
{
  guint selected = adw_combo_row_get_selected (self->security_row);

  return selected < G_N_ELEMENTS (security_order) ? security_order[selected]
                                                  : OD_SECURITY_STARTTLS;
}

gboolean od_account_page_get_valid (OdAccountPage *self);

static void
update_edited (OdAccountPage *self)
{
  g_autofree char *host = NULL;
  g_autofree char *username = NULL;
  gboolean edited;

  if (self->updating || self->loaded == NULL)
    return;

  host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row))));
  username = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->username_row))));
  edited = g_strcmp0 (host, od_account_get_host (self->loaded)) != 0 ||
           gtk_spin_button_get_value_as_int (self->port_spin) != od_account_get_port (self->loaded) ||
           selected_security (self) != od_account_get_security (self->loaded) ||
           g_strcmp0 (username, od_account_get_username (self->loaded) ?
                                od_account_get_username (self->loaded) : "") != 0 ||
           gtk_editable_get_text (GTK_EDITABLE (self->password_row))[0] != '\0';

  /* The bar at the bottom holds the page's main action: *Test Sending*, or while the
   * settings are edited, *Check and Save* (and *Discard Changes*). */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "account.discard", edited);
  gtk_widget_set_visible (GTK_WIDGET (self->test_button), !edited);
  gtk_widget_set_visible (GTK_WIDGET (self->use_in_button), !edited);
  /* *Test Receiving* beside it, for an account that knows its incoming server. */
  gtk_widget_set_visible (GTK_WIDGET (self->receive_button),
                          !edited && od_account_get_incoming_host (self->loaded) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->discard_button), edited);
  gtk_widget_set_visible (GTK_WIDGET (self->check_changes_button), edited);

  if (self->valid != od_account_page_get_valid (self))
    {
      self->valid = !self->valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }

  if (self->edited == edited)
    return;

  self->edited = edited;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITED]);
}

/* Fills the fields with the account's saved settings: an edit is dropped. */
static void
load_settings (OdAccountPage *self,
               OdAccount     *account)
{
  const char *source = od_account_get_settings_source (account);
  g_autofree char *description = NULL;

  self->updating = TRUE;
  g_clear_object (&self->loaded);
  self->loaded = od_account_copy (account);
  gtk_editable_set_text (GTK_EDITABLE (self->host_row), od_account_get_host (account));
  gtk_spin_button_set_value (self->port_spin, od_account_get_port (account));
  for (guint i = 0; i < G_N_ELEMENTS (security_order); i++)
    if (security_order[i] == od_account_get_security (account))
      adw_combo_row_set_selected (self->security_row, i);
  gtk_editable_set_text (GTK_EDITABLE (self->username_row),
                         od_account_get_username (account) ? od_account_get_username (account)
                                                           : "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  self->updating = FALSE;

  /* Translators: where the settings came from ("From the provider database"), then what an
   * edit does */
  description = g_strdup_printf (_("%s. A change is checked with the server before it is "
                                   "saved."),
                                 od_ui_source_label (source ? source : OD_ACCOUNT_SOURCE_MANUAL));
  adw_preferences_group_set_description (self->settings_group, description);

  update_edited (self);
}

static void
discard_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OdAccountPage *self = OD_ACCOUNT_PAGE (widget);

  od_account_page_discard (self);
  /* *Discard Changes* had the focus and is gone now. */
  gtk_widget_grab_focus (GTK_WIDGET (self->test_button));
}

static void
field_activated_cb (GtkWidget     *row,
                    OdAccountPage *self)
{
  /* Enter in a field checks the change; without one it moves on. */
  if (self->edited)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.check-account-changes", NULL);
  else
    gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

static void
port_activated_cb (OdAccountPage *self)
{
  field_activated_cb (NULL, self);
}

static void
od_account_page_dispose (GObject *object)
{
  OdAccountPage *self = (OdAccountPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), OD_TYPE_ACCOUNT_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->loaded);

  G_OBJECT_CLASS (od_account_page_parent_class)->dispose (object);
}

static void
od_account_page_finalize (GObject *object)
{
  OdAccountPage *self = (OdAccountPage *)object;

  g_clear_pointer (&self->id, g_free);

  G_OBJECT_CLASS (od_account_page_parent_class)->finalize (object);
}

static void
od_account_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  OdAccountPage *self = OD_ACCOUNT_PAGE (object);

  switch (prop_id)
    {
    case PROP_EDITED:
      g_value_set_boolean (value, self->edited);
      break;

    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
od_account_page_class_init (OdAccountPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = od_account_page_dispose;
  object_class->finalize = od_account_page_finalize;
  object_class->get_property = od_account_page_get_property;

  properties[PROP_EDITED] =
    g_param_spec_boolean ("edited", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/outboxdoctor/OutboxDoctor/od-account-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, test_button);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, receive_button);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, use_in_button);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, result_row);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, light);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, settings_group);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, port_spin);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, security_row);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, security_model);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, sign_in_row);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, certificates_group);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, certificates_list);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, action_bar);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, discard_button);
  gtk_widget_class_bind_template_child (widget_class, OdAccountPage, check_changes_button);

  gtk_widget_class_install_action (widget_class, "account.discard", NULL, discard_action);
}

static void
od_account_page_init (OdAccountPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (security_order); i++)
    gtk_string_list_append (self->security_model, od_security_get_label (security_order[i]));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->discard_button), "account.discard");

  g_signal_connect_swapped (self->host_row, "changed", G_CALLBACK (update_edited), self);
  g_signal_connect_swapped (self->port_spin, "value-changed", G_CALLBACK (update_edited), self);
  g_signal_connect_swapped (self->security_row, "notify::selected",
                            G_CALLBACK (update_edited), self);
  g_signal_connect_swapped (self->username_row, "changed", G_CALLBACK (update_edited), self);
  g_signal_connect_swapped (self->password_row, "changed", G_CALLBACK (update_edited), self);
  g_signal_connect (self->host_row, "entry-activated", G_CALLBACK (field_activated_cb), self);
  od_ui_on_spin_enter (self->port_spin, G_CALLBACK (port_activated_cb), self);
  g_signal_connect (self->username_row, "entry-activated", G_CALLBACK (field_activated_cb), self);
  g_signal_connect (self->password_row, "entry-activated", G_CALLBACK (field_activated_cb), self);
}

/* *Use in…*: the programs an account can be handed to (accounts export), each item naming
 * this account and the program. */
static void
set_use_in_menu (OdAccountPage *self)
{
  static const char * const origins[] = {
    "evolution", "goa", "thunderbird", "msmtp", "git", "neomutt", "aerc"
  };
  g_autoptr(GMenu) menu = g_menu_new ();

  for (guint i = 0; i < G_N_ELEMENTS (origins); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (od_found_origin_get_name (origins[i]), NULL);

      g_menu_item_set_action_and_target_value (item, "win.use-in",
                                               g_variant_new ("(ss)", self->id, origins[i]));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (self->use_in_button, G_MENU_MODEL (menu));
}

/**
 * od_account_page_set_account:
 * @store: the saved accounts
 * @id: the account to show
 *
 * Shows the account @id, its saved settings in the fields, scrolled to the top.
 */
void
od_account_page_set_account (OdAccountPage  *self,
                             OdAccountStore *store,
                             const char     *id)
{
  OdAccount *account;

  g_return_if_fail (OD_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (OD_IS_ACCOUNT_STORE (store));
  g_return_if_fail (id != NULL);

  g_set_object (&self->store, store);
  g_free (self->id);
  self->id = g_strdup (id);

  account = lookup (self);
  if (account != NULL)
    load_settings (self, account);
  od_account_page_refresh (self);

  /* Another account is another page: it starts at its top. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

/**
 * od_account_page_refresh:
 *
 * Shows what the store holds now for the account: its last test, its certificates, and its
 * settings unless the user is editing them.
 *
 * Returns: %FALSE when the account is gone
 */
gboolean
od_account_page_refresh (OdAccountPage *self)
{
  OdAccount *account;
  g_autofree char *address = NULL;
  g_autofree char *name = NULL;
  g_autofree char *button_label = NULL;

  g_return_val_if_fail (OD_IS_ACCOUNT_PAGE (self), FALSE);

  account = lookup (self);
  if (account == NULL)
    return FALSE;

  /* From a file a person can edit: without control or invisible characters. */
  address = od_text_sanitize (od_account_get_address (account), -1, OD_TEXT_SINGLE_LINE);
  name = od_account_get_display_name (account)
         ? od_text_sanitize (od_account_get_display_name (account), -1, OD_TEXT_SINGLE_LINE)
         : g_strdup ("");
  adw_window_title_set_title (self->window_title, address);
  adw_window_title_set_subtitle (self->window_title, name);

  /* The name after the target: the action takes the account's id. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->test_button), "s", self->id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->test_button), "win.test-sending");
  button_label = g_strdup_printf (_("Test sending from %s"), address);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->test_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, button_label,
                                  -1);

  set_use_in_menu (self);

  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->receive_button), "s", self->id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->receive_button), "win.test-receiving");
  g_free (button_label);
  button_label = g_strdup_printf (_("Test receiving for %s"), address);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->receive_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, button_label,
                                  -1);

  update_result (self, account);
  update_certificates (self, account);
  update_sign_in (self, account);
  if (!self->edited)
    load_settings (self, account);

  return TRUE;
}

/**
 * od_account_page_discard:
 *
 * Fills the fields with the saved settings again (after an edit was saved, or to drop it).
 */
void
od_account_page_discard (OdAccountPage *self)
{
  OdAccount *account;

  g_return_if_fail (OD_IS_ACCOUNT_PAGE (self));

  /* A typed password goes even when the account is gone. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");

  account = lookup (self);
  if (account != NULL)
    load_settings (self, account);
}

const char *
od_account_page_get_id (OdAccountPage *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT_PAGE (self), NULL);
  return self->id;
}

gboolean
od_account_page_get_edited (OdAccountPage *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT_PAGE (self), FALSE);
  return self->edited;
}

/**
 * od_account_page_dup_changes:
 *
 * The account with the settings in the fields: what a check of the edit tries.
 *
 * Returns: (transfer full) (nullable): a copy of the saved account with the edited
 *   settings, or %NULL when the account is gone
 */
OdAccount *
od_account_page_dup_changes (OdAccountPage *self)
{
  OdAccount *account;
  OdAccount *changes;
  g_autofree char *host = NULL;
  g_autofree char *username = NULL;

  g_return_val_if_fail (OD_IS_ACCOUNT_PAGE (self), NULL);

  account = lookup (self);
  if (account == NULL)
    return NULL;

  host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row))));
  username = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->username_row))));
  /* A port typed but not confirmed with Enter or Tab counts too. */
  gtk_spin_button_update (self->port_spin);

  changes = od_account_copy (account);
  od_account_set_host (changes, host);
  od_account_set_port (changes, gtk_spin_button_get_value_as_int (self->port_spin));
  od_account_set_security (changes, selected_security (self));
  od_account_set_username (changes, username[0] != '\0' ? username : NULL);

  return changes;
}

/**
 * od_account_page_get_password:
 *
 * Returns: the new password typed, or "" to keep the saved one
 */
const char *
od_account_page_get_password (OdAccountPage *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}

/**
 * od_account_page_get_valid:
 *
 * Returns: whether the edited settings name a server that can be checked
 */
gboolean
od_account_page_get_valid (OdAccountPage *self)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (OD_IS_ACCOUNT_PAGE (self), FALSE);

  host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row))));
  return host[0] != '\0' && strchr (host, ' ') == NULL;
}

/**
 * od_account_page_get_default_widget:
 *
 * Returns: (transfer none): what Enter activates: *Check and Save* while the settings are
 *   edited, *Test Sending* otherwise
 */
GtkWidget *
od_account_page_get_default_widget (OdAccountPage *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT_PAGE (self), NULL);
  return GTK_WIDGET (self->edited ? self->check_changes_button : self->test_button);
}

/* The page opens with the focus on its main action: *Test Sending*, or *Check and Save*
 * when the user comes back to an edit. */
void
od_account_page_focus_default (OdAccountPage *self)
{
  g_return_if_fail (OD_IS_ACCOUNT_PAGE (self));
  gtk_widget_grab_focus (od_account_page_get_default_widget (self));
}
