#!/bin/sh
# run-ui-lab-test.sh PROGRAM [ARGS...]
#
# Starts the private Postfix + Dovecot lab (tests/lab/postfix-lab.sh) on loopback, runs a
# UI test program in its own desktop (run-ui-test.sh) with OD_LAB_ENV naming the lab's env
# file, and stops the lab whatever happens. The lab needs root: skipped otherwise.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
lab=${OD_LAB_SCRIPT:-$here/../lab/postfix-lab.sh}
export PATH="$PATH:/usr/sbin:/sbin"

if ! command -v postfix >/dev/null 2>&1 || ! command -v dovecot >/dev/null 2>&1; then
  echo "1..0 # SKIP postfix or dovecot is not installed (packages postfix, dovecot-core)"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "1..0 # SKIP the Postfix lab must run as root"
  exit 0
fi

dir=$(mktemp -d /tmp/od-ui-lab.XXXXXX)
log=$(mktemp /tmp/od-ui-lab-start.XXXXXX)
trap '"$lab" stop "$dir" >/dev/null 2>&1 || true; rm -rf "$dir" "$log"' EXIT
trap 'exit 130' INT TERM

if ! "$lab" start "$dir" >"$log" 2>&1; then
  echo "Bail out! the Postfix lab did not start"
  sed 's/^/# /' "$log"
  exit 1
fi

status=0
OD_LAB_ENV="$dir/env" "$here/run-ui-test.sh" "$@" || status=$?
exit $status
