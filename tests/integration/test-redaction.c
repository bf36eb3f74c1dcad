/* test-redaction.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A property test of redaction: random passwords (1 to 64 characters, with spaces,
 * punctuation and non-ASCII letters) against a hostile fake server that echoes the password
 * in every form it could: as sent, upper and lower case, base64 alone and inside the PLAIN
 * blob, percent-encoded (URL and form style), quoted-printable, split across the lines of a
 * multiline reply, in a line that is not a reply (whose start an error message used to
 * quote), and in a line longer than 4096 bytes (whose start used to be kept). Every output
 * is scanned: the JSON report (each string in it), the text report, the verbose transcript,
 * and what the window shows (each step's title and detail, each problem's summary, remedy
 * and server words).
 *
 * A password of four characters or more must appear in none of them, in no form, not even
 * half of it. A shorter one cannot be looked for everywhere: it must be gone from the
 * reply to the login, where it can only be the password, and it earns the warning
 * password-short.
 *
 * The incoming check (IMAP and POP3) is scanned the same way: servers that echo every form
 * in their answer to the login, or after it.
 *
 * The number of passwords is OD_REDACTION_RUNS (default 40); the seed is GLib's, printed
 * in the log, so a failure can be replayed with --seed. */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "od-check-report.h"
#include "od-check.h"
#include "od-fake-imap-server.h"
#include "od-fake-pop3-server.h"
#include "od-fake-smtp-server.h"
#include "od-test-certs.h"

#define USER "user@example.org"

static OdTestCerts *certs;

/* What random passwords are made of: every printable ASCII character, the space (twice, so
 * that passwords have some), and letters from outside ASCII. */
static const char * const pieces[] = {
  " ", " ", "é", "ß", "ü", "Ç", "Ω", "ж", "中", "😀",
};

static char *
random_password (guint n_chars)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < n_chars; i++)
    {
      gint32 pick = g_test_rand_int_range (0, 94 + G_N_ELEMENTS (pieces));

      if (pick < 94)
        g_string_append_c (str, (char)('!' + pick));
      else
        g_string_append (str, pieces[pick - 94]);
    }

  /* Servers strip the line's trailing white space; so does a password never end in one. */
  if (str->str[str->len - 1] == ' ')
    str->str[str->len - 1] = 'x';
  if (str->str[0] == ' ')
    str->str[0] = 'x';

  return g_string_free (str, FALSE);
}

static char *
percent (const char *text,
         gboolean    form)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *)text; *p; p++)
    {
      if (g_ascii_isalnum (*p) || strchr ("-._~", *p))
        g_string_append_c (out, *p);
      else if (*p == ' ' && form)
        g_string_append_c (out, '+');
      else
        g_string_append_printf (out, "%%%02x", *p);  /* lower-case hex, as some servers do */
    }

  return g_string_free (out, FALSE);
}

static char *
quoted_printable (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *)text; *p; p++)
    {
      if (*p >= ' ' && *p < 0x7f && *p != '=')
        g_string_append_c (out, *p);
      else
        g_string_append_printf (out, "=%02X", *p);
    }

  return g_string_free (out, FALSE);
}

static char *
plain_blob (const char *password)
{
  gsize user_len = strlen (USER);
  gsize pass_len = strlen (password);
  g_autofree guchar *blob = g_malloc0 (user_len + pass_len + 2);

  memcpy (blob + 1, USER, user_len);
  memcpy (blob + user_len + 2, password, pass_len);
  return g_base64_encode (blob, user_len + pass_len + 2);
}

/* Byte offset of the @n-th character of @text. */
static gsize
char_offset (const char *text,
             glong       n)
{
  return g_utf8_offset_to_pointer (text, n) - text;
}

/* Every form a hostile server echoes, and what must never show. */
typedef struct
{
  char      *password;
  GPtrArray *forms;      /* searched in every output, ignoring case */
  GPtrArray *fragments;  /* parts of the password of at least half its length */
} Secret;

static void
secret_clear (Secret *secret)
{
  g_free (secret->password);
  g_clear_pointer (&secret->forms, g_ptr_array_unref);
  g_clear_pointer (&secret->fragments, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Secret, secret_clear)

static void
secret_init (Secret     *secret,
             const char *password)
{
  glong n_chars = g_utf8_strlen (password, -1);
  glong fragment = MAX (6, (n_chars + 1) / 2);

  secret->password = g_strdup (password);
  secret->forms = g_ptr_array_new_with_free_func (g_free);
  secret->fragments = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (secret->forms, g_strdup (password));
  g_ptr_array_add (secret->forms, g_utf8_strup (password, -1));
  g_ptr_array_add (secret->forms, g_utf8_strdown (password, -1));
  g_ptr_array_add (secret->forms, g_base64_encode ((const guchar *)password, strlen (password)));
  g_ptr_array_add (secret->forms, plain_blob (password));
  g_ptr_array_add (secret->forms, percent (password, FALSE));
  g_ptr_array_add (secret->forms, percent (password, TRUE));
  g_ptr_array_add (secret->forms, quoted_printable (password));

  for (glong start = 0; n_chars >= fragment && start + fragment <= n_chars; start++)
    {
      gsize from = char_offset (password, start);
      gsize to = char_offset (password, start + fragment);

      g_ptr_array_add (secret->fragments, g_strndup (password + from, to - from));
    }
}

/* The multiline 535 that echoes every form, and the password split across two lines. */
static char *
echo_reply (const Secret *secret)
{
  const char *labels[] = { "plain", "upper", "lower", "b64", "blob", "url", "form", "qp" };
  GString *reply = g_string_new (NULL);
  glong n_chars = g_utf8_strlen (secret->password, -1);
  gsize split = char_offset (secret->password, g_test_rand_int_range (1, MAX (2, n_chars)));

  for (guint i = 0; i < secret->forms->len; i++)
    g_string_append_printf (reply, "535-5.7.8 %s: %s\r\n", labels[i],
                            (const char *)g_ptr_array_index (secret->forms, i));
  g_string_append_printf (reply, "535-5.7.8 you said %.*s\r\n", (int)split, secret->password);
  g_string_append_printf (reply, "535 5.7.8 %s, which is wrong", secret->password + split);

  return g_string_free (reply, FALSE);
}

/* A line that is no reply, with the password across the 80th byte. */
static char *
malformed_reply (const Secret *secret)
{
  g_autofree char *pad = g_strnfill (72, 'x');

  return g_strdup_printf ("oops %s %s and more", pad, secret->password);
}

/* A 535 line longer than 4096 bytes, with the password across the 200th byte. */
static char *
long_reply (const Secret *secret)
{
  g_autofree char *pad = g_strnfill (185, 'x');
  g_autofree char *tail = g_strnfill (4200, 'y');

  return g_strdup_printf ("535 5.7.8 %s %s %s", pad, secret->password, tail);
}

/* ---- Running and scanning ------------------------------------------------------------- */

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  GMainLoop *loop = user_data;
  g_autoptr(GError) error = NULL;

  od_check_run_finish (OD_CHECK (object), result, &error);
  g_assert_no_error (error);
  g_main_loop_quit (loop);
}

/* Runs a check with @password against a server that answers @command with @reply. */
static OdCheck *
run_against (const char *password,
             const char *command,
             const char *reply)
{
  g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  OdCheck *check;

  cert = od_test_certs_load (certs, "good", &error);
  g_assert_no_error (error);
  od_fake_smtp_server_set_certificate (server, cert);
  od_fake_smtp_server_set_implicit_tls (server, TRUE);
  od_fake_smtp_server_set_credentials (server, USER, password);
  if (command != NULL)
    od_fake_smtp_server_set_reply (server, command, reply);
  g_assert_true (od_fake_smtp_server_start (server, &error));

  check = od_check_new (USER, "localhost", od_fake_smtp_server_get_port (server),
                        OD_SECURITY_TLS);
  od_check_set_password (check, password);
  od_check_set_ca_file (check, od_test_certs_get_ca_file (certs));
  od_check_set_step_timeout (check, 5000);
  od_check_set_total_timeout (check, 20000);
  od_check_run_async (check, NULL, run_cb, loop);
  g_main_loop_run (loop);

  od_fake_smtp_server_stop (server);
  return check;
}

static void
collect_json_strings (JsonNode *node,
                      GString  *out)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        JsonNode *member;
        const char *name;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          collect_json_strings (member, out);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          collect_json_strings (json_array_get_element (array, i), out);
      }
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        g_string_append_printf (out, "%s\n", json_node_get_string (node));
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }
}

/* Everything the check lets anyone see, as (name, text) pairs. */
static GPtrArray *
outputs (OdCheck *check)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) root = od_check_report_to_json (check);
  GString *json = g_string_new (NULL);
  GString *labels = g_string_new (NULL);
  GListModel *steps = G_LIST_MODEL (od_check_get_checklist (check));

  collect_json_strings (root, json);
  g_ptr_array_add (all, g_strdup ("json"));
  g_ptr_array_add (all, g_string_free (json, FALSE));
  g_ptr_array_add (all, g_strdup ("text report"));
  g_ptr_array_add (all, od_check_report_to_text (check));
  g_ptr_array_add (all, g_strdup ("verbose transcript"));
  g_ptr_array_add (all, od_transcript_to_text (od_check_get_transcript (check)));

  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr(OdCheckStep) step = g_list_model_get_item (steps, i);
      OdProblem *problem = od_check_step_get_problem (step);

      g_string_append_printf (labels, "%s\n%s\n", od_check_step_get_title (step),
                              od_check_step_get_detail (step) ? od_check_step_get_detail (step)
                                                              : "");
      if (problem != NULL)
        g_string_append_printf (labels, "%s\n%s\n%s\n", od_problem_get_summary (problem),
                                od_problem_get_remedy (problem),
                                od_problem_get_server_reply (problem)
                                  ? od_problem_get_server_reply (problem) : "");
    }
  g_ptr_array_add (all, g_strdup ("window labels"));
  g_ptr_array_add (all, g_string_free (labels, FALSE));

  return all;
}

static void
assert_absent (const char *output_name,
               const char *output,
               GPtrArray  *needles,
               const char *kind)
{
  g_autofree char *folded = g_utf8_casefold (output, -1);

  for (guint i = 0; i < needles->len; i++)
    {
      g_autofree char *needle = g_utf8_casefold (g_ptr_array_index (needles, i), -1);

      if (strstr (folded, needle) != NULL)
        g_error ("The %s shows a %s of the password (%s):\n%s", output_name, kind,
                 (const char *)g_ptr_array_index (needles, i), output);
    }
}

static void
assert_clean (OdCheck      *check,
              const Secret *secret)
{
  g_autoptr(GPtrArray) all = outputs (check);

  for (guint i = 0; i < all->len; i += 2)
    {
      const char *name = g_ptr_array_index (all, i);
      const char *text = g_ptr_array_index (all, i + 1);

      assert_absent (name, text, secret->forms, "form");
      assert_absent (name, text, secret->fragments, "fragment");
    }
}

static void
test_long_passwords (void)
{
  const char *runs = g_getenv ("OD_REDACTION_RUNS");
  guint n = runs ? (guint) g_ascii_strtoull (runs, NULL, 10) : 40;

  for (guint run = 0; run < n; run++)
    {
      g_autofree char *password = random_password (g_test_rand_int_range (4, 65));
      g_auto(Secret) secret = { 0 };
      g_autofree char *echo = NULL;
      g_autofree char *malformed = NULL;
      g_autofree char *longline = NULL;
      g_autofree char *after_login = NULL;

      secret_init (&secret, password);
      echo = echo_reply (&secret);
      malformed = malformed_reply (&secret);
      longline = long_reply (&secret);
      after_login = g_strdup_printf ("550-5.7.1 %s\r\n550 5.7.1 is not yours", password);
      g_test_message ("run %u: %d characters", run, (int) g_utf8_strlen (password, -1));

      {
        g_autoptr(OdCheck) check = run_against (password, "AUTH", echo);
        OdCheckStep *auth = od_checklist_get_step (od_check_get_checklist (check), OD_STEP_AUTH);

        g_assert_cmpint (od_check_step_get_state (auth), ==, OD_STEP_STATE_FAIL);
        assert_clean (check, &secret);
      }
      {
        g_autoptr(OdCheck) check = run_against (password, "AUTH", malformed);
        assert_clean (check, &secret);
      }
      {
        g_autoptr(OdCheck) check = run_against (password, "AUTH", longline);
        assert_clean (check, &secret);
      }
      {
        /* Logged in; the sender's reply echoes it. */
        g_autoptr(OdCheck) check = run_against (password, "MAIL", after_login);
        OdCheckStep *auth = od_checklist_get_step (od_check_get_checklist (check), OD_STEP_AUTH);

        g_assert_cmpint (od_check_step_get_state (auth), ==, OD_STEP_STATE_PASS);
        assert_clean (check, &secret);
      }
    }
}

/* A password of one to three characters: hidden in the reply to the login, as a word, and
 * a warning. */
static void
test_short_passwords (void)
{
  for (guint run = 0; run < 12; run++)
    {
      g_autofree char *password = random_password (g_test_rand_int_range (1, 4));
      g_autofree char *echo = g_strdup_printf ("535 5.7.8 password %s rejected", password);
      g_autofree char *upper = g_utf8_strup (password, -1);
      g_autofree char *echo_upper = g_strdup_printf ("535 5.7.8 PASSWORD \"%s\" REJECTED", upper);
      g_autoptr(OdCheck) check = run_against (password, "AUTH", echo);
      g_autoptr(OdCheck) again = run_against (password, "AUTH", echo_upper);
      g_autoptr(OdCheck) passed = run_against (password, NULL, NULL);
      g_autofree char *word = NULL;
      OdCheckStep *auth;
      OdProblem *problem;

      g_test_message ("short run %u", run);

      for (guint k = 0; k < 2; k++)
        {
          OdCheck *c = k == 0 ? check : again;

          auth = od_checklist_get_step (od_check_get_checklist (c), OD_STEP_AUTH);
          problem = od_check_step_get_problem (auth);
          g_assert_nonnull (problem);
          g_assert_nonnull (od_problem_get_server_reply (problem));
          g_assert_nonnull (strstr (od_problem_get_server_reply (problem), "********"));
          /* As a word: a short password also occurs inside other words. */
          word = k == 0 ? g_strdup_printf (" %s ", password) : g_strdup_printf ("\"%s\"", upper);
          g_assert_null (strstr (od_problem_get_server_reply (problem), word));
          /* The enhanced status code is not a word of the text. */
          g_assert_nonnull (strstr (od_problem_get_server_reply (problem), "5.7.8"));
          g_clear_pointer (&word, g_free);
        }

      /* The login worked: a warning that the password is too short. */
      auth = od_checklist_get_step (od_check_get_checklist (passed), OD_STEP_AUTH);
      g_assert_cmpint (od_check_step_get_state (auth), ==, OD_STEP_STATE_WARN);
      problem = od_check_step_get_problem (auth);
      g_assert_cmpstr (od_problem_get_id (problem), ==, "password-short");
      g_assert_cmpint (od_problem_get_severity (problem), ==, OD_SEVERITY_WARNING);
    }
}

/* ---- The command line ---------------------------------------------------------------- */

typedef struct
{
  char     *out;
  char     *err;
  gboolean  done;
} CliRun;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CliRun *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &run->out, &run->err,
                                        &error);
  g_assert_no_error (error);
  run->done = TRUE;
}

/* The CLI's text (verbose) and JSON output of a check against a server echoing the
 * password: the fake server runs on this thread, so the loop turns while the CLI runs. */
static void
test_cli (void)
{
  const char *cli = g_getenv ("OD_CLI");

  if (cli == NULL)
    {
      g_test_skip ("OD_CLI is not set");
      return;
    }

  for (guint run = 0; run < 6; run++)
    {
      g_autofree char *password = random_password (g_test_rand_int_range (4, 65));
      g_auto(Secret) secret = { 0 };
      g_autofree char *echo = NULL;
      g_autoptr(OdFakeSmtpServer) server = od_fake_smtp_server_new ();
      g_autoptr(GTlsCertificate) cert = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *port = NULL;
      g_autofree char *input = g_strconcat (password, "\n", NULL);

      secret_init (&secret, password);
      echo = echo_reply (&secret);
      cert = od_test_certs_load (certs, "good", &error);
      g_assert_no_error (error);
      od_fake_smtp_server_set_certificate (server, cert);
      od_fake_smtp_server_set_implicit_tls (server, TRUE);
      od_fake_smtp_server_set_credentials (server, USER, password);
      od_fake_smtp_server_set_reply (server, "AUTH", echo);
      g_assert_true (od_fake_smtp_server_start (server, &error));
      port = g_strdup_printf ("%u", od_fake_smtp_server_get_port (server));

      for (guint json = 0; json < 2; json++)
        {
          const char *argv[] = { cli, "check", "--address", USER, "--host", "localhost",
                                 "--port", port, "--security", "tls", "--ca-file",
                                 od_test_certs_get_ca_file (certs), "--password-stdin",
                                 json ? "--json" : "--verbose", NULL };
          g_autoptr(GSubprocess) process = NULL;
          CliRun result = { 0 };
          g_autoptr(GPtrArray) outputs_seen = g_ptr_array_new ();

          process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                             G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                             G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
          g_assert_no_error (error);
          g_subprocess_communicate_utf8_async (process, input, NULL, communicate_cb, &result);
          while (!result.done)
            g_main_context_iteration (NULL, TRUE);
          g_subprocess_wait (process, NULL, NULL);
          g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);

          if (json)
            {
              g_autoptr(JsonNode) root = json_from_string (result.out, &error);
              GString *strings = g_string_new (NULL);

              g_assert_no_error (error);
              collect_json_strings (root, strings);
              g_free (result.out);
              result.out = g_string_free (strings, FALSE);
            }

          assert_absent (json ? "CLI's JSON" : "CLI's text", result.out, secret.forms, "form");
          assert_absent (json ? "CLI's JSON" : "CLI's text", result.out, secret.fragments,
                         "fragment");
          assert_absent ("CLI's errors", result.err, secret.forms, "form");
          g_free (result.out);
          g_free (result.err);
        }

      od_fake_smtp_server_stop (server);
    }
}

/* ---- Receiving (check --incoming) ------------------------------------------------------ */

/* Every form of the password, labelled, each followed by text so that no form ends a line
 * (an IMAP line ending in "{n}" announces a literal). */
static char *
echo_forms (const Secret *secret,
            const char   *prefix,
            const char   *separator)
{
  const char *labels[] = { "plain", "upper", "lower", "b64", "blob", "url", "form", "qp" };
  GString *echo = g_string_new (NULL);

  for (guint i = 0; i < secret->forms->len; i++)
    g_string_append_printf (echo, "%s%s: %s is what you sent%s", prefix, labels[i],
                            (const char *)g_ptr_array_index (secret->forms, i), separator);

  return g_string_free (echo, FALSE);
}

static OdCheck *
run_incoming (OdProtocol  protocol,
              guint16     port,
              const char *password)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  OdCheck *check = od_check_new (USER, "localhost", port, OD_SECURITY_TLS);

  od_check_set_protocol (check, protocol);
  od_check_set_password (check, password);
  od_check_set_ca_file (check, od_test_certs_get_ca_file (certs));
  od_check_set_step_timeout (check, 5000);
  od_check_set_total_timeout (check, 20000);
  od_check_run_async (check, NULL, run_cb, loop);
  g_main_loop_run (loop);

  return check;
}

/* An IMAP server that echoes the password in untagged responses to the login (and refuses
 * it), or to SELECT after a login that worked. */
static OdCheck *
run_imap_echo (const Secret *secret,
               const char   *command)
{
  g_autoptr(OdFakeImapServer) server = od_fake_imap_server_new ();
  g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, "good", NULL);
  g_autofree char *forms = echo_forms (secret, "* OK ", "\n");
  g_autofree char *reply = NULL;
  OdCheck *check;

  reply = g_strdup_printf ("%sNO [%s] you said %s, which is wrong", forms,
                           g_str_equal (command, "SELECT") ? "OVERQUOTA" : "AUTHENTICATIONFAILED",
                           secret->password);
  od_fake_imap_server_set_certificate (server, cert);
  od_fake_imap_server_set_implicit_tls (server, TRUE);
  od_fake_imap_server_set_credentials (server, USER, secret->password);
  od_fake_imap_server_set_reply (server, command, reply);
  g_assert_true (od_fake_imap_server_start (server, NULL));

  check = run_incoming (OD_PROTOCOL_IMAP, od_fake_imap_server_get_port (server),
                        secret->password);
  od_fake_imap_server_stop (server);
  return check;
}

/* A POP3 server that echoes every form in its "-ERR" to the login, or to STAT. */
static OdCheck *
run_pop3_echo (const Secret *secret,
               const char   *command)
{
  g_autoptr(OdFakePop3Server) server = od_fake_pop3_server_new ();
  g_autoptr(GTlsCertificate) cert = od_test_certs_load (certs, "good", NULL);
  g_autofree char *forms = echo_forms (secret, "", "; ");
  g_autofree char *reply = g_strdup_printf ("-ERR [%s] %s", g_str_equal (command, "STAT")
                                                            ? "SYS/TEMP" : "AUTH", forms);
  OdCheck *check;

  od_fake_pop3_server_set_certificate (server, cert);
  od_fake_pop3_server_set_implicit_tls (server, TRUE);
  od_fake_pop3_server_set_credentials (server, USER, secret->password);
  od_fake_pop3_server_set_reply (server, command, reply);
  g_assert_true (od_fake_pop3_server_start (server, NULL));

  check = run_incoming (OD_PROTOCOL_POP3, od_fake_pop3_server_get_port (server),
                        secret->password);
  od_fake_pop3_server_stop (server);
  return check;
}

/* The incoming check's outputs are as clean as sending's: the login exchange (AUTHENTICATE
 * PLAIN, LOGIN, AUTH PLAIN) and every echo of the password, before and after the login. */
static void
test_incoming_passwords (void)
{
  const char *runs = g_getenv ("OD_REDACTION_RUNS");
  guint n = runs ? MAX (1, (guint) g_ascii_strtoull (runs, NULL, 10) / 4) : 10;

  for (guint run = 0; run < n; run++)
    {
      g_autofree char *password = random_password (g_test_rand_int_range (4, 65));
      g_auto(Secret) secret = { 0 };
      OdCheck *checks[4];

      secret_init (&secret, password);
      g_test_message ("incoming run %u: %d characters", run, (int) g_utf8_strlen (password, -1));

      checks[0] = run_imap_echo (&secret, "AUTHENTICATE");
      checks[1] = run_imap_echo (&secret, "SELECT");
      checks[2] = run_pop3_echo (&secret, "AUTH");
      checks[3] = run_pop3_echo (&secret, "STAT");

      g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (
                         od_check_get_checklist (checks[0]), OD_STEP_AUTH)), ==,
                       OD_STEP_STATE_FAIL);
      g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (
                         od_check_get_checklist (checks[1]), OD_STEP_MAILBOX)), ==,
                       OD_STEP_STATE_FAIL);
      g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (
                         od_check_get_checklist (checks[2]), OD_STEP_AUTH)), ==,
                       OD_STEP_STATE_FAIL);
      g_assert_cmpint (od_check_step_get_state (od_checklist_get_step (
                         od_check_get_checklist (checks[3]), OD_STEP_MAILBOX)), ==,
                       OD_STEP_STATE_FAIL);
      for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
        {
          assert_clean (checks[i], &secret);
          g_object_unref (checks[i]);
        }
    }
}

/* Redaction is for what people see, never for what the protocol reads: a password that is
 * part of the server's capabilities ("AUTH PLAIN") still logs in, and a one-character
 * password that is also the enhanced status code's first digit leaves the code intact. */
static void
test_protocol_unchanged (void)
{
  g_autoptr(OdCheck) check = run_against ("AUTH PLAIN", NULL, NULL);
  g_autoptr(OdCheck) five = run_against ("5", "AUTH", "535 5.7.8 password 5 rejected");
  OdCheckStep *auth = od_checklist_get_step (od_check_get_checklist (check), OD_STEP_AUTH);
  OdProblem *problem;

  g_assert_cmpint (od_check_step_get_state (auth), ==, OD_STEP_STATE_PASS);

  auth = od_checklist_get_step (od_check_get_checklist (five), OD_STEP_AUTH);
  problem = od_check_step_get_problem (auth);
  g_assert_cmpstr (od_problem_get_server_reply (problem), ==,
                   "535 5.7.8 password ******** rejected");
  g_assert_cmpstr (od_problem_get_id (problem), ==, "auth-failed");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  certs = od_test_certs_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/od/redaction/long-passwords", test_long_passwords);
  g_test_add_func ("/od/redaction/short-passwords", test_short_passwords);
  g_test_add_func ("/od/redaction/cli", test_cli);
  g_test_add_func ("/od/redaction/protocol-unchanged", test_protocol_unchanged);
  g_test_add_func ("/od/redaction/incoming", test_incoming_passwords);

  status = g_test_run ();
  g_clear_pointer (&certs, od_test_certs_free);

  return status;
}
