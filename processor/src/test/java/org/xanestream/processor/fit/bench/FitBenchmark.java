package org.xanestream.processor.fit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.RowParallel;
import org.xanestream.processor.fit.ElementPreset;
import org.xanestream.processor.fit.FitSettings;
import org.xanestream.processor.fit.IncrementalXanesFit;
import org.xanestream.processor.spectra.ReferenceSpectrum;

/**
 * Cost of the incremental fits on a 2048×2048 Ni scan of 100 energies with two LCF references
 * (quadratic whiteline): one energy's accumulator update, one maps snapshot, and a full refit of the
 * stack (all energies + snapshot; spectra/s = 2048² / time).
 *
 * <p>Run (from the repository root, after {@code mvn -q -pl processor -am test-compile}):
 * see {@code processor/src/test/java/org/xanestream/processor/fit/bench/README.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FitBenchmark {
    @Param("2048")
    public int size;

    @Param("100")
    public int energies;

    /** Threads of the row pool (the processor's pool is sized to the cores). */
    @Param("2")
    public int threads;

    private RowParallel rows;
    private FitSettings settings;
    private double[] energyEv;
    private float[][] stack;
    private IncrementalXanesFit filled;
    private IncrementalXanesFit fresh;

    /** Ni scan: 20 pre-edge, 50 over edge and whiteline, 30 post-edge energies (for 100). */
    static double[] scan(int n) {
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

    private static ReferenceSpectrum reference(String name, double edgeEv, double whitelineEv) {
        double[] e = new double[801];
        double[] mu = new double[801];
        for (int i = 0; i < e.length; i++) {
            e[i] = 8200 + i;
            mu[i] = 0.5 + Math.atan((e[i] - edgeEv) / 2) / Math.PI
                    + 0.5 * Math.exp(-0.5 * (e[i] - whitelineEv) * (e[i] - whitelineEv) / 9);
        }
        return new ReferenceSpectrum(name, e, mu, true, "synthetic");
    }

    @Setup(Level.Trial)
    public void setUp() {
        rows = new RowParallel(threads);
        ElementPreset ni = ElementPreset.of("Ni");
        List<ReferenceSpectrum> refs = List.of(reference("A", 8342.5, 8347.5), reference("B", 8347, 8349.5));
        settings = FitSettings.defaults(ni).withReferences(refs);
        energyEv = scan(energies);
        int pixels = size * size;
        Random rnd = new Random(1);
        float[] noise = new float[1 << 20];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (0.01 * rnd.nextGaussian());
        }
        float[] fraction = new float[pixels];
        float[] thickness = new float[pixels];
        for (int i = 0; i < pixels; i++) {
            fraction[i] = (float) ((i % size) / (double) size);
            thickness[i] = (i / size) % 64 < 48 ? 1.0f : 0f;
        }
        stack = new float[energies][pixels];
        for (int t = 0; t < energies; t++) {
            float a = (float) refs.get(0).valueAt(energyEv[t]);
            float b = (float) refs.get(1).valueAt(energyEv[t]);
            int off = rnd.nextInt(noise.length);
            float[] img = stack[t];
            for (int i = 0; i < pixels; i++) {
                img[i] = thickness[i] * (fraction[i] * a + (1 - fraction[i]) * b) + 0.1f
                        + noise[(i + off) & (noise.length - 1)];
            }
        }
        filled = new IncrementalXanesFit(settings, size, size, rows);
        filled.addEnergies(energyEv, stack);
    }

    @Setup(Level.Iteration)
    public void freshFitter() {
        fresh = null;
        System.gc();
        fresh = new IncrementalXanesFit(settings, size, size, rows);
        // a few energies of each region first, so accumulator planes exist and the widening bands retired
        fresh.addEnergies(java.util.Arrays.copyOf(energyEv, 3), java.util.Arrays.copyOf(stack, 3));
        fresh.addEnergies(new double[] {energyEv[energies - 1], energyEv[energies - 2], energyEv[energies - 3],
                energyEv[energies / 2]}, new float[][] {stack[energies - 1], stack[energies - 2],
                        stack[energies - 3], stack[energies / 2]});
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rows.close();
    }

    /** One pre-edge energy image: pre-edge line + LCF planes (8 planes). */
    @Benchmark
    public void addEnergyPreEdge() {
        fresh.addEnergy(energyEv[1], stack[1]);
    }

    /** One whiteline-window energy image: whiteline polynomial + LCF planes (9 planes). */
    @Benchmark
    public void addEnergyWhiteline() {
        int t = energies / 5 + energies / 4;
        fresh.addEnergy(energyEv[t], stack[t]);
    }

    /** All maps and their summaries after 100 energies. */
    @Benchmark
    public MapsSnapshot snapshot() {
        return filled.snapshot("bench", false, 0);
    }

    /** Accumulate a whole 100-energy stack into a new fitter and compute the maps. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    public MapsSnapshot fullRefit() {
        IncrementalXanesFit fit = new IncrementalXanesFit(settings, size, size, rows);
        fit.addEnergies(energyEv, stack);
        return fit.snapshot("bench", true, 0);
    }
}
