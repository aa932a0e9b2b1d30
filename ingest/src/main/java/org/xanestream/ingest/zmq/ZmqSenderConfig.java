package org.xanestream.ingest.zmq;

import java.util.Objects;

/**
 * Configuration of a {@link ZmqFrameSender}.
 *
 * @param endpoint      where to bind or connect; a binding sender may use port {@code *}
 * @param mode          socket type and role
 * @param sndHwm        send high-water mark in messages, 1 to 100000 (the JeroMQ default of 1000 can
 *                      queue gigabytes of frames)
 * @param sendTimeoutMs how long a send may wait at the HWM or without a peer, 0 to 3600000 ms; a
 *                      missing peer therefore never blocks forever
 * @param lingerMs      how long closing waits to flush queued messages, 0 to 60000 ms
 * @param handshakeIvlMs ZMTP handshake timeout, 100 to 60000 ms; short, because JeroMQ 0.6.0 sometimes
 *                      stalls the handshake of a fresh connection until this timer reconnects (see
 *                      {@link ZmqReceiverConfig#handshakeIvlMs()})
 */
public record ZmqSenderConfig(String endpoint, ZmqSenderMode mode, int sndHwm, int sendTimeoutMs, int lingerMs,
                              int handshakeIvlMs) {
    public ZmqSenderConfig {
        Endpoints.require(endpoint, "endpoint");
        Objects.requireNonNull(mode, "mode");
        if (sndHwm < 1 || sndHwm > 100_000) {
            throw new IllegalArgumentException("sndHwm must be in [1, 100000] messages, got " + sndHwm);
        }
        if (sendTimeoutMs < 0 || sendTimeoutMs > 3_600_000) {
            throw new IllegalArgumentException("sendTimeoutMs must be in [0, 3600000], got " + sendTimeoutMs);
        }
        if (lingerMs < 0 || lingerMs > 60_000) {
            throw new IllegalArgumentException("lingerMs must be in [0, 60000], got " + lingerMs);
        }
        if (handshakeIvlMs < 100 || handshakeIvlMs > 60_000) {
            throw new IllegalArgumentException("handshakeIvlMs must be in [100, 60000], got " + handshakeIvlMs);
        }
    }

    /**
     * {@code tcp://127.0.0.1:5555}, PUSH bind (like a detector), HWM 16, 5 s send timeout, 1 s linger,
     * 2 s handshake timeout.
     */
    public static ZmqSenderConfig defaults() {
        return new ZmqSenderConfig("tcp://127.0.0.1:5555", ZmqSenderMode.PUSH_BIND, 16, 5000, 1000, 2000);
    }

    public ZmqSenderConfig withEndpoint(String value, ZmqSenderMode valueMode) {
        return new ZmqSenderConfig(value, valueMode, sndHwm, sendTimeoutMs, lingerMs, handshakeIvlMs);
    }

    public ZmqSenderConfig withSndHwm(int value) {
        return new ZmqSenderConfig(endpoint, mode, value, sendTimeoutMs, lingerMs, handshakeIvlMs);
    }

    public ZmqSenderConfig withHandshakeIvlMs(int value) {
        return new ZmqSenderConfig(endpoint, mode, sndHwm, sendTimeoutMs, lingerMs, value);
    }

    public ZmqSenderConfig withLingerMs(int value) {
        return new ZmqSenderConfig(endpoint, mode, sndHwm, sendTimeoutMs, value, handshakeIvlMs);
    }

    public ZmqSenderConfig withSendTimeoutMs(int value) {
        return new ZmqSenderConfig(endpoint, mode, sndHwm, value, lingerMs, handshakeIvlMs);
    }
}
