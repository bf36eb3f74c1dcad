/* od-certificate-dialog.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-certificate-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-certificate-dialog.h"
#include "od-format.h"

/* Before a certificate is trusted the user sees what is wrong with it, who it is for, who
 * issued it, when it is valid and its SHA-256 fingerprint to compare with the provider's. */
struct _OdCertificateDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  AdwActionRow     *subject_row;
  AdwActionRow     *issuer_row;
  AdwActionRow     *validity_row;
  GtkLabel         *fingerprint_label;

  /* Owned */
  char             *fingerprint;
  char             *host;
  guint16           port;
};

G_DEFINE_FINAL_TYPE (OdCertificateDialog, od_certificate_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* A date never breaks across lines in the narrow dialog: its spaces do not break. */
static char *
format_date (GDateTime *time)
{
  g_autofree char *date = time != NULL ? od_format_date (time) : g_strdup (_("unknown"));
  g_auto(GStrv) words = g_strsplit (date, " ", -1);

  return g_strjoinv ("\u00a0", words);
}

/* A fingerprint such as "AB:CD:…" wraps between bytes only. Pango finds no line-break
 * opportunity at a colon between hex digits (UAX #14), so char wrapping would break it
 * anywhere, a byte in two included; breaks are forbidden inside every byte and its colon,
 * which leaves one after each colon. The text stays as it is: copied, it is the fingerprint
 * the provider publishes, without invisible break characters. */
static void
set_fingerprint_text (GtkLabel   *label,
                      const char *fingerprint)
{
  PangoAttrList *attributes = pango_attr_list_new ();
  const char *byte = fingerprint;

  while (*byte != '\0')
    {
      const char *colon = strchr (byte, ':');
      const char *end = colon != NULL ? colon + 1 : byte + strlen (byte);
      PangoAttribute *unbreakable = pango_attr_allow_breaks_new (FALSE);

      unbreakable->start_index = byte - fingerprint;
      unbreakable->end_index = end - fingerprint;
      pango_attr_list_insert (attributes, unbreakable);
      byte = end;
    }

  gtk_label_set_text (label, fingerprint);
  gtk_label_set_attributes (label, attributes);
  pango_attr_list_unref (attributes);
}

static void
od_certificate_dialog_dispose (GObject *object)
{
  OdCertificateDialog *self = (OdCertificateDialog *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), OD_TYPE_CERTIFICATE_DIALOG);

  G_OBJECT_CLASS (od_certificate_dialog_parent_class)->dispose (object);
}

static void
od_certificate_dialog_finalize (GObject *object)
{
  OdCertificateDialog *self = (OdCertificateDialog *)object;

  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->host, g_free);

  G_OBJECT_CLASS (od_certificate_dialog_parent_class)->finalize (object);
}

static void
od_certificate_dialog_class_init (OdCertificateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = od_certificate_dialog_dispose;
  object_class->finalize = od_certificate_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/outboxdoctor/OutboxDoctor/od-certificate-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OdCertificateDialog, subject_row);
  gtk_widget_class_bind_template_child (widget_class, OdCertificateDialog, issuer_row);
  gtk_widget_class_bind_template_child (widget_class, OdCertificateDialog, validity_row);
  gtk_widget_class_bind_template_child (widget_class, OdCertificateDialog, fingerprint_label);
}

static void
od_certificate_dialog_init (OdCertificateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * od_certificate_dialog_new:
 * @info: the certificate the server presented
 * @host: the server the certificate would be trusted for
 * @port: the port it would be trusted for
 *
 * Returns: (transfer floating): a modal dialog; its "trust" response means the user chose
 *   to trust this certificate for @host and @port
 */
GtkWidget *
od_certificate_dialog_new (GtkWindow  *parent,
                           OdTlsInfo  *info,
                           const char *host,
                           guint16     port)
{
  OdCertificateDialog *self;
  g_auto(GStrv) problems = NULL;
  g_autofree char *problem_text = NULL;
  g_autofree char *body = NULL;
  g_autofree char *not_before = NULL;
  g_autofree char *not_after = NULL;
  g_autofree char *validity = NULL;
  const char * const *names;
  g_autofree char *subject = NULL;

  g_return_val_if_fail (OD_IS_TLS_INFO (info), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (OD_TYPE_CERTIFICATE_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->fingerprint = g_strdup (od_tls_info_get_fingerprint (info));
  self->host = g_strdup (host);
  self->port = port;

  problems = od_tls_info_describe_errors (info);
  problem_text = g_strjoinv (" ", problems);
  /* Translators: the first %s says what is wrong with the certificate; then host and port */
  body = g_strdup_printf (_("%s\n\nTrust it only if the fingerprint below matches the one "
                            "your provider publishes. Outbox Doctor will then accept this "
                            "certificate, and only this one, for %s port %u."),
                          problem_text[0] != '\0' ? problem_text
                                                  : _("The certificate could not be verified."),
                          host, port);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  names = od_tls_info_get_names (info);
  if (names != NULL && names[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **)names);

      subject = g_strdup_printf ("%s\n%s", od_tls_info_get_subject (info), joined);
    }
  else
    subject = g_strdup (od_tls_info_get_subject (info));

  adw_action_row_set_subtitle (self->subject_row, subject ? subject : "");
  adw_action_row_set_subtitle (self->issuer_row,
                               od_tls_info_get_issuer (info) ? od_tls_info_get_issuer (info) : "");

  not_before = format_date (od_tls_info_get_not_before (info));
  not_after = format_date (od_tls_info_get_not_after (info));
  /* Translators: "from 1 May 2026 to 1 May 2027" */
  validity = g_strdup_printf (_("from %s to %s"), not_before, not_after);
  adw_action_row_set_subtitle (self->validity_row, validity);

  set_fingerprint_text (self->fingerprint_label, self->fingerprint ? self->fingerprint : "");

  return GTK_WIDGET (self);
}

/**
 * od_certificate_dialog_get_fingerprint:
 *
 * Returns: the SHA-256 fingerprint shown, to pin
 */
const char *
od_certificate_dialog_get_fingerprint (OdCertificateDialog *self)
{
  g_return_val_if_fail (OD_IS_CERTIFICATE_DIALOG (self), NULL);

  return self->fingerprint;
}

/**
 * od_certificate_dialog_get_host:
 *
 * Returns: the server the certificate would be trusted for
 */
const char *
od_certificate_dialog_get_host (OdCertificateDialog *self)
{
  g_return_val_if_fail (OD_IS_CERTIFICATE_DIALOG (self), NULL);

  return self->host;
}

/**
 * od_certificate_dialog_get_port:
 *
 * Returns: the port the certificate would be trusted for
 */
guint16
od_certificate_dialog_get_port (OdCertificateDialog *self)
{
  g_return_val_if_fail (OD_IS_CERTIFICATE_DIALOG (self), 0);

  return self->port;
}
