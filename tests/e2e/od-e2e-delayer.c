/* od-e2e-delayer.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-e2e-delayer"

/* ppoll() */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#include <glib.h>

/* od-e2e-delayer [--queue N] [--delay-ms MS]
 *
 * Adds latency in user space, for kernels without tc netem: every packet that an iptables
 * rule sends to NFQUEUE number N is held for MS milliseconds (default 25), then accepted.
 * With
 *
 *   iptables -t mangle -A PREROUTING -j NFQUEUE --queue-num N --queue-bypass
 *
 * inside a network namespace whose only interface is lo, each packet passes PREROUTING
 * once, so every direction of every exchange is delayed by MS: a round trip takes 2 × MS.
 * (Not OUTPUT: there a held packet still counts against its socket's TCP small queues.)
 * --queue-bypass (and the fail-open flag set here) let traffic through undelayed if this
 * program is not running or its queue is full, so it can never wedge a test.
 *
 * The delay is constant, so packets leave in the order they came: a FIFO is enough. Only
 * the packet id is copied to user space (NFQNL_COPY_META) and GSO packets are taken whole
 * (NFQA_CFG_F_GSO), as loopback sends them.
 *
 * Prints "READY" on stdout once the queue is bound; runs until SIGTERM or SIGINT, then
 * releases every held packet. At exit it prints a line of statistics on stderr. */

typedef struct
{
  guint32 id;
  gint64  due;  /* CLOCK_MONOTONIC, µs */
} Held;

typedef struct
{
  GQueue  held;
  gint64  delay_us;
  guint64 n_packets;
  guint64 n_late;      /* released more than 1 ms after their due time */
  gint64  max_late_us;
} Delayer;

static volatile sig_atomic_t quit_requested;

static void
on_signal (int signum)
{
  quit_requested = 1;
}

static gint64
now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);

  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static int
packet_cb (struct nfq_q_handle *qh,
           struct nfgenmsg     *nfmsg,
           struct nfq_data     *nfa,
           void                *data)
{
  Delayer *delayer = data;
  struct nfqnl_msg_packet_hdr *hdr = nfq_get_msg_packet_hdr (nfa);
  Held *held;

  if (hdr == NULL)
    return 0;

  held = g_new (Held, 1);
  held->id = ntohl (hdr->packet_id);
  held->due = now_us () + delayer->delay_us;
  g_queue_push_tail (&delayer->held, held);
  delayer->n_packets++;

  return 0;
}

/* Accepts every packet whose time has come (all of them with @all). */
static void
release_due (Delayer             *delayer,
             struct nfq_q_handle *qh,
             gboolean             all)
{
  gint64 now = now_us ();
  Held *held;

  while ((held = g_queue_peek_head (&delayer->held)) != NULL && (all || held->due <= now))
    {
      gint64 late = now - held->due;

      if (late > 1000)
        delayer->n_late++;
      if (late > delayer->max_late_us)
        delayer->max_late_us = late;

      if (nfq_set_verdict (qh, held->id, NF_ACCEPT, 0, NULL) < 0)
        g_printerr ("od-e2e-delayer: verdict for packet %u failed: %s\n",
                    held->id, g_strerror (errno));

      g_free (g_queue_pop_head (&delayer->held));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  struct nfq_handle *h;
  struct nfq_q_handle *qh;
  struct sigaction sa;
  Delayer delayer;
  int queue = 0;
  int delay_ms = 25;
  int fd;
  char buf[65536] __attribute__ ((aligned));
  const GOptionEntry entries[] = {
    { "queue", 'q', 0, G_OPTION_ARG_INT, &queue, "NFQUEUE number (default 0)", "N" },
    { "delay-ms", 'd', 0, G_OPTION_ARG_INT, &delay_ms, "Delay per packet (default 25)", "MS" },
    { NULL }
  };

  context = g_option_context_new ("- hold every queued packet for a fixed time");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (queue < 0 || queue > G_MAXUINT16 || delay_ms < 0 || delay_ms > 10000)
    {
      g_printerr ("--queue must be 0-65535 and --delay-ms 0-10000\n");
      return 2;
    }

  memset (&delayer, 0, sizeof delayer);
  g_queue_init (&delayer.held);
  delayer.delay_us = (gint64) delay_ms * 1000;

  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGINT, &sa, NULL);

  if (!(h = nfq_open ()))
    {
      g_printerr ("od-e2e-delayer: nfq_open: %s\n", g_strerror (errno));
      return EXIT_FAILURE;
    }
  /* Needed only by kernels before 3.8; harmless (and may fail) on newer ones. */
  nfq_unbind_pf (h, AF_INET);
  nfq_bind_pf (h, AF_INET);

  if (!(qh = nfq_create_queue (h, queue, packet_cb, &delayer)))
    {
      g_printerr ("od-e2e-delayer: cannot bind queue %d: %s (is nfnetlink_queue available?)\n",
                  queue, g_strerror (errno));
      nfq_close (h);
      return EXIT_FAILURE;
    }
  if (nfq_set_mode (qh, NFQNL_COPY_META, 0) < 0)
    {
      g_printerr ("od-e2e-delayer: nfq_set_mode: %s\n", g_strerror (errno));
      return EXIT_FAILURE;
    }
  nfq_set_queue_maxlen (qh, 100000);
  if (nfq_set_queue_flags (qh, NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO,
                           NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO) < 0)
    g_printerr ("od-e2e-delayer: fail-open/GSO flags not supported; continuing\n");
  /* A lost notification would leave its packet in the kernel's queue for good. */
  nfnl_rcvbufsiz (nfq_nfnlh (h), 8 * 1024 * 1024);

  fd = nfq_fd (h);

  printf ("READY\n");
  fflush (stdout);

  while (!quit_requested)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      Held *head = g_queue_peek_head (&delayer.held);
      struct timespec timeout;
      struct timespec *timeout_p = NULL;
      int ret;

      if (head != NULL)
        {
          /* One reading of the clock: MAX() evaluates its arguments twice, and a second
           * now_us() a moment later made the wait negative (ppoll: EINVAL) on a busy
           * machine, which ended the delayer in the middle of a benchmark. */
          gint64 left = head->due - now_us ();
          gint64 wait = MAX (0, left);

          timeout.tv_sec = wait / G_USEC_PER_SEC;
          timeout.tv_nsec = (wait % G_USEC_PER_SEC) * 1000;
          timeout_p = &timeout;
        }

      ret = ppoll (&pfd, 1, timeout_p, NULL);
      if (ret < 0 && errno != EINTR)
        {
          g_printerr ("od-e2e-delayer: poll: %s\n", g_strerror (errno));
          break;
        }

      if (ret > 0 && (pfd.revents & POLLIN))
        {
          for (;;)
            {
              ssize_t n = recv (fd, buf, sizeof buf, MSG_DONTWAIT);

              if (n > 0)
                {
                  nfq_handle_packet (h, buf, (int) n);
                  continue;
                }
              if (n < 0 && errno == ENOBUFS)
                {
                  g_printerr ("od-e2e-delayer: notifications lost (ENOBUFS)\n");
                  continue;
                }
              break;
            }
        }

      release_due (&delayer, qh, FALSE);
    }

  release_due (&delayer, qh, TRUE);
  nfq_destroy_queue (qh);
  nfq_close (h);

  g_printerr ("od-e2e-delayer: %" G_GUINT64_FORMAT " packets delayed by %d ms; "
              "%" G_GUINT64_FORMAT " released over 1 ms late (worst %.1f ms)\n",
              delayer.n_packets, delay_ms, delayer.n_late, delayer.max_late_us / 1000.0);

  return EXIT_SUCCESS;
}
