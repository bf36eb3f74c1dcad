/* od-text.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * OdTextFlags:
 * @OD_TEXT_SINGLE_LINE: every control character becomes "?"
 * @OD_TEXT_KEEP_TAB: tabs stay
 * @OD_TEXT_KEEP_NEWLINE: line feeds stay (between the lines of a multiline text)
 *
 * What od_text_sanitize() lets through besides printable text.
 */
typedef enum
{
  OD_TEXT_SINGLE_LINE  = 0,
  OD_TEXT_KEEP_TAB     = 1 << 0,
  OD_TEXT_KEEP_NEWLINE = 1 << 1,
} OdTextFlags;

char     *od_text_sanitize  (const char  *text,
                             gssize       len,
                             OdTextFlags  flags);
gboolean  od_text_is_clean  (const char  *text,
                             gssize       len,
                             OdTextFlags  flags);

G_END_DECLS
