#!/bin/bash
# Quick start on a fresh Debian 12: installs the packages, builds the plugin
# and upscales the bundled sample picture x2 with the shipped table.
#
#   sudo scripts/quickstart.sh
#
# Packages are installed as root; the build and the upscaling run as the user
# who called sudo, so build/ stays theirs (scripts/run-tests.sh needs no root).
set -euo pipefail

cd "$(dirname "$0")/.."
srcdir=$(pwd)
. scripts/lib-tests.sh

if ! eclut_read_packages; then
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing packages: ${missing[*]}" >&2
    echo "Run as root: sudo scripts/quickstart.sh" >&2
    exit 1
  fi
  echo "== Installing ${#missing[@]} Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${packages[@]}"
else
  echo "== All Debian packages already installed"
fi

# Build and run as the invoking user when started with sudo.
as_user() {
  if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
    sudo -u "$SUDO_USER" -H -- "$@"
  else
    "$@"
  fi
}

echo "== Building"
if [ ! -f build/build.ninja ]; then
  as_user meson setup build
fi
as_user ninja -C build

echo "== Upscaling samples/chelsea-320x240.png x2"
in=samples/chelsea-320x240.png
out=build/chelsea-640x480-eclut-x2.png
# The plugin from the build tree; the tables from this source tree (the
# plugin looks only in ECLUT_LUT_DIR and the installed data directory).
as_user env GST_PLUGIN_PATH="$srcdir/build/gst/eclut" \
  ECLUT_LUT_DIR="$srcdir/lut-data" \
  gst-launch-1.0 -q filesrc location="$in" ! pngdec ! videoconvert \
  ! video/x-raw,format=Y444 ! eclutscale scale=2 ! videoconvert ! pngenc \
  ! filesink location="$out"

echo "Upscaled picture: $srcdir/$out"
