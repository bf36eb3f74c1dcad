/* od-troubleshoot-controller-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-secret-store.h"
#include "od-troubleshoot-controller.h"

G_BEGIN_DECLS

struct _OdTroubleshootController
{
  GObject              parent_instance;

  /* Owned */
  OdAccountStore      *store;
  OdSecretStore       *secrets;
  OdAccount           *account;       /* as saved, or as the other client keeps it */
  OdFoundAccount      *found;         /* another client's account under test, or NULL */
  OdAccount           *trial;         /* the settings the next check tries */
  OdCheck             *check;
  GCancellable        *cancellable;   /* the operation under way */
  char                *password;      /* from the keyring or typed; wiped when dropped */
  gboolean             token;         /* @password is GNOME Online Accounts' access token */
  gboolean             token_fresh;   /* … fetched for the check about to start */
  GError              *token_error;   /* an OAuth account without a token: why */
  char                *ca_file;

  guint                step_timeout_ms;
  OdTroubleshootState  state;
  OdStepState          verdict;
  gboolean             finished;   /* the last check has a verdict: it was not stopped */
  gboolean             send_test;
  gboolean             round_trip;        /* with the test message: look for it (delivery) */
  gboolean             round_trip_delete;
  gboolean             password_typed;
  gboolean             storing_typed;
  gboolean             editing;     /* the checks are of the user's edit of the settings */
  gboolean             recorded;    /* the last check's result is saved with the account */
  gboolean             incoming;    /* the checks are of the incoming server (receiving) */
};

/* od-troubleshoot-controller.c */
void          od_troubleshoot_set_state            (OdTroubleshootController *self,
                                                    OdTroubleshootState       state);
GCancellable *od_troubleshoot_begin                (OdTroubleshootController *self,
                                                    OdAccount                *account,
                                                    gboolean                  send_test);
void          od_troubleshoot_wipe_password        (OdTroubleshootController *self);
void          od_troubleshoot_emit_password_needed (OdTroubleshootController *self,
                                                    const GError             *error);

/* od-troubleshoot-controller-oauth.c */
void          od_troubleshoot_get_own_token        (OdTroubleshootController *self,
                                                    GCancellable             *cancellable);

/* od-troubleshoot-controller-found.c */
void          od_troubleshoot_look_up_found        (OdTroubleshootController *self,
                                                    GCancellable             *cancellable);

G_END_DECLS
