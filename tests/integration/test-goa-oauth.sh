#!/bin/bash
# GNOME Online Accounts' OAuth accounts (issue 17), with the command line, in a private session
# (keyring-session.sh none: a bus that starts no service) where tests/fake/fake-goa-service
# stands in for goa-daemon: Account, Mail and OAuth2Based of a Google account whose token the
# fake SMTP server takes, one whose token it refuses (Google's error challenge), one GOA says
# needs attention, a windows_live account refused as Outlook refuses GOA 3.46's tokens, one
# whose sign-in needs an administrator's consent (AADSTS65001), and a Microsoft 365 (Graph
# only) account without mail. Each is found, and `check --account goa:ID` gets the token
# from the fake GOA at the moment of the check and ends as it must: sent, or the problem id
# with its remedy. The tokens are in no output. Output: TAP.
# Environment (set by meson): OD_CLI, OD_FAKE_SMTP_SERVER, OD_FAKE_GOA_SERVICE,
# OD_MAKE_TEST_CERTS, OD_SOURCE_ROOT, OD_TEST_OUTPUT_DIR; OD_KEYRING_TMP from
# keyring-session.sh.
set -u

N=0
ok() { N=$((N + 1)); echo "ok $N - $1"; }
not_ok() { N=$((N + 1)); echo "not ok $N - $1"; }
check() { if [ "$1" = 0 ]; then ok "$2"; else not_ok "$2"; fi; }

OUT=$OD_TEST_OUTPUT_DIR/goa-oauth
rm -rf "$OUT"
mkdir -p "$OUT"
TMP=$OD_KEYRING_TMP
token_of() { awk -F'\t' -v u="$1" '$1 == u && $3 == "token" { print $2; exit }' "$OD_SOURCE_ROOT/tests/data/test-passwords.tsv"; }
TOKEN=$(token_of oauth@example.org)
USER_NAME=oauth@example.org
export OD_FOUND_CLIENTS=goa

PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done' EXIT

"$OD_MAKE_TEST_CERTS" "$TMP/certs" >/dev/null

# start_server NAME CAPS OAUTH-ERROR OAUTH-FINAL — a fake SMTP server taking only $TOKEN;
# its port in $PORT.
start_server() {
    cat >"$TMP/$1.ini" <<INI
[server]
address=127.0.0.1
port=0
cert-file=$TMP/certs/good-cert.pem
key-file=$TMP/certs/good-key.pem
capabilities-after-tls=$2
user=$USER_NAME
password=no password works here
require-auth=true
oauth-token=$TOKEN
INI
    [ -n "$3" ] && printf 'oauth-error=%s\n' "$3" >>"$TMP/$1.ini"
    [ -n "$4" ] && printf 'oauth-final=%s\n' "$4" >>"$TMP/$1.ini"
    "$OD_FAKE_SMTP_SERVER" --script "$TMP/$1.ini" >"$TMP/$1.port" 2>"$TMP/$1.err" &
    PIDS="$PIDS $!"
    for _ in $(seq 50); do grep -q '^PORT' "$TMP/$1.port" && break; sleep 0.1; done
    PORT=$(sed -n 's/^PORT //p' "$TMP/$1.port")
}

start_server google 'SIZE 1000000\nAUTH LOGIN PLAIN XOAUTH2 OAUTHBEARER\nENHANCEDSTATUSCODES' '' ''
GOOGLE=$PORT
start_server outlook 'SIZE 1000000\nAUTH LOGIN XOAUTH2\nENHANCEDSTATUSCODES' \
    '{"status":"401","schemes":"bearer"}' \
    '535 5.7.3 Authentication unsuccessful [AM0PR10CA0042.EURPRD10.PROD.OUTLOOK.COM]'
OUTLOOK=$PORT

# The accounts GOA has.
mail_keys() {
    printf 'EmailAddress=%s\nName=Ada Example\nSmtpHost=127.0.0.1:%s\nSmtpUserName=%s\nSmtpUseTls=true\n' \
        "$1" "$2" "$USER_NAME"
}
{
    printf '[account_google_ok]\nProvider=google\nProviderName=Google\nIdentity=%s\nToken=%s\n' "$USER_NAME" "$TOKEN"
    mail_keys "$USER_NAME" "$GOOGLE"
    printf '\n[account_google_revoked]\nProvider=google\nProviderName=Google\nIdentity=revoked@example.org\nToken=ya29.a-revoked-token\n'
    mail_keys revoked@example.org "$GOOGLE"
    printf '\n[account_google_attention]\nProvider=google\nProviderName=Google\nIdentity=tired@example.org\nAttentionNeeded=true\nTokenError=Failed to refresh the token\n'
    mail_keys tired@example.org "$GOOGLE"
    printf '\n[account_live]\nProvider=windows_live\nProviderName=Microsoft\nIdentity=live@example.org\nToken=EwB-live-connect-token\n'
    mail_keys live@example.org "$OUTLOOK"
    printf '\n[account_consent]\nProvider=windows_live\nProviderName=Microsoft\nIdentity=corp@example.org\nTokenError=AADSTS65001: The user or administrator has not consented to use the application\n'
    mail_keys corp@example.org "$OUTLOOK"
    printf '\n[account_graph]\nProvider=ms_graph\nProviderName=Microsoft 365\nIdentity=ada@corp.example\nMail=false\n'
} >"$TMP/goa.ini"
"$OD_FAKE_GOA_SERVICE" "$TMP/goa.ini" >"$TMP/goa.out" 2>"$TMP/goa.err" &
PIDS="$PIDS $!"
for _ in $(seq 50); do grep -q '^READY' "$TMP/goa.out" && break; sleep 0.1; done

echo "1..9"

# cli NAME ARG… — the CLI's output in $OUT/NAME.out and .err, its status in $STATUS.
cli() {
    local name=$1
    shift
    timeout 60 "$OD_CLI" "$@" </dev/null >"$OUT/$name.out" 2>"$OUT/$name.err"
    STATUS=$?
}

json_true() {
    python3 -c 'import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
def step(i):
    return next((s for s in j.get("steps", []) if s["id"] == i), {})
problems = j.get("problems", [])
ok = eval(sys.argv[2])
if not ok:
    print("# %s" % json.dumps([(s["id"], s["status"], s["detail"]) for s in j.get("steps", [])] + problems)[:1500])
sys.exit(0 if ok else 1)' "$1" "$2"
}

cli list accounts list --json
json_true "$OUT/list.out" '(lambda f: f["goa:account_google_ok"]["secret"] == "goa-oauth2" and f["goa:account_google_ok"]["auth_mechanism"] == "XOAUTH2" and any("cannot send mail over SMTP" in n for n in f["goa:account_graph"]["notes"]))({a["id"]: a for a in j["found"]})'
check $? "found: the OAuth accounts with their token as secret, the Microsoft 365 account with why it has no mail"

cli ok check --account goa:account_google_ok --ca-file "$TMP/certs/ca.pem" --send-test --json
json_true "$OUT/ok.out" 'j["verdict"] == "pass" and "token from GNOME Online Accounts (OAUTHBEARER)" in step("auth")["detail"] and step("data")["status"] == "pass"'
check $? "a Google account: the token from GOA at the moment of the check, OAUTHBEARER, the test message sent (status $STATUS)"

cli revoked check --account goa:account_google_revoked --ca-file "$TMP/certs/ca.pem" --json
json_true "$OUT/revoked.out" 'problems[0]["id"] == "oauth-signin-required" and problems[0]["server_reply"].startswith("535") and "Settings → Online Accounts" in problems[0]["remedy"] and "invalid_token" not in step("auth")["detail"] and "status “401”" in step("auth")["detail"]'
check $? "a refused token: oauth-signin-required, sign in again in Settings → Online Accounts, the server's 535 (status $STATUS)"
[ "$STATUS" = 1 ]
check $? "a refused token: exit status 1"

cli attention check --account goa:account_google_attention --ca-file "$TMP/certs/ca.pem" --json
json_true "$OUT/attention.out" 'problems[0]["id"] == "oauth-signin-required" and step("tls")["status"] == "pass" and "No sign-in token for this account: GNOME Online Accounts" in step("auth")["detail"]'
check $? "GOA says the account needs attention: the server is still checked, the login step says why (status $STATUS)"

cli live check --account goa:account_live --ca-file "$TMP/certs/ca.pem" --json
json_true "$OUT/live.out" 'problems[0]["id"] == "oauth-signin-required" and "Microsoft’s mail server refused" in problems[0]["summary"] and "will not help" in problems[0]["remedy"] and step("auth")["detail"].find("XOAUTH2") >= 0'
check $? "GOA 3.46's windows_live token refused by Outlook: explained, signing in again will not help (status $STATUS)"

cli consent check --account goa:account_consent --ca-file "$TMP/certs/ca.pem" --json
json_true "$OUT/consent.out" 'problems[0]["id"] == "oauth-admin-consent" and "administrator" in problems[0]["remedy"]'
check $? "AADSTS65001 from GOA: oauth-admin-consent, the administrator must allow the app (status $STATUS)"

cli human check --account goa:account_google_revoked --ca-file "$TMP/certs/ca.pem"
grep -q "Online Accounts" "$OUT/human.out"
check $? "the human report names Settings → Online Accounts"

if grep -rqF -- "$TOKEN" "$OUT" "$TMP/google.err" "$TMP/outlook.err"; then
    not_ok "no token in any output: $(grep -rlF -- "$TOKEN" "$OUT" | tr '\n' ' ')"
else
    ok "no token in any output"
fi
