#!/bin/sh
# The README's run command: installs what is needed, builds, and starts Outbox Doctor.
# Until the desktop app exists, this shows the command-line tool's help.
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

exec "$builddir/src/cli/outbox-doctor-cli" --help
