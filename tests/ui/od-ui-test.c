/* od-ui-test.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-ui-test"

#include "config.h"

#include <glib/gstdio.h>

#include <string.h>

#include "od-account-store.h"
#include "od-application.h"
#include "od-orphans.h"
#include "od-certificate-dialog.h"
#include "od-secret-store.h"
#include "od-ui-test.h"

/* Helpers for the UI tests: they drive the real window through its actions and widgets,
 * iterate the main loop until a condition holds (or fail after a deadline), and save
 * screenshots rendered by GTK itself. */

static GtkApplication *application;

void
od_ui_test_init (int    *argc,
                 char ***argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (argc, argv, NULL);

  /* Every test program talks to its own private session bus (dbus-run-session). */
  application = GTK_APPLICATION (od_application_new ());
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (application));
}

GtkApplication *
od_ui_test_get_application (void)
{
  return application;
}

static gboolean
window_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (user_data));
}

OdWindow *
od_ui_test_new_window (int width,
                       int height)
{
  OdWindow *window = od_window_new (ADW_APPLICATION (application));

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  od_ui_test_wait (window_mapped, window, "the window to be mapped");
  od_ui_test_wait_frames (GTK_WIDGET (window), 3);

  return window;
}

static gboolean
weak_pointer_cleared (gpointer user_data)
{
  return *(gpointer *)user_data == NULL;
}

/* Closes the window and waits until it is really gone, so nothing leaks into the next test. */
void
od_ui_test_close_window (OdWindow *window)
{
  gpointer pointer = window;

  g_object_add_weak_pointer (G_OBJECT (window), &pointer);
  gtk_window_destroy (GTK_WINDOW (window));
  od_ui_test_wait (weak_pointer_cleared, &pointer, "the window to be finalized");
}

void
od_ui_test_wait (OdUiTestCondition  condition,
                 gpointer           user_data,
                 const char        *what)
{
  gint64 deadline = g_get_monotonic_time () + OD_UI_TEST_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (!condition (user_data))
    {
      GSource *wake_up;

      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out after %d ms waiting for %s", OD_UI_TEST_TIMEOUT_MS, what);

      /* Never block for long: the condition may change without any source firing. */
      wake_up = g_timeout_source_new (10);
      g_source_set_dummy_callback (wake_up);
      g_source_attach (wake_up, NULL);
      g_main_context_iteration (NULL, TRUE);
      g_source_destroy (wake_up);
      g_source_unref (wake_up);
    }
}

typedef struct
{
  guint frames;
  guint wanted;
} FrameCount;

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  FrameCount *count = user_data;

  count->frames++;
  return count->frames < count->wanted ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
enough_frames (gpointer user_data)
{
  FrameCount *count = user_data;

  return count->frames >= count->wanted;
}

void
od_ui_test_wait_frames (GtkWidget *widget,
                        guint      n_frames)
{
  FrameCount count = { 0, n_frames };

  gtk_widget_add_tick_callback (widget, tick_cb, &count, NULL);
  gtk_widget_queue_draw (widget);
  od_ui_test_wait (enough_frames, &count, "frames to be drawn");
}

typedef struct
{
  OdWindow   *window;
  const char *page;
} PageWait;

static gboolean
page_shown (gpointer user_data)
{
  PageWait *wait = user_data;

  return g_strcmp0 (od_window_get_visible_page (wait->window), wait->page) == 0;
}

void
od_ui_test_wait_page (OdWindow   *window,
                      const char *page)
{
  PageWait wait = { window, page };
  g_autofree char *what = g_strdup_printf ("the page “%s”", page);

  od_ui_test_wait (page_shown, &wait, what);
  /* Let the stack's transition finish, so screenshots show one page. */
  od_ui_test_wait_frames (GTK_WIDGET (window), 20);
}

static gboolean
window_idle (gpointer user_data)
{
  return !od_window_get_busy (OD_WINDOW (user_data));
}

void
od_ui_test_wait_idle (OdWindow *window)
{
  od_ui_test_wait (window_idle, window, "the check to finish");
}

static void
collect (GtkWidget   *widget,
         GType        type,
         const char  *buildable_id,
         const char  *action_name,
         GList      **found)
{
  gboolean match = G_TYPE_CHECK_INSTANCE_TYPE (widget, type);

  if (match && buildable_id != NULL)
    match = g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), buildable_id) == 0;
  if (match && action_name != NULL)
    match = GTK_IS_ACTIONABLE (widget) &&
            g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0 &&
            gtk_widget_get_mapped (widget);
  if (match)
    *found = g_list_append (*found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, buildable_id, action_name, found);
}

GtkWidget *
od_ui_test_find (GtkWidget  *root,
                 GType       type,
                 const char *buildable_id)
{
  g_autoptr(GList) found = NULL;

  collect (root, type, buildable_id, NULL, &found);
  if (found == NULL)
    g_error ("No %s with id “%s” under %s", g_type_name (type),
             buildable_id ? buildable_id : "(any)", G_OBJECT_TYPE_NAME (root));

  return found->data;
}

/* The first shown button (or other actionable) that names @action_name. */
GtkWidget *
od_ui_test_find_action (GtkWidget  *root,
                        const char *action_name)
{
  g_autoptr(GList) found = NULL;

  collect (root, GTK_TYPE_WIDGET, NULL, action_name, &found);

  return found ? found->data : NULL;
}

GList *
od_ui_test_find_all (GtkWidget *root,
                     GType      type)
{
  GList *found = NULL;

  collect (root, type, NULL, NULL, &found);

  return found;
}

/* Really on screen: visible, inside a visible page of every stack above it. */
gboolean
od_ui_test_is_shown (GtkWidget *widget)
{
  return gtk_widget_get_mapped (widget);
}

void
od_ui_test_activate (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  if (!gtk_widget_activate_action_variant (widget, action_name, parameter))
    g_error ("The action %s could not be activated", action_name);
}

void
od_ui_test_set_text (GtkWidget  *root,
                     const char *buildable_id,
                     const char *text)
{
  GtkWidget *editable = od_ui_test_find (root, GTK_TYPE_EDITABLE, buildable_id);

  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

typedef struct
{
  GType      type;
  GtkWidget *found;
} DialogWait;

static gboolean
dialog_shown (gpointer user_data)
{
  DialogWait *wait = user_data;
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, wait->type) && gtk_widget_get_mapped (l->data))
      {
        wait->found = l->data;
        return TRUE;
      }

  return FALSE;
}

/* Waits for a dialog of @type (an #AdwMessageDialog or a subclass) to be shown. */
AdwMessageDialog *
od_ui_test_wait_dialog (GType type)
{
  DialogWait wait = { type, NULL };
  g_autofree char *what = g_strdup_printf ("a %s to be shown", g_type_name (type));

  od_ui_test_wait (dialog_shown, &wait, what);
  od_ui_test_wait_frames (wait.found, 10);

  return ADW_MESSAGE_DIALOG (wait.found);
}

/* Clicks the button of @response, as a user would; the dialog closes itself. */
void
od_ui_test_respond (AdwMessageDialog *dialog,
                    const char       *response)
{
  g_autofree char *label = g_strdup (adw_message_dialog_get_response_label (dialog, response));
  g_autoptr(GList) buttons = NULL;
  gpointer pointer = dialog;

  collect (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, NULL, NULL, &buttons);
  for (GList *l = buttons; l != NULL; l = l->next)
    if (g_strcmp0 (gtk_button_get_label (l->data), label) == 0)
      {
        g_object_add_weak_pointer (G_OBJECT (dialog), &pointer);
        g_signal_emit_by_name (l->data, "clicked");
        od_ui_test_wait (weak_pointer_cleared, &pointer, "the dialog to close");
        return;
      }

  g_error ("The dialog has no button for the response “%s”", response);
}

const char *
od_ui_test_output_dir (void)
{
  const char *dir = g_getenv ("OD_TEST_OUTPUT_DIR");

  return dir != NULL ? dir : ".";
}

/* Renders @widget with its own renderer, as it is on screen, and saves a PNG named @name
 * under $OD_TEST_OUTPUT_DIR/screenshots/. */
void
od_ui_test_screenshot (GtkWidget  *widget,
                       const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = g_build_filename (od_ui_test_output_dir (), "screenshots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  od_ui_test_wait_frames (widget, 3);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s (%d×%d)", path, width, height);
}

typedef struct
{
  char     *text;
  GError   *error;
  gboolean  done;
} ClipboardRead;

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &read->error);
  read->done = TRUE;
}

static gboolean
clipboard_read (gpointer user_data)
{
  return ((ClipboardRead *)user_data)->done;
}

/* Reads the clipboard back the way another application would: asynchronously, as text. */
char *
od_ui_test_read_clipboard (GtkWidget *widget)
{
  ClipboardRead read = { NULL, NULL, FALSE };

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, read_text_cb, &read);
  od_ui_test_wait (clipboard_read, &read, "the clipboard to be read");
  g_assert_no_error (read.error);

  return read.text;
}

/* "Trust This Certificate?" as a person reads it, at whatever width: the validity without
 * padded or doubled spaces, and the whole fingerprint (never ellipsized, never clipped),
 * whose lines break between bytes only. Returns the fingerprint's number of lines. */
guint
od_ui_test_assert_certificate_dialog (AdwMessageDialog *dialog)
{
  GtkWidget *validity = od_ui_test_find (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW,
                                         "validity_row");
  GtkLabel *label = GTK_LABEL (od_ui_test_find (GTK_WIDGET (dialog), GTK_TYPE_LABEL,
                                                "fingerprint_label"));
  const char *fingerprint = od_certificate_dialog_get_fingerprint (OD_CERTIFICATE_DIALOG (dialog));
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (validity));
  PangoLayout *layout;
  PangoRectangle extents;
  guint n_lines = 0;

  g_test_message ("validity: “%s”", subtitle);
  g_assert_false (g_str_has_prefix (subtitle, " "));
  g_assert_null (strstr (subtitle, "  "));
  g_assert_null (strstr (subtitle, "\u2007"));  /* the figure space of "%e" */
  g_assert_null (strstr (subtitle, "\u00a0 "));
  g_assert_null (strstr (subtitle, " \u00a0"));

  /* 32 bytes as hex pairs, all of them shown. */
  g_assert_cmpuint (strlen (fingerprint), ==, 32 * 3 - 1);
  g_assert_cmpstr (gtk_label_get_text (label), ==, fingerprint);
  g_assert_cmpint (gtk_label_get_ellipsize (label), ==, PANGO_ELLIPSIZE_NONE);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (label)));

  layout = gtk_label_get_layout (label);
  pango_layout_get_pixel_extents (layout, NULL, &extents);
  g_assert_cmpint (extents.width, <=, gtk_widget_get_width (GTK_WIDGET (label)));
  g_assert_cmpint (extents.height, <=, gtk_widget_get_height (GTK_WIDGET (label)));

  for (GSList *l = pango_layout_get_lines_readonly (layout); l != NULL; l = l->next)
    {
      PangoLayoutLine *line = l->data;
      g_autofree char *shown = g_strndup (fingerprint + line->start_index, line->length);

      g_test_message ("fingerprint line: %s", shown);
      /* Each line starts with a byte and, but for the last, ends with a byte's colon. */
      g_assert_cmpint (line->start_index % 3, ==, 0);
      if (l->next != NULL)
        g_assert_true (g_str_has_suffix (shown, ":"));
      else
        g_assert_cmpint (line->start_index + line->length, ==, strlen (fingerprint));
      n_lines++;
    }

  return n_lines;
}

/* A traffic light: its icon, its colour class and the words a screen reader says. */
void
od_ui_test_assert_light (GtkImage   *light,
                         const char *icon_name,
                         const char *css_class,
                         const char *accessible_label)
{
  g_autofree char *mismatch = NULL;

  g_assert_cmpstr (gtk_image_get_icon_name (light), ==, icon_name);
  if (css_class != NULL)
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (light), css_class));
  if (accessible_label != NULL)
    {
      mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (light),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                     accessible_label);
      if (mismatch != NULL)
        g_error ("The light's accessible label is “%s”, not “%s”", mismatch, accessible_label);
    }
}

static gboolean
remove_all_change (OdAccountStore  *store,
                   gpointer         user_data,
                   GError         **error)
{
  while (g_list_model_get_n_items (G_LIST_MODEL (store)) > 0)
    {
      g_autoptr(OdAccount) account = g_list_model_get_item (G_LIST_MODEL (store), 0);

      od_account_store_remove (store, od_account_get_id (account));
    }

  return TRUE;
}

static void
orphans_removed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_auto(GStrv) removed = od_orphans_remove_finish (result, NULL);

  *(gboolean *)user_data = TRUE;
}

static gboolean
flag_set (gpointer user_data)
{
  return *(gboolean *)user_data;
}

/* Removes every saved account, as the window's store sees them, and their passwords (as
 * *Remove Account…* would), so that the next test's window finds no orphans to offer. */
void
od_ui_test_remove_accounts (OdWindow *window)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  gboolean done = FALSE;

  od_account_store_change (od_window_get_account_store (window), remove_all_change, NULL,
                           &error);
  g_assert_no_error (error);

  /* Without a keyring (ui-no-keyring) there is nothing to remove. */
  od_orphans_remove_async (od_window_get_account_store (window), secrets, NULL,
                           orphans_removed_cb, &done);
  od_ui_test_wait (flag_set, &done, "the keyring to forget the passwords");
}

typedef struct
{
  GError   *error;
  char     *password;
  gboolean  done;
} KeyringOp;

static gboolean
keyring_op_done (gpointer user_data)
{
  return ((KeyringOp *)user_data)->done;
}

static void
keyring_stored_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  KeyringOp *op = user_data;

  od_secret_store_store_finish (OD_SECRET_STORE (object), result, &op->error);
  op->done = TRUE;
}

static void
keyring_found_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  KeyringOp *op = user_data;

  op->password = od_secret_store_lookup_finish (OD_SECRET_STORE (object), result, &op->error);
  op->done = TRUE;
}

/**
 * od_ui_test_save_account:
 * @password: (nullable): filed in the keyring for the account's server, as the app does
 *
 * Saves an account the way the app does: in the key file, its password in the keyring.
 *
 * Returns: (transfer full): the account as saved
 */
OdAccount *
od_ui_test_save_account (const char *id,
                         const char *address,
                         const char *name,
                         guint16     port,
                         const char *password)
{
  g_autoptr(OdAccountStore) store = od_account_store_new (NULL);
  g_autoptr(OdAccount) account = od_account_new (id, address);
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  g_autoptr(GError) error = NULL;
  KeyringOp op = { NULL, NULL, FALSE };

  od_account_store_load (store, &error);
  g_assert_no_error (error);

  od_account_set_display_name (account, name);
  od_account_set_host (account, "127.0.0.1");
  od_account_set_port (account, port);
  od_account_set_security (account, OD_SECURITY_TLS);
  od_account_set_username (account, address);
  od_account_set_settings_source (account, "provider-db");
  od_account_store_put (store, account, &error);
  g_assert_no_error (error);

  if (password != NULL)
    {
      od_secret_store_store_for_account_async (secrets, account, password, NULL,
                                               keyring_stored_cb, &op);
      od_ui_test_wait (keyring_op_done, &op, "the keyring");
      g_assert_no_error (op.error);
    }

  return g_steal_pointer (&account);
}

/**
 * od_ui_test_lookup_password:
 *
 * Returns: (transfer full) (nullable): the password the keyring holds for @account's server
 *   and user name
 */
char *
od_ui_test_lookup_password (OdAccount *account)
{
  g_autoptr(OdSecretStore) secrets = od_secret_store_new ();
  KeyringOp op = { NULL, NULL, FALSE };

  od_secret_store_lookup_for_account_async (secrets, account, NULL, keyring_found_cb, &op);
  od_ui_test_wait (keyring_op_done, &op, "the keyring");
  g_assert_no_error (op.error);

  return op.password;
}
