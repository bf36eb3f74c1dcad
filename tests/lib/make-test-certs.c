/* make-test-certs.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "make-test-certs"

#include "config.h"

#include <stdlib.h>

#include <gio/gio.h>

#include "od-test-certs.h"

/* make-test-certs DIR: writes the test CA and server certificates of od-test-certs.c into
 * DIR, for the shell-based interoperability tests (Postfix) to use. */
int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_set_prgname ("make-test-certs");

  if (argc != 2 || argv[1][0] == '-')
    {
      g_printerr ("Usage: %s DIR\n"
                  "Writes ca.pem, ca-key.pem and KIND-cert.pem, KIND-key.pem for the kinds\n"
                  "%s, %s, %s and %s into DIR.\n",
                  g_get_prgname (),
                  OD_TEST_CERT_GOOD, OD_TEST_CERT_EXPIRED,
                  OD_TEST_CERT_WRONG_NAME, OD_TEST_CERT_SELF_SIGNED);
      return argc == 2 && g_str_equal (argv[1], "--help") ? EXIT_SUCCESS : 2;
    }

  if (!od_test_certs_write_to (argv[1], &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return EXIT_FAILURE;
    }

  return EXIT_SUCCESS;
}
