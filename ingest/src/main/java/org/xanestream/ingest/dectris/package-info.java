/**
 * The DECTRIS SIMPLON stream v1 protocol (DESIGN §4.1): series header {@code dheader-1.0}, 4–5 part
 * images, {@code dseries_end-1.0}; raw, LZ4 and bitshuffle-LZ4 image data.
 *
 * <p>In: multipart messages as {@link org.xanestream.ingest.MessageParts} from a receiver (configure it
 * for at least {@link org.xanestream.ingest.dectris.DectrisStreamDecoder#MAX_PARTS} parts). Out: pooled
 * {@link org.xanestream.ingest.Frame}s (with the series' pixel mask attached), {@link org.xanestream.ingest.EndOfScan}s,
 * or a {@link org.xanestream.ingest.RejectedMessageException} carrying the reason code.
 *
 * <p>{@link org.xanestream.ingest.dectris.DectrisStreamDecoder} keeps the series state and runs on its
 * receiver's thread (one decoder per receiver); {@link org.xanestream.ingest.dectris.DectrisStreamEncoder}
 * runs on whatever thread sends (simulator, replay, tests). No transport library here: bytes in, bytes out.
 */
package org.xanestream.ingest.dectris;
