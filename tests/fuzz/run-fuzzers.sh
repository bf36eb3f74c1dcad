#!/bin/sh
# Builds the libFuzzer targets (clang, ASan + UBSan, -Dfuzzing=true) and runs each for a fixed
# time on a copy of its seed corpus. Output: TAP, one line per target with its number of
# executions; exit status 1 if any target crashed, leaked, timed out or failed to build.
#
#   tests/fuzz/run-fuzzers.sh [BUILDDIR]        (default: _build-fuzz)
#
# OD_FUZZ_SECONDS  seconds per target (default 45)
# OD_FUZZ_TARGETS  space-separated names (default: every tests/fuzz/fuzz-NAME.c)
# A crash leaves its input in BUILDDIR/fuzz-work/NAME-crash-*: copy it into corpus/NAME/ once
# fixed, so every build replays it (docs/fuzzing.md).
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
builddir=${1:-$top/_build-fuzz}
seconds=${OD_FUZZ_SECONDS:-45}
work=$builddir/fuzz-work

if [ -z "${OD_FUZZ_TARGETS:-}" ]; then
  OD_FUZZ_TARGETS=$(cd "$top/tests/fuzz" && ls fuzz-*.c | sed -e 's/^fuzz-//' -e 's/\.c$//' \
                    | grep -v '^main$' | tr '\n' ' ')
fi

n=0
failed=0
count=$(echo $OD_FUZZ_TARGETS | wc -w)
echo "1..$count"

if [ ! -f "$builddir/build.ninja" ]; then
  if ! CC=clang meson setup "$builddir" "$top" -Dfuzzing=true -Db_sanitize=address,undefined \
         -Db_lundef=false >"$builddir.setup.log" 2>&1; then
    for name in $OD_FUZZ_TARGETS; do
      n=$((n + 1))
      echo "not ok $n - fuzz-$name: meson setup failed, see $builddir.setup.log"
    done
    exit 1
  fi
fi

mkdir -p "$work"
for name in $OD_FUZZ_TARGETS; do
  n=$((n + 1))
  exe=$builddir/tests/fuzz/fuzz-$name
  log=$work/$name.log

  if ! ninja -C "$builddir" "tests/fuzz/fuzz-$name" >"$work/$name.build.log" 2>&1; then
    echo "not ok $n - fuzz-$name: build failed, see $work/$name.build.log"
    failed=1
    continue
  fi

  # New inputs go to a scratch directory: the seeds in the repository stay small.
  rm -rf "$work/$name" "$work/$name"-crash-* "$work/$name"-leak-* "$work/$name"-timeout-* \
         "$work/$name"-oom-*
  mkdir -p "$work/$name"

  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
  G_SLICE=always-malloc \
    "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
           -artifact_prefix="$work/$name-" "$work/$name" "$top/tests/fuzz/corpus/$name" \
           >"$log" 2>&1
  status=$?

  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  corpus=$(ls "$work/$name" | wc -l)
  if [ $status -eq 0 ]; then
    echo "ok $n - fuzz-$name: ${execs:-?} executions in ${seconds} s, $corpus new inputs"
  else
    artifact=$(ls "$work/$name"-* 2>/dev/null | head -n 1)
    echo "not ok $n - fuzz-$name: exit status $status after ${execs:-?} executions;" \
         "input: ${artifact:-none}, log: $log"
    # The sanitizer's report, for the CI log.
    grep -E -A 12 '^==[0-9]+==ERROR|runtime error|^ERROR:|ERROR \*\*|Bail out' "$log" | head -n 40 | sed 's/^/# /'
    failed=1
  fi
done

exit $failed
