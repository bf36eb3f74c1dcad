/* od-test-message.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *od_test_message_new (const char *from,
                           const char *to,
                           GDateTime  *date);
char *od_test_message_new_with_id (const char  *from,
                                   const char  *to,
                                   GDateTime   *date,
                                   char       **message_id);

G_END_DECLS
