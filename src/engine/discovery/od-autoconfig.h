/* od-autoconfig.h
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "od-provider.h"
#include "od-types.h"

G_BEGIN_DECLS

/* Reading Mozilla clientConfig 1.1 documents (our provider database and autoconfig files
 * from the network) into an #OdProvider. */

/* Our own namespace for provider facts inside a Mozilla clientConfig 1.1 document. */
#define OD_PROVIDER_NAMESPACE "https://outboxdoctor.org/ns/provider/1"

/* Limits for documents that may come from the network. */
#define OD_AUTOCONFIG_MAX_DOCUMENT_SIZE (256 * 1024)
#define OD_AUTOCONFIG_MAX_SERVERS       64
#define OD_AUTOCONFIG_MAX_DEPTH         32
#define OD_AUTOCONFIG_MAX_STRING        1024

#define OD_AUTOCONFIG_ERROR (od_autoconfig_error_quark ())

/**
 * OdAutoconfigError:
 * @OD_AUTOCONFIG_ERROR_INVALID: not well-formed XML, not a clientConfig document,
 *   or a value that is not allowed (bad port, unknown socketType, over a limit
 *   other than the document size)
 * @OD_AUTOCONFIG_ERROR_NO_OUTGOING: a valid document without any usable SMTP server
 * @OD_AUTOCONFIG_ERROR_TOO_LARGE: the document is larger than
 *   %OD_AUTOCONFIG_MAX_DOCUMENT_SIZE
 */
typedef enum
{
  OD_AUTOCONFIG_ERROR_INVALID,
  OD_AUTOCONFIG_ERROR_NO_OUTGOING,
  OD_AUTOCONFIG_ERROR_TOO_LARGE,
} OdAutoconfigError;

GQuark      od_autoconfig_error_quark (void);

/**
 * OdAutoconfigParseFlags:
 * @OD_AUTOCONFIG_PARSE_NONE: for documents from the network: a document
 *   without an outgoing server is an error
 * @OD_AUTOCONFIG_PARSE_TRUSTED: for our own provider database: a document that
 *   declares `<od:noSmtp/>` may have no outgoing server (e.g. Tuta)
 */
typedef enum
{
  OD_AUTOCONFIG_PARSE_NONE    = 0,
  OD_AUTOCONFIG_PARSE_TRUSTED = 1 << 0,
} OdAutoconfigParseFlags;

OdProvider       *od_autoconfig_parse                   (const char           *data,
                                                         gssize                length,
                                                         GError              **error);
OdProvider       *od_autoconfig_parse_full              (const char           *data,
                                                         gssize                length,
                                                         OdAutoconfigParseFlags flags,
                                                         GError              **error);

G_END_DECLS
