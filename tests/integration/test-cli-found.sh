#!/bin/bash
# "outbox-doctor-cli accounts list" and "accounts show ORIGIN:ID" with the accounts other
# mail clients keep: a throw-away home where msmtp, git send-email, neomutt and aerc are set
# up (the readers' realistic fixtures) and an msmtp passwordeval that would leave a marker
# file; no session bus, so GNOME Online Accounts and Evolution are reported unavailable.
# Checked: the JSON keeps "accounts" for ours (each with "origin") and adds "found" and
# "clients"; the human output lists them under "Found on this computer"; "accounts show"
# shows one; an unknown ORIGIN:ID is a usage error; the marker never appears. Output: TAP.
# Environment (set by meson): OD_CLI, OD_SOURCE_ROOT.
set -u

N=0
FAILED=0
ok() { N=$((N + 1)); echo "ok $N - $1"; }
not_ok() { N=$((N + 1)); FAILED=$((FAILED + 1)); echo "not ok $N - $1"; }

HOME_DIR=$(mktemp -d /tmp/od-cli-found.XXXXXX)
trap 'rm -rf "$HOME_DIR"' EXIT
for client in msmtp git neomutt aerc; do
    cp -a "$OD_SOURCE_ROOT/tests/data/found/$client/realistic/." "$HOME_DIR/"
done
MARKER=$HOME_DIR/marker
# A port of this machine where nothing listens: the check of the found account meets a
# refusal, on loopback only.
CLOSED_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '\naccount marked\nhost 127.0.0.1\nport %s\ntls on\ntls_starttls off\nauth on\nuser m\nfrom m@example.org\npasswordeval "touch %s"\n' \
    "$CLOSED_PORT" "$MARKER" >>"$HOME_DIR/.config/msmtp/config"

cli() {
    env -u DBUS_SESSION_BUS_ADDRESS HOME="$HOME_DIR" XDG_CONFIG_HOME="$HOME_DIR/.config" \
        timeout 60 "$OD_CLI" "$@"
}

echo "1..7"

cli accounts list --json >"$HOME_DIR/list.json" 2>"$HOME_DIR/list.err"
if python3 - "$HOME_DIR/list.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
found = {a["id"]: a for a in j["found"]}
clients = {c["origin"]: c for c in j["clients"]}
checks = [j["accounts"] == [], "msmtp:work" in found, found["msmtp:work"]["origin"] == "msmtp",
          found["msmtp:work"]["secret"] == "keyring", found["msmtp:work"]["port"] == 587,
          found["msmtp:marked"]["secret"] == "ask",
          any(i.startswith("git:") for i in found), any(i.startswith("neomutt:") for i in found),
          any(i.startswith("aerc:") for i in found),
          clients["goa"]["error"] is not None, clients["evolution"]["error"] is not None,
          clients["msmtp"]["error"] is None,
          all("password" not in a for a in found.values())]
if not all(checks):
    print("# %s" % [i for i, c in enumerate(checks) if not c])
sys.exit(0 if all(checks) else 1)
EOF
then ok "accounts list --json: found accounts with their origin and secret, clients with errors"
else not_ok "accounts list --json: found accounts with their origin and secret, clients with errors"; fi

cli accounts list >"$HOME_DIR/list.txt" 2>&1
if grep -q "^Found on this computer:" "$HOME_DIR/list.txt" &&
   grep -q "^msmtp:work  ada@example.org  smtp.example.org:587 (STARTTLS) — msmtp$" "$HOME_DIR/list.txt"; then
    ok "accounts list: the found accounts under “Found on this computer”"
else
    sed 's/^/# /' "$HOME_DIR/list.txt"
    not_ok "accounts list: the found accounts under “Found on this computer”"
fi

cli accounts show msmtp:work >"$HOME_DIR/show.txt" 2>&1
if grep -q "Mail client: *msmtp" "$HOME_DIR/show.txt" &&
   grep -q "Outgoing server: *smtp.example.org:587 (STARTTLS)" "$HOME_DIR/show.txt"; then
    ok "accounts show msmtp:work"
else
    sed 's/^/# /' "$HOME_DIR/show.txt"
    not_ok "accounts show msmtp:work"
fi

cli accounts show msmtp:nobody >/dev/null 2>"$HOME_DIR/show-unknown.err"
status=$?
if [ "$status" = 2 ] && grep -q "msmtp:nobody" "$HOME_DIR/show-unknown.err"; then
    ok "accounts show of an unknown ORIGIN:ID: usage error"
else
    not_ok "accounts show of an unknown ORIGIN:ID: usage error (status $status)"
fi

# check --account ORIGIN:ID: the client's settings as they are. msmtp would run a command
# for this password: without a terminal or --password-stdin there is none.
cli check --account msmtp:marked --json </dev/null >"$HOME_DIR/check-nopw.json" \
    2>"$HOME_DIR/check-nopw.err"
status=$?
if [ "$status" = 2 ] && grep -q -- "--password-stdin" "$HOME_DIR/check-nopw.err"; then
    ok "check --account msmtp:marked without a password: says how to give it"
else
    not_ok "check --account msmtp:marked without a password: says how to give it ($status)"
fi

printf 'not-the-password\n' | cli check --account msmtp:marked --password-stdin --json \
    --timeout 20 >"$HOME_DIR/check.json" 2>"$HOME_DIR/check.err"
status=$?
if [ "$status" = 1 ] && python3 - "$HOME_DIR/check.json" "$CLOSED_PORT" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
checks = [j["found_account"]["id"] == "msmtp:marked", j["found_account"]["origin"] == "msmtp",
          j["server"]["host"] == "127.0.0.1", j["server"]["port"] == int(sys.argv[2]),
          j["server"]["security"] == "tls", j["verdict"] == "fail",
          j["problems"][0]["step"] == "connect"]
if not all(checks):
    print("# %s" % [i for i, c in enumerate(checks) if not c])
sys.exit(0 if all(checks) else 1)
EOF
then
    ok "check --account msmtp:marked: msmtp's settings checked as they are, nothing recorded"
else
    sed 's/^/# /' "$HOME_DIR/check.err"
    not_ok "check --account msmtp:marked: msmtp's settings checked as they are ($status)"
fi
if [ -e "$HOME_DIR/.config/outbox-doctor/accounts.ini" ]; then
    not_ok "the check of another client's account wrote an accounts file"
fi

if [ ! -e "$MARKER" ]; then
    ok "msmtp's passwordeval was never run"
else
    not_ok "msmtp's passwordeval was never run"
fi

exit $((FAILED > 0))
