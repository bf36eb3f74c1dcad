#!/bin/sh
# The README's test command: installs what is needed, builds, and runs the whole test suite.
# Ends with the line "N passed, M failed, K skipped".
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  "$top/build-aux/install-deps.sh"
fi

builddir=${OD_BUILDDIR:-_build}
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" -Dwerror=true
fi
ninja -C "$builddir"

status=0
meson test -C "$builddir" --print-errorlogs --num-processes 2 || status=$?
results="$builddir/meson-logs/testlog.json"

# Hardening runs after the suite (docs/fuzzing.md). Their results count in the last line:
# each meson test and each TAP line of the fuzzing run is one test. OD_HARDENING=0 skips them.
if [ "${OD_HARDENING:-1}" != 0 ]; then
  extra=$(mkdir -p "$builddir/hardening" && cd "$builddir/hardening" && pwd)
  rm -rf "$extra"/*

  # 1. Every fuzz target for a fixed time (OD_FUZZ_SECONDS each): clang, libFuzzer, ASan, UBSan.
  echo "== Fuzzing, ${OD_FUZZ_SECONDS:-45} s per target"
  sh tests/fuzz/run-fuzzers.sh "${OD_FUZZ_BUILDDIR:-_build-fuzz}" >"$extra/fuzz.tap" 2>&1 || status=1
  cat "$extra/fuzz.tap"
  results="$results $extra/fuzz.tap"

  # 2. The engine and integration suites again with AddressSanitizer and UBSan: no report.
  echo "== Engine and integration suites with AddressSanitizer and UndefinedBehaviorSanitizer"
  asandir=${OD_ASAN_BUILDDIR:-_build-asan}
  if [ ! -f "$asandir/build.ninja" ]; then
    meson setup "$asandir" -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true
  fi
  rm -f "$asandir/meson-logs/testlog.json"
  if ninja -C "$asandir"; then
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    G_SLICE=always-malloc \
      meson test -C "$asandir" --suite engine --suite integration --print-errorlogs \
        --num-processes 2 || status=1
    results="$results $asandir/meson-logs/testlog.json"
  else
    echo "not ok 1 - the AddressSanitizer build failed" >"$extra/asan-build.tap"
    results="$results $extra/asan-build.tap"
    status=1
  fi

  # 3. The command-line scenarios once under valgrind memcheck: no errors, no definite leaks
  #    (then the secret scan again, over what they wrote). The forged-SRV scenario runs the
  #    CLI with real DNS lookups (dnsmasq in a namespace); glibc's resolver leaks 96 bytes per
  #    worker thread there, suppressed by its exact stack (tests/valgrind-glibc-resolver.supp).
  echo "== Command-line scenarios under valgrind memcheck"
  mkdir -p "$extra/valgrind"
  OD_CLI_WRAPPER="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --num-callers=30 --suppressions=$top/tests/valgrind-glibc-resolver.supp --log-file=$extra/valgrind/cli-%p.log" \
  G_SLICE=always-malloc \
    meson test -C "$builddir" --logbase valgrind --print-errorlogs cli-scenarios \
      cli-round-trip e2e-trust-forged-srv no-secrets \
    || status=1
  results="$results $builddir/meson-logs/valgrind.json"
  cat "$extra"/valgrind/*.log 2>/dev/null | awk '
    /ERROR SUMMARY/ { runs++; errors += $4 }
    /definitely lost:/ { lost += $4 }
    END { printf "valgrind: %d runs of the CLI, %d errors, %d bytes definitely lost\n", runs, errors, lost }'
fi

python3 - $results <<'PY'
import json, re, sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        log = open(path)
    except OSError:
        failed += 1          # a run that left no results did not pass
        continue
    with log:
        for line in log:
            if path.endswith(".json"):
                result = json.loads(line).get("result")
            elif re.match(r"(not )?ok\b", line):
                result = ("SKIP" if re.search(r"#\s*SKIP", line, re.I) else
                          "OK" if line.startswith("ok") else "FAIL")
            else:
                continue
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY

exit $status
