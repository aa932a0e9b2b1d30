package org.xanestream.simulators.sink;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.xanestream.ingest.FrameEncoder;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.PixelType;
import org.xanestream.ingest.adzmq.AdZmqEncoder;
import org.xanestream.ingest.adzmq.AdZmqEncoderConfig;
import org.xanestream.ingest.dectris.DectrisEncoderConfig;
import org.xanestream.ingest.dectris.DectrisStreamEncoder;
import org.xanestream.ingest.zmq.ZmqFrameSender;
import org.xanestream.ingest.zmq.ZmqSenderConfig;

/**
 * Sends frames over ZMQ in one protocol (areaDetector {@code array-1.0} or DECTRIS stream v1) through
 * the ingest module's {@link ZmqFrameSender} (PUSH bind/connect or PUB).
 *
 * <p>A frame is never dropped by the simulator: when a PUSH send times out (no receiver yet, or the
 * receiver is slower than the generator) the sink waits and tries again, telling {@code log} once that it
 * is waiting, until the frame is taken or {@code giveUpMs} has passed without progress (then
 * {@link IOException}). A PUB socket never waits (ZMQ drops for slow subscribers by design).
 *
 * <p>Not thread safe: create, use and close it on the generating thread. Allocation: the sender copies
 * each message part (see {@link ZmqFrameSender}); the sink itself allocates nothing per frame.
 */
public final class ZmqFrameSink implements FrameSink {
    /** Wire protocol. */
    public enum Protocol {
        /** areaDetector NDPluginZMQ {@code array-1.0}. */
        ADZMQ,
        /** DECTRIS stream v1 ({@code dheader-1.0}, {@code dimage-1.0}, …). */
        DECTRIS1;

        /** Parses {@code adzmq} / {@code dectris1} (case-insensitive). */
        public static Protocol parse(String name) {
            String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
            switch (n) {
                case "adzmq": case "array-1.0": case "areadetector": return ADZMQ;
                case "dectris1": case "dectris": case "stream-v1": return DECTRIS1;
                default:
                    throw new IllegalArgumentException("unknown protocol '" + name + "'; known: adzmq, dectris1");
            }
        }
    }

    private final ZmqFrameSender sender;
    private final long giveUpMs;
    private final PrintStream log;
    private long retries;
    private boolean closed;

    /**
     * @param senderConfig socket, mode, HWM and the send timeout of one attempt
     * @param encoder      the protocol encoder
     * @param giveUpMs     how long a frame may wait for a receiver in total before the run fails; 0 = forever
     * @param log          where "waiting for a receiver" goes (e.g. {@code System.err}); null = silent
     * @throws IllegalStateException if the endpoint cannot be bound or connected
     */
    public ZmqFrameSink(ZmqSenderConfig senderConfig, FrameEncoder encoder, long giveUpMs, PrintStream log) {
        if (giveUpMs < 0) {
            throw new IllegalArgumentException("giveUpMs must be >= 0 (0 = wait forever), got " + giveUpMs);
        }
        this.sender = new ZmqFrameSender(senderConfig, Objects.requireNonNull(encoder, "encoder"));
        this.giveUpMs = giveUpMs;
        this.log = log;
    }

    /** A sink in the given protocol with the protocol's default encoder settings. */
    public static ZmqFrameSink open(Protocol protocol, ZmqSenderConfig senderConfig, long giveUpMs, PrintStream log) {
        FrameEncoder encoder = protocol == Protocol.ADZMQ
                ? new AdZmqEncoder(AdZmqEncoderConfig.defaults())
                : new DectrisStreamEncoder(DectrisEncoderConfig.defaults());
        return new ZmqFrameSink(senderConfig, encoder, giveUpMs, log);
    }

    /** The endpoint in use (for a binding sink with port {@code *}, the actual port). */
    public String endpoint() {
        return sender.endpoint();
    }

    /** Send attempts that timed out and were retried. */
    public long retries() {
        return retries;
    }

    /** Messages sent completely. */
    public long messagesSent() {
        return sender.messagesSent();
    }

    @Override
    public void beginScan(String scanId, int width, int height, PixelType pixelType) throws IOException {
        // the preamble (DECTRIS series header) is one message or none; retry it as a whole
        long start = System.nanoTime();
        boolean waited = false;
        while (!sender.beginScan(scanId, width, height, pixelType)) {
            waited = waitOrFail(start, waited, "the header of scan " + scanId);
        }
    }

    @Override
    public void sendFrame(FrameHeader header, ByteBuffer pixels) throws IOException {
        long start = System.nanoTime();
        boolean waited = false;
        while (!sender.sendFrame(header, pixels)) {
            waited = waitOrFail(start, waited, "frame " + header.frameNumber() + " of scan " + header.scanId());
        }
    }

    @Override
    public void endScan(String scanId) throws IOException {
        long start = System.nanoTime();
        boolean waited = false;
        while (!sender.endScan(scanId)) {
            waited = waitOrFail(start, waited, "the end of scan " + scanId);
        }
    }

    /** Sends one raw multipart message (tests, malformed input). */
    public boolean sendRaw(List<byte[]> parts) {
        return sender.sendMessage(parts);
    }

    private boolean waitOrFail(long startNanos, boolean waited, String what) throws IOException {
        retries++;
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted while waiting to send " + what + " to " + endpoint());
        }
        long waitedMs = (System.nanoTime() - startNanos) / 1_000_000L;
        if (giveUpMs > 0 && waitedMs >= giveUpMs) {
            throw new IOException("no receiver took " + what + " on " + endpoint() + " within " + giveUpMs + " ms");
        }
        if (!waited && log != null) {
            log.println("waiting for a receiver to take " + what + " on " + endpoint() + " ...");
        }
        return true;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            sender.close();
        }
    }
}
