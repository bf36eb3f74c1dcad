/* od-test-browser.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-test-browser"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include <errno.h>
#include <unistd.h>

#include "od-test-browser.h"

/* The browser stand-in (tests/fake/fake-browser.c) as the default handler of http and https,
 * in a throw-away XDG directory, so that g_app_info_launch_default_for_uri() opens it and no
 * real browser can ever be chosen. tests/lib/fake-browser-env.sh does the same for shell
 * tests. */

/**
 * od_test_browser_register:
 * @dir: an empty directory of the test's own
 * @browser: the absolute path of fake-browser
 *
 * Writes DIR/data/applications/od-fake-browser.desktop and DIR/config/mimeapps.list, and
 * points XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_DATA_DIRS and XDG_CONFIG_DIRS into @dir
 * (GSETTINGS_SCHEMA_DIR keeps the system's schemas). Call it before anything asks GIO for an
 * application or a setting (GIO reads the directories once).
 */
gboolean
od_test_browser_register (const char  *dir,
                          const char  *browser,
                          GError     **error)
{
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *applications = g_build_filename (data, "applications", NULL);
  g_autofree char *config = g_build_filename (dir, "config", NULL);
  g_autofree char *config_dirs = g_build_filename (dir, "config-dirs", NULL);
  g_autofree char *desktop = g_build_filename (applications, "od-fake-browser.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (config, "mimeapps.list", NULL);
  g_autofree char *entry = NULL;
  const char *defaults =
    "[Default Applications]\n"
    "x-scheme-handler/http=od-fake-browser.desktop\n"
    "x-scheme-handler/https=od-fake-browser.desktop\n";

  g_return_val_if_fail (g_path_is_absolute (browser), FALSE);

  /* Exec= has its own quoting rules: keep to paths that need none. */
  for (const char *p = browser; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("/._-+", *p) == NULL)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                     "The browser's path %s has characters Exec= would need quoted", browser);
        return FALSE;
      }

  if (g_mkdir_with_parents (applications, 0700) != 0 ||
      g_mkdir_with_parents (config, 0700) != 0 ||
      g_mkdir_with_parents (config_dirs, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot create the XDG dirs in %s",
                   dir);
      return FALSE;
    }

  entry = g_strdup_printf ("[Desktop Entry]\n"
                           "Type=Application\n"
                           "Name=Fake Browser\n"
                           "Exec=%s %%u\n"
                           "NoDisplay=true\n"
                           "MimeType=x-scheme-handler/http;x-scheme-handler/https;\n",
                           browser);

  if (!g_file_set_contents (desktop, entry, -1, error) ||
      !g_file_set_contents (mimeapps, defaults, -1, error))
    return FALSE;

  /* The system's GSettings schemas stay visible (the proxy resolver of every SoupSession,
   * ours and the stand-in's, reads them), its applications do not: XDG_DATA_DIRS no longer
   * leads to them, so their directory joins GSETTINGS_SCHEMA_DIR (after the test's own). */
  for (const char * const *d = g_get_system_data_dirs (); *d != NULL; d++)
    {
      g_autofree char *schema_dir = g_build_filename (*d, "glib-2.0", "schemas", NULL);
      g_autofree char *compiled = g_build_filename (schema_dir, "gschemas.compiled", NULL);

      if (g_file_test (compiled, G_FILE_TEST_IS_REGULAR))
        {
          const char *own = g_getenv ("GSETTINGS_SCHEMA_DIR");
          g_autofree char *dirs = own && *own ? g_strconcat (own, ":", schema_dir, NULL)
                                              : g_strdup (schema_dir);

          g_setenv ("GSETTINGS_SCHEMA_DIR", dirs, TRUE);
          break;
        }
    }

  /* The system's MIME database stays visible too (GdkPixbuf tells an SVG icon by it). */
  for (const char * const *d = g_get_system_data_dirs (); *d != NULL; d++)
    {
      g_autofree char *mime = g_build_filename (*d, "mime", NULL);
      g_autofree char *cache = g_build_filename (mime, "mime.cache", NULL);
      g_autofree char *link = g_build_filename (data, "mime", NULL);

      if (g_file_test (cache, G_FILE_TEST_IS_REGULAR))
        {
          if (!g_file_test (link, G_FILE_TEST_EXISTS) && symlink (mime, link) != 0)
            {
              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                           "Cannot link %s: %s", link, g_strerror (errno));
              return FALSE;
            }
          break;
        }
    }

  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_DATA_DIRS", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", config_dirs, TRUE);
  /* Never a portal (GLib 2.74 uses one when asked to, or inside a sandbox). */
  g_unsetenv ("GTK_USE_PORTAL");

  return TRUE;
}

/**
 * od_test_browser_find:
 *
 * Returns: (transfer full) (nullable): the path of the built fake-browser, from
 *   $OD_BUILD_ROOT, or %NULL
 */
char *
od_test_browser_find (void)
{
  const char *build = g_getenv ("OD_BUILD_ROOT");
  g_autofree char *path = NULL;

  if (build == NULL)
    return NULL;

  path = g_build_filename (build, "tests", "lib", "fake-browser", NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return NULL;

  return g_steal_pointer (&path);
}
