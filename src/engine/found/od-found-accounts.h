/* od-found-accounts.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-found-account.h"

G_BEGIN_DECLS

/* Finding the accounts of every mail client at once: each client's reader runs in a worker
 * thread of its own, all at the same time, under one deadline. A client whose reader fails
 * (a broken file, no GOA on the bus) or is still reading when the deadline comes is
 * reported for that client; the others' accounts are there all the same. */

#define OD_FOUND_DEFAULT_TIMEOUT_MS 3000

typedef struct
{
  const char    *origin;   /* one of the OD_ORIGIN_… names */
  OdFoundReader  read;
} OdFoundReaderInfo;

typedef struct
{
  char      *origin;
  GPtrArray *accounts;     /* of OdFoundAccount, in the reader's order */
  GError    *error;        /* NULL, the reader's error, or G_IO_ERROR_TIMED_OUT */
  gint64     elapsed_us;   /* -1 when it did not finish in time */
} OdFoundResult;

void        od_found_result_free          (OdFoundResult            *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdFoundResult, od_found_result_free)

void        od_found_accounts_find_async  (const OdFoundReaderInfo  *readers,
                                           guint                     n_readers,
                                           const char               *home,
                                           const char               *config_home,
                                           guint                     timeout_ms,
                                           GCancellable             *cancellable,
                                           GAsyncReadyCallback       callback,
                                           gpointer                  user_data);
GPtrArray  *od_found_accounts_find_finish (GAsyncResult             *result,
                                           GError                  **error);

G_END_DECLS
