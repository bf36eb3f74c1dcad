/* od-smtp-capabilities.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "od-smtp-reply.h"
#include "od-types.h"

G_BEGIN_DECLS

/* What a server said it can do in its EHLO reply. */
struct _OdSmtpCapabilities
{
  char     **auth_mechanisms;   /* upper case, in the server's order, no duplicates */
  guint64    size_limit;        /* SIZE n; 0 when absent or "no fixed limit" */
  guint      starttls : 1;
  guint      pipelining : 1;
  guint      enhanced_status_codes : 1;
  guint      eightbitmime : 1;
  guint      smtputf8 : 1;
  guint      chunking : 1;
  guint      size_advertised : 1;
  char      *server_name;       /* the first word of the first line */
};

OdSmtpCapabilities *od_smtp_capabilities_new_from_reply (const OdSmtpReply        *reply);
OdSmtpCapabilities *od_smtp_capabilities_new_from_text  (const char               *data,
                                                         gsize                     len);
OdSmtpCapabilities *od_smtp_capabilities_copy           (const OdSmtpCapabilities *caps);
void                od_smtp_capabilities_free           (OdSmtpCapabilities       *caps);
gboolean            od_smtp_capabilities_has_auth       (const OdSmtpCapabilities *caps,
                                                         const char               *mechanism);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdSmtpCapabilities, od_smtp_capabilities_free)

G_END_DECLS
