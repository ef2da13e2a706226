# shellcheck shell=bash
# Helpers for the scripts that install the packages, build and run the
# tests: .ci/run, scripts/run-tests.sh, scripts/run-sanitizers.sh and
# scripts/quickstart.sh.  Bash only; source it, do not run it:
#
#   . "$(dirname "$0")/lib-tests.sh"
#
#   eclut_read_packages       fills the array `packages` from
#                             scripts/debian-packages.txt
#   eclut_build DIR [ARGS]    meson setup DIR [ARGS] if DIR is not set up
#                             yet, then ninja -C DIR
#   eclut_meson_test DIR SETUP [ARGS]
#                             meson test -C DIR [--setup SETUP] [ARGS] (SETUP
#                             may be ''), its results added to the counts
#   eclut_add_summary LINE [STATUS]
#                             adds the counts of a summary line printed by
#                             one of these scripts, and its exit status
#   eclut_fail WHY            prints WHY, counts one failure (for a step
#                             that ran no test)
#   eclut_summary             prints "N passed, N failed[, N skipped]";
#                             returns 0 only when nothing failed
#
# The other functions return non-zero when their step failed (under set -e,
# call them as a condition).  All are safe under set -u.

eclut_passed=0
eclut_failed=0
eclut_skipped=0
eclut_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# One package per line, '#' starts a comment, blanks are ignored.  Fails
# (and the callers stop) on an unreadable or empty list rather than
# running apt-get with no packages.
eclut_read_packages() {
  local list=$eclut_lib_dir/debian-packages.txt line
  packages=()
  if [ ! -r "$list" ]; then
    echo "cannot read $list" >&2
    return 1
  fi
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%#*}
    line=${line//[[:space:]]/}
    if [ -n "$line" ]; then
      packages+=("$line")
    fi
  done <"$list"
  if [ ${#packages[@]} -eq 0 ]; then
    echo "no packages listed in $list" >&2
    return 1
  fi
}

eclut_fail() {
  echo "$1"
  eclut_failed=$((eclut_failed + 1))
}

eclut_build() {
  local dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    if ! meson setup "$dir" "$@"; then
      eclut_fail "meson setup $dir failed"
      return 1
    fi
  fi
  if ! ninja -C "$dir"; then
    eclut_fail "build in $dir failed"
    return 1
  fi
}

# How many tests in meson's JSON log $2 (one object per line) ended with
# result $1: OK, FAIL, SKIP, TIMEOUT, ERROR, EXPECTEDFAIL, UNEXPECTEDPASS...
# ('|| true': grep -c exits 1 when it counts 0.)
eclut_count_result() {
  grep -c "\"result\": \"$1\"" "$2" || true
}

eclut_meson_test() {
  local dir=$1 setup=$2 log rc=0 ok xfail skip total fail
  shift 2
  # meson names the log after the setup (meson test --setup X: testlog-X)
  log=$dir/meson-logs/testlog${setup:+-$setup}.json
  rm -f "$log"
  meson test -C "$dir" --print-errorlogs ${setup:+--setup "$setup"} "$@" || rc=$?
  if [ ! -f "$log" ]; then
    eclut_fail "meson test in $dir wrote no results (exit status $rc)"
    return 1
  fi
  ok=$(eclut_count_result OK "$log")
  xfail=$(eclut_count_result EXPECTEDFAIL "$log")
  skip=$(eclut_count_result SKIP "$log")
  total=$(grep -c '"result":' "$log" || true)
  # everything else failed: FAIL, TIMEOUT, ERROR, UNEXPECTEDPASS, ...
  fail=$((total - ok - xfail - skip))
  eclut_passed=$((eclut_passed + ok + xfail))
  eclut_skipped=$((eclut_skipped + skip))
  eclut_failed=$((eclut_failed + fail))
  if [ "$fail" -eq 0 ] && [ "$rc" -ne 0 ]; then
    # meson itself failed although no test did: that is a failure too
    eclut_fail "meson test in $dir exited with status $rc"
    return 1
  fi
  [ "$fail" -eq 0 ]
}

# A line that is not a summary (the script died before printing one)
# counts as a failure, and so does a non-zero STATUS with "0 failed".
eclut_add_summary() {
  local line=$1 status=${2:-0}
  local re='^([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?$'
  if ! [[ $line =~ $re ]]; then
    eclut_fail "no summary line at the end (got '$line')"
    return 1
  fi
  eclut_passed=$((eclut_passed + BASH_REMATCH[1]))
  eclut_failed=$((eclut_failed + BASH_REMATCH[2]))
  eclut_skipped=$((eclut_skipped + ${BASH_REMATCH[4]:-0}))
  if [ "${BASH_REMATCH[2]}" -eq 0 ] && [ "$status" -ne 0 ]; then
    eclut_fail "exit status $status although no test failed"
    return 1
  fi
  [ "${BASH_REMATCH[2]}" -eq 0 ]
}

eclut_summary() {
  if [ "$eclut_skipped" -gt 0 ]; then
    echo "$eclut_passed passed, $eclut_failed failed, $eclut_skipped skipped"
  else
    echo "$eclut_passed passed, $eclut_failed failed"
  fi
  [ "$eclut_failed" -eq 0 ]
}
