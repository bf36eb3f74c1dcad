/* od-other-ports.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "od-probe.h"

G_BEGIN_DECLS

#define OD_TYPE_OTHER_PORTS (od_other_ports_get_type ())

G_DECLARE_FINAL_TYPE (OdOtherPorts, od_other_ports, OD, OTHER_PORTS, GObject)

OdOtherPorts *od_other_ports_new                     (const char           *host,
                                                      guint16               port);
void          od_other_ports_set_protocol            (OdOtherPorts         *self,
                                                      OdProtocol            protocol);
void          od_other_ports_set_ca_file             (OdOtherPorts         *self,
                                                      const char           *ca_file);
void          od_other_ports_set_context             (OdOtherPorts         *self,
                                                      const char           *address,
                                                      const char           *username,
                                                      gboolean              network_available,
                                                      GNetworkConnectivity  connectivity);
void          od_other_ports_set_pinned_fingerprints (OdOtherPorts         *self,
                                                      guint16               port,
                                                      const char * const   *fingerprints);
void          od_other_ports_map_port_for_testing    (OdOtherPorts         *self,
                                                      guint16               port,
                                                      guint16               real_port);

void          od_other_ports_start                   (OdOtherPorts         *self,
                                                      guint                 timeout_ms,
                                                      GCancellable         *cancellable);
void          od_other_ports_stop                    (OdOtherPorts         *self);
gboolean      od_other_ports_is_started              (OdOtherPorts         *self);
gboolean      od_other_ports_is_finished             (OdOtherPorts         *self);
OdProbe      *od_other_ports_get_suggestion          (OdOtherPorts         *self);
gboolean      od_other_ports_all_silent              (OdOtherPorts         *self);
char         *od_other_ports_describe_ports          (OdOtherPorts         *self);

G_END_DECLS
