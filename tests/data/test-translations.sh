#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every translation in po/LINGUAS compiles with msgfmt --check and has no fuzzy or untranslated
# message; the German catalogue built into the build tree answers for strings from the desktop
# file, the engine and the command line.
# Usage: test-translations.sh SOURCE-ROOT BUILD-ROOT GETTEXT-PACKAGE
set -u
top=$1
build=$2
domain=$3
n=0
failed=0

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
diag () { sed 's/^/# /' >&2; }

langs=$(grep -v '^#' "$top/po/LINGUAS" | tr -s ' \n' '  ')
set -- \
  "Test Sending" "Senden testen" \
  "Window width" "Fensterbreite" \
  "Server name lookup" "Namensauflösung" \
  "The server name does not exist." "Der Servername existiert nicht." \
  "What to do:" "Was zu tun ist:"

echo "1..$(( $(echo $langs | wc -w) + 1 + $# / 2 ))"

for lang in $langs; do
  if stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$top/po/$lang.po" 2>&1) &&
     ! echo "$stats" | grep -Eq 'fuzzy|untranslated'; then
    ok "$lang.po: $stats"
  else
    echo "$stats" | diag
    not_ok "$lang.po compiles with msgfmt --check, with nothing fuzzy or untranslated"
  fi
done

mo="$build/po/de/LC_MESSAGES/$domain.mo"
if [ -f "$mo" ] && [ ! "$mo" -ot "$top/po/de.po" ]; then
  ok "the build tree has an up-to-date $domain.mo for German"
else
  not_ok "the build tree has an up-to-date $domain.mo for German"
fi

while [ $# -ge 2 ]; do
  got=$(TEXTDOMAINDIR="$build/po" LC_ALL=C.UTF-8 LANGUAGE=de gettext -d "$domain" -s "$1")
  if [ "$got" = "$2" ]; then
    ok "“$1” is “$2” in German"
  else
    not_ok "“$1” is “$2” in German (got “$got”)"
  fi
  shift 2
done

exit $failed
