/* od-found-fix-evolution.c
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
#include "od-found-fix-evolution.h"
#include "od-text.h"

/* Evolution's fixer (evolution-data-server 3.46): the change goes through the source
 * registry, never into the file behind its back. The account's transport (the identity's
 * [Mail Submission] TransportUid, as the reader takes it) gets the fix in its
 * [Authentication] Host, Port, User and [Security] Method, and e_source_write() hands the
 * whole source to the registry, which keeps the file and tells a running Evolution. Refused:
 * an account EDS made for GNOME Online Accounts (GOA's settings: fix goa:ID), a transport
 * the registry keeps read-only, a uid that is gone.
 *
 * The registry answers the write before it saves the file (an idle callback after the
 * reply), and its answer does not tell whether the file could be saved at all (EDS's own
 * comment in server_side_source_write_cb). So the fixer waits, at most
 * OD_FOUND_BUS_TIMEOUT_MS, until the registry's copy of the source (its Data property,
 * what a new ESourceRegistry reads) and the file on disk both hold the new values; a caller
 * that reads the account again right after the fix then gets them. */

/* How often the registry and the file are looked at while waiting. */
#define POLL_INTERVAL_MS 50

/* The transport's settings the fix is about: [Authentication] Host, Port, User and
 * [Security] Method (NULL: the source has no [Security], and the fix does not add one). */
typedef struct
{
  char    *host;
  guint16  port;
  char    *user;
  char    *method;
} Settings;

static void
settings_clear (Settings *settings)
{
  g_clear_pointer (&settings->host, g_free);
  g_clear_pointer (&settings->user, g_free);
  g_clear_pointer (&settings->method, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Settings, settings_clear)

/* The account as the person knows it: its address, else its id. */
static const char *
account_name (OdFoundAccount *found)
{
  const char *address = od_account_get_address (od_found_account_get_account (found));

  return address != NULL && address[0] != '\0' ? address : od_found_account_get_id (found);
}

static gboolean
check_fix (const OdFoundFix  *fix,
           GError           **error)
{
  if (fix->host != NULL &&
      (fix->host[0] == '\0' || strlen (fix->host) > 253 ||
       !od_text_is_clean (fix->host, -1, OD_TEXT_SINGLE_LINE) || strpbrk (fix->host, " \t") != NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The server name is not valid: it must be one word without "
                             "control characters."));
      return FALSE;
    }
  if (fix->username != NULL && !od_text_is_clean (fix->username, -1, OD_TEXT_SINGLE_LINE))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The user name is not valid: it must be one line without control "
                             "characters."));
      return FALSE;
    }
  return TRUE;
}

/* The refusal for an account EDS made for GNOME Online Accounts: its settings are GOA's, and
 * EDS would put GOA's back. */
static void
set_goa_error (GError         **error,
               OdFoundAccount  *found,
               const char      *goa_id)
{
  g_autofree char *id = od_text_sanitize (goa_id, -1, OD_TEXT_SINGLE_LINE);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               /* Translators: the first %s is an account ("alice@example.org"), the second
                * an account id of GNOME Online Accounts ("account_1764000000_0") */
               _("Evolution takes the settings of %s from GNOME Online Accounts: change them "
                 "there (the account goa:%s)."),
               account_name (found), id);
}

/* The transport of @found's mail account, writable and not GOA's, or NULL with @error. */
static ESource *
ref_transport (ESourceRegistry  *registry,
               OdFoundAccount   *found,
               GError          **error)
{
  g_autoptr(ESource) account = NULL;
  g_autoptr(ESource) identity = NULL;
  g_autoptr(ESource) transport = NULL;
  g_autofree char *goa_id = NULL;

  account = e_source_registry_ref_source (registry, od_found_account_get_native_id (found));
  if (account == NULL || !e_source_has_extension (account, E_SOURCE_EXTENSION_MAIL_ACCOUNT))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   /* Translators: %s is an account, "alice@example.org" */
                   _("Evolution has no account %s any more."), account_name (found));
      return NULL;
    }
  goa_id = od_found_evolution_dup_goa_account_id (registry, account);
  if (goa_id != NULL)
    {
      set_goa_error (error, found, goa_id);
      return NULL;
    }
  if (!od_found_evolution_ref_identity_and_transport (registry, account, &identity, &transport))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   /* Translators: %s is an account, "alice@example.org" */
                   _("Evolution’s account %s has no SMTP server any more."), account_name (found));
      return NULL;
    }
  goa_id = od_found_evolution_dup_goa_account_id (registry, transport);
  if (goa_id != NULL)
    {
      set_goa_error (error, found, goa_id);
      return NULL;
    }
  if (!e_source_get_writable (transport))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   /* Translators: %s is an account, "alice@example.org" */
                   _("Evolution’s registry keeps the sending server of %s read-only: it cannot "
                     "be changed."),
                   account_name (found));
      return NULL;
    }
  return g_steal_pointer (&transport);
}

static void
settings_from_source (Settings *settings,
                      ESource  *transport)
{
  ESourceAuthentication *auth = e_source_get_extension (transport,
                                                        E_SOURCE_EXTENSION_AUTHENTICATION);

  settings->host = e_source_authentication_dup_host (auth);
  settings->port = e_source_authentication_get_port (auth);
  settings->user = e_source_authentication_dup_user (auth);
  if (e_source_has_extension (transport, E_SOURCE_EXTENSION_SECURITY))
    settings->method = e_source_security_dup_method (
      e_source_get_extension (transport, E_SOURCE_EXTENSION_SECURITY));
}

/* Makes @fix in the registry's @transport object (not written yet). */
static void
apply_fix (ESource          *transport,
           const OdFoundFix *fix)
{
  ESourceAuthentication *auth = e_source_get_extension (transport,
                                                        E_SOURCE_EXTENSION_AUTHENTICATION);
  g_auto(Settings) old = { NULL };
  guint16 port;

  settings_from_source (&old, transport);
  port = old.port;
  /* Port 0 is Camel's default for the method (465 with SSL on the alternate port, else 25):
   * a fix of the encryption alone keeps the server's port by writing it out. */
  if (fix->port != 0)
    port = fix->port;
  else if (port == 0 && fix->set_security)
    port = g_strcmp0 (old.method, "ssl-on-alternate-port") == 0 ? 465 : 25;

  if (fix->host != NULL)
    e_source_authentication_set_host (auth, fix->host);
  e_source_authentication_set_port (auth, port);
  if (fix->username != NULL)
    e_source_authentication_set_user (auth, fix->username);
  if (fix->set_security)
    e_source_security_set_method (e_source_get_extension (transport, E_SOURCE_EXTENSION_SECURITY),
                                  od_found_evolution_security_method (fix->security));
}

static void
write_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
forward_cancel_cb (GCancellable *outer,
                   gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/* e_source_write_sync() as a bounded call: e_source_write() runs it in a thread with our own
 * cancellable, cancelled after OD_FOUND_BUS_TIMEOUT_MS (the registry's D-Bus proxy would wait
 * 25 s) or when @outer is. */
static gboolean
write_bounded (ESource       *transport,
               GMainContext  *main_context,
               GCancellable  *outer,
               GError       **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) timeout = g_timeout_source_new (OD_FOUND_BUS_TIMEOUT_MS);
  g_autoptr(GAsyncResult) result = NULL;
  GError *local = NULL;
  gulong handler = 0;

  g_source_set_callback (timeout, timeout_cb, cancellable, NULL);
  g_source_attach (timeout, main_context);
  if (outer != NULL)
    handler = g_cancellable_connect (outer, G_CALLBACK (forward_cancel_cb), cancellable, NULL);

  e_source_write (transport, cancellable, write_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (main_context, TRUE);

  g_source_destroy (timeout);
  g_cancellable_disconnect (outer, handler);
  if (e_source_write_finish (transport, result, &local))
    return TRUE;

  if (outer != NULL && g_cancellable_is_cancelled (outer))
    {
      g_clear_error (&local);
      g_cancellable_set_error_if_cancelled (outer, error);
      return FALSE;
    }
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                 /* Translators: %u is a number of seconds */
                 ngettext ("Evolution’s registry did not take the change within %u second; it "
                           "may still make it: check the account in Evolution.",
                           "Evolution’s registry did not take the change within %u seconds; it "
                           "may still make it: check the account in Evolution.",
                           OD_FOUND_BUS_TIMEOUT_MS / 1000),
                 OD_FOUND_BUS_TIMEOUT_MS / 1000);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 /* Translators: %s is the system's own words */
                 _("Evolution’s registry did not take the change: %s"), local->message);
  g_clear_error (&local);
  return FALSE;
}

/* Whether a source's key file text holds @wanted. */
static gboolean
key_file_has (const char     *data,
              gsize           length,
              const Settings *wanted)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  g_autofree char *method = NULL;
  guint64 port;

  if (!g_key_file_load_from_data (key_file, data, length, G_KEY_FILE_NONE, NULL))
    return FALSE;
  host = g_key_file_get_string (key_file, "Authentication", "Host", NULL);
  user = g_key_file_get_string (key_file, "Authentication", "User", NULL);
  port = g_key_file_get_uint64 (key_file, "Authentication", "Port", NULL);
  if (wanted->method != NULL)
    method = g_key_file_get_string (key_file, "Security", "Method", NULL);

  /* EDS strips its strings and keeps an empty one as none. */
  return g_strcmp0 (host != NULL ? host : "", wanted->host != NULL ? wanted->host : "") == 0 &&
         g_strcmp0 (user != NULL ? user : "", wanted->user != NULL ? wanted->user : "") == 0 &&
         port == wanted->port && g_strcmp0 (method, wanted->method) == 0;
}

/* The registry's copy of @transport as a new ESourceRegistry would get it: the Data
 * property of its object. */
static gboolean
registry_has (GDBusConnection *bus,
              const char      *object_path,
              const Settings  *wanted,
              GCancellable    *cancellable)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;

  reply = g_dbus_connection_call_sync (bus, OD_FOUND_EVOLUTION_BUS_NAME, object_path,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)",
                                                      "org.gnome.evolution.dataserver.Source",
                                                      "Data"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                       OD_FOUND_BUS_TIMEOUT_MS, cancellable, NULL);
  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "(v)", &value);
  return g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
         key_file_has (g_variant_get_string (value, NULL), -1, wanted);
}

static gboolean
file_has (const char     *path,
          const Settings *wanted)
{
  g_autofree char *contents = NULL;
  gsize length;

  return od_found_read_file (path, &contents, &length, NULL) &&
         key_file_has (contents, length, wanted);
}

/* Waits until the registry shows @wanted for @transport and @path (when not NULL) holds it,
 * at most OD_FOUND_BUS_TIMEOUT_MS. */
static gboolean
wait_until_settled (ESource         *transport,
                    const Settings  *wanted,
                    const char      *path,
                    GCancellable    *cancellable,
                    GError         **error)
{
  g_autoptr(GDBusObject) object = e_source_ref_dbus_object (transport);
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + OD_FOUND_BUS_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  GDBusConnection *bus;
  guint polls = 0;
  gboolean in_registry = FALSE;
  gboolean in_file = path == NULL;

  g_assert (G_IS_DBUS_OBJECT_PROXY (object));
  bus = g_dbus_object_proxy_get_connection (G_DBUS_OBJECT_PROXY (object));
  for (;;)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      in_registry = in_registry ||
                    registry_has (bus, g_dbus_object_get_object_path (object), wanted, cancellable);
      in_file = in_file || file_has (path, wanted);
      polls++;
      if ((in_registry && in_file) || g_get_monotonic_time () >= deadline)
        break;
      g_usleep (POLL_INTERVAL_MS * G_TIME_SPAN_MILLISECOND);
    }

  g_debug ("Evolution's transport %s: registry %s, file %s, after %u looks, %" G_GINT64_FORMAT
           " ms", e_source_get_uid (transport), in_registry ? "updated" : "not updated",
           path == NULL ? "not looked at" : in_file ? "updated" : "not updated", polls,
           (g_get_monotonic_time () - start) / G_TIME_SPAN_MILLISECOND);
  if (!in_registry)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                 /* Translators: %u is a number of seconds */
                 ngettext ("Evolution’s registry took the change but did not show it within %u "
                           "second: check the account in Evolution.",
                           "Evolution’s registry took the change but did not show it within %u "
                           "seconds: check the account in Evolution.",
                           OD_FOUND_BUS_TIMEOUT_MS / 1000),
                 OD_FOUND_BUS_TIMEOUT_MS / 1000);
  else if (!in_file)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 /* Translators: %s is a file, %u a number of seconds */
                 ngettext ("Evolution’s registry took the change but did not save it to %s "
                           "within %u second: check the account in Evolution.",
                           "Evolution’s registry took the change but did not save it to %s "
                           "within %u seconds: check the account in Evolution.",
                           OD_FOUND_BUS_TIMEOUT_MS / 1000),
                 path, OD_FOUND_BUS_TIMEOUT_MS / 1000);
  return in_registry && in_file;
}

static gboolean
fix_in_registry (const OdFoundContext  *context,
                 GMainContext          *main_context,
                 OdFoundAccount        *found,
                 const OdFoundFix      *fix,
                 GError               **error)
{
  g_autoptr(ESourceRegistry) registry = NULL;
  g_autoptr(ESource) transport = NULL;
  g_auto(Settings) wanted = { NULL };
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  registry = od_found_evolution_registry_new (context->cancellable, error);
  if (registry == NULL)
    return FALSE;
  transport = ref_transport (registry, found, error);
  if (transport == NULL)
    return FALSE;

  /* The file the registry keeps the transport in, as the reader names it; looked at only
   * when it is there (a registry with another configuration folder keeps its own). */
  file = g_strconcat (e_source_get_uid (transport), ".source", NULL);
  path = g_build_filename (context->config_home != NULL ? context->config_home
                                                        : g_get_user_config_dir (),
                           "evolution", "sources", file, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_clear_pointer (&path, g_free);

  apply_fix (transport, fix);
  settings_from_source (&wanted, transport);
  if (!write_bounded (transport, main_context, context->cancellable, error))
    return FALSE;
  return wait_until_settled (transport, &wanted, path, context->cancellable, error);
}

/**
 * od_found_fix_evolution:
 *
 * The #OdFoundFixer for Evolution: changes the transport of the mail account
 * "evolution:UID" through evolution-data-server's registry (e_source_write_sync()), which
 * writes the file and tells a running Evolution, and returns once the registry and the file
 * show the change. A port of 0 in the transport with a fix of the encryption alone becomes
 * the port it stood for. No backup: the registry owns the file, and a copy beside it would
 * be read as a source. Errors: G_IO_ERROR_NOT_SUPPORTED for an account of GNOME Online
 * Accounts, G_IO_ERROR_PERMISSION_DENIED for a read-only source, G_IO_ERROR_NOT_FOUND when
 * the account or its SMTP server is gone, G_IO_ERROR_INVALID_ARGUMENT for a host or user
 * name with control characters, the registry's (od_found_read_evolution()) and
 * G_IO_ERROR_TIMED_OUT.
 */
gboolean
od_found_fix_evolution (const OdFoundContext  *context,
                        OdFoundAccount        *found,
                        const OdFoundFix      *fix,
                        char                 **backup,
                        GError               **error)
{
  g_autoptr(GMainContext) main_context = NULL;
  gboolean done;

  g_return_val_if_fail (context != NULL, FALSE);
  g_return_val_if_fail (OD_IS_FOUND_ACCOUNT (found), FALSE);
  g_return_val_if_fail (g_strcmp0 (od_found_account_get_origin (found), OD_ORIGIN_EVOLUTION) == 0,
                        FALSE);
  g_return_val_if_fail (fix != NULL, FALSE);

  if (backup != NULL)
    *backup = NULL;
  if (!check_fix (fix, error))
    return FALSE;

  /* The registry's and its sources' signals, and the write's answer, come to a context of
   * our own, not to the caller's main loop. */
  main_context = g_main_context_new ();
  g_main_context_push_thread_default (main_context);
  done = fix_in_registry (context, main_context, found, fix, error);
  g_main_context_pop_thread_default (main_context);

  return done;
}
