/* od-imap-capabilities.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "od-imap-response.h"

G_BEGIN_DECLS

/* What an IMAP server said it can do: "* CAPABILITY …" or a "[CAPABILITY …]" code. */
typedef struct _OdImapCapabilities OdImapCapabilities;

struct _OdImapCapabilities
{
  char     **names;             /* every capability, upper case, in the server's order,
                                 * no duplicates */
  char     **auth_mechanisms;   /* of AUTH=…, upper case, no duplicates */
  guint      imap4rev1 : 1;
  guint      imap4rev2 : 1;
  guint      starttls : 1;
  guint      login_disabled : 1;
  guint      sasl_ir : 1;       /* RFC 4959: an initial response on the AUTHENTICATE line */
  guint      literal_plus : 1;  /* RFC 7888 LITERAL+: {n+} of any size */
  guint      literal_minus : 1; /* RFC 7888 LITERAL-: {n+} up to 4096 bytes */
  guint      quota : 1;         /* RFC 9208, QUOTA or QUOTA=RES-… */
  guint      special_use : 1;   /* RFC 6154 */
  guint      idle : 1;          /* RFC 2177 */
};

OdImapCapabilities *od_imap_capabilities_new               (const char               *list);
OdImapCapabilities *od_imap_capabilities_new_from_response (const OdImapResponse     *response);
OdImapCapabilities *od_imap_capabilities_copy              (const OdImapCapabilities *caps);
void                od_imap_capabilities_free              (OdImapCapabilities       *caps);
gboolean            od_imap_capabilities_has               (const OdImapCapabilities *caps,
                                                            const char               *name);
gboolean            od_imap_capabilities_has_auth          (const OdImapCapabilities *caps,
                                                            const char               *mechanism);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdImapCapabilities, od_imap_capabilities_free)

G_END_DECLS
