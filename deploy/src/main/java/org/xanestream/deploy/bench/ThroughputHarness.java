package org.xanestream.deploy.bench;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.xanestream.deploy.Relaunch;
import org.xanestream.deploy.pipeline.Pipeline;
import org.xanestream.deploy.pipeline.PipelineSettings;
import org.xanestream.ingest.zmq.ReceiverStats;
import org.xanestream.processor.session.ProcessorStats;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end throughput harness: the {@code run} pipeline (with its Kafka broker) in this JVM, the frame
 * sender ({@link CachedFrameSender}) in a separate JVM streaming 2048×2048 uint16 frames over
 * tcp://127.0.0.1 as fast as the pipeline takes them (PUSH/PULL with a blocking queue: back-pressure, never
 * drops). Reports the sustained rate from the first frame received to the last energy point processed,
 * every loss counter, and the distribution of energy point complete → maps acknowledged by Kafka.
 *
 * <p>Called from the main thread of {@code xanestream bench}; not thread safe.
 */
public final class ThroughputHarness {
    /** Targets of the issue on the 2-core machine. */
    private static final double TARGET_FPS = 100;
    private static final double TARGET_P99_S = 0.5;

    private ThroughputHarness() {
    }

    /**
     * @param settings  the pipeline (its receiver must bind, e.g. tcp://127.0.0.1:*)
     * @param size      frame side, pixels
     * @param scans     scans to stream
     * @param chunk     samples and flats per energy
     * @param senderXmx heap of the sender JVM, e.g. {@code 2g}
     * @return 0 if every frame arrived and nothing was dropped, 1 otherwise
     */
    public static int run(PipelineSettings settings, int size, int scans, int chunk, String senderXmx, PrintWriter out)
            throws Exception {
        try (Pipeline pipeline = Pipeline.start(settings)) {
            List<String> cmd = Relaunch.javaCommand(List.of("-Xmx" + senderXmx), List.of("bench-sender", "--endpoint",
                    pipeline.receiverEndpoint(), "--size", Integer.toString(size), "--scans", Integer.toString(scans),
                    "--chunk", Integer.toString(chunk)));
            Process sender = new ProcessBuilder(cmd).inheritIO().start();

            ReceiverStats rx = pipeline.receiverStats();
            ProcessorStats proc = pipeline.processorStats();
            Cost atFirstFrame = null;
            Cost atDone;
            while (true) {
                if (atFirstFrame == null && rx.framesReceived() > 0) {
                    atFirstFrame = Cost.now(proc.energyPoints());
                }
                if (proc.scansEnded() >= scans) {
                    atDone = Cost.now(proc.energyPoints());
                    break;
                }
                if (!sender.isAlive() && sender.exitValue() != 0) {
                    out.println("bench: the sender failed with status " + sender.exitValue());
                    return 1;
                }
                if (pipeline.failed()) {
                    out.println("bench: the pipeline failed: " + pipeline.health().problems());
                    return 1;
                }
                Thread.sleep(5);
            }
            if (!sender.waitFor(60, TimeUnit.SECONDS) || sender.exitValue() != 0) {
                out.println("bench: the sender did not finish cleanly");
                return 1;
            }
            boolean idle = pipeline.publisher().awaitIdle(Duration.ofMinutes(2));
            report(pipeline, size, scans, chunk, idle, atFirstFrame == null ? atDone : atFirstFrame, atDone, out);
            return rx.dropped() == 0 && rx.rejectedTotal() == 0 && rx.gapEvents() == 0 && proc.pointsWithoutFlat() == 0
                    && idle ? 0 : 1;
        }
    }

    private static void report(Pipeline p, int size, int scans, int chunk, boolean idle, Cost atT0, Cost atT1,
                               PrintWriter out) {
        ReceiverStats rx = p.receiverStats();
        ProcessorStats proc = p.processorStats();
        long frames = rx.framesReceived();
        double seconds = (atT1.nanos - atT0.nanos) / 1e9;
        double fps = frames / seconds;
        long kafkaLost = p.kafkaRecords("dropped") + p.kafkaRecords("failed");
        out.printf(Locale.ROOT, "xanestream bench: %dx%d uint16, %d scan(s), chunk %d; %d cores, processor threads %d%n",
                size, size, scans, chunk, Runtime.getRuntime().availableProcessors(), p.settings().processor().effectiveThreads());
        out.printf(Locale.ROOT, "  sustained: %d frames in %.2f s = %.1f frames/s (%.2f GB/s), first frame received -> "
                        + "last energy point processed; %d energy points (%.1f/s)%n",
                frames, seconds, fps, frames * 2.0 * size * size / seconds / 1e9, proc.energyPoints(), proc.energyPoints() / seconds);
        out.printf(Locale.ROOT, "  losses: %d dropped, %d rejected, %d frame-number gaps, %d points without flat, "
                        + "%d Kafka records dropped or failed; Kafka idle at the end: %s%n",
                rx.dropped(), rx.rejectedTotal(), rx.gapEvents(), proc.pointsWithoutFlat(), kafkaLost, idle);
        out.printf(Locale.ROOT, "  back-pressure: receiver waited for queue space %d times; frame pool waits %d%n",
                rx.blockedPuts(), frameWaits(p));
        Timer latency = p.metrics().registry().find("xanestream.energy.point").timer();
        double p99 = Double.NaN;
        if (latency != null && latency.count() > 0) {
            HistogramSnapshot h = latency.takeSnapshot();
            StringBuilder sb = new StringBuilder();
            for (ValueAtPercentile v : h.percentileValues()) {
                sb.append(String.format(Locale.ROOT, " p%s=%.0f ms", trim(v.percentile() * 100), v.value(TimeUnit.MILLISECONDS)));
                if (Math.abs(v.percentile() - 0.99) < 1e-9) {
                    p99 = v.value(TimeUnit.SECONDS);
                }
            }
            out.printf(Locale.ROOT, "  energy point complete -> maps acknowledged by Kafka: n=%d%s mean=%.0f ms max=%.0f ms%n",
                    latency.count(), sb, h.mean(TimeUnit.MILLISECONDS), h.max(TimeUnit.MILLISECONDS));
        } else {
            out.println("  energy point complete -> maps acknowledged by Kafka: no samples");
        }
        out.printf(Locale.ROOT, "  last energy update %.0f ms, last maps snapshot %.0f ms; process CPU %.1f s%n",
                proc.lastEnergyUpdateNanos() / 1e6, proc.lastSnapshotNanos() / 1e6, processCpuSeconds());
        costReport(atT0, atT1, seconds, out);
        out.printf(Locale.ROOT, "  targets (2 cores): >= %.0f frames/s %s; p99 <= %.0f ms %s%n", TARGET_FPS,
                fps >= TARGET_FPS ? "MET" : "NOT MET", TARGET_P99_S * 1000, p99 <= TARGET_P99_S ? "MET" : "NOT MET");
        out.flush();
    }

    /**
     * Where the two cores went while the frames streamed (first frame received to last energy point processed):
     * this process's CPU per energy point and as a share of the machine, and its GC pauses as the JVM's
     * collector beans count them (G1: young, mixed and full collections, not remark and cleanup; ZGC and
     * Shenandoah: their pauses, not their concurrent cycles); then that CPU by what the threads do: the
     * pipeline's Java threads by name ({@link #GROUPS}), the JIT compiler and GC threads from {@code /proc}
     * ({@link #jvmThreadCpu}; on Linux), the rest as other. Threads that end while the frames stream are not
     * counted in their group (their CPU lands in other). The sender reports its own CPU on its last line.
     */
    private static void costReport(Cost a, Cost b, double seconds, PrintWriter out) {
        double cpu = b.cpuSeconds - a.cpuSeconds;
        long points = b.points - a.points;
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "  cost while streaming: process CPU %.1f s (%.0f ms per energy point, %.0f %% of %d cores), "
                        + "GC %d pauses, %.0f ms%n", cpu, points > 0 ? cpu * 1000 / points : Double.NaN,
                100 * cpu / (seconds * cores), cores, b.gcCount - a.gcCount, (double) (b.gcMillis - a.gcMillis));
        double[] groupCpu = groupDelta(a.threadCpu, b.threadCpu, GROUPS.length, 1e9);
        StringBuilder sb = new StringBuilder();
        double named = 0;
        for (int g = 0; g < GROUPS.length; g++) {
            double v = groupCpu[g];
            named += v;
            sb.append(String.format(Locale.ROOT, "%s %.1f s (%.0f %%), ", GROUPS[g], v, 100 * v / cpu));
        }
        double[] jvm = groupDelta(a.nativeCpu, b.nativeCpu, 2, USER_HZ);
        double jit = jvm[0];
        double gc = jvm[1];
        double rest = Math.max(0, cpu - named - jit - gc);
        if (b.nativeCpu.isEmpty()) {
            out.printf(Locale.ROOT, "  where the process CPU went: %sother threads, GC and JIT %.1f s (%.0f %%)%n", sb, rest,
                    100 * rest / cpu);
        } else {
            out.printf(Locale.ROOT, "  where the process CPU went: %sJIT compiler %.1f s (%.0f %%), GC threads %.1f s (%.0f %%), "
                    + "other %.1f s (%.0f %%)%n", sb, jit, 100 * jit / cpu, gc, 100 * gc / cpu, rest, 100 * rest / cpu);
        }
    }

    /**
     * CPU seconds per group between two readings of thread id → {group, CPU in units of {@code perSecond}}: per
     * thread its CPU at the end minus at the start (0 if it started in between; threads that ended in between
     * are not counted).
     */
    private static double[] groupDelta(java.util.Map<Long, long[]> a, java.util.Map<Long, long[]> b, int groups,
                                       double perSecond) {
        double[] seconds = new double[groups];
        for (java.util.Map.Entry<Long, long[]> e : b.entrySet()) {
            long[] at1 = e.getValue();
            long[] at0 = a.get(e.getKey());
            seconds[(int) at1[0]] += (at1[1] - (at0 == null ? 0 : at0[1])) / perSecond;
        }
        return seconds;
    }

    /** Clock ticks per second of {@code /proc/PID/task/TID/stat} times (USER_HZ: 100 on Linux). */
    private static final int USER_HZ = 100;

    /**
     * The JVM's own threads, which the thread bean does not list, from Linux's {@code /proc/self/task}: thread
     * id → {0 (JIT compiler: {@code C1/C2 CompilerThre…}) or 1 (GC: {@code GC Thread#…}, {@code G1 …}), CPU
     * ticks}. Empty where there is no {@code /proc}.
     */
    static java.util.Map<Long, long[]> jvmThreadCpu() {
        java.util.Map<Long, long[]> cpu = new java.util.HashMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return cpu;
        }
        for (java.io.File task : tasks) {
            try {
                String comm = java.nio.file.Files.readString(task.toPath().resolve("comm")).trim();
                int g = comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre") ? 0
                        : comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? 1 : -1;
                if (g < 0) {
                    continue;
                }
                String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
                // fields after the command (which may hold spaces): state ppid ... utime (11th) stime (12th)
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                cpu.put(Long.parseLong(task.getName()), new long[] {g, Long.parseLong(f[11]) + Long.parseLong(f[12])});
            } catch (java.io.IOException | RuntimeException e) {
                // the thread ended meanwhile, or an unexpected format: not counted
            }
        }
        return cpu;
    }

    /** What the pipeline's Java threads do, by name (see {@link #group}). */
    static final String[] GROUPS = {"processing", "Kafka", "ZeroMQ"};

    /**
     * The {@link #GROUPS} index of a thread by its name, −1 for none: processing ({@code xanes-processor}, the
     * row pool {@code xanes-rows-N}), Kafka (the publisher, the producer's network thread, the embedded broker's
     * threads: names containing {@code kafka}), ZeroMQ (the receiver {@code zmq-rx …}, JeroMQ's I/O and reaper
     * threads).
     */
    static int group(String threadName) {
        if (threadName.startsWith("xanes-")) {
            return 0;
        }
        if (threadName.contains("kafka")) {
            return 1;
        }
        if (threadName.startsWith("zmq") || threadName.startsWith("iothread") || threadName.startsWith("reaper")) {
            return 2;
        }
        return -1;
    }

    /** The time, process CPU, GC totals and energy points at one moment. */
    private record Cost(long nanos, double cpuSeconds, long gcCount, long gcMillis, long points,
                        java.util.Map<Long, long[]> threadCpu, java.util.Map<Long, long[]> nativeCpu) {
        static Cost now(long points) {
            long count = 0;
            long millis = 0;
            for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                // pauses only: ZGC and Shenandoah also report their concurrent cycles ("... Cycles"), newer G1
                // its concurrent marking ("G1 Concurrent GC")
                String name = gc.getName();
                if (name.contains("Cycles") || name.contains("Concurrent")) {
                    continue;
                }
                count += Math.max(0, gc.getCollectionCount());
                millis += Math.max(0, gc.getCollectionTime());
            }
            // thread id -> {group, CPU ns} of the live Java threads of a group
            java.util.Map<Long, long[]> threadCpu = new java.util.HashMap<>();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            if (threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled()) {
                long[] ids = threads.getAllThreadIds();
                ThreadInfo[] infos = threads.getThreadInfo(ids);
                for (int t = 0; t < ids.length; t++) {
                    int g = infos[t] == null ? -1 : group(infos[t].getThreadName());
                    long ns = g < 0 ? -1 : threads.getThreadCpuTime(ids[t]);
                    if (ns >= 0) {
                        threadCpu.put(ids[t], new long[] {g, ns});
                    }
                }
            }
            return new Cost(System.nanoTime(), processCpuSeconds(), count, millis, points, threadCpu, jvmThreadCpu());
        }
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static long frameWaits(Pipeline p) {
        FunctionCounter c = p.metrics().registry().find("xanestream.frame.pool.waits")
                .functionCounter();
        return c == null ? 0 : (long) c.count();
    }

    /** This JVM's CPU time, all threads (for the sender: including ZeroMQ's I/O thread), NaN if it cannot tell. */
    static double processCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() / 1e9 : Double.NaN;
    }
}
