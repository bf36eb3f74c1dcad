#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The generated desktop file: valid, translated, and naming the binary, the icon and the
# "Test sending" action the app implements.
# Usage: test-desktop-file.sh DESKTOP-FILE SOURCE-ROOT
set -u
desktop=$1
top=$2
app_id=$(basename "$desktop" .desktop)
n=0
failed=0

ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
diag () { sed 's/^/# /' >&2; }
# The value of KEY in [SECTION], or nothing.
value () {
  awk -v section="[$1]" -v key="$2" '
    /^\[/ { in_section = ($0 == section); next }
    in_section && index($0, key "=") == 1 { print substr($0, length(key) + 2); exit }
  ' "$desktop"
}

echo "1..5"

if out=$(desktop-file-validate "$desktop" 2>&1) && [ -z "$out" ]; then
  ok "desktop-file-validate reports nothing"
else
  echo "$out" | diag
  not_ok "desktop-file-validate reports nothing"
fi

main="Desktop Entry"
if [ "$(value "$main" Exec)" = "outbox-doctor" ] && [ "$(value "$main" Icon)" = "$app_id" ] &&
   [ "$(value "$main" Categories)" = "Network;Email;GTK;GNOME;" ]; then
  ok "Exec, Icon and Categories are as designed"
else
  value "$main" Exec | diag
  value "$main" Icon | diag
  not_ok "Exec, Icon and Categories are as designed"
fi

missing=""
for word in smtp outbox "mail setup" email send server troubleshoot; do
  case ";$(value "$main" Keywords)" in
    *";$word;"*) ;;
    *) missing="$missing '$word'" ;;
  esac
done
if [ -z "$missing" ]; then ok "Keywords has every search term"; else not_ok "Keywords lacks$missing"; fi

action="Desktop Action test-sending"
case ";$(value "$main" Actions)" in
  *";test-sending;"*) listed=yes ;;
  *) listed=no ;;
esac
if [ "$listed" = yes ] && [ "$(value "$action" Exec)" = "outbox-doctor --test-sending" ] &&
   [ -n "$(value "$action" Name)" ]; then
  ok "the test-sending action runs outbox-doctor --test-sending"
else
  not_ok "the test-sending action runs outbox-doctor --test-sending"
fi

# Merged from po/de.po by i18n.merge_file.
untranslated=""
for key in GenericName Comment Keywords; do
  [ -n "$(value "$main" "$key[de]")" ] || untranslated="$untranslated $key"
done
[ -n "$(value "$action" "Name[de]")" ] || untranslated="$untranslated action-Name"
if [ -z "$untranslated" ]; then
  ok "German translations are merged in"
else
  not_ok "no German for:$untranslated"
fi

exit $failed
