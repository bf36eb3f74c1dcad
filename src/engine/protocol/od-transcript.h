/* od-transcript.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "od-redact.h"
#include "od-types.h"

G_BEGIN_DECLS

#define OD_TRANSCRIPT_REDACTED OD_REDACTED

typedef enum
{
  OD_TRANSCRIPT_CLIENT,  /* what we sent */
  OD_TRANSCRIPT_SERVER,  /* what the server sent */
  OD_TRANSCRIPT_INFO,    /* what happened in between (TLS started, connection closed, …) */
} OdTranscriptDirection;

typedef struct
{
  OdTranscriptDirection  direction;
  gboolean               tls;
  gint64                 monotonic_us;
  char                  *text;       /* as recorded: what the JSON transcript shows */
  char                  *localized;  /* a note of ours in the reader's language, for the text
                                      * transcript; NULL: the same as @text */
  gboolean               cut;        /* the text was cut short at its end */
} OdTranscriptEntry;

#define OD_TYPE_TRANSCRIPT (od_transcript_get_type ())

G_DECLARE_FINAL_TYPE (OdTranscript, od_transcript, OD, TRANSCRIPT, GObject)

OdTranscript            *od_transcript_new              (void);
void                     od_transcript_add_secret       (OdTranscript          *self,
                                                         const char            *secret);
char                    *od_transcript_redact           (OdTranscript          *self,
                                                         const char            *text);
char                   **od_transcript_redact_lines     (OdTranscript          *self,
                                                         const char * const    *lines,
                                                         const gsize           *skips);
char                    *od_transcript_redact_short     (OdTranscript          *self,
                                                         const char            *text);
void                     od_transcript_append           (OdTranscript          *self,
                                                         OdTranscriptDirection  direction,
                                                         gboolean               tls,
                                                         const char            *text);
void                     od_transcript_append_localized (OdTranscript          *self,
                                                         OdTranscriptDirection  direction,
                                                         gboolean               tls,
                                                         const char            *text,
                                                         const char            *localized);
guint                    od_transcript_get_length       (OdTranscript          *self);
const OdTranscriptEntry *od_transcript_get_entry        (OdTranscript          *self,
                                                         guint                  position);
char                    *od_transcript_to_text          (OdTranscript          *self);
JsonNode                *od_transcript_to_json          (OdTranscript          *self);

G_END_DECLS
