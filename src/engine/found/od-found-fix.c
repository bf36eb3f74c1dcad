/* od-found-fix.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <glib/gi18n.h>

#include "od-found-fix.h"
#include "od-found-fix-evolution.h"
#include "od-found-fix-goa.h"
#include "od-found-fix-files.h"

/* Fixing an account where it lives: one fixer per client (OdFoundFixer), chosen by the
 * account's origin; every client Outbox Doctor reads has one (GOA's says what to change in
 * Settings, since GOA 3.46 cannot be changed from outside). */

static const struct
{
  const char   *origin;
  OdFoundFixer  fix;
} fixers[] = {
  { OD_ORIGIN_EVOLUTION, od_found_fix_evolution },
  { OD_ORIGIN_GOA, od_found_fix_goa },
  { OD_ORIGIN_GEARY, od_found_fix_geary },
  { OD_ORIGIN_THUNDERBIRD, od_found_fix_thunderbird },
  { OD_ORIGIN_KMAIL, od_found_fix_kmail },
  { OD_ORIGIN_MSMTP, od_found_fix_msmtp },
  { OD_ORIGIN_GIT, od_found_fix_git },
  { OD_ORIGIN_NEOMUTT, od_found_fix_neomutt },
  { OD_ORIGIN_AERC, od_found_fix_aerc },
};

/**
 * od_found_fix_is_empty:
 *
 * Returns: whether @fix changes nothing
 */
gboolean
od_found_fix_is_empty (const OdFoundFix *fix)
{
  g_return_val_if_fail (fix != NULL, TRUE);

  return fix->host == NULL && fix->port == 0 && !fix->set_security && fix->username == NULL;
}

/**
 * od_found_fix_apply:
 *
 * Makes @fix in the configuration of @found's client (see #OdFoundFixer).
 *
 * Returns: %TRUE when the change was made; errors are G_IO_ERROR_NOT_SUPPORTED for a client
 *   Outbox Doctor cannot change, or the fixer's own
 */
gboolean
od_found_fix_apply (const OdFoundContext  *context,
                    OdFoundAccount        *found,
                    const OdFoundFix      *fix,
                    char                 **backup,
                    GError               **error)
{
  const char *origin;

  g_return_val_if_fail (context != NULL, FALSE);
  g_return_val_if_fail (OD_IS_FOUND_ACCOUNT (found), FALSE);
  g_return_val_if_fail (fix != NULL && !od_found_fix_is_empty (fix), FALSE);

  if (backup != NULL)
    *backup = NULL;

  origin = od_found_account_get_origin (found);
  for (guint i = 0; i < G_N_ELEMENTS (fixers); i++)
    if (g_str_equal (fixers[i].origin, origin))
      return fixers[i].fix (context, found, fix, backup, error);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               /* Translators: %s is a mail program, "KMail" */
               _("Outbox Doctor cannot change the settings of %s yet: change them there."),
               od_found_origin_get_name (origin));
  return FALSE;
}
