/* od-redact.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define OD_REDACTED "********"

/* A password shorter than this (in characters) cannot be searched for everywhere without
 * hiding innocent text: it is hidden only where it can be nothing else. */
#define OD_REDACT_MIN_CHARS 4

typedef struct _OdRedactor OdRedactor;

OdRedactor *od_redactor_new          (void);
void        od_redactor_free         (OdRedactor          *self);
void        od_redactor_add_secret   (OdRedactor          *self,
                                      const char          *secret);
gboolean    od_redactor_is_empty     (OdRedactor          *self);
gsize       od_redactor_get_longest  (OdRedactor          *self);
char       *od_redactor_redact       (OdRedactor          *self,
                                      const char          *text);
char      **od_redactor_redact_lines (OdRedactor          *self,
                                      const char * const  *lines,
                                      const gsize         *skips);
char       *od_redactor_redact_short (OdRedactor          *self,
                                      const char          *text);
char       *od_redactor_redact_cut   (OdRedactor          *self,
                                      const char          *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdRedactor, od_redactor_free)

G_END_DECLS
