/* od-prefs-js.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The subset of JavaScript a Mozilla prefs.js holds: `user_pref("name", value);` statements
 * with a string, an integer or true/false as value, between // and block comments. Tokenized,
 * never evaluated. */

/* Bounds: more preferences than this, or longer names, are not read. */
#define OD_PREFS_JS_MAX_PREFS    20000
#define OD_PREFS_JS_MAX_NAME     512

GHashTable *od_prefs_js_parse (const char *text,
                               gsize       length,
                               guint      *n_skipped);

/* One statement and where it is (byte offsets in the text). */
typedef struct
{
  char  *name;
  char  *value;         /* as od_prefs_js_parse() gives it */
  gsize  start;         /* "user_pref" */
  gsize  value_start;   /* the value as written */
  gsize  value_end;
  gsize  end;           /* after its ";" */
} OdPrefsJsStatement;

void        od_prefs_js_statement_free   (OdPrefsJsStatement *statement);
GPtrArray  *od_prefs_js_parse_statements (const char         *text,
                                          gsize               length);

G_END_DECLS
