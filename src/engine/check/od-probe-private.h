/* od-probe-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-connect.h"
#include "od-deadline.h"
#include "od-diagnosis.h"
#include "od-probe.h"
#include "od-smtp-session.h"

G_BEGIN_DECLS

/* Shared by od-probe.c (the way to the server, SMTP) and od-probe-incoming.c (IMAP, POP3). */
struct _OdProbe
{
  GObject               parent_instance;

  /* Settings */
  char                 *host;
  guint16               port;
  OdSecurity            security;
  OdProtocol            protocol;
  char                 *ca_file;
  GStrv                 pinned;
  char                 *address;
  char                 *username;
  guint                 timeout_ms;
  guint16               connect_port;
  gboolean              network_available;
  GNetworkConnectivity  connectivity;
  OdLookupCache        *lookups;

  /* Outcome */
  gboolean              finished;
  OdProbeStatus         status;
  char                 *detail;
  OdProblem            *problem;
  OdTlsInfo            *tls_info;
  GStrv                 mechanisms;
  gboolean              starttls_offered;
  gboolean              login_disabled;
  gboolean              connected;
  gint64                connected_ms;   /* from the start until connected */
  gint64                elapsed_ms;
  gint64                started_us;

  /* Run state */
  GTask                *task;
  OdDeadline           *run;          /* no clock: the caller's cancellable, chained */
  GCancellable         *cancellable;  /* the run's */
  OdConnect            *connect;
  OdSmtpSession        *session;
  GObject              *incoming;     /* the OdImapSession or OdPop3Session */
  OdTranscript         *transcript;
  char                 *client_name;
};

void od_probe_diagnosis_context (OdProbe            *self,
                                 OdDiagnosisContext *ctx);
void od_probe_return_cancelled  (OdProbe            *self);
void od_probe_finish            (OdProbe            *self,
                                 OdProbeStatus       status,
                                 const char         *detail,
                                 OdProblem          *problem,
                                 gboolean            polite);
void od_probe_fail_with_error   (OdProbe            *self,
                                 const char         *step_id,
                                 const GError       *error);
void od_probe_fail_with_problem (OdProbe            *self,
                                 OdProbeStatus       status,
                                 OdProblemKind       kind,
                                 const char         *step_id);

/* od-probe-incoming.c */
void od_probe_incoming_greeting (OdProbe            *self);
void od_probe_incoming_stop     (OdProbe            *self,
                                 gboolean            polite);

G_END_DECLS
