/* test-ui-lab.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Scenario 2: the setup journey in the real window against a real MTA: Postfix with
 * Dovecot SASL on loopback (run by run-ui-lab-test.sh), implicit TLS from a test CA and a
 * real login. Every row turns green, the test message lands in the lab's maildir, and the
 * saved account's *Test Sending* works too. */

#include "config.h"

#include <string.h>

#include "od-account-row.h"
#include "od-check-page.h"
#include "od-checklist-row.h"
#include "od-ui-test.h"

static GHashTable *lab;

/* DIR/env of the lab: NAME=value lines. */
static GHashTable *
read_lab_env (void)
{
  const char *path = g_getenv ("OD_LAB_ENV");
  GHashTable *env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (path);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *eq = strchr (lines[i], '=');

      if (eq != NULL)
        g_hash_table_insert (env, g_strndup (lines[i], eq - lines[i]), g_strdup (eq + 1));
    }

  return env;
}

static const char *
lab_get (const char *name)
{
  const char *value = g_hash_table_lookup (lab, name);

  if (value == NULL)
    g_error ("The lab's env file has no %s", name);

  return value;
}

static guint
count_messages (void)
{
  const char * const subdirs[] = { "new", "cur" };
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (lab_get ("LAB_MAILDIR"), subdirs[i], NULL);
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file = g_build_filename (path, name, NULL);
          g_autofree char *contents = NULL;

          if (g_file_get_contents (file, &contents, NULL, NULL) &&
              strstr (contents, "Outbox Doctor test") != NULL)
            n++;
        }
    }

  return n;
}

typedef struct
{
  guint wanted;
} MessageWait;

static gboolean
messages_arrived (gpointer user_data)
{
  return count_messages () >= ((MessageWait *)user_data)->wanted;
}

static void
assert_all_green (OdWindow *window)
{
  GtkWidget *check_page = od_ui_test_find (GTK_WIDGET (window), OD_TYPE_CHECK_PAGE, NULL);
  GtkListBox *list = od_check_page_get_list (OD_CHECK_PAGE (check_page));
  g_autoptr(GList) rows = od_ui_test_find_all (GTK_WIDGET (list), OD_TYPE_CHECKLIST_ROW);

  g_assert_cmpuint (g_list_length (rows), ==, 10);
  for (GList *l = rows; l != NULL; l = l->next)
    {
      OdCheckStep *step = od_checklist_row_get_step (l->data);
      g_autofree char *label = g_strdup_printf ("%s: Passed", od_check_step_get_title (step));

      if (od_check_step_get_state (step) != OD_STEP_STATE_PASS)
        g_error ("The step %s is %s: %s", od_check_step_get_id (step),
                 od_step_state_to_string (od_check_step_get_state (step)),
                 od_check_step_get_detail (step));
      od_ui_test_assert_light (od_checklist_row_get_light (l->data), "emblem-ok-symbolic",
                               "success", label);
    }
}

static void
test_lab_setup_and_test_sending (void)
{
  g_autofree char *password = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OdAccount) account = NULL;
  g_autoptr(GList) rows = NULL;
  OdWindow *window;
  GtkWidget *details;
  GtkWidget *review;
  MessageWait wait;
  guint64 port;

  g_file_get_contents (lab_get ("LAB_PASSWORD_FILE"), &password, NULL, &error);
  g_assert_no_error (error);
  g_strchomp (password);
  port = g_ascii_strtoull (lab_get ("LAB_PORT_TLS"), NULL, 10);
  wait.wanted = count_messages () + 1;

  window = od_ui_test_new_window (720, 900);
  od_window_set_ca_file (window, lab_get ("LAB_CA_FILE"));

  od_ui_test_activate (GTK_WIDGET (window), "win.add-account", NULL);
  od_ui_test_wait_page (window, "details");
  details = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdDetailsPage"), NULL);
  od_ui_test_set_text (details, "name_row", "Lab Tester");
  od_ui_test_set_text (details, "address_row", lab_get ("LAB_USER"));
  od_ui_test_set_text (details, "password_row", password);

  od_ui_test_activate (GTK_WIDGET (window), "win.set-up-manually", NULL);
  od_ui_test_wait_page (window, "review");
  review = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdReviewPage"), NULL);
  od_ui_test_set_text (review, "host_row", lab_get ("LAB_HOST"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (od_ui_test_find (review, GTK_TYPE_SPIN_BUTTON,
                                                               "port_spin")), port);
  adw_combo_row_set_selected (ADW_COMBO_ROW (od_ui_test_find (review, ADW_TYPE_COMBO_ROW,
                                                              "security_row")), 0);
  od_ui_test_set_text (review, "username_row", lab_get ("LAB_USER"));

  od_check_page_set_send_test (OD_CHECK_PAGE (od_ui_test_find (GTK_WIDGET (window),
                                                               OD_TYPE_CHECK_PAGE, NULL)),
                               TRUE);
  od_ui_test_activate (GTK_WIDGET (window), "win.start-check", NULL);
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  od_ui_test_wait_frames (GTK_WIDGET (window), 20);
  assert_all_green (window);
  od_ui_test_wait (messages_arrived, &wait, "the test message in the lab's maildir");
  od_ui_test_screenshot (GTK_WIDGET (window), "lab-checklist");

  od_ui_test_activate (GTK_WIDGET (window), "win.save-account", NULL);
  od_ui_test_wait_page (window, "done");
  account = g_list_model_get_item (G_LIST_MODEL (od_window_get_account_store (window)), 0);
  g_assert_cmpstr (od_account_get_address (account), ==, lab_get ("LAB_USER"));

  /* And later, from the account list: Test Sending, with the password from the keyring. */
  od_ui_test_activate (GTK_WIDGET (window), "win.finish", NULL);
  od_ui_test_wait_page (window, "welcome");
  rows = od_ui_test_find_all (GTK_WIDGET (window), OD_TYPE_ACCOUNT_ROW);
  g_assert_cmpuint (g_list_length (rows), ==, 1);
  wait.wanted = count_messages () + 1;
  g_signal_emit_by_name (od_ui_test_find (rows->data, GTK_TYPE_BUTTON, "test_button"), "clicked");
  od_ui_test_wait_page (window, "check");
  od_ui_test_wait_idle (window);
  assert_all_green (window);
  od_ui_test_wait (messages_arrived, &wait, "the second test message");

  od_account_store_delete (od_window_get_account_store (window), od_account_get_id (account),
                           &error);
  g_assert_no_error (error);
  od_ui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  od_ui_test_init (&argc, &argv);

  if (g_getenv ("OD_LAB_ENV") == NULL)
    {
      g_test_skip ("run by run-ui-lab-test.sh, which starts the Postfix lab");
      return g_test_run ();
    }
  lab = read_lab_env ();

  g_test_add_func ("/od/ui/lab/setup-and-test-sending", test_lab_setup_and_test_sending);

  status = g_test_run ();
  g_hash_table_unref (lab);

  return status;
}
