/* od-found-dotfile.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-found-account.h"

G_BEGIN_DECLS

/* What the readers of text configuration files (msmtp, git, neomutt, aerc) share. */

/* At most this many accounts from one client. */
#define OD_FOUND_DOTFILE_MAX_ACCOUNTS 100

gboolean  od_found_dotfile_read          (const char      *path,
                                          char           **contents,
                                          GError         **error);
gboolean  od_found_dotfile_split_mailbox (const char      *text,
                                          char           **name,
                                          char           **address);
char     *od_found_dotfile_next_line     (const char     **cursor,
                                          const char      *end);
gboolean  od_found_dotfile_parse_port    (const char      *text,
                                          guint16         *port);
gboolean  od_found_dotfile_host_ok       (const char      *host);

G_END_DECLS
