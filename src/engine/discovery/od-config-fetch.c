/* od-config-fetch.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-config-fetch"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "od-config-fetch.h"
#include "od-deadline.h"
#include "od-tls-info.h"

#define MAX_REDIRECTS 3
#define READ_CHUNK    8192

/* Fetches one autoconfig document over HTTP(S): with a deadline, a cancellable, a bounded
 * size, certificates checked against the system's CAs plus the user's CA file, and redirects
 * followed only towards https:// (a redirect to plain http:// could be rewritten by anyone
 * on the way, and would carry the address in the clear if the server copied it). */

typedef struct
{
  SoupSession  *session;
  SoupMessage  *message;
  GInputStream *body;
  GByteArray   *data;
  OdDeadline   *deadline;      /* the caller's cancellable and the time limit */
  GCancellable *cancellable;   /* the deadline's */
  char         *ca_file;
  gsize         max_size;
  guint         timeout_ms;
  guint         redirects;
} Fetch;

static void send_message (GTask *task, GUri *uri);

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->session);
  g_clear_object (&fetch->message);
  g_clear_object (&fetch->body);
  g_clear_pointer (&fetch->data, g_byte_array_unref);
  g_clear_pointer (&fetch->deadline, od_deadline_free);
  g_free (fetch->ca_file);
  g_free (fetch);
}

static void
fetch_stop (Fetch *fetch)
{
  od_deadline_stop (fetch->deadline);

  if (fetch->body != NULL)
    g_input_stream_close_async (fetch->body, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

static void
return_error (GTask  *task,
              GError *error)
{
  Fetch *fetch = g_task_get_task_data (task);
  g_autofree char *timed_out = NULL;

  fetch_stop (fetch);

  timed_out = g_strdup_printf (_("No answer within %.1f seconds"), fetch->timeout_ms / 1000.0);
  od_deadline_timed_out_error (fetch->deadline, &error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               timed_out);
  g_task_return_error (task, error);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      return_error (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      GBytes *bytes = g_byte_array_free_to_bytes (g_steal_pointer (&fetch->data));

      fetch_stop (fetch);
      g_task_return_pointer (task, bytes, (GDestroyNotify)g_bytes_unref);
      return;
    }

  if (fetch->data->len + g_bytes_get_size (chunk) > fetch->max_size)
    {
      g_autofree char *size = g_format_size (fetch->max_size);

      /* Translators: %s is a size such as "1.0 MB" */
      return_error (task, g_error_new (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                                       _("The document is larger than %s"), size));
      return;
    }

  g_byte_array_append (fetch->data, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  g_input_stream_read_bytes_async (fetch->body, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   fetch->cancellable, read_cb, g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;
  guint status;

  fetch->body = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (fetch->body == NULL)
    {
      return_error (task, error);
      return;
    }

  status = soup_message_get_status (fetch->message);

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      const char *location = soup_message_headers_get_one (soup_message_get_response_headers (fetch->message),
                                                           "Location");
      g_autoptr(GUri) target = NULL;

      if (location != NULL)
        target = g_uri_parse_relative (soup_message_get_uri (fetch->message), location,
                                       SOUP_HTTP_URI_FLAGS, NULL);

      if (target == NULL || fetch->redirects >= MAX_REDIRECTS ||
          g_strcmp0 (g_uri_get_scheme (target), "https") != 0)
        {
          return_error (task, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                           _("The server redirected elsewhere (HTTP %u); only "
                                             "a few redirects to https:// are followed"),
                                           status));
          return;
        }

      fetch->redirects++;
      g_input_stream_close_async (fetch->body, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_clear_object (&fetch->body);
      send_message (g_steal_pointer (&task), target);
      return;
    }

  if (status != SOUP_STATUS_OK)
    {
      return_error (task, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                       _("The server answered HTTP %u"), status));
      return;
    }

  fetch->data = g_byte_array_new ();
  g_input_stream_read_bytes_async (fetch->body, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   fetch->cancellable, read_cb, g_steal_pointer (&task));
}

/* The system's CAs already said no; the user's CA file may still vouch for it. */
static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *peer,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(OdTlsInfo) info = NULL;

  if (fetch->ca_file == NULL)
    return FALSE;

  info = od_tls_info_new (peer, g_uri_get_host (soup_message_get_uri (message)),
                          fetch->ca_file, NULL);

  return info != NULL && od_tls_info_get_errors (info) == 0;
}

static void
send_message (GTask *task,
              GUri  *uri)
{
  Fetch *fetch = g_task_get_task_data (task);

  g_clear_object (&fetch->message);
  fetch->message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  soup_message_add_flags (fetch->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (fetch->message),
                                "Accept", "application/xml, text/xml;q=0.9, */*;q=0.1");
  g_signal_connect (fetch->message, "accept-certificate", G_CALLBACK (accept_certificate_cb), fetch);

  soup_session_send_async (fetch->session, fetch->message, G_PRIORITY_DEFAULT,
                           fetch->cancellable, send_cb, task);
}

/**
 * od_config_fetch_async:
 * @uri: an http:// or https:// URI
 * @ca_file: (nullable): more CA certificates to trust, in PEM
 * @timeout_ms: the deadline for the whole fetch
 * @max_size: the largest document accepted
 *
 * Fetches a document with GET. Anything but 200 is an error.
 */
void
od_config_fetch_async (SoupSession         *session,
                       const char          *uri,
                       const char          *ca_file,
                       guint                timeout_ms,
                       gsize                max_size,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GError) error = NULL;
  Fetch *fetch;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (uri != NULL);
  g_return_if_fail (timeout_ms > 0);

  fetch = g_new0 (Fetch, 1);
  fetch->session = g_object_ref (session);
  fetch->ca_file = g_strdup (ca_file);
  fetch->max_size = max_size;
  fetch->timeout_ms = timeout_ms;
  fetch->deadline = od_deadline_new (cancellable, timeout_ms, "[od] autoconfig fetch deadline");
  fetch->cancellable = od_deadline_get_cancellable (fetch->deadline);

  task = g_task_new (NULL, NULL, callback, user_data);
  g_task_set_source_tag (task, od_config_fetch_async);
  g_task_set_task_data (task, fetch, (GDestroyNotify)fetch_free);

  parsed = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, &error);
  if (parsed == NULL)
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  send_message (g_steal_pointer (&task), parsed);
}

/**
 * od_config_fetch_finish:
 * @final_uri: (out) (optional) (transfer full): the address the document finally came from,
 *   after redirects (without its query); set on success
 *
 * Returns: (transfer full): the document, or %NULL with @error set (%G_IO_ERROR_TIMED_OUT
 *   after the deadline, %G_IO_ERROR_CANCELLED, %G_IO_ERROR_NOT_FOUND for an HTTP status
 *   other than 200, %G_IO_ERROR_MESSAGE_TOO_LARGE, or a network or TLS error)
 */
GBytes *
od_config_fetch_finish (GAsyncResult  *result,
                        char         **final_uri,
                        GError       **error)
{
  Fetch *fetch;
  GBytes *bytes;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  fetch = g_task_get_task_data (G_TASK (result));
  bytes = g_task_propagate_pointer (G_TASK (result), error);

  if (bytes != NULL && final_uri != NULL)
    {
      GUri *uri = soup_message_get_uri (fetch->message);

      *final_uri = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                               g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                               NULL, NULL);
    }

  return bytes;
}
