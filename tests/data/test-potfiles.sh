#!/bin/sh
# Checks that po/POTFILES.in lists every source file with translatable strings, and only
# files that exist.
set -eu
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top"

echo "1..2"

listed=$(grep -v '^#' po/POTFILES.in | grep -v '^$' | sort)
found=$(grep -rlE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_)\(' --include='*.c' src | sort)
missing=$(printf '%s\n' "$found" | grep -vxF "$listed" || true)

if [ -z "$missing" ]; then
  echo "ok 1 - every file with translatable strings is in po/POTFILES.in"
else
  echo "not ok 1 - missing from po/POTFILES.in: $(echo $missing)"
fi

gone=""
for f in $listed; do
  [ -f "$f" ] || gone="$gone $f"
done
if [ -z "$gone" ]; then
  echo "ok 2 - every file in po/POTFILES.in exists"
else
  echo "not ok 2 - listed but missing:$gone"
fi
