/* fuzz-smtp-session.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A whole SMTP conversation against a server whose every byte comes from the fuzzer: the
 * session's buffering, multiline replies, EHLO, the login exchanges (including CRAM-MD5
 * challenges and LOGIN prompts from a hostile server), MAIL, RCPT, DATA and QUIT. Whatever
 * the server sends, the session must end each operation exactly once and the transcript
 * must never show the password. The first input byte chooses the login mechanism and
 * whether STARTTLS is tried. */

#include "config.h"

#include <string.h>

#include "od-fuzz.h"
#include "od-smtp-session.h"

#define USER     "fuzz@example.org"
#define PASSWORD "Fuzz-Passw0rd"

typedef struct
{
  OdSmtpReply *reply;
  GError      *error;
  gboolean     done;
} Result;

static void
reply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Result *r = user_data;

  g_assert (!r->done);
  r->reply = od_smtp_session_reply_finish (OD_SMTP_SESSION (object), result, &r->error);
  g_assert ((r->reply == NULL) != (r->error == NULL));
  r->done = TRUE;
}

static guint
wait_for (Result *r)
{
  guint code;

  while (!r->done)
    g_main_context_iteration (NULL, TRUE);

  code = r->reply ? od_smtp_reply_get_code (r->reply) : 0;
  g_clear_pointer (&r->reply, od_smtp_reply_unref);
  g_clear_error (&r->error);
  r->done = FALSE;

  return code;
}

static void
assert_transcript_clean (OdTranscript *transcript)
{
  g_autofree char *text = od_transcript_to_text (transcript);
  g_autofree char *b64 = g_base64_encode ((const guchar *)PASSWORD, strlen (PASSWORD));

  g_assert (strstr (text, PASSWORD) == NULL);
  g_assert (strstr (text, b64) == NULL);
  g_assert (g_utf8_validate (text, -1, NULL));
}

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
  static const char * const mechanisms[] = { "PLAIN", "LOGIN", "CRAM-MD5" };
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GOutputStream) output = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(OdTranscript) transcript = od_transcript_new ();
  g_autoptr(OdSmtpSession) session = NULL;
  g_autoptr(OdTlsClient) tls = NULL;
  Result r = { 0 };
  guint8 selector;
  guint code;

  if (size < 1)
    return 0;

  selector = data[0];
  input = g_memory_input_stream_new_from_data (data + 1, size - 1, NULL);
  output = g_memory_output_stream_new_resizable ();
  stream = g_simple_io_stream_new (input, output);
  /* As OdCheck does: the password is registered before the server says anything, so even a
   * server that somehow knows it cannot make it show. */
  od_transcript_add_secret (transcript, PASSWORD);
  tls = od_tls_client_new ("localhost", 25, transcript);
  session = od_smtp_session_new (stream, tls, transcript);
  od_smtp_session_set_timeout (session, 5000);

  od_smtp_session_read_reply_async (session, NULL, reply_cb, &r);
  if (wait_for (&r) != 220)
    goto out;

  od_smtp_session_ehlo_async (session, "[127.0.0.1]", NULL, reply_cb, &r);
  if (wait_for (&r) != 250)
    goto out;
  g_assert (od_smtp_session_get_capabilities (session) != NULL);

  if (selector & 0x80)
    {
      /* Over memory the handshake can only fail; what matters is how we get there. */
      od_smtp_session_starttls_async (session, NULL, reply_cb, &r);
      wait_for (&r);
      goto out;
    }

  od_smtp_session_authenticate_async (session, mechanisms[selector % 3], USER, PASSWORD,
                                      NULL, reply_cb, &r);
  code = wait_for (&r);
  if (code == 0)
    goto out;

  od_smtp_session_command_async (session, "MAIL FROM:<" USER ">", NULL, reply_cb, &r);
  if (wait_for (&r) == 0)
    goto out;

  od_smtp_session_command_async (session, "RCPT TO:<" USER ">", NULL, reply_cb, &r);
  if (wait_for (&r) == 0)
    goto out;

  od_smtp_session_send_data_async (session, "Subject: fuzz\n\n.hello\r\n", NULL, reply_cb, &r);
  if (wait_for (&r) == 0)
    goto out;

  od_smtp_session_command_async (session, "QUIT", NULL, reply_cb, &r);
  wait_for (&r);

out:
  assert_transcript_clean (transcript);
  od_smtp_session_close (session);

  /* Let the asynchronous close finish so nothing outlives this input. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  return 0;
}
