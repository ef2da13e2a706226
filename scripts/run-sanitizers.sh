#!/bin/bash
# The sanitizer job (docs/robustness.md): builds build-asan with
# ASan+UBSan (gcc) and runs the core and fuzz suites with LeakSanitizer on,
# then the check suite (GstCheck tests, gst-inspect) with it off.  Any
# sanitizer report fails its test (halt_on_error=1).  Ends with one line
# "N passed, N failed" counted from both runs.
set -uo pipefail

cd "$(dirname "$0")/.."
if [ ! -f build-asan/build.ninja ]; then
  if ! meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false; then
    echo "meson setup failed"
    echo "0 passed, 1 failed"
    exit 1
  fi
fi
if ! ninja -C build-asan; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0
failed=0
run() {
  local log=build-asan/meson-logs/testlog-$1.json rc ok total skip
  rm -f "$log"
  meson test -C build-asan --print-errorlogs --setup "$@"
  rc=$?
  if [ ! -f "$log" ]; then
    failed=$((failed + 1))
    return
  fi
  ok=$(grep -c '"result": "\(OK\|EXPECTEDFAIL\)"' "$log")
  skip=$(grep -c '"result": "SKIP"' "$log")
  total=$(grep -c '"result":' "$log")
  passed=$((passed + ok))
  failed=$((failed + total - ok - skip))
  if [ "$rc" -ne 0 ] && [ "$total" -eq $((ok + skip)) ]; then
    failed=$((failed + 1))
  fi
}
run asan --suite core --suite fuzz
run asangst --suite check --no-suite launch

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
