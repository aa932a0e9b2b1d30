package org.xanestream.processor.session;

import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import org.xanestream.ingest.EndOfScan;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;
import org.xanestream.processor.ProcessorListener;
import org.xanestream.processor.fit.ElementPreset;

/**
 * Runs small synthetic scans through the whole processing path (frame accumulation, dark/flat
 * normalization, drift estimation and correction, stack, incremental fits, live and final maps) before
 * the first real frame arrives, so that the JIT has compiled the per-pixel kernels.
 *
 * <p>Why: the vector kernels ({@code jdk.incubator.vector}) are only fast once C2 has compiled them;
 * until then every vector operation runs as an allocating Java fallback, 5–20× slower. A service that
 * meets its first scan cold spends its first tens of energy points (at 2048×2048, ~10 s) in that mode
 * and falls behind the detector. Small scans ({@value #SIDE}×{@value #SIDE} pixels) warm most kernels in a
 * second or two; the last scan (of two or more) is {@value #LAST_SIDE}×{@value #LAST_SIDE} with a drift of several pixels: at
 * 128 pixels some row loops (FFT whitening, shift rows) run too few iterations for C2 to compile them, and
 * rows shifted wholly out of the image never occur, so the first large real scan used to spend its first
 * seconds in deoptimized, interpreted vector code (seen in {@code bench} profiles).
 *
 * <p>Live maps are computed after every energy point, from the 2×2-binned stack ({@code LiveBinnedFitter}) as
 * for detectors larger than the live maps side, unless live binning is off.
 *
 * <p>The synthetic scan: a flat field with structure, dark offset, particles of two phases whose
 * absorption steps at the preset's edge with a whiteline, sub-pixel sample drift and seeded Poisson-like
 * noise, over an energy grid that covers every fit window of the preset (pre-edge, edge, whiteline,
 * post-edge) and returns to one of them at the end. Results go to a listener that drops them; those of the
 * last scan may go to the caller's (to warm up what consumes them, e.g. publishing to temporary topics).
 *
 * <p>Not thread safe; call before starting the processor thread (it uses the fitters' row pool itself).
 */
public final class ProcessorWarmUp {
    /** Image side of the synthetic scans, pixels. */
    static final int SIDE = 128;
    /** Image side of the last synthetic scan, pixels. */
    static final int LAST_SIDE = 512;

    private static final String SOURCE = "warm-up";
    /** Where the results of the warm-up scans go unless the caller takes the last one's. */
    private static final ProcessorListener DISCARD = new ProcessorListener() { };

    private ProcessorWarmUp() {
    }

    /**
     * What the warm-up did.
     *
     * @param problems frames rejected + processing errors + points without flat (0 when the path ran as intended)
     */
    public record Result(int scans, long frames, long energyPoints, long snapshots, long problems, long nanos) {
        public double seconds() {
            return nanos / 1e9;
        }
    }

    /**
     * Processes {@code scans} synthetic scans with the given processing settings (live maps after every
     * energy point, so the snapshot code warms up too).
     *
     * @param config  processor settings as deployed (element, session, drift, threads)
     * @param fitters the deployed fitter factory (its row pool's threads then run the kernels)
     * @param scans   number of scans, 1..100
     */
    public static Result run(ProcessorConfig config, FitterFactory fitters, int scans) {
        return run(config, fitters, scans, DISCARD);
    }

    /**
     * As {@link #run(ProcessorConfig, FitterFactory, int)}, the results of the last synthetic scan (its start,
     * energy points, maps and end; scan id {@code warm-up-N}) handed to {@code lastScanListener}: the last scan
     * is the largest, with images and maps of the sizes of real live results, enough to warm what consumes them;
     * the small ones before it would only add start-up time.
     */
    public static Result run(ProcessorConfig config, FitterFactory fitters, int scans,
                             ProcessorListener lastScanListener) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(fitters, "fitters");
        Objects.requireNonNull(lastScanListener, "lastScanListener");
        if (scans < 1 || scans > 100) {
            throw new IllegalArgumentException("warm-up scans must be in 1..100, got " + scans);
        }
        long t0 = System.nanoTime();
        long frames = 0;
        long points = 0;
        long snapshots = 0;
        long problems = 0;
        ElementPreset preset = ElementPreset.of(config.element());
        for (int s = 0; s < scans; s++) {
            int side = scans > 1 && s == scans - 1 ? LAST_SIDE : SIDE;
            // live maps after every point, and from a 2x2-binned stack (the live path of large detectors) unless off
            ProcessorConfig live = config.withMapsIntervalMs(0)
                    .withLiveMapsMaxSide(config.liveMapsMaxSide() == 0 ? 0 : side / 2);
            ProcessorListener listener = s == scans - 1 ? lastScanListener : DISCARD;
            try (XanesProcessor p = new XanesProcessor(live, fitters, listener,
                    (timeout, unit) -> null, System::currentTimeMillis)) {
                Scene scene = new Scene(preset, side);
                scene.stream(p, "warm-up-" + s, s);
                frames += scene.frames();
                points += p.stats().energyPoints();
                snapshots += p.stats().mapsSnapshots();
                problems += p.stats().framesRejected() + p.stats().processingErrors()
                        + p.stats().pointsWithoutFlat();
            }
        }
        return new Result(scans, frames, points, snapshots, problems, System.nanoTime() - t0);
    }

    /** The synthetic detector: one reusable frame per kind, pixels rewritten per energy. */
    private static final class Scene {
        private final ElementPreset preset;
        private final int side;
        private final double[] energies;
        private final float[] thickness;
        private final float[] phase;
        private final float[] flatGain;
        private final SplittableRandom random = new SplittableRandom(20261126L);
        private long frameNumber;

        Scene(ElementPreset preset, int side) {
            this.preset = preset;
            this.side = side;
            this.energies = grid(preset);
            thickness = new float[side * side];
            phase = new float[side * side];
            flatGain = new float[side * side];
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int i = y * side + x;
                    flatGain[i] = (float) (1 + 0.1 * Math.sin(x * 0.05) * Math.cos(y * 0.07));
                }
            }
            // a few round particles, half of them of the second phase
            double scale = side / (double) SIDE;
            for (int p = 0; p < 12; p++) {
                double cx = scale * (30 + random.nextDouble() * (SIDE - 60));
                double cy = scale * (30 + random.nextDouble() * (SIDE - 60));
                double r = scale * (8 + random.nextDouble() * 22);
                float ph = (float) (p % 2 == 0 ? 0.2 + 0.2 * random.nextDouble() : 0.6 + 0.3 * random.nextDouble());
                for (int y = (int) Math.max(0, cy - r); y < Math.min(side, cy + r + 1); y++) {
                    for (int x = (int) Math.max(0, cx - r); x < Math.min(side, cx + r + 1); x++) {
                        double d2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (r * r);
                        if (d2 < 1) {
                            int i = y * side + x;
                            thickness[i] = (float) Math.max(thickness[i], Math.sqrt(1 - d2));
                            phase[i] = ph;
                        }
                    }
                }
            }
        }

        /** Pre-edge, dense edge and whiteline, post-edge; the last energy repeats one inside the whiteline window. */
        private static double[] grid(ElementPreset p) {
            double e0 = p.edgeEv();
            double lo = Math.min(p.edgeLoEv(), p.whitelineLoEv());
            double hi = Math.max(p.edgeHiEv(), p.whitelineHiEv());
            int pre = 8;
            int edge = 24;
            int post = 10;
            double[] e = new double[pre + edge + post + 1];
            for (int i = 0; i < pre; i++) {
                e[i] = e0 - 120 + i * 10;
            }
            for (int i = 0; i < edge; i++) {
                e[pre + i] = lo - 2 + i * (hi - lo + 4) / (edge - 1);
            }
            for (int i = 0; i < post; i++) {
                e[pre + edge + i] = e0 + 40 + i * 15;
            }
            e[e.length - 1] = e[pre + edge / 2];
            return e;
        }

        /** Frames streamed so far. */
        long frames() {
            return frameNumber;
        }

        /** Streams one scan: darks, then samples and flats per energy, then end of scan. */
        void stream(XanesProcessor p, String scanId, int scanIndex) {
            Frame f = Frame.unpooled(header(scanId, FrameKind.DARK, 0, energies[0])); // reused: release() of it is a no-op
            for (int k = 0; k < 2; k++) {
                send(p, f, scanId, FrameKind.DARK, energies[0], 0, 0);
            }
            double scale = side / (double) SIDE;
            for (int e = 0; e < energies.length; e++) {
                double dx = scale * 1.5 * Math.sin(0.3 * e + scanIndex);
                double dy = scale * 0.8 * Math.cos(0.2 * e);
                for (int k = 0; k < 2; k++) {
                    send(p, f, scanId, FrameKind.SAMPLE, energies[e], dx, dy);
                }
                for (int k = 0; k < 2; k++) {
                    send(p, f, scanId, FrameKind.FLAT, energies[e], 0, 0);
                }
            }
            p.process(new EndOfScan(SOURCE, scanId));
        }

        private void send(XanesProcessor p, Frame f, String scanId, FrameKind kind, double ev, double dx, double dy) {
            f.reset(header(scanId, kind, ++frameNumber, ev));
            fill(f, kind, ev, dx, dy);
            p.process(f);
        }

        private FrameHeader header(String scanId, FrameKind kind, long number, double ev) {
            return new FrameHeader(SOURCE, scanId, number, kind, ev, side, side, PixelType.UINT16, 0, Map.of());
        }

        /** Counts of one frame: dark offset, flat field, and for a sample the particles' transmission. */
        private void fill(Frame f, FrameKind kind, double ev, double dx, double dy) {
            byte[] px = f.pixels().array();
            boolean dark = kind == FrameKind.DARK;
            double step = 1 / (1 + Math.exp(-(ev - preset.edgeEv()) / 1.5));
            double wl = Math.exp(-Math.pow((ev - 0.5 * (preset.whitelineLoEv() + preset.whitelineHiEv())) / 3, 2));
            for (int y = 0; y < side; y++) {
                int sy = Math.min(side - 1, Math.max(0, (int) Math.round(y - dy)));
                for (int x = 0; x < side; x++) {
                    int i = y * side + x;
                    double counts;
                    if (dark) {
                        counts = 100;
                    } else {
                        double mu = 0;
                        if (kind == FrameKind.SAMPLE) {
                            int sx = Math.min(side - 1, Math.max(0, (int) Math.round(x - dx)));
                            int j = sy * side + sx;
                            double t = thickness[j];
                            double ph = phase[j];
                            mu = t * (0.3 + step * (1.0 + ph * 0.8) + wl * (0.4 - 0.3 * ph) + 0.0005 * (ev - preset.edgeEv()));
                        }
                        counts = 100 + 20_000 * flatGain[i] * Math.exp(-mu);
                    }
                    counts += Math.sqrt(counts) * (random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5) * 2;
                    int v = (int) Math.max(0, Math.min(65_535, Math.round(counts)));
                    px[2 * i] = (byte) v;
                    px[2 * i + 1] = (byte) (v >>> 8);
                }
            }
        }
    }
}
