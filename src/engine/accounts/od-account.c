/* od-account.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-account"

#include "config.h"

#include <string.h>

#include "od-account-private.h"
#include "od-json.h"

#define MAX_ID_LENGTH 48

/* One saved mail account: its outgoing server, how it was found, the certificates the user
 * chose to trust and how the last check went. The password is not here: it lives in the
 * keyring (OdSecretStore), keyed by the account id. */
struct _OdAccount
{
  GObject     parent_instance;

  char       *id;
  char       *display_name;
  char       *address;

  char       *host;
  char       *username;
  char       *auth_mechanism;
  char       *settings_source;
  char       *oauth_provider;       /* "google", "microsoft": signs in with OAuth (issue 18) */
  char       *oauth_client_id;      /* the person's own client id, or NULL for the build's */
  char       *oauth_client_secret;  /* with it, when the provider issued one */
  guint16     port;
  OdSecurity  security;

  char       *incoming_protocol;
  char       *incoming_host;
  char       *incoming_username;
  guint16     incoming_port;
  OdSecurity  incoming_security;

  /* endpoint ("host:port") → GStrv of fingerprints, in the order they were trusted */
  GHashTable *pins;
  /* endpoints the user confirmed as the provider's, though found through forgeable records */
  GPtrArray  *confirmed;

  char       *last_verdict;
  char       *last_problem;
  GDateTime  *last_check_time;
  gboolean    last_check_sent;   /* the last check sent a real test message */
};

G_DEFINE_FINAL_TYPE (OdAccount, od_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_DISPLAY_NAME,
  PROP_ADDRESS,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_USERNAME,
  PROP_AUTH_MECHANISM,
  PROP_SETTINGS_SOURCE,
  PROP_LAST_VERDICT,
  PROP_LAST_CHECK_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
set_string (OdAccount  *self,
            char      **field,
            const char *value,
            guint       prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  if (prop_id != PROP_0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);

  return TRUE;
}

static void
od_account_finalize (GObject *object)
{
  OdAccount *self = (OdAccount *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->auth_mechanism, g_free);
  g_clear_pointer (&self->oauth_provider, g_free);
  g_clear_pointer (&self->oauth_client_id, g_free);
  g_clear_pointer (&self->oauth_client_secret, g_free);
  g_clear_pointer (&self->settings_source, g_free);
  g_clear_pointer (&self->incoming_protocol, g_free);
  g_clear_pointer (&self->incoming_host, g_free);
  g_clear_pointer (&self->incoming_username, g_free);
  g_clear_pointer (&self->pins, g_hash_table_unref);
  g_clear_pointer (&self->confirmed, g_ptr_array_unref);
  g_clear_pointer (&self->last_verdict, g_free);
  g_clear_pointer (&self->last_problem, g_free);
  g_clear_pointer (&self->last_check_time, g_date_time_unref);

  G_OBJECT_CLASS (od_account_parent_class)->finalize (object);
}

static void
od_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  OdAccount *self = OD_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;

    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_SECURITY:
      g_value_set_uint (value, self->security);
      break;

    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_AUTH_MECHANISM:
      g_value_set_string (value, self->auth_mechanism);
      break;

    case PROP_SETTINGS_SOURCE:
      g_value_set_string (value, self->settings_source);
      break;

    case PROP_LAST_VERDICT:
      g_value_set_string (value, self->last_verdict);
      break;

    case PROP_LAST_CHECK_TIME:
      g_value_set_boxed (value, self->last_check_time);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
od_account_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  OdAccount *self = OD_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_DISPLAY_NAME:
      od_account_set_display_name (self, g_value_get_string (value));
      break;

    case PROP_ADDRESS:
      od_account_set_address (self, g_value_get_string (value));
      break;

    case PROP_HOST:
      od_account_set_host (self, g_value_get_string (value));
      break;

    case PROP_PORT:
      od_account_set_port (self, g_value_get_uint (value));
      break;

    case PROP_SECURITY:
      od_account_set_security (self, g_value_get_uint (value));
      break;

    case PROP_USERNAME:
      od_account_set_username (self, g_value_get_string (value));
      break;

    case PROP_AUTH_MECHANISM:
      od_account_set_auth_mechanism (self, g_value_get_string (value));
      break;

    case PROP_SETTINGS_SOURCE:
      od_account_set_settings_source (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
od_account_class_init (OdAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = od_account_finalize;
  object_class->get_property = od_account_get_property;
  object_class->set_property = od_account_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 587,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SECURITY] =
    g_param_spec_uint ("security", NULL, NULL, OD_SECURITY_TLS, OD_SECURITY_NONE,
                       OD_SECURITY_STARTTLS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_AUTH_MECHANISM] =
    g_param_spec_string ("auth-mechanism", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SETTINGS_SOURCE] =
    g_param_spec_string ("settings-source", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_VERDICT] =
    g_param_spec_string ("last-verdict", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_CHECK_TIME] =
    g_param_spec_boxed ("last-check-time", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
od_account_init (OdAccount *self)
{
  self->port = 587;
  self->security = OD_SECURITY_STARTTLS;
  self->incoming_security = OD_SECURITY_TLS;
  self->confirmed = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->pins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify)g_strfreev);
}

/**
 * od_account_new:
 * @id: the account's id (see od_account_make_id())
 * @address: the email address
 *
 * The outgoing server defaults to port 587 with STARTTLS, the user name to @address.
 *
 * Returns: (transfer full): a new account
 */
OdAccount *
od_account_new (const char *id,
                const char *address)
{
  OdAccount *self;

  g_return_val_if_fail (id != NULL && id[0] != '\0', NULL);
  g_return_val_if_fail (address != NULL, NULL);

  self = g_object_new (OD_TYPE_ACCOUNT, "id", id, NULL);
  self->address = g_strdup (address);
  self->username = g_strdup (address);

  return self;
}

/**
 * od_account_copy:
 *
 * Returns: (transfer full): an independent copy of @self, every setting included
 */
OdAccount *
od_account_copy (OdAccount *self)
{
  OdAccount *copy;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);

  copy = od_account_new (self->id, self->address);
  copy->display_name = g_strdup (self->display_name);
  g_free (copy->username);
  copy->username = g_strdup (self->username);
  copy->host = g_strdup (self->host);
  copy->port = self->port;
  copy->security = self->security;
  copy->auth_mechanism = g_strdup (self->auth_mechanism);
  od_account_set_oauth (copy, self->oauth_provider, self->oauth_client_id,
                        self->oauth_client_secret);
  copy->settings_source = g_strdup (self->settings_source);
  copy->incoming_protocol = g_strdup (self->incoming_protocol);
  copy->incoming_host = g_strdup (self->incoming_host);
  copy->incoming_username = g_strdup (self->incoming_username);
  copy->incoming_port = self->incoming_port;
  copy->incoming_security = self->incoming_security;
  copy->last_verdict = g_strdup (self->last_verdict);
  copy->last_problem = g_strdup (self->last_problem);
  copy->last_check_time = self->last_check_time ? g_date_time_ref (self->last_check_time) : NULL;
  copy->last_check_sent = self->last_check_sent;

  g_hash_table_iter_init (&iter, self->pins);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->pins, g_strdup (key), g_strdupv (value));
  for (guint i = 0; i < self->confirmed->len; i++)
    g_ptr_array_add (copy->confirmed, g_strdup (g_ptr_array_index (self->confirmed, i)));

  return copy;
}

const char *
od_account_get_id (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  return self->id;
}

/**
 * od_account_get_display_name:
 *
 * Returns: (nullable): the name the user gave the account, or %NULL
 */
const char *
od_account_get_display_name (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  return self->display_name;
}

void
od_account_set_display_name (OdAccount  *self,
                             const char *display_name)
{
  g_return_if_fail (OD_IS_ACCOUNT (self));
  set_string (self, &self->display_name, display_name, PROP_DISPLAY_NAME);
}

const char *
od_account_get_address (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  return self->address;
}

void
od_account_set_address (OdAccount  *self,
                        const char *address)
{
  g_return_if_fail (OD_IS_ACCOUNT (self));
  g_return_if_fail (address != NULL);
  set_string (self, &self->address, address, PROP_ADDRESS);
}

/**
 * od_account_get_host:
 *
 * Returns: (nullable): the outgoing server
 */
const char *
od_account_get_host (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  return self->host;
}

void
od_account_set_host (OdAccount  *self,
                     const char *host)
{
  g_return_if_fail (OD_IS_ACCOUNT (self));
  set_string (self, &self->host, host, PROP_HOST);
}

guint16
od_account_get_port (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), 0);
  return self->port;
}

void
od_account_set_port (OdAccount *self,
                     guint16    port)
{
  g_return_if_fail (OD_IS_ACCOUNT (self));

  if (self->port == port)
    return;

  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

OdSecurity
od_account_get_security (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), OD_SECURITY_TLS);
  return self->security;
}

void
od_account_set_security (OdAccount  *self,
                         OdSecurity  security)
{
  g_return_if_fail (OD_IS_ACCOUNT (self));
  g_return_if_fail (security <= OD_SECURITY_NONE);

  if (self->security == security)
    return;

  self->security = security;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECURITY]);
}

const char *
od_account_get_username (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  return self->username;
}

void
od_account_set_username (OdAccount  *self,
                         const char *username)
{
  g_return_if_fail (OD_IS_ACCOUNT (self));
  set_string (self, &self->username, username, PROP_USERNAME);
}

/**
 * od_account_set_oauth:
 * @provider: (nullable): "google", "microsoft": the account signs in with OAuth 2.0 through
 *   that provider (the refresh token is in the keyring); %NULL: with a password
 * @client_id: (nullable): the person's own client id, %NULL for this build's
 * @client_secret: (nullable): the secret the provider issued with @client_id, if any
 */
void
od_account_set_oauth (OdAccount  *self,
                      const char *provider,
                      const char *client_id,
                      const char *client_secret)
{
  g_return_if_fail (OD_IS_ACCOUNT (self));
  g_free (self->oauth_provider);
  self->oauth_provider = g_strdup (provider);
  g_free (self->oauth_client_id);
  self->oauth_client_id = provider != NULL ? g_strdup (client_id) : NULL;
  g_free (self->oauth_client_secret);
  self->oauth_client_secret = provider != NULL ? g_strdup (client_secret) : NULL;
}

/** od_account_get_oauth_provider: Returns: (nullable): who signs the account in, or %NULL */
const char *
od_account_get_oauth_provider (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  return self->oauth_provider;
}

/** od_account_get_oauth_client_id: Returns: (nullable): the person's own client id */
const char *
od_account_get_oauth_client_id (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  return self->oauth_client_id;
}

/** od_account_get_oauth_client_secret: Returns: (nullable): the secret issued with it */
const char *
od_account_get_oauth_client_secret (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  return self->oauth_client_secret;
}

/**
 * od_account_get_auth_mechanism:
 *
 * Returns: (nullable): the login method that worked ("PLAIN", …), %OD_ACCOUNT_AUTH_NONE for a
 *   server that needs no login, or %NULL when not known
 */
const char *
od_account_get_auth_mechanism (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  return self->auth_mechanism;
}

void
od_account_set_auth_mechanism (OdAccount  *self,
                               const char *mechanism)
{
  g_return_if_fail (OD_IS_ACCOUNT (self));
  set_string (self, &self->auth_mechanism, mechanism, PROP_AUTH_MECHANISM);
}

/**
 * od_account_get_settings_source:
 *
 * Returns: (nullable): where the server settings came from: a discovery source kind
 *   ("provider-db", "autoconfig", "well-known", "srv", "mx", "guess") or
 *   %OD_ACCOUNT_SOURCE_MANUAL
 */
const char *
od_account_get_settings_source (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  return self->settings_source;
}

void
od_account_set_settings_source (OdAccount  *self,
                                const char *source)
{
  g_return_if_fail (OD_IS_ACCOUNT (self));
  set_string (self, &self->settings_source, source, PROP_SETTINGS_SOURCE);
}

const char *
od_account_get_incoming_protocol (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  return self->incoming_protocol;
}

const char *
od_account_get_incoming_host (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  return self->incoming_host;
}

guint16
od_account_get_incoming_port (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), 0);
  return self->incoming_port;
}

OdSecurity
od_account_get_incoming_security (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), OD_SECURITY_TLS);
  return self->incoming_security;
}

const char *
od_account_get_incoming_username (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  return self->incoming_username;
}

/**
 * od_account_set_incoming:
 * @protocol: (nullable): "imap" or "pop3"; %NULL forgets the incoming server
 *
 * Remembers the incoming server discovery found, so it does not have to be found again.
 */
void
od_account_set_incoming (OdAccount  *self,
                         const char *protocol,
                         const char *host,
                         guint16     port,
                         OdSecurity  security,
                         const char *username)
{
  g_return_if_fail (OD_IS_ACCOUNT (self));

  if (protocol == NULL || host == NULL)
    {
      g_clear_pointer (&self->incoming_protocol, g_free);
      g_clear_pointer (&self->incoming_host, g_free);
      g_clear_pointer (&self->incoming_username, g_free);
      self->incoming_port = 0;
      self->incoming_security = OD_SECURITY_TLS;
      return;
    }

  set_string (self, &self->incoming_protocol, protocol, PROP_0);
  set_string (self, &self->incoming_host, host, PROP_0);
  set_string (self, &self->incoming_username, username, PROP_0);
  self->incoming_port = port;
  self->incoming_security = security;
}

char *
od_account_format_endpoint (const char *host,
                            guint16     port)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (host != NULL, NULL);

  lower = g_ascii_strdown (host, -1);
  if (strchr (lower, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", lower, port);

  return g_strdup_printf ("%s:%u", lower, port);
}

gboolean
od_account_parse_endpoint (const char  *endpoint,
                           char       **host,
                           guint16     *port)
{
  g_autofree char *h = NULL;
  const char *colon;
  guint64 n;

  g_return_val_if_fail (endpoint != NULL, FALSE);

  if (endpoint[0] == '[')
    {
      const char *close = strchr (endpoint, ']');

      if (close == NULL || close[1] != ':')
        return FALSE;
      h = g_strndup (endpoint + 1, close - endpoint - 1);
      colon = close + 1;
    }
  else
    {
      colon = strrchr (endpoint, ':');
      if (colon == NULL)
        return FALSE;
      h = g_strndup (endpoint, colon - endpoint);
      /* An IPv6 literal is written in brackets, or its last group reads as the port. */
      if (strchr (h, ':') != NULL)
        return FALSE;
    }

  if (h[0] == '\0' || strchr (h, ' ') != NULL || strchr (h, ',') != NULL ||
      strchr (h, ';') != NULL ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT16, &n, NULL))
    return FALSE;

  if (host != NULL)
    *host = g_steal_pointer (&h);
  if (port != NULL)
    *port = n;

  return TRUE;
}

/**
 * od_account_add_pinned_fingerprint:
 * @host: the server the certificate was seen on
 * @port: its port
 * @fingerprint: the certificate's SHA-256 fingerprint, in any form
 *   od_fingerprint_normalize() accepts
 *
 * Trusts one certificate for this host and port only, after the user saw what is wrong
 * with it.
 *
 * Returns: %FALSE if @fingerprint is not a SHA-256 fingerprint
 */
gboolean
od_account_add_pinned_fingerprint (OdAccount  *self,
                                   const char *host,
                                   guint16     port,
                                   const char *fingerprint)
{
  g_autofree char *normal = NULL;
  g_autofree char *endpoint = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  const char * const *old;

  g_return_val_if_fail (OD_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (port > 0, FALSE);
  g_return_val_if_fail (fingerprint != NULL, FALSE);

  normal = od_fingerprint_normalize (fingerprint);
  if (normal == NULL)
    return FALSE;

  endpoint = od_account_format_endpoint (host, port);
  old = g_hash_table_lookup (self->pins, endpoint);
  if (old != NULL && g_strv_contains (old, normal))
    return TRUE;

  builder = g_strv_builder_new ();
  if (old != NULL)
    g_strv_builder_addv (builder, (const char **)old);
  g_strv_builder_add (builder, normal);
  g_hash_table_replace (self->pins, g_steal_pointer (&endpoint), g_strv_builder_end (builder));

  return TRUE;
}

/**
 * od_account_dup_pinned_fingerprints:
 *
 * Returns: (transfer full) (nullable): the fingerprints trusted for this host and port, in
 *   the form od_tls_info_get_fingerprint() returns, or %NULL if none
 */
char **
od_account_dup_pinned_fingerprints (OdAccount  *self,
                                    const char *host,
                                    guint16     port)
{
  g_autofree char *endpoint = NULL;

  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  endpoint = od_account_format_endpoint (host, port);
  return g_strdupv (g_hash_table_lookup (self->pins, endpoint));
}

void
od_account_clear_pinned_fingerprints (OdAccount  *self,
                                      const char *host,
                                      guint16     port)
{
  g_autofree char *endpoint = NULL;

  g_return_if_fail (OD_IS_ACCOUNT (self));
  g_return_if_fail (host != NULL);

  endpoint = od_account_format_endpoint (host, port);
  g_hash_table_remove (self->pins, endpoint);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

const char * const *
od_account_peek_pins (OdAccount  *self,
                      const char *endpoint)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  return g_hash_table_lookup (self->pins, endpoint);
}

/**
 * od_account_list_pinned_endpoints:
 *
 * Returns: (transfer full): the "host:port" endpoints that have pinned certificates, sorted
 */
char **
od_account_list_pinned_endpoints (OdAccount *self)
{
  g_autofree const char **keys = NULL;
  guint n;

  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);

  keys = (const char **)g_hash_table_get_keys_as_array (self->pins, &n);
  g_qsort_with_data (keys, n, sizeof (char *), compare_strings, NULL);
  return g_strdupv ((char **)keys);
}

/**
 * od_account_add_confirmed_server:
 *
 * Records that the user confirmed @host and @port as the provider's server, though it was
 * found through something anyone could forge (DNS records, plain http://): later checks
 * send the password there without asking again.
 */
void
od_account_add_confirmed_server (OdAccount  *self,
                                 const char *host,
                                 guint16     port)
{
  g_autofree char *endpoint = NULL;

  g_return_if_fail (OD_IS_ACCOUNT (self));
  g_return_if_fail (host != NULL && port > 0);

  if (od_account_get_server_confirmed (self, host, port))
    return;

  endpoint = od_account_format_endpoint (host, port);
  g_ptr_array_add (self->confirmed, g_steal_pointer (&endpoint));
}

/**
 * od_account_get_server_confirmed:
 *
 * Returns: whether the user confirmed @host and @port (od_account_add_confirmed_server())
 */
gboolean
od_account_get_server_confirmed (OdAccount  *self,
                                 const char *host,
                                 guint16     port)
{
  g_autofree char *endpoint = NULL;

  g_return_val_if_fail (OD_IS_ACCOUNT (self), FALSE);

  if (host == NULL)
    return FALSE;

  endpoint = od_account_format_endpoint (host, port);
  return g_ptr_array_find_with_equal_func (self->confirmed, endpoint, g_str_equal, NULL);
}

/**
 * od_account_get_confirmed_servers:
 *
 * Returns: (transfer none): the confirmed servers as "host:port" ("[v6]:port" for an IPv6
 *   literal), in the order they were confirmed
 */
const char * const *
od_account_get_confirmed_servers (OdAccount *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);

  /* An empty null-terminated GPtrArray may have no storage at all yet. */
  if (self->confirmed->len == 0)
    return none;

  return (const char * const *)self->confirmed->pdata;
}

/**
 * od_account_get_last_verdict:
 *
 * Returns: (nullable): "pass", "warn" or "fail", or %NULL if the account was never checked
 */
const char *
od_account_get_last_verdict (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  return self->last_verdict;
}

/**
 * od_account_get_last_problem:
 *
 * Returns: (nullable): the problem id the last check reported first, if any
 */
const char *
od_account_get_last_problem (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  return self->last_problem;
}

/**
 * od_account_get_last_check_time:
 *
 * Returns: (transfer none) (nullable): when the account was last checked
 */
GDateTime *
od_account_get_last_check_time (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);
  return self->last_check_time;
}

/**
 * od_account_get_last_check_sent:
 *
 * Returns: whether the last check sent a real test message; %FALSE when it only checked the
 *   login and the addresses (or there was none)
 */
gboolean
od_account_get_last_check_sent (OdAccount *self)
{
  g_return_val_if_fail (OD_IS_ACCOUNT (self), FALSE);
  return self->last_verdict != NULL && self->last_check_sent;
}

/**
 * od_account_set_last_check:
 * @verdict: (nullable): "pass", "warn" or "fail"
 * @problem_id: (nullable): the first problem found
 * @time: (nullable): when the check ran
 * @sent_message: whether the check sent a real test message, rather than only checking the
 *   login and the addresses
 */
void
od_account_set_last_check (OdAccount  *self,
                           const char *verdict,
                           const char *problem_id,
                           GDateTime  *time,
                           gboolean    sent_message)
{
  g_return_if_fail (OD_IS_ACCOUNT (self));

  self->last_check_sent = !!sent_message;
  set_string (self, &self->last_verdict, verdict, PROP_LAST_VERDICT);
  set_string (self, &self->last_problem, problem_id, PROP_0);

  if (self->last_check_time == time ||
      (self->last_check_time != NULL && time != NULL &&
       g_date_time_equal (self->last_check_time, time)))
    return;

  g_clear_pointer (&self->last_check_time, g_date_time_unref);
  if (time != NULL)
    self->last_check_time = g_date_time_to_utc (time);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_CHECK_TIME]);
}

/**
 * od_account_to_json:
 *
 * The account as the command line prints it: {"id", "name", "address", "host", "port",
 * "security", "username", "auth_mechanism", "source", "incoming": {…}|null,
 * "pinned_certificates": [{"host", "port", "fingerprint"}], "confirmed_servers":
 * ["host:port"], "last_check": {"verdict", "problem", "time", "sent_message"}|null}. Never
 * a password.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
od_account_to_json (OdAccount *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) endpoints = NULL;

  g_return_val_if_fail (OD_IS_ACCOUNT (self), NULL);

  json_builder_begin_object (builder);
  od_json_add_string (builder, "id", self->id);
  od_json_add_string (builder, "name", self->display_name);
  od_json_add_string (builder, "address", self->address);
  od_json_add_string (builder, "host", self->host);
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, self->port);
  od_json_add_string (builder, "security", od_security_to_string (self->security));
  od_json_add_string (builder, "username", self->username);
  od_json_add_string (builder, "auth_mechanism", self->auth_mechanism);
  od_json_add_string (builder, "oauth_provider", self->oauth_provider);
  od_json_add_string (builder, "source", self->settings_source);

  json_builder_set_member_name (builder, "incoming");
  if (self->incoming_host != NULL)
    {
      json_builder_begin_object (builder);
      od_json_add_string (builder, "protocol", self->incoming_protocol);
      od_json_add_string (builder, "host", self->incoming_host);
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, self->incoming_port);
      od_json_add_string (builder, "security", od_security_to_string (self->incoming_security));
      od_json_add_string (builder, "username", self->incoming_username);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "pinned_certificates");
  json_builder_begin_array (builder);
  endpoints = od_account_list_pinned_endpoints (self);
  for (guint i = 0; endpoints[i] != NULL; i++)
    {
      const char * const *fps = g_hash_table_lookup (self->pins, endpoints[i]);
      g_autofree char *host = NULL;
      guint16 port = 0;

      od_account_parse_endpoint (endpoints[i], &host, &port);
      for (guint j = 0; fps[j] != NULL; j++)
        {
          json_builder_begin_object (builder);
          od_json_add_string (builder, "host", host);
          json_builder_set_member_name (builder, "port");
          json_builder_add_int_value (builder, port);
          od_json_add_string (builder, "fingerprint", fps[j]);
          json_builder_end_object (builder);
        }
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "confirmed_servers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->confirmed->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (self->confirmed, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "last_check");
  if (self->last_verdict != NULL)
    {
      g_autofree char *time = self->last_check_time ?
                              g_date_time_format_iso8601 (self->last_check_time) : NULL;

      json_builder_begin_object (builder);
      od_json_add_string (builder, "verdict", self->last_verdict);
      od_json_add_string (builder, "problem", self->last_problem);
      od_json_add_string (builder, "time", time);
      json_builder_set_member_name (builder, "sent_message");
      json_builder_add_boolean_value (builder, self->last_check_sent);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * od_account_make_id:
 * @address: the account's email address
 * @taken: (nullable): ids already in use
 *
 * A short, stable id made from the address: lower case, letters and digits, everything else
 * turned into single dashes ("alice@example.com" → "alice-example-com"), at most 48
 * characters, with "-2", "-3", … added when it is already taken. The id is saved with the
 * account and never recomputed, so it stays the same when the address changes.
 *
 * Returns: (transfer full): a new id
 */
char *
od_account_make_id (const char         *address,
                    const char * const *taken)
{
  g_autoptr(GString) base = g_string_new (NULL);

  g_return_val_if_fail (address != NULL, NULL);

  for (const char *p = address; *p != '\0' && base->len < MAX_ID_LENGTH; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (base, g_ascii_tolower (*p));
      else if (base->len > 0 && base->str[base->len - 1] != '-')
        g_string_append_c (base, '-');
    }

  while (base->len > 0 && base->str[base->len - 1] == '-')
    g_string_truncate (base, base->len - 1);

  if (base->len == 0)
    g_string_assign (base, "account");

  if (taken == NULL || !g_strv_contains (taken, base->str))
    return g_string_free (g_steal_pointer (&base), FALSE);

  for (guint n = 2; ; n++)
    {
      g_autofree char *candidate = g_strdup_printf ("%s-%u", base->str, n);

      if (!g_strv_contains (taken, candidate))
        return g_steal_pointer (&candidate);
    }
}

/**
 * od_fingerprint_normalize:
 * @fingerprint: a SHA-256 fingerprint: 64 hexadecimal digits, in either case, optionally
 *   in pairs separated by colons or spaces, optionally after "sha256:" or "SHA256 "
 *
 * Returns: (transfer full) (nullable): the fingerprint as "AB:CD:…" (the form
 *   od_tls_info_get_fingerprint() uses), or %NULL if it is not one
 */
char *
od_fingerprint_normalize (const char *fingerprint)
{
  g_autoptr(GString) hex = g_string_new (NULL);
  g_autoptr(GString) out = NULL;
  const char *p;

  g_return_val_if_fail (fingerprint != NULL, NULL);

  p = fingerprint;
  while (*p == ' ')
    p++;
  if (g_ascii_strncasecmp (p, "sha256", 6) == 0)
    p += 6;
  else if (g_ascii_strncasecmp (p, "sha-256", 7) == 0)
    p += 7;
  if (p != fingerprint && (*p == ':' || *p == ' ' || *p == '='))
    p++;

  for (; *p != '\0'; p++)
    {
      if (g_ascii_isxdigit (*p))
        g_string_append_c (hex, g_ascii_toupper (*p));
      else if (*p != ':' && *p != ' ')
        return NULL;
    }

  if (hex->len != 64)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; i < hex->len; i += 2)
    {
      if (i > 0)
        g_string_append_c (out, ':');
      g_string_append_len (out, hex->str + i, 2);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
