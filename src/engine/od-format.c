/* od-format.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-format"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "od-format.h"

/* Dates as people read them, in their language and their order: the formats are
 * translatable, and g_date_time_format() takes month and weekday names from the locale.
 * Day numbers are never padded ("%-e"): "%e" pads with a figure space, which reads as a
 * double space after "from" and survives g_strstrip(). Sizes go through g_format_size(). */

/**
 * od_format_date:
 * @time: a moment
 *
 * Returns: (transfer full): the day of @time in local time ("6 December 2026")
 */
char *
od_format_date (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  local = g_date_time_to_local (time);
  /* Translators: a date such as "6 December 2026", in your language's order; see
   * g_date_time_format(). "%-e" is the day without padding: keep the "-". */
  return g_date_time_format (local, _("%-e %B %Y"));
}

/**
 * od_format_date_time:
 * @time: a moment
 *
 * Returns: (transfer full): @time in local time, to the minute ("6 December 2026, 14:05")
 */
char *
od_format_date_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  local = g_date_time_to_local (time);
  /* Translators: a date and time such as "6 December 2026, 14:05", in your language's order;
   * see g_date_time_format(). "%-e" is the day without padding: keep the "-". */
  return g_date_time_format (local, _("%-e %B %Y, %H:%M"));
}
