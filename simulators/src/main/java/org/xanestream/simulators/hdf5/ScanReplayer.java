package org.xanestream.simulators.hdf5;

import org.xanestream.ingest.FrameEncoder;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Streams a {@link RecordedScan} as detector frames through a {@link FrameEncoder} to a {@link MessageSink}.
 *
 * <p>Two modes: {@link Mode#TRANSMISSION} sends the FXI images as they are, pre-normalized
 * ({@link FrameKind#TRANSMISSION} float32 frames, one per energy); {@link Mode#RAW} sends what a detector
 * would have sent — darks first, then per energy the sample frame and its flat — reconstructing sample
 * frames of FXI files as I = T·(F−D) + D so that the processor's full dark/flat path runs. DXchange files
 * are raw already; their flats are paired with energies when there is one per energy, otherwise all are
 * sent at the first energy (the processor borrows the nearest flat).
 *
 * <p>Not thread safe; runs on the caller's thread. Allocates per image (file I/O dominates).
 */
public final class ScanReplayer {

    /** How frames are sent. */
    public enum Mode { TRANSMISSION, RAW }

    /** Where encoded messages go (a ZMQ sender, or a list in tests). */
    @FunctionalInterface
    public interface MessageSink {
        void send(List<byte[]> parts) throws InterruptedException;
    }

    /**
     * Replay settings.
     *
     * @param mode          transmission or raw
     * @param pixelType     FLOAT32 (lossless) or UINT16 (rounded and clamped, like a real detector; RAW only)
     * @param framesPerSecond maximum frame rate, 0 = as fast as possible
     * @param scanIdOverride scan id to send instead of the file's, or null
     */
    public record Settings(Mode mode, PixelType pixelType, double framesPerSecond, String scanIdOverride) {
        public Settings {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(pixelType, "pixelType");
            if (pixelType != PixelType.FLOAT32 && pixelType != PixelType.UINT16) {
                throw new IllegalArgumentException("replay pixel type must be float32 or uint16, got " + pixelType.wireName());
            }
            if (mode == Mode.TRANSMISSION && pixelType != PixelType.FLOAT32) {
                throw new IllegalArgumentException("transmission frames are float32; uint16 needs mode raw");
            }
            if (!(framesPerSecond >= 0) || Double.isInfinite(framesPerSecond)) {
                throw new IllegalArgumentException("framesPerSecond must be >= 0 (0 = unlimited), got " + framesPerSecond);
            }
        }

        public static Settings defaults() {
            return new Settings(Mode.RAW, PixelType.FLOAT32, 0, null);
        }
    }

    /** Counts of one replay. */
    public record Result(String scanId, long frames, long bytes, double seconds) {
        public double framesPerSecond() {
            return seconds > 0 ? frames / seconds : Double.POSITIVE_INFINITY;
        }
    }

    private final FrameEncoder encoder;
    private final MessageSink sink;
    private final Settings settings;
    private final PrintStream progress;
    private long frameNumber;
    private long bytes;
    private long startNanos;
    private long lastProgressNanos;

    /** @param progress where to print progress every few seconds, or null */
    public ScanReplayer(FrameEncoder encoder, MessageSink sink, Settings settings, PrintStream progress) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.progress = progress;
    }

    /** Sends the whole scan, then the end-of-scan message. */
    public Result replay(RecordedScan scan) throws InterruptedException {
        String scanId = settings.scanIdOverride() != null ? settings.scanIdOverride() : scan.scanId();
        int w = scan.width();
        int h = scan.height();
        PixelType type = settings.mode() == Mode.TRANSMISSION ? PixelType.FLOAT32 : settings.pixelType();
        ByteBuffer buf = ByteBuffer.allocate(w * h * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        frameNumber = 0;
        bytes = 0;
        startNanos = System.nanoTime();
        lastProgressNanos = startNanos;
        for (List<byte[]> m : encoder.beginScan(scanId, w, h, type)) {
            sink.send(m);
        }
        double[] energies = scan.energiesEv();
        int n = energies.length;
        long total = settings.mode() == Mode.TRANSMISSION ? n
                : scan.darkCount() + n + (scan.layout() == ScanLayout.FXI ? n : scan.flatCount());
        if (settings.mode() == Mode.TRANSMISSION) {
            for (int e = 0; e < n; e++) {
                send(scanId, FrameKind.TRANSMISSION, energies[e], scan.sample(e), w, h, type, buf, total);
            }
        } else {
            float[] dark = scan.dark(0);
            for (int d = 0; d < scan.darkCount(); d++) {
                send(scanId, FrameKind.DARK, Double.NaN, d == 0 ? dark : scan.dark(d), w, h, type, buf, total);
            }
            boolean flatPerEnergy = scan.flatCount() == n;
            for (int e = 0; e < n; e++) {
                float[] sample = scan.sample(e);
                float[] flat = flatPerEnergy ? scan.flat(e) : null;
                if (scan.preNormalized()) {
                    for (int i = 0; i < sample.length; i++) {
                        sample[i] = sample[i] * (flat[i] - dark[i]) + dark[i];
                    }
                }
                send(scanId, FrameKind.SAMPLE, energies[e], sample, w, h, type, buf, total);
                if (flatPerEnergy) {
                    send(scanId, FrameKind.FLAT, energies[e], flat, w, h, type, buf, total);
                } else if (e == 0) {
                    for (int f = 0; f < scan.flatCount(); f++) {
                        send(scanId, FrameKind.FLAT, energies[e], scan.flat(f), w, h, type, buf, total);
                    }
                }
            }
        }
        sink.send(encoder.endScan(scanId));
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (progress != null) {
            progress.printf("replay %s: %d frames in %.1f s (%.1f frames/s, %.0f MB/s)%n", scanId, frameNumber,
                    seconds, frameNumber / Math.max(seconds, 1e-9), bytes / 1e6 / Math.max(seconds, 1e-9));
        }
        return new Result(scanId, frameNumber, bytes, seconds);
    }

    private void send(String scanId, FrameKind kind, double energyEv, float[] img, int w, int h, PixelType type,
                      ByteBuffer buf, long total) throws InterruptedException {
        pace();
        buf.clear();
        if (type == PixelType.FLOAT32) {
            for (int i = 0; i < img.length; i++) {
                buf.putFloat(i * 4, img[i]);
            }
        } else {
            for (int i = 0; i < img.length; i++) {
                float v = img[i];
                int c = v != v ? 0 : (int) Math.min(65535f, Math.max(0f, Math.round(v)));
                buf.putShort(i * 2, (short) c);
            }
        }
        FrameHeader header = new FrameHeader("replay", scanId, frameNumber, kind, energyEv, w, h, type,
                System.currentTimeMillis() * 1_000_000L, Map.of());
        sink.send(encoder.encodeFrame(header, buf));
        frameNumber++;
        bytes += header.payloadBytes();
        long now = System.nanoTime();
        if (progress != null && now - lastProgressNanos > TimeUnit.SECONDS.toNanos(3)) {
            lastProgressNanos = now;
            progress.printf("replay %s: %d/%d frames%n", scanId, frameNumber, total);
        }
    }

    private void pace() throws InterruptedException {
        if (settings.framesPerSecond() <= 0) {
            return;
        }
        long due = startNanos + (long) (frameNumber * 1e9 / settings.framesPerSecond());
        long wait = due - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
