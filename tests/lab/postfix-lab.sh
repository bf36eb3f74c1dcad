#!/bin/bash
# postfix-lab.sh — a private, throw-away Postfix + Dovecot (SASL) submission server on
# loopback, for interoperability tests and the benchmark.
#
#   postfix-lab.sh start DIR     make everything under DIR, start both daemons, wait for
#                                the ports, write DIR/env
#   postfix-lab.sh stop DIR      stop both daemons and wait for them to exit
#   postfix-lab.sh status DIR    exit 0 if both daemons of DIR are running
#
# Everything lives under DIR: certificates (DIR/certs), Postfix's config, queue and data
# (DIR/postfix/{etc,spool,data}), Dovecot's config, runtime and state (DIR/dovecot/...),
# the delivered mail (DIR/mail), the logs (DIR/logs) and the password (DIR/password).
# Nothing outside DIR is written, nothing on port 25 is touched, and nothing listens
# anywhere but 127.0.0.1. A system Postfix or Dovecot may run at the same time.
#
# Listeners (both AUTH via Dovecot SASL, TLS 1.2 or newer only, relaying only after
# authentication):
#   LAB_PORT_TLS       implicit TLS, like 465 (smtpd_tls_wrappermode=yes)
#   LAB_PORT_STARTTLS  STARTTLS required, like 587 (smtpd_tls_security_level=encrypt)
#
# Mail for tester@lab.test is delivered by Postfix's virtual(8) agent into the maildir
# DIR/mail/tester/ (files owned by nobody:nogroup). Mail for any other domain is bounced
# by the error(8) transport: the lab never makes an outgoing connection.
#
# Environment:
#   OD_LAB_PASSWORD_FILE   a file whose first line is the password of tester@lab.test
#   OD_LAB_PASSWORD        password of tester@lab.test (default: random; always written
#                          to DIR/password, mode 0600, and never to DIR/env or stdout)
#   OD_LAB_PORT_TLS        port for implicit TLS (default: a free port found by python3)
#   OD_LAB_PORT_STARTTLS   port for STARTTLS (default: a free port found by python3)
#   OD_MAKE_TEST_CERTS     if set to an executable, called as "$OD_MAKE_TEST_CERTS DIR/certs"
#                          to write ca.pem, good-cert.pem and good-key.pem; otherwise the
#                          certificates are made with openssl
#   OD_LAB_WAIT            seconds to wait for the ports to accept connections (default 20)
#
# DIR/env (plain NAME=value lines; ". DIR/env", with "set -a" first to export them):
# LAB_DIR LAB_HOST LAB_PORT_TLS LAB_PORT_STARTTLS LAB_USER LAB_PASSWORD_FILE LAB_CA_FILE
# LAB_MAILDIR LAB_MAILLOG LAB_DOVECOT_LOG. "stop" leaves DIR in place; remove it yourself.
#
# Needs (Debian 12): postfix, dovecot-core, openssl (certificates, password hash),
# python3 (free ports, port wait), plus coreutils and util-linux (runuser), which every
# Debian has. Must run as root (Postfix and Dovecot drop privileges themselves). DIR and
# its parents must be enterable by the postfix user (DIR itself is set to mode 0711):
# /tmp/... is fine, /root/... is not.
#
# About "postfix -c DIR": Postfix checks that a non-default config directory is listed in
# alternate_config_directories (or multi_instance_directories) of the default
# /etc/postfix/main.cf only for its set-gid commands (postdrop, postqueue) run by other
# users. Run by root, "postfix -c DIR check|start" works with any directory, with the
# default main.cf present or absent (tried with Postfix 3.7 on Debian 12), and the lab
# only uses those commands as root and takes mail over SMTP. So this script leaves
# /etc/postfix alone, including when /etc/postfix/main.cf does not exist (as after
# installing the package with "No configuration").

set -euo pipefail
umask 022

PROG=${0##*/}
die() { echo "$PROG: $*" >&2; exit 1; }
usage() { echo "usage: $PROG start|stop|status DIR" >&2; exit 2; }

[ $# -eq 2 ] || usage
CMD=$1
[ -n "$2" ] || usage
mkdir -p "$2" 2>/dev/null || true
[ -d "$2" ] || die "$2: not a directory"
DIR=$(cd "$2" && pwd -P)

PF_ETC=$DIR/postfix/etc
PF_SPOOL=$DIR/postfix/spool
PF_DATA=$DIR/postfix/data
DV_ETC=$DIR/dovecot/etc
DV_RUN=$DIR/dovecot/run
DV_STATE=$DIR/dovecot/state
LOGS=$DIR/logs
CERTS=$DIR/certs
MAILBASE=$DIR/mail
MAILLOG=$LOGS/postfix.log
DVLOG=$LOGS/dovecot.log
AUTH_SOCKET=$DV_RUN/auth-postfix

POSTFIX=${POSTFIX:-postfix}
DOVECOT=${DOVECOT:-dovecot}
export PATH=$PATH:/usr/sbin:/sbin

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
read_pid() { if [ -r "$1" ]; then tr -dc '0-9' <"$1"; fi; }
postfix_pid() { read_pid "$PF_SPOOL/pid/master.pid"; }
dovecot_pid() { read_pid "$DV_RUN/master.pid"; }

# Wait up to $2 seconds (in tenths) for process $1 to exit.
wait_exit() {
    local pid=$1 tenths=$(( $2 * 10 ))
    while pid_alive "$pid" && [ "$tenths" -gt 0 ]; do
        sleep 0.1
        tenths=$((tenths - 1))
    done
    ! pid_alive "$pid"
}

log_tail() {
    local f
    for f in "$MAILLOG" "$DVLOG"; do
        [ -s "$f" ] || continue
        echo "---- last lines of $f ----" >&2
        tail -n 25 "$f" >&2
    done
}

free_ports() {
    # Bind two sockets to port 0 at the same time so they get two different free ports.
    python3 - <<'EOF'
import socket
socks = []
for _ in range(2):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
}

# ports_free PORT... — true if nothing on this machine listens on any of the ports at
# 127.0.0.1. Postfix sets SO_REUSEPORT on its listeners, so a second lab (or anything else
# doing so) on a busy port would start "successfully" and share the port: check first.
ports_free() {
    python3 - "$@" <<'EOF'
import socket, sys
for p in sys.argv[1:]:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", int(p)))
    except OSError as e:
        print("port %s: %s" % (p, e.strerror), file=sys.stderr)
        sys.exit(1)
    finally:
        s.close()
EOF
}

# wait_ports SECONDS PORT... — true once every port on 127.0.0.1 accepts a connection.
wait_ports() {
    python3 - "$@" <<'EOF'
import socket, sys, time
deadline = time.monotonic() + float(sys.argv[1])
pending = [int(p) for p in sys.argv[2:]]
while pending and time.monotonic() < deadline:
    for p in list(pending):
        try:
            socket.create_connection(("127.0.0.1", p), timeout=1).close()
            pending.remove(p)
        except OSError:
            pass
    if pending:
        time.sleep(0.1)
sys.exit(1 if pending else 0)
EOF
}

# A test CA (ca.pem, ca-key.pem) and a certificate for localhost / 127.0.0.1 signed by it
# (good-cert.pem, good-key.pem), EC P-256, valid for 30 days.
openssl_certs() {
    local cnf=$1
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$CERTS/ca-key.pem" -out "$CERTS/ca.pem" -days 30 \
        -config "$cnf" -extensions ca_ext &&
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$CERTS/good-key.pem" -out "$CERTS/good.csr" -subj "/CN=localhost" &&
    openssl x509 -req -in "$CERTS/good.csr" -CA "$CERTS/ca.pem" \
        -CAkey "$CERTS/ca-key.pem" -set_serial "0x$(openssl rand -hex 8)" -days 30 \
        -extfile "$cnf" -extensions server_ext -out "$CERTS/good-cert.pem"
}

make_certs() {
    mkdir -p "$CERTS"
    if [ -n "${OD_MAKE_TEST_CERTS:-}" ]; then
        [ -x "$OD_MAKE_TEST_CERTS" ] || die "OD_MAKE_TEST_CERTS=$OD_MAKE_TEST_CERTS is not executable"
        "$OD_MAKE_TEST_CERTS" "$CERTS" || die "$OD_MAKE_TEST_CERTS $CERTS failed"
    else
        local cnf=$CERTS/openssl.cnf
        cat >"$cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = Outbox Doctor Lab Test CA
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
        if ! openssl_certs "$cnf" 2>"$CERTS/openssl.log"; then
            cat "$CERTS/openssl.log" >&2
            die "making the test certificates failed"
        fi
    fi
    local f
    for f in ca.pem good-cert.pem good-key.pem; do
        [ -s "$CERTS/$f" ] || die "$CERTS/$f is missing"
    done
    chmod 0600 "$CERTS/good-key.pem"
    chmod 0644 "$CERTS/ca.pem" "$CERTS/good-cert.pem"
}

write_password() {
    local pw
    if [ -n "${OD_LAB_PASSWORD_FILE:-}" ]; then
        # A file keeps the password out of the environment of every process.
        pw=$(head -n 1 "$OD_LAB_PASSWORD_FILE")
    elif [ -n "${OD_LAB_PASSWORD:-}" ]; then
        pw=$OD_LAB_PASSWORD
    else
        # 18 random bytes -> 24 characters; keep it to letters and digits so that it is
        # safe on any command line (swaks) and in any file format.
        pw=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
    fi
    case $pw in *:*|*$'\n'*) die "OD_LAB_PASSWORD must not contain ':' or a newline";; esac
    (umask 077; printf '%s' "$pw" >"$DIR/password")
    chmod 0600 "$DIR/password"
    # Dovecot keeps only a salted hash (openssl reads the password from stdin, so it
    # never appears in a process list).
    local hash
    hash=$(printf '%s\n' "$pw" | openssl passwd -6 -stdin) || die "openssl passwd failed"
    # passwd-file: user:password:uid:gid:(gecos):home:(shell):extra
    printf 'tester@lab.test:{SHA512-CRYPT}%s:65534:65534::%s::\n' "$hash" "$MAILBASE/tester" \
        >"$DV_ETC/users"
    chown root:dovecot "$DV_ETC/users"
    chmod 0640 "$DV_ETC/users"
}

write_dovecot_conf() {
    # A complete configuration of its own: nothing from /etc/dovecot is read.
    cat >"$DV_ETC/dovecot.conf" <<EOF
# Outbox Doctor lab: Dovecot as the SASL service of the lab's Postfix only.
instance_name = od-lab-$(printf '%s' "$DIR" | cksum | cut -d' ' -f1)
base_dir = $DV_RUN
state_dir = $DV_STATE
protocols =
listen = 127.0.0.1
ssl = no
log_path = $DVLOG
info_log_path = $DVLOG
debug_log_path = $DVLOG
auth_mechanisms = plain login
auth_verbose = yes
# Postfix tells Dovecot whether the SMTP session is encrypted; both listeners allow
# AUTH only after TLS anyway.
disable_plaintext_auth = yes

passdb {
  driver = passwd-file
  args = scheme=SHA512-CRYPT username_format=%u $DV_ETC/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $DV_ETC/users
}

service auth {
  unix_listener ${AUTH_SOCKET##*/} {
    mode = 0660
    user = postfix
    group = postfix
  }
}
EOF
}

write_postfix_conf() {
    cat >"$PF_ETC/main.cf" <<EOF
# Outbox Doctor lab: a private Postfix instance, loopback only.
compatibility_level = 3.6
queue_directory = $PF_SPOOL
data_directory = $PF_DATA
mail_owner = postfix
setgid_group = postdrop
maillog_file = $MAILLOG
maillog_file_prefixes = $LOGS
myhostname = mail.lab.test
mydomain = lab.test
myorigin = lab.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.1/32
smtpd_banner = \$myhostname ESMTP Outbox Doctor lab
biff = no
append_dot_mydomain = no
# No DNS: /etc/resolv.conf may name a server off this machine, and the lab must not
# send anything beyond loopback (the client's name comes from /etc/hosts otherwise).
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
lmtp_dns_support_level = disabled
alias_maps =
alias_database =
local_recipient_maps =
# Never a connection out of the machine: anything not for lab.test bounces.
default_transport = error:5.7.1 the lab delivers only to lab.test
relay_transport = error:5.7.1 the lab delivers only to lab.test
relayhost =
# Delivery into DIR/mail/tester/ (a maildir: the trailing slash).
virtual_mailbox_domains = lab.test
virtual_mailbox_base = $MAILBASE
virtual_mailbox_maps = texthash:$PF_ETC/vmailbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
virtual_minimum_uid = 100
# TLS: the test CA's certificate for localhost / 127.0.0.1, TLS 1.2 or newer only.
smtpd_tls_cert_file = $CERTS/good-cert.pem
smtpd_tls_key_file = $CERTS/good-key.pem
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_tls_loglevel = 1
smtpd_tls_received_header = yes
smtpd_tls_auth_only = yes
# SASL through the lab's own Dovecot.
smtpd_sasl_type = dovecot
smtpd_sasl_path = $AUTH_SOCKET
smtpd_sasl_auth_enable = no
smtpd_sasl_security_options = noanonymous
smtpd_recipient_restrictions = permit_sasl_authenticated, reject
smtpd_relay_restrictions = permit_sasl_authenticated, reject
# Tests send quickly and in bursts.
smtpd_client_connection_rate_limit = 0
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 100
smtpd_hard_error_limit = 100
anvil_rate_time_unit = 60s
EOF

    printf 'tester@lab.test tester/\n' >"$PF_ETC/vmailbox"

    local sub="-o smtpd_sasl_auth_enable=yes -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject -o smtpd_relay_restrictions=permit_sasl_authenticated,reject"
    cat >"$PF_ETC/master.cf" <<EOF
# Outbox Doctor lab: only the two submission listeners and the internal services.
# service type  private unpriv  chroot  wakeup  maxproc command + args
127.0.0.1:$PORT_TLS inet n - n - - smtpd
  -o syslog_name=postfix-lab/submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
  $sub
127.0.0.1:$PORT_STARTTLS inet n - n - - smtpd
  -o syslog_name=postfix-lab/submission
  -o smtpd_tls_security_level=encrypt
  $sub
pickup     unix  n       -       n       60      1       pickup
cleanup    unix  n       -       n       -       0       cleanup
qmgr       unix  n       -       n       300     1       qmgr
tlsmgr     unix  -       -       n       1000?   1       tlsmgr
rewrite    unix  -       -       n       -       -       trivial-rewrite
bounce     unix  -       -       n       -       0       bounce
defer      unix  -       -       n       -       0       bounce
trace      unix  -       -       n       -       0       bounce
verify     unix  -       -       n       -       1       verify
flush      unix  n       -       n       1000?   0       flush
proxymap   unix  -       -       n       -       -       proxymap
proxywrite unix  -       -       n       -       1       proxymap
showq      unix  n       -       n       -       -       showq
error      unix  -       -       n       -       -       error
retry      unix  -       -       n       -       -       error
discard    unix  -       -       n       -       -       discard
virtual    unix  -       n       n       -       -       virtual
anvil      unix  -       -       n       -       1       anvil
scache     unix  -       -       n       -       1       scache
postlog    unix-dgram n  -       n       -       1       postlogd
# No network delivery: these names are mapped to error(8) as well.
smtp       unix  -       -       n       -       -       error
relay      unix  -       -       n       -       -       error
local      unix  -       n       n       -       -       error
EOF
}

# The pid files may be stale and their numbers reused: only signal a process that is
# really this lab's Postfix master (its environment names our config directory) or
# Dovecot master (its command line names our dovecot.conf).
lab_postfix_pid() {
    local pid
    pid=$(postfix_pid)
    pid_alive "$pid" && grep -qzxF "MAIL_CONFIG=$PF_ETC" "/proc/$pid/environ" 2>/dev/null \
        && echo "$pid"
    return 0
}
lab_dovecot_pid() {
    local pid
    pid=$(dovecot_pid)
    pid_alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null \
        | grep -qF -- "-c $DV_ETC/dovecot.conf" && echo "$pid"
    return 0
}

do_stop() {
    # SIGTERM is what "postfix stop" sends too, but its script then polls once a second
    # for up to five seconds; both masters pass the signal on to their children and take
    # two to three seconds to exit, so stop them together and wait here.
    local ppid dpid pid
    ppid=$(lab_postfix_pid)
    dpid=$(lab_dovecot_pid)
    for pid in $ppid $dpid; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in $ppid $dpid; do
        if ! wait_exit "$pid" 15; then
            echo "$PROG: $pid did not exit after SIGTERM; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
            wait_exit "$pid" 5 || die "process $pid does not exit"
        fi
    done
    return 0
}

do_start() {
    [ "$(id -u)" = 0 ] || die "must run as root"
    command -v "$POSTFIX" >/dev/null || die "postfix is not installed"
    command -v "$DOVECOT" >/dev/null || die "dovecot is not installed"
    getent passwd postfix >/dev/null || die "no user postfix"
    getent passwd dovecot >/dev/null || die "no user dovecot"

    # Restarting an existing lab: stop it first, then make everything afresh (the maildir
    # is kept so a test can look at earlier messages).
    do_stop

    # Postfix's and Dovecot's unprivileged processes must reach files under DIR.
    chmod 0711 "$DIR"
    local d=$DIR
    while [ "$d" != / ]; do
        d=$(dirname "$d")
        if ! runuser -u postfix -- test -x "$d" 2>/dev/null; then
            die "the postfix user cannot enter $d; use a lab directory under /tmp"
        fi
    done

    rm -rf "$PF_ETC" "$PF_SPOOL" "$PF_DATA" "$DIR/dovecot" "$CERTS" "$DIR/env"
    mkdir -p "$PF_ETC" "$PF_SPOOL" "$PF_DATA" "$DV_ETC" "$DV_RUN" "$DV_STATE" "$LOGS" "$MAILBASE"
    chown postfix "$PF_DATA"
    chmod 0755 "$LOGS"
    chown 65534:65534 "$MAILBASE"
    chmod 0755 "$MAILBASE"

    if [ -n "${OD_LAB_PORT_TLS:-}" ] && [ -n "${OD_LAB_PORT_STARTTLS:-}" ]; then
        PORT_TLS=$OD_LAB_PORT_TLS
        PORT_STARTTLS=$OD_LAB_PORT_STARTTLS
    else
        local ports
        ports=$(free_ports) || die "could not find free ports (python3 missing?)"
        PORT_TLS=${OD_LAB_PORT_TLS:-${ports% *}}
        PORT_STARTTLS=${OD_LAB_PORT_STARTTLS:-${ports#* }}
    fi
    case "$PORT_TLS$PORT_STARTTLS" in *[!0-9]*) die "ports must be numbers";; esac
    [ "$PORT_TLS" != "$PORT_STARTTLS" ] || die "the two ports must differ"
    if [ "$PORT_TLS" = 25 ] || [ "$PORT_STARTTLS" = 25 ]; then die "the lab does not use port 25"; fi
    ports_free "$PORT_TLS" "$PORT_STARTTLS" || die "ports $PORT_TLS/$PORT_STARTTLS are not free"

    make_certs
    write_password
    write_dovecot_conf
    write_postfix_conf

    # Dovecot first: Postfix's smtpd needs the auth socket at the first AUTH.
    "$DOVECOT" -c "$DV_ETC/dovecot.conf" >"$LOGS/dovecot.start" 2>&1 || {
        cat "$LOGS/dovecot.start" >&2; log_tail; die "dovecot did not start"; }

    # "postfix check" creates the queue directories with the right owners (post-install
    # create-missing) and checks the configuration; its messages go to the maillog file.
    if ! "$POSTFIX" -c "$PF_ETC" check >"$LOGS/postfix.check" 2>&1; then
        cat "$LOGS/postfix.check" >&2; log_tail; do_stop; die "postfix check failed"
    fi
    if grep -qiE 'warning|fatal|error' "$LOGS/postfix.check"; then
        cat "$LOGS/postfix.check" >&2
    fi
    if ! "$POSTFIX" -c "$PF_ETC" start >"$LOGS/postfix.start" 2>&1; then
        cat "$LOGS/postfix.start" >&2; log_tail; do_stop; die "postfix did not start"
    fi

    local i=0
    while [ ! -S "$AUTH_SOCKET" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    [ -S "$AUTH_SOCKET" ] || { log_tail; do_stop; die "dovecot made no auth socket"; }

    if ! wait_ports "${OD_LAB_WAIT:-20}" "$PORT_TLS" "$PORT_STARTTLS"; then
        echo "$PROG: ports $PORT_TLS and $PORT_STARTTLS did not accept connections within ${OD_LAB_WAIT:-20} s" >&2
        log_tail
        do_stop
        exit 1
    fi
    if [ -z "$(lab_postfix_pid)" ] || [ -z "$(lab_dovecot_pid)" ]; then
        log_tail
        do_stop
        die "postfix or dovecot exited during start-up"
    fi

    cat >"$DIR/env" <<EOF
LAB_DIR=$DIR
LAB_HOST=127.0.0.1
LAB_PORT_TLS=$PORT_TLS
LAB_PORT_STARTTLS=$PORT_STARTTLS
LAB_USER=tester@lab.test
LAB_PASSWORD_FILE=$DIR/password
LAB_CA_FILE=$CERTS/ca.pem
LAB_MAILDIR=$MAILBASE/tester
LAB_MAILLOG=$MAILLOG
LAB_DOVECOT_LOG=$DVLOG
EOF
    echo "lab up: implicit TLS 127.0.0.1:$PORT_TLS, STARTTLS 127.0.0.1:$PORT_STARTTLS; see $DIR/env"
}

do_status() {
    [ -n "$(lab_postfix_pid)" ] && [ -n "$(lab_dovecot_pid)" ]
}

case $CMD in
    start) do_start ;;
    stop) do_stop ;;
    status) do_status ;;
    *) usage ;;
esac
