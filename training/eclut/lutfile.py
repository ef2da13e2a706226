"""Read and write ECLUT table files, formats v1 and v2 (docs/lut-format.md).

v1 holds one upscaling stage.  v2 holds the same upscaling stage followed by
refine stages: x1 tables that each read the previous stage's clamped 8-bit
output.  A file with no refine stage is written as v1, so every table that
an older element could load stays loadable by it."""

import struct
import zlib
from dataclasses import dataclass, field
from typing import List

import numpy as np

MAGIC = b"ECLUT\r\n\x1a"
VERSION = 1
VERSION_STAGES = 2
HEADER_SIZE = 64
STAGE_HEADER_SIZE = 32
ENTRY_INT8 = 1
MAX_REFINE_STAGES = 4
REFINE_STEPS = (1, 2)
# what a refine stage pairs with each pixel in rotation 0 (byte 25 of its
# record): the pixel below, the one below and to the right, the rounded
# mean of the one below and the one to the right, (below + right + 1) >> 1,
# or (PAIR_QUAD) the 2x2 block of the pixel, the one below, the one to the
# right and the one below and to the right, quantised into a 16-bit index
PAIR_BELOW = 0
PAIR_BELOW_RIGHT = 1
PAIR_CORNER = 2
PAIR_QUAD = 3
REFINE_PAIRS = (PAIR_BELOW, PAIR_BELOW_RIGHT, PAIR_CORNER, PAIR_QUAD)
# PAIR_QUAD's levels of a difference d = neighbour - pixel: 7 + sign(d) m,
# m the number of these that |d| reaches (0 .. 7, so 0 .. 14)
QUAD_STEPS = (1, 3, 6, 10, 16, 26, 46)


def quad_level(d):
    """PAIR_QUAD's 4-bit level (0 .. 14) of the differences @d (ints or an
    integer array, -255 .. 255)."""
    d = np.asarray(d, dtype=np.int64)
    m = sum((np.abs(d) >= t).astype(np.int64) for t in QUAD_STEPS)
    return 7 + np.sign(d) * m


def quad_index(a, below, right, diag):
    """PAIR_QUAD's index (0 .. 65535) of the pixel @a and its neighbours
    in the rotated frame: the top 4 bits of @a, then the levels of the
    differences to the one below, to the right and below and to the right.
    A stage of this pair reads T[index >> 8][index & 255]."""
    a = np.asarray(a, dtype=np.int64)
    return ((a >> 4) << 12 | quad_level(np.asarray(below, dtype=np.int64) - a) << 8
            | quad_level(np.asarray(right, dtype=np.int64) - a) << 4
            | quad_level(np.asarray(diag, dtype=np.int64) - a))
# a refine stage's tables per position (byte 26 of its record): one table
# for every pixel (1, written as 0 as before the field), or one per
# position (i mod P, j mod P) of the pixel in the rotated frame
MAX_REFINE_PHASES = 4


def _phases(byte):
    """The phases a stage record's byte 26 gives (0, from before the field, is 1)."""
    return max(byte, 1)

_HEAD = struct.Struct("<8sHHBBBBiIQI24s")  # bytes 0..59; CRC at 60
# refine stage header: bytes 0..27, CRC at 28
_STAGE = struct.Struct("<BBBBiIQIBBB1s")
_STAGE_RESERVED = 1


@dataclass
class Refine:
    """A x1 refine stage: T[a][b][p * 9 + c], int8, shape (256, 256, 9 P^2).

    out = clamp((x if residual else 0) + ((S + bias) >> shift), 0, 255),
    x the stage's input pixel, S the sum of the 36 entries (9 expand channels,
    4 rotations) exactly as for the upscaling stage with r = 1, except that
    with pair = PAIR_BELOW_RIGHT each pixel is paired with the pixel below
    and to the right of it (in the rotated frame) instead of the one below,
    with pair = PAIR_CORNER with the rounded mean of those two neighbours,
    with pair = PAIR_QUAD it reads T[i >> 8][i & 255], i = quad_index () of
    its 2x2 block instead of T[pixel][pair], and that the pixel (i, j) of the rotated frame reads the entries of
    position p = (i mod P) P + (j mod P), P = phases."""
    table: np.ndarray
    expand_step: int = 1
    rescale_shift: int = 4
    rescale_bias: int = 8
    residual: bool = True
    pair: int = PAIR_BELOW
    phases: int = 1


@dataclass
class Lut:
    """A table: T[a][b][e], int8, shape (256, 256, 9*r*r), and its refine
    stages (none in a v1 file)."""
    table: np.ndarray
    scale: int
    expand_step: int = 1
    rescale_shift: int = 2
    rescale_bias: int = 2
    refine: List[Refine] = field(default_factory=list)


def _payload(table, e):
    t = np.ascontiguousarray(table, dtype=np.int8)
    if t.shape != (256, 256, e):
        raise ValueError("table shape %r, expected (256, 256, %d)" % (t.shape, e))
    return t.tobytes()


def _check_rescale(shift, bias):
    return shift <= 8 and (0 <= bias < (1 << shift) or (shift == 0 and bias == 0))


def encode(lut: Lut) -> bytes:
    r = lut.scale
    try:
        payload = _payload(lut.table, 9 * r * r)
    except ValueError as e:
        raise ValueError("%s (scale %d)" % (e, r))
    n = len(lut.refine)
    if n > MAX_REFINE_STAGES:
        raise ValueError("%d refine stages, at most %d" % (n, MAX_REFINE_STAGES))
    reserved = bytes([n]) + bytes(23) if n else bytes(24)
    head = _HEAD.pack(MAGIC, VERSION_STAGES if n else VERSION, HEADER_SIZE, r, lut.expand_step,
                      lut.rescale_shift, ENTRY_INT8, lut.rescale_bias,
                      9 * r * r, len(payload), zlib.crc32(payload), reserved)
    out = [head, struct.pack("<I", zlib.crc32(head)), payload]
    for st in lut.refine:
        if (st.expand_step not in REFINE_STEPS or st.pair not in REFINE_PAIRS
                or not 1 <= st.phases <= MAX_REFINE_PHASES
                or not _check_rescale(st.rescale_shift, st.rescale_bias)):
            raise ValueError("bad refine stage parameters")
        e = 9 * st.phases ** 2
        p = _payload(st.table, e)
        sh = _STAGE.pack(1, st.expand_step, st.rescale_shift, ENTRY_INT8, st.rescale_bias, e, len(p),
                         zlib.crc32(p), 1 if st.residual else 0, st.pair,
                         st.phases if st.phases > 1 else 0, bytes(_STAGE_RESERVED))
        out += [sh, struct.pack("<I", zlib.crc32(sh)), p]
    return b"".join(out)


def _fail(name, why):
    raise ValueError("%s: %s" % (name, why))


def decode(data: bytes, name: str = "<table>") -> Lut:
    if len(data) < HEADER_SIZE:
        _fail(name, "shorter than the 64-byte header")
    (magic, version, hsize, r, step, shift, etype, bias, epp, psize, pcrc,
     reserved) = _HEAD.unpack_from(data)
    (hcrc,) = struct.unpack_from("<I", data, 60)
    n_refine = reserved[0] if version == VERSION_STAGES else 0
    checks = [
        (magic == MAGIC, "bad magic"),
        (version in (VERSION, VERSION_STAGES), "unsupported version %d" % version),
        (hsize == HEADER_SIZE, "bad header size %d" % hsize),
        (2 <= r <= 4, "unsupported scale %d" % r),
        (step in (1, r), "bad expand step %d" % step),
        (shift <= 8, "bad rescale shift %d" % shift),
        (etype == ENTRY_INT8, "unsupported entry type %d" % etype),
        (_check_rescale(shift, bias), "bad rescale bias %d" % bias),
        (epp == 9 * r * r, "bad entries per pair %d" % epp),
        (psize == 65536 * 9 * r * r, "bad payload size %d" % psize),
        (version == VERSION or 1 <= n_refine <= MAX_REFINE_STAGES, "bad refine stage count %d" % n_refine),
        (reserved[1 if version == VERSION_STAGES else 0:] == bytes(24 - (version == VERSION_STAGES)),
         "reserved bytes not zero"),
        (zlib.crc32(data[:60]) == hcrc, "header CRC mismatch"),
    ]
    for ok, why in checks:
        if not ok:
            _fail(name, why)
    # the stages' sizes depend on their phases: the records are read in turn,
    # each checked to fit before it is read
    off = HEADER_SIZE + psize
    sizes = []
    for k in range(n_refine):
        if len(data) < off + STAGE_HEADER_SIZE:
            _fail(name, "file size %d: refine stage %d's record cut short" % (len(data), k + 1))
        ph = _phases(data[off + 26])
        if not 1 <= ph <= MAX_REFINE_PHASES:
            _fail(name, "refine stage %d: bad phases %d" % (k + 1, ph))
        sizes.append(STAGE_HEADER_SIZE + 65536 * 9 * ph * ph)
        off += sizes[-1]
    if len(data) != off:
        _fail(name, "file size %d, expected %d" % (len(data), off))
    payload = data[HEADER_SIZE:HEADER_SIZE + psize]
    if zlib.crc32(payload) != pcrc:
        _fail(name, "payload CRC mismatch")
    t = np.frombuffer(payload, dtype=np.int8).reshape(256, 256, 9 * r * r).copy()
    lut = Lut(t, r, step, shift, bias)
    off = HEADER_SIZE + psize
    for k in range(n_refine):
        what = "refine stage %d" % (k + 1)
        (sr, sst, ssh, setype, sbias, sepp, spsize, spcrc, mode, pair, phases,
         sres) = _STAGE.unpack_from(data, off)
        phases = _phases(phases)
        stage_size = sizes[k]
        e = 9 * phases * phases
        (shcrc,) = struct.unpack_from("<I", data, off + 28)
        for ok, why in [
            (sr == 1, "scale %d, expected 1" % sr),
            (sst in REFINE_STEPS, "bad expand step %d" % sst),
            (ssh <= 8, "bad rescale shift %d" % ssh),
            (setype == ENTRY_INT8, "unsupported entry type %d" % setype),
            (_check_rescale(ssh, sbias), "bad rescale bias %d" % sbias),
            (sepp == e, "bad entries per pair %d" % sepp),
            (spsize == 65536 * e, "bad payload size %d" % spsize),
            (mode in (0, 1), "bad mode %d" % mode),
            (pair in REFINE_PAIRS, "bad pair %d" % pair),
            (sres == bytes(_STAGE_RESERVED), "reserved bytes not zero"),
            (zlib.crc32(data[off:off + 28]) == shcrc, "header CRC mismatch"),
        ]:
            if not ok:
                _fail(name, "%s: %s" % (what, why))
        p = data[off + STAGE_HEADER_SIZE:off + stage_size]
        if zlib.crc32(p) != spcrc:
            _fail(name, "%s: payload CRC mismatch" % what)
        lut.refine.append(Refine(np.frombuffer(p, dtype=np.int8).reshape(256, 256, e).copy(),
                                 sst, ssh, sbias, mode == 1, pair, phases))
        off += stage_size
    return lut


def save(lut: Lut, path) -> None:
    with open(path, "wb") as f:
        f.write(encode(lut))


def load(path) -> Lut:
    with open(path, "rb") as f:
        return decode(f.read(), str(path))
