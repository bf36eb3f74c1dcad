/* od-provider-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-provider.h"

G_BEGIN_DECLS

/* Filled by the autoconfig parser, then immutable. */
struct _OdProvider
{
  gatomicrefcount   ref_count;
  char             *id;
  char             *display_name;
  char             *short_name;
  char            **domains;
  char            **mx_suffixes;
  GPtrArray        *outgoing;
  GPtrArray        *incoming;
  char             *documentation_url;
  char             *note;
  guint             needs_app_password : 1;
  guint             oauth_only : 1;
  guint             oauth_or_app_password : 1;
  guint             no_smtp : 1;
  OdProviderOAuth2 *oauth2;
};

OdProvider *od_provider_new (void);

G_END_DECLS
