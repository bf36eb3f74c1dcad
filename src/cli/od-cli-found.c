/* od-cli-found.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbox-doctor-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "od-cli-common.h"
#include "od-cli-found.h"
#include "od-found-readers.h"
#include "od-text.h"

/* The accounts other mail clients keep, for "accounts list" and "accounts show": every
 * client's reader at once under the engine's deadline, read-only. */

/**
 * od_cli_find_accounts:
 *
 * Returns: (transfer container): one OdFoundResult per client (see od-found-accounts.h)
 */
GPtrArray *
od_cli_find_accounts (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(OdCliWait) wait = { 0 };
  const OdFoundReaderInfo *readers;
  guint n_readers;
  GPtrArray *results;

  readers = od_found_get_readers (&n_readers);
  od_found_accounts_find_async (readers, n_readers, g_get_home_dir (), g_get_user_config_dir (),
                                0, cancellable, od_cli_wait_cb, &wait);
  results = od_found_accounts_find_finish (od_cli_wait (&wait, cancellable), NULL);

  return results ? results : g_ptr_array_new ();
}

/**
 * od_cli_found_add_json:
 *
 * Adds the members "found" (the accounts, as od_found_account_to_json() shows them) and
 * "clients" (each client's origin, how many accounts, its error or null) to the object
 * @builder is in.
 */
void
od_cli_found_add_json (JsonBuilder *builder,
                       GPtrArray   *results)
{
  json_builder_set_member_name (builder, "found");
  json_builder_begin_array (builder);
  for (guint i = 0; i < results->len; i++)
    {
      OdFoundResult *result = g_ptr_array_index (results, i);

      for (guint j = 0; result->accounts != NULL && j < result->accounts->len; j++)
        json_builder_add_value (builder,
                                od_found_account_to_json (g_ptr_array_index (result->accounts,
                                                                             j)));
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "clients");
  json_builder_begin_array (builder);
  for (guint i = 0; i < results->len; i++)
    {
      OdFoundResult *result = g_ptr_array_index (results, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "origin");
      json_builder_add_string_value (builder, result->origin);
      json_builder_set_member_name (builder, "accounts");
      json_builder_add_int_value (builder, result->accounts ? result->accounts->len : 0);
      json_builder_set_member_name (builder, "error");
      if (result->error != NULL)
        json_builder_add_string_value (builder, result->error->message);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
print_found_line (OdFoundAccount *found)
{
  OdAccount *account = od_found_account_get_account (found);
  g_autofree char *id = od_text_sanitize (od_found_account_get_id (found), -1,
                                          OD_TEXT_SINGLE_LINE);
  g_autofree char *address = od_text_sanitize (od_account_get_address (account), -1,
                                               OD_TEXT_SINGLE_LINE);
  g_autofree char *host = od_text_sanitize (od_account_get_host (account), -1,
                                            OD_TEXT_SINGLE_LINE);

  /* Translators: "msmtp:work  ada@example.org  smtp.example.org:587 (STARTTLS) — msmtp" */
  g_print (_("%s  %s  %s:%u (%s) — %s\n"), id, address, host, od_account_get_port (account),
           od_security_describe (od_account_get_security (account)),
           od_found_origin_get_name (od_found_account_get_origin (found)));
  for (const char * const *note = od_found_account_get_notes (found); *note != NULL; note++)
    {
      g_autofree char *shown = od_text_sanitize (*note, -1, OD_TEXT_SINGLE_LINE);

      g_print ("    %s\n", shown);
    }
}

/**
 * od_cli_found_print:
 *
 * The section "Found on this computer" of "accounts list": the accounts, then the clients
 * whose settings could not be read, and why.
 */
void
od_cli_found_print (GPtrArray *results)
{
  gboolean any = FALSE;

  for (guint i = 0; i < results->len; i++)
    {
      OdFoundResult *result = g_ptr_array_index (results, i);

      for (guint j = 0; result->accounts != NULL && j < result->accounts->len; j++)
        {
          if (!any)
            g_print ("\n%s\n", _("Found on this computer:"));
          any = TRUE;
          print_found_line (g_ptr_array_index (result->accounts, j));
        }
    }

  for (guint i = 0; i < results->len; i++)
    {
      OdFoundResult *result = g_ptr_array_index (results, i);
      g_autofree char *message = NULL;

      if (result->error == NULL)
        continue;
      message = od_text_sanitize (result->error->message, -1, OD_TEXT_SINGLE_LINE);
      /* Translators: "Not read: Evolution (its account registry could not be asked …)" */
      g_print (_("Not read: %s (%s)\n"), od_found_origin_get_name (result->origin), message);
    }
}

/**
 * od_cli_found_lookup:
 *
 * Returns: (transfer none) (nullable): the found account with the id @id ("msmtp:work")
 */
OdFoundAccount *
od_cli_found_lookup (GPtrArray  *results,
                     const char *id)
{
  for (guint i = 0; i < results->len; i++)
    {
      OdFoundResult *result = g_ptr_array_index (results, i);

      for (guint j = 0; result->accounts != NULL && j < result->accounts->len; j++)
        {
          OdFoundAccount *found = g_ptr_array_index (result->accounts, j);

          if (g_str_equal (od_found_account_get_id (found), id))
            return found;
        }
    }

  return NULL;
}

static void
print_field (const char *label,
             const char *value)
{
  g_autofree char *shown = NULL;

  if (value == NULL || value[0] == '\0')
    return;

  shown = od_text_sanitize (value, -1, OD_TEXT_SINGLE_LINE);
  g_print ("  %-22s %s\n", label, shown);
}

/**
 * od_cli_found_print_one:
 *
 * "accounts show ORIGIN:ID": the settings as the client keeps them, where they came from,
 * where the password is, and the notes.
 */
void
od_cli_found_print_one (OdFoundAccount *found)
{
  OdAccount *account = od_found_account_get_account (found);
  g_autofree char *id = od_text_sanitize (od_found_account_get_id (found), -1,
                                          OD_TEXT_SINGLE_LINE);
  g_autofree char *server = g_strdup_printf ("%s:%u (%s)", od_account_get_host (account),
                                             od_account_get_port (account),
                                             od_security_describe (od_account_get_security (account)));
  const char *secret;

  switch (od_found_account_get_secret (found))
    {
    case OD_FOUND_SECRET_KEYRING:
      secret = _("in the keyring, where the client keeps it");
      break;
    case OD_FOUND_SECRET_GOA:
      secret = _("kept by GNOME Online Accounts");
      break;
    case OD_FOUND_SECRET_GOA_OAUTH2:
      secret = _("a sign-in token from GNOME Online Accounts (OAuth), fetched at each check");
      break;
    case OD_FOUND_SECRET_ASK:
    default:
      secret = _("not readable by Outbox Doctor: it asks for it");
      break;
    }

  g_print ("%s\n", id);
  print_field (_("Mail client:"), od_found_origin_get_name (od_found_account_get_origin (found)));
  print_field (_("Read from:"), od_found_account_get_source_path (found));
  print_field (_("Name:"), od_account_get_display_name (account));
  print_field (_("Address:"), od_account_get_address (account));
  print_field (_("Outgoing server:"), server);
  print_field (_("User name:"), od_account_get_username (account));
  print_field (_("Login method:"), od_account_get_auth_mechanism (account));
  if (od_account_get_incoming_host (account) != NULL)
    {
      g_autofree char *incoming = g_strdup_printf ("%s %s:%u (%s)",
                                                   od_account_get_incoming_protocol (account),
                                                   od_account_get_incoming_host (account),
                                                   od_account_get_incoming_port (account),
                                                   od_security_describe (od_account_get_incoming_security (account)));
      print_field (_("Incoming server:"), incoming);
    }
  print_field (_("Password:"), secret);
  for (const char * const *note = od_found_account_get_notes (found); *note != NULL; note++)
    print_field (_("Note:"), *note);
}
