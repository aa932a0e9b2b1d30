package org.xanestream.processor.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.ProcessorListener;
import org.xanestream.processor.RowParallel;
import org.xanestream.processor.drift.DriftConfig;
import org.xanestream.processor.drift.DriftCorrector;
import org.xanestream.processor.drift.PhaseCorrelationDriftEstimator;
import org.xanestream.processor.drift.ShiftApplier;
import org.xanestream.processor.drift.SyntheticScene;
import org.xanestream.processor.fit.ElementPreset;
import org.xanestream.processor.fit.FitSettings;
import org.xanestream.processor.fit.IncrementalXanesFit;
import org.xanestream.processor.normalize.DarkFlatNormalizer;
import org.xanestream.processor.normalize.FrameAccumulator;
import org.xanestream.processor.session.ProcessorConfig;
import org.xanestream.processor.session.XanesProcessor;
import org.xanestream.processor.spectra.ReferenceSpectra;
import org.xanestream.processor.stack.XanesStack;

/**
 * Load-robust cost of the per-frame and per-energy paths at 2048×2048: CPU time and allocated bytes summed
 * over all JVM threads ({@link CpuMeter}) per operation, beside the best wall time. On a shared machine the wall
 * time is inflated by waiting for a core, CPU time is not (with 2 row threads it adds both cores' work, so
 * CPU/threads is a lower bound of the wall time on an idle machine).
 *
 * <p>Stages: frame accumulation (uint16), normalize, drift estimate, shift apply, stack add, fit accumulate
 * (real {@link IncrementalXanesFit}, Ni preset, NiO + LiNiO2 references, a 100-energy scan), the whole energy
 * update, a maps snapshot after the scan, and the whole processor per energy point (frames in, point out).
 *
 * <pre>
 * mvn -B -q -o -pl processor -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/proc-cp.txt -Dmdep.includeScope=test
 * java --add-modules jdk.incubator.vector -Xmx12g -cp processor/target/test-classes:processor/target/classes:ingest/target/classes:$(cat /tmp/proc-cp.txt) \
 *     org.xanestream.processor.bench.EnergyUpdateHarness [threads=1] [reps=10] [only=&lt;stage name prefix&gt;]
 * </pre>
 */
public final class EnergyUpdateHarness {
    private static final int W = BenchData.W;
    private static final int H = BenchData.H;

    private final CpuMeter meter = new CpuMeter();
    private final int reps;
    private final String only;

    private EnergyUpdateHarness(int reps, String only) {
        this.reps = reps;
        this.only = only;
    }

    interface Op {
        void run(int i);
    }

    private boolean wants(String stage) {
        return only == null || stage.startsWith(only) || only.startsWith(stage);
    }

    private void measure(String name, int warmup, Op op) {
        if (!wants(name)) {
            return;
        }
        for (int i = 0; i < warmup; i++) {
            op.run(i);
        }
        long bestWall = Long.MAX_VALUE;
        long cpu = 0;
        long alloc = 0;
        for (int i = 0; i < reps; i++) {
            meter.start();
            op.run(warmup + i);
            long[] m = meter.stop();
            cpu += m[0];
            alloc += m[1];
            bestWall = Math.min(bestWall, m[2]);
        }
        System.out.printf(Locale.ROOT, "%-28s cpu %8.2f ms/op   alloc %12.0f B/op   best wall %8.2f ms%n", name,
                cpu / 1e6 / reps, (double) alloc / reps, bestWall / 1e6);
    }

    public static void main(String[] args) {
        int threads = 1;
        int reps = 10;
        String only = null;
        for (String a : args) {
            if (a.startsWith("threads=")) {
                threads = Integer.parseInt(a.substring(8));
            } else if (a.startsWith("reps=")) {
                reps = Integer.parseInt(a.substring(5));
            } else if (a.startsWith("only=")) {
                only = a.substring(5);
            }
        }
        System.out.println("2048x2048, threads=" + threads + ", reps=" + reps);
        new EnergyUpdateHarness(reps, only).run(threads);
        System.exit(0);
    }

    private void run(int threads) {
        RowParallel rows = new RowParallel(threads);
        SyntheticScene scene = new SyntheticScene(W, H, 60, 3);
        FrameHeader hd = new FrameHeader("bench", "scan", 1, FrameKind.SAMPLE, 8333, W, H, PixelType.UINT16, 0,
                Map.of());
        Frame frame = Frame.unpooled(hd);
        System.arraycopy(BenchData.sampleBytes(scene, 0, 0, 1), 0, frame.pixels().array(), 0, W * H * 2);
        FrameAccumulator samples = new FrameAccumulator(W, H, rows);
        float[] flat = new float[W * H];
        float[] dark = new float[W * H];
        Arrays.fill(flat, 20_100);
        Arrays.fill(dark, 100);
        DarkFlatNormalizer normalizer = new DarkFlatNormalizer(rows);
        float[] ref = new float[W * H];
        samples.add(frame);
        normalizer.normalize(samples.sum(), 1, flat, dark, null, ref, W, H);
        samples.clear();
        System.arraycopy(BenchData.sampleBytes(scene, 1.3, -0.7, 2), 0, frame.pixels().array(), 0, W * H * 2);

        measure("accumulate frame (uint16)", 20, i -> {
            if (samples.frames() >= 200) {
                samples.clear();
            }
            samples.add(frame);
        });
        samples.clear();
        for (int i = 0; i < 5; i++) {
            samples.add(frame);
        }
        float[] sampleSum = samples.sum().clone();
        float[] mu = new float[W * H];
        normalizer.normalize(sampleSum, 5, flat, dark, null, mu, W, H);
        measure("normalize", 15, i -> normalizer.normalize(sampleSum, 5, flat, dark, null, mu, W, H));

        DriftConfig cfg = DriftConfig.defaults().withGuard(1e6, 0).withCrossScan(false);
        PhaseCorrelationDriftEstimator estimator = new PhaseCorrelationDriftEstimator(W, H, cfg, rows);
        estimator.setReference(ref);
        double[] sink = new double[1];
        measure("drift estimate (bin " + estimator.bin() + ")", 15, i -> sink[0] += estimator.estimate(mu).dxPx());
        System.out.printf(Locale.ROOT, "  estimate: %s, grid searches %d%n", estimator.estimate(mu), estimator.gridSearches());

        float[][] ring = new float[4][W * H];
        ShiftApplier applier = new ShiftApplier(rows);
        measure("shift apply", 15, i -> applier.apply(mu, W, H, 1.3, -0.7, ring[i % 4]));
        // the later stages use these aligned images whichever stages are measured (only=...)
        for (float[] aligned : ring) {
            applier.apply(mu, W, H, 1.3, -0.7, aligned);
        }

        XanesStack[] stack = {new XanesStack(W, H, rows)};
        measure("stack add", 15, i -> {
            if (stack[0].size() >= 100) {
                stack[0] = new XanesStack(W, H, rows);
            }
            stack[0].add(8250 + i, ring[i % 4]);
        });

        FitSettings fit = FitSettings.defaults(ElementPreset.of("Ni"))
                .withReferences(List.of(ReferenceSpectra.builtin("NiO"), ReferenceSpectra.builtin("LiNiO2")));
        double[] scan = scanEnergies(100);
        IncrementalXanesFit[] fitter = {new IncrementalXanesFit(fit, W, H, rows)};
        if (!wants("fit") && !wants("energy")) {
            rows.close();
            session(threads, fit, scan, frame);
            return;
        }
        // The first scan allocates the accumulator planes (once per scan, counted here separately).
        CpuMeter scanMeter = new CpuMeter();
        scanMeter.start();
        for (int e = 0; e < scan.length; e++) {
            fitter[0].addEnergy(scan[e], ring[e % 4]);
        }
        long[] first = scanMeter.stop();
        System.out.printf(Locale.ROOT, "fit: first scan of %d energies cpu %.0f ms, alloc %.0f MB (planes)%n",
                scan.length, first[0] / 1e6, first[1] / 1e6);
        // eight warm-up snapshots: the snapshot's dozen vector kernels reach C2 only 2-3 s after their first
        // call on 2 busy cores, and C1 code boxes every vector (0.3-0.5 GB per snapshot); with one warm-up
        // that leaked into the average of 15 repetitions
        measure("fit snapshot (100 energies)", 8, i -> sink[0] += fitter[0].snapshot("s", false, 0).version());
        int[] energy = {0};
        Op fitAdd = i -> {
            if (energy[0] == scan.length) {
                fitter[0] = new IncrementalXanesFit(fit, W, H, rows);
                energy[0] = 0;
            }
            fitter[0].addEnergy(scan[energy[0]], ring[energy[0] % 4]);
            energy[0]++;
        };
        measure("fit addEnergy (steady)", 5, fitAdd);

        DriftCorrector drift = new DriftCorrector(W, H, cfg, rows, null);
        drift.correct(ref, ring[0]);
        XanesStack[] stack2 = {new XanesStack(W, H, rows)};
        measure("energy update (real fit)", 5, i -> {
            normalizer.normalize(sampleSum, 5, flat, dark, null, mu, W, H);
            float[] aligned = ring[i % 4];
            drift.correct(mu, aligned);
            if (stack2[0].size() >= 100) {
                stack2[0] = new XanesStack(W, H, rows);
            }
            stack2[0].add(8250 + i, aligned);
            fitAdd.run(i);
        });
        MapsSnapshot last = fitter[0].snapshot("s", true, 0);
        System.out.println("maps: " + last.maps().keySet());
        fitter[0] = null;
        rows.close();
        session(threads, fit, scan, frame);
    }

    /**
     * The processor as deployed: per energy 5 sample and 5 flat frames through {@link XanesProcessor#process}, which
     * completes the previous energy point (normalize, flat bank, drift, stack, real fit) on the first frame of the next.
     */
    private void session(int threads, FitSettings fit, double[] scan, Frame sample) {
        if (!wants("session")) {
            return;
        }
        byte[] flatBytes = new byte[W * H * 2];
        byte[] darkBytes = new byte[W * H * 2];
        for (int i = 0; i < W * H; i++) {
            flatBytes[2 * i] = (byte) 20_100;
            flatBytes[2 * i + 1] = (byte) (20_100 >>> 8);
            darkBytes[2 * i] = 100;
        }
        Frame flat = Frame.unpooled(header(FrameKind.FLAT, scan[0]));
        System.arraycopy(flatBytes, 0, flat.pixels().array(), 0, flatBytes.length);
        Frame dark = Frame.unpooled(header(FrameKind.DARK, scan[0]));
        System.arraycopy(darkBytes, 0, dark.pixels().array(), 0, darkBytes.length);
        ProcessorConfig pc = ProcessorConfig.defaults().withThreads(threads).withMapsIntervalMs(3_600_000);
        RowParallel fitRows = new RowParallel(threads);
        try (XanesProcessor p = new XanesProcessor(pc, info -> new IncrementalXanesFit(fit, info.width(), info.height(), fitRows),
                new ProcessorListener() { }, (timeout, unit) -> null, System::currentTimeMillis)) {
            for (int k = 0; k < 5; k++) {
                p.process(dark);
            }
            measure("session: 5 samples + 5 flats + point", 110, i -> {
                double e = scan[i % scan.length];
                sample.reset(header(FrameKind.SAMPLE, e));
                for (int k = 0; k < 5; k++) {
                    p.process(sample);
                }
                flat.reset(header(FrameKind.FLAT, e));
                for (int k = 0; k < 5; k++) {
                    p.process(flat);
                }
            });
            System.out.printf(Locale.ROOT, "  processor: %d points, %d drift estimates, %d errors%n",
                    p.stats().energyPoints(), p.stats().driftEstimates(), p.stats().processingErrors());
        }
        fitRows.close();
    }

    private static FrameHeader header(FrameKind kind, double energyEv) {
        return new FrameHeader("bench", "scan", 1, kind, energyEv, W, H, PixelType.UINT16, 0, Map.of());
    }

    /** Ni scan: 20 pre-edge, 50 over edge and whiteline, 30 post-edge energies (for 100). */
    static double[] scanEnergies(int n) {
        double[] e = new double[n];
        int pre = n / 5;
        int edge = n / 2;
        int post = n - pre - edge;
        for (int i = 0; i < pre; i++) {
            e[i] = 8200 + i * (95.0 / pre);
        }
        for (int i = 0; i < edge; i++) {
            e[pre + i] = 8335 + i * (30.0 / edge);
        }
        for (int i = 0; i < post; i++) {
            e[pre + edge + i] = 8400 + i * (200.0 / post);
        }
        return e;
    }
}
