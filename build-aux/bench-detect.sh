#!/bin/bash
# bench-detect.sh — how long "outbox-doctor-cli detect" takes to find the outgoing server
# (or to say why there is none), and "check" to find that a port is blocked, over a link
# with 50 ms round-trip time.
#
#   build-aux/bench-detect.sh [BUILDDIR]
#
# BUILDDIR (default: build in the source tree) must hold a build of outbox-doctor-cli and of
# the test tools under tests/ (fake-smtp-server, od-e2e-make-certs, od-e2e-autoconfig-server,
# od-e2e-delayer; the last needs libnetfilter-queue-dev at configure time).
# Environment: BENCH_ROUNDS (default 5) timed runs per scenario, BENCH_WARMUP (default 1)
# untimed runs first, BENCH_DELAY_MS (default 25) delay per packet and direction.
#
# How the latency is made. These kernels have no tc netem, so the delay is added in user
# space: everything runs in a network namespace made for the benchmark (tests/e2e/e2e-lib.sh:
# loopback only, dnsmasq for the test domains, the test CA in the namespace's /etc/ssl), and
#   iptables -t mangle -I PREROUTING 1 -j NFQUEUE --queue-num 0 --queue-bypass
# hands every packet to od-e2e-delayer (tests/e2e/od-e2e-delayer.c), which holds it for
# BENCH_DELAY_MS and then accepts it. On loopback a packet passes PREROUTING exactly once, so
# each direction is delayed once: 25 ms each way, a 50 ms round trip for TCP, TLS, DNS (UDP)
# and HTTPS alike. iptables DROP rules (filter INPUT, after the delay) then play the
# firewall. (Delaying in OUTPUT instead kept each packet charged to its sending socket, and
# TCP small queues then held that socket's next packets back: up to one more delay per
# write, an artefact no real link has; see e2e_delayer in tests/e2e/e2e-lib.sh.)
#
# Scenarios and targets (median wall-clock time of the whole CLI process, start to exit):
#   normal, provider database  tester@posteo.de: the compiled-in provider database names
#                       posteo.de:465 (implicit TLS) and :587, and IMAP on posteo.de:993;
#                       our dnsmasq answers posteo.de with 127.1.0.80, where fake servers
#                       (SMTP and IMAP) present a certificate for it from the test CA
#                       (nothing leaves the namespace)                          ≤ 0.6 s
#   normal, SRV         SRV → 465 implicit TLS and 587 STARTTLS, all open        ≤ 0.6 s
#   normal, autoconfig  HTTPS autoconfig.<domain> names smtp.<domain>:465, which the
#                       guesses probe from the start: that probe is reused, so the best
#                       comes with the document; it names imap.<domain>:993 too, where a
#                       fake IMAP server answers (the guesses probe it as well) ≤ 0.35 s
#   autoconfig, another host  the document names a hosting company's server that no
#                       guess knows: the document (4 round trips), then lookup,
#                       connect, TLS, greeting and EHLO there (5): 9 in a row  ≤ 0.6 s
#   465 dropped         SRV → 465 (dropped) and 587 (open): best 587             ≤ 1.0 s
#   check, 465 dropped  check of 465 (dropped) on the same server: the other ports
#                       are probed after 1.5 s, and at 3 s port-blocked with 587
#                       as the suggestion                                        ≤ 4 s
#   only 25, dropped    smtp.<domain> has only port 25 and it is dropped:
#                       the port-blocked diagnosis                               ≤ 5 s
#   all dropped         every port of every host dropped, autoconfig included:
#                       the port-blocked diagnosis                               ≤ 5 s
# and none above 15 s. Each run's result is checked too (the expected best, or no best and
# port-blocked; in the first and third scenarios the verified IMAP server as `incoming`,
# unless the CLI predates incoming probing); a wrong result is reported and makes the script
# exit 1, as does a missed target. The incoming servers are probed at the same time as the
# outgoing ones: the whole run, incoming included, is what is timed.
#
# BENCH_CLI=PATH times another build of outbox-doctor-cli in the same set-up (the tools
# still come from BUILDDIR). BENCH_CLI_B=PATH times a second build too, alternating with
# the first run by run, so that the load of a shared machine falls on both alike: each
# scenario then has a line per build ("[A]", "[B]"), and the difference of the medians is
# printed. BENCH_ONLY=WORD runs only the scenarios whose label contains WORD.
#
# Needs: root, iproute2, iptables, dnsmasq-base, python3, and a kernel with NFQUEUE
# (nfnetlink_queue) in network namespaces.

set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
ROUNDS=${BENCH_ROUNDS:-5}
WARMUP=${BENCH_WARMUP:-1}
DELAY_MS=${BENCH_DELAY_MS:-25}

die() { echo "bench-detect: $*" >&2; exit 1; }
case "$ROUNDS$WARMUP$DELAY_MS" in *[!0-9]*) die "BENCH_* must be numbers";; esac
[ "$ROUNDS" -ge 1 ] || die "BENCH_ROUNDS must be at least 1"

export OD_CLI=${BENCH_CLI:-$BUILD/src/cli/outbox-doctor-cli}
OD_CLI_A=$OD_CLI
OD_CLI_B=${BENCH_CLI_B:-}
export OD_E2E_MAKE_CERTS=$BUILD/tests/e2e/od-e2e-make-certs
export OD_E2E_AUTOCONFIG_SERVER=$BUILD/tests/e2e/od-e2e-autoconfig-server
export OD_E2E_DELAYER=$BUILD/tests/e2e/od-e2e-delayer
export OD_FAKE_SMTP_SERVER=$BUILD/tests/lib/fake-smtp-server
export OD_FAKE_INCOMING_SERVER=$BUILD/tests/lib/fake-incoming-server
export OD_LAB_SCRIPT=$SRC/tests/lab/postfix-lab.sh
for tool in "$OD_CLI" ${OD_CLI_B:+"$OD_CLI_B"} "$OD_E2E_MAKE_CERTS" "$OD_E2E_AUTOCONFIG_SERVER" "$OD_E2E_DELAYER" \
            "$OD_FAKE_SMTP_SERVER" "$OD_FAKE_INCOMING_SERVER"; do
  [ -x "$tool" ] || die "$tool is missing: build $BUILD first (ninja -C $BUILD)"
done

# shellcheck source=tests/e2e/e2e-lib.sh
. "$SRC/tests/e2e/e2e-lib.sh"
if ! reason=$(e2e_can_run); then
  die "cannot run: $reason"
fi

trap e2e_cleanup EXIT
trap 'exit 130' INT TERM

e2e_setup || die "could not create the namespace"
# A default route (to lo) so GNetworkMonitor says "online", as on a real network; without
# one, a run where nothing answers is diagnosed network-offline instead of port-blocked.
e2e_default_route || die "ip route add default dev lo failed"
e2e_certs posteo.de relay.srv.test autoconfig.auto.test smtp.auto.test imap.auto.test \
  autoconfig.other.test \
  out.autohost.test mail.drop.test smtp.p25.test smtp.dropall.test ||
  die "could not make the certificates"

# posteo.de is answered here and only here (--no-resolv: dnsmasq has no upstream server);
# --local makes the other names under it (autoconfig., smtp., SRV, MX) NXDOMAIN at once.
e2e_dns \
  --host-record=posteo.de,127.1.0.80 --local=/posteo.de/ \
  --host-record=relay.srv.test,127.1.0.10 \
  --srv-host=_submissions._tcp.srv.test,relay.srv.test,465,0,1 \
  --srv-host=_submission._tcp.srv.test,relay.srv.test,587,0,1 \
  --host-record=autoconfig.auto.test,127.1.0.20 \
  --host-record=smtp.auto.test,127.1.0.22 \
  --host-record=imap.auto.test,127.1.0.24 \
  --host-record=autoconfig.other.test,127.1.0.23 \
  --host-record=out.autohost.test,127.1.0.21 \
  --host-record=mail.drop.test,127.1.0.40 \
  --srv-host=_submissions._tcp.drop.test,mail.drop.test,465,0,1 \
  --srv-host=_submission._tcp.drop.test,mail.drop.test,587,0,1 \
  --host-record=smtp.p25.test,127.1.0.50 \
  --host-record=smtp.dropall.test,127.1.0.60 \
  --host-record=mail.dropall.test,127.1.0.60 \
  --host-record=dropall.test,127.1.0.60 \
  --host-record=autoconfig.dropall.test,127.1.0.60 \
  --srv-host=_submissions._tcp.dropall.test,smtp.dropall.test,465,0,1 \
  --srv-host=_submission._tcp.dropall.test,smtp.dropall.test,587,0,1 || die "dnsmasq"

# config DIR HOST [IMAP-HOST] — an autoconfig document naming HOST:465 (implicit TLS), and
# IMAP-HOST:993 if given, in DIR.
config() {
  local incoming=
  mkdir -p "$1"
  if [ -n "${3:-}" ]; then
    incoming="<incomingServer type=\"imap\"><hostname>$3</hostname><port>993</port>
      <socketType>SSL</socketType><authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username></incomingServer>"
  fi
  cat >"$1/config-v1.1.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="autoconfig.test">
    $incoming
    <outgoingServer type="smtp">
      <hostname>$2</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
EOF
}
config "$E2E_WORK/auto" smtp.auto.test imap.auto.test
config "$E2E_WORK/other" out.autohost.test

e2e_fake_smtp db-tls address=127.1.0.80 port=465 implicit-tls=true cert=e2e || die "server"
e2e_fake_smtp db-sub address=127.1.0.80 port=587 cert=e2e || die "server"
e2e_fake_incoming db-imap imap 127.1.0.80 993 --implicit-tls || die "server"
e2e_fake_incoming auto-imap imap 127.1.0.24 993 --implicit-tls || die "server"
e2e_fake_smtp srv-tls address=127.1.0.10 port=465 implicit-tls=true cert=e2e || die "server"
e2e_fake_smtp srv-sub address=127.1.0.10 port=587 cert=e2e || die "server"
e2e_autoconfig 127.1.0.20 "$E2E_WORK/auto/config-v1.1.xml" || die "autoconfig server"
e2e_autoconfig 127.1.0.23 "$E2E_WORK/other/config-v1.1.xml" || die "autoconfig server"
e2e_fake_smtp auto-tls address=127.1.0.22 port=465 implicit-tls=true cert=e2e || die "server"
e2e_fake_smtp other-tls address=127.1.0.21 port=465 implicit-tls=true cert=e2e || die "server"
e2e_fake_smtp drop-tls address=127.1.0.40 port=465 implicit-tls=true cert=e2e || die "server"
e2e_fake_smtp drop-sub address=127.1.0.40 port=587 cert=e2e || die "server"
e2e_fake_smtp p25 address=127.1.0.50 port=25 cert=e2e || die "server"

e2e_ipt -A INPUT -d 127.1.0.40 -p tcp --dport 465 -j DROP || die "iptables"
e2e_ipt -A INPUT -d 127.1.0.50 -p tcp --dport 25 -j DROP || die "iptables"
e2e_ipt -A INPUT -d 127.1.0.60 -p tcp -j DROP || die "iptables"

e2e_delayer "$DELAY_MS" || die "the packet delayer did not start"

# Check that the delay is there: a TCP connect (one round trip) to the SRV host.
rtt=$(e2e_exec python3 -c '
import socket, time
t = time.perf_counter()
socket.create_connection(("127.1.0.10", 587)).close()
print("%.0f" % ((time.perf_counter() - t) * 1000))')
echo "namespace $E2E_NS; delay $DELAY_MS ms per packet and direction; measured TCP connect (1 RTT): $rtt ms"
echo "CLI: $OD_CLI${OD_CLI_B:+ [A], $OD_CLI_B [B], alternating}; $ROUNDS timed runs per scenario after $WARMUP untimed"
echo

RESULTS=$E2E_WORK/results.tsv
: >"$RESULTS"

# bench LABEL TARGET-MS PYTHON-EXPR COMMAND ARGS... — time "outbox-doctor-cli COMMAND --json
# ARGS"; EXPR (over j, the JSON) says whether a run's result is the right one.
bench() {
  local label=$1 target=$2 expr=$3 i verdict cli tag
  shift 3
  case $label in *"${BENCH_ONLY:-}"*) ;; *) return 0 ;; esac
  for i in $(seq 1 $((WARMUP + ROUNDS))); do
   for cli in "$OD_CLI_A" ${OD_CLI_B:+"$OD_CLI_B"}; do
    tag=
    if [ -n "${OD_CLI_B:-}" ]; then
      if [ "$cli" = "$OD_CLI_A" ]; then tag=" [A]"; else tag=" [B]"; fi
    fi
    OD_CLI=$cli
    e2e_cli "$E2E_WORK/run" "$@"
    if python3 - "$E2E_WORK/run.json" "$expr" <<'EOF'
import json, sys
try:
    j = json.load(open(sys.argv[1]))
except ValueError:
    sys.exit(1)
best = j.get("best")
# The incoming server, where this CLI probes incoming servers at all (candidates say their
# protocol): the verified IMAP server on 993.
probed = any("protocol" in c for c in j.get("candidates") or [])
incoming = j.get("incoming") or {}
incoming_ok = not probed or (incoming.get("protocol") == "imap" and incoming.get("port") == 993)
problem_ids = [p.get("id") for p in j.get("problems") or []]
first_problem = (j.get("problems") or [{}])[0]
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
    then
      verdict=right
    else
      verdict=wrong
      cp "$E2E_WORK/run.json" "$E2E_WORK/wrong-$i.json" 2>/dev/null || true
      echo "  $label, run $i: unexpected result (exit $E2E_RC); JSON kept in $E2E_WORK/wrong-$i.json" >&2
      E2E_KEEP=1  # read by e2e_cleanup
    fi
    if [ "$i" -gt "$WARMUP" ]; then
      printf '%s\t%s\t%s\t%s\n' "$label$tag" "$target" "$E2E_WALL_MS" "$verdict" >>"$RESULTS"
    fi
   done
  done
}

bench "normal provider (provider database)" 600 \
  "best and best['host'] == 'posteo.de' and best['port'] == 465 and best['source'] == 'provider-db' and incoming_ok" \
  detect tester@posteo.de
bench "normal provider (SRV)" 600 \
  "best and best['host'] == 'relay.srv.test' and best['port'] == 465" \
  detect tester@srv.test
bench "normal provider (autoconfig)" 350 \
  "best and best['host'] == 'smtp.auto.test' and best['port'] == 465 and best['source'] == 'autoconfig' and incoming_ok" \
  detect tester@auto.test
bench "autoconfig naming another host" 600 \
  "best and best['host'] == 'out.autohost.test' and best['port'] == 465" \
  detect tester@other.test
bench "465 dropped, 587 open" 1000 \
  "best and best['host'] == 'mail.drop.test' and best['port'] == 587" \
  detect tester@drop.test
bench "only 25, dropped" 5000 \
  "best is None and 'port-blocked' in problem_ids" \
  detect tester@p25.test
bench "everything dropped" 5000 \
  "best is None and 'port-blocked' in problem_ids" \
  detect tester@dropall.test
bench "check, 465 dropped, 587 open" 4000 \
  "first_problem.get('id') == 'port-blocked' and (first_problem.get('suggestion') or {}).get('port') == 587" \
  check --address tester@drop.test --host mail.drop.test --port 465 --security tls

python3 - "$RESULTS" <<'EOF'
import statistics, sys
rows = {}
order = []
for line in open(sys.argv[1]):
    label, target, ms, verdict = line.rstrip("\n").split("\t")
    if label not in rows:
        rows[label] = (int(target), [], [])
        order.append(label)
    rows[label][1].append(int(ms))
    rows[label][2].append(verdict)

failed = False
print("%-36s %8s %8s %8s %8s  %-4s %s" % ("scenario", "median", "min", "max", "target",
                                          "met", "results"))
for label in order:
    target, times, verdicts = rows[label]
    median = statistics.median(times)
    met = median <= target and max(times) <= 15000
    wrong = verdicts.count("wrong")
    failed |= not met or wrong > 0
    print("%-36s %7.3fs %7.3fs %7.3fs %7.2fs  %-4s %s" % (
        label, median / 1000, min(times) / 1000, max(times) / 1000, target / 1000,
        "yes" if met else "NO",
        "all %d right" % len(verdicts) if not wrong else "%d of %d WRONG" % (wrong, len(verdicts))))
# With two builds: B's median minus A's, per scenario.
for label in order:
    if label.endswith(" [B]") and label[:-4] + " [A]" in rows:
        a = statistics.median(rows[label[:-4] + " [A]"][1])
        b = statistics.median(rows[label][1])
        print("%-36s B - A: %+.3fs" % (label[:-4], (b - a) / 1000))
sys.exit(1 if failed else 0)
EOF
