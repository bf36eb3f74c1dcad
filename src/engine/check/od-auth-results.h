/* od-auth-results.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * OdAuthVerdict:
 *
 * One method's result in an Authentication-Results header (RFC 8601 §2.7, RFC 7208 §2.6 for
 * SPF, RFC 7489 §11.2 for DMARC); %OD_AUTH_VERDICT_ABSENT when the method is not there.
 */
typedef enum
{
  OD_AUTH_VERDICT_ABSENT,
  OD_AUTH_VERDICT_PASS,
  OD_AUTH_VERDICT_FAIL,
  OD_AUTH_VERDICT_SOFTFAIL,
  OD_AUTH_VERDICT_NEUTRAL,
  OD_AUTH_VERDICT_NONE,
  OD_AUTH_VERDICT_TEMPERROR,
  OD_AUTH_VERDICT_PERMERROR,
  OD_AUTH_VERDICT_POLICY,
  OD_AUTH_VERDICT_OTHER,     /* a result word we do not know */
} OdAuthVerdict;

typedef enum
{
  OD_AUTH_METHOD_SPF,
  OD_AUTH_METHOD_DKIM,
  OD_AUTH_METHOD_DMARC,
  OD_N_AUTH_METHODS
} OdAuthMethod;

/**
 * OdAuthResults:
 * @authserv_id: the server that added the headers the verdicts come from
 * @verdicts: SPF, DKIM and DMARC, by #OdAuthMethod
 * @n_headers: how many Authentication-Results headers the message had
 * @n_ignored: how many of them were left out (another authserv-id)
 */
typedef struct
{
  char          *authserv_id;
  OdAuthVerdict  verdicts[OD_N_AUTH_METHODS];
  guint          n_headers;
  guint          n_ignored;
} OdAuthResults;

void            od_mail_init                (void);
gboolean        od_mail_header_parse        (GBytes               *header,
                                             char                **message_id,
                                             GPtrArray           **auth_results,
                                             GError              **error);

OdAuthResults  *od_auth_results_new         (void);
void            od_auth_results_free        (OdAuthResults        *results);
gboolean        od_auth_results_add_header  (OdAuthResults        *results,
                                             const char           *value,
                                             const char           *trusted_authserv_id);
OdAuthResults  *od_auth_results_choose      (GPtrArray            *values,
                                             const char           *trusted_authserv_id);
gboolean        od_auth_results_has_failure (const OdAuthResults  *results,
                                             OdAuthMethod          method);
char           *od_auth_results_explain     (const OdAuthResults  *results,
                                             OdAuthMethod          method);
JsonNode       *od_auth_results_to_json     (const OdAuthResults  *results);

const char     *od_auth_verdict_to_string   (OdAuthVerdict         verdict);
const char     *od_auth_method_to_string    (OdAuthMethod          method);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OdAuthResults, od_auth_results_free)

G_END_DECLS
