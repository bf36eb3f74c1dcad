/* od-found-readers.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "od-found-aerc.h"
#include "od-found-evolution.h"
#include "od-found-geary.h"
#include "od-found-git.h"
#include "od-found-goa.h"
#include "od-found-kmail.h"
#include "od-found-msmtp.h"
#include "od-found-neomutt.h"
#include "od-found-readers.h"
#include "od-found-thunderbird.h"

/* Every client's reader, in the order their accounts are listed: the desktop's own
 * accounts first (GNOME Online Accounts before Evolution, whose copies of GOA's accounts it
 * points to), then the graphical mail clients, then the programs of the terminal. docs/found-accounts.md has the
 * table of origins and ids. */
static const OdFoundReaderInfo readers[] = {
  { OD_ORIGIN_GOA, od_found_read_goa },
  { OD_ORIGIN_EVOLUTION, od_found_read_evolution },
  { OD_ORIGIN_GEARY, od_found_read_geary },
  { OD_ORIGIN_THUNDERBIRD, od_found_read_thunderbird },
  { OD_ORIGIN_KMAIL, od_found_read_kmail },
  { OD_ORIGIN_MSMTP, od_found_msmtp_read },
  { OD_ORIGIN_GIT, od_found_git_read },
  { OD_ORIGIN_NEOMUTT, od_found_neomutt_read },
  { OD_ORIGIN_AERC, od_found_aerc_read },
};

/**
 * od_found_get_readers:
 * @n_readers: (out): how many
 *
 * Returns: (transfer none) (array length=n_readers): every client's reader, each origin
 *   once
 */
const OdFoundReaderInfo *
od_found_get_readers (guint *n_readers)
{
  g_return_val_if_fail (n_readers != NULL, NULL);

  *n_readers = G_N_ELEMENTS (readers);
  return readers;
}
