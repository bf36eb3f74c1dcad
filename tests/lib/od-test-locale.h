/* od-test-locale.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean od_test_locale_use                 (const char *language);
void     od_test_locale_assert_no_english  (const char *report);

G_END_DECLS
