package org.xanestream.simulators.bench;

import java.time.Clock;
import java.util.Locale;
import org.xanestream.simulators.SimulatorConfig;
import org.xanestream.simulators.StreamOptions;
import org.xanestream.simulators.StreamStats;
import org.xanestream.simulators.XanesSimulator;
import org.xanestream.simulators.acquisition.EnergyGrid;
import org.xanestream.simulators.sink.CountingFrameSink;

/**
 * Throughput harness (test scope, not a unit test): frames generated per second at a given size into a
 * counting sink, i.e. the generator alone (per-energy preparation included, no transport).
 *
 * <pre>
 * args: [size=2048] [threads=0 (all cores)] [energies=20] [repeats=3]
 * </pre>
 * The default FXI sequence is used with a shortened energy grid (chunk 5: 10 frames per energy).
 * Besides wall-clock frames/s it prints the process CPU time per frame, which on a shared machine
 * says more than the wall clock: {@code cores / cpu-per-frame} is the rate the generator reaches
 * when it has those cores to itself.
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -B -q -pl simulators -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java --add-modules jdk.incubator.vector -Xmx4g -cp simulators/target/classes:simulators/target/test-classes:$(cat simulators/target/cp.txt) \
 *     org.xanestream.simulators.bench.SimulatorThroughput 2048 2 20 3
 * </pre>
 */
public final class SimulatorThroughput {
    private SimulatorThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int energies = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        SimulatorConfig cfg = SimulatorConfig.defaults().withSize(size, size).withThreads(threads)
                .withPixelSizeUm(0.04 * 1024 / size)
                .withEnergies(EnergyGrid.parse("-10:" + (energies - 11) + ":1", true));
        long b0 = System.nanoTime();
        try (XanesSimulator sim = XanesSimulator.create(cfg)) {
            System.out.printf(Locale.ROOT, "build: %.2f s (%dx%d, %d energies, %d frames per scan, threads %s)%n",
                    (System.nanoTime() - b0) / 1e9, size, size, sim.plan().energies(), sim.plan().framesPerScan(),
                    threads == 0 ? "all " + Runtime.getRuntime().availableProcessors() : threads);
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            int cores = sim.rows().threads();
            for (int r = 0; r < repeats; r++) {
                CountingFrameSink sink = new CountingFrameSink();
                long cpu0 = os.getProcessCpuTime();
                StreamStats s = sim.stream(sink, StreamOptions.quiet(Clock.systemUTC()));
                double cpuPerFrameMs = (os.getProcessCpuTime() - cpu0) / 1e6 / s.frames();
                System.out.printf(Locale.ROOT, "run %d: %d frames in %.2f s = %.1f frames/s (%.2f GB/s); "
                                + "CPU %.2f ms/frame -> %.0f frames/s on %d dedicated core(s); checksum %x%n",
                        r + 1, s.frames(), s.elapsedS(), s.framesPerSecond(), s.bytes() / s.elapsedS() / 1e9,
                        cpuPerFrameMs, cores * 1000 / cpuPerFrameMs, cores, sink.checksum());
            }
        }
    }
}
