#!/bin/sh
# Regenerates docs/gst-inspect-eclutscale.txt, the `gst-inspect-1.0
# eclutscale` output kept in the docs, from the plugin in the build tree.
#
#   scripts/update-inspect-doc.sh [--check] [BUILDDIR [GST-INSPECT]]
#
# BUILDDIR defaults to build/, GST-INSPECT to gst-inspect-1.0 from PATH.
# With --check nothing is written: the fresh output is compared with the
# file, and a difference is shown as a unified diff and exits 1 (the
# 'docs' test suite runs this).  Lines that depend on the machine or the
# release (Filename, Version) are replaced by placeholders.
set -u

cd "$(dirname "$0")/.."
srcroot=$PWD
check=0
if [ "${1:-}" = "--check" ]; then
  check=1
  shift
fi
builddir=${1:-build}
inspect=${2:-gst-inspect-1.0}
doc=$srcroot/docs/gst-inspect-eclutscale.txt
plugindir=$builddir/gst/eclut

if [ ! -f "$plugindir/libgsteclut.so" ]; then
  echo "no plugin in $plugindir: build first (ninja -C $builddir)"
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/eclut-inspect-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# Only our plugin, a private registry, no colours, untranslated text.
if ! env -u GST_PLUGIN_PATH -u GST_PLUGIN_LOADING_WHITELIST \
  GST_PLUGIN_PATH_1_0="$plugindir" \
  GST_PLUGIN_SYSTEM_PATH_1_0="$tmp/none" \
  GST_REGISTRY_1_0="$tmp/registry.bin" \
  GST_REGISTRY_FORK=no \
  GST_INSPECT_NO_COLORS=1 \
  ECLUT_LUT_DIR="$srcroot/lut-data" \
  LC_ALL=C LANGUAGE= \
  "$inspect" --no-colors eclutscale >"$tmp/raw.txt" 2>"$tmp/err.txt"; then
  cat "$tmp/raw.txt" "$tmp/err.txt"
  echo "FAIL: $inspect eclutscale failed"
  exit 1
fi

sed -e 's/^\(  Filename  *\).*/\1(path of libgsteclut.so)/' \
  -e 's/^\(  Version  *\).*/\1(release)/' \
  "$tmp/raw.txt" >"$tmp/new.txt"

if [ $check -eq 0 ]; then
  if [ -f "$doc" ] && cmp -s "$tmp/new.txt" "$doc"; then
    echo "$doc is up to date"
  else
    cp "$tmp/new.txt" "$doc"
    echo "updated $doc"
  fi
  exit 0
fi

if [ ! -f "$doc" ]; then
  echo "FAIL: $doc missing; create it with scripts/update-inspect-doc.sh"
  exit 1
fi
if ! diff -u "$doc" "$tmp/new.txt" >"$tmp/diff.txt"; then
  cat "$tmp/diff.txt"
  echo "FAIL: docs/gst-inspect-eclutscale.txt no longer matches the element"
  echo "(- the file, + gst-inspect-1.0 now).  If the change to the element"
  echo "is intended, run scripts/update-inspect-doc.sh and commit the file."
  exit 1
fi
echo "PASS: docs/gst-inspect-eclutscale.txt matches gst-inspect-1.0 eclutscale"
