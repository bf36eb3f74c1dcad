#!/bin/bash
# "outbox-doctor-cli accounts fix ORIGIN:ID": an msmtp account whose port is wrong, in a
# throw-away home, on 127.0.0.1 only (a port where nothing listens). Checked: the fix
# changes the port line and nothing else, byte for byte; the backup is the file as it was;
# the JSON has the account before and after (as msmtp's reader reads the file again) and the
# check of the account after, which ran (connection refused on that port); "accounts show"
# reads the new port; msmtp --pretend does too when msmtp is installed; a fix that changes
# nothing writes nothing; a value with a line break, a read-only file, an unknown account and
# a fix without a change are refused with their exit status and the file untouched.
# Output: TAP. Environment (set by meson): OD_CLI.
set -u

N=0
FAILED=0
ok() { N=$((N + 1)); echo "ok $N - $1"; }
not_ok() { N=$((N + 1)); FAILED=$((FAILED + 1)); echo "not ok $N - $1"; }
check() { if [ "$1" = 0 ]; then ok "$2"; else not_ok "$2"; fi; }

HOME_DIR=$(mktemp -d /tmp/od-cli-fix.XXXXXX)
trap 'rm -rf "$HOME_DIR"' EXIT
RC=$HOME_DIR/.msmtprc
# Two ports of this machine where nothing listens.
read -r CLOSED_PORT OTHER_PORT < <(python3 -c '
import socket
a, b = socket.socket(), socket.socket()
a.bind(("127.0.0.1", 0)); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])')
cat >"$RC" <<'EOF'
# msmtp: the work account's port is wrong
defaults
auth           on
tls            on

account        work
host           127.0.0.1
port           2
from           ada@example.org
user           ada

account        other
host           127.0.0.1
from           other@example.org
EOF
chmod 600 "$RC"
cp "$RC" "$HOME_DIR/original"

cli() {
    env -u DBUS_SESSION_BUS_ADDRESS HOME="$HOME_DIR" XDG_CONFIG_HOME="$HOME_DIR/.config" \
        timeout 60 "$OD_CLI" "$@"
}

# The file is the original with only line 8 changed to $1.
only_port_changed() {
    python3 - "$HOME_DIR/original" "$RC" "$1" <<'EOF'
import sys
old = open(sys.argv[1], "rb").read().split(b"\n")
new = open(sys.argv[2], "rb").read().split(b"\n")
want = list(old)
want[7] = ("port           %s" % sys.argv[3]).encode()
sys.exit(0 if new == want else 1)
EOF
}

echo "1..11"

printf 'not-the-password\n' | cli accounts fix msmtp:work --port "$CLOSED_PORT" --json \
    --password-stdin --timeout 20 >"$HOME_DIR/fix.json" 2>"$HOME_DIR/fix.err"
status=$?
if [ "$status" = 1 ] && python3 - "$HOME_DIR/fix.json" "$CLOSED_PORT" "$RC" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
port = int(sys.argv[2])
check = j["check"] or {}
steps = {s["id"]: s["status"] for s in check.get("steps", [])}
checks = [j["schema"] == 1, j["before"]["id"] == "msmtp:work", j["before"]["port"] == 2,
          j["after"]["id"] == "msmtp:work", j["after"]["port"] == port,
          j["after"]["host"] == "127.0.0.1", j["after"]["security"] == "starttls",
          j["after"]["source_path"] == sys.argv[3], j["changed"] is True,
          isinstance(j["backup"], str) and j["backup"].startswith(sys.argv[3] + ".outbox-doctor-backup-"),
          check.get("found_account", {}).get("port") == port,
          check.get("server", {}).get("port") == port, check.get("verdict") == "fail",
          steps.get("connect") == "fail", check["problems"][0]["id"] == "connection-refused"]
if not all(checks):
    print("# %s" % [i for i, c in enumerate(checks) if not c])
sys.exit(0 if all(checks) else 1)
EOF
then ok "accounts fix msmtp:work --port N --json: before, after as re-read, backup, the check of the new port"
else
    sed 's/^/# /' "$HOME_DIR/fix.err"
    not_ok "accounts fix msmtp:work --port N --json (status $status)"
fi

only_port_changed "$CLOSED_PORT"
check $? "only the port line changed, every other byte kept"

BACKUP=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["backup"] or "")' \
    "$HOME_DIR/fix.json" 2>/dev/null)
cmp -s "$BACKUP" "$HOME_DIR/original" &&
    [ "$(stat -c %a "$BACKUP")" = 600 ] && [ "$(stat -c %a "$RC")" = 600 ]
check $? "the backup is the file as it was; both keep the mode 600"

cli accounts show msmtp:work --json >"$HOME_DIR/show.json" 2>/dev/null
python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1]))["account"]["port"] != int(sys.argv[2]))' \
    "$HOME_DIR/show.json" "$CLOSED_PORT"
check $? "accounts show reads the new port"

if command -v msmtp >/dev/null; then
    HOME="$HOME_DIR" msmtp -C "$RC" --pretend --account=work 2>/dev/null |
        grep -qx "port = $CLOSED_PORT"
    check $? "msmtp --pretend reads the new port"
else
    ok "msmtp --pretend reads the new port # SKIP msmtp is not installed"
fi

# Human output, options before "fix"; the other port, then the same again: nothing to do.
printf 'not-the-password\n' | cli accounts --password-stdin fix msmtp:work \
    --port "$OTHER_PORT" --timeout 20 >"$HOME_DIR/fix.txt" 2>&1
status=$?
if [ "$status" = 1 ] && grep -q "^Changed $RC; the file as it was is kept as " "$HOME_DIR/fix.txt" &&
   grep -q "^The account as msmtp now reads it:" "$HOME_DIR/fix.txt" &&
   grep -q "Outgoing server: *127.0.0.1:$OTHER_PORT (STARTTLS)" "$HOME_DIR/fix.txt" &&
   grep -q "^\[FAIL\] Connection to the server" "$HOME_DIR/fix.txt"; then
    ok "accounts fix, human output: what changed, the account as read again, its check"
else
    sed 's/^/# /' "$HOME_DIR/fix.txt"
    not_ok "accounts fix, human output (status $status)"
fi

cp "$RC" "$HOME_DIR/before-same"
backups_before=$(ls -A "$HOME_DIR" | grep -c outbox-doctor)
cli accounts fix msmtp:work --port "$OTHER_PORT" --no-check >"$HOME_DIR/same.txt" 2>&1
status=$?
backups_after=$(ls -A "$HOME_DIR" | grep -c outbox-doctor)
if [ "$status" = 0 ] && grep -q "already has these settings" "$HOME_DIR/same.txt" &&
   cmp -s "$RC" "$HOME_DIR/before-same" && [ "$backups_before" = "$backups_after" ]; then
    ok "a fix that changes nothing writes nothing, no backup"
else
    not_ok "a fix that changes nothing writes nothing (status $status)"
fi

cp "$RC" "$HOME_DIR/kept"
cli accounts fix msmtp:work --host "$(printf 'evil.example\nhost other')" --no-check \
    >/dev/null 2>"$HOME_DIR/nl.err"
status=$?
[ "$status" = 2 ] && cmp -s "$RC" "$HOME_DIR/kept" && grep -q "not a server name" "$HOME_DIR/nl.err"
check $? "a host with a line break: exit 2, the file untouched"

chmod 400 "$RC"
cli accounts fix msmtp:work --port 25 --no-check >/dev/null 2>"$HOME_DIR/ro.err"
status=$?
[ "$status" = 1 ] && cmp -s "$RC" "$HOME_DIR/kept" && grep -q "read-only" "$HOME_DIR/ro.err"
check $? "a read-only file: exit 1, said in words, untouched"
chmod 600 "$RC"

cli accounts fix msmtp:nobody --port 25 >/dev/null 2>"$HOME_DIR/unknown.err"
status=$?
[ "$status" = 2 ] && grep -q "msmtp:nobody" "$HOME_DIR/unknown.err"
check $? "an unknown account: exit 2"

cli accounts fix msmtp:work >/dev/null 2>"$HOME_DIR/empty.err"
status=$?
[ "$status" = 2 ] && grep -q -- "--host, --port, --security or --user" "$HOME_DIR/empty.err" &&
    cmp -s "$RC" "$HOME_DIR/kept"
check $? "nothing to change given: exit 2"

exit $((FAILED > 0))
