#!/bin/bash
# End to end: "outbox-doctor-cli setup", "accounts list|show|remove" and "check --account"
# against the real Postfix + Dovecot lab (tests/lab/postfix-lab.sh), with the keyring:
#
#   phase keyring  a real gnome-keyring-daemon (keyring-session.sh keyring): setup saves the
#                  account and the password (secret-tool finds the item with the documented
#                  schema, attributes and label), check --account logs in with the saved
#                  password, a pinned certificate is accepted and a changed one is refused,
#                  remove deletes the secret;
#   phase none     no secret service (keyring-session.sh none): setup says so and saves the
#                  account without its password, check --account asks for --password-stdin,
#                  and no file anywhere contains the password.
#
# Output: TAP (the plan at the end). Every CLI output and a copy of each phase's
# configuration directory are kept under $OD_TEST_OUTPUT_DIR, which the suite's secret scan
# reads. Runs the lab, so it must run as root; skipped otherwise, or without postfix,
# dovecot, dbus-run-session or gnome-keyring.
#
# Environment: OD_CLI, OD_MAKE_TEST_CERTS, OD_LAB_PASSWORD_FILE, OD_TEST_OUTPUT_DIR (set by
# meson); OD_LAB_SCRIPT (default ../lab/postfix-lab.sh beside this file).

# shellcheck disable=SC2317  # functions called indirectly
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
LAB=${OD_LAB_SCRIPT:-$HERE/../lab/postfix-lab.sh}
SESSION=$HERE/keyring-session.sh
export PATH=$PATH:/usr/sbin:/sbin

# ---------------------------------------------------------------------------------------------
# Shared by both phases
# ---------------------------------------------------------------------------------------------

# TAP numbering continues across the phases through a counter file.
ok() {
    local n
    n=$(($(cat "$OD_TAP_COUNTER") + 1))
    echo "$n" >"$OD_TAP_COUNTER"
    echo "ok $n - $1"
}
not_ok() {
    local n
    n=$(($(cat "$OD_TAP_COUNTER") + 1))
    echo "$n" >"$OD_TAP_COUNTER"
    echo "not ok $n - $1"
    echo 1 >"$OD_TAP_FAILED"
}
check() {
    local desc=$1
    shift
    if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# cli NAME ARGS... — runs the CLI with stdin from /dev/null (no terminal, no password);
# stdout to $OUT/NAME.out, stderr to $OUT/NAME.err; sets RC.
cli() {
    local name=$1
    shift
    timeout 120 "$OD_CLI" "$@" </dev/null >"$OUT/$name.out" 2>"$OUT/$name.err"
    RC=$?
}
# cli_pw NAME ARGS... — the same with the lab password on standard input.
cli_pw() {
    local name=$1
    shift
    timeout 120 "$OD_CLI" "$@" <"$LAB_PASSWORD_FILE" >"$OUT/$name.out" 2>"$OUT/$name.err"
    RC=$?
}

# json_check NAME EXPRESSION... — every Python expression is true for j, the parsed
# $OUT/NAME.out; step(i) is the check step with that id.
json_check() {
    local name=$1
    shift
    python3 - "$OUT/$name.out" "$@" <<'EOF'
import json, sys
path, exprs = sys.argv[1], sys.argv[2:]
try:
    with open(path, encoding="utf-8") as f:
        j = json.load(f)
except Exception as e:
    print("# %s: not JSON: %s" % (path, e))
    sys.exit(1)
def step(i, c=None):
    c = c if c is not None else (j.get("check") or j)
    for s in c.get("steps", []):
        if s.get("id") == i:
            return s
    return {}
bad = 0
for e in exprs:
    try:
        r = eval(e, {"j": j, "step": step})
    except Exception as ex:
        r = False
        print("# %s: %s raised %r" % (path, e, ex))
    if not r:
        bad += 1
        print("# false: %s" % e)
sys.exit(1 if bad else 0)
EOF
}

# Shows a command's stderr as TAP comments, the password blanked out.
show() {
    local name=$1 line
    echo "# $name: exit status $RC"
    while IFS= read -r line || [ -n "$line" ]; do
        printf '# %s\n' "${line//"$PASSWORD"/[password]}"
    done <"$OUT/$name.err"
}

# no_password_in DIR... — true if no file under the directories contains the password, in
# plain text or base64 (alone, or as the AUTH PLAIN blob).
no_password_in() {
    local b64 blob hits
    b64=$(printf '%s' "$PASSWORD" | base64 -w0)
    blob=$(printf '\0%s\0%s' "$LAB_USER" "$PASSWORD" | base64 -w0)
    hits=$(grep -rlF -e "$PASSWORD" -e "$b64" -e "$blob" "$@" 2>/dev/null)
    if [ -n "$hits" ]; then
        echo "$hits" | sed 's/^/# contains the password: /'
        return 1
    fi
    return 0
}

keep_config() {
    mkdir -p "$OUT/config"
    cp -a "$XDG_CONFIG_HOME/." "$OUT/config/" 2>/dev/null || true
}

ID=tester-lab-test

# ---------------------------------------------------------------------------------------------
# Phase keyring: runs inside keyring-session.sh keyring
# ---------------------------------------------------------------------------------------------
phase_keyring() {
    local fp other ini

    OUT=$OD_OUTPUT_BASE/keyring
    mkdir -p "$OUT"
    ini=$XDG_CONFIG_HOME/outbox-doctor/accounts.ini

    cli list-empty accounts list --json
    check "keyring: no accounts at first" json_check list-empty 'j["schema"] == 1' 'j["accounts"] == []'

    # setup with explicit settings (the lab is on loopback: nothing to detect)
    cli_pw setup setup "$LAB_USER" --name "Lab account" --host "$LAB_HOST" \
        --port "$LAB_PORT_TLS" --security tls --ca-file "$LAB_CA_FILE" --password-stdin \
        --json --timeout 60
    [ "$RC" = 0 ] || show setup
    check "setup: exit status 0" test "$RC" = 0
    check "setup: saved, password in the keyring, check passed without sending" \
        json_check setup 'j["schema"] == 1' 'j["saved"] is True' 'j["password_saved"] is True' \
        'j["keyring_error"] is None' "j['account']['id'] == '$ID'" \
        'j["account"]["name"] == "Lab account"' 'j["account"]["source"] == "manual"' \
        "j['account']['port'] == $LAB_PORT_TLS" 'j["account"]["security"] == "tls"' \
        'j["account"]["auth_mechanism"] in ("PLAIN", "LOGIN")' \
        'j["account"]["last_check"]["verdict"] == "pass"' \
        'j["check"]["verdict"] == "pass"' 'step("auth")["status"] == "pass"' \
        'step("recipient")["status"] == "pass"' 'step("data")["status"] == "skip"'

    # The item, seen by secret-tool (not by our code)
    secret-tool search --all account "$ID" >"$OUT/secret-tool.raw" 2>&1
    grep -v '^secret = ' "$OUT/secret-tool.raw" >"$OUT/secret-tool.txt"
    check "secret-tool finds one item with the documented schema, attributes and label" \
        python3 - "$OUT/secret-tool.txt" "$LAB_USER" "$LAB_HOST" "$LAB_PORT_TLS" "$ID" <<'EOF'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
user, host, port, ident = sys.argv[2:6]
want = {
    "label": "Outbox Doctor: %s on %s" % (user, host),
    "schema": "org.outboxdoctor.OutboxDoctor.Account",
    "attribute.account": ident, "attribute.protocol": "smtp", "attribute.host": host,
    "attribute.port": port, "attribute.user": user,
}
items = sum(1 for l in text.splitlines() if l.startswith("[/"))
got = dict(l.split(" = ", 1) for l in text.splitlines() if " = " in l)
bad = [k for k, v in want.items() if got.get(k) != v]
for k in bad:
    print("# %s: want %r, got %r" % (k, want[k], got.get(k)))
print("# items: %d" % items) if items != 1 else None
sys.exit(1 if bad or items != 1 else 0)
EOF
    if grep -qxF "secret = $PASSWORD" "$OUT/secret-tool.raw"; then
        ok "the keyring item holds the password"
    else
        not_ok "the keyring item holds the password"
    fi
    rm -f "$OUT/secret-tool.raw"

    check "accounts.ini: mode 0600 in a 0700 folder" \
        test "$(stat -c %a "$ini")" = 600 -a "$(stat -c %a "$(dirname "$ini")")" = 700
    check "accounts.ini: no password in the configuration" no_password_in "$XDG_CONFIG_HOME"

    cli list accounts list --json
    check "accounts list --json: the account" \
        json_check list "len(j['accounts']) == 1" "j['accounts'][0]['id'] == '$ID'"
    cli list-text accounts list
    check "accounts list: one line with the id and the server" \
        grep -q "^$ID  $LAB_USER  $LAB_HOST:$LAB_PORT_TLS (TLS)" "$OUT/list-text.out"
    cli show accounts show "$ID" --json
    check "accounts show --json: settings and last check" \
        json_check show "j['account']['id'] == '$ID'" "j['account']['host'] == '$LAB_HOST'" \
        'j["account"]["last_check"]["verdict"] == "pass"' 'j["account"]["pinned_certificates"] == []'
    cli show-missing accounts show no-such-account
    check "accounts show of an unknown id: exit status 2" test "$RC" = 2

    # check --account: the password comes from the keyring (stdin is /dev/null)
    sleep 1
    cli check-account check --account "$ID" --ca-file "$LAB_CA_FILE" --json --timeout 60
    [ "$RC" = 0 ] || show check-account
    check "check --account: exit status 0 with the saved password" test "$RC" = 0
    check "check --account: logged in, envelope accepted, server from the account" \
        json_check check-account 'j["verdict"] == "pass"' 'step("auth")["status"] == "pass"' \
        "j['server']['port'] == $LAB_PORT_TLS" \
        'any(t["dir"] == "C" and t["text"].upper().startswith("AUTH ") for t in j["transcript"])'
    cli show-after accounts show "$ID" --json
    check "check --account: the account's last check was updated" \
        python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["account"]["last_check"]
b = json.load(open(sys.argv[2]))["account"]["last_check"]
sys.exit(0 if b["verdict"] == "pass" and b["time"] > a["time"] else 1)' \
        "$OUT/show.out" "$OUT/show-after.out"

    # Pinning, for real: without the CA file the certificate is untrusted; nothing is saved.
    cli_pw setup-untrusted setup "$LAB_USER" --host "$LAB_HOST" --port "$LAB_PORT_TLS" \
        --security tls --password-stdin --json --timeout 60
    check "setup without the CA: exit status 1, tls-certificate-untrusted, not saved" \
        json_check setup-untrusted 'j["saved"] is False' 'j["account"] is None' \
        'j["check"]["problems"][0]["id"] == "tls-certificate-untrusted"'
    check "setup without the CA: exit status 1" test "$RC" = 1
    cli_pw setup-untrusted-text setup "$LAB_USER" --host "$LAB_HOST" --port "$LAB_PORT_TLS" \
        --security tls --password-stdin --timeout 60
    check "setup without the CA (text): says how to trust the certificate after checking it" \
        grep -q -- "--trust-certificate [0-9A-F:]*$" "$OUT/setup-untrusted-text.out"
    fp=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["check"]["tls"]["sha256"])' \
        "$OUT/setup-untrusted.out")

    cli_pw setup-pinned setup "$LAB_USER" --host "$LAB_HOST" --port "$LAB_PORT_TLS" \
        --security tls --password-stdin --json --timeout 60 --trust-certificate "$fp"
    [ "$RC" = 0 ] || show setup-pinned
    check "setup --trust-certificate: saved with the pin for this host and port" \
        json_check setup-pinned 'j["saved"] is True' "j['account']['id'] == '$ID'" \
        "j['account']['pinned_certificates'] == [{'host': '$LAB_HOST', 'port': $LAB_PORT_TLS, 'fingerprint': '$fp'}]"
    cli check-pinned check --account "$ID" --json --timeout 60
    [ "$RC" = 0 ] || show check-pinned
    check "check --account with the pinned certificate and no CA file: pass" \
        json_check check-pinned 'j["verdict"] == "pass"' 'step("tls")["status"] == "pass"' \
        'step("auth")["status"] == "pass"'

    # The server's certificate "changes": the pin in the file no longer matches.
    if [ "${fp:0:2}" = 00 ]; then other="FF:${fp:3}"; else other="00:${fp:3}"; fi
    sed -i "s/$fp/$other/" "$ini"
    cli check-changed check --account "$ID" --json --timeout 60
    check "check --account after a certificate change: exit status 1" test "$RC" = 1
    check "check --account after a certificate change: tls-certificate-changed, no login" \
        json_check check-changed 'j["problems"][0]["id"] == "tls-certificate-changed"' \
        'j["problems"][0]["step"] == "tls"' "'$fp' in step('tls')['detail']" \
        'not any(t["dir"] == "C" and t["text"].upper().startswith("AUTH") for t in j["transcript"])'

    # remove: the account and its secret
    cli remove accounts remove "$ID" --json
    [ "$RC" = 0 ] || show remove
    check "accounts remove: exit status 0, password removed" \
        json_check remove "j['removed'] == '$ID'" 'j["password_removed"] is True'
    check "accounts remove: secret-tool finds no item" \
        test -z "$(secret-tool search --all account "$ID" 2>&1 | grep '^\[/')"
    cli list-after accounts list --json
    check "accounts remove: no account left" json_check list-after 'j["accounts"] == []'
    cli check-removed check --account "$ID" --json
    check "check --account of a removed account: exit status 2" test "$RC" = 2

    keep_config
    check "keyring phase: no password in any output or configuration" \
        no_password_in "$OUT" "$XDG_CONFIG_HOME"
}

# ---------------------------------------------------------------------------------------------
# Phase none: runs inside keyring-session.sh none
# ---------------------------------------------------------------------------------------------
phase_none() {
    local ini ns

    OUT=$OD_OUTPUT_BASE/none
    mkdir -p "$OUT"
    ini=$XDG_CONFIG_HOME/outbox-doctor/accounts.ini

    cli_pw setup setup "$LAB_USER" --host "$LAB_HOST" --port "$LAB_PORT_STARTTLS" \
        --security starttls --ca-file "$LAB_CA_FILE" --password-stdin --json --timeout 60
    [ "$RC" = 0 ] || show setup
    check "no keyring: setup still saves the verified account (exit 0)" test "$RC" = 0
    check "no keyring: setup says so and saves no password" \
        json_check setup 'j["saved"] is True' 'j["password_saved"] is False' \
        '"No keyring is available" in j["keyring_error"]' 'j["check"]["verdict"] == "pass"'
    cli_pw setup-text setup "$LAB_USER" --host "$LAB_HOST" --port "$LAB_PORT_STARTTLS" \
        --security starttls --ca-file "$LAB_CA_FILE" --password-stdin --timeout 60
    check "no keyring (text): the password will be asked for each time" \
        grep -q "No keyring is available.*asked for each time" "$OUT/setup-text.out"

    cli check-no-password check --account "$ID" --ca-file "$LAB_CA_FILE" --json --timeout 60
    check "no keyring: check --account without a terminal asks for --password-stdin (exit 2)" \
        test "$RC" = 2
    check "no keyring: check --account explains why" \
        grep -q "No keyring is available.*--password-stdin" <(tr '\n' ' ' <"$OUT/check-no-password.err")

    cli_pw check-stdin check --account "$ID" --ca-file "$LAB_CA_FILE" --password-stdin --json \
        --timeout 60
    [ "$RC" = 0 ] || show check-stdin
    check "no keyring: check --account --password-stdin passes" \
        json_check check-stdin 'j["verdict"] == "pass"' 'step("auth")["status"] == "pass"'

    check "no keyring: no file in HOME or the XDG folders contains the password" \
        no_password_in "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" \
        "$XDG_RUNTIME_DIR"

    # Detection that finds nothing: exit 1, nothing saved. In a network namespace of our own
    # with only loopback, so that no lookup leaves the machine.
    ns=od-setup-$$
    if ip netns add "$ns" 2>/dev/null; then
        ip netns exec "$ns" ip link set lo up
        ip netns exec "$ns" timeout 60 "$OD_CLI" setup nobody@example.invalid --password-stdin \
            --json <"$LAB_PASSWORD_FILE" >"$OUT/setup-nothing.out" 2>"$OUT/setup-nothing.err"
        RC=$?
        ip netns delete "$ns"
        check "setup when detection finds nothing: exit status 1" test "$RC" = 1
        check "setup when detection finds nothing: why, and nothing saved" \
            json_check setup-nothing 'j["saved"] is False' 'j["account"] is None' \
            'j["detect"]["best"] is None' 'len(j["detect"]["problems"]) > 0' 'j["check"] is None'
    else
        ok "setup when detection finds nothing # SKIP cannot create a network namespace"
    fi

    # A damaged file: the readable account is still listed, the damage is reported.
    cp "$ini" "$OUT/accounts.ini.good"
    printf 'garbage line\n[Account broken]\naddress=x@y.z\nsmtp-ho' >>"$ini"
    cli list-damaged accounts list --json
    check "a damaged accounts.ini: the readable account is listed (exit 0)" \
        json_check list-damaged "[a['id'] for a in j['accounts']] == ['$ID']"
    check "a damaged accounts.ini: reported, and kept aside" \
        grep -q "was damaged.*kept as" "$OUT/list-damaged.err"
    check "a damaged accounts.ini: the damaged file is kept byte for byte" \
        test -n "$(ls "$ini".corrupt-* 2>/dev/null)"

    cli remove accounts remove "$ID"
    check "no keyring: accounts remove still removes the account (exit 0)" test "$RC" = 0
    check "no keyring: accounts remove says the keyring could not be reached" \
        grep -q "No keyring is available" "$OUT/remove.err"

    keep_config
    check "no-keyring phase: no password in any output or configuration" \
        no_password_in "$OUT" "$XDG_CONFIG_HOME"
}

if [ "${1:-}" = --phase ]; then
    # shellcheck disable=SC1090
    set -a; . "$OD_LAB_ENV"; set +a
    PASSWORD=$(head -n 1 "$LAB_PASSWORD_FILE")
    "phase_$2"
    exit 0
fi

# ---------------------------------------------------------------------------------------------
# Main: start the lab, run both phases, stop the lab
# ---------------------------------------------------------------------------------------------
if ! command -v postfix >/dev/null || ! command -v dovecot >/dev/null; then
    echo "1..0 # SKIP postfix or dovecot is not installed (packages postfix, dovecot-core)"
    exit 0
fi
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null ||
    ! command -v secret-tool >/dev/null; then
    echo "1..0 # SKIP needs dbus, gnome-keyring and libsecret-tools"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP the Postfix lab must run as root"
    exit 0
fi
if [ -z "${OD_CLI:-}" ] || [ ! -x "$OD_CLI" ]; then
    echo "Bail out! OD_CLI is not set to the built outbox-doctor-cli"
    exit 1
fi

LAB_DIR=$(mktemp -d /tmp/od-setup-lab.XXXXXX)
export OD_OUTPUT_BASE=${OD_TEST_OUTPUT_DIR:-$LAB_DIR/output}
mkdir -p "$OD_OUTPUT_BASE"
export OD_TAP_COUNTER=$LAB_DIR/tap-counter OD_TAP_FAILED=$LAB_DIR/tap-failed
echo 0 >"$OD_TAP_COUNTER"
echo 0 >"$OD_TAP_FAILED"
export OD_LAB_ENV=$LAB_DIR/env OD_CLI

cleanup() {
    "$LAB" stop "$LAB_DIR" >/dev/null 2>&1 || true
    mkdir -p "$OD_OUTPUT_BASE/lab-logs"
    cp "$LAB_DIR"/logs/*.log "$OD_OUTPUT_BASE/lab-logs/" 2>/dev/null || true
    rm -rf "$LAB_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! "$LAB" start "$LAB_DIR" >"$OD_OUTPUT_BASE/lab-start.log" 2>&1; then
    echo "Bail out! the Postfix lab did not start"
    sed 's/^/# /' "$OD_OUTPUT_BASE/lab-start.log"
    exit 1
fi

for phase in keyring none; do
    if ! "$SESSION" "$phase" "$0" --phase "$phase"; then
        n=$(($(cat "$OD_TAP_COUNTER") + 1))
        echo "$n" >"$OD_TAP_COUNTER"
        echo "not ok $n - the $phase phase ran to its end"
        echo 1 >"$OD_TAP_FAILED"
    fi
done

echo "1..$(cat "$OD_TAP_COUNTER")"
exit "$(cat "$OD_TAP_FAILED")"
