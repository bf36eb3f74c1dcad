/* od-found-evolution.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "od-found-bus.h"
#include "od-found-evolution-private.h"
#include "od-text.h"

/* Evolution's mail accounts through evolution-data-server's source registry (3.46): a mail
 * account source ([Mail Account], its backend and incoming server), its identity ([Mail
 * Identity] and [Mail Submission] TransportUid) and that identity's transport ([Mail
 * Transport] BackendName=smtp with [Authentication] and [Security]). Ports Evolution leaves
 * at 0 are Camel's defaults: SMTP 465 with ssl-on-alternate-port, else 25; IMAP 993/143;
 * POP3 995/110. The accounts EDS makes for GNOME Online Accounts are that reader's
 * (goa:ID), not read again here. docs/found-accounts.md has the whole mapping. */

/* Parents are followed at most this deep (a collection is the account's parent). */
#define MAX_PARENT_DEPTH 8

typedef struct
{
  ESourceRegistry *registry;
  GPtrArray       *found;
  const char      *config_home;
} ReadState;

/* Text from a source is a file's text: shown escaped, never as terminal controls. Takes
 * @text. */
static char *
clean (char *text)
{
  g_autofree char *owned = text;

  return owned != NULL && owned[0] != '\0' ? od_text_sanitize (owned, -1, OD_TEXT_SINGLE_LINE)
                                            : NULL;
}

/* A host with control characters or spaces is no host (and never shown raw). */
static gboolean
is_host (const char *host)
{
  return host != NULL && host[0] != '\0' && od_text_is_clean (host, -1, OD_TEXT_SINGLE_LINE) &&
         strpbrk (host, " \t") == NULL;
}

static ESource *
ref_collection (ESourceRegistry *registry,
                ESource         *source)
{
  g_autoptr(ESource) current = g_object_ref (source);

  for (guint depth = 0; depth < MAX_PARENT_DEPTH; depth++)
    {
      g_autofree char *parent = NULL;
      ESource *next;

      if (e_source_has_extension (current, E_SOURCE_EXTENSION_COLLECTION))
        return g_steal_pointer (&current);
      parent = e_source_dup_parent (current);
      if (parent == NULL || parent[0] == '\0')
        return NULL;
      next = e_source_registry_ref_source (registry, parent);
      if (next == NULL)
        return NULL;
      g_object_unref (current);
      current = next;
    }
  return NULL;
}

/**
 * od_found_evolution_dup_goa_account_id:
 *
 * Returns: (transfer full) (nullable): the GOA account id of the collection @source belongs
 *   to (an account EDS made for GNOME Online Accounts), or %NULL
 */
char *
od_found_evolution_dup_goa_account_id (ESourceRegistry *registry,
                                       ESource         *source)
{
  g_autoptr(ESource) collection = ref_collection (registry, source);

  if (collection == NULL || !e_source_has_extension (collection, E_SOURCE_EXTENSION_GOA))
    return NULL;
  return e_source_goa_dup_account_id (e_source_get_extension (collection,
                                                              E_SOURCE_EXTENSION_GOA));
}

static OdSecurity
security_from_source (ESource  *source,
                      gboolean *known)
{
  g_autofree char *method = NULL;

  *known = TRUE;
  if (!e_source_has_extension (source, E_SOURCE_EXTENSION_SECURITY))
    return OD_SECURITY_NONE;
  method = e_source_security_dup_method (e_source_get_extension (source,
                                                                 E_SOURCE_EXTENSION_SECURITY));
  if (g_strcmp0 (method, "ssl-on-alternate-port") == 0)
    return OD_SECURITY_TLS;
  if (g_strcmp0 (method, "starttls-on-standard-port") == 0)
    return OD_SECURITY_STARTTLS;
  if (method != NULL && method[0] != '\0' && strcmp (method, "none") != 0)
    *known = FALSE;
  return OD_SECURITY_NONE;
}

/* The [Security] Method Evolution writes for @security: the inverse of
 * security_from_source(). */
const char *
od_found_evolution_security_method (OdSecurity security)
{
  switch (security)
    {
    case OD_SECURITY_TLS:
      return "ssl-on-alternate-port";
    case OD_SECURITY_STARTTLS:
      return "starttls-on-standard-port";
    case OD_SECURITY_NONE:
    default:
      return "none";
    }
}

static gboolean
is_oauth_method (const char *method)
{
  /* Evolution's OAuth 2.0 mechanisms: Camel's XOAUTH2 and its providers' own names. */
  return method != NULL && (g_ascii_strcasecmp (method, "XOAUTH2") == 0 ||
                            strcmp (method, "Google") == 0 ||
                            strcmp (method, "Outlook") == 0 ||
                            strcmp (method, "Yahoo") == 0 ||
                            strcmp (method, "OAUTHBEARER") == 0);
}

static void
map_incoming (OdFoundAccount *found,
              ESource        *account_source)
{
  ESourceMailAccount *extension = e_source_get_extension (account_source,
                                                          E_SOURCE_EXTENSION_MAIL_ACCOUNT);
  g_autofree char *backend = e_source_backend_dup_backend_name (E_SOURCE_BACKEND (extension));
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  ESourceAuthentication *auth;
  const char *protocol;
  OdSecurity security;
  gboolean known;
  guint16 port;

  if (g_strcmp0 (backend, "imapx") == 0 || g_strcmp0 (backend, "imap") == 0)
    protocol = "imap";
  else if (g_strcmp0 (backend, "pop") == 0)
    protocol = "pop3";
  else
    return;
  if (!e_source_has_extension (account_source, E_SOURCE_EXTENSION_AUTHENTICATION))
    return;
  auth = e_source_get_extension (account_source, E_SOURCE_EXTENSION_AUTHENTICATION);
  host = e_source_authentication_dup_host (auth);
  if (!is_host (host))
    return;
  user = clean (e_source_authentication_dup_user (auth));
  security = security_from_source (account_source, &known);
  port = e_source_authentication_get_port (auth);
  if (port == 0 && strcmp (protocol, "imap") == 0)
    port = security == OD_SECURITY_TLS ? 993 : 143;
  else if (port == 0)
    port = security == OD_SECURITY_TLS ? 995 : 110;
  od_account_set_incoming (od_found_account_get_account (found), protocol, host, port,
                           security, user);
}

/* The source whose uid EDS keeps the password under: the transport's own, or its
 * collection's when the collection holds the credentials (as
 * e_source_credentials_provider_ref_credentials_source() decides). */
static char *
dup_credentials_uid (ESourceRegistry *registry,
                     ESource         *transport)
{
  g_autoptr(ESource) collection = ref_collection (registry, transport);

  if (collection != NULL && e_util_can_use_collection_as_credential_source (collection, transport))
    return e_source_dup_uid (collection);
  return e_source_dup_uid (transport);
}

static void
map_outgoing (OdFoundAccount  *found,
              ESourceRegistry *registry,
              ESource         *transport)
{
  OdAccount *settings = od_found_account_get_account (found);
  ESourceAuthentication *auth = e_source_get_extension (transport,
                                                        E_SOURCE_EXTENSION_AUTHENTICATION);
  g_autofree char *host = e_source_authentication_dup_host (auth);
  g_autofree char *user = clean (e_source_authentication_dup_user (auth));
  g_autofree char *method = clean (e_source_authentication_dup_method (auth));
  g_autofree char *uid = NULL;
  gboolean known;
  OdSecurity security = security_from_source (transport, &known);
  guint16 port = e_source_authentication_get_port (auth);
  gboolean login = method != NULL && method[0] != '\0' && strcmp (method, "none") != 0;

  od_account_set_host (settings, host);
  od_account_set_port (settings, port != 0 ? port : security == OD_SECURITY_TLS ? 465 : 25);
  od_account_set_security (settings, security);
  od_account_set_username (settings, user);
  od_account_set_auth_mechanism (settings, login ? method : OD_ACCOUNT_AUTH_NONE);
  if (!known)
    od_found_account_add_note (found,
                               _("Evolution’s encryption setting for this server could not be "
                                 "read; it is taken as no encryption."));

  if (is_oauth_method (method))
    {
      od_found_account_add_note (found, _("An OAuth account: Outbox Doctor cannot test it yet."));
      return;
    }
  if (!login)
    return;
  if (!e_source_authentication_get_remember_password (auth))
    {
      od_found_account_add_note (found,
                                 _("Evolution does not keep this password: Outbox Doctor "
                                   "asks for it."));
      return;
    }
  uid = dup_credentials_uid (registry, transport);
  od_found_account_set_secret (found, OD_FOUND_SECRET_KEYRING);
  od_found_account_set_keyring_attribute (found, OD_FOUND_EVOLUTION_KEYRING_ATTRIBUTE, uid);
}

/**
 * od_found_evolution_ref_identity_and_transport:
 * @account_source: a source with [Mail Account]
 * @identity: (out) (transfer full): its identity
 * @transport: (out) (transfer full): that identity's SMTP transport
 *
 * Finds the identity and SMTP transport (with a host) of a mail account, as the reader
 * takes them.
 *
 * Returns: %FALSE (with @identity and @transport %NULL) when the account has none: a local
 *   folder, a sendmail transport, EWS and the like
 */
gboolean
od_found_evolution_ref_identity_and_transport (ESourceRegistry  *registry,
                                               ESource          *account_source,
                                               ESource         **identity,
                                               ESource         **transport)
{
  ESourceMailAccount *account = e_source_get_extension (account_source,
                                                        E_SOURCE_EXTENSION_MAIL_ACCOUNT);
  g_autofree char *identity_uid = e_source_mail_account_dup_identity_uid (account);
  g_autofree char *transport_uid = NULL;
  g_autofree char *backend = NULL;
  g_autofree char *host = NULL;
  g_autoptr(ESource) id = NULL;
  g_autoptr(ESource) tr = NULL;

  *identity = *transport = NULL;
  if (identity_uid == NULL || identity_uid[0] == '\0')
    return FALSE;
  id = e_source_registry_ref_source (registry, identity_uid);
  if (id == NULL || !e_source_has_extension (id, E_SOURCE_EXTENSION_MAIL_IDENTITY) ||
      !e_source_has_extension (id, E_SOURCE_EXTENSION_MAIL_SUBMISSION))
    return FALSE;
  transport_uid = e_source_mail_submission_dup_transport_uid (
    e_source_get_extension (id, E_SOURCE_EXTENSION_MAIL_SUBMISSION));
  if (transport_uid == NULL || transport_uid[0] == '\0')
    return FALSE;
  tr = e_source_registry_ref_source (registry, transport_uid);
  if (tr == NULL || !e_source_has_extension (tr, E_SOURCE_EXTENSION_MAIL_TRANSPORT) ||
      !e_source_has_extension (tr, E_SOURCE_EXTENSION_AUTHENTICATION))
    return FALSE;
  backend = e_source_backend_dup_backend_name (
    E_SOURCE_BACKEND (e_source_get_extension (tr, E_SOURCE_EXTENSION_MAIL_TRANSPORT)));
  if (g_strcmp0 (backend, "smtp") != 0)
    return FALSE;
  host = e_source_authentication_dup_host (e_source_get_extension (tr,
                                                                   E_SOURCE_EXTENSION_AUTHENTICATION));
  if (!is_host (host))
    return FALSE;

  *identity = g_steal_pointer (&id);
  *transport = g_steal_pointer (&tr);
  return TRUE;
}

/* An account EDS made for GNOME Online Accounts is GOA's: the note goes on that one, in
 * @found when GOA's reader filled the same list, else through a messenger of origin "goa"
 * that od_found_accounts_find_async() turns into the note on GOA's account. */
static void
note_goa_account (GPtrArray  *found,
                  const char *goa_id)
{
  g_autofree char *id = g_strdup_printf ("%s:%s", OD_ORIGIN_GOA, goa_id);
  const char *note = _("Evolution sends mail through this account too.");
  OdFoundAccount *messenger;

  for (guint i = 0; i < found->len; i++)
    {
      OdFoundAccount *account = g_ptr_array_index (found, i);
      const char * const *notes = od_found_account_get_notes (account);

      if (g_strcmp0 (od_found_account_get_id (account), id) != 0)
        continue;
      if (!g_strv_contains (notes, note))
        od_found_account_add_note (account, note);
      return;
    }

  messenger = od_found_account_new (OD_ORIGIN_GOA, goa_id, NULL);
  od_found_account_add_note (messenger, note);
  g_ptr_array_add (found, messenger);
}

static void
read_account (ReadState *state,
              ESource   *account_source)
{
  g_autoptr(ESource) identity = NULL;
  g_autoptr(ESource) transport = NULL;
  g_autofree char *goa_id = od_found_evolution_dup_goa_account_id (state->registry,
                                                                account_source);
  g_autofree char *address = NULL;
  g_autofree char *name = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  ESourceMailIdentity *mail_identity;
  OdFoundAccount *found;

  /* The uid becomes ours ("evolution:UID"): one that is not clean text is not taken. */
  if (!od_text_is_clean (e_source_get_uid (account_source), -1, OD_TEXT_SINGLE_LINE))
    return;
  if (goa_id != NULL)
    {
      note_goa_account (state->found, goa_id);
      return;
    }
  if (!od_found_evolution_ref_identity_and_transport (state->registry, account_source, &identity,
                                                      &transport))
    return;
  mail_identity = e_source_get_extension (identity, E_SOURCE_EXTENSION_MAIL_IDENTITY);
  address = clean (e_source_mail_identity_dup_address (mail_identity));
  name = clean (e_source_mail_identity_dup_name (mail_identity));

  found = od_found_account_new (OD_ORIGIN_EVOLUTION, e_source_get_uid (account_source),
                                address);
  if (name != NULL)
    od_account_set_display_name (od_found_account_get_account (found), name);
  /* The file the registry keeps the transport in (the outgoing settings). */
  file = g_strconcat (e_source_get_uid (transport), ".source", NULL);
  path = g_build_filename (state->config_home, "evolution", "sources", file, NULL);
  od_found_account_set_source_path (found, path);
  map_outgoing (found, state->registry, transport);
  map_incoming (found, account_source);
  if (!e_source_get_enabled (account_source) || !e_source_get_enabled (transport))
    od_found_account_add_note (found, _("This account is switched off in Evolution."));

  g_ptr_array_add (state->found, found);
}

static int
compare_sources (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (e_source_get_uid (E_SOURCE ((gpointer)a)),
                    e_source_get_uid (E_SOURCE ((gpointer)b)));
}

/**
 * od_found_evolution_registry_new:
 *
 * Connects to Evolution's source registry, after od_found_bus_ensure_service() made sure
 * within a few seconds that it runs and answers: e_source_registry_new_sync() creates its
 * object manager without any cancellable, so a hung registry would otherwise hold the
 * caller for D-Bus's 25 s. Signals of the registry and its sources are emitted in the
 * caller's thread-default main context.
 *
 * Returns: (transfer full): the registry, or %NULL with @error in words for the person
 */
ESourceRegistry *
od_found_evolution_registry_new (GCancellable  *cancellable,
                                 GError       **error)
{
  ESourceRegistry *registry;
  GError *local = NULL;

  if (!od_found_bus_ensure_service (OD_FOUND_EVOLUTION_BUS_NAME, _("Evolution’s account registry"),
                                    cancellable, error))
    return NULL;
  registry = e_source_registry_new_sync (cancellable, &local);
  if (registry == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, local);
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       /* Translators: %s is the system's own words */
                       _("Evolution’s accounts could not be read: %s"), local->message);
          g_error_free (local);
        }
    }
  return registry;
}

/**
 * od_found_read_evolution:
 *
 * An #OdFoundReader for Evolution: every mail account with an identity and an SMTP
 * transport, as "evolution:UID" (the mail account source's uid), its secret in the keyring
 * under EDS's own attribute e-source-uid. The context's home is not used: the registry is
 * asked over the session bus.
 */
gboolean
od_found_read_evolution (const OdFoundContext  *context,
                         GPtrArray             *found,
                         GError               **error)
{
  g_autoptr(ESourceRegistry) registry = NULL;
  ReadState state = { NULL, found, NULL };
  GList *sources;
  guint n = 0;

  g_return_val_if_fail (context != NULL && found != NULL, FALSE);

  registry = od_found_evolution_registry_new (context->cancellable, error);
  if (registry == NULL)
    return FALSE;

  state.registry = registry;
  state.config_home = context->config_home != NULL ? context->config_home : g_get_user_config_dir ();
  sources = g_list_sort (e_source_registry_list_sources (registry, E_SOURCE_EXTENSION_MAIL_ACCOUNT),
                         compare_sources);
  for (GList *l = sources; l != NULL && n < OD_FOUND_EVOLUTION_MAX_ACCOUNTS; l = l->next, n++)
    read_account (&state, l->data);
  g_list_free_full (sources, g_object_unref);

  return TRUE;
}

/**
 * od_found_evolution_lookup_password_sync:
 * @source_uid: the uid a found account's keyring attribute e-source-uid names (the
 *   transport's, for the outgoing password), or the mail account's (the incoming one)
 *
 * Looks the password up as e_source_lookup_password_sync() does for that source: through
 * e_secret_store_lookup_sync(), EDS's own libsecret schema. Never logged.
 *
 * Returns: (transfer full): the password; the caller wipes and frees it
 */
char *
od_found_evolution_lookup_password_sync (const char    *source_uid,
                                         GCancellable  *cancellable,
                                         GError       **error)
{
  char *password = NULL;

  g_return_val_if_fail (source_uid != NULL, NULL);

  if (!e_secret_store_lookup_sync (source_uid, &password, cancellable, error))
    return NULL;
  if (password == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("Evolution keeps no password for this account in the keyring"));
      return NULL;
    }
  return password;
}
