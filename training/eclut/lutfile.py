"""Read and write ECLUT table files, format v1 (docs/lut-format.md)."""

import struct
import zlib
from dataclasses import dataclass

import numpy as np

MAGIC = b"ECLUT\r\n\x1a"
VERSION = 1
HEADER_SIZE = 64
ENTRY_INT8 = 1
_HEAD = struct.Struct("<8sHHBBBBiIQI24s")  # bytes 0..59; CRC at 60


@dataclass
class Lut:
    """A table: T[a][b][e], int8, shape (256, 256, 9*r*r)."""
    table: np.ndarray
    scale: int
    expand_step: int = 1
    rescale_shift: int = 2
    rescale_bias: int = 2


def encode(lut: Lut) -> bytes:
    r = lut.scale
    t = np.ascontiguousarray(lut.table, dtype=np.int8)
    if t.shape != (256, 256, 9 * r * r):
        raise ValueError("table shape %r does not match scale %d" % (t.shape, r))
    payload = t.tobytes()
    head = _HEAD.pack(MAGIC, VERSION, HEADER_SIZE, r, lut.expand_step,
                      lut.rescale_shift, ENTRY_INT8, lut.rescale_bias,
                      9 * r * r, len(payload), zlib.crc32(payload), bytes(24))
    return head + struct.pack("<I", zlib.crc32(head)) + payload


def decode(data: bytes, name: str = "<table>") -> Lut:
    if len(data) < HEADER_SIZE:
        raise ValueError("%s: shorter than the 64-byte header" % name)
    (magic, version, hsize, r, step, shift, etype, bias, epp, psize, pcrc,
     reserved) = _HEAD.unpack_from(data)
    (hcrc,) = struct.unpack_from("<I", data, 60)
    checks = [
        (magic == MAGIC, "bad magic"),
        (version == VERSION, "unsupported version %d" % version),
        (hsize == HEADER_SIZE, "bad header size %d" % hsize),
        (2 <= r <= 4, "unsupported scale %d" % r),
        (step in (1, r), "bad expand step %d" % step),
        (shift <= 8, "bad rescale shift %d" % shift),
        (etype == ENTRY_INT8, "unsupported entry type %d" % etype),
        (0 <= bias < (1 << shift) or (shift == 0 and bias == 0), "bad rescale bias %d" % bias),
        (epp == 9 * r * r, "bad entries per pair %d" % epp),
        (psize == 65536 * 9 * r * r, "bad payload size %d" % psize),
        (reserved == bytes(24), "reserved bytes not zero"),
        (zlib.crc32(data[:60]) == hcrc, "header CRC mismatch"),
        (len(data) == HEADER_SIZE + psize, "file size %d, expected %d" % (len(data), HEADER_SIZE + psize)),
    ]
    for ok, why in checks:
        if not ok:
            raise ValueError("%s: %s" % (name, why))
    payload = data[HEADER_SIZE:]
    if zlib.crc32(payload) != pcrc:
        raise ValueError("%s: payload CRC mismatch" % name)
    t = np.frombuffer(payload, dtype=np.int8).reshape(256, 256, 9 * r * r).copy()
    return Lut(t, r, step, shift, bias)


def save(lut: Lut, path) -> None:
    with open(path, "wb") as f:
        f.write(encode(lut))


def load(path) -> Lut:
    with open(path, "rb") as f:
        return decode(f.read(), str(path))
