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


# The 10-bit formats of the element: (rawvideoparse name, GStreamer name,
# chroma subsampling (f_x, f_y), interleaved UV, bits below the value)
TEN_BIT = {
    "i420_10le": ("i420-10le", "I420_10LE", (2, 2), False, 0),
    "i422_10le": ("i422-10le", "I422_10LE", (2, 1), False, 0),
    "y444_10le": ("y444-10le", "Y444_10LE", (1, 1), False, 0),
    "p010_10le": ("p010-10le", "P010_10LE", (2, 2), True, 6),
}


def _layout(name, w, h):
    """Strides and offsets of GStreamer's default layout of a frame"""
    import warnings
    with warnings.catch_warnings():
        # gi's importer warns on Python 3.11 (ImportWarning), harmlessly
        warnings.simplefilter("ignore", ImportWarning)
        import gi
        gi.require_version("Gst", "1.0")
        gi.require_version("GstVideo", "1.0")
        from gi.repository import Gst, GstVideo
    Gst.init(None)
    info = GstVideo.VideoInfo.new()
    info.set_format(GstVideo.VideoFormat.from_string(name), w, h)
    n = info.finfo.n_planes
    return list(info.stride[:n]), list(info.offset[:n]), info.size


def _words(plane, low):
    return (np.asarray(plane, dtype=np.uint16) << low).astype("<u2")


def upscale_frame(Y, U, V, fmt, r, lut_path, out_size=None, env=None, props=(),
                  raw=False, chroma_site=None):
    """One 10-bit frame (code values: Y h x w, U and V of the format's
    chroma size) through the element, scale r, into out_size (w, h; None:
    r times the input), with chroma_site (e.g. "jpeg", "mpeg2") on the
    input caps when given.  Returns the output's (Y, U, V) code values, or
    with raw=True the 16-bit words as stored (P010's UV as one
    interleaved plane)."""
    parse_name, gst_name, (fx, fy), interleaved, low = TEN_BIT[fmt]
    h, w = np.shape(Y)
    if interleaved:
        uv = np.stack([U, V], axis=2).reshape(np.shape(U)[0], -1)
        planes = [_words(Y, low), _words(uv, low)]
    else:
        planes = [_words(Y, low), _words(U, low), _words(V, low)]
    data = b"".join(p.tobytes() for p in planes)
    strides = [p.shape[1] * 2 for p in planes]
    offsets = np.cumsum([0] + [p.nbytes for p in planes[:-1]]).tolist()
    ow, oh = out_size or (w * r, h * r)
    env = env or plugin_env()
    with tempfile.TemporaryDirectory() as d:
        src, dst = os.path.join(d, "in.raw"), os.path.join(d, "out.raw")
        with open(src, "wb") as f:
            f.write(data)
        cmd = ["gst-launch-1.0", "-q", "filesrc", "location=" + src, "blocksize=%d" % len(data), "!",
               "rawvideoparse", "format=" + parse_name, "width=%d" % w, "height=%d" % h,
               "framerate=25/1", "frame-size=%d" % len(data),
               "plane-strides=<%s>" % ",".join(map(str, strides)),
               "plane-offsets=<%s>" % ",".join(map(str, offsets)), "!"] + (
               ["capssetter", "caps=video/x-raw,chroma-site=" + chroma_site, "!"]
               if chroma_site else []) + [
               "eclutscale", "scale=%d" % r, "lut-path=" + os.path.abspath(lut_path)] + list(props) + [
               "!", "video/x-raw,format=%s,width=%d,height=%d" % (gst_name, ow, oh), "!",
               "filesink", "location=" + dst]
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            raise RuntimeError("gst-launch failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr))
        out = np.fromfile(dst, dtype=np.uint8)
    ostrides, ooffsets, osize = _layout(gst_name, ow, oh)
    if out.size != osize:
        raise RuntimeError("element wrote %d bytes, expected %d" % (out.size, osize))
    cw, ch = -(-ow // fx), -(-oh // fy)
    sizes = [(oh, ow)] + ([(ch, 2 * cw)] if interleaved else [(ch, cw), (ch, cw)])
    words = []
    for (ph, pw), st, of in zip(sizes, ostrides, ooffsets):
        rows = out[of:of + ph * st].reshape(ph, st)[:, :2 * pw]
        words.append(np.ascontiguousarray(rows).view("<u2").astype(np.uint16))
    if raw:
        return words
    vals = [wd >> low for wd in words]
    if interleaved:
        return vals[0], vals[1][:, 0::2], vals[1][:, 1::2]
    return tuple(vals)
