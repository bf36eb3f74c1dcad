/* fuzz-smtp-capabilities.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The EHLO capability parser against arbitrary replies: the login mechanisms it returns are
 * bounded, upper case and unique, and a copy is equal to the original. */

#include "config.h"

#include <string.h>

#include "od-fuzz.h"
#include "od-smtp-capabilities.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  od_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(OdSmtpCapabilities) caps = NULL;
  g_autoptr(OdSmtpCapabilities) copy = NULL;
  guint n = 0;

  caps = od_smtp_capabilities_new_from_text ((const char *)data, size);
  if (caps == NULL)
    return 0;

  g_assert (caps->auth_mechanisms != NULL);
  g_assert (caps->server_name != NULL);
  g_assert (caps->size_limit == 0 || caps->size_advertised);

  for (; caps->auth_mechanisms[n] != NULL; n++)
    {
      const char *mech = caps->auth_mechanisms[n];

      g_assert (mech[0] != '\0');
      g_assert (strpbrk (mech, " \t") == NULL);
      for (const char *p = mech; *p; p++)
        g_assert (!g_ascii_islower (*p));
      for (guint j = 0; j < n; j++)
        g_assert (strcmp (caps->auth_mechanisms[j], mech) != 0);
      g_assert (od_smtp_capabilities_has_auth (caps, mech));
    }
  g_assert (n <= 32);

  copy = od_smtp_capabilities_copy (caps);
  g_assert (copy->starttls == caps->starttls);
  g_assert (copy->size_limit == caps->size_limit);
  g_assert (g_strv_equal ((const char * const *)copy->auth_mechanisms,
                          (const char * const *)caps->auth_mechanisms));
  g_assert (strcmp (copy->server_name, caps->server_name) == 0);

  (void)od_smtp_capabilities_has_auth (caps, "PLAIN");
  (void)od_smtp_capabilities_has_auth (caps, "cram-md5");

  return 0;
}
