#!/bin/bash
# Accounts of GNOME Online Accounts and Evolution, found and checked where a person would
# meet them: the Postfix lab (tests/lab/postfix-lab.sh, submission with STARTTLS) and a
# Dovecot serving its maildir over IMAP (round-trip-lab.sh) on loopback; then, in a private
# D-Bus session with a throw-away HOME and a real gnome-keyring-daemon (keyring-session.sh),
# test-found-desktop-lab seeds one GOA account and one Evolution account for the lab's user,
# stores the password as each client does, starts the real goa-daemon and
# evolution-source-registry, and checks with outbox-doctor-cli that both accounts are found
# with the right settings and pass "check --account ORIGIN:ID --send-test" and "--incoming"
# with their stored passwords (see test-found-desktop-lab.c). Its TAP is this test's.
#
# Needs: root (the lab and Dovecot drop privileges themselves), postfix, dovecot-core,
# dovecot-imapd, python3, goa-daemon (gnome-online-accounts), evolution-source-registry
# (evolution-data-server), gnome-keyring, dbus. Skipped otherwise.
# Environment (set by meson): OD_FOUND_DESKTOP_LAB, OD_CLI, OD_MAKE_TEST_CERTS,
# OD_LAB_PASSWORD_FILE, OD_SOURCE_ROOT, OD_TEST_OUTPUT_DIR.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
LAB=$HERE/../lab/postfix-lab.sh
export PATH=$PATH:/usr/sbin:/sbin

if [ "$(id -u)" != 0 ]; then
    echo "1..0 # SKIP the Postfix lab and Dovecot must be started as root"
    exit 0
fi
if ! command -v postfix >/dev/null || ! command -v dovecot >/dev/null ||
   [ ! -x /usr/lib/dovecot/imap ]; then
    echo "1..0 # SKIP needs postfix, dovecot-core and dovecot-imapd"
    exit 0
fi
if [ ! -x /usr/libexec/goa-daemon ] || [ ! -x /usr/libexec/evolution-source-registry ] ||
   ! command -v gnome-keyring-daemon >/dev/null || ! command -v dbus-run-session >/dev/null; then
    echo "1..0 # SKIP needs gnome-online-accounts, evolution-data-server, gnome-keyring and dbus"
    exit 0
fi

PROGRAM=${OD_FOUND_DESKTOP_LAB:?}
OUT=${OD_TEST_OUTPUT_DIR:-$(mktemp -d /tmp/od-found-desktop-output.XXXXXX)}
rm -rf "$OUT/session"
mkdir -p "$OUT"
LAB_DIR=$(mktemp -d /tmp/od-found-desktop-lab.XXXXXX)
DV=$LAB_DIR/incoming
chmod 0755 "$LAB_DIR"

cleanup() {
    [ -f "$DV/run/master.pid" ] && kill "$(cat "$DV/run/master.pid")" 2>/dev/null
    "$LAB" stop "$LAB_DIR" >/dev/null 2>&1
    cp "$DV/dovecot.log" "$OUT/incoming-dovecot.log" 2>/dev/null
    cp "$LAB_DIR"/logs/*.log "$OUT/" 2>/dev/null
    rm -rf "$LAB_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=round-trip-lab.sh
. "$HERE/round-trip-lab.sh"
rt_lab_start

# What the program needs of the lab; the password stays in its file.
export LAB_HOST LAB_USER LAB_PORT_STARTTLS LAB_PASSWORD_FILE LAB_CA_FILE LAB_MAILDIR
export LAB_MAILLOG LAB_DOVECOT_LOG
export LAB_IMAP_PORT=$IMAP OD_LAB_INCOMING_LOG=$DV/dovecot.log
export OD_TEST_OUTPUT_DIR=$OUT/session

"$HERE/keyring-session.sh" keyring "$PROGRAM" --tap
status=$?
[ "$status" = 0 ] || tail -n 20 "$DV/dovecot.log" "$LAB_MAILLOG" 2>/dev/null | sed 's/^/# /'
exit "$status"
