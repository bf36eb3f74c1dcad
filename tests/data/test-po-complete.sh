#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every language in po/LINGUAS translates every string the sources have now: extracts a fresh
# template with the same xgettext arguments as `ninja outbox-doctor-pot`, merges each .po into
# it, and counts what is left untranslated or fuzzy. When this fails, run
# `ninja -C BUILDDIR outbox-doctor-update-po` and translate what it marks.
# Usage: test-po-complete.sh SOURCE-ROOT GETTEXT-PACKAGE XGETTEXT-ARG…
set -u
top=$1
domain=$2
shift 2
n=0
failed=0

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
diag () { sed 's/^/# /' >&2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
langs=$(grep -v '^#' "$top/po/LINGUAS" | tr -s ' \n' '  ')

echo "1..$(( $(echo $langs | wc -w) + 1 ))"

if out=$(xgettext --package-name="$domain" --directory="$top" \
           --files-from="$top/po/POTFILES.in" --output="$tmp/$domain.pot" "$@" 2>&1); then
  ok "xgettext extracts $(grep -c '^msgid ' "$tmp/$domain.pot") messages"
else
  echo "$out" | diag
  not_ok "xgettext extracts the messages"
  exit 1
fi

for lang in $langs; do
  msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/$lang.po" \
    "$top/po/$lang.po" "$tmp/$domain.pot"
  stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
  left=$(echo "$stats" | sed -n 's/.* \([0-9]*\) untranslated.*/\1/p')
  fuzzy=$(echo "$stats" | sed -n 's/.* \([0-9]*\) fuzzy.*/\1/p')
  left=${left:-0}
  fuzzy=${fuzzy:-0}
  if [ "$left" = 0 ] && [ "$fuzzy" = 0 ]; then
    ok "$lang.po translates every message"
  else
    for which in --only-fuzzy --untranslated; do
      msgattrib --no-obsolete --no-wrap "$which" "$tmp/$lang.po" |
        awk '/^msgid /{p=1} /^msgstr/{p=0} p' | grep -v '^msgid ""$' | head -40 | diag
    done
    not_ok "$lang.po: $left untranslated and $fuzzy fuzzy messages"
  fi
done

exit $failed
