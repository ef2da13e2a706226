#!/bin/sh
# Runs the example pipelines of the docs and the programs in examples/ with
# a few frames, and checks what they produce (exit status, negotiated sizes,
# frame counts, the output file's type).
#
#   examples.sh NAME SRCROOT GST-LAUNCH GST-INSPECT GST-TYPEFIND [PROGRAM]
#
# NAME: transcode | playbin | playbin-fit | live | c-player | python.  PROGRAM: the
# eclut-player binary (c-player) or python3 (python).  The environment
# (plugin path, registry, ECLUT_LUT_DIR) is set by tests/examples/meson.build.
# Exits 77 (skip) when an element or module the test needs is missing.
set -u
name=$1
srcroot=$2
launch=$3
inspect=$4
typefind=$5
program=${6:-}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/eclut-examples-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

need() {
  for el in "$@"; do
    if ! "$inspect" --exists "$el"; then
      echo "SKIP: element $el not installed"
      exit 77
    fi
  done
}

failed() {
  echo "FAIL: $*"
  fail=1
}

# run LOG command...: runs, keeps stdout+stderr in LOG, shows it on failure
run() {
  log=$1
  shift
  echo "+ $*"
  if ! "$@" >"$log" 2>&1; then
    cat "$log"
    failed "exit status $? from: $*"
    return 1
  fi
  return 0
}

# A small video file: 10 frames of 160x120 VP8 in WebM (VP8 is in
# gst-plugins-good for both directions; Debian has no free H.264 decoder
# in the default plugin sets).
make_input() {
  need videotestsrc vp8enc webmmux
  run "$tmp/make.log" "$launch" -q videotestsrc num-buffers=10 \
    ! video/x-raw,format=I420,width=160,height=120,framerate=25/1 \
    ! vp8enc deadline=1 ! webmmux ! filesink location="$tmp/in.webm" \
    || exit 1
}

# check_caps LOG WxH: gst-launch -v printed eclutscale's src caps with WxH
check_caps() {
  line=$(grep 'GstEclutScale:[^.]*\.GstPad:src: caps = ' "$1" | head -1)
  w=${2%x*}
  h=${2#*x}
  echo "eclutscale src caps: ${line#*caps = }"
  case $line in
    *"width=(int)$w, height=(int)$h,"*) ;;
    *) failed "eclutscale's output is not ${w}x$h" ;;
  esac
}

# check_frames LOG N: fakesink (silent=false, -v) saw N buffers
check_frames() {
  n=$(grep -c 'last-message = chain' "$1")
  echo "frames at the sink: $n"
  [ "$n" -eq "$2" ] || failed "$n frames at the sink, expected $2"
}

# check_mp4 FILE WxH N: FILE typefinds as MP4 and holds N H.264 frames of WxH
check_mp4() {
  need qtdemux h264parse
  if [ ! -s "$1" ]; then
    failed "$1 missing or empty"
    return
  fi
  type=$("$typefind" "$1" 2>&1)
  echo "$type"
  case $type in
    *"video/quicktime"*) ;;
    *) failed "$1 does not typefind as video/quicktime" ;;
  esac
  if run "$tmp/mp4.log" "$launch" -v filesrc location="$1" ! qtdemux \
    ! h264parse ! video/x-h264 ! fakesink silent=false; then
    w=${2%x*}
    h=${2#*x}
    grep -q "GstH264Parse:[^.]*\.GstPad:src: caps = .*width=(int)$w, height=(int)$h," \
      "$tmp/mp4.log" || failed "$1 is not ${w}x$h H.264"
    check_frames "$tmp/mp4.log" "$3"
  fi
}

case $name in
  transcode)
    # file -> decodebin -> eclutscale -> x264enc -> mp4mux
    need decodebin videoconvert x264enc mp4mux
    make_input
    if run "$tmp/run.log" "$launch" -v filesrc location="$tmp/in.webm" \
      ! decodebin ! videoconvert ! eclutscale scale=2 \
      ! x264enc speed-preset=ultrafast ! mp4mux \
      ! filesink location="$tmp/out.mp4"; then
      check_caps "$tmp/run.log" 320x240
      check_mp4 "$tmp/out.mp4" 320x240 10
    fi
    # a still picture: pngdec ! imagefreeze makes a 5-frame clip of it, x3
    need pngdec imagefreeze
    sample=$srcroot/samples/chelsea-320x240.png
    if run "$tmp/run2.log" "$launch" -v filesrc location="$sample" \
      ! pngdec ! imagefreeze num-buffers=5 ! videoconvert \
      ! eclutscale scale=3 ! x264enc speed-preset=ultrafast ! mp4mux \
      ! filesink location="$tmp/chelsea.mp4"; then
      check_caps "$tmp/run2.log" 960x720
      check_mp4 "$tmp/chelsea.mp4" 960x720 5
    fi
    ;;
  playbin)
    need playbin fakesink
    make_input
    if run "$tmp/run.log" "$launch" -v playbin uri="file://$tmp/in.webm" \
      video-filter="eclutscale scale=2" video-sink="fakesink silent=false"; then
      check_caps "$tmp/run.log" 320x240
      check_frames "$tmp/run.log" 10
    fi
    ;;
  playbin-fit)
    # a 640x360 file fitted by eclutscale to what the sink asks for
    # (1280x720); native-video keeps playsink's own videoscale out, so
    # eclutscale is the one that scales
    need playbin fakesink capsfilter videotestsrc vp8enc webmmux
    run "$tmp/make.log" "$launch" -q videotestsrc num-buffers=5 \
      ! video/x-raw,format=I420,width=640,height=360,framerate=25/1 \
      ! vp8enc deadline=1 ! webmmux ! filesink location="$tmp/in360.webm" \
      || exit 1
    if run "$tmp/run.log" "$launch" -v playbin uri="file://$tmp/in360.webm" \
      flags=native-video video-filter=eclutscale \
      video-sink="capsfilter caps=video/x-raw,width=1280,height=720 ! fakesink silent=false"; then
      check_caps "$tmp/run.log" 1280x720
      check_frames "$tmp/run.log" 5
    fi
    ;;
  live)
    # a live source: the sink synchronises on the clock (15 frames, 0.5 s)
    need videotestsrc fakesink
    if run "$tmp/run.log" "$launch" -v videotestsrc is-live=true \
      num-buffers=15 \
      ! video/x-raw,format=NV12,width=160,height=120,framerate=30/1 \
      ! eclutscale scale=3 ! fakesink sync=true silent=false; then
      check_caps "$tmp/run.log" 480x360
      check_frames "$tmp/run.log" 15
    fi
    ;;
  c-player)
    need playbin fakesink
    make_input
    if run "$tmp/run.log" "$program" --sink fakesink --scale 3 --frames 4 \
      "$tmp/in.webm"; then
      cat "$tmp/run.log"
      grep -qx 'eclut-player: eclutscale 160x120 I420 -> 480x360 I420' \
        "$tmp/run.log" || failed "eclut-player did not report 160x120 -> 480x360"
      grep -qx 'eclut-player: 4 frames upscaled' "$tmp/run.log" \
        || failed "eclut-player did not stop after 4 frames"
    fi
    # a broken table: exit status 1 and the reason on stderr
    if "$program" --sink fakesink --lut-path "$tmp/missing.lut" \
      "$tmp/in.webm" >"$tmp/err.log" 2>&1; then
      cat "$tmp/err.log"
      failed "eclut-player succeeded with a missing table"
    elif ! grep -q "Could not load ECLUT table: '$tmp/missing.lut'" \
      "$tmp/err.log"; then
      cat "$tmp/err.log"
      failed "eclut-player did not report the missing table"
    fi
    ;;
  python)
    if ! "$program" -c 'import gi; gi.require_version("Gst", "1.0"); from gi.repository import Gst' \
      2>"$tmp/gi.log"; then
      cat "$tmp/gi.log"
      echo "SKIP: PyGObject or the Gst typelib missing (python3-gi, gir1.2-gstreamer-1.0)"
      exit 77
    fi
    need decodebin x264enc mp4mux pngdec pngenc
    make_input
    script=$srcroot/examples/eclut-upscale.py
    if run "$tmp/run.log" "$program" "$script" --frames 6 "$tmp/in.webm" \
      "$tmp/out.mp4"; then
      cat "$tmp/run.log"
      grep -qx 'eclut-upscale: 160x120 I420 -> 320x240 I420' "$tmp/run.log" \
        || failed "eclut-upscale.py did not report 160x120 -> 320x240"
      check_mp4 "$tmp/out.mp4" 320x240 6
    fi
    if run "$tmp/run2.log" "$program" "$script" --scale 4 \
      "$srcroot/samples/chelsea-320x240.png" "$tmp/out.png"; then
      cat "$tmp/run2.log"
      # width and height from the PNG's IHDR chunk (bytes 16..23, big endian)
      size=$(od -An -tu1 -j16 -N8 "$tmp/out.png" | awk '{
        printf "%dx%d", (($1*256+$2)*256+$3)*256+$4, (($5*256+$6)*256+$7)*256+$8 }')
      echo "out.png: $size"
      [ "$size" = 1280x960 ] || failed "out.png is $size, expected 1280x960"
    fi
    ;;
  *)
    echo "unknown test $name"
    exit 2
    ;;
esac

[ $fail -eq 0 ] && echo "PASS: $name"
exit $fail
