#!/bin/bash
# bench-round-trip.sh — how much time --round-trip adds to a test send, against a real
# Postfix delivering into a maildir that a real Dovecot serves on loopback (the set-up of
# tests/integration/test-round-trip-interop.sh, from tests/integration/round-trip-lab.sh).
#
#   build-aux/bench-round-trip.sh [PATH-TO-round-trip-run]
#
# Default: _build/tests/integration/round-trip-run in the source tree.
# Environment: BENCH_ROUNDS (default 9) timed runs per case, after one untimed warm-up;
# OD_MAKE_TEST_CERTS as for the lab.
#
# Cases, each the median (and minimum, maximum) of the runs' own time in milliseconds:
#   imap-present   the message is already in INBOX: connect, STARTTLS, login, LIST, SELECT
#                  Junk and INBOX, SEARCH, FETCH of the header, LOGOUT
#   pop3-present   the same over POP3 (STLS): login, STAT, UIDL and TOP of the newest
#   imap-fresh     sent through Postfix, then looked for at once: the time from the
#                  server's acceptance until the round trip has the message (delivery by
#                  Postfix, IDLE's notice, the search and fetch)
#   pop3-fresh     the same over POP3, which polls (every 500 ms here; 2 s by default)
# Must run as root (the lab and Dovecot).

set -uo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
RUN=${1:-$SRC/_build/tests/integration/round-trip-run}
LAB=$SRC/tests/lab/postfix-lab.sh
ROUNDS=${BENCH_ROUNDS:-9}
export PATH=$PATH:/usr/sbin:/sbin
export OD_MAKE_TEST_CERTS=${OD_MAKE_TEST_CERTS:-$(dirname "$RUN")/../lib/make-test-certs}

die() { echo "bench-round-trip: $*" >&2; exit 1; }
[ -x "$RUN" ] || die "$RUN is not an executable (build first, or pass its path)"
[ "$(id -u)" = 0 ] || die "run as root (the Postfix lab and Dovecot)"
case "$ROUNDS" in ''|*[!0-9]*) die "BENCH_ROUNDS must be a number";; esac

OUT=$(mktemp -d /tmp/od-bench-round-trip.XXXXXX)
LAB_DIR=$(mktemp -d /tmp/od-bench-round-trip-lab.XXXXXX)
DV=$LAB_DIR/incoming
chmod 0755 "$LAB_DIR"
cleanup() {
    [ -f "$DV/run/master.pid" ] && kill "$(cat "$DV/run/master.pid")" 2>/dev/null
    "$LAB" stop "$LAB_DIR" >/dev/null 2>&1
    rm -rf "$LAB_DIR" "$OUT"
}
trap cleanup EXIT

# shellcheck source=../tests/integration/round-trip-lab.sh
. "$SRC/tests/integration/round-trip-lab.sh"
rt_lab_start

# field NAME KEY: a number from $OUT/NAME.json ("run_ms", or "elapsed_ms" of the delivery)
field() {
    python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
assert j["ok"] and j["delivery"]["where"] == "inbox", j["error"]
print(j["run_ms"] if sys.argv[2] == "run_ms" else j["delivery"][sys.argv[2]])' \
        "$OUT/$1.json" "$2"
}

summary() {
    python3 -c 'import statistics, sys
v = sorted(int(x) for x in sys.argv[2:])
print("%-13s %7d %7d %7d %5d" % (sys.argv[1], statistics.median(v), v[0], v[-1], len(v)))' "$@"
}

PRESENT="<od-bench-present.$$@lab.test>"
send "$PRESENT" || die "sending through the lab failed"

declare -a imap_present pop3_present imap_fresh pop3_fresh
for i in $(seq 0 "$ROUNDS"); do
    round_trip b imap "$IMAP" starttls "$PRESENT" --wait-ms 20000 || die "IMAP run failed"
    [ "$i" = 0 ] || imap_present+=("$(field b run_ms)")
    round_trip b pop3 "$POP3" starttls "$PRESENT" --wait-ms 20000 || die "POP3 run failed"
    [ "$i" = 0 ] || pop3_present+=("$(field b run_ms)")

    id="<od-bench-imap.$$.$i@lab.test>"
    send "$id" && round_trip b imap "$IMAP" starttls "$id" --wait-ms 20000 --delete ||
        die "IMAP fresh run failed"
    [ "$i" = 0 ] || imap_fresh+=("$(field b run_ms)")

    id="<od-bench-pop3.$$.$i@lab.test>"
    send "$id" && round_trip b pop3 "$POP3" starttls "$id" --wait-ms 20000 --delete \
        --poll-ms 500 || die "POP3 fresh run failed"
    [ "$i" = 0 ] || pop3_fresh+=("$(field b run_ms)")
done

echo "round trip against Postfix + Dovecot on loopback, $ROUNDS runs each (ms)"
echo "case           median     min     max  runs"
summary imap-present "${imap_present[@]}"
summary pop3-present "${pop3_present[@]}"
summary imap-fresh "${imap_fresh[@]}"
summary pop3-fresh "${pop3_fresh[@]}"
