/**
 * Throughput harness (test scope): {@link org.xanestream.ingest.bench.ReceiveThroughput} receives
 * 2048×2048 uint16 frames over tcp://127.0.0.1 from {@link org.xanestream.ingest.bench.ThroughputSender}
 * (another thread or another JVM) and reports frames/s, GB/s and bytes allocated per frame. See
 * {@code ingest/README.md} for the command.
 */
package org.xanestream.ingest.bench;
