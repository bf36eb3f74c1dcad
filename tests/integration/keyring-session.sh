#!/bin/sh
# keyring-session.sh MODE COMMAND [ARG…] — runs COMMAND in a private D-Bus session with
# throw-away HOME, XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME and XDG_RUNTIME_DIR, so a
# test never touches the real keyring or configuration. COMMAND's output (TAP) and exit
# status pass through.
#
#   MODE keyring     a real gnome-keyring-daemon (secrets component) with a "login"
#                    keyring unlocked with the password "unlock"
#   MODE none        a bus without any secret service: the bus has no service directories,
#                    so nothing is activated on demand either (the standard session bus
#                    would start gnome-keyring-daemon by D-Bus activation)
#
# OD_KEYRING_MODE is exported as MODE; OD_KEYRING_TMP is the throw-away directory, removed
# at the end. Needs dbus (dbus-run-session), and gnome-keyring for MODE keyring; without
# them COMMAND is not run and the test is skipped (TAP "1..0 # SKIP").
set -u

mode=${1:?usage: keyring-session.sh keyring|none COMMAND [ARG...]}
shift

if ! command -v dbus-run-session >/dev/null 2>&1; then
  echo "1..0 # SKIP dbus-run-session is not installed (package dbus)"
  exit 0
fi
if [ "$mode" = keyring ] && ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "1..0 # SKIP gnome-keyring-daemon is not installed (package gnome-keyring)"
  exit 0
fi

tmp=$(mktemp -d /tmp/od-keyring.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/runtime"
chmod 700 "$tmp/runtime"

export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
export XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime"
export OD_KEYRING_MODE="$mode" OD_KEYRING_TMP="$tmp"
# No display: an unlock prompt cannot appear, and nothing may try to start an X session bus.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
# The test environment's G_DEBUG=fatal-warnings is for our code only: gnome-keyring-daemon
# (and whatever the bus activates) would abort on its own warnings, e.g. when it cannot show
# an unlock prompt. The command gets it back.
export OD_SAVED_G_DEBUG="${G_DEBUG-}"
unset G_DEBUG

case $mode in
  keyring)
    # dbus-daemon complains on stderr that root may not raise its fd limit: harmless.
    dbus-run-session -- sh -c '
      printf unlock | gnome-keyring-daemon --daemonize --login >/dev/null 2>"$OD_KEYRING_TMP/daemon.log"
      eval "$(gnome-keyring-daemon --start --components=secrets 2>>"$OD_KEYRING_TMP/daemon.log")"
      export GNOME_KEYRING_CONTROL
      [ -n "$OD_SAVED_G_DEBUG" ] && export G_DEBUG="$OD_SAVED_G_DEBUG"
      exec "$@"' sh "$@" 2>"$tmp/session.log"
    status=$?
    ;;
  none)
    cat >"$tmp/bus.conf" <<'EOF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
    dbus-run-session --config-file="$tmp/bus.conf" -- sh -c '
      [ -n "$OD_SAVED_G_DEBUG" ] && export G_DEBUG="$OD_SAVED_G_DEBUG"
      exec "$@"' sh "$@" 2>"$tmp/session.log"
    status=$?
    ;;
  *)
    echo "Bail out! keyring-session.sh: unknown mode $mode"
    exit 1
    ;;
esac

# The command's own stderr went to the session log with the bus's: show it for debugging.
if [ "$status" != 0 ]; then
  sed 's/^/# /' "$tmp/session.log"
  [ -f "$tmp/daemon.log" ] && sed 's/^/# daemon: /' "$tmp/daemon.log"
fi
exit "$status"
