package org.xanestream.processor.fit.bench;

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
import org.xanestream.processor.fit.FitBuffers;
import org.xanestream.processor.fit.FitSettings;
import org.xanestream.processor.fit.IncrementalXanesFit;
import org.xanestream.processor.spectra.ReferenceSpectrum;

/**
 * Cost of the incremental fits on a 2048×2048 Ni scan of 100 energies with two LCF references
 * (quadratic whiteline): one energy's accumulator update, one maps snapshot, and a full refit of the
 * stack (all energies + snapshot in one pass; spectra/s = 2048² / time); each with the arrays reused as in the
 * processor, and with fresh arrays.
 *
 * <p>Run from the repository root (see the fit section of the closing report for figures):
 * <pre>
 * mvn -q -pl processor -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp processor/target/test-classes:processor/target/classes:$(cat /tmp/cp.txt) org.openjdk.jmh.Main \
 *   FitBenchmark -f 1 -wi 3 -i 5 -prof gc -jvmArgs '-Xmx10g --add-modules jdk.incubator.vector'
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FitBenchmark {

    /** The synthetic stack and settings, built once per fork. */
    @State(Scope.Benchmark)
    public static class Stack {
        @Param("2048")
        public int size;

        @Param("100")
        public int energies;

        /** Threads of the row pool (the processor's pool is sized to the cores). */
        @Param("2")
        public int threads;

        RowParallel rows;
        /** Shared by the refits, as the processor's buffers are by its fits. */
        FitBuffers buffers;
        FitSettings settings;
        double[] energyEv;
        float[][] images;

        @Setup(Level.Trial)
        public void build() {
            rows = new RowParallel(threads);
            buffers = new FitBuffers(FitBuffers.DEFAULT_MAX_BYTES);
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
            images = new float[energies][pixels];
            for (int t = 0; t < energies; t++) {
                float a = (float) refs.get(0).valueAt(energyEv[t]);
                float b = (float) refs.get(1).valueAt(energyEv[t]);
                int off = rnd.nextInt(noise.length);
                float[] img = images[t];
                for (int i = 0; i < pixels; i++) {
                    // fraction varies along x; every fourth band of 16 rows is background (no absorber)
                    float f = (i % size) / (float) size;
                    float thickness = (i / size) % 64 < 48 ? 1.0f : 0f;
                    img[i] = thickness * (f * a + (1 - f) * b) + 0.1f + noise[(i + off) & (noise.length - 1)];
                }
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            rows.close();
        }
    }

    /** A fitter that already holds the whole stack. */
    @State(Scope.Benchmark)
    public static class Filled {
        IncrementalXanesFit fit;

        @Setup(Level.Trial)
        public void fill(Stack s) {
            fit = new IncrementalXanesFit(s.settings, s.size, s.size, s.rows);
            fit.addEnergies(s.energyEv, s.images);
        }
    }

    /** Ni scan: 20 % pre-edge, 50 % over edge and whiteline, 30 % post-edge energies. */
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

    /**
     * One more pre-edge energy image (a repeat measurement): pre-edge line + LCF planes (3 + 5) of a
     * fitter holding the stack. Energies of the pre-edge window touch the fewest planes after the
     * whiteline ones.
     */
    @Benchmark
    public void addEnergyPreEdge(Stack s, Filled f) {
        f.fit.addEnergy(s.energyEv[1], s.images[1]);
    }

    /** One more whiteline-window energy image: whiteline polynomial + LCF planes (4 + 5). */
    @Benchmark
    public void addEnergyWhiteline(Stack s, Filled f) {
        int t = s.energies / 5 + s.energies / 4;
        f.fit.addEnergy(s.energyEv[t], s.images[t]);
    }

    /**
     * All maps and their summaries of a fitter holding the stack, released when done as the processor and the
     * Kafka publisher release live maps: the next snapshot reuses the arrays.
     */
    @Benchmark
    public MapsSnapshot snapshot(Filled f) {
        MapsSnapshot maps = f.fit.snapshot("bench", false, 0);
        maps.release();
        return maps;
    }

    /** {@link #snapshot} kept (never released): new map arrays every time, zeroed by the JVM, then garbage. */
    @Benchmark
    public MapsSnapshot snapshotFreshArrays(Filled f) {
        return f.fit.snapshot("bench", false, 0);
    }

    /**
     * Accumulate the whole stack into a new fitter and compute the maps, in one pass over the pixels; then close the
     * fitter and release the maps, as the processor does with a scan's fitter and the publisher with live maps: the
     * next refit reuses the planes and map arrays (the steady state of an operando series of scans).
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    public MapsSnapshot fullRefit(Stack s) {
        IncrementalXanesFit fit = new IncrementalXanesFit(s.settings, s.size, s.size, s.rows, s.buffers);
        MapsSnapshot maps = fit.addEnergiesAndSnapshot(s.energyEv, s.images, "bench", false, 0);
        fit.close();
        maps.release();
        return maps;
    }

    /** {@link #fullRefit} as two calls: accumulate the whole stack, then a snapshot reading the planes back. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    public MapsSnapshot fullRefitTwoCalls(Stack s) {
        IncrementalXanesFit fit = new IncrementalXanesFit(s.settings, s.size, s.size, s.rows, s.buffers);
        fit.addEnergies(s.energyEv, s.images);
        MapsSnapshot maps = fit.snapshot("bench", false, 0);
        fit.close();
        maps.release();
        return maps;
    }

    /** {@link #fullRefit} with new planes and map arrays every time (zeroed by the JVM, then garbage). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    public MapsSnapshot fullRefitFreshArrays(Stack s) {
        IncrementalXanesFit fit = new IncrementalXanesFit(s.settings, s.size, s.size, s.rows);
        return fit.addEnergiesAndSnapshot(s.energyEv, s.images, "bench", true, 0);
    }
}
