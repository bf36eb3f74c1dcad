/* od-found-export-desktop.c
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
#include "od-found-export-private.h"
#include "od-found-goa-private.h"
#include "od-found-secret.h"

/* Exports to the two clients that keep their accounts behind a D-Bus service, not in a file
 * of their own (docs/found-accounts.md, "Handing an account to a client"):
 *
 * - Evolution: the three sources its own account wizard makes (the mail account with the
 *   incoming server, its identity, its SMTP transport), planned as scratch sources with
 *   their uids and created in one e_source_registry_create_sources_sync() call. The
 *   passwords go first, under those uids, with e_source_store_password_sync(): EDS's own
 *   keyring items, which Evolution looks up itself.
 * - GNOME Online Accounts 3.46: Manager.AddAccount with the "imap_smtp" provider, the
 *   details its own IMAP and SMTP dialog passes (goaimapsmtpprovider.c) and the passwords
 *   as its credentials, which goa-daemon keeps in the keyring. That provider needs an IMAP
 *   server: an account without one, or with POP3, cannot go there.
 *
 * Either way the account is then read back through the client's reader (the registry or
 * the daemon, as any other program sees them), compared with what was meant, and its
 * password looked up where the client keeps it. When that fails within
 * OD_FOUND_BUS_TIMEOUT_MS, what was created is removed again. */

/* How often the reader is asked while the client settles. */
#define POLL_INTERVAL_MS 100

static gboolean
is_evolution (OdFoundExport *self)
{
  return g_str_equal (self->origin, OD_ORIGIN_EVOLUTION);
}

static const char *
goa_bool (gboolean value)
{
  return value ? "true" : "false";
}

/* The incoming user name as Outbox Doctor uses it: the incoming server's own, else the
 * outgoing one's, else the address. */
const char *
od_found_export_incoming_user (OdAccount *account)
{
  if (od_account_get_incoming_username (account) != NULL)
    return od_account_get_incoming_username (account);
  if (od_account_get_username (account) != NULL)
    return od_account_get_username (account);
  return od_account_get_address (account);
}

/* ---- Evolution --------------------------------------------------------------------- */

static ESource *
scratch_source (const char  *display_name,
                const char  *parent,
                GError     **error)
{
  g_autofree char *uid = e_util_generate_uid ();
  ESource *source = e_source_new_with_uid (uid, NULL, error);

  if (source == NULL)
    return NULL;
  e_source_set_display_name (source, display_name);
  e_source_set_parent (source, parent);
  return source;
}

static void
set_server (ESource    *source,
            const char *host,
            guint16     port,
            const char *user,
            const char *method,
            OdSecurity  security)
{
  ESourceAuthentication *auth = e_source_get_extension (source,
                                                        E_SOURCE_EXTENSION_AUTHENTICATION);

  e_source_authentication_set_host (auth, host);
  e_source_authentication_set_port (auth, port);
  e_source_authentication_set_user (auth, user);
  e_source_authentication_set_method (auth, method);
  e_source_authentication_set_remember_password (auth, method != NULL);
  e_source_security_set_method (e_source_get_extension (source, E_SOURCE_EXTENSION_SECURITY),
                                od_found_evolution_security_method (security));
}

/* The SMTP mechanism Evolution's transport names: Outbox Doctor's, or PLAIN as
 * Evolution's wizard offers first; NULL without login. */
static const char *
transport_method (OdFoundExport *self)
{
  const char *mechanism = od_account_get_auth_mechanism (self->account);

  if (!od_found_export_needs_login (self))
    return NULL;
  return mechanism != NULL && mechanism[0] != '\0' ? mechanism : "PLAIN";
}

static gboolean
plan_evolution (OdFoundExport        *self,
                const OdFoundContext *context,
                GError              **error)
{
  OdAccount *account = self->account;
  const char *address = od_account_get_address (account);
  const char *protocol = od_account_get_incoming_protocol (account);
  g_autoptr(ESource) mail = NULL;
  g_autoptr(ESource) identity = NULL;
  g_autoptr(ESource) transport = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *file = NULL;
  ESourceMailAccount *mail_account;
  ESourceMailIdentity *mail_identity;
  const char *backend = "none";

  if ((mail = scratch_source (address, NULL, error)) == NULL
      || (identity = scratch_source (address, e_source_get_uid (mail), error)) == NULL
      || (transport = scratch_source (address, e_source_get_uid (mail), error)) == NULL)
    return FALSE;

  /* The mail account: where mail comes from (Camel's imapx or pop), else nowhere. */
  mail_account = e_source_get_extension (mail, E_SOURCE_EXTENSION_MAIL_ACCOUNT);
  if (od_found_export_has_incoming (self))
    {
      backend = g_str_equal (protocol, "pop3") ? "pop" : "imapx";
      set_server (mail, od_account_get_incoming_host (account),
                  od_account_get_incoming_port (account), od_found_export_incoming_user (account),
                  g_str_equal (protocol, "pop3") ? "" : "PLAIN",
                  od_account_get_incoming_security (account));
      od_found_export_note_pins (self, od_account_get_incoming_host (account),
                                 od_account_get_incoming_port (account));
    }
  e_source_backend_set_backend_name (E_SOURCE_BACKEND (mail_account), backend);
  e_source_mail_account_set_identity_uid (mail_account, e_source_get_uid (identity));

  mail_identity = e_source_get_extension (identity, E_SOURCE_EXTENSION_MAIL_IDENTITY);
  e_source_mail_identity_set_address (mail_identity, address);
  e_source_mail_identity_set_name (mail_identity, od_account_get_display_name (account));
  e_source_mail_submission_set_transport_uid (
    e_source_get_extension (identity, E_SOURCE_EXTENSION_MAIL_SUBMISSION),
    e_source_get_uid (transport));

  e_source_backend_set_backend_name (
    E_SOURCE_BACKEND (e_source_get_extension (transport, E_SOURCE_EXTENSION_MAIL_TRANSPORT)),
    "smtp");
  set_server (transport, od_account_get_host (account), od_account_get_port (account),
              od_found_export_needs_login (self) ? od_account_get_username (account) : NULL,
              transport_method (self), od_account_get_security (account));
  od_found_export_note_pins (self, od_account_get_host (account), od_account_get_port (account));

  self->sources = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->sources, g_steal_pointer (&mail));
  g_ptr_array_add (self->sources, g_steal_pointer (&identity));
  g_ptr_array_add (self->sources, g_steal_pointer (&transport));

  /* The text: the three files the registry keeps, as it writes them. */
  for (guint i = 0; i < self->sources->len; i++)
    {
      ESource *source = self->sources->pdata[i];
      g_autofree char *data = e_source_to_string (source, NULL);

      g_string_append_printf (text, "%s# %s.source\n%s", i > 0 ? "\n" : "",
                              e_source_get_uid (source), data);
      if (text->str[text->len - 1] != '\n')
        g_string_append_c (text, '\n');
    }
  self->text = g_string_free (g_steal_pointer (&text), FALSE);

  self->native_id = g_strdup (e_source_get_uid (self->sources->pdata[0]));
  self->found_id = g_strdup_printf ("%s:%s", OD_ORIGIN_EVOLUTION, self->native_id);
  /* The transport's file, which the reader names as the account's (the outgoing server). */
  file = g_strconcat (e_source_get_uid (self->sources->pdata[2]), ".source", NULL);
  self->path = g_build_filename (context->config_home, "evolution", "sources", file, NULL);
  if (od_found_export_needs_login (self) || od_found_export_has_incoming (self))
    self->secret = OD_FOUND_EXPORT_SECRET_CLIENT;
  return TRUE;
}

/* ---- GNOME Online Accounts --------------------------------------------------------- */

static gboolean
plan_goa (OdFoundExport  *self,
          GError        **error)
{
  OdAccount *account = self->account;
  const char *mechanism = od_account_get_auth_mechanism (account);
  gboolean login = od_found_export_needs_login (self);
  gboolean auth_login = login && g_strcmp0 (mechanism, "LOGIN") == 0;
  g_autofree char *imap = NULL;
  g_autofree char *smtp = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  GVariantBuilder details;
  GVariantIter iter;
  const char *key, *value;

  if (!od_found_export_has_incoming (self)
      || !g_str_equal (od_account_get_incoming_protocol (account), "imap"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("GNOME Online Accounts keeps a mail account only with an IMAP "
                             "server for incoming mail, and this account has none: set up its "
                             "incoming server first, or choose another mail program."));
      return FALSE;
    }
  if (login && mechanism != NULL && mechanism[0] != '\0'
      && g_ascii_strcasecmp (mechanism, "PLAIN") != 0 && g_ascii_strcasecmp (mechanism, "LOGIN") != 0)
    od_found_export_add_note (self,
      /* Translators: %s is a login mechanism ("CRAM-MD5") */
      g_strdup_printf (_("GNOME Online Accounts signs in with PLAIN or LOGIN only, not with %s "
                         "as Outbox Doctor does: check the account after the export."),
                       mechanism));

  imap = od_found_goa_server_entry (od_account_get_incoming_host (account),
                                    od_account_get_incoming_port (account));
  smtp = od_found_goa_server_entry (od_account_get_host (account), od_account_get_port (account));

  /* What GOA's own IMAP and SMTP dialog passes to AddAccount. */
  g_variant_builder_init (&details, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&details, "{ss}", "Enabled", "true");
  g_variant_builder_add (&details, "{ss}", "EmailAddress", od_account_get_address (account));
  g_variant_builder_add (&details, "{ss}", "Name",
                         od_account_get_display_name (account) != NULL
                           ? od_account_get_display_name (account) : "");
  g_variant_builder_add (&details, "{ss}", "ImapHost", imap);
  g_variant_builder_add (&details, "{ss}", "ImapUserName", od_found_export_incoming_user (account));
  g_variant_builder_add (&details, "{ss}", "ImapUseSsl",
                         goa_bool (od_account_get_incoming_security (account) == OD_SECURITY_TLS));
  g_variant_builder_add (&details, "{ss}", "ImapUseTls",
                         goa_bool (od_account_get_incoming_security (account) == OD_SECURITY_STARTTLS));
  g_variant_builder_add (&details, "{ss}", "ImapAcceptSslErrors", "false");
  g_variant_builder_add (&details, "{ss}", "SmtpHost", smtp);
  g_variant_builder_add (&details, "{ss}", "SmtpUseAuth", goa_bool (login));
  if (login)
    {
      g_variant_builder_add (&details, "{ss}", "SmtpUserName", od_account_get_username (account));
      g_variant_builder_add (&details, "{ss}", "SmtpAuthLogin", goa_bool (auth_login));
      g_variant_builder_add (&details, "{ss}", "SmtpAuthPlain", goa_bool (!auth_login));
    }
  g_variant_builder_add (&details, "{ss}", "SmtpUseSsl",
                         goa_bool (od_account_get_security (account) == OD_SECURITY_TLS));
  g_variant_builder_add (&details, "{ss}", "SmtpUseTls",
                         goa_bool (od_account_get_security (account) == OD_SECURITY_STARTTLS));
  g_variant_builder_add (&details, "{ss}", "SmtpAcceptSslErrors", "false");
  self->goa_details = g_variant_ref_sink (g_variant_builder_end (&details));

  /* The text: the account's entry in GOA's accounts.conf, as the daemon writes it. */
  g_string_append_printf (text, "[Account …]\nProvider=imap_smtp\nIdentity=%s\n"
                          "PresentationIdentity=%s\n", od_account_get_address (account),
                          od_account_get_address (account));
  g_variant_iter_init (&iter, self->goa_details);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    g_string_append_printf (text, "%s=%s\n", key, value);
  self->text = g_string_free (g_steal_pointer (&text), FALSE);

  od_found_export_note_pins (self, od_account_get_host (account), od_account_get_port (account));
  od_found_export_note_pins (self, od_account_get_incoming_host (account),
                             od_account_get_incoming_port (account));
  self->secret = OD_FOUND_EXPORT_SECRET_CLIENT;
  return TRUE;
}

/**
 * od_found_export_plan_desktop:
 *
 * Plans an export to Evolution or GNOME Online Accounts: what will be created (the text
 * shows it as the client keeps it) and, for Evolution, the account's id there. Nothing is
 * asked of either service yet.
 */
gboolean
od_found_export_plan_desktop (OdFoundExport        *self,
                              const OdFoundContext *context,
                              GError              **error)
{
  self->home = g_strdup (context->home);
  self->config_home = g_strdup (context->config_home);
  if (is_evolution (self))
    return plan_evolution (self, context, error);
  return plan_goa (self, error);
}

/* ---- Reading back ------------------------------------------------------------------ */

static OdFoundContext
context_of (OdFoundExport *self,
            GCancellable  *cancellable)
{
  OdFoundContext context = { self->home, self->config_home, cancellable };

  return context;
}

/* Every account the client's reader finds. */
static GPtrArray *
read_client (OdFoundExport  *self,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  OdFoundContext context = context_of (self, cancellable);
  gboolean read = is_evolution (self) ? od_found_read_evolution (&context, found, error)
                                      : od_found_read_goa (&context, found, error);

  return read ? g_steal_pointer (&found) : NULL;
}

/**
 * od_found_export_check_desktop:
 *
 * Refuses an export when the client already has an account for the same address (it would
 * be a second one beside it), and when the client's service does not answer.
 */
gboolean
od_found_export_check_desktop (OdFoundExport  *self,
                               GError        **error)
{
  g_autoptr(GPtrArray) found = read_client (self, NULL, error);

  return found != NULL && od_found_export_refuse_same_address (self, found, error);
}

/* The password the client keeps for @found's server (@incoming: the incoming one), as it
 * looks it up: Evolution's item under the transport's or the mail account's uid (directly,
 * since the reader marks the incoming item only with an outgoing login), GOA's credentials.
 * %NULL with @error when the lookup failed, without when there is none. */
static char *
lookup_kept (OdFoundExport   *self,
             OdFoundAccount  *found,
             gboolean         incoming,
             GCancellable    *cancellable,
             GError         **error)
{
  if (is_evolution (self))
    {
      ESource *source = self->sources->pdata[incoming ? 0 : 2];

      return od_found_evolution_lookup_password_sync (e_source_get_uid (source), cancellable,
                                                      error);
    }
  return od_found_account_lookup_password_sync (found, incoming, cancellable, error);
}

/* NULL when the client keeps @password, else the difference ("password"); FALSE with @error
 * when the keyring could not be asked. */
static gboolean
check_kept (OdFoundExport   *self,
            OdFoundAccount  *found,
            gboolean         incoming,
            const char      *password,
            const char     **difference,
            GCancellable    *cancellable,
            GError         **error)
{
  g_autoptr(GError) lookup_error = NULL;
  char *kept = lookup_kept (self, found, incoming, cancellable, &lookup_error);

  if (kept == NULL && lookup_error != NULL
      && !g_error_matches (lookup_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&lookup_error));
      return FALSE;
    }
  if (kept == NULL || !g_str_equal (kept, password))
    *difference = "password";
  od_found_password_free (kept);
  return TRUE;
}

/* The account as the client's reader finds it, the same as meant, its passwords where the
 * client looks: waits for the service to settle, at most OD_FOUND_BUS_TIMEOUT_MS. On
 * failure @difference says what differs (NULL: the error is the keyring's or the service's). */
static gboolean
verify (OdFoundExport  *self,
        const char     *password,
        const char     *incoming_password,
        const char    **difference,
        GCancellable   *cancellable,
        GError        **error)
{
  gint64 deadline = g_get_monotonic_time () + OD_FOUND_BUS_TIMEOUT_MS * 1000;

  for (;;)
    {
      g_autoptr(GPtrArray) found = read_client (self, cancellable, error);
      OdFoundAccount *mine = NULL;

      *difference = NULL;
      if (found == NULL)
        return FALSE;
      for (guint i = 0; i < found->len && mine == NULL; i++)
        if (g_str_equal (od_found_account_get_id (found->pdata[i]), self->found_id))
          mine = found->pdata[i];
      *difference = mine == NULL ? "account" : od_found_export_compare (self, mine);
      if (*difference == NULL && od_found_export_needs_login (self)
          && !check_kept (self, mine, FALSE, password, difference, cancellable, error))
        return FALSE;
      if (*difference == NULL && od_found_export_has_incoming (self)
          && !check_kept (self, mine, TRUE, incoming_password, difference, cancellable, error))
        return FALSE;
      if (*difference == NULL)
        return TRUE;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      g_usleep (POLL_INTERVAL_MS * 1000);
    }
}

/* The error of an export that did not verify, saying whether what was made is gone. */
static void
set_not_kept_error (OdFoundExport  *self,
                    const char     *difference,
                    gboolean        removed,
                    GError        **error)
{
  const char *client = od_found_origin_get_name (self->origin);

  if (removed)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 /* Translators: the first %s is a mail program, the second a setting ("port") */
                 _("%s did not keep the account as it was given (%s differs), so it was "
                   "removed again."), client, difference);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 /* Translators: the first %s is a mail program, the second a setting
                  * ("port"), the third the account's id there */
                 _("%s did not keep the account as it was given (%s differs), and it could "
                   "not be removed again: remove %s there by hand."),
                 client, difference, self->found_id);
}

/* ---- Creating ---------------------------------------------------------------------- */

static void
forget_passwords (OdFoundExport *self)
{
  for (guint i = 0; i < self->sources->len; i++)
    e_source_delete_password_sync (self->sources->pdata[i], NULL, NULL);
}

/* Removes what the registry has of the three sources, children first (removing the mail
 * account may take them with it). Returns whether none is left. */
static gboolean
remove_sources (ESourceRegistry *registry,
                OdFoundExport   *self)
{
  gboolean all = TRUE;

  for (guint i = self->sources->len; i > 0; i--)
    {
      g_autoptr(ESource) source =
        e_source_registry_ref_source (registry, e_source_get_uid (self->sources->pdata[i - 1]));
      g_autoptr(GError) error = NULL;

      if (source != NULL && !e_source_remove_sync (source, NULL, &error))
        {
          g_debug ("Could not remove Evolution's source %s again: %s",
                   e_source_get_uid (source), error->message);
          all = FALSE;
        }
    }
  return all;
}

static gboolean
create_evolution (OdFoundExport  *self,
                  const char     *password,
                  const char     *incoming_password,
                  GCancellable   *cancellable,
                  GError        **error)
{
  g_autoptr(ESourceRegistry) registry = od_found_evolution_registry_new (cancellable, error);
  g_autoptr(GList) list = NULL;
  ESource *mail = self->sources->pdata[0];
  ESource *transport = self->sources->pdata[2];
  const char *difference = NULL;
  GError *local = NULL;

  if (registry == NULL)
    return FALSE;
  /* The passwords first, so that a running Evolution never sees the account without them. */
  if ((od_found_export_needs_login (self)
       && !e_source_store_password_sync (transport, password, TRUE, cancellable, error))
      || (od_found_export_has_incoming (self)
          && !e_source_store_password_sync (mail, incoming_password, TRUE, cancellable, error)))
    {
      forget_passwords (self);
      return FALSE;
    }

  for (guint i = self->sources->len; i > 0; i--)
    list = g_list_prepend (list, self->sources->pdata[i - 1]);
  /* A failed or cancelled call may have created some of them all the same. */
  if (!e_source_registry_create_sources_sync (registry, list, cancellable, error))
    {
      remove_sources (registry, self);
      forget_passwords (self);
      return FALSE;
    }
  if (!verify (self, password, incoming_password, &difference, cancellable, &local))
    {
      gboolean removed = remove_sources (registry, self);

      forget_passwords (self);
      if (difference != NULL && local == NULL)
        set_not_kept_error (self, difference, removed, error);
      else
        g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

/* Removes the account at @path through its own proxy: the client's cache does not know it
 * yet (its signals go to a main context nobody runs meanwhile). Returns whether it is gone. */
static gboolean
remove_goa_account (const char *path)
{
  g_autoptr(GoaAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = goa_account_proxy_new_for_bus_sync (G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_NONE,
                                                OD_FOUND_GOA_BUS_NAME, path, NULL, &error);
  if (account == NULL || !goa_account_call_remove_sync (account, NULL, &error))
    {
      g_debug ("Could not remove the GNOME Online Accounts account %s again: %s", path,
               error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_goa_account (OdFoundExport  *self,
                 GoaClient      *client,
                 const char     *password,
                 const char     *incoming_password,
                 GCancellable   *cancellable,
                 GError        **error)
{
  const char *address = od_account_get_address (self->account);
  const char *difference = NULL;
  g_autofree char *path = NULL;
  GVariantBuilder credentials;
  GError *local = NULL;

  g_variant_builder_init (&credentials, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&credentials, "{sv}", "imap-password",
                         g_variant_new_string (incoming_password));
  if (od_found_export_needs_login (self))
    g_variant_builder_add (&credentials, "{sv}", "smtp-password", g_variant_new_string (password));

  /* Not cancellable: a call cut short might leave an account nobody knows the path of. */
  if (!goa_manager_call_add_account_sync (goa_client_get_manager (client), "imap_smtp", address,
                                          address, g_variant_builder_end (&credentials),
                                          self->goa_details, &path, NULL, error))
    {
      if (error != NULL && *error != NULL)
        g_dbus_error_strip_remote_error (*error);
      return FALSE;
    }

  g_free (self->native_id);
  self->native_id = g_path_get_basename (path);
  g_free (self->found_id);
  self->found_id = g_strdup_printf ("%s:%s", OD_ORIGIN_GOA, self->native_id);
  g_free (self->path);
  self->path = g_strdup (path);

  if (!verify (self, password, incoming_password, &difference, cancellable, &local))
    {
      gboolean removed = remove_goa_account (path);

      if (difference != NULL && local == NULL)
        set_not_kept_error (self, difference, removed, error);
      else
        g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

static gboolean
create_goa (OdFoundExport  *self,
            const char     *password,
            const char     *incoming_password,
            GCancellable   *cancellable,
            GError        **error)
{
  g_autoptr(GMainContext) main_context = g_main_context_new ();
  GoaClient *client;
  gboolean done = FALSE;

  /* GoaClient's signals go to a context of our own (see od_found_read_goa()). */
  g_main_context_push_thread_default (main_context);
  client = od_found_goa_client_new (cancellable, error);
  if (client != NULL)
    {
      done = add_goa_account (self, client, password, incoming_password, cancellable, error);
      g_object_unref (client);
    }
  g_main_context_pop_thread_default (main_context);
  return done;
}

/**
 * od_found_export_create:
 * @self: an export to Evolution or GNOME Online Accounts
 * @password: (nullable): the outgoing server's password (%NULL when it needs no login)
 * @incoming_password: (nullable): the incoming server's (%NULL: the outgoing one's, as
 *   Outbox Doctor does when it has no item of its own for it)
 *
 * Creates the account in the client, with the passwords where the client keeps them, and
 * reads it back through the client's reader. Blocks: for a worker thread or a command-line
 * tool. Refused as od_found_export_check_target() refuses.
 *
 * Returns: %TRUE when the client has the account as meant; otherwise %FALSE, and nothing
 *   of it is left in the client
 */
gboolean
od_found_export_create (OdFoundExport  *self,
                        const char     *password,
                        const char     *incoming_password,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (od_found_export_is_desktop (self->origin), FALSE);
  g_return_val_if_fail (password != NULL || !od_found_export_needs_login (self), FALSE);

  if (incoming_password == NULL)
    incoming_password = password;
  if (od_found_export_has_incoming (self) && incoming_password == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The incoming server needs a password, and none was given."));
      return FALSE;
    }
  if (!od_found_export_check_desktop (self, error))
    return FALSE;
  if (is_evolution (self))
    return create_evolution (self, password, incoming_password, cancellable, error);
  return create_goa (self, password, incoming_password, cancellable, error);
}

/**
 * od_found_export_is_desktop:
 *
 * Returns: whether @origin keeps its accounts behind a service (Evolution, GNOME Online
 *   Accounts): an export there is created with od_found_export_create(), not written
 */
gboolean
od_found_export_is_desktop (const char *origin)
{
  return g_strcmp0 (origin, OD_ORIGIN_EVOLUTION) == 0 || g_strcmp0 (origin, OD_ORIGIN_GOA) == 0;
}
