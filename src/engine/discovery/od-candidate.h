/* od-candidate.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "od-discovery-source.h"
#include "od-problem.h"
#include "od-tls-info.h"
#include "od-types.h"

G_BEGIN_DECLS

/**
 * OdCandidateStatus:
 * @OD_CANDIDATE_PENDING: not probed yet
 * @OD_CANDIDATE_PROBING: being probed
 * @OD_CANDIDATE_OK: a mail server answered, with verified encryption
 * @OD_CANDIDATE_REFUSED: nothing listens on the port
 * @OD_CANDIDATE_TIMEOUT: no answer within the deadline (connect, TLS or a reply)
 * @OD_CANDIDATE_TLS_ERROR: the certificate was not accepted, or TLS failed
 * @OD_CANDIDATE_NO_SMTP: something answered that is not an SMTP server
 * @OD_CANDIDATE_UNREACHABLE: no route to the host
 * @OD_CANDIDATE_DNS_ERROR: the host name could not be looked up
 * @OD_CANDIDATE_ERROR: any other failure (see the problem)
 * @OD_CANDIDATE_SKIPPED: not probed, or stopped because it was not needed
 */
typedef enum
{
  OD_CANDIDATE_PENDING,
  OD_CANDIDATE_PROBING,
  OD_CANDIDATE_OK,
  OD_CANDIDATE_REFUSED,
  OD_CANDIDATE_TIMEOUT,
  OD_CANDIDATE_TLS_ERROR,
  OD_CANDIDATE_NO_SMTP,
  OD_CANDIDATE_UNREACHABLE,
  OD_CANDIDATE_DNS_ERROR,
  OD_CANDIDATE_ERROR,
  OD_CANDIDATE_SKIPPED,
} OdCandidateStatus;

/**
 * OdUntrusted:
 * @OD_UNTRUSTED_NO: trusted: the provider database, HTTPS autoconfig of the address's own
 *   domain, a host within the address's registrable domain, or a certificate valid for the
 *   mail domain
 * @OD_UNTRUSTED_HTTP: fetched over plain http://, which anyone on the way could change
 * @OD_UNTRUSTED_DNS: a DNS record (SRV) points outside the address's domain; DNS answers
 *   are not authenticated
 * @OD_UNTRUSTED_HOSTING: the hosting company the domain's MX records point to (the detail
 *   names its domain)
 * @OD_UNTRUSTED_REDIRECT: the domain's HTTPS autoconfig redirected to another domain (the
 *   detail names it)
 *
 * Why a setting that may work is not trusted with the password until someone confirms it.
 */
typedef enum
{
  OD_UNTRUSTED_NO,
  OD_UNTRUSTED_HTTP,
  OD_UNTRUSTED_DNS,
  OD_UNTRUSTED_HOSTING,
  OD_UNTRUSTED_REDIRECT,
} OdUntrusted;

#define OD_TYPE_CANDIDATE (od_candidate_get_type ())

G_DECLARE_FINAL_TYPE (OdCandidate, od_candidate, OD, CANDIDATE, GObject)

OdCandidate        *od_candidate_new                 (const char         *host,
                                                      guint16             port,
                                                      OdSecurity          security,
                                                      OdSourceKind        source,
                                                      gboolean            trusted);
const char         *od_candidate_get_host            (OdCandidate        *self);
OdProtocol          od_candidate_get_protocol        (OdCandidate        *self);
gboolean            od_candidate_get_login_disabled  (OdCandidate        *self);
gboolean            od_candidate_get_offers_login    (OdCandidate        *self);
guint16             od_candidate_get_port            (OdCandidate        *self);
OdSecurity          od_candidate_get_security        (OdCandidate        *self);
OdSourceKind        od_candidate_get_source          (OdCandidate        *self);
OdSourceFlags       od_candidate_get_proposed_by     (OdCandidate        *self);
gboolean            od_candidate_get_trusted         (OdCandidate        *self);
gboolean            od_candidate_get_inbound         (OdCandidate        *self);
OdUntrusted         od_candidate_get_untrusted       (OdCandidate        *self);
const char         *od_candidate_get_untrusted_detail (OdCandidate       *self);
char               *od_candidate_dup_why             (OdCandidate        *self);
char               *od_untrusted_describe            (OdUntrusted         untrusted,
                                                      const char         *detail);
const char         *od_candidate_get_username        (OdCandidate        *self);
void                od_candidate_set_username        (OdCandidate        *self,
                                                      const char         *username);
gboolean            od_candidate_get_username_supplied (OdCandidate      *self);
OdCandidateStatus   od_candidate_get_status          (OdCandidate        *self);
gboolean            od_candidate_is_finished         (OdCandidate        *self);
const char         *od_candidate_get_detail          (OdCandidate        *self);
OdTlsInfo          *od_candidate_get_tls_info        (OdCandidate        *self);
const char * const *od_candidate_get_auth_mechanisms (OdCandidate        *self);
gboolean            od_candidate_get_starttls        (OdCandidate        *self);
gint64              od_candidate_get_elapsed_ms      (OdCandidate        *self);
OdProblem          *od_candidate_get_problem         (OdCandidate        *self);
JsonNode           *od_candidate_to_json             (OdCandidate        *self);

const char         *od_candidate_status_to_string    (OdCandidateStatus   status);

G_END_DECLS
