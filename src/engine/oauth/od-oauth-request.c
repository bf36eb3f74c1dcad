/* od-oauth-request.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-oauth"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "od-deadline.h"
#include "od-oauth.h"
#include "od-oauth-private.h"

/* Our own token client: a form POSTed to an endpoint (RFC 6749 §4.1.3, §6; RFC 8628 §3.1,
 * §3.4), the status and the body read back, bounded, with a deadline. librest's token
 * requests ignore the HTTP status and lose the error answer (docs/decisions.md), so the
 * code exchange, refresh and the device flow all go through here. The form and the answer
 * hold secrets: both live in buffers of ours that are wiped before they are freed. */

typedef struct
{
  SoupSession  *session;
  SoupMessage  *message;
  GInputStream *stream;
  OdDeadline   *deadline;
  char         *buffer;      /* OD_OAUTH_MAX_ANSWER + 1 bytes, wiped */
  gsize         length;
  guint         timeout_ms;
} Post;

static void
wipe_free (gpointer data)
{
  od_oauth_wipe_string (data);
  g_free (data);
}

/* A copy of an answer, wiped when its GBytes lets go of it. */
typedef struct
{
  gsize  size;
  guint8 data[];
} Wiped;

static void
wiped_free (gpointer data)
{
  Wiped *wiped = data;

  memset (wiped->data, 0, wiped->size);
  g_free (wiped);
}

static GBytes *
wiped_bytes_new (const char *data,
                 gsize       size)
{
  Wiped *wiped = g_malloc (sizeof (Wiped) + size + 1);

  wiped->size = size;
  memcpy (wiped->data, data, size);
  wiped->data[size] = '\0';

  return g_bytes_new_with_free_func (wiped->data, size, wiped_free, wiped);
}

static void
post_free (Post *post)
{
  if (post->stream != NULL)
    g_input_stream_close_async (post->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&post->stream);
  g_clear_object (&post->message);
  g_clear_object (&post->session);
  g_clear_pointer (&post->deadline, od_deadline_free);
  if (post->buffer != NULL)
    memset (post->buffer, 0, OD_OAUTH_MAX_ANSWER + 1);
  g_free (post->buffer);
  g_free (post);
}

static void
return_error (GTask  *task,
              GError *error)
{
  Post *post = g_task_get_task_data (task);
  g_autofree char *timed_out = NULL;

  od_deadline_stop (post->deadline);

  timed_out = g_strdup_printf (/* Translators: %u is a number of seconds */
                               g_dngettext (GETTEXT_PACKAGE,
                                            "The provider’s sign-in service did not answer "
                                            "within %u second. Check the network connection "
                                            "and try again.",
                                            "The provider’s sign-in service did not answer "
                                            "within %u seconds. Check the network connection "
                                            "and try again.",
                                            MAX (post->timeout_ms / 1000, 1)),
                               MAX (post->timeout_ms / 1000, 1));
  od_deadline_timed_out_error (post->deadline, &error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               timed_out);
  g_task_return_error (task, error);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Post *post = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n < 0)
    {
      return_error (task, error);
      return;
    }

  post->length += n;

  if (n > 0 && post->length <= OD_OAUTH_MAX_ANSWER)
    {
      g_input_stream_read_async (post->stream, post->buffer + post->length,
                                 OD_OAUTH_MAX_ANSWER + 1 - post->length, G_PRIORITY_DEFAULT,
                                 od_deadline_get_cancellable (post->deadline), read_cb,
                                 g_steal_pointer (&task));
      return;
    }

  od_deadline_stop (post->deadline);

  if (post->length > OD_OAUTH_MAX_ANSWER)
    {
      /* Not a token answer: say so as for any other answer that makes no sense. */
      g_task_return_error (task, od_oauth_error_new_from_answer (soup_message_get_status (post->message),
                                                                 NULL, NULL, NULL, FALSE));
      return;
    }

  /* The bytes own a copy that is wiped when the last reference goes. */
  g_task_return_pointer (task, wiped_bytes_new (post->buffer, post->length),
                         (GDestroyNotify)g_bytes_unref);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Post *post = g_task_get_task_data (task);
  GError *error = NULL;

  post->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (post->stream == NULL)
    {
      return_error (task, error);
      return;
    }

  post->buffer = g_malloc0 (OD_OAUTH_MAX_ANSWER + 1);
  g_input_stream_read_async (post->stream, post->buffer, OD_OAUTH_MAX_ANSWER + 1,
                             G_PRIORITY_DEFAULT, od_deadline_get_cancellable (post->deadline),
                             read_cb, g_steal_pointer (&task));
}

/**
 * od_oauth_session_new:
 *
 * Returns: (transfer full): the session the sign-in talks to providers with: our own, no
 *   cookie jar (libsoup adds none unless asked), our user agent
 */
SoupSession *
od_oauth_session_new (void)
{
  return soup_session_new_with_options ("user-agent", "OutboxDoctor/" PACKAGE_VERSION,
                                        NULL);
}

/**
 * od_oauth_random_base64url:
 * @n_bytes: how many random bytes
 *
 * Returns: (transfer full): @n_bytes from GnuTLS's random generator, base64url without
 *   padding (RFC 7636 §4.1's alphabet)
 */
char *
od_oauth_random_base64url (gsize n_bytes)
{
  g_autofree guint8 *bytes = g_malloc (n_bytes);
  char *text;

  if (gnutls_rnd (GNUTLS_RND_KEY, bytes, n_bytes) != 0)
    g_error ("The system’s random number generator failed");

  text = g_base64_encode (bytes, n_bytes);
  memset (bytes, 0, n_bytes);
  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  if (strchr (text, '=') != NULL)
    *strchr (text, '=') = '\0';

  return text;
}

/**
 * od_oauth_no_client_id_error:
 *
 * Returns: (transfer full): %OD_OAUTH_ERROR_NO_CLIENT_ID for @provider
 */
GError *
od_oauth_no_client_id_error (const OdOAuthProvider *provider)
{
  const char *name = provider->display_name ? provider->display_name : provider->id;

  return g_error_new (OD_OAUTH_ERROR, OD_OAUTH_ERROR_NO_CLIENT_ID,
                      /* Translators: %s is a provider such as "Google" or "Microsoft" */
                      _("This build of Outbox Doctor cannot sign in with %s: it has no client "
                        "ID for it. Enter your own client ID, or use GNOME Online Accounts or "
                        "an app password instead."),
                      name ? name : "?");
}

/**
 * od_oauth_form_new:
 *
 * Returns: (transfer full): a form for od_oauth_post_async(); its values are wiped when it
 *   is destroyed
 */
GHashTable *
od_oauth_form_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
}

/**
 * od_oauth_form_add:
 * @value: (nullable): the value; %NULL leaves the field out
 */
void
od_oauth_form_add (GHashTable *form,
                   const char *name,
                   const char *value)
{
  if (value != NULL)
    g_hash_table_replace (form, g_strdup (name), g_strdup (value));
}

/**
 * od_oauth_post_async:
 * @session: (nullable): the session, or %NULL for a new one (od_oauth_session_new())
 * @endpoint: the endpoint; refused unless od_oauth_endpoint_is_allowed()
 * @form: the fields (od_oauth_form_new())
 * @timeout_ms: the deadline for the whole request
 *
 * POSTs @form, application/x-www-form-urlencoded, without following redirects (a token
 * request must not be sent anywhere else), and reads the answer, whatever its status.
 */
void
od_oauth_post_async (SoupSession         *session,
                     const char          *endpoint,
                     GHashTable          *form,
                     guint                timeout_ms,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) request_body = NULL;
  g_autoptr(GUri) uri = NULL;
  GError *error = NULL;
  char *encoded;
  Post *post;

  g_return_if_fail (!session || SOUP_IS_SESSION (session));
  g_return_if_fail (form != NULL);

  post = g_new0 (Post, 1);
  post->session = session ? g_object_ref (session) : od_oauth_session_new ();
  post->timeout_ms = timeout_ms;
  post->deadline = od_deadline_new (cancellable, timeout_ms, "[od] oauth request deadline");

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, od_oauth_post_async);
  g_task_set_task_data (task, post, (GDestroyNotify)post_free);

  if (!od_oauth_endpoint_is_allowed (endpoint, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  uri = g_uri_parse (endpoint, SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* soup_message_new_from_encoded_form() would free the form unwiped: the body is ours. */
  encoded = soup_form_encode_hash (form);
  request_body = g_bytes_new_with_free_func (encoded, strlen (encoded), wipe_free, encoded);

  post->message = soup_message_new_from_uri (SOUP_METHOD_POST, uri);
  soup_message_set_request_body_from_bytes (post->message, "application/x-www-form-urlencoded",
                                            request_body);
  soup_message_add_flags (post->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (post->message),
                                "Accept", "application/json");

  soup_session_send_async (post->session, post->message, G_PRIORITY_DEFAULT,
                           od_deadline_get_cancellable (post->deadline), send_cb,
                           g_steal_pointer (&task));
}

/**
 * od_oauth_post_finish:
 * @status: (out): the HTTP status
 *
 * Returns: (transfer full): the answer's body (wiped when freed), or %NULL with @error set
 *   (%G_IO_ERROR_TIMED_OUT, %G_IO_ERROR_CANCELLED, %OD_OAUTH_ERROR_INSECURE, a network or
 *   TLS error, %OD_OAUTH_ERROR_PROTOCOL for an oversized answer)
 */
GBytes *
od_oauth_post_finish (GAsyncResult  *result,
                      guint         *status,
                      GError       **error)
{
  Post *post;
  GBytes *body;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  post = g_task_get_task_data (G_TASK (result));
  body = g_task_propagate_pointer (G_TASK (result), error);

  if (status != NULL)
    *status = body != NULL ? soup_message_get_status (post->message) : 0;

  return body;
}

static void
refresh_cb (GObject      *object,
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
      g_task_return_error (task, error);
      return;
    }

  tokens = od_oauth_tokens_parse_response (status, body, &error);
  if (tokens == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, tokens, (GDestroyNotify)od_oauth_tokens_free);
}

/**
 * od_oauth_refresh_async:
 * @refresh_token: the refresh token from the keyring
 * @timeout_ms: the deadline for the request
 *
 * Asks the token endpoint for a new access token (grant_type=refresh_token, with the client
 * secret when the provider has one, and the scopes).
 */
void
od_oauth_refresh_async (const OdOAuthProvider *provider,
                        const char            *refresh_token,
                        guint                  timeout_ms,
                        GCancellable          *cancellable,
                        GAsyncReadyCallback    callback,
                        gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *scope = NULL;

  g_return_if_fail (provider != NULL);
  g_return_if_fail (refresh_token != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, od_oauth_refresh_async);

  if (provider->client_id == NULL || provider->client_id[0] == '\0')
    {
      g_task_return_error (task, od_oauth_no_client_id_error (provider));
      return;
    }

  scope = od_oauth_provider_dup_scope (provider);
  form = od_oauth_form_new ();
  od_oauth_form_add (form, "grant_type", "refresh_token");
  od_oauth_form_add (form, "client_id", provider->client_id);
  od_oauth_form_add (form, "client_secret", provider->client_secret);
  od_oauth_form_add (form, "refresh_token", refresh_token);
  od_oauth_form_add (form, "scope", scope[0] != '\0' ? scope : NULL);

  od_oauth_post_async (NULL, provider->token_endpoint, form, timeout_ms, cancellable,
                       refresh_cb, g_steal_pointer (&task));
}

/**
 * od_oauth_refresh_finish:
 *
 * Returns: (transfer full): the new tokens (refresh_token set only when the provider rotated
 *   it), or %NULL with @error set
 */
OdOAuthTokens *
od_oauth_refresh_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
