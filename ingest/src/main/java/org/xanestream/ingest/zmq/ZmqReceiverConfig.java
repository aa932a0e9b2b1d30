package org.xanestream.ingest.zmq;

import java.util.Objects;

/**
 * Configuration of a {@link ZmqFrameReceiver}.
 *
 * @param endpoint          where to bind or connect, e.g. {@code tcp://127.0.0.1:5555}; a binding
 *                          receiver may use port {@code *} and read the chosen one from
 *                          {@link ZmqFrameReceiver#endpoint()}
 * @param mode              socket type and role
 * @param rcvHwm            receive high-water mark in messages, 1 to 100000: how many messages JeroMQ
 *                          queues before it stops reading the TCP connection (PULL) or drops (SUB);
 *                          each queued message holds a pooled buffer
 * @param pollIntervalMs    receive timeout after which the thread checks for stop, and the wait slice
 *                          of a blocked hand-off, 1 to 10000 ms
 * @param maxParts          most parts per message kept for the decoder, 1 to 64; longer messages are
 *                          rejected {@code bad_parts}
 * @param messagePoolBytes  most bytes of free message buffers kept for reuse, 0 to 64 GiB; should
 *                          exceed {@code (rcvHwm + 2) x largest message} for allocation-free receive
 * @param ioThreads         JeroMQ I/O threads, 1 to 16
 * @param handshakeIvlMs    ZMTP handshake timeout, 100 to 60000 ms. JeroMQ 0.6.0 sometimes leaves a
 *                          freshly connected socket without its handshake (measured 1-6 % of connects
 *                          here, more under load; jeromq PR #1022); the connection then sits idle until
 *                          this timer drops it and reconnects, so keep it short (JeroMQ's default is 30 s)
 */
public record ZmqReceiverConfig(String endpoint, ZmqReceiverMode mode, int rcvHwm, int pollIntervalMs,
                                int maxParts, long messagePoolBytes, int ioThreads, int handshakeIvlMs) {
    public ZmqReceiverConfig {
        Endpoints.require(endpoint, "endpoint");
        Objects.requireNonNull(mode, "mode");
        if (rcvHwm < 1 || rcvHwm > 100_000) {
            throw new IllegalArgumentException("rcvHwm must be in [1, 100000] messages, got " + rcvHwm);
        }
        if (pollIntervalMs < 1 || pollIntervalMs > 10_000) {
            throw new IllegalArgumentException("pollIntervalMs must be in [1, 10000], got " + pollIntervalMs);
        }
        if (maxParts < 1 || maxParts > 64) {
            throw new IllegalArgumentException("maxParts must be in [1, 64], got " + maxParts);
        }
        if (messagePoolBytes < 0 || messagePoolBytes > (64L << 30)) {
            throw new IllegalArgumentException("messagePoolBytes must be in [0, 64 GiB], got " + messagePoolBytes);
        }
        if (ioThreads < 1 || ioThreads > 16) {
            throw new IllegalArgumentException("ioThreads must be in [1, 16], got " + ioThreads);
        }
        if (handshakeIvlMs < 100 || handshakeIvlMs > 60_000) {
            throw new IllegalArgumentException("handshakeIvlMs must be in [100, 60000], got " + handshakeIvlMs);
        }
    }

    /**
     * {@code tcp://127.0.0.1:5555}, PULL connect, HWM 16, 100 ms poll, 8 parts, 512 MiB pool, 1 I/O thread,
     * 2 s handshake timeout.
     */
    public static ZmqReceiverConfig defaults() {
        return new ZmqReceiverConfig("tcp://127.0.0.1:5555", ZmqReceiverMode.PULL_CONNECT, 16, 100, 8, 512L << 20, 1,
                2000);
    }

    public ZmqReceiverConfig withEndpoint(String value, ZmqReceiverMode valueMode) {
        return new ZmqReceiverConfig(value, valueMode, rcvHwm, pollIntervalMs, maxParts, messagePoolBytes, ioThreads,
                handshakeIvlMs);
    }

    public ZmqReceiverConfig withRcvHwm(int value) {
        return new ZmqReceiverConfig(endpoint, mode, value, pollIntervalMs, maxParts, messagePoolBytes, ioThreads,
                handshakeIvlMs);
    }

    public ZmqReceiverConfig withPollIntervalMs(int value) {
        return new ZmqReceiverConfig(endpoint, mode, rcvHwm, value, maxParts, messagePoolBytes, ioThreads,
                handshakeIvlMs);
    }

    public ZmqReceiverConfig withHandshakeIvlMs(int value) {
        return new ZmqReceiverConfig(endpoint, mode, rcvHwm, pollIntervalMs, maxParts, messagePoolBytes, ioThreads,
                value);
    }

    public ZmqReceiverConfig withMessagePoolBytes(long value) {
        return new ZmqReceiverConfig(endpoint, mode, rcvHwm, pollIntervalMs, maxParts, value, ioThreads,
                handshakeIvlMs);
    }
}
