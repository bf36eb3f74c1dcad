#!/bin/bash
# End-to-end tests of the network evidence rule (design.md, "Network step"): what check and
# detect conclude when GNetworkMonitor says "no network" but the network answers, when this
# computer really has no route, and when one address family is broken (Happy Eyeballs).
# Each scenario runs in a network namespace of its own with a real DNS server (dnsmasq),
# iptables and our fake SMTP servers. Output: TAP.
#
#   test-network-e2e.sh SCENARIO
#
# Scenarios (none has a default route, so the monitor in it says "no network"):
#   answered     the network answers: NXDOMAIN → dns-no-such-host, a reset port →
#                connection-refused, a dropped port → port-blocked, an ICMP "host
#                unreachable" → host-unreachable, a working server → pass, with the
#                monitor's opinion only as a remark in the network step; the same for detect
#   no-route     the name server and the servers are at documentation addresses
#                (192.0.2.0/24, 2001:db8::/32) that the namespace has no route to: the kernel
#                refuses before any packet is sent (nothing leaves the namespace), and check
#                and detect say network-offline, at once
#   ipv6-broken  smtp.dual.test has an IPv6 and an IPv4 address; IPv6 is dropped: the check
#                passes over IPv4 with the warning ipv6-broken, and detect finds the server
#                as fast as over IPv4 alone
#   ipv4-broken  the other way round: IPv6 wins, no warning
#
# Environment: as test-detect-e2e.sh. Skipped (TAP "1..0 # SKIP") when not root or when
# network namespaces are unavailable.

# shellcheck disable=SC2317  # functions called through traps
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/e2e-lib.sh
. "$HERE/e2e-lib.sh"

SCENARIO=${1:-}
OFFLINE_REMARK="reports limited or no network connectivity"
FAST_MS=4000        # nothing may wait for a connect deadline
NO_ROUTE_MS=2000    # the kernel says "no route" at once

if ! reason=$(e2e_can_run); then
  echo "1..0 # SKIP $reason"
  exit 0
fi
: "${OD_CLI:?OD_CLI is not set}" "${OD_E2E_MAKE_CERTS:?}" "${OD_FAKE_SMTP_SERVER:?}"
: "${OD_E2E_NETMON:?}"
for tool in "$OD_CLI" "$OD_E2E_MAKE_CERTS" "$OD_FAKE_SMTP_SERVER" "$OD_E2E_NETMON"; do
  if [ ! -x "$tool" ]; then
    echo "Bail out! $tool is not an executable (build everything first)"
    exit 1
  fi
done

e2e_tap_start "$SCENARIO"

# setup — the namespace (no default route), the CA, and a TAP point that the monitor in it
# says "no network".
setup() {
  e2e_setup || bail "could not create the namespace"
  e2e_certs smtp.ok.test smtp.dual.test || bail "could not make the certificates"
  echo "# namespace $E2E_NS, work directory $E2E_WORK"
  e2e_expect_monitor "network-available=false connectivity=local"
}

# check NAME HOST [ARGS...] — check u@DOMAIN-OF-HOST against HOST:587 with STARTTLS, no
# password (nothing to log in with: the envelope is checked without it).
check() {
  local name=$1 host=$2
  shift 2
  e2e_run "$name" check --address "u@${host#*.}" --host "$host" --port 587 \
    --security starttls "$@"
}

scenario_answered() {
  setup
  e2e_dns --host-record=smtp.ok.test,127.1.0.90 \
    --host-record=smtp.refused.test,127.1.0.91 \
    --host-record=smtp.dropped.test,127.1.0.92 \
    --host-record=smtp.unreachable.test,127.1.0.93 || bail "dnsmasq"
  e2e_fake_smtp ok address=127.1.0.90 port=587 cert=e2e || bail "the SMTP server did not start"
  e2e_ipt -A INPUT -d 127.1.0.92 -p tcp -j DROP || bail "iptables"
  e2e_ipt -A INPUT -d 127.1.0.93 -p tcp -j REJECT --reject-with icmp-host-unreachable ||
    bail "iptables"

  check check-nxdomain smtp.nosuch.test
  expect check-nxdomain "a name server's NXDOMAIN is dns-no-such-host, not network-offline" \
    "problem_ids == ['dns-no-such-host']" \
    "step('network')['status'] == 'pass'" \
    "'$OFFLINE_REMARK' in step('network')['detail']" \
    "step('dns')['status'] == 'fail'"

  check check-refused smtp.refused.test
  expect check-refused "a TCP reset is connection-refused" \
    "problem_ids == ['connection-refused']" \
    "step('network')['status'] == 'pass'" \
    "'$OFFLINE_REMARK' in step('network')['detail']" \
    "step('connect')['status'] == 'fail'"

  check check-unreachable smtp.unreachable.test
  expect check-unreachable "an ICMP host-unreachable from the way is host-unreachable" \
    "problem_ids == ['host-unreachable']" \
    "step('network')['status'] == 'pass'"

  check check-dropped smtp.dropped.test --timeout 8
  expect check-dropped "a routed address that drops the connection is port-blocked" \
    "problem_ids == ['port-blocked']" \
    "step('network')['status'] == 'pass'" \
    "'route to the server' in step('network')['detail']" \
    "'$OFFLINE_REMARK' in step('network')['detail']"

  check check-ok smtp.ok.test
  expect check-ok "a working server passes; the monitor's view is a remark" \
    "j['verdict'] in ('pass', 'warn')" \
    "'network-offline' not in problem_ids" \
    "step('network')['status'] == 'pass'" \
    "'$OFFLINE_REMARK' in step('network')['detail']" \
    "step('greeting')['status'] == 'pass'"

  e2e_run detect-nxdomain detect u@nosuch.test
  expect detect-nxdomain "detect: a domain that does not exist is dns-no-such-host" \
    "best is None" "problem_ids == ['dns-no-such-host']"

  e2e_run detect-refused detect u@refused.test
  expect detect-refused "detect: a host that resets every port is connection-refused" \
    "best is None" "problem_ids == ['connection-refused']"

  e2e_run detect-dropped detect u@dropped.test
  expect detect-dropped "detect: a routed host that drops every port is port-blocked" \
    "best is None" "problem_ids == ['port-blocked']"

  e2e_run detect-ok detect u@ok.test
  expect detect-ok "detect: the working server is found" \
    "best is not None and best['host'] == 'smtp.ok.test' and best['port'] == 587" \
    "'network-offline' not in problem_ids" \
    "wall_ms < $FAST_MS"
}

scenario_no_route() {
  setup
  # No dnsmasq: the only name server is one the namespace has no route to.
  echo "nameserver 192.0.2.53" >"/etc/netns/$E2E_NS/resolv.conf"

  check check-name smtp.offline.test
  expect check-name "no route to the name server: network-offline, at once" \
    "problem_ids == ['network-offline']" \
    "step('network')['status'] == 'fail'" \
    "step('dns')['status'] == 'skip'" \
    "wall_ms < $NO_ROUTE_MS"

  e2e_run check-ipv4 check --address u@offline.test --host 192.0.2.25 --port 587 \
    --security starttls
  expect check-ipv4 "no route to the server's IPv4 address: network-offline, at once" \
    "problem_ids == ['network-offline']" \
    "step('network')['status'] == 'fail'" \
    "step('connect')['status'] == 'skip'" \
    "wall_ms < $NO_ROUTE_MS"

  e2e_run check-ipv6 check --address u@offline.test --host 2001:db8::25 --port 465 \
    --security tls
  expect check-ipv6 "no route to the server's IPv6 address: network-offline, at once" \
    "problem_ids == ['network-offline']" \
    "wall_ms < $NO_ROUTE_MS"

  e2e_run detect detect u@offline.test
  expect detect "detect: no route to the name server is network-offline" \
    "best is None" "problem_ids == ['network-offline']" \
    "wall_ms < $FAST_MS"
}

# ipv6-broken / ipv4-broken: one of smtp.dual.test's two addresses drops port 587.
scenario_dual() {
  local broken=$1
  setup
  e2e_dns --host-record=smtp.dual.test,127.1.0.95,2001:db8::1 || bail "dnsmasq"
  e2e_fake_smtp v4 address=127.1.0.95 port=587 cert=e2e || bail "the IPv4 server did not start"
  e2e_fake_smtp v6 address=2001:db8::1 port=587 cert=e2e || bail "the IPv6 server did not start"
  if [ "$broken" = ipv6 ]; then
    e2e_exec ip6tables -A INPUT -d 2001:db8::1 -p tcp --dport 587 -j DROP || bail "ip6tables"
  else
    e2e_ipt -A INPUT -d 127.1.0.95 -p tcp --dport 587 -j DROP || bail "iptables"
  fi

  check check smtp.dual.test
  if [ "$broken" = ipv6 ]; then
    expect check "IPv6 dropped: passes over IPv4, with the warning ipv6-broken" \
      "j['verdict'] == 'warn'" \
      "problem_ids == ['ipv6-broken']" \
      "problem('ipv6-broken')['severity'] == 'warning'" \
      "problem('ipv6-broken')['step'] == 'connect'" \
      "step('connect')['status'] == 'warn'" \
      "'127.1.0.95' in step('connect')['detail']" \
      "wall_ms < $FAST_MS"
  else
    expect check "IPv4 dropped: passes over IPv6, no warning" \
      "j['verdict'] == 'pass'" \
      "problem_ids == []" \
      "'2001:db8::1' in step('connect')['detail']" \
      "wall_ms < $FAST_MS"
  fi

  e2e_run detect detect u@dual.test
  expect detect "detect finds smtp.dual.test:587 without waiting for the dropped family" \
    "best is not None and best['host'] == 'smtp.dual.test' and best['port'] == 587" \
    "wall_ms < $FAST_MS"
}

case $SCENARIO in
  answered) scenario_answered ;;
  no-route) scenario_no_route ;;
  ipv6-broken) scenario_dual ipv6 ;;
  ipv4-broken) scenario_dual ipv4 ;;
  *)
    echo "Bail out! unknown scenario '$SCENARIO'"
    exit 1
    ;;
esac

e2e_tap_end
