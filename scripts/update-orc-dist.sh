#!/bin/sh
# Regenerates the checked-in ORC backups gst/eclut/gsteclutorc-dist.[ch]
# from gst/eclut/gsteclutorc.orc (used when building without orcc, i.e.
# -Dorc=disabled or no orcc installed).  Run after editing the .orc and
# commit the results.  Mirrors gst-plugins-base's update-orc-dist-files.py:
# orcc, then gst-indent style formatting when GNU indent is available.
set -eu
cd "$(dirname "$0")/../gst/eclut"
ORCC=${ORCC:-orcc}
"$ORCC" --include glib.h --implementation -o gsteclutorc-dist.c gsteclutorc.orc
"$ORCC" --include glib.h --header -o gsteclutorc-dist.h gsteclutorc.orc
if command -v indent >/dev/null 2>&1; then
  for f in gsteclutorc-dist.c gsteclutorc-dist.h; do
    # twice, as gst-indent's output is not always a fixed point after one
    for pass in 1 2; do
      indent --braces-on-if-line --case-brace-indentation0 \
        --case-indentation2 --braces-after-struct-decl-line \
        --line-length80 --no-tabs --cuddle-else \
        --dont-line-up-parentheses --continuation-indentation4 \
        --honour-newlines --tab-size8 --indent-level2 \
        --leave-preprocessor-space "$f"
    done
    rm -f "$f~"
  done
fi
echo "updated gst/eclut/gsteclutorc-dist.c and gsteclutorc-dist.h"
