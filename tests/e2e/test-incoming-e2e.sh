#!/bin/bash
# End-to-end discovery of the INCOMING server: "outbox-doctor-cli detect --json" inside a
# network namespace this test creates, with dnsmasq, iptables, an HTTPS autoconfig server
# and fake IMAP and POP3 servers (tests/fake/fake-incoming-server.c). Output: TAP.
#
#   test-incoming-e2e.sh SCENARIO
#
#   srv         _imaps._tcp → imap.insrv.test:993 and _pop3s._tcp → pop.insrv.test:995, both
#               working: incoming is the IMAP server, from the srv source
#   autoconfig  only https://autoconfig.inauto.test/ names the incoming servers (IMAP on
#               box.inautohost.test:993, a name no guess knows, and POP3): incoming is that
#               IMAP server, from autoconfig, with the document's user name
#   guess       only imap.inguess.test answers, on 993: incoming from guessing
#   drop-993    imap.indrop.test: 993 silently dropped, 143 with STARTTLS open: incoming is
#               143 STARTTLS (a real STARTTLS), never plain text, without waiting for 993's
#               deadline
# Each has a submission server too (smtp.DOMAIN:465), so the outgoing side works as well.
#
# Environment and skipping as test-detect-e2e.sh.

# shellcheck disable=SC2317  # functions called through traps
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/e2e-lib.sh
. "$HERE/e2e-lib.sh"

SCENARIO=${1:-}
ADDRESS=
FAST_MS=4000      # nothing may wait for a connect deadline
DROP_993_MS=2500  # well under the 4 s first-pass deadline

if ! reason=$(e2e_can_run); then
  echo "1..0 # SKIP $reason"
  exit 0
fi
: "${OD_CLI:?OD_CLI is not set}" "${OD_E2E_MAKE_CERTS:?}" "${OD_E2E_AUTOCONFIG_SERVER:?}"
: "${OD_FAKE_SMTP_SERVER:?}" "${OD_FAKE_INCOMING_SERVER:?}" "${OD_E2E_NETMON:?}"
for tool in "$OD_CLI" "$OD_E2E_MAKE_CERTS" "$OD_E2E_AUTOCONFIG_SERVER" "$OD_FAKE_SMTP_SERVER" \
            "$OD_FAKE_INCOMING_SERVER" "$OD_E2E_NETMON"; do
  if [ ! -x "$tool" ]; then
    echo "Bail out! $tool is not an executable (build everything first)"
    exit 1
  fi
done

e2e_tap_start "incoming-$SCENARIO"

CERT_NAMES=(smtp.insrv.test imap.insrv.test pop.insrv.test autoconfig.inauto.test
            smtp.inauto.test box.inautohost.test pop.inautohost.test smtp.inguess.test
            imap.inguess.test smtp.indrop.test imap.indrop.test)

setup() {
  e2e_setup || bail "could not create the namespace"
  e2e_certs "${CERT_NAMES[@]}" || bail "could not make the certificates"
  echo "# namespace $E2E_NS, work directory $E2E_WORK"
}

# smtp DOMAIN IP — a submission server on smtp.DOMAIN:465 (the DNS record is the caller's).
smtp() {
  e2e_fake_smtp "smtp-$1" address="$2" port=465 implicit-tls=true cert=e2e ||
    bail "the SMTP server of $1 did not start"
}

# The checks every run must pass.
expect_common() {
  local name=$1
  expect "$name" "schema 1, outgoing found, incoming never plain text" \
    "j['schema'] == 1" \
    "$E2E_RC == 0 and best is not None" \
    "incoming is None or incoming['security'] in ('tls', 'starttls')" \
    "all(c['security'] != 'none' or status(c) == 'skipped' for c in in_cands)"
  expect "$name" "every source and candidate says its protocol; outgoing ones first" \
    "all(s.get('protocol') in ('smtp', 'imap', 'pop3') for s in j['sources'])" \
    "all(c.get('protocol') in ('smtp', 'imap', 'pop3') for c in j['candidates'])" \
    "[c.get('protocol') == 'smtp' for c in j['candidates']] == sorted([c.get('protocol') == 'smtp' for c in j['candidates']], reverse=True)" \
    "'incoming_unconfirmed' in j and 'unconfirmed' in j"
}

scenario_srv() {
  ADDRESS=ines@insrv.test
  setup
  e2e_dns --host-record=smtp.insrv.test,127.1.1.9 \
    --host-record=imap.insrv.test,127.1.1.10 --host-record=pop.insrv.test,127.1.1.11 \
    --srv-host=_imaps._tcp.insrv.test,imap.insrv.test,993,0,1 \
    --srv-host=_pop3s._tcp.insrv.test,pop.insrv.test,995,0,1 || bail "dnsmasq"
  smtp insrv.test 127.1.1.9
  e2e_fake_incoming imap imap 127.1.1.10 993 --implicit-tls || bail "IMAP server"
  e2e_fake_incoming pop3 pop3 127.1.1.11 995 --implicit-tls || bail "POP3 server"

  e2e_run srv detect "$ADDRESS"
  expect_common srv
  expect srv "incoming is the IMAP server the SRV record names, verified" \
    "incoming is not None and incoming['protocol'] == 'imap'" \
    "incoming['host'] == 'imap.insrv.test' and incoming['port'] == 993" \
    "incoming['security'] == 'tls' and incoming['source'] == 'srv'" \
    "incoming['trusted'] is True and incoming['username'] == '$ADDRESS'" \
    "in_source('srv', 'imap').get('status') == 'found'" \
    "tls(in_cand('imap.insrv.test', 993)).get('verified') is True"
  expect srv "the POP3 server of the SRV record was found, and ranked below IMAP" \
    "in_source('srv', 'pop3').get('status') == 'found'" \
    "status(in_cand('pop.insrv.test', 995)) in ('ok', 'skipped')"
  expect srv "fast (< $FAST_MS ms)" "wall_ms < $FAST_MS"
}

scenario_autoconfig() {
  ADDRESS=ida@inauto.test
  setup
  e2e_dns --host-record=autoconfig.inauto.test,127.1.1.20 \
    --host-record=smtp.inauto.test,127.1.1.21 \
    --host-record=box.inautohost.test,127.1.1.22 \
    --host-record=pop.inautohost.test,127.1.1.23 || bail "dnsmasq"
  cat >"$E2E_WORK/config-v1.1.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="inauto.test">
    <domain>inauto.test</domain>
    <displayName>Incoming Auto</displayName>
    <incomingServer type="pop3">
      <hostname>pop.inautohost.test</hostname>
      <port>995</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>box.inautohost.test</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILLOCALPART%</username>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.inauto.test</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
EOF
  e2e_autoconfig 127.1.1.20 "$E2E_WORK/config-v1.1.xml" || bail "the autoconfig server"
  smtp inauto.test 127.1.1.21
  e2e_fake_incoming imap imap 127.1.1.22 993 --implicit-tls || bail "IMAP server"
  e2e_fake_incoming pop3 pop3 127.1.1.23 995 --implicit-tls || bail "POP3 server"

  e2e_run autoconfig detect "$ADDRESS"
  expect_common autoconfig
  expect autoconfig "incoming is the document's IMAP server (listed after its POP3 one)" \
    "incoming is not None and incoming['protocol'] == 'imap'" \
    "incoming['host'] == 'box.inautohost.test' and incoming['port'] == 993" \
    "incoming['source'] == 'autoconfig' and incoming['trusted'] is True" \
    "incoming['username'] == 'ida'" \
    "in_source('autoconfig', 'imap').get('status') == 'found'" \
    "in_source('autoconfig', 'pop3').get('status') == 'found'"
  expect autoconfig "fast (< $FAST_MS ms)" "wall_ms < $FAST_MS"
}

scenario_guess() {
  ADDRESS=gus@inguess.test
  setup
  e2e_dns --host-record=smtp.inguess.test,127.1.1.30 \
    --host-record=imap.inguess.test,127.1.1.31 || bail "dnsmasq"
  smtp inguess.test 127.1.1.30
  e2e_fake_incoming imap imap 127.1.1.31 993 --implicit-tls || bail "IMAP server"

  e2e_run guess detect "$ADDRESS"
  expect_common guess
  expect guess "incoming is imap.inguess.test:993 from guessing, verified" \
    "incoming is not None and incoming['protocol'] == 'imap'" \
    "incoming['host'] == 'imap.inguess.test' and incoming['port'] == 993" \
    "incoming['security'] == 'tls' and incoming['source'] == 'guess'" \
    "incoming['login_disabled'] is False and 'PLAIN' in incoming['auth_mechanisms']"
  expect guess "143 was refused; no POP3 server was named" \
    "status(in_cand('imap.inguess.test', 143)) in ('refused', 'skipped')" \
    "in_source('guess', 'pop3').get('status') == 'found'"
  expect guess "fast (< $FAST_MS ms)" "wall_ms < $FAST_MS"
}

scenario_drop_993() {
  ADDRESS=dora@indrop.test
  setup
  e2e_dns --host-record=smtp.indrop.test,127.1.1.40 \
    --host-record=imap.indrop.test,127.1.1.41 || bail "dnsmasq"
  smtp indrop.test 127.1.1.40
  e2e_fake_incoming imaps imap 127.1.1.41 993 --implicit-tls || bail "IMAP server on 993"
  e2e_fake_incoming imap imap 127.1.1.41 143 || bail "IMAP server on 143"
  e2e_ipt -A INPUT -d 127.1.1.41 -p tcp --dport 993 -j DROP || bail "iptables"

  e2e_run drop-993 detect "$ADDRESS"
  expect_common drop-993
  expect drop-993 "incoming is 143 with a real STARTTLS; 993 did not answer" \
    "incoming is not None and incoming['host'] == 'imap.indrop.test'" \
    "incoming['port'] == 143 and incoming['security'] == 'starttls'" \
    "in_cand('imap.indrop.test', 143)['result']['starttls'] is True" \
    "tls(in_cand('imap.indrop.test', 143)).get('verified') is True" \
    "status(in_cand('imap.indrop.test', 993)) in ('timeout', 'skipped')"
  expect drop-993 "the capabilities were read again after STARTTLS (AUTH= only inside TLS)" \
    "'PLAIN' in incoming['auth_mechanisms'] and incoming['login_disabled'] is False"
  expect drop-993 "did not wait for the dropped 993 (< $DROP_993_MS ms)" \
    "wall_ms < $DROP_993_MS"
}

case $SCENARIO in
  srv) scenario_srv ;;
  autoconfig) scenario_autoconfig ;;
  guess) scenario_guess ;;
  drop-993) scenario_drop_993 ;;
  *)
    echo "Bail out! unknown scenario '$SCENARIO'"
    exit 1
    ;;
esac

e2e_tap_end
