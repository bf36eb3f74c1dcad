#!/bin/bash
# Signing in with Google and Microsoft ourselves (issue 18), with the command line, in a
# private session with a real gnome-keyring (keyring-session.sh keyring). A local OAuth 2.0
# authorization server (tests/fake/fake-oauth-server.c) stands in for the provider's sign-in,
# reached through OD_OAUTH_TEST_ISSUER (loopback only); the browser stand-in
# (tests/fake/fake-browser.c) is the default browser of a throw-away XDG directory and follows
# the authorization page to our loopback redirect; the fake SMTP server takes only the token
# the fake provider issued. Covered: setup --oauth in the browser (PKCE S256, our state, the
# login hint), the refresh token in the keyring under protocol oauth2, check of the saved
# account with a refreshed token (the server takes only the new one) and a rotated refresh
# token saved, a revoked sign-in, the device grant (Microsoft), and the faults: denied, wrong
# state, admin consent, no client id, no browser for Google. No token, code or verifier in
# any output. Output: TAP.
# Environment (set by meson): OD_CLI, OD_FAKE_SMTP_SERVER, OD_FAKE_OAUTH_SERVER,
# OD_FAKE_BROWSER, OD_MAKE_TEST_CERTS, OD_SOURCE_ROOT, OD_TEST_OUTPUT_DIR; OD_KEYRING_TMP from
# keyring-session.sh.
set -u

N=0
ok() { N=$((N + 1)); echo "ok $N - $1"; }
not_ok() { N=$((N + 1)); echo "not ok $N - $1"; }
check() { if [ "$1" = 0 ]; then ok "$2"; else not_ok "$2"; fi; }

OUT=$OD_TEST_OUTPUT_DIR/oauth-signin
rm -rf "$OUT"
mkdir -p "$OUT"
TMP=$OD_KEYRING_TMP
secret_of() { awk -F'\t' -v s="$1" '$1 == "oauth-signin@example.org" && $3 == "token" && index($2, s) { print $2; exit }' "$OD_SOURCE_ROOT/tests/data/test-passwords.tsv"; }
TOKEN=$(secret_of Our-Own-Sign-In)
REFRESHED=$(secret_of Refreshed-Access)
REFRESH=$(secret_of Refresh-Token-From)
ROTATED=$(secret_of Rotated-Refresh)
ADDRESS=ada@gmail.com

. "$OD_SOURCE_ROOT/tests/lib/fake-browser-env.sh"
od_fake_browser_env "$TMP/browser" "$OD_FAKE_BROWSER" || { echo "1..0 # SKIP no browser stand-in"; exit 0; }

PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done' EXIT
"$OD_MAKE_TEST_CERTS" "$TMP/certs" >/dev/null

# wait_port FILE — the "PORT n" a fake server printed, in $PORT.
wait_port() {
    for _ in $(seq 50); do grep -q '^PORT' "$1" && break; sleep 0.1; done
    PORT=$(sed -n 's/^PORT //p' "$1")
}

# smtp NAME TOKEN [PORT] — a fake SMTP server (implicit TLS) taking only TOKEN; its port in
# $PORT and its pid in $SMTP_PID.
smtp() {
    cat >"$TMP/$1.ini" <<INI
[server]
address=127.0.0.1
port=${3:-0}
implicit-tls=true
cert-file=$TMP/certs/good-cert.pem
key-file=$TMP/certs/good-key.pem
capabilities-after-tls=SIZE 1000000\nAUTH PLAIN XOAUTH2 OAUTHBEARER\nENHANCEDSTATUSCODES
user=$ADDRESS
password=no password works here
require-auth=true
oauth-token=$2
oauth-error={"status":"401","schemes":"bearer"}
oauth-final=535 5.7.8 Username and Password not accepted
INI
    "$OD_FAKE_SMTP_SERVER" --script "$TMP/$1.ini" >"$TMP/$1.port" 2>"$TMP/$1.err" &
    SMTP_PID=$!
    PIDS="$PIDS $SMTP_PID"
    wait_port "$TMP/$1.port"
}

# oauth NAME [KEY=VALUE…] — the fake provider on $OAUTH_PORT (0 the first time); its pid in
# $OAUTH_PID.
OAUTH_PORT=0
oauth() {
    local name=$1
    shift
    {
        printf '[server]\nport=%s\nclient-id=od-test-client\nclient-secret=od-test-client-secret\n' "$OAUTH_PORT"
        printf 'access-token=%s\nrefresh-token=%s\nrefresh-access-token=%s\n' "$TOKEN" "$REFRESH" "$REFRESHED"
        printf 'secrets-log=%s\n' "$OUT/oauth-secrets.log"
        for kv in "$@"; do printf '%s\n' "$kv"; done
    } >"$TMP/$name.ini"
    "$OD_FAKE_OAUTH_SERVER" --script "$TMP/$name.ini" >"$TMP/$name.port" 2>"$TMP/$name.err" &
    OAUTH_PID=$!
    PIDS="$PIDS $OAUTH_PID"
    wait_port "$TMP/$name.port"
    OAUTH_PORT=$PORT
    export OD_OAUTH_TEST_ISSUER=http://127.0.0.1:$OAUTH_PORT
}
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

# cli NAME ARG… — the CLI's output in $OUT/NAME.out and .err, its status in $STATUS; a
# desktop session as far as the CLI can tell (the browser stand-in needs no display).
cli() {
    local name=$1
    shift
    WAYLAND_DISPLAY=od-test timeout 90 "$OD_CLI" "$@" </dev/null >"$OUT/$name.out" 2>"$OUT/$name.err"
    STATUS=$?
}
cli_headless() {
    local name=$1
    shift
    env -u WAYLAND_DISPLAY -u DISPLAY timeout 90 "$OD_CLI" "$@" </dev/null >"$OUT/$name.out" 2>"$OUT/$name.err"
    STATUS=$?
}

json_true() {
    python3 -c 'import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
steps = j.get("steps") or (j.get("check") or {}).get("steps", [])
def step(i):
    return next((s for s in steps if s["id"] == i), {})
problems = j.get("problems", [])
ok = eval(sys.argv[2])
if not ok:
    print("# %s" % json.dumps(j)[:1500])
sys.exit(0 if ok else 1)' "$1" "$2"
}

# keyring ATTR… — the secret stored under these attributes, compared, never printed.
keyring_is() {
    local want=$1
    shift
    [ "$(secret-tool lookup "$@" 2>/dev/null)" = "$want" ]
}

echo "1..18"

oauth provider
smtp smtp "$TOKEN"
SMTP=$PORT

SERVER="--host 127.0.0.1 --port $SMTP --security tls --ca-file $TMP/certs/ca.pem"
# shellcheck disable=SC2086
cli setup setup "$ADDRESS" --oauth --oauth-client-id od-test-client \
    --oauth-client-secret od-test-client-secret $SERVER --json
json_true "$OUT/setup.out" 'j["saved"] is True and j["account"]["oauth_provider"] == "google" and "token from Google" in step("auth")["detail"]'
check $? "setup --oauth in the browser: signed in with Google, the token accepted, the account saved (status $STATUS)"
ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["account"]["id"])' "$OUT/setup.out" 2>/dev/null)

grep -q 'code_challenge_method=S256' "$OD_FAKE_BROWSER_LOG" &&
    grep -q 'login_hint=ada%40gmail.com' "$OD_FAKE_BROWSER_LOG" &&
    grep -q 'redirect_uri=http%3A%2F%2F127.0.0.1%3A[0-9]*%2F' "$OD_FAKE_BROWSER_LOG" &&
    grep -q 'state=' "$OD_FAKE_BROWSER_LOG"
check $? "the browser opened the authorization page with PKCE S256, our state, the login hint and a loopback redirect"
grep -q 'Opening your browser to sign in with Google' "$OUT/setup.err"
check $? "the person is told the browser opens, with the address to visit if it does not"

keyring_is "$REFRESH" account "$ID" protocol oauth2 provider google
check $? "the refresh token is in the keyring under protocol oauth2 and provider google"
secret-tool search --all account "$ID" protocol oauth2 2>/dev/null | grep -q '^label = Outbox Doctor: ada@gmail.com at Google (sign-in)$'
check $? "its keyring item is labelled 'Outbox Doctor: USER at Google (sign-in)'"
[ -z "$(secret-tool lookup account "$ID" protocol smtp 2>/dev/null)" ]
check $? "no password item: the password stays with the provider"

# The next check: a new process, so a refresh; the server now takes only the refreshed token,
# and the provider rotates the refresh token.
stop "$SMTP_PID"
smtp smtp2 "$REFRESHED" "$SMTP"
stop "$OAUTH_PID"
oauth provider2 "rotated-refresh-token=$ROTATED"
cli check check --account "$ID" --ca-file "$TMP/certs/ca.pem" --send-test --json
json_true "$OUT/check.out" 'j["verdict"] == "pass" and step("data")["status"] == "pass"'
check $? "check --account: a refreshed token from the keyring's refresh token, the test message sent (status $STATUS)"
keyring_is "$ROTATED" account "$ID" protocol oauth2 provider google
check $? "the provider's new refresh token replaced the old one in the keyring"

# The sign-in revoked at the provider.
stop "$OAUTH_PID"
oauth provider3 fault=revoked
cli revoked check --account "$ID" --ca-file "$TMP/certs/ca.pem" --json
json_true "$OUT/revoked.out" 'problems[0]["id"] == "oauth-signin-required" and "Sign In Again" in problems[0]["remedy"] and step("tls")["status"] == "pass"'
check $? "a revoked sign-in: oauth-signin-required, sign in again here, the server still checked (status $STATUS)"
[ "$STATUS" = 1 ]
check $? "a revoked sign-in: exit status 1"

# Faults of the sign-in itself: nothing saved.
for case in "denied fault=denied oauth-signin-required" \
            "consent fault=admin-consent-token oauth-admin-consent" \
            "state fault=wrong-state not.finished.in.time"; do
    set -- $case
    stop "$OAUTH_PID"
    oauth "provider-$1" "$2"
    # A redirect with another state is ignored: that sign-in ends only when its time is up.
    # shellcheck disable=SC2086
    cli "fault-$1" setup "bob-$1@gmail.com" --oauth --oauth-client-id od-test-client \
        --oauth-client-secret od-test-client-secret $SERVER --json --timeout 8
    [ "$STATUS" = 1 ] && grep -q "$3" "$OUT/fault-$1.err" &&
        json_true "$OUT/fault-$1.out" 'j["saved"] is False and j["sign_in"]["error"]' >/dev/null
    check $? "sign-in fault $2: exit 1, $3, nothing saved (status $STATUS)"
done

# No client id in this build, none given.
# shellcheck disable=SC2086
cli noclient setup "carol@gmail.com" --oauth $SERVER --json
[ "$STATUS" = 1 ] && grep -q 'cannot sign in with Google' "$OUT/noclient.err"
check $? "no client id: this copy cannot sign in with Google, with the ways forward (status $STATUS)"

# Google offers no device grant for mail: without a desktop, said so.
# shellcheck disable=SC2086
cli_headless nobrowser setup "dave@gmail.com" --oauth --oauth-client-id od-test-client $SERVER --json
[ "$STATUS" = 1 ] && grep -q 'Google offers no sign-in without a browser' "$OUT/nobrowser.err"
check $? "Google without a browser: said so, exit 1 (status $STATUS)"

# The device grant (Microsoft): the code and the address printed, then the sign-in.
stop "$OAUTH_PID"
oauth provider-device device-pending=2 device-interval=1 expires-in=3600
stop "$SMTP_PID"
smtp smtp3 "$TOKEN" "$SMTP"
cli_headless device setup "erin@outlook.com" --oauth --oauth-client-id od-test-client \
    --oauth-client-secret od-test-client-secret \
    --host 127.0.0.1 --port "$SMTP" --security tls --user "$ADDRESS" --ca-file "$TMP/certs/ca.pem" --json
json_true "$OUT/device.out" 'j["saved"] is True and j["account"]["oauth_provider"] == "microsoft"'
check $? "the device grant on a terminal without a browser: Microsoft, saved (status $STATUS)"
grep -q 'To sign in with Microsoft, open http://127.0.0.1:[0-9]*/device on any device and enter the code' "$OUT/device.err"
check $? "the device grant: the address and the code printed"

if grep -rqF -e "$TOKEN" -e "$REFRESHED" -e "$REFRESH" -e "$ROTATED" "$OUT"/*.out "$OUT"/*.err "$TMP"/*.err; then
    not_ok "no token in any output"
else
    ok "no token in any output"
fi
