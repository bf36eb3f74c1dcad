/* od-found-bus.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-found"

#include "config.h"

#include <glib/gi18n.h>

#include "od-found-bus.h"

/* The client libraries of GNOME Online Accounts and Evolution's registry wait for their
 * service with D-Bus's own time-outs (25 s), and the registry's first call takes no
 * cancellable at all. So the readers first ask the bus to start the service (activation, as
 * the libraries would) and the service to answer a Ping, each within
 * OD_FOUND_BUS_TIMEOUT_MS: a session without the service gives a clear error at once, a
 * service that hangs one within a few seconds. */

static void
set_bus_error (GError     **error,
               GError      *local,
               const char  *display_name)
{
  g_dbus_error_strip_remote_error (local);

  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, local);
      return;
    }
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                 /* Translators: %s is a service, e.g. "GNOME Online Accounts"; %u seconds */
                 ngettext ("%s did not answer within %u second",
                           "%s did not answer within %u seconds",
                           OD_FOUND_BUS_TIMEOUT_MS / 1000),
                 display_name, OD_FOUND_BUS_TIMEOUT_MS / 1000);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 /* Translators: the first %s is a service, e.g. "GNOME Online Accounts";
                  * the second the system's own words */
                 _("%s is not running in this session and could not be started: %s"),
                 display_name, local->message);
  g_error_free (local);
}

/**
 * od_found_bus_ensure_service:
 * @name: the well-known D-Bus name of the service
 * @display_name: the service's name for the person, translated
 *
 * Makes sure @name runs on the session bus and answers, within OD_FOUND_BUS_TIMEOUT_MS
 * for each of the two calls. Errors are G_IO_ERROR_NOT_FOUND (no session bus, or the
 * service is neither running nor can be started), G_IO_ERROR_TIMED_OUT or
 * G_IO_ERROR_CANCELLED, in words for the person.
 */
gboolean
od_found_bus_ensure_service (const char    *name,
                             const char    *display_name,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  GError *local = NULL;
  gboolean owned = FALSE;

  g_return_val_if_fail (name != NULL && display_name != NULL, FALSE);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, cancellable, &local);
  if (bus == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   /* Translators: the first %s is a service, e.g. "GNOME Online Accounts";
                    * the second the system's own words */
                   _("%s could not be asked, because there is no desktop session bus: %s"),
                   display_name, local->message);
      g_error_free (local);
      return FALSE;
    }

  /* dbus-daemon answers StartServiceByName with ServiceUnknown for a name that has no
   * .service file even while someone owns it, so a running service is asked first. */
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, OD_FOUND_BUS_TIMEOUT_MS,
                                       cancellable, &local);
  if (reply == NULL)
    {
      set_bus_error (error, local, display_name);
      return FALSE;
    }
  g_variant_get (reply, "(b)", &owned);
  g_clear_pointer (&reply, g_variant_unref);

  if (!owned)
    {
      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "StartServiceByName",
                                           g_variant_new ("(su)", name, 0),
                                           G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE,
                                           OD_FOUND_BUS_TIMEOUT_MS, cancellable, &local);
      if (reply == NULL)
        {
          set_bus_error (error, local, display_name);
          return FALSE;
        }
      g_clear_pointer (&reply, g_variant_unref);
    }

  reply = g_dbus_connection_call_sync (bus, name, "/", "org.freedesktop.DBus.Peer", "Ping",
                                       NULL, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                       OD_FOUND_BUS_TIMEOUT_MS, cancellable, &local);
  if (reply == NULL)
    {
      set_bus_error (error, local, display_name);
      return FALSE;
    }

  return TRUE;
}
