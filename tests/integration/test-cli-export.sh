#!/bin/bash
# "outbox-doctor-cli accounts export ID --to msmtp|git|neomutt|aerc" in a private session
# with a real gnome-keyring (run by keyring-session.sh keyring): each written file is read
# back by our reader for that client (accounts show ORIGIN:ID) and by the client's own tool
# where it is installed (msmtp --pretend and a real msmtp send to a fake SMTP server on
# 127.0.0.1 whose self-signed certificate is pinned; git config, git send-email --dry-run, git
# credential fill through git's libsecret helper built from /usr/share/doc/git and a real git
# send-email; neomutt -Q smtp_url); the password copies are where msmtp and git look, the
# secret-tool commands written for NeoMutt and aerc find exactly our item; existing files
# keep every byte, with a backup and their mode; symbolic links, read-only files, names
# taken and clients this version cannot write to are refused; --print writes nothing. The
# password is in no output. Output: TAP.
# Environment (set by meson): OD_CLI, OD_SOURCE_ROOT, OD_FAKE_SMTP_SERVER, OD_MAKE_TEST_CERTS,
# OD_TEST_OUTPUT_DIR; HOME, XDG_CONFIG_HOME and OD_KEYRING_TMP from keyring-session.sh.
set -u

N=0
ok() { N=$((N + 1)); echo "ok $N - $1"; }
not_ok() { N=$((N + 1)); echo "not ok $N - $1"; }
skip() { N=$((N + 1)); echo "ok $N # SKIP $1"; }
check() { if [ "$1" = 0 ]; then ok "$2"; else not_ok "$2"; fi; }

OUT=$OD_TEST_OUTPUT_DIR/cli-export
rm -rf "$OUT"
mkdir -p "$OUT"
TMP=$OD_KEYRING_TMP
PW=$(awk -F'\t' '$1 == "export@example.org" { print $2 }' "$OD_SOURCE_ROOT/tests/data/test-passwords.tsv")
USER_NAME=export@example.org
export OD_FOUND_CLIENTS=msmtp,git,neomutt,aerc
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=$USER_NAME
export GIT_COMMITTER_NAME=Ada GIT_COMMITTER_EMAIL=$USER_NAME

SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null' EXIT

# cli NAME ARG… — runs the CLI, its output in $OUT/NAME.out and .err; the status in $STATUS.
cli() {
    local name=$1
    shift
    timeout 60 "$OD_CLI" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
    STATUS=$?
}

# show ORIGIN:ID — our reader's view of the account, as JSON in $OUT/show-ORIGIN.json.
show() {
    timeout 60 "$OD_CLI" accounts show "$1" --json >"$OUT/show-${1%%:*}.json" 2>>"$OUT/show.err"
}

# same_settings FILE [PYTHON-CONDITION] — the found account has the exported settings.
same_settings() {
    python3 - "$1" "${2:-True}" <<'EOF'
import json, sys
a = json.load(open(sys.argv[1], encoding="utf-8"))["account"]
ok = (a["host"] == "smtp.example.org" and a["port"] == 587 and a["security"] == "starttls"
      and a["username"] == "export@example.org" and a["address"] == "export@example.org"
      and eval(sys.argv[2]))
if not ok:
    print("# %s" % json.dumps(a))
sys.exit(0 if ok else 1)
EOF
}

json_true() {
    python3 -c 'import json, sys; j = json.load(open(sys.argv[1], encoding="utf-8")); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}

# run_cred_commands FILE PATTERN — runs every secret-tool command FILE holds on lines
# matching PATTERN (as NeoMutt's backticks or aerc's sh -c would); 0 when each prints the
# password and finds exactly one item.
run_cred_commands() {
    local found=0 line command attrs
    while IFS= read -r line; do
        command=$(printf '%s\n' "$line" | sed -n 's/.*\(secret-tool lookup [^`]*\).*/\1/p')
        [ -n "$command" ] || continue
        found=$((found + 1))
        [ "$(sh -c "$command")" = "$PW" ] || return 1
        attrs=${command#secret-tool lookup }
        [ "$(eval "secret-tool search --all $attrs" 2>/dev/null | grep -c '^\[')" = 1 ] || return 1
    done < <(grep -E "$2" "$1")
    [ "$found" -gt 0 ]
}

# --- The setting: our accounts, our keyring items, a fake SMTP server ---------------------

"$OD_MAKE_TEST_CERTS" "$TMP/certs" >/dev/null
FINGERPRINT=$(openssl x509 -in "$TMP/certs/self-signed-cert.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
cat >"$TMP/server.ini" <<INI
[server]
address=127.0.0.1
port=0
implicit-tls=true
cert-file=$TMP/certs/self-signed-cert.pem
key-file=$TMP/certs/self-signed-key.pem
user=lab@example.org
password=$PW
require-auth=true
verbs-file=$TMP/verbs.txt
INI
# The fake server writes the verbs it has received into verbs.txt every 50 ms (all of them,
# from its start): a send counts once a new DATA is there (10 s at most).
data_count() {
    n=$(grep -cx DATA "$TMP/verbs.txt" 2>/dev/null)
    echo "${n:-0}"
}
wait_new_data() {
    for _ in $(seq 100); do
        [ "$(data_count)" -gt "$1" ] && return 0
        sleep 0.1
    done
    return 1
}
"$OD_FAKE_SMTP_SERVER" --script "$TMP/server.ini" >"$TMP/port.txt" 2>"$TMP/server.err" &
SERVER_PID=$!
for _ in $(seq 50); do grep -q '^PORT' "$TMP/port.txt" && break; sleep 0.1; done
PORT=$(sed -n 's/^PORT //p' "$TMP/port.txt")

CONF=$XDG_CONFIG_HOME/outbox-doctor
mkdir -p "$CONF"
chmod 700 "$CONF"
cat >"$CONF/accounts.ini" <<INI
[Outbox Doctor]
version=1

[Account ada]
name=Ada Lovelace
address=$USER_NAME
smtp-host=smtp.example.org
smtp-port=587
smtp-security=starttls
smtp-user=$USER_NAME
smtp-auth=PLAIN
incoming-protocol=imap
incoming-host=imap.example.org
incoming-port=993
incoming-security=tls
incoming-user=$USER_NAME
pinned-certificates=smtp.example.org:587 $FINGERPRINT

[Account lab]
address=lab@example.org
smtp-host=127.0.0.1
smtp-port=$PORT
smtp-security=tls
smtp-user=lab@example.org
smtp-auth=PLAIN
pinned-certificates=127.0.0.1:$PORT $FINGERPRINT

[Account bob]
address=bob@example.org
smtp-host=smtp.example.net
smtp-port=465
smtp-security=tls
smtp-user=bob@example.org
smtp-auth=LOGIN
INI
chmod 600 "$CONF/accounts.ini"
# Our own items, as setup stores them (the password on standard input, never an argument);
# bob has none.
printf '%s' "$PW" | secret-tool store --label="Outbox Doctor: $USER_NAME on smtp.example.org" \
    xdg:schema org.outboxdoctor.OutboxDoctor.Account account ada protocol smtp \
    host smtp.example.org port 587 user "$USER_NAME"
printf '%s' "$PW" | secret-tool store --label="Outbox Doctor: lab@example.org on 127.0.0.1" \
    xdg:schema org.outboxdoctor.OutboxDoctor.Account account lab protocol smtp \
    host 127.0.0.1 port "$PORT" user lab@example.org

# git's libsecret credential helper, built from the source Debian ships.
HELPER=$TMP/git-credential-libsecret
gcc -o "$HELPER" /usr/share/doc/git/contrib/credential/libsecret/git-credential-libsecret.c \
    $(pkg-config --cflags --libs libsecret-1 glib-2.0) 2>"$OUT/helper-build.err" || HELPER=

# Files that are there before: comments, no line break at the end, their own modes.
printf '# my msmtp accounts\ndefaults\nlogfile ~/.msmtp.log\n\naccount other\nhost other.example.org\nfrom other@example.org' >"$HOME/.msmtprc"
chmod 640 "$HOME/.msmtprc"
cp -p "$HOME/.msmtprc" "$TMP/msmtprc.before"
{
    printf '; my git\n[user]\n\tname = Ada\n'
    [ -n "$HELPER" ] && printf '[credential]\n\thelper = %s\n' "$HELPER"
} >"$HOME/.gitconfig"
cp -p "$HOME/.gitconfig" "$TMP/gitconfig.before"

echo "1..29"

# --- msmtp ---------------------------------------------------------------------------------

cli msmtp accounts export ada --to msmtp --json
json_true "$OUT/msmtp.out" 'j["written"] and j["found_id"] == "msmtp:ada" and j["password"]["where"] == "copy" and j["password"]["stored"] == "stored" and j["backup"] is not None' &&
    cmp -s "$TMP/msmtprc.before" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["backup"])' "$OUT/msmtp.out")" &&
    cmp -s -n "$(stat -c %s "$TMP/msmtprc.before")" "$TMP/msmtprc.before" "$HOME/.msmtprc" &&
    [ "$(stat -c %a "$HOME/.msmtprc")" = 640 ]
check $? "msmtp: added to ~/.msmtprc, every old byte kept, mode 640 kept, the backup is the old file (status $STATUS)"

show msmtp:ada
same_settings "$OUT/show-msmtp.json" 'a["secret"] == "keyring" and a["auth_mechanism"] == "PLAIN"'
check $? "msmtp: our reader finds msmtp:ada with the same settings, its password in the keyring"

[ "$(secret-tool lookup host smtp.example.org service smtp user "$USER_NAME")" = "$PW" ] &&
    [ "$(secret-tool search --all host smtp.example.org service smtp user "$USER_NAME" 2>/dev/null | grep -c '^\[')" = 1 ]
check $? "msmtp: the copy is the one item msmtp's lookup (host, service smtp, user) finds"

if command -v msmtp >/dev/null; then
    msmtp --pretend -C "$HOME/.msmtprc" -a ada >"$OUT/msmtp-pretend.out" 2>&1 </dev/null
    grep -qx "host = smtp.example.org" "$OUT/msmtp-pretend.out" &&
        grep -qx "port = 587" "$OUT/msmtp-pretend.out" &&
        grep -qx "tls_starttls = on" "$OUT/msmtp-pretend.out" &&
        grep -qx "auth = PLAIN" "$OUT/msmtp-pretend.out" &&
        grep -qx "user = $USER_NAME" "$OUT/msmtp-pretend.out" &&
        grep -qx "from = $USER_NAME" "$OUT/msmtp-pretend.out" &&
        grep -qx "tls_fingerprint = $FINGERPRINT" "$OUT/msmtp-pretend.out"
    check $? "msmtp --pretend reads the account: server, STARTTLS, login, sender, pinned certificate"

    cli msmtp-lab accounts export lab --to msmtp
    before=$(data_count)
    printf 'From: lab@example.org\nTo: bob@example.org\nSubject: export\n\nhello\n' |
        timeout 30 msmtp -C "$HOME/.msmtprc" -a lab bob@example.org >"$OUT/msmtp-send.out" 2>&1
    send=$?
    [ "$send" = 0 ] && wait_new_data "$before" && grep -qx AUTH "$TMP/verbs.txt"
    check $? "msmtp sends through the fake server: its pinned certificate accepted, the password from the keyring (status $send)"
else
    skip "msmtp is not installed (package msmtp)"
    skip "msmtp is not installed (package msmtp)"
fi

# --- git send-email --------------------------------------------------------------------------

cli git accounts export ada --to git --json
json_true "$OUT/git.out" 'j["written"] and j["found_id"] == "git:global" and j["password"]["where"] == "copy"' &&
    cmp -s -n "$(stat -c %s "$TMP/gitconfig.before")" "$TMP/gitconfig.before" "$HOME/.gitconfig"
check $? "git: [sendemail] added to ~/.gitconfig, every old byte kept (status $STATUS)"

show git:global
if [ -n "$HELPER" ]; then condition='a["secret"] == "keyring"'; else condition=True; fi
same_settings "$OUT/show-git.json" "$condition and a[\"name\"] == \"Ada Lovelace\""
check $? "git: our reader finds git:global with the same settings"

[ "$(git config --file "$HOME/.gitconfig" --get sendemail.smtpServer)" = smtp.example.org ] &&
    [ "$(git config --file "$HOME/.gitconfig" --get sendemail.smtpServerPort)" = 587 ] &&
    [ "$(git config --file "$HOME/.gitconfig" --get sendemail.smtpEncryption)" = tls ] &&
    [ "$(git config --file "$HOME/.gitconfig" --get sendemail.smtpUser)" = "$USER_NAME" ]
check $? "git config reads smtpServer, smtpServerPort, smtpEncryption and smtpUser"

[ "$(secret-tool lookup xdg:schema org.gnome.keyring.NetworkPassword protocol smtp server smtp.example.org port 587 user "$USER_NAME")" = "$PW" ]
check $? "git: the copy is where git-credential-libsecret looks (protocol smtp, server, port, user)"

if command -v git-send-email >/dev/null || [ -x /usr/lib/git-core/git-send-email ]; then
    printf 'From: Ada <%s>\nSubject: export\n\nbody\n' "$USER_NAME" >"$TMP/patch.eml"
    (cd "$TMP" && timeout 60 git send-email --dry-run --confirm=never --to=bob@example.org \
        patch.eml) >"$OUT/git-dry-run.out" 2>&1
    grep -qx "Server: smtp.example.org" "$OUT/git-dry-run.out" &&
        grep -qx "MAIL FROM:<$USER_NAME>" "$OUT/git-dry-run.out" &&
        grep -qx "From: Ada Lovelace <$USER_NAME>" "$OUT/git-dry-run.out"
    check $? "git send-email --dry-run uses the server and the sender (no network)"
else
    skip "git send-email is not installed (package git-email)"
fi

if [ -n "$HELPER" ]; then
    printf 'protocol=smtp\nhost=smtp.example.org:587\nusername=%s\n\n' "$USER_NAME" |
        timeout 30 git credential fill >"$TMP/fill.out" 2>/dev/null
    grep -qxF "password=$PW" "$TMP/fill.out"
    check $? "git credential fill finds the password through the libsecret helper"
    rm -f "$TMP/fill.out"
else
    skip "git's libsecret credential helper could not be built (gcc, libsecret-1-dev)"
fi

if [ -n "$HELPER" ] && perl -MAuthen::SASL -MIO::Socket::SSL -e 1 2>/dev/null &&
   [ -x /usr/lib/git-core/git-send-email ]; then
    cli git-lab accounts export lab --to git --name lab
    # The pinned certificate cannot go to git (a note says so): verification off for the test.
    git config --file "$HOME/.gitconfig" sendemail.lab.smtpSslCertPath ""
    before=$(data_count)
    (cd "$TMP" && timeout 60 git send-email --identity=lab --confirm=never \
        --to=bob@example.org patch.eml) >"$OUT/git-send.out" 2>&1
    send=$?
    [ "$send" = 0 ] && wait_new_data "$before" && grep -qx AUTH "$TMP/verbs.txt"
    check $? "git send-email --identity=lab sends through the fake server with the password from the keyring (status $send)"
else
    skip "git send-email cannot send here (needs the libsecret helper, Authen::SASL, IO::Socket::SSL)"
fi

# --- NeoMutt ---------------------------------------------------------------------------------

cli neomutt accounts export ada --to neomutt --json
RC=$XDG_CONFIG_HOME/neomutt/neomuttrc
json_true "$OUT/neomutt.out" 'j["written"] and j["found_id"] == "neomutt:neomuttrc" and j["password"]["where"] == "lookup" and j["backup"] is None' &&
    [ "$(stat -c %a "$RC")" = 600 ] && [ "$(stat -c %a "$(dirname "$RC")")" = 700 ]
check $? "neomutt: a new neomuttrc, readable to its owner only (status $STATUS)"

show neomutt:neomuttrc
same_settings "$OUT/show-neomutt.json"
check $? "neomutt: our reader finds neomutt:neomuttrc with the same settings"

run_cred_commands "$RC" '^set (smtp|imap)_pass'
check $? "neomutt: smtp_pass and imap_pass run secret-tool lookup, which finds exactly our item"

if command -v neomutt >/dev/null; then
    timeout 30 neomutt -n -F "$RC" -Q smtp_url -Q folder >"$OUT/neomutt-q.out" 2>&1 </dev/null
    grep -qxF 'set smtp_url = "smtp://export%40example.org@smtp.example.org:587/"' "$OUT/neomutt-q.out" &&
        grep -q '^set folder = "imaps://export' "$OUT/neomutt-q.out"
    check $? "neomutt -Q reads smtp_url and folder"
else
    skip "neomutt is not installed (package neomutt)"
fi

# --- aerc ------------------------------------------------------------------------------------

cli aerc accounts export ada --to aerc --json
CONFFILE=$XDG_CONFIG_HOME/aerc/accounts.conf
json_true "$OUT/aerc.out" 'j["written"] and j["found_id"] == "aerc:ada" and j["password"]["where"] == "lookup"' &&
    [ "$(stat -c %a "$CONFFILE")" = 600 ]
check $? "aerc: a new accounts.conf, readable to its owner only (aerc refuses others) (status $STATUS)"

show aerc:ada
same_settings "$OUT/show-aerc.json" 'a["incoming"]["host"] == "imap.example.org" and a["incoming"]["port"] == 993 and a["incoming"]["security"] == "tls"'
check $? "aerc: our reader finds aerc:ada with the same outgoing and incoming settings"

run_cred_commands "$CONFFILE" '^(outgoing|source)-cred-cmd'
check $? "aerc: outgoing-cred-cmd and source-cred-cmd find exactly our item"

# --- Thunderbird (prefs.js of the profile it starts with, only while it is not running) -----

cp -a "$OD_SOURCE_ROOT/tests/data/found/thunderbird/home/.thunderbird" "$HOME/"
TB_PROFILE=$HOME/.thunderbird/x7k2p9qa.default-release
cp -p "$TB_PROFILE/prefs.js" "$TMP/prefs.before"
ln -s "127.0.0.1:+$$" "$TB_PROFILE/lock"
cli thunderbird-running accounts export ada --to thunderbird
status_running=$STATUS
rm "$TB_PROFILE/lock"
[ "$status_running" = 1 ] && grep -q "quit Thunderbird first" "$OUT/thunderbird-running.err" &&
    cmp -s "$TB_PROFILE/prefs.js" "$TMP/prefs.before"
check $? "Thunderbird: refused while it runs (its profile lock), prefs.js as it was (status $status_running)"

cli thunderbird accounts export ada --to thunderbird --json
json_true "$OUT/thunderbird.out" 'j["written"] and j["found_id"] == "thunderbird:x7k2p9qa.default-release/smtp4" and j["password"]["where"] == "ask" and j["backup"] is not None' &&
    cmp -s "$TMP/prefs.before" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["backup"])' "$OUT/thunderbird.out")" &&
    [ "$(diff "$TMP/prefs.before" "$TB_PROFILE/prefs.js" | grep -c '^<')" = 3 ]
check $? "Thunderbird: added to prefs.js, three old lines changed in value only, the backup is the old file (status $STATUS)"
OD_FOUND_CLIENTS=thunderbird show thunderbird:x7k2p9qa.default-release/smtp4
same_settings "$OUT/show-thunderbird.json" 'a["incoming"]["host"] == "imap.example.org" and a["incoming"]["port"] == 993 and a["incoming"]["security"] == "tls" and a["secret"] == "ask"'
check $? "Thunderbird: our reader finds the account with every setting"

# --- The password from standard input; --print ----------------------------------------------

cli bob-nokey accounts export bob --to msmtp
status_nokey=$STATUS
printf '%s\n' "$PW" | timeout 60 "$OD_CLI" accounts export bob --to msmtp --password-stdin \
    >"$OUT/bob.out" 2>"$OUT/bob.err"
status_stdin=$?
[ "$status_nokey" = 1 ] && grep -q "password-stdin" "$OUT/bob-nokey.err" && [ "$status_stdin" = 0 ] &&
    [ "$(secret-tool lookup host smtp.example.net service smtp user bob@example.org)" = "$PW" ]
check $? "msmtp: without a saved password the export stops; --password-stdin stores the copy (status $status_nokey, $status_stdin)"

cp "$HOME/.msmtprc" "$TMP/msmtprc.now"
cli print accounts export ada --to msmtp --name printed --print
[ "$STATUS" = 0 ] && grep -qx "account         printed" "$OUT/print.out" &&
    cmp -s "$HOME/.msmtprc" "$TMP/msmtprc.now" && grep -q "secret-tool store" "$OUT/print.err"
check $? "--print prints the account, writes nothing and says how to store the password"

# --- Refusals --------------------------------------------------------------------------------

backups=$(ls "$HOME"/.msmtprc.outbox-doctor-* | wc -l)
cli again accounts export ada --to msmtp
[ "$STATUS" = 1 ] && grep -q "already has an account named “ada”" "$OUT/again.err" &&
    cmp -s "$HOME/.msmtprc" "$TMP/msmtprc.now" &&
    [ "$(ls "$HOME"/.msmtprc.outbox-doctor-* | wc -l)" = "$backups" ]
check $? "the same msmtp account again is refused, the file as it was, no backup more (status $STATUS)"

cli git-again accounts export ada --to git
[ "$STATUS" = 1 ] && grep -q -- "--name" "$OUT/git-again.err"
check $? "a second [sendemail] server is refused, with the way to add an identity (status $STATUS)"

# A symbolic link and a read-only file, in a second home.
HOME2=$TMP/home2
mkdir -p "$HOME2/.config/outbox-doctor" "$HOME2/.config/aerc" "$HOME2/dotfiles"
cp "$CONF/accounts.ini" "$HOME2/.config/outbox-doctor/"
printf '# shared\n' >"$HOME2/dotfiles/msmtprc"
ln -s "$HOME2/dotfiles/msmtprc" "$HOME2/.msmtprc"
printf '# read-only\n' >"$HOME2/.config/aerc/accounts.conf"
chmod 400 "$HOME2/.config/aerc/accounts.conf"
HOME=$HOME2 XDG_CONFIG_HOME=$HOME2/.config cli link accounts export ada --to msmtp
status_link=$STATUS
HOME=$HOME2 XDG_CONFIG_HOME=$HOME2/.config cli readonly accounts export ada --to aerc
status_ro=$STATUS
[ "$status_link" = 1 ] && grep -q "symbolic link" "$OUT/link.err" &&
    [ "$(cat "$HOME2/dotfiles/msmtprc")" = "# shared" ] && [ -L "$HOME2/.msmtprc" ] &&
    [ "$status_ro" = 1 ] && grep -q "read-only" "$OUT/readonly.err" &&
    [ "$(cat "$HOME2/.config/aerc/accounts.conf")" = "# read-only" ]
check $? "a symbolic link and a read-only file are refused and left as they were ($status_link, $status_ro)"

usage_ok=0
for args in "--to neomutt --name x" "--to evolution --name x" "--to goa --name x" \
            "--to thunderbird --name x" \
            "--to msmtp --name 'a b'" "--to mutt" "" \
            "--to msmtp --print --password-stdin"; do
    eval "cli usage accounts export ada $args"
    [ "$STATUS" = 2 ] || usage_ok=1
done
cli usage accounts export msmtp:ada --to aerc
[ "$STATUS" = 2 ] || usage_ok=1
cli usage accounts export nobody --to aerc
[ "$STATUS" = 2 ] || usage_ok=1
check $usage_ok "bad names (any name for Evolution, GOA and Thunderbird), clients and ids are usage errors"

# --- The password in no output ---------------------------------------------------------------

for file in "$HOME"/.msmtprc* "$HOME"/.gitconfig* "$RC" "$CONFFILE"; do
    cp "$file" "$OUT/written-$(basename "$file")"
done
if grep -rqF -- "$PW" "$OUT" "$HOME/.msmtprc" "$HOME/.gitconfig" "$RC" "$CONFFILE"; then
    not_ok "the password is in no output and no written file: $(grep -rlF -- "$PW" "$OUT" "$HOME" | tr '\n' ' ')"
else
    ok "the password is in no output and no written file"
fi
