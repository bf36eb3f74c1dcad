/* od-ui-test.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "od-account.h"
#include "od-window.h"

G_BEGIN_DECLS

/* Generous: a check against a local server takes well under a second. */
#define OD_UI_TEST_TIMEOUT_MS 30000

typedef gboolean (*OdUiTestCondition) (gpointer user_data);

void            od_ui_test_init              (int               *argc,
                                              char            ***argv);
GtkApplication *od_ui_test_get_application   (void);
OdWindow       *od_ui_test_new_window        (int                width,
                                              int                height);
void            od_ui_test_close_window      (OdWindow          *window);
void            od_ui_test_remove_accounts   (OdWindow          *window);
void            od_ui_test_wait              (OdUiTestCondition  condition,
                                              gpointer           user_data,
                                              const char        *what);
void            od_ui_test_wait_frames       (GtkWidget         *widget,
                                              guint              n_frames);
void            od_ui_test_wait_page         (OdWindow          *window,
                                              const char        *page);
void            od_ui_test_wait_idle         (OdWindow          *window);
GtkWidget      *od_ui_test_find              (GtkWidget         *root,
                                              GType              type,
                                              const char        *buildable_id);
GtkWidget      *od_ui_test_find_action       (GtkWidget         *root,
                                              const char        *action_name);
GList          *od_ui_test_find_all          (GtkWidget         *root,
                                              GType              type);
gboolean        od_ui_test_is_shown          (GtkWidget         *widget);
void            od_ui_test_activate          (GtkWidget         *widget,
                                              const char        *action_name,
                                              GVariant          *parameter);
void            od_ui_test_set_text          (GtkWidget         *root,
                                              const char        *buildable_id,
                                              const char        *text);
AdwMessageDialog *od_ui_test_wait_dialog     (GType              type);
void            od_ui_test_respond           (AdwMessageDialog  *dialog,
                                              const char        *response);
void            od_ui_test_screenshot        (GtkWidget         *widget,
                                              const char        *name);
char           *od_ui_test_read_clipboard    (GtkWidget         *widget);
const char     *od_ui_test_output_dir        (void);
guint           od_ui_test_assert_certificate_dialog
                                             (AdwMessageDialog  *dialog);
void            od_ui_test_assert_light      (GtkImage          *light,
                                              const char        *icon_name,
                                              const char        *css_class,
                                              const char        *accessible_label);

OdAccount      *od_ui_test_save_account      (const char        *id,
                                              const char        *address,
                                              const char        *name,
                                              guint16            port,
                                              const char        *password);
char           *od_ui_test_lookup_password   (OdAccount         *account);

G_END_DECLS
