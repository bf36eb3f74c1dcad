/* od-found-mail-util.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Helpers the readers of the graphical mail clients (Thunderbird, Geary, KMail) share. */

/* The most accounts one reader returns, and the most entries it looks at. */
#define OD_FOUND_MAX_ACCOUNTS 100

gboolean  od_found_parse_port          (const char  *text,
                                        guint16     *port);
char     *od_found_real_path_in_home   (const char  *path,
                                        const char  *home,
                                        GError     **error);
gboolean  od_found_finish_problems     (GPtrArray   *found,
                                        guint        first,
                                        GPtrArray   *problems,
                                        GError     **error);

G_END_DECLS
