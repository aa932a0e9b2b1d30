package org.xanestream.publisher.results;

/**
 * Receives decoded result records, in the order they were read (per scan: the order published).
 * Called from the single reader thread of a source; implementations must be quick or hand off, and
 * must not keep a {@link BandRecord}'s buffer beyond the call.
 */
public interface ResultListener {
    void onScan(ScanRecord scan);

    void onPoint(PointRecord point);

    void onBand(BandRecord band);

    default void onRejected(RejectedRecord rejected) {
    }

    /** A record could not be decoded; it was skipped. */
    default void onDecodeError(TopicKind topic, String detail) {
    }

    /** The source's connection state changed (true: reachable and reading). */
    default void onSourceState(boolean connected, String detail) {
    }
}
