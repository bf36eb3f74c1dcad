/* od-e2e-netmon.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-e2e-netmon"

#include "config.h"

#include <stdlib.h>

#include <gio/gio.h>

/* od-e2e-netmon: prints what GNetworkMonitor says here, as
 *
 *   network-available=true|false connectivity=local|limited|portal|full
 *
 * so the end-to-end tests can check that the namespace really makes the monitor wrong
 * (or right) before they check that detection does not depend on it. */
int
main (int   argc,
      char *argv[])
{
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  const char *connectivity;

  switch (g_network_monitor_get_connectivity (monitor))
    {
    case G_NETWORK_CONNECTIVITY_LOCAL:   connectivity = "local";   break;
    case G_NETWORK_CONNECTIVITY_LIMITED: connectivity = "limited"; break;
    case G_NETWORK_CONNECTIVITY_PORTAL:  connectivity = "portal";  break;
    case G_NETWORK_CONNECTIVITY_FULL:    connectivity = "full";    break;
    default:                             connectivity = "unknown"; break;
    }

  g_print ("network-available=%s connectivity=%s\n",
           g_network_monitor_get_network_available (monitor) ? "true" : "false",
           connectivity);

  return EXIT_SUCCESS;
}
