#!/bin/bash
# bench-discovery-app.sh — how long the app takes to find the outgoing server for an
# address, next to "outbox-doctor-cli detect" for the same address on the same network.
#
#   build-aux/bench-discovery-app.sh [BUILDDIR]
#
# BUILDDIR (default: build in the source tree) must hold a build of outbox-doctor-cli, the
# app's benchmark driver tests/ui/od-ui-bench-discovery and the test tools under tests/
# (fake-smtp-server, od-e2e-make-certs, od-e2e-autoconfig-server; od-e2e-delayer only with
# BENCH_DELAY_MS > 0).
# Environment: BENCH_ROUNDS (default 7) timed runs per scenario and front end, BENCH_WARMUP
# (default 1) untimed runs first, BENCH_DELAY_MS (default 0) delay per packet and direction
# (as in bench-detect.sh; 0 is plain loopback), BENCH_APP_WRAPPER (default none) a command
# the driver runs under, for a profile (e.g. "perf record -g -o /tmp/app.perf").
#
# Where it runs: a network namespace made for the benchmark (tests/e2e/e2e-lib.sh: loopback
# only, dnsmasq for the test domains, the test CA in the namespace's /etc/ssl), with fake
# SMTP servers and an HTTPS autoconfig server on 127.1.0.x. Nothing leaves the namespace.
#
# The app: tests/ui/od-ui-bench-discovery runs the real window (the objects the app is made
# of, no discovery hook: the detection is configured exactly as in the app) under a virtual
# display and a session bus of its own (tests/ui/run-ui-test.sh), types the address on the
# details page, presses Continue and takes the time until the outcome is on screen: the
# first frame drawn with the review page as the visible page ("shown", the figure compared)
# and the first frame after its slide ("settled", shown for information). After each of
# its rounds it runs "outbox-doctor-cli detect --json ADDRESS" and takes its wall-clock
# time, process start to exit, so both front ends see the same load on the machine. Both
# also report the detection's own time ("engine").
#
# Scenarios (each run's result is checked: the app must land on the review page, the CLI
# must name the expected server):
#   provider database  tester@posteo.de: the compiled-in database names posteo.de:465
#   SRV                tester@srv.test: SRV → relay.srv.test:465 and :587
#   autoconfig         tester@auto.test: HTTPS autoconfig names smtp.auto.test:465
#
# Prints, per scenario, the median and range of both and the difference; the target is
# the app within 0.1 s of the command line (the median difference). Exits 1 when a result
# is wrong or the target is missed.
#
# Needs: root, iproute2, iptables, dnsmasq-base, python3, Xvfb, dbus (dbus-run-session),
# gnome-keyring.

set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
ROUNDS=${BENCH_ROUNDS:-7}
WARMUP=${BENCH_WARMUP:-1}
DELAY_MS=${BENCH_DELAY_MS:-0}
TARGET_MS=100

die() { echo "bench-discovery-app: $*" >&2; exit 1; }
case "$ROUNDS$WARMUP$DELAY_MS" in *[!0-9]*) die "BENCH_* must be numbers";; esac
[ "$ROUNDS" -ge 1 ] || die "BENCH_ROUNDS must be at least 1"

export OD_CLI=$BUILD/src/cli/outbox-doctor-cli
export OD_E2E_MAKE_CERTS=$BUILD/tests/e2e/od-e2e-make-certs
export OD_E2E_AUTOCONFIG_SERVER=$BUILD/tests/e2e/od-e2e-autoconfig-server
export OD_E2E_DELAYER=$BUILD/tests/e2e/od-e2e-delayer
export OD_FAKE_SMTP_SERVER=$BUILD/tests/lib/fake-smtp-server
export OD_LAB_SCRIPT=$SRC/tests/lab/postfix-lab.sh
DRIVER=$BUILD/tests/ui/od-ui-bench-discovery
RUN_UI=$SRC/tests/ui/run-ui-test.sh
for tool in "$OD_CLI" "$OD_E2E_MAKE_CERTS" "$OD_E2E_AUTOCONFIG_SERVER" "$OD_FAKE_SMTP_SERVER" \
            "$DRIVER"; do
  [ -x "$tool" ] || die "$tool is missing: build $BUILD first (ninja -C $BUILD)"
done
if [ "$DELAY_MS" -gt 0 ] && [ ! -x "$OD_E2E_DELAYER" ]; then
  die "$OD_E2E_DELAYER is missing (it needs libnetfilter-queue-dev at configure time)"
fi
for tool in Xvfb dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

# shellcheck source=tests/e2e/e2e-lib.sh
. "$SRC/tests/e2e/e2e-lib.sh"
if ! reason=$(e2e_can_run); then
  die "cannot run: $reason"
fi

trap e2e_cleanup EXIT
trap 'exit 130' INT TERM

e2e_setup || die "could not create the namespace"
# A default route (to lo) so GNetworkMonitor says "online", as on a real network.
e2e_default_route || die "ip route add default dev lo failed"
e2e_certs posteo.de relay.srv.test autoconfig.auto.test smtp.auto.test ||
  die "could not make the certificates"

e2e_dns \
  --host-record=posteo.de,127.1.0.80 --local=/posteo.de/ \
  --host-record=relay.srv.test,127.1.0.10 \
  --srv-host=_submissions._tcp.srv.test,relay.srv.test,465,0,1 \
  --srv-host=_submission._tcp.srv.test,relay.srv.test,587,0,1 \
  --host-record=autoconfig.auto.test,127.1.0.20 \
  --host-record=smtp.auto.test,127.1.0.22 || die "dnsmasq"

mkdir -p "$E2E_WORK/auto"
cat >"$E2E_WORK/auto/config-v1.1.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="autoconfig.test">
    <outgoingServer type="smtp">
      <hostname>smtp.auto.test</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
</clientConfig>
EOF

e2e_fake_smtp db-tls address=127.1.0.80 port=465 implicit-tls=true cert=e2e || die "server"
e2e_fake_smtp db-sub address=127.1.0.80 port=587 cert=e2e || die "server"
e2e_fake_smtp srv-tls address=127.1.0.10 port=465 implicit-tls=true cert=e2e || die "server"
e2e_fake_smtp srv-sub address=127.1.0.10 port=587 cert=e2e || die "server"
e2e_autoconfig 127.1.0.20 "$E2E_WORK/auto/config-v1.1.xml" || die "autoconfig server"
e2e_fake_smtp auto-tls address=127.1.0.22 port=465 implicit-tls=true cert=e2e || die "server"

if [ "$DELAY_MS" -gt 0 ]; then
  e2e_delayer "$DELAY_MS" || die "the packet delayer did not start"
fi

echo "namespace $E2E_NS; delay $DELAY_MS ms per packet and direction"
echo "app: $DRIVER (the real window under Xvfb); CLI: $OD_CLI"
echo "$ROUNDS timed runs per scenario and front end, after $WARMUP untimed"
echo

OUTPUTS=()

# bench LABEL ADDRESS EXPECTED-HOST:PORT — one driver process: the app's window finds the
# server for ADDRESS WARMUP + ROUNDS times, and after each of its rounds the CLI does too,
# so both see the same load on the machine.
bench() {
  local label=$1 address=$2 expected=$3 out=$E2E_WORK/bench-${#OUTPUTS[@]}.out
  if ! timeout 600 ip netns exec "$E2E_NS" env GSETTINGS_BACKEND=memory LC_ALL=C.UTF-8 \
         "$RUN_UI" ${BENCH_APP_WRAPPER:-} "$DRIVER" --cli "$OD_CLI" "$address" $((WARMUP + ROUNDS)) \
         >"$out" 2>"$out.err" </dev/null; then
    cat "$out.err" >&2
    die "the driver failed for $address"
  fi
  OUTPUTS+=("$label|$expected|$out")
}

bench "provider database" tester@posteo.de posteo.de:465
bench "SRV" tester@srv.test relay.srv.test:465
bench "autoconfig" tester@auto.test smtp.auto.test:465

python3 - "$WARMUP" "$TARGET_MS" "${OUTPUTS[@]}" <<'EOF'
import statistics, sys

warmup, target = int(sys.argv[1]), int(sys.argv[2])
failed = False
print("%-18s %-13s %8s %8s %8s %9s" % ("scenario", "", "median", "min", "max", "engine"))
for spec in sys.argv[3:]:
    label, expected, path = spec.split("|")
    app, app_settled, app_engine, cli, cli_engine, wrong = [], [], [], [], [], []
    for line in open(path):
        f = line.split()
        if len(f) < 2 or f[0] not in ("app", "cli") or int(f[1]) <= warmup:
            continue
        kv = dict(zip(f[2::2], f[3::2]))
        if f[0] == "app":
            app.append(int(kv["shown-ms"]))
            app_settled.append(int(kv["settled-ms"]))
            app_engine.append(int(kv["engine-ms"]))
            if kv["page"] != "review" or kv["best"] != expected:
                wrong.append("app round %s: %s on the page %s" % (f[1], kv["best"], kv["page"]))
        else:
            cli.append(int(kv["wall-ms"]))
            cli_engine.append(int(kv["engine-ms"]))
            if kv["best"] != expected:
                wrong.append("CLI run %s: %s" % (f[1], kv["best"]))
    rows = [("app, shown", app, app_engine), ("app, settled", app_settled, app_engine),
            ("CLI", cli, cli_engine)]
    for i, (name, times, engine) in enumerate(rows):
        print("%-18s %-13s %7.3fs %7.3fs %7.3fs %8.3fs" % (
            label if i == 0 else "", name, statistics.median(times) / 1000, min(times) / 1000,
            max(times) / 1000, statistics.median(engine) / 1000))
    diff = statistics.median(app) - statistics.median(cli)
    met = diff <= target and not wrong
    failed |= not met
    print("%-18s app − CLI: %+.3f s (target ≤ %+.3f s): %s" % (
        "", diff / 1000, target / 1000, "met" if met else "MISSED"))
    for w in wrong:
        print("%-18s WRONG: %s" % ("", w))
sys.exit(1 if failed else 0)
EOF
