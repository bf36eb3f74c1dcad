#!/bin/bash
# End-to-end discovery test: "outbox-doctor-cli detect --json" inside a network namespace
# this test creates, with a real DNS server (dnsmasq), iptables rules and real servers
# (the Postfix lab, our fake SMTP server, an HTTPS autoconfig server). Output: TAP.
#
#   test-detect-e2e.sh SCENARIO
#
# Scenarios, each in a namespace of its own. Where a server is to be found there is no
# default route, so GNetworkMonitor says "no network" and detection must work anyway;
# (e) and (f) have one ("ip route add default dev lo"), as a network with a firewall would:
#   provider-db      a domain of the compiled-in provider database (posteo.de: posteo.de on
#                    465 implicit TLS and 587 STARTTLS); the namespace's dnsmasq alone answers
#                    posteo.de, with 127.1.0.80, where fake servers present a certificate
#                    for it from the test CA: best posteo.de:465 from the provider-db source
#   srv              (a) SRV _submissions/_submission → relay.srv.test, a real Postfix on
#                    465 and 587: best 465 implicit TLS, from the srv source
#   autoconfig       (b) only https://autoconfig.auto.test/mail/config-v1.1.xml names the
#                    server (out.autohost.test:465): best from autoconfig, with its user
#                    name template; no http:// request carries the address
#   guess            (c) only smtp.guess.test answers, on 587 with STARTTLS: best from guess
#   guess-online     (c) with "ip route add default dev lo": the monitor says online
#   drop-465         (d) 465 silently dropped, 587 open: best 587, in well under the 4 s
#                    first-pass connect deadline
#   only-25-dropped  (e) only port 25 exists and it is dropped: no best, port-blocked,
#                    within about 5 s (and 465, 587, 2525 refused)
#   all-dropped      (f) every TCP port of every host dropped, autoconfig included:
#                    port-blocked within about 5 s
#   all-dropped-offline  (f) without a default route: the monitor says "no network", but
#                    DNS answered and the servers are routed, so it is still port-blocked
#   bad-cert         (g) self-signed certificate on 465, plain text (no STARTTLS) on 587:
#                    neither is chosen; 465 is a tls-error with the certificate's details
#
# Environment: the tools named in e2e-lib.sh (meson sets them); OD_TEST_OUTPUT_DIR keeps
# each run's JSON, stderr and server logs (default: a temporary directory, removed when
# everything passed); E2E_KEEP=1 keeps the work directory too.
# Skipped (TAP "1..0 # SKIP") when not root or when network namespaces are unavailable.

# shellcheck disable=SC2317  # functions called through variables and traps
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/e2e-lib.sh
. "$HERE/e2e-lib.sh"

SCENARIO=${1:-}
ADDRESS=

# Limits, in ms of wall-clock time for the whole CLI run (process start to exit).
FAST_MS=4000      # a working domain: nothing may wait for a connect deadline
DROP_465_MS=2500  # (d): well under the 4 s first-pass deadline
BLOCKED_MS=5500   # (e), (f): "port-blocked within about 5 s", plus process overhead
CEILING_MS=15000  # the hard ceiling of the whole detection

if ! reason=$(e2e_can_run); then
  echo "1..0 # SKIP $reason"
  exit 0
fi
: "${OD_CLI:?OD_CLI is not set}" "${OD_E2E_MAKE_CERTS:?}" "${OD_E2E_AUTOCONFIG_SERVER:?}"
: "${OD_FAKE_SMTP_SERVER:?}" "${OD_LAB_SCRIPT:?}" "${OD_E2E_NETMON:?}" "${OD_FAKE_INCOMING_SERVER:?}"
for tool in "$OD_CLI" "$OD_E2E_MAKE_CERTS" "$OD_E2E_AUTOCONFIG_SERVER" "$OD_FAKE_SMTP_SERVER" \
            "$OD_FAKE_INCOMING_SERVER" \
            "$OD_LAB_SCRIPT" "$OD_E2E_NETMON"; do
  if [ ! -x "$tool" ]; then
    echo "Bail out! $tool is not an executable (build everything first)"
    exit 1
  fi
done

e2e_tap_start "$SCENARIO"

# run NAME — run detect for $ADDRESS; one TAP point for the run itself.
run() {
  e2e_run "$1" detect "$ADDRESS"
}

# The checks every run must pass.
expect_common() {
  local name=$1
  expect "$name" "schema 1, the address and its domain, within the 15 s ceiling" \
    "j['schema'] == 1" \
    "j['address'] == '$ADDRESS'" \
    "j['domain'] == '${ADDRESS#*@}'" \
    "0 <= j['elapsed_ms'] <= $CEILING_MS" \
    "wall_ms <= $CEILING_MS" \
    "isinstance(j['sources'], list) and isinstance(j['candidates'], list)"
  expect "$name" "no plain-text candidate is ever chosen" \
    "best is None or best['security'] in ('tls', 'starttls')"
}

expect_found() {
  local name=$1
  expect "$name" "found a server: exit 0, no error among the problems" \
    "$E2E_RC == 0" \
    "best is not None" \
    "not [p for p in j['problems'] if p.get('severity') == 'error']"
  expect "$name" "the monitor's 'no network' did not stop or spoil it" \
    "'network-offline' not in problem_ids and 'captive-portal' not in problem_ids"
}

# All the names the certificates must cover, in every scenario (one CA per run).
CERT_NAMES=(relay.srv.test autoconfig.auto.test auto.test out.autohost.test imap.autohost.test smtp.guess.test
            mail.drop.test smtp.p25.test smtp.dropall.test smtp.badcert.test posteo.de)

# setup [online] — the namespace and the CA; then a TAP point that GNetworkMonitor in it
# says "no network" (or, with "online" and a default route, full connectivity).
setup() {
  local expected="network-available=false connectivity=local"
  e2e_setup || bail "could not create the namespace"
  if [ "${1:-}" = online ]; then
    e2e_default_route || bail "ip route add default dev lo failed"
    expected="network-available=true connectivity=full"
  fi
  e2e_certs "${CERT_NAMES[@]}" || bail "could not make the certificates"
  echo "# namespace $E2E_NS, work directory $E2E_WORK"
  e2e_expect_monitor "$expected"
}

# A provider from the database: no fetch and no DNS record tells where its server is.
# posteo.de resolves only inside the namespace (dnsmasq has no upstream server and the
# namespace no route out), to our fake servers: nothing reaches the real provider.
scenario_provider_db() {
  ADDRESS=tester@posteo.de
  setup
  # --local: every other name under posteo.de (autoconfig., smtp., mail., SRV, MX) is
  # NXDOMAIN at once.
  e2e_dns --host-record=posteo.de,127.1.0.80 --local=/posteo.de/ || bail "dnsmasq"
  e2e_fake_smtp tls address=127.1.0.80 port=465 implicit-tls=true cert=e2e ||
    bail "the SMTP server on 465 did not start"
  e2e_fake_smtp submission address=127.1.0.80 port=587 cert=e2e ||
    bail "the SMTP server on 587 did not start"
  e2e_fake_incoming imap imap 127.1.0.80 993 --implicit-tls ||
    bail "the IMAP server on 993 did not start"

  run provider-db
  expect_common provider-db
  expect_found provider-db
  expect provider-db "best is posteo.de:465 implicit TLS, from the provider database" \
    "best['host'] == 'posteo.de' and best['port'] == 465" \
    "best['security'] == 'tls'" \
    "best_source() == 'provider-db'" \
    "source('provider-db').get('status') == 'found'" \
    "'Posteo' in source('provider-db').get('detail', '')" \
    "j['provider'] is not None and j['provider']['id'] == 'posteo.de'"
  expect provider-db "the certificate for posteo.de from the test CA was verified" \
    "status(cand('posteo.de', 465)) == 'ok'" \
    "tls(cand('posteo.de', 465)).get('verified') is True" \
    "'posteo.de' in tls(cand('posteo.de', 465)).get('names', [])"
  expect provider-db "the guess of the same host and port became the database's candidate" \
    "len(cands_for('posteo.de', 465)) == 1" \
    "cand('posteo.de', 465)['source'] == 'provider-db'" \
    "cand('posteo.de', 587)['source'] == 'provider-db'"
  expect provider-db "user name and incoming server from the database, probed" \
    "best['username'] == '$ADDRESS'" \
    "incoming is not None and incoming['host'] == 'posteo.de'" \
    "incoming['port'] == 993 and incoming['protocol'] == 'imap'" \
    "incoming['source'] == 'provider-db' and incoming['trusted'] is True" \
    "status(in_cand('posteo.de', 993)) == 'ok'" \
    "'PLAIN' in incoming['auth_mechanisms']"
  expect provider-db "fast: no wait for any deadline (< $FAST_MS ms)" "wall_ms < $FAST_MS"
}

# (a) SRV records point at a real MTA (Postfix + Dovecot) on 465 and 587.
scenario_srv() {
  ADDRESS=tester@srv.test
  setup
  e2e_dns --host-record=relay.srv.test,127.0.0.1 \
    --srv-host=_submissions._tcp.srv.test,relay.srv.test,465,0,1 \
    --srv-host=_submission._tcp.srv.test,relay.srv.test,587,0,1 || bail "dnsmasq"
  if ! command -v postfix >/dev/null || ! command -v dovecot >/dev/null; then
    bail "postfix or dovecot is not installed (packages postfix, dovecot-core)"
  fi
  e2e_lab || bail "the Postfix lab did not start"

  run srv
  expect_common srv
  expect_found srv
  expect srv "best is Postfix's implicit TLS on 465, from the SRV records" \
    "best['host'] == 'relay.srv.test' and best['port'] == 465" \
    "best['security'] == 'tls'" \
    "best_source() == 'srv'" \
    "source('srv').get('status') == 'found'"
  expect srv "the 465 probe verified the certificate and saw Postfix's AUTH after TLS" \
    "status(cand('relay.srv.test', 465)) == 'ok'" \
    "tls(cand('relay.srv.test', 465)).get('verified') is True" \
    "'PLAIN' in best['auth_mechanisms'] and 'LOGIN' in best['auth_mechanisms']"
  # 587 ranks below 465: detection may finish before its probe does (then "skipped"). When
  # it finished, the probe did a real STARTTLS.
  expect srv "587 was probed with a real STARTTLS and works too (or was not waited for)" \
    "status(cand('relay.srv.test', 587)) in ('ok', 'skipped')" \
    "status(cand('relay.srv.test', 587)) == 'skipped' or cand('relay.srv.test', 587)['result']['starttls'] is True" \
    "cand('relay.srv.test', 587)['security'] == 'starttls'"
  expect srv "the user name is the address (RFC 6186)" \
    "best['username'] == '$ADDRESS'"
  expect srv "fast: no wait for any deadline (< $FAST_MS ms)" "wall_ms < $FAST_MS"
}

# (b) Only the domain's HTTPS autoconfig knows the server.
scenario_autoconfig() {
  ADDRESS=alice@auto.test
  setup
  e2e_dns --host-record=autoconfig.auto.test,127.1.0.20 \
    --host-record=out.autohost.test,127.1.0.21 \
    --host-record=imap.autohost.test,127.1.0.21 || bail "dnsmasq"
  cat >"$E2E_WORK/config-v1.1.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="auto.test">
    <domain>auto.test</domain>
    <displayName>Auto Test Mail</displayName>
    <displayShortName>Auto</displayShortName>
    <incomingServer type="imap">
      <hostname>imap.autohost.test</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>out.autohost.test</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
EOF
  # Plain HTTP is served too, so a request over http:// would show in the log.
  e2e_autoconfig 127.1.0.20 "$E2E_WORK/config-v1.1.xml" --http-port 80 ||
    bail "the autoconfig server did not start"
  e2e_fake_smtp out address=127.1.0.21 port=465 implicit-tls=true cert=e2e ||
    bail "the SMTP server did not start"
  e2e_fake_incoming imap imap 127.1.0.21 993 --implicit-tls ||
    bail "the IMAP server did not start"

  run autoconfig
  expect_common autoconfig
  expect_found autoconfig
  expect autoconfig "best is out.autohost.test:465 implicit TLS, from autoconfig" \
    "best['host'] == 'out.autohost.test' and best['port'] == 465" \
    "best['security'] == 'tls'" \
    "best_source() == 'autoconfig'" \
    "source('autoconfig').get('status') == 'found'" \
    "tls(cand('out.autohost.test', 465)).get('verified') is True"
  expect autoconfig "the user name comes from the document's %EMAILLOCALPART%" \
    "best['username'] == 'alice'"
  expect autoconfig "the incoming server from the document is probed and reported" \
    "incoming is not None and incoming['host'] == 'imap.autohost.test'" \
    "incoming['source'] == 'autoconfig' and incoming['username'] == 'alice'" \
    "status(in_cand('imap.autohost.test', 993)) == 'ok'"
  if grep -q '^https GET /mail/config-v1.1.xml.* 200$' "$E2E_WORK/autoconfig.log" 2>/dev/null
  then
    ok "autoconfig: the document was fetched over HTTPS"
  else
    not_ok "autoconfig: the document was fetched over HTTPS"
    diag <"$E2E_WORK/autoconfig.log" 2>/dev/null
  fi
  if grep -E '^http ' "$E2E_WORK/autoconfig.log" 2>/dev/null | grep -qiE 'alice|%40|@'; then
    not_ok "autoconfig: no http:// request carried the address"
    grep -E '^http ' "$E2E_WORK/autoconfig.log" | diag
  else
    ok "autoconfig: no http:// request carried the address"
  fi
  expect autoconfig "fast: no wait for any deadline (< $FAST_MS ms)" "wall_ms < $FAST_MS"
}

# (c) Nothing but smtp.<domain> on 587 with STARTTLS.
scenario_guess() {
  local name=$1
  ADDRESS=bob@guess.test
  if [ "$name" = guess-online ]; then setup online; else setup; fi
  e2e_dns --host-record=smtp.guess.test,127.1.0.30 || bail "dnsmasq"
  e2e_fake_smtp submission address=127.1.0.30 port=587 cert=e2e ||
    bail "the SMTP server did not start"

  run "$name"
  expect_common "$name"
  expect_found "$name"
  expect "$name" "best is smtp.guess.test:587 STARTTLS, from guessing" \
    "best['host'] == 'smtp.guess.test' and best['port'] == 587" \
    "best['security'] == 'starttls'" \
    "best_source() == 'guess'" \
    "status(cand('smtp.guess.test', 587)) == 'ok'" \
    "cand('smtp.guess.test', 587)['result']['starttls'] is True" \
    "'PLAIN' in best['auth_mechanisms']"
  expect "$name" "the other guessed ports were refused, not chosen" \
    "status(cand('smtp.guess.test', 465)) == 'refused'"
  expect "$name" "fast: no wait for any deadline (< $FAST_MS ms)" "wall_ms < $FAST_MS"
}

# (d) 465 silently dropped by the firewall, 587 open.
scenario_drop_465() {
  ADDRESS=carol@drop.test
  setup
  e2e_dns --host-record=mail.drop.test,127.1.0.40 \
    --srv-host=_submissions._tcp.drop.test,mail.drop.test,465,0,1 \
    --srv-host=_submission._tcp.drop.test,mail.drop.test,587,0,1 || bail "dnsmasq"
  e2e_fake_smtp tls address=127.1.0.40 port=465 implicit-tls=true cert=e2e ||
    bail "the SMTP server on 465 did not start"
  e2e_fake_smtp submission address=127.1.0.40 port=587 cert=e2e ||
    bail "the SMTP server on 587 did not start"
  e2e_ipt -A INPUT -d 127.1.0.40 -p tcp --dport 465 -j DROP || bail "iptables"

  run drop-465
  expect_common drop-465
  expect_found drop-465
  expect drop-465 "best is 587 STARTTLS; 465 did not answer" \
    "best['host'] == 'mail.drop.test' and best['port'] == 587" \
    "best['security'] == 'starttls'" \
    "all(status(c) != 'ok' for c in cands_for('mail.drop.test', 465))"
  expect drop-465 "did not wait for the dropped 465 (< $DROP_465_MS ms)" \
    "wall_ms < $DROP_465_MS"
}

# (e) Only port 25, and an internet provider's firewall drops it.
scenario_only_25() {
  ADDRESS=dave@p25.test
  # Online: on a machine without a network every failure is "network-offline" instead.
  setup online
  e2e_dns --host-record=smtp.p25.test,127.1.0.50 || bail "dnsmasq"
  e2e_fake_smtp mx address=127.1.0.50 port=25 cert=e2e || bail "the SMTP server did not start"
  e2e_ipt -A INPUT -d 127.1.0.50 -p tcp --dport 25 -j DROP || bail "iptables"

  run only-25-dropped
  expect_common only-25-dropped
  expect only-25-dropped "no best; the diagnosis is port-blocked; exit 1" \
    "best is None" \
    "'port-blocked' in problem_ids" \
    "$E2E_RC == 1"
  expect only-25-dropped "port 25 timed out, the other ports were refused" \
    "status(cand('smtp.p25.test', 25)) == 'timeout'" \
    "status(cand('smtp.p25.test', 587)) == 'refused'" \
    "status(cand('smtp.p25.test', 465)) == 'refused'"
  expect only-25-dropped "diagnosed within about 5 s (< $BLOCKED_MS ms)" \
    "wall_ms < $BLOCKED_MS"
}

# (f) Everything dropped: SMTP on every host and port, and the autoconfig web servers.
scenario_all_dropped() {
  local name=$1 online=online problem=port-blocked
  ADDRESS=erin@dropall.test
  # Without a default route the monitor says "no network", but the name server answered
  # and the servers are routed (loopback): evidence beats the monitor, and silence from a
  # routed address is still port-blocked (design.md, "Network step").
  if [ "$name" = all-dropped-offline ]; then
    online=
  fi
  setup $online
  e2e_dns --host-record=smtp.dropall.test,127.1.0.60 \
    --host-record=mail.dropall.test,127.1.0.60 \
    --host-record=dropall.test,127.1.0.60 \
    --host-record=autoconfig.dropall.test,127.1.0.60 \
    --srv-host=_submissions._tcp.dropall.test,smtp.dropall.test,465,0,1 \
    --srv-host=_submission._tcp.dropall.test,smtp.dropall.test,587,0,1 || bail "dnsmasq"
  e2e_ipt -A INPUT -d 127.1.0.60 -p tcp -j DROP || bail "iptables"

  run "$name"
  expect_common "$name"
  expect "$name" "no best; the diagnosis is $problem; exit 1" \
    "best is None" \
    "'$problem' in problem_ids" \
    "$E2E_RC == 1"
  expect "$name" "every probed candidate timed out, the autoconfig fetch too" \
    "len(cands) > 0" \
    "all(status(c) in ('timeout', 'skipped') for c in cands)" \
    "status(cand('smtp.dropall.test', 465)) == 'timeout'" \
    "source('autoconfig').get('status') != 'found'"
  expect "$name" "diagnosed within about 5 s (< $BLOCKED_MS ms)" \
    "wall_ms < $BLOCKED_MS"
}

# (g) A self-signed certificate on 465 and plain text without STARTTLS on 587.
scenario_bad_cert() {
  ADDRESS=frank@badcert.test
  setup
  e2e_dns --host-record=smtp.badcert.test,127.1.0.70 || bail "dnsmasq"
  e2e_fake_smtp tls address=127.1.0.70 port=465 implicit-tls=true cert=e2e-self-signed ||
    bail "the SMTP server on 465 did not start"
  e2e_fake_smtp plain address=127.1.0.70 port=587 \
    'capabilities-before-tls=SIZE 10240000\nAUTH PLAIN LOGIN\nENHANCEDSTATUSCODES\n8BITMIME' ||
    bail "the SMTP server on 587 did not start"

  run bad-cert
  expect_common bad-cert
  expect bad-cert "nothing is chosen: no best, exit 1" \
    "best is None" \
    "$E2E_RC == 1"
  expect bad-cert "465 is a TLS error with the certificate's details" \
    "status(cand('smtp.badcert.test', 465)) == 'tls-error'" \
    "tls(cand('smtp.badcert.test', 465)).get('verified') is False" \
    "'unknown-ca' in tls(cand('smtp.badcert.test', 465)).get('errors', [])" \
    "len(tls(cand('smtp.badcert.test', 465)).get('sha256') or '') >= 64" \
    "'smtp.badcert.test' in tls(cand('smtp.badcert.test', 465)).get('names', [])"
  expect bad-cert "the untrusted certificate is the reported problem" \
    "'tls-certificate-untrusted' in problem_ids"
  expect bad-cert "the plain-text 587 was seen but not chosen" \
    "cand('smtp.badcert.test', 587) != {}" \
    "cand('smtp.badcert.test', 587)['result']['starttls'] is False"
}

case $SCENARIO in
  provider-db) scenario_provider_db ;;
  srv) scenario_srv ;;
  autoconfig) scenario_autoconfig ;;
  guess|guess-online) scenario_guess "$SCENARIO" ;;
  drop-465) scenario_drop_465 ;;
  only-25-dropped) scenario_only_25 ;;
  all-dropped|all-dropped-offline) scenario_all_dropped "$SCENARIO" ;;
  bad-cert) scenario_bad_cert ;;
  *)
    echo "Bail out! unknown scenario '$SCENARIO'"
    exit 1
    ;;
esac

e2e_tap_end
