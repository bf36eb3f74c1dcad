/* od-test-message.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-check"

#include "config.h"

#include <string.h>

#include "od-test-message.h"

/**
 * od_test_message_new:
 * @from: the sender
 * @to: the recipient
 * @date: the message's date
 *
 * Returns: (transfer full): a short plain-text RFC 5322 message that says what it is
 */
char *
od_test_message_new (const char *from,
                     const char *to,
                     GDateTime  *date)
{
  return od_test_message_new_with_id (from, to, date, NULL);
}

/**
 * od_test_message_new_with_id:
 * @message_id: (out) (optional): the message's Message-ID, without its angle brackets,
 *   for the round trip to look for
 *
 * As od_test_message_new().
 */
char *
od_test_message_new_with_id (const char  *from,
                             const char  *to,
                             GDateTime   *date,
                             char       **message_id)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autofree char *offset = NULL;
  g_autofree char *id = NULL;
  const char *domain;

  g_return_val_if_fail (from != NULL && to != NULL && date != NULL, NULL);

  /* RFC 5322 dates use English names whatever the locale. */
  offset = g_date_time_format (date, "%z");
  id = g_uuid_string_random ();
  domain = strrchr (from, '@') ? strrchr (from, '@') + 1 : "outbox-doctor.invalid";
  if (message_id != NULL)
    *message_id = g_strdup_printf ("%s@%s", id, domain);

  return g_strdup_printf ("Date: %s, %02d %s %04d %02d:%02d:%02d %s\r\n"
                          "From: <%s>\r\n"
                          "To: <%s>\r\n"
                          "Subject: Outbox Doctor test message\r\n"
                          "Message-ID: <%s@%s>\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=us-ascii\r\n"
                          "Content-Transfer-Encoding: 7bit\r\n"
                          "User-Agent: Outbox Doctor/" PACKAGE_VERSION "\r\n"
                          "\r\n"
                          "This is a test message sent by Outbox Doctor to check that your\r\n"
                          "outgoing mail server works. It arrived, so it does.\r\n"
                          "You can delete it.\r\n",
                          days[g_date_time_get_day_of_week (date) - 1],
                          g_date_time_get_day_of_month (date),
                          months[g_date_time_get_month (date) - 1],
                          g_date_time_get_year (date),
                          g_date_time_get_hour (date),
                          g_date_time_get_minute (date),
                          g_date_time_get_second (date),
                          offset,
                          from, to, id, domain);
}
