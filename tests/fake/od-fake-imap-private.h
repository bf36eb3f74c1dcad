/* od-fake-imap-private.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "od-fake-imap-server.h"

G_BEGIN_DECLS

/* What the fake IMAP server (od-fake-imap-server.c) shares with its mailbox model
 * (od-fake-imap-mailbox.c). */

struct _OdFakeImapServer
{
  GObject          parent_instance;

  /* Owned */
  GSocket         *listener;
  GThread         *thread;
  GCancellable    *cancellable;     /* of accepting only */
  GPtrArray       *current;         /* the connections being served, of GSocket */
  GPtrArray       *workers;         /* their threads, of GThread */
  GTlsCertificate *certificate;
  GMutex           mutex;           /* guards commands, last_password and current */
  GPtrArray       *commands;
  char            *last_password;
  char            *greeting;
  char            *caps_before;
  char            *caps_after;
  char            *user;
  char            *password;
  char            *oauth_token;     /* XOAUTH2/OAUTHBEARER: the accepted access token */
  char            *injection;
  GHashTable      *replies;
  GPtrArray       *folders;         /* Folder; guarded by mutex */
  GPtrArray       *messages;        /* Message; guarded by mutex */
  gint64           started_us;

  OdFakeImapHostile hostile;
  guint16          port;
  guint16          listen_port;     /* 0: a free one */
  char            *listen_address;  /* NULL: 127.0.0.1 */
  guint            implicit_tls : 1;
};

typedef struct
{
  char  *name;
  char  *flags;
} Folder;

typedef struct
{
  char    *folder;
  char    *header;
  gsize    len;
  gint64   visible_at;   /* monotonic µs */
  guint32  uid;
  gboolean deleted;
} Message;

typedef struct
{
  OdFakeImapServer *server;
  char             *selected;  /* the mailbox model's selected folder */
  GIOStream        *plain;
  GIOStream        *stream;    /* plain, then TLS */
  GString          *raw;       /* the command as it came over the wire */
  gboolean          tls;
} Conn;

gboolean  conn_send           (Conn        *conn,
                               const char  *text);
gboolean  conn_sendf          (Conn        *conn,
                               const char  *format,
                               ...) G_GNUC_PRINTF (2, 3);
gboolean  conn_read_line      (Conn        *conn,
                               GString     *line);
void      append_quoted       (GString     *str,
                               const char  *text,
                               gsize        len);
char     *take_astring        (const char **p);
gboolean  mailbox_handle_verb (Conn        *conn,
                               const char  *tag,
                               const char  *verb,
                               const char  *args,
                               gboolean    *handled);

G_END_DECLS
