#!/bin/sh
# run-ui-test.sh [--no-keyring] PROGRAM [ARGS...]
#
# Runs a UI test program in a desktop of its own: a virtual X display (Xvfb, 1280×900×24), a
# private session bus (dbus-run-session) with a real gnome-keyring-daemon on it, and a
# throw-away HOME, so that nothing of the user's (or the machine's) settings, accounts or
# keyring is read or written. With --no-keyring the bus has no secret service at all, not
# even one that D-Bus could start on demand.
#
# Xvfb is started directly with -displayfd rather than through "xvfb-run -a": the server
# picks a free display number itself, so UI tests running in parallel (meson runs several
# at once) never race for the same one.
set -eu

keyring=1
if [ "${1:-}" = --no-keyring ]; then
  keyring=0
  shift
fi

for tool in Xvfb dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool is not installed (apt-get install xvfb dbus)"
    exit 0
  fi
done
if [ "$keyring" = 1 ] && ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "1..0 # SKIP gnome-keyring-daemon is not installed (apt-get install gnome-keyring)"
  exit 0
fi

top=$(mktemp -d /tmp/od-ui-test.XXXXXX)
xvfb_pid=
cleanup() {
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  rm -rf "$top"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$top/home" "$top/config" "$top/data" "$top/cache" "$top/runtime"
chmod 0700 "$top/runtime"

# The X server writes its display number to fd 3 once it accepts connections.
Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp -noreset 3>"$top/display" \
  >"$top/xvfb.log" 2>&1 &
xvfb_pid=$!
tries=0
while [ ! -s "$top/display" ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 200 ] || ! kill -0 "$xvfb_pid" 2>/dev/null; then
    echo "Bail out! Xvfb did not start"
    sed 's/^/# /' "$top/xvfb.log"
    exit 1
  fi
  sleep 0.05
done
DISPLAY=":$(head -n 1 "$top/display")"
export DISPLAY

export HOME="$top/home"
export XDG_CONFIG_HOME="$top/config"
export XDG_DATA_HOME="$top/data"
export XDG_CACHE_HOME="$top/cache"
export XDG_RUNTIME_DIR="$top/runtime"
# GTK's own accessibility backend for tests: no AT-SPI bus needed, and the tests can read
# the accessible labels back.
export GTK_A11Y=test
export NO_AT_BRIDGE=1
export GDK_BACKEND=x11
# The app looks for other mail programs' accounts on its welcome page; in the test session
# that would start goa-daemon and evolution-source-registry by D-Bus activation for every
# test. Only the file-based clients, unless a test asks for more.
export OD_FOUND_CLIENTS="${OD_FOUND_CLIENTS-geary,thunderbird,kmail,msmtp,git,neomutt,aerc}"

bus_config=
if [ "$keyring" = 0 ]; then
  # A session bus without service directories: nothing can be activated on it.
  bus_config="$top/session.conf"
  cat >"$bus_config" <<'CONF'
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
CONF
fi

inner='
  if [ "$1" = 1 ]; then
    # A login keyring unlocked with a known password, then the secret service on the bus.
    printf unlock | gnome-keyring-daemon --daemonize --login >/dev/null
    eval "$(gnome-keyring-daemon --start --components=secrets)"
    export GNOME_KEYRING_CONTROL
  fi
  shift
  exec "$@"
'

status=0
if [ -n "$bus_config" ]; then
  dbus-run-session --config-file="$bus_config" -- sh -c "$inner" sh "$keyring" "$@" || status=$?
else
  dbus-run-session -- sh -c "$inner" sh "$keyring" "$@" || status=$?
fi
exit $status
