#!/bin/bash
# End-to-end tests of the trust rules (docs/decisions.md, "Who gets the password"): a forged
# DNS answer, a hosting company named by MX records, and a pinned account with a CA file
# that is not one. Each scenario runs in a network namespace of its own with a real DNS
# server (dnsmasq), our fake SMTP servers (which write down the verb of every command they
# receive, never the rest of the line) and an HTTPS autoconfig server. Output: TAP.
#
#   test-trust-e2e.sh SCENARIO
#
# Scenarios:
#   forged-srv   _submissions._tcp.victim.test names mail.attacker.test:465, whose certificate
#                is valid for its own name only. setup stops before AUTH with
#                server-unconfirmed (exit 1, nothing saved, no AUTH reached the server);
#                with --accept-server it logs in and saves confirmed-servers; a later check
#                of the address finds the same server and does not ask again
#   hosting      victim.test's MX is mx1.hostco.test, a company not in the database: its
#                HTTPS autoconfig names smtp.hostco.test:587; detect offers it as
#                unconfirmed, saying the domain's mail is handled by hostco.test
#   bad-ca-file  an account pinned to another certificate and --ca-file naming a file that
#                holds no certificate: bad input (exit 2) before any connection; without
#                the option the pin is checked and fails closed (no AUTH)
#
# Environment: as test-detect-e2e.sh. Skipped (TAP "1..0 # SKIP") when not root or when
# network namespaces are unavailable.

# shellcheck disable=SC2317  # functions called through traps
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/e2e-lib.sh
. "$HERE/e2e-lib.sh"

SCENARIO=${1:-}
PASSWORD='trust e2e pass 7'

if ! reason=$(e2e_can_run); then
  echo "1..0 # SKIP $reason"
  exit 0
fi
: "${OD_CLI:?OD_CLI is not set}" "${OD_E2E_MAKE_CERTS:?}" "${OD_FAKE_SMTP_SERVER:?}"
: "${OD_E2E_AUTOCONFIG_SERVER:?}"
for tool in "$OD_CLI" "$OD_E2E_MAKE_CERTS" "$OD_FAKE_SMTP_SERVER" "$OD_E2E_AUTOCONFIG_SERVER"; do
  if [ ! -x "$tool" ]; then
    echo "Bail out! $tool is not an executable (build everything first)"
    exit 1
  fi
done

e2e_tap_start "$SCENARIO"

# Never victim.test itself: a certificate for the mail domain would vouch for its server.
CERT_NAMES=(mail.attacker.test smtp.hostco.test mail.hostco.test autoconfig.hostco.test
            smtp.pinned.test)

setup() {
  e2e_setup || bail "could not create the namespace"
  e2e_certs "${CERT_NAMES[@]}" || bail "could not make the certificates"
  mkdir -p "$E2E_WORK/config" "$E2E_WORK/runtime"
  chmod 0700 "$E2E_WORK/runtime"
  printf '%s\n' "$PASSWORD" >"$E2E_WORK/password"
  echo "# namespace $E2E_NS, work directory $E2E_WORK"
}

# cli NAME COMMAND ARGS... — "outbox-doctor-cli COMMAND --json ARGS" in the namespace, the
# password on standard input, a configuration directory of its own and no keyring (the
# session bus address leads nowhere). One TAP point for the run; sets E2E_RC. The CLI runs
# under OD_CLI_WRAPPER when that is set (build-aux/test.sh's valgrind run).
cli() {
  local name=$1 command=$2 wrapper
  shift 2
  # shellcheck disable=SC2206  # the wrapper is a command line, split into words
  wrapper=(${OD_CLI_WRAPPER:-})
  E2E_RC=0
  timeout 100 ip netns exec "$E2E_NS" env XDG_CONFIG_HOME="$E2E_WORK/config" \
    XDG_RUNTIME_DIR="$E2E_WORK/runtime" \
    DBUS_SESSION_BUS_ADDRESS="unix:path=$E2E_WORK/runtime/no-bus" \
    "${wrapper[@]}" "$OD_CLI" "$command" --json "$@" <"$E2E_WORK/password" \
    >"$E2E_OUT/$name.json" 2>"$E2E_OUT/$name.stderr" || E2E_RC=$?
  echo "# $name: $command exit status $E2E_RC"
  if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$E2E_OUT/$name.json" \
       2>/dev/null; then
    ok "$name: $command ran (exit $E2E_RC) and wrote JSON"
  else
    not_ok "$name: $command ran and wrote JSON (exit $E2E_RC)"
    diag <"$E2E_OUT/$name.stderr"
  fi
}

# verbs NAME — the commands fake server NAME received, one verb per line.
verbs() {
  cat "$E2E_WORK/verbs-$1.txt" 2>/dev/null
}

# expect_no_auth SERVER DESCRIPTION
expect_no_auth() {
  if verbs "$1" | grep -qi '^AUTH'; then
    not_ok "$2"
    verbs "$1" | diag
  else
    ok "$2"
  fi
}

scenario_forged_srv() {
  setup
  e2e_dns --host-record=mail.attacker.test,127.1.0.66 \
    --srv-host=_submissions._tcp.victim.test,mail.attacker.test,465,0,1 \
    --local=/victim.test/ || bail "dnsmasq"
  e2e_fake_smtp attacker address=127.1.0.66 port=465 implicit-tls=true cert=e2e \
    user=alice@victim.test "password=$PASSWORD" "verbs-file=$E2E_WORK/verbs-attacker.txt" ||
    bail "the SMTP server did not start"

  cli forged setup alice@victim.test --password-stdin
  expect forged "the forged server works but is not trusted: setup stops, nothing saved" \
    "$E2E_RC == 1" \
    "j['saved'] is False" \
    "j['detect']['best'] is None" \
    "j['detect']['unconfirmed']['host'] == 'mail.attacker.test'" \
    "'DNS records' in j['detect']['unconfirmed']['why']" \
    "[c for c in j['detect']['candidates'] if c['host'] == 'mail.attacker.test'][0]['trusted'] is False"
  expect forged "the check stopped before the login with server-unconfirmed" \
    "[p['id'] for p in j['check']['problems']][0] == 'server-unconfirmed'" \
    "[s for s in j['check']['steps'] if s['id'] == 'auth'][0]['status'] == 'fail'" \
    "[s for s in j['check']['steps'] if s['id'] == 'tls'][0]['status'] == 'pass'"
  expect_no_auth attacker "forged: no AUTH command reached the server"
  if [ -e "$E2E_WORK/config/outbox-doctor/accounts.ini" ]; then
    not_ok "forged: no account file was written"
  else
    ok "forged: no account file was written"
  fi

  cli accepted setup alice@victim.test --password-stdin --accept-server mail.attacker.test:465
  expect accepted "confirmed with --accept-server: logged in and saved, with the confirmation" \
    "$E2E_RC == 0" \
    "j['saved'] is True" \
    "j['account']['host'] == 'mail.attacker.test'" \
    "j['account']['confirmed_servers'] == ['mail.attacker.test:465']" \
    "[s for s in j['check']['steps'] if s['id'] == 'auth'][0]['status'] == 'pass'"
  if grep -q '^confirmed-servers=mail.attacker.test:465;' \
       "$E2E_WORK/config/outbox-doctor/accounts.ini"; then
    ok "accepted: accounts.ini holds confirmed-servers=mail.attacker.test:465"
  else
    not_ok "accepted: accounts.ini holds confirmed-servers=mail.attacker.test:465"
    diag <"$E2E_WORK/config/outbox-doctor/accounts.ini"
  fi

  cli again check --address alice@victim.test --password-stdin
  expect again "a later check of the address finds the confirmation and does not ask again" \
    "$E2E_RC == 0" \
    "j['verdict'] in ('pass', 'warn')" \
    "'server-unconfirmed' not in [p['id'] for p in j['problems']]"
}

scenario_hosting() {
  setup
  cat >"$E2E_WORK/hostco.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="hostco.test">
    <domain>hostco.test</domain>
    <displayName>HostCo</displayName>
    <outgoingServer type="smtp">
      <hostname>smtp.hostco.test</hostname>
      <port>587</port>
      <socketType>STARTTLS</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
  </emailProvider>
</clientConfig>
EOF
  e2e_dns --mx-host=victim.test,mx1.hostco.test,10 \
    --host-record=mx1.hostco.test,127.1.0.70 \
    --host-record=smtp.hostco.test,127.1.0.71 \
    --host-record=autoconfig.hostco.test,127.1.0.72 \
    --local=/victim.test/ --local=/hostco.test/ || bail "dnsmasq"
  e2e_autoconfig 127.1.0.72 "$E2E_WORK/hostco.xml" || bail "the autoconfig server did not start"
  e2e_fake_smtp hostco address=127.1.0.71 port=587 cert=e2e ||
    bail "the SMTP server did not start"

  cli hosting detect alice@victim.test
  expect hosting "the company's server works and is offered for confirmation only" \
    "$E2E_RC == 1" \
    "best is None" \
    "j['unconfirmed']['host'] == 'smtp.hostco.test' and j['unconfirmed']['port'] == 587" \
    "'handled by hostco.test' in j['unconfirmed']['why']" \
    "'server-unconfirmed' in problem_ids"
  expect hosting "the MX source names the company and its autoconfig address" \
    "source('mx').get('status') == 'found'" \
    "'mx1.hostco.test' in source('mx').get('detail', '')" \
    "'https://autoconfig.hostco.test/mail/config-v1.1.xml' in source('mx').get('detail', '')"
  if grep -q 'victim\|alice' "$E2E_WORK/autoconfig.log" 2>/dev/null; then
    not_ok "hosting: the company's autoconfig was not told the address"
    diag <"$E2E_WORK/autoconfig.log"
  else
    ok "hosting: the company's autoconfig was not told the address"
  fi
}

scenario_bad_ca_file() {
  local config
  setup
  config=$E2E_WORK/config/outbox-doctor
  e2e_dns --host-record=smtp.pinned.test,127.1.0.80 --local=/pinned.test/ || bail "dnsmasq"
  e2e_fake_smtp pinned address=127.1.0.80 port=465 implicit-tls=true cert=e2e \
    user=bob@pinned.test "password=$PASSWORD" "verbs-file=$E2E_WORK/verbs-pinned.txt" ||
    bail "the SMTP server did not start"
  mkdir -p "$config"
  cat >"$config/accounts.ini" <<'EOF'
[Outbox Doctor]
version=1

[Account bob]
address=bob@pinned.test
smtp-host=smtp.pinned.test
smtp-port=465
smtp-security=tls
smtp-user=bob@pinned.test
smtp-auth=PLAIN
source=manual
pinned-certificates=smtp.pinned.test:465 AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB;
EOF
  chmod 0600 "$config/accounts.ini"
  echo "this is not a certificate" >"$E2E_WORK/not-pem.txt"

  E2E_RC=0
  timeout 60 ip netns exec "$E2E_NS" env XDG_CONFIG_HOME="$E2E_WORK/config" \
    "$OD_CLI" check --account bob --password-stdin --ca-file "$E2E_WORK/not-pem.txt" \
    <"$E2E_WORK/password" >"$E2E_OUT/bad-ca.out" 2>"$E2E_OUT/bad-ca.stderr" || E2E_RC=$?
  if [ "$E2E_RC" = 2 ] && grep -q 'CA file' "$E2E_OUT/bad-ca.stderr"; then
    ok "bad-ca: a CA file without a certificate is bad input (exit 2)"
  else
    not_ok "bad-ca: a CA file without a certificate is bad input (exit 2, got $E2E_RC)"
    diag <"$E2E_OUT/bad-ca.stderr"
  fi
  sleep 0.2
  if [ -z "$(verbs pinned)" ]; then
    ok "bad-ca: nothing was sent to the server"
  else
    not_ok "bad-ca: nothing was sent to the server"
    verbs pinned | diag
  fi

  cli pinned check --account bob --password-stdin
  expect pinned "the pin is checked from the certificate and fails closed" \
    "$E2E_RC == 1" \
    "'tls-certificate-changed' in problem_ids" \
    "step('tls').get('status') == 'fail'"
  expect_no_auth pinned "pinned: no AUTH command reached the server"
}

case $SCENARIO in
  forged-srv) scenario_forged_srv ;;
  hosting) scenario_hosting ;;
  bad-ca-file) scenario_bad_ca_file ;;
  *)
    echo "Bail out! unknown scenario '$SCENARIO'"
    exit 1
    ;;
esac

e2e_tap_end
