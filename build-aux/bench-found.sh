#!/bin/bash
# bench-found.sh — how long finding the accounts of every mail client takes, as
# "outbox-doctor-cli accounts list --json" does it: every reader at once, on a home where
# every client is configured (the readers' fixtures: Thunderbird, Geary, KMail, msmtp, git,
# neomutt, aerc, plus GNOME Online Accounts' accounts.conf and Evolution's sources), with
# goa-daemon and evolution-source-registry already running in a private D-Bus session.
#
#   build-aux/bench-found.sh [BUILDDIR]
#
# Prints the median, minimum and maximum of BENCH_ROUNDS (default 20) runs of the whole CLI
# process and of the search alone (the CLI's own "elapsed" is not printed by accounts list,
# so the process time is the figure; the target is ≤ 100 ms). Needs dbus-run-session,
# gnome-keyring-daemon, goa-daemon, evolution-source-registry, python3.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/_build}
cli=$build/src/cli/outbox-doctor-cli

if [ "${1:-}" != --inside ]; then
    home=$(mktemp -d /tmp/od-bench-found.XXXXXX)
    trap 'rm -rf "$home"' EXIT
    for client in thunderbird/home geary/home kmail/home msmtp/realistic git/realistic \
                  neomutt/realistic aerc/realistic; do
        cp -a "$top/tests/data/found/$client/." "$home/"
    done
    mkdir -p "$home/.config/goa-1.0" "$home/.config/evolution/sources"
    # The test's placeholders for its fake servers' ports: the usual ports here.
    sed 's/@IMAP_PORT@/993/g; s/@SMTP_PORT@/465/g' "$top/tests/data/found/goa/accounts.conf" \
        >"$home/.config/goa-1.0/accounts.conf"
    cp "$top/tests/data/found/evolution/sources/"*.source "$home/.config/evolution/sources/"
    exec env -i PATH="$PATH" HOME="$home" XDG_CONFIG_HOME="$home/.config" \
        XDG_DATA_HOME="$home/.local/share" XDG_CACHE_HOME="$home/.cache" \
        XDG_RUNTIME_DIR="$home/run" BENCH_ROUNDS="${BENCH_ROUNDS:-20}" \
        dbus-run-session -- "$0" --inside "$cli"
fi

cli=$2
mkdir -p "$XDG_RUNTIME_DIR"
chmod 0700 "$XDG_RUNTIME_DIR"
printf '' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true
/usr/libexec/goa-daemon --replace >/dev/null 2>&1 &
/usr/libexec/evolution-source-registry >/dev/null 2>&1 &
# Until both answer with their accounts (a few seconds at their first start).
for _ in $(seq 100); do
    if "$cli" accounts list --json 2>/dev/null | python3 -c '
import json, sys
c = {x["origin"]: x for x in json.load(sys.stdin)["clients"]}
sys.exit(0 if c["goa"]["accounts"] > 0 and c["evolution"]["accounts"] > 0 else 1)'; then
        break
    fi
    sleep 0.2
done

python3 - "$cli" "$BENCH_ROUNDS" <<'EOF'
import json, statistics, subprocess, sys, time
cli, rounds = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(rounds + 1):
    start = time.monotonic()
    out = subprocess.run([cli, "accounts", "list", "--json"], capture_output=True, check=True)
    times.append((time.monotonic() - start) * 1000)
times = times[1:]  # the first run warms the caches
j = json.loads(out.stdout)
counts = ", ".join("%s %d%s" % (c["origin"], c["accounts"], " (error)" if c["error"] else "")
                   for c in j["clients"])
print("accounts found: %d (%s)" % (len(j["found"]), counts))
print("accounts list --json, %d runs: median %.1f ms, min %.1f ms, max %.1f ms (target: 100 ms)"
      % (rounds, statistics.median(times), min(times), max(times)))
EOF
