/* od-window-sign-in.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-window"

#include "config.h"

#include <glib/gi18n.h>

#include "od-oauth-account.h"
#include "od-oauth-providers.h"
#include "od-window-private.h"

/* Signing in with Google or Microsoft ourselves (issue 18): *Sign In With …* on the details
 * page (a new account) and *Sign In Again* on an account's page. The sign-in happens in the
 * system browser (through the portal in a sandbox); the window only waits, and can stop
 * waiting (Cancel Sign-In). The tokens go to the setup, or for an existing account the new
 * refresh token to the keyring. */

typedef struct
{
  OdWindow        *window;
  OdOAuthProvider *provider;
  OdAccount       *account;    /* Sign In Again: the account; NULL for a new one */
  OdSetup         *setup;      /* a new account: the setup the sign-in is for */
  GCancellable    *cancellable;
  gboolean         own_client;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_clear_object (&sign_in->window);
  g_clear_object (&sign_in->setup);
  g_clear_object (&sign_in->cancellable);
  g_clear_pointer (&sign_in->provider, od_oauth_provider_free);
  g_clear_object (&sign_in->account);
  g_free (sign_in);
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SignIn *sign_in = user_data;
  OdWindow *self = sign_in->window;
  g_autoptr(GError) error = NULL;

  /* Sign In Again waits until the new sign-in is saved: a test started before would use the
   * old one. A window closed meanwhile shows nothing. */
  od_secret_store_store_finish (OD_SECRET_STORE (object), result, &error);
  if (self->account_page == NULL)
    {
      sign_in_free (sign_in);
      return;
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-in-again", TRUE);
  if (error == NULL)
    {
      /* Translators: %s is a provider: "Google", "Microsoft" */
      g_autofree char *message = g_strdup_printf (_("Signed in again with %s"),
                                                  sign_in->provider->display_name);
      od_window_toast (self, message);
    }
  else
    {
      /* Translators: %s is the keyring's error */
      g_autofree char *message = g_strdup_printf (_("The new sign-in could not be saved in "
                                                    "the keyring: %s"), error->message);
      od_window_toast (self, message);
    }
  sign_in_free (sign_in);
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SignIn *sign_in = user_data;
  OdWindow *self = sign_in->window;
  g_autoptr(OdOAuthTokens) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *scope = NULL;

  tokens = od_oauth_sign_in_finish (OD_OAUTH_SIGN_IN (object), result, &error);
  /* Only the latest sign-in speaks; a cancelled one (Cancel Sign-In, Back, a new setup, the
   * window closing) says nothing: whoever cancelled it reset the page. */
  if (self->sign_in_cancellable != sign_in->cancellable ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      sign_in_free (sign_in);
      return;
    }
  g_clear_object (&self->sign_in_cancellable);
  od_details_page_set_signing_in (self->details_page, FALSE);

  if (tokens == NULL)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-in-again", TRUE);
      /* Translators: the first %s is a provider ("Google"), the second why */
      message = g_strdup_printf (_("Signing in with %s did not work: %s"),
                                 sign_in->provider->display_name, error->message);
      if (sign_in->account == NULL)
        od_details_page_show_sign_in_error (self->details_page, message);
      else
        od_window_toast (self, message);
      sign_in_free (sign_in);
      return;
    }

  /* The tokens belong to the setup they were asked for, never to one begun since. */
  if (sign_in->account == NULL &&
      od_setup_controller_get_setup (self->setup) != sign_in->setup)
    {
      sign_in_free (sign_in);
      return;
    }

  if (sign_in->account == NULL)
    {
      od_setup_set_oauth (od_setup_controller_get_setup (self->setup), sign_in->provider,
                          sign_in->own_client, tokens);
      sign_in_free (sign_in);
      od_window_discover (self);
      return;
    }

  /* Sign In Again: the new refresh token replaces the old one; the old access token goes. */
  od_oauth_account_forget (sign_in->account);
  od_oauth_account_remember (sign_in->account, tokens);
  if (tokens->refresh_token == NULL)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-in-again", TRUE);
      od_window_toast (self, _("The provider gave no lasting sign-in: test the account now, "
                               "or sign in again later"));
      sign_in_free (sign_in);
      return;
    }
  scope = tokens->scope ? g_strdup (tokens->scope) : od_oauth_provider_dup_scope (sign_in->provider);
  od_secret_store_store_refresh_token_async (self->secrets, sign_in->account,
                                             sign_in->provider->display_name, scope,
                                             tokens->refresh_token, NULL, stored_cb, sign_in);
}

static void
start (OdWindow        *self,
       OdOAuthProvider *provider,
       OdAccount       *account,
       const char      *address,
       gboolean         own_client)
{
  g_autoptr(OdOAuthSignIn) flow = od_oauth_sign_in_new (provider);
  g_autoptr(GdkAppLaunchContext) context =
    gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  SignIn *sign_in = g_new0 (SignIn, 1);

  sign_in->window = g_object_ref (self);
  sign_in->provider = provider;
  sign_in->account = account ? g_object_ref (account) : NULL;
  sign_in->own_client = own_client;
  if (account == NULL)
    sign_in->setup = g_object_ref (od_setup_controller_get_setup (self->setup));

  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  self->sign_in_cancellable = g_cancellable_new ();
  sign_in->cancellable = g_object_ref (self->sign_in_cancellable);

  od_oauth_sign_in_set_login_hint (flow, address);
  od_oauth_sign_in_set_launch_context (flow, G_APP_LAUNCH_CONTEXT (context));
  od_oauth_sign_in_browser_async (flow, self->sign_in_cancellable, signed_in_cb, sign_in);
}

/* Sign In With …: a new account, for the address on the details page. */
static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  const char *id = od_details_page_get_oauth_provider (self->details_page);
  OdOAuthProvider *provider;

  if (!od_details_page_get_valid (self->details_page) || id == NULL ||
      (provider = od_oauth_provider_lookup (id, od_details_page_get_client_id (self->details_page),
                                            od_details_page_get_client_secret (self->details_page))) == NULL)
    {
      gtk_widget_error_bell (widget);
      return;
    }
  if (provider->client_id == NULL)
    {
      od_oauth_provider_free (provider);
      gtk_widget_error_bell (widget);
      return;
    }

  od_window_begin_setup (self);
  od_details_page_set_signing_in (self->details_page, TRUE);
  start (self, provider, NULL, od_setup_get_address (od_setup_controller_get_setup (self->setup)),
         od_details_page_get_client_id (self->details_page) != NULL);
}

/* Sign In Again, on the page of an account that signs in with OAuth. */
static void
sign_in_again_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  OdWindow *self = OD_WINDOW (widget);
  const char *id = od_account_page_get_id (self->account_page);
  OdAccount *account = id ? od_account_store_lookup (self->store, id) : NULL;
  OdOAuthProvider *provider = account ? od_oauth_provider_lookup_for_account (account) : NULL;

  if (provider == NULL || provider->client_id == NULL)
    {
      g_clear_pointer (&provider, od_oauth_provider_free);
      od_window_toast (self, _("This copy of Outbox Doctor cannot sign in with this provider"));
      return;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-in-again", FALSE);
  start (self, provider, account, od_account_get_address (account), FALSE);
}

/* Stops waiting for a sign-in in the browser (Cancel Sign-In, Back, a new account). */
void
od_window_cancel_sign_in (OdWindow *self)
{
  if (self->sign_in_cancellable == NULL)
    return;

  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  od_details_page_set_signing_in (self->details_page, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-in-again", TRUE);
}

static void
cancel_sign_in_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  od_window_cancel_sign_in (OD_WINDOW (widget));
}

void
od_window_class_add_sign_in_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.sign-in-again", NULL,
                                   sign_in_again_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-sign-in", NULL,
                                   cancel_sign_in_action);
}
