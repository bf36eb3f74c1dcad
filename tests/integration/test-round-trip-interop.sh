#!/bin/bash
# The round trip (OdRoundTrip, through tests/integration/round-trip-run) against real
# servers on loopback: the Postfix lab (tests/lab/postfix-lab.sh) takes a message on its
# submission port and delivers it with virtual(8) into a maildir, and a second, private
# Dovecot serves that maildir over IMAP (STARTTLS and implicit TLS) and POP3 (STLS), with
# certificates from the test CA and a Junk folder marked \Junk (RFC 6154). Checks: the
# message is found in INBOX over IMAP and over POP3 with the time measured; nothing is
# deleted unless asked, and it is when asked; a message a filter moved into Junk is found
# there; a message never sent is not found when the wait ends; "check --round-trip" and
# "setup" with both servers run end to end; no password in any output.
#
# Needs: postfix, dovecot-core, dovecot-imapd, dovecot-pop3d, python3; root (the lab and
# Dovecot drop privileges themselves). Skipped otherwise. Output: TAP.
# Environment (set by meson): OD_ROUND_TRIP_RUN, OD_MAKE_TEST_CERTS, OD_LAB_PASSWORD_FILE,
# OD_TEST_OUTPUT_DIR.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
LAB=$HERE/../lab/postfix-lab.sh
export PATH=$PATH:/usr/sbin:/sbin

if ! command -v postfix >/dev/null || ! command -v dovecot >/dev/null ||
   [ ! -x /usr/lib/dovecot/imap ] || [ ! -x /usr/lib/dovecot/pop3 ]; then
    echo "1..0 # SKIP needs postfix, dovecot-core, dovecot-imapd and dovecot-pop3d"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP the Postfix lab and Dovecot must be started as root"
    exit 0
fi

RUN=${OD_ROUND_TRIP_RUN:?}
OUT=${OD_TEST_OUTPUT_DIR:-$(mktemp -d /tmp/od-round-trip-output.XXXXXX)}
mkdir -p "$OUT"
LAB_DIR=$(mktemp -d /tmp/od-round-trip-lab.XXXXXX)
DV=$LAB_DIR/incoming
chmod 0755 "$LAB_DIR"

N=0
FAILED=0
ok() { N=$((N + 1)); echo "ok $N - $1"; }
not_ok() { N=$((N + 1)); FAILED=$((FAILED + 1)); echo "not ok $N - $1"; }

cleanup() {
    [ -f "$DV/run/master.pid" ] && kill "$(cat "$DV/run/master.pid")" 2>/dev/null
    "$LAB" stop "$LAB_DIR" >/dev/null 2>&1
    cp "$DV/dovecot.log" "$OUT/incoming-dovecot.log" 2>/dev/null
    cp "$LAB_DIR"/logs/*.log "$OUT/" 2>/dev/null
    rm -rf "$LAB_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=round-trip-lab.sh
. "$HERE/round-trip-lab.sh"
rt_lab_start

# expect NAME PYTHON-EXPRESSION…: a TAP point; d is the delivery object, j the whole output
expect() {
    local name=$1
    shift
    if python3 - "$OUT/$name.json" "$@" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
d = j["delivery"]
bad = [e for e in sys.argv[2:] if not eval(e)]
for e in bad:
    print("# false: %s" % e)
if bad:
    print("# %s" % json.dumps({k: j[k] for k in ("ok", "error", "run_ms", "delivery", "problems")}))
sys.exit(1 if bad else 0)
EOF
    then ok "$name"; else not_ok "$name"; fi
}

in_maildir() {
    grep -rlF -- "$1" "$LAB_MAILDIR" --include='*' 2>/dev/null | grep -v '/dovecot' | grep -q .
}

echo "1..11"
ID_A="<od-round-trip-a.$$@lab.test>"
ID_B="<od-round-trip-b.$$@lab.test>"
ID_C="<od-round-trip-c.$$@lab.test>"
ID_J="<od-round-trip-j.$$@lab.test>"

send "$ID_A" || echo "# sending A failed"
round_trip imap-inbox imap "$IMAP" starttls "$ID_A" --wait-ms 30000
expect imap-inbox 'j["ok"]' 'd["where"] == "inbox"' 'd["folder"] == "INBOX"' \
    'd["elapsed_ms"] >= 0' 'd["junk_checked"]' 'not d["deleted"]'
round_trip pop3-inbox pop3 "$POP3" starttls "$ID_A" --wait-ms 30000
expect pop3-inbox 'j["ok"]' 'd["where"] == "inbox"' 'not d["junk_checked"]' 'not d["deleted"]'
round_trip imaps-inbox imap "$IMAPS" tls "$ID_A" --wait-ms 30000
expect imaps-inbox 'j["ok"]' 'd["where"] == "inbox"'
if in_maildir "$ID_A"; then ok "nothing deleted unasked"; else not_ok "nothing deleted unasked"; fi

# Sent, then looked for at once: found when it arrives (IDLE), and deleted as asked.
send "$ID_B" && round_trip imap-delete imap "$IMAP" starttls "$ID_B" --wait-ms 30000 --delete
expect imap-delete 'j["ok"]' 'd["where"] == "inbox"' 'd["deleted"]'
send "$ID_C" && round_trip pop3-delete pop3 "$POP3S" tls "$ID_C" --wait-ms 30000 --delete \
    --poll-ms 500
expect pop3-delete 'j["ok"]' 'd["where"] == "inbox"' 'd["deleted"]'

# A spam filter's work: the delivered file moved into the Junk folder (maildir++ .Junk).
send "$ID_J"
for _ in $(seq 100); do
    f=$(grep -rlF -- "$ID_J" "$LAB_MAILDIR/new" 2>/dev/null | head -n 1)
    [ -n "$f" ] && break
    sleep 0.1
done
mkdir -p "$LAB_MAILDIR/.Junk/new" "$LAB_MAILDIR/.Junk/cur" "$LAB_MAILDIR/.Junk/tmp"
chown -R 65534:65534 "$LAB_MAILDIR/.Junk"
[ -n "${f:-}" ] && mv "$f" "$LAB_MAILDIR/.Junk/new/"
round_trip imap-junk imap "$IMAP" starttls "$ID_J" --wait-ms 20000
expect imap-junk 'j["ok"]' 'd["where"] == "junk"' 'd["folder"] == "Junk"' \
    '"round-trip-junk" in [p["id"] for p in j["problems"]]'

round_trip imap-not-found imap "$IMAP" starttls "<never-sent.$$@lab.test>" --wait-ms 3000
expect imap-not-found 'j["ok"]' 'd["where"] == "not-found"' 'd["elapsed_ms"] >= 3000' \
    '"round-trip-not-found" in [p["id"] for p in j["problems"]]'

# The whole check end to end, as a person runs it: outbox-doctor-cli sends the test message
# through Postfix's submission port, then finds it over IMAP in the maildir Postfix
# delivered into. The delivery step passes, with the time from acceptance to arrival.
timeout 150 "${OD_CLI:?}" check --address "$LAB_USER" --host "$LAB_HOST" \
    --port "$LAB_PORT_STARTTLS" --security starttls --password-stdin --ca-file "$LAB_CA_FILE" \
    --send-test --round-trip --round-trip-wait 30 --incoming-host 127.0.0.1 \
    --incoming-port "$IMAP" --incoming-security starttls --incoming-protocol imap \
    --timeout 90 --json <"$LAB_PASSWORD_FILE" >"$OUT/cli-round-trip.json" \
    2>"$OUT/cli-round-trip.err"
echo "# outbox-doctor-cli check --send-test --round-trip: exit status $?"
if python3 - "$OUT/cli-round-trip.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
steps = j["steps"]
d = j["delivery"]
checks = [len(steps) == 11, steps[9]["id"] == "data", steps[9]["status"] == "pass",
          steps[10]["id"] == "delivery", steps[10]["status"] == "pass",
          j["verdict"] == "pass", d["where"] == "inbox", d["folder"] == "INBOX",
          isinstance(d["elapsed_ms"], int) and d["elapsed_ms"] >= 0, not d["deleted"]]
print("# the round trip's measured time (accepted by Postfix -> found over IMAP): %d ms; "
      "the whole check: %d ms" % (d["elapsed_ms"], j["elapsed_ms"]))
if not all(checks):
    print("# %s" % json.dumps({k: j[k] for k in ("verdict", "steps", "problems", "delivery")}))
sys.exit(0 if all(checks) else 1)
EOF
then ok "outbox-doctor-cli check --send-test --round-trip: delivery passes, in INBOX"
else not_ok "outbox-doctor-cli check --send-test --round-trip: delivery passes, in INBOX"; fi

# Setting the account up with both servers, as a person does: outbox-doctor-cli setup logs
# in to Postfix (sending) and to Dovecot (receiving, the inbox opened) with the same
# password, and saves the account with its incoming server. There is no keyring here: the
# account is kept without its password, which setup reports.
SETUP_CONFIG=$OUT/setup-config
rm -rf "$SETUP_CONFIG"
mkdir -p "$SETUP_CONFIG"
env -u DBUS_SESSION_BUS_ADDRESS XDG_CONFIG_HOME="$SETUP_CONFIG" timeout 150 "$OD_CLI" setup \
    "$LAB_USER" --host "$LAB_HOST" --port "$LAB_PORT_STARTTLS" --security starttls \
    --incoming-host 127.0.0.1 --incoming-port "$IMAP" --incoming-security starttls \
    --incoming-protocol imap --password-stdin --ca-file "$LAB_CA_FILE" --timeout 90 --json \
    <"$LAB_PASSWORD_FILE" >"$OUT/cli-setup.json" 2>"$OUT/cli-setup.err"
echo "# outbox-doctor-cli setup with the incoming server: exit status $?"
if python3 - "$OUT/cli-setup.json" "$SETUP_CONFIG/outbox-doctor/accounts.ini" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
ini = open(sys.argv[2], encoding="utf-8").read()
inc = j["incoming_check"]
checks = [j["saved"], j["incoming_saved"], j["check"]["verdict"] == "pass",
          inc["protocol"] == "imap", inc["verdict"] in ("pass", "warn"),
          inc["mailbox"]["messages"] >= 1, "incoming-protocol=imap" in ini,
          "incoming-host=127.0.0.1" in ini]
if not all(checks):
    print("# %s" % json.dumps({"saved": j["saved"], "incoming_saved": j["incoming_saved"],
                               "incoming": [(s["id"], s["status"], s["detail"])
                                            for s in inc["steps"]]}))
sys.exit(0 if all(checks) else 1)
EOF
then ok "outbox-doctor-cli setup: Postfix and Dovecot both verified, the incoming server saved"
else not_ok "outbox-doctor-cli setup: Postfix and Dovecot both verified, the incoming server saved"; fi

PASSWORD=$(head -n 1 "$LAB_PASSWORD_FILE")
if grep -rlF -- "$PASSWORD" "$OUT"/*.json "$OUT"/*.err >/dev/null 2>&1; then
    not_ok "no password in any output"
else
    ok "no password in any output"
fi

for name in imap-inbox pop3-inbox imaps-inbox imap-delete pop3-delete; do
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print("# %s: found after %d ms, run %d ms" % (sys.argv[2], j["delivery"]["elapsed_ms"], j["run_ms"]))' \
        "$OUT/$name.json" "$name" 2>/dev/null
done
[ "$FAILED" = 0 ] || sed 's/^/# /' "$DV/dovecot.log" | tail -30
exit $((FAILED > 0))
