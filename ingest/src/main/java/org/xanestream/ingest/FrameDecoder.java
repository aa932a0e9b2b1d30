package org.xanestream.ingest;

/**
 * Decodes one protocol's messages into {@link IngestEvent}s. One instance per receiver; called only
 * from that receiver's thread, so implementations may keep per-stream state (DECTRIS series header,
 * last frame number, frame size of the open scan) and scratch buffers.
 */
public interface FrameDecoder {
    /**
     * Decodes one message.
     *
     * @param message the parts; not modified, not retained
     * @return a {@link Frame} taken from the pool (the caller hands it on), an {@link EndOfScan}, or
     *         {@code null} for a valid message that carries no frame (e.g. a DECTRIS series header)
     * @throws RejectedMessageException the message is malformed; nothing was taken from the pool
     * @throws InterruptedException while waiting for a pooled buffer
     */
    IngestEvent decode(MessageParts message) throws RejectedMessageException, InterruptedException;

    /**
     * The frame-number and frame-size bookkeeping of this decoder, whose counters (gaps, repeats)
     * receivers expose as metrics; {@code null} if the decoder keeps none. Counters may be read from
     * any thread.
     */
    default FrameSequenceMonitor sequenceMonitor() {
        return null;
    }
}
