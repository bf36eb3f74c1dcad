/* od-kconfig.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A KDE configuration file (KConfig's INI dialect) as a GKeyFile. */
GKeyFile *od_kconfig_load      (const char  *text,
                                gsize        length,
                                guint       *n_skipped,
                                GError     **error);
char     *od_kconfig_get_string (GKeyFile   *keyfile,
                                 const char *group,
                                 const char *key);

G_END_DECLS
