#!/bin/bash
# Interoperability test: outbox-doctor-cli against a real Postfix + Dovecot (SASL) on
# loopback (tests/lab/postfix-lab.sh), with TLS from a test CA and real authentication.
# Output: TAP.
#
# Environment:
#   OD_CLI               the built outbox-doctor-cli (set by meson); default
#                        $OD_BUILD_ROOT/src/cli/outbox-doctor-cli or build/src/cli/...
#   OD_TEST_OUTPUT_DIR   where every JSON output and the CLI's stderr are kept (another
#                        test greps them for the password); default: a new temp dir,
#                        removed at the end only if every test passed
#   OD_LAB_SCRIPT        the lab script (default: ../lab/postfix-lab.sh beside this file)
#   OD_MAKE_TEST_CERTS   passed on to the lab (see postfix-lab.sh)
#
# Needs: postfix, dovecot-core, openssl, python3 (the lab and the JSON checks), coreutils.
# Runs the lab, so it must run as root; it is skipped if postfix or dovecot is missing or
# when not run as root.

# shellcheck disable=SC2317  # functions called through check "$@" and trap
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
LAB=${OD_LAB_SCRIPT:-$HERE/../lab/postfix-lab.sh}
export PATH=$PATH:/usr/sbin:/sbin

if ! command -v postfix >/dev/null || ! command -v dovecot >/dev/null; then
    echo "1..0 # SKIP postfix or dovecot is not installed (packages postfix, dovecot-core)"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP the Postfix lab must run as root"
    exit 0
fi

if [ -z "${OD_CLI:-}" ]; then
    if [ -n "${OD_BUILD_ROOT:-}" ]; then
        OD_CLI=$OD_BUILD_ROOT/src/cli/outbox-doctor-cli
    else
        OD_CLI=$HERE/../../build/src/cli/outbox-doctor-cli
    fi
fi
if [ ! -x "$OD_CLI" ]; then
    echo "Bail out! OD_CLI=$OD_CLI is not an executable"
    exit 1
fi

if ! command -v python3 >/dev/null; then
    echo "Bail out! python3 is needed for the lab and the JSON checks"
    exit 1
fi

LAB_DIR=$(mktemp -d /tmp/od-postfix-lab.XXXXXX)
if [ -n "${OD_TEST_OUTPUT_DIR:-}" ]; then
    OUT=$OD_TEST_OUTPUT_DIR
    OUT_IS_TEMP=0
    mkdir -p "$OUT"
else
    OUT=$(mktemp -d /tmp/od-interop-output.XXXXXX)
    OUT_IS_TEMP=1
fi

N=0
FAILED=0
ok() { N=$((N + 1)); echo "ok $N - $1"; }
not_ok() { N=$((N + 1)); FAILED=$((FAILED + 1)); echo "not ok $N - $1"; }
diag() { sed 's/^/# /'; }
# check DESCRIPTION COMMAND... — one TAP point from a command's exit status.
check() {
    local desc=$1
    shift
    if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

cleanup() {
    "$LAB" stop "$LAB_DIR" >/dev/null 2>&1 || true
    mkdir -p "$OUT/lab-logs"
    cp "$LAB_DIR"/logs/*.log "$OUT/lab-logs/" 2>/dev/null || true
    rm -rf "$LAB_DIR"
    if [ "$OUT_IS_TEMP" = 1 ] && [ "$FAILED" = 0 ]; then
        rm -rf "$OUT"
    else
        echo "# CLI outputs and lab logs kept in $OUT"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! "$LAB" start "$LAB_DIR" >"$OUT/lab-start.log" 2>&1; then
    echo "Bail out! the Postfix lab did not start"
    diag <"$OUT/lab-start.log"
    FAILED=1
    exit 1
fi
# shellcheck disable=SC1091
. "$LAB_DIR/env"
PASSWORD=$(cat "$LAB_PASSWORD_FILE")
WRONG="wrong-$PASSWORD-x"
echo "# lab: implicit TLS $LAB_HOST:$LAB_PORT_TLS, STARTTLS $LAB_HOST:$LAB_PORT_STARTTLS"

# run_cli NAME PASSWORD ARGS... — run "outbox-doctor-cli check" with the password on
# stdin; stdout to $OUT/NAME.json, stderr to $OUT/NAME.stderr; sets RC.
run_cli() {
    local name=$1 pw=$2
    shift 2
    printf '%s' "$pw" | timeout 120 "$OD_CLI" check --address "$LAB_USER" \
        --host "$LAB_HOST" --user "$LAB_USER" --password-stdin --json --timeout 60 "$@" \
        >"$OUT/$name.json" 2>"$OUT/$name.stderr"
    RC=$?
    if [ "$RC" -ge 124 ]; then
        echo "# $name: exit status $RC (timeout or signal)"
    fi
}

# json_check NAME PYTHON-EXPRESSION... — true if every expression is true for j, the
# parsed $OUT/NAME.json; step(id) is the step with that id (or {}), problem_ids the list
# of problem ids. Prints what failed as TAP comments.
json_check() {
    local name=$1
    shift
    python3 - "$OUT/$name.json" "$@" <<'EOF'
import json, sys
path, exprs = sys.argv[1], sys.argv[2:]
try:
    with open(path, encoding="utf-8") as f:
        j = json.load(f)
except Exception as e:
    print("# %s: not JSON: %s" % (path, e))
    sys.exit(1)
def step(i):
    for s in j.get("steps", []):
        if s.get("id") == i:
            return s
    return {}
problem_ids = [p.get("id") for p in j.get("problems", [])]
env = {"j": j, "step": step, "problem_ids": problem_ids}
bad = 0
for e in exprs:
    try:
        r = eval(e, env)
    except Exception as ex:
        r = False
        print("# %s: %s raised %r" % (path, e, ex))
    if not r:
        bad += 1
        print("# false: %s" % e)
if bad:
    print("# verdict=%r steps=%r problems=%r" % (
        j.get("verdict"),
        [(s.get("id"), s.get("status")) for s in j.get("steps", [])],
        [(p.get("id"), p.get("step"), p.get("server_reply")) for p in j.get("problems", [])]))
sys.exit(1 if bad else 0)
EOF
}

# The test messages in the maildir (the CLI's Subject starts "Outbox Doctor test message").
count_messages() {
    grep -lsF 'Outbox Doctor test' "$LAB_MAILDIR"/new/* "$LAB_MAILDIR"/cur/* 2>/dev/null | wc -l
}
# wait_messages N — wait (up to 15 s) until there are N test messages; true if so.
wait_messages() {
    local want=$1 _
    for _ in $(seq 150); do
        [ "$(count_messages)" -ge "$want" ] && break
        sleep 0.1
    done
    [ "$(count_messages)" -eq "$want" ]
}
# The CLI's stderr as TAP comments, with the passwords blanked out: the test log is kept
# too, and a CLI that leaks must not make the test leak.
show_on_failure() {
    local name=$1 line
    echo "# exit status $RC; stderr:"
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line//"$PASSWORD"/[password]}
        line=${line//"$WRONG"/[wrong password]}
        printf '# %s\n' "$line"
    done <"$OUT/$name.stderr"
}

STEP_ORDER='["network","dns","connect","tls","greeting","ehlo","auth","sender","recipient","data"]'

# --- 1. implicit TLS, right password, real test message ------------------------------
before=$(count_messages)
run_cli implicit-send "$PASSWORD" --port "$LAB_PORT_TLS" --security tls \
    --ca-file "$LAB_CA_FILE" --send-test
[ "$RC" = 0 ] || show_on_failure implicit-send
check "implicit TLS + send-test: exit status 0" test "$RC" = 0
check "implicit TLS + send-test: schema 1, verdict pass, server as asked" \
    json_check implicit-send 'j["schema"] == 1' 'j["verdict"] == "pass"' \
    'j["address"] == "tester@lab.test"' \
    'j["server"]["host"] == "127.0.0.1"' "j['server']['port'] == $LAB_PORT_TLS" \
    'j["server"]["security"] == "tls"' 'j["problems"] == []'
check "implicit TLS + send-test: steps in contract order, tls/auth/sender/recipient/data pass" \
    json_check implicit-send \
    "[s['id'] for s in j['steps']] == [i for i in $STEP_ORDER if i in [s['id'] for s in j['steps']]]" \
    'all(step(i).get("status") == "pass" for i in ("connect", "tls", "greeting", "ehlo", "auth", "sender", "recipient", "data"))' \
    'all(s["status"] in ("pass", "warn", "skip") for s in j["steps"])' \
    'all(isinstance(s.get("elapsed_ms"), int) for s in j["steps"])' \
    'isinstance(j.get("elapsed_ms"), int)'
check "implicit TLS + send-test: transcript has the redacted AUTH and the 235" \
    json_check implicit-send \
    'any(t["dir"] == "C" and t["text"].upper().startswith("AUTH ") for t in j["transcript"])' \
    'any(t["dir"] == "S" and t["text"].startswith("235") for t in j["transcript"])' \
    'any(t["dir"] == "S" and t["text"].startswith("250") and "queued" in t["text"] for t in j["transcript"])'
if wait_messages $((before + 1)); then
    ok "implicit TLS + send-test: the test message is in the maildir"
else
    not_ok "implicit TLS + send-test: the test message is in the maildir"
    echo "# messages before $before, now $(count_messages)"
    tail -n 15 "$LAB_MAILLOG" | diag
fi

# --- 2. STARTTLS, right password, real test message ----------------------------------
before=$(count_messages)
run_cli starttls-send "$PASSWORD" --port "$LAB_PORT_STARTTLS" --security starttls \
    --ca-file "$LAB_CA_FILE" --send-test
[ "$RC" = 0 ] || show_on_failure starttls-send
check "STARTTLS + send-test: exit status 0" test "$RC" = 0
check "STARTTLS + send-test: verdict pass, server as asked" \
    json_check starttls-send 'j["schema"] == 1' 'j["verdict"] == "pass"' \
    "j['server']['port'] == $LAB_PORT_STARTTLS" 'j["server"]["security"] == "starttls"' \
    'j["problems"] == []'
check "STARTTLS + send-test: tls/auth/data steps pass" \
    json_check starttls-send \
    'all(step(i).get("status") == "pass" for i in ("tls", "ehlo", "auth", "sender", "recipient", "data"))'
check "STARTTLS + send-test: transcript shows STARTTLS and 220 before AUTH" \
    json_check starttls-send \
    '[t["text"].upper() for t in j["transcript"] if t["dir"] == "C"].index("STARTTLS") < [i for i, t in enumerate([t for t in j["transcript"] if t["dir"] == "C"]) if t["text"].upper().startswith("AUTH ")][0]'
if wait_messages $((before + 1)); then
    ok "STARTTLS + send-test: the test message is in the maildir"
else
    not_ok "STARTTLS + send-test: the test message is in the maildir"
    echo "# messages before $before, now $(count_messages)"
    tail -n 15 "$LAB_MAILLOG" | diag
fi

# --- 3. envelope only: MAIL FROM and RCPT TO, then RSET; nothing is sent ---------------
before=$(count_messages)
queued_before=$(grep -c 'queued as\|: message-id=' "$LAB_MAILLOG" || true)
run_cli implicit-envelope "$PASSWORD" --port "$LAB_PORT_TLS" --security tls \
    --ca-file "$LAB_CA_FILE"
[ "$RC" = 0 ] || show_on_failure implicit-envelope
check "envelope only: exit status 0" test "$RC" = 0
check "envelope only: verdict pass, sender and recipient pass, data not run" \
    json_check implicit-envelope 'j["verdict"] == "pass"' \
    'step("auth").get("status") == "pass"' \
    'step("sender").get("status") == "pass"' 'step("recipient").get("status") == "pass"' \
    'step("data").get("status", "skip") == "skip"'
check "envelope only: no DATA in the transcript, RSET sent" \
    json_check implicit-envelope \
    '"DATA" not in [t["text"].upper() for t in j["transcript"] if t["dir"] == "C"]' \
    '"RSET" in [t["text"].upper() for t in j["transcript"] if t["dir"] == "C"]'
sleep 2
now=$(count_messages)
queued_now=$(grep -c 'queued as\|: message-id=' "$LAB_MAILLOG" || true)
if [ "$now" = "$before" ] && [ "$queued_now" = "$queued_before" ]; then
    ok "envelope only: no new message in the maildir or the queue"
else
    not_ok "envelope only: no new message in the maildir or the queue"
    echo "# messages $before -> $now, queued $queued_before -> $queued_now"
fi

# --- 5. no --ca-file: the test CA is not in the system store ----------------------------
# (Before the wrong password: Dovecot delays logins from an address after a failure.)
run_cli untrusted "$PASSWORD" --port "$LAB_PORT_TLS" --security tls --send-test
check "no --ca-file: exit status 1" test "$RC" = 1
[ "$RC" = 1 ] || show_on_failure untrusted
check "no --ca-file: tls-certificate-untrusted on the tls step, verdict fail" \
    json_check untrusted 'j["verdict"] == "fail"' \
    'j["problems"][0]["id"] == "tls-certificate-untrusted"' \
    'j["problems"][0]["step"] == "tls"' 'j["problems"][0]["severity"] == "error"' \
    'step("tls").get("status") == "fail"' \
    'all(step(i).get("status", "skip") == "skip" for i in ("auth", "sender", "recipient", "data"))'
check "no --ca-file: no AUTH was sent over the untrusted connection" \
    json_check untrusted \
    'not any(t["dir"] == "C" and t["text"].upper().startswith("AUTH") for t in j["transcript"])'
check "no --ca-file: summary and remedy are not empty" \
    json_check untrusted 'j["problems"][0]["summary"].strip() != ""' \
    'j["problems"][0]["remedy"].strip() != ""'

# --- 4. wrong password --------------------------------------------------------------------
run_cli wrong-password "$WRONG" --port "$LAB_PORT_TLS" --security tls \
    --ca-file "$LAB_CA_FILE" --send-test
check "wrong password: exit status 1" test "$RC" = 1
[ "$RC" = 1 ] || show_on_failure wrong-password
check "wrong password: problems[0] is auth-failed on the auth step with the 535 reply" \
    json_check wrong-password 'j["verdict"] == "fail"' \
    'j["problems"][0]["id"] == "auth-failed"' 'j["problems"][0]["step"] == "auth"' \
    '"535" in (j["problems"][0].get("server_reply") or "")'
check "wrong password: auth step fails, later steps do not run" \
    json_check wrong-password 'step("auth").get("status") == "fail"' \
    'step("tls").get("status") == "pass"' \
    'all(step(i).get("status", "skip") == "skip" for i in ("sender", "recipient", "data"))'
check "wrong password: the transcript shows the server's 535" \
    json_check wrong-password \
    'any(t["dir"] == "S" and t["text"].startswith("535") for t in j["transcript"])'

# --- accounts export --to msmtp, read by msmtp itself and sent to this Postfix --------------
# An account of ours for the STARTTLS port, its certificate pinned as the app pins one: the
# exported block (printed, no keyring here) goes into an msmtp file of its own, and msmtp
# --serverinfo connects with it (STARTTLS, the fingerprint checked) and --pretend shows it.
if command -v msmtp >/dev/null && command -v openssl >/dev/null; then
    EXPORT_HOME=$(mktemp -d /tmp/od-export-home.XXXXXX)
    FP=$(openssl s_client -connect "$LAB_HOST:$LAB_PORT_TLS" -CAfile "$LAB_CA_FILE" </dev/null 2>/dev/null |
         openssl x509 -noout -fingerprint -sha256 | sed 's/.*=//')
    mkdir -p "$EXPORT_HOME/.config/outbox-doctor"
    cat >"$EXPORT_HOME/.config/outbox-doctor/accounts.ini" <<INI
[Outbox Doctor]
version=1

[Account lab]
address=$LAB_USER
smtp-host=$LAB_HOST
smtp-port=$LAB_PORT_STARTTLS
smtp-security=starttls
smtp-user=$LAB_USER
smtp-auth=PLAIN
pinned-certificates=$LAB_HOST:$LAB_PORT_STARTTLS $FP
INI
    HOME=$EXPORT_HOME XDG_CONFIG_HOME=$EXPORT_HOME/.config timeout 60 "$OD_CLI" accounts export lab \
        --to msmtp --print >"$EXPORT_HOME/msmtprc" 2>"$OUT/export-msmtp.stderr"
    RC=$?
    chmod 600 "$EXPORT_HOME/msmtprc"
    cp "$EXPORT_HOME/msmtprc" "$OUT/export-msmtp.rc"
    timeout 60 msmtp -C "$EXPORT_HOME/msmtprc" -a lab --serverinfo >"$OUT/msmtp-serverinfo.txt" 2>&1
    RC_INFO=$?
    timeout 60 msmtp -C "$EXPORT_HOME/msmtprc" -a lab --pretend </dev/null >"$OUT/msmtp-pretend.txt" 2>&1
    RC_PRETEND=$?
    check "export --to msmtp --print: exit 0, the lab's fingerprint in tls_fingerprint" \
        sh -c "[ $RC = 0 ] && grep -q '^tls_fingerprint *$FP' '$EXPORT_HOME/msmtprc'"
    check "msmtp --serverinfo with the exported account: STARTTLS to this Postfix, its login methods (status $RC_INFO)" \
        sh -c "[ $RC_INFO = 0 ] && grep -q 'STARTTLS' '$OUT/msmtp-serverinfo.txt' && grep -q 'PLAIN' '$OUT/msmtp-serverinfo.txt'"
    check "msmtp --pretend reads the exported account as written (status $RC_PRETEND)" \
        sh -c "[ $RC_PRETEND = 0 ] && grep -q 'host *= *$LAB_HOST' '$OUT/msmtp-pretend.txt' && grep -q 'port *= *$LAB_PORT_STARTTLS' '$OUT/msmtp-pretend.txt'"
    rm -rf "$EXPORT_HOME"
else
    N=$((N + 1)); echo "ok $N # SKIP msmtp or openssl is not installed"
fi

# --- the password never appears in any output ------------------------------------------
# (plain, and base64 of the AUTH PLAIN string, which a careless transcript would show)
B64=$(printf '\0%s\0%s' "$LAB_USER" "$PASSWORD" | base64 -w0)
B64W=$(printf '\0%s\0%s' "$LAB_USER" "$WRONG" | base64 -w0)
B64P=$(printf '%s' "$PASSWORD" | base64 -w0)
leaks=$(grep -lF -e "$PASSWORD" -e "$B64" -e "$B64W" -e "$B64P" "$OUT"/*.json "$OUT"/*.stderr 2>/dev/null)
if [ -z "$leaks" ]; then
    ok "no password (plain or base64) in any JSON output or stderr"
else
    not_ok "no password (plain or base64) in any JSON output or stderr"
    echo "$leaks" | diag
fi

# --- the JSON is the only thing on stdout, and it is one document ----------------------
check "every output is a single JSON document with schema 1" \
    python3 -c '
import json, sys
for p in sys.argv[1:]:
    with open(p, encoding="utf-8") as f:
        j = json.load(f)
    assert j["schema"] == 1, p
' "$OUT"/implicit-send.json "$OUT"/starttls-send.json "$OUT"/implicit-envelope.json \
    "$OUT"/untrusted.json "$OUT"/wrong-password.json

# --- bad usage: an unknown option ---------------------------------------------------------
printf '' | timeout 30 "$OD_CLI" check --address "$LAB_USER" --host "$LAB_HOST" \
    --port "$LAB_PORT_TLS" --security tls --frobnicate >"$OUT/bad-usage.json" \
    2>"$OUT/bad-usage.stderr"
RC=$?
check "an unknown option: exit status 2" test "$RC" = 2

echo "1..$N"
exit $((FAILED > 0))
