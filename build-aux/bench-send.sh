#!/bin/bash
# bench-send.sh — how long one real test message takes with outbox-doctor-cli compared
# with swaks, through the same local Postfix (implicit TLS, AUTH via Dovecot) started with
# tests/lab/postfix-lab.sh.
#
#   build-aux/bench-send.sh [PATH-TO-outbox-doctor-cli]
#
# Default CLI: build/src/cli/outbox-doctor-cli in the source tree.
# Environment: BENCH_ROUNDS (default 20) rounds, each one run of each tool, alternating
# which goes first; BENCH_WARMUP (default 1) untimed rounds first; OD_MAKE_TEST_CERTS as
# for the lab. Each run is timed with a monotonic clock (python3 time.perf_counter) from
# process start to exit; the table shows median, minimum and maximum per tool and the
# ratio of the medians (ours/swaks). A run that fails is reported and not timed; the
# script then exits 1.
#
# Both tools do the same work: connect with implicit TLS, verify the server certificate
# against the lab's test CA, AUTH PLAIN, MAIL FROM, RCPT TO, DATA, QUIT. The password
# reaches our CLI on stdin (--password-stdin). swaks has no stdin option for it (it would
# take it from argv, .netrc or a prompt); it reads options from SWAKS_OPT_<name>
# environment variables, so the password goes in SWAKS_OPT_auth_password and stays out of
# argv (and ps).
#
# Needs (Debian 12): postfix, dovecot-core, openssl, python3 (the lab), swaks and
# libnet-ssleay-perl (swaks' TLS). Must run as root (the lab).

set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
CLI=${1:-$SRC/build/src/cli/outbox-doctor-cli}
LAB=$SRC/tests/lab/postfix-lab.sh
ROUNDS=${BENCH_ROUNDS:-20}
WARMUP=${BENCH_WARMUP:-1}
export PATH=$PATH:/usr/sbin:/sbin

die() { echo "bench-send: $*" >&2; exit 1; }
[ -x "$CLI" ] || die "$CLI is not an executable (build first, or pass its path)"
command -v swaks >/dev/null || die "swaks is not installed"
command -v python3 >/dev/null || die "python3 is not installed"
perl -MNet::SSLeay -e 1 2>/dev/null || die "swaks needs Net::SSLeay for TLS (libnet-ssleay-perl)"
case "$ROUNDS$WARMUP" in *[!0-9]*) die "BENCH_ROUNDS and BENCH_WARMUP must be numbers";; esac
[ "$ROUNDS" -ge 1 ] || die "BENCH_ROUNDS must be at least 1"

LAB_DIR=$(mktemp -d /tmp/od-bench-lab.XXXXXX)
cleanup() {
    "$LAB" stop "$LAB_DIR" >/dev/null 2>&1 || true
    rm -rf "$LAB_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$LAB" start "$LAB_DIR" >/dev/null || die "the lab did not start"
set -a  # export the LAB_* variables to the python3 driver below
# shellcheck disable=SC1091
. "$LAB_DIR/env"
set +a

python3 - "$CLI" "$ROUNDS" "$WARMUP" <<'EOF'
import glob, os, statistics, subprocess, sys, time

cli, rounds, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
host, port = os.environ["LAB_HOST"], os.environ["LAB_PORT_TLS"]
user, ca = os.environ["LAB_USER"], os.environ["LAB_CA_FILE"]
maildir = os.environ["LAB_MAILDIR"]
with open(os.environ["LAB_PASSWORD_FILE"], encoding="utf-8") as f:
    password = f.read()

ours_cmd = [cli, "check", "--address", user, "--host", host, "--port", port,
            "--security", "tls", "--user", user, "--ca-file", ca,
            "--password-stdin", "--send-test", "--json"]
swaks_cmd = ["swaks", "--silent", "2", "--server", "%s:%s" % (host, port),
             "--tls-on-connect", "--tls-verify", "--tls-ca-path", ca,
             "--auth", "PLAIN", "--auth-user", user,
             "--from", user, "--to", user,
             "--header", "Subject: Outbox Doctor test message (swaks)"]
swaks_env = dict(os.environ, SWAKS_OPT_auth_password=password)

def run(tool):
    if tool == "outbox-doctor-cli":
        args = dict(args=ours_cmd, input=password.encode())
    else:
        args = dict(args=swaks_cmd, env=swaks_env, stdin=subprocess.DEVNULL)
    t0 = time.perf_counter()
    p = subprocess.run(stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120, **args)
    t = time.perf_counter() - t0
    if p.returncode != 0:
        err = p.stderr.decode(errors="replace").replace(password, "[password]")
        print("%s failed with exit status %d: %s" % (tool, p.returncode, err.strip()[-400:]),
              file=sys.stderr)
        return None
    return t

def delivered():
    return len(glob.glob(os.path.join(maildir, "new", "*"))) + \
           len(glob.glob(os.path.join(maildir, "cur", "*")))

tools = ["outbox-doctor-cli", "swaks"]
times = {t: [] for t in tools}
failed = {t: 0 for t in tools}
for i in range(warmup):
    for t in tools:
        run(t)
before = delivered()
for i in range(rounds):
    order = tools if i % 2 == 0 else tools[::-1]
    for t in order:
        r = run(t)
        if r is None:
            failed[t] += 1
        else:
            times[t].append(r)

# Both tools' messages should all arrive.
expected = before + sum(len(v) for v in times.values())
deadline = time.monotonic() + 15
while delivered() < expected and time.monotonic() < deadline:
    time.sleep(0.1)

print("Sending one test message through Postfix on 127.0.0.1:%s (implicit TLS, AUTH PLAIN)" % port)
print("%d rounds (+%d warm-up), alternating order; wall time per run, process start to exit"
      % (rounds, warmup))
print()
print("%-20s %5s %7s %11s %9s %9s" % ("tool", "runs", "failed", "median ms", "min ms", "max ms"))
med = {}
for t in tools:
    v = times[t]
    if v:
        med[t] = statistics.median(v)
        print("%-20s %5d %7d %11.1f %9.1f %9.1f" % (t, len(v), failed[t], med[t] * 1000,
                                                    min(v) * 1000, max(v) * 1000))
    else:
        print("%-20s %5d %7d %11s %9s %9s" % (t, 0, failed[t], "-", "-", "-"))
print()
if "outbox-doctor-cli" in med and "swaks" in med:
    print("ratio of medians (outbox-doctor-cli / swaks): %.2f"
          % (med["outbox-doctor-cli"] / med["swaks"]))
got = delivered() - before
print("messages delivered to the lab's maildir: %d of %d" % (got, expected - before))
sys.exit(1 if any(failed.values()) or got != expected - before else 0)
EOF
