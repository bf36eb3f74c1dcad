#!/bin/sh
# Runs after every other test: greps every transcript, JSON output, report and log the suite
# left behind for the test passwords, in plain text and in their base64 forms (the password
# alone, and the AUTH PLAIN blob "\0user\0password"), and for the test access tokens (lines
# with a third column "token") also inside the XOAUTH2 and OAUTHBEARER blobs, at each of the
# three base64 alignments ("…auth=Bearer TOKEN" wherever it starts). Output: TAP.
# The OAuth secrets of the fake authorization servers (authorization codes, PKCE verifiers,
# device codes, refresh tokens: every oauth-secrets.log under the test output, one a line)
# are looked for too, in plain text and base64.
#
# Where it looks:
# - the test output (transcripts, JSON, reports, the CLI's output, copies of the environment
#   the CLI ran with) and meson's logs (which also record every test's environment);
# - the hardening runs' logs (valgrind, fuzzing) in BUILD/hardening;
# - every Outbox Doctor config dir: the user's and those of the tests' throw-away homes under
#   $TMPDIR/od-* (account files, backups, last-check records);
# - every log file in the tests' throw-away directories (the Postfix lab's, the UI's);
# - the environment of this process and of the test runner that started it.
# Keyrings are left out: the password belongs there, encrypted.
set -eu

build=${OD_BUILD_ROOT:?OD_BUILD_ROOT is not set}
out=${OD_TEST_OUTPUT_DIR:-$build/test-output}
secrets=${OD_SECRETS_FILE:?OD_SECRETS_FILE is not set}
tmp=${TMPDIR:-/tmp}

mkdir -p "$out/no-secrets"
env >"$out/no-secrets/environ-self.txt"
tr '\0' '\n' <"/proc/$PPID/environ" >"$out/no-secrets/environ-runner.txt" 2>/dev/null || true

configs=$(find "${HOME:-/nonexistent}/.config" "${XDG_CONFIG_HOME:-/nonexistent}" "$tmp"/od-* \
            -maxdepth 4 -type d -name outbox-doctor 2>/dev/null | sort -u)
logs=$(find "$tmp"/od-* -maxdepth 5 -type f \( -name '*.log' -o -path '*/logs/*' \) \
         2>/dev/null | sort -u)

targets="$out $build/meson-logs"
[ -d "$build/hardening" ] && targets="$targets $build/hardening"
targets="$targets $configs $logs"
n=0
failed=0

# "auth=Bearer TOKEN" in base64 after K (0, 1, 2) bytes of anything: the characters that
# depend on nothing else (the first four and the last four left out).
aligned_b64() {
  pad=''
  [ "$2" -ge 1 ] && pad=' '
  [ "$2" -ge 2 ] && pad='  '
  s=$(printf '%s%s' "$pad" "auth=Bearer $1" | base64 -w0 | cut -c5-)
  printf '%s\n' "${s%????}"
}

# Each line of the secrets file: USER<TAB>PASSWORD[<TAB>token]
while IFS="$(printf '\t')" read -r user password kind; do
  [ -n "$password" ] || continue
  plain_b64=$(printf '%s' "$password" | base64 -w0)
  blob_b64=$(printf '\000%s\000%s' "$user" "$password" | base64 -w0)
  needles="$password
$plain_b64
$blob_b64"
  if [ "${kind:-}" = token ]; then
    needles="$needles
$(aligned_b64 "$password" 0)
$(aligned_b64 "$password" 1)
$(aligned_b64 "$password" 2)"
  fi

  form=0
  for needle_index in 1 2 3 4 5 6; do
    needle=$(printf '%s\n' "$needles" | sed -n "${needle_index}p")
    [ -n "$needle" ] || continue
    n=$((n + 1))
    form=$((form + 1))
    hits=$(grep -rlF --exclude-dir=keyrings --exclude=oauth-secrets.log -- "$needle" $targets \
             2>/dev/null || true)
    if [ -z "$hits" ]; then
      echo "ok $n - a test secret (form $form) appears nowhere"
    else
      # Never print the secret itself: name the files.
      echo "not ok $n - a test secret (form $form) found in: $(echo $hits)"
      failed=1
    fi
  done
done < "$secrets"

# The OAuth secrets: random for each run, so many that they are grepped for all at once
# (grep -f), from a file outside the scanned directories. The logs themselves are skipped.
oauth_logs=$(find "$out" -type f -name oauth-secrets.log 2>/dev/null | sort)
needles_file=$(mktemp "$tmp/no-secrets-needles.XXXXXX")
trap 'rm -f "$needles_file"' EXIT
n_oauth=0
if [ -n "$oauth_logs" ]; then
  # shellcheck disable=SC2086
  n_oauth=$(cat $oauth_logs | sed '/^$/d' | sort -u | wc -l)
fi
for form in plain base64; do
  n=$((n + 1))
  : >"$needles_file"
  if [ -n "$oauth_logs" ]; then
    # shellcheck disable=SC2086
    cat $oauth_logs | sed '/^$/d' | sort -u | while IFS= read -r secret; do
      if [ "$form" = plain ]; then
        printf '%s\n' "$secret"
      else
        printf '%s' "$secret" | base64 -w0
        echo
      fi
    done >"$needles_file"
  fi
  if [ ! -s "$needles_file" ]; then
    echo "ok $n - OAuth secrets ($form): none logged by the fake authorization servers"
    continue
  fi
  hits=$(grep -rlF -f "$needles_file" --exclude=oauth-secrets.log --exclude-dir=keyrings \
           $targets 2>/dev/null || true)
  if [ -z "$hits" ]; then
    echo "ok $n - $n_oauth OAuth secrets ($form) appear nowhere"
  else
    echo "not ok $n - an OAuth secret ($form) found in: $(echo $hits)"
    failed=1
  fi
done

files=$(find $targets -type f 2>/dev/null | wc -l)
n=$((n + 1))
if [ "$files" -gt 0 ]; then
  echo "ok $n - scanned $files files"
else
  echo "not ok $n - nothing to scan: the other tests left no output"
  failed=1
fi

# The environments really were captured (the runner's may be unreadable: not a failure).
n=$((n + 1))
if grep -q '^OD_BUILD_ROOT=' "$out/no-secrets/environ-self.txt"; then
  echo "ok $n - environments scanned: this test's$( [ -s "$out/no-secrets/environ-runner.txt" ] && echo " and the test runner's")"
else
  echo "not ok $n - could not capture this test's environment"
  failed=1
fi

n=$((n + 1))
echo "ok $n - config dirs scanned: $(echo $configs | wc -w); log files: $(echo $logs | wc -w)"

echo "1..$n"
exit $failed
