package org.xanestream.ingest.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;
import org.xanestream.ingest.TestPixels;
import org.xanestream.ingest.adzmq.AdZmqEncoder;
import org.xanestream.ingest.adzmq.AdZmqEncoderConfig;
import org.xanestream.ingest.adzmq.AdZmqEncoding;
import org.xanestream.ingest.zmq.ZmqFrameSender;
import org.xanestream.ingest.zmq.ZmqSenderConfig;
import org.xanestream.ingest.zmq.ZmqSenderMode;

/**
 * The sending half of the throughput harness: connects a PUSH socket to the receiver and sends
 * {@code array-1.0} frames as fast as the receiver takes them, for a fixed time, then {@code STOP}.
 *
 * <p>The payload is encoded once into a direct buffer and resent without copying
 * ({@link ZmqFrameSender#sendImmutableBuffers}),
 * only the header changes per frame, so the sender costs little CPU and allocates no pixel-sized
 * garbage: the harness measures the receiver. Run in-process by {@link ReceiveThroughput} or as its
 * own JVM: {@code ThroughputSender <endpoint> <width> <height> <none|lz4|bslz4> <seconds>}.
 */
public final class ThroughputSender {
    private ThroughputSender() {
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: ThroughputSender <endpoint> <width> <height> <none|lz4|bslz4> <seconds>");
            System.exit(2);
        }
        AdZmqEncoding enc = AdZmqEncoding.fromWireName(args[3]);
        if (enc == null) {
            System.err.println("unknown encoding " + args[3]);
            System.exit(2);
        }
        long cpu0 = processCpuNanos();
        long sent = run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), enc,
                Double.parseDouble(args[4]));
        System.err.printf(java.util.Locale.ROOT, "sender JVM: %d frames sent, %.2f ms CPU per frame%n", sent,
                (processCpuNanos() - cpu0) / 1e6 / Math.max(sent, 1));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Sends for {@code seconds}, then {@code STOP}.
     *
     * @return frames sent
     */
    public static long run(String endpoint, int width, int height, AdZmqEncoding encoding, double seconds) {
        AdZmqEncoder encoder = new AdZmqEncoder(AdZmqEncoderConfig.defaults().withEncoding(encoding));
        ByteBuffer pixels = TestPixels.random(PixelType.UINT16, width, height, 1);
        FrameHeader first = header(0, width, height);
        // A private direct copy: the encoder reuses its arrays, and this one is sent without copying
        // (and a direct buffer needs no staging copy on its way to the socket).
        byte[] encoded = encoder.encodeFrame(first, pixels).get(1);
        ByteBuffer payload = ByteBuffer.allocateDirect(encoded.length);
        payload.put(encoded).flip();
        ZmqSenderConfig cfg = ZmqSenderConfig.defaults().withEndpoint(endpoint, ZmqSenderMode.PUSH_CONNECT)
                .withSndHwm(4).withSendTimeoutMs(30_000).withLingerMs(10_000);
        long sent = 0;
        try (ZmqFrameSender tx = new ZmqFrameSender(cfg, encoder)) {
            long deadline = System.nanoTime() + (long) (seconds * TimeUnit.SECONDS.toNanos(1));
            ByteBuffer[] parts = new ByteBuffer[2];
            List<ByteBuffer> message = Arrays.asList(parts);
            parts[1] = payload;
            while (System.nanoTime() < deadline) {
                parts[0] = ByteBuffer.wrap(encoder.encodeHeader(header(sent, width, height))
                        .getBytes(StandardCharsets.UTF_8));
                if (tx.sendImmutableBuffers(message)) {
                    sent++;
                }
            }
            tx.endScan("bench");
        }
        return sent;
    }

    private static FrameHeader header(long frame, int width, int height) {
        return new FrameHeader("bench", "bench", frame, FrameKind.SAMPLE, 8333.0 + (frame % 100), width, height,
                PixelType.UINT16, System.currentTimeMillis() * 1_000_000L, Map.of());
    }
}
