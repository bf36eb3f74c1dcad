/* od-window-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-account-page.h"
#include "od-check-page.h"
#include "od-details-page.h"
#include "od-discovery-page.h"
#include "od-review-page.h"
#include "od-setup-controller.h"
#include "od-troubleshoot-controller.h"
#include "od-welcome-page.h"
#include "od-window.h"

G_BEGIN_DECLS

/* The pages of the window's stack, in the order a setup goes through them. */
typedef enum
{
  OD_PAGE_WELCOME,
  OD_PAGE_DETAILS,
  OD_PAGE_DISCOVERY,
  OD_PAGE_REVIEW,
  OD_PAGE_CHECK,
  OD_PAGE_DONE,
  OD_PAGE_ACCOUNT,
} OdPage;

/* Which flow the check page belongs to. */
typedef enum
{
  OD_FLOW_SETUP,
  OD_FLOW_TROUBLESHOOT,
} OdFlow;

struct _OdWindow
{
  AdwApplicationWindow      parent_instance;

  /* Template widgets */
  AdwToastOverlay          *toast_overlay;
  GtkStack                 *stack;
  OdWelcomePage            *welcome_page;
  OdDetailsPage            *details_page;
  OdDiscoveryPage          *discovery_page;
  OdReviewPage             *review_page;
  OdCheckPage              *check_page;
  AdwStatusPage            *done_page;
  OdAccountPage            *account_page;
  GtkWidget                *done_button;

  /* Owned */
  GSettings                *settings;   /* NULL when the schema is not installed */
  OdAccountStore           *store;
  OdSecretStore            *secrets;
  OdSetupController        *setup;
  OdTroubleshootController *troubleshoot;
  GCancellable             *orphans;    /* finding or removing passwords of gone accounts */
  GCancellable             *removal;    /* removing an account */
  GCancellable             *finding;    /* looking for other programs' accounts */
  GPtrArray                *found;      /* of OdFoundResult: what the last search found */
  char                     *retest_found; /* the account to check again once found again */
  char                     *fixing;       /* the account whose program's settings are written */
  GCancellable             *fix_cancellable;
  GCancellable             *sign_in_cancellable;  /* waiting for a sign-in in the browser */

  OdFlow                    flow;
  gboolean                  from_account;  /* troubleshooting began on the account page */
  gboolean                  editing;       /* the check is of an edit of the account */
  gboolean                  receiving;     /* the check is of the incoming server */
  guint                     reveal_discovery; /* shows the discovery page if it takes long */
  gulong                    transition_handler;
  int                       pending_page;     /* an OdPage once the slide is over, or -1 */
};

/* od-window.c */
void        od_window_toast            (OdWindow   *self,
                                        const char *message);
void        od_window_show_page        (OdWindow   *self,
                                        OdPage      page);
OdPage      od_window_get_page         (OdWindow   *self);
void        od_window_update_actions   (OdWindow   *self);
void        od_window_focus_default    (OdWindow   *self);
OdCheck    *od_window_get_check        (OdWindow   *self);
void        od_window_ask_password     (OdWindow   *self,
                                        const char *body);
void        od_window_remember_account (OdWindow   *self,
                                        const char *account_id);
void        od_window_discover         (OdWindow   *self);
void        od_window_review_incoming  (OdWindow   *self);
void        od_window_review_candidate (OdWindow   *self,
                                        OdCandidate *candidate,
                                        const char *why);

/* od-window-actions.c */
void        od_window_class_add_actions (GtkWidgetClass *widget_class);
void        od_window_check_again       (OdWindow       *self);
void        od_window_show_account      (OdWindow       *self,
                                         const char     *account_id);
void        od_window_look_for_orphans  (OdWindow       *self);
void        od_window_begin_setup       (OdWindow       *self);

/* od-window-sign-in.c */
void            od_window_class_add_sign_in_actions (GtkWidgetClass *widget_class);
void            od_window_cancel_sign_in            (OdWindow       *self);

/* od-window-export.c */
void            od_window_class_add_export_actions (GtkWidgetClass *widget_class);

/* od-window-found.c */
void            od_window_class_add_found_actions (GtkWidgetClass *widget_class);
void            od_window_find_accounts           (OdWindow       *self);
void            od_window_stop_finding            (OdWindow       *self);
OdFoundAccount *od_window_get_found_account       (OdWindow       *self,
                                                   const char     *id);
void            od_window_test_found              (OdWindow       *self,
                                                   const char     *id);
char           *od_window_found_password_body     (OdWindow       *self,
                                                   const GError   *error);
void            od_window_update_found_fix        (OdWindow       *self);

G_END_DECLS
