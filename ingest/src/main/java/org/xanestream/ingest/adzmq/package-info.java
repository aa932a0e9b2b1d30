/**
 * The areaDetector NDPluginZMQ {@code array-1.0} protocol (DESIGN §4.1).
 *
 * <p>In: two-part messages (JSON header, pixel payload) and the single-part {@code STOP}, as
 * {@link org.xanestream.ingest.MessageParts} from a receiver. Out: pooled
 * {@link org.xanestream.ingest.Frame}s and {@link org.xanestream.ingest.EndOfScan}s, or a
 * {@link org.xanestream.ingest.RejectedMessageException} carrying the reason code.
 *
 * <p>{@link org.xanestream.ingest.adzmq.AdZmqDecoder} runs on its receiver's thread (one decoder per
 * receiver); {@link org.xanestream.ingest.adzmq.AdZmqEncoder} runs on whatever thread sends (simulator,
 * replay, tests). No transport library here: bytes in, bytes out.
 */
package org.xanestream.ingest.adzmq;
