#!/usr/bin/python3
# eclut - learned lookup-table video upscaling for GStreamer
# Copyright (C) 2026 The eclut authors
#
# This library is free software; you can redistribute it and/or
# modify it under the terms of the GNU Library General Public
# License as published by the Free Software Foundation; either
# version 2 of the License, or (at your option) any later version.
#
# This library is distributed in the hope that it will be useful,
# but WITHOUT ANY WARRANTY; without even the implied warranty of
# MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
# Library General Public License for more details.
#
# You should have received a copy of the GNU Library General Public
# License along with this library; if not, write to the
# Free Software Foundation, Inc., 51 Franklin St, Fifth Floor,
# Boston, MA 02110-1301, USA.
"""Upscale a picture or a video file with eclutscale, from Python.

    eclut-upscale.py [--scale N] [--lut-path FILE] [--frames N] INPUT OUTPUT

INPUT is anything decodebin can decode (a PNG or JPEG picture, a WebM,
Matroska or MP4 file ...).  OUTPUT ending in .png gets the first frame as
a PNG picture; any other name gets H.264 (x264enc) in MP4 (mp4mux).

The pipeline it builds, element by element:

    filesrc ! decodebin ! videoconvert ! eclutscale ! videoconvert
        ! (pngenc | x264enc ! mp4mux) ! filesink

Needs PyGObject and the GStreamer typelib (Debian: python3-gi,
gir1.2-gstreamer-1.0) and the eclut plugin with its tables: installed, or
from the build tree with GST_PLUGIN_PATH=build/gst/eclut and
ECLUT_LUT_DIR=lut-data (`meson devenv -C build` sets both).
"""

import argparse
import sys

import gi

gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst  # noqa: E402


def make(factory, **props):
    """Creates an element and sets its properties (dashes as underscores)."""
    element = Gst.ElementFactory.make(factory, None)
    if element is None:
        raise RuntimeError(f"element {factory} is not installed")
    for name, value in props.items():
        element.set_property(name.replace("_", "-"), value)
    return element


def build_pipeline(args):
    pipeline = Gst.Pipeline.new("eclut-upscale")
    src = make("filesrc", location=args.input)
    decode = make("decodebin")
    convert_in = make("videoconvert")
    scaler = make("eclutscale", scale=args.scale)
    if args.lut_path:
        scaler.set_property("lut-path", args.lut_path)
    convert_out = make("videoconvert")
    if args.output.lower().endswith(".png"):
        # a picture: one frame is enough
        args.frames = 1
        encoders = [make("pngenc", snapshot=True)]
    else:
        encoders = [make("x264enc", speed_preset="ultrafast"), make("mp4mux")]
    sink = make("filesink", location=args.output)

    chain = [convert_in, scaler, convert_out] + encoders + [sink]
    for element in [src, decode] + chain:
        pipeline.add(element)
    src.link(decode)
    for upstream, downstream in zip(chain, chain[1:]):
        if not upstream.link(downstream):
            raise RuntimeError(f"cannot link {upstream.get_name()} to "
                               f"{downstream.get_name()}")

    # decodebin creates its source pads once it knows the stream: link the
    # first video pad, leave the others (audio ...) unlinked
    def on_pad_added(_decode, pad):
        caps = pad.get_current_caps() or pad.query_caps(None)
        if not caps.get_structure(0).get_name().startswith("video/"):
            return
        sinkpad = convert_in.get_static_pad("sink")
        if not sinkpad.is_linked():
            pad.link(sinkpad)

    decode.connect("pad-added", on_pad_added)
    return pipeline, scaler


def limit_frames(scaler, max_frames):
    """Ends the stream after max_frames frames: drops the rest and sends
    EOS into eclutscale, so the encoder and muxer finish the file."""
    sinkpad = scaler.get_static_pad("sink")
    state = {"frames": 0}

    def probe(pad, _info):
        state["frames"] += 1
        if state["frames"] <= max_frames:
            return Gst.PadProbeReturn.OK
        if state["frames"] == max_frames + 1:
            pad.send_event(Gst.Event.new_eos())
        return Gst.PadProbeReturn.DROP

    sinkpad.add_probe(Gst.PadProbeType.BUFFER, probe)


def caps_summary(pad):
    caps = pad.get_current_caps()
    if caps is None:
        return "(not negotiated)"
    s = caps.get_structure(0)
    return "%dx%d %s" % (s.get_value("width"), s.get_value("height"),
                         s.get_value("format"))


def main(argv):
    parser = argparse.ArgumentParser(
        description="Upscale a picture or a video with eclutscale.")
    parser.add_argument("input")
    parser.add_argument("output", help="*.png: a picture; else H.264 in MP4")
    parser.add_argument("--scale", type=int, default=2, choices=(2, 3, 4))
    parser.add_argument("--lut-path", help="table file (default: shipped)")
    parser.add_argument("--frames", type=int, default=0,
                        help="stop after N frames (default: all)")
    args = parser.parse_args(argv[1:])

    Gst.init(None)
    try:
        pipeline, scaler = build_pipeline(args)
    except RuntimeError as e:
        print(f"eclut-upscale: {e}", file=sys.stderr)
        return 1
    if args.frames > 0:
        limit_frames(scaler, args.frames)

    loop = GLib.MainLoop()
    result = {"rc": 0}

    def on_message(_bus, msg):
        if msg.type == Gst.MessageType.ERROR:
            err, debug = msg.parse_error()
            print(f"eclut-upscale: error from {msg.src.get_name()}: "
                  f"{err.message}\n{debug}", file=sys.stderr)
            result["rc"] = 1
            loop.quit()
        elif msg.type == Gst.MessageType.EOS:
            loop.quit()
        return True

    bus = pipeline.get_bus()
    bus.add_signal_watch()
    bus.connect("message", on_message)

    if pipeline.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
        # the reason is an error message on the bus
        result["rc"] = 1
        msg = bus.pop_filtered(Gst.MessageType.ERROR)
        if msg is not None:
            on_message(bus, msg)
    else:
        loop.run()

    print("eclut-upscale: %s -> %s" % (
        caps_summary(scaler.get_static_pad("sink")),
        caps_summary(scaler.get_static_pad("src"))))
    pipeline.set_state(Gst.State.NULL)
    bus.remove_signal_watch()
    if result["rc"] == 0:
        print(f"eclut-upscale: wrote {args.output}")
    return result["rc"]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
