/* od-route.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-route"

#include "config.h"

#include <string.h>

#include "od-route.h"

/* Whether this computer can send anything towards an address, asked of the kernel rather
 * than of GNetworkMonitor: connect() on a UDP socket sends no packet, it only looks the
 * route up, and fails at once with ENETUNREACH (or EHOSTUNREACH) when there is none. A
 * VPN with split routes, a container or a network that NetworkManager calls "limited" all
 * have routes the monitor does not count; a computer without any network has none.
 *
 * The resolver's addresses come from resolv.conf, as glibc reads them. A resolver on this
 * computer (a caching stub such as systemd-resolved or dnsmasq on 127.0.0.53) is always
 * reachable: when it says a name does not exist, that is an answer; when it gives nothing,
 * what counts is whether this computer has a route to the internet at all. */

#define RESOLV_CONF "/etc/resolv.conf"
#define MAX_NAMESERVERS 3    /* glibc's MAXNS: later lines are ignored */

/* Two addresses of the documentation ranges (RFC 5737, RFC 3849) that no network uses:
 * without a default route there is no route to them. No packet is ever sent to them. */
#define INTERNET_PROBE_V4 "198.51.100.1"
#define INTERNET_PROBE_V6 "2001:db8:ffff::1"

static char *resolv_conf_for_testing;

/**
 * od_route_to_address:
 *
 * Returns: whether this computer has a route to @address; nothing is sent
 */
OdRoute
od_route_to_address (GInetAddress *address)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) target = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (G_IS_INET_ADDRESS (address), OD_ROUTE_UNKNOWN);

  if (g_inet_address_get_is_loopback (address))
    return OD_ROUTE_PRESENT;

  socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, &error);
  /* No socket of that family at all (IPv6 turned off in the kernel): no way there. */
  if (socket == NULL)
    return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED) ? OD_ROUTE_NONE
                                                                          : OD_ROUTE_UNKNOWN;

  /* Any port: a datagram socket's connect() only chooses the route and the source. */
  target = g_inet_socket_address_new (address, 9);
  if (g_socket_connect (socket, target, NULL, &error))
    return OD_ROUTE_PRESENT;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    return OD_ROUTE_NONE;

  g_debug ("Cannot tell whether there is a route: %s", error->message);
  return OD_ROUTE_UNKNOWN;
}

/**
 * od_route_to_addresses:
 * @addresses: (element-type GInetAddress): addresses of one host
 *
 * Returns: %OD_ROUTE_PRESENT if there is a route to any of @addresses, %OD_ROUTE_NONE if
 *   there is none to any of them, %OD_ROUTE_UNKNOWN otherwise
 */
OdRoute
od_route_to_addresses (GList *addresses)
{
  OdRoute route = OD_ROUTE_UNKNOWN;

  for (GList *l = addresses; l != NULL; l = l->next)
    {
      OdRoute this = od_route_to_address (l->data);

      if (this == OD_ROUTE_PRESENT)
        return OD_ROUTE_PRESENT;
      if (this == OD_ROUTE_NONE && (route == OD_ROUTE_NONE || l == addresses))
        route = OD_ROUTE_NONE;
      else
        route = OD_ROUTE_UNKNOWN;
    }

  return route;
}

/**
 * od_route_to_internet:
 *
 * Returns: whether this computer has a route beyond its own networks (a default route, or
 *   one as wide), in either address family
 */
OdRoute
od_route_to_internet (void)
{
  const char *probes[] = { INTERNET_PROBE_V4, INTERNET_PROBE_V6 };
  OdRoute route = OD_ROUTE_NONE;

  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (probes[i]);
      OdRoute this = od_route_to_address (address);

      if (this == OD_ROUTE_PRESENT)
        return OD_ROUTE_PRESENT;
      if (this == OD_ROUTE_UNKNOWN)
        route = OD_ROUTE_UNKNOWN;
    }

  return route;
}

/**
 * od_route_get_nameservers:
 *
 * The name servers resolv.conf names, as glibc reads them: "nameserver ADDRESS" lines, the
 * first three. None (or no file) means glibc's default, a server on this computer.
 *
 * Returns: (transfer full) (element-type GInetAddress): the name servers' addresses
 */
GList *
od_route_get_nameservers (void)
{
  const char *path = resolv_conf_for_testing ? resolv_conf_for_testing : RESOLV_CONF;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GList *servers = NULL;
  guint n = 0;

  if (g_file_get_contents (path, &contents, NULL, NULL))
    lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines != NULL && lines[i] != NULL && n < MAX_NAMESERVERS; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      g_autofree char *value = NULL;
      GInetAddress *address;
      guint w = 1;

      if (g_strcmp0 (words[0], "nameserver") != 0)
        continue;
      while (words[w] != NULL && words[w][0] == '\0')
        w++;
      if (words[w] == NULL)
        continue;

      /* A link-local server may carry its interface: fe80::1%eth0. */
      value = g_strndup (words[w], strcspn (words[w], "%"));
      address = g_inet_address_new_from_string (value);
      if (address == NULL)
        continue;

      servers = g_list_append (servers, address);
      n++;
    }

  if (servers == NULL)
    servers = g_list_append (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));

  return servers;
}

/**
 * od_route_to_resolver:
 * @name_not_found: whether the lookup that failed was answered "no such name"
 *
 * Whether the system's name servers could have been asked: the evidence behind a failed
 * name lookup. "No such name" from a name server on this computer is taken as its answer;
 * one that gave nothing counts as reachable only if this computer reaches the internet.
 *
 * Returns: %OD_ROUTE_PRESENT if any name server is reachable, %OD_ROUTE_NONE if none is
 */
OdRoute
od_route_to_resolver (gboolean name_not_found)
{
  GList *servers = od_route_get_nameservers ();
  gboolean local = FALSE;
  OdRoute route = OD_ROUTE_NONE;

  for (GList *l = servers; l != NULL; l = l->next)
    {
      OdRoute this;

      if (g_inet_address_get_is_loopback (l->data))
        {
          local = TRUE;
          continue;
        }

      this = od_route_to_address (l->data);
      if (this == OD_ROUTE_PRESENT)
        {
          route = OD_ROUTE_PRESENT;
          break;
        }
      if (this == OD_ROUTE_UNKNOWN)
        route = OD_ROUTE_UNKNOWN;
    }
  g_list_free_full (servers, g_object_unref);

  if (route != OD_ROUTE_PRESENT && local)
    route = name_not_found ? OD_ROUTE_PRESENT : od_route_to_internet ();

  return route;
}

/**
 * od_route_set_resolv_conf_for_testing:
 * @path: (nullable): a resolv.conf to read instead of the system's
 */
void
od_route_set_resolv_conf_for_testing (const char *path)
{
  g_free (resolv_conf_for_testing);
  resolv_conf_for_testing = g_strdup (path);
}
