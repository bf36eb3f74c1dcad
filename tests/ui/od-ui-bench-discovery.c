/* od-ui-bench-discovery.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The app's half of build-aux/bench-discovery-app.sh: drives the real window (the objects
 * the app is made of, with no test hook: the detection runs exactly as in the app) through
 * *Add Account*, the details and *Continue* for an address, and after each of its rounds
 * runs `outbox-doctor-cli detect --json` for the same address, so both see the same load.
 *
 *   od-ui-bench-discovery [--cli OUTBOX-DOCTOR-CLI] ADDRESS ROUNDS
 *
 * One line per round on standard output:
 *   app N engine-ms E shown-ms S settled-ms T page P best HOST:PORT max-stall-ms M
 *       frames F frames-ms G
 *   cli N engine-ms E wall-ms W best HOST:PORT
 * shown-ms: from Continue to the first frame drawn with the outcome's page (the review, or
 * the discovery page saying nothing was found) as the visible page; settled-ms: to the
 * first frame after its slide; engine-ms: the detection's own time; max-stall-ms: the
 * longest the main loop took to get round to a 1 ms timer; frames, frames-ms: the frames
 * drawn before the switch and the main loop's time in them. For the command line,
 * wall-ms is from start to exit.
 *
 * Run it under a display and a session bus (tests/ui/run-ui-test.sh). */

#include "config.h"

#include <stdlib.h>

#include <json-glib/json-glib.h>

#include "od-discovery-page.h"
#include "od-review-page.h"
#include "od-ui-test.h"

typedef struct
{
  OdWindow  *window;
  GtkWidget *stack;
  gint64     switched_us;  /* the outcome's page became the visible one */
  gint64     shown_us;     /* the first frame drawn with it */
  gint64     settled_us;   /* the first frame drawn after its slide */
  gint64     frame_start_us;
  gint64     frames_us;    /* the main loop's time in frames until the switch */
  guint      n_frames;
  gint64     last_beat_us;
  gint64     max_stall_us; /* the longest the main loop did not get round to a 1 ms timer */
} Round;

static void
before_frame_cb (GdkFrameClock *clock,
                 Round         *round)
{
  round->frame_start_us = g_get_monotonic_time ();
}

static void
after_frame_cb (GdkFrameClock *clock,
                Round         *round)
{
  if (round->frame_start_us == 0 || round->switched_us != 0)
    return;

  round->frames_us += g_get_monotonic_time () - round->frame_start_us;
  round->n_frames++;
  round->frame_start_us = 0;
}

static gboolean
heartbeat_cb (gpointer user_data)
{
  Round *round = user_data;
  gint64 now = g_get_monotonic_time ();

  if (round->last_beat_us != 0)
    round->max_stall_us = MAX (round->max_stall_us, now - round->last_beat_us);
  round->last_beat_us = now;

  return G_SOURCE_CONTINUE;
}

static gboolean
frame_cb (GtkWidget     *widget,
          GdkFrameClock *clock,
          gpointer       user_data)
{
  Round *round = user_data;
  gint64 now = g_get_monotonic_time ();

  if (round->switched_us == 0)
    return G_SOURCE_CONTINUE;
  if (round->shown_us == 0)
    round->shown_us = now;
  if (!gtk_stack_get_transition_running (GTK_STACK (round->stack)) && !od_window_get_busy (round->window))
    {
      round->settled_us = now;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

/* The outcome's page: the review page, or the discovery page once the detection is over. */
static void
visible_child_cb (GtkStack   *stack,
                  GParamSpec *pspec,
                  Round      *round)
{
  const char *page = od_window_get_visible_page (round->window);

  if (round->switched_us == 0 &&
      (g_str_equal (page, "review") ||
       (g_str_equal (page, "discovery") && !od_window_get_busy (round->window))))
    round->switched_us = g_get_monotonic_time ();
}

static gboolean
settled (gpointer user_data)
{
  Round *round = user_data;

  /* A detection that ended on the discovery page switches no page. */
  if (round->switched_us == 0 && !od_window_get_busy (round->window))
    visible_child_cb (GTK_STACK (round->stack), NULL, round);

  return round->settled_us != 0;
}

static void
run_round (OdWindow   *window,
           const char *address,
           guint       n)
{
  Round round = { 0, };
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gulong before, after;
  guint heartbeat;
  g_autofree char *best = NULL;
  GtkWidget *details;
  GtkWidget *review;
  OdDiscovery *discovery;
  gint64 started;
  gulong handler;

  od_ui_test_activate (GTK_WIDGET (window), "win.add-account", NULL);
  od_ui_test_wait_page (window, "details");
  details = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdDetailsPage"), NULL);
  od_ui_test_set_text (details, "name_row", "Benchmark");
  od_ui_test_set_text (details, "address_row", address);
  od_ui_test_set_text (details, "password_row", "not-sent-anywhere");
  od_ui_test_wait_frames (GTK_WIDGET (window), 3);

  round.window = window;
  round.stack = od_ui_test_find (GTK_WIDGET (window), GTK_TYPE_STACK, "stack");
  handler = g_signal_connect (round.stack, "notify::visible-child",
                              G_CALLBACK (visible_child_cb), &round);
  gtk_widget_add_tick_callback (GTK_WIDGET (window), frame_cb, &round, NULL);

  before = g_signal_connect (clock, "update", G_CALLBACK (before_frame_cb), &round);
  after = g_signal_connect (clock, "after-paint", G_CALLBACK (after_frame_cb), &round);
  heartbeat = g_timeout_add_full (G_PRIORITY_HIGH, 1, heartbeat_cb, &round, NULL);
  started = g_get_monotonic_time ();
  od_ui_test_activate (GTK_WIDGET (window), "win.next", NULL);
  od_ui_test_wait (settled, &round, "the outcome of the discovery on screen");
  g_source_remove (heartbeat);
  g_signal_handler_disconnect (clock, before);
  g_signal_handler_disconnect (clock, after);

  g_signal_handler_disconnect (round.stack, handler);

  discovery = od_discovery_page_get_discovery (OD_DISCOVERY_PAGE (
                od_ui_test_find (GTK_WIDGET (window), OD_TYPE_DISCOVERY_PAGE, NULL)));
  review = od_ui_test_find (GTK_WIDGET (window), g_type_from_name ("OdReviewPage"), NULL);
  if (g_str_equal (od_window_get_visible_page (window), "review"))
    best = g_strdup_printf ("%s:%u", od_review_page_get_host (OD_REVIEW_PAGE (review)),
                            od_review_page_get_port (OD_REVIEW_PAGE (review)));

  g_print ("app %u engine-ms %" G_GINT64_FORMAT " shown-ms %" G_GINT64_FORMAT
           " settled-ms %" G_GINT64_FORMAT " page %s best %s max-stall-ms %" G_GINT64_FORMAT " frames %u frames-ms %" G_GINT64_FORMAT "\n",
           n, discovery ? od_discovery_get_elapsed_ms (discovery) : -1,
           (round.shown_us - started) / 1000, (round.settled_us - started) / 1000,
           od_window_get_visible_page (window), best ? best : "none",
           round.max_stall_us / 1000, round.n_frames, round.frames_us / 1000);

  od_ui_test_activate (GTK_WIDGET (window), "win.back", NULL);
  od_ui_test_wait_page (window, "details");
  od_ui_test_activate (GTK_WIDGET (window), "win.back", NULL);
  od_ui_test_wait_page (window, "welcome");
}

/* The command line's run for the same address, between two of the app's, so both see the
 * same load: its wall-clock time from start to exit, and what it found. */
static void
run_cli (const char *cli,
         const char *address,
         guint       n)
{
  const char *argv[] = { cli, "detect", "--json", address, NULL };
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *best = NULL;
  gint64 engine_ms = -1;
  gint64 started, ended;
  JsonObject *root;

  started = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                     NULL, NULL, &error))
    g_error ("%s: %s", cli, error->message);
  ended = g_get_monotonic_time ();

  if (json_parser_load_from_data (parser, out, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      root = json_node_get_object (json_parser_get_root (parser));
      engine_ms = json_object_get_int_member_with_default (root, "elapsed_ms", -1);
      if (json_object_has_member (root, "best") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "best")))
        {
          JsonObject *b = json_object_get_object_member (root, "best");

          best = g_strdup_printf ("%s:%" G_GINT64_FORMAT,
                                  json_object_get_string_member_with_default (b, "host", "?"),
                                  json_object_get_int_member_with_default (b, "port", 0));
        }
    }

  g_print ("cli %u engine-ms %" G_GINT64_FORMAT " wall-ms %" G_GINT64_FORMAT " best %s\n",
           n, engine_ms, (ended - started) / 1000, best ? best : "none");
}

int
main (int   argc,
      char *argv[])
{
  const char *cli = NULL;
  OdWindow *window;
  guint rounds;

  od_ui_test_init (&argc, &argv);

  if (argc == 5 && g_str_equal (argv[1], "--cli"))
    {
      cli = argv[2];
      argv += 2;
      argc -= 2;
    }
  if (argc != 3 || (rounds = atoi (argv[2])) == 0)
    {
      g_printerr ("usage: od-ui-bench-discovery [--cli OUTBOX-DOCTOR-CLI] ADDRESS ROUNDS\n");
      return 2;
    }

  window = od_ui_test_new_window (720, 640);

  for (guint i = 1; i <= rounds; i++)
    {
      run_round (window, argv[1], i);
      if (cli != NULL)
        run_cli (cli, argv[1], i);
    }

  od_ui_test_close_window (window);

  return 0;
}
