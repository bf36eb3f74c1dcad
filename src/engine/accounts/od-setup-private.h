/* od-setup-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-oauth.h"
#include "od-setup.h"

G_BEGIN_DECLS

/* The setup's state, shared by od-setup.c and od-setup-incoming.c. */
struct _OdSetup
{
  GObject         parent_instance;

  /* Borrowed */
  OdAccountStore *store;
  OdSecretStore  *secrets;

  /* The account to be */
  char           *address;
  char           *display_name;
  char           *password;
  char           *ca_file;
  char           *host;
  char           *username;
  char           *source;
  guint16         port;
  OdSecurity      security;
  guint           timeout_ms;

  /* The server found needs a confirmation (where it came from), and whether it was given */
  char           *unconfirmed_why;
  gboolean        confirmed;

  /* The certificate the user chose to trust, for one host and port */
  char           *pin_host;
  guint16         pin_port;
  char           *pin;

  /* The incoming server to be (has_incoming): found by the detection, or the user's */
  gboolean        has_incoming;
  OdProtocol      in_protocol;
  char           *in_host;
  guint16         in_port;
  OdSecurity      in_security;
  char           *in_username;
  char           *in_source;

  /* Signing in with OAuth instead of a password (od-setup-oauth.c): the provider ("google"),
   * the person's own client id, and the tokens of the sign-in */
  OdOAuthProvider *oauth;
  gboolean        oauth_own_client;
  OdOAuthTokens  *oauth_tokens;

  /* Results */
  OdDiscovery    *discovery;
  OdCheck        *check;
  OdCheck        *incoming_check;
  gboolean        incoming_passed;  /* it ran to the end without failing */
  gboolean        pin_saved;
  gboolean        incoming_saved;
};

void     od_setup_oauth_set_up_check   (OdSetup    *self,
                                       OdCheck    *check);
void     od_setup_oauth_prepare_account (OdSetup  *self,
                                         OdAccount *account);
void     od_setup_oauth_store_async    (OdSetup    *self,
                                        OdAccount  *account,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer    user_data);
void     od_setup_oauth_clear          (OdSetup    *self);

gboolean od_setup_is_pinned (OdSetup    *self,
                             const char *host,
                             guint16     port);

G_END_DECLS
