/* od-check-page.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "od-check.h"

G_BEGIN_DECLS

#define OD_TYPE_CHECK_PAGE (od_check_page_get_type ())

G_DECLARE_FINAL_TYPE (OdCheckPage, od_check_page, OD, CHECK_PAGE, AdwBin)

typedef enum
{
  OD_CHECK_PAGE_MODE_SETUP,
  OD_CHECK_PAGE_MODE_TROUBLESHOOT,
  OD_CHECK_PAGE_MODE_EDIT,
  OD_CHECK_PAGE_MODE_RECEIVE,     /* troubleshooting the incoming server */
} OdCheckPageMode;

void            od_check_page_set_mode      (OdCheckPage     *self,
                                             OdCheckPageMode  mode,
                                             const char      *subtitle);
OdCheckPageMode od_check_page_get_mode      (OdCheckPage     *self);
void            od_check_page_set_check     (OdCheckPage     *self,
                                             OdCheck         *check);
OdCheck        *od_check_page_get_check     (OdCheckPage     *self);
void            od_check_page_set_running   (OdCheckPage     *self,
                                             gboolean         running);
gboolean        od_check_page_get_running   (OdCheckPage     *self);
void            od_check_page_show_verdict  (OdCheckPage     *self,
                                             OdStepState      verdict,
                                             gboolean         cancelled);
gboolean        od_check_page_get_send_test (OdCheckPage     *self);
void            od_check_page_set_send_test (OdCheckPage     *self,
                                             gboolean         send_test);
void            od_check_page_set_incoming_known   (OdCheckPage *self,
                                                    gboolean     known);
gboolean        od_check_page_get_round_trip       (OdCheckPage *self);
gboolean        od_check_page_get_round_trip_delete (OdCheckPage *self);
GtkListBox     *od_check_page_get_list      (OdCheckPage     *self);
void            od_check_page_set_incoming  (OdCheckPage     *self,
                                             OdCheck         *incoming);
GtkWidget      *od_check_page_get_default_widget (OdCheckPage *self);

void             od_check_page_set_origin        (OdCheckPage     *self,
                                                  const char      *icon_name,
                                                  const char      *text);
const char      *od_check_page_get_origin        (OdCheckPage     *self);
void             od_check_page_set_fix           (OdCheckPage     *self,
                                                  const char      *label);
GtkButton       *od_check_page_get_fix_button    (OdCheckPage     *self);

G_END_DECLS
