/* main.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbox-doctor"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "od-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OdApplication) app = NULL;

  /* --help is printed before GTK starts: set up translations first. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = od_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
