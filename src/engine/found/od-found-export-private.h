/* od-found-export-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-found-export.h"

G_BEGIN_DECLS

struct _OdFoundExport
{
  /* Owned */
  OdAccount           *account;
  char                *origin;
  char                *name;                /* msmtp account, git identity, aerc section */
  char                *native_id;           /* as the client's reader names the account */
  char                *found_id;            /* ORIGIN:NATIVE-ID */
  char                *path;                /* the client's file */
  char                *other_path;          /* git: the other file git reads */
  char                *existing;            /* its contents; NULL when there is none */
  char                *text;                /* what is added */
  char                *replacement;         /* Thunderbird: the whole file as it will be */
  GPtrArray           *notes;               /* NULL-terminated */
  GHashTable          *attributes;          /* outgoing: the copy's, or our item's */
  GHashTable          *incoming_attributes; /* our incoming item's (LOOKUP) */
  char                *label;               /* the copy's */
  OdFoundExportSecret  secret;
  gboolean             incoming_item;       /* our keyring has an incoming item of its own */
  gboolean             git_libsecret;       /* git uses its libsecret credential helper */
  gboolean             reset_passwordeval;  /* msmtp: the defaults set passwordeval */
  gboolean             reset_password;      /* msmtp: the defaults set password */

  /* Evolution and GOA (od-found-export-desktop.c) */
  char                *home;
  char                *config_home;
  GPtrArray           *sources;             /* Evolution: account, identity, transport */
  GVariant            *goa_details;         /* GOA: AddAccount's details */
};

/* od-found-export.c */
void      od_found_export_add_note        (OdFoundExport  *self,
                                           char           *note);
gboolean  od_found_export_needs_login     (OdFoundExport  *self);
gboolean  od_found_export_has_incoming    (OdFoundExport  *self);
char     *od_found_export_url             (const char     *scheme,
                                           const char     *user,
                                           const char     *host,
                                           guint16         port,
                                           const char     *path);
char     *od_found_export_mailbox         (const char     *name,
                                           const char     *address);
char     *od_found_export_lookup_command  (GHashTable     *attributes,
                                           GError        **error);
const char *od_found_export_compare   (OdFoundExport  *self,
                                           OdFoundAccount *found);
const char *od_found_export_incoming_user (OdAccount   *account);
void      od_found_export_set_read_back_error (OdFoundExport  *self,
                                               const char     *difference,
                                               GError        **error);
gboolean  od_found_export_refuse_same_address (OdFoundExport  *self,
                                               GPtrArray      *found,
                                               GError        **error);
void      od_found_export_note_pins       (OdFoundExport  *self,
                                           const char     *host,
                                           guint16         port);

/* od-found-export-formats.c: the text of each client, and whether the file already has
 * an account of that name. */
gboolean  od_found_export_format_msmtp    (OdFoundExport  *self,
                                           GError        **error);
gboolean  od_found_export_format_git      (OdFoundExport  *self,
                                           GError        **error);
gboolean  od_found_export_format_neomutt  (OdFoundExport  *self,
                                           GError        **error);
gboolean  od_found_export_format_aerc     (OdFoundExport  *self,
                                           GError        **error);
gboolean  od_found_export_name_taken      (OdFoundExport  *self,
                                           const char     *contents);

/* od-found-export-file.c */
gboolean  od_found_export_file_check      (const char     *path,
                                           GError        **error);
gboolean  od_found_export_file_append     (const char     *path,
                                           const char     *expected,
                                           const char     *text,
                                           char          **backup,
                                           GError        **error);
char     *od_found_export_file_joined     (const char     *existing,
                                           const char     *text);

gboolean  od_found_export_file_replace    (const char     *path,
                                           const char     *expected,
                                           const char     *contents,
                                           char          **backup,
                                           GError        **error);

/* od-found-export-thunderbird.c */
gboolean  od_found_export_plan_thunderbird  (OdFoundExport        *self,
                                             const OdFoundContext *context,
                                             GError              **error);
gboolean  od_found_export_check_thunderbird (OdFoundExport  *self,
                                             GError        **error);

/* od-found-export-desktop.c */
gboolean  od_found_export_plan_desktop    (OdFoundExport        *self,
                                           const OdFoundContext *context,
                                           GError              **error);
gboolean  od_found_export_check_desktop   (OdFoundExport  *self,
                                           GError        **error);

G_END_DECLS
