/* od-fake-oauth-server.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-fake-oauth-server"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "od-fake-oauth-server.h"

#define ADMIN_CONSENT_DESCRIPTION \
  "AADSTS65001: The user or administrator has not consented to use the application with " \
  "ID 'fake-client' named 'Outbox Doctor'. Send an interactive authorization request for " \
  "this user and resource.\r\nTrace ID: 0000"

struct _OdFakeOAuthServer
{
  GObject           parent_instance;

  SoupServer       *server;
  guint16           port;

  /* Configuration */
  char             *client_id;
  char             *client_secret;
  char             *access_token;
  char             *refresh_token;
  char             *refresh_access_token;
  char             *rotated_refresh_token;
  int               expires_in;
  OdFakeOAuthFault  fault;
  guint             token_delay_ms;
  guint             device_pending;
  gboolean          device_slow_down;
  guint             device_interval;
  guint             device_expires_in;
  gboolean          device_google_style;
  char             *secrets_log;

  /* What was asked */
  char             *code;
  char             *challenge;
  char             *redirect_uri;
  char             *device_code;
  char             *last_state;
  char             *last_login_hint;
  char             *last_scope;
  char             *last_method;
  char             *last_refresh_secret;
  char             *last_refresh_scope;
  GPtrArray        *grant_types;
  guint             n_authorize;
  guint             n_token;
  guint             n_rejected;
  guint             n_polls;
};

G_DEFINE_FINAL_TYPE (OdFakeOAuthServer, od_fake_oauth_server, G_TYPE_OBJECT)

static void
log_secret (OdFakeOAuthServer *self,
            const char        *secret)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autofree char *line = NULL;

  if (self->secrets_log == NULL || secret == NULL || secret[0] == '\0')
    return;

  file = g_file_new_for_path (self->secrets_log);
  stream = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, NULL);
  if (stream == NULL)
    return;

  line = g_strconcat (secret, "\n", NULL);
  g_output_stream_write_all (G_OUTPUT_STREAM (stream), line, strlen (line), NULL, NULL, NULL);
}

static void
reply_json (SoupServerMessage *message,
            guint              status,
            JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, FALSE);
  gsize length = strlen (text);

  soup_server_message_set_status (message, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

static void
reply_error (OdFakeOAuthServer *self,
             SoupServerMessage *message,
             guint              status,
             const char        *error,
             const char        *description,
             gint64             error_code)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error);
  if (description != NULL)
    {
      json_builder_set_member_name (builder, "error_description");
      json_builder_add_string_value (builder, description);
    }
  if (error_code != 0)
    {
      json_builder_set_member_name (builder, "error_codes");
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, error_code);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  reply_json (message, status, builder);
}

static void
reply_tokens (OdFakeOAuthServer *self,
              SoupServerMessage *message,
              const char        *access_token,
              const char        *refresh_token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "Bearer");
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, access_token);
  if (self->expires_in > 0)
    {
      json_builder_set_member_name (builder, "expires_in");
      json_builder_add_int_value (builder, self->expires_in);
    }
  if (refresh_token != NULL)
    {
      json_builder_set_member_name (builder, "refresh_token");
      json_builder_add_string_value (builder, refresh_token);
      log_secret (self, refresh_token);
    }
  json_builder_set_member_name (builder, "scope");
  json_builder_add_string_value (builder, self->last_scope ? self->last_scope : "");
  json_builder_end_object (builder);

  reply_json (message, SOUP_STATUS_OK, builder);
}

static void
reply_text (SoupServerMessage *message,
            guint              status,
            const char        *text)
{
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

static gboolean
is_loopback_redirect (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

  return parsed != NULL &&
         g_strcmp0 (g_uri_get_scheme (parsed), "http") == 0 &&
         (g_strcmp0 (g_uri_get_host (parsed), "127.0.0.1") == 0 ||
          g_strcmp0 (g_uri_get_host (parsed), "::1") == 0) &&
         g_uri_get_port (parsed) > 0 &&
         g_strcmp0 (g_uri_get_path (parsed), "/") == 0 &&
         g_uri_get_query (parsed) == NULL &&
         g_uri_get_userinfo (parsed) == NULL;
}

static void
redirect (SoupServerMessage *message,
          const char        *redirect_uri,
          const char        *query)
{
  g_autofree char *location = g_strconcat (redirect_uri, "?", query, NULL);

  soup_server_message_set_redirect (message, SOUP_STATUS_FOUND, location);
}

static void
handle_authorize (OdFakeOAuthServer *self,
                  SoupServerMessage *message,
                  GHashTable        *query)
{
  const char *redirect_uri = query ? g_hash_table_lookup (query, "redirect_uri") : NULL;
  const char *state = query ? g_hash_table_lookup (query, "state") : NULL;
  g_autofree char *params = NULL;

  self->n_authorize++;

  if (query == NULL ||
      g_strcmp0 (g_hash_table_lookup (query, "response_type"), "code") != 0 ||
      g_strcmp0 (g_hash_table_lookup (query, "client_id"), self->client_id) != 0 ||
      redirect_uri == NULL || !is_loopback_redirect (redirect_uri) ||
      g_hash_table_lookup (query, "code_challenge") == NULL)
    {
      self->n_rejected++;
      reply_text (message, SOUP_STATUS_BAD_REQUEST, "Bad authorization request\n");
      return;
    }

  g_free (self->last_state);
  self->last_state = g_strdup (state);
  g_free (self->last_login_hint);
  self->last_login_hint = g_strdup (g_hash_table_lookup (query, "login_hint"));
  g_free (self->last_scope);
  self->last_scope = g_strdup (g_hash_table_lookup (query, "scope"));
  g_free (self->last_method);
  self->last_method = g_strdup (g_hash_table_lookup (query, "code_challenge_method"));
  g_free (self->redirect_uri);
  self->redirect_uri = g_strdup (redirect_uri);
  g_free (self->challenge);
  self->challenge = g_strdup (g_hash_table_lookup (query, "code_challenge"));

  /* Only S256 is accepted (RFC 7636 §4.2: "plain" is for clients that cannot hash). */
  if (g_strcmp0 (self->last_method, "S256") != 0)
    {
      self->n_rejected++;
      params = soup_form_encode ("error", "invalid_request",
                                 "error_description", "code_challenge_method must be S256",
                                 "state", state, NULL);
      redirect (message, redirect_uri, params);
      return;
    }

  switch (self->fault)
    {
    case OD_FAKE_OAUTH_FAULT_NO_REDIRECT:
      reply_text (message, SOUP_STATUS_OK, "Sign in here (this page never goes on)\n");
      return;
    case OD_FAKE_OAUTH_FAULT_DENIED:
      params = soup_form_encode ("error", "access_denied",
                                 "error_description", "The user denied the request",
                                 "state", state, NULL);
      break;
    case OD_FAKE_OAUTH_FAULT_ADMIN_CONSENT_REDIRECT:
      params = soup_form_encode ("error", "invalid_request",
                                 "error_description", ADMIN_CONSENT_DESCRIPTION,
                                 "state", state, NULL);
      break;
    case OD_FAKE_OAUTH_FAULT_WRONG_STATE:
    case OD_FAKE_OAUTH_FAULT_NONE:
    case OD_FAKE_OAUTH_FAULT_ADMIN_CONSENT_TOKEN:
    case OD_FAKE_OAUTH_FAULT_REVOKED:
    case OD_FAKE_OAUTH_FAULT_DEVICE_EXPIRED:
    case OD_FAKE_OAUTH_FAULT_DEVICE_DENIED:
    default:
      {
        g_autofree char *wrong = g_strconcat ("x", state ? state : "", NULL);
        g_autofree char *uuid = g_uuid_string_random ();

        g_free (self->code);
        self->code = g_strconcat ("code-", uuid, NULL);
        log_secret (self, self->code);
        params = soup_form_encode ("code", self->code, "state",
                                   self->fault == OD_FAKE_OAUTH_FAULT_WRONG_STATE ? wrong : state,
                                   NULL);
      }
      break;
    }

  redirect (message, redirect_uri, params);
}

static char *
s256 (const char *verifier)
{
  g_autoptr(GChecksum) sha256 = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  char *text;

  g_checksum_update (sha256, (const guchar *)verifier, strlen (verifier));
  g_checksum_get_digest (sha256, digest, &length);
  text = g_base64_encode (digest, length);
  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  if (strchr (text, '=') != NULL)
    *strchr (text, '=') = '\0';

  return text;
}

static gboolean
client_ok (OdFakeOAuthServer *self,
           GHashTable        *form)
{
  return g_strcmp0 (g_hash_table_lookup (form, "client_id"), self->client_id) == 0 &&
         (self->client_secret == NULL ||
          g_strcmp0 (g_hash_table_lookup (form, "client_secret"), self->client_secret) == 0);
}

static void
handle_authorization_code (OdFakeOAuthServer *self,
                           SoupServerMessage *message,
                           GHashTable        *form)
{
  const char *verifier = g_hash_table_lookup (form, "code_verifier");
  g_autofree char *challenge = NULL;

  log_secret (self, verifier);

  if (!client_ok (self, form))
    {
      self->n_rejected++;
      reply_error (self, message, SOUP_STATUS_UNAUTHORIZED, "invalid_client", NULL, 0);
      return;
    }

  challenge = verifier ? s256 (verifier) : NULL;

  if (self->code == NULL ||
      g_strcmp0 (g_hash_table_lookup (form, "code"), self->code) != 0 ||
      g_strcmp0 (g_hash_table_lookup (form, "redirect_uri"), self->redirect_uri) != 0 ||
      challenge == NULL || g_strcmp0 (challenge, self->challenge) != 0)
    {
      self->n_rejected++;
      reply_error (self, message, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                   "The code, redirect_uri or code_verifier is wrong", 0);
      return;
    }

  /* A code is good once. */
  g_clear_pointer (&self->code, g_free);

  if (self->fault == OD_FAKE_OAUTH_FAULT_ADMIN_CONSENT_TOKEN)
    {
      reply_error (self, message, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                   ADMIN_CONSENT_DESCRIPTION, 65001);
      return;
    }

  reply_tokens (self, message, self->access_token, self->refresh_token);
}

static void
handle_refresh (OdFakeOAuthServer *self,
                SoupServerMessage *message,
                GHashTable        *form)
{
  const char *refresh_token = g_hash_table_lookup (form, "refresh_token");

  log_secret (self, refresh_token);
  g_free (self->last_refresh_secret);
  self->last_refresh_secret = g_strdup (g_hash_table_lookup (form, "client_secret"));
  g_free (self->last_refresh_scope);
  self->last_refresh_scope = g_strdup (g_hash_table_lookup (form, "scope"));

  if (!client_ok (self, form))
    {
      self->n_rejected++;
      reply_error (self, message, SOUP_STATUS_UNAUTHORIZED, "invalid_client", NULL, 0);
      return;
    }

  if (self->fault == OD_FAKE_OAUTH_FAULT_ADMIN_CONSENT_TOKEN)
    {
      reply_error (self, message, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                   ADMIN_CONSENT_DESCRIPTION, 65001);
      return;
    }

  if (self->fault == OD_FAKE_OAUTH_FAULT_REVOKED || refresh_token == NULL ||
      g_strcmp0 (refresh_token, self->refresh_token) != 0)
    {
      reply_error (self, message, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                   "Token has been expired or revoked.", 0);
      return;
    }

  if (self->rotated_refresh_token != NULL)
    {
      g_free (self->refresh_token);
      self->refresh_token = g_strdup (self->rotated_refresh_token);
    }

  reply_tokens (self, message, self->refresh_access_token, self->rotated_refresh_token);
}

static void
handle_device_poll (OdFakeOAuthServer *self,
                    SoupServerMessage *message,
                    GHashTable        *form)
{
  const char *device_code = g_hash_table_lookup (form, "device_code");

  log_secret (self, device_code);
  self->n_polls++;

  if (!client_ok (self, form))
    {
      self->n_rejected++;
      reply_error (self, message, SOUP_STATUS_UNAUTHORIZED, "invalid_client", NULL, 0);
      return;
    }

  if (self->device_code == NULL || g_strcmp0 (device_code, self->device_code) != 0)
    {
      self->n_rejected++;
      reply_error (self, message, SOUP_STATUS_BAD_REQUEST, "invalid_grant", NULL, 0);
      return;
    }

  if (self->fault == OD_FAKE_OAUTH_FAULT_DEVICE_EXPIRED)
    {
      reply_error (self, message, SOUP_STATUS_BAD_REQUEST, "expired_token", NULL, 0);
      return;
    }

  if (self->fault == OD_FAKE_OAUTH_FAULT_DEVICE_DENIED)
    {
      reply_error (self, message, SOUP_STATUS_BAD_REQUEST, "access_denied", NULL, 0);
      return;
    }

  if (self->device_slow_down)
    {
      self->device_slow_down = FALSE;
      reply_error (self, message, SOUP_STATUS_BAD_REQUEST, "slow_down", NULL, 0);
      return;
    }

  if (self->device_pending > 0)
    {
      self->device_pending--;
      /* Google answers 428 here; RFC 8628 and Microsoft 400. */
      reply_error (self, message,
                   self->device_google_style ? 428 : SOUP_STATUS_BAD_REQUEST,
                   "authorization_pending", NULL, 0);
      return;
    }

  g_clear_pointer (&self->device_code, g_free);
  reply_tokens (self, message, self->access_token, self->refresh_token);
}

static void
handle_token (OdFakeOAuthServer *self,
              SoupServerMessage *message)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessageBody *request_body = soup_server_message_get_request_body (message);
  const char *content_type;
  const char *grant_type;

  self->n_token++;
  content_type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (message),
                                                        NULL);
  body = soup_message_body_flatten (request_body);

  if (g_strcmp0 (content_type, "application/x-www-form-urlencoded") != 0)
    {
      self->n_rejected++;
      reply_error (self, message, SOUP_STATUS_BAD_REQUEST, "invalid_request", NULL, 0);
      return;
    }

  {
    g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    form = soup_form_decode (text);
  }

  grant_type = g_hash_table_lookup (form, "grant_type");
  g_ptr_array_add (self->grant_types, g_strdup (grant_type ? grant_type : "(none)"));

  if (g_strcmp0 (grant_type, "authorization_code") == 0)
    handle_authorization_code (self, message, form);
  else if (g_strcmp0 (grant_type, "refresh_token") == 0)
    handle_refresh (self, message, form);
  else if (g_strcmp0 (grant_type, "urn:ietf:params:oauth:grant-type:device_code") == 0)
    handle_device_poll (self, message, form);
  else
    reply_error (self, message, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type", NULL, 0);
}

static void
handle_devicecode (OdFakeOAuthServer *self,
                   SoupServerMessage *message)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (message));
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_autoptr(GHashTable) form = soup_form_decode (text);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *verification = NULL;
  g_autofree char *uuid = g_uuid_string_random ();

  if (g_strcmp0 (g_hash_table_lookup (form, "client_id"), self->client_id) != 0)
    {
      self->n_rejected++;
      reply_error (self, message, SOUP_STATUS_BAD_REQUEST, "unauthorized_client", NULL, 0);
      return;
    }

  g_free (self->last_scope);
  self->last_scope = g_strdup (g_hash_table_lookup (form, "scope"));
  g_free (self->device_code);
  self->device_code = g_strconcat ("device-", uuid, NULL);
  log_secret (self, self->device_code);
  verification = g_strdup_printf ("http://127.0.0.1:%u/device", self->port);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "device_code");
  json_builder_add_string_value (builder, self->device_code);
  json_builder_set_member_name (builder, "user_code");
  json_builder_add_string_value (builder, "WDJB-MJHT");
  json_builder_set_member_name (builder,
                                self->device_google_style ? "verification_url"
                                                          : "verification_uri");
  json_builder_add_string_value (builder, verification);
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, self->device_expires_in);
  json_builder_set_member_name (builder, "interval");
  json_builder_add_int_value (builder, self->device_interval);
  json_builder_end_object (builder);

  reply_json (message, SOUP_STATUS_OK, builder);
}

static gboolean
unpause_cb (gpointer user_data)
{
  SoupServerMessage *message = user_data;

  g_object_set_data (G_OBJECT (message), "od-unpause", NULL);
  soup_server_message_unpause (message);

  return G_SOURCE_REMOVE;
}

/* The client gave up while the answer was held back: nothing to unpause any more. */
static void
delayed_gone_cb (SoupServerMessage *message,
                 gpointer           user_data)
{
  guint id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (message), "od-unpause"));

  if (id != 0)
    {
      g_object_set_data (G_OBJECT (message), "od-unpause", NULL);
      g_source_remove (id);
    }
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *message,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  OdFakeOAuthServer *self = user_data;
  const char *method = soup_server_message_get_method (message);

  if (g_strcmp0 (path, "/authorize") == 0 && g_strcmp0 (method, "GET") == 0)
    handle_authorize (self, message, query);
  else if (g_strcmp0 (path, "/token") == 0 && g_strcmp0 (method, "POST") == 0)
    {
      handle_token (self, message);
      if (self->token_delay_ms > 0)
        {
          guint id;

          soup_server_message_pause (message);
          id = g_timeout_add_full (G_PRIORITY_DEFAULT, self->token_delay_ms, unpause_cb,
                                   g_object_ref (message), g_object_unref);
          g_object_set_data (G_OBJECT (message), "od-unpause", GUINT_TO_POINTER (id));
          g_signal_connect (message, "disconnected", G_CALLBACK (delayed_gone_cb), NULL);
          g_signal_connect (message, "finished", G_CALLBACK (delayed_gone_cb), NULL);
        }
    }
  else if (g_strcmp0 (path, "/devicecode") == 0 && g_strcmp0 (method, "POST") == 0)
    handle_devicecode (self, message);
  else if (g_strcmp0 (path, "/device") == 0)
    reply_text (message, SOUP_STATUS_OK, "Enter the code\n");
  else
    reply_text (message, SOUP_STATUS_NOT_FOUND, "Not found\n");
}

static void
od_fake_oauth_server_dispose (GObject *object)
{
  OdFakeOAuthServer *self = (OdFakeOAuthServer *)object;

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }

  G_OBJECT_CLASS (od_fake_oauth_server_parent_class)->dispose (object);
}

static void
od_fake_oauth_server_finalize (GObject *object)
{
  OdFakeOAuthServer *self = (OdFakeOAuthServer *)object;

  g_free (self->client_id);
  g_free (self->client_secret);
  g_free (self->access_token);
  g_free (self->refresh_token);
  g_free (self->refresh_access_token);
  g_free (self->rotated_refresh_token);
  g_free (self->secrets_log);
  g_free (self->code);
  g_free (self->challenge);
  g_free (self->redirect_uri);
  g_free (self->device_code);
  g_free (self->last_state);
  g_free (self->last_login_hint);
  g_free (self->last_scope);
  g_free (self->last_method);
  g_free (self->last_refresh_secret);
  g_free (self->last_refresh_scope);
  g_ptr_array_unref (self->grant_types);

  G_OBJECT_CLASS (od_fake_oauth_server_parent_class)->finalize (object);
}

static void
od_fake_oauth_server_class_init (OdFakeOAuthServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = od_fake_oauth_server_dispose;
  object_class->finalize = od_fake_oauth_server_finalize;
}

static void
od_fake_oauth_server_init (OdFakeOAuthServer *self)
{
  self->client_id = g_strdup ("fake-client");
  self->access_token = g_strdup ("fake-access-token");
  self->refresh_token = g_strdup ("fake-refresh-token");
  self->refresh_access_token = g_strdup ("fake-refreshed-access-token");
  self->expires_in = 3600;
  self->device_interval = 5;
  self->device_expires_in = 900;
  self->grant_types = g_ptr_array_new_with_free_func (g_free);
}

OdFakeOAuthServer *
od_fake_oauth_server_new (void)
{
  return g_object_new (OD_TYPE_FAKE_OAUTH_SERVER, NULL);
}

/**
 * od_fake_oauth_server_start:
 * @port: the port, or 0 for any free one
 *
 * Listens on 127.0.0.1, in the thread-default main context.
 */
gboolean
od_fake_oauth_server_start (OdFakeOAuthServer  *self,
                            guint16             port,
                            GError            **error)
{
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;

  g_return_val_if_fail (OD_IS_FAKE_OAUTH_SERVER (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);

  address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  if (!soup_server_listen (self->server, address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (self->server);
  self->port = uris != NULL ? g_uri_get_port (uris->data) : 0;
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  return TRUE;
}

guint16
od_fake_oauth_server_get_port (OdFakeOAuthServer *self)
{
  g_return_val_if_fail (OD_IS_FAKE_OAUTH_SERVER (self), 0);
  return self->port;
}

/**
 * od_fake_oauth_server_dup_provider:
 *
 * Returns: (transfer full): a provider whose endpoints are this server's, with its client id
 *   and secret and the scopes "https://mail.example/ offline_access"
 */
OdOAuthProvider *
od_fake_oauth_server_dup_provider (OdFakeOAuthServer *self)
{
  OdOAuthProvider *provider;
  const char *scopes[] = { "https://mail.example/", "offline_access", NULL };

  g_return_val_if_fail (OD_IS_FAKE_OAUTH_SERVER (self), NULL);

  provider = g_new0 (OdOAuthProvider, 1);
  provider->id = g_strdup ("fake");
  provider->display_name = g_strdup ("Fake");
  provider->authorization_endpoint = g_strdup_printf ("http://127.0.0.1:%u/authorize", self->port);
  provider->token_endpoint = g_strdup_printf ("http://127.0.0.1:%u/token", self->port);
  provider->device_endpoint = g_strdup_printf ("http://127.0.0.1:%u/devicecode", self->port);
  provider->scopes = g_strdupv ((char **)scopes);
  provider->client_id = g_strdup (self->client_id);
  provider->client_secret = g_strdup (self->client_secret);

  return provider;
}

void
od_fake_oauth_server_set_client (OdFakeOAuthServer *self,
                                 const char        *client_id,
                                 const char        *client_secret)
{
  g_return_if_fail (OD_IS_FAKE_OAUTH_SERVER (self));

  g_free (self->client_id);
  self->client_id = g_strdup (client_id);
  g_free (self->client_secret);
  self->client_secret = g_strdup (client_secret);
}

/**
 * od_fake_oauth_server_set_tokens:
 * @refresh_token: (nullable): the refresh token issued at sign-in, and accepted by the
 *   refresh grant
 */
void
od_fake_oauth_server_set_tokens (OdFakeOAuthServer *self,
                                 const char        *access_token,
                                 const char        *refresh_token)
{
  g_return_if_fail (OD_IS_FAKE_OAUTH_SERVER (self));

  g_free (self->access_token);
  self->access_token = g_strdup (access_token);
  g_free (self->refresh_token);
  self->refresh_token = g_strdup (refresh_token);
}

/**
 * od_fake_oauth_server_set_refresh_tokens:
 * @access_token: the access token the refresh grant issues
 * @rotated_refresh_token: (nullable): a new refresh token it issues (and accepts from then on)
 */
void
od_fake_oauth_server_set_refresh_tokens (OdFakeOAuthServer *self,
                                         const char        *access_token,
                                         const char        *rotated_refresh_token)
{
  g_return_if_fail (OD_IS_FAKE_OAUTH_SERVER (self));

  g_free (self->refresh_access_token);
  self->refresh_access_token = g_strdup (access_token);
  g_free (self->rotated_refresh_token);
  self->rotated_refresh_token = g_strdup (rotated_refresh_token);
}

/**
 * od_fake_oauth_server_set_expires_in:
 * @expires_in: the access tokens' lifetime in seconds; 0 leaves expires_in out
 */
void
od_fake_oauth_server_set_expires_in (OdFakeOAuthServer *self,
                                     int                expires_in)
{
  g_return_if_fail (OD_IS_FAKE_OAUTH_SERVER (self));
  self->expires_in = expires_in;
}

void
od_fake_oauth_server_set_fault (OdFakeOAuthServer *self,
                                OdFakeOAuthFault   fault)
{
  g_return_if_fail (OD_IS_FAKE_OAUTH_SERVER (self));
  self->fault = fault;
}

/**
 * od_fake_oauth_server_set_token_delay:
 * @delay_ms: how long /token waits before it answers
 */
void
od_fake_oauth_server_set_token_delay (OdFakeOAuthServer *self,
                                      guint              delay_ms)
{
  g_return_if_fail (OD_IS_FAKE_OAUTH_SERVER (self));
  self->token_delay_ms = delay_ms;
}

/**
 * od_fake_oauth_server_set_device:
 * @n_pending: how many polls answer authorization_pending before the approval
 * @slow_down_once: whether the first poll answers slow_down
 * @interval: the interval /devicecode gives
 * @expires_in: the device code's lifetime /devicecode gives
 * @google_style: verification_url (Google) rather than verification_uri, and 428 for
 *   authorization_pending
 */
void
od_fake_oauth_server_set_device (OdFakeOAuthServer *self,
                                 guint              n_pending,
                                 gboolean           slow_down_once,
                                 guint              interval,
                                 guint              expires_in,
                                 gboolean           google_style)
{
  g_return_if_fail (OD_IS_FAKE_OAUTH_SERVER (self));

  self->device_pending = n_pending;
  self->device_slow_down = slow_down_once;
  self->device_interval = interval;
  self->device_expires_in = expires_in;
  self->device_google_style = google_style;
}

/**
 * od_fake_oauth_server_set_secrets_log:
 * @path: (nullable): a file to append every authorization code and device code issued,
 *   every code_verifier received and every refresh token received or issued to, one a line
 */
void
od_fake_oauth_server_set_secrets_log (OdFakeOAuthServer *self,
                                      const char        *path)
{
  g_return_if_fail (OD_IS_FAKE_OAUTH_SERVER (self));

  g_free (self->secrets_log);
  self->secrets_log = g_strdup (path);
}

const char *
od_fake_oauth_server_get_last_state (OdFakeOAuthServer *self)
{
  return self->last_state;
}

const char *
od_fake_oauth_server_get_last_login_hint (OdFakeOAuthServer *self)
{
  return self->last_login_hint;
}

const char *
od_fake_oauth_server_get_last_scope (OdFakeOAuthServer *self)
{
  return self->last_scope;
}

const char *
od_fake_oauth_server_get_last_method (OdFakeOAuthServer *self)
{
  return self->last_method;
}

const char *
od_fake_oauth_server_get_last_redirect_uri (OdFakeOAuthServer *self)
{
  return self->redirect_uri;
}

const char *
od_fake_oauth_server_get_last_refresh_secret (OdFakeOAuthServer *self)
{
  return self->last_refresh_secret;
}

const char *
od_fake_oauth_server_get_last_refresh_scope (OdFakeOAuthServer *self)
{
  return self->last_refresh_scope;
}

/**
 * od_fake_oauth_server_dup_grant_types:
 *
 * Returns: (transfer full): the grant_type of every /token request, in order
 */
GStrv
od_fake_oauth_server_dup_grant_types (OdFakeOAuthServer *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv result;

  for (guint i = 0; i < self->grant_types->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->grant_types, i));
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return result;
}

guint
od_fake_oauth_server_get_n_authorize (OdFakeOAuthServer *self)
{
  return self->n_authorize;
}

guint
od_fake_oauth_server_get_n_token (OdFakeOAuthServer *self)
{
  return self->n_token;
}

/**
 * od_fake_oauth_server_get_n_rejected:
 *
 * Returns: how many requests broke the protocol (bad client, code, verifier, redirect, …)
 */
guint
od_fake_oauth_server_get_n_rejected (OdFakeOAuthServer *self)
{
  return self->n_rejected;
}
