#!/bin/bash
# Builds the libFuzzer targets of tests/fuzz with clang, ASan and UBSan in
# build-fuzz/ and runs them.  See docs/robustness.md.
#
#   scripts/fuzz.sh                       every target for 60 s each
#   scripts/fuzz.sh -t 600                every target for 600 s each
#   scripts/fuzz.sh -r 10000000 fuzz-luma one target for 10M executions
#   scripts/fuzz.sh -b                    build only
#
# New inputs go to build-fuzz/corpus/<target>/ (the committed seeds in
# tests/fuzz/corpus/ are only read); crashes to build-fuzz/artifacts/.
# Exit status 0 when no target found anything.
set -uo pipefail

cd "$(dirname "$0")/.."
time_s=60
runs=
build_only=
while getopts "t:r:b" opt; do
  case $opt in
    t) time_s=$OPTARG ;;
    r) runs=$OPTARG ;;
    b) build_only=1 ;;
    *) echo "usage: $0 [-t seconds | -r runs] [-b] [target...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz-lut-file fuzz-lut-header fuzz-luma fuzz-chroma)

if ! command -v clang >/dev/null; then
  echo "clang not found (Debian: apt-get install clang libclang-rt-14-dev)" >&2
  exit 77
fi

# -Dorc=disabled: the ORC kernels' C backup is compiled and instrumented
# (JIT code would be invisible to ASan and to coverage)
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dfuzz=enabled -Dorc=disabled \
    -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized \
    -Dc_args=-fno-sanitize-recover=all || exit 1
fi
ninja -C build-fuzz || exit 1
[ -n "$build_only" ] && exit 0

export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
mkdir -p build-fuzz/artifacts
status=0
for t in "${targets[@]}"; do
  seeds=tests/fuzz/corpus/${t#fuzz-}
  work=build-fuzz/corpus/$t
  mkdir -p "$work"
  if [ -n "$runs" ]; then
    limit=(-runs="$runs")
  else
    limit=(-max_total_time="$time_s")
  fi
  echo "== $t ${limit[*]}"
  nice -n 15 build-fuzz/tests/fuzz/$t "${limit[@]}" \
    -print_final_stats=1 -artifact_prefix=build-fuzz/artifacts/$t- \
    "$work" "$seeds" 2>&1 | tee build-fuzz/$t.log | grep -v '^#[0-9]*	\(NEW\|REDUCE\|pulse\)' || true
  if grep -q 'ERROR: \|SUMMARY: \|runtime error\|deadly signal' build-fuzz/$t.log; then
    echo "== $t: FINDING (see build-fuzz/$t.log, build-fuzz/artifacts/)"
    status=1
  else
    grep 'stat::number_of_executed_units' build-fuzz/$t.log
  fi
done
exit $status
