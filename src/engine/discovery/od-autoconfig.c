/* od-autoconfig.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-autoconfig"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-autoconfig.h"
#include "od-provider-private.h"
#include "od-text.h"

G_DEFINE_QUARK (od-autoconfig-error-quark, od_autoconfig_error)


/* What an open element means to us, decided from its parent and its (namespace, name). */
typedef enum
{
  EL_UNKNOWN,
  EL_CLIENT_CONFIG,
  EL_EMAIL_PROVIDER,
  EL_DOMAIN,
  EL_DISPLAY_NAME,
  EL_SHORT_NAME,
  EL_SERVER,
  EL_SERVER_IGNORED,
  EL_HOSTNAME,
  EL_PORT,
  EL_SOCKET_TYPE,
  EL_USERNAME,
  EL_AUTHENTICATION,
  EL_DOCUMENTATION,
  EL_OD_APP_PASSWORD,
  EL_OD_OAUTH_ONLY,
  EL_OD_OAUTH_OR_APP_PASSWORD,
  EL_OD_NO_SMTP,
  EL_OD_NOTE,
  EL_OD_MX_SUFFIX,
  EL_OD_OAUTH2,
} ElementKind;

typedef struct
{
  char  *prefix;     /* "" for the default namespace */
  char  *uri;
  guint  depth;
} NsBinding;

typedef struct
{
  OdAutoconfigParseFlags  flags;

  GArray                 *kinds;          /* ElementKind of every open element */
  GArray                 *ns;             /* NsBinding, innermost last */
  GString                *text;
  guint                   n_servers;
  gboolean                seen_provider;

  /* The server being read */
  OdServerConfig         *server;
  gboolean                server_is_outgoing;
  gboolean                have_port;
  gboolean                have_security;

  /* What we collect */
  char                   *id;
  char                   *display_name;
  char                   *short_name;
  GPtrArray              *domains;
  GPtrArray              *mx_suffixes;
  GPtrArray              *outgoing;
  GPtrArray              *incoming;
  char                   *documentation_url;
  char                   *note;
  gboolean                note_is_english;
  gboolean                reading_english_note;
  gboolean                needs_app_password;
  gboolean                oauth_only;
  gboolean                oauth_or_app_password;
  gboolean                no_smtp;
  OdProviderOAuth2       *oauth2;
} ParseState;

static void
ns_binding_clear (gpointer data)
{
  NsBinding *binding = data;

  g_clear_pointer (&binding->prefix, g_free);
  g_clear_pointer (&binding->uri, g_free);
}

static void
parse_state_init (ParseState            *state,
                  OdAutoconfigParseFlags flags)
{
  memset (state, 0, sizeof *state);
  state->flags = flags;
  state->kinds = g_array_new (FALSE, FALSE, sizeof (ElementKind));
  state->ns = g_array_new (FALSE, TRUE, sizeof (NsBinding));
  g_array_set_clear_func (state->ns, ns_binding_clear);
  state->text = g_string_new (NULL);
  state->domains = g_ptr_array_new_with_free_func (g_free);
  state->mx_suffixes = g_ptr_array_new_with_free_func (g_free);
  state->outgoing = g_ptr_array_new_with_free_func ((GDestroyNotify) od_server_config_free);
  state->incoming = g_ptr_array_new_with_free_func ((GDestroyNotify) od_server_config_free);
}

static void
parse_state_clear (ParseState *state)
{
  g_clear_pointer (&state->kinds, g_array_unref);
  g_clear_pointer (&state->ns, g_array_unref);
  if (state->text != NULL)
    g_string_free (g_steal_pointer (&state->text), TRUE);
  g_clear_pointer (&state->server, od_server_config_free);
  g_clear_pointer (&state->id, g_free);
  g_clear_pointer (&state->display_name, g_free);
  g_clear_pointer (&state->short_name, g_free);
  g_clear_pointer (&state->domains, g_ptr_array_unref);
  g_clear_pointer (&state->mx_suffixes, g_ptr_array_unref);
  g_clear_pointer (&state->outgoing, g_ptr_array_unref);
  g_clear_pointer (&state->incoming, g_ptr_array_unref);
  g_clear_pointer (&state->documentation_url, g_free);
  g_clear_pointer (&state->note, g_free);
  g_clear_pointer (&state->oauth2, od_provider_oauth2_free);
}

static gboolean
is_host_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_';
}

/* Lower-cases, converts IDN to ASCII, drops a trailing dot and checks the characters.
 * With @allow_placeholder, "%EMAILDOMAIN%" may appear (Mozilla allows it in host names). */
static char *
normalize_host (const char *value,
                gboolean    allow_placeholder)
{
  g_autofree char *ascii = NULL;
  g_autofree char *lower = NULL;
  GString *out;
  const char *p;
  gsize len;

  if (value == NULL || *value == '\0')
    return NULL;

  if (g_hostname_is_ip_address (value))
    return g_ascii_strdown (value, -1);

  if (g_hostname_is_non_ascii (value))
    {
      ascii = g_hostname_to_ascii (value);
      if (ascii == NULL)
        return NULL;
      value = ascii;
    }

  lower = g_ascii_strdown (value, -1);
  len = strlen (lower);
  if (len > 0 && lower[len - 1] == '.')
    lower[--len] = '\0';
  if (len == 0 || len > 253 || lower[0] == '.' || lower[0] == '-')
    return NULL;

  out = g_string_sized_new (len);
  for (p = lower; *p != '\0'; p++)
    {
      if (allow_placeholder && g_str_has_prefix (p, "%emaildomain%"))
        {
          g_string_append (out, "%EMAILDOMAIN%");
          p += strlen ("%emaildomain%") - 1;
          continue;
        }
      if (!is_host_char (*p))
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_c (out, *p);
    }

  if (strstr (out->str, "..") != NULL)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

static const char *
lookup_namespace (ParseState *state,
                  const char *prefix)
{
  for (guint i = state->ns->len; i > 0; i--)
    {
      NsBinding *binding = &g_array_index (state->ns, NsBinding, i - 1);

      if (g_strcmp0 (binding->prefix, prefix) == 0)
        return binding->uri[0] != '\0' ? binding->uri : NULL;
    }

  return NULL;
}

/* Splits "prefix:local" and returns whether the element is in the default (Mozilla)
 * namespace, in ours, or in another one (ignored). */
typedef enum { NS_MOZILLA, NS_OURS, NS_OTHER } NsClass;

static NsClass
classify_element (ParseState  *state,
                  const char  *qname,
                  const char **local)
{
  const char *colon = strchr (qname, ':');
  g_autofree char *prefix = NULL;
  const char *uri;

  if (colon == NULL)
    {
      *local = qname;
      uri = lookup_namespace (state, "");
      return uri == NULL ? NS_MOZILLA : (g_str_equal (uri, OD_PROVIDER_NAMESPACE) ? NS_OURS : NS_OTHER);
    }

  *local = colon + 1;
  prefix = g_strndup (qname, colon - qname);
  uri = lookup_namespace (state, prefix);
  if (uri != NULL && g_str_equal (uri, OD_PROVIDER_NAMESPACE))
    return NS_OURS;

  return NS_OTHER;
}

static ElementKind
element_kind (ParseState *state,
              ElementKind parent,
              NsClass     ns_class,
              const char *local)
{
  switch (parent)
    {
    case EL_CLIENT_CONFIG:
      if (ns_class == NS_MOZILLA && g_str_equal (local, "emailProvider") && !state->seen_provider)
        return EL_EMAIL_PROVIDER;
      return EL_UNKNOWN;

    case EL_EMAIL_PROVIDER:
      if (ns_class == NS_MOZILLA)
        {
          if (g_str_equal (local, "domain"))
            return EL_DOMAIN;
          if (g_str_equal (local, "displayName"))
            return EL_DISPLAY_NAME;
          if (g_str_equal (local, "displayShortName"))
            return EL_SHORT_NAME;
          if (g_str_equal (local, "incomingServer") || g_str_equal (local, "outgoingServer"))
            return EL_SERVER;
          if (g_str_equal (local, "documentation"))
            return EL_DOCUMENTATION;
        }
      else if (ns_class == NS_OURS)
        {
          if (g_str_equal (local, "appPassword"))
            return EL_OD_APP_PASSWORD;
          if (g_str_equal (local, "oauthOnly"))
            return EL_OD_OAUTH_ONLY;
          if (g_str_equal (local, "oauthOrAppPassword"))
            return EL_OD_OAUTH_OR_APP_PASSWORD;
          if (g_str_equal (local, "noSmtp"))
            return EL_OD_NO_SMTP;
          if (g_str_equal (local, "note"))
            return EL_OD_NOTE;
          if (g_str_equal (local, "mxSuffix"))
            return EL_OD_MX_SUFFIX;
          if (g_str_equal (local, "oauth2") && (state->flags & OD_AUTOCONFIG_PARSE_TRUSTED) != 0)
            return EL_OD_OAUTH2;
        }
      return EL_UNKNOWN;

    case EL_SERVER:
      if (ns_class != NS_MOZILLA)
        return EL_UNKNOWN;
      if (g_str_equal (local, "hostname"))
        return EL_HOSTNAME;
      if (g_str_equal (local, "port"))
        return EL_PORT;
      if (g_str_equal (local, "socketType"))
        return EL_SOCKET_TYPE;
      if (g_str_equal (local, "username"))
        return EL_USERNAME;
      if (g_str_equal (local, "authentication"))
        return EL_AUTHENTICATION;
      return EL_UNKNOWN;

    case EL_UNKNOWN:
    case EL_DOMAIN:
    case EL_DISPLAY_NAME:
    case EL_SHORT_NAME:
    case EL_SERVER_IGNORED:
    case EL_HOSTNAME:
    case EL_PORT:
    case EL_SOCKET_TYPE:
    case EL_USERNAME:
    case EL_AUTHENTICATION:
    case EL_DOCUMENTATION:
    case EL_OD_APP_PASSWORD:
    case EL_OD_OAUTH_ONLY:
    case EL_OD_OAUTH_OR_APP_PASSWORD:
    case EL_OD_NO_SMTP:
    case EL_OD_NOTE:
    case EL_OD_MX_SUFFIX:
    case EL_OD_OAUTH2:
    default:
      return EL_UNKNOWN;
    }
}

static const char *
find_attribute (const char **names,
                const char **values,
                const char  *name)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_equal (names[i], name))
        return values[i];
    }

  return NULL;
}

static void
start_server (ParseState  *state,
              const char  *local,
              const char  *type,
              ElementKind *kind)
{
  gboolean outgoing = g_str_equal (local, "outgoingServer");
  OdServerProtocol protocol;

  /* Mozilla always writes type="smtp"; an outgoing server without a type can only be SMTP. */
  if (outgoing && (type == NULL || g_ascii_strcasecmp (type, "smtp") == 0))
    protocol = OD_SERVER_PROTOCOL_SMTP;
  else if (!outgoing && type != NULL && g_ascii_strcasecmp (type, "imap") == 0)
    protocol = OD_SERVER_PROTOCOL_IMAP;
  else if (!outgoing && type != NULL && g_ascii_strcasecmp (type, "pop3") == 0)
    protocol = OD_SERVER_PROTOCOL_POP3;
  else
    {
      /* exchange, ews, jmap, …: not ours to check, but keep the rest of the document */
      *kind = EL_SERVER_IGNORED;
      return;
    }

  g_assert (state->server == NULL);
  state->server = g_new0 (OdServerConfig, 1);
  state->server->protocol = protocol;
  state->server->authentication = g_new0 (char *, 1);
  state->server_is_outgoing = outgoing;
  state->have_port = FALSE;
  state->have_security = FALSE;
  *kind = EL_SERVER;
}

/* <od:oauth2 provider="google" authorize="URL" token="URL" device="URL" scope="S1 S2"/>, only
 * in our own database (a document from the network never names where to sign in). The
 * endpoints must be https; a malformed element is ignored, not fatal. */
static OdProviderOAuth2 *
read_oauth2 (const char **names,
             const char **values)
{
  const char *id = find_attribute (names, values, "provider");
  const char *authorize = find_attribute (names, values, "authorize");
  const char *token = find_attribute (names, values, "token");
  const char *device = find_attribute (names, values, "device");
  const char *scope = find_attribute (names, values, "scope");
  OdProviderOAuth2 *oauth2;

  if (id == NULL || *id == '\0' || scope == NULL || *scope == '\0' ||
      authorize == NULL || !g_str_has_prefix (authorize, "https://") ||
      token == NULL || !g_str_has_prefix (token, "https://") ||
      (device != NULL && !g_str_has_prefix (device, "https://")))
    return NULL;

  oauth2 = g_new0 (OdProviderOAuth2, 1);
  oauth2->id = g_strdup (id);
  oauth2->authorization_endpoint = g_strdup (authorize);
  oauth2->token_endpoint = g_strdup (token);
  oauth2->device_endpoint = g_strdup (device);
  oauth2->scopes = g_strsplit_set (scope, " ", -1);
  return oauth2;
}

/* The attributes: bounded in length, and the namespaces they declare. Returns FALSE with
 * @error set. */
static gboolean
read_attributes (ParseState   *state,
                 guint         depth,
                 const char  **attribute_names,
                 const char  **attribute_values,
                 GError      **error)
{
  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      if (strlen (attribute_values[i]) > OD_AUTOCONFIG_MAX_STRING)
        {
          g_autofree char *size = g_format_size (OD_AUTOCONFIG_MAX_STRING);

          /* Translators: the first %s is an XML attribute's name, the second a size such as
           * "1.0 kB" */
          g_set_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                       _("Attribute “%s” is longer than %s"), attribute_names[i], size);
          return FALSE;
        }

      if (g_str_equal (attribute_names[i], "xmlns") || g_str_has_prefix (attribute_names[i], "xmlns:"))
        {
          NsBinding binding;

          binding.prefix = g_strdup (attribute_names[i][5] == ':' ? attribute_names[i] + 6 : "");
          binding.uri = g_strdup (attribute_values[i]);
          binding.depth = depth;
          g_array_append_val (state->ns, binding);
        }
    }


  return TRUE;
}

/* What the opening tag of an element we know tells us. Returns FALSE with @error set. */
static gboolean
start_known_element (ParseState   *state,
                     ElementKind  *kind,
                     const char   *local,
                     const char  **attribute_names,
                     const char  **attribute_values,
                     GError      **error)
{
  switch (*kind)
    {
    case EL_EMAIL_PROVIDER:
      {
        const char *id = find_attribute (attribute_names, attribute_values, "id");

        state->seen_provider = TRUE;
        if (id != NULL)
          state->id = g_strstrip (g_strdup (id));
        if (state->id != NULL && state->id[0] == '\0')
          g_clear_pointer (&state->id, g_free);
      }
      break;

    case EL_SERVER:
      if (++state->n_servers > OD_AUTOCONFIG_MAX_SERVERS)
        {
          g_set_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                       _("The document lists more than %d servers"), OD_AUTOCONFIG_MAX_SERVERS);
          return FALSE;
        }
      start_server (state, local, find_attribute (attribute_names, attribute_values, "type"), kind);
      break;

    case EL_DOCUMENTATION:
      {
        const char *url = find_attribute (attribute_names, attribute_values, "url");

        /* Only web pages: the UI may offer to open this link. */
        if (state->documentation_url == NULL && url != NULL &&
            (g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://")) &&
            strpbrk (url, " \t\r\n\"<>") == NULL)
          state->documentation_url = g_strdup (url);
      }
      break;

    case EL_OD_APP_PASSWORD:
      {
        const char *required = find_attribute (attribute_names, attribute_values, "required");

        state->needs_app_password = required == NULL || g_ascii_strcasecmp (required, "true") == 0;
      }
      break;

    case EL_OD_OAUTH_ONLY:
      state->oauth_only = TRUE;
      break;

    case EL_OD_OAUTH_OR_APP_PASSWORD:
      state->oauth_or_app_password = TRUE;
      break;

    case EL_OD_NO_SMTP:
      state->no_smtp = TRUE;
      break;

    case EL_OD_OAUTH2:
      if (state->oauth2 == NULL)
        state->oauth2 = read_oauth2 (attribute_names, attribute_values);
      break;

    case EL_OD_NOTE:
      {
        const char *lang = find_attribute (attribute_names, attribute_values, "xml:lang");

        state->reading_english_note = lang == NULL || g_ascii_strncasecmp (lang, "en", 2) == 0;
      }
      break;

    case EL_UNKNOWN:
    case EL_CLIENT_CONFIG:
    case EL_DOMAIN:
    case EL_DISPLAY_NAME:
    case EL_SHORT_NAME:
    case EL_SERVER_IGNORED:
    case EL_HOSTNAME:
    case EL_PORT:
    case EL_SOCKET_TYPE:
    case EL_USERNAME:
    case EL_AUTHENTICATION:
    case EL_OD_MX_SUFFIX:
    default:
      break;
    }


  return TRUE;
}

static void
start_element_cb (GMarkupParseContext  *context,
                  const char           *element_name,
                  const char          **attribute_names,
                  const char          **attribute_values,
                  gpointer              user_data,
                  GError              **error)
{
  ParseState *state = user_data;
  guint depth = state->kinds->len + 1;
  ElementKind parent = depth > 1 ? g_array_index (state->kinds, ElementKind, depth - 2) : EL_UNKNOWN;
  ElementKind kind = EL_UNKNOWN;
  const char *local = NULL;
  NsClass ns_class;

  if (depth > OD_AUTOCONFIG_MAX_DEPTH)
    {
      g_set_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                   _("Elements are nested deeper than %d levels"), OD_AUTOCONFIG_MAX_DEPTH);
      return;
    }

  if (!read_attributes (state, depth, attribute_names, attribute_values, error))
    return;

  ns_class = classify_element (state, element_name, &local);

  if (depth == 1)
    {
      if (ns_class != NS_MOZILLA || !g_str_equal (local, "clientConfig"))
        {
          g_set_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                       _("The document is not a clientConfig document (root element “%s”)"),
                       element_name);
          return;
        }
      kind = EL_CLIENT_CONFIG;
    }
  else
    {
      kind = element_kind (state, parent, ns_class, local);
    }

  if (!start_known_element (state, &kind, local, attribute_names, attribute_values, error))
    return;

  g_string_truncate (state->text, 0);
  g_array_append_val (state->kinds, kind);
}

static gboolean
finish_server (ParseState  *state,
               GError     **error)
{
  g_autoptr(OdServerConfig) server = g_steal_pointer (&state->server);
  gboolean outgoing = state->server_is_outgoing;

  if (server->hostname == NULL)
    {
      g_set_error_literal (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                           outgoing ? _("An outgoing server has no valid hostname")
                                    : _("An incoming server has no valid hostname"));
      return FALSE;
    }
  if (!state->have_port)
    {
      /* Translators: %s is a server name */
      g_set_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                   outgoing ? _("The outgoing server %s has no port")
                            : _("The incoming server %s has no port"),
                   server->hostname);
      return FALSE;
    }
  if (!state->have_security)
    {
      /* Translators: %s is a server name; socketType is the name of an XML element */
      g_set_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                   outgoing ? _("The outgoing server %s has no socketType")
                            : _("The incoming server %s has no socketType"),
                   server->hostname);
      return FALSE;
    }

  g_ptr_array_add (state->server_is_outgoing ? state->outgoing : state->incoming,
                   g_steal_pointer (&server));

  return TRUE;
}

static void
append_strv (char       ***strv,
             const char   *value)
{
  guint len = g_strv_length (*strv);

  *strv = g_renew (char *, *strv, len + 2);
  (*strv)[len] = g_strdup (value);
  (*strv)[len + 1] = NULL;
}

static char *
collapse_spaces (const char *value)
{
  GString *out = g_string_sized_new (strlen (value));
  gboolean space = FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          space = TRUE;
          continue;
        }
      if (space && out->len > 0)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* Notes and names are wrapped in the files; show them as one line, without control or
 * invisible characters (od_text_sanitize()). */
static char *
collapse_whitespace (const char *value)
{
  g_autofree char *collapsed = collapse_spaces (value);

  return od_text_sanitize (collapsed, -1, OD_TEXT_SINGLE_LINE);
}

/* A value from the document quoted in an error: never raw. */
static char *
shown (const char *value)
{
  return od_text_sanitize (value, -1, OD_TEXT_SINGLE_LINE);
}

static gboolean
ptr_array_has_string (GPtrArray  *array,
                      const char *value)
{
  for (guint i = 0; i < array->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (array, i), value))
        return TRUE;
    }

  return FALSE;
}

/* The end of an element about the provider. */
static void
end_provider_element (ParseState   *state,
                      ElementKind   kind,
                      const char   *value,
                      GError      **error)
{
  switch (kind)
    {
    case EL_DOMAIN:
      {
        g_autofree char *domain = normalize_host (value, FALSE);

        if (domain == NULL)
          {
            g_autofree char *quoted = shown (value);

            g_set_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                         _("“%s” is not a valid domain"), quoted);
            break;
          }
        if (!ptr_array_has_string (state->domains, domain))
          g_ptr_array_add (state->domains, g_steal_pointer (&domain));
      }
      break;

    case EL_OD_MX_SUFFIX:
      {
        const char *suffix = value;
        g_autofree char *normal = NULL;

        /* "*.mail.protection.outlook.com" and ".google.com" mean the same as the bare suffix */
        if (g_str_has_prefix (suffix, "*."))
          suffix += 2;
        else if (suffix[0] == '.')
          suffix += 1;

        normal = normalize_host (suffix, FALSE);
        if (normal == NULL || strchr (normal, '.') == NULL)
          {
            g_autofree char *quoted = shown (value);

            g_set_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                         _("“%s” is not a valid MX suffix"), quoted);
            break;
          }
        if (!ptr_array_has_string (state->mx_suffixes, normal))
          g_ptr_array_add (state->mx_suffixes, g_steal_pointer (&normal));
      }
      break;

    case EL_DISPLAY_NAME:
      if (state->display_name == NULL && *value != '\0')
        state->display_name = collapse_whitespace (value);
      break;

    case EL_SHORT_NAME:
      if (state->short_name == NULL && *value != '\0')
        state->short_name = collapse_whitespace (value);
      break;

    case EL_OD_NOTE:
      /* The first English (or unmarked) note wins; otherwise the first note. */
      if (*value != '\0' &&
          (state->note == NULL || (!state->note_is_english && state->reading_english_note)))
        {
          g_free (state->note);
          state->note = collapse_whitespace (value);
          state->note_is_english = state->reading_english_note;
        }
      break;

    default:
      break;
    }
}

/* The end of an element about the server being read; @value may be taken. */
static void
end_server_element (ParseState   *state,
                    ElementKind   kind,
                    char        **value,
                    GError      **error)
{
  switch (kind)
    {
    case EL_SERVER:
      finish_server (state, error);
      break;

    case EL_HOSTNAME:
      g_clear_pointer (&state->server->hostname, g_free);
      state->server->hostname = normalize_host (*value, TRUE);
      if (state->server->hostname == NULL)
        {
          g_autofree char *quoted = shown (*value);

          g_set_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                       _("“%s” is not a valid hostname"), quoted);
        }
      break;

    case EL_PORT:
      {
        guint64 port = 0;
        g_autoptr(GError) local_error = NULL;

        if (!g_ascii_string_to_unsigned (*value, 10, 1, 65535, &port, &local_error))
          {
            g_autofree char *quoted = shown (*value);

            g_set_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                         _("“%s” is not a valid port"), quoted);
            break;
          }
        state->server->port = (guint16) port;
        state->have_port = TRUE;
      }
      break;

    case EL_SOCKET_TYPE:
      if (g_ascii_strcasecmp (*value, "SSL") == 0)
        state->server->security = OD_SECURITY_TLS;
      else if (g_ascii_strcasecmp (*value, "STARTTLS") == 0)
        state->server->security = OD_SECURITY_STARTTLS;
      else if (g_ascii_strcasecmp (*value, "plain") == 0)
        state->server->security = OD_SECURITY_NONE;
      else
        {
          g_autofree char *quoted = shown (*value);

          g_set_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                       _("“%s” is not a known socketType"), quoted);
          break;
        }
      state->have_security = TRUE;
      break;

    case EL_USERNAME:
      /* It is saved and shown: a control or invisible character in it is refused, never
       * passed on. */
      if (!od_text_is_clean (*value, -1, OD_TEXT_SINGLE_LINE))
        {
          g_set_error_literal (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                               _("The user name contains control or invisible characters"));
          break;
        }
      g_clear_pointer (&state->server->username, g_free);
      if (**value != '\0')
        state->server->username = g_steal_pointer (value);
      break;

    case EL_AUTHENTICATION:
      if (!od_text_is_clean (*value, -1, OD_TEXT_SINGLE_LINE))
        {
          g_set_error_literal (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                               _("An authentication method contains control or invisible "
                                  "characters"));
          break;
        }
      if (**value != '\0' &&
          !g_strv_contains ((const char * const *) state->server->authentication, *value))
        append_strv (&state->server->authentication, *value);
      break;

    default:
      break;
    }
}

static void
end_element_cb (GMarkupParseContext  *context,
                const char           *element_name,
                gpointer              user_data,
                GError              **error)
{
  ParseState *state = user_data;
  guint depth = state->kinds->len;
  ElementKind kind = g_array_index (state->kinds, ElementKind, depth - 1);
  g_autofree char *value = g_strstrip (g_strndup (state->text->str, state->text->len));

  switch (kind)
    {
    case EL_DOMAIN:
    case EL_OD_MX_SUFFIX:
    case EL_DISPLAY_NAME:
    case EL_SHORT_NAME:
    case EL_OD_NOTE:
      end_provider_element (state, kind, value, error);
      break;

    case EL_SERVER:
    case EL_HOSTNAME:
    case EL_PORT:
    case EL_SOCKET_TYPE:
    case EL_USERNAME:
    case EL_AUTHENTICATION:
      end_server_element (state, kind, &value, error);
      break;

    case EL_UNKNOWN:
    case EL_CLIENT_CONFIG:
    case EL_EMAIL_PROVIDER:
    case EL_SERVER_IGNORED:
    case EL_DOCUMENTATION:
    case EL_OD_APP_PASSWORD:
    case EL_OD_OAUTH2:
    case EL_OD_OAUTH_ONLY:
    case EL_OD_OAUTH_OR_APP_PASSWORD:
    case EL_OD_NO_SMTP:
    default:
      break;
    }

  g_string_truncate (state->text, 0);
  g_array_set_size (state->kinds, depth - 1);

  /* Drop the namespace declarations of the element that ends here. */
  while (state->ns->len > 0 &&
         g_array_index (state->ns, NsBinding, state->ns->len - 1).depth == depth)
    g_array_set_size (state->ns, state->ns->len - 1);
}

static gboolean
kind_takes_text (ElementKind kind)
{
  switch (kind)
    {
    case EL_DOMAIN:
    case EL_DISPLAY_NAME:
    case EL_SHORT_NAME:
    case EL_HOSTNAME:
    case EL_PORT:
    case EL_SOCKET_TYPE:
    case EL_USERNAME:
    case EL_AUTHENTICATION:
    case EL_OD_NOTE:
    case EL_OD_MX_SUFFIX:
      return TRUE;

    case EL_UNKNOWN:
    case EL_CLIENT_CONFIG:
    case EL_EMAIL_PROVIDER:
    case EL_SERVER:
    case EL_SERVER_IGNORED:
    case EL_DOCUMENTATION:
    case EL_OD_APP_PASSWORD:
    case EL_OD_OAUTH_ONLY:
    case EL_OD_OAUTH_OR_APP_PASSWORD:
    case EL_OD_NO_SMTP:
    case EL_OD_OAUTH2:
    default:
      return FALSE;
    }
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 text_len,
         gpointer              user_data,
         GError              **error)
{
  ParseState *state = user_data;
  ElementKind kind;

  if (state->kinds->len == 0)
    return;

  kind = g_array_index (state->kinds, ElementKind, state->kinds->len - 1);
  if (!kind_takes_text (kind))
    return;

  if (state->text->len + text_len > OD_AUTOCONFIG_MAX_STRING)
    {
      g_autofree char *size = g_format_size (OD_AUTOCONFIG_MAX_STRING);

      /* Translators: %s is an XML element's name, the second a size such as "1.0 kB" */
      g_set_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                   _("Element <%s> holds more than %s"),
                   g_markup_parse_context_get_element (context), size);
      return;
    }

  g_string_append_len (state->text, text, text_len);
}

static const GMarkupParser parser = {
  start_element_cb,
  end_element_cb,
  text_cb,
  NULL,
  NULL,
};

static char **
ptr_array_to_strv (GPtrArray *array)
{
  char **strv = g_new0 (char *, array->len + 1);

  for (guint i = 0; i < array->len; i++)
    strv[i] = g_strdup (g_ptr_array_index (array, i));

  return strv;
}

/**
 * od_autoconfig_parse_full:
 * @data: the document, UTF-8
 * @length: its length in bytes, or -1 if nul-terminated
 * @flags: %OD_AUTOCONFIG_PARSE_TRUSTED for our own provider files
 * @error: return location for an %OD_AUTOCONFIG_ERROR
 *
 * Reads a Mozilla clientConfig 1.1 document and the provider facts we keep in
 * the %OD_PROVIDER_NAMESPACE namespace. Safe for documents from the network:
 * size, nesting, number of servers and string lengths are bounded, entities
 * other than the XML built-ins are rejected, and every failure is a #GError.
 *
 * Returns: (transfer full): the provider, or %NULL with @error set
 */
OdProvider *
od_autoconfig_parse_full (const char             *data,
                          gssize                  length,
                          OdAutoconfigParseFlags  flags,
                          GError                **error)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  ParseState state;
  OdProvider *provider;
  gsize len;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = length < 0 ? strlen (data) : (gsize) length;
  if (len > OD_AUTOCONFIG_MAX_DOCUMENT_SIZE)
    {
      g_autofree char *size = g_format_size (OD_AUTOCONFIG_MAX_DOCUMENT_SIZE);

      g_set_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_TOO_LARGE,
                   _("The document is larger than %s"), size);
      return NULL;
    }

  /* GMarkup does not accept a byte order mark. */
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      len -= 3;
    }

  parse_state_init (&state, flags);
  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &state, NULL);

  if (!g_markup_parse_context_parse (context, data, len, &local_error) ||
      !g_markup_parse_context_end_parse (context, &local_error))
    {
      parse_state_clear (&state);
      if (local_error->domain == OD_AUTOCONFIG_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                     _("The document is not well-formed XML: %s"), local_error->message);
      return NULL;
    }

  if (!state.seen_provider)
    {
      parse_state_clear (&state);
      g_set_error_literal (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                           _("The document has no emailProvider"));
      return NULL;
    }

  if (state.id == NULL && state.domains->len > 0)
    state.id = g_strdup (g_ptr_array_index (state.domains, 0));
  if (state.id == NULL || *state.id == '\0')
    {
      parse_state_clear (&state);
      g_set_error_literal (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID,
                           _("The emailProvider has neither an id nor a domain"));
      return NULL;
    }

  if (state.outgoing->len == 0 &&
      !(state.no_smtp && (flags & OD_AUTOCONFIG_PARSE_TRUSTED) != 0))
    {
      parse_state_clear (&state);
      g_set_error_literal (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_NO_OUTGOING,
                           _("The document lists no SMTP server"));
      return NULL;
    }

  provider = od_provider_new ();
  provider->id = g_steal_pointer (&state.id);
  provider->display_name = state.display_name != NULL ? g_steal_pointer (&state.display_name)
                                                      : g_strdup (provider->id);
  provider->short_name = state.short_name != NULL ? g_steal_pointer (&state.short_name)
                                                  : g_strdup (provider->display_name);
  provider->domains = ptr_array_to_strv (state.domains);
  provider->mx_suffixes = ptr_array_to_strv (state.mx_suffixes);
  provider->outgoing = g_steal_pointer (&state.outgoing);
  provider->incoming = g_steal_pointer (&state.incoming);
  provider->documentation_url = g_steal_pointer (&state.documentation_url);
  provider->note = g_steal_pointer (&state.note);
  provider->needs_app_password = state.needs_app_password;
  provider->oauth_only = state.oauth_only;
  provider->oauth_or_app_password = state.oauth_or_app_password;
  provider->no_smtp = state.no_smtp;
  provider->oauth2 = g_steal_pointer (&state.oauth2);

  parse_state_clear (&state);

  return provider;
}

/**
 * od_autoconfig_parse:
 * @data: the document, UTF-8
 * @length: its length in bytes, or -1 if nul-terminated
 * @error: return location for an %OD_AUTOCONFIG_ERROR
 *
 * Like od_autoconfig_parse_full() for a document from the network: a document
 * without an SMTP server fails with %OD_AUTOCONFIG_ERROR_NO_OUTGOING.
 *
 * Returns: (transfer full): the provider, or %NULL with @error set
 */
OdProvider *
od_autoconfig_parse (const char  *data,
                     gssize       length,
                     GError     **error)
{
  return od_autoconfig_parse_full (data, length, OD_AUTOCONFIG_PARSE_NONE, error);
}
