# Shared by tests/integration/test-round-trip-interop.sh and build-aux/bench-round-trip.sh
# (sourced, bash): rt_lab_start starts the Postfix lab (tests/lab/postfix-lab.sh) in
# $LAB_DIR and a second Dovecot in $DV serving the lab's maildir over IMAP ($IMAP, $IMAPS)
# and POP3 ($POP3, $POP3S) on 127.0.0.1 with the test CA's certificate and a \Junk folder;
# send MESSAGE-ID submits a message through the lab; round_trip NAME … runs
# $RUN (round-trip-run) into $OUT/NAME.json. Needs LAB, LAB_DIR, DV, OUT and RUN set.
# shellcheck shell=bash

rt_lab_start() {
if ! "$LAB" start "$LAB_DIR" >"$OUT/lab-start.log" 2>&1; then
    echo "Bail out! the Postfix lab did not start"
    sed 's/^/# /' "$OUT/lab-start.log"
    exit 1
fi
# shellcheck disable=SC1091
. "$LAB_DIR/env"

free_ports() {
    python3 -c 'import socket
ss = [socket.socket() for _ in range(4)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))'
}
read -r IMAP IMAPS POP3 POP3S <<<"$(free_ports)"

mkdir -p "$DV/run" "$DV/state"
cat >"$DV/dovecot.conf" <<CONF
instance_name = od-round-trip-$(printf '%s' "$DV" | cksum | cut -d' ' -f1)
base_dir = $DV/run
state_dir = $DV/state
protocols = imap pop3
listen = 127.0.0.1
log_path = $DV/dovecot.log
ssl = yes
ssl_cert = <$LAB_DIR/certs/good-cert.pem
ssl_key = <$LAB_DIR/certs/good-key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
mail_location = maildir:$LAB_MAILDIR
passdb {
  driver = passwd-file
  args = scheme=SHA512-CRYPT username_format=%u $LAB_DIR/dovecot/etc/users
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$LAB_MAILDIR
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Junk {
    special_use = \\Junk
    auto = create
  }
}
service imap-login {
  inet_listener imap {
    port = $IMAP
  }
  inet_listener imaps {
    port = $IMAPS
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $POP3
  }
  inet_listener pop3s {
    port = $POP3S
    ssl = yes
  }
}
CONF

if ! dovecot -c "$DV/dovecot.conf" >"$DV/start.log" 2>&1; then
    echo "Bail out! the incoming Dovecot did not start: $(cat "$DV/start.log")"
    exit 1
fi
for _ in $(seq 50); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $POP3S), 1)" \
        2>/dev/null && break
    sleep 0.1
done

}

# send MESSAGE-ID: one message through the lab's submission port (STARTTLS, AUTH PLAIN);
# the password is read from the file, never from the command line.
send() {
    python3 - "$LAB_HOST" "$LAB_PORT_STARTTLS" "$LAB_USER" "$LAB_PASSWORD_FILE" \
        "$LAB_CA_FILE" "$1" <<'EOF'
import email.utils, smtplib, ssl, sys
host, port, user, pwfile, ca, msgid = sys.argv[1:]
with open(pwfile, encoding="utf-8") as f:
    password = f.readline().rstrip("\n")
s = smtplib.SMTP(host, int(port), timeout=20)
s.starttls(context=ssl.create_default_context(cafile=ca))
s.login(user, password)
s.sendmail(user, [user], ("From: %s\r\nTo: %s\r\nSubject: Outbox Doctor round trip\r\n"
                          "Date: %s\r\nMessage-ID: %s\r\n\r\nA test.\r\n")
           % (user, user, email.utils.formatdate(), msgid))
s.quit()
EOF
}

# round_trip NAME PROTOCOL PORT SECURITY MESSAGE-ID [ARGS…]: $OUT/NAME.json
round_trip() {
    local name=$1 protocol=$2 port=$3 security=$4 id=$5
    shift 5
    timeout 120 "$RUN" --protocol "$protocol" --host 127.0.0.1 --port "$port" \
        --security "$security" --user "$LAB_USER" --password-file "$LAB_PASSWORD_FILE" \
        --ca-file "$LAB_CA_FILE" --message-id "$id" "$@" >"$OUT/$name.json" 2>"$OUT/$name.err"
}

