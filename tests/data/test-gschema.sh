#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The GSettings schema: compiles with --strict, and the copy compiled into the build tree (the
# one UI tests use through GSETTINGS_SCHEMA_DIR) has the keys and defaults the app expects.
# Usage: test-gschema.sh SCHEMA-SOURCE-DIR SCHEMA-BUILD-DIR SCHEMA-ID
set -u
srcdir=$1
builddir=$2
schema=$3
n=0
failed=0

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
diag () { sed 's/^/# /' >&2; }

echo "1..2"

if out=$(glib-compile-schemas --strict --dry-run "$srcdir" 2>&1) && [ -z "$out" ]; then
  ok "glib-compile-schemas --strict --dry-run accepts the schema"
else
  echo "$out" | diag
  not_ok "glib-compile-schemas --strict --dry-run accepts the schema"
fi

expected="$schema last-account ''
$schema window-height 640
$schema window-maximized false
$schema window-width 720"
got=$(GSETTINGS_BACKEND=memory gsettings --schemadir "$builddir" list-recursively "$schema" 2>&1 | sort)
if [ "$got" = "$expected" ]; then
  ok "the schema compiled in the build tree has the keys and defaults"
else
  echo "$got" | diag
  not_ok "the schema compiled in the build tree has the keys and defaults"
fi

exit $failed
