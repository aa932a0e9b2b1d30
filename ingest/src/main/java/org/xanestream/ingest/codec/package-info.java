/**
 * Compression codecs of the detector protocols: raw LZ4 blocks ({@link org.xanestream.ingest.codec.Lz4Block},
 * the only user of the LZ4 library) and bitshuffle + LZ4 ({@link org.xanestream.ingest.codec.BitshuffleLz4},
 * with our own bit transpose).
 *
 * <p>In: compressed message parts as {@code ByteBuffer}s (heap or direct, any byte order). Out: pixels
 * written into a caller-owned buffer, usually a pooled {@link org.xanestream.ingest.Frame}'s array.
 * Called on the receive thread of each decoder (and on the simulator's send thread for compression);
 * stateless apart from per-thread scratch arrays, so any number of threads may call concurrently.
 * Corrupt input raises the checked {@link org.xanestream.ingest.codec.CodecException}, never an
 * unchecked exception or an out-of-bounds access.
 */
package org.xanestream.ingest.codec;
