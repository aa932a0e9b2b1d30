#!/usr/bin/env python3
"""Writes the bitshuffle reference fixtures used by BitshuffleReferenceFixturesTest.

Run once with Debian's bitshuffle (the upstream C library, 0.3.5) to regenerate them:

    apt-get install bitshuffle python3-numpy
    cd ingest/src/test/resources/org/xanestream/ingest/codec && /usr/bin/python3 make_bitshuffle_fixtures.py

Each "<dtype>_n<N>_b<B>.bslz4" file is a 12-byte big-endian header (u64 uncompressed bytes, u32 block
size in bytes, as the HDF5 filter and DECTRIS write it) followed by bitshuffle.compress_lz4(data, B)
(B = 0: the library's default block). "<dtype>_n<N>.bitshuffle" is bitshuffle.bitshuffle(data) (the
bare bit transpose, no LZ4). The data is the formula below, recomputed by the Java test.
"""
import struct

import bitshuffle
import numpy as np

GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def data(dtype, n):
    i = np.arange(n, dtype=np.uint64)
    noise = (i * GOLDEN) >> np.uint64(59)  # 5 pseudo-random bits, wrapping multiply
    v = (i // np.uint64(37)) * np.uint64(5) + noise
    bits = np.dtype(dtype).itemsize * 8
    if bits < 64:
        v &= np.uint64((1 << bits) - 1)
    return v.astype(dtype)


def default_block(itemsize):
    return max(8192 // itemsize // 8 * 8, 128)


def write_compressed(dtype, n, block):
    a = data(dtype, n)
    body = bitshuffle.compress_lz4(a, block).tobytes()
    used = block if block else default_block(a.itemsize)
    header = struct.pack(">QI", a.nbytes, used * a.itemsize)
    with open("%s_n%d_b%d.bslz4" % (np.dtype(dtype).name, n, block), "wb") as f:
        f.write(header + body)
    back = bitshuffle.decompress_lz4(np.frombuffer(body, np.uint8), a.shape, a.dtype, block)
    assert np.array_equal(back, a)


def write_transposed(dtype, n):
    a = data(dtype, n)
    with open("%s_n%d.bitshuffle" % (np.dtype(dtype).name, n), "wb") as f:
        f.write(bitshuffle.bitshuffle(a).tobytes())


for dtype, n, block in [("uint8", 10003, 0), ("uint16", 5101, 0), ("uint32", 2155, 0), ("uint64", 1089, 0),
                        ("uint16", 1003, 64), ("uint16", 1000, 256), ("uint16", 5, 0), ("uint32", 77, 0)]:
    write_compressed(dtype, n, block)
for dtype, n in [("uint8", 200), ("uint16", 200), ("uint32", 136), ("uint64", 72)]:
    write_transposed(dtype, n)
