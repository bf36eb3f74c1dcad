#!/bin/sh
# Runs after every other test: greps every transcript, JSON output, report and log the suite
# left behind for the test passwords, in plain text and in their base64 forms (the password
# alone, and the AUTH PLAIN blob "\0user\0password"). Output: TAP.
set -eu

build=${OD_BUILD_ROOT:?OD_BUILD_ROOT is not set}
out=${OD_TEST_OUTPUT_DIR:-$build/test-output}
secrets=${OD_SECRETS_FILE:?OD_SECRETS_FILE is not set}

targets="$out $build/meson-logs"
n=0
failed=0

# Each line of the secrets file: USER<TAB>PASSWORD
while IFS="$(printf '\t')" read -r user password; do
  [ -n "$password" ] || continue
  plain_b64=$(printf '%s' "$password" | base64 -w0)
  blob_b64=$(printf '\000%s\000%s' "$user" "$password" | base64 -w0)

  for needle in "$password" "$plain_b64" "$blob_b64"; do
    n=$((n + 1))
    hits=$(grep -rlF -- "$needle" $targets 2>/dev/null || true)
    if [ -z "$hits" ]; then
      echo "ok $n - a test secret (form $(( (n - 1) % 3 + 1 ))) appears nowhere"
    else
      # Never print the secret itself: name the files.
      echo "not ok $n - a test secret (form $(( (n - 1) % 3 + 1 ))) found in: $(echo $hits)"
      failed=1
    fi
  done
done < "$secrets"

files=$(find $targets -type f 2>/dev/null | wc -l)
n=$((n + 1))
if [ "$files" -gt 0 ]; then
  echo "ok $n - scanned $files files"
else
  echo "not ok $n - nothing to scan: the other tests left no output"
  failed=1
fi

echo "1..$n"
exit $failed
