/* od-found-account.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-account.h"

G_BEGIN_DECLS

/* An account another mail client keeps (GNOME Online Accounts, Evolution, Geary,
 * Thunderbird, KMail, msmtp, git send-email, neomutt, aerc), read from that client's own
 * configuration, never changed, never executed. Its settings are an OdAccount whose id is
 * "ORIGIN:NATIVE-ID" (docs/found-accounts.md has the table), so every check of a saved
 * account works on it as it is; what is particular to a found account is here: where it
 * came from, and where its secret is. */

/* Origins: the "origin" member of the JSON. */
#define OD_ORIGIN_OUTBOX_DOCTOR "outbox-doctor"
#define OD_ORIGIN_GOA           "goa"
#define OD_ORIGIN_EVOLUTION     "evolution"
#define OD_ORIGIN_GEARY         "geary"
#define OD_ORIGIN_THUNDERBIRD   "thunderbird"
#define OD_ORIGIN_KMAIL         "kmail"
#define OD_ORIGIN_MSMTP         "msmtp"
#define OD_ORIGIN_GIT           "git"
#define OD_ORIGIN_NEOMUTT       "neomutt"
#define OD_ORIGIN_AERC          "aerc"

/**
 * OdFoundSecret:
 * @OD_FOUND_SECRET_ASK: the client keeps the password where we may not read it (KWallet,
 *   Thunderbird's store, a command): the person is asked for it
 * @OD_FOUND_SECRET_KEYRING: a libsecret item the client's configuration names or implies;
 *   od_found_account_get_keyring_attributes() has its attributes
 * @OD_FOUND_SECRET_GOA: GNOME Online Accounts hands the password out (PasswordBased)
 * @OD_FOUND_SECRET_GOA_OAUTH2: the account signs in with OAuth: GNOME Online Accounts hands
 *   out an access token at the moment of the check (OAuth2Based), which is used instead of a
 *   password (od_found_account_get_access_token_sync())
 */
typedef enum
{
  OD_FOUND_SECRET_ASK,
  OD_FOUND_SECRET_KEYRING,
  OD_FOUND_SECRET_GOA,
  OD_FOUND_SECRET_GOA_OAUTH2,
} OdFoundSecret;

#define OD_TYPE_FOUND_ACCOUNT (od_found_account_get_type ())

G_DECLARE_FINAL_TYPE (OdFoundAccount, od_found_account, OD, FOUND_ACCOUNT, GObject)

OdFoundAccount *od_found_account_new                    (const char      *origin,
                                                         const char      *native_id,
                                                         const char      *address);
const char     *od_found_account_get_id                 (OdFoundAccount  *self);
const char     *od_found_account_get_origin             (OdFoundAccount  *self);
const char     *od_found_account_get_native_id          (OdFoundAccount  *self);
const char     *od_found_account_get_provider           (OdFoundAccount  *self);
void            od_found_account_set_provider           (OdFoundAccount  *self,
                                                         const char      *provider);
OdAccount      *od_found_account_get_account            (OdFoundAccount  *self);

const char     *od_found_account_get_source_path        (OdFoundAccount  *self);
void            od_found_account_set_source_path        (OdFoundAccount  *self,
                                                         const char      *path);

OdFoundSecret   od_found_account_get_secret             (OdFoundAccount  *self);
void            od_found_account_set_secret             (OdFoundAccount  *self,
                                                         OdFoundSecret    secret);
GHashTable     *od_found_account_get_keyring_attributes (OdFoundAccount  *self);
void            od_found_account_set_keyring_attribute  (OdFoundAccount  *self,
                                                         const char      *name,
                                                         const char      *value);

const char * const *od_found_account_get_notes          (OdFoundAccount  *self);
void            od_found_account_add_note               (OdFoundAccount  *self,
                                                         const char      *note);

JsonNode       *od_found_account_to_json                (OdFoundAccount  *self);

gboolean        od_found_account_get_testable           (OdFoundAccount  *self);
const char     *od_found_origin_get_name                (const char      *origin);
const char     *od_found_secret_to_string               (OdFoundSecret   secret);

/* A reader: one client's configuration under @home (and @config_home, XDG_CONFIG_HOME),
 * read synchronously (it runs in a worker thread), adding what it finds to @found (of
 * OdFoundAccount). It returns FALSE with @error when the client's configuration could not
 * be read at all; a broken entry inside it is skipped with a note on the accounts around
 * it, or reported through @error when nothing could be read. It never runs a command found
 * in a file and never follows a path out of the places the client itself reads. */
typedef struct
{
  const char   *home;
  const char   *config_home;
  GCancellable *cancellable;
} OdFoundContext;

typedef gboolean (*OdFoundReader) (const OdFoundContext  *context,
                                   GPtrArray             *found,
                                   GError               **error);

/* The bounds every reader keeps: a configuration file larger than this is refused. */
#define OD_FOUND_MAX_FILE_SIZE (4 * 1024 * 1024)

gboolean        od_found_read_file                      (const char      *path,
                                                         char           **contents,
                                                         gsize           *length,
                                                         GError         **error);

G_END_DECLS
