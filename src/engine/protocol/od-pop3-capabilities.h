/* od-pop3-capabilities.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "od-pop3-reply.h"

G_BEGIN_DECLS

/* What a POP3 server said it can do in its answer to CAPA (RFC 2449 §5). */
typedef struct
{
  char     **sasl_mechanisms;   /* SASL (RFC 5034): upper case, server's order, no duplicates */
  char      *implementation;    /* IMPLEMENTATION, sanitized; NULL when absent */
  int        login_delay;       /* LOGIN-DELAY in seconds; -1 when absent */
  guint      stls : 1;          /* STLS (RFC 2595) */
  guint      user : 1;          /* USER: USER/PASS login */
  guint      top : 1;
  guint      uidl : 1;
  guint      pipelining : 1;
  guint      resp_codes : 1;    /* RESP-CODES: "-ERR [CODE]" replies */
  guint      auth_resp_code : 1;/* AUTH-RESP-CODE (RFC 3206) */
  guint      utf8 : 1;          /* UTF8 (RFC 6856) */
} OdPop3Capabilities;

OdPop3Capabilities *od_pop3_capabilities_new_from_reply (const OdPop3Reply        *reply);
OdPop3Capabilities *od_pop3_capabilities_new_from_lines (const char * const       *lines);
OdPop3Capabilities *od_pop3_capabilities_copy           (const OdPop3Capabilities *caps);
void                od_pop3_capabilities_free           (OdPop3Capabilities       *caps);
gboolean            od_pop3_capabilities_has_sasl       (const OdPop3Capabilities *caps,
                                                         const char               *mechanism);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdPop3Capabilities, od_pop3_capabilities_free)

G_END_DECLS
