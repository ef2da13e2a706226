#!/bin/bash
# Builds if needed, runs the whole test suite and ends with one line
# "N passed, N failed, N skipped" counted from meson's test log.
# Exit status: 0 when nothing failed.  Extra arguments go to `meson test`
# (e.g. --suite check; not --setup, which renames the log).
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
. scripts/lib-tests.sh

if eclut_build build; then
  eclut_meson_test build '' "$@"
fi
eclut_summary
