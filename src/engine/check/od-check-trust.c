/* od-check-trust.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-check"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "od-address.h"
#include "od-check-private.h"
#include "od-trust.h"

/* Whether the server may be trusted with what comes next: the certificate the user pinned
 * (compared with the certificate itself, failing closed), and a server nobody vouched for
 * (found through forgeable DNS records, or over http://), which gets no password until the
 * user confirms it. */

gboolean
od_check_has_pins (OdCheck *self)
{
  return self->pinned != NULL && self->pinned[0] != NULL;
}

/* A certificate the user pinned for this host and port was replaced, or it could not be
 * compared: whatever the certificate is, and even if it verifies, the user has to look at
 * it before it is used. */
void
od_check_certificate_changed (OdCheck    *self,
                              const char *reasons)
{
  g_autofree char *trusted = g_strjoinv (", ", self->pinned);
  const char *fingerprint = od_tls_client_get_peer_fingerprint (od_check_tls_client (self));
  g_autofree char *described = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(OdProblem) problem = NULL;
  OdDiagnosisContext ctx;

  od_check_diagnosis_context (self, &ctx);
  problem = od_diagnosis_problem_new (OD_PROBLEM_TLS_CERTIFICATE_CHANGED, OD_STEP_TLS,
                                      OD_SEVERITY_ERROR, &ctx, NULL);

  if (fingerprint == NULL || self->tls_info == NULL)
    /* Translators: %s is the SHA-256 fingerprint (or fingerprints) trusted before */
    detail = g_strdup_printf (_("The server’s certificate could not be read, so it could not "
                                "be compared with the one you trusted (%s). Nothing was sent."),
                              trusted);
  else
    {
      described = od_check_describe_certificate (self->tls_info);
      /* Translators: the first %s says what is wrong with the certificate (or nothing), the
       * second describes it; then the new SHA-256 fingerprint and the one(s) trusted
       * before */
      detail = g_strdup_printf (_("%s%s%s The certificate’s SHA-256 fingerprint is now %s; the "
                                  "one you trusted was %s."),
                                reasons ? reasons : "", reasons ? " " : "", described,
                                fingerprint, trusted);
    }

  od_transcript_append_localized (self->transcript, OD_TRANSCRIPT_INFO, FALSE,
                                  "Certificate rejected: it is not the one the user trusted",
                                  _("Certificate rejected: it is not the one you trusted"));
  od_check_fail_step (self, OD_STEP_TLS, problem, detail);
  od_check_finish_run (self, FALSE);
}

/* The handshake succeeded. Returns FALSE when the run ended here: a pinned certificate was
 * replaced, or could not be compared with the pin. */
gboolean
od_check_tls_passed (OdCheck *self)
{
  g_autofree char *detail = NULL;

  g_set_object (&self->tls_info, od_tls_client_get_tls_info (od_check_tls_client (self)));

  /* Whenever a pin exists it is checked, from the certificate itself. */
  if (od_check_has_pins (self) && !od_tls_client_matches_pin (od_check_tls_client (self)))
    {
      od_check_certificate_changed (self, NULL);
      return FALSE;
    }

  detail = od_check_describe_tls (self->tls_info);
  if (self->tls_info != NULL && od_tls_info_get_errors (self->tls_info) != 0)
    {
      g_autofree char *pinned = NULL;

      /* Translators: %s describes the connection and the certificate */
      pinned = g_strdup_printf (_("%s The certificate did not pass verification, but it is the "
                                  "one you chose to trust."), detail);
      g_free (detail);
      detail = g_steal_pointer (&pinned);
    }
  od_check_finish_step (self, OD_STEP_TLS, OD_STEP_STATE_PASS, detail, NULL);

  return TRUE;
}

/* Before the password goes out. A server that needs a confirmation is trusted all the same
 * when its certificate verifies and is issued for the mail domain itself: whoever runs it
 * holds a certificate for the domain. Returns FALSE when the run ended here. */
gboolean
od_check_server_confirmed (OdCheck *self)
{
  g_autofree char *domain = NULL;

  if (self->unconfirmed_why == NULL || self->password == NULL)
    return TRUE;

  domain = od_address_dup_ascii_domain (self->address);
  if (od_trust_certificate_names (self->tls_info, domain))
    {
      od_transcript_append_localized (self->transcript, OD_TRANSCRIPT_INFO, FALSE,
                                      "Server trusted: its certificate is issued for the mail "
                                      "domain",
                                      _("Server trusted: its certificate is issued for the "
                                        "mail domain"));
      return TRUE;
    }

  od_transcript_append_localized (self->transcript, OD_TRANSCRIPT_INFO, FALSE,
                                  "Login not tried: the server is not confirmed, so no password "
                                  "is sent",
                                  _("Login not tried: the server is not confirmed, so no "
                                    "password is sent"));
  od_check_fail_with_problem (self, OD_STEP_AUTH, OD_PROBLEM_SERVER_UNCONFIRMED, NULL, TRUE);
  return FALSE;
}
