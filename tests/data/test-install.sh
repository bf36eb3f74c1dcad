#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `meson install --destdir` puts the binaries, desktop file, metainfo, icons, schema and
# translations in their standard places under the prefix, and nothing outside it; the installed
# command line tool finds its German catalogue where it was installed.
# Usage: test-install.sh BUILD-ROOT MESON PREFIX BINDIR DATADIR LOCALEDIR APP-ID GETTEXT-PACKAGE
set -u
build=$1
meson=$2
prefix=$3
bindir=$4
datadir=$5
localedir=$6
app_id=$7
domain=$8
top=$(cd "$(dirname "$0")/../.." && pwd)
n=0
failed=0

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
skip () { n=$((n + 1)); echo "ok $n # SKIP $1"; }
diag () { sed 's/^/# /' >&2; }
# ok or not ok, for a file that must be installed.
installed () {
  if [ -f "$dest$1" ]; then ok "installed $1"; else not_ok "installed $1"; fi
}

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
langs=$(grep -v '^#' "$top/po/LINGUAS" | tr -s ' \n' '  ')

echo "1..$(( 11 + $(echo $langs | wc -w) ))"

if out=$("$meson" install -C "$build" --destdir "$dest" --no-rebuild 2>&1); then
  ok "meson install --destdir succeeds"
else
  echo "$out" | tail -20 | diag
  not_ok "meson install --destdir succeeds"
fi

if [ -x "$dest$bindir/outbox-doctor-cli" ]; then
  ok "installed $bindir/outbox-doctor-cli"
else
  not_ok "installed $bindir/outbox-doctor-cli"
fi

# The app is required as soon as the build has it.
has_app=$("$meson" introspect --targets "$build" | python3 -c '
import json, sys
print(any(t["name"] == "outbox-doctor" and t["type"] == "executable" for t in json.load(sys.stdin)))')
if [ "$has_app" != True ]; then
  skip "this build has no outbox-doctor app target"
elif [ -x "$dest$bindir/outbox-doctor" ]; then
  ok "installed $bindir/outbox-doctor"
else
  not_ok "installed $bindir/outbox-doctor"
fi

desktop=$datadir/applications/$app_id.desktop
if [ -f "$dest$desktop" ] && out=$(desktop-file-validate "$dest$desktop" 2>&1) && [ -z "$out" ]; then
  ok "installed $desktop, and it validates"
else
  echo "${out:-}" | diag
  not_ok "installed $desktop, and it validates"
fi
installed "$datadir/metainfo/$app_id.metainfo.xml"
installed "$datadir/icons/hicolor/scalable/apps/$app_id.svg"
installed "$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"

schemas=$datadir/glib-2.0/schemas
if [ -f "$dest$schemas/$app_id.gschema.xml" ] &&
   glib-compile-schemas --strict --targetdir "$dest" "$dest$schemas" &&
   GSETTINGS_BACKEND=memory gsettings --schemadir "$dest" get "$app_id" window-width >/dev/null; then
  ok "installed $schemas/$app_id.gschema.xml, and it compiles there"
else
  not_ok "installed $schemas/$app_id.gschema.xml, and it compiles there"
fi
rm -f "$dest/gschemas.compiled"

for lang in $langs; do
  installed "$localedir/$lang/LC_MESSAGES/$domain.mo"
done

outside=$(cd "$dest" && find . ! -type d | sed 's/^\.//' | grep -v "^$prefix/" || true)
if [ -z "$outside" ]; then
  ok "nothing is installed outside $prefix"
else
  echo "$outside" | diag
  not_ok "nothing is installed outside $prefix"
fi

# The binary looks for its catalogue in the compiled-in LOCALEDIR, not under DESTDIR. As root,
# a private mount namespace shows it the installed catalogue there without touching the host.
cli=$dest$bindir/outbox-doctor-cli
english=$(env -u LANGUAGE LC_ALL=C.UTF-8 "$cli" --help 2>&1)
if echo "$english" | grep -q '^Usage:'; then
  ok "without LANGUAGE, outbox-doctor-cli --help speaks English"
else
  echo "$english" | diag
  not_ok "without LANGUAGE, outbox-doctor-cli --help speaks English"
fi
if [ "$(id -u)" != 0 ]; then
  skip "needs root for a private mount namespace"
else
  german=$(unshare --mount --propagation private sh -c '
    set -e
    localedir=$1 catalogue=$2 dest=$3 cli=$4
    top=$localedir
    while [ ! -d "$top" ]; do top=$(dirname "$top"); done
    if [ "$top" != "$localedir" ]; then
      case $top in
        /|/usr|/etc|/bin|/sbin|/lib*|/usr/bin|/usr/sbin|/usr/lib*|/tmp|"$dest"|"$dest"/*)
          echo "cannot make $localedir here" >&2; exit 1 ;;
      esac
      case $dest in "$top"/*) echo "DESTDIR is under $top" >&2; exit 1 ;; esac
      mount -t tmpfs od-test-locale "$top"
      mkdir -p "$localedir"
    fi
    mount --bind "$catalogue" "$localedir"
    LC_ALL=C.UTF-8 LANGUAGE=de "$cli" --help' \
    sh "$localedir" "$dest$localedir" "$dest" "$cli" 2>&1)
  if echo "$german" | grep -q '^Aufruf:' && echo "$german" | grep -q 'Postausgang'; then
    ok "LANGUAGE=de outbox-doctor-cli --help speaks German"
  else
    echo "$german" | diag
    not_ok "LANGUAGE=de outbox-doctor-cli --help speaks German"
  fi
fi

exit $failed
