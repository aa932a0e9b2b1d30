package org.xanestream.ingest.zmq;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import org.xanestream.ingest.FrameEncoder;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.PixelType;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Sends frames encoded by a {@link FrameEncoder} on a PUSH (bind or connect) or PUB socket — the
 * simulator, replay and tests use it.
 *
 * <p>Explicit send high-water mark and send timeout: a send that cannot proceed (no peer, peer too
 * slow) returns {@code false} after {@link ZmqSenderConfig#sendTimeoutMs()} and is counted, instead of
 * blocking forever. A PUB socket never waits; it drops for subscribers at their HWM.
 *
 * <p>Allocation: each part is copied into a fresh message buffer, because JeroMQ keeps a reference to
 * a queued message until its I/O thread has written it, and the encoder reuses its arrays. That
 * per-part copy is the sender's only pixel-sized allocation.
 *
 * <p>Not thread safe: the socket opened by the constructor belongs to the thread that sends (hand it
 * over through a happens-before edge, e.g. starting the thread after construction). Close it on that
 * thread too.
 */
public final class ZmqFrameSender implements AutoCloseable {
    private final ZmqSenderConfig config;
    private final FrameEncoder encoder;
    private final ZMQ.Context context;
    private final ZMQ.Socket socket;
    private final String endpoint;
    private long messagesSent;
    private long bytesSent;
    private long sendTimeouts;
    private boolean closed;

    /**
     * Opens the socket and binds or connects.
     *
     * @throws IllegalStateException if the endpoint cannot be bound or connected
     */
    public ZmqFrameSender(ZmqSenderConfig config, FrameEncoder encoder) {
        this.config = Objects.requireNonNull(config, "config");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        ZMQ.Context ctx = ZMQ.context(1);
        ZMQ.Socket s = ctx.socket(config.mode().publishes() ? SocketType.PUB : SocketType.PUSH);
        try {
            s.setSndHWM(config.sndHwm());
            s.setSendTimeOut(config.sendTimeoutMs());
            s.setLinger(config.lingerMs());
            s.setHandshakeIvl(config.handshakeIvlMs());
            boolean ok = config.mode().binds() ? s.bind(config.endpoint()) : s.connect(config.endpoint());
            if (!ok) {
                throw new IllegalStateException("JeroMQ refused, errno " + s.errno());
            }
        } catch (RuntimeException e) {
            s.close();
            ctx.close();
            throw new IllegalStateException("cannot " + (config.mode().binds() ? "bind" : "connect")
                    + " ZMQ sender to " + config.endpoint() + ": " + e.getMessage(), e);
        }
        this.context = ctx;
        this.socket = s;
        this.endpoint = config.mode().binds() ? s.getLastEndpoint() : config.endpoint();
    }

    public ZmqSenderConfig config() {
        return config;
    }

    /** The endpoint in use; for a binding sender with port {@code *}, the actual port. */
    public String endpoint() {
        return endpoint;
    }

    /** Sends the encoder's scan preamble (nothing for areaDetector). */
    public boolean beginScan(String scanId, int width, int height, PixelType pixelType) {
        List<List<byte[]>> messages = encoder.beginScan(scanId, width, height, pixelType);
        for (int i = 0; i < messages.size(); i++) {
            if (!sendMessage(messages.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Encodes and sends one frame.
     *
     * @param pixels {@code header.payloadBytes()} little-endian bytes from index 0; not modified
     * @return {@code false} if the send timed out (the frame was not sent)
     */
    public boolean sendFrame(FrameHeader header, ByteBuffer pixels) {
        return sendMessage(encoder.encodeFrame(header, pixels));
    }

    /** Sends the encoder's end-of-scan message. */
    public boolean endScan(String scanId) {
        return sendMessage(encoder.endScan(scanId));
    }

    /**
     * Sends one multipart message as given, copying each part (tests use it for malformed input).
     *
     * @return {@code false} if the first part timed out (nothing sent); later parts of an accepted
     *         message do not wait
     * @throws IllegalStateException if the socket failed (e.g. closed)
     */
    public boolean sendMessage(List<byte[]> parts) {
        int n = parts.size();
        if (n == 0) {
            throw new IllegalArgumentException("a message needs at least one part");
        }
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            byte[] p = parts.get(i);
            boolean ok;
            try {
                ok = socket.send(p, 0, p.length, i < n - 1 ? ZMQ.SNDMORE : 0);
            } catch (ZMQException e) {
                throw new IllegalStateException("ZMQ send to " + endpoint + " failed: " + e.getMessage(), e);
            }
            if (!ok) {
                sendTimeouts++;
                return false;
            }
            bytes += p.length;
        }
        messagesSent++;
        bytesSent += bytes;
        return true;
    }

    /**
     * Sends one multipart message <em>without copying</em>: each part's bytes {@code [position, limit)} are
     * kept by JeroMQ until its I/O thread has written them, so the buffers' contents must never change again
     * (a payload read once and resent, a benchmark's fixed frame). Otherwise as {@link #sendMessage}. A direct buffer also spares
     * the I/O thread the copy NIO makes of heap buffers before writing to the socket.
     */
    public boolean sendImmutableBuffers(List<ByteBuffer> parts) {
        int n = parts.size();
        if (n == 0) {
            throw new IllegalArgumentException("a message needs at least one part");
        }
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            ByteBuffer p = parts.get(i);
            int sent;
            try {
                sent = socket.sendByteBuffer(p, i < n - 1 ? ZMQ.SNDMORE : 0);
            } catch (ZMQException e) {
                throw new IllegalStateException("ZMQ send to " + endpoint + " failed: " + e.getMessage(), e);
            }
            if (sent < 0) {
                sendTimeouts++;
                return false;
            }
            bytes += p.remaining();
        }
        messagesSent++;
        bytesSent += bytes;
        return true;
    }

    /** Messages sent completely. */
    public long messagesSent() {
        return messagesSent;
    }

    /** Bytes of all parts of the messages sent. */
    public long bytesSent() {
        return bytesSent;
    }

    /** Sends that gave up after the send timeout. */
    public long sendTimeouts() {
        return sendTimeouts;
    }

    /** Closes the socket (waiting up to the linger time to flush) and the context. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        socket.close();
        context.close();
    }
}
