package org.xanestream.ingest;

/**
 * Receives every rejected message. Called on the receive thread: implementations must not block
 * (hand off to a bounded queue).
 */
@FunctionalInterface
public interface RejectionListener {
    void onRejected(Rejection rejection);
}
