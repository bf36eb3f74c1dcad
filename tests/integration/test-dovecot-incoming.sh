#!/bin/bash
# Interoperability test of "outbox-doctor-cli check --incoming --json" against a real
# Dovecot (IMAP and POP3) on loopback: a private instance on 127.0.0.2 with TLS from the test
# CA, four listeners (IMAP with implicit TLS and with STARTTLS, POP3 with implicit TLS and
# with STLS, on free ports, as 993, 143, 995 and 110 are set up), one account whose maildir
# holds two messages. Checked: all four green with the message count, LOGINDISABLED before
# STARTTLS handled (encrypt first, then log in), a wrong password as auth-failed for both
# protocols, no password to the plain-text port, TLS spoken to the STLS port as
# encryption-mismatch, the human output, and "check --account ID --incoming" with the
# password from a real keyring. The password goes to the CLI on
# standard input (--password-stdin), as in test-postfix-interop.sh, never on a command line.
#
# Dovecot counts a connection from its own address as secure and would allow a password
# before TLS (no LOGINDISABLED): it listens on 127.0.0.2, the client comes from 127.0.0.1.
#
# Environment (set by meson): OD_CLI, OD_MAKE_TEST_CERTS, OD_LAB_PASSWORD_FILE,
# OD_TEST_OUTPUT_DIR (the CLI's output is kept there; the secret scan reads it).
# Needs: dovecot-core, dovecot-imapd, dovecot-pop3d, openssl (the server's certificate and the
# password hash), python3; root (Dovecot drops
# privileges itself). Skipped otherwise.
# shellcheck disable=SC2317  # stop() is called through the trap
set -u
export PATH=$PATH:/usr/sbin:/sbin
HERE=$(cd "$(dirname "$0")" && pwd)

# The second half runs inside keyring-session.sh (a private D-Bus session with a real
# gnome-keyring-daemon and a throw-away XDG_CONFIG_HOME): "check --account ID --incoming"
# with the password from the keyring. It prints "ok - …" or "not ok - …" lines; the outer
# script numbers them.
if [ "${1:-}" = --account-phase ]; then
    conf=$XDG_CONFIG_HOME/outbox-doctor
    mkdir -p "$conf"
    chmod 0700 "$conf"
    # write_account PROTOCOL PORT SECURITY — the account as the app saves it
    write_account() {
        cat >"$conf/accounts.ini" <<INI
[Outbox Doctor]
version=1

[Account lab]
address=$USER_NAME
smtp-host=$HOST
smtp-port=465
smtp-security=tls
smtp-user=$USER_NAME
smtp-auth=PLAIN
source=manual
incoming-protocol=$1
incoming-host=$HOST
incoming-port=$2
incoming-security=$3
incoming-user=$USER_NAME
INI
        chmod 0600 "$conf/accounts.ini"
    }
    # keyring_store PROTOCOL PORT PASSWORD — an item of our schema, the password on stdin
    keyring_store() {
        printf '%s' "$3" | secret-tool store --label="Outbox Doctor: $USER_NAME on $HOST" \
            xdg:schema org.outboxdoctor.OutboxDoctor.Account account lab protocol "$1" \
            host "$HOST" port "$2" user "$USER_NAME"
    }
    # account_check NAME DESCRIPTION PYTHON-EXPRESSION...
    account_check() {
        local name=$1 what=$2
        shift 2
        timeout 120 "$OD_CLI" check --account lab --incoming --ca-file "$CA_FILE" --json \
            --timeout 60 </dev/null >"$OUT/$name.json" 2>"$OUT/$name.stderr"
        if python3 - "$OUT/$name.json" "$@" <<'PY'
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
bad = [e for e in sys.argv[2:] if not eval(e, {"j": j})]
for e in bad:
    print("# false: %s" % e)
if bad:
    print("# %r" % [(s["id"], s["status"], s["detail"]) for s in j["steps"]])
sys.exit(1 if bad else 0)
PY
        then echo "ok - $what"; else echo "not ok - $what"; fi
    }

    write_account imap "$PORT_IMAP" starttls
    keyring_store smtp 465 "$PASSWORD"
    account_check account-fallback \
        "check --account --incoming: an account with only its outgoing password uses it" \
        "j['protocol'] == 'imap'" "j['verdict'] == 'pass'" "j['mailbox']['messages'] == 2" \
        "j['server']['port'] == $PORT_IMAP"
    keyring_store imap "$PORT_IMAP" "$WRONG"
    account_check account-own-item \
        "check --account --incoming: the incoming item (here a wrong password) comes first" \
        "j['verdict'] == 'fail'" "[p['id'] for p in j['problems']][:1] == ['auth-failed']"
    write_account pop3 "$PORT_POP3S" tls
    keyring_store pop3 "$PORT_POP3S" "$PASSWORD"
    account_check account-pop3 "check --account --incoming: a POP3 account with its own item" \
        "j['protocol'] == 'pop3'" "j['verdict'] == 'pass'" "j['mailbox']['messages'] == 2"
    exit 0
fi

if ! command -v dovecot >/dev/null || [ ! -x /usr/lib/dovecot/imap ] ||
   [ ! -x /usr/lib/dovecot/pop3 ]; then
    echo "1..0 # SKIP dovecot is not installed (dovecot-core, dovecot-imapd, dovecot-pop3d)"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP the Dovecot instance must be started as root"
    exit 0
fi
for v in OD_CLI OD_MAKE_TEST_CERTS OD_LAB_PASSWORD_FILE OD_TEST_OUTPUT_DIR; do
    if [ -z "${!v:-}" ]; then
        echo "Bail out! $v is not set"
        exit 1
    fi
done

DIR=$(mktemp -d /tmp/od-dovecot-incoming.XXXXXX)
chmod 0711 "$DIR"
OUT=$OD_TEST_OUTPUT_DIR/dovecot-incoming
rm -rf "$OUT"
mkdir -p "$OUT"
HOST=127.0.0.2
USER_NAME=tester@lab.test
HOME_DIR=$DIR/home/tester
PASSWORD=$(head -n 1 "$OD_LAB_PASSWORD_FILE")
WRONG="wrong-$PASSWORD-x"

stop() {
    if [ -s "$DIR/run/master.pid" ]; then
        local pid
        pid=$(cat "$DIR/run/master.pid")
        kill "$pid" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$DIR"
}
trap stop EXIT

# Four distinct free ports of $HOST.
read -r PORT_IMAPS PORT_IMAP PORT_POP3S PORT_POP3 < <(python3 - "$HOST" <<'PY'
import socket, sys
socks = []
for _ in range(4):
    s = socket.socket()
    s.bind((sys.argv[1], 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
)

mkdir -p "$DIR/certs" "$DIR/run" "$DIR/state" "$HOME_DIR/Maildir/cur" "$HOME_DIR/Maildir/new" \
         "$HOME_DIR/Maildir/tmp"
if ! "$OD_MAKE_TEST_CERTS" "$DIR/certs" >/dev/null; then
    echo "Bail out! make-test-certs failed"
    exit 1
fi
# The test CA's certificates name localhost, 127.0.0.1 and ::1; this server is 127.0.0.2, so
# it gets its own from the same CA, and the CLI verifies it as it would any server's.
if ! openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$DIR/certs/lab-key.pem" -subj "/O=Outbox Doctor Test/CN=$HOST" \
        -out "$DIR/certs/lab.csr" 2>"$DIR/openssl.log" ||
   ! openssl x509 -req -in "$DIR/certs/lab.csr" -CA "$DIR/certs/ca.pem" \
        -CAkey "$DIR/certs/ca-key.pem" -CAcreateserial -days 2 -out "$DIR/certs/lab-cert.pem" \
        -extfile <(printf 'subjectAltName=IP:%s\nextendedKeyUsage=serverAuth\n' "$HOST") \
        2>>"$DIR/openssl.log"; then
    echo "Bail out! the lab certificate could not be made: $(tr '\n' ' ' <"$DIR/openssl.log")"
    exit 1
fi
chmod 0600 "$DIR/certs/lab-key.pem"

for n in 1 2; do
    printf 'From: a@lab.test\r\nTo: %s\r\nSubject: message %s\r\n' "$USER_NAME" "$n" \
        >"$HOME_DIR/Maildir/new/100000000$n.M1P1.lab"
    printf 'Message-ID: <%s@lab.test>\r\n\r\nHello %s\r\n' "$n" "$n" \
        >>"$HOME_DIR/Maildir/new/100000000$n.M1P1.lab"
done
chown -R 65534:65534 "$DIR/home"

hash=$(printf '%s' "$PASSWORD" | openssl passwd -6 -stdin)
printf '%s:{SHA512-CRYPT}%s:65534:65534::%s::\n' "$USER_NAME" "$hash" "$HOME_DIR" >"$DIR/users"
chown root:dovecot "$DIR/users"
chmod 0640 "$DIR/users"

cat >"$DIR/dovecot.conf" <<CONF
# Outbox Doctor incoming-check lab: a private Dovecot, IMAP and POP3, loopback only.
instance_name = od-incoming-lab-$(printf '%s' "$DIR" | cksum | cut -d' ' -f1)
base_dir = $DIR/run
state_dir = $DIR/state
protocols = imap pop3
listen = $HOST
log_path = $DIR/dovecot.log
ssl = yes
ssl_cert = <$DIR/certs/lab-cert.pem
ssl_key = <$DIR/certs/lab-key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:~/Maildir
pop3_uidl_format = %08Xu%08Xv

passdb {
  driver = passwd-file
  args = scheme=SHA512-CRYPT username_format=%u $DIR/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $DIR/users
}

service imap-login {
  inet_listener imap {
    address = $HOST
    port = $PORT_IMAP
  }
  inet_listener imaps {
    address = $HOST
    port = $PORT_IMAPS
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    address = $HOST
    port = $PORT_POP3
  }
  inet_listener pop3s {
    address = $HOST
    port = $PORT_POP3S
    ssl = yes
  }
}
CONF

if ! dovecot -c "$DIR/dovecot.conf" >"$DIR/start.log" 2>&1; then
    echo "Bail out! dovecot did not start: $(tr '\n' ' ' <"$DIR/start.log")"
    exit 1
fi
for _ in $(seq 100); do
    python3 - "$HOST" "$PORT_IMAPS" "$PORT_IMAP" "$PORT_POP3S" "$PORT_POP3" <<'PY' 2>/dev/null && break
import socket, sys
for port in sys.argv[2:]:
    socket.create_connection((sys.argv[1], int(port)), 0.2).close()
PY
    sleep 0.1
done

# run_cli NAME PASSWORD ARGS... — "outbox-doctor-cli check --incoming" with the password
# on standard input; stdout to $OUT/NAME.json, stderr to $OUT/NAME.stderr; sets RC.
run_cli() {
    local name=$1 pw=$2
    shift 2
    printf '%s\n' "$pw" | timeout 120 "$OD_CLI" check --incoming --address "$USER_NAME" \
        --host "$HOST" --password-stdin --ca-file "$DIR/certs/ca.pem" --json --timeout 60 "$@" \
        >"$OUT/$name.json" 2>"$OUT/$name.stderr"
    RC=$?
}

# json_check NAME PYTHON-EXPRESSION... — true if every expression is true for j, the parsed
# $OUT/NAME.json; step(id) is that step, problem_ids the problems' ids, transcript the
# transcript's texts joined. Prints what failed as TAP comments.
json_check() {
    local name=$1
    shift
    python3 - "$OUT/$name.json" "$@" <<'PY'
import json, sys
path, exprs = sys.argv[1], sys.argv[2:]
try:
    with open(path, encoding="utf-8") as f:
        j = json.load(f)
except Exception as e:
    print("# %s: not JSON: %s" % (path, e))
    sys.exit(1)
def step(i):
    return next((s for s in j.get("steps", []) if s.get("id") == i), {})
env = {"j": j, "step": step, "problem_ids": [p.get("id") for p in j.get("problems", [])],
       "transcript": "\n".join(t.get("text", "") for t in j.get("transcript", []))}
bad = 0
for e in exprs:
    try:
        r = eval(e, env)
    except Exception as ex:
        r = False
        print("# %s raised %r" % (e, ex))
    if not r:
        bad += 1
        print("# false: %s" % e)
if bad:
    print("# verdict=%r steps=%r problems=%r" % (
        j.get("verdict"), [(s.get("id"), s.get("status"), s.get("detail")) for s in j.get("steps", [])],
        [(p.get("id"), p.get("step"), p.get("server_reply")) for p in j.get("problems", [])]))
sys.exit(1 if bad else 0)
PY
}

N=0
FAILED=0
check() {
    local what=$1
    shift
    N=$((N + 1))
    if "$@"; then
        echo "ok $N - $what"
    else
        echo "not ok $N - $what"
        FAILED=1
    fi
}
show_stderr() {
    local name=$1 line
    echo "# $name: exit status $RC; stderr:"
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line//"$PASSWORD"/[password]}
        line=${line//"$WRONG"/[wrong password]}
        printf '# %s\n' "$line"
    done <"$OUT/$name.stderr"
}

INCOMING_STEPS='["network","dns","connect","tls","greeting","capabilities","auth","mailbox"]'
GREEN=("j['verdict'] == 'pass'" "[s['id'] for s in j['steps']] == $INCOMING_STEPS"
       "all(s['status'] == 'pass' for s in j['steps'])" "j['mailbox']['messages'] == 2"
       "'2 messages' in step('mailbox')['detail']")

echo "1..17"

# --- IMAP, implicit TLS (as 993) ---------------------------------------------------------
run_cli imap-tls "$PASSWORD" --protocol imap --port "$PORT_IMAPS" --security tls
check "imap tls: exit status 0" test "$RC" = 0
[ "$RC" = 0 ] || show_stderr imap-tls
check "imap tls: green, eight steps, two messages in the inbox" \
    json_check imap-tls "j['protocol'] == 'imap'" "${GREEN[@]}" \
    "'AUTHENTICATE PLAIN ********' in transcript"

# --- IMAP, STARTTLS (as 143): LOGINDISABLED before TLS, login after it --------------------
run_cli imap-starttls "$PASSWORD" --protocol imap --port "$PORT_IMAP" --security starttls
check "imap starttls: exit status 0" test "$RC" = 0
[ "$RC" = 0 ] || show_stderr imap-starttls
check "imap starttls: LOGINDISABLED before STARTTLS, then green" \
    json_check imap-starttls "${GREEN[@]}" "'LOGINDISABLED' in transcript" \
    "transcript.index('LOGINDISABLED') < transcript.index('STARTTLS\n') < transcript.index('AUTHENTICATE')"

# --- POP3, implicit TLS (as 995) and STLS (as 110) ----------------------------------------
run_cli pop3-tls "$PASSWORD" --protocol pop3 --port "$PORT_POP3S" --security tls
check "pop3 tls: exit status 0" test "$RC" = 0
[ "$RC" = 0 ] || show_stderr pop3-tls
check "pop3 tls: green, eight steps, two messages" \
    json_check pop3-tls "j['protocol'] == 'pop3'" "${GREEN[@]}"
run_cli pop3-stls "$PASSWORD" --protocol pop3 --port "$PORT_POP3" --security starttls
check "pop3 stls: exit status 0" test "$RC" = 0
[ "$RC" = 0 ] || show_stderr pop3-stls
check "pop3 stls: green after STLS" json_check pop3-stls "${GREEN[@]}" "'STLS' in transcript"

# --- TLS spoken to the STLS port: encryption-mismatch, STARTTLS suggested ------------------
run_cli pop3-mismatch "$PASSWORD" --protocol pop3 --port "$PORT_POP3" --security tls
check "pop3 tls to the STLS port: encryption-mismatch with STARTTLS on the same port suggested" \
    json_check pop3-mismatch "problem_ids[:1] == ['encryption-mismatch']" \
    "j['problems'][0]['suggestion'] == {'host': '$HOST', 'port': $PORT_POP3, 'security': 'starttls', 'tried': True}"

# --- What a person reads (no --json, with --verbose) ---------------------------------------
printf '%s\n' "$PASSWORD" | LC_ALL=C.UTF-8 timeout 120 "$OD_CLI" check --incoming \
    --address "$USER_NAME" --host "$HOST" --port "$PORT_POP3" --protocol pop3 \
    --security starttls --password-stdin \
    --ca-file "$DIR/certs/ca.pem" --timeout 60 --verbose >"$OUT/human.txt" 2>"$OUT/human.stderr"
RC=$?
human_ok() {
    [ "$RC" = 0 ] &&
        grep -qF 'Everything works: mail can be received.' "$OUT/human.txt" &&
        grep -qF 'The mailbox holds 2 messages' "$OUT/human.txt" &&
        grep -qF 'AUTH PLAIN ********' "$OUT/human.txt"
}
check "human output: receiving works, the message count, the login hidden" human_ok

# --- Wrong passwords ------------------------------------------------------------------------
run_cli imap-wrong "$WRONG" --protocol imap --port "$PORT_IMAPS" --security tls
check "imap wrong password: exit 1, auth-failed on auth with Dovecot's words" \
    json_check imap-wrong "j['verdict'] == 'fail'" "problem_ids[:1] == ['auth-failed']" \
    "j['problems'][0]['step'] == 'auth'" \
    "'AUTHENTICATIONFAILED' in j['problems'][0]['server_reply']"
run_cli pop3-wrong "$WRONG" --protocol pop3 --port "$PORT_POP3S" --security tls
check "pop3 wrong password: exit 1, auth-failed on auth" \
    json_check pop3-wrong "j['verdict'] == 'fail'" "problem_ids[:1] == ['auth-failed']" \
    "j['problems'][0]['step'] == 'auth'"

# --- No encryption on the STARTTLS port: the password never goes out -----------------------
run_cli imap-plain "$PASSWORD" --protocol imap --port "$PORT_IMAP" --security none
check "imap without encryption: auth-plaintext-refused, no login sent" \
    json_check imap-plain "problem_ids[:1] == ['auth-plaintext-refused']" \
    "'LOGIN ' not in transcript and 'AUTHENTICATE' not in transcript"

# --- A saved account, its password from the keyring ---------------------------------------
if command -v secret-tool >/dev/null && command -v gnome-keyring-daemon >/dev/null &&
   command -v dbus-run-session >/dev/null; then
    export OD_CLI HOST PORT_IMAP PORT_POP3S USER_NAME PASSWORD WRONG OUT
    export CA_FILE=$DIR/certs/ca.pem
    "$HERE/keyring-session.sh" keyring "$0" --account-phase >"$OUT/account-phase.tap" 2>&1
    while IFS= read -r line; do
        case $line in
            "ok - "*) N=$((N + 1)); echo "ok $N - ${line#ok - }" ;;
            "not ok - "*) N=$((N + 1)); FAILED=1; echo "not ok $N - ${line#not ok - }" ;;
            *) echo "# ${line//"$PASSWORD"/[password]}" ;;
        esac
    done <"$OUT/account-phase.tap"
fi
while [ "$N" -lt 16 ]; do
    N=$((N + 1))
    echo "ok $N # SKIP the keyring phase did not run (secret-tool, gnome-keyring, dbus)"
done

# Nothing the CLI printed holds the password.
no_password_in_output() {
    ! grep -rqF -- "$PASSWORD" "$OUT" && ! grep -rqF -- "$WRONG" "$OUT"
}
check "no output holds the password" no_password_in_output

if [ "$FAILED" != 0 ]; then
    sed 's/^/# dovecot: /' "$DIR/dovecot.log" | tail -n 30
fi
exit 0
