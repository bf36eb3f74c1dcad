/* od-check-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-check.h"
#include "od-connect.h"
#include "od-deadline.h"
#include "od-diagnosis.h"
#include "od-encryption-sniff.h"
#include "od-imap-session.h"
#include "od-other-ports.h"
#include "od-pop3-session.h"
#include "od-smtp-session.h"

G_BEGIN_DECLS

typedef struct _OdCheckDelivery OdCheckDelivery;
typedef struct _OdCheckOAuth OdCheckOAuth;

/* The check's state, shared by od-check.c (the conversation) and od-check-outcome.c (how
 * steps end). */
struct _OdCheck
{
  GObject              parent_instance;

  /* Settings */
  char                *address;
  char                *host;
  char                *username;
  char                *password;
  char                *recipient;
  char                *ca_file;
  char               **pinned;
  char                *unconfirmed_why; /* the server needs a confirmation: where it came from */
  GHashTable          *other_pins;     /* another port → GStrv of fingerprints trusted there */
  guint16              port;
  OdSecurity           security;
  OdProtocol           protocol;
  guint                step_timeout_ms;
  guint                total_timeout_ms;
  guint                send_test : 1;
  OdCheckDelivery     *delivery;       /* the round trip's settings (od-check-delivery.c) */
  OdCheckOAuth        *oauth;          /* an OAuth sign-in (od-check-oauth.c); NULL: password */

  /* Results */
  OdChecklist         *checklist;
  OdTranscript        *transcript;
  OdTlsInfo           *tls_info;
  OdSmtpCapabilities  *capabilities_before_tls;
  const char          *mechanism;      /* the login method tried, from choose_mechanism() */
  gint64               started_us;
  gint64               elapsed_ms;
  char                *message_id;     /* of the test message sent */

  /* Run state */
  GTask               *task;
  OdDeadline          *run;            /* the caller's cancellable and the whole-run deadline */
  GCancellable        *cancellable;    /* the run's */
  OdConnect           *connect;

  /* The connect stage, and the other ports looked at meanwhile (od-check.c) */
  OdDeadline          *connect_stage;
  gint64               connect_started_us;
  OdOtherPorts        *other_ports;
  guint                connect_timeout_ms;  /* each address's */
  GSource             *other_ports_timer;
  GSource             *conclude_timer;
  GError              *connect_error;  /* the port failed: waiting for the other ports */
  gint64               wait_until_us;  /* … until then at the latest */
  gboolean             connect_decided;

  OdSmtpSession       *session;
  OdImapSession       *imap;           /* receiving (od-check-incoming.c) */
  OdPop3Session       *pop3;
  guint                n_messages;
  guint64              mailbox_size;
  gboolean             mailbox_opened;
  char                *client_name;
  GHashTable          *port_map;       /* for tests: port → port really connected to */
  gboolean             network_available;
  GNetworkConnectivity connectivity;
};

/* od-check.c and od-check-connect.c: connecting, then the conversation. */
OdTlsClient *od_check_tls_client (OdCheck *self);

void     od_check_connect               (OdCheck                  *self);
void     od_check_connected             (OdCheck                  *self);
void     od_check_stop_connect_timers   (OdCheck                  *self);
void     od_check_tls_failed            (OdCheck                  *self,
                                         const GError             *error);

void     od_check_mail_from             (OdCheck                  *self);

/* od-check-oauth.c: signing in with an OAuth 2.0 access token instead of a password. */
gboolean od_check_oauth_token_failed    (OdCheck                  *self);
void     od_check_oauth_authenticate    (OdCheck                  *self,
                                         const OdSmtpCapabilities *caps);
const char *od_check_oauth_choose       (OdCheck                  *self,
                                         const char * const       *offered);
OdProblem *od_check_oauth_refusal       (OdCheck                  *self,
                                         const char               *step_id,
                                         const OdSaslOAuthError   *error,
                                         const char               *server_reply,
                                         gboolean                  temporary);
char    *od_check_oauth_success_detail  (OdCheck                  *self);
char    *od_check_oauth_refusal_detail  (OdCheck                  *self,
                                         const OdSaslOAuthError   *error);
void     od_check_oauth_free            (OdCheckOAuth             *oauth);

/* od-check-incoming.c: the conversation with an incoming (IMAP or POP3) server. */
void     od_check_incoming_greeting     (OdCheck                  *self);
gboolean od_check_incoming_say_goodbye  (OdCheck                  *self,
                                         guint                     timeout_ms);
void     od_check_incoming_close        (OdCheck                  *self);

/* od-check-delivery.c: the round trip after the test message was accepted. */
void     od_check_after_data            (OdCheck                  *self);
void     od_check_delivery_free         (OdCheckDelivery          *delivery);

/* od-check-trust.c: the pinned certificate and the server's confirmation. */
gboolean od_check_has_pins              (OdCheck                  *self);
void     od_check_certificate_changed   (OdCheck                  *self,
                                         const char               *reasons);
gboolean od_check_tls_passed            (OdCheck                  *self);
gboolean od_check_server_confirmed      (OdCheck                  *self);

/* od-check-outcome.c: how a step ends and how a failure is explained. */
guint    od_check_remaining_ms          (OdCheck                  *self);
guint    od_check_stage_timeout         (OdCheck                  *self,
                                         guint                     reserve_ms);
void     od_check_diagnosis_context     (OdCheck                  *self,
                                         OdDiagnosisContext       *ctx);
void     od_check_finish_step           (OdCheck                  *self,
                                         const char               *step_id,
                                         OdStepState               state,
                                         const char               *detail,
                                         OdProblem                *problem);
void     od_check_fail_step             (OdCheck                  *self,
                                         const char               *step_id,
                                         OdProblem                *problem,
                                         const char               *detail);
void     od_check_fail_with_error       (OdCheck                  *self,
                                         const char               *step_id,
                                         const GError             *error);
void     od_check_fail_connect          (OdCheck                  *self,
                                         const GError             *error,
                                         OdProbe                  *suggestion,
                                         const char               *silent_ports);
void     od_check_fail_with_reply       (OdCheck                  *self,
                                         const char               *step_id,
                                         OdSmtpReply              *reply);
void     od_check_fail_with_problem     (OdCheck                  *self,
                                         const char               *step_id,
                                         OdProblemKind             kind,
                                         const char               *detail,
                                         gboolean                  send_quit);
void     od_check_fail_starttls_offered (OdCheck                  *self);
void     od_check_explain_by_sniffing   (OdCheck                  *self,
                                         const char               *step_id,
                                         OdSniffMode               mode,
                                         const GError             *error);
gboolean od_check_finish_network_step   (OdCheck                  *self,
                                         const char               *step_id,
                                         const GError             *error);
void     od_check_finish_run            (OdCheck                  *self,
                                         gboolean                  send_quit);
char    *od_check_describe_certificate  (OdTlsInfo                *info);
char    *od_check_describe_tls          (OdTlsInfo                *info);
char    *od_check_describe_capabilities (const OdSmtpCapabilities *caps);

G_END_DECLS
