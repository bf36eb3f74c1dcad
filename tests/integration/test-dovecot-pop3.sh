#!/bin/bash
# Interoperability test: the POP3 session against a real Dovecot (dovecot-pop3d) on
# loopback, with TLS from the test CA and real authentication. Starts a private Dovecot
# that only speaks POP3, on two free ports of 127.0.0.1 (STLS and implicit TLS), with one
# account whose maildir holds two messages, runs test-pop3-interop against it, stops it.
# Output: TAP (from test-pop3-interop).
#
# Environment (set by meson):
#   OD_POP3_INTEROP      the built test-pop3-interop
#   OD_MAKE_TEST_CERTS   the built make-test-certs
#   OD_LAB_PASSWORD_FILE a file whose first line is the account's password
#
# Needs: dovecot-core, dovecot-pop3d, openssl (the password hash), python3 (free ports).
# Dovecot drops privileges itself, so this must run as root; skipped otherwise.
# shellcheck disable=SC2317  # stop() is called through the trap
set -u
export PATH=$PATH:/usr/sbin:/sbin

if ! command -v dovecot >/dev/null || [ ! -x /usr/lib/dovecot/pop3 ]; then
    echo "1..0 # SKIP dovecot's POP3 server is not installed (packages dovecot-core, dovecot-pop3d)"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP the Dovecot lab must run as root"
    exit 0
fi
for v in OD_POP3_INTEROP OD_MAKE_TEST_CERTS OD_LAB_PASSWORD_FILE; do
    if [ -z "${!v:-}" ]; then
        echo "Bail out! $v is not set"
        exit 1
    fi
done

DIR=$(mktemp -d /tmp/od-pop3-lab.XXXXXX)
chmod 0711 "$DIR"
USER_NAME=tester@lab.test
HOME_DIR=$DIR/home/tester

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

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}
PORT_STLS=$(free_port)
PORT_TLS=$(free_port)
while [ "$PORT_TLS" = "$PORT_STLS" ]; do PORT_TLS=$(free_port); done

mkdir -p "$DIR/certs" "$DIR/run" "$DIR/state" "$HOME_DIR/Maildir/cur" "$HOME_DIR/Maildir/new" \
         "$HOME_DIR/Maildir/tmp"
if ! "$OD_MAKE_TEST_CERTS" "$DIR/certs" >/dev/null; then
    echo "Bail out! make-test-certs failed"
    exit 1
fi
chmod 0600 "$DIR/certs/good-key.pem"

for n in 1 2; do
    printf 'From: a@lab.test\r\nTo: %s\r\nSubject: message %s\r\n' "$USER_NAME" "$n" \
        >"$HOME_DIR/Maildir/new/100000000$n.M1P1.lab"
    printf 'Message-ID: <%s@lab.test>\r\n\r\nHello %s\r\n' "$n" "$n" \
        >>"$HOME_DIR/Maildir/new/100000000$n.M1P1.lab"
done
chown -R 65534:65534 "$DIR/home"

hash=$(head -n 1 "$OD_LAB_PASSWORD_FILE" | openssl passwd -6 -stdin)
printf '%s:{SHA512-CRYPT}%s:65534:65534::%s::\n' "$USER_NAME" "$hash" "$HOME_DIR" >"$DIR/users"
chown root:dovecot "$DIR/users"
chmod 0640 "$DIR/users"

cat >"$DIR/dovecot.conf" <<CONF
# Outbox Doctor POP3 lab: a private Dovecot, POP3 only, loopback only.
instance_name = od-pop3-lab-$(printf '%s' "$DIR" | cksum | cut -d' ' -f1)
base_dir = $DIR/run
state_dir = $DIR/state
protocols = pop3
listen = 127.0.0.1
log_path = $DIR/dovecot.log
ssl = yes
ssl_cert = <$DIR/certs/good-cert.pem
ssl_key = <$DIR/certs/good-key.pem
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

service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $PORT_STLS
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = $PORT_TLS
    ssl = yes
  }
}
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = 0
  }
}
CONF

if ! dovecot -c "$DIR/dovecot.conf" >"$DIR/start.log" 2>&1; then
    echo "Bail out! dovecot did not start: $(tr '\n' ' ' <"$DIR/start.log")"
    exit 1
fi
for _ in $(seq 100); do
    python3 - "$PORT_STLS" "$PORT_TLS" <<'PY' 2>/dev/null && break
import socket, sys
for port in sys.argv[1:]:
    socket.create_connection(("127.0.0.1", int(port)), 0.2).close()
PY
    sleep 0.1
done

OD_POP3_HOST=127.0.0.1 OD_POP3_PORT_STLS=$PORT_STLS OD_POP3_PORT_TLS=$PORT_TLS \
OD_POP3_CA_FILE=$DIR/certs/ca.pem OD_POP3_USER=$USER_NAME \
OD_POP3_PASSWORD_FILE=$OD_LAB_PASSWORD_FILE OD_POP3_MESSAGES=2 \
    "$OD_POP3_INTEROP" --tap
status=$?
if [ "$status" != 0 ]; then
    sed 's/^/# dovecot: /' "$DIR/dovecot.log" | tail -n 30
fi
exit $status
