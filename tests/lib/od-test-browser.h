/* od-test-browser.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean od_test_browser_register (const char  *dir,
                                   const char  *browser,
                                   GError     **error);
char    *od_test_browser_find     (void);

G_END_DECLS
