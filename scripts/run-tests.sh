#!/bin/bash
# Builds if needed, runs the whole test suite and ends with one line
# "N passed, N failed, N skipped" counted from meson's test log.
# Exit status: 0 when nothing failed.  Extra arguments go to `meson test`
# (e.g. --suite check).
set -uo pipefail

cd "$(dirname "$0")/.."
log=build/meson-logs/testlog.json

if [ ! -f build/build.ninja ]; then
  if ! meson setup build; then
    echo "meson setup failed"
    echo "0 passed, 1 failed"
    exit 1
  fi
fi
if ! ninja -C build; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

rm -f "$log"
meson test -C build --print-errorlogs "$@"
rc=$?

if [ ! -f "$log" ]; then
  echo "meson test wrote no results (exit status $rc)"
  echo "0 passed, 1 failed"
  exit 1
fi

# One JSON object per line, with "result": OK, FAIL, SKIP, TIMEOUT, ERROR,
# EXPECTEDFAIL or UNEXPECTEDPASS.
count() {
  grep -c "\"result\": \"$1\"" "$log"
}
ok=$(count OK)
xfail=$(count EXPECTEDFAIL)
skipped=$(count SKIP)
total=$(grep -c '"result":' "$log")
passed=$((ok + xfail))
failed=$((total - passed - skipped))

if [ "$failed" -eq 0 ] && [ "$rc" -ne 0 ]; then
  # meson itself failed although no test did: count that as a failure
  failed=1
fi

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
