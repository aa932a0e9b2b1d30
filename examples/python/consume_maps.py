#!/usr/bin/env python3
"""Reassemble the latest xanestream fit maps from Kafka into numpy arrays.

A small third-party consumer of the ``<prefix>.maps`` topic described in docs/kafka-topics.md. It reads
the topic from the beginning up to its current end, keeps, per (scan, map), the newest *complete*
publication (ranked by ``version``, then ``final``), and prints one line per map of the chosen scan:

    map <name> scan=<id> version=<n> final=<true|false> bin=<b> shape=(<h>, <w>) finite=<count>
        mean=<nanmean> min=<nanmin> max=<nanmax> sha256=<sha256 of the float32 little-endian bytes>

Needs only Debian packages: python3-confluent-kafka and python3-numpy
(``apt-get install -y python3-confluent-kafka python3-numpy``).

Examples::

    python3 consume_maps.py --bootstrap 127.0.0.1:9092
    python3 consume_maps.py --bootstrap 127.0.0.1:9092 --prefix xanes --scan scan-0007 --save /tmp/maps

Exit status: 0 if at least one complete map was found, 1 if none, 2 on a Kafka error.
"""

import argparse
import hashlib
import os
import sys
import time

import numpy as np
from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition, OFFSET_BEGINNING

CONTRACT_VERSION = "1"


def parse_args(argv):
    p = argparse.ArgumentParser(description="Reassemble the latest xanestream maps from Kafka.")
    p.add_argument("--bootstrap", default="127.0.0.1:9092", help="Kafka bootstrap servers (default %(default)s)")
    p.add_argument("--prefix", default="xanes", help="topic prefix (default %(default)s)")
    p.add_argument("--scan", default=None, help="scan id (default: the scan of the newest maps record)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to read for at most (default %(default)s)")
    p.add_argument("--save", default=None, metavar="DIR", help="also save each map as DIR/<scan>__<map>.npy")
    return p.parse_args(argv)


def header_dict(msg):
    """Record headers as a dict of str -> str (values are UTF-8 text per the contract)."""
    out = {}
    for k, v in msg.headers() or []:
        out[k] = v.decode("utf-8") if v is not None else None
    return out


class Assembler:
    """Collects row bands; a publication (scan, map, version, final) is complete when its bands cover all rows."""

    def __init__(self):
        self.pending = {}   # (scan, map, version, final) -> dict(array, rows_seen, bin)
        self.latest = {}    # (scan, map) -> dict(version, final, bin, array)
        self.last_scan = None
        self.warned_schema = False

    def add(self, msg):
        h = header_dict(msg)
        if h.get("schema", CONTRACT_VERSION) != CONTRACT_VERSION and not self.warned_schema:
            print("warning: record contract version %s, this reader knows %s" % (h.get("schema"), CONTRACT_VERSION),
                  file=sys.stderr)
            self.warned_schema = True
        if h.get("dtype") != "float32":
            raise ValueError("unsupported dtype %r" % h.get("dtype"))
        scan, name = h["scan_id"], h["map"]
        version, final = int(h["version"]), h.get("final") == "true"
        width, height = int(h["width"]), int(h["height"])
        row0, rows = int(h["row0"]), int(h["rows"])
        band = np.frombuffer(msg.value(), dtype="<f4")
        if band.size != rows * width or row0 < 0 or row0 + rows > height:
            raise ValueError("band geometry does not match its headers: %d values for rows %d+%d of %dx%d"
                             % (band.size, row0, rows, width, height))
        self.last_scan = scan
        key = (scan, name, version, final)
        p = self.pending.get(key)
        if p is None:
            p = {"array": np.full((height, width), np.nan, dtype="<f4"),
                 "rows": np.zeros(height, dtype=bool), "bin": int(h.get("bin", "1"))}
            self.pending[key] = p
        p["array"][row0:row0 + rows, :] = band.reshape(rows, width)
        p["rows"][row0:row0 + rows] = True
        if p["rows"].all():
            del self.pending[key]
            best = self.latest.get((scan, name))
            if best is None or (version, final) > (best["version"], best["final"]):
                self.latest[(scan, name)] = {"version": version, "final": final, "bin": p["bin"],
                                             "array": p["array"]}


def read_maps(args):
    topic = args.prefix + ".maps"
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": "xanestream-consume-maps-%d" % os.getpid(),
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "enable.partition.eof": True,
    })
    try:
        meta = consumer.list_topics(topic, timeout=min(args.timeout, 10.0))
        t = meta.topics.get(topic)
        if t is None or t.error is not None or not t.partitions:
            raise KafkaException(t.error if t is not None and t.error else "topic %s not found" % topic)
        parts = sorted(t.partitions)
        ends = {}
        for p in parts:
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=min(args.timeout, 10.0))
            ends[p] = high
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in parts])
        remaining = {p for p in parts if ends[p] > 0}
        asm = Assembler()
        deadline = time.monotonic() + args.timeout
        while remaining and time.monotonic() < deadline:
            for msg in consumer.consume(num_messages=500, timeout=0.5):
                if msg.error():
                    if msg.error().code() == KafkaError._PARTITION_EOF:
                        if msg.offset() >= ends.get(msg.partition(), 0):
                            remaining.discard(msg.partition())
                        continue
                    raise KafkaException(msg.error())
                asm.add(msg)
                if msg.offset() + 1 >= ends[msg.partition()]:
                    remaining.discard(msg.partition())
        if remaining:
            print("warning: timed out before reading partitions %s to their end" % sorted(remaining),
                  file=sys.stderr)
        return asm
    finally:
        consumer.close()


def safe(text):
    """A file-name-safe form of a scan id or map name."""
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in text)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        asm = read_maps(args)
    except KafkaException as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    scan = args.scan if args.scan is not None else asm.last_scan
    found = [(name, m) for (s, name), m in asm.latest.items() if s == scan]
    if not found:
        print("no complete maps for scan %s on %s.maps" % (scan, args.prefix))
        return 1
    if args.save:
        os.makedirs(args.save, exist_ok=True)
    for name, m in found:
        a = m["array"]
        finite = np.isfinite(a)
        n = int(finite.sum())
        stats = (float(np.nanmean(a)), float(np.nanmin(a)), float(np.nanmax(a))) if n else (float("nan"),) * 3
        digest = hashlib.sha256(a.astype("<f4").tobytes()).hexdigest()
        print("map %s scan=%s version=%d final=%s bin=%d shape=(%d, %d) finite=%d mean=%.9g min=%.9g max=%.9g "
              "sha256=%s" % (name, scan, m["version"], "true" if m["final"] else "false", m["bin"], a.shape[0],
                             a.shape[1], n, stats[0], stats[1], stats[2], digest))
        if args.save:
            np.save(os.path.join(args.save, "%s__%s.npy" % (safe(scan), safe(name))), a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
