#!/bin/sh
# gst-inspect-1.0 loads the plugin and lists the element's properties.
# $1: gst-inspect-1.0.  Environment: set by tests/check/meson.build.
set -u
inspect=$1

out=$("$inspect" eclutscale 2>&1)
rc=$?
if [ $rc -ne 0 ]; then
  echo "$out"
  echo "FAIL: gst-inspect-1.0 eclutscale exited with $rc"
  exit 1
fi
echo "$out"

fail=0
for prop in scale lut-path n-threads; do
  if ! echo "$out" | grep -q "^  $prop  *: "; then
    echo "FAIL: property '$prop' not listed"
    fail=1
  fi
done
for fmt in GRAY8 I420 YV12 NV12 NV21 Y42B Y444 I420_10LE I422_10LE \
    Y444_10LE P010_10LE; do
  if ! echo "$out" | grep -q "(string)$fmt"; then
    echo "FAIL: format $fmt not in the pad templates"
    fail=1
  fi
done
if ! "$inspect" --exists --atleast-version=0.1.0 eclutscale; then
  echo "FAIL: gst-inspect-1.0 --exists eclutscale"
  fail=1
fi
if ! "$inspect" eclut | grep -q "eclutscale"; then
  echo "FAIL: plugin 'eclut' does not list eclutscale"
  fail=1
fi
[ $fail -eq 0 ] && echo "PASS: eclutscale inspected"
exit $fail
