package org.xanestream.processor.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;
import org.xanestream.processor.RowParallel;
import org.xanestream.processor.drift.DriftConfig;
import org.xanestream.processor.drift.DriftCorrector;
import org.xanestream.processor.drift.PhaseCorrelationDriftEstimator;
import org.xanestream.processor.drift.ShiftApplier;
import org.xanestream.processor.drift.SyntheticScene;
import org.xanestream.processor.fit.ElementPreset;
import org.xanestream.processor.fit.FitSettings;
import org.xanestream.processor.fit.IncrementalXanesFit;
import org.xanestream.processor.fit.XanesFitter;
import org.xanestream.processor.normalize.DarkFlatNormalizer;
import org.xanestream.processor.normalize.FrameAccumulator;
import org.xanestream.processor.spectra.ReferenceSpectra;
import org.xanestream.processor.stack.XanesStack;

/**
 * Per-energy update at 2048×2048: normalize + drift (estimate against the fixed reference, apply) + stack add +
 * fit accumulate (target ≤ 150 ms), and each stage alone; the fit step is either the real
 * {@link IncrementalXanesFit} (Ni preset, NiO and LiNiO2 references, one per trial: the energies of a 100-point scan
 * repeat, each a further sample) or a stand-in with one running sum per pixel. The aligned image comes from a
 * small ring here; the scan session allocates a new one per energy (16 MiB, kept by the stack for the whole scan) —
 * the only per-energy allocation a real session makes. Stack and fitter live for the whole trial, so their
 * per-scan allocations (the fitter's accumulator planes, ~0.7 GB) happen in the setup and {@code -prof gc} shows
 * the steady state (an earlier version created them per iteration, which {@code -prof gc} charged to the few
 * operations of a slow iteration: the "173 MB/op").
 *
 * <pre>
 * mvn -B -q -o -pl processor -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/proc-cp.txt -Dmdep.includeScope=test
 * java --add-modules jdk.incubator.vector -cp processor/target/test-classes:processor/target/classes:ingest/target/classes:$(cat /tmp/proc-cp.txt) \
 *     org.openjdk.jmh.Main 'org.xanestream.processor.bench.*' -prof gc
 * </pre>
 * On a shared machine, {@link EnergyUpdateHarness} reports CPU time and allocation per stage instead of wall time.
 * <pre>
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx6g"})
public class EnergyUpdateBenchmark {
    @Param({"1", "2"})
    public int threads;

    @Param({"1024", "512"})
    public int maxAnalysisSizePx;

    /** {@code fake}: one running sum per pixel; {@code real}: the fit branch's IncrementalXanesFit (Ni preset). */
    @Param({"real", "fake"})
    public String fitter;

    private XanesFitter realFitter;
    private int energyIndex;

    private RowParallel rows;
    private float[] sampleSum;
    private float[] flatMean;
    private float[] darkMean;
    private float[] mu;
    private float[][] ring;
    private int next;
    private DarkFlatNormalizer normalizer;
    private DriftCorrector drift;
    private PhaseCorrelationDriftEstimator estimator;
    private ShiftApplier applier;
    private XanesStack stack;
    private float[] fitSum;

    @Setup(Level.Trial)
    public void setUp() {
        int w = BenchData.W;
        int h = BenchData.H;
        rows = new RowParallel(threads);
        SyntheticScene scene = new SyntheticScene(w, h, 60, 3);
        FrameAccumulator samples = new FrameAccumulator(w, h, rows);
        FrameHeader hd = new FrameHeader("bench", "scan", 1, FrameKind.SAMPLE, 8333, w, h, PixelType.UINT16, 0, Map.of());
        float[] ref = new float[w * h];
        normalizer = new DarkFlatNormalizer(rows);
        flatMean = new float[w * h];
        darkMean = new float[w * h];
        java.util.Arrays.fill(flatMean, 20_100);
        java.util.Arrays.fill(darkMean, 100);
        Frame f = Frame.unpooled(hd);
        System.arraycopy(BenchData.sampleBytes(scene, 0, 0, 1), 0, f.pixels().array(), 0, w * h * 2);
        samples.add(f);
        normalizer.normalize(samples.sum(), 1, flatMean, darkMean, null, ref, w, h);
        samples.clear();
        System.arraycopy(BenchData.sampleBytes(scene, 1.3, -0.7, 2), 0, f.pixels().array(), 0, w * h * 2);
        for (int i = 0; i < 5; i++) {
            samples.add(f);
        }
        sampleSum = samples.sum().clone();
        mu = new float[w * h];
        normalizer.normalize(sampleSum, 5, flatMean, darkMean, null, mu, w, h);
        ring = new float[4][w * h];
        DriftConfig cfg = DriftConfig.defaults().withGuard(1e6, 0);
        cfg = new DriftConfig(cfg.enabled(), cfg.referenceMode(), cfg.window(), cfg.tukeyAlpha(), cfg.gradientFilter(),
                0, maxAnalysisSizePx, 0, 0, 0, 0, cfg.resolutionPx(), cfg.maxJumpPx(), cfg.minConfidence(), false);
        drift = new DriftCorrector(w, h, cfg, rows, null);
        drift.correct(ref, ring[0]);
        estimator = new PhaseCorrelationDriftEstimator(w, h, cfg, rows);
        estimator.setReference(ref);
        applier = new ShiftApplier(rows);
        fitSum = new float[w * h];
        stack = new XanesStack(w, h, rows);
        realFitter = "real".equals(fitter)
                ? new IncrementalXanesFit(FitSettings.defaults(ElementPreset.of("Ni")).withReferences(
                        List.of(ReferenceSpectra.builtin("NiO"), ReferenceSpectra.builtin("LiNiO2"))), w, h, rows)
                : null;
        if (realFitter != null) {
            // a first pass over the scan allocates every accumulator plane before the measurement
            for (double e : SCAN) {
                realFitter.addEnergy(e, ring[0]);
            }
        }
    }

    /** A Ni K-edge scan grid (20 pre-edge, 50 edge, 30 post-edge energies), repeated. */
    private double nextEnergyEv() {
        return SCAN[energyIndex++ % SCAN.length];
    }

    private static final double[] SCAN = EnergyUpdateHarness.scanEnergies(100);

    @TearDown(Level.Trial)
    public void tearDown() {
        rows.close();
    }

    private float[] nextAligned() {
        float[] a = ring[next];
        next = (next + 1) % ring.length;
        return a;
    }

    /** The whole per-energy update. */
    @Benchmark
    public double energyUpdate() {
        normalizer.normalize(sampleSum, 5, flatMean, darkMean, null, mu, BenchData.W, BenchData.H);
        float[] aligned = nextAligned();
        DriftCorrector.Correction c = drift.correct(mu, aligned);
        double e = nextEnergyEv();
        double mean = stack.add(e, aligned);
        if (realFitter != null) {
            realFitter.addEnergy(e, aligned);
        } else {
            accumulateFit(aligned);
        }
        return mean + c.dxPx();
    }

    @Benchmark
    public float[] normalizeOnly() {
        normalizer.normalize(sampleSum, 5, flatMean, darkMean, null, mu, BenchData.W, BenchData.H);
        return mu;
    }

    @Benchmark
    public double driftEstimateOnly() {
        return estimator.estimate(mu).dxPx();
    }

    @Benchmark
    public float[] shiftApplyOnly() {
        float[] aligned = nextAligned();
        applier.apply(mu, BenchData.W, BenchData.H, 1.3, -0.7, aligned);
        return aligned;
    }

    /** Stand-in for the fitter's accumulators: one running sum per pixel. */
    private void accumulateFit(float[] img) {
        float[] s = fitSum;
        for (int i = 0; i < img.length; i++) {
            float v = img[i];
            if (v == v) {
                s[i] += v;
            }
        }
    }
}
