package org.xanestream.ingest.codec;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * A test-scope harness beside {@link BitshuffleLz4Benchmark} for busy machines: it runs the same
 * benchmark methods and reports MiB/s of decoded pixels per <em>thread CPU time</em> as well as per
 * wall time, so a machine shared with other work still gives a meaningful single-core figure (wall
 * time counts the time the thread waited for a core).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp <test classpath>
 * org.xanestream.ingest.codec.BitshuffleLz4Throughput [rounds]}.
 */
public final class BitshuffleLz4Throughput {
    private BitshuffleLz4Throughput() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        BitshuffleLz4Benchmark b = new BitshuffleLz4Benchmark();
        b.meanCounts = 20000;
        b.setUp();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String[] names = {"decode", "lz4Only", "unshuffleOnly", "unshuffleScalarOnly"};
        int frames = 50;
        for (int round = 0; round < rounds; round++) {
            for (String name : names) {
                long cpu0 = threads.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                for (int i = 0; i < frames; i++) {
                    switch (name) {
                        case "decode": b.decode(); break;
                        case "lz4Only": b.lz4Only(); break;
                        case "unshuffleOnly": b.unshuffleOnly(); break;
                        default: b.unshuffleScalarOnly(); break;
                    }
                }
                double mib = frames * 8.0;
                double cpuS = (threads.getCurrentThreadCpuTime() - cpu0) * 1e-9;
                double wallS = (System.nanoTime() - wall0) * 1e-9;
                System.out.printf("round %d %-20s %7.0f MiB/s per CPU second  %7.0f MiB/s wall%n", round, name,
                        mib / cpuS, mib / wallS);
            }
        }
    }
}
