/* test-route.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the kernel says about the way to an address, and which name servers resolv.conf
 * names. That a computer without a route gets OD_ROUTE_NONE is tested end to end, in a
 * network namespace without one (tests/e2e/test-evidence-e2e.sh). */

#include "config.h"

#include <glib/gstdio.h>

#include "od-route.h"

static char *
write_resolv_conf (const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("od-test-resolv-XXXXXX.conf", &path, &error);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  g_close (fd, NULL);

  return path;
}

static char *
nameservers_to_string (void)
{
  GList *servers = od_route_get_nameservers ();
  g_autoptr(GString) str = g_string_new (NULL);

  for (GList *l = servers; l != NULL; l = l->next)
    {
      g_autofree char *ip = g_inet_address_to_string (l->data);

      g_string_append_printf (str, "%s%s", str->len ? " " : "", ip);
    }
  g_list_free_full (servers, g_object_unref);

  return g_string_free (g_steal_pointer (&str), FALSE);
}

/* Loopback is always there; nothing is sent to find out. */
static void
test_loopback (void)
{
  g_autoptr(GInetAddress) v4 = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GInetAddress) other = g_inet_address_new_from_string ("127.1.2.3");
  GList *both = NULL;

  g_assert_cmpint (od_route_to_address (v4), ==, OD_ROUTE_PRESENT);
  g_assert_cmpint (od_route_to_address (other), ==, OD_ROUTE_PRESENT);

  both = g_list_append (both, other);
  both = g_list_append (both, v4);
  g_assert_cmpint (od_route_to_addresses (both), ==, OD_ROUTE_PRESENT);
  g_list_free (both);
}

/* resolv.conf as glibc reads it: nameserver lines, the first three, comments and other
 * options ignored, an interface after %, glibc's default when there is none. */
static void
test_nameservers (void)
{
  struct {
    const char *contents;
    const char *expected;
  } cases[] = {
    { "nameserver 192.0.2.53\n", "192.0.2.53" },
    { "# generated\nsearch example.org\nnameserver\t192.0.2.1\noptions edns0\n"
      "nameserver 2001:db8::53\n", "192.0.2.1 2001:db8::53" },
    { "nameserver fe80::1%eth0\n", "fe80::1" },
    { "; nameserver 192.0.2.9\n#nameserver 192.0.2.8\nnameserver not-an-address\n",
      "127.0.0.1" },
    { "nameserver 192.0.2.1\nnameserver 192.0.2.2\nnameserver 192.0.2.3\n"
      "nameserver 192.0.2.4\n", "192.0.2.1 192.0.2.2 192.0.2.3" },
    { "", "127.0.0.1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_resolv_conf (cases[i].contents);
      g_autofree char *servers = NULL;

      od_route_set_resolv_conf_for_testing (path);
      servers = nameservers_to_string ();
      g_assert_cmpstr (servers, ==, cases[i].expected);
      g_unlink (path);
    }

  od_route_set_resolv_conf_for_testing ("/nonexistent/resolv.conf");
  {
    g_autofree char *servers = nameservers_to_string ();
    g_assert_cmpstr (servers, ==, "127.0.0.1");
  }
  od_route_set_resolv_conf_for_testing (NULL);
}

/* A name server on this computer: its "no such name" is an answer; when it gives nothing,
 * what counts is the way to the internet. */
static void
test_local_resolver (void)
{
  g_autofree char *path = write_resolv_conf ("nameserver 127.0.0.53\n");

  od_route_set_resolv_conf_for_testing (path);
  g_assert_cmpint (od_route_to_resolver (TRUE), ==, OD_ROUTE_PRESENT);
  g_assert_cmpint (od_route_to_resolver (FALSE), ==, od_route_to_internet ());
  od_route_set_resolv_conf_for_testing (NULL);
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/route/loopback", test_loopback);
  g_test_add_func ("/od/route/nameservers", test_nameservers);
  g_test_add_func ("/od/route/local-resolver", test_local_resolver);

  return g_test_run ();
}
