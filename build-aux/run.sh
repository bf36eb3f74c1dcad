#!/bin/sh
# The README's run command: installs what is needed, builds, and starts Outbox Doctor.
# Arguments are passed on to the app (try --help).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  "$top/build-aux/install-deps.sh"
fi

builddir=${OD_BUILDDIR:-_build}
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir"
fi
ninja -C "$builddir"

app="$builddir/src/ui/outbox-doctor"

case " $* " in
  *" --help "*|*" -h "*|*" --help-all "*|*" --version "*)
    exec "$app" "$@" ;;
esac

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  cat >&2 <<MSG

Outbox Doctor is built, but there is no display to show its window on: neither DISPLAY
nor WAYLAND_DISPLAY is set (a server, a container, or an SSH session without -X).

  * In a graphical session, run build-aux/run.sh from a terminal there.
  * Without one, start it on a virtual display (package xvfb):
        xvfb-run -a -s "-screen 0 1280x900x24" $app
  * Or use the command-line tool, which needs no display:
        $builddir/src/cli/outbox-doctor-cli --help
MSG
  exit 1
fi

# Run from the build tree: the settings schema compiled there, the app icon from data/.
export GSETTINGS_SCHEMA_DIR="$top/$builddir/data"
export XDG_DATA_DIRS="$top/data:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"

exec "$app" "$@"
