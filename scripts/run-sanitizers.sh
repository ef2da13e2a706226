#!/bin/bash
# The sanitizer job (docs/robustness.md): builds build-asan with
# ASan+UBSan (gcc) and runs the core and fuzz suites with LeakSanitizer on,
# then the check suite (GstCheck tests, gst-inspect) with it off.  Any
# sanitizer report fails its test (halt_on_error=1).  Ends with one line
# "N passed, N failed[, N skipped]" counted from both runs.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
. scripts/lib-tests.sh

if eclut_build build-asan -Db_sanitize=address,undefined -Db_lundef=false; then
  # the second run also when the first failed: its results still count
  eclut_meson_test build-asan asan --suite core --suite fuzz
  eclut_meson_test build-asan asangst --suite check --no-suite launch
fi
eclut_summary
