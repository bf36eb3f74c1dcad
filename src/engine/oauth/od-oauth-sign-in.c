/* od-oauth-sign-in.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-oauth"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <rest/rest.h>

#include "od-deadline.h"
#include "od-oauth.h"
#include "od-oauth-private.h"
#include "od-text.h"

/* The two ways of signing in.
 *
 * Browser (RFC 8252): a one-shot SoupServer on 127.0.0.1 with a random port is the redirect
 * URI; the authorization URL (librest's, with our PKCE pair and our own `state`) opens in
 * the system browser; the first request to "/" is the answer. The browser gets a small page,
 * the server stops listening, and the code is exchanged with our own token client
 * (od-oauth-request.c).
 *
 * Device (RFC 8628): the device endpoint gives a user code and a verification address, which
 * the front end shows; then the token endpoint is polled until the person has approved,
 * declined, or the code has expired.
 *
 * The PKCE verifier, the code, the device code and the tokens are secrets: they are wiped
 * when freed and never logged or put in a message. */

#define STATE_BYTES     32
#define VERIFIER_BYTES  32
#define DEFAULT_INTERVAL 5
#define MAX_INTERVAL     60
#define SLOW_DOWN_EXTRA  5
#define DEFAULT_DEVICE_EXPIRES_IN 900
#define MAX_USER_CODE    64

struct _OdOAuthSignIn
{
  GObject            parent_instance;

  /* Owned */
  OdOAuthProvider   *provider;
  char              *login_hint;
  GAppLaunchContext *launch_context;
  SoupSession       *session;

  guint              wait_ms;
  gboolean           wait_set;     /* by od_oauth_sign_in_set_timeouts() */
  guint              request_ms;
  double             poll_scale;
};

G_DEFINE_FINAL_TYPE (OdOAuthSignIn, od_oauth_sign_in, G_TYPE_OBJECT)

enum {
  SIGNAL_URI,
  SIGNAL_DEVICE_CODE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What both flows share: the wait for the person (wait_ms and the caller's cancellable), a
 * source that ends the sign-in when that wait is over, and a flag so that it ends once. */
typedef struct
{
  OdDeadline    *wait;
  GSource       *wait_source;
  gboolean       done;

  /* Browser */
  SoupServer    *server;
  char          *state;
  char          *verifier;
  char          *redirect_uri;
  char          *code;
  GError        *redirect_error;
  gboolean       redirected;

  /* Device */
  GSource       *poll_source;
  char          *device_code;
  gint64         expires_at;    /* monotonic µs */
  guint          interval_ms;
} Flow;

static void
wipe_free (char *text)
{
  od_oauth_wipe_string (text);
  g_free (text);
}

static void
flow_stop (Flow *flow)
{
  if (flow->server != NULL)
    {
      soup_server_disconnect (flow->server);
      g_clear_object (&flow->server);
    }

  if (flow->wait_source != NULL)
    {
      g_source_destroy (flow->wait_source);
      g_clear_pointer (&flow->wait_source, g_source_unref);
    }

  if (flow->poll_source != NULL)
    {
      g_source_destroy (flow->poll_source);
      g_clear_pointer (&flow->poll_source, g_source_unref);
    }

  if (flow->wait != NULL)
    od_deadline_stop (flow->wait);
}

static void
flow_free (Flow *flow)
{
  flow_stop (flow);
  g_clear_pointer (&flow->wait, od_deadline_free);
  g_clear_pointer (&flow->state, g_free);
  g_clear_pointer (&flow->verifier, wipe_free);
  g_clear_pointer (&flow->redirect_uri, g_free);
  g_clear_pointer (&flow->code, wipe_free);
  g_clear_pointer (&flow->device_code, wipe_free);
  g_clear_error (&flow->redirect_error);
  g_free (flow);
}

/* Ends the sign-in once: with @tokens, or with @error. Whatever comes later is dropped. */
static void
flow_return (GTask         *task,
             OdOAuthTokens *tokens,
             GError        *error)
{
  Flow *flow = g_task_get_task_data (task);

  if (flow->done)
    {
      od_oauth_tokens_free (tokens);
      g_clear_error (&error);
      return;
    }

  flow->done = TRUE;
  flow_stop (flow);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tokens, (GDestroyNotify)od_oauth_tokens_free);
}

static gboolean
wait_over_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;
  Flow *flow = g_task_get_task_data (task);
  GError *error = NULL;

  g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       _("The sign-in was cancelled."));
  od_deadline_timed_out_error (flow->wait, &error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("The sign-in was not finished in time. Start it again when "
                                 "you are ready."));
  flow_return (task, NULL, error);

  return G_SOURCE_REMOVE;
}

static Flow *
flow_new (OdOAuthSignIn *self,
          GTask         *task,
          GCancellable  *cancellable)
{
  Flow *flow = g_new0 (Flow, 1);

  flow->wait = od_deadline_new (cancellable, self->wait_ms, "[od] oauth sign-in wait");
  g_task_set_task_data (task, flow, (GDestroyNotify)flow_free);

  flow->wait_source = g_cancellable_source_new (od_deadline_get_cancellable (flow->wait));
  g_source_set_callback (flow->wait_source, G_SOURCE_FUNC (wait_over_cb),
                         g_object_ref (task), g_object_unref);
  g_source_set_static_name (flow->wait_source, "[od] oauth sign-in wait");
  g_source_attach (flow->wait_source, g_main_context_get_thread_default ());

  return flow;
}

static gboolean
check_provider (OdOAuthSignIn  *self,
                GError        **error)
{
  if (self->provider->client_id == NULL || self->provider->client_id[0] == '\0')
    {
      g_propagate_error (error, od_oauth_no_client_id_error (self->provider));
      return FALSE;
    }

  return od_oauth_endpoint_is_allowed (self->provider->token_endpoint, error);
}

/* Browser flow */

static void
exchange_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  OdOAuthTokens *tokens;
  GError *error = NULL;
  guint status = 0;

  body = od_oauth_post_finish (result, &status, &error);
  if (body == NULL)
    {
      flow_return (task, NULL, error);
      return;
    }

  tokens = od_oauth_tokens_parse_response (status, body, &error);
  flow_return (task, tokens, error);
}

static void
exchange_code (GTask *task)
{
  OdOAuthSignIn *self = g_task_get_source_object (task);
  Flow *flow = g_task_get_task_data (task);
  g_autoptr(GHashTable) form = od_oauth_form_new ();

  od_oauth_form_add (form, "grant_type", "authorization_code");
  od_oauth_form_add (form, "code", flow->code);
  od_oauth_form_add (form, "redirect_uri", flow->redirect_uri);
  od_oauth_form_add (form, "client_id", self->provider->client_id);
  od_oauth_form_add (form, "client_secret", self->provider->client_secret);
  od_oauth_form_add (form, "code_verifier", flow->verifier);

  /* Used once: no copy of ours stays behind. */
  g_clear_pointer (&flow->code, wipe_free);
  g_clear_pointer (&flow->verifier, wipe_free);

  od_oauth_post_async (self->session, self->provider->token_endpoint, form, self->request_ms,
                       g_task_get_cancellable (task), exchange_cb, g_object_ref (task));
}

/* The browser has its page: stop listening, then go on. */
static gboolean
redirect_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Flow *flow = g_task_get_task_data (task);

  if (flow->done)
    return G_SOURCE_REMOVE;

  if (flow->server != NULL)
    {
      soup_server_disconnect (flow->server);
      g_clear_object (&flow->server);
    }
  od_deadline_stop (flow->wait);

  if (flow->redirect_error != NULL)
    {
      flow_return (task, NULL, g_steal_pointer (&flow->redirect_error));
      return G_SOURCE_REMOVE;
    }

  exchange_code (task);

  return G_SOURCE_REMOVE;
}

static void
redirect_finished_cb (SoupServerMessage *message,
                      gpointer           user_data)
{
  GTask *task = user_data;

  /* Not from inside the server's own signal. */
  g_idle_add_full (G_PRIORITY_DEFAULT, redirect_done_cb, g_object_ref (task), g_object_unref);
}

static char *
page_new (gboolean    ok,
          const char *detail)
{
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;

  if (ok)
    {
      /* Translators: the title of the page the browser shows after the sign-in */
      title = g_markup_escape_text (_("Signed in"), -1);
      text = g_markup_escape_text (_("You are signed in. You can close this tab and go back "
                                     "to Outbox Doctor."), -1);
    }
  else
    {
      title = g_markup_escape_text (_("Not signed in"), -1);
      text = g_markup_escape_text (detail, -1);
    }

  return g_strdup_printf ("<!DOCTYPE html>\n"
                          "<html><head><meta charset=\"utf-8\"><title>%s</title></head>\n"
                          "<body style=\"font-family: sans-serif; margin: 3em\">"
                          "<h1>%s</h1><p>%s</p></body></html>\n",
                          title, title, text);
}

static void
answer (SoupServerMessage *message,
        guint              status,
        const char        *content_type,
        char              *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Connection", "close");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, content_type, SOUP_MEMORY_TAKE, body,
                                    strlen (body));
}

static void
redirect_cb (SoupServer        *server,
             SoupServerMessage *message,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  GTask *task = user_data;
  OdOAuthSignIn *self = g_task_get_source_object (task);
  Flow *flow = g_task_get_task_data (task);
  const char *error_code;
  const char *state;
  const char *code;
  g_autofree char *page = NULL;

  /* Anything but the first GET of "/" (the favicon, a second tab) is not the answer. */
  if (flow->redirected || flow->done || g_strcmp0 (path, "/") != 0 ||
      g_strcmp0 (soup_server_message_get_method (message), SOUP_METHOD_GET) != 0)
    {
      answer (message, SOUP_STATUS_NOT_FOUND, "text/plain; charset=utf-8",
              g_strdup ("Not found\n"));
      return;
    }

  error_code = query ? g_hash_table_lookup (query, "error") : NULL;
  state = query ? g_hash_table_lookup (query, "state") : NULL;
  code = query ? g_hash_table_lookup (query, "code") : NULL;

  /* The state first: anything on this computer can reach the port, and what does not carry
   * our state must neither end the sign-in nor put its words before the person. It is
   * answered, and the wait goes on for the provider's redirect. */
  if (g_strcmp0 (state, flow->state) != 0)
    {
      g_debug ("A request to the loopback redirect without this sign-in's state: ignored");
      answer (message, SOUP_STATUS_BAD_REQUEST, "text/html; charset=utf-8",
              page_new (FALSE, _("The answer of the sign-in page did not belong to this "
                                 "sign-in, so Outbox Doctor did not use it. Sign in again.")));
      return;
    }

  flow->redirected = TRUE;
  /* The person is done; only the browser's page and the exchange are left. */
  od_deadline_restart (flow->wait, self->request_ms);

  if (error_code != NULL)
    flow->redirect_error = od_oauth_error_new_from_answer (0, error_code,
                                                           g_hash_table_lookup (query,
                                                                                "error_description"),
                                                           g_hash_table_lookup (query,
                                                                                "error_subtype"),
                                                           FALSE);
  else if (!od_oauth_is_token_text (code))
    flow->redirect_error = od_oauth_error_new_from_answer (0, NULL, NULL, NULL, FALSE);
  else
    flow->code = g_strdup (code);

  if (flow->redirect_error == NULL)
    page = page_new (TRUE, NULL);
  else
    page = page_new (FALSE, flow->redirect_error->message);

  answer (message, SOUP_STATUS_OK, "text/html; charset=utf-8", g_steal_pointer (&page));
  g_signal_connect_object (message, "finished", G_CALLBACK (redirect_finished_cb), task, 0);
}

static void
launch_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OdOAuthSignIn *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  const char *name = self->provider->display_name;

  if (g_app_info_launch_default_for_uri_finish (result, &error))
    return;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the wait's source reports it */

  g_debug ("Could not open the browser: %s", error->message);
  flow_return (task, NULL,
               g_error_new (OD_OAUTH_ERROR, OD_OAUTH_ERROR_BROWSER,
                            /* Translators: %s is a provider such as "Google" */
                            _("No web browser could be opened to sign in with %s. Set a "
                              "default web browser, then try again."),
                            name ? name : self->provider->id));
}

/* librest 0.9.1's RestPkceCodeChallenge draws the verifier from GRand (not a cryptographic
 * generator) and never frees nor wipes it: the pair is ours (RFC 7636 §4.1, §4.2). */
static char *
pkce_challenge_new (const char *verifier)
{
  g_autoptr(GChecksum) sha256 = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  char *challenge;

  g_checksum_update (sha256, (const guchar *)verifier, strlen (verifier));
  g_checksum_get_digest (sha256, digest, &digest_len);

  challenge = g_base64_encode (digest, digest_len);
  g_strdelimit (challenge, "+", '-');
  g_strdelimit (challenge, "/", '_');
  if (strchr (challenge, '=') != NULL)
    *strchr (challenge, '=') = '\0';

  return challenge;
}

static char *
authorization_url_new (OdOAuthSignIn *self,
                       Flow          *flow,
                       const char    *challenge)
{
  g_autoptr(RestOAuth2Proxy) proxy = NULL;
  g_autofree char *scope = od_oauth_provider_dup_scope (self->provider);
  g_autofree char *base = NULL;
  g_autofree char *ours = NULL;

  /* The client secret stays out: the URL does not need it. */
  proxy = rest_oauth2_proxy_new (self->provider->authorization_endpoint,
                                 self->provider->token_endpoint, flow->redirect_uri,
                                 self->provider->client_id, NULL, "");
  /* NULL for the state: librest's is ten characters from GRand. */
  base = rest_oauth2_proxy_build_authorization_url (proxy, challenge,
                                                    scope[0] != '\0' ? scope : NULL, NULL);
  if (base == NULL)
    return NULL;

  if (self->login_hint != NULL && self->login_hint[0] != '\0')
    ours = soup_form_encode ("state", flow->state, "login_hint", self->login_hint, NULL);
  else
    ours = soup_form_encode ("state", flow->state, NULL);

  return g_strconcat (base, strchr (base, '?') != NULL ? "&" : "?", ours, NULL);
}

static gboolean
listen_on_loopback (OdOAuthSignIn  *self,
                    Flow           *flow,
                    GTask          *task,
                    GError        **error)
{
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;
  guint port = 0;

  flow->server = soup_server_new ("server-header", NULL, NULL);
  soup_server_add_handler (flow->server, NULL, redirect_cb, task, NULL);

  /* 127.0.0.1, not "localhost" (RFC 8252 §7.3, §8.3); port 0: the system picks one. */
  address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  if (!soup_server_listen (flow->server, address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (flow->server);
  if (uris != NULL)
    port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  if (port == 0 || port > G_MAXUINT16)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Could not wait for the browser’s answer on this computer."));
      return FALSE;
    }

  flow->redirect_uri = g_strdup_printf ("http://127.0.0.1:%u/", port);
  return TRUE;
}

/* Device flow */

static void poll_token_endpoint (GTask *task);

static GError *
expired_error (void)
{
  return od_oauth_error_new_from_answer (0, "expired_token", NULL, NULL, FALSE);
}

static gboolean
poll_cb (gpointer user_data)
{
  GTask *task = user_data;
  Flow *flow = g_task_get_task_data (task);

  g_clear_pointer (&flow->poll_source, g_source_unref);
  poll_token_endpoint (task);

  return G_SOURCE_REMOVE;
}

static void
schedule_poll (GTask *task)
{
  OdOAuthSignIn *self = g_task_get_source_object (task);
  Flow *flow = g_task_get_task_data (task);
  guint delay = (guint)MAX (flow->interval_ms * self->poll_scale, 1.0);

  g_assert (flow->poll_source == NULL);

  flow->poll_source = g_timeout_source_new (delay);
  g_source_set_callback (flow->poll_source, poll_cb, g_object_ref (task), g_object_unref);
  g_source_set_static_name (flow->poll_source, "[od] oauth device poll");
  g_source_attach (flow->poll_source, g_main_context_get_thread_default ());
}

static void
poll_answer_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Flow *flow = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  OdOAuthTokens *tokens;
  GError *error = NULL;
  guint status = 0;

  if (flow->done)
    return;

  body = od_oauth_post_finish (result, &status, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* The wait ran out or the caller cancelled: the wait's source says which. */
          g_error_free (error);
          return;
        }
      flow_return (task, NULL, error);
      return;
    }

  tokens = od_oauth_tokens_parse_polling (status, body, &error);
  if (tokens != NULL)
    {
      flow_return (task, tokens, NULL);
      return;
    }

  if (g_error_matches (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_PRIVATE_PENDING))
    {
      g_error_free (error);
      schedule_poll (task);
      return;
    }

  if (g_error_matches (error, OD_OAUTH_ERROR, OD_OAUTH_ERROR_PRIVATE_SLOW_DOWN))
    {
      g_error_free (error);
      flow->interval_ms += SLOW_DOWN_EXTRA * 1000;
      schedule_poll (task);
      return;
    }

  flow_return (task, NULL, error);
}

static void
poll_token_endpoint (GTask *task)
{
  OdOAuthSignIn *self = g_task_get_source_object (task);
  Flow *flow = g_task_get_task_data (task);
  g_autoptr(GHashTable) form = NULL;

  if (g_get_monotonic_time () >= flow->expires_at)
    {
      flow_return (task, NULL, expired_error ());
      return;
    }

  form = od_oauth_form_new ();
  od_oauth_form_add (form, "grant_type", "urn:ietf:params:oauth:grant-type:device_code");
  od_oauth_form_add (form, "device_code", flow->device_code);
  od_oauth_form_add (form, "client_id", self->provider->client_id);
  od_oauth_form_add (form, "client_secret", self->provider->client_secret);

  od_oauth_post_async (self->session, self->provider->token_endpoint, form, self->request_ms,
                       od_deadline_get_cancellable (flow->wait), poll_answer_cb,
                       g_object_ref (task));
}

static void
device_code_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OdOAuthSignIn *self = g_task_get_source_object (task);
  Flow *flow = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) answer_object = NULL;
  const char *device_code;
  const char *user_code;
  const char *verification_uri;
  GError *error = NULL;
  gint64 expires_in = DEFAULT_DEVICE_EXPIRES_IN;
  gint64 interval = DEFAULT_INTERVAL;
  guint status = 0;

  if (flow->done)
    return;

  body = od_oauth_post_finish (result, &status, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_error_free (error);
          return;
        }
      flow_return (task, NULL, error);
      return;
    }

  answer_object = od_oauth_read_answer (status, body, &error);
  if (answer_object == NULL)
    {
      flow_return (task, NULL, error);
      return;
    }

  device_code = od_oauth_json_get_string (answer_object, "device_code");
  user_code = od_oauth_json_get_string (answer_object, "user_code");
  /* RFC 8628 says verification_uri; Google says verification_url. */
  verification_uri = od_oauth_json_get_string (answer_object, "verification_uri");
  if (verification_uri == NULL)
    verification_uri = od_oauth_json_get_string (answer_object, "verification_url");

  if (!od_oauth_is_token_text (device_code) || user_code == NULL ||
      user_code[0] == '\0' || strlen (user_code) > MAX_USER_CODE ||
      !od_text_is_clean (user_code, -1, OD_TEXT_SINGLE_LINE) || verification_uri == NULL ||
      strlen (verification_uri) > 2048 ||
      !od_text_is_clean (verification_uri, -1, OD_TEXT_SINGLE_LINE))
    {
      flow_return (task, NULL, od_oauth_error_new_from_answer (status, NULL, NULL, NULL, FALSE));
      return;
    }

  /* The person will type this address: only https (or the tests' loopback). */
  if (!od_oauth_endpoint_is_allowed (verification_uri, &error))
    {
      flow_return (task, NULL, error);
      return;
    }

  /* expires_in is required, but one missing does no harm: expired_token says when. */
  od_oauth_json_get_seconds (answer_object, "expires_in", &expires_in);
  od_oauth_json_get_seconds (answer_object, "interval", &interval);
  interval = CLAMP (interval, 1, MAX_INTERVAL);

  flow->device_code = g_strdup (device_code);
  flow->interval_ms = interval * 1000;
  flow->expires_at = g_get_monotonic_time () + expires_in * G_USEC_PER_SEC;
  /* The person is told how long the code lives: the wait is that long (at most half an
   * hour), unless the caller set its own. */
  if (!self->wait_set)
    od_deadline_restart (flow->wait, (guint) MIN (expires_in, 30 * 60) * 1000);

  g_signal_emit (self, signals[SIGNAL_DEVICE_CODE], 0, user_code, verification_uri,
                 (guint)expires_in);

  /* A handler may have cancelled. */
  if (!flow->done)
    schedule_poll (task);
}

static void
od_oauth_sign_in_finalize (GObject *object)
{
  OdOAuthSignIn *self = (OdOAuthSignIn *)object;

  g_clear_pointer (&self->provider, od_oauth_provider_free);
  g_clear_pointer (&self->login_hint, g_free);
  g_clear_object (&self->launch_context);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (od_oauth_sign_in_parent_class)->finalize (object);
}

static void
od_oauth_sign_in_class_init (OdOAuthSignInClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = od_oauth_sign_in_finalize;

  /**
   * OdOAuthSignIn::uri:
   * @uri: the authorization URL
   *
   * Emitted before the browser is opened.
   */
  signals[SIGNAL_URI] =
    g_signal_new ("uri", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * OdOAuthSignIn::device-code:
   * @user_code: what the person enters
   * @verification_uri: where
   * @expires_in: within how many seconds
   */
  signals[SIGNAL_DEVICE_CODE] =
    g_signal_new ("device-code", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT);
}

static void
od_oauth_sign_in_init (OdOAuthSignIn *self)
{
  self->wait_ms = OD_OAUTH_DEFAULT_WAIT_MS;
  self->request_ms = OD_OAUTH_DEFAULT_REQUEST_MS;
  self->poll_scale = 1.0;
  self->session = od_oauth_session_new ();
}

/**
 * od_oauth_sign_in_new:
 * @provider: where to sign in (copied)
 *
 * Returns: (transfer full): a sign-in; run one flow at a time on it
 */
OdOAuthSignIn *
od_oauth_sign_in_new (const OdOAuthProvider *provider)
{
  OdOAuthSignIn *self;

  g_return_val_if_fail (provider != NULL, NULL);

  self = g_object_new (OD_TYPE_OAUTH_SIGN_IN, NULL);
  self->provider = od_oauth_provider_copy (provider);

  return self;
}

/**
 * od_oauth_sign_in_set_login_hint:
 * @address: (nullable): the mail address, so the provider's page suggests that account
 */
void
od_oauth_sign_in_set_login_hint (OdOAuthSignIn *self,
                                 const char    *address)
{
  g_return_if_fail (OD_IS_OAUTH_SIGN_IN (self));

  g_free (self->login_hint);
  self->login_hint = g_strdup (address);
}

/**
 * od_oauth_sign_in_set_launch_context:
 * @context: (nullable): the launch context of the window the sign-in starts from
 */
void
od_oauth_sign_in_set_launch_context (OdOAuthSignIn     *self,
                                     GAppLaunchContext *context)
{
  g_return_if_fail (OD_IS_OAUTH_SIGN_IN (self));
  g_return_if_fail (!context || G_IS_APP_LAUNCH_CONTEXT (context));

  g_set_object (&self->launch_context, context);
}

/**
 * od_oauth_sign_in_set_timeouts:
 * @wait_ms: how long the person has to sign in (%OD_OAUTH_DEFAULT_WAIT_MS)
 * @request_ms: the deadline of each request to the provider (%OD_OAUTH_DEFAULT_REQUEST_MS)
 */
void
od_oauth_sign_in_set_timeouts (OdOAuthSignIn *self,
                               guint          wait_ms,
                               guint          request_ms)
{
  g_return_if_fail (OD_IS_OAUTH_SIGN_IN (self));
  g_return_if_fail (wait_ms > 0 && request_ms > 0);

  self->wait_ms = wait_ms;
  self->wait_set = TRUE;
  self->request_ms = request_ms;
}

/**
 * od_oauth_sign_in_browser_async:
 *
 * Signs in through the system browser: listens on 127.0.0.1, emits #OdOAuthSignIn::uri,
 * opens the authorization URL, waits (up to the wait time) for the redirect, answers the
 * browser with a page and stops listening, then exchanges the code. Fails with
 * %OD_OAUTH_ERROR_BROWSER when no browser can be opened, %G_IO_ERROR_TIMED_OUT when nobody
 * signed in within the wait time.
 */
void
od_oauth_sign_in_browser_async (OdOAuthSignIn       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *url = NULL;
  GError *error = NULL;
  Flow *flow;

  g_return_if_fail (OD_IS_OAUTH_SIGN_IN (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, od_oauth_sign_in_browser_async);
  flow = flow_new (self, task, cancellable);

  if (!check_provider (self, &error) ||
      !od_oauth_endpoint_is_allowed (self->provider->authorization_endpoint, &error) ||
      !listen_on_loopback (self, flow, task, &error))
    {
      flow_return (task, NULL, error);
      return;
    }

  flow->state = od_oauth_random_base64url (STATE_BYTES);
  flow->verifier = od_oauth_random_base64url (VERIFIER_BYTES);
  challenge = pkce_challenge_new (flow->verifier);

  url = authorization_url_new (self, flow, challenge);
  if (url == NULL)
    {
      flow_return (task, NULL, od_oauth_error_new_from_answer (0, NULL, NULL, NULL, FALSE));
      return;
    }

  g_signal_emit (self, signals[SIGNAL_URI], 0, url);
  if (flow->done)
    return;

  g_app_info_launch_default_for_uri_async (url, self->launch_context,
                                           od_deadline_get_cancellable (flow->wait),
                                           launch_cb, g_object_ref (task));
}

/**
 * od_oauth_sign_in_device_async:
 *
 * Signs in with the device authorization grant (RFC 8628): asks the device endpoint for a
 * code, emits #OdOAuthSignIn::device-code, and polls the token endpoint until the person has
 * approved (or declined) on another device. %OD_OAUTH_ERROR_EXPIRED when the code expired,
 * %G_IO_ERROR_TIMED_OUT after the wait time. A provider without a device endpoint fails with
 * %OD_OAUTH_ERROR_BROWSER: it can only sign in through a browser.
 */
void
od_oauth_sign_in_device_async (OdOAuthSignIn       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *scope = NULL;
  GError *error = NULL;
  Flow *flow;

  g_return_if_fail (OD_IS_OAUTH_SIGN_IN (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, od_oauth_sign_in_device_async);
  flow = flow_new (self, task, cancellable);

  if (!check_provider (self, &error))
    {
      flow_return (task, NULL, error);
      return;
    }

  if (self->provider->device_endpoint == NULL || self->provider->device_endpoint[0] == '\0')
    {
      const char *name = self->provider->display_name;

      flow_return (task, NULL,
                   g_error_new (OD_OAUTH_ERROR, OD_OAUTH_ERROR_BROWSER,
                                /* Translators: %s is a provider such as "Google" */
                                _("%s offers no sign-in without a web browser to Outbox "
                                  "Doctor. Sign in on a computer with a web browser, or use "
                                  "an app password if the provider allows one."),
                                name ? name : self->provider->id));
      return;
    }

  scope = od_oauth_provider_dup_scope (self->provider);
  form = od_oauth_form_new ();
  od_oauth_form_add (form, "client_id", self->provider->client_id);
  od_oauth_form_add (form, "scope", scope[0] != '\0' ? scope : NULL);

  od_oauth_post_async (self->session, self->provider->device_endpoint, form, self->request_ms,
                       od_deadline_get_cancellable (flow->wait), device_code_cb,
                       g_steal_pointer (&task));
}

/**
 * od_oauth_sign_in_finish:
 *
 * Returns: (transfer full): the tokens, or %NULL with @error set
 */
OdOAuthTokens *
od_oauth_sign_in_finish (OdOAuthSignIn  *self,
                         GAsyncResult   *result,
                         GError        **error)
{
  g_return_val_if_fail (OD_IS_OAUTH_SIGN_IN (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * od_oauth_sign_in_set_poll_scale_for_testing:
 * @scale: the factor for the device flow's poll interval, > 0
 *
 * For tests only (od-oauth-private.h).
 */
void
od_oauth_sign_in_set_poll_scale_for_testing (OdOAuthSignIn *self,
                                             double         scale)
{
  g_return_if_fail (OD_IS_OAUTH_SIGN_IN (self));
  g_return_if_fail (scale > 0);

  self->poll_scale = scale;
}
