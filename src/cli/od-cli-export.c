/* od-cli-export.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "outbox-doctor-cli"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "od-check-report.h"
#include "od-cli-accounts.h"
#include "od-cli-common.h"
#include "od-cli-output.h"
#include "od-found-export.h"
#include "od-text.h"

/* outbox-doctor-cli accounts export ID --to msmtp|git|neomutt|aerc|evolution|goa|thunderbird
 * [--print]
 * [--name NAME] [--password-stdin] [--json]: one of our accounts written into another mail
 * client's configuration (or printed), with its password where that client finds it. The
 * engine (od-found-export.c) plans the text and reads it back through the client's reader;
 * here the keyring is asked and the file written, in that order, so that a refusal leaves
 * everything as it was. Evolution and GNOME Online Accounts are given the account through
 * their services instead (od-found-export-desktop.c), with the passwords. */

typedef struct
{
  /* Options */
  char               *to;
  char               *name;
  gboolean            print;
  gboolean            password_stdin;
  gboolean            json;

  /* Owned */
  OdAccountStore     *store;
  GPtrArray          *notes;              /* of the command itself */
  OdFoundExport      *export;
  char               *password;
  char               *incoming_password;  /* Evolution, GOA: our incoming item's */
  char               *backup;
  GError             *error;

  /* Borrowed */
  OdAccount          *account;

  /* What was done */
  OdFoundExportCopy   copy;
  gboolean            copied;
} Export;

static void
export_clear (Export *self)
{
  g_clear_pointer (&self->to, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_object (&self->store);
  g_clear_pointer (&self->notes, g_ptr_array_unref);
  g_clear_pointer (&self->export, od_found_export_free);
  g_clear_pointer (&self->password, od_cli_free_password);
  g_clear_pointer (&self->incoming_password, od_cli_free_password);
  g_clear_pointer (&self->backup, g_free);
  g_clear_error (&self->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Export, export_clear)

/* An error that ends the export: printed, with its exit status. */
static int
fail (Export *self)
{
  g_assert (self->error != NULL);

  if (g_error_matches (self->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return OD_CLI_EXIT_CANCELLED;
  if (g_error_matches (self->error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
    return od_cli_usage_error (NULL, self->error->message);
  g_printerr (_("outbox-doctor-cli: %s\n"), self->error->message);
  return OD_CLI_EXIT_PROBLEM;
}

static guint
count_items (GHashTable  *attributes,
             GError     **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(OdCliWait) wait = { 0 };
  guint count = 0;

  od_found_export_count_items_async (attributes, cancellable, od_cli_wait_cb, &wait);
  if (!od_found_export_count_items_finish (od_cli_wait (&wait, cancellable), &count, error))
    return G_MAXUINT;
  return count;
}

/* Whether `secret-tool lookup` with @attributes finds exactly one item. */
static gboolean
lookup_finds_one (Export      *self,
                  GHashTable  *attributes,
                  GError     **error)
{
  const char *client = od_found_origin_get_name (self->to);
  guint count;

  if (attributes == NULL)
    return TRUE;
  count = count_items (attributes, error);
  if (count == G_MAXUINT)
    return FALSE;
  if (count == 0)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 /* Translators: %s is a mail program, "NeoMutt" */
                 _("Outbox Doctor keeps no password for this account in the keyring, so %s "
                   "would find none: give it with --password-stdin (it is saved for Outbox "
                   "Doctor too)."), client);
  else if (count > 1)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                 /* Translators: %s is a mail program, "NeoMutt" */
                 _("The keyring holds more than one password for this account and server, "
                   "and %s would take any one of them: set up the account again "
                   "(outbox-doctor-cli setup) to keep one."), client);
  return count == 1;
}

/* --print: nothing is stored. What the command will find (or how to put the password
 * there) becomes a note. */
static void
print_password_notes (Export *self)
{
  g_autoptr(GError) error = NULL;
  GHashTable *attributes = od_found_export_get_keyring_attributes (self->export, FALSE);

  switch (od_found_export_get_secret (self->export))
    {
    case OD_FOUND_EXPORT_SECRET_COPY:
      {
        g_autofree char *command = od_found_export_store_command (self->export);

        if (command != NULL)
          g_ptr_array_add (self->notes,
                           /* Translators: %s is a command line, which asks for the password */
                           g_strdup_printf (_("Nothing was stored: put the password where the "
                                              "client finds it with “%s”."), command));
        else
          g_ptr_array_add (self->notes, g_strdup (_("Nothing was stored: export the account "
                                                    "without --print to put the password "
                                                    "where the client finds it.")));
      }
      break;

    case OD_FOUND_EXPORT_SECRET_CLIENT:
      g_ptr_array_add (self->notes,
                       /* Translators: %s is "Evolution" or "GNOME Online Accounts" */
                       g_strdup_printf (_("Nothing was created: export the account without "
                                          "--print to add it to %s with its password."),
                                        od_found_origin_get_name (self->to)));
      break;

    case OD_FOUND_EXPORT_SECRET_LOOKUP:
      if (!lookup_finds_one (self, attributes, &error)
          || !lookup_finds_one (self, od_found_export_get_keyring_attributes (self->export, TRUE),
                                &error))
        g_ptr_array_add (self->notes, g_strdup (error->message));
      break;

    case OD_FOUND_EXPORT_SECRET_NONE:
    default:
      break;
    }
}

/* The outgoing password: given on standard input, else Outbox Doctor's keyring item. */
static gboolean
get_password (Export *self)
{
  if (self->password == NULL)
    {
      g_autoptr(GError) keyring_error = NULL;
      char *saved = od_cli_keyring_lookup (self->account, FALSE, &keyring_error);

      if (saved == NULL)
        {
          if (keyring_error != NULL)
            self->error = g_steal_pointer (&keyring_error);
          else
            g_set_error (&self->error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _("No password is saved in the keyring for the account “%s”: give it "
                           "with --password-stdin."), od_account_get_id (self->account));
          return FALSE;
        }
      self->password = g_strdup (saved);
      od_secret_store_free_password (saved);
    }
  return TRUE;
}

/* msmtp and git: a copy of the password under the client's attributes. */
static gboolean
store_copy (Export *self)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(OdCliWait) wait = { 0 };

  if (!get_password (self))
    return FALSE;
  od_found_export_store_copy_async (self->export, self->password, cancellable, od_cli_wait_cb,
                                    &wait);
  self->copied = od_found_export_store_copy_finish (od_cli_wait (&wait, cancellable),
                                                    &self->copy, &self->error);
  return self->copied;
}

/* Evolution and GOA: the passwords they are given, ours for the incoming server when the
 * keyring has one of its own (else the engine takes the outgoing one, as Outbox Doctor
 * does). A password given on standard input is for both. */
static gboolean
get_passwords_for_client (Export *self)
{
  OdAccount *account = self->account;
  gboolean login = g_strcmp0 (od_account_get_auth_mechanism (account), OD_ACCOUNT_AUTH_NONE) != 0;
  g_autoptr(GError) keyring_error = NULL;
  char *saved;

  if (login || self->password_stdin)
    {
      if (!get_password (self))
        return FALSE;
    }
  if (self->password_stdin || od_account_get_incoming_host (account) == NULL)
    return TRUE;

  saved = od_cli_keyring_lookup (account, TRUE, &keyring_error);
  if (saved == NULL && keyring_error != NULL)
    {
      self->error = g_steal_pointer (&keyring_error);
      return FALSE;
    }
  if (saved != NULL)
    {
      self->incoming_password = g_strdup (saved);
      od_secret_store_free_password (saved);
    }
  if (self->incoming_password == NULL && self->password == NULL)
    {
      g_set_error (&self->error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No password is saved in the keyring for the account “%s”: give it "
                     "with --password-stdin."), od_account_get_id (account));
      return FALSE;
    }
  return TRUE;
}

/* The password where the client finds it, before anything is written. */
static gboolean
place_password (Export *self)
{
  if (self->print)
    {
      print_password_notes (self);
      return TRUE;
    }
  switch (od_found_export_get_secret (self->export))
    {
    case OD_FOUND_EXPORT_SECRET_COPY:
      return store_copy (self);

    case OD_FOUND_EXPORT_SECRET_CLIENT:
      return get_passwords_for_client (self);

    case OD_FOUND_EXPORT_SECRET_LOOKUP:
      /* The command looks up our own item: a password given now becomes that item. */
      if (self->password != NULL
          && !od_cli_keyring_store (self->account, self->password, &self->error))
        return FALSE;
      return lookup_finds_one (self, od_found_export_get_keyring_attributes (self->export, FALSE),
                               &self->error)
             && lookup_finds_one (self,
                                  od_found_export_get_keyring_attributes (self->export, TRUE),
                                  &self->error);

    case OD_FOUND_EXPORT_SECRET_NONE:
    default:
      return TRUE;
    }
}

static const char *
copy_to_string (Export *self)
{
  if (!self->copied)
    return NULL;
  switch (self->copy)
    {
    case OD_FOUND_EXPORT_COPY_UNCHANGED:
      return "unchanged";
    case OD_FOUND_EXPORT_COPY_REPLACED:
      return "replaced";
    case OD_FOUND_EXPORT_COPY_STORED:
    default:
      return "stored";
    }
}

/* The engine's notes, then the command's own. */
static GStrv
all_notes (Export *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_addv (builder, (const char **)od_found_export_get_notes (self->export));
  for (guint i = 0; i < self->notes->len; i++)
    g_strv_builder_add (builder, self->notes->pdata[i]);
  return g_strv_builder_end (builder);
}

static void
add_attributes (JsonBuilder *builder,
                const char  *member,
                GHashTable  *attributes)
{
  g_autoptr(GList) keys = NULL;

  json_builder_set_member_name (builder, member);
  if (attributes == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  keys = g_list_sort (g_hash_table_get_keys (attributes), (GCompareFunc)g_strcmp0);
  json_builder_begin_object (builder);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, g_hash_table_lookup (attributes, l->data));
    }
  json_builder_end_object (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_json (Export *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  OdFoundExportSecret secret = od_found_export_get_secret (self->export);
  static const char * const secrets[] = { "none", "copy", "lookup", "client", "ask" };
  g_auto(GStrv) notes = all_notes (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, OD_REPORT_SCHEMA);
  add_string (builder, "account", od_account_get_id (self->account));
  add_string (builder, "client", self->to);
  add_string (builder, "name", od_found_export_get_name (self->export));
  add_string (builder, "found_id", od_found_export_get_found_id (self->export));
  add_string (builder, "path", self->print ? NULL : od_found_export_get_path (self->export));
  json_builder_set_member_name (builder, "written");
  json_builder_add_boolean_value (builder, !self->print);
  add_string (builder, "backup", self->backup);
  add_string (builder, "text", od_found_export_get_text (self->export));

  json_builder_set_member_name (builder, "password");
  json_builder_begin_object (builder);
  add_string (builder, "where", secrets[secret]);
  add_attributes (builder, "attributes",
                  od_found_export_get_keyring_attributes (self->export, FALSE));
  add_attributes (builder, "incoming_attributes",
                  od_found_export_get_keyring_attributes (self->export, TRUE));
  add_string (builder, "stored", copy_to_string (self));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "notes");
  json_builder_begin_array (builder);
  for (char **n = notes; *n != NULL; n++)
    json_builder_add_string_value (builder, *n);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  od_cli_print_json (json_builder_get_root (builder));
}

/* Where the client finds the password, in words. */
static char *
describe_password (Export *self)
{
  const char *client = od_found_origin_get_name (self->to);

  switch (od_found_export_get_secret (self->export))
    {
    case OD_FOUND_EXPORT_SECRET_COPY:
      if (self->copy == OD_FOUND_EXPORT_COPY_UNCHANGED)
        /* Translators: %s is a mail program */
        return g_strdup_printf (_("%s finds the password in the keyring, where it was "
                                  "already."), client);
      if (self->copy == OD_FOUND_EXPORT_COPY_REPLACED)
        return g_strdup_printf (_("%s finds the password in the keyring: it replaced another "
                                  "one kept there for this server and user."), client);
      return g_strdup_printf (_("%s finds the password in the keyring: a copy was stored "
                                "there."), client);

    case OD_FOUND_EXPORT_SECRET_LOOKUP:
      return g_strdup_printf (_("%s gets the password from Outbox Doctor’s keyring item with "
                                "secret-tool."), client);

    case OD_FOUND_EXPORT_SECRET_CLIENT:
      return g_strdup_printf (_("%s keeps its own copy of the password in the keyring."),
                              client);

    case OD_FOUND_EXPORT_SECRET_ASK:
      return g_strdup_printf (_("%s asks for the password the first time it connects, and "
                                "can keep it in its own password store."), client);

    case OD_FOUND_EXPORT_SECRET_NONE:
    default:
      return g_strdup_printf (_("%s needs no password for this server."), client);
    }
}

/* The text on standard output (--print), everything else on standard error; or what was
 * done, and how to check it. */
static void
print_human (Export *self)
{
  g_autofree char *password = describe_password (self);
  const char *file = od_found_export_get_path (self->export);
  g_autofree char *path = file != NULL ? g_filename_display_name (file) : NULL;
  const char *client = od_found_origin_get_name (self->to);
  g_auto(GStrv) notes = all_notes (self);

  if (self->print)
    g_print ("%s", od_found_export_get_text (self->export));
  else if (od_found_export_is_desktop (self->to))
    /* Translators: %s is "Evolution" or "GNOME Online Accounts" */
    g_print (_("Added the account to %s.\n"), client);
  else
    {
      /* Translators: "Added the account to msmtp’s configuration, /home/ada/.msmtprc." */
      g_print (_("Added the account to %s’s configuration, %s.\n"), client, path);
      if (self->backup != NULL)
        {
          g_autofree char *backup = g_filename_display_name (self->backup);

          g_print (_("The file as it was is kept in %s.\n"), backup);
        }
    }

  if (!self->print)
    g_print ("%s\n", password);
  for (char **n = notes; *n != NULL; n++)
    {
      if (self->print)
        g_printerr (_("Note: %s\n"), *n);
      else
        g_print (_("Note: %s\n"), *n);
    }
  if (!self->print)
    g_print (_("Check it as %s reads it: outbox-doctor-cli check --account %s\n"), client,
             od_found_export_get_found_id (self->export));
}

/* Whether Outbox Doctor's keyring has an item of its own for the incoming server (the
 * exported command otherwise looks up the outgoing one, as Outbox Doctor does). */
static gboolean
incoming_item (Export  *self,
               gboolean *has_item)
{
  g_autoptr(GHashTable) attributes = NULL;
  guint count;

  *has_item = FALSE;
  if ((!g_str_equal (self->to, "neomutt") && !g_str_equal (self->to, "aerc"))
      || od_account_get_incoming_host (self->account) == NULL)
    return TRUE;
  attributes = od_found_export_own_attributes (self->account, TRUE);
  count = count_items (attributes, &self->error);
  /* --print stores nothing and may do without a keyring: the outgoing item then. */
  if (count == G_MAXUINT && self->print)
    {
      g_clear_error (&self->error);
      return TRUE;
    }
  if (count == G_MAXUINT)
    return FALSE;
  *has_item = count > 0;
  return TRUE;
}

static void
create_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Export *self = task_data;
  GError *error = NULL;

  if (od_found_export_create (self->export, self->password, self->incoming_password,
                              cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The file written, or (Evolution, GOA) the account created in a worker thread, which
 * Ctrl+C cancels. */
static gboolean
write_or_create (Export *self)
{
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GTask) task = NULL;
  g_auto(OdCliWait) wait = { 0 };

  if (!od_found_export_is_desktop (self->to))
    return od_found_export_write (self->export, &self->backup, &self->error);
  cancellable = g_cancellable_new ();
  task = g_task_new (NULL, cancellable, od_cli_wait_cb, &wait);
  g_task_set_task_data (task, self, NULL);
  g_task_run_in_thread (task, create_thread);
  return g_task_propagate_boolean (G_TASK (od_cli_wait (&wait, cancellable)), &self->error);
}

static int
run (Export     *self,
     const char *id)
{
  OdFoundContext context = { g_get_home_dir (), g_get_user_config_dir (), NULL };
  gboolean has_item = FALSE;

  self->notes = g_ptr_array_new_with_free_func (g_free);
  self->store = od_cli_open_account_store ();
  self->account = od_cli_find_account (self->store, id, &self->error);
  if (self->account == NULL)
    return od_cli_usage_error (NULL, self->error->message);
  if (self->password_stdin)
    {
      self->password = od_cli_read_password_stdin (&self->error);
      if (self->password == NULL)
        return od_cli_usage_error (NULL, self->error->message);
    }
  if (!incoming_item (self, &has_item))
    return fail (self);

  self->export = od_found_export_new (&context, self->account, self->to, self->name, has_item,
                                      &self->error);
  if (self->export == NULL
      || (!self->print && !od_found_export_check_target (self->export, &self->error))
      || !place_password (self)
      || (!self->print && !write_or_create (self)))
    return fail (self);

  if (self->json)
    print_json (self);
  else
    print_human (self);
  return OD_CLI_EXIT_PASSED;
}

/**
 * od_cli_accounts_export:
 * @argv: "export" and what follows it
 *
 * The "accounts export" command.
 *
 * Returns: the exit status
 */
int
od_cli_accounts_export (int    argc,
                        char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Export) self = { 0 };
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &self.to,
      N_("The mail client: msmtp, git, neomutt, aerc, evolution, goa or thunderbird"),
      N_("CLIENT") },
    { "print", 0, 0, G_OPTION_ARG_NONE, &self.print,
      N_("Print the settings instead of adding them to the client’s file"), NULL },
    { "name", 0, 0, G_OPTION_ARG_STRING, &self.name,
      N_("The account’s name in the client (msmtp, aerc; for git an identity)"), N_("NAME") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &self.password_stdin,
      N_("Read the password from standard input instead of the keyring"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &self.json, N_("Print the result as JSON"), NULL },
    { NULL }
  };

  g_set_prgname ("outbox-doctor-cli accounts export");
  context = g_option_context_new (_("ID --to CLIENT — hand a saved account to another mail "
                                    "client"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Writes the account’s verified settings into the client’s configuration file (a backup "
      "of the file is kept beside it), or prints them with --print. The password goes where "
      "the client finds it: a copy in the keyring for msmtp and git send-email (git’s "
      "libsecret credential helper), a secret-tool command for NeoMutt and aerc. Evolution and "
      "GNOME Online Accounts (which needs an IMAP server) get the account through their own "
      "services and keep their own copy of the password. Thunderbird (only while it is not "
      "running) asks for the password the first time. With --print nothing is written or "
      "stored.\n\n"
      "Exit status: 0 done, 1 refused or the keyring failed (nothing was written), 2 bad "
      "usage or no such account, 3 internal error."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return od_cli_usage_error (context, error->message);
  if (argc != 2)
    return od_cli_usage_error (context, _("Give the id of one account, as “accounts list” "
                                          "shows it."));
  if (self.to == NULL || !od_found_export_origin_supported (self.to))
    return od_cli_usage_error (context, _("Say which mail client with --to: msmtp, git, "
                                          "neomutt, aerc, evolution, goa or thunderbird."));
  if (self.password_stdin && g_str_equal (self.to, "thunderbird"))
    return od_cli_usage_error (context, _("Thunderbird keeps passwords in a store of its own and "
                                          "asks for them itself: leave out --password-stdin."));
  if (self.print && self.password_stdin)
    return od_cli_usage_error (context, _("--password-stdin does not go with --print, which "
                                          "stores nothing."));
  /* ORIGIN:ID is another client's account: only ours were verified and saved. */
  if (strchr (argv[1], ':') != NULL)
    return od_cli_usage_error (context, _("Only Outbox Doctor’s own accounts can be exported; "
                                          "“accounts list” shows them."));
  return run (&self, argv[1]);
}
