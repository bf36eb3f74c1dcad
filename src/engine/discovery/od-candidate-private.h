/* od-candidate-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-candidate.h"
#include "od-probe.h"

G_BEGIN_DECLS

/* Used by discovery only: a candidate's outcome is written by it. */
void     od_candidate_set_status         (OdCandidate        *self,
                                          OdCandidateStatus   status,
                                          const char         *detail);
void     od_candidate_set_result         (OdCandidate        *self,
                                          OdCandidateStatus   status,
                                          const char         *detail,
                                          OdTlsInfo          *tls_info,
                                          const char * const *auth_mechanisms,
                                          gboolean            starttls,
                                          OdProblem          *problem);
void     od_candidate_take_probe_outcome (OdCandidate        *self,
                                          OdProbe            *probe);
void     od_candidate_set_protocol       (OdCandidate        *self,
                                          OdProtocol          protocol);
void     od_candidate_set_elapsed_ms     (OdCandidate        *self,
                                          gint64              elapsed_ms);
void     od_candidate_reset              (OdCandidate        *self);
gboolean od_candidate_upgrade_source     (OdCandidate        *self,
                                          OdSourceKind        source,
                                          OdUntrusted         untrusted,
                                          const char         *untrusted_detail,
                                          guint               order);
void     od_candidate_set_untrusted      (OdCandidate        *self,
                                          OdUntrusted         untrusted,
                                          const char         *untrusted_detail);
void     od_candidate_add_proposer       (OdCandidate        *self,
                                          OdSourceKind        source);
void     od_candidate_set_username_supplied (OdCandidate     *self,
                                          gboolean            supplied);
guint    od_candidate_get_order          (OdCandidate        *self);
void     od_candidate_set_order          (OdCandidate        *self,
                                          guint               order);
gboolean od_candidate_get_connected      (OdCandidate        *self);
void     od_candidate_set_inbound        (OdCandidate        *self);
gint64   od_candidate_get_connect_ms     (OdCandidate        *self);

G_END_DECLS
