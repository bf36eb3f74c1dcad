#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The application icons: well-formed SVG at the sizes the icon theme expects; the symbolic one
# drawn with fills only, because GTK recolours a symbolic icon's fills and would fill a stroke.
# Usage: test-icons.sh SCALABLE-SVG SYMBOLIC-SVG
set -u
scalable=$1
symbolic=$2
n=0
failed=0

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
diag () { sed 's/^/# /' >&2; }
viewbox () { xmllint --xpath 'string(/*[local-name()="svg"]/@viewBox)' "$1" 2>/dev/null; }

echo "1..4"

for svg in "$scalable" "$symbolic"; do
  if out=$(xmllint --noout "$svg" 2>&1); then
    ok "$(basename "$svg") is well-formed XML"
  else
    echo "$out" | diag
    not_ok "$(basename "$svg") is well-formed XML"
  fi
done

if [ "$(viewbox "$scalable")" = "0 0 128 128" ] && [ "$(viewbox "$symbolic")" = "0 0 16 16" ]; then
  ok "the icons are 128×128 and 16×16"
else
  not_ok "the icons are 128×128 and 16×16"
fi

strokes=$(xmllint --xpath 'count(//@stroke[. != "none"]) + count(//@style[contains(., "stroke")])' \
  "$symbolic" 2>/dev/null)
if [ "$strokes" = 0 ]; then
  ok "the symbolic icon uses fills only"
else
  not_ok "the symbolic icon has $strokes stroked shapes"
fi

exit $failed
