#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The generated AppStream metainfo: valid without the network (warnings fail too), consistent
# with the desktop file, translated, and its screenshots present in data/screenshots/.
# Usage: test-metainfo.sh METAINFO-FILE SOURCE-ROOT
set -u
metainfo=$1
top=$2
app_id=$(basename "$metainfo" .metainfo.xml)
n=0
failed=0

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
diag () { sed 's/^/# /' >&2; }
xpath () { xmllint --xpath "$1" "$metainfo" 2>/dev/null; }

echo "1..5"

# --strict: warnings and infos fail as well; only pedantic hints pass (the upper-case letters
# in the reverse-DNS id are one, and the id is fixed).
if out=$(appstreamcli validate --no-net --explain --strict "$metainfo" 2>&1); then
  echo "$out" | diag
  ok "appstreamcli validate --no-net --strict passes"
else
  echo "$out" | diag
  not_ok "appstreamcli validate --no-net --strict passes"
fi

if [ "$(xpath 'string(/component/id)')" = "$app_id" ] &&
   [ "$(xpath 'string(/component/launchable[@type="desktop-id"])')" = "$app_id.desktop" ]; then
  ok "id and launchable name $app_id"
else
  not_ok "id and launchable name $app_id"
fi

binaries=$(xpath '/component/provides/binary/text()' | sort | tr '\n' ' ')
if [ "$binaries" = "outbox-doctor outbox-doctor-cli " ]; then
  ok "provides both binaries"
else
  not_ok "provides both binaries (got: $binaries)"
fi

# Merged from po/de.po by i18n.merge_file.
if [ -n "$(xpath 'string(/component/summary[@xml:lang="de"])')" ] &&
   [ "$(xpath 'count(/component/description/p[@xml:lang="de"])')" -ge 3 ]; then
  ok "German summary and description are merged in"
else
  not_ok "German summary and description are merged in"
fi

missing=""
for url in $(xpath '/component/screenshots/screenshot/image/text()'); do
  name=${url##*/}
  case "$url" in
    */data/screenshots/"$name") [ -f "$top/data/screenshots/$name" ] || missing="$missing $name" ;;
    *) missing="$missing $url" ;;
  esac
done
if [ -z "$missing" ]; then
  ok "every screenshot is in data/screenshots/"
else
  not_ok "screenshots not in data/screenshots/:$missing"
fi

exit $failed
