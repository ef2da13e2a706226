"""Run the eclutscale element on one plane with gst-launch-1.0 (GRAY8 or I420)."""
import os
import subprocess
import tempfile

import numpy as np


def plugin_env(build_dir=None):
    env = dict(os.environ)
    if build_dir:
        p = os.path.join(build_dir, "gst", "eclut")
        env["GST_PLUGIN_PATH_1_0"] = p
        env["GST_PLUGIN_PATH"] = p
    env.setdefault("GST_REGISTRY_FORK", "no")
    return env


def upscale(plane, r, lut_path, build_dir=None, fmt="gray8", env=None, chroma=None, props=()):
    """Upscale a uint8 plane through the element; returns the output luma plane.

    fmt 'gray8' feeds the plane alone; 'i420' feeds it as the Y plane of an I420
    frame (chroma planes from `chroma` or mid grey) and returns the output Y.
    `props`: more element properties, e.g. ["quality=high"].
    """
    plane = np.ascontiguousarray(plane, dtype=np.uint8)
    h, w = plane.shape
    env = env or plugin_env(build_dir)
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "in.raw"), os.path.join(d, "out.raw")
        if fmt == "gray8":
            data = plane.tobytes()
        else:
            cw, ch = (w + 1) // 2, (h + 1) // 2
            u = np.full((ch, cw), 128, np.uint8) if chroma is None else chroma[0]
            v = np.full((ch, cw), 128, np.uint8) if chroma is None else chroma[1]
            data = plane.tobytes() + u.tobytes() + v.tobytes()
        with open(src, "wb") as f:
            f.write(data)
        # the planes are written tightly packed: tell rawvideoparse so (its
        # default expects rows padded to 4 bytes)
        if fmt == "gray8":
            layout = ["plane-strides=<%d>" % w, "plane-offsets=<0>"]
        else:
            layout = ["plane-strides=<%d,%d,%d>" % (w, cw, cw),
                      "plane-offsets=<0,%d,%d>" % (w * h, w * h + cw * ch)]
        cmd = ["gst-launch-1.0", "-q", "filesrc", "location=" + src, "blocksize=%d" % len(data), "!",
               "rawvideoparse", "format=" + fmt, "width=%d" % w, "height=%d" % h, "framerate=25/1",
               "frame-size=%d" % len(data)] + layout + ["!",
               "eclutscale", "scale=%d" % r, "lut-path=" + os.path.abspath(lut_path)] + list(props) + ["!",
               "filesink", "location=" + dst]
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            raise RuntimeError("gst-launch failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr))
        out = np.fromfile(dst, dtype=np.uint8)
    H, W = h * r, w * r
    if out.size < H * W:
        raise RuntimeError("element wrote %d bytes, expected at least %d" % (out.size, H * W))
    if fmt == "gray8":
        # GRAY8 rows may be padded to 4 bytes in GStreamer's default layout
        stride = ((W + 3) // 4) * 4
        if out.size == H * stride:
            return out.reshape(H, stride)[:, :W]
        return out[:H * W].reshape(H, W)
    stride = ((W + 3) // 4) * 4
    return out[:H * stride].reshape(H, stride)[:, :W]


def gst_scale(plane, out_w, out_h, element, env=None):
    """@plane (GRAY8) through `element` (a gst-launch element description)
    to out_w x out_h"""
    plane = np.ascontiguousarray(plane, dtype=np.uint8)
    h, w = plane.shape
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "in.raw"), os.path.join(d, "out.raw")
        plane.tofile(src)
        cmd = ["gst-launch-1.0", "-q", "filesrc", "location=" + src, "blocksize=%d" % (h * w), "!",
               "rawvideoparse", "format=gray8", "width=%d" % w, "height=%d" % h,
               "frame-size=%d" % (h * w), "plane-strides=<%d>" % w, "plane-offsets=<0>", "!"] + \
            element.split() + ["!", "video/x-raw,width=%d,height=%d" % (out_w, out_h),
                               "!", "filesink", "location=" + dst]
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            raise RuntimeError("gst-launch failed (%d): %s\n%s" % (r.returncode, " ".join(cmd), r.stderr))
        out = np.fromfile(dst, dtype=np.uint8)
    stride = ((out_w + 3) // 4) * 4
    return out[: out_h * stride].reshape(out_h, stride)[:, :out_w]


def videoscale(plane, r, method="lanczos", env=None):
    """The same plane through GStreamer's videoscale (GRAY8) for comparison;
    lanczos with envelope=3, its sharpest setting."""
    h, w = np.shape(plane)
    extra = " envelope=3" if method == "lanczos" else ""
    return gst_scale(plane, w * r, h * r, "videoscale method=" + method + extra, env)
