#!/bin/sh
# gst-launch-1.0 smoke tests: the pipelines of the README and of the issue's
# "done when" list.  $1: gst-launch-1.0, $2: gst-inspect-1.0, $3: source root.
# Exits 77 (skip) when the PNG elements are not installed.
set -u
launch=$1
inspect=$2
srcroot=$3

for el in pngdec pngenc videoconvert videotestsrc; do
  if ! "$inspect" --exists "$el"; then
    echo "SKIP: element $el not installed"
    exit 77
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/eclut-launch-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# width and height of a PNG, from its IHDR chunk (bytes 16..23, big endian)
png_size() {
  od -An -tu1 -j16 -N8 "$1" | awk '{
    printf "%dx%d\n", (($1*256+$2)*256+$3)*256+$4, (($5*256+$6)*256+$7)*256+$8 }'
}

run() {
  # run "<what>" pipeline...
  what=$1
  shift
  if ! "$launch" -q "$@" >"$tmp/log" 2>&1; then
    cat "$tmp/log"
    echo "FAIL: $what"
    fail=1
    return 1
  fi
  return 0
}

# 1. a grey PNG, x4, exactly the pipeline (no videoconvert)
run "make grey png" videotestsrc num-buffers=1 pattern=zone-plate \
  ! video/x-raw,format=GRAY8,width=75,height=41 ! pngenc \
  ! filesink location="$tmp/grey.png"
if run "grey png x4" filesrc location="$tmp/grey.png" ! pngdec \
  ! video/x-raw,format=GRAY8 ! eclutscale scale=4 ! pngenc \
  ! filesink location="$tmp/grey-x4.png"; then
  size=$(png_size "$tmp/grey-x4.png")
  if [ "$size" != "300x164" ]; then
    echo "FAIL: grey x4 is $size, expected 300x164"
    fail=1
  fi
fi

# 2. a colour PNG through videoconvert, every scale
sample="$srcroot/samples/chelsea-320x240.png"
if [ ! -f "$sample" ]; then
  run "make colour png" videotestsrc num-buffers=1 pattern=smpte \
    ! video/x-raw,width=64,height=48 ! videoconvert ! pngenc \
    ! filesink location="$tmp/colour.png"
  sample="$tmp/colour.png"
fi
insize=$(png_size "$sample")
inw=${insize%x*}
inh=${insize#*x}
for s in 2 3 4; do
  if run "colour png x$s" filesrc location="$sample" ! pngdec ! videoconvert \
    ! video/x-raw,format=I420 ! eclutscale scale=$s ! videoconvert ! pngenc \
    ! filesink location="$tmp/colour-x$s.png"; then
    size=$(png_size "$tmp/colour-x$s.png")
    if [ "$size" != "$((inw * s))x$((inh * s))" ]; then
      echo "FAIL: colour x$s is $size, expected $((inw * s))x$((inh * s))"
      fail=1
    fi
  fi
done

# 3. every format from videotestsrc, 30 frames, default and 2 threads
for fmt in GRAY8 I420 YV12 NV12 NV21 Y42B Y444 I420_10LE I422_10LE \
    Y444_10LE P010_10LE; do
  run "videotestsrc $fmt" videotestsrc num-buffers=30 \
    ! video/x-raw,format=$fmt,width=160,height=120 ! eclutscale \
    ! fakesink
  run "videotestsrc $fmt x3 n-threads=2" videotestsrc num-buffers=5 \
    ! video/x-raw,format=$fmt,width=91,height=37 \
    ! eclutscale scale=3 n-threads=2 ! fakesink
done

# 4. a corrupt table: gst-launch fails and the message names the file
cp "$srcroot/lut-data/eclut-x2.lut" "$tmp/corrupt.lut"
printf 'XX' | dd of="$tmp/corrupt.lut" bs=1 seek=1000 conv=notrunc 2>/dev/null
if "$launch" videotestsrc num-buffers=1 ! eclutscale \
  lut-path="$tmp/corrupt.lut" ! fakesink >"$tmp/log" 2>&1; then
  cat "$tmp/log"
  echo "FAIL: corrupt table accepted"
  fail=1
elif ! grep -q "ERROR: .*eclutscale.*$tmp/corrupt.lut" "$tmp/log"; then
  cat "$tmp/log"
  echo "FAIL: error message does not name the table"
  fail=1
else
  grep "ERROR" "$tmp/log" | head -1
fi

# 5. a size the scale does not divide, asked by downstream: the table's x3
#    output resampled to it
if ! "$launch" -v videotestsrc num-buffers=1 ! video/x-raw,format=I420 \
  ! eclutscale scale=3 ! video/x-raw,width=1280,height=720 \
  ! fakesink >"$tmp/log" 2>&1; then
  cat "$tmp/log"
  echo "FAIL: 1280x720 downstream of scale=3 not negotiated"
  fail=1
elif ! grep -q "eclutscale0.GstPad:src: caps = .*width=(int)1280, height=(int)720" "$tmp/log"; then
  cat "$tmp/log"
  echo "FAIL: 1280x720 downstream of scale=3 gave another size"
  fail=1
fi

# 6. interlaced input: refused by the pad template (the link fails, and
#    gst-launch names the interlace mode; GstCheck tests the element's own
#    message for caps that bypass the template)
if "$launch" videotestsrc num-buffers=1 \
  ! video/x-raw,format=I420,width=64,height=48,interlace-mode=interleaved \
  ! eclutscale ! fakesink >"$tmp/log" 2>&1; then
  cat "$tmp/log"
  echo "FAIL: interlaced input accepted"
  fail=1
elif ! grep -q "eclutscale.*interlace-mode=(string)interleaved" "$tmp/log"; then
  cat "$tmp/log"
  echo "FAIL: no clear message for interlaced input"
  fail=1
else
  grep "interlace" "$tmp/log" | head -1
fi

[ $fail -eq 0 ] && echo "PASS: gst-launch pipelines"
exit $fail
