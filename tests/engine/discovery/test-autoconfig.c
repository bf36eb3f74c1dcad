/* test-autoconfig.c
 *
 * Copyright 2026 The Outbox Doctor authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "od-autoconfig.h"

#define OD_NS "xmlns:od=\"https://outboxdoctor.org/ns/provider/1\""

/* A document with one provider whose body is @body. */
static char *
wrap (const char *body)
{
  return g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<clientConfig version=\"1.1\" " OD_NS ">\n"
                          "  <emailProvider id=\"example.org\">\n"
                          "    <domain>example.org</domain>\n"
                          "%s"
                          "  </emailProvider>\n"
                          "</clientConfig>\n", body);
}

static char *
smtp_server (const char *host,
             const char *port,
             const char *socket_type)
{
  return g_strdup_printf ("<outgoingServer type=\"smtp\">"
                          "<hostname>%s</hostname><port>%s</port><socketType>%s</socketType>"
                          "<username>%%EMAILADDRESS%%</username>"
                          "<authentication>password-cleartext</authentication>"
                          "</outgoingServer>\n", host, port, socket_type);
}

static OdServerConfig *
outgoing (OdProvider *provider,
          guint       index)
{
  GPtrArray *servers = od_provider_get_outgoing_servers (provider);

  g_assert_cmpuint (index, <, servers->len);
  return g_ptr_array_index (servers, index);
}

static void
assert_parse_error (const char *document,
                    gssize      length,
                    int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = od_autoconfig_parse (document, length, &error);

  g_assert_null (provider);
  g_assert_error (error, OD_AUTOCONFIG_ERROR, code);
  g_assert_nonnull (error->message);
}

static void
test_full_document (void)
{
  const char *document =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<clientConfig version=\"1.1\" " OD_NS ">\n"
    "  <emailProvider id=\"example.com\">\n"
    "    <domain>example.com</domain>\n"
    "    <domain>Example.NET</domain>\n"
    "    <domain>example.com</domain>\n"
    "    <displayName>Example\n      Mail</displayName>\n"
    "    <displayShortName>Example</displayShortName>\n"
    "    <incomingServer type=\"imap\">\n"
    "      <hostname>imap.example.com</hostname><port>993</port><socketType>SSL</socketType>\n"
    "      <username>%EMAILLOCALPART%</username>\n"
    "      <authentication>password-cleartext</authentication>\n"
    "    </incomingServer>\n"
    "    <incomingServer type=\"pop3\">\n"
    "      <hostname>pop.example.com</hostname><port>995</port><socketType>SSL</socketType>\n"
    "    </incomingServer>\n"
    "    <incomingServer type=\"exchange\"><server>ews.example.com</server></incomingServer>\n"
    "    <outgoingServer type=\"smtp\">\n"
    "      <hostname>SMTP.Example.COM</hostname><port>465</port><socketType>SSL</socketType>\n"
    "      <username>%EMAILADDRESS%</username>\n"
    "      <authentication>OAuth2</authentication>\n"
    "      <authentication>password-cleartext</authentication>\n"
    "    </outgoingServer>\n"
    "    <outgoingServer type=\"smtp\">\n"
    "      <hostname>smtp.example.com</hostname><port>587</port><socketType>STARTTLS</socketType>\n"
    "      <username>%EMAILDOMAIN%\\%EMAILLOCALPART%</username>\n"
    "      <authentication>password-encrypted</authentication>\n"
    "    </outgoingServer>\n"
    "    <outgoingServer type=\"smtp\">\n"
    "      <hostname>legacy.example.com</hostname><port>25</port><socketType>plain</socketType>\n"
    "      <username>fixed-user</username>\n"
    "      <authentication>none</authentication>\n"
    "    </outgoingServer>\n"
    "    <documentation url=\"https://example.com/help\"><descr lang=\"en\">Help</descr></documentation>\n"
    "    <od:mxSuffix>*.mx.example.com</od:mxSuffix>\n"
    "    <od:mxSuffix>.Example-MX.net</od:mxSuffix>\n"
    "    <od:appPassword required=\"true\"/>\n"
    "    <od:oauthOrAppPassword/>\n"
    "    <od:note xml:lang=\"de\">Auf Deutsch.</od:note>\n"
    "    <od:note xml:lang=\"en\">Create an\n       app password.</od:note>\n"
    "  </emailProvider>\n"
    "</clientConfig>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = od_autoconfig_parse (document, -1, &error);
  GPtrArray *incoming;
  OdServerConfig *server;
  const char * const *domains;
  const char * const *mx;

  g_assert_no_error (error);
  g_assert_nonnull (provider);

  g_assert_cmpstr (od_provider_get_id (provider), ==, "example.com");
  g_assert_cmpstr (od_provider_get_display_name (provider), ==, "Example Mail");
  g_assert_cmpstr (od_provider_get_short_name (provider), ==, "Example");
  domains = od_provider_get_domains (provider);
  g_assert_cmpuint (g_strv_length ((char **) domains), ==, 2);
  g_assert_cmpstr (domains[0], ==, "example.com");
  g_assert_cmpstr (domains[1], ==, "example.net");
  g_assert_true (od_provider_has_domain (provider, "example.net"));
  g_assert_false (od_provider_has_domain (provider, "example.org"));
  g_assert_cmpstr (od_provider_get_documentation_url (provider), ==, "https://example.com/help");

  mx = od_provider_get_mx_suffixes (provider);
  g_assert_cmpuint (g_strv_length ((char **) mx), ==, 2);
  g_assert_cmpstr (mx[0], ==, "mx.example.com");
  g_assert_cmpstr (mx[1], ==, "example-mx.net");

  g_assert_true (od_provider_get_needs_app_password (provider));
  g_assert_true (od_provider_get_oauth_or_app_password (provider));
  g_assert_false (od_provider_get_oauth_only (provider));
  g_assert_false (od_provider_get_no_smtp (provider));
  g_assert_cmpstr (od_provider_get_note (provider), ==, "Create an app password.");

  /* Outgoing servers keep document order; every socketType maps to its OdSecurity. */
  g_assert_cmpuint (od_provider_get_outgoing_servers (provider)->len, ==, 3);
  server = outgoing (provider, 0);
  g_assert_cmpint (server->protocol, ==, OD_SERVER_PROTOCOL_SMTP);
  g_assert_cmpstr (server->hostname, ==, "smtp.example.com");
  g_assert_cmpuint (server->port, ==, 465);
  g_assert_cmpint (server->security, ==, OD_SECURITY_TLS);
  g_assert_cmpstr (server->username, ==, "%EMAILADDRESS%");
  g_assert_cmpuint (g_strv_length (server->authentication), ==, 2);
  g_assert_cmpstr (server->authentication[0], ==, "OAuth2");
  g_assert_cmpstr (server->authentication[1], ==, "password-cleartext");
  g_assert_true (od_server_config_has_authentication (server, "oauth2"));
  g_assert_false (od_server_config_has_authentication (server, "password-encrypted"));

  server = outgoing (provider, 1);
  g_assert_cmpuint (server->port, ==, 587);
  g_assert_cmpint (server->security, ==, OD_SECURITY_STARTTLS);
  g_assert_cmpstr (server->authentication[0], ==, "password-encrypted");

  server = outgoing (provider, 2);
  g_assert_cmpstr (server->hostname, ==, "legacy.example.com");
  g_assert_cmpuint (server->port, ==, 25);
  g_assert_cmpint (server->security, ==, OD_SECURITY_NONE);
  g_assert_cmpstr (server->username, ==, "fixed-user");

  /* The exchange server is skipped; IMAP and POP3 are kept in order. */
  incoming = od_provider_get_incoming_servers (provider);
  g_assert_cmpuint (incoming->len, ==, 2);
  server = g_ptr_array_index (incoming, 0);
  g_assert_cmpint (server->protocol, ==, OD_SERVER_PROTOCOL_IMAP);
  g_assert_cmpstr (server->hostname, ==, "imap.example.com");
  g_assert_cmpstr (od_server_protocol_to_string (server->protocol), ==, "imap");
  server = g_ptr_array_index (incoming, 1);
  g_assert_cmpint (server->protocol, ==, OD_SERVER_PROTOCOL_POP3);
  g_assert_null (server->username);
  g_assert_nonnull (server->authentication);
  g_assert_null (server->authentication[0]);
}

static void
test_username_templates (void)
{
  OdServerConfig config = { 0 };
  g_autofree char *address = NULL;
  g_autofree char *local = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *mixed = NULL;
  g_autofree char *literal = NULL;
  g_autofree char *host = NULL;
  g_autofree char *none = NULL;

  config.username = (char *) "%EMAILADDRESS%";
  address = od_server_config_expand_username (&config, "Jane.Doe@Example.org");
  g_assert_cmpstr (address, ==, "Jane.Doe@Example.org");

  config.username = (char *) "%EMAILLOCALPART%";
  local = od_server_config_expand_username (&config, "jane+tag@example.org");
  g_assert_cmpstr (local, ==, "jane+tag");

  config.username = (char *) "%EMAILDOMAIN%";
  domain = od_server_config_expand_username (&config, "\"odd@local\"@example.org");
  g_assert_cmpstr (domain, ==, "example.org");

  config.username = (char *) "%EMAILDOMAIN%/%EMAILLOCALPART%%";
  mixed = od_server_config_expand_username (&config, "jane@example.org");
  g_assert_cmpstr (mixed, ==, "example.org/jane%");

  config.username = (char *) "D1234543";
  literal = od_server_config_expand_username (&config, "jane@example.org");
  g_assert_cmpstr (literal, ==, "D1234543");

  config.username = NULL;
  none = od_server_config_expand_username (&config, "jane@example.org");
  g_assert_null (none);

  config.hostname = (char *) "mail.%EMAILDOMAIN%";
  host = od_server_config_expand_hostname (&config, "jane@example.org");
  g_assert_cmpstr (host, ==, "mail.example.org");
}

static void
test_hostname_placeholder (void)
{
  g_autofree char *document = NULL;
  g_autofree char *server = smtp_server ("SMTP.%EMAILDOMAIN%", "587", "STARTTLS");
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = NULL;

  document = wrap (server);
  provider = od_autoconfig_parse (document, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (outgoing (provider, 0)->hostname, ==, "smtp.%EMAILDOMAIN%");
}

/* What Thunderbird's ISPDB and providers serve: no namespace of ours, no id defaults. */
static void
test_mozilla_document (void)
{
  const char *document =
    "<?xml version=\"1.0\"?>\n"
    "<clientConfig version=\"1.1\">\n"
    "  <emailProvider id=\"isp.example\">\n"
    "    <domain>isp.example</domain>\n"
    "    <displayName>ISP</displayName>\n"
    "    <incomingServer type=\"imap\">\n"
    "      <hostname>imap.isp.example</hostname><port>143</port><socketType>STARTTLS</socketType>\n"
    "      <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>\n"
    "      <password>ignored</password>\n"
    "    </incomingServer>\n"
    "    <outgoingServer type=\"smtp\">\n"
    "      <hostname>smtp.isp.example</hostname><port>587</port><socketType>STARTTLS</socketType>\n"
    "      <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>\n"
    "      <useGlobalPreferredServer>true</useGlobalPreferredServer>\n"
    "    </outgoingServer>\n"
    "    <enable visiturl=\"https://isp.example/enable\"><instruction>Turn on IMAP</instruction></enable>\n"
    "    <webMail><loginPage url=\"https://webmail.isp.example/\"/></webMail>\n"
    "  </emailProvider>\n"
    "  <oAuth2><issuer>isp.example</issuer><scope>mail</scope></oAuth2>\n"
    "</clientConfig>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = od_autoconfig_parse (document, strlen (document), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (od_provider_get_id (provider), ==, "isp.example");
  g_assert_cmpstr (od_provider_get_short_name (provider), ==, "ISP");
  g_assert_null (od_provider_get_documentation_url (provider));
  g_assert_null (od_provider_get_note (provider));
  g_assert_false (od_provider_get_needs_app_password (provider));
  g_assert_false (od_provider_get_oauth_only (provider));
  g_assert_cmpuint (g_strv_length ((char **) od_provider_get_mx_suffixes (provider)), ==, 0);
  g_assert_cmpuint (od_provider_get_outgoing_servers (provider)->len, ==, 1);
  g_assert_cmpuint (od_provider_get_incoming_servers (provider)->len, ==, 1);
}

/* Our facts count only in our namespace, whatever the prefix; another namespace (or an
 * undeclared prefix) using the same names is ignored. */
static void
test_namespaces (void)
{
  g_autofree char *server = smtp_server ("smtp.example.org", "465", "SSL");
  g_autofree char *body = g_strdup_printf ("%s"
                                           "<x:oauthOnly xmlns:x=\"https://outboxdoctor.org/ns/provider/1\"/>"
                                           "<od:appPassword xmlns:od=\"urn:someone-else\"/>"
                                           "<zz:noSmtp/>"
                                           "<appPassword/>"
                                           "<mxSuffix>ignored.example</mxSuffix>"
                                           "<od:mxSuffix>mx.example.org</od:mxSuffix>",
                                           server);
  g_autofree char *document = wrap (body);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = od_autoconfig_parse (document, -1, &error);
  const char * const *mx;

  g_assert_no_error (error);
  g_assert_true (od_provider_get_oauth_only (provider));
  g_assert_false (od_provider_get_needs_app_password (provider));
  g_assert_false (od_provider_get_no_smtp (provider));
  mx = od_provider_get_mx_suffixes (provider);
  g_assert_cmpuint (g_strv_length ((char **) mx), ==, 1);
  g_assert_cmpstr (mx[0], ==, "mx.example.org");
}

/* A default namespace on the root makes it something other than Mozilla's clientConfig. */
static void
test_foreign_default_namespace (void)
{
  assert_parse_error ("<clientConfig xmlns=\"urn:other\"><emailProvider id=\"a\"/></clientConfig>",
                      -1, OD_AUTOCONFIG_ERROR_INVALID);
}

static void
test_unknown_elements (void)
{
  g_autofree char *server = g_strdup ("<outgoingServer type=\"smtp\">"
                                      "<hostname>smtp.example.org</hostname>"
                                      "<future><hostname>evil.example</hostname></future>"
                                      "<port>587</port><socketType>STARTTLS</socketType>"
                                      "<newThing attr=\"1\">text</newThing>"
                                      "</outgoingServer>"
                                      "<surprise><outgoingServer type=\"smtp\"><hostname>x</hostname>"
                                      "</outgoingServer></surprise>");
  g_autofree char *document = wrap (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = od_autoconfig_parse (document, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (od_provider_get_outgoing_servers (provider)->len, ==, 1);
  g_assert_cmpstr (outgoing (provider, 0)->hostname, ==, "smtp.example.org");
  g_assert_null (outgoing (provider, 0)->username);
}

static void
test_second_provider_ignored (void)
{
  const char *document =
    "<clientConfig version=\"1.1\">"
    "<emailProvider id=\"first.example\"><domain>first.example</domain>"
    "<outgoingServer type=\"smtp\"><hostname>smtp.first.example</hostname><port>465</port>"
    "<socketType>SSL</socketType></outgoingServer></emailProvider>"
    "<emailProvider id=\"second.example\"><domain>second.example</domain>"
    "<outgoingServer type=\"smtp\"><hostname>smtp.second.example</hostname><port>465</port>"
    "<socketType>SSL</socketType></outgoingServer></emailProvider>"
    "</clientConfig>";
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = od_autoconfig_parse (document, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (od_provider_get_id (provider), ==, "first.example");
  g_assert_cmpuint (g_strv_length ((char **) od_provider_get_domains (provider)), ==, 1);
  g_assert_cmpuint (od_provider_get_outgoing_servers (provider)->len, ==, 1);
}

static void
test_id_from_domain (void)
{
  const char *document =
    "<clientConfig><emailProvider><domain>Only.Example</domain>"
    "<outgoingServer type=\"smtp\"><hostname>smtp.only.example</hostname><port>465</port>"
    "<socketType>ssl</socketType></outgoingServer></emailProvider></clientConfig>";
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = od_autoconfig_parse (document, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (od_provider_get_id (provider), ==, "only.example");
  g_assert_cmpstr (od_provider_get_display_name (provider), ==, "only.example");
  g_assert_cmpint (outgoing (provider, 0)->security, ==, OD_SECURITY_TLS);

  assert_parse_error ("<clientConfig><emailProvider><outgoingServer type=\"smtp\">"
                      "<hostname>smtp.x.example</hostname><port>465</port><socketType>SSL</socketType>"
                      "</outgoingServer></emailProvider></clientConfig>",
                      -1, OD_AUTOCONFIG_ERROR_INVALID);
}

static void
test_idn_domain (void)
{
  g_autofree char *server = smtp_server ("smtp.bücher.example", "465", "SSL");
  g_autofree char *body = g_strdup_printf ("<domain>Bücher.example</domain>%s", server);
  g_autofree char *document = wrap (body);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = od_autoconfig_parse (document, -1, &error);

  g_assert_no_error (error);
  g_assert_true (od_provider_has_domain (provider, "xn--bcher-kva.example"));
  g_assert_cmpstr (outgoing (provider, 0)->hostname, ==, "smtp.xn--bcher-kva.example");
}

static void
test_entities (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = NULL;
  g_autofree char *builtin = NULL;
  g_autofree char *custom = NULL;
  g_autofree char *laughs = NULL;
  g_autofree char *external = NULL;

  /* The XML built-ins and character references are fine. */
  builtin = wrap ("<displayName>Tom &amp; Jerry&#x27;s &lt;Mail&gt;</displayName>"
                  "<outgoingServer type=\"smtp\"><hostname>smtp&#46;example.org</hostname>"
                  "<port>&#52;65</port><socketType>SSL</socketType></outgoingServer>");
  provider = od_autoconfig_parse (builtin, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (od_provider_get_display_name (provider), ==, "Tom & Jerry's <Mail>");
  g_assert_cmpstr (outgoing (provider, 0)->hostname, ==, "smtp.example.org");
  g_assert_cmpuint (outgoing (provider, 0)->port, ==, 465);

  /* Declared entities are never expanded: no billion laughs, no external files. */
  custom = g_strdup ("<!DOCTYPE clientConfig [<!ENTITY host \"smtp.example.org\">]>"
                     "<clientConfig><emailProvider id=\"e\"><outgoingServer type=\"smtp\">"
                     "<hostname>&host;</hostname><port>465</port><socketType>SSL</socketType>"
                     "</outgoingServer></emailProvider></clientConfig>");
  assert_parse_error (custom, -1, OD_AUTOCONFIG_ERROR_INVALID);

  laughs = g_strdup ("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                     "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                     "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
                     "<clientConfig><emailProvider id=\"e\"><displayName>&lol3;</displayName>"
                     "</emailProvider></clientConfig>");
  assert_parse_error (laughs, -1, OD_AUTOCONFIG_ERROR_INVALID);

  external = g_strdup ("<!DOCTYPE c [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                       "<clientConfig><emailProvider id=\"e\"><displayName>&xxe;</displayName>"
                       "</emailProvider></clientConfig>");
  assert_parse_error (external, -1, OD_AUTOCONFIG_ERROR_INVALID);

  /* An unknown entity in an element we ignore still makes the document invalid XML. */
  assert_parse_error ("<clientConfig><x>&nbsp;</x></clientConfig>", -1, OD_AUTOCONFIG_ERROR_INVALID);
}

/* Values from the network are checked where they enter: a user name with control
 * characters (ESC, BEL, CR, LF as character references) is refused with a message; names
 * shown to people lose control and invisible characters. */
static void
test_hostile_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = NULL;
  g_autofree char *username = NULL;
  g_autofree char *bidi_username = NULL;
  g_autofree char *bad_host = NULL;
  g_autofree char *names = NULL;

  username = wrap ("<outgoingServer type=\"smtp\"><hostname>smtp.example.org</hostname>"
                   "<port>465</port><socketType>SSL</socketType>"
                   "<username>&#x1b;]0;pwned&#x7;&#xd;&#xa;alice</username>"
                   "</outgoingServer>");
  provider = od_autoconfig_parse (username, -1, &error);
  g_assert_null (provider);
  g_assert_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "user name"));
  g_assert_null (strchr (error->message, '\x1b'));
  g_clear_error (&error);

  bidi_username = wrap ("<outgoingServer type=\"smtp\"><hostname>smtp.example.org</hostname>"
                        "<port>465</port><socketType>SSL</socketType>"
                        "<username>alice&#x202e;moc.elpmaxe</username></outgoingServer>");
  assert_parse_error (bidi_username, -1, OD_AUTOCONFIG_ERROR_INVALID);

  /* A bad host name is quoted in the error without its control characters. */
  bad_host = wrap ("<outgoingServer type=\"smtp\"><hostname>a&#x1b;[2J</hostname><port>465"
                   "</port><socketType>SSL</socketType></outgoingServer>");
  provider = od_autoconfig_parse (bad_host, -1, &error);
  g_assert_null (provider);
  g_assert_nonnull (error);
  g_assert_null (strchr (error->message, '\x1b'));
  g_clear_error (&error);

  names = wrap ("<displayName>Evil&#x1b;[2J &#x202e;Mail</displayName>"
                "<outgoingServer type=\"smtp\"><hostname>smtp.example.org</hostname>"
                "<port>465</port><socketType>SSL</socketType></outgoingServer>");
  provider = od_autoconfig_parse (names, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (od_provider_get_display_name (provider), ==, "Evil?[2J \\u202EMail");
}

static void
test_malformed (void)
{
  g_autofree char *good = NULL;
  g_autofree char *server = smtp_server ("smtp.example.org", "465", "SSL");
  const char *cases[] = {
    "",
    "   \n",
    "not xml at all",
    "<clientConfig>",
    "<clientConfig><emailProvider id=\"a\"></clientConfig>",
    "<clientConfig><emailProvider id=\"a></emailProvider></clientConfig>",
    "<clientConfig></clientConfig><clientConfig></clientConfig>",
    "<clientConfig attr=\"1\" attr=\"2\"/>",
    "{\"clientConfig\": true}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_parse_error (cases[i], -1, OD_AUTOCONFIG_ERROR_INVALID);

  /* Every truncation of a valid document fails cleanly. */
  good = wrap (server);
  for (gsize len = 0; len < strlen (good) - 2; len++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OdProvider) provider = od_autoconfig_parse (good, len, &error);

      g_assert_null (provider);
      g_assert_nonnull (error);
      g_assert_true (error->domain == OD_AUTOCONFIG_ERROR);
    }

  /* Invalid UTF-8 and an embedded NUL byte. */
  assert_parse_error ("<clientConfig><emailProvider id=\"\xff\xfe\"/></clientConfig>", -1,
                      OD_AUTOCONFIG_ERROR_INVALID);
  assert_parse_error ("<clientConfig>\0<emailProvider/></clientConfig>", 40,
                      OD_AUTOCONFIG_ERROR_INVALID);
}

static void
test_bom (void)
{
  g_autofree char *server = smtp_server ("smtp.example.org", "465", "SSL");
  g_autofree char *inner = wrap (server);
  g_autofree char *document = g_strconcat ("\xef\xbb\xbf", inner, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = od_autoconfig_parse (document, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (provider);
}

static void
test_not_client_config (void)
{
  assert_parse_error ("<html><body>404 Not Found</body></html>", -1, OD_AUTOCONFIG_ERROR_INVALID);
  assert_parse_error ("<?xml version=\"1.0\"?><Autodiscover xmlns=\"http://schemas.microsoft.com/"
                      "exchange/autodiscover/responseschema/2006\"/>", -1, OD_AUTOCONFIG_ERROR_INVALID);
  assert_parse_error ("<od:clientConfig " OD_NS "/>", -1, OD_AUTOCONFIG_ERROR_INVALID);
  /* clientConfig without any emailProvider */
  assert_parse_error ("<clientConfig version=\"1.1\"/>", -1, OD_AUTOCONFIG_ERROR_INVALID);
  /* emailProvider not directly under clientConfig */
  assert_parse_error ("<clientConfig><x><emailProvider id=\"a\"/></x></clientConfig>", -1,
                      OD_AUTOCONFIG_ERROR_INVALID);
}

static void
test_no_outgoing (void)
{
  g_autofree char *incoming_only = wrap ("<incomingServer type=\"imap\"><hostname>imap.example.org"
                                         "</hostname><port>993</port><socketType>SSL</socketType>"
                                         "</incomingServer>");
  g_autofree char *other_type = wrap ("<outgoingServer type=\"ews\"><hostname>ews.example.org"
                                      "</hostname><port>443</port><socketType>SSL</socketType>"
                                      "</outgoingServer>");
  g_autofree char *no_smtp = wrap ("<od:noSmtp/>");
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = NULL;

  assert_parse_error (incoming_only, -1, OD_AUTOCONFIG_ERROR_NO_OUTGOING);
  assert_parse_error (other_type, -1, OD_AUTOCONFIG_ERROR_NO_OUTGOING);

  /* From the network, claiming "no SMTP" changes nothing … */
  assert_parse_error (no_smtp, -1, OD_AUTOCONFIG_ERROR_NO_OUTGOING);

  /* … only our own files may describe a provider without SMTP. */
  provider = od_autoconfig_parse_full (no_smtp, -1, OD_AUTOCONFIG_PARSE_TRUSTED, &error);
  g_assert_no_error (error);
  g_assert_true (od_provider_get_no_smtp (provider));
  g_assert_cmpuint (od_provider_get_outgoing_servers (provider)->len, ==, 0);

  /* TRUSTED alone does not excuse a missing server. */
  g_assert_null (od_autoconfig_parse_full (incoming_only, -1, OD_AUTOCONFIG_PARSE_TRUSTED, &error));
  g_assert_error (error, OD_AUTOCONFIG_ERROR, OD_AUTOCONFIG_ERROR_NO_OUTGOING);
}

/* <od:oauth2> names where a provider signs people in: honoured only in our own database,
 * never from a document found on the network (it would send the sign-in elsewhere), and
 * only with https endpoints. */
static void
test_oauth2_trusted_only (void)
{
  g_autofree char *doc = wrap ("<outgoingServer type=\"smtp\"><hostname>smtp.example.org"
                               "</hostname><port>465</port><socketType>SSL</socketType>"
                               "</outgoingServer>"
                               "<od:oauth2 provider=\"google\" authorize=\"https://a.example/auth\" "
                               "token=\"https://a.example/token\" scope=\"s1 s2\"/>");
  g_autofree char *plain = wrap ("<outgoingServer type=\"smtp\"><hostname>smtp.example.org"
                                 "</hostname><port>465</port><socketType>SSL</socketType>"
                                 "</outgoingServer>"
                                 "<od:oauth2 provider=\"google\" authorize=\"http://a.example/auth\" "
                                 "token=\"https://a.example/token\" scope=\"s1\"/>");
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) network = od_autoconfig_parse (doc, -1, &error);
  g_autoptr(OdProvider) ours = NULL;
  g_autoptr(OdProvider) insecure = NULL;

  g_assert_no_error (error);
  g_assert_null (od_provider_get_oauth2 (network));

  ours = od_autoconfig_parse_full (doc, -1, OD_AUTOCONFIG_PARSE_TRUSTED, &error);
  g_assert_no_error (error);
  g_assert_nonnull (od_provider_get_oauth2 (ours));
  g_assert_cmpstr (od_provider_get_oauth2 (ours)->token_endpoint, ==, "https://a.example/token");
  g_assert_cmpstr (od_provider_get_oauth2 (ours)->scopes[1], ==, "s2");

  insecure = od_autoconfig_parse_full (plain, -1, OD_AUTOCONFIG_PARSE_TRUSTED, &error);
  g_assert_no_error (error);
  g_assert_null (od_provider_get_oauth2 (insecure));
}

static void
test_bad_ports (void)
{
  const char *ports[] = { "0", "70000", "65536", "-25", "smtp", "", "5 87", "0x1d1", "587abc",
                          "99999999999999999999999" };

  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    {
      g_autofree char *server = smtp_server ("smtp.example.org", ports[i], "SSL");
      g_autofree char *document = wrap (server);

      assert_parse_error (document, -1, OD_AUTOCONFIG_ERROR_INVALID);
    }

  /* Whitespace around a number is fine; the edges of the range are accepted. */
  {
    g_autofree char *low = smtp_server ("smtp.example.org", " 1\n", "SSL");
    g_autofree char *high = smtp_server ("smtp.example.org", "65535", "SSL");
    g_autofree char *body = g_strconcat (low, high, NULL);
    g_autofree char *document = wrap (body);
    g_autoptr(GError) error = NULL;
    g_autoptr(OdProvider) provider = od_autoconfig_parse (document, -1, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (outgoing (provider, 0)->port, ==, 1);
    g_assert_cmpuint (outgoing (provider, 1)->port, ==, 65535);
  }
}

static void
test_bad_values (void)
{
  const char *bodies[] = {
    /* unknown socketType */
    "<outgoingServer type=\"smtp\"><hostname>a.example</hostname><port>465</port>"
    "<socketType>TLS1.3</socketType></outgoingServer>",
    /* missing port, socketType, hostname */
    "<outgoingServer type=\"smtp\"><hostname>a.example</hostname><socketType>SSL</socketType>"
    "</outgoingServer>",
    "<outgoingServer type=\"smtp\"><hostname>a.example</hostname><port>465</port></outgoingServer>",
    "<outgoingServer type=\"smtp\"><port>465</port><socketType>SSL</socketType></outgoingServer>",
    /* host names that are not host names */
    "<outgoingServer type=\"smtp\"><hostname>smtp example.org</hostname><port>465</port>"
    "<socketType>SSL</socketType></outgoingServer>",
    "<outgoingServer type=\"smtp\"><hostname>smtp.example.org;rm -rf</hostname><port>465</port>"
    "<socketType>SSL</socketType></outgoingServer>",
    "<outgoingServer type=\"smtp\"><hostname>a..b</hostname><port>465</port>"
    "<socketType>SSL</socketType></outgoingServer>",
    "<outgoingServer type=\"smtp\"><hostname></hostname><port>465</port>"
    "<socketType>SSL</socketType></outgoingServer>",
    /* a bad domain */
    "<domain>exa mple.org</domain>",
    "<domain>%EMAILDOMAIN%</domain>",
    /* a bad MX suffix */
    "<od:mxSuffix>com</od:mxSuffix>",
    /* a bad server among good ones still spoils the document */
    "<outgoingServer type=\"smtp\"><hostname>ok.example</hostname><port>465</port>"
    "<socketType>SSL</socketType></outgoingServer>"
    "<outgoingServer type=\"smtp\"><hostname>ok.example</hostname><port>0</port>"
    "<socketType>SSL</socketType></outgoingServer>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *document = wrap (bodies[i]);

      g_test_message ("case %u", i);
      assert_parse_error (document, -1, OD_AUTOCONFIG_ERROR_INVALID);
    }
}

static void
test_ip_literal_and_documentation (void)
{
  g_autofree char *server = smtp_server ("127.0.0.1", "1025", "STARTTLS");
  g_autofree char *body = g_strdup_printf ("%s<documentation url=\"javascript:alert(1)\"/>"
                                           "<documentation url=\"https://ok.example/a b\"/>"
                                           "<documentation url=\"https://ok.example/\"/>", server);
  g_autofree char *document = wrap (body);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = od_autoconfig_parse (document, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (outgoing (provider, 0)->hostname, ==, "127.0.0.1");
  g_assert_cmpstr (od_provider_get_documentation_url (provider), ==, "https://ok.example/");
}

static void
test_oversized (void)
{
  g_autofree char *server = smtp_server ("smtp.example.org", "465", "SSL");
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = NULL;
  g_autofree char *filler = g_strnfill (1000, 'x');

  /* Just under the limit parses (the filler is in elements we ignore) … */
  g_string_append (big, "<clientConfig><emailProvider id=\"big.example\">");
  g_string_append (big, server);
  while (big->len < OD_AUTOCONFIG_MAX_DOCUMENT_SIZE - 2000)
    g_string_append_printf (big, "<pad>%s</pad>", filler);
  g_string_append (big, "</emailProvider></clientConfig>");
  g_assert_cmpuint (big->len, <=, OD_AUTOCONFIG_MAX_DOCUMENT_SIZE);
  provider = od_autoconfig_parse (big->str, big->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (provider);

  /* … one byte over is refused before parsing, whatever the content. */
  while (big->len <= OD_AUTOCONFIG_MAX_DOCUMENT_SIZE)
    g_string_append_c (big, ' ');
  assert_parse_error (big->str, big->len, OD_AUTOCONFIG_ERROR_TOO_LARGE);
  assert_parse_error (big->str, -1, OD_AUTOCONFIG_ERROR_TOO_LARGE);
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) ok = g_string_new ("<clientConfig><emailProvider id=\"e\">");
  g_autoptr(GString) deep = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = NULL;
  g_autofree char *server = smtp_server ("smtp.example.org", "465", "SSL");
  guint levels = OD_AUTOCONFIG_MAX_DEPTH - 2;

  /* Exactly the limit: clientConfig + emailProvider + 30 levels = 32. */
  for (guint i = 0; i < levels; i++)
    g_string_append (ok, "<n>");
  for (guint i = 0; i < levels; i++)
    g_string_append (ok, "</n>");
  g_string_append_printf (ok, "%s</emailProvider></clientConfig>", server);
  provider = od_autoconfig_parse (ok->str, ok->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (provider);

  /* One level more fails, and so does a very deep document (no recursion to overflow). */
  g_string_replace (ok, "<n>", "<n><n>", 1);
  g_string_replace (ok, "</n>", "</n></n>", 1);
  assert_parse_error (ok->str, ok->len, OD_AUTOCONFIG_ERROR_INVALID);

  deep = g_string_new ("<clientConfig>");
  for (guint i = 0; i < 20000; i++)
    g_string_append (deep, "<a>");
  assert_parse_error (deep->str, deep->len, OD_AUTOCONFIG_ERROR_INVALID);
}

static void
test_huge_strings (void)
{
  g_autofree char *long_host = g_strnfill (OD_AUTOCONFIG_MAX_STRING + 1, 'a');
  g_autofree char *long_attr = g_strnfill (OD_AUTOCONFIG_MAX_STRING + 1, 'b');
  g_autofree char *max_note = g_strnfill (OD_AUTOCONFIG_MAX_STRING, 'c');
  g_autofree char *server = smtp_server (long_host, "465", "SSL");
  g_autofree char *good_server = smtp_server ("smtp.example.org", "465", "SSL");
  g_autofree char *doc_host = wrap (server);
  g_autofree char *body_attr = g_strdup_printf ("%s<whatever x=\"%s\"/>", good_server, long_attr);
  g_autofree char *doc_attr = wrap (body_attr);
  g_autofree char *body_note = g_strdup_printf ("%s<od:note>%s</od:note>", good_server, max_note);
  g_autofree char *doc_note = wrap (body_note);
  g_autofree char *body_note2 = g_strdup_printf ("%s<od:note>%s!</od:note>", good_server, max_note);
  g_autofree char *doc_note2 = wrap (body_note2);
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = NULL;

  assert_parse_error (doc_host, -1, OD_AUTOCONFIG_ERROR_INVALID);
  assert_parse_error (doc_attr, -1, OD_AUTOCONFIG_ERROR_INVALID);
  assert_parse_error (doc_note2, -1, OD_AUTOCONFIG_ERROR_INVALID);

  provider = od_autoconfig_parse (doc_note, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (od_provider_get_note (provider)), ==, OD_AUTOCONFIG_MAX_STRING);
}

static void
test_too_many_servers (void)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *server = smtp_server ("smtp.example.org", "465", "SSL");
  g_autofree char *document = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OdProvider) provider = NULL;

  for (guint i = 0; i < OD_AUTOCONFIG_MAX_SERVERS; i++)
    g_string_append (body, server);
  document = wrap (body->str);
  provider = od_autoconfig_parse (document, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (od_provider_get_outgoing_servers (provider)->len, ==, OD_AUTOCONFIG_MAX_SERVERS);

  /* Ignored server types count too: the limit is on work, not on what we keep. */
  g_string_append (body, "<incomingServer type=\"exchange\"/>");
  g_clear_pointer (&document, g_free);
  document = wrap (body->str);
  assert_parse_error (document, -1, OD_AUTOCONFIG_ERROR_INVALID);
}

static void
test_boxed_copy (void)
{
  g_autofree char *server = smtp_server ("smtp.example.org", "587", "STARTTLS");
  g_autofree char *document = wrap (server);
  g_autoptr(OdProvider) provider = od_autoconfig_parse (document, -1, NULL);
  g_autoptr(OdServerConfig) copy = NULL;
  OdProvider *ref;

  g_assert_nonnull (provider);
  copy = g_boxed_copy (OD_TYPE_SERVER_CONFIG, outgoing (provider, 0));
  g_assert_cmpstr (copy->hostname, ==, "smtp.example.org");
  g_assert_cmpuint (copy->port, ==, 587);
  g_assert_cmpint (copy->security, ==, OD_SECURITY_STARTTLS);
  g_assert_cmpstr (copy->authentication[0], ==, "password-cleartext");
  g_assert_true (copy->hostname != outgoing (provider, 0)->hostname);

  ref = g_boxed_copy (OD_TYPE_PROVIDER, provider);
  g_assert_true (ref == provider);
  g_boxed_free (OD_TYPE_PROVIDER, ref);
}

/* Random bytes and random mutations of a valid document: an error or a provider, never a
 * crash (run under valgrind/ASan by the fuzz set-up for more). */
static void
test_mutations (void)
{
  g_autofree char *server = smtp_server ("smtp.example.org", "465", "SSL");
  g_autofree char *good = wrap (server);
  gsize len = strlen (good);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  const char alphabet[] = "<>/=\"&;#x %:\n\0aZ9\xc3\xff";

  for (guint round = 0; round < 3000; round++)
    {
      g_autofree char *doc = g_memdup2 (good, len);
      g_autoptr(GError) error = NULL;
      g_autoptr(OdProvider) provider = NULL;
      guint n = g_rand_int_range (rand, 1, 6);

      for (guint i = 0; i < n; i++)
        doc[g_rand_int_range (rand, 0, len)] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

      provider = od_autoconfig_parse (doc, len, &error);
      g_assert_true ((provider == NULL) != (error == NULL));
      if (error != NULL)
        g_assert_true (error->domain == OD_AUTOCONFIG_ERROR);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/od/autoconfig/full-document", test_full_document);
  g_test_add_func ("/od/autoconfig/username-templates", test_username_templates);
  g_test_add_func ("/od/autoconfig/hostname-placeholder", test_hostname_placeholder);
  g_test_add_func ("/od/autoconfig/mozilla-document", test_mozilla_document);
  g_test_add_func ("/od/autoconfig/namespaces", test_namespaces);
  g_test_add_func ("/od/autoconfig/foreign-default-namespace", test_foreign_default_namespace);
  g_test_add_func ("/od/autoconfig/unknown-elements", test_unknown_elements);
  g_test_add_func ("/od/autoconfig/second-provider-ignored", test_second_provider_ignored);
  g_test_add_func ("/od/autoconfig/id-from-domain", test_id_from_domain);
  g_test_add_func ("/od/autoconfig/idn-domain", test_idn_domain);
  g_test_add_func ("/od/autoconfig/entities", test_entities);
  g_test_add_func ("/od/autoconfig/malformed", test_malformed);
  g_test_add_func ("/od/autoconfig/hostile-values", test_hostile_values);
  g_test_add_func ("/od/autoconfig/bom", test_bom);
  g_test_add_func ("/od/autoconfig/not-client-config", test_not_client_config);
  g_test_add_func ("/od/autoconfig/no-outgoing", test_no_outgoing);
  g_test_add_func ("/od/autoconfig/bad-ports", test_bad_ports);
  g_test_add_func ("/od/autoconfig/bad-values", test_bad_values);
  g_test_add_func ("/od/autoconfig/ip-literal-and-documentation", test_ip_literal_and_documentation);
  g_test_add_func ("/od/autoconfig/oversized", test_oversized);
  g_test_add_func ("/od/autoconfig/deep-nesting", test_deep_nesting);
  g_test_add_func ("/od/autoconfig/huge-strings", test_huge_strings);
  g_test_add_func ("/od/autoconfig/too-many-servers", test_too_many_servers);
  g_test_add_func ("/od/autoconfig/boxed-copy", test_boxed_copy);
  g_test_add_func ("/od/autoconfig/oauth2-trusted-only", test_oauth2_trusted_only);
  g_test_add_func ("/od/autoconfig/mutations", test_mutations);

  return g_test_run ();
}
