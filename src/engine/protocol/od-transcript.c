/* od-transcript.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-transcript"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-text.h"
#include "od-transcript.h"

/* Bounded so that a server that talks forever cannot grow the transcript without limit. */
#define MAX_ENTRIES     2000
#define MAX_ENTRY_BYTES 2048

/* The conversation with the server, as people and help desks will read it. Every entry goes
 * through redaction: secrets registered with od_transcript_add_secret() never appear, in any
 * form a server could echo them (od-redact.c). The transcript holds the secrets of its
 * session: whatever else shows server text redacts it here too.
 *
 * Notes the engine writes itself ("TLS started: …") are recorded as they always were, for
 * the JSON transcript and whoever reads it by machine, and also in the reader's language
 * (od_transcript_append_localized()) for the text transcript of reports and the terminal. */
struct _OdTranscript
{
  GObject     parent_instance;

  GArray     *entries;
  OdRedactor *redactor;
  guint       dropped;
};

G_DEFINE_FINAL_TYPE (OdTranscript, od_transcript, G_TYPE_OBJECT)

static void
clear_entry (gpointer data)
{
  OdTranscriptEntry *entry = data;

  g_clear_pointer (&entry->text, g_free);
  g_clear_pointer (&entry->localized, g_free);
}

/* Server text may hold invalid UTF-8 and terminal escape sequences: neither may reach a
 * terminal, a log or JSON. Line breaks (between the lines of a multiline reply) and tabs stay;
 * C0 and C1 controls and DEL become "?". */
static char *
sanitize (const char *text,
          gssize      len)
{
  return od_text_sanitize (text, len, OD_TEXT_KEEP_TAB | OD_TEXT_KEEP_NEWLINE);
}

static void
od_transcript_finalize (GObject *object)
{
  OdTranscript *self = (OdTranscript *)object;

  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->redactor, od_redactor_free);

  G_OBJECT_CLASS (od_transcript_parent_class)->finalize (object);
}

static void
od_transcript_class_init (OdTranscriptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = od_transcript_finalize;
}

static void
od_transcript_init (OdTranscript *self)
{
  self->entries = g_array_new (FALSE, TRUE, sizeof (OdTranscriptEntry));
  g_array_set_clear_func (self->entries, clear_entry);
  self->redactor = od_redactor_new ();
}

OdTranscript *
od_transcript_new (void)
{
  return g_object_new (OD_TYPE_TRANSCRIPT, NULL);
}

/**
 * od_transcript_add_secret:
 * @secret: text that must never appear in the transcript
 *
 * Registers @secret for redaction, in every form a server could echo it (as typed, in
 * either case, base64 alone and inside a login blob, percent-encoded, quoted-printable).
 * One of fewer than %OD_REDACT_MIN_CHARS characters is hidden only where it can be nothing
 * else (od_transcript_redact_short()).
 */
void
od_transcript_add_secret (OdTranscript *self,
                          const char   *secret)
{
  g_return_if_fail (OD_IS_TRANSCRIPT (self));

  if (secret == NULL || secret[0] == '\0')
    return;

  od_redactor_add_secret (self->redactor, secret);

  /* A server may have shown the secret before it was registered (the password is registered
   * when login starts): entries already recorded are redacted again. */
  for (guint i = 0; i < self->entries->len; i++)
    {
      OdTranscriptEntry *entry = &g_array_index (self->entries, OdTranscriptEntry, i);
      /* A text cut short may end in the start of the secret. */
      char *redacted = entry->cut ? od_redactor_redact_cut (self->redactor, entry->text)
                                  : od_redactor_redact (self->redactor, entry->text);

      g_free (entry->text);
      entry->text = redacted;

      if (entry->localized != NULL)
        {
          redacted = od_redactor_redact (self->redactor, entry->localized);
          g_free (entry->localized);
          entry->localized = redacted;
        }
    }
}

/**
 * od_transcript_redact:
 * @text: any text
 *
 * Returns: (transfer full): @text with every registered secret replaced by asterisks
 */
char *
od_transcript_redact (OdTranscript *self,
                      const char   *text)
{
  g_return_val_if_fail (OD_IS_TRANSCRIPT (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  return od_redactor_redact (self->redactor, text);
}

/**
 * od_transcript_redact_lines:
 * @lines: the lines of one reply
 * @skips: (nullable) (array): for each line, how many bytes at its start (an enhanced
 *   status code) are not part of the text read across lines
 *
 * Returns: (transfer full): the lines redacted as a whole, so that a secret the server
 *   split across lines is hidden in each (od_redactor_redact_lines())
 */
char **
od_transcript_redact_lines (OdTranscript       *self,
                            const char * const *lines,
                            const gsize        *skips)
{
  g_return_val_if_fail (OD_IS_TRANSCRIPT (self), NULL);
  return od_redactor_redact_lines (self->redactor, lines, skips);
}

/**
 * od_transcript_redact_short:
 * @text: text where a short password can be nothing else (the reply to a login)
 *
 * Returns: (transfer full): @text with a password too short to be looked for everywhere
 *   hidden as a whole word; the other forms are od_transcript_redact()'s and
 *   od_transcript_append()'s
 */
char *
od_transcript_redact_short (OdTranscript *self,
                            const char   *text)
{
  g_return_val_if_fail (OD_IS_TRANSCRIPT (self), NULL);
  return od_redactor_redact_short (self->redactor, text);
}

/* @text as it may be shown: sanitized, redacted, at most MAX_ENTRY_BYTES (@cut says whether
 * it was cut short). */
static char *
prepare_text (OdTranscript *self,
              const char   *text,
              gboolean     *cut)
{
  g_autofree char *valid = NULL;
  g_autofree char *redacted = NULL;
  g_autoptr(GString) shown = NULL;
  gsize longest;

  /* Sanitize first, so what is redacted is exactly what is shown; redact the whole text
   * before cutting it short, or a secret that straddles the cut would leave its first
   * characters behind. */
  /* Only the start of a long text can show, but redaction shortens what it replaces: look at
   * a prefix, and at a longer one while the redacted result is not safely past the limit.
   * Past the limit by the longest secret (and 4 bytes for a character cut in half), a
   * secret cut off at the end of the prefix lies wholly beyond what is kept. */
  longest = od_redactor_get_longest (self->redactor);
  for (gsize prefix = MAX_ENTRY_BYTES + longest + 4;; prefix *= 2)
    {
      gsize len = strnlen (text, prefix);

      g_clear_pointer (&valid, g_free);
      g_clear_pointer (&redacted, g_free);
      valid = sanitize (text, len);
      redacted = od_transcript_redact (self, valid);

      if (text[len] == '\0' || strlen (redacted) >= MAX_ENTRY_BYTES + longest + 4)
        break;
    }
  shown = g_string_new (redacted);

  *cut = FALSE;
  if (shown->len > MAX_ENTRY_BYTES)
    {
      const char *end = g_utf8_find_prev_char (shown->str, shown->str + MAX_ENTRY_BYTES + 1);

      g_string_truncate (shown, end - shown->str);
      *cut = TRUE;
    }

  return g_string_free (g_steal_pointer (&shown), FALSE);
}

static void
append_entry (OdTranscript          *self,
              OdTranscriptDirection  direction,
              gboolean               tls,
              const char            *text,
              const char            *localized)
{
  OdTranscriptEntry entry = { 0 };

  if (self->entries->len >= MAX_ENTRIES)
    {
      self->dropped++;
      return;
    }

  entry.direction = direction;
  entry.tls = tls;
  entry.monotonic_us = g_get_monotonic_time ();
  entry.text = prepare_text (self, text, &entry.cut);
  if (localized != NULL && !g_str_equal (localized, text))
    {
      gboolean cut;

      entry.localized = prepare_text (self, localized, &cut);
    }

  g_array_append_val (self->entries, entry);
}

/**
 * od_transcript_append:
 * @text: what was said (a command, a reply) or happened, as it is to be shown
 *
 * Records @text, sanitized and redacted, cut short past 2048 bytes.
 */
void
od_transcript_append (OdTranscript          *self,
                      OdTranscriptDirection  direction,
                      gboolean               tls,
                      const char            *text)
{
  g_return_if_fail (OD_IS_TRANSCRIPT (self));
  g_return_if_fail (text != NULL);

  append_entry (self, direction, tls, text, NULL);
}

/**
 * od_transcript_append_localized:
 * @text: a note of the engine's own, as it is recorded (and shown in JSON)
 * @localized: the same note in the reader's language, for od_transcript_to_text()
 *
 * Like od_transcript_append(), for the notes the engine writes itself ("TLS started: …"):
 * their recorded words stay the same in every language, for those who read the transcript
 * by machine, while people read them in their own.
 */
void
od_transcript_append_localized (OdTranscript          *self,
                                OdTranscriptDirection  direction,
                                gboolean               tls,
                                const char            *text,
                                const char            *localized)
{
  g_return_if_fail (OD_IS_TRANSCRIPT (self));
  g_return_if_fail (text != NULL);
  g_return_if_fail (localized != NULL);

  append_entry (self, direction, tls, text, localized);
}

guint
od_transcript_get_length (OdTranscript *self)
{
  g_return_val_if_fail (OD_IS_TRANSCRIPT (self), 0);
  return self->entries->len;
}

const OdTranscriptEntry *
od_transcript_get_entry (OdTranscript *self,
                         guint         position)
{
  g_return_val_if_fail (OD_IS_TRANSCRIPT (self), NULL);
  g_return_val_if_fail (position < self->entries->len, NULL);

  return &g_array_index (self->entries, OdTranscriptEntry, position);
}

static const char *
direction_prefix (const OdTranscriptEntry *entry)
{
  switch (entry->direction)
    {
    case OD_TRANSCRIPT_CLIENT: return entry->tls ? "C~>" : "C->";
    case OD_TRANSCRIPT_SERVER: return entry->tls ? "S<~" : "S<-";
    case OD_TRANSCRIPT_INFO:
    default:                   return "===";
    }
}

/**
 * od_transcript_to_text:
 *
 * The transcript for people: lines prefixed "C->"/"S<-" ("~" over TLS) and "===" for what
 * happened in between, the engine's own notes in the reader's language.
 *
 * Returns: (transfer full): the transcript as text
 */
char *
od_transcript_to_text (OdTranscript *self)
{
  GString *str;

  g_return_val_if_fail (OD_IS_TRANSCRIPT (self), NULL);

  str = g_string_new (NULL);
  for (guint i = 0; i < self->entries->len; i++)
    {
      const OdTranscriptEntry *entry = &g_array_index (self->entries, OdTranscriptEntry, i);
      g_auto(GStrv) lines = g_strsplit (entry->localized ? entry->localized : entry->text,
                                        "\n", -1);

      for (guint j = 0; lines[j] != NULL; j++)
        g_string_append_printf (str, "%s %s\n", direction_prefix (entry), lines[j]);
    }

  if (self->dropped > 0)
    {
      g_string_append (str, "=== ");
      /* Translators: the end of a transcript that grew too long */
      g_string_append_printf (str, g_dngettext (GETTEXT_PACKAGE, "%u more line not recorded",
                                                "%u more lines not recorded", self->dropped),
                              self->dropped);
      g_string_append_c (str, '\n');
    }

  return g_string_free (str, FALSE);
}

/**
 * od_transcript_to_json:
 *
 * Returns: (transfer full): an array of {"dir": "C"|"S"|"I", "text"} objects
 */
JsonNode *
od_transcript_to_json (OdTranscript *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (OD_IS_TRANSCRIPT (self), NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < self->entries->len; i++)
    {
      const OdTranscriptEntry *entry = &g_array_index (self->entries, OdTranscriptEntry, i);
      const char *dir = entry->direction == OD_TRANSCRIPT_CLIENT ? "C" :
                        entry->direction == OD_TRANSCRIPT_SERVER ? "S" : "I";

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "dir");
      json_builder_add_string_value (builder, dir);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, entry->text);
      json_builder_set_member_name (builder, "tls");
      json_builder_add_boolean_value (builder, entry->tls);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}
