#!/bin/bash
# Interoperability test of the IMAP session (test-imap-session's /od/imap-session/dovecot)
# against a real Dovecot IMAP server: a private instance on loopback with STARTTLS from the
# test CA, LOGINDISABLED before TLS, and a password with '"', '\', a space and non-ASCII
# letters, checked with AUTHENTICATE PLAIN, AUTHENTICATE LOGIN and the LOGIN command.
#
# Needs: dovecot-core and dovecot-imapd (Debian 12), root (Dovecot drops privileges itself).
# Environment (set by meson): OD_BUILD_ROOT.
set -u

if ! command -v dovecot >/dev/null || [ ! -x /usr/lib/dovecot/imap ]; then
    echo "1..0 # SKIP dovecot is not installed (packages dovecot-core, dovecot-imapd)"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP the Dovecot instance must be started as root"
    exit 0
fi

BUILD=${OD_BUILD_ROOT:?}
DIR=$(mktemp -d /tmp/od-dovecot-imap.XXXXXX)
chmod 0755 "$DIR"
USER_NAME='tester@lab.test'
PASSWORD='Lab"pa\ss wört9'

cleanup() {
    if [ -f "$DIR/run/master.pid" ]; then
        kill "$(cat "$DIR/run/master.pid")" 2>/dev/null
        sleep 0.3
    fi
    rm -rf "$DIR"
}
trap cleanup EXIT

"$BUILD/tests/lib/make-test-certs" "$DIR/certs" >/dev/null || { echo "Bail out! no certificates"; exit 1; }
mkdir -p "$DIR/run" "$DIR/state" "$DIR/home"
chown 65534:65534 "$DIR/home"
printf '%s:{PLAIN}%s:65534:65534::%s::\n' "$USER_NAME" "$PASSWORD" "$DIR/home" >"$DIR/users"
chown root:dovecot "$DIR/users"
chmod 0640 "$DIR/users"

# Dovecot counts a connection from its own address as secure and would offer a password login
# before TLS (no LOGINDISABLED): it listens on 127.0.0.2, the client comes from 127.0.0.1.
# (All of 127.0.0.0/8 is loopback; no address is added.)
HOST=127.0.0.2
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("'$HOST'",0)); print(s.getsockname()[1])')

cat >"$DIR/dovecot.conf" <<CONF
instance_name = od-imap-test-$(printf '%s' "$DIR" | cksum | cut -d' ' -f1)
base_dir = $DIR/run
state_dir = $DIR/state
protocols = imap
listen = $HOST
log_path = $DIR/dovecot.log
ssl = yes
ssl_cert = <$DIR/certs/good-cert.pem
ssl_key = <$DIR/certs/good-key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DIR/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $DIR/users
}
service imap-login {
  inet_listener imap {
    address = $HOST
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
CONF

if ! dovecot -c "$DIR/dovecot.conf" >"$DIR/start.log" 2>&1; then
    echo "Bail out! dovecot did not start: $(cat "$DIR/start.log")"
    exit 1
fi
for _ in $(seq 50); do
    python3 -c "import socket; socket.create_connection(('$HOST', $PORT), 1)" 2>/dev/null && break
    sleep 0.1
done

OD_DOVECOT_IMAP_HOST=$HOST OD_DOVECOT_IMAP_PORT=$PORT OD_DOVECOT_CA_FILE=$DIR/certs/ca.pem \
OD_DOVECOT_USER=$USER_NAME OD_DOVECOT_PASSWORD=$PASSWORD \
    "$BUILD/tests/engine/test-imap-session" --tap -p /od/imap-session/dovecot
status=$?
[ $status = 0 ] || sed 's/^/# /' "$DIR/dovecot.log"
exit $status
