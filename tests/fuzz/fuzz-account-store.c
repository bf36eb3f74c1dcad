/* fuzz-account-store.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The account key-file loader against arbitrary files, as a crash, a full disk or a hand edit
 * may leave them: loading never fails in an unexpected way, every account it returns is
 * usable, and what the store then writes loads again unchanged and without complaint. */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "od-account-store.h"
#include "od-fuzz.h"

static char *dir;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  od_fuzz_init ();

  /* A private directory, in memory if the system has one. */
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    g_setenv ("TMPDIR", "/dev/shm", TRUE);
  dir = g_dir_make_tmp ("od-fuzz-accounts-XXXXXX", &error);
  g_assert (dir != NULL);

  return 0;
}

static void
empty_dir (void)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
}

static void
check_accounts (OdAccountStore *store)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OdAccount) account = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autoptr(JsonNode) json = od_account_to_json (account);
      g_auto(GStrv) endpoints = od_account_list_pinned_endpoints (account);

      g_assert (od_account_get_id (account) != NULL && od_account_get_id (account)[0] != '\0');
      g_assert (od_account_store_lookup (store, od_account_get_id (account)) == account);
      g_assert (od_account_get_host (account) != NULL && od_account_get_host (account)[0] != '\0');
      g_assert (od_account_get_port (account) >= 1);
      g_assert (json != NULL);
    }
}

/* Writes the file again from what it holds. */
static gboolean
rewrite (OdAccountStore  *store,
         gpointer         user_data,
         GError         **error)
{
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autoptr(OdAccountStore) store = od_account_store_new (path);
  g_autoptr(OdAccountStore) again = od_account_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again_error = NULL;
  guint n;

  empty_dir ();
  g_assert (g_file_set_contents (path, (const char *)data, size, NULL));

  if (!od_account_store_load (store, &error))
    {
      g_assert (error != NULL && error->domain == OD_ACCOUNT_STORE_ERROR);
      g_assert (error->code == OD_ACCOUNT_STORE_ERROR_CORRUPT ||
                error->code == OD_ACCOUNT_STORE_ERROR_DAMAGED);
    }
  check_accounts (store);
  n = g_list_model_get_n_items (G_LIST_MODEL (store));

  /* What we write, we read back as it is. */
  if (error == NULL || error->code == OD_ACCOUNT_STORE_ERROR_CORRUPT)
    {
      g_autoptr(GError) save_error = NULL;

      if (!od_account_store_change (store, rewrite, NULL, &save_error))
        g_error ("Cannot save what was loaded: %s", save_error->message);

      if (!od_account_store_load (again, &again_error))
        g_error ("Cannot load what was saved: %s", again_error->message);

      g_assert (g_list_model_get_n_items (G_LIST_MODEL (again)) == n);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(OdAccount) a = g_list_model_get_item (G_LIST_MODEL (store), i);
          OdAccount *b = od_account_store_lookup (again, od_account_get_id (a));

          g_assert (b != NULL);
          g_assert (g_strcmp0 (od_account_get_host (a), od_account_get_host (b)) == 0);
          g_assert (od_account_get_port (a) == od_account_get_port (b));
          g_assert (od_account_get_security (a) == od_account_get_security (b));
          g_assert (g_strcmp0 (od_account_get_address (a), od_account_get_address (b)) == 0);
          g_assert (g_strcmp0 (od_account_get_username (a), od_account_get_username (b)) == 0);
        }
    }

  empty_dir ();
  return 0;
}
