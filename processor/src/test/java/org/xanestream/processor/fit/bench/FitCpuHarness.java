package org.xanestream.processor.fit.bench;

import java.lang.management.ManagementFactory;

import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.fit.IncrementalXanesFit;

/**
 * Companion of {@link FitBenchmark} for shared, busy machines: reports the process CPU time per
 * operation (all threads), which other processes do not inflate the way they inflate wall time. On an
 * idle machine with T cores and good scaling, wall time ≈ CPU time / T.
 *
 * <p>Usage: {@code FitCpuHarness [size=2048] [energies=100] [threads=2] [repeats=5]} (test classpath, with
 * {@code --add-modules jdk.incubator.vector} and {@code -Xmx10g}).
 */
public final class FitCpuHarness {
    private FitCpuHarness() {
    }

    public static void main(String[] args) {
        FitBenchmark.Stack s = new FitBenchmark.Stack();
        s.size = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        s.energies = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        s.threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        s.build();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        FitBenchmark.Filled f = new FitBenchmark.Filled();
        f.fill(s);
        int wl = s.energies / 5 + s.energies / 4;
        for (int r = 0; r < repeats + 2; r++) {
            boolean warm = r < 2;
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (int k = 0; k < 10; k++) {
                f.fit.addEnergy(s.energyEv[wl], s.images[wl]);
            }
            long c1 = os.getProcessCpuTime();
            long t1 = System.nanoTime();
            MapsSnapshot snap = f.fit.snapshot("cpu", false, 0);
            snap.release();
            long c2 = os.getProcessCpuTime();
            long t2 = System.nanoTime();
            // arrays reused as in the processor (see FitBenchmark.fullRefit)
            IncrementalXanesFit fit = new IncrementalXanesFit(s.settings, s.size, s.size, s.rows, s.buffers);
            MapsSnapshot refit = fit.addEnergiesAndSnapshot(s.energyEv, s.images, "cpu", false, 0);
            fit.close();
            refit.release();
            long c3 = os.getProcessCpuTime();
            long t3 = System.nanoTime();
            IncrementalXanesFit fresh = new IncrementalXanesFit(s.settings, s.size, s.size, s.rows);
            MapsSnapshot cold = fresh.addEnergiesAndSnapshot(s.energyEv, s.images, "cpu", true, 0);
            long c4 = os.getProcessCpuTime();
            long t4 = System.nanoTime();
            double spectra = (double) s.size * s.size;
            System.out.printf("%s addEnergy(whiteline) cpu %.1f ms (wall %.1f) | snapshot cpu %.1f ms (wall %.1f) | "
                            + "refit cpu %.0f ms (wall %.0f ms, %.2f M spectra/s per CPU-second x %d threads) | "
                            + "refit with fresh arrays cpu %.0f ms (wall %.0f ms) maps %d/%d/%d%n",
                    warm ? "warmup" : "measure", (c1 - c0) / 1e7, (t1 - t0) / 1e7, (c2 - c1) / 1e6, (t2 - t1) / 1e6,
                    (c3 - c2) / 1e6, (t3 - t2) / 1e6, spectra / ((c3 - c2) / 1e9) / 1e6, s.threads,
                    (c4 - c3) / 1e6, (t4 - t3) / 1e6, snap.maps().size(), refit.maps().size(), cold.maps().size());
        }
        s.close();
    }
}
