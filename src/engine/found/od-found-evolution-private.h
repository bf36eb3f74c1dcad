/* od-found-evolution-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

/* libedataserver 3.46's e-flag.h still declares a function with GTimeVal. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#include <libedataserver/libedataserver.h>
G_GNUC_END_IGNORE_DEPRECATIONS

#include "od-found-evolution.h"

G_BEGIN_DECLS

/* What Evolution's reader and its fixer share: the way to the registry and to an account's
 * transport. Only for files of the found/ folder that use libedataserver themselves. */

ESourceRegistry *od_found_evolution_registry_new               (GCancellable     *cancellable,
                                                                GError          **error);
char            *od_found_evolution_dup_goa_account_id         (ESourceRegistry  *registry,
                                                                ESource          *source);
gboolean         od_found_evolution_ref_identity_and_transport (ESourceRegistry  *registry,
                                                                ESource          *account_source,
                                                                ESource         **identity,
                                                                ESource         **transport);
const char      *od_found_evolution_security_method            (OdSecurity        security);

G_END_DECLS
