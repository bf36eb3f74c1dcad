/* test-wording.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Every summary and remedy of the diagnosis names an encryption setting exactly as the
 * app's Encryption menu does (od_security_get_label(); docs/decisions.md, "One name for each
 * encryption setting"): a quoted or bracketed setting is one of the menu's items, "SSL" is
 * never said, and the setting is called the encryption, as the menu is. The texts come from
 * every problem kind with every reason in many contexts, so a text added later is checked
 * too. With OD_TEST_LANGUAGE=de the same holds for the German translation and its menu. */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "od-catalog.h"
#include "od-diagnosis.h"
#include "od-test-locale.h"

static gboolean language_ready = TRUE;

/* The quotation marks of the languages we ship: “…” ‘…’ „…“ ‚…‘ »…« «…», and brackets. */
static const struct
{
  const char *open;
  const char *close;
} quotes[] = {
  { "“", "”" }, { "‘", "’" }, { "„", "“" }, { "‚", "‘" }, { "»", "«" }, { "«", "»" },
  { "(", ")" },
};

static gboolean
names_encryption (const char *fragment)
{
  g_autofree char *folded = g_utf8_casefold (fragment, -1);

  if (strstr (fragment, "TLS") != NULL || strstr (fragment, "SSL") != NULL)
    return TRUE;

  for (OdSecurity s = OD_SECURITY_TLS; s <= OD_SECURITY_NONE; s++)
    {
      g_autofree char *label = g_utf8_casefold (od_security_get_label (s), -1);

      if (g_str_equal (folded, label))
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_menu_label (const char *fragment)
{
  for (OdSecurity s = OD_SECURITY_TLS; s <= OD_SECURITY_NONE; s++)
    if (g_str_equal (fragment, od_security_get_label (s)))
      return TRUE;

  return FALSE;
}

/* @word without the quotation marks and punctuation around it. */
static char *
trim_marks (const char *word)
{
  static const char * const marks[] = { "“", "”", "„", "‘", "’", "‚", "»", "«", ",", ".", ";",
                                        ":" };
  g_autofree char *trimmed = g_strdup (word);
  gboolean changed = TRUE;

  while (changed)
    {
      changed = FALSE;
      for (guint m = 0; m < G_N_ELEMENTS (marks); m++)
        {
          gsize len = strlen (marks[m]);

          if (g_str_has_prefix (trimmed, marks[m]))
            {
              memmove (trimmed, trimmed + len, strlen (trimmed) - len + 1);
              changed = TRUE;
            }
          if (g_str_has_suffix (trimmed, marks[m]) && strlen (trimmed) >= len)
            {
              trimmed[strlen (trimmed) - len] = '\0';
              changed = TRUE;
            }
        }
    }

  return g_steal_pointer (&trimmed);
}

/* A quotation is a menu item word for word; a bracket may say more ("(not STARTTLS)"), but
 * every setting it names is a menu item. */
static gboolean
quotes_menu_label (const char *fragment,
                   guint       quote)
{
  g_auto(GStrv) words = NULL;

  if (!g_str_equal (quotes[quote].open, "("))
    return is_menu_label (fragment);

  words = g_strsplit (fragment, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *word = trim_marks (words[i]);

      if ((strstr (word, "TLS") != NULL || strstr (word, "SSL") != NULL) && !is_menu_label (word))
        return FALSE;
    }

  return TRUE;
}

/* Every quoted or bracketed fragment of @text that names an encryption setting is one of
 * the menu's items, word for word. */
static void
assert_quotes_menu_labels (const char *text)
{
  for (guint q = 0; q < G_N_ELEMENTS (quotes); q++)
    {
      const char *p = text;

      while ((p = strstr (p, quotes[q].open)) != NULL)
        {
          const char *start = p + strlen (quotes[q].open);
          const char *end = strstr (start, quotes[q].close);
          g_autofree char *fragment = NULL;

          if (end == NULL)
            break;

          fragment = g_strndup (start, end - start);
          if (names_encryption (fragment) && !quotes_menu_label (fragment, q))
            g_error ("“%s” names an encryption setting (%s%s%s) that the Encryption menu does "
                     "not have; its items are %s, %s and %s", text, quotes[q].open, fragment,
                     quotes[q].close, od_security_get_label (OD_SECURITY_TLS),
                     od_security_get_label (OD_SECURITY_STARTTLS),
                     od_security_get_label (OD_SECURITY_NONE));
          p = start;
        }
    }
}

static void
assert_wording (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  /* The menu's title, as the user sees it: "_Encryption" without its mnemonic. */
  g_autofree char *menu = g_utf8_casefold (g_dgettext (GETTEXT_PACKAGE, "_Encryption"), -1);
  g_auto(GStrv) menu_parts = g_strsplit (menu, "_", -1);
  g_autofree char *menu_title = g_strjoinv ("", menu_parts);

  g_assert_nonnull (text);

  /* SSL is long obsolete, and the check refuses anything older than TLS 1.2. */
  if (strstr (text, "SSL") != NULL)
    g_error ("“%s” says “SSL”: the Encryption menu calls it “%s”", text,
             od_security_get_label (OD_SECURITY_TLS));

  /* The setting is the menu's: "set the encryption to", not "set the security to". */
  if (strstr (folded, "the security setting") != NULL ||
      strstr (folded, "set the security") != NULL ||
      strstr (folded, "change the security") != NULL)
    g_error ("“%s” calls the encryption setting “security”", text);
  if (strstr (folded, "die sicherheit auf") != NULL ||
      strstr (folded, "die sicherheitseinstellung") != NULL)
    g_error ("“%s” calls the encryption setting “Sicherheit”; the menu is “%s”", text,
             menu_title);

  assert_quotes_menu_labels (text);
}

/* Contexts that bring out every text that depends on the port, the encryption or another
 * setting that works. */
static GPtrArray *
make_contexts (void)
{
  static const guint16 ports[] = { 0, 25, 465, 587, 2525, 10465 };
  static const struct { guint16 port; OdSecurity security; } others[] = {
    { 0, OD_SECURITY_TLS }, { 465, OD_SECURITY_TLS }, { 587, OD_SECURITY_STARTTLS },
    { 25, OD_SECURITY_NONE },
  };
  GPtrArray *contexts = g_ptr_array_new_with_free_func (g_free);

  for (guint p = 0; p < G_N_ELEMENTS (ports); p++)
    for (OdSecurity s = OD_SECURITY_TLS; s <= OD_SECURITY_NONE; s++)
      for (guint o = 0; o <= G_N_ELEMENTS (others); o++)
        {
          OdDiagnosisContext *ctx = g_new0 (OdDiagnosisContext, 1);

          ctx->host = "smtp.example.com";
          ctx->port = ports[p];
          ctx->security = s;
          ctx->username = "alice";
          ctx->address = "alice@example.com";
          ctx->domain = "example.com";
          ctx->ports = "465, 587";
          ctx->why = "It was found through DNS records.";
          ctx->network_available = TRUE;
          ctx->connectivity = G_NETWORK_CONNECTIVITY_FULL;
          /* The last round: the other setting is this very port, in the other mode. */
          ctx->other_port = o < G_N_ELEMENTS (others) ? others[o].port : ports[p];
          ctx->other_security = o < G_N_ELEMENTS (others) ? others[o].security
                                                           : (s == OD_SECURITY_TLS
                                                              ? OD_SECURITY_STARTTLS
                                                              : OD_SECURITY_TLS);
          g_ptr_array_add (contexts, ctx);
        }

  return contexts;
}

static void
test_encryption_words (void)
{
  static const char * const steps[] = { OD_STEP_CONNECT, OD_STEP_TLS, OD_STEP_DATA };
  g_autoptr(GPtrArray) contexts = make_contexts ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  const char *text;
  guint quoted = 0;

  if (!language_ready)
    {
      g_test_skip ("the locale of this language was not built");
      return;
    }

  for (OdProblemKind kind = 0; kind < OD_N_PROBLEM_KINDS; kind++)
    {
      const OdCatalogEntry *entry = od_catalog_get (kind);

      g_hash_table_add (seen, g_strdup (g_dgettext (GETTEXT_PACKAGE, entry->summary)));
      g_hash_table_add (seen, g_strdup (g_dgettext (GETTEXT_PACKAGE, entry->remedy)));

      for (OdReason reason = 0; reason < OD_N_REASONS; reason++)
        for (guint c = 0; c < contexts->len; c++)
          for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
            {
              g_autoptr(OdProblem) problem = NULL;

              problem = od_diagnosis_problem_new_for_reason (kind, reason, steps[s],
                                                             OD_SEVERITY_ERROR,
                                                             g_ptr_array_index (contexts, c));
              g_hash_table_add (seen, g_strdup (od_problem_get_summary (problem)));
              g_hash_table_add (seen, g_strdup (od_problem_get_remedy (problem)));
            }
    }

  g_hash_table_iter_init (&iter, seen);
  while (g_hash_table_iter_next (&iter, (gpointer *)&text, NULL))
    {
      g_autofree char *tls = g_strdup_printf ("“%s”", od_security_get_label (OD_SECURITY_TLS));
      g_autofree char *tls_de = g_strdup_printf ("„%s“", od_security_get_label (OD_SECURITY_TLS));

      assert_wording (text);
      if (strstr (text, tls) != NULL || strstr (text, tls_de) != NULL)
        quoted++;
    }

  /* The checks above had something to check: remedies do quote the menu. */
  g_test_message ("%u texts, %u of them quote “%s”", g_hash_table_size (seen), quoted,
                  od_security_get_label (OD_SECURITY_TLS));
  g_assert_cmpuint (quoted, >=, 5);
}

int
main (int   argc,
      char *argv[])
{
  const char *language = g_getenv ("OD_TEST_LANGUAGE");

  if (language != NULL)
    language_ready = od_test_locale_use (language);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/wording/encryption", test_encryption_words);

  return g_test_run ();
}
