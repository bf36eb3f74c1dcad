/* od-fuzz-found.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* What every found account a dotfile reader returns must be, whatever the file: an id of its
 * origin, a usable server, valid UTF-8 everywhere, a keyring item only with KEYRING, JSON. */

#include <string.h>

#include "od-found-account.h"
#include "od-found-dotfile.h"

static inline void
od_fuzz_check_found (GPtrArray  *found,
                     const char *origin,
                     gboolean    ok,
                     GError     *error)
{
  g_assert (ok == (error == NULL));
  if (error != NULL)
    g_assert (g_utf8_validate (error->message, -1, NULL));
  g_assert (found->len <= OD_FOUND_DOTFILE_MAX_ACCOUNTS);

  for (guint i = 0; i < found->len; i++)
    {
      OdFoundAccount *account = found->pdata[i];
      OdAccount *settings = od_found_account_get_account (account);
      const char * const *notes = od_found_account_get_notes (account);
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *json = NULL;
      g_autofree char *prefix = g_strconcat (origin, ":", NULL);

      g_assert (g_str_has_prefix (od_found_account_get_id (account), prefix));
      g_assert (g_utf8_validate (od_found_account_get_id (account), -1, NULL));
      g_assert (od_found_dotfile_host_ok (od_account_get_host (settings)));
      g_assert (od_account_get_port (settings) > 0);
      g_assert (g_utf8_validate (od_account_get_address (settings), -1, NULL));
      g_assert (od_account_get_username (settings) == NULL
                || g_utf8_validate (od_account_get_username (settings), -1, NULL));
      g_assert (od_account_get_display_name (settings) == NULL
                || g_utf8_validate (od_account_get_display_name (settings), -1, NULL));
      if (od_account_get_incoming_host (settings) != NULL)
        g_assert (od_found_dotfile_host_ok (od_account_get_incoming_host (settings)));
      for (guint n = 0; notes[n] != NULL; n++)
        g_assert (g_utf8_validate (notes[n], -1, NULL));
      if (od_found_account_get_secret (account) != OD_FOUND_SECRET_KEYRING)
        g_assert (g_hash_table_size (od_found_account_get_keyring_attributes (account)) == 0);
      node = od_found_account_to_json (account);
      json = json_to_string (node, FALSE);
      g_assert (json != NULL);
    }
}
