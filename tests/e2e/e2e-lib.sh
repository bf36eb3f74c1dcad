# shellcheck shell=bash disable=SC2034  # E2E_* are read by the scripts that source this
# e2e-lib.sh — a throw-away network namespace with its own DNS, CA and servers, for the
# end-to-end discovery tests (test-detect-e2e.sh) and the benchmark (build-aux/bench-detect.sh).
# Source it from bash; nothing runs until you call a function.
#
# What a namespace gets (see ../shared/test-environment.md for why each piece is so):
#   - a unique name od-e2e-<pid>-<random>, with lo up, one more interface (a bridge with
#     no ports, or a veth pair) holding 192.0.2.1/32 and 2001:db8::1/128 so glibc sees usable address
#     families (see e2e_setup), and no default route (so GNetworkMonitor says "no
#     network") unless e2e_default_route adds one;
#   - /etc/netns/NAME/resolv.conf naming a dnsmasq inside the namespace (127.0.0.1:53,
#     --no-resolv --no-hosts, answers only from the records given to e2e_dns, NXDOMAIN for
#     everything else under .test);
#   - /etc/netns/NAME/ssl, a copy of /etc/ssl whose certs/ca-certificates.crt has the test
#     CA appended, so GnuTLS, glib-networking and libsoup in the namespace trust it;
#   - servers bound to 127.x.y.z addresses inside it (every address of 127.0.0.0/8 routes
#     to lo; no address is added to lo on purpose).
# "ip netns exec" bind-mounts /etc/netns/NAME/* over /etc/, so only processes started
# through e2e_exec see the DNS and the CA.
#
# Tools, from the environment (meson sets them; see tests/e2e/meson.build):
#   OD_CLI                     outbox-doctor-cli
#   OD_E2E_MAKE_CERTS          od-e2e-make-certs
#   OD_E2E_AUTOCONFIG_SERVER   od-e2e-autoconfig-server
#   OD_E2E_NETMON              od-e2e-netmon
#   OD_FAKE_SMTP_SERVER        fake-smtp-server (tests/fake/fake-smtp-server.c)
#   OD_FAKE_INCOMING_SERVER    fake-incoming-server (tests/fake/fake-incoming-server.c)
#   OD_E2E_DELAYER             od-e2e-delayer (benchmark only)
#   OD_LAB_SCRIPT              tests/lab/postfix-lab.sh
# Every function returns non-zero (with a message on stderr) when something fails.
#
# Call e2e_cleanup from an EXIT trap: it kills every process started here (by pid), stops
# the Postfix lab, deletes the namespace and /etc/netns/NAME, and removes the work
# directory (or keeps it when E2E_KEEP=1).

export PATH=$PATH:/usr/sbin:/sbin

E2E_RC=0
E2E_WALL_MS=0
E2E_NS=
E2E_WORK=
E2E_PIDS=()
E2E_LAB_DIR=
E2E_KEEP=${E2E_KEEP:-0}

e2e_log() { echo "e2e: $*" >&2; }

# e2e_can_run — 0 if this machine can run the tests; otherwise prints why on stdout.
e2e_can_run() {
  if [ "$(id -u)" != 0 ]; then
    echo "network namespaces, iptables and ports below 1024 need root"
    return 1
  fi
  local tool
  for tool in ip iptables dnsmasq python3; do
    if ! command -v "$tool" >/dev/null; then
      echo "$tool is not installed (packages iproute2, iptables, dnsmasq-base, python3)"
      return 1
    fi
  done
  local probe=od-e2e-probe-$$-$RANDOM
  if ! ip netns add "$probe" 2>/dev/null; then
    echo "'ip netns add' does not work here (no network namespaces?)"
    return 1
  fi
  local ok=1
  ip netns exec "$probe" ip link set lo up 2>/dev/null || ok=0
  ip netns exec "$probe" iptables -L INPUT -n >/dev/null 2>&1 || ok=0
  ip netns delete "$probe" 2>/dev/null
  if [ "$ok" = 0 ]; then
    echo "'ip netns exec' or iptables inside a namespace does not work here"
    return 1
  fi
  return 0
}

# e2e_exec CMD... — run a command inside the namespace.
e2e_exec() {
  ip netns exec "$E2E_NS" "$@"
}

# e2e_spawn CMD… — for background servers ("e2e_spawn … &"): the function's subshell execs
# "ip netns exec", which execs CMD, so $! is the server itself and e2e_cleanup can stop it.
e2e_spawn() {
  exec ip netns exec "$E2E_NS" "$@"
}

# e2e_setup — make the work directory and the namespace (not yet its DNS or CA).
e2e_setup() {
  E2E_WORK=$(mktemp -d /tmp/od-e2e.XXXXXX) || return 1
  # The Postfix lab's unprivileged processes must be able to enter it.
  chmod 0711 "$E2E_WORK"
  E2E_NS=od-e2e-$$-$RANDOM
  ip netns add "$E2E_NS" || { e2e_log "ip netns add $E2E_NS failed"; E2E_NS=; return 1; }
  e2e_exec ip link set lo up || return 1
  # One non-loopback address of each family, on an interface with no route beyond itself.
  # glibc's getaddrinfo() with AI_ADDRCONFIG answers EAI_NONAME at once, without asking
  # DNS, for an AF_INET (AF_INET6) lookup when the machine has no non-loopback IPv4 (IPv6)
  # address; GNetworkAddress (and so libsoup and GSocketClient) looks names up per family,
  # so with lo alone every HTTPS fetch failed with "Name or service not known". A real
  # machine always has such addresses; this gives the namespace them without a way out
  # and without a default route, so GNetworkMonitor still says "no network".
  # A bridge without ports; a veth pair (both ends kept here) where bridging is missing.
  if ! e2e_exec ip link add od-e2e0 type bridge 2>/dev/null; then
    e2e_exec ip link add od-e2e0 type veth peer name od-e2e1 || return 1
    e2e_exec ip link set od-e2e1 up || return 1
  fi
  e2e_exec ip addr add 192.0.2.1/32 dev od-e2e0 || return 1
  e2e_exec ip addr add 2001:db8::1/128 dev od-e2e0 nodad || return 1
  e2e_exec ip link set od-e2e0 up || return 1
  mkdir -p "/etc/netns/$E2E_NS" || return 1
}

# e2e_default_route — make GNetworkMonitor in the namespace report full connectivity.
e2e_default_route() {
  e2e_exec ip route add default dev lo
}

# e2e_certs NAME... — the test CA and a CA-signed and a self-signed certificate for the
# given DNS names (E2E_WORK/certs/e2e-*.pem); installs the CA in the namespace's /etc/ssl.
e2e_certs() {
  local certs=$E2E_WORK/certs ssl=/etc/netns/$E2E_NS/ssl
  "$OD_E2E_MAKE_CERTS" "$certs" "$@" >"$E2E_WORK/make-certs.log" 2>&1 || {
    cat "$E2E_WORK/make-certs.log" >&2; e2e_log "making certificates failed"; return 1; }
  chmod 0755 "$certs"
  rm -rf "$ssl"
  cp -a /etc/ssl "$ssl" || return 1
  # A new file, not an append through a symbolic link into the host's /usr/share.
  rm -f "$ssl/certs/ca-certificates.crt"
  cat /etc/ssl/certs/ca-certificates.crt "$certs/ca.pem" >"$ssl/certs/ca-certificates.crt" ||
    return 1
}

# e2e_wait_for_file FILE PATTERN PID SECONDS — wait until FILE contains PATTERN (grep -E)
# while process PID lives.
e2e_wait_for_file() {
  local file=$1 pattern=$2 pid=$3 tenths=$(( $4 * 10 ))
  while [ "$tenths" -gt 0 ]; do
    grep -qE "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
    tenths=$((tenths - 1))
  done
  return 1
}

# e2e_dns DNSMASQ-OPTION... — start the namespace's DNS server with these records, e.g.
#   --host-record=smtp.example.test,127.1.0.10
#   --srv-host=_submissions._tcp.example.test,smtp.example.test,465,0,1
#   --mx-host=example.test,mx.example.test,10
# Names under .test without a record get NXDOMAIN at once.
e2e_dns() {
  local log=$E2E_WORK/dnsmasq.log
  echo "nameserver 127.0.0.1" >"/etc/netns/$E2E_NS/resolv.conf"
  # -k keeps it in the foreground, so $! is dnsmasq itself.
  e2e_spawn dnsmasq -k --no-resolv --no-hosts --no-poll --local=/test/ --domain-needed \
    --listen-address=127.0.0.1 --bind-interfaces --user=root --group=root \
    --log-queries --log-facility="$log" --pid-file="$E2E_WORK/dnsmasq.pid" "$@" \
    >"$E2E_WORK/dnsmasq.out" 2>&1 &
  local pid=$!
  E2E_PIDS+=("$pid")
  if ! e2e_wait_for_file "$log" 'started, version' "$pid" 10; then
    cat "$E2E_WORK/dnsmasq.out" "$log" >&2 2>/dev/null
    e2e_log "dnsmasq did not start"
    return 1
  fi
}

# e2e_fake_smtp NAME KEY=VALUE... — start fake-smtp-server inside the namespace with a
# [server] section of these keys (address, port, implicit-tls, cert-file, key-file,
# capabilities-before-tls, …; see tests/fake/fake-smtp-server.c). cert=e2e or
# cert=e2e-self-signed is short for the matching cert-file and key-file.
e2e_fake_smtp() {
  local name=$1 script out pid kv
  shift
  script=$E2E_WORK/smtp-$name.ini
  out=$E2E_WORK/smtp-$name.out
  {
    echo "[server]"
    for kv in "$@"; do
      case $kv in
        cert=*)
          echo "cert-file=$E2E_WORK/certs/${kv#cert=}-cert.pem"
          echo "key-file=$E2E_WORK/certs/${kv#cert=}-key.pem"
          ;;
        *) echo "$kv" ;;
      esac
    done
  } >"$script"
  e2e_spawn "$OD_FAKE_SMTP_SERVER" --script "$script" >"$out" 2>"$E2E_WORK/smtp-$name.err" &
  pid=$!
  E2E_PIDS+=("$pid")
  if ! e2e_wait_for_file "$out" '^PORT [0-9]+' "$pid" 10; then
    cat "$E2E_WORK/smtp-$name.err" >&2
    e2e_log "fake SMTP server $name did not start"
    return 1
  fi
}

# e2e_fake_incoming NAME imap|pop3 ADDRESS PORT [OPTION...] — a fake IMAP or POP3 server
# (tests/fake/fake-incoming-server.c) inside the namespace, with the e2e certificate; more
# options are passed on (--implicit-tls, --caps-before "…", --caps-after "…", --injection).
e2e_fake_incoming() {
  local name=$1 protocol=$2 address=$3 port=$4 out pid
  shift 4
  out=$E2E_WORK/incoming-$name.out
  e2e_spawn "$OD_FAKE_INCOMING_SERVER" --protocol "$protocol" --address "$address" \
    --port "$port" --cert-file "$E2E_WORK/certs/e2e-cert.pem" \
    --key-file "$E2E_WORK/certs/e2e-key.pem" "$@" >"$out" 2>"$E2E_WORK/incoming-$name.err" &
  pid=$!
  E2E_PIDS+=("$pid")
  if ! e2e_wait_for_file "$out" '^PORT [0-9]+' "$pid" 10; then
    cat "$E2E_WORK/incoming-$name.err" >&2
    e2e_log "fake $protocol server $name did not start"
    return 1
  fi
}

# e2e_autoconfig ADDRESS XML-FILE [EXTRA-ARGS...] — serve XML-FILE over HTTPS on
# ADDRESS:443 with the e2e certificate; requests go to E2E_WORK/autoconfig.log.
e2e_autoconfig() {
  local address=$1 xml=$2 out=$E2E_WORK/autoconfig-$1.out err=$E2E_WORK/autoconfig-$1.err pid
  shift 2
  e2e_spawn "$OD_E2E_AUTOCONFIG_SERVER" --address "$address" --config "$xml" \
    --cert-file "$E2E_WORK/certs/e2e-cert.pem" --key-file "$E2E_WORK/certs/e2e-key.pem" \
    --log "$E2E_WORK/autoconfig.log" "$@" >"$out" 2>"$err" &
  pid=$!
  E2E_PIDS+=("$pid")
  if ! e2e_wait_for_file "$out" '^PORT [0-9]+' "$pid" 10; then
    cat "$err" >&2
    e2e_log "the autoconfig server did not start"
    return 1
  fi
}

# e2e_lab — a real Postfix + Dovecot (tests/lab/postfix-lab.sh) inside the namespace on
# 127.0.0.1:465 (implicit TLS) and 127.0.0.1:587 (STARTTLS), with the e2e certificate.
e2e_lab() {
  local hook=$E2E_WORK/lab-certs.sh
  E2E_LAB_DIR=$E2E_WORK/lab
  # The lab calls this with its certificate directory; it wants ca.pem and good-*.pem.
  cat >"$hook" <<EOF
#!/bin/sh
set -e
mkdir -p "\$1"
cp "$E2E_WORK/certs/ca.pem" "\$1/ca.pem"
cp "$E2E_WORK/certs/e2e-cert.pem" "\$1/good-cert.pem"
cp "$E2E_WORK/certs/e2e-key.pem" "\$1/good-key.pem"
EOF
  chmod 0755 "$hook"
  if ! e2e_exec env OD_MAKE_TEST_CERTS="$hook" OD_LAB_PORT_TLS=465 OD_LAB_PORT_STARTTLS=587 \
         "$OD_LAB_SCRIPT" start "$E2E_LAB_DIR" >"$E2E_WORK/lab-start.log" 2>&1; then
    cat "$E2E_WORK/lab-start.log" >&2
    e2e_log "the Postfix lab did not start"
    return 1
  fi
}

# e2e_ipt IPTABLES-ARGS... — a firewall rule inside the namespace.
e2e_ipt() {
  e2e_exec iptables "$@"
}

# e2e_delayer MS — start the NFQUEUE delayer: every packet on lo waits MS ms (each way).
e2e_delayer() {
  local ms=$1 out=$E2E_WORK/delayer.out pid
  e2e_spawn "$OD_E2E_DELAYER" --queue 0 --delay-ms "$ms" >"$out" 2>"$E2E_WORK/delayer.err" &
  pid=$!
  E2E_PIDS+=("$pid")
  if ! e2e_wait_for_file "$out" '^READY' "$pid" 10; then
    cat "$E2E_WORK/delayer.err" >&2
    e2e_log "the packet delayer did not start"
    return 1
  fi
  # On receipt (PREROUTING, mangle), not on sending (OUTPUT): a packet held in OUTPUT still
  # belongs to the sending socket, and TCP small queues then hold that socket's next packets
  # back until it leaves, so a server writing a TLS flight in three parts paid one more delay
  # per part, which no real link does. On lo the packet has left its socket (loopback_xmit
  # orphans it) before PREROUTING; every packet passes PREROUTING once; and the filter
  # table's INPUT rules (the firewall's DROPs) still apply after the delay.
  e2e_ipt -t mangle -I PREROUTING 1 -j NFQUEUE --queue-num 0 --queue-bypass
}

# e2e_cli OUT-BASE COMMAND ARGS... — run "outbox-doctor-cli COMMAND --json ARGS" in the
# namespace, with nothing on standard input; stdout to OUT-BASE.json, stderr to
# OUT-BASE.stderr. Sets E2E_RC and E2E_WALL_MS (wall-clock time from start to exit, in ms).
e2e_cli() {
  local base=$1 command=$2 start end
  shift 2
  start=$(date +%s%N)
  E2E_RC=0
  timeout 60 ip netns exec "$E2E_NS" "$OD_CLI" "$command" --json "$@" \
    >"$base.json" 2>"$base.stderr" </dev/null || E2E_RC=$?
  end=$(date +%s%N)
  E2E_WALL_MS=$(( (end - start) / 1000000 ))
}

# e2e_detect OUT-BASE ARGS... — e2e_cli OUT-BASE detect ARGS...
e2e_detect() {
  local base=$1
  shift
  e2e_cli "$base" detect "$@"
}

# e2e_cleanup — undo everything; safe to call more than once.
e2e_cleanup() {
  local pid i
  if [ -n "$E2E_LAB_DIR" ]; then
    "$OD_LAB_SCRIPT" stop "$E2E_LAB_DIR" >/dev/null 2>&1 || true
    E2E_LAB_DIR=
  fi
  for pid in "${E2E_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${E2E_PIDS[@]}"; do
    i=50
    while [ "$i" -gt 0 ] && kill -0 "$pid" 2>/dev/null; do
      sleep 0.1
      i=$((i - 1))
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  E2E_PIDS=()
  if [ -n "$E2E_NS" ]; then
    # Anything still running inside would keep the namespace (and its ports) alive.
    for pid in $(ip netns pids "$E2E_NS" 2>/dev/null); do
      kill -KILL "$pid" 2>/dev/null || true
    done
    ip netns delete "$E2E_NS" 2>/dev/null || true
    rm -rf "/etc/netns/$E2E_NS"
    E2E_NS=
  fi
  if [ -n "$E2E_WORK" ]; then
    if [ "$E2E_KEEP" = 1 ]; then
      e2e_log "work directory kept: $E2E_WORK"
    else
      rm -rf "$E2E_WORK"
    fi
    E2E_WORK=
  fi
}

# ---- TAP, for the test scripts ---------------------------------------------------------
# e2e_tap_start SCENARIO sets up the output directory (OD_TEST_OUTPUT_DIR/SCENARIO, or a
# temporary one removed when everything passed) and the traps; then ok, not_ok, diag, bail,
# e2e_run and expect write TAP, and e2e_tap_end prints the plan and says whether all passed.
# The helper EXPECT_PY (json-expect.py beside this file) evaluates the expectations.

E2E_N=0
E2E_FAILED=0
E2E_OUT=
E2E_OUT_IS_TEMP=0
E2E_SUMMARY_SHOWN=
E2E_EXPECT_PY=$(dirname "${BASH_SOURCE[0]}")/json-expect.py

ok() { E2E_N=$((E2E_N + 1)); echo "ok $E2E_N - $1"; }
not_ok() { E2E_N=$((E2E_N + 1)); E2E_FAILED=$((E2E_FAILED + 1)); echo "not ok $E2E_N - $1"; }
diag() { sed 's/^/# /'; }
bail() {
  echo "Bail out! $*"
  E2E_FAILED=$((E2E_FAILED + 1))
  exit 1
}

e2e_tap_finish() {
  local rc=$?
  # Keep the servers' own logs with the CLI's output (none holds a password: detection
  # never logs in, checks here have none, and the lab's random password stays in its
  # directory).
  if [ -n "$E2E_WORK" ]; then
    cp "$E2E_WORK"/*.log "$E2E_WORK"/*.err "$E2E_WORK"/*.ini "$E2E_OUT/" 2>/dev/null || true
    if [ -d "$E2E_WORK/lab/logs" ]; then
      mkdir -p "$E2E_OUT/lab-logs"
      cp "$E2E_WORK"/lab/logs/*.log "$E2E_OUT/lab-logs/" 2>/dev/null || true
    fi
  fi
  e2e_cleanup
  if [ "$E2E_OUT_IS_TEMP" = 1 ] && [ "$E2E_FAILED" = 0 ] && [ "$rc" = 0 ]; then
    rm -rf "$E2E_OUT"
  else
    echo "# outputs kept in $E2E_OUT"
  fi
}

e2e_tap_start() {
  local scenario=$1
  if [ -n "${OD_TEST_OUTPUT_DIR:-}" ]; then
    E2E_OUT=$OD_TEST_OUTPUT_DIR/$scenario
    rm -rf "$E2E_OUT"
    mkdir -p "$E2E_OUT"
  else
    E2E_OUT=$(mktemp -d /tmp/od-e2e-output.XXXXXX)
    E2E_OUT_IS_TEMP=1
  fi
  trap e2e_tap_finish EXIT
  trap 'exit 130' INT TERM
}

e2e_tap_end() {
  echo "1..$E2E_N"
  [ "$E2E_FAILED" = 0 ]
}

# e2e_run NAME COMMAND ARGS... — e2e_cli into E2E_OUT/NAME; one TAP point for the run.
e2e_run() {
  local name=$1 command=$2
  shift 2
  e2e_cli "$E2E_OUT/$name" "$command" "$@"
  echo "# $name: $command exit status $E2E_RC, ${E2E_WALL_MS} ms"
  if [ "$E2E_RC" -le 3 ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' \
       "$E2E_OUT/$name.json" 2>/dev/null; then
    ok "$name: $command ran (exit $E2E_RC) and wrote JSON"
  else
    not_ok "$name: $command ran and wrote JSON (exit $E2E_RC)"
    diag <"$E2E_OUT/$name.stderr"
    head -c 2000 "$E2E_OUT/$name.json" | diag
  fi
}

# expect NAME DESCRIPTION EXPR... — one TAP point: every expression holds for NAME's JSON
# (see json-expect.py for the names they can use). The first failure of a run also shows
# a summary of its result.
expect() {
  local name=$1 desc=$2 output brief=
  shift 2
  [ "$E2E_SUMMARY_SHOWN" = "$name" ] && brief=--brief
  # shellcheck disable=SC2086  # $brief is empty or one word
  if output=$(python3 "$E2E_EXPECT_PY" --wall-ms "$E2E_WALL_MS" $brief \
                "$E2E_OUT/$name.json" "$@"); then
    ok "$name: $desc"
  else
    not_ok "$name: $desc"
    echo "$output"
    E2E_SUMMARY_SHOWN=$name
  fi
}

# e2e_expect_monitor EXPECTED — one TAP point: what GNetworkMonitor says in the namespace
# (od-e2e-netmon), e.g. "network-available=false connectivity=local".
e2e_expect_monitor() {
  local expected=$1 monitor
  monitor=$(e2e_exec "$OD_E2E_NETMON" 2>&1)
  if [ "$monitor" = "$expected" ]; then
    ok "GNetworkMonitor in the namespace says: $monitor"
  else
    not_ok "GNetworkMonitor in the namespace says: $expected"
    echo "# it says: $monitor"
  fi
}
