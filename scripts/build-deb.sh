#!/bin/sh
# Builds the Debian packages (gstreamer1.0-eclut, eclut-data) from the
# files git tracks plus debian/, in a scratch copy, so the work tree gets no
# obj-*/ or debian/ build output and the .debs do not land in its parent.
#
#   scripts/build-deb.sh [OUTDIR]      (default: build/deb)
#
# Needs dpkg-dev, debhelper and the Build-Depends of debian/control.
# Prints the paths of the .deb files.
set -eu

cd "$(dirname "$0")/.."
outdir=$(mkdir -p "${1:-build/deb}" && cd "${1:-build/deb}" && pwd)
version=$(dpkg-parsechangelog -S Version)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/eclut-deb-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
src=$tmp/eclut-$version
mkdir "$src"
{ git ls-files; find debian -type f; } | sort -u | while read -r f; do
  [ -e "$f" ] && printf '%s\n' "$f"
done | tar -cf - -T - | tar -xf - -C "$src"

(cd "$src" && dpkg-buildpackage -us -uc -b -j"$(nproc)") >"$tmp/build.log" 2>&1 || {
  tail -40 "$tmp/build.log"
  echo "dpkg-buildpackage failed"
  exit 1
}
cp "$tmp"/*.deb "$outdir"/
cp "$tmp/build.log" "$outdir"/
ls "$outdir"/*_"$version"_*.deb
