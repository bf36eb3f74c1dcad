/* od-found-fix-files.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib/gstdio.h>

#include "od-found-fix.h"

G_BEGIN_DECLS

/* Fixing the accounts of the clients that keep them in files (msmtp, git send-email,
 * NeoMutt, aerc, Thunderbird, Geary, KMail): the file is edited in place, a few bytes
 * spliced in, every other byte kept, after a backup beside it, atomically. */

/* The name of a backup: FILE + this + "-YYYYMMDD-HHMMSS" (local time), "-2", "-3", … when
 * one of that name exists. */
#define OD_FOUND_FIX_BACKUP_SUFFIX ".outbox-doctor-backup"

/* The fixers of the file-based clients, for the table in od-found-fix.c (#OdFoundFixer). */
gboolean od_found_fix_msmtp       (const OdFoundContext  *context,
                                   OdFoundAccount        *found,
                                   const OdFoundFix      *fix,
                                   char                 **backup,
                                   GError               **error);
gboolean od_found_fix_git         (const OdFoundContext  *context,
                                   OdFoundAccount        *found,
                                   const OdFoundFix      *fix,
                                   char                 **backup,
                                   GError               **error);
gboolean od_found_fix_neomutt     (const OdFoundContext  *context,
                                   OdFoundAccount        *found,
                                   const OdFoundFix      *fix,
                                   char                 **backup,
                                   GError               **error);
gboolean od_found_fix_aerc        (const OdFoundContext  *context,
                                   OdFoundAccount        *found,
                                   const OdFoundFix      *fix,
                                   char                 **backup,
                                   GError               **error);
gboolean od_found_fix_thunderbird (const OdFoundContext  *context,
                                   OdFoundAccount        *found,
                                   const OdFoundFix      *fix,
                                   char                 **backup,
                                   GError               **error);
gboolean od_found_fix_geary       (const OdFoundContext  *context,
                                   OdFoundAccount        *found,
                                   const OdFoundFix      *fix,
                                   char                 **backup,
                                   GError               **error);
gboolean od_found_fix_kmail       (const OdFoundContext  *context,
                                   OdFoundAccount        *found,
                                   const OdFoundFix      *fix,
                                   char                 **backup,
                                   GError               **error);

/* A text being edited: the original bytes and the splices to make in them. */
typedef struct
{
  gsize start;    /* the line's first byte */
  gsize length;   /* its bytes without the line end (LF or CRLF) */
  gsize next;     /* the first byte of the next line: start + length + the line end */
} OdFixLine;

typedef struct _OdFixText OdFixText;

OdFixText       *od_fix_text_new                (const char       *contents,
                                                 gsize             length);
void             od_fix_text_free               (OdFixText        *text);
const char      *od_fix_text_get_contents       (OdFixText        *text);
guint            od_fix_text_get_n_lines        (OdFixText        *text);
const OdFixLine *od_fix_text_get_line           (OdFixText        *text,
                                                 guint             index);
char            *od_fix_text_dup_line           (OdFixText        *text,
                                                 guint             index);
guint            od_fix_text_line_at            (OdFixText        *text,
                                                 gsize             offset);
void             od_fix_text_splice             (OdFixText        *text,
                                                 gsize             offset,
                                                 gsize             remove,
                                                 const char       *insert);
void             od_fix_text_insert_line_after  (OdFixText        *text,
                                                 guint             index,
                                                 const char       *line);
void             od_fix_text_insert_line_before (OdFixText        *text,
                                                 guint             index,
                                                 const char       *line);
char            *od_fix_text_render             (OdFixText        *text,
                                                 gsize            *length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdFixText, od_fix_text_free)

/* One client's part of a fix; the rest is od_fix_file(). */
typedef struct
{
  /* (nullable) FALSE with @error when the client is running and would undo the change. */
  gboolean         (*check_idle) (OdFoundAccount    *found,
                                  GError           **error);
  /* Makes @fix (only what differs from @found) in @text; FALSE with @error when it cannot. */
  gboolean         (*edit)       (OdFixText         *text,
                                  OdFoundAccount    *found,
                                  const OdFoundFix  *fix,
                                  GError           **error);
  /* The account @found as the client reads it from @contents (NUL-terminated), or NULL. */
  OdFoundAccount  *(*reread)     (const char        *contents,
                                  gsize              length,
                                  OdFoundAccount    *found);
} OdFixFileClient;

gboolean  od_fix_file              (const OdFixFileClient  *client,
                                    OdFoundAccount         *found,
                                    const OdFoundFix       *fix,
                                    char                  **backup,
                                    GError                **error);

gboolean  od_fix_validate          (const OdFoundFix       *fix,
                                    GError                **error);
gboolean  od_fix_load_file         (const char             *path,
                                    char                  **contents,
                                    gsize                  *length,
                                    GStatBuf               *st,
                                    GError                **error);
gboolean  od_fix_replace_file      (const char             *path,
                                    const GStatBuf         *st,
                                    const char             *old_contents,
                                    gsize                   old_length,
                                    const char             *contents,
                                    gsize                   length,
                                    char                  **backup,
                                    GError                **error);
gboolean  od_fix_process_running   (const char * const     *names);
gboolean  od_fix_refuse_running    (const char * const     *names,
                                    const char             *client,
                                    GError                **error);
OdFoundAccount *od_fix_find_account (GPtrArray             *accounts,
                                     OdFoundAccount        *found);
char     *od_fix_prefs_js_string   (const char             *value);
void      od_fix_prefs_set         (OdFixText              *text,
                                    GPtrArray              *statements,
                                    const char             *name,
                                    const char             *literal);
char     *od_fix_url               (const char             *url,
                                    const char             *scheme,
                                    const OdFoundFix       *fix,
                                    GError                **error);

G_END_DECLS
