/* od-certificate-dialog.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "od-tls-info.h"

G_BEGIN_DECLS

#define OD_TYPE_CERTIFICATE_DIALOG (od_certificate_dialog_get_type ())

G_DECLARE_FINAL_TYPE (OdCertificateDialog, od_certificate_dialog, OD, CERTIFICATE_DIALOG, AdwMessageDialog)

/* The response that pins the certificate. */
#define OD_CERTIFICATE_DIALOG_RESPONSE_TRUST "trust"

GtkWidget  *od_certificate_dialog_new             (GtkWindow           *parent,
                                                   OdTlsInfo           *info,
                                                   const char          *host,
                                                   guint16              port);
const char *od_certificate_dialog_get_fingerprint (OdCertificateDialog *self);
const char *od_certificate_dialog_get_host        (OdCertificateDialog *self);
guint16     od_certificate_dialog_get_port        (OdCertificateDialog *self);

G_END_DECLS
