/* od-found-fix.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-found-accounts.h"

G_BEGIN_DECLS

/**
 * OdFoundFix:
 * @host: (nullable): the outgoing server's new host name, or %NULL to keep it
 * @port: the new port, or 0 to keep it
 * @security: the new encryption, when @set_security
 * @set_security: whether @security is part of the fix
 * @username: (nullable): the new user name, or %NULL to keep it
 *
 * A change to an account's outgoing settings, to be made in the client's own configuration
 * (`accounts fix ID --host … --port … --security … --user …`).
 */
typedef struct
{
  const char *host;
  guint16     port;
  OdSecurity  security;
  gboolean    set_security;
  const char *username;
} OdFoundFix;

/**
 * OdFoundFixer:
 * @context: where the client's files are (the reader's context)
 * @found: the account as the client's reader found it
 * @fix: what to change
 * @backup: (out) (optional) (transfer full): the backup written beside the file, when the
 *   fixer edited a file
 *
 * Makes @fix in the client's configuration. A fixer changes only what @fix names and
 * keeps everything else as it was (every other byte of a file); it refuses, with an error
 * in words for the person, what it cannot do safely (a client that is running, a file that
 * is read-only or a symbolic link, a setting the client keeps elsewhere). It does not
 * verify: the caller reads the configuration back through the client's reader and checks
 * it.
 *
 * Returns: %TRUE when the change was made
 */
typedef gboolean (*OdFoundFixer) (const OdFoundContext  *context,
                                  OdFoundAccount        *found,
                                  const OdFoundFix      *fix,
                                  char                 **backup,
                                  GError               **error);

gboolean od_found_fix_is_empty (const OdFoundFix      *fix);
gboolean od_found_fix_apply    (const OdFoundContext  *context,
                                OdFoundAccount        *found,
                                const OdFoundFix      *fix,
                                char                 **backup,
                                GError               **error);

G_END_DECLS
