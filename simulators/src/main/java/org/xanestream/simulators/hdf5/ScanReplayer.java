package org.xanestream.simulators.hdf5;

import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;
import org.xanestream.simulators.sink.FrameSink;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Streams a {@link RecordedScan} as detector frames into a {@link FrameSink} — the simulator's
 * {@code ZmqFrameSink} for the wire (ADZMQ or DECTRIS stream v1), or an in-memory sink in tests.
 *
 * <p>Two modes: {@link Mode#TRANSMISSION} sends the FXI images as they are, pre-normalized
 * ({@link FrameKind#TRANSMISSION} float32 frames, one per energy); {@link Mode#RAW} sends what a detector
 * would have sent — darks first, then per energy the sample frame and its flat — reconstructing sample
 * frames of FXI files as I = T·(F−D) + D so that the processor's full dark/flat path runs. DXchange files
 * are raw already; their flats are paired with energies when there is one per energy, otherwise all are
 * sent at the first energy (the processor borrows the nearest flat).
 *
 * <p>Not thread safe; runs on the caller's thread. Allocates three images and one frame buffer per scan and
 * one frame header per frame (plus what the file's read path allocates, see {@link RecordedScan#readSample});
 * the buffer handed to the sink is reused.
 */
public final class ScanReplayer {

    /** How frames are sent. */
    public enum Mode {
        /** Pre-normalized float32 transmission frames, one per energy (FXI only). */
        TRANSMISSION,
        /** Darks, then per energy a sample frame and its flat, as a detector sends them. */
        RAW;

        /** Parses {@code raw} / {@code transmission} (case-insensitive). */
        public static Mode parse(String name) {
            String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
            switch (n) {
                case "raw": return RAW;
                case "transmission": return TRANSMISSION;
                default:
                    throw new IllegalArgumentException("replay mode must be raw or transmission, got '" + name + "'");
            }
        }
    }

    /**
     * Replay settings.
     *
     * @param mode              transmission or raw
     * @param pixelType         FLOAT32 (lossless) or UINT16 (rounded and clamped to 0..65535, like a real detector; RAW only)
     * @param framesPerSecond   maximum frame rate, 0 = as fast as the sink takes them
     * @param scanIdOverride    scan id to send instead of the file's, or null
     * @param progressIntervalS seconds between progress lines, &gt; 0
     */
    public record Settings(Mode mode, PixelType pixelType, double framesPerSecond, String scanIdOverride,
                           double progressIntervalS) {
        public Settings {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(pixelType, "pixelType");
            if (pixelType != PixelType.FLOAT32 && pixelType != PixelType.UINT16) {
                throw new IllegalArgumentException("replay pixel type must be float32 or uint16, got " + pixelType.wireName());
            }
            if (mode == Mode.TRANSMISSION && pixelType != PixelType.FLOAT32) {
                throw new IllegalArgumentException("transmission frames are float32; uint16 needs mode raw");
            }
            if (!(framesPerSecond >= 0) || framesPerSecond > 1e6) {
                throw new IllegalArgumentException("framesPerSecond must be 0 (unlimited) to 1e6, got " + framesPerSecond);
            }
            if (scanIdOverride != null && scanIdOverride.isBlank()) {
                throw new IllegalArgumentException("scan id override must not be blank");
            }
            if (!(progressIntervalS > 0) || !Double.isFinite(progressIntervalS)) {
                throw new IllegalArgumentException("progressIntervalS must be > 0, got " + progressIntervalS);
            }
        }

        /** Raw float32 frames, unpaced, the file's scan id, progress every 3 s. */
        public static Settings defaults() {
            return new Settings(Mode.RAW, PixelType.FLOAT32, 0, null, 3.0);
        }

        public Settings withMode(Mode m) {
            return new Settings(m, pixelType, framesPerSecond, scanIdOverride, progressIntervalS);
        }

        public Settings withPixelType(PixelType t) {
            return new Settings(mode, t, framesPerSecond, scanIdOverride, progressIntervalS);
        }

        public Settings withFramesPerSecond(double fps) {
            return new Settings(mode, pixelType, fps, scanIdOverride, progressIntervalS);
        }

        public Settings withScanIdOverride(String id) {
            return new Settings(mode, pixelType, framesPerSecond, id, progressIntervalS);
        }

        public Settings withProgressIntervalS(double s) {
            return new Settings(mode, pixelType, framesPerSecond, scanIdOverride, s);
        }
    }

    /** Counts of one replay. */
    public record Result(String scanId, long frames, long bytes, double seconds) {
        public double framesPerSecond() {
            return seconds > 0 ? frames / seconds : Double.POSITIVE_INFINITY;
        }
    }

    /** {@link FrameHeader#source()} of replayed frames. */
    public static final String SOURCE = "replay";

    private final FrameSink sink;
    private final Settings settings;
    private final PrintStream progress;
    private int width;
    private int height;
    private long frameNumber;
    private long bytes;
    private long startNanos;
    private long nextProgressNanos;
    private long lastProgressFrames;
    private long lastProgressNanos;

    /**
     * @param sink     where frames go; not closed by the replayer
     * @param settings mode, pixel type, pacing
     * @param progress where progress lines go every {@code settings.progressIntervalS()}, or null
     */
    public ScanReplayer(FrameSink sink, Settings settings, PrintStream progress) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.progress = progress;
    }

    /** Frames {@link #replay} sends for {@code scan} in the given mode. */
    public static long frameCount(RecordedScan scan, Mode mode) {
        int n = scan.energyCount();
        if (mode == Mode.TRANSMISSION) {
            return n;
        }
        return scan.darkCount() + n + scan.flatCount();
    }

    /**
     * Sends the whole scan: {@code beginScan}, the frames, {@code endScan}.
     *
     * @throws IllegalArgumentException if the mode does not fit the file (transmission of a raw DXchange file)
     * @throws IOException              if the sink fails
     * @throws InterruptedException     if interrupted while pacing
     */
    public Result replay(RecordedScan scan) throws IOException, InterruptedException {
        if (settings.mode() == Mode.TRANSMISSION && !scan.preNormalized()) {
            throw new IllegalArgumentException(scan.path() + " holds raw images (" + scan.layout()
                    + "); mode transmission needs pre-normalized FXI images: use mode raw");
        }
        String scanId = settings.scanIdOverride() != null ? settings.scanIdOverride() : scan.scanId();
        width = scan.width();
        height = scan.height();
        PixelType type = settings.pixelType();
        ByteBuffer buf = ByteBuffer.allocate(Math.multiplyExact(width * height, type.bytes())).order(ByteOrder.LITTLE_ENDIAN);
        frameNumber = 0;
        bytes = 0;
        startNanos = System.nanoTime();
        lastProgressNanos = startNanos;
        lastProgressFrames = 0;
        nextProgressNanos = startNanos + Math.round(settings.progressIntervalS() * 1e9);
        long total = frameCount(scan, settings.mode());
        sink.beginScan(scanId, width, height, type);
        double[] energies = scan.energiesEv();
        int n = energies.length;
        int pixels = width * height;
        float[] image = new float[pixels];
        if (settings.mode() == Mode.TRANSMISSION) {
            for (int e = 0; e < n; e++) {
                scan.readSample(e, image);
                send(scanId, FrameKind.TRANSMISSION, energies[e], image, type, buf, total);
            }
        } else {
            float[] dark = new float[pixels];
            scan.readDark(0, dark);
            for (int d = 0; d < scan.darkCount(); d++) {
                if (d > 0) {
                    scan.readDark(d, image);
                }
                send(scanId, FrameKind.DARK, Double.NaN, d == 0 ? dark : image, type, buf, total);
            }
            boolean flatPerEnergy = scan.flatCount() == n;
            float[] flat = new float[pixels];
            for (int e = 0; e < n; e++) {
                scan.readSample(e, image);
                if (flatPerEnergy) {
                    scan.readFlat(e, flat);
                }
                if (scan.preNormalized()) {
                    for (int i = 0; i < pixels; i++) {
                        image[i] = image[i] * (flat[i] - dark[i]) + dark[i];
                    }
                }
                send(scanId, FrameKind.SAMPLE, energies[e], image, type, buf, total);
                if (flatPerEnergy) {
                    send(scanId, FrameKind.FLAT, energies[e], flat, type, buf, total);
                } else if (e == 0) {
                    for (int f = 0; f < scan.flatCount(); f++) {
                        scan.readFlat(f, flat);
                        send(scanId, FrameKind.FLAT, energies[e], flat, type, buf, total);
                    }
                }
            }
        }
        sink.endScan(scanId);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new Result(scanId, frameNumber, bytes, seconds);
    }

    private void send(String scanId, FrameKind kind, double energyEv, float[] img, PixelType type, ByteBuffer buf,
                      long total) throws IOException, InterruptedException {
        if (type == PixelType.FLOAT32) {
            buf.clear();
            buf.asFloatBuffer().put(img);
        } else {
            for (int i = 0; i < img.length; i++) {
                // round half up; the cast maps NaN to 0 and saturates, the clamp keeps 0..65535
                int c = (int) (img[i] + 0.5f);
                buf.putShort(i * 2, (short) Math.min(65535, Math.max(0, c)));
            }
        }
        pace();
        FrameHeader header = new FrameHeader(SOURCE, scanId, frameNumber, kind, energyEv, width, height, type,
                System.currentTimeMillis() * 1_000_000L, Map.of());
        buf.clear();
        sink.sendFrame(header, buf);
        frameNumber++;
        bytes += header.payloadBytes();
        progress(scanId, energyEv, total);
    }

    private void progress(String scanId, double energyEv, long total) {
        if (progress == null) {
            return;
        }
        long now = System.nanoTime();
        if (now < nextProgressNanos) {
            return;
        }
        double rate = (frameNumber - lastProgressFrames) / ((now - lastProgressNanos) / 1e9);
        progress.printf(Locale.ROOT, "replay %s: frame %d/%d (%.1f eV), %.1f frames/s, %.2f GB sent%n", scanId,
                frameNumber, total, energyEv, rate, bytes / 1e9);
        lastProgressFrames = frameNumber;
        lastProgressNanos = now;
        nextProgressNanos = now + Math.round(settings.progressIntervalS() * 1e9);
    }

    private void pace() throws InterruptedException {
        if (settings.framesPerSecond() <= 0) {
            return;
        }
        long due = startNanos + (long) (frameNumber * 1e9 / settings.framesPerSecond());
        for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException("replay interrupted while pacing frames");
            }
        }
    }
}
