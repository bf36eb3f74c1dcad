/* od-fuzz.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <signal.h>
#include <stdlib.h>

#include <glib.h>

G_BEGIN_DECLS

/* The libFuzzer entry points every target defines. The same file links either with libFuzzer
 * (-Dfuzzing=true, see docs/fuzzing.md) or with fuzz-main.c, which replays the seed corpus as
 * an ordinary test in every build. */
int  LLVMFuzzerInitialize   (int           *argc,
                             char        ***argv);
int  LLVMFuzzerTestOneInput (const guint8  *data,
                             size_t         size);

static inline void
od_fuzz_trap_cb (int signum)
{
  abort ();
}

/* Warnings and criticals (a failed g_return_if_fail()) are bugs the input found: abort, so
 * the fuzzer keeps the input and the replay test fails. GLib stops at a fatal message with
 * SIGTRAP, which libFuzzer does not catch: make it SIGABRT. */
static inline void
od_fuzz_init (void)
{
  signal (SIGTRAP, od_fuzz_trap_cb);
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
}

G_END_DECLS
