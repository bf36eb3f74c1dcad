/* od-discovery-source.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "od-discovery-source"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "od-discovery-source.h"

/* One place discovery looks for settings, and how that went. A list of these is shown while
 * discovery runs, so every change notifies. */
struct _OdDiscoverySource
{
  GObject         parent_instance;

  char           *detail;
  gint64          elapsed_ms;
  OdSourceKind    kind;
  OdProtocol      protocol;
  OdSourceStatus  status;
  gboolean        stopped;
};

G_DEFINE_FINAL_TYPE (OdDiscoverySource, od_discovery_source, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_TITLE,
  PROP_STATUS,
  PROP_DETAIL,
  PROP_ELAPSED_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct {
  const char *id;
  const char *title;
} kinds[OD_N_SOURCES] = {
  [OD_SOURCE_PROVIDER_DB] = { "provider-db", N_("Provider database") },
  [OD_SOURCE_AUTOCONFIG]  = { "autoconfig", N_("Domain’s autoconfig server") },
  [OD_SOURCE_WELL_KNOWN]  = { "well-known", N_("Domain’s web site") },
  [OD_SOURCE_SRV]         = { "srv", N_("DNS service records") },
  [OD_SOURCE_MX]          = { "mx", N_("Incoming mail servers (MX)") },
  [OD_SOURCE_GUESS]       = { "guess", N_("Usual server names") },
};

static void
od_discovery_source_finalize (GObject *object)
{
  OdDiscoverySource *self = (OdDiscoverySource *)object;

  g_clear_pointer (&self->detail, g_free);

  G_OBJECT_CLASS (od_discovery_source_parent_class)->finalize (object);
}

static void
od_discovery_source_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  OdDiscoverySource *self = OD_DISCOVERY_SOURCE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;

    case PROP_TITLE:
      g_value_set_string (value, od_source_kind_get_title (self->kind));
      break;

    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;

    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;

    case PROP_ELAPSED_MS:
      g_value_set_int64 (value, self->elapsed_ms);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
od_discovery_source_class_init (OdDiscoverySourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = od_discovery_source_finalize;
  object_class->get_property = od_discovery_source_get_property;

  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL, 0, OD_N_SOURCES - 1, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL, OD_SOURCE_STATUS_PENDING, OD_SOURCE_STATUS_ERROR,
                      OD_SOURCE_STATUS_PENDING,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ELAPSED_MS] =
    g_param_spec_int64 ("elapsed-ms", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
od_discovery_source_init (OdDiscoverySource *self)
{
}

OdDiscoverySource *
od_discovery_source_new (OdSourceKind kind)
{
  OdDiscoverySource *self;

  g_return_val_if_fail (kind < OD_N_SOURCES, NULL);

  self = g_object_new (OD_TYPE_DISCOVERY_SOURCE, NULL);
  self->kind = kind;

  return self;
}

/**
 * od_discovery_source_new_for_protocol:
 * @protocol: the protocol of the settings this source looks for
 *
 * Returns: (transfer full): a pending source of settings for @protocol
 */
OdDiscoverySource *
od_discovery_source_new_for_protocol (OdSourceKind kind,
                                      OdProtocol   protocol)
{
  OdDiscoverySource *self = od_discovery_source_new (kind);

  self->protocol = protocol;
  return self;
}

/**
 * od_discovery_source_get_protocol:
 *
 * Returns: %OD_PROTOCOL_SMTP for a source of outgoing settings, IMAP or POP3 for incoming
 */
OdProtocol
od_discovery_source_get_protocol (OdDiscoverySource *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY_SOURCE (self), OD_PROTOCOL_SMTP);
  return self->protocol;
}

OdSourceKind
od_discovery_source_get_kind (OdDiscoverySource *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY_SOURCE (self), 0);
  return self->kind;
}

OdSourceStatus
od_discovery_source_get_status (OdDiscoverySource *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY_SOURCE (self), OD_SOURCE_STATUS_PENDING);
  return self->status;
}

/**
 * od_discovery_source_get_detail:
 *
 * Returns: (nullable): what the source found or why it failed, in plain words
 */
const char *
od_discovery_source_get_detail (OdDiscoverySource *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY_SOURCE (self), NULL);
  return self->detail;
}

gint64
od_discovery_source_get_elapsed_ms (OdDiscoverySource *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY_SOURCE (self), 0);
  return self->elapsed_ms;
}

/**
 * od_discovery_source_finish:
 * @status: the outcome, not %OD_SOURCE_STATUS_PENDING
 * @detail: (nullable): a translated sentence
 *
 * Records the outcome once; later calls are ignored, so a late answer cannot overwrite a
 * time-out that was already shown.
 */
void
od_discovery_source_finish (OdDiscoverySource *self,
                            OdSourceStatus     status,
                            const char        *detail,
                            gint64             elapsed_ms)
{
  g_return_if_fail (OD_IS_DISCOVERY_SOURCE (self));
  g_return_if_fail (status != OD_SOURCE_STATUS_PENDING);

  if (self->status != OD_SOURCE_STATUS_PENDING)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);

  if (g_strcmp0 (self->detail, detail) != 0)
    {
      g_free (self->detail);
      self->detail = g_strdup (detail);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
    }

  if (self->elapsed_ms != elapsed_ms)
    {
      self->elapsed_ms = elapsed_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELAPSED_MS]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * od_discovery_source_stop:
 * @status: %OD_SOURCE_STATUS_NONE when it was not needed or the detection was cancelled,
 *   %OD_SOURCE_STATUS_ERROR when the detection's time limit was reached
 * @detail: (nullable): why it was stopped, a translated sentence
 *
 * Records that the detection stopped waiting for the source before it answered, so no one
 * reads its status as its answer (od_discovery_source_get_stopped()). Ignored, as
 * od_discovery_source_finish() is, once the source has an outcome.
 */
void
od_discovery_source_stop (OdDiscoverySource *self,
                          OdSourceStatus     status,
                          const char        *detail,
                          gint64             elapsed_ms)
{
  g_return_if_fail (OD_IS_DISCOVERY_SOURCE (self));

  if (self->status != OD_SOURCE_STATUS_PENDING)
    return;

  self->stopped = TRUE;
  od_discovery_source_finish (self, status, detail, elapsed_ms);
}

/**
 * od_discovery_source_get_stopped:
 *
 * Returns: %TRUE when the source did not answer: the detection stopped waiting for it (a
 *   better setting worked, it was cancelled, or its time limit was reached)
 */
gboolean
od_discovery_source_get_stopped (OdDiscoverySource *self)
{
  g_return_val_if_fail (OD_IS_DISCOVERY_SOURCE (self), FALSE);
  return self->stopped;
}

/**
 * od_source_kind_to_string:
 *
 * Returns: the id used in JSON: "provider-db", "autoconfig", "well-known", "srv", "mx" or
 *   "guess"
 */
const char *
od_source_kind_to_string (OdSourceKind kind)
{
  g_return_val_if_fail (kind < OD_N_SOURCES, "guess");
  return kinds[kind].id;
}

/**
 * od_source_kind_get_title:
 *
 * Returns: a short translated name for the source
 */
const char *
od_source_kind_get_title (OdSourceKind kind)
{
  g_return_val_if_fail (kind < OD_N_SOURCES, NULL);
  return _(kinds[kind].title);
}

const char *
od_source_status_to_string (OdSourceStatus status)
{
  switch (status)
    {
    case OD_SOURCE_STATUS_PENDING: return "pending";
    case OD_SOURCE_STATUS_FOUND:   return "found";
    case OD_SOURCE_STATUS_NONE:    return "none";
    case OD_SOURCE_STATUS_ERROR:   return "error";
    default:                       g_return_val_if_reached ("error");
    }
}
